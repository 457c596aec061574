//! When an event happened, as `query --since` and `stats` read it: one
//! definition, used by the Python package too (`pii_tagger.archive.eventtime`).
//!
//! The time is the first of [`TIME_KEYS`] that holds a usable value:
//!
//! * an ISO 8601 string: a date `2026-11-25` (or `20261125`), optionally
//!   followed by `T` or a space and a time `10`, `10:05`, `10:05:09`,
//!   `1005` or `100509`, seconds optionally with a fraction after `.` or `,`
//!   (python-json-logger's `asctime`: `2026-11-25 10:05:09,123`; digits past
//!   microseconds are cut), then optionally a zone `Z`, `±02`, `±02:00`,
//!   `±0200` or `±02:00:30`; without a zone it is UTC. Week and ordinal
//!   dates are not read.
//! * an epoch number, or a string of one (structlog's `TimeStamper()` writes
//!   float seconds): seconds, or milliseconds, microseconds or nanoseconds
//!   when it is too large to be seconds (below 1e11 seconds, 1e14 ms, 1e17 µs,
//!   1e20 ns), rounded to the microsecond (half to even). Numbers below 1e8
//!   (1973-03-03 in seconds) are durations or counters, not times.
//!
//! Times are microseconds since 1970-01-01 UTC.

use crate::json::Json;

/// Where an event's time is looked for, in this order.
pub const TIME_KEYS: [&str; 4] = ["timestamp", "@timestamp", "time", "asctime"];

/// Below this a number is not taken for a time.
const SECONDS_FROM: f64 = 1e8;
/// (below, units per second): how an epoch number is read by its size.
const SCALES: [(f64, f64); 4] = [(1e11, 1.0), (1e14, 1e3), (1e17, 1e6), (1e20, 1e9)];
const MICROS: i64 = 1_000_000;

/// The time a JSON value gives (a string or a number), in microseconds.
pub fn moment(value: &Json<'_>) -> Option<i64> {
    match value {
        Json::String(s) => text_moment(s),
        Json::Number(n) => n.parse::<f64>().ok().and_then(epoch_moment),
        _ => None,
    }
}

/// The time of a text: ISO 8601, or an epoch number written as text.
pub fn text_moment(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.as_bytes().get(4) == Some(&b'-') {
        return iso_moment(text);
    }
    match decimal(text) {
        Some(number) => epoch_moment(number),
        None => iso_moment(text),
    }
}

/// A decimal number (`12`, `-1.5`, `1e9`, `.5`), as Python's `float()` reads one
/// (`inf` and `nan` too: they are no time).
fn decimal(text: &str) -> Option<f64> {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let named = ["inf", "infinity", "nan"].iter().any(|n| body.eq_ignore_ascii_case(n));
    let digits = body.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if named || (digits && body.bytes().any(|b| b.is_ascii_digit())) {
        text.parse().ok()
    } else {
        None
    }
}

/// An epoch number scaled by its size, or None (see the module).
pub fn epoch_moment(number: f64) -> Option<i64> {
    if !number.is_finite() || number < SECONDS_FROM {
        return None;
    }
    let &(_, per_second) = SCALES.iter().find(|(below, _)| number < *below)?;
    let seconds = number / per_second;
    let whole = seconds.trunc();
    // As Python's timedelta(seconds=...) rounds: the whole seconds exactly, the rest half to even.
    Some(whole as i64 * MICROS + ((seconds - whole) * 1e6).round_ties_even() as i64)
}

/// An ISO 8601 date and time (see the module), or None.
pub fn iso_moment(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let mut at = 0;
    let year = digits(b, &mut at, 4)?;
    let dashed = eat(b, &mut at, b'-');
    let month = digits(b, &mut at, 2)?;
    if dashed && !eat(b, &mut at, b'-') {
        return None;
    }
    let day = digits(b, &mut at, 2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) || year < 1 {
        return None;
    }
    let mut micros = days_from_civil(year, month, day) * 86_400 * MICROS;
    if at == b.len() {
        return Some(micros);
    }
    if !matches!(b[at], b'T' | b' ') {
        return None;
    }
    at += 1;
    let (hour, minute, second, fraction) = clock(b, &mut at)?;
    micros += ((hour * 60 + minute) * 60 + second) * MICROS + fraction;
    if at < b.len() {
        micros -= zone(b, &mut at)?;
    }
    (at == b.len()).then_some(micros)
}

/// `HH[:MM[:SS[.f]]]` or `HH[MM[SS[.f]]]`: hours, minutes, seconds, microseconds.
fn clock(b: &[u8], at: &mut usize) -> Option<(i64, i64, i64, i64)> {
    let hour = digits(b, at, 2)?;
    let (mut minute, mut second, mut fraction) = (0, 0, 0);
    let colons = b.get(*at) == Some(&b':');
    let more = |at: &usize| if colons { b.get(*at) == Some(&b':') } else { b.get(*at).is_some_and(u8::is_ascii_digit) };
    if more(at) {
        *at += usize::from(colons);
        minute = digits(b, at, 2)?;
        if more(at) {
            *at += usize::from(colons);
            second = digits(b, at, 2)?;
            if matches!(b.get(*at), Some(b'.' | b',')) {
                *at += 1;
                let start = *at;
                while b.get(*at).is_some_and(u8::is_ascii_digit) {
                    *at += 1;
                }
                if *at == start {
                    return None;
                }
                let kept = &b[start..(*at).min(start + 6)];
                let value = kept.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
                fraction = value * 10i64.pow(6 - kept.len() as u32);
            }
        }
    }
    (hour < 24 && minute < 60 && second < 60).then_some((hour, minute, second, fraction))
}

/// `Z`, `±HH`, `±HH:MM`, `±HHMM`, `±HH:MM:SS`: the offset from UTC in microseconds.
fn zone(b: &[u8], at: &mut usize) -> Option<i64> {
    let sign = match b.get(*at)? {
        b'Z' => {
            *at += 1;
            return Some(0);
        }
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    *at += 1;
    let (hours, minutes, seconds, fraction) = clock(b, at)?;
    (fraction == 0).then_some(sign * (((hours * 60 + minutes) * 60 + seconds) * MICROS))
}

fn digits(b: &[u8], at: &mut usize, n: usize) -> Option<i64> {
    let part = b.get(*at..*at + n)?;
    if !part.iter().all(u8::is_ascii_digit) {
        return None;
    }
    *at += n;
    Some(part.iter().fold(0, |v, d| v * 10 + i64::from(d - b'0')))
}

fn eat(b: &[u8], at: &mut usize, byte: u8) -> bool {
    let hit = b.get(*at) == Some(&byte);
    *at += usize::from(hit);
    hit
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a date of the proleptic Gregorian calendar.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day counted from 1970-01-01: (year, month, day).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// `2026-11-25T10:05`: the UTC minute of a time (cut it for hours and days).
pub fn minute_name(micros: i64) -> String {
    let minutes = micros.div_euclid(60 * MICROS);
    let (year, month, day) = civil_from_days(minutes.div_euclid(1440));
    let in_day = minutes.rem_euclid(1440);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}", in_day / 60, in_day % 60)
}

/// An event's time: the first of [`TIME_KEYS`] whose member (in order, a key
/// written twice read twice) holds a usable one.
pub fn event_moment(members: &[(std::borrow::Cow<'_, str>, Json<'_>)]) -> Option<i64> {
    TIME_KEYS.iter().find_map(|key| members.iter().filter(|(k, _)| k == key).find_map(|(_, v)| moment(v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_795_602_600 * MICROS; // 2026-11-25T10:30:00Z

    #[test]
    fn iso_forms() {
        for (text, expected) in [
            ("2026-11-25T10:30:00Z", Some(T)),
            ("2026-11-25T12:30:00+02:00", Some(T)),
            ("2026-11-25T12:30:00+0200", Some(T)),
            ("2026-11-25T12:30+02", Some(T)),
            ("2026-11-25T05:30:00-05:00", Some(T)),
            ("2026-11-25 10:30:00,123", Some(T + 123_000)),
            ("2026-11-25T10:30:00.1234567", Some(T + 123_456)),
            ("2026-11-25T1030Z", Some(T)),
            ("20261125T103000", Some(T)),
            ("2026-11-25T10", Some(T - 30 * 60 * MICROS)),
            ("2026-11-25", Some(T - (10 * 60 + 30) * 60 * MICROS)),
            (" 2026-11-25T10:30:00Z ", None), // trimmed by text_moment, not here
            ("2026-11-25T24:00", None),
            ("2026-11-25T10:30:60", None),
            ("2026-02-29", None),
            ("2028-02-29T10:30", Some(1_835_433_000 * MICROS)),
            ("2026-13-25T10:05Z", None),
            ("2026-11-25T10:30:00.", None),
            ("2026-11-25T10:5", None),
            ("2026-11-25T10:30:00z", None),
            ("2026-W48-3", None),
            ("2026-11-25x10:30", None),
            ("yesterday", None),
        ] {
            assert_eq!(iso_moment(text), expected, "{text:?}");
        }
        assert_eq!(text_moment(" 2026-11-25T10:30:00Z "), Some(T));
    }

    #[test]
    fn epoch_numbers_by_size() {
        assert_eq!(epoch_moment(1_795_602_600.5), Some(T + 500_000));
        assert_eq!(epoch_moment(1_795_602_600_123.0), Some(T + 123_000));
        assert_eq!(epoch_moment(1_795_602_600_123_456.0), Some(T + 123_456));
        // 1795602659.9999999 s rounds to the next microsecond, as timedelta does.
        assert_eq!(epoch_moment(1_795_602_659_999_999_999.0), Some(T + 60 * MICROS));
        for n in [12.5, 99_999_999.0, 1e20, 1e30, f64::NAN, f64::INFINITY, -1.7e9] {
            assert_eq!(epoch_moment(n), None, "{n}");
        }
        assert_eq!(text_moment(" 1795602600 "), Some(T));
        assert_eq!(text_moment("1.7956026e9"), Some(T));
        assert_eq!(text_moment("soon"), None);
        assert_eq!(moment(&Json::Bool(true)), None);
        assert_eq!(moment(&Json::Number("1795602600".into())), Some(T));
    }

    #[test]
    fn minute_names_and_the_calendar() {
        assert_eq!(minute_name(T + 59 * MICROS), "2026-11-25T10:30");
        assert_eq!(minute_name(0), "1970-01-01T00:00");
        assert_eq!(minute_name(-1), "1969-12-31T23:59");
        for days in [-800_000, -1, 0, 59, 60, 365, 11_016, 20_782, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn the_first_usable_time_key_wins() {
        let members = vec![
            ("timestamp".into(), Json::String("yesterday".into())),
            ("time".into(), Json::Number("1795602600".into())),
            ("timestamp".into(), Json::Number("12.5".into())),
            ("asctime".into(), Json::String("2026-11-24 08:00:00,000".into())),
        ];
        assert_eq!(event_moment(&members), Some(T));
        assert_eq!(event_moment(&members[..1]), None);
    }
}
