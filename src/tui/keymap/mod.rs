//! Keys → actions, one table per context. The same tables draw the status-bar hints and the `?`
//! help overlay, so the help can never disagree with what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

// The tables stay one binding per line: rustfmt leaves them as written.
#[rustfmt::skip]
mod tables;
use tables::*;

/// One key (a code and the modifiers that must be held).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key(pub KeyCode, pub KeyModifiers);

pub(super) const fn k(c: char) -> Key {
    Key(KeyCode::Char(c), KeyModifiers::NONE)
}
pub(super) const fn code(c: KeyCode) -> Key {
    Key(c, KeyModifiers::NONE)
}
pub(super) const fn ctrl(c: char) -> Key {
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

pub(super) const fn b(
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
pub(super) const fn down(help: &'static str) -> Binding {
    const KEYS: &[Key] = &[k('j'), code(KeyCode::Down)];
    b(KEYS, Action::Down, "", help)
}

/// `k` or ↑: the row before.
pub(super) const fn up(help: &'static str) -> Binding {
    const KEYS: &[Key] = &[k('k'), code(KeyCode::Up)];
    b(KEYS, Action::Up, "", help)
}

/// Where keys are being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Global,
    Today,
    TodayWelcome,
    Agenda,
    Clients,
    ClientsFilter,
    Reports,
    Form,
    Picker,
    Confirm,
    /// A booking that overlaps other sessions.
    BookingClash,
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
    // Money (issue 17).
    ClientBilling,
    Income,
    Services,
    // The working relationship (issue 7).
    RelDocument,
    RelGoals,
    RelRating,
    RelDischargeReason,
    RelDischargeConfirm,
    RelReview,
    /// A session's detail (read only).
    SessionDetail,
    /// Finding a client to book for: typing filters the list.
    ClientPick,
    /// The Agenda's "go to a date".
    JumpTo,
    /// The transition summary, on screen.
    Summary,
    // Records over their whole life (issue 18).
    PracticeRecords,
}

impl Context {
    /// Every context where keys are read (not [`Context::Global`], which is a table only).
    pub const ALL: &'static [Context] = &[
        Context::Today,
        Context::TodayWelcome,
        Context::Agenda,
        Context::Clients,
        Context::ClientsFilter,
        Context::Reports,
        Context::Form,
        Context::Picker,
        Context::Confirm,
        Context::Help,
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
        Context::Runner,
        Context::Recommendation,
        Context::ReasonEntry,
        Context::Assessments,
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
        Context::SessionDetail,
        Context::ClientPick,
        Context::JumpTo,
        Context::BookingClash,
        Context::Summary,
        Context::PracticeRecords,
        Context::ClientBilling,
        Context::Income,
        Context::Services,
    ];

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
                | Context::ClientPick
                | Context::JumpTo
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
                | Context::Reports
                | Context::Assessments
                | Context::ClientOverview
                | Context::ClientSessions
                | Context::ClientNotes
                | Context::ClientAssessments
                | Context::ClientGoals
                | Context::ClientBoundaries
                | Context::ClientHistory
                | Context::ClientBilling
                | Context::Income
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
            Context::Reports => "Reports",
            Context::Form => "A form",
            Context::Picker => "Choosing from a list",
            Context::Confirm => "A question",
            Context::BookingClash => "Booking · a clash",
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
            Context::RelDocument => "The handout",
            Context::RelGoals => "Goals",
            Context::RelRating => "Rating goals",
            Context::RelDischargeReason => "Ending care · the reason",
            Context::RelDischargeConfirm => "Ending care · confirming",
            Context::RelReview => "Review",
            Context::SessionDetail => "A session's detail",
            Context::ClientPick => "Choosing a client",
            Context::JumpTo => "Going to a date",
            Context::Summary => "The transition summary",
            Context::PracticeRecords => "Records and disposal",
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
            Context::ClientBilling => "A client · Billing",
            Context::Income => "Reports · Income",
            Context::Services => "Services and fees",
        }
    }
}

/// Ctrl-C (the `QUIT` binding): quits from anywhere, the lock screen and typing included.
pub fn quits_everywhere(ev: &KeyEvent) -> bool {
    QUIT.keys.iter().any(|k| matches(k, ev))
}

/// The keys that work in every context, typing included (checked before any other table).
pub fn everywhere(ev: &KeyEvent) -> Option<Action> {
    GLOBAL
        .iter()
        .filter(|b| matches!(b.action, Action::TogglePrivacy | Action::Lock))
        .find(|b| b.keys.iter().any(|k| matches(k, ev)))
        .map(|b| b.action)
}

// ---- the cancellation dialog ----------------------------------------------------------------

// ---- the client view ------------------------------------------------------------------------

/// The table for a context (without the global one).
pub fn bindings(ctx: Context) -> &'static [Binding] {
    match ctx {
        Context::Global => GLOBAL,
        Context::Today => TODAY,
        Context::TodayWelcome => TODAY_WELCOME,
        Context::Agenda => AGENDA,
        Context::Clients => CLIENTS,
        Context::ClientsFilter => CLIENTS_FILTER,
        Context::Reports => REPORTS,
        Context::Form => FORM,
        Context::Picker => PICKER,
        Context::Confirm => CONFIRM,
        Context::BookingClash => BOOKING_CLASH,
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
        Context::SessionDetail => SESSION_DETAIL,
        Context::ClientPick => CLIENT_PICK,
        Context::JumpTo => JUMP_TO,
        Context::Summary => SUMMARY,
        Context::PracticeRecords => PRACTICE_RECORDS,
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
        Context::ClientBilling => CLIENT_BILLING,
        Context::Income => INCOME,
        Context::Services => SERVICES,
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

/// The bindings a context's status bar hints at: its own, then the global ones it takes.
pub fn hinted(ctx: Context) -> Vec<&'static Binding> {
    let mut out: Vec<&'static Binding> = bindings(ctx)
        .iter()
        .filter(|b| !b.hint.is_empty())
        .collect();
    if ctx.takes_globals() {
        out.extend(GLOBAL.iter().filter(|b| !b.hint.is_empty()));
    }
    out
}

/// How one binding is hinted: its first key and its hint, or, for a hint that starts with a range
/// of keys (`"1–6 reason"`), the range and the rest, so no key is named before its range.
pub fn hint_of(b: &Binding) -> (String, &'static str) {
    if let Some((range, rest)) = b.hint.split_once(' ')
        && is_key_range(range)
    {
        return (range.to_string(), rest);
    }
    (key_label(&b.keys[0]), b.hint)
}

/// `"0–9"`, `"1–4"`: a range of number keys.
fn is_key_range(s: &str) -> bool {
    match s.split_once('–') {
        Some((a, z)) => a.parse::<u8>().is_ok() && z.parse::<u8>().is_ok(),
        None => false,
    }
}

/// The status-bar hints for a context: its own, then the global ones it takes.
pub fn hints(ctx: Context) -> Vec<(String, &'static str)> {
    hinted(ctx).into_iter().map(hint_of).collect()
}

// ---- the working relationship (issue 7) ----------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::action::ScreenId;

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
        for &ctx in Context::ALL {
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
        for &ctx in Context::ALL {
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

    #[test]
    fn a_range_of_keys_is_hinted_once() {
        let h = hints(Context::RelRating);
        assert!(h.contains(&("0–9".to_string(), "rate")), "{h:?}");
        assert!(!h.iter().any(|(k, _)| k == "9"), "{h:?}");
        let h = hints(Context::RelDischargeReason);
        assert_eq!(h[0], ("1–6".to_string(), "reason"));
        let h = hints(Context::RelReview);
        assert_eq!(h[0], ("1–4".to_string(), "choose"));
    }

    #[test]
    fn hints_include_globals_where_taken() {
        let h = hints(Context::Clients);
        assert!(h.iter().any(|(_, l)| *l == "help"));
        assert!(!hints(Context::Form).iter().any(|(_, l)| *l == "help"));
    }
}
