//! One module per page (a folder for a family of pages), and what a page is.

use leptos::prelude::AnyView;

pub mod account;
pub mod api_docs;
pub mod audit;
pub mod bulk;
pub mod campaign;
pub mod campaign_form;
pub mod campaigns;
pub mod ga4;
pub mod home;
pub mod import;
pub mod not_found;
pub mod settings;
pub mod tracking;
pub mod trash;

/// A page: its data (made first, on the server) and its view.
pub trait Page: Sized {
    fn data() -> Self;
    fn view(this: Self) -> AnyView;
}

/// Renders page `P`.
pub fn page<P: Page>() -> AnyView {
    P::view(P::data())
}
