//! A page's data that may name a campaign that is not there: the page, or a not-found message.

use crate::api::AppError;
use leptos_router::components::A;

use leptos::prelude::*;

/// "Not found" for a deleted or unknown campaign, else the error.
#[component]
pub fn NotFoundOr(error: AppError) -> impl IntoView {
    match error {
        AppError::NotFound { .. } => view! {
            <h1>"Campaign not found"</h1>
            <p class="lede">"It may have been deleted."</p>
            <p><A href="/campaigns">"Back to the campaigns"</A></p>
        }
        .into_any(),
        e => view! { <div class="banner banner-error" role="alert">{e.summary()}</div> }.into_any(),
    }
}
