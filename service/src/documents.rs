//! Stateless tagging and the audit, the GA4 documents, and the CSV exports.

use crate::{heavy, Ctx, Error};
use utmforge_core::account::Role;
use utmforge_core::ga4::{self, Artifact};
use utmforge_core::views::{CampaignGa4, LintBody, TagBody};
use utmforge_core::{
    export, lint, BuyingModel, Code, Field, LintReport, Notice, TagRequest, TaggedUrl,
    MAX_LINT_URLS,
};

/// Tags one URL, as `utmforge tag` does.
pub fn tag(ctx: &Ctx, body: TagBody) -> Result<TaggedUrl, Error> {
    ctx.require(Role::Viewer)?;
    let medium = body.medium.parse::<BuyingModel>().map_err(|e| {
        Error::invalid(vec![Notice::new(
            Code::InvalidMedium,
            Field::Medium,
            e.to_string(),
        )])
    })?;
    utmforge_core::tag(&TagRequest {
        url: body.url,
        campaign: body.campaign,
        medium,
        content: body.content,
        term: body.term,
        id: body.id,
    })
    .map_err(|e| Error::invalid(e.0))
}

/// Lint reports for `urls` (at most [`MAX_LINT_URLS`]; more is 422 `too-many`).
pub async fn audit(ctx: &Ctx, body: LintBody) -> Result<Vec<LintReport>, Error> {
    ctx.require(Role::Viewer)?;
    let urls = body.urls;
    if urls.len() > MAX_LINT_URLS {
        return Err(Error::too_many(
            Field::Urls,
            format!(
                "{} URLs: at most {MAX_LINT_URLS} at a time; split the list",
                urls.len()
            ),
        ));
    }
    heavy(move || urls.iter().map(|u| lint(u)).collect()).await
}

/// The audit of pasted text: one URL per non-empty line.
pub async fn audit_text(ctx: &Ctx, text: &str) -> Result<Vec<LintReport>, Error> {
    let urls = crate::pasted_urls(text, MAX_LINT_URLS);
    audit(ctx, LintBody { urls }).await
}

/// The workspace's channel group, as a downloadable document with instructions.
pub fn channel_group(ctx: &Ctx) -> Result<Artifact, Error> {
    ctx.require(Role::Viewer)?;
    Ok(ga4::channel_group_artifact())
}

/// The GA4 setup page: the channel group, whether links carry `utm_id` (the cost data file
/// needs it) and the ChatGPT Ads account's currency.
pub async fn ga4_setup(ctx: &Ctx) -> Result<utmforge_core::views::Ga4Setup, Error> {
    let channel_group = channel_group(ctx)?;
    let now = ctx.now_ms();
    Ok(utmforge_core::views::Ga4Setup {
        channel_group,
        utm_id: ctx.rules().await?.utm_id,
        currency: crate::ads::connection(ctx)
            .await?
            .account
            .and_then(|a| a.currency_code),
        today: utmforge_core::time::date(now),
        month_ago: utmforge_core::time::date(now - 29 * 86_400_000),
    })
}

/// A campaign's funnel and report documents.
pub async fn campaign_ga4(ctx: &Ctx, id: &str) -> Result<CampaignGa4, Error> {
    ctx.require(Role::Viewer)?;
    let campaign = ctx.store.get_campaign(id).await?;
    let artifacts = ga4::campaign_artifacts(&campaign.slug, campaign.conversion);
    Ok(CampaignGa4 {
        campaign,
        artifacts,
    })
}

/// One of a campaign's GA4 documents: `funnel` or `report`.
pub async fn campaign_document(ctx: &Ctx, id: &str, kind: &str) -> Result<Artifact, Error> {
    campaign_ga4(ctx, id)
        .await?
        .artifacts
        .into_iter()
        .find(|a| a.kind == kind)
        .ok_or_else(|| Error::not_found("GA4 document (funnel or report)"))
}

/// A file to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub filename: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl From<Artifact> for File {
    fn from(a: Artifact) -> File {
        File {
            filename: a.filename,
            content_type: "application/json",
            bytes: a.json.into_bytes(),
        }
    }
}

/// One campaign's creatives as CSV, named after its slug and today's date.
pub async fn export_campaign(ctx: &Ctx, id: &str) -> Result<File, Error> {
    ctx.require(Role::Viewer)?;
    let campaign = ctx.store.get_campaign(id).await?;
    let creatives = ctx.store.list_creatives(id).await?;
    let rules = ctx.rules().await?;
    let filename = export::campaign_filename(&campaign, ctx.now_ms());
    let bytes =
        heavy(move || export::to_csv(export::campaign_rows(&campaign, &creatives, &rules))).await?;
    Ok(File {
        filename,
        content_type: "text/csv; charset=utf-8",
        bytes,
    })
}

/// Campaigns per part of a streamed export.
pub const EXPORT_PART_CAMPAIGNS: usize = 100;

/// Every campaign's creatives as one CSV, read and written part by part (a hundred campaigns
/// at a time, in the list's order) so that memory stays flat however many there are. The
/// trash is not exported.
pub struct ExportAll {
    ctx: Ctx,
    rules: utmforge_core::rules::TeamRules,
    cursor: Option<Option<utmforge_core::listing::Cursor>>,
    pub filename: String,
}

/// Starts the export of everything (viewer).
pub async fn export_all(ctx: &Ctx) -> Result<ExportAll, Error> {
    ctx.require(Role::Viewer)?;
    Ok(ExportAll {
        rules: ctx.rules().await?,
        ctx: ctx.clone(),
        cursor: Some(None),
        filename: export::all_campaigns_filename(ctx.now_ms()),
    })
}

impl ExportAll {
    /// The next part of the file (the first has the header); None after the last.
    pub async fn next_part(&mut self) -> Result<Option<Vec<u8>>, Error> {
        let Some(cursor) = self.cursor.take() else {
            return Ok(None);
        };
        let first = cursor.is_none();
        let query = utmforge_core::listing::CampaignQuery {
            limit: EXPORT_PART_CAMPAIGNS,
            cursor,
            ..Default::default()
        };
        let page = self.ctx.store.campaigns_page(&query).await?;
        self.cursor = page.next.map(Some);
        let ids: Vec<String> = page.items.iter().map(|s| s.campaign.id.clone()).collect();
        let by_campaign = self.ctx.store.creatives_of(&ids).await?;
        let rules = self.rules.clone();
        let bytes = heavy(move || {
            let rows = page.items.iter().flat_map(|s| {
                let creatives = by_campaign
                    .get(&s.campaign.id)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                export::campaign_rows(&s.campaign, creatives, &rules)
            });
            export::csv_part(rows.collect::<Vec<_>>(), first)
        })
        .await?;
        Ok(Some(bytes))
    }
}
