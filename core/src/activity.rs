//! The activity log: who changed what, when, from what to what. Entries are built here from
//! the before and after values (so every door records the same thing) and written by the
//! store in the same transaction as the change they describe.

use crate::campaign::{Campaign, Creative, ValidCampaign, ValidCreative};
use serde::{Deserialize, Serialize};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    CampaignCreated,
    CampaignChanged,
    CampaignDeleted,
    CreativeCreated,
    CreativeChanged,
    CreativeDeleted,
    Imported,
    UserCreated,
    UserChanged,
    InvitationCreated,
    InvitationWithdrawn,
    TokenCreated,
    TokenRevoked,
    SettingsChanged,
    CampaignRestored,
    CreativeRestored,
    CampaignCloned,
    AdsLinked,
    AdsPublished,
}

impl Action {
    pub const ALL: [Action; 19] = [
        Action::CampaignCreated,
        Action::CampaignChanged,
        Action::CampaignDeleted,
        Action::CreativeCreated,
        Action::CreativeChanged,
        Action::CreativeDeleted,
        Action::Imported,
        Action::UserCreated,
        Action::UserChanged,
        Action::InvitationCreated,
        Action::InvitationWithdrawn,
        Action::TokenCreated,
        Action::TokenRevoked,
        Action::SettingsChanged,
        Action::CampaignRestored,
        Action::CreativeRestored,
        Action::CampaignCloned,
        Action::AdsLinked,
        Action::AdsPublished,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::CampaignCreated => "campaign-created",
            Action::CampaignChanged => "campaign-changed",
            Action::CampaignDeleted => "campaign-deleted",
            Action::CreativeCreated => "creative-created",
            Action::CreativeChanged => "creative-changed",
            Action::CreativeDeleted => "creative-deleted",
            Action::Imported => "imported",
            Action::UserCreated => "user-created",
            Action::UserChanged => "user-changed",
            Action::InvitationCreated => "invitation-created",
            Action::InvitationWithdrawn => "invitation-withdrawn",
            Action::TokenCreated => "token-created",
            Action::TokenRevoked => "token-revoked",
            Action::SettingsChanged => "settings-changed",
            Action::CampaignRestored => "campaign-restored",
            Action::CreativeRestored => "creative-restored",
            Action::CampaignCloned => "campaign-cloned",
            Action::AdsLinked => "ads-linked",
            Action::AdsPublished => "ads-published",
        }
    }

    /// The verb phrase of the sentence ("changed creative").
    fn phrase(self) -> &'static str {
        match self {
            Action::CampaignCreated => "created campaign",
            Action::CampaignChanged => "changed campaign",
            Action::CampaignDeleted => "deleted campaign",
            Action::CreativeCreated => "added creative",
            Action::CreativeChanged => "changed creative",
            Action::CreativeDeleted => "deleted creative",
            Action::Imported => "imported a sheet into",
            Action::UserCreated => "added",
            Action::UserChanged => "changed",
            Action::InvitationCreated => "created an invitation",
            Action::InvitationWithdrawn => "withdrew an invitation",
            Action::TokenCreated => "created API token",
            Action::TokenRevoked => "revoked API token",
            Action::SettingsChanged => "changed the settings:",
            Action::CampaignRestored => "restored campaign",
            Action::CreativeRestored => "restored creative",
            Action::CampaignCloned => "created campaign (a clone)",
            Action::AdsLinked => "linked to ChatGPT Ads:",
            Action::AdsPublished => "published the links of",
        }
    }
}

impl std::str::FromStr for Action {
    type Err = ();
    fn from_str(s: &str) -> Result<Action, ()> {
        Action::ALL.into_iter().find(|a| a.as_str() == s).ok_or(())
    }
}

/// One field's value before and after (empty text: the field was empty or did not exist).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// A URL that is (or was) live in an ad, before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UrlChange {
    /// The creative whose URL it is.
    pub creative: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

/// Entries one page of the log holds unless asked for fewer (the pages' "Older entries"
/// appears after a full page).
pub const DEFAULT_ENTRIES: i64 = 50;

/// Most URL changes one entry lists (a campaign change may move thousands; the count says).
pub const MAX_LISTED_URL_CHANGES: usize = 20;

/// An entry before it is written: the store adds who, when and the ids it assigns.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Detail {
    pub changes: Vec<Change>,
    /// Live URLs that changed (at most [`MAX_LISTED_URL_CHANGES`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<UrlChange>,
    /// How many live URLs changed in all.
    #[serde(default)]
    pub urls_changed: usize,
}

/// What to record about a write, built by the use case that makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub action: Action,
    /// The campaign it concerns (the store fills it in for a campaign it creates).
    pub campaign_id: Option<String>,
    /// The row it concerns (the store fills it in for a row it creates).
    pub subject_id: Option<String>,
    /// The row's name as a person knows it: a campaign's or creative's name, an email.
    pub subject: String,
    pub detail: Detail,
}

impl NewEntry {
    pub fn new(action: Action, subject: impl Into<String>) -> NewEntry {
        NewEntry {
            action,
            campaign_id: None,
            subject_id: None,
            subject: subject.into(),
            detail: Detail::default(),
        }
    }

    pub fn campaign(mut self, id: &str) -> NewEntry {
        self.campaign_id = Some(id.to_string());
        self
    }

    pub fn subject_id(mut self, id: &str) -> NewEntry {
        self.subject_id = Some(id.to_string());
        self
    }

    pub fn change(mut self, field: &str, before: &str, after: &str) -> NewEntry {
        if before != after {
            self.detail.changes.push(Change {
                field: field.into(),
                before: before.into(),
                after: after.into(),
            });
        }
        self
    }

    pub fn changes(mut self, before: &[(&str, String)], after: &[(&str, String)]) -> NewEntry {
        for ((field, b), (_, a)) in before.iter().zip(after) {
            self = self.change(field, b, a);
        }
        self
    }

    /// Records a live URL's change (if it changed).
    pub fn url(
        mut self,
        creative: &str,
        before: Option<String>,
        after: Option<String>,
    ) -> NewEntry {
        if before != after {
            self.detail.urls_changed += 1;
            if self.detail.urls.len() < MAX_LISTED_URL_CHANGES {
                self.detail.urls.push(UrlChange {
                    creative: creative.into(),
                    before,
                    after,
                });
            }
        }
        self
    }
}

/// One entry of the log, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entry {
    pub id: i64,
    /// When (Unix milliseconds).
    pub at: i64,
    /// The user who did it (absent for the command line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<String>,
    /// Their name at the time (and the token's name when it came through one).
    pub actor: String,
    pub action: Action,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_id: Option<String>,
    pub subject: String,
    pub changes: Vec<Change>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<UrlChange>,
    pub urls_changed: usize,
    /// The entry as one sentence, e.g. “Dana changed creative “Headline V2”: landing URL …”.
    pub summary: String,
}

fn shown(value: &str) -> String {
    if value.is_empty() {
        "(empty)".to_string()
    } else if value.chars().count() > 120 {
        format!("{}…", value.chars().take(119).collect::<String>())
    } else {
        value.to_string()
    }
}

/// The entry as one sentence a person reads.
pub fn summary(actor: &str, action: Action, subject: &str, detail: &Detail) -> String {
    let mut s = format!("{actor} {} “{subject}”", action.phrase());
    if matches!(
        action,
        Action::InvitationCreated | Action::InvitationWithdrawn
    ) {
        s = format!("{actor} {} ({subject})", action.phrase());
    }
    let changed = matches!(
        action,
        Action::CampaignChanged | Action::CreativeChanged | Action::UserChanged
    );
    if changed && !detail.changes.is_empty() {
        let parts: Vec<String> = detail
            .changes
            .iter()
            .map(|c| format!("{}: {} → {}", c.field, shown(&c.before), shown(&c.after)))
            .collect();
        s.push_str(": ");
        s.push_str(&parts.join("; "));
    } else if action == Action::Imported && !detail.changes.is_empty() {
        let parts: Vec<String> = detail
            .changes
            .iter()
            .map(|c| format!("{} {}", c.after, c.field))
            .collect();
        s.push_str(": ");
        s.push_str(&parts.join(", "));
    }
    match detail.urls_changed {
        0 => {}
        1 if matches!(action, Action::CreativeChanged) => s.push_str("; the live URL changed"),
        n => s.push_str(&format!(
            "; {n} live URL{} changed",
            if n == 1 { "" } else { "s" }
        )),
    }
    s
}

/// A campaign's fields as the log names them, in one order (for stored and validated
/// campaigns alike).
#[allow(clippy::too_many_arguments)]
fn campaign_row(
    name: &str,
    slug: &str,
    buying_model: crate::BuyingModel,
    topic: Option<&str>,
    landing_url: &str,
    conversion: crate::ConversionEvent,
    status: crate::CampaignStatus,
    notes: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("name", name.into()),
        ("utm_campaign", slug.into()),
        ("buying model", buying_model.utm_medium().into()),
        ("topic", topic.unwrap_or_default().into()),
        ("landing URL", landing_url.into()),
        ("conversion", conversion.as_str().into()),
        ("status", status.as_str().into()),
        ("notes", notes.into()),
    ]
}

/// A creative's fields as the log names them, in one order.
fn creative_row(
    variant: &str,
    content: &str,
    topic: Option<&str>,
    landing_url: Option<&str>,
    headline: &str,
    description: &str,
    notes: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("variant", variant.into()),
        ("utm_content", content.into()),
        ("topic", topic.unwrap_or_default().into()),
        ("landing URL", landing_url.unwrap_or_default().into()),
        ("headline", headline.into()),
        ("description", description.into()),
        ("notes", notes.into()),
    ]
}

/// A stored campaign's fields as the log names them.
pub fn campaign_fields(c: &Campaign) -> Vec<(&'static str, String)> {
    campaign_row(
        &c.name,
        &c.slug,
        c.buying_model,
        c.topic.as_deref(),
        &c.landing_url,
        c.conversion,
        c.status,
        &c.notes,
    )
}

/// A validated campaign's fields, as [`campaign_fields`].
pub fn valid_campaign_fields(c: &ValidCampaign) -> Vec<(&'static str, String)> {
    campaign_row(
        &c.name,
        &c.slug,
        c.buying_model,
        c.topic.as_deref(),
        &c.landing_url,
        c.conversion,
        c.status,
        &c.notes,
    )
}

/// A stored creative's fields as the log names them.
pub fn creative_fields(c: &Creative) -> Vec<(&'static str, String)> {
    creative_row(
        &c.variant,
        &c.content,
        c.topic.as_deref(),
        c.landing_url.as_deref(),
        &c.headline,
        &c.description,
        &c.notes,
    )
}

/// A validated creative's fields, as [`creative_fields`].
pub fn valid_creative_fields(c: &ValidCreative) -> Vec<(&'static str, String)> {
    creative_row(
        &c.variant,
        &c.content,
        c.topic.as_deref(),
        c.landing_url.as_deref(),
        &c.headline,
        &c.description,
        &c.notes,
    )
}

/// Empty values for every field, to record a creation or a deletion against.
pub fn empty_like(fields: &[(&'static str, String)]) -> Vec<(&'static str, String)> {
    fields.iter().map(|(f, _)| (*f, String::new())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_landing_url_change_reads_as_a_sentence_naming_the_live_url() {
        let entry = NewEntry::new(Action::CreativeChanged, "Headline V2")
            .change("landing URL", "https://a.example/", "https://b.example/")
            .change("headline", "same", "same")
            .url(
                "Headline V2",
                Some("https://a.example/?utm_source=chatgpt".into()),
                Some("https://b.example/?utm_source=chatgpt".into()),
            );
        assert_eq!(
            entry.detail.changes.len(),
            1,
            "unchanged fields are not listed"
        );
        assert_eq!(
            summary("Dana", entry.action, &entry.subject, &entry.detail),
            "Dana changed creative “Headline V2”: landing URL: https://a.example/ → https://b.example/; the live URL changed"
        );
    }

    #[test]
    fn url_changes_are_counted_beyond_the_listed_few() {
        let mut entry = NewEntry::new(Action::CampaignChanged, "Spring");
        for i in 0..50 {
            entry = entry.url(
                &format!("v{i}"),
                Some(format!("a{i}")),
                Some(format!("b{i}")),
            );
        }
        entry = entry.url("same", Some("x".into()), Some("x".into()));
        assert_eq!(entry.detail.urls.len(), MAX_LISTED_URL_CHANGES);
        assert_eq!(entry.detail.urls_changed, 50);
        assert!(summary("Dana", entry.action, "Spring", &entry.detail)
            .ends_with("50 live URLs changed"));
    }
}
