//! Server functions: the browser's calls into the server. Each parses its input into a core
//! draft, lets core validate it, calls the store, and maps errors. No rule lives here.

// Server-function arguments mirror the form's fields one to one (that is what lets the forms
// post without JavaScript), so some take many.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use utmforge_core::{Campaign, Creative, Field, Notice};

/// What can go wrong, as the page needs to show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AppError {
    /// The input breaks a rule: each notice names its field. Nothing was saved.
    Invalid(Vec<Notice>),
    /// Saving would clash with other data (duplicate slug, stale version). Nothing was saved.
    Conflict(Notice),
    /// The campaign or creative does not exist (any more).
    NotFound(String),
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
            _ => None,
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
            AppError::NotFound(what) => {
                format!("{what} no longer exists: it may have been deleted in another tab.")
            }
            AppError::Internal(e) => format!("The server could not do this: {e}"),
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary())
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Internal(value.to_string())
    }
}

/// A row of the campaigns table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignRow {
    pub campaign: Campaign,
    pub creative_count: i64,
}

/// A creative with the URL it carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreativeRow {
    pub creative: Creative,
    /// The tagged URL, or why there is none (e.g. the campaign's landing URL became invalid).
    pub url: Result<String, String>,
    pub warnings: Vec<Notice>,
}

/// Everything the campaign page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignPage {
    pub campaign: Campaign,
    pub creatives: Vec<CreativeRow>,
}

/// A campaign's GA4 documents (its funnel and report).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignGa4 {
    pub campaign: Campaign,
    pub artifacts: Vec<utmforge_core::ga4::Artifact>,
}

/// The live preview of a creative's URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub url: Option<String>,
    pub warnings: Vec<Notice>,
    pub errors: Vec<Notice>,
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;
    use utmforge_store::{Store, StoreError};

    pub fn store() -> Result<Store, AppError> {
        leptos::prelude::use_context::<Store>()
            .ok_or_else(|| AppError::Internal("the store is not available".into()))
    }

    pub fn map(what: &str) -> impl Fn(StoreError) -> AppError + '_ {
        move |e| {
            with_status(match e {
                StoreError::Conflict(n) => AppError::Conflict(n),
                StoreError::NotFound => AppError::NotFound(what.to_string()),
                other => {
                    tracing::error!(error = %other, "store call failed");
                    AppError::Internal("the database failed; try again".into())
                }
            })
        }
    }

    /// Input that breaks a rule: 422, with every notice.
    pub fn invalid(notices: Vec<utmforge_core::Notice>) -> AppError {
        with_status(AppError::Invalid(notices))
    }

    /// Sets the HTTP status that matches the error: 422 invalid, 409 conflict, 404, 500.
    fn with_status(e: AppError) -> AppError {
        use http::StatusCode;
        let status = match &e {
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
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
        e
    }
}

#[server]
pub async fn list_campaigns(status: Option<String>) -> Result<Vec<CampaignRow>, AppError> {
    let status = status.and_then(|s| s.parse().ok());
    let rows = ssr::store()?
        .list_campaigns(status)
        .await
        .map_err(ssr::map("The list"))?;
    Ok(rows
        .into_iter()
        .map(|s| CampaignRow {
            campaign: s.campaign,
            creative_count: s.creative_count,
        })
        .collect())
}

#[server]
pub async fn get_campaign_page(id: String) -> Result<CampaignPage, AppError> {
    let store = ssr::store()?;
    let campaign = store
        .get_campaign(&id)
        .await
        .map_err(ssr::map("This campaign"))?;
    let creatives = store
        .list_creatives(&id)
        .await
        .map_err(ssr::map("This campaign"))?
        .into_iter()
        .map(|creative| {
            let (url, warnings) = match creative.tagged_url(&campaign) {
                Ok(t) => (Ok(t.url), t.warnings),
                Err(e) => (Err(e.to_string()), Vec::new()),
            };
            CreativeRow {
                creative,
                url,
                warnings,
            }
        })
        .collect();
    Ok(CampaignPage {
        campaign,
        creatives,
    })
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub plan: utmforge_core::import::ImportPlan,
    pub created: usize,
    pub updated: usize,
}

/// Plans an import of a pasted or uploaded sheet: what each row would do. Saves nothing.
#[server]
pub async fn preview_import(
    campaign_id: String,
    text: String,
) -> Result<utmforge_core::import::ImportPlan, AppError> {
    let store = ssr::store()?;
    let campaign = store
        .get_campaign(&campaign_id)
        .await
        .map_err(ssr::map("This campaign"))?;
    let existing = store
        .list_creatives(&campaign_id)
        .await
        .map_err(ssr::map("This campaign"))?;
    utmforge_core::import::plan_import(&text, &campaign, &existing)
        .map_err(|n| ssr::invalid(vec![n]))
}

/// Imports a sheet: plans it again against the current data, then saves every valid row in
/// one transaction. Invalid rows are never saved.
#[server]
pub async fn run_import(campaign_id: String, text: String) -> Result<ImportOutcome, AppError> {
    let store = ssr::store()?;
    let plan = preview_import(campaign_id.clone(), text).await?;
    let (created, updated) = store
        .apply_import(&campaign_id, &plan)
        .await
        .map_err(ssr::map("This campaign"))?;
    Ok(ImportOutcome {
        plan,
        created,
        updated,
    })
}

/// Lint reports for pasted URLs, one per non-empty line.
#[server]
pub async fn audit_urls(text: String) -> Result<Vec<utmforge_core::LintReport>, AppError> {
    let urls: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if urls.len() > utmforge_core::MAX_LINT_URLS {
        return Err(ssr::invalid(vec![Notice::new(
            utmforge_core::Code::TooLong,
            Field::Url,
            format!(
                "{} URLs: at most {} at a time (the API's /api/v1/lint takes the same)",
                urls.len(),
                utmforge_core::MAX_LINT_URLS
            ),
        )]));
    }
    Ok(urls.into_iter().map(utmforge_core::lint).collect())
}

/// The workspace-wide GA4 document: the channel group.
#[server]
pub async fn get_ga4_setup() -> Result<utmforge_core::ga4::Artifact, AppError> {
    Ok(utmforge_core::ga4::channel_group_artifact())
}

/// A campaign's funnel and report, built by core from its slug and primary conversion.
#[server]
pub async fn get_campaign_ga4(id: String) -> Result<CampaignGa4, AppError> {
    let campaign = ssr::store()?
        .get_campaign(&id)
        .await
        .map_err(ssr::map("This campaign"))?;
    let artifacts = utmforge_core::ga4::campaign_artifacts(&campaign.slug, campaign.conversion);
    Ok(CampaignGa4 {
        campaign,
        artifacts,
    })
}

/// The `utm_campaign` a name (or an explicit slug) gives, for the live preview.
#[server]
pub async fn preview_slug(name: String, slug: String) -> Result<Option<String>, AppError> {
    Ok(utmforge_core::campaign_slug(&name, &slug).ok())
}

#[server]
pub async fn create_campaign(
    name: String,
    slug: String,
    buying_model: String,
    topic: String,
    landing_url: String,
    conversion: String,
    status: String,
    notes: String,
) -> Result<Campaign, AppError> {
    let valid = campaign_draft(
        name,
        slug,
        buying_model,
        topic,
        landing_url,
        conversion,
        status,
        notes,
    )
    .validate()
    .map_err(ssr::invalid)?;
    let campaign = ssr::store()?
        .create_campaign(&valid)
        .await
        .map_err(ssr::map("This campaign"))?;
    leptos_axum::redirect(&format!("/campaigns/{}", campaign.id));
    Ok(campaign)
}

#[server]
pub async fn update_campaign(
    id: String,
    version: i64,
    name: String,
    slug: String,
    buying_model: String,
    topic: String,
    landing_url: String,
    conversion: String,
    status: String,
    notes: String,
) -> Result<Campaign, AppError> {
    let valid = campaign_draft(
        name,
        slug,
        buying_model,
        topic,
        landing_url,
        conversion,
        status,
        notes,
    )
    .validate()
    .map_err(ssr::invalid)?;
    let campaign = ssr::store()?
        .update_campaign(&id, version, &valid)
        .await
        .map_err(ssr::map("This campaign"))?;
    leptos_axum::redirect(&format!("/campaigns/{id}"));
    Ok(campaign)
}

#[server]
pub async fn delete_campaign(id: String, version: i64) -> Result<(), AppError> {
    ssr::store()?
        .delete_campaign(&id, version)
        .await
        .map_err(ssr::map("This campaign"))?;
    leptos_axum::redirect("/campaigns");
    Ok(())
}

#[cfg(feature = "ssr")]
fn campaign_draft(
    name: String,
    slug: String,
    buying_model: String,
    topic: String,
    landing_url: String,
    conversion: String,
    status: String,
    notes: String,
) -> utmforge_core::CampaignDraft {
    utmforge_core::CampaignDraft {
        name,
        slug,
        buying_model,
        topic,
        landing_url,
        conversion,
        status,
        notes,
    }
}

#[cfg(feature = "ssr")]
fn creative_draft(
    variant: String,
    topic: String,
    landing_url: String,
    headline: String,
    notes: String,
) -> utmforge_core::CreativeDraft {
    utmforge_core::CreativeDraft {
        variant,
        topic,
        landing_url,
        headline,
        notes,
    }
}

#[server]
pub async fn preview_creative(
    campaign_id: String,
    variant: String,
    topic: String,
    landing_url: String,
) -> Result<Preview, AppError> {
    let campaign = ssr::store()?
        .get_campaign(&campaign_id)
        .await
        .map_err(ssr::map("This campaign"))?;
    let draft = creative_draft(variant, topic, landing_url, String::new(), String::new());
    Ok(match draft.validate(&campaign) {
        Ok(valid) => Preview {
            url: Some(valid.tagged.url),
            warnings: valid.tagged.warnings,
            errors: Vec::new(),
        },
        Err(errors) => Preview {
            url: None,
            warnings: Vec::new(),
            errors,
        },
    })
}

#[server]
pub async fn create_creative(
    campaign_id: String,
    variant: String,
    topic: String,
    landing_url: String,
    headline: String,
    notes: String,
) -> Result<Creative, AppError> {
    let store = ssr::store()?;
    let campaign = store
        .get_campaign(&campaign_id)
        .await
        .map_err(ssr::map("This campaign"))?;
    let valid = creative_draft(variant, topic, landing_url, headline, notes)
        .validate(&campaign)
        .map_err(ssr::invalid)?;
    store
        .create_creative(&campaign_id, &valid)
        .await
        .map_err(ssr::map("This campaign"))
}

#[server]
pub async fn update_creative(
    id: String,
    version: i64,
    variant: String,
    topic: String,
    landing_url: String,
    headline: String,
    notes: String,
) -> Result<Creative, AppError> {
    let store = ssr::store()?;
    let existing = store
        .get_creative(&id)
        .await
        .map_err(ssr::map("This creative"))?;
    let campaign = store
        .get_campaign(&existing.campaign_id)
        .await
        .map_err(ssr::map("This campaign"))?;
    let valid = creative_draft(variant, topic, landing_url, headline, notes)
        .validate(&campaign)
        .map_err(ssr::invalid)?;
    let creative = store
        .update_creative(&id, version, &valid)
        .await
        .map_err(ssr::map("This creative"))?;
    leptos_axum::redirect(&format!("/campaigns/{}", campaign.id));
    Ok(creative)
}

#[server]
pub async fn delete_creative(id: String, version: i64) -> Result<(), AppError> {
    ssr::store()?
        .delete_creative(&id, version)
        .await
        .map_err(ssr::map("This creative"))
}

#[server]
pub async fn get_creative(id: String) -> Result<Creative, AppError> {
    ssr::store()?
        .get_creative(&id)
        .await
        .map_err(ssr::map("This creative"))
}
