//! Link history: which URL each creative carried when. The day an export asks about, and the
//! export's columns (for reconciling clicks counted by the ads manager with GA4 sessions).

use crate::ads::insights::{AdDay, Totals};
use crate::export::neutralize;
use crate::notice::{clip, Code, Field, Notice};
use crate::time::{format_ms, parse_timestamp};
use crate::views::LinkPeriod;

const DAY_MS: i64 = 86_400_000;

/// The UTC day `YYYY-MM-DD` as `[start, end)` in Unix milliseconds.
pub fn day_bounds(day: &str) -> Result<(i64, i64), Notice> {
    let d = day.trim();
    let shaped = d.len() == 10
        && d.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let start = shaped
        .then(|| parse_timestamp(&format!("{d}T00:00:00Z")).ok())
        .flatten()
        .filter(|ms| format_ms(*ms).starts_with(d));
    match start {
        Some(start) => Ok((start, start + DAY_MS)),
        None => Err(Notice::new(
            Code::InvalidDate,
            Field::Date,
            format!(
                "“{}” is not a day: give one as YYYY-MM-DD, such as 2026-11-26 (a UTC day)",
                clip(d, 40)
            ),
        )),
    }
}

/// Adds each day of a creative's results (`days`) to the period of `periods` that was live at
/// noon UTC that day: what each URL received. A day before the first period or in none is
/// left out.
pub fn add_results(periods: &mut [LinkPeriod], days: &[AdDay]) {
    for d in days {
        let Ok((start, _)) = day_bounds(&d.day) else {
            continue;
        };
        let noon = start + DAY_MS / 2;
        if let Some(p) = periods
            .iter_mut()
            .find(|p| p.from <= noon && p.to.is_none_or(|to| noon < to))
        {
            p.results.get_or_insert_with(Totals::default).add(d);
        }
    }
}

/// The columns of the "live on a day" export: one row per URL that was current at some moment
/// of the day (a creative changed that day has two).
pub const HISTORY_COLUMNS: [&str; 7] = [
    "campaign",
    "variant",
    "url",
    "live_from",
    "live_to",
    "creative_id",
    "campaign_id",
];

/// `periods` as CSV (header first), times in ISO 8601 UTC, `live_to` empty while current, cells
/// a spreadsheet would run neutralized.
pub fn history_csv(periods: &[LinkPeriod]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(HISTORY_COLUMNS);
    for p in periods {
        let to = p.to.map(format_ms).unwrap_or_default();
        let _ = writer.write_record(
            [
                p.campaign.as_str(),
                &p.variant,
                &p.url,
                &format_ms(p.from),
                &to,
                &p.creative_id,
                &p.campaign_id,
            ]
            .map(|c| neutralize(c).into_owned()),
        );
    }
    writer.into_inner().unwrap_or_default()
}

/// `utmforge-links-live-2026-11-26.csv`.
pub fn history_filename(day: &str) -> String {
    format!("utmforge-links-live-{}.csv", day.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_utc_and_strict() {
        assert_eq!(
            day_bounds("2026-11-26"),
            Ok((1_795_651_200_000, 1_795_651_200_000 + DAY_MS))
        );
        assert_eq!(day_bounds(" 2024-02-29 ").unwrap().0, 1_709_164_800_000);
        for bad in [
            "",
            "2026-11-31",
            "2025-02-29",
            "2026-13-01",
            "26-11-2026",
            "2026/11/26",
            "2026-11-26T00:00:00Z",
            "yesterday",
            "２０２６-11-26",
        ] {
            let e = day_bounds(bad).unwrap_err();
            assert_eq!((e.code, e.field), (Code::InvalidDate, Field::Date), "{bad}");
        }
    }

    #[test]
    fn each_day_of_results_counts_for_the_url_live_at_noon_utc() {
        let (day1, _) = day_bounds("2026-11-01").unwrap();
        let period = |url: &str, from: i64, to: Option<i64>| LinkPeriod {
            creative_id: "k1".into(),
            campaign_id: "c1".into(),
            campaign: "Spring".into(),
            variant: "Hero".into(),
            url: url.into(),
            from,
            to,
            results: None,
        };
        // The URL changed on the 2nd at 10:00 UTC (before noon: the 2nd is the new URL's).
        let change = day1 + DAY_MS + 10 * 3_600_000;
        let mut periods = [
            period("new", change, None),
            period("old", day1 - DAY_MS, Some(change)),
        ];
        let day = |d: &str, clicks, spend| AdDay {
            ad_id: "ad_1".into(),
            day: d.into(),
            impressions: None,
            clicks: Some(clicks),
            spend_micros: spend,
            conversions: None,
            sales_micros: None,
        };
        add_results(
            &mut periods,
            &[
                day("2026-11-01", 10, Some(1_000_000)),
                day("2026-11-02", 20, None),
                day("2026-11-03", 30, Some(3_000_000)),
                day("2026-10-01", 99, Some(9_000_000)),
            ],
        );
        let old = periods[1].results.clone().unwrap();
        assert_eq!((old.clicks, old.spend_micros), (Some(10), Some(1_000_000)));
        let new = periods[0].results.clone().unwrap();
        assert_eq!((new.clicks, new.spend_micros), (Some(50), Some(3_000_000)));
    }

    #[test]
    fn the_export_has_iso_times_and_no_formulas() {
        let p = LinkPeriod {
            creative_id: "k1".into(),
            campaign_id: "c1".into(),
            campaign: "=HYPERLINK(\"x\")".into(),
            variant: "Hero".into(),
            url: "https://example.com/?utm_source=chatgpt".into(),
            from: 1_795_651_200_000,
            to: None,
            results: None,
        };
        let csv = String::from_utf8(history_csv(&[p])).unwrap();
        assert_eq!(
            csv,
            "campaign,variant,url,live_from,live_to,creative_id,campaign_id\n\"'=HYPERLINK(\"\"x\"\")\",Hero,https://example.com/?utm_source=chatgpt,2026-11-26T00:00:00.000Z,,k1,c1\n"
        );
    }
}
