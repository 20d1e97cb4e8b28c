//! Tagging in the browser, for the live previews: core's own rules (`Preview::of`,
//! `campaign_slug`), compiled into a WASM chunk of their own. The chunk (core with url, idna and
//! deunicode) is fetched once the page is interactive, never in the first load; until it has
//! arrived, the previews ask the server, which runs the same functions. What is saved is always
//! computed and validated again by the server.

use leptos::prelude::*;
use utmforge_core::rules::TeamRules;
use utmforge_core::views::Preview;
use utmforge_core::{Campaign, CreativeDraft};

/// The URL a creative form gives under the team's rules, computed in the page.
#[leptos::lazy]
fn creative_preview(campaign: Campaign, draft: CreativeDraft, rules: TeamRules) -> Preview {
    Preview::of(&campaign, &draft, &rules)
}

/// The `utm_campaign` a campaign form gives, computed in the page.
#[leptos::lazy]
fn campaign_slug_preview(name: String, slug: String) -> Option<String> {
    utmforge_core::campaign_slug(&name, &slug).ok()
}

/// Where a preview was computed (shown to tests and to the curious as `data-computed-in`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComputedIn {
    Server,
    Browser,
}

impl ComputedIn {
    pub fn as_str(self) -> &'static str {
        match self {
            ComputedIn::Server => "server",
            ComputedIn::Browser => "browser",
        }
    }
}

/// True once the tagging chunk is in this browser. Its fetch starts once every island of the
/// page has hydrated (`HydratedMarker` says so), never during the first load; on the server it
/// stays false.
pub fn tagging_ready() -> ReadSignal<bool> {
    let (ready, set_ready) = signal(false);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        crate::components::after_hydration(move || {
            leptos::task::spawn_local(async move {
                __preload_creative_preview().await;
                __preload_campaign_slug_preview().await;
                set_ready.set(true);
            })
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = set_ready;
    });
    ready
}

/// Computes `draft`'s preview in the browser whenever the inputs change and the chunk is there;
/// None until then.
pub fn browser_preview(
    ready: ReadSignal<bool>,
    inputs: impl Fn() -> Option<(Campaign, CreativeDraft, TeamRules)> + 'static,
) -> ReadSignal<Option<Preview>> {
    let (preview, set_preview) = signal(None::<Preview>);
    Effect::new(move |_| {
        let inputs = inputs();
        if !ready.get() {
            return;
        }
        if let Some((campaign, draft, rules)) = inputs {
            leptos::task::spawn_local(async move {
                set_preview.set(Some(creative_preview(campaign, draft, rules).await));
            });
        }
    });
    preview
}

/// The slug a campaign form gives, computed in the browser once the chunk is there; None
/// (outer) until then.
pub fn browser_slug(
    ready: ReadSignal<bool>,
    inputs: impl Fn() -> (String, String) + 'static,
) -> ReadSignal<Option<Option<String>>> {
    let (slug, set_slug) = signal(None::<Option<String>>);
    Effect::new(move |_| {
        let (name, explicit) = inputs();
        if !ready.get() {
            return;
        }
        leptos::task::spawn_local(async move {
            set_slug.set(Some(campaign_slug_preview(name, explicit).await));
        });
    });
    slug
}

/// Keeps `value` equal to what is in the input with id `id` on this page (the server's HTML,
/// outside the island that reads it): what was typed before the page hydrated, then every
/// keystroke.
pub fn follow_input(id: &'static str, value: RwSignal<String>) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        let read = move |el: Option<web_sys::HtmlInputElement>| {
            if let Some(el) = el.filter(|el| el.id() == id) {
                if value.get_untracked() != el.value() {
                    value.set(el.value());
                }
            }
        };
        Effect::new(move |_| {
            read(
                document()
                    .get_element_by_id(id)
                    .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok()),
            )
        });
        // One listener for the page's lifetime (islands are not unmounted).
        std::mem::forget(window_event_listener(leptos::ev::input, move |ev| {
            read(
                ev.target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()),
            )
        }));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, value);
}

/// Until the tagging chunk is here, asks the server (`ask`) each time `typed` settles on a new
/// value; never for the value the page was rendered with.
pub fn ask_until_ready<T: Clone + PartialEq + Send + Sync + 'static>(
    ready: ReadSignal<bool>,
    typed: ReadSignal<T>,
    ask: impl Fn(T) + 'static,
) {
    Effect::watch(
        move || typed.get(),
        move |value, _, _| {
            if !ready.get_untracked() {
                ask(value.clone());
            }
        },
        false,
    );
}
