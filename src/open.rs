//! Opening a practice, for either face (the app and the command line): which file, the demo
//! practice on first use of `--demo`, the passphrase of an encrypted file (asked without echo or
//! read from `CASELOAD_PASSPHRASE`), and the clock (`--now` for scripts and tests).
//!
//! `tui` and `cli` both start here and never import each other.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::clock::Clock;
use crate::demo::{DemoOptions, generate};
use crate::store::{Store, StoreError, crypt};

/// The current passphrase of an encrypted practice file, for scripts and tests.
pub const PASSPHRASE_ENV: &str = "CASELOAD_PASSPHRASE";
/// A new passphrase (`rekey`, `recover`), for scripts and tests.
pub const NEW_PASSPHRASE_ENV: &str = "CASELOAD_NEW_PASSPHRASE";

/// Which practice to open and how: what every command and the app are given.
pub struct Ctx {
    pub db_path: PathBuf,
    pub demo: bool,
    pub clock: Clock,
}

impl Ctx {
    /// The practice at `db` (or the default file; `demo.db` with `demo`), on the clock fixed at
    /// `now` when given.
    pub fn new(db: Option<PathBuf>, demo: bool, now: Option<chrono::NaiveDateTime>) -> Result<Ctx> {
        let mut db_path = crate::paths::practice_file(db, demo)?;
        // A practice path that is a link is resolved once: every command (encrypt, restore,
        // backups) then works on the real file and leaves the link in place.
        if std::fs::symlink_metadata(&db_path).is_ok_and(|m| m.file_type().is_symlink())
            && let Ok(real) = std::fs::canonicalize(&db_path)
        {
            db_path = real;
        }
        Ok(Ctx {
            db_path,
            demo,
            clock: now.map(Clock::fixed).unwrap_or_default(),
        })
    }

    /// Opens the practice file (filling the demo practice on first use with `--demo`).
    pub fn open(&self) -> Result<Store> {
        self.open_tries(1)
    }

    /// Opens the practice file; an encrypted one asks for its passphrase up to `tries` times.
    pub fn open_tries(&self, tries: u32) -> Result<Store> {
        let mut store = match Store::open(&self.db_path) {
            Err(StoreError::Encrypted { .. }) => open_encrypted(&self.db_path, tries)?,
            other => other?,
        };
        if self.demo && store.client_count()? == 0 {
            fill_demo(&mut store, &self.clock).with_context(|| {
                format!(
                    "could not write the demo practice into {}",
                    self.db_path.display()
                )
            })?;
        }
        Ok(store)
    }
}

/// The demo practice written on first use of `--demo`.
pub fn fill_demo(store: &mut Store, clock: &Clock) -> Result<()> {
    let opts = DemoOptions::new(clock.today(), clock.now_utc());
    store.write_demo(&generate(&opts), clock.now_utc())?;
    Ok(())
}

/// An environment variable, when set and not empty.
pub fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Asks for a passphrase on the terminal, without echo.
pub fn ask(prompt: &str) -> Result<String> {
    match rpassword::prompt_password(prompt) {
        Ok(p) => Ok(p),
        Err(_) => bail!(
            "caseload needs a passphrase here but there is no terminal to ask on. Run it in a terminal, or set {PASSPHRASE_ENV} (and {NEW_PASSPHRASE_ENV} for a new one)."
        ),
    }
}

/// The current passphrase of `db`: from `CASELOAD_PASSPHRASE` (true), or asked without echo.
pub fn current_passphrase(db: &Path) -> Result<(String, bool)> {
    match env(PASSPHRASE_ENV) {
        Some(p) => Ok((p, true)),
        None => Ok((ask(&format!("Passphrase for {}: ", db.display()))?, false)),
    }
}

/// Opens an encrypted practice file, asking for its passphrase up to `tries` times (once when
/// it comes from `CASELOAD_PASSPHRASE`). A wrong passphrase changes nothing.
pub fn open_encrypted(db: &Path, tries: u32) -> Result<Store> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let (p, from_env) = current_passphrase(db)?;
        match crypt::unlock(db, &p) {
            Ok(key) => return Ok(Store::open_keyed(db, Some(&key))?),
            Err(e) if !from_env && attempt < tries => {
                eprintln!("{e} Try again ({} left).", tries - attempt);
            }
            Err(e) => return Err(e.into()),
        }
    }
}
