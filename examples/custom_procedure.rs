//! A procedure of one's own, written outside the callflow crates with their public API only:
//! an address change (verify the caller's identity, update the record, confirm the change),
//! registered beside the two built-in procedures through the same call they use.
//!
//! The program audits a small log that mixes it with the built-in procedures (the report
//! carries its codes), draws its Mermaid graph, lists its paths and writes one transcript.
//! Run it with `cargo run --example custom_procedure`; `tests/custom_procedure.rs` runs the
//! same code and checks what it finds.

use std::any::Any;
use std::sync::Arc;

use callflow_audit::pipeline::{audit_report, AuditOptions};
use callflow_audit::{AuditReport, LogReader};
use callflow_gen::transcripts::{clean_paths, transcripts, TranscriptFormat};
use callflow_workflows::engine::{raise_outstanding, Judged};
use callflow_workflows::explore::{graph, paths, Sample, Workflow};
use callflow_workflows::stage::{Narration, OwnedStep, Scene, Stage};
use callflow_workflows::statig::prelude::*;
use callflow_workflows::{
    procedures, Code, CodeDef, Ctx, Engine, Error, EventDef, Findings, Input, MachineBox,
    ParamTable, Procedure, ProcedureStep, ProcedureStorage, ReasonDef, Requirement, ScriptDef,
    ScriptLine, Severity, Speaker, Stamp, Syntax,
};
use serde::{Deserialize, Serialize};

/// The address change: its vocabulary, machine and registration.
pub mod address_change {
    use super::*;

    /// `verify_identity` (agent): the caller answered the security questions.
    pub static VERIFY_IDENTITY: EventDef = EventDef::new(
        "verify_identity",
        Speaker::Agent,
        Syntax::Empty,
        "the agent verifies the caller's identity",
    );
    /// `update_record` (agent): the new address, written to the record.
    pub static UPDATE_RECORD: EventDef = EventDef::new(
        "update_record",
        Speaker::Agent,
        Syntax::Required {
            what: "new address",
        },
        "the agent writes the new address to the customer's record",
    );
    static CONFIRM_LINE: ScriptDef = ScriptDef::new(
        "confirm_change",
        Speaker::Agent,
        "I have updated the address on your account, <Customer Name>. A confirmation letter will reach the new address within five business days.",
    );
    /// `confirm_change` (agent): the change read back to the customer, checked against its
    /// script line.
    pub static CONFIRM_CHANGE: EventDef = EventDef::new(
        "confirm_change",
        Speaker::Agent,
        Syntax::Empty,
        "the agent confirms the change to the customer",
    )
    .scripted(ScriptLine::of(&CONFIRM_LINE));

    static CUSTOMER_LINE: ScriptDef = ScriptDef::new(
        "customer_address_change",
        Speaker::Customer,
        "Hi <Agent Name>, this is <Customer Name>. I've moved and need to change the address on my account.",
    );
    /// The reason: the customer's address changed.
    pub static ADDRESS_CHANGE: ReasonDef = ReasonDef {
        code: "address_change",
        doc: "the customer's address has changed",
        anything_else: false,
        scripts: &[],
        customer_line: Some(ScriptLine::of(&CUSTOMER_LINE)),
        weight: 2,
    };

    static AC01_DEF: CodeDef = CodeDef::new(
        "AC01",
        Severity::Critical,
        false,
        "the record was changed before the caller's identity was verified",
    );
    static AC02_DEF: CodeDef = CodeDef::new(
        "AC02",
        Severity::Major,
        true,
        "the change was not confirmed to the customer",
    );
    static AC03_DEF: CodeDef = CodeDef::new(
        "AC03",
        Severity::Major,
        true,
        "the address was never updated",
    );
    /// The record changed for an unverified caller.
    pub const AC01: Code = Code::of(&AC01_DEF);
    /// The change not confirmed.
    pub const AC02: Code = Code::of(&AC02_DEF);
    /// The record not updated.
    pub const AC03: Code = Code::of(&AC03_DEF);

    /// The procedure's events, typed.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum AcEvent<'a> {
        /// Identity verified.
        Verify,
        /// The record updated with this address.
        Update(&'a str),
        /// The change confirmed.
        Confirm,
    }

    /// What the agent did in this inquiry.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    pub struct AddressChangeInquiry {
        verified: Option<Stamp>,
        updated: Option<Stamp>,
        confirmed: Option<Stamp>,
        findings: Findings,
        closed_in: Option<State>,
    }

    pub use states::State;

    #[allow(missing_docs)]
    mod states {
        use super::*;

        #[state_machine(
            initial = "State::idle()",
            after_transition = "Self::remember",
            state(derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize))
        )]
        impl AddressChangeInquiry {
            /// Before the inquiry opens.
            #[state]
            fn idle(event: &Input<AcEvent<'_>>) -> Outcome<State> {
                match event {
                    Input::Open(_) => Transition(State::unverified()),
                    Input::Close { .. } => Transition(State::closed()),
                    _ => Handled,
                }
            }

            /// The caller is not verified yet: verify before changing anything.
            #[state]
            fn unverified(
                &mut self,
                context: &mut Ctx<'_>,
                event: &Input<AcEvent<'_>>,
            ) -> Outcome<State> {
                match event {
                    Input::Event(AcEvent::Verify) => {
                        self.verified = Some(context.stamp);
                        Transition(State::verified())
                    }
                    Input::Event(AcEvent::Update(address)) => {
                        self.findings.raise(
                            AC01,
                            context.stamp,
                            "the caller's identity verified first",
                            format!("address changed to '{address}' for an unverified caller"),
                        );
                        self.updated = Some(context.stamp);
                        Transition(State::updated())
                    }
                    _ => self.on_close(State::unverified(), context, event),
                }
            }

            /// Verified: update the record.
            #[state]
            fn verified(
                &mut self,
                context: &mut Ctx<'_>,
                event: &Input<AcEvent<'_>>,
            ) -> Outcome<State> {
                match event {
                    Input::Event(AcEvent::Update(_)) => {
                        self.updated = Some(context.stamp);
                        Transition(State::updated())
                    }
                    _ => self.on_close(State::verified(), context, event),
                }
            }

            /// Updated: confirm the change to the customer.
            #[state]
            fn updated(
                &mut self,
                context: &mut Ctx<'_>,
                event: &Input<AcEvent<'_>>,
            ) -> Outcome<State> {
                match event {
                    Input::Event(AcEvent::Confirm) => {
                        self.confirmed = Some(context.stamp);
                        Transition(State::confirmed())
                    }
                    _ => self.on_close(State::updated(), context, event),
                }
            }

            /// Confirmed: nothing left to do.
            #[state]
            fn confirmed(
                &mut self,
                context: &mut Ctx<'_>,
                event: &Input<AcEvent<'_>>,
            ) -> Outcome<State> {
                self.on_close(State::confirmed(), context, event)
            }

            /// Closed and judged.
            #[state]
            fn closed(event: &Input<AcEvent<'_>>) -> Outcome<State> {
                let _ = event;
                Handled
            }
        }
    }

    impl AddressChangeInquiry {
        fn remember(&mut self, source: &State, target: &State, _context: &mut Ctx<'_>) {
            if matches!(target, State::Closed {}) {
                self.closed_in = Some(*source);
            }
        }

        /// The close of the inquiry: what is still outstanding becomes findings.
        fn on_close(
            &mut self,
            state: State,
            context: &Ctx<'_>,
            event: &Input<AcEvent<'_>>,
        ) -> Outcome<State> {
            match event {
                Input::Close {
                    complete,
                    call_over,
                } => {
                    if *complete {
                        let outstanding = self.requirements(state);
                        raise_outstanding(
                            &mut self.findings,
                            &outstanding,
                            Judged::on_close(*call_over),
                            context.stamp,
                        );
                    }
                    Transition(State::Closed {})
                }
                _ => Handled,
            }
        }

        fn requirements(&self, state: State) -> Vec<Requirement> {
            let update = Requirement::new(&UPDATE_RECORD, "update the address", Some(AC03), None);
            match state {
                State::Unverified {} => vec![
                    Requirement::new(&VERIFY_IDENTITY, "verify the caller", None, None),
                    update,
                ],
                State::Verified {} => vec![update],
                State::Updated {} => vec![Requirement::new(
                    &CONFIRM_CHANGE,
                    "confirm the change",
                    Some(AC02),
                    Some(ScriptLine::of(&CONFIRM_LINE)),
                )],
                _ => Vec::new(),
            }
        }
    }

    impl ProcedureStorage for AddressChangeInquiry {
        type Typed<'a> = AcEvent<'a>;

        fn event<'a>(step: &ProcedureStep<'a>) -> Option<AcEvent<'a>> {
            if step.is(&VERIFY_IDENTITY) {
                Some(AcEvent::Verify)
            } else if step.is(&UPDATE_RECORD) {
                step.value.text().map(AcEvent::Update)
            } else if step.is(&CONFIRM_CHANGE) {
                Some(AcEvent::Confirm)
            } else {
                None
            }
        }

        fn state_name(state: &State) -> &'static str {
            match state {
                State::Idle {} => "idle",
                State::Unverified {} => "unverified",
                State::Verified {} => "verified",
                State::Updated {} => "updated",
                State::Confirmed {} => "confirmed",
                State::Closed {} => "closed",
            }
        }

        fn closed_in(&self) -> Option<State> {
            self.closed_in
        }

        fn findings(&self) -> &Findings {
            &self.findings
        }

        fn outstanding(&self, state: &State, _ctx: &Ctx<'_>) -> Vec<Requirement> {
            self.requirements(*state)
        }
    }

    callflow_workflows::inquiry_machine! {
        /// The machine of one address-change inquiry.
        pub struct AddressChangeMachine(AddressChangeInquiry);
    }

    /// What generated calls of the procedure say.
    pub struct AddressChangeStage;

    impl Stage for AddressChangeStage {
        fn narrate(&self, step: &OwnedStep, _scene: &Scene<'_>) -> Narration {
            if step.is(&VERIFY_IDENTITY) {
                Narration::said("Before I change anything, can you confirm your date of birth and the last four digits of your phone number?")
            } else if step.is(&UPDATE_RECORD) {
                Narration::done(format!(
                    "(writes the new address to the record: {})",
                    step.value.as_value().text().unwrap_or_default()
                ))
            } else {
                Narration::done(format!("({})", step.name.as_str().replace('_', " ")))
            }
        }
    }

    /// The address change, as the engine sees it.
    pub struct AddressChange;

    impl Procedure for AddressChange {
        fn name(&self) -> &'static str {
            "address_change"
        }

        fn title(&self) -> &'static str {
            "Address change: verify identity, update the record, confirm"
        }

        fn department(&self) -> &'static str {
            "Customer Records"
        }

        fn reasons(&self) -> &'static [&'static ReasonDef] {
            static REASONS: [&ReasonDef; 1] = [&ADDRESS_CHANGE];
            &REASONS
        }

        fn events(&self) -> &'static [&'static EventDef] {
            static EVENTS: [&EventDef; 3] = [&VERIFY_IDENTITY, &UPDATE_RECORD, &CONFIRM_CHANGE];
            &EVENTS
        }

        fn codes(&self) -> &'static [Code] {
            static CODES: [Code; 3] = [AC01, AC02, AC03];
            &CODES
        }

        fn scripts(&self) -> &'static [ScriptLine] {
            static SCRIPTS: [ScriptLine; 2] = [
                ScriptLine::of(&CONFIRM_LINE),
                ScriptLine::of(&CUSTOMER_LINE),
            ];
            &SCRIPTS
        }

        fn params(&self, _table: &ParamTable) -> Result<Arc<dyn Any + Send + Sync>, Error> {
            Ok(Arc::new(()))
        }

        fn start(&self) -> MachineBox {
            AddressChangeMachine::start()
        }

        fn restore(
            &self,
            from: &mut dyn callflow_workflows::erased_serde::Deserializer<'_>,
        ) -> Result<MachineBox, callflow_workflows::erased_serde::Error> {
            AddressChangeMachine::restore(from)
        }

        fn alphabet(
            &self,
            _call_date: chrono::NaiveDate,
            _params: &(dyn std::any::Any + Send + Sync),
        ) -> Vec<Sample> {
            vec![
                Sample::plain(&VERIFY_IDENTITY),
                Sample::step(
                    "update_record",
                    &UPDATE_RECORD,
                    callflow_workflows::Value::Text("12 Oak Street, Springfield"),
                ),
                Sample::plain(&CONFIRM_CHANGE),
            ]
        }

        fn path_token(&self, state: &'static str, _entered_by: &Sample) -> Option<String> {
            (state != "unverified").then(|| state.to_owned())
        }

        fn stage(&self) -> &dyn Stage {
            &AddressChangeStage
        }
    }
}

/// A small log: one call for each built-in procedure and three address changes (one done
/// right, one that changes the record before verifying, one never confirmed).
pub const LOG: &str = "\
call_id,timestamp,agent_id,event,value,text
A-1,2026-03-02T10:00:00-05:00,sjones,call_started,Customer Records,
A-1,2026-03-02T10:00:05-05:00,,greeting,,
A-1,2026-03-02T10:00:20-05:00,,inquiry,address_change,
A-1,2026-03-02T10:00:40-05:00,,verify_identity,,
A-1,2026-03-02T10:01:10-05:00,,update_record,12 Oak Street,
A-1,2026-03-02T10:01:30-05:00,,confirm_change,,\"I have updated the address on your account, Pat. A confirmation letter will reach the new address within five business days.\"
A-1,2026-03-02T10:01:40-05:00,,goodbye,,
A-1,2026-03-02T10:01:45-05:00,,call_ended,,
A-2,2026-03-02T10:10:00-05:00,mlopez,call_started,Customer Records,
A-2,2026-03-02T10:10:05-05:00,,greeting,,
A-2,2026-03-02T10:10:20-05:00,,inquiry,address_change,
A-2,2026-03-02T10:10:40-05:00,,update_record,9 Elm Road,
A-2,2026-03-02T10:11:00-05:00,,confirm_change,,
A-2,2026-03-02T10:11:10-05:00,,goodbye,,
A-2,2026-03-02T10:11:15-05:00,,call_ended,,
A-3,2026-03-02T10:20:00-05:00,tkim,call_started,Customer Records,
A-3,2026-03-02T10:20:05-05:00,,greeting,,
A-3,2026-03-02T10:20:20-05:00,,inquiry,address_change,
A-3,2026-03-02T10:20:40-05:00,,verify_identity,,
A-3,2026-03-02T10:21:00-05:00,,update_record,4 Pine Lane,
A-3,2026-03-02T10:21:10-05:00,,goodbye,,
A-3,2026-03-02T10:21:15-05:00,,call_ended,,
S-1,2026-03-02T10:30:00-05:00,sjones,call_started,Home Warranty Rewards,
S-1,2026-03-02T10:30:05-05:00,,greeting,,
S-1,2026-03-02T10:30:20-05:00,,inquiry,reward_email_missing,
S-1,2026-03-02T10:30:30-05:00,,warranty_started,2026-02-20,
S-1,2026-03-02T10:30:31-05:00,,first_payment,none,
S-1,2026-03-02T10:30:50-05:00,,explain_review_period,,
S-1,2026-03-02T10:31:00-05:00,,inquiry,address_change,
S-1,2026-03-02T10:31:10-05:00,,verify_identity,,
S-1,2026-03-02T10:31:20-05:00,,update_record,77 Bay Street,
S-1,2026-03-02T10:31:30-05:00,,confirm_change,,
S-1,2026-03-02T10:31:40-05:00,,goodbye,,
S-1,2026-03-02T10:31:45-05:00,,call_ended,,
P-1,2026-03-02T10:40:00-05:00,rpatel,call_started,Membership Services Retention,
P-1,2026-03-02T10:40:05-05:00,,greeting,,
P-1,2026-03-02T10:40:20-05:00,,inquiry,warranty_cancellation,
P-1,2026-03-02T10:40:30-05:00,,refund_calculator,79.00,
P-1,2026-03-02T10:40:50-05:00,,quote_amount,79.00,
P-1,2026-03-02T10:41:00-05:00,,goodbye,,
P-1,2026-03-02T10:41:05-05:00,,call_ended,,
";

/// What the example produces.
pub struct Demo {
    /// The engine: the built-in procedures and the address change.
    pub engine: Arc<Engine>,
    /// The audit of [`LOG`].
    pub report: AuditReport,
    /// The address change's diagram (Mermaid).
    pub mermaid: String,
    /// The names of its paths.
    pub paths: Vec<String>,
    /// One generated transcript (Markdown): its file name and contents.
    pub transcript: (String, String),
}

/// Registers the procedures, audits the log, draws the graph, lists the paths and writes a
/// transcript, through the public API.
pub fn demo() -> Result<Demo, Box<dyn std::error::Error>> {
    let engine = Arc::new(
        procedures::builtin(Engine::builder())
            .procedure(address_change::AddressChange)
            .build()?,
    );
    let reader = LogReader::new(LOG.as_bytes(), "custom.csv")?;
    let report = audit_report(reader, Arc::clone(&engine), AuditOptions::default())?;
    let (index, _) = engine
        .procedure_named("address_change")
        .ok_or("the address change is registered")?;
    let workflow = Workflow::Procedure(index);
    let mermaid = graph(&engine, workflow).to_mermaid();
    let paths: Vec<String> = paths(&engine, workflow).iter().map(|p| p.name()).collect();
    let clean = clean_paths(&[workflow], &engine);
    let file = transcripts(&clean, 7, None, TranscriptFormat::Markdown, &engine)
        .into_iter()
        .next()
        .ok_or("a clean path of the address change")?;
    Ok(Demo {
        engine,
        report,
        mermaid,
        paths,
        transcript: (file.name, file.contents),
    })
}

#[allow(dead_code)] // the tests call `demo` and not `main`
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let demo = demo()?;
    println!("# The audit, with the address change's codes\n");
    callflow_audit::render::render(
        &demo.report,
        callflow_audit::render::Format::Text,
        &mut std::io::stdout(),
    )?;
    for call in &demo.report.calls {
        let codes: Vec<String> = call.findings.iter().map(|f| f.code.to_string()).collect();
        println!(
            "{}: {} {} [{}]",
            call.call_id,
            call.verdict,
            call.score,
            codes.join(" ")
        );
    }
    println!(
        "\n# The address change's graph\n\n```mermaid\n{}```",
        demo.mermaid
    );
    println!("\n# Its paths\n");
    for path in &demo.paths {
        println!("- {path}");
    }
    println!(
        "\n# One transcript: {}\n\n{}",
        demo.transcript.0, demo.transcript.1
    );
    Ok(())
}
