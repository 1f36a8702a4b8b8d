//! The scanner runs on whatever agents emit, so it must never panic, must always return
//! sorted, disjoint findings on char boundaries, and must stay linear on hostile input
//! (a span made of thousands of `@`, `-----BEGIN` lines or unterminated quotes).

use std::time::{Duration, Instant};

use warden_pii::{CustomPattern, Scanner};

/// Fragments that sit on the detectors' edges: partial formats, separators, multi-byte
/// chars next to triggers, JSON escapes.
const FRAGMENTS: &[&str] = &[
    "0",
    "1",
    "2",
    "4",
    "5",
    "9",
    "00",
    "202",
    "555",
    "0143",
    "4111",
    "1111",
    " ",
    "-",
    ".",
    ",",
    ":",
    "::",
    "/",
    "//",
    "(",
    ")",
    "+",
    "@",
    "_",
    "=",
    "\"",
    "'",
    "\\n",
    "\\",
    "#",
    "$",
    "€",
    "é",
    "ñ",
    "😀",
    "ü",
    "\n",
    "a",
    "Z",
    "DE89",
    "GB82",
    "WEST",
    "AKIA",
    "ASIA",
    "AIza",
    "eyJ",
    "sk-",
    "sk_live_",
    "ghp_",
    "wdn_",
    "xoxb-",
    "Bearer ",
    "password",
    "token",
    "--token",
    "--",
    "-----BEGIN PRIVATE KEY-----",
    "-----END ",
    "mailto:",
    "example.com",
    ".png",
    "://",
    "fe80",
    "ffff",
    "255",
    "127.",
    "v",
    "SSN",
    " is ",
    "mot de passe",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 as usize
    }
}

fn check(scanner: &Scanner, text: &str) {
    let found = scanner.scan(text);
    for w in found.windows(2) {
        assert!(w[0].end <= w[1].start, "overlap in {text:?}: {found:?}");
    }
    for f in &found {
        assert!(
            f.start < f.end && f.end <= text.len(),
            "bad span in {text:?}: {f:?}"
        );
        assert!(
            text.is_char_boundary(f.start) && text.is_char_boundary(f.end),
            "span off a char boundary in {text:?}: {f:?}"
        );
    }
    if let Some(redacted) = scanner.redact(text) {
        assert_eq!(redacted.findings, found);
    }
}

#[test]
fn random_fragment_soup_keeps_the_invariants() {
    let scanner = Scanner::new(&[CustomPattern {
        name: "emp".into(),
        regex: r"EMP-\d+".into(),
    }])
    .unwrap();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for _ in 0..20_000 {
        let len = rng.next() % 24;
        let text: String = (0..len)
            .map(|_| FRAGMENTS[rng.next() % FRAGMENTS.len()])
            .collect();
        check(&scanner, &text);
    }
}

#[test]
fn hostile_inputs_stay_linear() {
    let scanner = Scanner::new(&[]).unwrap();
    let unit = 200_000;
    let inputs = [
        "@".repeat(unit),
        "a@".repeat(unit / 2),
        "a.".repeat(unit / 2) + "@",
        "-----BEGIN PRIVATE KEY-----".repeat(unit / 27),
        "password=\"".repeat(unit / 10),
        "--token ".repeat(unit / 8),
        "1 ".repeat(unit / 2),
        "+1 ".repeat(unit / 3),
        "1.".repeat(unit / 2),
        ":".repeat(unit),
        "1:".repeat(unit / 2),
        "ab:".repeat(unit / 3),
        "https://a:".repeat(unit / 10) + "@",
        "x".repeat(unit) + "@example.com",
        "ghp_".to_string() + &"a".repeat(unit),
        "wdn_".to_string() + &"a".repeat(unit),
        "Bearer ".repeat(unit / 7),
        "eyJ".repeat(unit / 3),
        "sk-".repeat(unit / 3),
        "DE89 ".repeat(unit / 5),
        "😀1".repeat(unit / 5),
    ];
    for text in &inputs {
        let started = Instant::now();
        check(&scanner, text);
        let took = started.elapsed();
        assert!(
            took < Duration::from_secs(3),
            "{took:?} on {:?}…",
            &text[..text.len().min(40)]
        );
    }
}
