//! Single-URL tagging, slugging and linting. Run with `cargo bench -p utmforge-core`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use utmforge_core::{lint, slugify, tag, BuyingModel, TagOptions, TagRequest, Tagger};

fn benches(c: &mut Criterion) {
    let clean = TagRequest {
        url: "https://www.example.com/pricing?plan=pro".into(),
        campaign: "spring-sale-2025".into(),
        medium: BuyingModel::Cpc,
        content: Some("headline-v2-long-desc".into()),
        term: Some("project-management-tools".into()),
        id: None,
    };
    c.bench_function("tag clean URL", |b| {
        b.iter(|| tag(black_box(&clean)).unwrap())
    });

    let messy = TagRequest {
        url: "  Example.COM/Pricing?utm_source=ChatGPT&q=a%20b&gclid=x#utm_medium=cpc&top ".into(),
        campaign: "Spring Sale 2025 — Café".into(),
        medium: BuyingModel::Cpm,
        content: Some("Headline V2 (long desc)".into()),
        term: Some("Project Management Tools".into()),
        id: Some("CMP-42".into()),
    };
    c.bench_function("tag messy URL", |b| {
        b.iter(|| tag(black_box(&messy)).unwrap())
    });

    // A batch (CSV) tagger sees the same landing pages and values again and again.
    let mut tagger = Tagger::new(TagOptions::default());
    c.bench_function("batch tagger, messy URL seen before", |b| {
        b.iter(|| tagger.tag(black_box(messy.as_input())).unwrap().url.len())
    });

    c.bench_function("slugify ascii", |b| {
        b.iter(|| slugify(black_box("Project Management Tools 2025")).unwrap())
    });
    c.bench_function("slugify slug", |b| {
        b.iter(|| slugify(black_box("project-management-tools-2025")).unwrap())
    });
    c.bench_function("slugify non-latin", |b| {
        b.iter(|| slugify(black_box("東京 セール Straße Café")).unwrap())
    });

    let tagged = tag(&messy).unwrap().url;
    c.bench_function("lint tagged URL", |b| b.iter(|| lint(black_box(&tagged))));
}

criterion_group!(tagging, benches);
criterion_main!(tagging);
