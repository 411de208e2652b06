//! kith-analysis: reading response files, scoring, psychometrics, analysis plans, regression,
//! mediation and simulation, matching R (psych, lm, glm, PROCESS).
//!
//! Engines here take values (bytes of a file, a checked `Form`) and return values; the binary
//! does the file I/O and the printing.

// A library does not panic on an invariant it cannot see: it returns an error or leaves the
// value out, so that no input can stop kith with a panic.
#![cfg_attr(not(test), deny(clippy::expect_used))]

pub mod analyze;
pub mod bootstrap;
pub mod collinearity;
pub mod compare;
pub mod crossprod;
pub mod dataset;
pub mod describe;
pub mod distributions;
pub mod family;
pub mod figures;
pub mod glm;
pub mod importance;
pub mod linear;
pub mod measurement;
pub mod mediation;
pub mod moderation;
pub mod network;
pub mod omega;
pub mod output;
pub mod plan;
pub mod power;
pub mod problem;
pub mod psychometrics;
pub mod read;
pub mod reliability;
pub mod results;
pub(crate) mod roots;
pub mod score;
pub mod screening;
pub mod simulate;
pub mod sniff;
pub mod study;
pub mod values;
