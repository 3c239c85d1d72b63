#![allow(clippy::unwrap_used, clippy::panic)]
//! Export → import → export is byte-identical on a property-generated practice.

use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use caseload::domain::client::{ClientInput, ClientStatus, ContactMethod, Telehealth};
use caseload::store::Store;

fn text() -> impl Strategy<Value = String> {
    // Quotes, commas, backslashes, accents, emoji and separators: everything JSON must escape.
    proptest::string::string_regex("[a-zA-Z0-9 ,\"'\\\\éøß€😀\u{2028}-]{0,24}").unwrap()
}

fn client() -> impl Strategy<Value = (ClientInput, Vec<usize>)> {
    (
        (text(), text(), text(), proptest::option::of(0usize..3)),
        (
            0usize..4,
            proptest::option::of(0u32..20000),
            proptest::collection::vec(0usize..4, 0..4),
        ),
    )
        .prop_map(
            |((name, preferred, pronouns, contact), (tele, born, moves))| {
                let input = ClientInput {
                    name: format!("N{name}"),
                    preferred_name: preferred,
                    pronouns,
                    born: born
                        .map(|d| {
                            (NaiveDate::from_ymd_opt(1940, 1, 1).unwrap()
                                + chrono::Duration::days(d.into()))
                            .to_string()
                        })
                        .unwrap_or_default(),
                    preferred_contact: contact.map(|c| ContactMethod::ALL[c]),
                    telehealth_consent: Telehealth::ALL[tele],
                    ..Default::default()
                };
                (input, moves)
            },
        )
}

fn export(s: &Store) -> Vec<u8> {
    let mut out = Vec::new();
    s.export_json(&mut out, &mut |_| {}).unwrap();
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn export_import_export_is_byte_identical(
        clients in proptest::collection::vec(client(), 0..25),
        keep in proptest::option::of(0u32..40),
    ) {
        let today = NaiveDate::from_ymd_opt(2026, 3, 14).unwrap();
        let mut s = Store::open_in_memory().unwrap();
        for (i, (input, moves)) in clients.iter().enumerate() {
            let now = Utc.with_ymd_and_hms(2026, 3, 14, 9, 0, 0).unwrap() + chrono::Duration::minutes(i as i64);
            let Ok(fields) = input.validate(today) else { continue };
            let c = s.add_client(&fields, now).unwrap();
            for m in moves {
                s.set_client_status(c.id, ClientStatus::ALL[*m], now).unwrap();
            }
        }
        if let Some(k) = keep {
            s.set_setting("backup.keep_daily", &k).unwrap();
        }
        let first = export(&s);
        let dir = tempfile::tempdir().unwrap();
        let mut t = Store::open(&dir.path().join("new.db")).unwrap();
        t.import_json(&first, &mut |_| {}).unwrap();
        drop(t);
        let t = Store::open(&dir.path().join("new.db")).unwrap();
        prop_assert_eq!(String::from_utf8(export(&t)).unwrap(), String::from_utf8(first).unwrap());
        prop_assert!(t.check().unwrap().ok);
    }
}
