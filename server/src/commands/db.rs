//! `utmforge migrate` and `utmforge db copy`: database maintenance from the command line.

use crate::cli::DbCommand;
use std::io::{self, Write};
use utmforge_store::{redact, Backend, Store, StoreError, StoreOptions};

fn runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

/// Applies pending migrations. Exit codes: 0 up to date, 1 the database failed.
pub fn run_migrate(
    database_url: &str,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<u8> {
    let result = runtime()?.block_on(async {
        let options = StoreOptions {
            migrate: false,
            ..StoreOptions::default()
        };
        let store = Store::open_with(database_url, &options).await?;
        let pending = store.pending_migrations().await?;
        store.migrate().await?;
        store.close().await;
        Ok::<_, StoreError>(pending)
    });
    match result {
        Ok(0) => writeln!(out, "{}: already up to date", redact(database_url))?,
        Ok(n) => writeln!(out, "{}: applied {n} migration(s)", redact(database_url))?,
        Err(e) => {
            writeln!(err, "error: {e} (--database-url / UTMFORGE_DATABASE_URL)")?;
            return Ok(1);
        }
    }
    Ok(0)
}

/// `db copy`. Exit codes: 0 copied and checked, 2 refused, 1 failed.
pub fn run_db(command: DbCommand, out: &mut impl Write, err: &mut impl Write) -> io::Result<u8> {
    let DbCommand::Copy { from, to, force } = command;
    let result = runtime()?.block_on(copy(&from, &to, force));
    match result {
        Ok(tables) => {
            let mut mismatch = false;
            for t in &tables {
                let ok = t.source == t.target;
                mismatch |= !ok;
                writeln!(
                    out,
                    "{:<13} {:>9} copied, {:>9} in the target{}",
                    t.table,
                    t.source,
                    t.target,
                    if ok { "" } else { "  MISMATCH" }
                )?;
            }
            if mismatch {
                writeln!(
                    err,
                    "error: the target's row counts differ from the source's"
                )?;
                return Ok(1);
            }
            writeln!(out, "copied {} to {}", redact(&from), redact(&to))?;
            Ok(0)
        }
        Err((code, message)) => {
            writeln!(err, "error: {message}")?;
            Ok(code)
        }
    }
}

async fn copy(
    from: &str,
    to: &str,
    force: bool,
) -> Result<Vec<utmforge_store::CopiedTable>, (u8, String)> {
    let usage = |e: StoreError| (2, e.to_string());
    let failed = |e: StoreError| (1, e.to_string());
    Backend::of_url(from).map_err(usage)?;
    let to_backend = Backend::of_url(to).map_err(usage)?;
    if from == to {
        return Err((2, "--from and --to are the same database".into()));
    }
    let source = Store::open(from).await.map_err(failed)?;
    if source.pending_migrations().await.map_err(failed)? > 0 {
        return Err((
            1,
            format!(
                "{} is not up to date: run utmforge migrate on it first",
                redact(from)
            ),
        ));
    }
    if force && to_backend == Backend::Sqlite {
        utmforge_store::remove_sqlite_database(to).map_err(failed)?;
    }
    let target = Store::open(to).await.map_err(failed)?;
    let holding: Vec<String> = target
        .table_counts()
        .await
        .map_err(failed)?
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(table, n)| format!("{table}: {n}"))
        .collect();
    if !holding.is_empty() {
        if !force {
            return Err((
                2,
                format!(
                    "{} already holds data ({}): copy into an empty database, or add --force to empty it first",
                    redact(to),
                    holding.join(", ")
                ),
            ));
        }
        target.empty_for_copy().await.map_err(failed)?;
    }
    let copied = source.copy_into(&target).await.map_err(failed)?;
    source.close().await;
    target.close().await;
    Ok(copied)
}
