//! utmforge's user interface: the HTML shell, the app shell (header and navigation) and the
//! pages. Built twice by cargo-leptos: with `ssr` into the server, with `hydrate` into the WASM.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes, A},
    path, SsrMode, StaticSegment,
};

pub mod api;
mod components;
mod format;
mod pages;

use pages::{
    api_docs::ApiPage,
    audit::AuditPage,
    campaign::{CampaignPageView, EditCreativePage},
    campaign_form::{EditCampaignPage, NewCampaignPage},
    campaigns::CampaignsPage,
    ga4::{CampaignGa4Page, Ga4SetupPage},
    home::HomePage,
    not_found::NotFound,
};

/// The product name as shown to people.
pub const PRODUCT_NAME: &str = "utmforge";

/// The whole HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The app shell: header with navigation, then the routed page.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    // Effects run only in the browser, once the page is hydrated: the marker tells tests
    // (and anyone inspecting the page) that the interactive parts are live.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    view! {
        <Stylesheet id="leptos" href="/pkg/utmforge.css" />
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        <Meta
            name="description"
            content="utmforge tags ChatGPT ad links with normalized UTM parameters and generates the matching GA4 configuration."
        />
        <Title formatter=|page: String| {
            if page.is_empty() { PRODUCT_NAME.to_string() } else { format!("{page} · {PRODUCT_NAME}") }
        } />
        <Router>
            <div class="app" data-hydrated=move || hydrated.get().then_some("true")>
                <Header />
                <main class="page" id="main">
                    // Pages with data stream in order: each part arrives in place, so they are
                    // complete without JavaScript (out of order needs a script to move them).
                    <Routes fallback=NotFound>
                        <Route path=StaticSegment("") view=HomePage />
                        <Route path=path!("/campaigns") view=CampaignsPage ssr=SsrMode::InOrder />
                        <Route path=path!("/campaigns/new") view=NewCampaignPage />
                        <Route path=path!("/campaigns/:id") view=CampaignPageView ssr=SsrMode::InOrder />
                        <Route path=path!("/campaigns/:id/edit") view=EditCampaignPage ssr=SsrMode::InOrder />
                        <Route path=path!("/campaigns/:id/creatives/:cid") view=EditCreativePage ssr=SsrMode::InOrder />
                        <Route path=path!("/campaigns/:id/ga4") view=CampaignGa4Page ssr=SsrMode::InOrder />
                        <Route path=StaticSegment("ga4") view=Ga4SetupPage ssr=SsrMode::InOrder />
                        <Route path=StaticSegment("audit") view=AuditPage />
                        <Route path=path!("/api") view=ApiPage />
                    </Routes>
                </main>
                <footer class="site-footer">
                    <p>"utmforge — consistent UTM tagging and GA4 setup for ChatGPT ads."</p>
                </footer>
            </div>
        </Router>
    }
}

/// The header: product name (a link home) and the main navigation.
#[component]
fn Header() -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">
            "Skip to content"
        </a>
        <header class="site-header">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">
                    "u"
                </span>
                <span class="brand-name">{PRODUCT_NAME}</span>
            </A>
            <nav class="site-nav" aria-label="Main">
                <A href="/campaigns">"Campaigns"</A>
                <A href="/ga4">"GA4 setup"</A>
                <A href="/audit">"Audit"</A>
                <A href="/api">"API"</A>
            </nav>
        </header>
    }
}
