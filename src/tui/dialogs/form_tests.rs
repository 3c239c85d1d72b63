//! The forms drawn at every size: choice fields keep every choice (and the selected one) on
//! screen.

use crate::domain::cancellation::PracticeSettings;
use crate::tui::dialogs::*;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{FieldValue, Form};

use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn theme() -> Theme {
    Theme::new(crate::config::ThemeName::default(), true)
}

fn draw(d: &dyn Dialog, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|fr| {
        let a = fr.area();
        d.render(a, fr.buffer_mut(), &theme(), Names::default());
    })
    .unwrap();
    t
}

fn screen(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let a = buf.area;
    (0..a.height)
        .map(|y| {
            (0..a.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Focuses the choice `key` and selects its last option.
fn last_choice(form: &mut Form, key: &str) -> &'static str {
    form.focus = form.fields.iter().position(|f| f.key == key).unwrap();
    match &mut form.fields[form.focus].value {
        FieldValue::Choice { options, selected } => {
            *selected = options.len() - 1;
            options[*selected]
        }
        FieldValue::Text(_) => panic!("{key} is not a choice"),
    }
}

#[test]
fn the_boundary_form_with_the_last_choice_selected_at_three_sizes() {
    let mut d = FormDialog::boundary(1, "Farah Khan");
    assert_eq!(last_choice(&mut d.form, "kind"), "Other");
    for (w, h) in [(120, 40), (80, 24), (60, 16)] {
        let t = draw(&d, w, h);
        let s = screen(&t);
        for o in [
            "Contact after hours",
            "Unplanned contact",
            "Late payment",
            "Repeated late cancellation",
            "Disrespectful conduct",
            "Unrealistic demand",
            " Other ",
        ] {
            assert!(s.contains(o), "{w}×{h} lacks {o}:\n{s}");
        }
        insta::assert_snapshot!(format!("boundary_form_last_choice_{w}x{h}"), t.backend());
    }
}

#[test]
fn every_choice_field_in_every_form_shows_every_choice_at_60_columns() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let now = today.and_hms_opt(9, 30, 0).unwrap();
    let mut booking = BookingForm::new(1, "Tom Berg", today, now);
    let mut client = ClientForm::add();
    let mut settings = SettingsForm::new(&PracticeSettings::default());
    let mut boundary = FormDialog::boundary(1, "Farah Khan");
    let mut checks = 0;
    let mut check = |d: &dyn Dialog, form: &Form| {
        let t = draw(d, 60, 16);
        let s = screen(&t);
        let f = &form.fields[form.focus];
        if let FieldValue::Choice { options, .. } = &f.value {
            for o in options {
                assert!(s.contains(&format!(" {o} ")), "{} lacks {o}:\n{s}", f.label);
            }
        }
        checks += 1;
    };
    for key in ["modality", "repeat"] {
        last_choice(&mut booking.form, key);
        check(&booking, &booking.form);
    }
    for key in ["preferred_contact", "telehealth_consent"] {
        last_choice(&mut client.form, key);
        check(&client, &client.form);
    }
    for key in ["offers_phone", "offers_video"] {
        last_choice(&mut settings.form, key);
        check(&settings, &settings.form);
    }
    last_choice(&mut boundary.form, "kind");
    check(&boundary, &boundary.form);
    assert_eq!(checks, 7);
}

#[test]
fn a_form_taller_than_the_terminal_shows_which_fields_are_in_view() {
    let mut client = ClientForm::add();
    let s = screen(&draw(&client, 60, 16));
    assert!(s.contains("↓ fields 1–6 of 11"), "{s}");
    client.form.focus = 10;
    let s = screen(&draw(&client, 60, 16));
    assert!(s.contains("↑ fields 7–11 of 11"), "{s}");
    assert!(s.contains("Intake date"), "{s}");
    let s = screen(&draw(&client, 120, 40));
    assert!(!s.contains("fields 1–"), "all in view:\n{s}");
}

#[test]
fn every_form_dialog_answers_enter_and_esc_through_one_helper() {
    use crate::tui::action::Action;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let key = |c| KeyEvent::new(c, KeyModifiers::NONE);
    let none = key(KeyCode::Null);
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let now = today.and_hms_opt(9, 30, 0).unwrap();
    // A refused value stays on the form, its message under the field.
    let mut b = BookingForm::new(1, "Tom Berg", today, now);
    b.handle(None, &key(KeyCode::Char('x')));
    assert!(matches!(
        b.handle(Some(Action::Submit), &none),
        Outcome::Keep
    ));
    assert!(
        b.form.fields[0]
            .error
            .as_deref()
            .unwrap()
            .contains("not a day")
    );
    assert!(matches!(
        b.handle(Some(Action::Back), &none),
        Outcome::Close
    ));
    // A good one is applied.
    let mut b = BookingForm::new(1, "Tom Berg", today, now);
    assert!(matches!(
        b.handle(Some(Action::Submit), &none),
        Outcome::Apply(Apply::Book { force: false, .. })
    ));
    // The client form asks before throwing typing away; untouched, it just closes.
    let mut c = ClientForm::add();
    assert!(matches!(
        c.handle(Some(Action::Back), &none),
        Outcome::Close
    ));
    c.handle(None, &key(KeyCode::Char('Z')));
    assert!(matches!(
        c.handle(Some(Action::Back), &none),
        Outcome::Push(_)
    ));
    assert!(matches!(
        c.handle(Some(Action::Submit), &none),
        Outcome::Apply(Apply::SaveClient { id: None, .. })
    ));
    let mut s = SettingsForm::new(&PracticeSettings::default());
    assert!(matches!(
        s.handle(Some(Action::Submit), &none),
        Outcome::Apply(Apply::SavePracticeSettings(_))
    ));
    let mut a = AlertReview::new(3, "T.B.", "A safety item was answered.");
    assert!(matches!(
        a.handle(Some(Action::Submit), &none),
        Outcome::Apply(Apply::ReviewAlert { id: 3, .. })
    ));
    let mut g = FormDialog::goal(1, "Tom Berg");
    assert!(matches!(
        g.handle(Some(Action::Submit), &none),
        Outcome::Apply(Apply::Rel(_))
    ));
}
