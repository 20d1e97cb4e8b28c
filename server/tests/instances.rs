//! Several `utmforge serve` processes on one PostgreSQL database, as behind a load balancer:
//! real processes, real HTTP, a real database (a schema of its own in the database named by
//! `UTMFORGE_TEST_POSTGRES_URL`, which scripts/test.sh creates and drops).
//!
//! `two_instances_share_everything` runs with the other tests. `a_database_restart_*` stops
//! and starts PostgreSQL itself, so it is `#[ignore]`d here and run alone by scripts/test.sh
//! (`UTMFORGE_TEST_PG_STOP` / `UTMFORGE_TEST_PG_START` are the shell commands to do that).

mod common;

use utmforge_testkit::db as support;
use utmforge_testkit::http::{over_tcp as request, Reply};

use serde_json::json;
use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::TestDb;

const PASSWORD: &str = "correct horse battery staple";

struct Instance {
    child: Child,
    port: u16,
}

impl Instance {
    fn start(database: &str) -> Instance {
        Instance::start_with(database, &[])
    }

    fn start_with(database: &str, extra: &[&str]) -> Instance {
        Instance::start_env(database, extra, &[])
    }

    fn start_env(database: &str, extra: &[&str], env: &[(&str, &str)]) -> Instance {
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_utmforge"))
            .args([
                "serve",
                "--addr",
                &format!("127.0.0.1:{port}"),
                "--database-url",
                database,
                "--db-connect-timeout",
                "1s",
                "--site-root",
                &std::env::temp_dir().to_string_lossy(),
            ])
            .args(extra)
            .envs(env.iter().copied())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start utmforge serve");
        Instance { child, port }
    }

    /// Waits (up to 30 s) until `/readyz` answers 200.
    fn wait_ready(&self) {
        let started = Instant::now();
        loop {
            if let Ok(r) = request(self.port, "GET", "/readyz", &[], "") {
                if r.status == 200 {
                    return;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "instance on port {} never became ready",
                self.port
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn call(&self, method: &str, path: &str, auth: &Auth, body: &str) -> Reply {
        let origin = format!("http://127.0.0.1:{}", self.port);
        let mut headers = vec![
            ("Origin", origin.as_str()),
            ("Content-Type", "application/json"),
        ];
        let value;
        match auth {
            Auth::Token(t) => {
                value = format!("Bearer {t}");
                headers.push(("Authorization", &value));
            }
            Auth::Cookie(c) => headers.push(("Cookie", c)),
        }
        request(self.port, method, path, &headers, body)
            .unwrap_or_else(|e| panic!("{method} {path} on port {}: {e}", self.port))
    }

    /// A form posted to a server function (`path`), as the page's `Form` island does.
    fn form(&self, path: &str, auth: &Auth, body: &str) -> Reply {
        let origin = format!("http://127.0.0.1:{}", self.port);
        let Auth::Cookie(cookie) = auth else {
            panic!("server functions are for browsers")
        };
        request(
            self.port,
            "POST",
            path,
            &[
                ("Origin", &origin),
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Accept", "application/json"),
                ("Cookie", cookie),
            ],
            body,
        )
        .unwrap_or_else(|e| panic!("POST {path} on port {}: {e}", self.port))
    }

    /// The sign-in form's server function; the reply carries the session cookie on success.
    fn sign_in(&self, email: &str, password: &str) -> Reply {
        let origin = format!("http://127.0.0.1:{}", self.port);
        let body = format!(
            "email={}&password={}&next=%2F",
            email.replace('@', "%40"),
            password.replace(' ', "+")
        );
        request(
            self.port,
            "POST",
            "/api/account/sign-in",
            &[
                ("Origin", &origin),
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Accept", "application/json"),
            ],
            &body,
        )
        .expect("sign in")
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

enum Auth {
    Token(String),
    Cookie(String),
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn utmforge(args: &[&str], stdin: &str) -> String {
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
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "utmforge {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// An owner account (with the known password) and an editor's API token.
fn accounts(database: &str) -> String {
    utmforge(
        &[
            "user",
            "add",
            "--email",
            "owner@example.com",
            "--role",
            "owner",
            "--database-url",
            database,
        ],
        &format!("{PASSWORD}\n"),
    );
    utmforge(
        &[
            "token",
            "create",
            "--email",
            "owner@example.com",
            "--name",
            "instances test",
            "--role",
            "editor",
            "--database-url",
            database,
        ],
        "",
    )
}

fn campaign_body(name: &str) -> String {
    json!({
        "name": name,
        "buying_model": "cpc",
        "landing_url": "https://example.com/",
        "conversion": "lead_created",
        "status": "active",
    })
    .to_string()
}

/// Runs `test` with the URL of a new, empty PostgreSQL schema (skipped when none is configured).
fn with_postgres(name: &str, test: impl FnOnce(&str)) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    if let Some(db) = runtime.block_on(TestDb::postgres(name)) {
        test(db.url());
    }
}

/// Two instances started at once on `url`, ready, and an editor's API token.
fn two_instances(url: &str) -> (Instance, Instance, Auth) {
    // Both start at once on an empty database: the migrations run once, under the lock.
    let a = Instance::start(url);
    let b = Instance::start(url);
    a.wait_ready();
    b.wait_ready();
    (a, b, Auth::Token(accounts(url)))
}

#[test]
fn the_scheduled_link_check_is_done_by_one_instance_at_a_time() {
    with_postgres("schedule", |url| {
        let every = Duration::from_secs(3);
        let a = Instance::start_with(url, &["--link-check-every", "3s"]);
        let b = Instance::start_with(url, &["--link-check-every", "3s"]);
        a.wait_ready();
        b.wait_ready();
        let token = Auth::Token(accounts(url));
        let window = Instant::now();
        // An active campaign whose link leads to loopback: refused by the guard, so no test
        // traffic leaves the machine, and the link reads as broken.
        let body = json!({
            "name": "Live", "buying_model": "cpc", "landing_url": "http://127.0.0.1:1/",
            "conversion": "lead_created", "status": "active",
        });
        let created = a.call("POST", "/api/v1/campaigns", &token, &body.to_string());
        assert_eq!(created.status, 201, "{}", created.body);
        let id = created.json()["id"].as_str().unwrap().to_owned();
        let k = b.call(
            "POST",
            &format!("/api/v1/campaigns/{id}/creatives"),
            &token,
            r#"{"variant": "Headline A"}"#,
        );
        assert_eq!(k.status, 201, "{}", k.body);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let rounds = || -> Vec<i64> {
            runtime.block_on(async {
                let store = utmforge_store::Store::open(url).await.unwrap();
                let starts = utmforge_store::sqlx::query_scalar(
                    "SELECT started_at FROM link_check_runs WHERE started_by = 'scheduled check' ORDER BY started_at",
                )
                .fetch_all(store.pool())
                .await
                .unwrap();
                store.close().await;
                starts
            })
        };
        // At least 7.5 s (two rounds' worth and a half), and until a second round ran (at most
        // 30 s), so that the second round's check below always runs.
        std::thread::sleep(Duration::from_millis(7500));
        let mut starts = rounds();
        while starts.len() < 2 && window.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(250));
            starts = rounds();
        }
        let window = window.elapsed();
        // Rounds are at least `every` apart whichever instance does them: in the window, at
        // most window / every + 1 of them (two instances on their own would do twice that).
        let most = (window.as_millis() / every.as_millis()) as usize + 1;
        assert!(!starts.is_empty(), "a round ran");
        assert!(
            starts.len() <= most,
            "{} rounds in {window:?}: {starts:?}",
            starts.len()
        );

        // The campaign's page data shows the live link broken, and since when.
        let statuses = a.call("GET", &format!("/api/v1/campaigns/{id}/check"), &token, "");
        let statuses = statuses.json();
        assert_eq!(statuses[0]["report"]["verdict"], "broken", "{statuses}");
        assert_eq!(
            statuses[0]["report"]["findings"][0]["code"],
            "private-address"
        );
        // Broken since the first round's check, not the latest's.
        let since = statuses[0]["broken_since"].as_i64().unwrap();
        assert!(since >= starts[0] && since <= statuses[0]["checked_at"].as_i64().unwrap());
        let second = starts.get(1).expect("a second round ran within 30 s");
        assert!(since < *second, "broken_since kept the first broken check");
    });
}

/// Two instances connected to ChatGPT Ads (the strict double) sync its ads and pull their
/// results every 3 s: the rounds of each come at most once per 3 s whichever instance does them,
/// an ad edited in Ads Manager reads as drifted on both, and both show the pulled results.
#[test]
fn the_scheduled_ads_sync_is_done_by_one_instance_at_a_time() {
    with_postgres("ads_sync", |url| {
        const KEY: &str = "sk-ads-instances-test";
        let api = common::ads_api::AdsApi::start(KEY);
        let base = api.base();
        let env = [
            ("OPENAI_ADS_API_KEY", KEY),
            ("UTMFORGE_ADS_API_BASE", base.as_str()),
            ("UTMFORGE_ADS_API_ALLOW_PRIVATE", "true"),
        ];
        let flags = ["--ads-sync-every", "3s", "--ads-results-every", "3s"];
        let a = Instance::start_env(url, &flags, &env);
        let b = Instance::start_env(url, &flags, &env);
        a.wait_ready();
        b.wait_ready();
        let token = Auth::Token(accounts(url));
        let created = a.call(
            "POST",
            "/api/v1/campaigns",
            &token,
            &campaign_body("Synced"),
        );
        assert_eq!(created.status, 201, "{}", created.body);
        let id = created.json()["id"].as_str().unwrap().to_owned();
        let k = b.call(
            "POST",
            &format!("/api/v1/campaigns/{id}/creatives"),
            &token,
            r#"{"variant": "Hero"}"#,
        );
        assert_eq!(k.status, 201, "{}", k.body);
        let (creative, url_of_hero) = (
            k.json()["id"].as_str().unwrap().to_owned(),
            k.json()["url"].as_str().unwrap().to_owned(),
        );
        api.add_ad("ad_501", "Hero card", &url_of_hero);
        let linked = a.call(
            "PUT",
            &format!("/api/v1/campaigns/{id}/ads/link"),
            &token,
            r#"{"ads_campaign_id": "cmpn_1", "ad_group_id": "adgrp_1"}"#,
        );
        assert_eq!(linked.status, 200, "{}", linked.body);
        let pairs = json!({"links": [{"creative_id": creative, "ad_id": "ad_501"}]});
        let saved = b.call(
            "PUT",
            &format!("/api/v1/campaigns/{id}/ads"),
            &token,
            &pairs.to_string(),
        );
        assert_eq!(saved.status, 200, "{}", saved.body);
        // Somebody edits the ad in Ads Manager; OpenAI has yesterday's results.
        api.edit_in_ads_manager("ad_501", "https://shop.example.com/hand-typed");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let yesterday = utmforge_core::time::date((now - 86_400) * 1000);
        api.insight(
            "ad_501",
            now - 86_400,
            &yesterday,
            json!({"impressions": 900, "clicks": 12, "spend": 4.5}),
        );
        let window = Instant::now();
        let reads = || {
            api.state()
                .calls
                .iter()
                .filter(|(m, p, s)| m == "GET" && p.starts_with("/v1/ads/ad_501") && *s == 200)
                .count()
        };
        std::thread::sleep(Duration::from_millis(7500));
        let window = window.elapsed();
        let rounds = reads();
        let pulls = api
            .state()
            .calls
            .iter()
            .filter(|(m, p, s)| m == "GET" && p.contains("/insights") && *s == 200)
            .count();
        // Each round reads the one linked ad once; two instances on their own would read it
        // about twice as often.
        let most = (window.as_millis() / 3000) as usize + 1;
        assert!(rounds >= 1, "a round ran");
        assert!(rounds <= most, "{rounds} rounds in {window:?}");
        assert!((1..=most).contains(&pulls), "{pulls} pulls in {window:?}");
        for instance in [&a, &b] {
            let view = instance.call("GET", &format!("/api/v1/campaigns/{id}/ads"), &token, "");
            assert_eq!(view.json()["rows"][0]["sync"], "drifted", "{}", view.body);
            let results = instance.call(
                "GET",
                &format!("/api/v1/campaigns/{id}/ads/results?from={yesterday}&to={yesterday}"),
                &token,
                "",
            );
            assert_eq!(
                results.json()["totals"]["spend_micros"],
                4_500_000,
                "{}",
                results.body
            );
        }
        api.assert_no_violations();
    });
}

#[test]
fn two_instances_share_everything() {
    with_postgres("instances", share_everything);
}

fn share_everything(url: &str) {
    let (a, b, token) = two_instances(url);

    // Created on A, visible on B.
    let created = a.call(
        "POST",
        "/api/v1/campaigns",
        &token,
        &campaign_body("Shared Sale"),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let campaign = created.json();
    let id = campaign["id"].as_str().unwrap().to_string();
    let seen = b.call("GET", &format!("/api/v1/campaigns/{id}"), &token, "");
    assert_eq!(seen.status, 200, "{}", seen.body);
    assert_eq!(seen.json()["slug"], "shared-sale");

    // Signed in on A, the same cookie works on B.
    let cookie = session_cookie(&a.sign_in("owner@example.com", PASSWORD));
    let listed = b.call(
        "GET",
        "/api/v1/campaigns",
        &Auth::Cookie(cookie.clone()),
        "",
    );
    assert_eq!(listed.status, 200, "{}", listed.body);
    assert!(listed.body.contains("Shared Sale"));
    let page = b.call("GET", "/campaigns", &Auth::Cookie(cookie), "");
    assert_eq!(page.status, 200, "B renders the signed-in page");
    assert!(page.body.contains("Shared Sale"));

    // The same version sent to A and B at once: exactly one wins, the other is told why.
    let version = campaign["version"].as_i64().unwrap();
    let path = format!("/api/v1/campaigns/{id}");
    let body_a = json!({"version": version, "notes": "from A"}).to_string();
    let body_b = json!({"version": version, "notes": "from B"}).to_string();
    let (ra, rb) = std::thread::scope(|s| {
        let ta = s.spawn(|| a.call("PATCH", &path, &token, &body_a));
        let tb = s.spawn(|| b.call("PATCH", &path, &token, &body_b));
        (ta.join().unwrap(), tb.join().unwrap())
    });
    let mut statuses = [ra.status.as_u16(), rb.status.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "A: {} / B: {}", ra.body, rb.body);
    let loser = if ra.status == 409 { &ra } else { &rb };
    assert_eq!(loser.json()["error"]["code"], "stale");

    // Five failed sign-ins spread over A and B: both refuse the next with 429.
    for i in 0..5 {
        let instance = if i % 2 == 0 { &a } else { &b };
        let r = instance.sign_in("owner@example.com", "wrong password!!");
        assert_eq!(r.status, 401, "attempt {i}: {}", r.body);
    }
    for instance in [&a, &b] {
        let r = instance.sign_in("owner@example.com", PASSWORD);
        assert_eq!(r.status, 429, "{}", r.body);
        assert!(r.header("retry-after").is_some(), "{r:?}");
    }

    // An import on A while B serves reads: B never fails and ends up seeing every row.
    let mut sheet = String::from("content,term,url\n");
    for i in 0..400 {
        sheet.push_str(&format!("variant {i},crm tools,https://example.com/p{i}\n"));
    }
    let import_path = format!("/api/v1/campaigns/{id}/import");
    let creatives_path = format!("/api/v1/campaigns/{id}/creatives");
    let (imported, reads) = std::thread::scope(|s| {
        let importer = s.spawn(|| {
            let origin = format!("http://127.0.0.1:{}", a.port);
            let Auth::Token(t) = &token else {
                unreachable!()
            };
            let bearer = format!("Bearer {t}");
            request(
                a.port,
                "POST",
                &import_path,
                &[
                    ("Origin", &origin),
                    ("Content-Type", "text/csv"),
                    ("Authorization", &bearer),
                ],
                &sheet,
            )
            .unwrap()
        });
        let mut reads = Vec::new();
        while !importer.is_finished() || reads.is_empty() {
            let r = b.call("GET", &creatives_path, &token, "");
            reads.push((r.status.as_u16(), r.json().as_array().map_or(0, Vec::len)));
        }
        (importer.join().unwrap(), reads)
    });
    assert_eq!(imported.status, 200, "{}", imported.body);
    assert!(
        reads
            .iter()
            .all(|(status, n)| *status == 200 && (*n == 0 || *n == 400)),
        "B saw all rows or none, never part of the import: {reads:?}"
    );
    let after = b.call("GET", &creatives_path, &token, "");
    assert_eq!(after.json().as_array().unwrap().len(), 400);
}

/// An editor ("ed@example.com", with an API token) beside the owner of [`accounts`]: their id
/// and token.
fn editor(database: &str) -> (String, Auth) {
    let id = utmforge(
        &[
            "user",
            "add",
            "--email",
            "ed@example.com",
            "--role",
            "editor",
            "--database-url",
            database,
        ],
        &format!("{PASSWORD}\n"),
    );
    let token = utmforge(
        &[
            "token",
            "create",
            "--email",
            "ed@example.com",
            "--name",
            "ed",
            "--database-url",
            database,
        ],
        "",
    );
    (id, Auth::Token(token))
}

/// Each instance has answered both a few times (so both keep them in memory).
fn known_everywhere(instances: &[&Instance], who: &[&Auth]) {
    for instance in instances {
        for auth in who {
            for _ in 0..3 {
                let r = instance.call("GET", "/api/v1/campaigns", auth, "");
                assert_eq!(r.status, 200, "{}", r.body);
            }
        }
    }
}

#[test]
fn a_change_to_who_may_do_what_reaches_every_instance_before_its_next_answer() {
    with_postgres("auth_cache", |url| {
        let (a, b, _) = two_instances(url);
        let (ed_id, ed) = editor(url);
        let owner = Auth::Cookie(session_cookie(&a.sign_in("owner@example.com", PASSWORD)));
        known_everywhere(&[&a, &b], &[&ed, &owner]);
        // The People page's form posts here.
        let update = <app::functions::accounts::UpdatePerson as leptos::server_fn::ServerFn>::url();

        // Ed becomes a viewer on A: B refuses Ed's very next write.
        let r = a.form(update, &owner, &format!("id={ed_id}&role=viewer"));
        assert_eq!(r.status, 200, "{}", r.body);
        let write = b.call("POST", "/api/v1/campaigns", &ed, &campaign_body("By Ed"));
        assert_eq!(write.status, 403, "{}", write.body);

        // Ed is disabled on B: A refuses Ed's very next call.
        let r = b.form(update, &owner, &format!("id={ed_id}&disabled=true"));
        assert_eq!(r.status, 200, "{}", r.body);
        let read = a.call("GET", "/api/v1/campaigns", &ed, "");
        assert_eq!(read.status, 401, "{}", read.body);

        // The owner signs out on B: A refuses the session's very next call.
        let out = b.form("/api/account/sign-out", &owner, "");
        assert!(
            out.status.is_success() || out.status.is_redirection(),
            "{out:?}"
        );
        let read = a.call("GET", "/api/v1/campaigns", &owner, "");
        assert_eq!(read.status, 401, "{}", read.body);
    });
}

#[test]
fn on_sqlite_a_change_from_the_command_line_reaches_the_server_before_its_next_answer() {
    let db = TestDb::sqlite("auth_cache_cli");
    let url = db.url();
    let server = Instance::start(url);
    server.wait_ready();
    accounts(url);
    let (_, ed) = editor(url);
    let owner = Auth::Cookie(session_cookie(
        &server.sign_in("owner@example.com", PASSWORD),
    ));
    known_everywhere(&[&server], &[&ed, &owner]);
    let cli = |args: &[&str], stdin: &str| {
        let mut args = args.to_vec();
        args.extend(["--database-url", url]);
        utmforge(&args, stdin)
    };

    cli(
        &[
            "user",
            "set-role",
            "--email",
            "ed@example.com",
            "--role",
            "viewer",
        ],
        "",
    );
    let write = server.call("POST", "/api/v1/campaigns", &ed, &campaign_body("By Ed"));
    assert_eq!(write.status, 403, "{}", write.body);

    cli(&["user", "disable", "--email", "ed@example.com"], "");
    let read = server.call("GET", "/api/v1/campaigns", &ed, "");
    assert_eq!(read.status, 401, "{}", read.body);

    // A new password set from the command line ends the sessions from before it.
    cli(
        &["user", "set-password", "--email", "owner@example.com"],
        "another long passphrase here\n",
    );
    let read = server.call("GET", "/api/v1/campaigns", &owner, "");
    assert_eq!(read.status, 401, "{}", read.body);
}

#[test]
#[ignore = "stops and starts PostgreSQL: scripts/test.sh runs it alone"]
fn a_database_restart_loses_no_acknowledged_write_and_the_instances_recover() {
    with_postgres("restart", restart);
}

fn shell(variable: &str) {
    let command = std::env::var(variable)
        .unwrap_or_else(|_| panic!("{variable} is not set: run this test with scripts/test.sh"));
    let status = Command::new("sh").args(["-c", &command]).status().unwrap();
    assert!(status.success(), "{variable} ({command}) failed");
}

/// The `utmforge_session=…` cookie of a successful sign-in.
fn session_cookie(reply: &Reply) -> String {
    reply
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.split(';')
                .next()
                .filter(|c| c.starts_with("utmforge_session="))
        })
        .unwrap_or_else(|| panic!("no session cookie: {reply:?}"))
        .to_string()
}

fn restart(url: &str) {
    let (a, b, token) = two_instances(url);
    let cookie = Auth::Cookie(session_cookie(&a.sign_in("owner@example.com", PASSWORD)));
    let stop = std::sync::atomic::AtomicBool::new(false);
    // Two writers (one per instance) create campaigns until told to stop, and keep what was
    // acknowledged (201) and every other status they saw.
    let (acknowledged, others, outage) = std::thread::scope(|s| {
        let writers: Vec<_> = [&a, &b]
            .into_iter()
            .enumerate()
            .map(|(w, instance)| {
                let (stop, token) = (&stop, &token);
                s.spawn(move || {
                    let (mut ok, mut other) = (Vec::new(), Vec::new());
                    let mut i = 0;
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        i += 1;
                        let name = format!("Writer {w} campaign {i}");
                        let r = instance.call(
                            "POST",
                            "/api/v1/campaigns",
                            token,
                            &campaign_body(&name),
                        );
                        if r.status == 201 {
                            ok.push(r.json()["id"].as_str().unwrap().to_string());
                        } else {
                            other.push((r.status.as_u16(), r.body));
                            std::thread::sleep(Duration::from_millis(50));
                        }
                    }
                    (ok, other)
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(1500));
        shell("UTMFORGE_TEST_PG_STOP");
        // While the database is down: answers come, fast, as 503 with a JSON error.
        std::thread::sleep(Duration::from_millis(500));
        let during = a.call("GET", "/api/v1/campaigns", &token, "");
        let ready = b.call("GET", "/readyz", &token, "");
        let health = b.call("GET", "/healthz", &token, "");
        let page = b.call("GET", "/campaigns", &cookie, "");
        std::thread::sleep(Duration::from_millis(1000));
        shell("UTMFORGE_TEST_PG_START");
        a.wait_ready();
        b.wait_ready();
        std::thread::sleep(Duration::from_millis(1500));
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let mut acknowledged = Vec::new();
        let mut others = Vec::new();
        for w in writers {
            let (ok, other) = w.join().unwrap();
            acknowledged.extend(ok);
            others.extend(other);
        }
        (acknowledged, others, (during, ready, health, page))
    });
    let (during, ready, health, page) = outage;
    assert_eq!(page.status, 503, "a page during the outage: {}", page.body);
    assert!(page
        .header("content-type")
        .is_some_and(|t| t.starts_with("text/html")));
    assert!(
        page.body.contains("cannot reach its database"),
        "{}",
        page.body
    );
    assert_eq!(during.status, 503, "{}", during.body);
    assert_eq!(during.json()["error"]["code"], "database-unavailable");
    assert!(during.header("retry-after").is_some());
    assert_eq!(
        ready.status, 503,
        "/readyz during the outage: {}",
        ready.body
    );
    assert_eq!(health.status, 200, "/healthz is liveness only");
    assert!(
        others.iter().all(|(status, _)| *status == 503),
        "every refused write was a 503, none a 500: {others:?}"
    );
    assert!(!others.is_empty(), "the writers ran into the outage");
    // Every acknowledged write is there, read through both instances.
    for instance in [&a, &b] {
        // Every page of the list (200 at a time, following the cursors).
        let mut ids: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut path = "/api/v1/campaigns?limit=200".to_string();
        loop {
            let listed = instance.call("GET", &path, &token, "");
            assert_eq!(listed.status, 200, "{}", listed.body);
            let page = listed.json();
            ids.extend(
                page["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["id"].as_str().unwrap().to_string()),
            );
            match page["next_cursor"].as_str() {
                Some(c) => path = format!("/api/v1/campaigns?limit=200&cursor={c}"),
                None => break,
            }
        }
        let lost: Vec<_> = acknowledged
            .iter()
            .filter(|id| !ids.contains(*id))
            .collect();
        assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    }
    // And the instances write again without a restart.
    let after = a.call(
        "POST",
        "/api/v1/campaigns",
        &token,
        &campaign_body("After the restart"),
    );
    assert_eq!(after.status, 201, "{}", after.body);
}

/// `db copy` moves a SQLite installation to PostgreSQL: an instance on the copy serves the same
/// campaigns, creatives and activity, and the same API token and password work there.
#[test]
fn db_copy_moves_an_installation_from_sqlite_to_postgres() {
    with_postgres("copy", |postgres| {
        let dir = std::env::temp_dir().join(format!("utmforge-copy-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let sqlite = format!("sqlite://{}/u.db", dir.display());
        let (token, before, activity) = {
            let old = Instance::start(&sqlite);
            old.wait_ready();
            let token = Auth::Token(accounts(&sqlite));
            let c = old.call(
                "POST",
                "/api/v1/campaigns",
                &token,
                &campaign_body("Moved Sale"),
            );
            let id = c.json()["id"].as_str().unwrap().to_string();
            for variant in ["A", "B"] {
                let body = json!({"variant": variant, "topic": "crm tools"}).to_string();
                let r = old.call(
                    "POST",
                    &format!("/api/v1/campaigns/{id}/creatives"),
                    &token,
                    &body,
                );
                assert_eq!(r.status, 201, "{}", r.body);
            }
            let before = old.call(
                "GET",
                &format!("/api/v1/campaigns/{id}/creatives"),
                &token,
                "",
            );
            let activity = old.call("GET", "/api/v1/activity", &token, "").json();
            (token, before.json(), activity)
        };
        let copy = |extra: &[&str]| {
            let mut args = vec!["db", "copy", "--from", &sqlite, "--to", postgres];
            args.extend_from_slice(extra);
            Command::new(env!("CARGO_BIN_EXE_utmforge"))
                .args(&args)
                .output()
                .unwrap()
        };
        let out = copy(&[]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{text} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            text.contains("creatives             2 copied,         2 in the target"),
            "{text}"
        );
        assert!(
            !text.contains("secret") && text.contains(":***@"),
            "no password shown: {text}"
        );
        // Copying again is refused: the target holds data.
        let again = copy(&[]);
        assert_eq!(again.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
        assert!(copy(&["--force"]).status.success(), "--force replaces it");

        let new = Instance::start(postgres);
        new.wait_ready();
        let campaigns = new.call("GET", "/api/v1/campaigns", &token, "").json();
        let id = campaigns["items"][0]["id"].as_str().unwrap();
        let after = new.call(
            "GET",
            &format!("/api/v1/campaigns/{id}/creatives"),
            &token,
            "",
        );
        assert_eq!(after.json(), before, "the same creatives, ids and URLs");
        assert_eq!(
            new.call("GET", "/api/v1/activity", &token, "").json(),
            activity
        );
        assert_eq!(new.sign_in("owner@example.com", PASSWORD).status, 200);
        // New activity continues after the copied entries (the identity was moved on).
        let r = new.call(
            "POST",
            "/api/v1/campaigns",
            &token,
            &campaign_body("After the move"),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        let _ = std::fs::remove_dir_all(&dir);
    });
}
