//! A client's goals: the list, and their 0–10 ratings charted over time.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph, Widget};

use crate::domain::goal::{Goal, GoalStatus};
use crate::store::{Result, Store};
use crate::tui::action::Action;
use crate::tui::dialogs::{Dialog, Outcome, RelApply, rel};
use crate::tui::keymap::Context;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::popup::{centered, frame};
use crate::tui::widgets::timeline::day_axis;

pub struct GoalsView {
    pub client_id: i64,
    pub name: String,
    pub goals: Vec<Goal>,
    pub selected: usize,
}

impl GoalsView {
    pub fn load(store: &Store, client_id: i64) -> Result<GoalsView> {
        let c = store.client(client_id)?;
        Ok(GoalsView {
            client_id,
            name: c.short_name(),
            goals: store.goals(client_id)?,
            selected: 0,
        })
    }

    /// Reloads after a write, keeping the selection where it can.
    pub fn reload(&mut self, store: &Store) -> Result<()> {
        self.goals = store.goals(self.client_id)?;
        self.selected = self.selected.min(self.goals.len().saturating_sub(1));
        Ok(())
    }

    pub fn selected_goal(&self) -> Option<&Goal> {
        self.goals.get(self.selected)
    }

    pub fn handle(&mut self, action: Option<Action>) -> Outcome {
        let status = |s| {
            move |g: &Goal| RelApply::GoalStatus {
                goal_id: g.id,
                status: s,
            }
        };
        match action {
            Some(Action::Down) => {
                self.selected = (self.selected + 1).min(self.goals.len().saturating_sub(1))
            }
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::AddGoal) => {
                return rel(RelApply::OpenGoalForm {
                    client_id: self.client_id,
                });
            }
            Some(Action::RateGoals) => {
                return rel(RelApply::OpenRating {
                    client_id: self.client_id,
                });
            }
            Some(Action::GoalAchieved) => {
                if let Some(g) = self.selected_goal() {
                    return rel(status(GoalStatus::Achieved)(g));
                }
            }
            Some(Action::GoalDropped) => {
                if let Some(g) = self.selected_goal() {
                    return rel(status(GoalStatus::Dropped)(g));
                }
            }
            Some(Action::GoalActive) => {
                if let Some(g) = self.selected_goal() {
                    return rel(status(GoalStatus::Active)(g));
                }
            }
            Some(Action::Back) => return Outcome::Close,
            _ => {}
        }
        Outcome::Keep
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) {
        let rect = centered(area, 100, area.height);
        let inner = frame(
            rect,
            buf,
            &format!("Goals · {}", names.client(&self.name)),
            theme,
        );
        let list_h = (self.goals.len() as u16 + 1).clamp(2, inner.height / 2);
        let [list, chart] =
            Layout::vertical([Constraint::Length(list_h), Constraint::Min(0)]).areas(inner);
        self.render_list(list, buf, theme);
        self.render_chart(chart, buf, theme);
    }

    fn render_list(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        if self.goals.is_empty() {
            Paragraph::new("No goals yet. Press a to add one agreed with the client.")
                .style(theme.muted)
                .render(area, buf);
            return;
        }
        let lines: Vec<Line> = self
            .goals
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let style = if i == self.selected {
                    theme.selected
                } else {
                    theme.base
                };
                let rating = match (g.first_rating(), g.last_rating()) {
                    (Some(a), Some(b)) if a.id != b.id => format!("{} → {}/10", a.rating, b.rating),
                    (Some(a), _) => format!("{}/10", a.rating),
                    _ => "not rated".into(),
                };
                Line::from(vec![
                    Span::styled(format!(" {} ", marker(i)), theme.key),
                    Span::styled(
                        format!("{:<9}", g.status.label()),
                        status_style(g.status, theme),
                    ),
                    Span::styled(format!("{:<12}", rating), style),
                    Span::styled(g.text.clone(), style),
                ])
            })
            .collect();
        Paragraph::new(lines).render(area, buf);
    }

    fn render_chart(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let rated: Vec<&Goal> = self
            .goals
            .iter()
            .filter(|g| !g.ratings.is_empty())
            .collect();
        if rated.is_empty() || area.height < 5 {
            return;
        }
        let first: NaiveDate = rated
            .iter()
            .filter_map(|g| g.first_rating().map(|r| r.rated_on))
            .min()
            .unwrap_or_default();
        let last: NaiveDate = rated
            .iter()
            .filter_map(|g| g.last_rating().map(|r| r.rated_on))
            .max()
            .unwrap_or(first);
        let points: Vec<Vec<(f64, f64)>> = rated
            .iter()
            .map(|g| {
                g.ratings
                    .iter()
                    .map(|r| ((r.rated_on - first).num_days() as f64, f64::from(r.rating)))
                    .collect()
            })
            .collect();
        let styles = [theme.good, theme.info, theme.warn, theme.heading, theme.key];
        let datasets: Vec<Dataset> = rated
            .iter()
            .zip(&points)
            .enumerate()
            .map(|(i, (g, p))| {
                let n = self.goals.iter().position(|x| x.id == g.id).unwrap_or(i);
                Dataset::default()
                    .name(format!("{} {}", marker(n), short(&g.text, 24)))
                    .marker(Marker::Braille)
                    .graph_type(GraphType::Line)
                    .style(styles[i % styles.len()])
                    .data(p)
            })
            .collect();
        let axis = day_axis(first, last, |d| d.format("%-d %b %Y").to_string());
        Chart::new(datasets)
            .x_axis(
                Axis::default()
                    .bounds(axis.bounds)
                    .labels(axis.labels)
                    .style(theme.muted),
            )
            .y_axis(
                Axis::default()
                    .bounds([0.0, 10.0])
                    .labels([Span::raw("0"), Span::raw("5"), Span::raw("10")])
                    .style(theme.muted),
            )
            .hidden_legend_constraints((Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)))
            .style(Style::default())
            .render(area, buf);
    }
}

fn marker(i: usize) -> char {
    char::from(b'a' + (i % 26) as u8)
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn status_style(s: GoalStatus, theme: &Theme) -> Style {
    match s {
        GoalStatus::Active => theme.info,
        GoalStatus::Achieved => theme.good,
        GoalStatus::Dropped => theme.muted,
    }
}

// ---- on the dialog stack -------------------------------------------------------------------

impl Dialog for GoalsView {
    fn context(&self) -> Context {
        Context::RelGoals
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        GoalsView::handle(self, action)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        GoalsView::render(self, area, buf, theme, names);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::client::ClientInput;
    use crate::domain::goal::check_goal;
    use crate::domain::time::parse_local;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    #[test]
    fn snapshot_goals_with_a_chart() {
        let mut s = Store::open_in_memory().unwrap();
        let now = parse_local("2026-11-23 09:00").unwrap();
        let f = ClientInput {
            name: "Maria Lopez".into(),
            intake_date: "2026-06-01".into(),
            ..Default::default()
        }
        .validate(now.date())
        .unwrap();
        let c = s.add_client(&f, now.and_utc()).unwrap().id;
        let a = s
            .add_goal(
                c,
                &check_goal("Sleep through most nights", "2026-06-08", "", now.date()).unwrap(),
                now.and_utc(),
            )
            .unwrap();
        let b = s
            .add_goal(
                c,
                &check_goal(
                    "Walk outdoors three times a week",
                    "2026-06-08",
                    "",
                    now.date(),
                )
                .unwrap(),
                now.and_utc(),
            )
            .unwrap();
        for (i, (x, y)) in [(2, 5), (3, 5), (5, 4), (6, 6), (8, 7)].iter().enumerate() {
            let d = NaiveDate::from_ymd_opt(2026, 6, 8).unwrap()
                + chrono::Duration::days(28 * i as i64);
            s.rate_goal(a.id, *x, None, d, now.and_utc()).unwrap();
            s.rate_goal(b.id, *y, None, d, now.and_utc()).unwrap();
        }
        s.set_goal_status(b.id, GoalStatus::Achieved, now.and_utc())
            .unwrap();
        let view = GoalsView::load(&s, c).unwrap();
        let mut t = Terminal::new(TestBackend::new(100, 24)).unwrap();
        t.draw(|f| view.render(f.area(), f.buffer_mut(), &Theme::plain(), Names::default()))
            .unwrap();
        insta::assert_snapshot!(t.backend());
    }
}
