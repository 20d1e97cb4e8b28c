//! utmforge-core: the domain of utmforge, in plain Rust with no I/O.
//!
//! Every rule about tagging, slugging, linting and GA4 lives here, once. The server, the
//! command line and the browser (this crate compiles to `wasm32-unknown-unknown`) all call it.

pub mod medium;

pub use medium::{BuyingModel, UTM_SOURCE};
