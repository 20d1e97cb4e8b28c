//! Small building blocks shared by the pages.

use crate::api::AppError;
use leptos::prelude::*;
use utmforge_core::{Field, Notice};

/// Counts up whenever `versions` changes (an action on the page has finished): a route's data,
/// made before the page's code arrived and keyed on this counter, then loads again.
pub fn refresh_after<D: 'static>(refresh: RwSignal<u32>, versions: impl Fn() -> D + 'static) {
    Effect::watch(versions, move |_, _, _| refresh.update(|n| *n += 1), false);
}

/// The message for `field` from the last failed submission, if any.
pub fn field_error(error: Signal<Option<AppError>>, field: Field) -> Signal<Option<String>> {
    Signal::derive(move || error.get().and_then(|e| e.for_field(field)))
}

/// `aria-invalid="true"` while `field` has an error.
pub fn aria_invalid(
    error: Signal<Option<AppError>>,
    field: Field,
) -> impl Fn() -> Option<&'static str> + Copy {
    move || field_error(error, field).get().map(|_| "true")
}

/// The message under a field; an empty, reserved line when there is none (no layout jump).
#[component]
pub fn FieldMessage(
    #[prop(into)] id: String,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional, into)] help: Option<String>,
) -> impl IntoView {
    view! {
        <p id=id class="field-message" class:field-error=move || error.get().is_some() aria-live="polite">
            {move || error.get().or_else(|| help.clone()).unwrap_or_default()}
        </p>
    }
}

/// The banner at the top of a form after a failed save.
#[component]
pub fn FormBanner(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! {
                <div class="banner banner-error" role="alert">
                    {e.summary()}
                </div>
            }
        })
    }
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

/// Copies `text` to the clipboard and says so.
#[component]
pub fn CopyButton(
    #[prop(into)] text: Signal<String>,
    #[prop(into)] label: String,
    #[prop(optional, into)] accessible_label: Option<String>,
) -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    let on_click = move |_| {
        let value = text.get_untracked();
        copy_to_clipboard(value, copied);
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
