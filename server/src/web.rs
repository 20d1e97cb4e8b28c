//! The axum application: pages rendered by Leptos, the static site files, `/healthz` and
//! `/readyz`, sessions in the database, compression and one log line per request.

use crate::security::{self, Site};
use app::{shell, App};
use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use leptos::prelude::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::time::{Duration, Instant};
use tower_http::{
    compression::CompressionLayer,
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
    timeout::{RequestBodyTimeoutLayer, TimeoutLayer},
};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};
use utmforge_service::Ctx;
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

/// Longest a request may take, start to end of its answer's head.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// Longest a client may take to send a request body.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// Most requests worked on at once (`/healthz` does not count); more wait their turn.
pub const MAX_CONCURRENT_REQUESTS: usize = 256;
/// Largest body of a server-function call (form-encoded: the import's 10 MiB sheet with room
/// for its percent-escapes). Larger is a 413 before the server function runs.
pub const SERVER_FN_BODY_LIMIT: usize = 24 << 20;

/// How long an unused browser session lives (the service checks it too, with its clock).
const SESSION_IDLE: tower_sessions::cookie::time::Duration =
    tower_sessions::cookie::time::Duration::hours(12);

/// The whole application, as served by `utmforge serve` and driven by the tests.
pub fn router(options: LeptosOptions, ctx: Ctx, site: Site) -> Router {
    // Worked out once per process: generating the route list sets a process-wide flag that
    // suppresses resource loading, and a page rendering meanwhile (another router of the same
    // process, as in the tests) would wait forever (leptos-rs/leptos#4773).
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    let routes = ROUTES.get_or_init(|| generate_route_list(App)).clone();
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

    let ready_store = ctx.store.clone();
    let sessions = SessionManagerLayer::new(DbSessions(ctx.store.clone()))
        .with_name("utmforge_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(site.secure_cookies)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(SESSION_IDLE));
    let auth_state = (ctx.clone(), site.clone());
    let app = Router::new()
        .nest("/api/v1", crate::rest::routes(ctx.clone()))
        .leptos_routes_with_context(
            &options,
            routes,
            // Server functions and pages reach the use cases through the context.
            move || leptos::prelude::provide_context(ctx.clone()),
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .nest_service("/pkg", pkg)
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(options)
        .layer(middleware::from_fn(limit_server_fn_bodies))
        // Server functions read their body with axum's extractor: the same limit (the REST
        // API sets its own, smaller, inside).
        .layer(axum::extract::DefaultBodyLimit::max(SERVER_FN_BODY_LIMIT))
        .layer(middleware::from_fn(security::guard_error_param))
        .layer(middleware::from_fn_with_state(
            site.clone(),
            security::check_origin,
        ))
        .layer(middleware::from_fn(security::gate))
        .layer(middleware::from_fn_with_state(
            auth_state,
            security::authenticate,
        ))
        .layer(sessions)
        .layer(middleware::from_fn(one_of_many))
        .layer(RequestBodyTimeoutLayer::new(BODY_TIMEOUT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ));
    Router::new()
        // Outside the limits: the health checks answer even when the server is busy.
        .route("/healthz", get(healthz))
        .route("/readyz", get(move || readyz(ready_store.clone())))
        .merge(app)
        .layer(middleware::from_fn_with_state(
            site.clone(),
            security::security_headers,
        ))
        .layer(middleware::from_fn_with_state(site, security::check_host))
        // Compresses what is not already compressed (pages, server-function replies).
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(log_request))
}

/// Waits for one of [`MAX_CONCURRENT_REQUESTS`] slots: a flood of requests queues instead of
/// exhausting memory (the request timeout bounds the wait).
async fn one_of_many(request: Request, next: Next) -> Response {
    static SLOTS: tokio::sync::Semaphore =
        tokio::sync::Semaphore::const_new(MAX_CONCURRENT_REQUESTS);
    let Ok(_slot) = SLOTS.acquire().await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    next.run(request).await
}

/// Server functions (`/api/…` but not `/api/v1/…`) read their whole body: refuse one over
/// [`SERVER_FN_BODY_LIMIT`] with 413 and an error the page can show (axum's implicit limit
/// answered 500).
async fn limit_server_fn_bodies(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if !security::is_server_fn(path) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, SERVER_FN_BODY_LIMIT).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(_) => security::error_response(
            parts.uri.path(),
            utmforge_service::Error::new(
                utmforge_service::ErrorKind::TooLarge,
                "body-too-large",
                format!(
                    "this is over {} MiB: split it (an imported sheet may be up to {} MiB)",
                    SERVER_FN_BODY_LIMIT >> 20,
                    utmforge_service::MAX_SHEET_BYTES >> 20
                ),
            ),
        ),
    }
}

/// Browser sessions in the database (the store's `sessions` table), so that every instance
/// behind a load balancer knows every session. The record is stored as JSON.
#[derive(Debug, Clone)]
pub struct DbSessions(pub Store);

fn session_error(e: utmforge_store::StoreError) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn expires_ms(record: &Record) -> i64 {
    (record.expiry_date.unix_timestamp_nanos() / 1_000_000) as i64
}

fn encode(record: &Record) -> session_store::Result<String> {
    serde_json::to_string(record).map_err(|e| session_store::Error::Encode(e.to_string()))
}

/// The system clock: tower-sessions dates a record's expiry by it (a test's clock moves only
/// the service's own idle and absolute limits).
fn now_ms() -> i64 {
    utmforge_service::Clock::System.now_ms()
}

#[async_trait::async_trait]
impl SessionStore for DbSessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A new random id until one is free (a clash is astronomically unlikely).
        while !self
            .0
            .insert_session(&record.id.to_string(), &encode(record)?, expires_ms(record))
            .await
            .map_err(session_error)?
        {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.0
            .save_session(&record.id.to_string(), &encode(record)?, expires_ms(record))
            .await
            .map_err(session_error)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(data) = self
            .0
            .load_session(&id.to_string(), now_ms())
            .await
            .map_err(session_error)?
        else {
            return Ok(None);
        };
        serde_json::from_str(&data)
            .map(Some)
            .map_err(|e| session_store::Error::Decode(e.to_string()))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.0
            .delete_session(&id.to_string())
            .await
            .map_err(session_error)
    }
}

/// Deletes expired sessions, and purges what has been in the trash for 30 days, every ten
/// minutes (runs for the life of the server; a failure, such as the database being down, is
/// logged and the next round tries again; every instance may do it: both are idempotent).
pub async fn delete_expired_sessions(store: Store) {
    let ctx = utmforge_service::Ctx::new(store.clone(), utmforge_service::Actor::Cli);
    let mut every = tokio::time::interval(Duration::from_secs(600));
    loop {
        every.tick().await;
        if let Err(e) = store.delete_expired_sessions(now_ms()).await {
            tracing::warn!(error = %e, "could not delete expired sessions; trying again later");
        }
        match utmforge_service::trash::purge(&ctx).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(purged = n, "purged from the trash after 30 days"),
            Err(e) => tracing::warn!(error = %e, "could not purge the trash; trying again later"),
        }
    }
}

/// Starts the link history of creatives written before it was kept (once, in the background;
/// a failure is logged and the next start tries again).
pub async fn start_link_history(ctx: utmforge_service::Ctx) {
    let ctx = ctx.with_actor(utmforge_service::Actor::Cli);
    match utmforge_service::links::start_history(&ctx).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(creatives = n, "link history started for existing creatives"),
        Err(e) => {
            tracing::warn!(error = %e, "could not start the link history of existing creatives")
        }
    }
}

/// Runs `round` (given the context, this instance's lease holder name and the period in ms)
/// once per `every` on whichever instance takes its lease: every instance looks once a minute
/// (or once per `every` when shorter) whether a round is due. `what` names the work in the log;
/// a round answers how many campaigns it did (none: another instance holds the lease).
async fn scheduled<F, Fut>(
    ctx: utmforge_service::Ctx,
    every: Duration,
    what: &'static str,
    round: F,
) where
    F: Fn(utmforge_service::Ctx, String, i64) -> Fut,
    Fut: std::future::Future<Output = Result<Option<usize>, String>>,
{
    let ctx = ctx.with_actor(utmforge_service::Actor::Cli);
    let holder = format!("{}-{}", std::process::id(), now_ms());
    let every_ms = every.as_millis() as i64;
    let mut tick = tokio::time::interval(every.min(Duration::from_secs(60)));
    loop {
        tick.tick().await;
        match round(ctx.clone(), holder.clone(), every_ms).await {
            Ok(Some(n)) => tracing::info!(campaigns = n, "{what}: done"),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "{what}: failed; trying again later"),
        }
    }
}

/// With an Advertiser API key: reads every linked ad once per `every` (drift, review, serving
/// issues), under the `ads-sync` lease.
pub async fn sync_ads(ctx: utmforge_service::Ctx, every: Duration) {
    scheduled(
        ctx,
        every,
        "read the linked ChatGPT ads",
        |ctx, holder, ms| async move {
            utmforge_service::ads::sync_all(&ctx, &holder, ms)
                .await
                .map_err(|e| e.message)
        },
    )
    .await
}

/// With an Advertiser API key: pulls every linked campaign's results once per `every`, under
/// the `ads-insights` lease.
pub async fn pull_results(ctx: utmforge_service::Ctx, every: Duration) {
    scheduled(
        ctx,
        every,
        "pull ChatGPT ads results",
        |ctx, holder, ms| async move {
            utmforge_service::ads_results::pull_all(&ctx, &holder, ms)
                .await
                .map_err(|e| e.message)
        },
    )
    .await
}

/// `serve --link-check-every`: re-checks the links of every active campaign once per `every`,
/// under the link check's lease.
pub async fn recheck_links(ctx: utmforge_service::Ctx, every: Duration) {
    scheduled(
        ctx,
        every,
        "scheduled link check",
        |ctx, holder, ms| async move {
            utmforge_service::checks::recheck_active(&ctx, &holder, ms)
                .await
                .map_err(|e| e.to_string())
        },
    )
    .await
}

/// Liveness: 200 while the process answers HTTP. It does not touch the database (a database
/// outage must not make an orchestrator restart every instance); `/readyz` does.
async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: 200 when the database answers and has every migration this build needs; 503
/// with a JSON reason otherwise (a load balancer sends no traffic here meanwhile).
async fn readyz(store: Store) -> Response {
    let unready = |reason: String| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "5")],
            axum::Json(serde_json::json!({ "ready": false, "reason": reason })),
        )
            .into_response()
    };
    match store.pending_migrations().await {
        Ok(0) => axum::Json(serde_json::json!({
            "ready": true,
            "database": store.backend().name(),
        }))
        .into_response(),
        Ok(n) => unready(format!(
            "{n} database migration(s) pending: run `utmforge migrate` (or start an instance without --no-migrate)"
        )),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check: database unavailable");
            unready("the database cannot be reached".to_owned())
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
