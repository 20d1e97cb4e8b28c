//! The measurement kit beyond UTMs: the OpenAI ads pixel's snippets, Conversions API (CAPI)
//! events, the "How did you first hear about us?" survey and first-touch memory — as OpenAI's
//! developer documentation for ads describes them (developers.openai.com/ads: measurement-pixel,
//! image-tag, supported-events, conversions-api; summarised in `shared/openai-ads.md`). Where
//! older third-party guides differ (a `pixel.js` script, `init` with a string, `oai-px-` ids,
//! props without `type`, a bare array to the CAPI), this follows OpenAI's documentation.
//!
//! Every value that lands in a snippet is validated here first ([`TrackingSettings::new`]) and
//! then written through an escaper for the context it lands in ([`js_string`],
//! [`template_literal`]): a pixel id with `"</script>` is refused, and could not break out if
//! it were not.

use crate::notice::{Code, Field, Notice};
use serde::{Deserialize, Serialize};

pub mod capi;
pub mod snippets;

pub use snippets::*;

/// The custom event the survey's answer is sent as, when it is sent to the pixel too
/// (`oaiq("measure", "custom", {type: "custom"}, {custom_event_name: …})`).
pub const SURVEY_PIXEL_EVENT: &str = "survey_response";
/// Where the Pixel SDK is loaded from.
pub const PIXEL_SCRIPT_URL: &str = "https://bzrcdn.openai.com/sdk/oaiq.min.js";
/// Where the SDK and the image tag send events (CSP `connect-src` and `img-src`).
pub const PIXEL_EVENTS_ORIGIN: &str = "https://bzr.openai.com";
/// The image tag's endpoint (the no-JavaScript fallback).
pub const IMAGE_TAG_URL: &str = "https://bzr.openai.com/v1/sdk/events";
/// The origin the SDK is loaded from (CSP `script-src`).
pub const PIXEL_SCRIPT_ORIGIN: &str = "https://bzrcdn.openai.com";
/// The first-party cookie that holds the first touch, and how long it lives.
pub const FIRST_TOUCH_COOKIE: &str = "utmforge_ft";
pub const FIRST_TOUCH_DAYS: u32 = 30;
/// The first-party cookie that keeps the latest ad click's `oppref` (OpenAI's attribution id,
/// which a server-side conversion needs), and the query parameter OpenAI appends to ad clicks.
pub const OPPREF_COOKIE: &str = "utmforge_oppref";
pub const OPPREF_PARAM: &str = "oppref";
/// The currency when none is set.
pub const DEFAULT_CURRENCY: &str = "USD";
/// Longest pixel id and measurement id accepted.
pub const MAX_PIXEL_ID: usize = 64;
pub const MAX_MEASUREMENT_ID: usize = 24;

/// The settings every snippet is built from, each validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrackingSettings {
    /// The Pixel ID from the conversions tab of Ads Manager (an opaque string).
    pub pixel_id: String,
    /// `G-…`, or none when GA4 is installed some other way (Google Tag Manager).
    pub measurement_id: Option<String>,
    /// ISO 4217, upper case.
    pub currency: String,
    /// `init` with `debug: true`: the SDK logs what it does to the browser console (while
    /// testing the installation).
    #[serde(default)]
    pub debug: bool,
    /// Ask for consent first: `oaiq("consent", false)` before `init`, and a call that grants
    /// it once the visitor agrees.
    #[serde(default)]
    pub consent: bool,
}

impl TrackingSettings {
    /// Validates the three settings; every problem is reported, each naming its field. An
    /// empty measurement id means none; an empty currency means [`DEFAULT_CURRENCY`]. Both
    /// options start off.
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
                    debug: false,
                    consent: false,
                })
            }
            _ => Err(problems),
        }
    }

    /// The same settings with the Tracking page's two options.
    pub fn with_options(self, debug: bool, consent: bool) -> TrackingSettings {
        TrackingSettings {
            debug,
            consent,
            ..self
        }
    }
}

fn shown(input: &str) -> String {
    crate::notice::clip(input.trim(), 80)
}

/// A pixel id as OpenAI issues it: an opaque string (the documentation's example is
/// `134534...`; ids seen in use are 22 letters and digits). Taken: 1–64 letters, digits, `-`
/// or `_` — enough for any id OpenAI issues, nothing that could break out of a snippet.
pub fn pixel_id_of(input: &str) -> Result<String, Notice> {
    let id = input.trim();
    let ok = !id.is_empty()
        && id.len() <= MAX_PIXEL_ID
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(id.to_string())
    } else if id.is_empty() {
        Err(Notice::new(
            Code::Required,
            Field::PixelId,
            "the pixel id is empty: copy it from the conversions tab of Ads Manager",
        ))
    } else {
        Err(Notice::new(
            Code::InvalidPixelId,
            Field::PixelId,
            format!(
                "“{}” is not an OpenAI ads pixel id: copy it from the conversions tab of Ads Manager (letters, digits, - or _, at most {MAX_PIXEL_ID} characters)",
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

/// Currencies whose minor unit is not the hundredth (ISO 4217's exponent): none (0) or the
/// thousandth (3). Every other currency of [`CURRENCIES`] has 2.
const EXPONENT_0: &[&str] = &[
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV",
    "XAF", "XOF", "XPF",
];
const EXPONENT_3: &[&str] = &["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];

/// The number of decimals of a currency's minor unit (ISO 4217): JPY 0, USD 2, KWD 3.
pub fn currency_exponent(code: &str) -> u32 {
    if EXPONENT_0.contains(&code) {
        0
    } else if EXPONENT_3.contains(&code) {
        3
    } else {
        2
    }
}

/// A human amount (`149.00`, `129.99`, `1500`) as an integer in the currency's minor unit
/// (14900, 12999; JPY 1500): exact decimal arithmetic, no floating point. Refused: a negative
/// amount, more decimals than the currency has (`1.234` USD), anything that is not a number.
pub fn minor_units(amount: &str, currency: &str) -> Result<i64, String> {
    let s = amount.trim();
    let exponent = currency_exponent(currency) as usize;
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !digits(whole) || !digits(fraction) {
        return Err(format!(
            "“{}” is not an amount: give a number ≥ 0 with a dot for decimals (149.00)",
            shown(s)
        ));
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > exponent {
        return Err(format!(
            "“{}” has more decimals than {currency} has ({exponent})",
            shown(s)
        ));
    }
    let text = format!("{whole}{fraction:0<exponent$}");
    let text = text.trim_start_matches('0');
    if text.is_empty() {
        return Ok(0);
    }
    text.parse::<i64>()
        .map_err(|_| format!("“{}” is too large an amount", shown(s)))
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
        assert!(EXPONENT_0
            .iter()
            .chain(EXPONENT_3)
            .all(|c| CURRENCIES.contains(c)));
    }

    #[test]
    fn amounts_become_integers_in_the_currencys_minor_unit() {
        assert_eq!(minor_units("149.00", "USD"), Ok(14900));
        assert_eq!(minor_units("129.99", "USD"), Ok(12999));
        assert_eq!(minor_units("0.1", "EUR"), Ok(10));
        assert_eq!(minor_units("1500", "JPY"), Ok(1500));
        assert_eq!(minor_units("1500.0", "JPY"), Ok(1500));
        assert_eq!(minor_units("1.5", "KWD"), Ok(1500));
        assert_eq!(minor_units("0", "USD"), Ok(0));
        assert_eq!(minor_units(".5", "USD"), Ok(50));
        for bad in [
            "",
            ".",
            "-1",
            "1,5",
            "1e3",
            "1.234",
            "abc",
            "99999999999999999999",
        ] {
            assert!(minor_units(bad, "USD").is_err(), "{bad}");
        }
        assert!(minor_units("1.5", "JPY").is_err());
    }
}
