//! Personal-data slots, remembered so `has_pii` can be told from the trace, and identifier slots
//! (orders, tickets, invoices, accounts, versions).

use rand::Rng;
use rand::rngs::StdRng;

use super::Slots;
use super::calendar::civil_from_days;
use crate::fake::{self, pick};

impl Slots {
    /// Personal data, and the ids of orders, tickets, accounts and the like.
    pub(super) fn identifier(&mut self, rng: &mut StdRng, name: &str) -> Option<String> {
        let (year, _, _) = civil_from_days(self.today);
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
            _ => return None,
        };
        Some(v)
    }
}
