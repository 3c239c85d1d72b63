//! The questionnaire dialogs drawn and driven without a terminal.

use crate::domain::assessment::Assessment;
use crate::domain::engagement::EngagementModel;
use crate::domain::instrument::InstrumentKind;
use crate::instruments::Catalog;
use crate::tui::action::Action;
use crate::tui::dialogs::*;
use crate::tui::keymap::Context;
use crate::tui::names::Names;
use crate::tui::theme::Theme;

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyModifiers;

fn key() -> KeyEvent {
    KeyEvent::new(KeyCode::Null, KeyModifiers::NONE)
}

fn runner() -> Runner {
    let cat = Catalog::built_in();
    Runner::new(1, "Tom Berg", cat.get("wellbeing").unwrap().clone())
}

fn draw(f: impl Fn(Rect, &mut Buffer)) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|fr| {
        let a = fr.area();
        f(a, fr.buffer_mut())
    })
    .unwrap();
    t
}

#[test]
fn the_runner_answers_goes_back_and_saves_from_review() {
    let mut r = runner();
    assert!(matches!(r.handle(Some(Action::Pick(9))), Outcome::Keep));
    assert_eq!(r.pos, 0);
    r.handle(Some(Action::Pick(2)));
    r.handle(Some(Action::Pick(3)));
    assert_eq!(r.pos, 2);
    r.handle(Some(Action::Previous));
    assert_eq!(r.pos, 1);
    r.handle(Some(Action::Pick(1)));
    for _ in 0..4 {
        r.handle(Some(Action::Pick(4)));
    }
    assert!(r.reviewing());
    match r.handle(Some(Action::Submit)) {
        Outcome::Apply(Apply::SaveAssessment { answers, .. }) => {
            assert_eq!(answers, vec![1, 0, 3, 3, 3, 3])
        }
        _ => panic!("expected a save"),
    }
    // Esc with answers asks first.
    assert!(matches!(r.handle(Some(Action::Back)), Outcome::Push(_)));
}

#[test]
fn snapshot_runner_item() {
    let mut r = runner();
    r.handle(Some(Action::Pick(2)));
    r.handle(Some(Action::Pick(3)));
    let theme = Theme::plain();
    let t = draw(|a, b| r.render(a, b, &theme, Names::default()));
    insta::assert_snapshot!(t.backend());
}

#[test]
fn snapshot_runner_review() {
    let mut r = runner();
    for k in [2, 3, 1, 2, 4, 1] {
        r.handle(Some(Action::Pick(k)));
    }
    let theme = Theme::plain();
    let t = draw(|a, b| r.render(a, b, &theme, Names::default()));
    insta::assert_snapshot!(t.backend());
}

fn card() -> RecommendationCard {
    let cat = Catalog::built_in();
    let e = cat.engagement().unwrap();
    let answers = [0, 0, 0, 0, 4, 4, 1, 1, 0, 0, 2, 0, 2, 0, 1, 0];
    let s = e.score(&answers).unwrap();
    let a = Assessment {
        id: 1,
        client_id: 1,
        instrument: "engagement".into(),
        version: 1,
        administered_at: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        answers: answers.to_vec(),
        total: s.total,
        band: None,
        flags: vec![],
        subscales: Default::default(),
        ranking: s.ranking,
        kind: InstrumentKind::Recommendation,
        title: e.title.clone(),
        why: s.why,
        tie: s.tie,
        better: None,
        reliable_change: None,
    };
    RecommendationCard::new("Tom Berg", &a)
}

#[test]
fn snapshot_recommendation_card() {
    let c = card();
    let theme = Theme::plain();
    let t = draw(|a, b| {
        c.render(a, b, &theme, Names::default());
    });
    insta::assert_snapshot!(t.backend());
}

#[test]
fn choosing_another_model_asks_why() {
    let mut c = card();
    match c.handle(Some(Action::Submit), &key()) {
        Outcome::Apply(Apply::ChooseModel { model, reason, .. }) => {
            assert_eq!(model, EngagementModel::Collaborative);
            assert_eq!(reason, None);
        }
        _ => panic!("expected a choice"),
    }
    c.handle(Some(Action::Pick(5)), &key());
    assert!(matches!(
        c.handle(Some(Action::Submit), &key()),
        Outcome::Keep
    ));
    assert_eq!(c.context(), Context::ReasonEntry);
    // An empty reason is not enough.
    assert!(matches!(
        c.handle(Some(Action::Submit), &key()),
        Outcome::Keep
    ));
    for ch in "wants advice".chars() {
        c.handle(None, &KeyEvent::new(KeyCode::Char(ch), KeyModifiers::NONE));
    }
    let theme = Theme::plain();
    let t = draw(|a, b| {
        c.render(a, b, &theme, Names::default());
    });
    insta::assert_snapshot!(t.backend());
    match c.handle(Some(Action::Submit), &key()) {
        Outcome::Apply(Apply::ChooseModel { model, reason, .. }) => {
            assert_eq!(model.as_str(), c.ranking[4].model);
            assert_eq!(reason.as_deref(), Some("wants advice"));
        }
        _ => panic!("expected a choice"),
    }
}
