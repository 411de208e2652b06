//! `kith simulate`: respondents of a survey drawn from a population model.

use super::Outcome;
use crate::input::form_for;
use crate::progress::Progress;
use crate::render::fail;
use anyhow::Result;
use kith_analysis::read::FileFormat;
use kith_analysis::simulate;
use std::io::Write;
use std::path::Path;

/// `kith simulate SURVEY --n N --seed S [--model FILE] -o FILE`.
pub fn run(
    survey: &Path,
    n: usize,
    seed: u64,
    model_path: Option<&Path>,
    output: &Path,
) -> Result<Outcome> {
    let Some(form) = form_for(survey, "nothing was simulated")? else {
        return Ok(Outcome::Failed);
    };
    let (model, _) = crate::input::population_model(model_path, &form)?;
    // The output's format is known before anything is drawn, so a wrong name is not found
    // minutes later.
    let name = output.display().to_string();
    let format = match FileFormat::from_name(&name) {
        Some(FileFormat::Csv) | None => kith_analysis::output::OutputFormat::Csv,
        Some(FileFormat::Tsv) => kith_analysis::output::OutputFormat::Tsv,
        Some(FileFormat::Parquet) => kith_analysis::output::OutputFormat::Parquet,
        Some(FileFormat::Spss) if name.to_lowercase().ends_with(".zsav") => {
            kith_analysis::output::OutputFormat::Zsav
        }
        Some(FileFormat::Spss) => kith_analysis::output::OutputFormat::Sav,
        Some(FileFormat::Stata) => kith_analysis::output::OutputFormat::Dta,
        Some(FileFormat::JsonLines) => {
            return Err(fail(
                format!(
                    "kith simulate writes CSV, TSV, Parquet, SPSS or Stata files, not `{name}`"
                ),
                "name the output .csv, .tsv, .parquet, .sav or .dta",
            ));
        }
    };
    let drawing = Progress::start(&format!("simulating {n} respondents"));
    let data = simulate::simulate(&form, &model, n, seed);
    drawing.finish();
    let data = data.map_err(|e| {
        fail(
            format!("cannot simulate `{}`: {}", survey.display(), e.message),
            e.hint,
        )
    })?;
    if !data.independent_items.is_empty() {
        writeln!(
            std::io::stderr(),
            "note: {} item{} not in the model {} drawn independently of everything else: {}",
            data.independent_items.len(),
            if data.independent_items.len() == 1 {
                ""
            } else {
                "s"
            },
            if data.independent_items.len() == 1 {
                "was"
            } else {
                "were"
            },
            data.independent_items.join(", ")
        )?;
    }
    let writing = Progress::start(&format!("writing {name}"));
    let mut frame = simulate::to_frame(&data)?;
    let labelled = matches!(
        format,
        kith_analysis::output::OutputFormat::Sav
            | kith_analysis::output::OutputFormat::Zsav
            | kith_analysis::output::OutputFormat::Dta
    );
    let labels = kith_labelled::describe_form(&kith_instrument::codebook::codebook(&form));
    crate::atomic::write_file(output, |writer| {
        if labelled {
            let bytes =
                kith_analysis::output::write_labelled(frame.clone(), format, &labels, &name)?;
            writer.write_all(&bytes)?;
        } else {
            kith_analysis::output::write_frame(&mut frame, format, writer)?;
        }
        Ok(())
    })?;
    writing.finish();
    writeln!(
        std::io::stderr(),
        "wrote {n} simulated respondents of `{}` to `{name}` (seed {seed})",
        form.id
    )?;
    if let Some(organization) = &data.organization {
        write_organization(output, &data.ids, organization)?;
    }
    Ok(Outcome::Success)
}

/// Writes a simulated organization beside the responses: `STEM-roster.csv` (each member's id
/// and unit) and `STEM-RELATION-edges.csv` (ego, alter) for each relation.
fn write_organization(
    output: &Path,
    ids: &[String],
    organization: &simulate::organization::SimulatedOrganization,
) -> Result<()> {
    let mut written = Vec::new();
    for (path, text) in simulate::organization::files_beside(output, ids, organization) {
        crate::atomic::write_file(&path, |w| Ok(w.write_all(text.as_bytes())?))?;
        written.push(path.display().to_string());
    }
    writeln!(
        std::io::stderr(),
        "wrote the organization of the first {} respondents: {}",
        organization.members,
        written.join(", ")
    )?;
    Ok(())
}
