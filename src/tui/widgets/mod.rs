//! Reusable pieces of screens.

pub mod form;
pub mod popup;
pub mod rows;
pub mod timeline;
