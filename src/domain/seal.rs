//! The seal of the audit trail: a canonical serialisation of a record, and the SHA-256 chain
//! over the trail's entries.
//!
//! **Canonical form** of a record (an audit entry, or the content a signature seals): one line of
//! JSON, `{"column":value,…}`, with the columns sorted by name (byte order), no spaces, columns
//! whose value is NULL left out, whole numbers in decimal, text as a JSON string (escaped as
//! serde_json escapes it: `"` `\` and control characters; everything else as UTF-8), a real
//! number as serde_json writes it, and bytes as `{"hex":"…"}`. It is generic over the columns,
//! so a column added to a table later (empty in older rows) changes no older record's form.
//!
//! **Chain**: each audit entry stores `prev_hash` (the hash of the entry before it; 64 zeros for
//! the first) and `hash` = SHA-256 of `prev_hash` + `"\n"` + the entry's canonical form (its
//! columns except `prev_hash` and `hash`), written as 64 lowercase hex digits. Changing, removing
//! or reordering any entry changes every hash after it.
//!
//! **Content seal**: the entry that signs a note, and the entry of each addendum, carries
//! `seal` = SHA-256 of the canonical form of the columns [`sealed_columns`] names for that table.

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Audit columns outside the entry's canonical form.
pub const CHAIN_COLUMNS: [&str; 2] = ["prev_hash", "hash"];

/// One stored value, borrowed from the row it was read from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Field<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// Appends `t` as a JSON string, escaped exactly as serde_json escapes it.
fn push_json_string(out: &mut String, t: &str) {
    out.push('"');
    for c in t.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                use std::fmt::Write;
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The canonical form of a record given as (column, value) pairs, in any order.
pub fn canonical(fields: &[(&str, &Field<'_>)]) -> String {
    let mut sorted: Vec<&(&str, &Field<'_>)> = fields
        .iter()
        .filter(|(_, v)| !matches!(v, Field::Null))
        .collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut out = String::from("{");
    for (i, (name, value)) in sorted.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(&mut out, name);
        out.push(':');
        match value {
            Field::Null => out.push_str("null"),
            Field::Integer(n) => out.push_str(&n.to_string()),
            Field::Real(f) => out.push_str(
                &serde_json::Number::from_f64(*f)
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| "null".into()),
            ),
            Field::Text(t) => push_json_string(&mut out, t),
            Field::Blob(b) => {
                out.push_str("{\"hex\":\"");
                out.push_str(&hex(b));
                out.push_str("\"}");
            }
        }
    }
    out.push('}');
    out
}

/// SHA-256 of `bytes`, as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The hash of an audit entry, from the hash before it and its canonical form.
pub fn chain_hash(prev: &str, canonical: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    hex(&h.finalize())
}

/// The columns a content seal covers, for the tables whose rows are sealed when written.
pub fn sealed_columns(table: &str) -> Option<&'static [&'static str]> {
    match table {
        "notes" => Some(&[
            "id",
            "client_id",
            "session_id",
            "template",
            "body",
            "signed_at",
        ]),
        "note_addenda" => Some(&["id", "note_id", "text", "created_at"]),
        _ => None,
    }
}

/// The tables whose rows carry a content seal.
pub const SEALED_TABLES: [&str; 2] = ["notes", "note_addenda"];

/// Whether `s` is a hash as the chain writes it.
pub fn is_hash(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn canonical_sorts_columns_and_leaves_out_nulls() {
        let id = Field::Integer(7);
        let text = Field::Text("Line \"one\"\nzwei ü");
        let null = Field::Null;
        let blob = Field::Blob(&[0, 255]);
        let real = Field::Real(1.5);
        let form = canonical(&[
            ("zeta", &text),
            ("id", &id),
            ("later", &null),
            ("b", &blob),
            ("hours", &real),
        ]);
        assert_eq!(
            form,
            r#"{"b":{"hex":"00ff"},"hours":1.5,"id":7,"zeta":"Line \"one\"\nzwei ü"}"#
        );
        // A column added later and empty in an old row leaves its form as it was.
        assert_eq!(
            canonical(&[("id", &id)]),
            canonical(&[("id", &id), ("added", &null)])
        );
    }

    #[test]
    fn text_is_escaped_as_serde_json_escapes_it() {
        let all: String = (0u32..0x80)
            .filter_map(char::from_u32)
            .chain("ü€😀\u{2028}".chars())
            .collect();
        let mut ours = String::new();
        push_json_string(&mut ours, &all);
        assert_eq!(ours, serde_json::Value::String(all.clone()).to_string());
    }

    #[test]
    fn hashes_are_sha256_in_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            chain_hash(GENESIS, "{}"),
            sha256_hex(format!("{GENESIS}\n{{}}").as_bytes())
        );
        assert!(is_hash(&sha256_hex(b"")));
        assert!(!is_hash("ABC"));
        assert!(!is_hash(&"G".repeat(64)));
    }

    proptest! {
        #[test]
        fn any_change_to_a_value_changes_the_hash(
            bytes in proptest::collection::vec(any::<u8>(), 1..40),
            text in "[a-z ]{1,20}",
            n in any::<i64>(),
            at in 0usize..40,
            by in 1u8..=255,
        ) {
            let form = |b: &[u8], t: &str, n: i64| {
                let (b, t, n) = (Field::Blob(b), Field::Text(t), Field::Integer(n));
                chain_hash(GENESIS, &canonical(&[("b", &b), ("t", &t), ("n", &n)]))
            };
            let before = form(&bytes, &text, n);
            let mut changed = bytes.clone();
            let i = at % changed.len();
            changed[i] = changed[i].wrapping_add(by);
            prop_assert_ne!(&before, &form(&changed, &text, n));
            let mut t2 = text.clone().into_bytes();
            let j = at % t2.len();
            t2[j] = if t2[j] == b'z' { b'a' } else { b'z' };
            prop_assert_ne!(&before, &form(&bytes, &String::from_utf8_lossy(&t2), n));
            prop_assert_ne!(&before, &form(&bytes, &text, n.wrapping_add(1)));
        }
    }
}
