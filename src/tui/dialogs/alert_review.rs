//! Reviewing an alert from a measure: what was done about it, in a note.

use crate::tui::dialogs::*;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Field, Form};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

/// Marks an alert from a measure reviewed: the practitioner says what they did.
pub struct AlertReview {
    pub alert_id: i64,
    pub form: Form,
}

impl AlertReview {
    pub fn new(alert_id: i64, who: &str, message: &str) -> AlertReview {
        let fields = vec![Field::text(
            "note",
            "What you did",
            "",
            "For example: asked about safety in session; plan reviewed and agreed.",
        )];
        let mut form = Form::new(format!("Review alert · {who}"), fields);
        form.banner = Some(message.to_string());
        AlertReview { alert_id, form }
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        self.form.render_popup(area, 90, buf, theme, names)
    }
}

impl FormHost for AlertReview {
    fn form(&self) -> &Form {
        &self.form
    }

    fn form_mut(&mut self) -> &mut Form {
        &mut self.form
    }

    fn submit(&self) -> Result<Outcome, crate::domain::ValidationError> {
        Ok(Outcome::Apply(Apply::ReviewAlert {
            id: self.alert_id,
            note: self.form.text("note"),
        }))
    }
    fn draw(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) -> Option<Position> {
        AlertReview::render(self, area, buf, theme, names)
    }
}
