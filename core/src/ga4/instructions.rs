//! Step-by-step instructions for the GA4 interface, one list per document.

use super::*;

// ---------------------------------------------------------------------------------------------
// Instructions
// ---------------------------------------------------------------------------------------------

/// Step-by-step text for the GA4 interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instructions {
    pub title: String,
    pub steps: Vec<String>,
}

impl Instructions {
    /// Numbered plain text, for the command line.
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n\n", self.title);
        for (i, step) in self.steps.iter().enumerate() {
            out.push_str(&format!("{:>2}. {step}\n", i + 1));
        }
        out
    }
}

pub fn channel_group_instructions() -> Instructions {
    let group = channel_group();
    let defaults = DEFAULT_CHANNELS.join(", ");
    Instructions {
        title: format!("Create the channel group “{}” in GA4", group.display_name),
        steps: vec![
            "In GA4, open Admin (the gear, bottom left) › Data display › Channel groups.".into(),
            "Click “Create new channel group”. (Or copy the “Default channel group” and skip the default channels below: the copy already has them.)".into(),
            format!("Group name: “{}”. Description: “{}”.", group.display_name, group.description),
            format!("Click “Add new channel”. Channel name: “{CHANNEL_NAME}”."),
            format!("Condition: “Source” “exactly matches” “{UTM_SOURCE}”. Click “Add condition” (AND): “Medium” “matches regex” “^(cpc|cpm)$” (the Admin API's list filter; in the UI a regex gives the same)."),
            "Click “Save channel”.".into(),
            format!("For each default channel, in this order, add a channel with the same name and the condition “Default channel group” “exactly matches” that name: {defaults}. Without these, every other visit would be “Unassigned”: a custom group replaces the default one in reports."),
            format!("Click “Reorder” and drag “{CHANNEL_NAME}” to the top, above Paid Search, Paid Social, Display and Paid Other: rules are applied in order and the first match wins. Without it, chatgpt / cpc lands in Paid Other and chatgpt / cpm in Display."),
            "Click “Save group”. The group applies to past data too; use it in Reports › Acquisition › Traffic acquisition (pick the group in the dimension menu) and in Explore.".into(),
            "Set Admin › Data display › Attribution settings › “Acquisition key events” lookback to 30 days; ChatGPT's conversion cycle runs 7–14 days.".into(),
            "Wait 14 days of traffic before judging a campaign.".into(),
        ],
    }
}

pub fn funnel_instructions(conversion: &str, campaign: Option<&str>) -> Instructions {
    let scope = match campaign {
        Some(slug) => format!(
            "“Session source” exactly matches “{UTM_SOURCE}” AND “Session medium” matches regex “^(cpc|cpm)$” AND “Session campaign” exactly matches “{slug}”"
        ),
        None => format!(
            "“Session source” exactly matches “{UTM_SOURCE}” AND “Session medium” matches regex “^(cpc|cpm)$”"
        ),
    };
    let micro = MICRO_CONVERSIONS.join(", ");
    Instructions {
        title: match campaign {
            Some(slug) => format!("Build the ChatGPT ads funnel for {slug} in Explore"),
            None => "Build the ChatGPT ads funnel in Explore".into(),
        },
        steps: vec![
            format!("Mark “{conversion}” as a key event: Admin › Data display › Events (or Key events › “New key event”, type “{conversion}”). The funnel's last step counts it."),
            "In GA4, open Explore › “Funnel exploration”. Name it “ChatGPT ads funnel”.".into(),
            format!("Segments › “+” › Session segment: name it “ChatGPT ads”, conditions {scope}. Save and apply."),
            "Keep “Make open funnel” off: a closed funnel counts only sessions that start at step 1.".into(),
            "Step 1 “Ad click”: event “page_view”.".into(),
            format!("Step 2 “Engagement”: event “scroll” OR “{CTA_CLICK_EVENT}” OR “page_view”, “within 14 days” of step 1 (“Indirectly followed by”). Use your site's CTA click event name if it differs from {CTA_CLICK_EVENT}."),
            format!("Step 3 “Micro-conversion”: any of {micro}, within 14 days of step 2."),
            format!("Step 4 “Conversion”: event “{conversion}”, within 14 days of step 3. Apply."),
            "Breakdown: “Session manual ad content” (the creative, utm_content). Date range: last 30 days.".into(),
            "Set the attribution lookback window for acquisition key events to 30 days (Admin › Data display › Attribution settings).".into(),
            "Wait 14 days after launch before judging the funnel: ChatGPT's conversion cycle runs 7–14 days.".into(),
        ],
    }
}

pub fn report_instructions(campaign: Option<&str>) -> Instructions {
    let dims = REPORT_DIMENSIONS.join(", ");
    let metrics = REPORT_METRICS.join(", ");
    let scope = match campaign {
        Some(slug) => format!(" and “Session campaign” exactly matches “{slug}”"),
        None => String::new(),
    };
    Instructions {
        title: match campaign {
            Some(slug) => format!("Build the ChatGPT ads report for {slug} in Explore"),
            None => "Build the ChatGPT ads report in Explore".into(),
        },
        steps: vec![
            "In GA4, open Explore › “Free form”. Name it “ChatGPT ads”.".into(),
            format!("Dimensions “+”: import {dims} (Session source, Session medium, Session campaign, Session manual ad content, Session manual term, Landing page, Device category)."),
            format!("Metrics “+”: import {metrics} (Sessions, Engaged sessions, Engagement rate, Key events, Session key event rate)."),
            "Rows: Session campaign, Session manual ad content, Session manual term. Values: the five metrics.".into(),
            format!("Filters: “Session source” exactly matches “{UTM_SOURCE}” and “Session medium” matches regex “^(cpc|cpm)$”{scope}."),
            "Date range: last 30 days. Sort by Sessions, descending.".into(),
            "Key events only count once the conversion is marked as a key event (Admin › Data display › Key events).".into(),
            "Wait 14 days of traffic before judging a creative.".into(),
        ],
    }
}
