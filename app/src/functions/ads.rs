//! Server functions for a campaign's ChatGPT Ads page: each one line onto a use case of
//! `utmforge_service::ads`.

#[cfg(feature = "ssr")]
use crate::api::ssr;
use crate::api::{Answer, AppError, JsonAnswer};
use leptos::prelude::*;
use std::collections::BTreeMap;
#[cfg(feature = "ssr")]
use utmforge_service::ads;

/// Whether this server is connected to ChatGPT Ads (the Settings page).
#[server(output = JsonAnswer)]
pub async fn get_ads_connection() -> Result<Answer, AppError> {
    ssr::json::<utmforge_core::ads::Connection>(ads::connection(&ssr::ctx()?).await)
}

/// The page's data; `ads_campaign`: the ChatGPT Ads campaign whose ad groups to offer.
#[server(output = JsonAnswer)]
pub async fn get_campaign_ads(
    id: String,
    ads_campaign: Option<String>,
) -> Result<Answer, AppError> {
    ssr::json::<utmforge_core::ads::AdsPage>(
        ads::page(
            &ssr::ctx()?,
            &id,
            ads_campaign.as_deref().filter(|c| !c.is_empty()),
        )
        .await,
    )
}

/// Links the campaign to a ChatGPT Ads campaign's ad group.
#[server(output = JsonAnswer)]
pub async fn link_ads_campaign(
    campaign_id: String,
    ads_campaign_id: String,
    ad_group_id: String,
) -> Result<(), AppError> {
    ssr::answer(
        ads::link_campaign(&ssr::ctx()?, &campaign_id, &ads_campaign_id, &ad_group_id).await,
    )
    .map(drop)
}

/// Form fields `ad[creative-CREATIVE_ID]=AD_ID` (empty: no ad). The prefix keeps the form
/// decoder from reading an id that starts with digits as a list index.
#[server(output = JsonAnswer)]
pub async fn link_creative_ads(
    campaign_id: String,
    #[server(default)] ad: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let pairs: Vec<(String, String)> = ad
        .into_iter()
        .map(|(k, v)| (k.strip_prefix("creative-").unwrap_or(&k).to_string(), v))
        .collect();
    ssr::answer(ads::link_ads(&ssr::ctx()?, &campaign_id, &pairs).await).map(drop)
}

/// Creates a paused ad for an unlinked creative (title, body, image address).
#[server(output = JsonAnswer)]
pub async fn create_creative_ad(
    campaign_id: String,
    creative_id: String,
    title: String,
    body: String,
    image_url: String,
) -> Result<(), AppError> {
    ssr::answer(
        ads::create_ad(
            &ssr::ctx()?,
            &campaign_id,
            &creative_id,
            &title,
            &body,
            &image_url,
        )
        .await,
    )
    .map(drop)
}

/// Gives every drifted ad its creative's URL.
#[server(output = JsonAnswer)]
pub async fn publish_ads(campaign_id: String) -> Result<(), AppError> {
    ssr::answer(ads::publish(&ssr::ctx()?, &campaign_id, false).await).map(drop)
}

/// Reads the campaign's ads from OpenAI now.
#[server(output = JsonAnswer)]
pub async fn sync_ads(campaign_id: String) -> Result<(), AppError> {
    ssr::answer(ads::sync_campaign(&ssr::ctx()?, &campaign_id).await).map(drop)
}
