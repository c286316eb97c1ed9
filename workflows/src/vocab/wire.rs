//! Events on the wire: an event is `{"event": <name>, "value": <value as a log writes it>}`,
//! the two columns of a v1 log row (call-log-v1.md). Each event's value syntax is on its
//! definition ([`crate::procedures`], [`super::frame_events`]).

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{lookup_event, EndStatus, Event, EventName, ProcedureStep};
use crate::error::Error;

impl<'a> Event<'a> {
    /// The event `name` with its `value` parsed by the event's syntax (call-log-v1.md).
    #[inline]
    pub fn parse(name: EventName, value: &'a str) -> Result<Event<'a>, Error> {
        let def = name.def();
        let parsed = def.syntax.parse(value)?;
        Ok(match def.frame {
            0 => Event::Step(ProcedureStep {
                name,
                value: parsed,
            }),
            1 => Event::CallStarted { department: value },
            2 => Event::Greeting,
            3 => Event::CustomerIdentified { name: value },
            4 => Event::Inquiry { code: value },
            5 => Event::AnythingElse,
            6 => Event::Goodbye,
            _ => {
                let index = parsed.choice().map_or(0, usize::from);
                Event::CallEnded(
                    EndStatus::ALL
                        .get(index)
                        .copied()
                        .unwrap_or(EndStatus::Completed),
                )
            }
        })
    }
}

impl Serialize for Event<'_> {
    /// `{"event": "first_payment", "value": "2026-02-01"}`: the value as a log writes it.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut event = serializer.serialize_struct("Event", 2)?;
        event.serialize_field("event", self.name().as_str())?;
        event.serialize_field("value", &self.value())?;
        event.end()
    }
}

/// Reads `{"event": <name>, "value": <value>}` (a missing `value` is empty), borrowing the
/// text from the input: the name must be one an engine built in this process registers (an
/// unknown name is an error), and the value must follow the event's syntax.
///
/// A reader that cannot lend its text (a JSON string with escapes, `serde_json::from_reader`)
/// gives an error here: read an [`EventRecord`] instead and call [`EventRecord::event`].
///
/// ```
/// use callflow_workflows::{Engine, Event};
/// let engine = Engine::builtin(); // registers the built-in vocabulary
/// let event: Event = serde_json::from_str(r#"{"event": "first_payment", "value": "none"}"#).unwrap();
/// assert_eq!(event, engine.event("first_payment", "none").unwrap());
/// assert_eq!(
///     serde_json::to_string(&event).unwrap(),
///     r#"{"event":"first_payment","value":"none"}"#
/// );
/// let wrong = serde_json::from_str::<Event>(r#"{"event": "first_payment", "value": "soon"}"#);
/// assert!(wrong.unwrap_err().to_string().contains("soon"));
/// ```
impl<'de> Deserialize<'de> for Event<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("Event", &FIELDS, EventVisitor)
    }
}

const FIELDS: [&str; 2] = ["event", "value"];

struct EventVisitor;

impl<'de> Visitor<'de> for EventVisitor {
    type Value = Event<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"an event {"event": <name>, "value": <value>}"#)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Event<'de>, A::Error> {
        let mut name: Option<&'de str> = None;
        let mut value: Option<&'de str> = None;
        while let Some(key) = map.next_key::<&'de str>()? {
            match key {
                "event" if name.is_none() => name = Some(map.next_value()?),
                "value" if value.is_none() => value = Some(map.next_value()?),
                "event" => return Err(de::Error::duplicate_field("event")),
                "value" => return Err(de::Error::duplicate_field("value")),
                other => return Err(de::Error::unknown_field(other, &FIELDS)),
            }
        }
        let name = name.ok_or_else(|| de::Error::missing_field("event"))?;
        let event = lookup_event(name).ok_or_else(|| {
            de::Error::custom(Error::UnknownEvent {
                name: name.to_owned(),
            })
        })?;
        Event::parse(event, value.unwrap_or("")).map_err(de::Error::custom)
    }
}

/// An event on the wire, owning its text: what a service reads from a queue or a socket
/// when the reader cannot lend its text to an [`Event`]. Parse it with [`EventRecord::event`].
///
/// ```
/// use callflow_workflows::{Engine, EventRecord};
/// let engine = Engine::builtin();
/// let record: EventRecord =
///     serde_json::from_reader(r#"{"event": "customer_identified", "value": "Zo\u00eb O'Neil"}"#.as_bytes())
///         .unwrap();
/// let event = record.event().unwrap();
/// assert_eq!(event.value(), "Zoë O'Neil");
/// assert_eq!(EventRecord::of(&event), record);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRecord {
    /// The event's name (`first_payment`).
    pub event: String,
    /// Its value as a log writes it (empty for events without one).
    #[serde(default)]
    pub value: String,
}

impl EventRecord {
    /// The record of an event.
    pub fn of(event: &Event<'_>) -> EventRecord {
        EventRecord {
            event: event.name().as_str().to_owned(),
            value: event.value(),
        }
    }

    /// The event, borrowing the record's text: the name must be one an engine built in this
    /// process registers, the value must follow the event's syntax.
    pub fn event(&self) -> Result<Event<'_>, Error> {
        let name = lookup_event(&self.event).ok_or_else(|| Error::UnknownEvent {
            name: super::Quoted(&self.event).to_string(),
        })?;
        Event::parse(name, &self.value)
    }
}
