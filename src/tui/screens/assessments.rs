//! A client's assessments: the results, open alerts, the engagement model, and a chart of each
//! measure's totals over time with its band boundaries. Self-contained (state, `handle`,
//! `render`) so that it can sit on its own or in a client's tabbed view.
//!
//! Also the instruments list for the Practice screen: [`render_instruments`].

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph, Widget, Wrap};

use crate::domain::assessment::{Alert, Assessment, Change, ModelChoice, change};
use crate::domain::engagement::{EngagementModel, Reassessment};
use crate::domain::instrument::{Band, Better, InstrumentKind};
use crate::domain::time::DateStyle;
use crate::instruments::{Catalog, Source};
use crate::store::{Result, Store};
use crate::tui::action::Action;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::rows::fit;
use crate::tui::widgets::timeline::day_axis;

/// One measure's results over time.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub key: String,
    pub title: String,
    pub bands: Vec<Band>,
    pub range: (i64, i64),
    pub points: Vec<(NaiveDate, i64)>,
    pub change: Option<Change>,
    pub latest_band: Option<String>,
    /// How the measure reads: as its latest result recorded it, else as the instrument file
    /// on hand says, else lower-is-better with a reliable change of 5.
    pub better: Option<Better>,
    pub reliable_change: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentsView {
    pub client_id: i64,
    pub name: String,
    /// Newest first.
    pub results: Vec<Assessment>,
    pub series: Vec<Series>,
    pub selected: usize,
    pub alerts: Vec<Alert>,
    pub model: Option<ModelChoice>,
    pub reassessment: Option<Reassessment>,
}

impl AssessmentsView {
    /// Reads everything the view shows (drawing never touches the store).
    pub fn load(
        store: &Store,
        catalog: &Catalog,
        client_id: i64,
        today: NaiveDate,
    ) -> Result<AssessmentsView> {
        let client = store.client(client_id)?;
        let mut all = store.assessments(client_id, None)?;
        let mut series: Vec<Series> = Vec::new();
        for a in all.iter().filter(|a| a.kind == InstrumentKind::Measure) {
            let s = match series.iter_mut().find(|s| s.key == a.instrument) {
                Some(s) => s,
                None => {
                    let ins = catalog.get(&a.instrument);
                    series.push(Series {
                        key: a.instrument.clone(),
                        title: a.title.clone(),
                        bands: ins.map(|i| i.bands.clone()).unwrap_or_default(),
                        range: ins.map(|i| i.total_range()).unwrap_or((0, 0)),
                        points: Vec::new(),
                        change: None,
                        latest_band: None,
                        better: None,
                        reliable_change: None,
                    });
                    let n = series.len() - 1;
                    &mut series[n]
                }
            };
            s.points.push((a.administered_at, a.total));
            s.latest_band = a.band.clone();
            s.better = a.better.or(s.better);
            s.reliable_change = a.reliable_change.or(s.reliable_change);
        }
        for s in &mut series {
            let ins = catalog.get(&s.key);
            let rc = s
                .reliable_change
                .or(ins.map(|i| i.reliable_change))
                .unwrap_or(5.0);
            let better = s.better.or(ins.map(|i| i.better)).unwrap_or(Better::Lower);
            let totals: Vec<i64> = s.points.iter().map(|p| p.1).collect();
            s.change = change(&totals, rc, better);
            if s.range == (0, 0) {
                let hi = totals.iter().copied().max().unwrap_or(0);
                s.range = (0, hi.max(1));
            }
        }
        all.reverse();
        Ok(AssessmentsView {
            client_id,
            name: client.name,
            results: all,
            series,
            selected: 0,
            alerts: store.open_alerts(Some(client_id))?,
            model: store.current_model(client_id)?,
            reassessment: store
                .recommendation(client_id, today)?
                .map(|r| r.reassessment),
        })
    }

    /// Handles an action; returns true when it was used.
    pub fn handle(&mut self, action: Action) -> bool {
        let n = self.series.len().max(1);
        match action {
            Action::Down | Action::NextMeasure => self.selected = (self.selected + 1) % n,
            Action::Up => self.selected = (self.selected + n - 1) % n,
            _ => return false,
        }
        true
    }

    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        dates: DateStyle,
        names: Names,
    ) {
        let left_w = if area.width >= 100 {
            46
        } else {
            area.width / 2
        };
        let [left, right] =
            Layout::horizontal([Constraint::Length(left_w), Constraint::Min(20)]).areas(area);
        self.render_list(left, buf, theme, dates, names);
        self.render_chart(right, buf, theme, dates);
    }

    fn render_list(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        dates: DateStyle,
        names: Names,
    ) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border)
            .title(Span::styled(
                format!(" Assessments · {} ", names.client(&self.name)),
                theme.title,
            ));
        let inner = block.inner(area);
        block.render(area, buf);
        let w = inner.width as usize;
        let mut lines: Vec<Line> = Vec::new();
        match &self.model {
            Some(m) => lines.push(Line::from(vec![
                Span::styled("Model  ", theme.muted),
                Span::styled(m.model.label(), theme.heading),
                Span::styled(
                    if m.reason.is_some() {
                        " (chosen over the recommendation)"
                    } else {
                        " (as recommended)"
                    },
                    theme.muted,
                ),
            ])),
            None => lines.push(Line::from(Span::styled(
                "No engagement model chosen yet.",
                theme.muted,
            ))),
        }
        if let Some(r) = &self.reassessment {
            let style = if r.due { theme.warn } else { theme.muted };
            lines.push(Line::from(Span::styled(fit(&r.reason, w), style)));
        }
        for a in &self.alerts {
            lines.push(Line::from(Span::styled(
                fit(
                    &format!("! {} · {}", dates.format(a.administered_at), a.message),
                    w,
                ),
                theme.error,
            )));
        }
        lines.push(Line::default());
        if self.results.is_empty() {
            lines.push(Line::from(Span::styled(
                "No results yet. Press A to give an assessment.",
                theme.muted,
            )));
        }
        for a in &self.results {
            let what = match a.kind {
                InstrumentKind::Measure => {
                    format!("{} {}", a.total, a.band.as_deref().unwrap_or_default())
                }
                InstrumentKind::Recommendation => a
                    .ranking
                    .first()
                    .map(|e| {
                        let label = e
                            .model
                            .parse::<EngagementModel>()
                            .map(|m| m.label().to_string())
                            .unwrap_or_else(|_| e.model.clone());
                        format!("{label} {:.0}%", e.share * 100.0)
                    })
                    .unwrap_or_default(),
            };
            let flag = if a.flags.is_empty() { " " } else { "!" };
            let date = dates.format(a.administered_at);
            let title_w = w.saturating_sub(date.chars().count() + what.chars().count() + 4);
            lines.push(Line::from(vec![
                Span::styled(format!("{date}  "), theme.muted),
                Span::raw(format!("{:<title_w$} ", fit(&a.title, title_w))),
                Span::styled(what, theme.heading),
                Span::styled(flag, theme.error),
            ]));
        }
        Paragraph::new(lines).render(inner, buf);
    }

    fn render_chart(&self, area: Rect, buf: &mut Buffer, theme: &Theme, dates: DateStyle) {
        let Some(s) = self.series.get(self.selected) else {
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border)
                .title(Span::styled(" Measures over time ", theme.title));
            let inner = block.inner(area);
            block.render(area, buf);
            Paragraph::new(Span::styled(
                "No measures given yet. A measure given more than once is drawn here over time.",
                theme.muted,
            ))
            .wrap(Wrap { trim: true })
            .render(inner, buf);
            return;
        };
        let more = if self.series.len() > 1 {
            format!(" · {} of {} (j/k)", self.selected + 1, self.series.len())
        } else {
            String::new()
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focus)
            .title(Span::styled(
                format!(" {} · totals over time{more} ", s.title),
                theme.title,
            ));
        let inner = block.inner(area);
        block.render(area, buf);
        let [summary, chart] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(inner);
        let mut lines = Vec::new();
        if let (Some(c), Some(last)) = (s.change, s.points.last()) {
            let signed = |d: i64| {
                if d > 0 {
                    format!("+{d}")
                } else {
                    d.to_string()
                }
            };
            lines.push(Line::from(vec![
                Span::styled("Latest ", theme.muted),
                Span::styled(
                    format!(
                        "{} ({}) on {}",
                        last.1,
                        s.latest_band.as_deref().unwrap_or("no band"),
                        dates.format(last.0)
                    ),
                    theme.heading,
                ),
            ]));
            let mut parts = vec![
                Span::styled("Since the first ", theme.muted),
                Span::raw(signed(c.since_first)),
                match c.reliably_better() {
                    Some(true) => Span::styled(" (reliably better)", theme.good),
                    Some(false) => Span::styled(" (reliably worse)", theme.warn),
                    None => Span::raw(""),
                },
            ];
            if let Some(p) = c.since_previous {
                parts.push(Span::styled(" · since the previous ", theme.muted));
                parts.push(Span::raw(signed(p)));
            }
            lines.push(Line::from(parts));
        }
        Paragraph::new(lines).render(summary, buf);

        let Some(first) = s.points.first().map(|p| p.0) else {
            return;
        };
        let last = s.points.last().map(|p| p.0).unwrap_or(first);
        let axis = day_axis(first, last, |d| dates.format(d));
        let [x0, x1] = axis.bounds;
        let totals: Vec<(f64, f64)> = s
            .points
            .iter()
            .map(|(d, t)| ((*d - first).num_days() as f64, *t as f64))
            .collect();
        // A boundary sits between the bands, at the top of each but the last.
        let boundaries: Vec<(Vec<(f64, f64)>, String)> = s
            .bands
            .iter()
            .take(s.bands.len().saturating_sub(1))
            .map(|b| {
                let y = b.max as f64 + 0.5;
                (vec![(x0, y), (x1, y)], format!("{} to {}", b.label, b.max))
            })
            .collect();
        let mut datasets: Vec<Dataset> = boundaries
            .iter()
            .map(|(pts, name)| {
                Dataset::default()
                    .name(name.clone())
                    .marker(Marker::Dot)
                    .graph_type(GraphType::Line)
                    .style(theme.muted)
                    .data(pts)
            })
            .collect();
        datasets.push(
            Dataset::default()
                .name("total")
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(theme.good)
                .data(&totals),
        );
        // Axis labels are spread evenly, so only the ends are given; the dotted lines are the
        // band boundaries, named in the legend.
        let (lo, hi) = s.range;
        let y_bounds = [lo as f64, hi as f64];
        let ylabels = vec![Span::raw(lo.to_string()), Span::raw(hi.to_string())];
        Chart::new(datasets)
            .x_axis(
                Axis::default()
                    .bounds(axis.bounds)
                    .style(theme.muted)
                    .labels(axis.labels),
            )
            .y_axis(
                Axis::default()
                    .bounds(y_bounds)
                    .style(theme.muted)
                    .labels(ylabels),
            )
            .hidden_legend_constraints((Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)))
            .render(chart, buf);
    }
}

/// The instruments on hand and the practitioner's files that could not be loaded (for the
/// Practice screen).
pub fn render_instruments(catalog: &Catalog, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(" Instruments ", theme.title));
    let inner = block.inner(area);
    block.render(area, buf);
    let mut lines: Vec<Line> = Vec::new();
    for (i, src) in &catalog.instruments {
        let from = match src {
            Source::BuiltIn => "built in".to_string(),
            Source::File(p) => p
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{:<14}", i.key), theme.key),
            Span::styled(i.title.clone(), theme.heading),
            Span::styled(
                format!(
                    "  v{} · {} · {} items · {from}",
                    i.version,
                    i.kind.label().to_lowercase(),
                    i.items.len()
                ),
                theme.muted,
            ),
        ]));
    }
    if !catalog.broken.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            "Files that could not be loaded (fix them, then restart caseload):",
            theme.warn,
        )));
        for b in &catalog.broken {
            lines.push(Line::from(Span::styled(
                format!("  {}", b.path.display()),
                theme.error,
            )));
            for p in &b.problems {
                lines.push(Line::from(Span::raw(format!("    {p}"))));
            }
        }
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "Add your own as .toml files in the instruments folder beside config.toml; check one with caseload assess check FILE.",
        theme.muted,
    )));
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::client::{ClientFields, Telehealth};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn day(s: &str) -> NaiveDate {
        crate::domain::time::parse_date(s).unwrap()
    }

    fn practice() -> (Store, Catalog, i64) {
        let mut s = Store::open_in_memory().unwrap();
        let now = crate::domain::time::parse_instant("2026-11-23T09:00:00Z").unwrap();
        let f = ClientFields {
            name: "Maria Lopez".into(),
            preferred_name: None,
            pronouns: None,
            born: None,
            phone: None,
            email: None,
            preferred_contact: None,
            emergency_contact: None,
            telehealth_consent: Telehealth::None,
            telehealth_consent_date: None,
            intake_date: day("2026-06-01"),
        };
        let id = s.add_client(&f, now).unwrap().id;
        let cat = Catalog::built_in();
        let w = cat.get("wellbeing").unwrap();
        let e = cat.engagement().unwrap();
        s.record_assessment(
            id,
            e,
            &[0, 0, 0, 0, 4, 4, 1, 1, 0, 0, 2, 0, 2, 0, 1, 0],
            day("2026-06-03"),
            now,
        )
        .unwrap();
        s.choose_model(id, EngagementModel::Collaborative, None, now)
            .unwrap();
        for (d, answers) in [
            ("2026-06-03", [0, 3, 1, 3, 3, 0]),
            ("2026-07-01", [1, 2, 1, 3, 2, 1]),
            ("2026-08-05", [1, 2, 2, 2, 2, 0]),
            ("2026-09-02", [2, 1, 2, 1, 1, 0]),
            ("2026-10-07", [2, 1, 3, 1, 1, 0]),
            ("2026-11-04", [3, 0, 3, 1, 0, 0]),
        ] {
            s.record_assessment(id, w, &answers, day(d), now).unwrap();
        }
        (s, cat, id)
    }

    #[test]
    fn the_view_gathers_series_and_change() {
        let (s, cat, id) = practice();
        let mut v = AssessmentsView::load(&s, &cat, id, day("2026-11-23")).unwrap();
        assert_eq!(v.results.len(), 7);
        assert_eq!(v.results[0].administered_at, day("2026-11-04"));
        assert_eq!(v.series.len(), 1);
        let c = v.series[0].change.unwrap();
        assert_eq!(v.series[0].points.first().unwrap().1, 14);
        assert_eq!(v.series[0].points.last().unwrap().1, 1);
        assert_eq!(c.since_first, -13);
        assert!(c.reliable);
        assert_eq!(v.alerts.len(), 1);
        assert!(v.reassessment.as_ref().unwrap().due);
        assert!(v.handle(Action::Down));
        assert_eq!(v.selected, 0);
        assert!(!v.handle(Action::Submit));
    }

    #[test]
    fn snapshot_assessments_chart() {
        let (s, cat, id) = practice();
        let v = AssessmentsView::load(&s, &cat, id, day("2026-11-23")).unwrap();
        let theme = Theme::plain();
        let mut t = Terminal::new(TestBackend::new(120, 24)).unwrap();
        t.draw(|f| {
            let a = f.area();
            v.render(
                a,
                f.buffer_mut(),
                &theme,
                DateStyle::DayMonth,
                Names::default(),
            )
        })
        .unwrap();
        insta::assert_snapshot!(t.backend());
    }

    #[test]
    fn snapshot_practice_instruments_with_a_broken_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("mine.toml"),
            "key = \"mine\"\ntitle = \"Mine\"\nversion = 1\nkind = \"measure\"\ninstructions = \"x\"\noptions = [{label = \"no\", value = 0}, {label = \"yes\", value = 1}]\n\n[[items]]\nid = \"a\"\ntext = \"A\"\n\n[[bands]]\nmin = 1\nmax = 1\nlabel = \"yes\"\n",
        )
        .unwrap();
        let cat = Catalog::load(Some(dir.path()));
        let theme = Theme::plain();
        let mut t = Terminal::new(TestBackend::new(100, 14)).unwrap();
        t.draw(|f| {
            let a = f.area();
            render_instruments(&cat, a, f.buffer_mut(), &theme)
        })
        .unwrap();
        let text = format!("{:?}", t.backend());
        assert!(text.contains("no band covers a total of 0"), "{text}");
        assert!(text.contains("engagement"));
    }
}
