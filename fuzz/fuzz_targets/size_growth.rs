//! Long, repetitive input: a piece repeated up to a few thousand times into a URL, a sheet's
//! header or its rows. What the other target misses is growth: lint's report, the tagged URL
//! and an import plan must stay within a fixed multiple of the input, whatever it repeats.
#![no_main]

use libfuzzer_sys::fuzz_target;
use utmforge_core::import::{plan_import, MAX_IMPORT_ROWS};
use utmforge_core::{
    lint, tag, BuyingModel, Campaign, CampaignStatus, ConversionEvent, TagRequest, MAX_FINDINGS,
};

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let times = 1 + (usize::from(data[0]) << 4 | usize::from(data[1] >> 4)); // 1..=4096
    let Ok(piece) = std::str::from_utf8(&data[2..]) else { return };
    if piece.is_empty() || piece.len() * times > 256 * 1024 {
        return;
    }
    let repeated = piece.repeat(times);

    // Lint: a bounded number of findings, each fix no longer than the URL plus our parameters.
    let url = format!("https://example.com/?{repeated}");
    let report = lint(&url);
    assert!(report.findings.len() <= MAX_FINDINGS + 1, "{} findings", report.findings.len());
    let limit = url.len() * 3 + 1024;
    for f in &report.findings {
        assert!(f.message.len() <= 4096, "a {}-byte message", f.message.len());
        if let Some(fixed) = &f.fixed_url {
            assert!(fixed.len() <= limit, "a {}-byte fix of a {}-byte URL", fixed.len(), url.len());
        }
    }
    let json = serde_json::to_string(&report).unwrap();
    assert!(json.len() <= (MAX_FINDINGS + 3) * (limit + 4096) + url.len() * 2);

    // Tag: the result is an error or a URL under the hard limit.
    if let Ok(tagged) = tag(&TagRequest {
        url: url.clone(),
        campaign: "fuzz".into(),
        medium: BuyingModel::Cpc,
        content: Some(repeated.clone()),
        term: None,
        id: None,
    }) {
        assert!(tagged.url.len() <= 2048);
    }

    // Import: the piece as a header row, and as every row under a content header.
    let campaign = Campaign {
        id: "c".into(),
        name: "Fuzz".into(),
        slug: "fuzz".into(),
        buying_model: BuyingModel::Cpc,
        topic: None,
        landing_url: "https://example.com/".into(),
        conversion: ConversionEvent::OrderCreated,
        status: CampaignStatus::Active,
        notes: String::new(),
        version: 1,
        created_at: 0,
        updated_at: 0,
    };
    let _ = plan_import(&format!("{repeated}\nA\n"), &campaign, &[]);
    if let Ok(plan) = plan_import(&format!("content,notes\n{}", format!("{piece}\n").repeat(times)), &campaign, &[]) {
        assert!(plan.rows.len() <= MAX_IMPORT_ROWS);
        for row in &plan.rows {
            assert!(row.errors.len() <= 16, "{} errors on one row", row.errors.len());
        }
    }
});
