//! Link history: which URL each creative carried when. The writers record it (creatives,
//! campaigns, imports, settings); this answers "which links were live on day D" and starts the
//! history of creatives written before it was kept.

use crate::documents::File;
use crate::{heavy, Ctx, Error};
use std::collections::HashMap;
use utmforge_core::account::Role;
use utmforge_core::history::{day_bounds, history_csv, history_filename};
use utmforge_core::views::LinkPeriod;

/// Every URL that was current at some moment of the UTC day `day` (`YYYY-MM-DD`; anything else
/// is 422 `invalid-date` naming the field `date`), by campaign, variant and time.
pub async fn live_on(ctx: &Ctx, day: &str) -> Result<Vec<LinkPeriod>, Error> {
    ctx.require(Role::Viewer)?;
    let (start, end) = day_bounds(day).map_err(|e| Error::invalid(vec![e]))?;
    Ok(ctx.store.links_live_between(start, end).await?)
}

/// [`live_on`] as a CSV file.
pub async fn live_on_csv(ctx: &Ctx, day: &str) -> Result<File, Error> {
    let periods = live_on(ctx, day).await?;
    let bytes = heavy(move || history_csv(&periods)).await?;
    Ok(File {
        filename: history_filename(day),
        content_type: "text/csv; charset=utf-8",
        bytes,
    })
}

/// Gives every creative that has no current URL in the history (written before it was kept)
/// its URL now, since the last time its campaign, the creative or the team's rules changed:
/// the URL was certainly live from then (earlier, the history does not say). Runs when a
/// server starts; several instances at once record each URL once. Returns how many started.
pub async fn start_history(ctx: &Ctx) -> Result<usize, Error> {
    let stored = ctx.store.team_rules().await?;
    let mut campaigns = HashMap::new();
    let (mut started, mut after) = (0, String::new());
    // A thousand at a time: memory stays small however many creatives there are.
    loop {
        let missing = ctx
            .store
            .creatives_without_current_link(&after, 1_000)
            .await?;
        let Some(last) = missing.last() else {
            return Ok(started);
        };
        after = last.id.clone();
        let mut links = Vec::new();
        for creative in missing {
            if !campaigns.contains_key(&creative.campaign_id) {
                let campaign = ctx.store.get_campaign(&creative.campaign_id).await?;
                campaigns.insert(creative.campaign_id.clone(), campaign);
            }
            let campaign = &campaigns[&creative.campaign_id];
            if let Some(url) = creative.live_url(campaign, &stored.rules) {
                let since = creative
                    .updated_at
                    .max(campaign.updated_at)
                    .max(stored.updated_at);
                links.push((creative.id, url, since));
            }
        }
        started += ctx.store.start_link_history(&links).await?;
    }
}
