//! One module per screen: state, `handle(action)` and `draw`.

pub mod clients;
pub mod placeholder;
pub mod today;
pub mod cancel_dialog;
pub mod practice_settings;
