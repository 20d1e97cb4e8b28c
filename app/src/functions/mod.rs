//! Server functions: the browser's doors into the service layer, one module per resource.
//! Each is one call to a use case in `utmforge-service`; the error it answers carries the
//! status that use case decided. No rule, no permission check and no error→status mapping
//! lives here.
//!
//! The loaders behind a page's data (`list_campaigns`, `get_campaign_head`, …) answer an
//! [`Answer`](crate::api::Answer), the JSON text of the value named in their body
//! (`ssr::json::<T>`), which the page reads back as a `T` through
//! [`Loaded`](crate::api::Loaded).

pub mod accounts;
pub mod activity;
pub mod ads;
pub mod campaigns;
pub mod checks;
pub mod creatives;
pub mod documents;
pub mod import;
pub mod settings;
pub mod trash;
