//! Campaign exports for spreadsheets and ad platforms: the columns, the cells that must be
//! neutralized so that a spreadsheet never runs them as a formula, and the file names.

use crate::campaign::{Campaign, Creative};
use crate::notice::write_notices_cell;
use crate::rules::TeamRules;

/// The columns of every export, one row per creative.
pub const EXPORT_COLUMNS: [&str; 15] = [
    "campaign",
    "utm_campaign",
    "utm_medium",
    "status",
    "conversion",
    "variant",
    "utm_content",
    "utm_term",
    "landing_url",
    "tagged_url",
    "warnings",
    "error",
    "headline",
    "description",
    "notes",
];

/// A cell a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return) gets a leading `'`, which spreadsheets show as text (OWASP's advice for CSV
/// injection). Everything else is unchanged.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// One campaign's rows (without the header), cells already neutralized, with the URLs the
/// team's `rules` give.
pub fn campaign_rows(
    campaign: &Campaign,
    creatives: &[Creative],
    rules: &TeamRules,
) -> Vec<Vec<String>> {
    creatives
        .iter()
        .map(|k| {
            let (url, warnings, error) = match k.tagged_url(campaign, rules) {
                Ok(t) => {
                    let mut warnings = String::new();
                    write_notices_cell(&mut warnings, &t.warnings);
                    (t.url, warnings, String::new())
                }
                Err(e) => (String::new(), String::new(), e.to_string()),
            };
            let term = k.topic.clone().or_else(|| campaign.topic.clone());
            [
                campaign.name.as_str(),
                &campaign.slug,
                campaign.buying_model.utm_medium(),
                campaign.status.as_str(),
                campaign.conversion.as_str(),
                &k.variant,
                &k.content,
                term.as_deref().unwrap_or(""),
                k.landing_url.as_deref().unwrap_or(&campaign.landing_url),
                &url,
                &warnings,
                &error,
                &k.headline,
                &k.description,
                &k.notes,
            ]
            .iter()
            .map(|c| neutralize(c).into_owned())
            .collect()
        })
        .collect()
}

/// A whole export file: the header, then `rows` (already neutralized), as CSV bytes.
pub fn to_csv(rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    csv_part(rows, true)
}

/// A part of an export file (a streamed one is written part by part): the header first when
/// `header`, then `rows` (already neutralized), as CSV bytes.
pub fn csv_part(rows: impl IntoIterator<Item = Vec<String>>, header: bool) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    if header {
        let _ = writer.write_record(EXPORT_COLUMNS);
    }
    for row in rows {
        let _ = writer.write_record(&row);
    }
    writer.into_inner().unwrap_or_default()
}

/// The columns of the ChatGPT ads results file: one row per creative and day.
pub const RESULTS_COLUMNS: [&str; 9] = [
    "day",
    "creative",
    "ad_id",
    "impressions",
    "clicks",
    "spend",
    "conversions",
    "attributed_sales",
    "currency",
];

/// The results file: a row per creative and day (by creative, then day), money in major units
/// with six decimals (exact), an unknown number an empty cell, cells a spreadsheet would run
/// neutralized.
pub fn results_csv(
    results: &crate::ads::insights::CampaignResults,
    currency: Option<&str>,
) -> Vec<u8> {
    let exact =
        |m: Option<i64>| m.map_or_else(String::new, |m| crate::ads::insights::exact_amount(m, 6));
    let int = |x: Option<i64>| x.map_or_else(String::new, |v| v.to_string());
    let rows = results.creatives.iter().flat_map(|k| {
        k.days.iter().map(move |d| {
            [
                d.day.clone(),
                k.variant.clone(),
                d.ad_id.clone(),
                int(d.impressions),
                int(d.clicks),
                exact(d.spend_micros),
                d.conversions.map_or_else(String::new, |c| c.to_string()),
                exact(d.sales_micros),
                currency.unwrap_or_default().to_string(),
            ]
            .iter()
            .map(|c| neutralize(c).into_owned())
            .collect::<Vec<String>>()
        })
    });
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(RESULTS_COLUMNS);
    for row in rows {
        let _ = writer.write_record(&row);
    }
    writer.into_inner().unwrap_or_default()
}

/// `spring-sale-2025-creatives-2026-11-26.csv`.
pub fn campaign_filename(campaign: &Campaign, now_ms: i64) -> String {
    format!("{}-creatives-{}.csv", campaign.slug, date(now_ms))
}

/// `utmforge-campaigns-2026-11-26.csv`.
pub fn all_campaigns_filename(now_ms: i64) -> String {
    format!("utmforge-campaigns-{}.csv", date(now_ms))
}

pub use crate::time::date;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralized_and_others_kept() {
        for (cell, out) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-50% off", "'-50% off"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("spring-sale", "spring-sale"),
            ("https://example.com/?a=-1", "https://example.com/?a=-1"),
            ("", ""),
        ] {
            assert_eq!(neutralize(cell), out);
        }
    }

    #[test]
    fn dates_are_utc_days() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400_000), "2000-02-29");
        assert_eq!(date(1_795_000_000_000), "2026-11-18");
    }
}
