//! The contract-review agent's bank: clauses compared with the negotiation playbook it retrieves.

use super::{Bank, Document, Intent, call, tool};

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
