//! Dialogs: everything drawn over a screen that takes the keys while it is up.
//!
//! Every dialog implements one small trait, [`Dialog`]: its key context (which drives the key
//! hints and the `?` help), `handle` (a key → [`Outcome`]: keep, close, apply a value, or open
//! another dialog) and `render` (every client name through [`Names`]). The app keeps them on
//! one stack, [`Layers`], drawn bottom to top; only the top one gets keys.
//!
//! How to add a dialog: write one file here with the dialog's state and `impl Dialog for …`
//! (a form implements [`FormHost`] instead — its form, what Enter submits, and `draw` if it is not
//! an 80-column popup — and is a dialog through the one impl below), declare it with `mod` and `pub use` below,
//! and push it with `app.popups.push(MyDialog::new(…))`. Give it a key context and table in
//! `tui/keymap` only if its keys are new. If it closes with a value, add an [`Apply`] variant and
//! its arm in `tui/app/apply.rs` (the store write, then `after_write`). A dialog meant for the
//! client's eyes returns true from [`Dialog::client_facing`] and gets the whole screen.

mod alert_review;
mod booking_form;
mod cancel;
mod clash;
mod client_form;
mod client_picker;
mod confirm;
mod discharge;
mod document;
mod form_dialog;
#[cfg(test)]
mod form_tests;
mod help;
mod instrument_picker;
mod jump_to;
// Money (issue 17).
mod payment;
mod practice_settings;
#[cfg(test)]
mod questionnaire_tests;
mod rating;
mod recommendation;
mod review;
mod runner;
mod services;
mod session_detail;
mod status_picker;

pub use alert_review::AlertReview;
pub use booking_form::BookingForm;
pub use cancel::{CancelDialog, DialogOutcome, SLOTS_PER_DAY, SLOTS_SHOWN, Step};
pub use clash::ClashDialog;
pub use client_form::ClientForm;
pub use client_picker::ClientPicker;
pub use confirm::Confirm;
pub use discharge::{DischargeConfirm, DischargeReasonPicker};
pub use document::DocumentView;
pub use form_dialog::{FormDialog, FormKind};
pub use help::Help;
pub use instrument_picker::InstrumentPicker;
pub use jump_to::JumpTo;
pub use payment::{MoneyApply, PaymentForm, PaymentInput};
pub use practice_settings::SettingsForm;
pub use rating::RatingDialog;
pub use recommendation::{RecommendationCard, saved_message};
pub use review::{ConfirmRemoveQa, ReviewDialog};
pub use runner::Runner;
pub use services::{RetireConfirm, ServiceForm, ServicesDialog};
pub use session_detail::SessionDetail;
pub use status_picker::StatusPicker;

use std::any::Any;

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};
use tui_input::{Input, InputRequest};

use crate::domain::ValidationError;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::names::Names;
use crate::tui::theme::Theme;

/// One dialog on the stack.
pub trait Dialog: Any {
    /// Which key table reads keys while this dialog is on top.
    fn context(&self) -> Context;
    /// One key, already looked up in the table (`None` for a typed character).
    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome;
    /// Draws the dialog over `area`; returns where the terminal cursor belongs, if anywhere.
    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names)
    -> Option<Position>;
    /// Meant for the client's eyes: drawn alone on the whole screen.
    fn client_facing(&self) -> bool {
        false
    }
    /// Shows what is wrong with what was typed (a form whose value the store refused).
    fn show_errors(&mut self, _e: &ValidationError) {}
}

/// The dialogs over the screen, bottom first: drawn in order, the top one fed the keys.
#[derive(Default)]
pub struct Layers {
    stack: Vec<Box<dyn Dialog>>,
}

impl Layers {
    pub fn push(&mut self, d: impl Dialog) {
        self.stack.push(Box::new(d));
    }

    pub fn push_boxed(&mut self, d: Box<dyn Dialog>) {
        self.stack.push(d);
    }

    pub fn pop(&mut self) -> Option<Box<dyn Dialog>> {
        self.stack.pop()
    }

    pub fn last(&self) -> Option<&dyn Dialog> {
        self.stack.last().map(|d| d.as_ref())
    }

    pub fn last_mut(&mut self) -> Option<&mut (dyn Dialog + 'static)> {
        self.stack.last_mut().map(|d| d.as_mut())
    }

    /// The top dialog, if it is a `T`.
    pub fn top<T: Dialog>(&self) -> Option<&T> {
        let d: &dyn Any = self.stack.last()?.as_ref();
        d.downcast_ref::<T>()
    }

    /// The top dialog, if it is a `T`, to change it.
    pub fn top_mut<T: Dialog>(&mut self) -> Option<&mut T> {
        let d: &mut dyn Any = self.stack.last_mut()?.as_mut();
        d.downcast_mut::<T>()
    }

    /// Whether the top dialog is a `T`.
    pub fn top_is<T: Dialog>(&self) -> bool {
        self.top::<T>().is_some()
    }

    /// Every `T` on the stack, bottom first, to change it.
    pub fn each_mut<T: Dialog>(&mut self) -> impl Iterator<Item = &mut T> {
        self.stack.iter_mut().filter_map(|d| {
            let d: &mut dyn Any = d.as_mut();
            d.downcast_mut::<T>()
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = &dyn Dialog> {
        self.stack.iter().map(|d| d.as_ref())
    }

    pub fn len(&self) -> usize {
        self.stack.len()
    }

    pub fn is_empty(&self) -> bool {
        self.stack.is_empty()
    }
}

/// What a dialog asks the app to do after a key.
pub enum Outcome {
    /// Stay open.
    Keep,
    /// Open another dialog above this one.
    Push(Box<dyn Dialog>),
    /// Close without doing anything.
    Close,
    /// Apply this and close (the app may keep the dialog open if applying fails).
    Apply(Apply),
    /// Close this dialog and open another in its place.
    Replace(Box<dyn Dialog>),
    /// Quit the app (q in the help).
    Quit,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Apply {
    SaveClient {
        id: Option<i64>,
        input: Box<crate::domain::client::ClientInput>,
    },
    SetStatus {
        id: i64,
        status: crate::domain::client::ClientStatus,
    },
    /// The answer to a question asked by another dialog.
    Confirmed(Question),
    /// A client chosen to book for.
    PickClient { id: i64, name: String },
    /// Book (even on top of another session when `force`).
    Book {
        req: crate::store::session::BookingRequest,
        force: bool,
    },
    /// Show this day.
    JumpTo(chrono::NaiveDate),
    /// Save the practice's cancellation settings.
    SavePracticeSettings(Box<crate::domain::cancellation::PracticeSettings>),
    /// Record a cancellation request and its decision.
    RecordCancellation {
        session_id: i64,
        request: crate::domain::cancellation::Request,
        decision: crate::domain::cancellation::Decision,
    },
    /// A write asked for by a working-relationship dialog.
    Rel(Box<RelApply>),
    /// Mark an alert reviewed with a note.
    ReviewAlert { id: i64, note: String },
    SaveAssessment {
        client_id: i64,
        instrument: String,
        answers: Vec<i64>,
    },
    ChooseModel {
        client_id: i64,
        model: crate::domain::engagement::EngagementModel,
        reason: Option<String>,
    },
    /// A write asked for by a money dialog (payments, services).
    Money(Box<MoneyApply>),
    /// Put a legal hold on a client's record (issue 18).
    HoldRecord { client_id: i64, reason: String },
    /// Release a client's legal hold.
    ReleaseHold { client_id: i64 },
}

/// Questions a confirm dialog can ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    DiscardForm,
    /// Sign the note open in the note editor.
    SignNote,
    /// Give up the addendum being written.
    DiscardAddendum,
}

/// A write (or file) the app carries out for a dialog.
#[derive(Debug, Clone, PartialEq)]
pub enum RelApply {
    MarkHandoutGiven {
        client_id: i64,
    },
    /// Write a printable page beside the practice file.
    WritePage {
        file_name: String,
        html: String,
    },
    AddGoal {
        client_id: i64,
        text: String,
        set_on: String,
        target_on: String,
    },
    RateGoals {
        client_id: i64,
        ratings: Vec<(i64, u8)>,
        session_id: Option<i64>,
    },
    GoalStatus {
        goal_id: i64,
        status: crate::domain::goal::GoalStatus,
    },
    AddBoundary {
        client_id: i64,
        kind: crate::domain::boundary::BoundaryKind,
        at: String,
        note: String,
    },
    /// Check the discharge details and, if they pass, go on to the confirmation.
    CheckDischarge {
        client_id: i64,
        input: crate::domain::discharge::DischargeInput,
    },
    Discharge {
        client_id: i64,
        fields: crate::domain::discharge::DischargeFields,
    },
    Review {
        client_id: i64,
        choice: crate::domain::signals::ReviewChoice,
        /// What was decided, in the practitioner's words (may be empty).
        note: String,
    },
    OpenGoalForm {
        client_id: i64,
    },
    OpenRating {
        client_id: i64,
    },
    SaveProfile {
        profile: Box<crate::domain::practice::PracticeProfile>,
        channels: String,
    },
    SaveQa {
        id: Option<i64>,
        question: String,
        answer: String,
    },
    MoveQa {
        id: i64,
        to: usize,
    },
    /// Ask before removing a question.
    AskRemoveQa {
        id: i64,
        question: String,
    },
    RemoveQa {
        id: i64,
    },
    AddConsult {
        input: crate::domain::boundary::ConsultInput,
    },
}

/// A dialog that is one form. Its keys are handled in one place, [`form_keys`]: Enter checks
/// and applies, Esc leaves, everything else edits the form.
pub(crate) trait FormHost {
    fn form(&self) -> &crate::tui::widgets::form::Form;
    fn form_mut(&mut self) -> &mut crate::tui::widgets::form::Form;
    /// Enter: what to do with the form's values, or what is wrong with them (shown on it).
    fn submit(&self) -> Result<Outcome, ValidationError>;
    /// Whether Esc asks before throwing typing away (else it closes at once).
    fn asks_before_leaving(&self) -> bool {
        true
    }
    /// Draws the form: by default a popup 80 columns wide.
    fn draw(&self, area: Rect, buf: &mut Buffer, theme: &Theme, names: Names) -> Option<Position> {
        self.form().render_popup(area, 80, buf, theme, names)
    }
}

/// Every form is a dialog the same way: its keys go through [`form_keys`], it draws with
/// [`FormHost::draw`], and what the store refuses is shown under the fields.
impl<T: FormHost + 'static> Dialog for T {
    fn context(&self) -> Context {
        Context::Form
    }

    fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        form_keys(self, action, key)
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        names: Names,
    ) -> Option<Position> {
        self.draw(area, buf, theme, names)
    }

    fn show_errors(&mut self, e: &ValidationError) {
        self.form_mut().show_errors(e);
    }
}

/// One key for a form dialog (see [`FormHost`]).
pub(crate) fn form_keys(d: &mut impl FormHost, action: Option<Action>, key: &KeyEvent) -> Outcome {
    use crate::tui::widgets::form::FormKey;
    match d.form_mut().handle(action, key) {
        FormKey::Submit => match d.submit() {
            Ok(outcome) => outcome,
            Err(e) => {
                d.form_mut().show_errors(&e);
                Outcome::Keep
            }
        },
        FormKey::Back if d.asks_before_leaving() => leave_form(d.form()),
        FormKey::Back => Outcome::Close,
        FormKey::Edited => Outcome::Keep,
    }
}

/// Leaving a form: closed at once when nothing was typed, else a question first.
pub(crate) fn leave_form(form: &crate::tui::widgets::form::Form) -> Outcome {
    if form.dirty {
        Outcome::Push(Box::new(Confirm::discard_form()))
    } else {
        Outcome::Close
    }
}

/// A write a working-relationship dialog asks for, as an [`Outcome`].
pub fn rel(a: RelApply) -> Outcome {
    Outcome::Apply(Apply::Rel(Box::new(a)))
}

/// Types a key into a one-line input; true when the text changed.
pub(crate) fn type_into(input: &mut Input, key: &KeyEvent) -> bool {
    let req = match key.code {
        KeyCode::Char(c) => InputRequest::InsertChar(c),
        KeyCode::Backspace => InputRequest::DeletePrevChar,
        KeyCode::Delete => InputRequest::DeleteNextChar,
        KeyCode::Left => InputRequest::GoToPrevChar,
        KeyCode::Right => InputRequest::GoToNextChar,
        _ => return false,
    };
    input.handle(req).is_some_and(|r| r.value)
}

/// A bar of `width` cells, `done` of `total` filled.
pub fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0).min(width);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}
