//! Link checks: runs (a campaign's creatives or pasted URLs, checked in the background), their
//! results as they arrive, each creative's latest status, and the lease that lets one instance
//! at a time do the scheduled re-check. The checking itself happens in the service.

use crate::{Store, StoreError};
use sqlx::any::AnyRow;
use sqlx::Row;
use utmforge_core::linkcheck::{
    CheckRun, LinkReport, LinkStatus, RunResult, RunState, RUN_STALE_AFTER_MS,
};

/// A run to create.
pub struct NewRun<'a> {
    pub campaign_id: Option<&'a str>,
    pub started_by: &'a str,
    pub total: i64,
}

fn report_from(row: &AnyRow) -> Result<LinkReport, StoreError> {
    let json: String = row.try_get("report")?;
    serde_json::from_str(&json)
        .map_err(|e| StoreError::Open(format!("a stored link check cannot be read: {e}")))
}

fn run_from_row(row: &AnyRow, now: i64) -> Result<CheckRun, StoreError> {
    let finished_at: Option<i64> = row.try_get("finished_at")?;
    let heartbeat_at: i64 = row.try_get("heartbeat_at")?;
    let state = match finished_at {
        Some(_) => RunState::Done,
        None if now - heartbeat_at > RUN_STALE_AFTER_MS => RunState::Interrupted,
        None => RunState::Running,
    };
    Ok(CheckRun {
        id: row.try_get("id")?,
        campaign_id: row.try_get("campaign_id")?,
        state,
        total: row.try_get("total")?,
        done: row.try_get("done")?,
        started_by: row.try_get("started_by")?,
        started_at: row.try_get("started_at")?,
        finished_at,
        results: Vec::new(),
    })
}

impl Store {
    /// Starts a run at `now`, first forgetting runs that started before `forget_before` (their
    /// creatives keep their latest status).
    pub async fn create_check_run(
        &self,
        run: &NewRun<'_>,
        now: i64,
        forget_before: i64,
    ) -> Result<CheckRun, StoreError> {
        let id = crate::new_id();
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM link_check_runs WHERE started_at < $1")
            .bind(forget_before)
            .execute(&mut *tx)
            .await?;
        let inserted = sqlx::query(
            "INSERT INTO link_check_runs (id, campaign_id, started_by, started_at, heartbeat_at, total, done)
             VALUES ($1, $2, $3, $4, $4, $5, 0)",
        )
        .bind(&id)
        .bind(run.campaign_id)
        .bind(run.started_by)
        .bind(now)
        .bind(run.total)
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {}
            // The campaign was deleted meanwhile (foreign key).
            Err(e)
                if e.as_database_error()
                    .is_some_and(|d| d.is_foreign_key_violation()) =>
            {
                return Err(StoreError::NotFound("campaign"))
            }
            Err(e) => return Err(e.into()),
        }
        tx.commit().await?;
        self.check_run(&id, 0, now)
            .await?
            .ok_or(StoreError::NotFound("check"))
    }

    /// Runs still moving at `now` (not finished, a result within [`RUN_STALE_AFTER_MS`]).
    pub async fn running_check_runs(&self, now: i64) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM link_check_runs WHERE finished_at IS NULL AND heartbeat_at >= $1",
        )
        .bind(now - RUN_STALE_AFTER_MS)
        .fetch_one(&self.pool)
        .await?)
    }

    /// The campaign's run that is still moving at `now`, if any.
    pub async fn running_campaign_check(
        &self,
        campaign_id: &str,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM link_check_runs
             WHERE campaign_id = $1 AND finished_at IS NULL AND heartbeat_at >= $2
             ORDER BY started_at DESC LIMIT 1",
        )
        .bind(campaign_id)
        .bind(now - RUN_STALE_AFTER_MS)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Records one URL's result (the `seq`-th to arrive) and, for a creative, its latest
    /// status. False, with nothing written, when the run is gone (its campaign was deleted).
    pub async fn record_check_result(
        &self,
        run_id: &str,
        result: &RunResult,
    ) -> Result<bool, StoreError> {
        let report = serde_json::to_string(&result.report)
            .map_err(|e| StoreError::Open(format!("a link check cannot be stored: {e}")))?;
        let verdict = result.report.verdict.as_str();
        let mut tx = self.pool.begin().await?;
        let moved = sqlx::query(
            "UPDATE link_check_runs SET done = done + 1, heartbeat_at = $2 WHERE id = $1",
        )
        .bind(run_id)
        .bind(result.checked_at)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO link_check_results (run_id, position, seq, url, creative_id, verdict, report, checked_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(run_id)
        .bind(result.position)
        .bind(result.seq)
        .bind(&result.report.url)
        .bind(&result.creative_id)
        .bind(verdict)
        .bind(&report)
        .bind(result.checked_at)
        .execute(&mut *tx)
        .await?;
        if let Some(creative_id) = &result.creative_id {
            // Only while the creative exists; broken_since keeps the first broken check of an
            // unbroken series of broken checks.
            sqlx::query(
                "INSERT INTO creative_link_checks (creative_id, url, verdict, report, checked_at, broken_since)
                 SELECT $1, $2, $3, $4, $5, CASE WHEN $3 = 'broken' THEN $5 ELSE NULL END
                 WHERE EXISTS (SELECT 1 FROM creatives WHERE id = $1)
                 ON CONFLICT (creative_id) DO UPDATE SET
                   url = excluded.url, verdict = excluded.verdict, report = excluded.report,
                   checked_at = excluded.checked_at,
                   broken_since = CASE WHEN excluded.verdict = 'broken'
                     THEN COALESCE(creative_link_checks.broken_since, excluded.checked_at)
                     ELSE NULL END",
            )
            .bind(creative_id)
            .bind(&result.report.url)
            .bind(verdict)
            .bind(&report)
            .bind(result.checked_at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Marks a run finished.
    pub async fn finish_check_run(&self, run_id: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE link_check_runs SET finished_at = $2, heartbeat_at = $2 WHERE id = $1")
            .bind(run_id)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A run as it stands at `now`, with its results from the `from`-th to arrive on.
    pub async fn check_run(
        &self,
        run_id: &str,
        from: i64,
        now: i64,
    ) -> Result<Option<CheckRun>, StoreError> {
        let Some(row) = sqlx::query("SELECT * FROM link_check_runs WHERE id = $1")
            .bind(run_id)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let mut run = run_from_row(&row, now)?;
        let rows = sqlx::query(
            "SELECT position, seq, creative_id, checked_at, report FROM link_check_results
             WHERE run_id = $1 AND seq >= $2 ORDER BY seq",
        )
        .bind(run_id)
        .bind(from)
        .fetch_all(&self.pool)
        .await?;
        for row in &rows {
            run.results.push(RunResult {
                position: row.try_get("position")?,
                seq: row.try_get("seq")?,
                creative_id: row.try_get("creative_id")?,
                checked_at: row.try_get("checked_at")?,
                report: report_from(row)?,
            });
        }
        Ok(Some(run))
    }

    /// The latest check of each creative of a campaign that has been checked.
    /// The creatives whose latest link check found them broken.
    pub async fn broken_creatives(&self) -> Result<std::collections::HashSet<String>, StoreError> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT creative_id FROM creative_link_checks WHERE verdict = 'broken'",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().collect())
    }

    pub async fn campaign_link_statuses(
        &self,
        campaign_id: &str,
    ) -> Result<Vec<LinkStatus>, StoreError> {
        let rows = sqlx::query(
            "SELECT l.creative_id, l.checked_at, l.broken_since, l.report
             FROM creative_link_checks l JOIN creatives k ON k.id = l.creative_id
             WHERE k.campaign_id = $1",
        )
        .bind(campaign_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(LinkStatus {
                    creative_id: row.try_get("creative_id")?,
                    checked_at: row.try_get("checked_at")?,
                    broken_since: row.try_get("broken_since")?,
                    report: report_from(row)?,
                })
            })
            .collect()
    }

    /// Takes the lease `name` for `holder` until `until` if nobody holds it at `now`; true
    /// when taken. Atomic across instances: of several asking at once, one gets it.
    pub async fn take_lease(
        &self,
        name: &str,
        holder: &str,
        now: i64,
        until: i64,
    ) -> Result<bool, StoreError> {
        sqlx::query(
            "INSERT INTO leases (name, holder, held_until) VALUES ($1, '', 0)
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .execute(&self.pool)
        .await?;
        let taken = sqlx::query(
            "UPDATE leases SET holder = $2, held_until = $4 WHERE name = $1 AND held_until <= $3",
        )
        .bind(name)
        .bind(holder)
        .bind(now)
        .bind(until)
        .execute(&self.pool)
        .await?;
        Ok(taken.rows_affected() == 1)
    }
}
