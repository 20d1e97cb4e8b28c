//! What a landing page carries for measurement, read with a real HTML parser (html5ever via
//! scraper): the GA4 tag or a Tag Manager container, the OpenAI ads pixel and where it sits,
//! whether it measures `page_viewed`, and a `<meta http-equiv=refresh>` redirect (which the
//! fetcher follows like an HTTP one). Script *contents* are JavaScript, not HTML: the calls
//! `gtag('config', …)` and `oaiq('init' | 'measure', …)` are read from them with a small
//! tokenizer of quoted arguments.

pub use super::PageReport;
use super::{next_url, CheckCode, CheckFinding};
use scraper::{ElementRef, Html, Selector};

/// What the SDK's URL contains (OpenAI's loader: `https://bzrcdn.openai.com/sdk/oaiq.min.js`).
const SDK_PATH: &str = "bzrcdn.openai.com/sdk/oaiq";
/// The script a third-party guide named, which is not OpenAI's SDK.
const OUTDATED_SCRIPT: &str = "ads.openai.com/pixel.js";

/// Most bytes of a page that are read (the rest is not parsed).
pub const MAX_PAGE_BYTES: usize = 2 << 20;

fn in_head(element: &ElementRef) -> bool {
    element
        .ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| a.value().name() == "head")
}

/// The first (up to) two arguments of each call `name(` in `script`: quoted strings (their
/// text) and object literals (their text from `{` to the first `}`, braces included).
fn calls<'a>(script: &'a str, name: &str) -> Vec<Vec<&'a str>> {
    let mut found = Vec::new();
    let needle = format!("{name}(");
    let mut rest = script;
    while let Some(at) = rest.find(&needle) {
        rest = &rest[at + needle.len()..];
        let mut args = Vec::new();
        let mut text = rest;
        while args.len() < 2 {
            text = text.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
            match text.chars().next() {
                Some(quote @ ('"' | '\'' | '`')) => {
                    let Some(end) = text[1..].find(quote) else {
                        break;
                    };
                    args.push(&text[1..1 + end]);
                    text = &text[end + 2..];
                }
                Some('{') => {
                    let Some(end) = text.find('}') else {
                        break;
                    };
                    args.push(&text[..=end]);
                    text = &text[end + 1..];
                }
                _ => break,
            }
        }
        found.push(args);
    }
    found
}

/// The `pixelId` of an `init` object literal (`{ pixelId: "…", debug: true }`).
fn pixel_id_in(object: &str) -> Option<&str> {
    let at = object.find("pixelId")?;
    let rest = object[at + "pixelId".len()..]
        .trim_start_matches(['"', '\''])
        .trim_start();
    let rest = rest.strip_prefix(':')?.trim_start();
    let quote = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let end = rest[1..].find(quote)?;
    Some(&rest[1..1 + end])
}

/// The `id` query parameter of a script URL.
fn id_param(src: &str) -> Option<String> {
    let query = src.split_once('?')?.1;
    crate::query::pieces(query)
        .find(|p| crate::query::key_of(p) == "id")
        .map(|p| crate::query::decode(crate::query::value_of(p)).into_owned())
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if !value.is_empty() && !list.contains(&value) {
        list.push(value);
    }
}

/// Reads a landing page (at most [`MAX_PAGE_BYTES`] of it) found at `page_url`.
pub fn inspect(html: &str, page_url: &str) -> PageReport {
    let mut cut = html.len().min(MAX_PAGE_BYTES);
    while !html.is_char_boundary(cut) {
        cut -= 1;
    }
    let document = Html::parse_document(&html[..cut]);
    let mut report = PageReport::default();
    let mut bad_ga4 = Vec::new();
    // What an outdated installation (a third-party guide's) shows: its script, `init` with a string.
    let mut outdated = Vec::new();
    let scripts = Selector::parse("script").expect("a valid selector");
    for script in document.select(&scripts) {
        let head = in_head(&script);
        let mut pixel_here = false;
        if let Some(src) = script.value().attr("src") {
            if src.contains("googletagmanager.com/gtag/js") {
                match id_param(src) {
                    Some(id) if id.starts_with("G-") => push_unique(&mut report.ga4_ids, id),
                    Some(id) if id.starts_with("GTM-") => push_unique(&mut report.gtm_ids, id),
                    Some(id) => push_unique(&mut bad_ga4, id),
                    None => {}
                }
            } else if src.contains("googletagmanager.com/gtm.js") {
                if let Some(id) = id_param(src) {
                    push_unique(&mut report.gtm_ids, id);
                }
            } else if src.contains(SDK_PATH) {
                pixel_here = true;
            } else if src.contains(OUTDATED_SCRIPT) {
                pixel_here = true;
                push_unique(
                    &mut outdated,
                    format!("it loads {src}, which is not OpenAI's Pixel SDK"),
                );
            }
        }
        let text: String = script.text().collect();
        // OpenAI's loader names the SDK's URL in the inline script that inserts it.
        if text.contains(SDK_PATH) {
            pixel_here = true;
        } else if text.contains(OUTDATED_SCRIPT) {
            pixel_here = true;
            push_unique(
                &mut outdated,
                format!("it loads https://{OUTDATED_SCRIPT}, which is not OpenAI's Pixel SDK"),
            );
        }
        for args in calls(&text, "gtag") {
            if let ["config", id] = args.as_slice() {
                if id.starts_with("G-") {
                    push_unique(&mut report.ga4_ids, (*id).to_owned());
                } else if !id.starts_with("AW-") && !id.starts_with("DC-") {
                    push_unique(&mut bad_ga4, (*id).to_owned());
                }
            }
        }
        if text.contains("googletagmanager.com/gtm.js") {
            for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
                if word.starts_with("GTM-") && word.len() > 4 {
                    push_unique(&mut report.gtm_ids, word.to_owned());
                }
            }
        }
        for args in calls(&text, "oaiq") {
            pixel_here = true;
            match args.as_slice() {
                ["init", object] if object.starts_with('{') => {
                    if let Some(id) = pixel_id_in(object) {
                        push_unique(&mut report.pixel_ids, id.to_owned());
                    }
                }
                ["init", id] => {
                    push_unique(&mut report.pixel_ids, (*id).to_owned());
                    push_unique(&mut outdated, format!("it calls oaiq(\"init\", \"{id}\") with a string; the SDK takes an object: oaiq(\"init\", {{ pixelId: \"{id}\" }})"));
                }
                ["measure", "page_viewed", ..] => report.page_viewed = true,
                _ => {}
            }
        }
        if pixel_here {
            // In <head> only if every piece of it is there.
            report.pixel_in_head = Some(report.pixel_in_head.unwrap_or(true) && head);
        }
    }
    let metas = Selector::parse("meta[http-equiv]").expect("a valid selector");
    for meta in document.select(&metas) {
        let equiv = meta.value().attr("http-equiv").unwrap_or("");
        if !equiv.eq_ignore_ascii_case("refresh") {
            continue;
        }
        let content = meta.value().attr("content").unwrap_or("");
        // `5; url=/next` (the quotes and the `url=` are optional).
        if let Some((_, target)) = content.split_once(';') {
            let target = target.trim();
            let target = target
                .get(..4)
                .filter(|p| p.eq_ignore_ascii_case("url="))
                .map_or(target, |_| &target[4..]);
            let target = target.trim().trim_matches(['"', '\'']);
            if !target.is_empty() {
                report.meta_refresh = next_url(page_url, target).ok();
                break;
            }
        }
    }
    let mut finding = |code: CheckCode, message: String| {
        report.findings.push(CheckFinding::new(code, None, message));
    };
    if report.ga4_ids.is_empty() && report.gtm_ids.is_empty() {
        finding(
            CheckCode::NoGa4,
            "the page has no GA4 tag (gtag.js with a G- id) and no Tag Manager container: GA4 records nothing here".into(),
        );
    }
    for id in &bad_ga4 {
        finding(
            CheckCode::BadGa4Id,
            format!(
                "{id} is not a GA4 measurement id (G-…): Universal Analytics ids no longer collect"
            ),
        );
    }
    match report.pixel_in_head {
        None => finding(
            CheckCode::NoPixel,
            "the page does not load the OpenAI ads pixel: ChatGPT ads cannot see conversions here".into(),
        ),
        Some(false) => finding(
            CheckCode::PixelInBody,
            "the ads pixel is in <body>: it misses what happens before it loads; move it into <head>".into(),
        ),
        Some(true) => {}
    }
    for why in outdated {
        finding(
            CheckCode::OutdatedPixel,
            format!("the ads pixel is installed as an outdated guide describes it: {why}; OpenAI's SDK measures nothing this way (use the Tracking page's snippet)"),
        );
    }
    let bad_pixel: Vec<String> = report
        .pixel_ids
        .iter()
        .filter(|id| crate::measure::pixel_id_of(id).is_err())
        .cloned()
        .collect();
    let has_pixel = report.pixel_in_head.is_some();
    let page_viewed = report.page_viewed;
    for id in bad_pixel {
        report.findings.push(CheckFinding::new(
            CheckCode::BadPixelId,
            None,
            format!("the pixel id “{}” is not one OpenAI issues (letters, digits, - or _, copied from the conversions tab of Ads Manager)", crate::notice::clip(&id, 80)),
        ));
    }
    if has_pixel && !page_viewed {
        report.findings.push(CheckFinding::new(
            CheckCode::NoPageViewed,
            None,
            "the pixel never measures page_viewed: add oaiq(\"measure\", \"page_viewed\", { type: \"contents\" }) after init".into(),
        ));
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    // OpenAI's documented loader, init with an object, page_viewed with its data type.
    const PIXEL: &str = r#"<script>
  (function (w, d, s, u) {
    if (w.oaiq) return;
    var q = function () { q.q.push(arguments); };
    q.q = []; w.oaiq = q;
    var js = d.createElement(s); js.async = true; js.src = u;
    var f = d.getElementsByTagName(s)[0]; f.parentNode.insertBefore(js, f);
  })(window, document, "script", "https://bzrcdn.openai.com/sdk/oaiq.min.js");
  oaiq("init", { pixelId: "AbC123xyz987DEF456ghij" });
  oaiq("measure", "page_viewed", { type: "contents" });
</script>"#;
    // A third-party guide's installation: another script, init with a string.
    const OUTDATED: &str = r#"<script async src="https://ads.openai.com/pixel.js"></script>
<script>window.oaiq=window.oaiq||function(){(oaiq.q=oaiq.q||[]).push(arguments)}; oaiq("init", "oai-px-123abc"); oaiq("measure", "page_viewed");</script>"#;
    const GTAG: &str = r#"<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123"></script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}gtag('js', new Date());gtag('config', 'G-ABC123');</script>"#;

    fn page(head: &str, body: &str) -> String {
        format!("<!DOCTYPE html><html><head><title>x</title>{head}</head><body><p>Hi</p>{body}</body></html>")
    }

    fn codes(html: &str) -> Vec<CheckCode> {
        inspect(html, "https://example.com/landing")
            .findings
            .into_iter()
            .map(|f| f.code)
            .collect()
    }

    #[test]
    fn a_page_with_ga4_and_the_pixel_in_head_is_clean() {
        let report = inspect(&page(&format!("{GTAG}{PIXEL}"), ""), "https://example.com/");
        assert_eq!(report.findings, []);
        assert_eq!(report.ga4_ids, ["G-ABC123"]);
        assert_eq!(report.pixel_ids, ["AbC123xyz987DEF456ghij"]);
        assert_eq!(
            (report.pixel_in_head, report.page_viewed),
            (Some(true), true)
        );
    }

    #[test]
    fn what_a_page_lacks_or_misplaces() {
        assert_eq!(codes(&page(PIXEL, "")), [CheckCode::NoGa4]);
        assert_eq!(codes(&page(GTAG, "")), [CheckCode::NoPixel]);
        assert_eq!(codes(&page(GTAG, PIXEL)), [CheckCode::PixelInBody]);
        let no_view = PIXEL.replace(
            r#"oaiq("measure", "page_viewed", { type: "contents" });"#,
            "",
        );
        assert_eq!(
            codes(&page(&format!("{GTAG}{no_view}"), "")),
            [CheckCode::NoPageViewed]
        );
        let bad_pixel = PIXEL.replace("AbC123xyz987DEF456ghij", "123 abc");
        assert_eq!(
            codes(&page(&format!("{GTAG}{bad_pixel}"), "")),
            [CheckCode::BadPixelId]
        );
        let ua = GTAG.replace("G-ABC123", "UA-1234-1");
        assert_eq!(
            codes(&page(&format!("{ua}{PIXEL}"), "")),
            [CheckCode::NoGa4, CheckCode::BadGa4Id]
        );
    }

    #[test]
    fn an_outdated_installation_is_named_with_the_id_it_found() {
        let report = inspect(
            &page(&format!("{GTAG}{OUTDATED}"), ""),
            "https://example.com/",
        );
        assert_eq!(report.pixel_ids, ["oai-px-123abc"]);
        let outdated: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.code == CheckCode::OutdatedPixel)
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(outdated.len(), 2, "{outdated:?}");
        assert!(outdated[0].contains("it loads https://ads.openai.com/pixel.js"));
        assert!(outdated[1].contains(r#"oaiq("init", { pixelId: "oai-px-123abc" })"#));
        // The old id itself is a valid opaque id: no bad-pixel-id.
        assert!(!report
            .findings
            .iter()
            .any(|f| f.code == CheckCode::BadPixelId));
    }

    #[test]
    fn a_tag_manager_container_counts_as_ga4() {
        let gtm = r#"<script>(function(w,d,s,l,i){var j=d.createElement(s);j.src='https://www.googletagmanager.com/gtm.js?id='+i;})(window,document,'script','dataLayer','GTM-XYZ789');</script>"#;
        let report = inspect(&page(&format!("{gtm}{PIXEL}"), ""), "https://example.com/");
        assert_eq!(report.gtm_ids, ["GTM-XYZ789"]);
        assert_eq!(report.findings, []);
    }

    #[test]
    fn text_that_only_mentions_the_tags_is_not_a_tag() {
        // In a paragraph or a comment, not a script: the parser knows the difference.
        let body = r#"<p>We use gtag('config', 'G-FAKE1') and oaiq("init", "oai-px-fake")</p><!-- <script>gtag('config','G-X')</script> -->"#;
        assert_eq!(
            codes(&page("", body)),
            [CheckCode::NoGa4, CheckCode::NoPixel]
        );
    }

    #[test]
    fn a_meta_refresh_is_read_and_resolved() {
        let head = r#"<meta http-equiv="Refresh" content="0; URL='/deals?utm_source=chatgpt'">"#;
        let report = inspect(&page(head, ""), "https://example.com/shop/");
        assert_eq!(
            report.meta_refresh.as_deref(),
            Some("https://example.com/deals?utm_source=chatgpt")
        );
        let report = inspect(
            &page(r#"<meta http-equiv="refresh" content="30">"#, ""),
            "https://example.com/",
        );
        assert_eq!(
            report.meta_refresh, None,
            "a plain reload is not a redirect"
        );
    }

    #[test]
    fn only_the_first_two_mebibytes_are_read() {
        let padding = "<p>é</p>".repeat(MAX_PAGE_BYTES / 8);
        let late = page(&padding, PIXEL);
        assert!(late.len() > MAX_PAGE_BYTES);
        assert!(
            codes(&late).contains(&CheckCode::NoPixel),
            "the pixel is past the limit"
        );
    }
}
