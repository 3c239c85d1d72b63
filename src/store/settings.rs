//! Practice settings: one JSON value per key, read with a default when absent.

use rusqlite::OptionalExtension;
use serde::{Serialize, de::DeserializeOwned};

use super::{Result, Store, StoreError};

impl Store {
    /// The setting stored under `key`, or `None` when it was never set.
    pub fn setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let raw: Option<String> = self
            .conn()
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?;
        raw.map(|s| {
            serde_json::from_str(&s).map_err(|e| {
                StoreError::Refused(format!(
                    "The stored setting “{key}” could not be read ({e})."
                ))
            })
        })
        .transpose()
    }

    /// Stores a setting (one transaction).
    pub fn set_setting<T: Serialize>(&mut self, key: &str, value: &T) -> Result<()> {
        let json = serde_json::to_string(value).map_err(|e| {
            StoreError::Refused(format!("The setting “{key}” could not be saved ({e})."))
        })?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, json),
            )?;
            Ok(())
        })
    }
}
