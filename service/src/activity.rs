//! Reading the activity log. Entries are written by the use cases that make the changes (in
//! the same transaction); nothing here or anywhere else edits or deletes one.

use crate::{Ctx, Error};
use utmforge_core::account::Role;
use utmforge_core::activity::{Action, Entry};
use utmforge_core::{Code, Field, Notice};
use utmforge_store::ActivityFilter;

/// Most entries one request returns.
pub const MAX_ENTRIES: i64 = 200;
pub use utmforge_core::activity::DEFAULT_ENTRIES;

/// What to list: every field given must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub campaign_id: Option<String>,
    pub actor_id: Option<String>,
    pub action: Option<String>,
    pub since: Option<i64>,
    pub before_id: Option<i64>,
    pub limit: Option<i64>,
}

/// Entries, newest first. A campaign's history is for everyone who can see the campaign; the
/// whole log (no campaign given) is for admins.
pub async fn list(ctx: &Ctx, query: Query) -> Result<Vec<Entry>, Error> {
    ctx.require(if query.campaign_id.is_some() {
        Role::Viewer
    } else {
        Role::Admin
    })?;
    let action = match query.action.as_deref() {
        None | Some("") => None,
        Some(a) => Some(a.parse::<Action>().map_err(|_| {
            let names: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
            Error::invalid(vec![Notice::new(
                Code::NotAllowed,
                Field::Body,
                format!(
                    "action “{}” is not one of {}",
                    a.chars().take(40).collect::<String>(),
                    names.join(", ")
                ),
            )])
        })?),
    };
    let limit = query.limit.unwrap_or(DEFAULT_ENTRIES);
    if !(1..=MAX_ENTRIES).contains(&limit) {
        return Err(Error::invalid(vec![Notice::new(
            Code::TooMany,
            Field::Body,
            format!("limit must be between 1 and {MAX_ENTRIES}"),
        )]));
    }
    Ok(ctx
        .store
        .list_activity(&ActivityFilter {
            campaign_id: query.campaign_id,
            actor_id: query.actor_id,
            action,
            since: query.since,
            before_id: query.before_id,
            limit,
        })
        .await?)
}
