//! kith-runner: administering surveys — the session engine, the SQLite response store, the
//! terminal and web front-ends, and exports of the store for scoring.
#![cfg_attr(not(test), deny(clippy::expect_used))]
pub mod answer;
pub mod conduct;
pub mod engine;
pub mod export;
pub mod html;
pub mod screen;
pub mod store;
pub mod strings;
pub mod terminal;
pub mod web;
