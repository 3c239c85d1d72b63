//! Reports · Income: twelve months of money, month by month — what was charged (charges less
//! their voids, by the session's date), what was collected (payments less refunds, by their
//! date) and what of each month's charges is still owed today — as a bar chart, with the
//! totals and what is owed today by age above it. No client is named here.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Widget, Wrap};

use crate::domain::attendance::Month;
use crate::domain::money::Currency;
use crate::store::income::Outstanding;
use crate::store::{Result, Store};
use crate::tui::action::Action;
use crate::tui::screens::client_billing::money;
use crate::tui::theme::Theme;

/// How many months the view shows.
pub const MONTHS: i32 = 12;

/// One month's figures, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthMoney {
    pub month: Month,
    pub charged: i64,
    pub collected: i64,
    /// Still owed today on the month's charges.
    pub outstanding: i64,
}

/// The income view's model.
#[derive(Debug, Clone)]
pub struct IncomeView {
    /// The last month shown; `None` until the practice has a currency.
    pub to: Month,
    pub currency: Option<Currency>,
    pub months: Vec<MonthMoney>,
    /// What is owed today, by age.
    pub owed: Outstanding,
    pub adjustments: i64,
}

impl IncomeView {
    /// The twelve months ending with `to`; what is owed counted on `today`.
    pub fn load(store: &Store, to: Month, today: chrono::NaiveDate) -> Result<IncomeView> {
        let currency = store.billing_settings()?.currency;
        let mut v = IncomeView {
            to,
            currency,
            months: Vec::new(),
            owed: Outstanding::default(),
            adjustments: 0,
        };
        if currency.is_none() {
            return Ok(v);
        }
        let from = to.plus(1 - MONTHS);
        let income = store.income(from, to, today)?;
        let unpaid = store.unpaid_by_month(from, to)?;
        v.months = from
            .through(to)
            .map(|m| {
                let key = m.key();
                let i = income.months.iter().find(|x| x.month == key);
                MonthMoney {
                    month: m,
                    charged: i.map_or(0, |x| x.billed),
                    collected: i.map_or(0, |x| x.collected),
                    outstanding: unpaid.get(&key).copied().unwrap_or(0),
                }
            })
            .collect();
        v.owed = income.outstanding;
        v.adjustments = income.adjustments;
        Ok(v)
    }

    /// The months to show after a key, if it moves them.
    pub fn step(&self, action: Action, this_month: Month) -> Option<Month> {
        match action {
            Action::PrevMonth => Some(self.to.plus(-MONTHS)),
            Action::NextMonth => Some(self.to.plus(MONTHS).min(this_month)),
            Action::ThisMonth => Some(this_month),
            _ => None,
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let from = self.to.plus(1 - MONTHS);
        let title = format!(" Income · {} – {} ", from.label(), self.to.label());
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focus)
            .title(Span::styled(title, theme.title));
        let inner = block.inner(area);
        block.render(area, buf);
        let Some(cur) = self.currency else {
            Paragraph::new(Span::styled(
                "Nothing is billed yet: the practice has no currency. Set it once with `caseload billing --currency USD`, then add services on Practice (s).",
                theme.muted,
            ))
            .wrap(Wrap { trim: true })
            .render(inner, buf);
            return;
        };
        let charged: i64 = self.months.iter().map(|m| m.charged).sum();
        let collected: i64 = self.months.iter().map(|m| m.collected).sum();
        let outstanding: i64 = self.months.iter().map(|m| m.outstanding).sum();
        let o = &self.owed;
        let mut lines = vec![
            Line::from(vec![
                Span::styled("Charged ", theme.heading),
                Span::raw(money(cur, charged)),
                Span::styled(" · Collected ", theme.heading),
                Span::raw(money(cur, collected)),
                Span::styled(" · Still owed ", theme.heading),
                Span::raw(money(cur, outstanding)),
            ]),
            Line::from(Span::styled(
                format!(
                    "Owed today {} · 0–30 days {} · 31–60 {} · 61–90 {} · over 90 {}",
                    money(cur, o.total),
                    cur.grouped(o.days_0_30),
                    cur.grouped(o.days_31_60),
                    cur.grouped(o.days_61_90),
                    cur.grouped(o.over_90)
                ),
                theme.muted,
            )),
        ];
        if self.adjustments != 0 {
            lines.push(Line::from(Span::styled(
                format!("Adjustments {}", money(cur, self.adjustments)),
                theme.muted,
            )));
        }
        let head_h = if inner.width < 100 { 4 } else { 3 };
        let [head, chart, legend] = Layout::vertical([
            Constraint::Length(head_h),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .areas(inner);
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .render(head, buf);
        let styles = [theme.heading, theme.good, theme.warn];
        Paragraph::new(Line::from(vec![
            Span::styled("█", styles[0]),
            Span::raw(" charged  "),
            Span::styled("█", styles[1]),
            Span::raw(" collected  "),
            Span::styled("█", styles[2]),
            Span::raw(format!(" still owed   (bars in whole {})", cur.code())),
        ]))
        .render(legend, buf);
        self.render_chart(chart, buf, cur, styles);
    }

    fn render_chart(&self, area: Rect, buf: &mut Buffer, cur: Currency, styles: [Style; 3]) {
        let n = self.months.len().max(1) as u16;
        let gap = 1u16;
        // Three bars a month, as wide as fit.
        let bar_w = (area.width.saturating_sub(gap * (n - 1)) / (n * 3)).clamp(1, 4);
        let whole = |minor: i64| u64::try_from(minor / cur.scale()).unwrap_or(0);
        let mut chart = BarChart::default()
            .bar_width(bar_w)
            .bar_gap(0)
            .group_gap(gap);
        for m in &self.months {
            let bars = [m.charged, m.collected, m.outstanding]
                .iter()
                .zip(styles)
                .map(|(v, s)| {
                    Bar::default()
                        .value(whole(*v))
                        .style(s)
                        .text_value(String::new())
                })
                .collect::<Vec<_>>();
            let label = if bar_w * 3 >= 6 {
                m.month.short()
            } else {
                m.month.first_day().format("%b").to_string()
            };
            chart = chart.data(BarGroup::default().label(Line::from(label)).bars(&bars));
        }
        chart.render(area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_twelve_months_and_never_past_this_month() {
        let this = Month::new(2026, 11).unwrap();
        let v = IncomeView {
            to: this,
            currency: None,
            months: Vec::new(),
            owed: Outstanding::default(),
            adjustments: 0,
        };
        assert_eq!(
            v.step(Action::PrevMonth, this),
            Some(Month::new(2025, 11).unwrap())
        );
        assert_eq!(v.step(Action::NextMonth, this), Some(this));
        assert_eq!(v.step(Action::Down, this), None);
    }
}
