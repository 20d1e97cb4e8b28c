//! `/tokens`: one's API tokens.

use super::TokenTable;
use super::{origin, RoleSelect};
use crate::api::{Key, Loaded};
use crate::components::{reveal_answer, CopyButton, FieldMessage, Form, LazyCode};
use crate::functions::accounts::CreateToken;
use crate::pages::Page;
use crate::use_me;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use utmforge_core::account::{ApiToken, NewApiToken, Role};
use utmforge_core::Field;

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
            <LazyCode split="new_token_secret_loader" /><NewTokenSecret />
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
