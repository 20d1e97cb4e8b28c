//! Who is signed in, kept in memory: the users, the live API tokens and the browser sessions
//! that requests present, so that an authenticated request reads no row (issue 34: a token
//! call cost three queries). Off until the server turns it on ([`crate::Store::keep_auth_in_memory`]);
//! the command line and the tests that do not turn it on read the database every time.
//!
//! The promise stays: a disabled user, a revoked token, a changed role or password, a session
//! signed out take effect at the next request — on every instance, and on SQLite also when the
//! command line (another process) made the change. How this process learns of a change:
//! - its own writes clear the cache after they commit;
//! - PostgreSQL: the writes that matter send `NOTIFY utmforge_auth` in their transaction, and
//!   every instance listens (a connection of its own, [`LISTENER_NAME`]): a notification clears
//!   the cache, then the listener answers on `utmforge_auth_ack`. The writer counted the
//!   listeners before its commit and returns only once each has answered (at most
//!   [`ECHO_WAIT`]), so the write's answer leaves when no instance still holds the old row. Until
//!   the listener is connected, and from the moment it loses its connection until it has
//!   listened again, the cache is not used at all (every request reads the database). The
//!   command line does not listen, so its writes on PostgreSQL do not wait for the answers;
//! - SQLite: every process that writes the file updates the WAL index (the `-shm` file) at each
//!   commit — its header holds a change counter and the last frame
//!   (<https://www.sqlite.org/walformat.html>, "The WAL-Index Header"). Each lookup first reads
//!   those 48 bytes (one small read, no query); when they differ from the last seen, the cache
//!   is cleared. Without a readable `-shm`, the cache is not used.
//!
//! A request that read a row just before a change could put the old row back after the clear:
//! each lookup takes a [`Ticket`] (the cache's generation) before it reads the database, and a
//! row is kept only if no clear happened since. Entries also expire after [`MAX_AGE`], so a
//! change made by hand in the database (no notification) is seen within that time.

use crate::accounts::TokenOwner;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use utmforge_core::account::User;

/// The PostgreSQL channel the writes that matter notify.
pub(crate) const CHANNEL: &str = "utmforge_auth";
/// The channel on which each instance's listener says it has started over after a
/// notification (its payload repeated).
const ACKS: &str = "utmforge_auth_ack";
/// The `application_name` of the listeners' connections: a writer counts them to know how many
/// instances must answer.
pub(crate) const LISTENER_NAME: &str = "utmforge sign-in listener";
/// Longest an entry is used without reading the database again.
pub(crate) const MAX_AGE: Duration = Duration::from_secs(60);
/// Most entries of each kind; past it that kind is emptied (a bound, not an eviction policy:
/// only rows that exist are kept, so only many real users and sessions reach it).
const MAX_ENTRIES: usize = 20_000;

pub(crate) struct AuthCache {
    state: Mutex<State>,
    /// How this process learns of others' writes (decided at open).
    watch: Watch,
    /// Turned on (once, by the server).
    on: AtomicBool,
    /// Whether lookups may use what is kept: on, and (PostgreSQL) the listener listening.
    trusted: AtomicBool,
    /// The PostgreSQL listener's task, stopped with the store.
    listener: Mutex<Option<tokio::task::AbortHandle>>,
    /// This cache's notifications (PostgreSQL): its id, the next number, and the writers
    /// waiting until every listener has answered theirs (how many answers are still due).
    id: u64,
    next: std::sync::atomic::AtomicU64,
    echoes: Mutex<HashMap<u64, (usize, tokio::sync::oneshot::Sender<()>)>>,
}

impl AuthCache {
    /// A cache that is off until [`AuthCache::turn_on`], watching with `watch` once on.
    pub(crate) fn new(watch: Watch) -> AuthCache {
        use std::hash::{BuildHasher, RandomState};
        AuthCache {
            state: Default::default(),
            watch,
            on: Default::default(),
            trusted: Default::default(),
            listener: Default::default(),
            id: RandomState::new().hash_one(std::time::SystemTime::now()),
            next: Default::default(),
            echoes: Default::default(),
        }
    }
}

/// A notification this process sent, to wait for until every listener has answered it; when
/// dropped (answered, waited long enough, or its transaction failed) nobody waits any more.
pub(crate) struct Echo {
    n: u64,
    heard: Option<tokio::sync::oneshot::Receiver<()>>,
    cache: Arc<AuthCache>,
}

impl Drop for Echo {
    fn drop(&mut self) {
        if let Ok(mut waiting) = self.cache.echoes.lock() {
            waiting.remove(&self.n);
        }
    }
}

/// Longest a writer waits for the listeners' answers (one that lost its connection never
/// answers; it does not use its cache either).
const ECHO_WAIT: Duration = Duration::from_secs(1);

// No ids, hashes or session data in logs.
impl std::fmt::Debug for AuthCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthCache")
            .field("on", &self.on.load(Ordering::Relaxed))
            .field("trusted", &self.trusted.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

pub(crate) enum Watch {
    /// An in-memory SQLite database: no other process can write it.
    Alone,
    /// A SQLite file: its WAL index, read before each lookup.
    Sqlite(PathBuf),
    /// PostgreSQL (this URL): notifications, while the listener listens.
    Postgres(String),
}

#[derive(Default)]
struct State {
    generation: u64,
    stamp: Option<Stamp>,
    users: HashMap<String, Entry<User>>,
    tokens: HashMap<String, Entry<TokenOwner>>,
    sessions: HashMap<String, Entry<(String, i64)>>,
}

/// The SQLite WAL index header, and which `-shm` file it was read from.
#[derive(PartialEq, Eq, Clone, Copy)]
struct Stamp([u8; 48], u64);

struct Entry<T> {
    value: T,
    at: Instant,
}

/// A lookup's view of the cache: the generation it began in, or none when it must not use
/// the cache (off, or changes could be missed).
pub(crate) struct Ticket(Option<u64>);

impl State {
    fn clear(&mut self) {
        self.generation += 1;
        self.users.clear();
        self.tokens.clear();
        self.sessions.clear();
    }
}

fn fresh<T: Clone>(entry: Option<&Entry<T>>) -> Option<T> {
    entry
        .filter(|e| e.at.elapsed() < MAX_AGE)
        .map(|e| e.value.clone())
}

fn keep<T>(map: &mut HashMap<String, Entry<T>>, key: &str, value: T) {
    if map.len() >= MAX_ENTRIES {
        map.clear();
    }
    map.insert(
        key.to_owned(),
        Entry {
            value,
            at: Instant::now(),
        },
    );
}

/// The WAL index header of the SQLite database at `shm` (its `-shm` file): 48 bytes that
/// change at every commit by any process, and the file's inode (SQLite deletes the file when
/// the last connection closes; a new one starts over).
fn read_stamp(shm: &std::path::Path) -> Option<Stamp> {
    use std::os::unix::fs::{FileExt, MetadataExt};
    let file = std::fs::File::open(shm).ok()?;
    let mut header = [0u8; 48];
    file.read_exact_at(&mut header, 0).ok()?;
    Some(Stamp(header, file.metadata().ok()?.ino()))
}

impl AuthCache {
    /// Turns the cache on (once; later calls change nothing). Answers the PostgreSQL URL to
    /// listen with, when a listener must be started before the cache is used.
    pub(crate) fn turn_on(&self) -> Option<String> {
        if self.on.swap(true, Ordering::SeqCst) {
            return None;
        }
        match &self.watch {
            Watch::Postgres(url) => Some(url.clone()),
            Watch::Alone | Watch::Sqlite(_) => {
                self.trusted.store(true, Ordering::SeqCst);
                None
            }
        }
    }

    pub(crate) fn set_listener(&self, handle: tokio::task::AbortHandle) {
        if let Ok(mut l) = self.listener.lock() {
            *l = Some(handle);
        }
    }

    pub(crate) fn stop(&self) {
        if let Some(handle) = self.listener.lock().ok().and_then(|mut l| l.take()) {
            handle.abort();
        }
        self.set_trusted(false);
    }

    /// On, and (PostgreSQL) listening.
    pub(crate) fn trusted(&self) -> bool {
        self.trusted.load(Ordering::SeqCst)
    }

    /// The PostgreSQL listener is (true) or is not (false) listening; either way the cache
    /// starts over (after the switch: a lookup that took its ticket before it keeps nothing).
    pub(crate) fn set_trusted(&self, trusted: bool) {
        self.trusted.store(trusted, Ordering::SeqCst);
        self.changed();
    }

    /// The payload of this process's next notification, and what to wait on until the
    /// `listeners` counted before it was sent have all answered (none while this process is not
    /// listening itself).
    pub(crate) fn notification(self: &Arc<Self>, listeners: usize) -> (String, Option<Echo>) {
        let n = self.next.fetch_add(1, Ordering::SeqCst);
        let payload = format!("{:x}:{n}", self.id);
        if !self.trusted.load(Ordering::SeqCst) || listeners == 0 {
            return (payload, None);
        }
        let (tx, rx) = tokio::sync::oneshot::channel();
        if let Ok(mut waiting) = self.echoes.lock() {
            waiting.insert(n, (listeners, tx));
        }
        let echo = Echo {
            n,
            heard: Some(rx),
            cache: self.clone(),
        };
        (payload, Some(echo))
    }

    /// A listener answered a notification: when it was this process's and the last answer due,
    /// its writer may go on.
    fn answered(&self, payload: &str) {
        let ours = payload
            .split_once(':')
            .filter(|(id, _)| *id == format!("{:x}", self.id))
            .and_then(|(_, n)| n.parse::<u64>().ok());
        let Some(n) = ours else { return };
        let Ok(mut waiting) = self.echoes.lock() else {
            return;
        };
        if let Some((due, _)) = waiting.get_mut(&n) {
            *due = due.saturating_sub(1);
            if *due == 0 {
                if let Some((_, tx)) = waiting.remove(&n) {
                    let _ = tx.send(());
                }
            }
        }
    }

    /// After a write that matters committed: this process starts over at once; on PostgreSQL
    /// the writer then waits (at most [`ECHO_WAIT`]) until every instance's listener has said
    /// it started over, so that the write's answer leaves only once no instance can answer
    /// from what it kept before.
    pub(crate) async fn after_write(&self, echo: Option<Echo>) {
        self.changed();
        // The echo stays alive while waiting: dropping it stops the listener from answering.
        if let Some(mut echo) = echo {
            if let Some(heard) = echo.heard.take() {
                let _ = tokio::time::timeout(ECHO_WAIT, heard).await;
            }
        }
    }

    /// Something that matters changed (this process wrote it, or was told): start over.
    pub(crate) fn changed(&self) {
        if let Ok(mut s) = self.state.lock() {
            s.clear();
        }
    }

    /// Begins a lookup: on SQLite, reads the WAL index first and starts over when another
    /// commit happened since the last lookup.
    pub(crate) fn ticket(&self) -> Ticket {
        if !self.trusted.load(Ordering::SeqCst) {
            return Ticket(None);
        }
        let stamp = match &self.watch {
            Watch::Sqlite(shm) => match read_stamp(shm) {
                Some(stamp) => Some(stamp),
                None => return Ticket(None),
            },
            Watch::Alone | Watch::Postgres(_) => None,
        };
        let Ok(mut s) = self.state.lock() else {
            return Ticket(None);
        };
        if stamp.is_some() && s.stamp != stamp {
            s.clear();
            s.stamp = stamp;
        }
        Ticket(Some(s.generation))
    }

    fn with<R>(&self, ticket: &Ticket, f: impl FnOnce(&mut State) -> Option<R>) -> Option<R> {
        let generation = ticket.0?;
        let mut s = self.state.lock().ok()?;
        if s.generation != generation {
            return None;
        }
        f(&mut s)
    }

    pub(crate) fn user(&self, ticket: &Ticket, id: &str) -> Option<User> {
        self.with(ticket, |s| fresh(s.users.get(id)))
    }

    pub(crate) fn put_user(&self, ticket: &Ticket, user: &User) {
        self.with(ticket, |s| {
            keep(&mut s.users, &user.id, user.clone());
            Some(())
        });
    }

    pub(crate) fn token(&self, ticket: &Ticket, hash: &str) -> Option<TokenOwner> {
        self.with(ticket, |s| fresh(s.tokens.get(hash)))
    }

    pub(crate) fn put_token(&self, ticket: &Ticket, hash: &str, owner: &TokenOwner) {
        self.with(ticket, |s| {
            keep(&mut s.tokens, hash, owner.clone());
            Some(())
        });
    }

    /// A token's use was written: the kept row says so (its next write is a minute away).
    pub(crate) fn touched_token(&self, id: &str, at: i64) {
        if let Ok(mut s) = self.state.lock() {
            for entry in s.tokens.values_mut() {
                if entry.value.token.id == id {
                    entry.value.token.last_used_at = Some(at);
                }
            }
        }
    }

    /// A session's data and expiry (Unix ms), if kept and not expired at `now`.
    pub(crate) fn session(&self, ticket: &Ticket, id: &str, now: i64) -> Option<Option<String>> {
        self.with(ticket, |s| {
            fresh(s.sessions.get(id)).map(|(data, expires_at)| (expires_at > now).then_some(data))
        })
    }

    pub(crate) fn put_session(&self, ticket: &Ticket, id: &str, data: &str, expires_at: i64) {
        self.with(ticket, |s| {
            keep(&mut s.sessions, id, (data.to_owned(), expires_at));
            Some(())
        });
    }
}

/// Listens on [`CHANNEL`] for as long as the store lives: each notification clears the cache,
/// then is answered on [`ACKS`] (the writer waits for every listener's answer); answers to this
/// process's notifications are counted. While not listening, the cache is not used.
pub(crate) async fn listen(cache: std::sync::Weak<AuthCache>, url: String) {
    use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
    use std::str::FromStr;
    let mut delay = Duration::from_millis(100);
    let mut warned = false;
    loop {
        let connected = async {
            let options = PgConnectOptions::from_str(&url)?.application_name(LISTENER_NAME);
            let pool = PgPoolOptions::new()
                .max_connections(1)
                .max_lifetime(None)
                .idle_timeout(None)
                .connect_with(options)
                .await?;
            let mut listener = PgListener::connect_with(&pool).await?;
            listener.ignore_pool_close_event(true);
            listener.listen_all([CHANNEL, ACKS]).await?;
            Ok::<_, sqlx::Error>(listener)
        }
        .await;
        let Some(owner) = cache.upgrade() else { return };
        match connected {
            Ok(mut listener) => {
                owner.set_trusted(true);
                if warned {
                    tracing::info!("listening for sign-in changes again; the sign-in cache is on");
                    warned = false;
                }
                delay = Duration::from_millis(100);
                drop(owner);
                loop {
                    let got = listener.try_recv().await;
                    let Some(owner) = cache.upgrade() else { return };
                    let answer = match got {
                        Ok(Some(n)) if n.channel() == CHANNEL => {
                            owner.changed();
                            n.payload().to_owned()
                        }
                        Ok(Some(n)) => {
                            owner.answered(n.payload());
                            continue;
                        }
                        Ok(None) | Err(_) => {
                            owner.set_trusted(false);
                            break;
                        }
                    };
                    drop(owner);
                    let sent = sqlx::query("SELECT pg_notify($1, $2)")
                        .bind(ACKS)
                        .bind(answer)
                        .execute(&mut listener)
                        .await;
                    if sent.is_err() {
                        if let Some(owner) = cache.upgrade() {
                            owner.set_trusted(false);
                        }
                        break;
                    }
                }
            }
            Err(e) => {
                drop(owner);
                if !warned {
                    tracing::warn!(error = %e, "cannot listen for sign-in changes; every request reads the database until it can");
                    warned = true;
                }
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(5));
            }
        }
    }
}

/// Shared by every clone of a store.
pub(crate) type Shared = Arc<AuthCache>;
