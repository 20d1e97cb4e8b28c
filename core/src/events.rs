//! OpenAI's supported events, as one table: each event's name, the `type` of its data, which
//! channels take it (Pixel, Conversions API), whether a campaign may name it as its primary
//! conversion, and the GA4 event it corresponds to. The pixel snippets, the Conversions API
//! checker, the campaign form's conversion choice and the GA4 mapping all read this table.
//!
//! Source: developers.openai.com/ads/supported-events (`../shared/openai-ads.md` §3).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The shape of an event's `data` object, named by its `type` member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataType {
    /// `amount`, `currency`, `contents`.
    Contents,
    /// `amount`, `currency`; no `contents`.
    CustomerAction,
    /// `plan_id`, `amount`, `currency`, `contents`.
    PlanEnrollment,
    /// `plan_id`, `amount`, `currency`, `contents`; the Conversions API also takes properties
    /// of its own.
    Custom,
}

impl DataType {
    pub fn as_str(self) -> &'static str {
        match self {
            DataType::Contents => "contents",
            DataType::CustomerAction => "customer_action",
            DataType::PlanEnrollment => "plan_enrollment",
            DataType::Custom => "custom",
        }
    }

    /// The documented members of a `data` object of this type (besides `type`).
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            DataType::Contents => &["amount", "currency", "contents"],
            DataType::CustomerAction => &["amount", "currency"],
            DataType::PlanEnrollment | DataType::Custom => {
                &["plan_id", "amount", "currency", "contents"]
            }
        }
    }

    pub fn parse(s: &str) -> Option<DataType> {
        [
            DataType::Contents,
            DataType::CustomerAction,
            DataType::PlanEnrollment,
            DataType::Custom,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An event name OpenAI takes: a standard event, or `custom` (with a `custom_event_name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    PageViewed,
    ContentsViewed,
    ItemsAdded,
    CheckoutStarted,
    OrderCreated,
    LeadCreated,
    RegistrationCompleted,
    AppointmentScheduled,
    SubscriptionCreated,
    TrialStarted,
    AppInstalled,
    AppOpened,
    Custom,
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventSpec {
    pub event: Event,
    pub name: &'static str,
    pub data_type: DataType,
    /// The Pixel (and the image tag) takes it.
    pub pixel: bool,
    /// The Conversions API takes it.
    pub capi: bool,
    /// Only with `action_source: mobile_app` (the app events).
    pub mobile_app_only: bool,
    /// A campaign may name it as its primary conversion.
    pub conversion: bool,
    /// The GA4 event it corresponds to: a recommended event where Google has one, else a
    /// custom event of the same name; none for page views (GA4 counts them itself), app events
    /// and custom events.
    pub ga4_event: Option<&'static str>,
    /// What it is for, in the documentation's words.
    pub label: &'static str,
}

const fn spec(
    event: Event,
    name: &'static str,
    data_type: DataType,
    channels: (bool, bool),
    conversion: bool,
    ga4_event: Option<&'static str>,
    label: &'static str,
) -> EventSpec {
    EventSpec {
        event,
        name,
        data_type,
        pixel: channels.0,
        capi: channels.1,
        mobile_app_only: !channels.0 && channels.1,
        conversion,
        ga4_event,
        label,
    }
}

const BOTH: (bool, bool) = (true, true);
const CAPI_ONLY: (bool, bool) = (false, true);

/// Every event OpenAI documents, in the documentation's order.
pub const EVENTS: [EventSpec; 13] = [
    spec(
        Event::PageViewed,
        "page_viewed",
        DataType::Contents,
        BOTH,
        false,
        None,
        "Page viewed",
    ),
    spec(
        Event::ContentsViewed,
        "contents_viewed",
        DataType::Contents,
        BOTH,
        true,
        Some("view_item"),
        "Contents viewed",
    ),
    spec(
        Event::ItemsAdded,
        "items_added",
        DataType::Contents,
        BOTH,
        true,
        Some("add_to_cart"),
        "Items added to cart",
    ),
    spec(
        Event::CheckoutStarted,
        "checkout_started",
        DataType::Contents,
        BOTH,
        true,
        Some("begin_checkout"),
        "Checkout started",
    ),
    spec(
        Event::OrderCreated,
        "order_created",
        DataType::Contents,
        BOTH,
        true,
        Some("purchase"),
        "Order created (purchase)",
    ),
    spec(
        Event::LeadCreated,
        "lead_created",
        DataType::CustomerAction,
        BOTH,
        true,
        Some("generate_lead"),
        "Lead created",
    ),
    spec(
        Event::RegistrationCompleted,
        "registration_completed",
        DataType::CustomerAction,
        BOTH,
        true,
        Some("sign_up"),
        "Registration completed (sign-up)",
    ),
    spec(
        Event::AppointmentScheduled,
        "appointment_scheduled",
        DataType::CustomerAction,
        BOTH,
        true,
        Some("appointment_scheduled"),
        "Appointment scheduled",
    ),
    spec(
        Event::SubscriptionCreated,
        "subscription_created",
        DataType::PlanEnrollment,
        BOTH,
        true,
        Some("subscription_created"),
        "Subscription created",
    ),
    spec(
        Event::TrialStarted,
        "trial_started",
        DataType::PlanEnrollment,
        BOTH,
        true,
        Some("trial_started"),
        "Trial started",
    ),
    spec(
        Event::AppInstalled,
        "app_installed",
        DataType::CustomerAction,
        CAPI_ONLY,
        false,
        None,
        "App installed",
    ),
    spec(
        Event::AppOpened,
        "app_opened",
        DataType::CustomerAction,
        CAPI_ONLY,
        false,
        None,
        "App opened",
    ),
    spec(
        Event::Custom,
        "custom",
        DataType::Custom,
        BOTH,
        false,
        None,
        "Custom event",
    ),
];

impl Event {
    pub fn spec(self) -> &'static EventSpec {
        EVENTS
            .iter()
            .find(|s| s.event == self)
            .expect("every event has its row")
    }

    pub fn as_str(self) -> &'static str {
        self.spec().name
    }

    pub fn data_type(self) -> DataType {
        self.spec().data_type
    }

    pub fn parse(s: &str) -> Option<Event> {
        EVENTS.iter().find(|e| e.name == s.trim()).map(|e| e.event)
    }

    /// Every name, for messages.
    pub fn names() -> String {
        EVENTS.map(|e| e.name).join(", ")
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Longest custom event name.
pub const MAX_CUSTOM_EVENT_NAME: usize = 64;

/// Checks a `custom_event_name` as documented: 1–64 characters, letters, digits, `_` or `-`,
/// starting and ending with a letter or digit, not a standard event's name. Answers the name
/// lowercased (the API lowercases it; the documentation recommends lowercase).
pub fn custom_event_name(input: &str) -> Result<String, String> {
    let name = input.trim();
    let shown = crate::notice::clip(name, 60);
    if name.is_empty() {
        return Err(
            "the custom event name is empty: a custom event needs one (e.g. quote_requested)"
                .into(),
        );
    }
    if name.len() > MAX_CUSTOM_EVENT_NAME {
        return Err(format!(
            "“{shown}” is longer than {MAX_CUSTOM_EVENT_NAME} characters"
        ));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(format!("“{shown}” may hold only letters, digits, _ and -"));
    }
    let edge = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
    if !edge(name.bytes().next()) || !edge(name.bytes().last()) {
        return Err(format!(
            "“{shown}” must start and end with a letter or a digit"
        ));
    }
    let lower = name.to_ascii_lowercase();
    if EVENTS.iter().any(|e| e.name == lower) {
        return Err(format!(
            "“{shown}” is a standard event's name: send it as that event, not as a custom one"
        ));
    }
    Ok(lower)
}

/// The OpenAI ads pixel's standard events: a campaign's primary conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConversionEvent {
    #[default]
    OrderCreated,
    LeadCreated,
    RegistrationCompleted,
    SubscriptionCreated,
    TrialStarted,
    AppointmentScheduled,
    CheckoutStarted,
    ContentsViewed,
    ItemsAdded,
}

impl ConversionEvent {
    pub const ALL: [ConversionEvent; 9] = [
        ConversionEvent::OrderCreated,
        ConversionEvent::LeadCreated,
        ConversionEvent::RegistrationCompleted,
        ConversionEvent::SubscriptionCreated,
        ConversionEvent::TrialStarted,
        ConversionEvent::AppointmentScheduled,
        ConversionEvent::CheckoutStarted,
        ConversionEvent::ContentsViewed,
        ConversionEvent::ItemsAdded,
    ];

    /// The event in OpenAI's table ([`EVENTS`]).
    pub fn event(self) -> Event {
        match self {
            ConversionEvent::OrderCreated => Event::OrderCreated,
            ConversionEvent::LeadCreated => Event::LeadCreated,
            ConversionEvent::RegistrationCompleted => Event::RegistrationCompleted,
            ConversionEvent::SubscriptionCreated => Event::SubscriptionCreated,
            ConversionEvent::TrialStarted => Event::TrialStarted,
            ConversionEvent::AppointmentScheduled => Event::AppointmentScheduled,
            ConversionEvent::CheckoutStarted => Event::CheckoutStarted,
            ConversionEvent::ContentsViewed => Event::ContentsViewed,
            ConversionEvent::ItemsAdded => Event::ItemsAdded,
        }
    }

    /// The pixel's event name.
    pub fn as_str(self) -> &'static str {
        self.event().as_str()
    }

    pub fn label(self) -> &'static str {
        self.event().spec().label
    }
}

impl FromStr for ConversionEvent {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        ConversionEvent::ALL
            .into_iter()
            .find(|v| v.as_str() == s.trim())
            .ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_names_each_event_once_with_its_documented_data_type() {
        let names: std::collections::HashSet<_> = EVENTS.iter().map(|e| e.name).collect();
        assert_eq!(names.len(), EVENTS.len());
        for e in EVENTS {
            assert_eq!(e.event.spec(), &e);
            assert_eq!(Event::parse(e.name), Some(e.event));
        }
        assert_eq!(Event::PageViewed.data_type(), DataType::Contents);
        assert_eq!(Event::LeadCreated.data_type(), DataType::CustomerAction);
        assert_eq!(Event::TrialStarted.data_type(), DataType::PlanEnrollment);
        assert!(!Event::AppOpened.spec().pixel && Event::AppOpened.spec().mobile_app_only);
        assert!(Event::OrderCreated.spec().pixel && !Event::OrderCreated.spec().mobile_app_only);
    }

    #[test]
    fn a_campaign_chooses_among_the_conversions_of_the_table() {
        let mut table: Vec<&str> = EVENTS
            .iter()
            .filter(|e| e.conversion)
            .map(|e| e.name)
            .collect();
        let mut campaign: Vec<&str> = crate::ConversionEvent::ALL.map(|c| c.as_str()).to_vec();
        table.sort_unstable();
        campaign.sort_unstable();
        assert_eq!(table, campaign);
    }

    #[test]
    fn custom_event_names_follow_the_documented_rules() {
        assert_eq!(
            custom_event_name("Quote_Requested").unwrap(),
            "quote_requested"
        );
        assert_eq!(custom_event_name("a").unwrap(), "a");
        assert!(custom_event_name(&"a".repeat(64)).is_ok());
        for bad in ["", "_x", "x-", "a b", "é", "order_created", &"a".repeat(65)] {
            assert!(custom_event_name(bad).is_err(), "{bad}");
        }
    }
}
