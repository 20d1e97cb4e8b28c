//! The double's Bulk API (`shared/openai-ads.md` §5 "Bulk"): `POST /bulk_mutation_jobs` takes
//! `operations` (1–1,000, a body of at most 16 MiB), `validate_only` and `partial_failure`, under
//! an `Idempotency-Key` (the same key and body: the same job; another body: refused), at most
//! 10 creations per 10 seconds (then 429 with `Retry-After`), and answers 202 with the job;
//! `GET /bulk_mutation_jobs/{id}` moves it on (pending → in_progress → ended, one step a poll)
//! and applies a run job's updates when it ends; `GET …/operations` pages the results
//! (`limit` 1–100, `after` an `operation_id`), only once the job has ended. An operation is
//! `{operation_id, type: "ad.update", resource_id, data}` with `data` what `POST /ads/{id}`
//! takes (checked the same way); each ad at most once a job. An ad listed in `bulk_fail`
//! fails with that message.

use super::{admit, creative_problem, error, record, refuse, replay, too_many, AdsApi};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

pub struct Job {
    pub id: String,
    pub key: Option<String>,
    pub body: Value,
    pub validate_only: bool,
    /// Polls so far (the job ends at the second).
    pub polls: usize,
    pub status: String,
    pub results: Vec<Value>,
}

const TYPES: [&str; 6] = [
    "campaign.create",
    "campaign.update",
    "ad_group.create",
    "ad_group.update",
    "ad.create",
    "ad.update",
];

pub async fn create(State(api): State<AdsApi>, headers: HeaderMap, body: Bytes) -> Response {
    let path = "/v1/bulk_mutation_jobs";
    if let Err(r) = admit(&api, &Method::POST, path, &headers) {
        return *r;
    }
    if api.state().no_bulk {
        record(&api, "POST", path, 404, None);
        return error(StatusCode::NOT_FOUND, "Not found");
    }
    // At most 10 job creations per 10 seconds.
    {
        let mut s = api.state();
        let now = Instant::now();
        if let Some(at) = s.job_retry_at {
            if now < at {
                s.violations
                    .push(format!("POST {path}: called before Retry-After had passed"));
                s.calls.push(("POST".into(), path.into(), 429));
                return too_many(at - now);
            }
            s.job_retry_at = None;
        }
        let window = Duration::from_secs(10);
        s.job_window.retain(|t| now.duration_since(*t) < window);
        if s.job_window.len() >= 10 {
            let wait = window - now.duration_since(s.job_window[0]);
            s.job_retry_at = Some(now + Duration::from_secs(wait.as_secs_f64().ceil() as u64));
            s.calls.push(("POST".into(), path.into(), 429));
            return too_many(wait);
        }
        s.job_window.push(now);
    }
    if headers.get("content-type").and_then(|v| v.to_str().ok()) != Some("application/json") {
        return refuse(
            &api,
            "POST",
            path,
            "Content-Type must be application/json".into(),
        );
    }
    if body.len() > 16 << 20 {
        return refuse(&api, "POST", path, "the body is over 16 MiB".into());
    }
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return refuse(&api, "POST", path, "the body is not JSON".into());
    };
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    if let Some(key) = &key {
        let earlier = api
            .state()
            .jobs
            .iter()
            .find(|j| j.key.as_deref() == Some(key))
            .map(|j| (j.body.clone(), (StatusCode::ACCEPTED, job_json(j))));
        if let Some(answer) = replay(&api, path, key, &request, earlier) {
            return answer;
        }
    }
    let Some(o) = request.as_object() else {
        return refuse(&api, "POST", path, "the body must be a JSON object".into());
    };
    for k in o.keys() {
        if !["operations", "validate_only", "partial_failure"].contains(&k.as_str()) {
            return refuse(&api, "POST", path, format!("unknown field {k:?}"));
        }
    }
    for flag in ["validate_only", "partial_failure"] {
        if o.get(flag).is_some_and(|v| !v.is_boolean()) {
            return refuse(&api, "POST", path, format!("{flag} must be a boolean"));
        }
    }
    let Some(ops) = o.get("operations").and_then(Value::as_array) else {
        return refuse(
            &api,
            "POST",
            path,
            "operations is required (an array)".into(),
        );
    };
    if ops.is_empty() || ops.len() > 1000 {
        return refuse(
            &api,
            "POST",
            path,
            format!("a job has 1 to 1000 operations, not {}", ops.len()),
        );
    }
    let mut ids = std::collections::HashSet::new();
    let mut ads = std::collections::HashSet::new();
    for op in ops {
        let Some(op) = op.as_object() else {
            return refuse(&api, "POST", path, "an operation must be an object".into());
        };
        for k in op.keys() {
            if !["operation_id", "type", "resource_id", "data"].contains(&k.as_str()) {
                return refuse(&api, "POST", path, format!("unknown operation field {k:?}"));
            }
        }
        let id = op
            .get("operation_id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if id.is_empty() || !ids.insert(id.to_string()) {
            return refuse(
                &api,
                "POST",
                path,
                format!("operation_id {id:?} is missing or repeated"),
            );
        }
        let kind = op.get("type").and_then(Value::as_str).unwrap_or_default();
        if !TYPES.contains(&kind) {
            return refuse(
                &api,
                "POST",
                path,
                format!("unknown operation type {kind:?}"),
            );
        }
        if kind != "ad.update" {
            return refuse(
                &api,
                "POST",
                path,
                format!("this double takes ad.update only, not {kind}"),
            );
        }
        let ad = op
            .get("resource_id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !api.state().ads.iter().any(|a| a["id"] == ad) {
            return refuse(&api, "POST", path, format!("no ad {ad:?}"));
        }
        if !ads.insert(ad.to_string()) {
            return refuse(
                &api,
                "POST",
                path,
                format!("the ad {ad} is updated twice in one job"),
            );
        }
        let Some(data) = op.get("data").and_then(Value::as_object) else {
            return refuse(&api, "POST", path, "data is required (an object)".into());
        };
        for k in data.keys() {
            if !["name", "status", "creative"].contains(&k.as_str()) {
                return refuse(&api, "POST", path, format!("unknown ad field {k:?}"));
            }
        }
        if let Some(why) = data.get("creative").and_then(creative_problem) {
            return refuse(&api, "POST", path, why);
        }
    }
    let mut s = api.state();
    let job = Job {
        id: format!("bmj_{}", 100 + s.jobs.len()),
        key,
        body: request.clone(),
        validate_only: o
            .get("validate_only")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        polls: 0,
        status: "pending".into(),
        results: Vec::new(),
    };
    let answer = job_json(&job);
    s.jobs.push(job);
    s.calls.push(("POST".into(), path.into(), 202));
    (StatusCode::ACCEPTED, Json(answer)).into_response()
}

fn job_json(job: &Job) -> Value {
    json!({
        "id": job.id, "object": "bulk_mutation_job", "status": job.status,
        "operation_count": job.body["operations"].as_array().map_or(0, Vec::len),
        "created_at": 1735690000,
        "completed_at": if job.results.is_empty() { Value::Null } else { json!(1735690060) },
    })
}

pub async fn get(
    State(api): State<AdsApi>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let path = format!("/v1/bulk_mutation_jobs/{id}");
    if let Err(r) = admit(&api, &Method::GET, &path, &headers) {
        return *r;
    }
    if query.is_some_and(|q| !q.is_empty()) {
        return refuse(
            &api,
            "GET",
            &path,
            "this endpoint takes no query parameters".into(),
        );
    }
    let mut guard = api.state();
    let s = &mut *guard;
    let Some(at) = s.jobs.iter().position(|j| j.id == id) else {
        drop(guard);
        return refuse(&api, "GET", &path, format!("no job {id:?}"));
    };
    let job = &mut s.jobs[at];
    job.polls += 1;
    match job.polls {
        1 => job.status = "in_progress".into(),
        2 => {
            // The job ends: each operation fails (an ad in bulk_fail) or is done.
            let mut failed = 0;
            let ops = job.body["operations"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for op in &ops {
                let ad_id = op["resource_id"].as_str().unwrap_or_default();
                let fail = s
                    .bulk_fail
                    .iter()
                    .find(|(a, _)| a == ad_id)
                    .map(|(_, m)| m.clone());
                let status = match (&fail, job.validate_only) {
                    (Some(_), _) => "failed",
                    (None, true) => "validated",
                    (None, false) => "updated",
                };
                if fail.is_some() {
                    failed += 1;
                } else if !job.validate_only {
                    let ad = s.ads.iter_mut().find(|a| a["id"] == ad_id).unwrap();
                    if let Some(creative) = op["data"].get("creative") {
                        let image = ad["creative"]["image_url"].clone();
                        ad["creative"] = creative.clone();
                        ad["creative"]["image_url"] = image;
                        ad["review_status"] = json!("in_review");
                    }
                }
                job.results.push(json!({
                    "operation_id": op["operation_id"], "type": op["type"], "status": status,
                    "resource_id": ad_id,
                    "error": fail.map(|m| json!({"message": m, "code": "invalid_value"})),
                }));
            }
            job.status = match failed {
                0 => "completed",
                n if n == ops.len() => "failed",
                _ => "partially_failed",
            }
            .into();
        }
        _ => {}
    }
    let answer = job_json(job);
    s.calls.push(("GET".into(), path, 200));
    Json(answer).into_response()
}

pub async fn operations(
    State(api): State<AdsApi>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let path = super::full(&format!("/v1/bulk_mutation_jobs/{id}/operations"), &query);
    if let Err(r) = admit(&api, &Method::GET, &path, &headers) {
        return *r;
    }
    let mut limit = 20;
    let mut after: Option<String> = None;
    for (key, value) in super::query_pairs(&query) {
        match key.as_str() {
            "limit" => match super::limit(&api, &path, &value, 100) {
                Ok(n) => limit = n,
                Err(r) => return *r,
            },
            "after" => after = Some(value),
            other => return refuse(&api, "GET", &path, format!("unknown parameter {other:?}")),
        }
    }
    let results = {
        let s = api.state();
        match s.jobs.iter().find(|j| j.id == id) {
            None => None,
            Some(j) if j.results.is_empty() => Some(None),
            Some(j) => Some(Some(j.results.clone())),
        }
    };
    let mut items = match results {
        None => return refuse(&api, "GET", &path, format!("no job {id:?}")),
        Some(None) => {
            return refuse(
                &api,
                "GET",
                &path,
                "read the operations once the job has ended".into(),
            )
        }
        Some(Some(items)) => items,
    };
    if let Some(after) = after {
        match items
            .iter()
            .position(|i| i["operation_id"] == after.as_str())
        {
            Some(at) => items.drain(..=at).for_each(drop),
            None => return refuse(&api, "GET", &path, format!("no such cursor {after:?}")),
        }
    }
    let has_more = items.len() > limit;
    items.truncate(limit);
    record(&api, "GET", &path, 200, None);
    Json(json!({
        "object": "list", "complete": true,
        "first_id": items.first().map(|i| i["operation_id"].clone()),
        "last_id": items.last().map(|i| i["operation_id"].clone()),
        "has_more": has_more, "data": items,
    }))
    .into_response()
}
