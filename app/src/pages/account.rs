//! Signing in and out, the first-run setup, accepting an invitation, the people page (admins),
//! one's API tokens, and the activity log.

use crate::api::{Key, Loaded};
use crate::components::ActivityLog;
use crate::components::{reveal_answer, CopyButton, FieldMessage, Form};
use crate::format::timestamp as date_time;
use crate::functions::accounts::{
    AcceptInvitation, CreateToken, Invite, RevokeToken, SetUp, SignIn, UpdatePerson,
    WithdrawInvitation,
};
use crate::routes::Page;
use crate::{use_me, Can};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use utmforge_core::account::People;
use utmforge_core::account::{ApiToken, NewApiToken, NewInvitation, Role, User, MIN_PASSWORD_LEN};
use utmforge_core::Field;

/// Whether the first-run setup is still open (the sign-in and setup pages say so).
type SetupOpen = Loaded<bool>;

/// `/login`: whether setup is open loads while the page's code does.
pub struct LoginRoute {
    setup: SetupOpen,
}

impl Page for LoginRoute {
    fn data() -> Self {
        Self {
            setup: Loaded::new(Key::none, |_| {
                Box::pin(crate::functions::accounts::setup_open())
            }),
        }
    }

    fn view(this: Self) -> AnyView {
        view! { <LoginPage setup=this.setup /> }.into_any()
    }
}

/// `/setup?token=…`.
pub struct SetupRoute {
    open: SetupOpen,
}

impl Page for SetupRoute {
    fn data() -> Self {
        Self {
            open: Loaded::new(Key::none, |_| {
                Box::pin(crate::functions::accounts::setup_open())
            }),
        }
    }

    fn view(this: Self) -> AnyView {
        view! { <SetupPage open=this.open /> }.into_any()
    }
}

/// `/invite?token=…`: the invitation's role loads while the page's code does.
pub struct InviteRoute {
    role: Loaded<Role>,
}

impl Page for InviteRoute {
    fn data() -> Self {
        Self {
            role: {
                let token = invitation_token();
                Loaded::new(
                    move || Key::id(token()),
                    |k| {
                        Box::pin(crate::functions::accounts::invitation_role(
                            k.id.unwrap_or_default(),
                        ))
                    },
                )
            },
        }
    }

    fn view(this: Self) -> AnyView {
        view! { <InvitePage role=this.role /> }.into_any()
    }
}

/// The `token` of a setup or invitation link.
fn invitation_token() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || query.read().get("token").unwrap_or_default()
}

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

/// `/tokens`: one's API tokens.
pub struct TokensRoute {
    tokens: Loaded<Vec<ApiToken>>,
}

impl Page for TokensRoute {
    fn data() -> Self {
        Self {
            tokens: Loaded::new(Key::none, |_| {
                Box::pin(crate::functions::accounts::list_my_tokens())
            }),
        }
    }

    fn view(this: Self) -> AnyView {
        let my_role = use_me().map_or(Role::Viewer, |m| m.role);
        view! { <TokensPage tokens=this.tokens my_role /> }.into_any()
    }
}

/// `/activity` (admins) and `/campaigns/:id/activity`: the log's first page comes with the
/// page; older entries load in place (an island).
pub struct ActivityRoute;

impl Page for ActivityRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <ActivityPage /> }.into_any()
    }
}

#[component]
fn LoginPage(setup: SetupOpen) -> impl IntoView {
    let query = use_query_map();
    let next = query
        .read_untracked()
        .get("next")
        .unwrap_or_else(|| "/".into());
    view! {
        <Title text="Sign in" />
        <div class="narrow">
            <h1>"Sign in"</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    matches!(setup.await, Ok(true)).then(|| view! {
                        <div class="banner banner-info" role="status" data-testid="setup-hint">
                            "No account exists yet. Open the setup link that " <code>"utmforge serve"</code>
                            " printed in its log when it started; it creates the first owner."
                        </div>
                    })
                })}
            </Transition>
            <section class="card">
                <Form action=SignIn::url() class="form">
                    <input type="hidden" name="next" value=next />
                    <div class="field">
                        <label for="login-email">"Email"</label>
                        <input id="login-email" name="email" type="email" autocomplete="username" required />
                    </div>
                    <div class="field">
                        <label for="login-password">"Password"</label>
                        <input id="login-password" name="password" type="password" autocomplete="current-password" required />
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="button button-primary">"Sign in"</button>
                    </div>
                </Form>
            </section>
            <p class="muted">"No account? Ask an admin for an invitation link."</p>
        </div>
    }
}

/// What the setup and invitation forms share: the link's token, and the new account's name,
/// email and password.
#[component]
fn AccountFields(token: String) -> impl IntoView {
    view! {
        <input type="hidden" name="token" value=token />
        <div class="field">
            <label for="account-name">"Your name"</label>
            <input id="account-name" name="account[name]" autocomplete="name" required
                data-field=Field::Name.as_str() aria-describedby="account-name-msg" />
            <FieldMessage id="account-name-msg" help="Shown in the activity log next to what you change." />
        </div>
        <div class="field">
            <label for="account-email">"Email"</label>
            <input id="account-email" name="account[email]" type="email" autocomplete="username" required
                data-field=Field::Email.as_str() aria-describedby="account-email-msg" />
            <FieldMessage id="account-email-msg" help="You sign in with it." />
        </div>
        <div class="field">
            <label for="account-password">"Password"</label>
            <input id="account-password" name="account[password]" type="password" autocomplete="new-password" required
                minlength=MIN_PASSWORD_LEN.to_string()
                data-field=Field::Password.as_str() aria-describedby="account-password-msg" />
            <FieldMessage id="account-password-msg"
                help=format!("At least {MIN_PASSWORD_LEN} characters; a few unrelated words are easy to remember and hard to guess.") />
        </div>
    }
}

#[component]
fn SetupPage(open: SetupOpen) -> impl IntoView {
    let token = invitation_token()();
    view! {
        <Title text="Set up" />
        <div class="narrow">
            <h1>"Set up utmforge"</h1>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                    match open.await {
                        Ok(true) => view! {
                            <p class="lede">"Create the owner account: the owner invites the team and decides who may edit."</p>
                            <section class="card">
                                <Form action=SetUp::url() class="form" novalidate=true>
                                    <AccountFields token=token.clone() />
                                    <div class="form-actions">
                                        <button type="submit" class="button button-primary">"Create owner account"</button>
                                    </div>
                                </Form>
                            </section>
                        }.into_any(),
                        _ => view! {
                            <div class="banner banner-info" role="status">
                                "utmforge is already set up. " <a href="/login">"Sign in"</a> ", or ask an admin for an invitation."
                            </div>
                        }.into_any(),
                    }
                })}}
            </Transition>
        </div>
    }
}

#[component]
fn InvitePage(role: Loaded<Role>) -> impl IntoView {
    let token = invitation_token()();
    view! {
        <Title text="Invitation" />
        <div class="narrow">
            <h1>"Join utmforge"</h1>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                    match role.await {
                        Ok(role) => view! {
                            <p class="lede" data-testid="invited-role">
                                {format!("You are invited as {}: {}.", role.label(), role.description())}
                            </p>
                            <section class="card">
                                <Form action=AcceptInvitation::url() class="form" novalidate=true>
                                    <AccountFields token=token.clone() />
                                    <div class="form-actions">
                                        <button type="submit" class="button button-primary">"Create my account"</button>
                                    </div>
                                </Form>
                            </section>
                        }.into_any(),
                        Err(e) => view! {
                            <div class="banner banner-error" role="alert">{e.summary()}</div>
                            <p>"Ask the person who invited you for a new link, or " <a href="/login">"sign in"</a> "."</p>
                        }.into_any(),
                    }
                })}}
            </Transition>
        </div>
    }
}

/// A role picker offering the roles up to `ceiling`.
#[component]
fn RoleSelect(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    ceiling: Role,
    selected: Role,
    #[prop(optional)] managed_by: Option<Role>,
) -> impl IntoView {
    view! {
        <select id=id name=name>
            {Role::ALL
                .into_iter()
                .filter(|r| *r <= ceiling && managed_by.is_none_or(|m| m.manages(*r)))
                .map(|r| view! { <option value=r.as_str() selected=r == selected>{r.label()}</option> })
                .collect_view()}
        </select>
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
            <NewInvitationLink />
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

/// Tokens with their last use and a revoke button for the live ones.
#[component]
fn TokenTable(
    tokens: Vec<ApiToken>,
    owners: Option<std::collections::HashMap<String, String>>,
) -> impl IntoView {
    if tokens.is_empty() {
        return view! { <p class="muted">"No tokens yet."</p> }.into_any();
    }
    let show_owner = owners.is_some();
    view! {
        <div class="table-scroll">
            <table class="data-table" data-testid="tokens">
                <thead><tr>
                    <th>"Name"</th>
                    {show_owner.then(|| view! { <th>"User"</th> })}
                    <th>"Role"</th><th>"Created"</th><th>"Last used"</th><th>"Status"</th>
                </tr></thead>
                <tbody>
                    {tokens.into_iter().map(|t| {
                        let owner = owners.as_ref().map(|o| o.get(&t.user_id).cloned().unwrap_or_default());
                        let revoke_label = format!("Revoke {}", t.name);
                        let token_id = t.id.clone();
                        view! {
                            <tr data-token=t.name.clone()>
                                <td data-label="Name">{t.name.clone()}</td>
                                {owner.map(|o| view! { <td data-label="User">{o}</td> })}
                                <td data-label="Role">{t.role.label()}</td>
                                <td data-label="Created">{date_time(t.created_at)}</td>
                                <td data-label="Last used">{t.last_used_at.map_or_else(|| "never".to_string(), date_time)}</td>
                                <td data-label="Status">
                                    {match t.revoked_at {
                                        Some(at) => view! { <span class="muted">{format!("Revoked {}", date_time(at))}</span> }.into_any(),
                                        None => view! {
                                            <Form action=RevokeToken::url() class="form-inline">
                                                <input type="hidden" name="id" value=token_id.clone() />
                                                <button type="submit" class="button button-small button-danger-outline"
                                                    aria-label=revoke_label.clone()>"Revoke"</button>
                                            </Form>
                                        }.into_any(),
                                    }}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One's API tokens: create one (the secret is shown once) and revoke. Each action is a form;
/// the page reloads with the list as it now is.
#[component]
fn TokensPage(tokens: Loaded<Vec<ApiToken>>, my_role: Role) -> impl IntoView {
    view! {
        <Title text="API tokens" />
        <h1>"API tokens"</h1>
        <p class="lede">
            "Scripts use the REST API with a token: " <code>"Authorization: Bearer <token>"</code>
            ". A token acts as you, with the role you give it (never more than yours); revoke it when the script retires."
        </p>
        <section class="card" aria-labelledby="new-token-h">
            <h2 id="new-token-h">"New token"</h2>
            <Form action=CreateToken::url() class="form form-inline labeled" novalidate=true keep_answer=true>
                <div class="field">
                    <label for="token-name">"Name"</label>
                    <input id="token-name" name="name" placeholder="e.g. nightly export" required
                        data-field=Field::Name.as_str() aria-describedby="token-name-msg" />
                    <FieldMessage id="token-name-msg" help="What uses it." />
                </div>
                <div class="field">
                    <label for="token-role">"Role"</label>
                    <RoleSelect id="token-role" name="role" ceiling=my_role selected=Role::Viewer />
                </div>
                <div class="form-actions">
                    <button type="submit" class="button button-primary">"Create token"</button>
                </div>
            </Form>
            <NewTokenSecret />
        </section>
        <section class="card" aria-labelledby="my-tokens-h">
            <h2 id="my-tokens-h">"Your tokens"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(tokens) => view! { <TokenTable tokens owners=None /> }.into_any(),
                        Err(e) => view! { <div class="banner banner-error" role="alert">{e.summary()}</div> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The token just created (the form above kept the answer for the reloaded page): its secret,
/// shown once, then forgotten (an island: only this browser ever has the secret).
#[island(lazy)]
fn NewTokenSecret() -> impl IntoView {
    let created = RwSignal::new(None::<NewApiToken>);
    reveal_answer(CreateToken::url(), created);
    move || {
        created.get().map(|created| {
            let example = format!("curl -H \"Authorization: Bearer {}\" {}/api/v1/campaigns", created.secret, origin());
            view! {
                <div class="banner banner-success" role="status">
                    <p>{format!("Token “{}” ({}). Copy it now: it is shown only this once and stored only as a hash.", created.token.name, created.token.role.as_str())}</p>
                    <p class="url" data-testid="token-secret">{created.secret.clone()}</p>
                    <CopyButton text=created.secret.clone() label="Copy token" />
                    <p class="muted">"Try it:"</p>
                    <pre class="code-block">{example}</pre>
                </div>
            }
        })
    }
}

/// This page's origin (`http://host:port`) in the browser; empty on the server.
fn origin() -> String {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

#[component]
fn ActivityPage() -> impl IntoView {
    view! {
        <Title text="Activity" />
        <h1>"Activity"</h1>
        <p class="lede">"Every change, newest first: who, when, and the values before and after. Nobody can edit or delete it."</p>
        <Can role=Role::Admin fallback=|| view! { <p class="banner banner-error">"Only admins see the whole log; each campaign's Activity tab shows its own history."</p> }>
            <section class="card"><ActivityLog campaign_id=None /></section>
        </Can>
    }
}
