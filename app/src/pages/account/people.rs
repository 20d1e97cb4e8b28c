//! `/people` (admins): the accounts, open invitations and everyone's tokens.

use super::{origin, RoleSelect, TokenTable};
use crate::api::{Key, Loaded};
use crate::components::{reveal_answer, CopyButton, Form, LazyCode};
use crate::format::timestamp as date_time;
use crate::functions::accounts::{Invite, UpdatePerson, WithdrawInvitation};
use crate::pages::Page;
use crate::use_me;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use utmforge_core::account::People;
use utmforge_core::account::{NewInvitation, Role, User};

/// `/people` (admins): the accounts, invitations and tokens load while the page's code does.
pub struct PeopleRoute {
    people: Loaded<People>,
}

impl Page for PeopleRoute {
    fn data() -> Self {
        Self {
            people: Loaded::new(Key::none, |_| {
                Box::pin(crate::functions::accounts::list_people())
            }),
        }
    }

    fn view(this: Self) -> AnyView {
        let me = use_me();
        let my_role = me.as_ref().map_or(Role::Viewer, |m| m.role);
        let my_id = me.map(|m| m.id).unwrap_or_default();
        view! { <PeoplePage people=this.people my_role my_id /> }.into_any()
    }
}

/// The people page: accounts, invitations and everyone's tokens, with what admins may do to
/// them. Every action is a form; the page reloads with the lists as they now are.
#[component]
fn PeoplePage(people: Loaded<People>, my_role: Role, my_id: String) -> impl IntoView {
    view! {
        <Title text="People" />
        <h1>"People"</h1>
        <p class="lede">"Who can sign in, and what each may do. " {Role::ALL.map(|r| format!("{}: {}. ", r.label(), r.description())).concat()}</p>
        <section class="card" aria-labelledby="invite-h">
            <h2 id="invite-h">"Invite someone"</h2>
            <Form action=Invite::url() class="form form-inline labeled" keep_answer=true>
                <div class="field">
                    <label for="invite-role">"Role"</label>
                    <RoleSelect id="invite-role" name="role" ceiling=Role::Owner selected=Role::Editor managed_by=my_role />
                </div>
                <div class="form-actions">
                    <button type="submit" class="button button-primary">"Create invitation link"</button>
                </div>
            </Form>
            <LazyCode split="new_invitation_link_loader" /><NewInvitationLink />
        </section>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || {
                let my_id = my_id.clone();
                Suspend::new(async move {
                    let people = match people.await {
                        Ok(p) => p,
                        Err(e) => return view! { <div class="banner banner-error" role="alert">{e.summary()}</div> }.into_any(),
                    };
                    let emails: std::collections::HashMap<String, String> =
                        people.users.iter().map(|u| (u.id.clone(), u.email.clone())).collect();
                    view! {
                        <section class="card" aria-labelledby="people-h">
                            <h2 id="people-h">"Accounts"</h2>
                            <div class="table-scroll">
                                <table class="data-table" data-testid="people">
                                    <thead><tr><th>"Name"</th><th>"Email"</th><th>"Role"</th><th>"Status"</th><th>"Actions"</th></tr></thead>
                                    <tbody>
                                        {people.users.into_iter().map(|u| view! { <PersonRow user=u my_role my_id=my_id.clone() /> }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </section>
                        <section class="card" aria-labelledby="invitations-h">
                            <h2 id="invitations-h">"Open invitations"</h2>
                            {if people.invitations.is_empty() {
                                view! { <p class="muted">"None."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="plain-list">
                                        {people.invitations.into_iter().map(|i| {
                                            let text = format!("{} — by {}, expires {}", i.role.label(), emails.get(&i.invited_by).cloned().unwrap_or_default(), date_time(i.expires_at));
                                            let label = format!("Withdraw the invitation: {text}");
                                            view! {
                                                <li class="invitation">
                                                    <span>{text}</span>
                                                    <Form action=WithdrawInvitation::url() class="form-inline">
                                                        <input type="hidden" name="id" value=i.id.clone() />
                                                        <button type="submit" class="button button-small" aria-label=label>"Withdraw"</button>
                                                    </Form>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                        <section class="card" aria-labelledby="all-tokens-h">
                            <h2 id="all-tokens-h">"Everyone's API tokens"</h2>
                            <TokenTable tokens=people.tokens owners=Some(emails) />
                        </section>
                    }.into_any()
                })
            }}
        </Transition>
    }
}

/// The invitation link just created (the form above kept the answer for the reloaded page):
/// shown once, then forgotten (an island: only this browser ever has the link).
#[island(lazy)]
fn NewInvitationLink() -> impl IntoView {
    let created = RwSignal::new(None::<NewInvitation>);
    reveal_answer(Invite::url(), created);
    move || {
        created.get().map(|created| {
            let link = format!("{}{}", origin(), created.path);
            view! {
                <div class="banner banner-success" role="status">
                    <p>{format!("Invitation for a new {} — send this link; it is shown only now, works once, for 7 days:", created.invitation.role.as_str())}</p>
                    <p class="url" data-testid="invitation-link">{link.clone()}</p>
                    <CopyButton text=link label="Copy link" />
                </div>
            }
        })
    }
}

#[component]
fn PersonRow(user: User, my_role: Role, my_id: String) -> impl IntoView {
    let manageable = my_role.manages(user.role) && user.id != my_id;
    let disabled = user.disabled_at.is_some();
    let select_id = format!("role-{}", user.id);
    let role_label = format!("Role of {}", user.email);
    let (id_a, id_b) = (user.id.clone(), user.id.clone());
    view! {
        <tr data-email=user.email.clone()>
            <td data-label="Name">{user.name.clone()}</td>
            <td data-label="Email">{user.email.clone()}</td>
            <td data-label="Role">
                {if manageable {
                    view! {
                        <Form action=UpdatePerson::url() class="form-inline">
                            <input type="hidden" name="id" value=id_a.clone() />
                            <label class="visually-hidden" for=select_id.clone()>{role_label.clone()}</label>
                            <RoleSelect id=select_id name="role" ceiling=Role::Owner selected=user.role managed_by=my_role />
                            <button type="submit" class="button button-small">"Change role"</button>
                        </Form>
                    }.into_any()
                } else {
                    view! { <span>{user.role.label()}</span> }.into_any()
                }}
            </td>
            <td data-label="Status">{if disabled { "Disabled" } else { "Active" }}</td>
            <td data-label="Actions">
                {manageable.then(|| view! {
                    <Form action=UpdatePerson::url() class="form-inline">
                        <input type="hidden" name="id" value=id_b.clone() />
                        <input type="hidden" name="disabled" value=(!disabled).to_string() />
                        <button type="submit" class="button button-small">{if disabled { "Enable" } else { "Disable" }}</button>
                    </Form>
                })}
            </td>
        </tr>
    }
}
