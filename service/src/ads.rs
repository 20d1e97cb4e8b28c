//! ChatGPT Ads: the connection, linking a campaign to a ChatGPT Ads campaign and ad group and
//! each creative to an ad, publishing creatives' URLs to their ads, and reading the ads back
//! (drift, review, serving issues). Viewers read; editors link and publish. The Advertiser API
//! is `ctx.ads` (none: the server has no key, and these use cases say so).

use crate::ads_api::{AdsClient, AdsError};
use crate::{Ctx, Error, ErrorKind};
use utmforge_core::account::Role;
use utmforge_core::activity::{Action, NewEntry};
use utmforge_core::ads::{
    creative_problems, propose, target_url_problem, Ad, AdChoice, AdGroup, AdLink, AdRow, AdSync,
    AdsCampaign, AdsPage, CampaignAds, CampaignLink, Connection, MatchCreative, PublishChange,
    PublishPlan,
};
use utmforge_core::views::CreativeWithUrl;
use utmforge_core::{Code, Field, Notice};

/// The Advertiser API, or why there is none.
fn client(ctx: &Ctx) -> Result<&AdsClient, Error> {
    ctx.ads.as_deref().ok_or_else(|| {
        Error::new(
            ErrorKind::Unavailable,
            "ads-not-connected",
            "this server is not connected to ChatGPT Ads: start it with OPENAI_ADS_API_KEY (or --ads-api-key-file) set to an Advertiser API key from Ads Manager › Settings",
        )
    })
}

/// An Advertiser API failure as the service's error: OpenAI's words, bounded.
fn api_error(e: AdsError, field: Field) -> Error {
    match e {
        AdsError::KeyRefused(m) => Error::new(ErrorKind::Unavailable, "ads-key-refused", m),
        AdsError::Unreachable(m) => Error {
            retry_after: Some(30),
            ..Error::new(ErrorKind::Unavailable, "ads-unreachable", m)
        },
        AdsError::NotFound(m) => Error::new(ErrorKind::NotFound, Code::NotFound.as_str(), m),
        AdsError::Refused(m) => Error::invalid(vec![Notice::new(Code::NotAllowed, field, m)]),
    }
}

/// Whether this server is connected, and to which ad account (`GET /ad_account`).
pub async fn connection(ctx: &Ctx) -> Result<Connection, Error> {
    ctx.require(Role::Viewer)?;
    let Some(client) = ctx.ads.as_deref() else {
        return Ok(Connection {
            state: "not-configured".into(),
            account: None,
            problem: Some(
                "no Advertiser API key on this server: set OPENAI_ADS_API_KEY (or --ads-api-key-file) and restart".into(),
            ),
        });
    };
    Ok(match client.account().await {
        Ok(account) => Connection {
            state: "connected".into(),
            account: Some(account),
            problem: None,
        },
        Err(AdsError::KeyRefused(m)) => Connection {
            state: "key-refused".into(),
            account: None,
            problem: Some(m),
        },
        Err(e) => Connection {
            state: "unreachable".into(),
            account: None,
            problem: Some(e.message().to_string()),
        },
    })
}

/// The ad account's ChatGPT Ads campaigns (to link one).
pub async fn ads_campaigns(ctx: &Ctx) -> Result<Vec<AdsCampaign>, Error> {
    ctx.require(Role::Viewer)?;
    client(ctx)?
        .campaigns()
        .await
        .map_err(|e| api_error(e, Field::AdsCampaign))
}

/// The ad groups of ChatGPT Ads campaign `ads_campaign_id`.
pub async fn ad_groups(ctx: &Ctx, ads_campaign_id: &str) -> Result<Vec<AdGroup>, Error> {
    ctx.require(Role::Viewer)?;
    client(ctx)?
        .ad_groups(ads_campaign_id)
        .await
        .map_err(|e| api_error(e, Field::AdGroup))
}

/// Links campaign `campaign_id` to a ChatGPT Ads campaign and one of its ad groups (both
/// looked up: an id that is not this account's, or an ad group of another campaign, is
/// refused naming the field).
pub async fn link_campaign(
    ctx: &Ctx,
    campaign_id: &str,
    ads_campaign_id: &str,
    ad_group_id: &str,
) -> Result<CampaignLink, Error> {
    let author = ctx.require(Role::Editor)?;
    let campaign = ctx.store.get_campaign(campaign_id).await?;
    let api = client(ctx)?;
    let campaigns = api
        .campaigns()
        .await
        .map_err(|e| api_error(e, Field::AdsCampaign))?;
    let Some(ads_campaign) = campaigns.into_iter().find(|c| c.id == ads_campaign_id) else {
        return Err(Error::invalid(vec![Notice::new(
            Code::NotFound,
            Field::AdsCampaign,
            format!(
                "no ChatGPT Ads campaign “{}” in this ad account",
                ads_campaign_id.chars().take(80).collect::<String>()
            ),
        )]));
    };
    let groups = api
        .ad_groups(&ads_campaign.id)
        .await
        .map_err(|e| api_error(e, Field::AdGroup))?;
    let Some(group) = groups.into_iter().find(|g| g.id == ad_group_id) else {
        return Err(Error::invalid(vec![Notice::new(
            Code::NotFound,
            Field::AdGroup,
            format!(
                "the ChatGPT Ads campaign “{}” has no ad group “{}”",
                ads_campaign.name,
                ad_group_id.chars().take(80).collect::<String>()
            ),
        )]));
    };
    let link = CampaignLink {
        campaign_id: campaign.id.clone(),
        ads_campaign_id: ads_campaign.id,
        ads_campaign_name: ads_campaign.name,
        ad_group_id: group.id,
        ad_group_name: group.name,
        linked_at: 0,
    };
    let entry = NewEntry::new(Action::AdsLinked, &campaign.name)
        .campaign(&campaign.id)
        .subject_id(&campaign.id)
        .change(
            "ChatGPT Ads ad group",
            "",
            &format!("{} › {}", link.ads_campaign_name, link.ad_group_name),
        );
    Ok(ctx.store.link_ads_campaign(&link, &author, entry).await?)
}

/// The creatives of a campaign with their URLs and their ad links.
async fn rows(ctx: &Ctx, campaign_id: &str) -> Result<(String, Vec<AdRow>), Error> {
    let page = ctx.campaign_page(campaign_id, None).await?;
    let links = ctx.store.ad_links(campaign_id).await?;
    let rows = page
        .creatives
        .into_iter()
        .map(|k: CreativeWithUrl| {
            let ad = links
                .iter()
                .find(|l| l.creative_id == k.creative.id)
                .cloned();
            let sync = match &ad {
                None => AdSync::NotLinked,
                Some(link) => AdSync::of(k.url.as_deref(), link.target_url.as_deref()),
            };
            AdRow {
                creative_id: k.creative.id,
                variant: k.creative.variant,
                url: k.url,
                ad,
                sync,
            }
        })
        .collect();
    Ok((page.campaign.slug, rows))
}

/// A campaign's ChatGPT Ads side: the link, each creative's ad and its state as last read, and
/// (read now from the API) the ad group's ads with the proposed matches for unlinked creatives.
pub async fn campaign_ads(ctx: &Ctx, campaign_id: &str) -> Result<CampaignAds, Error> {
    ctx.require(Role::Viewer)?;
    let link = ctx.store.ads_campaign_link(campaign_id).await?;
    let (slug, rows) = rows(ctx, campaign_id).await?;
    let mut view = CampaignAds {
        link,
        rows,
        ads: Vec::new(),
        proposals: Vec::new(),
        problem: None,
    };
    let Some(link) = &view.link else {
        return Ok(view);
    };
    let ads = match client(ctx) {
        Err(e) => {
            view.problem = Some(e.message);
            return Ok(view);
        }
        Ok(api) => match api.ads(&link.ad_group_id).await {
            Ok(ads) => ads,
            Err(e) => {
                view.problem = Some(e.message().to_string());
                return Ok(view);
            }
        },
    };
    let contents: Vec<(String, String)> = ctx
        .store
        .list_creatives(campaign_id)
        .await?
        .into_iter()
        .map(|k| (k.id, k.content))
        .collect();
    let content_of = |id: &str| {
        contents
            .iter()
            .find(|(k, _)| k == id)
            .map_or("", |(_, c)| c.as_str())
    };
    let unlinked: Vec<MatchCreative> = view
        .rows
        .iter()
        .filter(|r| r.ad.is_none())
        .map(|r| MatchCreative {
            id: &r.creative_id,
            variant: &r.variant,
            content: content_of(&r.creative_id),
            url: r.url.as_deref(),
        })
        .collect();
    let linked: Vec<&str> = view
        .rows
        .iter()
        .filter_map(|r| r.ad.as_ref().map(|a| a.ad_id.as_str()))
        .collect();
    let free: Vec<Ad> = ads
        .iter()
        .filter(|a| !linked.contains(&a.id.as_str()))
        .cloned()
        .collect();
    view.proposals = propose(&slug, &unlinked, &free);
    view.ads = ads
        .into_iter()
        .map(|a| AdChoice {
            id: a.id,
            name: a.name,
            target_url: a.creative.target_url,
        })
        .collect();
    Ok(view)
}

/// Sets which ad each creative is (`(creative id, ad id)`; an empty ad id unlinks): every ad
/// must be one of the linked ad group's, every creative this campaign's.
pub async fn link_ads(
    ctx: &Ctx,
    campaign_id: &str,
    pairs: &[(String, String)],
) -> Result<Vec<AdLink>, Error> {
    let author = ctx.require(Role::Editor)?;
    let campaign = ctx.store.get_campaign(campaign_id).await?;
    let Some(link) = ctx.store.ads_campaign_link(campaign_id).await? else {
        return Err(Error::invalid(vec![Notice::new(
            Code::Required,
            Field::AdGroup,
            "link this campaign to a ChatGPT Ads campaign and ad group first",
        )]));
    };
    let creatives = ctx.store.list_creatives(campaign_id).await?;
    let ads = client(ctx)?
        .ads(&link.ad_group_id)
        .await
        .map_err(|e| api_error(e, Field::Ad))?;
    let mut notices = Vec::new();
    let mut links = Vec::new();
    let mut entry = NewEntry::new(Action::AdsLinked, &campaign.name)
        .campaign(&campaign.id)
        .subject_id(&campaign.id);
    for (creative_id, ad_id) in pairs {
        let Some(creative) = creatives.iter().find(|k| &k.id == creative_id) else {
            notices.push(Notice::new(
                Code::NotFound,
                Field::Content,
                format!(
                    "no creative “{}” in this campaign",
                    creative_id.chars().take(80).collect::<String>()
                ),
            ));
            continue;
        };
        if ad_id.is_empty() {
            links.push((creative_id.clone(), String::new(), String::new()));
            entry = entry.change(&format!("ad of {}", creative.variant), "linked", "");
            continue;
        }
        match ads.iter().find(|a| &a.id == ad_id) {
            Some(ad) => {
                links.push((creative_id.clone(), ad.id.clone(), ad.name.clone()));
                entry = entry.change(
                    &format!("ad of {}", creative.variant),
                    "",
                    &format!("{} ({})", ad.name, ad.id),
                );
            }
            None => notices.push(Notice::new(
                Code::NotFound,
                Field::Ad,
                format!(
                    "no ad “{}” in the ad group {}",
                    ad_id.chars().take(80).collect::<String>(),
                    link.ad_group_name
                ),
            )),
        }
    }
    let mut seen = Vec::new();
    for (_, ad_id, _) in &links {
        if !ad_id.is_empty() && seen.contains(&ad_id) {
            notices.push(Notice::new(
                Code::Duplicate,
                Field::Ad,
                format!("the ad {ad_id} is given to two creatives: an ad is one creative's"),
            ));
        }
        seen.push(ad_id);
    }
    if !notices.is_empty() {
        return Err(Error::invalid(notices));
    }
    let saved = ctx
        .store
        .link_ads(campaign_id, &links, &author, entry)
        .await?;
    // What the ads carry now, so the page can say at once which are in sync.
    let reads: Vec<AdLink> = saved
        .into_iter()
        .map(|mut l| {
            if let Some(ad) = ads.iter().find(|a| a.id == l.ad_id) {
                l.read(ad, ctx.now_ms());
            }
            l
        })
        .collect();
    ctx.store.record_ad_reads(&reads, None).await?;
    Ok(reads)
}

/// Creates an ad for creative `creative_id` (not linked yet) in the linked ad group: the image
/// uploaded from `image_url` (`POST /upload`), then `POST /ads` — named after the variant,
/// **paused**, `target_url` the creative's URL — under an `Idempotency-Key` made of what is
/// sent, so a retried create (a lost answer, a second click) gives the same ad, never two. The
/// title and body follow the documented rules (checked first, named by field); the new ad is
/// linked to the creative and in the activity log.
pub async fn create_ad(
    ctx: &Ctx,
    campaign_id: &str,
    creative_id: &str,
    title: &str,
    body: &str,
    image_url: &str,
) -> Result<AdLink, Error> {
    let author = ctx.require(Role::Editor)?;
    let campaign = ctx.store.get_campaign(campaign_id).await?;
    let Some(link) = ctx.store.ads_campaign_link(campaign_id).await? else {
        return Err(Error::invalid(vec![Notice::new(
            Code::Required,
            Field::AdGroup,
            "link this campaign to a ChatGPT Ads campaign and ad group first",
        )]));
    };
    let (_, rows) = rows(ctx, campaign_id).await?;
    let Some(row) = rows.into_iter().find(|r| r.creative_id == creative_id) else {
        return Err(Error::invalid(vec![Notice::new(
            Code::NotFound,
            Field::Content,
            "no such creative in this campaign",
        )]));
    };
    if let Some(ad) = &row.ad {
        return Err(Error::conflict(vec![Notice::new(
            Code::Duplicate,
            Field::Ad,
            format!("{} already has an ad ({})", row.variant, ad.ad_id),
        )]));
    }
    let Some(url) = row.url.clone() else {
        return Err(Error::invalid(vec![Notice::new(
            Code::InvalidUrl,
            Field::Url,
            format!(
                "{} has no URL to advertise: fix its landing URL first",
                row.variant
            ),
        )]));
    };
    let mut notices: Vec<Notice> = creative_problems(title, body, &url)
        .into_iter()
        .map(|(field, message)| {
            let field = if field == "title" {
                Field::AdTitle
            } else if field == "body" {
                Field::AdBody
            } else {
                Field::Url
            };
            Notice::new(Code::NotAllowed, field, message)
        })
        .collect();
    if let Some(why) = target_url_problem(image_url) {
        notices.push(Notice::new(
            Code::InvalidUrl,
            Field::Ad,
            why.replace("target URL", "image address"),
        ));
    }
    if !notices.is_empty() {
        return Err(Error::invalid(notices));
    }
    let api = client(ctx)?;
    let file_id = api
        .upload_image_url(image_url)
        .await
        .map_err(|e| api_error(e, Field::Ad))?;
    let request = serde_json::json!({
        "ad_group_id": link.ad_group_id,
        "name": row.variant,
        "status": "paused",
        "creative": {
            "type": "chat_card",
            "title": title,
            "body": body,
            "target_url": url,
            "file_id": file_id,
        },
    });
    let key = idempotency_key(&request);
    let ad = api
        .create_ad(&request, &key)
        .await
        .map_err(|e| api_error(e, Field::Ad))?;
    let entry = NewEntry::new(Action::AdsLinked, &campaign.name)
        .campaign(&campaign.id)
        .subject_id(&campaign.id)
        .change(
            &format!("ad of {}", row.variant),
            "",
            &format!("{} ({}), created paused", ad.name, ad.id),
        );
    let saved = ctx
        .store
        .link_ads(
            campaign_id,
            &[(creative_id.to_string(), ad.id.clone(), ad.name.clone())],
            &author,
            entry,
        )
        .await?;
    let mut link = saved
        .into_iter()
        .find(|l| l.ad_id == ad.id)
        .ok_or_else(|| Error::internal("the new ad's link was not saved"))?;
    link.read(&ad, ctx.now_ms());
    ctx.store
        .record_ad_reads(std::slice::from_ref(&link), None)
        .await?;
    Ok(link)
}

/// The `Idempotency-Key` of a create: the same request always has the same key.
fn idempotency_key(request: &serde_json::Value) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(request.to_string().as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("utmforge-{hex}")
}

/// Reads each linked ad of campaign `campaign_id` from the API (target URL, status, review,
/// serving issues) and keeps what it read; an ad that cannot be read keeps its last state
/// with the reason. Answers the rows as they now are.
pub async fn sync_campaign(ctx: &Ctx, campaign_id: &str) -> Result<Vec<AdRow>, Error> {
    ctx.require(Role::Viewer)?;
    read_ads(ctx, campaign_id).await?;
    Ok(rows(ctx, campaign_id).await?.1)
}

async fn read_ads(ctx: &Ctx, campaign_id: &str) -> Result<(), Error> {
    let api = client(ctx)?;
    let mut reads = Vec::new();
    for mut link in ctx.store.ad_links(campaign_id).await? {
        match api.ad(&link.ad_id).await {
            Ok(ad) => link.read(&ad, ctx.now_ms()),
            Err(AdsError::KeyRefused(m)) => {
                return Err(api_error(AdsError::KeyRefused(m), Field::Ad))
            }
            Err(e) => link.sync_error = Some(e.message().to_string()),
        }
        reads.push(link);
    }
    Ok(ctx.store.record_ad_reads(&reads, None).await?)
}

/// Every linked campaign's ads read again, by one instance at a time (the `ads-sync` lease);
/// answers how many campaigns it read, or None when another instance has the lease.
pub async fn sync_all(ctx: &Ctx, holder: &str, every_ms: i64) -> Result<Option<usize>, Error> {
    ctx.require(Role::Owner)?;
    client(ctx)?;
    let now = ctx.now_ms();
    if !ctx
        .store
        .take_lease("ads-sync", holder, now, now + every_ms)
        .await?
    {
        return Ok(None);
    }
    let campaigns = ctx.store.ads_linked_campaigns().await?;
    for id in &campaigns {
        match read_ads(ctx, id).await {
            Ok(()) => {}
            Err(e) if e.kind == ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Some(campaigns.len()))
}

/// Every linked ad whose `target_url` is not its creative's URL, read fresh from the API;
/// unless `dry_run`, each gets the creative's URL (one call per ad, paced under the limits;
/// each update sends the ad to review again), and the publish is in the activity log with
/// every ad it changed and OpenAI's answer. An ad that fails does not stop the others: each
/// says what happened to it.
pub async fn publish(ctx: &Ctx, campaign_id: &str, dry_run: bool) -> Result<PublishPlan, Error> {
    let author = ctx.require(if dry_run { Role::Viewer } else { Role::Editor })?;
    let campaign = ctx.store.get_campaign(campaign_id).await?;
    let api = client(ctx)?;
    let (_, rows) = rows(ctx, campaign_id).await?;
    let mut plan = PublishPlan {
        dry_run,
        changes: Vec::new(),
        in_sync: 0,
        skipped: Vec::new(),
    };
    let mut reads = Vec::new();
    let mut entry = NewEntry::new(Action::AdsPublished, &campaign.name)
        .campaign(&campaign.id)
        .subject_id(&campaign.id);
    for row in rows {
        let Some(mut link) = row.ad else { continue };
        let Some(url) = row.url else {
            plan.skipped
                .push(format!("{}: it has no URL to publish", row.variant));
            continue;
        };
        let ad = match api.ad(&link.ad_id).await {
            Ok(ad) => ad,
            Err(AdsError::KeyRefused(m)) => {
                return Err(api_error(AdsError::KeyRefused(m), Field::Ad))
            }
            Err(e) => {
                plan.skipped
                    .push(format!("{}: {}", row.variant, e.message()));
                continue;
            }
        };
        link.read(&ad, ctx.now_ms());
        if ad.creative.target_url.as_deref() == Some(url.as_str()) {
            plan.in_sync += 1;
            reads.push(link);
            continue;
        }
        let mut change = PublishChange {
            creative_id: row.creative_id,
            variant: row.variant,
            ad_id: ad.id.clone(),
            ad_name: ad.name.clone(),
            before: ad.creative.target_url.clone(),
            after: url.clone(),
            outcome: None,
            done: false,
        };
        if !dry_run {
            match api.set_target_url(&ad, &url).await {
                Ok(updated) => {
                    link.read(&updated, ctx.now_ms());
                    change.done = updated.creative.target_url.as_deref() == Some(url.as_str());
                    change.outcome = Some(format!(
                        "updated (review: {})",
                        updated.review_status.as_deref().unwrap_or("unknown")
                    ));
                    entry = entry.url(&change.variant, change.before.clone(), Some(url));
                }
                Err(AdsError::KeyRefused(m)) => {
                    change.outcome = Some(m);
                    plan.changes.push(change);
                    break;
                }
                Err(e) => {
                    let why = format!("not changed: {}", e.message());
                    link.sync_error = Some(format!("publishing failed: {}", e.message()));
                    change.outcome = Some(why);
                }
            }
            entry = entry.change(
                &format!("ad {} ({})", change.ad_name, change.variant),
                "",
                change.outcome.as_deref().unwrap_or_default(),
            );
        }
        reads.push(link);
        plan.changes.push(change);
    }
    let logged = (!dry_run && !plan.changes.is_empty()).then_some((&author, entry));
    ctx.store.record_ad_reads(&reads, logged).await?;
    Ok(plan)
}

/// Each linked creative of `campaign` (slug or id; none: every linked campaign), read fresh:
/// what `utmforge ads status` prints.
pub async fn status(ctx: &Ctx, campaign: Option<&str>) -> Result<Vec<(String, Vec<AdRow>)>, Error> {
    ctx.require(Role::Viewer)?;
    let ids = match campaign {
        Some(c) => vec![ctx.campaign_named(c).await?.id],
        None => ctx.store.ads_linked_campaigns().await?,
    };
    let mut out = Vec::new();
    for id in ids {
        read_ads(ctx, &id).await?;
        let (slug, rows) = rows(ctx, &id).await?;
        out.push((slug, rows.into_iter().filter(|r| r.ad.is_some()).collect()));
    }
    Ok(out)
}

/// A campaign's ChatGPT Ads page: the connection, its ads ([`campaign_ads`]), and what linking
/// needs — the account's campaigns, and the ad groups of `chosen` (else of the linked campaign).
/// What the API cannot answer leaves its list empty; the connection says why.
pub async fn page(ctx: &Ctx, campaign_id: &str, chosen: Option<&str>) -> Result<AdsPage, Error> {
    ctx.require(Role::Viewer)?;
    let campaign = ctx.store.get_campaign(campaign_id).await?;
    let connection = connection(ctx).await?;
    let ads = campaign_ads(ctx, campaign_id).await?;
    let mut page = AdsPage {
        campaign,
        connection,
        ads,
        campaigns: Vec::new(),
        chosen: None,
        groups: Vec::new(),
    };
    let Some(api) = ctx.ads.as_deref() else {
        return Ok(page);
    };
    if page.connection.state != "connected" {
        return Ok(page);
    }
    page.campaigns = api.campaigns().await.unwrap_or_default();
    page.chosen = chosen
        .filter(|c| page.campaigns.iter().any(|x| x.id == *c))
        .map(String::from)
        .or_else(|| page.ads.link.as_ref().map(|l| l.ads_campaign_id.clone()));
    if let Some(chosen) = &page.chosen {
        page.groups = api.ad_groups(chosen).await.unwrap_or_default();
    }
    Ok(page)
}
