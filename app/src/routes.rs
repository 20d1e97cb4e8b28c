//! The route table, and what a route is. The pages are rendered by the server (islands mode:
//! only the islands in them hydrate). A page is its data (`data()`, the page's resources,
//! loaded while it renders) and its view (`view()`).
//!
//! Pages with data define theirs next to their view (e.g. `CampaignRoute` in `pages::campaign`);
//! the pages without data get theirs here.

use crate::pages::not_found::NotFound;
pub use crate::pages::{page, Page};
use leptos::prelude::*;
use leptos_router::components::{Route, Routes};
use leptos_router::{path, SsrMode, StaticSegment};

pub use crate::pages::account::{
    ActivityRoute, InviteRoute, LoginRoute, PeopleRoute, SetupRoute, TokensRoute,
};
pub use crate::pages::bulk::BulkRoute;
pub use crate::pages::campaign::{
    CampaignActivityRoute, CampaignAdsRoute, CampaignResultsRoute, CampaignRoute, EditCreativeRoute,
};
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

/// Every address and its page. Pages with data are rendered whole before the first byte leaves
/// (their title depends on the data, and the head goes first): complete without JavaScript,
/// and nothing to move into place afterwards.
#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=NotFound>
            <Route path=StaticSegment("") view={page::<HomeRoute>} />
            <Route path=path!("/campaigns") view={page::<CampaignsRoute>} ssr=SsrMode::Async />
            <Route path=path!("/campaigns/new") view={page::<NewCampaignRoute>} />
            <Route path=path!("/campaigns/:id") view={page::<CampaignRoute>} ssr=SsrMode::Async />
            <Route path=path!("/campaigns/:id/edit") view={page::<EditCampaignRoute>} ssr=SsrMode::Async />
            <Route path=path!("/campaigns/:id/creatives/:cid") view={page::<EditCreativeRoute>} ssr=SsrMode::Async />
            <Route path=path!("/campaigns/:id/import") view={page::<ImportRoute>} ssr=SsrMode::Async />
            <Route path=path!("/campaigns/:id/bulk") view={page::<BulkRoute>} ssr=SsrMode::Async />
            <Route path=path!("/trash") view={page::<TrashRoute>} ssr=SsrMode::Async />
            <Route path=path!("/campaigns/:id/ga4") view={page::<CampaignGa4Route>} ssr=SsrMode::Async />
            <Route path=path!("/campaigns/:id/ads") view={page::<CampaignAdsRoute>} ssr=SsrMode::Async />
            <Route path=path!("/campaigns/:id/results") view={page::<CampaignResultsRoute>} ssr=SsrMode::Async />
            <Route path=StaticSegment("ga4") view={page::<Ga4SetupRoute>} ssr=SsrMode::Async />
            <Route path=StaticSegment("audit") view={page::<AuditRoute>} />
            <Route path=path!("/tracking") view={page::<TrackingRoute>} ssr=SsrMode::Async />
            <Route path=path!("/settings") view={page::<SettingsRoute>} ssr=SsrMode::Async />
            <Route path=path!("/api") view={page::<ApiRoute>} />
            <Route path=path!("/campaigns/:id/activity") view={page::<CampaignActivityRoute>} ssr=SsrMode::Async />
            <Route path=path!("/login") view={page::<LoginRoute>} />
            <Route path=path!("/setup") view={page::<SetupRoute>} />
            <Route path=path!("/invite") view={page::<InviteRoute>} />
            <Route path=path!("/people") view={page::<PeopleRoute>} ssr=SsrMode::Async />
            <Route path=path!("/tokens") view={page::<TokensRoute>} ssr=SsrMode::Async />
            <Route path=path!("/activity") view={page::<ActivityRoute>} ssr=SsrMode::Async />
        </Routes>
    }
}
