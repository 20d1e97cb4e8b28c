//! Server functions: the browser's doors into the service layer. Each is one call to a use
//! case in `utmforge-service`; the error it answers carries the status that use case decided.
//! No rule, no permission check and no error→status mapping lives here.
//!
//! The loaders behind a page's data (`list_campaigns`, `get_campaign_head`, …) answer an
//! [`Answer`], the JSON text of the value named in their body (`ssr::json::<T>`), which the page
//! reads back as a `T` through [`Loaded`].

use crate::pages::links::Progress;
use leptos::prelude::*;
use leptos::server_fn::codec::Post;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::{Deserialize, Serialize};
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use utmforge_core::account::{ApiToken, Invitation, NewApiToken, NewInvitation, SignUp, User};
use utmforge_core::import::ImportPlan;
use utmforge_core::views::{CreativeWithUrl, ImportOutcome, Preview};
use utmforge_core::{Campaign, CampaignDraft, CreativeDraft, Field, LintReport, Notice};

/// Server-function answers (and errors) as JSON, read in the browser from text: the reader the
/// page already uses for the data it was rendered with (`Resource` hydration). With leptos'
/// default (`serde_json::from_slice`) every answer type had its decoder compiled twice into the
/// WASM, once per reader.
pub struct JsonText;

/// The answer side of every server function here: `#[server(output = JsonAnswer)]`.
pub type JsonAnswer = Post<JsonText>;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: serde::de::DeserializeOwned> Decodes<T> for JsonText {
    type Error = String;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(|e| e.to_string())?;
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

/// A loader's answer, kept as the JSON text it arrived as. Every page's data comes as one of
/// these and is decoded by the view that shows it ([`Loaded`]): one `Resource` type for all,
/// and in an island's WASM only the decoders of what that island shows. On the wire it is the
/// answer's plain JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Answer(Box<serde_json::value::RawValue>);

impl Answer {
    /// The answer carrying `value`.
    pub fn of<T: Serialize>(value: &T) -> Result<Answer, AppError> {
        serde_json::value::to_raw_value(value)
            .map(Answer)
            .map_err(|e| AppError::Internal(e.to_string()))
    }

    /// The value, read as a `T`.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, AppError> {
        serde_json::from_str(self.0.get())
            .map_err(|e| AppError::Internal(format!("the answer could not be read: {e}")))
    }
}

/// Server-function calls from the browser, all through one `fetch` path: the form's fields (or
/// the call's arguments) posted as `application/x-www-form-urlencoded`, the answer kept as JSON
/// text. Leptos' own client compiles an encoder, a request and a decoder per server function
/// into the WASM of every island that calls one; this is compiled once.
#[cfg(feature = "hydrate")]
pub mod browser {
    use super::{Answer, AppError};
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

    /// Posts `body` to the server function at `url`; a refusal is its `AppError`.
    pub async fn post(url: &str, body: &web_sys::UrlSearchParams) -> Result<Posted, AppError> {
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
        let posted = post(url, &body).await?;
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

/// What a page's data depends on: an id from the URL, another parameter, and a page number.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Key {
    pub id: Option<String>,
    pub other: Option<String>,
    pub page: usize,
}

impl Key {
    /// Data that depends on nothing.
    pub fn none() -> Key {
        Key::default()
    }

    /// Data that depends on one id.
    pub fn id(id: String) -> Key {
        Key {
            id: Some(id),
            ..Key::default()
        }
    }

    /// Also depends on `other`.
    pub fn with(self, other: Option<String>) -> Key {
        Key { other, ..self }
    }

    /// Also depends on the page number in the address's `page` (1 when absent or not a number).
    pub fn page(self, page: Option<String>) -> Key {
        let page = page.and_then(|p| p.trim().parse().ok()).unwrap_or(1);
        Key { page, ..self }
    }
}

/// How a page's data is fetched: a call to one of the loaders below.
pub type Fetch = fn(Key) -> Pin<Box<dyn Future<Output = Result<Answer, AppError>> + Send>>;

/// A page's data, loading: a `Resource` of [`Answer`]s that reads as a `T` when awaited.
pub struct Loaded<T> {
    data: Resource<Result<Answer, AppError>>,
    shape: PhantomData<fn() -> T>,
}

impl<T> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Loaded<T> {}

impl<T> Loaded<T> {
    /// Starts loading (on the server while rendering; in the browser when `key` changes).
    pub fn new(key: impl Fn() -> Key + Send + Sync + 'static, fetch: Fetch) -> Self {
        Loaded {
            data: load(Arc::new(key), fetch),
            shape: PhantomData,
        }
    }
}

/// The one place a page's data `Resource` is made (one instance of its code in the WASM).
#[inline(never)]
fn load(
    key: Arc<dyn Fn() -> Key + Send + Sync>,
    fetch: Fetch,
) -> Resource<Result<Answer, AppError>> {
    Resource::new(move || key(), fetch)
}

impl<T: serde::de::DeserializeOwned + Send + 'static> IntoFuture for Loaded<T> {
    type Output = Result<T, AppError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, AppError>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        let data = self.data;
        Box::pin(async move { data.await.and_then(|answer| answer.decode()) })
    }
}

/// What can go wrong, as the page needs to show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AppError {
    /// The input breaks a rule: each notice names its field. Nothing was saved.
    Invalid(Vec<Notice>),
    /// Saving would clash with other data (duplicate slug, stale version). Nothing was saved.
    Conflict(Notice),
    /// The campaign or creative does not exist (any more): the message says which.
    NotFound(String),
    /// The request was refused as a whole (too large, too many URLs or rows, unreadable).
    Refused {
        code: String,
        message: String,
        field: Option<Field>,
    },
    /// Something failed on the server or on the way there.
    Internal(String),
}

impl AppError {
    /// The message to show beside `field`, if any.
    pub fn for_field(&self, field: Field) -> Option<String> {
        match self {
            AppError::Invalid(notices) => notices
                .iter()
                .filter(|n| n.field == field)
                .map(|n| n.message.clone())
                .reduce(|a, b| format!("{a}; {b}")),
            AppError::Conflict(n) if n.field == field => Some(n.message.clone()),
            AppError::Refused {
                message,
                field: Some(f),
                ..
            } if *f == field => Some(message.clone()),
            _ => None,
        }
    }

    /// The message for a form whose only input is `field` (the audit's URLs, an import's
    /// sheet): what is wrong with it, else the summary.
    pub fn message_about(&self, field: Field) -> String {
        self.for_field(field)
            .map_or_else(|| self.summary(), |m| capitalized(&m))
    }

    /// Why a page could not be shown (a read: nothing was being saved): each refused value's
    /// own message, else the summary.
    pub fn reason(&self) -> String {
        match self {
            AppError::Invalid(notices) if !notices.is_empty() => capitalized(
                &notices
                    .iter()
                    .map(|n| n.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            _ => self.summary(),
        }
    }

    /// The message for the whole form: conflicts and failures not tied to a visible field.
    pub fn summary(&self) -> String {
        match self {
            AppError::Invalid(notices) if notices.len() == 1 => {
                "Nothing was saved: fix the field marked below.".to_string()
            }
            AppError::Invalid(_) => "Nothing was saved: fix the fields marked below.".to_string(),
            AppError::Conflict(n) => n.message.clone(),
            AppError::NotFound(message) => capitalized(message),
            AppError::Refused { message, .. } => capitalized(message),
            AppError::Internal(e) => format!("The server could not do this: {e}"),
        }
    }
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary())
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonText;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The arguments could not be read (a missing or mistyped form field).
            ServerFnErrorErr::Args(e) | ServerFnErrorErr::Deserialization(e) => AppError::Refused {
                code: "malformed".into(),
                message: format!("the form could not be read: {e}"),
                field: None,
            },
            other => AppError::Internal(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;
    use utmforge_service::{Actor, Ctx, Error, ErrorKind};

    /// The use cases' context: the router's store and clock, with the actor the
    /// authentication middleware found for this request.
    pub fn ctx() -> Result<Ctx, AppError> {
        let base = leptos::prelude::use_context::<Ctx>()
            .ok_or_else(|| AppError::Internal("the service is not available".into()))?;
        let actor = leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Actor>().cloned())
            .unwrap_or(Actor::Anonymous);
        Ok(base.with_actor(actor))
    }

    /// A use case's answer, with its error's status on the response.
    pub fn answer<T>(result: Result<T, Error>) -> Result<T, AppError> {
        result.map_err(|e| {
            set_status(e.status());
            if let (Some(seconds), Some(response)) = (
                e.retry_after,
                leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            ) {
                response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
            }
            e.into()
        })
    }

    /// A use case's answer for a page's data (see [`super::Answer`]).
    pub fn json<T: serde::Serialize>(result: Result<T, Error>) -> Result<super::Answer, AppError> {
        answer(result).and_then(|value| super::Answer::of(&value))
    }

    /// A service error as the page shows it.
    impl From<Error> for AppError {
        fn from(e: Error) -> AppError {
            match e.kind {
                ErrorKind::Invalid => AppError::Invalid(e.notices),
                ErrorKind::Conflict => {
                    AppError::Conflict(e.notices.into_iter().next().unwrap_or_else(|| {
                        utmforge_core::Notice::new(
                            utmforge_core::Code::Stale,
                            utmforge_core::Field::Version,
                            e.message.clone(),
                        )
                    }))
                }
                ErrorKind::NotFound => AppError::NotFound(e.message),
                ErrorKind::Internal => AppError::Internal(e.message),
                _ => AppError::Refused {
                    code: e.code.into_owned(),
                    message: e.message,
                    field: e.field,
                },
            }
        }
    }

    fn set_status(status: http::StatusCode) {
        // A form posted without JavaScript (the browser asks for HTML) gets leptos's redirect
        // back to the page, carrying the error to show there: leave its status alone.
        let plain_form_post = leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.headers.get(http::header::ACCEPT).cloned())
            .and_then(|accept| accept.to_str().ok().map(|a| a.contains("text/html")))
            .unwrap_or(false);
        if !plain_form_post {
            if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(status);
            }
        }
    }
}

#[cfg(feature = "ssr")]
use utmforge_core::{
    account::Role,
    activity::Entry,
    views::{CampaignGa4, CampaignPage},
};
#[cfg(feature = "ssr")]
use utmforge_service::{campaigns, checks, creatives, documents, import};

#[server(output = JsonAnswer)]
pub async fn list_campaigns(
    #[server(default)] filter: utmforge_core::listing::CampaignFilter,
    #[server(default)] problems: bool,
) -> Result<Answer, AppError> {
    ssr::json::<utmforge_core::views::CampaignList>(
        campaigns::list(&ssr::ctx()?, &filter, problems).await,
    )
}

#[server(output = JsonAnswer)]
pub async fn get_campaign(id: String) -> Result<Answer, AppError> {
    ssr::json::<Campaign>(campaigns::get(&ssr::ctx()?, &id).await)
}

#[server(output = JsonAnswer)]
pub async fn get_campaign_head(id: String) -> Result<Answer, AppError> {
    ssr::json::<CampaignPage>(campaigns::head(&ssr::ctx()?, &id).await)
}

/// A campaign and how many creatives it has.
#[server(output = JsonAnswer)]
pub async fn get_campaign_row(id: String) -> Result<Answer, AppError> {
    ssr::json::<utmforge_core::views::CampaignRow>(campaigns::row(&ssr::ctx()?, &id).await)
}

/// The campaign page with one page of the creatives a search finds (variant, topic, URL).
#[server(output = JsonAnswer)]
pub async fn search_campaign_page(
    id: String,
    q: String,
    #[server(default)] page: usize,
) -> Result<Answer, AppError> {
    let q = Some(q.as_str()).filter(|q| !q.trim().is_empty());
    ssr::json::<CampaignPage>(campaigns::page_showing(&ssr::ctx()?, &id, q, page).await)
}

/// Copies a campaign (form fields `id`, `name`, `slug`) and goes to the copy.
#[server(output = JsonAnswer)]
pub async fn clone_campaign(
    id: String,
    name: String,
    #[server(default)] slug: String,
) -> Result<Campaign, AppError> {
    let copy = ssr::answer(campaigns::clone(&ssr::ctx()?, &id, &name, &slug).await)?;
    leptos_axum::redirect(&format!("/campaigns/{}", copy.id));
    Ok(copy)
}

/// What a bulk change would do (nothing saved).
#[server(output = JsonAnswer)]
pub async fn preview_bulk(
    campaign_id: String,
    #[server(default)] change: utmforge_core::views::BulkChange,
) -> Result<Answer, AppError> {
    ssr::json::<utmforge_core::views::BulkPlan>(
        creatives::bulk(&ssr::ctx()?, &campaign_id, &change, None, false).await,
    )
}

/// Applies a previewed bulk change (at the preview's `version`) and goes back to the campaign.
#[server(output = JsonAnswer)]
pub async fn apply_bulk(
    campaign_id: String,
    version: i64,
    #[server(default)] change: utmforge_core::views::BulkChange,
    #[server(default)] confirm_live_change: Option<String>,
) -> Result<utmforge_core::views::BulkPlan, AppError> {
    let confirmed = confirm_live_change.is_some();
    let plan = ssr::answer(
        creatives::bulk(
            &ssr::ctx()?,
            &campaign_id,
            &change,
            Some(version),
            confirmed,
        )
        .await,
    )?;
    leptos_axum::redirect(&format!("/campaigns/{campaign_id}"));
    Ok(plan)
}

/// A page of what is in the trash (`cursor`: the next_cursor of the page before).
#[server(output = JsonAnswer)]
pub async fn get_trash(#[server(default)] cursor: String) -> Result<Answer, AppError> {
    let filter = utmforge_core::listing::TrashFilter {
        cursor: Some(cursor),
        limit: None,
    };
    ssr::json::<utmforge_core::views::TrashList>(
        utmforge_service::trash::list(&ssr::ctx()?, &filter).await,
    )
}

/// Restores a trashed campaign or creative (a campaign whose slug was taken: `new_slug`).
#[server(output = JsonAnswer)]
pub async fn restore_trashed(
    id: String,
    #[server(default)] new_slug: String,
) -> Result<(), AppError> {
    let slug = Some(new_slug.as_str()).filter(|s| !s.trim().is_empty());
    ssr::answer(utmforge_service::trash::restore(&ssr::ctx()?, &id, slug).await)?;
    leptos_axum::redirect("/trash");
    Ok(())
}

/// Plans an import of a pasted or uploaded sheet: what each row would do, and the token that
/// the import must bring back, with the table the page shows. Saves nothing.
#[server(output = JsonAnswer)]
pub async fn preview_import(campaign_id: String, text: String) -> Result<PlanPreview, AppError> {
    let plan = ssr::answer(import::plan(&ssr::ctx()?, &campaign_id, text).await)?.plan;
    Ok(PlanPreview {
        html: crate::pages::import::plan_html(plan.clone()),
        plan,
    })
}

/// An import's plan, and its preview table rendered by the server (the page shows the table
/// as it is, so the browser compiles neither the plan's decoder nor the table's view).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanPreview {
    #[serde(flatten)]
    pub plan: ImportPlan,
    pub html: String,
}

/// Imports a sheet that was previewed with `token`: refused when anything changed since.
#[server(output = JsonAnswer)]
pub async fn run_import(
    campaign_id: String,
    text: String,
    token: String,
    #[server(default)] confirm_live_change: Option<String>,
) -> Result<ImportOutcome, AppError> {
    let confirmed = confirm_live_change.is_some();
    ssr::answer(import::apply(&ssr::ctx()?, &campaign_id, text, Some(&token), confirmed).await)
}

/// Lint reports for pasted URLs, one per non-empty line.
#[server(output = JsonAnswer)]
pub async fn audit_urls(text: String) -> Result<Vec<LintReport>, AppError> {
    ssr::answer(documents::audit_text(&ssr::ctx()?, &text).await)
}

/// Starts checking every creative's link of a campaign (the page polls [`poll_check`]).
#[server(output = JsonAnswer)]
pub async fn start_campaign_check(campaign_id: String) -> Result<Progress, AppError> {
    let ctx = ssr::ctx()?;
    let run = ssr::answer(checks::start_campaign_check(&ctx, &campaign_id).await)?;
    progress(&ctx, run).await
}

/// Starts following pasted URLs, one per non-empty line (the Audit page).
#[server(output = JsonAnswer)]
pub async fn start_url_check(text: String) -> Result<Progress, AppError> {
    let ctx = ssr::ctx()?;
    let run = ssr::answer(checks::start_text_check(&ctx, &text).await)?;
    progress(&ctx, run).await
}

/// A check as it stands, with its results from the `from`-th to arrive on, as HTML.
#[server(output = JsonAnswer)]
pub async fn poll_check(id: String, from: i64) -> Result<Progress, AppError> {
    let ctx = ssr::ctx()?;
    let run = ssr::answer(checks::check_run(&ctx, &id, from).await)?;
    progress(&ctx, run).await
}

/// A run for the page: its new results rendered, with the creatives' stored statuses (for
/// "broken since").
#[cfg(feature = "ssr")]
async fn progress(
    ctx: &utmforge_service::Ctx,
    run: utmforge_core::linkcheck::CheckRun,
) -> Result<Progress, AppError> {
    let statuses = match (&run.campaign_id, run.results.is_empty()) {
        (Some(campaign), false) => ssr::answer(checks::campaign_statuses(ctx, campaign).await)?,
        _ => Vec::new(),
    };
    Ok(Progress::of(run, &statuses))
}

/// Each checked creative's latest link status in a campaign.
#[server(output = JsonAnswer)]
pub async fn get_link_statuses(id: String) -> Result<Answer, AppError> {
    ssr::json::<Vec<utmforge_core::linkcheck::LinkStatus>>(
        checks::campaign_statuses(&ssr::ctx()?, &id).await,
    )
}

/// The workspace-wide GA4 document: the channel group.
#[server(output = JsonAnswer)]
pub async fn get_ga4_setup() -> Result<Answer, AppError> {
    ssr::json::<utmforge_core::ga4::Artifact>(documents::channel_group(&ssr::ctx()?))
}

/// The team's rules, for the Settings page.
#[server(output = JsonAnswer)]
pub async fn get_settings() -> Result<Answer, AppError> {
    ssr::json::<utmforge_core::rules::StoredRules>(
        utmforge_service::settings::get(&ssr::ctx()?).await,
    )
}

/// Saves the Settings form (admins).
#[server(output = JsonAnswer)]
pub async fn save_settings(
    version: i64,
    domains: String,
    domain_mode: String,
    topics: String,
    topic_mode: String,
    #[server(default)] utm_id: Option<String>,
    #[server(default)] confirm_live_change: Option<String>,
) -> Result<utmforge_core::rules::StoredRules, AppError> {
    let form = utmforge_core::views::SettingsForm {
        domains,
        domain_mode,
        topics,
        topic_mode,
        utm_id: utm_id.is_some(),
        confirm_live_change: confirm_live_change.is_some(),
    };
    ssr::answer(utmforge_service::settings::update_from_form(&ssr::ctx()?, version, &form).await)
}

/// The Tracking page's snippets for these settings; none before a pixel id is given.
#[server(output = JsonAnswer)]
pub async fn get_tracking(
    pixel_id: String,
    measurement_id: String,
    currency: String,
    debug: Option<bool>,
    consent: Option<bool>,
) -> Result<Answer, AppError> {
    use utmforge_core::measure::TrackingKit;
    let query = utmforge_core::views::TrackingQuery {
        pixel_id,
        measurement_id,
        currency,
        debug: debug.unwrap_or_default(),
        consent: consent.unwrap_or_default(),
    };
    if [&query.pixel_id, &query.measurement_id, &query.currency]
        .iter()
        .all(|v| v.trim().is_empty())
    {
        return Answer::of(&None::<TrackingKit>);
    }
    ssr::json::<Option<TrackingKit>>(
        utmforge_service::measure::tracking(&ssr::ctx()?, &query)
            .await
            .map(Some),
    )
}

/// A campaign's funnel and report.
#[server(output = JsonAnswer)]
pub async fn get_campaign_ga4(id: String) -> Result<Answer, AppError> {
    ssr::json::<CampaignGa4>(documents::campaign_ga4(&ssr::ctx()?, &id).await)
}

/// The `utm_campaign` a name (or an explicit slug) gives, for the live preview.
#[server(output = JsonAnswer)]
pub async fn preview_slug(name: String, slug: String) -> Result<Option<String>, AppError> {
    Ok(campaigns::preview_slug(&name, &slug))
}

/// Form fields `draft[name]`, `draft[slug]`, …
#[server(output = JsonAnswer)]
pub async fn create_campaign(draft: CampaignDraft) -> Result<Campaign, AppError> {
    let campaign = ssr::answer(campaigns::create(&ssr::ctx()?, draft).await)?;
    leptos_axum::redirect(&format!("/campaigns/{}", campaign.id));
    Ok(campaign)
}

#[server(output = JsonAnswer)]
pub async fn update_campaign(
    id: String,
    version: i64,
    draft: CampaignDraft,
    #[server(default)] confirm_live_change: Option<String>,
) -> Result<Campaign, AppError> {
    let confirmed = confirm_live_change.is_some();
    let campaign =
        ssr::answer(campaigns::update(&ssr::ctx()?, &id, version, draft, confirmed).await)?;
    leptos_axum::redirect(&format!("/campaigns/{id}"));
    Ok(campaign)
}

#[server(output = JsonAnswer)]
pub async fn delete_campaign(id: String, version: i64) -> Result<(), AppError> {
    ssr::answer(campaigns::delete(&ssr::ctx()?, &id, version).await)?;
    leptos_axum::redirect("/campaigns");
    Ok(())
}

#[server(output = JsonAnswer)]
pub async fn preview_creative(
    campaign_id: String,
    draft: CreativeDraft,
) -> Result<Preview, AppError> {
    ssr::answer(creatives::preview(&ssr::ctx()?, &campaign_id, draft).await)
}

/// Form fields `campaign_id` and `draft[variant]`, `draft[topic]`, …
#[server(output = JsonAnswer)]
pub async fn create_creative(
    campaign_id: String,
    draft: CreativeDraft,
) -> Result<CreativeWithUrl, AppError> {
    ssr::answer(creatives::create(&ssr::ctx()?, &campaign_id, draft).await)
}

#[server(output = JsonAnswer)]
pub async fn update_creative(
    id: String,
    version: i64,
    draft: CreativeDraft,
    #[server(default)] confirm_live_change: Option<String>,
) -> Result<CreativeWithUrl, AppError> {
    let confirmed = confirm_live_change.is_some();
    let saved = ssr::answer(creatives::update(&ssr::ctx()?, &id, version, draft, confirmed).await)?;
    leptos_axum::redirect(&format!("/campaigns/{}", saved.creative.campaign_id));
    Ok(saved)
}

#[server(output = JsonAnswer)]
pub async fn delete_creative(id: String, version: i64) -> Result<(), AppError> {
    ssr::answer(creatives::delete(&ssr::ctx()?, &id, version).await)
}

#[server(output = JsonAnswer)]
pub async fn get_creative(id: String) -> Result<Answer, AppError> {
    ssr::json::<CreativeWithUrl>(creatives::get(&ssr::ctx()?, &id).await)
}

/// Every URL a creative has carried, the current one first.
#[server(output = JsonAnswer)]
pub async fn get_creative_history(id: String) -> Result<Answer, AppError> {
    ssr::json::<Vec<utmforge_core::views::LinkPeriod>>(creatives::history(&ssr::ctx()?, &id).await)
}

// --- accounts --------------------------------------------------------------------------------
//
// The ones under `/api/account/` are open to people who are not signed in (the gate lets them
// through): who am I, sign in, first-run setup, an invitation.

#[cfg(feature = "ssr")]
use utmforge_service::{accounts, activity};

#[cfg(feature = "ssr")]
async fn browser_session() -> Result<tower_sessions::Session, AppError> {
    leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(|_| AppError::Internal("sessions are not available".into()))
}

/// A local path to go to after signing in: `next` if it is one of ours, else the home page
/// (never another site: `//evil.example` and `/\evil.example` are refused).
pub fn local_path(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\');
    if ok {
        next.to_string()
    } else {
        "/".to_string()
    }
}

/// Signs in and goes to `next` (a local path).
#[server(endpoint = "account/sign-in", output = JsonAnswer)]
pub async fn sign_in(email: String, password: String, next: String) -> Result<(), AppError> {
    let ctx = ssr::ctx()?;
    let address = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<accounts::ClientAddress>().cloned())
        .map_or_else(|| "unknown".to_string(), |a| a.0);
    let user = ssr::answer(accounts::sign_in(&ctx, &email, &password, &address).await)?;
    ssr::answer(utmforge_service::session::start(&ctx, &browser_session().await?, &user).await)?;
    leptos_axum::redirect(&local_path(&next));
    Ok(())
}

/// Signs out (the session ends on the server too).
#[server(endpoint = "account/sign-out", output = JsonAnswer)]
pub async fn sign_out() -> Result<(), AppError> {
    ssr::answer(utmforge_service::session::end(&browser_session().await?).await)?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// Whether the first owner still has to be created.
#[server(endpoint = "account/setup-open", output = JsonAnswer)]
pub async fn setup_open() -> Result<Answer, AppError> {
    ssr::json::<bool>(accounts::setup_open(&ssr::ctx()?).await)
}

/// Creates the first owner with the setup link's token, and signs them in.
#[server(endpoint = "account/setup", output = JsonAnswer)]
pub async fn set_up(token: String, account: SignUp) -> Result<(), AppError> {
    let ctx = ssr::ctx()?;
    let user = ssr::answer(accounts::setup(&ctx, &token, account).await)?;
    ssr::answer(utmforge_service::session::start(&ctx, &browser_session().await?, &user).await)?;
    leptos_axum::redirect("/campaigns");
    Ok(())
}

/// The role an invitation link grants (404 when it no longer works).
#[server(endpoint = "account/invitation", output = JsonAnswer)]
pub async fn invitation_role(token: String) -> Result<Answer, AppError> {
    ssr::json::<Role>(accounts::invitation_role(&ssr::ctx()?, &token).await)
}

/// Creates the invited person's account, and signs them in.
#[server(endpoint = "account/accept", output = JsonAnswer)]
pub async fn accept_invitation(token: String, account: SignUp) -> Result<(), AppError> {
    let ctx = ssr::ctx()?;
    let user = ssr::answer(accounts::accept_invitation(&ctx, &token, account).await)?;
    ssr::answer(utmforge_service::session::start(&ctx, &browser_session().await?, &user).await)?;
    leptos_axum::redirect("/campaigns");
    Ok(())
}

/// Everyone, open invitations, and every token (admins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct People {
    pub users: Vec<User>,
    pub invitations: Vec<Invitation>,
    pub tokens: Vec<ApiToken>,
}

#[server(output = JsonAnswer)]
pub async fn list_people() -> Result<Answer, AppError> {
    let ctx = ssr::ctx()?;
    Answer::of(&People {
        users: ssr::answer(accounts::list_users(&ctx).await)?,
        invitations: ssr::answer(accounts::list_invitations(&ctx).await)?,
        tokens: ssr::answer(accounts::list_tokens(&ctx, None, true).await)?,
    })
}

#[server(output = JsonAnswer)]
pub async fn invite(role: String) -> Result<NewInvitation, AppError> {
    let ctx = ssr::ctx()?;
    let role = ssr::answer(accounts::parse_role(&role))?;
    ssr::answer(accounts::invite(&ctx, role).await)
}

#[server(output = JsonAnswer)]
pub async fn withdraw_invitation(id: String) -> Result<(), AppError> {
    ssr::answer(accounts::withdraw_invitation(&ssr::ctx()?, &id).await)
}

/// Changes someone's role (`role` given) or whether they may sign in (`disabled` given).
#[server(output = JsonAnswer)]
pub async fn update_person(
    id: String,
    role: Option<String>,
    disabled: Option<bool>,
) -> Result<User, AppError> {
    let ctx = ssr::ctx()?;
    let role = role
        .map(|r| ssr::answer(accounts::parse_role(&r)))
        .transpose()?;
    ssr::answer(accounts::update_user(&ctx, &id, role, disabled).await)
}

#[server(output = JsonAnswer)]
pub async fn list_my_tokens() -> Result<Answer, AppError> {
    ssr::json::<Vec<ApiToken>>(accounts::list_tokens(&ssr::ctx()?, None, false).await)
}

#[server(output = JsonAnswer)]
pub async fn create_token(name: String, role: String) -> Result<NewApiToken, AppError> {
    let ctx = ssr::ctx()?;
    let role = ssr::answer(accounts::parse_role(&role))?;
    ssr::answer(accounts::create_token(&ctx, None, &name, Some(role)).await)
}

#[server(output = JsonAnswer)]
pub async fn revoke_token(id: String) -> Result<ApiToken, AppError> {
    ssr::answer(accounts::revoke_token(&ssr::ctx()?, &id).await)
}

/// Activity entries, newest first: one campaign's (everyone) or all (admins); `before_id`
/// pages back.
#[server(output = JsonAnswer)]
pub async fn list_activity(
    campaign_id: Option<String>,
    before_id: Option<i64>,
) -> Result<Answer, AppError> {
    let query = activity::Query {
        campaign_id,
        before_id,
        ..Default::default()
    };
    ssr::json::<Vec<Entry>>(activity::list(&ssr::ctx()?, query).await)
}
