//! utmforge's user interface: the HTML shell, the app shell (header and navigation) and the
//! pages. Built twice by cargo-leptos: with `ssr` into the server, with `hydrate` into the WASM.

// Leptos views are deeply nested types; builds that do not erase them (the tests) need room.
#![recursion_limit = "256"]

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Router, A};

pub mod api;
use utmforge_core::account::{Me, Role};
mod components;
mod format;
pub mod functions;
mod pages;
mod render;
mod routes;
mod tagging;

use routes::*;

/// The product name as shown to people.
pub const PRODUCT_NAME: &str = "utmforge";

/// The whole HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy(&options);
    provide_context(components::PkgFiles(pkg_files(&options)));
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <script nonce=leptos::nonce::use_nonce() inner_html=HYDRATE_WITHOUT_IDLE_WAIT></script>
                <HydrationScripts options=options.clone() islands=true />
                {split_loader(&options).map(|href| view! { <link rel="modulepreload" href=href crossorigin="anonymous" /> })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Leptos' island script loads the WASM in an idle callback (`requestIdleCallback`), which on
/// the 2-core machine came 13–166 ms after the load event; with the WASM and its loader
/// preloaded, waiting for idle time was most of the campaigns page's hydration time (median
/// 108 ms after load with it, 60–77 without). Its first call gets a deadline instead: the
/// callback runs at the next chance, idle or not. Later calls are the browser's own.
const HYDRATE_WITHOUT_IDLE_WAIT: &str = "(function () {\
    var idle = window.requestIdleCallback;\
    if (!idle) return;\
    window.requestIdleCallback = function (callback) {\
        window.requestIdleCallback = idle;\
        return idle.call(window, callback, { timeout: 1 });\
    };\
})();";

/// The path of the WASM split loader (`__wasm_split.<hash>.js`, written by `--split`), which
/// the JS glue imports: preloaded with the glue, the browser need not discover it only when the
/// glue is imported (one more round trip before hydration). None when the site has no split
/// build.
fn split_loader(options: &LeptosOptions) -> Option<String> {
    pkg_files(options)
        .iter()
        .find(|name| name.starts_with("__wasm_split.") && name.ends_with(".js"))
        .map(|name| format!("/{}/{name}", options.site_pkg_dir))
}

/// The names of the built files under `/pkg` (the split loader, the lazy code's bundles), read
/// once per process by the first page rendered; empty in the browser build.
fn pkg_files(options: &LeptosOptions) -> &'static [String] {
    #[cfg(feature = "ssr")]
    {
        static FILES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        FILES.get_or_init(|| {
            let pkg = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
            let mut names: Vec<String> = std::fs::read_dir(pkg)
                .into_iter()
                .flatten()
                .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
                .collect();
            names.sort();
            names
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = options;
        &[]
    }
}

/// The page's Content-Security-Policy: scripts only from here or with this response's nonce
/// (Leptos puts it on its hydration scripts), WASM allowed, never framed. Under `cargo leptos
/// watch` (only there), the page may also open the live-reload websocket on the reload port.
#[cfg(feature = "ssr")]
fn content_security_policy(options: &LeptosOptions) {
    let Some(nonce) = leptos::nonce::use_nonce() else {
        return;
    };
    let live_reload = if std::env::var_os("LEPTOS_WATCH").is_some() {
        let port = options.reload_external_port.unwrap_or(options.reload_port);
        format!(" ws://*:{port} wss://*:{port}")
    } else {
        String::new()
    };
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        let policy = format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self' data:; connect-src 'self'{live_reload}; \
             font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
             frame-ancestors 'none'"
        );
        if let Ok(value) = http::HeaderValue::from_str(&policy) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// Who is signed in, worked out by the server and carried into the browser with the page.
#[derive(Clone)]
struct SignedInUser(Option<Me>);

/// Who is signed in (None on the sign-in pages).
pub fn use_me() -> Option<Me> {
    use_context::<SignedInUser>().and_then(|u| u.0)
}

/// Shows its children only to someone with at least `role` (the server refuses the rest
/// anyway: this only spares people buttons that would fail).
#[component]
pub fn Can(
    role: Role,
    children: ChildrenFn,
    #[prop(optional, into)] fallback: ViewFn,
) -> impl IntoView {
    if use_me().is_some_and(|m| m.can(role)) {
        children().into_any()
    } else {
        fallback.run()
    }
}

/// The app shell: header with navigation, then the routed page.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let me = leptos::prelude::SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            use_context::<http::request::Parts>()
                .and_then(|parts| parts.extensions.get::<utmforge_service::Actor>().cloned())
                .and_then(|actor| match actor {
                    utmforge_service::Actor::User(signed) => Some(signed.me()),
                    _ => None,
                })
        }
        #[cfg(not(feature = "ssr"))]
        {
            None::<Me>
        }
    });
    provide_context(SignedInUser(me.into_inner()));

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
            <div class="app">
                <Header />
                <main class="page" id="main">
                    <AppRoutes />
                </main>
                <footer class="site-footer">
                    <p>"utmforge — consistent UTM tagging and GA4 setup for ChatGPT ads."</p>
                </footer>
                <components::HydratedMarker />
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
            {use_me().map(|me| {
                view! {
                    <nav class="site-nav" aria-label="Main">
                        <A href="/campaigns">"Campaigns"</A>
                        <A href="/ga4">"GA4 setup"</A>
                        <A href="/tracking">"Tracking"</A>
                        <A href="/audit">"Audit"</A>
                        <A href="/api">"API"</A>
                        {me.can(Role::Admin).then(|| view! {
                            <A href="/people">"People"</A>
                            <A href="/activity">"Activity"</A>
                            <A href="/settings">"Settings"</A>
                        })}
                    </nav>
                    <div class="user-menu">
                        <A href="/tokens" attr:class="user-name" attr:title=format!("{} · {}", me.email, me.role.label())>
                            <span data-testid="signed-in-as">{me.name.clone()}</span>
                            <span class="badge badge-archived">{me.role.label()}</span>
                        </A>
                        // A plain form: the server ends the session and redirects to the
                        // sign-in page, a full page load either way (no form decoder in the
                        // first-load WASM for it).
                        <form method="post" action={<functions::accounts::SignOut as ServerFn>::url()} class="form-inline">
                            <button type="submit" class="button button-small">"Sign out"</button>
                        </form>
                    </div>
                }
            })}
        </header>
    }
}
