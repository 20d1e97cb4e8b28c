//! ChatGPT Ads, as OpenAI's Advertiser API describes it (developers.openai.com/ads:
//! api-overview, api-reference/ad-account, campaigns, ad-groups, ads; `../shared/openai-ads.md`
//! §5): the objects utmforge reads and writes, the documented rules an ad's creative follows,
//! and what utmforge makes of them — which ad is which creative (proposed matches), and whether
//! an ad carries the creative's URL (in sync, drifted, not published).
//!
//! No I/O here: the client is the service's (`service/src/ads.rs`).

use crate::notice::clip;
use serde::{Deserialize, Serialize};

pub mod bulk;
mod image;
pub mod insights;
pub use image::{check_image, samples, ImageInfo, ImageKind, MAX_IMAGE_BYTES, MIN_IMAGE_SIDE};

/// The Advertiser API's base URL.
pub const API_BASE: &str = "https://api.ads.openai.com/v1";
/// Most items a list page may hold (`limit`, 1–500).
pub const MAX_PAGE: usize = 500;
/// A creative's title: 3–50 characters.
pub const TITLE_LEN: (usize, usize) = (3, 50);
/// A creative's body: at most 100 characters.
pub const MAX_BODY_LEN: usize = 100;
/// An ad's `target_url`: http(s), at most 2,048 characters.
pub const MAX_TARGET_URL_LEN: usize = 2048;
/// Longest text of OpenAI's kept from an answer (an error, a serving issue).
pub const MAX_ANSWER_LEN: usize = 300;

/// `GET /ad_account`: the account the key belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdAccount {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub preview_url: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub timezone: Option<String>,
    #[serde(default)]
    pub currency_code: Option<String>,
    /// `review.status` (the account's own review).
    #[serde(default)]
    pub review: Option<AccountReview>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountReview {
    #[serde(default)]
    pub status: Option<String>,
}

/// A ChatGPT Ads campaign (`GET /campaigns`): what utmforge shows of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdsCampaign {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub status: Option<String>,
}

/// An ad group (`GET /ad_groups?campaign_id=`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdGroup {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub status: Option<String>,
}

/// An ad's creative as the API answers it (`image_url` is the API's, never sent back).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdCreative {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub target_url: Option<String>,
    #[serde(default)]
    pub file_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
}

impl AdCreative {
    /// The full creative object an update sends (the API takes only the whole object, and
    /// every field of it is the ad's own but `target_url`).
    pub fn with_target_url(&self, url: &str) -> serde_json::Value {
        let mut creative = serde_json::json!({
            "type": self.kind,
            "title": self.title,
            "body": self.body,
            "target_url": url,
        });
        if let Some(file) = &self.file_id {
            creative["file_id"] = serde_json::Value::String(file.clone());
        }
        creative
    }
}

/// An ad (`GET /ads`, `GET /ads/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ad {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub ad_group_id: Option<String>,
    pub creative: AdCreative,
    /// `active`, `paused` or `archived`.
    #[serde(default)]
    pub status: Option<String>,
    /// `in_review`, `approved`, `rejected`, … (as OpenAI says it).
    #[serde(default)]
    pub review_status: Option<String>,
    /// With `include[]=serving_issues`: why it does not serve. The documentation names the
    /// field but not its items' shape; each item is kept as text (a string as it is, an
    /// object's `message`, else its JSON), at most [`MAX_ANSWER_LEN`] characters.
    #[serde(default, deserialize_with = "issues_as_text")]
    pub serving_issues: Vec<String>,
}

fn issues_as_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(d)?;
    let items = match value {
        Some(serde_json::Value::Array(items)) => items,
        Some(serde_json::Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    };
    Ok(items
        .into_iter()
        .map(|item| match item {
            serde_json::Value::String(s) => clip(&s, MAX_ANSWER_LEN),
            serde_json::Value::Object(ref o) => o
                .get("message")
                .and_then(|m| m.as_str())
                .map(|m| clip(m, MAX_ANSWER_LEN))
                .unwrap_or_else(|| clip(&item.to_string(), MAX_ANSWER_LEN)),
            other => clip(&other.to_string(), MAX_ANSWER_LEN),
        })
        .collect())
}

/// One page of a list: `data`, and whether more follow after `last_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub data: Vec<T>,
    #[serde(default)]
    pub has_more: bool,
    #[serde(default)]
    pub last_id: Option<String>,
}

/// Which ChatGPT Ads campaign and ad group a utmforge campaign publishes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignLink {
    pub campaign_id: String,
    pub ads_campaign_id: String,
    pub ads_campaign_name: String,
    pub ad_group_id: String,
    pub ad_group_name: String,
    pub linked_at: i64,
}

/// Which ad a creative is, and what the last sync (or publish) read of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdLink {
    pub creative_id: String,
    pub campaign_id: String,
    pub ad_id: String,
    pub ad_name: String,
    /// The ad's `target_url` as last read (none: not read yet).
    pub target_url: Option<String>,
    pub status: Option<String>,
    pub review_status: Option<String>,
    pub serving_issues: Vec<String>,
    /// When it was last read (Unix ms).
    pub synced_at: Option<i64>,
    /// Why the last read failed (OpenAI's words, bounded).
    pub sync_error: Option<String>,
    pub linked_at: i64,
}

impl AdLink {
    /// What the last read of `ad` says, kept on the link.
    pub fn read(&mut self, ad: &Ad, now: i64) {
        self.ad_name = ad.name.clone();
        self.target_url = ad.creative.target_url.clone();
        self.status = ad.status.clone();
        self.review_status = ad.review_status.clone();
        self.serving_issues = ad.serving_issues.clone();
        self.synced_at = Some(now);
        self.sync_error = None;
    }
}

/// Whether the server is connected to ChatGPT Ads, and to which account (or why not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Connection {
    /// `connected`, `not-configured` (no key on the server), `key-refused` or `unreachable`.
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AdAccount>,
    /// Why it is not connected, in OpenAI's words when it said something.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// A creative with its ad (if linked) and whether the ad carries its URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdRow {
    pub creative_id: String,
    pub variant: String,
    /// The creative's URL (none when it cannot be built).
    pub url: Option<String>,
    /// The creative's headline and description: a new ad's title and body.
    #[serde(default)]
    pub headline: String,
    #[serde(default)]
    pub description: String,
    pub ad: Option<AdLink>,
    pub sync: AdSync,
}

/// An ad of the linked ad group, to pick from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdChoice {
    pub id: String,
    pub name: String,
    pub target_url: Option<String>,
}

/// A campaign's ChatGPT Ads side: its link, each creative's ad and sync state, the ad group's
/// ads with the proposed matches (read live; `problem` says why they could not be).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignAds {
    pub link: Option<CampaignLink>,
    pub rows: Vec<AdRow>,
    pub ads: Vec<AdChoice>,
    pub proposals: Vec<Proposal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

impl CampaignAds {
    /// Linked creatives whose ad drifted, and ads OpenAI rejected.
    pub fn trouble(&self) -> (usize, usize) {
        let drifted = self
            .rows
            .iter()
            .filter(|r| r.sync == AdSync::Drifted)
            .count();
        let rejected = self
            .rows
            .iter()
            .filter(|r| {
                r.ad.as_ref()
                    .is_some_and(|a| is_rejected(a.review_status.as_deref()))
            })
            .count();
        (drifted, rejected)
    }
}

/// One ad a publish changes (or, in a dry run, would change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishChange {
    pub creative_id: String,
    pub variant: String,
    pub ad_id: String,
    pub ad_name: String,
    /// The ad's `target_url` now.
    pub before: Option<String>,
    /// The creative's URL, which the ad gets.
    pub after: String,
    /// What OpenAI answered (none in a dry run): `updated (review: in_review)`, or its refusal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Whether the ad now carries `after` (false in a dry run).
    pub done: bool,
}

/// What a publish did (or would do): every linked ad whose URL differs from its creative's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishPlan {
    pub dry_run: bool,
    pub changes: Vec<PublishChange>,
    /// Linked ads that already carry their creative's URL.
    pub in_sync: usize,
    /// Linked creatives that could not be compared (no URL, the ad unreadable), with why.
    pub skipped: Vec<String>,
    /// The bulk mutation jobs the publish ran (many ads at once), by OpenAI's id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bulk_jobs: Vec<String>,
}

/// What a campaign's ChatGPT Ads page shows: the connection, the campaign's ads, and the
/// choices for linking it (the account's campaigns; the ad groups of the one chosen or linked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdsPage {
    pub campaign: crate::Campaign,
    pub connection: Connection,
    pub ads: CampaignAds,
    pub campaigns: Vec<AdsCampaign>,
    /// The ChatGPT Ads campaign whose ad groups `groups` are.
    pub chosen: Option<String>,
    pub groups: Vec<AdGroup>,
}

/// The body of `PUT /api/v1/campaigns/{id}/ads/link`: the ChatGPT Ads campaign and ad group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LinkCampaignBody {
    /// A ChatGPT Ads campaign of this ad account (`GET /api/v1/ads/campaigns`).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub ads_campaign_id: String,
    /// One of its ad groups (`GET /api/v1/ads/campaigns/{id}/ad-groups`).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub ad_group_id: String,
}

/// One creative's ad in `PUT /api/v1/campaigns/{id}/ads`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AdPair {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub creative_id: String,
    /// The ad (of the linked ad group); empty: unlink the creative.
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub ad_id: String,
}

/// The body of `POST /api/v1/campaigns/{id}/ads/create`: a new ad for an unlinked creative,
/// created paused in the linked ad group with the creative's URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateAdBody {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub creative_id: String,
    /// The ad's title (3–50 characters); absent or empty: the creative's headline.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub title: String,
    /// The ad's body (at most 100 characters); absent or empty: the creative's description.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 400))]
    pub body: String,
    /// The image: a public http(s) address OpenAI fetches (JPEG, PNG or WebP, at least
    /// 640×640 pixels).
    #[cfg_attr(feature = "openapi", schema(max_length = 2048))]
    pub image_url: String,
}

/// The `multipart/form-data` body of `POST /api/v1/campaigns/{id}/ads/create` (and the New
/// ad form): [`CreateAdBody`] with the image as a file. (Its serde shape is only what the
/// OpenAPI document reads: the form's other fields are refused.)
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct CreateAdForm {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub creative_id: String,
    /// The ad's title (3–50 characters); absent or empty: the creative's headline.
    #[cfg_attr(feature = "openapi", schema(required = false))]
    pub title: String,
    /// The ad's body (at most 100 characters); absent or empty: the creative's description.
    #[cfg_attr(feature = "openapi", schema(required = false))]
    pub body: String,
    /// A public address of the image, when no file is sent.
    #[cfg_attr(feature = "openapi", schema(required = false))]
    pub image_url: String,
    /// The image: JPEG, PNG or WebP, at least 640×640 pixels, at most 10 MB.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Binary, required = false))]
    pub image: Vec<u8>,
}

impl CreateAdForm {
    /// The new ad it asks for: the file, else the address (one of them, not both).
    pub fn into_new_ad(self) -> Result<NewAd, crate::Notice> {
        use crate::{Code, Field, Notice};
        let image = match (self.image.is_empty(), self.image_url.trim()) {
            (false, url) if !url.is_empty() => {
                return Err(Notice::new(
                    Code::NotAllowed,
                    Field::Ad,
                    "give the image as a file or as an address, not both",
                ))
            }
            (false, _) => AdImage::File(self.image),
            (true, "") => {
                return Err(Notice::new(
                    Code::Required,
                    Field::Ad,
                    "give the ad's image: a JPEG, PNG or WebP file, or its public address",
                ))
            }
            (true, url) => AdImage::Url(url.to_string()),
        };
        Ok(NewAd {
            creative_id: self.creative_id,
            title: self.title,
            body: self.body,
            image,
        })
    }
}

/// The image of a new ad: an address OpenAI fetches, or a file sent to it.
#[derive(Clone, PartialEq, Eq)]
pub enum AdImage {
    Url(String),
    File(Vec<u8>),
}

impl std::fmt::Debug for AdImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AdImage::Url(u) => f.debug_tuple("Url").field(u).finish(),
            AdImage::File(b) => write!(f, "File({} bytes)", b.len()),
        }
    }
}

/// A new ad for a creative, as a form or a REST body gives it: empty `title` or `body` take
/// the creative's headline or description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAd {
    pub creative_id: String,
    pub title: String,
    pub body: String,
    pub image: AdImage,
}

impl From<CreateAdBody> for NewAd {
    fn from(b: CreateAdBody) -> NewAd {
        NewAd {
            creative_id: b.creative_id,
            title: b.title,
            body: b.body,
            image: AdImage::Url(b.image_url),
        }
    }
}

/// Most pairs one `PUT /campaigns/{id}/ads` takes.
pub const MAX_PAIRS: usize = 5_000;

/// The body of `PUT /api/v1/campaigns/{id}/ads`: which ad each creative is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LinkAdsBody {
    #[cfg_attr(feature = "openapi", schema(max_items = 5000))]
    pub links: Vec<AdPair>,
}

/// What a creative's ad carries, against the creative's URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum AdSync {
    /// The ad's `target_url` is the creative's URL.
    InSync,
    /// The ad carries another URL: edited in Ads Manager, or never published.
    Drifted,
    /// The creative has no URL (its landing URL is broken): nothing to compare.
    NoUrl,
    /// Not read yet (linked, no sync since), or the ad could not be read.
    Unknown,
    /// The creative is linked to no ad.
    NotLinked,
}

impl AdSync {
    /// Whether `ad_url` (what the ad carries, as last read) is the creative's `url`.
    pub fn of(url: Option<&str>, ad_url: Option<&str>) -> AdSync {
        match (url, ad_url) {
            (None, _) => AdSync::NoUrl,
            (Some(_), None) => AdSync::Unknown,
            (Some(u), Some(a)) if u == a => AdSync::InSync,
            (Some(_), Some(_)) => AdSync::Drifted,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AdSync::InSync => "in sync",
            AdSync::Drifted => "drifted",
            AdSync::NoUrl => "no URL",
            AdSync::Unknown => "not read yet",
            AdSync::NotLinked => "not linked",
        }
    }
}

/// Whether a review status means the ad will not serve as it is.
pub fn is_rejected(review_status: Option<&str>) -> bool {
    review_status.is_some_and(|s| s.eq_ignore_ascii_case("rejected"))
}

/// The problems a creative would have as a `chat_card` (the documented rules), each a
/// sentence naming the field: the API checks the same and refuses the whole ad.
pub fn creative_problems(title: &str, body: &str, target_url: &str) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let title_len = title.trim().chars().count();
    if title_len < TITLE_LEN.0 || title.chars().count() > TITLE_LEN.1 {
        problems.push((
            "title".into(),
            format!(
                "the ad's title must be {}–{} characters (it is {})",
                TITLE_LEN.0,
                TITLE_LEN.1,
                title.chars().count()
            ),
        ));
    }
    if body.chars().count() > MAX_BODY_LEN {
        problems.push((
            "body".into(),
            format!(
                "the ad's body must be at most {MAX_BODY_LEN} characters (it is {})",
                body.chars().count()
            ),
        ));
    }
    if let Some(why) = target_url_problem(target_url) {
        problems.push(("target_url".into(), why));
    }
    problems
}

/// Why `url` cannot be an ad's `target_url` (http or https, at most 2,048 characters).
pub fn target_url_problem(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Some("an ad's target URL must be an http or https address".into());
    }
    let len = url.chars().count();
    (len > MAX_TARGET_URL_LEN).then(|| {
        format!("an ad's target URL may be at most {MAX_TARGET_URL_LEN} characters (it is {len})")
    })
}

/// A creative as matching sees it: its id, variant name, `utm_content`, and URL.
#[derive(Debug, Clone)]
pub struct MatchCreative<'a> {
    pub id: &'a str,
    pub variant: &'a str,
    pub content: &'a str,
    pub url: Option<&'a str>,
}

/// Why an ad is proposed for a creative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum MatchReason {
    /// The ad's `target_url` is the creative's URL.
    SameUrl,
    /// The ad's `target_url` carries the creative's `utm_content` and the campaign's
    /// `utm_campaign`.
    SameUtm,
    /// The ad's name is the creative's variant name (letter case and spaces aside).
    SameName,
}

/// An ad proposed for a creative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proposal {
    pub creative_id: String,
    pub ad_id: String,
    pub ad_name: String,
    pub reason: MatchReason,
}

/// The ad proposed for each creative (at most one ad per creative and one creative per ad;
/// the strongest reason first): the person confirms or corrects them.
pub fn propose(utm_campaign: &str, creatives: &[MatchCreative<'_>], ads: &[Ad]) -> Vec<Proposal> {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let mut proposals: Vec<Proposal> = Vec::new();
    for reason in [
        MatchReason::SameUrl,
        MatchReason::SameUtm,
        MatchReason::SameName,
    ] {
        for creative in creatives {
            if proposals.iter().any(|p| p.creative_id == creative.id) {
                continue;
            }
            let matches = |ad: &&Ad| match reason {
                MatchReason::SameUrl => {
                    creative.url.is_some() && creative.url == ad.creative.target_url.as_deref()
                }
                MatchReason::SameUtm => ad.creative.target_url.as_deref().is_some_and(|url| {
                    utm_value(url, "utm_content").as_deref() == Some(creative.content)
                        && utm_value(url, "utm_campaign").as_deref() == Some(utm_campaign)
                }),
                MatchReason::SameName => norm(&ad.name) == norm(creative.variant),
            };
            let free = |ad: &&Ad| !proposals.iter().any(|p| p.ad_id == ad.id);
            if let Some(ad) = ads.iter().filter(free).find(matches) {
                proposals.push(Proposal {
                    creative_id: creative.id.to_string(),
                    ad_id: ad.id.clone(),
                    ad_name: ad.name.clone(),
                    reason,
                });
            }
        }
    }
    proposals
}

/// A query parameter's decoded value in `url` (the first, names compared exactly).
fn utm_value(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or("");
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name).then(|| crate::query::decode(value).into_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ad(id: &str, name: &str, url: &str) -> Ad {
        Ad {
            id: id.into(),
            name: name.into(),
            ad_group_id: None,
            creative: AdCreative {
                kind: "chat_card".into(),
                title: "Spring sale".into(),
                body: "".into(),
                target_url: Some(url.into()),
                file_id: Some("file_1".into()),
                image_url: None,
            },
            status: Some("active".into()),
            review_status: Some("approved".into()),
            serving_issues: vec![],
        }
    }

    #[test]
    fn proposals_prefer_the_same_url_then_the_utms_then_the_name() {
        let url = "https://shop.example/?utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring&utm_content=hero";
        let ads = vec![
            ad(
                "ad_1",
                "Sidebar",
                "https://shop.example/old?utm_campaign=spring&utm_content=sidebar",
            ),
            ad("ad_2", "whatever", url),
            ad("ad_3", "  tall   HERO ", "https://shop.example/"),
        ];
        let creatives = [
            MatchCreative {
                id: "k1",
                variant: "Hero",
                content: "hero",
                url: Some(url),
            },
            MatchCreative {
                id: "k2",
                variant: "Sidebar",
                content: "sidebar",
                url: Some("https://shop.example/?utm_content=sidebar"),
            },
            MatchCreative {
                id: "k3",
                variant: "Tall hero",
                content: "tall-hero",
                url: Some("https://shop.example/x"),
            },
            MatchCreative {
                id: "k4",
                variant: "Unmatched",
                content: "unmatched",
                url: None,
            },
        ];
        let proposals = propose("spring", &creatives, &ads);
        let found: Vec<(&str, &str, MatchReason)> = proposals
            .iter()
            .map(|p| (p.creative_id.as_str(), p.ad_id.as_str(), p.reason))
            .collect();
        assert_eq!(
            found,
            [
                ("k1", "ad_2", MatchReason::SameUrl),
                ("k2", "ad_1", MatchReason::SameUtm),
                ("k3", "ad_3", MatchReason::SameName),
            ]
        );
    }

    #[test]
    fn the_documented_creative_rules() {
        assert!(creative_problems("Sale", "", "https://a.example/").is_empty());
        let p = creative_problems("ab", &"x".repeat(101), "ftp://a.example/");
        let fields: Vec<&str> = p.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["title", "body", "target_url"]);
        assert!(
            creative_problems(&"t".repeat(51), "", "https://a.example/")[0]
                .1
                .contains("3–50")
        );
        let long = format!("https://a.example/?{}", "q".repeat(2048));
        assert!(target_url_problem(&long).unwrap().contains("2048"));
    }

    #[test]
    fn sync_states_and_serving_issues_as_text() {
        assert_eq!(AdSync::of(Some("a"), Some("a")), AdSync::InSync);
        assert_eq!(AdSync::of(Some("a"), Some("b")), AdSync::Drifted);
        assert_eq!(AdSync::of(None, Some("b")), AdSync::NoUrl);
        assert_eq!(AdSync::of(Some("a"), None), AdSync::Unknown);
        let ad: Ad = serde_json::from_value(serde_json::json!({
            "id": "ad_1", "name": "n", "status": "active", "review_status": "rejected",
            "creative": {"type": "chat_card", "title": "Tit", "body": "", "target_url": "https://a/"},
            "serving_issues": ["Budget exhausted", {"code": "x", "message": "Landing page unreachable"}, {"code": "y"}]
        }))
        .unwrap();
        assert_eq!(
            ad.serving_issues,
            [
                "Budget exhausted",
                "Landing page unreachable",
                "{\"code\":\"y\"}"
            ]
        );
        assert!(is_rejected(ad.review_status.as_deref()));
    }
}
