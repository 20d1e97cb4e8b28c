//! ChatGPT Ads: the connection, linking a campaign to a ChatGPT Ads campaign and ad group and
//! each creative to an ad, publishing creatives' URLs to their ads, and reading the ads back
//! (drift, review, serving issues). Viewers read; editors link and publish. The Advertiser API
//! is `ctx.ads` (none: the server has no key, and these use cases say so).

use crate::ads_api::{AdsClient, AdsError, BULK_PATIENCE};
use crate::{Ctx, Error, ErrorKind};
use utmforge_core::account::Role;
use utmforge_core::activity::{Action, NewEntry};
use utmforge_core::ads::bulk::{self, BulkOperation, BULK_FROM};
use utmforge_core::ads::{
    check_image, creative_problems, propose, target_url_problem, Ad, AdChoice, AdGroup, AdImage,
    AdLink, AdRow, AdSync, AdsCampaign, AdsPage, CampaignAds, CampaignLink, Connection, ImageKind,
    MatchCreative, NewAd, PublishChange, PublishPlan,
};
use utmforge_core::views::CreativeWithUrl;
use utmforge_core::{Code, Field, Notice};

/// The Advertiser API, or why there is none.
pub(crate) fn client(ctx: &Ctx) -> Result<&AdsClient, Error> {
    ctx.ads.as_deref().ok_or_else(|| {
        Error::new(
            ErrorKind::Unavailable,
            "ads-not-connected",
            "this server is not connected to ChatGPT Ads: start it with OPENAI_ADS_API_KEY (or --ads-api-key-file) set to an Advertiser API key from Ads Manager › Settings",
        )
    })
}

/// An Advertiser API failure as the service's error: OpenAI's words, bounded.
pub(crate) fn api_error(e: AdsError, field: Field) -> Error {
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

/// The ChatGPT Ads campaign and ad group campaign `campaign_id` is linked to, or the notice
/// that it must be linked first.
pub(crate) async fn linked_group(ctx: &Ctx, campaign_id: &str) -> Result<CampaignLink, Error> {
    ctx.store
        .ads_campaign_link(campaign_id)
        .await?
        .ok_or_else(|| {
            Error::invalid(vec![Notice::new(
                Code::Required,
                Field::AdGroup,
                "link this campaign to a ChatGPT Ads campaign and ad group first",
            )])
        })
}

/// The notice that `what` (a creative, an ad) is not where it was looked for.
fn no_such(field: Field, what: &str, id: &str, place: &str) -> Notice {
    Notice::new(
        Code::NotFound,
        field,
        format!(
            "no {what} “{}” in {place}",
            id.chars().take(80).collect::<String>()
        ),
    )
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
        return Err(Error::invalid(vec![no_such(
            Field::AdsCampaign,
            "ChatGPT Ads campaign",
            ads_campaign_id,
            "this ad account",
        )]));
    };
    let groups = api
        .ad_groups(&ads_campaign.id)
        .await
        .map_err(|e| api_error(e, Field::AdGroup))?;
    let Some(group) = groups.into_iter().find(|g| g.id == ad_group_id) else {
        return Err(Error::invalid(vec![no_such(
            Field::AdGroup,
            "ad group",
            ad_group_id,
            &format!("the ChatGPT Ads campaign “{}”", ads_campaign.name),
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
                headline: k.creative.headline,
                description: k.creative.description,
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
    let link = linked_group(ctx, campaign_id).await?;
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
            notices.push(no_such(
                Field::Content,
                "creative",
                creative_id,
                "this campaign",
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
            None => notices.push(no_such(
                Field::Ad,
                "ad",
                ad_id,
                &format!("the ad group {}", link.ad_group_name),
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

/// A new ad's image, checked, as `POST /upload` takes it.
enum Upload<'a> {
    Address(&'a str),
    File(&'a [u8], ImageKind),
}

/// Creates an ad for a creative not linked yet, in the linked ad group: the image uploaded
/// (`POST /upload`, from its address or as a file checked first), then `POST /ads` — named
/// after the variant, **paused**, `target_url` the creative's URL — under an `Idempotency-Key`
/// made of what is sent, so a retried create (a lost answer, a second click) gives the same ad,
/// never two. The title and body (empty: the creative's headline and description) follow the
/// documented rules, checked first and named by the field they came from; the new ad is linked
/// to the creative and in the activity log.
pub async fn create_ad(ctx: &Ctx, campaign_id: &str, new: &NewAd) -> Result<AdLink, Error> {
    let author = ctx.require(Role::Editor)?;
    let campaign = ctx.store.get_campaign(campaign_id).await?;
    let link = linked_group(ctx, campaign_id).await?;
    let (_, rows) = rows(ctx, campaign_id).await?;
    let Some(row) = rows.into_iter().find(|r| r.creative_id == new.creative_id) else {
        return Err(Error::invalid(vec![no_such(
            Field::Content,
            "creative",
            &new.creative_id,
            "this campaign",
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
    // An empty title or body is the creative's own: a problem is then the creative's field's.
    let (title, title_field, title_from) = match new.title.trim() {
        "" => (
            row.headline.as_str(),
            Field::Headline,
            "the creative's headline: ",
        ),
        t => (t, Field::AdTitle, ""),
    };
    let (body, body_field, body_from) = match new.body.trim() {
        "" => (
            row.description.as_str(),
            Field::Description,
            "the creative's description: ",
        ),
        b => (b, Field::AdBody, ""),
    };
    let mut notices: Vec<Notice> = creative_problems(title, body, &url)
        .into_iter()
        .map(|(field, message)| match field.as_str() {
            "title" => Notice::new(
                Code::NotAllowed,
                title_field,
                format!("{title_from}{message}"),
            ),
            "body" => Notice::new(
                Code::NotAllowed,
                body_field,
                format!("{body_from}{message}"),
            ),
            _ => Notice::new(Code::NotAllowed, Field::Url, message),
        })
        .collect();
    // The image as it will be sent, once it passed its check.
    let image = match &new.image {
        AdImage::Url(image_url) => match target_url_problem(image_url) {
            None => Some(Upload::Address(image_url)),
            Some(why) => {
                let why = why.replace("target URL", "image address");
                notices.push(Notice::new(Code::InvalidUrl, Field::Ad, why));
                None
            }
        },
        AdImage::File(bytes) => match check_image(bytes) {
            Ok(info) => Some(Upload::File(bytes, info.kind)),
            Err(why) => {
                notices.push(Notice::new(Code::NotAllowed, Field::Ad, why));
                None
            }
        },
    };
    let (Some(image), true) = (image, notices.is_empty()) else {
        return Err(Error::invalid(notices));
    };
    let api = client(ctx)?;
    let file_id = match image {
        Upload::Address(url) => api.upload_image_url(url).await,
        Upload::File(bytes, kind) => api.upload_image_file(bytes, kind).await,
    }
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
            &[(new.creative_id.clone(), ad.id.clone(), ad.name.clone())],
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
/// unless `dry_run`, each gets the creative's URL — one call per ad, paced under the limits,
/// or, from [`BULK_FROM`] ads on, bulk mutation jobs (validated first, then run with partial
/// failure, polled) — and each update sends the ad to review again. The publish is in the
/// activity log with every ad it changed and OpenAI's answer. An ad that fails does not stop
/// the others: each says what happened to it.
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
        bulk_jobs: Vec::new(),
    };
    let mut reads = Vec::new();
    let mut pending = Vec::new();
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
        let change = PublishChange {
            creative_id: row.creative_id,
            variant: row.variant,
            ad_id: ad.id.clone(),
            ad_name: ad.name.clone(),
            before: ad.creative.target_url.clone(),
            after: url,
            outcome: None,
            done: false,
        };
        pending.push(Pending { link, ad, change });
    }
    if !dry_run {
        let mut one_by_one = pending.len() < BULK_FROM;
        if !one_by_one {
            match publish_in_bulk(api, &mut pending, ctx.now_ms()).await {
                Ok(jobs) => plan.bulk_jobs = jobs,
                // The Bulk API is a preview some accounts lack (404): one call per ad instead.
                Err(AdsError::NotFound(_)) => one_by_one = true,
                Err(e) => {
                    for p in pending.iter_mut().filter(|p| p.change.outcome.is_none()) {
                        p.change.outcome = Some(format!("not changed: {}", e.message()));
                    }
                }
            }
        }
        if one_by_one {
            publish_one_by_one(api, &mut pending, ctx.now_ms()).await;
        }
    }
    let mut entry = NewEntry::new(Action::AdsPublished, &campaign.name)
        .campaign(&campaign.id)
        .subject_id(&campaign.id);
    for p in pending {
        if !dry_run {
            if p.change.done {
                entry = entry.url(
                    &p.change.variant,
                    p.change.before.clone(),
                    Some(p.change.after.clone()),
                );
            }
            entry = entry.change(
                &format!("ad {} ({})", p.change.ad_name, p.change.variant),
                "",
                p.change.outcome.as_deref().unwrap_or_default(),
            );
        }
        reads.push(p.link);
        plan.changes.push(p.change);
    }
    let logged = (!dry_run && !plan.changes.is_empty()).then_some((&author, entry));
    ctx.store.record_ad_reads(&reads, logged).await?;
    Ok(plan)
}

/// A drifted ad on its way to its creative's URL: its link (what utmforge keeps of it), the ad
/// as read, and what happens to it.
struct Pending {
    link: AdLink,
    ad: Ad,
    change: PublishChange,
}

/// One `POST /ads/{id}` per ad. A refused key stops the rest, each saying it was not tried.
async fn publish_one_by_one(api: &AdsClient, pending: &mut [Pending], now: i64) {
    let mut stop: Option<String> = None;
    for p in pending.iter_mut().filter(|p| p.change.outcome.is_none()) {
        if let Some(why) = &stop {
            p.change.outcome = Some(format!("not tried: {why}"));
            continue;
        }
        match api.set_target_url(&p.ad, &p.change.after).await {
            Ok(updated) => {
                p.link.read(&updated, now);
                p.change.done =
                    updated.creative.target_url.as_deref() == Some(p.change.after.as_str());
                p.change.outcome = Some(format!(
                    "updated (review: {})",
                    updated.review_status.as_deref().unwrap_or("unknown")
                ));
            }
            Err(AdsError::KeyRefused(m)) => {
                p.change.outcome = Some(m.clone());
                stop = Some(m);
            }
            Err(e) => {
                p.link.sync_error = Some(format!("publishing failed: {}", e.message()));
                p.change.outcome = Some(format!("not changed: {}", e.message()));
            }
        }
    }
}

/// The updates as bulk mutation jobs of at most 1,000 operations: each job validated first
/// (`validate_only`: an operation it refuses is left out, with OpenAI's words), then run with
/// `partial_failure`, polled until it ends, and read operation by operation. Answers the jobs
/// that ran. `Err` only when no job could be submitted (nothing changed; a 404 says the
/// account has no Bulk API).
async fn publish_in_bulk(
    api: &AdsClient,
    pending: &mut [Pending],
    now: i64,
) -> Result<Vec<String>, AdsError> {
    let operations: Vec<serde_json::Value> = pending
        .iter()
        .enumerate()
        .map(|(i, p)| {
            bulk::ad_update(
                &format!("op-{i}"),
                &p.ad.id,
                p.ad.creative.with_target_url(&p.change.after),
            )
        })
        .collect();
    let index = |op: &BulkOperation| op_index(&op.operation_id);
    let mut ran = Vec::new();
    for job in bulk::jobs_of(operations) {
        // Validate: what OpenAI would refuse stays out of the job.
        let body = bulk::job_body(&job, true);
        let checked = match api.submit_job(&body, &idempotency_key(&body)).await {
            Ok(j) => api.wait_job(&j.id, BULK_PATIENCE).await,
            Err(e) if ran.is_empty() => return Err(e),
            Err(e) => Err(e),
        };
        let refused = match checked {
            Ok(j) if j.is_done() => api.job_operations(&j.id).await,
            Ok(j) => Err(AdsError::Unreachable(format!(
                "the validation job {} did not end in time",
                j.id
            ))),
            Err(e) => Err(e),
        };
        let refused = match refused {
            Ok(ops) => ops,
            Err(e) => {
                settle(pending, &job, |c| {
                    c.outcome = Some(format!("not changed: {}", e.message()))
                });
                continue;
            }
        };
        for op in refused.iter().filter(|o| o.status == "failed") {
            if let Some(p) = index(op).and_then(|i| pending.get_mut(i)) {
                let why = op.error_text().unwrap_or_else(|| "refused".into());
                p.link.sync_error = Some(format!("publishing failed: {why}"));
                p.change.outcome = Some(format!("not changed: {why}"));
            }
        }
        let valid: Vec<serde_json::Value> = job
            .into_iter()
            .filter(|op| {
                op["operation_id"]
                    .as_str()
                    .and_then(op_index)
                    .and_then(|i| pending.get(i))
                    .is_some_and(|p| p.change.outcome.is_none())
            })
            .collect();
        if valid.is_empty() {
            continue;
        }
        // Run.
        let body = bulk::job_body(&valid, false);
        let submitted = match api.submit_job(&body, &idempotency_key(&body)).await {
            Ok(j) => j,
            Err(e) => {
                settle(pending, &valid, |c| {
                    c.outcome = Some(format!("not changed: {}", e.message()))
                });
                continue;
            }
        };
        ran.push(submitted.id.clone());
        let id = submitted.id;
        let outcome = match api.wait_job(&id, BULK_PATIENCE).await {
            Ok(j) if j.is_done() => api.job_operations(&id).await,
            Ok(_) => Err(AdsError::Unreachable(format!(
                "still running after {} minutes",
                BULK_PATIENCE.as_secs() / 60
            ))),
            Err(e) => Err(e),
        };
        let ops = match outcome {
            Ok(ops) => ops,
            Err(e) => {
                settle(pending, &valid, |c| {
                    c.outcome = Some(format!(
                        "sent in bulk job {id}, its result unknown ({}): “Read the ads now” shows what the ad carries",
                        e.message()
                    ))
                });
                continue;
            }
        };
        for op in &ops {
            let Some(p) = index(op).and_then(|i| pending.get_mut(i)) else {
                continue;
            };
            match op.status.as_str() {
                "updated" => {
                    // As documented: a changed creative goes back to review.
                    p.link.target_url = Some(p.change.after.clone());
                    p.link.review_status = Some("in_review".into());
                    p.link.synced_at = Some(now);
                    p.change.done = true;
                    p.change.outcome =
                        Some(format!("updated by bulk job {id} (review: in_review)"));
                }
                "failed" => {
                    let why = op.error_text().unwrap_or_else(|| "failed".into());
                    p.link.sync_error = Some(format!("publishing failed: {why}"));
                    p.change.outcome = Some(format!("not changed: {why}"));
                }
                other => {
                    p.change.outcome = Some(format!("not changed: the bulk job {id} says {other}"));
                }
            }
        }
        settle(pending, &valid, |c| {
            c.outcome = Some(format!(
                "sent in bulk job {id}, which reported nothing on it: “Read the ads now” shows what the ad carries"
            ))
        });
    }
    Ok(ran)
}

/// Which pending ad operation `op-{i}` is about.
fn op_index(operation_id: &str) -> Option<usize> {
    operation_id.strip_prefix("op-")?.parse().ok()
}

/// Gives every ad of `operations` that has no outcome yet the one `say` writes.
fn settle(
    pending: &mut [Pending],
    operations: &[serde_json::Value],
    say: impl Fn(&mut PublishChange),
) {
    for op in operations {
        let i = op["operation_id"].as_str().and_then(op_index);
        if let Some(p) = i.and_then(|i| pending.get_mut(i)) {
            if p.change.outcome.is_none() {
                say(&mut p.change);
            }
        }
    }
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
