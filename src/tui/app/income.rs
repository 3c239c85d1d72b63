//! Reports · Income: `i` on Reports shows twelve months of money (and `i` or Esc goes back to
//! attendance); `[` `]` step twelve months, `t` comes back to this month.

use super::App;
use crate::domain::attendance::Month;
use crate::tui::action::Action;
use crate::tui::screens::income::IncomeView;

impl App {
    /// Shows the income view, or goes back to the attendance report.
    pub(crate) fn toggle_income(&mut self) {
        if self.income.take().is_some() {
            return;
        }
        let this_month = Month::of(self.clock.now_local());
        let to = self.reports.month.unwrap_or(this_month).min(this_month);
        self.show_income(to);
    }

    fn show_income(&mut self, to: Month) {
        match IncomeView::load(&self.store, to, self.clock.today()) {
            Ok(v) => self.income = Some(v),
            Err(e) => self.error(format!("The income report could not be read: {e}")),
        }
    }

    /// A key on the income view; true when it was used.
    pub(crate) fn income_action(&mut self, action: Action) -> bool {
        let Some(v) = &self.income else {
            return false;
        };
        let this_month = Month::of(self.clock.now_local());
        match v.step(action, this_month) {
            Some(to) => {
                self.show_income(to);
                true
            }
            None => false,
        }
    }

    /// Reads the income view again (after a write), if it is shown.
    pub(super) fn refresh_income(&mut self) {
        if let Some(v) = &self.income {
            let to = v.to;
            self.show_income(to);
        }
    }
}
