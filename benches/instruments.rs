#![allow(clippy::unwrap_used, clippy::panic)]
//! Loading the practitioner's instrument files at start-up: the built-ins alone, and with 50 user
//! files (the figure: the difference should stay under 5 ms).

use criterion::{Criterion, criterion_group, criterion_main};

use caseload::instruments::{BUILT_IN, Catalog};

fn loading(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let wellbeing = BUILT_IN
        .iter()
        .find(|(name, _)| *name == "wellbeing.toml")
        .unwrap()
        .1;
    let engagement = BUILT_IN
        .iter()
        .find(|(name, _)| *name == "engagement.toml")
        .unwrap()
        .1;
    for i in 0..50 {
        // Half measures, half recommendation instruments, each with its own key.
        let (text, key) = if i % 2 == 0 {
            (wellbeing, "wellbeing")
        } else {
            (engagement, "engagement")
        };
        let text = text.replace(&format!("key = \"{key}\""), &format!("key = \"user_{i}\""));
        std::fs::write(dir.path().join(format!("user_{i:02}.toml")), text).unwrap();
    }
    let loaded = Catalog::load(Some(dir.path()));
    assert_eq!(loaded.instruments.len(), 52);
    assert!(loaded.broken.is_empty());

    c.bench_function("instruments: built-ins only", |b| {
        b.iter(|| Catalog::load(None))
    });
    c.bench_function("instruments: built-ins and 50 user files", |b| {
        b.iter(|| Catalog::load(Some(dir.path())))
    });
}

fn parsing(c: &mut Criterion) {
    let engagement = BUILT_IN[0].1;
    c.bench_function("instruments: TOML tree of the engagement file", |b| {
        b.iter(|| toml::de::DeTable::parse(engagement).map(|_| ()))
    });
    c.bench_function("instruments: check the engagement file", |b| {
        b.iter(|| caseload::domain::instrument::parse(engagement).map(|_| ()))
    });
}

criterion_group!(benches, loading, parsing);
criterion_main!(benches);
