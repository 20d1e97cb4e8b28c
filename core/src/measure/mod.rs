//! The measurement kit beyond UTMs: the OpenAI ads pixel's snippets, Conversions API (CAPI)
//! events, the "How did you first hear about us?" survey and first-touch memory.
//!
//! Every value that lands in a snippet is validated here first ([`TrackingSettings::new`]) and
//! then written through an escaper for the context it lands in ([`js_string`],
//! [`template_literal`]): a pixel id with `"</script>` is refused, and could not break out if
//! it were not.
//!
//! Two details the ads documentation leaves open are named settings, here and nowhere else:
//! - [`PIXEL_EVENT_ID_PROP`]: the pixel call carries the deduplication id as this property of
//!   the event's props (`oaiq("measure", "order_created", {…, event_id: "…"})`).
//! - [`SURVEY_PIXEL_EVENT`]: the survey answer, when sent to the pixel too, is this event.

use crate::notice::{Code, Field, Notice};
use serde::{Deserialize, Serialize};

pub mod capi;
pub mod snippets;

pub use snippets::*;

/// The property of a pixel event's props that carries the event id shared with CAPI.
pub const PIXEL_EVENT_ID_PROP: &str = "event_id";
/// The pixel event the survey sends when "also send to the pixel" is switched on in its snippet.
pub const SURVEY_PIXEL_EVENT: &str = "survey_response";
/// Where the pixel library is loaded from.
pub const PIXEL_SCRIPT_URL: &str = "https://ads.openai.com/pixel.js";
/// The first-party cookie that holds the first touch, and how long it lives.
pub const FIRST_TOUCH_COOKIE: &str = "utmforge_ft";
pub const FIRST_TOUCH_DAYS: u32 = 30;
/// The currency when none is set.
pub const DEFAULT_CURRENCY: &str = "USD";
/// Longest pixel id and measurement id accepted.
pub const MAX_PIXEL_ID: usize = 64;
pub const MAX_MEASUREMENT_ID: usize = 24;

/// The settings every snippet is built from, each validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrackingSettings {
    /// `oai-px-…`.
    pub pixel_id: String,
    /// `G-…`, or none when GA4 is installed some other way (Google Tag Manager).
    pub measurement_id: Option<String>,
    /// ISO 4217, upper case.
    pub currency: String,
}

impl TrackingSettings {
    /// Validates the three settings; every problem is reported, each naming its field. An
    /// empty measurement id means none; an empty currency means [`DEFAULT_CURRENCY`].
    pub fn new(
        pixel_id: &str,
        measurement_id: &str,
        currency: &str,
    ) -> Result<TrackingSettings, Vec<Notice>> {
        let mut problems = Vec::new();
        let pixel = pixel_id_of(pixel_id).map_err(|n| problems.push(n)).ok();
        let measurement = if measurement_id.trim().is_empty() {
            Some(None)
        } else {
            measurement_id_of(measurement_id)
                .map(Some)
                .map_err(|n| problems.push(n))
                .ok()
        };
        let currency = if currency.trim().is_empty() {
            Some(DEFAULT_CURRENCY.to_string())
        } else {
            currency_of(currency).map_err(|n| problems.push(n)).ok()
        };
        match (pixel, measurement, currency) {
            (Some(pixel_id), Some(measurement_id), Some(currency)) if problems.is_empty() => {
                Ok(TrackingSettings {
                    pixel_id,
                    measurement_id,
                    currency,
                })
            }
            _ => Err(problems),
        }
    }
}

fn shown(input: &str) -> String {
    crate::notice::clip(input.trim(), 80)
}

/// A pixel id: `oai-px-` then 1–57 letters, digits, `-` or `_`.
pub fn pixel_id_of(input: &str) -> Result<String, Notice> {
    let id = input.trim();
    let rest = id.strip_prefix("oai-px-");
    let ok = rest.is_some_and(|r| {
        !r.is_empty()
            && id.len() <= MAX_PIXEL_ID
            && r.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    if ok {
        Ok(id.to_string())
    } else if id.is_empty() {
        Err(Notice::new(
            Code::Required,
            Field::PixelId,
            "the pixel id is empty: copy it from the ads manager (it starts with oai-px-)",
        ))
    } else {
        Err(Notice::new(
            Code::InvalidPixelId,
            Field::PixelId,
            format!(
                "“{}” is not an OpenAI ads pixel id: it starts with oai-px- followed by letters, digits, - or _ (at most {MAX_PIXEL_ID} characters)",
                shown(id)
            ),
        ))
    }
}

/// A GA4 measurement id: `G-` then letters or digits (upper-cased).
pub fn measurement_id_of(input: &str) -> Result<String, Notice> {
    let id = input.trim().to_ascii_uppercase();
    let ok = id.strip_prefix("G-").is_some_and(|r| {
        !r.is_empty()
            && id.len() <= MAX_MEASUREMENT_ID
            && r.bytes().all(|b| b.is_ascii_alphanumeric())
    });
    if ok {
        Ok(id)
    } else {
        Err(Notice::new(
            Code::InvalidMeasurementId,
            Field::MeasurementId,
            format!(
                "“{}” is not a GA4 measurement id: it is G- followed by letters and digits (Admin › Data streams › your web stream)",
                shown(input)
            ),
        ))
    }
}

/// An ISO 4217 currency code in use (upper-cased).
pub fn currency_of(input: &str) -> Result<String, Notice> {
    let code = input.trim().to_ascii_uppercase();
    if CURRENCIES.binary_search(&code.as_str()).is_ok() {
        Ok(code)
    } else {
        Err(Notice::new(
            Code::InvalidCurrency,
            Field::Currency,
            format!(
                "“{}” is not an ISO 4217 currency code (three letters such as USD, EUR, GBP)",
                shown(input)
            ),
        ))
    }
}

/// ISO 4217 codes of currencies in use, sorted.
pub const CURRENCIES: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN",
    "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF",
    "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP",
    "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD",
    "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY",
    "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD",
    "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK",
    "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK",
    "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG",
    "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS",
    "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES",
    "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
];

/// `s` as a JavaScript string literal that is also safe inside an HTML `<script>` element:
/// JSON quoting, and `<`, `>`, `&`, U+2028 and U+2029 as `\u` escapes (so `</script>` and
/// `<!--` cannot appear).
pub fn js_string(s: &str) -> String {
    let json = serde_json::to_string(s).expect("a string always serializes");
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// JavaScript `code` as the text of a template literal (`` `…` ``), as Next.js's `<Script>`
/// takes it: `\`, `` ` `` and `${` are escaped, so the literal's value is exactly `code`.
pub fn template_literal(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + 2);
    out.push('`');
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '`' => out.push_str("\\`"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            c => out.push(c),
        }
    }
    out.push('`');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currencies_are_sorted_and_unique() {
        assert!(CURRENCIES.windows(2).all(|w| w[0] < w[1]));
    }
}
