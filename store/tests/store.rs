//! The store against real databases: every test here runs twice, on a SQLite file and on a
//! PostgreSQL schema of its own (`on_both_backends!` at the end).

use utmforge_core::{Campaign, CampaignDraft, CampaignStatus, Code, CreativeDraft, Field};
use utmforge_store::{Store, StoreError};
use utmforge_testkit::db::TestDb;
use utmforge_testkit::on_both_backends;

fn draft(name: &str) -> CampaignDraft {
    CampaignDraft {
        name: name.into(),
        buying_model: "cpc".into(),
        landing_url: "https://example.com/".into(),
        conversion: "lead_created".into(),
        status: "active".into(),
        ..Default::default()
    }
}

async fn campaign(store: &Store, name: &str) -> Campaign {
    store
        .create_campaign(&draft(name).validate().unwrap(), &by(), entry())
        .await
        .unwrap()
}

fn conflict_code(e: StoreError) -> (Code, Field) {
    match e {
        StoreError::Conflict(n) => (n.code, n.field),
        other => panic!("expected a conflict, got {other:?}"),
    }
}

fn by() -> utmforge_store::Author {
    utmforge_store::Author {
        user_id: None,
        name: "test".into(),
    }
}

fn entry() -> utmforge_core::activity::NewEntry {
    utmforge_core::activity::NewEntry::new(utmforge_core::activity::Action::CampaignChanged, "test")
}

async fn campaigns_survive_reopening_the_file(db: TestDb) {
    let store = Store::open(db.url()).await.unwrap();
    let created = campaign(&store, "Spring Sale").await;
    assert_eq!(created.slug, "spring-sale");
    assert_eq!(created.version, 1);
    assert_eq!(created.id.len(), 36);
    store.close().await;

    let store = Store::open(db.url()).await.unwrap();
    let again = store.get_campaign(&created.id).await.unwrap();
    assert_eq!(again, created);
    let list = store.list_campaigns(None).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].creative_count, 0);
}

async fn slugs_are_unique(db: TestDb) {
    let store = Store::open(db.url()).await.unwrap();
    campaign(&store, "Spring Sale").await;
    let err = store
        .create_campaign(&draft("spring   sale!").validate().unwrap(), &by(), entry())
        .await
        .unwrap_err();
    assert_eq!(conflict_code(err), (Code::Duplicate, Field::Campaign));
    assert_eq!(store.list_campaigns(None).await.unwrap().len(), 1);
}

async fn a_stale_save_is_refused_and_the_newer_data_stays(db: TestDb) {
    let store = Store::open(db.url()).await.unwrap();
    let c = campaign(&store, "Spring Sale").await;
    let first = store
        .update_campaign(
            &c.id,
            c.version,
            &draft("Spring Sale EU").validate().unwrap(),
            &by(),
            entry(),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(first.version, 2);
    assert_eq!(first.slug, "spring-sale-eu");

    // A second tab still holds version 1.
    let err = store
        .update_campaign(
            &c.id,
            c.version,
            &draft("Stale Tab").validate().unwrap(),
            &by(),
            entry(),
            &[],
        )
        .await
        .unwrap_err();
    assert_eq!(conflict_code(err), (Code::Stale, Field::Version));
    assert_eq!(
        store.get_campaign(&c.id).await.unwrap().name,
        "Spring Sale EU"
    );

    let err = store
        .trash_campaign(&c.id, 1, &by(), entry())
        .await
        .unwrap_err();
    assert_eq!(conflict_code(err), (Code::Stale, Field::Version));
    assert!(matches!(
        store
            .update_campaign(
                "nope",
                1,
                &draft("x").validate().unwrap(),
                &by(),
                entry(),
                &[]
            )
            .await,
        Err(StoreError::NotFound(_))
    ));
}

async fn creatives_belong_to_a_campaign_and_go_with_it(db: TestDb) {
    let store = Store::open(db.url()).await.unwrap();
    let c = campaign(&store, "Spring Sale").await;
    let other = campaign(&store, "Autumn").await;
    let v = |variant: &str, campaign: &Campaign| {
        CreativeDraft {
            variant: variant.into(),
            ..Default::default()
        }
        .validate(campaign)
        .unwrap()
    };
    let a = store
        .create_creative(&c.id, &v("Headline A", &c), &by(), entry())
        .await
        .unwrap();
    store
        .create_creative(&c.id, &v("Headline B", &c), &by(), entry())
        .await
        .unwrap();
    // The same variant in another campaign is fine; in the same campaign it is not.
    store
        .create_creative(&other.id, &v("Headline A", &other), &by(), entry())
        .await
        .unwrap();
    let err = store
        .create_creative(&c.id, &v("headline-a", &c), &by(), entry())
        .await
        .unwrap_err();
    assert_eq!(conflict_code(err), (Code::Duplicate, Field::Content));

    let listed = store.list_creatives(&c.id).await.unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|k| k.content.as_str())
            .collect::<Vec<_>>(),
        ["headline-a", "headline-b"]
    );
    let counts: Vec<(String, i64)> = store
        .list_campaigns(None)
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.campaign.slug, s.creative_count))
        .collect();
    assert!(counts.contains(&("spring-sale".into(), 2)));

    let renamed = store
        .update_creative(&a.id, a.version, &v("Headline A2", &c), &by(), entry())
        .await
        .unwrap();
    assert_eq!(
        (renamed.content.as_str(), renamed.version),
        ("headline-a2", 2)
    );
    let err = store
        .trash_creative(&a.id, 1, &by(), entry())
        .await
        .unwrap_err();
    assert_eq!(conflict_code(err), (Code::Stale, Field::Version));

    // Every creative write raised the campaign's version: a delete confirmed against the
    // campaign as first read is refused, and deletes nothing.
    let err = store
        .trash_campaign(&c.id, c.version, &by(), entry())
        .await
        .unwrap_err();
    assert_eq!(conflict_code(err), (Code::Stale, Field::Version));
    assert_eq!(store.list_creatives(&c.id).await.unwrap().len(), 2);
    let now = store.get_campaign(&c.id).await.unwrap();
    assert_eq!(
        now.version,
        c.version + 3,
        "two creates and an update; refused writes roll back"
    );
    store
        .trash_campaign(&c.id, now.version, &by(), entry())
        .await
        .unwrap();
    assert!(store.list_creatives(&c.id).await.unwrap().is_empty());
    assert!(matches!(
        store.get_creative(&a.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(store.list_creatives(&other.id).await.unwrap().len(), 1);
    assert!(matches!(
        store
            .create_creative(&c.id, &v("Late", &other), &by(), entry())
            .await,
        Err(StoreError::NotFound(_))
    ));
}

async fn filter_by_status(db: TestDb) {
    let store = Store::open(db.url()).await.unwrap();
    campaign(&store, "One").await;
    let mut paused = draft("Two");
    paused.status = "paused".into();
    store
        .create_campaign(&paused.validate().unwrap(), &by(), entry())
        .await
        .unwrap();
    let only: Vec<String> = store
        .list_campaigns(Some(CampaignStatus::Paused))
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.campaign.name)
        .collect();
    assert_eq!(only, ["Two"]);
}

#[tokio::test]
async fn a_bad_database_url_is_a_clear_error() {
    let err = Store::open("mysql://nowhere/db")
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("mysql://nowhere/db"), "{err}");
    assert!(
        err.to_string().contains("postgres://"),
        "names what works: {err}"
    );
    // A PostgreSQL server that is not there: a clear error naming the URL, without its password.
    let options = utmforge_store::StoreOptions {
        connect_timeout: std::time::Duration::from_millis(500),
        ..Default::default()
    };
    let err = Store::open_with("postgres://someone:secret@127.0.0.1:9/db", &options)
        .await
        .expect_err("refused");
    let text = err.to_string();
    assert!(text.contains("cannot open the database"), "{text}");
    assert!(
        text.contains("someone:***@127.0.0.1:9/db") && !text.contains("secret"),
        "{text}"
    );
}

/// An import saves all its rows or none: a creative edited since the preview rolls back the
/// creates of the same import too.
async fn an_import_is_one_transaction(db: TestDb) {
    let store = Store::open(db.url()).await.unwrap();
    let c = campaign(&store, "Spring Sale").await;
    let a = CreativeDraft {
        variant: "Headline A".into(),
        ..Default::default()
    };
    store
        .create_creative(&c.id, &a.validate(&c).unwrap(), &by(), entry())
        .await
        .unwrap();
    let sheet = "content,notes\nHeadline A,changed\nHeadline B,\nHeadline C,\n";
    let c = store.get_campaign(&c.id).await.unwrap();
    let existing = store.list_creatives(&c.id).await.unwrap();
    let plan = utmforge_core::import::plan_import(sheet, &c, &existing).unwrap();
    assert_eq!((plan.create, plan.update), (2, 1));

    // Someone edits Headline A between the preview and the import.
    let k = &existing[0];
    let edit = CreativeDraft {
        variant: "Headline A".into(),
        notes: "edited in another tab".into(),
        ..Default::default()
    };
    store
        .update_creative(
            &k.id,
            k.version,
            &edit.validate(&c).unwrap(),
            &by(),
            entry(),
        )
        .await
        .unwrap();
    let e = store
        .apply_import(&c.id, c.version, &plan, &by(), entry(), vec![])
        .await
        .unwrap_err();
    assert_eq!(conflict_code(e), (Code::Stale, Field::Version));
    assert_eq!(
        store.list_creatives(&c.id).await.unwrap().len(),
        1,
        "no create survived"
    );

    // Planned again, it goes through: two created, one updated.
    let c = store.get_campaign(&c.id).await.unwrap();
    let existing = store.list_creatives(&c.id).await.unwrap();
    let plan = utmforge_core::import::plan_import(sheet, &c, &existing).unwrap();
    assert_eq!(
        store
            .apply_import(&c.id, c.version, &plan, &by(), entry(), vec![])
            .await
            .unwrap(),
        (2, 1)
    );
    let notes: Vec<String> = store
        .list_creatives(&c.id)
        .await
        .unwrap()
        .into_iter()
        .map(|k| format!("{}={}", k.content, k.notes))
        .collect();
    assert!(
        notes.contains(&"headline-a=changed".to_string()),
        "{notes:?}"
    );
    assert_eq!(notes.len(), 3);
}

/// A create inside an import that hits the unique constraint (a plan that thought the variant
/// was new) saves nothing, and says which variant.
async fn an_import_create_that_hits_the_unique_constraint_saves_nothing(db: TestDb) {
    let store = Store::open(db.url()).await.unwrap();
    let c = campaign(&store, "Spring Sale").await;
    let a = CreativeDraft {
        variant: "Headline A".into(),
        ..Default::default()
    };
    store
        .create_creative(&c.id, &a.validate(&c).unwrap(), &by(), entry())
        .await
        .unwrap();
    let c = store.get_campaign(&c.id).await.unwrap();
    // Planned as if the campaign had no creatives: "Headline A" looks new.
    let plan =
        utmforge_core::import::plan_import("content\nNew One\nHeadline A\n", &c, &[]).unwrap();
    assert_eq!(plan.create, 2);
    let e = store
        .apply_import(&c.id, c.version, &plan, &by(), entry(), vec![])
        .await
        .unwrap_err();
    match e {
        StoreError::Conflict(n) => {
            assert_eq!((n.code, n.field), (Code::Duplicate, Field::Content));
            assert!(
                n.message.contains("utm_content=headline-a"),
                "{}",
                n.message
            );
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    let contents: Vec<String> = store
        .list_creatives(&c.id)
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.content)
        .collect();
    assert_eq!(contents, ["headline-a"], "New One was rolled back");
    assert_eq!(store.get_campaign(&c.id).await.unwrap().version, c.version);
}

async fn the_activity_log_is_written_with_the_change_and_cannot_be_edited(db: TestDb) {
    let store = Store::open(db.url()).await.unwrap();
    let c = campaign(&store, "Logged").await;
    // A refused write (stale version) records nothing.
    let _ = store
        .update_campaign(
            &c.id,
            c.version + 7,
            &draft("Never").validate().unwrap(),
            &by(),
            entry(),
            &[],
        )
        .await
        .unwrap_err();
    let all = store
        .list_activity(&utmforge_store::ActivityFilter {
            campaign_id: Some(c.id.clone()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all.len(), 1, "only the creation: {all:?}");
    assert_eq!(all[0].actor, "test");
    // Nothing edits or deletes an entry, even with SQL.
    let pool = store.pool();
    let edit = sqlx::query("UPDATE activity SET actor = 'someone else'")
        .execute(pool)
        .await;
    assert!(edit.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM activity").execute(pool).await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}

/// Sessions: stored once, loaded until they expire, replaced on save, deleted, swept.
async fn sessions_are_shared_through_the_database(db: TestDb) {
    let store = Store::open(db.url()).await.unwrap();
    let now = 1_700_000_000_000;
    assert!(store
        .insert_session("s1", "{\"a\":1}", now + 1000)
        .await
        .unwrap());
    assert!(
        !store.insert_session("s1", "{}", now + 1000).await.unwrap(),
        "an id in use is refused, not overwritten"
    );
    // A second handle on the same database (another instance) sees it.
    let other = Store::open(db.url()).await.unwrap();
    assert_eq!(
        other.load_session("s1", now).await.unwrap().as_deref(),
        Some("{\"a\":1}")
    );
    other
        .save_session("s1", "{\"a\":2}", now + 5000)
        .await
        .unwrap();
    other.save_session("s2", "{}", now - 1).await.unwrap();
    assert_eq!(
        store
            .load_session("s1", now + 2000)
            .await
            .unwrap()
            .as_deref(),
        Some("{\"a\":2}")
    );
    assert_eq!(
        store.load_session("s2", now).await.unwrap(),
        None,
        "expired"
    );
    assert_eq!(store.delete_expired_sessions(now).await.unwrap(), 1);
    store.delete_session("s1").await.unwrap();
    assert_eq!(other.load_session("s1", now).await.unwrap(), None);
}

/// Tokens: created with their activity entry, found by hash until revoked; sign-in failures
/// counted per email and address across handles.
async fn tokens_and_sign_in_failures(db: TestDb) {
    use utmforge_core::account::Role;
    let store = Store::open(db.url()).await.unwrap();
    let user = store
        .create_user("ed@example.com", "Ed", Role::Editor, "hash", &by(), entry())
        .await
        .unwrap();
    let dup = store
        .create_user(
            "ed@example.com",
            "Ed 2",
            Role::Viewer,
            "hash",
            &by(),
            entry(),
        )
        .await
        .unwrap_err();
    assert_eq!(conflict_code(dup), (Code::Duplicate, Field::Email));
    let token = store
        .create_token(&user.id, "ci", Role::Viewer, "tokenhash", &by(), entry())
        .await
        .unwrap();
    let found = store.token_by_hash("tokenhash").await.unwrap().unwrap();
    assert_eq!(
        (found.token.id.as_str(), found.user.email.as_str()),
        (token.id.as_str(), "ed@example.com")
    );
    store.touch_token(&token.id, 5).await.unwrap();
    assert_eq!(
        store.get_token(&token.id).await.unwrap().last_used_at,
        Some(5)
    );
    store.revoke_token(&token.id, &by(), entry()).await.unwrap();
    assert!(
        store.token_by_hash("tokenhash").await.unwrap().is_none(),
        "revoked"
    );
    let other = Store::open(db.url()).await.unwrap();
    for (i, handle) in [&store, &other, &store].into_iter().enumerate() {
        handle
            .record_sign_in_failure("ed@example.com", "10.0.0.1", 1000 + i as i64)
            .await
            .unwrap();
    }
    let counts = other
        .sign_in_failures("ed@example.com", "10.0.0.9", 0)
        .await
        .unwrap();
    assert_eq!(
        (counts.email, counts.email_oldest, counts.address),
        (3, Some(1000), 0)
    );
    let activity = store
        .list_activity(&utmforge_store::ActivityFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(activity.len(), 3, "user, token, revocation: {activity:?}");
}

/// Link checks: a run's results in order of arrival, polled from a place on; each creative's
/// latest status and since when it has been broken; a run of a deleted campaign is gone; the
/// lease goes to one of two handles at a time.
async fn link_checks_and_the_lease(db: TestDb) {
    use utmforge_core::linkcheck::{CheckCode, CheckFinding, LinkReport, RunResult, RunState};
    let store = Store::open(db.url()).await.unwrap();
    let other = Store::open(db.url()).await.unwrap();
    let c = campaign(&store, "Spring Sale").await;
    let k = store
        .create_creative(
            &c.id,
            &CreativeDraft {
                variant: "Headline A".into(),
                ..Default::default()
            }
            .validate(&c)
            .unwrap(),
            &by(),
            entry(),
        )
        .await
        .unwrap();
    let ok = LinkReport::judge(
        "https://example.com/?utm_source=chatgpt",
        Vec::new(),
        Vec::new(),
        None,
    );
    let broken = LinkReport::judge(
        "https://example.com/?utm_source=chatgpt",
        Vec::new(),
        vec![CheckFinding::new(
            CheckCode::Unreachable,
            None,
            "down".into(),
        )],
        None,
    );
    let new_run = |total| utmforge_store::NewRun {
        campaign_id: Some(&c.id),
        started_by: "test",
        total,
    };
    let result = |seq: i64, at: i64, report: &LinkReport| RunResult {
        position: 0,
        seq,
        creative_id: Some(k.id.clone()),
        checked_at: at,
        report: report.clone(),
    };
    // Three runs: broken at 1000, broken at 2000 (still broken since 1000), ok at 3000.
    let mut runs = Vec::new();
    for (at, report) in [(1000, &broken), (2000, &broken), (3000, &ok)] {
        let run = store.create_check_run(&new_run(1), at, 0).await.unwrap();
        assert_eq!(run.state, RunState::Running);
        assert_eq!(
            other
                .running_campaign_check(&c.id, at)
                .await
                .unwrap()
                .as_deref(),
            Some(run.id.as_str())
        );
        assert!(store
            .record_check_result(&run.id, &result(0, at, report))
            .await
            .unwrap());
        let status = &other.campaign_link_statuses(&c.id).await.unwrap()[0];
        assert_eq!(status.checked_at, at);
        assert_eq!(status.broken_since, (at < 3000).then_some(1000), "at {at}");
        store.finish_check_run(&run.id, at).await.unwrap();
        runs.push(run.id);
    }
    let done = other.check_run(&runs[0], 0, 5000).await.unwrap().unwrap();
    assert_eq!(
        (done.state, done.done, done.results.len()),
        (RunState::Done, 1, 1)
    );
    assert_eq!(
        other
            .check_run(&runs[0], 1, 5000)
            .await
            .unwrap()
            .unwrap()
            .results
            .len(),
        0,
        "nothing new from seq 1"
    );
    // A run that stopped moving reads as interrupted; it no longer counts as running.
    let stuck = store
        .create_check_run(&new_run(5), 10_000, 0)
        .await
        .unwrap();
    assert_eq!(store.running_check_runs(10_000).await.unwrap(), 1);
    let later = 10_000 + utmforge_core::linkcheck::RUN_STALE_AFTER_MS + 1;
    assert_eq!(
        store
            .check_run(&stuck.id, 0, later)
            .await
            .unwrap()
            .unwrap()
            .state,
        RunState::Interrupted
    );
    assert_eq!(store.running_check_runs(later).await.unwrap(), 0);
    // Old runs are forgotten when a new one starts; the creatives keep their status.
    store
        .create_check_run(&new_run(0), 20_000, 5_000)
        .await
        .unwrap();
    assert!(store
        .check_run(&runs[0], 0, 20_000)
        .await
        .unwrap()
        .is_none());
    assert_eq!(store.campaign_link_statuses(&c.id).await.unwrap().len(), 1);
    // The campaign deleted: its runs go with it; a late result is dropped, not an error.
    let version = store.get_campaign(&c.id).await.unwrap().version;
    store
        .trash_campaign(&c.id, version, &by(), entry())
        .await
        .unwrap();
    assert!(!store
        .record_check_result(&stuck.id, &result(0, 30_000, &ok))
        .await
        .unwrap());

    // The lease: one of two handles takes it; nobody until it runs out; then the other can.
    assert!(store.take_lease("link-check", "a", 100, 200).await.unwrap());
    assert!(!other.take_lease("link-check", "b", 150, 250).await.unwrap());
    assert!(other.take_lease("link-check", "b", 200, 300).await.unwrap());
    assert!(!store.take_lease("link-check", "a", 250, 350).await.unwrap());
}

/// The team's rules: none at first (version 0); a save names the version it read; a second
/// save based on the same version is refused and the first stays; another handle (a second
/// instance) reads what was saved.
async fn team_rules_are_versioned(db: TestDb) {
    use utmforge_core::rules::{RuleMode, TeamRules};
    let store = Store::open(db.url()).await.unwrap();
    let other = Store::open(db.url()).await.unwrap();
    assert_eq!(store.team_rules().await.unwrap().version, 0);
    let rules = TeamRules {
        approved_domains: vec!["example.com".into()],
        topic_mode: RuleMode::Warn,
        ..TeamRules::default()
    };
    let saved = store
        .save_team_rules(&rules, 0, &by(), entry(), &[])
        .await
        .unwrap();
    assert_eq!((saved.version, saved.rules.clone()), (1, rules.clone()));
    let e = other
        .save_team_rules(&TeamRules::default(), 0, &by(), entry(), &[])
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{e:?}");
    assert_eq!(other.team_rules().await.unwrap().rules, rules);
    let again = other
        .save_team_rules(&TeamRules::default(), 1, &by(), entry(), &[])
        .await
        .unwrap();
    assert_eq!(again.version, 2);
    assert_eq!(
        store.team_rules().await.unwrap().rules,
        TeamRules::default()
    );
}

/// The link history: each write records the creative's URL after it in the same transaction;
/// the same URL twice is one period; a deleted creative's or campaign's periods are closed, not
/// lost; "live between" finds every URL current at some moment of a window; starting the
/// history of older creatives gives each one current URL however often it runs.
async fn link_history_follows_every_write(db: TestDb) {
    let store = Store::open(db.url()).await.unwrap();
    let c = campaign(&store, "Spring Sale").await;
    let valid = |variant: &str, landing: &str, notes: &str| {
        CreativeDraft {
            variant: variant.into(),
            landing_url: landing.into(),
            notes: notes.into(),
            ..Default::default()
        }
        .validate(&c)
        .unwrap()
    };
    let before = now();
    let a = store
        .create_creative(&c.id, &valid("Hero", "", ""), &by(), entry())
        .await
        .unwrap();
    let first = store.link_history(&a.id).await.unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].url, "https://example.com/?utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale&utm_content=hero");
    assert_eq!(
        (
            first[0].variant.as_str(),
            first[0].campaign.as_str(),
            first[0].to
        ),
        ("Hero", "Spring Sale", None)
    );

    // Notes only: the URL is the same, the history too.
    let a = store
        .update_creative(
            &a.id,
            a.version,
            &valid("Hero", "", "new notes"),
            &by(),
            entry(),
        )
        .await
        .unwrap();
    assert_eq!(store.link_history(&a.id).await.unwrap(), first);

    // A new landing URL: the old period closes when the new one opens. (Each URL-changing write
    // here starts a millisecond later, so that no period is empty.)
    tick().await;
    let a = store
        .update_creative(
            &a.id,
            a.version,
            &valid("Hero", "https://example.com/eu", ""),
            &by(),
            entry(),
        )
        .await
        .unwrap();
    let h = store.link_history(&a.id).await.unwrap();
    assert_eq!(h.len(), 2);
    assert!(
        h[0].url.starts_with("https://example.com/eu?"),
        "current first: {h:?}"
    );
    assert_eq!(h[0].to, None);
    assert_eq!(h[1].to, Some(h[0].from));
    assert_eq!(h[1].url, first[0].url);

    // A campaign change records what the service computed for each creative.
    tick().await;
    let renamed = "https://example.com/eu?utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale-eu&utm_content=hero".to_string();
    store
        .update_campaign(
            &c.id,
            store.get_campaign(&c.id).await.unwrap().version,
            &draft("Spring Sale EU").validate().unwrap(),
            &by(),
            entry(),
            &[(a.id.clone(), Some(renamed.clone()))],
        )
        .await
        .unwrap();
    let h = store.link_history(&a.id).await.unwrap();
    assert_eq!(
        (h.len(), h[0].url.as_str(), h[0].campaign.as_str()),
        (3, renamed.as_str(), "Spring Sale EU")
    );

    // Every URL current at some moment of the window, oldest first per creative.
    let live = store.links_live_between(before, now() + 1).await.unwrap();
    assert_eq!(live.len(), 3, "{live:?}");
    assert!(store
        .links_live_between(0, before - 1)
        .await
        .unwrap()
        .is_empty());

    // Deleted: the current period closes; the history stays.
    let a = store.get_creative(&a.id).await.unwrap();
    store
        .trash_creative(&a.id, a.version, &by(), entry())
        .await
        .unwrap();
    let h = store.link_history(&a.id).await.unwrap();
    assert_eq!(h.len(), 3);
    assert!(h.iter().all(|p| p.to.is_some()), "{h:?}");
    assert!(store
        .links_live_between(now() + 10, now() + 20)
        .await
        .unwrap()
        .is_empty());

    // A creative without history (written before it was kept) gets one current URL, once.
    let b = store
        .create_creative(&c.id, &valid("Side", "", ""), &by(), entry())
        .await
        .unwrap();
    assert!(store
        .creatives_without_current_link("", 1_000)
        .await
        .unwrap()
        .is_empty());
    sqlx::query("DELETE FROM link_history WHERE creative_id = $1")
        .bind(&b.id)
        .execute(store.pool())
        .await
        .unwrap();
    let missing = store
        .creatives_without_current_link("", 1_000)
        .await
        .unwrap();
    assert_eq!(
        missing.iter().map(|k| k.id.as_str()).collect::<Vec<_>>(),
        [b.id.as_str()]
    );
    let start = [(b.id.clone(), "https://example.com/?x".to_string(), 5)];
    assert_eq!(store.start_link_history(&start).await.unwrap(), 1);
    assert_eq!(
        store.start_link_history(&start).await.unwrap(),
        0,
        "a second run adds nothing"
    );
    let h = store.link_history(&b.id).await.unwrap();
    assert_eq!((h.len(), h[0].from, h[0].to), (1, 5, None));

    // The campaign deleted: its creatives' periods close.
    let version = store.get_campaign(&c.id).await.unwrap().version;
    store
        .trash_campaign(&c.id, version, &by(), entry())
        .await
        .unwrap();
    let h = store.link_history(&b.id).await.unwrap();
    assert!(h[0].to.is_some());
}

async fn tick() {
    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// Keyset pages: every campaign exactly once in each order, forward and back, while new ones
/// arrive between pages; search, filters and the creative count.
async fn pages_search_and_counts(db: TestDb) {
    use utmforge_core::listing::{CampaignFilter, CampaignQuery, CampaignSort};
    let store = Store::open(db.url()).await.unwrap();
    let mut ids = Vec::new();
    for i in 0..23 {
        let name = format!(
            "{} Campaign {i:02}",
            if i % 3 == 0 { "Spring" } else { "Autumn" }
        );
        let c = campaign(&store, &name).await;
        ids.push(c.id.clone());
        for v in 0..(i % 4) {
            let valid = CreativeDraft {
                variant: format!("V{v}"),
                ..Default::default()
            }
            .validate(&c)
            .unwrap();
            store
                .create_creative(&c.id, &valid, &by(), entry())
                .await
                .unwrap();
        }
    }
    let q = |sort: &str, limit: &str| {
        CampaignFilter {
            sort: Some(sort.into()),
            limit: Some(limit.into()),
            ..Default::default()
        }
        .query()
        .unwrap()
    };
    for sort in ["updated", "name", "creatives"] {
        let mut seen: Vec<String> = Vec::new();
        let mut query: CampaignQuery = q(sort, "5");
        let mut pages = 0;
        loop {
            let page = store.campaigns_page(&query).await.unwrap();
            seen.extend(page.items.iter().map(|s| s.campaign.id.clone()));
            pages += 1;
            if pages == 2 {
                // Arrivals between pages do not shift what follows.
                campaign(&store, &format!("Late {sort}")).await;
            }
            match page.next {
                Some(next) => query.cursor = Some(next),
                None => break,
            }
        }
        let unique: std::collections::HashSet<&String> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "{sort}: no duplicates");
        for id in &ids {
            assert!(seen.contains(id), "{sort}: no gaps");
        }
        // And back from the last page: the same rows, in the same order.
        let last = store
            .campaigns_page(&CampaignQuery {
                cursor: query.cursor.clone(),
                ..q(sort, "5")
            })
            .await
            .unwrap();
        let back = store
            .campaigns_page(&CampaignQuery {
                cursor: last.prev.clone(),
                ..q(sort, "5")
            })
            .await
            .unwrap();
        let before_last: Vec<String> = back.items.iter().map(|s| s.campaign.id.clone()).collect();
        let at = seen.iter().position(|id| *id == before_last[0]).unwrap();
        assert_eq!(
            before_last,
            seen[at..at + before_last.len()].to_vec(),
            "{sort}: back"
        );
    }
    // Orders.
    let by_name = store.campaigns_page(&q("name", "3")).await.unwrap();
    let names: Vec<&str> = by_name
        .items
        .iter()
        .map(|s| s.campaign.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Autumn Campaign 01",
            "Autumn Campaign 02",
            "Autumn Campaign 04"
        ]
    );
    assert!(by_name.prev.is_none());
    let most = store.campaigns_page(&q("creatives", "1")).await.unwrap();
    assert_eq!(most.items[0].creative_count, 3);
    assert_eq!(
        store
            .list_creatives(&most.items[0].campaign.id)
            .await
            .unwrap()
            .len(),
        3,
        "the kept count is the real one"
    );
    // Search (name or utm_campaign, any case, % and _ literal) and filters.
    let search = |text: &str| CampaignQuery {
        search: Some(text.into()),
        ..q("name", "50")
    };
    assert_eq!(
        store
            .campaigns_page(&search("SPRING"))
            .await
            .unwrap()
            .items
            .len(),
        8
    );
    assert_eq!(
        store
            .campaigns_page(&search("spring-campaign-0"))
            .await
            .unwrap()
            .items
            .len(),
        4
    );
    assert_eq!(
        store
            .campaigns_page(&search("%"))
            .await
            .unwrap()
            .items
            .len(),
        0
    );
    assert_eq!(
        store
            .campaigns_page(&search("_"))
            .await
            .unwrap()
            .items
            .len(),
        0
    );
    // Searched pages walk the same way (the search reads the table, not the order's index).
    for sort in ["updated", "name", "creatives"] {
        let mut query = CampaignQuery {
            search: Some("campaign".into()),
            ..q(sort, "4")
        };
        let mut seen = Vec::new();
        loop {
            let page = store.campaigns_page(&query).await.unwrap();
            seen.extend(page.items.iter().map(|s| s.campaign.id.clone()));
            match page.next {
                Some(next) => query.cursor = Some(next),
                None => break,
            }
        }
        let unique: std::collections::HashSet<&String> = seen.iter().collect();
        assert_eq!((seen.len(), unique.len()), (23, 23), "{sort}");
    }
    let drafts = CampaignQuery {
        status: Some(CampaignStatus::Draft),
        ..q("updated", "50")
    };
    assert!(store
        .campaigns_page(&drafts)
        .await
        .unwrap()
        .items
        .is_empty());
    let _ = CampaignSort::Name;
}

/// Clone, bulk change and the trash, each one transaction.
async fn clone_bulk_and_trash(db: TestDb) {
    use utmforge_store::BulkWrite;
    let store = Store::open(db.url()).await.unwrap();
    let c = campaign(&store, "Source").await;
    let valid = |variant: &str, campaign: &Campaign, landing: &str| {
        CreativeDraft {
            variant: variant.into(),
            landing_url: landing.into(),
            ..Default::default()
        }
        .validate(campaign)
        .unwrap()
    };
    for v in ["A", "B", "C"] {
        store
            .create_creative(&c.id, &valid(v, &c, ""), &by(), entry())
            .await
            .unwrap();
    }
    // Clone: a new campaign with copies of the creatives.
    let copy_id = utmforge_store::new_id();
    let draft_copy = CampaignDraft {
        status: "draft".into(),
        ..draft("Source Copy")
    }
    .validate()
    .unwrap();
    let shell = draft_copy.saved_over(&Campaign::stub(&copy_id));
    let copies: Vec<_> = ["A", "B", "C"]
        .iter()
        .map(|v| valid(v, &shell, ""))
        .collect();
    let copy = store
        .create_campaign_with(&copy_id, &draft_copy, &copies, &by(), entry())
        .await
        .unwrap();
    assert_eq!(
        (copy.slug.as_str(), copy.status),
        ("source-copy", CampaignStatus::Draft)
    );
    let copied = store.list_creatives(&copy.id).await.unwrap();
    assert_eq!(copied.len(), 3);
    let originals = store.list_creatives(&c.id).await.unwrap();
    assert!(copied
        .iter()
        .all(|k| k.campaign_id == copy.id && originals.iter().all(|o| o.id != k.id)));
    // A clone whose slug is taken saves nothing.
    let taken = store
        .create_campaign_with(
            &utmforge_store::new_id(),
            &draft("Source").validate().unwrap(),
            &copies,
            &by(),
            entry(),
        )
        .await
        .unwrap_err();
    assert_eq!(conflict_code(taken), (Code::Duplicate, Field::Campaign));
    assert_eq!(store.list_campaigns(None).await.unwrap().len(), 2);

    // Bulk: a new landing URL on A and B, C to the trash, one transaction.
    let c = store.get_campaign(&c.id).await.unwrap();
    let ks = store.list_creatives(&c.id).await.unwrap();
    let moved: Vec<_> = ks[..2]
        .iter()
        .map(|k| valid(&k.variant, &c, "https://example.com/new"))
        .collect();
    let writes = || {
        (0..3)
            .map(|i| BulkWrite {
                creative: &ks[i],
                valid: moved.get(i),
                entry: entry(),
            })
            .collect::<Vec<_>>()
    };
    // At an older campaign version: nothing happens.
    let stale = store
        .bulk_apply(&c.id, c.version - 1, writes(), &by())
        .await
        .unwrap_err();
    assert!(matches!(stale, StoreError::Conflict(_)), "{stale:?}");
    assert_eq!(store.list_creatives(&c.id).await.unwrap(), ks);
    store
        .bulk_apply(&c.id, c.version, writes(), &by())
        .await
        .unwrap();
    let after = store.list_creatives(&c.id).await.unwrap();
    assert_eq!(after.len(), 2);
    assert!(after
        .iter()
        .all(|k| k.landing_url.as_deref() == Some("https://example.com/new")));
    let trash = trash_items(&store).await;
    assert_eq!(
        (trash.len(), trash[0].kind.as_str(), trash[0].name.as_str()),
        (1, "creative", "C")
    );

    // The campaign to the trash: out of every list, restorable with its creatives.
    let c = store.get_campaign(&c.id).await.unwrap();
    store
        .trash_campaign(&c.id, c.version, &by(), entry())
        .await
        .unwrap();
    assert!(matches!(
        store.get_campaign(&c.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(store.list_campaigns(None).await.unwrap().len(), 1);
    let trash = trash_items(&store).await;
    assert_eq!(
        (trash[0].kind.as_str(), trash[0].creatives),
        ("campaign", 2)
    );
    // Its slug reused meanwhile: the restore needs a new one; nothing changes until then.
    let reuse = campaign(&store, "Source").await;
    let mut trashed = store.trashed(&c.id).await.unwrap();
    let e = store
        .restore(&c.id, &trashed, &[], &by(), entry())
        .await
        .unwrap_err();
    assert_eq!(conflict_code(e), (Code::Duplicate, Field::Campaign));
    assert_eq!(trash_items(&store).await.len(), 2);
    trashed.campaign.as_mut().unwrap().slug = "source-again".into();
    store
        .restore(&c.id, &trashed, &[], &by(), entry())
        .await
        .unwrap();
    let back = store.get_campaign(&c.id).await.unwrap();
    assert_eq!(
        (back.slug.as_str(), back.version),
        ("source-again", c.version + 1)
    );
    assert_eq!(store.list_creatives(&c.id).await.unwrap().len(), 2);
    assert_eq!(trash_items(&store).await.len(), 1);
    assert_ne!(reuse.id, back.id);

    // The creative C comes back to its campaign; then nothing is left to purge.
    let c_id = trash_items(&store).await[0].id.clone();
    let trashed = store.trashed(&c_id).await.unwrap();
    store
        .restore(&c_id, &trashed, &[], &by(), entry())
        .await
        .unwrap();
    assert_eq!(store.list_creatives(&c.id).await.unwrap().len(), 3);
    let back = store.get_campaign(&c.id).await.unwrap();
    let counted = store
        .campaigns_page(
            &utmforge_core::listing::CampaignFilter::default()
                .query()
                .unwrap(),
        )
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|s| s.campaign.id == back.id)
        .unwrap()
        .creative_count;
    assert_eq!(counted, 3);

    // Purge: only what is older than the limit goes.
    let k = store.list_creatives(&c.id).await.unwrap().remove(0);
    store
        .trash_creative(&k.id, k.version, &by(), entry())
        .await
        .unwrap();
    assert_eq!(store.purge_trash(now() - 60_000).await.unwrap(), 0);
    assert_eq!(trash_items(&store).await.len(), 1);
    assert_eq!(store.purge_trash(now() + 1).await.unwrap(), 1);
    assert!(trash_items(&store).await.is_empty());
    assert!(matches!(
        store.trashed(&k.id).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn the_trash_is_listed_a_page_at_a_time(db: TestDb) {
    use utmforge_core::listing::TrashCursor;
    let store = Store::open(db.url()).await.unwrap();
    let live = campaign(&store, "Live").await;
    for i in 0..7 {
        let k = store
            .create_creative(
                &live.id,
                &CreativeDraft {
                    variant: format!("K{i}"),
                    ..Default::default()
                }
                .validate(&live)
                .unwrap(),
                &by(),
                entry(),
            )
            .await
            .unwrap();
        store
            .trash_creative(&k.id, k.version, &by(), entry())
            .await
            .unwrap();
    }
    let gone = campaign(&store, "Gone").await;
    for v in ["A", "B", "C"] {
        store
            .create_creative(
                &gone.id,
                &CreativeDraft {
                    variant: v.into(),
                    ..Default::default()
                }
                .validate(&gone)
                .unwrap(),
                &by(),
                entry(),
            )
            .await
            .unwrap();
    }
    let gone = store.get_campaign(&gone.id).await.unwrap();
    store
        .trash_campaign(&gone.id, gone.version, &by(), entry())
        .await
        .unwrap();

    // Pages of 3: 3, 3, 2; every item once, most recently deleted first.
    let mut seen = Vec::new();
    let mut cursor: Option<TrashCursor> = None;
    let mut sizes = Vec::new();
    loop {
        let page = store.list_trash(3, cursor.as_ref()).await.unwrap();
        sizes.push(page.items.len());
        seen.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(TrashCursor::decode(&c).unwrap()),
            None => break,
        }
    }
    assert_eq!(sizes, vec![3, 3, 2]);
    let ids: std::collections::HashSet<_> = seen.iter().map(|t| t.id.clone()).collect();
    assert_eq!(ids.len(), 8);
    assert!(seen
        .windows(2)
        .all(|w| (w[0].deleted_at, &w[0].id) > (w[1].deleted_at, &w[1].id)));
    // The campaign (deleted last) first, with its slug and creative count; a creative names its
    // campaign's utm_campaign.
    assert_eq!(
        (
            seen[0].kind.as_str(),
            seen[0].creatives,
            seen[0].slug.as_deref()
        ),
        ("campaign", 3, Some("gone"))
    );
    assert_eq!(
        (
            seen[1].kind.as_str(),
            seen[1].creatives,
            seen[1].slug.as_deref()
        ),
        ("creative", 0, Some("live"))
    );
    // Whatever the size, the full list is the same.
    assert_eq!(trash_items(&store).await, seen);
}

/// Each campaign's days are summed at the pull: a day pulled again replaces its part, unknown
/// stays unknown, and an ad that moved to another campaign's creative leaves the old campaign's
/// days (and the cost data and the spend read from them).
async fn campaign_days_follow_every_pull(db: TestDb) {
    use utmforge_core::ads::insights::AdDay;
    let store = Store::open(db.url()).await.unwrap();
    let (a, b) = (
        campaign(&store, "Alpha").await,
        campaign(&store, "Beta").await,
    );
    let day = |ad: &str, day: &str, clicks: i64, spend: Option<i64>| {
        (
            format!("k-{ad}"),
            AdDay {
                ad_id: ad.into(),
                day: day.into(),
                impressions: Some(100),
                clicks: Some(clicks),
                spend_micros: spend,
                conversions: None,
                sales_micros: None,
            },
        )
    };
    store
        .save_ad_days(
            &a.id,
            &[
                day("ad_1", "2026-11-01", 10, Some(1_000_000)),
                day("ad_2", "2026-11-01", 20, None),
                day("ad_1", "2026-11-02", 30, Some(3_000_000)),
            ],
            1,
        )
        .await
        .unwrap();
    // Each campaign day as (slug, day, clicks, spend), to compare with `row`.
    let sums = |days: Vec<utmforge_core::ga4::CampaignDay>| {
        days.into_iter()
            .map(|d| (d.slug, d.day, d.clicks, d.spend_micros))
            .collect::<Vec<_>>()
    };
    let row = |slug: &str, day: &str, clicks: i64, spend: i64| {
        (slug.to_string(), day.to_string(), Some(clicks), Some(spend))
    };
    let all = store
        .campaign_days("2026-11-01", "2026-11-30")
        .await
        .unwrap();
    assert_eq!(
        sums(all),
        [
            row("alpha", "2026-11-01", 30, 1_000_000),
            row("alpha", "2026-11-02", 30, 3_000_000),
        ]
    );
    let by_creative = store
        .results_totals(&a.id, "2026-11-01", "2026-11-30")
        .await
        .unwrap()
        .by_creative;
    assert_eq!(
        by_creative[0].1.clicks,
        Some(40),
        "k-ad_1 in Alpha: 10 + 30"
    );
    // ad_1 now belongs to a creative of Beta; its 2nd of November is pulled again there.
    store
        .save_ad_days(&b.id, &[day("ad_1", "2026-11-02", 35, Some(3_500_000))], 2)
        .await
        .unwrap();
    let all = store
        .campaign_days("2026-11-01", "2026-11-30")
        .await
        .unwrap();
    assert_eq!(
        sums(all),
        [
            row("alpha", "2026-11-01", 30, 1_000_000),
            row("beta", "2026-11-02", 35, 3_500_000),
        ]
    );
    // Alpha's sums were kept in memory: they are read again, without the ad that left.
    let by_creative = store
        .results_totals(&a.id, "2026-11-01", "2026-11-30")
        .await
        .unwrap()
        .by_creative;
    assert_eq!(by_creative[0].1.clicks, Some(10));
    let spend = store
        .campaign_spend(&[a.id.clone(), b.id.clone()], "2026-11-01", "2026-11-30")
        .await
        .unwrap();
    assert_eq!(
        (spend.get(&a.id), spend.get(&b.id)),
        (Some(&1_000_000), Some(&3_500_000))
    );
}

/// Two handles that keep sign-ins in memory (two instances) and one that does not (the command
/// line): a changed role, a disabled user, a new password, a revoked token and a deleted
/// session written through one are seen by the other at once — on SQLite through the WAL
/// index before the next lookup, on PostgreSQL through the notification its writer waits to
/// hear back (the other's listener hears it at the same moment; here it is given up to a
/// second, since both run in one process on one thread).
async fn sign_ins_kept_in_memory_follow_every_change(db: TestDb) {
    use utmforge_core::account::Role;
    let a = Store::open(db.url()).await.unwrap();
    let b = Store::open(db.url()).await.unwrap();
    let cli = Store::open(db.url()).await.unwrap();
    for store in [&a, &b] {
        store.keep_auth_in_memory();
        let started = std::time::Instant::now();
        while !store.keeps_auth_in_memory() {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(10),
                "never listening"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
    let postgres = a.backend() == utmforge_store::Backend::Postgres;
    // What the reading handle answers: at once after a write through a handle that listens
    // (it waited for every listener's answer) and on SQLite; after a write by the command line
    // on PostgreSQL (nobody waits for the listeners' answers there), within a second.
    async fn seen<T: PartialEq + std::fmt::Debug, F: std::future::Future<Output = T>>(
        may_wait: bool,
        want: T,
        read: impl Fn() -> F,
    ) {
        let started = std::time::Instant::now();
        loop {
            let got = read().await;
            if got == want {
                return;
            }
            assert!(
                may_wait && started.elapsed() < std::time::Duration::from_secs(1),
                "still {got:?}, want {want:?}"
            );
            tokio::task::yield_now().await;
        }
    }
    let (at_once, cli_on_postgres) = (false, postgres);
    let user = cli
        .create_user(
            "kim@example.com",
            "Kim",
            Role::Editor,
            "hash",
            &by(),
            entry(),
        )
        .await
        .unwrap();
    cli.create_token(&user.id, "ci", Role::Editor, "kimhash", &by(), entry())
        .await
        .unwrap();
    let role = || async {
        a.token_by_hash("kimhash")
            .await
            .unwrap()
            .map(|o| (o.token.role, o.user.role))
    };
    assert_eq!(role().await, Some((Role::Editor, Role::Editor)));
    // What is kept (token hashes, session ids and data) and the database URL (its password)
    // never show in a log line.
    let shown = format!("{a:?}");
    assert!(
        !shown.contains("kimhash") && !shown.contains(db.url()),
        "{shown}"
    );

    // Kept: on PostgreSQL a change made by hand (no notification) is not seen at once.
    if postgres {
        sqlx::query("UPDATE users SET name = 'By Hand' WHERE id = $1")
            .bind(&user.id)
            .execute(cli.pool())
            .await
            .unwrap();
        assert_eq!(
            a.get_user(&user.id).await.unwrap().name,
            "Kim",
            "read from memory"
        );
    }

    // A lower role, written by the other instance and by the command line.
    b.update_user(&user.id, Role::Viewer, None, &by(), entry())
        .await
        .unwrap();
    seen(at_once, Some((Role::Viewer, Role::Viewer)), role).await;
    cli.update_user(&user.id, Role::Admin, None, &by(), entry())
        .await
        .unwrap();
    seen(cli_on_postgres, Some((Role::Viewer, Role::Admin)), role).await;

    // A new password (sessions before it end).
    assert_eq!(a.get_user(&user.id).await.unwrap().sessions_after, 0);
    b.set_password(&user.id, "new", 77, &by(), entry())
        .await
        .unwrap();
    seen(at_once, 77, || async {
        a.get_user(&user.id).await.unwrap().sessions_after
    })
    .await;

    // Disabled.
    b.update_user(&user.id, Role::Admin, Some(5), &by(), entry())
        .await
        .unwrap();
    seen(at_once, Some(5), || async {
        a.get_user(&user.id).await.unwrap().disabled_at
    })
    .await;
    seen(at_once, Some(Some(5)), || async {
        a.token_by_hash("kimhash")
            .await
            .unwrap()
            .map(|o| o.user.disabled_at)
    })
    .await;

    // Revoked, by the command line.
    let token = cli.list_tokens(Some(&user.id)).await.unwrap().remove(0);
    cli.revoke_token(&token.id, &by(), entry()).await.unwrap();
    seen(cli_on_postgres, true, || async {
        a.token_by_hash("kimhash").await.unwrap().is_none()
    })
    .await;

    // A session kept by both, signed out on one.
    let now = 1_700_000_000_000;
    assert!(a.insert_session("kept", "{}", now + 10_000).await.unwrap());
    assert_eq!(
        b.load_session("kept", now).await.unwrap().as_deref(),
        Some("{}")
    );
    assert_eq!(
        a.load_session("kept", now).await.unwrap().as_deref(),
        Some("{}")
    );
    a.delete_session("kept").await.unwrap();
    seen(at_once, None, || async {
        b.load_session("kept", now).await.unwrap()
    })
    .await;
    // Kept sessions still expire.
    assert!(a.insert_session("short", "{}", now + 10).await.unwrap());
    assert_eq!(a.load_session("short", now + 11).await.unwrap(), None);
}

/// The first 200 items in the trash.
async fn trash_items(store: &Store) -> Vec<utmforge_core::views::TrashItem> {
    store.list_trash(200, None).await.unwrap().items
}

on_both_backends!(
    sign_ins_kept_in_memory_follow_every_change,
    campaign_days_follow_every_pull,
    the_trash_is_listed_a_page_at_a_time,
    pages_search_and_counts,
    clone_bulk_and_trash,
    link_history_follows_every_write,
    team_rules_are_versioned,
    sessions_are_shared_through_the_database,
    tokens_and_sign_in_failures,
    campaigns_survive_reopening_the_file,
    slugs_are_unique,
    a_stale_save_is_refused_and_the_newer_data_stays,
    creatives_belong_to_a_campaign_and_go_with_it,
    filter_by_status,
    an_import_is_one_transaction,
    an_import_create_that_hits_the_unique_constraint_saves_nothing,
    the_activity_log_is_written_with_the_change_and_cannot_be_edited,
    link_checks_and_the_lease,
);
