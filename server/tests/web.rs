//! The real router, driven in-process: what a browser or a load balancer sees.

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use tower::ServiceExt;

mod common;

async fn app() -> Router {
    let store = utmforge_store::Store::open("sqlite::memory:")
        .await
        .unwrap();
    common::owner_app(store).await
}

async fn get(path: &str, accept_encoding: Option<&str>) -> axum::response::Response {
    let mut request = Request::get(path);
    if let Some(encoding) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, encoding);
    }
    app()
        .await
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

async fn text(response: axum::response::Response) -> String {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn healthz_answers_ok() {
    common::run(async {
        let response = get("/healthz", None).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(text(response).await, "ok");
    })
}

#[test]
fn home_page_is_server_rendered_with_the_shell() {
    common::run(async {
        let response = get("/", None).await;
        assert_eq!(response.status(), StatusCode::OK);
        let html = text(response).await;
        assert!(html.contains("<title>utmforge</title>"), "{html}");
        assert!(html.contains("Every ChatGPT ad link, tagged the same way."));
        for nav in ["Campaigns", "GA4 setup", "Audit"] {
            assert!(html.contains(nav), "navigation lacks {nav}");
        }
        // The page loads its hydration script and stylesheet.
        assert!(html.contains("/pkg/utmforge.js"));
        assert!(html.contains("/pkg/utmforge.css"));
        // utm_medium shows the default buying model before any interaction.
        assert!(
            html.contains(r#"data-testid="medium-value">cpc<"#),
            "{html}"
        );
    })
}

#[test]
fn unknown_paths_are_404_with_a_friendly_page() {
    common::run(async {
        let response = get("/no-such-page", None).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert!(text(response).await.contains("Page not found"));
    })
}

#[test]
fn pages_are_compressed_when_the_client_accepts_it() {
    common::run(async {
        let response = get("/", Some("br, gzip")).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers().get(header::CONTENT_ENCODING).unwrap(),
            "br"
        );
        let response = get("/", Some("gzip")).await;
        assert_eq!(
            response.headers().get(header::CONTENT_ENCODING).unwrap(),
            "gzip"
        );
    })
}
