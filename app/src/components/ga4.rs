//! GA4 widgets shared by pages: a campaign's tabs, and a document's card (copy, download, the
//! checklist of the same setup in GA4's interface).

use crate::components::CopyButton;
use leptos_router::components::A;
use utmforge_core::ga4::Artifact;

use leptos::prelude::*;

/// The tabs of a campaign: its creatives, its GA4 documents, its ChatGPT ads, its activity. The router marks the current
/// one (`aria-current="page"`, exact match).
#[component]
pub fn CampaignTabs(id: String) -> impl IntoView {
    view! {
        <nav class="tabs" aria-label="Campaign">
            <A href=format!("/campaigns/{id}") exact=true attr:class="tab">"Creatives"</A>
            <A href=format!("/campaigns/{id}/ga4") exact=true attr:class="tab">"GA4"</A>
            <A href=format!("/campaigns/{id}/ads") exact=true attr:class="tab">"ChatGPT Ads"</A>
            <A href=format!("/campaigns/{id}/results") exact=true attr:class="tab">"Results"</A>
            <A href=format!("/campaigns/{id}/activity") exact=true attr:class="tab">"Activity"</A>
        </nav>
    }
}

/// One document: what it is, copy and download (when it has a download route), the JSON, and
/// the checklist.
#[component]
pub(crate) fn ArtifactCard(
    artifact: Artifact,
    #[prop(into)] download: Option<String>,
) -> impl IntoView {
    let Artifact {
        kind,
        title,
        summary,
        endpoint,
        filename,
        json,
        instructions,
    } = artifact;
    let heading = format!("{kind}-h");
    let labelled_by = heading.clone();
    // The accessible name starts with the visible text (WCAG 2.5.3, label in name).
    let copy_label = format!("Copy JSON of the {}", title.to_lowercase());
    let json_label = format!("{title} JSON");
    view! {
        <section class="card artifact" aria-labelledby=labelled_by data-artifact=kind.clone()>
            <div class="section-head">
                <h2 id=heading>{title.clone()}</h2>
                <div class="actions">
                    <CopyButton text=json.clone() label="Copy JSON" accessible_label=copy_label />
                    {download.map(|href| view! {
                        <a class="button button-small" href=href download=filename.clone()>
                            "Download " {filename.clone()}
                        </a>
                    })}
                </div>
            </div>
            <p>{summary}</p>
            <p class="muted small endpoint">"The body of " <code>{endpoint}</code></p>
            <details class="json">
                <summary>"Show the JSON"</summary>
                <pre tabindex="0" role="region" aria-label=json_label><code>{json}</code></pre>
            </details>
            <h3>{instructions.title}</h3>
            <p class="muted small">"For people who set it up in the GA4 interface. Tick each step as you go."</p>
            <ol class="checklist">
                {instructions.steps.into_iter().enumerate().map(|(i, step)| {
                    let id = format!("{kind}-step-{}", i + 1);
                    view! {
                        <li>
                            <input type="checkbox" id=id.clone() />
                            <label for=id>{step}</label>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
