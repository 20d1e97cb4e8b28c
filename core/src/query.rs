//! Query strings and fragments taken apart the one way tagging and lint both read them:
//! `&`-separated pieces kept byte for byte, keys compared after percent-decoding, values read
//! as a form would send them (`+` is a space).

use std::borrow::Cow;

/// The non-empty `&`-separated pieces of a query (or of a fragment's parameters), as written.
pub fn pieces(query: &str) -> impl Iterator<Item = &str> {
    query.split('&').filter(|p| !p.is_empty())
}

/// The key of a `key=value` piece (the whole piece when it has no `=`).
pub fn key_of(piece: &str) -> &str {
    piece.split_once('=').map_or(piece, |(k, _)| k)
}

/// The value of a `key=value` piece, as written (empty when it has no `=`).
pub fn value_of(piece: &str) -> &str {
    piece.split_once('=').map_or("", |(_, v)| v)
}

/// A value as a form would send it: `+` is a space, `%xx` a byte (invalid UTF-8 replaced).
pub fn decode(value: &str) -> Cow<'_, str> {
    if value.contains(['%', '+']) {
        let plus = value.replace('+', " ");
        Cow::Owned(
            percent_encoding::percent_decode_str(&plus)
                .decode_utf8_lossy()
                .into_owned(),
        )
    } else {
        Cow::Borrowed(value)
    }
}

/// True for a query or fragment key that names a UTM parameter, in any letter case and with
/// any percent-encoding (`UTM_Source`, `utm%5Fsource`).
pub fn is_utm_key(raw_key: &str) -> bool {
    let key: Cow<str> = if raw_key.contains('%') {
        percent_encoding::percent_decode_str(raw_key).decode_utf8_lossy()
    } else {
        Cow::Borrowed(raw_key)
    };
    key.len() > 4 && key.as_bytes()[..4].eq_ignore_ascii_case(b"utm_")
}

/// Splits UTM parameters out of a fragment. Handles `#utm_source=x&section`,
/// `#section&utm_medium=cpc` and `#/route?utm_source=x&b=2`. Returns the fragment without them
/// and the removed pieces.
pub fn strip_fragment_utms(fragment: &str) -> (Cow<'_, str>, Vec<&str>) {
    if !fragment.to_ascii_lowercase().contains("utm") {
        return (Cow::Borrowed(fragment), Vec::new());
    }
    // A "head" before a '?' (a client-side route) is kept whole.
    let (head, params, had_question) = match fragment.split_once('?') {
        Some((head, params)) => (head, params, true),
        None => ("", fragment, false),
    };
    let mut removed = Vec::new();
    let mut kept = Vec::new();
    for piece in params.split('&') {
        if is_utm_key(key_of(piece)) {
            removed.push(piece);
        } else {
            kept.push(piece);
        }
    }
    if removed.is_empty() {
        return (Cow::Borrowed(fragment), removed);
    }
    let kept: Vec<&str> = kept.into_iter().filter(|p| !p.is_empty()).collect();
    (
        Cow::Owned(join_fragment(head, had_question, &kept)),
        removed,
    )
}

/// A fragment put back together: its head, then the parameters kept after a `?`. When none are
/// kept the `?` goes too — unless the head itself reads as UTM parameters (`#utm_x=1?…`): without
/// the `?` the head would be taken for parameters the next time, and tagging a tagged URL would
/// change it (found by the fuzzer).
pub fn join_fragment(head: &str, had_question: bool, kept: &[&str]) -> String {
    let mut out = String::from(head);
    let head_reads_as_utm = pieces(head).any(|p| is_utm_key(key_of(p)));
    if had_question && (!kept.is_empty() || head_reads_as_utm) {
        out.push('?');
    }
    out.push_str(&kept.join("&"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_utm_keys_in_any_case_and_encoding_but_not_at_the_boundary() {
        for key in ["utm_source", "UTM_Source", "utm%5Fsource", "utm_x"] {
            assert!(is_utm_key(key), "{key}");
        }
        for key in ["utm_", "utm", "utmsource", "utm-source", "u", "", "utm%5F"] {
            assert!(!is_utm_key(key), "{key}");
        }
    }

    #[test]
    fn a_fragment_head_that_reads_as_utm_keeps_its_question_mark() {
        let (once, removed) = strip_fragment_utms("utm_a=3?utm_b=1");
        assert_eq!((once.as_ref(), removed), ("utm_a=3?", vec!["utm_b=1"]));
        let (twice, removed) = strip_fragment_utms(&once);
        assert_eq!((twice.as_ref(), removed.len()), ("utm_a=3?", 0));
        // A route keeps only what it had.
        assert_eq!(strip_fragment_utms("/pricing?utm_b=1").0, "/pricing");
        assert_eq!(
            strip_fragment_utms("/pricing?utm_b=1&x=2").0,
            "/pricing?x=2"
        );
    }

    #[test]
    fn pieces_keep_bytes_and_values_decode_like_forms() {
        let q = "q=a%20b&&x=1+2&flag&empty=";
        let all: Vec<&str> = pieces(q).collect();
        assert_eq!(all, ["q=a%20b", "x=1+2", "flag", "empty="]);
        assert_eq!((key_of("flag"), value_of("flag")), ("flag", ""));
        assert_eq!(decode(value_of(all[1])), "1 2");
        assert_eq!(decode("a%20b"), "a b");
    }
}
