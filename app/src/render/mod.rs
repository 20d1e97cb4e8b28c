//! Views that only turn data into HTML: no server function, no signal, no page. The server
//! functions render some of their answers with them (a link check's results, an import
//! preview) so the browser compiles neither the decoders nor the views; components and pages
//! use them too. They depend on core alone.

pub mod import_plan;
pub mod link_report;
