//! The utmforge server: command-line parsing and the axum web application.
//!
//! `main.rs` only parses the command line and dispatches; everything testable lives here so
//! that integration tests drive the very router the binary serves.

// Leptos views are deeply nested types; debug builds, which do not erase them, need room.
#![recursion_limit = "256"]

pub mod cli;
pub mod commands;
pub mod csv_stream;
pub mod rest;
pub mod security;
pub mod serve;
pub mod web;
