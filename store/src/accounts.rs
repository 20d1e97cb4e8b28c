//! People, API tokens, invitations, the setup link and failed sign-ins. Secrets arrive here
//! already hashed; every write that a person makes is logged in its own transaction.

use crate::{activity, is_unique_violation, new_id, Author, Store, StoreError};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::str::FromStr;
use utmforge_core::account::{ApiToken, Invitation, Role, User};
use utmforge_core::activity::NewEntry;
use utmforge_core::{Code, Field, Notice};

/// A token's row with the user it belongs to (to check that they may still use it).
#[derive(Debug, Clone)]
pub struct TokenOwner {
    pub token: ApiToken,
    pub user: User,
}

/// Failed sign-ins counted for the brute-force limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FailureCounts {
    /// Failures for this email address, and the oldest one's time.
    pub email: i64,
    pub email_oldest: Option<i64>,
    /// Failures from this network address, and the oldest one's time.
    pub address: i64,
    pub address_oldest: Option<i64>,
}

fn duplicate_email(email: &str) -> StoreError {
    StoreError::Conflict(Notice::new(
        Code::Duplicate,
        Field::Email,
        format!("{email} already has an account"),
    ))
}

impl Store {
    /// How many accounts exist (disabled ones too).
    pub async fn count_users(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?)
    }

    /// How many owners can still sign in.
    pub async fn count_active_owners(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE role = 'owner' AND disabled_at IS NULL",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query("SELECT * FROM users ORDER BY created_at, id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// One user (kept in memory once the server turns it on: see `auth_cache`).
    pub async fn get_user(&self, id: &str) -> Result<User, StoreError> {
        let ticket = self.auth.ticket();
        if let Some(user) = self.auth.user(&ticket, id) {
            return Ok(user);
        }
        let row = sqlx::query("SELECT * FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("user"))?;
        let user = user_from_row(&row)?;
        self.auth.put_user(&ticket, &user);
        Ok(user)
    }

    /// The user with this (normalized) email and their password hash.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>, StoreError> {
        let row = sqlx::query("SELECT * FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((user_from_row(&r)?, r.try_get("password_hash")?)))
            .transpose()
    }

    /// Adds an account (the command line, an owner adding someone).
    pub async fn create_user(
        &self,
        email: &str,
        name: &str,
        role: Role,
        password_hash: &str,
        by: &Author,
        entry: NewEntry,
    ) -> Result<User, StoreError> {
        let now = self.now_ms();
        let id = new_id();
        let mut tx = self.pool.begin().await?;
        insert_user(&mut *tx, &id, email, name, role, password_hash, now).await?;
        activity::record(&mut *tx, by, entry.subject_id(&id), now).await?;
        tx.commit().await?;
        self.get_user(&id).await
    }

    /// Creates the first owner with a setup link's hash: only while no account exists and the
    /// link is one that was issued. Every setup link stops working. None: no such link, or
    /// someone already set up.
    pub async fn create_first_owner(
        &self,
        setup_hash: &str,
        email: &str,
        name: &str,
        password_hash: &str,
        entry: NewEntry,
    ) -> Result<Option<User>, StoreError> {
        let now = self.now_ms();
        let id = new_id();
        let mut tx = self.pool.begin().await?;
        // The DELETE takes the write lock first: two tabs submitting at once cannot both win.
        let issued = sqlx::query("DELETE FROM setup_tokens WHERE hash = $1")
            .bind(setup_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&mut *tx)
            .await?;
        if !issued || users > 0 {
            return Ok(None);
        }
        insert_user(&mut *tx, &id, email, name, Role::Owner, password_hash, now).await?;
        sqlx::query("DELETE FROM setup_tokens")
            .execute(&mut *tx)
            .await?;
        let by = Author {
            user_id: Some(id.clone()),
            name: name.to_string(),
        };
        activity::record(&mut *tx, &by, entry.subject_id(&id), now).await?;
        tx.commit().await?;
        Ok(Some(self.get_user(&id).await?))
    }

    /// Remembers a setup link's hash (valid until an owner is created).
    pub async fn add_setup_token(&self, hash: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO setup_tokens (hash, created_at) VALUES ($1, $2)")
            .bind(hash)
            .bind(self.now_ms())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Replaces a user's password hash; their browser sessions from before `sessions_after`
    /// end.
    pub async fn set_password(
        &self,
        id: &str,
        password_hash: &str,
        sessions_after: i64,
        by: &Author,
        entry: NewEntry,
    ) -> Result<(), StoreError> {
        let now = self.now_ms();
        let mut tx = self.pool.begin().await?;
        let done =
            sqlx::query("UPDATE users SET password_hash = $2, sessions_after = $3 WHERE id = $1")
                .bind(id)
                .bind(password_hash)
                .bind(sessions_after)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound("user"));
        }
        activity::record(&mut *tx, by, entry, now).await?;
        let echo = self.announce_auth_change(&mut tx).await?;
        tx.commit().await?;
        self.auth_changed(echo).await;
        Ok(())
    }

    /// Changes a user's role and/or disabled state.
    pub async fn update_user(
        &self,
        id: &str,
        role: Role,
        disabled_at: Option<i64>,
        by: &Author,
        entry: NewEntry,
    ) -> Result<User, StoreError> {
        let now = self.now_ms();
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE users SET role = $2, disabled_at = $3 WHERE id = $1")
            .bind(id)
            .bind(role.as_str())
            .bind(disabled_at)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound("user"));
        }
        // A lower role lowers the user's tokens with it.
        sqlx::query(
            "UPDATE api_tokens SET role = $2 WHERE user_id = $1 AND
               (CASE role WHEN 'viewer' THEN 0 WHEN 'editor' THEN 1 WHEN 'admin' THEN 2 ELSE 3 END) >
               (CASE $2 WHEN 'viewer' THEN 0 WHEN 'editor' THEN 1 WHEN 'admin' THEN 2 ELSE 3 END)",
        )
        .bind(id)
        .bind(role.as_str())
        .execute(&mut *tx)
        .await?;
        activity::record(&mut *tx, by, entry, now).await?;
        let echo = self.announce_auth_change(&mut tx).await?;
        tx.commit().await?;
        self.auth_changed(echo).await;
        self.get_user(id).await
    }

    // --- invitations -------------------------------------------------------------------------

    pub async fn create_invitation(
        &self,
        hash: &str,
        role: Role,
        expires_at: i64,
        by: &Author,
        entry: NewEntry,
    ) -> Result<Invitation, StoreError> {
        let now = self.now_ms();
        let id = new_id();
        let invited_by = by.user_id.clone().unwrap_or_default();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO invitations (id, hash, role, invited_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(hash)
        .bind(role.as_str())
        .bind(&invited_by)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        activity::record(&mut *tx, by, entry.subject_id(&id), now).await?;
        tx.commit().await?;
        let row = sqlx::query("SELECT * FROM invitations WHERE id = $1")
            .bind(&id)
            .fetch_one(&self.pool)
            .await?;
        invitation_from_row(&row)
    }

    /// Open invitations (not used, not expired at `now`), newest first.
    pub async fn list_invitations(&self, now: i64) -> Result<Vec<Invitation>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM invitations WHERE used_at IS NULL AND expires_at > $1
             ORDER BY created_at DESC",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(invitation_from_row).collect()
    }

    /// Withdraws an open invitation (its link stops working). NotFound when it is not open.
    pub async fn withdraw_invitation(
        &self,
        id: &str,
        now: i64,
        by: &Author,
        entry: NewEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE invitations SET expires_at = $2 WHERE id = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound("invitation"));
        }
        activity::record(&mut *tx, by, entry, self.now_ms()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The role an open invitation grants, if `hash` is one at `now`.
    pub async fn open_invitation(&self, hash: &str, now: i64) -> Result<Option<Role>, StoreError> {
        let role: Option<String> = sqlx::query_scalar(
            "SELECT role FROM invitations WHERE hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        role.map(|r| parse_role(&r)).transpose()
    }

    /// Creates the invited person's account and uses the invitation up, in one transaction.
    /// None: the invitation is unknown, used or expired.
    #[allow(clippy::too_many_arguments)]
    pub async fn accept_invitation(
        &self,
        hash: &str,
        now: i64,
        email: &str,
        name: &str,
        password_hash: &str,
        entry: NewEntry,
    ) -> Result<Option<User>, StoreError> {
        let id = new_id();
        let mut tx = self.pool.begin().await?;
        let role: Option<String> = sqlx::query_scalar(
            "UPDATE invitations SET used_at = $2 WHERE hash = $1 AND used_at IS NULL AND expires_at > $2
             RETURNING role",
        )
        .bind(hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(role) = role else { return Ok(None) };
        let role = parse_role(&role)?;
        insert_user(
            &mut *tx,
            &id,
            email,
            name,
            role,
            password_hash,
            self.now_ms(),
        )
        .await?;
        sqlx::query("UPDATE invitations SET used_by = $2 WHERE hash = $1")
            .bind(hash)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        let by = Author {
            user_id: Some(id.clone()),
            name: name.to_string(),
        };
        let entry = entry.change("role", "", role.as_str()).subject_id(&id);
        activity::record(&mut *tx, &by, entry, self.now_ms()).await?;
        tx.commit().await?;
        Ok(Some(self.get_user(&id).await?))
    }

    // --- API tokens ----------------------------------------------------------------------------

    pub async fn create_token(
        &self,
        user_id: &str,
        name: &str,
        role: Role,
        hash: &str,
        by: &Author,
        entry: NewEntry,
    ) -> Result<ApiToken, StoreError> {
        let now = self.now_ms();
        let id = new_id();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO api_tokens (id, user_id, name, role, hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(user_id)
        .bind(name)
        .bind(role.as_str())
        .bind(hash)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        activity::record(&mut *tx, by, entry.subject_id(&id), now).await?;
        tx.commit().await?;
        self.get_token(&id).await
    }

    pub async fn get_token(&self, id: &str) -> Result<ApiToken, StoreError> {
        let row = sqlx::query("SELECT * FROM api_tokens WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("token"))?;
        token_from_row(&row)
    }

    /// A user's tokens (every user's when `user_id` is None), newest first.
    pub async fn list_tokens(&self, user_id: Option<&str>) -> Result<Vec<ApiToken>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM api_tokens WHERE $1 IS NULL OR user_id = $1 ORDER BY created_at DESC, id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(token_from_row).collect()
    }

    /// Revokes a token (once; revoking again changes nothing and is not logged again).
    pub async fn revoke_token(
        &self,
        id: &str,
        by: &Author,
        entry: NewEntry,
    ) -> Result<ApiToken, StoreError> {
        let now = self.now_ms();
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let mut echo = None;
        if done.rows_affected() == 1 {
            activity::record(&mut *tx, by, entry, now).await?;
            echo = self.announce_auth_change(&mut tx).await?;
        }
        tx.commit().await?;
        self.auth_changed(echo).await;
        self.get_token(id).await
    }

    /// The live token with this hash and its owner (revoked tokens are not found).
    pub async fn token_by_hash(&self, hash: &str) -> Result<Option<TokenOwner>, StoreError> {
        let ticket = self.auth.ticket();
        if let Some(owner) = self.auth.token(&ticket, hash) {
            return Ok(Some(owner));
        }
        let row = sqlx::query("SELECT * FROM api_tokens WHERE hash = $1 AND revoked_at IS NULL")
            .bind(hash)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let token = token_from_row(&row)?;
        let user = self.get_user(&token.user_id).await?;
        let owner = TokenOwner { token, user };
        self.auth.put_token(&ticket, hash, &owner);
        Ok(Some(owner))
    }

    /// Notes that a token was used at `now` (never moving it back: another instance may have
    /// written a later time).
    pub async fn touch_token(&self, id: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE api_tokens SET last_used_at = $2
             WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)",
        )
        .bind(id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        self.auth.touched_token(id, now);
        Ok(())
    }

    // --- failed sign-ins -----------------------------------------------------------------------

    pub async fn record_sign_in_failure(
        &self,
        email: &str,
        address: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO sign_in_failures (email, address, at) VALUES ($1, $2, $3)")
            .bind(email)
            .bind(address)
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Failures for `email` and from `address` at or after `since` (older ones are deleted).
    pub async fn sign_in_failures(
        &self,
        email: &str,
        address: &str,
        since: i64,
    ) -> Result<FailureCounts, StoreError> {
        sqlx::query("DELETE FROM sign_in_failures WHERE at < $1")
            .bind(since)
            .execute(&self.pool)
            .await?;
        let by_email = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM sign_in_failures WHERE email = $1 AND at >= $2",
        )
        .bind(email)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        let by_address = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM sign_in_failures WHERE address = $1 AND at >= $2",
        )
        .bind(address)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok(FailureCounts {
            email: by_email.try_get("n")?,
            email_oldest: by_email.try_get("oldest")?,
            address: by_address.try_get("n")?,
            address_oldest: by_address.try_get("oldest")?,
        })
    }

    /// Forgets the failures for `email` (after a successful sign-in).
    pub async fn clear_sign_in_failures(&self, email: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sign_in_failures WHERE email = $1")
            .bind(email)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

async fn insert_user<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    exec: E,
    id: &str,
    email: &str,
    name: &str,
    role: Role,
    password_hash: &str,
    now: i64,
) -> Result<(), StoreError> {
    let result = sqlx::query(
        "INSERT INTO users (id, email, name, role, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(email)
    .bind(name)
    .bind(role.as_str())
    .bind(password_hash)
    .bind(now)
    .execute(exec)
    .await;
    match result {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(duplicate_email(email)),
        Err(e) => Err(e.into()),
    }
}

fn parse_role(role: &str) -> Result<Role, StoreError> {
    Role::from_str(role).map_err(|_| StoreError::Database(crate::decode_err("role", role)))
}

fn user_from_row(row: &AnyRow) -> Result<User, StoreError> {
    Ok(User {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        role: parse_role(&row.try_get::<String, _>("role")?)?,
        disabled_at: row.try_get("disabled_at")?,
        created_at: row.try_get("created_at")?,
        sessions_after: row.try_get("sessions_after")?,
    })
}

fn token_from_row(row: &AnyRow) -> Result<ApiToken, StoreError> {
    Ok(ApiToken {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        name: row.try_get("name")?,
        role: parse_role(&row.try_get::<String, _>("role")?)?,
        created_at: row.try_get("created_at")?,
        last_used_at: row.try_get("last_used_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

fn invitation_from_row(row: &AnyRow) -> Result<Invitation, StoreError> {
    Ok(Invitation {
        id: row.try_get("id")?,
        role: parse_role(&row.try_get::<String, _>("role")?)?,
        invited_by: row.try_get("invited_by")?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        used_at: row.try_get("used_at")?,
    })
}
