//! Server functions for the activity log.

#[cfg(feature = "ssr")]
use crate::api::ssr;
use crate::api::{Answer, AppError, JsonAnswer};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use utmforge_core::activity::Entry;
#[cfg(feature = "ssr")]
use utmforge_service::activity;

/// Activity entries, newest first: one campaign's (everyone) or all (admins); `before_id`
/// pages back.
#[server(output = JsonAnswer)]
pub async fn list_activity(
    campaign_id: Option<String>,
    before_id: Option<i64>,
) -> Result<Answer, AppError> {
    let query = activity::Query {
        campaign_id,
        before_id,
        ..Default::default()
    };
    ssr::json::<Vec<Entry>>(activity::list(&ssr::ctx()?, query).await)
}
