//! The use cases themselves, without a door: who may call them, what they change and what they
//! refuse, on SQLite and on PostgreSQL (`on_both_backends!` at the end). The doors' own tests
//! (REST, server functions, the command line) are the server's.

use utmforge_core::account::{Role, SignUp};
use utmforge_core::views::{CampaignPatch, CreativePatch};
use utmforge_core::{CampaignDraft, CreativeDraft};
use utmforge_service::{accounts, campaigns, creatives, Actor, Clock, Ctx, ErrorKind};
use utmforge_store::Store;
use utmforge_testkit::db::TestDb;
use utmforge_testkit::on_both_backends;

/// A fixed day (2026-11-26T00:00:00Z): every row is stamped with it.
const DAY_MS: i64 = 1_795_651_200_000;

/// The command line's context on `db`, the clock fixed at [`DAY_MS`].
async fn cli(db: &TestDb) -> Ctx {
    let store = Store::open(db.url())
        .await
        .unwrap()
        .with_clock(Clock::Fixed(DAY_MS));
    Ctx::new(store, Actor::Cli)
}

/// A context acting as a new account with `role`.
async fn as_role(cli: &Ctx, role: Role) -> Ctx {
    let user = accounts::add_user(
        cli,
        SignUp {
            email: format!("{}@example.com", role.as_str()),
            name: role.label().into(),
            password: "correct horse battery staple".into(),
        },
        role,
    )
    .await
    .unwrap();
    cli.with_actor(cli.user_actor(&user.id).await.unwrap())
}

fn spring() -> CampaignDraft {
    CampaignDraft {
        name: "Spring Sale".into(),
        buying_model: "cpc".into(),
        landing_url: "https://example.com/spring".into(),
        conversion: "order_created".into(),
        status: "active".into(),
        topic: "CRM software".into(),
        ..Default::default()
    }
}

async fn roles_are_checked_before_anything_is_done(db: TestDb) {
    let cli = cli(&db).await;
    let viewer = as_role(&cli, Role::Viewer).await;
    let editor = as_role(&cli, Role::Editor).await;
    let nobody = cli.with_actor(Actor::Anonymous);

    let refused = campaigns::create(&viewer, spring()).await.unwrap_err();
    assert_eq!(
        (refused.kind, refused.code.as_ref()),
        (ErrorKind::Forbidden, "forbidden")
    );
    assert!(refused.message.contains("editor"), "{}", refused.message);
    let refused = campaigns::create(&nobody, spring()).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Unauthenticated);
    // Even for a campaign that does not exist: the role first, then the lookup.
    let refused = campaigns::patch(&viewer, "nope", 1, CampaignPatch::default(), false)
        .await
        .unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Forbidden);
    assert!(campaigns::list(&viewer, &Default::default(), false)
        .await
        .unwrap()
        .items
        .is_empty());

    let made = campaigns::create(&editor, spring()).await.unwrap();
    // The viewer reads what the editor made; the rows carry the context's clock.
    let read = campaigns::get(&viewer, &made.id).await.unwrap();
    assert_eq!((read.created_at, read.updated_at), (DAY_MS, DAY_MS));
}

async fn a_patch_changes_only_the_fields_it_gives(db: TestDb) {
    let cli = cli(&db).await;
    let made = campaigns::create(&cli, spring()).await.unwrap();
    let notes = CampaignPatch {
        notes: Some("for the spring catalogue".into()),
        ..Default::default()
    };
    let patched = campaigns::patch(&cli, &made.id, made.version, notes.clone(), false)
        .await
        .unwrap();
    assert_eq!(patched.notes, "for the spring catalogue");
    assert_eq!(
        (
            &patched.name,
            &patched.slug,
            &patched.topic,
            patched.version
        ),
        (&made.name, &made.slug, &made.topic, made.version + 1)
    );
    // The version it was based on is gone: refused, and nothing changes.
    let stale = campaigns::patch(&cli, &made.id, made.version, notes, false)
        .await
        .unwrap_err();
    assert_eq!(
        (stale.kind, stale.code.as_ref()),
        (ErrorKind::Conflict, "stale")
    );

    // The campaign is active and has a creative: a new slug changes its live link, which
    // needs confirming; confirmed, the creative's URL follows.
    let hero = creatives::create(
        &cli,
        &made.id,
        CreativeDraft {
            variant: "Hero".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let current = campaigns::get(&cli, &made.id).await.unwrap();
    let slug = CampaignPatch {
        slug: Some("spring-2027".into()),
        ..Default::default()
    };
    let refused = campaigns::patch(&cli, &made.id, current.version, slug.clone(), false)
        .await
        .unwrap_err();
    assert_eq!(refused.code, "live-link-change");
    assert!(refused.message.contains("Hero"), "{}", refused.message);
    campaigns::patch(&cli, &made.id, current.version, slug, true)
        .await
        .unwrap();
    let hero = creatives::get(&cli, &hero.creative.id).await.unwrap();
    assert!(
        hero.url
            .as_deref()
            .unwrap()
            .contains("utm_campaign=spring-2027"),
        "{:?}",
        hero.url
    );

    // A creative's patch, likewise: the headline changes, the variant stays.
    let patched = creatives::patch(
        &cli,
        &hero.creative.id,
        hero.creative.version,
        CreativePatch {
            headline: Some("Save 20%".into()),
            ..Default::default()
        },
        false,
    )
    .await
    .unwrap();
    assert_eq!(
        (
            patched.creative.headline.as_str(),
            patched.creative.variant.as_str()
        ),
        ("Save 20%", "Hero")
    );
}

async fn a_campaign_is_found_by_its_slug_or_its_id(db: TestDb) {
    let cli = cli(&db).await;
    let made = campaigns::create(&cli, spring()).await.unwrap();
    assert_eq!(
        campaigns::find(&cli, "spring-sale").await.unwrap().id,
        made.id
    );
    assert_eq!(campaigns::find(&cli, &made.id).await.unwrap().id, made.id);
    let missing = campaigns::find(&cli, "autumn").await.unwrap_err();
    assert_eq!(
        (missing.kind, missing.code.as_ref()),
        (ErrorKind::NotFound, "not-found")
    );
    assert!(missing.message.contains("“autumn”"), "{}", missing.message);
}

async fn a_campaigns_creatives_are_listed_and_searched(db: TestDb) {
    let cli = cli(&db).await;
    let viewer = as_role(&cli, Role::Viewer).await;
    let made = campaigns::create(&cli, spring()).await.unwrap();
    for variant in ["Hero", "Sidebar", "Hero tall"] {
        let draft = CreativeDraft {
            variant: variant.into(),
            ..Default::default()
        };
        creatives::create(&cli, &made.id, draft).await.unwrap();
    }
    let all = creatives::list(&viewer, &made.id, None).await.unwrap();
    assert_eq!(all.len(), 3);
    let heroes: Vec<String> = creatives::list(&viewer, &made.id, Some("HERO"))
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.creative.variant)
        .collect();
    assert_eq!(heroes, ["Hero", "Hero tall"]);
    let nobody = cli.with_actor(Actor::Anonymous);
    let refused = creatives::list(&nobody, &made.id, None).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Unauthenticated);
}

async fn a_disabled_user_acts_as_nobody(db: TestDb) {
    let cli = cli(&db).await;
    let editor = as_role(&cli, Role::Editor).await;
    assert_eq!(editor.role(), Some(Role::Editor));
    let user = editor.user().unwrap().clone();
    accounts::update_user_by_email(&cli, &user.email, None, Some(true))
        .await
        .unwrap();
    assert_eq!(cli.user_actor(&user.id).await.unwrap(), Actor::Anonymous);
    accounts::update_user_by_email(&cli, &user.email, Some(Role::Viewer), Some(false))
        .await
        .unwrap();
    let back = cli.with_actor(cli.user_actor(&user.id).await.unwrap());
    assert_eq!(back.role(), Some(Role::Viewer));
    assert_eq!(cli.user_actor("nobody").await.unwrap(), Actor::Anonymous);
}

/// A creative's link history says what its ChatGPT ad received under each URL: a day counts for
/// the URL live at noon UTC; a day before the history began counts for none.
async fn a_creatives_history_shows_the_results_each_url_received(db: TestDb) {
    let cli = cli(&db).await;
    let made = campaigns::create(
        &cli,
        CampaignDraft {
            status: "paused".into(),
            ..spring()
        },
    )
    .await
    .unwrap();
    let hero = creatives::create(
        &cli,
        &made.id,
        CreativeDraft {
            variant: "Hero".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let day = |d: &str, clicks: i64, spend: Option<i64>| {
        (
            hero.creative.id.clone(),
            utmforge_core::ads::insights::AdDay {
                ad_id: "ad_1".into(),
                day: d.into(),
                impressions: Some(100 * clicks),
                clicks: Some(clicks),
                spend_micros: spend,
                conversions: None,
                sales_micros: None,
            },
        )
    };
    cli.store
        .save_ad_days(
            &made.id,
            &[
                day("2026-11-25", 99, Some(9_000_000)),
                day("2026-11-26", 10, Some(1_000_000)),
                day("2026-11-27", 20, None),
                day("2026-11-28", 30, Some(3_000_000)),
            ],
            DAY_MS,
        )
        .await
        .unwrap();
    // The landing page changes on the 27th at 18:00 UTC: the 27th's noon was the old URL's.
    let later = Ctx::new(
        Store::open(db.url())
            .await
            .unwrap()
            .with_clock(Clock::Fixed(DAY_MS + 42 * 3_600_000)),
        Actor::Cli,
    );
    creatives::patch(
        &later,
        &hero.creative.id,
        hero.creative.version,
        CreativePatch {
            landing_url: Some("https://example.com/spring-v2".into()),
            ..Default::default()
        },
        false,
    )
    .await
    .unwrap();
    let periods = creatives::history(&cli, &hero.creative.id).await.unwrap();
    assert_eq!(periods.len(), 2);
    assert!(periods[0].url.starts_with("https://example.com/spring-v2?"));
    let new = periods[0].results.clone().unwrap();
    let old = periods[1].results.clone().unwrap();
    assert_eq!((new.clicks, new.spend_micros), (Some(30), Some(3_000_000)));
    assert_eq!(
        (old.clicks, old.spend_micros),
        (Some(30), Some(1_000_000)),
        "the 26th and 27th; the 25th was before the history began, the 27th's spend is unknown"
    );
    // Deleted after its ad ran, the creative is no row of the Results any more, but what its ad
    // spent is still the campaign's.
    let current = creatives::get(&cli, &hero.creative.id).await.unwrap();
    creatives::delete(&cli, &hero.creative.id, current.creative.version)
        .await
        .unwrap();
    let results = utmforge_service::ads_results::results(
        &cli,
        &made.id,
        Some("2026-11-25"),
        Some("2026-11-28"),
    )
    .await
    .unwrap();
    assert!(results.creatives.is_empty());
    assert_eq!(
        (results.totals.clicks, results.totals.spend_micros),
        (Some(159), Some(13_000_000))
    );
}

on_both_backends!(
    a_creatives_history_shows_the_results_each_url_received,
    roles_are_checked_before_anything_is_done,
    a_patch_changes_only_the_fields_it_gives,
    a_campaign_is_found_by_its_slug_or_its_id,
    a_campaigns_creatives_are_listed_and_searched,
    a_disabled_user_acts_as_nobody,
);
