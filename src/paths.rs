//! Where caseload keeps its files.

use std::path::PathBuf;

use anyhow::{Context, Result};
use directories::ProjectDirs;

fn dirs() -> Result<ProjectDirs> {
    ProjectDirs::from("", "", "caseload")
        .context("caseload could not find your home folder; set HOME, or use --db PATH")
}

/// The folder for practice files (`$XDG_DATA_HOME/caseload` on Linux).
pub fn data_dir() -> Result<PathBuf> {
    Ok(dirs()?.data_dir().to_path_buf())
}

/// The folder for `config.toml` and the practitioner's instruments (`$XDG_CONFIG_HOME/caseload`).
pub fn config_dir() -> Result<PathBuf> {
    Ok(dirs()?.config_dir().to_path_buf())
}

/// The practice file to open: `--db`/`CASELOAD_DB` if given, else `demo.db` for `--demo`, else
/// `caseload.db`, both in the data folder.
pub fn practice_file(db: Option<PathBuf>, demo: bool) -> Result<PathBuf> {
    if let Some(p) = db {
        return Ok(p);
    }
    let name = if demo { "demo.db" } else { "caseload.db" };
    Ok(data_dir()?.join(name))
}
