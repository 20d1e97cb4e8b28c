//! The double's Insights API (`shared/openai-ads.md` §6, developers.openai.com/ads/api-reference/
//! insights): `GET /ad_groups/{id}/insights` takes only the documented parameters —
//! `aggregation_level` (`ad_group` or `ad` under an ad group), `time_granularity` (`hourly`,
//! `daily`, `monthly`, `none`), `time_ranges[]` (a JSON `date_range`, `hour_range` or
//! `unix_range`, within 5 years and not in the future), `fields[]` (canonical names; a bare
//! `fields` is refused as the live API does), `filters[]`, `sort[]`, `limit` 1–2,000 (default 20),
//! `after`/`before` cursors — and answers `{object, data, count, first_id, last_id, has_more}`
//! with flattened keys. A test puts the rows in (`insight`): one per ad and day, any metric
//! `null`; the double serves the daily rows of the ad group's ads whose day starts inside the
//! window.

use super::{admit, full, query_pairs, record, refuse, AdsApi};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

const METRICS: [&str; 11] = [
    "impressions",
    "clicks",
    "spend",
    "ctr",
    "cpc",
    "cpm",
    "conversions",
    "cpa",
    "post_click_cvr",
    "order_created_attributed_sales",
    "order_created_roas",
];

fn known_field(f: &str) -> bool {
    match f.split_once('.') {
        Some(("metadata", m)) => {
            ["readable_time", "start_time", "end_time", "timezone"].contains(&m)
        }
        Some(("ad" | "ad_group" | "campaign" | "ad_account", m)) => {
            m == "id"
                || m == "name"
                || METRICS.contains(&m)
                || ["title", "copy", "link", "status", "review_status"].contains(&m)
        }
        _ => false,
    }
}

pub async fn ad_group(
    State(api): State<AdsApi>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let path = full(&format!("/v1/ad_groups/{id}/insights"), &query);
    if let Err(r) = admit(&api, &Method::GET, &path, &headers) {
        return *r;
    }
    let mut limit = 20;
    let mut after: Option<String> = None;
    let mut window: Option<(i64, i64)> = None;
    let mut level = "ad_group".to_string();
    let mut granularity = "daily".to_string();
    let mut fields = Vec::new();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    for (key, value) in query_pairs(&query) {
        match key.as_str() {
            "aggregation_level" if ["ad_group", "ad"].contains(&value.as_str()) => level = value,
            "aggregation_level" => {
                return refuse(
                    &api,
                    "GET",
                    &path,
                    format!("aggregation_level {value:?} is above or outside an ad group"),
                )
            }
            "time_granularity"
                if ["hourly", "daily", "monthly", "none"].contains(&value.as_str()) =>
            {
                granularity = value
            }
            "time_ranges[]" => {
                let Ok(range) = serde_json::from_str::<Value>(&value) else {
                    return refuse(&api, "GET", &path, "time_ranges[] must be JSON".into());
                };
                let (start, end) = match range["type"].as_str() {
                    Some("unix_range") => match (range["start"].as_i64(), range["end"].as_i64()) {
                        (Some(s), Some(e)) if range.as_object().unwrap().len() == 3 => (s, e),
                        _ => {
                            return refuse(
                                &api,
                                "GET",
                                &path,
                                "a unix_range has start and end (seconds)".into(),
                            )
                        }
                    },
                    Some("date_range" | "hour_range") => {
                        return refuse(
                            &api,
                            "GET",
                            &path,
                            "this double serves unix_range windows".into(),
                        )
                    }
                    _ => {
                        return refuse(
                            &api,
                            "GET",
                            &path,
                            "time_ranges[] type must be date_range, hour_range or unix_range"
                                .into(),
                        )
                    }
                };
                if start >= end || end > now + 5 || start < now - 5 * 366 * 86_400 {
                    return refuse(
                        &api,
                        "GET",
                        &path,
                        "the window must lie within 5 years and not in the future".into(),
                    );
                }
                window = Some((start, end));
            }
            "fields[]" if known_field(&value) => fields.push(value),
            "fields[]" => return refuse(&api, "GET", &path, format!("unknown field {value:?}")),
            "fields" => {
                return refuse(
                    &api,
                    "GET",
                    &path,
                    "fields: expected an array of strings (fields[]=…)".into(),
                )
            }
            "limit" => match super::limit(&api, &path, &value, 2000) {
                Ok(n) => limit = n,
                Err(r) => return *r,
            },
            "after" => after = Some(value),
            "before" | "filters[]" | "sort[]" | "includes[]" => {}
            other => return refuse(&api, "GET", &path, format!("unknown parameter {other:?}")),
        }
    }
    if level != "ad" || granularity != "daily" {
        return refuse(
            &api,
            "GET",
            &path,
            "this double serves daily rows per ad".into(),
        );
    }
    let (start, end) = window.unwrap_or((now - 30 * 86_400, now));
    let mut items: Vec<Value> = {
        let s = api.state();
        if !s.ad_groups.iter().any(|g| g["id"] == id.as_str()) {
            drop(s);
            return refuse(&api, "GET", &path, format!("no ad group {id:?}"));
        }
        let ads: Vec<String> = s
            .ads
            .iter()
            .filter(|a| a["ad_group_id"] == id.as_str())
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect();
        s.insights
            .iter()
            .filter(|r| ads.iter().any(|a| r["ad_id"] == a.as_str()))
            .filter(|r| (start..end).contains(&r["start_time"].as_i64().unwrap()))
            .cloned()
            .collect()
    };
    // Only the asked fields' metrics (flattened); ids and times always.
    for row in &mut items {
        let o = row.as_object_mut().unwrap();
        o.retain(|k, _| {
            [
                "id",
                "ad_id",
                "start_time",
                "end_time",
                "readable_time",
                "timezone",
            ]
            .contains(&k.as_str())
                || fields.iter().any(|f| f.ends_with(&format!(".{k}")))
        });
    }
    if let Some(after) = after {
        match items.iter().position(|i| i["id"] == after.as_str()) {
            Some(at) => items.drain(..=at).for_each(drop),
            None => return refuse(&api, "GET", &path, format!("no such cursor {after:?}")),
        }
    }
    let has_more = items.len() > limit;
    items.truncate(limit);
    record(&api, "GET", &path, 200, None);
    Json(json!({
        "object": "list", "count": items.len(),
        "first_id": items.first().map(|i| i["id"].clone()),
        "last_id": items.last().map(|i| i["id"].clone()),
        "has_more": has_more, "data": items,
    }))
    .into_response()
}
