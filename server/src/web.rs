//! The axum application: pages rendered by Leptos, the static site files, `/healthz`,
//! compression and one log line per request.

use crate::rest::attachment;
use app::{shell, App};
use axum::{
    extract::{Path, Request},
    http::{header, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use leptos::prelude::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::time::Instant;
use tower_http::{
    compression::CompressionLayer, services::ServeDir, set_header::SetResponseHeaderLayer,
};
use utmforge_store::Store;

/// The name cargo-leptos gives the generated files under `/pkg` (`[[workspace.metadata.leptos]]
/// name` in the root Cargo.toml).
pub const OUTPUT_NAME: &str = "utmforge";

/// Leptos options for a site built by cargo-leptos into `site_root`.
pub fn leptos_options(site_root: &std::path::Path, addr: std::net::SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

/// The whole application, as served by `utmforge serve` and driven by the tests.
pub fn router(options: LeptosOptions, store: Store) -> Router {
    let routes = generate_route_list(App);
    let pkg_dir =
        std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());

    // cargo-leptos --precompress writes .br and .gz beside each file; serve those directly.
    // The names are not content-hashed, so browsers must revalidate (cheap: Last-Modified).
    let pkg = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        );

    let health_store = store.clone();
    Router::new()
        .route("/healthz", get(move || healthz(health_store.clone())))
        .nest("/api/v1", crate::rest::routes(store.clone()))
        .route("/ga4/channel-group.json", get(channel_group_download))
        .route(
            "/campaigns/{id}/ga4/{file}",
            get({
                let store = store.clone();
                move |path| campaign_ga4_download(store.clone(), path)
            }),
        )
        .leptos_routes_with_context(
            &options,
            routes,
            // Server functions and pages reach the store through the context.
            move || leptos::prelude::provide_context(store.clone()),
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .nest_service("/pkg", pkg)
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(options)
        // Compresses what is not already compressed (pages, server-function replies).
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(log_request))
}

/// The workspace's channel group, as `utmforge-channel-group.json`.
async fn channel_group_download() -> Response {
    let artifact = utmforge_core::ga4::channel_group_artifact();
    attachment(&artifact.filename, "application/json", artifact.json)
}

/// A campaign's `funnel.json` or `report.json`, named after its slug.
async fn campaign_ga4_download(store: Store, Path((id, file)): Path<(String, String)>) -> Response {
    let Some(kind) = file.strip_suffix(".json") else {
        return (StatusCode::NOT_FOUND, "no such GA4 document").into_response();
    };
    let campaign = match store.get_campaign(&id).await {
        Ok(c) => c,
        Err(utmforge_store::StoreError::NotFound) => {
            return (
                StatusCode::NOT_FOUND,
                "this campaign does not exist (any more)",
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "GA4 download: store call failed");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the database failed; try again",
            )
                .into_response();
        }
    };
    match utmforge_core::ga4::campaign_artifacts(&campaign.slug, campaign.conversion)
        .into_iter()
        .find(|a| a.kind == kind)
    {
        Some(a) => attachment(&a.filename, "application/json", a.json),
        None => (
            StatusCode::NOT_FOUND,
            "no such GA4 document: funnel.json or report.json",
        )
            .into_response(),
    }
}

/// 200 when the server and its database answer.
async fn healthz(store: Store) -> impl IntoResponse {
    match store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// One structured log line per request: method, path, status and time to the response head.
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        target: "utmforge::http",
        %method,
        %path,
        status = response.status().as_u16(),
        elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    response
}
