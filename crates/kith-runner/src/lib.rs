//! kith-runner: administering surveys — the session engine, the SQLite response store, the
//! terminal front-end and exports of the store for scoring.
pub mod answer;
pub mod conduct;
pub mod engine;
pub mod export;
pub mod screen;
pub mod store;
pub mod terminal;
