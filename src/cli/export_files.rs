//! The practitioner's own files that travel with an export: `config.toml` and the instrument
//! files (so custom questionnaire wording survives a move to a new machine). An import puts them
//! back in the config folder where nothing is there yet; it never replaces a file and never
//! writes outside that folder.

use std::path::Path;

/// `config.toml` and `instruments/*.toml` from the config folder, as (name, text), in name order.
/// A file that can't be read as text is left out.
pub fn collect(config_dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    if let Ok(text) = std::fs::read_to_string(config_dir.join("config.toml")) {
        files.push(("config.toml".to_string(), text));
    }
    if let Ok(entries) = std::fs::read_dir(config_dir.join("instruments")) {
        let mut found: Vec<(String, String)> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| {
                let name = e.file_name().to_str()?.to_string();
                if !name.ends_with(".toml") {
                    return None;
                }
                let text = std::fs::read_to_string(e.path()).ok()?;
                Some((format!("instruments/{name}"), text))
            })
            .collect();
        found.sort();
        files.extend(found);
    }
    files
}

/// True for the names an export may carry: `config.toml` and `instruments/<name>.toml`, with
/// no folder, `..` or hidden name (nothing can be written outside the config folder).
pub fn is_allowed_name(name: &str) -> bool {
    if name == "config.toml" {
        return true;
    }
    match name.strip_prefix("instruments/") {
        Some(file) => {
            file.ends_with(".toml")
                && file.len() > ".toml".len()
                && !file.starts_with('.')
                && !file.contains(['/', '\\'])
                && !file.contains("..")
        }
        None => false,
    }
}

/// Puts the files back under `config_dir` where nothing is there yet. Returns one line a file
/// for the practitioner: what was restored and what was left out, and why.
pub fn restore(config_dir: &Path, files: &[(String, String)]) -> Vec<String> {
    let mut said = Vec::new();
    for (name, text) in files {
        if !is_allowed_name(name) {
            said.push(format!(
                "Left out {name:?}: an export carries only config.toml and instrument files."
            ));
            continue;
        }
        let path = config_dir.join(name);
        match crate::outfile::write(&path, text.as_bytes(), false) {
            Ok(_) => said.push(format!("Restored {}.", path.display())),
            Err(crate::outfile::OutFileError::Exists(_))
                if std::fs::read_to_string(&path).is_ok_and(|t| &t == text) => {}
            Err(e) => said.push(format!("Kept your own {name}, not the export's: {e}.")),
        }
    }
    said
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn only_config_and_instrument_files_are_allowed() {
        for ok in [
            "config.toml",
            "instruments/mood.toml",
            "instruments/a b.toml",
        ] {
            assert!(is_allowed_name(ok), "{ok}");
        }
        for bad in [
            "../config.toml",
            "instruments/../../x.toml",
            "instruments/sub/x.toml",
            "instruments/.toml",
            "instruments/.hidden.toml",
            "instruments/x.txt",
            "/etc/passwd",
            "other.toml",
        ] {
            assert!(!is_allowed_name(bad), "{bad}");
        }
    }

    #[test]
    fn files_travel_and_are_never_replaced() {
        let from = tempfile::tempdir().unwrap();
        std::fs::write(from.path().join("config.toml"), "theme = \"plain\"\n").unwrap();
        std::fs::create_dir(from.path().join("instruments")).unwrap();
        std::fs::write(from.path().join("instruments/b.toml"), "key = \"b\"\n").unwrap();
        std::fs::write(from.path().join("instruments/a.toml"), "key = \"a\"\n").unwrap();
        std::fs::write(from.path().join("instruments/notes.txt"), "x").unwrap();
        let files = collect(from.path());
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            vec!["config.toml", "instruments/a.toml", "instruments/b.toml"]
        );

        let to = tempfile::tempdir().unwrap();
        std::fs::write(to.path().join("config.toml"), "theme = \"mine\"\n").unwrap();
        let said = restore(to.path(), &files);
        assert_eq!(said.len(), 3, "{said:?}");
        assert!(said[0].starts_with("Kept your own config.toml"), "{said:?}");
        assert_eq!(
            std::fs::read_to_string(to.path().join("config.toml")).unwrap(),
            "theme = \"mine\"\n"
        );
        assert_eq!(
            std::fs::read_to_string(to.path().join("instruments/a.toml")).unwrap(),
            "key = \"a\"\n"
        );
        // Again: the same files are already there, nothing to say about them.
        let again = restore(to.path(), &files[1..]);
        assert!(again.is_empty(), "{again:?}");
        let evil = restore(to.path(), &[("../x.toml".into(), "x".into())]);
        assert!(evil[0].starts_with("Left out"), "{evil:?}");
        assert!(!to.path().parent().unwrap().join("x.toml").exists());
    }
}
