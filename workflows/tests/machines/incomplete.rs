//! Incomplete calls (procedures.md 1 and 4): no `call_ended`, or one that says the call did not
//! run to its end. They are audited as far as they go: nothing counts as missing (no omission
//! code), everything else still counts.

use callflow_workflows::{Code, Event, Verdict};

use crate::support::*;

const START: &str = "2026-03-02T14:05:11-05:00";

/// The omission codes of section 4, as the spec lists them: the one hand-written list, held
/// against `Code::is_omission` by the first test; every other test asks `is_omission`.
const SPEC_OMISSIONS: [&str; 16] = [
    "CF03", "CF04", "SD02", "SD04", "SD05", "SD06", "SD07", "SD08", "SD09", "SD10", "SD11", "PC08",
    "PC09", "PC10", "PC11", "PC12",
];

/// The omission codes, as the crate knows them.
fn omissions() -> Vec<&'static str> {
    engine()
        .codes()
        .iter()
        .filter(|c| c.is_omission())
        .map(|c| c.as_str())
        .collect()
}

struct Scenario {
    name: &'static str,
    rows: Vec<Row>,
    /// Omission codes a complete call raises (CF04 aside: no scenario says goodbye).
    omissions: &'static [&'static str],
    /// The other codes, raised whether the call is complete or not.
    others: &'static [&'static str],
}

fn scenarios() -> Vec<Scenario> {
    let greet =
        |reason: &'static str| vec![("14:05:13", Event::Greeting), ("14:05:31", inquiry(reason))];
    let with = |mut rows: Vec<Row>, more: Vec<Row>| {
        rows.extend(more);
        rows
    };
    vec![
        Scenario {
            name: "within review, never answered",
            rows: with(
                greet("reward_email_missing"),
                vec![("14:05:50", ev("warranty_started", "2026-02-10"))],
            ),
            omissions: &["SD02"],
            others: &[],
        },
        Scenario {
            name: "overdue, nothing done",
            rows: with(
                greet("reward_email_missing"),
                vec![
                    ("14:05:50", ev("warranty_started", "2026-01-20")),
                    ("14:05:51", ev("first_payment", "2026-01-20")),
                ],
            ),
            omissions: &["SD04", "SD05", "SD11"],
            others: &[],
        },
        Scenario {
            name: "site issue, nothing done",
            rows: greet("reward_site_issue"),
            omissions: &["CF03", "SD10", "SD11"],
            others: &[],
        },
        Scenario {
            name: "no response, nothing done",
            rows: greet("reward_partner_no_response"),
            omissions: &["CF03", "SD05", "SD06", "SD07", "SD08", "SD09", "SD11"],
            others: &[],
        },
        Scenario {
            name: "cancellation: a dispute unanswered, no quote, a chat left open",
            rows: with(
                greet("warranty_cancellation"),
                vec![
                    ("14:05:50", ev("refund_calculator", "79.00")),
                    ("14:05:55", step("amount_disputed")),
                    ("14:06:00", ev("chat_opened", "relay_cancellation")),
                    ("14:06:05", ev("chat_form", "enterprise_id=sjones;agent_name=Sam;member_name=Pat Lee;customer_id=5551234567;reason=Cancellations/Paid Call Fee")),
                ],
            ),
            omissions: &["PC08", "PC09", "PC10"],
            others: &[],
        },
        Scenario {
            name: "awaiting first payment, told the email comes soon",
            rows: with(
                greet("reward_email_missing"),
                vec![
                    ("14:05:50", ev("warranty_started", "2026-01-20")),
                    ("14:05:51", ev("first_payment", "none")),
                    ("14:06:00", step("expect_email_soon")),
                    ("14:06:10", ev("collect", "phone")),
                ],
            ),
            omissions: &[],
            others: &["SD01", "SD12", "SD13"],
        },
        Scenario {
            name: "cancellation: a phone call, Yes on the prompt and a wrong quote",
            rows: with(
                greet("warranty_cancellation"),
                vec![
                    ("14:05:50", ev("refund_calculator", "79.00")),
                    ("14:05:55", step("phone_call_partner")),
                    ("14:06:00", ev("warranty_prompt", "yes")),
                    ("14:06:10", ev("quote_amount", "80")),
                ],
            ),
            omissions: &[],
            others: &["PC01", "PC02", "PC05", "PC07"],
        },
    ]
}

#[test]
fn the_omission_codes_are_those_the_spec_lists() {
    let mut omissions = omissions();
    omissions.sort_unstable();
    let mut expected = SPEC_OMISSIONS.to_vec();
    expected.sort_unstable();
    assert_eq!(omissions, expected);
}

#[test]
fn a_complete_call_raises_its_omissions() {
    for scenario in scenarios() {
        let mut rows = scenario.rows.clone();
        rows.push(("14:07:47", ended()));
        let call = run(START, &rows);
        let mut expected = vec!["CF04"];
        expected.extend_from_slice(scenario.omissions);
        expected.extend_from_slice(scenario.others);
        assert_codes(&call, &expected);
        assert!(call.outcome().complete, "{}", scenario.name);
    }
}

#[test]
fn an_incomplete_call_raises_no_omission_whatever_ended_it() {
    for end in [
        None,
        Some("customer_hung_up"),
        Some("dropped"),
        Some("transferred"),
    ] {
        for scenario in scenarios() {
            let mut rows = scenario.rows.clone();
            if let Some(status) = end {
                rows.push(("14:07:47", ev("call_ended", status)));
            }
            let call = run(START, &rows);
            let mut expected = vec!["CF05"];
            expected.extend_from_slice(scenario.others);
            assert_codes(&call, &expected);
            assert_absent(&call, &omissions());
            let critical = scenario
                .others
                .iter()
                .any(|c| ["SD01", "PC01", "PC02", "PC07"].contains(c));
            let verdict = if critical {
                Verdict::Fail
            } else {
                Verdict::Incomplete
            };
            assert_eq!(
                call.outcome().verdict,
                verdict,
                "{} / {end:?}",
                scenario.name
            );
        }
    }
}

#[test]
fn a_live_call_has_no_omission_yet() {
    for scenario in scenarios() {
        let call = live(START, &scenario.rows);
        assert!(!call.is_over());
        // What was done wrong is raised on the spot; what is missing waits for the close.
        assert_codes(&call, scenario.others);
    }
}

#[test]
fn an_inquiry_closed_by_a_new_one_loses_its_omissions_when_the_call_is_later_cut_off() {
    // procedures.md 4: for an incomplete call nothing counts as missing. The first inquiry was
    // judged when the second opened (its omissions are findings while the call is live), but
    // once the call ends cut off, they are not counted; CF05 says why.
    let mut steps = vec![
        ("14:05:13", Event::Greeting),
        ("14:05:31", inquiry("reward_site_issue")),
        ("14:05:50", step("explain_partner_support")),
        ("14:06:00", inquiry("reward_partner_no_response")),
    ];
    let live = live(START, &steps);
    assert_codes(&live, &["CF03", "SD11"]);
    assert_eq!(evidence_lines(&live, Code::SD11), vec![6]);
    steps.push(("14:06:10", ev("call_ended", "customer_hung_up")));
    let call = run(START, &steps);
    assert_codes(&call, &["CF05"]);
    assert!(call.inquiries()[1].findings().is_empty());
    assert_eq!(outcome(&call), (100, Verdict::Incomplete));
}
