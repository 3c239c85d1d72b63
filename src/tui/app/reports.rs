//! Reports figures, counted on a worker with its own read connection: opening Reports and each
//! month or view step only ask for them, and keys go on being handled meanwhile. The figures are
//! put in when they arrive, if they are still for the month and view on screen (a result for a
//! month stepped past is dropped); after [`crate::background::SHOW_WORKING_AFTER`] the pane says
//! "counting…". A practice in memory (tests), with nothing another connection could open, is
//! counted here and now.

use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use super::App;
use crate::background::Worker;
use crate::domain::attendance::Month;
use crate::tui::action::ScreenId;
use crate::tui::screens::reports::{View, ViewModel, compute};

/// What to count: the month, the view, and "now" (flags are as at the sooner of the month's end
/// and now).
pub struct Ask {
    month: Month,
    view: View,
    now: NaiveDateTime,
}

/// The worker counting the Reports figures.
pub struct ReportsReader {
    worker: Worker<Ask, ViewModel>,
}

impl ReportsReader {
    /// A worker reading the practice at `path` (opened with `key` when it is encrypted).
    pub fn new(
        path: std::path::PathBuf,
        key: Option<crate::store::crypt::FileKey>,
    ) -> ReportsReader {
        ReportsReader {
            worker: Worker::spawn(
                move || crate::background::open_reader(&path, key.as_ref()),
                |store, ask: Ask, _| compute(store, ask.month, ask.view, ask.now),
            ),
        }
    }
}

/// How long a frame may wait for figures that are nearly there, so a quick count shows at once
/// instead of a blank pane for a moment (keys are handled meanwhile).
const HOLD_FRAME: Duration = Duration::from_millis(16);

impl App {
    /// Asks for the figures of the month and view on screen.
    pub(super) fn refresh_reports(&mut self) {
        let now = self.clock.now_local();
        if self.reports_reader.is_none()
            && let Some(path) = self.store.path().map(std::path::Path::to_path_buf)
        {
            let key = self.store.file_key_for_backups().cloned();
            self.reports_reader = Some(ReportsReader::new(path, key));
        }
        let (month, view) = self.reports.wanted(now);
        match &mut self.reports_reader {
            Some(r) => {
                r.worker.submit(Ask { month, view, now }, Instant::now());
            }
            None => {
                if let Err(e) = self.reports.refresh(&self.store, now) {
                    self.error(e.to_string());
                }
            }
        }
    }

    /// Puts the figures in once they have arrived, and says "counting…" when they have taken a
    /// while (at `now`).
    pub fn check_reports(&mut self, now: Instant) {
        let Some(r) = &mut self.reports_reader else {
            return;
        };
        let arrived = r.worker.poll();
        self.reports.counting = r.worker.working(now);
        match arrived {
            Some(Ok(vm)) => {
                self.reports.put(vm);
            }
            Some(Err(e)) => self.error(format!("The reports could not be counted: {e}")),
            None => {}
        }
    }

    /// Whether figures are on their way (the app then looks for them often).
    pub(super) fn reports_pending(&self) -> bool {
        self.reports_reader
            .as_ref()
            .is_some_and(|r| r.worker.pending())
    }

    /// Whether to hold this frame back a moment: Reports is on screen and its figures were
    /// asked for less than a frame ago.
    pub(super) fn reports_hold_frame(&self, now: Instant) -> bool {
        self.screen == ScreenId::Reports
            && self.client_view.is_none()
            && self
                .reports_reader
                .as_ref()
                .and_then(|r| r.worker.waited(now))
                .is_some_and(|w| w < HOLD_FRAME)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::config::Config;
    use crate::store::Store;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use std::sync::Mutex;
    use std::sync::mpsc::{Receiver, Sender, channel};

    /// A practice on file: two sessions booked in November 2026, one in October.
    fn practice() -> (tempfile::TempDir, std::path::PathBuf, App) {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("p.db");
        let mut store = Store::open(&db).unwrap();
        let input = crate::domain::client::ClientInput {
            name: "Maria Lopez".into(),
            ..Default::default()
        }
        .validate(chrono::NaiveDate::from_ymd_opt(2025, 1, 6).unwrap())
        .unwrap();
        let id = store.add_client(&input, chrono::Utc::now()).unwrap().id;
        use crate::store::fixtures::session;
        session(&store, 1, id, "2026-10-05T09:00", "attended");
        session(&store, 2, id, "2026-11-02T09:00", "attended");
        session(&store, 3, id, "2026-11-09T09:00", "no_show");
        let now = crate::domain::time::parse_local("2026-11-23 09:30").unwrap();
        let app = App::new(store, Config::default(), Clock::fixed(now), true).unwrap();
        (dir, db, app)
    }

    /// A reader whose every count first says which month it started on, then waits for a word
    /// from the test: the test decides when each answer comes.
    fn gated(db: std::path::PathBuf) -> (ReportsReader, Sender<()>, Receiver<String>) {
        let (go, gate) = channel::<()>();
        let (started_tx, started) = channel::<String>();
        let gate = Mutex::new(gate);
        let started_tx = Mutex::new(started_tx);
        let worker = Worker::spawn(
            move || Store::open(&db),
            move |store, ask: Ask, _| {
                started_tx.lock().unwrap().send(ask.month.key()).unwrap();
                gate.lock().unwrap().recv().unwrap();
                compute(store, ask.month, ask.view, ask.now)
            },
        );
        (ReportsReader { worker }, go, started)
    }

    fn key(app: &mut App, c: char) {
        app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }

    fn screen(app: &mut App) -> String {
        let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
        t.draw(|f| app.draw(f)).unwrap();
        let buf = t.backend().buffer();
        let mut s = String::new();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                s.push_str(buf[(x, y)].symbol());
            }
            s.push('\n');
        }
        s
    }

    /// Polls until the figures asked for are in (the worker has been let go).
    fn until_in(app: &mut App) {
        for _ in 0..5000 {
            app.check_reports(Instant::now());
            if !app.reports_pending() {
                return;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        panic!("the figures never came");
    }

    #[test]
    fn the_pane_says_counting_when_the_figures_take_a_while_and_keys_are_not_held_up() {
        let (_dir, db, mut app) = practice();
        let (reader, go, started) = gated(db);
        app.reports_reader = Some(reader);
        let t0 = Instant::now();
        key(&mut app, '4');
        assert_eq!(started.recv().unwrap(), "2026-11");
        // Under a tenth of a second: the month's frame, nothing claimed yet.
        app.check_reports(t0);
        let s = screen(&mut app);
        assert!(s.contains("Attendance · November 2026"), "{s}");
        assert!(!s.contains("counting…"), "{s}");
        assert!(!s.contains("Booked"), "{s}");
        // Over it: "counting…".
        app.check_reports(t0 + Duration::from_millis(150));
        let s = screen(&mut app);
        assert!(s.contains("counting…"), "{s}");
        // The key to Today is handled while the count runs.
        key(&mut app, '1');
        assert_eq!(app.screen, ScreenId::Today);
        key(&mut app, '4');
        go.send(()).unwrap();
        assert_eq!(started.recv().unwrap(), "2026-11");
        go.send(()).unwrap();
        until_in(&mut app);
        let s = screen(&mut app);
        assert!(s.contains("Booked 2"), "{s}");
        assert!(!s.contains("counting…"), "{s}");
    }

    #[test]
    fn figures_for_a_month_stepped_past_are_dropped() {
        let (_dir, db, mut app) = practice();
        let (reader, go, started) = gated(db);
        app.reports_reader = Some(reader);
        key(&mut app, '4');
        assert_eq!(started.recv().unwrap(), "2026-11");
        key(&mut app, '[');
        // November's count finishes; October's starts only after November's answer was sent.
        go.send(()).unwrap();
        assert_eq!(started.recv().unwrap(), "2026-10");
        app.check_reports(Instant::now());
        assert!(app.reports.vm.is_none(), "November's figures were put in");
        let s = screen(&mut app);
        assert!(s.contains("Attendance · October 2026"), "{s}");
        assert!(!s.contains("Booked 2"), "{s}");
        go.send(()).unwrap();
        until_in(&mut app);
        let s = screen(&mut app);
        assert!(s.contains("Attendance · October 2026"), "{s}");
        assert!(s.contains("Booked 1"), "{s}");
        assert_eq!(app.reports.vm.as_ref().unwrap().month.key(), "2026-10");
    }

    #[test]
    fn a_practice_on_file_is_counted_on_the_worker() {
        let (_dir, _db, mut app) = practice();
        key(&mut app, '4');
        assert!(app.reports_reader.is_some());
        until_in(&mut app);
        let s = screen(&mut app);
        assert!(s.contains("Booked 2"), "{s}");
    }
}
