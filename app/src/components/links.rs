//! The link check on the pages: a report's status and its details (the redirect chain hop by
//! hop, what was lost or changed, what the landing page lacks), the campaign page's **Check
//! links** (each row's status changes as its result arrives) and the Audit page's **Follow
//! links**. The verdicts are core's; the checking runs on the server in the background and the
//! page polls it. The server renders each result's HTML ([`Progress`]): neither the reports'
//! decoders nor their view are compiled into the islands' WASM.

use super::LazyCode;
use crate::api::AppError;
use crate::format::timestamp;
#[cfg(feature = "hydrate")]
use crate::functions::checks::{PollCheck, StartCampaignCheck, StartUrlCheck};
#[cfg(feature = "hydrate")]
use crate::functions::checks::{Progress, ResultHtml};
use crate::render::link_report::{tally, ReportView};
use leptos::prelude::*;
#[cfg(feature = "hydrate")]
use leptos::server_fn::ServerFn;
use utmforge_core::linkcheck::LinkStatus;
#[cfg(feature = "hydrate")]
use utmforge_core::linkcheck::{RunState, Verdict};

/// How often a page asks for a running check's new results.
#[cfg(feature = "hydrate")]
const POLL_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// A creative's stored status as its row first shows it (the server renders it), in the slot
/// that a check started on this page fills with the new result.
#[component]
pub fn StoredLinkStatus(creative_id: String, stored: Option<LinkStatus>) -> impl IntoView {
    let inner = match stored {
        Some(s) => view! {
            <ReportView report=s.report checked_at=Some(s.checked_at) broken_since=s.broken_since />
        }
        .into_any(),
        None => view! {
            <p class="muted" data-testid="link-status" data-verdict="unchecked">"Link not checked yet."</p>
        }
        .into_any(),
    };
    view! { <div class="link-slot" data-link-status=creative_id>{inner}</div> }
}

/// The line beside **Check links** before a check is started here.
pub fn idle_line(count: usize, statuses: &[LinkStatus]) -> String {
    match statuses.iter().map(|s| s.checked_at).max() {
        Some(t) => format!(
            "Last checked {}: {}.",
            timestamp(t),
            tally(statuses.iter().map(|s| s.report.verdict))
        ),
        None if count == 0 => "No links to check yet.".to_string(),
        None => format!("Follows each of the {} links like a browser: redirects, whether the UTMs arrive, GA4 and the ads pixel on the page.", crate::format::thousands(count)),
    }
}

/// "Check links" on a campaign page: the button and the line beside it. Only the button is an
/// island, and only a small one: the work — starting the check, polling it, putting each result
/// into its row, the button's state and the line — is a chunk of its own
/// ([`run_campaign_check`]), fetched on the first click, not with the page.
#[component]
pub fn CheckLinks(campaign_id: String, count: usize, idle: String) -> impl IntoView {
    view! {
        <div class="link-check" data-testid="link-check">
            <LazyCode split="check_links_button_loader" /><CheckLinksButton campaign_id disabled=count == 0 />
            <p id="link-check-status" class="muted link-check-status" role="status" aria-live="polite" data-testid="link-check-status">
                {idle}
            </p>
        </div>
    }
}

#[island(lazy)]
fn CheckLinksButton(campaign_id: String, disabled: bool) -> impl IntoView {
    let start = move |_| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(run_campaign_check(campaign_id.clone()));
        #[cfg(not(feature = "hydrate"))]
        let _ = &campaign_id;
    };
    view! {
        <button type="button" id="check-links" class="button button-small" on:click=start disabled=disabled
            aria-describedby="link-check-status">"Check links"</button>
    }
}

/// What a check's line says as it goes.
#[cfg(feature = "hydrate")]
fn progress_line(done: i64, total: i64, state: RunState, verdicts: &[Verdict]) -> String {
    match state {
        RunState::Running => format!("Checking… {done} of {total} links done."),
        RunState::Done => format!(
            "Checked {done} of {total} links: {}.",
            tally(verdicts.iter().copied())
        ),
        RunState::Interrupted => format!(
            "The check stopped after {done} of {total} links (the server restarted): check again."
        ),
    }
}

/// Waits `d` (a timer of the page).
#[cfg(feature = "hydrate")]
async fn sleep(d: std::time::Duration) {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use std::task::{Poll, Waker};
    let done = Rc::new(Cell::new(false));
    let waker: Rc<RefCell<Option<Waker>>> = Rc::default();
    {
        let (done, waker) = (done.clone(), waker.clone());
        set_timeout(
            move || {
                done.set(true);
                if let Some(w) = waker.borrow_mut().take() {
                    w.wake();
                }
            },
            d,
        );
    }
    std::future::poll_fn(|cx| {
        if done.get() {
            Poll::Ready(())
        } else {
            *waker.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        }
    })
    .await
}

/// Starts a check (`start`: the server function's URL and arguments) and follows it to the
/// end, handing each answer — the results since the last one — to `got`.
#[cfg(feature = "hydrate")]
async fn follow(
    start: (&'static str, Vec<(&'static str, String)>),
    mut got: impl FnMut(Progress),
) -> Result<(), AppError> {
    let args: Vec<(&str, &str)> = start.1.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let mut run: Progress = crate::api::browser::call(start.0, &args).await?.decode()?;
    let mut from = 0;
    loop {
        from += run.results.len() as i64;
        let (id, running) = (run.id.clone(), run.state == RunState::Running);
        got(run);
        if !running {
            return Ok(());
        }
        sleep(POLL_EVERY).await;
        let from_text = from.to_string();
        run = crate::api::browser::call(
            PollCheck::url(),
            &[("id", id.as_str()), ("from", from_text.as_str())],
        )
        .await?
        .decode()?;
    }
}

/// The slot of a creative's status in its row.
#[cfg(feature = "hydrate")]
fn slot(creative_id: &str) -> Option<web_sys::Element> {
    document()
        .query_selector(&format!("[data-link-status=\"{creative_id}\"]"))
        .ok()
        .flatten()
}

/// Checks a campaign's links from its page: the button is disabled and every row says
/// "Checking the link…", then shows its result as it arrives; the line counts them.
#[cfg(feature = "hydrate")]
#[leptos::lazy]
async fn run_campaign_check(campaign_id: String) {
    use leptos::wasm_bindgen::JsCast;
    let doc = document();
    let button = doc.get_element_by_id("check-links");
    let say = |text: &str| {
        if let Some(line) = doc.get_element_by_id("link-check-status") {
            line.set_text_content(Some(text));
        }
    };
    if let Some(b) = &button {
        let _ = b.set_attribute("disabled", "");
        b.set_text_content(Some("Checking links…"));
    }
    say("Starting the check…");
    if let Ok(slots) = doc.query_selector_all("[data-link-status]") {
        for i in 0..slots.length() {
            if let Some(el) = slots
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                el.set_inner_html(r#"<p class="muted" data-testid="link-status" data-verdict="checking">Checking the link…</p>"#);
            }
        }
    }
    let mut verdicts = Vec::new();
    let followed = follow(
        (
            StartCampaignCheck::url(),
            vec![("campaign_id", campaign_id)],
        ),
        |run| {
            for r in &run.results {
                verdicts.push(r.verdict);
                if let Some(el) = r.creative_id.as_deref().and_then(slot) {
                    el.set_inner_html(&r.html);
                }
            }
            say(&progress_line(run.done, run.total, run.state, &verdicts));
        },
    )
    .await;
    if let Err(e) = followed {
        say(&e.summary());
    }
    if let Some(b) = &button {
        let _ = b.remove_attribute("disabled");
        b.set_text_content(Some("Check links"));
    }
}

/// Follows pasted URLs from the Audit page; `shown` gets the line and the results so far.
#[cfg(feature = "hydrate")]
#[leptos::lazy]
async fn run_url_check(
    text: String,
    shown: RwSignal<Option<Followed>>,
    error: RwSignal<Option<AppError>>,
) {
    let mut all: Vec<ResultHtml> = Vec::new();
    let mut verdicts = Vec::new();
    let followed = follow((StartUrlCheck::url(), vec![("text", text)]), |run| {
        verdicts.extend(run.results.iter().map(|r| r.verdict));
        all.extend(run.results);
        all.sort_by_key(|r| r.position);
        let line = match run.state {
            RunState::Done => format!(
                "Followed {} link{}.",
                run.done,
                if run.done == 1 { "" } else { "s" }
            ),
            other => progress_line(run.done, run.total, other, &verdicts),
        };
        shown.try_set(Some(Followed {
            line,
            running: run.state == RunState::Running,
            results: all
                .iter()
                .map(|r| (r.url.clone(), r.html.clone()))
                .collect(),
        }));
    })
    .await;
    if let Err(e) = followed {
        shown.try_set(None);
        error.try_set(Some(e));
    }
}

/// Starts following the Audit page's pasted URLs (the work is a chunk fetched on the first
/// click).
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
pub fn follow_links(
    text: String,
    shown: RwSignal<Option<Followed>>,
    error: RwSignal<Option<AppError>>,
) {
    shown.set(Some(Followed {
        line: "Starting…".into(),
        running: true,
        results: Vec::new(),
    }));
    error.set(None);
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(run_url_check(text, shown, error));
}

/// A pasted-URL check as the Audit page shows it: the line, whether it runs, and each result
/// (URL, HTML) in the order pasted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Followed {
    pub line: String,
    pub running: bool,
    pub results: Vec<(String, String)>,
}
