//! The date axis of a chart over days: from the first point to the last, or, when every point
//! falls on one day, a short span around that day labelled once in the middle (an axis from a
//! day to the same day says nothing and puts the points against its left edge).

use chrono::NaiveDate;
use ratatui::text::Span;

/// An x axis in days since `first`.
pub struct DayAxis {
    pub bounds: [f64; 2],
    pub labels: Vec<Span<'static>>,
}

/// The axis for points from `first` to `last`, with `label` writing a date.
pub fn day_axis(first: NaiveDate, last: NaiveDate, label: impl Fn(NaiveDate) -> String) -> DayAxis {
    let days = (last - first).num_days();
    if days <= 0 {
        return DayAxis {
            bounds: [-1.0, 1.0],
            labels: vec![Span::raw(""), Span::raw(label(first)), Span::raw("")],
        };
    }
    DayAxis {
        bounds: [0.0, days as f64],
        labels: vec![Span::raw(label(first)), Span::raw(label(last))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn texts(a: &DayAxis) -> Vec<String> {
        a.labels.iter().map(|s| s.content.to_string()).collect()
    }

    #[test]
    fn one_day_is_centred_and_named_once() {
        let a = day_axis(d("2026-11-23"), d("2026-11-23"), |x| x.to_string());
        assert_eq!(a.bounds, [-1.0, 1.0]);
        assert_eq!(texts(&a), ["", "2026-11-23", ""]);
    }

    #[test]
    fn several_days_run_from_the_first_to_the_last() {
        let a = day_axis(d("2026-11-01"), d("2026-11-23"), |x| x.to_string());
        assert_eq!(a.bounds, [0.0, 22.0]);
        assert_eq!(texts(&a), ["2026-11-01", "2026-11-23"]);
    }
}
