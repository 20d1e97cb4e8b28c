//! All of utmforge's SQL, behind a [`Store`] whose methods speak the domain. The server
//! functions (in `app`, under `ssr`), the REST API and the command line share it.
//!
//! Two backends behind one code path: SQLite (the embedded default: WAL, foreign keys on) and
//! PostgreSQL (several instances on one database). Queries go through sqlx's `Any` driver and
//! are written once, in the SQL both accept (`$1` parameters, `RETURNING`, no backend-only
//! functions); only the migrations differ (`migrations/sqlite`, `migrations/postgres`, the same
//! versions). Migrations are embedded and run at open under the backend's lock (PostgreSQL: an
//! advisory lock), so instances starting at once do not race.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{AnyPool, ConnectOptions, Connection, Executor, Row};
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use utmforge_core::activity::NewEntry;
use utmforge_core::listing::{like_pattern, CampaignQuery, CampaignSort, Cursor};
use utmforge_core::{
    BuyingModel, Campaign, CampaignStatus, Code, ConversionEvent, Creative, Field, Notice,
    ValidCampaign, ValidCreative,
};

/// Where the database lives unless `--database-url` / `UTMFORGE_DATABASE_URL` says otherwise.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/utmforge.db";

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

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

/// Why a store call failed.
#[derive(Debug)]
pub enum StoreError {
    /// Nothing was saved; the notice says why and what to do (duplicate slug, stale version).
    Conflict(Notice),
    /// The row does not exist (any more): `"campaign"` or `"creative"`.
    NotFound(&'static str),
    /// The database cannot be reached now (down, restarting, no free connection in time):
    /// nothing was saved; trying again later may work.
    Unavailable(sqlx::Error),
    /// The database itself failed.
    Database(sqlx::Error),
    /// The database URL or file could not be used.
    Open(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Conflict(n) => f.write_str(&n.message),
            StoreError::NotFound(what) => write!(f, "this {what} does not exist (any more)"),
            StoreError::Unavailable(e) => write!(f, "database unavailable: {e}"),
            StoreError::Database(e) => write!(f, "database error: {e}"),
            StoreError::Open(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for StoreError {}

impl StoreError {
    /// The row changed since the version the change was based on: nothing was saved.
    pub fn stale(what: &str) -> StoreError {
        StoreError::Conflict(Notice::new(
            Code::Stale,
            Field::Version,
            format!("this {what} was changed elsewhere since you opened it; nothing was saved. Reload the page to see the newer version, then make your change again"),
        ))
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if is_unavailable(&e) {
            StoreError::Unavailable(e)
        } else {
            StoreError::Database(e)
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        match e {
            sqlx::migrate::MigrateError::Execute(e) => StoreError::from(e),
            other => StoreError::Open(format!("cannot migrate the database: {other}")),
        }
    }
}

/// Errors that mean "the database is not there right now", not "this request is wrong": no
/// connection in time, a broken connection, PostgreSQL shutting down or starting up, too many
/// connections, a statement over its timeout, SQLite's lock wait over.
fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(d) => d.code().is_some_and(|code| {
            // PostgreSQL's SQLSTATE (five characters): 08 connection exceptions, 57P0x
            // shutdown/crash/starting, 53300 too many connections, 57014 statement timeout.
            // SQLite's (extended) result code, a number: primary code 5 busy or 6 locked (e.g.
            // 517, SQLITE_BUSY_SNAPSHOT).
            if code.len() == 5 {
                code.starts_with("08")
                    || code.starts_with("57P0")
                    || code == "53300"
                    || code == "57014"
            } else {
                code.parse::<u32>().is_ok_and(|n| matches!(n & 0xff, 5 | 6))
            }
        }),
        _ => false,
    }
}

/// A campaign with the number of its creatives, for the campaigns table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignSummary {
    pub campaign: Campaign,
    pub creative_count: i64,
}

/// One page of the campaigns list and where the pages beside it start.
#[derive(Debug, Clone)]
pub struct CampaignsPage {
    pub items: Vec<CampaignSummary>,
    pub next: Option<Cursor>,
    pub prev: Option<Cursor>,
}

mod accounts;
mod activity;
mod copy;
mod linkchecks;
mod links;
mod sessions;
mod settings;
mod trash;

pub use accounts::{FailureCounts, TokenOwner};
pub use activity::ActivityFilter;
pub use copy::CopiedTable;
pub use linkchecks::NewRun;
pub use links::MAX_LIVE_LINKS;
/// The sqlx this store is built on (its error type is inside [`StoreError`]).
pub use sqlx;
pub use trash::{purge_before, BulkWrite};

/// Who makes a write, as the activity log records them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    /// The user (none for the command line).
    pub user_id: Option<String>,
    /// Their name as shown in the log (with the token's name when it came through one).
    pub name: String,
}

#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// A new id (UUIDv7 text), for a row a use case must name before it is written (a clone's
/// `utm_id` is derived from its id).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
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
        let store = Store { pool, backend };
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
        self.pool.close().await;
    }

    // --- campaigns -------------------------------------------------------------------------

    /// Campaigns, most recently updated first, optionally only those with `status`.
    pub async fn list_campaigns(
        &self,
        status: Option<CampaignStatus>,
    ) -> Result<Vec<CampaignSummary>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.* FROM campaigns c
             WHERE $1 IS NULL OR c.status = $1
             ORDER BY c.updated_at DESC, c.id DESC",
        )
        .bind(status.map(CampaignStatus::as_str))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(CampaignSummary {
                    campaign: campaign_from_row(row)?,
                    creative_count: row.try_get("creative_count")?,
                })
            })
            .collect()
    }

    /// One page of the campaigns list: the rows `query` selects, in its order, from its cursor
    /// on (keyset: the cost does not grow with the page's depth). Answers the rows and the
    /// cursors of the next and previous pages, when there are more rows that way.
    pub async fn campaigns_page(&self, query: &CampaignQuery) -> Result<CampaignsPage, StoreError> {
        enum Bind {
            Text(String),
            Int(i64),
        }
        let mut binds = Vec::new();
        let mut bind = |b: Bind| {
            binds.push(b);
            format!("${}", binds.len())
        };
        let mut sql = String::from("SELECT c.* FROM campaigns c WHERE 1 = 1");
        if let Some(search) = &query.search {
            let p = bind(Bind::Text(like_pattern(search)));
            // Letter case ignored (slugs are lower case already): SQLite's LIKE ignores ASCII
            // case by itself, and lower() on every row cost it 4x (API search p99 40 -> 10 ms
            // at 10,000 campaigns); PostgreSQL compares the stored lowered name (migration
            // 0008; ILIKE measured slower, lower() per row cost 2 of a search's 3.3 ms).
            let name = match self.backend {
                Backend::Postgres => "c.name_key",
                Backend::Sqlite => "c.name",
            };
            sql += &format!(" AND ({name} LIKE {p} ESCAPE '\\' OR c.slug LIKE {p} ESCAPE '\\')");
        }
        if let Some(status) = query.status {
            sql += &format!(
                " AND c.status = {}",
                bind(Bind::Text(status.as_str().into()))
            );
        }
        if let Some(model) = query.buying_model {
            sql += &format!(
                " AND c.buying_model = {}",
                bind(Bind::Text(model.utm_medium().into()))
            );
        }
        if let Some(conversion) = query.conversion {
            sql += &format!(
                " AND c.conversion = {}",
                bind(Bind::Text(conversion.as_str().into()))
            );
        }
        if let Some(since) = query.updated_since {
            sql += &format!(" AND c.updated_at >= {}", bind(Bind::Int(since)));
        }
        // (key, ascending in the list's order). A search keeps few rows of many: reading the
        // table once and sorting what matched beats walking the order's index row by row to
        // the end, so then the key is written so that no index serves it (measured with 10,000
        // campaigns: 16 → 3 ms a search, SQLite).
        let searching = query.search.is_some();
        let (key, ascending) = match (query.sort, searching) {
            (CampaignSort::Updated, false) => ("c.updated_at", false),
            (CampaignSort::Updated, true) => ("(c.updated_at + 0)", false),
            (CampaignSort::Name, false) => ("lower(c.name)", true),
            (CampaignSort::Name, true) => match self.backend {
                Backend::Postgres => ("(c.name_key || '')", true),
                Backend::Sqlite => ("(lower(c.name) || '')", true),
            },
            (CampaignSort::Creatives, false) => ("c.creative_count", false),
            (CampaignSort::Creatives, true) => ("(c.creative_count + 0)", false),
        };
        let backward = query.cursor.as_ref().is_some_and(|c| c.backward);
        if let Some(cursor) = &query.cursor {
            let k = match (&cursor.text, cursor.number) {
                (Some(t), _) => bind(Bind::Text(t.clone())),
                (None, n) => bind(Bind::Int(n.unwrap_or_default())),
            };
            let id = bind(Bind::Text(cursor.id.clone()));
            // Forward in an ascending order, or backward in a descending one: greater.
            let op = if ascending != backward { ">" } else { "<" };
            sql += &format!(" AND ({key}, c.id) {op} ({k}, {id})");
        }
        let dir = if ascending != backward { "ASC" } else { "DESC" };
        sql += &format!(
            " ORDER BY {key} {dir}, c.id {dir} LIMIT {}",
            query.limit + 1
        );
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = match b {
                Bind::Text(t) => q.bind(t),
                Bind::Int(n) => q.bind(n),
            };
        }
        let rows = q.fetch_all(&self.pool).await?;
        let more = rows.len() > query.limit;
        let mut items: Vec<CampaignSummary> = rows
            .iter()
            .take(query.limit)
            .map(|row| {
                Ok(CampaignSummary {
                    campaign: campaign_from_row(row)?,
                    creative_count: row.try_get("creative_count")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        if backward {
            items.reverse();
        }
        let cursor_at = |s: &CampaignSummary, backward: bool| {
            Cursor::at(query.sort, &s.campaign, s.creative_count, backward)
        };
        // Going forward, the page before exists when we came from one; going back, the page
        // after does.
        let (has_next, has_prev) = if backward {
            (true, more)
        } else {
            (more, query.cursor.is_some())
        };
        Ok(CampaignsPage {
            next: has_next
                .then(|| items.last().map(|s| cursor_at(s, false)))
                .flatten(),
            prev: has_prev
                .then(|| items.first().map(|s| cursor_at(s, true)))
                .flatten(),
            items,
        })
    }

    /// The campaign whose `column` (`id` or `slug`, both unique) is `value`, with its creative
    /// count.
    async fn campaign_where(
        &self,
        column: &'static str,
        value: &str,
    ) -> Result<CampaignSummary, StoreError> {
        let row = sqlx::query(&format!("SELECT * FROM campaigns WHERE {column} = $1"))
            .bind(value)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("campaign"))?;
        Ok(CampaignSummary {
            campaign: campaign_from_row(&row)?,
            creative_count: row.try_get("creative_count")?,
        })
    }

    /// Campaign `id` with its creative count.
    pub async fn campaign_summary(&self, id: &str) -> Result<CampaignSummary, StoreError> {
        self.campaign_where("id", id).await
    }

    /// The campaign whose `utm_campaign` is `slug`.
    pub async fn campaign_by_slug(&self, slug: &str) -> Result<Campaign, StoreError> {
        Ok(self.campaign_where("slug", slug).await?.campaign)
    }

    pub async fn get_campaign(&self, id: &str) -> Result<Campaign, StoreError> {
        Ok(self.campaign_where("id", id).await?.campaign)
    }

    pub async fn create_campaign(
        &self,
        input: &ValidCampaign,
        by: &Author,
        entry: NewEntry,
    ) -> Result<Campaign, StoreError> {
        self.create_campaign_with(&new_id(), input, &[], by, entry)
            .await
    }

    /// Creates campaign `id` as `input` with `creatives` (a clone's), in one transaction: the
    /// creatives get new ids, their URLs go into the link history.
    pub async fn create_campaign_with(
        &self,
        id: &str,
        input: &ValidCampaign,
        creatives: &[ValidCreative],
        by: &Author,
        entry: NewEntry,
    ) -> Result<Campaign, StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let row = Campaign {
            created_at: now,
            updated_at: now,
            ..input.saved_over(&Campaign::stub(id))
        };
        let result = insert_campaign_row(&mut tx, &row).await;
        match result {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => return Err(duplicate_slug(&input.slug)),
            Err(e) => return Err(e.into()),
        }
        for k in creatives {
            let kid = new_id();
            insert_creative(&mut tx, &kid, id, k, now).await?;
            links::record_link(&mut tx, &kid, Some(&k.tagged.url), now).await?;
        }
        recount(&mut *tx, id).await?;
        activity::record(&mut *tx, by, entry.campaign(id).subject_id(id), now).await?;
        tx.commit().await?;
        self.get_campaign(id).await
    }

    /// Saves `input` over campaign `id` if it is still at `version`; `links` are its creatives'
    /// URLs after the change (`(creative id, URL)`), recorded in the link history.
    pub async fn update_campaign(
        &self,
        id: &str,
        version: i64,
        input: &ValidCampaign,
        by: &Author,
        entry: NewEntry,
        links: &[(String, Option<String>)],
    ) -> Result<Campaign, StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let result = sqlx::query(
            "UPDATE campaigns SET name = $3, slug = $4, buying_model = $5, topic = $6, landing_url = $7,
               conversion = $8, status = $9, notes = $10, version = version + 1, updated_at = $11
             WHERE id = $1 AND version = $2",
        )
        .bind(id)
        .bind(version)
        .bind(&input.name)
        .bind(&input.slug)
        .bind(input.buying_model.utm_medium())
        .bind(&input.topic)
        .bind(&input.landing_url)
        .bind(input.conversion.as_str())
        .bind(input.status.as_str())
        .bind(&input.notes)
        .bind(now)
        .execute(&mut *tx)
        .await;
        match result {
            Ok(done) if done.rows_affected() == 1 => {}
            Ok(_) => {
                drop(tx);
                return Err(self.stale_or_missing("campaigns", id, "campaign").await);
            }
            Err(e) if is_unique_violation(&e) => return Err(duplicate_slug(&input.slug)),
            Err(e) => return Err(e.into()),
        }
        for (creative_id, url) in links {
            links::record_link(&mut tx, creative_id, url.as_deref(), now).await?;
        }
        activity::record(&mut *tx, by, entry, now).await?;
        tx.commit().await?;
        self.get_campaign(id).await
    }

    // --- creatives -------------------------------------------------------------------------

    /// A campaign's creatives, oldest first (the order they were added).
    pub async fn list_creatives(&self, campaign_id: &str) -> Result<Vec<Creative>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM creatives WHERE campaign_id = $1 ORDER BY created_at, id")
                .bind(campaign_id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(|r| Ok(creative_from_row(r)?)).collect()
    }

    /// The creatives of campaigns `ids`, by campaign id, each campaign's oldest first.
    pub async fn creatives_of(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, Vec<Creative>>, StoreError> {
        let mut by_campaign: HashMap<String, Vec<Creative>> = HashMap::new();
        if ids.is_empty() {
            return Ok(by_campaign);
        }
        let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT * FROM creatives WHERE campaign_id IN ({}) ORDER BY campaign_id, created_at, id",
            marks.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(id);
        }
        for row in q.fetch_all(&self.pool).await? {
            let k = creative_from_row(&row)?;
            by_campaign
                .entry(k.campaign_id.clone())
                .or_default()
                .push(k);
        }
        Ok(by_campaign)
    }

    pub async fn get_creative(&self, id: &str) -> Result<Creative, StoreError> {
        let row = sqlx::query("SELECT * FROM creatives WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("creative"))?;
        Ok(creative_from_row(&row)?)
    }

    /// Adds a creative to campaign `campaign_id`. The campaign's version goes up in the same
    /// transaction: a campaign's version changes whenever anything it holds changes, so a
    /// delete or an import planned against an older version is refused.
    pub async fn create_creative(
        &self,
        campaign_id: &str,
        input: &ValidCreative,
        by: &Author,
        entry: NewEntry,
    ) -> Result<Creative, StoreError> {
        let id = new_id();
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        if !bump_campaign(&mut *tx, campaign_id, None, now).await? {
            return Err(StoreError::NotFound("campaign"));
        }
        match insert_creative(&mut tx, &id, campaign_id, input, now).await {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => return Err(duplicate_variant(&input.content)),
            Err(e) => return Err(e.into()),
        }
        links::record_link(&mut tx, &id, Some(&input.tagged.url), now).await?;
        recount(&mut *tx, campaign_id).await?;
        activity::record(
            &mut *tx,
            by,
            entry.campaign(campaign_id).subject_id(&id),
            now,
        )
        .await?;
        tx.commit().await?;
        self.get_creative(&id).await
    }

    /// Saves `input` over creative `id` if it is still at `version` (and bumps its campaign's
    /// version in the same transaction).
    pub async fn update_creative(
        &self,
        id: &str,
        version: i64,
        input: &ValidCreative,
        by: &Author,
        entry: NewEntry,
    ) -> Result<Creative, StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        match update_creative_row(&mut *tx, id, version, input, now).await {
            Ok(done) if done.rows_affected() == 1 => {}
            Ok(_) => {
                drop(tx);
                return Err(self.stale_or_missing("creatives", id, "creative").await);
            }
            Err(e) if is_unique_violation(&e) => return Err(duplicate_variant(&input.content)),
            Err(e) => return Err(e.into()),
        }
        bump_campaign_of_creative(&mut *tx, id, now).await?;
        links::record_link(&mut tx, id, Some(&input.tagged.url), now).await?;
        activity::record(&mut *tx, by, entry, now).await?;
        tx.commit().await?;
        self.get_creative(id).await
    }

    /// Saves an import plan's valid rows in one transaction: every create and update, or
    /// none. The campaign must still be at `campaign_version` (the version the plan was made
    /// against; every creative write bumps it), and each updated creative at the version read:
    /// otherwise nothing is saved and the answer is a conflict. Invalid and unchanged rows are
    /// not touched. Returns (created, updated). `entries[i]` is the activity entry of
    /// `plan.rows[i]` (recorded when that row is saved), `summary` the import's own.
    pub async fn apply_import(
        &self,
        campaign_id: &str,
        campaign_version: i64,
        plan: &utmforge_core::import::ImportPlan,
        by: &Author,
        summary: NewEntry,
        mut entries: Vec<Option<NewEntry>>,
    ) -> Result<(usize, usize), StoreError> {
        use utmforge_core::import::RowAction;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        if !bump_campaign(&mut *tx, campaign_id, Some(campaign_version), now).await? {
            drop(tx);
            return Err(match self.get_campaign(campaign_id).await {
                Ok(_) => import_stale("the campaign or one of its creatives"),
                Err(e) => e,
            });
        }
        let (mut created, mut updated) = (0, 0);
        for (i, row) in plan.rows.iter().enumerate() {
            let Some(valid) = &row.valid else { continue };
            let entry = entries.get_mut(i).and_then(Option::take);
            match (row.action, &row.existing) {
                (RowAction::Create, _) => {
                    let id = new_id();
                    let result = insert_creative(&mut tx, &id, campaign_id, valid, now).await;
                    match result {
                        Ok(_) => {
                            created += 1;
                            links::record_link(&mut tx, &id, Some(&valid.tagged.url), now).await?;
                            if let Some(entry) = entry {
                                let entry = entry.campaign(campaign_id).subject_id(&id);
                                activity::record(&mut *tx, by, entry, now).await?;
                            }
                        }
                        Err(e) if is_unique_violation(&e) => {
                            return Err(duplicate_variant(&valid.content))
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                (RowAction::Update, Some((id, version))) => {
                    let done = update_creative_row(&mut *tx, id, *version, valid, now).await?;
                    if done.rows_affected() != 1 {
                        return Err(import_stale(&format!("creative “{}”", valid.variant)));
                    }
                    updated += 1;
                    links::record_link(&mut tx, id, Some(&valid.tagged.url), now).await?;
                    if let Some(entry) = entry {
                        activity::record(&mut *tx, by, entry, now).await?;
                    }
                }
                _ => {}
            }
        }
        if created > 0 {
            recount(&mut *tx, campaign_id).await?;
        }
        if created + updated > 0 {
            activity::record(&mut *tx, by, summary, now).await?;
        }
        tx.commit().await?;
        Ok((created, updated))
    }

    /// After a guarded write touched no row: was the row changed, or is it gone?
    async fn stale_or_missing(
        &self,
        table: &'static str,
        id: &str,
        what: &'static str,
    ) -> StoreError {
        let exists = sqlx::query(&format!("SELECT 1 FROM {table} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await;
        match exists {
            Ok(Some(_)) => StoreError::stale(what),
            Ok(None) => StoreError::NotFound(what),
            Err(e) => StoreError::Database(e),
        }
    }
}

fn import_stale(what: &str) -> StoreError {
    StoreError::Conflict(Notice::new(
        Code::Stale,
        Field::Version,
        format!("{what} changed since the preview: nothing was imported. Preview again to see the current data"),
    ))
}

/// Raises a campaign's version (only if it is at `expected`, when given). False when no row
/// matched.
async fn bump_campaign<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    exec: E,
    campaign_id: &str,
    expected: Option<i64>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE campaigns SET version = version + 1, updated_at = $3
         WHERE id = $1 AND ($2 IS NULL OR version = $2)",
    )
    .bind(campaign_id)
    .bind(expected)
    .bind(now)
    .execute(exec)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets campaign `campaign_id`'s creative count to what it holds (after a creative was added or
/// removed, in the same transaction).
async fn recount<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    exec: E,
    campaign_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE campaigns SET creative_count = (SELECT COUNT(*) FROM creatives WHERE campaign_id = $1)
         WHERE id = $1",
    )
    .bind(campaign_id)
    .execute(exec)
    .await?;
    Ok(())
}

/// Raises the version of the campaign that holds creative `creative_id` (none if it is gone).
async fn bump_campaign_of_creative<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    exec: E,
    creative_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE campaigns SET version = version + 1, updated_at = $2
         WHERE id = (SELECT campaign_id FROM creatives WHERE id = $1)",
    )
    .bind(creative_id)
    .bind(now)
    .execute(exec)
    .await?;
    Ok(())
}

fn duplicate_slug(slug: &str) -> StoreError {
    StoreError::Conflict(Notice::new(
        Code::Duplicate,
        Field::Campaign,
        format!(
            "another campaign already uses utm_campaign={slug}: choose a different name or slug"
        ),
    ))
}

/// Writes campaign row `c` as it is (ids, version and times included).
pub(crate) async fn insert_campaign_row(
    conn: &mut sqlx::AnyConnection,
    c: &Campaign,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO campaigns
           (id, name, slug, buying_model, topic, landing_url, conversion, status, notes, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&c.id)
    .bind(&c.name)
    .bind(&c.slug)
    .bind(c.buying_model.utm_medium())
    .bind(&c.topic)
    .bind(&c.landing_url)
    .bind(c.conversion.as_str())
    .bind(c.status.as_str())
    .bind(&c.notes)
    .bind(c.version)
    .bind(c.created_at)
    .bind(c.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Writes creative row `k` as it is (ids, version and times included).
pub(crate) async fn insert_creative_row(
    conn: &mut sqlx::AnyConnection,
    k: &Creative,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO creatives
           (id, campaign_id, variant, content, topic, landing_url, headline, notes, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&k.id)
    .bind(&k.campaign_id)
    .bind(&k.variant)
    .bind(&k.content)
    .bind(&k.topic)
    .bind(&k.landing_url)
    .bind(&k.headline)
    .bind(&k.notes)
    .bind(k.version)
    .bind(k.created_at)
    .bind(k.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The one INSERT of a creative, on the pool or inside a transaction.
async fn insert_creative(
    conn: &mut sqlx::AnyConnection,
    id: &str,
    campaign_id: &str,
    input: &ValidCreative,
    now: i64,
) -> Result<(), sqlx::Error> {
    let row = Creative {
        id: id.into(),
        campaign_id: campaign_id.into(),
        variant: input.variant.clone(),
        content: input.content.clone(),
        topic: input.topic.clone(),
        landing_url: input.landing_url.clone(),
        headline: input.headline.clone(),
        notes: input.notes.clone(),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    insert_creative_row(conn, &row).await
}

/// The one guarded UPDATE of a creative (`WHERE version = ?`): no row affected means stale or
/// gone.
async fn update_creative_row<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    exec: E,
    id: &str,
    version: i64,
    input: &ValidCreative,
    now: i64,
) -> Result<sqlx::any::AnyQueryResult, sqlx::Error> {
    sqlx::query(
        "UPDATE creatives SET variant = $3, content = $4, topic = $5, landing_url = $6, headline = $7,
           notes = $8, version = version + 1, updated_at = $9
         WHERE id = $1 AND version = $2",
    )
    .bind(id)
    .bind(version)
    .bind(&input.variant)
    .bind(&input.content)
    .bind(&input.topic)
    .bind(&input.landing_url)
    .bind(&input.headline)
    .bind(&input.notes)
    .bind(now)
    .execute(exec)
    .await
}

fn duplicate_variant(content: &str) -> StoreError {
    StoreError::Conflict(Notice::new(
        Code::Duplicate,
        Field::Content,
        format!("this campaign already has a creative with utm_content={content}: choose a different variant name"),
    ))
}

fn decode_err(column: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unexpected {column} {value:?} in the database").into())
}

fn campaign_from_row(row: &AnyRow) -> Result<Campaign, sqlx::Error> {
    let buying_model: String = row.try_get("buying_model")?;
    let conversion: String = row.try_get("conversion")?;
    let status: String = row.try_get("status")?;
    Ok(Campaign {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        slug: row.try_get("slug")?,
        buying_model: BuyingModel::from_str(&buying_model)
            .map_err(|_| decode_err("buying_model", &buying_model))?,
        topic: row.try_get("topic")?,
        landing_url: row.try_get("landing_url")?,
        conversion: ConversionEvent::from_str(&conversion)
            .map_err(|_| decode_err("conversion", &conversion))?,
        status: CampaignStatus::from_str(&status).map_err(|_| decode_err("status", &status))?,
        notes: row.try_get("notes")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn creative_from_row(row: &AnyRow) -> Result<Creative, sqlx::Error> {
    Ok(Creative {
        id: row.try_get("id")?,
        campaign_id: row.try_get("campaign_id")?,
        variant: row.try_get("variant")?,
        content: row.try_get("content")?,
        topic: row.try_get("topic")?,
        landing_url: row.try_get("landing_url")?,
        headline: row.try_get("headline")?,
        notes: row.try_get("notes")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    /// A database error with a given code, as either driver reports it.
    #[derive(Debug)]
    struct Coded(&'static str);

    impl fmt::Display for Coded {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "error {}", self.0)
        }
    }

    impl std::error::Error for Coded {}

    impl sqlx::error::DatabaseError for Coded {
        fn message(&self) -> &str {
            self.0
        }
        fn code(&self) -> Option<Cow<'_, str>> {
            Some(Cow::Borrowed(self.0))
        }
        fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
            self
        }
        fn kind(&self) -> sqlx::error::ErrorKind {
            sqlx::error::ErrorKind::Other
        }
    }

    fn unavailable(code: &'static str) -> bool {
        matches!(
            StoreError::from(sqlx::Error::Database(Box::new(Coded(code)))),
            StoreError::Unavailable(_)
        )
    }

    #[test]
    fn which_errors_mean_the_database_is_not_there() {
        // PostgreSQL: connection lost, shutting down, starting up, too many connections,
        // statement timeout. SQLite: busy, locked, busy snapshot (517).
        for code in [
            "08006", "08001", "57P01", "57P03", "53300", "57014", "5", "6", "517", "262",
        ] {
            assert!(unavailable(code), "{code}");
        }
        // A request's own fault or a bug: unique/foreign-key/check violations, syntax, SQLite
        // constraint (19, 2067), missing table (1).
        for code in [
            "23505", "23503", "23514", "42601", "42P01", "19", "2067", "1",
        ] {
            assert!(!unavailable(code), "{code}");
        }
        assert!(matches!(
            StoreError::from(sqlx::Error::PoolTimedOut),
            StoreError::Unavailable(_)
        ));
        assert!(matches!(
            StoreError::from(sqlx::Error::RowNotFound),
            StoreError::Database(_)
        ));
    }

    #[test]
    fn urls_are_shown_without_their_password() {
        assert_eq!(
            redact("postgres://app:s3cret@db.internal:5432/utm"),
            "postgres://app:***@db.internal:5432/utm"
        );
        assert_eq!(redact("postgres://app@db/utm"), "postgres://app@db/utm");
        assert_eq!(
            redact("sqlite://data/utmforge.db"),
            "sqlite://data/utmforge.db"
        );
        assert!(matches!(
            Backend::of_url("postgresql://db/x"),
            Ok(Backend::Postgres)
        ));
        assert!(Backend::of_url("mysql://db/x").is_err());
    }
}
