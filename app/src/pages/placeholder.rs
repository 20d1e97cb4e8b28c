//! A section of the app that is announced in the navigation but not built yet.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Placeholder(title: &'static str, summary: &'static str) -> impl IntoView {
    view! {
        <Title text=title />
        <h1>{title}</h1>
        <p class="lede">{summary}</p>
        <div class="card empty-state">
            <p>"This section is on its way. For now, the home page shows what every link will carry."</p>
        </div>
    }
}
