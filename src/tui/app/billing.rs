//! The app's side of money: recording a payment (from a client's Billing tab or Today's
//! selected session), and the Practice screen's services and fees. Each write is one store
//! transaction, audited there; the views are read again after it.

use super::App;
use crate::domain::billing::PaymentMethod;
use crate::store::StoreError;
use crate::tui::dialogs::{MoneyApply, PaymentForm, PaymentInput, RetireConfirm, ServicesDialog};

impl App {
    /// `p`: the payment form for a client, the balance due filled in (Enter records it).
    pub(crate) fn open_payment(&mut self, client_id: i64, name: &str) {
        let currency = match self.store.billing_settings() {
            Ok(s) => s.currency,
            Err(e) => return self.error(e.to_string()),
        };
        let Some(currency) = currency else {
            return self.error(
                "The practice has no currency yet, so no payment can be recorded. Set it once with `caseload billing --currency USD`.",
            );
        };
        match self.store.balance(client_id) {
            Ok(b) => self.popups.push(PaymentForm::new(
                client_id,
                name,
                currency,
                b.balance.max(0),
                b.credit,
            )),
            Err(e) => self.error(e.to_string()),
        }
    }

    /// `p` on Today: a payment from the selected session's client.
    pub(crate) fn payment_from_today(&mut self) {
        match self.today.selected() {
            Some(l) => {
                let (id, name) = (l.session.client_id, l.client.clone());
                self.open_payment(id, &name);
            }
            None => self.error(
                "There is no session on this day: select one to take a payment from its client.",
            ),
        }
    }

    /// `s` on Practice: the services and their fees.
    pub(crate) fn open_services(&mut self) {
        let currency = match self.store.billing_settings() {
            Ok(s) => s.currency,
            Err(e) => return self.error(e.to_string()),
        };
        match self.store.services() {
            Ok(list) => self.popups.push(ServicesDialog::new(currency, list)),
            Err(e) => self.error(e.to_string()),
        }
    }

    pub(super) fn apply_money(&mut self, m: MoneyApply) {
        let now = self.clock.now_utc();
        match m {
            MoneyApply::Payment(p) => self.record_payment(p),
            MoneyApply::AddService(input) => match self.store.add_service(&input, now) {
                Ok(s) => {
                    self.popups.pop();
                    self.reload_services();
                    self.after_write();
                    self.info(format!("Added the service {} · {}.", s.code, s.name));
                }
                Err(StoreError::Invalid(e)) => {
                    if let Some(top) = self.popups.last_mut() {
                        top.show_errors(&e);
                    }
                }
                Err(e) => self.error(format!("Not added: {e}")),
            },
            MoneyApply::AskRetire { code, name } => {
                let active = self
                    .store
                    .service_by_code(&code)
                    .map(|s| s.active)
                    .unwrap_or(false);
                if active {
                    self.popups.push(RetireConfirm { code, name });
                } else {
                    self.error(format!("The service “{code}” is already retired."));
                }
            }
            MoneyApply::RetireService { code } => {
                self.popups.pop();
                match self.store.retire_service(&code, now) {
                    Ok(s) => {
                        self.reload_services();
                        self.after_write();
                        self.info(format!(
                            "Retired {} · {}: no longer offered; its charges stay.",
                            s.code, s.name
                        ));
                    }
                    Err(e) => self.error(format!("Not retired: {e}")),
                }
            }
        }
    }

    /// Records a payment: one transaction (the payment, what it pays, the audit entry). A bad
    /// amount or day is shown under its field and nothing is written.
    fn record_payment(&mut self, p: PaymentInput) {
        let today = self.clock.today();
        let on = match p.day(today) {
            Ok(d) => d,
            Err(e) => {
                if let Some(top) = self.popups.last_mut() {
                    top.show_errors(&e);
                }
                return;
            }
        };
        let note = Some(p.note.as_str()).filter(|n| !n.trim().is_empty());
        let saved = self.store.add_payment(
            p.client_id,
            &p.amount,
            p.method,
            on,
            note,
            &[],
            self.clock.now_utc(),
        );
        match saved {
            Ok(line) => {
                self.popups.pop();
                self.after_write();
                let who = match self.store.client(p.client_id) {
                    Ok(c) => self.names().client(&c.short_name()).into_owned(),
                    Err(_) => "the client".to_string(),
                };
                let how = match p.method {
                    PaymentMethod::Other => String::new(),
                    m => format!(" by {}", m.label().to_lowercase()),
                };
                let left = self
                    .store
                    .balance(p.client_id)
                    .map(|b| {
                        if b.balance > 0 {
                            format!("still owed {}", b.currency.show(b.balance))
                        } else if b.credit > 0 {
                            format!("in credit {}", b.currency.show(b.credit))
                        } else {
                            "nothing owed".to_string()
                        }
                    })
                    .unwrap_or_default();
                self.info(format!(
                    "Payment of {}{how} recorded for {who}; {left}.",
                    line.currency.show(line.amount)
                ));
            }
            Err(StoreError::Invalid(e)) => {
                if let Some(top) = self.popups.last_mut() {
                    top.show_errors(&e);
                }
            }
            // The form stays open with everything typed.
            Err(e) => self.error(format!("Not recorded: {e}")),
        }
    }

    /// The services list, if open, read again.
    fn reload_services(&mut self) {
        let Ok(list) = self.store.services() else {
            return;
        };
        if let Some(d) = self.popups.top_mut::<ServicesDialog>() {
            d.replace(list);
        }
    }
}
