//! Practice · Services and fees: the services the practice bills (code, name, minutes, fee, the
//! late-cancellation and no-show percents), adding one, and retiring one (asked first; its
//! charges stay as they were).

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::domain::billing::{Service, ServiceInput};
use crate::domain::money::{Currency, format_percent};
use crate::tui::action::Action;
use crate::tui::dialogs::payment::MoneyApply;
use crate::tui::dialogs::*;
use crate::tui::keymap::Context;
use crate::tui::names::Names;
use crate::tui::screens::client_billing::money;
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Field, Form};
use crate::tui::widgets::popup::{centered, frame};
use crate::tui::widgets::rows::{fit, render_rows};

fn money_apply(m: MoneyApply) -> Outcome {
    Outcome::Apply(Apply::Money(Box::new(m)))
}

/// The list of services.
pub struct ServicesDialog {
    pub currency: Option<Currency>,
    /// Active first, then retired; each in code order.
    pub services: Vec<Service>,
    pub selected: usize,
}

impl ServicesDialog {
    pub fn new(currency: Option<Currency>, mut services: Vec<Service>) -> Self {
        services.sort_by(|a, b| b.active.cmp(&a.active).then(a.code.cmp(&b.code)));
        ServicesDialog {
            currency,
            services,
            selected: 0,
        }
    }

    /// The list read again after a write, keeping the selection on the same service.
    pub fn replace(&mut self, services: Vec<Service>) {
        let keep = self.services.get(self.selected).map(|s| s.code.clone());
        let fresh = ServicesDialog::new(self.currency, services);
        self.selected = keep
            .and_then(|k| fresh.services.iter().position(|s| s.code == k))
            .unwrap_or(0);
        self.services = fresh.services;
    }
}

impl Dialog for ServicesDialog {
    fn context(&self) -> Context {
        Context::Services
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        let last = self.services.len().saturating_sub(1);
        match action {
            Some(Action::Down) => self.selected = (self.selected + 1).min(last),
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::AddService) => return Outcome::Push(Box::new(ServiceForm::new())),
            Some(Action::RetireService) => {
                // The app asks first (or says it is retired already).
                return match self.services.get(self.selected) {
                    Some(s) => money_apply(MoneyApply::AskRetire {
                        code: s.code.clone(),
                        name: s.name.clone(),
                    }),
                    None => Outcome::Keep,
                };
            }
            Some(Action::Back) => return Outcome::Close,
            _ => {}
        }
        Outcome::Keep
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        _names: Names,
    ) -> Option<Position> {
        let h = (self.services.len() as u16 + 5).clamp(8, area.height);
        let area = centered(area, 96, h);
        let inner = frame(area, buf, "Services and fees", theme);
        let [list, foot] = ratatui::layout::Layout::vertical([
            ratatui::layout::Constraint::Min(1),
            ratatui::layout::Constraint::Length(2),
        ])
        .areas(inner);
        let foot_text = "a adds a service · x retires the selected one · Esc closes. A client's own fee: caseload fee set.";
        Paragraph::new(Span::styled(foot_text, theme.muted))
            .wrap(Wrap { trim: true })
            .render(foot, buf);
        let Some(cur) = self.currency else {
            Paragraph::new(Span::styled(
                "The practice has no currency yet. Set it once with `caseload billing --currency USD`; then add services here.",
                theme.muted,
            ))
            .wrap(Wrap { trim: true })
            .render(list, buf);
            return None;
        };
        if self.services.is_empty() {
            Paragraph::new(Line::from(Span::styled(
                "No services yet. a adds one: its code as you bill it (e.g. 90834), name, minutes and fee.",
                theme.muted,
            )))
            .wrap(Wrap { trim: true })
            .render(list, buf);
            return None;
        }
        render_rows(list, buf, &self.services, self.selected, |s, sel, w| {
            let text = format!(
                "{} {:<10} {:<26} {:>4}m {:>12} {:<8} late {}% · no-show {}%{}",
                if sel { "▶" } else { " " },
                fit(&s.code, 10),
                fit(&s.name, 26),
                s.minutes,
                money(cur, s.fee),
                if s.active { "" } else { "retired" },
                format_percent(s.late_cancel_bp),
                format_percent(s.no_show_bp),
                s.tax_bp
                    .map(|t| format!(" · tax {}%", format_percent(t)))
                    .unwrap_or_default(),
            );
            let style = if sel {
                theme.selected
            } else if s.active {
                theme.base
            } else {
                theme.muted
            };
            (fit(&text, w), style)
        });
        None
    }
}

/// A new service, as typed.
pub struct ServiceForm {
    pub form: Form,
}

impl ServiceForm {
    pub fn new() -> Self {
        let form = Form::new(
            "A new service",
            vec![
                Field::text("code", "Code", "", "As you bill it, e.g. 90834."),
                Field::text("name", "Name", "", "e.g. Psychotherapy, 45 minutes."),
                Field::text("minutes", "Minutes", "50", "1 to 600."),
                Field::text(
                    "fee",
                    "Fee",
                    "",
                    "e.g. 150 or 150.00, in the practice's currency.",
                ),
                Field::text("tax_rate", "Tax rate %", "", "Optional, e.g. 15."),
                Field::text(
                    "late_cancel_percent",
                    "Late cancel %",
                    "",
                    "Of the fee; the practice's policy if left empty.",
                ),
                Field::text(
                    "no_show_percent",
                    "No-show %",
                    "",
                    "Of the fee; the practice's policy if left empty.",
                ),
            ],
        );
        ServiceForm { form }
    }

    /// What was typed; `Err` names a minutes field that is not a number.
    pub fn input(&self) -> Result<ServiceInput, ValidationError> {
        let f = &self.form;
        let opt = |k: &str| Some(f.text(k).trim().to_string()).filter(|t| !t.is_empty());
        let minutes =
            f.text("minutes").trim().parse::<u32>().map_err(|_| {
                ValidationError::one("minutes", "give the length in minutes, 1 to 600")
            })?;
        Ok(ServiceInput {
            code: f.text("code"),
            name: f.text("name"),
            minutes,
            fee: f.text("fee"),
            tax_rate: opt("tax_rate"),
            late_cancel_percent: opt("late_cancel_percent"),
            no_show_percent: opt("no_show_percent"),
        })
    }
}

impl Default for ServiceForm {
    fn default() -> Self {
        Self::new()
    }
}

impl FormHost for ServiceForm {
    fn form(&self) -> &Form {
        &self.form
    }
    fn form_mut(&mut self) -> &mut Form {
        &mut self.form
    }
    fn submit(&self) -> Result<Outcome, ValidationError> {
        self.input().map(|i| money_apply(MoneyApply::AddService(i)))
    }
}

/// Retiring a service: asked first.
pub struct RetireConfirm {
    pub code: String,
    pub name: String,
}

impl Dialog for RetireConfirm {
    fn context(&self) -> Context {
        Context::Confirm
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        match action {
            Some(Action::Yes) => money_apply(MoneyApply::RetireService {
                code: self.code.clone(),
            }),
            Some(Action::No) => Outcome::Close,
            _ => Outcome::Keep,
        }
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        _names: Names,
    ) -> Option<Position> {
        let area = centered(area, 64, 7);
        let inner = frame(area, buf, "Retire this service?", theme);
        Paragraph::new(vec![
            Line::from(format!("{} · {}", self.code, self.name)),
            Line::from("It is no longer offered; charges already made stay as they are."),
            Line::from(vec![
                Span::styled("y", theme.key),
                Span::raw(" yes, retire it   "),
                Span::styled("n", theme.key),
                Span::raw(" no, keep it"),
            ]),
        ])
        .wrap(Wrap { trim: false })
        .render(inner, buf);
        None
    }
}
