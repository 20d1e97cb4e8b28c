//! What makes the server safe to expose: the `Host` allow-list, who is asking (a session
//! cookie or an API token), the sign-in gate, the cross-site check on state-changing requests,
//! the no-JS error round trip, and the security headers. Each is one axum middleware; the
//! rules about people and roles stay in the service layer.

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use std::net::{IpAddr, SocketAddr};
use utmforge_service::{accounts, session, Actor, Ctx, Error, ErrorKind};

/// How the server is reached, from `--public-url`, `--secure-cookies` and `--trust-proxy`.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// The address people use, e.g. `https://utm.example.com` (scheme, host, port).
    pub public_url: Option<url::Url>,
    /// Session cookies only over https.
    pub secure_cookies: bool,
    /// Take the client's address from the last `X-Forwarded-For` entry (behind a proxy).
    pub trust_proxy: bool,
}

impl Site {
    /// A site reached at `public_url` (if given); cookies are `Secure` when it is https unless
    /// `secure_cookies` says otherwise.
    pub fn new(
        public_url: Option<&str>,
        secure_cookies: Option<bool>,
        trust_proxy: bool,
    ) -> Result<Site, String> {
        let public_url = public_url
            .filter(|u| !u.trim().is_empty())
            .map(|u| {
                let url = url::Url::parse(u.trim())
                    .map_err(|e| format!("--public-url {u:?} is not a URL: {e}"))?;
                if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
                    return Err(format!("--public-url {u:?} must be http(s)://host[:port]"));
                }
                Ok(url)
            })
            .transpose()?;
        let https = public_url.as_ref().is_some_and(|u| u.scheme() == "https");
        Ok(Site {
            secure_cookies: secure_cookies.unwrap_or(https),
            public_url,
            trust_proxy,
        })
    }

    fn https(&self) -> bool {
        self.public_url
            .as_ref()
            .is_some_and(|u| u.scheme() == "https")
    }

    /// The public URL's `host[:port]`, as browsers send it in `Host` and `Origin`.
    fn public_authority(&self) -> Option<String> {
        let url = self.public_url.as_ref()?;
        let host = url.host_str()?;
        Some(match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        })
    }

    /// Whether a request for `host` (the `Host` header) is for us: the public URL's host, an
    /// IP address, or localhost. Other names are refused, so a DNS-rebinding page (its own name
    /// pointing at this server) cannot read anything.
    pub fn allows_host(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        if self
            .public_authority()
            .is_some_and(|a| a.eq_ignore_ascii_case(&host))
        {
            return true;
        }
        let name = match host.rsplit_once(':') {
            Some((name, port))
                if !name.ends_with(':') && port.bytes().all(|b| b.is_ascii_digit()) =>
            {
                name
            }
            _ => host.as_str(),
        };
        let name = name.trim_start_matches('[').trim_end_matches(']');
        name == "localhost" || name.parse::<IpAddr>().is_ok()
    }
}

/// The client's network address (the TCP peer, set by the accept loop).
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

/// The built site's files: the same for everyone, so nobody is looked up for them.
fn is_static(path: &str) -> bool {
    path == "/favicon.svg" || path.starts_with("/pkg/")
}

/// Paths anyone may open: the sign-in and first-run pages and their server functions, the
/// static files, the API description.
fn is_public(path: &str) -> bool {
    matches!(
        path,
        "/login" | "/setup" | "/invite" | "/api/v1/openapi.json"
    ) || is_static(path)
        || path.starts_with("/api/account/")
}

/// Server functions live under `/api/` (the REST API under `/api/v1/`).
pub fn is_server_fn(path: &str) -> bool {
    path.starts_with("/api/") && !path.starts_with("/api/v1/")
}

/// An error as the door that was asked expects it: a server function's JSON error, the REST
/// API's, or — for a page while the database is unavailable — a page that says so and tries
/// again by itself.
pub fn error_response(path: &str, error: Error) -> Response {
    if error.kind == ErrorKind::Unavailable && !path.starts_with("/api/") {
        return unavailable_page(&error);
    }
    if is_server_fn(path) {
        let status = error.status();
        let page_error = app::api::AppError::from(error);
        (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::to_string(&page_error).unwrap_or_default(),
        )
            .into_response()
    } else {
        crate::rest::ApiError(error).into_response()
    }
}

/// 503 as a page: what happened, that nothing was lost, and a reload every 5 seconds (a meta
/// refresh: no script; its CSP allows only this site's stylesheet).
fn unavailable_page(error: &Error) -> Response {
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5"><title>Database unavailable · utmforge</title>
<link rel="stylesheet" href="/pkg/utmforge.css"></head>
<body><div class="app"><main class="page" id="main"><h1>utmforge cannot reach its database</h1>
<p class="banner banner-error" role="alert">{}</p>
<p>This page tries again every 5 seconds and opens as soon as the database answers.</p></main></div></body></html>"#,
        error.message
    );
    (
        error.status(),
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::RETRY_AFTER, "5"),
            (header::CACHE_CONTROL, "no-store"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'self'; frame-ancestors 'none'",
            ),
        ],
        html,
    )
        .into_response()
}

/// Refuses requests whose `Host` is not ours (421 would invite a retry elsewhere: 403).
pub async fn check_host(State(site): State<Site>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| request.uri().authority().map(|a| a.to_string()));
    match host {
        Some(host) if !site.allows_host(&host) => {
            let path = request.uri().path().to_string();
            error_response(
                &path,
                Error::new(
                    ErrorKind::Forbidden,
                    "unknown-host",
                    format!(
                        "this server does not answer for the host “{}”: set --public-url (UTMFORGE_PUBLIC_URL) to the address people use",
                        host.chars().take(100).collect::<String>()
                    ),
                ),
            )
        }
        _ => next.run(request).await,
    }
}

fn bearer(headers: &HeaderMap) -> Option<Result<&str, ()>> {
    let value = headers.get(header::AUTHORIZATION)?;
    Some(
        value
            .to_str()
            .ok()
            .and_then(|v| {
                let (scheme, token) = v.split_once(' ')?;
                scheme
                    .eq_ignore_ascii_case("bearer")
                    .then_some(token.trim())
            })
            .ok_or(()),
    )
}

/// The client's address: the TCP peer, or behind a trusted proxy the last `X-Forwarded-For`.
fn client_address(site: &Site, request: &Request) -> String {
    if site.trust_proxy {
        let forwarded = request
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|v| !v.is_empty());
        if let Some(address) = forwarded {
            return address.chars().take(64).collect();
        }
    }
    request
        .extensions()
        .get::<Peer>()
        .map_or_else(|| "unknown".to_string(), |p| p.0.ip().to_string())
}

/// Finds who is asking and puts the [`Actor`] (and the client's address) in the request's
/// extensions: an `Authorization: Bearer` token (a wrong one is 401 at once), else the
/// session cookie's user, else nobody.
pub async fn authenticate(
    State((ctx, site)): State<(Ctx, Site)>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    if is_static(&path) {
        // No session or token lookup (two database reads) for each script, style and icon.
        return next.run(request).await;
    }
    let address = client_address(&site, &request);
    let actor = match bearer(request.headers()) {
        Some(Ok(token)) => accounts::actor_for_token(&ctx, token).await,
        Some(Err(())) => Err(Error::new(
            ErrorKind::Unauthenticated,
            "unauthenticated",
            "the Authorization header must be “Bearer <API token>”",
        )),
        None => match request.extensions().get::<tower_sessions::Session>() {
            Some(s) => session::actor(&ctx, s).await,
            None => Ok(Actor::Anonymous),
        },
    };
    // The benchmark-only build (see server/Cargo.toml): no credentials act as the command line.
    #[cfg(feature = "benchmark-without-auth")]
    let actor = match (bearer(request.headers()), actor) {
        (None, Ok(Actor::Anonymous)) => Ok(Actor::Cli),
        (_, actor) => actor,
    };
    match actor {
        Ok(actor) => {
            request.extensions_mut().insert(actor);
            request
                .extensions_mut()
                .insert(accounts::ClientAddress(address));
            next.run(request).await
        }
        Err(e) => error_response(&path, e),
    }
}

/// Lets nobody past except to public paths: a page asked for while signed out redirects to
/// `/login?next=<that page>`; everything else answers 401.
pub async fn gate(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let signed_in = !matches!(
        request.extensions().get::<Actor>(),
        None | Some(Actor::Anonymous)
    );
    if signed_in || is_public(path) {
        return next.run(request).await;
    }
    if request.method() == Method::GET && !path.starts_with("/api/") {
        let wanted = request.uri().path_and_query().map_or("/", |pq| pq.as_str());
        let next_param =
            url::form_urlencoded::byte_serialize(wanted.as_bytes()).collect::<String>();
        return Redirect::to(&format!("/login?next={next_param}")).into_response();
    }
    error_response(path, Error::unauthenticated())
}

fn same_origin(site: &Site, headers: &HeaderMap) -> bool {
    if let Some(fetch_site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return fetch_site.eq_ignore_ascii_case("same-origin");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Ok(origin) = url::Url::parse(origin) else {
        return false;
    };
    let authority = match (origin.host_str(), origin.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        _ => return false,
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    host.is_some_and(|h| h.eq_ignore_ascii_case(&authority))
        || site
            .public_authority()
            .is_some_and(|a| a.eq_ignore_ascii_case(&authority))
}

/// Refuses a state-changing request that a browser sent from another site (403 `cross-site`):
/// `Sec-Fetch-Site` must say same-origin, or `Origin` must be this server. Requests with an API
/// token carry no ambient credentials and are exempt.
pub async fn check_origin(State(site): State<Site>, request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe
        || request.headers().contains_key(header::AUTHORIZATION)
        || same_origin(&site, request.headers())
    {
        return next.run(request).await;
    }
    let path = request.uri().path().to_string();
    error_response(
        &path,
        Error::new(
            ErrorKind::Forbidden,
            "cross-site",
            "this request came from another site (or did not say where from): refused. Scripts: send an API token (Authorization: Bearer)",
        ),
    )
}

/// Leptos shows a failed no-JS form's error from the `__err` query parameter of the page it
/// redirects back to. Only that redirect (a same-origin navigation) may carry one: a link
/// from elsewhere with attacker text in `__err` lands on the page without it.
pub async fn guard_error_param(request: Request, next: Next) -> Response {
    let query = request.uri().query().unwrap_or("");
    let carries_error = query
        .split('&')
        .any(|pair| pair.starts_with("__err=") || pair.starts_with("__path="));
    let same_origin = request
        .headers()
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"same-origin"));
    if request.method() != Method::GET || !carries_error || same_origin {
        return next.run(request).await;
    }
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            !pair.starts_with("__err=") && !pair.starts_with("__path=") && !pair.is_empty()
        })
        .collect();
    let path = request.uri().path();
    let target = if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    };
    Redirect::to(&target).into_response()
}

/// Headers on every answer: no sniffing, no referrer outside, never in a frame, and (when the
/// public URL is https) HSTS. Pages set their own nonce-based policy (`app::shell`); anything else that did
/// not set one gets a policy that allows nothing.
pub async fn security_headers(State(site): State<Site>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'; sandbox"),
        );
    }
    if site.https() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}
