//! The onboarding agent's bank: Trail Club membership, trade accounts, Pay Later and
//! identity checks.

use super::{Bank, Intent, call, tool};

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
