//! Records over their whole life, from the Practice screen (`r`): the clients whose records are
//! due for disposal (keep-until reached, no legal hold, care ended) with the rule that set each
//! date, the records on legal hold, a hold put on or released from the list, and the disposal
//! log (the tombstones). Every client name goes through [`Names`].
//!
//! Disposal itself stays on the command line (`caseload dispose ID`, then `--confirm`): it can't
//! be undone, it reaches the backups (which may need their own passphrase) and it lists the
//! backups it could not open; the view says so and gives the command with the client's id.
//!
//! [`overview_rows`] gives a client's Overview its keep-until date and any hold.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::domain::ValidationError;
use crate::domain::retention::{RetentionRules, Rule};
use crate::store::retention::{RetentionRow, Tombstone};
use crate::store::{Result, Store};
use crate::tui::action::Action;
use crate::tui::dialogs::{Apply, Dialog, FormHost, Outcome};
use crate::tui::keymap::Context;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Field, Form};
use crate::tui::widgets::popup::{centered, frame};

/// The records view: a list (due and on hold, or every record) and the disposal log.
pub struct RecordsView {
    pub today: NaiveDate,
    pub rules: RetentionRules,
    /// Every client's line, the earliest keep-until first.
    pub all: Vec<RetentionRow>,
    pub log: Vec<Tombstone>,
    /// Every record rather than those due and on hold.
    pub show_all: bool,
    pub selected: usize,
}

/// Where a record stands on a day, in words.
pub fn standing(r: &RetentionRow, today: NaiveDate) -> String {
    if let Some(reason) = &r.hold {
        return format!("legal hold: {reason}");
    }
    if r.due(today) {
        return "due for disposal".into();
    }
    if matches!(
        r.status,
        crate::domain::client::ClientStatus::Active | crate::domain::client::ClientStatus::OnHold
    ) {
        return "in care".into();
    }
    "kept".into()
}

impl RecordsView {
    pub fn load(store: &Store, today: NaiveDate) -> Result<RecordsView> {
        let mut v = RecordsView {
            today,
            rules: RetentionRules::default(),
            all: Vec::new(),
            log: Vec::new(),
            show_all: false,
            selected: 0,
        };
        v.reload(store)?;
        Ok(v)
    }

    /// Reads it all again (after a hold or a release), keeping the selected client if shown.
    pub fn reload(&mut self, store: &Store) -> Result<()> {
        let keep = self.selected_row().map(|r| r.client_id);
        self.rules = store.retention_rules()?;
        self.all = store.retention_list()?;
        self.log = store.disposal_log()?;
        self.reselect(keep);
        Ok(())
    }

    fn reselect(&mut self, keep: Option<i64>) {
        let shown = self.shown();
        self.selected = keep
            .and_then(|id| shown.iter().position(|r| r.client_id == id))
            .unwrap_or(self.selected)
            .min(shown.len().saturating_sub(1));
    }

    /// The lines listed: those due and those on hold, or every record.
    pub fn shown(&self) -> Vec<&RetentionRow> {
        self.all
            .iter()
            .filter(|r| self.show_all || r.hold.is_some() || r.due(self.today))
            .collect()
    }

    pub fn due_count(&self) -> usize {
        self.all.iter().filter(|r| r.due(self.today)).count()
    }

    pub fn selected_row(&self) -> Option<&RetentionRow> {
        self.shown().get(self.selected).copied()
    }

    fn handle_key(&mut self, action: Option<Action>) -> Outcome {
        let n = self.shown().len();
        match action {
            Some(Action::Down) => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::ToggleAllRecords) => {
                let keep = self.selected_row().map(|r| r.client_id);
                self.show_all = !self.show_all;
                self.reselect(keep);
            }
            Some(Action::HoldRecord) => {
                if let Some(r) = self.selected_row() {
                    return Outcome::Push(Box::new(HoldForm::new(r)));
                }
            }
            Some(Action::ReleaseHold) => {
                if let Some(r) = self.selected_row().filter(|r| r.hold.is_some()) {
                    return Outcome::Push(Box::new(ReleaseConfirm {
                        client_id: r.client_id,
                        name: r.name.clone(),
                        reason: r.hold.clone().unwrap_or_default(),
                    }));
                }
            }
            Some(Action::Back) => return Outcome::Close,
            _ => {}
        }
        Outcome::Keep
    }

    fn render_view(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let rect = centered(area, 118, area.height);
        let inner = frame(
            rect,
            buf,
            "Records · how long they are kept, and disposal",
            theme,
        );
        let log_h = (self.log.len() as u16 + 2).clamp(3, (inner.height / 3).max(3));
        let [rule, list, how, log] = Layout::vertical([
            Constraint::Length(3),
            Constraint::Min(4),
            Constraint::Length(4),
            Constraint::Length(log_h),
        ])
        .areas(inner);
        Paragraph::new(vec![
            Line::from(Span::styled(self.rules.describe(), theme.base)),
            Line::from(Span::styled(
                "These numbers are examples, not advice: set your own with caseload retention rules.",
                theme.muted,
            )),
        ])
        .wrap(Wrap { trim: true })
        .render(rule, buf);
        self.render_list(list, buf, theme, names);
        const HOW: &str =
            "Disposal is done on the command line, where it also reaches the backups:";
        let how_text = match self.selected_row() {
            Some(r) if r.hold.is_some() => format!(
                "{} is on legal hold: {}. It is not disposed of while the hold stands; u releases it.",
                names.client(&r.name),
                r.hold.as_deref().unwrap_or_default()
            ),
            Some(r) if r.due(self.today) => format!(
                "{} may be disposed of. {HOW} caseload dispose {id} shows what would go; caseload dispose {id} --confirm removes it for good.",
                names.client(&r.name),
                id = r.client_id
            ),
            Some(r) => format!(
                "{} is kept until {} ({}). {HOW} caseload dispose ID, then --confirm.",
                names.client(&r.name),
                r.keep_until,
                standing(r, self.today)
            ),
            None => format!(
                "{HOW} caseload dispose ID shows what would go; --confirm removes it for good."
            ),
        };
        Paragraph::new(Line::from(Span::styled(how_text, theme.muted)))
            .wrap(Wrap { trim: true })
            .render(how, buf);
        self.render_log(log, buf, theme, names);
    }

    fn render_list(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let shown = self.shown();
        let title = if self.show_all {
            format!(
                "Every record ({}) · a: only those due and on hold",
                shown.len()
            )
        } else {
            format!(
                "Due for disposal ({}) and on legal hold ({}) · a: every record",
                self.due_count(),
                shown.iter().filter(|r| r.hold.is_some()).count()
            )
        };
        let mut lines = vec![
            Line::from(Span::styled(title, theme.heading)),
            Line::from(Span::styled(
                format!(
                    "  {:>5}  {:<20} {:<12} {:<12} {:<30} {}",
                    "Id", "Client", "Last contact", "Keep until", "Set by the rule", "Now"
                ),
                theme.muted,
            )),
        ];
        if shown.is_empty() {
            lines.push(Line::from(Span::styled(
                if self.show_all {
                    "  No clients yet."
                } else {
                    "  No record is due for disposal and none is on legal hold."
                },
                theme.muted,
            )));
        }
        let h = (area.height as usize).saturating_sub(2).max(1);
        let top = self.selected.saturating_sub(h.saturating_sub(1));
        for (i, r) in shown.iter().enumerate().skip(top).take(h) {
            let style = if i == self.selected {
                theme.selected
            } else {
                theme.base
            };
            let name: String = names.client(&r.name).chars().take(20).collect();
            let now = standing(r, self.today);
            let now_style = if r.hold.is_some() {
                theme.warn
            } else if r.due(self.today) {
                theme.error
            } else {
                style
            };
            lines.push(Line::from(vec![
                Span::styled(if i == self.selected { "▶ " } else { "  " }, theme.key),
                Span::styled(
                    format!(
                        "{:>5}  {:<20} {:<12} {:<12} {:<30} ",
                        r.client_id,
                        name,
                        r.last_contact.to_string(),
                        r.keep_until.to_string(),
                        rule_words(r.rule, &self.rules)
                    ),
                    style,
                ),
                Span::styled(now, now_style),
            ]));
        }
        Paragraph::new(lines).render(area, buf);
    }

    fn render_log(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let mut lines = vec![Line::from(Span::styled(
            format!("Disposal log ({})", self.log.len()),
            theme.heading,
        ))];
        if self.log.is_empty() {
            lines.push(Line::from(Span::styled(
                "  No record has been disposed of.",
                theme.muted,
            )));
        } else {
            lines.push(Line::from(Span::styled(
                format!(
                    "  {:>5}  {:<20} {:<12} {:<12} {:<12} {}",
                    "Id", "Client", "Born", "Kept until", "Disposed on", "By"
                ),
                theme.muted,
            )));
        }
        let room = (area.height as usize).saturating_sub(2);
        let more = self.log.len().saturating_sub(room);
        let take = if more > 0 {
            room.saturating_sub(1)
        } else {
            room
        };
        let opt = |d: Option<NaiveDate>| d.map_or("—".to_string(), |d| d.to_string());
        for t in self.log.iter().take(take) {
            let name: String = names.client(&t.name).chars().take(20).collect();
            lines.push(Line::from(Span::styled(
                format!(
                    "  {:>5}  {:<20} {:<12} {:<12} {:<12} {}",
                    t.client_id,
                    name,
                    opt(t.born),
                    opt(t.keep_until),
                    t.disposed_on.to_string(),
                    t.disposed_by
                ),
                theme.base,
            )));
        }
        if more > 0 {
            lines.push(Line::from(Span::styled(
                format!(
                    "  and {} more: caseload retention log",
                    self.log.len() - take
                ),
                theme.muted,
            )));
        }
        Paragraph::new(lines).render(area, buf);
    }
}

impl Dialog for RecordsView {
    fn context(&self) -> Context {
        Context::PracticeRecords
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        self.handle_key(action)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        self.render_view(area, buf, theme, names);
        None
    }
}

/// A legal hold's reason, asked for before the hold is put on.
pub struct HoldForm {
    pub client_id: i64,
    pub form: Form,
}

impl HoldForm {
    pub fn new(r: &RetentionRow) -> HoldForm {
        let current = r.hold.clone().unwrap_or_default();
        HoldForm {
            client_id: r.client_id,
            form: Form::for_client(
                &r.name,
                "Legal hold · {client}",
                vec![Field::text(
                    "reason",
                    "Reason",
                    &current,
                    "Why the record must be kept whatever its date (a request, a case, a complaint).",
                )],
            ),
        }
    }
}

impl FormHost for HoldForm {
    fn form(&self) -> &Form {
        &self.form
    }
    fn form_mut(&mut self) -> &mut Form {
        &mut self.form
    }
    fn submit(&self) -> std::result::Result<Outcome, ValidationError> {
        Ok(Outcome::Apply(Apply::HoldRecord {
            client_id: self.client_id,
            reason: self.form.text("reason"),
        }))
    }
    fn draw(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) -> Option<Position> {
        self.form.render_popup(area, 90, buf, theme, names)
    }
}

/// Asks before a legal hold is released.
pub struct ReleaseConfirm {
    pub client_id: i64,
    pub name: String,
    pub reason: String,
}

impl Dialog for ReleaseConfirm {
    fn context(&self) -> Context {
        Context::Confirm
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        match action {
            Some(Action::Yes) => Outcome::Apply(Apply::ReleaseHold {
                client_id: self.client_id,
            }),
            Some(Action::No) | Some(Action::Back) => Outcome::Close,
            _ => Outcome::Keep,
        }
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        let rect = centered(area, 80, 8);
        let inner = frame(rect, buf, "Release the legal hold?", theme);
        Paragraph::new(vec![
            Line::from(format!(
                "{}'s record is on legal hold: {}.",
                names.client(&self.name),
                self.reason
            )),
            Line::from(
                "Released, it may be disposed of once its keep-until date has come and care has ended.",
            ),
            Line::default(),
            Line::from(vec![
                Span::styled("y", theme.key),
                Span::raw(" yes, release it   "),
                Span::styled("n", theme.key),
                Span::raw(" no, keep the hold"),
            ]),
        ])
        .wrap(Wrap { trim: true })
        .render(inner, buf);
        None
    }
}

/// The rule that set a keep-until date, with the practice's numbers.
pub fn rule_words(rule: Rule, rules: &RetentionRules) -> String {
    match rule {
        Rule::AfterLastContact => format!("{} years after the last contact", rules.adult_years),
        Rule::AfterMajority => format!(
            "{} years after turning {}",
            rules.minor_years, rules.majority_age
        ),
        Rule::Override => "set by hand".into(),
    }
}

/// A client's keep-until date (and the rule that set it) and any legal hold, for the Overview.
pub fn overview_rows(store: &Store, client_id: i64) -> Result<Vec<(String, String)>> {
    let r = store.retention_of(client_id)?;
    let rules = store.retention_rules()?;
    let mut rows = vec![(
        "Keep until".to_string(),
        format!("{} · {}", r.keep_until, rule_words(r.rule, &rules)),
    )];
    if let Some(reason) = &r.hold {
        rows.push(("Legal hold".to_string(), reason.clone()));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::client::ClientStatus;
    use crate::domain::retention::RetentionFacts;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn row(hold: Option<&str>, status: ClientStatus, keep: &str) -> RetentionRow {
        RetentionRow {
            client_id: 1,
            name: "Ana".into(),
            last_contact: d("2019-01-01"),
            keep_until: d(keep),
            rule: Rule::AfterLastContact,
            hold: hold.map(String::from),
            status,
            facts: RetentionFacts {
                born: None,
                first_contact: d("2018-01-01"),
                last_contact: d("2019-01-01"),
                override_until: None,
            },
        }
    }

    #[test]
    fn standing_in_words() {
        let today = d("2026-11-23");
        assert_eq!(
            standing(&row(None, ClientStatus::Discharged, "2026-01-01"), today),
            "due for disposal"
        );
        assert_eq!(
            standing(&row(None, ClientStatus::Discharged, "2026-11-23"), today),
            "due for disposal",
            "due on the keep-until day itself"
        );
        assert_eq!(
            standing(&row(None, ClientStatus::Discharged, "2026-11-24"), today),
            "kept"
        );
        assert_eq!(
            standing(&row(None, ClientStatus::Active, "2026-01-01"), today),
            "in care"
        );
        assert_eq!(
            standing(
                &row(Some("subpoena 12"), ClientStatus::Discharged, "2026-01-01"),
                today
            ),
            "legal hold: subpoena 12"
        );
    }
}
