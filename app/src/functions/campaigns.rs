//! Server functions for campaigns: the list, one campaign, create, update, delete, copy and
//! changes to several creatives. Each is one call to a use case.

#[cfg(feature = "ssr")]
use crate::api::ssr;
use crate::api::{Answer, AppError, JsonAnswer};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use utmforge_core::views::CampaignPage;
use utmforge_core::{Campaign, CampaignDraft};
#[cfg(feature = "ssr")]
use utmforge_service::{campaigns, creatives};

#[server(output = JsonAnswer)]
pub async fn list_campaigns(
    #[server(default)] filter: utmforge_core::listing::CampaignFilter,
    #[server(default)] problems: bool,
) -> Result<Answer, AppError> {
    ssr::json::<utmforge_core::views::CampaignList>(
        campaigns::list(&ssr::ctx()?, &filter, problems).await,
    )
}

#[server(output = JsonAnswer)]
pub async fn get_campaign(id: String) -> Result<Answer, AppError> {
    ssr::json::<Campaign>(campaigns::get(&ssr::ctx()?, &id).await)
}

#[server(output = JsonAnswer)]
pub async fn get_campaign_head(id: String) -> Result<Answer, AppError> {
    ssr::json::<CampaignPage>(campaigns::head(&ssr::ctx()?, &id).await)
}

/// A campaign and how many creatives it has.
#[server(output = JsonAnswer)]
pub async fn get_campaign_row(id: String) -> Result<Answer, AppError> {
    ssr::json::<utmforge_core::views::CampaignRow>(campaigns::row(&ssr::ctx()?, &id).await)
}

/// The campaign page with one page of the creatives a search finds (variant, topic, URL).
#[server(output = JsonAnswer)]
pub async fn search_campaign_page(
    id: String,
    q: String,
    #[server(default)] page: usize,
) -> Result<Answer, AppError> {
    let q = Some(q.as_str()).filter(|q| !q.trim().is_empty());
    ssr::json::<CampaignPage>(campaigns::page_showing(&ssr::ctx()?, &id, q, page).await)
}

/// Copies a campaign (form fields `id`, `name`, `slug`) and goes to the copy.
#[server(output = JsonAnswer)]
pub async fn clone_campaign(
    id: String,
    name: String,
    #[server(default)] slug: String,
) -> Result<Campaign, AppError> {
    let copy = ssr::answer(campaigns::clone(&ssr::ctx()?, &id, &name, &slug).await)?;
    leptos_axum::redirect(&format!("/campaigns/{}", copy.id));
    Ok(copy)
}

/// What a bulk change would do (nothing saved).
#[server(output = JsonAnswer)]
pub async fn preview_bulk(
    campaign_id: String,
    #[server(default)] change: utmforge_core::views::BulkChange,
) -> Result<Answer, AppError> {
    ssr::json::<utmforge_core::views::BulkPlan>(
        creatives::bulk(&ssr::ctx()?, &campaign_id, &change, None, false).await,
    )
}

/// Applies a previewed bulk change (at the preview's `version`) and goes back to the campaign.
#[server(output = JsonAnswer)]
pub async fn apply_bulk(
    campaign_id: String,
    version: i64,
    #[server(default)] change: utmforge_core::views::BulkChange,
    #[server(default)] confirm_live_change: Option<String>,
) -> Result<utmforge_core::views::BulkPlan, AppError> {
    let confirmed = confirm_live_change.is_some();
    let plan = ssr::answer(
        creatives::bulk(
            &ssr::ctx()?,
            &campaign_id,
            &change,
            Some(version),
            confirmed,
        )
        .await,
    )?;
    leptos_axum::redirect(&format!("/campaigns/{campaign_id}"));
    Ok(plan)
}

/// The `utm_campaign` a name (or an explicit slug) gives, for the live preview.
#[server(output = JsonAnswer)]
pub async fn preview_slug(name: String, slug: String) -> Result<Option<String>, AppError> {
    Ok(campaigns::preview_slug(&name, &slug))
}

/// Form fields `draft[name]`, `draft[slug]`, …
#[server(output = JsonAnswer)]
pub async fn create_campaign(draft: CampaignDraft) -> Result<Campaign, AppError> {
    let campaign = ssr::answer(campaigns::create(&ssr::ctx()?, draft).await)?;
    leptos_axum::redirect(&format!("/campaigns/{}", campaign.id));
    Ok(campaign)
}

#[server(output = JsonAnswer)]
pub async fn update_campaign(
    id: String,
    version: i64,
    draft: CampaignDraft,
    #[server(default)] confirm_live_change: Option<String>,
) -> Result<Campaign, AppError> {
    let confirmed = confirm_live_change.is_some();
    let campaign =
        ssr::answer(campaigns::update(&ssr::ctx()?, &id, version, draft, confirmed).await)?;
    leptos_axum::redirect(&format!("/campaigns/{id}"));
    Ok(campaign)
}

#[server(output = JsonAnswer)]
pub async fn delete_campaign(id: String, version: i64) -> Result<(), AppError> {
    ssr::answer(campaigns::delete(&ssr::ctx()?, &id, version).await)?;
    leptos_axum::redirect("/campaigns");
    Ok(())
}
