//! Word slots: products, companies, suppliers, places, roles, software, and the HR facts.

use rand::rngs::StdRng;

use super::Slots;
use crate::fake::pick;
use crate::text::HR_FACTS;

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

impl Slots {
    /// Products, places, companies, roles, software and the other vocabulary.
    pub(super) fn word(&mut self, rng: &mut StdRng, name: &str) -> Option<String> {
        let v = match name {
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
            _ => return None,
        };
        Some(v)
    }
}
