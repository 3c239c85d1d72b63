//! Pure types and rules: no I/O, no SQL, no terminal.
//!
//! Everything the CLI and the TUI agree on lives here, so that a rule is written once.

pub mod assessment;
pub mod attendance;
pub mod attention;
pub mod backup;
// Fees and payments (issue 17).
pub mod billing;
pub mod billing_docs;
pub mod cancellation;
pub mod client;
pub mod custodian;
pub mod engagement;
pub mod error;
pub mod ical;
pub mod instrument;
pub mod money;
pub mod note;
pub mod pdf;
pub mod printable;
pub mod schedule;
pub mod seal;
pub mod session;
pub mod time;
// Stored values in words (counts, the audit trail's words).
pub mod words;
// The working relationship (issue 7).
pub mod boundary;
pub mod discharge;
pub mod document;
pub mod goal;
pub mod handout;
pub mod practice;
pub mod record;
pub mod records;
pub mod retention;
pub mod signals;

pub use error::{FieldError, ValidationError};

/// Declares an enumeration that is stored, printed and parsed as snake_case words
/// (the same in the database, JSON and CSV), with a plain label for the screen.
///
/// ```text
/// word_enum! { pub enum Colour { Red = "red" / "Red", DarkBlue = "dark_blue" / "Dark blue" } }
/// ```
#[macro_export]
macro_rules! word_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident = $word:literal / $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every stored word, in declaration order.
            pub const WORDS: &'static [&'static str] = &[$($word),+];

            /// The stored word (snake_case).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// The words a clinician reads on screen.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The position of this value in [`Self::ALL`].
            pub fn index(self) -> usize {
                Self::ALL.iter().position(|v| *v == self).unwrap_or(0)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::domain::error::UnknownWord;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim() {
                    $($word => Ok($name::$variant),)+
                    other => Err($crate::domain::error::UnknownWord {
                        got: other.to_string(),
                        expected: Self::WORDS,
                    }),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(::serde::de::Error::custom)
            }
        }
    };
}
