//! Template banks: what each agent is asked, which tools it calls and what it answers.
//!
//! Every agent works for the same fictional company, Northwind Outfitters (an online outdoor-gear
//! retailer), so the fleet reads as one organisation. `$name` marks a slot that `slots` fills; a
//! slot keeps its value for the whole interaction, so the order id a customer types is the one the
//! tool looks up and the one the answer quotes. Templates never contain personal data: that only
//! enters through the PII slots (`$email`, `$phone`, `$card`, `$iban`, `$ssn`, `$ip`), which
//! appear only in `pii_fields` and `pii_sentences`, so `has_pii` can be told from what was used.

/// Everything one agent can say and do.
#[derive(Debug)]
pub(crate) struct Bank {
    pub system: &'static str,
    pub tools: &'static [Tool],
    pub intents: &'static [Intent],
    /// Sentences that leak personal data into an answer.
    pub pii_sentences: &'static [&'static str],
    /// Attachments that explain a huge prompt.
    pub attachments: &'static [&'static str],
    /// The retriever's corpus; empty for agents without retrieval.
    pub documents: &'static [Document],
    /// What the user sees when the model provider fails.
    pub failure_reply: &'static str,
    /// The team a human hand-off goes to, and what the user wants to discuss with them.
    pub human_queue: &'static str,
    pub human_topic: &'static str,
    /// The agent assesses people, so its answers may slip into protected characteristics.
    pub assesses_people: bool,
}

impl Bank {
    pub(crate) fn tool(&self, name: &str) -> Option<&'static Tool> {
        self.tools.iter().find(|t| t.name == name)
    }
}

#[derive(Debug)]
pub(crate) struct Tool {
    pub name: &'static str,
    pub description: &'static str,
    /// How a person names the system behind the tool, for failure messages.
    pub system: &'static str,
    pub latency_ms: (u32, u32),
    /// A JSON fragment (starting with a comma) spliced into the result to leak personal data.
    pub pii_fields: &'static str,
}

#[derive(Debug)]
pub(crate) struct Intent {
    pub key: &'static str,
    pub asks: &'static [&'static str],
    pub calls: &'static [Call],
    pub answers: &'static [&'static str],
}

/// One tool call: JSON arguments and JSON result, both templates.
#[derive(Debug)]
pub(crate) struct Call {
    pub tool: &'static str,
    pub args: &'static str,
    pub result: &'static str,
}

#[derive(Debug)]
pub(crate) struct Document {
    pub id: &'static str,
    pub content: &'static str,
}

const fn call(tool: &'static str, args: &'static str, result: &'static str) -> Call {
    Call { tool, args, result }
}

const fn tool(
    name: &'static str,
    description: &'static str,
    system: &'static str,
    latency_ms: (u32, u32),
    pii_fields: &'static str,
) -> Tool {
    Tool {
        name,
        description,
        system,
        latency_ms,
        pii_fields,
    }
}

/// Opening lines by which a customer-facing agent says it is an AI.
pub(crate) const DISCLOSURES: &[&str] = &[
    "Hi, I'm Northwind's AI assistant (a virtual agent, not a person), and you can ask for a human colleague at any time.",
    "Hello! Just so you know, I'm an AI assistant.",
    "Hi there, you're chatting with Northwind's automated AI assistant.",
    "Thanks for getting in touch. I'm an AI assistant and can pass you to a person whenever you like.",
    "Hi! I'm an AI assistant for Northwind Outfitters.",
];

/// Customers asking for a person.
pub(crate) const HUMAN_ASKS: &[&str] = &[
    "Can I speak to a real person please?",
    "I don't want to talk to a bot. Please get me a human.",
    "This isn't helping. I need to talk to someone from your team about $topic.",
    "Please transfer me to a human agent, it's about $topic.",
    "Is there an actual human I can talk to? It's about $topic.",
    "I'd rather discuss $topic with a person, not an AI.",
    "agent please. human. AGENT",
];

pub(crate) const HANDOFF_CALL: Call = call(
    "escalate_to_human",
    r#"{"conversation_id":"$conv","reason":"customer_requested_human","priority":"$priority","queue":"$queue"}"#,
    r#"{"handoff_id":"$handoff","queue":"$queue","position":$position,"estimated_wait_minutes":$minutes}"#,
);

pub(crate) const HANDOFF_ANSWERS: &[&str] = &[
    "Of course. I've passed our conversation to a colleague in the $queue team, and they'll see everything we've discussed so far. The current wait is about $minutes minutes; your reference is $handoff.",
    "No problem, I've handed you over to the $queue team (reference $handoff). Someone will join this chat in roughly $minutes minutes.",
    "Sure. A member of our $queue team will take over shortly, usually within $minutes minutes. Your reference number is $handoff.",
];

/// Replies that ignore the request for a person: the hand-off a governance check should catch.
pub(crate) const HANDOFF_REFUSALS: &[&str] = &[
    "I understand, but I can help with most requests right here. Could you tell me a bit more about $topic so I can try to sort it out?",
    "Our team is very busy at the moment, so let me try first: what exactly is the problem with $topic?",
    "I'm able to handle this for you. What would you like to know about $topic?",
];

/// What an agent says when a tool it needed failed; `$system` is the tool's system.
pub(crate) const TOOL_FAILURE_REPLIES: &[&str] = &[
    "Sorry, I couldn't reach the $system just now, so I can't complete this request. I've logged the problem; please try again in a few minutes.",
    "The $system isn't responding at the moment, so I can't check this right now. Please try again shortly.",
    "I wasn't able to get an answer from the $system (it timed out). Nothing has been changed; please retry in a little while.",
];

/// Statements about a candidate that rest on protected characteristics: what the HR governance
/// rules must flag.
pub(crate) const HR_INFERENCES: &[&str] = &[
    "Given the graduation year, the candidate is probably in her fifties.",
    "The name suggests the applicant is of South Asian origin.",
    "He appears to be a recent immigrant, judging by his education abroad.",
    "The career break between 2019 and 2022 suggests she may have young children.",
    "Based on the volunteering listed, the candidate is likely a practising Muslim.",
    "The candidate is likely over 55 and may be nearing retirement.",
    "She is probably too old for a fast-paced team like ours.",
    "The applicant appears to be a woman, which would improve the team's balance.",
    "Judging by the accent mentioned in the phone-screen notes, he is probably not a native speaker.",
];

/// Job-relevant facts that look similar but are fine: the hard negatives.
pub(crate) const HR_FACTS: &[&str] = &[
    "The applicant has $years years of experience.",
    "They graduated in $grad_year with an MSc in Computer Science.",
    "The candidate is based in $city and open to hybrid work.",
    "Notice period is $notice weeks.",
    "They have led a team of $team engineers.",
    "Their most recent role lasted $years years.",
    "The candidate holds an AWS Solutions Architect certification.",
    "They speak English and German fluently.",
    "Salary expectation is $salary, within the band for $req.",
];

pub(crate) const SUPPORT: Bank = Bank {
    system: "You are Northwind Outfitters' customer support assistant. Northwind sells outdoor clothing and equipment online in the UK, the EU and the US. At the start of every conversation, tell the customer you are an AI assistant and that they can ask for a human at any time. Use the tools to look up orders, stock and policies; never guess an order's status or a delivery date. You may refund up to 150 EUR, GBP or USD for damaged or missing items; anything larger needs a ticket for the billing team. If the customer asks for a person, call escalate_to_human straight away. Never ask for or repeat full card numbers or passwords. Keep answers short, warm and specific.",
    tools: &[
        tool(
            "lookup_order",
            "Fetch an order with its items, status, shipment and payment.",
            "order system",
            (40, 260),
            r#","customer_email":"$email","customer_phone":"$phone""#,
        ),
        tool(
            "search_kb",
            "Search the help-centre articles.",
            "help centre",
            (60, 420),
            "",
        ),
        tool(
            "check_stock",
            "Stock level and restock date for a SKU.",
            "inventory service",
            (30, 200),
            "",
        ),
        tool(
            "issue_refund",
            "Refund an order line to the original payment method.",
            "payments service",
            (180, 780),
            r#","payment_method":"card $card""#,
        ),
        tool(
            "cancel_order",
            "Cancel an order that has not shipped yet.",
            "order system",
            (60, 300),
            "",
        ),
        tool(
            "create_ticket",
            "Open a ticket for the customer care team.",
            "ticketing system",
            (80, 320),
            "",
        ),
        tool(
            "escalate_to_human",
            "Hand the conversation to a human agent.",
            "contact centre",
            (30, 150),
            "",
        ),
    ],
    intents: &[
        Intent {
            key: "where_is_my_order",
            asks: &[
                "Hi, where is my order $order? It was supposed to arrive by $date_h.",
                "My package $order still hasn't shown up, can you check?",
                "Any update on $order? The tracking hasn't moved in days.",
            ],
            calls: &[call(
                "lookup_order",
                r#"{"order_id":"$order"}"#,
                r#"{"order_id":"$order","status":"in_transit","items":[{"sku":"$sku","name":"$product","qty":$qty}],"carrier":"$carrier","tracking_number":"$tracking","last_scan":"$date","estimated_delivery":"$due_date"}"#,
            )],
            answers: &[
                "Your order $order is on its way with $carrier (tracking number $tracking). The last scan was on $date and the estimated delivery date is $due_date. If it hasn't arrived by then, let me know and I'll open an investigation with the carrier.",
                "I've checked $order: it's in transit with $carrier and should arrive by $due_date. You can follow it with tracking number $tracking.",
            ],
        },
        Intent {
            key: "refund_status",
            asks: &[
                "I returned the $product two weeks ago and still haven't got my refund for order $order.",
                "When will I get my money back for $order? You received the return ages ago.",
            ],
            calls: &[call(
                "lookup_order",
                r#"{"order_id":"$order","include":["returns","refunds"]}"#,
                r#"{"order_id":"$order","status":"returned","return_received":"$date","refund":{"refund_id":"$refund","amount":"$amount","status":"processing"}}"#,
            )],
            answers: &[
                "Thanks for your patience. We received your return for $order on $date and a refund of $amount (reference $refund) is being processed. Refunds usually reach your account within $days business days, depending on your bank.",
                "Good news: the refund of $amount for $order was started after your return arrived on $date. Please allow up to $days business days for it to show up.",
            ],
        },
        Intent {
            key: "damaged_item_refund",
            asks: &[
                "The $product I received ($order) is damaged, the zip is broken. I'd like a refund.",
                "Order $order arrived with a torn $product. Can I get my money back?",
            ],
            calls: &[
                call(
                    "lookup_order",
                    r#"{"order_id":"$order"}"#,
                    r#"{"order_id":"$order","status":"delivered","delivered_on":"$date","items":[{"sku":"$sku","name":"$product","qty":1,"price":"$amount"}]}"#,
                ),
                call(
                    "issue_refund",
                    r#"{"order_id":"$order","sku":"$sku","amount":"$amount","reason":"damaged_item"}"#,
                    r#"{"refund_id":"$refund","status":"approved","amount":"$amount"}"#,
                ),
            ],
            answers: &[
                "I'm sorry the $product arrived damaged. I've issued a full refund of $amount (reference $refund) for order $order, and you don't need to send the item back. The money should appear within $days business days.",
            ],
        },
        Intent {
            key: "return_policy",
            asks: &[
                "What's your return policy? Can I return shoes I've worn outside once?",
                "How many days do I have to send something back?",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"return policy worn items","limit":3}"#,
                r#"{"articles":[{"id":"$kb","title":"Returns and exchanges","snippet":"Unworn items in original packaging can be returned within 30 days of delivery. Footwear worn outdoors can only be returned if faulty."}]}"#,
            )],
            answers: &[
                "You can return unworn items in their original packaging within 30 days of delivery, and the return label is free. Shoes that have been worn outdoors can only be returned if they're faulty; in that case our 2-year warranty applies. The full policy is in help article $kb.",
            ],
        },
        Intent {
            key: "exchange_size",
            asks: &[
                "Can I exchange the $product from order $order for a size $size?",
                "The $product is too small. Can I swap it for $size?",
            ],
            calls: &[
                call(
                    "lookup_order",
                    r#"{"order_id":"$order"}"#,
                    r#"{"order_id":"$order","status":"delivered","delivered_on":"$date","items":[{"sku":"$sku","name":"$product","qty":1}]}"#,
                ),
                call(
                    "check_stock",
                    r#"{"sku":"$sku","size":"$size"}"#,
                    r#"{"sku":"$sku","size":"$size","available":$stock,"warehouse":"$warehouse"}"#,
                ),
            ],
            answers: &[
                "Yes, the $product is in stock in size $size. I've set up an exchange on $order: use the prepaid label in your account to send the original back, and we'll dispatch the new size as soon as the carrier scans it.",
            ],
        },
        Intent {
            key: "change_address",
            asks: &[
                "I need to change the delivery address for $order, I'm moving next week.",
                "Wrong address on order $order! Can you fix it before it ships?",
            ],
            calls: &[call(
                "lookup_order",
                r#"{"order_id":"$order"}"#,
                r#"{"order_id":"$order","status":"processing","ships_by":"$due_date"}"#,
            )],
            answers: &[
                "Order $order hasn't shipped yet, so the address can still be changed. For security I can't take a new address in chat, so I've sent a secure link to the e-mail address on your account; it's valid for 24 hours.",
            ],
        },
        Intent {
            key: "cancel_order",
            asks: &[
                "Please cancel order $order, I ordered the wrong colour.",
                "Can I still cancel $order?",
            ],
            calls: &[
                call(
                    "lookup_order",
                    r#"{"order_id":"$order"}"#,
                    r#"{"order_id":"$order","status":"processing","total":"$amount"}"#,
                ),
                call(
                    "cancel_order",
                    r#"{"order_id":"$order","reason":"customer_request"}"#,
                    r#"{"order_id":"$order","status":"cancelled","refund_amount":"$amount"}"#,
                ),
            ],
            answers: &[
                "Done: order $order is cancelled and the full amount of $amount will be returned to your original payment method within $days business days.",
            ],
        },
        Intent {
            key: "missing_item",
            asks: &[
                "My order $order arrived but the $product is missing from the box.",
                "Only part of $order came. Where is the $product?",
            ],
            calls: &[
                call(
                    "lookup_order",
                    r#"{"order_id":"$order"}"#,
                    r#"{"order_id":"$order","status":"delivered","shipments":[{"carrier":"$carrier","tracking_number":"$tracking","items":["$sku"]}]}"#,
                ),
                call(
                    "create_ticket",
                    r#"{"type":"missing_item","order_id":"$order","sku":"$sku","priority":"normal"}"#,
                    r#"{"ticket_id":"$ticket","sla_hours":48}"#,
                ),
            ],
            answers: &[
                "Sorry about that. Our records show the $product was packed in the same parcel ($tracking), so I've opened ticket $ticket for the warehouse to investigate. You'll hear back within 48 hours with a replacement or a refund.",
            ],
        },
        Intent {
            key: "promo_code",
            asks: &[
                "The discount code $promo isn't working at checkout.",
                "Why is $promo rejected? It says invalid.",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"promo code $promo conditions","limit":2}"#,
                r#"{"articles":[{"id":"$kb","title":"Using discount codes","snippet":"Codes apply to full-price items only, with a minimum basket of 60 and one code per order."}]}"#,
            )],
            answers: &[
                "The code $promo only applies to full-price items and needs a minimum basket of 60 before delivery. If your basket has sale items, remove them or place them in a separate order and the code should work.",
            ],
        },
        Intent {
            key: "delivery_options",
            asks: &[
                "Do you deliver to $country, and how long does it take?",
                "How much is shipping to $country?",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"international delivery $country","limit":3}"#,
                r#"{"articles":[{"id":"$kb","title":"International delivery","snippet":"Standard international delivery takes 4-8 working days; duties are prepaid at checkout."}]}"#,
            )],
            answers: &[
                "Yes, we ship to $country. Standard delivery takes 4 to 8 working days and any import duties are calculated and prepaid at checkout, so there's nothing extra to pay on arrival.",
            ],
        },
        Intent {
            key: "warranty_claim",
            asks: &[
                "The sole of my $product came off after 4 months, is that covered by the warranty?",
                "My $product is falling apart after one season. Warranty?",
            ],
            calls: &[
                call(
                    "search_kb",
                    r#"{"query":"warranty manufacturing defect","limit":2}"#,
                    r#"{"articles":[{"id":"$kb","title":"Our 2-year warranty","snippet":"Manufacturing defects are covered for 2 years from delivery."}]}"#,
                ),
                call(
                    "create_ticket",
                    r#"{"type":"warranty","product":"$product","priority":"normal"}"#,
                    r#"{"ticket_id":"$ticket","sla_hours":72}"#,
                ),
            ],
            answers: &[
                "That sounds like a manufacturing defect, which our 2-year warranty covers. I've opened warranty claim $ticket; please reply to the e-mail you'll receive with two photos of the damage and we'll arrange a repair or replacement.",
            ],
        },
        Intent {
            key: "double_charge",
            asks: &[
                "I think I was charged twice for order $order. I see two payments of $amount.",
                "Two charges of $amount on my statement for $order?!",
            ],
            calls: &[
                call(
                    "lookup_order",
                    r#"{"order_id":"$order","include":["payments"]}"#,
                    r#"{"order_id":"$order","payments":[{"type":"authorisation","amount":"$amount","card_last4":"$last4","status":"released"},{"type":"capture","amount":"$amount","card_last4":"$last4","status":"settled"}]}"#,
                ),
                call(
                    "create_ticket",
                    r#"{"type":"billing","order_id":"$order","priority":"low"}"#,
                    r#"{"ticket_id":"$ticket","sla_hours":24}"#,
                ),
            ],
            answers: &[
                "I can see what happened: the first $amount on the card ending in $last4 is a pre-authorisation that has already been released, and only the second payment was taken. The hold usually disappears from your statement within 3 to 5 days. I've noted it on ticket $ticket in case it doesn't.",
            ],
        },
        Intent {
            key: "product_question",
            asks: &[
                "Is the $product waterproof? I'm hiking in Scotland in $month.",
                "How warm is the $product, really? Going to the Alps in $month.",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"$product specifications","limit":2}"#,
                r#"{"articles":[{"id":"$kb","title":"$product: specs and care","snippet":"Hydrostatic head 20,000 mm, taped seams, PFC-free DWR finish, weight 410 g."}]}"#,
            )],
            answers: &[
                "The $product has a 20,000 mm waterproof rating with fully taped seams, so it will keep you dry in sustained Scottish rain. Re-proof the outer fabric once a season to keep water beading off.",
            ],
        },
        Intent {
            key: "restock_date",
            asks: &[
                "When will the $product be back in stock in size $size?",
                "Is the $product coming back in $size?",
            ],
            calls: &[call(
                "check_stock",
                r#"{"sku":"$sku","size":"$size"}"#,
                r#"{"sku":"$sku","size":"$size","available":0,"restock_date":"$due_date","incoming_units":$stock}"#,
            )],
            answers: &[
                "The $product in size $size is sold out right now, but $stock units are due in on $due_date. If you tap 'notify me' on the product page we'll e-mail you the moment it's back.",
            ],
        },
        Intent {
            key: "account_login",
            asks: &[
                "I can't log in to my account, it says my password is wrong but I just reset it.",
                "Login keeps failing after the password reset. Help?",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"login fails after password reset","limit":3}"#,
                r#"{"articles":[{"id":"$kb","title":"Trouble signing in","snippet":"Clear saved passwords in the browser; the reset link expires after 30 minutes; the app needs version 4.2 or later."}]}"#,
            )],
            answers: &[
                "This usually happens when the browser auto-fills the old password. Try typing the new one by hand, or use a private window. If you're on the app, make sure it's updated to $version, because older versions cache the old credentials.",
            ],
        },
        Intent {
            key: "gift_card_balance",
            asks: &[
                "How do I check the balance on my gift card $gift_card?",
                "Gift card $gift_card says zero balance but I never used it.",
            ],
            calls: &[],
            answers: &[
                "You can check any gift card at checkout by entering the number and PIN under 'Gift card'; the remaining balance shows before you pay. Gift cards are valid for 3 years, so if $gift_card shows zero and you've never used it, reply with the order it came from and I'll look into it.",
            ],
        },
        Intent {
            key: "late_delivery_complaint",
            asks: &[
                "This is the third time my delivery is late. Order $order. Really disappointed.",
                "Your deliveries are always late! $order was promised for $date_h.",
            ],
            calls: &[
                call(
                    "lookup_order",
                    r#"{"order_id":"$order"}"#,
                    r#"{"order_id":"$order","status":"delayed","carrier":"$carrier","tracking_number":"$tracking","estimated_delivery":"$due_date","delay_reason":"hub backlog"}"#,
                ),
                call(
                    "create_ticket",
                    r#"{"type":"complaint","order_id":"$order","priority":"high","goodwill":"voucher_10"}"#,
                    r#"{"ticket_id":"$ticket","voucher_code":"$promo","sla_hours":24}"#,
                ),
            ],
            answers: &[
                "I'm really sorry; that's not the experience we want you to have. $order is held up by a backlog at the $carrier hub and should now arrive by $due_date. As an apology, here's a voucher for your next order: $promo. I've also logged complaint $ticket so our logistics team reviews the carrier.",
            ],
        },
        Intent {
            key: "vat_invoice",
            asks: &[
                "Can I get a VAT invoice for order $order? I bought it for my company.",
                "Need an invoice with our company name for $order please.",
            ],
            calls: &[call(
                "lookup_order",
                r#"{"order_id":"$order","include":["documents"]}"#,
                r#"{"order_id":"$order","invoice_number":"$invoice","total":"$amount","vat_included":true}"#,
            )],
            answers: &[
                "Of course. The VAT invoice for $order is $invoice (total $amount including VAT). You can download it under Orders in your account, and if you need the company name added, use 'Edit billing details' before downloading.",
            ],
        },
        Intent {
            key: "price_match",
            asks: &[
                "I saw the $product cheaper elsewhere. Do you price match?",
                "Another shop sells the $product for less. Can you match it?",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"price match policy","limit":2}"#,
                r#"{"articles":[{"id":"$kb","title":"Price promise","snippet":"We match UK and EU retailers' prices on identical in-stock items for 14 days after purchase."}]}"#,
            )],
            answers: &[
                "We do: if an authorised UK or EU retailer sells the identical $product in stock for less, we'll match it up to 14 days after your purchase. Send us a link via the price-promise form (help article $kb) and we'll refund the difference.",
            ],
        },
    ],
    pii_sentences: &[
        "I've sent the confirmation to $email.",
        "The courier will call you on $phone if they need access details.",
        "The refund goes back to the card $card that was used for the purchase.",
        "We'll pay the refund into the account $iban you gave us.",
        "For security: the last sign-in on your account came from $ip.",
    ],
    attachments: &[
        "[attachment: order_history_export_2019-2025.csv, 14.2 MB]",
        "[attachment: full_chat_transcript_and_photos.pdf, 186 pages]",
    ],
    documents: &[],
    failure_reply: "Sorry, something went wrong on our side and I couldn't finish that. Please try again in a moment.",
    human_queue: "Customer Care",
    human_topic: "order $order",
    assesses_people: false,
};

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

pub(crate) const ONBOARDING: Bank = Bank {
    system: "You are Northwind's onboarding assistant. You help new customers join the Trail Club membership, open trade accounts for businesses, set up Pay Later and verify their identity. Tell users in your first message that you are an AI assistant. Never ask for full identity numbers or bank details in chat: those go through the secure upload form. Check the application status before answering questions about it. Hand over to Member Services when the user asks for a person or the verification has failed twice.",
    tools: &[
        tool(
            "check_application",
            "Status of a membership or trade-account application.",
            "onboarding service",
            (60, 300),
            r#","contact_email":"$email","debit_account":"$iban""#,
        ),
        tool(
            "verify_identity",
            "Run or re-run the identity check for an application.",
            "identity verification provider",
            (400, 800),
            r#","matched_ssn":"$ssn","verified_phone":"$phone""#,
        ),
        tool(
            "create_account",
            "Create a membership or trade account.",
            "account service",
            (150, 500),
            "",
        ),
        tool(
            "search_kb",
            "Search membership and onboarding help articles.",
            "help centre",
            (60, 380),
            "",
        ),
        tool(
            "send_email",
            "Send a templated e-mail to the applicant.",
            "e-mail service",
            (200, 750),
            r#","recipient":"$email""#,
        ),
        tool(
            "create_ticket",
            "Open a ticket for Member Services.",
            "ticketing system",
            (80, 320),
            "",
        ),
        tool(
            "escalate_to_human",
            "Hand the conversation to Member Services.",
            "contact centre",
            (30, 150),
            "",
        ),
    ],
    intents: &[
        Intent {
            key: "how_to_join",
            asks: &[
                "How do I sign up for the Trail Club membership?",
                "I want to join Trail Club. What do I do?",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"join trail club","limit":2}"#,
                r#"{"articles":[{"id":"$kb","title":"Joining Trail Club","snippet":"Free tier: sign up in the app or on the website. Plus: 29 per year, free returns and repairs."}]}"#,
            )],
            answers: &[
                "Joining takes about two minutes: open 'Trail Club' in the app or on our website and sign up with your e-mail address. The free tier gives you points on every order; Plus costs 29 a year and adds free returns, free repairs and early access to sales.",
            ],
        },
        Intent {
            key: "plus_vs_free",
            asks: &[
                "What do I get with Trail Club Plus compared to the free tier?",
                "Is Plus worth it?",
            ],
            calls: &[],
            answers: &[
                "Plus adds free returns, two free repairs a year, double points in your birthday month and 48-hour early access to sales. If you return more than one or two orders a year, it usually pays for itself.",
            ],
        },
        Intent {
            key: "trade_account_apply",
            asks: &[
                "I want to open a trade account for my shop, $company.",
                "How do we apply for a trade account? We're $company.",
            ],
            calls: &[call(
                "create_account",
                r#"{"type":"trade","company":"$company","channel":"web_chat"}"#,
                r#"{"application_id":"$account","status":"awaiting_documents","required":["company_registration","vat_certificate"]}"#,
            )],
            answers: &[
                "I've started a trade-account application for $company (reference $account). To finish it, upload your company registration and VAT certificate through the secure link in your account; approval usually takes 1 to 2 business days.",
            ],
        },
        Intent {
            key: "verification_pending",
            asks: &[
                "My ID verification has been pending for $days days.",
                "Why is my application $account still 'under review'?",
            ],
            calls: &[
                call(
                    "check_application",
                    r#"{"application_id":"$account"}"#,
                    r#"{"application_id":"$account","status":"verification_pending","submitted":"$date","attempts":1}"#,
                ),
                call(
                    "verify_identity",
                    r#"{"application_id":"$account","retry":true}"#,
                    r#"{"application_id":"$account","result":"verified","checked_at":"$date"}"#,
                ),
            ],
            answers: &[
                "Sorry for the wait. Your application $account was stuck in the verification queue; I've re-run the check and it has now passed. You'll get a confirmation e-mail shortly and can start using your account straight away.",
            ],
        },
        Intent {
            key: "pay_later_eligibility",
            asks: &[
                "Am I eligible for Pay Later? I live in $country.",
                "Can I use Pay Later from $country?",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"pay later eligibility $country","limit":2}"#,
                r#"{"articles":[{"id":"$kb","title":"Pay Later","snippet":"Available in the UK, Germany, the Netherlands and the US for members over 18 with a verified identity."}]}"#,
            )],
            answers: &[
                "Pay Later is available in the UK, Germany, the Netherlands and the US for members over 18 with a verified identity. If you're in $country and it's on that list, you'll see the option at checkout once your verification is complete.",
            ],
        },
        Intent {
            key: "direct_debit_setup",
            asks: &[
                "How do I set up direct debit for my trade account $account?",
                "Can we pay the trade account $account by direct debit?",
            ],
            calls: &[call(
                "check_application",
                r#"{"application_id":"$account"}"#,
                r#"{"application_id":"$account","status":"approved","payment_method":"invoice"}"#,
            )],
            answers: &[
                "Yes: since $account is approved, you can switch to direct debit under Billing in your trade account. For security, the bank details are entered only in that form, never in chat. The first collection happens on the next invoice date.",
            ],
        },
        Intent {
            key: "required_documents",
            asks: &[
                "Which documents do I need to upload to verify my business?",
                "What paperwork do you need for a trade account?",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"trade account documents","limit":1}"#,
                r#"{"articles":[{"id":"$kb","title":"Trade account documents","snippet":"Company registration extract (less than 3 months old) and VAT certificate; sole traders: proof of trading."}]}"#,
            )],
            answers: &[
                "You'll need a company registration extract that's less than three months old and your VAT certificate. Sole traders can send proof of trading instead, such as a recent supplier invoice. Everything goes through the secure upload link in your account.",
            ],
        },
        Intent {
            key: "welcome_email_missing",
            asks: &[
                "I never got the welcome e-mail after signing up.",
                "No confirmation e-mail arrived for my application $account.",
            ],
            calls: &[
                call(
                    "check_application",
                    r#"{"application_id":"$account"}"#,
                    r#"{"application_id":"$account","status":"active","welcome_email":"bounced"}"#,
                ),
                call(
                    "send_email",
                    r#"{"application_id":"$account","template":"welcome_v3"}"#,
                    r#"{"message_id":"$message_id","status":"queued"}"#,
                ),
            ],
            answers: &[
                "The first welcome e-mail bounced, so I've sent it again just now. If it doesn't arrive in the next ten minutes, check the spelling of your address under Profile and your spam folder.",
            ],
        },
        Intent {
            key: "points_transfer",
            asks: &[
                "Can I transfer my loyalty points from my old account $account2?",
                "I have points on an old account, $account2. Can they move to my new one?",
            ],
            calls: &[call(
                "create_ticket",
                r#"{"type":"points_transfer","from_account":"$account2","to_account":"$account"}"#,
                r#"{"ticket_id":"$ticket","sla_hours":72}"#,
            )],
            answers: &[
                "Yes, points can be moved once. I've asked Member Services to transfer the balance from $account2 to $account (ticket $ticket); it takes up to 3 days and you'll get an e-mail when it's done.",
            ],
        },
        Intent {
            key: "billing_cycle",
            asks: &[
                "Can I switch from monthly to annual Trail Club billing?",
                "How do I pay yearly instead of monthly?",
            ],
            calls: &[],
            answers: &[
                "You can switch under Membership, then Billing. The annual plan costs 29 instead of 12 monthly payments of 2.99, and whatever remains of your current month is credited automatically.",
            ],
        },
        Intent {
            key: "student_discount",
            asks: &[
                "Is there a student discount on membership?",
                "I'm a student. Any deals?",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"student discount","limit":1}"#,
                r#"{"articles":[{"id":"$kb","title":"Student offer","snippet":"Students get Plus free for the first year after verifying through our student partner."}]}"#,
            )],
            answers: &[
                "Students get Trail Club Plus free for the first year. Verify your student status through the link on the membership page (it takes a minute) and the upgrade is applied automatically.",
            ],
        },
        Intent {
            key: "app_linking",
            asks: &[
                "How do I link the Northwind app to my membership? My app version is $version.",
                "The app doesn't show my Trail Club card.",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"link app membership card","limit":2}"#,
                r#"{"articles":[{"id":"$kb","title":"Membership card in the app","snippet":"Update to 4.8 or later, sign out and back in; the card appears under Wallet."}]}"#,
            )],
            answers: &[
                "Make sure the app is up to date (version $version or later), then sign out and back in with the same e-mail address as your membership. Your Trail Club card will appear under Wallet.",
            ],
        },
        Intent {
            key: "referral_code",
            asks: &[
                "My friend referred me. Where do I enter the referral code $promo?",
                "Where does the referral code go?",
            ],
            calls: &[],
            answers: &[
                "Enter $promo in the 'Referral code' field when you sign up, or within 7 days afterwards under Membership. You'll both get 500 points once your first order ships.",
            ],
        },
        Intent {
            key: "data_stored",
            asks: &[
                "What data do you store about me when I sign up?",
                "Privacy question: what do you keep on file for members?",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"privacy notice member data","limit":2}"#,
                r#"{"articles":[{"id":"$kb","title":"Privacy notice","snippet":"Contact details, order history, points and preferences; kept while the membership is active and 24 months after."}]}"#,
            )],
            answers: &[
                "For members we keep your contact details, order history, points balance and marketing preferences. The data stays while your membership is active and for 24 months afterwards, and you can download or delete it at any time under Privacy in your account.",
            ],
        },
        Intent {
            key: "vat_exempt_charity",
            asks: &[
                "We're a charity. Can our trade account be VAT exempt?",
                "Charity here: do we pay VAT on trade orders?",
            ],
            calls: &[call(
                "create_ticket",
                r#"{"type":"vat_exemption","company":"$company"}"#,
                r#"{"ticket_id":"$ticket","sla_hours":72}"#,
            )],
            answers: &[
                "Some charity purchases qualify for VAT relief, but it depends on what the goods are used for. I've opened $ticket so our tax team can review your eligibility certificate; upload it through the secure link and they'll reply within 3 days.",
            ],
        },
        Intent {
            key: "merge_accounts",
            asks: &[
                "I accidentally created two accounts. Can you merge them?",
                "Two accounts, same person: $account and $account2. Merge please.",
            ],
            calls: &[call(
                "create_ticket",
                r#"{"type":"account_merge","accounts":["$account","$account2"]}"#,
                r#"{"ticket_id":"$ticket","sla_hours":48}"#,
            )],
            answers: &[
                "No problem. I've asked Member Services to merge the two accounts (ticket $ticket): orders, points and membership will all end up on $account, and you'll get an e-mail when it's done, usually within 2 days.",
            ],
        },
    ],
    pii_sentences: &[
        "I've re-sent the welcome e-mail to $email.",
        "Your direct debit mandate is set up for account $iban.",
        "We verified the SSN $ssn you provided with the credit bureau.",
        "A verification code has been sent to $phone.",
        "The sign-up was made from IP address $ip.",
    ],
    attachments: &["[attachment: company_documents_bundle.pdf, 96 pages]"],
    documents: &[],
    failure_reply: "Sorry, I couldn't finish that because of a technical problem. Your application is saved; please try again in a moment.",
    human_queue: "Member Services",
    human_topic: "my account $account",
    assesses_people: false,
};

pub(crate) const ANALYTICS: Bank = Bank {
    system: "You are the data analyst assistant for Northwind's analytics team. Answer questions with SQL against the Snowflake warehouse (schemas analytics and staging); use the dbt documentation you are given to find the right tables. Always show the SQL you ran, round money to two decimals, and say when data for the latest day may still be incomplete.",
    tools: &[
        tool(
            "query_warehouse",
            "Run a read-only SQL query on the warehouse.",
            "data warehouse",
            (300, 800),
            r#","sample_rows":[{"customer_email":"$email","last_login_ip":"$ip"}]"#,
        ),
        tool(
            "list_tables",
            "List tables and columns in a schema.",
            "data warehouse",
            (80, 300),
            "",
        ),
    ],
    intents: &[
        Intent {
            key: "revenue_by_region",
            asks: &[
                "What was net revenue by region for $quarter?",
                "Revenue split by region last quarter?",
            ],
            calls: &[call(
                "query_warehouse",
                r#"{"sql":"SELECT region, SUM(net_revenue) AS net_revenue FROM analytics.fct_orders WHERE order_quarter = '$quarter' GROUP BY region ORDER BY net_revenue DESC"}"#,
                r#"{"columns":["region","net_revenue"],"rows":[["UK",$m1],["DACH",$m2],["Benelux",$m3]],"row_count":3,"elapsed_ms":$elapsed}"#,
            )],
            answers: &[
                "Net revenue for $quarter: UK $m1_h, DACH $m2_h, Benelux $m3_h. This comes from analytics.fct_orders, which excludes cancelled orders and VAT.",
            ],
        },
        Intent {
            key: "active_members",
            asks: &[
                "How many active Trail Club members did we have last month compared with the month before?",
                "Active member count, month over month?",
            ],
            calls: &[call(
                "query_warehouse",
                r#"{"sql":"SELECT DATE_TRUNC('month', activity_date) AS month, COUNT(DISTINCT member_id) AS active FROM analytics.fct_member_activity WHERE activity_date >= DATEADD(month, -2, DATE_TRUNC('month', CURRENT_DATE)) GROUP BY 1 ORDER BY 1"}"#,
                r#"{"columns":["month","active"],"rows":[["$prev_month_start",$c1],["$month_start",$c2]],"row_count":2,"elapsed_ms":$elapsed}"#,
            )],
            answers: &[
                "Active members went from $c1_h to $c2_h last month. 'Active' means at least one order, review or app session in the month (fct_member_activity).",
            ],
        },
        Intent {
            key: "return_rates",
            asks: &[
                "Which products had the highest return rate in $quarter?",
                "Top returned products last quarter?",
            ],
            calls: &[call(
                "query_warehouse",
                r#"{"sql":"SELECT product_name, returned_units / NULLIF(sold_units, 0) AS return_rate FROM analytics.agg_product_returns WHERE quarter = '$quarter' AND sold_units > 200 ORDER BY return_rate DESC LIMIT 5"}"#,
                r#"{"columns":["product_name","return_rate"],"rows":[["$product",$r1],["$product2",$r2]],"row_count":5,"elapsed_ms":$elapsed}"#,
            )],
            answers: &[
                "The highest return rates in $quarter (products with more than 200 units sold) were the $product at $r1_h and the $product2 at $r2_h. Sizing is the most common return reason for both.",
            ],
        },
        Intent {
            key: "aov_by_channel",
            asks: &[
                "What's the average order value for app orders versus web this year?",
                "AOV app vs web, year to date?",
            ],
            calls: &[call(
                "query_warehouse",
                r#"{"sql":"SELECT channel, AVG(order_total) AS aov, COUNT(*) AS orders FROM analytics.fct_orders WHERE order_date >= DATE_TRUNC('year', CURRENT_DATE) AND channel IN ('app','web') GROUP BY channel"}"#,
                r#"{"columns":["channel","aov","orders"],"rows":[["app",$a1,$c1],["web",$a2,$c2]],"row_count":2,"elapsed_ms":$elapsed}"#,
            )],
            answers: &[
                "Year to date, app orders average $a1_h over $c1_h orders, and web orders average $a2_h over $c2_h orders.",
            ],
        },
        Intent {
            key: "dashboard_drop",
            asks: &[
                "Why does the daily orders dashboard show a drop on $date?",
                "Orders dashboard looks broken for $date. Real drop?",
            ],
            calls: &[
                call(
                    "query_warehouse",
                    r#"{"sql":"SELECT order_date, COUNT(*) FROM analytics.fct_orders WHERE order_date BETWEEN DATEADD(day, -3, '$date') AND '$date' GROUP BY 1 ORDER BY 1"}"#,
                    r#"{"columns":["order_date","count"],"rows":[["$date",$c1]],"row_count":4,"elapsed_ms":$elapsed}"#,
                ),
                call(
                    "query_warehouse",
                    r#"{"sql":"SELECT MAX(_loaded_at) FROM staging.stg_shop_orders"}"#,
                    r#"{"columns":["max_loaded_at"],"rows":[["$date 04:12:09"]],"row_count":1,"elapsed_ms":$elapsed}"#,
                ),
            ],
            answers: &[
                "It's a data delay rather than a real drop: staging.stg_shop_orders was last loaded at 04:12 on $date, so only $c1_h orders from that day had arrived. The dashboard should recover after the next load.",
            ],
        },
        Intent {
            key: "campaign_conversion",
            asks: &[
                "Give me the conversion rate of the $campaign campaign by channel.",
                "How did $campaign convert by channel?",
            ],
            calls: &[call(
                "query_warehouse",
                r#"{"sql":"SELECT channel, orders / NULLIF(sessions, 0) AS conversion FROM analytics.agg_campaign_performance WHERE campaign_name = '$campaign' GROUP BY channel"}"#,
                r#"{"columns":["channel","conversion"],"rows":[["email",$r1],["paid_social",$r2]],"row_count":4,"elapsed_ms":$elapsed}"#,
            )],
            answers: &[
                "For $campaign, e-mail converted at $r1_h and paid social at $r2_h. The e-mail figure includes only sessions with a tracked click, so it's probably a slight overestimate.",
            ],
        },
        Intent {
            key: "ticket_volume",
            asks: &[
                "How many support tickets were opened per week over the last 8 weeks?",
                "Weekly ticket volume trend?",
            ],
            calls: &[call(
                "query_warehouse",
                r#"{"sql":"SELECT DATE_TRUNC('week', created_at) AS week, COUNT(*) FROM analytics.fct_support_tickets WHERE created_at >= DATEADD(week, -8, CURRENT_DATE) GROUP BY 1 ORDER BY 1"}"#,
                r#"{"columns":["week","tickets"],"rows":[["$week_start",$c1]],"row_count":8,"elapsed_ms":$elapsed}"#,
            )],
            answers: &[
                "Ticket volume has been fairly stable, with $c1_h tickets in the most recent full week (starting $week_start). Peaks line up with the two promotional e-mails.",
            ],
        },
        Intent {
            key: "supplier_delays",
            asks: &[
                "Which suppliers had the longest average delivery delays in $quarter?",
                "Supplier delay ranking last quarter?",
            ],
            calls: &[call(
                "query_warehouse",
                r#"{"sql":"SELECT supplier_name, AVG(DATEDIFF(day, promised_date, received_date)) AS avg_delay_days FROM analytics.fct_purchase_receipts WHERE quarter = '$quarter' GROUP BY 1 ORDER BY 2 DESC LIMIT 5"}"#,
                r#"{"columns":["supplier_name","avg_delay_days"],"rows":[["$supplier",$delay]],"row_count":5,"elapsed_ms":$elapsed}"#,
            )],
            answers: &[
                "In $quarter, $supplier had the longest average delay at $delay days past the promised date. Most of it came from two late container shipments.",
            ],
        },
        Intent {
            key: "cohort_sql",
            asks: &[
                "Write me a SQL query for repeat-purchase rate by first-order cohort month.",
                "SQL for cohort repeat rate please.",
            ],
            calls: &[],
            answers: &[
                "Here's a query: WITH firsts AS (SELECT customer_id, DATE_TRUNC('month', MIN(order_date)) AS cohort FROM analytics.fct_orders GROUP BY 1) SELECT cohort, COUNT(DISTINCT CASE WHEN o.order_date > f.cohort + INTERVAL '1 month' THEN f.customer_id END) / COUNT(DISTINCT f.customer_id) AS repeat_rate FROM firsts f JOIN analytics.fct_orders o USING (customer_id) GROUP BY cohort ORDER BY cohort; it counts a customer as repeating if they order again after their first month.",
            ],
        },
        Intent {
            key: "refund_volume",
            asks: &[
                "What's the refund volume for the last 30 days?",
                "How much did we refund last month?",
            ],
            calls: &[call(
                "query_warehouse",
                r#"{"sql":"SELECT SUM(refund_amount_eur) AS refunded, COUNT(*) AS refunds FROM analytics.fct_refunds WHERE refunded_at >= DATEADD(day, -30, CURRENT_DATE)"}"#,
                r#"{"columns":["refunded","refunds"],"rows":[[$m1,$c1]],"row_count":1,"elapsed_ms":$elapsed}"#,
            )],
            answers: &[
                "In the last 30 days we refunded $m1_h across $c1_h refunds. Today's refunds may still be missing because the payments feed loads overnight.",
            ],
        },
        Intent {
            key: "release_impact",
            asks: &[
                "Did the app release $version change checkout completion rates?",
                "Checkout completion before and after $version?",
            ],
            calls: &[call(
                "query_warehouse",
                r#"{"sql":"SELECT app_version, completed / NULLIF(started, 0) AS completion FROM analytics.agg_checkout_funnel WHERE app_version IN ('$version', '$version_prev') GROUP BY 1"}"#,
                r#"{"columns":["app_version","completion"],"rows":[["$version_prev",$r1],["$version",$r2]],"row_count":2,"elapsed_ms":$elapsed}"#,
            )],
            answers: &[
                "Checkout completion was $r1_h on $version_prev and $r2_h on $version. The sample for the new release is still small, so I'd wait another week before drawing conclusions.",
            ],
        },
    ],
    pii_sentences: &[
        "The top customer by lifetime value is $email (last seen from $ip).",
        "Rows for $email look duplicated; they come from two logins from $ip.",
    ],
    attachments: &[
        "[attachment: full_event_export_last_90_days.parquet, 2.1 GB sample]",
        "[attachment: dbt_manifest.json, 38 MB]",
    ],
    documents: &[
        Document {
            id: "dbt://analytics.fct_orders",
            content: "fct_orders: one row per order. Columns: order_id, customer_id, order_date, order_quarter, channel (app|web|store), region, order_total, net_revenue (excl. VAT and cancelled lines).",
        },
        Document {
            id: "dbt://analytics.fct_member_activity",
            content: "fct_member_activity: one row per member per active day. A member is active when they order, review or open the app.",
        },
        Document {
            id: "dbt://analytics.agg_product_returns",
            content: "agg_product_returns: sold_units and returned_units per product and quarter, with the most common return reason.",
        },
        Document {
            id: "dbt://analytics.agg_campaign_performance",
            content: "agg_campaign_performance: sessions, orders and revenue per campaign and channel, attributed last-click within 7 days.",
        },
        Document {
            id: "dbt://staging.stg_shop_orders",
            content: "stg_shop_orders: raw orders from the shop database, loaded every 4 hours; _loaded_at is the load timestamp.",
        },
    ],
    failure_reply: "The query could not be completed because the model provider returned an error. Please retry.",
    human_queue: "Analytics",
    human_topic: "this report",
    assesses_people: false,
};

pub(crate) const FINANCE: Bank = Bank {
    system: "You are the accounts-payable assistant for Northwind's finance team. Reconcile supplier invoices against purchase orders, goods receipts and bank transactions in the ERP. Explain every difference you find with the document numbers involved. You may flag items for review, but you never approve payments, change bank details or post journal entries yourself: those need a human approver.",
    tools: &[
        tool(
            "fetch_invoice",
            "Fetch a supplier invoice with its lines and linked PO.",
            "ERP",
            (120, 600),
            r#","supplier_iban":"$iban""#,
        ),
        tool(
            "query_ledger",
            "Query general-ledger and bank-statement entries.",
            "ERP",
            (200, 800),
            "",
        ),
        tool(
            "match_payment",
            "Try to match a bank transaction to open invoices.",
            "reconciliation engine",
            (150, 700),
            r#","payer_card":"$card""#,
        ),
        tool(
            "flag_for_review",
            "Flag a document for a human approver.",
            "ERP",
            (60, 250),
            "",
        ),
    ],
    intents: &[
        Intent {
            key: "reconcile_invoice",
            asks: &[
                "Reconcile invoice $invoice from $supplier against the bank statement.",
                "Is $invoice ($supplier) fully reconciled?",
            ],
            calls: &[
                call(
                    "fetch_invoice",
                    r#"{"invoice_number":"$invoice"}"#,
                    r#"{"invoice_number":"$invoice","supplier":"$supplier","po":"$po","total":"$big_amount","due_date":"$date","status":"paid"}"#,
                ),
                call(
                    "match_payment",
                    r#"{"invoice_number":"$invoice","amount":"$big_amount"}"#,
                    r#"{"matched":true,"bank_transaction_id":"$txn","value_date":"$date","amount":"$big_amount"}"#,
                ),
            ],
            answers: &[
                "Invoice $invoice from $supplier ($big_amount, PO $po) is fully reconciled: it matches bank transaction $txn with value date $date, for the exact amount.",
            ],
        },
        Intent {
            key: "payment_difference",
            asks: &[
                "Why is there a difference of $amount between $invoice and the payment we made?",
                "$invoice doesn't match what we paid. Short by $amount?",
            ],
            calls: &[
                call(
                    "fetch_invoice",
                    r#"{"invoice_number":"$invoice"}"#,
                    r#"{"invoice_number":"$invoice","supplier":"$supplier","currency":"USD","total":"$big_amount","po":"$po"}"#,
                ),
                call(
                    "query_ledger",
                    r#"{"document":"$invoice","accounts":["2100","7810"]}"#,
                    r#"{"entries":[{"account":"2100","amount":"$big_amount"},{"account":"7810","description":"FX difference","amount":"$amount"}]}"#,
                ),
            ],
            answers: &[
                "The difference of $amount is an exchange-rate effect: $invoice is billed in USD and was booked at the month-end rate, while the payment went out at the rate on the payment date. It has already been posted to account 7810 (FX differences), so no action is needed.",
            ],
        },
        Intent {
            key: "overdue_invoices",
            asks: &[
                "List unpaid invoices over 60 days for $supplier.",
                "What do we owe $supplier that's overdue?",
            ],
            calls: &[call(
                "query_ledger",
                r#"{"supplier":"$supplier","status":"open","older_than_days":60}"#,
                r#"{"invoices":[{"invoice_number":"$invoice","amount":"$amount","due_date":"$date"},{"invoice_number":"$invoice2","amount":"$amount2","due_date":"$date2"}]}"#,
            )],
            answers: &[
                "Two invoices from $supplier are more than 60 days overdue: $invoice for $amount (due $date) and $invoice2 for $amount2 (due $date2). Both are blocked because the goods receipt is missing.",
            ],
        },
        Intent {
            key: "duplicate_payment",
            asks: &[
                "Was $invoice paid twice? I see two ledger entries.",
                "Possible duplicate payment on $invoice?",
            ],
            calls: &[
                call(
                    "query_ledger",
                    r#"{"document":"$invoice","include_bank":true}"#,
                    r#"{"entries":[{"type":"payment","amount":"$amount","date":"$date","txn":"$txn"},{"type":"payment","amount":"$amount","date":"$date2","txn":"$txn2"}]}"#,
                ),
                call(
                    "flag_for_review",
                    r#"{"document":"$invoice","reason":"possible_duplicate_payment"}"#,
                    r#"{"review_id":"$review","assigned_to":"AP approvers"}"#,
                ),
            ],
            answers: &[
                "Yes, it looks like a duplicate: $invoice was paid on $date ($txn) and again on $date2 ($txn2), both for $amount. I've flagged it for review ($review); an approver will need to request a credit note or refund from the supplier.",
            ],
        },
        Intent {
            key: "accrual_summary",
            asks: &[
                "Prepare the month-end accrual summary for $month.",
                "What should we accrue for $month?",
            ],
            calls: &[call(
                "query_ledger",
                r#"{"report":"goods_received_not_invoiced","period":"$month"}"#,
                r#"{"total":"$big_amount","lines":$lines,"largest":{"po":"$po","supplier":"$supplier","amount":"$amount"}}"#,
            )],
            answers: &[
                "For $month there are $lines goods-received-not-invoiced lines totalling $big_amount. The largest is PO $po from $supplier ($amount). I'd suggest accruing the full amount and reversing it on day one of next month.",
            ],
        },
        Intent {
            key: "match_incoming",
            asks: &[
                "Can you match the $big_amount payment received on $date to an open invoice?",
                "Unidentified receipt of $big_amount on $date. What is it?",
            ],
            calls: &[call(
                "match_payment",
                r#"{"amount":"$big_amount","value_date":"$date","direction":"incoming"}"#,
                r#"{"matched":true,"candidates":[{"document":"$invoice","customer":"$company","confidence":0.94}]}"#,
            )],
            answers: &[
                "The best match is $invoice issued to $company, with 94% confidence (same amount; the remittance text contains the invoice number). I've left it as a proposed match for you to confirm.",
            ],
        },
        Intent {
            key: "vat_check",
            asks: &[
                "Check whether $invoice has the correct VAT rate applied.",
                "Is the VAT on $invoice right?",
            ],
            calls: &[call(
                "fetch_invoice",
                r#"{"invoice_number":"$invoice","include":["lines"]}"#,
                r#"{"invoice_number":"$invoice","supplier":"$supplier","lines":[{"description":"freight services","net":"$amount","vat_rate":0.19}]}"#,
            )],
            answers: &[
                "$invoice charges 19% VAT on freight services from $supplier. Because the supplier is in another EU country, this should be reverse-charged at 0% with the reverse-charge note on the invoice. I'd ask the supplier for a corrected invoice before paying.",
            ],
        },
        Intent {
            key: "payables_by_currency",
            asks: &[
                "What's our total outstanding payables by currency?",
                "AP balance per currency?",
            ],
            calls: &[call(
                "query_ledger",
                r#"{"report":"open_payables","group_by":"currency"}"#,
                r#"{"rows":[{"currency":"EUR","amount":$m1},{"currency":"USD","amount":$m2},{"currency":"GBP","amount":$m3}]}"#,
            )],
            answers: &[
                "Outstanding payables: EUR $m1, USD $m2 and GBP $m3. About a fifth of the USD balance falls due in the next 14 days.",
            ],
        },
        Intent {
            key: "budget_variance",
            asks: &[
                "Summarise the variance between budget and actuals for $dept in $quarter.",
                "How did $dept do against budget in $quarter?",
            ],
            calls: &[call(
                "query_ledger",
                r#"{"report":"budget_vs_actual","cost_centre":"$dept","period":"$quarter"}"#,
                r#"{"budget":$m1,"actual":$m2,"top_variances":[{"account":"6400","description":"contractors"}]}"#,
            )],
            answers: &[
                "$dept spent $m2_h of its $m1_h budget in $quarter, so it is under budget overall. The largest single variance is on contractors (account 6400), which ran over because of temporary staff during peak season.",
            ],
        },
        Intent {
            key: "payment_run",
            asks: &[
                "Approve the payment run for invoices due before $due_date.",
                "Can you release this week's payment run?",
            ],
            calls: &[
                call(
                    "query_ledger",
                    r#"{"report":"payment_proposal","due_before":"$due_date"}"#,
                    r#"{"invoices":$lines,"total":"$big_amount","blocked":2}"#,
                ),
                call(
                    "flag_for_review",
                    r#"{"document":"payment_proposal_$due_date","reason":"approval_required"}"#,
                    r#"{"review_id":"$review","assigned_to":"Finance controller"}"#,
                ),
            ],
            answers: &[
                "I can't approve payments myself. The proposal for invoices due before $due_date has $lines invoices totalling $big_amount, with 2 blocked for missing goods receipts. I've sent it to the finance controller for approval ($review).",
            ],
        },
    ],
    pii_sentences: &[
        "Payment should go to IBAN $iban as per the supplier master data.",
        "The duplicate was charged to corporate card $card.",
        "Note that the supplier's bank details changed last week to $iban; please verify by phone before paying.",
    ],
    attachments: &[
        "[attachment: Q3_full_ledger_export.csv, 18.4 MB]",
        "[attachment: bank_statements_jan-sep.pdf, 240 pages]",
    ],
    documents: &[],
    failure_reply: "The reconciliation could not be completed: the model provider returned an error. Nothing was changed in the ERP.",
    human_queue: "Finance",
    human_topic: "this invoice",
    assesses_people: false,
};

pub(crate) const HR_SCREENING: Bank = Bank {
    system: "You are a recruiting assistant that helps Northwind's talent team screen applications. Summarise CVs against the job requirements, list strengths and gaps, and suggest interview questions. Base every statement on job-relevant evidence in the application. Do not infer or mention age, gender, ethnicity, nationality, religion, disability, family status or any other protected characteristic. Final decisions are always made by a human recruiter.",
    tools: &[
        tool(
            "parse_cv",
            "Extract structured data from a candidate's CV.",
            "applicant tracking system",
            (250, 800),
            r#","contact":{"email":"$email","phone":"$phone"}"#,
        ),
        tool(
            "fetch_job_description",
            "Get the requirements of a job requisition.",
            "applicant tracking system",
            (40, 200),
            "",
        ),
        tool(
            "score_candidate",
            "Score a candidate against a requisition's must-haves.",
            "screening model",
            (150, 600),
            r#","background_check":{"ssn":"$ssn","status":"clear"}"#,
        ),
    ],
    intents: &[
        Intent {
            key: "summarise_cv",
            asks: &[
                "Summarise candidate $cand's CV for the $role role ($req).",
                "Give me a quick summary of $cand for $req.",
            ],
            calls: &[
                call(
                    "parse_cv",
                    r#"{"candidate_id":"$cand"}"#,
                    r#"{"candidate_id":"$cand","years_experience":$years,"skills":["$skill","Kubernetes","PostgreSQL"],"education":"MSc Computer Science, $grad_year","location":"$city","notice_period_weeks":$notice}"#,
                ),
                call(
                    "fetch_job_description",
                    r#"{"requisition":"$req"}"#,
                    r#"{"requisition":"$req","title":"$role","must_have":["$skill","5+ years experience"],"nice_to_have":["retail domain"]}"#,
                ),
            ],
            answers: &[
                "Summary for $cand ($role, $req): $facts Strong match on $skill, which is a must-have. Gap: no retail-domain experience, which is only a nice-to-have. Recommendation: move to a technical phone screen.",
                "$cand looks like a good fit for $req. $facts The $skill experience is recent and hands-on. I'd probe system-design depth in the interview.",
            ],
        },
        Intent {
            key: "must_haves",
            asks: &[
                "Does $cand meet the must-have requirements for $req?",
                "Check $cand against the must-haves for $role.",
            ],
            calls: &[
                call(
                    "fetch_job_description",
                    r#"{"requisition":"$req"}"#,
                    r#"{"requisition":"$req","title":"$role","must_have":["$skill","5+ years experience","on-call experience"]}"#,
                ),
                call(
                    "score_candidate",
                    r#"{"candidate_id":"$cand","requisition":"$req"}"#,
                    r#"{"candidate_id":"$cand","score":$score,"must_haves_met":2,"must_haves_total":3,"missing":["on-call experience"]}"#,
                ),
            ],
            answers: &[
                "$cand meets 2 of the 3 must-haves for $req (screening score $score/100). $facts There is no evidence of on-call experience; worth asking about directly rather than rejecting.",
            ],
        },
        Intent {
            key: "rank_candidates",
            asks: &[
                "Rank these three candidates for $role: $cand, $cand2, $cand3.",
                "Who should we interview first for $req: $cand, $cand2 or $cand3?",
            ],
            calls: &[
                call(
                    "score_candidate",
                    r#"{"candidate_id":"$cand","requisition":"$req"}"#,
                    r#"{"candidate_id":"$cand","score":$score}"#,
                ),
                call(
                    "score_candidate",
                    r#"{"candidate_id":"$cand2","requisition":"$req"}"#,
                    r#"{"candidate_id":"$cand2","score":$score2}"#,
                ),
                call(
                    "score_candidate",
                    r#"{"candidate_id":"$cand3","requisition":"$req"}"#,
                    r#"{"candidate_id":"$cand3","score":$score3}"#,
                ),
            ],
            answers: &[
                "By screening score: $cand ($score), $cand2 ($score2), $cand3 ($score3). The scores only cover the must-haves, so please read the top two applications in full before deciding.",
            ],
        },
        Intent {
            key: "interview_questions",
            asks: &[
                "Draft interview questions for $cand based on gaps in their CV.",
                "What should we ask $cand in the interview?",
            ],
            calls: &[call(
                "parse_cv",
                r#"{"candidate_id":"$cand"}"#,
                r#"{"candidate_id":"$cand","years_experience":$years,"skills":["$skill","Terraform"],"gaps":["no production incident ownership"]}"#,
            )],
            answers: &[
                "Suggested questions for $cand: 1) Walk us through the largest system you've built with $skill. 2) Tell us about a production incident you owned end to end. 3) How do you decide when to add a cache? 4) What would you change in your current team's deployment process? $facts",
            ],
        },
        Intent {
            key: "rejection_note",
            asks: &[
                "Write a short rejection note for $cand (not enough $skill experience).",
                "Draft a polite no for $cand.",
            ],
            calls: &[],
            answers: &[
                "Draft: Thank you for applying for the $role role and for the time you put into your application. We've decided to move forward with candidates whose experience with $skill more closely matches what the team needs right now. We'd be glad to hear from you for future openings.",
            ],
        },
        Intent {
            key: "salary_band",
            asks: &[
                "Compare $cand's salary expectation with the band for $req.",
                "Is $cand within budget for $req?",
            ],
            calls: &[
                call(
                    "parse_cv",
                    r#"{"candidate_id":"$cand","fields":["salary_expectation"]}"#,
                    r#"{"candidate_id":"$cand","salary_expectation":"$salary"}"#,
                ),
                call(
                    "fetch_job_description",
                    r#"{"requisition":"$req","fields":["salary_band"]}"#,
                    r#"{"requisition":"$req","salary_band":{"min":"$salary_min","max":"$salary_max"}}"#,
                ),
            ],
            answers: &[
                "$cand expects $salary; the band for $req is $salary_min to $salary_max, so the expectation is within range. $facts",
            ],
        },
        Intent {
            key: "skill_recency",
            asks: &[
                "Is $cand's experience with $skill recent enough?",
                "When did $cand last use $skill professionally?",
            ],
            calls: &[call(
                "parse_cv",
                r#"{"candidate_id":"$cand"}"#,
                r#"{"candidate_id":"$cand","positions":[{"title":"$role","skills":["$skill"],"years":$years,"current":true}]}"#,
            )],
            answers: &["Yes: $cand uses $skill in their current position. $facts"],
        },
        Intent {
            key: "application_concerns",
            asks: &[
                "Flag any concerns in $cand's application.",
                "Anything worrying in $cand's CV?",
            ],
            calls: &[call(
                "parse_cv",
                r#"{"candidate_id":"$cand"}"#,
                r#"{"candidate_id":"$cand","years_experience":$years,"short_tenures":1,"references":"provided"}"#,
            )],
            answers: &[
                "Nothing serious. $facts One position lasted under a year, which the cover letter explains by a company closure. References are provided.",
            ],
        },
    ],
    pii_sentences: &[
        "Contact details: $email, $phone.",
        "The background-check vendor matched SSN $ssn.",
        "You can reach the candidate at $email.",
    ],
    attachments: &["[attachment: applications_batch_$req.zip, 64 CVs]"],
    documents: &[],
    failure_reply: "The screening summary could not be generated because the model provider returned an error. Please retry.",
    human_queue: "Talent",
    human_topic: "this candidate",
    assesses_people: true,
};

pub(crate) const IT_HELPDESK: Bank = Bank {
    system: "You are Northwind's internal IT helpdesk assistant, reachable from Slack through the OpenClaw gateway. Help employees with access, devices and SaaS tools. Check service status before troubleshooting an outage. You can unlock accounts after the user confirms in Okta Verify, but you never reset MFA or grant admin rights: those need a ticket for the IT operations team.",
    tools: &[
        tool(
            "search_kb",
            "Search IT knowledge-base articles.",
            "IT knowledge base",
            (50, 300),
            "",
        ),
        tool(
            "check_service_status",
            "Current status of an internal or SaaS service.",
            "status page",
            (40, 220),
            "",
        ),
        tool(
            "unlock_account",
            "Unlock an Okta account after push verification.",
            "Okta",
            (300, 800),
            r#","last_failed_login_ip":"$ip""#,
        ),
        tool(
            "lookup_asset",
            "Look up a laptop or device by asset tag.",
            "asset register",
            (60, 260),
            r#","assigned_user_email":"$email""#,
        ),
        tool(
            "create_ticket",
            "Open an IT operations ticket.",
            "ServiceNow",
            (150, 600),
            "",
        ),
    ],
    intents: &[
        Intent {
            key: "vpn_drops",
            asks: &[
                "The VPN keeps disconnecting every 10 minutes on my $device.",
                "GlobalProtect drops constantly since this morning.",
            ],
            calls: &[
                call(
                    "check_service_status",
                    r#"{"service":"VPN"}"#,
                    r#"{"service":"VPN","status":"operational"}"#,
                ),
                call(
                    "search_kb",
                    r#"{"query":"vpn disconnects every few minutes"}"#,
                    r#"{"articles":[{"id":"$kb","title":"VPN keeps disconnecting","snippet":"Disable Wi-Fi power saving; update the client to 6.2.4; switch portal to vpn-eu2."}]}"#,
                ),
            ],
            answers: &[
                "The VPN itself is healthy, so it's probably local. On a $device this is usually Wi-Fi power saving: turn it off, update GlobalProtect to 6.2.4 and try the vpn-eu2 portal. Details are in $kb; if it still drops, reply here and I'll open a ticket.",
            ],
        },
        Intent {
            key: "okta_locked",
            asks: &[
                "I'm locked out of Okta after too many attempts.",
                "Okta says my account is locked, can you unlock it?",
            ],
            calls: &[call(
                "unlock_account",
                r#"{"user":"$employee","verification":"okta_verify_push"}"#,
                r#"{"user":"$employee","status":"unlocked","failed_attempts":$attempts}"#,
            )],
            answers: &[
                "You're unlocked. I saw $attempts failed attempts, so if that wasn't all you, change your password now. Tip: the saved password in your browser is the usual culprit after a password change.",
            ],
        },
        Intent {
            key: "service_down",
            asks: &[
                "Is $service down? I can't load it.",
                "$service not working for anyone else?",
            ],
            calls: &[call(
                "check_service_status",
                r#"{"service":"$service"}"#,
                r#"{"service":"$service","status":"degraded","incident":"$inc","since":"$time_h"}"#,
            )],
            answers: &[
                "Yes, $service has been degraded since $time_h and there's an open incident ($inc). The vendor is working on it; you'll see updates in #it-status. No need to raise a separate ticket.",
            ],
        },
        Intent {
            key: "repo_access",
            asks: &[
                "I need access to the $repo repo in GitLab.",
                "Can I get developer access to $repo?",
            ],
            calls: &[call(
                "create_ticket",
                r#"{"type":"access_request","resource":"gitlab:$repo","role":"developer","requester":"$employee"}"#,
                r#"{"ticket_id":"$inc","approver":"repository owner","sla_hours":24}"#,
            )],
            answers: &[
                "I've raised access request $inc for developer access to $repo. The repository owner needs to approve it; you'll get a Slack message once it's granted, usually within a day.",
            ],
        },
        Intent {
            key: "slow_laptop",
            asks: &[
                "My laptop $asset has been really slow since the last update.",
                "$asset is crawling. Fans at 100% all day.",
            ],
            calls: &[
                call(
                    "lookup_asset",
                    r#"{"asset_tag":"$asset"}"#,
                    r#"{"asset_tag":"$asset","model":"$device","os_version":"$os","disk_free_gb":$disk,"warranty_until":"$due_date"}"#,
                ),
                call(
                    "search_kb",
                    r#"{"query":"slow laptop after update indexing"}"#,
                    r#"{"articles":[{"id":"$kb","title":"Slow after OS update","snippet":"Indexing runs for up to 24 hours after a major update; check for less than 15 GB free disk."}]}"#,
                ),
            ],
            answers: &[
                "Your $device ($asset) only has $disk GB of disk free, which slows everything down, and after a major update the search index also rebuilds for up to a day. Clear some space (Downloads is usually the biggest) and leave it plugged in overnight. If it's still slow tomorrow, I'll book a swap.",
            ],
        },
        Intent {
            key: "mfa_new_phone",
            asks: &[
                "How do I set up MFA on my new phone?",
                "Got a new phone, how do I move Okta Verify?",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"move okta verify to new phone"}"#,
                r#"{"articles":[{"id":"$kb","title":"New phone: moving Okta Verify","snippet":"Add the new device from Settings > Security Methods while the old phone still works; otherwise IT must reset MFA."}]}"#,
            )],
            answers: &[
                "If your old phone still works: go to Okta, then Settings, then Security Methods, and add Okta Verify on the new phone before removing the old one. If the old phone is gone, I can't reset MFA myself, but I can open a ticket for IT operations; they'll verify you by video call.",
            ],
        },
        Intent {
            key: "printer_error",
            asks: &[
                "The printer on floor 3 shows error 49.4C02.",
                "Printer says 49.4C02 and won't print.",
            ],
            calls: &[
                call(
                    "search_kb",
                    r#"{"query":"printer error 49.4C02"}"#,
                    r#"{"articles":[{"id":"$kb","title":"HP error 49.4C02","snippet":"Firmware error caused by a corrupt print job; power-cycle and clear the queue."}]}"#,
                ),
                call(
                    "create_ticket",
                    r#"{"type":"incident","ci":"PRN-F3-01","summary":"Error 49.4C02"}"#,
                    r#"{"ticket_id":"$inc","sla_hours":8}"#,
                ),
            ],
            answers: &[
                "Error 49.4C02 is caused by a corrupt print job. Turn the printer off for 30 seconds and back on; that usually clears it. I've also opened $inc so facilities can clear the queue if it comes back.",
            ],
        },
        Intent {
            key: "hardware_request",
            asks: &[
                "Can I get a second monitor and a docking station?",
                "I need a new dock, mine is broken.",
            ],
            calls: &[call(
                "create_ticket",
                r#"{"type":"hardware_request","items":["monitor 27in","usb-c dock"],"requester":"$employee"}"#,
                r#"{"ticket_id":"$inc","approval":"manager","sla_hours":72}"#,
            )],
            answers: &[
                "I've raised $inc for a 27-inch monitor and a USB-C dock. Your manager will get an approval request; once approved, the kit ships to your desk within 3 working days.",
            ],
        },
        Intent {
            key: "calendar_sync",
            asks: &[
                "My Outlook calendar isn't syncing on my phone.",
                "Meetings missing from the calendar on mobile.",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"outlook mobile calendar not syncing"}"#,
                r#"{"articles":[{"id":"$kb","title":"Outlook mobile sync","snippet":"Reset the account in Outlook settings; make sure Intune Company Portal is up to date."}]}"#,
            )],
            answers: &[
                "In the Outlook app, go to Settings, tap your account and choose 'Reset account'; it re-downloads the calendar without losing anything. Also check that Company Portal is up to date, because an outdated compliance check blocks sync.",
            ],
        },
        Intent {
            key: "software_install",
            asks: &[
                "Can you install $software on my machine?",
                "I need $software for a project.",
            ],
            calls: &[call(
                "create_ticket",
                r#"{"type":"software_request","software":"$software","requester":"$employee"}"#,
                r#"{"ticket_id":"$inc","catalogue_item":true,"sla_hours":24}"#,
            )],
            answers: &[
                "$software is in the software catalogue, so no licence approval is needed. I've raised $inc and it will be pushed to your laptop through Self Service within a day.",
            ],
        },
        Intent {
            key: "api_token",
            asks: &[
                "How do I rotate my Jira API token?",
                "My Jira token expired, how do I make a new one?",
            ],
            calls: &[call(
                "search_kb",
                r#"{"query":"jira api token rotate"}"#,
                r#"{"articles":[{"id":"$kb","title":"Atlassian API tokens","snippet":"Create at id.atlassian.com > Security; tokens expire after 365 days."}]}"#,
            )],
            answers: &[
                "Create a new one at id.atlassian.com under Security, then API tokens, and update it wherever the old one was used. Tokens now expire after a year. Don't paste the token in Slack; store it in 1Password.",
            ],
        },
    ],
    pii_sentences: &[
        "I can see failed sign-ins from $ip. If that wasn't you, tell us right away.",
        "I've sent the reset instructions to $email.",
        "The device is registered to $email.",
    ],
    attachments: &["[attachment: full_device_logs_$asset.zip, 312 MB]"],
    documents: &[],
    failure_reply: "Sorry, I hit an error talking to the model provider. Please try again in a minute.",
    human_queue: "IT Operations",
    human_topic: "this problem",
    assesses_people: false,
};

pub(crate) const MARKETING: Bank = Bank {
    system: "You are the content assistant for Northwind's marketing team. Write in the Northwind voice: practical, warm, outdoorsy and never exaggerated. No superlatives we can't prove, no ALL CAPS, at most one exclamation mark. Check claims against the brand guidelines and use campaign data when asked about performance.",
    tools: &[
        tool(
            "search_brand_guidelines",
            "Search the brand and tone-of-voice guidelines.",
            "brand portal",
            (60, 350),
            "",
        ),
        tool(
            "fetch_campaign_metrics",
            "Fetch e-mail and social metrics for a campaign.",
            "marketing analytics",
            (200, 800),
            r#","top_clicker":"$email""#,
        ),
    ],
    intents: &[
        Intent {
            key: "subject_lines",
            asks: &[
                "Write 3 subject lines for the $campaign e-mail, max 50 characters.",
                "Subject line ideas for $campaign?",
            ],
            calls: &[],
            answers: &[
                "1) Your next trail starts here: $campaign. 2) Layers that keep up with you. 3) $campaign: gear for shorter days. All three are under 50 characters; the second tested best in similar campaigns.",
            ],
        },
        Intent {
            key: "launch_caption",
            asks: &[
                "Draft an Instagram caption for the $product launch.",
                "Caption for the new $product post please.",
            ],
            calls: &[call(
                "search_brand_guidelines",
                r#"{"query":"social captions hashtags"}"#,
                r#"{"sections":[{"title":"Social","text":"Max 2 hashtags, lead with the benefit, end with a question."}]}"#,
            )],
            answers: &[
                "Meet the $product: built for long days and unpredictable weather, and light enough that you'll forget it's there. Where are you taking it first? #NorthwindOutdoors #TrailReady",
            ],
        },
        Intent {
            key: "rewrite_description",
            asks: &[
                "Rewrite this product description to be more on-brand: '$product: durable, light, good.'",
                "Make the $product description less boring.",
            ],
            calls: &[],
            answers: &[
                "The $product is made for the miles between the car park and the summit: tough where it rubs, light where it counts, and comfortable enough to forget about. Recycled fabric, a lifetime of repairs.",
            ],
        },
        Intent {
            key: "campaign_performance",
            asks: &[
                "Summarise last week's performance of $campaign.",
                "How is $campaign doing?",
            ],
            calls: &[call(
                "fetch_campaign_metrics",
                r#"{"campaign":"$campaign","period":"last_7_days"}"#,
                r#"{"campaign":"$campaign","sent":$c1,"open_rate":$r1,"click_rate":$r2,"revenue":$m1}"#,
            )],
            answers: &[
                "$campaign last week: $c1_h e-mails sent, $r1_h opened and $r2_h clicked, bringing in $m1_h in attributed revenue. Opens are in line with our average; clicks are slightly above it.",
            ],
        },
        Intent {
            key: "translate_headline",
            asks: &[
                "Translate the $campaign banner headline 'Gear up for shorter days' into German and French.",
                "German and French versions of the $campaign headline?",
            ],
            calls: &[],
            answers: &[
                "German: 'Bereit fuer kuerzere Tage'. French: 'Equipez-vous pour les jours plus courts'. Both keep the practical tone; have a native speaker check the German before it goes live.",
            ],
        },
        Intent {
            key: "blog_outline",
            asks: &[
                "Create a blog outline: how to layer for winter hikes.",
                "Outline for a layering guide?",
            ],
            calls: &[],
            answers: &[
                "Outline: 1) Why layering beats one big coat. 2) Base layer: merino versus synthetic. 3) Mid layer: fleece or light insulation. 4) Shell: when you need full waterproofing. 5) Hands, head and feet. 6) A printable checklist. Link the $product in sections 3 and 4.",
            ],
        },
        Intent {
            key: "ab_test_ideas",
            asks: &[
                "Give me 5 A/B test ideas for the checkout banner.",
                "What should we test on the checkout banner?",
            ],
            calls: &[],
            answers: &[
                "1) Free-returns message versus free-repairs message. 2) Showing the Trail Club points earned on the order. 3) Static banner versus a delivery-date countdown. 4) Product photo versus a lifestyle photo. 5) Placement above versus below the basket total.",
            ],
        },
        Intent {
            key: "brand_check",
            asks: &[
                "Check this copy against our brand guidelines: 'BEST JACKET EVER!!! Buy now!!!'",
                "Is 'the most waterproof jacket in the world' OK to use?",
            ],
            calls: &[call(
                "search_brand_guidelines",
                r#"{"query":"superlatives claims capitals exclamation"}"#,
                r#"{"sections":[{"title":"Claims","text":"No unverifiable superlatives; no all caps; at most one exclamation mark per asset."}]}"#,
            )],
            answers: &[
                "That copy breaks three guidelines: an unprovable superlative, all caps and multiple exclamation marks. Try instead: 'Our most protective shell yet, tested through a Scottish winter.'",
            ],
        },
        Intent {
            key: "product_faq",
            asks: &[
                "Write a product FAQ for the $product.",
                "FAQ section for the $product page?",
            ],
            calls: &[],
            answers: &[
                "Is the $product waterproof? Yes, with fully taped seams. How does it fit? True to size with room for a mid layer. Can it be repaired? Yes, free for Trail Club Plus members. How do I wash it? 30 degrees, no fabric softener, tumble dry low to refresh the finish.",
            ],
        },
    ],
    pii_sentences: &[
        "Note: the seed list still contains $email; remove it before sending.",
        "The most engaged subscriber, $email, clicked 14 times.",
    ],
    attachments: &["[attachment: brand_book_2026_full.pdf, 148 pages]"],
    documents: &[],
    failure_reply: "Sorry, the draft could not be generated because the model provider returned an error.",
    human_queue: "Marketing",
    human_topic: "this draft",
    assesses_people: false,
};

pub(crate) const LEGAL: Bank = Bank {
    system: "You are a contract-review assistant for Northwind's legal team. Compare contract clauses with the Northwind negotiation playbook, quote the clause numbers you rely on, and rate each issue as low, medium or high risk. You do not give final legal advice; a lawyer reviews every output.",
    tools: &[
        tool(
            "search_clauses",
            "Search the clauses of a contract in the repository.",
            "contract repository",
            (120, 600),
            r#","notice_contact":{"email":"$email","phone":"$phone"}"#,
        ),
        tool(
            "compare_to_playbook",
            "Compare a clause with the playbook's fallback positions.",
            "playbook service",
            (80, 400),
            "",
        ),
    ],
    intents: &[
        Intent {
            key: "liability_cap",
            asks: &[
                "Review the limitation of liability clause in $contract and compare it with our playbook.",
                "Is the liability cap in $contract acceptable?",
            ],
            calls: &[
                call(
                    "search_clauses",
                    r#"{"contract":"$contract","topic":"limitation of liability"}"#,
                    r#"{"clauses":[{"number":"12.2","text":"Supplier's aggregate liability shall not exceed the fees paid in the preceding three (3) months."}]}"#,
                ),
                call(
                    "compare_to_playbook",
                    r#"{"topic":"limitation of liability","clause":"12.2"}"#,
                    r#"{"preferred":"12 months' fees","fallback":"6 months' fees","walk_away":"less than 3 months' fees"}"#,
                ),
            ],
            answers: &[
                "Clause 12.2 of $contract caps liability at three months' fees, below our 6-month fallback and right at the walk-away line. Risk: high. Suggested redline: raise the cap to 12 months' fees and carve out data-protection breaches.",
            ],
        },
        Intent {
            key: "auto_renewal",
            asks: &[
                "Does $contract contain an auto-renewal clause? What's the notice period?",
                "When do we need to give notice on $contract?",
            ],
            calls: &[call(
                "search_clauses",
                r#"{"contract":"$contract","topic":"term and renewal"}"#,
                r#"{"clauses":[{"number":"3.1","text":"This Agreement renews automatically for successive 12-month terms unless either party gives 90 days' written notice."}]}"#,
            )],
            answers: &[
                "Yes. Clause 3.1 renews $contract automatically for 12-month terms unless either party gives 90 days' written notice. Based on the current term, the notice deadline is $due_date. Risk: medium; I'd add a calendar reminder.",
            ],
        },
        Intent {
            key: "nda_risks",
            asks: &[
                "Summarise the key risks in the NDA with $company.",
                "Anything unusual in the $company NDA?",
            ],
            calls: &[call(
                "search_clauses",
                r#"{"contract":"NDA-$company","topic":"all"}"#,
                r#"{"clauses":[{"number":"4","text":"Obligations survive for ten (10) years."},{"number":"7","text":"Residuals clause."}]}"#,
            )],
            answers: &[
                "Two points in the $company NDA: clause 4 keeps confidentiality obligations for 10 years (we normally accept 3 to 5; risk medium), and clause 7 is a residuals clause letting them use information retained in memory (risk high; our playbook says delete it).",
            ],
        },
        Intent {
            key: "governing_law",
            asks: &[
                "Is the governing law in $contract acceptable for a UK entity?",
                "Which law governs $contract?",
            ],
            calls: &[call(
                "search_clauses",
                r#"{"contract":"$contract","topic":"governing law"}"#,
                r#"{"clauses":[{"number":"18.1","text":"This Agreement is governed by the laws of the State of Delaware."}]}"#,
            )],
            answers: &[
                "Clause 18.1 chooses Delaware law. For a UK contracting entity our playbook prefers English law with London courts; New York or Delaware is an acceptable fallback for US vendors. Risk: low.",
            ],
        },
        Intent {
            key: "indemnity_redline",
            asks: &[
                "Suggest a redline for the indemnification clause in $contract.",
                "The indemnity in $contract looks one-sided. Fix?",
            ],
            calls: &[
                call(
                    "search_clauses",
                    r#"{"contract":"$contract","topic":"indemnification"}"#,
                    r#"{"clauses":[{"number":"11.1","text":"Customer shall indemnify Supplier against all claims arising from use of the Services."}]}"#,
                ),
                call(
                    "compare_to_playbook",
                    r#"{"topic":"indemnification","clause":"11.1"}"#,
                    r#"{"preferred":"mutual indemnity limited to third-party IP claims and breach of confidentiality"}"#,
                ),
            ],
            answers: &[
                "Clause 11.1 is one-sided: only Northwind indemnifies. Suggested redline: make it mutual and limit it to third-party IP infringement claims and breaches of confidentiality, with the indemnifying party controlling the defence. Risk: high as drafted.",
            ],
        },
        Intent {
            key: "dpa_obligations",
            asks: &[
                "What are the data processing obligations in the DPA with $supplier?",
                "Summarise the $supplier DPA.",
            ],
            calls: &[call(
                "search_clauses",
                r#"{"contract":"DPA-$supplier","topic":"processor obligations"}"#,
                r#"{"clauses":[{"number":"5","text":"Processor shall notify Controller of a Personal Data Breach without undue delay and in any event within 72 hours."},{"number":"8","text":"Sub-processors listed in Annex 3."}]}"#,
            )],
            answers: &[
                "$supplier must notify us of a personal-data breach within 72 hours (clause 5). Our playbook asks for 48, so risk is medium. Sub-processors are listed in Annex 3 with 30 days' notice of changes (clause 8), which matches our standard.",
            ],
        },
        Intent {
            key: "assignment",
            asks: &[
                "Does $contract allow assignment without consent?",
                "Can the vendor assign $contract to someone else?",
            ],
            calls: &[call(
                "search_clauses",
                r#"{"contract":"$contract","topic":"assignment"}"#,
                r#"{"clauses":[{"number":"16.3","text":"Either party may assign this Agreement to an affiliate or successor without consent."}]}"#,
            )],
            answers: &[
                "Clause 16.3 lets either party assign to an affiliate or a successor without consent. That's acceptable for affiliates, but we'd want notice and a termination right if the successor is a competitor. Risk: medium.",
            ],
        },
        Intent {
            key: "termination_rights",
            asks: &[
                "List the termination rights in $contract.",
                "How can we get out of $contract?",
            ],
            calls: &[call(
                "search_clauses",
                r#"{"contract":"$contract","topic":"termination"}"#,
                r#"{"clauses":[{"number":"14.1","text":"Termination for material breach not cured within 30 days."},{"number":"14.3","text":"Customer may terminate for convenience on 60 days' notice."}]}"#,
            )],
            answers: &[
                "We can terminate $contract for material breach not cured within 30 days (clause 14.1) or for convenience on 60 days' notice (clause 14.3). Insolvency isn't covered; I'd add it. Risk: low.",
            ],
        },
    ],
    pii_sentences: &[
        "Notices under clause 20 go to $email.",
        "The counterparty's signatory can be reached on $phone.",
    ],
    attachments: &["[attachment: $contract (full text with annexes).pdf, 214 pages]"],
    documents: &[
        Document {
            id: "playbook/limitation-of-liability",
            content: "Preferred: cap at 12 months' fees; fallback 6 months; walk away below 3 months. Always carve out confidentiality and data protection.",
        },
        Document {
            id: "playbook/indemnities",
            content: "Indemnities must be mutual and limited to third-party IP claims and confidentiality breaches.",
        },
        Document {
            id: "playbook/term-and-renewal",
            content: "Accept auto-renewal only with notice of 60 days or less; calendar all notice deadlines.",
        },
        Document {
            id: "playbook/governing-law",
            content: "UK entities: English law, London courts. US vendors: New York or Delaware acceptable.",
        },
        Document {
            id: "playbook/data-protection",
            content: "Breach notification within 48 hours; sub-processor changes with 30 days' notice and a right to object.",
        },
    ],
    failure_reply: "The review could not be completed because the model provider returned an error.",
    human_queue: "Legal",
    human_topic: "this contract",
    assesses_people: false,
};

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
