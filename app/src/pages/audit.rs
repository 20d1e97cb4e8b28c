//! The audit: paste the URLs already running in ads, one per line, and see every tagging
//! mistake with the corrected URL. The same lint engine as `utmforge lint` and /api/v1/lint.

use crate::api::{AppError, Call};
use crate::components::links::{follow_links, Followed};
use crate::components::{CopyButton, InputBanner, LazyCode};
use crate::functions::checks::AuditUrls;
use crate::render::link_report::{severity_class, severity_label};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use utmforge_core::account::Role;
use utmforge_core::{Field, LintReport, Severity};

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <Title text="Audit" />
        <h1>"Audit"</h1>
        <p class="lede">
            "Paste the links already in your ads, one per line. Each gets the findings GA4 would suffer from "
            "(wrong source, missing campaign, mixed case, UTMs in the fragment…) and the corrected URL."
        </p>
        <LazyCode split="audit_loader" /><Audit can_follow=crate::use_me().is_some_and(|m| m.can(Role::Editor)) />
    }
}

/// The audit form and its results (an island). Without JavaScript the form still posts.
#[island(lazy)]
fn Audit(
    /// Whether "Follow links" is offered (editors and above: the server fetches the URLs).
    can_follow: bool,
) -> impl IntoView {
    let audit = Call::<Vec<LintReport>>::new(AuditUrls::url());
    let area = NodeRef::<leptos::html::Textarea>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(area) = area.get_untracked() {
            audit.dispatch(vec![("text", area.value())]);
        }
    };
    let followed = RwSignal::new(None::<Followed>);
    let follow_error = RwSignal::new(None::<AppError>);
    let follow = move |_| {
        if let Some(text) = area.get_untracked().map(|a| a.value()) {
            follow_links(text, followed, follow_error);
        }
    };
    let following = move || followed.with(|f| f.as_ref().is_some_and(|f| f.running));
    view! {
        <section class="card">
            <form method="post" action=AuditUrls::url() class="form" on:submit=submit
                aria-busy=move || audit.pending().then_some("true")>
                <InputBanner error=audit.error() field=Field::Urls />
                <InputBanner error=Signal::derive(move || follow_error.get()) field=Field::Urls />
                <div class="field">
                    <label for="audit-urls">"URLs"</label>
                    <textarea id="audit-urls" name="text" class="mono" rows="7" spellcheck="false" node_ref=area
                        placeholder="https://example.com/?utm_source=ChatGPT&utm_medium=cpc"></textarea>
                    <p class="field-message">"Check URLs: up to 10,000 at a time, nothing is saved. Follow links: opens each URL like a browser (up to 100) and shows whether the UTMs survive the redirects and whether the page carries GA4 and the ads pixel."</p>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled=move || audit.pending()>
                        {move || if audit.pending() { "Checking…" } else { "Check URLs" }}
                    </button>
                    {can_follow.then(|| view! {
                        <button type="button" class="button" on:click=follow disabled=following data-testid="follow-links">
                            {move || if following() { "Following…" } else { "Follow links" }}
                        </button>
                    })}
                </div>
            </form>
        </section>
        {move || audit.value().map(|reports| view! { <AuditResults reports /> })}
        {move || followed.get().map(|f| view! { <FollowedLinks followed=f /> })}
    }
}

#[component]
fn FollowedLinks(followed: Followed) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="followed-h">
            <h2 id="followed-h">"Links followed"</h2>
            <p class="import-totals" role="status" aria-live="polite" data-testid="follow-status">{followed.line}</p>
            <ul class="followed-list" data-testid="followed">
                {followed.results.into_iter().map(|(url, html)| view! {
                    <li class="followed">
                        <p class="url">{url}</p>
                        <div inner_html=html></div>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn AuditResults(reports: Vec<LintReport>) -> impl IntoView {
    let total = reports.len();
    let clean = reports.iter().filter(|r| r.is_clean()).count();
    let count = |s: Severity| {
        reports
            .iter()
            .flat_map(|r| &r.findings)
            .filter(|f| f.severity == s)
            .count()
    };
    let (errors, warnings, infos) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let fixable = reports.iter().filter(|r| r.fixed_url.is_some()).count();
    view! {
        <section class="card" aria-labelledby="results-h">
            <h2 id="results-h">"Results"</h2>
            <p class="import-totals" data-testid="audit-totals">
                {format!("{total} URL{}: {clean} clean, {} with findings — {errors} error{}, {warnings} warning{}, {infos} note{}; {fixable} with a corrected URL.",
                    if total == 1 { "" } else { "s" }, total - clean,
                    if errors == 1 { "" } else { "s" }, if warnings == 1 { "" } else { "s" }, if infos == 1 { "" } else { "s" })}
            </p>
            <div class="table-scroll">
                <table class="data-table audit-table" data-testid="audit-results">
                    <thead><tr><th>"URL"</th><th>"Findings"</th><th>"Corrected URL"</th></tr></thead>
                    <tbody>
                        {reports.into_iter().map(|r| {
                            let clean = r.is_clean();
                            view! {
                                <tr class="audit-item" data-clean=clean.to_string()>
                                    <td data-label="URL"><span class="url">{r.input.clone()}</span></td>
                                    <td data-label="Findings">
                                        {if clean {
                                            view! { <span class="ok">"✓ Clean: nothing to fix."</span> }.into_any()
                                        } else {
                                            view! {
                                                <ul class="findings">
                                                    {r.findings.into_iter().map(|f| view! {
                                                        <li>
                                                            <span class=format!("badge badge-{}", severity_class(f.severity))>{severity_label(f.severity)}</span>
                                                            " " <code>{f.code.as_str()}</code> " " {f.message}
                                                        </li>
                                                    }).collect_view()}
                                                </ul>
                                            }.into_any()
                                        }}
                                    </td>
                                    <td data-label="Corrected URL">
                                        {match r.fixed_url {
                                            Some(u) => view! {
                                                <span class="url" data-testid="fixed-url">{u.clone()}</span>
                                                <CopyButton text=u label="Copy corrected URL" />
                                            }.into_any(),
                                            None => view! { <span class="muted">"—"</span> }.into_any(),
                                        }}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
