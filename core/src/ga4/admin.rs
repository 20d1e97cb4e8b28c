//! Admin API v1alpha: the ChannelGroup that gives ChatGPT ads a channel of their own.

use super::*;

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
