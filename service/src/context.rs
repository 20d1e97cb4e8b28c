//! Who is asking, with what, and when.

use utmforge_store::Store;

/// Everything a use case needs besides its input.
#[derive(Clone)]
pub struct Ctx {
    pub store: Store,
    pub actor: Actor,
    pub clock: Clock,
}

impl Ctx {
    /// A context with the system clock, for `actor`.
    pub fn new(store: Store, actor: Actor) -> Ctx {
        Ctx {
            store,
            actor,
            clock: Clock::System,
        }
    }
}

/// Who is asking. Sign-in adds users and API tokens; until then every request is anonymous.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A browser or script without credentials.
    Anonymous,
    /// The command line on the server's own machine.
    Cli,
}

/// The time, injectable so that tests know the date a file is named after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    /// Always this instant (Unix milliseconds).
    Fixed(i64),
}

impl Clock {
    /// Unix milliseconds.
    pub fn now_ms(self) -> i64 {
        match self {
            Clock::Fixed(ms) => ms,
            Clock::System => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64),
        }
    }
}
