//! Signing in and out, the first-run setup, accepting an invitation, the people page (admins),
//! one's API tokens, and the activity log: a module per page, and the parts two of them share
//! (the role picker, the token table, the site's address).

mod activity;
mod people;
mod sign_in;
mod tokens;

pub use activity::ActivityRoute;
pub use people::PeopleRoute;
pub use sign_in::{InviteRoute, LoginRoute, SetupRoute};
pub use tokens::TokensRoute;

use crate::components::Form;
use crate::format::timestamp as date_time;
use crate::functions::accounts::RevokeToken;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use utmforge_core::account::{ApiToken, Role};

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
