//! The data analyst agent's bank: SQL questions against the warehouse, with the dbt
//! documentation it retrieves.

use super::{Bank, Document, Intent, call, tool};

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
