//! Tests of `domain::instrument`.

use super::*;

const MEASURE: &str = r#"key = "demo"
title = "Demo"
version = 1
kind = "measure"
instructions = "Answer each."
options = [
  { label = "Never", value = 0 },
  { label = "Sometimes", value = 1 },
  { label = "Often", value = 2 },
]

[[items]]
id = "a"
text = "A"

[[items]]
id = "b"
text = "B"
reverse = true

[[items]]
id = "c"
text = "C"

[[bands]]
min = 0
max = 2
label = "low"

[[bands]]
min = 3
max = 6
label = "high"

[[flags]]
item = "c"
at_least = 2
message = "C is often"

[[subscales]]
id = "ab"
items = ["a", "b"]
"#;

fn measure() -> Instrument {
    parse(MEASURE).unwrap()
}

#[test]
fn a_good_measure_parses() {
    let m = measure();
    assert_eq!(m.key, "demo");
    assert_eq!(m.items.len(), 3);
    assert_eq!(m.total_range(), (0, 6));
    assert_eq!(m.reliable_change, 5.0);
    assert_eq!(m.better, Better::Lower);
}

#[test]
fn a_measure_says_which_way_is_better() {
    let text = MEASURE.replace(
        "kind = \"measure\"",
        "kind = \"measure\"\nbetter = \"higher\"",
    );
    assert_eq!(parse(&text).unwrap().better, Better::Higher);
    let text = MEASURE.replace("kind = \"measure\"", "kind = \"measure\"\nbetter = \"up\"");
    let p = problems(&text);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].line, 5);
    assert!(p[0].message.contains("\"lower\" or \"higher\""), "{p:?}");
    let rec = REC.replace(
        "kind = \"recommendation\"",
        "kind = \"recommendation\"\nbetter = \"lower\"",
    );
    let p = problems(&rec);
    assert!(
        p.iter().any(|p| p.message == "better is only for measures"),
        "{p:?}"
    );
}

#[test]
fn reverse_items_count_max_plus_min_minus_value() {
    let m = measure();
    let s = m.score(&[0, 0, 0]).unwrap();
    // b is reversed: 0 counts as 2.
    assert_eq!(s.total, 2);
    assert_eq!(s.subscales["ab"], 2);
    let s = m.score(&[2, 2, 2]).unwrap();
    assert_eq!(s.total, 4);
}

#[test]
fn band_edges_fall_in_the_right_band() {
    let m = measure();
    assert_eq!(m.score(&[1, 1, 1]).unwrap().total, 3);
    assert_eq!(m.band_for(2).unwrap().label, "low");
    assert_eq!(m.band_for(3).unwrap().label, "high");
    assert_eq!(m.band_for(0).unwrap().label, "low");
    assert_eq!(m.band_for(6).unwrap().label, "high");
    assert!(m.band_for(7).is_none());
    // 0 + (2-2=0) + 0 = 0 → low edge
    assert_eq!(m.score(&[0, 2, 0]).unwrap().band.as_deref(), Some("low"));
    assert_eq!(m.score(&[2, 0, 2]).unwrap().band.as_deref(), Some("high"));
}

#[test]
fn flags_fire_on_the_item_whatever_the_total() {
    let m = measure();
    let s = m.score(&[0, 2, 2]).unwrap();
    assert_eq!(s.band.as_deref(), Some("low"));
    assert_eq!(
        s.flags,
        vec![FiredFlag {
            item: "c".into(),
            message: "C is often".into()
        }]
    );
    assert!(m.score(&[2, 0, 1]).unwrap().flags.is_empty());
}

#[test]
fn wrong_answers_name_the_item() {
    let m = measure();
    let e = m.score(&[0, 1]).unwrap_err();
    assert!(e.to_string().contains("3 items"), "{e}");
    let e = m.score(&[0, 5, 1]).unwrap_err();
    assert!(e.to_string().contains("“b”"), "{e}");
    assert!(e.to_string().contains("0, 1, 2"), "{e}");
}

fn problems(text: &str) -> Vec<Problem> {
    parse(text).unwrap_err()
}

#[test]
fn a_gap_between_bands_is_reported_at_its_line() {
    let text = MEASURE.replace("min = 3\nmax = 6", "min = 4\nmax = 6");
    let p = problems(&text);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].message.contains("a total of 3"), "{p:?}");
    let line = text.lines().position(|l| l.contains("min = 4")).unwrap() + 1;
    // The band's table begins at its [[bands]] header, the line before its min.
    assert!(
        p[0].line == line || p[0].line == line - 1,
        "{p:?} vs {line}"
    );
}

#[test]
fn overlapping_and_short_bands_are_reported() {
    let text = MEASURE.replace("min = 3\nmax = 6", "min = 2\nmax = 5");
    let p = problems(&text);
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(p[0].message.contains("overlaps"), "{p:?}");
    assert!(p[1].message.contains("a total of 6"), "{p:?}");
}

#[test]
fn an_unknown_flag_item_is_reported_at_its_line() {
    let text = MEASURE.replace("item = \"c\"", "item = \"zz\"");
    let p = problems(&text);
    let line = text.lines().position(|l| l.contains("\"zz\"")).unwrap() + 1;
    assert_eq!(
        p,
        vec![Problem {
            line,
            message: "the flag names item “zz”, which is not in this file".into()
        }]
    );
}

#[test]
fn bad_toml_is_reported_with_its_line() {
    let text = MEASURE.replace("text = \"B\"", "text = \"B");
    let p = problems(&text);
    let line = text.lines().position(|l| l.contains("text = \"B")).unwrap() + 1;
    assert!(
        p.iter()
            .any(|x| x.line == line && x.message.contains("TOML")),
        "{p:?}"
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let text = MEASURE
        .replace("version = 1", "version = \"one\"")
        .replace("item = \"c\"", "item = \"zz\"")
        .replace("id = \"ab\"", "id = \"ab\"\ncolour = \"red\"")
        .replace("reverse = true", "reverse = \"yes\"");
    let p = problems(&text);
    assert!(p.len() >= 4, "{p:?}");
    let lines: Vec<usize> = p.iter().map(|x| x.line).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
    assert!(
        p.iter()
            .any(|x| x.line == 3 && x.message.contains("version"))
    );
    assert!(p.iter().any(|x| x.message.contains("colour")));
    assert!(p.iter().any(|x| x.message.contains("reverse")));
}

#[test]
fn missing_parts_are_named() {
    let p = problems("key = \"x\"\nkind = \"measure\"\n");
    let text: Vec<String> = p.iter().map(|x| x.message.clone()).collect();
    for want in ["title", "version", "instructions", "items", "bands"] {
        assert!(text.iter().any(|t| t.contains(want)), "{want}: {text:?}");
    }
}

const REC: &str = r#"key = "r"
title = "R"
version = 2
kind = "recommendation"
instructions = "x"
outcomes = ["a", "b", "c"]
options = [{ label = "no", value = 0 }, { label = "yes", value = 1 }]

[[items]]
id = "i1"
text = "one"
weights = { a = 2, b = 1 }

[[items]]
id = "i2"
text = "two"
weights = { b = 2 }

[[items]]
id = "i3"
text = "three"
weights = { c = 1.5 }
"#;

#[test]
fn recommendation_scores_and_shares() {
    let r = parse(REC).unwrap();
    let s = r.score(&[1, 1, 0]).unwrap();
    assert_eq!(s.band, None);
    assert_eq!(s.ranking[0].model, "b");
    assert_eq!(s.ranking[0].score, 3.0);
    assert_eq!(s.ranking[0].share, 0.6);
    assert_eq!(s.ranking[1].model, "a");
    assert_eq!(s.ranking[1].share, 0.4);
    assert_eq!(s.ranking[2].share, 0.0);
    assert_eq!(s.why.len(), 2);
    assert_eq!(s.why[0].item, "i2");
    assert!(s.tie.is_none());
}

#[test]
fn ties_break_by_outcome_order_and_say_so() {
    let r = parse(REC).unwrap();
    // a = 2, b = 1 + 0 ... make a and b equal: i1 yes (a2, b1), i2 no → a2 b1; use i3.
    let s = r.score(&[0, 0, 0]).unwrap();
    assert_eq!(
        s.ranking
            .iter()
            .map(|e| e.model.as_str())
            .collect::<Vec<_>>(),
        vec!["a", "b", "c"]
    );
    assert!(s.tie.unwrap().contains("a and b and c"));
    let text = REC.replace("weights = { b = 2 }", "weights = { b = 1 }");
    let r = parse(&text).unwrap();
    let s = r.score(&[1, 1, 0]).unwrap();
    assert_eq!(s.ranking[0].model, "a");
    assert_eq!(s.ranking[1].model, "b");
    assert!(s.tie.unwrap().contains("a and b"));
}

#[test]
fn weights_must_name_outcomes() {
    let text = REC.replace("weights = { c = 1.5 }", "weights = { d = 1 }");
    let p = problems(&text);
    assert_eq!(p.len(), 1);
    assert!(p[0].message.contains("“d”"));
    assert_eq!(p[0].line, 22);
}
