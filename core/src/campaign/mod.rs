//! Campaigns and creatives: what a campaign manager defines once, the rules their fields follow,
//! and the tagged URL each creative gets.
//!
//! Drafts are what a form sends, as text. `validate` turns a draft into a `Valid…` value (or
//! every problem, each naming its field); the store only ever saves valid values.

mod live_links;
mod utm_id;
mod validate;

/// A campaign's primary conversion: one of OpenAI's events (`events` owns the table).
pub use crate::events::ConversionEvent;
pub use live_links::{
    live_link_refusal, workspace_link_refusal, LinkChange, MAX_LISTED_LINK_CHANGES,
};
pub use utm_id::{utm_id_of, UTM_ID_LEN};

use crate::destination::parse_destination;
use crate::medium::BuyingModel;
use crate::notice::{Code, Field, Notice};
use crate::rules::TeamRules;
use crate::slug::{slugify, MAX_SLUG_LEN};
use crate::tag::{tag, TagErrors, TagRequest, TaggedUrl};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
pub use validate::*;

pub const MAX_NAME_LEN: usize = 120;
pub const MAX_NOTES_LEN: usize = 2000;
pub const MAX_HEADLINE_LEN: usize = 200;
/// A creative's description: at most what a ChatGPT ad's body takes.
pub const MAX_DESCRIPTION_LEN: usize = crate::ads::MAX_BODY_LEN;
pub const MAX_URL_INPUT_LEN: usize = 2048;

/// Where a campaign is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum CampaignStatus {
    #[default]
    Draft,
    Active,
    Paused,
    Archived,
}

impl CampaignStatus {
    pub const ALL: [CampaignStatus; 4] = [
        CampaignStatus::Draft,
        CampaignStatus::Active,
        CampaignStatus::Paused,
        CampaignStatus::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Draft => "draft",
            CampaignStatus::Active => "active",
            CampaignStatus::Paused => "paused",
            CampaignStatus::Archived => "archived",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CampaignStatus::Draft => "Draft",
            CampaignStatus::Active => "Active",
            CampaignStatus::Paused => "Paused",
            CampaignStatus::Archived => "Archived",
        }
    }
}

impl fmt::Display for CampaignStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CampaignStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        CampaignStatus::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or(())
    }
}

/// A campaign as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Campaign {
    pub id: String,
    pub name: String,
    /// `utm_campaign`.
    pub slug: String,
    pub buying_model: BuyingModel,
    /// Default `utm_term` for its creatives (a slug), if any.
    pub topic: Option<String>,
    pub landing_url: String,
    pub conversion: ConversionEvent,
    pub status: CampaignStatus,
    pub notes: String,
    pub version: i64,
    /// Unix milliseconds.
    pub created_at: i64,
    pub updated_at: i64,
}

/// A creative as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Creative {
    pub id: String,
    pub campaign_id: String,
    /// The variant name as typed.
    pub variant: String,
    /// `utm_content`: the slug of the variant name.
    pub content: String,
    /// `utm_term` override (a slug), else the campaign's topic.
    pub topic: Option<String>,
    /// Landing URL override, else the campaign's.
    pub landing_url: Option<String>,
    pub headline: String,
    /// What a ChatGPT ad made from this creative says under its title (at most 100
    /// characters). (Absent from creatives trashed before it existed.)
    #[serde(default)]
    pub description: String,
    pub notes: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A campaign as a form or a REST body gives it: text, every rule checked by `validate_with`.
/// (`POST /campaigns` takes it; PUT and PATCH bodies are derived from its schema.)
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = NewCampaign, example = json!({"name": "Spring Sale 2025", "buying_model": "cpc", "landing_url": "https://example.com/spring", "conversion": "order_created"})))]
#[serde(default, deny_unknown_fields)]
pub struct CampaignDraft {
    /// How the team calls it (at most 120 characters).
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 120, pattern = "\\S")
    )]
    pub name: String,
    /// `utm_campaign`; empty or absent: derived from the name.
    #[cfg_attr(feature = "openapi", schema(nullable))]
    pub slug: String,
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = BuyingModel))]
    pub buying_model: String,
    /// The default `utm_term` of its creatives; empty: none.
    #[cfg_attr(feature = "openapi", schema(nullable))]
    pub topic: String,
    #[cfg_attr(feature = "openapi", schema(required = true, max_length = 2048))]
    pub landing_url: String,
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = ConversionEvent))]
    pub conversion: String,
    /// Absent: draft.
    #[cfg_attr(feature = "openapi", schema(value_type = CampaignStatus, nullable))]
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 2000, nullable))]
    pub notes: String,
}

/// A campaign that passed every rule, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidCampaign {
    pub name: String,
    pub slug: String,
    pub buying_model: BuyingModel,
    pub topic: Option<String>,
    pub landing_url: String,
    pub conversion: ConversionEvent,
    pub status: CampaignStatus,
    pub notes: String,
    /// Warnings about the landing URL or the values (e.g. the name was slugged).
    pub warnings: Vec<Notice>,
}

/// A creative as a form or a REST body gives it: text, every rule checked by `validate_with`.
/// (`POST /campaigns/{id}/creatives` takes it; PUT and PATCH bodies are derived from its schema.)
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = NewCreative, example = json!({"variant": "Headline V2"})))]
#[serde(default, deny_unknown_fields)]
pub struct CreativeDraft {
    /// The variant name: becomes `utm_content`, unique in the campaign.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, pattern = "\\S")
    )]
    pub variant: String,
    /// `utm_term` override; absent or empty: the campaign's topic.
    #[cfg_attr(feature = "openapi", schema(nullable))]
    pub topic: String,
    /// Landing URL override; absent or empty: the campaign's.
    #[cfg_attr(feature = "openapi", schema(nullable))]
    pub landing_url: String,
    /// The ChatGPT ad's title when an ad is made from this creative (there: 3–50 characters).
    #[cfg_attr(feature = "openapi", schema(max_length = 200, nullable))]
    pub headline: String,
    /// The ChatGPT ad's body when an ad is made from this creative.
    #[cfg_attr(feature = "openapi", schema(max_length = 100, nullable))]
    pub description: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 2000, nullable))]
    pub notes: String,
}

/// A creative that passed every rule, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidCreative {
    pub variant: String,
    pub content: String,
    pub topic: Option<String>,
    pub landing_url: Option<String>,
    pub headline: String,
    pub description: String,
    pub notes: String,
    /// The URL it will carry, with its warnings.
    pub tagged: TaggedUrl,
}

impl ValidCampaign {
    /// `current` with these fields: the campaign as it will be once saved over it (its id,
    /// version and times stay).
    pub fn saved_over(&self, current: &Campaign) -> Campaign {
        Campaign {
            name: self.name.clone(),
            slug: self.slug.clone(),
            buying_model: self.buying_model,
            topic: self.topic.clone(),
            landing_url: self.landing_url.clone(),
            conversion: self.conversion,
            status: self.status,
            notes: self.notes.clone(),
            ..current.clone()
        }
    }
}

impl Campaign {
    /// A campaign with id `id` and nothing else yet (version 1, times 0): what
    /// [`ValidCampaign::saved_over`] fills, e.g. to compute a new campaign's URLs.
    pub fn stub(id: &str) -> Campaign {
        Campaign {
            id: id.into(),
            name: String::new(),
            slug: String::new(),
            buying_model: BuyingModel::default(),
            topic: None,
            landing_url: String::new(),
            conversion: ConversionEvent::default(),
            status: CampaignStatus::default(),
            notes: String::new(),
            version: 1,
            created_at: 0,
            updated_at: 0,
        }
    }

    /// This campaign's `utm_id` (see [`utm_id_of`]).
    pub fn utm_id(&self) -> String {
        utm_id_of(&self.id)
    }

    /// The form this campaign would fill: every field as text (what a PATCH or a copy starts
    /// from).
    pub fn draft(&self) -> CampaignDraft {
        CampaignDraft {
            name: self.name.clone(),
            slug: self.slug.clone(),
            buying_model: self.buying_model.utm_medium().into(),
            topic: self.topic.clone().unwrap_or_default(),
            landing_url: self.landing_url.clone(),
            conversion: self.conversion.as_str().into(),
            status: self.status.as_str().into(),
            notes: self.notes.clone(),
        }
    }
}

impl Creative {
    /// The URL this creative carries, computed from its inputs, its campaign's and the team's
    /// rules (`utm_id`).
    pub fn tagged_url(
        &self,
        campaign: &Campaign,
        rules: &TeamRules,
    ) -> Result<TaggedUrl, TagErrors> {
        creative_url(
            campaign,
            &self.content,
            self.topic.as_deref(),
            self.landing_url.as_deref(),
            rules,
        )
    }

    /// The URL ads carry for this creative, when it can be built (what the live-link rule and
    /// the link history compare).
    pub fn live_url(&self, campaign: &Campaign, rules: &TeamRules) -> Option<String> {
        self.tagged_url(campaign, rules).ok().map(|t| t.url)
    }

    /// The form this creative would fill: every field as text.
    pub fn draft(&self) -> CreativeDraft {
        CreativeDraft {
            variant: self.variant.clone(),
            topic: self.topic.clone().unwrap_or_default(),
            landing_url: self.landing_url.clone().unwrap_or_default(),
            headline: self.headline.clone(),
            description: self.description.clone(),
            notes: self.notes.clone(),
        }
    }

    /// `notices` about this creative, each message saying which creative it is about (for a
    /// change of several creatives at once).
    pub fn naming(&self, notices: Vec<Notice>) -> impl Iterator<Item = Notice> + '_ {
        notices.into_iter().map(move |mut n| {
            n.message = format!("creative “{}”: {}", self.variant, n.message);
            n
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> CampaignDraft {
        CampaignDraft {
            name: "Spring Sale 2025".into(),
            slug: String::new(),
            buying_model: "cpc".into(),
            topic: "Project management tools".into(),
            landing_url: "https://example.com/spring".into(),
            conversion: "order_created".into(),
            status: "active".into(),
            notes: String::new(),
        }
    }

    fn campaign() -> Campaign {
        draft()
            .validate()
            .unwrap()
            .saved_over(&Campaign::stub("c1"))
    }

    #[test]
    fn the_slug_is_derived_from_the_name_unless_given() {
        let v = draft().validate().unwrap();
        assert_eq!(v.slug, "spring-sale-2025");
        assert_eq!(v.topic.as_deref(), Some("project-management-tools"));
        let v = CampaignDraft {
            slug: "Spring 25".into(),
            ..draft()
        }
        .validate()
        .unwrap();
        assert_eq!(v.slug, "spring-25");
    }

    #[test]
    fn every_problem_names_its_field() {
        let errors = CampaignDraft {
            name: " ".into(),
            slug: String::new(),
            buying_model: "cpa".into(),
            topic: String::new(),
            landing_url: "ftp://example.com".into(),
            conversion: "purchase".into(),
            status: "live".into(),
            notes: "x".repeat(MAX_NOTES_LEN + 1),
        }
        .validate()
        .unwrap_err();
        let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
        for field in [
            Field::Name,
            Field::Notes,
            Field::Medium,
            Field::Conversion,
            Field::Status,
        ] {
            assert!(fields.contains(&field), "{field} missing from {errors:?}");
        }
    }

    #[test]
    fn a_bad_landing_url_is_an_error_of_the_url_field() {
        let errors = CampaignDraft {
            landing_url: "javascript:alert(1)".into(),
            ..draft()
        }
        .validate()
        .unwrap_err();
        assert_eq!(errors[0].field, Field::Url);
        assert_eq!(errors[0].code, Code::SchemeNotAllowed);
    }

    #[test]
    fn a_creative_url_uses_its_own_values_else_the_campaigns() {
        let c = campaign();
        let v = CreativeDraft {
            variant: "Headline V2".into(),
            ..Default::default()
        }
        .validate(&c)
        .unwrap();
        assert_eq!(
            v.tagged.url,
            "https://example.com/spring?utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale-2025&utm_content=headline-v2&utm_term=project-management-tools"
        );
        let v = CreativeDraft {
            variant: "北京 banner".into(),
            topic: "CRM".into(),
            landing_url: "https://example.com/p?ref=x#top".into(),
            ..Default::default()
        }
        .validate(&c)
        .unwrap();
        assert_eq!(v.content, "bei-jing-banner");
        assert_eq!(
            v.tagged.url,
            "https://example.com/p?ref=x&utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale-2025&utm_content=bei-jing-banner&utm_term=crm#top"
        );
    }

    #[test]
    fn a_creative_needs_a_variant_name_and_a_valid_url() {
        let c = campaign();
        let e = CreativeDraft::default().validate(&c).unwrap_err();
        assert_eq!((e[0].field, e[0].code), (Field::Content, Code::Required));
        let e = CreativeDraft {
            variant: "a".into(),
            landing_url: "/relative".into(),
            ..Default::default()
        }
        .validate(&c)
        .unwrap_err();
        assert_eq!((e[0].field, e[0].code), (Field::Url, Code::RelativeUrl));
    }
}
