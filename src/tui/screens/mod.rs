//! One module per screen: state, `handle(action)` and `draw`.

pub mod assessments;
pub mod clients;
pub mod placeholder;
pub mod today;
