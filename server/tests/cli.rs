//! The built `utmforge` binary, run as automation runs it: arguments in, text/JSON/CSV out, exit
//! codes as documented.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn utmforge(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_utmforge"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_utmforge"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn tag_prints_the_url_and_warnings_go_to_stderr() {
    let o = utmforge(&[
        "tag",
        "--url",
        "example.com/pricing?ref=nav",
        "--campaign",
        "Spring Sale",
        "--medium",
        "CPC",
        "--content",
        "headline-v2",
        "--term",
        "crm-tools",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "https://example.com/pricing?ref=nav&utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale&utm_content=headline-v2&utm_term=crm-tools\n"
    );
    let err = stderr(&o);
    assert!(err.contains("warning: no scheme given"), "{err}");
    assert!(
        err.contains("warning: campaign “Spring Sale” becomes utm_campaign=spring-sale"),
        "{err}"
    );
}

#[test]
fn tag_json_has_url_params_and_warnings() {
    let o = utmforge(&[
        "tag",
        "--url",
        "http://example.com/",
        "--campaign",
        "spring-sale",
        "--medium",
        "cpm",
        "--id",
        "C-42",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        v["url"],
        "http://example.com/?utm_source=chatgpt&utm_medium=cpm&utm_campaign=spring-sale&utm_id=C-42"
    );
    assert_eq!(v["params"]["utm_source"], "chatgpt");
    assert_eq!(v["params"]["utm_medium"], "cpm");
    assert_eq!(v["params"]["utm_id"], "C-42");
    assert_eq!(v["warnings"][0]["code"], "insecure-http");
    assert!(v["warnings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("http"));
}

#[test]
fn invalid_input_exits_2_with_the_error() {
    let o = utmforge(&[
        "tag",
        "--url",
        "javascript:alert(1)",
        "--campaign",
        "x",
        "--medium",
        "cpc",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).starts_with("error: only http and https"),
        "{}",
        stderr(&o)
    );

    let o = utmforge(&[
        "tag",
        "--url",
        "https://user:pw@example.com",
        "--campaign",
        "x",
        "--medium",
        "cpc",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["error"]["code"], "credentials-in-url");
    assert_eq!(v["error"]["field"], "url");
    assert!(stderr(&o).starts_with("error: "));
}

#[test]
fn medium_other_than_cpc_or_cpm_is_refused() {
    let o = utmforge(&[
        "tag",
        "--url",
        "https://example.com",
        "--campaign",
        "x",
        "--medium",
        "email",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["error"]["code"], "invalid-medium");
    assert_eq!(v["error"]["field"], "medium");
    // A missing required flag is a usage error, also exit 2.
    assert_eq!(
        utmforge(&["tag", "--url", "https://example.com"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn csv_tags_every_row_passes_columns_through_and_reports_bad_rows() {
    let input = "Medium,URL,campaign,content,term,notes\n\
                 cpc,https://example.com/a?x=1,Spring Sale,v1,crm,first\n\
                 cpm,ftp://files.example.com/,Spring Sale,v2,,second\n\
                 CPM,example.com/b,Autumn,\"Café, Crème\",,\"third, with comma\"\n";
    let o = with_stdin(&["tag", "--csv", "-"], input);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("1 of 3 rows could not be tagged"));
    let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "Medium",
            "URL",
            "campaign",
            "content",
            "term",
            "notes",
            "tagged_url",
            "warnings",
            "error"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        &rows[0][6],
        "https://example.com/a?x=1&utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale&utm_content=v1&utm_term=crm"
    );
    assert_eq!(&rows[0][5], "first");
    assert_eq!(&rows[0][8], "");
    assert_eq!(&rows[1][6], "");
    assert!(
        rows[1][8].starts_with("scheme-not-allowed: "),
        "{}",
        &rows[1][8]
    );
    assert_eq!(
        &rows[2][6],
        "https://example.com/b?utm_source=chatgpt&utm_medium=cpm&utm_campaign=autumn&utm_content=cafe-creme"
    );
    assert_eq!(&rows[2][5], "third, with comma");
    assert!(rows[2][7].contains("scheme-added"));
}

/// Every row of a sheet — repeated landing pages and values, quoted fields, CRLF line ends, a
/// byte-order mark, a short row, a row that is not UTF-8 — comes out exactly as tagging it on
/// its own gives, with its columns intact.
#[test]
fn csv_rows_are_tagged_as_single_urls_are() {
    let urls = [
        "https://example.com/a?x=1,2",
        "example.com/b#utm_source=old",
        "https://shop.example.com/p?UTM_Medium=email&gclid=X",
        "javascript:alert(1)",
        "http://münchen.example/ü?q=\"quoted\"",
    ];
    let campaigns = ["Spring Sale", "spring-sale", "!!!", "Café, Crème"];
    let contents = ["v1", "", "Headline \"B\""];
    let mediums = ["cpc", "CPM", "email"];
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut input = b"\xEF\xBB\xBFurl,campaign,medium,content,note\r\n".to_vec();
    let mut expected = Vec::new();
    for i in 0..40 {
        let (url, campaign) = (urls[i % 5], campaigns[i % 4]);
        let (medium, content) = (mediums[i % 3], contents[i % 3]);
        let note = if i % 7 == 0 { "two\nlines" } else { "plain" };
        let row = [url, campaign, medium, content, note].map(quote).join(",");
        input.extend_from_slice(row.as_bytes());
        input.extend_from_slice(b"\r\n");
        let single = medium
            .parse::<utmforge_core::BuyingModel>()
            .map_err(|e| e.to_string())
            .and_then(|medium| {
                utmforge_core::tag(&utmforge_core::TagRequest {
                    url: url.into(),
                    campaign: campaign.into(),
                    medium,
                    content: Some(content.into()).filter(|c: &String| !c.is_empty()),
                    ..Default::default()
                })
                .map_err(|e| {
                    e.0.iter()
                        .map(|n| format!("{}: {}", n.code.as_str(), n.message))
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
            });
        expected.push((
            [url, campaign, medium, content, note].map(String::from),
            single,
        ));
    }
    input.extend_from_slice(b"https://example.com/,short\n");
    input.extend_from_slice(b"https://example.com/\xff,x,cpc,,\n");

    let mut child = Command::new(env!("CARGO_BIN_EXE_utmforge"))
        .args(["tag", "--csv", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));

    let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "url",
            "campaign",
            "medium",
            "content",
            "note",
            "tagged_url",
            "warnings",
            "error"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 42);
    for (row, (fields, single)) in rows.iter().zip(&expected) {
        assert_eq!(&row.iter().take(5).collect::<Vec<_>>(), fields);
        match single {
            Ok(tagged) => {
                assert_eq!(&row[5], tagged.url);
                let warnings: Vec<String> = tagged
                    .warnings
                    .iter()
                    .map(|n| format!("{}: {}", n.code.as_str(), n.message))
                    .collect();
                assert_eq!(&row[6], warnings.join(" | "));
                assert_eq!(&row[7], "");
            }
            Err(error) => {
                assert_eq!((&row[5], &row[6]), ("", ""));
                assert!(row[7].ends_with(error.as_str()), "{} vs {error}", &row[7]);
            }
        }
    }
    assert!(
        rows[40][7].starts_with("invalid-row: the row has 2 fields"),
        "{}",
        &rows[40][7]
    );
    assert_eq!(
        &rows[41][7],
        "invalid-row: line 49 is not valid UTF-8 (column 1): save the file as CSV UTF-8"
    );
}

#[test]
fn csv_all_good_exits_0_and_reads_files() {
    let dir = std::env::temp_dir().join(format!("utmforge-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("links.csv");
    std::fs::write(
        &file,
        "url,campaign,medium,content,term,id\nhttps://example.com/,s,cpc,c,t,7\n",
    )
    .unwrap();
    let o = utmforge(&["tag", "--csv", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("utm_term=t&utm_id=7"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn csv_without_required_columns_exits_2_naming_them() {
    let o = with_stdin(
        &["tag", "--csv", "-"],
        "link,campaign\nhttps://example.com,x\n",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("lacks the columns url, medium"),
        "{}",
        stderr(&o)
    );
    let o = utmforge(&["tag", "--csv", "/nonexistent/links.csv"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read /nonexistent/links.csv"));
}

#[test]
fn lint_exit_codes_and_json() {
    let good = "https://example.com/?utm_source=chatgpt&utm_medium=cpc&utm_campaign=s&utm_content=c&utm_term=t";
    let o = utmforge(&["lint", good]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("ok: no findings"));

    let bad = "https://example.com/?utm_source=ChatGPT&utm_medium=cpc&utm_campaign=s&utm_content=c&utm_term=t";
    let o = utmforge(&["lint", good, bad, "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v[0]["findings"].as_array().unwrap().len(), 0);
    assert_eq!(v[1]["findings"][0]["code"], "source-not-canonical");
    assert_eq!(v[1]["findings"][0]["severity"], "error");
    assert_eq!(v[1]["findings"][0]["fixed_url"], good);
    assert_eq!(v[1]["fixed_url"], good);
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn http_get(port: u16, path: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

#[test]
fn serve_logs_one_line_per_request_and_stops_on_sigterm() {
    let port = free_port();
    // A temporary database: the default (./data/utmforge.db) would land in the source tree.
    let dir = std::env::temp_dir().join(format!("utmforge-cli-serve-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let database = format!("sqlite://{}/u.db", dir.display());
    let child = Command::new(env!("CARGO_BIN_EXE_utmforge"))
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--log-format",
            "json",
            "--database-url",
            &database,
        ])
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let response = loop {
        match http_get(port, "/healthz") {
            Ok(r) => break r,
            Err(_) if started.elapsed() < Duration::from_secs(10) => {
                std::thread::sleep(Duration::from_millis(50))
            }
            Err(e) => panic!("the server did not answer: {e}"),
        }
    };
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("ok"));

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "exit after SIGTERM: {:?}",
        output.status
    );
    let log = String::from_utf8(output.stdout).unwrap();
    let requests: Vec<serde_json::Value> = log
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["message"] == "request")
        .collect();
    assert_eq!(requests.len(), 1, "{log}");
    assert_eq!(requests[0]["path"], "/healthz");
    assert_eq!(requests[0]["status"], 200);
    assert!(log.contains("shutdown signal received"), "{log}");
    assert!(
        dir.join("u.db").exists(),
        "the server used the database it was given"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn help_lists_the_commands() {
    let o = utmforge(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = stdout(&o);
    // Each command is listed on a line of its own, with what it does.
    for command in [
        "serve", "tag", "lint", "ga4", "user", "token", "migrate", "db",
    ] {
        assert!(
            help.lines().any(|l| {
                let mut words = l.split_whitespace();
                words.next() == Some(command) && words.next().is_some()
            }),
            "{command} is not listed with a description:\n{help}"
        );
    }
    // And each flag of serve, with its environment fallback.
    let o = utmforge(&["serve", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = stdout(&o);
    for flag in [
        "--addr",
        "--database-url",
        "--log-format",
        "--db-pool-size",
        "--db-connect-timeout",
        "--db-statement-timeout",
        "--no-migrate",
    ] {
        assert!(help.contains(flag), "{flag} missing:\n{help}");
    }
    assert!(help.contains("UTMFORGE_DATABASE_URL"), "{help}");
    assert!(help.contains("UTMFORGE_DB_POOL_SIZE"), "{help}");
}

#[test]
fn ga4_prints_the_three_documents_as_json() {
    let o = utmforge(&["ga4", "channel-group"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let group: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(group["groupingRule"][0]["displayName"], "ChatGPT Ads");
    assert_eq!(group["groupingRule"].as_array().unwrap().len(), 20);

    let o = utmforge(&[
        "ga4",
        "funnel",
        "--conversion",
        "order_created",
        "--campaign",
        "Spring Sale 2025",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let funnel: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        funnel["funnel"]["steps"][3]["filterExpression"]["funnelEventFilter"]["eventName"],
        "purchase"
    );
    assert!(stdout(&o).contains("\"value\": \"spring-sale-2025\""));

    let o = utmforge(&["ga4", "report"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["dimensions"].as_array().unwrap().len(), 7);
    assert!(
        !stdout(&o).contains("sessionCampaignName\","),
        "no campaign filter without --campaign"
    );
}

#[test]
fn ga4_instructions_are_numbered_steps() {
    let o = utmforge(&["ga4", "channel-group", "--instructions"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(text.contains(" 1. In GA4, open Admin"), "{text}");
    assert!(text.contains("drag “ChatGPT Ads” to the top"));
    let o = utmforge(&[
        "ga4",
        "funnel",
        "--conversion",
        "demo_booked",
        "--instructions",
    ]);
    assert!(stdout(&o).contains("Mark “demo_booked” as a key event"));
}

#[test]
fn ga4_invalid_input_exits_2_with_a_message() {
    for (args, message) in [
        (
            &["ga4", "funnel", "--conversion", "ga_thing"][..],
            "reserved",
        ),
        (
            &[
                "ga4",
                "funnel",
                "--conversion",
                "purchase",
                "--campaign",
                "!!!",
            ][..],
            "no letters or digits",
        ),
        (&["ga4", "funnel"][..], "--conversion"),
        (
            &["ga4", "apply-script", "--property", "G-12AB"][..],
            "not a GA4 property id",
        ),
        (&["ga4", "report", "--campaign"][..], "--campaign"),
    ] {
        let o = utmforge(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(message), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
}

/// Runs the generated script with stand-ins for `gcloud` and `curl` first on PATH: it must
/// POST the three documents, with the token, to the property's endpoints.
#[test]
fn ga4_apply_script_posts_the_documents_with_curl() {
    let o = utmforge(&[
        "ga4",
        "apply-script",
        "--property",
        "123456789",
        "--conversion",
        "lead_created",
        "--campaign",
        "spring-sale-2025",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let dir = std::env::temp_dir().join(format!("utmforge-apply-{}", std::process::id()));
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(dir.join("apply.sh"), &o.stdout).unwrap();
    std::fs::write(bin.join("gcloud"), "#!/bin/sh\necho test-token\n").unwrap();
    std::fs::write(
        bin.join("curl"),
        // A call that asks for the status (`-w '\n%{http_code}'`, the dimensions') gets
        // $DIM_STATUS (200 unless the test says otherwise).
        "#!/bin/sh\nn=$(ls \"$CALLS\" | wc -l)\nprintf '%s\\n' \"$@\" > \"$CALLS/$n.args\"\ncat > \"$CALLS/$n.body\"\ncase \"$*\" in *http_code*) printf '{}\\n%s' \"${DIM_STATUS:-200}\" ;; *) echo '{}' ;; esac\n",
    )
    .unwrap();
    let calls = dir.join("calls");
    std::fs::create_dir_all(&calls).unwrap();
    for tool in ["gcloud", "curl"] {
        Command::new("chmod")
            .arg("+x")
            .arg(bin.join(tool))
            .status()
            .unwrap();
    }
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let run = Command::new("bash")
        .arg(dir.join("apply.sh"))
        .env("PATH", path)
        .env("CALLS", &calls)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let read = |name: &str| std::fs::read_to_string(calls.join(name)).unwrap();
    let expected = [
        (
            "https://analyticsadmin.googleapis.com/v1alpha/properties/123456789/channelGroups",
            "groupingRule",
        ),
        (
            "https://analyticsdata.googleapis.com/v1alpha/properties/123456789:runFunnelReport",
            "generate_lead",
        ),
        (
            "https://analyticsdata.googleapis.com/v1beta/properties/123456789:runReport",
            "sessionKeyEventRate",
        ),
        (
            "https://analyticsadmin.googleapis.com/v1beta/properties/123456789/customDimensions",
            "heard_about",
        ),
        (
            "https://analyticsadmin.googleapis.com/v1beta/properties/123456789/customDimensions",
            "first_touch_source",
        ),
        (
            "https://analyticsadmin.googleapis.com/v1beta/properties/123456789/customDimensions",
            "first_touch_campaign",
        ),
        (
            "https://analyticsdata.googleapis.com/v1beta/properties/123456789:runReport",
            "customEvent:heard_about",
        ),
        (
            "https://analyticsdata.googleapis.com/v1beta/properties/123456789:runReport",
            "customUser:first_touch_source",
        ),
    ];
    for (i, (url, marker)) in expected.iter().enumerate() {
        let args = read(&format!("{}.args", i * 2));
        assert!(args.contains(url), "{args}");
        assert!(args.contains("Authorization: Bearer test-token"), "{args}");
        let body: serde_json::Value =
            serde_json::from_str(&read(&format!("{}.body", i * 2))).unwrap();
        assert!(body.to_string().contains(marker), "{url}: {body}");
    }
    assert!(!calls.join(format!("{}.args", expected.len() * 2)).exists());

    // A second run: the dimensions exist (409) and are left alone; any other refusal stops it.
    for (status, ok) in [("409", true), ("403", false)] {
        std::fs::remove_dir_all(&calls).unwrap();
        std::fs::create_dir_all(&calls).unwrap();
        let run = Command::new("bash")
            .arg(dir.join("apply.sh"))
            .env(
                "PATH",
                format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
            )
            .env("CALLS", &calls)
            .env("DIM_STATUS", status)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.success(), ok, "{status}: {err}");
        if ok {
            assert_eq!(
                err.matches("(already registered: left as it is)").count(),
                3,
                "{err}"
            );
        } else {
            assert!(err.contains("Google answered 403"), "{err}");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A quote left open would make one record of the rest of the file: past 1 MiB it is an error
/// that names the line, and the rows before it were written.
#[test]
fn a_record_over_the_size_cap_is_an_error_naming_its_line() {
    let mut input = String::from(
        "url,campaign,medium\nhttps://example.com/,a,cpc\n\"https://example.com/,b,cpc\n",
    );
    let filler = "https://example.com/x,c,cpc\n".repeat(50_000); // 1.4 MB inside the open quote
    input.push_str(&filler);
    let dir = std::env::temp_dir().join(format!("utmforge-cli-cap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("open-quote.csv");
    std::fs::write(&file, &input).unwrap();
    let o = utmforge(&["tag", "--csv", file.to_str().unwrap()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_ne!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(
        err.contains("line 3") && err.contains("over 1 MiB"),
        "{err}"
    );
    assert!(
        stdout(&o).contains("utm_campaign=a"),
        "the first row was tagged"
    );
}

#[test]
fn user_and_token_commands_manage_accounts_from_the_servers_machine() {
    let dir = std::env::temp_dir().join(format!("utmforge-cli-users-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let db = format!("sqlite://{}/u.db", dir.display());
    let db_args = ["--database-url", db.as_str()];
    let run = |args: &[&str], input: &str| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(db_args);
        with_stdin(&all, input)
    };

    // The password comes from standard input; the id is printed.
    let added = run(
        &[
            "user",
            "add",
            "--email",
            "Dana@Example.com",
            "--role",
            "owner",
        ],
        "correct horse battery staple\n",
    );
    assert_eq!(added.status.code(), Some(0), "{}", stderr(&added));
    let id = stdout(&added).trim().to_string();
    assert_eq!(id.len(), 36, "a UUID: {id}");

    // A weak password, an unknown role, a second account with the same email: exit 2, said why.
    let weak = run(
        &["user", "add", "--email", "sam@example.com"],
        "password1234\n",
    );
    assert_eq!(weak.status.code(), Some(2));
    assert!(
        stderr(&weak).contains("too easy to guess"),
        "{}",
        stderr(&weak)
    );
    let role = run(
        &[
            "user",
            "add",
            "--email",
            "sam@example.com",
            "--role",
            "root",
        ],
        "a fine long passphrase\n",
    );
    assert_eq!(role.status.code(), Some(2));
    assert!(stderr(&role).contains("not one of viewer, editor, admin, owner"));
    let twice = run(
        &["user", "add", "--email", "dana@example.com"],
        "a fine long passphrase\n",
    );
    assert_eq!(twice.status.code(), Some(2));
    assert!(stderr(&twice).contains("already has an account"));

    assert_eq!(
        run(
            &[
                "user",
                "add",
                "--email",
                "sam@example.com",
                "--role",
                "editor"
            ],
            "a fine long passphrase\n"
        )
        .status
        .code(),
        Some(0)
    );
    let list = stdout(&run(&["user", "list"], ""));
    assert!(
        list.contains(&format!("{id}\tdana@example.com\towner\tactive\tDana")),
        "{list}"
    );
    assert!(list.contains("sam@example.com\teditor\tactive"), "{list}");

    // A token no higher than its user's role; printed once.
    let too_high = run(
        &[
            "token",
            "create",
            "--email",
            "sam@example.com",
            "--name",
            "ci",
            "--role",
            "admin",
        ],
        "",
    );
    assert_eq!(too_high.status.code(), Some(2));
    let token = run(
        &[
            "token",
            "create",
            "--email",
            "sam@example.com",
            "--name",
            "ci",
            "--role",
            "viewer",
        ],
        "",
    );
    assert_eq!(token.status.code(), Some(0), "{}", stderr(&token));
    assert!(stdout(&token).trim().starts_with("utmf_") && stdout(&token).trim().len() == 69);

    assert_eq!(
        run(
            &[
                "user",
                "set-role",
                "--email",
                "sam@example.com",
                "--role",
                "viewer"
            ],
            ""
        )
        .status
        .code(),
        Some(0)
    );
    let disabled = run(&["user", "disable", "--email", "sam@example.com"], "");
    assert!(
        stdout(&disabled).contains("disabled"),
        "{}",
        stderr(&disabled)
    );
    assert!(stdout(&run(&["user", "list"], "")).contains("sam@example.com\tviewer\tdisabled"));
    // A forgotten password: an owner sets a new one (read from standard input).
    let reset = run(
        &["user", "set-password", "--email", "sam@example.com"],
        "another fine passphrase\n",
    );
    assert_eq!(reset.status.code(), Some(0), "{}", stderr(&reset));
    assert!(stdout(&reset).contains("signed out everywhere"));
    // The last owner stays an owner.
    let last = run(
        &[
            "user",
            "set-role",
            "--email",
            "dana@example.com",
            "--role",
            "editor",
        ],
        "",
    );
    assert_eq!(last.status.code(), Some(2));
    assert!(stderr(&last).contains("only owner"), "{}", stderr(&last));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `serve --no-migrate` on a database without the schema is alive but not ready until
/// `utmforge migrate` has run; then it is ready without a restart.
#[test]
fn readyz_waits_for_migrations_run_by_the_migrate_command() {
    let port = free_port();
    let dir = std::env::temp_dir().join(format!("utmforge-cli-migrate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let database = format!("sqlite://{}/u.db", dir.display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_utmforge"))
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            &database,
            "--no-migrate",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let not_ready = loop {
        match http_get(port, "/readyz") {
            Ok(r) => break r,
            Err(_) if started.elapsed() < Duration::from_secs(10) => {
                std::thread::sleep(Duration::from_millis(50))
            }
            Err(e) => panic!("the server did not answer: {e}"),
        }
    };
    assert!(not_ready.starts_with("HTTP/1.1 503"), "{not_ready}");
    assert!(not_ready.contains("utmforge migrate"), "{not_ready}");
    assert!(http_get(port, "/healthz")
        .unwrap()
        .starts_with("HTTP/1.1 200"));

    let migrated = utmforge(&["migrate", "--database-url", &database]);
    assert!(migrated.status.success(), "{}", stderr(&migrated));
    assert!(
        stdout(&migrated).contains("applied 12 migration(s)"),
        "{}",
        stdout(&migrated)
    );
    let again = utmforge(&["migrate", "--database-url", &database]);
    assert!(stdout(&again).contains("already up to date"));

    let ready = http_get(port, "/readyz").unwrap();
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");
    assert!(ready.contains(r#""database":"SQLite""#), "{ready}");
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}

/// `utmforge settings`: the same rules as the Settings page, from a file or standard input.
#[test]
fn settings_are_shown_and_set_from_the_command_line() {
    let dir = std::env::temp_dir().join(format!("utmforge-cli-settings-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}/u.db", dir.display());
    let db_args = ["--database-url", db.as_str()];

    let shown = utmforge(&[&["settings", "show"][..], &db_args].concat());
    assert_eq!(shown.status.code(), Some(0), "{}", stderr(&shown));
    let json: serde_json::Value = serde_json::from_str(&stdout(&shown)).unwrap();
    assert_eq!(json["version"], 0);

    let bad = with_stdin(
        &[&["settings", "set", "--file", "-"][..], &db_args].concat(),
        r#"{"approved_domains": ["https://example.com"], "topic_mode": "warn"}"#,
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("is not a domain"), "{}", stderr(&bad));
    let typo = with_stdin(
        &[&["settings", "set", "--file", "-"][..], &db_args].concat(),
        r#"{"domains": []}"#,
    );
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        stderr(&typo).contains("unknown field `domains`"),
        "{}",
        stderr(&typo)
    );

    let file = dir.join("rules.json");
    std::fs::write(&file, r#"{"approved_domains": ["*.Example.com"], "topics": [{"topic": "CRM tools", "aliases": ["CRM software"]}], "topic_mode": "warn"}"#).unwrap();
    let set = utmforge(
        &[
            &["settings", "set", "--file", file.to_str().unwrap()][..],
            &db_args,
        ]
        .concat(),
    );
    assert_eq!(set.status.code(), Some(0), "{}", stderr(&set));
    assert_eq!(
        stdout(&set),
        "saved (version 1): 1 approved domain(s), 1 topic(s)\n"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&utmforge(
        &[&["settings", "show"][..], &db_args].concat(),
    )))
    .unwrap();
    assert_eq!(json["rules"]["approved_domains"][0], "*.example.com");
    assert_eq!(json["rules"]["topics"][0]["aliases"][0], "crm-software");
    assert_eq!(json["rules"]["topic_mode"], "warn");
    assert!(
        stderr(&set).contains("names no version"),
        "{}",
        stderr(&set)
    );

    // What `show` prints, edited and set again: its version is checked, so a second save of the
    // same (now stale) file is refused instead of overwriting the first.
    let mut edited = json.clone();
    edited["rules"]["topic_mode"] = serde_json::json!("refuse");
    std::fs::write(&file, edited.to_string()).unwrap();
    let args = [
        &["settings", "set", "--file", file.to_str().unwrap()][..],
        &db_args,
    ]
    .concat();
    let set = utmforge(&args);
    assert_eq!(set.status.code(), Some(0), "{}", stderr(&set));
    assert_eq!(
        stdout(&set),
        "saved (version 2): 1 approved domain(s), 1 topic(s)\n"
    );
    let again = utmforge(&args);
    assert_ne!(again.status.code(), Some(0));
    assert!(
        stderr(&again).contains("stale") || stderr(&again).contains("changed"),
        "{}",
        stderr(&again)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
