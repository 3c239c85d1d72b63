//! Helpers for dialogs drawn above a screen.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Widget, Wrap};

use crate::tui::theme::Theme;

/// A rectangle of at most `w` × `h`, centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Clears `area` and draws a dialog frame with a title; returns the inside.
pub fn frame(area: Rect, buf: &mut Buffer, title: &str, theme: &Theme) -> Rect {
    Clear.render(area, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focus)
        .style(theme.base)
        .title(Span::styled(format!(" {title} "), theme.title));
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// Rows `text` takes wrapped at words in `width` columns (as a wrapping paragraph draws it).
pub fn wrapped_rows(text: &str, width: usize) -> usize {
    let width = width.max(1);
    let mut rows = 1;
    let mut used = 0;
    for word in text.split_inclusive(' ') {
        let w = word.chars().count();
        let bare = word.trim_end().chars().count();
        if used > 0 && used + bare > width {
            rows += 1;
            used = 0;
        }
        // A word longer than a row breaks inside it.
        let mut w = w;
        while used + w > width && w > width {
            rows += 1;
            w -= width - used;
            used = 0;
        }
        used += w;
    }
    rows
}

/// Where a dialog that may scroll is looking: rows skipped, and a line to keep in view (the
/// selected one).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct View {
    pub scroll: u16,
    pub keep: Option<usize>,
}

/// Draws `lines` in a framed dialog at most `width` wide and as tall as they need within
/// `area`. When they don't fit, they scroll: `view.scroll` rows are skipped (clamped so the end
/// can show; moved so the line `view.keep` is in view), and the bottom border shows where the
/// view is, e.g. `↑↓ rows 4–15 of 20`. Returns the inside of the frame and the scroll used.
pub fn scrolled(
    area: Rect,
    width: u16,
    title: &str,
    lines: Vec<Line<'_>>,
    view: View,
    buf: &mut Buffer,
    theme: &Theme,
) -> (Rect, u16) {
    let View { scroll, keep } = view;
    let inner_w = usize::from(width.min(area.width).saturating_sub(2)).max(1);
    let heights: Vec<usize> = lines
        .iter()
        .map(|l| {
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            wrapped_rows(&text, inner_w)
        })
        .collect();
    let total: usize = heights.iter().sum();
    let height = (total as u16).saturating_add(2).max(5);
    let rect = centered(area, width, height);
    let inner = frame(rect, buf, title, theme);
    let room = usize::from(inner.height);
    let max = total.saturating_sub(room);
    let mut top = usize::from(scroll).min(max);
    if let Some(k) = keep.filter(|k| *k < heights.len()) {
        let start: usize = heights[..k].iter().sum();
        let end = start + heights[k];
        if start < top {
            top = start;
        } else if end > top + room {
            top = end.saturating_sub(room);
        }
    }
    let top = top.min(max) as u16;
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((top, 0))
        .render(inner, buf);
    if max > 0 {
        let first = usize::from(top) + 1;
        let last = (usize::from(top) + room).min(total);
        let arrows = match (top > 0, usize::from(top) < max) {
            (true, true) => "↑↓",
            (false, _) => "↓",
            (true, false) => "↑",
        };
        let label = format!(" {arrows} rows {first}–{last} of {total} ");
        let w = label.chars().count() as u16;
        if w + 2 <= rect.width {
            buf.set_string(
                rect.right().saturating_sub(w + 2),
                rect.bottom().saturating_sub(1),
                label,
                theme.key,
            );
        }
    }
    (inner, top)
}
