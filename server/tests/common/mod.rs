//! What the server tests share: one runtime for the whole process, as the server has, and a
//! temporary database per test — a SQLite file, or with `UTMFORGE_TEST_BACKEND=postgres` a
//! PostgreSQL schema of its own (scripts/test.sh runs the REST, server-function and account
//! tests both ways).
#![allow(dead_code)]

use utmforge_testkit::db as support;

pub mod ads_api;
pub mod openai;
pub mod site;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The server's clock in these tests: 2026-11-26.
pub const TODAY_MS: i64 = 1_795_651_200_000;

/// Runs a test on the one runtime of this test process. Leptos keeps process-wide state (its
/// task spawner, the server-function registry); with a runtime per test, a page rendered while
/// another test's runtime shut down could wait forever on a task spawned there (a hang, about
/// one run in three). One runtime that lives as long as the process, as in the server, and the
/// tests can run side by side.
pub fn run<F: Future>(test: F) -> F::Output {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    let runtime = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime")
    });
    runtime.block_on(async {
        tokio::time::timeout(std::time::Duration::from_secs(120), test)
            .await
            .expect("the test finished within 120 s")
    })
}

/// A folder under the system's temporary directory, removed when dropped, and the test's
/// database.
pub struct TempDir(pub PathBuf, OnceLock<String>);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("utmforge-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        TempDir(dir, OnceLock::new())
    }

    /// The test's database (the same every time it is asked): a SQLite file in the folder, or
    /// with `UTMFORGE_TEST_BACKEND=postgres` a new schema in `UTMFORGE_TEST_POSTGRES_URL`.
    pub fn database_url(&self) -> String {
        self.1
            .get_or_init(|| {
                if std::env::var("UTMFORGE_TEST_BACKEND").as_deref() != Ok("postgres") {
                    return format!("sqlite://{}/utmforge.db", self.0.display());
                }
                let name = self.0.file_name().unwrap().to_string_lossy().into_owned();
                // Its own thread and runtime: this may be called from within a test's runtime.
                std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    runtime
                        .block_on(support::TestDb::postgres(&name))
                        .expect("UTMFORGE_TEST_BACKEND=postgres needs UTMFORGE_TEST_POSTGRES_URL")
                        .url()
                        .to_string()
                })
                .join()
                .unwrap()
            })
            .clone()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The whole application over a fresh database in `dir` with the clock at [`TODAY_MS`], and
/// the context its use cases get (the command line's, to set up people in tests).
pub async fn bare_app(dir: &TempDir) -> (axum::Router, utmforge_service::Ctx) {
    let store = utmforge_store::Store::open(&dir.database_url())
        .await
        .unwrap();
    bare_app_with(store, utmforge_service::Clock::Fixed(TODAY_MS))
}

/// The application over `store` with `clock`, as [`bare_app`].
pub fn bare_app_with(
    store: utmforge_store::Store,
    clock: utmforge_service::Clock,
) -> (axum::Router, utmforge_service::Ctx) {
    bare_app_with_ads(store, clock, None)
}

/// The Advertiser API client of the tests: `api`'s address on loopback, no pacing (the double
/// counts the calls instead), short waits between tries.
pub fn ads_client(base: &str, key: &str) -> utmforge_service::ads_api::AdsClient {
    utmforge_service::ads_api::AdsClient::new(base, key.to_string(), true)
        .expect("an Advertiser API client")
        .with_pace(std::time::Duration::ZERO)
        .with_retry(utmforge_service::capi::RetryPolicy {
            attempts: 4,
            first_wait: std::time::Duration::from_millis(50),
            max_wait: std::time::Duration::from_secs(3),
        })
}

/// The application over `store` with `clock`, connected to the Advertiser API `ads`.
pub fn bare_app_with_ads(
    store: utmforge_store::Store,
    clock: utmforge_service::Clock,
    ads: Option<utmforge_service::ads_api::AdsClient>,
) -> (axum::Router, utmforge_service::Ctx) {
    let options =
        server::web::leptos_options(Path::new("target/site"), "127.0.0.1:3000".parse().unwrap());
    // As `serve` does: every server test runs with sign-ins kept in memory.
    store.keep_auth_in_memory();
    let ctx = utmforge_service::Ctx {
        // The tests' landing pages are on loopback.
        links: Some(utmforge_service::linkcheck::Checker::new(true).expect("link checker")),
        ads: ads.map(std::sync::Arc::new),
        ..utmforge_service::Ctx::new(store.with_clock(clock), utmforge_service::Actor::Anonymous)
    };
    let cli = ctx.with_actor(utmforge_service::Actor::Cli);
    (
        server::web::router(options, ctx, server::security::Site::default()),
        cli,
    )
}

/// A password every test account uses.
pub const PASSWORD: &str = "correct horse battery staple";

/// Adds an account with `role` and returns (its id, an API token with that role).
pub async fn person(cli: &utmforge_service::Ctx, email: &str, role: &str) -> (String, String) {
    use utmforge_service::accounts;
    let role: utmforge_core::account::Role = role.parse().unwrap();
    let sign_up = utmforge_core::account::SignUp {
        email: email.into(),
        name: email.split('@').next().unwrap().into(),
        password: PASSWORD.into(),
    };
    let user = accounts::add_user(cli, sign_up, role).await.unwrap();
    let token = accounts::create_token(cli, Some(&user.id), "tests", Some(role))
        .await
        .unwrap();
    (user.id, token.secret)
}

/// The whole application over a fresh database in `dir`, with the clock at [`TODAY_MS`]; every
/// request without an `Authorization` header is sent as an owner (with an API token).
pub async fn app(dir: &TempDir) -> axum::Router {
    let store = utmforge_store::Store::open(&dir.database_url())
        .await
        .unwrap();
    owner_app(store).await
}

/// The application over `store`, every request sent as an owner (as [`app`]).
pub async fn owner_app(store: utmforge_store::Store) -> axum::Router {
    let (router, cli) = bare_app_with(store, utmforge_service::Clock::Fixed(TODAY_MS));
    let (_, token) = person(&cli, "owner@example.com", "owner").await;
    let bearer = axum::http::HeaderValue::from_str(&format!("Bearer {token}")).unwrap();
    router.layer(axum::middleware::map_request(
        move |mut request: axum::extract::Request| {
            let bearer = bearer.clone();
            async move {
                if !request
                    .headers()
                    .contains_key(axum::http::header::AUTHORIZATION)
                {
                    request
                        .headers_mut()
                        .insert(axum::http::header::AUTHORIZATION, bearer);
                }
                request
            }
        },
    ))
}
