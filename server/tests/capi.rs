//! `utmforge capi send` against a Conversions API receiver served on loopback by this test: it
//! records every call, counts each event id once (as the API deduplicates), and answers what
//! the test scripts (429, 503 after storing the batch, 401) before answering 200.

mod common;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::process::Command;
use std::sync::{Arc, Mutex};

const TOKEN: &str = "sk-test-capi-token-5f2c9e";
const PIXEL: &str = "oai-px-shop42";

#[derive(Default)]
struct Receiver {
    /// Statuses to answer next (then 200). A 503 here is answered after storing the batch: the
    /// events arrived but the answer was lost.
    script: VecDeque<u16>,
    /// Every call: (authorization header, pid, number of events).
    calls: Vec<(String, String, usize)>,
    /// How often each id was stored (the API counts it once whatever this says).
    stored: BTreeMap<String, usize>,
}

type Shared = Arc<Mutex<Receiver>>;

async fn events(
    State(rec): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Json(batch): Json<Vec<Value>>,
) -> Response {
    let mut r = rec.lock().unwrap();
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    r.calls
        .push((auth, q.get("pid").cloned().unwrap_or_default(), batch.len()));
    let status = r.script.pop_front().unwrap_or(200);
    if status == 200 || status == 503 {
        for e in &batch {
            *r.stored
                .entry(e["id"].as_str().unwrap().to_owned())
                .or_default() += 1;
        }
    }
    let mut response = (
        StatusCode::from_u16(status).unwrap(),
        Json(serde_json::json!({"status": status})),
    )
        .into_response();
    if status == 429 {
        response
            .headers_mut()
            .insert("retry-after", "0".parse().unwrap());
    }
    response
}

/// A receiver on a free loopback port, with `script` to answer first.
fn receiver(script: &[u16]) -> (u16, Shared) {
    let shared: Shared = Arc::new(Mutex::new(Receiver {
        script: script.iter().copied().collect(),
        ..Receiver::default()
    }));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = Router::new()
        .route("/v1/events", post(events))
        .with_state(shared.clone());
    common::site::serve(listener, app);
    (port, shared)
}

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

fn send(path: &std::path::Path, port: Option<u16>, token: Option<&str>, extra: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_utmforge"));
    cmd.args(["capi", "send", "--pixel-id", PIXEL, "--csv"])
        .arg(path)
        .args(extra)
        .env_remove("OPENAI_ADS_API_TOKEN");
    if let Some(port) = port {
        cmd.args(["--endpoint", &format!("http://127.0.0.1:{port}/v1/events")]);
    }
    if let Some(token) = token {
        cmd.env("OPENAI_ADS_API_TOKEN", token);
    }
    let out = cmd.output().unwrap();
    let run = Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    };
    assert!(
        !run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN),
        "the token was printed:\n{}\n{}",
        run.stdout,
        run.stderr
    );
    run
}

fn rows(n: usize, now: i64) -> String {
    let mut text =
        String::from("type,timestamp,user,value,currency,order_id,action_source,source_url\n");
    for i in 0..n {
        text.push_str(&format!(
            "order_created,{},u{i},19.90,EUR,A-{i},website,https://shop.example.com/thanks\n",
            now - 3_600_000 - i as i64
        ));
    }
    text
}

#[test]
fn every_valid_row_arrives_once_even_when_the_api_asks_to_retry() {
    let now = now_ms();
    let text = format!(
        "{}phone_order_created,{},u9,5,EUR,A-9,phone_call,\norder_created,{},jane@example.com,5,EUR,A-10,website,https://shop.example.com/thanks\n",
        rows(3, now),
        now - 1000,
        now - 1000
    );
    let (_dir, path) = csv(&text);
    let (port, rec) = receiver(&[429, 503]);
    let run = send(&path, Some(port), Some(TOKEN), &["--allow-private"]);
    assert_eq!(run.code, 1, "two rows rejected: {}", run.stderr);
    // The report: one row per input row, with its line, id and status.
    let report: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(report[0], "line,id,status,problems");
    assert!(report[1].starts_with(&format!("2,order_created_u0_{},valid,", now - 3_600_000)));
    assert!(
        report[4].starts_with(
            "5,,rejected,\"unknown-type (type): “phone_order_created” is not a pixel event"
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
            .contains("batch 1 (3 events): accepted after 3 attempts"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("sent 3, rejected 2 (invalid rows), not accepted 0, retried calls 2"),
        "{}",
        run.stderr
    );

    let r = rec.lock().unwrap();
    // 429, then 503 after storing, then 200: three calls of the same three events.
    assert_eq!(r.calls.len(), 3);
    for (auth, pid, n) in &r.calls {
        assert_eq!(auth, &format!("Bearer {TOKEN}"));
        assert_eq!(pid, PIXEL);
        assert_eq!(*n, 3);
    }
    // The same ids each time: stored twice, counted once by the API.
    let ids: Vec<&String> = r.stored.keys().collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(r.stored.values().all(|&n| n == 2), "{:?}", r.stored);
}

#[test]
fn a_thousand_and_one_rows_go_in_two_calls() {
    let (_dir, path) = csv(&rows(1001, now_ms()));
    let (port, rec) = receiver(&[]);
    let run = send(&path, Some(port), Some(TOKEN), &["--allow-private"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("sending 1001 events in 2 calls"),
        "{}",
        run.stderr
    );
    let r = rec.lock().unwrap();
    let sizes: Vec<usize> = r.calls.iter().map(|c| c.2).collect();
    assert_eq!(sizes, [1000, 1]);
    assert_eq!(r.stored.len(), 1001);
}

#[test]
fn a_refused_token_stops_the_send_with_a_clear_message() {
    let (_dir, path) = csv(&rows(1001, now_ms()));
    let (port, rec) = receiver(&[401]);
    let run = send(&path, Some(port), Some(TOKEN), &["--allow-private"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "the Conversions API refused the token (401 Unauthorized): check OPENAI_ADS_API_TOKEN"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("sent 0, rejected 0 (invalid rows), not accepted 1001"),
        "{}",
        run.stderr
    );
    let r = rec.lock().unwrap();
    assert_eq!(r.calls.len(), 1, "no retry, no second batch after a 401");
    assert!(r.stored.is_empty());
}

#[test]
fn without_a_token_or_with_dry_run_nothing_is_sent() {
    let (_dir, path) = csv(&rows(2, now_ms()));
    let (port, rec) = receiver(&[]);
    let run = send(&path, Some(port), None, &["--allow-private"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("set OPENAI_ADS_API_TOKEN"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());

    let run = send(&path, Some(port), None, &["--allow-private", "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("dry run: 2 valid events would go in 1 call; 0 rows rejected"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout.lines().count(), 3);
    assert!(rec.lock().unwrap().calls.is_empty());
}

#[test]
fn a_private_endpoint_needs_the_operators_flag() {
    let (_dir, path) = csv(&rows(1, now_ms()));
    let (port, rec) = receiver(&[]);
    let run = send(&path, Some(port), Some(TOKEN), &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("plain http"), "{}", run.stderr);
    let https = send(
        &path,
        None,
        Some(TOKEN),
        &["--endpoint", &format!("https://127.0.0.1:{port}/v1/events")],
    );
    assert_eq!(https.code, 2);
    assert!(
        https
            .stderr
            .contains("private or local address (127.0.0.1)"),
        "{}",
        https.stderr
    );
    assert!(rec.lock().unwrap().calls.is_empty());

    let bad_pixel = Command::new(env!("CARGO_BIN_EXE_utmforge"))
        .args([
            "capi",
            "send",
            "--pixel-id",
            "oai-px-\"</script>",
            "--csv",
            "x.csv",
            "--dry-run",
        ])
        .output()
        .unwrap();
    assert_eq!(bad_pixel.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_pixel.stderr)
        .contains("--pixel-id: “oai-px-\"</script>” is not an OpenAI ads pixel id"));
}
