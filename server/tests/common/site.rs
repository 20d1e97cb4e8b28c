//! The landing site of the link-check tests, served on loopback by the test process itself
//! (no test reaches the internet): redirects that keep, drop or loop the query, a 404, a pixel
//! in `<body>`, no GA4, a meta refresh, a re-encoded query, a slow page, a bounce to `localhost`
//! and one to 127.0.0.2.

use axum::extract::RawQuery;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub const GOOD_HEAD: &str = r#"<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST123"></script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}gtag('config', 'G-TEST123');</script>
<script>(function (w, d, s, u) { if (w.oaiq) return; var q = function () { q.q.push(arguments); }; q.q = []; w.oaiq = q; var js = d.createElement(s); js.async = true; js.src = u; var f = d.getElementsByTagName(s)[0]; f.parentNode.insertBefore(js, f); })(window, document, "script", "https://bzrcdn.openai.com/sdk/oaiq.min.js"); oaiq("init", { pixelId: "Px7test1" }); oaiq("measure", "page_viewed", { type: "contents" });</script>"#;

pub fn page(head: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html><head><title>Landing</title>{head}</head><body><h1>Deals</h1>{body}</body></html>"
    ))
}

fn redirect(to: String) -> Response {
    (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response()
}

fn with_query(path: &str, query: Option<String>) -> String {
    match query {
        Some(q) => format!("{path}?{q}"),
        None => path.to_owned(),
    }
}

/// The test site on a free loopback port, served from its own thread for the life of the test
/// process.
pub fn site() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = Router::new()
        .route("/ok", get(|| async { page(GOOD_HEAD, "") }))
        .route(
            "/keep",
            get(|RawQuery(q): RawQuery| async move { redirect(with_query("/ok", q)) }),
        )
        .route("/drop", get(|| async { redirect("/ok".into()) }))
        .route(
            "/loop-a",
            get(|RawQuery(q): RawQuery| async move { redirect(with_query("/loop-b", q)) }),
        )
        .route(
            "/loop-b",
            get(|RawQuery(q): RawQuery| async move { redirect(with_query("/loop-a", q)) }),
        )
        .route("/missing", get(|| async { StatusCode::NOT_FOUND }))
        .route(
            "/pixel-in-body",
            get(|| async {
                page(
                    &GOOD_HEAD[..GOOD_HEAD.find("<script>(function (w, d, s, u)").unwrap()],
                    r#"<script>(function (w, d, s, u) { if (w.oaiq) return; var q = function () { q.q.push(arguments); }; q.q = []; w.oaiq = q; var js = d.createElement(s); js.async = true; js.src = u; var f = d.getElementsByTagName(s)[0]; f.parentNode.insertBefore(js, f); })(window, document, "script", "https://bzrcdn.openai.com/sdk/oaiq.min.js"); oaiq("init", { pixelId: "Px7test1" }); oaiq("measure", "page_viewed", { type: "contents" });</script>"#,
                )
            }),
        )
        .route(
            "/meta",
            get(|RawQuery(q): RawQuery| async move {
                let to = with_query("/ok", q);
                page(&format!(r#"<meta http-equiv="refresh" content="0; url={to}">"#), "")
            }),
        )
        .route(
            // The same values, percent-encoded otherwise (`-` as `%2D`).
            "/reencode",
            get(|RawQuery(q): RawQuery| async move {
                redirect(with_query("/ok", q.map(|q| q.replace('-', "%2D"))))
            }),
        )
        .route(
            // Answers after 3 s (longer than the tests' shortened limit).
            "/slow",
            get(|| async {
                tokio::time::sleep(std::time::Duration::from_secs(3)).await;
                page(GOOD_HEAD, "")
            }),
        )
        .route(
            "/no-ga4",
            get(|| async {
                page(
                    r#"<script>(function (w, d, s, u) { if (w.oaiq) return; var q = function () { q.q.push(arguments); }; q.q = []; w.oaiq = q; var js = d.createElement(s); js.async = true; js.src = u; var f = d.getElementsByTagName(s)[0]; f.parentNode.insertBefore(js, f); })(window, document, "script", "https://bzrcdn.openai.com/sdk/oaiq.min.js"); oaiq("init", { pixelId: "Px7test1" }); oaiq("measure", "page_viewed", { type: "contents" });</script>"#,
                    "",
                )
            }),
        )
        .route(
            "/to-127-0-0-2",
            get(move |RawQuery(q): RawQuery| async move {
                redirect(with_query(&format!("http://127.0.0.2:{port}/ok"), q))
            }),
        )
        .route(
            "/to-localhost",
            get(move |RawQuery(q): RawQuery| async move {
                redirect(with_query(&format!("http://localhost:{port}/ok"), q))
            }),
        );
    serve(listener, app);
    port
}

/// Serves `app` on `listener` (non-blocking, loopback) from its own thread, for the life of the
/// test process.
pub fn serve(listener: std::net::TcpListener, app: Router) {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, app).await.unwrap();
            });
    });
}

pub const QUERY: &str =
    "utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale&utm_content=headline-a";
