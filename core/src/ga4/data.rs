//! Data API bodies: runFunnelReport (v1alpha) and runReport (v1beta), with their shared pieces.

use super::*;

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
    pub(crate) fn exact(field: &str, value: &str) -> Self {
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
