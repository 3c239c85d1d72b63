//! Work off the key path: a `std::thread` worker with its own connection to the practice.
//!
//! The app hands a request to [`Worker::submit`] and goes on handling keys; each frame it calls
//! [`Worker::poll`], which hands over a result only if it answers the newest request. A result for
//! a month or a search no longer on screen is dropped, and requests that queued up behind a
//! running one are skipped in favour of the newest. [`Worker::working`] says when to show a
//! spinner or "counting…" (after [`SHOW_WORKING_AFTER`]); a job that can stop early (a backup)
//! checks [`Cancel::is_set`], which is set when the worker is dropped (the app quits).
//!
//! The worker opens its own connection with the opener it is given (a read connection, or the
//! writer the daily backup needs), so nothing it does holds up the app's connection; SQLite's WAL
//! lets it read while the app writes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::store::{Result, Store};

/// Show that something is being worked on once it has taken this long.
pub const SHOW_WORKING_AFTER: Duration = Duration::from_millis(100);

/// A worker's own connection to the practice at `path` (opened with `key` when encrypted). It is
/// an ordinary connection that only reads, so it sees every committed write, the write-ahead log
/// included ([`Store::open_read_only`] reads a file as immutable, for read-only disks, and would
/// miss what is still in the log). A file that has gone is refused, never made anew.
pub fn open_reader(
    path: &std::path::Path,
    key: Option<&crate::store::crypt::FileKey>,
) -> Result<Store> {
    if !path.exists() {
        return Err(crate::store::StoreError::Refused(format!(
            "There is no practice file at {}.",
            path.display()
        )));
    }
    Store::open_keyed(path, key)
}

/// Set when the work is no longer wanted (the worker was dropped): long jobs check it and stop,
/// leaving nothing behind.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    fn set(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

struct Job<Q> {
    ticket: u64,
    request: Q,
}

/// A finished job: the ticket of the request it answers and its result.
struct Done<R> {
    ticket: u64,
    result: Result<R>,
}

/// A worker thread running one kind of request (`Q`) into results (`R`).
pub struct Worker<Q: Send + 'static, R: Send + 'static> {
    jobs: Option<Sender<Job<Q>>>,
    done: Receiver<Done<R>>,
    /// The newest request's ticket (0: none yet).
    newest: u64,
    /// When the newest request was made, while it is not answered.
    pending_since: Option<Instant>,
    cancel: Cancel,
    thread: Option<JoinHandle<()>>,
}

impl<Q: Send + 'static, R: Send + 'static> Worker<Q, R> {
    /// Starts the worker. `open` runs on the worker thread and gives it its own connection;
    /// `run` answers one request. If `open` fails, every request is answered with that error.
    pub fn spawn<O, F>(open: O, run: F) -> Worker<Q, R>
    where
        O: FnOnce() -> Result<Store> + Send + 'static,
        F: Fn(&Store, Q, &Cancel) -> Result<R> + Send + 'static,
    {
        let (jobs, inbox) = mpsc::channel::<Job<Q>>();
        let (outbox, done) = mpsc::channel::<Done<R>>();
        let cancel = Cancel::default();
        let stop = cancel.clone();
        let thread = std::thread::spawn(move || {
            let store = open();
            while let Ok(mut job) = inbox.recv() {
                // Only the newest of the requests waiting is worth answering.
                loop {
                    match inbox.try_recv() {
                        Ok(newer) => job = newer,
                        Err(TryRecvError::Empty) => break,
                        Err(TryRecvError::Disconnected) => return,
                    }
                }
                if stop.is_set() {
                    return;
                }
                let result = match &store {
                    Ok(s) => run(s, job.request, &stop),
                    Err(e) => Err(crate::store::StoreError::Refused(e.to_string())),
                };
                if outbox
                    .send(Done {
                        ticket: job.ticket,
                        result,
                    })
                    .is_err()
                {
                    return;
                }
            }
        });
        Worker {
            jobs: Some(jobs),
            done,
            newest: 0,
            pending_since: None,
            cancel,
            thread: Some(thread),
        }
    }

    /// Asks for `request` (made at `now`); any earlier request's result will be dropped.
    /// Returns its ticket.
    pub fn submit(&mut self, request: Q, now: Instant) -> u64 {
        self.newest += 1;
        self.pending_since = Some(now);
        if let Some(jobs) = &self.jobs {
            // A worker that has stopped answers nothing; `working` then keeps saying so and the
            // app can fall back to doing the work itself.
            let _ = jobs.send(Job {
                ticket: self.newest,
                request,
            });
        }
        self.newest
    }

    /// The result of the newest request, if it has arrived (results of older ones are dropped).
    pub fn poll(&mut self) -> Option<Result<R>> {
        let mut latest = None;
        while let Ok(d) = self.done.try_recv() {
            if d.ticket == self.newest {
                self.pending_since = None;
                latest = Some(d.result);
            }
        }
        latest
    }

    /// Whether the newest request is still being worked on and has been for longer than
    /// [`SHOW_WORKING_AFTER`] at `now`: time to show a spinner.
    pub fn working(&self, now: Instant) -> bool {
        self.pending_since
            .is_some_and(|t| now.saturating_duration_since(t) > SHOW_WORKING_AFTER)
    }

    /// How long the newest request has been waiting for its answer at `now` (None: answered).
    pub fn waited(&self, now: Instant) -> Option<Duration> {
        self.pending_since.map(|t| now.saturating_duration_since(t))
    }

    /// Whether a request is waiting for its answer.
    pub fn pending(&self) -> bool {
        self.pending_since.is_some()
    }

    /// Asks the running job to stop and waits for the thread to end: for a job that writes (the
    /// daily backup), so that quitting leaves nothing half-written behind.
    pub fn stop(mut self) {
        self.cancel.set();
        self.jobs = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl<Q: Send + 'static, R: Send + 'static> Drop for Worker<Q, R> {
    fn drop(&mut self) {
        // The running job sees the flag and stops; queued ones are never started.
        self.cancel.set();
        self.jobs = None;
        // A job that does not look at the flag finishes on its own; quitting never waits for it.
        drop(self.thread.take());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;

    fn wait<R>(w: &mut Worker<impl Send + 'static, R>) -> Result<R>
    where
        R: Send + 'static,
    {
        for _ in 0..5000 {
            if let Some(r) = w.poll() {
                return r;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        panic!("the worker gave no answer");
    }

    fn add(s: &mut Store, name: &str) {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let input = crate::domain::client::ClientInput {
            name: name.into(),
            ..Default::default()
        }
        .validate(today)
        .unwrap();
        s.add_client(&input, chrono::Utc::now()).unwrap();
    }

    fn practice() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("p.db");
        let mut s = Store::open(&db).unwrap();
        add(&mut s, "Ada");
        (dir, db)
    }

    fn clients(s: &Store) -> Result<i64> {
        Ok(s.clients(Default::default())?.len() as i64)
    }

    #[test]
    fn the_worker_reads_with_its_own_connection_and_sees_committed_writes() {
        let (_dir, db) = practice();
        let path = db.clone();
        let mut w: Worker<(), i64> =
            Worker::spawn(move || Store::open(&path), |s, (), _| clients(s));
        w.submit((), Instant::now());
        assert_eq!(wait(&mut w).unwrap(), 1);
        // Another connection (the app's) writes; the next request sees it.
        let mut app = Store::open(&db).unwrap();
        add(&mut app, "Grace");
        w.submit((), Instant::now());
        assert_eq!(wait(&mut w).unwrap(), 2);
        assert!(!w.pending());
    }

    #[test]
    fn only_the_newest_request_is_answered() {
        let (_dir, db) = practice();
        // The first job waits for the test's word, so later requests queue up behind it.
        let (go, gate) = channel::<()>();
        let gate = std::sync::Mutex::new(gate);
        let mut w: Worker<u32, u32> = Worker::spawn(
            move || Store::open(&db),
            move |_, month, _| {
                if month == 1 {
                    let _ = gate.lock().unwrap().recv();
                }
                Ok(month * 10)
            },
        );
        let t = Instant::now();
        w.submit(1, t);
        std::thread::sleep(Duration::from_millis(20));
        w.submit(2, t);
        w.submit(3, t);
        let newest = w.submit(4, t);
        assert_eq!(newest, 4);
        go.send(()).unwrap();
        // Month 1's result arrives first and is dropped; 2 and 3 are skipped; 4 is answered.
        assert_eq!(wait(&mut w).unwrap(), 40);
        assert!(w.poll().is_none());
    }

    #[test]
    fn it_shows_it_is_working_after_a_tenth_of_a_second() {
        let (_dir, db) = practice();
        let (go, gate) = channel::<()>();
        let gate = std::sync::Mutex::new(gate);
        let mut w: Worker<(), ()> = Worker::spawn(
            move || Store::open(&db),
            move |_, (), _| {
                let _ = gate.lock().unwrap().recv();
                Ok(())
            },
        );
        let t = Instant::now();
        assert!(!w.working(t));
        w.submit((), t);
        assert!(w.pending());
        assert!(!w.working(t + Duration::from_millis(100)));
        assert!(w.working(t + Duration::from_millis(101)));
        go.send(()).unwrap();
        wait(&mut w).unwrap();
        assert!(!w.working(t + Duration::from_secs(5)));
    }

    #[test]
    fn dropping_the_worker_stops_a_long_job() {
        let (_dir, db) = practice();
        let (started_tx, started) = channel::<()>();
        let (stopped_tx, stopped) = channel::<bool>();
        let started_tx = std::sync::Mutex::new(started_tx);
        let stopped_tx = std::sync::Mutex::new(stopped_tx);
        let mut w: Worker<(), ()> = Worker::spawn(
            move || Store::open(&db),
            move |_, (), cancel| {
                started_tx.lock().unwrap().send(()).unwrap();
                // A long job in steps, looking at the flag between them.
                for _ in 0..10_000 {
                    if cancel.is_set() {
                        let _ = stopped_tx.lock().unwrap().send(true);
                        return Ok(());
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
                let _ = stopped_tx.lock().unwrap().send(false);
                Ok(())
            },
        );
        w.submit((), Instant::now());
        started.recv().unwrap();
        drop(w);
        assert!(stopped.recv_timeout(Duration::from_secs(30)).unwrap());
    }

    #[test]
    fn stopping_the_worker_waits_until_the_job_has_cleaned_up() {
        let (_dir, db) = practice();
        let (started_tx, started) = channel::<()>();
        let started_tx = std::sync::Mutex::new(started_tx);
        let cleaned = Arc::new(AtomicBool::new(false));
        let cleaned2 = Arc::clone(&cleaned);
        let mut w: Worker<(), ()> = Worker::spawn(
            move || Store::open(&db),
            move |_, (), cancel| {
                started_tx.lock().unwrap().send(()).unwrap();
                while !cancel.is_set() {
                    std::thread::sleep(Duration::from_millis(1));
                }
                std::thread::sleep(Duration::from_millis(20));
                cleaned2.store(true, Ordering::SeqCst);
                Ok(())
            },
        );
        w.submit((), Instant::now());
        started.recv().unwrap();
        w.stop();
        assert!(cleaned.load(Ordering::SeqCst));
    }

    #[test]
    fn a_file_that_cannot_be_opened_answers_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().to_path_buf();
        let mut w: Worker<(), i64> =
            Worker::spawn(move || Store::open(&folder), |s, (), _| clients(s));
        w.submit((), Instant::now());
        let e = wait(&mut w).unwrap_err().to_string();
        assert!(e.contains("is a folder"), "{e}");
    }
}
