//! The data layer between pages and the server: how server functions answer (`codec`), how
//! the browser calls them (`client`), how a page loads its data (`loaded`), what can go wrong
//! (`error`), and the server side every server function shares (`ssr`). The server functions
//! themselves are in [`crate::functions`], one module per resource.

mod client;
mod codec;
mod error;
mod loaded;
#[cfg(feature = "ssr")]
pub(crate) mod ssr;

#[cfg(feature = "hydrate")]
pub use client::browser;
pub use client::Call;
pub use codec::{Answer, JsonAnswer, JsonText};
pub use error::AppError;
pub use loaded::{Fetch, Key, Loaded};
