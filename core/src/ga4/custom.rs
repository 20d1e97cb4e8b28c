//! The survey's and first-touch memory's GA4 side: the custom dimensions to register (Admin API
//! v1beta `properties.customDimensions.create`) and the two reports that read them (Data API
//! v1beta `runReport`).

use super::*;

/// The GA4 event the survey sends, and its parameter.
pub const SURVEY_EVENT: &str = "survey_response";
pub const SURVEY_PARAMETER: &str = "heard_about";
/// The user properties the first-touch snippet sets.
pub const FIRST_TOUCH_SOURCE: &str = "first_touch_source";
pub const FIRST_TOUCH_CAMPAIGN: &str = "first_touch_campaign";

/// Google's limits on a custom dimension (Admin API `CustomDimension`).
pub const MAX_EVENT_PARAMETER_NAME: usize = 40;
pub const MAX_USER_PARAMETER_NAME: usize = 24;
pub const MAX_DIMENSION_DISPLAY_NAME: usize = 82;
pub const MAX_DIMENSION_DESCRIPTION: usize = 150;

/// `CustomDimension.scope`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DimensionScope {
    Event,
    User,
}

/// The body of `POST /v1beta/properties/{id}/customDimensions` (output-only `name` omitted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomDimension {
    pub parameter_name: String,
    pub display_name: String,
    pub description: String,
    pub scope: DimensionScope,
}

impl CustomDimension {
    /// Google's rules: the parameter name starts with a letter and holds letters, digits and
    /// underscores (at most 40 characters for events, 24 for users); the display name starts
    /// with a letter and holds letters, digits, spaces and underscores (at most 82).
    pub fn check(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        let max = match self.scope {
            DimensionScope::Event => MAX_EVENT_PARAMETER_NAME,
            DimensionScope::User => MAX_USER_PARAMETER_NAME,
        };
        let p = &self.parameter_name;
        if !p.starts_with(|c: char| c.is_ascii_alphabetic())
            || !p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            || p.len() > max
        {
            problems.push(format!(
                "parameterName “{p}” is not a valid {max}-character name"
            ));
        }
        let d = &self.display_name;
        if !d.starts_with(|c: char| c.is_ascii_alphabetic())
            || !d
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ' ')
            || d.len() > MAX_DIMENSION_DISPLAY_NAME
        {
            problems.push(format!("displayName “{d}” is not valid"));
        }
        if self.description.chars().count() > MAX_DIMENSION_DESCRIPTION {
            problems.push("description is longer than 150 characters".into());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// The three custom dimensions: the survey answer (event-scoped) and the first touch's source
/// and campaign (user-scoped).
pub fn custom_dimensions() -> Vec<CustomDimension> {
    vec![
        CustomDimension {
            parameter_name: SURVEY_PARAMETER.into(),
            display_name: "Heard about".into(),
            description: "Answer to the survey “How did you first hear about us?” (utmforge)".into(),
            scope: DimensionScope::Event,
        },
        CustomDimension {
            parameter_name: FIRST_TOUCH_SOURCE.into(),
            display_name: "First touch source".into(),
            description: "utm_source of the visitor's first ad click, kept 30 days (utmforge first-touch memory)".into(),
            scope: DimensionScope::User,
        },
        CustomDimension {
            parameter_name: FIRST_TOUCH_CAMPAIGN.into(),
            display_name: "First touch campaign".into(),
            description: "utm_campaign of the visitor's first ChatGPT ad click, kept 30 days (utmforge first-touch memory)".into(),
            scope: DimensionScope::User,
        },
    ]
}

fn dimensions(names: &[&str]) -> Vec<Dimension> {
    names
        .iter()
        .map(|n| Dimension {
            name: n.to_string(),
        })
        .collect()
}

fn ordered_by(metric: &str) -> Vec<OrderBy> {
    vec![OrderBy {
        metric: MetricOrderBy {
            metric_name: metric.into(),
        },
        desc: true,
    }]
}

/// Survey answers by the source that first brought each user (`firstUserSource`): how many
/// who answered “ChatGPT / AI assistant” arrived first from somewhere else.
pub fn survey_report() -> ReportRequest {
    ReportRequest {
        date_ranges: vec![DateRange::last_30_days()],
        dimensions: dimensions(&[
            &format!("customEvent:{SURVEY_PARAMETER}"),
            "firstUserSource",
            "firstUserMedium",
        ]),
        metrics: vec![Metric {
            name: "eventCount".into(),
        }],
        dimension_filter: ReportFilterExpression::Filter(FieldFilter::exact(
            "eventName",
            SURVEY_EVENT,
        )),
        order_bys: ordered_by("eventCount"),
        limit: "10000".into(),
    }
}

/// Key events of users whose first touch was a ChatGPT ad, by the source of the session that
/// converted: "influenced by ChatGPT, converted elsewhere".
pub fn first_touch_report() -> ReportRequest {
    ReportRequest {
        date_ranges: vec![DateRange::last_30_days()],
        dimensions: dimensions(&[
            &format!("customUser:{FIRST_TOUCH_SOURCE}"),
            &format!("customUser:{FIRST_TOUCH_CAMPAIGN}"),
            "sessionSource",
            "sessionMedium",
        ]),
        metrics: vec![
            Metric {
                name: "keyEvents".into(),
            },
            Metric {
                name: "totalUsers".into(),
            },
        ],
        dimension_filter: ReportFilterExpression::Filter(FieldFilter::exact(
            &format!("customUser:{FIRST_TOUCH_SOURCE}"),
            UTM_SOURCE,
        )),
        order_bys: ordered_by("keyEvents"),
        limit: "10000".into(),
    }
}

/// The survey's and first touch's documents, as the Tracking page and the CLI hand them out.
pub fn measurement_artifacts() -> Vec<Artifact> {
    let mut out: Vec<Artifact> = custom_dimensions()
        .into_iter()
        .map(|d| {
            let scope = match d.scope {
                DimensionScope::Event => "event-scoped",
                DimensionScope::User => "user-scoped",
            };
            Artifact {
                kind: format!("dimension-{}", d.parameter_name.replace('_', "-")),
                title: format!("Custom dimension “{}”", d.display_name),
                summary: format!("Registers the {scope} parameter {} so that reports can use it. Once per GA4 property; data is collected from then on, not before.", d.parameter_name),
                endpoint: "POST https://analyticsadmin.googleapis.com/v1beta/properties/{PROPERTY_ID}/customDimensions".into(),
                filename: format!("utmforge-dimension-{}.json", d.parameter_name.replace('_', "-")),
                json: to_pretty_json(&d),
                instructions: dimension_instructions(&d, scope),
            }
        })
        .collect();
    out.push(Artifact {
        kind: "survey-report".into(),
        title: "Survey answers report".into(),
        summary: "How people say they first heard of you, next to the source GA4 saw first, over the last 30 days.".into(),
        endpoint: "POST https://analyticsdata.googleapis.com/v1beta/properties/{PROPERTY_ID}:runReport".into(),
        filename: "utmforge-survey-report.json".into(),
        json: to_pretty_json(&survey_report()),
        instructions: Instructions {
            title: "Build it in Explore".into(),
            steps: vec![
                "Explore › Free form › new exploration.".into(),
                format!("Dimensions: “Heard about” ({SURVEY_PARAMETER}), First user source, First user medium. Metric: Event count."),
                format!("Filter: Event name exactly matches {SURVEY_EVENT}."),
                "Rows: Heard about; then First user source. Read the “ChatGPT / AI assistant” rows whose first source is not chatgpt: conversions the click path does not show.".into(),
            ],
        },
    });
    out.push(Artifact {
        kind: "first-touch-report".into(),
        title: "First touch report".into(),
        summary: "Key events of people whose first touch was a ChatGPT ad, by the source of the session in which they converted (branded search, direct, email…).".into(),
        endpoint: "POST https://analyticsdata.googleapis.com/v1beta/properties/{PROPERTY_ID}:runReport".into(),
        filename: "utmforge-first-touch-report.json".into(),
        json: to_pretty_json(&first_touch_report()),
        instructions: Instructions {
            title: "Build it in Explore".into(),
            steps: vec![
                "Explore › Free form › new exploration.".into(),
                "Dimensions: First touch source, First touch campaign, Session source, Session medium. Metrics: Key events, Total users.".into(),
                format!("Filter: First touch source exactly matches {UTM_SOURCE}."),
                "Rows: Session source / medium. Every row other than chatgpt / cpc or cpm is a conversion that last-click reports credit elsewhere.".into(),
            ],
        },
    });
    out
}

fn dimension_instructions(d: &CustomDimension, scope: &str) -> Instructions {
    Instructions {
        title: "Register it in GA4".into(),
        steps: vec![
            "Admin › Data display › Custom definitions › Create custom dimension.".into(),
            format!(
                "Dimension name: {}. Scope: {}.",
                d.display_name,
                if scope == "event-scoped" {
                    "Event"
                } else {
                    "User"
                }
            ),
            format!(
                "{}: {}. Description: {}.",
                if scope == "event-scoped" {
                    "Event parameter"
                } else {
                    "User property"
                },
                d.parameter_name,
                d.description
            ),
            "Save. GA4 fills it from new data only: install the snippet first, then wait a day."
                .into(),
        ],
    }
}
