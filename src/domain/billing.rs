//! Fees and payments: which charge follows from an outcome, how payments settle charges, and
//! the checks on what a practitioner types. Pure rules; the store writes them.
#![deny(clippy::float_arithmetic)]

use chrono::NaiveDate;
use serde::Serialize;

use super::ValidationError;
use super::money::{self, Currency, FULL};
use super::session::{Modality, SessionStatus};
use crate::word_enum;

word_enum! {
    /// A line of a client's ledger.
    pub enum LedgerKind {
        Charge = "charge" / "Charge",
        Void = "void" / "Void",
        Adjustment = "adjustment" / "Adjustment",
        Payment = "payment" / "Payment",
        Refund = "refund" / "Refund",
    }
}

word_enum! {
    /// Why a session was charged.
    pub enum ChargeBasis {
        Session = "session" / "Session fee",
        NoShow = "no_show" / "No-show fee",
        LateCancel = "late_cancel" / "Late-cancellation fee",
    }
}

word_enum! {
    /// How a client paid.
    pub enum PaymentMethod {
        Cash = "cash" / "Cash",
        Card = "card" / "Card",
        Transfer = "transfer" / "Bank transfer",
        Cheque = "cheque" / "Cheque",
        Insurance = "insurance" / "Insurance",
        Other = "other" / "Other",
    }
}

/// The practice's billing settings (setting `billing`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct BillingSettings {
    /// The practice's one currency, set on first use.
    #[serde(default)]
    pub currency: Option<Currency>,
    /// "Needs attention" lists a client whose oldest unpaid charge is older than this.
    #[serde(default = "default_over_days")]
    pub balance_over_days: u32,
    /// The service a session is charged as when neither it nor its client names one (else the
    /// first active service).
    #[serde(default)]
    pub default_service: Option<String>,
    /// The percentages a new service takes when none are given.
    #[serde(default = "full")]
    pub late_cancel_bp: u32,
    #[serde(default = "full")]
    pub no_show_bp: u32,
    /// The practitioner's identifiers for superbills.
    #[serde(default)]
    pub licence: Option<String>,
    #[serde(default)]
    pub npi: Option<String>,
    #[serde(default)]
    pub tax_id: Option<String>,
}

fn default_over_days() -> u32 {
    60
}

fn full() -> u32 {
    FULL
}

impl Default for BillingSettings {
    fn default() -> Self {
        BillingSettings {
            currency: None,
            balance_over_days: default_over_days(),
            default_service: None,
            late_cancel_bp: FULL,
            no_show_bp: FULL,
            licence: None,
            npi: None,
            tax_id: None,
        }
    }
}

impl BillingSettings {
    pub const KEY: &'static str = "billing";

    pub fn policy(&self) -> FeePolicy {
        FeePolicy {
            late_cancel_bp: self.late_cancel_bp,
            no_show_bp: self.no_show_bp,
        }
    }
}

/// A service the practice offers and bills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub minutes: u32,
    /// Minor units.
    pub fee: i64,
    /// Basis points of tax added to each charge, if any.
    pub tax_bp: Option<u32>,
    pub late_cancel_bp: u32,
    pub no_show_bp: u32,
    pub active: bool,
}

/// A service as typed, before it is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceInput {
    pub code: String,
    pub name: String,
    pub minutes: u32,
    pub fee: String,
    pub tax_rate: Option<String>,
    pub late_cancel_percent: Option<String>,
    pub no_show_percent: Option<String>,
}

/// A checked service, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceFields {
    pub code: String,
    pub name: String,
    pub minutes: u32,
    pub fee: i64,
    pub tax_bp: Option<u32>,
    pub late_cancel_bp: u32,
    pub no_show_bp: u32,
}

/// The percentages a new service takes when none are given: the practice's policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeePolicy {
    pub late_cancel_bp: u32,
    pub no_show_bp: u32,
}

impl Default for FeePolicy {
    /// The full session fee for a late cancellation and for a no-show.
    fn default() -> Self {
        FeePolicy {
            late_cancel_bp: FULL,
            no_show_bp: FULL,
        }
    }
}

/// A service code: letters, digits, `-`, `.` and `_`, 1 to 20 characters (e.g. `90834`).
pub fn check_code(code: &str) -> Result<String, String> {
    let c = code.trim();
    if c.is_empty() || c.chars().count() > 20 {
        return Err("give a code of 1 to 20 characters, as you bill it (e.g. 90834)".into());
    }
    if !c
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '.' | '_'))
    {
        return Err(format!(
            "“{c}”: a code uses letters, digits, - . and _ only (e.g. 90834)"
        ));
    }
    Ok(c.to_string())
}

impl ServiceInput {
    /// Checks every field; all problems at once.
    pub fn validate(
        &self,
        cur: Currency,
        policy: FeePolicy,
    ) -> Result<ServiceFields, ValidationError> {
        let mut errors = Vec::new();
        let mut err = |f: &'static str, m: String| errors.push(super::FieldError::new(f, m));
        let code = check_code(&self.code).unwrap_or_else(|m| {
            err("code", m);
            String::new()
        });
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 120 {
            err(
                "name",
                "give the service a name of 1 to 120 characters".into(),
            );
        }
        if self.minutes == 0 || self.minutes > 600 {
            err("minutes", "give the length in minutes, 1 to 600".into());
        }
        let fee = cur.parse_amount(&self.fee, false).unwrap_or_else(|m| {
            err("fee", m);
            0
        });
        let mut pct = |f: &'static str, v: &Option<String>, default: u32| match v {
            None => default,
            Some(s) => money::parse_percent(s).unwrap_or_else(|m| {
                err(f, m);
                0
            }),
        };
        let tax_bp = self
            .tax_rate
            .as_ref()
            .map(|_| pct("tax_rate", &self.tax_rate, 0));
        let late_cancel_bp = pct(
            "late_cancel_percent",
            &self.late_cancel_percent,
            policy.late_cancel_bp,
        );
        let no_show_bp = pct("no_show_percent", &self.no_show_percent, policy.no_show_bp);
        if errors.is_empty() {
            Ok(ServiceFields {
                code,
                name,
                minutes: self.minutes,
                fee,
                tax_bp,
                late_cancel_bp,
                no_show_bp,
            })
        } else {
            Err(ValidationError { errors })
        }
    }
}

/// What an outcome means for a session's charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeRule {
    /// Nothing is charged.
    Nothing,
    /// Charge this (before tax).
    Charge { basis: ChargeBasis, amount: i64 },
    /// This would have been charged, but the fee was waived in the cancellation flow.
    Waived { basis: ChargeBasis, amount: i64 },
}

/// The charge that follows from a session's outcome: attended or late → the fee; no-show →
/// the no-show percent; a client's late cancellation → the late-cancellation percent unless
/// waived; anything else (scheduled, cancelled in time, rescheduled, a practitioner's
/// cancellation, a session converted to phone or video and not yet held) → nothing. A
/// percentage that comes to zero charges nothing.
pub fn charge_for(
    status: SessionStatus,
    cancelled_by_client: bool,
    fee_waived: bool,
    fee: i64,
    late_cancel_bp: u32,
    no_show_bp: u32,
) -> ChargeRule {
    let (basis, amount) = match status {
        SessionStatus::Attended | SessionStatus::Late => (ChargeBasis::Session, fee),
        SessionStatus::NoShow => (ChargeBasis::NoShow, money::percent_of(fee, no_show_bp)),
        SessionStatus::LateCancelled if cancelled_by_client => {
            let amount = money::percent_of(fee, late_cancel_bp);
            if fee_waived && amount > 0 {
                return ChargeRule::Waived {
                    basis: ChargeBasis::LateCancel,
                    amount,
                };
            }
            (ChargeBasis::LateCancel, amount)
        }
        _ => return ChargeRule::Nothing,
    };
    if amount > 0 {
        ChargeRule::Charge { basis, amount }
    } else {
        ChargeRule::Nothing
    }
}

/// The tax on an amount at `tax_bp` (rounded half to even).
pub fn tax_on(amount: i64, tax_bp: Option<u32>) -> i64 {
    tax_bp.map_or(0, |bp| money::percent_of(amount, bp))
}

/// The place-of-service code for a superbill: 11 office; 10 telehealth in the client's home;
/// 02 telehealth somewhere else. `at_home` is what the remote check said (unknown → home).
pub fn place_of_service(modality: Modality, at_home: Option<bool>) -> &'static str {
    match (modality, at_home) {
        (Modality::InPerson, _) => "11",
        (_, Some(false)) => "02",
        _ => "10",
    }
}

/// Diagnosis codes as typed (separated by commas, semicolons or spaces), each checked for the
/// shape of an ICD-10 code (a letter, two digits or a digit and a letter, then optionally a
/// dot and up to four more): `F41.1`, `F32.0`, `Z63.0`.
pub fn parse_diagnoses(input: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for raw in input
        .split([',', ';', ' '])
        .filter(|s| !s.trim().is_empty())
    {
        let code = raw.trim().to_ascii_uppercase();
        if !is_icd10_shape(&code) {
            return Err(format!(
                "“{}” does not look like an ICD-10 code (a letter, two characters, optionally a dot and up to four more, e.g. F41.1)",
                raw.trim()
            ));
        }
        if !out.contains(&code) {
            out.push(code);
        }
    }
    Ok(out)
}

fn is_icd10_shape(code: &str) -> bool {
    let (head, tail) = match code.split_once('.') {
        Some((_, "")) => return false,
        Some((h, t)) => (h, t),
        None if code.len() > 3 => code.split_at(3),
        None => (code, ""),
    };
    let h = head.as_bytes();
    h.len() == 3
        && h[0].is_ascii_uppercase()
        && h[1].is_ascii_digit()
        && h[2].is_ascii_alphanumeric()
        && tail.len() <= 4
        && tail.bytes().all(|c| c.is_ascii_alphanumeric())
}

/// A charge (or a positive adjustment) that is not yet paid in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenDebit {
    pub id: i64,
    pub on: NaiveDate,
    pub remaining: i64,
}

/// A payment (or a negative adjustment) with money not yet applied to a charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenCredit {
    pub id: i64,
    pub available: i64,
}

/// One application of credit to a charge: (credit line, debit line, amount).
pub type Application = (i64, i64, i64);

/// Applies credit to open charges: first `first` (from the credit `first_from`) to the charges
/// asked for, in the order asked; then the oldest credit to the oldest charge until one side
/// runs out. Both lists are oldest first.
pub fn settle(
    debits: &[OpenDebit],
    credits: &[OpenCredit],
    first: &[i64],
    first_from: Option<i64>,
) -> Vec<Application> {
    let mut debits: Vec<OpenDebit> = debits.to_vec();
    let mut credits: Vec<OpenCredit> = credits.to_vec();
    let mut out = Vec::new();
    if let Some(from) = first_from
        && let Some(c) = credits.iter_mut().find(|c| c.id == from)
    {
        for want in first {
            if let Some(d) = debits.iter_mut().find(|d| d.id == *want) {
                let amount = c.available.min(d.remaining);
                if amount > 0 {
                    out.push((c.id, d.id, amount));
                    c.available -= amount;
                    d.remaining -= amount;
                }
            }
        }
    }
    let mut ci = credits.iter_mut().filter(|c| c.available > 0).peekable();
    for d in debits.iter_mut().filter(|d| d.remaining > 0) {
        while d.remaining > 0 {
            let Some(c) = ci.peek_mut() else {
                return out;
            };
            let amount = c.available.min(d.remaining);
            out.push((c.id, d.id, amount));
            c.available -= amount;
            d.remaining -= amount;
            if c.available == 0 {
                ci.next();
            }
        }
    }
    out
}

/// What a client owes, from the sums of their ledger: charges − voids ± adjustments −
/// payments + refunds. A negative sum is credit, never a negative balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Totals {
    /// Charges and positive adjustments, less voids.
    pub charged: i64,
    /// Payments and negative adjustments, less refunds.
    pub paid: i64,
    pub balance: i64,
    pub credit: i64,
}

impl Totals {
    /// From one signed sum per kind of line (each as stored: positive, adjustments signed).
    pub fn from_lines<'a>(lines: impl IntoIterator<Item = &'a (LedgerKind, i64)>) -> Totals {
        let (mut charged, mut paid) = (0i64, 0i64);
        for (kind, amount) in lines {
            match kind {
                LedgerKind::Charge => charged += amount,
                LedgerKind::Void => charged -= amount,
                LedgerKind::Adjustment if *amount >= 0 => charged += amount,
                LedgerKind::Adjustment => paid -= amount,
                LedgerKind::Payment => paid += amount,
                LedgerKind::Refund => paid -= amount,
            }
        }
        Totals::new(charged, paid)
    }

    pub fn new(charged: i64, paid: i64) -> Totals {
        let net = charged - paid;
        Totals {
            charged,
            paid,
            balance: net.max(0),
            credit: (-net).max(0),
        }
    }

    /// Owed (positive) or in credit (negative).
    pub fn net(&self) -> i64 {
        self.balance - self.credit
    }
}

/// The age bands of money owed: 0–30, 31–60, 61–90 and over 90 days.
pub fn age_band(days: i64) -> usize {
    match days {
        i64::MIN..=30 => 0,
        31..=60 => 1,
        61..=90 => 2,
        _ => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SessionStatus as S;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_charge_table_outcome_by_waiver_by_percent() {
        use ChargeBasis as B;
        use ChargeRule::{Charge, Nothing, Waived};
        let fee = 15000;
        // (outcome, by client, waived, late %, no-show %) -> rule
        let table: &[(S, bool, bool, u32, u32, ChargeRule)] = &[
            (
                S::Attended,
                true,
                false,
                5000,
                10000,
                Charge {
                    basis: B::Session,
                    amount: 15000,
                },
            ),
            (
                S::Late,
                true,
                false,
                5000,
                10000,
                Charge {
                    basis: B::Session,
                    amount: 15000,
                },
            ),
            (
                S::Attended,
                true,
                true,
                0,
                0,
                Charge {
                    basis: B::Session,
                    amount: 15000,
                },
            ),
            (
                S::NoShow,
                true,
                false,
                5000,
                10000,
                Charge {
                    basis: B::NoShow,
                    amount: 15000,
                },
            ),
            (
                S::NoShow,
                true,
                false,
                5000,
                5000,
                Charge {
                    basis: B::NoShow,
                    amount: 7500,
                },
            ),
            (
                S::NoShow,
                true,
                false,
                5000,
                3333,
                Charge {
                    basis: B::NoShow,
                    amount: 5000,
                },
            ),
            (S::NoShow, true, false, 5000, 0, Nothing),
            (
                S::LateCancelled,
                true,
                false,
                5000,
                10000,
                Charge {
                    basis: B::LateCancel,
                    amount: 7500,
                },
            ),
            (
                S::LateCancelled,
                true,
                false,
                10000,
                0,
                Charge {
                    basis: B::LateCancel,
                    amount: 15000,
                },
            ),
            (
                S::LateCancelled,
                true,
                true,
                5000,
                10000,
                Waived {
                    basis: B::LateCancel,
                    amount: 7500,
                },
            ),
            (S::LateCancelled, true, true, 0, 10000, Nothing),
            (S::LateCancelled, true, false, 0, 10000, Nothing),
            (S::LateCancelled, false, false, 10000, 10000, Nothing),
            (S::LateCancelled, false, true, 10000, 10000, Nothing),
            (S::Cancelled, true, false, 10000, 10000, Nothing),
            (S::Cancelled, true, true, 10000, 10000, Nothing),
            (S::Rescheduled, true, false, 10000, 10000, Nothing),
            (S::Scheduled, true, false, 10000, 10000, Nothing),
        ];
        for (status, by_client, waived, late, ns, want) in table {
            assert_eq!(
                charge_for(*status, *by_client, *waived, fee, *late, *ns),
                *want,
                "{status} by_client={by_client} waived={waived} late={late} no_show={ns}"
            );
        }
        // Half to even on the percent: 50 % of 0.05 is 0.02, of 0.15 is 0.08.
        assert_eq!(
            charge_for(S::NoShow, true, false, 5, 0, 5000),
            Charge {
                basis: B::NoShow,
                amount: 2
            }
        );
        assert_eq!(
            charge_for(S::LateCancelled, true, false, 15, 5000, 0),
            Charge {
                basis: B::LateCancel,
                amount: 8
            }
        );
        // A free service charges nothing.
        assert_eq!(charge_for(S::Attended, true, false, 0, 0, 0), Nothing);
    }

    #[test]
    fn services_are_checked_field_by_field() {
        let usd = Currency::parse("USD").unwrap();
        let ok = ServiceInput {
            code: " 90834 ".into(),
            name: "Psychotherapy, 45 minutes".into(),
            minutes: 45,
            fee: "150".into(),
            tax_rate: Some("7.5".into()),
            late_cancel_percent: Some("50".into()),
            no_show_percent: None,
        }
        .validate(usd, FeePolicy::default())
        .unwrap();
        assert_eq!(ok.code, "90834");
        assert_eq!(ok.fee, 15000);
        assert_eq!(ok.tax_bp, Some(750));
        assert_eq!(ok.late_cancel_bp, 5000);
        assert_eq!(ok.no_show_bp, 10000);
        let bad = ServiceInput {
            code: "90 834".into(),
            name: " ".into(),
            minutes: 0,
            fee: "150.005".into(),
            tax_rate: Some("abc".into()),
            late_cancel_percent: Some("120".into()),
            no_show_percent: Some("-1".into()),
        }
        .validate(usd, FeePolicy::default())
        .unwrap_err();
        for f in [
            "code",
            "name",
            "minutes",
            "fee",
            "tax_rate",
            "late_cancel_percent",
            "no_show_percent",
        ] {
            assert!(bad.for_field(f).is_some(), "{f}");
        }
    }

    #[test]
    fn place_of_service_follows_the_modality_and_the_remote_check() {
        assert_eq!(place_of_service(Modality::InPerson, None), "11");
        assert_eq!(place_of_service(Modality::InPerson, Some(false)), "11");
        assert_eq!(place_of_service(Modality::Video, Some(true)), "10");
        assert_eq!(place_of_service(Modality::Video, None), "10");
        assert_eq!(place_of_service(Modality::Phone, Some(false)), "02");
    }

    #[test]
    fn diagnosis_codes_have_the_icd10_shape() {
        assert_eq!(
            parse_diagnoses("f41.1, F32.0;Z63.0  F41.1").unwrap(),
            vec!["F41.1", "F32.0", "Z63.0"]
        );
        assert_eq!(parse_diagnoses("F430").unwrap(), vec!["F430"]);
        assert_eq!(parse_diagnoses("").unwrap(), Vec::<String>::new());
        for bad in ["41.1", "F4", "F41.", "F41.12345", "FF1.1", "F41-1"] {
            assert!(parse_diagnoses(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn settle_pays_the_oldest_first_and_the_asked_for_first() {
        let debits = [
            OpenDebit {
                id: 1,
                on: d("2026-01-05"),
                remaining: 100,
            },
            OpenDebit {
                id: 2,
                on: d("2026-01-12"),
                remaining: 100,
            },
            OpenDebit {
                id: 3,
                on: d("2026-01-19"),
                remaining: 100,
            },
        ];
        let pay = [OpenCredit {
            id: 10,
            available: 150,
        }];
        assert_eq!(
            settle(&debits, &pay, &[], None),
            vec![(10, 1, 100), (10, 2, 50)]
        );
        assert_eq!(
            settle(&debits, &pay, &[3], Some(10)),
            vec![(10, 3, 100), (10, 1, 50)]
        );
        let two = [
            OpenCredit {
                id: 10,
                available: 30,
            },
            OpenCredit {
                id: 11,
                available: 500,
            },
        ];
        assert_eq!(
            settle(&debits, &two, &[], None),
            vec![(10, 1, 30), (11, 1, 70), (11, 2, 100), (11, 3, 100)]
        );
        assert!(settle(&[], &two, &[], None).is_empty());
        assert!(settle(&debits, &[], &[], None).is_empty());
    }

    #[test]
    fn totals_follow_the_formula() {
        use LedgerKind as K;
        let lines = [
            (K::Charge, 15000),
            (K::Charge, 15000),
            (K::Void, 15000),
            (K::Adjustment, -2000),
            (K::Payment, 10000),
            (K::Refund, 1000),
        ];
        let t = Totals::from_lines(&lines);
        assert_eq!(t.charged, 15000);
        assert_eq!(t.paid, 11000);
        assert_eq!(t.balance, 4000);
        assert_eq!(t.credit, 0);
        let t = Totals::from_lines(&[(K::Payment, 500)]);
        assert_eq!((t.balance, t.credit, t.net()), (0, 500, -500));
        assert_eq!(
            [
                age_band(0),
                age_band(30),
                age_band(31),
                age_band(60),
                age_band(61),
                age_band(90),
                age_band(91)
            ],
            [0, 0, 1, 1, 2, 2, 3]
        );
    }

    proptest! {
        #[test]
        fn settle_never_overpays_and_leaves_one_side_empty(
            ds in proptest::collection::vec(1i64..10_000, 0..12),
            cs in proptest::collection::vec(1i64..10_000, 0..6),
        ) {
            let debits: Vec<OpenDebit> = ds.iter().enumerate().map(|(i, r)| OpenDebit { id: i as i64, on: d("2026-01-01"), remaining: *r }).collect();
            let credits: Vec<OpenCredit> = cs.iter().enumerate().map(|(i, a)| OpenCredit { id: 100 + i as i64, available: *a }).collect();
            let apps = settle(&debits, &credits, &[], None);
            let applied: i64 = apps.iter().map(|a| a.2).sum();
            let owed: i64 = ds.iter().sum();
            let have: i64 = cs.iter().sum();
            prop_assert_eq!(applied, owed.min(have));
            prop_assert!(apps.iter().all(|a| a.2 > 0));
        }
    }
}
