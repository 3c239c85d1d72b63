//! The Practice screen's right side: the practice profile, the Q&A the handout carries (add,
//! edit, reorder, remove) and the consultation log.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::domain::boundary::Consultation;
use crate::domain::practice::{PracticeProfile, QaItem};
use crate::store::{Result, Store};
use crate::tui::action::Action;
use crate::tui::dialogs::{FormDialog, FormKind};
use crate::tui::dialogs::{Outcome, RelApply, rel};
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Field, Form};
use crate::tui::widgets::rows::fit;

#[derive(Debug, Default)]
pub struct ProfileView {
    pub profile: PracticeProfile,
    pub qa: Vec<QaItem>,
    pub consults: Vec<Consultation>,
    pub selected: usize,
}

impl ProfileView {
    pub fn refresh(&mut self, store: &Store) -> Result<()> {
        self.profile = store.practice_profile()?;
        self.qa = store.qa_items()?;
        self.consults = store.consults(None)?;
        self.selected = self.selected.min(self.qa.len().saturating_sub(1));
        Ok(())
    }

    pub fn selected_qa(&self) -> Option<&QaItem> {
        self.qa.get(self.selected)
    }

    /// Keys on the Practice screen that belong to the profile and the Q&A.
    pub fn handle(&mut self, action: Action) -> Option<Outcome> {
        let out = match action {
            Action::Down => {
                self.selected = (self.selected + 1).min(self.qa.len().saturating_sub(1));
                Outcome::Keep
            }
            Action::Up => {
                self.selected = self.selected.saturating_sub(1);
                Outcome::Keep
            }
            Action::EditProfile => Outcome::Push(Box::new(profile_form(&self.profile))),
            Action::AddQa => Outcome::Push(Box::new(qa_form(None))),
            Action::Open => match self.selected_qa() {
                Some(q) => Outcome::Push(Box::new(qa_form(Some(q)))),
                None => Outcome::Keep,
            },
            Action::MoveQaUp | Action::MoveQaDown => {
                match self.selected_qa().map(|q| (q.id, q.position)) {
                    Some((id, position)) => {
                        let pos = position.max(1) as usize;
                        let to = if action == Action::MoveQaUp {
                            pos.saturating_sub(1).max(1)
                        } else {
                            pos + 1
                        };
                        self.selected = to - 1;
                        rel(RelApply::MoveQa { id, to })
                    }
                    None => Outcome::Keep,
                }
            }
            Action::RemoveQa => match self.selected_qa() {
                Some(q) => rel(RelApply::AskRemoveQa {
                    id: q.id,
                    question: q.question.clone(),
                }),
                None => Outcome::Keep,
            },
            Action::LogConsult => Outcome::Push(Box::new(consult_form(None, ""))),
            _ => return None,
        };
        Some(out)
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        // The profile box grows (from 9 rows, by up to 3) to show the emergency text whole.
        let lines = self.profile_lines(area.width.saturating_sub(2), theme);
        let height = u16::try_from(lines.len() + 2)
            .unwrap_or(u16::MAX)
            .clamp(9, 12);
        let [profile, qa, consults] = Layout::vertical([
            Constraint::Length(height),
            Constraint::Min(5),
            Constraint::Length(8),
        ])
        .areas(area);
        let block = boxed(" Practice profile · p edit ", theme);
        let inner = block.inner(profile);
        block.render(profile, buf);
        Paragraph::new(lines).render(inner, buf);
        self.render_qa(qa, buf, theme);
        self.render_consults(consults, buf, theme);
    }

    /// The profile's rows for a box `width` columns wide inside its border.
    fn profile_lines(&self, width: u16, theme: &Theme) -> Vec<Line<'static>> {
        let p = &self.profile;
        let or = |s: &str| {
            if s.trim().is_empty() {
                "not set".to_string()
            } else {
                s.to_string()
            }
        };
        let channels: Vec<&str> = p.contact_channels.iter().map(|c| c.label()).collect();
        // A value too long for the box is cut with "…", so a cut is never mistaken for the
        // whole address or email.
        let room = usize::from(width).saturating_sub(LABEL_WIDTH);
        let row = |label: &str, value: String| row(label, fit(&value, room), theme);
        let phone_email = format!("{} · {}", or(&p.phone), or(&p.email));
        let mut lines = vec![
            row("Practice", or(&p.practice_name)),
            row("Practitioner", or(&p.practitioner_name)),
        ];
        if phone_email.chars().count() <= room {
            lines.push(row("Phone · email", phone_email));
        } else {
            // Too long for one line: each on its own (the box has a line to spare).
            lines.push(row("Phone", or(&p.phone)));
            lines.push(row("Email", or(&p.email)));
        }
        lines.extend([
            row("Address", or(&p.address)),
            row(
                "Between sessions",
                match (channels.is_empty(), p.reply_time.trim().is_empty()) {
                    (true, _) => "not set".into(),
                    (false, true) => channels.join(", "),
                    (false, false) => format!("{}; reply {}", channels.join(", "), p.reply_time),
                },
            ),
        ]);
        // What to do in an emergency matters most of all: wrapped, over up to four lines.
        let wrapped = crate::domain::document::wrap(&or(&p.emergency), room.max(1), "");
        let mut emergency: Vec<String> = wrapped.lines().map(str::to_string).collect();
        if emergency.len() > EMERGENCY_LINES {
            let rest = emergency.split_off(EMERGENCY_LINES - 1).join(" ");
            emergency.push(fit(&rest, room));
        }
        for (i, text) in emergency.into_iter().enumerate() {
            lines.push(row(if i == 0 { "Emergency" } else { "" }, text));
        }
        lines
    }

    fn render_qa(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let block = boxed(
            &format!(
                " Questions and answers for the handout · {} ",
                self.qa.len()
            ),
            theme,
        );
        let inner = block.inner(area);
        block.render(area, buf);
        if self.qa.is_empty() {
            Paragraph::new("No questions. Press a to add one.")
                .style(theme.muted)
                .render(inner, buf);
            return;
        }
        let h = inner.height as usize;
        let top = self.selected.saturating_sub(h.saturating_sub(1));
        let lines: Vec<Line> = self
            .qa
            .iter()
            .enumerate()
            .skip(top)
            .take(h)
            .map(|(i, q)| {
                let style = if i == self.selected {
                    theme.selected
                } else {
                    theme.base
                };
                Line::from(Span::styled(
                    format!(" {:>2}. {}", q.position, q.question),
                    style,
                ))
            })
            .collect();
        Paragraph::new(lines).render(inner, buf);
    }

    fn render_consults(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let block = boxed(
            &format!(" Consultations · {} · c log one ", self.consults.len()),
            theme,
        );
        let inner = block.inner(area);
        block.render(area, buf);
        if self.consults.is_empty() {
            Paragraph::new("None logged yet.")
                .style(theme.muted)
                .render(inner, buf);
            return;
        }
        let lines: Vec<Line> = self
            .consults
            .iter()
            .take(inner.height as usize)
            .map(|k| consult_line(k, theme))
            .collect();
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .render(inner, buf);
    }
}

/// One consultation on a line: date, colleague, topic, the client's initials, what to try.
pub fn consult_line(k: &Consultation, theme: &Theme) -> Line<'static> {
    let who = k
        .client_initials
        .as_deref()
        .map(|i| format!(" · {i}"))
        .unwrap_or_default();
    let tried = k
        .to_try
        .as_deref()
        .map(|t| format!(" → {t}"))
        .unwrap_or_default();
    Line::from(vec![
        Span::styled(format!(" {} ", k.held_on.format("%-d %b")), theme.muted),
        Span::raw(format!("{} — {}{who}", k.colleague, k.topic)),
        Span::styled(tried, theme.muted),
    ])
}

fn boxed<'a>(title: &str, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(title.to_string(), theme.title))
}

/// The columns a profile row's label takes (a space, the label, padding).
const LABEL_WIDTH: usize = 18;
/// The most lines the emergency text takes in the profile box.
const EMERGENCY_LINES: usize = 4;

fn row(label: &str, value: String, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!(" {label:<17}"), theme.muted),
        Span::raw(value),
    ])
}

pub fn profile_form(p: &PracticeProfile) -> FormDialog {
    let channels: Vec<&str> = p.contact_channels.iter().map(|c| c.as_str()).collect();
    FormDialog {
        client_id: 0,
        kind: FormKind::Profile,
        form: Form::new(
            "Practice profile",
            vec![
                Field::text(
                    "practice_name",
                    "Practice",
                    &p.practice_name,
                    "As clients know it.",
                ),
                Field::text(
                    "practitioner_name",
                    "Practitioner",
                    &p.practitioner_name,
                    "Your name as it goes on the handout.",
                ),
                Field::text("phone", "Phone", &p.phone, ""),
                Field::text("email", "Email", &p.email, ""),
                Field::text("address", "Address", &p.address, ""),
                Field::text(
                    "channels",
                    "Between sessions",
                    &channels.join(", "),
                    "How clients may reach you: phone, text, email (commas between).",
                ),
                Field::text(
                    "reply_time",
                    "Reply time",
                    &p.reply_time,
                    "For example: within one working day.",
                ),
                Field::text(
                    "emergency",
                    "In an emergency",
                    &p.emergency,
                    "What a client should do; the handout shows it as written.",
                ),
            ],
        ),
    }
}

pub fn qa_form(q: Option<&QaItem>) -> FormDialog {
    FormDialog {
        client_id: 0,
        kind: FormKind::Qa(q.map(|q| q.id)),
        form: Form::new(
            if q.is_some() {
                "Edit a question"
            } else {
                "A new question"
            },
            vec![
                Field::text(
                    "question",
                    "Question",
                    q.map(|q| q.question.as_str()).unwrap_or(""),
                    "As a client would ask it.",
                ),
                Field::long_text(
                    "answer",
                    "Answer",
                    q.map(|q| q.answer.as_str()).unwrap_or(""),
                    "Plain, warm words; it wraps as you type.",
                    4,
                ),
            ],
        ),
    }
}

pub fn consult_form(client: Option<i64>, initials: &str) -> FormDialog {
    let title = if client.is_some() {
        format!("Log a consultation · about {initials}")
    } else {
        "Log a consultation".to_string()
    };
    FormDialog {
        client_id: client.unwrap_or(0),
        kind: FormKind::Consult(client),
        form: Form::new(
            title,
            vec![
                Field::text("colleague", "Colleague", "", "Who you consulted."),
                Field::text("topic", "Topic", "", "What it was about."),
                Field::text("at", "When", "", "YYYY-MM-DD; today if left empty."),
                Field::long_text("notes", "Notes", "", "Optional.", 3),
                Field::long_text("try", "What to try", "", "Optional.", 2),
            ],
        ),
    }
}
