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

/// Appends `t` as a JSON string, escaped exactly as serde_json escapes it. Runs that need no
/// escaping (everything but `"`, `\` and control characters, all ASCII) are copied whole.
fn push_json_string(out: &mut String, t: &str) {
    out.push('"');
    let bytes = t.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            b if b < 0x20 => "",
            _ => continue,
        };
        // Every byte escaped is ASCII, so `i` is on a character boundary.
        out.push_str(&t[start..i]);
        if esc.is_empty() {
            use std::fmt::Write;
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&t[start..]);
    out.push('"');
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 15)]));
    }
    s
}

/// A SHA-256 digest as 64 lowercase hex digits, on the stack.
fn hex32(d: &[u8]) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (i, b) in d.iter().take(32).enumerate() {
        out[2 * i] = HEX[usize::from(b >> 4)];
        out[2 * i + 1] = HEX[usize::from(b & 15)];
    }
    out
}

/// Appends one value as the canonical form writes it.
fn push_field(out: &mut String, value: &Field<'_>) {
    match value {
        Field::Null => out.push_str("null"),
        Field::Integer(n) => {
            use std::fmt::Write;
            let _ = write!(out, "{n}");
        }
        Field::Real(f) => out.push_str(
            &serde_json::Number::from_f64(*f)
                .map(|n| n.to_string())
                .unwrap_or_else(|| "null".into()),
        ),
        Field::Text(t) => push_json_string(out, t),
        Field::Blob(b) => {
            out.push_str("{\"hex\":\"");
            out.push_str(&hex(b));
            out.push_str("\"}");
        }
    }
}

/// The canonical form of a record given as (column, value) pairs, in any order.
pub fn canonical(fields: &[(&str, &Field<'_>)]) -> String {
    let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
    let mut out = String::new();
    CanonicalWriter::new(&names, &[]).write(|i| *fields[i].1, &mut out);
    out
}

/// Writes the canonical form of many records with the same columns (the rows of one query)
/// without sorting or allocating for each: the order of the columns and their written names
/// are worked out once. [`canonical`] is this writer used once.
pub struct CanonicalWriter {
    /// (index of the column in the row, `"name":`), in canonical order.
    order: Vec<(usize, String)>,
}

impl CanonicalWriter {
    /// For rows whose columns are `names`, leaving out those in `skip`.
    pub fn new(names: &[&str], skip: &[&str]) -> CanonicalWriter {
        let mut cols: Vec<(usize, &str)> = names
            .iter()
            .enumerate()
            .filter(|(_, n)| !skip.contains(n))
            .map(|(i, n)| (i, *n))
            .collect();
        cols.sort_by(|a, b| a.1.as_bytes().cmp(b.1.as_bytes()));
        let order = cols
            .into_iter()
            .map(|(i, n)| {
                let mut key = String::new();
                push_json_string(&mut key, n);
                key.push(':');
                (i, key)
            })
            .collect();
        CanonicalWriter { order }
    }

    /// Replaces `out` with the canonical form of the row whose value in column `i` is
    /// `value(i)`.
    pub fn write<'v>(&self, mut value: impl FnMut(usize) -> Field<'v>, out: &mut String) {
        out.clear();
        out.push('{');
        let mut first = true;
        for (i, key) in &self.order {
            let v = value(*i);
            if matches!(v, Field::Null) {
                continue;
            }
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(key);
            push_field(out, &v);
        }
        out.push('}');
    }
}

/// SHA-256 of `bytes`, as 64 lowercase hex digits (bytes), without allocating.
pub fn sha256_hex_bytes(bytes: &[u8]) -> [u8; 64] {
    hex32(&Sha256::digest(bytes))
}

/// The hash of an audit entry as 64 lowercase hex digits (bytes), without allocating.
pub fn chain_hash_bytes(prev: &str, canonical: &str) -> [u8; 64] {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    hex32(&h.finalize())
}

/// SHA-256 of `bytes`, as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The hash of an audit entry, from the hash before it and its canonical form.
pub fn chain_hash(prev: &str, canonical: &str) -> String {
    String::from_utf8_lossy(&chain_hash_bytes(prev, canonical)).into_owned()
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
