//! How long a client's record is kept, and when it may be disposed of.
//!
//! A record is kept for a number of years after the last contact (adults), and for a minor until
//! the later of that and some years after they reach the age of majority. The practitioner can
//! set a client's keep-until date by hand (an override), and put a legal hold on a record, which
//! stops disposal whatever the date. The numbers are settings; the defaults (7 / 18 / 7) are
//! examples, not advice: the rules differ between professions and jurisdictions.
//!
//! Dates are whole days. "Keep until D" means the record may be disposed of from D on. Adding
//! years to 29 February lands on 1 March in a common year (the later of the two readings, so a
//! record is never released a day early); the same goes for a birthday on 29 February.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{FieldError, ValidationError};
use crate::word_enum;

/// Settings keys.
pub const ADULT_YEARS_KEY: &str = "retention.adult_years";
pub const MAJORITY_AGE_KEY: &str = "retention.majority_age";
pub const MINOR_YEARS_KEY: &str = "retention.minor_years";
/// The month (`YYYY-MM`) the practitioner last looked at the clients due for disposal.
pub const REVIEWED_MONTH_KEY: &str = "retention.reviewed_month";
/// Months after which a new handover archive is due (0: no reminder).
pub const HANDOVER_REMIND_KEY: &str = "handover.remind_months";

/// The example defaults (not advice).
pub const DEFAULT_ADULT_YEARS: u32 = 7;
pub const DEFAULT_MAJORITY_AGE: u32 = 18;
pub const DEFAULT_MINOR_YEARS: u32 = 7;
pub const DEFAULT_HANDOVER_REMIND_MONTHS: u32 = 12;

/// The practice's retention rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionRules {
    /// Years to keep a record after the last contact.
    pub adult_years: u32,
    /// The age of majority.
    pub majority_age: u32,
    /// For someone seen as a minor: years after reaching the age of majority (the later of this
    /// and `adult_years` after the last contact applies).
    pub minor_years: u32,
}

impl Default for RetentionRules {
    fn default() -> Self {
        RetentionRules {
            adult_years: DEFAULT_ADULT_YEARS,
            majority_age: DEFAULT_MAJORITY_AGE,
            minor_years: DEFAULT_MINOR_YEARS,
        }
    }
}

impl RetentionRules {
    /// Checks the numbers: years 0 to 100, the age of majority 1 to 30.
    pub fn validate(self) -> Result<RetentionRules, ValidationError> {
        let mut errors = Vec::new();
        let mut years = |field: &'static str, label: &str, v: u32| {
            if v > 100 {
                errors.push(FieldError::new(
                    field,
                    format!("{label} must be between 0 and 100 years (got {v})."),
                ));
            }
        };
        years(
            "adult_years",
            "Years after the last contact",
            self.adult_years,
        );
        years(
            "minor_years",
            "Years after the age of majority",
            self.minor_years,
        );
        if !(1..=30).contains(&self.majority_age) {
            errors.push(FieldError::new(
                "majority_age",
                format!(
                    "The age of majority must be between 1 and 30 (got {}).",
                    self.majority_age
                ),
            ));
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(ValidationError { errors })
        }
    }

    /// The rule in one plain sentence.
    pub fn describe(&self) -> String {
        format!(
            "Records are kept {} years after the last contact; for someone seen before the age of {}, until the later of that and {} years after they reach {}.",
            self.adult_years, self.majority_age, self.minor_years, self.majority_age
        )
    }
}

word_enum! {
    /// What set a client's keep-until date.
    pub enum Rule {
        AfterLastContact = "after_last_contact" / "Years after the last contact",
        AfterMajority = "after_majority" / "Years after reaching the age of majority",
        Override = "override" / "Set by hand",
    }
}

/// What the keep-until date of one client is worked out from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionFacts {
    pub born: Option<NaiveDate>,
    /// The first contact (the intake date, or an earlier record).
    pub first_contact: NaiveDate,
    /// The last attended session, note, assessment or discharge (the intake date when none).
    pub last_contact: NaiveDate,
    /// A keep-until date set by hand for this client.
    pub override_until: Option<NaiveDate>,
}

/// A client's keep-until date and the rule that set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KeepUntil {
    pub date: NaiveDate,
    pub rule: Rule,
}

/// `d` plus `years` calendar years; 29 February becomes 1 March in a common year (never a day
/// early). Saturates at the last representable date.
pub fn add_years(d: NaiveDate, years: u32) -> NaiveDate {
    let Some(y) = i32::try_from(years)
        .ok()
        .and_then(|n| d.year().checked_add(n))
    else {
        return NaiveDate::MAX;
    };
    NaiveDate::from_ymd_opt(y, d.month(), d.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, 3, 1))
        .unwrap_or(NaiveDate::MAX)
}

/// The day someone born on `born` reaches `age`.
pub fn reaches_age(born: NaiveDate, age: u32) -> NaiveDate {
    add_years(born, age)
}

/// Whether someone born on `born` was a minor on `day`.
pub fn minor_on(born: NaiveDate, day: NaiveDate, rules: &RetentionRules) -> bool {
    day < reaches_age(born, rules.majority_age)
}

/// The keep-until date: the override when one is set; else the later of the adult rule and, for
/// someone first seen as a minor, the minor rule (the adult rule wins a tie).
pub fn keep_until(facts: &RetentionFacts, rules: &RetentionRules) -> KeepUntil {
    if let Some(date) = facts.override_until {
        return KeepUntil {
            date,
            rule: Rule::Override,
        };
    }
    let adult = KeepUntil {
        date: add_years(facts.last_contact, rules.adult_years),
        rule: Rule::AfterLastContact,
    };
    match facts.born {
        Some(born) if minor_on(born, facts.first_contact, rules) => {
            let minor = add_years(reaches_age(born, rules.majority_age), rules.minor_years);
            if minor > adult.date {
                KeepUntil {
                    date: minor,
                    rule: Rule::AfterMajority,
                }
            } else {
                adult
            }
        }
        _ => adult,
    }
}

/// Whether a record may be disposed of on `today`: its keep-until date has come, it is not on
/// legal hold, and the client is no longer in care.
pub fn is_due(keep: NaiveDate, today: NaiveDate, on_hold: bool, in_care: bool) -> bool {
    !on_hold && !in_care && today >= keep
}

/// Whether a new handover archive is due: the newest is `months` or more old. Before the first
/// archive there is no reminder (making one is the practitioner's choice); `months` 0 turns the
/// reminder off.
pub fn handover_due(newest: Option<NaiveDate>, today: NaiveDate, months: u32) -> bool {
    match newest {
        Some(d) if months > 0 => d
            .checked_add_months(chrono::Months::new(months))
            .is_none_or(|due| today >= due),
        _ => false,
    }
}

/// The month of a day, as stored for [`REVIEWED_MONTH_KEY`].
pub fn month_of(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn facts(born: Option<&str>, first: &str, last: &str) -> RetentionFacts {
        RetentionFacts {
            born: born.map(d),
            first_contact: d(first),
            last_contact: d(last),
            override_until: None,
        }
    }

    #[test]
    fn adults_are_kept_seven_years_after_the_last_contact() {
        let k = keep_until(
            &facts(Some("1980-05-02"), "2018-01-10", "2019-06-15"),
            &RetentionRules::default(),
        );
        assert_eq!(k.date, d("2026-06-15"));
        assert_eq!(k.rule, Rule::AfterLastContact);
        // Without a date of birth the adult rule applies.
        let k = keep_until(
            &facts(None, "2018-01-10", "2019-06-15"),
            &RetentionRules::default(),
        );
        assert_eq!(
            k,
            KeepUntil {
                date: d("2026-06-15"),
                rule: Rule::AfterLastContact
            }
        );
    }

    #[test]
    fn minors_are_kept_until_the_later_of_the_two_rules() {
        // Seen at 12, last contact at 13: 18 on 2028-04-01, +7 = 2035-04-01 > 2024-03-01 + 7.
        let k = keep_until(
            &facts(Some("2010-04-01"), "2022-09-01", "2024-03-01"),
            &RetentionRules::default(),
        );
        assert_eq!(k.date, d("2035-04-01"));
        assert_eq!(k.rule, Rule::AfterMajority);
        // Seen at 17, last contact at 24: the adult rule is later.
        let k = keep_until(
            &facts(Some("2000-04-01"), "2017-09-01", "2024-06-01"),
            &RetentionRules::default(),
        );
        assert_eq!(k.date, d("2031-06-01"));
        assert_eq!(k.rule, Rule::AfterLastContact);
        // A tie goes to the adult rule: last contact on the 18th birthday.
        let k = keep_until(
            &facts(Some("2000-04-01"), "2017-09-01", "2018-04-01"),
            &RetentionRules::default(),
        );
        assert_eq!(k.date, d("2025-04-01"));
        assert_eq!(k.rule, Rule::AfterLastContact);
    }

    #[test]
    fn the_birthday_itself_is_the_day_of_majority() {
        let r = RetentionRules::default();
        assert!(minor_on(d("2000-04-01"), d("2018-03-31"), &r));
        assert!(!minor_on(d("2000-04-01"), d("2018-04-01"), &r));
        // First seen the day before their 18th birthday: the minor rule applies.
        let k = keep_until(&facts(Some("2000-04-01"), "2018-03-31", "2018-03-31"), &r);
        assert_eq!(k.date, d("2025-04-01"));
        assert_eq!(k.rule, Rule::AfterMajority);
        // First seen on it: the adult rule alone.
        let k = keep_until(&facts(Some("2000-04-01"), "2018-04-01", "2018-04-01"), &r);
        assert_eq!(k.date, d("2025-04-01"));
        assert_eq!(k.rule, Rule::AfterLastContact);
    }

    #[test]
    fn someone_first_seen_as_an_adult_never_gets_the_minor_rule() {
        // Seen from 19; with 10 years after majority the minor rule would be later, but it
        // does not apply to someone who was never a minor in care.
        let r = RetentionRules {
            adult_years: 7,
            majority_age: 18,
            minor_years: 10,
        };
        let k = keep_until(&facts(Some("2000-04-01"), "2019-05-01", "2019-05-01"), &r);
        assert_eq!(k.date, d("2026-05-01"));
        assert_eq!(k.rule, Rule::AfterLastContact);
    }

    #[test]
    fn leap_days_land_on_the_first_of_march() {
        assert_eq!(add_years(d("2020-02-29"), 7), d("2027-03-01"));
        assert_eq!(add_years(d("2020-02-29"), 8), d("2028-02-29"));
        assert_eq!(add_years(d("2020-02-28"), 7), d("2027-02-28"));
        // Born on a leap day: 18 on 1 March of a common year.
        assert_eq!(reaches_age(d("2008-02-29"), 18), d("2026-03-01"));
        let r = RetentionRules::default();
        assert!(minor_on(d("2008-02-29"), d("2026-02-28"), &r));
        assert!(!minor_on(d("2008-02-29"), d("2026-03-01"), &r));
        let k = keep_until(&facts(Some("2008-02-29"), "2020-01-01", "2021-01-01"), &r);
        assert_eq!(k.date, d("2033-03-01"));
        assert_eq!(k.rule, Rule::AfterMajority);
        // 18 in a leap year stays on 29 February.
        assert_eq!(reaches_age(d("2004-02-29"), 20), d("2024-02-29"));
    }

    #[test]
    fn an_override_wins_whatever_the_rule() {
        let mut f = facts(Some("2010-04-01"), "2022-09-01", "2024-03-01");
        f.override_until = Some(d("2040-01-01"));
        let k = keep_until(&f, &RetentionRules::default());
        assert_eq!(
            k,
            KeepUntil {
                date: d("2040-01-01"),
                rule: Rule::Override
            }
        );
        f.override_until = Some(d("2025-01-01"));
        assert_eq!(
            keep_until(&f, &RetentionRules::default()).date,
            d("2025-01-01")
        );
    }

    #[test]
    fn due_means_the_date_has_come_no_hold_and_out_of_care() {
        let keep = d("2026-06-15");
        assert!(!is_due(keep, d("2026-06-14"), false, false));
        assert!(is_due(keep, d("2026-06-15"), false, false));
        assert!(is_due(keep, d("2030-01-01"), false, false));
        assert!(!is_due(keep, d("2030-01-01"), true, false), "on hold");
        assert!(!is_due(keep, d("2030-01-01"), false, true), "still in care");
    }

    #[test]
    fn handover_reminders_count_whole_months() {
        assert!(!handover_due(None, d("2026-01-01"), 12));
        assert!(!handover_due(Some(d("2020-01-01")), d("2026-01-01"), 0));
        assert!(!handover_due(Some(d("2025-01-31")), d("2026-01-30"), 12));
        assert!(handover_due(Some(d("2025-01-31")), d("2026-01-31"), 12));
        // 31 August + 6 months is the end of February.
        assert!(!handover_due(Some(d("2025-08-31")), d("2026-02-27"), 6));
        assert!(handover_due(Some(d("2025-08-31")), d("2026-02-28"), 6));
    }

    #[test]
    fn rules_are_checked() {
        assert!(RetentionRules::default().validate().is_ok());
        let bad = RetentionRules {
            adult_years: 101,
            majority_age: 0,
            minor_years: 7,
        }
        .validate()
        .unwrap_err();
        let text = bad.to_string();
        assert!(text.contains("between 0 and 100 years (got 101)"), "{text}");
        assert!(
            text.contains("age of majority must be between 1 and 30 (got 0)"),
            "{text}"
        );
        assert_eq!(month_of(d("2026-03-09")), "2026-03");
    }

    fn date() -> impl Strategy<Value = NaiveDate> {
        (1900i32..2100, 1u32..=12, 1u32..=31).prop_map(|(y, m, day)| {
            NaiveDate::from_ymd_opt(y, m, day)
                .or_else(|| NaiveDate::from_ymd_opt(y, m, 28))
                .unwrap()
        })
    }

    proptest! {
        #[test]
        fn keep_until_is_never_before_the_adult_rule(
            born in proptest::option::of(date()),
            first in date(),
            gap in 0i64..20_000,
            adult in 0u32..30,
            majority in 1u32..=30,
            minor in 0u32..30,
        ) {
            let last = first + chrono::Duration::days(gap);
            let rules = RetentionRules { adult_years: adult, majority_age: majority, minor_years: minor };
            let f = RetentionFacts { born, first_contact: first, last_contact: last, override_until: None };
            let k = keep_until(&f, &rules);
            let plain = add_years(last, adult);
            prop_assert!(k.date >= plain);
            prop_assert!(k.date >= last);
            if k.rule == Rule::AfterMajority {
                prop_assert!(k.date > plain);
                prop_assert!(minor_on(born.unwrap(), first, &rules));
            }
        }

        #[test]
        fn adding_years_keeps_the_day_or_moves_to_march(day in date(), years in 0u32..200) {
            let later = add_years(day, years);
            prop_assert_eq!(later.year(), day.year() + years as i32);
            if (day.month(), day.day()) == (2, 29) && later.month() == 3 {
                prop_assert_eq!(later.day(), 1);
            } else {
                prop_assert_eq!((later.month(), later.day()), (day.month(), day.day()));
            }
        }
    }
}
