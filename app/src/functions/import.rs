//! Server functions for importing a sheet: the plan (with its table rendered) and the import.

#[cfg(feature = "ssr")]
use crate::api::ssr;
use crate::api::{AppError, JsonAnswer};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use utmforge_core::import::ImportPlan;
use utmforge_core::views::ImportOutcome;
#[cfg(feature = "ssr")]
use utmforge_service::import;

/// Plans an import of a pasted or uploaded sheet: what each row would do, and the token that
/// the import must bring back, with the table the page shows. Saves nothing.
#[server(output = JsonAnswer)]
pub async fn preview_import(campaign_id: String, text: String) -> Result<PlanPreview, AppError> {
    let plan = ssr::answer(import::plan(&ssr::ctx()?, &campaign_id, text).await)?.plan;
    Ok(PlanPreview {
        html: crate::render::import_plan::plan_html(plan.clone()),
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
