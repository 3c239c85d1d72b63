//! The `?` help: every key of what is under it, from the same tables that drive the keys, so it
//! can never disagree with them. Esc closes it; j/k scroll.

use std::cell::Cell;

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
    /// Where keys went when help was asked for: its table follows the keys that work everywhere.
    pub under: Context,
    pub scroll: u16,
    /// How far it can scroll at the size last drawn (j stops at the end).
    max_scroll: Cell<u16>,
}

impl Help {
    pub fn new(under: Context) -> Help {
        Help {
            under,
            scroll: 0,
            max_scroll: Cell::new(u16::MAX),
        }
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
            Some(Action::Down) => {
                self.scroll = self.scroll.saturating_add(1).min(self.max_scroll.get())
            }
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
        // The keys that work everywhere first (Ctrl-G, Ctrl-L stay in sight), then this place's.
        if self.under.takes_globals() {
            section(Context::Global, &mut lines);
        }
        section(self.under, &mut lines);
        if self.under.is_text_entry() {
            lines.push(Line::from(Span::styled(
                "While typing: ← → move, Backspace and Delete erase, Ctrl-W erases a word.",
                theme.muted,
            )));
        }
        // Rows once wrapped at the overlay's width (76 less its borders).
        let wrap_w = usize::from(area.width.min(76).saturating_sub(2).max(1));
        let total: usize = lines
            .iter()
            .map(|l| l.width().max(1).div_ceil(wrap_w))
            .sum();
        let total = u16::try_from(total).unwrap_or(u16::MAX);
        let h = total.saturating_add(2).min(area.height);
        let rect = centered(area, 76, h);
        let view = h.saturating_sub(2);
        let max = total.saturating_sub(view);
        self.max_scroll.set(max);
        let scroll = self.scroll.min(max);
        let title = if max > 0 {
            format!(
                "Keys · {}–{} of {} · j/k scroll · Esc closes",
                scroll + 1,
                (scroll + view).min(total),
                total
            )
        } else {
            "Keys · Esc closes".to_string()
        };
        let inner = frame(rect, buf, &title, theme);
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .render(inner, buf);
        None
    }
}
