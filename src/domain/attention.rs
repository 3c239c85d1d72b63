//! "Needs attention": the practitioner's to-do list on Today.
//!
//! Each kind of item is its own variant, so that later parts of caseload add variants (unsigned
//! notes, re-assessments due, attendance falling) rather than strings. Every item says in one line
//! what it is about and where Enter takes the practitioner.

use chrono::{NaiveDate, NaiveDateTime};

/// Where Enter on an item goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttentionTarget {
    /// Today's screen on that day, with that session selected.
    Session { id: i64, day: NaiveDate },
    /// A client's detail view.
    Client { id: i64 },
    /// The Practice screen (practice-wide reminders: retention, the handover archive).
    Practice,
    /// The note editor on a session's note (Today moves to that day and session too).
    SessionNote { id: i64, day: NaiveDate },
}

/// One thing that needs the practitioner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttentionItem {
    /// A session that has passed with no outcome recorded.
    NoOutcome {
        session_id: i64,
        client_id: i64,
        /// The client's short name, e.g. "Lena F.".
        client: String,
        starts_at: NaiveDateTime,
    },
    /// A client's attendance needs a look (a rule in `attendance::flags` fired).
    Attendance {
        client_id: i64,
        /// The client's short name.
        client: String,
        flag: super::attendance::Flag,
        /// Their latest counted session.
        last_session: NaiveDateTime,
    },
    /// An attended session whose note is missing or not signed, a day or more after it.
    UnsignedNote {
        session_id: i64,
        client_id: i64,
        client: String,
        starts_at: NaiveDateTime,
        /// The draft, when one was started.
        note_id: Option<i64>,
    },
    /// Review signals fired for a client (the working relationship may need a look).
    ReviewSignal {
        client_id: i64,
        client: String,
        /// The first signal's one-line summary, with how many more fired.
        summary: String,
        /// When it was noticed (now), for ordering.
        noticed: NaiveDateTime,
    },
    /// An answer in a measure crossed a flag's threshold and has not been reviewed yet.
    FlagAlert {
        alert_id: i64,
        client_id: i64,
        client: String,
        /// The flag's message, e.g. "Thoughts of self-harm: ask about safety today".
        message: String,
        given: NaiveDate,
    },
    /// The engagement assessment is due again (days or sessions since the last one).
    ReassessmentDue {
        client_id: i64,
        client: String,
        days_since: i64,
        sessions_since: i64,
        last: NaiveDate,
    },
    /// A client's oldest unpaid charge is older than the practice's "balance over N days".
    BalanceDue {
        client_id: i64,
        client: String,
        /// What they owe, in words with the currency (e.g. "USD 300.00").
        owed: String,
        /// The day of their oldest unpaid charge.
        since: NaiveDate,
        days: i64,
    },
    /// Records have passed their keep-until date (not on hold, out of care): shown once a
    /// month until the list is looked at. Practice-wide (client id 0).
    RetentionDue {
        clients: usize,
        /// The earliest keep-until date among them.
        since: NaiveDate,
        noticed: NaiveDateTime,
    },
    /// The newest handover archive is older than the reminder setting.
    HandoverDue {
        last: NaiveDate,
        noticed: NaiveDateTime,
    },
}

/// A few words for what a flag alert is about, from its message: "self-harm item" for
/// "Thoughts of self-harm were reported: …"; otherwise the message up to its first colon or
/// full stop, cut to a few words.
fn alert_what(message: &str) -> String {
    let lower = message.to_lowercase();
    if lower.contains("self-harm") || lower.contains("hurting myself") {
        return "self-harm item".into();
    }
    if lower.contains("suicid") {
        return "suicide item".into();
    }
    let head = message
        .split([':', '.'])
        .next()
        .unwrap_or(message)
        .trim()
        .trim_end_matches(" were reported")
        .trim_end_matches(" was reported");
    let words: Vec<&str> = head.split_whitespace().take(4).collect();
    let mut out = words.join(" ");
    if let Some(first) = out.get(..1) {
        out = format!("{}{}", first.to_lowercase(), out.get(1..).unwrap_or(""));
    }
    if out.is_empty() { "alert".into() } else { out }
}

/// The client id of a practice-wide item.
pub const PRACTICE_WIDE: i64 = 0;

impl AttentionItem {
    /// How urgent, lower first: risk before missing records before reminders.
    pub fn rank(&self) -> u8 {
        match self {
            AttentionItem::FlagAlert { .. } => 10,
            AttentionItem::NoOutcome { .. } => 20,
            AttentionItem::ReassessmentDue { .. } => 50,
            AttentionItem::Attendance { .. } => 40,
            AttentionItem::UnsignedNote { .. } => 30,
            AttentionItem::ReviewSignal { .. } => 30,
            AttentionItem::BalanceDue { .. } => 60,
            AttentionItem::RetentionDue { .. } | AttentionItem::HandoverDue { .. } => 60,
        }
    }

    /// When it is about (items of the same rank: oldest first).
    pub fn when(&self) -> NaiveDateTime {
        match self {
            AttentionItem::NoOutcome { starts_at, .. } => *starts_at,
            AttentionItem::FlagAlert { given, .. } => given.and_time(chrono::NaiveTime::MIN),
            AttentionItem::ReassessmentDue { last, .. } => last.and_time(chrono::NaiveTime::MIN),
            AttentionItem::Attendance { last_session, .. } => *last_session,
            AttentionItem::UnsignedNote { starts_at, .. } => *starts_at,
            AttentionItem::ReviewSignal { noticed, .. }
            | AttentionItem::RetentionDue { noticed, .. }
            | AttentionItem::HandoverDue { noticed, .. } => *noticed,
            AttentionItem::BalanceDue { since, .. } => since.and_time(chrono::NaiveTime::MIN),
        }
    }

    /// The marker shown before the line.
    pub fn marker(&self) -> &'static str {
        match self {
            AttentionItem::FlagAlert { .. } => "!",
            AttentionItem::NoOutcome { .. }
            | AttentionItem::ReassessmentDue { .. }
            | AttentionItem::Attendance { .. }
            | AttentionItem::UnsignedNote { .. }
            | AttentionItem::ReviewSignal { .. }
            | AttentionItem::BalanceDue { .. }
            | AttentionItem::RetentionDue { .. }
            | AttentionItem::HandoverDue { .. } => "•",
        }
    }

    /// The client's short name, as the item was made with it.
    pub fn client(&self) -> &str {
        match self {
            AttentionItem::NoOutcome { client, .. }
            | AttentionItem::Attendance { client, .. }
            | AttentionItem::UnsignedNote { client, .. }
            | AttentionItem::ReviewSignal { client, .. }
            | AttentionItem::FlagAlert { client, .. }
            | AttentionItem::ReassessmentDue { client, .. }
            | AttentionItem::BalanceDue { client, .. } => client,
            // Practice-wide: about no one client.
            AttentionItem::RetentionDue { .. } | AttentionItem::HandoverDue { .. } => "",
        }
    }

    /// The client's short name, to tell same-named clients apart ("Sam L. (2)").
    pub fn client_mut(&mut self) -> Option<&mut String> {
        match self {
            AttentionItem::NoOutcome { client, .. }
            | AttentionItem::Attendance { client, .. }
            | AttentionItem::UnsignedNote { client, .. }
            | AttentionItem::ReviewSignal { client, .. }
            | AttentionItem::FlagAlert { client, .. }
            | AttentionItem::ReassessmentDue { client, .. }
            | AttentionItem::BalanceDue { client, .. } => Some(client),
            AttentionItem::RetentionDue { .. } | AttentionItem::HandoverDue { .. } => None,
        }
    }

    /// One line for the list, e.g. "No outcome · Lena F. · Fri 20 Nov 14:00".
    pub fn line(&self) -> String {
        self.line_for(self.client())
    }

    /// [`AttentionItem::line`] with the client shown as `client` (initials in privacy mode).
    pub fn line_for(&self, client: &str) -> String {
        match self {
            AttentionItem::NoOutcome {
                client: _,
                starts_at,
                ..
            } => format!(
                "No outcome · {client} · {}",
                starts_at.format("%a %-d %b %H:%M")
            ),
            AttentionItem::Attendance {
                client: _, flag, ..
            } => {
                let what = match flag.rule() {
                    super::attendance::FlagRule::AttendanceFell => "Attendance falling",
                    super::attendance::FlagRule::MissedSessions => "Sessions missed",
                };
                format!("{what} · {client} · {}", flag.short())
            }
            AttentionItem::UnsignedNote {
                client: _,
                starts_at,
                note_id,
                ..
            } => format!(
                "{} · {client} · {}",
                if note_id.is_some() {
                    "Unsigned note"
                } else {
                    "No note yet"
                },
                starts_at.format("%a %-d %b")
            ),
            AttentionItem::ReviewSignal {
                client: _, summary, ..
            } => format!("Review · {client} · {summary}"),
            AttentionItem::FlagAlert {
                client: _,
                message,
                given,
                ..
            } => format!("{message} · {client} · {}", given.format("%-d %b")),
            AttentionItem::ReassessmentDue {
                client: _,
                days_since,
                sessions_since,
                ..
            } => format!(
                "Re-assessment due · {client} · {days_since} days, {sessions_since} sessions"
            ),
            AttentionItem::BalanceDue {
                client: _,
                owed,
                days,
                ..
            } => format!("Balance due · {client} · {owed}, oldest {days} days"),
            AttentionItem::RetentionDue { clients, since, .. } => format!(
                "Records past their keep-until date · {clients} client{} · since {}",
                if *clients == 1 { "" } else { "s" },
                since.format("%-d %b %Y")
            ),
            AttentionItem::HandoverDue { last, .. } => format!(
                "Handover archive due · the newest is from {}",
                last.format("%-d %b %Y")
            ),
        }
    }

    /// The short row for the list: the client first, then what and when, e.g.
    /// "Farah K. · self-harm item 10 Nov". Practice-wide items keep their [`AttentionItem::line`].
    /// The full line is shown beneath the list for the selected item.
    pub fn row_for(&self, client: &str) -> String {
        let day = |d: NaiveDate| d.format("%-d %b").to_string();
        match self {
            AttentionItem::NoOutcome { starts_at, .. } => {
                format!("{client} · no outcome {}", starts_at.format("%-d %b %H:%M"))
            }
            AttentionItem::Attendance {
                flag, last_session, ..
            } => {
                let what = match flag.rule() {
                    super::attendance::FlagRule::AttendanceFell => "attendance falling",
                    super::attendance::FlagRule::MissedSessions => "sessions missed",
                };
                format!("{client} · {what} {}", day(last_session.date()))
            }
            AttentionItem::UnsignedNote {
                starts_at, note_id, ..
            } => format!(
                "{client} · {} {}",
                if note_id.is_some() {
                    "unsigned note"
                } else {
                    "no note yet"
                },
                day(starts_at.date())
            ),
            AttentionItem::ReviewSignal { .. } => format!("{client} · review the work together"),
            AttentionItem::FlagAlert { message, given, .. } => {
                format!("{client} · {} {}", alert_what(message), day(*given))
            }
            AttentionItem::ReassessmentDue { last, .. } => {
                format!("{client} · re-assessment due, last {}", day(*last))
            }
            AttentionItem::BalanceDue { owed, since, .. } => {
                format!("{client} · owes {owed} since {}", day(*since))
            }
            AttentionItem::RetentionDue { .. } | AttentionItem::HandoverDue { .. } => {
                self.line_for(client)
            }
        }
    }

    /// The client the item is about.
    pub fn client_id(&self) -> i64 {
        match self {
            AttentionItem::NoOutcome { client_id, .. }
            | AttentionItem::Attendance { client_id, .. }
            | AttentionItem::UnsignedNote { client_id, .. }
            | AttentionItem::ReviewSignal { client_id, .. }
            | AttentionItem::FlagAlert { client_id, .. }
            | AttentionItem::ReassessmentDue { client_id, .. }
            | AttentionItem::BalanceDue { client_id, .. } => *client_id,
            AttentionItem::RetentionDue { .. } | AttentionItem::HandoverDue { .. } => PRACTICE_WIDE,
        }
    }

    pub fn target(&self) -> AttentionTarget {
        match self {
            AttentionItem::NoOutcome {
                session_id,
                starts_at,
                ..
            } => AttentionTarget::Session {
                id: *session_id,
                day: starts_at.date(),
            },
            AttentionItem::Attendance { client_id, .. } => {
                AttentionTarget::Client { id: *client_id }
            }
            AttentionItem::UnsignedNote {
                session_id,
                starts_at,
                ..
            } => AttentionTarget::SessionNote {
                id: *session_id,
                day: starts_at.date(),
            },
            AttentionItem::ReviewSignal { client_id, .. } => {
                AttentionTarget::Client { id: *client_id }
            }
            AttentionItem::FlagAlert { client_id, .. }
            | AttentionItem::ReassessmentDue { client_id, .. }
            | AttentionItem::BalanceDue { client_id, .. } => {
                AttentionTarget::Client { id: *client_id }
            }
            AttentionItem::RetentionDue { .. } | AttentionItem::HandoverDue { .. } => {
                AttentionTarget::Practice
            }
        }
    }
}

/// Puts items in the order the list shows them: most urgent first, then oldest first, then by
/// line and client (a total order, so the list reads the same however it was put together).
pub fn sort(items: &mut [AttentionItem]) {
    items.sort_by_cached_key(|i| (i.rank(), i.when(), i.line(), i.client_id()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        crate::domain::time::parse_local(s).unwrap()
    }

    #[test]
    fn a_balance_due_reads_plainly_and_goes_to_the_client() {
        let item = AttentionItem::BalanceDue {
            client_id: 3,
            client: "Ruth M.".into(),
            owed: "USD 300.00".into(),
            since: at("2026-09-01 00:00").date(),
            days: 80,
        };
        assert_eq!(
            item.line(),
            "Balance due · Ruth M. · USD 300.00, oldest 80 days"
        );
        assert_eq!(item.target(), AttentionTarget::Client { id: 3 });
        assert_eq!(item.rank(), 60);
    }

    #[test]
    fn a_missing_outcome_reads_plainly_and_goes_to_its_day() {
        let item = AttentionItem::NoOutcome {
            session_id: 4,
            client_id: 2,
            client: "Lena F.".into(),
            starts_at: at("2026-11-20 14:00"),
        };
        assert_eq!(item.line(), "No outcome · Lena F. · Fri 20 Nov 14:00");
        assert_eq!(
            item.target(),
            AttentionTarget::Session {
                id: 4,
                day: at("2026-11-20 14:00").date()
            }
        );
    }

    #[test]
    fn an_attendance_flag_reads_plainly_and_goes_to_the_client() {
        use crate::domain::attendance::Flag;
        let item = AttentionItem::Attendance {
            client_id: 9,
            client: "Ruth M.".into(),
            flag: Flag::AttendanceFell {
                recent_pct: 50,
                before_pct: 90,
            },
            last_session: at("2026-11-20 14:00"),
        };
        assert_eq!(item.line(), "Attendance falling · Ruth M. · 50% from 90%");
        assert_eq!(item.target(), AttentionTarget::Client { id: 9 });
        let missed = AttentionItem::Attendance {
            client_id: 3,
            client: "Olu A.".into(),
            flag: Flag::MissedSessions {
                of: 5,
                no_show: 2,
                late_cancelled: 0,
            },
            last_session: at("2026-11-20 14:00"),
        };
        assert_eq!(
            missed.line(),
            "Sessions missed · Olu A. · 2 of the last 5 missed"
        );
        // Missing outcomes come before attendance reminders.
        let mut v = vec![
            missed.clone(),
            AttentionItem::NoOutcome {
                session_id: 1,
                client_id: 3,
                client: "Olu A.".into(),
                starts_at: at("2026-11-21 09:00"),
            },
        ];
        sort(&mut v);
        assert_eq!(v[1], missed);
    }

    #[test]
    fn an_unsigned_note_reads_plainly_and_opens_the_note() {
        let item = |note_id| AttentionItem::UnsignedNote {
            session_id: 9,
            client_id: 1,
            client: "Maria L.".into(),
            starts_at: at("2026-11-18 09:00"),
            note_id,
        };
        assert_eq!(
            item(Some(3)).line(),
            "Unsigned note · Maria L. · Wed 18 Nov"
        );
        assert_eq!(item(None).line(), "No note yet · Maria L. · Wed 18 Nov");
        assert_eq!(
            item(None).target(),
            AttentionTarget::SessionNote {
                id: 9,
                day: at("2026-11-18 09:00").date()
            }
        );
        let no_outcome = AttentionItem::NoOutcome {
            session_id: 4,
            client_id: 2,
            client: "Lena F.".into(),
            starts_at: at("2026-11-20 14:00"),
        };
        let mut v = vec![item(None), no_outcome.clone()];
        sort(&mut v);
        assert_eq!(v[0], no_outcome);
    }

    #[test]
    fn alerts_come_first_and_reassessments_last() {
        let day = at("2026-11-20 00:00").date();
        let alert = AttentionItem::FlagAlert {
            alert_id: 1,
            client_id: 7,
            client: "Sam O.".into(),
            message: "Thoughts of self-harm".into(),
            given: day,
        };
        let due = AttentionItem::ReassessmentDue {
            client_id: 8,
            client: "Tom B.".into(),
            days_since: 94,
            sessions_since: 9,
            last: day,
        };
        let missing = AttentionItem::NoOutcome {
            session_id: 4,
            client_id: 2,
            client: "Lena F.".into(),
            starts_at: at("2026-11-20 14:00"),
        };
        let mut v = vec![due.clone(), missing.clone(), alert.clone()];
        sort(&mut v);
        assert_eq!(v, vec![alert.clone(), missing, due.clone()]);
        assert_eq!(alert.marker(), "!");
        assert_eq!(alert.line(), "Thoughts of self-harm · Sam O. · 20 Nov");
        assert_eq!(
            due.line(),
            "Re-assessment due · Tom B. · 94 days, 9 sessions"
        );
        assert_eq!(due.target(), AttentionTarget::Client { id: 8 });
    }

    #[test]
    fn rows_start_with_the_client_then_what_and_when() {
        let day = at("2026-11-10 00:00").date();
        let alert = AttentionItem::FlagAlert {
            alert_id: 1,
            client_id: 7,
            client: "Farah Khan".into(),
            message: "Thoughts of self-harm were reported: check safety at the next contact."
                .into(),
            given: day,
        };
        assert_eq!(
            alert.row_for("Farah K."),
            "Farah K. · self-harm item 10 Nov"
        );
        assert_eq!(alert.row_for("F.K."), "F.K. · self-harm item 10 Nov");
        let other = AttentionItem::FlagAlert {
            alert_id: 2,
            client_id: 7,
            client: "Farah Khan".into(),
            message: "Panic attacks every day: ask about them".into(),
            given: day,
        };
        assert_eq!(
            other.row_for("Farah K."),
            "Farah K. · panic attacks every day 10 Nov"
        );
        let missing = AttentionItem::NoOutcome {
            session_id: 4,
            client_id: 2,
            client: "Lena F.".into(),
            starts_at: at("2026-11-20 14:00"),
        };
        assert_eq!(
            missing.row_for("Lena F."),
            "Lena F. · no outcome 20 Nov 14:00"
        );
        let due = AttentionItem::ReassessmentDue {
            client_id: 8,
            client: "Tom B.".into(),
            days_since: 94,
            sessions_since: 9,
            last: day,
        };
        assert_eq!(
            due.row_for("Tom B."),
            "Tom B. · re-assessment due, last 10 Nov"
        );
        let handover = AttentionItem::HandoverDue {
            last: day,
            noticed: at("2026-11-20 09:00"),
        };
        assert_eq!(
            handover.row_for(""),
            "Handover archive due · the newest is from 10 Nov 2026"
        );
    }

    #[test]
    fn oldest_first_within_a_rank() {
        let item = |id, t| AttentionItem::NoOutcome {
            session_id: id,
            client_id: 1,
            client: "A B.".into(),
            starts_at: at(t),
        };
        let mut v = vec![item(1, "2026-11-20 14:00"), item(2, "2026-11-02 09:00")];
        sort(&mut v);
        assert_eq!(v[0].target(), item(2, "2026-11-02 09:00").target());
    }
}
