//! `/activity` (admins) and `/campaigns/:id/activity`: the activity log.

use crate::components::ActivityLog;
use crate::pages::Page;
use crate::Can;
use leptos::prelude::*;
use leptos_meta::Title;
use utmforge_core::account::Role;

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
