//! Encryption at rest: the practice file as an SQLCipher database.
//!
//! The file is encrypted with a random 32-byte **file key**, given to SQLCipher as a raw key
//! (`PRAGMA key = "x'…'"`, so opening costs no key derivation inside SQLCipher). The file key is
//! never stored as it is: it is kept twice, wrapped (encrypted with XChaCha20-Poly1305) by a key
//! derived from the passphrase with Argon2id, and by a key derived from a random **recovery key**
//! shown once. Both wrapped copies live in a small JSON **key file** beside the practice file,
//! `<file>.keys`, which travels with it: backups get their own copy.
//!
//! Why a key file and not SQLCipher's plaintext header: SQLCipher can leave only the first 32
//! bytes of the file unencrypted (`cipher_plaintext_header_size`), and those hold SQLite's own
//! header fields; the wrapped keys with their salts, nonces and parameters need about 300 bytes.
//! Changing the passphrase then only rewrites the key file, never the practice file.
//!
//! Each page of the file carries an HMAC that SQLCipher checks on every read. Files encrypted now
//! use HMAC-SHA256 (the key file says so: cipher `sqlcipher4-raw-key-hmac-sha256`); files
//! encrypted before used SQLCipher 4's default, HMAC-SHA512 (cipher `sqlcipher4-raw-key`), and
//! still open as they are. Both are sound; SHA-256 costs about half as much per page on
//! processors with SHA extensions (x86 since about 2017-2019, Apple and other ARM chips), which is
//! most of what reading an encrypted file costs beyond a plain one.
//!
//! Conversions (`encrypt`, `decrypt`) write a new file beside the old one with
//! `sqlcipher_export`, check it (it opens, integrity_check is ok, same schema and counts), and only
//! then rename it over the old one; until that rename the old file is untouched.

use std::fs::{self, File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::{Aead, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::files::{Temp, overwrite, private_file};
use super::{Result, SQLITE_HEADER, Store, StoreError, schema::table_counts};

/// What the wrapped key is bound to (the AEAD's associated data).
const AAD: &[u8] = b"caseload file key v1";
/// The key file's format version.
pub const KEY_FILE_VERSION: u32 = 1;

/// The passphrase's Argon2id cost: 64 MiB, 3 passes, 1 lane (about a quarter of a second).
pub const PASSPHRASE_KDF: Kdf = Kdf {
    algorithm: String::new(),
    memory_kib: 64 * 1024,
    iterations: 3,
    parallelism: 1,
};
/// The recovery key is 120 random bits already, so a light derivation is enough.
pub const RECOVERY_KDF: Kdf = Kdf {
    algorithm: String::new(),
    memory_kib: 8 * 1024,
    iterations: 1,
    parallelism: 1,
};

/// The shortest passphrase accepted.
pub const MIN_PASSPHRASE: usize = 8;

// ---- keys -----------------------------------------------------------------------------------

/// How the pages of an encrypted practice file are sealed: AES-256-CBC with a raw key (SQLCipher
/// 4), and each page's HMAC. Recorded in the key file (`cipher`), so a file always opens with the
/// settings it was encrypted with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cipher {
    /// SQLCipher 4's defaults, HMAC-SHA512: files encrypted before HMAC-SHA256 was chosen.
    HmacSha512,
    /// HMAC-SHA256: what files are encrypted with now.
    HmacSha256,
}

impl Cipher {
    /// What new files are encrypted with.
    pub const NEW: Cipher = Cipher::HmacSha256;

    /// The key file's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Cipher::HmacSha512 => "sqlcipher4-raw-key",
            Cipher::HmacSha256 => "sqlcipher4-raw-key-hmac-sha256",
        }
    }

    pub fn from_name(name: &str) -> Option<Cipher> {
        [Cipher::HmacSha512, Cipher::HmacSha256]
            .into_iter()
            .find(|c| c.name() == name)
    }

    /// SQLCipher's name for the HMAC (`PRAGMA cipher_hmac_algorithm`).
    fn hmac_pragma(self) -> &'static str {
        match self {
            Cipher::HmacSha512 => "HMAC_SHA512",
            Cipher::HmacSha256 => "HMAC_SHA256",
        }
    }
}

/// The random key the practice file is encrypted with, and how it is used. The key is wiped
/// from memory when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct FileKey {
    key: [u8; 32],
    cipher: Cipher,
}

impl FileKey {
    /// A new key, for the cipher new files get.
    pub fn random() -> FileKey {
        let mut key = [0u8; 32];
        OsRng.fill_bytes(&mut key);
        FileKey {
            key,
            cipher: Cipher::NEW,
        }
    }

    /// How the file this key opens is encrypted.
    pub fn cipher(&self) -> Cipher {
        self.cipher
    }

    /// The `PRAGMA key` / `ATTACH … KEY` value: a raw key, so SQLCipher derives nothing.
    fn sql_literal(&self) -> String {
        format!("\"x'{}'\"", hex(&self.key))
    }

    /// The settings to give SQLCipher for the database `schema` (`main`, or an attached one)
    /// right after its key, before anything reads it.
    fn settings_sql(&self, schema: &str) -> String {
        format!(
            "PRAGMA {schema}.cipher_hmac_algorithm = {};",
            self.cipher.hmac_pragma()
        )
    }
}

impl Drop for FileKey {
    fn drop(&mut self) {
        // Best effort: black_box keeps the optimiser from dropping the writes.
        self.key = [0u8; 32];
        std::hint::black_box(&mut self.key);
    }
}

impl std::fmt::Debug for FileKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FileKey(…)")
    }
}

/// A recovery key: 15 random bytes written as 24 letters and digits of Crockford's base 32
/// (no I, L, O or U), in six groups of four (`ABCD-EFGH-…`). Typed back, case, spaces and dashes
/// do not matter, and O reads as 0, I and L as 1. Keys made before (RFC 4648 base 32, `A`–`Z`
/// and `2`–`7`) keep working: [`RecoveryKey::candidates`] tries them as they were typed too.
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryKey(String);

/// Crockford's base 32: what new keys are written in.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// RFC 4648 base 32: what keys were written in before.
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

impl RecoveryKey {
    pub fn random() -> RecoveryKey {
        let mut bytes = [0u8; 15];
        OsRng.fill_bytes(&mut bytes);
        let mut bits: u64 = 0;
        let mut n = 0;
        let mut out = String::with_capacity(24);
        for b in bytes {
            bits = (bits << 8) | u64::from(b);
            n += 8;
            while n >= 5 {
                n -= 5;
                out.push(CROCKFORD[((bits >> n) & 31) as usize] as char);
            }
        }
        RecoveryKey(out)
    }

    /// Reads a typed recovery key; `None` when it is not 24 characters of either alphabet.
    pub fn parse(s: &str) -> Option<RecoveryKey> {
        let clean: String = s
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let fits = |alphabet: &[u8; 32]| clean.bytes().all(|b| alphabet.contains(&b));
        let crockford_typed = clean
            .bytes()
            .all(|b| CROCKFORD.contains(&b) || matches!(b, b'O' | b'I' | b'L'));
        (clean.len() == 24 && (fits(BASE32) || crockford_typed)).then_some(RecoveryKey(clean))
    }

    /// The keys this typed key may be: as typed (a key made before, or one typed exactly), and
    /// read as Crockford base 32 (O as 0, I and L as 1).
    pub fn candidates(&self) -> Vec<RecoveryKey> {
        let read: String = self
            .0
            .chars()
            .map(|c| match c {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            })
            .collect();
        let mut out = vec![self.clone()];
        if read != self.0 && read.bytes().all(|b| CROCKFORD.contains(&b)) {
            out.push(RecoveryKey(read));
        }
        out
    }

    /// The key as shown to the practitioner: `ABCD-EFGH-JKMN-PQRS-TVWX-YZ01`.
    pub fn display(&self) -> String {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }
}

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey(…)")
    }
}

// ---- the key file ---------------------------------------------------------------------------

/// Argon2id parameters, as stored in the key file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kdf {
    pub algorithm: String,
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

/// One wrapped copy of the file key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wrapped {
    pub kdf: Kdf,
    /// Hex, 16 bytes.
    pub salt: String,
    /// Hex, 24 bytes (XChaCha20-Poly1305).
    pub nonce: String,
    /// Hex: the 32-byte file key encrypted, with its 16-byte tag.
    pub wrapped_key: String,
}

/// `<file>.keys`: the file key wrapped by the passphrase and by the recovery key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyFile {
    pub format: String,
    pub version: u32,
    /// How the practice file itself is encrypted.
    pub cipher: String,
    pub aead: String,
    pub passphrase: Wrapped,
    pub recovery: Wrapped,
}

/// Why a key could not be unwrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unwrap {
    Wrong,
    Damaged,
}

fn derive(secret: &[u8], salt: &[u8], kdf: &Kdf) -> std::result::Result<[u8; 32], Unwrap> {
    if kdf.algorithm != "argon2id" {
        return Err(Unwrap::Damaged);
    }
    let params = Params::new(kdf.memory_kib, kdf.iterations, kdf.parallelism, Some(32))
        .map_err(|_| Unwrap::Damaged)?;
    let mut out = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(secret, salt, &mut out)
        .map_err(|_| Unwrap::Damaged)?;
    Ok(out)
}

fn wrap(key: &FileKey, secret: &[u8], kdf: &Kdf) -> Result<Wrapped> {
    let kdf = Kdf {
        algorithm: "argon2id".into(),
        ..kdf.clone()
    };
    let mut salt = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    let mut nonce = [0u8; 24];
    OsRng.fill_bytes(&mut nonce);
    let kek = derive(secret, &salt, &kdf)
        .map_err(|_| StoreError::Refused("The key could not be derived.".into()))?;
    let cipher = XChaCha20Poly1305::new(&kek.into());
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &key.key,
                aad: AAD,
            },
        )
        .map_err(|_| StoreError::Refused("The key could not be sealed.".into()))?;
    Ok(Wrapped {
        kdf,
        salt: hex(&salt),
        nonce: hex(&nonce),
        wrapped_key: hex(&sealed),
    })
}

fn unwrap(w: &Wrapped, secret: &[u8], cipher: &str) -> std::result::Result<FileKey, Unwrap> {
    let file_cipher = Cipher::from_name(cipher).ok_or(Unwrap::Damaged)?;
    let salt = unhex(&w.salt).ok_or(Unwrap::Damaged)?;
    let nonce = unhex(&w.nonce).ok_or(Unwrap::Damaged)?;
    let sealed = unhex(&w.wrapped_key).ok_or(Unwrap::Damaged)?;
    if nonce.len() != 24 || salt.len() < 8 {
        return Err(Unwrap::Damaged);
    }
    let kek = derive(secret, &salt, &w.kdf)?;
    let cipher = XChaCha20Poly1305::new(&kek.into());
    let plain = cipher
        .decrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &sealed,
                aad: AAD,
            },
        )
        .map_err(|_| Unwrap::Wrong)?;
    let key: [u8; 32] = plain.as_slice().try_into().map_err(|_| Unwrap::Damaged)?;
    Ok(FileKey {
        key,
        cipher: file_cipher,
    })
}

impl KeyFile {
    /// Wraps `key` by `passphrase` and by `recovery`.
    pub fn new(key: &FileKey, passphrase: &str, recovery: &RecoveryKey) -> Result<KeyFile> {
        Ok(KeyFile {
            format: "caseload-keys".into(),
            version: KEY_FILE_VERSION,
            cipher: key.cipher.name().into(),
            aead: "xchacha20poly1305".into(),
            passphrase: wrap(key, passphrase.as_bytes(), &PASSPHRASE_KDF)?,
            recovery: wrap(key, recovery.0.as_bytes(), &RECOVERY_KDF)?,
        })
    }

    pub fn unlock_with_passphrase(&self, passphrase: &str) -> std::result::Result<FileKey, Unwrap> {
        unwrap(&self.passphrase, passphrase.as_bytes(), &self.cipher)
    }

    pub fn unlock_with_recovery(
        &self,
        recovery: &RecoveryKey,
    ) -> std::result::Result<FileKey, Unwrap> {
        let mut last = Err(Unwrap::Wrong);
        for candidate in recovery.candidates() {
            last = unwrap(&self.recovery, candidate.0.as_bytes(), &self.cipher);
            if !matches!(last, Err(Unwrap::Wrong)) {
                return last;
            }
        }
        last
    }

    /// Reads the key file of `db`.
    pub fn read(db: &Path) -> Result<KeyFile> {
        let path = keys_path(db);
        let damaged = || {
            StoreError::Refused(format!(
                "The key file {} is damaged, so {} can't be opened. Nothing was changed. Put back the key file from a backup (each backup has its own, named like the backup with .keys added).",
                path.display(),
                db.display()
            ))
        };
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(missing_keys(db));
            }
            Err(e) => {
                return Err(StoreError::CannotWrite {
                    path: path.display().to_string(),
                    reason: super::io_reason(&e),
                });
            }
        };
        let kf: KeyFile = serde_json::from_str(&text).map_err(|_| damaged())?;
        if kf.format != "caseload-keys"
            || kf.version != KEY_FILE_VERSION
            || Cipher::from_name(&kf.cipher).is_none()
        {
            return Err(damaged());
        }
        Ok(kf)
    }

    /// Writes the key file of `db` in one piece (a temporary file, flushed, renamed).
    pub fn write(&self, db: &Path) -> Result<()> {
        self.write_to(&keys_path(db))
    }

    fn write_to(&self, path: &Path) -> Result<()> {
        let mut text =
            serde_json::to_string_pretty(self).map_err(|e| StoreError::Refused(e.to_string()))?;
        text.push('\n');
        super::files::write_whole(path, text.as_bytes(), "keys").map_err(|e| {
            StoreError::CannotWrite {
                path: path.display().to_string(),
                reason: super::io_reason(&e),
            }
        })
    }
}

/// `<file>.keys`.
pub fn keys_path(db: &Path) -> PathBuf {
    super::files::side_file(db, ".keys")
}

/// An encrypted file whose key file is not beside it.
pub fn missing_keys(db: &Path) -> StoreError {
    StoreError::Refused(format!(
        "{} looks like an encrypted practice file, but its key file {} is missing. Nothing was changed. Put the key file back beside it (a backup's key file is named like the backup with .keys added). Without the key file neither the passphrase nor the recovery key can open it: `caseload recover` cannot help then.",
        db.display(),
        keys_path(db).display()
    ))
}

/// Added to "not a practice file" when the file could be an encrypted one without its key file.
pub fn missing_keys_hint(db: &Path) -> String {
    format!(
        " If it is an encrypted practice file, its key file {} is missing: put it back beside the file (a backup's key file is named like the backup with .keys added). Without the key file neither the passphrase nor the recovery key can open it, so `caseload recover` cannot help.",
        keys_path(db).display()
    )
}

/// "That passphrase does not open <file>. Nothing was changed."
pub fn wrong_passphrase(db: &Path) -> StoreError {
    StoreError::Refused(format!(
        "That passphrase does not open {}. Nothing was changed.",
        db.display()
    ))
}

/// Whether the file at `db` is an encrypted practice file: its first 16 bytes are not SQLite's
/// header and its key file is beside it.
pub fn is_encrypted(db: &Path) -> bool {
    let mut header = [0u8; 16];
    let read = File::open(db).and_then(|mut f| f.read_exact(&mut header));
    read.is_ok() && &header != SQLITE_HEADER && keys_path(db).is_file()
}

/// The file key of `db`, from its passphrase. Costs one Argon2id derivation.
pub fn unlock(db: &Path, passphrase: &str) -> Result<FileKey> {
    let kf = KeyFile::read(db)?;
    kf.unlock_with_passphrase(passphrase)
        .map_err(|e| unwrap_error(e, db))
}

/// The file key of `db`, from its recovery key.
pub fn unlock_with_recovery(db: &Path, recovery: &RecoveryKey) -> Result<FileKey> {
    let kf = KeyFile::read(db)?;
    kf.unlock_with_recovery(recovery).map_err(|e| match e {
        Unwrap::Wrong => StoreError::Refused(format!(
            "That recovery key does not open {}. Nothing was changed. Check it letter by letter (it has no I, L, O or U: caseload reads O as 0 and I or L as 1).",
            db.display()
        )),
        Unwrap::Damaged => unwrap_error(e, db),
    })
}

fn unwrap_error(e: Unwrap, db: &Path) -> StoreError {
    match e {
        Unwrap::Wrong => wrong_passphrase(db),
        Unwrap::Damaged => StoreError::Refused(format!(
            "The key file {} is damaged, so {} can't be opened. Nothing was changed.",
            keys_path(db).display(),
            db.display()
        )),
    }
}

/// Checks a new passphrase.
pub fn check_new_passphrase(p: &str) -> Result<()> {
    if p.chars().count() < MIN_PASSPHRASE {
        return Err(StoreError::Refused(format!(
            "A passphrase needs at least {MIN_PASSPHRASE} characters (a few words you will remember work well). Nothing was changed."
        )));
    }
    Ok(())
}

// ---- connections ----------------------------------------------------------------------------

/// Silences SQLCipher's own logging (it writes to the terminal otherwise). Runs first on every
/// connection, before any key is given.
pub(crate) fn quiet(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")
}

/// Gives SQLCipher the file key of the connection's main database, and the settings the file
/// was encrypted with.
pub(crate) fn apply_key(conn: &Connection, key: &FileKey) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "PRAGMA key = {}; {}",
        key.sql_literal(),
        key.settings_sql("main")
    ))
}

/// The SQLCipher version linked in (`PRAGMA cipher_version`), or `None` for plain SQLite.
pub fn cipher_version() -> Option<String> {
    let conn = Connection::open_in_memory().ok()?;
    quiet(&conn).ok()?;
    conn.query_row("PRAGMA cipher_version", [], |r| r.get::<_, String>(0))
        .ok()
}

// ---- converting in place --------------------------------------------------------------------

/// What `encrypt` made: the recovery key to show once.
#[derive(Debug)]
pub struct Encrypted {
    pub recovery: RecoveryKey,
    /// Whether the old plaintext bytes were overwritten in place before being let go.
    pub overwritten: bool,
}

fn in_use(what: &str) -> StoreError {
    StoreError::Refused(format!(
        "Nothing was {what}: the practice file is in use by another caseload window or program. Close caseload there, then try again."
    ))
}

/// Makes `store` the only user of its file until it is dropped: no WAL beside the file, and
/// SQLite's locks kept (exclusive locking mode), so no other window can write meanwhile.
fn hold(store: &Store, what: &str) -> Result<()> {
    let conn = store.conn();
    conn.busy_timeout(super::busy_timeout().min(std::time::Duration::from_secs(2)))?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .map_err(|_| in_use(what))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(in_use(what));
    }
    conn.execute_batch("PRAGMA main.locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;")
        .map_err(|_| in_use(what))?;
    Ok(())
}

/// Copies every record of `store` into a new file at `dest`, encrypted with `key` (or plain
/// when `key` is `None`), with SQLCipher's `sqlcipher_export`.
pub(crate) fn export_to(store: &Store, dest: &Path, key: Option<&FileKey>) -> Result<()> {
    private_file(dest).map_err(|e| StoreError::CannotWrite {
        path: dest.display().to_string(),
        reason: super::io_reason(&e),
    })?;
    let literal = key.map(FileKey::sql_literal).unwrap_or_else(|| "''".into());
    let conn = store.conn();
    conn.execute(
        &format!("ATTACH DATABASE ?1 AS converted KEY {literal}"),
        [dest.to_string_lossy()],
    )?;
    let settings = match key {
        Some(k) => conn.execute_batch(&k.settings_sql("converted")),
        None => Ok(()),
    };
    let exported = settings
        .and_then(|_| conn.query_row("SELECT sqlcipher_export('converted')", [], |_| Ok(())))
        .and_then(|_| {
            // What identifies a caseload file, copied explicitly (the export copies records).
            let app_id = super::migrate::application_id(conn)?;
            let version = super::migrate::user_version(conn)?;
            conn.execute_batch(&format!(
                "PRAGMA converted.application_id = {app_id}; PRAGMA converted.user_version = {version};"
            ))
        })
        .map_err(StoreError::from);
    let detached = conn.execute_batch("DETACH DATABASE converted");
    exported?;
    detached?;
    Ok(())
}

/// Opens the converted copy and checks it against the original: integrity, schema version,
/// application id and the number of records in every table.
pub(crate) fn verify(original: &Store, copy_path: &Path, key: Option<&FileKey>) -> Result<()> {
    let copy = Store::open_keyed(copy_path, key)?;
    let integrity: String = copy
        .conn()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    let same = integrity == "ok"
        && copy.schema_version()? == original.schema_version()?
        && super::migrate::application_id(copy.conn())?
            == super::migrate::application_id(original.conn())?
        && table_counts(copy.conn())? == table_counts(original.conn())?;
    copy.conn()
        .query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
    if !same {
        return Err(StoreError::Refused(
            "Nothing was changed: the converted copy did not match the practice file (it was removed).".into(),
        ));
    }
    Ok(())
}

/// Encrypts the plain practice file at `db` in place with `passphrase`.
pub fn encrypt(db: &Path, passphrase: &str) -> Result<Encrypted> {
    check_new_passphrase(passphrase)?;
    if is_encrypted(db) {
        return Err(StoreError::Refused(format!(
            "{} is already encrypted. Nothing was changed. Use `caseload rekey` to change its passphrase.",
            db.display()
        )));
    }
    if !db.is_file() {
        return Err(StoreError::Refused(format!(
            "There is no practice file at {} to encrypt.",
            db.display()
        )));
    }
    let keys = keys_path(db);
    if keys.exists() {
        return Err(StoreError::Refused(format!(
            "A key file {} is already there, but {} is not encrypted. Nothing was changed. Move the old key file aside, then try again.",
            keys.display(),
            db.display()
        )));
    }
    let store = Store::open(db)?;
    hold(&store, "encrypted")?;
    let key = FileKey::random();
    let recovery = RecoveryKey::random();
    let key_file = KeyFile::new(&key, passphrase, &recovery)?;

    let mut temp = Temp::beside(db, "encrypt");
    export_to(&store, &temp.path, Some(&key))?;
    // The new file with its key file beside it, checked as it will be opened.
    key_file.write_to(&keys_path(&temp.path))?;
    verify(&store, &temp.path, Some(&key))?;
    sync_file(&temp.path)?;

    // The old bytes stay reachable through this handle after the rename, to be overwritten.
    let old = OpenOptions::new().write(true).open(db).ok();
    // The key file first: a plain file with a key file beside it still opens as plain.
    fs::rename(keys_path(&temp.path), &keys).map_err(|e| StoreError::CannotWrite {
        path: keys.display().to_string(),
        reason: super::io_reason(&e),
    })?;
    if let Err(e) = fs::rename(&temp.path, db) {
        let _ = fs::remove_file(&keys);
        return Err(StoreError::CannotWrite {
            path: db.display().to_string(),
            reason: super::io_reason(&e),
        });
    }
    temp.keep = true;
    super::files::sync_dir(super::files::parent(db));
    drop(store);
    let overwritten = old.as_ref().is_some_and(overwrite);
    Ok(Encrypted {
        recovery,
        overwritten,
    })
}

/// Decrypts the encrypted practice file at `db` (opened with `key`) back to a plain file, in
/// place, and removes its key file.
pub fn decrypt(db: &Path, key: &FileKey) -> Result<()> {
    if !is_encrypted(db) {
        return Err(StoreError::Refused(format!(
            "{} is not encrypted. Nothing was changed.",
            db.display()
        )));
    }
    let store = Store::open_keyed(db, Some(key))?;
    hold(&store, "decrypted")?;
    let mut temp = Temp::beside(db, "decrypt");
    export_to(&store, &temp.path, None)?;
    verify(&store, &temp.path, None)?;
    sync_file(&temp.path)?;
    fs::rename(&temp.path, db).map_err(|e| StoreError::CannotWrite {
        path: db.display().to_string(),
        reason: super::io_reason(&e),
    })?;
    temp.keep = true;
    drop(store);
    let _ = fs::remove_file(keys_path(db));
    super::files::sync_dir(super::files::parent(db));
    Ok(())
}

/// Wraps the file key of `db` again, by a new passphrase and a new recovery key. The practice
/// file itself does not change.
pub fn rewrap(db: &Path, key: &FileKey, new_passphrase: &str) -> Result<RecoveryKey> {
    check_new_passphrase(new_passphrase)?;
    // The key must really open the file before the old key file is replaced.
    drop(Store::open_keyed(db, Some(key))?);
    let recovery = RecoveryKey::random();
    KeyFile::new(key, new_passphrase, &recovery)?.write(db)?;
    Ok(recovery)
}

fn sync_file(path: &Path) -> Result<()> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::CannotWrite {
            path: path.display().to_string(),
            reason: super::io_reason(&e),
        })
}

/// Copies the key file of `db` beside `dest` (a backup), as `<dest>.keys`.
pub(crate) fn copy_keys(db: &Path, dest: &Path) -> Result<()> {
    KeyFile::read(db)?.write_to(&keys_path(dest))
}

// ---- hex ------------------------------------------------------------------------------------

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlcipher_is_linked() {
        let v = cipher_version().expect("SQLCipher");
        assert!(v.starts_with('4'), "{v}");
        // Quiet before any key: SQLCipher's log level is off.
        let conn = Connection::open_in_memory().unwrap();
        quiet(&conn).unwrap();
        let level: String = conn
            .query_row("PRAGMA cipher_log_level", [], |r| r.get(0))
            .unwrap();
        assert_eq!(level, "NONE");
    }

    #[test]
    fn hex_round_trips() {
        let b = [0u8, 1, 0xab, 0xff];
        assert_eq!(hex(&b), "0001abff");
        assert_eq!(unhex("0001abff").unwrap(), b);
        assert!(unhex("0g").is_none());
        assert!(unhex("abc").is_none());
    }

    #[test]
    fn recovery_keys_use_crockfords_alphabet_and_forgive_typing() {
        for _ in 0..50 {
            let r = RecoveryKey::random();
            assert!(!r.0.contains(['I', 'L', 'O', 'U']), "{}", r.0);
        }
        let key = KeyFile::new(
            &FileKey::random(),
            "correct horse",
            &RecoveryKey("0123456789ABCDEFGHJKMNPQ".into()),
        )
        .unwrap();
        for typed in [
            "0123-4567-89AB-CDEF-GHJK-MNPQ",
            "o123 4567 89ab cdef ghjk mnpq",
            "OI23-4567-89AB-CDEF-GHJK-MNPQ",
            "0L23456789abcdefghjkmnpq",
        ] {
            let r = RecoveryKey::parse(typed).unwrap();
            assert!(key.unlock_with_recovery(&r).is_ok(), "{typed}");
        }
        assert!(RecoveryKey::parse("0123-4567-89AB-CDEF-GHJK-MNPU").is_none());
        // A key made before, in RFC 4648 base 32 (with I, L, O and U), still opens.
        let old = RecoveryKey("ILOUABCDEFGH234567MNOPQR".into());
        let kf = KeyFile::new(&FileKey::random(), "correct horse", &old).unwrap();
        let typed = RecoveryKey::parse("ilou-abcd-efgh-2345-67mn-opqr").unwrap();
        assert!(kf.unlock_with_recovery(&typed).is_ok());
    }

    #[test]
    fn recovery_keys_are_24_characters_in_groups() {
        let r = RecoveryKey::random();
        let shown = r.display();
        assert_eq!(shown.len(), 29);
        assert_eq!(shown.split('-').count(), 6);
        assert_eq!(RecoveryKey::parse(&shown.to_lowercase()), Some(r.clone()));
        assert_eq!(RecoveryKey::parse(&shown.replace('-', " ")), Some(r));
        assert!(RecoveryKey::parse("ABCD").is_none());
        assert!(RecoveryKey::parse("ABCD-EFGH-IJKL-MNOP-QRST-UVW!").is_none());
        assert_ne!(RecoveryKey::random(), RecoveryKey::random());
    }

    #[test]
    fn the_file_key_unwraps_with_the_passphrase_or_the_recovery_key_only() {
        let key = FileKey::random();
        let rec = RecoveryKey::random();
        let kf = KeyFile::new(&key, "correct horse", &rec).unwrap();
        assert_eq!(kf.unlock_with_passphrase("correct horse").unwrap(), key);
        assert_eq!(kf.unlock_with_recovery(&rec).unwrap(), key);
        assert_eq!(kf.unlock_with_passphrase("wrong horse"), Err(Unwrap::Wrong));
        assert_eq!(
            kf.unlock_with_recovery(&RecoveryKey::random()),
            Err(Unwrap::Wrong)
        );
        // The key file never holds the key itself.
        let text = serde_json::to_string(&kf).unwrap();
        assert!(!text.contains(&hex(&key.key)));
        assert_eq!(kf.cipher, "sqlcipher4-raw-key-hmac-sha256");
        assert_eq!(kf.passphrase.kdf.algorithm, "argon2id");
        assert_eq!(kf.passphrase.kdf.memory_kib, 65536);
        // A tampered wrapped key is refused, not accepted as another key.
        let mut bad = kf.clone();
        let mut w = unhex(&bad.passphrase.wrapped_key).unwrap();
        w[0] ^= 1;
        bad.passphrase.wrapped_key = hex(&w);
        assert_eq!(
            bad.unlock_with_passphrase("correct horse"),
            Err(Unwrap::Wrong)
        );
    }

    #[test]
    fn new_files_are_sealed_with_hmac_sha256_and_the_key_file_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("practice.db");
        drop(Store::open(&db).unwrap());
        encrypt(&db, "correct horse").unwrap();
        assert_eq!(KeyFile::read(&db).unwrap().cipher, Cipher::NEW.name());
        let key = unlock(&db, "correct horse").unwrap();
        assert_eq!(key.cipher(), Cipher::HmacSha256);
        let store = Store::open_keyed(&db, Some(&key)).unwrap();
        let hmac: String = store
            .conn()
            .query_row("PRAGMA cipher_hmac_algorithm", [], |r| r.get(0))
            .unwrap();
        assert_eq!(hmac, "HMAC_SHA256");
        drop(store);
        // The HMAC is part of how the file opens: SQLCipher's default (SHA-512) does not.
        let sha512 = FileKey {
            key: key.key,
            cipher: Cipher::HmacSha512,
        };
        assert!(Store::open_keyed(&db, Some(&sha512)).is_err());
    }

    #[test]
    fn files_encrypted_with_sqlciphers_default_hmac_still_open() {
        let dir = tempfile::tempdir().unwrap();
        let plain_path = dir.path().join("plain.db");
        let old = dir.path().join("old.db");
        let plain = Store::open(&plain_path).unwrap();
        // What `encrypt` did before the cipher was recorded: the key alone, SQLCipher 4's
        // defaults for everything else (HMAC-SHA512).
        let mut raw = [0u8; 32];
        OsRng.fill_bytes(&mut raw);
        let key = FileKey {
            key: raw,
            cipher: Cipher::HmacSha512,
        };
        super::super::files::private_file(&old).unwrap();
        let conn = plain.conn();
        conn.execute(
            &format!("ATTACH DATABASE ?1 AS old KEY {}", key.sql_literal()),
            [old.to_string_lossy()],
        )
        .unwrap();
        conn.query_row("SELECT sqlcipher_export('old')", [], |_| Ok(()))
            .unwrap();
        let app_id = super::super::migrate::application_id(conn).unwrap();
        let version = super::super::migrate::user_version(conn).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA old.application_id = {app_id}; PRAGMA old.user_version = {version}; DETACH DATABASE old;"
        ))
        .unwrap();
        KeyFile::new(&key, "correct horse", &RecoveryKey::random())
            .unwrap()
            .write(&old)
            .unwrap();
        assert_eq!(KeyFile::read(&old).unwrap().cipher, "sqlcipher4-raw-key");

        let unlocked = unlock(&old, "correct horse").unwrap();
        assert_eq!(unlocked.cipher(), Cipher::HmacSha512);
        let opened = Store::open_keyed(&old, Some(&unlocked)).unwrap();
        assert!(opened.encrypted());
        let hmac: String = opened
            .conn()
            .query_row("PRAGMA cipher_hmac_algorithm", [], |r| r.get(0))
            .unwrap();
        assert_eq!(hmac, "HMAC_SHA512");
        assert_eq!(
            table_counts(opened.conn()).unwrap(),
            table_counts(plain.conn()).unwrap()
        );
        let integrity: String = opened
            .conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(integrity, "ok");
        drop(opened);
        // Opened as new files are, it would not open.
        let as_new = FileKey {
            key: raw,
            cipher: Cipher::HmacSha256,
        };
        assert!(Store::open_keyed(&old, Some(&as_new)).is_err());
        // A new passphrase keeps the file's cipher.
        rewrap(&old, &unlocked, "another horse").unwrap();
        assert_eq!(KeyFile::read(&old).unwrap().cipher, "sqlcipher4-raw-key");
        let again = unlock(&old, "another horse").unwrap();
        assert!(Store::open_keyed(&old, Some(&again)).is_ok());
    }

    #[test]
    fn a_key_file_naming_an_unknown_cipher_is_refused_as_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("practice.db");
        let mut kf =
            KeyFile::new(&FileKey::random(), "correct horse", &RecoveryKey::random()).unwrap();
        kf.cipher = "sqlcipher9-something".into();
        kf.write(&db).unwrap();
        let e = KeyFile::read(&db).unwrap_err().to_string();
        assert!(e.contains("damaged"), "{e}");
        assert_eq!(
            kf.unlock_with_passphrase("correct horse"),
            Err(Unwrap::Damaged)
        );
    }

    #[test]
    fn short_passphrases_are_refused() {
        assert!(check_new_passphrase("short").is_err());
        assert!(check_new_passphrase("long enough").is_ok());
    }
}
