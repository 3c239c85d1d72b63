//! One module per screen: state, `handle(action)` and `draw`.

pub mod cancel_dialog;
pub mod clients;
pub mod placeholder;
pub mod practice_settings;
pub mod today;
// The working relationship (issue 7).
pub mod goals;
pub mod practice_profile;
pub mod relationship;
