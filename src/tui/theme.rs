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

    fn light() -> Theme {
        let b = Style::new().fg(Color::Black);
        Theme {
            base: b,
            muted: b.fg(Color::Gray),
            title: b.fg(Color::Blue).add_modifier(Modifier::BOLD),
            border: b.fg(Color::Gray),
            border_focus: b.fg(Color::Blue),
            tab: b.fg(Color::DarkGray),
            tab_active: b
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            selected: b.bg(Color::Rgb(210, 225, 245)).add_modifier(Modifier::BOLD),
            heading: b.fg(Color::Blue).add_modifier(Modifier::BOLD),
            error: b.fg(Color::Red).add_modifier(Modifier::BOLD),
            info: b.fg(Color::Green),
            warn: b.fg(Color::Rgb(160, 90, 0)),
            good: b.fg(Color::Green),
            key: b.fg(Color::Blue).add_modifier(Modifier::BOLD),
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
