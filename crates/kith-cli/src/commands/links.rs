//! `kith links create`: single-use participant links for `kith serve`.

use super::Outcome;
use crate::render::fail;
use anyhow::Result;
use kith_runner::store::Store;
use std::io::Write;
use std::path::Path;

/// `kith links create`: single-use participant links.
pub fn create(store: &Path, survey: &str, n: usize, base_url: &str) -> Result<Outcome> {
    if n == 0 || n > 100_000 {
        return Err(fail(
            format!("--n {n} is out of range"),
            "create between 1 and 100000 links at a time",
        ));
    }
    let store_handle = Store::open_existing(store)?;
    let known = store_handle.surveys()?;
    if !known.iter().any(|s| s.survey_id == survey) {
        let ids: Vec<String> = known.iter().map(|s| format!("`{}`", s.survey_id)).collect();
        return Err(fail(
            format!("the store `{}` has no survey `{survey}`", store.display()),
            format!(
                "start `kith serve SURVEY --store {}` once to register it{}",
                store.display(),
                if ids.is_empty() {
                    String::new()
                } else {
                    format!("; it holds {}", ids.join(", "))
                }
            ),
        ));
    }
    let tokens = store_handle.create_links(survey, n, chrono::Utc::now())?;
    let base = base_url.trim_end_matches('/');
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    for token in tokens {
        writeln!(stdout, "{base}/l/{token}")?;
    }
    stdout.flush()?;
    writeln!(
        std::io::stderr(),
        "created {n} single-use link{} for `{survey}`; they are shown only now (the store keeps their hashes)",
        if n == 1 { "" } else { "s" }
    )?;
    Ok(Outcome::Success)
}
