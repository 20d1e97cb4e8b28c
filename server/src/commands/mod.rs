//! The command line: one module per group of commands, and what they share — the exit codes
//! and how a use case's error becomes one. `main.rs` parses and calls [`run`].

pub mod accounts;
pub mod ads;
pub mod capi;
pub mod db;
pub mod tagging;

use crate::cli::Command;
use std::future::Future;
use std::io::{self, Write};
use utmforge_service::{Actor, Ctx, Error};
use utmforge_store::Store;

pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_INVALID: u8 = 2;
pub const EXIT_SOME_ROWS_FAILED: u8 = 3;

/// The exit code of a use case's error: 1 when the server side failed (the database, a
/// network), 2 when the input was refused.
pub fn exit_code_of(e: &utmforge_service::Error) -> u8 {
    if e.status().is_server_error() {
        EXIT_FINDINGS
    } else {
        EXIT_INVALID
    }
}

/// Runs one command (any but `serve`) and answers its exit code.
pub fn run(command: Command, stdout: &mut impl Write, stderr: &mut impl Write) -> io::Result<u8> {
    match command {
        Command::Serve(_) => unreachable!("serve runs the server, not a command"),
        Command::Tag(args) => tagging::run_tag(args, stdout, stderr),
        Command::Lint(args) => tagging::run_lint(args, stdout),
        Command::Check(args) => tagging::run_check(args, stdout, stderr),
        Command::Ga4(command) => tagging::run_ga4(command, stdout, stderr),
        Command::User(command) => accounts::run_user(command, stdout, stderr),
        Command::Token(command) => accounts::run_token(command, stdout, stderr),
        Command::Migrate { db } => db::run_migrate(&db.database_url, stdout, stderr),
        Command::Db(command) => db::run_db(command, stdout, stderr),
        Command::Capi(command) => capi::run_capi(command, stdout, stderr),
        Command::Settings(command) => accounts::run_settings(command, stdout, stderr),
        Command::Ads(command) => ads::run_ads(command, stdout, stderr),
    }
}

/// Runs `work` with the command line's context on `database_url` (with the Advertiser API
/// client `ads`, when given): prints its text on `out` and answers its exit code, or prints
/// the error (every notice) on `err` and answers the error's code.
pub(crate) fn on_database<F, Fut>(
    database_url: &str,
    ads: Option<utmforge_service::ads_api::AdsClient>,
    out: &mut impl Write,
    err: &mut impl Write,
    work: F,
) -> io::Result<u8>
where
    F: FnOnce(Ctx) -> Fut,
    Fut: Future<Output = Result<(String, u8), Error>>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(async {
        let store = Store::open(database_url).await.map_err(|e| {
            Error::internal(format!("{e} (--database-url / UTMFORGE_DATABASE_URL)"))
        })?;
        let ctx = Ctx {
            ads: ads.map(std::sync::Arc::new),
            ..Ctx::new(store.clone(), Actor::Cli)
        };
        let answer = work(ctx).await;
        store.close().await;
        answer
    });
    match result {
        Ok((text, code)) => {
            out.write_all(text.as_bytes())?;
            Ok(code)
        }
        Err(e) => {
            writeln!(err, "error: {}", e.message)?;
            for n in e.notices.iter().skip(1) {
                writeln!(err, "error: {}", n.message)?;
            }
            Ok(exit_code_of(&e))
        }
    }
}
