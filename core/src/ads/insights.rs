//! Results per ad and day from OpenAI's Insights API (`GET /ad_groups/{id}/insights`,
//! developers.openai.com/ads/api-reference/insights; `../shared/openai-ads.md` §6): what utmforge
//! asks for, how a row reads, and the day rows it keeps. `None` is "unknown" (the API's `null`:
//! not available yet, e.g. spend before it is finalized), never zero.
//!
//! Days are the ad account's: rows are daily buckets in the account's time zone, named by
//! `readable_time`. utmforge asks for a window of Unix seconds ending now (`unix_range`: no time
//! zone arithmetic here, and never a window in the future), two days longer than the days it
//! keeps: the account's day in which the window starts may be cut, and it is the UTC day of the
//! start or the one before or after (time zones run from UTC−12 to UTC+14), so only the days
//! after the UTC day following the start are kept.

use serde::{Deserialize, Serialize};
use serde_json::json;

/// Rows one page asks for (`limit`, 1–2,000).
pub const INSIGHTS_PAGE: usize = 2_000;
/// The metrics asked for (`fields[]`), for the row's ad.
pub const FIELDS: [&str; 7] = [
    "ad.id",
    "ad.impressions",
    "ad.clicks",
    "ad.spend",
    "ad.conversions",
    "ad.order_created_attributed_sales",
    "metadata.readable_time",
];
/// Days a first pull reaches back (then each pull re-reads the last ones: spend is finalized
/// later, so a day read again replaces what was kept).
pub const FIRST_PULL_DAYS: i64 = 90;
/// Days a later pull reads again (today and yesterday in any time zone).
pub const REPULL_DAYS: i64 = 2;

/// A row as the API answers it: flattened keys (`ad.id` → `ad_id`), numbers or `null`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct InsightRow {
    #[serde(default)]
    pub ad_id: Option<String>,
    #[serde(default)]
    pub readable_time: Option<String>,
    #[serde(default)]
    pub impressions: Option<f64>,
    #[serde(default)]
    pub clicks: Option<f64>,
    /// Major units of the account's currency (12.50 = USD 12.50), not micros.
    #[serde(default)]
    pub spend: Option<f64>,
    #[serde(default)]
    pub conversions: Option<f64>,
    #[serde(default)]
    pub order_created_attributed_sales: Option<f64>,
}

/// One ad's results on one day of the account's calendar, as kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdDay {
    pub ad_id: String,
    /// `YYYY-MM-DD`, in the ad account's time zone.
    pub day: String,
    pub impressions: Option<i64>,
    pub clicks: Option<i64>,
    /// Spend in millionths of the account's currency (exact sums; 12.50 → 12,500,000).
    pub spend_micros: Option<i64>,
    pub conversions: Option<f64>,
    /// Attributed `order_created` sales, in millionths of the currency.
    pub sales_micros: Option<i64>,
}

/// The largest money amount kept (in major units): beyond it a value is not a real spend.
const MAX_AMOUNT: f64 = 1e12;

fn count(x: Option<f64>) -> Option<i64> {
    x.filter(|v| v.is_finite() && *v >= 0.0 && *v < 1e15)
        .map(|v| v.round() as i64)
}

fn micros(x: Option<f64>) -> Option<i64> {
    x.filter(|v| v.is_finite() && v.abs() < MAX_AMOUNT)
        .map(|v| (v * 1e6).round() as i64)
}

impl InsightRow {
    /// The day row, when the row names its ad and a day (`readable_time` starts `YYYY-MM-DD`).
    pub fn to_day(&self) -> Option<AdDay> {
        let ad_id = self
            .ad_id
            .clone()
            .filter(|id| !id.is_empty() && id.len() <= 200)?;
        let day = self.readable_time.as_deref()?.get(..10)?;
        crate::time::is_day(day).then(|| AdDay {
            ad_id,
            day: day.to_string(),
            impressions: count(self.impressions),
            clicks: count(self.clicks),
            spend_micros: micros(self.spend),
            conversions: self.conversions.filter(|v| v.is_finite() && *v >= 0.0),
            sales_micros: micros(self.order_created_attributed_sales),
        })
    }
}

/// Where the window of a pull of `days` ending at `now_ms` starts (Unix seconds): two days
/// more than kept (see the module).
pub fn window_start(now_ms: i64, days: i64) -> i64 {
    now_ms.div_euclid(1000) - (days + 2) * 86_400
}

/// The query of one insights request for ad group rows of each ad, daily, over the `days`
/// before `now_ms` (and the page after `after`).
pub fn query(now_ms: i64, days: i64, after: Option<&str>) -> Vec<(&'static str, String)> {
    let end = now_ms.div_euclid(1000);
    let start = window_start(now_ms, days);
    let mut q = vec![
        ("aggregation_level", "ad".to_string()),
        ("time_granularity", "daily".to_string()),
        (
            "time_ranges[]",
            json!({"type": "unix_range", "start": start, "end": end}).to_string(),
        ),
        ("limit", INSIGHTS_PAGE.to_string()),
    ];
    q.extend(FIELDS.iter().map(|f| ("fields[]", f.to_string())));
    if let Some(after) = after {
        q.push(("after", after.to_string()));
    }
    q
}

/// The day rows to keep of what a pull whose window started at `start` (Unix seconds) read:
/// each row of `ads` with a day after the UTC day following `start` (earlier ones may be cut).
pub fn days_to_keep(rows: &[InsightRow], ads: &[String], start: i64) -> Vec<AdDay> {
    let last_unsure = crate::time::date((start + 86_400) * 1000);
    let mut kept: Vec<AdDay> = rows
        .iter()
        .filter_map(InsightRow::to_day)
        .filter(|d| ads.contains(&d.ad_id) && d.day > last_unsure)
        .collect();
    kept.sort_by(|a, b| (&a.ad_id, &a.day).cmp(&(&b.ad_id, &b.day)));
    kept.dedup_by(|a, b| a.ad_id == b.ad_id && a.day == b.day);
    kept
}

/// Sums over days. A metric that no day knows stays unknown; one that some days know is the
/// sum of those (the Results tab says how many days are pulled).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Totals {
    pub impressions: Option<i64>,
    pub clicks: Option<i64>,
    pub spend_micros: Option<i64>,
    pub conversions: Option<f64>,
    pub sales_micros: Option<i64>,
}

fn plus<T: std::ops::Add<Output = T> + Copy>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    }
}

impl Totals {
    pub fn add(&mut self, d: &AdDay) {
        self.merge(&Totals {
            impressions: d.impressions,
            clicks: d.clicks,
            spend_micros: d.spend_micros,
            conversions: d.conversions,
            sales_micros: d.sales_micros,
        });
    }

    pub fn merge(&mut self, o: &Totals) {
        self.impressions = plus(self.impressions, o.impressions);
        self.clicks = plus(self.clicks, o.clicks);
        self.spend_micros = plus(self.spend_micros, o.spend_micros);
        self.conversions = plus(self.conversions, o.conversions);
        self.sales_micros = plus(self.sales_micros, o.sales_micros);
    }

    /// The rates these totals give: unknown when a part is unknown or the divisor is zero.
    pub fn rates(&self) -> Rates {
        let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) if b > 0.0 => Some(a / b),
            _ => None,
        };
        let f = |x: Option<i64>| x.map(|v| v as f64);
        Rates {
            ctr: ratio(f(self.clicks), f(self.impressions)),
            cpc_micros: ratio(f(self.spend_micros), f(self.clicks)).map(|v| v.round() as i64),
            cpa_micros: ratio(f(self.spend_micros), self.conversions).map(|v| v.round() as i64),
            roas: ratio(f(self.sales_micros), f(self.spend_micros)),
        }
    }
}

/// Rates from totals: CTR (0.04 = 4 %), cost per click and per conversion (millionths of the
/// currency), return on ad spend (attributed sales / spend).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rates {
    pub ctr: Option<f64>,
    pub cpc_micros: Option<i64>,
    pub cpa_micros: Option<i64>,
    pub roas: Option<f64>,
}

/// One creative's results in a date range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreativeResults {
    pub creative_id: String,
    pub variant: String,
    /// The linked ad (none: the creative has no ad, so no results).
    pub ad_id: Option<String>,
    pub totals: Totals,
    pub rates: Rates,
    pub days: Vec<AdDay>,
}

/// A campaign's results in a date range (`from`–`to`, the ad account's days).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignResults {
    pub campaign_id: String,
    pub from: String,
    pub to: String,
    /// When results were last pulled from OpenAI (Unix ms; none: never).
    pub pulled_at: Option<i64>,
    pub creatives: Vec<CreativeResults>,
    pub totals: Totals,
    pub rates: Rates,
    /// Every day of the range, the creatives summed (a day without results has unknown
    /// totals): the Results tab's chart.
    pub daily: Vec<DayResults>,
}

/// One day of a campaign's results, its creatives summed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayResults {
    /// `YYYY-MM-DD`, the ad account's day.
    pub day: String,
    pub totals: Totals,
}

/// A campaign's Results tab: the campaign, its results in the range (each creative's totals and
/// the daily sums; the creatives' own days are left out — the results file has them), and the
/// ad account's currency (none: not connected now).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultsPage {
    pub campaign: crate::Campaign,
    /// One page of the creatives ([`RESULTS_PER_PAGE`]), the most spend first; the totals and
    /// the daily sums are the whole campaign's.
    pub results: CampaignResults,
    pub currency: Option<String>,
    /// Today (UTC, `YYYY-MM-DD`): where the "last N days" ranges end.
    pub today: String,
    /// How many creatives the campaign has.
    pub creatives: usize,
    /// The position of the first creative shown (0: the first).
    pub start: usize,
}

/// Creatives the Results tab shows at a time (as the campaign page: 1,000 rows are a page of
/// half a megabyte that nobody reads).
pub const RESULTS_PER_PAGE: usize = 100;

impl ResultsPage {
    /// How many pages the creatives fill (at least 1).
    pub fn pages(&self) -> usize {
        self.creatives.div_ceil(RESULTS_PER_PAGE).max(1)
    }

    /// The page shown (1-based).
    pub fn page(&self) -> usize {
        self.start / RESULTS_PER_PAGE + 1
    }
}

/// The creatives in the Results tab's order: the most spend first, an unknown spend last, then
/// by name.
pub fn by_spend(creatives: &mut [CreativeResults]) {
    creatives.sort_by(|a, b| {
        b.totals
            .spend_micros
            .unwrap_or(-1)
            .cmp(&a.totals.spend_micros.unwrap_or(-1))
            .then_with(|| a.variant.cmp(&b.variant))
    });
}

/// Millionths of a currency as the amount people read: `12.50` (two decimals, rounded half
/// away from zero).
pub fn money(micros: i64) -> String {
    let cents = (micros as i128 * 100 + if micros < 0 { -500_000 } else { 500_000 }) / 1_000_000;
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.abs();
    format!("{sign}{}.{:02}", cents / 100, cents % 100)
}

/// Millionths of a currency in major units, exact (a file's amount), with at least
/// `min_decimals` decimals (at most 6): `exact_amount(12_500_000, 2)` → `12.50`,
/// `exact_amount(1_234_567, 2)` → `1.234567`, `exact_amount(2_500_000, 6)` → `2.500000`.
pub fn exact_amount(micros: i64, min_decimals: usize) -> String {
    let sign = if micros < 0 { "-" } else { "" };
    let (units, frac) = (
        micros.unsigned_abs() / 1_000_000,
        micros.unsigned_abs() % 1_000_000,
    );
    let mut decimals = format!("{frac:06}");
    while decimals.len() > min_decimals && decimals.ends_with('0') {
        decimals.pop();
    }
    format!("{sign}{units}.{decimals}")
}

/// A ratio as a percentage with one decimal: `2.5 %`.
pub fn percent(ratio: f64) -> String {
    format!("{:.1} %", ratio * 100.0)
}

/// Every day from `from` to `to` (`YYYY-MM-DD`, inclusive; at most 400), for a chart's axis.
pub fn days_between(from: &str, to: &str) -> Vec<String> {
    let start = crate::time::parse_timestamp(&format!("{from}T00:00:00Z"));
    let end = crate::time::parse_timestamp(&format!("{to}T00:00:00Z"));
    match (start, end) {
        (Ok(s), Ok(e)) if s <= e => (0..=((e - s) / 86_400_000).min(399))
            .map(|k| crate::time::date(s + k * 86_400_000))
            .collect(),
        _ => Vec::new(),
    }
}

/// What one pull did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pulled {
    pub campaign_id: String,
    /// Days read back (90 on the first pull, then the last 2).
    pub days: i64,
    /// Day rows kept (new or replaced).
    pub rows: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(ad: &str, day: &str, spend: Option<f64>) -> InsightRow {
        InsightRow {
            ad_id: Some(ad.into()),
            readable_time: Some(day.into()),
            impressions: Some(1200.0),
            clicks: Some(30.0),
            spend,
            ..InsightRow::default()
        }
    }

    #[test]
    fn a_row_keeps_null_as_unknown_and_money_in_exact_micros() {
        let d = row("ad_1", "2026-11-20", Some(12.5)).to_day().unwrap();
        assert_eq!(
            (d.spend_micros, d.impressions, d.clicks),
            (Some(12_500_000), Some(1200), Some(30))
        );
        assert_eq!((d.conversions, d.sales_micros), (None, None));
        assert_eq!(
            row("ad_1", "2026-11-20", None)
                .to_day()
                .unwrap()
                .spend_micros,
            None
        );
        // 0.1 + 0.2 as micros is exact.
        let a = row("a", "2026-11-20", Some(0.1))
            .to_day()
            .unwrap()
            .spend_micros
            .unwrap();
        let b = row("a", "2026-11-20", Some(0.2))
            .to_day()
            .unwrap()
            .spend_micros
            .unwrap();
        assert_eq!(a + b, 300_000);
        assert!(row("a", "Nov 20", Some(1.0)).to_day().is_none());
        assert_eq!(
            row("a", "2026-11-20", Some(f64::NAN))
                .to_day()
                .unwrap()
                .spend_micros,
            None
        );
    }

    #[test]
    fn the_days_a_window_may_cut_are_not_kept_and_other_ads_are_ignored() {
        // The window starts on 2026-11-17 (UTC): its local day may be the 16th, 17th or 18th.
        let start = crate::time::parse_timestamp("2026-11-17T06:00:00Z").unwrap() / 1000;
        let rows = [
            row("ad_1", "2026-11-18", Some(1.0)),
            row("ad_1", "2026-11-19", Some(2.0)),
            row("ad_2", "2026-11-19", Some(3.0)),
            row("ad_9", "2026-11-19", Some(4.0)),
        ];
        let kept = days_to_keep(&rows, &["ad_1".into(), "ad_2".into()], start);
        let keys: Vec<(&str, &str)> = kept
            .iter()
            .map(|d| (d.ad_id.as_str(), d.day.as_str()))
            .collect();
        assert_eq!(keys, [("ad_1", "2026-11-19"), ("ad_2", "2026-11-19")]);
    }

    #[test]
    fn totals_keep_unknown_apart_from_zero_and_rates_need_both_parts() {
        let mut t = Totals::default();
        t.add(&row("a", "2026-11-19", None).to_day().unwrap());
        assert_eq!((t.spend_micros, t.clicks), (None, Some(30)));
        assert_eq!(t.rates().cpc_micros, None, "spend unknown: no CPC");
        t.add(&row("a", "2026-11-20", Some(15.0)).to_day().unwrap());
        let r = t.rates();
        assert_eq!(
            (t.spend_micros, r.cpc_micros),
            (Some(15_000_000), Some(250_000))
        );
        assert_eq!(r.ctr, Some(60.0 / 2400.0));
        assert_eq!((r.cpa_micros, r.roas), (None, None));
    }

    #[test]
    fn money_and_days_read_as_people_write_them() {
        assert_eq!(money(12_500_000), "12.50");
        assert_eq!(money(4_999), "0.00");
        assert_eq!(money(5_000), "0.01");
        assert_eq!(money(-1_234_567), "-1.23");
        assert_eq!(percent(0.025), "2.5 %");
        assert_eq!(exact_amount(12_500_000, 2), "12.50");
        assert_eq!(exact_amount(1_234_567, 2), "1.234567");
        assert_eq!(exact_amount(0, 2), "0.00");
        assert_eq!(exact_amount(7, 2), "0.000007");
        assert_eq!(exact_amount(-2_000_000, 2), "-2.00");
        assert_eq!(exact_amount(2_500_000, 6), "2.500000");
        assert_eq!(
            days_between("2026-02-27", "2026-03-02"),
            ["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]
        );
        assert!(days_between("2026-03-02", "2026-02-27").is_empty());
    }

    #[test]
    fn the_query_asks_for_daily_ad_rows_over_a_window_ending_now() {
        let q = query(1_795_651_200_000 + 86_400_000, 2, Some("row_9"));
        let get = |k: &str| {
            q.iter()
                .filter(|(n, _)| *n == k)
                .map(|(_, v)| v.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(get("aggregation_level"), ["ad"]);
        assert_eq!(
            get("time_ranges[]"),
            [r#"{"end":1795737600,"start":1795392000,"type":"unix_range"}"#]
        );
        assert_eq!(get("fields[]").len(), FIELDS.len());
        assert_eq!(get("after"), ["row_9"]);
    }
}
