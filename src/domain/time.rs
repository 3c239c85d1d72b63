//! Dates and times.
//!
//! A session's start is a wall-clock local time (what the practitioner booked); moments when
//! something happened are UTC instants stored as `YYYY-MM-DDTHH:MM:SSZ`. Nothing here reads the
//! clock: callers pass "now" in, so tests never depend on today's date.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};

/// The stored form of a date.
pub const DATE_FORMAT: &str = "%Y-%m-%d";
/// The stored form of a wall-clock local time.
pub const LOCAL_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// Parses a date typed as `YYYY-MM-DD`, refusing impossible dates such as 2026-02-30.
pub fn parse_date(input: &str) -> Result<NaiveDate, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("is empty; type a date as YYYY-MM-DD".into());
    }
    let shaped = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return Err(format!(
            "“{s}” is not a date; type it as YYYY-MM-DD, e.g. 2026-03-14"
        ));
    }
    NaiveDate::parse_from_str(s, DATE_FORMAT)
        .map_err(|_| format!("{s} is not a day on the calendar"))
}

/// Parses a wall-clock local time typed as `YYYY-MM-DD HH:MM` or `YYYY-MM-DDTHH:MM`.
pub fn parse_local(input: &str) -> Result<NaiveDateTime, String> {
    let s = input.trim();
    let (date, time) = s
        .split_once(['T', ' '])
        .ok_or_else(|| format!("“{s}” is not a date and time; type it as YYYY-MM-DD HH:MM"))?;
    let date = parse_date(date)?;
    let time = time.trim();
    let shaped = time.len() == 5
        && time.bytes().enumerate().all(|(i, b)| {
            if i == 2 {
                b == b':'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(format!(
            "“{time}” is not a time; type it as HH:MM on a 24-hour clock"
        ));
    }
    let t = chrono::NaiveTime::parse_from_str(time, "%H:%M")
        .map_err(|_| format!("{time} is not a time of day"))?;
    Ok(date.and_time(t))
}

/// Formats a wall-clock local time in its stored form.
pub fn format_local(t: NaiveDateTime) -> String {
    t.format(LOCAL_FORMAT).to_string()
}

/// Formats an instant in its stored form (UTC, whole seconds).
pub fn format_instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Parses an instant in its stored form.
pub fn parse_instant(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("“{s}” is not an instant"))
}

/// How much of an instant a display shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// `30 Nov 2026`
    Date,
    /// `09:15`
    Time,
    /// `30 Nov 2026 09:15`
    DateTime,
    /// `Mon 30 Nov 2026 09:15`
    DayDateTime,
}

/// The wall-clock time an instant was in `zone` (the practitioner's zone).
pub fn local_of<Tz: TimeZone>(t: DateTime<Utc>, zone: &Tz) -> NaiveDateTime {
    t.with_timezone(zone).naive_local()
}

/// The one way an instant (when something happened) becomes text a person reads: as the clock
/// showed it in `zone`, the practitioner's zone, with dates in their style. The stored form and
/// JSON keep UTC with `Z` ([`format_instant`]); every screen, document and line of CLI text goes
/// through here. Callers pass the zone (`crate::clock::show` passes the system's), so this stays
/// pure and tests can feed any zone.
pub fn show_instant<Tz: TimeZone>(
    t: DateTime<Utc>,
    zone: &Tz,
    style: DateStyle,
    shown: Shown,
) -> String {
    let local = local_of(t, zone);
    let date = style.format(local.date());
    let time = local.format("%H:%M");
    match shown {
        Shown::Date => date,
        Shown::Time => time.to_string(),
        Shown::DateTime => format!("{date} {time}"),
        Shown::DayDateTime => format!("{} {date} {time}", local.format("%a")),
    }
}

/// The instant a wall-clock time booked in `zone` stands for. A time the clock skips (the hour
/// lost when clocks go forward) is refused with a message that says why; a time that happens
/// twice (the hour repeated when clocks go back) is taken as the first.
pub fn booked_instant<Tz: TimeZone>(t: NaiveDateTime, zone: &Tz) -> Result<DateTime<Utc>, String> {
    match zone.from_local_datetime(&t) {
        LocalResult::Single(l) => Ok(l.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => {
            // The first minute after the gap, to suggest.
            let after = (1..=24 * 60)
                .map(|m| t + chrono::Duration::minutes(m))
                .find(|c| zone.from_local_datetime(c).single().is_some());
            let hint = match after {
                Some(a) if a.date() == t.date() => {
                    format!(" Book {} or later instead.", a.format("%H:%M"))
                }
                _ => String::new(),
            };
            Err(format!(
                "{} on {} does not exist in this time zone: the clocks go forward that night and skip it.{hint}",
                t.format("%H:%M"),
                t.format("%a %-d %b %Y")
            ))
        }
    }
}

/// How the practitioner likes dates shown (config `date_format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateStyle {
    /// 23 Nov 2026
    #[default]
    DayMonth,
    /// 2026-11-23
    Iso,
    /// 23/11/2026
    Dmy,
    /// 11/23/2026
    Mdy,
}

impl DateStyle {
    pub fn format(self, d: NaiveDate) -> String {
        let f = match self {
            DateStyle::DayMonth => "%-d %b %Y",
            DateStyle::Iso => "%Y-%m-%d",
            DateStyle::Dmy => "%d/%m/%Y",
            DateStyle::Mdy => "%m/%d/%Y",
        };
        d.format(f).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict() {
        assert_eq!(
            parse_date("2026-03-14"),
            Ok(NaiveDate::from_ymd_opt(2026, 3, 14).unwrap())
        );
        assert!(parse_date("2026-02-30").unwrap_err().contains("not a day"));
        assert!(parse_date("2026-2-3").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_date("").unwrap_err().contains("empty"));
        assert!(parse_date("14/03/2026").is_err());
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("2025-02-29").is_err());
    }

    #[test]
    fn local_times_accept_space_or_t() {
        let a = parse_local("2026-11-23 09:05").unwrap();
        let b = parse_local("2026-11-23T09:05").unwrap();
        assert_eq!(a, b);
        assert_eq!(format_local(a), "2026-11-23T09:05");
        assert!(parse_local("2026-11-23 24:00").is_err());
        assert!(parse_local("2026-11-23 9:05").is_err());
        assert!(parse_local("2026-11-23").is_err());
    }

    #[test]
    fn instants_round_trip() {
        let t = parse_instant("2026-11-23T10:29:19Z").unwrap();
        assert_eq!(format_instant(t), "2026-11-23T10:29:19Z");
    }

    #[test]
    fn date_styles() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
        assert_eq!(DateStyle::DayMonth.format(d), "4 Mar 2026");
        assert_eq!(DateStyle::Iso.format(d), "2026-03-04");
        assert_eq!(DateStyle::Dmy.format(d), "04/03/2026");
        assert_eq!(DateStyle::Mdy.format(d), "03/04/2026");
    }

    proptest::proptest! {
        #[test]
        fn parsers_never_panic(s in "\\PC*") {
            let _ = parse_date(&s);
            let _ = parse_local(&s);
            let _ = parse_instant(&s);
        }
    }
}

/// Serialises an instant in its stored form (for `#[serde(serialize_with)]`).
pub fn serialize_instant<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_instant(*t))
}

/// Serialises an optional instant in its stored form, or null.
pub fn serialize_opt_instant<S: serde::Serializer>(
    t: &Option<DateTime<Utc>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&format_instant(*t)),
        None => s.serialize_none(),
    }
}

/// Serialises a wall-clock local time in its stored form (`YYYY-MM-DDTHH:MM`).
pub fn serialize_local<S: serde::Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_local(*t))
}

/// The first day of the practitioner's week (config `week_start`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeekStart {
    #[default]
    Monday,
    Sunday,
}

impl WeekStart {
    /// The first day of the week that holds `day`.
    pub fn week_of(self, day: NaiveDate) -> NaiveDate {
        use chrono::Datelike;
        let back = match self {
            WeekStart::Monday => day.weekday().num_days_from_monday(),
            WeekStart::Sunday => day.weekday().num_days_from_sunday(),
        };
        day - chrono::Duration::days(i64::from(back))
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut n = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(c - b'0');
    }
    Some(n)
}

/// Reads a stored date (`YYYY-MM-DD`) quickly: lists of thousands of rows read several per row.
pub fn read_stored_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(
        digits(&b[..4])? as i32,
        digits(&b[5..7])?,
        digits(&b[8..10])?,
    )
}

/// Reads a stored wall-clock local time (`YYYY-MM-DDTHH:MM`) quickly.
pub fn read_stored_local(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if b.len() != 16 || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    read_stored_date(&s[..10])?.and_hms_opt(digits(&b[11..13])?, digits(&b[14..16])?, 0)
}

/// Reads a stored instant (`YYYY-MM-DDTHH:MM:SSZ`) quickly; other RFC 3339 forms fall back to
/// the full parser.
pub fn read_stored_instant(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() == 20 && b[16] == b':' && b[19] == b'Z' {
        let t = read_stored_local(&s[..16])?;
        return Some((t + chrono::Duration::seconds(i64::from(digits(&b[17..19])?))).and_utc());
    }
    parse_instant(s).ok()
}

#[cfg(test)]
mod zone_tests {
    use super::*;
    use chrono_tz::America::New_York;
    use chrono_tz::Europe::Berlin;
    use chrono_tz::Pacific::Auckland;

    fn i(s: &str) -> DateTime<Utc> {
        parse_instant(s).unwrap()
    }

    #[test]
    fn instants_show_as_the_practitioner_s_clock_showed_them() {
        // The example: added 09:00 and put on hold 09:15 on 30 Nov in Auckland (UTC+13).
        let on_hold = i("2026-11-29T20:15:00Z");
        assert_eq!(
            show_instant(on_hold, &Auckland, DateStyle::DayMonth, Shown::DateTime),
            "30 Nov 2026 09:15"
        );
        assert_eq!(
            show_instant(on_hold, &Auckland, DateStyle::Iso, Shown::Date),
            "2026-11-30"
        );
        assert_eq!(
            show_instant(on_hold, &Auckland, DateStyle::DayMonth, Shown::DayDateTime),
            "Mon 30 Nov 2026 09:15"
        );
        assert_eq!(
            show_instant(on_hold, &New_York, DateStyle::Mdy, Shown::DateTime),
            "11/29/2026 15:15"
        );
        assert_eq!(
            show_instant(on_hold, &Utc, DateStyle::Iso, Shown::Time),
            "20:15"
        );
    }

    #[test]
    fn both_sides_of_each_daylight_saving_change() {
        fn iso<Tz: TimeZone>(zone: &Tz, at: &str) -> String {
            show_instant(i(at), zone, DateStyle::Iso, Shown::DateTime)
        }
        // Auckland springs forward 02:00 NZST -> 03:00 NZDT on Sun 27 Sep 2026.
        assert_eq!(iso(&Auckland, "2026-09-26T13:59:00Z"), "2026-09-27 01:59");
        assert_eq!(iso(&Auckland, "2026-09-26T14:00:00Z"), "2026-09-27 03:00");
        // Auckland falls back 03:00 NZDT -> 02:00 NZST on Sun 5 Apr 2026: 02:30 happens twice.
        assert_eq!(iso(&Auckland, "2026-04-04T13:30:00Z"), "2026-04-05 02:30");
        assert_eq!(iso(&Auckland, "2026-04-04T14:30:00Z"), "2026-04-05 02:30");
        assert_eq!(iso(&Auckland, "2026-04-04T15:00:00Z"), "2026-04-05 03:00");
        // New York springs forward on Sun 8 Mar 2026 and falls back on Sun 1 Nov 2026.
        assert_eq!(iso(&New_York, "2026-03-08T06:59:00Z"), "2026-03-08 01:59");
        assert_eq!(iso(&New_York, "2026-03-08T07:00:00Z"), "2026-03-08 03:00");
        assert_eq!(iso(&New_York, "2026-11-01T05:30:00Z"), "2026-11-01 01:30");
        assert_eq!(iso(&New_York, "2026-11-01T06:30:00Z"), "2026-11-01 01:30");
        // Berlin's summer time ends on Sun 25 Oct 2026; the date changes at local midnight.
        assert_eq!(
            show_instant(
                i("2026-10-25T22:59:00Z"),
                &Berlin,
                DateStyle::DayMonth,
                Shown::DateTime
            ),
            "25 Oct 2026 23:59"
        );
        assert_eq!(
            show_instant(
                i("2026-10-25T23:00:00Z"),
                &Berlin,
                DateStyle::DayMonth,
                Shown::Date
            ),
            "26 Oct 2026"
        );
    }

    #[test]
    fn a_skipped_time_is_refused_and_a_repeated_one_is_the_first() {
        let t = parse_local("2026-03-29 02:30").unwrap();
        let e = booked_instant(t, &Berlin).unwrap_err();
        assert_eq!(
            e,
            "02:30 on Sun 29 Mar 2026 does not exist in this time zone: the clocks go forward that night and skip it. Book 03:00 or later instead."
        );
        // The same clock time is ordinary in Auckland and New York.
        assert_eq!(booked_instant(t, &Auckland), Ok(i("2026-03-28T13:30:00Z")));
        assert!(booked_instant(parse_local("2026-09-27 02:00").unwrap(), &Auckland).is_err());
        assert!(booked_instant(parse_local("2026-03-08 02:59").unwrap(), &New_York).is_err());
        assert_eq!(
            booked_instant(parse_local("2026-03-08 03:00").unwrap(), &New_York),
            Ok(i("2026-03-08T07:00:00Z"))
        );
        // 01:30 on 1 Nov happens twice in New York: the first, still on summer time (UTC-4).
        assert_eq!(
            booked_instant(parse_local("2026-11-01 01:30").unwrap(), &New_York),
            Ok(i("2026-11-01T05:30:00Z"))
        );
        assert_eq!(
            booked_instant(parse_local("2026-04-05 02:30").unwrap(), &Auckland),
            Ok(i("2026-04-04T13:30:00Z"))
        );
    }
}

#[cfg(test)]
mod stored_tests {
    use super::*;

    #[test]
    fn fast_readers_agree_with_chrono() {
        assert_eq!(
            read_stored_date("2026-02-28"),
            NaiveDate::from_ymd_opt(2026, 2, 28)
        );
        assert_eq!(read_stored_date("2026-02-30"), None);
        assert_eq!(read_stored_date("2026-2-28"), None);
        assert_eq!(
            read_stored_local("2026-11-23T09:05")
                .map(format_local)
                .as_deref(),
            Some("2026-11-23T09:05")
        );
        assert_eq!(read_stored_local("2026-11-23T25:05"), None);
        let t = read_stored_instant("2026-11-23T10:29:19Z").unwrap();
        assert_eq!(t, parse_instant("2026-11-23T10:29:19Z").unwrap());
        assert_eq!(read_stored_instant("2026-11-23T10:29:19+00:00"), Some(t));
        assert_eq!(read_stored_instant("x"), None);
    }

    proptest::proptest! {
        #[test]
        fn fast_readers_never_panic(s in "\\PC*") {
            let _ = read_stored_date(&s);
            let _ = read_stored_local(&s);
            let _ = read_stored_instant(&s);
        }

        #[test]
        fn fast_date_reader_matches_chrono(y in 1900i32..2200, m in 1u32..13, d in 1u32..32) {
            let s = format!("{y:04}-{m:02}-{d:02}");
            proptest::prop_assert_eq!(read_stored_date(&s), NaiveDate::parse_from_str(&s, DATE_FORMAT).ok());
        }
    }
}
