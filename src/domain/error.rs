//! Errors a user can cause by what they type.

use std::fmt;

/// A word that is not one of an enumeration's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{got}” is not one of: {}", expected.join(", "))]
pub struct UnknownWord {
    pub got: String,
    pub expected: &'static [&'static str],
}

/// One field that was refused, and why, in words for the practitioner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's key (the JSON key and CLI flag stem), e.g. `name`, `born`.
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Input that was refused; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    pub errors: Vec<FieldError>,
}

impl ValidationError {
    pub fn one(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            errors: vec![FieldError::new(field, message)],
        }
    }

    /// The message for one field, if it was refused.
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.errors.iter().map(|e| e.to_string()).collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for ValidationError {}
