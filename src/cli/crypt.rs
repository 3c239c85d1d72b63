//! `caseload encrypt | decrypt | rekey | recover`: encryption at rest (see [`crate::store::crypt`]).
//!
//! Passphrases are asked on the terminal without echo, or read from `CASELOAD_PASSPHRASE`
//! (the current one; for `encrypt`, the new one) and `CASELOAD_NEW_PASSPHRASE` (the new one for
//! `rekey` and `recover`); the recovery key from `CASELOAD_RECOVERY_KEY`. For scripts and tests.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Subcommand;

use super::Ctx;
use crate::store::crypt::{self, RecoveryKey};
use crate::store::{Store, StoreError, safety};

pub use crate::open::{NEW_PASSPHRASE_ENV, PASSPHRASE_ENV};
use crate::open::{ask, current_passphrase, env};
pub const RECOVERY_ENV: &str = "CASELOAD_RECOVERY_KEY";
pub const BACKUP_PASSPHRASE_ENV: &str = "CASELOAD_BACKUP_PASSPHRASE";

#[derive(Debug, Subcommand)]
pub enum CryptCommand {
    /// Encrypt the practice file with a passphrase (in place, safely); shows a recovery key once.
    Encrypt,
    /// Turn an encrypted practice file back into a plain one (in place, safely).
    Decrypt,
    /// Change the passphrase of an encrypted practice file; shows a new recovery key.
    Rekey,
    /// Forgot the passphrase? Set a new one with the recovery key; shows a new recovery key.
    Recover,
}

pub fn run(ctx: &Ctx, cmd: CryptCommand) -> Result<ExitCode> {
    match cmd {
        CryptCommand::Encrypt => encrypt(ctx),
        CryptCommand::Decrypt => decrypt(ctx),
        CryptCommand::Rekey => rekey(ctx),
        CryptCommand::Recover => recover(ctx),
    }
}

/// A new passphrase: from `var`, or asked twice without echo.
fn new_passphrase(var: &str) -> Result<String> {
    if let Some(p) = env(var) {
        crypt::check_new_passphrase(&p)?;
        return Ok(p);
    }
    for _ in 0..3 {
        let p = ask(&format!(
            "New passphrase (at least {} characters): ",
            crypt::MIN_PASSPHRASE
        ))?;
        if let Err(e) = crypt::check_new_passphrase(&p) {
            eprintln!("{e}");
            continue;
        }
        if ask("The same passphrase again: ")? == p {
            return Ok(p);
        }
        eprintln!("The two passphrases were not the same. Try again.");
    }
    bail!("No new passphrase was set. Nothing was changed.")
}

/// The file key of an encrypted file, from its passphrase (asked once).
fn key_of(db: &Path) -> Result<crypt::FileKey> {
    if !crypt::is_encrypted(db) {
        bail!("{} is not encrypted. Nothing was changed.", db.display());
    }
    let (p, _) = current_passphrase(db)?;
    Ok(crypt::unlock(db, &p)?)
}

/// The file key of the encrypted practice `db`, from its passphrase (asked once).
pub fn practice_key(db: &Path) -> Result<crypt::FileKey> {
    key_of(db)
}

/// The file key of an encrypted backup, from its own passphrase or recovery key (from
/// `CASELOAD_BACKUP_PASSPHRASE`, or asked once).
pub fn backup_key(backup: &Path) -> crate::store::Result<crypt::FileKey> {
    // A backup made with the practice's passphrase opens with CASELOAD_PASSPHRASE too.
    let p = match env(BACKUP_PASSPHRASE_ENV).or_else(|| env(PASSPHRASE_ENV)) {
        Some(p) => p,
        None => rpassword::prompt_password(format!(
            "Passphrase or recovery key of the backup {} (the one the practice had when it was made): ",
            backup.display()
        ))
        .map_err(|_| {
            StoreError::Refused(format!(
                "Nothing was restored: {} is encrypted and there is no terminal to ask for its passphrase on. Set {BACKUP_PASSPHRASE_ENV}.",
                backup.display()
            ))
        })?,
    };
    let by_passphrase = crypt::unlock(backup, &p);
    match (by_passphrase, RecoveryKey::parse(&p)) {
        (Ok(k), _) => Ok(k),
        (Err(_), Some(r)) => crypt::unlock_with_recovery(backup, &r)
            .map_err(|e| StoreError::Refused(format!("Nothing was restored: {e}"))),
        (Err(e), None) => Err(StoreError::Refused(format!("Nothing was restored: {e}"))),
    }
}

fn show_recovery(r: &RecoveryKey) {
    println!();
    println!("Your recovery key (shown only this once):");
    println!();
    println!("    {}", r.display());
    println!();
    println!(
        "Write it down and keep it somewhere safe, away from this computer. If the passphrase is ever forgotten, `caseload recover` opens the practice with it and sets a new passphrase."
    );
}

fn encrypt(ctx: &Ctx) -> Result<ExitCode> {
    let db = &ctx.db_path;
    if crypt::is_encrypted(db) {
        bail!(
            "{} is already encrypted. Nothing was changed. Use `caseload rekey` to change its passphrase.",
            db.display()
        );
    }
    // Open it once first, so that a file that is not a practice is refused before any question.
    drop(ctx.open()?);
    let passphrase = new_passphrase(PASSPHRASE_ENV)?;
    let done = crypt::encrypt(db, &passphrase)?;
    println!(
        "Encrypted {}. Its key file is {}: keep the two together (backups get their own copy).",
        db.display(),
        crypt::keys_path(db).display()
    );
    show_recovery(&done.recovery);
    println!();
    if done.overwritten {
        println!("The old unencrypted file was overwritten with zeros before it was let go.");
    }
    let plain: Vec<_> = safety::list_backups(db)
        .unwrap_or_default()
        .into_iter()
        .filter(|b| !crypt::is_encrypted(&b.path))
        .collect();
    if !plain.is_empty() {
        println!(
            "{} older backup{} in {} {} not encrypted: remove {} once this encrypted file has its own backup, or keep {} as safely as the practice itself.",
            plain.len(),
            if plain.len() == 1 { "" } else { "s" },
            safety::backups_dir(db).display(),
            if plain.len() == 1 { "is" } else { "are" },
            if plain.len() == 1 { "it" } else { "them" },
            if plain.len() == 1 { "it" } else { "them" },
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn decrypt(ctx: &Ctx) -> Result<ExitCode> {
    let db = &ctx.db_path;
    let key = key_of(db)?;
    crypt::decrypt(db, &key)?;
    println!(
        "Decrypted {}: it opens without a passphrase now, and its key file was removed. Backups made while it was encrypted stay encrypted.",
        db.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn rekey(ctx: &Ctx) -> Result<ExitCode> {
    let db = &ctx.db_path;
    let key = key_of(db)?;
    let passphrase = new_passphrase(NEW_PASSPHRASE_ENV)?;
    let recovery = crypt::rewrap(db, &key, &passphrase)?;
    println!(
        "The passphrase of {} was changed, and it has a new recovery key (the old one no longer opens it; backups made before keep the passphrase and recovery key they had).",
        db.display()
    );
    show_recovery(&recovery);
    Ok(ExitCode::SUCCESS)
}

fn recover(ctx: &Ctx) -> Result<ExitCode> {
    let db = &ctx.db_path;
    if !crypt::is_encrypted(db) {
        if db.is_file() && !crypt::keys_path(db).is_file() {
            // An encrypted file without its key file: nothing can open it.
            if let Err(StoreError::NotSqlite { hint, .. }) = Store::open(db)
                && !hint.is_empty()
            {
                bail!("{}", crypt::missing_keys(db));
            }
        }
        bail!("{} is not encrypted. Nothing was changed.", db.display());
    }
    let typed = match env(RECOVERY_ENV) {
        Some(k) => k,
        None => {
            println!("Type the recovery key you were shown when the file was encrypted.");
            ask("Recovery key: ")?
        }
    };
    let Some(recovery) = RecoveryKey::parse(&typed) else {
        bail!(
            "That is not a recovery key: it has 24 letters and digits, in groups of four (like 7K2M-9QRT-4WXZ-0AB1-CDEF-GH3J; there is no I, L, O or U). Nothing was changed."
        );
    };
    let key = crypt::unlock_with_recovery(db, &recovery)?;
    let passphrase = match env(NEW_PASSPHRASE_ENV) {
        Some(_) => new_passphrase(NEW_PASSPHRASE_ENV)?,
        None => new_passphrase(PASSPHRASE_ENV)?,
    };
    let new_recovery = crypt::rewrap(db, &key, &passphrase)?;
    println!(
        "{} opens with the new passphrase now. The recovery key you typed has been used up: here is a new one.",
        db.display()
    );
    show_recovery(&new_recovery);
    Ok(ExitCode::SUCCESS)
}
