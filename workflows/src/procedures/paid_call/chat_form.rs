//! The partner chat's start form (rule 5 of section 3): its `key=value;...` payload and the
//! defects the document counts against it.

use crate::error::Error;
use crate::vocab::{is_blank, Quoted};

/// The partner chat's start form (`chat_form`'s `key=value;...` payload), borrowed from the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChatForm<'a> {
    /// `enterprise_id`: the agent's user name.
    pub enterprise_id: Option<&'a str>,
    /// `agent_name`: the agent's name.
    pub agent_name: Option<&'a str>,
    /// `member_name`: the customer's name.
    pub member_name: Option<&'a str>,
    /// `customer_id`: the customer's phone number, exactly 10 digits.
    pub customer_id: Option<&'a str>,
    /// `reason`: must be `Cancellations/Paid Call Fee`.
    pub reason: Option<&'a str>,
}

/// The only reason the chat form accepts for this procedure.
pub const CHAT_FORM_REASON: &str = "Cancellations/Paid Call Fee";

impl ChatForm<'_> {
    /// The form as its `key=value;...` payload, the fields given in the form's order.
    pub fn value(&self) -> String {
        let mut text = String::new();
        for (key, field) in [
            ("enterprise_id", self.enterprise_id),
            ("agent_name", self.agent_name),
            ("member_name", self.member_name),
            ("customer_id", self.customer_id),
            ("reason", self.reason),
        ] {
            if let Some(field) = field {
                if !text.is_empty() {
                    text.push(';');
                }
                text.push_str(key);
                text.push('=');
                text.push_str(field);
            }
        }
        text
    }
}

/// `text.trim()`, deciding from its first and last bytes in the common case of text that
/// starts and ends with a visible ASCII character (no white space to cut).
fn trimmed(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

impl<'a> ChatForm<'a> {
    /// Parses `key=value` pairs joined by `;`, each split on its first `=`. Unknown keys are
    /// ignored (the format may grow); a pair without `=` or a repeated key is an error.
    ///
    /// ```
    /// use callflow_workflows::procedures::paid_call::ChatForm;
    /// let form = ChatForm::parse("enterprise_id=sjones;customer_id=5551234567").unwrap();
    /// assert_eq!(form.enterprise_id, Some("sjones"));
    /// assert_eq!(form.reason, None);
    /// ```
    pub fn parse(text: &'a str) -> Result<ChatForm<'a>, Error> {
        let mut form = ChatForm::default();
        // The pairs and their `=` found byte by byte (`;` and `=` are ASCII: every cut is a
        // char boundary): the payloads are short, and a memchr's set-up costs more than the
        // search.
        let mut start = 0;
        while start <= text.len() {
            let rest = text.get(start..).unwrap_or("");
            let end = rest
                .bytes()
                .position(|b| b == b';')
                .map_or(text.len(), |at| start + at);
            let pair = text.get(start..end).unwrap_or("");
            let equals = pair.bytes().position(|b| b == b'=').map(|at| start + at);
            form.take_pair(text, start, equals, end)?;
            start = end + 1;
        }
        Ok(form)
    }

    /// Takes the pair `text[start..end]`, its first `=` at `equals`.
    fn take_pair(
        &mut self,
        text: &'a str,
        start: usize,
        equals: Option<usize>,
        end: usize,
    ) -> Result<(), Error> {
        let pair = text.get(start..end).unwrap_or("");
        if is_blank(pair) {
            return Ok(());
        }
        let bad = |why| Error::InvalidValue {
            what: "chat form",
            value: text.to_owned(),
            why,
        };
        let equals = equals.ok_or_else(|| bad("each ';'-separated pair needs a '='"))?;
        let key = text.get(start..equals).unwrap_or("");
        let value = text.get(equals + 1..end).unwrap_or("");
        let slot = match trimmed(key) {
            "enterprise_id" => &mut self.enterprise_id,
            "agent_name" => &mut self.agent_name,
            "member_name" => &mut self.member_name,
            "customer_id" => &mut self.customer_id,
            "reason" => &mut self.reason,
            _ => return Ok(()),
        };
        if slot.is_some() {
            return Err(bad("a key appears twice"));
        }
        *slot = Some(trimmed(value));
        Ok(())
    }

    /// Checks that a payload parses (the event's syntax), as [`ChatForm::parse`] would, without
    /// taking the values: the machine parses the form where it judges it.
    pub fn check(text: &str) -> Result<(), Error> {
        let bad = |why| Error::InvalidValue {
            what: "chat form",
            value: text.to_owned(),
            why,
        };
        let mut seen = 0u8;
        for pair in text.split(';') {
            if is_blank(pair) {
                continue;
            }
            let key = match pair.bytes().position(|b| b == b'=') {
                Some(at) => pair.get(..at).unwrap_or(""),
                None => return Err(bad("each ';'-separated pair needs a '='")),
            };
            let bit = match trimmed(key) {
                "enterprise_id" => 1,
                "agent_name" => 2,
                "member_name" => 4,
                "customer_id" => 8,
                "reason" => 16,
                _ => continue,
            };
            if seen & bit != 0 {
                return Err(bad("a key appears twice"));
            }
            seen |= bit;
        }
        Ok(())
    }

    /// The form's defects against the document: each missing field, a customer id that is not
    /// exactly 10 digits, a reason other than `expected_reason`, an enterprise id that is not
    /// the call's agent.
    pub fn defects(&self, agent_id: &str, expected_reason: &str) -> Vec<String> {
        let mut defects = Vec::new();
        let fields = [
            ("enterprise_id", self.enterprise_id),
            ("agent_name", self.agent_name),
            ("member_name", self.member_name),
            ("customer_id", self.customer_id),
            ("reason", self.reason),
        ];
        for (name, value) in fields {
            if value.is_none_or(str::is_empty) {
                defects.push(format!("{name} missing"));
            }
        }
        if let Some(id) = self.enterprise_id.filter(|s| !s.is_empty()) {
            if !agent_id.is_empty() && id != agent_id {
                defects.push(format!(
                    "enterprise_id {} is not the agent's user name {}",
                    Quoted(id),
                    Quoted(agent_id)
                ));
            }
        }
        if let Some(id) = self.customer_id.filter(|s| !s.is_empty()) {
            if id.len() != 10 || !id.bytes().all(|b| b.is_ascii_digit()) {
                defects.push(format!(
                    "customer_id {} is not exactly 10 digits (numbers only, no dashes or spaces)",
                    Quoted(id)
                ));
            }
        }
        if let Some(reason) = self.reason.filter(|s| !s.is_empty()) {
            if reason != expected_reason {
                defects.push(format!(
                    "reason {} is not '{expected_reason}'",
                    Quoted(reason)
                ));
            }
        }
        defects
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_form_rejects_pairs_without_equals_and_repeats() {
        assert!(ChatForm::parse("enterprise_id").is_err());
        assert!(ChatForm::parse("reason=a;reason=b").is_err());
        let form = ChatForm::parse("reason=a=b;extra=1").unwrap();
        assert_eq!(form.reason, Some("a=b"));
    }

    #[test]
    fn chat_form_defects_name_each_problem() {
        let form = ChatForm::parse(
            "enterprise_id=sjones;agent_name=Sam;member_name=Pat Lee;customer_id=555-123-4567;reason=Other",
        )
        .unwrap();
        let defects = form.defects("sjones", CHAT_FORM_REASON);
        assert_eq!(defects.len(), 2, "{defects:?}");
        assert!(defects[0].contains("555-123-4567"));
        assert!(defects[1].contains("Other"));
        assert_eq!(
            ChatForm::default()
                .defects("sjones", CHAT_FORM_REASON)
                .len(),
            5
        );
    }

    #[test]
    fn the_check_agrees_with_the_parse() {
        for text in [
            "",
            ";",
            "a",
            "enterprise_id",
            "reason=a;reason=b",
            " reason =a; reason= b",
            "reason=a=b;extra=1",
            "extra=1;extra=2",
            "enterprise_id=x;;agent_name=y; ;member_name=z",
            "x=1;y",
        ] {
            assert_eq!(
                ChatForm::check(text),
                ChatForm::parse(text).map(|_| ()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn trimming_is_what_trim_does() {
        for text in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{a0}a",
            "a\u{3000}",
            "a b",
            "\tx\n",
            "é",
            " é ",
        ] {
            assert_eq!(trimmed(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn a_form_writes_what_it_parses() {
        let text = "enterprise_id=sjones;agent_name=Sam;member_name=Pat Lee;customer_id=5551234567;reason=Cancellations/Paid Call Fee";
        assert_eq!(ChatForm::parse(text).unwrap().value(), text);
    }
}
