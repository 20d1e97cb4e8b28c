//! `/settings`: the team's rules. Admins change them; everyone else sees them (the forms follow
//! them). The form posts to `save_settings`, which parses the text and saves through the same
//! use case as `PUT /api/v1/settings` and `utmforge settings set`.

use crate::api::{Key, Loaded};
use crate::components::{ConfirmBox, ConnectionCard, FieldMessage, Form};
use crate::functions::ads::get_ads_connection;
use crate::functions::settings::{get_settings, SaveSettings};
use crate::pages::Page;
use crate::use_me;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use utmforge_core::account::Role;
use utmforge_core::ads::Connection;
use utmforge_core::rules::{RuleMode, StoredRules};
use utmforge_core::Field;

pub struct SettingsRoute {
    stored: Loaded<StoredRules>,
    connection: Loaded<Connection>,
}

impl Page for SettingsRoute {
    fn data() -> Self {
        Self {
            stored: Loaded::new(Key::none, |_| Box::pin(get_settings())),
            connection: Loaded::new(Key::none, |_| Box::pin(get_ads_connection())),
        }
    }

    fn view(this: Self) -> AnyView {
        let admin = use_me().is_some_and(|m| m.can(Role::Admin));
        view! {
            <SettingsPage stored=this.stored admin />
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match this.connection.await {
                        Ok(connection) => view! { <ConnectionCard connection /> }.into_any(),
                        Err(e) => view! { <div class="banner banner-error" role="alert">{e.summary()}</div> }.into_any(),
                    }
                })}
            </Transition>
        }
        .into_any()
    }
}

#[component]
fn ModeSelect(
    id: &'static str,
    field: Field,
    current: RuleMode,
    choices: &'static [(RuleMode, &'static str)],
    disabled: bool,
) -> impl IntoView {
    view! {
        <select id=id name=id data-field=field.as_str() aria-describedby=format!("{id}-msg") disabled=disabled>
            {choices.iter().map(|(mode, label)| view! {
                <option value=mode.as_str() selected=*mode == current>{*label}</option>
            }).collect_view()}
        </select>
    }
}

#[component]
fn SettingsPage(stored: Loaded<StoredRules>, admin: bool) -> impl IntoView {
    view! {
        <Title text="Settings" />
        <h1>"Settings"</h1>
        <p class="lede">
            "The team's rules: every campaign and creative follows them, from the forms, the import and the REST API alike. "
            {if admin { "Changes are recorded in the activity log." } else { "Only admins change them." }}
        </p>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match stored.await {
                    Err(e) => view! { <div class="banner banner-error" role="alert">{e.summary()}</div> }.into_any(),
                    Ok(s) => {
                        let r = s.rules;
                        let fields = view! {
                            <input type="hidden" name="version" value=s.version.to_string() />
                            <fieldset class="rule-group">
                                <legend>"Approved landing domains"</legend>
                                <div class="field">
                                    <label for="domains">"Domains, one per line"</label>
                                    <textarea id="domains" name="domains" class="mono" rows="5" spellcheck="false" disabled=!admin
                                        placeholder="example.com\n*.example.com" data-field=Field::Domains.as_str() aria-describedby="domains-msg">{r.domains_text()}</textarea>
                                    <FieldMessage id="domains-msg" help="example.com approves exactly that host; *.example.com approves every subdomain (www.example.com, eu.shop.example.com) but not example.com itself. Empty: any domain." />
                                </div>
                                <div class="field">
                                    <label for="domain_mode">"A landing URL outside them is"</label>
                                    <ModeSelect id="domain_mode" field=Field::DomainMode current=r.domain_mode disabled=!admin
                                        choices=&[(RuleMode::Refuse, "refused (nothing is saved)"), (RuleMode::Warn, "saved with a warning")] />
                                    <FieldMessage id="domain_mode-msg" />
                                </div>
                            </fieldset>
                            <fieldset class="rule-group">
                                <legend>"Topic vocabulary (utm_term)"</legend>
                                <div class="field">
                                    <label for="topics">"Topics, one per line, with their aliases after a colon"</label>
                                    <textarea id="topics" name="topics" class="mono" rows="7" spellcheck="false" disabled=!admin
                                        placeholder="CRM tools: CRM software, sales crm\nProject management" data-field=Field::Topics.as_str() aria-describedby="topics-msg">{r.topics_text()}</textarea>
                                    <FieldMessage id="topics-msg" help="Stored as slugs (crm-tools). Someone who types an alias (“CRM software”) gets the topic (crm-tools) and a note saying so; case and spacing do not matter. Empty: any topic." />
                                </div>
                                <div class="field">
                                    <label for="topic_mode">"A topic outside them is"</label>
                                    <ModeSelect id="topic_mode" field=Field::TopicMode current=r.topic_mode disabled=!admin
                                        choices=&[(RuleMode::Refuse, "refused (nothing is saved)"), (RuleMode::Warn, "saved with a warning"), (RuleMode::Accept, "accepted as typed")] />
                                    <FieldMessage id="topic_mode-msg" />
                                </div>
                            </fieldset>
                            <fieldset class="rule-group">
                                <legend>"Campaign ID in links (utm_id)"</legend>
                                <div class="field">
                                    <label class="check">
                                        <input type="checkbox" id="utm_id" name="utm_id" value="on" checked=r.utm_id disabled=!admin
                                            aria-describedby="utm_id-msg" />
                                        " Links carry utm_id, the campaign's stable ID"
                                    </label>
                                    <FieldMessage id="utm_id-msg" help="GA4 shows it as the campaign ID, and cost-data import matches on it: a campaign keeps its GA4 history when it is renamed. Each campaign's ID is on its page. Switching this changes every link." />
                                </div>
                                {admin.then(|| view! {
                                    <ConfirmBox label=" Ads carry the old links; I will update them"
                                        help="Needed when switching utm_id changes the links of active campaigns: their ads keep the old links until you update them." />
                                })}
                            </fieldset>
                        };
                        if admin {
                            view! {
                                <section class="card" aria-labelledby="rules-h">
                                    <h2 id="rules-h">"Team rules"</h2>
                                    <Form action=SaveSettings::url() class="form" novalidate=true done="Settings saved.">
                                        {fields}
                                        <div class="form-actions">
                                            <button type="submit" class="button button-primary">"Save settings"</button>
                                        </div>
                                    </Form>
                                </section>
                            }.into_any()
                        } else {
                            view! {
                                <section class="card" aria-labelledby="rules-h">
                                    <h2 id="rules-h">"Team rules"</h2>
                                    <div class="form">{fields}</div>
                                </section>
                            }.into_any()
                        }
                    }
                }
            })}
        </Transition>
        <section class="card" aria-labelledby="settings-cli-h">
            <h2 id="settings-cli-h">"For scripts"</h2>
            <p><code>"GET /api/v1/settings"</code>" and "<code>"PUT /api/v1/settings"</code>" (with the version read), or "
               <code>"utmforge settings show"</code>" and "<code>"utmforge settings set --file rules.json"</code>"."</p>
        </section>
    }
}
