//! Browser sessions: an opaque record (JSON) per session id with its expiry. The server's
//! session layer (tower-sessions) reads and writes them through these methods, so every
//! instance on the same database sees every session.

use crate::{is_unique_violation, Store, StoreError};

impl Store {
    /// Stores a new session. False (nothing written) when the id is taken: the caller picks
    /// another.
    pub async fn insert_session(
        &self,
        id: &str,
        data: &str,
        expires_at: i64,
    ) -> Result<bool, StoreError> {
        let ticket = self.auth.ticket();
        let done = sqlx::query("INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(data)
            .bind(expires_at)
            .execute(&self.pool)
            .await;
        match done {
            Ok(_) => {
                self.auth.put_session(&ticket, id, data, expires_at);
                Ok(true)
            }
            Err(e) if is_unique_violation(&e) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Stores a session, replacing what was stored under its id.
    pub async fn save_session(
        &self,
        id: &str,
        data: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let ticket = self.auth.ticket();
        sqlx::query(
            "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
        )
        .bind(id)
        .bind(data)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        self.auth.put_session(&ticket, id, data, expires_at);
        Ok(())
    }

    /// The session stored under `id`, unless it expired before `now` (kept in memory once the
    /// server turns it on: see `auth_cache`).
    pub async fn load_session(&self, id: &str, now: i64) -> Result<Option<String>, StoreError> {
        let ticket = self.auth.ticket();
        if let Some(kept) = self.auth.session(&ticket, id, now) {
            return Ok(kept);
        }
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2",
        )
        .bind(id)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(data, expires_at)| {
            self.auth.put_session(&ticket, id, &data, expires_at);
            data
        }))
    }

    /// Deletes a session (signed out, or its id replaced at sign-in); every instance forgets it
    /// at once.
    pub async fn delete_session(&self, id: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let echo = self.announce_auth_change(&mut tx).await?;
        tx.commit().await?;
        // Started over: a lookup that read the row before the delete must not keep it.
        self.auth_changed(echo).await;
        Ok(())
    }

    /// Deletes the sessions that expired before `now`; returns how many.
    pub async fn delete_expired_sessions(&self, now: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
