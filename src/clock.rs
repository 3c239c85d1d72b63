//! The practitioner's clock: the system clock, or a fixed moment for scripts and tests (`--now`).

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};

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
