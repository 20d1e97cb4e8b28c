//! The server side of every server function: the use cases' context for this request, and a
//! use case's answer (or error, with its status) for the page.

use crate::api::AppError;
use utmforge_service::{Actor, Ctx, Error, ErrorKind};

/// The use cases' context: the router's store and clock, with the actor the
/// authentication middleware found for this request.
pub fn ctx() -> Result<Ctx, AppError> {
    let base = leptos::prelude::use_context::<Ctx>()
        .ok_or_else(|| AppError::Internal("the service is not available".into()))?;
    let actor = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Actor>().cloned())
        .unwrap_or(Actor::Anonymous);
    Ok(base.with_actor(actor))
}

/// A use case's answer, with its error's status on the response.
pub fn answer<T>(result: Result<T, Error>) -> Result<T, AppError> {
    result.map_err(|e| {
        set_status(e.status());
        if let (Some(seconds), Some(response)) = (
            e.retry_after,
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        ) {
            response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
        }
        e.into()
    })
}

/// A use case's answer for a page's data (see [`crate::api::Answer`]).
pub fn json<T: serde::Serialize>(result: Result<T, Error>) -> Result<crate::api::Answer, AppError> {
    answer(result).and_then(|value| crate::api::Answer::of(&value))
}

/// A service error as the page shows it.
impl From<Error> for AppError {
    fn from(e: Error) -> AppError {
        match e.kind {
            ErrorKind::Invalid => AppError::Invalid(e.notices),
            ErrorKind::Conflict => {
                AppError::Conflict(e.notices.into_iter().next().unwrap_or_else(|| {
                    utmforge_core::Notice::new(
                        utmforge_core::Code::Stale,
                        utmforge_core::Field::Version,
                        e.message.clone(),
                    )
                }))
            }
            ErrorKind::NotFound => AppError::NotFound {
                code: e.code.into_owned(),
                message: e.message,
            },
            ErrorKind::Internal => AppError::Internal(e.message),
            _ => AppError::Refused {
                code: e.code.into_owned(),
                message: e.message,
                field: e.field,
            },
        }
    }
}

fn set_status(status: http::StatusCode) {
    // A form posted without JavaScript (the browser asks for HTML) gets leptos's redirect
    // back to the page, carrying the error to show there: leave its status alone.
    let plain_form_post = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.headers.get(http::header::ACCEPT).cloned())
        .and_then(|accept| accept.to_str().ok().map(|a| a.contains("text/html")))
        .unwrap_or(false);
    if !plain_form_post {
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
        }
    }
}
