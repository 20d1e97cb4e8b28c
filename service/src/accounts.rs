//! Accounts: the first owner (setup link), signing in (with the brute-force limit), people and
//! roles, invitations, API tokens, and who a request's session or token belongs to.
//!
//! Passwords are argon2id hashes with a per-user salt; setup links, invitations and API tokens
//! are random 256-bit secrets stored as SHA-256 hashes (a stolen database does not reveal one).

use crate::context::{Actor, Signed};
use crate::{heavy, Ctx, Error, ErrorKind};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use utmforge_core::account::{
    check_name, normalize_email, ApiToken, Invitation, NewApiToken, NewInvitation, People, Role,
    SignUp, User, MAX_EMAIL_LEN, MAX_PASSWORD_LEN,
};
use utmforge_core::activity::{Action, NewEntry};
use utmforge_core::{Code, Field, Notice};
use utmforge_store::{Author, Store};

/// Failed sign-ins for one account that start the wait.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed sign-ins from one network address that start the wait.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
/// The window failures are counted in.
pub const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;
/// How long an invitation link works.
pub const INVITATION_LIFETIME_MS: i64 = 7 * 24 * 3600 * 1000;
/// A token's "last used" time is recorded to this resolution (each record is a database write).
pub const TOKEN_USE_RESOLUTION_MS: i64 = 60 * 1000;
/// What API tokens start with (so that secret scanners and people recognize one).
pub const TOKEN_PREFIX: &str = "utmf_";

/// The network address a request came from (for the per-address sign-in limit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);

/// A new random secret: 32 bytes as 64 hex digits.
fn new_secret() -> Result<String, Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| {
        tracing::error!(error = %e, "no randomness");
        Error::internal("the server could not make a secret; try again")
    })?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// How a secret (setup link, invitation, token) is stored: SHA-256, hex.
pub fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.trim().as_bytes()))
}

/// The argon2id hash of `password`, off the async workers.
async fn hash_password(password: String) -> Result<String, Error> {
    heavy(move || {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
        let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await?
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        Error::internal("the server could not store the password; try again")
    })
}

/// Whether `password` matches `hash`, off the async workers.
async fn verify_password(password: String, hash: String) -> Result<bool, Error> {
    heavy(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
}

/// A hash no password matches, verified for unknown emails so that a wrong email takes as long
/// as a wrong password.
async fn decoy_hash() -> Result<String, Error> {
    static DECOY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DECOY.get() {
        return Ok(hash.clone());
    }
    let hash = hash_password(new_secret()?).await?;
    Ok(DECOY.get_or_init(|| hash).clone())
}

fn wrong_credentials() -> Error {
    Error::new(
        ErrorKind::Unauthenticated,
        "wrong-credentials",
        "the email address or the password is wrong",
    )
}

fn invalid_link(what: &str) -> Error {
    Error::notice(
        ErrorKind::NotFound,
        Notice::new(
            Code::NotFound,
            Field::Token,
            format!(
                "this {what} link is not valid (any more): it may have been used or have expired"
            ),
        ),
    )
}

// --- first run ---------------------------------------------------------------------------

/// A one-time setup link's secret when no account exists yet (None once someone set up).
/// Each call makes a new one; all work until an owner is created.
pub async fn setup_token(store: &Store) -> Result<Option<String>, Error> {
    if store.count_users().await? > 0 {
        return Ok(None);
    }
    let secret = new_secret()?;
    store.add_setup_token(&secret_hash(&secret)).await?;
    Ok(Some(secret))
}

/// Whether the setup page still has something to do.
pub async fn setup_open(ctx: &Ctx) -> Result<bool, Error> {
    Ok(ctx.store.count_users().await? == 0)
}

/// Creates the first owner with the setup link's `token`.
pub async fn setup(ctx: &Ctx, token: &str, sign_up: SignUp) -> Result<User, Error> {
    let valid = sign_up.validate().map_err(Error::invalid)?;
    let hash = hash_password(valid.password).await?;
    let entry = NewEntry::new(Action::UserCreated, &valid.email).change("role", "", "owner");
    ctx.store
        .create_first_owner(&secret_hash(token), &valid.email, &valid.name, &hash, entry)
        .await?
        .ok_or_else(|| invalid_link("setup"))
}

// --- signing in ----------------------------------------------------------------------------

/// Checks an email and password, counting failures per account and per network `address`:
/// past the limits, 429 with the seconds to wait. The same message (and the same work) for a
/// wrong email as for a wrong password.
pub async fn sign_in(ctx: &Ctx, email: &str, password: &str, address: &str) -> Result<User, Error> {
    let email: String = normalize_email(email).chars().take(MAX_EMAIL_LEN).collect();
    let now = ctx.now_ms();
    let failures = ctx
        .store
        .sign_in_failures(&email, address, now - FAILURE_WINDOW_MS)
        .await?;
    let wait_from = if failures.email >= MAX_FAILURES_PER_ACCOUNT {
        failures.email_oldest
    } else if failures.address >= MAX_FAILURES_PER_ADDRESS {
        failures.address_oldest
    } else {
        None
    };
    if let Some(oldest) = wait_from {
        let seconds = ((oldest + FAILURE_WINDOW_MS - now) / 1000).max(1) as u64;
        let mut e = Error::new(
            ErrorKind::TooManyRequests,
            "too-many-attempts",
            format!(
                "too many failed sign-ins: try again in {} minute{}",
                seconds.div_ceil(60),
                if seconds.div_ceil(60) == 1 { "" } else { "s" }
            ),
        );
        e.retry_after = Some(seconds);
        return Err(e);
    }
    let found = ctx.store.user_by_email(&email).await?;
    let hash = match &found {
        Some((_, hash)) => hash.clone(),
        None => decoy_hash().await?,
    };
    let password: String = password.chars().take(MAX_PASSWORD_LEN + 1).collect();
    let matches = password.len() <= MAX_PASSWORD_LEN && verify_password(password, hash).await?;
    match found {
        Some((user, _)) if matches && user.disabled_at.is_none() => {
            ctx.store.clear_sign_in_failures(&email).await?;
            Ok(user)
        }
        _ => {
            ctx.store
                .record_sign_in_failure(&email, address, now)
                .await?;
            Err(wrong_credentials())
        }
    }
}

/// The actor behind an `Authorization: Bearer` token: 401 when it is unknown, revoked, or its
/// user is disabled. The token acts with its own role, never above its user's.
pub async fn actor_for_token(ctx: &Ctx, secret: &str) -> Result<Actor, Error> {
    let unknown = || {
        Error::new(
            ErrorKind::Unauthenticated,
            "unauthenticated",
            "this API token is not valid (unknown, revoked, or its user is disabled)",
        )
    };
    let secret = secret.trim();
    if !secret.starts_with(TOKEN_PREFIX) || secret.len() > 128 {
        return Err(unknown());
    }
    let owner = ctx
        .store
        .token_by_hash(&secret_hash(secret))
        .await?
        .ok_or_else(unknown)?;
    if owner.user.disabled_at.is_some() {
        return Err(unknown());
    }
    // "Last used" to the minute: a write only when the one stored is older than that.
    let now = ctx.now_ms();
    if owner
        .token
        .last_used_at
        .is_none_or(|at| now - at >= TOKEN_USE_RESOLUTION_MS)
    {
        ctx.store.touch_token(&owner.token.id, now).await?;
    }
    Ok(Actor::User(Signed {
        role: owner.token.role.min(owner.user.role),
        token: Some((owner.token.id, owner.token.name)),
        user: owner.user,
    }))
}

// --- people ----------------------------------------------------------------------------------

/// Everyone with an account (admins).
pub async fn list_users(ctx: &Ctx) -> Result<Vec<User>, Error> {
    ctx.require(Role::Admin)?;
    Ok(ctx.store.list_users().await?)
}

/// Refuses unless the asker may manage someone with `role` (owners: everyone; admins: viewers
/// and editors).
fn check_manages(ctx: &Ctx, role: Role) -> Result<Author, Error> {
    let author = ctx.require(Role::Admin)?;
    let mine = ctx.role().unwrap_or(Role::Viewer);
    if !mine.manages(role) {
        return Err(Error::forbidden(format!(
            "only an owner can manage {}s",
            role.as_str()
        )));
    }
    Ok(author)
}

/// Adds an account directly (the command line; owners and admins).
pub async fn add_user(ctx: &Ctx, sign_up: SignUp, role: Role) -> Result<User, Error> {
    let author = check_manages(ctx, role)?;
    let valid = sign_up.validate().map_err(Error::invalid)?;
    let hash = hash_password(valid.password).await?;
    let entry = NewEntry::new(Action::UserCreated, &valid.email).change("role", "", role.as_str());
    Ok(ctx
        .store
        .create_user(&valid.email, &valid.name, role, &hash, &author, entry)
        .await?)
}

/// The user with this email (the command line names people by email).
pub async fn user_by_email(ctx: &Ctx, email: &str) -> Result<User, Error> {
    ctx.require(Role::Admin)?;
    match ctx.store.user_by_email(&normalize_email(email)).await? {
        Some((user, _)) => Ok(user),
        None => Err(Error::notice(
            ErrorKind::NotFound,
            Notice::new(
                Code::NotFound,
                Field::Email,
                format!("no account has the email address {}", email.trim()),
            ),
        )),
    }
}

/// Changes someone's role and/or whether they may sign in. Their sessions and tokens follow at
/// once (every request looks the user up). Nobody changes themselves, and the last owner stays.
pub async fn update_user(
    ctx: &Ctx,
    user_id: &str,
    role: Option<Role>,
    disabled: Option<bool>,
) -> Result<User, Error> {
    ctx.require(Role::Admin)?;
    let target = ctx.store.get_user(user_id).await?;
    let author = check_manages(ctx, target.role)?;
    let new_role = role.unwrap_or(target.role);
    check_manages(ctx, new_role)?;
    if ctx.user().is_some_and(|me| me.id == target.id) {
        return Err(Error::forbidden(
            "you cannot change your own role or disable yourself: ask another admin or owner",
        ));
    }
    let now = ctx.now_ms();
    let disabled_at = match disabled {
        Some(true) => target.disabled_at.or(Some(now)),
        Some(false) => None,
        None => target.disabled_at,
    };
    let loses_owner = target.role == Role::Owner
        && target.disabled_at.is_none()
        && (new_role != Role::Owner || disabled_at.is_some());
    if loses_owner && ctx.store.count_active_owners().await? <= 1 {
        return Err(Error::notice(
            ErrorKind::Conflict,
            Notice::new(
                Code::NotAllowed,
                Field::Role,
                "this is the only owner: make someone else an owner first",
            ),
        ));
    }
    let status = |d: Option<i64>| if d.is_some() { "disabled" } else { "active" };
    let entry = NewEntry::new(Action::UserChanged, &target.email)
        .change("role", target.role.as_str(), new_role.as_str())
        .change("status", status(target.disabled_at), status(disabled_at));
    Ok(ctx
        .store
        .update_user(
            &target.id,
            new_role,
            disabled_at,
            &author,
            entry.subject_id(&target.id),
        )
        .await?)
}

/// Sets someone's password (a forgotten one: owners and admins for the people they manage, on
/// the command line). Their browser sessions end; their API tokens keep working.
pub async fn set_password(ctx: &Ctx, user_id: &str, password: &str) -> Result<(), Error> {
    ctx.require(Role::Admin)?;
    let target = ctx.store.get_user(user_id).await?;
    let author = check_manages(ctx, target.role)?;
    utmforge_core::account::check_password(password, &target.email)
        .map_err(|n| Error::invalid(vec![n]))?;
    let hash = hash_password(password.to_string()).await?;
    let entry = NewEntry::new(Action::UserChanged, &target.email)
        .subject_id(&target.id)
        .change("password", "(old)", "(new)");
    let now = ctx.now_ms();
    Ok(ctx
        .store
        .set_password(&target.id, &hash, now, &author, entry)
        .await?)
}

// --- invitations ---------------------------------------------------------------------------

/// An invitation link for someone new with `role` (shown once; works for 7 days, once).
pub async fn invite(ctx: &Ctx, role: Role) -> Result<NewInvitation, Error> {
    let author = check_manages(ctx, role)?;
    let secret = new_secret()?;
    let expires_at = ctx.now_ms() + INVITATION_LIFETIME_MS;
    let entry = NewEntry::new(Action::InvitationCreated, format!("as {}", role.as_str()));
    let invitation = ctx
        .store
        .create_invitation(&secret_hash(&secret), role, expires_at, &author, entry)
        .await?;
    Ok(NewInvitation {
        invitation,
        path: format!("/invite?token={secret}"),
    })
}

/// Withdraws an open invitation: its link stops working at once.
pub async fn withdraw_invitation(ctx: &Ctx, id: &str) -> Result<(), Error> {
    ctx.require(Role::Admin)?;
    let open = ctx.store.list_invitations(ctx.now_ms()).await?;
    let invitation = open
        .into_iter()
        .find(|i| i.id == id)
        .ok_or_else(|| Error::not_found("open invitation"))?;
    let author = check_manages(ctx, invitation.role)?;
    let entry = NewEntry::new(
        Action::InvitationWithdrawn,
        format!("as {}", invitation.role.as_str()),
    )
    .subject_id(&invitation.id);
    Ok(ctx
        .store
        .withdraw_invitation(&invitation.id, ctx.now_ms(), &author, entry)
        .await?)
}

/// Invitations not yet used and not expired (admins).
pub async fn list_invitations(ctx: &Ctx) -> Result<Vec<Invitation>, Error> {
    ctx.require(Role::Admin)?;
    Ok(ctx.store.list_invitations(ctx.now_ms()).await?)
}

/// The role an invitation link grants (for its page), or 404 when it does not work.
pub async fn invitation_role(ctx: &Ctx, token: &str) -> Result<Role, Error> {
    ctx.store
        .open_invitation(&secret_hash(token), ctx.now_ms())
        .await?
        .ok_or_else(|| invalid_link("invitation"))
}

/// Creates the invited person's account (once per link).
pub async fn accept_invitation(ctx: &Ctx, token: &str, sign_up: SignUp) -> Result<User, Error> {
    invitation_role(ctx, token).await?;
    let valid = sign_up.validate().map_err(Error::invalid)?;
    let hash = hash_password(valid.password).await?;
    let entry = NewEntry::new(Action::UserCreated, &valid.email);
    ctx.store
        .accept_invitation(
            &secret_hash(token),
            ctx.now_ms(),
            &valid.email,
            &valid.name,
            &hash,
            entry,
        )
        .await?
        .ok_or_else(|| invalid_link("invitation"))
}

// --- API tokens ----------------------------------------------------------------------------

/// The user whose tokens the asker wants: themselves (None), or someone an admin manages.
async fn token_owner(ctx: &Ctx, user_id: Option<&str>) -> Result<(User, Author), Error> {
    let author = ctx.require(Role::Viewer)?;
    match (user_id, ctx.user()) {
        (None, Some(me)) => Ok((me.clone(), author)),
        (Some(id), Some(me)) if id == me.id => Ok((me.clone(), author)),
        (None, None) => Err(Error::invalid(vec![Notice::new(
            Code::Required,
            Field::Email,
            "name the user whose tokens these are",
        )])),
        (Some(id), _) => {
            let user = ctx.store.get_user(id).await?;
            let author = check_manages(ctx, user.role)?;
            Ok((user, author))
        }
    }
}

/// Creates an API token for the asker (or, for admins, someone they manage) with a role no
/// higher than the owner's and the asker's. The secret is in the answer, and nowhere else.
pub async fn create_token(
    ctx: &Ctx,
    user_id: Option<&str>,
    name: &str,
    role: Option<Role>,
) -> Result<NewApiToken, Error> {
    if let Actor::User(Signed { token: Some(_), .. }) = &ctx.actor {
        return Err(Error::forbidden(
            "API tokens cannot create tokens: sign in to the web app",
        ));
    }
    let (owner, author) = token_owner(ctx, user_id).await?;
    let name = check_name(name, "a name for the token (what uses it)")
        .map_err(|n| Error::invalid(vec![n]))?;
    let ceiling = owner.role.min(ctx.role().unwrap_or(Role::Viewer));
    let role = role.unwrap_or(ceiling);
    if role > ceiling {
        return Err(Error::invalid(vec![Notice::new(
            Code::NotAllowed,
            Field::Role,
            format!(
                "a token's role can be at most {} (its user's and yours)",
                ceiling.as_str()
            ),
        )]));
    }
    let secret = format!("{TOKEN_PREFIX}{}", new_secret()?);
    let entry = NewEntry::new(Action::TokenCreated, &name)
        .change("user", "", &owner.email)
        .change("role", "", role.as_str());
    let token = ctx
        .store
        .create_token(
            &owner.id,
            &name,
            role,
            &secret_hash(&secret),
            &author,
            entry,
        )
        .await?;
    Ok(NewApiToken { token, secret })
}

/// A user's tokens (the asker's own when None; admins may list anyone's, or all with `all`).
pub async fn list_tokens(
    ctx: &Ctx,
    user_id: Option<&str>,
    all: bool,
) -> Result<Vec<ApiToken>, Error> {
    if all {
        ctx.require(Role::Admin)?;
        return Ok(ctx.store.list_tokens(None).await?);
    }
    let (owner, _) = token_owner(ctx, user_id).await?;
    Ok(ctx.store.list_tokens(Some(&owner.id)).await?)
}

/// Revokes a token: one's own, or (admins) one of someone they manage. At once: the next
/// request with it gets 401.
pub async fn revoke_token(ctx: &Ctx, token_id: &str) -> Result<ApiToken, Error> {
    let token = ctx.store.get_token(token_id).await?;
    let (_, author) = token_owner(ctx, Some(&token.user_id)).await?;
    let entry = NewEntry::new(Action::TokenRevoked, &token.name).subject_id(&token.id);
    Ok(ctx.store.revoke_token(&token.id, &author, entry).await?)
}

/// Everyone, open invitations, and every token (admins): the People page.
pub async fn people(ctx: &Ctx) -> Result<People, Error> {
    Ok(People {
        users: list_users(ctx).await?,
        invitations: list_invitations(ctx).await?,
        tokens: list_tokens(ctx, None, true).await?,
    })
}

/// Signs in on this browser: the password checked (with its limits), then a new session.
pub async fn sign_in_browser(
    ctx: &Ctx,
    session: &tower_sessions::Session,
    email: &str,
    password: &str,
    address: &str,
) -> Result<User, Error> {
    signed_in(ctx, session, sign_in(ctx, email, password, address).await?).await
}

/// Creates the first owner with the setup link's token, and signs them in on this browser.
pub async fn setup_browser(
    ctx: &Ctx,
    session: &tower_sessions::Session,
    token: &str,
    sign_up: SignUp,
) -> Result<User, Error> {
    signed_in(ctx, session, setup(ctx, token, sign_up).await?).await
}

/// Creates the invited person's account, and signs them in on this browser.
pub async fn accept_invitation_browser(
    ctx: &Ctx,
    session: &tower_sessions::Session,
    token: &str,
    sign_up: SignUp,
) -> Result<User, Error> {
    signed_in(ctx, session, accept_invitation(ctx, token, sign_up).await?).await
}

/// `user`, now signed in on this browser (a new session).
async fn signed_in(
    ctx: &Ctx,
    session: &tower_sessions::Session,
    user: User,
) -> Result<User, Error> {
    crate::session::start(ctx, session, &user).await?;
    Ok(user)
}

/// [`update_user`] for the person with this email (the command line names people so).
pub async fn update_user_by_email(
    ctx: &Ctx,
    email: &str,
    role: Option<Role>,
    disabled: Option<bool>,
) -> Result<User, Error> {
    let user = user_by_email(ctx, email).await?;
    update_user(ctx, &user.id, role, disabled).await
}

/// [`set_password`] for the person with this email; answers who it was.
pub async fn set_password_by_email(ctx: &Ctx, email: &str, password: &str) -> Result<User, Error> {
    let user = user_by_email(ctx, email).await?;
    set_password(ctx, &user.id, password).await?;
    Ok(user)
}
