//! `utmforge tag`, `lint`, `check` and `ga4`: thin wrappers over `utmforge-core` (and, for
//! `check --campaign`, the service) that read arguments or CSV, and write text, JSON or CSV.
//! Exit codes are part of the contract (see `--help`).

use super::{exit_code_of, EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, EXIT_SOME_ROWS_FAILED};
use crate::cli::{CheckArgs, Ga4Command, LintArgs, TagArgs};
use crate::csv_stream::{RecordReader, RecordWriter};
use serde_json::json;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use utmforge_core::{
    lint, tag, write_notices_cell, BuyingModel, Code, Field, LintReport, Notice, Severity,
    TagErrors, TagInput, TagOptions, TagRequest, Tagger,
};

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
    match tag_csv(input, stdout) {
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

impl From<io::Error> for CsvError {
    fn from(e: io::Error) -> Self {
        CsvError::Io(e)
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

const COLUMNS_NEEDED: &str = "url, campaign, medium (and optionally content, term, id)";

/// Tags every row of a CSV, streaming: one record in memory at a time. Landing URLs and
/// values seen before are not parsed or slugged again (see [`Tagger`]).
pub fn tag_csv<R: Read, W: Write>(input: R, output: W) -> Result<CsvSummary, CsvError> {
    let mut reader = RecordReader::new(BufReader::with_capacity(1 << 16, input));
    let mut writer = RecordWriter::new(BufWriter::with_capacity(1 << 16, output));

    if !reader.read_record()? {
        return Err(CsvError::Invalid(format!(
            "the CSV has no header row: name the columns {COLUMNS_NEEDED}"
        )));
    }
    let header: Vec<String> = match reader.record() {
        Ok(record) => record.iter().map(str::to_string).collect(),
        Err(field) => {
            return Err(CsvError::Invalid(format!(
                "the CSV header is not valid UTF-8 (column {}): save the file as CSV UTF-8",
                field + 1
            )))
        }
    };
    if header.len() == 1 && header[0].trim().is_empty() {
        return Err(CsvError::Invalid(format!(
            "the CSV has no header row: name the columns {COLUMNS_NEEDED}"
        )));
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
            "the CSV header lacks the column{} {}: it needs {COLUMNS_NEEDED}",
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
    for name in header
        .iter()
        .map(String::as_str)
        .chain(["tagged_url", "warnings", "error"])
    {
        writer.field(name)?;
    }
    writer.end_record()?;

    let mut summary = CsvSummary { rows: 0, failed: 0 };
    let mut tagger = Tagger::new(TagOptions::default());
    let mut cell = String::new();
    let mut last_medium: Option<(String, Result<BuyingModel, Notice>)> = None;
    while reader.read_record()? {
        summary.rows += 1;
        let record = match reader.record() {
            Ok(record) => record,
            Err(field) => {
                // Not UTF-8: the row cannot be passed through as text. Report it and go on.
                summary.failed += 1;
                for _ in 0..width + 2 {
                    writer.field("")?;
                }
                writer.field(&format!(
                    "invalid-row: line {} is not valid UTF-8 (column {}): save the file as CSV UTF-8",
                    reader.line(),
                    field + 1
                ))?;
                writer.end_record()?;
                continue;
            }
        };
        match record.as_written() {
            Some(line) if record.len() == width => writer.fields_as_written(line)?,
            _ => {
                for i in 0..width {
                    writer.field(record.get(i).unwrap_or(""))?;
                }
            }
        }
        if record.len() != width {
            summary.failed += 1;
            writer.field("")?;
            writer.field("")?;
            writer.field(&format!(
                "invalid-row: the row has {} fields, the header {width}",
                record.len()
            ))?;
            writer.end_record()?;
            continue;
        }
        let get = |i: usize| record.get(i).unwrap_or("");
        let medium_text = get(columns.medium);
        let medium = match &last_medium {
            Some((text, parsed)) if text == medium_text => parsed.clone(),
            _ => {
                let parsed = medium(medium_text);
                last_medium = Some((medium_text.to_string(), parsed.clone()));
                parsed
            }
        };
        let result = medium.map_err(|e| TagErrors(vec![e])).and_then(|medium| {
            tagger.tag(TagInput {
                url: get(columns.url),
                campaign: get(columns.campaign),
                medium,
                content: columns.content.map(get),
                term: columns.term.map(get),
                id: columns.id.map(get),
            })
        });
        match result {
            Ok(tagged) => {
                writer.field(tagged.url)?;
                write_notices_cell(&mut cell, tagged.warnings());
                writer.field(&cell)?;
                writer.field("")?;
            }
            Err(errors) => {
                summary.failed += 1;
                writer.field("")?;
                writer.field("")?;
                write_notices_cell(&mut cell, &errors.0);
                writer.field(&cell)?;
            }
        }
        writer.end_record()?;
    }
    writer.flush()?;
    Ok(summary)
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

/// `utmforge check URL…`: follows each URL like a browser and prints what arrived.
pub fn run_check(
    args: CheckArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<u8> {
    use utmforge_core::linkcheck::Verdict;
    use utmforge_service::linkcheck::Checker;
    use utmforge_service::{checks, Actor, Ctx};
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let reports = runtime.block_on(async {
        let checker = Checker::new(args.link_check_allow_private)?;
        let Some(campaign) = &args.campaign else {
            return checks::check_urls_now(&checker, &args.urls).await;
        };
        // A campaign: the same use case as the page's "Check links", results stored.
        let store = utmforge_store::Store::open(&args.database_url)
            .await
            .map_err(|e| {
                utmforge_service::Error::internal(format!(
                    "{e} (--database-url / UTMFORGE_DATABASE_URL)"
                ))
            })?;
        let ctx = Ctx {
            links: Some(checker),
            ..Ctx::new(store.clone(), Actor::Cli)
        };
        let answer = checks::check_campaign_now(&ctx, campaign).await;
        store.close().await;
        answer
    });
    let reports: Vec<utmforge_core::linkcheck::LinkReport> = match reports {
        Ok(reports) => reports,
        Err(e) => {
            for n in e.notices.iter().skip(1) {
                writeln!(stderr, "error: {}", n.message)?;
            }
            writeln!(stderr, "error: {}", e.message)?;
            return Ok(exit_code_of(&e));
        }
    };
    if args.json {
        serde_json::to_writer_pretty(&mut *stdout, &reports)?;
        writeln!(stdout)?;
    } else {
        for report in &reports {
            writeln!(stdout, "{}: {}", report.verdict.as_str(), report.url)?;
            for (i, hop) in report.hops.iter().enumerate() {
                let to = hop
                    .location
                    .as_deref()
                    .map_or_else(String::new, |l| format!(" → {l}"));
                writeln!(stdout, "  hop {}: {} {}{to}", i + 1, hop.status, hop.url)?;
            }
            for f in &report.findings {
                let severity = match f.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "info",
                };
                writeln!(stdout, "  {severity} [{}]: {}", f.code.as_str(), f.message)?;
            }
        }
    }
    Ok(if reports.iter().all(|r| r.verdict == Verdict::Ok) {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    })
}

/// `utmforge ga4 …`: prints a GA4 document (or its instructions) built by core.
pub fn run_ga4(
    command: Ga4Command,
    mut stdout: &mut dyn Write,
    mut stderr: &mut dyn Write,
) -> io::Result<u8> {
    use utmforge_core::ga4;
    if let Ga4Command::CostData(args) = command {
        return super::on_database(
            &args.db.database_url,
            None,
            &mut stdout,
            &mut stderr,
            |ctx| async move {
                let file = utmforge_service::ads_results::cost_data(
                    &ctx,
                    args.from.as_deref(),
                    args.to.as_deref(),
                )
                .await?;
                Ok((String::from_utf8_lossy(&file.bytes).into_owned(), EXIT_OK))
            },
        );
    }
    let campaign = |c: Option<String>| c.as_deref().map(ga4::campaign_filter).transpose();
    let output: Result<String, Notice> = (|| {
        Ok(match command {
            Ga4Command::ChannelGroup(out) if out.instructions => {
                ga4::channel_group_instructions().to_text()
            }
            Ga4Command::ChannelGroup(_) => ga4::to_pretty_json(&ga4::channel_group()),
            Ga4Command::Funnel(args) => {
                let conversion = ga4::conversion_event(&args.conversion)?;
                let campaign = campaign(args.campaign)?;
                if args.output.instructions {
                    ga4::funnel_instructions(&conversion, campaign.as_deref()).to_text()
                } else {
                    ga4::to_pretty_json(&ga4::funnel_report(&conversion, campaign.as_deref()))
                }
            }
            Ga4Command::Report(args) => {
                let campaign = campaign(args.campaign)?;
                if args.output.instructions {
                    ga4::report_instructions(campaign.as_deref()).to_text()
                } else {
                    ga4::to_pretty_json(&ga4::exploration_report(campaign.as_deref()))
                }
            }
            Ga4Command::ApplyScript(args) => {
                let property = ga4::property_id(&args.property)?;
                let conversion = ga4::conversion_event(&args.conversion)?;
                let campaign = campaign(args.campaign)?;
                ga4::apply_script(&property, &conversion, campaign.as_deref())
            }
            Ga4Command::CostData(_) => unreachable!("answered above, on the database"),
        })
    })();
    match output {
        Ok(text) => {
            write!(stdout, "{}", text.trim_end())?;
            writeln!(stdout)?;
            Ok(EXIT_OK)
        }
        Err(notice) => {
            writeln!(stderr, "error: {} [{}]", notice.message, notice.code)?;
            Ok(EXIT_INVALID)
        }
    }
}
