//! The key tables: one per context, one binding per line (keys, action, status-bar hint, help).
//! The mechanism that reads them is in `mod.rs`; adding a key is adding a line here.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::{Binding, Key, b, code, ctrl, down, k, up};
use crate::tui::action::{Action, ScreenId};

/// Ctrl-C quits from anywhere (a note being written is saved first).
pub(super) const QUIT: Binding = b(&[ctrl('c')], Action::Quit, "", "Quit");

pub(super) const GLOBAL: &[Binding] = &[
    b(&[k('1')], Action::Go(ScreenId::Today), "", "Today"),
    b(&[k('2')], Action::Go(ScreenId::Clients), "", "Clients"),
    b(&[k('3')], Action::Go(ScreenId::Agenda), "", "Agenda"),
    b(&[k('4')], Action::Go(ScreenId::Reports), "", "Reports"),
    b(&[k('5')], Action::Go(ScreenId::Practice), "", "Practice"),
    b(&[code(KeyCode::Tab)], Action::NextScreen, "", "Next screen"),
    b(&[code(KeyCode::BackTab), Key(KeyCode::BackTab, KeyModifiers::SHIFT)], Action::PrevScreen, "", "Previous screen"),
    b(&[k('?')], Action::Help, "help", "Show this help"),
    b(&[k('q'), ctrl('c')], Action::Quit, "quit", "Quit (Ctrl-C works everywhere)"),
    b(&[ctrl('g')], Action::TogglePrivacy, "", "Privacy: client names as initials, or in full again (works everywhere)"),
    b(&[ctrl('l')], Action::Lock, "", "Lock the screen (works everywhere)"),
];

pub(super) const LIST_MOVES: [Binding; 6] = [
    down("Move down"),
    up("Move up"),
    b(&[code(KeyCode::PageDown), ctrl('d')], Action::PageDown, "", "Page down"),
    b(&[code(KeyCode::PageUp), ctrl('u')], Action::PageUp, "", "Page up"),
    b(&[k('g'), code(KeyCode::Home)], Action::Top, "", "First"),
    b(&[k('G'), code(KeyCode::End)], Action::Bottom, "", "Last"),
];

/// One key for each outcome of the selected session, on Today and a client's Sessions tab.
pub(super) const MARKS: [Binding; 4] = [
    b(&[k('a')], Action::MarkAttended, "attended", "Mark the selected session attended"),
    b(&[k('l')], Action::MarkLate, "late", "Mark it attended, arrived late"),
    b(&[k('n')], Action::MarkNoShow, "no-show", "Mark it a no-show"),
    b(&[k('u')], Action::MarkScheduled, "undo", "Undo the outcome, or revert a cancellation (back to scheduled)"),
];

pub(super) const TODAY_WELCOME: &[Binding] = &[b(&[k('a')], Action::AddClient, "add client", "Add a client")];

pub(super) const TODAY: &[Binding] = &[
    MARKS[0],
    MARKS[1],
    MARKS[2],
    MARKS[3],
    b(&[k('[')], Action::PrevDay, "", "Previous day"),
    b(&[k(']')], Action::NextDay, "day", "Next day ([ previous)"),
    b(&[k('t')], Action::ThisDay, "", "Back to today"),
    b(&[k('b')], Action::BookSession, "book", "Book a session"),
    b(&[k('B')], Action::AddBoundary, "", "Log a boundary incident for the selected session's client"),
    b(&[k('c')], Action::CancelSession, "cancel…", "Cancel the selected session (offers another way to attend first)"),
    b(&[k('e')], Action::OpenNote, "note", "Write the selected session's note (or read it once signed)"),
    b(&[k('p')], Action::RecordPayment, "", "Record a payment from this session's client"),
    b(&[code(KeyCode::Enter)], Action::Open, "open", "Open: a session's detail, or where a needs-attention item points"),
    b(&[code(KeyCode::Right)], Action::PaneRight, "", "Go to the needs-attention list"),
    b(&[code(KeyCode::Left)], Action::PaneLeft, "", "Go to the day's sessions"),
    LIST_MOVES[0],
    LIST_MOVES[1],
    LIST_MOVES[4],
    LIST_MOVES[5],
];

pub(super) const AGENDA: &[Binding] = &[
    b(&[k('h')], Action::PrevWeek, "", "Previous week"),
    b(&[k('l')], Action::NextWeek, "week", "Next week (h previous)"),
    down("Next session"),
    up("Previous session"),
    b(&[k('t')], Action::ThisDay, "", "This week"),
    b(&[k('g')], Action::JumpTo, "go to", "Go to a date: YYYY-MM-DD, today, tomorrow, a weekday"),
    b(&[k('a')], Action::BookSession, "book", "Book a session"),
    b(&[code(KeyCode::Enter)], Action::Open, "detail", "The selected session's detail"),
    b(&[k('c')], Action::CancelSession, "cancel…", "Cancel the selected session (offers another way to attend first)"),
];

pub(super) const CLIENTS: &[Binding] = &[
    LIST_MOVES[0],
    LIST_MOVES[1],
    LIST_MOVES[2],
    LIST_MOVES[3],
    LIST_MOVES[4],
    LIST_MOVES[5],
    b(&[k('/')], Action::Filter, "filter", "Filter by name (fuzzy)"),
    b(&[k('f'), code(KeyCode::Right)], Action::NextStatusFilter, "status filter", "Show the next status: active, on hold, discharged, referred out, all"),
    b(&[k('F'), code(KeyCode::Left)], Action::PrevStatusFilter, "", "Show the previous status"),
    b(&[k('a')], Action::AddClient, "add", "Add a client"),
    b(&[code(KeyCode::Enter)], Action::Open, "open", "Open the selected client: sessions, notes, assessments"),
    b(&[k('e')], Action::EditClient, "edit", "Edit the selected client"),
    b(&[k('s')], Action::ChangeStatus, "status…", "Change the selected client's status"),
    b(&[k('A')], Action::Assess, "assess", "Assess the selected client (engagement first; Enter or a number starts it)"),
    b(&[k('v')], Action::ViewAssessments, "results", "View the selected client's assessment results over time"),
    b(&[k('H')], Action::Handout, "handout", "The selected client's expectations handout"),
    b(&[k('o')], Action::Goals, "goals", "Goals and progress ratings"),
    b(&[k('b')], Action::AddBoundary, "", "Log a boundary incident"),
    b(&[k('R')], Action::Review, "", "Review signals and record what you chose"),
    b(&[k('D')], Action::Discharge, "", "End care: discharge or refer on"),
    b(&[code(KeyCode::Esc)], Action::Back, "", "Clear the filter"),
];

pub(super) const CLIENTS_FILTER: &[Binding] = &[
    b(&[code(KeyCode::Enter)], Action::Submit, "keep filter", "Keep the filter and go back to the list"),
    b(&[code(KeyCode::Esc)], Action::Back, "clear", "Clear the filter"),
    b(&[code(KeyCode::Down)], Action::Down, "", "Move down"),
    b(&[code(KeyCode::Up)], Action::Up, "", "Move up"),
    QUIT,
];

pub(super) const REPORTS: &[Binding] = &[
    b(&[k('[')], Action::PrevMonth, "", "Previous month"),
    b(&[k(']')], Action::NextMonth, "month", "Next month ([ previous)"),
    b(&[k('t')], Action::ThisMonth, "this month", "Back to this month"),
    b(&[k('y')], Action::YearView, "12 months", "Switch between the month and the twelve months ending with it"),
    b(&[k('i')], Action::IncomeView, "income", "Income: charged, collected and still owed, month by month"),
    b(&[code(KeyCode::Enter)], Action::Open, "open client", "Open the selected client"),
    LIST_MOVES[0],
    LIST_MOVES[1],
    LIST_MOVES[4],
    LIST_MOVES[5],
];

pub(super) const FORM: &[Binding] = &[
    b(&[code(KeyCode::Tab), code(KeyCode::Down)], Action::NextField, "next field", "Next field"),
    b(&[code(KeyCode::BackTab), Key(KeyCode::BackTab, KeyModifiers::SHIFT), code(KeyCode::Up)], Action::PrevField, "", "Previous field"),
    b(&[ctrl('n'), Key(KeyCode::Char(' '), KeyModifiers::CONTROL)], Action::ChoiceNext, "", "Next choice (or Space / → on a choice)"),
    b(&[ctrl('p')], Action::ChoicePrev, "", "Previous choice (or ← on a choice)"),
    b(&[code(KeyCode::Enter), ctrl('s')], Action::Submit, "save", "Save"),
    b(&[code(KeyCode::Esc)], Action::Back, "cancel", "Cancel (asks first if anything changed)"),
    QUIT,
];

pub(super) const PICKER: &[Binding] = &[
    down("Move down"),
    up("Move up"),
    b(&[k('1')], Action::Pick(1), "", "Choose 1"),
    b(&[k('2')], Action::Pick(2), "", "Choose 2"),
    b(&[k('3')], Action::Pick(3), "", "Choose 3"),
    b(&[k('4')], Action::Pick(4), "", "Choose 4"),
    b(&[k('5')], Action::Pick(5), "", "Choose 5"),
    b(&[k('6')], Action::Pick(6), "", "Choose 6"),
    b(&[k('7')], Action::Pick(7), "", "Choose 7"),
    b(&[k('8')], Action::Pick(8), "", "Choose 8"),
    b(&[k('9')], Action::Pick(9), "", "Choose 9"),
    b(&[code(KeyCode::Enter)], Action::Submit, "choose", "Choose the selected one"),
    b(&[code(KeyCode::Esc), k('q')], Action::Back, "back", "Close without changing anything"),
    QUIT,
];

pub(super) const CONFIRM: &[Binding] = &[
    b(&[k('y')], Action::Yes, "yes", "Yes"),
    b(&[k('n'), code(KeyCode::Esc)], Action::No, "no", "No, go back"),
    QUIT,
];

pub(super) const BOOKING_CLASH: &[Binding] = &[
    b(&[k('y')], Action::Yes, "book anyway", "Book anyway, on top of the sessions listed"),
    b(&[k('n'), code(KeyCode::Esc)], Action::No, "another time", "Back to the form, on the time"),
    b(&[k('1')], Action::Pick(1), "", "Book at the first free time"),
    b(&[k('2')], Action::Pick(2), "", "Book at the second free time"),
    b(&[k('3')], Action::Pick(3), "", "Book at the third free time"),
    b(&[k('4')], Action::Pick(4), "", "Book at the fourth free time"),
    down("Scroll down"),
    up("Scroll up"),
    QUIT,
];

pub(super) const HELP: &[Binding] = &[
    b(&[code(KeyCode::Esc), k('?')], Action::Back, "close", "Close the help"),
    down("Scroll down"),
    up("Scroll up"),
    b(&[k('q'), ctrl('c')], Action::Quit, "quit", "Quit"),
];

pub(super) const CANCEL_WHO: &[Binding] = &[
    b(&[k('1')], Action::Pick(1), "", "Reason: work"),
    b(&[k('2')], Action::Pick(2), "", "Reason: child or family care"),
    b(&[k('3')], Action::Pick(3), "", "Reason: own illness"),
    b(&[k('4')], Action::Pick(4), "", "Reason: travel"),
    b(&[k('5')], Action::Pick(5), "", "Reason: transport or weather"),
    b(&[k('6')], Action::Pick(6), "", "Reason: forgot"),
    b(&[k('7')], Action::Pick(7), "", "Reason: cost"),
    b(&[k('8')], Action::Pick(8), "", "Reason: schedule conflict"),
    b(&[k('9')], Action::Pick(9), "", "Reason: feeling better"),
    b(&[k('0')], Action::Pick(0), "", "Reason: other"),
    b(&[k('c')], Action::ByClient, "client", "The client is cancelling (the default)"),
    b(&[k('p')], Action::ByPractitioner, "you", "You are cancelling"),
    b(&[k('n')], Action::AddNote, "note", "Add a note"),
    b(&[code(KeyCode::Esc)], Action::Back, "close", "Close; nothing is recorded"),
    b(&[code(KeyCode::PageDown)], Action::PageDown, "", "Scroll down, when the dialog is taller than the screen"),
    b(&[code(KeyCode::PageUp)], Action::PageUp, "", "Scroll up"),
    QUIT,
];

pub(super) const CANCEL_OFFER: &[Binding] = &[
    b(&[code(KeyCode::Enter)], Action::Submit, "accept", "Accept the selected alternative"),
    b(&[k('1')], Action::Pick(1), "", "Choose the first alternative"),
    b(&[k('2')], Action::Pick(2), "", "Choose the second alternative"),
    b(&[k('3')], Action::Pick(3), "", "Choose the third alternative"),
    down("Move down"),
    up("Move up"),
    b(&[k('x')], Action::CancelAnyway, "cancel anyway", "Record the cancellation anyway"),
    b(&[k('n')], Action::AddNote, "note", "Add a note"),
    b(&[code(KeyCode::Esc)], Action::Back, "back", "Back to who and why"),
    b(&[code(KeyCode::PageDown)], Action::PageDown, "", "Scroll down, when the dialog is taller than the screen"),
    b(&[code(KeyCode::PageUp)], Action::PageUp, "", "Scroll up"),
    QUIT,
];

pub(super) const CANCEL_CONSENT: &[Binding] = &[
    b(&[k('v')], Action::VerbalConsent, "record verbal consent", "Record the client's verbal consent, dated today"),
    b(&[k('s'), code(KeyCode::Esc)], Action::SkipConsent, "skip", "Skip: back to the options"),
    b(&[code(KeyCode::PageDown)], Action::PageDown, "", "Scroll down, when the dialog is taller than the screen"),
    b(&[code(KeyCode::PageUp)], Action::PageUp, "", "Scroll up"),
    QUIT,
];

pub(super) const CANCEL_SLOTS: &[Binding] = &[
    down("Next free slot"),
    up("Previous free slot"),
    b(&[code(KeyCode::Enter)], Action::Submit, "reschedule", "Reschedule to the selected slot"),
    b(&[code(KeyCode::Esc)], Action::Back, "back", "Back to the options"),
    b(&[code(KeyCode::PageDown)], Action::PageDown, "", "Scroll down, when the dialog is taller than the screen"),
    b(&[code(KeyCode::PageUp)], Action::PageUp, "", "Scroll up"),
    QUIT,
];

pub(super) const CANCEL_CHECK: &[Binding] = &[
    b(&[k('y')], Action::Yes, "yes, all three", "Private place, not driving, where you may work with them"),
    b(&[k('n'), code(KeyCode::Esc)], Action::No, "not all", "Not all three: choose another option"),
    b(&[code(KeyCode::PageDown)], Action::PageDown, "", "Scroll down, when the dialog is taller than the screen"),
    b(&[code(KeyCode::PageUp)], Action::PageUp, "", "Scroll up"),
    QUIT,
];

pub(super) const CANCEL_CONFIRM: &[Binding] = &[
    b(&[code(KeyCode::Enter)], Action::Submit, "record", "Record the cancellation (a late fee applies if late)"),
    b(&[k('w')], Action::WaiveFee, "waive fee", "Record a late cancellation and waive the fee"),
    b(&[code(KeyCode::Esc)], Action::Back, "back", "Back to the options"),
    b(&[code(KeyCode::PageDown)], Action::PageDown, "", "Scroll down, when the dialog is taller than the screen"),
    b(&[code(KeyCode::PageUp)], Action::PageUp, "", "Scroll up"),
    QUIT,
];

pub(super) const CANCEL_NOTE: &[Binding] = &[
    b(&[code(KeyCode::Enter)], Action::Submit, "keep note", "Keep the note"),
    b(&[code(KeyCode::Esc)], Action::Back, "undo", "Undo the change to the note"),
    QUIT,
];

pub(super) const PRACTICE_SETTINGS: &[Binding] = &[
    b(&[k('e')], Action::EditSettings, "edit settings", "Edit the cancellation and remote-session settings"),
    b(&[k('p')], Action::EditProfile, "profile", "Edit the practice profile"),
    down("Next question"),
    up("Previous question"),
    b(&[k('a')], Action::AddQa, "add question", "Add a question and answer to the handout"),
    b(&[code(KeyCode::Enter)], Action::Open, "edit question", "Edit the selected question"),
    b(&[k('K')], Action::MoveQaUp, "", "Move the selected question up"),
    b(&[k('J')], Action::MoveQaDown, "", "Move the selected question down"),
    b(&[k('x')], Action::RemoveQa, "", "Remove the selected question (asks first)"),
    b(&[k('c')], Action::LogConsult, "consultation", "Log a consultation with a colleague"),
    b(&[k('s')], Action::Services, "services", "Services and fees: list, add, retire"),
    b(&[k('r')], Action::Records, "records", "Records: those due for disposal, legal holds, the disposal log"),
];

pub(super) const PRACTICE_RECORDS: &[Binding] = &[
    down("Next record"),
    up("Previous record"),
    b(&[k('h')], Action::HoldRecord, "legal hold", "Put a legal hold on the selected record (asks for the reason)"),
    b(&[k('u')], Action::ReleaseHold, "release", "Release the selected record's legal hold (asks first)"),
    b(&[k('a')], Action::ToggleAllRecords, "all / due", "Every record, or only those due for disposal and on hold"),
    b(&[code(KeyCode::Esc), k('q')], Action::Back, "close", "Close"),
    QUIT,
];

pub(super) const NOTE_EDITOR: &[Binding] = &[
    b(&[code(KeyCode::Tab)], Action::NextField, "next section", "Next section (saves the draft)"),
    b(&[code(KeyCode::BackTab), Key(KeyCode::BackTab, KeyModifiers::SHIFT)], Action::PrevField, "", "Previous section (saves the draft)"),
    b(&[ctrl('s')], Action::SaveNote, "save", "Save the draft now (it also saves as you type)"),
    b(&[ctrl('e')], Action::ExternalEdit, "$EDITOR", "Edit the whole note in $VISUAL or $EDITOR"),
    b(&[ctrl('o')], Action::SignNote, "sign", "Sign the note (asks first; a signed note is final)"),
    b(&[ctrl('t')], Action::ChangeTemplate, "", "Change the template: SOAP, DAP, BIRP, free (while the note is empty)"),
    b(&[code(KeyCode::Esc)], Action::Back, "close", "Close the note (the draft is saved)"),
    b(&[ctrl('c')], Action::Quit, "", "Quit (the draft is saved)"),
];

pub(super) const NOTE_VIEW: &[Binding] = &[
    b(&[code(KeyCode::Tab)], Action::NextField, "next section", "Next section (↑ ↓ scroll within it)"),
    b(&[code(KeyCode::BackTab), Key(KeyCode::BackTab, KeyModifiers::SHIFT)], Action::PrevField, "", "Previous section"),
    b(&[k('a')], Action::AddAddendum, "addendum", "Add an addendum: a correction or addition, kept with its time"),
    b(&[code(KeyCode::Esc), k('q')], Action::Back, "close", "Close the note"),
    QUIT,
];

pub(super) const NOTE_ADDENDUM: &[Binding] = &[
    b(&[ctrl('s')], Action::Submit, "add", "Add the addendum to the note"),
    b(&[code(KeyCode::Esc)], Action::Back, "back", "Back to the note (asks before discarding what you wrote)"),
    QUIT,
];

pub(super) const NUMBERS: [Binding; 9] = [
    b(&[k('1')], Action::Pick(1), "", "Answer 1"),
    b(&[k('2')], Action::Pick(2), "", "Answer 2"),
    b(&[k('3')], Action::Pick(3), "", "Answer 3"),
    b(&[k('4')], Action::Pick(4), "", "Answer 4"),
    b(&[k('5')], Action::Pick(5), "", "Answer 5"),
    b(&[k('6')], Action::Pick(6), "", "Answer 6"),
    b(&[k('7')], Action::Pick(7), "", "Answer 7"),
    b(&[k('8')], Action::Pick(8), "", "Answer 8"),
    b(&[k('9')], Action::Pick(9), "", "Answer 9"),
];

pub(super) const RUNNER: &[Binding] = &[
    NUMBERS[0],
    NUMBERS[1],
    NUMBERS[2],
    NUMBERS[3],
    NUMBERS[4],
    NUMBERS[5],
    NUMBERS[6],
    NUMBERS[7],
    NUMBERS[8],
    b(&[code(KeyCode::Backspace)], Action::Previous, "back", "Go back to the previous item"),
    b(&[code(KeyCode::Enter)], Action::Submit, "next / save", "Keep the answer and go on; on the review page, save"),
    b(&[code(KeyCode::Esc)], Action::Back, "stop", "Stop (asks first if anything was answered)"),
    QUIT,
];

pub(super) const RECOMMENDATION: &[Binding] = &[
    down("Next model"),
    up("Previous model"),
    NUMBERS[0],
    NUMBERS[1],
    NUMBERS[2],
    NUMBERS[3],
    NUMBERS[4],
    NUMBERS[5],
    b(&[code(KeyCode::Enter)], Action::Submit, "accept", "Accept the selected model (another than the first asks why)"),
    b(&[code(KeyCode::Esc)], Action::Back, "decide later", "Close; accept later with caseload recommend or a new assessment"),
    QUIT,
];

pub(super) const REASON_ENTRY: &[Binding] = &[
    b(&[code(KeyCode::Enter)], Action::Submit, "save", "Save the choice with this reason"),
    b(&[code(KeyCode::Esc)], Action::Back, "back", "Back to the models"),
    QUIT,
];

pub(super) const ASSESSMENTS: &[Binding] = &[
    down("Next measure"),
    up("Previous measure"),
    b(&[k('A')], Action::Assess, "assess", "Give an assessment"),
    b(&[code(KeyCode::Esc)], Action::Back, "back", "Back to the clients"),
];

/// The keys on every tab of the client view.
pub(super) const CLIENT_COMMON: [Binding; 6] = [
    b(&[k(']'), code(KeyCode::Right)], Action::NextTab, "tab", "Next tab ([ or ← the previous one)"),
    b(&[k('['), code(KeyCode::Left)], Action::PrevTab, "", "Previous tab"),
    b(&[k('s')], Action::BookSession, "book", "Book a session for this client"),
    b(&[k('A')], Action::Assess, "assess", "Assess this client (engagement first; Enter or a number starts it)"),
    b(&[k('e')], Action::EditClient, "edit", "Edit this client's details"),
    b(&[code(KeyCode::Esc)], Action::Back, "back", "Back to where you opened the client"),
];

/// The working relationship, on every tab of the client view (as on the Clients screen).
pub(super) const CLIENT_REL: [Binding; 5] = [
    b(&[k('H')], Action::Handout, "handout", "This client's expectations handout"),
    b(&[k('o')], Action::Goals, "goals", "Goals: add, rate, mark achieved or dropped"),
    b(&[k('b')], Action::AddBoundary, "boundary", "Log a boundary incident"),
    b(&[k('R')], Action::Review, "", "Review signals and record what you chose"),
    b(&[k('D')], Action::Discharge, "discharge…", "End care: discharge or refer on"),
];

pub(super) const CLIENT_OVERVIEW: &[Binding] = &[
    b(&[k('c')], Action::CancelSession, "cancel next…", "Cancel the next session (offers another way to attend first)"),
    CLIENT_COMMON[0],
    CLIENT_COMMON[1],
    CLIENT_COMMON[2],
    CLIENT_COMMON[3],
    CLIENT_COMMON[4],
    CLIENT_COMMON[5],
    CLIENT_REL[0],
    CLIENT_REL[1],
    CLIENT_REL[2],
    CLIENT_REL[3],
    CLIENT_REL[4],
    b(&[k('r')], Action::ReviewAlert, "review alert", "Mark the oldest open alert reviewed, with a note of what you did"),
    b(&[k('S')], Action::TransitionSummary, "", "The transition summary, once care has ended"),
];

pub(super) const CLIENT_SESSIONS: &[Binding] = &[
    MARKS[0],
    MARKS[1],
    MARKS[2],
    MARKS[3],
    b(&[k('c')], Action::CancelSession, "cancel…", "Cancel the selected session (offers another way to attend first)"),
    b(&[code(KeyCode::Enter)], Action::Open, "note", "The selected session's note (write it, or read it once signed)"),
    LIST_MOVES[0],
    LIST_MOVES[1],
    LIST_MOVES[2],
    LIST_MOVES[3],
    LIST_MOVES[4],
    LIST_MOVES[5],
    CLIENT_COMMON[0],
    CLIENT_COMMON[1],
    CLIENT_COMMON[2],
    CLIENT_COMMON[3],
    CLIENT_COMMON[4],
    CLIENT_COMMON[5],
    CLIENT_REL[0],
    CLIENT_REL[1],
    CLIENT_REL[2],
    CLIENT_REL[3],
    CLIENT_REL[4],
];

pub(super) const CLIENT_NOTES: &[Binding] = &[
    b(&[k('/')], Action::SearchNotes, "search", "Search this client's notes"),
    b(&[code(KeyCode::Enter)], Action::Open, "open", "Open the selected note"),
    LIST_MOVES[0],
    LIST_MOVES[1],
    CLIENT_COMMON[0],
    CLIENT_COMMON[1],
    CLIENT_COMMON[2],
    CLIENT_COMMON[3],
    CLIENT_COMMON[4],
    CLIENT_REL[0],
    CLIENT_REL[1],
    CLIENT_REL[2],
    CLIENT_REL[3],
    CLIENT_REL[4],
    b(&[code(KeyCode::Esc)], Action::Back, "back", "Back to all the notes after a search; else back to where you opened the client"),
];

pub(super) const CLIENT_NOTES_SEARCH: &[Binding] = &[
    b(&[code(KeyCode::Enter)], Action::Submit, "search", "Search for what is typed"),
    b(&[code(KeyCode::Esc)], Action::Back, "all notes", "Clear the search: all the notes"),
    QUIT,
];

pub(super) const CLIENT_ASSESSMENTS: &[Binding] = &[
    down("Next measure"),
    up("Previous measure"),
    CLIENT_COMMON[0],
    CLIENT_COMMON[1],
    CLIENT_COMMON[2],
    CLIENT_COMMON[3],
    CLIENT_COMMON[4],
    CLIENT_COMMON[5],
    CLIENT_REL[0],
    CLIENT_REL[1],
    CLIENT_REL[2],
    CLIENT_REL[3],
    CLIENT_REL[4],
    b(&[k('r')], Action::ReviewAlert, "review alert", "Mark the oldest open alert reviewed, with a note of what you did"),
];

pub(super) const CLIENT_GOALS: &[Binding] = &[
    down("Next goal (its ratings are charted)"),
    up("Previous goal"),
    CLIENT_COMMON[0],
    CLIENT_COMMON[1],
    CLIENT_COMMON[2],
    CLIENT_COMMON[3],
    CLIENT_COMMON[4],
    CLIENT_COMMON[5],
    CLIENT_REL[0],
    CLIENT_REL[1],
    CLIENT_REL[2],
    CLIENT_REL[3],
    CLIENT_REL[4],
];

pub(super) const CLIENT_BOUNDARIES: &[Binding] = &[
    LIST_MOVES[0],
    LIST_MOVES[1],
    CLIENT_COMMON[0],
    CLIENT_COMMON[1],
    CLIENT_COMMON[2],
    CLIENT_COMMON[3],
    CLIENT_COMMON[4],
    CLIENT_COMMON[5],
    CLIENT_REL[0],
    CLIENT_REL[1],
    CLIENT_REL[2],
    CLIENT_REL[3],
    CLIENT_REL[4],
];

pub(super) const CLIENT_HISTORY: &[Binding] = &[
    b(&[k('S')], Action::TransitionSummary, "", "The transition summary, once care has ended"),
    LIST_MOVES[0],
    LIST_MOVES[1],
    LIST_MOVES[2],
    LIST_MOVES[3],
    LIST_MOVES[4],
    LIST_MOVES[5],
    CLIENT_COMMON[0],
    CLIENT_COMMON[1],
    CLIENT_COMMON[2],
    CLIENT_COMMON[3],
    CLIENT_COMMON[4],
    CLIENT_COMMON[5],
    CLIENT_REL[0],
    CLIENT_REL[1],
    CLIENT_REL[2],
    CLIENT_REL[3],
    CLIENT_REL[4],
];

pub(super) const REL_DOCUMENT: &[Binding] = &[
    down("Scroll down"),
    up("Scroll up"),
    b(&[code(KeyCode::PageDown), ctrl('d')], Action::PageDown, "", "Page down"),
    b(&[code(KeyCode::PageUp), ctrl('u')], Action::PageUp, "", "Page up"),
    b(&[k('w')], Action::WriteFile, "write page", "Write it as a printable web page beside the practice file"),
    b(&[k('m')], Action::MarkGiven, "mark given", "Record the handout as given today"),
    b(&[code(KeyCode::Esc), k('q')], Action::Back, "close", "Close"),
    QUIT,
];

pub(super) const REL_GOALS: &[Binding] = &[
    down("Move down"),
    up("Move up"),
    b(&[k('a')], Action::AddGoal, "add", "Add a goal agreed with the client"),
    b(&[k('r')], Action::RateGoals, "rate", "Rate every active goal, 0 to 10"),
    b(&[k('A')], Action::GoalAchieved, "achieved", "Mark the selected goal achieved"),
    b(&[k('d')], Action::GoalDropped, "let go", "Let the selected goal go"),
    b(&[k('u')], Action::GoalActive, "", "Make the selected goal active again"),
    b(&[code(KeyCode::Esc), k('q')], Action::Back, "close", "Close"),
    QUIT,
];

pub(super) const REL_RATING: &[Binding] = &[
    b(&[k('0')], Action::Pick(0), "", "Rate 0"),
    b(&[k('1')], Action::Pick(1), "", "Rate 1"),
    b(&[k('2')], Action::Pick(2), "", "Rate 2"),
    b(&[k('3')], Action::Pick(3), "", "Rate 3"),
    b(&[k('4')], Action::Pick(4), "", "Rate 4"),
    b(&[k('5')], Action::Pick(5), "", "Rate 5"),
    b(&[k('6')], Action::Pick(6), "", "Rate 6"),
    b(&[k('7')], Action::Pick(7), "", "Rate 7"),
    b(&[k('8')], Action::Pick(8), "", "Rate 8"),
    b(&[k('9')], Action::Pick(9), "0–9 rate", "Rate 9"),
    b(&[k('x')], Action::Pick(10), "10", "Rate 10"),
    b(&[k('s'), code(KeyCode::Tab)], Action::SkipItem, "skip", "Skip this goal for now"),
    up("Back to the previous goal"),
    b(&[code(KeyCode::Enter)], Action::Submit, "save", "Save the ratings given"),
    b(&[code(KeyCode::Esc)], Action::Back, "close", "Close; nothing is saved"),
    QUIT,
];

pub(super) const REL_DISCHARGE_REASON: &[Binding] = &[
    b(&[k('1')], Action::Pick(1), "", "Goals met"),
    b(&[k('2')], Action::Pick(2), "", "The client's choice"),
    b(&[k('3')], Action::Pick(3), "", "Needs outside this practice's scope"),
    b(&[k('4')], Action::Pick(4), "", "The work was no longer helping"),
    b(&[k('5')], Action::Pick(5), "", "Moved away"),
    b(&[k('6')], Action::Pick(6), "1–6 reason", "Other"),
    b(&[code(KeyCode::Esc)], Action::Back, "close", "Close; nothing changes"),
    QUIT,
];

pub(super) const REL_DISCHARGE_CONFIRM: &[Binding] = &[
    b(&[k('y')], Action::Yes, "end care", "End care as shown"),
    b(&[k('n'), code(KeyCode::Esc)], Action::No, "back", "Back to the details"),
    down("Scroll down, when it is taller than the screen"),
    up("Scroll up"),
    QUIT,
];

pub(super) const REL_REVIEW: &[Binding] = &[
    b(&[k('1')], Action::Pick(1), "", "Note it to discuss next session"),
    b(&[k('2')], Action::Pick(2), "", "Reconsider the engagement model: the needs assessment opens"),
    b(&[k('3')], Action::Pick(3), "", "Log a consultation"),
    b(&[k('4')], Action::Pick(4), "1–4 choose", "Start a discharge"),
    b(&[code(KeyCode::Esc), k('q')], Action::Back, "close", "Close; nothing is recorded"),
    QUIT,
];

// ---- Money (issue 17) -------------------------------------------------------------------------

pub(super) const CLIENT_BILLING: &[Binding] = &[
    b(&[k('p')], Action::RecordPayment, "payment", "Record a payment (Enter records the balance due)"),
    LIST_MOVES[0],
    LIST_MOVES[1],
    LIST_MOVES[2],
    LIST_MOVES[3],
    LIST_MOVES[4],
    LIST_MOVES[5],
    CLIENT_COMMON[0],
    CLIENT_COMMON[1],
    CLIENT_COMMON[2],
    CLIENT_COMMON[3],
    CLIENT_COMMON[4],
    CLIENT_COMMON[5],
    CLIENT_REL[0],
    CLIENT_REL[1],
    CLIENT_REL[2],
    CLIENT_REL[3],
    CLIENT_REL[4],
];

pub(super) const INCOME: &[Binding] = &[
    b(&[k('[')], Action::PrevMonth, "", "Twelve months earlier"),
    b(&[k(']')], Action::NextMonth, "months", "Twelve months later ([ earlier)"),
    b(&[k('t')], Action::ThisMonth, "", "The twelve months ending this month"),
    b(&[k('i'), code(KeyCode::Esc)], Action::IncomeView, "attendance", "Back to the attendance report"),
];

pub(super) const SERVICES: &[Binding] = &[
    down("Next service"),
    up("Previous service"),
    b(&[k('a')], Action::AddService, "add", "Add a service with its fee"),
    b(&[k('x')], Action::RetireService, "retire", "Retire the selected service (asks first; its charges stay)"),
    b(&[code(KeyCode::Esc), k('q')], Action::Back, "close", "Close"),
    QUIT,
];

pub(super) const SESSION_DETAIL: &[Binding] = &[
    b(&[code(KeyCode::Esc), code(KeyCode::Enter), k('q')], Action::Back, "close", "Close the detail"),
    QUIT,
];

pub(super) const CLIENT_PICK: &[Binding] = &[
    b(&[code(KeyCode::Enter)], Action::Submit, "choose", "Book for the selected client"),
    b(&[code(KeyCode::Esc)], Action::Back, "close", "Close; nothing is booked"),
    b(&[code(KeyCode::Down)], Action::Down, "", "Move down"),
    b(&[code(KeyCode::Up)], Action::Up, "", "Move up"),
    QUIT,
];

pub(super) const JUMP_TO: &[Binding] = &[
    b(&[code(KeyCode::Enter)], Action::Submit, "go", "Go to the date typed"),
    b(&[code(KeyCode::Esc)], Action::Back, "close", "Close; stay on this week"),
    QUIT,
];

pub(super) const SUMMARY: &[Binding] = &[
    down("Scroll down"),
    up("Scroll up"),
    b(&[code(KeyCode::PageDown), ctrl('d')], Action::PageDown, "", "Page down"),
    b(&[code(KeyCode::PageUp), ctrl('u')], Action::PageUp, "", "Page up"),
    b(&[k('w')], Action::WriteFile, "write page", "Write it as a printable web page beside the practice file"),
    b(&[code(KeyCode::Esc), k('q')], Action::Back, "close", "Close"),
    QUIT,
];
