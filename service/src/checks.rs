//! Link checks as use cases: start a check of a campaign's creatives or of pasted URLs (it
//! runs in the background; the answer is the run, to poll), read a run's new results, read a
//! campaign's latest statuses, and the scheduled re-check of active campaigns. The fetching is
//! [`crate::linkcheck`]; the verdicts are core's.

use crate::linkcheck::{check_each, Checker};
use crate::{Ctx, Error, ErrorKind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use utmforge_core::account::Role;
use utmforge_core::linkcheck::{check_targets, CheckRun, LinkStatus, RunResult, RunState};
use utmforge_core::CampaignStatus;
use utmforge_store::NewRun;

/// Most runs moving at once on the whole installation; more is 429 `too-many-checks`.
pub const MAX_RUNNING: i64 = 20;
/// Runs (not the creatives' statuses) are forgotten after this long.
pub const KEEP_RUNS_MS: i64 = 7 * 24 * 3600 * 1000;

fn checker(ctx: &Ctx) -> Result<Checker, Error> {
    ctx.links.clone().ok_or_else(|| {
        Error::new(
            ErrorKind::Unavailable,
            "link-check-off",
            "this server does not check links",
        )
    })
}

/// A URL to check and the creative it belongs to.
struct Target {
    url: String,
    creative_id: Option<String>,
}

async fn start(
    ctx: &Ctx,
    campaign_id: Option<&str>,
    targets: Vec<Target>,
    started_by: &str,
) -> Result<CheckRun, Error> {
    let checker = checker(ctx)?;
    let now = ctx.now_ms();
    if ctx.store.running_check_runs(now).await? >= MAX_RUNNING {
        return Err(Error {
            retry_after: Some(30),
            ..Error::new(
                ErrorKind::TooManyRequests,
                "too-many-checks",
                format!("{MAX_RUNNING} link checks are running already; try again in a minute"),
            )
        });
    }
    let run = ctx
        .store
        .create_check_run(
            &NewRun {
                campaign_id,
                started_by,
                total: targets.len() as i64,
            },
            now,
            now - KEEP_RUNS_MS,
        )
        .await?;
    let (store, clock, run_id) = (ctx.store.clone(), ctx.clock().clone(), run.id.clone());
    let task = async move {
        let urls: Vec<String> = targets.iter().map(|t| t.url.clone()).collect();
        let mut seq = 0;
        // Once the run is gone (its campaign was deleted), the rest is not stored.
        let gone = Arc::new(AtomicBool::new(false));
        check_each(&checker, &urls, |i, report| {
            let result = RunResult {
                position: i as i64,
                seq,
                creative_id: targets[i].creative_id.clone(),
                checked_at: clock.now_ms(),
                report,
            };
            seq += 1;
            let (store, run_id, gone) = (store.clone(), run_id.clone(), gone.clone());
            async move {
                if gone.load(Ordering::Relaxed) {
                    return;
                }
                match store.record_check_result(&run_id, &result).await {
                    Ok(true) => {}
                    Ok(false) => gone.store(true, Ordering::Relaxed),
                    Err(e) => {
                        tracing::warn!(run = %run_id, error = %e, "a link check result was not stored")
                    }
                }
            }
        })
        .await;
        if let Err(e) = store.finish_check_run(&run_id, clock.now_ms()).await {
            tracing::warn!(run = %run_id, error = %e, "a link check could not be marked finished");
        }
    };
    tokio::spawn(task);
    Ok(run)
}

/// Starts checking every creative of a campaign (editors and above); when a check of it is
/// already running, answers that one instead of starting another.
pub async fn start_campaign_check(ctx: &Ctx, campaign_id: &str) -> Result<CheckRun, Error> {
    let author = ctx.require(Role::Editor)?;
    campaign_check(ctx, campaign_id, &author.name).await
}

async fn campaign_check(ctx: &Ctx, campaign_id: &str, started_by: &str) -> Result<CheckRun, Error> {
    let page = ctx.campaign_page(campaign_id, None).await?;
    let now = ctx.now_ms();
    if let Some(running) = ctx.store.running_campaign_check(campaign_id, now).await? {
        return check_run(ctx, &running, 0).await;
    }
    let targets = page
        .creatives
        .into_iter()
        .filter_map(|row| {
            row.url.map(|url| Target {
                url,
                creative_id: Some(row.creative.id),
            })
        })
        .collect();
    start(ctx, Some(campaign_id), targets, started_by).await
}

/// Starts checking pasted URLs (at most `MAX_CHECK_URLS`; editors and above: the server
/// fetches what they name).
pub async fn start_url_check(ctx: &Ctx, urls: Vec<String>) -> Result<CheckRun, Error> {
    let author = ctx.require(Role::Editor)?;
    check_targets(&urls).map_err(Error::invalid)?;
    let targets = urls
        .into_iter()
        .map(|u| Target {
            url: u.trim().to_owned(),
            creative_id: None,
        })
        .collect();
    start(ctx, None, targets, &author.name).await
}

/// Starts following pasted text's URLs, one per non-empty line (the Audit page).
pub async fn start_text_check(ctx: &Ctx, text: &str) -> Result<CheckRun, Error> {
    let urls: Vec<String> = crate::pasted_urls(text, utmforge_core::linkcheck::MAX_CHECK_URLS);
    start_url_check(ctx, urls).await
}

/// A run with its results from the `from`-th to arrive on (0: all of them).
pub async fn check_run(ctx: &Ctx, run_id: &str, from: i64) -> Result<CheckRun, Error> {
    ctx.require(Role::Viewer)?;
    if from < 0 {
        return Err(Error::invalid(vec![utmforge_core::Notice::new(
            utmforge_core::Code::NotAllowed,
            utmforge_core::Field::Body,
            format!("from is {from}: give 0 or the seq of the first result wanted"),
        )]));
    }
    ctx.store
        .check_run(run_id, from, ctx.now_ms())
        .await?
        .ok_or_else(|| Error::not_found("link check"))
}

/// Each checked creative's latest status in a campaign.
pub async fn campaign_statuses(ctx: &Ctx, campaign_id: &str) -> Result<Vec<LinkStatus>, Error> {
    ctx.require(Role::Viewer)?;
    ctx.store.get_campaign(campaign_id).await?;
    Ok(ctx.store.campaign_link_statuses(campaign_id).await?)
}

/// Checks every creative's link of a campaign (named by slug or id) and waits for the
/// results, in the campaign's order: what `utmforge check --campaign` prints. The statuses are
/// stored as the page's **Check links** stores them.
pub async fn check_campaign_now(
    ctx: &Ctx,
    campaign: &str,
) -> Result<Vec<utmforge_core::linkcheck::LinkReport>, Error> {
    let found = ctx.campaign_named(campaign).await?;
    let run = start_campaign_check(ctx, &found.id).await?;
    let mut run = wait_for(ctx, &run.id).await?;
    run.results.sort_by_key(|r| r.position);
    Ok(run.results.into_iter().map(|r| r.report).collect())
}

/// Follows `urls` now (nothing stored): what `utmforge check URL…` prints.
pub async fn check_urls_now(
    checker: &Checker,
    urls: &[String],
) -> Result<Vec<utmforge_core::linkcheck::LinkReport>, Error> {
    check_targets(urls).map_err(Error::invalid)?;
    Ok(crate::linkcheck::check_all(checker, urls).await)
}

/// Waits for a run to finish (the command line; a browser polls instead), answering it with
/// every result.
pub async fn wait_for(ctx: &Ctx, run_id: &str) -> Result<CheckRun, Error> {
    loop {
        let run = check_run(ctx, run_id, 0).await?;
        if run.state != RunState::Running {
            return Ok(run);
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// The scheduled re-check: if this instance (`holder`) takes the lease for the next `every`
/// milliseconds, checks every active campaign, one after the other, and answers how many; none
/// when another instance did it within `every`.
pub async fn recheck_active(
    ctx: &Ctx,
    holder: &str,
    every_ms: i64,
) -> Result<Option<usize>, Error> {
    ctx.require(Role::Owner)?;
    let now = ctx.now_ms();
    if !ctx
        .store
        .take_lease("link-check", holder, now, now + every_ms)
        .await?
    {
        return Ok(None);
    }
    let active = ctx
        .store
        .list_campaigns(Some(CampaignStatus::Active))
        .await?;
    let count = active.len();
    for summary in active {
        let id = summary.campaign.id;
        match campaign_check(ctx, &id, "scheduled check").await {
            Ok(run) => {
                wait_for(ctx, &run.id).await?;
            }
            Err(e) if e.kind == ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Some(count))
}
