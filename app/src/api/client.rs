//! Calling server functions from the browser: one fetch path (`browser`) and `Call`, an
//! island's latest answer.

use super::AppError;
use leptos::prelude::*;

/// Server-function calls from the browser, all through one `fetch` path: the form's fields (or
/// the call's arguments) posted as `application/x-www-form-urlencoded`, the answer kept as JSON
/// text. Leptos' own client compiles an encoder, a request and a decoder per server function
/// into the WASM of every island that calls one; this is compiled once.
#[cfg(feature = "hydrate")]
pub mod browser {
    use crate::api::{Answer, AppError};
    use leptos::prelude::window;
    use leptos::wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    /// A successful answer: where the server says to go next (`leptos_axum::redirect`), and
    /// the body.
    pub struct Posted {
        pub location: Option<String>,
        pub text: String,
    }

    fn unreachable() -> AppError {
        AppError::Internal("the server could not be reached".into())
    }

    /// Posts `body` (URL-encoded fields, or a `FormData` sent as `multipart/form-data`) to the
    /// server function at `url`; a refusal is its `AppError`.
    pub async fn post(url: &str, body: &leptos::wasm_bindgen::JsValue) -> Result<Posted, AppError> {
        let headers = web_sys::Headers::new().map_err(|_| unreachable())?;
        headers
            .set("Accept", "application/json")
            .map_err(|_| unreachable())?;
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(body);
        init.set_headers(&headers);
        let response = JsFuture::from(window().fetch_with_str_and_init(url, &init))
            .await
            .ok()
            .and_then(|r| r.dyn_into::<web_sys::Response>().ok())
            .ok_or_else(unreachable)?;
        let text = match response.text() {
            Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()),
            Err(_) => None,
        };
        if response.ok() {
            return Ok(Posted {
                location: response.headers().get("location").ok().flatten(),
                text: text.unwrap_or_default(),
            });
        }
        let status = response.status();
        Err(text
            .and_then(|t| serde_json::from_str::<AppError>(&t).ok())
            .unwrap_or_else(|| AppError::Internal(format!("the server answered {status}"))))
    }

    /// Calls the server function at `url` with `args` (name, value; nested names as the
    /// forms write them, e.g. `draft[variant]`).
    pub async fn call(url: &str, args: &[(&str, &str)]) -> Result<Answer, AppError> {
        let body = web_sys::UrlSearchParams::new().map_err(|_| unreachable())?;
        for (name, value) in args {
            body.append(name, value);
        }
        let posted = post(url, &body.into()).await?;
        serde_json::value::RawValue::from_string(posted.text)
            .map(Answer)
            .map_err(|e| AppError::Internal(format!("the answer could not be read: {e}")))
    }
}

/// A server function an island calls: its latest answer (read as a `T`) and whether a call is
/// under way. In the browser each call goes through [`browser::call`], the one fetch path; on
/// the server nothing is called (an island renders what its props say). An answer that arrives
/// after a newer call was made is dropped, so a preview never shows an older question's answer.
/// Leptos' `ServerAction` and `Resource` compiled a client, a decoder and async hydration per
/// server function into each island's WASM; this is one small type.
pub struct Call<T: Send + Sync + 'static> {
    url: &'static str,
    answer: RwSignal<Option<Result<T, AppError>>>,
    pending: RwSignal<bool>,
    asked: StoredValue<u32>,
}

impl<T: Send + Sync + 'static> Clone for Call<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Call<T> {}

impl<T: serde::de::DeserializeOwned + Clone + Send + Sync + 'static> Call<T> {
    /// The server function at `url` (`<F as ServerFn>::url()`), not called yet.
    pub fn new(url: &'static str) -> Self {
        Call {
            url,
            answer: RwSignal::new(None),
            pending: RwSignal::new(false),
            asked: StoredValue::new(0),
        }
    }

    /// Calls it with `args` (name, value; nested names as forms write them, e.g.
    /// `draft[variant]`).
    pub fn dispatch(&self, args: Vec<(&'static str, String)>) {
        let asked = self.asked.get_value().wrapping_add(1);
        self.asked.set_value(asked);
        self.pending.set(true);
        #[cfg(feature = "hydrate")]
        {
            let this = *self;
            leptos::task::spawn_local(async move {
                let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
                let answer = match browser::call(this.url, &args).await {
                    Ok(answer) => answer.decode(),
                    Err(e) => Err(e),
                };
                // The island may be gone, or a newer call made meanwhile.
                if this.asked.try_get_value() == Some(asked) {
                    this.pending.try_set(false);
                    this.answer.try_set(Some(answer));
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (args, self.url);
    }

    /// The latest answer, if any (tracked).
    pub fn answer(&self) -> Option<Result<T, AppError>> {
        self.answer.get()
    }

    /// The latest successful answer (tracked).
    pub fn value(&self) -> Option<T> {
        self.answer.get().and_then(Result::ok)
    }

    /// The latest refusal (tracked).
    pub fn error(&self) -> Signal<Option<AppError>> {
        let answer = self.answer;
        Signal::derive(move || answer.get().and_then(Result::err))
    }

    /// Whether a call is under way (tracked).
    pub fn pending(&self) -> bool {
        self.pending.get()
    }

    /// Forgets the answer and any call under way (its answer will be dropped).
    pub fn clear(&self) {
        self.asked.set_value(self.asked.get_value().wrapping_add(1));
        self.pending.set(false);
        self.answer.set(None);
    }
}
