//! Browser sessions: what a session remembers about its user, and the idle and absolute
//! limits. The session itself (its id, cookie and storage in the database) is tower-sessions';
//! only the rules live here.

use crate::context::Actor;
use crate::{Ctx, Error};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utmforge_core::account::User;

/// A session unused for this long ends.
pub const IDLE_TIMEOUT_MS: i64 = 12 * 3600 * 1000;
/// A session ends this long after sign-in, used or not.
pub const ABSOLUTE_LIFETIME_MS: i64 = 14 * 24 * 3600 * 1000;
/// `seen_at` is written back at most this often (each write is a database write).
const SEEN_RESOLUTION_MS: i64 = 60 * 1000;

const KEY: &str = "signed_in";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SignedIn {
    user_id: String,
    /// When they signed in (Unix ms): the absolute lifetime counts from here.
    at: i64,
    /// The last request (to a minute): the idle timeout counts from here.
    seen_at: i64,
}

/// Sessions live in the database: when the session store fails, the database did.
fn session_failed(e: tower_sessions::session::Error) -> Error {
    tracing::warn!(error = %e, "session store failed");
    Error::unavailable()
}

/// Signs `user` in on this browser: a new session id (so that an id planted before sign-in is
/// worthless), remembering who and when.
pub async fn start(ctx: &Ctx, session: &Session, user: &User) -> Result<(), Error> {
    let now = ctx.now_ms();
    session.cycle_id().await.map_err(session_failed)?;
    session
        .insert(
            KEY,
            SignedIn {
                user_id: user.id.clone(),
                at: now,
                seen_at: now,
            },
        )
        .await
        .map_err(session_failed)
}

/// Signs out: the session is deleted from the database and its cookie cleared.
pub async fn end(session: &Session) -> Result<(), Error> {
    session.flush().await.map_err(session_failed)
}

/// Who this session belongs to. An idle, expired, or disabled user's session is ended and
/// the answer is nobody.
pub async fn actor(ctx: &Ctx, session: &Session) -> Result<Actor, Error> {
    let Some(mut signed) = session.get::<SignedIn>(KEY).await.map_err(session_failed)? else {
        return Ok(Actor::Anonymous);
    };
    let now = ctx.now_ms();
    let expired = now - signed.seen_at > IDLE_TIMEOUT_MS || now - signed.at > ABSOLUTE_LIFETIME_MS;
    let actor = if expired {
        Actor::Anonymous
    } else {
        match ctx.user_actor(&signed.user_id).await? {
            // A new password since this sign-in ends the session.
            Actor::User(s) if s.user.sessions_after > signed.at => Actor::Anonymous,
            actor => actor,
        }
    };
    if actor == Actor::Anonymous {
        end(session).await?;
    } else if now - signed.seen_at >= SEEN_RESOLUTION_MS {
        signed.seen_at = now;
        session.insert(KEY, signed).await.map_err(session_failed)?;
    }
    Ok(actor)
}
