//! GA4 cost data: the CSV file GA4's Data Import takes for a data source of type **Cost data**
//! (support.google.com/analytics/answer/10071305, "Import cost data"), summed from the ChatGPT
//! ads results utmforge keeps.
//!
//! What Google documents: the key fields are *Campaign source*, *Campaign medium* and *Date*
//! (required) and *Campaign ID* and *Campaign name* (optional); the metrics are the daily cost,
//! clicks and impressions; Campaign ID, source, medium and name must match the links'
//! `utm_id`, `utm_source`, `utm_medium` and `utm_campaign`. Which column is which is chosen by
//! the person once, when the data source is created (field mapping); later files of the same
//! source (a manual upload again, or SFTP) must keep the same header.
//!
//! What utmforge chooses where the stored pages say no more (README, docs/chatgpt-ads.md):
//! one header row `campaign_id,campaign_name,source,medium,date,impressions,clicks,cost`, the
//! date as `YYYY-MM-DD` (the ad account's day), cost in major units with a dot and up to six
//! decimals, no currency column (GA4 reads cost in the property's currency), UTF-8, comma,
//! one row per `utm_id`, source, medium and day — a campaign's creatives summed. Content and
//! term are left out: Google names no such key for cost data, and a key GA4 does not take
//! would make the upload fail; per creative results are in the Results file.

use crate::ads::insights::exact_amount;
use crate::campaign::utm_id_of;
use crate::medium::{BuyingModel, UTM_SOURCE};
use serde::{Deserialize, Serialize};

/// The cost data file's header, in order.
pub const COST_COLUMNS: [&str; 8] = [
    "campaign_id",
    "campaign_name",
    "source",
    "medium",
    "date",
    "impressions",
    "clicks",
    "cost",
];

/// One campaign's ChatGPT ads results on one day: its ads' rows summed, unknown values left
/// out of a sum (`None` when no ad's value was known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignDay {
    /// utmforge's id of the campaign (its `utm_id` is derived from it).
    pub campaign_id: String,
    /// The campaign's `utm_campaign`.
    pub slug: String,
    pub medium: BuyingModel,
    /// `YYYY-MM-DD`, the ad account's day.
    pub day: String,
    pub impressions: Option<i64>,
    pub clicks: Option<i64>,
    /// Millionths of the ad account's currency.
    pub spend_micros: Option<i64>,
}

/// Why there is no cost data file while links do not carry `utm_id`.
pub const NO_UTM_ID: &str =
    "Links do not carry utm_id, and GA4 matches cost data on it: switch on \
“Links carry utm_id” in Settings, publish the changed links to the ads, and import the cost \
of the days after that";

/// The file's rows (header first), by day then `utm_id`; a campaign day whose spend is not
/// known yet is left out (GA4 would read it as no cost).
pub fn cost_rows(days: &[CampaignDay]) -> Vec<[String; 8]> {
    let mut kept: Vec<(String, &CampaignDay)> = days
        .iter()
        .filter(|d| d.spend_micros.is_some())
        .map(|d| (utm_id_of(&d.campaign_id), d))
        .collect();
    kept.sort_by(|(a, x), (b, y)| (&x.day, a).cmp(&(&y.day, b)));
    let int = |x: Option<i64>| x.map_or_else(String::new, |v| v.to_string());
    let mut rows = vec![COST_COLUMNS.map(String::from)];
    rows.extend(kept.into_iter().map(|(id, d)| {
        [
            id,
            d.slug.clone(),
            UTM_SOURCE.to_string(),
            d.medium.utm_medium().to_string(),
            d.day.clone(),
            int(d.impressions),
            int(d.clicks),
            exact_amount(d.spend_micros.unwrap_or_default(), 2),
        ]
    }));
    rows
}

/// The cost data file: [`cost_rows`] as CSV (UTF-8, comma, `\n`). Every value is a slug, an
/// id, a day or a number, so no cell can start a spreadsheet formula.
pub fn cost_csv(days: &[CampaignDay]) -> Vec<u8> {
    let rows = cost_rows(days);
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    for row in rows {
        let _ = writer.write_record(&row);
    }
    writer.into_inner().unwrap_or_default()
}

/// `chatgpt-ads-cost-data-2026-11-01-2026-11-30.csv`.
pub fn cost_filename(from: &str, to: &str) -> String {
    format!("chatgpt-ads-cost-data-{from}-{to}.csv")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(id: &str, slug: &str, day: &str, spend: Option<i64>) -> CampaignDay {
        CampaignDay {
            campaign_id: id.into(),
            slug: slug.into(),
            medium: BuyingModel::Cpc,
            day: day.into(),
            impressions: Some(1000),
            clicks: None,
            spend_micros: spend,
        }
    }

    #[test]
    fn rows_go_by_day_then_utm_id_and_a_day_without_known_spend_is_left_out() {
        let days = [
            day("b", "beta", "2026-11-02", Some(1_000_000)),
            day("a", "alpha", "2026-11-02", None),
            day("a", "alpha", "2026-11-01", Some(2_500_000)),
        ];
        let rows = cost_rows(&days);
        assert_eq!(
            rows.len(),
            3,
            "alpha's 2nd, whose spend is unknown, is left out"
        );
        assert!(!rows.iter().any(|r| r[1] == "alpha" && r[4] == "2026-11-02"));
        assert_eq!(rows[0].join(","), COST_COLUMNS.join(","));
        assert_eq!(rows[1][0], utm_id_of("a"));
        assert_eq!(rows[1][4], "2026-11-01");
        assert_eq!(rows[1][7], "2.50");
        assert_eq!(rows[1][6], "", "unknown clicks stay an empty cell");
        assert_eq!(rows[2][1], "beta");
        assert_eq!(&rows[2][2..4], ["chatgpt", "cpc"]);
    }
}
