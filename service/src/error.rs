//! The one error of every use case, and the one place that maps it to an HTTP status.

use http::StatusCode;
use std::borrow::Cow;
use utmforge_core::{Code, Field, Notice};
use utmforge_store::StoreError;

/// What kind of refusal, which decides the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request cannot be read (malformed JSON, an unreadable body): 400.
    Malformed,
    /// No valid credentials: 401.
    Unauthenticated,
    /// Signed in, but not allowed: 403.
    Forbidden,
    /// The campaign, creative or endpoint does not exist (any more): 404.
    NotFound,
    /// Clashes with the data as it is now (duplicate, stale version): 409. Nothing was saved.
    Conflict,
    /// A body over the byte limit of its endpoint: 413.
    TooLarge,
    /// A body in a format this endpoint does not take: 415.
    UnsupportedMediaType,
    /// Input that breaks a rule; every broken rule is listed: 422. Nothing was saved.
    Invalid,
    /// Too many requests: 429.
    TooManyRequests,
    /// The server or its database failed: 500. The details are in the log, not the answer.
    Internal,
    /// The database cannot be reached now (down, restarting, overloaded): 503 with a
    /// `Retry-After`. Nothing was saved; the same request may work in a moment.
    Unavailable,
}

/// A refusal: its kind, a stable machine code, a message for a person, the field it concerns
/// and, when several rules were broken, every one of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub kind: ErrorKind,
    pub code: Cow<'static, str>,
    pub message: String,
    pub field: Option<Field>,
    /// Every broken rule (422), the first one also in `code`/`message`/`field`.
    pub notices: Vec<Notice>,
    /// Seconds to wait before trying again (429): the `Retry-After` header.
    pub retry_after: Option<u64>,
}

impl Error {
    pub fn new(
        kind: ErrorKind,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Error {
        Error {
            kind,
            code: code.into(),
            message: message.into(),
            field: None,
            notices: Vec::new(),
            retry_after: None,
        }
    }

    /// No valid credentials (401 `unauthenticated`).
    pub fn unauthenticated() -> Error {
        Error::new(
            ErrorKind::Unauthenticated,
            "unauthenticated",
            "sign in first (scripts: send Authorization: Bearer <API token>)",
        )
    }

    /// Signed in but not allowed (403 `forbidden`).
    pub fn forbidden(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Forbidden, "forbidden", message)
    }

    /// The HTTP status of this error: the only place kinds become statuses.
    pub fn status(&self) -> StatusCode {
        match self.kind {
            ErrorKind::Malformed => StatusCode::BAD_REQUEST,
            ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// Broken rules (422): the first up front, all of them in `notices`.
    pub fn invalid(notices: Vec<Notice>) -> Error {
        let first = notices
            .first()
            .cloned()
            .unwrap_or_else(|| Notice::new(Code::Required, Field::Body, "the input is not valid"));
        Error {
            kind: ErrorKind::Invalid,
            code: first.code.as_str().into(),
            message: first.message,
            field: Some(first.field),
            notices,
            retry_after: None,
        }
    }

    /// A clash (409) with several notices: the first up front, all of them in `notices`.
    pub fn conflict(notices: Vec<Notice>) -> Error {
        let mut e = Error::invalid(notices);
        e.kind = ErrorKind::Conflict;
        e
    }

    /// A refusal about one field, of any kind.
    pub fn notice(kind: ErrorKind, notice: Notice) -> Error {
        Error {
            kind,
            code: notice.code.as_str().into(),
            message: notice.message.clone(),
            field: Some(notice.field),
            notices: vec![notice],
            retry_after: None,
        }
    }

    /// Too many items for one request (URLs, rows, columns): a broken rule (422) naming the
    /// field. (413 is for bodies over the byte limit.)
    pub fn too_many(field: Field, message: impl Into<String>) -> Error {
        Error::invalid(vec![Notice::new(Code::TooMany, field, message)])
    }

    pub fn not_found(what: &str) -> Error {
        Error::new(
            ErrorKind::NotFound,
            Code::NotFound.as_str(),
            format!("this {what} does not exist (any more): it may have been deleted"),
        )
    }

    pub fn internal(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Internal, "internal", message)
    }

    /// The database cannot be reached (503 `database-unavailable`, try again in 5 s).
    pub fn unavailable() -> Error {
        Error {
            retry_after: Some(5),
            ..Error::new(
                ErrorKind::Unavailable,
                "database-unavailable",
                "the database cannot be reached right now; nothing was saved. Try again in a few seconds",
            )
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        match e {
            StoreError::Conflict(n) => Error::notice(ErrorKind::Conflict, n),
            StoreError::NotFound(what) => Error::not_found(what),
            StoreError::Unavailable(e) => {
                tracing::warn!(error = %e, "database unavailable");
                Error::unavailable()
            }
            other => {
                tracing::error!(error = %other, "store call failed");
                Error::internal("the database failed; try again")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlx_timeout() -> utmforge_store::sqlx::Error {
        utmforge_store::sqlx::Error::PoolTimedOut
    }

    #[test]
    fn each_kind_has_its_status() {
        let status = |kind| Error::new(kind, "x", "x").status().as_u16();
        assert_eq!(status(ErrorKind::Malformed), 400);
        assert_eq!(status(ErrorKind::Conflict), 409);
        assert_eq!(status(ErrorKind::TooLarge), 413);
        assert_eq!(status(ErrorKind::Invalid), 422);
        assert_eq!(status(ErrorKind::Unavailable), 503);
        let down = Error::from(StoreError::Unavailable(sqlx_timeout()));
        assert_eq!((down.status().as_u16(), down.retry_after), (503, Some(5)));
        assert_eq!(Error::from(StoreError::NotFound("campaign")).status(), 404);
        let stale = Notice::new(Code::Stale, Field::Version, "changed");
        let e = Error::from(StoreError::Conflict(stale));
        assert_eq!((e.status().as_u16(), e.code.as_ref()), (409, "stale"));
    }
}
