//! A client's Billing tab: their balance and credit, their ledger (charges, voids, adjustments,
//! payments, refunds, newest first) and the history of their own fees (the sliding scale).
//!
//! Read by [`BillingView::load`] when the client view opens and after every write; drawing
//! never touches the store. Every amount is shown by [`money`], the one formatter.

use std::collections::HashMap;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::domain::billing::LedgerKind;
use crate::domain::money::Currency;
use crate::domain::time::DateStyle;
use crate::store::billing::ClientFee;
use crate::store::ledger::{Balance, LedgerLine};
use crate::store::{Result, Store};
use crate::tui::action::Action;
use crate::tui::theme::Theme;
use crate::tui::widgets::rows::{fit, render_rows};

/// An amount as the app shows it everywhere: the practice's currency code and the amount in
/// its minor unit's decimals (`USD 150.00`, `JPY 1500`).
pub fn money(currency: Currency, minor: i64) -> String {
    currency.show(minor)
}

/// The Billing tab's view model.
#[derive(Debug, Clone, Default)]
pub struct BillingView {
    pub client_id: i64,
    /// `None` until the practice has a currency (nothing is billed before).
    pub currency: Option<Currency>,
    pub balance: Option<Balance>,
    /// Newest first.
    pub lines: Vec<LedgerLine>,
    /// What is still owed on each open line, by id.
    pub open: HashMap<i64, i64>,
    /// The client's own fees, newest first.
    pub fees: Vec<ClientFee>,
    pub selected: usize,
}

impl BillingView {
    /// Reads the client's money (keeping the selection when it is read again).
    pub fn load(store: &Store, client_id: i64) -> Result<BillingView> {
        let currency = store.billing_settings()?.currency;
        let mut v = BillingView {
            client_id,
            currency,
            ..Default::default()
        };
        if currency.is_none() {
            return Ok(v);
        }
        let balance = store.balance(client_id)?;
        v.open = balance.open.iter().map(|o| (o.id, o.remaining)).collect();
        v.balance = Some(balance);
        v.lines = store.ledger(client_id, None, None)?;
        v.lines.reverse();
        v.fees = store.client_fees(client_id)?;
        v.fees
            .sort_by(|a, b| b.from.cmp(&a.from).then(b.id.cmp(&a.id)));
        Ok(v)
    }

    /// Reads it again after a write, keeping the selected line where it can.
    pub fn reload(&mut self, store: &Store) -> Result<()> {
        let keep = self.lines.get(self.selected).map(|l| l.id);
        let mut fresh = BillingView::load(store, self.client_id)?;
        fresh.selected = keep
            .and_then(|k| fresh.lines.iter().position(|l| l.id == k))
            .unwrap_or(0);
        *self = fresh;
        Ok(())
    }

    /// What the client owes now (0 when nothing, or when they are in credit).
    pub fn due(&self) -> i64 {
        self.balance.as_ref().map_or(0, |b| b.balance.max(0))
    }

    /// Moves in the ledger; true when the action was a move.
    pub fn handle(&mut self, action: Action) -> bool {
        let last = self.lines.len().saturating_sub(1);
        self.selected = match action {
            Action::Down => (self.selected + 1).min(last),
            Action::Up => self.selected.saturating_sub(1),
            Action::PageDown => (self.selected + 10).min(last),
            Action::PageUp => self.selected.saturating_sub(10),
            Action::Top => 0,
            Action::Bottom => last,
            _ => return false,
        };
        true
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, dates: DateStyle) {
        let (Some(cur), Some(b)) = (self.currency, &self.balance) else {
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border_focus)
                .title(Span::styled(" Billing ", theme.title));
            Paragraph::new(Span::styled(
                "Nothing is billed yet: the practice has no currency. Set it once with `caseload billing --currency USD` and add a service (on Practice, s).",
                theme.muted,
            ))
            .wrap(Wrap { trim: true })
            .block(block)
            .render(area, buf);
            return;
        };
        let [summary, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
        let mut spans = vec![Span::raw(" ")];
        if b.balance > 0 {
            spans.push(Span::styled(
                format!("Balance due {}", money(cur, b.balance)),
                theme.warn,
            ));
        } else {
            spans.push(Span::styled("Nothing owed", theme.good));
        }
        if b.credit > 0 {
            spans.push(Span::styled(
                format!(" · credit {}", money(cur, b.credit)),
                theme.good,
            ));
        }
        spans.push(Span::styled(
            format!(
                " · charged {} · paid {} · p records a payment",
                money(cur, b.charged),
                money(cur, b.paid)
            ),
            theme.muted,
        ));
        Paragraph::new(Line::from(spans)).render(summary, buf);
        let (ledger, fees) = if rest.width >= 100 {
            let [l, r] =
                Layout::horizontal([Constraint::Min(60), Constraint::Length(36)]).areas(rest);
            (l, r)
        } else {
            let h = (self.fees.len() as u16 + 2).clamp(3, 6);
            let [l, r] = Layout::vertical([Constraint::Min(3), Constraint::Length(h)]).areas(rest);
            (l, r)
        };
        self.render_ledger(ledger, buf, theme, dates, cur);
        self.render_fees(fees, buf, theme, dates, cur);
    }

    fn render_ledger(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        dates: DateStyle,
        cur: Currency,
    ) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focus)
            .title(Span::styled(
                format!(" Ledger · {} · newest first ", self.lines.len()),
                theme.title,
            ));
        let inner = block.inner(area);
        block.render(area, buf);
        if self.lines.is_empty() {
            Paragraph::new(Span::styled(
                "Nothing charged or paid yet. A session's fee is charged when its outcome is recorded.",
                theme.muted,
            ))
            .wrap(Wrap { trim: true })
            .render(inner, buf);
            return;
        }
        render_rows(inner, buf, &self.lines, self.selected, |l, sel, w| {
            let amount = match l.kind {
                LedgerKind::Payment | LedgerKind::Void => money(cur, -l.amount),
                _ => money(cur, l.amount),
            };
            // The amount column shows the currency; what is still owed is the bare amount.
            let owed = match self.open.get(&l.id) {
                Some(r) => format!("owes {}", cur.grouped(*r)),
                None => String::new(),
            };
            let room = w.saturating_sub(2 + 12 + 11 + 1 + 14 + 2 + 16).max(8);
            let text = format!(
                "{} {:<12}{:<11}{:<room$} {:>14}  {}",
                if sel { "▶" } else { " " },
                dates.format(l.at),
                l.kind.label(),
                fit(&what(l), room),
                amount,
                owed,
            );
            let style = if sel {
                theme.selected
            } else {
                match l.kind {
                    LedgerKind::Payment => theme.good,
                    LedgerKind::Void | LedgerKind::Refund => theme.muted,
                    _ if self.open.contains_key(&l.id) => theme.warn,
                    _ => theme.base,
                }
            };
            (fit(&text, w), style)
        });
    }

    fn render_fees(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        dates: DateStyle,
        cur: Currency,
    ) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border)
            .title(Span::styled(" Own fees (sliding scale) ", theme.title));
        let inner = block.inner(area);
        block.render(area, buf);
        if self.fees.is_empty() {
            Paragraph::new(Span::styled(
                "None: the service's fee applies. Set one with `caseload fee set`.",
                theme.muted,
            ))
            .wrap(Wrap { trim: true })
            .render(inner, buf);
            return;
        }
        let w = usize::from(inner.width);
        let lines: Vec<Line> = self
            .fees
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let text = format!(
                    "{} from {} · {}{}",
                    money(cur, f.fee),
                    dates.format(f.from),
                    f.service.as_deref().unwrap_or("every service"),
                    f.note
                        .as_deref()
                        .map(|n| format!(" · {n}"))
                        .unwrap_or_default()
                );
                // The newest is the one that applies now; the rest are history.
                let style = if i == 0 { theme.base } else { theme.muted };
                Line::from(Span::styled(fit(&text, w), style))
            })
            .collect();
        Paragraph::new(lines).render(inner, buf);
    }
}

/// What a ledger line is about, in words.
fn what(l: &LedgerLine) -> String {
    let mut parts: Vec<String> = Vec::new();
    match l.kind {
        LedgerKind::Charge => {
            if let Some(b) = l.basis {
                parts.push(b.label().to_string());
            }
            if let Some(s) = &l.service {
                parts.push(s.clone());
            }
        }
        LedgerKind::Payment => {
            if let Some(m) = l.method {
                parts.push(m.label().to_string());
            }
        }
        LedgerKind::Void => {
            if let Some(c) = l.applied_to.first() {
                parts.push(format!("of charge {c}"));
            }
        }
        LedgerKind::Refund => {
            if let Some(p) = l.applied_to.first() {
                parts.push(format!("of payment {p}"));
            }
        }
        LedgerKind::Adjustment => {}
    }
    if let Some(r) = &l.reason {
        parts.push(r.clone());
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::billing::{BillingSettings, PaymentMethod, ServiceInput};
    use crate::domain::client::ClientInput;
    use crate::domain::session::{Modality, SessionStatus};
    use crate::domain::time::parse_local;
    use crate::store::session::{BookOutcome, BookingRequest};

    fn practice() -> (Store, i64) {
        let local = parse_local("2026-11-23 09:30").unwrap();
        let now = local.and_utc();
        let mut s = Store::open_in_memory().unwrap();
        let f = ClientInput {
            name: "Ruth Morgan".into(),
            ..Default::default()
        }
        .validate(local.date())
        .unwrap();
        let id = s.add_client(&f, now).unwrap().id;
        (s, id)
    }

    #[test]
    fn no_currency_shows_nothing_billed() {
        let (s, id) = practice();
        let v = BillingView::load(&s, id).unwrap();
        assert!(v.currency.is_none());
        assert_eq!(v.due(), 0);
        assert!(v.lines.is_empty());
    }

    #[test]
    fn reads_the_ledger_newest_first_with_what_is_owed() {
        let (mut s, id) = practice();
        let local = parse_local("2026-11-23 09:30").unwrap();
        let now = local.and_utc();
        s.set_billing_settings(&BillingSettings {
            currency: Some(Currency::parse("USD").unwrap()),
            ..Default::default()
        })
        .unwrap();
        s.add_service(
            &ServiceInput {
                code: "90834".into(),
                name: "Psychotherapy".into(),
                minutes: 45,
                fee: "150".into(),
                ..Default::default()
            },
            now,
        )
        .unwrap();
        for day in ["2026-11-16 10:00", "2026-11-20 10:00"] {
            let req = BookingRequest {
                client_id: id,
                starts_at: parse_local(day).unwrap(),
                minutes: 50,
                modality: Modality::InPerson,
                repeat: crate::domain::schedule::Repeat::Once,
            };
            let BookOutcome::Booked(ids) = s.book(&req, true, now).unwrap() else {
                panic!("clash")
            };
            s.mark_session(ids[0], SessionStatus::Attended, "tui", local, now)
                .unwrap();
        }
        s.add_payment(id, "100", PaymentMethod::Cash, local.date(), None, &[], now)
            .unwrap();
        let mut v = BillingView::load(&s, id).unwrap();
        assert_eq!(v.due(), 20_000);
        assert_eq!(v.lines.len(), 3);
        assert_eq!(v.lines[0].kind, LedgerKind::Payment);
        assert_eq!(v.lines[2].kind, LedgerKind::Charge);
        // The oldest charge is part paid; the newer one owes all of it.
        assert_eq!(v.open.get(&v.lines[2].id), Some(&5_000));
        assert_eq!(v.open.get(&v.lines[1].id), Some(&15_000));
        assert_eq!(
            money(v.currency.unwrap(), v.due()),
            "USD 200.00".to_string()
        );
        assert!(v.handle(Action::Bottom));
        assert_eq!(v.selected, 2);
        let kept = v.lines[2].id;
        v.reload(&s).unwrap();
        assert_eq!(v.lines[v.selected].id, kept);
    }
}
