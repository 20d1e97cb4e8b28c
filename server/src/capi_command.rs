//! `utmforge capi send`: validate an offline-conversions CSV with core's rules, then send the
//! valid rows through [`utmforge_service::capi::Sender`].

use crate::cli::{CapiCommand, CapiSendArgs};
use crate::commands::{EXIT_FINDINGS, EXIT_INVALID, EXIT_OK};
use crate::csv_stream::RecordWriter;
use std::fs::File;
use std::io::{self, Read, Write};
use utmforge_core::measure::capi::{self, CapiEvent, Checked};
use utmforge_core::measure::pixel_id_of;
use utmforge_service::capi::Sender;

/// The environment variable that holds the Conversions API token.
pub const TOKEN_VAR: &str = "OPENAI_ADS_API_TOKEN";

pub fn run_capi(
    command: CapiCommand,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<u8> {
    match command {
        CapiCommand::Send(args) => run_send(args, stdout, stderr),
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn run_send(args: CapiSendArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> io::Result<u8> {
    let pixel = match pixel_id_of(&args.pixel_id) {
        Ok(p) => p,
        Err(n) => {
            writeln!(stderr, "error: --pixel-id: {}", n.message)?;
            return Ok(EXIT_INVALID);
        }
    };
    // The token is read before anything else is done, so that a run without it stops early.
    let token = if args.dry_run {
        None
    } else {
        match std::env::var(TOKEN_VAR) {
            Ok(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
            _ => {
                writeln!(
                    stderr,
                    "error: set {TOKEN_VAR} to the Conversions API token (ads manager › pixel › Conversions API); it is never taken as a flag, so that it stays out of shell history and process lists. Or add --dry-run to validate only."
                )?;
                return Ok(EXIT_INVALID);
            }
        }
    };
    let sender = match token {
        None => None,
        Some(token) => match Sender::new(&args.endpoint, &pixel, token, args.allow_private) {
            Ok(s) => Some(s),
            Err(message) => {
                writeln!(stderr, "error: {message}")?;
                return Ok(EXIT_INVALID);
            }
        },
    };
    let input: Box<dyn Read> = if args.csv.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        match File::open(&args.csv) {
            Ok(f) => Box::new(f),
            Err(e) => {
                writeln!(stderr, "error: cannot read {}: {e}", args.csv.display())?;
                return Ok(EXIT_INVALID);
            }
        }
    };
    let file = match capi::read_csv(input) {
        Ok(f) => f,
        Err(message) => {
            writeln!(stderr, "error: {message}")?;
            return Ok(EXIT_INVALID);
        }
    };
    if !file.ignored_columns.is_empty() {
        writeln!(
            stderr,
            "note: columns not used: {}",
            file.ignored_columns.join(", ")
        )?;
    }
    let checked = capi::check_all(file.rows, now_ms());
    write_report(&checked, stdout)?;
    let valid: Vec<CapiEvent> = checked
        .iter()
        .filter_map(|c| c.result.as_ref().ok().cloned())
        .collect();
    let rejected = checked.len() - valid.len();
    let calls = capi::batch_count(valid.len());
    let Some(sender) = sender else {
        writeln!(
            stderr,
            "dry run: {} valid event{} would go in {calls} call{}; {rejected} row{} rejected (see the report); nothing was sent",
            valid.len(),
            plural(valid.len()),
            plural(calls),
            plural(rejected),
        )?;
        return Ok(if rejected > 0 { EXIT_FINDINGS } else { EXIT_OK });
    };
    if valid.is_empty() {
        writeln!(
            stderr,
            "nothing to send: {rejected} row{} rejected (see the report)",
            plural(rejected)
        )?;
        return Ok(if rejected > 0 { EXIT_FINDINGS } else { EXIT_OK });
    }
    writeln!(
        stderr,
        "sending {} event{} in {calls} call{} to {}",
        valid.len(),
        plural(valid.len()),
        plural(calls),
        sender.url()
    )?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut lines = Vec::new();
    let summary = runtime.block_on(sender.send(&valid, |batch| {
        lines.push(match &batch.error {
            None => format!(
                "batch {} ({} events): accepted after {} attempt{}",
                batch.number,
                batch.events,
                batch.attempts,
                plural(batch.attempts as usize)
            ),
            Some(e) => format!(
                "batch {} ({} events): NOT accepted after {} attempt{}: {e}",
                batch.number,
                batch.events,
                batch.attempts,
                plural(batch.attempts as usize)
            ),
        });
    }));
    for line in lines {
        writeln!(stderr, "{line}")?;
    }
    writeln!(
        stderr,
        "sent {}, rejected {rejected} (invalid rows), not accepted {}, retried calls {}",
        summary.sent, summary.failed, summary.retried
    )?;
    if let Some(stop) = summary.stopped {
        writeln!(stderr, "error: {stop}")?;
        return Ok(EXIT_INVALID);
    }
    Ok(if rejected > 0 || summary.failed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// One CSV row per input row: `line,id,status,problems` (`code (field): message | …`).
fn write_report(checked: &[Checked], stdout: &mut dyn Write) -> io::Result<()> {
    let mut out = RecordWriter::new(io::BufWriter::new(stdout));
    for name in ["line", "id", "status", "problems"] {
        out.field(name)?;
    }
    out.end_record()?;
    for c in checked {
        out.field(&c.position.to_string())?;
        match &c.result {
            Ok(e) => {
                out.field(&e.id)?;
                out.field("valid")?;
                out.field("")?;
            }
            Err(problems) => {
                out.field("")?;
                out.field("rejected")?;
                let cell: Vec<String> = problems
                    .iter()
                    .map(|p| format!("{} ({}): {}", p.code, p.field, p.message))
                    .collect();
                out.field(&cell.join(" | "))?;
            }
        }
        out.end_record()?;
    }
    out.flush()
}
