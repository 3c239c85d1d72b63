//! Screens that later parts of caseload fill: one honest line, never made-up figures.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::tui::action::ScreenId;
use crate::tui::theme::Theme;

pub fn note(screen: ScreenId) -> &'static str {
    match screen {
        ScreenId::Reports => {
            "Not yet: attendance reports arrive once sessions and cancellations are recorded."
        }
        ScreenId::Practice => {
            "Not yet: practice settings, the client handout and the Q&A arrive in a later update."
        }
        ScreenId::Today | ScreenId::Clients | ScreenId::Agenda => "",
    }
}

pub fn render(screen: ScreenId, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(format!(" {} ", screen.title()), theme.title));
    Paragraph::new(Line::from(Span::styled(note(screen), theme.muted)))
        .wrap(Wrap { trim: true })
        .block(block)
        .render(area, buf);
}
