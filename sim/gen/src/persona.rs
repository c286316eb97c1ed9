//! Seeded, realistic, internally consistent people and values for generated calls: agents,
//! customers, phone numbers and call times; each procedure's stage draws its own values (ticket
//! numbers, amounts) into the persona's props.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Weekday};
use chrono_tz::Tz;
use fastrand::Rng;

use callflow_workflows::explore::starts_within;
use callflow_workflows::stage::{Cast, Props};
use callflow_workflows::Engine;

const FIRST_NAMES: [&str; 24] = [
    "Pat", "Ana", "Lee", "Dana", "Kim", "Omar", "Eve", "Raj", "Lia", "Bo", "Ines", "Ken", "Zoe",
    "Al", "Cy", "Di", "Ed", "Flo", "Gus", "Hal", "Ivy", "Jo", "Kay", "Lou",
];
const LAST_NAMES: [&str; 24] = [
    "Lee", "Ruiz", "Wong", "Fox", "Ode", "Haddad", "Stone", "Mehta", "Chen", "Jensen", "Alves",
    "Ito", "Hart", "Byrne", "Dunn", "Ford", "Gray", "Hunt", "Ives", "Jory", "Kerr", "Lane", "Moss",
    "Nash",
];

/// A call-center agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Agent {
    /// Enterprise id.
    pub id: &'static str,
    /// Full name.
    pub name: &'static str,
    /// How careful the agent is: the share of the simulator's faults this agent gets, relative.
    pub slips: u32,
}

/// The agents of generated calls.
pub const AGENTS: [Agent; 6] = [
    Agent {
        id: "sjones",
        name: "Sam Jones",
        slips: 2,
    },
    Agent {
        id: "mlopez",
        name: "Maria Lopez",
        slips: 1,
    },
    Agent {
        id: "tkim",
        name: "Tom Kim",
        slips: 3,
    },
    Agent {
        id: "rpatel",
        name: "Riya Patel",
        slips: 1,
    },
    Agent {
        id: "jbrown",
        name: "Jo Brown",
        slips: 4,
    },
    Agent {
        id: "awu",
        name: "Amy Wu",
        slips: 1,
    },
];

/// Everyone and everything one generated call needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Persona {
    /// The agent.
    pub agent: Agent,
    /// The customer's full name.
    pub customer: String,
    /// The customer's phone number, 10 digits.
    pub phone: String,
    /// What the procedures' stages drew for the call (ticket numbers, amounts, names).
    pub props: Props,
}

impl Persona {
    /// A persona drawn from the generator: the customer and the phone number, then every
    /// procedure's values, in registration order.
    pub fn draw(rng: &mut Rng, agent: Agent, engine: &Engine) -> Persona {
        let first = FIRST_NAMES[rng.usize(..FIRST_NAMES.len())];
        let last = LAST_NAMES[rng.usize(..LAST_NAMES.len())];
        let area = [212u32, 312, 415, 617, 718, 206, 305][rng.usize(..7)];
        let phone = format!("{area}555{:04}", rng.u32(100..10_000));
        let mut props = Props::default();
        for procedure in engine.procedures() {
            procedure.stage().draw_props(rng, &mut props);
        }
        Persona {
            agent,
            customer: format!("{first} {last}"),
            phone,
            props,
        }
    }

    /// The persona as a procedure's stage sees it.
    pub fn cast<'a>(&'a self, department: &'a str) -> Cast<'a> {
        Cast {
            department,
            agent_id: self.agent.id,
            agent_name: self.agent.name,
            customer: &self.customer,
            phone: &self.phone,
            props: &self.props,
        }
    }

    /// The ticket number a procedure drew, if one did.
    pub fn ticket(&self) -> Option<&str> {
        self.props.text("ticket")
    }

    /// The customer's first name.
    pub fn customer_first(&self) -> &str {
        self.customer.split(' ').next().unwrap_or(&self.customer)
    }

    /// The agent's first name (what they say in the greeting).
    pub fn agent_first(&self) -> &'static str {
        self.agent.name.split(' ').next().unwrap_or(self.agent.name)
    }
}

/// A start time in 2026, in the business time zone: inside chat hours, a weekday from 09:05
/// to 16:30; outside them, a weekday from 18:10 to 20:30, or (one call in four) a Saturday
/// or Sunday from 10:00 to 16:00.
pub fn call_start(
    rng: &mut Rng,
    engine: &Engine,
    within_chat_hours: bool,
) -> DateTime<FixedOffset> {
    let tz = engine.config().business_tz;
    let base = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default();
    let weekend = !within_chat_hours && rng.u32(0..4) == 0;
    // Under the policy's own hours (a holiday, other chat hours): a drawn time that the
    // policy does not make what was asked is drawn again; after many tries, one from
    // anywhere in the day that fits, else the last drawn.
    let fits = |at: DateTime<FixedOffset>| starts_within(engine, at, within_chat_hours);
    for _ in 0..200 {
        let at = draw_start(rng, tz, base, weekend, within_chat_hours);
        if fits(at) {
            return at;
        }
    }
    for _ in 0..2_000 {
        let date = base + Duration::days(i64::from(rng.u32(0..330)));
        let minutes = rng.u32(0..24 * 60);
        let local = date.and_hms_opt(minutes / 60, minutes % 60, 0);
        if let Some(at) = local.and_then(|t| tz.from_local_datetime(&t).single()) {
            if fits(at.fixed_offset()) {
                return at.fixed_offset();
            }
        }
    }
    draw_start(rng, tz, base, weekend, within_chat_hours)
}

/// A start drawn as the default hours would have it: 09:05 to 16:30 on a weekday within chat
/// hours; 18:10 to 20:30 on a weekday, or 10:00 to 16:00 at the weekend, outside.
fn draw_start(
    rng: &mut Rng,
    tz: Tz,
    base: NaiveDate,
    weekend: bool,
    within_chat_hours: bool,
) -> DateTime<FixedOffset> {
    loop {
        let date = base + Duration::days(i64::from(rng.u32(0..330)));
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) != weekend {
            continue;
        }
        let minutes = if within_chat_hours {
            rng.u32(9 * 60 + 5..16 * 60 + 30)
        } else if weekend {
            rng.u32(10 * 60..16 * 60)
        } else {
            rng.u32(18 * 60 + 10..20 * 60 + 30)
        };
        let local = date.and_hms_opt(minutes / 60, minutes % 60, rng.u32(0..60));
        if let Some(at) = local.and_then(|t| tz.from_local_datetime(&t).single()) {
            return at.fixed_offset();
        }
    }
}
