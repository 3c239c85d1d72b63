//! Colours and styles in one place. `NO_COLOR` gives a theme of weights and reversals only.

use ratatui::style::{Color, Modifier, Style};

use crate::config::ThemeName;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub base: Style,
    pub muted: Style,
    pub title: Style,
    pub border: Style,
    pub border_focus: Style,
    pub tab: Style,
    pub tab_active: Style,
    pub selected: Style,
    pub heading: Style,
    pub error: Style,
    pub info: Style,
    pub warn: Style,
    pub good: Style,
    pub key: Style,
    pub input: Style,
}

impl Theme {
    /// The theme for a name, or the plain one when `no_color` (NO_COLOR is set).
    pub fn new(name: ThemeName, no_color: bool) -> Theme {
        if no_color {
            return Theme::plain();
        }
        match name {
            ThemeName::Default => Theme::default_dark(),
            ThemeName::Light => Theme::light(),
            ThemeName::HighContrast => Theme::high_contrast(),
        }
    }

    pub fn plain() -> Theme {
        let b = Style::new();
        Theme {
            base: b,
            muted: b,
            title: b.add_modifier(Modifier::BOLD),
            border: b,
            border_focus: b.add_modifier(Modifier::BOLD),
            tab: b,
            tab_active: b.add_modifier(Modifier::REVERSED),
            selected: b.add_modifier(Modifier::REVERSED),
            heading: b.add_modifier(Modifier::BOLD),
            error: b.add_modifier(Modifier::BOLD),
            info: b,
            warn: b.add_modifier(Modifier::BOLD),
            good: b,
            key: b.add_modifier(Modifier::BOLD),
            input: b.add_modifier(Modifier::UNDERLINED),
        }
    }

    fn default_dark() -> Theme {
        let b = Style::new();
        Theme {
            base: b,
            muted: b.fg(Color::DarkGray),
            title: b.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            border: b.fg(Color::DarkGray),
            border_focus: b.fg(Color::Cyan),
            tab: b.fg(Color::Gray),
            tab_active: b
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            selected: b.bg(Color::Rgb(40, 60, 80)).add_modifier(Modifier::BOLD),
            heading: b.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            error: b.fg(Color::LightRed).add_modifier(Modifier::BOLD),
            info: b.fg(Color::LightGreen),
            warn: b.fg(Color::Yellow),
            good: b.fg(Color::Green),
            key: b.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            input: b.fg(Color::White).bg(Color::Rgb(30, 30, 40)),
        }
    }

    /// Dark text on a white page. Every colour is given as RGB and the page is painted white,
    /// so the contrast does not depend on the terminal's own palette.
    fn light() -> Theme {
        let b = Style::new()
            .fg(Color::Rgb(20, 20, 20))
            .bg(Color::Rgb(255, 255, 255));
        let blue = Color::Rgb(0, 60, 170);
        Theme {
            base: b,
            muted: b.fg(Color::Rgb(88, 88, 88)),
            title: b.fg(blue).add_modifier(Modifier::BOLD),
            border: b.fg(Color::Rgb(120, 120, 120)),
            border_focus: b.fg(blue),
            tab: b.fg(Color::Rgb(64, 64, 64)),
            tab_active: b
                .fg(Color::Rgb(255, 255, 255))
                .bg(blue)
                .add_modifier(Modifier::BOLD),
            selected: b.bg(Color::Rgb(210, 225, 245)).add_modifier(Modifier::BOLD),
            heading: b.fg(blue).add_modifier(Modifier::BOLD),
            error: b.fg(Color::Rgb(180, 0, 0)).add_modifier(Modifier::BOLD),
            info: b.fg(Color::Rgb(0, 110, 0)),
            warn: b.fg(Color::Rgb(150, 80, 0)),
            good: b.fg(Color::Rgb(0, 110, 0)),
            key: b.fg(blue).add_modifier(Modifier::BOLD),
            input: b.bg(Color::Rgb(235, 235, 235)),
        }
    }

    fn high_contrast() -> Theme {
        let b = Style::new().fg(Color::White).bg(Color::Black);
        Theme {
            base: b,
            muted: b.fg(Color::White),
            title: b.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            border: b.fg(Color::White),
            border_focus: b.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            tab: b.fg(Color::White),
            tab_active: Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            selected: Style::new()
                .fg(Color::Black)
                .bg(Color::White)
                .add_modifier(Modifier::BOLD),
            heading: b
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            error: b.fg(Color::LightRed).add_modifier(Modifier::BOLD),
            info: b.fg(Color::LightGreen).add_modifier(Modifier::BOLD),
            warn: b.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            good: b.fg(Color::LightGreen),
            key: b.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            input: b.add_modifier(Modifier::UNDERLINED),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The colour a terminal shows for a named colour: xterm's default palette.
    fn rgb(c: Color) -> (u8, u8, u8) {
        match c {
            Color::Rgb(r, g, b) => (r, g, b),
            Color::Black => (0, 0, 0),
            Color::Red => (205, 0, 0),
            Color::Green => (0, 205, 0),
            Color::Yellow => (205, 205, 0),
            Color::Blue => (0, 0, 238),
            Color::Magenta => (205, 0, 205),
            Color::Cyan => (0, 205, 205),
            Color::Gray => (229, 229, 229),
            Color::DarkGray => (127, 127, 127),
            Color::LightRed => (255, 0, 0),
            Color::LightGreen => (0, 255, 0),
            Color::LightYellow => (255, 255, 0),
            Color::LightBlue => (92, 92, 255),
            Color::LightMagenta => (255, 0, 255),
            Color::LightCyan => (0, 255, 255),
            Color::White => (255, 255, 255),
            other => panic!("no RGB for {other:?}"),
        }
    }

    /// WCAG 2 relative luminance and contrast ratio.
    fn luminance(c: (u8, u8, u8)) -> f64 {
        let ch = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(c.0) + 0.7152 * ch(c.1) + 0.0722 * ch(c.2)
    }

    fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn the_contrast_formula_gives_the_known_ratios() {
        assert!((contrast((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 1e-9);
        assert!((contrast((118, 118, 118), (255, 255, 255)) - 4.54).abs() < 0.01);
    }

    #[test]
    fn every_theme_s_text_reaches_4_5_to_1_on_its_background() {
        // Where a theme leaves the page to the terminal, a dark terminal is assumed
        // (light grey text on black), as the default theme is made for.
        let (term_fg, term_bg) = (Color::Gray, Color::Black);
        let themes = [
            ("default", Theme::new(ThemeName::Default, false)),
            ("light", Theme::new(ThemeName::Light, false)),
            ("high-contrast", Theme::new(ThemeName::HighContrast, false)),
        ];
        let mut low = Vec::new();
        for (name, t) in themes {
            let text = [
                ("base", t.base),
                ("muted", t.muted),
                ("title", t.title),
                ("tab", t.tab),
                ("tab_active", t.tab_active),
                ("selected", t.selected),
                ("heading", t.heading),
                ("error", t.error),
                ("info", t.info),
                ("warn", t.warn),
                ("good", t.good),
                ("key", t.key),
                ("input", t.input),
            ];
            for (what, style) in text {
                let page = t.base.patch(style);
                let mut fg = page.fg.unwrap_or(term_fg);
                let mut bg = page.bg.unwrap_or(term_bg);
                if page.add_modifier.contains(Modifier::REVERSED) {
                    std::mem::swap(&mut fg, &mut bg);
                }
                let ratio = contrast(rgb(fg), rgb(bg));
                if ratio < 4.5 {
                    low.push(format!("{name} {what}: {ratio:.2}"));
                }
            }
            // Borders are not text: 3:1 is the bar for them.
            for (what, style) in [("border", t.border), ("border_focus", t.border_focus)] {
                let page = t.base.patch(style);
                let ratio = contrast(
                    rgb(page.fg.unwrap_or(term_fg)),
                    rgb(page.bg.unwrap_or(term_bg)),
                );
                if ratio < 3.0 {
                    low.push(format!("{name} {what}: {ratio:.2}"));
                }
            }
        }
        assert!(low.is_empty(), "too little contrast: {low:?}");
    }
}
