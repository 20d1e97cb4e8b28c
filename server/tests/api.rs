//! The REST API under /api/v1, through the real router and a real SQLite file: every endpoint,
//! its errors and its limits.

use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
    Router,
};
use serde_json::{json, Value};

mod common;

struct Api {
    app: Router,
    dir: common::TempDir,
}

use utmforge_testkit::http::Reply;

async fn api(name: &str) -> Api {
    let dir = common::TempDir::new(&format!("api-{name}"));
    Api {
        app: common::app(&dir).await,
        dir,
    }
}

impl Api {
    async fn send(&self, method: Method, path: &str, body: impl Into<Body>) -> Reply {
        let request = Request::builder()
            .method(method)
            .uri(format!("/api/v1{path}"))
            .header(
                header::CONTENT_TYPE,
                if path.contains("/import") {
                    "text/csv; charset=utf-8"
                } else {
                    "application/json"
                },
            )
            .body(body.into())
            .unwrap();
        utmforge_testkit::http::send(&self.app, request).await
    }

    async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, Body::empty()).await
    }

    async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, body.to_string()).await
    }

    async fn put(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PUT, path, body.to_string()).await
    }

    async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, Body::empty()).await
    }

    async fn campaign(&self, name: &str) -> Value {
        let r = self
            .post(
                "/campaigns",
                json!({"name": name, "buying_model": "cpc", "landing_url": "https://example.com/spring",
                       "conversion": "lead_created", "topic": "CRM software"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.json()
    }
}

fn error_code(r: &Reply) -> String {
    serde_json::from_str::<Value>(&r.body)
        .ok()
        .and_then(|v| v["error"]["code"].as_str().map(String::from))
        .unwrap_or_default()
}

#[test]
fn campaigns_list_get_create_update_delete_with_versions() {
    common::run(async {
        let api = api("campaigns").await;
        assert_eq!(api.get("/campaigns").await.json(), json!({"items": []}));

        let c = api.campaign("Spring Sale 2025").await;
        assert_eq!(c["slug"], "spring-sale-2025");
        assert_eq!(c["topic"], "crm-software");
        assert_eq!(c["version"], 1);
        // One clock: the row is stamped with the server's (the tests' fixed day), and so is
        // the activity log's entry.
        assert_eq!(
            (&c["created_at"], &c["updated_at"]),
            (&json!(common::TODAY_MS), &json!(common::TODAY_MS))
        );
        let id = c["id"].as_str().unwrap();
        let log = api.get(&format!("/activity?campaign_id={id}")).await.json();
        assert_eq!(log[0]["at"], common::TODAY_MS, "{log}");

        let list = api.get("/campaigns").await.json()["items"].clone();
        assert_eq!(list[0]["id"], c["id"]);
        assert_eq!(list[0]["creative_count"], 0);
        assert_eq!(
            api.get("/campaigns?status=draft").await.json()["items"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            api.get("/campaigns?status=active").await.json(),
            json!({"items": []})
        );
        let r = api.get("/campaigns?status=live").await;
        assert_eq!(
            (r.status, error_code(&r)),
            (StatusCode::UNPROCESSABLE_ENTITY, "not-allowed".into())
        );

        assert_eq!(api.get(&format!("/campaigns/{id}")).await.json(), c);

        // PUT replaces the whole campaign: every writable field and the version read.
        let mut update = json!({"version": c["version"]});
        for field in [
            "name",
            "slug",
            "buying_model",
            "topic",
            "landing_url",
            "conversion",
            "status",
            "notes",
        ] {
            update[field] = if c[field].is_null() {
                json!("")
            } else {
                c[field].clone()
            };
        }
        update["name"] = json!("Spring Sale 2025 (EU)");
        update["status"] = json!("active");
        let r = api.put(&format!("/campaigns/{id}"), update.clone()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["version"], 2);
        assert_eq!(r.json()["status"], "active");

        // The same update again is based on version 1: refused, and version 2 stays.
        let r = api.put(&format!("/campaigns/{id}"), update).await;
        assert_eq!(
            (r.status, error_code(&r)),
            (StatusCode::CONFLICT, "stale".into())
        );
        assert_eq!(
            api.get(&format!("/campaigns/{id}")).await.json()["version"],
            2
        );

        // Duplicate slug.
        let r = api
        .post("/campaigns", json!({"name": "Spring Sale 2025", "buying_model": "cpm", "landing_url": "https://x.com", "conversion": "order_created"}))
        .await;
        assert_eq!(
            (r.status, error_code(&r)),
            (StatusCode::CONFLICT, "duplicate".into())
        );
        assert_eq!(r.json()["error"]["field"], "campaign");

        // Delete needs the current version.
        let r = api.delete(&format!("/campaigns/{id}")).await;
        assert_eq!(
            (r.status, r.json()["error"]["field"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!("version"))
        );
        let r = api.delete(&format!("/campaigns/{id}?version=1")).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        let r = api.delete(&format!("/campaigns/{id}?version=2")).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let r = api.get(&format!("/campaigns/{id}")).await;
        assert_eq!(
            (r.status, error_code(&r)),
            (StatusCode::NOT_FOUND, "not-found".into())
        );
    })
}

/// A client reads a campaign or a creative, edits a field and PUTs what it read: accepted as it
/// is (read-only members ignored, `null` meaning empty), with only the edited field changed.
#[test]
fn what_get_answers_put_takes_back() {
    common::run(async {
        let api = api("roundtrip").await;
        let created = api
            .post(
                "/campaigns",
                json!({"name": "Round Trip", "buying_model": "cpm", "landing_url": "https://example.com/rt",
                       "conversion": "lead_created"}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let id = created.json()["id"].as_str().unwrap().to_string();
        let mut read = api.get(&format!("/campaigns/{id}")).await.json();
        assert!(
            read["topic"].is_null(),
            "GET answers no topic as null: {read}"
        );
        read["notes"] = json!("edited after reading");
        let r = api.put(&format!("/campaigns/{id}"), read.clone()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let saved = r.json();
        assert_eq!(saved["notes"], "edited after reading");
        assert_eq!(
            (
                &saved["name"],
                &saved["slug"],
                &saved["topic"],
                &saved["id"]
            ),
            (&read["name"], &read["slug"], &Value::Null, &read["id"])
        );
        assert_eq!(saved["version"], read["version"].as_i64().unwrap() + 1);
        // A read-only member is ignored, not taken: the id stays the path's.
        let mut other = saved.clone();
        other["id"] = json!("somebody-else");
        other["created_at"] = json!(1);
        let r = api.put(&format!("/campaigns/{id}"), other).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["id"], id.as_str());
        assert_eq!(r.json()["created_at"], saved["created_at"]);

        let k = api
            .post(
                &format!("/campaigns/{id}/creatives"),
                json!({"variant": "Hero"}),
            )
            .await;
        assert_eq!(k.status, StatusCode::CREATED, "{}", k.body);
        let kid = k.json()["id"].as_str().unwrap().to_string();
        let mut read = api.get(&format!("/creatives/{kid}")).await.json();
        assert!(
            read["landing_url"].is_null() && read["topic"].is_null(),
            "{read}"
        );
        assert!(
            read["url"].is_string() && read["warnings"].is_array(),
            "{read}"
        );
        read["headline"] = json!("Plan faster");
        let r = api.put(&format!("/creatives/{kid}"), read.clone()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let saved = r.json();
        assert_eq!(saved["headline"], "Plan faster");
        assert_eq!(saved["url"], read["url"], "the link did not move");
        // Still strict about what is not in the representation.
        let mut extra = saved.clone();
        extra["colour"] = json!("red");
        let r = api.put(&format!("/creatives/{kid}"), extra).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(error_code(&r), "unknown-field");
    })
}

#[test]
fn invalid_and_malformed_bodies_name_the_problem_and_save_nothing() {
    common::run(async {
        let api = api("invalid").await;
        let r = api
        .post("/campaigns", json!({"name": "X", "buying_model": "cpc", "landing_url": "javascript:alert(1)", "conversion": "order_created"}))
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"]["code"], "scheme-not-allowed");
        assert_eq!(r.json()["error"]["field"], "url");

        let r = api.post("/campaigns", json!({})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<Value> = r.json()["error"]["all"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["field"].clone())
            .collect();
        assert!(
            fields.contains(&json!("name")) && fields.contains(&json!("url")),
            "{fields:?}"
        );

        let r = api.send(Method::POST, "/campaigns", "{\"name\": ").await;
        assert_eq!(
            (r.status, error_code(&r)),
            (StatusCode::BAD_REQUEST, "malformed-json".into())
        );
        assert!(r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("line 1"));

        let r = api.post("/campaigns", json!({"name": 42})).await;
        assert_eq!(
            (r.status, error_code(&r)),
            (StatusCode::UNPROCESSABLE_ENTITY, "not-allowed".into())
        );
        assert_eq!(r.json()["error"]["field"], "name", "{}", r.body);

        // A wrong type and missing members: one answer names them all, the wrong type first.
        let r = api
            .post(
                "/campaigns",
                json!({"name": 42, "landing_url": "https://example.com/"}),
            )
            .await;
        let all: Vec<(Value, Value)> = r.json()["error"]["all"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| (n["code"].clone(), n["field"].clone()))
            .collect();
        assert_eq!(
            all,
            [
                (json!("not-allowed"), json!("name")),
                (json!("required"), json!("medium")),
                (json!("required"), json!("conversion")),
            ],
            "{}",
            r.body
        );

        // A body of 50,000 unknown members: a bounded answer (ten named, the rest counted).
        let flood: serde_json::Map<String, Value> = (0..50_000)
            .map(|i| (format!("extra{i}"), json!(1)))
            .collect();
        let r = api.post("/campaigns", Value::Object(flood)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.len() < 8_000, "{} bytes", r.body.len());
        let all = r.json()["error"]["all"].as_array().unwrap().clone();
        assert_eq!(
            all.len(),
            11 + 4,
            "ten named, a count, four required: {}",
            r.body
        );
        assert!(
            r.body.contains("and 49990 more unknown fields"),
            "{}",
            r.body
        );

        let r = api.put("/campaigns/whatever", json!({"name": "x"})).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "no version: {}",
            r.body
        );

        assert_eq!(api.get("/campaigns").await.json(), json!({"items": []}));
    })
}

#[test]
fn bodies_over_the_limit_get_413() {
    common::run(async {
        let api = api("limits").await;
        let big = format!("{{\"urls\": [\"{}\"]}}", "a".repeat(1 << 20));
        let r = api.send(Method::POST, "/lint", big).await;
        assert_eq!(
            (r.status, error_code(&r)),
            (StatusCode::PAYLOAD_TOO_LARGE, "body-too-large".into())
        );

        let just_under = json!({"urls": ["x".repeat((1 << 20) - 100)]});
        assert_eq!(api.post("/lint", just_under).await.status, StatusCode::OK);

        let many: Vec<String> = (0..10_001).map(|i| format!("https://e.com/{i}")).collect();
        let r = api.post("/lint", json!({ "urls": many })).await;
        assert_eq!(
            (r.status, error_code(&r)),
            (StatusCode::UNPROCESSABLE_ENTITY, "too-many".into())
        );
    })
}

#[test]
fn creatives_carry_their_url_and_follow_the_same_rules() {
    common::run(async {
        let api = api("creatives").await;
        let c = api.campaign("Spring Sale 2025").await;
        let cid = c["id"].as_str().unwrap();

        let r = api
            .post(
                &format!("/campaigns/{cid}/creatives"),
                json!({"variant": "Headline V2", "landing_url": "https://example.com/p?ref=x#top"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let k = r.json();
        assert_eq!(k["content"], "headline-v2");
        assert_eq!(
        k["url"],
        "https://example.com/p?ref=x&utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale-2025&utm_content=headline-v2&utm_term=crm-software#top"
    );
        let kid = k["id"].as_str().unwrap();

        let r = api
            .post(
                &format!("/campaigns/{cid}/creatives"),
                json!({"variant": "headline v2"}),
            )
            .await;
        assert_eq!(
            (r.status, error_code(&r)),
            (StatusCode::CONFLICT, "duplicate".into())
        );
        let r = api
            .post(
                &format!("/campaigns/{cid}/creatives"),
                json!({"variant": "!!!"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"]["field"], "content");
        let r = api
            .post("/campaigns/nope/creatives", json!({"variant": "a"}))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        let list = api.get(&format!("/campaigns/{cid}/creatives")).await.json();
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(
            api.get(&format!("/creatives/{kid}")).await.json()["url"],
            k["url"]
        );

        let r = api
        .put(
            &format!("/creatives/{kid}"),
            json!({"version": 1, "variant": "Headline V3", "topic": "Budget apps", "landing_url": "", "headline": "", "description": "", "notes": ""}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.json()["url"]
            .as_str()
            .unwrap()
            .ends_with("utm_content=headline-v3&utm_term=budget-apps"));
        let r = api
        .put(
            &format!("/creatives/{kid}"),
            json!({"version": 1, "variant": "Stale", "topic": "", "landing_url": "", "headline": "", "description": "", "notes": ""}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);

        assert_eq!(
            api.delete(&format!("/creatives/{kid}?version=1"))
                .await
                .status,
            StatusCode::CONFLICT
        );
        assert_eq!(
            api.delete(&format!("/creatives/{kid}?version=2"))
                .await
                .status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            api.get(&format!("/creatives/{kid}")).await.status,
            StatusCode::NOT_FOUND
        );
    })
}

#[test]
fn tag_and_lint_answer_as_the_command_line_does() {
    common::run(async {
        let api = api("tag").await;
        let r = api
        .post("/tag", json!({"url": "example.com/pricing", "campaign": "Spring Sale", "medium": "CPM", "content": "headline-v2"}))
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let expected = utmforge_core::tag(&utmforge_core::TagRequest {
            url: "example.com/pricing".into(),
            campaign: "Spring Sale".into(),
            medium: utmforge_core::BuyingModel::Cpm,
            content: Some("headline-v2".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(r.json(), serde_json::to_value(&expected).unwrap());

        let r = api
            .post(
                "/tag",
                json!({"url": "https://x.com", "campaign": "a", "medium": "email"}),
            )
            .await;
        assert_eq!(
            (r.status, error_code(&r)),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid-medium".into())
        );
        let r = api
            .post(
                "/tag",
                json!({"url": "ftp://x.com", "campaign": "a", "medium": "cpc"}),
            )
            .await;
        assert_eq!(r.json()["error"]["field"], "url");
        let r = api.post("/tag", json!({"campaign": "a"})).await;
        assert_eq!(
            (r.status, error_code(&r)),
            (StatusCode::UNPROCESSABLE_ENTITY, "required".into())
        );

        let r = api
        .post("/lint", json!({"urls": ["http://example.com/?utm_source=ChatGPT&utm_medium=cpc", "https://example.com/?utm_source=chatgpt&utm_medium=cpc&utm_campaign=x&utm_content=y&utm_term=z"]}))
        .await;
        let reports = r.json();
        assert_eq!(reports[0]["findings"][0]["code"], "source-not-canonical");
        assert!(reports[0]["fixed_url"]
            .as_str()
            .unwrap()
            .starts_with("https://example.com/?utm_source=chatgpt"));
        assert_eq!(reports[1]["findings"], json!([]));
    })
}

#[test]
fn ga4_documents_and_exports() {
    common::run(async {
        let api = api("ga4").await;
        let group = api.get("/ga4/channel-group").await.json();
        assert_eq!(group["groupingRule"][0]["displayName"], "ChatGPT Ads");

        let c = api.campaign("Spring Sale 2025").await;
        let cid = c["id"].as_str().unwrap();
        let funnel = api
            .get(&format!("/campaigns/{cid}/ga4/funnel"))
            .await
            .json();
        assert_eq!(
            funnel["funnel"]["steps"][3]["filterExpression"]["funnelEventFilter"]["eventName"],
            "generate_lead"
        );
        let report = api
            .get(&format!("/campaigns/{cid}/ga4/report"))
            .await
            .json();
        assert!(report.to_string().contains("\"spring-sale-2025\""));
        assert_eq!(
            api.get("/campaigns/nope/ga4/funnel").await.status,
            StatusCode::NOT_FOUND
        );

        for variant in ["=HYPERLINK(\"http://evil\")", "-50% off", "Plain"] {
            let r = api
                .post(
                    &format!("/campaigns/{cid}/creatives"),
                    json!({"variant": variant, "headline": "@SUM(A1)"}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
        let r = api.get(&format!("/campaigns/{cid}/export.csv")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
        let disposition = r.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
        // The server's clock is the test's: the file is named after 2026-11-26.
        let today = "2026-11-26";
        assert_eq!(
            disposition,
            format!("attachment; filename=\"spring-sale-2025-creatives-{today}.csv\"")
        );
        let mut reader = csv::Reader::from_reader(r.body.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header, utmforge_core::export::EXPORT_COLUMNS);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3);
        let variants: Vec<&str> = rows.iter().map(|r| &r[5]).collect();
        assert!(
            variants.contains(&"'=HYPERLINK(\"http://evil\")")
                && variants.contains(&"'-50% off")
                && variants.contains(&"Plain"),
            "{variants:?}"
        );
        assert!(rows.iter().all(|r| &r[12] == "'@SUM(A1)"));
        assert!(rows
            .iter()
            .all(|r| r[9].starts_with("https://example.com/spring?utm_source=chatgpt")));

        api.campaign("Autumn").await;
        let r = api.get("/export.csv").await;
        assert!(r.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains(&format!("utmforge-campaigns-{today}.csv")));
        assert_eq!(
            csv::Reader::from_reader(r.body.as_bytes())
                .records()
                .count(),
            3
        );
    })
}

#[test]
fn the_openapi_document_lists_every_endpoint() {
    common::run(async {
        let api = api("openapi").await;
        let doc = api.get("/openapi.json").await.json();
        assert_eq!(doc["openapi"], "3.1.0");
        let mut operations: Vec<(String, String)> = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                operations.push((method.to_uppercase(), path.clone()));
                // A path with {id} declares it.
                if path.contains("{id}") {
                    let declared = op["parameters"].as_array().is_some_and(|ps| {
                        ps.iter().any(|p| {
                            p["name"] == "id" && p["in"] == "path" && p["required"] == true
                        })
                    });
                    assert!(declared, "{method} {path} does not declare its id");
                }
            }
        }
        operations.sort();
        let mut expected: Vec<(String, String)> = [
            ("GET", "/campaigns"),
            ("POST", "/campaigns"),
            ("GET", "/campaigns/{id}"),
            ("PUT", "/campaigns/{id}"),
            ("PATCH", "/campaigns/{id}"),
            ("DELETE", "/campaigns/{id}"),
            ("GET", "/campaigns/{id}/creatives"),
            ("POST", "/campaigns/{id}/creatives"),
            ("POST", "/campaigns/{id}/import"),
            ("GET", "/creatives/{id}"),
            ("PUT", "/creatives/{id}"),
            ("PATCH", "/creatives/{id}"),
            ("DELETE", "/creatives/{id}"),
            ("POST", "/tag"),
            ("POST", "/lint"),
            ("GET", "/ga4/channel-group"),
            ("GET", "/campaigns/{id}/ga4/funnel"),
            ("GET", "/campaigns/{id}/ga4/report"),
            ("GET", "/campaigns/{id}/export.csv"),
            ("GET", "/export.csv"),
            ("GET", "/activity"),
            ("POST", "/check"),
            ("POST", "/campaigns/{id}/check"),
            ("GET", "/campaigns/{id}/check"),
            ("GET", "/checks/{id}"),
            ("GET", "/tracking"),
            ("POST", "/capi/validate"),
            ("GET", "/settings"),
            ("PUT", "/settings"),
            ("GET", "/creatives/{id}/history"),
            ("GET", "/link-history"),
            ("GET", "/link-history.csv"),
            ("POST", "/campaigns/{id}/clone"),
            ("POST", "/campaigns/{id}/creatives/bulk"),
            ("GET", "/trash"),
            ("GET", "/ads/connection"),
            ("GET", "/ads/campaigns"),
            ("GET", "/ads/campaigns/{id}/ad-groups"),
            ("GET", "/campaigns/{id}/ads"),
            ("PUT", "/campaigns/{id}/ads"),
            ("PUT", "/campaigns/{id}/ads/link"),
            ("POST", "/campaigns/{id}/ads/sync"),
            ("POST", "/campaigns/{id}/ads/publish"),
            ("POST", "/campaigns/{id}/ads/create"),
            ("GET", "/campaigns/{id}/ads/results"),
            ("POST", "/campaigns/{id}/ads/results/pull"),
            ("GET", "/campaigns/{id}/ads/results.csv"),
            ("GET", "/ga4/cost-data.csv"),
            ("POST", "/trash/{id}/restore"),
        ]
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
        expected.sort();
        assert_eq!(operations, expected);
        // Every documented operation is routed (answers something other than "no such
        // endpoint"), and an undocumented path is not.
        for (method, path) in &operations {
            let path = path.replace("{id}", "nope");
            let r = api
                .send(method.parse().unwrap(), &path, Body::from("{}"))
                .await;
            assert_ne!(
                error_code(&r),
                "no-such-endpoint",
                "{method} {path} is documented but not routed"
            );
        }
        assert!(doc["components"]["schemas"]["Campaign"].is_object());
        // Scripts authenticate with a bearer token, and the document says so.
        assert_eq!(
            doc["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
        assert_eq!(doc["security"][0]["bearer"], json!([]));
        let r = api.get("/nothing-here").await;
        assert_eq!(
            (r.status, error_code(&r)),
            (StatusCode::NOT_FOUND, "no-such-endpoint".into())
        );
    })
}

#[test]
fn import_previews_then_saves_valid_rows_and_reimporting_updates() {
    common::run(async {
        let api = api("import").await;
        let c = api.campaign("Spring Sale 2025").await;
        let cid = c["id"].as_str().unwrap();
        let sheet = "content,term,url,owner\nHeadline A,,,ana\nHeadline B,Budget apps,https://example.com/b,bo\nBad,,ftp://x.com,cy\n";

        let r = api
            .send(
                Method::POST,
                &format!("/campaigns/{cid}/import?dry_run=true"),
                sheet,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let plan = r.json();
        assert_eq!(
            (plan["create"].clone(), plan["invalid"].clone()),
            (json!(2), json!(1))
        );
        assert_eq!(plan["ignored_columns"], json!(["owner"]));
        assert_eq!(plan["rows"][2]["errors"][0]["code"], "scheme-not-allowed");
        assert_eq!(
            api.get(&format!("/campaigns/{cid}/creatives")).await.json(),
            json!([]),
            "a dry run saves nothing"
        );

        let r = api
            .send(Method::POST, &format!("/campaigns/{cid}/import"), sheet)
            .await;
        assert_eq!(r.json()["dry_run"], false);
        let saved = api.get(&format!("/campaigns/{cid}/creatives")).await.json();
        let contents: Vec<&str> = saved
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["content"].as_str().unwrap())
            .collect();
        assert_eq!(
            contents.len(),
            2,
            "the invalid row is never saved: {contents:?}"
        );

        // The same sheet again creates nothing; a changed row is an update.
        let again = sheet.replace("Budget apps", "CRM software");
        let plan = api
            .send(Method::POST, &format!("/campaigns/{cid}/import"), again)
            .await
            .json();
        assert_eq!(
            (
                plan["create"].clone(),
                plan["update"].clone(),
                plan["unchanged"].clone()
            ),
            (json!(0), json!(1), json!(1))
        );
        assert_eq!(
            api.get(&format!("/campaigns/{cid}/creatives"))
                .await
                .json()
                .as_array()
                .unwrap()
                .len(),
            2
        );

        let r = api
            .send(
                Method::POST,
                &format!("/campaigns/{cid}/import"),
                "link\nx\n",
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no content"));

        // CSV bodies may be up to 10 MiB (over the JSON limit), not more.
        let big_ok = format!("content,notes\nBig,{}\n", "n".repeat(2 << 20));
        let r = api
            .send(
                Method::POST,
                &format!("/campaigns/{cid}/import?dry_run=true"),
                big_ok,
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{}",
            &r.body[..200.min(r.body.len())]
        );
        let too_big = format!("content,notes\nBig,{}\n", "n".repeat(10 << 20));
        let r = api
            .send(Method::POST, &format!("/campaigns/{cid}/import"), too_big)
            .await;
        assert_eq!(
            (r.status, error_code(&r)),
            (StatusCode::PAYLOAD_TOO_LARGE, "body-too-large".into())
        );
    })
}

/// PUT replaces with a complete body, PATCH changes what it names, unknown members and
/// unreadable query parameters are refused by name, and a delete based on an old read is a
/// conflict.
#[test]
fn no_silent_overwrites_through_the_api() {
    common::run(async {
        let api = api("overwrites").await;
        let c = api.campaign("Spring Sale 2025").await;
        let id = c["id"].as_str().unwrap();

        // PUT without every field: 422 naming each missing one; nothing changes.
        let r = api
            .put(
                &format!("/campaigns/{id}"),
                json!({"version": 1, "name": "Renamed"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let missing: Vec<String> = r.json()["error"]["all"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["message"].as_str().unwrap().to_string())
            .collect();
        for field in [
            "slug",
            "buying_model",
            "topic",
            "landing_url",
            "conversion",
            "status",
            "notes",
        ] {
            assert!(
                missing.contains(&format!("{field} is required")),
                "{field}: {missing:?}"
            );
        }
        assert_eq!(
            api.get(&format!("/campaigns/{id}")).await.json()["name"],
            "Spring Sale 2025"
        );

        // An unknown member: 422 unknown-field, whatever else is right.
        let r = api
            .send(
                Method::PATCH,
                &format!("/campaigns/{id}"),
                json!({"version": 1, "stauts": "active"}).to_string(),
            )
            .await;
        assert_eq!(
            (r.status, error_code(&r)),
            (StatusCode::UNPROCESSABLE_ENTITY, "unknown-field".into())
        );
        assert!(r.body.contains("stauts"), "{}", r.body);

        // PATCH changes only what it names.
        let r = api
            .send(
                Method::PATCH,
                &format!("/campaigns/{id}"),
                json!({"version": 1, "status": "active"}).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let patched = r.json();
        assert_eq!(
            (patched["status"].as_str(), patched["name"].as_str()),
            (Some("active"), Some("Spring Sale 2025"))
        );
        assert_eq!(patched["landing_url"], c["landing_url"]);

        // A creative added after the read moves the campaign's version: the delete confirmed
        // against version 2 is refused and deletes nothing.
        let r = api
            .post(
                &format!("/campaigns/{id}/creatives"),
                json!({"variant": "Headline A"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = api
            .send(
                Method::DELETE,
                &format!("/campaigns/{id}?version=2"),
                Body::empty(),
            )
            .await;
        assert_eq!(
            (r.status, error_code(&r)),
            (StatusCode::CONFLICT, "stale".into())
        );
        assert_eq!(
            api.get(&format!("/campaigns/{id}/creatives"))
                .await
                .json()
                .as_array()
                .unwrap()
                .len(),
            1
        );

        // Query strings that cannot be read: the JSON error, naming the parameter.
        for path in [
            format!("/campaigns/{id}/import?dry_run=maybe"),
            format!("/campaigns/{id}?version=abc"),
        ] {
            let method = if path.contains("import") {
                Method::POST
            } else {
                Method::DELETE
            };
            let r = api.send(method, &path, "content\nA\n").await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path}: {}",
                r.body
            );
            let message = r.json()["error"]["message"].as_str().unwrap().to_string();
            assert!(
                message.contains("dry_run") || message.contains("version"),
                "{path}: {message}"
            );
        }
        let r = api.get("/campaigns?status=bogus").await;
        assert_eq!(
            (r.status, r.json()["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("status"))
        );
    })
}

#[test]
fn the_tracking_kit_and_capi_validation() {
    common::run(async {
        let api = api("measure").await;
        api.campaign("Spring Sale 2025").await;
        let r = api
            .get("/tracking?pixel_id=4Ab2xYz9Qw&measurement_id=g-abc123&currency=eur&debug=true&consent=true")
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let kit = r.json();
        assert_eq!(kit["settings"]["debug"], true);
        assert_eq!(kit["conversions"][0]["data_type"], "customer_action");
        assert_eq!(kit["csp"][0]["source"], "https://bzrcdn.openai.com");
        assert!(kit["consent_grant"]["code"]
            .as_str()
            .unwrap()
            .contains(r#"oaiq("consent", true);"#));
        assert_eq!(kit["settings"]["measurement_id"], "G-ABC123");
        assert_eq!(kit["conversions"][0]["event"], "lead_created");
        assert_eq!(kit["conversions"][0]["ga4_event"], "generate_lead");
        assert_eq!(
            kit["conversions"][0]["campaigns"],
            json!(["Spring Sale 2025"])
        );
        let base = kit["platforms"][0]["snippets"][0]["code"].as_str().unwrap();
        assert!(base.contains(r#"oaiq("consent", false);"#), "{base}");
        assert!(
            base.contains(r#"oaiq("init", { pixelId: "4Ab2xYz9Qw", debug: true });"#),
            "{base}"
        );
        assert!(
            kit["platforms"][0]["snippets"][0]["code_with_nonce"]
                .as_str()
                .unwrap()
                .contains(r#"<script nonce="{{CSP_NONCE}}">"#),
            "{}",
            kit["platforms"][0]["snippets"][0]["code_with_nonce"]
        );

        // Every bad setting is named; a pixel id cannot carry script.
        let r = api
            .get("/tracking?pixel_id=px%22%3C/script%3E&currency=dollars")
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let e = r.json();
        assert_eq!(e["error"]["code"], "invalid-pixel-id");
        assert_eq!(e["error"]["field"], "pixel-id");
        assert_eq!(e["error"]["all"][1]["field"], "currency");
        let r = api.get("/tracking").await;
        assert_eq!(
            (r.status, error_code(&r).as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "required")
        );

        // Validation against the server's clock (2026-11-26T00:00Z); nothing is sent.
        let now = common::TODAY_MS;
        let r = api
            .post(
                "/capi/validate",
                json!({"events": [
                    {"id": "order_created_u1_1", "type": "order_created", "timestamp_ms": now - 3_600_000,
                     "data": {"type": "contents", "amount": 4990, "currency": "USD"},
                     "action_source": "web", "source_url": "https://shop.example.com/thanks"},
                    {"id": "order_created_u1_1", "type": "order_created", "timestamp_ms": now - 3_600_000,
                     "action_source": "phone_call", "data": {"type": "contents"}},
                    {"id": "x", "type": "purchase", "timestamp_ms": now - 8 * 86_400_000_i64,
                     "action_source": "web", "data": {"value": 49.9}},
                ]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json();
        assert_eq!(
            (
                v["valid"].as_u64(),
                v["rejected"].as_u64(),
                v["batches"].as_u64()
            ),
            (Some(1), Some(2), Some(1))
        );
        assert_eq!(v["events"][0]["id"], "order_created_u1_1");
        assert_eq!(v["events"][1]["problems"][0]["code"], "duplicate-id");
        let codes: Vec<&str> = v["events"][2]["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            [
                "unknown-type",
                "stale-timestamp",
                "missing-source-url",
                "required"
            ]
        );

        let many: Vec<Value> = (0..1001).map(|i| json!({"id": i.to_string()})).collect();
        let r = api.post("/capi/validate", json!({"events": many})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            (error_code(&r).as_str(), r.json()["error"]["field"].as_str()),
            ("too-many", Some("events"))
        );
        let r = api
            .post("/capi/validate", json!({"events": [], "send": true}))
            .await;
        assert_eq!(
            (r.status, error_code(&r).as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "unknown-field")
        );
        let r = api
            .post(
                "/capi/validate",
                json!({"events": [{"id": "x"}, "not an event"]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("event 1 is not a JSON object"));
        let r = api.post("/capi/validate", json!([{"id": "x"}])).await;
        assert!(r.status.is_client_error(), "{}", r.body);
    })
}

#[test]
fn team_rules_are_set_once_and_every_door_applies_them() {
    common::run(async {
        let api = api("rules").await;
        let r = api.get("/settings").await.json();
        assert_eq!(r["version"], 0);
        assert_eq!(r["rules"]["approved_domains"], json!([]));

        let rules = json!({
            "approved_domains": ["Example.com", "*.example.com", "bücher.example"],
            "domain_mode": "refuse",
            "topics": [{"topic": "CRM tools", "aliases": ["CRM software", "crm tools"]}, {"topic": "Project management"}],
            "topic_mode": "refuse"
        });
        let r = api
            .put("/settings", json!({"version": 0, "rules": rules}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let saved = r.json();
        assert_eq!(saved["version"], 1);
        assert_eq!(
            saved["rules"]["approved_domains"],
            json!(["example.com", "*.example.com", "xn--bcher-kva.example"])
        );
        assert_eq!(
            saved["rules"]["topics"][0],
            json!({"topic": "crm-tools", "aliases": ["crm-software"]})
        );
        // A save based on what was read before: refused, nothing changes.
        let r = api
            .put("/settings", json!({"version": 0, "rules": {}}))
            .await;
        assert_eq!(
            (r.status, error_code(&r).as_str()),
            (StatusCode::CONFLICT, "stale")
        );
        let r = api
            .put("/settings", json!({"version": 1, "rules": {"approved_domains": ["https://x.test/"], "domain_mode": "accept", "topic_mode": "sometimes"}}))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let r = api
            .put("/settings", json!({"version": 1, "rules": {"approved_domains": ["https://x.test/"], "domain_mode": "accept"}}))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let e = r.json();
        let fields: Vec<&str> = e["error"]["all"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["domains", "domain-mode"]);
        assert_eq!(api.get("/settings").await.json()["version"], 1);

        // Campaigns: a foreign domain is refused naming the list; an alias becomes its topic.
        let r = api
            .post("/campaigns", json!({"name": "Foreign", "buying_model": "cpc", "landing_url": "https://evil.test/", "conversion": "lead_created"}))
            .await;
        assert_eq!(
            (r.status, error_code(&r).as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "domain-not-approved")
        );
        assert!(r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("(example.com, *.example.com, xn--bcher-kva.example)"));
        let c = api
            .post("/campaigns", json!({"name": "Spring", "buying_model": "cpc", "landing_url": "https://www.example.com/spring", "conversion": "lead_created", "topic": "CRM Software"}))
            .await;
        assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
        let c = c.json();
        assert_eq!(c["topic"], "crm-tools");
        let cid = c["id"].as_str().unwrap();

        // Creatives: an unknown topic is refused; import applies the same rules row by row.
        let r = api
            .post(
                &format!("/campaigns/{cid}/creatives"),
                json!({"variant": "A", "topic": "email marketing"}),
            )
            .await;
        assert_eq!(
            (r.status, error_code(&r).as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "unknown-topic")
        );
        let r = api
            .send(
                Method::POST,
                &format!("/campaigns/{cid}/import?dry_run=true"),
                "content,term,url\nA,crm tools,\nB,,https://evil.test/x\nC,email,\n",
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let rows = r.json()["rows"].clone();
        let codes: Vec<String> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|row| {
                row["errors"]
                    .as_array()
                    .map(|e| {
                        e.iter()
                            .map(|n| n["code"].as_str().unwrap().to_string())
                            .collect::<Vec<_>>()
                            .join(",")
                    })
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(
            codes,
            ["", "domain-not-approved", "unknown-topic"],
            "{rows:#}"
        );

        // The change is in the activity log, with before → after.
        let log = api.get("/activity").await.json();
        let entries = log
            .as_array()
            .or_else(|| log["entries"].as_array())
            .expect("a list of entries");
        let entry = entries
            .iter()
            .find(|e| e["action"] == "settings-changed")
            .expect("logged");
        let changes = &entry["changes"];
        assert_eq!(changes[0]["field"], "approved domains", "{entry:#}");
        assert_eq!(changes[0]["before"], "");
        assert_eq!(
            changes[0]["after"],
            "example.com, *.example.com, xn--bcher-kva.example"
        );
    })
}

#[test]
fn a_live_link_changes_only_when_confirmed() {
    common::run(async {
        let api = api("live").await;
        let c = api
            .post("/campaigns", json!({"name": "Live Sale", "buying_model": "cpc", "landing_url": "https://example.com/live", "conversion": "lead_created", "status": "active"}))
            .await
            .json();
        let cid = c["id"].as_str().unwrap().to_string();
        let k = api
            .post(
                &format!("/campaigns/{cid}/creatives"),
                json!({"variant": "Hero"}),
            )
            .await
            .json();
        let kid = k["id"].as_str().unwrap().to_string();
        let old_url = k["url"].as_str().unwrap().to_string();

        // An import that moves a live URL: the dry run counts it, the import needs the query's
        // confirmation; a sheet that keeps the URLs needs none.
        let sheet = "content,url\nHero,https://example.com/other\n";
        let plan = api
            .send(
                Method::POST,
                &format!("/campaigns/{cid}/import?dry_run=true"),
                sheet,
            )
            .await
            .json();
        assert_eq!(plan["live_changes"], 1);
        let token = plan["token"].as_str().unwrap().to_string();
        let r = api
            .send(
                Method::POST,
                &format!("/campaigns/{cid}/import?token={token}"),
                sheet,
            )
            .await;
        assert_eq!(
            (r.status, error_code(&r).as_str()),
            (StatusCode::CONFLICT, "live-link-change"),
            "{}",
            r.body
        );
        let same = "content,headline\nHero,Same URL\n";
        let plan = api
            .send(
                Method::POST,
                &format!("/campaigns/{cid}/import?dry_run=true"),
                same,
            )
            .await
            .json();
        assert_eq!(plan["live_changes"], 0);

        // A change that keeps every URL needs no confirmation.
        let r = api
            .send(
                Method::PATCH,
                &format!("/creatives/{kid}"),
                json!({"version": 1, "headline": "New headline"}).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // A new variant name changes utm_content: 409, the URLs listed, nothing saved.
        let r = api
            .send(
                Method::PATCH,
                &format!("/creatives/{kid}"),
                json!({"version": 2, "variant": "Hero B"}).to_string(),
            )
            .await;
        assert_eq!(
            (r.status, error_code(&r).as_str()),
            (StatusCode::CONFLICT, "live-link-change"),
            "{}",
            r.body
        );
        let e = r.json();
        assert_eq!(e["error"]["field"], "confirm-live-change");
        assert!(e["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Live Sale is active: this change alters 1 live link that ads carry"));
        let listed = e["error"]["all"][1]["message"].as_str().unwrap();
        assert_eq!(
            listed,
            format!(
                "Hero: {old_url} → {}",
                old_url.replace("utm_content=hero", "utm_content=hero-b")
            )
        );
        assert_eq!(
            api.get(&format!("/creatives/{kid}")).await.json()["url"],
            old_url.as_str()
        );

        // Confirmed: saved, and the log has old and new URL.
        let r = api
            .send(
                Method::PATCH,
                &format!("/creatives/{kid}"),
                json!({"version": 2, "variant": "Hero B", "confirm_live_change": true}).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let log = api
            .get(&format!("/activity?campaign_id={cid}"))
            .await
            .json();
        let entry = log
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == "creative-changed" && e["urls"].is_array())
            .expect("url change logged");
        assert_eq!(entry["urls"][0]["before"], old_url.as_str());

        // A campaign change that moves every creative's URL: the same rule.
        let r = api
            .send(
                Method::PATCH,
                &format!("/campaigns/{cid}"),
                json!({"version": c["version"].as_i64().unwrap() + 3, "slug": "live-sale-2"})
                    .to_string(),
            )
            .await;
        assert_eq!(
            (r.status, error_code(&r).as_str()),
            (StatusCode::CONFLICT, "live-link-change"),
            "{}",
            r.body
        );
        // Paused: the ads do not run, no confirmation.
        let v = api.get(&format!("/campaigns/{cid}")).await.json()["version"]
            .as_i64()
            .unwrap();
        let r = api
            .send(
                Method::PATCH,
                &format!("/campaigns/{cid}"),
                json!({"version": v, "status": "paused"}).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = api
            .send(
                Method::PATCH,
                &format!("/campaigns/{cid}"),
                json!({"version": v + 1, "slug": "live-sale-2"}).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    })
}

/// The UTC day of the system clock (the store's), `YYYY-MM-DD`.
fn today() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    utmforge_core::time::date(ms)
}

#[test]
fn utm_id_link_history_and_the_problems_filter() {
    common::run(async {
        let api = api("utm-id").await;
        let live = api
            .post("/campaigns", json!({"name": "ID Sale", "buying_model": "cpc", "landing_url": "https://example.com/id", "conversion": "lead_created", "status": "active"}))
            .await
            .json();
        let live_id = live["id"].as_str().unwrap().to_string();
        let hero = api
            .post(
                &format!("/campaigns/{live_id}/creatives"),
                json!({"variant": "Hero"}),
            )
            .await
            .json();
        let kid = hero["id"].as_str().unwrap().to_string();
        let quiet = api
            .post("/campaigns", json!({"name": "Quiet", "buying_model": "cpm", "landing_url": "https://example.com/q", "conversion": "lead_created", "status": "paused"}))
            .await
            .json();
        let quiet_id = quiet["id"].as_str().unwrap().to_string();
        let side = api
            .post(
                &format!("/campaigns/{quiet_id}/creatives"),
                json!({"variant": "Side", "landing_url": "http://example.com/plain"}),
            )
            .await;
        assert_eq!(side.status, StatusCode::CREATED, "{}", side.body);
        assert!(!hero["url"].as_str().unwrap().contains("utm_id"));

        // Switching utm_id on changes every link: the active campaign's needs the confirmation
        // (the paused one's is not live), nothing is saved without it.
        let version = api.get("/settings").await.json()["version"]
            .as_i64()
            .unwrap();
        let r = api
            .put(
                "/settings",
                json!({"version": version, "rules": {"utm_id": true}}),
            )
            .await;
        assert_eq!(
            (r.status, error_code(&r).as_str()),
            (StatusCode::CONFLICT, "live-link-change"),
            "{}",
            r.body
        );
        let e = r.json();
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("Campaigns are active: this change alters 1 live link that ads carry"),
            "{e}"
        );
        assert!(e["error"]["all"][1]["message"]
            .as_str()
            .unwrap()
            .starts_with("id-sale / Hero: "));
        assert_eq!(api.get("/settings").await.json()["version"], version);
        let r = api
            .put(
                "/settings",
                json!({"version": version, "rules": {"utm_id": true}, "confirm_live_change": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["rules"]["utm_id"], true);
        let short = utmforge_core::campaign::utm_id_of(&live_id);
        let with_id = api.get(&format!("/creatives/{kid}")).await.json()["url"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(
            with_id,
            format!("https://example.com/id?utm_source=chatgpt&utm_medium=cpc&utm_campaign=id-sale&utm_content=hero&utm_id={short}")
        );
        // The export carries it too.
        let csv = api
            .get(&format!("/campaigns/{live_id}/export.csv"))
            .await
            .body;
        assert!(csv.contains(&format!("&utm_id={short}")), "{csv}");

        // The log has the switch and every link it moved, old and new.
        let log = api.get("/activity").await.json();
        let entry = log
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == "settings-changed")
            .expect("the switch is logged");
        assert_eq!(entry["urls_changed"], 2, "{entry}");
        assert!(entry["urls"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["after"] == with_id.as_str() && u["before"] == hero["url"]));

        // Renamed (confirmed): utm_campaign follows the name, utm_id stays.
        let v = api.get(&format!("/campaigns/{live_id}")).await.json()["version"]
            .as_i64()
            .unwrap();
        let r = api
            .send(
                Method::PATCH,
                &format!("/campaigns/{live_id}"),
                json!({"version": v, "name": "ID Sale EU", "slug": "", "confirm_live_change": true}).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let renamed = api.get(&format!("/creatives/{kid}")).await.json()["url"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(renamed.contains("utm_campaign=id-sale-eu&"), "{renamed}");
        assert!(renamed.ends_with(&format!("&utm_id={short}")), "{renamed}");

        // The creative's link history: three URLs, the current one first, each closed when
        // the next opened.
        let h = api.get(&format!("/creatives/{kid}/history")).await.json();
        let urls: Vec<&str> = h
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["url"].as_str().unwrap())
            .collect();
        assert_eq!(
            urls,
            [
                renamed.as_str(),
                with_id.as_str(),
                hero["url"].as_str().unwrap()
            ]
        );
        assert!(h[0].get("to").is_none());
        assert_eq!(h[1]["to"], h[0]["from"]);
        assert_eq!(h[0]["campaign"], "ID Sale EU");
        assert_eq!(
            api.get("/creatives/nope/history").await.status,
            StatusCode::NOT_FOUND
        );

        // Which links were live today: each creative's current URL is there (as JSON and CSV).
        let day = today();
        let live_today = api.get(&format!("/link-history?date={day}")).await;
        assert_eq!(live_today.status, StatusCode::OK, "{}", live_today.body);
        let rows = live_today.json();
        assert!(
            rows.as_array()
                .unwrap()
                .iter()
                .any(|p| p["url"] == renamed.as_str() && p.get("to").is_none()),
            "{rows}"
        );
        assert!(rows
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["variant"] == "Side"));
        let csv = api.get(&format!("/link-history.csv?date={day}")).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert_eq!(
            csv.headers[header::CONTENT_DISPOSITION],
            format!("attachment; filename=\"utmforge-links-live-{day}.csv\"").as_str()
        );
        assert!(csv
            .body
            .starts_with("campaign,variant,url,live_from,live_to,creative_id,campaign_id\n"));
        assert!(csv.body.contains(&renamed));
        assert_eq!(
            api.get("/link-history?date=2020-01-01").await.json(),
            json!([])
        );
        for bad in [
            "/link-history?date=2026-02-30",
            "/link-history",
            "/link-history.csv?date=today",
        ] {
            let r = api.get(bad).await;
            assert_eq!(
                (
                    r.status,
                    error_code(&r).as_str(),
                    r.json()["error"]["field"].as_str()
                ),
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid-date",
                    Some("date")
                ),
                "{bad}: {}",
                r.body
            );
        }

        // Problems: the plain-http landing page is a warning; the filter finds that campaign
        // only and says what is wrong; the plain list has no problems member.
        let all = api.get("/campaigns").await.json()["items"].clone();
        assert_eq!(all.as_array().unwrap().len(), 2);
        assert!(all[0].get("problems").is_none());
        let with = api.get("/campaigns?problems=true").await.json()["items"].clone();
        let names: Vec<&str> = with
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Quiet"]);
        assert_eq!(
            with[0]["problems"],
            json!({"errors": 0, "warnings": 1, "broken": 0, "drifted": 0, "rejected": 0})
        );
        assert_eq!(
            api.get("/campaigns?problems=true&status=active")
                .await
                .json(),
            json!({"items": []})
        );
    })
}

/// Creatives written before the link history was kept get their current URL when a server
/// starts, dated from the last change that could have set it; a second start adds nothing.
#[test]
fn older_creatives_start_their_history_at_their_last_change() {
    common::run(async {
        let api = api("history-start").await;
        let c = api.campaign("Old Times").await;
        let cid = c["id"].as_str().unwrap().to_string();
        let k = api
            .post(
                &format!("/campaigns/{cid}/creatives"),
                json!({"variant": "Hero"}),
            )
            .await
            .json();
        let kid = k["id"].as_str().unwrap().to_string();
        let store = utmforge_store::Store::open(&api.dir.database_url())
            .await
            .unwrap();
        // As a database from before migration 0006: no history at all.
        utmforge_store::sqlx::query("DELETE FROM link_history")
            .execute(store.pool())
            .await
            .unwrap();
        assert_eq!(
            api.get(&format!("/creatives/{kid}/history")).await.json(),
            json!([])
        );
        let ctx = utmforge_service::Ctx::new(store.clone(), utmforge_service::Actor::Cli);
        assert_eq!(
            utmforge_service::links::start_history(&ctx).await.unwrap(),
            1
        );
        assert_eq!(
            utmforge_service::links::start_history(&ctx).await.unwrap(),
            0
        );
        let h = api.get(&format!("/creatives/{kid}/history")).await.json();
        let campaign = api.get(&format!("/campaigns/{cid}")).await.json();
        assert_eq!(h.as_array().unwrap().len(), 1);
        assert_eq!(h[0]["url"], k["url"]);
        assert_eq!(
            h[0]["from"], campaign["updated_at"],
            "the creative's add bumped its campaign last"
        );
        assert!(h[0].get("to").is_none());
    })
}

#[test]
fn pages_search_clone_bulk_and_trash_over_rest() {
    common::run(async {
        let api = api("scale").await;
        for i in 0..7 {
            let name = format!("{} {i}", if i % 2 == 0 { "Winter" } else { "Summer" });
            api.campaign(&name).await;
        }
        // Pages of 3 by name: every campaign once, next_cursor until the last, prev back.
        let mut names = Vec::new();
        let mut path = "/campaigns?sort=name&limit=3".to_string();
        let mut pages = Vec::new();
        loop {
            let page = api.get(&path).await.json();
            names.extend(
                page["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["name"].as_str().unwrap().to_string()),
            );
            pages.push(page.clone());
            match page["next_cursor"].as_str() {
                Some(c) => path = format!("/campaigns?sort=name&limit=3&cursor={c}"),
                None => break,
            }
        }
        assert_eq!(
            names,
            ["Summer 1", "Summer 3", "Summer 5", "Winter 0", "Winter 2", "Winter 4", "Winter 6"]
        );
        assert_eq!(pages.len(), 3);
        assert!(pages[0].get("prev_cursor").is_none());
        let back = api
            .get(&format!(
                "/campaigns?sort=name&limit=3&cursor={}",
                pages[2]["prev_cursor"].as_str().unwrap()
            ))
            .await
            .json();
        assert_eq!(back["items"], pages[1]["items"]);
        // Search and filters, and what is refused.
        let found = api.get("/campaigns?q=WINTER&sort=name").await.json();
        assert_eq!(found["items"].as_array().unwrap().len(), 4);
        assert_eq!(
            api.get("/campaigns?medium=cpm").await.json(),
            json!({"items": []})
        );
        for (bad, field) in [
            ("/campaigns?sort=size", "sort"),
            ("/campaigns?limit=500", "limit"),
            ("/campaigns?cursor=zz", "cursor"),
            ("/campaigns?updated_since=yesterday", "updated-since"),
        ] {
            let r = api.get(bad).await;
            assert_eq!(
                (r.status, r.json()["error"]["field"].as_str()),
                (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
                "{bad}"
            );
        }
        // A cursor of another order is refused, not misread.
        let by_updated = api.get("/campaigns?limit=1").await.json();
        let r = api
            .get(&format!(
                "/campaigns?sort=name&cursor={}",
                by_updated["next_cursor"].as_str().unwrap()
            ))
            .await;
        assert_eq!(error_code(&r), "invalid-cursor");

        // Clone: a draft with every creative, links computed for it.
        let c = api.campaign("Source").await;
        let cid = c["id"].as_str().unwrap().to_string();
        for v in ["Hero", "Side", "Footer"] {
            api.post(
                &format!("/campaigns/{cid}/creatives"),
                json!({"variant": v}),
            )
            .await;
        }
        let copy = api
            .post(
                &format!("/campaigns/{cid}/clone"),
                json!({"name": "Source Next Month"}),
            )
            .await;
        assert_eq!(copy.status, StatusCode::CREATED, "{}", copy.body);
        let copy = copy.json();
        assert_eq!(
            (copy["slug"].as_str(), copy["status"].as_str()),
            (Some("source-next-month"), Some("draft"))
        );
        let copied = api
            .get(&format!(
                "/campaigns/{}/creatives",
                copy["id"].as_str().unwrap()
            ))
            .await
            .json();
        assert_eq!(copied.as_array().unwrap().len(), 3);
        assert!(copied[0]["url"]
            .as_str()
            .unwrap()
            .contains("utm_campaign=source-next-month"));
        let taken = api
            .post(
                &format!("/campaigns/{cid}/clone"),
                json!({"name": "Source"}),
            )
            .await;
        assert_eq!(taken.status, StatusCode::CONFLICT);

        // Search within a campaign.
        let side = api
            .get(&format!("/campaigns/{cid}/creatives?q=SIDE"))
            .await
            .json();
        assert_eq!(side.as_array().unwrap().len(), 1);

        // Bulk: the preview lists every URL that changes; applying needs its version.
        let ks = api.get(&format!("/campaigns/{cid}/creatives")).await.json();
        let ids: Vec<&str> = ks.as_array().unwrap()[..2]
            .iter()
            .map(|k| k["id"].as_str().unwrap())
            .collect();
        let change = json!({"ids": ids, "landing_url": "https://example.com/new"});
        let plan = api
            .post(&format!("/campaigns/{cid}/creatives/bulk"), change.clone())
            .await;
        assert_eq!(plan.status, StatusCode::OK, "{}", plan.body);
        let plan = plan.json();
        assert_eq!(
            (plan["url_changes"].as_i64(), plan["applied"].as_bool()),
            (Some(2), Some(false))
        );
        assert!(plan["rows"][0]["after"]
            .as_str()
            .unwrap()
            .starts_with("https://example.com/new?"));
        assert!(
            api.get(&format!("/campaigns/{cid}/creatives")).await.json()[0]["url"]
                .as_str()
                .unwrap()
                .starts_with("https://example.com/spring?"),
            "a preview saves nothing"
        );
        let mut apply = change.clone();
        apply["version"] = json!(plan["version"].as_i64().unwrap() - 1);
        let stale = api
            .post(&format!("/campaigns/{cid}/creatives/bulk"), apply.clone())
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        apply["version"] = plan["version"].clone();
        let done = api
            .post(&format!("/campaigns/{cid}/creatives/bulk"), apply)
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        let after = api.get(&format!("/campaigns/{cid}/creatives")).await.json();
        let moved = after
            .as_array()
            .unwrap()
            .iter()
            .filter(|k| {
                k["url"]
                    .as_str()
                    .unwrap()
                    .starts_with("https://example.com/new?")
            })
            .count();
        assert_eq!(moved, 2);
        let log = api
            .get(&format!("/activity?campaign_id={cid}"))
            .await
            .json();
        let entries = log
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "creative-changed")
            .count();
        assert_eq!(entries, 2, "one entry per creative");
        let nothing = api
            .post(
                &format!("/campaigns/{cid}/creatives/bulk"),
                json!({"ids": ids}),
            )
            .await;
        assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);

        // The trash: deleted, out of the list and the export, restored with a new slug.
        let v = api.get(&format!("/campaigns/{cid}")).await.json()["version"].clone();
        assert_eq!(
            api.delete(&format!("/campaigns/{cid}?version={v}"))
                .await
                .status,
            StatusCode::NO_CONTENT
        );
        let export = api.get("/export.csv").await;
        assert_eq!(export.status, StatusCode::OK);
        assert!(export.body.starts_with("campaign,utm_campaign,"));
        assert!(
            !export.body.contains("Source,source,"),
            "the trash is not exported"
        );
        assert!(export.body.contains("Source Next Month,source-next-month,"));
        // A creative too, so the trash has two pages of one.
        let other = api.campaign("Other").await;
        let k = api
            .post(
                &format!("/campaigns/{}/creatives", other["id"].as_str().unwrap()),
                json!({"variant": "Lone"}),
            )
            .await
            .json();
        let r = api
            .delete(&format!(
                "/creatives/{}?version={}",
                k["id"].as_str().unwrap(),
                k["version"]
            ))
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        let first = api.get("/trash?limit=1").await.json();
        assert_eq!(
            (
                first["items"][0]["kind"].as_str(),
                first["items"][0]["slug"].as_str()
            ),
            (Some("creative"), Some("other"))
        );
        let next = first["next_cursor"].as_str().unwrap().to_string();
        let second = api
            .get(&format!("/trash?limit=1&cursor={next}"))
            .await
            .json();
        assert_eq!(
            (
                second["items"][0]["kind"].as_str(),
                second["items"][0]["creatives"].as_i64(),
                second.get("next_cursor")
            ),
            (Some("campaign"), Some(3), None)
        );
        for (bad, field) in [
            ("limit=0", "limit"),
            ("limit=many", "limit"),
            ("cursor=zz", "cursor"),
            ("cursor=7b7d", "cursor"),
        ] {
            let r = api.get(&format!("/trash?{bad}")).await;
            assert_eq!(
                (r.status, r.json()["error"]["field"].as_str()),
                (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
                "{bad}"
            );
        }
        // A campaigns-list cursor is not one of the trash.
        let list_cursor = api.get("/campaigns?limit=1").await.json()["next_cursor"]
            .as_str()
            .unwrap()
            .to_string();
        let r = api.get(&format!("/trash?cursor={list_cursor}")).await;
        assert_eq!(
            (r.status, r.json()["error"]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid-cursor"))
        );
        api.campaign("Source").await;
        let r = api.post(&format!("/trash/{cid}/restore"), json!({})).await;
        assert_eq!(
            (r.status, r.json()["error"]["field"].as_str()),
            (StatusCode::CONFLICT, Some("campaign"))
        );
        let r = api
            .post(
                &format!("/trash/{cid}/restore"),
                json!({"new_slug": "Source Restored"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        let back = api.get(&format!("/campaigns/{cid}/creatives")).await.json();
        assert_eq!(back.as_array().unwrap().len(), 3);
        assert!(back[0]["url"]
            .as_str()
            .unwrap()
            .contains("utm_campaign=source-restored"));
        assert_eq!(
            api.get("/trash").await.json()["items"][0]["kind"].as_str(),
            Some("creative"),
            "only the creative is left"
        );
    })
}
