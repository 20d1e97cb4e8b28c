//! Server functions for the trash.

#[cfg(feature = "ssr")]
use crate::api::ssr;
use crate::api::{Answer, AppError, JsonAnswer};
use leptos::prelude::*;

/// A page of what is in the trash (`cursor`: the next_cursor of the page before).
#[server(output = JsonAnswer)]
pub async fn get_trash(#[server(default)] cursor: String) -> Result<Answer, AppError> {
    let filter = utmforge_core::listing::TrashFilter {
        cursor: Some(cursor),
        limit: None,
    };
    ssr::json::<utmforge_core::views::TrashList>(
        utmforge_service::trash::list(&ssr::ctx()?, &filter).await,
    )
}

/// Restores a trashed campaign or creative (a campaign whose slug was taken: `new_slug`).
#[server(output = JsonAnswer)]
pub async fn restore_trashed(
    id: String,
    #[server(default)] new_slug: String,
) -> Result<(), AppError> {
    let slug = Some(new_slug.as_str()).filter(|s| !s.trim().is_empty());
    ssr::answer(utmforge_service::trash::restore(&ssr::ctx()?, &id, slug).await)?;
    leptos_axum::redirect("/trash");
    Ok(())
}
