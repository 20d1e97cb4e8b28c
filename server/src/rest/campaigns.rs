//! `/campaigns`: list, create, read, replace, change, delete; the campaign's export.

use super::{
    attachment, ApiQuery, ApiResult, Asker, Body, Change, ErrorBody, Replace, Resource,
    VersionQuery,
};
use axum::{
    body::Body as HttpBody,
    extract::Path,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde::Deserialize;
use utmforge_core::listing::{CampaignFilter, TrashFilter};
use utmforge_core::views::{CampaignList, CampaignPatch, TrashList};
use utmforge_core::{Campaign, CampaignDraft};
use utmforge_service::{campaigns, documents, trash as trashed, Ctx};

pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/campaigns", get(list).post(create))
        .route(
            "/campaigns/{id}",
            get(read).put(replace).patch(change).delete(delete),
        )
        .route("/campaigns/{id}/export.csv", get(export))
        .route("/campaigns/{id}/clone", post(clone))
        .route("/export.csv", get(export_all))
        .route("/trash", get(trash))
        .route("/trash/{id}/restore", post(restore))
}

/// A campaign: POST takes a draft, GET answers the campaign, PUT and PATCH are derived.
pub struct Campaigns;

impl Resource for Campaigns {
    const NAME: &'static str = "Campaign";
    type Repr = Campaign;
    type Draft = CampaignDraft;
    type Patch = CampaignPatch;
}

/// PUT's body (its schema is derived: see `body`).
pub type CampaignReplace = Replace<Campaigns>;
/// PATCH's body.
pub type CampaignChange = Change<Campaigns>;

/// (Documents the member `ListQuery` reads.)
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ProblemsQuery {
    /// `true`: only campaigns whose links have problems (a URL that cannot be built, warnings,
    /// a broken link check); each row's `problems` counts them.
    #[serde(default)]
    problems: bool,
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    #[serde(flatten)]
    filter: CampaignFilter,
    /// (Text: a flattened query string reads every value as text.)
    #[serde(default)]
    problems: Option<String>,
}

/// A page of campaigns (50 unless `limit` says otherwise): follow `next_cursor` (and
/// `prev_cursor`) with the same filters for the pages beside it.
#[utoipa::path(get, path = "/campaigns", tag = "campaigns", params(CampaignFilter, ProblemsQuery),
    responses((status = 200, body = CampaignList), (status = 422, description = "A filter, the order, the page size or the cursor is not one (named by `field`)", body = ErrorBody)))]
async fn list(
    Asker(ctx): Asker,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<CampaignList>> {
    let problems = match q.problems.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(
                utmforge_service::Error::invalid(vec![utmforge_core::Notice::new(
                    utmforge_core::Code::NotAllowed,
                    utmforge_core::Field::Body,
                    format!(
                        "problems “{}” is not true or false",
                        other.chars().take(20).collect::<String>()
                    ),
                )])
                .into(),
            )
        }
    };
    Ok(Json(campaigns::list(&ctx, &q.filter, problems).await?))
}

#[utoipa::path(post, path = "/campaigns", tag = "campaigns", request_body = CampaignDraft,
    responses((status = 201, body = Campaign), (status = 400, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create(
    Asker(ctx): Asker,
    Body(draft): Body<CampaignDraft>,
) -> ApiResult<(StatusCode, Json<Campaign>)> {
    Ok((
        StatusCode::CREATED,
        Json(campaigns::create(&ctx, draft).await?),
    ))
}

#[utoipa::path(get, path = "/campaigns/{id}", tag = "campaigns",
    params(("id" = String, Path, description = "The campaign's id")),
    responses((status = 200, body = Campaign), (status = 404, body = ErrorBody)))]
async fn read(Asker(ctx): Asker, Path(id): Path<String>) -> ApiResult<Json<Campaign>> {
    Ok(Json(campaigns::get(&ctx, &id).await?))
}

/// Replaces the whole campaign: every field is required (use PATCH to change some).
#[utoipa::path(put, path = "/campaigns/{id}", tag = "campaigns",
    params(("id" = String, Path, description = "The campaign's id")),
    request_body = CampaignReplace,
    responses((status = 200, body = Campaign), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn replace(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    Body(Replace(r, _)): Body<Replace<Campaigns>>,
) -> ApiResult<Json<Campaign>> {
    Ok(Json(
        campaigns::update(&ctx, &id, r.version, r.body, r.confirm_live_change).await?,
    ))
}

/// Changes the fields given; the others keep their values.
#[utoipa::path(patch, path = "/campaigns/{id}", tag = "campaigns",
    params(("id" = String, Path, description = "The campaign's id")),
    request_body = CampaignChange,
    responses((status = 200, body = Campaign), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    Body(Change(c, _)): Body<Change<Campaigns>>,
) -> ApiResult<Json<Campaign>> {
    Ok(Json(
        campaigns::patch(&ctx, &id, c.version, c.body, c.confirm_live_change).await?,
    ))
}

/// Deletes the campaign and its creatives, if it is still at `version`.
#[utoipa::path(delete, path = "/campaigns/{id}", tag = "campaigns",
    params(("id" = String, Path, description = "The campaign's id"), VersionQuery),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn delete(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    ApiQuery(v): ApiQuery<VersionQuery>,
) -> ApiResult<StatusCode> {
    campaigns::delete(&ctx, &id, v.required()?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/campaigns/{id}/export.csv", tag = "export",
    params(("id" = String, Path, description = "The campaign's id")),
    responses((status = 200, description = "One row per creative, formula cells neutralized", content_type = "text/csv", body = String),
        (status = 404, body = ErrorBody)))]
async fn export(Asker(ctx): Asker, Path(id): Path<String>) -> ApiResult<Response> {
    Ok(attachment(documents::export_campaign(&ctx, &id).await?))
}

#[utoipa::path(get, path = "/export.csv", tag = "export",
    responses((status = 200, description = "Every campaign's creatives in one file, streamed (memory stays flat however many there are); the trash is not exported", content_type = "text/csv", body = String)))]
async fn export_all(Asker(ctx): Asker) -> ApiResult<Response> {
    let export = documents::export_all(&ctx).await?;
    let filename = export.filename.clone();
    let parts = futures_util::stream::try_unfold(export, |mut export| async move {
        match export.next_part().await {
            Ok(Some(bytes)) => Ok(Some((bytes, export))),
            Ok(None) => Ok(None),
            Err(e) => {
                tracing::warn!(error = %e, "the export stopped part way");
                Err(std::io::Error::other(e.to_string()))
            }
        }
    });
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        HttpBody::from_stream(parts),
    )
        .into_response())
}

/// A copy of a campaign: a new name (and utm_campaign), status draft, every creative copied
/// with its link computed for the copy.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloneBody {
    #[schema(min_length = 1, max_length = 120, pattern = "\\S")]
    name: String,
    /// `utm_campaign` of the copy; absent or empty: derived from the name.
    #[serde(default)]
    slug: Option<String>,
}

#[utoipa::path(post, path = "/campaigns/{id}/clone", tag = "campaigns",
    params(("id" = String, Path, description = "The campaign to copy")), request_body = CloneBody,
    responses((status = 201, description = "The copy (status draft)", body = Campaign), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "The slug is taken (`duplicate`)", body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn clone(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    Body(body): Body<CloneBody>,
) -> ApiResult<(StatusCode, Json<Campaign>)> {
    let slug = body.slug.unwrap_or_default();
    Ok((
        StatusCode::CREATED,
        Json(campaigns::clone(&ctx, &id, &body.name, &slug).await?),
    ))
}

/// A page of the trash (50 unless `limit` says otherwise): follow `next_cursor` for older ones.
#[utoipa::path(get, path = "/trash", tag = "campaigns", params(TrashFilter),
    responses((status = 200, description = "Deleted campaigns and creatives, most recently deleted first; each is purged 30 days after it was deleted", body = TrashList),
        (status = 422, description = "The page size or the cursor is not one (named by `field`)", body = ErrorBody)))]
async fn trash(
    Asker(ctx): Asker,
    ApiQuery(filter): ApiQuery<TrashFilter>,
) -> ApiResult<Json<TrashList>> {
    Ok(Json(trashed::list(&ctx, &filter).await?))
}

/// A restore: `new_slug` when the campaign's utm_campaign was taken meanwhile.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestoreBody {
    #[serde(default)]
    new_slug: Option<String>,
}

#[utoipa::path(post, path = "/trash/{id}/restore", tag = "campaigns",
    params(("id" = String, Path, description = "The id of the trashed campaign or creative")), request_body = RestoreBody,
    responses((status = 204, description = "Restored, with its creatives and URLs"), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Its utm_campaign (or variant) is taken now: give `new_slug`; or its campaign is gone", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn restore(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    Body(body): Body<RestoreBody>,
) -> ApiResult<StatusCode> {
    trashed::restore(&ctx, &id, body.new_slug.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}
