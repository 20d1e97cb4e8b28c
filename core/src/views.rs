//! What the use cases answer and take, in one shape for every door: the pages (through server
//! functions), the REST API and the downloads. Plain data; the service layer fills it.

use crate::campaign::{Campaign, CampaignDraft, Creative, CreativeDraft};
use crate::import::ImportPlan;
use crate::notice::Notice;
use crate::rules::TeamRules;
use serde::{Deserialize, Serialize};

/// A campaign as listed, with how many creatives it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignRow {
    #[serde(flatten)]
    pub campaign: Campaign,
    pub creative_count: i64,
    /// What its ChatGPT ads cost over the last 30 days (UTC today and the 29 days before), in
    /// millionths of the ad account's currency, as last pulled; absent when no spend is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spend_30_days_micros: Option<i64>,
    /// What is wrong with its links (only when the list was asked for campaigns with problems).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problems: Option<Problems>,
}

/// A page of the campaigns list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignList {
    pub items: Vec<CampaignRow>,
    /// Give it back as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// Give it back as `cursor` for the page before; absent on the first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev_cursor: Option<String>,
}

/// What is wrong with a campaign's links: creatives whose URL cannot be built, creatives whose
/// URL has warnings (e.g. a landing domain outside the approved ones, in warn mode), and
/// creatives whose latest link check found the page broken. Two creatives never share a final
/// URL: variants are unique within a campaign and `utm_campaign` across campaigns, and both are
/// in every URL, so duplicates are not a problem that can occur.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problems {
    pub errors: usize,
    pub warnings: usize,
    pub broken: usize,
    /// Linked ChatGPT ads that carry another URL than their creative's (as last read).
    #[serde(default)]
    pub drifted: usize,
    /// Linked ChatGPT ads OpenAI's review rejected.
    #[serde(default)]
    pub rejected: usize,
}

/// What was last read of a creative's ChatGPT ad: its `target_url` and `review_status`.
pub type AdState<'a> = (Option<&'a str>, Option<&'a str>);

impl Problems {
    /// The problems of `campaign`'s `creatives` under `rules`; `broken` says whether a creative's
    /// latest link check found it broken, `ad` what was last read of its ChatGPT ad (if linked).
    pub fn of<'a>(
        campaign: &Campaign,
        creatives: &[Creative],
        rules: &TeamRules,
        broken: impl Fn(&str) -> bool,
        ad: impl Fn(&str) -> Option<AdState<'a>>,
    ) -> Problems {
        let mut p = Problems::default();
        for k in creatives {
            let url = match k.tagged_url(campaign, rules) {
                Err(_) => {
                    p.errors += 1;
                    None
                }
                Ok(t) => {
                    if !t.warnings.is_empty() {
                        p.warnings += 1;
                    }
                    Some(t.url)
                }
            };
            if broken(&k.id) {
                p.broken += 1;
            }
            if let Some((target_url, review)) = ad(&k.id) {
                if crate::ads::AdSync::of(url.as_deref(), target_url) == crate::ads::AdSync::Drifted
                {
                    p.drifted += 1;
                }
                if crate::ads::is_rejected(review) {
                    p.rejected += 1;
                }
            }
        }
        p
    }

    pub fn any(&self) -> bool {
        self.errors + self.warnings + self.broken + self.drifted + self.rejected > 0
    }

    /// `2 without a URL · 1 with warnings · 3 broken`: the parts that are not zero.
    pub fn summary(&self) -> String {
        [
            (self.errors, "without a URL"),
            (self.warnings, "with warnings"),
            (self.broken, "broken"),
            (self.drifted, "ads drifted"),
            (self.rejected, "ads rejected"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect::<Vec<_>>()
        .join(" · ")
    }
}

/// A creative with the URL core computes for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreativeWithUrl {
    #[serde(flatten)]
    pub creative: Creative,
    /// The tagged URL; absent when it cannot be built (see `error`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub warnings: Vec<Notice>,
    /// Why there is no URL (e.g. the campaign's landing URL became invalid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl CreativeWithUrl {
    /// `creative` with its URL in `campaign`, under the team's `rules`.
    pub fn new(creative: Creative, campaign: &Campaign, rules: &TeamRules) -> Self {
        match creative.tagged_url(campaign, rules) {
            Ok(t) => CreativeWithUrl {
                creative,
                url: Some(t.url),
                warnings: t.warnings,
                error: None,
            },
            Err(e) => CreativeWithUrl {
                creative,
                url: None,
                warnings: Vec::new(),
                error: Some(e.to_string()),
            },
        }
    }
}

impl CreativeWithUrl {
    /// Whether `search` (letter case ignored) is in its variant name, `utm_content`, topic or
    /// URL: the campaign page's creative search.
    pub fn matches(&self, search: &str) -> bool {
        let needle = search.trim().to_lowercase();
        let k = &self.creative;
        needle.is_empty()
            || [
                Some(k.variant.as_str()),
                Some(k.content.as_str()),
                k.topic.as_deref(),
                self.url.as_deref(),
            ]
            .into_iter()
            .flatten()
            .any(|v| v.to_lowercase().contains(&needle))
    }
}

/// Several creatives of one campaign changed at once: which (their ids, or every creative
/// matching `search`), and what to set (a topic, a landing URL; empty: the campaign's) or
/// `delete` them (to the trash).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct BulkChange {
    pub ids: Vec<String>,
    /// Instead of `ids`: every creative of the campaign this search finds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub landing_url: Option<String>,
    pub delete: bool,
}

/// One creative in a bulk change: its URL now and after (none: deleted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkRow {
    pub creative_id: String,
    pub variant: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

/// What a bulk change does (or did): every creative it touches with its URL before and after,
/// how many URLs change, and the campaign's `version` the change was planned against (send it
/// back to apply exactly this).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkPlan {
    pub rows: Vec<BulkRow>,
    pub url_changes: usize,
    pub version: i64,
    /// False for a preview.
    pub applied: bool,
}

/// Creatives a campaign page shows at a time: a campaign of 1,000 creatives is ten pages, not
/// one page of two megabytes.
pub const CREATIVES_PER_PAGE: usize = 100;

/// A campaign with its creatives: everything the campaign page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignPage {
    pub campaign: Campaign,
    /// The creatives shown: all that match, or one page of them ([`CampaignPage::paged`]).
    pub creatives: Vec<CreativeWithUrl>,
    /// The team's rules: the creative form suggests their topics, and the page's previews
    /// apply them as the server will.
    #[serde(default)]
    pub rules: TeamRules,
    /// How many creatives match (the page's search; all of them without one).
    #[serde(default)]
    pub matching: usize,
    /// The position of `creatives[0]` among the matching ones (0: the first).
    #[serde(default)]
    pub start: usize,
    /// The URL of every matching creative, in order ("Copy all URLs" copies them all, whichever
    /// page is shown).
    #[serde(default)]
    pub urls: Vec<String>,
    /// Linked ChatGPT ads that carry another URL than their creative's, as last read (after a
    /// live-link change: the ads still to update).
    #[serde(default)]
    pub ads_drifted: usize,
}

impl CampaignPage {
    /// `campaign` with all of `creatives`.
    pub fn new(campaign: Campaign, creatives: Vec<CreativeWithUrl>, rules: TeamRules) -> Self {
        CampaignPage {
            matching: creatives.len(),
            start: 0,
            urls: creatives.iter().filter_map(|k| k.url.clone()).collect(),
            campaign,
            creatives,
            rules,
            ads_drifted: 0,
        }
    }

    /// Only page `page` (1-based) of the creatives, [`CREATIVES_PER_PAGE`] to a page; 0 means
    /// 1, and a page past the last shows the last.
    pub fn paged(mut self, page: usize) -> Self {
        let last = self.pages();
        let page = page.clamp(1, last);
        self.start = (page - 1) * CREATIVES_PER_PAGE;
        self.creatives = self
            .creatives
            .into_iter()
            .skip(self.start)
            .take(CREATIVES_PER_PAGE)
            .collect();
        self
    }

    /// How many pages the matching creatives fill (at least 1).
    pub fn pages(&self) -> usize {
        self.matching.div_ceil(CREATIVES_PER_PAGE).max(1)
    }

    /// The page shown (1-based).
    pub fn page(&self) -> usize {
        self.start / CREATIVES_PER_PAGE + 1
    }
}

/// The Settings page's form, as text (checkboxes: present means on).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    pub domains: String,
    pub domain_mode: String,
    pub topics: String,
    pub topic_mode: String,
    pub utm_id: bool,
    pub confirm_live_change: bool,
}

/// Days a deleted campaign or creative stays in the trash before it is purged.
pub const TRASH_DAYS: i64 = 30;

/// What a trash row holds: the campaign as it was with its creatives, or one creative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trashed {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<Campaign>,
    pub creatives: Vec<Creative>,
}

/// A page of the trash, most recently deleted first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrashList {
    pub items: Vec<TrashItem>,
    /// Give it back as `cursor` for the next (older) page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A deleted campaign or creative, as the trash lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrashItem {
    /// The campaign's or creative's id (restore it with this).
    pub id: String,
    /// `campaign` or `creative`.
    pub kind: String,
    pub campaign_id: String,
    /// The campaign's name, or the creative's variant.
    pub name: String,
    /// `utm_campaign` of a campaign, or of the creative's campaign when it still exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// Creatives that come back with it.
    pub creatives: usize,
    pub deleted_at: i64,
    pub deleted_by: String,
    /// When it is purged (Unix milliseconds).
    pub purge_at: i64,
}

/// One URL a creative carried, from when to when: a row of its link history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkPeriod {
    pub creative_id: String,
    pub campaign_id: String,
    /// The campaign's name and the variant as they were.
    pub campaign: String,
    pub variant: String,
    pub url: String,
    /// Unix milliseconds.
    pub from: i64,
    /// Unix milliseconds; absent while it is the current URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<i64>,
    /// What the creative's ChatGPT ad received while this URL was live (a day counts for the
    /// URL live at noon UTC that day); absent when no day of results falls in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<crate::ads::insights::Totals>,
}

/// The GA4 setup page: the channel group, and what the cost data download needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ga4Setup {
    pub channel_group: crate::ga4::Artifact,
    /// The team's links carry `utm_id` (Settings): GA4 can match cost data.
    pub utm_id: bool,
    /// The ChatGPT Ads account's currency (the cost's), when the server is connected.
    pub currency: Option<String>,
    /// Today (UTC, `YYYY-MM-DD`): the default range's end.
    pub today: String,
    /// 29 days before today: the default range's start.
    pub month_ago: String,
}

/// A campaign's GA4 documents (its funnel and report).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignGa4 {
    pub campaign: Campaign,
    pub artifacts: Vec<crate::ga4::Artifact>,
}

/// The live preview of a creative's URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Preview {
    pub url: Option<String>,
    pub warnings: Vec<Notice>,
    pub errors: Vec<Notice>,
}

impl Preview {
    /// The URL `draft` would give as a creative of `campaign`, with its warnings, or why it
    /// gives none. The one computation behind both previews: the server's (used until the
    /// page's tagging code has arrived) and the page's own, in the browser.
    pub fn of(campaign: &Campaign, draft: &CreativeDraft, rules: &TeamRules) -> Self {
        match draft.validate_with(campaign, rules) {
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
        }
    }
}

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportOutcome {
    /// True when nothing was saved (a preview).
    pub dry_run: bool,
    #[serde(flatten)]
    pub plan: ImportPlan,
    /// Creatives created and updated (0 in a dry run).
    pub created: usize,
    pub updated: usize,
}

/// The fields of `utmforge tag`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TagBody {
    /// The landing URL (`https://` is added when there is no scheme).
    #[cfg_attr(
        feature = "openapi",
        schema(example = "https://example.com/pricing", min_length = 1)
    )]
    pub url: String,
    /// A campaign name or slug: becomes `utm_campaign`.
    #[cfg_attr(feature = "openapi", schema(example = "Spring Sale", min_length = 1))]
    pub campaign: String,
    /// `cpc` or `cpm`, any case.
    #[cfg_attr(feature = "openapi", schema(example = "cpc", value_type = crate::BuyingModel))]
    pub medium: String,
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub term: Option<String>,
    /// `utm_id`, for GA4 cost-data import.
    #[serde(default)]
    pub id: Option<String>,
}

/// URLs to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LintBody {
    /// The URLs to check (at most 10,000).
    #[cfg_attr(feature = "openapi", schema(max_items = 10000, example = json!(["https://example.com/?utm_source=ChatGPT"])))]
    pub urls: Vec<String>,
}

/// The body of `POST /api/v1/check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckBody {
    /// The URLs to follow (at most 100), each an absolute http(s) URL.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 100, example = json!(["https://example.com/?utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring"])))]
    pub urls: Vec<String>,
}

/// A partial change to a campaign: only the fields given change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignPatch {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub buying_model: Option<String>,
    pub topic: Option<String>,
    pub landing_url: Option<String>,
    pub conversion: Option<String>,
    pub status: Option<String>,
    pub notes: Option<String>,
}

impl CampaignPatch {
    /// `base` with the fields this patch gives (PATCH's merge; the result is validated as a
    /// whole, as a PUT is).
    pub fn onto(self, base: CampaignDraft) -> CampaignDraft {
        CampaignDraft {
            name: self.name.unwrap_or(base.name),
            slug: self.slug.unwrap_or(base.slug),
            buying_model: self.buying_model.unwrap_or(base.buying_model),
            topic: self.topic.unwrap_or(base.topic),
            landing_url: self.landing_url.unwrap_or(base.landing_url),
            conversion: self.conversion.unwrap_or(base.conversion),
            status: self.status.unwrap_or(base.status),
            notes: self.notes.unwrap_or(base.notes),
        }
    }
}

/// A partial change to a creative: only the fields given change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreativePatch {
    pub variant: Option<String>,
    pub topic: Option<String>,
    pub landing_url: Option<String>,
    pub headline: Option<String>,
    pub description: Option<String>,
    pub notes: Option<String>,
}

impl CreativePatch {
    /// `base` with the fields this patch gives.
    pub fn onto(self, base: CreativeDraft) -> CreativeDraft {
        CreativeDraft {
            variant: self.variant.unwrap_or(base.variant),
            topic: self.topic.unwrap_or(base.topic),
            landing_url: self.landing_url.unwrap_or(base.landing_url),
            headline: self.headline.unwrap_or(base.headline),
            description: self.description.unwrap_or(base.description),
            notes: self.notes.unwrap_or(base.notes),
        }
    }
}

/// The body of `POST /api/v1/capi/validate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CapiValidateBody {
    /// The events exactly as they would be posted to the Conversions API (at most 1,000):
    /// `{id, type, timestamp_ms, data, action_source, source_url}`.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>, max_items = 1000, example = json!([{"id": "order_created_user123_1795694400000", "type": "order_created", "timestamp_ms": 1795694400000_i64, "action_source": "web", "source_url": "https://shop.example.com/thanks", "oppref": "oppref_abc", "user": {"emails_sha256": ["5bd1a1ba3e3a3aa0d6a4f1d1a2c6a4a8d5f6e3b7c9a0b1c2d3e4f5a6b7c8d9e0"]}, "data": {"type": "contents", "amount": 4990, "currency": "USD", "contents": [{"id": "sku-1", "content_type": "product", "quantity": 1, "amount": 4990}]}}])))]
    pub events: Vec<serde_json::Value>,
}

/// The query of `GET /api/v1/tracking` and the Tracking page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct TrackingQuery {
    /// The Pixel ID from the conversions tab of OpenAI's Ads Manager.
    #[serde(default)]
    pub pixel_id: String,
    /// The GA4 measurement id, `G-…` (leave out when GA4 is installed another way).
    #[serde(default)]
    pub measurement_id: String,
    /// ISO 4217 currency of order values (USD when left out).
    #[serde(default)]
    pub currency: String,
    /// `true`: `init` with `debug: true` (the SDK logs to the browser console; for testing).
    #[serde(default)]
    pub debug: bool,
    /// `true`: ask for consent first (`oaiq("consent", false)` before `init`, and the call
    /// that grants it).
    #[serde(default)]
    pub consent: bool,
}

/// The body of `PUT /api/v1/settings`: the rules, and the version they were read at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    /// The `version` of `GET /api/v1/settings` (0 when none were ever saved).
    pub version: i64,
    pub rules: crate::rules::TeamRules,
    /// `true`: confirms that switching `utm_id` may change the live links of active campaigns
    /// (else 409 `live-link-change` listing them). Absent or null: false.
    #[serde(default)]
    pub confirm_live_change: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_of(n: usize) -> CampaignPage {
        let campaign = crate::CampaignDraft {
            name: "Paged".into(),
            buying_model: "cpc".into(),
            landing_url: "https://shop.example.com/p".into(),
            conversion: "lead_created".into(),
            ..Default::default()
        }
        .validate()
        .unwrap()
        .saved_over(&Campaign::stub("c1"));
        let creatives = (0..n)
            .map(|i| {
                let k = Creative {
                    id: format!("k{i}"),
                    campaign_id: "c1".into(),
                    variant: format!("V{i:03}"),
                    content: format!("v{i:03}"),
                    topic: None,
                    landing_url: None,
                    headline: String::new(),
                    description: String::new(),
                    notes: String::new(),
                    version: 1,
                    created_at: 0,
                    updated_at: 0,
                };
                CreativeWithUrl::new(k, &campaign, &TeamRules::default())
            })
            .collect();
        CampaignPage::new(campaign, creatives, TeamRules::default())
    }

    fn variants(p: &CampaignPage) -> (String, String, usize) {
        (
            p.creatives.first().unwrap().creative.content.clone(),
            p.creatives.last().unwrap().creative.content.clone(),
            p.creatives.len(),
        )
    }

    #[test]
    fn a_campaign_page_shows_a_hundred_creatives_at_a_time() {
        let all = page_of(250);
        assert_eq!((all.matching, all.pages(), all.urls.len()), (250, 3, 250));
        let second = all.clone().paged(2);
        assert_eq!(variants(&second), ("v100".into(), "v199".into(), 100));
        assert_eq!(
            (second.page(), second.start, second.matching),
            (2, 100, 250)
        );
        // Copy all still has every URL.
        assert_eq!(second.urls.len(), 250);
        let last = all.clone().paged(3);
        assert_eq!(variants(&last), ("v200".into(), "v249".into(), 50));
        // Past the last: the last; 0: the first.
        assert_eq!(all.clone().paged(99).page(), 3);
        assert_eq!(variants(&all.clone().paged(0)).0, "v000");
        // Exactly one page, and none at all.
        assert_eq!(page_of(100).pages(), 1);
        let empty = page_of(0).paged(5);
        assert_eq!(
            (empty.pages(), empty.page(), empty.creatives.len()),
            (1, 1, 0)
        );
    }
}
