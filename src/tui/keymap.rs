//! Keys → actions, one table per context. The same tables draw the status-bar hints and the `?`
//! help overlay, so the help can never disagree with what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, ScreenId};

/// One key (a code and the modifiers that must be held).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key(pub KeyCode, pub KeyModifiers);

const fn k(c: char) -> Key {
    Key(KeyCode::Char(c), KeyModifiers::NONE)
}
const fn code(c: KeyCode) -> Key {
    Key(c, KeyModifiers::NONE)
}
const fn ctrl(c: char) -> Key {
    Key(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// One row of a keymap.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    /// The short hint on the status bar; empty when the binding is only in the help.
    pub hint: &'static str,
    /// What the binding does, for the help overlay.
    pub help: &'static str,
}

const fn b(
    keys: &'static [Key],
    action: Action,
    hint: &'static str,
    help: &'static str,
) -> Binding {
    Binding {
        keys,
        action,
        hint,
        help,
    }
}

/// `j` or ↓: the next row of a list; `help` names what moves.
const fn down(help: &'static str) -> Binding {
    const KEYS: &[Key] = &[k('j'), code(KeyCode::Down)];
    b(KEYS, Action::Down, "", help)
}

/// `k` or ↑: the row before.
const fn up(help: &'static str) -> Binding {
    const KEYS: &[Key] = &[k('k'), code(KeyCode::Up)];
    b(KEYS, Action::Up, "", help)
}

/// Ctrl-C quits from anywhere (a note being written is saved first).
const QUIT: Binding = b(&[ctrl('c')], Action::Quit, "", "Quit");

/// Where keys are being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Global,
    Today,
    TodayWelcome,
    Agenda,
    Clients,
    ClientsFilter,
    Placeholder,
    Reports,
    Form,
    Picker,
    Confirm,
    Help,
    CancelWho,
    CancelOffer,
    CancelConsent,
    CancelSlots,
    CancelCheck,
    CancelConfirm,
    CancelNote,
    PracticeSettings,
    NoteEditor,
    NoteView,
    NoteAddendum,
    Runner,
    Recommendation,
    ReasonEntry,
    Assessments,
    ClientOverview,
    ClientSessions,
    ClientNotes,
    ClientNotesSearch,
    ClientAssessments,
    ClientGoals,
    ClientBoundaries,
    ClientHistory,
    // The working relationship (issue 7).
    RelDocument,
    RelGoals,
    RelRating,
    RelDischargeReason,
    RelDischargeConfirm,
    RelReview,
}

impl Context {
    /// Contexts where printable keys are typed into a field rather than looked up globally.
    pub fn is_text_entry(self) -> bool {
        matches!(
            self,
            Context::ClientsFilter
                | Context::Form
                | Context::CancelNote
                | Context::NoteEditor
                | Context::NoteAddendum
                | Context::ReasonEntry
                | Context::ClientNotesSearch
        )
    }

    /// Whether the global keys (screens, help, quit) apply underneath this context.
    pub fn takes_globals(self) -> bool {
        matches!(
            self,
            Context::Today
                | Context::TodayWelcome
                | Context::Agenda
                | Context::Clients
                | Context::Placeholder
                | Context::Reports
                | Context::Assessments
                | Context::ClientOverview
                | Context::ClientSessions
                | Context::ClientNotes
                | Context::ClientAssessments
                | Context::ClientGoals
                | Context::ClientBoundaries
                | Context::ClientHistory
                | Context::PracticeSettings
        )
    }

    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Today => "Today",
            Context::TodayWelcome => "Today",
            Context::Agenda => "Agenda",
            Context::Clients => "Clients",
            Context::ClientsFilter => "Typing a filter",
            Context::Placeholder => "This screen",
            Context::Reports => "Reports",
            Context::Form => "A form",
            Context::Picker => "Choosing from a list",
            Context::Confirm => "A question",
            Context::Help => "Help",
            Context::Runner => "A questionnaire",
            Context::Recommendation => "The recommendation",
            Context::ReasonEntry => "Typing a reason",
            Context::Assessments => "Assessments",
            Context::CancelWho => "Cancelling · who and why",
            Context::CancelOffer => "Cancelling · the offer",
            Context::CancelConsent => "Cancelling · consent",
            Context::CancelSlots => "Cancelling · a new time",
            Context::CancelCheck => "Cancelling · the remote check",
            Context::CancelConfirm => "Cancelling · recording it",
            Context::CancelNote => "Cancelling · a note",
            Context::PracticeSettings => "Practice",
            Context::RelDocument => "A handout or summary",
            Context::RelGoals => "Goals",
            Context::RelRating => "Rating goals",
            Context::RelDischargeReason => "Ending care · the reason",
            Context::RelDischargeConfirm => "Ending care · confirming",
            Context::RelReview => "Review",
            Context::NoteEditor => "Writing a note",
            Context::NoteView => "A signed note",
            Context::NoteAddendum => "Writing an addendum",
            Context::ClientOverview => "A client · Overview",
            Context::ClientSessions => "A client · Sessions",
            Context::ClientNotes => "A client · Notes",
            Context::ClientNotesSearch => "Searching a client's notes",
            Context::ClientAssessments => "A client · Assessments",
            Context::ClientGoals => "A client · Goals",
            Context::ClientBoundaries => "A client · Boundaries",
            Context::ClientHistory => "A client · History",
        }
    }
}

const GLOBAL: &[Binding] = &[
    b(&[k('1')], Action::Go(ScreenId::Today), "", "Today"),
    b(&[k('2')], Action::Go(ScreenId::Clients), "", "Clients"),
    b(&[k('3')], Action::Go(ScreenId::Agenda), "", "Agenda"),
    b(&[k('4')], Action::Go(ScreenId::Reports), "", "Reports"),
    b(&[k('5')], Action::Go(ScreenId::Practice), "", "Practice"),
    b(&[code(KeyCode::Tab)], Action::NextScreen, "", "Next screen"),
    b(
        &[
            code(KeyCode::BackTab),
            Key(KeyCode::BackTab, KeyModifiers::SHIFT),
        ],
        Action::PrevScreen,
        "",
        "Previous screen",
    ),
    b(&[k('?')], Action::Help, "help", "Show this help"),
    b(
        &[k('q'), ctrl('c')],
        Action::Quit,
        "quit",
        "Quit (Ctrl-C works everywhere)",
    ),
    b(
        &[ctrl('g')],
        Action::TogglePrivacy,
        "",
        "Privacy: client names as initials, or in full again (works everywhere)",
    ),
    b(
        &[ctrl('l')],
        Action::Lock,
        "",
        "Lock the screen (works everywhere)",
    ),
];

/// The keys that work in every context, typing included (checked before any other table).
pub fn everywhere(ev: &KeyEvent) -> Option<Action> {
    GLOBAL
        .iter()
        .filter(|b| matches!(b.action, Action::TogglePrivacy | Action::Lock))
        .find(|b| b.keys.iter().any(|k| matches(k, ev)))
        .map(|b| b.action)
}

const LIST_MOVES: [Binding; 6] = [
    down("Move down"),
    up("Move up"),
    b(
        &[code(KeyCode::PageDown), ctrl('d')],
        Action::PageDown,
        "",
        "Page down",
    ),
    b(
        &[code(KeyCode::PageUp), ctrl('u')],
        Action::PageUp,
        "",
        "Page up",
    ),
    b(&[k('g'), code(KeyCode::Home)], Action::Top, "", "First"),
    b(&[k('G'), code(KeyCode::End)], Action::Bottom, "", "Last"),
];

/// One key for each outcome of the selected session, on Today and a client's Sessions tab.
const MARKS: [Binding; 4] = [
    b(
        &[k('a')],
        Action::MarkAttended,
        "attended",
        "Mark the selected session attended",
    ),
    b(
        &[k('l')],
        Action::MarkLate,
        "late",
        "Mark it attended, arrived late",
    ),
    b(
        &[k('n')],
        Action::MarkNoShow,
        "no-show",
        "Mark it a no-show",
    ),
    b(
        &[k('u')],
        Action::MarkScheduled,
        "undo",
        "Undo the outcome (back to scheduled)",
    ),
];

const TODAY_WELCOME: &[Binding] = &[b(
    &[k('a')],
    Action::AddClient,
    "add client",
    "Add a client",
)];

const TODAY: &[Binding] = &[
    MARKS[0],
    MARKS[1],
    MARKS[2],
    MARKS[3],
    b(&[k('[')], Action::PrevDay, "", "Previous day"),
    b(&[k(']')], Action::NextDay, "day", "Next day ([ previous)"),
    b(&[k('t')], Action::ThisDay, "", "Back to today"),
    b(&[k('b')], Action::BookSession, "book", "Book a session"),
    b(
        &[k('B')],
        Action::AddBoundary,
        "",
        "Log a boundary incident for the selected session's client",
    ),
    b(
        &[k('c')],
        Action::CancelSession,
        "cancel…",
        "Cancel the selected session (offers another way to attend first)",
    ),
    b(
        &[k('e')],
        Action::OpenNote,
        "note",
        "Write the selected session's note (or read it once signed)",
    ),
    b(
        &[code(KeyCode::Enter)],
        Action::Open,
        "",
        "Open: a session's detail, or where a needs-attention item points",
    ),
    b(
        &[code(KeyCode::Right)],
        Action::PaneRight,
        "",
        "Go to the needs-attention list",
    ),
    b(
        &[code(KeyCode::Left)],
        Action::PaneLeft,
        "",
        "Go to the day's sessions",
    ),
    LIST_MOVES[0],
    LIST_MOVES[1],
    LIST_MOVES[4],
    LIST_MOVES[5],
];

const AGENDA: &[Binding] = &[
    b(&[k('h')], Action::PrevWeek, "", "Previous week"),
    b(
        &[k('l')],
        Action::NextWeek,
        "week",
        "Next week (h previous)",
    ),
    down("Next session"),
    up("Previous session"),
    b(&[k('t')], Action::ThisDay, "", "This week"),
    b(
        &[k('g')],
        Action::JumpTo,
        "go to",
        "Go to a date: YYYY-MM-DD, today, tomorrow, a weekday",
    ),
    b(&[k('a')], Action::BookSession, "book", "Book a session"),
    b(
        &[code(KeyCode::Enter)],
        Action::Open,
        "detail",
        "The selected session's detail",
    ),
    b(
        &[k('c')],
        Action::CancelSession,
        "cancel…",
        "Cancel the selected session (offers another way to attend first)",
    ),
];

const CLIENTS: &[Binding] = &[
    LIST_MOVES[0],
    LIST_MOVES[1],
    LIST_MOVES[2],
    LIST_MOVES[3],
    LIST_MOVES[4],
    LIST_MOVES[5],
    b(
        &[k('/')],
        Action::Filter,
        "filter",
        "Filter by name (fuzzy)",
    ),
    b(
        &[k('f'), code(KeyCode::Right)],
        Action::NextStatusFilter,
        "status filter",
        "Show the next status: active, on hold, discharged, referred out, all",
    ),
    b(
        &[k('F'), code(KeyCode::Left)],
        Action::PrevStatusFilter,
        "",
        "Show the previous status",
    ),
    b(&[k('a')], Action::AddClient, "add", "Add a client"),
    b(
        &[code(KeyCode::Enter)],
        Action::Open,
        "open",
        "Open the selected client: sessions, notes, assessments",
    ),
    b(
        &[k('e')],
        Action::EditClient,
        "edit",
        "Edit the selected client",
    ),
    b(
        &[k('s')],
        Action::ChangeStatus,
        "status…",
        "Change the selected client's status",
    ),
    b(
        &[k('A')],
        Action::Assess,
        "assess",
        "Assess the selected client (engagement first; Enter or a number starts it)",
    ),
    b(
        &[k('v')],
        Action::ViewAssessments,
        "results",
        "View the selected client's assessment results over time",
    ),
    b(
        &[k('H')],
        Action::Handout,
        "handout",
        "The selected client's expectations handout",
    ),
    b(
        &[k('o')],
        Action::Goals,
        "goals",
        "Goals and progress ratings",
    ),
    b(
        &[k('b')],
        Action::AddBoundary,
        "",
        "Log a boundary incident",
    ),
    b(
        &[k('R')],
        Action::Review,
        "",
        "Review signals and record what you chose",
    ),
    b(
        &[k('D')],
        Action::Discharge,
        "",
        "End care: discharge or refer on",
    ),
    b(&[code(KeyCode::Esc)], Action::Back, "", "Clear the filter"),
];

const CLIENTS_FILTER: &[Binding] = &[
    b(
        &[code(KeyCode::Enter)],
        Action::Submit,
        "keep filter",
        "Keep the filter and go back to the list",
    ),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "clear",
        "Clear the filter",
    ),
    b(&[code(KeyCode::Down)], Action::Down, "", "Move down"),
    b(&[code(KeyCode::Up)], Action::Up, "", "Move up"),
    QUIT,
];

const PLACEHOLDER: &[Binding] = &[];

const REPORTS: &[Binding] = &[
    b(&[k('[')], Action::PrevMonth, "", "Previous month"),
    b(
        &[k(']')],
        Action::NextMonth,
        "month",
        "Next month ([ previous)",
    ),
    b(
        &[k('t')],
        Action::ThisMonth,
        "this month",
        "Back to this month",
    ),
    b(
        &[k('y')],
        Action::YearView,
        "12 months",
        "Switch between the month and the twelve months ending with it",
    ),
    b(
        &[code(KeyCode::Enter)],
        Action::Open,
        "open client",
        "Open the selected client",
    ),
    LIST_MOVES[0],
    LIST_MOVES[1],
    LIST_MOVES[4],
    LIST_MOVES[5],
];

const FORM: &[Binding] = &[
    b(
        &[code(KeyCode::Tab), code(KeyCode::Down)],
        Action::NextField,
        "next field",
        "Next field",
    ),
    b(
        &[
            code(KeyCode::BackTab),
            Key(KeyCode::BackTab, KeyModifiers::SHIFT),
            code(KeyCode::Up),
        ],
        Action::PrevField,
        "",
        "Previous field",
    ),
    b(
        &[ctrl('n'), Key(KeyCode::Char(' '), KeyModifiers::CONTROL)],
        Action::ChoiceNext,
        "",
        "Next choice (or Space / → on a choice)",
    ),
    b(
        &[ctrl('p')],
        Action::ChoicePrev,
        "",
        "Previous choice (or ← on a choice)",
    ),
    b(
        &[code(KeyCode::Enter), ctrl('s')],
        Action::Submit,
        "save",
        "Save",
    ),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "cancel",
        "Cancel (asks first if anything changed)",
    ),
    QUIT,
];

const PICKER: &[Binding] = &[
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
    b(
        &[code(KeyCode::Enter)],
        Action::Submit,
        "choose",
        "Choose the selected one",
    ),
    b(
        &[code(KeyCode::Esc), k('q')],
        Action::Back,
        "back",
        "Close without changing anything",
    ),
    QUIT,
];

const CONFIRM: &[Binding] = &[
    b(&[k('y')], Action::Yes, "yes", "Yes"),
    b(
        &[k('n'), code(KeyCode::Esc)],
        Action::No,
        "no",
        "No, go back",
    ),
    QUIT,
];

const HELP: &[Binding] = &[
    b(
        &[code(KeyCode::Esc), k('?')],
        Action::Back,
        "close",
        "Close the help",
    ),
    down("Scroll down"),
    up("Scroll up"),
    b(&[k('q'), ctrl('c')], Action::Quit, "quit", "Quit"),
];

// ---- the cancellation dialog ----------------------------------------------------------------

const CANCEL_WHO: &[Binding] = &[
    b(&[k('1')], Action::Pick(1), "", "Reason: work"),
    b(
        &[k('2')],
        Action::Pick(2),
        "",
        "Reason: child or family care",
    ),
    b(&[k('3')], Action::Pick(3), "", "Reason: own illness"),
    b(&[k('4')], Action::Pick(4), "", "Reason: travel"),
    b(
        &[k('5')],
        Action::Pick(5),
        "",
        "Reason: transport or weather",
    ),
    b(&[k('6')], Action::Pick(6), "", "Reason: forgot"),
    b(&[k('7')], Action::Pick(7), "", "Reason: cost"),
    b(&[k('8')], Action::Pick(8), "", "Reason: schedule conflict"),
    b(&[k('9')], Action::Pick(9), "", "Reason: feeling better"),
    b(&[k('0')], Action::Pick(0), "", "Reason: other"),
    b(
        &[k('c')],
        Action::ByClient,
        "client",
        "The client is cancelling (the default)",
    ),
    b(
        &[k('p')],
        Action::ByPractitioner,
        "you",
        "You are cancelling",
    ),
    b(&[k('n')], Action::AddNote, "note", "Add a note"),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "close",
        "Close; nothing is recorded",
    ),
    QUIT,
];

const CANCEL_OFFER: &[Binding] = &[
    b(
        &[code(KeyCode::Enter)],
        Action::Submit,
        "accept",
        "Accept the selected alternative",
    ),
    b(
        &[k('1')],
        Action::Pick(1),
        "",
        "Choose the first alternative",
    ),
    b(
        &[k('2')],
        Action::Pick(2),
        "",
        "Choose the second alternative",
    ),
    b(
        &[k('3')],
        Action::Pick(3),
        "",
        "Choose the third alternative",
    ),
    down("Move down"),
    up("Move up"),
    b(
        &[k('x')],
        Action::CancelAnyway,
        "cancel anyway",
        "Record the cancellation anyway",
    ),
    b(&[k('n')], Action::AddNote, "note", "Add a note"),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "back",
        "Back to who and why",
    ),
    QUIT,
];

const CANCEL_CONSENT: &[Binding] = &[
    b(
        &[k('v')],
        Action::VerbalConsent,
        "record verbal consent",
        "Record the client's verbal consent, dated today",
    ),
    b(
        &[k('s'), code(KeyCode::Esc)],
        Action::SkipConsent,
        "skip",
        "Skip: back to the options",
    ),
    QUIT,
];

const CANCEL_SLOTS: &[Binding] = &[
    down("Next free slot"),
    up("Previous free slot"),
    b(
        &[code(KeyCode::Enter)],
        Action::Submit,
        "reschedule",
        "Reschedule to the selected slot",
    ),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "back",
        "Back to the options",
    ),
    QUIT,
];

const CANCEL_CHECK: &[Binding] = &[
    b(
        &[k('y')],
        Action::Yes,
        "yes, all three",
        "Private place, not driving, where you may work with them",
    ),
    b(
        &[k('n'), code(KeyCode::Esc)],
        Action::No,
        "not all",
        "Not all three: choose another option",
    ),
    QUIT,
];

const CANCEL_CONFIRM: &[Binding] = &[
    b(
        &[code(KeyCode::Enter)],
        Action::Submit,
        "record",
        "Record the cancellation (a late fee applies if late)",
    ),
    b(
        &[k('w')],
        Action::WaiveFee,
        "waive fee",
        "Record a late cancellation and waive the fee",
    ),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "back",
        "Back to the options",
    ),
    QUIT,
];

const CANCEL_NOTE: &[Binding] = &[
    b(
        &[code(KeyCode::Enter)],
        Action::Submit,
        "keep note",
        "Keep the note",
    ),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "undo",
        "Undo the change to the note",
    ),
    QUIT,
];

const PRACTICE_SETTINGS: &[Binding] = &[
    b(
        &[k('e')],
        Action::EditSettings,
        "edit settings",
        "Edit the cancellation and remote-session settings",
    ),
    b(
        &[k('p')],
        Action::EditProfile,
        "profile",
        "Edit the practice profile",
    ),
    down("Next question"),
    up("Previous question"),
    b(
        &[k('a')],
        Action::AddQa,
        "add question",
        "Add a question and answer to the handout",
    ),
    b(
        &[code(KeyCode::Enter)],
        Action::Open,
        "",
        "Edit the selected question",
    ),
    b(
        &[k('K')],
        Action::MoveQaUp,
        "",
        "Move the selected question up",
    ),
    b(
        &[k('J')],
        Action::MoveQaDown,
        "",
        "Move the selected question down",
    ),
    b(
        &[k('x')],
        Action::RemoveQa,
        "",
        "Remove the selected question (asks first)",
    ),
    b(
        &[k('c')],
        Action::LogConsult,
        "consultation",
        "Log a consultation with a colleague",
    ),
];

const NOTE_EDITOR: &[Binding] = &[
    b(
        &[code(KeyCode::Tab)],
        Action::NextField,
        "next section",
        "Next section (saves the draft)",
    ),
    b(
        &[
            code(KeyCode::BackTab),
            Key(KeyCode::BackTab, KeyModifiers::SHIFT),
        ],
        Action::PrevField,
        "",
        "Previous section (saves the draft)",
    ),
    b(
        &[ctrl('s')],
        Action::SaveNote,
        "save",
        "Save the draft now (it also saves as you type)",
    ),
    b(
        &[ctrl('e')],
        Action::ExternalEdit,
        "$EDITOR",
        "Edit the whole note in $VISUAL or $EDITOR",
    ),
    b(
        &[ctrl('o')],
        Action::SignNote,
        "sign",
        "Sign the note (asks first; a signed note is final)",
    ),
    b(
        &[ctrl('t')],
        Action::ChangeTemplate,
        "",
        "Change the template: SOAP, DAP, BIRP, free (while the note is empty)",
    ),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "close",
        "Close the note (the draft is saved)",
    ),
    b(&[ctrl('c')], Action::Quit, "", "Quit (the draft is saved)"),
];

const NOTE_VIEW: &[Binding] = &[
    b(
        &[code(KeyCode::Tab)],
        Action::NextField,
        "next section",
        "Next section (↑ ↓ scroll within it)",
    ),
    b(
        &[
            code(KeyCode::BackTab),
            Key(KeyCode::BackTab, KeyModifiers::SHIFT),
        ],
        Action::PrevField,
        "",
        "Previous section",
    ),
    b(
        &[k('a')],
        Action::AddAddendum,
        "addendum",
        "Add an addendum: a correction or addition, kept with its time",
    ),
    b(
        &[code(KeyCode::Esc), k('q')],
        Action::Back,
        "close",
        "Close the note",
    ),
    QUIT,
];

const NOTE_ADDENDUM: &[Binding] = &[
    b(
        &[ctrl('s')],
        Action::Submit,
        "add",
        "Add the addendum to the note",
    ),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "back",
        "Back to the note (asks before discarding what you wrote)",
    ),
    QUIT,
];

const NUMBERS: [Binding; 9] = [
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

const RUNNER: &[Binding] = &[
    NUMBERS[0],
    NUMBERS[1],
    NUMBERS[2],
    NUMBERS[3],
    NUMBERS[4],
    NUMBERS[5],
    NUMBERS[6],
    NUMBERS[7],
    NUMBERS[8],
    b(
        &[code(KeyCode::Backspace)],
        Action::Previous,
        "back",
        "Go back to the previous item",
    ),
    b(
        &[code(KeyCode::Enter)],
        Action::Submit,
        "next / save",
        "Keep the answer and go on; on the review page, save",
    ),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "stop",
        "Stop (asks first if anything was answered)",
    ),
    QUIT,
];

const RECOMMENDATION: &[Binding] = &[
    down("Next model"),
    up("Previous model"),
    NUMBERS[0],
    NUMBERS[1],
    NUMBERS[2],
    NUMBERS[3],
    NUMBERS[4],
    NUMBERS[5],
    b(
        &[code(KeyCode::Enter)],
        Action::Submit,
        "accept",
        "Accept the selected model (another than the first asks why)",
    ),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "decide later",
        "Close; accept later with caseload recommend or a new assessment",
    ),
    QUIT,
];

const REASON_ENTRY: &[Binding] = &[
    b(
        &[code(KeyCode::Enter)],
        Action::Submit,
        "save",
        "Save the choice with this reason",
    ),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "back",
        "Back to the models",
    ),
    QUIT,
];

const ASSESSMENTS: &[Binding] = &[
    down("Next measure"),
    up("Previous measure"),
    b(&[k('A')], Action::Assess, "assess", "Give an assessment"),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "back",
        "Back to the clients",
    ),
];

// ---- the client view ------------------------------------------------------------------------

/// The keys on every tab of the client view.
const CLIENT_COMMON: [Binding; 6] = [
    b(
        &[k(']'), code(KeyCode::Right)],
        Action::NextTab,
        "tab",
        "Next tab ([ or ← the previous one)",
    ),
    b(
        &[k('['), code(KeyCode::Left)],
        Action::PrevTab,
        "",
        "Previous tab",
    ),
    b(
        &[k('s')],
        Action::BookSession,
        "book",
        "Book a session for this client",
    ),
    b(
        &[k('A')],
        Action::Assess,
        "assess",
        "Assess this client (engagement first; Enter or a number starts it)",
    ),
    b(
        &[k('e')],
        Action::EditClient,
        "edit",
        "Edit this client's details",
    ),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "back",
        "Back to where you opened the client",
    ),
];

/// The working relationship, on every tab of the client view (as on the Clients screen).
const CLIENT_REL: [Binding; 5] = [
    b(
        &[k('H')],
        Action::Handout,
        "handout",
        "This client's expectations handout",
    ),
    b(
        &[k('o')],
        Action::Goals,
        "goals",
        "Goals: add, rate, mark achieved or dropped",
    ),
    b(
        &[k('b')],
        Action::AddBoundary,
        "boundary",
        "Log a boundary incident",
    ),
    b(
        &[k('R')],
        Action::Review,
        "",
        "Review signals and record what you chose",
    ),
    b(
        &[k('D')],
        Action::Discharge,
        "discharge…",
        "End care: discharge or refer on",
    ),
];

const CLIENT_OVERVIEW: &[Binding] = &[
    b(
        &[k('c')],
        Action::CancelSession,
        "cancel next…",
        "Cancel the next session (offers another way to attend first)",
    ),
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
    b(
        &[k('r')],
        Action::ReviewAlert,
        "review alert",
        "Mark the oldest open alert reviewed, with a note of what you did",
    ),
];

const CLIENT_SESSIONS: &[Binding] = &[
    MARKS[0],
    MARKS[1],
    MARKS[2],
    MARKS[3],
    b(
        &[k('c')],
        Action::CancelSession,
        "cancel…",
        "Cancel the selected session (offers another way to attend first)",
    ),
    b(
        &[code(KeyCode::Enter)],
        Action::Open,
        "note",
        "The selected session's note (write it, or read it once signed)",
    ),
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

const CLIENT_NOTES: &[Binding] = &[
    b(
        &[k('/')],
        Action::SearchNotes,
        "search",
        "Search this client's notes",
    ),
    b(
        &[code(KeyCode::Enter)],
        Action::Open,
        "open",
        "Open the selected note",
    ),
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
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "back",
        "Back to all the notes after a search; else back to where you opened the client",
    ),
];

const CLIENT_NOTES_SEARCH: &[Binding] = &[
    b(
        &[code(KeyCode::Enter)],
        Action::Submit,
        "search",
        "Search for what is typed",
    ),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "all notes",
        "Clear the search: all the notes",
    ),
    QUIT,
];

const CLIENT_ASSESSMENTS: &[Binding] = &[
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
    b(
        &[k('r')],
        Action::ReviewAlert,
        "review alert",
        "Mark the oldest open alert reviewed, with a note of what you did",
    ),
];

const CLIENT_GOALS: &[Binding] = &[
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

const CLIENT_BOUNDARIES: &[Binding] = &[
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

const CLIENT_HISTORY: &[Binding] = &[
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

/// The table for a context (without the global one).
pub fn bindings(ctx: Context) -> &'static [Binding] {
    match ctx {
        Context::Global => GLOBAL,
        Context::Today => TODAY,
        Context::TodayWelcome => TODAY_WELCOME,
        Context::Agenda => AGENDA,
        Context::Clients => CLIENTS,
        Context::ClientsFilter => CLIENTS_FILTER,
        Context::Placeholder => PLACEHOLDER,
        Context::Reports => REPORTS,
        Context::Form => FORM,
        Context::Picker => PICKER,
        Context::Confirm => CONFIRM,
        Context::Help => HELP,
        Context::Runner => RUNNER,
        Context::Recommendation => RECOMMENDATION,
        Context::ReasonEntry => REASON_ENTRY,
        Context::Assessments => ASSESSMENTS,
        Context::CancelWho => CANCEL_WHO,
        Context::CancelOffer => CANCEL_OFFER,
        Context::CancelConsent => CANCEL_CONSENT,
        Context::CancelSlots => CANCEL_SLOTS,
        Context::CancelCheck => CANCEL_CHECK,
        Context::CancelConfirm => CANCEL_CONFIRM,
        Context::CancelNote => CANCEL_NOTE,
        Context::PracticeSettings => PRACTICE_SETTINGS,
        Context::RelDocument => REL_DOCUMENT,
        Context::RelGoals => REL_GOALS,
        Context::RelRating => REL_RATING,
        Context::RelDischargeReason => REL_DISCHARGE_REASON,
        Context::RelDischargeConfirm => REL_DISCHARGE_CONFIRM,
        Context::RelReview => REL_REVIEW,
        Context::NoteEditor => NOTE_EDITOR,
        Context::NoteView => NOTE_VIEW,
        Context::NoteAddendum => NOTE_ADDENDUM,
        Context::ClientOverview => CLIENT_OVERVIEW,
        Context::ClientSessions => CLIENT_SESSIONS,
        Context::ClientNotes => CLIENT_NOTES,
        Context::ClientNotesSearch => CLIENT_NOTES_SEARCH,
        Context::ClientAssessments => CLIENT_ASSESSMENTS,
        Context::ClientGoals => CLIENT_GOALS,
        Context::ClientBoundaries => CLIENT_BOUNDARIES,
        Context::ClientHistory => CLIENT_HISTORY,
    }
}

fn matches(key: &Key, ev: &KeyEvent) -> bool {
    let mods = ev.modifiers - KeyModifiers::SHIFT;
    match (key.0, ev.code) {
        // Letters arrive with SHIFT for capitals; the character already says which.
        (KeyCode::Char(a), KeyCode::Char(b)) => a == b && key.1 == mods,
        (KeyCode::BackTab, KeyCode::BackTab) => true,
        (a, b) => a == b && key.1 == mods,
    }
}

/// The action for a key in a context: the context's own table first, then the global one where
/// the context takes it.
pub fn lookup(ctx: Context, ev: &KeyEvent) -> Option<Action> {
    let own = bindings(ctx)
        .iter()
        .find(|b| b.keys.iter().any(|k| matches(k, ev)));
    if let Some(b) = own {
        return Some(b.action);
    }
    if ctx.takes_globals() {
        return GLOBAL
            .iter()
            .find(|b| b.keys.iter().any(|k| matches(k, ev)))
            .map(|b| b.action);
    }
    None
}

/// How a key is written in hints and help.
pub fn key_label(key: &Key) -> String {
    let base = match key.0 {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if key.1.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{base}")
    } else {
        base
    }
}

/// All the keys of a binding, e.g. "j ↓".
pub fn keys_label(b: &Binding) -> String {
    let mut seen: Vec<String> = Vec::new();
    for k in b.keys {
        let l = key_label(k);
        if !seen.contains(&l) {
            seen.push(l);
        }
    }
    seen.join(" ")
}

/// The status-bar hints for a context: its own, then the global ones it takes.
pub fn hints(ctx: Context) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = bindings(ctx)
        .iter()
        .filter(|b| !b.hint.is_empty())
        .map(|b| (key_label(&b.keys[0]), b.hint))
        .collect();
    if ctx.takes_globals() {
        out.extend(
            GLOBAL
                .iter()
                .filter(|b| !b.hint.is_empty())
                .map(|b| (key_label(&b.keys[0]), b.hint)),
        );
    }
    out
}

// ---- the working relationship (issue 7) ----------------------------------------------------

const REL_DOCUMENT: &[Binding] = &[
    down("Scroll down"),
    up("Scroll up"),
    b(
        &[code(KeyCode::PageDown), ctrl('d')],
        Action::PageDown,
        "",
        "Page down",
    ),
    b(
        &[code(KeyCode::PageUp), ctrl('u')],
        Action::PageUp,
        "",
        "Page up",
    ),
    b(
        &[k('w')],
        Action::WriteFile,
        "write page",
        "Write it as a printable web page beside the practice file",
    ),
    b(
        &[k('m')],
        Action::MarkGiven,
        "mark given",
        "Record the handout as given today (handouts only)",
    ),
    b(
        &[code(KeyCode::Esc), k('q')],
        Action::Back,
        "close",
        "Close",
    ),
    QUIT,
];

const REL_GOALS: &[Binding] = &[
    down("Move down"),
    up("Move up"),
    b(
        &[k('a')],
        Action::AddGoal,
        "add",
        "Add a goal agreed with the client",
    ),
    b(
        &[k('r')],
        Action::RateGoals,
        "rate",
        "Rate every active goal, 0 to 10",
    ),
    b(
        &[k('A')],
        Action::GoalAchieved,
        "achieved",
        "Mark the selected goal achieved",
    ),
    b(
        &[k('d')],
        Action::GoalDropped,
        "let go",
        "Let the selected goal go",
    ),
    b(
        &[k('u')],
        Action::GoalActive,
        "",
        "Make the selected goal active again",
    ),
    b(
        &[code(KeyCode::Esc), k('q')],
        Action::Back,
        "close",
        "Close",
    ),
    QUIT,
];

const REL_RATING: &[Binding] = &[
    b(&[k('0')], Action::Pick(0), "", "Rate 0"),
    b(&[k('1')], Action::Pick(1), "", "Rate 1"),
    b(&[k('2')], Action::Pick(2), "", "Rate 2"),
    b(&[k('3')], Action::Pick(3), "", "Rate 3"),
    b(&[k('4')], Action::Pick(4), "", "Rate 4"),
    b(&[k('5')], Action::Pick(5), "", "Rate 5"),
    b(&[k('6')], Action::Pick(6), "", "Rate 6"),
    b(&[k('7')], Action::Pick(7), "", "Rate 7"),
    b(&[k('8')], Action::Pick(8), "", "Rate 8"),
    b(&[k('9')], Action::Pick(9), "0–9", "Rate 9"),
    b(&[k('x')], Action::Pick(10), "10", "Rate 10"),
    b(
        &[k('s'), code(KeyCode::Tab)],
        Action::SkipItem,
        "skip",
        "Skip this goal for now",
    ),
    up("Back to the previous goal"),
    b(
        &[code(KeyCode::Enter)],
        Action::Submit,
        "save",
        "Save the ratings given",
    ),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "close",
        "Close; nothing is saved",
    ),
    QUIT,
];

const REL_DISCHARGE_REASON: &[Binding] = &[
    b(&[k('1')], Action::Pick(1), "", "Goals met"),
    b(&[k('2')], Action::Pick(2), "", "The client's choice"),
    b(
        &[k('3')],
        Action::Pick(3),
        "",
        "Needs outside this practice's scope",
    ),
    b(
        &[k('4')],
        Action::Pick(4),
        "",
        "The work was no longer helping",
    ),
    b(&[k('5')], Action::Pick(5), "", "Moved away"),
    b(&[k('6')], Action::Pick(6), "1–6 reason", "Other"),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "close",
        "Close; nothing changes",
    ),
    QUIT,
];

const REL_DISCHARGE_CONFIRM: &[Binding] = &[
    b(&[k('y')], Action::Yes, "end care", "End care as shown"),
    b(
        &[k('n'), code(KeyCode::Esc)],
        Action::No,
        "back",
        "Back to the details",
    ),
    QUIT,
];

const REL_REVIEW: &[Binding] = &[
    b(
        &[k('1')],
        Action::Pick(1),
        "",
        "Note it to discuss next session",
    ),
    b(
        &[k('2')],
        Action::Pick(2),
        "",
        "Reconsider the engagement model: the needs assessment opens",
    ),
    b(&[k('3')], Action::Pick(3), "", "Log a consultation"),
    b(
        &[k('4')],
        Action::Pick(4),
        "1–4 choose",
        "Start a discharge",
    ),
    b(
        &[code(KeyCode::Esc), k('q')],
        Action::Back,
        "close",
        "Close; nothing is recorded",
    ),
    QUIT,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn press(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    #[test]
    fn screen_keys_come_before_global_ones() {
        assert_eq!(
            lookup(
                Context::Clients,
                &press(KeyCode::Char('a'), KeyModifiers::NONE)
            ),
            Some(Action::AddClient)
        );
        assert_eq!(
            lookup(
                Context::Clients,
                &press(KeyCode::Char('q'), KeyModifiers::NONE)
            ),
            Some(Action::Quit)
        );
        assert_eq!(
            lookup(
                Context::Clients,
                &press(KeyCode::Char('G'), KeyModifiers::SHIFT)
            ),
            Some(Action::Bottom)
        );
        assert_eq!(
            lookup(
                Context::Today,
                &press(KeyCode::Char('3'), KeyModifiers::NONE)
            ),
            Some(Action::Go(ScreenId::Agenda))
        );
    }

    #[test]
    fn text_entry_does_not_take_global_letters() {
        assert_eq!(
            lookup(
                Context::Form,
                &press(KeyCode::Char('q'), KeyModifiers::NONE)
            ),
            None
        );
        assert_eq!(
            lookup(
                Context::ClientsFilter,
                &press(KeyCode::Char('2'), KeyModifiers::NONE)
            ),
            None
        );
        assert_eq!(
            lookup(
                Context::Form,
                &press(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(Action::Quit)
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for ctx in [
            Context::Today,
            Context::TodayWelcome,
            Context::Agenda,
            Context::NoteEditor,
            Context::NoteView,
            Context::NoteAddendum,
            Context::Clients,
            Context::ClientsFilter,
            Context::Reports,
            Context::Form,
            Context::Picker,
            Context::Confirm,
            Context::Help,
            Context::Runner,
            Context::Recommendation,
            Context::ReasonEntry,
            Context::Assessments,
            Context::CancelWho,
            Context::CancelOffer,
            Context::CancelConsent,
            Context::CancelSlots,
            Context::CancelCheck,
            Context::CancelConfirm,
            Context::CancelNote,
            Context::PracticeSettings,
            Context::ClientOverview,
            Context::ClientSessions,
            Context::ClientNotes,
            Context::ClientNotesSearch,
            Context::ClientAssessments,
            Context::ClientGoals,
            Context::ClientBoundaries,
            Context::ClientHistory,
            Context::RelDocument,
            Context::RelGoals,
            Context::RelRating,
            Context::RelDischargeReason,
            Context::RelDischargeConfirm,
            Context::RelReview,
        ] {
            let mut all: Vec<Key> = bindings(ctx)
                .iter()
                .flat_map(|b| b.keys.iter().copied())
                .collect();
            if ctx.takes_globals() {
                let own = all.clone();
                for g in GLOBAL.iter().flat_map(|b| b.keys.iter()) {
                    // A screen may shadow a global key only on purpose; none does today.
                    assert!(!own.contains(g), "{ctx:?} shadows {g:?}");
                }
                all.extend(GLOBAL.iter().flat_map(|b| b.keys.iter().copied()));
            }
            for (i, a) in all.iter().enumerate() {
                assert!(!all[i + 1..].contains(a), "{ctx:?} binds {a:?} twice");
            }
        }
    }

    #[test]
    fn privacy_and_lock_keys_are_free_in_every_context() {
        let everywhere_keys: Vec<Key> = GLOBAL
            .iter()
            .filter(|b| matches!(b.action, Action::TogglePrivacy | Action::Lock))
            .flat_map(|b| b.keys.iter().copied())
            .collect();
        assert_eq!(everywhere_keys.len(), 2);
        for ctx in ALL_CONTEXTS {
            for b in bindings(ctx) {
                for k in b.keys {
                    assert!(!everywhere_keys.contains(k), "{ctx:?} binds {k:?}");
                }
            }
        }
        // The note editor's text area has its own Ctrl keys (ratatui-textarea): G and L are
        // not among them (it uses A–F, H, J, K, M, N, P, R, U–Y).
        let ev = KeyEvent::new(KeyCode::Char('g'), KeyModifiers::CONTROL);
        assert_eq!(everywhere(&ev), Some(Action::TogglePrivacy));
        let ev = KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL);
        assert_eq!(everywhere(&ev), Some(Action::Lock));
        let ev = KeyEvent::new(KeyCode::Char('1'), KeyModifiers::NONE);
        assert_eq!(everywhere(&ev), None);
        // The Practice screen is no dead end: numbers, Tab and q work there too.
        assert_eq!(
            lookup(Context::PracticeSettings, &ev),
            Some(Action::Go(ScreenId::Today))
        );
        let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(lookup(Context::PracticeSettings, &q), Some(Action::Quit));
    }

    const ALL_CONTEXTS: [Context; 32] = [
        Context::Today,
        Context::TodayWelcome,
        Context::Agenda,
        Context::Clients,
        Context::ClientsFilter,
        Context::Placeholder,
        Context::Reports,
        Context::Form,
        Context::Picker,
        Context::Confirm,
        Context::Help,
        Context::Runner,
        Context::Recommendation,
        Context::ReasonEntry,
        Context::Assessments,
        Context::CancelWho,
        Context::CancelOffer,
        Context::CancelConsent,
        Context::CancelSlots,
        Context::CancelCheck,
        Context::CancelConfirm,
        Context::CancelNote,
        Context::PracticeSettings,
        Context::NoteEditor,
        Context::NoteView,
        Context::NoteAddendum,
        Context::RelDocument,
        Context::RelGoals,
        Context::RelRating,
        Context::RelDischargeReason,
        Context::RelDischargeConfirm,
        Context::RelReview,
    ];

    #[test]
    fn hints_include_globals_where_taken() {
        let h = hints(Context::Clients);
        assert!(h.iter().any(|(_, l)| *l == "help"));
        assert!(!hints(Context::Form).iter().any(|(_, l)| *l == "help"));
    }
}
