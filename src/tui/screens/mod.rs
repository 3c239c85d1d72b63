//! One module per screen: state, `handle(action)` and `draw`.

pub mod clients;
pub mod placeholder;
pub mod reports;
pub mod today;
