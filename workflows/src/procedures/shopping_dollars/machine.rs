//! The shopping-dollars machine: the reward email that has not arrived (the review-period
//! check and its four branches), the reward site that does not work, and the partner that has
//! not answered (the 24-hour escalation). One statig machine; one inquiry each.
//!
//! Its diagram, derived from this machine by exploration and checked by a test, is in
//! ARCHITECTURE.md (`callflow graph --workflow shopping_dollars`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use statig::prelude::*;

use super::events::{self as ev, ContactTime, Detail, SdEvent, Team};
use super::params::SdParams;
use super::{reasons, scripts};
use crate::engine::{raise_outstanding, Ctx, Input, Judged, Requirement, Requirements};
use crate::finding::{Code, Findings};
use crate::procedure::ProcedureStorage;
use crate::vocab::{PackedStamp, ProcedureStep, Stamp};

/// The four branches of the review-period check (procedures.md 2a).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Branch {
    /// d < 30: inside the 30-day review period.
    WithinReview,
    /// d >= 30 but no first payment on or before the call date (a gap in the seed: SD12).
    AwaitingFirstPayment,
    /// d >= 30, paid, d < 37: the email should come within the week.
    RecentlyEligible,
    /// d >= 37, paid: escalate to the rewards team.
    Overdue,
}

impl Branch {
    /// All four, in the spec's order.
    pub const ALL: [Branch; 4] = [
        Branch::WithinReview,
        Branch::AwaitingFirstPayment,
        Branch::RecentlyEligible,
        Branch::Overdue,
    ];

    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Branch::WithinReview => "within_review",
            Branch::AwaitingFirstPayment => "awaiting_first_payment",
            Branch::RecentlyEligible => "recently_eligible",
            Branch::Overdue => "overdue",
        }
    }

    /// The branch the facts make true on the call date under the parameters, or `None` while
    /// they do not suffice: the warranty start is needed, and the first payment too once the
    /// review period is over.
    ///
    /// ```
    /// use callflow_workflows::procedures::shopping_dollars::{Branch, SdParams};
    /// let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap() - chrono::Days::new(d);
    /// let (call, params) = (day(0), SdParams::default());
    /// assert_eq!(Branch::classify(call, Some(day(29)), None, &params), Some(Branch::WithinReview));
    /// assert_eq!(Branch::classify(call, Some(day(30)), None, &params), None);
    /// let paid = Some(Some(day(5)));
    /// assert_eq!(Branch::classify(call, Some(day(37)), paid, &params), Some(Branch::Overdue));
    /// ```
    pub fn classify(
        call_date: NaiveDate,
        warranty_started: Option<NaiveDate>,
        first_payment: Option<Option<NaiveDate>>,
        params: &SdParams,
    ) -> Option<Branch> {
        let started = warranty_started?;
        let d = (call_date - started).num_days();
        if d < params.review_period_days {
            return Some(Branch::WithinReview);
        }
        let paid = match first_payment? {
            Some(date) => date <= call_date,
            None => false,
        };
        Some(if !paid {
            Branch::AwaitingFirstPayment
        } else if d < params.overdue_from() {
            Branch::RecentlyEligible
        } else {
            Branch::Overdue
        })
    }

    /// The branch of a call's facts, under the procedure's parameters.
    pub fn of(ctx: &Ctx<'_>) -> Option<Branch> {
        let params = ctx
            .params::<SdParams>()
            .unwrap_or_else(|| SdParams::fallback());
        Branch::classify(
            ctx.call_date,
            ctx.facts.date(&ev::WARRANTY_STARTED),
            ctx.facts.date_or_none(&ev::FIRST_PAYMENT),
            params,
        )
    }
}

/// An answer to "when will my shopping dollars come?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum Answer {
    ReviewPeriod,
    EmailSoon,
}

/// An escalation step: judged against the branch (SD13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum Escalation {
    Collect(Detail),
    Email(Team),
}

/// Something the agent did in this inquiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Done {
    /// An answer to "when will my shopping dollars come?", each time given.
    Answer(Answer),
    /// An escalation step, each time taken.
    Escalation(Escalation),
    /// A step that counts once: recorded the first time only.
    Mark(Mark),
}

/// How many done steps an inquiry keeps without a list of its own on the heap.
const DONE_INLINE: usize = 6;

/// The shared storage: what the agent has done in this inquiry, and its findings.
#[derive(Debug, Clone, Default)]
pub struct SdInquiry {
    /// What the agent did, in the order done: one list, the first few kept inline, so that an
    /// event reaches them with no pointer beyond the machine's (live latency and memory per
    /// open call, issue #23; three lists before).
    done: SmallVec<[(Done, PackedStamp); DONE_INLINE]>,
    findings: Findings,
    /// The state the inquiry was in when it closed.
    closed_in: Option<State>,
}

/// Two storages are equal when they hold the same answers and escalation steps in the same
/// order and the same first stamp of each step that counts once (a restored storage lists its
/// steps grouped by kind).
impl PartialEq for SdInquiry {
    fn eq(&self, other: &SdInquiry) -> bool {
        self.answers().eq(other.answers())
            && self.escalations().eq(other.escalations())
            && Mark::ALL
                .iter()
                .all(|&mark| self.marked(mark) == other.marked(mark))
            && self.findings == other.findings
            && self.closed_in == other.closed_in
    }
}

/// A step that counts once in an inquiry (the first time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mark {
    Apology,
    PartnerSupport,
    ContactTime,
    Ticket,
    Followup,
    PartnerContacted,
    /// When the branch became known.
    ClassifiedAt,
}

impl Mark {
    const ALL: [Mark; 7] = [
        Mark::Apology,
        Mark::PartnerSupport,
        Mark::ContactTime,
        Mark::Ticket,
        Mark::Followup,
        Mark::PartnerContacted,
        Mark::ClassifiedAt,
    ];
}

impl SdInquiry {
    /// The answers given, in order.
    fn answers(&self) -> impl Iterator<Item = (Answer, Stamp)> + Clone + '_ {
        answers_in(&self.done)
    }

    /// The escalation steps taken, in order.
    fn escalations(&self) -> impl Iterator<Item = (Escalation, Stamp)> + Clone + '_ {
        escalations_in(&self.done)
    }

    /// Whether `done` was done (no stamp read: each is unpacked only where it is used).
    fn did(&self, done: Done) -> bool {
        self.done.iter().any(|&(d, _)| d == done)
    }

    /// Whether any answer was given.
    fn answered(&self) -> bool {
        self.done.iter().any(|(d, _)| matches!(d, Done::Answer(_)))
    }

    /// Where `mark` was first done, if it was.
    fn marked(&self, mark: Mark) -> Option<Stamp> {
        self.done
            .iter()
            .find(|(done, _)| *done == Done::Mark(mark))
            .map(|(_, stamp)| stamp.get())
    }

    /// Records `mark` at `stamp` unless it was done before; where it was first done.
    fn mark(&mut self, mark: Mark, stamp: Stamp) -> Stamp {
        match self.marked(mark) {
            Some(first) => first,
            None => {
                self.add(Done::Mark(mark), stamp);
                stamp
            }
        }
    }

    /// Adds a step at the end; past the inline places the list grows by one place at a time
    /// while short, as [`crate::tight::push`] does.
    fn add(&mut self, done: Done, stamp: Stamp) {
        if self.done.len() == self.done.capacity() && self.done.len() < DONE_INLINE * 2 {
            self.done.reserve_exact(1);
        }
        self.done.push((done, stamp.into()));
    }
}

/// The answers among `done`, in order (a free function: the judges borrow the findings beside
/// it).
fn answers_in(done: &[(Done, PackedStamp)]) -> impl Iterator<Item = (Answer, Stamp)> + Clone + '_ {
    done.iter().filter_map(|&(done, stamp)| match done {
        Done::Answer(answer) => Some((answer, stamp.get())),
        _ => None,
    })
}

/// The escalation steps among `done`, in order.
fn escalations_in(
    done: &[(Done, PackedStamp)],
) -> impl Iterator<Item = (Escalation, Stamp)> + Clone + '_ {
    done.iter().filter_map(|&(done, stamp)| match done {
        Done::Escalation(escalation) => Some((escalation, stamp.get())),
        _ => None,
    })
}

/// A list written from an iterator, without collecting it first (its length counted first:
/// the compact save writes it ahead of the items).
struct ListOf<I>(I);

impl<I, T> Serialize for ListOf<I>
where
    I: Iterator<Item = T> + Clone,
    T: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut list = serializer.serialize_seq(Some(self.0.clone().count()))?;
        for item in self.0.clone() {
            list.serialize_element(&item)?;
        }
        list.end()
    }
}

/// The storage as it is saved: the fields it had before the marks were gathered, so saved
/// calls read and write as they did.
#[derive(Serialize)]
#[serde(rename = "SdInquiry", bound = "")]
struct SavedRef<'a, A, E>
where
    A: Iterator<Item = (Answer, Stamp)> + Clone,
    E: Iterator<Item = (Escalation, Stamp)> + Clone,
{
    answers: ListOf<A>,
    escalations: ListOf<E>,
    apology: Option<Stamp>,
    partner_support: Option<Stamp>,
    contact_time: Option<Stamp>,
    ticket: Option<Stamp>,
    followup: Option<Stamp>,
    partner_contacted: Option<Stamp>,
    classified_at: Option<Stamp>,
    findings: &'a Findings,
    closed_in: Option<State>,
}

/// The storage as it is read back.
#[derive(Deserialize)]
#[serde(rename = "SdInquiry")]
struct Saved {
    answers: Vec<(Answer, Stamp)>,
    escalations: Vec<(Escalation, Stamp)>,
    apology: Option<Stamp>,
    partner_support: Option<Stamp>,
    contact_time: Option<Stamp>,
    ticket: Option<Stamp>,
    followup: Option<Stamp>,
    partner_contacted: Option<Stamp>,
    classified_at: Option<Stamp>,
    findings: Findings,
    closed_in: Option<State>,
}

impl Serialize for SdInquiry {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SavedRef {
            answers: ListOf(self.answers()),
            escalations: ListOf(self.escalations()),
            apology: self.marked(Mark::Apology),
            partner_support: self.marked(Mark::PartnerSupport),
            contact_time: self.marked(Mark::ContactTime),
            ticket: self.marked(Mark::Ticket),
            followup: self.marked(Mark::Followup),
            partner_contacted: self.marked(Mark::PartnerContacted),
            classified_at: self.marked(Mark::ClassifiedAt),
            findings: &self.findings,
            closed_in: self.closed_in,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for SdInquiry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let saved = Saved::deserialize(deserializer)?;
        let mut inquiry = SdInquiry {
            done: SmallVec::new(),
            findings: saved.findings,
            closed_in: saved.closed_in,
        };
        for (answer, stamp) in saved.answers {
            inquiry.add(Done::Answer(answer), stamp);
        }
        for (escalation, stamp) in saved.escalations {
            inquiry.add(Done::Escalation(escalation), stamp);
        }
        for (mark, stamp) in [
            (Mark::Apology, saved.apology),
            (Mark::PartnerSupport, saved.partner_support),
            (Mark::ContactTime, saved.contact_time),
            (Mark::Ticket, saved.ticket),
            (Mark::Followup, saved.followup),
            (Mark::PartnerContacted, saved.partner_contacted),
            (Mark::ClassifiedAt, saved.classified_at),
        ] {
            if let Some(stamp) = stamp {
                inquiry.mark(mark, stamp);
            }
        }
        Ok(inquiry)
    }
}

pub use states::{State, Superstate};

/// The statig machine. statig 0.4 generates `State` and `Superstate` without docs; each
/// state function's doc comment says what the document asks of the agent there.
#[allow(missing_docs)]
mod states {
    use super::*;

    #[state_machine(
        initial = "State::idle()",
        before_dispatch = "Self::record",
        after_transition = "Self::remember",
        state(derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)),
        superstate(derive(Debug))
    )]
    impl SdInquiry {
        /// Before the inquiry: the `inquiry` event chooses the procedure.
        #[state]
        fn idle(&mut self, context: &mut Ctx<'_>, event: &Input<SdEvent<'_>>) -> Outcome<State> {
            match event {
                Input::Open(reason) if std::ptr::eq(*reason, &reasons::REWARD_EMAIL_MISSING) => {
                    Transition(review_state(context))
                }
                Input::Open(reason) if std::ptr::eq(*reason, &reasons::REWARD_SITE_ISSUE) => {
                    Transition(State::site_issue())
                }
                Input::Open(reason)
                    if std::ptr::eq(*reason, &reasons::REWARD_PARTNER_NO_RESPONSE) =>
                {
                    Transition(State::partner_unanswered())
                }
                Input::Open(_) | Input::Event(_) | Input::CallOver { .. } => Handled,
                Input::Close { .. } => Transition(State::closed()),
            }
        }

        /// The inquiry is open. Steps are recorded before dispatch (see `record`); what is left
        /// for this superstate changes nothing.
        #[superstate]
        fn open(event: &Input<SdEvent<'_>>) -> Outcome<State> {
            let _ = event;
            Handled
        }

        /// "Customer has not received the email": the review-period check. The account facts
        /// decide the branch; an answer before them is SD03.
        ///
        /// Each of its states judges the steps against the branch it stands for (see
        /// `review_step`): the state is the branch the facts make true.
        #[superstate(superstate = "open")]
        fn email_missing(event: &Input<SdEvent<'_>>) -> Outcome<State> {
            let _ = event;
            Super
        }

        /// Waiting for the account facts (warranty start; first payment once d >= 30). The agent
        /// must look them up before answering.
        #[state(superstate = "email_missing")]
        fn awaiting_facts(
            &mut self,
            context: &mut Ctx<'_>,
            event: &Input<SdEvent<'_>>,
        ) -> Outcome<State> {
            self.review_step(State::awaiting_facts(), context, event)
        }

        /// d < 30: explain the review period ("Your shopping dollars are made available once you
        /// have had your warranty for at least 30 days and made your first payment...").
        #[state(superstate = "email_missing", entry_action = "enter_within_review")]
        fn within_review(
            &mut self,
            context: &mut Ctx<'_>,
            event: &Input<SdEvent<'_>>,
        ) -> Outcome<State> {
            self.review_step(State::within_review(), context, event)
        }

        /// d >= 30 with no first payment: explain the review period (the script names both
        /// conditions). The seed has no branch for this case (SD12, no penalty).
        #[state(
            superstate = "email_missing",
            entry_action = "enter_awaiting_first_payment"
        )]
        fn awaiting_first_payment(
            &mut self,
            context: &mut Ctx<'_>,
            event: &Input<SdEvent<'_>>,
        ) -> Outcome<State> {
            self.review_step(State::awaiting_first_payment(), context, event)
        }

        /// Paid, 30 <= d < 37: tell the customer the email comes within the week
        /// ("Typically, you will receive your shopping dollars email within a week...").
        #[state(superstate = "email_missing", entry_action = "enter_recently_eligible")]
        fn recently_eligible(
            &mut self,
            context: &mut Ctx<'_>,
            event: &Input<SdEvent<'_>>,
        ) -> Outcome<State> {
            self.review_step(State::recently_eligible(), context, event)
        }

        /// Paid, d >= 37: apologise for the delay, collect name, email and phone, and email them to
        /// the rewards team (the escalation).
        #[state(superstate = "email_missing", entry_action = "enter_overdue")]
        fn overdue(&mut self, context: &mut Ctx<'_>, event: &Input<SdEvent<'_>>) -> Outcome<State> {
            self.review_step(State::overdue(), context, event)
        }

        /// "Customer experiencing issues with the reward site": apologise, explain the partner's
        /// support and walk through its steps, then ask "anything else".
        #[state(superstate = "open")]
        fn site_issue(
            &mut self,
            context: &mut Ctx<'_>,
            event: &Input<SdEvent<'_>>,
        ) -> Outcome<State> {
            match event {
                Input::Close {
                    complete,
                    call_over,
                } => self.close(State::site_issue(), context, *complete, *call_over),
                Input::Event(SdEvent::Collect { .. } | SdEvent::EmailSent(_)) => {
                    self.judge_escalations(State::site_issue());
                    Super
                }
                Input::Open(_) | Input::Event(_) | Input::CallOver { .. } => Super,
            }
        }

        /// "Customer has not received a response": apologise, learn when they reached out and
        /// the ticket number, promise the 24-hour follow-up, contact the partner, email the
        /// product team, ask "anything else".
        #[superstate(superstate = "open")]
        fn no_response(&mut self, event: &Input<SdEvent<'_>>) -> Outcome<State> {
            if let Input::Event(SdEvent::Collect { .. } | SdEvent::EmailSent(_)) = event {
                self.judge_escalations(State::partner_unanswered());
            }
            Super
        }

        /// No-response, before the customer said when they reached out.
        #[state(superstate = "no_response")]
        fn partner_unanswered(
            &mut self,
            context: &mut Ctx<'_>,
            event: &Input<SdEvent<'_>>,
        ) -> Outcome<State> {
            match event {
                Input::Event(SdEvent::ContactTime(when)) => Transition(contact_state(*when)),
                Input::Close {
                    complete,
                    call_over,
                } => self.close(State::partner_unanswered(), context, *complete, *call_over),
                Input::Open(_) | Input::Event(_) | Input::CallOver { .. } => Super,
            }
        }

        /// The customer reached out outside business hours (the case the seed scripts).
        #[state(superstate = "no_response")]
        fn reached_out_after_hours(
            &mut self,
            context: &mut Ctx<'_>,
            event: &Input<SdEvent<'_>>,
        ) -> Outcome<State> {
            match event {
                Input::Close {
                    complete,
                    call_over,
                } => self.close(
                    State::reached_out_after_hours(),
                    context,
                    *complete,
                    *call_over,
                ),
                Input::Event(SdEvent::ContactTime(when)) => match contact_state(*when) {
                    State::ReachedOutAfterHours {} => Handled,
                    other => Transition(other),
                },
                Input::Open(_) | Input::Event(_) | Input::CallOver { .. } => Super,
            }
        }

        /// The customer reached out during business hours (not scripted; same steps).
        #[state(superstate = "no_response")]
        fn reached_out_in_hours(
            &mut self,
            context: &mut Ctx<'_>,
            event: &Input<SdEvent<'_>>,
        ) -> Outcome<State> {
            match event {
                Input::Close {
                    complete,
                    call_over,
                } => self.close(
                    State::reached_out_in_hours(),
                    context,
                    *complete,
                    *call_over,
                ),
                Input::Event(SdEvent::ContactTime(when)) => match contact_state(*when) {
                    State::ReachedOutInHours {} => Handled,
                    other => Transition(other),
                },
                Input::Open(_) | Input::Event(_) | Input::CallOver { .. } => Super,
            }
        }

        /// The inquiry is closed and judged; only its after-call work, done after a later
        /// inquiry, still counts for it, and is judged when the call is over.
        #[state]
        fn closed(&mut self, context: &mut Ctx<'_>, event: &Input<SdEvent<'_>>) -> Outcome<State> {
            if let Input::CallOver { complete: true } = event {
                if let Some(state) = self.closed_in {
                    let outstanding = self.outstanding(state, context);
                    raise_outstanding(
                        &mut self.findings,
                        &outstanding,
                        Judged::AfterCallOnly,
                        context.stamp,
                    );
                }
            }
            Handled
        }

        /// On entering `within_review`: see `entered`.
        #[action]
        fn enter_within_review(&mut self, context: &mut Ctx<'_>) {
            self.entered(State::WithinReview {}, context);
        }

        /// On entering `awaiting_first_payment`: see `entered`.
        #[action]
        fn enter_awaiting_first_payment(&mut self, context: &mut Ctx<'_>) {
            self.entered(State::AwaitingFirstPayment {}, context);
        }

        /// On entering `recently_eligible`: see `entered`.
        #[action]
        fn enter_recently_eligible(&mut self, context: &mut Ctx<'_>) {
            self.entered(State::RecentlyEligible {}, context);
        }

        /// On entering `overdue`: see `entered`.
        #[action]
        fn enter_overdue(&mut self, context: &mut Ctx<'_>) {
            self.entered(State::Overdue {}, context);
        }
    }
}

fn review_state(context: &Ctx<'_>) -> State {
    match Branch::of(context) {
        None => State::AwaitingFacts {},
        Some(Branch::WithinReview) => State::WithinReview {},
        Some(Branch::AwaitingFirstPayment) => State::AwaitingFirstPayment {},
        Some(Branch::RecentlyEligible) => State::RecentlyEligible {},
        Some(Branch::Overdue) => State::Overdue {},
    }
}

fn contact_state(when: ContactTime) -> State {
    match when {
        ContactTime::OutsideBusinessHours => State::ReachedOutAfterHours {},
        ContactTime::BusinessHours => State::ReachedOutInHours {},
    }
}

/// The facts an answer needs, with the review period in force.
fn facts_needed(context: &Ctx<'_>) -> String {
    if context.facts.date(&ev::WARRANTY_STARTED).is_none() {
        "the warranty start date before the answer".to_owned()
    } else {
        format!(
            "the first payment before the answer (d >= {})",
            params(context).review_period_days
        )
    }
}

/// The procedure's parameters in force (the defaults for a context that carries none).
fn params<'c>(context: &Ctx<'c>) -> &'c SdParams {
    context
        .params::<SdParams>()
        .unwrap_or_else(|| SdParams::fallback())
}

impl SdInquiry {
    /// On entering a branch: remember when the branch became known (once: a restore re-runs
    /// this), raise SD12 for the branch the document does not cover, and judge what was
    /// already said against the branch.
    fn entered(&mut self, state: State, context: &Ctx<'_>) {
        let at = self.mark(Mark::ClassifiedAt, context.stamp);
        if matches!(state, State::AwaitingFirstPayment {}) {
            self.findings.raise(
                Code::SD12,
                at,
                "a branch of the document",
                format!(
                    "d >= {} with no first payment on or before the call date: the document has no branch for this; the review-period answer applies",
                    params(context).review_period_days
                ),
            );
        }
        self.judge_commissions(state);
    }

    /// The `after_transition` hook: remembers the state the inquiry closed in (its branch).
    fn remember(&mut self, source: &State, target: &State, context: &mut Ctx<'_>) {
        let _ = context;
        if matches!(target, State::Closed {}) {
            self.closed_in = Some(*source);
        }
    }

    /// The state the inquiry was in when it closed, once it has.
    pub fn closed_in(&self) -> Option<State> {
        self.closed_in
    }

    /// The `before_dispatch` hook: records each step once, before the leaf state handles it,
    /// so that every handler judges with the step already counted.
    fn record(
        &mut self,
        state_or_superstate: StateOrSuperstate<'_, State, Superstate>,
        event: &Input<SdEvent<'_>>,
        context: &mut Ctx<'_>,
    ) {
        let (StateOrSuperstate::State(_), Input::Event(event)) = (state_or_superstate, event)
        else {
            return;
        };
        let stamp = context.stamp;
        match event {
            SdEvent::Apologize => {
                self.mark(Mark::Apology, stamp);
            }
            SdEvent::Collect { detail, .. } => {
                self.add(Done::Escalation(Escalation::Collect(*detail)), stamp);
            }
            SdEvent::EmailSent(team) => self.add(Done::Escalation(Escalation::Email(*team)), stamp),
            SdEvent::ExplainPartnerSupport => {
                self.mark(Mark::PartnerSupport, stamp);
            }
            SdEvent::AskContactTime | SdEvent::ContactTime(_) => {
                self.mark(Mark::ContactTime, stamp);
            }
            SdEvent::AskTicket | SdEvent::Ticket(_) => {
                self.mark(Mark::Ticket, stamp);
            }
            SdEvent::PromiseFollowup => {
                self.mark(Mark::Followup, stamp);
            }
            SdEvent::PartnerContacted => {
                self.mark(Mark::PartnerContacted, stamp);
            }
            SdEvent::ExplainReviewPeriod => self.add(Done::Answer(Answer::ReviewPeriod), stamp),
            SdEvent::ExpectEmailSoon => self.add(Done::Answer(Answer::EmailSoon), stamp),
            _ => {}
        }
    }

    /// The shared handling of the five review-check states: facts move between branches,
    /// answers and escalation steps are judged against the branch, the close judges the rest.
    ///
    /// `state` is the state handling the event: the branch the facts made true when they last
    /// changed (only a fact moves it). Other steps are judged against it, so the branch is
    /// worked out from the facts only when a fact arrives and when the inquiry closes (dates
    /// are not free to compare, and most events are not facts).
    fn review_step(
        &mut self,
        state: State,
        context: &mut Ctx<'_>,
        event: &Input<SdEvent<'_>>,
    ) -> Outcome<State> {
        match event {
            Input::Close {
                complete,
                call_over,
            } => self.close(review_state(context), context, *complete, *call_over),
            Input::Event(SdEvent::WarrantyStarted(_) | SdEvent::FirstPayment(_)) => {
                let now = review_state(context);
                if now == state {
                    Handled
                } else {
                    Transition(now)
                }
            }
            Input::Event(step) => {
                let answer = matches!(
                    step,
                    SdEvent::ExplainReviewPeriod | SdEvent::ExpectEmailSoon
                );
                if answer && matches!(state, State::AwaitingFacts {}) {
                    self.findings.raise(
                        Code::SD03,
                        context.stamp,
                        facts_needed(context),
                        "answered before them",
                    );
                }
                self.judge_commissions(state);
                Super
            }
            Input::Open(_) | Input::CallOver { .. } => Super,
        }
    }

    /// Judges everything said so far against the state's branch. Idempotent: an instance
    /// already raised is not raised twice.
    fn judge_commissions(&mut self, state: State) {
        if let Some(branch) = state.branch() {
            let SdInquiry { done, findings, .. } = self;
            for (answer, stamp) in answers_in(done) {
                let wrong = match (branch, answer) {
                    (Branch::WithinReview | Branch::AwaitingFirstPayment, Answer::EmailSoon) => {
                        Some("the review-period explanation")
                    }
                    (Branch::RecentlyEligible, Answer::ReviewPeriod) => {
                        Some("the email within the week (expect_email_soon)")
                    }
                    (Branch::Overdue, _) => Some("an apology and the escalation"),
                    _ => None,
                };
                if let Some(expected) = wrong {
                    let said = match answer {
                        Answer::ReviewPeriod => "explain_review_period",
                        Answer::EmailSoon => "expect_email_soon",
                    };
                    findings.raise(
                        Code::SD01,
                        stamp,
                        format!("{} ({})", expected, branch.as_str()),
                        format!("{said}, false in this branch"),
                    );
                }
            }
        }
        self.judge_escalations(state);
    }

    /// SD13: collects and escalation emails the state's branch does not call for. Steps taken
    /// while the branch is unknown are judged once it is known.
    fn judge_escalations(&mut self, state: State) {
        let called_for = |e: Escalation| match (state, e) {
            (State::Overdue {}, Escalation::Collect(_) | Escalation::Email(Team::RewardsTeam)) => {
                true
            }
            (
                State::PartnerUnanswered {}
                | State::ReachedOutAfterHours {}
                | State::ReachedOutInHours {},
                Escalation::Email(Team::ProductTeam),
            ) => true,
            (State::AwaitingFacts {}, _) => true, // not judged yet
            _ => false,
        };
        let SdInquiry { done, findings, .. } = self;
        for (escalation, stamp) in escalations_in(done) {
            if !called_for(escalation) {
                let step = match escalation {
                    Escalation::Collect(d) => format!("collect {}", d.as_str()),
                    Escalation::Email(t) => format!("email_sent {}", t.as_str()),
                };
                findings.raise(
                    Code::SD13,
                    stamp,
                    format!("no escalation in {}", state.name()),
                    step,
                );
            }
        }
    }

    fn close(
        &mut self,
        state: State,
        context: &Ctx<'_>,
        complete: bool,
        call_over: bool,
    ) -> Outcome<State> {
        self.judge_commissions(state);
        if matches!(state, State::AwaitingFacts {}) {
            self.findings.raise(
                Code::SD03,
                context.stamp,
                facts_needed(context).trim_end_matches(" before the answer"),
                "the facts never came; the branch is unknown",
            );
        }
        if complete {
            let outstanding = self.outstanding(state, context);
            raise_outstanding(
                &mut self.findings,
                &outstanding,
                Judged::on_close(call_over),
                context.stamp,
            );
        }
        Transition(State::Closed {})
    }

    fn collected(&self, detail: Detail) -> bool {
        self.did(Done::Escalation(Escalation::Collect(detail)))
    }

    fn emailed(&self, team: Team) -> bool {
        self.did(Done::Escalation(Escalation::Email(team)))
    }

    /// What the procedure still requires in `state`, in the order the document does it.
    pub fn outstanding(&self, state: State, context: &Ctx<'_>) -> Vec<Requirement> {
        let mut out = Requirements::new();
        self.outstanding_into(state, context, &mut out);
        out.into_vec()
    }

    /// The same requirements, added to `out` (no allocation of its own for the next steps).
    pub fn outstanding_into(&self, state: State, context: &Ctx<'_>, out: &mut Requirements) {
        let apology =
            |line| Requirement::new(&ev::APOLOGIZE, "apologise", Some(Code::SD11), Some(line));
        match state {
            // The fact still missing: the warranty start, then (from day 30) the first payment.
            State::AwaitingFacts {} if context.facts.date(&ev::WARRANTY_STARTED).is_some() => out
                .push(Requirement::new(
                    &ev::FIRST_PAYMENT,
                    "look up the first payment before answering (the warranty is past its review period)",
                    None,
                    None,
                )),
            State::AwaitingFacts {} => out.push(Requirement::new(
                &ev::WARRANTY_STARTED,
                "look up the warranty start date and the first payment before answering",
                None,
                None,
            )),
            State::WithinReview {} | State::AwaitingFirstPayment {} => {
                if !self.answered() {
                    out.push(Requirement::new(
                        &ev::EXPLAIN_REVIEW_PERIOD,
                        format!(
                            "explain the {}-day review period",
                            params(context).review_period_days
                        ),
                        Some(Code::SD02),
                        Some(scripts::EXPLAIN_REVIEW_PERIOD),
                    ));
                }
            }
            State::RecentlyEligible {} => {
                if !self.answered() {
                    out.push(Requirement::new(
                        &ev::EXPECT_EMAIL_SOON,
                        "say the email comes within the week",
                        Some(Code::SD02),
                        Some(scripts::EXPECT_EMAIL_SOON),
                    ));
                }
            }
            State::Overdue {} => {
                if !self.did(Done::Mark(Mark::Apology)) {
                    out.push(apology(scripts::APOLOGIZE_DELAY));
                }
                for detail in Detail::ALL {
                    if !self.collected(detail) {
                        out.push(
                            Requirement::new(
                                &ev::COLLECT,
                                "confirm the customer's first/last name, email address and phone number",
                                Some(Code::SD04),
                                Some(scripts::CONFIRM_DETAILS),
                            )
                            .with_value(detail.as_str()),
                        );
                    }
                }
                if !self.emailed(Team::RewardsTeam) {
                    out.push(
                        Requirement::new(
                            &ev::EMAIL_SENT,
                            "email the customer's details to the rewards team",
                            Some(Code::SD05),
                            None,
                        )
                        .with_value("rewards_team"),
                    );
                }
            }
            State::SiteIssue {} => {
                if !self.did(Done::Mark(Mark::Apology)) {
                    out.push(apology(scripts::APOLOGIZE_INCONVENIENCE));
                }
                if !self.did(Done::Mark(Mark::PartnerSupport)) {
                    out.push(Requirement::new(
                        &ev::EXPLAIN_PARTNER_SUPPORT,
                        "explain the partner's support and walk through its steps",
                        Some(Code::SD10),
                        Some(scripts::EXPLAIN_PARTNER_SUPPORT),
                    ));
                }
            }
            State::PartnerUnanswered {}
            | State::ReachedOutAfterHours {}
            | State::ReachedOutInHours {} => {
                let steps = [
                    (
                        self.did(Done::Mark(Mark::Apology)),
                        apology(scripts::APOLOGIZE_INCONVENIENCE),
                    ),
                    (
                        self.did(Done::Mark(Mark::ContactTime)),
                        Requirement::new(
                            &ev::ASK_CONTACT_TIME,
                            "ask how long ago the customer reached out",
                            Some(Code::SD07),
                            Some(scripts::ASK_CONTACT_TIME),
                        ),
                    ),
                    (
                        self.did(Done::Mark(Mark::Ticket)),
                        Requirement::new(
                            &ev::ASK_TICKET,
                            "ask for the support ticket number",
                            Some(Code::SD06),
                            Some(scripts::ASK_TICKET),
                        ),
                    ),
                    (
                        self.did(Done::Mark(Mark::Followup)),
                        Requirement::new(
                            &crate::procedures::common::PROMISE_FOLLOWUP,
                            "promise the ticket is answered within 24 hours",
                            Some(Code::SD08),
                            Some(scripts::PROMISE_FOLLOWUP),
                        ),
                    ),
                    (
                        self.did(Done::Mark(Mark::PartnerContacted)),
                        Requirement::new(
                            &ev::PARTNER_CONTACTED,
                            "contact Home Service Perks",
                            Some(Code::SD09),
                            None,
                        ),
                    ),
                    (
                        self.emailed(Team::ProductTeam),
                        Requirement::new(
                            &ev::EMAIL_SENT,
                            "email the customer's information and issue to the product team",
                            Some(Code::SD05),
                            None,
                        )
                        .with_value("product_team"),
                    ),
                ];
                out.extend(steps.into_iter().filter(|(done, _)| !done).map(|(_, r)| r));
            }
            State::Idle {} | State::Closed {} => {}
        }
    }

    /// The findings raised in this inquiry so far.
    pub fn findings(&self) -> &Findings {
        &self.findings
    }
}

impl State {
    /// The state's name, as diagrams and reports show it.
    pub fn name(&self) -> &'static str {
        match self {
            State::Idle {} => "idle",
            State::AwaitingFacts {} => "awaiting_facts",
            State::WithinReview {} => "within_review",
            State::AwaitingFirstPayment {} => "awaiting_first_payment",
            State::RecentlyEligible {} => "recently_eligible",
            State::Overdue {} => "overdue",
            State::SiteIssue {} => "site_issue",
            State::PartnerUnanswered {} => "partner_unanswered",
            State::ReachedOutAfterHours {} => "reached_out_after_hours",
            State::ReachedOutInHours {} => "reached_out_in_hours",
            State::Closed {} => "closed",
        }
    }

    /// The review-check branch this state stands for, if any.
    pub fn branch(&self) -> Option<Branch> {
        match self {
            State::WithinReview {} => Some(Branch::WithinReview),
            State::AwaitingFirstPayment {} => Some(Branch::AwaitingFirstPayment),
            State::RecentlyEligible {} => Some(Branch::RecentlyEligible),
            State::Overdue {} => Some(Branch::Overdue),
            _ => None,
        }
    }
}

impl ProcedureStorage for SdInquiry {
    type Typed<'a> = SdEvent<'a>;

    fn event<'a>(step: &ProcedureStep<'a>) -> Option<SdEvent<'a>> {
        SdEvent::of(step)
    }

    fn state_name(state: &State) -> &'static str {
        state.name()
    }

    fn closed_in(&self) -> Option<State> {
        self.closed_in
    }

    fn branch(state: &State) -> Option<&'static str> {
        state.branch().map(Branch::as_str)
    }

    fn findings(&self) -> &Findings {
        &self.findings
    }

    fn outstanding(&self, state: &State, ctx: &Ctx<'_>) -> Vec<Requirement> {
        SdInquiry::outstanding(self, *state, ctx)
    }

    fn outstanding_into(&self, state: &State, ctx: &Ctx<'_>, out: &mut Requirements) {
        SdInquiry::outstanding_into(self, *state, ctx, out)
    }

    /// An open review-check inquiry stands in the branch its facts make true.
    fn check(&self, state: &State, ctx: &Ctx<'_>) -> Result<(), String> {
        let review = matches!(
            state,
            State::AwaitingFacts {}
                | State::WithinReview {}
                | State::AwaitingFirstPayment {}
                | State::RecentlyEligible {}
                | State::Overdue {}
        );
        let expected = review_state(ctx);
        if review && *state != expected {
            return Err(format!(
                "its machine is in state '{}', but the call's facts make it '{}'",
                state.name(),
                expected.name()
            ));
        }
        Ok(())
    }
}

crate::inquiry_machine! {
    /// The machine of one shopping-dollars inquiry.
    pub struct SdMachine(SdInquiry);
}
