//! The marketing content agent's bank: copy, captions, campaign results and brand checks.

use super::{Bank, Intent, call, tool};

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
