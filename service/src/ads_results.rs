//! Results of ChatGPT ads (issue 33): pulling each linked ad's daily results from OpenAI's
//! Insights API and keeping them, and a campaign's results per creative over a date range.
//! Viewers read and may pull (pulling changes nothing but the copy of OpenAI's numbers).

use crate::ads::{api_error, client, linked_group};
use crate::{Ctx, Error, ErrorKind};
use std::collections::HashMap;
use utmforge_core::account::Role;
use utmforge_core::ads::insights::{
    by_spend, days_between, days_to_keep, window_start, AdDay, CampaignResults, CreativeResults,
    DayResults, Pulled, ResultsPage, Totals, FIRST_PULL_DAYS, REPULL_DAYS, RESULTS_PER_PAGE,
};
use utmforge_core::{Code, Field, Notice};

/// Reads campaign `campaign_id`'s linked ads' daily results (90 days back on the first pull,
/// then the last two days again: spend is finalized later) and keeps them, a day read again
/// replacing the one kept.
pub async fn pull(ctx: &Ctx, campaign_id: &str) -> Result<Pulled, Error> {
    ctx.require(Role::Viewer)?;
    ctx.store.get_campaign(campaign_id).await?;
    let link = linked_group(ctx, campaign_id).await?;
    let api = client(ctx)?;
    let links = ctx.store.ad_links(campaign_id).await?;
    let days = match ctx.store.insights_pulled_at(campaign_id).await? {
        None => FIRST_PULL_DAYS,
        Some(_) => REPULL_DAYS,
    };
    let rows = api
        .insights(&link.ad_group_id, ctx.now_ms(), days)
        .await
        .map_err(|e| api_error(e, Field::Ad))?;
    let ads: Vec<String> = links.iter().map(|l| l.ad_id.clone()).collect();
    let start = window_start(ctx.now_ms(), days);
    let kept: Vec<(String, _)> = days_to_keep(&rows, &ads, start)
        .into_iter()
        .filter_map(|d| {
            let link = links.iter().find(|l| l.ad_id == d.ad_id)?;
            Some((link.creative_id.clone(), d))
        })
        .collect();
    let rows = ctx
        .store
        .save_ad_days(campaign_id, &kept, ctx.now_ms())
        .await?;
    Ok(Pulled {
        campaign_id: campaign_id.to_string(),
        days,
        rows,
    })
}

/// Pulls every linked campaign's results, if this instance (`holder`) takes the `ads-insights`
/// lease for `every_ms` (another instance holds it: `None`). A campaign no longer linked or
/// gone is passed over.
pub async fn pull_all(ctx: &Ctx, holder: &str, every_ms: i64) -> Result<Option<usize>, Error> {
    ctx.require(Role::Owner)?;
    client(ctx)?;
    let now = ctx.now_ms();
    if !ctx
        .store
        .take_lease("ads-insights", holder, now, now + every_ms)
        .await?
    {
        return Ok(None);
    }
    let campaigns = ctx.store.ads_linked_campaigns().await?;
    for id in &campaigns {
        match pull(ctx, id).await {
            Ok(_) => {}
            Err(e) if matches!(e.kind, ErrorKind::NotFound | ErrorKind::Invalid) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Some(campaigns.len()))
}

/// The campaign's results per creative from `from` to `to` (`YYYY-MM-DD`, the ad account's
/// days, inclusive; absent: the last 30 days), with totals and rates.
pub async fn results(
    ctx: &Ctx,
    campaign_id: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<CampaignResults, Error> {
    Ok(read_results(ctx, campaign_id, from, to, true).await?.1)
}

/// Days a range may span (a results table, a chart, a cost data file).
pub const MAX_RANGE_DAYS: usize = 400;

/// The range `from`–`to` (`YYYY-MM-DD`, inclusive) checked: absent ends make the last 30 days
/// (UTC); a day written otherwise, `from` after `to` or more than [`MAX_RANGE_DAYS`] days are
/// refused, naming the `date` field.
fn range(ctx: &Ctx, from: Option<&str>, to: Option<&str>) -> Result<(String, String), Error> {
    let now = ctx.now_ms();
    let to = to
        .map(String::from)
        .unwrap_or_else(|| utmforge_core::time::date(now));
    let from = from
        .map(String::from)
        .unwrap_or_else(|| utmforge_core::time::date(now - 29 * 86_400_000));
    let refuse =
        |message: String| Error::invalid(vec![Notice::new(Code::NotAllowed, Field::Date, message)]);
    for (name, value) in [("from", &from), ("to", &to)] {
        if !utmforge_core::time::is_day(value) {
            return Err(refuse(format!(
                "{name} must be a day written YYYY-MM-DD, not “{}”",
                value.chars().take(40).collect::<String>()
            )));
        }
    }
    if from > to {
        return Err(refuse(format!("from ({from}) is after to ({to})")));
    }
    let day_ms = |d: &str| {
        utmforge_core::time::parse_timestamp(&format!("{d}T00:00:00Z")).unwrap_or_default()
    };
    if (day_ms(&to) - day_ms(&from)) / 86_400_000 + 1 > MAX_RANGE_DAYS as i64 {
        return Err(refuse(format!(
            "from {from} to {to} is more than {MAX_RANGE_DAYS} days: choose a shorter range"
        )));
    }
    Ok((from, to))
}

/// [`results`], with the campaign it read; each creative's days only `with_days` (the sums
/// come from the database either way).
async fn read_results(
    ctx: &Ctx,
    campaign_id: &str,
    from: Option<&str>,
    to: Option<&str>,
    with_days: bool,
) -> Result<(utmforge_core::Campaign, CampaignResults), Error> {
    ctx.require(Role::Viewer)?;
    let (from, to) = range(ctx, from, to)?;
    let campaign = ctx.store.get_campaign(campaign_id).await?;
    let creatives = ctx.store.list_creatives(campaign_id).await?;
    let links = ctx.store.ad_links(campaign_id).await?;
    let sums = ctx.store.results_totals(campaign_id, &from, &to).await?;
    let mut by_creative: HashMap<String, Totals> = sums.by_creative.into_iter().collect();
    let by_day: HashMap<String, Totals> = sums.by_day.into_iter().collect();
    let mut days_of: HashMap<String, Vec<AdDay>> = HashMap::new();
    if with_days {
        for (creative, day) in ctx.store.ad_days(campaign_id, &from, &to).await? {
            days_of.entry(creative).or_default().push(day);
        }
    }
    // The campaign's totals are its days' (a creative deleted after its ad ran still spent).
    let mut all = Totals::default();
    by_day.values().for_each(|t| all.merge(t));
    let creatives = creatives
        .into_iter()
        .map(|k| {
            let totals = by_creative.remove(&k.id).unwrap_or_default();
            CreativeResults {
                ad_id: links
                    .iter()
                    .find(|l| l.creative_id == k.id)
                    .map(|l| l.ad_id.clone()),
                rates: totals.rates(),
                totals,
                days: days_of.remove(&k.id).unwrap_or_default(),
                creative_id: k.id,
                variant: k.variant,
            }
        })
        .collect();
    let daily = days_between(&from, &to)
        .into_iter()
        .map(|day| DayResults {
            totals: by_day.get(&day).cloned().unwrap_or_default(),
            day,
        })
        .collect();
    let results = CampaignResults {
        campaign_id: campaign_id.to_string(),
        pulled_at: sums.pulled_at,
        rates: all.rates(),
        totals: all,
        creatives,
        daily,
        from,
        to,
    };
    Ok((campaign, results))
}

/// A campaign's Results tab: [`results`] with the ad account's currency (read now; none when
/// the server is not connected).
pub async fn page(
    ctx: &Ctx,
    campaign_id: &str,
    from: Option<&str>,
    to: Option<&str>,
    page: usize,
) -> Result<ResultsPage, Error> {
    let (campaign, mut results) = read_results(ctx, campaign_id, from, to, false).await?;
    let creatives = results.creatives.len();
    let pages = creatives.div_ceil(RESULTS_PER_PAGE).max(1);
    let start = (page.clamp(1, pages) - 1) * RESULTS_PER_PAGE;
    by_spend(&mut results.creatives);
    results.creatives = std::mem::take(&mut results.creatives)
        .into_iter()
        .skip(start)
        .take(RESULTS_PER_PAGE)
        .collect();
    Ok(ResultsPage {
        campaign,
        results,
        currency: currency(ctx).await?,
        today: utmforge_core::time::date(ctx.now_ms()),
        creatives,
        start,
    })
}

/// The ad account's currency, read now (none when the server is not connected).
async fn currency(ctx: &Ctx) -> Result<Option<String>, Error> {
    Ok(crate::ads::connection(ctx)
        .await?
        .account
        .and_then(|a| a.currency_code))
}

/// The results file of a range: a row per creative and day
/// (`spring-sale-results-FROM-TO.csv`).
pub async fn export_csv(
    ctx: &Ctx,
    campaign_id: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<crate::documents::File, Error> {
    let (campaign, results) = read_results(ctx, campaign_id, from, to, true).await?;
    Ok(crate::documents::File {
        filename: format!(
            "{}-results-{}-{}.csv",
            campaign.slug, results.from, results.to
        ),
        content_type: "text/csv; charset=utf-8",
        bytes: utmforge_core::export::results_csv(&results, currency(ctx).await?.as_deref()),
    })
}

/// The GA4 cost data file (`chatgpt-ads-cost-data-FROM-TO.csv`, see [`utmforge_core::ga4::cost_csv`])
/// of every campaign's ChatGPT ads results from `from` to `to`. Refused (field `id`) while the
/// team's links do not carry `utm_id`: GA4 would match no session.
pub async fn cost_data(
    ctx: &Ctx,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<crate::documents::File, Error> {
    ctx.require(Role::Viewer)?;
    let (from, to) = range(ctx, from, to)?;
    if !ctx.rules().await?.utm_id {
        return Err(Error::invalid(vec![Notice::new(
            Code::NotAllowed,
            Field::Id,
            utmforge_core::ga4::NO_UTM_ID,
        )]));
    }
    let days = ctx.store.campaign_days(&from, &to).await?;
    Ok(crate::documents::File {
        filename: utmforge_core::ga4::cost_filename(&from, &to),
        content_type: "text/csv; charset=utf-8",
        bytes: utmforge_core::ga4::cost_csv(&days),
    })
}
