//! The handover archive (the "professional will"): the whole practice for a records custodian,
//! in one file that opens without caseload.
//!
//! The archive is a tar file encrypted in the age format (age-encryption.org/v1) with a
//! passphrase (scrypt), so the custodian can open it with the `age` tool and `tar`. Inside: a
//! letter for the custodian ([`crate::domain::custodian`]), every client's record as a web
//! page, the JSON export, the practice profile, and a manifest with each file's SHA-256 that
//! [`verify_handover`] checks. It is written to a temporary file beside the destination and
//! renamed into place, so an archive is whole or absent; it is created 0600.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::client::StatusFilter;
use super::{Result, Store, StoreError, audit::audit};
use crate::domain::client::ClientStatus;
use crate::domain::custodian::{
    self, CustodianFacts, EXPORT, FORMAT, MANIFEST, PAGE_HTML, PAGE_TXT, PROFILE, VERSION,
};
use crate::domain::document::DocFormat;
use crate::domain::time::format_instant;

/// The scrypt work factor (N = 2^16, 64 MiB): the passphrase caseload makes is 120 random
/// bits, so the key derivation needs no more, and a modest machine opens the archive quickly.
const WORK_FACTOR: u8 = 16;

/// One file of the archive: its path inside it and its bytes.
pub type ArchiveFile = (String, Vec<u8>);

/// One client in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestClient {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub file: String,
}

/// One file in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// The archive's table of contents (`manifest.json`, the last file in it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    pub made_at: String,
    pub custodian: String,
    pub practice: String,
    pub clients: Vec<ManifestClient>,
    pub files: Vec<ManifestFile>,
}

/// What `caseload handover` made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HandoverMade {
    pub file: PathBuf,
    pub clients: usize,
    pub files: usize,
    pub bytes: u64,
    pub sha256: String,
}

/// What `caseload handover --verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HandoverChecked {
    pub file: PathBuf,
    pub made_at: String,
    pub custodian: String,
    pub clients: usize,
    pub files: usize,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn refused(msg: String) -> StoreError {
    StoreError::Refused(msg)
}

fn io_failed(what: &str, path: &Path, e: &std::io::Error) -> StoreError {
    StoreError::CannotWrite {
        path: path.display().to_string(),
        reason: format!("{what}: {}", super::io_reason(e)),
    }
}

/// Creates a new file readable only by its owner (never an existing one).
fn private_file(path: &Path) -> std::io::Result<fs::File> {
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Removes a half-written archive unless it was put in place.
struct Partial(PathBuf, bool);

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.1 {
            let _ = fs::remove_file(&self.0);
        }
    }
}

impl Store {
    /// Every file the archive holds, in order, the manifest last.
    fn handover_files(
        &self,
        custodian: &str,
        file_name: &str,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<(Vec<ArchiveFile>, usize)> {
        // The parts are read one after another; if another window wrote meanwhile
        // (`PRAGMA data_version` moved), they are read again, so the archive is consistent.
        for _ in 0..5 {
            let before = self.data_version()?;
            let out = self.handover_files_once(custodian, file_name, now, today)?;
            if self.data_version()? == before {
                return Ok(out);
            }
        }
        Err(refused(
            "The practice kept changing while the archive was being made (another window is writing). Nothing was written. Try again when it is quiet.".into(),
        ))
    }

    fn handover_files_once(
        &self,
        custodian: &str,
        file_name: &str,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<(Vec<ArchiveFile>, usize)> {
        let profile = self.practice_profile()?;
        let rules = self.retention_rules()?;
        let clients = self.clients(StatusFilter::All)?;
        let holds: Vec<(String, String)> = self
            .retention_list()?
            .into_iter()
            .filter_map(|r| r.hold.map(|h| (r.name, h)))
            .collect();
        let mut files: Vec<ArchiveFile> = Vec::new();
        let active: Vec<_> = clients
            .iter()
            .filter(|c| matches!(c.status, ClientStatus::Active | ClientStatus::OnHold))
            .collect();
        let page = custodian::page(&CustodianFacts {
            custodian,
            practice: &profile,
            made_on: today,
            file_name,
            rules,
            active,
            clients: clients.len(),
            holds,
        });
        files.push((PAGE_HTML.into(), page.render(DocFormat::Html).into_bytes()));
        files.push((PAGE_TXT.into(), page.render(DocFormat::Txt).into_bytes()));
        let mut listed = Vec::new();
        for c in &clients {
            let path = custodian::record_file(c.id, &c.name);
            let html = self
                .client_record(c.id, None, None)?
                .document(&profile, today)
                .render(DocFormat::Html);
            files.push((path.clone(), html.into_bytes()));
            listed.push(ManifestClient {
                id: c.id,
                name: c.name.clone(),
                status: c.status.as_str().to_string(),
                file: path,
            });
        }
        let mut export = Vec::new();
        self.export_json(&mut export, &mut |_| {})?;
        files.push((EXPORT.into(), export));
        let profile_json = serde_json::to_vec_pretty(&profile)
            .map_err(|e| refused(format!("The practice profile could not be written ({e}).")))?;
        files.push((PROFILE.into(), profile_json));
        let manifest = Manifest {
            format: FORMAT.into(),
            version: VERSION,
            made_at: format_instant(now),
            custodian: custodian.to_string(),
            practice: profile.practice_name.clone(),
            files: files
                .iter()
                .map(|(p, b)| ManifestFile {
                    path: p.clone(),
                    bytes: b.len() as u64,
                    sha256: sha256(b),
                })
                .collect(),
            clients: listed,
        };
        let json = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| refused(format!("The manifest could not be written ({e}).")))?;
        files.push((MANIFEST.into(), json));
        Ok((files, clients.len()))
    }

    /// Writes the handover archive to `dest` (which must not exist), encrypted with
    /// `passphrase`, and records it (with an audit entry) in one transaction.
    pub fn make_handover(
        &mut self,
        custodian: &str,
        dest: &Path,
        passphrase: &str,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<HandoverMade> {
        let custodian = custodian.trim();
        if custodian.is_empty() {
            return Err(crate::domain::ValidationError::one(
                "custodian",
                "Name the custodian: the colleague who would look after the records.",
            )
            .into());
        }
        if passphrase.chars().count() < super::crypt::MIN_PASSPHRASE {
            return Err(refused(format!(
                "The archive's passphrase needs at least {} characters. Nothing was written.",
                super::crypt::MIN_PASSPHRASE
            )));
        }
        if fs::symlink_metadata(dest).is_ok() {
            return Err(refused(format!(
                "{} already exists, so nothing was written over it. Choose another file name.",
                dest.display()
            )));
        }
        let file_name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "handover.tar.age".into());
        let (files, clients) = self.handover_files(custodian, &file_name, now, today)?;

        let dir = dest.parent().filter(|d| !d.as_os_str().is_empty());
        let temp = dir
            .unwrap_or(Path::new("."))
            .join(format!(".{file_name}.{}.tmp", std::process::id()));
        let mut partial = Partial(temp.clone(), false);
        let out =
            private_file(&temp).map_err(|e| io_failed("it could not be created", dest, &e))?;
        let mut recipient = age::scrypt::Recipient::new(SecretString::from(passphrase.to_string()));
        recipient.set_work_factor(WORK_FACTOR);
        let encryptor =
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .map_err(|e| refused(format!("The archive could not be encrypted ({e}).")))?;
        let write = || -> std::io::Result<()> {
            let sealed = encryptor.wrap_output(std::io::BufWriter::new(out))?;
            let mut tar = tar::Builder::new(sealed);
            tar.mode(tar::HeaderMode::Deterministic);
            for (path, bytes) in &files {
                let mut h = tar::Header::new_ustar();
                h.set_size(bytes.len() as u64);
                h.set_mode(0o600);
                h.set_mtime(u64::try_from(now.timestamp()).unwrap_or(0));
                h.set_entry_type(tar::EntryType::Regular);
                tar.append_data(&mut h, path, bytes.as_slice())?;
            }
            let sealed = tar.into_inner()?;
            let mut buffered = sealed.finish()?;
            buffered.flush()?;
            buffered.get_ref().sync_all()
        };
        write().map_err(|e| io_failed("it could not be written", dest, &e))?;
        let bytes =
            fs::read(&temp).map_err(|e| io_failed("it could not be read back", dest, &e))?;
        let digest = sha256(&bytes);
        if fs::symlink_metadata(dest).is_ok() {
            return Err(refused(format!(
                "{} appeared while the archive was being written, so nothing was written over it. Choose another file name.",
                dest.display()
            )));
        }
        fs::rename(&temp, dest).map_err(|e| io_failed("it could not be put in place", dest, &e))?;
        partial.1 = true;
        let shown = dest.display().to_string();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO handovers (made_at, custodian, file, sha256, clients)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![
                    format_instant(now),
                    custodian,
                    shown,
                    digest,
                    clients as i64
                ],
            )?;
            let id = tx.last_insert_rowid();
            audit(
                tx,
                now,
                "handover_made",
                "handover",
                Some(id),
                None,
                Some(&format!(
                    "for {custodian}: {clients} client records, {shown}"
                )),
            )?;
            Ok(())
        })?;
        Ok(HandoverMade {
            file: dest.to_path_buf(),
            clients,
            files: files.len(),
            bytes: bytes.len() as u64,
            sha256: digest,
        })
    }
}

/// Opens a handover archive with its passphrase and returns its files, in order.
pub fn open_handover(path: &Path, passphrase: &str) -> Result<Vec<ArchiveFile>> {
    let shown = path.display().to_string();
    let not_archive = || {
        refused(format!(
            "{shown} is not a caseload handover archive, or it is damaged."
        ))
    };
    let f = fs::File::open(path).map_err(|e| io_failed("it could not be opened", path, &e))?;
    let decryptor = age::Decryptor::new_buffered(BufReader::new(f)).map_err(|_| not_archive())?;
    if !decryptor.is_scrypt() {
        return Err(refused(format!(
            "{shown} is an age file, but not one sealed with a passphrase: it is not a caseload handover archive."
        )));
    }
    let mut identity = age::scrypt::Identity::new(SecretString::from(passphrase.to_string()));
    identity.set_max_work_factor(22);
    let reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            // At this stage a failed decryption is the passphrase's key failing to open the
            // file key: the wrong passphrase.
            age::DecryptError::NoMatchingKeys
            | age::DecryptError::KeyDecryptionFailed
            | age::DecryptError::DecryptionFailed => refused(format!(
                "That passphrase does not open {shown}. Nothing was changed."
            )),
            _ => not_archive(),
        })?;
    let mut archive = tar::Archive::new(reader);
    let mut files = Vec::new();
    let entries = archive.entries().map_err(|_| not_archive())?;
    for entry in entries {
        let mut entry = entry.map_err(|_| not_archive())?;
        let name = entry
            .path()
            .map_err(|_| not_archive())?
            .to_string_lossy()
            .into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|_| not_archive())?;
        files.push((name, bytes));
    }
    Ok(files)
}

/// Checks that a handover archive opens with the passphrase and is complete: every file the
/// manifest lists is there with its checksum, every client has a record, and the export holds
/// the same clients.
pub fn verify_handover(path: &Path, passphrase: &str) -> Result<HandoverChecked> {
    let shown = path.display().to_string();
    let files = open_handover(path, passphrase)?;
    let found: BTreeMap<&str, &[u8]> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let incomplete = |what: String| {
        refused(format!(
            "{shown} opens, but it is not complete: {what}. Make a new archive with caseload handover."
        ))
    };
    let manifest: Manifest = found
        .get(MANIFEST)
        .and_then(|b| serde_json::from_slice(b).ok())
        .ok_or_else(|| {
            incomplete(format!(
                "its list of files ({MANIFEST}) is missing or unreadable"
            ))
        })?;
    if manifest.format != FORMAT || manifest.version > VERSION {
        return Err(incomplete(format!(
            "its list of files is of another kind ({} version {})",
            manifest.format, manifest.version
        )));
    }
    let mut problems = Vec::new();
    for f in &manifest.files {
        match found.get(f.path.as_str()) {
            None => problems.push(format!("{} is missing", f.path)),
            Some(b) if b.len() as u64 != f.bytes || sha256(b) != f.sha256 => {
                problems.push(format!("{} has changed", f.path))
            }
            Some(_) => {}
        }
    }
    for required in [PAGE_HTML, EXPORT, PROFILE] {
        if !manifest.files.iter().any(|f| f.path == required) {
            problems.push(format!("{required} is not in it"));
        }
    }
    for c in &manifest.clients {
        if !manifest.files.iter().any(|f| f.path == c.file) {
            problems.push(format!("the record of client {} is not in it", c.id));
        }
    }
    let export: Option<serde_json::Value> = found
        .get(EXPORT)
        .and_then(|b| serde_json::from_slice(b).ok());
    match export {
        Some(e) if e["format"] == super::export::FORMAT => {
            let mut in_export: Vec<i64> = e["tables"]["clients"]
                .as_array()
                .map(|rows| rows.iter().filter_map(|r| r["id"].as_i64()).collect())
                .unwrap_or_default();
            in_export.sort_unstable();
            let mut listed: Vec<i64> = manifest.clients.iter().map(|c| c.id).collect();
            listed.sort_unstable();
            if in_export != listed {
                problems.push(format!(
                    "the export holds {} clients but the archive lists {}",
                    in_export.len(),
                    listed.len()
                ));
            }
        }
        _ => problems.push(format!("{EXPORT} is not a caseload export")),
    }
    if !problems.is_empty() {
        return Err(incomplete(problems.join("; ")));
    }
    Ok(HandoverChecked {
        file: path.to_path_buf(),
        made_at: manifest.made_at,
        custodian: manifest.custodian,
        clients: manifest.clients.len(),
        // The manifest itself too.
        files: manifest.files.len() + 1,
    })
}
