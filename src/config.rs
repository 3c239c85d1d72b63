//! `config.toml`: how the practitioner likes the app to look. Optional; a problem in it is
//! reported and the defaults are used — it never stops the app.

use std::path::Path;

use serde::Deserialize;

use crate::domain::note::NoteTemplate;
use crate::domain::time::{DateStyle, WeekStart};

/// Colour themes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ThemeName {
    #[default]
    Default,
    Light,
    HighContrast,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub theme: ThemeName,
    pub date_format: DateStyle,
    pub week_start: WeekStart,
    /// The template a new progress note starts with: soap, dap, birp or free.
    pub note_template: NoteTemplate,
    /// Start the app in privacy mode (client names as initials).
    pub privacy: bool,
    /// Lock the screen after this many idle minutes (0: never).
    pub lock_after_minutes: LockAfter,
}

/// Idle minutes before the screen locks; 10 unless set, 0 for never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct LockAfter(pub u32);

impl Default for LockAfter {
    fn default() -> Self {
        LockAfter(10)
    }
}

impl LockAfter {
    /// The idle time that locks, or None for never.
    pub fn duration(self) -> Option<chrono::Duration> {
        (self.0 > 0).then(|| chrono::Duration::minutes(i64::from(self.0)))
    }
}

impl Config {
    /// Reads `path` if it exists. Returns the config to use and, when the file has a problem,
    /// a message saying what was wrong (the defaults are used then).
    pub fn load(path: &Path) -> (Config, Option<String>) {
        match std::fs::read_to_string(path) {
            Ok(text) => match Config::parse(&text) {
                Ok(c) => (c, None),
                Err(e) => (
                    Config::default(),
                    Some(format!(
                        "{} has a problem, so the defaults are in use: {e}",
                        path.display()
                    )),
                ),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Config::default(), None),
            Err(e) => (
                Config::default(),
                Some(format!(
                    "{} could not be read ({e}); the defaults are in use",
                    path.display()
                )),
            ),
        }
    }

    pub fn parse(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| e.message().to_string())
    }

    /// The practitioner's config.toml (in the config folder), or the defaults.
    pub fn load_default() -> (Config, Option<String>) {
        match crate::paths::config_dir() {
            Ok(dir) => Config::load(&dir.join("config.toml")),
            Err(_) => (Config::default(), None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_setting() {
        let c = Config::parse(
            "theme = \"high-contrast\"\ndate_format = \"iso\"\nweek_start = \"sunday\"\n",
        )
        .unwrap();
        assert_eq!(c.theme, ThemeName::HighContrast);
        assert_eq!(c.date_format, DateStyle::Iso);
        assert_eq!(c.week_start, WeekStart::Sunday);
        assert_eq!(Config::parse("").unwrap(), Config::default());
        assert_eq!(Config::default().note_template, NoteTemplate::Soap);
        let c = Config::parse("note_template = \"birp\"").unwrap();
        assert_eq!(c.note_template, NoteTemplate::Birp);
        assert!(
            Config::parse("note_template = \"narrative\"")
                .unwrap_err()
                .contains("narrative")
        );
    }

    #[test]
    fn privacy_and_lock_settings() {
        let c = Config::default();
        assert!(!c.privacy);
        assert_eq!(
            c.lock_after_minutes.duration(),
            Some(chrono::Duration::minutes(10))
        );
        let c = Config::parse("privacy = true\nlock_after_minutes = 0\n").unwrap();
        assert!(c.privacy);
        assert_eq!(c.lock_after_minutes.duration(), None);
        let c = Config::parse("lock_after_minutes = 3").unwrap();
        assert_eq!(c.lock_after_minutes, LockAfter(3));
        assert!(Config::parse("lock_after_minutes = -1").is_err());
    }

    #[test]
    fn a_bad_file_falls_back_to_defaults_with_a_message() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(&p, "theme = \"purple\"").unwrap();
        let (c, warn) = Config::load(&p);
        assert_eq!(c, Config::default());
        assert!(warn.unwrap().contains("purple"));
        let (c, warn) = Config::load(&dir.path().join("absent.toml"));
        assert_eq!(c, Config::default());
        assert!(warn.is_none());
    }
}
