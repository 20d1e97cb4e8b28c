//! The OpenAPI 3.1 document, and the request-body schemas it shows (what the handlers accept,
//! with required members and closed lists).

use super::{
    activity, ads, campaigns, checks, creatives, ga4, links, measure, settings, tagging, ErrorBody,
    ErrorDetail,
};
use axum::{routing::get, Json, Router};
use serde_json::{json, Value};
use utmforge_core::{Code, Field, Notice};
use utmforge_service::Ctx;
use utoipa::OpenApi;

pub fn router() -> Router<Ctx> {
    Router::new().route("/openapi.json", get(openapi))
}

#[derive(OpenApi)]
#[openapi(
    info(title = "utmforge API", version = "1", description = "Campaigns, creatives and their tagged URLs; stateless tagging and linting; GA4 documents; CSV exports. Errors are {\"error\": {\"code\", \"message\", \"field\"}}: 400 unreadable, 404 unknown, 409 duplicate or stale version, 413 a body over its size limit, 422 a broken rule, too many items included (every one in `all`). Authenticate with `Authorization: Bearer <API token>`: 401 without a valid one, 403 `forbidden` when its role may not do this (viewer: read, export, tag, lint; editor: also write, import and start link checks). A link check runs in the background: its start answers 202 with a Location to poll."),
    servers((url = "/api/v1")),
    paths(
        campaigns::list, campaigns::create, campaigns::read, campaigns::replace, campaigns::change,
        campaigns::delete, campaigns::export, campaigns::export_all,
        creatives::list, creatives::create, creatives::read, creatives::replace, creatives::change,
        creatives::delete, creatives::import_sheet, creatives::bulk,
        campaigns::clone, campaigns::trash, campaigns::restore,
        tagging::tag, tagging::lint,
        ga4::channel_group, ga4::funnel, ga4::report, ga4::cost_data,
        activity::list,
        checks::check_urls, checks::check_campaign, checks::campaign_statuses, checks::read,
        measure::tracking, measure::validate,
        settings::read, settings::replace,
        links::history, links::live_on, links::live_on_csv,
        ads::connection, ads::ads_campaigns, ads::ad_groups, ads::campaign_ads, ads::link_campaign,
        ads::link_ads, ads::sync, ads::publish, ads::create, ads::results, ads::pull, ads::results_csv,
    ),
    components(schemas(ErrorBody, ErrorDetail, Notice, Code, Field)),
    modifiers(&BearerAuth, &RequiredHaveNoDefault),
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

/// A required member has no default: the `""` a form type's `#[serde(default)]` gives its
/// required fields (a campaign's name, say) is not a value a client may rely on, so the
/// document does not show it.
struct RequiredHaveNoDefault;

impl utoipa::Modify for RequiredHaveNoDefault {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::Schema;
        use utoipa::openapi::RefOr;
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        for schema in components.schemas.values_mut() {
            let RefOr::T(Schema::Object(object)) = schema else {
                continue;
            };
            for name in object.required.clone() {
                match object.properties.get_mut(&name) {
                    Some(RefOr::T(Schema::Object(member))) => member.default = None,
                    Some(RefOr::T(Schema::OneOf(member))) => member.default = None,
                    _ => {}
                }
            }
        }
    }
}

async fn openapi() -> Json<Value> {
    Json(
        serde_json::to_value(ApiDoc::openapi())
            .unwrap_or_else(|e| json!({ "error": e.to_string() })),
    )
}
