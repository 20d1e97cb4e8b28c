//! The home page: what utmforge does, and the parameters it sets on every link.

use crate::components::LazyCode;
use leptos::prelude::*;
use leptos_meta::Title;
use utmforge_core::{BuyingModel, UTM_SOURCE};

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="" />
        <section class="hero">
            <h1>"Every ChatGPT ad link, tagged the same way."</h1>
            <p class="lede">
                "utmforge turns your campaigns and creatives into destination URLs with normalized UTM parameters, ready to paste into ChatGPT's Ads Manager. "
                "It also generates the GA4 channel group, funnel and report that make that traffic show up as its own channel instead of “Unassigned”."
            </p>
        </section>
        <LazyCode split="parameters_loader" /><Parameters />
    }
}

/// The parameters every link carries; choosing a buying model shows its utm_medium (an island).
#[island(lazy)]
fn Parameters() -> impl IntoView {
    let model = RwSignal::new(BuyingModel::default());
    view! {
        <section class="card" aria-labelledby="params-heading">
            <h2 id="params-heading">"What every link carries"</h2>
            <fieldset class="segmented">
                <legend>"Buying model"</legend>
                {BuyingModel::ALL
                    .into_iter()
                    .map(|m| {
                        view! {
                            <label class="segment">
                                <input
                                    type="radio"
                                    name="buying-model"
                                    value=m.utm_medium()
                                    prop:checked=move || model.get() == m
                                    on:change=move |_| model.set(m)
                                />
                                <span>{m.label()}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <table class="params">
                <thead>
                    <tr>
                        <th scope="col">"Parameter"</th>
                        <th scope="col">"Value"</th>
                        <th scope="col">"Comes from"</th>
                    </tr>
                </thead>
                <tbody>
                    <tr>
                        <td>
                            <code>"utm_source"</code>
                        </td>
                        <td>
                            <code>{UTM_SOURCE}</code>
                        </td>
                        <td>"Always the same for ChatGPT ads; never editable."</td>
                    </tr>
                    <tr>
                        <td>
                            <code>"utm_medium"</code>
                        </td>
                        <td>
                            <code data-testid="medium-value">{move || model.get().utm_medium()}</code>
                        </td>
                        <td>"The campaign's buying model."</td>
                    </tr>
                    <tr>
                        <td>
                            <code>"utm_campaign"</code>
                        </td>
                        <td class="muted">"a slug"</td>
                        <td>"The campaign name."</td>
                    </tr>
                    <tr>
                        <td>
                            <code>"utm_content"</code>
                        </td>
                        <td class="muted">"a slug"</td>
                        <td>"The creative's variant name."</td>
                    </tr>
                    <tr>
                        <td>
                            <code>"utm_term"</code>
                        </td>
                        <td class="muted">"a slug"</td>
                        <td>"The conversation topic the ad targets."</td>
                    </tr>
                </tbody>
            </table>
        </section>
    }
}
