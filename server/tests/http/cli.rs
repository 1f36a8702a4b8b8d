//! The `warden` admin commands, run as the operator would run them.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use warden_db::backend_tests;
use warden_db::testing::TestDb;

fn warden(db: &TestDb, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(args)
        .env("WARDEN_DATABASE_URL", &db.url)
        .env_remove("WARDEN_CONFIG")
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn users_and_tokens_are_made_from_the_command_line(db: TestDb) {
    let added = warden(
        &db,
        &[
            "user",
            "add",
            "Ann@Example.com",
            "--role",
            "finance",
            "--role",
            "legal",
            "--password-stdin",
        ],
        "correct horse battery\n",
    );
    assert!(added.status.success(), "{}", text(&added.stderr));
    assert!(text(&added.stdout).contains("added ann@example.com"));

    let list = warden(&db, &["user", "list"], "");
    let listed = text(&list.stdout);
    assert!(
        listed.contains("ann@example.com\tactive\tfinance,legal"),
        "{listed}"
    );

    let token = warden(
        &db,
        &[
            "token",
            "create",
            "ann@example.com",
            "--name",
            "nightly export",
        ],
        "",
    );
    assert!(token.status.success(), "{}", text(&token.stderr));
    let secret = text(&token.stdout).trim().to_string();
    assert!(secret.starts_with("wdn_"), "{secret}");
    let services = warden_services::Services::new(
        db.store.clone(),
        std::sync::Arc::new(warden_services::SystemClock),
        warden_services::ServiceSettings::default(),
    );
    let owner = services.authenticate_token(&secret).await.unwrap().unwrap();
    assert_eq!(owner.email, "ann@example.com");

    let passwd = warden(
        &db,
        &["user", "passwd", "ann@example.com"],
        "another good password\n",
    );
    assert!(passwd.status.success(), "{}", text(&passwd.stderr));
    services
        .login("ann@example.com", "another good password", "127.0.0.1")
        .await
        .unwrap();

    let disabled = warden(&db, &["user", "disable", "ann@example.com"], "");
    assert!(disabled.status.success());
    assert!(
        services
            .authenticate_token(&secret)
            .await
            .unwrap()
            .is_none()
    );
}

async fn bad_commands_explain_themselves_and_change_nothing(db: TestDb) {
    let unknown_role = warden(
        &db,
        &[
            "user",
            "add",
            "bob@example.com",
            "--role",
            "root",
            "--password-stdin",
        ],
        "correct horse battery\n",
    );
    assert!(!unknown_role.status.success());
    assert!(
        text(&unknown_role.stderr).contains("unknown role `root`"),
        "{}",
        text(&unknown_role.stderr)
    );

    let no_flag = warden(
        &db,
        &["user", "add", "bob@example.com", "--role", "cto"],
        "correct horse battery\n",
    );
    assert!(!no_flag.status.success());
    assert!(text(&no_flag.stderr).contains("--password-stdin"));

    let short = warden(
        &db,
        &[
            "user",
            "add",
            "bob@example.com",
            "--role",
            "cto",
            "--password-stdin",
        ],
        "short\n",
    );
    assert!(!short.status.success());
    assert!(text(&short.stderr).contains("at least 12 characters"));

    let nobody = warden(&db, &["token", "create", "nobody@example.com"], "");
    assert!(!nobody.status.success());
    assert!(text(&nobody.stderr).contains("user not found"));

    assert_eq!(db.store.count_users().await.unwrap(), 0);
}

async fn policies_are_exported_and_proposed_and_the_audit_trail_checked(db: TestDb) {
    let export = warden(&db, &["policy", "export"], "");
    assert!(export.status.success(), "{}", text(&export.stderr));
    let v1 = text(&export.stdout);
    assert!(v1.starts_with("policies:\n  global:\n"), "{v1}");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("policies.yml");
    std::fs::write(&file, v1.replace("0.85", "0.9")).unwrap();
    let file = file.to_str().unwrap();
    let import = warden(&db, &["policy", "import", file, "--note", "stricter"], "");
    assert!(import.status.success(), "{}", text(&import.stderr));
    let said = text(&import.stdout);
    assert!(
        said.contains("proposal 1 on version 1: needs 2 approval(s)"),
        "{said}"
    );
    assert!(
        said.contains("high_risk: alignment_score_minimum 0.85 -> 0.9"),
        "{said}"
    );
    // Proposed, not in force.
    assert_eq!(text(&warden(&db, &["policy", "export"], "").stdout), v1);

    std::fs::write(
        dir.path().join("bad.yml"),
        "policies:\n  global:\n    rules:\n      - no_pii\n",
    )
    .unwrap();
    let bad = dir.path().join("bad.yml");
    let refused = warden(&db, &["policy", "import", bad.to_str().unwrap()], "");
    assert!(!refused.status.success());
    let why = text(&refused.stderr);
    assert!(why.contains("bad.yml") && why.contains("line 4"), "{why}");

    let verify = warden(&db, &["audit", "verify"], "");
    assert!(verify.status.success(), "{}", text(&verify.stderr));
    assert!(
        text(&verify.stdout).contains("audit trail intact: 2 events"),
        "{}",
        text(&verify.stdout)
    );
    let csv = warden(&db, &["audit", "export", "--format", "csv"], "");
    assert!(text(&csv.stdout).contains(",policy.propose,proposal:1,"));

    db.store
        .tamper_with_audit_event(1, "mallory")
        .await
        .unwrap();
    let verify = warden(&db, &["audit", "verify"], "");
    assert!(!verify.status.success());
    assert!(
        text(&verify.stdout).contains("BROKEN at event 1"),
        "{}",
        text(&verify.stdout)
    );
}

backend_tests!(
    users_and_tokens_are_made_from_the_command_line,
    bad_commands_explain_themselves_and_change_nothing,
    policies_are_exported_and_proposed_and_the_audit_trail_checked,
);

#[test]
fn a_bad_config_file_is_refused_with_file_line_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("warden.yml");
    std::fs::write(
        &path,
        "server:\n  listen: 127.0.0.1:3000\n  database: oops\n",
    )
    .unwrap();
    let check = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(["config", "check", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!check.status.success());
    let err = text(&check.stderr);
    assert!(err.contains(&format!("{}:3:", path.display())), "{err}");
    assert!(err.contains("database"), "{err}");

    // `serve` refuses to start on it too.
    let serve = Command::new(env!("CARGO_BIN_EXE_warden"))
        .env("WARDEN_CONFIG", &path)
        .output()
        .unwrap();
    assert!(!serve.status.success());
    assert!(text(&serve.stderr).contains(&format!("{}:3:", path.display())));

    let example = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(["config", "example"])
        .output()
        .unwrap();
    std::fs::write(&path, &example.stdout).unwrap();
    let ok = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(["config", "check", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(ok.status.success(), "{}", text(&ok.stderr));
}
