//! Feeds arbitrary text to tag, lint and slugify. Besides "never panics", it checks the
//! invariants that must hold for any input: a tagged URL parses, re-tagging it changes nothing,
//! and a slug is a fixed point of slugify.
#![no_main]

use libfuzzer_sys::fuzz_target;
use utmforge_core::{lint, slugify, tag, BuyingModel, TagRequest};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.splitn(3, '\n');
    let url = parts.next().unwrap_or_default();
    let campaign = parts.next().unwrap_or("fuzz");
    let content = parts.next();

    if let Ok(slug) = slugify(campaign) {
        assert_eq!(slugify(&slug).as_deref(), Ok(slug.as_str()));
    }
    let _ = lint(url);

    let request = TagRequest {
        url: url.to_string(),
        campaign: campaign.to_string(),
        medium: BuyingModel::Cpc,
        content: content.map(str::to_string),
        term: None,
        id: None,
    };
    if let Ok(tagged) = tag(&request) {
        let again = tag(&TagRequest { url: tagged.url.clone(), ..request }).expect("re-tagging succeeds");
        assert_eq!(again.url, tagged.url, "tagging is idempotent");
        let _ = lint(&tagged.url);
    }
});
