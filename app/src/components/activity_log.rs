//! The activity log: entries newest first (who, when, each field before → after, the live
//! URLs that changed), with an island that pages back. Used by a campaign's Activity tab and by
//! the admins' Activity page.

use super::LazyCode;
use crate::api::{AppError, Call, Key, Loaded};
use crate::format::timestamp as date_time;
use crate::functions::activity::ListActivity;
use leptos::server_fn::ServerFn;
use utmforge_core::activity::{Entry, DEFAULT_ENTRIES};

use leptos::prelude::*;

/// The activity log of one campaign, or everyone's: its newest entries, rendered by the server,
/// in the island that pages back through it.
#[component]
pub fn ActivityLog(campaign_id: Option<String>) -> impl IntoView {
    let id = campaign_id.clone();
    let first: Loaded<Vec<Entry>> = Loaded::new(
        move || Key {
            id: id.clone(),
            ..Key::none()
        },
        |k| Box::pin(crate::functions::activity::list_activity(k.id, None)),
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || {
                let campaign_id = campaign_id.clone();
                Suspend::new(async move {
                    view! { <LazyCode split="activity_list_loader" /><ActivityList campaign_id first=first.await /> }
                })
            }}
        </Transition>
    }
}

/// One page of an activity log, newest first (an island: "Older entries" loads the next page
/// in place). `first` is the newest page, rendered by the server.
#[island(lazy)]
pub fn ActivityList(
    campaign_id: Option<String>,
    first: Result<Vec<Entry>, AppError>,
) -> impl IntoView {
    let older = Call::<Vec<Entry>>::new(ListActivity::url());
    let shown = move || older.answer().unwrap_or_else(|| first.clone());
    let load_before = move |oldest: i64| {
        let mut args = vec![("before_id", oldest.to_string())];
        if let Some(id) = campaign_id.clone() {
            args.push(("campaign_id", id));
        }
        older.dispatch(args);
    };
    move || {
        match shown() {
        Ok(list) if list.is_empty() => view! { <p class="muted" data-testid="activity-empty">"Nothing has happened here yet."</p> }.into_any(),
        Ok(list) => {
            let oldest = list.last().map(|e| e.id);
            let full = list.len() as i64 >= DEFAULT_ENTRIES;
            let load_before = load_before.clone();
            view! {
                <ol class="activity" data-testid="activity">
                    {list.into_iter().map(|e| view! { <ActivityItem entry=e /> }).collect_view()}
                </ol>
                {(full && oldest.is_some()).then(|| view! {
                    <button type="button" class="button button-small" disabled=move || older.pending()
                        on:click=move |_| load_before(oldest.unwrap_or_default())>"Older entries"</button>
                })}
            }.into_any()
        }
        Err(e) => view! { <div class="banner banner-error" role="alert">{e.summary()}</div> }.into_any(),
    }
    }
}

#[component]
fn ActivityItem(entry: Entry) -> impl IntoView {
    let urls = entry.urls.clone();
    let more = entry.urls_changed.saturating_sub(urls.len());
    view! {
        <li class="activity-item" data-action=entry.action.as_str()>
            <p class="activity-when muted">{date_time(entry.at)}</p>
            <p class="activity-what">{entry.summary.clone()}</p>
            {(!urls.is_empty()).then(|| view! {
                <ul class="activity-urls">
                    {urls.into_iter().map(|u| view! {
                        <li>
                            <strong>{u.creative}</strong>
                            <p class="url"><span class="muted">"was "</span>{u.before.unwrap_or_else(|| "(no URL)".into())}</p>
                            <p class="url"><span class="muted">"now "</span>{u.after.unwrap_or_else(|| "(no URL)".into())}</p>
                        </li>
                    }).collect_view()}
                    {(more > 0).then(|| view! { <li class="muted">{format!("and {more} more")}</li> })}
                </ul>
            })}
        </li>
    }
}
