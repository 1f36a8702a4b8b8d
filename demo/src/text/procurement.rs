//! The procurement agent's bank: purchase orders, supplier prices, budgets and certificates.

use super::{Bank, Intent, call, tool};

pub(crate) const PROCUREMENT: Bank = Bank {
    system: "You are Northwind's procurement assistant. Help colleagues buy from approved suppliers: compare catalogue prices, check budgets and raise purchase orders up to 10,000 EUR. Larger orders and new suppliers need the procurement team. Always quote the PO number and the supplier's lead time.",
    tools: &[
        tool(
            "query_supplier_catalog",
            "Search approved suppliers' catalogues and prices.",
            "supplier catalogue",
            (100, 500),
            r#","account_manager":{"email":"$email","phone":"$phone"}"#,
        ),
        tool(
            "check_budget",
            "Remaining budget for a cost centre and period.",
            "ERP",
            (80, 350),
            "",
        ),
        tool(
            "create_purchase_order",
            "Raise a purchase order.",
            "ERP",
            (200, 800),
            r#","remit_to_iban":"$iban""#,
        ),
        tool(
            "fetch_invoice",
            "Fetch a supplier invoice and its PO.",
            "ERP",
            (120, 600),
            "",
        ),
    ],
    intents: &[
        Intent {
            key: "raise_po",
            asks: &[
                "Order $units units of $item from our preferred supplier.",
                "We need $units $item for the warehouse, please order.",
            ],
            calls: &[
                call(
                    "query_supplier_catalog",
                    r#"{"item":"$item","approved_only":true}"#,
                    r#"{"offers":[{"supplier":"$supplier","part_no":"$part","unit_price":$unit_price,"currency":"EUR","lead_time_days":$lead_days}]}"#,
                ),
                call(
                    "check_budget",
                    r#"{"cost_centre":"$dept","period":"$quarter"}"#,
                    r#"{"cost_centre":"$dept","remaining":$m1,"currency":"EUR"}"#,
                ),
                call(
                    "create_purchase_order",
                    r#"{"supplier":"$supplier","item":"$item","quantity":$units,"unit_price":$unit_price,"cost_centre":"$dept"}"#,
                    r#"{"po_number":"$po","status":"sent_to_supplier"}"#,
                ),
            ],
            answers: &[
                "Done: PO $po is raised with $supplier for $units $item (their part no. $part) at EUR $unit_price each, charged to $dept. Their lead time is $lead_days days; you'll get the delivery confirmation by e-mail.",
            ],
        },
        Intent {
            key: "compare_prices",
            asks: &[
                "Compare prices for $item across our approved suppliers.",
                "Who's cheapest for $item?",
            ],
            calls: &[call(
                "query_supplier_catalog",
                r#"{"item":"$item","approved_only":true}"#,
                r#"{"offers":[{"supplier":"$supplier","unit_price":$unit_price,"lead_time_days":$lead_days},{"supplier":"$supplier2","unit_price":$unit_price2,"lead_time_days":$lead_days2}]}"#,
            )],
            answers: &[
                "For $item: $supplier charges EUR $unit_price per unit with a $lead_days-day lead time, and $supplier2 charges EUR $unit_price2 with $lead_days2 days. Factor in the lead time if the stock is needed before month end.",
            ],
        },
        Intent {
            key: "po_status",
            asks: &["What's the status of $po?", "Has $po been delivered?"],
            calls: &[call(
                "fetch_invoice",
                r#"{"po_number":"$po"}"#,
                r#"{"po_number":"$po","supplier":"$supplier","status":"partially_received","received_units":$c1,"invoice":"$invoice"}"#,
            )],
            answers: &[
                "$po from $supplier is partially received ($c1 units so far) and has been invoiced under $invoice. The rest is due with the next delivery.",
            ],
        },
        Intent {
            key: "budget_left",
            asks: &[
                "Do we have budget left in $dept for $quarter?",
                "How much can $dept still spend this quarter?",
            ],
            calls: &[call(
                "check_budget",
                r#"{"cost_centre":"$dept","period":"$quarter"}"#,
                r#"{"cost_centre":"$dept","budget":$m1,"committed":$m2,"remaining":$m_left}"#,
            )],
            answers: &[
                "$dept has EUR $m_left left in $quarter (budget EUR $m1, committed EUR $m2). Open POs count as committed, so that remaining figure is what you can actually spend.",
            ],
        },
        Intent {
            key: "invoice_mismatch",
            asks: &[
                "Invoice $invoice doesn't match $po. What's different?",
                "Why doesn't $invoice line up with $po?",
            ],
            calls: &[call(
                "fetch_invoice",
                r#"{"invoice_number":"$invoice","include_po":true}"#,
                r#"{"invoice_number":"$invoice","po":"$po","invoice_units":$units,"po_units":$units2,"unit_price_invoice":$unit_price,"unit_price_po":$unit_price}"#,
            )],
            answers: &[
                "$invoice bills $units units but $po was for $units2; the unit price matches. Either there was a second delivery or the invoice is wrong, so check the goods receipt before approving.",
            ],
        },
        Intent {
            key: "approved_suppliers",
            asks: &[
                "Which suppliers are approved for packaging materials?",
                "Approved vendors for packaging?",
            ],
            calls: &[call(
                "query_supplier_catalog",
                r#"{"category":"packaging","approved_only":true}"#,
                r#"{"suppliers":["$supplier","$supplier2"]}"#,
            )],
            answers: &[
                "For packaging we have two approved suppliers: $supplier and $supplier2. Both are FSC certified; $supplier has the shorter lead times.",
            ],
        },
        Intent {
            key: "draft_rfq",
            asks: &[
                "Draft an RFQ for $units recycled shipping boxes.",
                "Write an RFQ for $units boxes, 40x30x20.",
            ],
            calls: &[],
            answers: &[
                "Draft RFQ: Northwind Outfitters requests a quotation for $units recycled corrugated shipping boxes (40 x 30 x 20 cm, single wall, FSC certified, printed one colour). Please quote unit price, lead time, minimum order and delivery to our Leeds warehouse by $due_date.",
            ],
        },
        Intent {
            key: "certificate_check",
            asks: &[
                "Is $supplier's ISO 14001 certificate still valid?",
                "Check $supplier's environmental certification.",
            ],
            calls: &[call(
                "query_supplier_catalog",
                r#"{"supplier":"$supplier","include":["certificates"]}"#,
                r#"{"supplier":"$supplier","certificates":[{"type":"ISO 14001","valid_until":"$due_date"}]}"#,
            )],
            answers: &[
                "$supplier's ISO 14001 certificate is valid until $due_date. It expires soon, so I'd ask for the renewal audit date.",
            ],
        },
        Intent {
            key: "contract_renewal",
            asks: &[
                "Can we renew the annual contract with $supplier at the same price?",
                "Renew $supplier for another year?",
            ],
            calls: &[call(
                "query_supplier_catalog",
                r#"{"supplier":"$supplier","include":["contract"]}"#,
                r#"{"supplier":"$supplier","contract":"$contract","annual_value":$m1,"renewal_date":"$due_date"}"#,
            )],
            answers: &[
                "$contract with $supplier (EUR $m1 a year) renews on $due_date. Renewals above 10,000 EUR need the procurement team, so I've noted your request to keep the same price; expect them to ask for a 3% index increase.",
            ],
        },
    ],
    pii_sentences: &[
        "Their account manager is on $phone or $email.",
        "Payment goes to $iban according to the supplier record.",
    ],
    attachments: &["[attachment: supplier_catalogue_full_2026.xlsx, 22 MB]"],
    documents: &[],
    failure_reply: "The request failed because the model provider returned an error. Nothing was ordered.",
    human_queue: "Procurement",
    human_topic: "this order",
    assesses_people: false,
};
