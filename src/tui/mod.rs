//! The terminal app.

pub mod action;
pub mod app;
pub mod keymap;
pub mod popups;
// The working relationship (issue 7): opening its dialogs and applying them.
mod relationship;
pub mod screens;
pub mod theme;
pub mod widgets;

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Ctx};
use crate::config::Config;

pub use app::App;

/// Opens the practice file and runs the app until the practitioner quits. Problems opening the
/// file are reported before the terminal is taken over; the terminal is restored on every exit,
/// a panic included (ratatui's hook).
pub fn run_app(cli: &Cli) -> Result<ExitCode> {
    let ctx = Ctx::from_cli(cli)?;
    let store = ctx.open()?;
    let (config, warning) = match crate::paths::config_dir() {
        Ok(dir) => Config::load(&dir.join("config.toml")),
        Err(_) => (Config::default(), None),
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mut app = App::new(store, config, ctx.clock, no_color)?;
    if let Some(w) = warning {
        app.error(w);
    }
    let mut terminal = ratatui::init();
    let result = app.run(&mut terminal);
    ratatui::restore();
    result?;
    Ok(ExitCode::SUCCESS)
}
