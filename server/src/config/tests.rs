use super::*;
use std::time::Duration;

#[test]
fn the_example_config_parses_with_the_seed_values() {
    let config = parse(EXAMPLE, "warden.example.yml").unwrap();
    assert_eq!(config.ingestion.agents.len(), 3);
    let analytics = &config.ingestion.agents[2];
    assert_eq!(analytics.name, "analytics-agent");
    assert_eq!(analytics.sample_rate, 0.5);
    assert_eq!(analytics.pii_scan, PiiScan::Batch);
    assert_eq!(config.ingestion.flush_interval, Duration::from_secs(5));
    assert_eq!(
        config.ingestion.storage.retention.compliance_logs,
        Duration::from_secs(1095 * 86_400)
    );
    let policies = config.policy_set().unwrap();
    assert_eq!(
        policies.level("high_risk").unwrap().parent(),
        Some("customer_facing")
    );
    assert_eq!(
        policies
            .effective("hr_screening_agent")
            .unwrap()
            .rules
            .len(),
        15
    );
}

#[test]
fn an_empty_file_gives_the_defaults() {
    let config = parse("", "empty.yml").unwrap();
    assert_eq!(config.server.listen.to_string(), "127.0.0.1:3000");
    assert_eq!(config.database_url(), DEFAULT_DATABASE_URL);
    assert!(!config.secure_cookies());
}

#[test]
fn an_unknown_key_is_refused_with_file_and_line() {
    let text = "server:\n  listen: 127.0.0.1:3000\n  lisen: 127.0.0.1:4000\n";
    let err = parse(text, "warden.yml").unwrap_err().to_string();
    assert!(err.starts_with("warden.yml:3:"), "{err}");
    assert!(err.contains("lisen"), "{err}");
}

#[test]
fn a_bad_duration_is_refused_with_its_line_and_the_expected_form() {
    let text = "ingestion:\n  flush_interval: soon\n";
    let err = parse(text, "warden.yml").unwrap_err().to_string();
    assert!(err.starts_with("warden.yml:2:"), "{err}");
    assert!(err.contains("`soon` is not a duration"), "{err}");
}

#[test]
fn the_seeds_invalid_policy_yaml_is_refused_with_a_location() {
    let text =
        "policies:\n  customer_facing:\n    inherits: global\n    - transparency_notice_required\n";
    let err = parse(text, "seed.yml").unwrap_err().to_string();
    assert!(err.starts_with("seed.yml:4:"), "{err}");
    assert!(
        err.contains("mixes `inherits:` with a list of rules"),
        "{err}"
    );
    assert!(
        err.contains(
            "  customer_facing:\n    inherits: global\n    rules:\n      - transparency_notice_required"
        ),
        "the message shows the fix: {err}"
    );
}

#[test]
fn the_seeds_global_list_form_is_accepted() {
    let text =
        "policies:\n  global:\n    - no_pii_in_outputs\n    - max_cost_per_interaction: 0.50 EUR\n";
    let config = parse(text, "warden.yml").unwrap();
    let global = config.policy_set().unwrap().effective("global").unwrap();
    assert_eq!(global.rules.len(), 2);
}

#[test]
fn policy_errors_name_the_file_and_line_of_each_rule() {
    let text = "policies:\n  global:\n    rules:\n      - no_pii_in_output\n      - max_response_time: 5000\n  customer_facing:\n    inherits: custmer\n";
    let err = parse(text, "warden.yml").unwrap_err().to_string();
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("warden.yml:4:")
                && l.contains("did you mean `no_pii_in_outputs`")),
        "{err}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("warden.yml:5:") && l.contains("5000ms")),
        "{err}"
    );
    assert!(lines.iter().any(|l| l.contains("custmer")), "{err}");
}

#[test]
fn an_agent_bound_to_an_undefined_policy_is_refused() {
    let text = "ingestion:\n  agents:\n    - name: a\n      policy: high_rsk\npolicies:\n  global:\n    rules: [no_pii_in_outputs]\n";
    let err = parse(text, "warden.yml").unwrap_err().to_string();
    assert!(
        err.contains("agent `a` is bound to policy `high_rsk`"),
        "{err}"
    );
}

#[test]
fn a_sample_rate_outside_zero_to_one_is_refused() {
    let text = "ingestion:\n  agents:\n    - name: a\n      sample_rate: 1.5\n";
    let err = parse(text, "warden.yml").unwrap_err().to_string();
    assert!(err.contains("sample_rate 1.5"), "{err}");
}

#[test]
fn duplicate_agents_are_refused() {
    let text = "ingestion:\n  agents:\n    - name: a\n    - name: a\n";
    let err = parse(text, "warden.yml").unwrap_err().to_string();
    assert!(err.contains("`a` is listed twice"), "{err}");
}

#[test]
fn environment_overrides_win_over_the_file() {
    let mut config = parse("server:\n  listen: 127.0.0.1:3000\n", "warden.yml").unwrap();
    apply_env(&mut config, |name| match name {
        "WARDEN_LISTEN" => Some("0.0.0.0:8080".into()),
        "WARDEN_DATABASE_URL" => Some("postgres://u:secret@db/warden".into()),
        "WARDEN_PUBLIC_URL" => Some("https://warden.example.com".into()),
        _ => None,
    })
    .unwrap();
    assert_eq!(config.server.listen.to_string(), "0.0.0.0:8080");
    assert_eq!(config.database_url(), "postgres://u:secret@db/warden");
    assert!(config.secure_cookies());
}

#[test]
fn a_bad_override_names_the_variable_and_a_bad_url_is_not_echoed() {
    let mut config = Config::default();
    let err = apply_env(&mut config, |n| {
        (n == "WARDEN_LISTEN").then(|| "nowhere".into())
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("WARDEN_LISTEN"), "{err}");
    let mut config = Config::default();
    let err = apply_env(&mut config, |n| {
        (n == "WARDEN_DATABASE_URL").then(|| "mysql://root:hunter2@db".into())
    })
    .unwrap_err()
    .to_string();
    assert!(!err.contains("hunter2"), "{err}");
}

#[test]
fn the_database_password_is_not_in_debug_output() {
    let config = parse(
        "server:\n  database_url: postgres://u:hunter2@db/w\n",
        "w.yml",
    )
    .unwrap();
    assert!(!format!("{config:?}").contains("hunter2"));
}

#[test]
fn budgets_are_read_with_their_hard_caps_and_bad_ones_are_refused_by_key() {
    let config = parse(EXAMPLE, "warden.example.yml").unwrap();
    let budgets = config.budget_changes().unwrap();
    assert_eq!(budgets.len(), 2);
    assert_eq!(budgets[0].scope, BudgetScope::Fleet);
    assert_eq!(
        budgets[1].hard_cap,
        HardCap::RateLimit { per_min: 30 },
        "{budgets:?}"
    );
    let text = "budgets:\n  agents:\n    a:\n      monthly: 10\n      hard_cap: stop\n";
    let err = parse(text, "warden.yml").unwrap_err().to_string();
    assert!(
        err.contains("budgets.agents.a") && err.contains("\"stop\""),
        "{err}"
    );
    let text = "budgets:\n  fleet:\n    monthly: -5\n";
    let err = parse(text, "warden.yml").unwrap_err().to_string();
    assert!(
        err.contains("budgets.fleet: a monthly budget is a positive amount"),
        "{err}"
    );
}

#[test]
fn incidents_and_mail_default_to_the_seed_and_bad_ones_say_why() {
    let example = parse(EXAMPLE, "warden.example.yml").unwrap();
    assert_eq!(
        example.incidents.ladder().unwrap(),
        warden_domain::incident::escalation::Ladder::default()
    );
    assert!(example.mail.smtp.is_none());
    let empty = parse("{}", "empty.yml").unwrap();
    assert_eq!(
        empty.incidents.ladder().unwrap(),
        example.incidents.ladder().unwrap()
    );
    assert_eq!(empty.incidents.sla.acknowledge, Duration::from_secs(300));

    let fast = parse(
        "incidents:\n  escalation:\n    levels:\n      - {after: 0s, notify: [on_call]}\n      \
         - {after: 10s, notify: [cto, ops@example.com]}\n    repeat_every: 20s\n\
         mail:\n  smtp: {host: mail.example.com, port: 587, tls: starttls, username: warden, \
         password: hunter2hunter2}\n",
        "fast.yml",
    )
    .unwrap();
    let ladder = fast.incidents.ladder().unwrap();
    assert_eq!(ladder.levels[1].after_ms, 10_000);
    assert_eq!(ladder.repeat_every_ms, Some(20_000));
    let smtp = fast.mail.smtp.unwrap();
    assert_eq!(smtp.tls, SmtpTls::Starttls);
    // The password never shows in the config's debug output (logs).
    assert!(!format!("{smtp:?}").contains("hunter2"));

    for (text, says) in [
        (
            "incidents:\n  escalation:\n    levels:\n      - {after: 0m, notify: [janitor]}\n",
            "`janitor` is not a role",
        ),
        (
            "incidents:\n  escalation:\n    levels: []\n",
            "at least one level",
        ),
        ("mail:\n  from: not an address\n", "mail.from"),
        ("mail:\n  smtp: {tls: ssl}\n", "ssl"),
    ] {
        let err = parse(text, "bad.yml").unwrap_err().to_string();
        assert!(err.contains(says), "{text}: {err}");
    }
}

#[test]
fn runbooks_rotation_and_cascade_read_from_the_config() {
    use warden_domain::incident::Kind;
    let empty = parse("{}", "empty.yml").unwrap();
    let books = empty.incidents.runbooks().unwrap();
    assert!(
        books.for_kind(Kind::PiiLeak)[0].automatic,
        "the seed's shutdown"
    );
    assert!(
        !empty
            .incidents
            .demo_runbooks()
            .unwrap()
            .for_kind(Kind::PiiLeak)[0]
            .automatic
    );
    assert!(
        empty
            .incidents
            .demo_runbooks()
            .unwrap()
            .for_kind(Kind::CostAnomaly)[0]
            .automatic
    );
    assert!(empty.incidents.rotation().unwrap().is_none());
    assert_eq!(empty.incidents.cascade().unwrap().unwrap().agents, 3);

    let set = parse(
        "incidents:\n  runbooks:\n    pii_leak:\n      - {step: kill it, action: shutdown, \
         automatic: true}\n  on_call:\n    rotation: [ann@example.com, bob@example.com]\n    \
         time_zone: Europe/Paris\n  cascade: null\n  postmortem_from: critical\n",
        "set.yml",
    )
    .unwrap();
    let demo = set.incidents.demo_runbooks().unwrap();
    assert!(
        demo.for_kind(Kind::PiiLeak)[0].automatic,
        "named in the config: kept"
    );
    assert!(
        set.incidents
            .rotation()
            .unwrap()
            .unwrap()
            .describe()
            .contains("Europe/Paris")
    );
    assert!(set.incidents.cascade().unwrap().is_none());

    for (text, says) in [
        (
            "incidents:\n  runbooks:\n    fire: []\n",
            "not an incident kind",
        ),
        (
            "incidents:\n  on_call:\n    rotation: [ann@example.com]\n    time_zone: Mars\n",
            "incidents.on_call: time_zone",
        ),
        ("incidents:\n  cascade: {agents: 1}\n", "at least 2"),
    ] {
        let err = parse(text, "bad.yml").unwrap_err().to_string();
        assert!(err.contains(says), "{text}: {err}");
    }
}
