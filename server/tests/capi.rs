//! `utmforge capi send` against the strict Conversions API double (`common::openai`): every
//! batch it sends must be one OpenAI would take — the documented body, event fields, data
//! types, integer amounts, hashed match keys — and a test fails on anything it would refuse.
//! Also: retries with the same ids after a 429 (waiting its Retry-After) and a lost answer,
//! the refused rows found by halves when OpenAI refuses a batch for a reason utmforge cannot
//! check, `--validate-only`, the key's variable, and the key never printed.

mod common;

use common::openai::{ConversionsApi, Scripted};
use serde_json::Value;
use std::process::Command;
use std::time::Instant;

const KEY: &str = "sk-capi-test-5f2c9e8d41";
const PIXEL: &str = "4Ab2xYz9Qw8Er7Ty6Ui5Op";

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// A CSV in a temporary folder of its own (removed when the folder is dropped).
fn csv(text: &str) -> (common::TempDir, std::path::PathBuf) {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let dir = common::TempDir::new(&format!(
        "capi-{}",
        N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir.0).unwrap();
    let path = dir.0.join("conversions.csv");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// How the key reaches the command.
enum Key<'a> {
    None,
    Documented(&'a str),
    Old(&'a str),
}

fn send(path: &std::path::Path, endpoint: Option<&str>, key: Key, extra: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_utmforge"));
    cmd.args(["capi", "send", "--pixel-id", PIXEL, "--csv"])
        .arg(path)
        .args(extra)
        .env_remove("OPENAI_CONVERSIONS_API_KEY")
        .env_remove("OPENAI_ADS_API_TOKEN");
    if let Some(endpoint) = endpoint {
        cmd.args(["--endpoint", endpoint]);
    }
    match key {
        Key::None => {}
        Key::Documented(k) => {
            cmd.env("OPENAI_CONVERSIONS_API_KEY", k);
        }
        Key::Old(k) => {
            cmd.env("OPENAI_ADS_API_TOKEN", k);
        }
    }
    let out = cmd.output().unwrap();
    let run = Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    };
    assert!(
        !run.stdout.contains(KEY) && !run.stderr.contains(KEY),
        "the key was printed:\n{}\n{}",
        run.stdout,
        run.stderr
    );
    run
}

const HEADER: &str = "type,timestamp,user,value,currency,action_source,source_url,email\n";

fn rows(n: usize, now: i64) -> String {
    let mut text = String::from(HEADER);
    for i in 0..n {
        text.push_str(&format!(
            "order_created,{},u{i},19.90,eur,web,https://shop.example.com/thanks,Buyer{i}@Example.com\n",
            now - 3_600_000 - i as i64
        ));
    }
    text
}

fn report_statuses(stdout: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(stdout.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().get(2).unwrap().to_owned())
        .collect()
}

#[test]
fn every_valid_row_arrives_once_even_when_the_api_asks_to_wait_and_an_answer_is_lost() {
    let now = now_ms();
    let text = format!(
        "{}phone_order_created,{},u9,5,EUR,phone_call,,\norder_created,{},jane@example.com,5,EUR,web,https://shop.example.com/thanks,\n",
        rows(3, now),
        now - 1000,
        now - 1000
    );
    let (_dir, path) = csv(&text);
    let api = ConversionsApi::start(PIXEL, KEY);
    api.script(&[Scripted::RateLimited(1), Scripted::LostAnswer]);
    let started = Instant::now();
    let run = send(
        &path,
        Some(&api.endpoint()),
        Key::Documented(KEY),
        &["--allow-private"],
    );
    assert_eq!(run.code, 1, "two rows rejected: {}", run.stderr);
    assert!(
        started.elapsed().as_secs_f64() >= 1.0,
        "it waited the Retry-After"
    );
    // The report: one row per input row, with its line, id and status.
    let report: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(report[0], "line,id,status,problems");
    assert!(report[1].starts_with(&format!("2,order_created_u0_{},sent,", now - 3_600_000)));
    assert!(
        report[4].starts_with(
            "5,,rejected,\"unknown-type (type): “phone_order_created” is not an event OpenAI takes"
        ),
        "{}",
        report[4]
    );
    assert!(
        report[5].starts_with("6,,rejected,\"bad-user (user):"),
        "{}",
        report[5]
    );
    assert!(
        run.stderr
            .contains("batch 1 (3 events, 3 calls): 3 accepted"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "sent 3, rejected 2 (invalid rows), refused by OpenAI 0, not sent 0, retried calls 2"
        ),
        "{}",
        run.stderr
    );

    api.assert_no_violations();
    let s = api.state();
    // 429, then saved but the answer lost, then 200: three calls of the same three events.
    let statuses: Vec<u16> = s.calls.iter().map(|c| c.status).collect();
    assert_eq!(statuses, [429, 503, 200]);
    for call in &s.calls {
        assert_eq!(call.authorization, format!("Bearer {KEY}"));
        assert_eq!(call.query, format!("pid={PIXEL}"));
        assert!(!call.validate_only);
        assert_eq!(call.events.len(), 3);
    }
    // The same ids each time: received twice, saved once.
    assert_eq!(s.saved.len(), 3);
    assert!(s.received.values().all(|&n| n == 2), "{:?}", s.received);
    // The value went as the integer amount in cents; the email only as its hash.
    let first = &s.calls[1].events[0];
    assert_eq!(first["data"]["amount"], 1990);
    assert_eq!(first["data"]["currency"], "EUR");
    let sent = serde_json::to_string(&s.calls[1].events).unwrap();
    assert!(
        !sent.to_lowercase().contains("buyer0@example.com"),
        "{sent}"
    );
    assert_eq!(
        first["user"]["emails_sha256"][0].as_str().unwrap().len(),
        64
    );
}

#[test]
fn every_event_type_and_every_sheet_column_makes_a_batch_openai_takes() {
    let now = now_ms() - 60_000;
    let header = "id,type,custom_event_name,timestamp,action_source,source_url,oppref,opt_out,value,currency,plan_id,contents,email,phone,external_id,first_name,last_name,country,city,zip_code,region,ip_address,user_agent,obref\n";
    let contents = r#""[{""id"":""sku-1"",""name"":""Boots"",""content_type"":""product"",""quantity"":2,""amount"":4950,""currency"":""USD"",""group_id"":""boots"",""variant_dict"":{""size"":""42""}}]""#;
    let mut text = String::from(header);
    let full_user = "jane@example.com,+1 (415) 555-2671,CRM-42,Jane,O'Connor,us,San Francisco,94103,CA,203.0.113.7,Mozilla/5.0,ob_1";
    let web = "web,https://shop.example.com/p";
    for (i, (event, custom, source, money, plan, items)) in [
        ("page_viewed", "", web, "", "", ""),
        ("contents_viewed", "", web, "99.00,USD", "", contents),
        ("items_added", "", web, "99.00,USD", "", contents),
        ("checkout_started", "", web, "99.00,USD", "", contents),
        ("order_created", "", web, "99.00,USD", "", contents),
        ("lead_created", "", "phone_call,", "", "", ""),
        ("registration_completed", "", "email,", "", "", ""),
        (
            "appointment_scheduled",
            "",
            "physical_store,",
            "20,USD",
            "",
            "",
        ),
        (
            "subscription_created",
            "",
            "offline,",
            "12.50,USD",
            "pro-monthly",
            "",
        ),
        ("trial_started", "", "other,", "", "pro-monthly", ""),
        ("app_installed", "", "mobile_app,", "", "", ""),
        ("app_opened", "", "mobile_app,", "", "", ""),
        ("custom", "quote_requested", "", "1500,JPY", "", contents),
    ]
    .into_iter()
    .enumerate()
    {
        let source = if source.is_empty() { "," } else { source };
        let money = if money.is_empty() { "," } else { money };
        text.push_str(&format!(
            "e{i},{event},{custom},{},{source},op_{i},{},{money},{plan},{items},{full_user}\n",
            now - i as i64,
            if i % 2 == 0 { "false" } else { "true" },
        ));
    }
    let (_dir, path) = csv(&text);
    let api = ConversionsApi::start(PIXEL, KEY);
    let run = send(
        &path,
        Some(&api.endpoint()),
        Key::Documented(KEY),
        &["--allow-private"],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    api.assert_no_violations();
    let s = api.state();
    assert_eq!(s.saved.len(), 13);
    let jpy = s
        .saved
        .get(&("quote_requested".to_string(), "e12".to_string()))
        .unwrap();
    assert_eq!(jpy["data"]["amount"], 1500, "JPY has no minor unit");
    let sub = s
        .saved
        .get(&("subscription_created".to_string(), "e8".to_string()))
        .unwrap();
    assert_eq!(sub["data"]["type"], "plan_enrollment");
    assert_eq!(sub["data"]["amount"], 1250);
    assert_eq!(sub["data"]["plan_id"], "pro-monthly");
    assert_eq!(sub["oppref"], "op_8", "oppref passed unmodified");
    assert_eq!(sub["user"]["countries"][0], "US");
}

#[test]
fn a_batch_openai_refuses_is_sent_again_in_halves_so_one_row_never_loses_the_others() {
    let now = now_ms();
    let (_dir, path) = csv(&rows(1000, now));
    let api = ConversionsApi::start(PIXEL, KEY);
    let bad = format!("order_created_u617_{}", now - 3_600_000 - 617);
    api.refuse_id(&bad);
    let run = send(
        &path,
        Some(&api.endpoint()),
        Key::Documented(KEY),
        &["--allow-private"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    api.assert_no_violations();
    let statuses = report_statuses(&run.stdout);
    assert_eq!(statuses.len(), 1000);
    assert_eq!(statuses.iter().filter(|s| *s == "sent").count(), 999);
    assert_eq!(statuses[617], "refused");
    let refused_line = run.stdout.lines().nth(618).unwrap();
    assert!(
        refused_line.starts_with(&format!(
            "619,{bad},refused,\"refused by OpenAI: 400 Bad Request:"
        )),
        "{refused_line}"
    );
    assert!(
        run.stderr
            .contains("sent 999, rejected 0 (invalid rows), refused by OpenAI 1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("sent again in halves"),
        "{}",
        run.stderr
    );
    let s = api.state();
    assert_eq!(s.saved.len(), 999);
    // Halving costs a call per level: 1 + 2 × log2(1000), never one call per row.
    assert!(s.calls.len() <= 21, "{} calls", s.calls.len());
}

#[test]
fn a_thousand_and_one_rows_go_in_two_calls() {
    let (_dir, path) = csv(&rows(1001, now_ms()));
    let api = ConversionsApi::start(PIXEL, KEY);
    let run = send(
        &path,
        Some(&api.endpoint()),
        Key::Documented(KEY),
        &["--allow-private"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("sending 1001 events in 2 calls"),
        "{}",
        run.stderr
    );
    api.assert_no_violations();
    let s = api.state();
    let sizes: Vec<usize> = s.calls.iter().map(|c| c.events.len()).collect();
    assert_eq!(sizes, [1000, 1]);
    assert_eq!(s.saved.len(), 1001);
}

#[test]
fn validate_only_asks_openai_to_check_and_saves_nothing() {
    let (_dir, path) = csv(&rows(2, now_ms()));
    let api = ConversionsApi::start(PIXEL, KEY);
    let run = send(
        &path,
        Some(&api.endpoint()),
        Key::Documented(KEY),
        &["--allow-private", "--validate-only"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(report_statuses(&run.stdout), ["validated", "validated"]);
    assert!(run.stderr.contains("(validate_only: nothing is saved)"));
    api.assert_no_violations();
    let s = api.state();
    assert_eq!(s.calls.len(), 1);
    assert!(s.calls[0].validate_only);
    assert!(s.saved.is_empty());
}

#[test]
fn a_refused_key_stops_the_send_with_a_clear_message() {
    let (_dir, path) = csv(&rows(1001, now_ms()));
    let api = ConversionsApi::start(PIXEL, KEY);
    // The Advertiser API key is not the Conversions API key.
    let run = send(
        &path,
        Some(&api.endpoint()),
        Key::Documented("sk-ads-advertiser-key"),
        &["--allow-private"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "the Conversions API refused the key (401 Unauthorized): check OPENAI_CONVERSIONS_API_KEY"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("not the Advertiser API key"));
    assert!(
        run.stderr
            .contains("sent 0, rejected 0 (invalid rows), refused by OpenAI 0, not sent 1001"),
        "{}",
        run.stderr
    );
    let s = api.state();
    assert_eq!(s.calls.len(), 1, "no retry, no second batch after a 401");
    assert!(s.saved.is_empty());
}

#[test]
fn the_key_comes_from_the_documented_variable_or_the_old_one_with_a_warning() {
    let (_dir, path) = csv(&rows(2, now_ms()));
    let api = ConversionsApi::start(PIXEL, KEY);
    let run = send(
        &path,
        Some(&api.endpoint()),
        Key::None,
        &["--allow-private"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("set OPENAI_CONVERSIONS_API_KEY"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());

    let run = send(
        &path,
        Some(&api.endpoint()),
        Key::Old(KEY),
        &["--allow-private"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains(
        "warning: OPENAI_ADS_API_TOKEN is read because OPENAI_CONVERSIONS_API_KEY is not set"
    ));
    assert_eq!(api.state().saved.len(), 2);

    let run = send(
        &path,
        Some(&api.endpoint()),
        Key::None,
        &["--allow-private", "--dry-run"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("dry run: 2 valid events would go in 1 call; 0 rows rejected"),
        "{}",
        run.stderr
    );
    assert_eq!(report_statuses(&run.stdout), ["valid", "valid"]);
    assert_eq!(api.state().calls.len(), 1, "the dry run sent nothing");
    api.assert_no_violations();
}

#[test]
fn a_private_endpoint_needs_the_operators_flag() {
    let (_dir, path) = csv(&rows(1, now_ms()));
    let api = ConversionsApi::start(PIXEL, KEY);
    let run = send(&path, Some(&api.endpoint()), Key::Documented(KEY), &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("plain http"), "{}", run.stderr);
    let https = format!("https://127.0.0.1:{}/v1/events", api.port);
    let run = send(&path, Some(&https), Key::Documented(KEY), &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("private or local address (127.0.0.1)"),
        "{}",
        run.stderr
    );
    assert!(api.state().calls.is_empty());

    let bad_pixel = Command::new(env!("CARGO_BIN_EXE_utmforge"))
        .args([
            "capi",
            "send",
            "--pixel-id",
            "x\"</script>",
            "--csv",
            "x.csv",
            "--dry-run",
        ])
        .output()
        .unwrap();
    assert_eq!(bad_pixel.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_pixel.stderr)
        .contains("--pixel-id: “x\"</script>” is not an OpenAI ads pixel id"));
}

/// A plain HTTP/1.1 POST to the double; answers the status.
fn post(port: u16, key: &str, body: &Value) -> u16 {
    use std::io::{Read, Write};
    let body = serde_json::to_vec(body).unwrap();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "POST /v1/events?pid={PIXEL} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(&body).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer[9..12].parse().unwrap()
}

#[test]
fn the_double_refuses_what_openai_would_refuse() {
    // The double itself is strict: a bare array, an unknown member, a float amount, a raw
    // email or a wrong key are each refused and counted as violations.
    let api = ConversionsApi::start(PIXEL, KEY);
    let now = now_ms();
    let good = serde_json::json!({"id": "x1", "type": "lead_created", "timestamp_ms": now, "data": {"type": "customer_action"}});
    let cases: Vec<(&str, Value)> = vec![
        ("a bare array", serde_json::json!([good.clone()])),
        (
            "an unknown member",
            serde_json::json!({"events": [good.clone()], "test": true}),
        ),
        (
            "a float amount",
            serde_json::json!({"events": [{"id": "x", "type": "order_created", "timestamp_ms": now, "data": {"type": "contents", "amount": 19.9, "currency": "USD"}}]}),
        ),
        (
            "a raw email",
            serde_json::json!({"events": [{"id": "x", "type": "lead_created", "timestamp_ms": now, "user": {"emails_sha256": ["jane@example.com"]}, "data": {"type": "customer_action"}}]}),
        ),
        (
            "props without a type",
            serde_json::json!({"events": [{"id": "x", "type": "lead_created", "timestamp_ms": now, "data": {"value": 1}}]}),
        ),
        (
            "website",
            serde_json::json!({"events": [{"id": "x", "type": "lead_created", "timestamp_ms": now, "action_source": "website", "data": {"type": "customer_action"}}]}),
        ),
        (
            "the old variable's token",
            serde_json::json!({"events": [good.clone()]}),
        ),
    ];
    for (what, body) in &cases {
        let key = if what.starts_with("the old") {
            "sk-ads-advertiser-key"
        } else {
            KEY
        };
        let status = post(api.port, key, body);
        assert_eq!(status, if key == KEY { 400 } else { 401 }, "{what}");
    }
    let status = post(
        api.port,
        KEY,
        &serde_json::json!({"validate_only": false, "events": [good]}),
    );
    assert_eq!(status, 200);
    assert_eq!(api.state().violations.len(), cases.len());
}
