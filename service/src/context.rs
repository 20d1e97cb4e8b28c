//! Who is asking, with what, and when — and the one place that decides whether they may.

use crate::Error;
use utmforge_core::account::{Me, Role, User};
use utmforge_core::time::Clock;
use utmforge_core::views::{CampaignPage, CreativeWithUrl};
use utmforge_core::{Campaign, Code};
use utmforge_store::{Author, Store, StoreError};

/// Everything a use case needs besides its input.
#[derive(Clone)]
pub struct Ctx {
    pub store: Store,
    pub actor: Actor,
    /// The link checker, on a server that checks links (none: checks are refused).
    pub links: Option<crate::linkcheck::Checker>,
    /// The Advertiser API, on a server with a key (none: the ChatGPT Ads use cases say so).
    pub ads: Option<std::sync::Arc<crate::ads_api::AdsClient>>,
}

impl Ctx {
    /// The team's rules every write applies (no role check: the use case asking made its own).
    pub async fn rules(&self) -> Result<utmforge_core::rules::TeamRules, crate::Error> {
        Ok(self.store.team_rules().await?.rules)
    }

    /// The campaign whose utm_campaign (or id) is `slug_or_id` (the command line names
    /// campaigns by their slug); no role check.
    pub async fn campaign_named(&self, slug_or_id: &str) -> Result<Campaign, Error> {
        let found = match self.store.campaign_by_slug(slug_or_id).await {
            Err(StoreError::NotFound(_)) => self.store.get_campaign(slug_or_id).await,
            other => other,
        };
        found.map_err(|e| match e {
            StoreError::NotFound(_) => Error::new(
                crate::ErrorKind::NotFound,
                Code::NotFound.as_str(),
                format!(
                    "no campaign has utm_campaign (or id) “{}”",
                    slug_or_id.chars().take(100).collect::<String>()
                ),
            ),
            other => other.into(),
        })
    }

    /// Campaign `id` with the creatives `search` finds in their variant name, topic or URL
    /// (letter case ignored; none or empty: all), each with its URL; no role check.
    pub async fn campaign_page(
        &self,
        id: &str,
        search: Option<&str>,
    ) -> Result<CampaignPage, Error> {
        let campaign = self.store.get_campaign(id).await?;
        let rules = self.rules().await?;
        let creatives = self
            .store
            .list_creatives(id)
            .await?
            .into_iter()
            .map(|k| CreativeWithUrl::new(k, &campaign, &rules))
            .filter(|k| search.is_none_or(|s| k.matches(s)))
            .collect();
        Ok(CampaignPage::new(campaign, creatives, rules))
    }

    /// Whom user `user_id` acts as now: themselves with their role, or nobody when they are
    /// gone or disabled (what a session or a token resolves to on every request).
    pub async fn user_actor(&self, user_id: &str) -> Result<Actor, Error> {
        match self.store.get_user(user_id).await {
            Ok(user) if user.disabled_at.is_none() => Ok(Actor::User(Signed {
                role: user.role,
                token: None,
                user,
            })),
            Ok(_) | Err(StoreError::NotFound(_)) => Ok(Actor::Anonymous),
            Err(e) => Err(e.into()),
        }
    }

    /// A context for `actor` on `store` (and its clock).
    pub fn new(store: Store, actor: Actor) -> Ctx {
        Ctx {
            store,
            actor,
            links: None,
            ads: None,
        }
    }

    /// The same store and clock, for someone else.
    pub fn with_actor(&self, actor: Actor) -> Ctx {
        Ctx {
            store: self.store.clone(),
            actor,
            links: self.links.clone(),
            ads: self.ads.clone(),
        }
    }

    /// The clock: the store's, so the rows it stamps and the times a use case reads agree.
    pub fn clock(&self) -> &Clock {
        self.store.clock()
    }

    /// Unix milliseconds, by [`Ctx::clock`].
    pub fn now_ms(&self) -> i64 {
        self.clock().now_ms()
    }

    /// Who is asking, if they may act as `role`: 401 for nobody, 403 `forbidden` for a role
    /// below it. The command line on the server's machine may do everything.
    pub fn require(&self, role: Role) -> Result<Author, Error> {
        match &self.actor {
            Actor::Anonymous => Err(Error::unauthenticated()),
            Actor::Cli => Ok(Author {
                user_id: None,
                name: "command line".into(),
            }),
            Actor::User(signed) if signed.role >= role => Ok(signed.author()),
            Actor::User(signed) => Err(Error::forbidden(format!(
                "{} cannot do this: it needs the {} role (ask an admin)",
                if signed.token.is_some() {
                    "this API token"
                } else {
                    "your account"
                },
                role.as_str()
            ))),
        }
    }

    /// The role the asker acts with (the command line counts as an owner).
    pub fn role(&self) -> Option<Role> {
        match &self.actor {
            Actor::Anonymous => None,
            Actor::Cli => Some(Role::Owner),
            Actor::User(s) => Some(s.role),
        }
    }

    /// The signed-in user, if any.
    pub fn user(&self) -> Option<&User> {
        match &self.actor {
            Actor::User(s) => Some(&s.user),
            _ => None,
        }
    }
}

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A browser or script without (valid) credentials.
    Anonymous,
    /// The command line on the server's own machine.
    Cli,
    /// A signed-in person, through a browser session or one of their API tokens.
    User(Signed),
}

/// A user and how they are signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub user: User,
    /// The role this request acts with: the user's, or their token's when lower.
    pub role: Role,
    /// The token this request came with: (id, name). None for a browser session.
    pub token: Option<(String, String)>,
}

impl Signed {
    /// How the activity log names them: their name, and the token's when used.
    pub fn author(&self) -> Author {
        Author {
            user_id: Some(self.user.id.clone()),
            name: match &self.token {
                Some((_, token)) => format!("{} (token “{token}”)", self.user.name),
                None => self.user.name.clone(),
            },
        }
    }

    pub fn me(&self) -> Me {
        Me {
            id: self.user.id.clone(),
            email: self.user.email.clone(),
            name: self.user.name.clone(),
            role: self.role,
        }
    }
}
