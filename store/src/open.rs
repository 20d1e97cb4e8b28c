//! Opening a store: which backend a URL names, the pool and its options, the embedded
//! migrations, and the SQLite file.

use super::*;
use crate::auth_cache::{AuthCache, Watch};
use utmforge_core::time::Clock;

pub(crate) static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
pub(crate) static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend of a database URL (`sqlite:…`, `postgres://…`, `postgresql://…`).
    pub fn of_url(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::Open(format!(
                "unsupported database URL {:?}: use sqlite://path/to/file.db or postgres://user:password@host/database",
                redact(url)
            )))
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }

    fn migrator(self) -> &'static Migrator {
        match self {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }
}

/// A database URL with its password replaced by `***` (for messages and logs).
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// How [`Store::open_with`] connects.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Most connections this process holds (an in-memory SQLite database always has one).
    pub max_connections: u32,
    /// Longest a query waits for a connection, connecting included: past it the call fails
    /// with [`StoreError::Unavailable`] (what a request sees while the database is down).
    pub connect_timeout: Duration,
    /// Longest one statement may run on PostgreSQL (`statement_timeout`); SQLite waits at most
    /// 5 s for a lock instead.
    pub statement_timeout: Duration,
    /// Run pending migrations at open (false: `serve --no-migrate`, when a deploy pipeline
    /// runs `utmforge migrate`).
    pub migrate: bool,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            max_connections: 8,
            connect_timeout: Duration::from_secs(3),
            statement_timeout: Duration::from_secs(30),
            migrate: true,
        }
    }
}

impl Store {
    /// Opens (creating if needed) the database at `url` with the default [`StoreOptions`] and
    /// brings its schema up to date.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        Store::open_with(url, &StoreOptions::default()).await
    }

    /// Opens the database at `url`: `sqlite://data/utmforge.db` (created if missing),
    /// `sqlite::memory:`, or `postgres://user:password@host:5432/database` (which must exist).
    pub async fn open_with(url: &str, options: &StoreOptions) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        let shown = redact(url);
        let mut max = options.max_connections.max(1);
        let mut keep_forever = false;
        if backend == Backend::Sqlite {
            keep_forever = prepare_sqlite_file(url).await?;
            if keep_forever {
                // An in-memory database exists once per connection: keep exactly one.
                max = 1;
            }
        }
        let connect = AnyConnectOptions::from_str(url)
            .map_err(|e| StoreError::Open(format!("invalid database URL {shown:?}: {e}")))?
            .disable_statement_logging();
        let statement_ms = options.statement_timeout.as_millis().max(1);
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .min_connections(if keep_forever { 1 } else { 0 })
            .acquire_timeout(options.connect_timeout)
            .idle_timeout((!keep_forever).then_some(Duration::from_secs(600)))
            .max_lifetime((!keep_forever).then_some(Duration::from_secs(3600)))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Postgres {
                        conn.execute(format!("SET statement_timeout = {statement_ms}").as_str())
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(connect)
            .await
            .map_err(|e| match StoreError::from(e) {
                StoreError::Database(e) | StoreError::Unavailable(e) => {
                    StoreError::Open(format!("cannot open the database {shown:?}: {e}"))
                }
                other => other,
            })?;
        let watch = match backend {
            Backend::Postgres => Watch::Postgres(url.to_owned()),
            Backend::Sqlite => match sqlite_file(url)?.1 {
                Some(file) => {
                    let mut shm = file.into_os_string();
                    shm.push("-shm");
                    Watch::Sqlite(shm.into())
                }
                None => Watch::Alone,
            },
        };
        let store = Store {
            pool,
            backend,
            clock: Clock::System,
            sums: Default::default(),
            auth: std::sync::Arc::new(AuthCache::new(watch)),
        };
        if options.migrate {
            store.migrate().await.map_err(|e| match e {
                StoreError::Open(e) => StoreError::Open(format!("{shown}: {e}")),
                other => other,
            })?;
        }
        Ok(store)
    }

    /// Applies the migrations this build has and the database lacks. Several processes may
    /// call it at once: PostgreSQL's advisory lock (SQLite's write lock) lets one work while the
    /// others wait, and they then find nothing left to do.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        self.backend.migrator().run(&self.pool).await?;
        Ok(())
    }

    /// How many of this build's migrations the database has not applied (all of them when it
    /// has none yet). `/readyz` answers 503 while this is not zero.
    pub async fn pending_migrations(&self) -> Result<usize, StoreError> {
        let applied: Vec<i64> =
            match sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(&self.pool)
                .await
            {
                Ok(versions) => versions,
                // The database answered but has no migrations table: nothing is applied.
                Err(e @ sqlx::Error::Database(_)) if !is_unavailable(&e) => Vec::new(),
                Err(e) => return Err(e.into()),
            };
        Ok(self
            .backend
            .migrator()
            .iter()
            .filter(|m| m.migration_type.is_up_migration() && !applied.contains(&m.version))
            .count())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for raw SQL in tests and maintenance commands. Everything the
    /// application does goes through the methods.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.auth.stop();
        self.pool.close().await;
    }

    /// Keeps the users, API tokens and sessions that requests present in memory, so that an
    /// authenticated request reads no row (the server turns it on; see `auth_cache` for how a
    /// change reaches every instance at once). On PostgreSQL this starts listening for changes
    /// on a connection of its own; must run inside the Tokio runtime. Once per store.
    pub fn keep_auth_in_memory(&self) {
        if let Some(url) = self.auth.turn_on() {
            let task = tokio::spawn(crate::auth_cache::listen(
                std::sync::Arc::downgrade(&self.auth),
                url,
            ));
            self.auth.set_listener(task.abort_handle());
        }
    }

    /// Whether sign-ins are read from memory now (turned on, and on PostgreSQL listening).
    pub fn keeps_auth_in_memory(&self) -> bool {
        self.auth.trusted()
    }

    /// Tells every instance that users, tokens or sessions changed (PostgreSQL: a notification
    /// delivered when `conn`'s transaction commits; SQLite's WAL index tells the others). Pass
    /// what it answers to [`Store::auth_changed`] once the transaction has committed.
    pub(crate) async fn announce_auth_change(
        &self,
        conn: &mut sqlx::AnyConnection,
    ) -> Result<Option<crate::auth_cache::Echo>, StoreError> {
        if self.backend != Backend::Postgres {
            return Ok(None);
        }
        // The instances listening now (this one included) must each answer before the write's
        // answer leaves; one that starts listening later starts with nothing kept.
        let listeners: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity
             WHERE application_name = $1 AND datname = current_database()",
        )
        .bind(crate::auth_cache::LISTENER_NAME)
        .fetch_one(&mut *conn)
        .await?;
        let (payload, echo) = self
            .auth
            .notification(usize::try_from(listeners).unwrap_or(0));
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(crate::auth_cache::CHANNEL)
            .bind(payload)
            .execute(conn)
            .await?;
        Ok(echo)
    }

    /// After a write announced with [`Store::announce_auth_change`] committed.
    pub(crate) async fn auth_changed(&self, echo: Option<crate::auth_cache::Echo>) {
        self.auth.after_write(echo).await;
    }
}

/// The SQLite options a `sqlite:` URL means, and its file (none for an in-memory database).
fn sqlite_file(
    url: &str,
) -> Result<(SqliteConnectOptions, Option<std::path::PathBuf>), StoreError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| StoreError::Open(format!("invalid database URL {url:?}: {e}")))?;
    let file = options.get_filename();
    let in_memory = file.as_os_str().is_empty() || file.to_string_lossy().contains("in-memory");
    let file = (!in_memory).then(|| file.to_path_buf());
    Ok((options, file))
}

/// Deletes the SQLite database of `url` (the file and its WAL files; nothing for an
/// in-memory one): `db copy --force` replaces a SQLite target this way.
pub fn remove_sqlite_database(url: &str) -> Result<(), StoreError> {
    let (_, Some(file)) = sqlite_file(url)? else {
        return Ok(());
    };
    for suffix in ["", "-wal", "-shm"] {
        let mut path = file.clone().into_os_string();
        path.push(suffix);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(StoreError::Open(format!(
                    "cannot replace {}: {e}",
                    std::path::Path::new(&path).display()
                )))
            }
        }
    }
    Ok(())
}

/// Creates a SQLite file (and its folder) if missing and puts it in WAL mode, which persists in
/// the file. True when `url` is an in-memory database (which has no file).
async fn prepare_sqlite_file(url: &str) -> Result<bool, StoreError> {
    let (options, file) = sqlite_file(url)?;
    let Some(file) = file else {
        return Ok(true);
    };
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Open(format!("cannot create {}: {e}", dir.display())))?;
    }
    let conn = options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .connect()
        .await
        .map_err(|e| StoreError::Open(format!("cannot open the database {url:?}: {e}")))?;
    conn.close()
        .await
        .map_err(|e| StoreError::Open(format!("cannot open the database {url:?}: {e}")))?;
    Ok(false)
}
