//! One module per page.

pub mod campaign;
pub mod campaign_form;
pub mod campaigns;
pub mod ga4;
pub mod home;
pub mod not_found;
pub mod placeholder;
