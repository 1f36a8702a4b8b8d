//! Model prices and what a span costs.
//!
//! Prices are per million tokens in the currency the vendor bills (US dollars for all the
//! shipped ones) and converted to the configured currency at a configured rate. Each entry
//! is valid from a date, so a price change applies to spans from that day on, and a span's
//! cost is fixed at ingest together with the label of the price it used.

use super::span::TokenUsage;
use crate::timefmt::parse_date;

/// One model's price from a date on.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelPrice {
    /// The model name or the stem of dated variants (`gpt-4o` prices `gpt-4o-2024-08-06`).
    pub model: String,
    pub input_per_million: f64,
    pub output_per_million: f64,
    /// Defaults to the input price when the vendor has no cache discount.
    pub cache_read_per_million: Option<f64>,
    pub cache_write_per_million: Option<f64>,
    /// The ISO code the prices are in; must be `USD` or the table's currency.
    pub currency: String,
    /// Epoch milliseconds (UTC midnight of the configured date).
    pub valid_from: i64,
}

/// A cost fixed at ingest.
#[derive(Debug, Clone, PartialEq)]
pub struct Cost {
    /// Millionths of the table's currency: integers add up exactly over millions of spans.
    pub micros: i64,
    /// `price:<model>@<date>` or `reported:<rate>`: how the figure was reached.
    pub basis: String,
}

/// The prices in force, in one currency.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceTable {
    pub currency: String,
    /// Units of `currency` per US dollar.
    pub usd_rate: f64,
    /// Sorted by model, then by `valid_from`.
    entries: Vec<ModelPrice>,
}

impl PriceTable {
    /// The shipped prices, with configured entries added (a configured model and date
    /// replaces a shipped one).
    pub fn new(currency: &str, usd_rate: f64, configured: Vec<ModelPrice>) -> PriceTable {
        let mut entries = shipped_prices();
        for price in configured {
            entries.retain(|e| !(e.model == price.model && e.valid_from == price.valid_from));
            entries.push(price);
        }
        entries.sort_by(|a, b| a.model.cmp(&b.model).then(a.valid_from.cmp(&b.valid_from)));
        PriceTable {
            currency: currency.to_string(),
            usd_rate,
            entries,
        }
    }

    pub fn entries(&self) -> &[ModelPrice] {
        &self.entries
    }

    /// The price of `model` in force at `at_ms`: the longest stem the name starts with, at
    /// a word boundary, so `gpt-4o-mini` is not priced as `gpt-4o`.
    pub fn price(&self, model: &str, at_ms: i64) -> Option<&ModelPrice> {
        let name = normalise_model(model);
        self.entries
            .iter()
            .filter(|e| e.valid_from <= at_ms && stem_matches(&e.model, &name))
            .max_by(|a, b| {
                a.model
                    .len()
                    .cmp(&b.model.len())
                    .then(a.valid_from.cmp(&b.valid_from))
            })
    }

    /// What a model call cost, from its token counts.
    pub fn cost(&self, model: &str, at_ms: i64, usage: &TokenUsage) -> Option<Cost> {
        if usage.is_empty() {
            return None;
        }
        let price = self.price(model, at_ms)?;
        let rate = self.rate_for(&price.currency)?;
        let input = usage.input.unwrap_or(0).max(0);
        let cache_read = usage.cache_read.unwrap_or(0).clamp(0, input);
        let cache_write = usage.cache_write.unwrap_or(0).clamp(0, input - cache_read);
        // The GenAI conventions count cached tokens inside the input tokens.
        let fresh = input - cache_read - cache_write;
        let output = usage.output.unwrap_or(0).max(0);
        let amount = fresh as f64 * price.input_per_million
            + cache_read as f64
                * price
                    .cache_read_per_million
                    .unwrap_or(price.input_per_million)
            + cache_write as f64
                * price
                    .cache_write_per_million
                    .unwrap_or(price.input_per_million)
            + output as f64 * price.output_per_million;
        // Tokens x price per million is already in millionths of the currency.
        Some(Cost {
            micros: to_micros(amount * rate),
            basis: format!("price:{}@{}", price.model, date_label(price.valid_from)),
        })
    }

    /// A cost the span reported in US dollars.
    pub fn reported_usd(&self, usd: f64) -> Option<Cost> {
        if !usd.is_finite() || usd < 0.0 {
            return None;
        }
        Some(Cost {
            micros: to_micros(usd * self.usd_rate * 1e6),
            basis: format!("reported:USD*{}", self.usd_rate),
        })
    }

    fn rate_for(&self, currency: &str) -> Option<f64> {
        if currency.eq_ignore_ascii_case(&self.currency) {
            Some(1.0)
        } else if currency.eq_ignore_ascii_case("USD") {
            Some(self.usd_rate)
        } else {
            None
        }
    }
}

fn to_micros(amount: f64) -> i64 {
    if amount.is_finite() {
        amount.round().clamp(0.0, i64::MAX as f64) as i64
    } else {
        0
    }
}

fn date_label(ms: i64) -> String {
    crate::timefmt::format_utc_minutes(ms)
        .get(..10)
        .unwrap_or_default()
        .to_string()
}

/// Lowercase, without a vendor path (`openai/gpt-4o`, `models/gemini-2.5-pro`).
fn normalise_model(model: &str) -> String {
    let model = model.trim().to_ascii_lowercase();
    match model.rsplit_once('/') {
        Some((_, name)) => name.to_string(),
        None => model,
    }
}

fn stem_matches(stem: &str, name: &str) -> bool {
    name.strip_prefix(stem)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['-', '@', ':', '.']))
}

/// Formats millionths of a currency for people: `0.0123 EUR`, `0.00000645 EUR`.
pub fn format_cost(micros: i64, currency: &str) -> String {
    format_money(micros as f64 / 1e6, currency)
}

/// Money for people, the one way Warden writes it: cents from 1 up (`12.35 EUR`), three
/// significant digits below (`0.0123 EUR`, `0.00000645 EUR`), so a small cost never reads
/// as zero.
pub fn format_money(amount: f64, currency: &str) -> String {
    if amount == 0.0 || !amount.is_finite() {
        return format!("0 {currency}");
    }
    if amount.abs() >= 1.0 {
        return format!("{amount:.2} {currency}");
    }
    let decimals = (2 - amount.abs().log10().floor() as i32).clamp(2, 12) as usize;
    format!("{amount:.decimals$} {currency}")
}

/// List prices in US dollars per million tokens as the vendors published them (standard
/// tier, no batch discount), valid from 2025-01-01 for the purpose of costing; override or
/// add entries with dates in the config's `pricing.models`.
fn shipped_prices() -> Vec<ModelPrice> {
    /// (model, input, output, cache read, cache write)
    type Row = (&'static str, f64, f64, Option<f64>, Option<f64>);
    const PRICES: &[Row] = &[
        // OpenAI
        ("gpt-5", 1.25, 10.0, Some(0.125), None),
        ("gpt-5-mini", 0.25, 2.0, Some(0.025), None),
        ("gpt-5-nano", 0.05, 0.40, Some(0.005), None),
        ("gpt-4.1", 2.0, 8.0, Some(0.50), None),
        ("gpt-4.1-mini", 0.40, 1.60, Some(0.10), None),
        ("gpt-4.1-nano", 0.10, 0.40, Some(0.025), None),
        ("gpt-4o", 2.50, 10.0, Some(1.25), None),
        ("gpt-4o-mini", 0.15, 0.60, Some(0.075), None),
        ("o3", 2.0, 8.0, Some(0.50), None),
        ("o3-mini", 1.10, 4.40, Some(0.55), None),
        ("o4-mini", 1.10, 4.40, Some(0.275), None),
        ("o1", 15.0, 60.0, Some(7.50), None),
        ("text-embedding-3-small", 0.02, 0.0, None, None),
        ("text-embedding-3-large", 0.13, 0.0, None, None),
        // Anthropic (cache writes at 1.25x input, reads at 0.1x)
        ("claude-opus-4-5", 5.0, 25.0, Some(0.50), Some(6.25)),
        ("claude-opus-4-1", 15.0, 75.0, Some(1.50), Some(18.75)),
        ("claude-opus-4", 15.0, 75.0, Some(1.50), Some(18.75)),
        ("claude-sonnet-4-5", 3.0, 15.0, Some(0.30), Some(3.75)),
        ("claude-sonnet-4", 3.0, 15.0, Some(0.30), Some(3.75)),
        ("claude-3-7-sonnet", 3.0, 15.0, Some(0.30), Some(3.75)),
        ("claude-haiku-4-5", 1.0, 5.0, Some(0.10), Some(1.25)),
        ("claude-3-5-haiku", 0.80, 4.0, Some(0.08), Some(1.0)),
        // Google (prompts up to 200k tokens)
        ("gemini-2.5-pro", 1.25, 10.0, Some(0.31), None),
        ("gemini-2.5-flash", 0.30, 2.50, Some(0.075), None),
        ("gemini-2.5-flash-lite", 0.10, 0.40, Some(0.025), None),
        ("gemini-2.0-flash", 0.10, 0.40, Some(0.025), None),
        // Mistral
        ("mistral-large", 2.0, 6.0, None, None),
        ("mistral-medium", 0.40, 2.0, None, None),
        ("mistral-small", 0.10, 0.30, None, None),
        ("codestral", 0.30, 0.90, None, None),
    ];
    let valid_from = parse_date("2025-01-01").unwrap_or(0);
    PRICES
        .iter()
        .map(|&(model, input, output, read, write)| ModelPrice {
            model: model.to_string(),
            input_per_million: input,
            output_per_million: output,
            cache_read_per_million: read,
            cache_write_per_million: write,
            currency: "USD".into(),
            valid_from,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_keeps_three_significant_digits_below_one() {
        assert_eq!(format_money(0.0, "EUR"), "0 EUR");
        assert_eq!(format_money(1234.5, "EUR"), "1234.50 EUR");
        assert_eq!(format_money(1.0, "EUR"), "1.00 EUR");
        assert_eq!(format_money(0.0123, "EUR"), "0.0123 EUR");
        assert_eq!(format_money(0.5, "EUR"), "0.500 EUR");
        assert_eq!(format_cost(6, "EUR"), "0.00000600 EUR");
        assert_eq!(format_cost(6_450, "EUR"), "0.00645 EUR");
    }

    fn usage(input: i64, output: i64) -> TokenUsage {
        TokenUsage {
            input: Some(input),
            output: Some(output),
            ..TokenUsage::default()
        }
    }

    const NOW: i64 = 1_795_564_800_000;

    #[test]
    fn dated_variants_take_their_stem_and_the_longest_stem_wins() {
        let table = PriceTable::new("USD", 1.0, vec![]);
        assert_eq!(
            table.price("gpt-4o-2024-08-06", NOW).unwrap().model,
            "gpt-4o"
        );
        assert_eq!(
            table.price("gpt-4o-mini", NOW).unwrap().model,
            "gpt-4o-mini"
        );
        assert_eq!(
            table
                .price("claude-sonnet-4-5-20250929", NOW)
                .unwrap()
                .model,
            "claude-sonnet-4-5"
        );
        assert_eq!(table.price("openai/o3-mini", NOW).unwrap().model, "o3-mini");
        assert_eq!(
            table.price("mistral-large-latest", NOW).unwrap().model,
            "mistral-large"
        );
        assert!(table.price("gpt-4oxyz", NOW).is_none());
        assert!(table.price("llama-3-70b", NOW).is_none());
    }

    #[test]
    fn cost_counts_fresh_cached_and_output_tokens_in_the_configured_currency() {
        let table = PriceTable::new("EUR", 0.5, vec![]);
        // gpt-4o: 1000 fresh x 2.50 + 0 + 500 x 10 = 7500 millionths of a dollar.
        let cost = table.cost("gpt-4o", NOW, &usage(1000, 500)).unwrap();
        assert_eq!(cost.micros, 3750);
        assert_eq!(cost.basis, "price:gpt-4o@2025-01-01");
        // 1000 input of which 800 cached: 200 x 2.50 + 800 x 1.25 + 0 = 1500 -> 750 EUR micros.
        let cached = TokenUsage {
            cache_read: Some(800),
            ..usage(1000, 0)
        };
        assert_eq!(table.cost("gpt-4o", NOW, &cached).unwrap().micros, 750);
        assert!(table.cost("gpt-4o", NOW, &TokenUsage::default()).is_none());
    }

    #[test]
    fn a_configured_price_applies_from_its_date_on() {
        let from = parse_date("2026-06-01").unwrap();
        let table = PriceTable::new(
            "USD",
            1.0,
            vec![ModelPrice {
                model: "gpt-4o".into(),
                input_per_million: 1.0,
                output_per_million: 1.0,
                cache_read_per_million: None,
                cache_write_per_million: None,
                currency: "USD".into(),
                valid_from: from,
            }],
        );
        let before = table
            .cost("gpt-4o", from - 1, &usage(1_000_000, 0))
            .unwrap();
        let after = table.cost("gpt-4o", from, &usage(1_000_000, 0)).unwrap();
        assert_eq!(before.micros, 2_500_000);
        assert_eq!(after.micros, 1_000_000);
        assert_eq!(after.basis, "price:gpt-4o@2026-06-01");
    }

    #[test]
    fn a_reported_cost_is_converted() {
        let table = PriceTable::new("EUR", 0.9, vec![]);
        assert_eq!(table.reported_usd(0.01).unwrap().micros, 9000);
        assert!(table.reported_usd(-1.0).is_none());
        assert_eq!(format_cost(9000, "EUR"), "0.00900 EUR");
    }
}
