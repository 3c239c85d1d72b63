#![allow(clippy::unwrap_used, clippy::panic)]
//! The practice file against real files: every refusal leaves the file byte-identical.

use std::fs;
use std::path::Path;

use caseload::domain::client::{ClientInput, ClientStatus};
use caseload::store::client::StatusFilter;
use caseload::store::{Store, StoreError, migrate};
use chrono::{NaiveDate, TimeZone, Utc};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn fields(name: &str) -> caseload::domain::client::ClientFields {
    ClientInput {
        name: name.into(),
        ..Default::default()
    }
    .validate(today())
    .unwrap()
}

fn refused(path: &Path) -> StoreError {
    let before = fs::read(path).ok();
    let err = Store::open(path).expect_err("must refuse");
    assert_eq!(
        fs::read(path).ok(),
        before,
        "the file must be left byte-identical"
    );
    for side in ["-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(side);
        assert!(
            !Path::new(&p).exists(),
            "no {side} file may be created beside a refused file"
        );
    }
    err
}

#[test]
fn a_new_file_is_private_and_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/practice/caseload.db");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), migrate::LATEST);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            fs::metadata(path.parent().unwrap())
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o700
        );
    }
    let mode: String = store
        .conn()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = store
        .conn()
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
}

#[test]
fn reopening_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    let id = Store::open(&path)
        .unwrap()
        .add_client(&fields("Zoë Ångström"), now())
        .unwrap()
        .id;
    let store = Store::open(&path).unwrap();
    let c = store.client(id).unwrap();
    assert_eq!(c.name, "Zoë Ångström");
    assert_eq!(c.status, ClientStatus::Active);
    assert_eq!(c.created_at, now());
}

#[test]
fn random_bytes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("noise.db");
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    fs::write(&path, bytes).unwrap();
    let e = refused(&path);
    assert!(matches!(e, StoreError::NotSqlite { .. }), "{e}");
    assert!(e.to_string().contains("not a caseload practice file"));
}

#[test]
fn a_text_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    fs::write(
        &path,
        "Dear diary, today I wrote no SQL at all.\n".repeat(40),
    )
    .unwrap();
    assert!(matches!(refused(&path), StoreError::NotSqlite { .. }));
}

#[test]
fn an_empty_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    fs::write(&path, b"").unwrap();
    let e = refused(&path);
    assert!(e.to_string().contains("empty"), "{e}");
}

#[test]
fn a_truncated_practice_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.db");
    {
        let mut s = Store::open(&good).unwrap();
        for i in 0..50 {
            s.add_client(&fields(&format!("Client {i}")), now())
                .unwrap();
        }
        s.conn()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
    let bytes = fs::read(&good).unwrap();
    let cut = dir.path().join("cut.db");
    fs::write(&cut, &bytes[..300]).unwrap();
    assert!(matches!(refused(&cut), StoreError::NotSqlite { .. }));
}

#[test]
fn another_programs_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');")
            .unwrap();
    }
    let e = refused(&path);
    assert!(matches!(e, StoreError::Foreign { .. }), "{e}");
    assert!(e.to_string().contains("another program"));
}

#[test]
fn a_database_with_another_application_id_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("PRAGMA application_id = 12345; PRAGMA user_version = 1;")
            .unwrap();
    }
    assert!(matches!(refused(&path), StoreError::Foreign { .. }));
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    drop(Store::open(&path).unwrap());
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(&format!(
            "PRAGMA user_version = {}; PRAGMA journal_mode = DELETE;",
            migrate::LATEST + 1
        ))
        .unwrap();
    }
    let e = refused(&path);
    assert!(matches!(e, StoreError::Newer { .. }), "{e}");
    assert!(e.to_string().contains("newer version of caseload"));
}

#[test]
fn a_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let e = Store::open(dir.path()).unwrap_err();
    assert!(matches!(e, StoreError::IsDirectory { .. }));
    assert!(e.to_string().contains("is a folder"));
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing is created inside it"
    );
}

#[test]
fn a_path_that_cannot_be_written_is_refused() {
    // Tests may run as root, so make the path impossible rather than forbidden: its parent is a file.
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("plain-file");
    fs::write(&blocker, "x").unwrap();
    let e = Store::open(&blocker.join("caseload.db")).unwrap_err();
    assert!(matches!(e, StoreError::CannotWrite { .. }), "{e}");
    assert!(e.to_string().contains("can't write"));
    assert_eq!(fs::read(&blocker).unwrap(), b"x");
}

#[test]
fn invalid_input_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    let mut store = Store::open(&path).unwrap();
    let kept = store.add_client(&fields("Ana Costa"), now()).unwrap();
    let before = every_row(&path);

    // The form refuses, naming each field.
    let bad = ClientInput {
        name: "  ".into(),
        born: "2026-02-30".into(),
        ..Default::default()
    };
    let e = bad.validate(today()).unwrap_err();
    let named: Vec<&str> = e.errors.iter().map(|f| f.field).collect();
    assert_eq!(named, ["name", "born"]);

    // Writes the store refuses change nothing in the file.
    let e = store
        .update_client(999, &fields("Nobody"), now())
        .unwrap_err();
    assert_eq!(e.to_string(), "There is no client with id 999.");
    assert!(
        store
            .set_client_status(999, ClientStatus::OnHold, now())
            .is_err()
    );
    let booking = caseload::store::session::BookingRequest {
        client_id: kept.id,
        starts_at: chrono::NaiveDate::from_ymd_opt(2026, 11, 24)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap(),
        minutes: 0,
        modality: caseload::domain::session::Modality::InPerson,
        repeat: caseload::domain::schedule::Repeat::weekly(3),
    };
    assert!(store.book(&booking, false, now()).is_err());
    let e = store.client(999).unwrap_err();
    assert_eq!(e.to_string(), "There is no client with id 999.");
    drop(store);
    assert_eq!(every_row(&path), before);
}

/// Every row of every table, as text, to compare a file before and after.
fn every_row(path: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let rows: Vec<String> = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        out.push(format!("{t}: {rows:?}"));
    }
    out
}

#[test]
fn two_instances_on_one_file_lose_no_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    let mut a = Store::open(&path).unwrap();
    let mut b = Store::open(&path).unwrap();
    let first = a.add_client(&fields("Ana Costa"), now()).unwrap();
    // The second instance sees the first one's write on its next read.
    assert_eq!(b.client(first.id).unwrap().name, "Ana Costa");
    b.update_client(first.id, &fields("Ana Costa Silva"), now())
        .unwrap();
    a.set_client_status(first.id, ClientStatus::OnHold, now())
        .unwrap();
    let seen = a.client(first.id).unwrap();
    assert_eq!(seen.name, "Ana Costa Silva");
    assert_eq!(seen.status, ClientStatus::OnHold);
    // Interleaved writers from two threads: every write lands.
    let p1 = path.clone();
    let p2 = path.clone();
    let t1 = std::thread::spawn(move || {
        let mut s = Store::open(&p1).unwrap();
        for i in 0..40 {
            s.add_client(&fields(&format!("A {i}")), now()).unwrap();
        }
    });
    let t2 = std::thread::spawn(move || {
        let mut s = Store::open(&p2).unwrap();
        for i in 0..40 {
            s.add_client(&fields(&format!("B {i}")), now()).unwrap();
        }
    });
    t1.join().unwrap();
    t2.join().unwrap();
    assert_eq!(a.client_count().unwrap(), 81);
}

#[test]
fn clients_are_never_deleted_and_status_history_is_kept() {
    let mut s = Store::open_in_memory().unwrap();
    let c = s.add_client(&fields("Olu Adeyemi"), now()).unwrap();
    s.set_client_status(c.id, ClientStatus::Discharged, now())
        .unwrap();
    s.set_client_status(c.id, ClientStatus::Active, now())
        .unwrap();
    let h = s.status_history(c.id).unwrap();
    let path: Vec<_> = h.iter().map(|x| x.to_status).collect();
    assert_eq!(
        path,
        vec![
            ClientStatus::Active,
            ClientStatus::Discharged,
            ClientStatus::Active
        ]
    );
    let e = s
        .conn()
        .execute("DELETE FROM clients WHERE id = ?1", [c.id])
        .unwrap_err();
    assert!(e.to_string().contains("never deleted"));
    assert_eq!(
        s.clients(StatusFilter::Only(ClientStatus::Active))
            .unwrap()
            .len(),
        1
    );
    assert!(
        s.set_client_status(404, ClientStatus::Active, now())
            .is_err()
    );
}

#[test]
fn settings_round_trip() {
    let mut s = Store::open_in_memory().unwrap();
    assert_eq!(s.setting::<u32>("window").unwrap(), None);
    s.set_setting("window", &24u32).unwrap();
    s.set_setting("window", &48u32).unwrap();
    assert_eq!(s.setting::<u32>("window").unwrap(), Some(48));
}
