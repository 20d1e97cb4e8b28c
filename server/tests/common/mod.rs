//! What the server tests share: one runtime for the whole process, as the server has, and a
//! temporary database per test.
#![allow(dead_code)]

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

/// A folder under the system's temporary directory, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("utmforge-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        TempDir(dir)
    }

    pub fn database_url(&self) -> String {
        format!("sqlite://{}/utmforge.db", self.0.display())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The whole application over a fresh database in `dir`, with the clock at [`TODAY_MS`].
pub async fn app(dir: &TempDir) -> axum::Router {
    let store = utmforge_store::Store::open(&dir.database_url())
        .await
        .unwrap();
    let options =
        server::web::leptos_options(Path::new("target/site"), "127.0.0.1:3000".parse().unwrap());
    let ctx = utmforge_service::Ctx {
        clock: utmforge_service::Clock::Fixed(TODAY_MS),
        ..utmforge_service::Ctx::new(store, utmforge_service::Actor::Anonymous)
    };
    server::web::router(options, ctx)
}
