//! The automatic daily backup, made on the worker after the first frame is drawn: the status
//! line says it is being made and then where it went (or why it could not be made); quitting
//! meanwhile stops it and waits for it to clean up, so no half-made file is left.

use std::path::PathBuf;

use chrono::NaiveDateTime;

use super::App;
use crate::background::Worker;
use crate::store::Store;
use crate::store::crypt::FileKey;

/// Where the backup went (`None`: not due today), or why it could not be made.
type Outcome = std::result::Result<Option<PathBuf>, String>;

/// Shown in the status line while the backup is being made.
pub const MAKING: &str = "Making today's backup…";

/// Today's backup, waiting to start or running.
pub struct DailyBackup {
    worker: Worker<(), Outcome>,
    started: bool,
}

impl DailyBackup {
    /// A worker with its own connection to the practice at `db` (opened with `key` when it is
    /// encrypted), ready to make the backup due at `now`.
    pub fn new(db: PathBuf, key: Option<FileKey>, now: NaiveDateTime) -> DailyBackup {
        let worker = Worker::spawn(
            move || {
                // A backup reads every page once: a small page cache does as well as a large one.
                let store = Store::open_keyed(&db, key.as_ref())?;
                store.limit_cache(crate::background::WORKER_CACHE_KIB)?;
                Ok(store)
            },
            move |store, (), cancel| {
                Ok(crate::store::safety::auto_backup_unless(
                    store,
                    now,
                    &|| cancel.is_set(),
                ))
            },
        );
        DailyBackup {
            worker,
            started: false,
        }
    }
}

impl App {
    /// Starts the daily backup, if there is one waiting (once the first frame is on screen).
    pub(super) fn start_backup(&mut self) {
        let Some(b) = &mut self.backup else {
            return;
        };
        if b.started {
            return;
        }
        b.started = true;
        b.worker.submit((), std::time::Instant::now());
        self.info(MAKING);
    }

    /// Shows the backup's result once it has arrived.
    pub(super) fn check_backup(&mut self) {
        let Some(b) = &mut self.backup else {
            return;
        };
        let Some(result) = b.worker.poll() else {
            return;
        };
        self.backup = None;
        let making = self.message.as_ref().is_some_and(|m| m.text == MAKING);
        match result {
            Ok(Ok(Some(path))) => {
                self.info(format!("Today's backup was saved to {}.", path.display()))
            }
            Ok(Ok(None)) if making => self.message = None,
            Ok(Ok(None)) => {}
            Ok(Err(e)) => self.error(e),
            Err(e) => self.error(format!(
                "Today's automatic backup could not be made ({e}). Your practice file is fine; make a backup by hand with `caseload backup`."
            )),
        }
    }

    /// Whether the backup is still being made (the app then looks for its result often).
    pub(super) fn backup_running(&self) -> bool {
        self.backup.as_ref().is_some_and(|b| b.started)
    }

    /// Stops a backup still being made and waits until it has cleaned up.
    pub(super) fn stop_backup(&mut self) {
        if let Some(b) = self.backup.take() {
            b.worker.stop();
        }
    }
}
