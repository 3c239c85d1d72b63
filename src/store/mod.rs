//! The practice file: one SQLite database, opened safely and migrated.
//!
//! Opening never changes a file it refuses: the checks (folder, writable, SQLite header,
//! application id, schema version) all run before the first write.

pub mod assessment;
pub mod attention;
pub mod audit;
pub mod calendar;
// Fees and payments (issue 17).
pub mod billing;
mod billing_demo;
#[cfg(test)]
mod billing_tests;
pub mod cancellation;
pub mod client;
pub mod client_view;
pub mod crypt;
pub mod demo;
pub mod dictionary;
pub mod dispose;
pub mod export;
pub mod export_csv;
pub mod export_v2;
pub mod files;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod flag_history;
pub mod handover;
pub mod income;
pub mod ledger;
pub mod migrate;
pub mod note;
pub mod record;
pub mod report;
pub mod report_counts;
pub mod retention;
mod revert;
pub mod safety;
pub mod schema;
pub mod session;
pub mod settings;
pub mod verify;
// The working relationship (issue 7).
pub mod discharge;
pub mod practice;
pub mod relationship;

use std::fs::{self, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rusqlite::{Connection, OpenFlags, Row, TransactionBehavior};

use crate::domain::ValidationError;
use crate::domain::time;

/// What can go wrong with the practice file, in words the practitioner can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path} is a folder, not a practice file. Point --db at a file, for example {path}/caseload.db."
    )]
    IsDirectory { path: String },
    #[error(
        "{path} is not a caseload practice file (it is not an SQLite database, or it is damaged). It was left untouched. Check the path, or restore a backup.{hint}"
    )]
    NotSqlite { path: String, hint: String },
    #[error(
        "{path} is empty (0 bytes), so it may be a practice file that was cut short. It was left untouched. Restore a backup, or remove the file to start a new practice there."
    )]
    Empty { path: String },
    #[error(
        "{path} belongs to another program (it is an SQLite database that caseload did not create). It was left untouched. Point --db at a caseload file."
    )]
    Foreign { path: String },
    #[error(
        "{path} was written by a newer version of caseload (schema {found}; this version reads up to {supported}). It was left untouched. Update caseload to open it."
    )]
    Newer {
        path: String,
        found: i32,
        supported: i32,
    },
    #[error(
        "caseload can't write {path}: {reason}. Check the path and its permissions, or point --db elsewhere."
    )]
    CannotWrite { path: String, reason: String },
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    #[error("There is no {what} with id {id}.")]
    NotFound { what: &'static str, id: i64 },
    #[error("{0}")]
    Refused(String),
    #[error("{path} is encrypted: its passphrase is needed to open it.")]
    Encrypted { path: String },
    #[error("{}", sqlite_message(.0))]
    Sqlite(#[from] rusqlite::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The practice file, open.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// The file key of an encrypted practice file (backups are keyed with it too).
    key: Option<crypt::FileKey>,
    /// Opened for reading only: the file, its folder or its disk is read-only.
    read_only: bool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The page cache of each connection, in KiB.
const CACHE_KIB: u32 = 16 * 1024;

/// For the crash tests only: when `CASELOAD_TEST_PAUSE` names this point ("commit": every write
/// transaction just before it commits; "encrypt": between putting the key file and the encrypted
/// file in place), says so on stderr and waits, so a test can kill the process provably in the
/// middle of a write. Compiled into debug builds only; a release build has no such pause.
#[cfg(debug_assertions)]
pub(crate) fn test_pause(point: &str) {
    if std::env::var("CASELOAD_TEST_PAUSE").is_ok_and(|v| v == point) {
        eprintln!("caseload-test-pause: {point}");
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}

#[cfg(not(debug_assertions))]
#[inline(always)]
pub(crate) fn test_pause(_point: &str) {}

impl Store {
    /// Opens (or creates) the practice file at `path`, refusing anything that is not a
    /// caseload file of this version or older. A new file is created 0600 in a 0700 folder.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_keyed(path, None)
    }

    /// Opens the practice file at `path` as [`Store::open`] does; an encrypted file (see
    /// [`crypt`]) is opened with `key`, and refused with [`StoreError::Encrypted`] without one.
    pub fn open_keyed(path: &Path, key: Option<&crypt::FileKey>) -> Result<Store> {
        Self::open_mode(path, key, false)
    }

    /// Opens an existing practice file for reading only, as a read-only file, folder or disk is
    /// opened: nothing is written, not even a migration.
    pub fn open_read_only(path: &Path, key: Option<&crypt::FileKey>) -> Result<Store> {
        if !path.exists() {
            return Err(StoreError::Refused(format!(
                "There is no practice file at {}.",
                path.display()
            )));
        }
        Self::open_mode(path, key, true)
    }

    fn open_mode(path: &Path, key: Option<&crypt::FileKey>, force_ro: bool) -> Result<Store> {
        let mut encrypted = false;
        let mut read_only = force_ro;
        let shown = path.display().to_string();
        let cannot = |reason: String| StoreError::CannotWrite {
            path: shown.clone(),
            reason,
        };
        match fs::metadata(path) {
            Ok(m) if m.is_dir() => return Err(StoreError::IsDirectory { path: shown }),
            Ok(m) => {
                let mut f = match OpenOptions::new().read(true).write(true).open(path) {
                    Ok(f) if folder_writable(path) && !read_only => f,
                    Ok(_) => {
                        read_only = true;
                        OpenOptions::new()
                            .read(true)
                            .open(path)
                            .map_err(|e| cannot(io_reason(&e)))?
                    }
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::PermissionDenied
                                | std::io::ErrorKind::ReadOnlyFilesystem
                        ) =>
                    {
                        // A read-only file, folder or disk still opens, for reading.
                        read_only = true;
                        OpenOptions::new()
                            .read(true)
                            .open(path)
                            .map_err(|e| cannot(io_reason(&e)))?
                    }
                    Err(e) => return Err(cannot(io_reason(&e))),
                };
                if !read_only {
                    // Whatever a killed run left beside this practice goes now.
                    files::sweep(path, crypt::keys_path(path).is_file());
                }
                if m.len() == 0 {
                    // An empty file may be a practice file cut short: never build over it.
                    return Err(StoreError::Empty { path: shown });
                }
                let mut header = [0u8; 16];
                if m.len() < 512 || f.read_exact(&mut header).is_err() {
                    return Err(StoreError::NotSqlite {
                        path: shown,
                        hint: String::new(),
                    });
                }
                if &header != SQLITE_HEADER {
                    if !crypt::keys_path(path).is_file() {
                        return Err(if m.len().is_multiple_of(1024) {
                            // Whole pages: it may be an encrypted file that lost its key file.
                            StoreError::NotSqlite {
                                hint: crypt::missing_keys_hint(path),
                                path: shown,
                            }
                        } else {
                            StoreError::NotSqlite {
                                path: shown,
                                hint: String::new(),
                            }
                        });
                    }
                    if key.is_none() {
                        return Err(StoreError::Encrypted { path: shown });
                    }
                    encrypted = true;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                create_private_file(path).map_err(|e| cannot(io_reason(&e)))?
            }
            Err(e) => return Err(cannot(io_reason(&e))),
        }
        let opened = if read_only {
            // Nothing can change a file on a read-only disk: read it without locks or side files.
            Connection::open_with_flags(
                immutable_uri(path),
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_URI
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
        } else {
            Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
        };
        let conn = opened.map_err(|_| StoreError::NotSqlite {
            path: shown.clone(),
            hint: String::new(),
        })?;
        crypt::quiet(&conn)?;
        let key = match key {
            Some(k) if encrypted => {
                crypt::apply_key(&conn, k)?;
                Some(k.clone())
            }
            _ => None,
        };
        match Self::setup(conn, Some(path.to_path_buf()), &shown, read_only) {
            Ok(mut store) => {
                store.key = key;
                Ok(store)
            }
            // The key file opened, but its key does not open this file.
            Err(StoreError::NotSqlite { .. }) if encrypted => Err(StoreError::Refused(format!(
                "The key file {} does not open {shown} (it may belong to another practice file, or the file is damaged). Nothing was changed. Put back the key file that came with it, or restore a backup.",
                crypt::keys_path(path).display()
            ))),
            Err(e) => Err(e),
        }
    }

    /// Whether the open practice file is encrypted.
    pub fn encrypted(&self) -> bool {
        self.key.is_some()
    }

    pub(crate) fn file_key(&self) -> Option<&crypt::FileKey> {
        self.key.as_ref()
    }

    /// The file key, to open this practice's encrypted backups with (they share it).
    pub fn file_key_for_backups(&self) -> Option<&crypt::FileKey> {
        self.key.as_ref()
    }

    /// A practice that lives only in memory (tests, benchmarks).
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        crypt::quiet(&conn)?;
        Self::setup(conn, None, ":memory:", false)
    }

    /// Whether the practice was opened for reading only (a read-only file, folder or disk).
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    fn setup(
        mut conn: Connection,
        path: Option<PathBuf>,
        shown: &str,
        read_only: bool,
    ) -> Result<Store> {
        conn.busy_timeout(busy_timeout())?;
        // The app's screens and the needs-attention reads use a few dozen statements: keep them
        // all prepared (rusqlite keeps 16 by default, and preparing one costs more than running it).
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        let not_sqlite = |_| StoreError::NotSqlite {
            path: shown.to_string(),
            hint: String::new(),
        };
        let app_id = migrate::application_id(&conn).map_err(not_sqlite)?;
        let version = migrate::user_version(&conn).map_err(not_sqlite)?;
        let objects: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(not_sqlite)?;
        if app_id == migrate::APPLICATION_ID {
            if version > migrate::LATEST {
                return Err(StoreError::Newer {
                    path: shown.to_string(),
                    found: version,
                    supported: migrate::LATEST,
                });
            }
        } else if !(app_id == 0 && version == 0 && objects == 0) {
            return Err(StoreError::Foreign {
                path: shown.to_string(),
            });
        }
        if read_only {
            if version < migrate::LATEST {
                return Err(StoreError::Refused(format!(
                    "{shown} is read-only (a read-only file, folder or disk), and this version of caseload must first bring it up to date (schema {version} to {}), which writes to it. Nothing was changed. Copy it somewhere you can write to, or make it writable.",
                    migrate::LATEST
                )));
            }
            conn.execute_batch(&format!("PRAGMA cache_size = -{CACHE_KIB};"))?;
            return Ok(Store {
                conn,
                path,
                key: None,
                read_only: true,
            });
        }
        // Clinical data: durability first.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        if let Some(p) = path.as_deref().filter(|_| mode.eq_ignore_ascii_case("wal")) {
            // A run killed as it left WAL mode (encrypt, decrypt, restore) can leave an empty
            // journal that SQLite ignores; nothing else would ever remove it.
            files::clear_stale_journal(p);
        }
        // A page cache of up to 16 MiB (SQLite's default is 2 MiB): a month's report on a large
        // practice reads about 5 MiB of pages, and each page read again from the file is decrypted
        // and checked again when the file is encrypted. Memory is only taken as pages are read.
        conn.execute_batch(&format!("PRAGMA cache_size = -{CACHE_KIB};"))?;
        migrate::migrate(&mut conn)?;
        practice::seed_defaults(&mut conn)?;
        Ok(Store {
            conn,
            path,
            key: None,
            read_only: false,
        })
    }

    /// Where the file lives (`None` for an in-memory practice).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The connection, for reading.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one immediate transaction: everything it writes lands, or nothing does.
    pub fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        if self.read_only {
            // Said plainly before anything is tried: no SQLite error text after it.
            return Err(StoreError::Refused(READ_ONLY_WRITE.into()));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        test_pause("commit");
        tx.commit()?;
        Ok(out)
    }

    /// A number that changes whenever another connection commits a change to the file
    /// (`PRAGMA data_version`): the app polls it to show another instance's writes.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Caps this connection's page cache at `kib` KiB (a worker's connection, which reads a
    /// little at a time, keeps the app's memory small).
    pub fn limit_cache(&self, kib: u32) -> Result<()> {
        self.conn
            .execute_batch(&format!("PRAGMA cache_size = -{};", kib.min(CACHE_KIB)))?;
        Ok(())
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i32> {
        Ok(migrate::user_version(&self.conn)?)
    }
}

/// What a write to a practice opened read-only answers (the command line and the app).
pub const READ_ONLY_WRITE: &str = "The practice file is read-only (the file, its folder or its disk can't be written): nothing was changed. It can still be read: lists, reports, export, and `caseload backup FILE` to a place you can write.";

/// How many prepared statements a connection keeps.
const STATEMENT_CACHE: usize = 128;

/// How long to wait for another window or program that is writing to the same file: 10 s, or
/// `CASELOAD_BUSY_TIMEOUT_MS`.
pub fn busy_timeout() -> std::time::Duration {
    let ms = std::env::var("CASELOAD_BUSY_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(10_000);
    std::time::Duration::from_millis(ms)
}

/// An SQLite error in words: a busy file and a damaged file get their own plain message.
fn sqlite_message(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            "The practice file is in use: another caseload window or program is writing to it. Nothing was changed. Try again in a moment, or close caseload there first.".into()
        }
        Some(ErrorCode::DiskFull) => {
            "The disk is full: nothing was changed. Free some space on it, then try again.".into()
        }
        Some(ErrorCode::ReadOnly) => READ_ONLY_WRITE.into(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
            "The practice file is damaged (SQLite reports it as malformed). Nothing was changed. Run `caseload check`, and restore a backup with `caseload restore FILE`.".into()
        }
        _ => format!("The practice file could not be read or written ({e}). Nothing was changed."),
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotADirectory => "a part of the path is a file, not a folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "the folder does not exist and could not be created".into(),
        std::io::ErrorKind::ReadOnlyFilesystem => "the disk is read-only".into(),
        std::io::ErrorKind::StorageFull => "the disk is full".into(),
        _ => e.to_string(),
    }
}

/// A second connection to a practice file, for reading (a worker's own), with the settings
/// every connection gets; the caller gives it the file key when the file is encrypted.
pub(crate) fn reader(path: &Path, read_only: bool) -> Result<Connection> {
    let c = if read_only {
        Connection::open_with_flags(
            immutable_uri(path),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?
    } else {
        Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?
    };
    crypt::quiet(&c)?;
    c.busy_timeout(busy_timeout())?;
    Ok(c)
}

/// Whether new files can be made in the folder of `path` (SQLite makes its side files there).
fn folder_writable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
            return true;
        };
        // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
        unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        true
    }
}

/// An SQLite URI that opens `path` read-only and immutable (no locks, no side files).
fn immutable_uri(path: &Path) -> String {
    let abs = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for b in abs.to_string_lossy().bytes() {
        if b.is_ascii() && !matches!(b, b'?' | b'#' | b'%') {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    format!("{uri}?immutable=1")
}

/// Creates an empty file readable only by its owner, in a folder only its owner can enter.
fn create_private_file(path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        let mut b = fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(dir)?;
    }
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path).map(|_| ())
}

// ---- reading rows into domain types -------------------------------------------------------

fn conversion(i: usize, msg: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, msg.into())
}

/// A snake_case word column.
pub fn word<T: FromStr>(r: &Row<'_>, i: usize) -> rusqlite::Result<T>
where
    T::Err: std::fmt::Display,
{
    let s: String = r.get(i)?;
    s.parse().map_err(|e: T::Err| conversion(i, e.to_string()))
}

/// An optional snake_case word column.
pub fn opt_word<T: FromStr>(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<T>>
where
    T::Err: std::fmt::Display,
{
    let s: Option<String> = r.get(i)?;
    s.map(|s| s.parse().map_err(|e: T::Err| conversion(i, e.to_string())))
        .transpose()
}

pub fn date(r: &Row<'_>, i: usize) -> rusqlite::Result<NaiveDate> {
    let s: String = r.get(i)?;
    time::read_stored_date(&s).ok_or_else(|| conversion(i, format!("“{s}” is not a stored date")))
}

pub fn opt_date(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let s: Option<String> = r.get(i)?;
    s.map(|s| {
        time::read_stored_date(&s)
            .ok_or_else(|| conversion(i, format!("“{s}” is not a stored date")))
    })
    .transpose()
}

pub fn instant(r: &Row<'_>, i: usize) -> rusqlite::Result<DateTime<Utc>> {
    let s: String = r.get(i)?;
    time::read_stored_instant(&s)
        .ok_or_else(|| conversion(i, format!("“{s}” is not a stored instant")))
}

pub fn opt_instant(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let s: Option<String> = r.get(i)?;
    s.map(|s| {
        time::read_stored_instant(&s)
            .ok_or_else(|| conversion(i, format!("“{s}” is not a stored instant")))
    })
    .transpose()
}

pub fn local(r: &Row<'_>, i: usize) -> rusqlite::Result<NaiveDateTime> {
    let s: String = r.get(i)?;
    time::read_stored_local(&s).ok_or_else(|| conversion(i, format!("“{s}” is not a stored time")))
}

/// The stored text of a date.
pub fn date_text(d: NaiveDate) -> String {
    d.format(time::DATE_FORMAT).to_string()
}
