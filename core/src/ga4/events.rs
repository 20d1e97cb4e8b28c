//! Conversion events: the pixel's events mapped to GA4's, and GA4's event-name rules.

use super::*;

// ---------------------------------------------------------------------------------------------
// Conversion events
// ---------------------------------------------------------------------------------------------

/// The GA4 event an OpenAI ads pixel event corresponds to (the events table's column).
pub fn ga4_event_for(event: ConversionEvent) -> &'static str {
    event
        .event()
        .spec()
        .ga4_event
        .expect("every event a campaign may choose has its GA4 event")
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
