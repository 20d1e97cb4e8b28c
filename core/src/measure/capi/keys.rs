//! User match keys: each identifier normalized exactly as OpenAI documents, then SHA-256 as
//! 64 lowercase hex characters — on this machine, so the raw value never leaves it.
//! Geographic values, the IP address and the user agent are sent raw, checked only for what
//! the documentation says of them.

use sha2::{Digest, Sha256};

/// SHA-256 of `s` (UTF-8) as 64 lowercase hex characters.
pub fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A hash as the API takes it: 64 lowercase hex characters.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn shown(s: &str) -> String {
    crate::notice::clip(s, 40)
}

/// An email: trimmed and lowercased.
pub fn email(raw: &str) -> Result<String, String> {
    let e = raw.trim().to_lowercase();
    if e.is_empty() || !e.contains('@') {
        return Err(format!("“{}” is not an email address", shown(raw)));
    }
    Ok(e)
}

/// A phone number: the country code kept; spaces, `(`, `)`, `.` and `-` removed; a leading `+`
/// and leading zeros dropped; then 8–15 digits (`+1 (415) 555-2671` → `14155552671`).
pub fn phone(raw: &str) -> Result<String, String> {
    let stripped: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '(' | ')' | '.' | '-'))
        .collect();
    let digits = stripped.strip_prefix('+').unwrap_or(&stripped);
    let digits = digits.trim_start_matches('0');
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !(8..=15).contains(&digits.len()) {
        return Err(format!(
            "“{}” is not a phone number with its country code (8 to 15 digits, e.g. +1 415 555 2671)",
            shown(raw)
        ));
    }
    Ok(digits.to_string())
}

/// An external id: trimmed, its case kept.
pub fn external_id(raw: &str) -> Result<String, String> {
    let id = raw.trim();
    if id.is_empty() {
        return Err("the external id is empty".into());
    }
    Ok(id.to_string())
}

/// A first or last name: lowercased, whitespace and ASCII punctuation removed, other
/// characters kept (`O'Connor` → `oconnor`, `Zoë` → `zoë`).
pub fn name(raw: &str) -> Result<String, String> {
    let n: String = raw
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation())
        .collect();
    if n.is_empty() {
        return Err(format!("“{}” has no letters", shown(raw)));
    }
    Ok(n)
}

/// A country: ISO 3166-1 alpha-2 (`US`), upper-cased.
pub fn country(raw: &str) -> Result<String, String> {
    let c = raw.trim().to_ascii_uppercase();
    if c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(c)
    } else {
        Err(format!(
            "“{}” is not a two-letter ISO 3166-1 country code (US, DE, …)",
            shown(raw)
        ))
    }
}

/// A city: at most 128 characters (OpenAI trims and lowercases it).
pub fn city(raw: &str) -> Result<String, String> {
    let c = raw.trim();
    if c.is_empty() || c.chars().count() > 128 {
        return Err(format!(
            "“{}” is not a city of 1–128 characters",
            shown(raw)
        ));
    }
    Ok(c.to_string())
}

/// A postal code: letters, digits, spaces and hyphens, at most 32.
pub fn postal_code(raw: &str) -> Result<String, String> {
    let z = raw.trim();
    let ok = !z.is_empty()
        && z.chars().count() <= 32
        && z.chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || c == '-');
    if ok {
        Ok(z.to_string())
    } else {
        Err(format!(
            "“{}” is not a postal code (letters, digits, spaces and hyphens, at most 32)",
            shown(raw)
        ))
    }
}

/// An IPv4 or IPv6 address.
pub fn ip_address(raw: &str) -> Result<String, String> {
    raw.trim()
        .parse::<std::net::IpAddr>()
        .map(|ip| ip.to_string())
        .map_err(|_| format!("“{}” is not an IPv4 or IPv6 address", shown(raw)))
}

/// An Android advertising id in UUID form (`38400000-8cf0-11bd-b23e-10b96e40000d`).
pub fn advertising_id(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    let groups: Vec<&str> = s.split('-').collect();
    let ok = groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()));
    if ok {
        Ok(s.to_ascii_lowercase())
    } else {
        Err(format!(
            "“{}” is not an Android advertising id in UUID form",
            shown(raw)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_normalized_as_documented() {
        assert_eq!(
            email("  Jane.Doe@Example.COM ").unwrap(),
            "jane.doe@example.com"
        );
        assert_eq!(phone("+1 (415) 555-2671").unwrap(), "14155552671");
        assert_eq!(phone("0049 30 1234567").unwrap(), "49301234567");
        assert!(phone("555-1234").is_err());
        assert!(phone("+1 415 555 2671 ext 3").is_err());
        assert_eq!(external_id("  CRM-42a ").unwrap(), "CRM-42a");
        assert_eq!(name("O'Connor").unwrap(), "oconnor");
        assert_eq!(name(" Mary Ann ").unwrap(), "maryann");
        assert_eq!(name("Zoë").unwrap(), "zoë");
        assert_eq!(country("us").unwrap(), "US");
        assert!(country("USA").is_err());
        assert!(postal_code("94103-1234").is_ok());
        assert!(postal_code("94103;").is_err());
        assert!(ip_address("2001:db8::1").is_ok());
        assert!(ip_address("300.1.1.1").is_err());
    }

    #[test]
    fn hashes_are_64_lowercase_hex() {
        // echo -n jane.doe@example.com | sha256sum
        let h = sha256_hex("jane.doe@example.com");
        assert!(is_sha256_hex(&h));
        assert_eq!(
            sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(!is_sha256_hex(&h.to_uppercase()));
    }
}
