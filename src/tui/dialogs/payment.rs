//! Recording a payment: two keys from a client's Billing tab or Today's selected session (`p`,
//! then Enter takes the balance due as it stands); the method, the day and a note can be changed
//! first. The store refuses a bad amount with a message under the field; nothing is written.

use chrono::NaiveDate;

use crate::domain::billing::PaymentMethod;
use crate::domain::money::Currency;
use crate::tui::dialogs::*;
use crate::tui::screens::client_billing::money;
use crate::tui::widgets::form::{Field, Form};

/// A payment, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentInput {
    pub client_id: i64,
    /// Decimal text, checked by the store against the practice's currency.
    pub amount: String,
    pub method: PaymentMethod,
    /// `YYYY-MM-DD`; today when empty.
    pub on: String,
    pub note: String,
}

impl PaymentInput {
    /// The day paid: the typed date, or `today` when left empty.
    pub fn day(&self, today: NaiveDate) -> Result<NaiveDate, ValidationError> {
        let t = self.on.trim();
        if t.is_empty() {
            return Ok(today);
        }
        crate::domain::time::parse_date(t).map_err(|m| ValidationError::one("on", m))
    }
}

pub struct PaymentForm {
    pub client_id: i64,
    pub form: Form,
}

impl PaymentForm {
    /// A payment from a client who owes `due` (minor units of `currency`).
    pub fn new(client_id: i64, who: &str, currency: Currency, due: i64, credit: i64) -> Self {
        let methods: Vec<&'static str> = PaymentMethod::ALL.iter().map(|m| m.label()).collect();
        let card = PaymentMethod::Card.index();
        let amount = if due > 0 {
            currency.format(due)
        } else {
            String::new()
        };
        let mut form = Form::for_client(
            who,
            "Record a payment · {client}",
            vec![
                Field::text(
                    "amount",
                    "Amount",
                    &amount,
                    "The balance due is filled in; more than owed becomes credit.",
                ),
                Field::choice("method", "Method", methods, card, "Space or ←/→ to choose."),
                Field::text("on", "Paid on", "", "YYYY-MM-DD; today if left empty."),
                Field::text("note", "Note", "", "Optional: a cheque number, who paid."),
            ],
        );
        form.banner = Some(if due > 0 {
            format!("Balance due {} · Enter records it", money(currency, due))
        } else if credit > 0 {
            format!("Nothing owed; in credit {}", money(currency, credit))
        } else {
            "Nothing owed: a payment now is kept as credit".to_string()
        });
        PaymentForm { client_id, form }
    }

    fn input(&self) -> PaymentInput {
        let f = &self.form;
        PaymentInput {
            client_id: self.client_id,
            amount: f.text("amount"),
            method: PaymentMethod::ALL
                .get(f.choice("method"))
                .copied()
                .unwrap_or(PaymentMethod::Other),
            on: f.text("on"),
            note: f.text("note"),
        }
    }
}

impl FormHost for PaymentForm {
    fn form(&self) -> &Form {
        &self.form
    }
    fn form_mut(&mut self) -> &mut Form {
        &mut self.form
    }
    fn submit(&self) -> Result<Outcome, ValidationError> {
        Ok(Outcome::Apply(Apply::Money(Box::new(MoneyApply::Payment(
            self.input(),
        )))))
    }
}

/// A write asked for by a money dialog.
#[derive(Debug, Clone, PartialEq)]
pub enum MoneyApply {
    Payment(PaymentInput),
    AddService(crate::domain::billing::ServiceInput),
    /// Ask before retiring a service.
    AskRetire {
        code: String,
        name: String,
    },
    RetireService {
        code: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    #[test]
    fn enter_records_the_balance_due_by_card_today() {
        let mut f = PaymentForm::new(7, "Ruth Morgan", usd(), 12_050, 0);
        let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        let Outcome::Apply(Apply::Money(m)) = Dialog::handle(&mut f, Some(Action::Submit), &enter)
        else {
            panic!("Enter applies")
        };
        let MoneyApply::Payment(p) = *m else {
            panic!("a payment")
        };
        assert_eq!(p.client_id, 7);
        assert_eq!(p.amount, "120.50");
        assert_eq!(p.method, PaymentMethod::Card);
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(p.day(today).unwrap(), today);
        assert_eq!(
            f.form.banner.as_deref(),
            Some("Balance due USD 120.50 · Enter records it")
        );
    }

    #[test]
    fn nothing_owed_leaves_the_amount_empty_and_a_bad_day_is_refused() {
        let f = PaymentForm::new(7, "Ruth Morgan", usd(), 0, 3_000);
        assert_eq!(f.form.text("amount"), "");
        assert_eq!(
            f.form.banner.as_deref(),
            Some("Nothing owed; in credit USD 30.00")
        );
        let p = PaymentInput {
            client_id: 7,
            amount: "10".into(),
            method: PaymentMethod::Cash,
            on: "23/11/2026".into(),
            note: String::new(),
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let e = p.day(today).unwrap_err();
        assert!(e.for_field("on").is_some());
    }
}
