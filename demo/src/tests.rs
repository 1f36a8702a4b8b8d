//! Crate-level tests: the traffic's structure, its mix, and its ground truth.

use std::collections::{HashMap, HashSet};

use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{KeyValue, any_value::Value};
use opentelemetry_proto::tonic::metrics::v1::metric::Data;
use opentelemetry_proto::tonic::trace::v1::Span;
use opentelemetry_proto::tonic::trace::v1::status::StatusCode;
use prost::Message;
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::fake::{iban_length, iban_valid, luhn_valid, ssn_valid};
use crate::{Conventions, Fleet, Interaction, encode, fleet, json, slots, text};

const NOW: u64 = 1_760_000_000_000_000_000;
const SEC: u64 = 1_000_000_000;

fn sample(seed: u64, n: usize) -> Vec<Interaction> {
    let mut f = Fleet::new(seed);
    (0..n)
        .map(|i| f.next_interaction(NOW + i as u64 * 300_000_000))
        .collect()
}

fn spans(request: &ExportTraceServiceRequest) -> Vec<&Span> {
    request
        .resource_spans
        .iter()
        .flat_map(|rs| rs.scope_spans.iter())
        .flat_map(|ss| ss.spans.iter())
        .collect()
}

fn attr<'a>(attributes: &'a [KeyValue], key: &str) -> Option<&'a Value> {
    crate::attribute(attributes, key)
}

fn str_attr<'a>(span: &'a Span, key: &str) -> Option<&'a str> {
    match attr(&span.attributes, key) {
        Some(Value::StringValue(s)) => Some(s),
        _ => None,
    }
}

fn int_attr(span: &Span, key: &str) -> Option<i64> {
    match attr(&span.attributes, key) {
        Some(Value::IntValue(v)) => Some(*v),
        _ => None,
    }
}

fn service_name(attributes: &[KeyValue]) -> String {
    match attr(attributes, "service.name") {
        Some(Value::StringValue(s)) => s.clone(),
        _ => String::new(),
    }
}

/// Every string a PII scanner would read in a trace: span and event attributes.
fn strings_of(request: &ExportTraceServiceRequest) -> Vec<String> {
    let mut out = Vec::new();
    for span in spans(request) {
        out.push(span.name.clone());
        let events = span.events.iter().flat_map(|e| e.attributes.iter());
        for kv in span.attributes.iter().chain(events) {
            match kv.value.as_ref().and_then(|v| v.value.as_ref()) {
                Some(Value::StringValue(s)) => out.push(s.clone()),
                Some(Value::ArrayValue(a)) => {
                    for v in &a.values {
                        if let Some(Value::StringValue(s)) = &v.value {
                            out.push(s.clone());
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

fn boundary(chars: &[char], i: usize) -> bool {
    i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// An independent, pattern-based PII scanner (with the checks a careful scanner applies), to
/// hold `has_pii` to account.
fn find_pii(text: &str) -> Vec<String> {
    let c: Vec<char> = text.chars().collect();
    let mut hits = Vec::new();
    for i in 0..c.len() {
        // E-mail: word@domain.tld
        if c[i] == '@' && i > 0 && c[i - 1].is_alphanumeric() {
            let domain: String = c[i + 1..]
                .iter()
                .take_while(|ch| ch.is_alphanumeric() || **ch == '.' || **ch == '-')
                .collect();
            if domain.trim_end_matches('.').contains('.') {
                hits.push(format!("email@{domain}"));
            }
        }
        // Phone: international prefix +44 / +1.
        if c[i] == '+' {
            let rest: String = c[i + 1..].iter().take(4).collect();
            if rest.starts_with("44 7")
                || rest.starts_with("1 (")
                || (rest.starts_with("1 ") && rest[2..].starts_with(|ch: char| ch.is_ascii_digit()))
            {
                hits.push(format!("phone+{rest}"));
            }
        }
        // A match starts at a word boundary and not inside a spaced or hyphenated number.
        let continues_number =
            i >= 2 && (c[i - 1] == ' ' || c[i - 1] == '-') && c[i - 2].is_ascii_digit();
        if !boundary(&c, i) || continues_number {
            continue;
        }
        // Card: 13-19 digits, single spaces or hyphens between groups, Luhn-valid.
        if c[i].is_ascii_digit() {
            let mut j = i;
            let mut digits = String::new();
            while j < c.len() {
                if c[j].is_ascii_digit() {
                    digits.push(c[j]);
                    j += 1;
                } else if (c[j] == ' ' || c[j] == '-')
                    && j + 1 < c.len()
                    && c[j + 1].is_ascii_digit()
                {
                    j += 1;
                } else {
                    break;
                }
            }
            let bounded = j == c.len() || !c[j].is_alphanumeric();
            if bounded && (13..=19).contains(&digits.len()) && luhn_valid(&digits) {
                hits.push(format!("card {digits}"));
            }
            // SSN: ddd-dd-dddd.
            let window: String = c[i..c.len().min(i + 11)].iter().collect();
            let after = c.get(i + 11);
            if window.len() == 11
                && after.is_none_or(|ch| !ch.is_alphanumeric())
                && ssn_valid(&window)
            {
                hits.push(format!("ssn {window}"));
            }
            // IPv4: four dotted octets.
            let ip: String = c[i..]
                .iter()
                .take_while(|ch| ch.is_ascii_digit() || **ch == '.')
                .collect();
            let ip = ip.trim_end_matches('.');
            let octets: Vec<&str> = ip.split('.').collect();
            if octets.len() == 4
                && octets.iter().all(|o| {
                    !o.is_empty() && o.len() <= 3 && o.parse::<u32>().is_ok_and(|v| v <= 255)
                })
            {
                hits.push(format!("ip {ip}"));
            }
        }
        // IBAN: country code, check digits, then the country's length of letters and digits.
        if i + 4 <= c.len()
            && c[i].is_ascii_uppercase()
            && c[i + 1].is_ascii_uppercase()
            && c[i + 2].is_ascii_digit()
            && c[i + 3].is_ascii_digit()
        {
            let country: String = c[i..i + 2].iter().collect();
            if let Some(len) = iban_length(&country) {
                let mut compact = String::new();
                let mut j = i;
                while j < c.len() && compact.len() < len {
                    if c[j].is_ascii_alphanumeric() {
                        compact.push(c[j]);
                    } else if c[j] != ' ' {
                        break;
                    }
                    j += 1;
                }
                if iban_valid(&compact) {
                    hits.push(format!("iban {compact}"));
                }
            }
        }
    }
    hits
}

#[test]
fn the_fleet_has_ten_distinct_kebab_case_agents() {
    let agents = fleet();
    assert_eq!(agents.len(), 10);
    let names: HashSet<&str> = agents.iter().map(|a| a.name).collect();
    assert_eq!(names.len(), 10);
    for a in agents {
        assert!(
            a.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') && !a.name.starts_with('-'),
            "{}",
            a.name
        );
        assert!(["customer_facing", "high_risk", "internal"].contains(&a.category));
        assert!(["real-time", "batch"].contains(&a.pii_scan));
        assert!(["python", "nodejs"].contains(&a.language));
        assert!(a.owner.contains('@'));
        assert!(a.sample_rate > 0.0 && a.sample_rate <= 1.0);
    }
    assert_eq!(agents.iter().map(|a| a.weight).sum::<u32>(), 100);
    let open_inference = agents
        .iter()
        .filter(|a| a.conventions == Conventions::OpenInference)
        .count();
    assert_eq!(open_inference, 2);
    let ids: HashSet<&str> = agents.iter().map(|a| a.agent_id).collect();
    assert_eq!(ids.len(), 10);
}

#[test]
fn the_banks_are_complete_and_every_template_fills() {
    let mut rng = StdRng::seed_from_u64(1);
    let mut templates: Vec<&str> = vec![text::HANDOFF_CALL.args, text::HANDOFF_CALL.result];
    for list in [
        text::DISCLOSURES,
        text::HUMAN_ASKS,
        text::HANDOFF_ANSWERS,
        text::HANDOFF_REFUSALS,
        text::TOOL_FAILURE_REPLIES,
        text::HR_INFERENCES,
        text::HR_FACTS,
    ] {
        templates.extend(list);
    }
    for agent in fleet() {
        let bank = agent.bank;
        assert!(!bank.intents.is_empty(), "{}", agent.name);
        if agent.is_customer_facing() {
            assert!(
                bank.intents.len() >= 15,
                "{} has {} intents",
                agent.name,
                bank.intents.len()
            );
            assert!(bank.tool("escalate_to_human").is_some(), "{}", agent.name);
        }
        let keys: HashSet<&str> = bank.intents.iter().map(|i| i.key).collect();
        assert_eq!(
            keys.len(),
            bank.intents.len(),
            "duplicate intent in {}",
            agent.name
        );
        templates.extend([bank.system, bank.failure_reply, bank.human_topic]);
        templates.extend(bank.pii_sentences);
        templates.extend(bank.attachments);
        for tool in bank.tools {
            templates.push(tool.pii_fields);
        }
        for intent in bank.intents {
            assert!(
                !intent.asks.is_empty() && !intent.answers.is_empty(),
                "{}",
                intent.key
            );
            templates.extend(intent.asks);
            templates.extend(intent.answers);
            for call in intent.calls {
                let tool = bank.tool(call.tool);
                assert!(tool.is_some(), "{}: unknown tool {}", agent.name, call.tool);
                templates.extend([call.args, call.result]);
                // Arguments and results must stay JSON once filled, with personal data spliced in.
                let mut s = slots::Slots::new(NOW);
                let args = s.fill(&mut rng, call.args);
                let result = s.fill(&mut rng, call.result);
                assert!(json::is_valid(&args), "{args}");
                assert!(json::is_valid(&result), "{result}");
                if let Some(tool) = tool.filter(|t| !t.pii_fields.is_empty()) {
                    let fragment = s.fill(&mut rng, tool.pii_fields);
                    let spliced = crate::scenario::splice(&result, &fragment);
                    assert!(json::is_valid(&spliced), "{spliced}");
                }
            }
        }
    }
    let personal = ["email", "phone", "card", "iban", "ssn", "ip"];
    for template in templates {
        let mut rest = template;
        while let Some(pos) = rest.find('$') {
            let after = &rest[pos + 1..];
            let len = after
                .bytes()
                .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
                .count();
            let name = &after[..len];
            assert!(
                slots::is_known(&mut rng, name),
                "unknown slot ${name} in {template}"
            );
            rest = &after[len..];
        }
        // Personal data may only come in through the PII banks, which is what makes has_pii exact.
        let is_pii_bank = fleet().iter().any(|a| {
            a.bank.pii_sentences.contains(&template)
                || a.bank.tools.iter().any(|t| t.pii_fields == template)
        });
        if !is_pii_bank {
            for p in personal {
                let token = format!("${p}");
                let used = template.match_indices(&token).any(|(i, _)| {
                    !template[i + token.len()..]
                        .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                });
                assert!(!used, "${p} outside a PII bank: {template}");
            }
        }
    }
}

#[test]
fn every_span_has_its_parent_in_the_trace_and_lies_within_it() {
    for interaction in sample(11, 2000) {
        let all = spans(&interaction.request);
        assert_eq!(all.len(), interaction.span_count);
        let by_id: HashMap<&[u8], &Span> = all.iter().map(|s| (s.span_id.as_slice(), *s)).collect();
        assert_eq!(by_id.len(), all.len(), "span ids are unique");
        let roots: Vec<&&Span> = all.iter().filter(|s| s.parent_span_id.is_empty()).collect();
        assert_eq!(roots.len(), 1, "one root per trace");
        assert_ne!(interaction.trace_id, [0; 16]);
        for span in &all {
            assert_eq!(span.trace_id, interaction.trace_id.to_vec());
            assert_eq!(span.span_id.len(), 8);
            assert!(span.span_id.iter().any(|b| *b != 0));
            assert!(
                span.start_time_unix_nano <= span.end_time_unix_nano,
                "{}",
                span.name
            );
            if span.parent_span_id.is_empty() {
                continue;
            }
            let parent = by_id.get(span.parent_span_id.as_slice());
            let Some(parent) = parent else {
                panic!("{} has no parent in its trace", span.name);
            };
            assert!(
                parent.start_time_unix_nano <= span.start_time_unix_nano
                    && span.end_time_unix_nano <= parent.end_time_unix_nano,
                "{} escapes {}",
                span.name,
                parent.name
            );
        }
        // Model and tool calls are sequential: siblings under the root never overlap.
        let root_id = &roots[0].span_id;
        let mut children: Vec<&&Span> = all
            .iter()
            .filter(|s| &s.parent_span_id == root_id)
            .collect();
        children.sort_by_key(|s| s.start_time_unix_nano);
        for pair in children.windows(2) {
            assert!(pair[0].end_time_unix_nano <= pair[1].start_time_unix_nano);
        }
    }
}

#[test]
fn every_llm_span_carries_model_and_token_attributes() {
    let mut gen_ai_chats = 0;
    let mut open_inference_llms = 0;
    let mut cached = 0;
    for interaction in sample(12, 1500) {
        for span in spans(&interaction.request) {
            let failed = span
                .status
                .as_ref()
                .is_some_and(|s| s.code == StatusCode::Error as i32);
            if str_attr(span, "gen_ai.operation.name") == Some("chat") {
                gen_ai_chats += 1;
                assert_eq!(span.kind, 3, "chat spans are CLIENT");
                let model = str_attr(span, "gen_ai.request.model").unwrap_or_default();
                assert_eq!(span.name, format!("chat {model}"));
                assert!(
                    ["openai", "anthropic", "gcp.gemini", "mistral_ai"]
                        .contains(&str_attr(span, "gen_ai.provider.name").unwrap_or_default())
                );
                if failed {
                    // A failed call has no usage to report, but it says why it failed.
                    assert!(str_attr(span, "error.type").is_some());
                    assert!(span.events.iter().any(|e| e.name == "exception"));
                    continue;
                }
                assert!(str_attr(span, "gen_ai.response.model").is_some());
                let input = int_attr(span, "gen_ai.usage.input_tokens").unwrap_or(0);
                let output = int_attr(span, "gen_ai.usage.output_tokens").unwrap_or(0);
                assert!(input > 50 && output > 0, "{input}/{output}");
                if let Some(c) = int_attr(span, "gen_ai.usage.cache_read.input_tokens") {
                    assert!(c > 0 && c <= input);
                    cached += 1;
                }
                assert!(matches!(
                    attr(&span.attributes, "gen_ai.response.finish_reasons"),
                    Some(Value::ArrayValue(a)) if a.values.len() == 1
                ));
                for key in [
                    "gen_ai.input.messages",
                    "gen_ai.output.messages",
                    "gen_ai.system_instructions",
                ] {
                    let v = str_attr(span, key).unwrap_or_default();
                    assert!(json::is_valid(v), "{key}: {v}");
                }
            }
            if str_attr(span, "openinference.span.kind") == Some("LLM") {
                open_inference_llms += 1;
                assert!(str_attr(span, "llm.model_name").is_some());
                assert!(str_attr(span, "llm.provider").is_some());
                assert!(json::is_valid(
                    str_attr(span, "input.value").unwrap_or_default()
                ));
                if failed {
                    continue;
                }
                let prompt = int_attr(span, "llm.token_count.prompt").unwrap_or(0);
                let completion = int_attr(span, "llm.token_count.completion").unwrap_or(0);
                assert!(prompt > 50 && completion > 0);
                assert_eq!(
                    int_attr(span, "llm.token_count.total"),
                    Some(prompt + completion)
                );
            }
            if str_attr(span, "gen_ai.operation.name") == Some("execute_tool") {
                assert!(span.name.starts_with("execute_tool "));
                for key in ["gen_ai.tool.call.arguments", "gen_ai.tool.call.result"] {
                    assert!(
                        json::is_valid(str_attr(span, key).unwrap_or_default()),
                        "{key}"
                    );
                }
            }
            if str_attr(span, "gen_ai.operation.name") == Some("invoke_agent") {
                assert!(span.parent_span_id.is_empty());
                for key in [
                    "gen_ai.agent.name",
                    "gen_ai.agent.id",
                    "gen_ai.conversation.id",
                ] {
                    assert!(str_attr(span, key).is_some(), "{key}");
                }
                assert!(json::is_valid(
                    str_attr(span, "gen_ai.input.messages").unwrap_or_default()
                ));
                assert!(json::is_valid(
                    str_attr(span, "gen_ai.output.messages").unwrap_or_default()
                ));
            }
        }
    }
    assert!(gen_ai_chats > 1000 && open_inference_llms > 100 && cached > 50);
}

#[test]
fn the_traffic_mix_has_sensible_rates() {
    let sample = sample(13, 2000);
    let n = sample.len() as f64;
    let rate = |f: &dyn Fn(&Interaction) -> bool| sample.iter().filter(|i| f(i)).count() as f64 / n;
    let errors = rate(&|i| i.has_error);
    let pii = rate(&|i| i.has_pii);
    let slow = rate(&|i| i.is_slow);
    let expensive = rate(&|i| i.is_expensive);
    let tool_failures = rate(&|i| i.has_tool_failure);
    assert!((0.025..=0.06).contains(&errors), "errors {errors}");
    assert!((0.03..=0.08).contains(&pii), "pii {pii}");
    assert!((0.01..=0.06).contains(&slow), "slow {slow}");
    assert!(
        (0.002..=0.025).contains(&expensive),
        "expensive {expensive}"
    );
    assert!(
        (0.005..=0.03).contains(&tool_failures),
        "tool failures {tool_failures}"
    );

    let mut per_agent: HashMap<&str, usize> = HashMap::new();
    for i in &sample {
        *per_agent.entry(i.agent).or_default() += 1;
    }
    assert_eq!(per_agent.len(), 10, "every agent gets traffic");
    let busiest = per_agent.iter().max_by_key(|(_, c)| **c).map(|(a, _)| *a);
    assert_eq!(busiest, Some("support-agent"));
    assert!(per_agent["sales-agent"] > per_agent["analytics-agent"]);

    // Durations: mostly 1-6 s; the longest is a huge prompt or a 30 s timeout plus the rest of the turn.
    let mut seconds: Vec<f64> = sample
        .iter()
        .map(|i| (i.end_unix_nanos - i.start_unix_nanos) as f64 / SEC as f64)
        .collect();
    seconds.sort_by(f64::total_cmp);
    let typical = seconds.iter().filter(|s| (1.0..=6.0).contains(*s)).count() as f64 / n;
    assert!(typical > 0.75, "only {typical} within 1-6 s");
    assert!(
        seconds[seconds.len() - 1] < 90.0,
        "longest {}",
        seconds[seconds.len() - 1]
    );

    // Expensive interactions really are: tens of thousands of tokens and dollars, not cents.
    for i in sample.iter().filter(|i| i.is_expensive && !i.has_error) {
        assert!(
            i.input_tokens >= 50_000 && i.cost_usd > 0.05,
            "{} {}",
            i.input_tokens,
            i.cost_usd
        );
    }
    let typical_cost: f64 = sample
        .iter()
        .filter(|i| !i.is_expensive)
        .map(|i| i.cost_usd)
        .sum::<f64>()
        / n;
    assert!(
        (0.0005..0.05).contains(&typical_cost),
        "mean cost {typical_cost}"
    );
}

#[test]
fn has_pii_matches_what_a_scanner_finds() {
    let mut with_pii = 0;
    for interaction in sample(14, 2000) {
        let hits: Vec<String> = strings_of(&interaction.request)
            .iter()
            .flat_map(|s| find_pii(s))
            .collect();
        assert_eq!(
            interaction.has_pii,
            !hits.is_empty(),
            "{} has_pii={} but scanner found {hits:?} in {:?}",
            interaction.agent,
            interaction.has_pii,
            strings_of(&interaction.request)
                .iter()
                .filter(|s| !find_pii(s).is_empty())
                .collect::<Vec<_>>()
        );
        if interaction.has_pii {
            with_pii += 1;
        }
    }
    assert!(with_pii > 40);
}

#[test]
fn card_numbers_and_ibans_in_the_traffic_pass_their_checks() {
    let mut cards = 0;
    let mut ibans = 0;
    for interaction in sample(15, 4000).iter().filter(|i| i.has_pii) {
        for s in strings_of(&interaction.request) {
            // Anything shaped like a card (3, 4 or 5, then 14-15 more digits in groups) is one.
            for token in s.split(|c: char| !(c.is_ascii_digit() || c == ' ' || c == '-')) {
                let digits: String = token.chars().filter(char::is_ascii_digit).collect();
                if (15..=16).contains(&digits.len())
                    && digits.starts_with(['3', '4', '5'])
                    && token.trim().len() <= 19
                {
                    assert!(luhn_valid(&digits), "{token}");
                    cards += 1;
                }
            }
            for hit in find_pii(&s) {
                if let Some(iban) = hit.strip_prefix("iban ") {
                    assert!(iban_valid(iban));
                    ibans += 1;
                }
            }
            // Any IBAN-shaped run after a "to IBAN"/"account" must validate, not just those found.
            for (pos, _) in s.match_indices(['D', 'G', 'F', 'N']) {
                let cand: String = s[pos..]
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .take(4)
                    .collect();
                let country = &cand[..cand.len().min(2)];
                if cand.len() == 4
                    && iban_length(country).is_some()
                    && cand[2..].chars().all(|c| c.is_ascii_digit())
                    && (pos == 0 || !s.as_bytes()[pos - 1].is_ascii_alphanumeric())
                {
                    let len = iban_length(country).unwrap_or(0);
                    let compact: String = s[pos..]
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .take(len)
                        .collect();
                    assert!(iban_valid(&compact), "{compact} in {s}");
                }
            }
        }
    }
    assert!(cards > 0 && ibans > 0, "cards {cards} ibans {ibans}");
}

#[test]
fn encode_round_trips_through_prost() {
    let mut f = Fleet::new(16);
    let traces = f.export_request(NOW, 25);
    let decoded = ExportTraceServiceRequest::decode(encode(&traces).as_slice());
    assert_eq!(decoded.ok(), Some(traces));
    let metrics = f.metrics_request(NOW);
    let decoded = ExportMetricsServiceRequest::decode(encode(&metrics).as_slice());
    assert_eq!(decoded.ok(), Some(metrics));
    let logs = f.logs_request(NOW, 40);
    let decoded = ExportLogsServiceRequest::decode(encode(&logs).as_slice());
    assert_eq!(decoded.ok(), Some(logs));
}

#[test]
fn export_request_groups_spans_by_agent_resource() {
    let mut f = Fleet::new(17);
    let request = f.export_request(NOW, 60);
    let services: Vec<String> = request
        .resource_spans
        .iter()
        .map(|rs| {
            service_name(
                &rs.resource
                    .as_ref()
                    .map(|r| r.attributes.clone())
                    .unwrap_or_default(),
            )
        })
        .collect();
    let distinct: HashSet<&String> = services.iter().collect();
    assert_eq!(
        distinct.len(),
        services.len(),
        "one ResourceSpans per agent"
    );
    assert!(services.len() >= 4);
    let mut roots = 0;
    for rs in &request.resource_spans {
        let service = service_name(
            &rs.resource
                .as_ref()
                .map(|r| r.attributes.clone())
                .unwrap_or_default(),
        );
        let scopes: HashSet<&str> = rs
            .scope_spans
            .iter()
            .map(|ss| ss.scope.as_ref().map_or("", |s| s.name.as_str()))
            .collect();
        assert_eq!(
            scopes.len(),
            rs.scope_spans.len(),
            "one ScopeSpans per scope"
        );
        for span in rs.scope_spans.iter().flat_map(|ss| ss.spans.iter()) {
            if span.parent_span_id.is_empty() {
                roots += 1;
                let agent = str_attr(span, "gen_ai.agent.name").or(str_attr(span, "agent.name"));
                assert_eq!(agent, Some(service.as_str()));
            }
            assert!(span.end_time_unix_nano <= NOW);
            assert!(span.start_time_unix_nano >= NOW - 60 * SEC);
        }
    }
    assert_eq!(roots, 60, "every interaction is in the batch");

    let only = f.export_request_for("finance-agent", NOW, 5);
    let only = only.unwrap_or_default();
    assert_eq!(only.resource_spans.len(), 1);
    let service = service_name(
        &only.resource_spans[0]
            .resource
            .as_ref()
            .map(|r| r.attributes.clone())
            .unwrap_or_default(),
    );
    assert_eq!(service, "finance-agent");
    assert!(f.export_request_for("no-such-agent", NOW, 5).is_none());
}

#[test]
fn resources_identify_the_agent_and_the_gateway_leaks_its_token() {
    let mut f = Fleet::new(18);
    let request = f
        .export_request_for("it-helpdesk-agent", NOW, 1)
        .unwrap_or_default();
    let attributes = request.resource_spans[0]
        .resource
        .clone()
        .unwrap_or_default()
        .attributes;
    for key in [
        "service.name",
        "service.version",
        "deployment.environment.name",
        "telemetry.sdk.language",
    ] {
        assert!(
            matches!(attr(&attributes, key), Some(Value::StringValue(_))),
            "{key}"
        );
    }
    assert!(
        matches!(attr(&attributes, "telemetry.sdk.name"), Some(Value::StringValue(s)) if s == "opentelemetry")
    );
    let Some(Value::ArrayValue(args)) = attr(&attributes, "process.command_args") else {
        panic!("no command line");
    };
    let args: Vec<&str> = args
        .values
        .iter()
        .filter_map(|v| match &v.value {
            Some(Value::StringValue(s)) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        &args[..5],
        ["openclaw", "gateway", "--port", "18789", "--token"]
    );
    let token = args[5].strip_prefix("oc_gw_").unwrap_or_default();
    assert!(
        token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()),
        "{token}"
    );

    let other = f
        .export_request_for("support-agent", NOW, 1)
        .unwrap_or_default();
    let attributes = other.resource_spans[0]
        .resource
        .clone()
        .unwrap_or_default()
        .attributes;
    assert!(attr(&attributes, "process.command_args").is_none());
}

#[test]
fn the_same_seed_and_clock_give_the_same_bytes() {
    let run = |seed: u64| {
        let mut f = Fleet::new(seed);
        let mut out = Vec::new();
        for i in 0..5 {
            let now = NOW + i * SEC;
            out.extend(encode(&f.export_request(now, 10)));
            out.extend(encode(&f.next_interaction(now).request));
            out.extend(encode(&f.metrics_request(now)));
            out.extend(encode(&f.logs_request(now, 15)));
        }
        out
    };
    assert_eq!(run(19), run(19));
    assert_ne!(run(19), run(20));
}

#[test]
fn metrics_agree_with_the_traces() {
    let mut f = Fleet::new(21);
    let interactions: Vec<Interaction> = (0..300)
        .map(|i| f.next_interaction(NOW + i * SEC))
        .collect();
    let metrics = f.metrics_request(NOW + 301 * SEC);
    let mut input_tokens = 0.0;
    let mut cost = 0.0;
    let mut names = HashSet::new();
    for rm in &metrics.resource_metrics {
        for metric in rm.scope_metrics.iter().flat_map(|sm| sm.metrics.iter()) {
            names.insert(metric.name.clone());
            match &metric.data {
                Some(Data::Histogram(h)) if metric.name == "gen_ai.client.token.usage" => {
                    assert_eq!(h.aggregation_temporality, 2, "cumulative");
                    for p in &h.data_points {
                        assert_eq!(p.bucket_counts.len(), p.explicit_bounds.len() + 1);
                        assert_eq!(p.bucket_counts.iter().sum::<u64>(), p.count);
                        if matches!(attr(&p.attributes, "gen_ai.token.type"), Some(Value::StringValue(t)) if t == "input")
                        {
                            input_tokens += p.sum.unwrap_or_default();
                        }
                    }
                }
                Some(Data::Sum(s)) if metric.name == "openclaw.cost.usd" => {
                    assert!(s.is_monotonic);
                    for p in &s.data_points {
                        if let Some(opentelemetry_proto::tonic::metrics::v1::number_data_point::Value::AsDouble(v)) = p.value {
                            cost += v;
                        }
                    }
                }
                _ => {}
            }
        }
    }
    for name in [
        "gen_ai.client.token.usage",
        "gen_ai.client.operation.duration",
        "openclaw.cost.usd",
    ] {
        assert!(names.contains(name), "{name}");
    }
    assert_eq!(metrics.resource_metrics.len(), 10);
    let expected_tokens: u64 = interactions.iter().map(|i| i.input_tokens).sum();
    let expected_cost: f64 = interactions.iter().map(|i| i.cost_usd).sum();
    assert!(
        (input_tokens - expected_tokens as f64).abs() < 0.5,
        "{input_tokens} vs {expected_tokens}"
    );
    assert!(
        (cost - expected_cost).abs() < 1e-6,
        "{cost} vs {expected_cost}"
    );

    // A second export with nothing new still reports (cumulative, never decreasing).
    let again = f.metrics_request(NOW + 400 * SEC);
    assert!(encode(&again).len() >= encode(&metrics).len() / 2);
}

#[test]
fn logs_point_at_generated_traces_and_are_mostly_info() {
    let mut f = Fleet::new(22);
    let trace_ids: HashSet<[u8; 16]> = (0..400)
        .map(|i| f.next_interaction(NOW + i * SEC).trace_id)
        .collect();
    let pending = f.pending_log_records();
    assert!(pending >= 800);
    let logs = f.logs_request(NOW + 500 * SEC, pending);
    let mut by_severity: HashMap<i32, usize> = HashMap::new();
    let mut total = 0;
    for rl in &logs.resource_logs {
        assert!(
            !service_name(
                &rl.resource
                    .as_ref()
                    .map(|r| r.attributes.clone())
                    .unwrap_or_default()
            )
            .is_empty()
        );
        for record in rl.scope_logs.iter().flat_map(|sl| sl.log_records.iter()) {
            total += 1;
            let id: [u8; 16] = record.trace_id.as_slice().try_into().unwrap_or([0; 16]);
            assert!(trace_ids.contains(&id), "log record for an unknown trace");
            assert_eq!(record.span_id.len(), 8);
            *by_severity.entry(record.severity_number).or_default() += 1;
        }
    }
    assert_eq!(total, pending);
    assert_eq!(f.pending_log_records(), 0);
    let info = by_severity.get(&9).copied().unwrap_or(0) as f64 / total as f64;
    assert!(info > 0.85, "INFO share {info}");
    assert!(by_severity.get(&13).copied().unwrap_or(0) > 0, "some WARN");
    assert!(by_severity.get(&17).copied().unwrap_or(0) > 0, "some ERROR");

    // Asking for more lines than are queued generates more traffic rather than coming up short.
    let more = f.logs_request(NOW + 600 * SEC, 50);
    let count: usize = more
        .resource_logs
        .iter()
        .flat_map(|rl| rl.scope_logs.iter())
        .map(|sl| sl.log_records.len())
        .sum();
    assert_eq!(count, 50);
}

#[test]
fn governance_ground_truth_matches_the_text() {
    let sample = sample(23, 3000);
    let disclosure_words = ["AI assistant", "virtual agent"];
    let (mut missing, mut refused, mut inferred, mut handed_off) = (0, 0, 0, 0);
    for i in &sample {
        let texts = strings_of(&i.request);
        let root_output = spans(&i.request)
            .iter()
            .find(|s| s.parent_span_id.is_empty())
            .and_then(|s| str_attr(s, "gen_ai.output.messages").or(str_attr(s, "output.value")))
            .unwrap_or_default()
            .to_string();
        if i.missing_disclosure {
            missing += 1;
            assert!(
                !disclosure_words.iter().any(|w| root_output.contains(w)),
                "{root_output}"
            );
        }
        if i.missed_handoff {
            refused += 1;
            assert!(!texts.iter().any(|t| t == "escalate_to_human"));
        }
        if texts.iter().any(|t| t == "execute_tool escalate_to_human") {
            handed_off += 1;
        }
        let has_inference = text::HR_INFERENCES.iter().any(|s| root_output.contains(s));
        assert_eq!(has_inference, i.demographic_inference, "{root_output}");
        if i.demographic_inference {
            inferred += 1;
            assert_eq!(i.agent, "hr-screening-agent");
        }
        if i.agent == "hr-screening-agent" && !i.has_error {
            assert!(!text::HR_FACTS.is_empty());
        }
    }
    assert!(
        missing > 0 && refused > 0 && inferred > 0 && handed_off > refused,
        "missing {missing} refused {refused} inferred {inferred} handed off {handed_off}"
    );
}

#[test]
fn conversations_continue_across_turns() {
    let sample = sample(24, 1000);
    let mut turns: HashMap<&str, usize> = HashMap::new();
    for i in &sample {
        *turns.entry(i.conversation_id.as_str()).or_default() += 1;
    }
    let multi = turns.values().filter(|c| **c > 1).count();
    assert!(multi > 50, "{multi} multi-turn conversations");
}

/// Prints one trace of each agent and one of each anomaly; run with `--ignored --nocapture`.
#[test]
#[ignore]
fn show_sample() {
    let mut f = Fleet::new(7);
    let mut requests: Vec<(String, ExportTraceServiceRequest)> = fleet()
        .iter()
        .map(|a| {
            (
                a.name.to_string(),
                f.export_request_for(a.name, NOW, 1).unwrap_or_default(),
            )
        })
        .collect();
    type Pick = fn(&Interaction) -> bool;
    let kinds: [(&str, Pick); 6] = [
        ("error", |i| i.has_error),
        ("pii", |i| i.has_pii),
        ("expensive", |i| i.is_expensive),
        ("tool failure", |i| i.has_tool_failure),
        ("inference", |i| i.demographic_inference),
        ("slow", |i| i.is_slow && !i.is_expensive && !i.has_error),
    ];
    let pool = sample(8, 1500);
    for (label, pred) in kinds {
        if let Some(i) = pool.iter().find(|i| pred(i)) {
            requests.push((format!("{label}: {}", i.agent), i.request.clone()));
        }
    }
    for (label, request) in requests {
        println!("==== {label}");
        for span in spans(&request) {
            println!(
                "  {} [{} ms] {:?}",
                span.name,
                (span.end_time_unix_nano - span.start_time_unix_nano) / 1_000_000,
                span.status.as_ref().map(|s| s.code)
            );
            for kv in &span.attributes {
                let v = match kv.value.as_ref().and_then(|v| v.value.as_ref()) {
                    Some(Value::StringValue(s)) => s.clone(),
                    other => format!("{other:?}"),
                };
                println!("      {} = {}", kv.key, v);
            }
        }
    }
}

/// Prints the realised traffic mix; run with `--ignored --nocapture`.
#[test]
#[ignore]
fn print_mix() {
    for seed in [1, 2, 3] {
        let s = sample(seed, 5000);
        let n = s.len() as f64;
        let r =
            |f: &dyn Fn(&Interaction) -> bool| 100.0 * s.iter().filter(|i| f(i)).count() as f64 / n;
        let mut secs: Vec<f64> = s
            .iter()
            .map(|i| (i.end_unix_nanos - i.start_unix_nanos) as f64 / 1e9)
            .collect();
        secs.sort_by(f64::total_cmp);
        let spans: f64 = s.iter().map(|i| i.span_count as f64).sum::<f64>() / n;
        let cost: f64 = s.iter().map(|i| i.cost_usd).sum::<f64>() / n;
        let tokens: f64 = s.iter().map(|i| i.input_tokens as f64).sum::<f64>() / n;
        let cf: Vec<&Interaction> = s
            .iter()
            .filter(|i| ["support-agent", "sales-agent", "onboarding-agent"].contains(&i.agent))
            .collect();
        let hr = s.iter().filter(|i| i.agent == "hr-screening-agent").count() as f64;
        println!(
            "seed {seed}: error {:.2}% pii {:.2}% slow {:.2}% expensive {:.2}% tool-fail {:.2}% | missing-disclosure {:.2}% of CF, missed-handoff {:.2}% of CF, inference {:.1}% of HR | p50 {:.2}s p90 {:.2}s p99 {:.2}s max {:.1}s | spans {spans:.1} cost ${cost:.4} input tokens {tokens:.0}",
            r(&|i| i.has_error),
            r(&|i| i.has_pii),
            r(&|i| i.is_slow),
            r(&|i| i.is_expensive),
            r(&|i| i.has_tool_failure),
            100.0 * cf.iter().filter(|i| i.missing_disclosure).count() as f64 / cf.len() as f64,
            100.0 * cf.iter().filter(|i| i.missed_handoff).count() as f64 / cf.len() as f64,
            100.0 * s.iter().filter(|i| i.demographic_inference).count() as f64 / hr,
            secs[secs.len() / 2],
            secs[secs.len() * 9 / 10],
            secs[secs.len() * 99 / 100],
            secs[secs.len() - 1],
        );
    }
}

/// Generation speed, for sizing the ingestion benchmark; run with `--release --ignored --nocapture`.
#[test]
#[ignore]
fn print_throughput() {
    let mut f = Fleet::new(9);
    let started = std::time::Instant::now();
    let mut bytes = 0;
    let mut spans = 0;
    for i in 0..200 {
        let request = f.export_request(NOW + i * SEC, 100);
        spans += request
            .resource_spans
            .iter()
            .flat_map(|rs| rs.scope_spans.iter())
            .map(|ss| ss.spans.len())
            .sum::<usize>();
        bytes += encode(&request).len();
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "20,000 interactions, {spans} spans, {:.1} MB encoded in {elapsed:.2} s: {:.0} interactions/s, {:.1} KB each",
        bytes as f64 / 1e6,
        20_000.0 / elapsed,
        bytes as f64 / 20_000.0 / 1e3
    );
}
