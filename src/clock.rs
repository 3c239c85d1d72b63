//! The practitioner's clock: the system clock, or a fixed moment for scripts and tests (`--now`).

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};

use crate::domain::time::{DateStyle, Shown};

#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    fixed: Option<NaiveDateTime>,
}

impl Clock {
    pub fn system() -> Self {
        Self { fixed: None }
    }

    /// A clock stopped at a wall-clock local time.
    pub fn fixed(at: NaiveDateTime) -> Self {
        Self { fixed: Some(at) }
    }

    /// Wall-clock local time now.
    pub fn now_local(&self) -> NaiveDateTime {
        self.fixed.unwrap_or_else(|| Local::now().naive_local())
    }

    /// The practitioner's date today.
    pub fn today(&self) -> NaiveDate {
        self.now_local().date()
    }

    /// The instant now.
    pub fn now_utc(&self) -> DateTime<Utc> {
        match self.fixed {
            Some(t) => local_to_utc(t),
            None => Utc::now(),
        }
    }
}

/// The instant of a wall-clock local time (the earlier one in a repeated hour; a time skipped by
/// a clock change counts as the hour after).
pub fn local_to_utc(t: NaiveDateTime) -> DateTime<Utc> {
    match Local.from_local_datetime(&t).earliest() {
        Some(l) => l.with_timezone(&Utc),
        None => Local
            .from_local_datetime(&(t + chrono::Duration::hours(1)))
            .earliest()
            .map(|l| l.with_timezone(&Utc))
            .unwrap_or_else(|| t.and_utc()),
    }
}

/// An instant as the practitioner reads it, in this machine's time zone (the one formatter,
/// [`crate::domain::time::show_instant`], given the system zone).
pub fn show(t: DateTime<Utc>, style: DateStyle, shown: Shown) -> String {
    crate::domain::time::show_instant(t, &Local, style, shown)
}

/// The wall-clock time an instant was in this machine's time zone.
pub fn local_of(t: DateTime<Utc>) -> NaiveDateTime {
    crate::domain::time::local_of(t, &Local)
}

/// The instant a booked wall-clock time stands for in this machine's time zone; refuses a time
/// the clock skips, with a message that says why.
pub fn booked_instant(t: NaiveDateTime) -> Result<DateTime<Utc>, String> {
    crate::domain::time::booked_instant(t, &Local)
}
