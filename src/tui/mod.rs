//! The terminal app.

pub mod action;
pub mod app;
pub mod dialogs;
pub mod keymap;
pub mod names;
pub mod privacy;
pub mod screens;
pub mod theme;
pub mod widgets;

use std::process::ExitCode;

use anyhow::Result;

use crate::config::Config;
use crate::open::Ctx;

pub use app::App;

/// Opens the practice file and runs the app until the practitioner quits. Problems opening the
/// file are reported before the terminal is taken over; the terminal is restored on every exit,
/// a panic included (ratatui's hook).
pub fn run_app(ctx: &Ctx) -> Result<ExitCode> {
    // An encrypted file: up to three tries at the passphrase, before the terminal is taken over.
    let store = ctx.open_tries(3)?;
    let (config, warning) = match crate::paths::config_dir() {
        Ok(dir) => Config::load(&dir.join("config.toml")),
        Err(_) => (Config::default(), None),
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mut app = App::new_for_terminal(store, config, ctx.clock, no_color)?;
    app.catalog = crate::instruments::Catalog::load_default();
    // On an encrypted file the lock screen asks for the passphrase, not just a key.
    if app.store.encrypted()
        && let Some(path) = app.store.path().map(std::path::Path::to_path_buf)
    {
        app.unlock = privacy::Unlock::Passphrase(Box::new(move |typed| {
            crate::store::crypt::unlock(&path, typed).is_ok()
        }));
    }
    // Once a day, a backup beside the practice file, made on a worker after the first frame is
    // drawn; a failure is shown, never fatal.
    if !app.store.read_only()
        && let Some(path) = app.store.path().map(std::path::Path::to_path_buf)
    {
        app.backup = Some(app::DailyBackup::new(
            path,
            app.store.file_key_for_backups().cloned(),
            ctx.clock.now_local(),
        ));
    }
    if let Some(w) = warning {
        app.error(w);
    }
    let mut terminal = ratatui::init();
    let result = app.run(&mut terminal);
    ratatui::restore();
    result?;
    Ok(ExitCode::SUCCESS)
}
