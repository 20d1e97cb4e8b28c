//! The OpenAPI 3.1 document, and the request-body schemas it shows (what the handlers accept,
//! with required members and closed lists).

use super::{
    activity, campaigns, checks, creatives, ga4, links, measure, settings, tagging, ErrorBody,
    ErrorDetail,
};
use axum::{routing::get, Json, Router};
use serde_json::{json, Value};
use utmforge_core::{BuyingModel, CampaignStatus, Code, ConversionEvent, Field, Notice};
use utmforge_service::Ctx;
use utoipa::{OpenApi, ToSchema};

pub fn router() -> Router<Ctx> {
    Router::new().route("/openapi.json", get(openapi))
}

/// A new campaign.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Spring Sale 2025", "buying_model": "cpc", "landing_url": "https://example.com/spring", "conversion": "order_created"}))]
#[allow(dead_code)]
pub struct NewCampaign {
    /// How the team calls it (at most 120 characters).
    #[schema(min_length = 1, max_length = 120, pattern = "\\S")]
    name: String,
    /// `utm_campaign`; empty or absent: derived from the name.
    slug: Option<String>,
    buying_model: BuyingModel,
    /// The default `utm_term` of its creatives.
    topic: Option<String>,
    #[schema(max_length = 2048)]
    landing_url: String,
    conversion: ConversionEvent,
    /// Absent: draft.
    status: Option<CampaignStatus>,
    #[schema(max_length = 2000)]
    notes: Option<String>,
}

/// Every field of a campaign, and the `version` it was read at. The representation GET
/// answers is accepted as it is: its read-only members are ignored, `"topic": null` is no topic.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct CampaignReplace {
    /// The version as read; a newer one on the server means 409.
    version: i64,
    /// Read-only (as GET answers it): ignored.
    #[schema(read_only)]
    id: Option<String>,
    /// Read-only: ignored.
    #[schema(read_only)]
    created_at: Option<i64>,
    /// Read-only: ignored.
    #[schema(read_only)]
    updated_at: Option<i64>,
    #[schema(min_length = 1, max_length = 120, pattern = "\\S")]
    name: String,
    /// Empty: derived from the name.
    slug: String,
    buying_model: BuyingModel,
    /// Empty or null: no default topic.
    #[schema(nullable = true, required = true)]
    topic: Option<String>,
    #[schema(max_length = 2048)]
    landing_url: String,
    conversion: ConversionEvent,
    status: CampaignStatus,
    #[schema(max_length = 2000)]
    notes: String,
    /// `true`: the campaign is active and ads carry its old links; save anyway (else a change
    /// that alters a live URL is 409 `live-link-change`, listing them).
    confirm_live_change: Option<bool>,
}

/// Some fields of a campaign, and the `version` it was read at.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct CampaignChange {
    version: i64,
    #[schema(min_length = 1, max_length = 120, pattern = "\\S")]
    name: Option<String>,
    slug: Option<String>,
    buying_model: Option<BuyingModel>,
    topic: Option<String>,
    landing_url: Option<String>,
    conversion: Option<ConversionEvent>,
    status: Option<CampaignStatus>,
    notes: Option<String>,
    /// `true`: the campaign is active and ads carry its old links; save anyway (else a change
    /// that alters a live URL is 409 `live-link-change`, listing them).
    confirm_live_change: Option<bool>,
}

/// A new creative.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"variant": "Headline V2"}))]
#[allow(dead_code)]
pub struct NewCreative {
    /// The variant name: becomes `utm_content`, unique in the campaign.
    #[schema(min_length = 1, pattern = "\\S")]
    variant: String,
    /// `utm_term` override; absent or empty: the campaign's topic.
    topic: Option<String>,
    /// Landing URL override; absent or empty: the campaign's.
    landing_url: Option<String>,
    #[schema(max_length = 200)]
    headline: Option<String>,
    #[schema(max_length = 2000)]
    notes: Option<String>,
}

/// Every field of a creative, and the `version` it was read at. The representation GET answers
/// is accepted as it is: its read-only members are ignored, `null` for `topic` or
/// `landing_url` is the campaign's.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct CreativeReplace {
    version: i64,
    #[schema(min_length = 1, pattern = "\\S")]
    variant: String,
    /// Empty or null: the campaign's.
    #[schema(nullable = true, required = true)]
    topic: Option<String>,
    /// Empty or null: the campaign's.
    #[schema(nullable = true, required = true)]
    landing_url: Option<String>,
    /// Read-only (as GET answers it): ignored.
    #[schema(read_only)]
    id: Option<String>,
    /// Read-only: ignored.
    #[schema(read_only)]
    campaign_id: Option<String>,
    /// Read-only (`utm_content`, derived from the variant): ignored.
    #[schema(read_only)]
    content: Option<String>,
    /// Read-only (the tagged URL): ignored.
    #[schema(read_only)]
    url: Option<String>,
    /// Read-only: ignored.
    #[schema(read_only, value_type = Option<Vec<Object>>)]
    warnings: Option<Vec<serde_json::Value>>,
    /// Read-only: ignored.
    #[schema(read_only)]
    error: Option<String>,
    /// Read-only: ignored.
    #[schema(read_only)]
    created_at: Option<i64>,
    /// Read-only: ignored.
    #[schema(read_only)]
    updated_at: Option<i64>,
    #[schema(max_length = 200)]
    headline: String,
    #[schema(max_length = 2000)]
    notes: String,
    /// `true`: the campaign is active and ads carry its old links; save anyway (else a change
    /// that alters a live URL is 409 `live-link-change`, listing them).
    confirm_live_change: Option<bool>,
}

/// Some fields of a creative, and the `version` it was read at.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct CreativeChange {
    version: i64,
    #[schema(min_length = 1, pattern = "\\S")]
    variant: Option<String>,
    topic: Option<String>,
    landing_url: Option<String>,
    headline: Option<String>,
    notes: Option<String>,
    /// `true`: the campaign is active and ads carry its old links; save anyway (else a change
    /// that alters a live URL is 409 `live-link-change`, listing them).
    confirm_live_change: Option<bool>,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "utmforge API", version = "1", description = "Campaigns, creatives and their tagged URLs; stateless tagging and linting; GA4 documents; CSV exports. Errors are {\"error\": {\"code\", \"message\", \"field\"}}: 400 unreadable, 404 unknown, 409 duplicate or stale version, 413 too large or too many, 422 a broken rule (every one in `all`). Authenticate with `Authorization: Bearer <API token>`: 401 without a valid one, 403 `forbidden` when its role may not do this (viewer: read, export, tag, lint; editor: also write, import and start link checks). A link check runs in the background: its start answers 202 with a Location to poll."),
    servers((url = "/api/v1")),
    paths(
        campaigns::list, campaigns::create, campaigns::read, campaigns::replace, campaigns::change,
        campaigns::delete, campaigns::export, campaigns::export_all,
        creatives::list, creatives::create, creatives::read, creatives::replace, creatives::change,
        creatives::delete, creatives::import_sheet, creatives::bulk,
        campaigns::clone, campaigns::trash, campaigns::restore,
        tagging::tag, tagging::lint,
        ga4::channel_group, ga4::funnel, ga4::report,
        activity::list,
        checks::check_urls, checks::check_campaign, checks::campaign_statuses, checks::read,
        measure::tracking, measure::validate,
        settings::read, settings::replace,
        links::history, links::live_on, links::live_on_csv,
    ),
    components(schemas(ErrorBody, ErrorDetail, Notice, Code, Field)),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

/// Every operation takes `Authorization: Bearer <API token>` (create one on the API tokens
/// page, or with `utmforge token create`); without it the answer is 401, with a role too low 403.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        use utoipa::openapi::{RefOr, ResponseBuilder};
        // Every operation answers 401 without a valid token and 403 when its role may not; one
        // with a body answers 415 to a body of another type.
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                let mut statuses = vec![
                    ("401", "No valid API token (`unauthenticated`)"),
                    ("403", "The token's role may not do this (`forbidden`)"),
                ];
                if operation.request_body.is_some() {
                    statuses.push((
                        "415",
                        "The body's Content-Type is not the one named here (`unsupported-media-type`)",
                    ));
                }
                for (status, description) in statuses {
                    operation
                        .responses
                        .responses
                        .entry(status.into())
                        .or_insert_with(|| {
                            RefOr::T(
                                ResponseBuilder::new()
                                    .description(description)
                                    .content(
                                        "application/json",
                                        utoipa::openapi::ContentBuilder::new()
                                            .schema(Some(utoipa::openapi::Ref::from_schema_name(
                                                "ErrorBody",
                                            )))
                                            .build(),
                                    )
                                    .build(),
                            )
                        });
                }
            }
        }
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token (utmf_…): the API tokens page, or `utmforge token create`",
                    ))
                    .build(),
            ),
        );
    }
}

async fn openapi() -> Json<Value> {
    Json(
        serde_json::to_value(ApiDoc::openapi())
            .unwrap_or_else(|e| json!({ "error": e.to_string() })),
    )
}
