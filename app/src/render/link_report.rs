//! A link check's report as HTML: its status, the first problem, and the details (the
//! redirect chain hop by hop, what was lost or changed, what the landing page lacks). Rendered
//! by the server, for stored statuses and for each result of a running check.

use utmforge_core::linkcheck::{LinkReport, Verdict};
use utmforge_core::Severity;

use crate::format::timestamp;
use leptos::prelude::*;

pub(crate) fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Ok => "badge badge-active",
        Verdict::Warning => "badge badge-paused",
        Verdict::Broken => "badge badge-error",
    }
}

/// Counts of ok / warning / broken, as a sentence.
pub(crate) fn tally(verdicts: impl Iterator<Item = Verdict>) -> String {
    let (mut ok, mut warning, mut broken) = (0, 0, 0);
    for v in verdicts {
        match v {
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
        <div class="link-report" data-testid="link-status" data-verdict=report.verdict.as_str()>
            <p class="link-headline">
                <span class=verdict_class(report.verdict)>{report.verdict.as_str()}</span>
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

pub fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

pub fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "paused",
        Severity::Info => "archived",
    }
}
