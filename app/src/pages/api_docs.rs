//! How to drive utmforge over HTTP: the OpenAPI document and curl examples.

use leptos::prelude::*;
use leptos_meta::Title;

const EXAMPLES: [(&str, &str); 8] = [
    ("Tag one URL (as utmforge tag --json)", "curl -s -X POST http://localhost:3000/api/v1/tag \\\n  -d '{\"url\": \"example.com/pricing\", \"campaign\": \"Spring Sale\", \"medium\": \"cpc\", \"content\": \"headline-v2\"}'"),
    ("Lint URLs already in use", "curl -s -X POST http://localhost:3000/api/v1/lint \\\n  -d '{\"urls\": [\"https://example.com/?utm_source=ChatGPT&utm_medium=cpc\"]}'"),
    ("Create a campaign", "curl -s -X POST http://localhost:3000/api/v1/campaigns \\\n  -d '{\"name\": \"Spring Sale 2025\", \"buying_model\": \"cpc\", \"landing_url\": \"https://example.com/spring\", \"conversion\": \"order_created\"}'"),
    ("Add a creative (its URL comes back)", "curl -s -X POST http://localhost:3000/api/v1/campaigns/$CAMPAIGN_ID/creatives \\\n  -d '{\"variant\": \"Headline V2\", \"topic\": \"CRM software\"}'"),
    ("Change some fields, with the version you read (409 if someone changed it)", "curl -s -X PATCH http://localhost:3000/api/v1/creatives/$CREATIVE_ID \\\n  -d '{\"version\": 1, \"variant\": \"Headline V3\"}'"),
    ("Import a sheet (preview with ?dry_run=true, then import with its token)", "curl -s -X POST 'http://localhost:3000/api/v1/campaigns/$CAMPAIGN_ID/import?dry_run=true' \\\n  -H 'Content-Type: text/csv' --data-binary @creatives.csv\ncurl -s -X POST \"http://localhost:3000/api/v1/campaigns/$CAMPAIGN_ID/import?token=$PLAN\" \\\n  -H 'Content-Type: text/csv' --data-binary @creatives.csv"),
    ("Export a campaign, get its GA4 funnel", "curl -s -OJ http://localhost:3000/api/v1/campaigns/$CAMPAIGN_ID/export.csv\ncurl -s http://localhost:3000/api/v1/campaigns/$CAMPAIGN_ID/ga4/funnel"),
    ("Validate a Conversions API batch (nothing is sent)", "curl -s -X POST http://localhost:3000/api/v1/capi/validate \\\n  -d '{\"events\": [{\"id\": \"order_created_u1_1795694400000\", \"type\": \"order_created\", \"timestamp_ms\": 1795694400000, \"action_source\": \"phone_call\"}]}'"),
];

#[component]
pub fn ApiPage() -> impl IntoView {
    view! {
        <Title text="API" />
        <h1>"API"</h1>
        <p class="lede">
            "Everything the app does, over HTTP with JSON, under "<code>"/api/v1"</code>". The full description is the OpenAPI 3.1 document: "
            <a href="/api/v1/openapi.json" rel="external">"/api/v1/openapi.json"</a>"."
        </p>
        <section class="card">
            <h2>"Authentication"</h2>
            <p>
                "Every call needs an API token: create one on the "<a href="/tokens">"API tokens"</a>" page (or "
                <code>"utmforge token create"</code>" on the server) with the role the script needs, and send it as "
                <code>"Authorization: Bearer <token>"</code>". Without a valid token the answer is 401 "<code>"unauthenticated"</code>
                "; when the token's role may not do something, 403 "<code>"forbidden"</code>". JSON bodies must say "
                <code>"Content-Type: application/json"</code>" (415 otherwise). The examples below assume:"
            </p>
            <pre class="code" tabindex="0" role="region" aria-label="Authentication: example"><code>"alias curl='curl -H \"Authorization: Bearer $TOKEN\" -H \"Content-Type: application/json\"'"</code></pre>
        </section>
        <section class="card">
            <h2>"Errors and limits"</h2>
            <p>"Errors are "<code>"{\"error\": {\"code\", \"message\", \"field\"}}"</code>": 400 malformed JSON, 401 no valid token, 403 role too low, 404 not found, 409 duplicate or stale version, 413 body over 1 MiB (10 MiB for CSV), 422 a rule broken ("<code>"all"</code>" lists every one), including a missing or unknown field and more than 10,000 URLs or 5,000 rows. PUT replaces a whole campaign or creative (every field); PATCH changes the fields given. An import's dry run answers a "<code>"token"</code>"; the import with "<code>"?token="</code>" is refused (409) if anything changed since."</p>
        </section>
        {EXAMPLES.iter().map(|(title, cmd)| view! {
            <section class="card">
                <h2>{*title}</h2>
                // Scrolls sideways on a phone: focusable, so a keyboard can scroll it too.
                <pre class="code" tabindex="0" role="region" aria-label=format!("{title}: example")><code>{*cmd}</code></pre>
            </section>
        }).collect_view()}
    }
}
