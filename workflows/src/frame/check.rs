//! The consistency check of a restored call: a saved call is data anyone can edit, so before a
//! restored call takes events, its frame state, its record and its inquiries' machines must
//! tell the same story.

use super::{Frame, FrameCtx, State};
use crate::vocab::PackedStamp;

impl Frame {
    /// Checks that `state` and the record agree, and asks each open inquiry's procedure
    /// whether its machine's state is one the call's facts allow. The error says what
    /// contradicts what.
    pub(crate) fn check(&self, state: State, context: &FrameCtx<'_>) -> Result<(), String> {
        let name = state.name();
        let (started, last) = (self.started.get(), self.last.get());
        if started.line > last.line || started.at > last.at {
            return Err(format!(
                "the call started at line {} ({}), after its latest event (line {}, {})",
                started.line, started.at, last.line, last.at
            ));
        }
        match (state, self.end()) {
            (State::Ended {}, None) => {
                return Err("the frame is in state 'ended' but the call has no end".to_owned())
            }
            (State::Ended {}, Some(_)) => {}
            (_, Some((end, _))) => {
                return Err(format!(
                    "the call ended at line {} but the frame is in state '{name}'",
                    end.line
                ))
            }
            (_, None) => {}
        }
        let stamps = [
            self.greeting.map(PackedStamp::get),
            self.goodbye.map(PackedStamp::get),
            self.end().map(|(stamp, _)| stamp),
        ];
        if let Some(late) = stamps.into_iter().flatten().find(|s| s.line > last.line) {
            return Err(format!(
                "an event at line {} comes after the call's latest event (line {})",
                late.line, last.line
            ));
        }
        let greeted = self.greeting.is_some();
        let any_inquiry = !self.inquiries.is_empty();
        let open = self.open_inquiry().is_some();
        let contradiction = match state {
            State::Opening {} if greeted => Some("a greeting was recorded"),
            State::Opening {} | State::Greeted {} if any_inquiry => Some("an inquiry was recorded"),
            State::Opening {} if self.goodbye.is_some() => Some("a goodbye was recorded"),
            State::Greeted {} if !greeted => Some("no greeting was recorded"),
            State::Inquiring {} if !open => Some("no inquiry is open"),
            State::AnythingElse {} if !any_inquiry => Some("no inquiry was recorded"),
            State::AfterGoodbye {} if self.goodbye.is_none() => Some("no goodbye was recorded"),
            _ => None,
        };
        if let Some(why) = contradiction {
            return Err(format!("the frame is in state '{name}' but {why}"));
        }
        self.check_inquiries(state, context)
    }

    /// Every inquiry but the last is closed, the last one closes with the call, stamps run in
    /// order, and each machine is closed exactly when its inquiry is.
    fn check_inquiries(&self, state: State, context: &FrameCtx<'_>) -> Result<(), String> {
        let count = self.inquiries.len();
        let mut previous = self.started.line();
        for (index, inquiry) in self.inquiries.iter().enumerate() {
            let code = inquiry.code();
            let last = index + 1 == count;
            let should_be_closed = !last || matches!(state, State::Ended {});
            match (inquiry.closed, should_be_closed) {
                (None, true) => {
                    return Err(format!(
                        "inquiry {} ('{code}') is still open, but {}",
                        index + 1,
                        if last {
                            "the call has ended"
                        } else {
                            "a later inquiry opened"
                        }
                    ))
                }
                (Some(closed), false) => {
                    return Err(format!(
                        "inquiry {} ('{code}') closed at line {} while the call is live and no later inquiry closed it",
                        index + 1,
                        closed.line()
                    ))
                }
                _ => {}
            }
            let opened = inquiry.opened.line();
            let closed = inquiry.closed.map(|s| s.line());
            if opened < previous || closed.is_some_and(|c| c < opened) || opened > self.last.line()
            {
                return Err(format!(
                    "inquiry {} ('{code}') has its lines out of order (opened at line {opened}, closed at {})",
                    index + 1,
                    closed.map_or_else(|| "-".to_owned(), |c| c.to_string())
                ));
            }
            previous = closed.unwrap_or(opened);
            let (Some(machine), Some(procedure)) = (inquiry.machine(), inquiry.procedure()) else {
                continue;
            };
            if machine.closed_in().is_some() != inquiry.closed.is_some() {
                return Err(format!(
                    "inquiry {} ('{code}') is {} but its machine is in state '{}'",
                    index + 1,
                    if inquiry.closed.is_some() {
                        "closed"
                    } else {
                        "open"
                    },
                    machine.state()
                ));
            }
            machine
                .check(&self.ctx(context, procedure))
                .map_err(|why| format!("inquiry {} ('{code}'): {why}", index + 1))?;
        }
        Ok(())
    }
}
