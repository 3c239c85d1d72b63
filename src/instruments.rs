//! The instruments on hand: the built-ins embedded in the binary, and the practitioner's own
//! files in `<config dir>/instruments/*.toml`. A broken file never stops the app: it is listed,
//! with every problem found, and the rest load.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::domain::engagement::ENGAGEMENT_KEY;
use crate::domain::instrument::{self, Instrument, Problem};

pub use crate::domain::instrument::BUILT_IN;

/// Where an instrument came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    BuiltIn,
    File(PathBuf),
}

/// A user file that could not be loaded, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Broken {
    pub path: PathBuf,
    pub problems: Vec<Problem>,
}

type Parsed = Result<Instrument, Vec<Problem>>;

/// Reads and checks one file.
fn read(path: &Path) -> Parsed {
    match std::fs::read_to_string(path) {
        Ok(text) => instrument::parse(&text),
        Err(e) => Err(vec![Problem {
            line: 1,
            message: format!("the file could not be read ({e})"),
        }]),
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Catalog {
    /// Built-ins first (engagement first of all), then the practitioner's, by file name.
    pub instruments: Vec<(Instrument, Source)>,
    pub broken: Vec<Broken>,
}

impl Catalog {
    /// The built-ins only.
    pub fn built_in() -> Catalog {
        let mut c = Catalog::default();
        for (name, text) in BUILT_IN {
            match instrument::parse(text) {
                Ok(i) => c.instruments.push((i, Source::BuiltIn)),
                Err(problems) => c.broken.push(Broken {
                    path: PathBuf::from(name),
                    problems,
                }),
            }
        }
        c.instruments.sort_by_key(|(i, _)| i.key != ENGAGEMENT_KEY);
        c
    }

    /// The built-ins and the `*.toml` files in `dir` (a missing folder is no problem).
    pub fn load(dir: Option<&Path>) -> Catalog {
        let mut c = Catalog::built_in();
        if let Some(dir) = dir {
            c.add_dir(dir);
        }
        c
    }

    /// The built-ins and the practitioner's folder under the config folder.
    pub fn load_default() -> Catalog {
        let dir = crate::paths::config_dir()
            .ok()
            .map(|d| d.join("instruments"));
        Catalog::load(dir.as_deref())
    }

    /// Adds every `*.toml` file in `dir`, in name order. Files are read and checked on all
    /// cores (start-up stays quick with many files); keys are then taken in name order.
    pub fn add_dir(&mut self, dir: &Path) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        // The entry's own file type: no extra call per file (a link is followed only then).
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .filter(|e| {
                e.file_type()
                    .is_ok_and(|t| t.is_file() || (t.is_symlink() && e.path().is_file()))
            })
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 8);
        let parsed: Vec<(PathBuf, Parsed)> = if threads == 1 || paths.len() < 8 {
            paths
                .into_iter()
                .map(|p| {
                    let r = read(&p);
                    (p, r)
                })
                .collect()
        } else {
            let chunk = paths.len().div_ceil(threads);
            std::thread::scope(|scope| {
                let handles: Vec<_> = paths
                    .chunks(chunk)
                    .map(|part| {
                        scope.spawn(move || {
                            part.iter()
                                .map(|p| (p.clone(), read(p)))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_else(|_| Vec::new()))
                    .collect()
            })
        };
        for (path, result) in parsed {
            self.add_parsed(&path, result);
        }
    }

    /// Adds one file, or lists it as broken.
    pub fn add_file(&mut self, path: &Path) {
        let result = read(path);
        self.add_parsed(path, result);
    }

    fn add_parsed(&mut self, path: &Path, result: Parsed) {
        match result {
            Ok(i) => {
                if let Some((_, src)) = self.instruments.iter().find(|(o, _)| o.key == i.key) {
                    let whose = match src {
                        Source::BuiltIn => "a built-in instrument".to_string(),
                        Source::File(p) => format!("{}", p.display()),
                    };
                    self.broken.push(Broken {
                        path: path.to_path_buf(),
                        problems: vec![Problem {
                            line: 1,
                            message: format!(
                                "the key “{}” is already used by {whose}; give this instrument its own key",
                                i.key
                            ),
                        }],
                    });
                } else {
                    self.instruments.push((i, Source::File(path.to_path_buf())));
                }
            }
            Err(problems) => self.broken.push(Broken {
                path: path.to_path_buf(),
                problems,
            }),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Instrument> {
        self.instruments
            .iter()
            .map(|(i, _)| i)
            .find(|i| i.key == key)
    }

    pub fn list(&self) -> impl Iterator<Item = &Instrument> {
        self.instruments.iter().map(|(i, _)| i)
    }

    /// The engagement assessment (always built in).
    pub fn engagement(&self) -> Option<&Instrument> {
        self.get(ENGAGEMENT_KEY)
    }

    /// The keys on hand, for a message.
    pub fn keys(&self) -> String {
        self.list()
            .map(|i| i.key.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_ins_load_and_engagement_is_first() {
        let c = Catalog::built_in();
        assert!(c.broken.is_empty(), "{:?}", c.broken);
        assert_eq!(c.instruments[0].0.key, "engagement");
        assert!(c.get("wellbeing").is_some());
    }

    #[test]
    fn a_broken_user_file_is_listed_and_the_rest_load() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a_bad.toml"), "key = \"x\"\nversion = [").unwrap();
        let good = BUILT_IN[1]
            .1
            .replace("key = \"wellbeing\"", "key = \"mine\"");
        std::fs::write(dir.path().join("b_good.toml"), good).unwrap();
        std::fs::write(dir.path().join("c_clash.toml"), BUILT_IN[1].1).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
        let c = Catalog::load(Some(dir.path()));
        assert!(c.get("mine").is_some());
        assert_eq!(c.broken.len(), 2, "{:?}", c.broken);
        assert!(c.broken[0].path.ends_with("a_bad.toml"));
        assert!(c.broken[1].problems[0].message.contains("already used"));
        // A missing folder is no problem.
        let c = Catalog::load(Some(&dir.path().join("absent")));
        assert!(c.broken.is_empty());
    }

    /// For each outcome, the answer on each item that favours it most: the one that widens its
    /// lead over every other outcome (highest where the item weighs it most, lowest elsewhere).
    fn favouring(ins: &Instrument, outcome: &str) -> Vec<i64> {
        ins.items
            .iter()
            .map(|item| {
                let mine = item.weights.get(outcome).copied().unwrap_or(0.0);
                let best_other = item
                    .weights
                    .iter()
                    .filter(|(o, _)| o.as_str() != outcome)
                    .map(|(_, w)| *w)
                    .fold(0.0, f64::max);
                let margin = |v: i64| item.scored(v) as f64 * (mine - best_other);
                item.options
                    .iter()
                    .map(|c| c.value)
                    .max_by(|a, b| margin(*a).total_cmp(&margin(*b)).then(b.cmp(a)))
                    .unwrap()
            })
            .collect()
    }

    #[test]
    fn each_engagement_outcome_wins_when_every_answer_favours_it() {
        let c = Catalog::built_in();
        let e = c.engagement().unwrap();
        assert_eq!(
            e.outcomes,
            crate::domain::engagement::EngagementModel::WORDS
        );
        let scored = e.items.iter().filter(|i| i.is_scored()).count();
        assert!((10..=16).contains(&scored), "{scored} items");
        for outcome in &e.outcomes {
            let answers = favouring(e, outcome);
            let s = e.score(&answers).unwrap();
            assert_eq!(&s.ranking[0].model, outcome, "{s:?}");
            assert!(
                s.ranking[0].score > s.ranking[1].score,
                "a clear first: {s:?}"
            );
            assert!(!s.tie.unwrap_or_default().contains(outcome.as_str()));
            assert!((1..=3).contains(&s.why.len()));
        }
    }

    #[test]
    fn engagement_barriers_are_kept_not_scored() {
        let c = Catalog::built_in();
        let e = c.engagement().unwrap();
        let mut answers: Vec<i64> = e.items.iter().map(|i| i.min()).collect();
        let n = answers.len();
        answers[n - 4] = 2;
        answers[n - 1] = 1;
        let s = e.score(&answers).unwrap();
        assert_eq!(s.barriers.len(), 4);
        assert!(s.barriers[0].present && s.barriers[3].present);
        assert!(!s.barriers[1].present);
        assert_eq!(s.barriers[0].label, "Often");
        assert_eq!(s.total, 0);
    }

    #[test]
    fn the_readme_examples_are_good_instruments() {
        let readme = include_str!("../README.md");
        let mut checked = 0;
        for block in readme.split("```toml\n").skip(1) {
            let text = block.split("```").next().unwrap();
            if text.contains("\nkey = ") || text.starts_with("key = ") {
                instrument::parse(text).unwrap();
                checked += 1;
            }
        }
        assert!(checked >= 2);
    }
}
