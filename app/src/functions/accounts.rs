//! Server functions for accounts. The ones under `/api/account/` are open to people who are
//! not signed in (the gate lets them through): sign in, first-run setup, an invitation.

#[cfg(feature = "ssr")]
use crate::api::ssr;
use crate::api::{Answer, AppError, JsonAnswer};
use leptos::prelude::*;
use utmforge_core::account::{ApiToken, NewApiToken, NewInvitation, Role, SignUp, User};
#[cfg(feature = "ssr")]
use utmforge_service::accounts;

#[cfg(feature = "ssr")]
async fn browser_session() -> Result<tower_sessions::Session, AppError> {
    leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(|_| AppError::Internal("sessions are not available".into()))
}

/// A local path to go to after signing in: `next` if it is one of ours, else the home page
/// (never another site: `//evil.example` and `/\evil.example` are refused).
pub fn local_path(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\');
    if ok {
        next.to_string()
    } else {
        "/".to_string()
    }
}

/// Signs in and goes to `next` (a local path).
#[server(endpoint = "account/sign-in", output = JsonAnswer)]
pub async fn sign_in(email: String, password: String, next: String) -> Result<(), AppError> {
    let ctx = ssr::ctx()?;
    let address = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<accounts::ClientAddress>().cloned())
        .map_or_else(|| "unknown".to_string(), |a| a.0);
    let session = browser_session().await?;
    ssr::answer(accounts::sign_in_browser(&ctx, &session, &email, &password, &address).await)?;
    leptos_axum::redirect(&local_path(&next));
    Ok(())
}

/// Signs out (the session ends on the server too).
#[server(endpoint = "account/sign-out", output = JsonAnswer)]
pub async fn sign_out() -> Result<(), AppError> {
    ssr::answer(utmforge_service::session::end(&browser_session().await?).await)?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// Whether the first owner still has to be created.
#[server(endpoint = "account/setup-open", output = JsonAnswer)]
pub async fn setup_open() -> Result<Answer, AppError> {
    ssr::json::<bool>(accounts::setup_open(&ssr::ctx()?).await)
}

/// Creates the first owner with the setup link's token, and signs them in.
#[server(endpoint = "account/setup", output = JsonAnswer)]
pub async fn set_up(token: String, account: SignUp) -> Result<(), AppError> {
    let session = browser_session().await?;
    ssr::answer(accounts::setup_browser(&ssr::ctx()?, &session, &token, account).await)?;
    leptos_axum::redirect("/campaigns");
    Ok(())
}

/// The role an invitation link grants (404 when it no longer works).
#[server(endpoint = "account/invitation", output = JsonAnswer)]
pub async fn invitation_role(token: String) -> Result<Answer, AppError> {
    ssr::json::<Role>(accounts::invitation_role(&ssr::ctx()?, &token).await)
}

/// Creates the invited person's account, and signs them in.
#[server(endpoint = "account/accept", output = JsonAnswer)]
pub async fn accept_invitation(token: String, account: SignUp) -> Result<(), AppError> {
    let session = browser_session().await?;
    ssr::answer(
        accounts::accept_invitation_browser(&ssr::ctx()?, &session, &token, account).await,
    )?;
    leptos_axum::redirect("/campaigns");
    Ok(())
}

/// Everyone, open invitations, and every token (admins).
#[server(output = JsonAnswer)]
pub async fn list_people() -> Result<Answer, AppError> {
    ssr::json::<utmforge_core::account::People>(accounts::people(&ssr::ctx()?).await)
}

#[server(output = JsonAnswer)]
pub async fn invite(role: Role) -> Result<NewInvitation, AppError> {
    ssr::answer(accounts::invite(&ssr::ctx()?, role).await)
}

#[server(output = JsonAnswer)]
pub async fn withdraw_invitation(id: String) -> Result<(), AppError> {
    ssr::answer(accounts::withdraw_invitation(&ssr::ctx()?, &id).await)
}

/// Changes someone's role (`role` given) or whether they may sign in (`disabled` given).
#[server(output = JsonAnswer)]
pub async fn update_person(
    id: String,
    role: Option<Role>,
    disabled: Option<bool>,
) -> Result<User, AppError> {
    ssr::answer(accounts::update_user(&ssr::ctx()?, &id, role, disabled).await)
}

#[server(output = JsonAnswer)]
pub async fn list_my_tokens() -> Result<Answer, AppError> {
    ssr::json::<Vec<ApiToken>>(accounts::list_tokens(&ssr::ctx()?, None, false).await)
}

#[server(output = JsonAnswer)]
pub async fn create_token(name: String, role: Role) -> Result<NewApiToken, AppError> {
    ssr::answer(accounts::create_token(&ssr::ctx()?, None, &name, Some(role)).await)
}

#[server(output = JsonAnswer)]
pub async fn revoke_token(id: String) -> Result<ApiToken, AppError> {
    ssr::answer(accounts::revoke_token(&ssr::ctx()?, &id).await)
}
