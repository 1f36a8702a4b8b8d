//! Scanner throughput over a realistic agent-traffic corpus, built in code so the figure
//! is reproducible: support chat turns, JSON tool results full of ids, amounts and dates,
//! structured log lines, OTel attributes, some German/French/Spanish text, and about one
//! piece of PII per 2 KB.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use warden_pii::{CustomPattern, Scanner};

/// A tiny deterministic generator: the corpus must be the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const CHAT: &[&str] = &[
    "Hi there! I ordered a blue rain jacket last week and it still hasn't arrived. The tracking page says it left the warehouse on Monday but nothing since. Can you check what's going on?",
    "Thanks for reaching out. I've looked up your order and it looks like the parcel was delayed at the regional sorting centre because of the storm. It should be delivered within 2-3 business days.",
    "I was charged twice for the same subscription this month, once on the 3rd and again on the 5th. Could you refund the duplicate payment? I've attached a screenshot of my bank statement.",
    "I'm sorry about the double charge. I can see both transactions on our side; the second one has been reversed and you should see the refund in 5 to 7 business days depending on your bank.",
    "Can I change the delivery address for my order? I'm moving next week and won't be at the old place anymore. The new flat is just two streets away, if that helps.",
    "Sure, I've updated the shipping address. Since the order hasn't been packed yet, the change will apply to this shipment. You'll get a confirmation email shortly.",
    "The app keeps crashing when I try to upload a photo of the receipt. I'm on version 4.12.1 on Android 14. I already tried reinstalling it and clearing the cache.",
    "Thanks, that's helpful. Our engineers are aware of a crash affecting image uploads on some Android 14 devices; a fix ships in the next release. Meanwhile you can upload the receipt from the web portal.",
    "Hallo, ich habe gestern eine Bestellung aufgegeben, aber noch keine Bestätigung erhalten. Können Sie bitte nachsehen, ob alles in Ordnung ist? Vielen Dank für Ihre Hilfe!",
    "Bonjour, je souhaiterais annuler ma commande passée hier soir, car j'ai choisi la mauvaise taille. Est-ce encore possible avant l'expédition ? Merci d'avance 🙏",
    "Hola, el paquete llegó dañado y faltan dos artículos. ¿Podrían enviarme los productos que faltan o hacer un reembolso parcial? Gracias por su atención.",
    "Let me summarise: the replacement will ship today by express courier, the return label is in your inbox, and there's nothing else you need to do on your side. 😊",
];

const TOOL_RESULTS: &[&str] = &[
    r#"{"order_id":"ORD-2024-{N6}","status":"shipped","created_at":"2024-01-15T10:30:00Z","amount":{"value":{AMT},"currency":"EUR"},"items":[{"sku":"SKU-448-2291-XL","qty":2,"unit_price":49.90},{"sku":"SKU-112-0034-M","qty":1,"unit_price":19.99}],"carrier":"UPS","tracking":"1Z999AA10123456784","warehouse":"FRA-3"}"#,
    r#"{"invoice":"INV-2024-{N4}","customer_id":{N9},"lines":3,"subtotal":"$1,234.56","tax":"$98.76","total":"$1,333.32","due":"2024-02-14","paid":false,"terms":"NET30","notes":null}"#,
    r#"{"ticket":{"id":{N6},"priority":"normal","tags":["shipping","delay"],"opened":"2024-01-16 08:12:44","sla_minutes":240,"assignee":"tier1-queue","uuid":"550e8400-e29b-41d4-a716-446655440000"}}"#,
    r#"{"search":{"query":"rain jacket blue","took_ms":{N3},"hits":[{"product_id":"P-{N6}","score":0.8731,"price":"79.00"},{"product_id":"P-{N6}","score":0.7712,"price":"64.50"}]}}"#,
    r#"{"refund":{"id":"re_{N9}","status":"pending","amount":1999,"currency":"usd","reason":"duplicate","created":1705312200,"balance_transaction":"txn_{N9}"}}"#,
];

const LOGS: &[&str] = &[
    "2024-01-15T10:30:{S}.123Z INFO  agent=support-bot-3 span=4bf92f3577b34da6a3ce929d0e0e4736 latency_ms={N3} tokens_in={N4} tokens_out={N3} model=gpt-4o-2024-08-06 status=200",
    "2024-01-15T10:30:{S}.456Z DEBUG tool=orders.lookup args={\"order_id\":\"ORD-2024-{N6}\"} duration=0.{N3}s cache=miss retries=0",
    "2024-01-15T10:31:{S}.789Z WARN  rate limit approaching: 4512/5000 requests in window, backoff=250ms region=eu-west-1",
    "2024-01-15T10:31:{S}.001Z INFO  http.request method=POST path=/v1/chat/completions status=200 bytes=18234 upstream=api-gateway-7 trace_id=a3ce929d0e0e47364bf92f3577b34da6",
    "2024-01-15T10:32:{S}.314Z ERROR tool=payments.refund error=\"card_declined\" code=402 attempt=2/3 next_retry_in=30s",
];

const OTEL: &[&str] = &[
    r#"{"resource":{"service.name":"support-agent","service.version":"2.14.3","host.name":"agent-worker-12","process.pid":{N4},"process.runtime.version":"20.11.0","telemetry.sdk.version":"1.21.0"}}"#,
    r#"{"span":{"name":"chat gpt-4o","kind":"CLIENT","attributes":{"gen_ai.system":"openai","gen_ai.request.model":"gpt-4o","gen_ai.usage.input_tokens":{N4},"gen_ai.usage.output_tokens":{N3},"gen_ai.request.temperature":0.2,"gen_ai.request.max_tokens":1024}}}"#,
];

const PII: &[&str] = &[
    "Please reach me at maria.gonzalez@example.com if anything changes.",
    "My number is +44 20 7946 0958, call after 5pm.",
    "You can also try (202) 555-0143 during office hours.",
    "Card on file: 4111 1111 1111 1111, exp 09/27.",
    "Refund to IBAN DE89 3704 0044 0532 0130 00 please.",
    "client_ip=203.0.113.45 user_agent=\"Mozilla/5.0\"",
    r#"{"process.command_args":["node","gateway.js","--token","gw_5a1b2c3d4e5f6a7b8c9d"]}"#,
    "SSN for the tax form: 536-22-1234.",
    "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
];

fn fill(template: &str, rng: &mut Rng) -> String {
    let mut out = template.to_string();
    for (placeholder, digits) in [
        ("{N3}", 3),
        ("{N4}", 4),
        ("{N6}", 6),
        ("{N9}", 9),
        ("{S}", 2),
    ] {
        while let Some(at) = out.find(placeholder) {
            let value = format!(
                "{:0width$}",
                rng.below(10u64.pow(digits)),
                width = digits as usize
            );
            out.replace_range(at..at + placeholder.len(), &value);
        }
    }
    while let Some(at) = out.find("{AMT}") {
        let value = format!("{}.{:02}", rng.below(2000), rng.below(100));
        out.replace_range(at..at + 5, &value);
    }
    out
}

/// About 4 MB of mixed agent traffic with roughly one finding per 2 KB.
fn corpus() -> Vec<String> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut spans = Vec::new();
    let mut total = 0;
    let mut since_pii = 0;
    while total < 4 << 20 {
        let kind = rng.below(10);
        let mut span = match kind {
            0..=3 => fill(rng.pick(CHAT), &mut rng),
            4..=6 => fill(rng.pick(TOOL_RESULTS), &mut rng),
            7..=8 => fill(rng.pick(LOGS), &mut rng),
            _ => fill(rng.pick(OTEL), &mut rng),
        };
        since_pii += span.len();
        if since_pii >= 2048 {
            span.push(' ');
            span.push_str(rng.pick(PII));
            since_pii = 0;
        }
        total += span.len();
        spans.push(span);
    }
    spans
}

fn bench_scan(c: &mut Criterion) {
    let spans = corpus();
    let bytes: usize = spans.iter().map(String::len).sum();
    let plain = Scanner::new(&[]).unwrap_or_else(|e| panic!("built-in scanner: {e}"));
    let with_custom = Scanner::new(&[CustomPattern {
        name: "employee_id".into(),
        regex: r"\bEMP-\d{6}\b".into(),
    }])
    .unwrap_or_else(|e| panic!("custom pattern: {e}"));
    let found: usize = spans.iter().map(|s| plain.scan(s).len()).sum();
    eprintln!(
        "corpus: {} spans, {bytes} bytes, {found} findings (one per {} bytes)",
        spans.len(),
        bytes / found.max(1)
    );

    let mut group = c.benchmark_group("pii");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("scan_into", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            let mut n = 0;
            for span in &spans {
                plain.scan_into(black_box(span), &mut out);
                n += out.len();
            }
            n
        })
    });
    group.bench_function("scan_into_with_custom_pattern", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            let mut n = 0;
            for span in &spans {
                with_custom.scan_into(black_box(span), &mut out);
                n += out.len();
            }
            n
        })
    });
    group.bench_function("redact", |b| {
        b.iter(|| {
            spans
                .iter()
                .filter_map(|span| plain.redact(black_box(span)))
                .count()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_scan);
criterion_main!(benches);
