//! Backup copies of the practice file: how they are named, when the daily one is due, and which
//! ones to keep. Pure rules; the store does the copying and the deleting.
//!
//! Names: `<stem>-YYYYMMDD-HHMMSS.db` for a backup made by hand, `<stem>-auto-YYYYMMDD-HHMMSS.db`
//! for the daily automatic one, `<stem>-before-restore-YYYYMMDD-HHMMSS.db` for the file kept
//! when a backup is restored over it. Only automatic copies are ever removed by the retention
//! rule; copies made by hand and kept at a restore stay until the practitioner removes them.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

/// The time stamp in a backup's name (local wall-clock time).
pub const STAMP_FORMAT: &str = "%Y%m%d-%H%M%S";

/// Settings keys and their defaults.
pub const KEEP_DAILY_KEY: &str = "backup.keep_daily";
pub const KEEP_MONTHLY_KEY: &str = "backup.keep_monthly";
pub const DEFAULT_KEEP_DAILY: usize = 14;
pub const DEFAULT_KEEP_MONTHLY: usize = 12;

/// Why a copy was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    Manual,
    Auto,
    BeforeRestore,
}

impl BackupKind {
    fn infix(self) -> &'static str {
        match self {
            BackupKind::Manual => "",
            BackupKind::Auto => "auto-",
            BackupKind::BeforeRestore => "before-restore-",
        }
    }
}

/// The file name of a backup of the practice file whose name (without `.db`) is `stem`.
pub fn file_name(stem: &str, kind: BackupKind, at: NaiveDateTime) -> String {
    format!("{stem}-{}{}.db", kind.infix(), at.format(STAMP_FORMAT))
}

/// Reads a backup's file name back: its kind and when it was made. `None` for any other file
/// (including backups of another practice file with a different stem).
pub fn parse_file_name(stem: &str, name: &str) -> Option<(BackupKind, NaiveDateTime)> {
    let rest = name.strip_prefix(stem)?.strip_prefix('-')?;
    let rest = rest.strip_suffix(".db")?;
    let (kind, stamp) = if let Some(s) = rest.strip_prefix("auto-") {
        (BackupKind::Auto, s)
    } else if let Some(s) = rest.strip_prefix("before-restore-") {
        (BackupKind::BeforeRestore, s)
    } else {
        (BackupKind::Manual, rest)
    };
    if stamp.len() != 15 {
        return None;
    }
    NaiveDateTime::parse_from_str(stamp, STAMP_FORMAT)
        .ok()
        .map(|at| (kind, at))
}

/// Whether the daily automatic backup is due: none has been made on `now`'s day yet.
pub fn daily_due(latest_auto: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    match latest_auto {
        None => true,
        Some(t) => t.date() != now.date(),
    }
}

/// How many automatic copies to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// The newest copy of each of the last `daily` days that have one.
    pub daily: usize,
    /// The newest copy of each of the last `monthly` months that have one.
    pub monthly: usize,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            daily: DEFAULT_KEEP_DAILY,
            monthly: DEFAULT_KEEP_MONTHLY,
        }
    }
}

/// Which copies to keep, one flag per stamp in `stamps` (same order). A copy is kept when it is
/// the newest of its day among the `daily` most recent days with copies, or the newest of its
/// month among the `monthly` most recent months with copies. The newest copy is always kept.
pub fn to_keep(stamps: &[NaiveDateTime], r: Retention) -> Vec<bool> {
    let mut order: Vec<usize> = (0..stamps.len()).collect();
    // Newest first; equal stamps keep their input order.
    order.sort_by(|&a, &b| stamps[b].cmp(&stamps[a]).then(a.cmp(&b)));
    let mut keep = vec![false; stamps.len()];
    let mut days: Vec<NaiveDate> = Vec::new();
    let mut months: Vec<(i32, u32)> = Vec::new();
    for (n, &i) in order.iter().enumerate() {
        let t = stamps[i];
        if n == 0 {
            keep[i] = true;
        }
        let day = t.date();
        if !days.contains(&day) {
            days.push(day);
            if days.len() <= r.daily {
                keep[i] = true;
            }
        }
        let month = (t.year(), t.month());
        if !months.contains(&month) {
            months.push(month);
            if months.len() <= r.monthly {
                keep[i] = true;
            }
        }
    }
    keep
}

/// A file size in words: "812 bytes", "4.2 KB", "1.3 MB", "2.0 GB".
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 3] = ["KB", "MB", "GB"];
    if bytes < 1000 {
        return format!("{bytes} bytes");
    }
    let mut v = bytes as f64 / 1000.0;
    let mut unit = UNITS[0];
    for u in &UNITS[1..] {
        if v < 1000.0 {
            break;
        }
        v /= 1000.0;
        unit = u;
    }
    format!("{v:.1} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn names_round_trip_and_ignore_other_files() {
        let t = at("2026-03-14 09:05");
        for kind in [
            BackupKind::Manual,
            BackupKind::Auto,
            BackupKind::BeforeRestore,
        ] {
            let name = file_name("caseload", kind, t);
            assert_eq!(parse_file_name("caseload", &name), Some((kind, t)));
        }
        assert_eq!(
            file_name("caseload", BackupKind::Auto, t),
            "caseload-auto-20260314-090500.db"
        );
        assert_eq!(parse_file_name("demo", "caseload-20260314-090500.db"), None);
        assert_eq!(parse_file_name("caseload", "caseload.db"), None);
        assert_eq!(parse_file_name("caseload", "caseload-notes.db"), None);
        assert_eq!(
            parse_file_name("caseload", "caseload-20261399-000000.db"),
            None
        );
    }

    #[test]
    fn the_daily_backup_is_due_once_a_day() {
        assert!(daily_due(None, at("2026-03-14 09:00")));
        assert!(!daily_due(
            Some(at("2026-03-14 08:00")),
            at("2026-03-14 23:59")
        ));
        assert!(daily_due(
            Some(at("2026-03-13 23:59")),
            at("2026-03-14 00:01")
        ));
    }

    #[test]
    fn keeps_fourteen_days_and_twelve_months() {
        // One copy a day for 400 days, plus a second copy on the last day.
        let start = at("2025-01-01 08:00");
        let mut stamps: Vec<NaiveDateTime> = (0..400)
            .map(|d| start + chrono::Duration::days(d))
            .collect();
        stamps.push(start + chrono::Duration::days(399) + chrono::Duration::hours(2));
        let keep = to_keep(&stamps, Retention::default());
        let kept: Vec<NaiveDateTime> = stamps
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(t, _)| *t)
            .collect();
        let last = *stamps.last().unwrap();
        // The newest of the last day, not the earlier copy of that day.
        assert!(kept.contains(&last));
        assert!(!kept.contains(&stamps[399]));
        // 14 days (4 Feb back to 22 Jan 2026), and the newest of each of 12 months; the newest
        // copies of February and January (the 31st) are among the 14 days.
        let days: Vec<_> = kept
            .iter()
            .filter(|t| last - **t < chrono::Duration::days(14))
            .collect();
        assert_eq!(days.len(), 14);
        let mut months: Vec<(i32, u32)> = kept.iter().map(|t| (t.year(), t.month())).collect();
        months.dedup();
        assert_eq!(months.len(), 12);
        assert_eq!(kept.len(), 14 + 10);
        // Every monthly copy is the last day of its month (the newest copy in it).
        for t in kept
            .iter()
            .filter(|t| last - **t >= chrono::Duration::days(14))
        {
            assert_eq!((t.date() + chrono::Duration::days(1)).day(), 1, "{t}");
        }
    }

    #[test]
    fn keeping_nothing_still_keeps_the_newest() {
        let stamps = [at("2026-01-01 08:00"), at("2026-02-01 08:00")];
        let keep = to_keep(
            &stamps,
            Retention {
                daily: 0,
                monthly: 0,
            },
        );
        assert_eq!(keep, vec![false, true]);
        assert!(to_keep(&[], Retention::default()).is_empty());
    }

    #[test]
    fn sizes_read_plainly() {
        assert_eq!(human_size(812), "812 bytes");
        assert_eq!(human_size(4_200), "4.2 KB");
        assert_eq!(human_size(1_300_000), "1.3 MB");
        assert_eq!(human_size(2_000_000_000), "2.0 GB");
    }

    proptest! {
        #[test]
        fn retention_never_keeps_more_than_asked(
            offsets in proptest::collection::vec(0i64..2_000_000, 0..80),
            daily in 0usize..20,
            monthly in 0usize..15,
        ) {
            let base = at("2024-01-01 00:00");
            let stamps: Vec<NaiveDateTime> =
                offsets.iter().map(|m| base + chrono::Duration::minutes(*m)).collect();
            let keep = to_keep(&stamps, Retention { daily, monthly });
            let kept = keep.iter().filter(|k| **k).count();
            prop_assert!(kept <= (daily + monthly).max(1));
            if !stamps.is_empty() {
                let newest = stamps.iter().max().unwrap();
                prop_assert!(stamps.iter().zip(&keep).any(|(t, k)| *k && t == newest));
            }
        }
    }
}
