//! `kith import qualtrics`: a Qualtrics survey file converted into kith survey and instrument
//! files, written into a folder, checked, with what could not be converted listed.

use super::Outcome;
use crate::files::FsLoader;
use crate::render::{self, fail};
use anyhow::Result;
use kith_instrument::import::{MAX_QSF_BYTES, convert_qsf};
use std::io::Write;
use std::path::Path;

/// `kith import qualtrics SURVEY.qsf -o DIR`.
pub fn qualtrics(qsf: &Path, output: &Path, force: bool) -> Result<Outcome> {
    let name = qsf.display().to_string();
    let bytes = crate::files::read_file(qsf, Some(MAX_QSF_BYTES as u64)).map_err(|error| {
        fail(
            format!("cannot read `{name}`: {error}"),
            "export the survey from Qualtrics (Tools › Import/Export › Export Survey) and name the .qsf file",
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        fail(
            format!("`{name}` is not UTF-8 text, so it is not a Qualtrics survey file"),
            "export the survey from Qualtrics again as a .qsf file",
        )
    })?;
    let conversion = convert_qsf(&text, &name)?;
    // Nothing is overwritten unless asked: a converted survey may have been edited since.
    if !force {
        let existing: Vec<String> = conversion
            .files
            .iter()
            .map(|file| output.join(&file.path))
            .filter(|path| path.exists())
            .map(|path| format!("`{}`", path.display()))
            .collect();
        if !existing.is_empty() {
            return Err(fail(
                format!(
                    "{} already exist{}",
                    existing.join(", "),
                    if existing.len() == 1 { "s" } else { "" }
                ),
                "choose another folder with -o, or add --force to replace them",
            ));
        }
    }
    for file in &conversion.files {
        let path = output.join(&file.path);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|error| {
                fail(
                    format!("cannot create the folder `{}`: {error}", folder.display()),
                    "choose a folder you can write to with -o",
                )
            })?;
        }
        crate::atomic::write_file(&path, |writer| Ok(writer.write_all(file.text.as_bytes())?))?;
    }
    let survey = output.join(&conversion.survey_path);
    let loader = FsLoader::default();
    let checked = kith_instrument::survey::check_file(&survey, &loader);
    let mut err = std::io::stderr().lock();
    write!(
        err,
        "{}",
        render::diagnostics(&checked.diagnostics, &loader)
    )?;
    for left in &conversion.left_out {
        let tag = left
            .export_tag
            .as_ref()
            .map(|tag| format!(" ({tag})"))
            .unwrap_or_default();
        writeln!(
            err,
            "left out: {}{tag}, {}: {}",
            left.question_id, left.what, left.reason
        )?;
    }
    for note in &conversion.notes {
        writeln!(err, "note: {note}")?;
    }
    writeln!(
        err,
        "wrote {} into `{}` ({}); {} left out",
        render::count(conversion.files.len(), "file", "files"),
        output.display(),
        survey.display(),
        render::count(conversion.left_out.len(), "part", "parts"),
    )?;
    if checked.form.is_none() {
        return Ok(Outcome::Failed);
    }
    Ok(Outcome::Success)
}
