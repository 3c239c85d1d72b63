//! One module per screen: state, `handle(action)` and `draw`.

pub mod agenda;
pub mod assessments;
pub mod client;
pub mod client_notes;
pub mod clients;
pub mod note_editor;
pub mod placeholder;
pub mod practice_settings;
pub mod reports;
pub mod today;
// The working relationship (issue 7).
pub mod goals;
pub mod practice_profile;
// Records over their whole life (issue 18).
pub mod practice_records;
