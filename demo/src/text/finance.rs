//! The accounts-payable agent's bank: invoice reconciliation, payments, accruals and budgets.

use super::{Bank, Intent, call, tool};

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
