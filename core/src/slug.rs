//! Slugs: the only form a `utm_campaign`, `utm_content` or `utm_term` value takes.
//!
//! 1. Transliterate to ASCII (`Café Crème` → `cafe creme`, `Straße` → `strasse`, other scripts
//!    to their Latin reading), then lowercase.
//! 2. Every run of characters outside `[a-z0-9]` becomes one separator.
//! 3. No separator at either end; never two in a row.
//! 4. At most [`MAX_SLUG_LEN`] characters, cut at a separator boundary.
//! 5. A value with no letters or digits left is an error.
//! 6. Slugging a slug returns it unchanged.

use std::fmt;

/// GA4 truncates longer parameter values.
pub const MAX_SLUG_LEN: usize = 100;

/// The character between words of a slug. A workspace chooses one; `-` is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Separator {
    #[default]
    #[serde(rename = "-")]
    Hyphen,
    #[serde(rename = "_")]
    Underscore,
}

impl Separator {
    pub fn as_char(self) -> char {
        match self {
            Separator::Hyphen => '-',
            Separator::Underscore => '_',
        }
    }
}

/// The value had no letter or digit that could make a slug (e.g. `"!!!"`, `"   "`, `"🎉"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmptySlug;

impl fmt::Display for EmptySlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("has no letters or digits to make a slug from")
    }
}

impl std::error::Error for EmptySlug {}

/// Slugs `input` with the default `-` separator.
pub fn slugify(input: &str) -> Result<String, EmptySlug> {
    slugify_with(input, Separator::Hyphen)
}

/// Slugs `input` with the given separator.
pub fn slugify_with(input: &str, separator: Separator) -> Result<String, EmptySlug> {
    slug_with_report(input, separator).map(|(slug, _)| slug)
}

/// Slugs `input`; the flag tells whether the slug was cut to [`MAX_SLUG_LEN`].
pub fn slug_with_report(input: &str, separator: Separator) -> Result<(String, bool), EmptySlug> {
    let sep = separator.as_char();
    let mut out = String::with_capacity(input.len().min(MAX_SLUG_LEN + 1));
    // A separator is only written once the next alphanumeric arrives: none at the ends,
    // never two in a row.
    let mut pending_sep = false;
    for c in input.chars() {
        if c.is_ascii() {
            push_ascii(c, sep, &mut out, &mut pending_sep);
        } else if let Some(ascii) = deunicode::deunicode_char(c) {
            // Transliterations of separate symbols are words of their own (`北京` → `bei jing`).
            for t in ascii.chars() {
                push_ascii(t, sep, &mut out, &mut pending_sep);
            }
            if ascii.ends_with(' ') {
                pending_sep = true;
            }
        } else {
            pending_sep = true;
        }
        if out.len() > MAX_SLUG_LEN + 1 {
            break;
        }
    }
    if out.is_empty() {
        return Err(EmptySlug);
    }
    let truncated = out.len() > MAX_SLUG_LEN;
    Ok((truncate(out, sep), truncated))
}

fn push_ascii(c: char, sep: char, out: &mut String, pending_sep: &mut bool) {
    let c = c.to_ascii_lowercase();
    if c.is_ascii_alphanumeric() {
        if *pending_sep && !out.is_empty() {
            out.push(sep);
        }
        *pending_sep = false;
        out.push(c);
    } else {
        *pending_sep = true;
    }
}

/// Cuts a slug to [`MAX_SLUG_LEN`] characters at the last separator that fits; a single word
/// longer than that is cut at the limit.
fn truncate(mut slug: String, sep: char) -> String {
    if slug.len() <= MAX_SLUG_LEN {
        return slug;
    }
    // The character just past the limit being a separator means the cut falls on a boundary.
    let cut = if slug.as_bytes()[MAX_SLUG_LEN] == sep as u8 {
        MAX_SLUG_LEN
    } else {
        slug[..MAX_SLUG_LEN].rfind(sep).unwrap_or(MAX_SLUG_LEN)
    };
    slug.truncate(cut);
    slug
}

/// True when `value` is already a slug with this separator (slugging it changes nothing).
pub fn is_slug(value: &str, separator: Separator) -> bool {
    let sep = separator.as_char() as u8;
    let bytes = value.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_SLUG_LEN
        && bytes[0] != sep
        && bytes[bytes.len() - 1] != sep
        && bytes
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == sep)
        && !bytes.windows(2).any(|w| w[0] == sep && w[1] == sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(input: &str) -> String {
        slugify(input).unwrap()
    }

    #[test]
    fn transliterates_then_lowercases() {
        assert_eq!(s("Café Crème"), "cafe-creme");
        assert_eq!(s("Straße"), "strasse");
        assert_eq!(s("Ørsted Ångström"), "orsted-angstrom");
        assert_eq!(s("Spring Sale 2025"), "spring-sale-2025");
    }

    #[test]
    fn other_scripts_get_their_latin_reading() {
        assert_eq!(s("北京"), "bei-jing");
        assert_eq!(s("Москва"), "moskva");
        assert_eq!(s("東京 セール"), "dong-jing-seru");
        assert_eq!(s("Αθήνα"), "athena");
    }

    #[test]
    fn runs_of_other_characters_become_one_separator() {
        assert_eq!(
            s("project -- management / tools"),
            "project-management-tools"
        );
        assert_eq!(s("a_b.c+d%20e"), "a-b-c-d-20e");
        assert_eq!(s("Q4: B2B & SaaS!"), "q4-b2b-saas");
    }

    #[test]
    fn no_separator_at_either_end() {
        assert_eq!(s("  --Hello--  "), "hello");
        assert_eq!(s("!!!deal!!!"), "deal");
    }

    #[test]
    fn underscore_separator() {
        assert_eq!(
            slugify_with("Black Friday — 2025", Separator::Underscore).unwrap(),
            "black_friday_2025"
        );
        assert_eq!(
            slugify_with("black-friday", Separator::Underscore).unwrap(),
            "black_friday"
        );
    }

    #[test]
    fn long_values_are_cut_at_a_separator() {
        let words = "word ".repeat(40); // "word-word-…", 199 characters as a slug
        let slug = s(&words);
        assert!(slug.len() <= MAX_SLUG_LEN);
        assert_eq!(slug.len(), 99, "{slug}"); // 20 words of 4 plus 19 separators
        assert!(!slug.ends_with('-'));
        // A single word over the limit is cut at the limit.
        assert_eq!(s(&"x".repeat(150)), "x".repeat(100));
        // A cut exactly on a boundary keeps the whole last word.
        let exact = format!("{} {}", "a".repeat(100), "b");
        assert_eq!(s(&exact), "a".repeat(100));
    }

    #[test]
    fn nothing_left_is_an_error() {
        assert_eq!(slugify(""), Err(EmptySlug));
        assert_eq!(slugify("   "), Err(EmptySlug));
        assert_eq!(slugify("!!! ---"), Err(EmptySlug));
        assert_eq!(slugify("— … ¿?"), Err(EmptySlug));
    }

    #[test]
    fn slugging_a_slug_changes_nothing() {
        for slug in ["spring-sale-2025", "a", "headline-v2-long-desc", "x1"] {
            assert!(is_slug(slug, Separator::Hyphen));
            assert_eq!(s(slug), slug);
        }
        assert!(!is_slug("Spring", Separator::Hyphen));
        assert!(!is_slug("a--b", Separator::Hyphen));
        assert!(!is_slug("-a", Separator::Hyphen));
        assert!(!is_slug("a_b", Separator::Hyphen));
        assert!(is_slug("a_b", Separator::Underscore));
    }
}
