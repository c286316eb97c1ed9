//! The chat session's warranty prompt (PC05) and start form (PC06, rule 5): enterprise id (the
//! agent's user name), agent name, member name, customer id = the phone number as exactly 10
//! digits, reason "Cancellations/Paid Call Fee".

use callflow_workflows::{Code, Event, Verdict};

use crate::support::*;

const START: &str = "2026-03-02T14:05:11-05:00";

/// A no-amount cancellation verified through a paid_call chat whose prompt answer is `prompt`
/// (none when empty) and whose form is `form` (none when `None`). The form is line 9.
fn with_form(prompt: &'static str, form: Option<&'static str>) -> callflow_workflows::Call {
    let mut rows = vec![
        ("14:05:13", Event::Greeting),
        ("14:05:31", inquiry("warranty_cancellation")),
        ("14:05:40", ev("refund_calculator", "none")),
        ("14:05:50", step("service_call_reported")),
        ("14:06:00", ev("chat_opened", "paid_call")), // line 7
    ];
    if !prompt.is_empty() {
        rows.push(("14:06:05", ev("warranty_prompt", prompt)));
    } else {
        rows.push(("14:06:05", step("chat_message")));
    }
    if let Some(form) = form {
        rows.push(("14:06:10", ev("chat_form", form)));
    }
    rows.extend([
        ("14:07:00", ev("chat_connected", "Alex")),
        ("14:07:35", ev("paid_amount_obtained", "120.00")),
        ("14:07:40", step("chat_ended")),
        ("14:08:00", ev("quote_amount", "120")),
        ("14:09:45", Event::Goodbye),
        ("14:09:47", ended()),
    ]);
    run(START, &rows)
}

/// The PC06 evidence, what was found wrong with the form.
fn defects(call: &callflow_workflows::Call) -> Vec<String> {
    evidence(call, Code::PC06)
        .iter()
        .map(|e| e.actual.clone())
        .collect()
}

#[test]
fn a_form_with_a_ten_digit_customer_id_is_valid() {
    let call = with_form(
        "no",
        Some("enterprise_id=sjones;agent_name=Sam;member_name=Pat Lee;customer_id=5551234567;reason=Cancellations/Paid Call Fee"),
    );
    assert_codes(&call, &[]);
    assert_absent(&call, &["PC05", "PC06"]);
    assert_eq!(outcome(&call), (100, Verdict::Pass));
    // Keys in any order; the prompt does not always show.
    let call = with_form(
        "",
        Some("reason=Cancellations/Paid Call Fee;customer_id=5551234567;member_name=Pat Lee;agent_name=Sam;enterprise_id=sjones"),
    );
    assert_codes(&call, &[]);
}

#[test]
fn customer_ids_that_are_not_exactly_ten_digits() {
    for form in [
        "enterprise_id=sjones;agent_name=Sam;member_name=Pat Lee;customer_id=555-123-4567;reason=Cancellations/Paid Call Fee",
        "enterprise_id=sjones;agent_name=Sam;member_name=Pat Lee;customer_id=555 123 4567;reason=Cancellations/Paid Call Fee",
        "enterprise_id=sjones;agent_name=Sam;member_name=Pat Lee;customer_id=(555) 1234567;reason=Cancellations/Paid Call Fee",
        "enterprise_id=sjones;agent_name=Sam;member_name=Pat Lee;customer_id=555123456;reason=Cancellations/Paid Call Fee",
        "enterprise_id=sjones;agent_name=Sam;member_name=Pat Lee;customer_id=15551234567;reason=Cancellations/Paid Call Fee",
    ] {
        let call = with_form("no", Some(form));
        assert_codes(&call, &["PC06"]);
        assert_eq!(evidence_lines(&call, Code::PC06), vec![9], "{form}");
        let found = defects(&call);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("is not exactly 10 digits"), "{found:?}");
        assert_eq!(outcome(&call), (85, Verdict::Pass));
    }
}

#[test]
fn a_wrong_reason_a_missing_field_an_enterprise_id_not_the_agents() {
    for (form, defect) in [
        (
            "enterprise_id=sjones;agent_name=Sam;member_name=Pat Lee;customer_id=5551234567;reason=Cancellations",
            "reason 'Cancellations' is not 'Cancellations/Paid Call Fee'",
        ),
        (
            "enterprise_id=sjones;agent_name=Sam;customer_id=5551234567;reason=Cancellations/Paid Call Fee",
            "member_name missing",
        ),
        (
            "enterprise_id=sjones;agent_name=;member_name=Pat Lee;customer_id=5551234567;reason=Cancellations/Paid Call Fee",
            "agent_name missing",
        ),
        (
            "enterprise_id=jdoe;agent_name=Sam;member_name=Pat Lee;customer_id=5551234567;reason=Cancellations/Paid Call Fee",
            "enterprise_id 'jdoe' is not the agent's user name 'sjones'",
        ),
    ] {
        let call = with_form("no", Some(form));
        assert_codes(&call, &["PC06"]);
        assert_eq!(defects(&call), vec![defect.to_owned()]);
    }
}

#[test]
fn every_defect_of_a_form_is_an_instance_of_one_pc06() {
    let call = with_form("no", Some("customer_id=555-123-4567;reason=Other"));
    assert_codes(&call, &["PC06"]);
    assert_eq!(
        defects(&call),
        vec![
            "enterprise_id missing",
            "agent_name missing",
            "member_name missing",
            "customer_id '555-123-4567' is not exactly 10 digits (numbers only, no dashes or spaces)",
            "reason 'Other' is not 'Cancellations/Paid Call Fee'",
        ]
    );
    assert_eq!(outcome(&call), (85, Verdict::Pass));
}

#[test]
fn no_form_before_the_representative_connected() {
    let call = with_form("no", None);
    assert_codes(&call, &["PC06"]);
    // Reported at the chat it belongs to.
    assert_eq!(evidence_lines(&call, Code::PC06), vec![7]);
    assert_eq!(
        defects(&call),
        vec!["no chat_form before the representative connected (line 9)"]
    );
}

#[test]
fn pc05_yes_on_the_warranty_prompt() {
    let valid = "enterprise_id=sjones;agent_name=Sam;member_name=Pat Lee;customer_id=5551234567;reason=Cancellations/Paid Call Fee";
    let yes = with_form("yes", Some(valid));
    assert_codes(&yes, &["PC05"]);
    assert_eq!(evidence_lines(&yes, Code::PC05), vec![8]);
    assert_eq!(outcome(&yes), (95, Verdict::Pass));
    let no = with_form("no", Some(valid));
    assert_absent(&no, &["PC05"]);
}
