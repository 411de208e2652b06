//! kith-instrument: the model of instruments and surveys, their validation, fingerprints and codebooks.
#![cfg_attr(not(test), deny(clippy::expect_used))]
pub mod codebook;
pub mod diagnostic;
pub mod document;
pub mod escape;
pub mod fingerprint;
pub mod flow;
pub mod form;
pub mod import;
pub mod include;
pub mod located;
pub mod logic;
pub mod model;
pub mod people;
mod places;
mod scale;
pub mod schema;
pub mod survey;
pub mod validate;
