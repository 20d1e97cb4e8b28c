//! The link check on the pages: a report's status and its details (the redirect chain hop by
//! hop, what was lost or changed, what the landing page lacks), the campaign page's **Check
//! links** (each row's status changes as its result arrives) and the Audit page's **Follow
//! links**. The verdicts are core's; the checking runs on the server in the background and the
//! page polls it.

#[cfg(feature = "hydrate")]
use crate::api::{AppError, PollCheck, StartCampaignCheck};
use crate::format::timestamp;
use crate::pages::audit::{severity_class, severity_label};
use leptos::prelude::*;
#[cfg(feature = "hydrate")]
use leptos::server_fn::ServerFn;
use std::collections::HashMap;
#[cfg(feature = "hydrate")]
use utmforge_core::linkcheck::{CheckRun, RunResult};
use utmforge_core::linkcheck::{LinkReport, LinkStatus, RunState, Verdict};

/// How often a page asks for a running check's new results.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const POLL_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// What the campaign page's islands share: the results of the check started on this page, by
/// creative, and whether it is running. "Check links" writes it; each row reads it.
#[derive(Clone, Default)]
struct Live {
    results: HashMap<String, LinkStatus>,
    running: bool,
}

thread_local! {
    static LIVE: ArcRwSignal<Live> = ArcRwSignal::new(Live::default());
}

fn live() -> ArcRwSignal<Live> {
    LIVE.with(Clone::clone)
}

pub fn verdict_label(v: Verdict) -> &'static str {
    match v {
        Verdict::Ok => "ok",
        Verdict::Warning => "warning",
        Verdict::Broken => "broken",
    }
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Ok => "badge badge-active",
        Verdict::Warning => "badge badge-paused",
        Verdict::Broken => "badge badge-error",
    }
}

/// Counts of ok / warning / broken, as a sentence.
fn tally<'a>(reports: impl Iterator<Item = &'a LinkReport>) -> String {
    let (mut ok, mut warning, mut broken) = (0, 0, 0);
    for r in reports {
        match r.verdict {
            Verdict::Ok => ok += 1,
            Verdict::Warning => warning += 1,
            Verdict::Broken => broken += 1,
        }
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{} ok, {}, {} broken",
        ok,
        plural(warning, "warning", "warnings"),
        broken
    )
}

/// A report: its status with the first problem beside it, and the details one click away.
#[component]
pub fn ReportView(
    report: LinkReport,
    checked_at: Option<i64>,
    broken_since: Option<i64>,
) -> impl IntoView {
    let headline = report
        .headline()
        .map(|f| f.message.clone())
        .unwrap_or_else(|| "The UTMs arrive and the page carries GA4 and the pixel.".into());
    let page = report.page.clone();
    view! {
        <div class="link-report" data-testid="link-status" data-verdict=verdict_label(report.verdict)>
            <p class="link-headline">
                <span class=verdict_class(report.verdict)>{verdict_label(report.verdict)}</span>
                " " {headline}
            </p>
            <p class="muted link-when">
                {checked_at.map(|t| format!("Checked {}", timestamp(t)))}
                {broken_since.map(|t| view! { " · " <strong>{format!("broken since {}", timestamp(t))}</strong> })}
            </p>
            <details class="link-details">
                <summary>"Details"</summary>
                <ol class="hops" aria-label="Redirect chain">
                    {report.hops.iter().map(|h| view! {
                        <li>
                            <code>{h.status}</code> " " <span class="url">{h.url.clone()}</span>
                            {h.location.clone().map(|l| view! { <span class="muted">" → " {l}</span> })}
                        </li>
                    }).collect_view()}
                </ol>
                {(!report.findings.is_empty()).then(|| view! {
                    <ul class="findings">
                        {report.findings.iter().map(|f| view! {
                            <li>
                                <span class=format!("badge badge-{}", severity_class(f.severity))>{severity_label(f.severity)}</span>
                                " " <code>{f.code.as_str()}</code> " " {f.message.clone()}
                            </li>
                        }).collect_view()}
                    </ul>
                })}
                {page.map(|p| view! {
                    <dl class="page-facts">
                        <div><dt>"GA4"</dt><dd>{if p.ga4_ids.is_empty() && p.gtm_ids.is_empty() { "none".to_string() } else { [p.ga4_ids.clone(), p.gtm_ids.clone()].concat().join(", ") }}</dd></div>
                        <div><dt>"Ads pixel"</dt><dd>{match (p.pixel_ids.is_empty(), p.pixel_in_head) {
                            (true, _) => "none".to_string(),
                            (false, Some(false)) => format!("{} (in <body>)", p.pixel_ids.join(", ")),
                            (false, _) => format!("{} (in <head>)", p.pixel_ids.join(", ")),
                        }}</dd></div>
                        <div><dt>"page_viewed"</dt><dd>{if p.page_viewed { "measured" } else { "not measured" }}</dd></div>
                    </dl>
                })}
            </details>
        </div>
    }
}

/// A creative's link status in its row: the stored one, or this page's check's result once it
/// arrives ("Checking…" until then).
#[island(lazy)]
pub fn CreativeLinkStatus(creative_id: String, stored: Option<LinkStatus>) -> impl IntoView {
    let live = live();
    move || {
        let now = live.read();
        let fresh = now.results.get(&creative_id).cloned().map(|mut s| {
            // Broken again: broken since the stored check said so, else since now.
            if s.report.verdict == Verdict::Broken {
                s.broken_since = stored
                    .as_ref()
                    .and_then(|old| old.broken_since)
                    .or(Some(s.checked_at));
            }
            s
        });
        match (fresh, now.running, stored.clone()) {
            (Some(s), _, _) | (None, false, Some(s)) => view! {
                <ReportView report=s.report checked_at=Some(s.checked_at) broken_since=s.broken_since />
            }
            .into_any(),
            (None, true, _) => view! { <p class="muted" data-testid="link-status" data-verdict="checking">"Checking the link…"</p> }.into_any(),
            (None, false, None) => view! { <p class="muted" data-testid="link-status" data-verdict="unchecked">"Link not checked yet."</p> }.into_any(),
        }
    }
}

/// Polls run `id` every [`POLL_EVERY`] from result `from` on, handing each answer to `got`
/// until the run stops; a refusal goes to `failed`.
#[cfg(feature = "hydrate")]
fn poll(
    id: String,
    from: i64,
    got: std::rc::Rc<dyn Fn(CheckRun)>,
    failed: std::rc::Rc<dyn Fn(AppError)>,
) {
    set_timeout(
        move || {
            leptos::task::spawn_local(async move {
                let from_text = from.to_string();
                let answer = crate::api::browser::call(
                    PollCheck::url(),
                    &[("id", id.as_str()), ("from", from_text.as_str())],
                )
                .await
                .and_then(|a| a.decode::<CheckRun>());
                match answer {
                    Ok(run) => {
                        let next = from + run.results.len() as i64;
                        let running = run.state == RunState::Running;
                        got(run);
                        if running {
                            poll(id, next, got, failed);
                        }
                    }
                    Err(e) => failed(e),
                }
            });
        },
        POLL_EVERY,
    );
}

/// Follows a run the page started: its first answer, then every poll, through `got`.
#[cfg(feature = "hydrate")]
pub fn follow_run(
    first: CheckRun,
    got: impl Fn(CheckRun) + 'static,
    failed: impl Fn(AppError) + 'static,
) {
    let from = first.results.len() as i64;
    let running = first.state == RunState::Running;
    let id = first.id.clone();
    got(first);
    if running {
        poll(id, from, std::rc::Rc::new(got), std::rc::Rc::new(failed));
    }
}

/// "Check links" on a campaign page: starts the check, shows its progress, and hands each
/// result to the rows.
#[island(lazy)]
pub fn CheckLinks(
    campaign_id: String,
    /// Creatives with a URL to check.
    count: usize,
    /// When the latest stored check ran, if ever.
    last_checked: Option<i64>,
    /// What the stored statuses say, as a sentence.
    stored_tally: Option<String>,
) -> impl IntoView {
    let live = live();
    let progress = RwSignal::new(None::<(i64, i64, RunState)>);
    let error = RwSignal::new(None::<String>);
    let reports = RwSignal::new(Vec::<LinkReport>::new());
    let start = {
        let live = live.clone();
        move |_| {
            error.set(None);
            reports.set(Vec::new());
            live.update(|l| {
                l.results.clear();
                l.running = true;
            });
            #[cfg(not(feature = "hydrate"))]
            let _ = &campaign_id;
            #[cfg(feature = "hydrate")]
            {
                let (live, campaign_id) = (live.clone(), campaign_id.clone());
                leptos::task::spawn_local(async move {
                    let started = crate::api::browser::call(
                        StartCampaignCheck::url(),
                        &[("campaign_id", campaign_id.as_str())],
                    )
                    .await
                    .and_then(|a| a.decode::<CheckRun>());
                    let stop = {
                        let live = live.clone();
                        move |e: AppError| {
                            error.try_set(Some(e.summary()));
                            live.update(|l| l.running = false);
                        }
                    };
                    match started {
                        Ok(run) => follow_run(
                            run,
                            move |run: CheckRun| {
                                progress.try_set(Some((run.done, run.total, run.state)));
                                let arrived: Vec<RunResult> = run.results;
                                reports.try_update(|r| {
                                    r.extend(arrived.iter().map(|x| x.report.clone()))
                                });
                                live.update(|l| {
                                    for r in arrived {
                                        if let Some(id) = r.creative_id.clone() {
                                            l.results.insert(
                                                id.clone(),
                                                LinkStatus {
                                                    creative_id: id,
                                                    checked_at: r.checked_at,
                                                    broken_since: None,
                                                    report: r.report,
                                                },
                                            );
                                        }
                                    }
                                    l.running = run.state == RunState::Running;
                                });
                            },
                            stop,
                        ),
                        Err(e) => stop(e),
                    }
                });
            }
        }
    };
    let running = {
        let live = live.clone();
        move || live.read().running
    };
    let running2 = running.clone();
    let disabled = move || count == 0 || running();
    view! {
        <div class="link-check" data-testid="link-check">
            <button type="button" class="button button-small" on:click=start disabled=disabled
                aria-describedby="link-check-status">
                {move || if running2() { "Checking links…" } else { "Check links" }}
            </button>
            <p id="link-check-status" class="muted link-check-status" role="status" aria-live="polite" data-testid="link-check-status">
                {move || match (error.get(), progress.get()) {
                    (Some(e), _) => e,
                    (None, Some((done, total, RunState::Running))) => format!("Checking… {done} of {total} links done."),
                    (None, Some((done, total, RunState::Done))) => format!("Checked {done} of {total} links: {}.", reports.with(|r| tally(r.iter()))),
                    (None, Some((done, total, RunState::Interrupted))) => format!("The check stopped after {done} of {total} links (the server restarted): check again."),
                    (None, None) => match (last_checked, stored_tally.clone()) {
                        (Some(t), Some(tally)) => format!("Last checked {}: {tally}.", timestamp(t)),
                        _ if count == 0 => "No links to check yet.".to_string(),
                        _ => format!("Follows each of the {count} links like a browser: redirects, whether the UTMs arrive, GA4 and the ads pixel on the page."),
                    },
                }}
            </p>
        </div>
    }
}

/// The stored statuses' sentence and latest time, for [`CheckLinks`]' first render.
pub fn stored_summary(statuses: &[LinkStatus]) -> (Option<i64>, Option<String>) {
    if statuses.is_empty() {
        return (None, None);
    }
    (
        statuses.iter().map(|s| s.checked_at).max(),
        Some(tally(statuses.iter().map(|s| &s.report))),
    )
}
