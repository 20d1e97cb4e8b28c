//! One campaign: its settings, its creatives with the URL each carries (copy one or all), and
//! the form that adds a creative with a live preview of its URL.

use crate::api::{
    get_campaign, get_campaign_page, get_creative, preview_creative, CreateCreative,
    DeleteCampaign, DeleteCreative, RunImport, UpdateCreative,
};
use crate::components::{
    aria_invalid, debounced, field_error, CopyButton, FieldMessage, FormBanner, Warnings,
};
use crate::format::timestamp;
use crate::pages::campaign_form::NotFoundOr;
use crate::pages::ga4::CampaignTabs;
use crate::pages::import::ImportCard;
use crate::Can;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use utmforge_core::account::Role;
use utmforge_core::views::CampaignPage;
use utmforge_core::{Campaign, Creative, CreativeDraft, Field};

#[component]
pub fn CampaignPageView() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let create = ServerAction::<CreateCreative>::new();
    let delete = ServerAction::<DeleteCreative>::new();
    let import = ServerAction::<RunImport>::new();
    // The head of the page (and the forms under it) load once per campaign: a rejected "Add
    // creative" or a pasted sheet must survive the reload of the creatives that follows.
    let head = Resource::new(id, get_campaign);
    // The creatives reload after every action. Each resource is read by one Transition only
    // (one resource awaited under two Suspense boundaries can stall an SSR stream).
    let versions = move || {
        (
            id(),
            create.version().get(),
            delete.version().get(),
            import.version().get(),
        )
    };
    let page = Resource::new(versions, |(id, _, _, _)| get_campaign_page(id));
    // The delete form names the campaign's current version and creative count.
    let current = Resource::new(versions, |(id, _, _, _)| get_campaign_page(id));

    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match head.await {
                    Err(e) => view! { <Title text="Campaign" /><NotFoundOr error=e /> }.into_any(),
                    Ok(c) => view! {
                        <CampaignHead c=c.clone() />
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                page.await.ok().map(|p| view! { <CreativesCard page=p delete /> })
                            })}
                        </Transition>
                        <Can role=Role::Editor>
                            <section class="card" aria-labelledby="add-h">
                                <h2 id="add-h">"Add a creative"</h2>
                                <CreativeForm campaign_id=c.id.clone() action=create />
                            </section>
                            <ImportCard campaign_id=c.id.clone() run=import />
                            <Transition fallback=|| ()>
                                {move || Suspend::new(async move {
                                    current.await.ok().map(|p| view! { <DangerZone page=p /> })
                                })}
                            </Transition>
                        </Can>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CampaignHead(c: Campaign) -> impl IntoView {
    let edit_href = format!("/campaigns/{}/edit", c.id);
    view! {
        <Title text=c.name.clone() />
        <p class="breadcrumb"><A href="/campaigns">"Campaigns"</A></p>
        <div class="page-head">
            <div>
                <h1>{c.name.clone()}</h1>
                <p class="muted">
                    <span class=format!("badge badge-{}", c.status)>{c.status.label()}</span>
                    " · updated " {timestamp(c.updated_at)}
                </p>
            </div>
            <Can role=Role::Editor>
                <A href=edit_href.clone() attr:class="button">"Edit campaign"</A>
            </Can>
        </div>
        <CampaignTabs id=c.id.clone() />

        <section class="card settings" aria-labelledby="settings-h">
            <h2 id="settings-h">"Settings"</h2>
            <dl class="settings-list">
                <div><dt>"utm_campaign"</dt><dd><code data-testid="campaign-slug">{c.slug.clone()}</code></dd></div>
                <div><dt>"utm_medium"</dt><dd><code>{c.buying_model.utm_medium()}</code></dd></div>
                <div><dt>"Topic (utm_term)"</dt><dd>{c.topic.clone().map(|t| view! { <code>{t}</code> }.into_any()).unwrap_or_else(|| view! { <span class="muted">"none"</span> }.into_any())}</dd></div>
                <div><dt>"Primary conversion"</dt><dd>{c.conversion.label()}</dd></div>
                <div class="wide"><dt>"Default landing URL"</dt><dd class="url">{c.landing_url.clone()}</dd></div>
                {(!c.notes.is_empty()).then(|| view! { <div class="wide"><dt>"Notes"</dt><dd class="notes">{c.notes.clone()}</dd></div> })}
            </dl>
        </section>
    }
}

#[component]
fn CreativesCard(page: CampaignPage, delete: ServerAction<DeleteCreative>) -> impl IntoView {
    let can_edit = crate::use_me().is_some_and(|m| m.can(Role::Editor));
    let c = page.campaign;
    let all_urls: Vec<String> = page
        .creatives
        .iter()
        .filter_map(|r| r.url.clone())
        .collect();
    let all_text = all_urls.join("\n");
    let count = page.creatives.len();

    view! {
        <section class="card" aria-labelledby="creatives-h">
            <div class="section-head">
                <h2 id="creatives-h">"Creatives " <span class="count">{format!("({count})")}</span></h2>
                <div class="actions">
                    {(!all_urls.is_empty()).then(|| view! {
                        <CopyButton text=all_text.clone() label="Copy all URLs" />
                    })}
                    <a class="button button-small" href=format!("/api/v1/campaigns/{}/export.csv", c.id) download="" rel="external">"Export CSV"</a>
                </div>
            </div>
            {if page.creatives.is_empty() {
                view! {
                    <p class="empty-state">"No creatives yet. Add one below for each ad variant: each gets its own utm_content, so GA4 can tell them apart."</p>
                }.into_any()
            } else {
                view! {
                    <ul class="creative-list" aria-label="Creatives">
                        {page.creatives.into_iter().map(|row| {
                            let k = row.creative.clone();
                            view! {
                                <li class="creative" data-testid="creative" data-variant=k.content.clone()>
                                    <div class="creative-head">
                                        <div>
                                            <strong class="variant">{k.variant.clone()}</strong>
                                            {(!k.headline.is_empty()).then(|| view! { <span class="headline">{format!("“{}”", k.headline)}</span> })}
                                        </div>
                                        <div class="row-actions">
                                            {row.url.clone().map(|u| view! {
                                                <CopyButton text=u label="Copy" accessible_label=format!("Copy URL of {}", k.variant) />
                                            })}
                                            {can_edit.then(|| view! {
                                                <A href=format!("/campaigns/{}/creatives/{}", k.campaign_id, k.id) attr:class="button button-small">"Edit"</A>
                                                <DeleteCreativeButton creative=k.clone() action=delete />
                                            })}
                                        </div>
                                    </div>
                                    {match (row.url, row.error) {
                                        (Some(u), _) => view! { <p class="url" data-testid="creative-url">{u}</p> }.into_any(),
                                        (None, e) => view! { <p class="banner banner-error">{e.unwrap_or_default()}</p> }.into_any(),
                                    }}
                                    <Warnings warnings=row.warnings />
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <FormBanner error=Signal::derive(move || delete.value().get().and_then(Result::err)) />
        </section>
    }
}

#[component]
fn DangerZone(page: CampaignPage) -> impl IntoView {
    let c = page.campaign;
    let count = page.creatives.len();
    let delete_campaign = ServerAction::<DeleteCampaign>::new();
    view! {
        <section class="card danger-zone" aria-labelledby="danger-h">
            <h2 id="danger-h">"Delete this campaign"</h2>
            <details>
                <summary class="button button-danger-outline">"Delete campaign…"</summary>
                <ActionForm action=delete_campaign attr:class="confirm">
                    <input type="hidden" name="id" value=c.id.clone() />
                    <input type="hidden" name="version" value=c.version />
                    <p>
                        {if count == 0 {
                            "This deletes the campaign. It has no creatives.".to_string()
                        } else {
                            format!("This deletes the campaign and its {count} creative{}. Their links stop being listed here; ads that use them keep working.", if count == 1 { "" } else { "s" })
                        }}
                    </p>
                    <button type="submit" class="button button-danger">"Delete campaign"</button>
                </ActionForm>
                <FormBanner error=Signal::derive(move || delete_campaign.value().get().and_then(Result::err)) />
            </details>
        </section>
    }
}

#[component]
fn DeleteCreativeButton(creative: Creative, action: ServerAction<DeleteCreative>) -> impl IntoView {
    view! {
        <details class="inline-confirm">
            <summary class="button button-small" aria-label=format!("Delete {}", creative.variant)>"Delete"</summary>
            <ActionForm action=action attr:class="confirm-pop">
                <input type="hidden" name="id" value=creative.id.clone() />
                <input type="hidden" name="version" value=creative.version />
                <span>{format!("Delete “{}”?", creative.variant)}</span>
                <button type="submit" class="button button-small button-danger">"Yes, delete"</button>
            </ActionForm>
        </details>
    }
}

/// Adds a creative (`existing` = None, with `create`) or edits one.
#[component]
fn CreativeForm(campaign_id: String, action: ServerAction<CreateCreative>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    // Clear the form after a successful add only: a rejected one keeps what was typed.
    let added = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            added.update(|n| *n += 1);
        }
    });
    view! {
        {move || {
            let _ = added.get();
            let succeeded = matches!(action.value().get_untracked(), Some(Ok(_)));
            let campaign_id = campaign_id.clone();
            view! {
                <ActionForm action=action attr:class="form" attr:novalidate="true">
                    <FormBanner error />
                    {succeeded.then(|| view! { <p class="banner banner-success" role="status">"Creative added. Its URL is in the list above."</p> })}
                    <input type="hidden" name="campaign_id" value=campaign_id.clone() />
                    <CreativeFields campaign_id=campaign_id.clone() initial=None error />
                    <div class="form-actions">
                        <button type="submit" class="button button-primary" disabled=move || action.pending().get()>
                            {move || if action.pending().get() { "Adding…" } else { "Add creative" }}
                        </button>
                    </div>
                </ActionForm>
            }
        }}
    }
}

#[component]
fn CreativeFields(
    campaign_id: String,
    initial: Option<Creative>,
    error: Signal<Option<crate::api::AppError>>,
) -> impl IntoView {
    let init = initial.clone();
    let variant = RwSignal::new(init.as_ref().map(|k| k.variant.clone()).unwrap_or_default());
    let topic = RwSignal::new(
        init.as_ref()
            .and_then(|k| k.topic.clone())
            .unwrap_or_default(),
    );
    let landing = RwSignal::new(
        init.as_ref()
            .and_then(|k| k.landing_url.clone())
            .unwrap_or_default(),
    );
    // Asks the server once typing pauses; a Resource drops answers to older questions.
    let typed = debounced(Signal::derive(move || {
        (variant.get(), topic.get(), landing.get())
    }));
    let preview = Resource::new(
        move || (campaign_id.clone(), typed.get()),
        |(campaign_id, (variant, topic, landing_url))| {
            preview_creative(
                campaign_id,
                CreativeDraft {
                    variant,
                    topic,
                    landing_url,
                    ..Default::default()
                },
            )
        },
    );
    let err = move |field: Field| field_error(error, field);
    let invalid = move |field: Field| aria_invalid(error, field);

    view! {
        <div class="field-row">
            <div class="field">
                <label for="variant">"Variant name"</label>
                <input id="variant" name="draft[variant]" type="text" required autocomplete="off"
                    value=variant.get_untracked()
                    prop:value=move || variant.get()
                    placeholder="headline v2 long description"
                    aria-invalid=invalid(Field::Content) aria-describedby="variant-msg"
                    on:input=move |ev| variant.set(event_target_value(&ev)) />
                <FieldMessage id="variant-msg" error=err(Field::Content) help="Gives utm_content; unique within the campaign." />
            </div>
            <div class="field">
                <label for="creative-topic">"Topic " <span class="optional">"(optional)"</span></label>
                <input id="creative-topic" name="draft[topic]" type="text" autocomplete="off"
                    value=topic.get_untracked()
                    prop:value=move || topic.get()
                    placeholder="the campaign's topic"
                    aria-invalid=invalid(Field::Term) aria-describedby="ctopic-msg"
                    on:input=move |ev| topic.set(event_target_value(&ev)) />
                <FieldMessage id="ctopic-msg" error=err(Field::Term) help="Gives utm_term; empty uses the campaign's topic." />
            </div>
        </div>
        <div class="field">
            <label for="creative-landing">"Landing URL " <span class="optional">"(optional)"</span></label>
            <input id="creative-landing" name="draft[landing_url]" type="url" class="mono" autocomplete="off"
                value=landing.get_untracked()
                prop:value=move || landing.get()
                placeholder="the campaign's default landing URL"
                aria-invalid=invalid(Field::Url) aria-describedby="clanding-msg"
                on:input=move |ev| landing.set(event_target_value(&ev)) />
            <FieldMessage id="clanding-msg" error=err(Field::Url) help="Only when this creative points somewhere else." />
        </div>
        <div class="field-row">
            <div class="field">
                <label for="headline">"Headline " <span class="optional">"(optional)"</span></label>
                <input id="headline" name="draft[headline]" type="text" maxlength="200" autocomplete="off"
                    value=init.as_ref().map(|k| k.headline.clone()).unwrap_or_default()
                    aria-describedby="headline-msg" />
                <FieldMessage id="headline-msg" error=err(Field::Headline) help="For your reference: the ad's headline." />
            </div>
            <div class="field">
                <label for="creative-notes">"Notes " <span class="optional">"(optional)"</span></label>
                <input id="creative-notes" name="draft[notes]" type="text" maxlength="2000" autocomplete="off"
                    value=init.as_ref().map(|k| k.notes.clone()).unwrap_or_default()
                    aria-describedby="cnotes-msg" />
                <FieldMessage id="cnotes-msg" error=err(Field::Notes) />
            </div>
        </div>
        <div class="preview" aria-live="polite">
            <p class="preview-label">"Final URL"</p>
            <Transition fallback=|| view! { <p class="url muted">"…"</p> }>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(p) => match p.url {
                            Some(url) => view! {
                                <p class="url" data-testid="preview-url">{url}</p>
                                <Warnings warnings=p.warnings />
                            }.into_any(),
                            None => {
                                let messages: Vec<String> = p.errors.iter()
                                    .filter(|e| !(e.code == utmforge_core::Code::Required && variant.get_untracked().is_empty()))
                                    .map(|e| e.message.clone()).collect();
                                view! {
                                    <p class="url muted" data-testid="preview-url">
                                        {if messages.is_empty() { "Type a variant name to see the URL.".to_string() } else { "No URL yet:".to_string() }}
                                    </p>
                                    <ul class="preview-errors">{messages.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                                }.into_any()
                            }
                        },
                        Err(e) => view! { <p class="url muted">{e.summary()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

/// Editing one creative.
#[component]
pub fn EditCreativePage() -> impl IntoView {
    let params = use_params_map();
    let ids = move || {
        let p = params.read();
        (
            p.get("id").unwrap_or_default(),
            p.get("cid").unwrap_or_default(),
        )
    };
    let data = Resource::new(ids, |(id, cid)| async move {
        let page = get_campaign_page(id).await?;
        let creative = get_creative(cid).await?.creative;
        Ok::<_, crate::api::AppError>((page, creative))
    });
    let action = ServerAction::<UpdateCreative>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    view! {
        <Title text="Edit creative" />
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <NotFoundOr error=e /> }.into_any(),
                    Ok((page, k)) => {
                        let back = format!("/campaigns/{}", page.campaign.id);
                        view! {
                            <p class="breadcrumb">
                                <A href="/campaigns">"Campaigns"</A>" / "<A href=back.clone()>{page.campaign.name.clone()}</A>
                            </p>
                            <h1>{format!("Edit creative “{}”", k.variant)}</h1>
                            <div class="card">
                                <ActionForm action=action attr:class="form" attr:novalidate="true">
                                    <FormBanner error />
                                    <input type="hidden" name="id" value=k.id.clone() />
                                    <input type="hidden" name="version" value=k.version />
                                    <CreativeFields campaign_id=page.campaign.id.clone() initial=Some(k.clone()) error />
                                    <div class="form-actions">
                                        <button type="submit" class="button button-primary" disabled=move || action.pending().get()>"Save creative"</button>
                                        <A href=back attr:class="button">"Cancel"</A>
                                    </div>
                                </ActionForm>
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// A campaign's Activity tab: every change to it and its creatives, newest first.
#[component]
pub fn CampaignActivityPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let head = Resource::new(id, get_campaign);
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match head.await {
                    Err(e) => view! { <Title text="Campaign" /><NotFoundOr error=e /> }.into_any(),
                    Ok(c) => view! {
                        <Title text=format!("Activity · {}", c.name) />
                        <p class="breadcrumb"><A href="/campaigns">"Campaigns"</A></p>
                        <div class="page-head"><div><h1>{c.name.clone()}</h1></div></div>
                        <CampaignTabs id=c.id.clone() />
                        <section class="card" aria-labelledby="activity-h">
                            <h2 id="activity-h">"Activity"</h2>
                            <p class="muted">"Every change to this campaign and its creatives: who, when, before → after. A changed link that is live in an ad is listed with its old and new URL."</p>
                            <crate::pages::account::ActivityList campaign_id=Some(c.id.clone()) />
                        </section>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
