//! The detector runs on whatever agents emit, inline: it must never panic, must return
//! sorted findings on char boundaries, and must stay linear on hostile input (thousands
//! of frames whose guards reject them, long runs of anchors, no spaces at all).

use std::time::{Duration, Instant};

use warden_inference::{Attribute, Detector};

/// Pieces that sit on the patterns' edges: subjects, links, hedges, values that guards
/// reject, possessives, quotes, multi-byte chars.
const FRAGMENTS: &[&str] = &[
    "the candidate",
    " is",
    " probably",
    " a",
    " woman",
    "'s",
    " women's",
    " male-",
    "dominated",
    " 45",
    " years",
    " old",
    " in her",
    " 40s",
    " Hispanic",
    " Heritage",
    " of",
    " descent",
    " Gender:",
    " female",
    "\"age\": ",
    "41",
    " the name",
    " suggests",
    ", who",
    " and",
    " or",
    " whether",
    " not",
    " told us",
    " she",
    " is",
    "é",
    "—",
    "😀",
    "\n",
    ".",
    ",",
    ";",
    "'",
    "“",
    " Mr.",
    " Okafor",
    " born",
    " 1968",
    " elderly",
    " customer",
    " segment",
    "-year-old",
];

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn check(detector: &Detector, text: &str) {
    let found = detector.detect(text);
    for i in &found {
        assert!(i.start < i.end && i.end <= text.len(), "{i:?} in {text:?}");
        assert!(text.is_char_boundary(i.start) && text.is_char_boundary(i.end));
    }
    assert!(found.windows(2).all(|w| w[0].start <= w[1].start));
    let only_age = detector.detect_only(text, &[Attribute::Age]);
    assert!(only_age.iter().all(|i| i.attribute == Attribute::Age));
}

#[test]
fn random_fragment_soup_never_panics() {
    let detector = Detector::new();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for _ in 0..2_000 {
        let text: String = (0..rng.below(40))
            .map(|_| FRAGMENTS[rng.below(FRAGMENTS.len())])
            .collect();
        check(&detector, &text);
    }
}

fn time(detector: &Detector, text: &str) -> Duration {
    let started = Instant::now();
    check(detector, text);
    started.elapsed()
}

/// Doubling the input must not quadruple the time: 8x the input within 24x the time
/// (generous, for a noisy CI machine), on inputs built to make guards reject every match.
#[test]
fn hostile_inputs_stay_linear() {
    let detector = Detector::new();
    let _ = detector.detect("warm up the lazy DFAs: she is probably a woman in her 40s");
    for unit in [
        "the candidate is probably a woman's ",
        "she is 45 minutes ",
        "whether the applicant is male or female ",
        "Hispanic Heritage Month, likely Hispanic Heritage ",
        "the customer's 10-year-old daughter ",
        "woman woman woman woman ",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "é😀—",
    ] {
        let small = unit.repeat(2_000 / unit.len() + 1);
        let large = unit.repeat(16_000 / unit.len() + 1);
        let (t_small, t_large) = (time(&detector, &small), time(&detector, &large));
        println!("{unit:?}: {t_small:?} for 2 KB, {t_large:?} for 16 KB");
        assert!(
            t_large <= t_small * 24 + Duration::from_millis(20),
            "{unit:?}: {t_small:?} for 2 KB, {t_large:?} for 16 KB"
        );
    }
}
