//! Signing in, the first-run setup and accepting an invitation: the pages people who are not
//! signed in see.

use crate::api::{Key, Loaded};
use crate::components::{FieldMessage, Form};
use crate::functions::accounts::{AcceptInvitation, SetUp, SignIn};
use crate::pages::Page;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use utmforge_core::account::{Role, MIN_PASSWORD_LEN};
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
