//! Moving a whole installation from one database to another (`utmforge db copy`), for example
//! from the embedded SQLite file to PostgreSQL when a team outgrows one instance.

use crate::{Backend, Store, StoreError};
use futures_util::TryStreamExt;
use sqlx::Row;

/// A column's kind: every value is copied as an optional text, integer or float.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Int,
    Real,
}
use Kind::{Int, Real, Text};

/// What an installation is, in the order a copy writes it (referenced tables first). Sessions
/// and failed sign-ins are not copied: people sign in again on the new database. Of the link
/// checks, each creative's latest status is copied, not the runs that produced it.
const TABLES: &[(&str, &[(&str, Kind)])] = &[
    (
        "users",
        &[
            ("id", Text),
            ("email", Text),
            ("name", Text),
            ("role", Text),
            ("password_hash", Text),
            ("disabled_at", Int),
            ("sessions_after", Int),
            ("created_at", Int),
        ],
    ),
    (
        "campaigns",
        &[
            ("id", Text),
            ("name", Text),
            ("slug", Text),
            ("buying_model", Text),
            ("topic", Text),
            ("landing_url", Text),
            ("conversion", Text),
            ("status", Text),
            ("notes", Text),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("creative_count", Int),
        ],
    ),
    (
        "creatives",
        &[
            ("id", Text),
            ("campaign_id", Text),
            ("variant", Text),
            ("content", Text),
            ("topic", Text),
            ("landing_url", Text),
            ("headline", Text),
            ("description", Text),
            ("notes", Text),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    ),
    (
        "api_tokens",
        &[
            ("id", Text),
            ("user_id", Text),
            ("name", Text),
            ("role", Text),
            ("hash", Text),
            ("created_at", Int),
            ("last_used_at", Int),
            ("revoked_at", Int),
        ],
    ),
    (
        "invitations",
        &[
            ("id", Text),
            ("hash", Text),
            ("role", Text),
            ("invited_by", Text),
            ("created_at", Int),
            ("expires_at", Int),
            ("used_at", Int),
            ("used_by", Text),
        ],
    ),
    ("setup_tokens", &[("hash", Text), ("created_at", Int)]),
    (
        "activity",
        &[
            ("id", Int),
            ("at", Int),
            ("actor_id", Text),
            ("actor", Text),
            ("action", Text),
            ("campaign_id", Text),
            ("subject_id", Text),
            ("subject", Text),
            ("detail", Text),
        ],
    ),
    (
        "creative_link_checks",
        &[
            ("creative_id", Text),
            ("url", Text),
            ("verdict", Text),
            ("report", Text),
            ("checked_at", Int),
            ("broken_since", Int),
        ],
    ),
    (
        "settings",
        &[
            ("key", Text),
            ("value", Text),
            ("version", Int),
            ("updated_at", Int),
        ],
    ),
    (
        "trash",
        &[
            ("id", Text),
            ("kind", Text),
            ("campaign_id", Text),
            ("name", Text),
            ("deleted_at", Int),
            ("deleted_by", Text),
            ("document", Text),
            ("slug", Text),
            ("creatives", Int),
        ],
    ),
    (
        "link_history",
        &[
            ("id", Int),
            ("creative_id", Text),
            ("campaign_id", Text),
            ("campaign", Text),
            ("variant", Text),
            ("url", Text),
            ("valid_from", Int),
            ("valid_to", Int),
        ],
    ),
    (
        "ads_campaign_links",
        &[
            ("campaign_id", Text),
            ("ads_campaign_id", Text),
            ("ads_campaign_name", Text),
            ("ad_group_id", Text),
            ("ad_group_name", Text),
            ("linked_at", Int),
        ],
    ),
    (
        "ad_links",
        &[
            ("creative_id", Text),
            ("campaign_id", Text),
            ("ad_id", Text),
            ("ad_name", Text),
            ("target_url", Text),
            ("status", Text),
            ("review_status", Text),
            ("serving_issues", Text),
            ("synced_at", Int),
            ("sync_error", Text),
            ("linked_at", Int),
        ],
    ),
    (
        "ad_insights",
        &[
            ("ad_id", Text),
            ("day", Text),
            ("campaign_id", Text),
            ("creative_id", Text),
            ("impressions", Int),
            ("clicks", Int),
            ("spend_micros", Int),
            ("conversions", Real),
            ("sales_micros", Int),
            ("pulled_at", Int),
        ],
    ),
    (
        "ad_campaign_days",
        &[
            ("campaign_id", Text),
            ("day", Text),
            ("impressions", Int),
            ("clicks", Int),
            ("spend_micros", Int),
            ("conversions", Real),
            ("sales_micros", Int),
        ],
    ),
    (
        "ad_insights_pulls",
        &[("campaign_id", Text), ("pulled_at", Int), ("pulls", Int)],
    ),
];

/// Rows per table, as copied and as counted in the target afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedTable {
    pub table: &'static str,
    pub source: i64,
    pub target: i64,
}

impl Store {
    /// Rows in each table of an installation (users, campaigns, … the activity log).
    pub async fn table_counts(&self) -> Result<Vec<(&'static str, i64)>, StoreError> {
        let mut counts = Vec::new();
        for (table, _) in TABLES {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&self.pool)
                .await?;
            counts.push((*table, n));
        }
        Ok(counts)
    }

    /// Empties every table (PostgreSQL only: `db copy --force` replaces a SQLite target's
    /// file instead). The activity log's triggers refuse row deletes; TRUNCATE is the one way
    /// past them, on purpose only here.
    pub async fn empty_for_copy(&self) -> Result<(), StoreError> {
        if self.backend != Backend::Postgres {
            return Err(StoreError::Open(
                "only a PostgreSQL database is emptied in place".into(),
            ));
        }
        sqlx::query(
            "TRUNCATE users, campaigns, creatives, api_tokens, invitations, setup_tokens, activity,
               sessions, sign_in_failures, creative_link_checks, link_check_runs,
               link_check_results, leases, settings, link_history, trash, ads_campaign_links,
               ad_links RESTART IDENTITY",
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Copies every row of this installation into `target` (which should be empty) in one
    /// transaction of the target, reading one consistent snapshot of the source, then counts
    /// the rows on both sides. Nothing is written unless every row is.
    pub async fn copy_into(&self, target: &Store) -> Result<Vec<CopiedTable>, StoreError> {
        let mut source = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *source)
                .await?;
        }
        let mut tx = target.pool.begin().await?;
        let mut copied = Vec::new();
        for (table, columns) in TABLES {
            let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
            let select = format!("SELECT {} FROM {table}", names.join(", "));
            let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
            let insert = format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                names.join(", "),
                placeholders.join(", ")
            );
            let mut rows = sqlx::query(&select).fetch(&mut *source);
            let mut n = 0i64;
            while let Some(row) = rows.try_next().await? {
                let mut query = sqlx::query(&insert);
                for (i, (_, kind)) in columns.iter().enumerate() {
                    query = match kind {
                        Text => query.bind(row.try_get::<Option<String>, _>(i)?),
                        Int => query.bind(row.try_get::<Option<i64>, _>(i)?),
                        Real => query.bind(row.try_get::<Option<f64>, _>(i)?),
                    };
                }
                query.execute(&mut *tx).await?;
                n += 1;
            }
            drop(rows);
            copied.push(CopiedTable {
                table,
                source: n,
                target: 0,
            });
        }
        if target.backend == Backend::Postgres {
            // The activity log's and the link history's ids were copied: each identity
            // continues after the highest.
            for table in ["activity", "link_history"] {
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                                   COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                ))
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        source.rollback().await?;
        let counts = target.table_counts().await?;
        for (entry, (_, n)) in copied.iter_mut().zip(counts) {
            entry.target = n;
        }
        Ok(copied)
    }
}
