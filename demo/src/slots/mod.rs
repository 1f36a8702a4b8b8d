//! Slot values for the templates, drawn once per interaction and then reused.
//!
//! Memoising is what keeps an interaction coherent: the `$order` in the question, in the tool's
//! arguments and in the answer are the same order. Dates are relative to the interaction's clock
//! so that a "last scan on ..." is always a few days ago, whatever `now` the caller passes.

mod calendar;
mod identifiers;
mod numbers;
mod vocabulary;

use rand::rngs::StdRng;

use crate::fake::pick;

const NANOS_PER_DAY: u64 = 86_400 * 1_000_000_000;

pub(crate) struct Slots {
    values: Vec<(String, String)>,
    pii: Vec<String>,
    today: i64,
    secs_of_day: u64,
}

impl Slots {
    pub(crate) fn new(now_unix_nanos: u64) -> Slots {
        Slots {
            values: Vec::new(),
            pii: Vec::new(),
            today: (now_unix_nanos / NANOS_PER_DAY) as i64,
            secs_of_day: (now_unix_nanos % NANOS_PER_DAY) / 1_000_000_000,
        }
    }

    pub(crate) fn set(&mut self, name: &str, value: String) {
        if let Some(slot) = self.values.iter_mut().find(|(n, _)| n == name) {
            slot.1 = value;
        } else {
            self.values.push((name.to_string(), value));
        }
    }

    /// The personal data drawn so far; `has_pii` is true when any of it survives into the trace.
    pub(crate) fn pii_values(&self) -> &[String] {
        &self.pii
    }

    pub(crate) fn get(&mut self, rng: &mut StdRng, name: &str) -> Option<String> {
        if let Some((_, v)) = self.values.iter().find(|(n, _)| n == name) {
            return Some(v.clone());
        }
        let value = self.generate(rng, name)?;
        self.set(name, value.clone());
        Some(value)
    }

    /// Replaces every `$slot` in `template`; unknown names stay as written.
    pub(crate) fn fill(&mut self, rng: &mut StdRng, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(pos) = rest.find('$') {
            out.push_str(&rest[..pos]);
            let after = &rest[pos + 1..];
            let len = after
                .bytes()
                .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
                .count();
            let name = &after[..len];
            match (len > 0).then(|| self.get(rng, name)).flatten() {
                Some(value) => out.push_str(&value),
                None => {
                    out.push('$');
                    out.push_str(name);
                }
            }
            rest = &after[len..];
        }
        out.push_str(rest);
        out
    }

    fn currency(&mut self, rng: &mut StdRng) -> String {
        self.get(rng, "cur").unwrap_or_else(|| "€".to_string())
    }

    fn distinct(&mut self, rng: &mut StdRng, list: &[&str], other: &str) -> String {
        let first = self.get(rng, other).unwrap_or_default();
        for _ in 0..8 {
            let candidate = pick(rng, list, "");
            if candidate != first {
                return candidate.to_string();
            }
        }
        pick(rng, list, "").to_string()
    }

    fn int(&mut self, rng: &mut StdRng, name: &str) -> i64 {
        self.get(rng, name)
            .and_then(|v| v.parse().ok())
            .unwrap_or_default()
    }

    fn float(&mut self, rng: &mut StdRng, name: &str) -> f64 {
        self.get(rng, name)
            .and_then(|v| v.parse().ok())
            .unwrap_or_default()
    }

    fn generate(&mut self, rng: &mut StdRng, name: &str) -> Option<String> {
        self.identifier(rng, name)
            .or_else(|| self.amount(rng, name))
            .or_else(|| self.count(rng, name))
            .or_else(|| self.date(rng, name))
            .or_else(|| self.word(rng, name))
            .or_else(|| self.human(rng, name))
    }
}

/// Every slot name the generator knows, for the test that checks the banks.
#[cfg(test)]
pub(crate) fn is_known(rng: &mut StdRng, name: &str) -> bool {
    let mut slots = Slots::new(1_760_000_000_000_000_000);
    for preset in ["conv", "queue", "topic", "system"] {
        slots.set(preset, String::new());
    }
    slots.get(rng, name).is_some()
}

#[cfg(test)]
mod tests {
    use super::calendar::{civil_from_days, weekday};
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn civil_dates_are_right() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(weekday(19_723), 0, "2024-01-01 was a Monday");
    }

    #[test]
    fn slots_are_memoised_and_dependent_slots_agree() {
        let mut rng = StdRng::seed_from_u64(3);
        let mut slots = Slots::new(1_760_000_000_000_000_000);
        let text = slots.fill(
            &mut rng,
            "$order then $order, $carrier $tracking, $m1 = $m1_h",
        );
        let parts: Vec<&str> = text.split(' ').collect();
        assert_eq!(parts[0], parts[2].trim_end_matches(','));
        let carrier = slots.get(&mut rng, "carrier").unwrap_or_default();
        let tracking = slots.get(&mut rng, "tracking").unwrap_or_default();
        if carrier == "UPS" {
            assert!(tracking.starts_with("1Z"));
        }
        assert!(slots.pii_values().is_empty());
        slots.fill(&mut rng, "$email");
        assert_eq!(slots.pii_values().len(), 1);
        assert_eq!(slots.fill(&mut rng, "$nonsense stays"), "$nonsense stays");
    }
}
