#![allow(clippy::unwrap_used, clippy::panic)]
//! End to end (the sandbox's clock, like `--now`, is Monday 23 November 2026, 09:00): on the demo practice, a payment recorded from Today in the real binary (`p` on the
//! first session, an amount, Enter) is what `caseload ledger` and `caseload balance` then show.

mod common;

use common::Sandbox;
use common::pty::Pty;

const NOW: &str = "2026-11-23 09:00";

#[test]
fn a_payment_from_today_shows_in_the_ledger_and_balance() {
    let s = Sandbox::new();
    s.ok(&["demo", "--clients", "30"]);
    // Today's first session, in time order: `g` selects it on Today.
    let day = s.json(&[
        "session",
        "list",
        "--from",
        "2026-11-23",
        "--to",
        "2026-11-23",
        "--json",
    ]);
    let first = &day.as_array().unwrap()[0];
    let client = first["client_id"].as_i64().unwrap().to_string();
    let before = s.json(&["balance", "--client", &client, "--json"]);

    let db = s.db().display().to_string();
    let data = s.path().join("data").display().to_string();
    let config = s.path().join("config").display().to_string();
    let home = s.path().display().to_string();
    let env = [
        ("XDG_DATA_HOME", data.as_str()),
        ("XDG_CONFIG_HOME", config.as_str()),
        ("HOME", home.as_str()),
        ("NO_COLOR", "1"),
    ];
    let mut app = Pty::spawn(&["--db", &db, "--now", NOW], &env, 120, 32);
    app.wait_for("Needs attention");
    app.send("g");
    app.send("p");
    app.wait_for("Record a payment");
    // Whatever is filled in, 42.50 is typed over it (Ctrl-A, Ctrl-K clear the field).
    app.send("\x01\x0b42.50");
    app.wait_for("42.50");
    app.enter();
    app.wait_for("Payment of USD 42.50 by card recorded");
    app.send("q");
    assert_eq!(app.finish(), 0);

    let ledger = s.json(&["ledger", "--client", &client, "--json"]);
    let payment = ledger
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] == "payment")
        .max_by_key(|l| l["id"].as_i64().unwrap())
        .unwrap()
        .clone();
    assert_eq!(payment["amount"], 4250);
    assert_eq!(payment["at"], "2026-11-23");
    assert_eq!(payment["method"], "card");
    assert_eq!(payment["currency"], "USD");
    let after = s.json(&["balance", "--client", &client, "--json"]);
    assert_eq!(
        after["paid"].as_i64().unwrap(),
        before["paid"].as_i64().unwrap() + 4250
    );
    let words = s.ok(&["ledger", "--client", &client]);
    assert!(words.contains("42.50"), "{words}");
}
