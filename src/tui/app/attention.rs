//! The whole-practice needs-attention list, read on a worker with its own read connection: just
//! after the first frame, and again when the app has been idle long enough that time alone may
//! have changed it. Keys are handled meanwhile; the list is put in when it arrives, then brought
//! up to date for the writes made while it was being read.

use chrono::NaiveDateTime;

use super::App;
use crate::background::Worker;
use crate::domain::attention::AttentionItem;
use crate::store::attention::Scope;

/// The worker reading the list, and the time the newest request asked about.
pub struct AttentionReader {
    worker: Worker<NaiveDateTime, Vec<AttentionItem>>,
    asked_at: Option<NaiveDateTime>,
}

impl App {
    /// Asks the worker for the whole list as at `now` (a practice in memory, with nothing for
    /// another connection to open, is read here instead).
    pub(super) fn read_attention_off_key_path(&mut self, now: NaiveDateTime) {
        if self.attention_reader.is_none()
            && let Some(path) = self.store.path().map(std::path::Path::to_path_buf)
        {
            let key = self.store.file_key_for_backups().cloned();
            self.attention_reader = Some(AttentionReader {
                worker: Worker::spawn(
                    move || crate::background::open_reader(&path, key.as_ref()),
                    |store, now, _| store.attention(now, Scope::Practice),
                ),
                asked_at: None,
            });
        }
        match &self.attention_reader {
            None => {
                if let Err(e) = self.today.load_attention(&self.store, now) {
                    self.error(e.to_string());
                }
                return;
            }
            Some(r) if r.asked_at.is_some() => return,
            Some(_) => {}
        }
        // Writes from here on are traced, and merged once the whole list is in.
        if let Err(e) = self.store.attention_changes() {
            self.error(e.to_string());
        }
        if let Some(reader) = &mut self.attention_reader {
            reader.asked_at = Some(now);
            reader.worker.submit(now, std::time::Instant::now());
        }
    }

    /// Whether the worker is reading the list (the app then looks for it often).
    pub(super) fn attention_reading(&self) -> bool {
        self.attention_reader
            .as_ref()
            .is_some_and(|r| r.asked_at.is_some())
    }

    /// Puts the list in once it has arrived.
    pub(super) fn check_attention(&mut self) {
        let Some(reader) = &mut self.attention_reader else {
            return;
        };
        let Some(result) = reader.worker.poll() else {
            return;
        };
        let Some(asked_at) = reader.asked_at.take() else {
            return;
        };
        match result {
            Ok(items) => {
                self.today.set_attention(items, asked_at);
                let now = self.clock.now_local();
                if let Err(e) = self.today.update_attention(&self.store, now) {
                    self.error(e.to_string());
                }
            }
            Err(e) => {
                // The worker could not read it: read it here rather than show nothing.
                if let Err(e2) = self.today.load_attention(&self.store, asked_at) {
                    self.error(format!("{e}; {e2}"));
                }
            }
        }
    }
}
