//! The pages, rendered by the server (islands mode: only the islands in them hydrate). A page is
//! its data (`data()`, the page's resources, loaded while it renders) and its view (`view()`).
//!
//! Pages with data define theirs next to their view (e.g. `CampaignRoute` in `pages::campaign`);
//! the pages without data get theirs here.

use leptos::prelude::*;
/// A page: its data (made first, on the server) and its view.
pub trait Page: Sized {
    fn data() -> Self;
    fn view(this: Self) -> AnyView;
}

/// Renders page `P`.
pub fn page<P: Page>() -> AnyView {
    P::view(P::data())
}

pub use crate::pages::account::{
    ActivityRoute, InviteRoute, LoginRoute, PeopleRoute, SetupRoute, TokensRoute,
};
pub use crate::pages::bulk::BulkRoute;
pub use crate::pages::campaign::{CampaignActivityRoute, CampaignRoute, EditCreativeRoute};
pub use crate::pages::campaign_form::{EditCampaignRoute, NewCampaignRoute};
pub use crate::pages::campaigns::CampaignsRoute;
pub use crate::pages::ga4::{CampaignGa4Route, Ga4SetupRoute};
pub use crate::pages::import::ImportRoute;
pub use crate::pages::settings::SettingsRoute;
pub use crate::pages::tracking::TrackingRoute;
pub use crate::pages::trash::TrashRoute;

/// A route without data: only its view, loaded lazily.
macro_rules! view_only_route {
    ($(#[$doc:meta])* $route:ident => $page:path) => {
        $(#[$doc])*
        pub struct $route;

                impl Page for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    };
}

view_only_route!(
    /// `/`: what utmforge does.
    HomeRoute => crate::pages::home::HomePage
);
view_only_route!(
    /// `/audit`: paste URLs, see what is wrong with each.
    AuditRoute => crate::pages::audit::AuditPage
);
view_only_route!(
    /// `/api`: the REST API at a glance.
    ApiRoute => crate::pages::api_docs::ApiPage
);
