//! Reliability reports as text or Markdown: rendered by kith-report (`kith_report::reliability`),
//! named here for the `kith reliability` command in `score.rs`.

pub use kith_report::reliability::{markdown as reliability_markdown, text as reliability_text};
