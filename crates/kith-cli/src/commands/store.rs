//! `kith store backup`: a consistent copy of a response store.

use super::Outcome;
use anyhow::Result;
use kith_runner::store::Store;
use std::io::Write;
use std::path::Path;

/// `kith store backup`: a consistent copy of a store, while sessions may be running.
pub fn backup(store: &Path, output: &Path) -> Result<Outcome> {
    let source = Store::open_existing(store)?;
    let report = source.backup_to(output)?;
    writeln!(
        std::io::stderr(),
        "backed up `{}` to `{}`: {} session{}, {} KiB, one file (no -wal needed)",
        store.display(),
        report.path,
        report.sessions,
        if report.sessions == 1 { "" } else { "s" },
        report.bytes.div_ceil(1024)
    )?;
    Ok(Outcome::Success)
}
