//! `/trash`: deleted campaigns and creatives, restorable for 30 days (then purged).

use crate::api::{Key, Loaded};
use crate::components::{FieldMessage, Form, Pager};
use crate::format::timestamp;
use crate::functions::trash::{get_trash, RestoreTrashed};
use crate::pages::Page;
use crate::use_me;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use utmforge_core::account::Role;
use utmforge_core::views::{TrashItem, TrashList};
use utmforge_core::Field;

pub struct TrashRoute {
    items: Loaded<TrashList>,
}

impl Page for TrashRoute {
    fn data() -> Self {
        let query = use_query_map();
        Self {
            items: Loaded::new(
                move || Key::none().with(query.read().get("cursor")),
                |k| Box::pin(get_trash(k.other.unwrap_or_default())),
            ),
        }
    }

    fn view(this: Self) -> AnyView {
        let editor = use_me().is_some_and(|m| m.can(Role::Editor));
        view! { <TrashPage items=this.items editor /> }.into_any()
    }
}

#[component]
fn TrashPage(items: Loaded<TrashList>, editor: bool) -> impl IntoView {
    let later_page = use_query_map()
        .read_untracked()
        .get("cursor")
        .is_some_and(|c| !c.is_empty());
    view! {
        <Title text="Trash" />
        <p class="breadcrumb"><a href="/campaigns">"Campaigns"</a></p>
        <h1>"Trash"</h1>
        <p class="lede">"Deleted campaigns (with their creatives) and creatives stay here for 30 days, out of every list and export; restoring brings back the same links. Then they are deleted for good."</p>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match items.await {
                    Err(e) => view! { <div class="banner banner-error" role="alert">{e.reason()}</div> }.into_any(),
                    Ok(page) if page.items.is_empty() && !later_page => view! { <div class="card empty-state"><p>"The trash is empty."</p></div> }.into_any(),
                    Ok(TrashList { items, next_cursor }) => view! {
                        <ul class="trash-list" aria-label="In the trash">
                            {items.into_iter().map(|t| view! { <TrashEntry t editor /> }).collect_view()}
                        </ul>
                        {(later_page || next_cursor.is_some()).then(|| view! {
                            <Pager label="Pages of the trash" prev_text="← Most recent" next_text="Older →"
                                prev=later_page.then(|| "/trash".to_string())
                                next=next_cursor.map(|c| format!("/trash?cursor={c}")) />
                        })}
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TrashEntry(t: TrashItem, editor: bool) -> impl IntoView {
    let campaign = t.kind == "campaign";
    let what = if campaign {
        format!(
            "Campaign · {} creative{}",
            t.creatives,
            if t.creatives == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "Creative of {}",
            t.slug
                .clone()
                .unwrap_or_else(|| "a campaign in the trash".into())
        )
    };
    let slug_id = format!("new-slug-{}", t.id);
    let msg_id = format!("{slug_id}-msg");
    view! {
        <li class="card trash-item" data-testid="trash-item">
            <div class="creative-head">
                <div>
                    <strong class="variant">{t.name.clone()}</strong>
                    <span class="muted">{format!(" {what}")}</span>
                    {campaign.then(|| t.slug.clone().map(|s| view! { <code class="muted">{format!(" utm_campaign={s}")}</code> }))}
                </div>
            </div>
            <p class="muted">{format!("Deleted by {} on {}; purged after {}.", t.deleted_by, timestamp(t.deleted_at), timestamp(t.purge_at))}</p>
            {editor.then(|| view! {
                <Form action=RestoreTrashed::url() class="form-inline labeled" novalidate=true>
                    <input type="hidden" name="id" value=t.id.clone() />
                    {campaign.then(|| view! {
                        <div class="field">
                            <label for=slug_id.clone()>"New utm_campaign " <span class="optional">"(only if its own is taken now)"</span></label>
                            <input id=slug_id.clone() name="new_slug" type="text" autocomplete="off" maxlength="120"
                                data-field=Field::Campaign.as_str() aria-describedby=msg_id.clone() />
                            <FieldMessage id=msg_id.clone() />
                        </div>
                    })}
                    <div class="form-actions">
                        <button type="submit" class="button" aria-label=format!("Restore {}", t.name)>"Restore"</button>
                    </div>
                </Form>
            })}
        </li>
    }
}
