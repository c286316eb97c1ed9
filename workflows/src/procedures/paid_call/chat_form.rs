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
        for pair in text.split(';').filter(|p| !is_blank(p)) {
            let (key, value) = pair.split_once('=').ok_or_else(|| Error::InvalidValue {
                what: "chat form",
                value: text.to_owned(),
                why: "each ';'-separated pair needs a '='",
            })?;
            let slot = match key.trim() {
                "enterprise_id" => &mut form.enterprise_id,
                "agent_name" => &mut form.agent_name,
                "member_name" => &mut form.member_name,
                "customer_id" => &mut form.customer_id,
                "reason" => &mut form.reason,
                _ => continue,
            };
            if slot.is_some() {
                return Err(Error::InvalidValue {
                    what: "chat form",
                    value: text.to_owned(),
                    why: "a key appears twice",
                });
            }
            *slot = Some(value.trim());
        }
        Ok(form)
    }

    /// Checks that a payload parses (the event's syntax).
    pub fn check(text: &str) -> Result<(), Error> {
        ChatForm::parse(text).map(|_| ())
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
    fn a_form_writes_what_it_parses() {
        let text = "enterprise_id=sjones;agent_name=Sam;member_name=Pat Lee;customer_id=5551234567;reason=Cancellations/Paid Call Fee";
        assert_eq!(ChatForm::parse(text).unwrap().value(), text);
    }
}
