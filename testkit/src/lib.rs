//! What the store's and the server's tests share, written once: throwaway databases ([`db`]:
//! a SQLite file in a temporary folder, or a fresh PostgreSQL schema, and
//! [`on_both_backends!`]) and one way to send a request through the real router and read the
//! answer ([`http`]).

pub mod db;
pub mod http;
