//! The money documents a client or an insurer asks for — an invoice / statement, a receipt and
//! a superbill — as content on the one document model (rendered to md, html, txt and PDF).
//! No note text ever appears in them.
#![deny(clippy::float_arithmetic)]

use chrono::NaiveDate;

use super::billing::{ChargeBasis, LedgerKind, PaymentMethod};
use super::document::{Block, DocFormat, Document, Table};
use super::money::Currency;
use crate::word_enum;

word_enum! {
    /// The format a money document is written in.
    pub enum BillFormat {
        Md = "md" / "Markdown",
        Html = "html" / "Web page (printable)",
        Txt = "txt" / "Plain text",
        Pdf = "pdf" / "PDF",
    }
}

impl BillFormat {
    /// The document's file contents in this format.
    pub fn bytes(self, d: &Document) -> Vec<u8> {
        match self {
            BillFormat::Md => d.render(DocFormat::Md).into_bytes(),
            BillFormat::Html => d.render(DocFormat::Html).into_bytes(),
            BillFormat::Txt => d.render(DocFormat::Txt).into_bytes(),
            BillFormat::Pdf => d.pdf(),
        }
    }
}

/// Who the document is from: the practice and the practitioner's identifiers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provider {
    pub practice_name: String,
    pub practitioner_name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub licence: Option<String>,
    pub npi: Option<String>,
    pub tax_id: Option<String>,
}

impl Provider {
    /// "Practice · what · amounts in USD", without empty parts.
    fn footer(&self, what: String, c: Currency) -> Block {
        let parts: Vec<String> = [
            self.name().trim().to_string(),
            what,
            format!("amounts in {}", c.code()),
        ]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect();
        Block::Footer(parts.join(" · "))
    }

    fn push_fields(&self, d: &mut Document, with_ids: bool) {
        if let Block::Fields(f) = self.fields(with_ids)
            && !f.is_empty()
        {
            d.push(Block::Fields(f));
        }
    }

    fn fields(&self, with_ids: bool) -> Block {
        let mut f: Vec<(String, String)> = Vec::new();
        let mut add = |k: &str, v: &str| {
            if !v.trim().is_empty() {
                f.push((k.to_string(), v.trim().to_string()));
            }
        };
        add("Practice", &self.practice_name);
        add("Practitioner", &self.practitioner_name);
        add("Address", &self.address);
        add("Phone", &self.phone);
        add("Email", &self.email);
        if with_ids {
            add("Licence", self.licence.as_deref().unwrap_or(""));
            add("NPI / provider number", self.npi.as_deref().unwrap_or(""));
            add("Tax id", self.tax_id.as_deref().unwrap_or(""));
        }
        Block::Fields(f)
    }

    fn name(&self) -> &str {
        if self.practice_name.trim().is_empty() {
            &self.practitioner_name
        } else {
            &self.practice_name
        }
    }
}

/// One line of a statement, as its effect on what is owed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLine {
    pub id: i64,
    pub at: NaiveDate,
    pub kind: LedgerKind,
    pub basis: Option<ChargeBasis>,
    pub service: Option<String>,
    pub method: Option<PaymentMethod>,
    pub reason: Option<String>,
    /// As stored (positive; adjustments signed).
    pub amount: i64,
}

impl StatementLine {
    /// What the line does to the balance: charges and positive adjustments and refunds add.
    pub fn effect(&self) -> i64 {
        match self.kind {
            LedgerKind::Charge | LedgerKind::Adjustment | LedgerKind::Refund => self.amount,
            LedgerKind::Void | LedgerKind::Payment => -self.amount,
        }
    }

    /// The line in words: "Session fee — 90834", "Payment (card)", "Charge voided: …".
    pub fn words(&self) -> String {
        let what = match (self.kind, self.basis) {
            (LedgerKind::Charge, Some(b)) => b.label().to_string(),
            (LedgerKind::Payment, _) => format!(
                "Payment{}",
                self.method
                    .map(|m| format!(" ({})", m.label().to_lowercase()))
                    .unwrap_or_default()
            ),
            (LedgerKind::Void, _) => "Charge voided".to_string(),
            (k, _) => k.label().to_string(),
        };
        match (&self.service, &self.reason, self.kind) {
            (Some(s), _, LedgerKind::Charge) => format!("{what} — {s}"),
            (_, Some(r), LedgerKind::Void | LedgerKind::Adjustment) => format!("{what}: {r}"),
            _ => what,
        }
    }
}

/// An invoice / statement for a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub provider: Provider,
    pub client_name: String,
    pub client_id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub issued: NaiveDate,
    pub currency: Currency,
    /// Owed (credit negative) before `from`.
    pub opening: i64,
    pub lines: Vec<StatementLine>,
}

/// Owed or in credit, in words.
fn owed_words(c: Currency, net: i64) -> String {
    if net < 0 {
        format!("{} in credit", c.show(-net))
    } else {
        c.show(net)
    }
}

impl Statement {
    pub fn closing(&self) -> i64 {
        self.opening + self.lines.iter().map(StatementLine::effect).sum::<i64>()
    }

    pub fn document(&self) -> Document {
        let c = self.currency;
        let mut d = Document::new(format!("Statement for {}", self.client_name));
        self.provider.push_fields(&mut d, false);
        d.push(Block::Fields(vec![
            (
                "Client".into(),
                format!("{} (no. {})", self.client_name, self.client_id),
            ),
            ("Period".into(), format!("{} to {}", self.from, self.to)),
            ("Issued".into(), self.issued.to_string()),
        ]));
        d.push(Block::Heading("Charges and payments".into()));
        let mut rows = vec![vec![
            self.from.to_string(),
            "Balance brought forward".into(),
            String::new(),
            String::new(),
        ]];
        rows[0][3] = c.grouped(self.opening);
        let mut running = self.opening;
        let (mut charged, mut paid) = (0i64, 0i64);
        for l in &self.lines {
            running += l.effect();
            if l.effect() >= 0 {
                charged += l.effect();
            } else {
                paid -= l.effect();
            }
            rows.push(vec![
                l.at.to_string(),
                l.words(),
                c.grouped(l.effect()),
                c.grouped(running),
            ]);
        }
        d.push(Block::Table(Table {
            header: vec![
                "Date".into(),
                "Item".into(),
                format!("Amount ({c})"),
                "Balance".into(),
            ],
            rows,
            right: vec![false, false, true, true],
        }));
        d.push(Block::Fields(vec![
            ("Charged in the period".into(), c.show(charged)),
            ("Paid in the period".into(), c.show(paid)),
            ("Balance due".into(), owed_words(c, self.closing())),
        ]));
        d.push(
            self.provider
                .footer(format!("statement issued {}", self.issued), c),
        );
        d
    }
}

/// A receipt for one payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub provider: Provider,
    pub client_name: String,
    pub payment_id: i64,
    pub paid_on: NaiveDate,
    pub amount: i64,
    pub method: Option<PaymentMethod>,
    pub note: Option<String>,
    /// What it paid: (date of the charge, item, amount applied).
    pub applied: Vec<(NaiveDate, String, i64)>,
    pub refunded: i64,
    pub issued: NaiveDate,
    pub currency: Currency,
}

impl Receipt {
    pub fn document(&self) -> Document {
        let c = self.currency;
        let mut d = Document::new(format!("Receipt no. {}", self.payment_id));
        self.provider.push_fields(&mut d, false);
        let mut f = vec![
            ("Received from".into(), self.client_name.clone()),
            ("Date paid".into(), self.paid_on.to_string()),
            ("Amount".into(), c.show(self.amount)),
            (
                "Paid by".into(),
                self.method
                    .map(|m| m.label().to_string())
                    .unwrap_or_default(),
            ),
        ];
        if self.refunded > 0 {
            f.push(("Refunded since".into(), c.show(self.refunded)));
        }
        if let Some(n) = self.note.as_deref().filter(|n| !n.trim().is_empty()) {
            f.push(("Note".into(), n.to_string()));
        }
        d.push(Block::Fields(f));
        if !self.applied.is_empty() {
            d.push(Block::Heading("Applied to".into()));
            d.push(Block::Table(Table {
                header: vec!["Date".into(), "Item".into(), format!("Amount ({c})")],
                rows: self
                    .applied
                    .iter()
                    .map(|(on, what, amount)| {
                        vec![on.to_string(), what.clone(), c.grouped(*amount)]
                    })
                    .collect(),
                right: vec![false, false, true],
            }));
        }
        let applied: i64 = self.applied.iter().map(|a| a.2).sum();
        let credit = self.amount - self.refunded - applied;
        if credit > 0 {
            d.push(Block::Para(format!(
                "{} is held as credit toward future sessions.",
                c.show(credit)
            )));
        }
        d.push(
            self.provider
                .footer(format!("receipt issued {}", self.issued), c),
        );
        d
    }
}

/// One session on a superbill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuperbillRow {
    pub on: NaiveDate,
    pub code: String,
    pub service: String,
    pub minutes: u32,
    /// 11 office, 10 telehealth at home, 02 telehealth elsewhere.
    pub place: &'static str,
    pub fee: i64,
    pub paid: i64,
}

/// A superbill: what a client needs to claim a month of sessions from their insurer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Superbill {
    pub provider: Provider,
    pub client_name: String,
    pub born: Option<NaiveDate>,
    pub diagnoses: Vec<String>,
    pub month: String,
    pub rows: Vec<SuperbillRow>,
    pub issued: NaiveDate,
    pub currency: Currency,
}

impl Superbill {
    pub fn document(&self) -> Document {
        let c = self.currency;
        let mut d = Document::new(format!("Superbill, {}", self.month));
        d.push(Block::Heading("Provider".into()));
        self.provider.push_fields(&mut d, true);
        d.push(Block::Heading("Client".into()));
        d.push(Block::Fields(vec![
            ("Name".into(), self.client_name.clone()),
            (
                "Date of birth".into(),
                self.born
                    .map(|b| b.to_string())
                    .unwrap_or_else(|| "not recorded".into()),
            ),
            (
                "Diagnosis (ICD-10)".into(),
                if self.diagnoses.is_empty() {
                    "not recorded".into()
                } else {
                    self.diagnoses.join(", ")
                },
            ),
        ]));
        d.push(Block::Heading("Services".into()));
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.on.to_string(),
                    r.code.clone(),
                    format!("{} ({} min)", r.service, r.minutes),
                    r.place.to_string(),
                    c.grouped(r.fee),
                    c.grouped(r.paid),
                ]
            })
            .collect();
        d.push(Block::Table(Table {
            header: vec![
                "Date".into(),
                "Code".into(),
                "Service".into(),
                "POS".into(),
                format!("Fee ({c})"),
                "Paid".into(),
            ],
            rows,
            right: vec![false, false, false, false, true, true],
        }));
        let fee: i64 = self.rows.iter().map(|r| r.fee).sum();
        let paid: i64 = self.rows.iter().map(|r| r.paid).sum();
        d.push(Block::Fields(vec![
            ("Total fees".into(), c.show(fee)),
            ("Total paid".into(), c.show(paid)),
        ]));
        d.push(Block::Para(
            "Place of service: 11 office; 10 telehealth in the client's home; 02 telehealth somewhere other than the home.".into(),
        ));
        d.push(
            self.provider
                .footer(format!("superbill issued {}", self.issued), c),
        );
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    fn provider() -> Provider {
        Provider {
            practice_name: "Harbour Counselling".into(),
            practitioner_name: "Sam Rivera".into(),
            npi: Some("1234567893".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_statement_carries_the_balance_forward_and_totals_the_period() {
        let line = |id, at, kind, amount| StatementLine {
            id,
            at: day(at),
            kind,
            basis: (kind == LedgerKind::Charge).then_some(ChargeBasis::Session),
            service: Some("90834".into()),
            method: (kind == LedgerKind::Payment).then_some(PaymentMethod::Card),
            reason: None,
            amount,
        };
        let s = Statement {
            provider: provider(),
            client_name: "Ruth Morgan".into(),
            client_id: 1,
            from: day("2026-03-01"),
            to: day("2026-03-31"),
            issued: day("2026-04-01"),
            currency: usd(),
            opening: 2000,
            lines: vec![
                line(7, "2026-03-02", LedgerKind::Charge, 15000),
                line(8, "2026-03-02", LedgerKind::Payment, 10000),
            ],
        };
        assert_eq!(s.closing(), 7000);
        let txt = s.document().render(DocFormat::Txt);
        assert!(txt.contains("Balance brought forward"), "{txt}");
        assert!(txt.contains("Session fee — 90834"), "{txt}");
        assert!(txt.contains("Payment (card)"), "{txt}");
        assert!(txt.contains("Balance due:            USD 70.00"), "{txt}");
        assert!(
            txt.contains("170.00"),
            "running balance after the charge: {txt}"
        );
    }

    #[test]
    fn a_superbill_names_the_provider_ids_diagnoses_and_place_of_service() {
        let b = Superbill {
            provider: provider(),
            client_name: "Ruth Morgan".into(),
            born: Some(day("1990-05-17")),
            diagnoses: vec!["F41.1".into()],
            month: "2026-03".into(),
            rows: vec![SuperbillRow {
                on: day("2026-03-02"),
                code: "90834".into(),
                service: "Psychotherapy".into(),
                minutes: 45,
                place: "10",
                fee: 15000,
                paid: 15000,
            }],
            issued: day("2026-04-01"),
            currency: usd(),
        };
        let md = b.document().render(DocFormat::Md);
        for want in [
            "1234567893",
            "1990-05-17",
            "F41.1",
            "| 2026-03-02 | 90834 | Psychotherapy (45 min) | 10 | 150.00 | 150.00 |",
        ] {
            assert!(md.contains(want), "{want}: {md}");
        }
        let pdf = BillFormat::Pdf.bytes(&b.document());
        assert!(pdf.starts_with(b"%PDF-"));
    }

    #[test]
    fn a_receipt_says_what_is_held_as_credit() {
        let r = Receipt {
            provider: provider(),
            client_name: "Ruth Morgan".into(),
            payment_id: 12,
            paid_on: day("2026-03-02"),
            amount: 20000,
            method: Some(PaymentMethod::Cash),
            note: None,
            applied: vec![(day("2026-03-02"), "Session fee — 90834".into(), 15000)],
            refunded: 0,
            issued: day("2026-03-02"),
            currency: usd(),
        };
        let txt = r.document().render(DocFormat::Txt);
        assert!(txt.contains("USD 50.00 is held as credit"), "{txt}");
        assert!(txt.starts_with("Receipt no. 12\n"), "{txt}");
    }
}
