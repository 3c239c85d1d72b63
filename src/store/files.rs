//! Files caseload writes beside the practice: private folders and files, flushing, and the one
//! pattern every temporary file shares.
//!
//! A temporary file is named `.<target>.caseload-<what>-<pid>-<nanos>.tmp` beside its target
//! (`what` says which command made it: `backup`, `restore`, `encrypt`, `decrypt`, `keys`,
//! `export`, …), is created 0600, and is removed (with its SQLite side files) when the command
//! fails. A run killed half-way leaves one behind; [`sweep`] removes those the next time the
//! practice is opened, overwriting with zeros first those that may hold plaintext of an encrypted
//! practice.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The marker in every temporary file's name.
const MARK: &str = ".caseload-";
/// The SQLite side files a temporary database may have.
const SIDES: [&str; 5] = ["", "-wal", "-shm", "-journal", ".keys"];

/// Creates `dir` (and its parents) readable only by its owner, if it does not exist.
pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// Creates (or truncates) a file readable only by its owner.
pub(crate) fn private_file(path: &Path) -> std::io::Result<File> {
    let mut o = OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Flushes a file to disk.
pub(crate) fn sync(path: &Path) -> std::io::Result<()> {
    File::open(path)?.sync_all()
}

/// Flushes a folder's entries to disk (a rename in it is then durable).
pub(crate) fn sync_dir(dir: &Path) {
    // Not every platform can open a folder; the rename is still atomic there.
    #[cfg(unix)]
    let _ = sync(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    });
    #[cfg(not(unix))]
    let _ = dir;
}

/// The folder a path is in (`""` for a bare file name).
pub(crate) fn parent(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new(""))
}

/// `path` with `suffix` added to its name (`x.db` → `x.db-wal`).
pub(crate) fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Removes a rollback journal beside `db` that SQLite itself ignores: empty, or with a zeroed
/// first byte (what a run killed while it was starting a transaction in rollback mode leaves).
/// Called once the file is open in WAL mode, when any hot journal has already been rolled back
/// and no connection can be writing one; a journal SQLite would still read is left alone.
pub(crate) fn clear_stale_journal(db: &Path) {
    let journal = side_file(db, "-journal");
    let Ok(mut f) = File::open(&journal) else {
        return;
    };
    let mut first = [0u8; 1];
    let stale = match std::io::Read::read(&mut f, &mut first) {
        Ok(0) => true,
        Ok(_) => first[0] == 0,
        Err(_) => false,
    };
    drop(f);
    if stale {
        let _ = fs::remove_file(&journal);
    }
}

/// A temporary file's path beside `target`, in the one pattern every temporary file shares.
pub(crate) fn temp_path(target: &Path, what: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "caseload".into());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    parent(target).join(format!(
        ".{name}{MARK}{what}-{}-{nanos}.tmp",
        std::process::id()
    ))
}

/// A temporary file beside its target, removed (with its SQLite side files) unless kept.
pub(crate) struct Temp {
    pub path: PathBuf,
    pub keep: bool,
}

impl Temp {
    pub fn beside(target: &Path, what: &str) -> Temp {
        Temp {
            path: temp_path(target, what),
            keep: false,
        }
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.keep {
            for s in SIDES {
                let _ = fs::remove_file(side_file(&self.path, s));
            }
        }
    }
}

/// Writes `bytes` to `path` in one piece: a private temporary file beside it, flushed, renamed.
pub(crate) fn write_whole(path: &Path, bytes: &[u8], what: &str) -> std::io::Result<()> {
    let temp = Temp::beside(path, what);
    {
        let mut f = private_file(&temp.path)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    fs::rename(&temp.path, path)?;
    let mut temp = temp;
    temp.keep = true;
    sync_dir(parent(path));
    Ok(())
}

/// The process id in a temporary file's name, when the name is in the pattern.
fn temp_pid(name: &str) -> Option<u32> {
    let base = SIDES[1..]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name);
    let rest = base.strip_suffix(".tmp")?;
    let (_, tail) = rest.split_once(MARK)?;
    let mut parts = tail.rsplitn(3, '-');
    let _nanos: u32 = parts.next()?.parse().ok()?;
    parts.next()?.parse().ok()
}

/// Whether the process that made a temporary file is still running (so its file is in use).
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    {
        // Signal 0 sends nothing: it only asks whether the process exists.
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: kill with signal 0 has no effect on the target; it only reports existence.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// Whether a running command is writing the file `name` in `dir` (its temporary file is there).
fn in_progress(dir: &Path, name: &str) -> bool {
    let prefix = format!(".{name}{MARK}");
    fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let f = e.file_name().to_string_lossy().into_owned();
            f.starts_with(&prefix) && temp_pid(&f).is_some_and(alive)
        })
    })
}

/// Overwrites a file with zeros and flushes it, before it is removed.
pub(crate) fn zero(path: &Path) -> bool {
    let Ok(f) = OpenOptions::new().write(true).open(path) else {
        return false;
    };
    overwrite(&f)
}

/// Overwrites an open file's bytes with zeros and flushes them.
pub(crate) fn overwrite(mut f: &File) -> bool {
    let Ok(len) = f.metadata().map(|m| m.len()) else {
        return false;
    };
    let zeros = vec![0u8; 64 * 1024];
    let mut left = len;
    if std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(0)).is_err() {
        return false;
    }
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        if f.write_all(&zeros[..n]).is_err() {
            return false;
        }
        left -= n as u64;
    }
    f.sync_all().is_ok()
}

/// Removes the temporary files a killed run left beside the practice file `db` and in its
/// backups folder (those of a process that is still running are left alone). When `encrypted`,
/// each is overwritten with zeros first: it may hold plaintext. Returns how many were removed.
pub fn sweep(db: &Path, encrypted: bool) -> usize {
    let mut removed = 0;
    let dir = parent(db);
    let backups = dir.join("backups");
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for (folder, own_only) in [(dir, true), (backups.as_path(), false)] {
        let folder = if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        };
        let Ok(entries) = fs::read_dir(folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            // Beside the practice, only this practice's own; in backups, any (they are its).
            if own_only && !file.starts_with(&format!(".{name}.")) {
                continue;
            }
            if !file.starts_with('.') {
                continue;
            }
            let Some(pid) = temp_pid(&file) else {
                continue;
            };
            if alive(pid) {
                continue;
            }
            let path = entry.path();
            if !entry.file_type().map(|t| t.is_file()).unwrap_or(false) {
                continue;
            }
            if encrypted || file.contains(&format!("{MARK}decrypt-")) {
                zero(&path);
            }
            if fs::remove_file(&path).is_ok() {
                removed += 1;
            }
        }
    }
    // A SQLite side file or key file of a backup whose copy is gone (an interrupted backup's
    // journal, or the key file put in place just before the copy).
    if let Ok(entries) = fs::read_dir(&backups) {
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            if let Some(main) = ["-journal", "-wal", "-shm", ".keys"]
                .iter()
                .find_map(|s| file.strip_suffix(s))
                && !backups.join(main).exists()
                && !file.contains(MARK)
                && !in_progress(&backups, main)
            {
                if encrypted {
                    zero(&entry.path());
                }
                if fs::remove_file(entry.path()).is_ok() {
                    removed += 1;
                }
            }
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_share_one_pattern_and_give_their_process() {
        let p = temp_path(Path::new("/x/caseload.db"), "backup");
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(".caseload.db.caseload-backup-"), "{name}");
        assert!(name.ends_with(".tmp"));
        assert_eq!(temp_pid(&name), Some(std::process::id()));
        assert_eq!(temp_pid(&format!("{name}-wal")), Some(std::process::id()));
        assert_eq!(
            temp_pid(".caseload.db.caseload-decrypt-4242-17.tmp"),
            Some(4242)
        );
        assert_eq!(temp_pid("caseload.db"), None);
        assert_eq!(temp_pid(".caseload.db.keys.tmp"), None);
    }

    #[test]
    fn a_journal_sqlite_ignores_is_removed_once_the_practice_is_open() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("caseload.db");
        let mut store = crate::store::Store::open(&db).unwrap();
        store
            .write(|tx| {
                tx.execute("CREATE TABLE t(x)", [])?;
                Ok(())
            })
            .unwrap();
        drop(store);
        let journal = side_file(&db, "-journal");
        // Empty, and with a zeroed header: what SQLite ignores, and a killed run leaves.
        for bytes in [Vec::new(), vec![0u8; 512]] {
            fs::write(&journal, &bytes).unwrap();
            drop(crate::store::Store::open(&db).unwrap());
            assert!(!journal.exists(), "{} bytes left behind", bytes.len());
        }
    }

    #[test]
    fn leftovers_of_dead_runs_are_swept_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("caseload.db");
        fs::write(&db, b"x").unwrap();
        fs::create_dir(dir.path().join("backups")).unwrap();
        // A process id that can't be running (above the kernel's pid limit).
        let dead = ".caseload.db.caseload-decrypt-999999999-1.tmp";
        fs::write(dir.path().join(dead), b"SQLite format 3\0 plaintext").unwrap();
        fs::write(dir.path().join(format!("{dead}-wal")), b"wal").unwrap();
        let backup_left = ".caseload-auto-20260301-080000.db.caseload-backup-999999999-2.tmp";
        fs::write(dir.path().join("backups").join(backup_left), b"copy").unwrap();
        fs::write(
            dir.path()
                .join("backups")
                .join("caseload-auto-20260301-080000.db-journal"),
            b"journal",
        )
        .unwrap();
        let b = dir.path().join("backups");
        fs::write(b.join("caseload-20260302-080000.db.keys"), b"orphan").unwrap();
        // A backup being written right now: its key file is already in place, its copy not yet.
        fs::write(b.join("caseload-20260303-080000.db.keys"), b"in progress").unwrap();
        let running = temp_path(&b.join("caseload-20260303-080000.db"), "backup");
        fs::write(&running, b"copy").unwrap();
        let mine = temp_path(&db, "backup");
        fs::write(&mine, b"in use").unwrap();
        let other = dir.path().join(".other.db.caseload-backup-999999999-3.tmp");
        fs::write(&other, b"not ours").unwrap();
        assert_eq!(sweep(&db, false), 5);
        let left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(left.contains(&"caseload.db".to_string()));
        assert!(
            !left
                .iter()
                .any(|n| n.starts_with(".caseload.db.caseload-decrypt"))
        );
        assert!(mine.exists(), "a running command's file stays");
        assert!(other.exists(), "another practice's file stays");
        let mut kept: Vec<String> = fs::read_dir(&b)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        kept.sort();
        assert_eq!(kept.len(), 2, "{kept:?}");
        assert_eq!(kept[1], "caseload-20260303-080000.db.keys");
        assert!(running.exists());
    }
}
