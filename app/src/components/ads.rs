//! ChatGPT Ads widgets pages share: the connection card (Settings, a campaign's ChatGPT Ads tab).

use leptos::prelude::*;
use utmforge_core::ads::Connection;

/// Connected to which account, or why not and what to do.
#[component]
pub fn ConnectionCard(connection: Connection) -> impl IntoView {
    match connection.account {
        Some(a) => view! {
            <section class="card" aria-labelledby="conn-h" data-testid="ads-connection">
                <h2 id="conn-h">"Connected to ChatGPT Ads"</h2>
                <p>"Ad account " <strong>{a.name.clone()}</strong> " (" <code>{a.id.clone()}</code> ")"
                    {a.currency_code.clone().map(|c| format!(" · {c}"))}
                    {a.timezone.clone().map(|t| format!(" · {t}"))}
                    {a.review.and_then(|r| r.status).map(|s| format!(" · account review: {s}"))}
                </p>
            </section>
        }
        .into_any(),
        None => view! {
            <section class="card" aria-labelledby="conn-h" data-testid="ads-connection">
                <h2 id="conn-h">"Not connected to ChatGPT Ads"</h2>
                <p class="banner banner-error" role="status">{connection.problem.clone().unwrap_or_default()}</p>
                <p class="muted">"An administrator of this server creates an Advertiser API key in OpenAI's Ads Manager (Settings › API keys; one key is one ad account) and starts utmforge with it: "
                    <code>"OPENAI_ADS_API_KEY=… utmforge serve"</code>" or "<code>"--ads-api-key-file PATH"</code>
                    ". The key stays on the server: it is never stored in the database or shown here."</p>
            </section>
        }
        .into_any(),
    }
}
