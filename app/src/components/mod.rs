//! Small building blocks shared by the pages, and the islands every page may carry (the form,
//! the copy button, the hydration marker).

mod activity_log;
mod ads;
mod ga4;
pub(crate) mod import_done;
pub mod links;
mod not_found_or;

pub use activity_log::ActivityLog;
pub(crate) use ads::ConnectionCard;
pub(crate) use ga4::{ArtifactCard, CampaignTabs};
pub use import_done::ImportDone;
pub use not_found_or::NotFoundOr;

use crate::api::AppError;
use leptos::prelude::*;
use utmforge_core::{Field, Notice};

/// A form that posts to a server function (`action`, its URL) from the page: one island for
/// every form, so no form costs its own WASM. The fields are the server's HTML (`children`).
/// A refused save keeps everything typed: the banner at the top says what is wrong, and each
/// input with `data-field` gets its message in the element its `aria-describedby` names first.
/// A save the server answers with a place to go (`Location`) goes there; any other reloads the
/// page, which then shows `done` at the top of this form; with `keep_answer`, the answer is kept
/// for the reloaded page's [`reveal_answer`] (a secret shown once). A form whose `class` ends in
/// `multipart` posts as `multipart/form-data` (a form with a file; its submit button says
/// `formenctype="multipart/form-data"` for a post without JavaScript: an attribute of the form
/// itself would cost every page ~0.5 KB of WASM). Without JavaScript, or before
/// the WASM has arrived, the form posts as HTML forms do and the server redirects back.
#[island]
pub fn Form(
    #[prop(into)] action: String,
    #[prop(optional, into)] class: Option<String>,
    #[prop(optional)] novalidate: Option<bool>,
    #[prop(optional, into)] done: Option<String>,
    #[prop(optional)] keep_answer: Option<bool>,
    children: Children,
) -> impl IntoView {
    let error = RwSignal::new(None::<AppError>);
    let said = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    #[cfg(feature = "hydrate")]
    {
        let key = done_key(&action);
        Effect::new(move |_| said.set(take_flash(&key)));
    }
    let submit = {
        #[cfg(feature = "hydrate")]
        let action = action.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if pending.get_untracked() {
                return;
            }
            #[cfg(feature = "hydrate")]
            if let Some(el) = form.get_untracked() {
                send(
                    el,
                    action.clone(),
                    done.clone(),
                    keep_answer.unwrap_or_default(),
                    error,
                    pending,
                    said,
                );
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (&done, keep_answer, form);
        }
    };
    view! {
        <form method="post" action=action class=class novalidate=novalidate.unwrap_or_default() node_ref=form
            on:submit=submit aria-busy=move || pending.get().then_some("true")>
            {move || error.get().map(|e| view! { <div class="banner banner-error" role="alert">{e.summary()}</div> })}
            {move || said.get().map(|m| view! { <p class="banner banner-success" role="status">{m}</p> })}
            {children()}
        </form>
    }
}

/// The message a page left in this tab's session storage under `key` for the next page it
/// loads (a form's `done`, an import's outcome), then forgotten.
#[cfg(feature = "hydrate")]
pub fn take_flash(key: &str) -> Option<String> {
    let storage = window().session_storage().ok().flatten()?;
    let message = storage.get_item(key).ok().flatten()?;
    let _ = storage.remove_item(key);
    Some(message)
}

/// Where a form leaves its `done` message for the reloaded page.
#[cfg(feature = "hydrate")]
fn done_key(action: &str) -> String {
    format!("utmforge-done:{action}")
}

/// Where a form with `keep_answer` leaves its answer for the reloaded page.
#[cfg(feature = "hydrate")]
fn answer_key(action: &str) -> String {
    format!("utmforge-answer:{action}")
}

/// Shows in `into` what the form posting to `action` answered before the page reloaded (see
/// [`Form`]'s `keep_answer`), once: it is forgotten as it is read, so reloading the page again
/// does not show it.
pub fn reveal_answer<T>(action: &str, into: RwSignal<Option<T>>)
where
    T: serde::de::DeserializeOwned + Send + Sync + 'static,
{
    #[cfg(feature = "hydrate")]
    {
        let key = answer_key(action);
        Effect::new(move |_| {
            if let Some(text) = take_flash(&key) {
                into.set(serde_json::from_str(&text).ok());
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (action, into);
}

/// Posts `form` to `action` and shows the answer (see [`Form`]).
#[cfg(feature = "hydrate")]
fn send(
    form: web_sys::HtmlFormElement,
    action: String,
    done: Option<String>,
    keep_answer: bool,
    error: RwSignal<Option<AppError>>,
    pending: RwSignal<bool>,
    said: RwSignal<Option<String>>,
) {
    // A form with a file (class `multipart`) posts as the browser would.
    let multipart = form
        .get_attribute("class")
        .is_some_and(|c| c.ends_with(" multipart"));
    let body = web_sys::FormData::new_with_form(&form).and_then(|data| match multipart {
        true => Ok(data.into()),
        false => web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).map(Into::into),
    });
    let Ok(body) = body else {
        error.set(Some(AppError::Internal(
            "the form could not be read".into(),
        )));
        return;
    };
    pending.set(true);
    said.set(None);
    leptos::task::spawn_local(async move {
        match crate::api::browser::post(&action, &body).await {
            Ok(posted) => {
                let location = window().location();
                match posted.location {
                    Some(to) => {
                        let _ = location.assign(&to);
                    }
                    None => {
                        if let Some(storage) = window().session_storage().ok().flatten() {
                            if let Some(message) = done {
                                let _ = storage.set_item(&done_key(&action), &message);
                            }
                            if keep_answer {
                                let _ = storage.set_item(&answer_key(&action), &posted.text);
                            }
                        }
                        let _ = location.href().map(|here| location.replace(&here));
                    }
                }
            }
            Err(e) => {
                mark_fields(&form, &e);
                pending.set(false);
                error.set(Some(e));
            }
        }
    });
}

/// Puts each field's message from `e` beside its input (and clears the ones now fixed).
#[cfg(feature = "hydrate")]
fn mark_fields(form: &web_sys::HtmlFormElement, e: &AppError) {
    let Ok(inputs) = form.query_selector_all("[data-field]") else {
        return;
    };
    for i in 0..inputs.length() {
        let Some(input) = inputs
            .item(i)
            .and_then(|n| leptos::wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
        else {
            continue;
        };
        let message = input
            .get_attribute("data-field")
            .and_then(|f| serde_json::from_value::<Field>(serde_json::Value::String(f)).ok())
            .and_then(|f| e.for_field(f));
        let _ = match message {
            Some(_) => input.set_attribute("aria-invalid", "true"),
            None => input.remove_attribute("aria-invalid"),
        };
        let target = input
            .get_attribute("aria-describedby")
            .and_then(|d| d.split_whitespace().next().map(str::to_string))
            .and_then(|id| document().get_element_by_id(&id));
        if let Some(target) = target {
            if !target.has_attribute("data-help") {
                let help = target.text_content().unwrap_or_default();
                let _ = target.set_attribute("data-help", &help);
            }
            let classes = target.class_list();
            match message {
                Some(m) => {
                    target.set_text_content(Some(&m));
                    let _ = classes.add_1("field-error");
                }
                None => {
                    target.set_text_content(target.get_attribute("data-help").as_deref());
                    let _ = classes.remove_1("field-error");
                }
            }
        }
    }
}

/// The message under a field; an empty, reserved line when there is none (no layout jump).
#[component]
pub fn FieldMessage(
    #[prop(into)] id: String,
    /// None: the form island writes the message when the server refuses a save.
    #[prop(optional, into)]
    error: Signal<Option<String>>,
    #[prop(optional, into)] help: Option<String>,
) -> impl IntoView {
    view! {
        <p id=id class="field-message" class:field-error=move || error.get().is_some() aria-live="polite">
            {move || error.get().or_else(|| help.clone()).unwrap_or_default()}
        </p>
    }
}

/// The confirmation an active campaign's link change needs (`confirm_live_change`): shown in
/// the edit forms of active campaigns and their creatives; the server refuses (409) an
/// unconfirmed change that alters a live URL and says which.
#[component]
pub fn ConfirmLiveChange(active: bool) -> impl IntoView {
    active.then(|| {
        view! {
            <ConfirmBox
                label=" Ads carry the old link; I will update them"
                help="This campaign is active: changing the campaign value, a variant name, a topic or a landing URL changes the URL its ads carry. Tick this only if you will update the ads." />
        }
    })
}

/// The `confirm_live_change` checkbox with its label and help (a refusal shows beside it).
#[component]
pub fn ConfirmBox(label: &'static str, help: &'static str) -> impl IntoView {
    view! {
        <div class="field confirm-live">
            <label class="check">
                <input type="checkbox" name="confirm_live_change" value="true"
                    data-field=Field::ConfirmLiveChange.as_str() aria-describedby="confirm-live-msg" />
                {label}
            </label>
            <FieldMessage id="confirm-live-msg" help=help />
        </div>
    }
}

/// The team's topics and aliases, suggested as people type a topic (`list="team-topics"` on
/// the campaign and creative forms' topic inputs).
#[component]
pub fn TopicList(topics: Vec<String>) -> impl IntoView {
    (!topics.is_empty()).then(|| {
        view! {
            <datalist id="team-topics">
                {topics.into_iter().map(|t| view! { <option value=t></option> }).collect_view()}
            </datalist>
        }
    })
}

/// The banner of a form with one input, `field`: says what is wrong with that input.
#[component]
pub fn InputBanner(#[prop(into)] error: Signal<Option<AppError>>, field: Field) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! {
                <div class="banner banner-error" role="alert">
                    {e.message_about(field)}
                </div>
            }
        })
    }
}

/// Warnings about a URL, as a list.
/// Links to the pages beside this one of a list (`prev`, `next`: their addresses; a greyed
/// button where there is none), and whatever goes between them (`children`).
#[component]
pub fn Pager(
    label: &'static str,
    prev: Option<String>,
    next: Option<String>,
    #[prop(default = "← Previous")] prev_text: &'static str,
    #[prop(default = "Next →")] next_text: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let link = |href: Option<String>, rel: &'static str, text: &'static str| match href {
        Some(href) => view! { <a class="button" rel=rel href=href>{text}</a> }.into_any(),
        None => view! { <span class="button" aria-disabled="true">{text}</span> }.into_any(),
    };
    view! {
        <nav class="pager" aria-label=label>
            {link(prev, "prev", prev_text)}
            {children.map(|c| c())}
            {link(next, "next", next_text)}
        </nav>
    }
}

#[component]
pub fn Warnings(warnings: Vec<Notice>) -> impl IntoView {
    (!warnings.is_empty()).then(|| {
        view! {
            <ul class="warnings">
                {warnings
                    .into_iter()
                    .map(|w| view! { <li data-code=w.code.as_str()>{w.message}</li> })
                    .collect_view()}
            </ul>
        }
    })
}

/// Copies `text` to the clipboard and says so (an island: it works in the page).
/// The built files under `/pkg` (read by the shell once per process; see `lazy_code`).
#[derive(Clone, Copy)]
pub struct PkgFiles(pub &'static [String]);

/// Announces the WASM of a lazy island (its split point, e.g. `creative_preview_loader`) that
/// this page shows: `<link rel="preload">` of the split's bundle (one file holding every chunk
/// the island needs, written by `scripts/wasm-bundles.py`), so the browser fetches it in the
/// same wave as the main module instead of chunk by chunk once the island script asks for it
/// (the campaign page: 56 requests in 4 waves → 9 in 1). Placed right before the island;
/// nothing when the build has no such bundle (a build without `--split`).
#[component]
pub fn LazyCode(split: &'static str) -> impl IntoView {
    let file = format!("bundle_{split}.bin");
    let built = use_context::<PkgFiles>().is_some_and(|files| files.0.contains(&file));
    let href = format!("/pkg/{file}");
    built.then(|| view! { <link rel="preload" href=href r#as="fetch" crossorigin="anonymous" /> })
}

#[island]
pub fn CopyButton(
    #[prop(into)] text: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] accessible_label: Option<String>,
) -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    let on_click = move |_| {
        copy_to_clipboard(text.clone(), copied);
    };
    let aria = accessible_label.unwrap_or_else(|| label.clone());
    view! {
        <button type="button" class="button button-small" on:click=on_click aria-label=aria>
            {move || match copied.get() {
                Some(true) => "Copied ✓".to_string(),
                Some(false) => "Copy failed".to_string(),
                None => label.clone(),
            }}
        </button>
    }
}

#[cfg(feature = "hydrate")]
fn copy_to_clipboard(text: String, copied: RwSignal<Option<bool>>) {
    let promise = window().navigator().clipboard().write_text(&text);
    leptos::task::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        copied.set(Some(ok));
        set_timeout(
            move || copied.set(None),
            std::time::Duration::from_millis(2000),
        );
    });
}

#[cfg(not(feature = "hydrate"))]
fn copy_to_clipboard(_text: String, _copied: RwSignal<Option<bool>>) {}

/// `source`, once it has stopped changing for 150 ms: a live preview asks the server once
/// typing pauses, not on every keystroke. On the server (no typing) it is simply `source`.
pub fn debounced<T>(source: Signal<T>) -> ReadSignal<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let (value, set_value) = signal(source.get_untracked());
    #[cfg(feature = "hydrate")]
    {
        let pending = StoredValue::new(None::<TimeoutHandle>);
        Effect::new(move |_| {
            let next = source.get();
            if let Some(handle) = pending.try_get_value().flatten() {
                handle.clear();
            }
            // The form may be gone when the timer fires (a successful add re-renders it): then
            // there is nothing to update.
            let handle = set_timeout_with_handle(
                move || {
                    if value.try_get_untracked().is_some_and(|v| v != next) {
                        set_value.try_set(next);
                    }
                },
                std::time::Duration::from_millis(150),
            )
            .ok();
            pending.try_set_value(handle);
        });
        on_cleanup(move || {
            if let Some(handle) = pending.try_get_value().flatten() {
                handle.clear();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = set_value;
    value
}

/// The event `HydratedMarker` sends on `window` when the page's islands have hydrated.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub const HYDRATED_EVENT: &str = "utmforge-hydrated";

/// Runs `then` once every island of the page has hydrated (at once if they have): what the
/// page needs only after it is interactive (the previews' tagging chunk) is
/// fetched then, never during the first load.
#[cfg(feature = "hydrate")]
pub fn after_hydration(then: impl FnOnce() + 'static) {
    let hydrated = document()
        .query_selector(".app[data-hydrated]")
        .ok()
        .flatten()
        .is_some();
    if hydrated {
        then();
    } else {
        let once = std::cell::Cell::new(Some(then));
        // One listener for the page's lifetime (islands are not unmounted).
        std::mem::forget(window_event_listener_untyped(HYDRATED_EVENT, move |_| {
            if let Some(then) = once.take() {
                then();
            }
        }));
    }
}

/// Marks the app root `data-hydrated="true"` once the page's islands have hydrated (islands
/// hydrate in document order; this one is last in the page). Tests wait for it.
#[island]
pub fn HydratedMarker() -> impl IntoView {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(root) = document().query_selector(".app").ok().flatten() {
            let _ = root.set_attribute("data-hydrated", "true");
            // What waits for the whole page (the previews' tagging chunk) starts now.
            if let Ok(event) = web_sys::Event::new(HYDRATED_EVENT) {
                let _ = window().dispatch_event(&event);
            }
        }
    });
}
