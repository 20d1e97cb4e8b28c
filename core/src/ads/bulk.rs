//! Bulk mutation jobs (`POST /bulk_mutation_jobs`, `../shared/openai-ads.md` §5 "Bulk"): many
//! ad updates in one job — validated first (`validate_only`), then run with `partial_failure`
//! (the valid ones are applied), answered 202 and polled until done (`GET …/{id}`), then read
//! operation by operation (`GET …/{id}/operations`).
//!
//! OpenAI documents the endpoints, the limits (1,000 operations, a 16 MiB body, 10 job
//! creations per 10 seconds) and the operation types; not the shape of one operation. utmforge
//! sends each as `{"operation_id", "type": "ad.update", "resource_id", "data"}`, `data` being
//! exactly what `POST /ads/{id}` takes (the full `creative`), and reads back per operation
//! `operation_id`, `status` (`validated`, `updated`, `failed`, `skipped`) and `error` — the
//! names OpenAI's job answers use. docs/chatgpt-ads.md says so.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Most operations one job takes.
pub const MAX_OPERATIONS: usize = 1_000;
/// Largest body one job takes.
pub const MAX_JOB_BODY: usize = 16 << 20;
/// From this many ads to update, a publish uses bulk jobs instead of one call per ad (below
/// it, one call per ad is as quick: 100 ms apart, the documented pace).
pub const BULK_FROM: usize = 50;
/// Items one page of a job's operations asks for.
pub const OPERATIONS_PAGE: usize = 100;

/// A job as OpenAI answers it (`POST` → 202, `GET /bulk_mutation_jobs/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkJob {
    pub id: String,
    /// `pending`, `in_progress`, `completed`, `partially_failed` or `failed`.
    pub status: String,
    #[serde(default)]
    pub operation_count: Option<u64>,
}

impl BulkJob {
    /// Whether the job has ended (its operations can be read).
    pub fn is_done(&self) -> bool {
        matches!(
            self.status.as_str(),
            "completed" | "partially_failed" | "failed"
        )
    }
}

/// What became of one operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkOperation {
    pub operation_id: String,
    /// `validated`, `created`, `updated`, `failed` or `skipped`.
    pub status: String,
    #[serde(default)]
    pub resource_id: Option<String>,
    #[serde(default)]
    pub error: Option<Value>,
}

impl BulkOperation {
    /// OpenAI's words for a failed operation (a text, or an object's `message`).
    pub fn error_text(&self) -> Option<String> {
        let e = self.error.as_ref()?;
        let text = e
            .as_str()
            .map(String::from)
            .or_else(|| e["message"].as_str().map(String::from))
            .unwrap_or_else(|| e.to_string());
        Some(crate::notice::clip(&text, super::MAX_ANSWER_LEN))
    }
}

/// One page of a job's operations (`complete`: the job has ended and the list is final).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationsPage {
    pub data: Vec<BulkOperation>,
    #[serde(default)]
    pub has_more: bool,
    #[serde(default)]
    pub last_id: Option<String>,
    #[serde(default)]
    pub complete: bool,
}

/// The operation that gives ad `ad_id` the creative `creative` (the full object), named
/// `operation_id`.
pub fn ad_update(operation_id: &str, ad_id: &str, creative: Value) -> Value {
    json!({
        "operation_id": operation_id,
        "type": "ad.update",
        "resource_id": ad_id,
        "data": { "creative": creative },
    })
}

/// A job's body.
pub fn job_body(operations: &[Value], validate_only: bool) -> Value {
    json!({
        "operations": operations,
        "validate_only": validate_only,
        "partial_failure": true,
    })
}

/// `operations` cut into jobs that each stay within the documented limits (at most
/// [`MAX_OPERATIONS`] and, with room to spare for the envelope, [`MAX_JOB_BODY`]).
pub fn jobs_of(operations: Vec<Value>) -> Vec<Vec<Value>> {
    let budget = MAX_JOB_BODY - 1024;
    let mut jobs: Vec<Vec<Value>> = Vec::new();
    let mut size = 0;
    for op in operations {
        let len = op.to_string().len() + 1;
        match jobs.last_mut() {
            Some(job) if job.len() < MAX_OPERATIONS && size + len <= budget => {
                size += len;
                job.push(op);
            }
            _ => {
                size = len;
                jobs.push(vec![op]);
            }
        }
    }
    jobs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_hold_at_most_a_thousand_operations_and_sixteen_mib() {
        let ops: Vec<Value> = (0..2_500)
            .map(|i| ad_update(&format!("op{i}"), &format!("ad_{i}"), json!({"title": "x"})))
            .collect();
        let jobs = jobs_of(ops);
        assert_eq!(
            jobs.iter().map(Vec::len).collect::<Vec<_>>(),
            [1000, 1000, 500]
        );
        // Operations of 1 MiB each: 15 fit in one body.
        let big = "x".repeat(1 << 20);
        let ops: Vec<Value> = (0..20)
            .map(|i| ad_update(&format!("op{i}"), "ad", json!({ "body": big })))
            .collect();
        let jobs = jobs_of(ops);
        assert_eq!(jobs.iter().map(Vec::len).collect::<Vec<_>>(), [15, 5]);
        for job in &jobs {
            assert!(job_body(job, false).to_string().len() <= MAX_JOB_BODY);
        }
    }

    #[test]
    fn a_failed_operation_says_why_in_openais_words() {
        let op: BulkOperation = serde_json::from_value(json!({
            "operation_id": "op1", "status": "failed",
            "error": {"message": "target_url is not reachable", "code": "invalid"}
        }))
        .unwrap();
        assert_eq!(
            op.error_text().as_deref(),
            Some("target_url is not reachable")
        );
        let done = BulkJob {
            id: "j".into(),
            status: "partially_failed".into(),
            operation_count: None,
        };
        assert!(done.is_done());
        assert!(!BulkJob {
            status: "in_progress".into(),
            ..done
        }
        .is_done());
    }
}
