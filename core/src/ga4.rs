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

use crate::campaign::ConversionEvent;
use crate::medium::{BuyingModel, UTM_SOURCE};
use crate::notice::{Code, Field, Notice};
use crate::slug::slugify;
use serde::{Deserialize, Serialize};

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

// ---------------------------------------------------------------------------------------------
// Admin API v1alpha: ChannelGroup
// ---------------------------------------------------------------------------------------------

/// `ChannelGroup` as created through the Admin API (input fields only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelGroup {
    pub display_name: String,
    pub description: String,
    pub grouping_rule: Vec<GroupingRule>,
}

/// One channel: traffic matching `expression` gets `display_name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupingRule {
    pub display_name: String,
    pub expression: RuleExpression,
}

/// The top level of a rule: always an `andGroup`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleExpression {
    pub and_group: FilterExpressionList<OrGroupExpression>,
}

/// `{"filterExpressions": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FilterExpressionList<T> {
    pub filter_expressions: Vec<T>,
}

/// An `andGroup` holds only `orGroup`s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrGroupExpression {
    pub or_group: FilterExpressionList<LeafExpression>,
}

/// An `orGroup` holds only filters or negated filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LeafExpression {
    Filter(ChannelGroupFilter),
    NotExpression(Box<NotFilter>),
}

/// The expression a `notExpression` negates: a filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotFilter {
    pub filter: ChannelGroupFilter,
}

/// A condition on one dimension. Admin API matching is case-insensitive; there is no
/// `caseSensitive` field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelGroupFilter {
    pub field_name: ChannelField,
    #[serde(flatten)]
    pub condition: ChannelCondition,
}

/// The dimensions a channel rule may test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChannelField {
    #[serde(rename = "eachScopeSource")]
    Source,
    #[serde(rename = "eachScopeMedium")]
    Medium,
    #[serde(rename = "eachScopeSourcePlatform")]
    SourcePlatform,
    #[serde(rename = "eachScopeCampaignId")]
    CampaignId,
    #[serde(rename = "eachScopeCampaignName")]
    CampaignName,
    #[serde(rename = "eachScopeDefaultChannelGroup")]
    DefaultChannelGroup,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChannelCondition {
    StringFilter(AdminStringFilter),
    InListFilter(AdminInListFilter),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminStringFilter {
    pub match_type: MatchType,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminInListFilter {
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MatchType {
    Exact,
    BeginsWith,
    EndsWith,
    Contains,
    FullRegexp,
    PartialRegexp,
}

impl ChannelGroupFilter {
    fn exact(field_name: ChannelField, value: &str) -> Self {
        ChannelGroupFilter {
            field_name,
            condition: ChannelCondition::StringFilter(AdminStringFilter {
                match_type: MatchType::Exact,
                value: value.to_string(),
            }),
        }
    }
}

impl RuleExpression {
    /// Every condition must hold (one `orGroup` each, holding one filter).
    fn all(filters: Vec<ChannelGroupFilter>) -> Self {
        RuleExpression {
            and_group: FilterExpressionList {
                filter_expressions: filters
                    .into_iter()
                    .map(|f| OrGroupExpression {
                        or_group: FilterExpressionList {
                            filter_expressions: vec![LeafExpression::Filter(f)],
                        },
                    })
                    .collect(),
            },
        }
    }
}

/// The workspace's channel group: "ChatGPT Ads" (source exactly `chatgpt`, medium cpc or cpm),
/// then every default channel in Google's order.
pub fn channel_group() -> ChannelGroup {
    let mut rules = vec![GroupingRule {
        display_name: CHANNEL_NAME.to_string(),
        expression: RuleExpression::all(vec![
            ChannelGroupFilter::exact(ChannelField::Source, UTM_SOURCE),
            ChannelGroupFilter {
                field_name: ChannelField::Medium,
                condition: ChannelCondition::InListFilter(AdminInListFilter { values: mediums() }),
            },
        ]),
    }];
    rules.extend(DEFAULT_CHANNELS.iter().map(|name| GroupingRule {
        display_name: name.to_string(),
        expression: RuleExpression::all(vec![ChannelGroupFilter::exact(
            ChannelField::DefaultChannelGroup,
            name,
        )]),
    }));
    ChannelGroup {
        display_name: "Channels with ChatGPT Ads".to_string(),
        description: "Google's default channels, with ChatGPT ad traffic (utm_source=chatgpt, utm_medium=cpc or cpm) as its own channel. Generated by utmforge.".to_string(),
        grouping_rule: rules,
    }
}

impl ChannelGroup {
    /// Google's constraints: at most 50 rules, display name ≤ 80 and description ≤ 256
    /// characters, every rule named and holding at least one condition.
    pub fn check(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        let name_len = self.display_name.chars().count();
        if name_len == 0 || name_len > MAX_DISPLAY_NAME {
            problems.push(format!(
                "displayName must have 1 to {MAX_DISPLAY_NAME} characters, it has {name_len}"
            ));
        }
        let description_len = self.description.chars().count();
        if description_len > MAX_DESCRIPTION {
            problems.push(format!(
                "description must have at most {MAX_DESCRIPTION} characters, it has {description_len}"
            ));
        }
        if self.grouping_rule.is_empty() || self.grouping_rule.len() > MAX_RULES {
            problems.push(format!(
                "groupingRule must have 1 to {MAX_RULES} rules, it has {}",
                self.grouping_rule.len()
            ));
        }
        for rule in &self.grouping_rule {
            if rule.display_name.trim().is_empty() {
                problems.push("every rule needs a displayName".to_string());
            }
            let groups = &rule.expression.and_group.filter_expressions;
            if groups.is_empty()
                || groups
                    .iter()
                    .any(|g| g.or_group.filter_expressions.is_empty())
            {
                problems.push(format!(
                    "rule “{}” has an empty andGroup or orGroup",
                    rule.display_name
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Conversion events
// ---------------------------------------------------------------------------------------------

/// The GA4 event an OpenAI ads pixel event corresponds to.
pub fn ga4_event_for(event: ConversionEvent) -> &'static str {
    match event {
        ConversionEvent::OrderCreated => "purchase",
        ConversionEvent::LeadCreated => "generate_lead",
        ConversionEvent::RegistrationCompleted => "sign_up",
        ConversionEvent::CheckoutStarted => "begin_checkout",
        ConversionEvent::ItemsAdded => "add_to_cart",
        ConversionEvent::ContentsViewed => "view_item",
        // No recommended GA4 event: a custom event of the same name.
        ConversionEvent::SubscriptionCreated => "subscription_created",
        ConversionEvent::TrialStarted => "trial_started",
        ConversionEvent::AppointmentScheduled => "appointment_scheduled",
    }
}

/// Prefixes GA4 reserves for its own events.
pub const RESERVED_EVENT_PREFIXES: [&str; 3] = ["ga_", "google_", "firebase_"];
/// Longest GA4 event name.
pub const MAX_EVENT_NAME: usize = 40;

/// The GA4 event for `--conversion`: an OpenAI pixel event name is mapped; a valid GA4 event
/// name is taken as is; anything else is an error naming the rule.
pub fn conversion_event(input: &str) -> Result<String, Notice> {
    let name = input.trim();
    if let Ok(pixel) = name.parse::<ConversionEvent>() {
        return Ok(ga4_event_for(pixel).to_string());
    }
    let error = |why: String| {
        Notice::new(
            Code::InvalidEvent,
            Field::Conversion,
            format!("“{name}” is not a GA4 event name: {why}"),
        )
    };
    if name.is_empty() {
        return Err(Notice::new(
            Code::InvalidEvent,
            Field::Conversion,
            "the conversion event is empty: give an OpenAI pixel event (order_created, lead_created, …) or a GA4 event name",
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(error("it must start with a letter".into()));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Err(error(format!(
            "only letters, digits and underscores are allowed, not “{bad}”"
        )));
    }
    if name.len() > MAX_EVENT_NAME {
        return Err(error(format!(
            "at most {MAX_EVENT_NAME} characters, it has {}",
            name.len()
        )));
    }
    let lower = name.to_ascii_lowercase();
    if let Some(prefix) = RESERVED_EVENT_PREFIXES
        .iter()
        .find(|p| lower.starts_with(**p))
    {
        return Err(error(format!(
            "the prefix “{prefix}” is reserved by Google"
        )));
    }
    Ok(name.to_string())
}

/// The `utm_campaign` value for `--campaign`, slugged as everywhere else.
pub fn campaign_filter(input: &str) -> Result<String, Notice> {
    slugify(input).map_err(|_| {
        Notice::new(
            Code::EmptyValue,
            Field::Campaign,
            format!(
                "campaign “{}” has no letters or digits to make a utm_campaign value from",
                input.trim()
            ),
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Data API: shared pieces
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DateRange {
    pub start_date: String,
    pub end_date: String,
}

impl DateRange {
    /// The last 30 days: ChatGPT's conversion cycle runs 7–14 days.
    pub fn last_30_days() -> Self {
        DateRange {
            start_date: "30daysAgo".into(),
            end_date: "today".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dimension {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metric {
    pub name: String,
}

/// Data API `StringFilter` (these do take `caseSensitive`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StringFilter {
    pub match_type: MatchType,
    pub value: String,
    pub case_sensitive: bool,
}

/// Data API `InListFilter`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InListFilter {
    pub values: Vec<String>,
    pub case_sensitive: bool,
}

/// A condition on one dimension, for the Data API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldFilter {
    pub field_name: String,
    #[serde(flatten)]
    pub condition: DataCondition,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DataCondition {
    StringFilter(StringFilter),
    InListFilter(InListFilter),
}

impl FieldFilter {
    fn exact(field: &str, value: &str) -> Self {
        FieldFilter {
            field_name: field.into(),
            condition: DataCondition::StringFilter(StringFilter {
                match_type: MatchType::Exact,
                value: value.into(),
                case_sensitive: false,
            }),
        }
    }

    fn in_list(field: &str, values: Vec<String>) -> Self {
        FieldFilter {
            field_name: field.into(),
            condition: DataCondition::InListFilter(InListFilter {
                values,
                case_sensitive: false,
            }),
        }
    }
}

/// ChatGPT ad sessions: source `chatgpt`, medium cpc or cpm, and the campaign when given.
fn chatgpt_session_filters(campaign: Option<&str>) -> Vec<FieldFilter> {
    let mut filters = vec![
        FieldFilter::exact("sessionSource", UTM_SOURCE),
        FieldFilter::in_list("sessionMedium", mediums()),
    ];
    if let Some(slug) = campaign {
        filters.push(FieldFilter::exact("sessionCampaignName", slug));
    }
    filters
}

// ---------------------------------------------------------------------------------------------
// Data API v1alpha: runFunnelReport
// ---------------------------------------------------------------------------------------------

/// The body of `POST /v1alpha/properties/{id}:runFunnelReport`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FunnelReportRequest {
    pub date_ranges: Vec<DateRange>,
    pub funnel: Funnel,
    pub funnel_breakdown: FunnelBreakdown,
    pub segments: Vec<Segment>,
    pub funnel_visualization_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Funnel {
    pub is_open_funnel: bool,
    pub steps: Vec<FunnelStep>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FunnelStep {
    pub name: String,
    pub is_directly_followed_by: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub within_duration_from_prior_step: Option<String>,
    pub filter_expression: FunnelFilterExpression,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FunnelFilterExpression {
    AndGroup(ExpressionList<FunnelFilterExpression>),
    OrGroup(ExpressionList<FunnelFilterExpression>),
    NotExpression(Box<FunnelFilterExpression>),
    FunnelFieldFilter(FieldFilter),
    FunnelEventFilter(FunnelEventFilter),
}

/// `{"expressions": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpressionList<T> {
    pub expressions: Vec<T>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FunnelEventFilter {
    pub event_name: String,
}

impl FunnelFilterExpression {
    fn event(name: &str) -> Self {
        FunnelFilterExpression::FunnelEventFilter(FunnelEventFilter {
            event_name: name.into(),
        })
    }

    fn any_event(names: &[&str]) -> Self {
        FunnelFilterExpression::OrGroup(ExpressionList {
            expressions: names.iter().map(|n| Self::event(n)).collect(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FunnelBreakdown {
    pub breakdown_dimension: Dimension,
    /// An int64 as a JSON string; Google allows at most 15.
    pub limit: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Segment {
    pub name: String,
    pub session_segment: SessionSegment,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionSegment {
    pub session_inclusion_criteria: SessionSegmentCriteria,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionSegmentCriteria {
    pub and_condition_groups: Vec<SessionSegmentConditionGroup>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionSegmentConditionGroup {
    pub condition_scoping: String,
    pub segment_filter_expression: SegmentFilterExpression,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SegmentFilterExpression {
    SegmentFilter(FieldFilter),
}

/// The funnel of DESIGN §3 for ChatGPT ad sessions (of one campaign when `campaign` is a
/// `utm_campaign` value), ending with `conversion` (a GA4 event name, see
/// [`conversion_event`]), broken down by creative (`utm_content`), over the last 30 days.
pub fn funnel_report(conversion: &str, campaign: Option<&str>) -> FunnelReportRequest {
    let step = |name: &str, filter: FunnelFilterExpression, first: bool| FunnelStep {
        name: name.into(),
        is_directly_followed_by: false,
        within_duration_from_prior_step: (!first).then(|| STEP_WINDOW.to_string()),
        filter_expression: filter,
    };
    let segment_name = match campaign {
        Some(slug) => format!("ChatGPT ads: {slug}"),
        None => "ChatGPT ads".to_string(),
    };
    FunnelReportRequest {
        date_ranges: vec![DateRange::last_30_days()],
        funnel: Funnel {
            is_open_funnel: false,
            steps: vec![
                step("Ad click", FunnelFilterExpression::event("page_view"), true),
                step(
                    "Engagement",
                    FunnelFilterExpression::any_event(&["scroll", CTA_CLICK_EVENT, "page_view"]),
                    false,
                ),
                step(
                    "Micro-conversion",
                    FunnelFilterExpression::any_event(&MICRO_CONVERSIONS),
                    false,
                ),
                step(
                    "Conversion",
                    FunnelFilterExpression::event(conversion),
                    false,
                ),
            ],
        },
        funnel_breakdown: FunnelBreakdown {
            breakdown_dimension: Dimension {
                name: "sessionManualAdContent".into(),
            },
            limit: "15".into(),
        },
        segments: vec![Segment {
            name: segment_name,
            session_segment: SessionSegment {
                session_inclusion_criteria: SessionSegmentCriteria {
                    and_condition_groups: chatgpt_session_filters(campaign)
                        .into_iter()
                        .map(|f| SessionSegmentConditionGroup {
                            condition_scoping: "SESSION_CRITERIA_WITHIN_SAME_SESSION".into(),
                            segment_filter_expression: SegmentFilterExpression::SegmentFilter(f),
                        })
                        .collect(),
                },
            },
        }],
        funnel_visualization_type: "STANDARD_FUNNEL".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Data API v1beta: runReport
// ---------------------------------------------------------------------------------------------

/// The body of `POST /v1beta/properties/{id}:runReport`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportRequest {
    pub date_ranges: Vec<DateRange>,
    pub dimensions: Vec<Dimension>,
    pub metrics: Vec<Metric>,
    pub dimension_filter: ReportFilterExpression,
    pub order_bys: Vec<OrderBy>,
    pub limit: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReportFilterExpression {
    AndGroup(ExpressionList<ReportFilterExpression>),
    Filter(FieldFilter),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderBy {
    pub metric: MetricOrderBy,
    pub desc: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricOrderBy {
    pub metric_name: String,
}

pub const REPORT_DIMENSIONS: [&str; 7] = [
    "sessionSource",
    "sessionMedium",
    "sessionCampaignName",
    "sessionManualAdContent",
    "sessionManualTerm",
    "landingPage",
    "deviceCategory",
];
pub const REPORT_METRICS: [&str; 5] = [
    "sessions",
    "engagedSessions",
    "engagementRate",
    "keyEvents",
    "sessionKeyEventRate",
];

/// The exploration report of DESIGN §3 for ChatGPT ad sessions (of one campaign when given).
pub fn exploration_report(campaign: Option<&str>) -> ReportRequest {
    ReportRequest {
        date_ranges: vec![DateRange::last_30_days()],
        dimensions: REPORT_DIMENSIONS
            .iter()
            .map(|d| Dimension {
                name: d.to_string(),
            })
            .collect(),
        metrics: REPORT_METRICS
            .iter()
            .map(|m| Metric {
                name: m.to_string(),
            })
            .collect(),
        dimension_filter: ReportFilterExpression::AndGroup(ExpressionList {
            expressions: chatgpt_session_filters(campaign)
                .into_iter()
                .map(ReportFilterExpression::Filter)
                .collect(),
        }),
        order_bys: vec![OrderBy {
            metric: MetricOrderBy {
                metric_name: "sessions".into(),
            },
            desc: true,
        }],
        limit: "10000".into(),
    }
}

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

// ---------------------------------------------------------------------------------------------
// Apply script
// ---------------------------------------------------------------------------------------------

/// A GA4 property id: digits only.
pub fn property_id(input: &str) -> Result<String, Notice> {
    let id = input.trim().trim_start_matches("properties/");
    if !id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(id.to_string())
    } else {
        Err(Notice::new(
            Code::InvalidProperty,
            Field::Property,
            format!("“{}” is not a GA4 property id: it is the number under Admin › Property details (e.g. 123456789)", input.trim()),
        ))
    }
}

/// A shell script that creates the channel group and runs both reports with curl and
/// `gcloud auth print-access-token`.
pub fn apply_script(property: &str, conversion: &str, campaign: Option<&str>) -> String {
    let group = to_pretty_json(&channel_group());
    let funnel = to_pretty_json(&funnel_report(conversion, campaign));
    let report = to_pretty_json(&exploration_report(campaign));
    format!(
        r#"#!/usr/bin/env bash
# Generated by utmforge: sets up GA4 property {property} for ChatGPT ads.
# Needs curl and the Google Cloud CLI (gcloud), logged in as a user who can edit the property
# (gcloud auth login). The token needs the analytics.edit scope; if Google answers 403
# "insufficient scopes", pass another token in GA4_TOKEN, e.g. after
#   gcloud auth application-default login --scopes=https://www.googleapis.com/auth/analytics.edit,https://www.googleapis.com/auth/cloud-platform
#   GA4_TOKEN="$(gcloud auth application-default print-access-token)" bash this-script.sh
# Run it once: a second run creates a second channel group.
set -euo pipefail
PROPERTY={property}
TOKEN="${{GA4_TOKEN:-$(gcloud auth print-access-token)}}"

call() {{
  curl --fail-with-body --silent --show-error -X POST "$1" \
    -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
    --data-binary @-
  echo
}}

echo "== Creating the channel group" >&2
call "https://analyticsadmin.googleapis.com/v1alpha/properties/$PROPERTY/channelGroups" <<'JSON'
{group}
JSON

echo "== Running the funnel report" >&2
call "https://analyticsdata.googleapis.com/v1alpha/properties/$PROPERTY:runFunnelReport" <<'JSON'
{funnel}
JSON

echo "== Running the exploration report" >&2
call "https://analyticsdata.googleapis.com/v1beta/properties/$PROPERTY:runReport" <<'JSON'
{report}
JSON
"#
    )
}

/// Pretty JSON of any of the kit's documents.
pub fn to_pretty_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("the kit's types always serialize")
}

// ---------------------------------------------------------------------------------------------
// The kit as the app shows it
// ---------------------------------------------------------------------------------------------

/// One document of the kit, ready to show, copy and download.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Artifact {
    /// `channel-group`, `funnel` or `report`.
    pub kind: String,
    pub title: String,
    /// What it is for and where it goes.
    pub summary: String,
    /// The Google API call the JSON is the body of.
    pub endpoint: String,
    /// The name to download it under.
    pub filename: String,
    /// Pretty-printed JSON.
    pub json: String,
    pub instructions: Instructions,
}

/// The workspace-wide document: the channel group.
pub fn channel_group_artifact() -> Artifact {
    Artifact {
        kind: "channel-group".into(),
        title: "Channel group".into(),
        summary: format!("A custom channel group in which “{CHANNEL_NAME}” is its own channel, above Google's paid channels; every other visit keeps its default channel. One per GA4 property."),
        endpoint: "POST https://analyticsadmin.googleapis.com/v1alpha/properties/{PROPERTY_ID}/channelGroups".into(),
        filename: "utmforge-channel-group.json".into(),
        json: to_pretty_json(&channel_group()),
        instructions: channel_group_instructions(),
    }
}

/// A campaign's funnel and report, restricted to its `utm_campaign` value and ending with its
/// primary conversion.
/// A campaign's funnel: its `utm_campaign`, ending with the GA4 event of its primary conversion.
pub fn campaign_funnel(slug: &str, conversion: ConversionEvent) -> FunnelReportRequest {
    funnel_report(ga4_event_for(conversion), Some(slug))
}

pub fn campaign_artifacts(slug: &str, conversion: ConversionEvent) -> Vec<Artifact> {
    let event = ga4_event_for(conversion);
    vec![
        Artifact {
            kind: "funnel".into(),
            title: "Funnel exploration".into(),
            summary: format!("Ad click → engagement → micro-conversion → {event} (from the pixel's {}), for ChatGPT ad sessions of {slug}, by creative, over the last 30 days.", conversion.as_str()),
            endpoint: "POST https://analyticsdata.googleapis.com/v1alpha/properties/{PROPERTY_ID}:runFunnelReport".into(),
            filename: format!("{slug}-ga4-funnel.json"),
            json: to_pretty_json(&campaign_funnel(slug, conversion)),
            instructions: funnel_instructions(event, Some(slug)),
        },
        Artifact {
            kind: "report".into(),
            title: "Exploration report".into(),
            summary: format!("Sessions, engagement and key events of {slug}'s ChatGPT ad traffic by creative, topic, landing page and device, over the last 30 days."),
            endpoint: "POST https://analyticsdata.googleapis.com/v1beta/properties/{PROPERTY_ID}:runReport".into(),
            filename: format!("{slug}-ga4-report.json"),
            json: to_pretty_json(&exploration_report(Some(slug))),
            instructions: report_instructions(Some(slug)),
        },
    ]
}
