//! One module per screen: state, `handle(action)` and `draw`.

pub mod agenda;
pub mod client_notes;
pub mod clients;
pub mod note_editor;
pub mod placeholder;
pub mod reports;
pub mod today;
pub mod cancel_dialog;
pub mod practice_settings;
