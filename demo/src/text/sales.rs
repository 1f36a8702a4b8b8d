//! The inbound B2B sales agent's bank: wholesale, corporate gifting, team outfitting and quotes.

use super::{Bank, Intent, call, tool};

pub(crate) const SALES: Bank = Bank {
    system: "You are the inbound sales assistant for Northwind for Business, the B2B arm of Northwind Outfitters (wholesale, corporate gifting and team outfitting). Introduce yourself as an AI assistant in your first reply. Qualify each lead: company, volume, timing, budget and decision maker. Look companies up in the CRM before asking questions they have answered before. Quote only list prices and the published volume tiers (5% from 100 units, 10% from 500, 15% from 2,000); anything else goes to an account manager via a meeting. Offer a call with a human whenever asked.",
    tools: &[
        tool(
            "crm_lookup",
            "Find a company, its contacts and open opportunities in the CRM.",
            "CRM",
            (90, 450),
            r#","primary_contact":{"email":"$email","phone":"$phone"}"#,
        ),
        tool(
            "search_kb",
            "Search B2B price lists, terms and product sheets.",
            "sales knowledge base",
            (60, 380),
            "",
        ),
        tool(
            "create_lead",
            "Create or update a lead with qualification notes.",
            "CRM",
            (120, 420),
            "",
        ),
        tool(
            "book_meeting",
            "Book a call with an account manager.",
            "calendar service",
            (150, 600),
            "",
        ),
        tool(
            "send_email",
            "Send a templated e-mail to a CRM contact.",
            "e-mail service",
            (200, 800),
            r#","recipient":"$email""#,
        ),
        tool(
            "escalate_to_human",
            "Hand the conversation to an account manager.",
            "sales desk",
            (30, 150),
            "",
        ),
    ],
    intents: &[
        Intent {
            key: "wholesale_inquiry",
            asks: &[
                "We run $shops outdoor shops in $region and want to stock your $product line. What are your wholesale terms?",
                "Hi, I own a few gear shops ($shops locations, $region). Do you sell wholesale?",
            ],
            calls: &[
                call(
                    "crm_lookup",
                    r#"{"company":"$company"}"#,
                    r#"{"found":false}"#,
                ),
                call(
                    "search_kb",
                    r#"{"query":"wholesale terms minimum order","limit":2}"#,
                    r#"{"documents":[{"id":"$kb","title":"Wholesale terms 2026","snippet":"Minimum opening order 2,500; 45% off RRP; net-30 after first order."}]}"#,
                ),
            ],
            answers: &[
                "Thanks for your interest! For retail partners we offer 45% off RRP with a minimum opening order of 2,500, and net-30 payment terms after the first order. To put a proposal together: which categories sell best in your $shops shops, and when would you want the first delivery?",
            ],
        },
        Intent {
            key: "corporate_gifting",
            asks: &[
                "We're looking for $units branded fleece jackets for our company offsite in $month. Can you do custom logos?",
                "Do you do embroidered logos on jackets? Need about $units for a team event.",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"custom embroidery corporate orders","limit":2}"#,
                r#"{"documents":[{"id":"$kb","title":"Customisation","snippet":"Embroidery from 50 units, set-up fee waived over 250 units, lead time 3-4 weeks."}]}"#,
            )],
            answers: &[
                "Yes, we embroider logos from 50 units, and for $units jackets the set-up fee is waived. Production takes 3 to 4 weeks, so for $month we'd need artwork and sizes soon. Would you like me to book a 20-minute call with an account manager to go through colours and sizing?",
            ],
        },
        Intent {
            key: "team_outfitting",
            asks: &[
                "Our mountain rescue team needs $units sets of waterproof shells. Do you offer volume discounts?",
                "Volume pricing for $units waterproof jackets?",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"volume discount tiers","limit":1}"#,
                r#"{"documents":[{"id":"$kb","title":"Volume tiers","snippet":"5% from 100 units, 10% from 500 units, 15% from 2,000 units."}]}"#,
            )],
            answers: &[
                "We do, and rescue teams are a big part of our business customers. Our tiers are 5% off from 100 units, 10% from 500 and 15% from 2,000, so $units shells would fall in the matching tier. Who would sign off the purchase, and do you need them before winter?",
            ],
        },
        Intent {
            key: "book_call",
            asks: &[
                "Can I book a call with someone from your B2B team next week?",
                "I'd like to talk pricing with an account manager. When are they free?",
            ],
            calls: &[call(
                "book_meeting",
                r#"{"company":"$company","topic":"B2B pricing","duration_minutes":30,"window":"next_week"}"#,
                r#"{"meeting_id":"$meeting","starts_at":"$meeting_time","account_manager":"B2B desk"}"#,
            )],
            answers: &[
                "Done: I've booked a 30-minute call for $meeting_time with our B2B desk. You'll get a calendar invite with a video link shortly; feel free to send a rough product list beforehand so they can prepare prices.",
            ],
        },
        Intent {
            key: "credit_limit",
            asks: &[
                "We're already a partner ($company). Can we increase our credit limit to $big_amount?",
                "$company here: our credit limit is too low for the autumn order. Can it go up?",
            ],
            calls: &[call(
                "crm_lookup",
                r#"{"company":"$company"}"#,
                r#"{"found":true,"account_id":"$account","tier":"gold","credit_limit":"$amount","open_opportunities":1,"payment_history":"on_time"}"#,
            )],
            answers: &[
                "I can see $company has a strong payment history with us. Credit limit changes need approval from our finance team, so I've asked your account manager to review a limit of $big_amount; you should hear back within 2 business days.",
            ],
        },
        Intent {
            key: "supplier_evaluation",
            asks: &[
                "Hi, I lead procurement at $company ($employees employees). We're evaluating suppliers for outdoor workwear.",
                "We're running a supplier review for workwear at $company. Can you send information?",
            ],
            calls: &[
                call(
                    "crm_lookup",
                    r#"{"company":"$company"}"#,
                    r#"{"found":false}"#,
                ),
                call(
                    "create_lead",
                    r#"{"company":"$company","employees":$employees,"source":"web_chat","interest":"workwear","stage":"qualifying"}"#,
                    r#"{"lead_id":"$lead","owner":"B2B desk"}"#,
                ),
            ],
            answers: &[
                "Great to hear from you. For a company of $employees people we usually propose a uniform programme with a fixed range, a web shop for employees and quarterly invoicing. How many staff would need kit, and what's your timeline for the decision?",
            ],
        },
        Intent {
            key: "samples",
            asks: &[
                "Can you send samples of the $product before we commit?",
                "Do you provide sample units for evaluation?",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"sample policy B2B","limit":1}"#,
                r#"{"documents":[{"id":"$kb","title":"Samples","snippet":"Up to 3 sample units at 50% off, credited against the first order."}]}"#,
            )],
            answers: &[
                "Yes, we can send up to three sample units at 50% off, and the cost is credited back against your first order. Which sizes and colours of the $product would you like to see?",
            ],
        },
        Intent {
            key: "lead_time",
            asks: &[
                "What's the lead time for an order of $units units with embroidery?",
                "If we order $units pieces now, when would they arrive?",
            ],
            calls: &[],
            answers: &[
                "For $units embroidered units, allow about 4 weeks: a few days for artwork approval, 3 weeks in production and 2 to 4 days of delivery. Plain stock items ship within 5 working days.",
            ],
        },
        Intent {
            key: "payment_terms",
            asks: &[
                "Do you offer net-60 payment terms for public sector buyers?",
                "Can we pay on 60-day terms? We're a county council.",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"payment terms public sector","limit":1}"#,
                r#"{"documents":[{"id":"$kb","title":"Payment terms","snippet":"Standard net-30; public sector net-60 on framework agreements; PO required."}]}"#,
            )],
            answers: &[
                "Yes. Public sector buyers on a framework agreement get net-60 terms; we just need a purchase order with each order. Are you buying through a framework already, or would this be a direct contract?",
            ],
        },
        Intent {
            key: "sustainability",
            asks: &[
                "Do you have sustainability certifications? We need Bluesign or Fair Wear for our tender.",
                "What certifications do your factories have?",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"certifications bluesign fair wear","limit":2}"#,
                r#"{"documents":[{"id":"$kb","title":"Responsibility","snippet":"Fair Wear member since 2019; 82% of fabrics bluesign approved; annual report published each May."}]}"#,
            )],
            answers: &[
                "We've been a Fair Wear member since 2019 and 82% of our fabrics are bluesign approved. Our latest responsibility report covers both, and I can attach it to the tender documents. When is your submission deadline?",
            ],
        },
        Intent {
            key: "dropshipping",
            asks: &[
                "Do you support dropshipping for online retailers?",
                "We're an online shop. Can you ship directly to our customers?",
            ],
            calls: &[],
            answers: &[
                "We do, for approved online partners: you list our products from a daily stock feed, send orders through our partner API, and we ship in neutral packaging within one working day. Roughly how many orders a month do you expect?",
            ],
        },
        Intent {
            key: "competitor_comparison",
            asks: &[
                "How does your $product compare to the big brands on price at volume?",
                "Why should we pick you over our current supplier?",
            ],
            calls: &[],
            answers: &[
                "At volume our $product typically comes in 10 to 20% below the big brands' trade prices with comparable specs, and we keep core colours in stock year-round so re-orders are quick. I'd suggest a side-by-side sample so your team can judge the quality themselves.",
            ],
        },
        Intent {
            key: "quote_follow_up",
            asks: &[
                "Following up on quote $quote: can you extend the validity by two weeks?",
                "Is quote $quote still valid? Our board meets on $date_h.",
            ],
            calls: &[call(
                "crm_lookup",
                r#"{"quote_id":"$quote"}"#,
                r#"{"found":true,"quote_id":"$quote","company":"$company","total":"$big_amount","valid_until":"$date","status":"sent"}"#,
            )],
            answers: &[
                "Quote $quote for $big_amount expired on $date, but I've asked your account manager to reissue it with the same prices and a new validity of 14 days, which covers your board meeting.",
            ],
        },
        Intent {
            key: "event_sponsorship",
            asks: &[
                "We're organising the $event. Would Northwind sponsor or provide prizes?",
                "Any chance of sponsorship for the $event?",
            ],
            calls: &[call(
                "create_lead",
                r#"{"type":"sponsorship","event":"$event","source":"web_chat"}"#,
                r#"{"lead_id":"$lead","owner":"Brand partnerships"}"#,
            )],
            answers: &[
                "Thanks for thinking of us! Sponsorship requests go to our brand partnerships team, who review them monthly. I've logged the $event with them; it helps if you can share expected participant numbers and the event date.",
            ],
        },
        Intent {
            key: "catalogue_request",
            asks: &[
                "Can you send me your B2B catalogue and price list?",
                "Please e-mail the trade catalogue.",
            ],
            calls: &[call(
                "send_email",
                r#"{"contact_id":"$contact","template":"b2b_catalogue_$year"}"#,
                r#"{"message_id":"$message_id","status":"queued"}"#,
            )],
            answers: &[
                "I've sent our $year trade catalogue and the current price list to the contact we have on file. If it doesn't arrive within a few minutes, check your spam folder.",
            ],
        },
        Intent {
            key: "reseller_territory",
            asks: &[
                "Is there already an exclusive reseller for $region?",
                "Can we become the exclusive distributor in $region?",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"distribution partners $region","limit":2}"#,
                r#"{"documents":[{"id":"$kb","title":"Distribution map","snippet":"No exclusive distribution agreements; regional partners listed on the partner page."}]}"#,
            )],
            answers: &[
                "We don't give exclusive territories, but we do have a regional partner programme for $region with priority allocation and co-funded marketing. Shall I set up a call so our partnerships manager can walk you through it?",
            ],
        },
        Intent {
            key: "bulk_reorder",
            asks: &[
                "We want to reorder the same $units jackets as last year for $company.",
                "Same order as last autumn please, $company.",
            ],
            calls: &[call(
                "crm_lookup",
                r#"{"company":"$company","include":["orders"]}"#,
                r#"{"found":true,"account_id":"$account","last_order":{"order_id":"$order","units":$units,"total":"$big_amount","date":"$date"}}"#,
            )],
            answers: &[
                "I found your last order, $order, for $units units ($big_amount). Prices have gone up about 3% since then; I'll ask your account manager to send an updated quote for the same items today.",
            ],
        },
    ],
    pii_sentences: &[
        "I've sent the catalogue to $email.",
        "Our account manager will call you on $phone tomorrow morning.",
        "I've noted $email as the main contact for the quote.",
    ],
    attachments: &[
        "[attachment: tender_documents_workwear_lot2.pdf, 212 pages]",
        "[attachment: five_years_of_order_history.xlsx, 9.8 MB]",
    ],
    documents: &[],
    failure_reply: "Sorry, I ran into a technical problem. Please try again in a moment, or leave your details and an account manager will get back to you.",
    human_queue: "B2B Sales",
    human_topic: "our quote $quote",
    assesses_people: false,
};
