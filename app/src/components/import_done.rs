//! What an import did, shown once on the campaign page it returns to.

use leptos::prelude::*;

/// Where the import page leaves what an import did, for the campaign page.
#[cfg(feature = "hydrate")]
pub(crate) fn done_key(campaign_id: &str) -> String {
    format!("utmforge-import-done:{campaign_id}")
}

/// What the last import did, at the top of the campaign page it went back to (an island: the
/// import page left the message in this tab's session storage; it is shown once).
#[island(lazy)]
pub fn ImportDone(campaign_id: String) -> impl IntoView {
    let done = RwSignal::new(None::<String>);
    #[cfg(feature = "hydrate")]
    {
        let key = done_key(&campaign_id);
        Effect::new(move |_| done.set(crate::components::take_flash(&key)));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = campaign_id;
    move || {
        done.get().map(|text| {
            view! { <p class="banner banner-success" role="status" data-testid="import-done">{text}</p> }
        })
    }
}
