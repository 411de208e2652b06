//! One module per command. A command module uses the shared modules below it (`input`,
//! `render`, `progress`, `files`, `atomic`, `output`) and the libraries, never another command.

pub mod analyze;
pub mod chart;
pub mod check;
pub mod codebook;
pub mod export;
pub mod import;
pub mod links;
pub mod power;
pub mod reliability;
pub mod run;
pub mod schema;
pub mod score;
pub mod screen;
pub mod serve;
pub mod simulate;
pub mod store;

/// What a command reports back for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The input was invalid or a check failed; the details are already printed.
    Failed,
}
