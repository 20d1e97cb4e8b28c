//! Live links do not change silently: the refusal of an unconfirmed change to the URLs an
//! active campaign's ads carry, listing each one.

use super::*;

/// A live link a change would alter: the creative's variant, its URL now and after.
pub type LinkChange = (String, Option<String>, Option<String>);

/// Most URL changes a refusal lists one by one.
pub const MAX_LISTED_LINK_CHANGES: usize = 20;

/// The refusal of a change to an active campaign's live links that was not confirmed: a
/// summary first (naming up to three links), then one notice per link (at most
/// [`MAX_LISTED_LINK_CHANGES`]). None when no confirmation is needed: the campaign is not
/// active, nothing live changes, or the change was confirmed.
pub fn live_link_refusal(
    campaign: &Campaign,
    changes: &[LinkChange],
    confirmed: bool,
) -> Option<Vec<Notice>> {
    if campaign.status != CampaignStatus::Active {
        return None;
    }
    link_refusal(&format!("{} is active", campaign.name), changes, confirmed)
}

/// The refusal of a workspace change (links carry `utm_id` or not) that alters the live links
/// of active campaigns: `changes` name each link "campaign / variant".
pub fn workspace_link_refusal(changes: &[LinkChange], confirmed: bool) -> Option<Vec<Notice>> {
    link_refusal("Campaigns are active", changes, confirmed)
}

fn link_refusal(lead: &str, changes: &[LinkChange], confirmed: bool) -> Option<Vec<Notice>> {
    let changed: Vec<&LinkChange> = changes.iter().filter(|(_, b, a)| b != a).collect();
    if confirmed || changed.is_empty() {
        return None;
    }
    let line = |(variant, before, after): &LinkChange| {
        format!(
            "{variant}: {} → {}",
            before.as_deref().unwrap_or("(no link)"),
            after.as_deref().unwrap_or("(no link)")
        )
    };
    let shown: Vec<String> = changed.iter().take(3).map(|c| line(c)).collect();
    let more = if changed.len() > 3 {
        format!("; and {} more", changed.len() - 3)
    } else {
        String::new()
    };
    let n = changed.len();
    let mut notices = vec![Notice::new(
        Code::LiveLinkChange,
        Field::ConfirmLiveChange,
        format!(
            "{lead}: this change alters {n} live link{} that ads carry ({}{more}). Ads keep the old link until you update them: confirm “Ads carry the old link; I will update them” (REST: \"confirm_live_change\": true) to save",
            if n == 1 { "" } else { "s" },
            shown.join("; ")
        ),
    )];
    notices.extend(
        changed
            .iter()
            .take(MAX_LISTED_LINK_CHANGES)
            .map(|c| Notice::new(Code::LiveLinkChange, Field::ConfirmLiveChange, line(c))),
    );
    Some(notices)
}
