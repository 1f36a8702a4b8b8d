//! The customer support agent's bank: orders, deliveries, returns, refunds and product questions.

use super::{Bank, Intent, call, tool};

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
