//! The measurement kit's use cases: the Tracking page's snippets for the workspace's
//! conversions, and the validation of a Conversions API batch. The sending is
//! [`crate::capi::Sender`]'s (the command line's `capi send`).

use crate::{Ctx, Error};
use utmforge_core::account::Role;
use utmforge_core::measure::capi::{self, Validation, MAX_EVENTS_PER_CALL};
use utmforge_core::measure::{tracking_kit, TrackingKit, TrackingSettings};
use utmforge_core::views::TrackingQuery;
use utmforge_core::{Code, Field, Notice};

/// The snippets for these settings and every conversion the campaigns use.
pub async fn tracking(ctx: &Ctx, q: &TrackingQuery) -> Result<TrackingKit, Error> {
    ctx.require(Role::Viewer)?;
    let settings = TrackingSettings::new(&q.pixel_id, &q.measurement_id, &q.currency)
        .map_err(Error::invalid)?
        .with_options(q.debug, q.consent);
    let campaigns: Vec<(String, utmforge_core::ConversionEvent)> = ctx
        .store
        .list_campaigns(None)
        .await?
        .into_iter()
        .map(|s| (s.campaign.name, s.campaign.conversion))
        .collect();
    Ok(tracking_kit(&settings, &campaigns))
}

/// The Tracking page's snippets: none while nothing was asked (the page's first visit, an
/// empty form), else [`tracking`] — whose answer for a half-filled form names every field.
pub async fn tracking_page(ctx: &Ctx, q: &TrackingQuery) -> Result<Option<TrackingKit>, Error> {
    ctx.require(Role::Viewer)?;
    if [&q.pixel_id, &q.measurement_id, &q.currency]
        .iter()
        .all(|v| v.trim().is_empty())
    {
        return Ok(None);
    }
    tracking(ctx, q).await.map(Some)
}

/// Validates a batch in the Conversions API's shape (at most 1,000 events, as the API takes),
/// against the server's clock. Nothing is sent or stored.
pub fn validate_capi(ctx: &Ctx, events: &[serde_json::Value]) -> Result<Validation, Error> {
    ctx.require(Role::Viewer)?;
    if events.len() > MAX_EVENTS_PER_CALL {
        return Err(Error::too_many(
            Field::Events,
            format!(
                "{} events: the Conversions API takes at most {MAX_EVENTS_PER_CALL} per call; split the batch",
                events.len()
            ),
        ));
    }
    // Each event is an object (the API's schema says so); what is inside is reported per event.
    if let Some(i) = events.iter().position(|e| !e.is_object()) {
        return Err(Error::invalid(vec![Notice::new(
            Code::NotAllowed,
            Field::Events,
            format!(
                "event {i} is not a JSON object: each event is {{id, type, timestamp_ms, data, …}} as the Conversions API takes it"
            ),
        )]));
    }
    let checked = capi::check_all(capi::from_json(events), ctx.now_ms());
    Ok(Validation::of(&checked))
}
