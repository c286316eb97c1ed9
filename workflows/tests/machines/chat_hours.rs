//! Chat hours (rule 4): Monday to Friday, 09:00 (inside) to 18:00 (outside), New York time,
//! judged at `chat_opened`, on both sides of both 2026 daylight-saving changes (2026-03-08 and
//! 2026-11-01), each time written with its New York offset and in UTC.

use callflow_workflows::{Code, Event, Verdict};

use crate::support::*;

const FORM: &str = "enterprise_id=sjones;agent_name=Sam;member_name=Pat Lee;customer_id=5551234567;reason=Cancellations/Paid Call Fee";

/// A cancellation whose every row, the relay chat included, happens at `at`. The relay chat is
/// always allowed (rule 2) and the amount is shown and quoted: only the hours can be wrong.
fn chat_at(at: &'static str) -> callflow_workflows::Call {
    run(
        at,
        &[
            (at, Event::Greeting),
            (at, inquiry("warranty_cancellation")),
            (at, ev("refund_calculator", "79.00")),
            (at, ev("quote_amount", "79.00")),
            (at, ev("chat_opened", "relay_cancellation")), // line 7
            (at, ev("warranty_prompt", "no")),
            (at, ev("chat_form", FORM)),
            (at, ev("chat_connected", "Alex")),
            (at, ev("chat_ended", "")),
            (at, Event::Goodbye),
            (at, ended()),
        ],
    )
}

#[track_caller]
fn assert_hours(cases: &[(&'static str, bool, &str)]) {
    for &(at, inside, local) in cases {
        let call = chat_at(at);
        if inside {
            assert_codes(&call, &[]);
            assert_eq!(outcome(&call), (100, Verdict::Pass), "{at}");
        } else {
            assert_codes(&call, &["PC04"]);
            assert_eq!(evidence_lines(&call, Code::PC04), vec![7], "{at}");
            assert_eq!(outcome(&call), (85, Verdict::Pass), "{at}");
        }
        let what = if inside { "inside" } else { "outside" };
        let shown = call
            .frame()
            .started()
            .at
            .with_timezone(&chrono_tz::America::New_York)
            .format("%a %Y-%m-%d %H:%M %Z")
            .to_string();
        assert_eq!(shown, local, "{at} should be {what} chat hours");
        if !inside {
            assert_eq!(
                evidence(&call, Code::PC04)[0].actual,
                format!("chat opened {local}")
            );
        }
    }
}

#[test]
fn friday_before_the_spring_change_est() {
    assert_hours(&[
        (
            "2026-03-06T08:59:00-05:00",
            false,
            "Fri 2026-03-06 08:59 EST",
        ),
        (
            "2026-03-06T09:00:00-05:00",
            true,
            "Fri 2026-03-06 09:00 EST",
        ),
        (
            "2026-03-06T17:59:00-05:00",
            true,
            "Fri 2026-03-06 17:59 EST",
        ),
        (
            "2026-03-06T18:00:00-05:00",
            false,
            "Fri 2026-03-06 18:00 EST",
        ),
        ("2026-03-06T13:59:00Z", false, "Fri 2026-03-06 08:59 EST"),
        ("2026-03-06T14:00:00Z", true, "Fri 2026-03-06 09:00 EST"),
        ("2026-03-06T22:59:00Z", true, "Fri 2026-03-06 17:59 EST"),
        ("2026-03-06T23:00:00Z", false, "Fri 2026-03-06 18:00 EST"),
    ]);
}

#[test]
fn monday_after_the_spring_change_edt() {
    assert_hours(&[
        (
            "2026-03-09T08:59:00-04:00",
            false,
            "Mon 2026-03-09 08:59 EDT",
        ),
        (
            "2026-03-09T09:00:00-04:00",
            true,
            "Mon 2026-03-09 09:00 EDT",
        ),
        (
            "2026-03-09T17:59:00-04:00",
            true,
            "Mon 2026-03-09 17:59 EDT",
        ),
        (
            "2026-03-09T18:00:00-04:00",
            false,
            "Mon 2026-03-09 18:00 EDT",
        ),
        ("2026-03-09T12:59:00Z", false, "Mon 2026-03-09 08:59 EDT"),
        ("2026-03-09T13:00:00Z", true, "Mon 2026-03-09 09:00 EDT"),
        ("2026-03-09T21:59:00Z", true, "Mon 2026-03-09 17:59 EDT"),
        ("2026-03-09T22:00:00Z", false, "Mon 2026-03-09 18:00 EDT"),
    ]);
}

#[test]
fn the_same_utc_time_is_inside_after_the_change_and_outside_before_it() {
    // 13:30 UTC: 08:30 EST on Friday 03-06 (closed), 09:30 EDT on Monday 03-09 (open).
    // 22:30 UTC: 17:30 EST (open), 18:30 EDT (closed).
    assert_hours(&[
        ("2026-03-06T13:30:00Z", false, "Fri 2026-03-06 08:30 EST"),
        ("2026-03-09T13:30:00Z", true, "Mon 2026-03-09 09:30 EDT"),
        ("2026-03-06T22:30:00Z", true, "Fri 2026-03-06 17:30 EST"),
        ("2026-03-09T22:30:00Z", false, "Mon 2026-03-09 18:30 EDT"),
    ]);
}

#[test]
fn friday_before_the_autumn_change_edt() {
    assert_hours(&[
        (
            "2026-10-30T08:59:00-04:00",
            false,
            "Fri 2026-10-30 08:59 EDT",
        ),
        (
            "2026-10-30T09:00:00-04:00",
            true,
            "Fri 2026-10-30 09:00 EDT",
        ),
        (
            "2026-10-30T17:59:00-04:00",
            true,
            "Fri 2026-10-30 17:59 EDT",
        ),
        (
            "2026-10-30T18:00:00-04:00",
            false,
            "Fri 2026-10-30 18:00 EDT",
        ),
        ("2026-10-30T12:59:00Z", false, "Fri 2026-10-30 08:59 EDT"),
        ("2026-10-30T13:00:00Z", true, "Fri 2026-10-30 09:00 EDT"),
        ("2026-10-30T21:59:00Z", true, "Fri 2026-10-30 17:59 EDT"),
        ("2026-10-30T22:00:00Z", false, "Fri 2026-10-30 18:00 EDT"),
    ]);
}

#[test]
fn monday_after_the_autumn_change_est() {
    assert_hours(&[
        (
            "2026-11-02T08:59:00-05:00",
            false,
            "Mon 2026-11-02 08:59 EST",
        ),
        (
            "2026-11-02T09:00:00-05:00",
            true,
            "Mon 2026-11-02 09:00 EST",
        ),
        (
            "2026-11-02T17:59:00-05:00",
            true,
            "Mon 2026-11-02 17:59 EST",
        ),
        (
            "2026-11-02T18:00:00-05:00",
            false,
            "Mon 2026-11-02 18:00 EST",
        ),
        ("2026-11-02T13:59:00Z", false, "Mon 2026-11-02 08:59 EST"),
        ("2026-11-02T14:00:00Z", true, "Mon 2026-11-02 09:00 EST"),
        ("2026-11-02T22:59:00Z", true, "Mon 2026-11-02 17:59 EST"),
        ("2026-11-02T23:00:00Z", false, "Mon 2026-11-02 18:00 EST"),
    ]);
}

#[test]
fn saturdays_and_sundays_are_outside_all_day() {
    assert_hours(&[
        (
            "2026-03-07T12:00:00-05:00",
            false,
            "Sat 2026-03-07 12:00 EST",
        ),
        (
            "2026-03-08T12:00:00-04:00",
            false,
            "Sun 2026-03-08 12:00 EDT",
        ),
        ("2026-10-31T10:00:00Z", false, "Sat 2026-10-31 06:00 EDT"),
        ("2026-10-31T14:00:00Z", false, "Sat 2026-10-31 10:00 EDT"),
        ("2026-11-01T15:00:00Z", false, "Sun 2026-11-01 10:00 EST"),
        // Friday 19:30 in New York is already Saturday in UTC; Monday 01:30 UTC is still
        // Sunday evening in New York: both outside.
        ("2026-03-07T00:30:00Z", false, "Fri 2026-03-06 19:30 EST"),
        ("2026-03-09T01:30:00Z", false, "Sun 2026-03-08 21:30 EDT"),
    ]);
}

#[test]
fn hours_are_judged_at_chat_opened_not_at_the_call_start() {
    // The call starts at 17:50 on a Friday; the chat opens at 18:02: outside.
    let late = run(
        "2026-03-06T17:50:00-05:00",
        &[
            ("17:50:05", Event::Greeting),
            ("17:50:20", inquiry("warranty_cancellation")),
            ("17:51:00", ev("refund_calculator", "none")),
            ("17:52:00", step("service_call_reported")),
            ("18:02:00", ev("chat_opened", "paid_call")), // line 7
            ("18:02:10", ev("chat_form", FORM)),
            ("18:03:00", ev("chat_connected", "Alex")),
            ("18:04:00", ev("paid_amount_obtained", "120")),
            ("18:04:30", step("chat_ended")),
            ("18:05:00", ev("quote_amount", "120")),
            ("18:06:00", Event::Goodbye),
            ("18:06:05", ended()),
        ],
    );
    assert_codes(&late, &["PC04"]);
    assert_eq!(evidence_lines(&late, Code::PC04), vec![7]);
    assert_eq!(
        evidence(&late, Code::PC04)[0].actual,
        "chat opened Fri 2026-03-06 18:02 EST"
    );
}

#[test]
fn the_business_time_zone_is_configuration() {
    // 08:30 in New York is 14:30 in Paris: inside chat hours for a Paris call centre.
    let config = engine_with(callflow_workflows::Config {
        business_tz: chrono_tz::Europe::Paris,
        ..callflow_workflows::Config::default()
    });
    let at = "2026-03-06T08:30:00-05:00";
    let mut call = start_with(config, at);
    feed(
        &mut call,
        &[
            (at, Event::Greeting),
            (at, inquiry("warranty_cancellation")),
            (at, ev("refund_calculator", "79.00")),
            (at, ev("quote_amount", "79.00")),
            (at, ev("chat_opened", "relay_cancellation")),
            (at, ev("chat_form", FORM)),
            (at, ev("chat_connected", "Alex")),
            (at, ev("chat_ended", "")),
            (at, Event::Goodbye),
            (at, ended()),
        ],
    );
    assert_codes(&call, &[]);
    assert_codes(&chat_at(at), &["PC04"]);
}
