//! Display helpers (presentation only; no domain rules).

/// Unix milliseconds as `2026-11-26 14:05 UTC`. The same on the server and in the browser, so
/// hydration never changes the text.
pub fn timestamp(ms: i64) -> String {
    let (date, rem) = date_and_seconds(ms);
    format!("{date} {:02}:{:02} UTC", rem / 3600, (rem % 3600) / 60)
}

/// `2026-11-26 14:30:05 UTC`: to the second, where minutes are not enough (a link history).
pub fn timestamp_seconds(ms: i64) -> String {
    let (date, rem) = date_and_seconds(ms);
    format!(
        "{date} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// The UTC date of `ms` and the seconds since that midnight.
fn date_and_seconds(ms: i64) -> (String, i64) {
    (
        utmforge_core::time::date(ms),
        ms.div_euclid(1000).rem_euclid(86_400),
    )
}

/// `n` with a comma between each group of three digits: 1,000 creatives.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `value` as a query-string value: everything but unreserved characters percent-encoded.
pub fn query_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_grouped_by_thousands() {
        for (n, text) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (120_000, "120,000"),
            (1_234_567, "1,234,567"),
        ] {
            assert_eq!(super::thousands(n), text);
        }
    }

    #[test]
    fn query_values_are_escaped() {
        assert_eq!(
            super::query_escape("spring sale&x=1/ü"),
            "spring%20sale%26x%3D1%2F%C3%BC"
        );
    }

    #[test]
    fn formats_utc_timestamps() {
        assert_eq!(super::timestamp(0), "1970-01-01 00:00 UTC");
        assert_eq!(super::timestamp(1_795_000_000_000), "2026-11-18 11:06 UTC");
        assert_eq!(super::timestamp(951_782_400_000), "2000-02-29 00:00 UTC");
        assert_eq!(
            super::timestamp_seconds(1_795_000_005_999),
            "2026-11-18 11:06:45 UTC"
        );
    }
}
