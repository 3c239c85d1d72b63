#![allow(clippy::unwrap_used, clippy::panic)]
//! Money in the app, on the demo practice: a client's Billing tab, a payment in two keys from
//! the tab and from Today, a bad amount refused, Today's mark on a client who owes, the
//! Income view on Reports, and Services and fees on Practice.

mod tui_common;

use caseload::domain::billing::LedgerKind;
use caseload::tui::App;
use caseload::tui::keymap::Context;
use caseload::tui::screens::client::Tab;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_common::{keys, press, screen};

/// The demo practice with the "balance due" threshold at 30 days (the demo's own is 60, and
/// its oldest unpaid charge is six weeks old on the test's today).
fn demo_app(clients: usize) -> App {
    let mut app = tui_common::demo_app(clients);
    let mut s = app.store.billing_settings().unwrap();
    s.balance_over_days = 30;
    app.store.set_billing_settings(&s).unwrap();
    app.refresh().unwrap();
    app
}

/// The first session on Today whose client owes past the threshold: (row, client id).
fn owing_row(app: &App) -> (usize, i64) {
    app.today
        .rows
        .iter()
        .enumerate()
        .find(|(_, l)| app.today.owing.contains_key(&l.session.client_id))
        .map(|(i, l)| (i, l.session.client_id))
        .expect("a client on Today owes money in the demo")
}

fn select_row(app: &mut App, row: usize) {
    press(app, KeyCode::Char('g'));
    for _ in 0..row {
        press(app, KeyCode::Char('j'));
    }
}

fn payments(app: &App, client: i64) -> usize {
    app.store
        .ledger(client, None, None)
        .unwrap()
        .iter()
        .filter(|l| l.kind == LedgerKind::Payment)
        .count()
}

fn open_billing_tab(app: &mut App, client: i64) {
    app.open_client(client);
    while app.client_view.as_ref().unwrap().tab != Tab::Billing {
        press(app, KeyCode::Char(']'));
    }
    assert_eq!(app.context(), Context::ClientBilling);
}

#[test]
fn today_marks_a_client_who_owes_and_p_enter_records_what_is_due() {
    let mut app = demo_app(30);
    let (row, client) = owing_row(&app);
    let due = app.store.balance(client).unwrap().balance;
    assert!(due > 0);
    select_row(&mut app, row);
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("owes USD "), "{s}");
    let before = payments(&app, client);
    let audit_before = app.store.audit_entries(Some(client)).unwrap().len();
    press(&mut app, KeyCode::Char('p'));
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("Record a payment"), "{s}");
    press(&mut app, KeyCode::Enter);
    assert!(app.popups.is_empty());
    let b = app.store.balance(client).unwrap();
    assert_eq!(b.balance, 0);
    assert_eq!(payments(&app, client), before + 1);
    let paid = app.store.ledger(client, None, None).unwrap();
    let last = paid
        .iter()
        .filter(|l| l.kind == LedgerKind::Payment)
        .max_by_key(|l| l.id)
        .unwrap();
    assert_eq!(last.amount, due);
    assert_eq!(last.at.to_string(), "2026-11-23");
    let audit = app.store.audit_entries(Some(client)).unwrap();
    assert_eq!(audit.len(), audit_before + 1);
    assert!(audit.iter().any(|e| e.action == "payment_added"));
    let msg = app.message.clone().unwrap().text;
    assert!(msg.contains("nothing owed"), "{msg}");
    // The row is no longer marked.
    assert!(!app.today.owing.contains_key(&client));
}

#[test]
fn a_bad_amount_is_refused_under_its_field_and_nothing_is_written() {
    let mut app = demo_app(30);
    let (row, client) = owing_row(&app);
    select_row(&mut app, row);
    let before = app.store.ledger(client, None, None).unwrap().len();
    press(&mut app, KeyCode::Char('p'));
    // Clear the amount filled in, then type too many decimals.
    app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL));
    app.handle_key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::CONTROL));
    app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL));
    keys(&mut app, "12.345");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.popups.len(), 1, "the form stays open");
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("12.345"), "{s}");
    assert!(s.contains("decimal"), "{s}");
    // Negative, and words, are refused too.
    for bad in ["-5", "ten"] {
        app.handle_key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::CONTROL));
        app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL));
        keys(&mut app, bad);
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.popups.len(), 1, "{bad} is refused");
    }
    // A day that is not a date, likewise.
    app.handle_key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::CONTROL));
    app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL));
    keys(&mut app, "10");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    keys(&mut app, "yesterday");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.popups.len(), 1);
    assert_eq!(app.store.ledger(client, None, None).unwrap().len(), before);
    // Esc asks before throwing the typing away; y discards.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    assert!(app.popups.is_empty());
    assert_eq!(app.store.ledger(client, None, None).unwrap().len(), before);
}

#[test]
fn the_billing_tab_shows_the_ledger_and_takes_a_payment_by_cash() {
    let mut app = demo_app(30);
    let (_, client) = owing_row(&app);
    open_billing_tab(&mut app, client);
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("Balance due USD "), "{s}");
    assert!(s.contains("Ledger ·"), "{s}");
    assert!(s.contains("Own fees (sliding scale)"), "{s}");
    assert!(s.contains("Charge"), "{s}");
    press(&mut app, KeyCode::Char('p'));
    // Amount: 10; method: Card → Bank transfer → Cheque → … choose Cash (one back from Card).
    app.handle_key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::CONTROL));
    app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL));
    keys(&mut app, "10");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Enter);
    assert!(app.popups.is_empty(), "{:?}", app.message);
    let v = app.client_view.as_ref().unwrap();
    let top = &v.billing.lines[0];
    assert_eq!(top.kind, LedgerKind::Payment);
    assert_eq!(top.amount, 1000);
    assert_eq!(
        top.method,
        Some(caseload::domain::billing::PaymentMethod::Cash)
    );
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("Payment"), "{s}");
    assert!(s.contains("Cash"), "{s}");
}

#[test]
fn income_view_charts_twelve_months_and_goes_back() {
    let mut app = demo_app(30);
    press(&mut app, KeyCode::Char('4'));
    press(&mut app, KeyCode::Char('i'));
    assert_eq!(app.context(), Context::Income);
    let v = app.income.as_ref().unwrap();
    assert_eq!(v.months.len(), 12);
    assert_eq!(v.to.key(), "2026-11");
    assert!(v.months.iter().any(|m| m.charged > 0));
    assert!(v.months.iter().any(|m| m.collected > 0));
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("Income · December 2025 – November 2026"), "{s}");
    assert!(s.contains("Charged USD "), "{s}");
    assert!(s.contains("still owed"), "{s}");
    press(&mut app, KeyCode::Char('['));
    assert_eq!(app.income.as_ref().unwrap().to.key(), "2025-11");
    press(&mut app, KeyCode::Char(']'));
    press(&mut app, KeyCode::Char(']'));
    assert_eq!(app.income.as_ref().unwrap().to.key(), "2026-11");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Reports);
    assert!(app.income.is_none());
}

#[test]
fn services_are_listed_added_and_retired_on_practice() {
    let mut app = demo_app(10);
    press(&mut app, KeyCode::Char('5'));
    press(&mut app, KeyCode::Char('s'));
    assert_eq!(app.context(), Context::Services);
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("Services and fees"), "{s}");
    assert!(s.contains("90834"), "{s}");
    let n = app.store.services().unwrap().len();
    press(&mut app, KeyCode::Char('a'));
    keys(&mut app, "90846");
    press(&mut app, KeyCode::Tab);
    keys(&mut app, "Family without the client");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    keys(&mut app, "120.505");
    press(&mut app, KeyCode::Enter);
    // Three decimals: refused under the fee, nothing added.
    assert_eq!(app.store.services().unwrap().len(), n);
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("needs a look"), "{s}");
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.store.services().unwrap().len(), n + 1);
    let added = app.store.service_by_code("90846").unwrap();
    assert_eq!(added.fee, 12050);
    assert_eq!(added.minutes, 50);
    assert_eq!(app.context(), Context::Services);
    // Retire it: asked first; n keeps it, y retires it.
    let pos = {
        let d = app
            .popups
            .top::<caseload::tui::dialogs::ServicesDialog>()
            .unwrap();
        d.services.iter().position(|s| s.code == "90846").unwrap()
    };
    press(&mut app, KeyCode::Char('g'));
    for _ in 0..pos {
        press(&mut app, KeyCode::Char('j'));
    }
    press(&mut app, KeyCode::Char('x'));
    press(&mut app, KeyCode::Char('n'));
    assert!(app.store.service_by_code("90846").unwrap().active);
    press(&mut app, KeyCode::Char('x'));
    press(&mut app, KeyCode::Char('y'));
    assert!(!app.store.service_by_code("90846").unwrap().active);
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("retired"), "{s}");
    let audit = app.store.audit_entries(None).unwrap();
    assert!(audit.iter().any(|e| e.action == "service_retired"));
}

#[test]
fn snapshots_of_the_billing_tab_and_the_income_view() {
    for (w, h) in [(120u16, 40u16), (80, 24)] {
        let mut app = demo_app(30);
        let (_, client) = owing_row(&app);
        open_billing_tab(&mut app, client);
        insta::assert_snapshot!(format!("billing_tab_{w}x{h}"), screen(&mut app, w, h));
        let mut app = demo_app(30);
        press(&mut app, KeyCode::Char('4'));
        press(&mut app, KeyCode::Char('i'));
        insta::assert_snapshot!(format!("income_view_{w}x{h}"), screen(&mut app, w, h));
    }
}
