//! The GA4 kit: the request bodies that make ChatGPT ad traffic visible in GA4, built from
//! campaign data, and the same setup as numbered steps for people who click through GA4.
//!
//! - [`channel_group`]: Admin API v1alpha `ChannelGroup` (POST
//!   `/v1alpha/properties/{id}/channelGroups`): "ChatGPT Ads" first, then Google's default
//!   channels, so other traffic keeps its channel.
//! - [`funnel_report`]: Data API v1alpha `runFunnelReport` body: ad click → engagement →
//!   micro-conversion → the campaign's conversion, for ChatGPT ad sessions, by creative.
//! - [`exploration_report`]: Data API v1beta `runReport` body.
//!
//! The types can only express what Google accepts: a channel rule is an `andGroup` of
//! `orGroup`s of filters; Admin filters have no `caseSensitive`; output-only fields (`name`,
//! `systemDefined`) do not exist here. [`ChannelGroup::check`] verifies the limits.

use crate::events::ConversionEvent;
use crate::medium::{BuyingModel, UTM_SOURCE};
use crate::notice::{Code, Field, Notice};
use crate::slug::slugify;
use serde::{Deserialize, Serialize};

mod admin;
mod cost;
mod custom;
mod data;
mod events;
mod instructions;
mod kit;

pub use admin::*;
pub use cost::*;
pub use custom::*;
pub use data::*;
pub use events::*;
pub use instructions::*;
pub use kit::*;

/// The channel utmforge adds.
pub const CHANNEL_NAME: &str = "ChatGPT Ads";
/// Google's default channels, in Google's order. A custom group replaces the default one in
/// reports, so each keeps a rule of its own after ours.
pub const DEFAULT_CHANNELS: [&str; 19] = [
    "Direct",
    "Cross-network",
    "Paid Shopping",
    "Paid Search",
    "Paid Social",
    "Paid Video",
    "Display",
    "Paid Other",
    "Organic Shopping",
    "Organic Social",
    "Organic Video",
    "Organic Search",
    "Referral",
    "Email",
    "Affiliates",
    "Audio",
    "SMS",
    "Mobile Push Notifications",
    "AI Assistant",
];
/// Google's limits on a channel group.
pub const MAX_RULES: usize = 50;
pub const MAX_DISPLAY_NAME: usize = 80;
pub const MAX_DESCRIPTION: usize = 256;
/// ChatGPT's conversion cycle runs 7–14 days: a step may follow the previous one this late.
pub const STEP_WINDOW: &str = "1209600s";
/// Events that count as engagement and as a micro-conversion (funnel steps 2 and 3).
pub const CTA_CLICK_EVENT: &str = "cta_click";
pub const MICRO_CONVERSIONS: [&str; 3] = ["form_start", "add_to_cart", "begin_checkout"];

fn mediums() -> Vec<String> {
    [BuyingModel::Cpc, BuyingModel::Cpm]
        .map(|m| m.utm_medium().to_string())
        .to_vec()
}
