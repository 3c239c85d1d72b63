//! The rows of a selectable list: one line each, scrolled to keep the selection in view.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

/// Cuts `s` to `w` characters, marking the cut with an ellipsis.
pub fn fit(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(w.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// The first row shown when `selected` must be on screen in `height` rows.
pub fn scroll_offset(selected: usize, height: usize) -> usize {
    (selected + 1).saturating_sub(height)
}

/// Draws `items` one to a line in `area`, scrolled so that `selected` shows. `row` gives each
/// item's text and style, told whether the item is the selected one and how wide the line is
/// (to [`fit`] the text, say); the style fills the whole line and the text stops at its end.
pub fn render_rows<T>(
    area: Rect,
    buf: &mut Buffer,
    items: &[T],
    selected: usize,
    row: impl Fn(&T, bool, usize) -> (String, Style),
) {
    let h = usize::from(area.height);
    let w = usize::from(area.width);
    let offset = scroll_offset(selected, h);
    for (line, (i, item)) in items.iter().enumerate().skip(offset).take(h).enumerate() {
        let (text, style) = row(item, i == selected, w);
        let y = area.y + line as u16;
        buf.set_style(Rect::new(area.x, y, area.width, 1), style);
        buf.set_stringn(area.x, y, text, w, style);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selection_stays_in_view_and_long_rows_are_cut() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
        let area = Rect::new(0, 0, 6, 2);
        let mut buf = Buffer::empty(area);
        let items = ["one", "two", "three and more"];
        render_rows(area, &mut buf, &items, 2, |s, sel, w| {
            let text = format!("{}{s}", if sel { ">" } else { " " });
            (fit(&text, w), Style::default())
        });
        let line = |y: u16| (0..6).map(|x| buf[(x, y)].symbol()).collect::<String>();
        assert_eq!(line(0), " two  ");
        assert_eq!(line(1), ">thre…");
    }
}
