//! Small practices written straight into SQL, for the store's unit tests.

use super::Store;

/// An in-memory practice with two clients: 1 Ruth Morgan and 2 Olu Adeyemi.
pub fn two_clients() -> Store {
    let s = Store::open_in_memory().unwrap();
    s.conn()
        .execute_batch(
            "INSERT INTO clients (id, name, intake_date, created_at, updated_at)
             VALUES (1, 'Ruth Morgan', '2020-01-01', 'x', 'x'),
                    (2, 'Olu Adeyemi', '2020-01-01', 'x', 'x');",
        )
        .unwrap();
    s
}

/// A 50-minute in-person session with the given id, client, start and status.
pub fn session(s: &Store, id: i64, client: i64, start: &str, status: &str) {
    s.conn()
        .execute(
            "INSERT INTO sessions (id, client_id, starts_at, minutes, modality, status, created_at, updated_at)
             VALUES (?1, ?2, ?3, 50, 'in_person', ?4, 'x', 'x')",
            (id, client, start, status),
        )
        .unwrap();
}
