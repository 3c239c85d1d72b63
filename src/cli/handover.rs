//! `caseload handover`: the archive for a records custodian (the "professional will"), and
//! `caseload handover --verify FILE`.
//!
//! A new passphrase is made for each archive and shown once, unless
//! `CASELOAD_HANDOVER_PASSPHRASE` gives one (scripts and tests); `--verify` reads it from there
//! or asks for it without echo.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;

use super::{Ctx, print_json};
use crate::store::crypt::RecoveryKey;
use crate::store::handover::verify_handover;

pub const HANDOVER_PASSPHRASE_ENV: &str = "CASELOAD_HANDOVER_PASSPHRASE";

#[derive(Debug, Args)]
pub struct HandoverArgs {
    /// The colleague who would look after the records (named in the archive's letter).
    #[arg(long, value_name = "NAME", required_unless_present = "verify")]
    pub custodian: Option<String>,
    /// Where to write the archive (default: caseload-handover-DATE.tar.age in this folder).
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        conflicts_with = "verify"
    )]
    pub output: Option<PathBuf>,
    /// Check that an archive opens with its passphrase and is complete.
    #[arg(long, value_name = "FILE", conflicts_with = "custodian")]
    pub verify: Option<PathBuf>,
    /// Print JSON instead of words.
    #[arg(long)]
    pub json: bool,
}

fn env_passphrase() -> Option<String> {
    std::env::var(HANDOVER_PASSPHRASE_ENV)
        .ok()
        .filter(|v| !v.is_empty())
}

pub fn run(ctx: &Ctx, a: HandoverArgs) -> Result<ExitCode> {
    if let Some(file) = &a.verify {
        let passphrase = match env_passphrase() {
            Some(p) => p,
            None => match rpassword::prompt_password(format!(
                "Passphrase of the handover archive {}: ",
                file.display()
            )) {
                Ok(p) => p,
                Err(_) => bail!(
                    "The archive's passphrase is needed and there is no terminal to ask on. Run it in a terminal, or set {HANDOVER_PASSPHRASE_ENV}."
                ),
            },
        };
        let checked = verify_handover(file, &passphrase)?;
        if a.json {
            print_json(&checked)?;
        } else {
            println!(
                "{} opens and is complete: {} client records and {} files, made {} for {}.",
                file.display(),
                checked.clients,
                checked.files,
                checked.made_at,
                checked.custodian
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let custodian = a.custodian.unwrap_or_default();
    let dest = a.output.unwrap_or_else(|| {
        PathBuf::from(format!(
            "caseload-handover-{}.tar.age",
            ctx.clock.today().format("%Y-%m-%d")
        ))
    });
    let (passphrase, made) = match env_passphrase() {
        Some(p) => (p, false),
        None => (RecoveryKey::random().display(), true),
    };
    let mut store = ctx.open()?;
    let out = store.make_handover(
        &custodian,
        &dest,
        &passphrase,
        ctx.clock.now_utc(),
        ctx.clock.today(),
    )?;
    if a.json {
        print_json(&out)?;
    } else {
        println!(
            "Wrote the handover archive for {} to {} ({} client records, {} files).",
            custodian.trim(),
            out.file.display(),
            out.clients,
            out.files
        );
    }
    if made {
        eprintln!();
        eprintln!("The archive's passphrase (shown this once; it is not stored anywhere):");
        eprintln!();
        eprintln!("    {passphrase}");
        eprintln!();
        eprintln!(
            "Give it to {} separately from the archive (not in the same email or on the same drive). It is not your practice passphrase. They open the archive with the age tool (age-encryption.org): age --decrypt -o handover.tar {}, then tar -xf handover.tar, and start with READ-ME-FIRST.html.",
            custodian.trim(),
            out.file.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
