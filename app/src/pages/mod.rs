//! One module per page.

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
