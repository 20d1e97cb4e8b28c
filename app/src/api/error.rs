//! What can go wrong, as a page shows it (`AppError`).

use super::JsonText;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use utmforge_core::{Field, Notice};

/// What can go wrong, as the page needs to show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AppError {
    /// The input breaks a rule: each notice names its field. Nothing was saved.
    Invalid(Vec<Notice>),
    /// Saving would clash with other data (duplicate slug, stale version). Nothing was saved.
    Conflict(Notice),
    /// The campaign or creative does not exist (any more): the message says which; the code is
    /// the REST API's for the same answer (`not-found`).
    NotFound { code: String, message: String },
    /// The request was refused as a whole (too large, too many URLs or rows, unreadable).
    Refused {
        code: String,
        message: String,
        field: Option<Field>,
    },
    /// Something failed on the server or on the way there.
    Internal(String),
}

impl AppError {
    /// The message to show beside `field`, if any.
    pub fn for_field(&self, field: Field) -> Option<String> {
        match self {
            AppError::Invalid(notices) => notices
                .iter()
                .filter(|n| n.field == field)
                .map(|n| n.message.clone())
                .reduce(|a, b| format!("{a}; {b}")),
            AppError::Conflict(n) if n.field == field => Some(n.message.clone()),
            AppError::Refused {
                message,
                field: Some(f),
                ..
            } if *f == field => Some(message.clone()),
            _ => None,
        }
    }

    /// The message for a form whose only input is `field` (the audit's URLs, an import's
    /// sheet): what is wrong with it, else the summary.
    pub fn message_about(&self, field: Field) -> String {
        self.for_field(field)
            .map_or_else(|| self.summary(), |m| capitalized(&m))
    }

    /// Why a page could not be shown (a read: nothing was being saved): each refused value's
    /// own message, else the summary.
    pub fn reason(&self) -> String {
        match self {
            AppError::Invalid(notices) if !notices.is_empty() => capitalized(
                &notices
                    .iter()
                    .map(|n| n.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            _ => self.summary(),
        }
    }

    /// The message for the whole form: conflicts and failures not tied to a visible field.
    pub fn summary(&self) -> String {
        match self {
            AppError::Invalid(notices) if notices.len() == 1 => {
                "Nothing was saved: fix the field marked below.".to_string()
            }
            AppError::Invalid(_) => "Nothing was saved: fix the fields marked below.".to_string(),
            AppError::Conflict(n) => n.message.clone(),
            AppError::NotFound { message, .. } => capitalized(message),
            AppError::Refused { message, .. } => capitalized(message),
            AppError::Internal(e) => format!("The server could not do this: {e}"),
        }
    }
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary())
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonText;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The arguments could not be read (a missing or mistyped form field).
            ServerFnErrorErr::Args(e) | ServerFnErrorErr::Deserialization(e) => AppError::Refused {
                code: "malformed".into(),
                message: format!("the form could not be read: {e}"),
                field: None,
            },
            other => AppError::Internal(other.to_string()),
        }
    }
}
