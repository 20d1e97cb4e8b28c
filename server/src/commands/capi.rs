//! `utmforge capi send`: validate an offline-conversions CSV with core's rules, then send the
//! valid rows through [`utmforge_service::capi::Sender`].

use crate::cli::{CapiCommand, CapiSendArgs};
use crate::commands::{EXIT_FINDINGS, EXIT_INVALID, EXIT_OK};
use crate::csv_stream::RecordWriter;
use std::fs::File;
use std::io::{self, Read, Write};
use utmforge_core::measure::capi::{self, CapiEvent, Checked};
use utmforge_core::measure::pixel_id_of;
use utmforge_service::capi::{Fate, Sender};

/// The environment variable that holds the Conversions API key (OpenAI's examples name it so).
pub const KEY_VAR: &str = "OPENAI_CONVERSIONS_API_KEY";
/// The variable older versions read; still taken, with a warning.
pub const OLD_KEY_VAR: &str = "OPENAI_ADS_API_TOKEN";

pub fn run_capi(
    command: CapiCommand,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<u8> {
    match command {
        CapiCommand::Send(args) => run_send(args, stdout, stderr),
    }
}

/// The key from the environment: the documented variable, else the old one (with a warning).
fn key(stderr: &mut dyn Write) -> io::Result<Option<String>> {
    let read = |name: &str| {
        std::env::var(name)
            .ok()
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
    };
    if let Some(k) = read(KEY_VAR) {
        return Ok(Some(k));
    }
    if let Some(k) = read(OLD_KEY_VAR) {
        writeln!(
            stderr,
            "warning: {OLD_KEY_VAR} is read because {KEY_VAR} is not set; rename it to {KEY_VAR} (the name in OpenAI's documentation)"
        )?;
        return Ok(Some(k));
    }
    Ok(None)
}

fn run_send(args: CapiSendArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> io::Result<u8> {
    let pixel = match pixel_id_of(&args.pixel_id) {
        Ok(p) => p,
        Err(n) => {
            writeln!(stderr, "error: --pixel-id: {}", n.message)?;
            return Ok(EXIT_INVALID);
        }
    };
    // The key is read before anything else is done, so that a run without it stops early.
    let key = if args.dry_run {
        None
    } else {
        match key(stderr)? {
            Some(k) => Some(k),
            None => {
                writeln!(
                    stderr,
                    "error: set {KEY_VAR} to the Conversions API key (Ads Manager › conversions tab; not the Advertiser API key); it is never taken as a flag, so that it stays out of shell history and process lists. Or add --dry-run to check the rows here only."
                )?;
                return Ok(EXIT_INVALID);
            }
        }
    };
    let sender = match key {
        None => None,
        Some(key) => match Sender::new(&args.endpoint, &pixel, key, args.allow_private) {
            Ok(s) => Some(s.validate_only(args.validate_only)),
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
    let checked = capi::csv::check_rows(file.rows, utmforge_service::Clock::System.now_ms());
    let valid: Vec<CapiEvent> = checked
        .iter()
        .filter_map(|c| c.result.as_ref().ok().cloned())
        .collect();
    let rejected = checked.len() - valid.len();
    let calls = capi::batch_count(valid.len());
    let Some(sender) = sender else {
        write_report(&checked, &[], "valid", stdout)?;
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
    let sent_status = if args.validate_only {
        "validated"
    } else {
        "sent"
    };
    if valid.is_empty() {
        write_report(&checked, &[], sent_status, stdout)?;
        writeln!(
            stderr,
            "nothing to send: {rejected} row{} rejected (see the report)",
            plural(rejected)
        )?;
        return Ok(if rejected > 0 { EXIT_FINDINGS } else { EXIT_OK });
    }
    writeln!(
        stderr,
        "{} {} event{} in {calls} call{} to {}{}",
        if args.validate_only {
            "validating"
        } else {
            "sending"
        },
        valid.len(),
        plural(valid.len()),
        plural(calls),
        sender.url(),
        if args.validate_only {
            " (validate_only: nothing is saved)"
        } else {
            ""
        }
    )?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut lines = Vec::new();
    let summary = runtime.block_on(sender.send(&valid, |batch| {
        let mut line = format!(
            "batch {} ({} events, {} call{}): {} accepted",
            batch.number,
            batch.events,
            batch.calls,
            plural(batch.calls as usize),
            batch.accepted
        );
        if batch.refused > 0 {
            line.push_str(&format!(", {} refused by OpenAI", batch.refused));
        }
        if batch.not_sent > 0 {
            line.push_str(&format!(", {} not sent", batch.not_sent));
        }
        if let Some(why) = &batch.refusal {
            line.push_str(&format!(
                " (the whole batch was refused at first — {why} — so it was sent again in halves, with the same ids, to find the refused rows)"
            ));
        }
        lines.push(line);
    }));
    for line in lines {
        writeln!(stderr, "{line}")?;
    }
    write_report(&checked, &summary.fates, sent_status, stdout)?;
    writeln!(
        stderr,
        "{sent_status} {}, rejected {rejected} (invalid rows), refused by OpenAI {}, not sent {}, retried calls {}",
        summary.sent, summary.refused, summary.failed, summary.retried
    )?;
    if let Some(stop) = summary.stopped {
        writeln!(stderr, "error: {stop}")?;
        return Ok(EXIT_INVALID);
    }
    Ok(
        if rejected > 0 || summary.refused > 0 || summary.failed > 0 {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        },
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// One CSV row per input row: `line,id,status,problems` (`code (field): message | …`). The
/// fates are the valid rows' (in order), when they were sent.
fn write_report(
    checked: &[Checked],
    fates: &[Option<Fate>],
    accepted: &str,
    stdout: &mut dyn Write,
) -> io::Result<()> {
    let mut out = RecordWriter::new(io::BufWriter::new(stdout));
    for name in ["line", "id", "status", "problems"] {
        out.field(name)?;
    }
    out.end_record()?;
    let mut fates = fates.iter();
    for c in checked {
        out.field(&c.position.to_string())?;
        match &c.result {
            Ok(e) => {
                out.field(&e.id)?;
                match fates.next().cloned().flatten() {
                    None | Some(Fate::Accepted) => {
                        out.field(accepted)?;
                        out.field("")?;
                    }
                    Some(Fate::Refused(why)) => {
                        out.field("refused")?;
                        out.field(&format!("refused by OpenAI: {why}"))?;
                    }
                    Some(Fate::NotSent(why)) => {
                        out.field("not-sent")?;
                        out.field(&why)?;
                    }
                }
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
