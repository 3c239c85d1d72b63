//! The `?` help: every key of what is under it, from the same tables that drive the keys, so it
//! can never disagree with them. Esc closes it; j/k scroll.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::tui::action::Action;
use crate::tui::dialogs::{Dialog, Outcome};
use crate::tui::keymap::{self, Context};
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::popup::{centered, frame};

pub struct Help {
    /// Where keys went when help was asked for: its table is listed first.
    pub under: Context,
    pub scroll: u16,
}

impl Help {
    pub fn new(under: Context) -> Help {
        Help { under, scroll: 0 }
    }
}

impl Dialog for Help {
    fn context(&self) -> Context {
        Context::Help
    }

    fn handle(&mut self, action: Option<Action>, _key: &KeyEvent) -> Outcome {
        match action {
            Some(Action::Quit) => return Outcome::Quit,
            Some(Action::Back) => return Outcome::Close,
            Some(Action::Down) => self.scroll = self.scroll.saturating_add(1),
            Some(Action::Up) => self.scroll = self.scroll.saturating_sub(1),
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
        let mut lines: Vec<Line> = Vec::new();
        let section = |ctx: Context, lines: &mut Vec<Line>| {
            let rows = keymap::bindings(ctx);
            if rows.is_empty() {
                return;
            }
            lines.push(Line::from(Span::styled(ctx.title(), theme.heading)));
            for b in rows {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {:<18}", keymap::keys_label(b)), theme.key),
                    Span::raw(b.help),
                ]));
            }
            lines.push(Line::default());
        };
        section(self.under, &mut lines);
        if self.under.takes_globals() {
            section(Context::Global, &mut lines);
        }
        if self.under.is_text_entry() {
            lines.push(Line::from(Span::styled(
                "While typing: ← → move, Backspace and Delete erase, Ctrl-W erases a word.",
                theme.muted,
            )));
        }
        let h = (lines.len() as u16 + 2).min(area.height);
        let rect = centered(area, 76, h);
        let inner = frame(rect, buf, "Keys · Esc closes", theme);
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((self.scroll, 0))
            .render(inner, buf);
        None
    }
}
