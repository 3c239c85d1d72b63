//! Privacy by construction: the one place where a client's name, preferred name, email or
//! emergency contact becomes screen text.
//!
//! Every screen and dialog that shows one of them asks [`Names`] for it, *before* cutting it to
//! width, padding it or drawing anything over it. With privacy mode on, names come back as
//! initials ("M.L."), never padded to the name's width; text that is not a client's name is never
//! touched. Nothing patches the finished frame. Documents written to files are unaffected
//! (privacy is about the screen); anything previewed on screen follows it.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::domain::client::initials;

/// How client names are shown now: in full, or as initials (privacy mode). A small value of the
/// app's state, handed to everything that draws.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Names {
    /// Privacy mode: names show as initials.
    pub private: bool,
}

impl Names {
    pub fn new(private: bool) -> Names {
        Names { private }
    }

    /// A client's name as the record or a list has it ("Maria Lopez", "Mia L."): itself, or its
    /// initials ("M.L.") in privacy mode.
    pub fn client<'a>(&self, name: &'a str) -> Cow<'a, str> {
        if self.private {
            // A same-named client's number stays: "S.L. (2)".
            if let Some((base, n)) = split_number(name) {
                return Cow::Owned(format!("{} ({n})", initials(base)));
            }
            Cow::Owned(initials(name))
        } else {
            Cow::Borrowed(name)
        }
    }

    /// The client's first name for words addressed to them or about them ("Maria's phone"):
    /// the first word of `name` (a preferred or short name works too), or initials.
    pub fn first<'a>(&self, name: &'a str) -> Cow<'a, str> {
        if self.private {
            Cow::Owned(initials(name))
        } else {
            Cow::Borrowed(name.split_whitespace().next().unwrap_or(""))
        }
    }

    /// An email address (it usually spells the name out): itself, or "hidden".
    pub fn email<'a>(&self, email: &'a str) -> Cow<'a, str> {
        if self.private && !email.trim().is_empty() {
            Cow::Borrowed("(hidden in privacy mode)")
        } else {
            Cow::Borrowed(email)
        }
    }

    /// Free text about the client's people (the emergency contact, "Jonas Walsh (family),
    /// 555-0132"): itself, or with every capitalised word cut to its initial ("J. W. (family),
    /// 555-0132").
    pub fn people<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if !self.private {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut word = String::new();
        let flush = |word: &mut String, out: &mut String| {
            let mut chars = word.chars();
            match chars.next() {
                Some(c) if c.is_uppercase() && word.chars().count() > 1 => {
                    out.push(c);
                    out.push('.');
                }
                _ => out.push_str(word),
            }
            word.clear();
        };
        for ch in text.chars() {
            if ch.is_alphabetic() || ch == '\'' || ch == '-' {
                word.push(ch);
            } else {
                flush(&mut word, &mut out);
                out.push(ch);
            }
        }
        flush(&mut word, &mut out);
        Cow::Owned(out)
    }
}

/// "Sam L. (2)" → ("Sam L.", "2"): the number that tells same-named clients apart.
fn split_number(name: &str) -> Option<(&str, &str)> {
    let (base, rest) = name.rsplit_once(" (")?;
    let n = rest.strip_suffix(')')?;
    (!n.is_empty() && n.chars().all(|c| c.is_ascii_digit())).then_some((base, n))
}

/// A listed name cut to `w` columns, keeping the number that tells same-named clients apart:
/// "Sam L. (2)" → "Sam L.(2)" → "Sam…(2)".
pub fn fit_name(name: &str, w: usize) -> String {
    let len = |s: &str| s.chars().count();
    if len(name) <= w {
        return name.to_string();
    }
    let Some((base, n)) = split_number(name) else {
        return crate::tui::widgets::rows::fit(name, w);
    };
    let tag = format!("({n})");
    let tight = format!("{base}{tag}");
    if len(&tight) <= w {
        return tight;
    }
    let room = w.saturating_sub(len(&tag));
    if room == 0 {
        return crate::tui::widgets::rows::fit(name, w);
    }
    format!("{}{tag}", crate::tui::widgets::rows::fit(base, room))
}

/// Clients listed under the same short name ("Adaeze L." four times), told apart by a number in
/// the order they were added: "Adaeze L. (1)" … "(4)". Privacy mode keeps the number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Twins(HashMap<i64, String>);

impl Twins {
    /// From every client's id and short name, oldest first.
    pub fn new(clients: &[(i64, String)]) -> Twins {
        let mut by_name: HashMap<&str, Vec<i64>> = HashMap::new();
        for (id, short) in clients {
            by_name.entry(short.as_str()).or_default().push(*id);
        }
        let mut out = HashMap::new();
        for (short, mut ids) in by_name {
            if ids.len() < 2 {
                continue;
            }
            ids.sort_unstable();
            for (i, id) in ids.into_iter().enumerate() {
                out.insert(id, format!("{short} ({})", i + 1));
            }
        }
        Twins(out)
    }

    /// Numbers `short` (a listed client's short name) when another client shares it.
    pub fn tell_apart(&self, id: i64, short: &mut String) {
        if let Some(n) = self.0.get(&id)
            && split_number(short).is_none()
        {
            *short = n.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_named_clients_are_numbered_and_keep_it_in_privacy_mode() {
        let twins = Twins::new(&[
            (3, "Sam L.".to_string()),
            (1, "Ada W.".to_string()),
            (9, "Sam L.".to_string()),
        ]);
        let mut a = "Sam L.".to_string();
        twins.tell_apart(9, &mut a);
        assert_eq!(a, "Sam L. (2)");
        let mut b = "Sam L.".to_string();
        twins.tell_apart(3, &mut b);
        assert_eq!(b, "Sam L. (1)");
        let mut c = "Ada W.".to_string();
        twins.tell_apart(1, &mut c);
        assert_eq!(c, "Ada W.");
        assert_eq!(Names::new(true).client("Sam L. (2)"), "S.L. (2)");
        assert_eq!(Names::new(false).client("Sam L. (2)"), "Sam L. (2)");
        assert_eq!(fit_name("Sam L. (2)", 10), "Sam L. (2)");
        assert_eq!(fit_name("Sam L. (2)", 9), "Sam L.(2)");
        assert_eq!(fit_name("Sam L. (2)", 7), "Sam…(2)");
        assert_eq!(fit_name("Samantha L.", 7), "Samant…");
    }

    #[test]
    fn names_show_in_full_unless_private_and_initials_are_never_padded() {
        let open = Names::new(false);
        let private = Names::new(true);
        assert_eq!(open.client("Maria Lopez"), "Maria Lopez");
        assert_eq!(private.client("Maria Lopez"), "M.L.");
        assert_eq!(private.client("Mia L."), "M.L.");
        assert_eq!(open.first("Maria L."), "Maria");
        assert_eq!(private.first("Maria L."), "M.L.");
        assert_eq!(
            format!("{}'s phone", private.first("Jo L.")),
            "J.L.'s phone"
        );
        assert_eq!(private.client("王 小明"), "王.小.");
    }

    #[test]
    fn emails_and_people_are_hidden_only_in_privacy_mode() {
        let private = Names::new(true);
        assert_eq!(
            Names::new(false).email("maria.lopez@example.org"),
            "maria.lopez@example.org"
        );
        assert_eq!(
            private.email("maria.lopez@example.org"),
            "(hidden in privacy mode)"
        );
        assert_eq!(private.email(""), "");
        assert_eq!(
            private.people("Jonas Walsh (family), 555-4654"),
            "J. W. (family), 555-4654"
        );
        assert_eq!(private.people("Seán O'Brien-Ó Néill"), "S. O. N.");
        assert_eq!(
            Names::new(false).people("Jonas Walsh (family)"),
            "Jonas Walsh (family)"
        );
    }
}
