//! Server functions for the audit and link checks.

#[cfg(feature = "ssr")]
use crate::render::link_report::ReportView;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use utmforge_core::linkcheck::LinkStatus;
use utmforge_core::linkcheck::{RunState, Verdict};

#[cfg(feature = "ssr")]
use crate::api::ssr;
use crate::api::{Answer, AppError, JsonAnswer};

use leptos::prelude::*;
use utmforge_core::LintReport;
#[cfg(feature = "ssr")]
use utmforge_service::{checks, documents};

/// Lint reports for pasted URLs, one per non-empty line.
#[server(output = JsonAnswer)]
pub async fn audit_urls(text: String) -> Result<Vec<LintReport>, AppError> {
    ssr::answer(documents::audit_text(&ssr::ctx()?, &text).await)
}

/// Starts checking every creative's link of a campaign (the page polls [`poll_check`]).
#[server(output = JsonAnswer)]
pub async fn start_campaign_check(campaign_id: String) -> Result<Progress, AppError> {
    let ctx = ssr::ctx()?;
    let run = ssr::answer(checks::start_campaign_check(&ctx, &campaign_id).await)?;
    progress(&ctx, run).await
}

/// Starts following pasted URLs, one per non-empty line (the Audit page).
#[server(output = JsonAnswer)]
pub async fn start_url_check(text: String) -> Result<Progress, AppError> {
    let ctx = ssr::ctx()?;
    let run = ssr::answer(checks::start_text_check(&ctx, &text).await)?;
    progress(&ctx, run).await
}

/// A check as it stands, with its results from the `from`-th to arrive on, as HTML.
#[server(output = JsonAnswer)]
pub async fn poll_check(id: String, from: i64) -> Result<Progress, AppError> {
    let ctx = ssr::ctx()?;
    let run = ssr::answer(checks::check_run(&ctx, &id, from).await)?;
    progress(&ctx, run).await
}

/// A run for the page: its new results rendered, with the creatives' stored statuses (for
/// "broken since").
#[cfg(feature = "ssr")]
async fn progress(
    ctx: &utmforge_service::Ctx,
    run: utmforge_core::linkcheck::CheckRun,
) -> Result<Progress, AppError> {
    let statuses = match (&run.campaign_id, run.results.is_empty()) {
        (Some(campaign), false) => ssr::answer(checks::campaign_statuses(ctx, campaign).await)?,
        _ => Vec::new(),
    };
    Ok(Progress::of(run, &statuses))
}

/// Each checked creative's latest link status in a campaign.
#[server(output = JsonAnswer)]
pub async fn get_link_statuses(id: String) -> Result<Answer, AppError> {
    ssr::json::<Vec<utmforge_core::linkcheck::LinkStatus>>(
        checks::campaign_statuses(&ssr::ctx()?, &id).await,
    )
}

/// A check as a page shows it: where it is, and the results since the last poll, each with its
/// HTML rendered by the server.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Progress {
    pub id: String,
    pub state: RunState,
    pub total: i64,
    pub done: i64,
    pub results: Vec<ResultHtml>,
}

/// One result of a [`Progress`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResultHtml {
    pub position: i64,
    pub creative_id: Option<String>,
    pub url: String,
    pub verdict: Verdict,
    pub html: String,
}

#[cfg(feature = "ssr")]
impl Progress {
    /// `run` for a page: each result rendered as [`ReportView`]; for a creative, with "broken
    /// since" from its stored status (`statuses`, read after the result was stored).
    pub fn of(run: utmforge_core::linkcheck::CheckRun, statuses: &[LinkStatus]) -> Progress {
        let results = run
            .results
            .into_iter()
            .map(|r| {
                let broken_since = statuses
                    .iter()
                    .find(|s| Some(&s.creative_id) == r.creative_id.as_ref())
                    .and_then(|s| s.broken_since);
                ResultHtml {
                    position: r.position,
                    creative_id: r.creative_id,
                    url: r.report.url.clone(),
                    verdict: r.report.verdict,
                    html: view! { <ReportView report=r.report checked_at=Some(r.checked_at) broken_since /> }
                        .to_html(),
                }
            })
            .collect();
        Progress {
            id: run.id,
            state: run.state,
            total: run.total,
            done: run.done,
            results,
        }
    }
}
