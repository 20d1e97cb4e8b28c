//! Destination (landing) URLs: from what a person typed to a parsed, checked WHATWG URL.
//!
//! - Whitespace is trimmed. `example.com/pricing` (no scheme) and `example.com:8080/pricing`
//!   (a host and port, not a scheme named `example.com`) get `https://`, with a warning.
//! - Only http and https; relative URLs and other schemes are errors; http is a warning.
//! - Credentials (`user:pass@`) are an error.
//! - The host is lowercased and IDN is converted to punycode by the WHATWG parser; an IP address,
//!   `localhost` or a single-label name is a warning, judged from the parsed host type.
//! - A port is kept unless it is the scheme's default (the WHATWG parser drops those).

use crate::notice::{Code, Field, Notice};
use url::{Host, Url};

/// Schemes that are never a host name, even when digits follow the colon (`mailto:123`).
const KNOWN_SCHEMES: &[&str] = &[
    "http",
    "https",
    "ftp",
    "ftps",
    "sftp",
    "mailto",
    "javascript",
    "data",
    "file",
    "tel",
    "sms",
    "ws",
    "wss",
    "blob",
    "about",
    "chrome",
    "intent",
    "market",
    "itms-apps",
];

/// A landing URL that passed every check, with the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Destination {
    pub url: Url,
    pub warnings: Vec<Notice>,
}

fn error(code: Code, message: impl Into<String>) -> Notice {
    Notice::new(code, Field::Url, message)
}

/// Parses and checks a landing URL as a person typed it.
pub fn parse_destination(input: &str) -> Result<Destination, Notice> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(error(Code::InvalidUrl, "the landing URL is empty"));
    }
    let mut warnings = Vec::new();

    let scheme_added = !has_scheme(trimmed)?;
    let url = if scheme_added {
        Url::parse(&format!("https://{trimmed}"))
    } else {
        Url::parse(trimmed)
    }
    .map_err(|e| {
        error(
            Code::InvalidUrl,
            format!("“{}” is not a valid URL: {e}", shorten(trimmed)),
        )
    })?;

    match url.scheme() {
        "https" => {}
        "http" => warnings.push(error(
            Code::InsecureHttp,
            "the landing page uses http: browsers may warn visitors; use https if the site supports it",
        )),
        other => {
            return Err(error(
                Code::SchemeNotAllowed,
                format!("only http and https landing pages can be tagged, not “{other}:”"),
            ))
        }
    }

    if !url.username().is_empty() || url.password().is_some() {
        return Err(error(
            Code::CredentialsInUrl,
            "the URL contains a user name or password (user:pass@): remove them, they would be visible to everyone who sees the ad",
        ));
    }

    match url.host() {
        Some(Host::Domain(domain)) => {
            let is_localhost = domain == "localhost" || domain.ends_with(".localhost");
            if !is_localhost && !domain.contains('.') && scheme_added {
                return Err(error(
                    Code::InvalidUrl,
                    format!(
                        "“{}” is not a web address: give the full domain, e.g. example.com/pricing",
                        shorten(trimmed)
                    ),
                ));
            }
            if is_localhost || !domain.contains('.') {
                warnings.push(error(
                    Code::HostNotPublic,
                    format!("“{domain}” is not a public address: people who click the ad cannot reach it"),
                ));
            }
        }
        Some(Host::Ipv4(_)) | Some(Host::Ipv6(_)) => warnings.push(error(
            Code::HostIsIp,
            "the host is an IP address, not a public landing page's domain",
        )),
        None => return Err(error(Code::InvalidUrl, "the URL has no host")),
    }

    if scheme_added {
        // First, so that it reads before the others.
        warnings.insert(
            0,
            error(
                Code::SchemeAdded,
                "no scheme given: https:// was added; check that the page is served over https",
            ),
        );
    }
    Ok(Destination { url, warnings })
}

/// Whether the input starts with a scheme. `Err` for relative URLs.
fn has_scheme(input: &str) -> Result<bool, Notice> {
    if input.starts_with(['/', '\\', '.', '?', '#']) {
        return Err(error(
            Code::RelativeUrl,
            format!(
                "“{}” is a relative URL: give the full address of the landing page, e.g. https://example.com/pricing",
                shorten(input)
            ),
        ));
    }
    let Some(colon) = input.find(':') else {
        return Ok(false);
    };
    let candidate = &input[..colon];
    let valid_scheme = candidate
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic())
        && candidate
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !valid_scheme {
        // Something like "example.com/a:b" or "my site:": the colon is not a scheme's.
        return Ok(false);
    }
    if KNOWN_SCHEMES.contains(&candidate.to_ascii_lowercase().as_str()) {
        return Ok(true);
    }
    let rest = &input[colon + 1..];
    // "user:pass@example.com": credentials, not a scheme named "user".
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if rest[..authority_end].contains('@') {
        return Ok(false);
    }
    // "example.com:8080/pricing", "localhost:3000": a host and a port.
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let after_port = &rest[digits..];
    let is_port =
        digits > 0 && (after_port.is_empty() || after_port.starts_with(['/', '?', '#', '\\']));
    Ok(!is_port)
}

/// Cuts long input for messages.
pub(crate) fn shorten(s: &str) -> String {
    const MAX: usize = 80;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> Destination {
        parse_destination(input).unwrap_or_else(|e| panic!("{input}: {e}"))
    }

    fn codes(d: &Destination) -> Vec<Code> {
        d.warnings.iter().map(|w| w.code).collect()
    }

    fn err(input: &str) -> Code {
        parse_destination(input).unwrap_err().code
    }

    #[test]
    fn clean_https_url_has_no_warnings() {
        let d = ok("https://www.example.com/pricing?plan=pro");
        assert!(d.warnings.is_empty());
        assert_eq!(d.url.as_str(), "https://www.example.com/pricing?plan=pro");
    }

    #[test]
    fn whitespace_is_trimmed() {
        assert_eq!(
            ok("  https://example.com/a \n").url.as_str(),
            "https://example.com/a"
        );
    }

    #[test]
    fn missing_scheme_gets_https_with_a_warning() {
        let d = ok("example.com/pricing");
        assert_eq!(d.url.as_str(), "https://example.com/pricing");
        assert_eq!(codes(&d), [Code::SchemeAdded]);
    }

    #[test]
    fn host_and_port_is_not_a_scheme() {
        let d = ok("example.com:8080/pricing");
        assert_eq!(d.url.as_str(), "https://example.com:8080/pricing");
        assert_eq!(codes(&d), [Code::SchemeAdded]);
        assert_eq!(
            ok("shop.example.com:8443").url.as_str(),
            "https://shop.example.com:8443/"
        );
    }

    #[test]
    fn default_ports_are_dropped_others_kept() {
        assert_eq!(
            ok("https://example.com:443/a").url.as_str(),
            "https://example.com/a"
        );
        assert_eq!(
            ok("http://example.com:80/a").url.as_str(),
            "http://example.com/a"
        );
        assert_eq!(
            ok("https://example.com:80/a").url.as_str(),
            "https://example.com:80/a"
        );
    }

    #[test]
    fn only_http_and_https() {
        assert_eq!(err("javascript:alert(1)"), Code::SchemeNotAllowed);
        assert_eq!(err("JavaScript:alert(1)"), Code::SchemeNotAllowed);
        assert_eq!(err("data:text/html,<b>hi</b>"), Code::SchemeNotAllowed);
        assert_eq!(err("ftp://files.example.com/a.zip"), Code::SchemeNotAllowed);
        assert_eq!(err("mailto:sales@example.com"), Code::SchemeNotAllowed);
        let message = parse_destination("ftp://x.example.com")
            .unwrap_err()
            .message;
        assert!(message.contains("ftp:"), "{message}");
    }

    #[test]
    fn http_is_allowed_with_a_warning() {
        let d = ok("http://example.com/");
        assert_eq!(codes(&d), [Code::InsecureHttp]);
    }

    #[test]
    fn relative_urls_are_errors() {
        assert_eq!(err("/pricing"), Code::RelativeUrl);
        assert_eq!(err("//example.com/pricing"), Code::RelativeUrl);
        assert_eq!(err("./a"), Code::RelativeUrl);
        assert_eq!(err("?utm_source=x"), Code::RelativeUrl);
    }

    #[test]
    fn empty_and_garbage_are_errors() {
        assert_eq!(err(""), Code::InvalidUrl);
        assert_eq!(err("   "), Code::InvalidUrl);
        assert_eq!(err("pricing"), Code::InvalidUrl);
        assert_eq!(err("https://exa mple.com/"), Code::InvalidUrl);
        assert_eq!(err("https://example.com:99999/"), Code::InvalidUrl);
        assert_eq!(err("https:///"), Code::InvalidUrl);
    }

    #[test]
    fn credentials_are_errors() {
        assert_eq!(
            err("https://user:pass@example.com/"),
            Code::CredentialsInUrl
        );
        assert_eq!(err("https://user@example.com/"), Code::CredentialsInUrl);
        assert_eq!(err("user:pass@example.com"), Code::CredentialsInUrl);
    }

    #[test]
    fn host_is_lowercased_and_idn_becomes_punycode() {
        assert_eq!(
            ok("https://WWW.Example.COM/Path").url.as_str(),
            "https://www.example.com/Path"
        );
        assert_eq!(
            ok("https://bücher.de/").url.as_str(),
            "https://xn--bcher-kva.de/"
        );
        assert_eq!(
            ok("münchen.example/angebote").url.as_str(),
            "https://xn--mnchen-3ya.example/angebote"
        );
    }

    #[test]
    fn ip_and_localhost_are_warnings_judged_from_the_host_type() {
        assert_eq!(codes(&ok("https://192.168.1.10/")), [Code::HostIsIp]);
        assert_eq!(codes(&ok("https://[::1]:8080/")), [Code::HostIsIp]);
        assert_eq!(
            codes(&ok("http://localhost:3000/")),
            [Code::InsecureHttp, Code::HostNotPublic]
        );
        assert_eq!(
            codes(&ok("localhost:3000/x")),
            [Code::SchemeAdded, Code::HostNotPublic]
        );
        // Not an IP address: a domain whose last label is not numeric.
        assert!(ok("https://192.168.257.com/").warnings.is_empty());
        // The WHATWG parser reads these as IPv4 addresses.
        assert_eq!(codes(&ok("https://0x7f.1/")), [Code::HostIsIp]);
    }
}
