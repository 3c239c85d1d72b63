//! Every thing a key can ask for.

/// The top-level screens, in order (number keys 1–5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScreenId {
    Today,
    Clients,
    Agenda,
    Reports,
    Practice,
}

impl ScreenId {
    pub const ALL: [ScreenId; 5] = [
        ScreenId::Today,
        ScreenId::Clients,
        ScreenId::Agenda,
        ScreenId::Reports,
        ScreenId::Practice,
    ];

    pub fn title(self) -> &'static str {
        match self {
            ScreenId::Today => "Today",
            ScreenId::Clients => "Clients",
            ScreenId::Agenda => "Agenda",
            ScreenId::Reports => "Reports",
            ScreenId::Practice => "Practice",
        }
    }

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    pub fn next(self) -> ScreenId {
        Self::ALL[(self.index() + 1) % Self::ALL.len()]
    }

    pub fn prev(self) -> ScreenId {
        Self::ALL[(self.index() + Self::ALL.len() - 1) % Self::ALL.len()]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    Go(ScreenId),
    NextScreen,
    PrevScreen,
    // Moving in lists.
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    // Clients.
    Filter,
    NextStatusFilter,
    PrevStatusFilter,
    AddClient,
    EditClient,
    ChangeStatus,
    // Assessments.
    Assess,
    ViewAssessments,
    NextMeasure,
    /// Backspace in the questionnaire: the previous item.
    Previous,
    // Text entry and dialogs.
    Submit,
    Back,
    NextField,
    PrevField,
    ChoiceNext,
    ChoicePrev,
    Yes,
    No,
    Pick(u8),
    // Sessions: Today, the agenda, booking.
    MarkAttended,
    MarkLate,
    MarkNoShow,
    MarkScheduled,
    PrevDay,
    NextDay,
    ThisDay,
    PaneLeft,
    PaneRight,
    /// Enter on a list: open the thing selected.
    Open,
    BookSession,
    PrevWeek,
    NextWeek,
    JumpTo,
    // The cancellation dialog.
    CancelSession,
    ByClient,
    ByPractitioner,
    AddNote,
    CancelAnyway,
    WaiveFee,
    VerbalConsent,
    SkipConsent,
    // Practice settings.
    EditSettings,
    // The working relationship (issue 7).
    Handout,
    Goals,
    AddBoundary,
    Discharge,
    Review,
    MarkGiven,
    /// The transition summary of a client whose care has ended.
    TransitionSummary,
    WriteFile,
    AddGoal,
    RateGoals,
    GoalAchieved,
    GoalDropped,
    GoalActive,
    SkipItem,
    EditProfile,
    AddQa,
    MoveQaUp,
    MoveQaDown,
    RemoveQa,
    LogConsult,
    // Reports.
    PrevMonth,
    NextMonth,
    ThisMonth,
    /// Switch between one month and the twelve months ending with it.
    YearView,
    // Notes.
    /// Open the selected session's note (write it, or read it once signed).
    OpenNote,
    SaveNote,
    SignNote,
    /// Edit the note in $VISUAL / $EDITOR.
    ExternalEdit,
    ChangeTemplate,
    AddAddendum,
    /// Search notes (the client's Notes tab).
    SearchNotes,
    // Privacy in the room (they work everywhere, dialogs and text fields included).
    /// Client names as initials on every screen, or in full again.
    TogglePrivacy,
    /// Hide everything behind the lock screen.
    Lock,
    // The client view.
    NextTab,
    PrevTab,
    /// Mark a client's oldest open alert reviewed, with a note.
    ReviewAlert,
    // Money (issue 17).
    /// Record a payment from the client shown (or Today's selected session's client).
    RecordPayment,
    /// Reports: the income view, or back to attendance.
    IncomeView,
    /// Practice: the services and their fees.
    Services,
    /// Services: add one.
    AddService,
    /// Services: retire the selected one (asks first).
    RetireService,
    // Records over their whole life (issue 18).
    Records,
    HoldRecord,
    ReleaseHold,
    ToggleAllRecords,
}

/// The client view's actions (kept apart so that the list above merges cleanly).
impl Action {
    /// Whether the action starts a change to the practice file (a form, a mark, a signature):
    /// on a read-only practice it answers with a plain message instead.
    pub fn writes(self) -> bool {
        matches!(
            self,
            Action::AddClient
                | Action::EditClient
                | Action::ChangeStatus
                | Action::Assess
                | Action::MarkAttended
                | Action::MarkLate
                | Action::MarkNoShow
                | Action::MarkScheduled
                | Action::BookSession
                | Action::CancelSession
                | Action::EditSettings
                | Action::AddBoundary
                | Action::Discharge
                | Action::Review
                | Action::MarkGiven
                | Action::AddGoal
                | Action::RateGoals
                | Action::GoalAchieved
                | Action::GoalDropped
                | Action::GoalActive
                | Action::EditProfile
                | Action::AddQa
                | Action::MoveQaUp
                | Action::MoveQaDown
                | Action::RemoveQa
                | Action::LogConsult
                | Action::ReviewAlert
                | Action::SaveNote
                | Action::SignNote
                | Action::ExternalEdit
                | Action::AddAddendum
        )
    }

    /// Whether the action is one of the global ones (screens, help, quit), which work the same
    /// over the client view.
    pub fn is_global(self) -> bool {
        matches!(
            self,
            Action::Quit | Action::Help | Action::Go(_) | Action::NextScreen | Action::PrevScreen
        )
    }
}
