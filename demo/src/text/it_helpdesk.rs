//! The internal IT helpdesk agent's bank: access, devices, SaaS outages and software requests.

use super::{Bank, Intent, call, tool};

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
