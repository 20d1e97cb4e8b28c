//! `utmforge tag` and `utmforge lint`: thin wrappers over `utmforge-core` that read arguments
//! or CSV, and write text, JSON or CSV. Exit codes are part of the contract (see `--help`).

use crate::cli::{LintArgs, TagArgs};
use serde_json::json;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use utmforge_core::{
    lint, tag, BuyingModel, Code, Field, LintReport, Notice, Severity, TagErrors, TagRequest,
};

pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_INVALID: u8 = 2;
pub const EXIT_SOME_ROWS_FAILED: u8 = 3;

/// Parses `--medium`, case-insensitively, with core's rule.
fn medium(value: &str) -> Result<BuyingModel, Notice> {
    value
        .parse::<BuyingModel>()
        .map_err(|e| Notice::new(Code::InvalidMedium, Field::Medium, e.to_string()))
}

pub fn run_tag(args: TagArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> io::Result<u8> {
    if let Some(path) = &args.csv {
        return run_tag_csv(path, stdout, stderr);
    }
    let medium_value = args.medium.as_deref().unwrap_or_default();
    let result = medium(medium_value)
        .map_err(|e| TagErrors(vec![e]))
        .and_then(|medium| {
            tag(&TagRequest {
                url: args.url.unwrap_or_default(),
                campaign: args.campaign.unwrap_or_default(),
                medium,
                content: args.content,
                term: args.term,
                id: args.id,
            })
        });
    match result {
        Ok(tagged) => {
            if args.json {
                serde_json::to_writer(&mut *stdout, &tagged)?;
                writeln!(stdout)?;
            } else {
                writeln!(stdout, "{}", tagged.url)?;
            }
            for warning in &tagged.warnings {
                writeln!(stderr, "warning: {} [{}]", warning.message, warning.code)?;
            }
            Ok(EXIT_OK)
        }
        Err(errors) => {
            let first = errors.first();
            if args.json {
                serde_json::to_writer(&mut *stdout, &json!({ "error": first }))?;
                writeln!(stdout)?;
            }
            for error in &errors.0 {
                writeln!(stderr, "error: {} [{}]", error.message, error.code)?;
            }
            Ok(EXIT_INVALID)
        }
    }
}

fn run_tag_csv(
    path: &std::path::Path,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<u8> {
    let input: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        match File::open(path) {
            Ok(file) => Box::new(file),
            Err(e) => {
                writeln!(stderr, "error: cannot read {}: {e}", path.display())?;
                return Ok(EXIT_INVALID);
            }
        }
    };
    match tag_csv(BufReader::with_capacity(1 << 16, input), stdout) {
        Ok(summary) => {
            if summary.failed > 0 {
                writeln!(
                    stderr,
                    "{} of {} rows could not be tagged: see the error column",
                    summary.failed, summary.rows
                )?;
                Ok(EXIT_SOME_ROWS_FAILED)
            } else {
                Ok(EXIT_OK)
            }
        }
        Err(CsvError::Io(e)) => Err(e),
        Err(CsvError::Invalid(message)) => {
            writeln!(stderr, "error: {message}")?;
            Ok(EXIT_INVALID)
        }
    }
}

/// What a CSV run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvSummary {
    pub rows: u64,
    pub failed: u64,
}

#[derive(Debug)]
pub enum CsvError {
    /// The input is not a CSV utmforge can read (no header, a required column missing).
    Invalid(String),
    Io(io::Error),
}

impl From<csv::Error> for CsvError {
    fn from(e: csv::Error) -> Self {
        if e.is_io_error() {
            match e.into_kind() {
                csv::ErrorKind::Io(io) => CsvError::Io(io),
                _ => unreachable!("is_io_error"),
            }
        } else {
            CsvError::Invalid(format!("the CSV cannot be read: {e}"))
        }
    }
}

struct Columns {
    url: usize,
    campaign: usize,
    medium: usize,
    content: Option<usize>,
    term: Option<usize>,
    id: Option<usize>,
}

/// Tags every row of a CSV, streaming: one record in memory at a time.
pub fn tag_csv<R: Read, W: Write>(input: R, output: W) -> Result<CsvSummary, CsvError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(input);
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(BufWriter::with_capacity(1 << 16, output));

    let header = reader.headers()?.clone();
    if header.is_empty() || (header.len() == 1 && header[0].trim().is_empty()) {
        return Err(CsvError::Invalid(
            "the CSV has no header row: name the columns url, campaign, medium (and optionally content, term, id)".into(),
        ));
    }
    let find = |name: &str| {
        header.iter().position(|h| {
            h.trim()
                .trim_start_matches('\u{feff}')
                .eq_ignore_ascii_case(name)
        })
    };
    let missing: Vec<&str> = ["url", "campaign", "medium"]
        .into_iter()
        .filter(|name| find(name).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(CsvError::Invalid(format!(
            "the CSV header lacks the column{} {}: it needs url, campaign, medium (and optionally content, term, id)",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", ")
        )));
    }
    let columns = Columns {
        url: find("url").unwrap_or_default(),
        campaign: find("campaign").unwrap_or_default(),
        medium: find("medium").unwrap_or_default(),
        content: find("content"),
        term: find("term"),
        id: find("id"),
    };
    let width = header.len();
    let mut out_header = header.clone();
    out_header.push_field("tagged_url");
    out_header.push_field("warnings");
    out_header.push_field("error");
    writer.write_record(&out_header)?;

    let mut summary = CsvSummary { rows: 0, failed: 0 };
    let mut record = csv::StringRecord::new();
    let mut out = csv::StringRecord::new();
    let mut last_medium: Option<(String, Result<BuyingModel, Notice>)> = None;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) if !e.is_io_error() => {
                // A row that is not valid UTF-8 or not CSV: report it and go on.
                summary.rows += 1;
                summary.failed += 1;
                out.clear();
                for _ in 0..width {
                    out.push_field("");
                }
                out.push_field("");
                out.push_field("");
                out.push_field(&format!("invalid-row: {e}"));
                writer.write_record(&out)?;
                continue;
            }
            Err(e) => return Err(e.into()),
        }
        summary.rows += 1;
        let get = |i: usize| record.get(i).unwrap_or("");
        let opt = |i: Option<usize>| {
            i.map(|i| get(i).trim())
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let medium_text = get(columns.medium);
        let medium = match &last_medium {
            Some((text, parsed)) if text == medium_text => parsed.clone(),
            _ => {
                let parsed = medium(medium_text);
                last_medium = Some((medium_text.to_string(), parsed.clone()));
                parsed
            }
        };
        let result = if record.len() != width {
            Err(TagErrors(vec![Notice::new(
                Code::InvalidUrl,
                Field::Url,
                format!("the row has {} fields, the header {width}", record.len()),
            )]))
            .map_err(|e| (e, "invalid-row"))
        } else {
            medium
                .map_err(|e| TagErrors(vec![e]))
                .and_then(|medium| {
                    tag(&TagRequest {
                        url: get(columns.url).to_string(),
                        campaign: get(columns.campaign).to_string(),
                        medium,
                        content: opt(columns.content),
                        term: opt(columns.term),
                        id: opt(columns.id),
                    })
                })
                .map_err(|e| (e, ""))
        };

        out.clear();
        for i in 0..width {
            out.push_field(record.get(i).unwrap_or(""));
        }
        match result {
            Ok(tagged) => {
                out.push_field(&tagged.url);
                out.push_field(&join_notices(&tagged.warnings));
                out.push_field("");
            }
            Err((errors, override_code)) => {
                summary.failed += 1;
                out.push_field("");
                out.push_field("");
                if override_code.is_empty() {
                    out.push_field(&join_notices(&errors.0));
                } else {
                    out.push_field(&format!("{override_code}: {}", errors.first().message));
                }
            }
        }
        writer.write_record(&out)?;
    }
    writer.flush().map_err(CsvError::Io)?;
    Ok(summary)
}

/// `code: message` pairs joined by ` | `, for one CSV cell.
fn join_notices(notices: &[Notice]) -> String {
    let mut cell = String::new();
    for (i, n) in notices.iter().enumerate() {
        if i > 0 {
            cell.push_str(" | ");
        }
        cell.push_str(n.code.as_str());
        cell.push_str(": ");
        cell.push_str(&n.message);
    }
    cell
}

pub fn run_lint(args: LintArgs, stdout: &mut dyn Write) -> io::Result<u8> {
    let reports: Vec<LintReport> = args.urls.iter().map(|u| lint(u)).collect();
    if args.json {
        serde_json::to_writer_pretty(&mut *stdout, &reports)?;
        writeln!(stdout)?;
    } else {
        for report in &reports {
            writeln!(stdout, "{}", report.input)?;
            if report.is_clean() {
                writeln!(stdout, "  ok: no findings")?;
            }
            for f in &report.findings {
                let severity = match f.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "info",
                };
                writeln!(stdout, "  {severity} [{}]: {}", f.code, f.message)?;
            }
            if let Some(fixed) = &report.fixed_url {
                writeln!(stdout, "  fixed: {fixed}")?;
            }
        }
    }
    Ok(if reports.iter().all(LintReport::is_clean) {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    })
}
