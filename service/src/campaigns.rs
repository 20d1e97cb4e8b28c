//! Campaigns: list, read, create, change, delete.

use crate::{heavy, Ctx, Error};
use utmforge_core::account::Role;
use utmforge_core::activity::{
    campaign_fields, empty_like, valid_campaign_fields, Action, NewEntry,
};
use utmforge_core::campaign::live_link_refusal;
use utmforge_core::listing::{CampaignFilter, CampaignQuery, Cursor, MAX_LIMIT};
use utmforge_core::rules::TeamRules;
use utmforge_core::views::{CampaignList, CampaignPage, CampaignPatch, CampaignRow, Problems};
use utmforge_core::{Campaign, CampaignDraft, CampaignStatus, ValidCampaign};
use utmforge_store::{Author, CampaignSummary, StoreError};

/// Most campaigns one answer of the "with problems" filter looks through before it answers
/// with what it found so far (and a cursor to look further).
pub const MAX_PROBLEM_SCAN: usize = 5_000;

/// A page of the campaigns list: `filter` (search, status, medium, conversion, changed since,
/// order, page size, cursor; each refused value named, 422), and, with `problems_only`, only
/// campaigns whose links have problems (each row then says which: see [`Problems`]). Each row
/// says what its ChatGPT ads cost over the last 30 days.
pub async fn list(
    ctx: &Ctx,
    filter: &CampaignFilter,
    problems_only: bool,
) -> Result<CampaignList, Error> {
    ctx.require(Role::Viewer)?;
    let mut list = list_without_spend(ctx, filter, problems_only).await?;
    let ids: Vec<String> = list.items.iter().map(|r| r.campaign.id.clone()).collect();
    let now = ctx.now_ms();
    let spend = ctx
        .store
        .campaign_spend(
            &ids,
            &utmforge_core::time::date(now - 29 * 86_400_000),
            &utmforge_core::time::date(now),
        )
        .await?;
    for row in &mut list.items {
        row.spend_30_days_micros = spend.get(&row.campaign.id).copied();
    }
    Ok(list)
}

/// [`list`] without the spend.
async fn list_without_spend(
    ctx: &Ctx,
    filter: &CampaignFilter,
    problems_only: bool,
) -> Result<CampaignList, Error> {
    let query = filter.query().map_err(Error::invalid)?;
    if !problems_only {
        let page = ctx.store.campaigns_page(&query).await?;
        return Ok(CampaignList {
            items: page
                .items
                .into_iter()
                .map(|s| CampaignRow {
                    campaign: s.campaign,
                    creative_count: s.creative_count,
                    spend_30_days_micros: None,
                    problems: None,
                })
                .collect(),
            next_cursor: page.next.map(|c| c.encode()),
            prev_cursor: page.prev.map(|c| c.encode()),
        });
    }
    let rules = ctx.rules().await?;
    let broken = ctx.store.broken_creatives().await?;
    let ads = std::sync::Arc::new(ctx.store.ad_states().await?);
    let backward = query.cursor.as_ref().is_some_and(|c| c.backward);
    let mut scan = CampaignQuery {
        limit: MAX_LIMIT,
        ..query.clone()
    };
    // Nearest the cursor first.
    let mut found: Vec<CampaignRow> = Vec::new();
    let (mut scanned, mut more) = (0, true);
    while found.len() < query.limit && more && scanned < MAX_PROBLEM_SCAN {
        let page = ctx.store.campaigns_page(&scan).await?;
        more = if backward {
            page.prev.is_some()
        } else {
            page.next.is_some()
        };
        let mut items = page.items;
        if backward {
            items.reverse();
        }
        let ids: Vec<String> = items.iter().map(|s| s.campaign.id.clone()).collect();
        let by_campaign = ctx.store.creatives_of(&ids).await?;
        let (rules, broken, ads) = (rules.clone(), broken.clone(), ads.clone());
        let checked: Vec<(CampaignSummary, Problems)> = heavy(move || {
            items
                .into_iter()
                .map(|s| {
                    let creatives = by_campaign
                        .get(&s.campaign.id)
                        .map(Vec::as_slice)
                        .unwrap_or_default();
                    let p = Problems::of(
                        &s.campaign,
                        creatives,
                        &rules,
                        |id| broken.contains(id),
                        |id| ads.get(id).map(|(u, r)| (u.as_deref(), r.as_deref())),
                    );
                    (s, p)
                })
                .collect()
        })
        .await?;
        for (i, (s, p)) in checked.iter().enumerate() {
            scanned += 1;
            scan.cursor = Some(Cursor::at(
                query.sort,
                &s.campaign,
                s.creative_count,
                backward,
            ));
            if p.any() {
                found.push(CampaignRow {
                    campaign: s.campaign.clone(),
                    creative_count: s.creative_count,
                    spend_30_days_micros: None,
                    problems: Some(*p),
                });
                if found.len() == query.limit {
                    more = more || i + 1 < checked.len();
                    break;
                }
            }
        }
    }
    if backward {
        found.reverse();
    }
    let at = |row: &CampaignRow, back: bool| {
        Cursor::at(query.sort, &row.campaign, row.creative_count, back).encode()
    };
    // Going on from the last campaign looked at (not the last one found), so that the next
    // answer does not look through the same ones again.
    let onward = scan.cursor.as_ref().map(|c| {
        Cursor {
            backward,
            ..c.clone()
        }
        .encode()
    });
    let (next_cursor, prev_cursor) = if backward {
        (
            found.last().map(|r| at(r, false)),
            more.then_some(onward).flatten(),
        )
    } else {
        (
            more.then_some(onward).flatten(),
            query
                .cursor
                .as_ref()
                .and(found.first())
                .map(|r| at(r, true)),
        )
    };
    Ok(CampaignList {
        items: found,
        next_cursor,
        prev_cursor,
    })
}

/// The campaign whose utm_campaign (or id) is `slug_or_id` (the command line names campaigns
/// by their slug).
pub async fn find(ctx: &Ctx, slug_or_id: &str) -> Result<Campaign, Error> {
    ctx.require(Role::Viewer)?;
    ctx.campaign_named(slug_or_id).await
}

/// Campaign `id` with how many creatives it has (no creative is read).
pub async fn row(ctx: &Ctx, id: &str) -> Result<CampaignRow, Error> {
    ctx.require(Role::Viewer)?;
    let s = ctx.store.campaign_summary(id).await?;
    Ok(CampaignRow {
        campaign: s.campaign,
        creative_count: s.creative_count,
        spend_30_days_micros: None,
        problems: None,
    })
}

pub async fn get(ctx: &Ctx, id: &str) -> Result<Campaign, Error> {
    ctx.require(Role::Viewer)?;
    Ok(ctx.store.get_campaign(id).await?)
}

/// A campaign with every creative and the URL each carries.
pub async fn page(ctx: &Ctx, id: &str) -> Result<CampaignPage, Error> {
    page_matching(ctx, id, None).await
}

/// A campaign with the creatives `search` finds in their variant name, topic or URL (letter
/// case ignored; none or empty: all).
pub async fn page_matching(
    ctx: &Ctx,
    id: &str,
    search: Option<&str>,
) -> Result<CampaignPage, Error> {
    ctx.require(Role::Viewer)?;
    ctx.campaign_page(id, search).await
}

/// Campaign `id` with the team's rules and how many creatives it has (`matching`), but none of
/// them: what its edit pages need, without loading a thousand creatives to show one form.
pub async fn head(ctx: &Ctx, id: &str) -> Result<CampaignPage, Error> {
    ctx.require(Role::Viewer)?;
    let row = ctx.store.campaign_summary(id).await?;
    let rules = ctx.rules().await?;
    Ok(CampaignPage {
        matching: usize::try_from(row.creative_count).unwrap_or_default(),
        ..CampaignPage::new(row.campaign, Vec::new(), rules)
    })
}

/// Page `page` (1-based; [`utmforge_core::views::CREATIVES_PER_PAGE`] creatives each) of the
/// creatives `search` finds: what the campaign page shows.
pub async fn page_showing(
    ctx: &Ctx,
    id: &str,
    search: Option<&str>,
    page: usize,
) -> Result<CampaignPage, Error> {
    let mut found = page_matching(ctx, id, search).await?;
    // The ads still carrying an older URL (a live-link change since the last publish).
    found.ads_drifted = ctx
        .store
        .ad_links(id)
        .await?
        .iter()
        .filter(|l| {
            found.creatives.iter().any(|k| {
                k.creative.id == l.creative_id
                    && utmforge_core::ads::AdSync::of(k.url.as_deref(), l.target_url.as_deref())
                        == utmforge_core::ads::AdSync::Drifted
            })
        })
        .count();
    Ok(found.paged(page))
}

pub async fn create(ctx: &Ctx, draft: CampaignDraft) -> Result<Campaign, Error> {
    let author = ctx.require(Role::Editor)?;
    let rules = ctx.rules().await?;
    let valid = draft.validate_with(&rules).map_err(Error::invalid)?;
    let after = valid_campaign_fields(&valid);
    let entry =
        NewEntry::new(Action::CampaignCreated, &valid.name).changes(&empty_like(&after), &after);
    Ok(ctx.store.create_campaign(&valid, &author, entry).await?)
}

/// Replaces every field of campaign `id`, if it is still at `version`.
/// Once the campaign is active, a change that alters a live URL needs `confirm_live_change`
/// (else 409 `live-link-change` listing the URLs); the entry records old and new URLs.
pub async fn update(
    ctx: &Ctx,
    id: &str,
    version: i64,
    draft: CampaignDraft,
    confirm_live_change: bool,
) -> Result<Campaign, Error> {
    let author = ctx.require(Role::Editor)?;
    let rules = ctx.rules().await?;
    let valid = draft.validate_with(&rules).map_err(Error::invalid)?;
    let current = ctx.store.get_campaign(id).await?;
    save(
        ctx,
        &author,
        &rules,
        current,
        version,
        valid,
        confirm_live_change,
    )
    .await
}

/// Changes the fields `patch` gives, if the campaign is still at `version`.
pub async fn patch(
    ctx: &Ctx,
    id: &str,
    version: i64,
    patch: CampaignPatch,
    confirm_live_change: bool,
) -> Result<Campaign, Error> {
    let author = ctx.require(Role::Editor)?;
    let current = ctx.store.get_campaign(id).await?;
    let rules = ctx.rules().await?;
    let valid = patch
        .onto(current.draft())
        .validate_with(&rules)
        .map_err(Error::invalid)?;
    save(
        ctx,
        &author,
        &rules,
        current,
        version,
        valid,
        confirm_live_change,
    )
    .await
}

/// Writes `valid` over `current` (update's and patch's last step), if it is still at `version`.
async fn save(
    ctx: &Ctx,
    author: &Author,
    rules: &TeamRules,
    current: Campaign,
    version: i64,
    valid: ValidCampaign,
    confirm_live_change: bool,
) -> Result<Campaign, Error> {
    let id = current.id.as_str();
    if current.version != version {
        return Err(StoreError::stale("campaign").into());
    }
    // Every creative's URL is built from the campaign: a new slug, medium, topic or landing
    // URL changes the links that are live in ads, and the entry says which.
    let after = valid.saved_over(&current);
    let mut entry = NewEntry::new(Action::CampaignChanged, &current.name)
        .campaign(id)
        .subject_id(id)
        .changes(&campaign_fields(&current), &valid_campaign_fields(&valid));
    let mut changes = Vec::new();
    let mut links = Vec::new();
    for creative in ctx.store.list_creatives(id).await? {
        let (before, now) = (
            creative.live_url(&current, rules),
            creative.live_url(&after, rules),
        );
        entry = entry.url(&creative.variant, before.clone(), now.clone());
        links.push((creative.id, now.clone()));
        changes.push((creative.variant, before, now));
    }
    if let Some(refusal) = live_link_refusal(&current, &changes, confirm_live_change) {
        return Err(Error::conflict(refusal));
    }
    Ok(ctx
        .store
        .update_campaign(id, version, &valid, author, entry, &links)
        .await?)
}

/// Moves campaign `id` and its creatives to the trash (restorable for 30 days), if it is still
/// at `version` (any change to the campaign or one of its creatives raises it: what was
/// confirmed is what is deleted).
pub async fn delete(ctx: &Ctx, id: &str, version: i64) -> Result<(), Error> {
    let author = ctx.require(Role::Editor)?;
    let current = ctx.store.get_campaign(id).await?;
    if current.version != version {
        return Err(StoreError::stale("campaign").into());
    }
    let rules = ctx.rules().await?;
    let before = campaign_fields(&current);
    let mut entry = NewEntry::new(Action::CampaignDeleted, &current.name)
        .campaign(id)
        .subject_id(id)
        .changes(&before, &empty_like(&before));
    for creative in ctx.store.list_creatives(id).await? {
        entry = entry.url(&creative.variant, creative.live_url(&current, &rules), None);
    }
    Ok(ctx
        .store
        .trash_campaign(id, version, &author, entry)
        .await?)
}

/// The utm_campaign a name (or an explicit slug) gives, for the live preview.
pub fn preview_slug(name: &str, slug: &str) -> Option<String> {
    utmforge_core::campaign_slug(name, slug).ok()
}

/// Clones campaign `id`: a new campaign named `name` (its `utm_campaign` from `slug`, else from
/// the name), status Draft, with a copy of every creative and their links computed for it, in
/// one transaction. A creative the team's rules would now refuse is named (422) and nothing is
/// created.
pub async fn clone(ctx: &Ctx, id: &str, name: &str, slug: &str) -> Result<Campaign, Error> {
    let author = ctx.require(Role::Editor)?;
    let source = ctx.store.get_campaign(id).await?;
    let rules = ctx.rules().await?;
    let draft = CampaignDraft {
        name: name.to_string(),
        slug: slug.to_string(),
        status: CampaignStatus::Draft.as_str().into(),
        ..source.draft()
    };
    let valid = draft.validate_with(&rules).map_err(Error::invalid)?;
    let new_id = utmforge_store::new_id();
    let campaign = valid.saved_over(&Campaign::stub(&new_id));
    let mut creatives = Vec::new();
    let mut errors = Vec::new();
    for k in ctx.store.list_creatives(id).await? {
        match k.draft().validate_with(&campaign, &rules) {
            Ok(v) => creatives.push(v),
            Err(e) => errors.extend(k.naming(e)),
        }
    }
    if !errors.is_empty() {
        return Err(Error::invalid(errors));
    }
    let after = valid_campaign_fields(&valid);
    let entry = NewEntry::new(Action::CampaignCloned, &valid.name)
        .changes(&empty_like(&after), &after)
        .change("cloned from", "", &source.name)
        .change("creatives", "", &creatives.len().to_string());
    Ok(ctx
        .store
        .create_campaign_with(&new_id, &valid, &creatives, &author, entry)
        .await?)
}
