//! Time, in one place: milliseconds since 1970 from the forms a sheet holds (milliseconds or
//! ISO 8601 with a zone), and back to ISO 8601 or a UTC day, with the civil-calendar maths
//! they share (Howard Hinnant's algorithms).

fn clip(s: &str) -> String {
    crate::notice::clip(s, 60)
}

/// Milliseconds since 1970 from a number of milliseconds or ISO 8601 with a time zone
/// (`2026-11-26T14:30:00Z`, `2026-11-26 14:30:00.250+01:00`).
pub fn parse_timestamp(input: &str) -> Result<i64, String> {
    let s = input.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        let ms: i64 = s
            .parse()
            .map_err(|_| format!("“{}” is too large to be a time", clip(s)))?;
        if ms < 100_000_000_000 {
            return Err(format!(
                "“{s}” looks like seconds, not milliseconds: multiply by 1000 (or give ISO 8601)"
            ));
        }
        return Ok(ms);
    }
    iso8601(s).ok_or_else(|| {
        format!(
            "“{}” is not a time: give milliseconds since 1970 or ISO 8601 with a time zone, such as 2026-11-26T14:30:00Z",
            clip(s)
        )
    })
}

fn digits(s: &[u8]) -> Option<i64> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

fn iso8601(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 17
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
    {
        return None;
    }
    let (year, month, day) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    let (hour, minute) = (digits(&b[11..13])?, digits(&b[14..16])?);
    let mut i = 16;
    let mut second = 0;
    let mut millis = 0;
    if b.get(i) == Some(&b':') {
        second = digits(b.get(i + 1..i + 3)?)?;
        i += 3;
        if b.get(i) == Some(&b'.') {
            let start = i + 1;
            let mut end = start;
            while end < b.len() && b[end].is_ascii_digit() {
                end += 1;
            }
            if end == start {
                return None;
            }
            let frac = &b[start..end.min(start + 3)];
            millis = digits(frac)? * 10_i64.pow(3 - frac.len() as u32);
            i = end;
        }
    }
    let offset_min = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') => {
            let rest = &b[i + 1..];
            let (h, m) = match rest.len() {
                5 if rest[2] == b':' => (digits(&rest[0..2])?, digits(&rest[3..5])?),
                4 => (digits(&rest[0..2])?, digits(&rest[2..4])?),
                2 => (digits(rest)?, 0),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let total = h * 60 + m;
            if *sign == b'+' {
                total
            } else {
                -total
            }
        }
        _ => return None,
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month[(month - 1) as usize]
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some((((days * 24 + hour) * 60 + minute - offset_min) * 60 + second) * 1000 + millis)
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-11-26T14:30:00.000Z`.
pub fn format_ms(ms: i64) -> String {
    let (y, m, d) = civil_from_days(ms.div_euclid(86_400_000));
    let rem = ms.rem_euclid(86_400_000);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

/// Whether `s` is a real day written `YYYY-MM-DD` (the month has that day).
pub fn is_day(s: &str) -> bool {
    s.len() == 10 && parse_timestamp(&format!("{s}T00:00:00Z")).is_ok()
}

/// Unix milliseconds as a UTC date, `2026-11-26`.
pub fn date(ms: i64) -> String {
    let (y, m, d) = civil_from_days(ms.div_euclid(86_400_000));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a Gregorian date.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The time, in one place: the store stamps its rows with it and the use cases read it, so a
/// test that fixes or moves it moves both (the date a file is named after, session expiry, the
/// brute-force window, `created_at`).
#[derive(Debug, Clone, Default)]
pub enum Clock {
    #[default]
    System,
    /// Always this instant (Unix milliseconds).
    Fixed(i64),
    /// An instant a test moves forward.
    Manual(std::sync::Arc<std::sync::atomic::AtomicI64>),
}

impl Clock {
    /// Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        match self {
            Clock::Fixed(ms) => *ms,
            Clock::Manual(ms) => ms.load(std::sync::atomic::Ordering::Relaxed),
            Clock::System => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64),
        }
    }
}
