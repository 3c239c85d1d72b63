//! The one writer for every file a user names (calendars, handouts, summaries, exports, the
//! handout page written from the app) and the rules for what may stand at that path.
//!
//! - A new file is readable by its owner only (0600) whatever the umask; a folder it needs is
//!   made 0700.
//! - An existing regular file is replaced only when the user asked (`--force`), and then whole:
//!   the new bytes go to a private temporary file beside it that is renamed over it.
//! - A symbolic link at the path is refused: caseload never writes through a link.
//! - A character device or a FIFO (`/dev/null`, a named pipe, a terminal) and `/dev/stdout` /
//!   `/dev/stderr` are written to directly, never replaced by a file.
//! - Anything else that is not a regular file (a folder, a socket, a block device) is refused.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a file could not be written. Every message names the path and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum OutFileError {
    #[error("{} already exists; nothing was written (add --force to replace it)", .0.display())]
    Exists(PathBuf),
    #[error(
        "{} is a symbolic link; caseload does not write through links (give the real path)",
        .0.display()
    )]
    Symlink(PathBuf),
    #[error("{} is a folder; give a file name", .0.display())]
    Folder(PathBuf),
    #[error("{} is not a regular file, a device or a FIFO; nothing was written", .0.display())]
    NotRegular(PathBuf),
    #[error("{} is {kind}, not a plain file", path.display())]
    NotPlainFile { path: PathBuf, kind: &'static str },
    #[error("could not write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutFileError + '_ {
    move |source| OutFileError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What stands at a path, as far as writing there is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The program's own standard output (`/dev/stdout`).
    Stdout,
    /// The program's own standard error (`/dev/stderr`).
    Stderr,
    /// A character device or FIFO: written to directly.
    Stream,
    /// Nothing yet: a new file is made.
    New,
    /// A regular file that `--force` lets us replace.
    Replace,
}

impl Target {
    /// True when the output is a file on disk (so a "Wrote … to FILE" line makes sense).
    pub fn is_file(self) -> bool {
        matches!(self, Target::New | Target::Replace)
    }
}

/// Decides what writing `path` would do, without touching anything: call it before any other
/// work so that a refusal changes nothing.
pub fn check(path: &Path, force: bool) -> Result<Target, OutFileError> {
    if path == Path::new("/dev/stdout") {
        return Ok(Target::Stdout);
    }
    if path == Path::new("/dev/stderr") {
        return Ok(Target::Stderr);
    }
    if path.as_os_str().is_empty() {
        return Err(OutFileError::Folder(path.to_path_buf()));
    }
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Target::New),
        Err(e) => return Err(io(path)(e)),
    };
    let ft = meta.file_type();
    if ft.is_symlink() {
        return Err(OutFileError::Symlink(path.to_path_buf()));
    }
    if ft.is_dir() {
        return Err(OutFileError::Folder(path.to_path_buf()));
    }
    if ft.is_file() {
        return if force {
            Ok(Target::Replace)
        } else {
            Err(OutFileError::Exists(path.to_path_buf()))
        };
    }
    if is_stream(&ft) {
        return Ok(Target::Stream);
    }
    Err(OutFileError::NotRegular(path.to_path_buf()))
}

#[cfg(unix)]
fn is_stream(ft: &fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    ft.is_char_device() || ft.is_fifo()
}

#[cfg(not(unix))]
fn is_stream(_: &fs::FileType) -> bool {
    false
}

/// Checks that a practice file may be put at `path` (restore): nothing there yet, or a regular
/// file. A link, a device, a FIFO or a folder is refused and left as it is.
pub fn check_regular(path: &Path) -> Result<(), OutFileError> {
    let not = |kind| OutFileError::NotPlainFile {
        path: path.to_path_buf(),
        kind,
    };
    if path == Path::new("/dev/stdout") || path == Path::new("/dev/stderr") {
        return Err(not("the terminal's output"));
    }
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(path)(e)),
        Ok(m) if m.file_type().is_file() => Ok(()),
        Ok(m) if m.file_type().is_symlink() => Err(not("a symbolic link")),
        Ok(m) if m.file_type().is_dir() => Err(not("a folder")),
        Ok(m) => Err(not(special_kind(&m.file_type()))),
    }
}

#[cfg(unix)]
fn special_kind(ft: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_char_device() || ft.is_block_device() {
        "a device"
    } else if ft.is_fifo() {
        "a FIFO (named pipe)"
    } else {
        "a socket"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &fs::FileType) -> &'static str {
    "a special file"
}

/// Writes `bytes` to `path` under the rules above; returns what was there.
pub fn write(path: &Path, bytes: &[u8], force: bool) -> Result<Target, OutFileError> {
    let target = check(path, force)?;
    match target {
        Target::Stdout => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|()| out.flush())
                .map_err(io(path))?;
        }
        Target::Stderr => {
            let mut out = std::io::stderr().lock();
            out.write_all(bytes)
                .and_then(|()| out.flush())
                .map_err(io(path))?;
        }
        Target::Stream => {
            // Opened for writing only: never created, never truncated.
            let mut f = fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(io(path))?;
            f.write_all(bytes)
                .and_then(|()| f.flush())
                .map_err(io(path))?;
        }
        Target::New | Target::Replace => write_file(path, bytes, target == Target::Replace)?,
    }
    Ok(target)
}

/// Writes `bytes` as a new file in `dir` named `name`, or `stem-2.ext`, `stem-3.ext`… when that
/// name is taken: nothing already there is touched. Returns the path written.
pub fn write_new_in(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, OutFileError> {
    let first = dir.join(name);
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, Some(e)),
        _ => (name, None),
    };
    let mut path = first;
    for n in 2..1000u32 {
        match write(&path, bytes, false) {
            Err(OutFileError::Exists(_)) | Err(OutFileError::Symlink(_)) => {
                let next = match ext {
                    Some(e) => format!("{stem}-{n}.{e}"),
                    None => format!("{stem}-{n}"),
                };
                path = dir.join(next);
            }
            Err(e) => return Err(e),
            Ok(_) => return Ok(path),
        }
    }
    Err(OutFileError::Exists(path))
}

/// Makes a folder (and any missing parents) readable by its owner only. An existing folder is
/// left as it is.
pub fn create_private_dir(dir: &Path) -> Result<(), OutFileError> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    // Each missing parent is made 0700 too: the umask cannot widen what we make.
    if let Some(parent) = dir.parent() {
        create_private_dir(parent)?;
    }
    match fs::create_dir(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => return Ok(()),
        Err(e) => return Err(io(dir)(e)),
    }
    set_mode(dir, 0o700).map_err(io(dir))
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) -> std::io::Result<()> {
    Ok(())
}

/// The whole file goes to a private temporary file in the same folder, flushed to disk, then
/// renamed into place: a reader never sees half a file, and a failure leaves what was there.
fn write_file(path: &Path, bytes: &[u8], replace: bool) -> Result<(), OutFileError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    create_private_dir(&dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".caseload-")
        .suffix(".part")
        .tempfile_in(&dir)
        .map_err(io(path))?;
    set_mode(tmp.path(), 0o600).map_err(io(path))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(io(path))?;
    let persisted = if replace {
        tmp.persist(path).map(|_| ())
    } else {
        tmp.persist_noclobber(path).map(|_| ())
    };
    if let Err(e) = persisted {
        // Something appeared at the path since the check: say what, touch nothing.
        return Err(match check(path, replace) {
            Err(refusal) => refusal,
            Ok(_) => io(path)(e.error),
        });
    }
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_file_is_private_and_its_folders_too() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a/b/cal.ics");
        assert_eq!(write(&p, b"hello", false).unwrap(), Target::New);
        assert_eq!(fs::read(&p).unwrap(), b"hello");
        #[cfg(unix)]
        {
            assert_eq!(mode(&p), 0o600);
            assert_eq!(mode(&d.path().join("a")), 0o700);
            assert_eq!(mode(&d.path().join("a/b")), 0o700);
        }
        // No temporary file is left beside it.
        assert_eq!(fs::read_dir(d.path().join("a/b")).unwrap().count(), 1);
    }

    #[test]
    fn an_existing_file_is_replaced_only_with_force() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("x.txt");
        fs::write(&p, b"keep me").unwrap();
        let e = write(&p, b"new", false).unwrap_err();
        assert!(matches!(e, OutFileError::Exists(_)));
        assert!(e.to_string().contains("--force"), "{e}");
        assert_eq!(fs::read(&p).unwrap(), b"keep me");
        assert_eq!(write(&p, b"new", true).unwrap(), Target::Replace);
        assert_eq!(fs::read(&p).unwrap(), b"new");
        #[cfg(unix)]
        assert_eq!(mode(&p), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_refused_even_with_force_and_its_target_untouched() {
        let d = tempfile::tempdir().unwrap();
        let real = d.path().join("real.txt");
        fs::write(&real, b"precious").unwrap();
        let link = d.path().join("link.txt");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        for force in [false, true] {
            let e = write(&link, b"x", force).unwrap_err();
            assert!(matches!(e, OutFileError::Symlink(_)), "{e}");
            assert!(e.to_string().contains("symbolic link"), "{e}");
        }
        assert_eq!(fs::read(&real).unwrap(), b"precious");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        // A dangling link is refused too (writing would create its target).
        let dangling = d.path().join("dangling");
        std::os::unix::fs::symlink(d.path().join("nowhere"), &dangling).unwrap();
        assert!(matches!(
            write(&dangling, b"x", true),
            Err(OutFileError::Symlink(_))
        ));
        assert!(!d.path().join("nowhere").exists());
    }

    #[cfg(unix)]
    #[test]
    fn dev_null_is_written_to_and_stays_a_device() {
        use std::os::unix::fs::FileTypeExt;
        let p = Path::new("/dev/null");
        assert_eq!(write(p, b"gone", false).unwrap(), Target::Stream);
        assert!(fs::metadata(p).unwrap().file_type().is_char_device());
    }

    #[test]
    fn a_folder_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let e = write(d.path(), b"x", true).unwrap_err();
        assert!(matches!(e, OutFileError::Folder(_)), "{e}");
    }

    #[test]
    fn restore_targets_must_be_regular_or_absent() {
        let d = tempfile::tempdir().unwrap();
        assert!(check_regular(&d.path().join("new.db")).is_ok());
        fs::write(d.path().join("old.db"), b"x").unwrap();
        assert!(check_regular(&d.path().join("old.db")).is_ok());
        assert!(check_regular(d.path()).is_err());
        #[cfg(unix)]
        assert_eq!(
            check_regular(Path::new("/dev/null"))
                .unwrap_err()
                .to_string(),
            "/dev/null is a device, not a plain file"
        );
    }

    #[test]
    fn write_new_in_never_touches_an_existing_file() {
        let d = tempfile::tempdir().unwrap();
        fs::write(d.path().join("page.html"), b"first").unwrap();
        let p = write_new_in(d.path(), "page.html", b"second").unwrap();
        assert_eq!(p, d.path().join("page-2.html"));
        assert_eq!(fs::read(d.path().join("page.html")).unwrap(), b"first");
        assert_eq!(fs::read(&p).unwrap(), b"second");
        let q = write_new_in(d.path(), "page.html", b"third").unwrap();
        assert_eq!(q, d.path().join("page-3.html"));
    }
}
