//! App state, the event loop and the routing of actions.
//!
//! crossterm event → keymap → [`Action`] → screen or dialog → (store write in a transaction) →
//! view models refreshed → draw. Drawing never queries the database.

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use ratatui::{DefaultTerminal, Frame};

use super::action::{Action, ScreenId};
use super::keymap::{self, Context};
use super::popups::{Apply, ClientForm, Outcome, Popup, Question, StatusPicker};
use super::questionnaire::{InstrumentPicker, RecommendationCard, saved_message};
use super::screens::assessments::{AssessmentsView, render_instruments};
use super::screens::{clients::ClientsScreen, placeholder, today::TodayScreen};
use super::theme::Theme;
use super::widgets::popup::{centered, frame};
use crate::clock::Clock;
use crate::config::Config;
use crate::domain::engagement::ENGAGEMENT_KEY;
use crate::instruments::Catalog;
use crate::store::{Store, StoreError};

/// The smallest terminal the layout is drawn in.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub kind: MessageKind,
}

pub struct App {
    pub store: Store,
    pub config: Config,
    pub theme: Theme,
    pub clock: Clock,
    pub screen: ScreenId,
    pub today: TodayScreen,
    pub clients: ClientsScreen,
    pub popups: Vec<Popup>,
    pub help: Option<u16>,
    pub message: Option<Message>,
    pub quit: bool,
    /// The instruments on hand (built-ins; `run_app` adds the practitioner's files).
    pub catalog: Catalog,
    /// A client's assessments, shown over the Clients screen while open.
    pub assessments: Option<AssessmentsView>,
    title: String,
}

impl App {
    pub fn new(
        store: Store,
        config: Config,
        clock: Clock,
        no_color: bool,
    ) -> Result<App, StoreError> {
        let theme = Theme::new(config.theme, no_color);
        let title = store
            .path()
            .and_then(|p| p.file_stem())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "practice".into());
        let mut app = App {
            store,
            config,
            theme,
            clock,
            screen: ScreenId::Today,
            today: TodayScreen::default(),
            clients: ClientsScreen::default(),
            popups: Vec::new(),
            help: None,
            message: None,
            quit: false,
            catalog: Catalog::built_in(),
            assessments: None,
            title,
        };
        app.refresh()?;
        Ok(app)
    }

    /// Reloads every view model from the store (after a write, or another instance's writes).
    pub fn refresh(&mut self) -> Result<(), StoreError> {
        self.today.refresh(&self.store, self.clock.today())?;
        self.clients.refresh(&self.store, self.clock.now_local())?;
        if let Some(v) = &self.assessments {
            let keep = v.selected;
            let mut fresh =
                AssessmentsView::load(&self.store, &self.catalog, v.client_id, self.clock.today())?;
            fresh.selected = keep.min(fresh.series.len().saturating_sub(1));
            self.assessments = Some(fresh);
        }
        Ok(())
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            kind: MessageKind::Info,
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            kind: MessageKind::Error,
        });
    }

    /// Where keys go now.
    pub fn context(&self) -> Context {
        if self.help.is_some() {
            return Context::Help;
        }
        if let Some(p) = self.popups.last() {
            return p.context();
        }
        match self.screen {
            ScreenId::Today => Context::Today,
            ScreenId::Clients if self.assessments.is_some() => Context::Assessments,
            ScreenId::Clients => self.clients.context(),
            _ => Context::Placeholder,
        }
    }

    /// Runs until the practitioner quits.
    pub fn run(&mut self, terminal: &mut DefaultTerminal) -> std::io::Result<()> {
        while !self.quit {
            terminal.draw(|f| self.draw(f))?;
            match event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => self.handle_key(k),
                _ => {}
            }
        }
        Ok(())
    }

    /// Handles one key press.
    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.quit = true;
            return;
        }
        self.message = None;
        let ctx = self.context();
        let action = keymap::lookup(ctx, &key);
        if ctx == Context::Help {
            match action {
                Some(Action::Quit) => self.quit = true,
                Some(Action::Back) => self.help = None,
                Some(Action::Down) => self.help = self.help.map(|s| s.saturating_add(1)),
                Some(Action::Up) => self.help = self.help.map(|s| s.saturating_sub(1)),
                _ => {}
            }
            return;
        }
        if let Some(popup) = self.popups.last_mut() {
            let outcome = popup.handle(action, &key);
            self.on_outcome(outcome);
            return;
        }
        if ctx == Context::ClientsFilter && action.is_none() {
            self.clients.type_key(&key);
            return;
        }
        if let Some(a) = action {
            self.dispatch(a);
        }
    }

    fn dispatch(&mut self, action: Action) {
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.help = Some(0),
            Action::Go(s) => self.go(s),
            Action::NextScreen => self.go(self.screen.next()),
            Action::PrevScreen => self.go(self.screen.prev()),
            Action::AddClient => self.popups.push(Popup::ClientForm(ClientForm::add())),
            Action::EditClient => match self.clients.selected_client() {
                Some(c) => self.popups.push(Popup::ClientForm(ClientForm::edit(c))),
                None => self.error("There is no client selected. Press a to add one."),
            },
            Action::ChangeStatus => match self.clients.selected_client() {
                Some(c) => self.popups.push(Popup::StatusPicker(StatusPicker::new(c))),
                None => self.error("There is no client selected."),
            },
            Action::Assess => {
                let who = match &self.assessments {
                    Some(v) => Some((v.client_id, v.name.clone())),
                    None => self
                        .clients
                        .selected_client()
                        .map(|c| (c.id, c.name.clone())),
                };
                match who {
                    Some((id, name)) => {
                        self.popups
                            .push(Popup::InstrumentPicker(InstrumentPicker::new(
                                id,
                                &name,
                                &self.catalog,
                            )))
                    }
                    None => self.error("There is no client selected. Press a to add one."),
                }
            }
            Action::ViewAssessments => match self.clients.selected_client().map(|c| c.id) {
                Some(id) => {
                    match AssessmentsView::load(&self.store, &self.catalog, id, self.clock.today())
                    {
                        Ok(v) => self.assessments = Some(v),
                        Err(e) => self.error(e.to_string()),
                    }
                }
                None => self.error("There is no client selected."),
            },
            Action::Back if self.assessments.is_some() && self.screen == ScreenId::Clients => {
                self.assessments = None;
            }
            other => {
                if self.screen == ScreenId::Clients {
                    match &mut self.assessments {
                        Some(v) => {
                            v.handle(other);
                        }
                        None => {
                            self.clients.handle(other);
                        }
                    }
                }
            }
        }
    }

    fn go(&mut self, screen: ScreenId) {
        self.screen = screen;
        self.assessments = None;
        // Another instance may have written: screens show the file as it is now.
        if let Err(e) = self.refresh() {
            self.error(e.to_string());
        }
    }

    fn on_outcome(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Keep => {}
            Outcome::Close => {
                self.popups.pop();
            }
            Outcome::Push(p) => self.popups.push(*p),
            Outcome::Replace(p) => {
                self.popups.pop();
                self.popups.push(*p);
            }
            Outcome::Apply(apply) => self.apply(apply),
        }
    }

    fn apply(&mut self, apply: Apply) {
        let today = self.clock.today();
        let now = self.clock.now_utc();
        match apply {
            Apply::SaveClient { id, input } => {
                let fields = match input.validate(today) {
                    Ok(f) => f,
                    Err(e) => {
                        if let Some(Popup::ClientForm(f)) = self.popups.last_mut() {
                            f.form.show_errors(&e);
                        }
                        return;
                    }
                };
                let saved = match id {
                    None => self.store.add_client(&fields, now),
                    Some(id) => self.store.update_client(id, &fields, now),
                };
                match saved {
                    Ok(c) => {
                        self.popups.pop();
                        self.after_write();
                        self.clients.select_id(c.id);
                        self.info(match id {
                            None => format!("Added {}.", c.name),
                            Some(_) => format!("Saved {}.", c.name),
                        });
                        if id.is_none() {
                            self.screen = ScreenId::Clients;
                        }
                    }
                    // The form stays open with everything typed: nothing is lost.
                    Err(e) => self.error(format!("Not saved: {e}")),
                }
            }
            Apply::SetStatus { id, status } => {
                self.popups.pop();
                match self.store.set_client_status(id, status, now) {
                    Ok(c) => {
                        self.after_write();
                        self.clients.select_id(c.id);
                        self.info(format!(
                            "{} is now {}.",
                            c.name,
                            c.status.label().to_lowercase()
                        ));
                    }
                    Err(e) => self.error(format!("Not changed: {e}")),
                }
            }
            Apply::SaveAssessment {
                client_id,
                instrument,
                answers,
            } => {
                let Some(ins) = self.catalog.get(&instrument).cloned() else {
                    self.error(format!(
                        "The instrument “{instrument}” is no longer on hand."
                    ));
                    return;
                };
                match self
                    .store
                    .record_assessment(client_id, &ins, &answers, today, now)
                {
                    Ok(a) => {
                        self.popups.pop();
                        let name = self
                            .store
                            .client(client_id)
                            .map(|c| c.name)
                            .unwrap_or_default();
                        self.after_write();
                        self.info(saved_message(&a, &name));
                        if ins.key == ENGAGEMENT_KEY {
                            self.popups
                                .push(Popup::Recommendation(RecommendationCard::new(&name, &a)));
                        }
                    }
                    // The runner stays open on its review page: nothing is lost.
                    Err(e) => self.error(format!("Not saved: {e}")),
                }
            }
            Apply::ChooseModel {
                client_id,
                model,
                reason,
            } => match self
                .store
                .choose_model(client_id, model, reason.as_deref(), now)
            {
                Ok(c) => {
                    self.popups.pop();
                    self.after_write();
                    self.info(format!(
                        "{} model chosen{}.",
                        c.model.label(),
                        if c.reason.is_some() {
                            ", with your reason"
                        } else {
                            ", as recommended"
                        }
                    ));
                }
                Err(e) => self.error(format!("Not saved: {e}")),
            },
            Apply::Confirmed(Question::DiscardForm) => {
                // The question, then the form beneath it.
                self.popups.pop();
                self.popups.pop();
                self.info("Nothing was saved.");
            }
        }
    }

    fn after_write(&mut self) {
        if let Err(e) = self.refresh() {
            self.error(e.to_string());
        }
    }

    // ---- drawing --------------------------------------------------------------------------

    pub fn draw(&mut self, frame: &mut Frame<'_>) {
        let area = frame.area();
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            draw_too_small(frame, area, &self.theme);
            return;
        }
        let buf = frame.buffer_mut();
        buf.set_style(area, self.theme.base);
        let [header, body, message, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        self.draw_header(header, buf);
        let dates = self.config.date_format;
        let mut cursor = match self.screen {
            ScreenId::Today => {
                self.today.render(body, buf, &self.theme);
                None
            }
            ScreenId::Clients => match &self.assessments {
                Some(v) => {
                    v.render(body, buf, &self.theme, dates);
                    None
                }
                None => self.clients.render(body, buf, &self.theme, dates),
            },
            ScreenId::Practice => {
                render_instruments(&self.catalog, body, buf, &self.theme);
                None
            }
            s => {
                placeholder::render(s, body, buf, &self.theme);
                None
            }
        };
        for p in &self.popups {
            cursor = p.render(body, buf, &self.theme);
        }
        if let Some(scroll) = self.help {
            self.draw_help(body, buf, scroll);
            cursor = None;
        }
        if let Some(m) = &self.message {
            let style = match m.kind {
                MessageKind::Info => self.theme.info,
                MessageKind::Error => self.theme.error,
            };
            Paragraph::new(Span::styled(format!(" {}", m.text), style)).render(message, buf);
        }
        self.draw_status(status, buf);
        if let Some(c) = cursor {
            frame.set_cursor_position(c);
        }
    }

    fn draw_header(&self, area: Rect, buf: &mut ratatui::buffer::Buffer) {
        let mut spans = vec![
            Span::styled(format!(" caseload · {} ", self.title), self.theme.title),
            Span::raw("  "),
        ];
        for s in ScreenId::ALL {
            let style = if s == self.screen {
                self.theme.tab_active
            } else {
                self.theme.tab
            };
            spans.push(Span::styled(
                format!(" {} {} ", s.index() + 1, s.title()),
                style,
            ));
            spans.push(Span::raw(" "));
        }
        Paragraph::new(Line::from(spans)).render(area, buf);
        let date = self.clock.today().format("%a %-d %b %Y").to_string();
        let w = date.chars().count() as u16 + 1;
        if area.width > w + 60 {
            buf.set_string(area.right() - w, area.y, &date, self.theme.muted);
        }
    }

    fn draw_status(&self, area: Rect, buf: &mut ratatui::buffer::Buffer) {
        let mut spans = vec![Span::raw(" ")];
        for (key, hint) in keymap::hints(self.context()) {
            spans.push(Span::styled(key, self.theme.key));
            spans.push(Span::styled(format!(" {hint}  "), self.theme.muted));
        }
        Paragraph::new(Line::from(spans)).render(area, buf);
    }

    fn draw_help(&self, area: Rect, buf: &mut ratatui::buffer::Buffer, scroll: u16) {
        let under = if let Some(p) = self.popups.last() {
            p.context()
        } else {
            match self.screen {
                ScreenId::Today => Context::Today,
                ScreenId::Clients if self.assessments.is_some() => Context::Assessments,
                ScreenId::Clients => self.clients.context(),
                _ => Context::Placeholder,
            }
        };
        let mut lines: Vec<Line> = Vec::new();
        let section = |ctx: Context, lines: &mut Vec<Line>| {
            let rows = keymap::bindings(ctx);
            if rows.is_empty() {
                return;
            }
            lines.push(Line::from(Span::styled(ctx.title(), self.theme.heading)));
            for b in rows {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {:<18}", keymap::keys_label(b)), self.theme.key),
                    Span::raw(b.help),
                ]));
            }
            lines.push(Line::default());
        };
        section(under, &mut lines);
        if under.takes_globals() {
            section(Context::Global, &mut lines);
        }
        if under.is_text_entry() {
            lines.push(Line::from(Span::styled(
                "While typing: ← → move, Backspace and Delete erase, Ctrl-W erases a word.",
                self.theme.muted,
            )));
        }
        let h = (lines.len() as u16 + 2).min(area.height);
        let rect = centered(area, 76, h);
        let inner = frame(rect, buf, "Keys · Esc closes", &self.theme);
        Paragraph::new(lines).scroll((scroll, 0)).render(inner, buf);
    }
}

fn draw_too_small(frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let text = vec![
        Line::from(Span::styled("Enlarge the terminal", theme.heading)),
        Line::from(format!(
            "caseload needs at least {MIN_WIDTH} × {MIN_HEIGHT}; this one is {} × {}.",
            area.width, area.height
        )),
        Line::from("q quits."),
    ];
    let h = 3.min(area.height);
    let y = area.y + area.height.saturating_sub(h) / 2;
    Paragraph::new(text)
        .alignment(ratatui::layout::Alignment::Center)
        .wrap(Wrap { trim: true })
        .render(
            Rect::new(area.x, y, area.width, area.height - (y - area.y)),
            frame.buffer_mut(),
        );
}
