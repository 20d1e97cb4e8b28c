//! Invariants of tagging and slugging, over generated input.

use proptest::prelude::*;
use utmforge_core::query::is_utm_key;
use utmforge_core::{
    lint, slugify, slugify_with, tag, BuyingModel, Separator, TagOptions, TagRequest, Tagger,
};

const OUR_KEYS: [&str; 5] = [
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_content",
    "utm_term",
];

/// A key that is not ours, also right at the `utm_` boundary (`u`, `utm`, `utm_`, `utmx`,
/// `utm-source`, `UTM`), where a prefix check that is off by one would take it for ours.
fn foreign_key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-tv-z][a-z0-9_.~-]{0,8}",
        2 => "[uU][a-zA-Z0-9_.~-]{0,8}".prop_filter("not a UTM key", |k| !is_utm_key(k)),
        1 => prop::sample::select(vec!["u", "ut", "utm", "utm_", "utmsource", "utm-source", "UTM", "utm.source", "utm%5F"])
            .prop_map(String::from),
    ]
}

/// A query piece that is not ours, already in WHATWG-serialized form.
fn foreign_piece() -> impl Strategy<Value = String> {
    (
        foreign_key(),
        prop::option::of("[A-Za-z0-9%+=._~:/-]{0,12}"),
    )
        .prop_map(|(k, v)| match v {
            Some(v) => format!("{k}={v}"),
            None => k,
        })
}

/// An existing UTM piece in any letter case.
fn utm_piece() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "utm_source",
            "UTM_Source",
            "utm_MEDIUM",
            "utm_campaign",
            "Utm_Term",
            "utm_id",
            "utm_foo",
        ]),
        "[A-Za-z0-9-]{0,8}",
    )
        .prop_map(|(k, v)| format!("{k}={v}"))
}

fn any_piece() -> impl Strategy<Value = (bool, String)> {
    prop_oneof![
        3 => foreign_piece().prop_map(|p| (true, p)),
        1 => utm_piece().prop_map(|p| (false, p)),
    ]
}

fn landing() -> impl Strategy<Value = (String, Vec<String>)> {
    (
        prop::sample::select(vec![
            "https://example.com",
            "http://shop.example.co.uk:8080",
            "example.org",
            "https://bücher.de",
        ]),
        "(/[a-zA-Z0-9._-]{0,8}){0,3}",
        prop::collection::vec(any_piece(), 0..8),
        prop::option::of("[a-z0-9/-]{0,8}"),
    )
        .prop_map(|(origin, path, pieces, fragment)| {
            let foreign: Vec<String> = pieces
                .iter()
                .filter(|(f, _)| *f)
                .map(|(_, p)| p.clone())
                .collect();
            let query: Vec<String> = pieces.into_iter().map(|(_, p)| p).collect();
            let mut url = format!("{origin}{path}");
            if !query.is_empty() {
                url.push('?');
                url.push_str(&query.join("&"));
            }
            if let Some(f) = fragment {
                url.push('#');
                url.push_str(&f);
            }
            (url, foreign)
        })
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,3}",
        "\\PC{1,30}".prop_filter("has a letter or digit", |s| slugify(s).is_ok()),
    ]
}

fn request() -> impl Strategy<Value = (TagRequest, Vec<String>)> {
    (
        landing(),
        value(),
        any::<bool>(),
        prop::option::of(value()),
        prop::option::of(value()),
    )
        .prop_map(|((url, foreign), campaign, cpm, content, term)| {
            (
                TagRequest {
                    url,
                    campaign,
                    medium: if cpm {
                        BuyingModel::Cpm
                    } else {
                        BuyingModel::Cpc
                    },
                    content,
                    term,
                    id: None,
                },
                foreign,
            )
        })
}

fn is_slug_shape(s: &str, sep: char) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.split(sep).all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn tagged_output_parses_and_is_serialized((req, _) in request()) {
        let tagged = tag(&req).unwrap();
        let parsed = url::Url::parse(&tagged.url).unwrap();
        prop_assert_eq!(parsed.as_str(), tagged.url.as_str());
    }

    #[test]
    fn foreign_parameters_keep_bytes_and_order((req, foreign) in request()) {
        let tagged = tag(&req).unwrap();
        let parsed = url::Url::parse(&tagged.url).unwrap();
        let kept: Vec<&str> = parsed
            .query()
            .unwrap()
            .split('&')
            .filter(|p| !is_utm_key(p.split('=').next().unwrap()))
            .collect();
        prop_assert_eq!(kept, foreign.iter().map(String::as_str).collect::<Vec<_>>());
    }

    #[test]
    fn ours_appear_once_each_in_order_at_the_end((req, _) in request()) {
        let tagged = tag(&req).unwrap();
        let parsed = url::Url::parse(&tagged.url).unwrap();
        let keys: Vec<String> = parsed.query().unwrap().split('&')
            .map(|p| p.split('=').next().unwrap().to_string())
            .filter(|k| is_utm_key(k))
            .collect();
        let expected: Vec<&str> = OUR_KEYS
            .iter()
            .copied()
            .filter(|k| match *k {
                "utm_content" => req.content.is_some(),
                "utm_term" => req.term.is_some(),
                _ => true,
            })
            .collect();
        prop_assert_eq!(keys, expected);
        let last = parsed.query().unwrap().rsplit('&').next().unwrap().split('=').next().unwrap();
        prop_assert_eq!(last, *OUR_KEYS.iter().rev().find(|k| match **k {
            "utm_term" => req.term.is_some(),
            "utm_content" => req.content.is_some(),
            _ => true,
        }).unwrap());
    }

    #[test]
    fn tagging_is_idempotent((req, _) in request()) {
        let once = tag(&req).unwrap();
        let again = tag(&TagRequest { url: once.url.clone(), ..req }).unwrap();
        prop_assert_eq!(&again.url, &once.url);
        prop_assert!(again.warnings.iter().all(|w| w.field != utmforge_core::Field::Url
            || matches!(w.code, utmforge_core::Code::InsecureHttp)), "{:?}", again.warnings);
    }

    #[test]
    fn a_tagged_url_lints_clean_but_for_http_and_term((req, _) in request()) {
        let tagged = tag(&req).unwrap();
        let report = lint(&tagged.url);
        for f in &report.findings {
            prop_assert!(
                matches!(f.code.as_str(), "not-https" | "content-missing" | "term-missing"),
                "{} on {}", f.code, tagged.url
            );
        }
    }

    #[test]
    fn slugs_have_the_slug_shape_and_are_fixed_points(input in "\\PC{0,200}") {
        if let Ok(slug) = slugify(&input) {
            prop_assert!(is_slug_shape(&slug, '-'), "{:?} → {:?}", input, slug);
            prop_assert_eq!(slugify(&slug).unwrap(), slug.clone());
        }
        if let Ok(slug) = slugify_with(&input, Separator::Underscore) {
            prop_assert!(is_slug_shape(&slug, '_'), "{:?} → {:?}", input, slug);
            prop_assert_eq!(slugify_with(&slug, Separator::Underscore).unwrap(), slug.clone());
        }
    }

    #[test]
    fn tag_and_lint_never_panic(url in "\\PC{0,120}", campaign in "\\PC{0,20}") {
        let _ = tag(&TagRequest { url: url.clone(), campaign, ..TagRequest::default() });
        let _ = lint(&url);
    }

    /// A batch tagger remembers work between rows; what it returns must be exactly what a
    /// fresh `tag` returns, for repeated rows, errors and when its memory overflows.
    #[test]
    fn a_batch_tagger_returns_what_tag_returns(
        pool in prop::collection::vec(prop_oneof![
            request().prop_map(|(r, _)| r),
            ("\\PC{0,60}", "\\PC{0,12}", prop::option::of("\\PC{0,8}"), prop::option::of("[ a-zA-Z0-9.~_-]{0,6}"))
                .prop_map(|(url, campaign, content, id)| TagRequest { url, campaign, content, id, ..TagRequest::default() }),
        ], 1..6),
        picks in prop::collection::vec(0usize..6, 1..40),
    ) {
        let mut small = Tagger::with_memory(TagOptions::default(), 3);
        let mut large = Tagger::new(TagOptions::default());
        for pick in picks {
            let request = &pool[pick % pool.len()];
            let expected = tag(request);
            for tagger in [&mut small, &mut large] {
                let got = tagger.tag(request.as_input()).map(|t| t.to_owned());
                prop_assert_eq!(&got, &expected);
            }
        }
    }
}
