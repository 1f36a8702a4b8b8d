//! Slot values for the templates, drawn once per interaction and then reused.
//!
//! Memoising is what keeps an interaction coherent: the `$order` in the question, in the tool's
//! arguments and in the answer are the same order. Dates are relative to the interaction's clock
//! so that a "last scan on ..." is always a few days ago, whatever `now` the caller passes.

use rand::Rng;
use rand::rngs::StdRng;

use crate::fake::{self, pick};
use crate::text::HR_FACTS;

const NANOS_PER_DAY: u64 = 86_400 * 1_000_000_000;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The civil date (year, month 1-12, day 1-31) of a day counted from 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Howard Hinnant's algorithm: shift to an era starting 0000-03-01 so leap days end the year.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn iso_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn month_name(m: u32) -> &'static str {
    MONTHS[(m.clamp(1, 12) - 1) as usize]
}

/// Monday = 0; 1970-01-01 was a Thursday.
fn weekday(days: i64) -> usize {
    (days + 3).rem_euclid(7) as usize
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn money(cur: &str, cents: u64) -> String {
    format!("{cur}{}.{:02}", thousands(cents / 100), cents % 100)
}

/// Short form of a large amount, as people say it: 1.42M, 412.6k.
fn short_money(cur: &str, value: f64) -> String {
    if value >= 1_000_000.0 {
        format!("{cur}{:.2}M", value / 1_000_000.0)
    } else if value >= 1_000.0 {
        format!("{cur}{:.1}k", value / 1_000.0)
    } else {
        format!("{cur}{value:.2}")
    }
}

const PRODUCTS: &[&str] = &[
    "Trailblazer 45L backpack",
    "Cairn waterproof shell jacket",
    "Merino 200 crew base layer",
    "Ridgeline hiking boots",
    "Fellrunner trail shoes",
    "Summit down jacket",
    "Bothy 2-person tent",
    "Glen softshell trousers",
    "Kestrel fleece hoodie",
    "Tarn insulated vest",
    "Scree gaiters",
    "Nordic trekking poles",
    "Corrie sleeping bag",
    "Heather wool beanie",
    "Stormline rain trousers",
];
const COMPANIES: &[&str] = &[
    "Brightline Logistics",
    "Kestrel Health",
    "Harbour & Vale Outdoor",
    "Peakside Adventures",
    "Moorland Rescue Trust",
    "Copperleaf Hotels",
    "Northgate County Council",
    "Alpenweg Sport GmbH",
    "Fjellstua AS",
    "Lakeland Field Studies",
];
const SUPPLIERS: &[&str] = &[
    "Ostfold Textiles",
    "Greenpack Solutions",
    "Meridian Freight",
    "Baltic Zip Co.",
    "Sorrento Fabrics",
    "Kranz Verpackung GmbH",
    "Pacific Outsole Ltd",
    "Label & Loop",
];
const ITEMS: &[&str] = &[
    "recycled shipping boxes (40x30x20 cm)",
    "thermal label rolls",
    "warehouse hand scanners",
    "compostable mailer bags",
    "pallet wrap rolls",
    "YKK zip pulls",
    "care-label tags",
];

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
        let (year, month, _) = civil_from_days(self.today);
        let today = self.today;
        let v = match name {
            // Personal data, remembered so `has_pii` can be computed from the finished trace.
            "email" | "phone" | "card" | "iban" | "ssn" | "ip" => {
                let v = match name {
                    "email" => fake::email(rng),
                    "phone" => fake::phone(rng),
                    "card" => fake::card_number(rng),
                    "iban" => fake::iban(rng),
                    "ssn" => fake::ssn(rng),
                    _ => fake::ipv4(rng),
                };
                self.pii.push(v.clone());
                v
            }
            // Identifiers.
            "order" => format!(
                "ORD-{}-{:06}",
                year - rng.random_range(0..2),
                rng.random_range(1..999_999)
            ),
            "invoice" | "invoice2" => format!("INV-{year}-{:04}", rng.random_range(1..9999)),
            "refund" => format!("RF-{:08}", rng.random_range(10_000_000..99_999_999)),
            "ticket" => format!("CS-{:06}", rng.random_range(100_000..999_999)),
            "inc" => format!("INC{:07}", rng.random_range(10_000..999_999)),
            "kb" => format!("KB-{:04}", rng.random_range(1000..9999)),
            "handoff" => format!("ESC-{:05}", rng.random_range(10_000..99_999)),
            "quote" => format!("Q-{year}-{:04}", rng.random_range(1..9999)),
            "po" => format!("PO-{year}-{:05}", rng.random_range(1..99_999)),
            "contract" => format!(
                "{}-{year}-{:03}",
                pick(rng, &["MSA", "SOW", "SLA", "LIC"], "MSA"),
                rng.random_range(1..400)
            ),
            "req" => format!("REQ-{year}-{:03}", rng.random_range(1..400)),
            "cand" | "cand2" | "cand3" => format!("C-{:05}", rng.random_range(10_000..99_999)),
            "account" | "account2" => format!("ACC-{:07}", rng.random_range(1_000_000..9_999_999)),
            "asset" => format!("LT-{:05}", rng.random_range(1000..99_999)),
            "contact" => format!("003{}", fake::alnum(rng, 15)),
            "lead" => format!("00Q{}", fake::alnum(rng, 15)),
            "meeting" => format!("mtg_{}", fake::hex(rng, 12)),
            "message_id" => format!("msg_{}", fake::hex(rng, 16)),
            "txn" | "txn2" => format!("BT{}", rng.random_range(1_000_000_000u64..9_999_999_999)),
            "review" => format!("REV-{:05}", rng.random_range(10_000..99_999)),
            "employee" => format!("EMP-{:05}", rng.random_range(10_000..99_999)),
            "sku" => format!(
                "NW-{:05}-{}-{}",
                rng.random_range(10_000..99_999),
                pick(rng, &["BLK", "NVY", "OLV", "RST", "GRY"], "BLK"),
                pick(rng, &["S", "M", "L", "XL"], "M")
            ),
            "part" => fake::part_number(rng),
            "last4" => format!("{:04}", rng.random_range(0..10_000)),
            "gift_card" => fake::gift_card(rng),
            "promo" => pick(
                rng,
                &["TRAIL15", "WINTER20", "WELCOME10", "SPRING25", "FELL10"],
                "TRAIL15",
            )
            .to_string(),
            "carrier" => {
                pick(rng, &["DHL", "UPS", "DPD", "Royal Mail", "FedEx"], "DHL").to_string()
            }
            "tracking" => {
                let carrier = self.get(rng, "carrier").unwrap_or_default();
                fake::tracking_number(rng, &carrier)
            }
            // Money.
            "cur" => pick(rng, &["€", "€", "£", "£", "$"], "€").to_string(),
            "amount" | "amount2" => {
                let cur = self.currency(rng);
                money(&cur, rng.random_range(1_500..48_000))
            }
            "big_amount" => {
                let cur = self.currency(rng);
                money(&cur, rng.random_range(120_000..9_800_000))
            }
            // Each of m1 > m2 > m3 is a fraction of the one before, so "top 3" lists come out
            // sorted and a department's spend stays near its budget.
            "m1" => format!("{:.2}", rng.random_range(300_000.0..2_500_000.0)),
            "m2" => format!(
                "{:.2}",
                self.float(rng, "m1") * rng.random_range(0.55..0.97)
            ),
            "m3" => format!("{:.2}", self.float(rng, "m2") * rng.random_range(0.4..0.9)),
            "m_left" => format!("{:.2}", self.float(rng, "m1") - self.float(rng, "m2")),
            "a1" | "a2" => format!("{:.2}", rng.random_range(45.0..160.0)),
            "salary_min" => {
                let cur = self.currency(rng);
                format!("{cur}{},000", rng.random_range(55..80))
            }
            "salary_max" => {
                let min = self.get(rng, "salary_min").unwrap_or_default();
                let k: u32 = min
                    .trim_end_matches(",000")
                    .trim_start_matches(|c: char| !c.is_ascii_digit())
                    .parse()
                    .unwrap_or(60);
                let cur = self.currency(rng);
                format!("{cur}{},000", k + 20)
            }
            "salary" => {
                let min = self.get(rng, "salary_min").unwrap_or_default();
                let k: u32 = min
                    .trim_end_matches(",000")
                    .trim_start_matches(|c: char| !c.is_ascii_digit())
                    .parse()
                    .unwrap_or(60);
                let cur = self.currency(rng);
                format!("{cur}{},000", k + rng.random_range(0..=20))
            }
            "unit_price" => format!("{:.2}", rng.random_range(0.35..48.0)),
            "unit_price2" => {
                let base = self.float(rng, "unit_price");
                format!("{:.2}", base * rng.random_range(0.88..1.15))
            }
            // Counts and rates, with human-readable twins (`_h`) that agree with them.
            "c1" => rng.random_range(800..60_000).to_string(),
            "c2" => ((self.float(rng, "c1") * rng.random_range(0.85..1.2)) as u64).to_string(),
            "r1" => format!("{:.4}", rng.random_range(0.02..0.35)),
            "r2" => format!("{:.4}", self.float(rng, "r1") * rng.random_range(0.5..0.97)),
            // Server-side query time: less than the tool call that waits for it.
            "elapsed" => rng.random_range(60..280).to_string(),
            "delay" => format!("{:.1}", rng.random_range(1.5..9.5)),
            "lines" => rng.random_range(8..140).to_string(),
            "score" => rng.random_range(72..96).to_string(),
            "score2" => (self.int(rng, "score") - rng.random_range(2..12)).to_string(),
            "score3" => (self.int(rng, "score2") - rng.random_range(2..15)).to_string(),
            "units" => (rng.random_range(5..200) * 10).to_string(),
            "units2" => {
                let units = self.int(rng, "units");
                (units - rng.random_range(1..=(units / 20).max(1)) * 10)
                    .max(10)
                    .to_string()
            }
            "lead_days" | "lead_days2" => rng.random_range(3..35).to_string(),
            "stock" => rng.random_range(5..240).to_string(),
            "qty" => rng.random_range(1..4).to_string(),
            "position" => rng.random_range(1..9).to_string(),
            "minutes" => rng.random_range(2..16).to_string(),
            "days" => rng.random_range(3..11).to_string(),
            "disk" => rng.random_range(3..15).to_string(),
            "attempts" => rng.random_range(3..10).to_string(),
            "notice" => rng.random_range(2..13).to_string(),
            "team" => rng.random_range(3..13).to_string(),
            "years" => rng.random_range(2..16).to_string(),
            "grad_year" => {
                let years = self.int(rng, "years");
                (year - years - rng.random_range(0..4)).to_string()
            }
            "employees" => rng.random_range(40..8000).to_string(),
            "shops" => rng.random_range(2..26).to_string(),
            "priority" => pick(rng, &["normal", "normal", "high"], "normal").to_string(),
            // Dates, relative to the interaction's clock.
            "date" => iso_date(today - rng.random_range(2..21)),
            "date2" => iso_date(today - rng.random_range(0..2)),
            "date_h" => {
                let (_, m, d) = civil_from_days(today - rng.random_range(1..7));
                format!("{d} {}", month_name(m))
            }
            "due_date" => iso_date(today + rng.random_range(3..31)),
            "month" => month_name(month % 12 + 1).to_string(),
            "month_start" => format!("{year:04}-{month:02}-01"),
            "prev_month_start" => {
                let (y, m) = if month == 1 {
                    (year - 1, 12)
                } else {
                    (year, month - 1)
                };
                format!("{y:04}-{m:02}-01")
            }
            "week_start" => iso_date(today - weekday(today) as i64 - 7),
            "quarter" => {
                let q = (month - 1) / 3;
                if q == 0 {
                    format!("Q4 {}", year - 1)
                } else {
                    format!("Q{q} {year}")
                }
            }
            "year" => year.to_string(),
            "time_h" => {
                let secs = self
                    .secs_of_day
                    .saturating_sub(rng.random_range(600..10_800));
                format!("{:02}:{:02} UTC", secs / 3600, secs / 60 % 60)
            }
            "meeting_time" => {
                let mut day = today + rng.random_range(5..10);
                while weekday(day) >= 5 {
                    day += 1;
                }
                let (_, m, d) = civil_from_days(day);
                format!(
                    "{} {d} {} at {}",
                    WEEKDAYS[weekday(day)],
                    month_name(m),
                    pick(rng, &["09:30", "10:00", "11:30", "14:00", "15:30"], "10:00")
                )
            }
            "version" => format!("4.{}.{}", rng.random_range(8..15), rng.random_range(0..6)),
            "version_prev" => {
                let v = self.get(rng, "version").unwrap_or_default();
                let minor: u32 = v
                    .split('.')
                    .nth(1)
                    .and_then(|m| m.parse().ok())
                    .unwrap_or(9);
                format!("4.{}.{}", minor.saturating_sub(1), rng.random_range(0..6))
            }
            "os" => pick(
                rng,
                &[
                    "macOS 15.3",
                    "macOS 14.7",
                    "Windows 11 24H2",
                    "Windows 11 23H2",
                ],
                "macOS 15.3",
            )
            .to_string(),
            // Vocabulary.
            "product" => pick(rng, PRODUCTS, "Trailblazer 45L backpack").to_string(),
            "product2" => self.distinct(rng, PRODUCTS, "product"),
            "size" => pick(rng, &["S", "M", "L", "XL", "XXL"], "M").to_string(),
            "warehouse" => pick(rng, &["Leeds DC", "Venlo DC", "Reno DC"], "Leeds DC").to_string(),
            "country" => pick(
                rng,
                &[
                    "Norway",
                    "Switzerland",
                    "Ireland",
                    "the United States",
                    "Canada",
                    "Iceland",
                    "Austria",
                ],
                "Ireland",
            )
            .to_string(),
            "city" => pick(
                rng,
                &[
                    "Manchester",
                    "Leeds",
                    "Bristol",
                    "Munich",
                    "Lyon",
                    "Rotterdam",
                    "Denver",
                    "Glasgow",
                    "Utrecht",
                ],
                "Leeds",
            )
            .to_string(),
            "company" => pick(rng, COMPANIES, "Brightline Logistics").to_string(),
            "region" => pick(
                rng,
                &[
                    "the Nordics",
                    "DACH",
                    "Benelux",
                    "Scotland",
                    "the Pacific Northwest",
                    "Ireland",
                ],
                "DACH",
            )
            .to_string(),
            "event" => pick(
                rng,
                &[
                    "Peak District Ultra",
                    "Cairngorms Trail 50",
                    "Lakeland Fell Relay",
                    "Black Forest Trail Run",
                ],
                "Peak District Ultra",
            )
            .to_string(),
            "supplier" => pick(rng, SUPPLIERS, "Ostfold Textiles").to_string(),
            "supplier2" => self.distinct(rng, SUPPLIERS, "supplier"),
            "item" => pick(rng, ITEMS, "thermal label rolls").to_string(),
            "dept" => pick(
                rng,
                &[
                    "Customer Service",
                    "Logistics",
                    "Marketing",
                    "IT",
                    "Retail Operations",
                ],
                "Logistics",
            )
            .to_string(),
            "role" => pick(
                rng,
                &[
                    "Senior Backend Engineer",
                    "Data Engineer",
                    "Warehouse Team Lead",
                    "Product Designer",
                    "Customer Service Manager",
                    "Platform Engineer",
                ],
                "Data Engineer",
            )
            .to_string(),
            "skill" => pick(
                rng,
                &[
                    "Rust",
                    "Python",
                    "Go",
                    "Kafka",
                    "dbt",
                    "TypeScript",
                    "warehouse management systems",
                ],
                "Python",
            )
            .to_string(),
            "service" => pick(
                rng,
                &[
                    "Jira",
                    "Confluence",
                    "Slack",
                    "GitLab",
                    "Google Drive",
                    "Zoom",
                    "Workday",
                    "Okta",
                ],
                "Jira",
            )
            .to_string(),
            "device" => pick(
                rng,
                &[
                    "MacBook Pro 14 (M3)",
                    "MacBook Air 13 (M2)",
                    "Dell Latitude 7440",
                    "Lenovo ThinkPad T14",
                ],
                "Dell Latitude 7440",
            )
            .to_string(),
            "software" => pick(
                rng,
                &[
                    "Docker Desktop",
                    "Tableau Desktop",
                    "DBeaver",
                    "Figma",
                    "Postman",
                    "Visual Studio Code",
                ],
                "DBeaver",
            )
            .to_string(),
            "repo" => pick(
                rng,
                &[
                    "retail-platform/checkout-service",
                    "data/dbt-analytics",
                    "mobile/northwind-app",
                    "infra/terraform-live",
                ],
                "data/dbt-analytics",
            )
            .to_string(),
            "campaign" => pick(
                rng,
                &[
                    "Autumn Layers",
                    "Winter Trail Sale",
                    "Spring Into the Hills",
                    "Trail Club Double Points",
                    "Black Friday Early Access",
                ],
                "Autumn Layers",
            )
            .to_string(),
            "facts" => {
                let first = pick(rng, HR_FACTS, "");
                let mut second = pick(rng, HR_FACTS, "");
                if second == first {
                    second = "";
                }
                let a = self.fill(rng, first);
                let b = self.fill(rng, second);
                if b.is_empty() { a } else { format!("{a} {b}") }
            }
            _ => return self.human(rng, name),
        };
        Some(v)
    }

    /// `x_h` slots: the human-readable form of the numeric slot `x`.
    fn human(&mut self, rng: &mut StdRng, name: &str) -> Option<String> {
        let base = name.strip_suffix("_h")?;
        let value = self.get(rng, base)?;
        let cur = self.currency(rng);
        let n: f64 = value.parse().ok()?;
        Some(match base {
            "m1" | "m2" | "m3" => short_money(&cur, n),
            "a1" | "a2" => money(&cur, (n * 100.0).round() as u64),
            "c1" | "c2" => thousands(n as u64),
            "r1" | "r2" => format!("{:.1}%", n * 100.0),
            _ => return None,
        })
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
