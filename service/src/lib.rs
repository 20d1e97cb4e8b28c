//! utmforge's use cases, one function each: load, check, validate through core, write through
//! the store, and answer one [`Error`] that knows its HTTP status. The server functions behind
//! the pages, the REST API, the download routes and the CLI are thin doors onto these
//! functions, so the same input gets the same answer whichever door it came through.
//!
//! Every use case takes a [`Ctx`] (the store, who is asking, the clock), so that permission
//! checks and activity entries land here without changing a door.

pub mod accounts;
pub mod activity;
pub mod ads;
pub mod ads_api;
pub mod ads_results;
pub mod campaigns;
pub mod capi;
pub mod checks;
pub mod context;
pub mod creatives;
pub mod documents;
pub mod error;
pub mod import;
pub mod linkcheck;
pub mod links;
pub mod measure;
pub mod session;
pub mod settings;
pub mod trash;

pub use context::{Actor, Ctx, Signed};
pub use error::{Error, ErrorKind};
pub use utmforge_core::time::Clock;

/// Most bytes of an imported sheet (the REST body limit for CSV and the pages' import).
pub const MAX_SHEET_BYTES: usize = 10 << 20;

/// The URLs of pasted text: one per non-empty line, trimmed, at most `most` + 1 of them (one
/// more than allowed, so that the limit's check sees the list is too long without reading it
/// all).
pub fn pasted_urls(text: &str, most: usize) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(most + 1)
        .map(String::from)
        .collect()
}

/// Runs CPU-heavy work (lint of thousands of URLs, import planning, exports) on the blocking
/// pool, at most one job per core at a time, so that the async workers keep answering
/// `/healthz` and other people's pages while it runs.
pub async fn heavy<T, F>(work: F) -> Result<T, Error>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    let permits = PERMITS.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    });
    let _permit = permits
        .acquire()
        .await
        .map_err(|_| Error::internal("the server is shutting down"))?;
    tokio::task::spawn_blocking(work).await.map_err(|e| {
        tracing::error!(error = %e, "a background job failed");
        Error::internal("the server could not finish this work; try again")
    })
}
