//! The Pixel itself: OpenAI's loader, `init`, the page view, consent, the `<noscript>` image
//! tag, the GA4 tag beside it, and a nonce'd variant of any inline script.

use super::*;

/// `oaiq("init", {pixelId: …})`, with `debug: true` when asked.
pub(super) fn init_js(settings: &TrackingSettings) -> String {
    let debug = if settings.debug { ", debug: true" } else { "" };
    format!(
        "oaiq(\"init\", {{ pixelId: {}{debug} }});",
        js_string(&settings.pixel_id)
    )
}

pub(super) const PAGE_VIEWED_JS: &str = r#"oaiq("measure", "page_viewed", { type: "contents" });"#;

/// The pixel's base snippet as JavaScript (no `<script>` tags): OpenAI's documented loader
/// (the `oaiq` queue, the SDK inserted asynchronously before the first script), then — with
/// the consent option — `oaiq("consent", false)`, then `init` and, unless consent is still to
/// be asked, `page_viewed`.
pub fn base_js(settings: &TrackingSettings) -> String {
    let mut js = format!(
        r#"(function (w, d, s, u) {{
  if (w.oaiq) return;
  var q = function () {{
    q.q.push(arguments);
  }};
  q.q = [];
  w.oaiq = q;
  var js = d.createElement(s);
  js.async = true;
  js.src = u;
  var f = d.getElementsByTagName(s)[0];
  f.parentNode.insertBefore(js, f);
}})(window, document, "script", {url});
"#,
        url = js_string(PIXEL_SCRIPT_URL),
    );
    if settings.consent {
        js.push_str("oaiq(\"consent\", false);\n");
        js.push_str(&init_js(settings));
        js.push_str("\n// page_viewed is sent when consent is granted: see the consent snippet.");
    } else {
        js.push_str(&init_js(settings));
        js.push('\n');
        js.push_str(PAGE_VIEWED_JS);
    }
    js
}

/// The call that grants consent, for the site's consent banner: the SDK sends nothing while
/// consent is false and does not replay what it blocked, so the page view is sent here.
pub fn consent_grant_js() -> String {
    format!(
        "// When the visitor agrees to advertising measurement (your consent banner's callback),\n// on every page, before the event snippets run:\noaiq(\"consent\", true);\n{PAGE_VIEWED_JS}\n// If the visitor withdraws it later: oaiq(\"consent\", false);"
    )
}

/// The image tag: `page_viewed` for browsers without JavaScript (OpenAI's no-JavaScript pixel).
pub fn image_tag_html(settings: &TrackingSettings) -> String {
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("pid", &settings.pixel_id)
        .append_pair("event", "page_viewed")
        .append_pair("data[type]", DataType::Contents.as_str())
        .finish();
    format!(
        "<noscript><img src=\"{IMAGE_TAG_URL}?{}\" width=\"1\" height=\"1\" alt=\"\"></noscript>",
        query.replace('&', "&amp;")
    )
}

/// GA4's own tag (gtag.js) for the measurement id, when one is set.
pub fn ga4_tag_html(settings: &TrackingSettings) -> Option<String> {
    let id = settings.measurement_id.as_deref()?;
    Some(format!(
        r#"<script async src="https://www.googletagmanager.com/gtag/js?id={id}"></script>
<script>
window.dataLayer = window.dataLayer || [];
function gtag() {{ dataLayer.push(arguments); }}
gtag("js", new Date());
gtag("config", {id_js});
</script>"#,
        id = id,
        id_js = js_string(id),
    ))
}

/// The pixel's base snippet for the top of `<head>` (with the image-tag fallback where asked).
pub(super) fn base_html(settings: &TrackingSettings, image_tag: bool) -> String {
    let mut html = format!(
        "<!-- OpenAI ads pixel (utmforge): at the top of <head> on every page -->\n<script>\n{}\n</script>",
        base_js(settings)
    );
    if image_tag && !settings.consent {
        html.push('\n');
        html.push_str(&image_tag_html(settings));
    }
    if let Some(ga4) = ga4_tag_html(settings) {
        html.push_str("\n<!-- Google tag (GA4) -->\n");
        html.push_str(&ga4);
    }
    html
}

/// `code` with `nonce="{{CSP_NONCE}}"` on every `<script` tag (the code is ours: every
/// `<script` in it is a tag).
pub fn with_nonce(code: &str) -> String {
    code.replace("<script", &format!("<script nonce=\"{NONCE_PLACEHOLDER}\""))
}
