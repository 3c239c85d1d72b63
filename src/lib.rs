//! caseload: a private, offline practice companion for solo therapists, counsellors and coaches.
//!
//! Four rooms, data flowing one way: [`domain`] (pure rules), [`store`] (the SQLite practice
//! file), and the two faces, [`cli`] and [`tui`], which share every rule through the first two.

pub mod background;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod instruments;
pub mod open;
pub mod outfile;
pub mod paths;
pub mod store;
pub mod tui;
