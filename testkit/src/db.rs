//! Throwaway databases for tests: a SQLite file in a temporary folder, or a fresh schema in the
//! PostgreSQL database named by `UTMFORGE_TEST_POSTGRES_URL` (scripts/test.sh starts PostgreSQL,
//! creates a database for the run, sets the variable and drops the database after).

use std::path::PathBuf;

/// The variable that names the PostgreSQL database the tests may use.
pub const POSTGRES_ENV: &str = "UTMFORGE_TEST_POSTGRES_URL";

pub struct TestDb {
    url: String,
    dir: Option<PathBuf>,
}

impl TestDb {
    /// A new SQLite file under the temporary folder (removed when dropped).
    pub fn sqlite(name: &str) -> TestDb {
        let dir = std::env::temp_dir().join(format!(
            "utmforge-test-{name}-{}-{}",
            std::process::id(),
            unique()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        TestDb {
            url: format!("sqlite://{}/nested/utmforge.db", dir.display()),
            dir: Some(dir),
        }
    }

    /// An empty schema of its own in the test PostgreSQL database; None (with a note on stderr)
    /// when none is configured. Under CI a missing database is a failure, not a skip.
    pub async fn postgres(name: &str) -> Option<TestDb> {
        let Some(base) = postgres_url() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "{POSTGRES_ENV} is not set: run the tests with scripts/test.sh"
            );
            eprintln!("{name}: skipped on PostgreSQL ({POSTGRES_ENV} is not set)");
            return None;
        };
        let schema: String = format!("t_{}_{}_{}", std::process::id(), unique(), name)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(63)
            .collect();
        use utmforge_store::sqlx::{self, Connection};
        let mut admin = sqlx::PgConnection::connect(&base)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {POSTGRES_ENV}: {e}"));
        sqlx::raw_sql(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .execute(&mut admin)
        .await
        .expect("create the test schema");
        let join = if base.contains('?') { '&' } else { '?' };
        Some(TestDb {
            url: format!("{base}{join}options=-c%20search_path%3D{schema}"),
            dir: None,
        })
    }

    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

pub fn postgres_url() -> Option<String> {
    std::env::var(POSTGRES_ENV).ok().filter(|u| !u.is_empty())
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Runs each named `async fn name(db: TestDb)` once on SQLite and once on PostgreSQL: two
/// tests, `sqlite::name` and `postgres::name`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::db::TestDb::sqlite(stringify!($name))).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    if let Some(db) = $crate::db::TestDb::postgres(stringify!($name)).await {
                        super::$name(db).await
                    }
                }
            )*
        }
    };
}
