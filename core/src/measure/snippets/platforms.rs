//! The kit per platform: plain HTML, Shopify (Liquid, amounts in cents), WordPress, Next.js
//! (the pixel server-rendered in the root layout's `<head>`).

use super::*;

pub(super) fn html_kit(settings: &TrackingSettings, events: &[ConversionEvent]) -> PlatformKit {
    let mut snippets = vec![snippet(
        "html-base".into(),
        "Base snippet".into(),
        if settings.consent {
            "At the top of <head> on every page, before any other script: in <body> the pixel misses early events."
        } else {
            "At the top of <head> on every page, before any other script: in <body> the pixel misses early events. The <noscript> image tag counts the page view of browsers without JavaScript."
        },
        base_html(settings, true),
    )];
    for &e in events {
        snippets.push(snippet(
            format!("html-{}", e.as_str()),
            format!("{} event", e.as_str()),
            &format!(
                "On the page where {} happens (e.g. the confirmation page), once per conversion. {} No image-tag fallback here: its URL would carry the event id, and OpenAI's image-tag page forbids customer ids in the query; the Conversions API covers browsers without JavaScript.",
                e.label().to_lowercase(),
                placeholders_note(e, &settings.currency)
            ),
            event_html(e, settings),
        ));
    }
    PlatformKit {
        key: "html".into(),
        name: "Plain HTML".into(),
        intro: "Any site whose templates you edit.".into(),
        snippets,
    }
}

/// Liquid for an amount Shopify holds in cents (always hundredths, whatever the currency) as
/// the currency's minor unit.
pub(super) fn shopify_amount(liquid: &str, currency: &str) -> String {
    match currency_exponent(currency) {
        0 => format!("{{{{ {liquid} | divided_by: 100 }}}}"),
        3 => format!("{{{{ {liquid} | times: 10 }}}}"),
        _ => format!("{{{{ {liquid} }}}}"),
    }
}

pub(super) fn shopify_kit(settings: &TrackingSettings, events: &[ConversionEvent]) -> PlatformKit {
    let mut snippets = vec![snippet(
        "shopify-base".into(),
        "theme.liquid".into(),
        "Online Store › Themes › Edit code › layout/theme.liquid: just after <head>, before any other script.",
        base_html(settings, false),
    )];
    for &e in events {
        if e == ConversionEvent::OrderCreated {
            let args = format!(
                "{{\n  amount: {amount},\n  orderId: \"{{{{ checkout.order_id }}}}\",\n  contents: [{{% for item in checkout.line_items %}}{{ id: \"{{{{ item.variant_id }}}}\", name: {{{{ item.title | json }}}}, content_type: \"product\", quantity: {{{{ item.quantity }}}}, amount: {item_amount} }}{{% unless forloop.last %}}, {{% endunless %}}{{% endfor %}}],\n  eventId: \"order_created_{{{{ checkout.order_id }}}}_{{{{ checkout.created_at | date: '%s' }}}}000\"\n}}",
                amount = shopify_amount("checkout.total_price", &settings.currency),
                item_amount = shopify_amount("item.final_price", &settings.currency),
            );
            snippets.push(snippet(
                "shopify-order_created".into(),
                "order_created event (order status page)".into(),
                &format!("Settings › Checkout › Order status page › Additional scripts (checkout pages do not load theme.liquid, so the base snippet comes along). Liquid has the amounts in cents already; they are sent as integers in {}'s minor unit, with each line item as contents. The event id uses the order number as USER: your Conversions API sender must build it the same way (order_created_ORDERID_CREATEDATMS).", settings.currency),
                format!(
                    "{{% if first_time_accessed %}}\n<script>\n{}\n({})({});\n</script>\n{{% endif %}}",
                    base_js(settings),
                    event_function_js(e, &settings.currency, Money::Amount, true),
                    args,
                ),
            ));
        } else {
            snippets.push(snippet(
                format!("shopify-{}", e.as_str()),
                format!("{} event", e.as_str()),
                &format!(
                    "In the template of the page where {} happens (Edit code). {}",
                    e.label().to_lowercase(),
                    placeholders_note(e, &settings.currency)
                ),
                event_html(e, settings),
            ));
        }
    }
    PlatformKit {
        key: "shopify".into(),
        name: "Shopify".into(),
        intro: "The base snippet in theme.liquid; the order on the order status page, filled by Liquid.".into(),
        snippets,
    }
}

pub(super) fn wordpress_kit(
    settings: &TrackingSettings,
    events: &[ConversionEvent],
) -> PlatformKit {
    let mut snippets = vec![snippet(
        "wordpress-base".into(),
        "Header".into(),
        "With a header plugin (e.g. WPCode “Insert Headers and Footers”): Code Snippets › Header & Footer › Header, first in the list.",
        base_html(settings, true),
    )];
    for &e in events {
        snippets.push(snippet(
            format!("wordpress-{}", e.as_str()),
            format!("{} event", e.as_str()),
            &format!("On the thank-you page only (a page-specific snippet, or a Custom HTML block). {} In WooCommerce, fill them in the woocommerce_thankyou hook.", placeholders_note(e, &settings.currency)),
            event_html(e, settings),
        ));
    }
    PlatformKit {
        key: "wordpress".into(),
        name: "WordPress".into(),
        intro: "Through a header plugin: no theme edits.".into(),
        snippets,
    }
}

/// The root layout: the pixel (and GA4's tag) in `<head>`, as inline scripts the server renders.
pub(super) fn nextjs_layout(settings: &TrackingSettings, nonce: bool) -> String {
    let attr = if nonce { " nonce={nonce}" } else { "" };
    let ga4 = settings
        .measurement_id
        .as_deref()
        .map(|id| {
            format!(
                "\n        <script async src={{{src}}}{attr} />\n        <script id=\"google-tag\"{attr} dangerouslySetInnerHTML={{{{ __html: GOOGLE_TAG }}}} />",
                src = js_string(&format!("https://www.googletagmanager.com/gtag/js?id={id}")),
            )
        })
        .unwrap_or_default();
    let ga4_const = settings
        .measurement_id
        .as_deref()
        .map(|id| {
            format!(
                "\nconst GOOGLE_TAG = {};\n",
                template_literal(&format!(
                    "window.dataLayer = window.dataLayer || [];\nfunction gtag() {{ dataLayer.push(arguments); }}\ngtag(\"js\", new Date());\ngtag(\"config\", {});",
                    js_string(id)
                ))
            )
        })
        .unwrap_or_default();
    let (imports, signature, read_nonce) = if nonce {
        (
            "import { headers } from \"next/headers\";\n\n",
            "export default async function RootLayout",
            "  // The nonce your middleware put in the Content-Security-Policy (Next.js's CSP guide).\n  const nonce = (await headers()).get(\"x-nonce\") ?? undefined;\n",
        )
    } else {
        ("", "export default function RootLayout", "")
    };
    format!(
        r#"{imports}// The OpenAI ads pixel, first in <head> of every page (a server-rendered inline script: it
// runs before hydration, so early events are not lost).
const OPENAI_PIXEL = {pixel};
{ga4_const}
{signature}({{ children }}: {{ children: React.ReactNode }}) {{
{read_nonce}  return (
    <html lang="en">
      <head>
        <script id="openai-ads-pixel"{attr} dangerouslySetInnerHTML={{{{ __html: OPENAI_PIXEL }}}} />{ga4}
      </head>
      <body>{{children}}</body>
    </html>
  );
}}"#,
        pixel = template_literal(&base_js(settings)),
    )
}

pub(super) fn nextjs_kit(settings: &TrackingSettings, events: &[ConversionEvent]) -> PlatformKit {
    let mut snippets = vec![Snippet {
        key: "nextjs-base".into(),
        title: "app/layout.tsx".into(),
        place: "The App Router's root layout: every page gets the pixel at the top of <head>."
            .into(),
        code: nextjs_layout(settings, false),
        code_with_nonce: Some(nextjs_layout(settings, true)),
    }];
    for &e in events {
        let inputs = inputs(e);
        let args = format!(
            "{{ {} }}",
            inputs.iter().map(|i| i.key).collect::<Vec<_>>().join(", ")
        );
        let types = format!(
            "{{ {} }}",
            inputs
                .iter()
                .map(|i| format!("{}: {}", i.key, i.ts))
                .collect::<Vec<_>>()
                .join("; ")
        );
        let name: String = e
            .as_str()
            .split('_')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            })
            .collect();
        let function = event_function_js(e, &settings.currency, Money::Value, false);
        snippets.push(snippet(
            format!("nextjs-{}", e.as_str()),
            format!("{name}.tsx"),
            &format!("A client component rendered on the page where {} happens; the server component passes the values (value in {} as a plain number), and eventId = \"{}_\" + userId + \"_\" + timestampMs, the id it also sends through the Conversions API.", e.label().to_lowercase(), settings.currency, e.as_str()),
            format!(
                r#""use client";
import {{ useEffect }} from "react";

declare global {{
  interface Window {{ oaiq: (...args: unknown[]) => void; gtag?: (...args: unknown[]) => void }}
}}

type Values = {types};

// The pixel is in <head> (app/layout.tsx), so oaiq is there before this runs.
const measure: (v: Values) => void = {function};

export function {name}({args}: Values) {{
  useEffect(() => {{
    measure({args});
  }}, [eventId]);
  return null;
}}"#
            ),
        ));
    }
    PlatformKit {
        key: "nextjs".into(),
        name: "Next.js".into(),
        intro:
            "The pixel in the App Router's root layout <head>; a client component per conversion."
                .into(),
        snippets,
    }
}
