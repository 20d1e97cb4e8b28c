//! The store against a real SQLite file.

use std::path::PathBuf;
use utmforge_core::{Campaign, CampaignDraft, CampaignStatus, Code, CreativeDraft, Field};
use utmforge_store::{Store, StoreError};

struct TempDb {
    dir: PathBuf,
}

impl TempDb {
    fn new(name: &str) -> TempDb {
        let dir =
            std::env::temp_dir().join(format!("utmforge-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        TempDb { dir }
    }
    fn url(&self) -> String {
        format!("sqlite://{}/nested/utmforge.db", self.dir.display())
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

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

#[tokio::test]
async fn campaigns_survive_reopening_the_file() {
    let db = TempDb::new("reopen");
    let store = Store::open(&db.url()).await.unwrap();
    let created = campaign(&store, "Spring Sale").await;
    assert_eq!(created.slug, "spring-sale");
    assert_eq!(created.version, 1);
    assert_eq!(created.id.len(), 36);
    store.close().await;

    let store = Store::open(&db.url()).await.unwrap();
    let again = store.get_campaign(&created.id).await.unwrap();
    assert_eq!(again, created);
    let list = store.list_campaigns(None).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].creative_count, 0);
}

#[tokio::test]
async fn slugs_are_unique() {
    let db = TempDb::new("unique");
    let store = Store::open(&db.url()).await.unwrap();
    campaign(&store, "Spring Sale").await;
    let err = store
        .create_campaign(&draft("spring   sale!").validate().unwrap(), &by(), entry())
        .await
        .unwrap_err();
    assert_eq!(conflict_code(err), (Code::Duplicate, Field::Campaign));
    assert_eq!(store.list_campaigns(None).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_stale_save_is_refused_and_the_newer_data_stays() {
    let db = TempDb::new("stale");
    let store = Store::open(&db.url()).await.unwrap();
    let c = campaign(&store, "Spring Sale").await;
    let first = store
        .update_campaign(
            &c.id,
            c.version,
            &draft("Spring Sale EU").validate().unwrap(),
            &by(),
            entry(),
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
        )
        .await
        .unwrap_err();
    assert_eq!(conflict_code(err), (Code::Stale, Field::Version));
    assert_eq!(
        store.get_campaign(&c.id).await.unwrap().name,
        "Spring Sale EU"
    );

    let err = store
        .delete_campaign(&c.id, 1, &by(), entry())
        .await
        .unwrap_err();
    assert_eq!(conflict_code(err), (Code::Stale, Field::Version));
    assert!(matches!(
        store
            .update_campaign("nope", 1, &draft("x").validate().unwrap(), &by(), entry())
            .await,
        Err(StoreError::NotFound(_))
    ));
}

#[tokio::test]
async fn creatives_belong_to_a_campaign_and_go_with_it() {
    let db = TempDb::new("creatives");
    let store = Store::open(&db.url()).await.unwrap();
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
        .delete_creative(&a.id, 1, &by(), entry())
        .await
        .unwrap_err();
    assert_eq!(conflict_code(err), (Code::Stale, Field::Version));

    // Every creative write raised the campaign's version: a delete confirmed against the
    // campaign as first read is refused, and deletes nothing.
    let err = store
        .delete_campaign(&c.id, c.version, &by(), entry())
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
        .delete_campaign(&c.id, now.version, &by(), entry())
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

#[tokio::test]
async fn filter_by_status() {
    let db = TempDb::new("status");
    let store = Store::open(&db.url()).await.unwrap();
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
    let err = Store::open("postgres://nowhere/db")
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("postgres://nowhere/db"), "{err}");
}

/// An import saves all its rows or none: a creative edited since the preview rolls back the
/// creates of the same import too.
#[tokio::test]
async fn an_import_is_one_transaction() {
    let db = TempDb::new("import");
    let store = Store::open(&db.url()).await.unwrap();
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
#[tokio::test]
async fn an_import_create_that_hits_the_unique_constraint_saves_nothing() {
    let db = TempDb::new("import-unique");
    let store = Store::open(&db.url()).await.unwrap();
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

#[tokio::test]
async fn the_activity_log_is_written_with_the_change_and_cannot_be_edited() {
    let db = TempDb::new("activity");
    let store = Store::open(&db.url()).await.unwrap();
    let c = campaign(&store, "Logged").await;
    // A refused write (stale version) records nothing.
    let _ = store
        .update_campaign(
            &c.id,
            c.version + 7,
            &draft("Never").validate().unwrap(),
            &by(),
            entry(),
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
    let pool = store.sqlite_pool();
    let edit = sqlx::query("UPDATE activity SET actor = 'someone else'")
        .execute(pool)
        .await;
    assert!(edit.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM activity").execute(pool).await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}
