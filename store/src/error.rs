//! Why a store call failed, and which failures mean the database is away.

use super::*;

/// Why a store call failed.
#[derive(Debug)]
pub enum StoreError {
    /// Nothing was saved; the notice says why and what to do (duplicate slug, stale version).
    Conflict(Notice),
    /// The row does not exist (any more): `"campaign"` or `"creative"`.
    NotFound(&'static str),
    /// The database cannot be reached now (down, restarting, no free connection in time):
    /// nothing was saved; trying again later may work.
    Unavailable(sqlx::Error),
    /// The database itself failed.
    Database(sqlx::Error),
    /// The database URL or file could not be used.
    Open(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Conflict(n) => f.write_str(&n.message),
            StoreError::NotFound(what) => write!(f, "this {what} does not exist (any more)"),
            StoreError::Unavailable(e) => write!(f, "database unavailable: {e}"),
            StoreError::Database(e) => write!(f, "database error: {e}"),
            StoreError::Open(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for StoreError {}

impl StoreError {
    /// The row changed since the version the change was based on: nothing was saved.
    pub fn stale(what: &str) -> StoreError {
        StoreError::Conflict(Notice::new(
            Code::Stale,
            Field::Version,
            format!("this {what} was changed elsewhere since you opened it; nothing was saved. Reload the page to see the newer version, then make your change again"),
        ))
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if is_unavailable(&e) {
            StoreError::Unavailable(e)
        } else {
            StoreError::Database(e)
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        match e {
            sqlx::migrate::MigrateError::Execute(e) => StoreError::from(e),
            other => StoreError::Open(format!("cannot migrate the database: {other}")),
        }
    }
}

/// Errors that mean "the database is not there right now", not "this request is wrong": no
/// connection in time, a broken connection, PostgreSQL shutting down or starting up, too many
/// connections, a statement over its timeout, SQLite's lock wait over.
pub(crate) fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(d) => d.code().is_some_and(|code| {
            // PostgreSQL's SQLSTATE (five characters): 08 connection exceptions, 57P0x
            // shutdown/crash/starting, 53300 too many connections, 57014 statement timeout.
            // SQLite's (extended) result code, a number: primary code 5 busy or 6 locked (e.g.
            // 517, SQLITE_BUSY_SNAPSHOT).
            if code.len() == 5 {
                code.starts_with("08")
                    || code.starts_with("57P0")
                    || code == "53300"
                    || code == "57014"
            } else {
                code.parse::<u32>().is_ok_and(|n| matches!(n & 0xff, 5 | 6))
            }
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    /// A database error with a given code, as either driver reports it.
    #[derive(Debug)]
    struct Coded(&'static str);

    impl fmt::Display for Coded {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "error {}", self.0)
        }
    }

    impl std::error::Error for Coded {}

    impl sqlx::error::DatabaseError for Coded {
        fn message(&self) -> &str {
            self.0
        }
        fn code(&self) -> Option<Cow<'_, str>> {
            Some(Cow::Borrowed(self.0))
        }
        fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
            self
        }
        fn kind(&self) -> sqlx::error::ErrorKind {
            sqlx::error::ErrorKind::Other
        }
    }

    fn unavailable(code: &'static str) -> bool {
        matches!(
            StoreError::from(sqlx::Error::Database(Box::new(Coded(code)))),
            StoreError::Unavailable(_)
        )
    }

    #[test]
    fn which_errors_mean_the_database_is_not_there() {
        // PostgreSQL: connection lost, shutting down, starting up, too many connections,
        // statement timeout. SQLite: busy, locked, busy snapshot (517).
        for code in [
            "08006", "08001", "57P01", "57P03", "53300", "57014", "5", "6", "517", "262",
        ] {
            assert!(unavailable(code), "{code}");
        }
        // A request's own fault or a bug: unique/foreign-key/check violations, syntax, SQLite
        // constraint (19, 2067), missing table (1).
        for code in [
            "23505", "23503", "23514", "42601", "42P01", "19", "2067", "1",
        ] {
            assert!(!unavailable(code), "{code}");
        }
        assert!(matches!(
            StoreError::from(sqlx::Error::PoolTimedOut),
            StoreError::Unavailable(_)
        ));
        assert!(matches!(
            StoreError::from(sqlx::Error::RowNotFound),
            StoreError::Database(_)
        ));
    }

    #[test]
    fn urls_are_shown_without_their_password() {
        assert_eq!(
            redact("postgres://app:s3cret@db.internal:5432/utm"),
            "postgres://app:***@db.internal:5432/utm"
        );
        assert_eq!(redact("postgres://app@db/utm"), "postgres://app@db/utm");
        assert_eq!(
            redact("sqlite://data/utmforge.db"),
            "sqlite://data/utmforge.db"
        );
        assert!(matches!(
            Backend::of_url("postgresql://db/x"),
            Ok(Backend::Postgres)
        ));
        assert!(Backend::of_url("mysql://db/x").is_err());
    }
}
