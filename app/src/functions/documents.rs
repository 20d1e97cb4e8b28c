//! Server functions for GA4 documents and the Tracking page's snippets.

#[cfg(feature = "ssr")]
use crate::api::ssr;
use crate::api::{Answer, AppError, JsonAnswer};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use utmforge_core::views::CampaignGa4;
#[cfg(feature = "ssr")]
use utmforge_service::documents;

/// The GA4 setup page: the channel group and what the cost data download needs.
#[server(output = JsonAnswer)]
pub async fn get_ga4_setup() -> Result<Answer, AppError> {
    ssr::json::<utmforge_core::views::Ga4Setup>(documents::ga4_setup(&ssr::ctx()?).await)
}

/// The Tracking page's snippets for these settings; none before a pixel id is given.
#[server(output = JsonAnswer)]
pub async fn get_tracking(
    pixel_id: String,
    measurement_id: String,
    currency: String,
    debug: Option<bool>,
    consent: Option<bool>,
) -> Result<Answer, AppError> {
    let query = utmforge_core::views::TrackingQuery {
        pixel_id,
        measurement_id,
        currency,
        debug: debug.unwrap_or_default(),
        consent: consent.unwrap_or_default(),
    };
    ssr::json::<Option<utmforge_core::measure::TrackingKit>>(
        utmforge_service::measure::tracking_page(&ssr::ctx()?, &query).await,
    )
}

/// A campaign's funnel and report.
#[server(output = JsonAnswer)]
pub async fn get_campaign_ga4(id: String) -> Result<Answer, AppError> {
    ssr::json::<CampaignGa4>(documents::campaign_ga4(&ssr::ctx()?, &id).await)
}
