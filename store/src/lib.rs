//! All of utmforge's SQL, behind a [`Store`] whose methods speak the domain. The server
//! functions (in `app`, under `ssr`), the REST API and the command line share it.
//!
//! Two backends behind one code path: SQLite (the embedded default: WAL, foreign keys on) and
//! PostgreSQL (several instances on one database). Queries go through sqlx's `Any` driver and
//! are written once, in the SQL both accept (`$1` parameters, `RETURNING`, no backend-only
//! functions); only the migrations differ (`migrations/sqlite`, `migrations/postgres`, the same
//! versions). Migrations are embedded and run at open under the backend's lock (PostgreSQL: an
//! advisory lock), so instances starting at once do not race.
//!
//! One module per idea, each an `impl Store` of its own: `open` (backends, options,
//! migrations, the SQLite file), `error`, `campaigns`, `creatives`, `import`, `trash`,
//! `links` (link history), `linkchecks`, `accounts`, `sessions`, `settings`, `activity`, `copy`
//! (`db copy`). This file holds what they share: the store itself, ids, time, row decoding.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{AnyPool, ConnectOptions, Connection, Executor, Row};
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;
use utmforge_core::activity::NewEntry;
use utmforge_core::listing::{like_pattern, CampaignQuery, CampaignSort, Cursor};
use utmforge_core::time::Clock;
use utmforge_core::{
    BuyingModel, Campaign, CampaignStatus, Code, ConversionEvent, Creative, Field, Notice,
    ValidCampaign, ValidCreative,
};

/// Where the database lives unless `--database-url` / `UTMFORGE_DATABASE_URL` says otherwise.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/utmforge.db";

mod campaigns;
mod creatives;
mod error;
mod import;
mod open;

mod accounts;
mod activity;
mod ads;
mod auth_cache;
mod copy;
mod insights;
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

pub(crate) use campaigns::insert_campaign_row;
use campaigns::{bump_campaign, bump_campaign_of_creative, recount};
pub use campaigns::{CampaignSummary, CampaignsPage};
pub(crate) use creatives::insert_creative_row;
use creatives::{creative_from_row, duplicate_variant, insert_creative, update_creative_row};
use error::is_unavailable;
pub use error::StoreError;
pub use insights::ResultSums;
pub use open::{redact, remove_sqlite_database, Backend, StoreOptions};

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
    /// What stamps rows (`created_at`, `updated_at`, the log's `at`): the use cases' clock.
    clock: Clock,
    /// Results sums already computed (see [`insights::SumsCache`]), shared by every clone.
    sums: std::sync::Arc<insights::SumsCache>,
    /// Users, tokens and sessions kept in memory once the server turns it on (see
    /// [`auth_cache`]), shared by every clone.
    auth: auth_cache::Shared,
}

impl Store {
    /// The same database, its rows stamped by `clock` (a test's fixed or moving time).
    pub fn with_clock(mut self, clock: Clock) -> Store {
        self.clock = clock;
        self
    }

    /// The clock every write is stamped with, and the use cases read.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }
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

fn decode_err(column: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unexpected {column} {value:?} in the database").into())
}

impl Store {
    /// After a guarded write touched no row: was the row changed, or is it gone?
    pub(crate) async fn stale_or_missing(
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
