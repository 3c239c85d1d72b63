//! The cancellation dialog: who and why, then the offer — before anything is recorded — then
//! the remote check or the fee. The same rules as `caseload session cancel` (domain + store).
//!
//! Keys from Today: `c` `2` `Enter` `y` saves a session by phone for a sick child; `c` `2` `x`
//! `Enter` records a declined offer (late or not).

use chrono::NaiveDateTime;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use tui_input::{Input, InputRequest};

use crate::domain::cancellation::{
    Alternative, Availability, CancelledBy, Decision, OfferItem, Reason, RemoteCheck, Request,
    describe_notice, is_late,
};
use crate::domain::client::short_name;
use crate::store::cancellation::CancelContext;
use crate::tui::action::Action;
use crate::tui::dialogs::{Apply, Dialog, Outcome};
use crate::tui::keymap::Context;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::widgets::popup::{View, scrolled};
use std::cell::Cell;

/// Free slots offered for a reschedule: how many, and at most how many on one day.
pub const SLOTS_SHOWN: usize = 10;
pub const SLOTS_PER_DAY: usize = 2;

/// Where the dialog is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Step 1: who is cancelling and why.
    Who,
    /// Step 2: the offer (for the practitioner: reschedule or record).
    Offer,
    /// Consent is missing for the chosen remote session: record verbal consent or skip.
    Consent,
    /// Choosing a free slot to reschedule to.
    Slots,
    /// Step 3 for phone or video: the remote check.
    Check,
    /// Recording the cancellation: the fee (late) or a last confirmation.
    Confirm,
    /// Typing a note.
    Note,
}

/// What the dialog asks of the app after a key.
#[derive(Debug, Clone, PartialEq)]
pub enum DialogOutcome {
    Keep,
    Close,
    /// Record this (the app closes the dialog when it is recorded).
    Record {
        session_id: i64,
        request: Request,
        decision: Decision,
    },
}

pub struct CancelDialog {
    pub cx: CancelContext,
    pub name: String,
    pub now: NaiveDateTime,
    /// Free slots for a reschedule, found when the dialog opened.
    pub slots: Vec<NaiveDateTime>,
    pub step: Step,
    /// Where a note or a refusal returns to.
    back_to: Step,
    pub by: CancelledBy,
    pub reason: Option<Reason>,
    pub note: Input,
    note_before: String,
    pub items: Vec<OfferItem>,
    /// The selected row of the offer (an index into `items`).
    pub selected: usize,
    pub slot_selected: usize,
    /// The remote alternative being accepted (consent / check steps).
    pending: Option<Alternative>,
    verbal_consent: bool,
    /// A short line shown in the dialog (why something can't be chosen).
    pub notice: Option<String>,
    /// Rows scrolled when the dialog is taller than the terminal, as last drawn.
    scroll: Cell<u16>,
}

impl CancelDialog {
    /// Opens the dialog for a session (the caller has checked it is scheduled).
    pub fn new(cx: CancelContext, now: NaiveDateTime, slots: Vec<NaiveDateTime>) -> CancelDialog {
        let name = short_name(&cx.session.client_name, None);
        CancelDialog {
            cx,
            name,
            now,
            slots,
            step: Step::Who,
            back_to: Step::Who,
            by: CancelledBy::Client,
            reason: None,
            note: Input::default(),
            note_before: String::new(),
            items: Vec::new(),
            selected: 0,
            slot_selected: 0,
            pending: None,
            verbal_consent: false,
            notice: None,
            scroll: Cell::new(0),
        }
    }

    /// Uses a display name (e.g. the preferred name) instead of the one from the record.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    pub fn context(&self) -> Context {
        match self.step {
            Step::Who => Context::CancelWho,
            Step::Offer => Context::CancelOffer,
            Step::Consent => Context::CancelConsent,
            Step::Slots => Context::CancelSlots,
            Step::Check => Context::CancelCheck,
            Step::Confirm => Context::CancelConfirm,
            Step::Note => Context::CancelNote,
        }
    }

    fn notice_hours(&self) -> f64 {
        self.cx.notice_hours(self.now)
    }

    fn late(&self) -> bool {
        is_late(
            self.by,
            self.notice_hours(),
            self.cx.settings.cancellation_window_hours,
        )
    }

    fn request(&self) -> Request {
        let note = self.note.value().trim();
        Request {
            by: self.by,
            reason: self.reason.unwrap_or(Reason::Other),
            note: (!note.is_empty()).then(|| note.to_string()),
        }
    }

    fn record(&self, decision: Decision) -> DialogOutcome {
        DialogOutcome::Record {
            session_id: self.cx.session.id,
            request: self.request(),
            decision,
        }
    }

    /// Shows the offer for the reason chosen, best fit selected.
    fn show_offer(&mut self, reason: Reason) {
        self.reason = Some(reason);
        self.items = match self.by {
            CancelledBy::Client => self.cx.offer(reason),
            CancelledBy::Practitioner => vec![OfferItem {
                option: Alternative::Reschedule,
                availability: Availability::Available,
                why: "offer the client another time",
            }],
        };
        // The best fit the practice offers is selected, even when consent is still to be asked
        // for: recording verbal consent is one key away.
        self.selected = self
            .items
            .iter()
            .position(|i| i.availability != Availability::NotOffered)
            .unwrap_or(0);
        self.notice = None;
        self.step = Step::Offer;
    }

    /// Accepts the alternative at `index` of the offer.
    fn accept(&mut self, index: usize) -> DialogOutcome {
        let Some(item) = self.items.get(index).cloned() else {
            return DialogOutcome::Keep;
        };
        self.selected = index;
        self.notice = None;
        match (item.option, item.availability) {
            (Alternative::Reschedule, _) => {
                if self.slots.is_empty() {
                    self.notice = Some(format!(
                        "No free slot in office hours in the next {} days. Change office hours under Practice, or book with: caseload session cancel {} --reschedule \"YYYY-MM-DD HH:MM\".",
                        self.cx.settings.reschedule_horizon_days, self.cx.session.id
                    ));
                } else {
                    self.slot_selected = 0;
                    self.step = Step::Slots;
                }
            }
            (alt, Availability::Available) => {
                self.pending = Some(alt);
                self.verbal_consent = false;
                self.step = Step::Check;
            }
            (alt, Availability::NeedsConsent) => {
                self.pending = Some(alt);
                self.step = Step::Consent;
            }
            (alt, Availability::NotOffered) => {
                self.notice = Availability::NotOffered.note(alt);
            }
        }
        DialogOutcome::Keep
    }

    /// The way out of the offer without an alternative.
    fn decline(&mut self) {
        self.notice = None;
        self.step = Step::Confirm;
    }

    fn start_note(&mut self) {
        self.back_to = self.step;
        self.note_before = self.note.value().to_string();
        self.step = Step::Note;
    }

    /// Handles one key (already looked up in the step's keymap; `None` for typed text).
    pub fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> DialogOutcome {
        let step = self.step;
        let out = self.handle_step(action, key);
        if self.step != step {
            self.scroll.set(0);
        }
        out
    }

    /// Scrolls the dialog by `rows` (up when negative); drawing keeps it within the text.
    fn scroll_by(&self, rows: i32) {
        let to = i32::from(self.scroll.get()) + rows;
        self.scroll.set(to.clamp(0, i32::from(u16::MAX)) as u16);
    }

    fn handle_step(&mut self, action: Option<Action>, key: &KeyEvent) -> DialogOutcome {
        match action {
            Some(Action::PageDown) if self.step != Step::Note => {
                self.scroll_by(5);
                return DialogOutcome::Keep;
            }
            Some(Action::PageUp) if self.step != Step::Note => {
                self.scroll_by(-5);
                return DialogOutcome::Keep;
            }
            _ => {}
        }
        match self.step {
            Step::Who => match action {
                Some(Action::ByClient) => self.by = CancelledBy::Client,
                Some(Action::ByPractitioner) => self.by = CancelledBy::Practitioner,
                Some(Action::Pick(n)) => {
                    if let Some(r) = Reason::from_key(n) {
                        self.show_offer(r);
                    }
                }
                Some(Action::AddNote) => self.start_note(),
                Some(Action::Back) => return DialogOutcome::Close,
                _ => {}
            },
            Step::Offer => match action {
                // Past the last option, ↓ scrolls on to what follows it.
                Some(Action::Down) if self.selected + 1 >= self.items.len() => self.scroll_by(1),
                Some(Action::Down) => self.selected += 1,
                Some(Action::Up) if self.selected == 0 => self.scroll_by(-1),
                Some(Action::Up) => self.selected -= 1,
                Some(Action::Submit) => return self.accept(self.selected),
                Some(Action::Pick(n)) if n >= 1 => return self.accept(usize::from(n) - 1),
                Some(Action::CancelAnyway) => self.decline(),
                Some(Action::AddNote) => self.start_note(),
                Some(Action::Back) => {
                    self.notice = None;
                    self.step = Step::Who;
                }
                _ => {}
            },
            Step::Consent => match action {
                Some(Action::VerbalConsent) => {
                    self.verbal_consent = true;
                    self.step = Step::Check;
                }
                Some(Action::SkipConsent) | Some(Action::Back) => {
                    self.pending = None;
                    self.step = Step::Offer;
                }
                _ => {}
            },
            Step::Slots => match action {
                Some(Action::Down) if self.slot_selected + 1 >= self.slots.len() => {
                    self.scroll_by(1)
                }
                Some(Action::Down) => self.slot_selected += 1,
                Some(Action::Up) if self.slot_selected == 0 => self.scroll_by(-1),
                Some(Action::Up) => self.slot_selected -= 1,
                Some(Action::Submit) => {
                    if let Some(to) = self.slots.get(self.slot_selected).copied() {
                        return self.record(Decision::Reschedule { to });
                    }
                }
                Some(Action::Back) => self.step = Step::Offer,
                _ => {}
            },
            Step::Check => match action {
                Some(Action::Yes) => {
                    if let Some(to) = self.pending {
                        return self.record(Decision::Convert {
                            to,
                            verbal_consent: self.verbal_consent,
                            check: Some(RemoteCheck::ALL_YES),
                        });
                    }
                }
                Some(Action::No) => {
                    self.pending = None;
                    self.notice = Some(
                        "A remote session needs all three. Choose another option, or record the cancellation."
                            .into(),
                    );
                    self.step = Step::Offer;
                }
                _ => {}
            },
            Step::Confirm => match action {
                Some(Action::Submit) => {
                    return self.record(Decision::Decline { waive_fee: false });
                }
                Some(Action::WaiveFee) if self.late() => {
                    return self.record(Decision::Decline { waive_fee: true });
                }
                Some(Action::Back) => self.step = Step::Offer,
                _ => {}
            },
            Step::Note => match action {
                Some(Action::Submit) => self.step = self.back_to,
                Some(Action::Back) => {
                    self.note = Input::new(self.note_before.clone());
                    self.step = self.back_to;
                }
                _ => type_into(&mut self.note, key),
            },
        }
        DialogOutcome::Keep
    }

    // ---- drawing ------------------------------------------------------------------------------

    /// Draws the dialog; returns where the cursor belongs while typing a note.
    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        let width = 96;
        let (title, lines) = match self.step {
            Step::Who => (self.title(names), self.who_lines(theme, names)),
            Step::Offer | Step::Consent | Step::Slots | Step::Confirm => {
                let t = match self.by {
                    CancelledBy::Client => {
                        format!(
                            "Before you cancel · offer {} another way to attend",
                            names.client(&self.name)
                        )
                    }
                    CancelledBy::Practitioner => {
                        format!("You are cancelling · {}", self.session_line(names))
                    }
                };
                let body = match self.step {
                    Step::Consent => self.consent_lines(theme, names),
                    Step::Slots => self.slot_lines(theme, names),
                    Step::Confirm => self.confirm_lines(theme, names),
                    _ => self.offer_lines(theme, names),
                };
                (t, body)
            }
            Step::Check => {
                let what = match self.pending {
                    Some(Alternative::Video) => "Video session",
                    _ => "Phone session",
                };
                (
                    format!("{what} · quick check"),
                    self.check_lines(theme, names),
                )
            }
            Step::Note => (self.title(names), self.note_lines(theme, names)),
        };
        // The selected option (or slot) stays in view; the rest scrolls (PgDn / PgUp, or ↓
        // past the last option), the frame showing where the view is.
        let keep = match self.step {
            Step::Offer => lines
                .iter()
                .position(|l| l.spans.first().is_some_and(|s| s.content.starts_with('▶'))),
            Step::Slots => lines
                .iter()
                .position(|l| l.spans.first().is_some_and(|s| s.content.starts_with('▶'))),
            _ => None,
        };
        let (inner, top) = scrolled(
            area,
            width,
            &title,
            lines,
            View {
                scroll: self.scroll.get(),
                keep,
            },
            buf,
            theme,
        );
        self.scroll.set(top);
        if self.step == Step::Note {
            let x = inner.x + 8 + self.note.visual_cursor() as u16;
            return Some(Position::new(
                x.min(inner.right().saturating_sub(1)),
                inner.y,
            ));
        }
        None
    }

    fn session_line(&self, names: Names) -> String {
        let s = &self.cx.session;
        format!(
            "{} · {} · {}",
            names.client(&self.name),
            s.starts_at.format("%a %-d %b %H:%M"),
            s.modality.label().to_lowercase()
        )
    }

    fn title(&self, names: Names) -> String {
        let n = self.notice_hours();
        let when = if n >= 0.0 {
            format!("in {}", describe_notice(n))
        } else {
            describe_notice(n)
        };
        format!("Cancel · {} · {when}", self.session_line(names))
    }

    fn who_lines(&self, theme: &Theme, names: Names) -> Vec<Line<'static>> {
        let dot = |on: bool| if on { "●" } else { "○" };
        let mut lines = vec![Line::from(vec![
            Span::raw("Cancelled by:  "),
            Span::styled("(c)", theme.key),
            Span::raw(format!(
                " client {}   ",
                dot(self.by == CancelledBy::Client)
            )),
            Span::styled("(p)", theme.key),
            Span::raw(format!(
                " practitioner {}",
                dot(self.by == CancelledBy::Practitioner)
            )),
        ])];
        for (i, row) in Reason::ALL.chunks(5).enumerate() {
            let mut spans = vec![Span::raw(if i == 0 { "Why?  " } else { "      " })];
            for r in row {
                spans.push(Span::styled(r.key().to_string(), theme.key));
                spans.push(Span::raw(format!(" {}   ", r.label())));
            }
            lines.push(Line::from(spans));
        }
        self.note_line(&mut lines, theme, names);
        lines.push(Line::default());
        lines.push(hint_line(
            &[
                ("1–9 0", "reason"),
                ("c/p", "who"),
                ("n", "add a note"),
                ("Esc", "close, nothing recorded"),
            ],
            theme,
        ));
        lines
    }

    fn note_line(&self, lines: &mut Vec<Line<'static>>, theme: &Theme, _names: Names) {
        let v = self.note.value().trim();
        if !v.is_empty() {
            lines.push(Line::from(vec![
                Span::styled("Note: ", theme.muted),
                Span::raw(v.to_string()),
            ]));
        }
    }

    fn policy_words(&self) -> String {
        let window = self.cx.settings.cancellation_window_hours;
        let n = self.notice_hours();
        let notice = describe_notice(n);
        if self.by == CancelledBy::Practitioner {
            return format!("notice {notice} (your cancellation: no fee)");
        }
        match (window, self.late()) {
            (0, _) => format!("notice {notice}"),
            (w, true) => format!("notice {notice} (under the {w} h policy)"),
            (w, false) => format!("notice {notice} (within the {w} h policy)"),
        }
    }

    fn offer_lines(&self, theme: &Theme, names: Names) -> Vec<Line<'static>> {
        let reason = self.reason.unwrap_or(Reason::Other);
        let mut lines = vec![Line::from(format!(
            "Reason: {} · {}",
            reason.label(),
            self.policy_words()
        ))];
        self.note_line(&mut lines, theme, names);
        if !self.cx.barriers.is_empty() {
            lines.push(Line::from(Span::styled(
                format!(
                    "From the needs assessment: {} finds it hard to attend because of {}.",
                    names.first(&self.name),
                    self.cx.barriers.join(", ").to_lowercase()
                ),
                theme.muted,
            )));
        }
        lines.push(Line::default());
        let start = self.cx.session.starts_at.format("%H:%M").to_string();
        for (i, item) in self.items.iter().enumerate() {
            let sel = i == self.selected;
            let marker = if sel { "▶" } else { " " };
            let label = match item.option {
                Alternative::Phone => format!("Phone session at {start}"),
                Alternative::Video => format!("Video session at {start}"),
                Alternative::Reschedule => "Reschedule".to_string(),
            };
            let available = item.availability.is_available();
            let style = if sel {
                theme.selected
            } else if available {
                theme.base
            } else {
                theme.muted
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{marker} "), style),
                Span::styled(format!("{} ", i + 1), theme.key),
                Span::styled(format!(" {label:<25}"), style),
                Span::styled(item.why.to_string(), style),
            ]));
            let detail = match (item.option, item.availability) {
                (_, Availability::NotOffered) => Availability::NotOffered
                    .note(item.option)
                    .unwrap_or_default(),
                (Alternative::Phone, a) => {
                    let phone = match &self.cx.client_phone {
                        Some(p) => format!("{}'s phone {p}", names.first(&self.name)),
                        None => "no phone number on file".to_string(),
                    };
                    format!("{phone} · {}", self.consent_words(a))
                }
                (Alternative::Video, a) => {
                    let link = match self.cx.settings.video_link.trim() {
                        "" => "no video link set (Practice)".to_string(),
                        l => format!("link: {l}"),
                    };
                    format!("{link} · {}", self.consent_words(a))
                }
                (Alternative::Reschedule, _) => {
                    if self.slots.is_empty() {
                        "no free slot in office hours soon".to_string()
                    } else {
                        let mut shown: Vec<String> = self
                            .slots
                            .iter()
                            .take(3)
                            .map(|t| t.format("%a %-d %H:%M").to_string())
                            .collect();
                        if self.slots.len() > 3 {
                            shown.push("more…".into());
                        }
                        shown.join(" · ")
                    }
                }
            };
            lines.push(Line::from(Span::styled(
                format!("       {detail}"),
                theme.muted,
            )));
        }
        let record = if self.late() {
            match self.cx.settings.late_fee_text.trim() {
                "" => "late cancellation".to_string(),
                _ => "late-cancellation fee applies (can be waived)".to_string(),
            }
        } else if self.by == CancelledBy::Practitioner {
            "never a late cancellation when it is you".to_string()
        } else {
            "in time: no fee".to_string()
        };
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled("x", theme.key),
            Span::raw(format!("  {:<25}", "Record the cancellation")),
            Span::styled(record, theme.muted),
        ]));
        if let Some(p) = reason.prompt().filter(|_| self.by == CancelledBy::Client) {
            lines.push(Line::from(Span::styled(p.to_string(), theme.warn)));
        }
        if let Some(n) = &self.notice {
            lines.push(Line::from(Span::styled(n.clone(), theme.error)));
        }
        lines.push(Line::default());
        let n = self.items.len();
        let choose = if n > 1 {
            format!("1–{n}")
        } else {
            "1".to_string()
        };
        lines.push(hint_line(
            &[
                ("Enter", "accept"),
                (&choose, "choose"),
                ("x", "cancel anyway"),
                ("n", "add a note"),
                ("Esc", "back"),
            ],
            theme,
        ));
        lines
    }

    fn consent_words(&self, a: Availability) -> String {
        let date = self
            .cx
            .consent_date
            .map(|d| format!(" ({})", d.format("%-d %b %Y")))
            .unwrap_or_default();
        match a {
            Availability::Available => format!(
                "consent on file: {}{date}",
                self.cx.consent.label().to_lowercase()
            ),
            _ => "no consent on file yet (verbal consent can be recorded)".to_string(),
        }
    }

    fn consent_lines(&self, theme: &Theme, names: Names) -> Vec<Line<'static>> {
        let what = match self.pending {
            Some(Alternative::Video) => "video",
            _ => "phone",
        };
        vec![
            Line::from(format!(
                "{} has not consented to {what} sessions yet.",
                names.client(&self.name)
            )),
            Line::from(format!(
                "If {} agrees now, record the verbal consent: it is kept on the client's record, dated {}.",
                names.first(&self.name),
                self.now.format("%-d %b %Y")
            )),
            Line::default(),
            hint_line(
                &[
                    ("v", "record verbal consent"),
                    ("s", "skip (back to the options)"),
                ],
                theme,
            ),
        ]
    }

    fn slot_lines(&self, theme: &Theme, names: Names) -> Vec<Line<'static>> {
        let s = &self.cx.session;
        let mut lines = vec![Line::from(format!(
            "Move {}'s {} session ({} min) to a free slot in office hours:",
            names.first(&self.name),
            s.starts_at.format("%a %-d %b %H:%M"),
            s.minutes
        ))];
        lines.push(Line::default());
        for (i, t) in self.slots.iter().enumerate() {
            let sel = i == self.slot_selected;
            let style = if sel { theme.selected } else { theme.base };
            lines.push(Line::from(Span::styled(
                format!(
                    "{} {}",
                    if sel { "▶" } else { " " },
                    t.format("%a %-d %b %H:%M")
                ),
                style,
            )));
        }
        lines.push(Line::default());
        lines.push(hint_line(
            &[("↑↓ j k", "move"), ("Enter", "reschedule"), ("Esc", "back")],
            theme,
        ));
        lines
    }

    fn check_lines(&self, theme: &Theme, names: Names) -> Vec<Line<'static>> {
        let first = names.first(&self.name);
        let mut lines = vec![Line::from(format!(
            "{first} is somewhere private, is not driving, and is where you may work with them."
        ))];
        if self.verbal_consent {
            lines.push(Line::from(Span::styled(
                "Verbal consent will be recorded with today's date.",
                theme.muted,
            )));
        }
        lines.push(Line::default());
        lines.push(hint_line(
            &[
                ("y", "yes, all three"),
                ("n", "not all (choose another option)"),
            ],
            theme,
        ));
        lines
    }

    fn confirm_lines(&self, theme: &Theme, names: Names) -> Vec<Line<'static>> {
        let reason = self.reason.unwrap_or(Reason::Other);
        let s = &self.cx.session;
        let mut lines = vec![Line::from(format!(
            "Record the cancellation of {}'s {} session · {} · {}",
            names.first(&self.name),
            s.starts_at.format("%a %-d %b %H:%M"),
            reason.label(),
            self.policy_words()
        ))];
        self.note_line(&mut lines, theme, names);
        lines.push(Line::default());
        if self.late() {
            lines.push(Line::from(Span::styled(
                "This is a late cancellation.",
                theme.warn,
            )));
            let fee = self.cx.settings.late_fee_text.trim();
            if !fee.is_empty() {
                lines.push(Line::from(format!("Fee: {fee}")));
            }
            lines.push(Line::default());
            lines.push(hint_line(
                &[
                    ("Enter", "record, fee applies"),
                    ("w", "record and waive the fee"),
                    ("Esc", "back to the options"),
                ],
                theme,
            ));
        } else {
            lines.push(hint_line(
                &[("Enter", "record it"), ("Esc", "back to the options")],
                theme,
            ));
        }
        lines
    }

    fn note_lines(&self, theme: &Theme, _names: Names) -> Vec<Line<'static>> {
        vec![
            Line::from(vec![
                Span::styled("Note:   ", theme.muted),
                Span::styled(format!("{:<80}", self.note.value()), theme.input),
            ]),
            Line::default(),
            hint_line(&[("Enter", "keep the note"), ("Esc", "undo")], theme),
        ]
    }
}

fn hint_line(hints: &[(&str, &str)], theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, (k, h)) in hints.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme.muted));
        }
        spans.push(Span::styled(k.to_string(), theme.key));
        spans.push(Span::styled(format!(" {h}"), theme.muted));
    }
    Line::from(spans)
}

fn type_into(input: &mut Input, key: &KeyEvent) {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let req = match key.code {
        KeyCode::Char('w') if ctrl => InputRequest::DeletePrevWord,
        KeyCode::Char(_) if ctrl => return,
        KeyCode::Char(c) => InputRequest::InsertChar(c),
        KeyCode::Backspace => InputRequest::DeletePrevChar,
        KeyCode::Delete => InputRequest::DeleteNextChar,
        KeyCode::Left => InputRequest::GoToPrevChar,
        KeyCode::Right => InputRequest::GoToNextChar,
        KeyCode::Home => InputRequest::GoToStart,
        KeyCode::End => InputRequest::GoToEnd,
        _ => return,
    };
    if input.value().chars().count() >= crate::domain::cancellation::MAX_NOTE_CHARS
        && matches!(req, InputRequest::InsertChar(_))
    {
        return;
    }
    let _ = input.handle(req);
}

// ---- on the dialog stack -------------------------------------------------------------------

impl Dialog for CancelDialog {
    fn context(&self) -> Context {
        CancelDialog::context(self)
    }

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        match CancelDialog::handle(self, action, key) {
            DialogOutcome::Keep => Outcome::Keep,
            DialogOutcome::Close => Outcome::Close,
            DialogOutcome::Record {
                session_id,
                request,
                decision,
            } => Outcome::Apply(Apply::RecordCancellation {
                session_id,
                request,
                decision,
            }),
        }
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        CancelDialog::render(self, area, buf, theme, names)
    }
}
