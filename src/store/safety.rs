//! Keeping the practice file safe: backups (by hand and daily), restore, and the health check.
//!
//! Backups are written next to the practice file, in a `backups` folder beside it (for the
//! default file that is `<data dir>/backups/`), and each is named after the file's stem so that
//! the demo practice and the real one never mix (see [`crate::domain::backup`]). A copy is made
//! through SQLite's online backup API from one consistent read, so it is safe while the app is
//! open in another window; it is written to a temporary file in the same folder, flushed to disk
//! and renamed into place, so a backup is either whole or absent.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::files::{Temp, create_private_dir, parent, private_file, side_file, sync, sync_dir};
use super::{Result, Store, StoreError, audit::audit, migrate, schema::table_counts};
use crate::domain::backup::{
    self as rule, BackupKind, DEFAULT_KEEP_DAILY, DEFAULT_KEEP_MONTHLY, KEEP_DAILY_KEY,
    KEEP_MONTHLY_KEY, Retention, human_size,
};

fn io_refusal(what: &str, path: &Path, e: &std::io::Error) -> StoreError {
    StoreError::CannotWrite {
        path: path.display().to_string(),
        reason: format!("{what}: {}", super::io_reason(e)),
    }
}

// ---- backups --------------------------------------------------------------------------------

/// The folder backups of `db` go in: `backups` beside it.
pub fn backups_dir(db: &Path) -> PathBuf {
    parent(db).join("backups")
}

/// The practice file's name without `.db` (`caseload`, `demo`, …).
pub fn stem(db: &Path) -> String {
    db.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "caseload".into())
}

/// Where `caseload backup` writes when no file is given.
pub fn default_backup_path(db: &Path, now: NaiveDateTime) -> PathBuf {
    backups_dir(db).join(rule::file_name(&stem(db), BackupKind::Manual, now))
}

/// One backup copy found in the backups folder.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BackupFile {
    pub path: PathBuf,
    pub kind: BackupKind,
    #[serde(serialize_with = "serialize_local")]
    pub at: NaiveDateTime,
    pub bytes: u64,
}

fn serialize_local<S: serde::Serializer>(
    t: &NaiveDateTime,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&crate::domain::time::format_local(*t))
}

/// The backups of `db` in its backups folder, oldest first.
pub fn list_backups(db: &Path) -> std::io::Result<Vec<BackupFile>> {
    let dir = backups_dir(db);
    let stem = stem(db);
    let entries = match fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some((kind, at)) = rule::parse_file_name(&stem, &name) {
            let meta = entry.metadata()?;
            if meta.is_file() {
                found.push(BackupFile {
                    path: entry.path(),
                    kind,
                    at,
                    bytes: meta.len(),
                });
            }
        }
    }
    found.sort_by(|a, b| a.at.cmp(&b.at).then(a.path.cmp(&b.path)));
    Ok(found)
}

impl Store {
    /// Writes a consistent copy of the practice to `dest` (which must not exist yet) through
    /// SQLite's online backup API. Returns the size of the copy in bytes.
    pub fn backup_to(&self, dest: &Path) -> Result<u64> {
        self.backup_to_unless(dest, &|| false)
    }

    /// [`Store::backup_to`], copying a batch of pages at a time and giving up (leaving nothing
    /// behind) as soon as `stop` says so: the app quitting during its daily backup.
    pub fn backup_to_unless(&self, dest: &Path, stop: &dyn Fn() -> bool) -> Result<u64> {
        if dest.exists() {
            return Err(StoreError::Refused(format!(
                "{} already exists, so no backup was written over it. Choose another name.",
                dest.display()
            )));
        }
        let dir = parent(dest);
        create_private_dir(dir).map_err(|e| io_refusal("the folder could not be made", dir, &e))?;
        let temp = Temp::beside(dest, "backup");
        private_file(&temp.path).map_err(|e| io_refusal("the copy could not be made", dest, &e))?;
        {
            let mut to = Connection::open_with_flags(
                &temp.path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            // An encrypted practice is copied encrypted, with the same key.
            super::crypt::quiet(&to)?;
            if let Some(key) = self.file_key() {
                super::crypt::apply_key(&to, key)?;
            }
            copy_pages(&self.conn, &mut to, stop)?;
            // A backup is one self-contained file: no WAL beside it.
            to.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        }
        sync(&temp.path).map_err(|e| io_refusal("the copy could not be saved", dest, &e))?;
        if let Some(db) = self.path().filter(|_| self.encrypted()) {
            // The key file travels with the backup: `<backup>.keys`.
            super::crypt::copy_keys(db, dest)?;
        }
        fs::rename(&temp.path, dest)
            .map_err(|e| io_refusal("the copy could not be put in place", dest, &e))?;
        let mut temp = temp;
        temp.keep = true;
        sync_dir(dir);
        Ok(fs::metadata(dest).map(|m| m.len()).unwrap_or(0))
    }
}

/// Copies every page of `from` into `to` (SQLite starts over if another connection writes
/// meanwhile, so the copy is always one consistent state), waiting politely if another
/// connection holds a lock that stops the copy. Between batches of pages it asks `stop`.
fn copy_pages(from: &Connection, to: &mut Connection, stop: &dyn Fn() -> bool) -> Result<()> {
    /// Pages copied between looks at `stop` (4 MiB of 4 KiB pages).
    const BATCH: i32 = 1024;
    let backup = Backup::new(from, to)?;
    let deadline = std::time::Instant::now() + super::busy_timeout();
    loop {
        if stop() {
            return Err(StoreError::Refused(
                "The backup was stopped before it was finished; nothing was kept.".into(),
            ));
        }
        match backup.step(BATCH)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            StepResult::Busy | StepResult::Locked => {
                if std::time::Instant::now() > deadline {
                    return Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(
                        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                        None,
                    )));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// The retention setting, or its default when it is absent or unreadable.
fn retention(store: &Store) -> Retention {
    let get = |key: &str, default: usize| {
        store
            .setting::<usize>(key)
            .ok()
            .flatten()
            .unwrap_or(default)
    };
    Retention {
        daily: get(KEEP_DAILY_KEY, DEFAULT_KEEP_DAILY),
        monthly: get(KEEP_MONTHLY_KEY, DEFAULT_KEEP_MONTHLY),
    }
}

/// The daily automatic backup, made when the app opens: once a day, into the backups folder,
/// keeping the last 14 daily and 12 monthly copies (settings `backup.keep_daily` and
/// `backup.keep_monthly`). Returns the new copy, `None` when one was already made today (or the
/// practice is in memory), or a message to show when it failed — never fatal.
pub fn auto_backup(
    store: &Store,
    now: NaiveDateTime,
) -> std::result::Result<Option<PathBuf>, String> {
    auto_backup_unless(store, now, &|| false)
}

/// [`auto_backup`], abandoned cleanly (no file left) as soon as `stop` says so.
pub fn auto_backup_unless(
    store: &Store,
    now: NaiveDateTime,
    stop: &dyn Fn() -> bool,
) -> std::result::Result<Option<PathBuf>, String> {
    let Some(db) = store.path() else {
        return Ok(None);
    };
    if store.read_only() {
        // Nothing beside a read-only practice can be written.
        return Ok(None);
    }
    let failed = |why: String| {
        format!(
            "Today's automatic backup could not be made ({why}). Your practice file is fine; make a backup by hand with `caseload backup`."
        )
    };
    let existing: Vec<BackupFile> = list_backups(db)
        .map_err(|e| failed(super::io_reason(&e)))?
        .into_iter()
        .filter(|b| b.kind == BackupKind::Auto)
        .collect();
    if !rule::daily_due(existing.iter().map(|b| b.at).max(), now) {
        return Ok(None);
    }
    let dest = backups_dir(db).join(rule::file_name(&stem(db), BackupKind::Auto, now));
    store
        .backup_to_unless(&dest, stop)
        .map_err(|e| failed(e.to_string()))?;
    let mut all = existing;
    all.push(BackupFile {
        path: dest.clone(),
        kind: BackupKind::Auto,
        at: now,
        bytes: 0,
    });
    let stamps: Vec<NaiveDateTime> = all.iter().map(|b| b.at).collect();
    let keep = rule::to_keep(&stamps, retention(store));
    let mut stuck = Vec::new();
    for (b, k) in all.iter().zip(keep) {
        if !k && b.path != dest {
            if fs::remove_file(&b.path).is_err() {
                stuck.push(b.path.display().to_string());
            } else {
                let _ = fs::remove_file(super::crypt::keys_path(&b.path));
            }
        }
    }
    if !stuck.is_empty() {
        return Err(format!(
            "Today's backup was made, but {} old automatic backup{} could not be removed ({}).",
            stuck.len(),
            if stuck.len() == 1 { "" } else { "s" },
            stuck.join(", ")
        ));
    }
    Ok(Some(dest))
}

// ---- restore --------------------------------------------------------------------------------

/// What a restore did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Restored {
    pub restored_from: PathBuf,
    /// Where the practice file that was replaced now is (none when there was no file).
    pub kept: Option<PathBuf>,
    pub schema_version: i32,
    /// What was done about encryption, in one line.
    pub encryption: String,
}

/// Reads the application id and schema version from an SQLite header, refusing what is not a
/// caseload file of this version or older.
fn check_header(bytes: &[u8], shown: &str) -> Result<()> {
    if bytes.is_empty() {
        return Err(StoreError::Refused(format!(
            "{shown} is empty (0 bytes), so there is nothing in it to restore."
        )));
    }
    if bytes.len() < 100 || &bytes[..16] != super::SQLITE_HEADER {
        return Err(StoreError::NotSqlite {
            path: shown.to_string(),
            hint: String::new(),
        });
    }
    let be =
        |at: usize| i32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let (version, app_id) = (be(60), be(68));
    if app_id != migrate::APPLICATION_ID {
        return Err(StoreError::Foreign {
            path: shown.to_string(),
        });
    }
    if version > migrate::LATEST {
        return Err(StoreError::Newer {
            path: shown.to_string(),
            found: version,
            supported: migrate::LATEST,
        });
    }
    Ok(())
}

/// Replaces the practice file at `db` with the backup `from`. The backup is checked first, on
/// a copy (integrity, application id, schema version, then the seal, schema objects and records;
/// `from` itself is only read); the current file is kept in the backups folder; then the checked
/// copy is renamed into place. A file that fails a check is refused and nothing changes. The
/// restore is written to the audit trail of the restored file.
pub fn restore(
    db: &Path,
    from: &Path,
    now: NaiveDateTime,
    now_utc: DateTime<Utc>,
) -> Result<Restored> {
    restore_keyed(
        db,
        from,
        now,
        now_utc,
        &|b: &Path| {
            Err(StoreError::Encrypted {
                path: b.display().to_string(),
            })
        },
        None,
    )
}

/// [`restore`], where an encrypted backup (one with its `.keys` file beside it) is opened with
/// the file key `unlock` gives for it (its own passphrase or recovery key), and `current` is the
/// file key of the practice at `db` when it is encrypted.
///
/// A restore never changes whether the practice is encrypted, nor its passphrase: the restored
/// file is written with the practice's own key (a plain backup is encrypted with it, an
/// encrypted backup is re-keyed to it, an encrypted backup restored into a plain practice is
/// decrypted), so the practice's key file stays as it is and every moment of the swap leaves a
/// file that opens with it. With no practice file yet, the backup is put in place as it is.
pub fn restore_keyed(
    db: &Path,
    from: &Path,
    now: NaiveDateTime,
    now_utc: DateTime<Utc>,
    unlock: &dyn Fn(&Path) -> Result<super::crypt::FileKey>,
    current: Option<&super::crypt::FileKey>,
) -> Result<Restored> {
    let shown = from.display().to_string();
    let refuse = |why: String| StoreError::Refused(format!("Nothing was restored: {why}"));
    match fs::metadata(from) {
        Ok(m) if m.is_dir() => {
            return Err(refuse(format!("{shown} is a folder, not a backup file.")));
        }
        Ok(_) => {}
        Err(e) => {
            return Err(refuse(format!(
                "{shown} can't be read ({}).",
                super::io_reason(&e)
            )));
        }
    }
    if let (Ok(a), Ok(b)) = (fs::canonicalize(from), fs::canonicalize(db))
        && a == b
    {
        return Err(refuse(format!("{shown} is the practice file itself.")));
    }
    // The practice's encryption, which the restore keeps.
    let practice_exists = db.exists();
    let practice_encrypted = practice_exists && super::crypt::is_encrypted(db);
    if practice_encrypted && current.is_none() {
        return Err(StoreError::Encrypted {
            path: db.display().to_string(),
        });
    }
    let bytes = fs::read(from)
        .map_err(|e| refuse(format!("{shown} can't be read ({}).", super::io_reason(&e))))?;
    let encrypted = super::crypt::is_encrypted(from);
    if !encrypted {
        check_header(&bytes, &shown).map_err(|e| refuse(e.to_string()))?;
    }

    // The checked copy, beside the practice file so that the final rename is atomic.
    let dir = parent(db);
    create_private_dir(dir).map_err(|e| io_refusal("the folder could not be made", dir, &e))?;
    let temp = Temp::beside(db, "restore");
    {
        let mut f = private_file(&temp.path)
            .map_err(|e| io_refusal("the copy could not be made", db, &e))?;
        std::io::Write::write_all(&mut f, &bytes)
            .map_err(|e| io_refusal("the copy could not be made", db, &e))?;
    }
    drop(bytes);
    let from_wal = side_file(from, "-wal");
    if from_wal.is_file() {
        fs::copy(&from_wal, side_file(&temp.path, "-wal"))
            .map_err(|e| io_refusal("the copy could not be made", db, &e))?;
    }
    let temp_shown = temp.path.display().to_string();
    let key = if encrypted {
        super::crypt::copy_keys(from, &temp.path).map_err(|e| refuse(e.to_string()))?;
        Some(unlock(from)?)
    } else {
        None
    };
    let mut copy = Store::open_keyed(&temp.path, key.as_ref())
        .map_err(|e| refuse(e.to_string().replace(&temp_shown, &shown)))?;
    let integrity = integrity(copy.conn(), Integrity::Full).unwrap_or_else(|e| vec![e.to_string()]);
    if integrity != ["ok"] {
        return Err(refuse(format!(
            "{shown} is damaged (SQLite's integrity check: {}). Try an older backup.",
            integrity.first().cloned().unwrap_or_default()
        )));
    }
    let verified = super::verify::verify(copy.conn())?;
    if !verified.ok() {
        let problems = verified.problems();
        let mut msg = format!(
            "{shown} fails verification ({} problem{}), so it may have been altered. Try another backup.",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
        for p in problems {
            msg.push_str("\n  ");
            msg.push_str(&p);
        }
        return Err(refuse(msg));
    }

    // Keep the current file, holding it so that no other window writes while it is replaced.
    let mut holder = None;
    let mut kept = None;
    if practice_exists {
        let aside =
            backups_dir(db).join(rule::file_name(&stem(db), BackupKind::BeforeRestore, now));
        match Store::open_keyed(db, current) {
            Ok(current) => {
                current
                    .conn()
                    .busy_timeout(super::busy_timeout().min(Duration::from_secs(2)))?;
                let mode: String = current
                    .conn()
                    .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
                    .map_err(|_| in_use())?;
                if !mode.eq_ignore_ascii_case("delete") {
                    return Err(in_use());
                }
                // Now a single file with no WAL beside it; while the exclusive lock is held
                // nobody else can read or write it, so its bytes are one consistent copy.
                current
                    .conn()
                    .execute_batch("BEGIN EXCLUSIVE")
                    .map_err(|_| in_use())?;
                keep_bytes(db, &aside)?;
                holder = Some(current);
            }
            Err(e @ (StoreError::Foreign { .. } | StoreError::IsDirectory { .. })) => {
                return Err(refuse(format!("{e}")));
            }
            Err(StoreError::Sqlite(e)) => return Err(StoreError::Sqlite(e)),
            // The current file can't be opened (that may be why it is being restored): keep its
            // bytes as they are.
            Err(_) => keep_bytes(db, &aside)?,
        }
        kept = Some(aside);
    }

    // The key the restored file is written with: the practice's own (none when plain); with no
    // practice yet, the backup's.
    let target: Option<super::crypt::FileKey> = if practice_exists {
        current.filter(|_| practice_encrypted).cloned()
    } else {
        key.clone()
    };
    let encryption = match (encrypted, target.is_some(), practice_exists) {
        (false, false, _) => "The backup and the practice are both unencrypted.".to_string(),
        (true, true, false) => {
            "The backup was encrypted and stays so, with its own key file and passphrase.".into()
        }
        (false, true, _) => "The backup was not encrypted: it was encrypted with this practice's key, so the practice keeps its passphrase.".into(),
        (true, true, true) => "The backup was encrypted with its own key: it was re-encrypted with this practice's key, so the practice keeps its passphrase.".into(),
        (true, false, _) => "The backup was encrypted, but this practice is not: it was decrypted, so the practice stays unencrypted.".into(),
    };
    let detail = match &kept {
        Some(k) => format!(
            "restored from {shown}; the file it replaced was kept as {}",
            k.display()
        ),
        None => format!("restored from {shown}"),
    };
    copy.write(|tx| {
        audit(
            tx,
            now_utc,
            "restored",
            "practice_file",
            None,
            None,
            Some(&detail),
        )?;
        Ok(())
    })?;
    let schema_version = copy.schema_version()?;
    copy.conn()
        .query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;

    // The file that goes in place: the copy itself when its key is already the target's, else
    // a copy of it written with the target's key.
    let same_key = !practice_exists || key.as_ref() == target.as_ref();
    let converted = if same_key {
        None
    } else {
        let out = Temp::beside(db, "restore");
        if target.is_some() {
            // The practice's own key file, for checking the copy as it will be opened.
            super::crypt::copy_keys(db, &out.path)?;
        }
        super::crypt::export_to(&copy, &out.path, target.as_ref())?;
        super::crypt::verify(&copy, &out.path, target.as_ref())?;
        Some(out)
    };
    drop(copy);
    if converted.is_some() && target.is_some() && !encrypted {
        // The plain copy of a practice that is encrypted: overwritten before it goes.
        for s in ["", "-wal", "-journal"] {
            super::files::zero(&side_file(&temp.path, s));
        }
    }
    let final_path = converted
        .as_ref()
        .map(|t| t.path.clone())
        .unwrap_or_else(|| temp.path.clone());
    sync(&final_path).map_err(|e| io_refusal("the copy could not be saved", db, &e))?;
    if holder.is_none() {
        // Side files of a file that could not be opened must not be replayed into the new one.
        for suffix in ["-wal", "-shm"] {
            let _ = fs::remove_file(side_file(db, suffix));
        }
    }
    let keys = super::crypt::keys_path(db);
    if !practice_exists && encrypted {
        // A new place: the backup's key file goes with it, first (a plain file with a key file
        // beside it still opens as plain).
        fs::rename(super::crypt::keys_path(&temp.path), &keys)
            .map_err(|e| io_refusal("the key file could not be put in place", db, &e))?;
    }
    fs::rename(&final_path, db)
        .map_err(|e| io_refusal("the restored file could not be put in place", db, &e))?;
    // The backup's key file, when it was not needed beside the practice.
    let _ = fs::remove_file(super::crypt::keys_path(&temp.path));
    match converted {
        Some(mut c) => {
            c.keep = true;
            let _ = fs::remove_file(super::crypt::keys_path(&c.path));
        }
        None => {
            let mut temp = temp;
            temp.keep = true;
        }
    }
    sync_dir(dir);
    drop(holder);
    Ok(Restored {
        restored_from: from.to_path_buf(),
        kept,
        schema_version,
        encryption,
    })
}

/// Keeps a file that can't be read as a practice as it is, with its side files.
fn keep_bytes(db: &Path, aside: &Path) -> Result<()> {
    create_private_dir(parent(aside))
        .map_err(|e| io_refusal("the folder could not be made", aside, &e))?;
    fs::copy(db, aside).map_err(|e| io_refusal("the current file could not be kept", db, &e))?;
    let _ = sync(aside);
    let keys = super::crypt::keys_path(db);
    if keys.is_file() {
        fs::copy(&keys, super::crypt::keys_path(aside))
            .map_err(|e| io_refusal("the current key file could not be kept", db, &e))?;
    }
    for suffix in ["-wal", "-shm"] {
        let side = side_file(db, suffix);
        if side.exists() {
            let _ = fs::copy(&side, side_file(aside, suffix));
        }
    }
    Ok(())
}

fn in_use() -> StoreError {
    StoreError::Refused(
        "Nothing was restored: the practice file is in use by another caseload window or program. Close caseload there, then try again.".into(),
    )
}

// ---- check ----------------------------------------------------------------------------------

/// How thoroughly SQLite checks the file's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Integrity {
    /// `PRAGMA quick_check`: every page and record well formed, every value where its table
    /// says; not whether each index holds exactly its table's rows (an index can be rebuilt
    /// from its table, so this is the part a damaged index would hide). Many times faster.
    Quick,
    /// `PRAGMA integrity_check`: all of the quick check, and every index against its table.
    Full,
}

fn integrity(conn: &Connection, mode: Integrity) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(match mode {
        Integrity::Quick => "PRAGMA quick_check",
        Integrity::Full => "PRAGMA integrity_check",
    })?;
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A record that refers to one that is not there.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BrokenLink {
    pub table: String,
    pub rowid: Option<i64>,
    pub refers_to: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TableCount {
    pub table: String,
    pub rows: i64,
}

/// What `caseload check` found.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CheckReport {
    pub ok: bool,
    pub path: Option<PathBuf>,
    /// `["ok"]`, or SQLite's description of each problem.
    pub integrity: Vec<String>,
    /// Which of SQLite's checks ran: `quick` or `full`.
    pub integrity_check: Integrity,
    pub broken_links: Vec<BrokenLink>,
    pub schema_version: i32,
    pub schema_supported: i32,
    pub tables: Vec<TableCount>,
    pub last_backup: Option<BackupFile>,
    /// The report's kept monthly figures, rebuilt and compared with a fresh count.
    pub kept_figures: super::report_counts::KeptFiguresCheck,
    /// The seal, the schema objects and the records, each with `ok` and `problems`.
    #[serde(flatten)]
    pub verification: super::verify::Verification,
    /// Each problem in words; empty when all is well.
    pub problems: Vec<String>,
}

impl Store {
    /// Checks the practice file: integrity, links between records, schema version, counts, and
    /// the newest backup in the backups folder; then the seal, schema objects and records.
    pub fn check(&self) -> Result<CheckReport> {
        self.check_expecting(None)
    }

    /// [`Store::check`], and that the audit trail still holds the entry whose hash is
    /// `expect_head` (a head kept outside the computer): if it doesn't, the history before it
    /// was rewritten.
    pub fn check_expecting(&self, expect_head: Option<&str>) -> Result<CheckReport> {
        self.check_with(expect_head, Integrity::Full)
    }

    /// [`Store::check_expecting`] with SQLite's quick or full integrity check (`caseload check`
    /// runs the quick one unless `--full` is given).
    pub fn check_with(&self, expect_head: Option<&str>, mode: Integrity) -> Result<CheckReport> {
        // SQLite's integrity check reads every page: on a large file it takes as long as all the
        // rest, so it runs on a second connection alongside the verification below.
        let job = self.path().map(|p| {
            let (p, key, ro) = (p.to_path_buf(), self.file_key().cloned(), self.read_only());
            std::thread::spawn(move || -> Result<Vec<String>> {
                let c = super::reader(&p, ro)?;
                if let Some(k) = key {
                    super::crypt::apply_key(&c, &k)?;
                }
                integrity(&c, mode)
            })
        });
        let mut stmt = self.conn().prepare("PRAGMA foreign_key_check")?;
        let broken_links = stmt
            .query_map([], |r| {
                Ok(BrokenLink {
                    table: r.get(0)?,
                    rowid: r.get(1)?,
                    refers_to: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let schema_version = self.schema_version()?;
        let tables = table_counts(self.conn())?
            .into_iter()
            .map(|(table, rows)| TableCount { table, rows })
            .collect();
        let last_backup = self
            .path()
            .and_then(|p| list_backups(p).ok())
            .and_then(|mut b| b.pop());
        let mut verification = super::verify::verify(self.conn())?;
        let integrity = match job {
            Some(j) => j.join().unwrap_or_else(|_| {
                Err(StoreError::Refused(
                    "The integrity check stopped unexpectedly.".into(),
                ))
            })?,
            None => integrity(self.conn(), mode)?,
        };
        let mut problems = Vec::new();
        if integrity != ["ok"] {
            problems.push(format!(
                "The file is damaged: SQLite's integrity check found {} problem{} (first: {}). Restore a backup with `caseload restore FILE`.",
                integrity.len(),
                if integrity.len() == 1 { "" } else { "s" },
                integrity.first().cloned().unwrap_or_default()
            ));
        }
        for l in &broken_links {
            problems.push(format!(
                "A record in {} (row {}) refers to a record in {} that is not there.",
                l.table,
                l.rowid.map(|r| r.to_string()).unwrap_or_else(|| "?".into()),
                l.refers_to
            ));
        }
        // Every balance equals its ledger (fees and payments).
        problems.extend(super::ledger::ledger_problems(self.conn())?);
        if schema_version != migrate::LATEST {
            problems.push(format!(
                "The file is at schema {schema_version}; this caseload writes schema {}.",
                migrate::LATEST
            ));
        }
        let kept_figures = self.check_kept_figures()?;
        problems.extend(kept_figures.problems.iter().cloned());
        if let Some(h) = expect_head
            && !super::verify::chain_contains(self.conn(), h)?
        {
            verification.seal.ok = false;
            verification.seal.problems.push(format!(
                "The head you kept ({h}) is no longer in the audit trail: the history up to it was rewritten or removed. Restore a backup made before then, and compare."
            ));
        }
        problems.extend(verification.problems());
        Ok(CheckReport {
            ok: problems.is_empty(),
            path: self.path().map(Path::to_path_buf),
            integrity,
            integrity_check: mode,
            broken_links,
            schema_version,
            schema_supported: migrate::LATEST,
            tables,
            last_backup,
            kept_figures,
            verification,
            problems,
        })
    }
}

/// "1.2 MB" etc., re-exported for the command line.
pub fn size_words(bytes: u64) -> String {
    human_size(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::client::ClientInput;
    use chrono::{NaiveDate, TimeZone};

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn utc() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 14, 9, 0, 0).unwrap()
    }

    fn practice(path: &Path, names: &[&str]) -> Store {
        let mut s = Store::open(path).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 3, 14).unwrap();
        for n in names {
            let f = ClientInput {
                name: (*n).into(),
                ..Default::default()
            }
            .validate(today)
            .unwrap();
            s.add_client(&f, utc()).unwrap();
        }
        s
    }

    fn names(s: &Store) -> Vec<String> {
        s.clients(Default::default())
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect()
    }

    #[test]
    fn a_backup_is_a_whole_private_copy() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("caseload.db");
        let s = practice(&db, &["Ada", "Grace"]);
        let dest = default_backup_path(&db, at("2026-03-14 09:30"));
        assert_eq!(dest, dir.path().join("backups/caseload-20260314-093000.db"));
        let bytes = s.backup_to(&dest).unwrap();
        assert!(bytes > 0);
        assert_eq!(bytes, fs::metadata(&dest).unwrap().len());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&dest).unwrap().permissions().mode() & 0o777,
                0o600
            );
            let d = fs::metadata(dest.parent().unwrap()).unwrap();
            assert_eq!(d.permissions().mode() & 0o777, 0o700);
        }
        assert!(!side_file(&dest, "-wal").exists());
        // Only the backup itself is in the folder: no temporary files left.
        assert_eq!(fs::read_dir(dest.parent().unwrap()).unwrap().count(), 1);
        let copy = Store::open(&dest).unwrap();
        assert_eq!(names(&copy), ["Ada", "Grace"]);
        drop(copy);
        // Never over an existing file.
        let e = s.backup_to(&dest).unwrap_err().to_string();
        assert!(e.contains("already exists"), "{e}");
        let listed = list_backups(&db).unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].kind, BackupKind::Manual);
    }

    #[test]
    fn a_backup_told_to_stop_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("caseload.db");
        let s = practice(&db, &["Ada"]);
        let e = auto_backup_unless(&s, at("2026-03-01 08:00"), &|| true).unwrap_err();
        assert!(e.contains("stopped before it was finished"), "{e}");
        // The folder may have been made, but holds nothing: no backup, no temporary file.
        let left: Vec<_> = fs::read_dir(dir.path().join("backups"))
            .map(|d| d.flatten().map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert!(left.is_empty(), "{left:?}");
        // The next day's try makes it.
        assert!(auto_backup(&s, at("2026-03-01 09:00")).unwrap().is_some());
    }

    #[test]
    fn the_daily_backup_is_made_once_a_day_and_old_ones_go() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("caseload.db");
        let mut s = practice(&db, &["Ada"]);
        s.set_setting(KEEP_DAILY_KEY, &3).unwrap();
        s.set_setting(KEEP_MONTHLY_KEY, &1).unwrap();
        let first = auto_backup(&s, at("2026-03-01 08:00")).unwrap().unwrap();
        assert!(first.ends_with("backups/caseload-auto-20260301-080000.db"));
        assert_eq!(auto_backup(&s, at("2026-03-01 17:00")).unwrap(), None);
        // A backup made by hand is never removed by the rule.
        s.backup_to(&default_backup_path(&db, at("2026-02-01 08:00")))
            .unwrap();
        for day in 2..=9 {
            let made = auto_backup(&s, at(&format!("2026-03-{day:02} 08:00"))).unwrap();
            assert!(made.is_some());
        }
        let left: Vec<String> = list_backups(&db)
            .unwrap()
            .iter()
            .map(|b| b.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            left,
            [
                "caseload-20260201-080000.db",
                "caseload-auto-20260307-080000.db",
                "caseload-auto-20260308-080000.db",
                "caseload-auto-20260309-080000.db",
            ]
        );
    }

    #[test]
    fn a_failed_daily_backup_is_a_message() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("caseload.db");
        let s = practice(&db, &["Ada"]);
        // A file where the backups folder should be.
        fs::write(dir.path().join("backups"), b"not a folder").unwrap();
        let e = auto_backup(&s, at("2026-03-01 08:00")).unwrap_err();
        assert!(e.contains("automatic backup could not be made"), "{e}");
        assert_eq!(
            auto_backup(&Store::open_in_memory().unwrap(), at("2026-03-01 08:00")),
            Ok(None)
        );
    }

    #[test]
    fn restore_replaces_the_file_and_keeps_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("caseload.db");
        let s = practice(&db, &["Ada"]);
        let backup = dir.path().join("monday.db");
        s.backup_to(&backup).unwrap();
        drop(s);
        let mut s = Store::open(&db).unwrap();
        s.add_client(
            &ClientInput {
                name: "Grace".into(),
                ..Default::default()
            }
            .validate(NaiveDate::from_ymd_opt(2026, 3, 14).unwrap())
            .unwrap(),
            utc(),
        )
        .unwrap();
        drop(s);
        let backup_bytes = fs::read(&backup).unwrap();
        let r = restore(&db, &backup, at("2026-03-14 10:00"), utc()).unwrap();
        assert_eq!(
            fs::read(&backup).unwrap(),
            backup_bytes,
            "the backup itself is never changed"
        );
        let kept = r.kept.unwrap();
        assert!(kept.ends_with("backups/caseload-before-restore-20260314-100000.db"));
        assert_eq!(names(&Store::open(&kept).unwrap()), ["Ada", "Grace"]);
        let now = Store::open(&db).unwrap();
        assert_eq!(names(&now), ["Ada"]);
        let trail = now.audit_entries(None).unwrap();
        assert_eq!(trail.last().unwrap().action, "restored");
        assert!(now.check().unwrap().ok);
        // No temporary files left beside the practice file.
        let stray: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(stray.is_empty());
    }

    #[test]
    fn restore_onto_a_new_machine_needs_no_practice_file_yet() {
        let dir = tempfile::tempdir().unwrap();
        let backup = dir.path().join("carried.db");
        drop(practice(&backup, &["Ada"]));
        let db = dir.path().join("fresh/caseload.db");
        let r = restore(&db, &backup, at("2026-03-14 10:00"), utc()).unwrap();
        assert_eq!(r.kept, None);
        assert_eq!(names(&Store::open(&db).unwrap()), ["Ada"]);
    }

    #[test]
    fn a_bad_backup_is_refused_and_nothing_changes() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("caseload.db");
        drop(practice(&db, &["Ada"]));
        let before = fs::read(&db).unwrap();
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("empty.db", vec![], "is empty"),
            ("noise.db", vec![7u8; 5000], "not a caseload practice file"),
            ("foreign.db", Vec::new(), "belongs to another program"),
            ("newer.db", Vec::new(), "newer version of caseload"),
            ("damaged.db", Vec::new(), "is damaged"),
        ];
        for (name, bytes, words) in cases {
            let p = dir.path().join(name);
            match name {
                "foreign.db" => {
                    let c = Connection::open(&p).unwrap();
                    c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
                        .unwrap();
                }
                "newer.db" => {
                    drop(practice(&p, &["Zed"]));
                    let c = Connection::open(&p).unwrap();
                    c.execute_batch(&format!("PRAGMA user_version = {}", migrate::LATEST + 1))
                        .unwrap();
                }
                "damaged.db" => {
                    drop(practice(&p, &["Zed"; 50]));
                    let mut b = fs::read(&p).unwrap();
                    // Scribble over the header of the second page (the clients table).
                    let page = 4096;
                    for x in &mut b[page..page + 12] {
                        *x = 0x55;
                    }
                    fs::write(&p, b).unwrap();
                }
                _ => fs::write(&p, bytes).unwrap(),
            }
            let given = fs::read(&p).unwrap();
            let e = restore(&db, &p, at("2026-03-14 10:00"), utc())
                .unwrap_err()
                .to_string();
            assert!(e.starts_with("Nothing was restored"), "{name}: {e}");
            assert!(e.contains(words), "{name}: {e}");
            assert!(!e.contains(".restore-"), "{name}: {e}");
            assert_eq!(fs::read(&db).unwrap(), before, "{name}");
            assert_eq!(fs::read(&p).unwrap(), given, "{name}");
            assert!(!backups_dir(&db).exists(), "{name}");
        }
        let e = restore(&db, dir.path(), at("2026-03-14 10:00"), utc())
            .unwrap_err()
            .to_string();
        assert!(e.contains("is a folder"), "{e}");
        let e = restore(&db, &db, at("2026-03-14 10:00"), utc())
            .unwrap_err()
            .to_string();
        assert!(e.contains("the practice file itself"), "{e}");
    }

    #[test]
    fn restore_waits_for_no_one_while_another_window_has_the_file_open() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("caseload.db");
        let s = practice(&db, &["Ada"]);
        let backup = dir.path().join("b.db");
        s.backup_to(&backup).unwrap();
        // `s` stays open, as the app would in another window.
        let before = fs::read(&db).unwrap();
        let e = restore(&db, &backup, at("2026-03-14 10:00"), utc())
            .unwrap_err()
            .to_string();
        assert!(e.contains("in use"), "{e}");
        assert_eq!(fs::read(&db).unwrap(), before);
        drop(s);
    }

    #[test]
    fn check_counts_every_table_and_finds_the_last_backup() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("caseload.db");
        let s = practice(&db, &["Ada", "Grace"]);
        let r = s.check().unwrap();
        assert!(r.ok, "{:?}", r.problems);
        assert_eq!(r.integrity, ["ok"]);
        assert_eq!(
            r.tables[0],
            TableCount {
                table: "clients".into(),
                rows: 2
            }
        );
        assert!(r.tables.iter().any(|t| t.table == "audit"));
        assert_eq!(r.last_backup, None);
        s.backup_to(&default_backup_path(&db, at("2026-03-14 09:30")))
            .unwrap();
        assert_eq!(
            s.check().unwrap().last_backup.unwrap().at,
            at("2026-03-14 09:30")
        );
        // A dangling reference is a problem.
        s.conn()
            .execute_batch(
                "PRAGMA foreign_keys = OFF;
                 INSERT INTO client_status_changes (client_id, to_status, changed_at) VALUES (77, 'active', 'x');
                 PRAGMA foreign_keys = ON;",
            )
            .unwrap();
        let r = s.check().unwrap();
        assert!(!r.ok);
        assert_eq!(r.broken_links.len(), 1);
        assert!(
            r.problems[0].contains("refers to a record in clients"),
            "{:?}",
            r.problems
        );
    }
}
