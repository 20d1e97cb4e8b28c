//! ChatGPT Ads: the connection, the ad account's campaigns and ad groups, a campaign's link
//! and its creatives' ads, sync and publish. Viewers read (and preview a publish); editors link
//! and publish.

use super::{ApiQuery, ApiResult, Asker, Body, ErrorBody};
use app::functions::ads::read_new_ad;
use axum::http::header::CONTENT_TYPE;
use axum::{
    extract::{FromRequest, Path, Request},
    routing::{get, post, put},
    Json, Router,
};
use serde::Deserialize;
use utmforge_core::ads::insights::{CampaignResults, Pulled};
use utmforge_core::ads::{
    AdGroup, AdLink, AdRow, AdsCampaign, CampaignAds, CampaignLink, Connection, CreateAdBody,
    CreateAdForm, LinkAdsBody, LinkCampaignBody, PublishPlan, MAX_PAIRS,
};
use utmforge_core::{Code, Field, Notice};
use utmforge_service::{ads, ads_results, Ctx, Error, ErrorKind};

pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/ads/connection", get(connection))
        .route("/ads/campaigns", get(ads_campaigns))
        .route("/ads/campaigns/{id}/ad-groups", get(ad_groups))
        .route("/campaigns/{id}/ads", get(campaign_ads).put(link_ads))
        .route("/campaigns/{id}/ads/link", put(link_campaign))
        .route("/campaigns/{id}/ads/sync", post(sync))
        .route("/campaigns/{id}/ads/publish", post(publish))
        .route("/campaigns/{id}/ads/create", post(create))
        .route("/campaigns/{id}/ads/results", get(results))
        .route("/campaigns/{id}/ads/results/pull", post(pull))
        .route("/campaigns/{id}/ads/results.csv", get(results_csv))
}

#[utoipa::path(get, path = "/ads/connection", tag = "chatgpt ads",
    responses((status = 200, description = "`connected` with the ad account (name, id, currency, time zone, review), or why not: `not-configured` (no key on the server), `key-refused`, `unreachable`", body = Connection)))]
async fn connection(Asker(ctx): Asker) -> ApiResult<Json<Connection>> {
    Ok(Json(ads::connection(&ctx).await?))
}

#[utoipa::path(get, path = "/ads/campaigns", tag = "chatgpt ads",
    responses((status = 200, description = "The ad account's ChatGPT Ads campaigns (every page)", body = Vec<AdsCampaign>),
        (status = 503, description = "Not connected (`ads-not-connected`), the key refused (`ads-key-refused`) or the API unreachable (`ads-unreachable`)", body = ErrorBody)))]
async fn ads_campaigns(Asker(ctx): Asker) -> ApiResult<Json<Vec<AdsCampaign>>> {
    Ok(Json(ads::ads_campaigns(&ctx).await?))
}

#[utoipa::path(get, path = "/ads/campaigns/{id}/ad-groups", tag = "chatgpt ads",
    params(("id" = String, Path, description = "The ChatGPT Ads campaign's id")),
    responses((status = 200, description = "Its ad groups (every page)", body = Vec<AdGroup>),
        (status = 404, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn ad_groups(Asker(ctx): Asker, Path(id): Path<String>) -> ApiResult<Json<Vec<AdGroup>>> {
    Ok(Json(ads::ad_groups(&ctx, &id).await?))
}

#[utoipa::path(get, path = "/campaigns/{id}/ads", tag = "chatgpt ads",
    params(("id" = String, Path, description = "The campaign's id")),
    responses((status = 200, description = "The link, each creative's ad and state (in-sync, drifted, …) as last read, and the linked ad group's ads with proposed matches (`problem`: why they could not be read)", body = CampaignAds),
        (status = 404, body = ErrorBody)))]
async fn campaign_ads(Asker(ctx): Asker, Path(id): Path<String>) -> ApiResult<Json<CampaignAds>> {
    Ok(Json(ads::campaign_ads(&ctx, &id).await?))
}

#[utoipa::path(put, path = "/campaigns/{id}/ads/link", tag = "chatgpt ads",
    params(("id" = String, Path, description = "The campaign's id")), request_body = LinkCampaignBody,
    responses((status = 200, body = CampaignLink), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, description = "No such ChatGPT Ads campaign or ad group in this account (named by `field`)", body = ErrorBody),
        (status = 503, body = ErrorBody)))]
async fn link_campaign(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    Body(body): Body<LinkCampaignBody>,
) -> ApiResult<Json<CampaignLink>> {
    Ok(Json(
        ads::link_campaign(&ctx, &id, &body.ads_campaign_id, &body.ad_group_id).await?,
    ))
}

#[utoipa::path(put, path = "/campaigns/{id}/ads", tag = "chatgpt ads",
    params(("id" = String, Path, description = "The campaign's id")), request_body = LinkAdsBody,
    responses((status = 200, description = "Every ad link of the campaign, as read now", body = Vec<AdLink>),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 422, description = "A creative not of this campaign, an ad not of the linked ad group, an ad given twice, or no linked ad group", body = ErrorBody),
        (status = 503, body = ErrorBody)))]
async fn link_ads(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    Body(body): Body<LinkAdsBody>,
) -> ApiResult<Json<Vec<AdLink>>> {
    if body.links.len() > MAX_PAIRS {
        return Err(
            Error::too_many(Field::Body, format!("at most {MAX_PAIRS} links at once")).into(),
        );
    }
    let pairs: Vec<(String, String)> = body
        .links
        .into_iter()
        .map(|p| (p.creative_id, p.ad_id))
        .collect();
    Ok(Json(ads::link_ads(&ctx, &id, &pairs).await?))
}

#[utoipa::path(post, path = "/campaigns/{id}/ads/create", tag = "chatgpt ads",
    params(("id" = String, Path, description = "The campaign's id")),
    request_body(description = "JSON with the image's public address, or `multipart/form-data` with the image as the file `image`. An empty title or body takes the creative's headline or description.",
        content((CreateAdBody = "application/json"), (CreateAdForm = "multipart/form-data"))),
    responses((status = 201, description = "The new ad (paused, in review), linked to the creative; a retried create answers the same ad", body = AdLink),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "The creative already has an ad", body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody),
        (status = 422, description = "The title, body, image (address or file: JPEG, PNG or WebP, at least 640×640) or the creative's URL breaks a documented rule (named by `field`), or OpenAI refused", body = ErrorBody),
        (status = 503, body = ErrorBody)))]
async fn create(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    request: Request,
) -> ApiResult<(axum::http::StatusCode, Json<AdLink>)> {
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let new = if content_type.starts_with("multipart/form-data") {
        let boundary = multer::parse_boundary(&content_type).map_err(|e| {
            Error::new(
                ErrorKind::Malformed,
                "unreadable-body",
                format!("the form cannot be read: {e}"),
            )
        })?;
        let form = multer::Multipart::new(request.into_body().into_data_stream(), boundary);
        read_new_ad(form, false).await?.1
    } else {
        let Body(body) = Body::<CreateAdBody>::from_request(request, &()).await?;
        body.into()
    };
    Ok((
        axum::http::StatusCode::CREATED,
        Json(ads::create_ad(&ctx, &id, &new).await?),
    ))
}

#[utoipa::path(post, path = "/campaigns/{id}/ads/sync", tag = "chatgpt ads",
    params(("id" = String, Path, description = "The campaign's id")),
    responses((status = 200, description = "Each creative with its ad as read now", body = Vec<AdRow>),
        (status = 404, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn sync(Asker(ctx): Asker, Path(id): Path<String>) -> ApiResult<Json<Vec<AdRow>>> {
    Ok(Json(ads::sync_campaign(&ctx, &id).await?))
}

/// `?dry_run=true`: list what would change.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PublishQuery {
    /// `true`: only list the ads whose URL differs (old → new); change nothing.
    #[param(value_type = Option<bool>)]
    dry_run: Option<String>,
}

#[utoipa::path(post, path = "/campaigns/{id}/ads/publish", tag = "chatgpt ads",
    params(("id" = String, Path, description = "The campaign's id"), PublishQuery),
    responses((status = 200, description = "Every linked ad whose target_url differed from its creative's URL, old → new, and (unless a dry run) OpenAI's answer for each; each update sends the ad to review again", body = PublishPlan),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn publish(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<PublishQuery>,
) -> ApiResult<Json<PublishPlan>> {
    let dry_run = match q.dry_run.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(Error::invalid(vec![Notice::new(
                Code::NotAllowed,
                Field::Body,
                format!(
                    "dry_run “{}” is not true or false",
                    other.chars().take(20).collect::<String>()
                ),
            )])
            .into())
        }
    };
    Ok(Json(ads::publish(&ctx, &id, dry_run).await?))
}

/// `?from=YYYY-MM-DD&to=YYYY-MM-DD` (the ad account's days; absent: the last 30 days).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ResultsQuery {
    /// The first day, `YYYY-MM-DD`.
    from: Option<String>,
    /// The last day, `YYYY-MM-DD` (inclusive).
    to: Option<String>,
}

#[utoipa::path(get, path = "/campaigns/{id}/ads/results", tag = "chatgpt ads",
    params(("id" = String, Path, description = "The campaign's id"), ResultsQuery),
    responses((status = 200, description = "Per creative: impressions, clicks, spend, conversions and attributed sales per day as last pulled from OpenAI, with totals and rates (CTR, CPC, CPA, ROAS); `null` is unknown, never zero. Money in millionths of the ad account's currency.", body = CampaignResults),
        (status = 404, body = ErrorBody), (status = 422, description = "A day is not YYYY-MM-DD, or from is after to (`field`: date)", body = ErrorBody)))]
async fn results(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ResultsQuery>,
) -> ApiResult<Json<CampaignResults>> {
    Ok(Json(
        ads_results::results(&ctx, &id, q.from.as_deref(), q.to.as_deref()).await?,
    ))
}

#[utoipa::path(post, path = "/campaigns/{id}/ads/results/pull", tag = "chatgpt ads",
    params(("id" = String, Path, description = "The campaign's id")),
    responses((status = 200, description = "Pulled now from OpenAI's Insights API: 90 days back the first time, then the last 2 days again (a day pulled again replaces the one kept)", body = Pulled),
        (status = 404, body = ErrorBody), (status = 422, description = "The campaign is not linked to a ChatGPT Ads ad group", body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn pull(Asker(ctx): Asker, Path(id): Path<String>) -> ApiResult<Json<Pulled>> {
    Ok(Json(ads_results::pull(&ctx, &id).await?))
}

#[utoipa::path(get, path = "/campaigns/{id}/ads/results.csv", tag = "chatgpt ads",
    params(("id" = String, Path, description = "The campaign's id"), ResultsQuery),
    responses((status = 200, description = "A row per creative and day: day, creative, ad_id, impressions, clicks, spend, conversions, attributed_sales (money in major units, six decimals), currency; an unknown number is an empty cell; formula cells neutralized", content_type = "text/csv", body = String),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn results_csv(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ResultsQuery>,
) -> ApiResult<axum::response::Response> {
    Ok(super::attachment(
        ads_results::export_csv(&ctx, &id, q.from.as_deref(), q.to.as_deref()).await?,
    ))
}
