//! A study: an analysis plan with its survey and data, loaded and checked, then run.
//!
//! This is the pipeline behind `kith analyze` and `kith check PLAN`. It reaches files only
//! through [`StudyFiles`], which the binary implements over the file system (and tests over
//! memory), and it returns values: the study or the reason it was refused, and the notices to
//! show on the way, in the order they arose.

mod networks;
mod notice;
mod responses;
mod sociogram;

pub use networks::MEASURES as NETWORK_MEASURES;
pub use notice::{Notice, StudyError, io_reason};
pub use responses::{ResponseRead, read_with_notices};

use crate::analyze::{Applied, Progress, analyze, apply_screening, fit_measurements};
use crate::dataset::{self, Dataset};
use crate::plan::{
    Plan, PlanSource, check_screening, check_structure, check_variables, code_levels, parse_plan,
    uncomputed_index_warnings,
};
use crate::read::{DroppedRows, FileFormat, ReadOptions, ResponseTable, SettingNames};
use crate::reliability::{ReliabilityReport, reliability};
use crate::results::{NetworkResult, Results, ScreeningResult, SurveyInfo};
use crate::score::{Imputation, score_table};
use kith_instrument::diagnostic::Diagnostic;
use kith_instrument::fingerprint::fingerprint;
use kith_instrument::form::Form;
use kith_instrument::survey::{SourceLoader, check_file};
use std::path::Path;

/// How a study reaches its files. `load` (from [`SourceLoader`]) reads the plan, the survey
/// and the survey's includes as text.
pub trait StudyFiles: SourceLoader {
    /// The bytes of a data file.
    fn read_data(&self, path: &Path) -> std::io::Result<Vec<u8>>;
    /// Whether a file exists (the plan's survey is looked for before it is read).
    fn exists(&self, path: &Path) -> bool;
}

/// A plan that passed every check, with its survey and its data.
#[derive(Debug)]
pub struct Study {
    /// The plan as the user named it.
    pub name: String,
    pub plan: Plan,
    pub form: Option<Form>,
    /// The respondents every analysis uses: those the plan's exclusions kept.
    pub dataset: Dataset,
    /// With `screening:`, its outcome; with `sensitivity: true`, every respondent too.
    pub screening: Option<ScreeningResult>,
    /// The plan's networks (their measures are variables of `dataset`).
    pub networks: Vec<NetworkResult>,
    everyone: Option<Dataset>,
    /// The reliability of the survey's scores, when the plan reads one data file with a survey.
    reliability: Option<ReliabilityReport>,
    /// How many warnings the checks gave.
    pub warnings: usize,
}

/// The outcome of loading a study: what to tell the user, and the study when every check
/// passed (`Ok(None)` when a check failed; the notices say which).
#[derive(Debug)]
pub struct Loading {
    pub notices: Vec<Notice>,
    pub study: Result<Option<Study>, StudyError>,
}

impl Loading {
    fn refused(notices: Vec<Notice>) -> Self {
        Loading {
            notices,
            study: Ok(None),
        }
    }
}

/// A plan that passed the checks of its own text and its survey, before any data is read:
/// what a power analysis reuses for every simulated data set.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The plan as the user named it.
    pub name: String,
    pub plan: Plan,
    source: PlanSource,
    /// The folder the plan's paths are relative to.
    pub base: std::path::PathBuf,
    pub form: Option<Form>,
    /// The structure check's warnings, shown with the data's.
    diagnostics: Vec<Diagnostic>,
    /// Whether loading the data computes the reliability of the scores (for the report; a
    /// power analysis has no use for it).
    pub reliability: bool,
}

/// The notices of a plan refused for errors: its diagnostics, then the refusal.
fn refuse_plan(name: &str, notices: &mut Vec<Notice>, diagnostics: Vec<Diagnostic>) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    notices.push(Notice::Diagnostics(diagnostics));
    notices.push(Notice::PlanRefused {
        name: name.to_string(),
        errors,
    });
}

impl Prepared {
    /// Reads and checks a plan's text and its survey; the notices so far are in `notices`.
    /// `Err(None)`: a check failed (the notices say which); `Err(Some(error))`: a file could
    /// not be read.
    pub fn new(
        path: &Path,
        files: &dyn StudyFiles,
        notices: &mut Vec<Notice>,
    ) -> Result<Prepared, Option<StudyError>> {
        let name = path.display().to_string();
        let text = files.load(path).map_err(|error| {
            Some(StudyError::ReadPlan {
                name: name.clone(),
                error,
            })
        })?;
        let refuse = |notices: &mut Vec<Notice>, diagnostics: Vec<Diagnostic>| {
            refuse_plan(&name, notices, diagnostics);
            None
        };
        let (plan, source): (Plan, PlanSource) = match parse_plan(&name, &text) {
            Ok(parsed) => parsed,
            Err(diagnostics) => return Err(refuse(notices, diagnostics)),
        };
        let diagnostics = check_structure(&plan, &source);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(refuse(notices, diagnostics));
        }
        let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
        let form = match &plan.survey {
            Some(survey) => {
                let survey_path = base.join(survey);
                if !files.exists(&survey_path) {
                    notices.push(Notice::Diagnostics(diagnostics));
                    return Err(Some(StudyError::MissingSurvey {
                        path: survey_path.display().to_string(),
                    }));
                }
                let checked = check_file(&survey_path, files);
                notices.push(Notice::Diagnostics(checked.diagnostics));
                match checked.form {
                    Some(form) => Some(form),
                    None => {
                        notices.push(Notice::SurveyRefused { file: checked.file });
                        return Err(None);
                    }
                }
            }
            None => None,
        };
        Ok(Prepared {
            name,
            plan,
            source,
            base,
            form,
            diagnostics,
            reliability: true,
        })
    }

    /// A warning placed at `path` of the plan.
    pub fn warning(
        &self,
        code: &'static str,
        message: String,
        path: &kith_instrument::diagnostic::DocPath,
        hint: &str,
    ) -> Diagnostic {
        self.source.diagnostic(
            kith_instrument::diagnostic::Severity::Warning,
            code,
            message,
            path,
            Some(hint.to_string()),
        )
    }

    /// The paths of the plan's data files, as the study reads them.
    pub fn data_paths(&self) -> Vec<std::path::PathBuf> {
        self.plan
            .data
            .to_vec()
            .iter()
            .map(|file| self.base.join(file))
            .collect()
    }

    /// The paths of the files each of the plan's networks reads: (network, edges, roster).
    pub fn network_paths(&self) -> Vec<(String, std::path::PathBuf, Option<std::path::PathBuf>)> {
        self.plan
            .networks
            .iter()
            .map(|network| {
                (
                    network.name.clone(),
                    self.base.join(&network.edges),
                    network.roster.as_ref().map(|roster| self.base.join(roster)),
                )
            })
            .collect()
    }

    /// Reads the plan's data and networks, checks the variables and applies the exclusions:
    /// the rest of [`Study::load`].
    pub fn load_data(
        &self,
        files: &dyn StudyFiles,
        step: &dyn Fn(&str),
        mut notices: Vec<Notice>,
    ) -> Loading {
        let Prepared {
            name,
            plan,
            source,
            base,
            form,
            diagnostics,
            reliability: with_reliability,
        } = self;
        let mut diagnostics = diagnostics.clone();
        let base = base.as_path();
        let form = form.as_ref();
        step("reading data");
        let data = match read_data(plan, base, form, files, step, &mut notices) {
            Ok(Some(data)) => data,
            Ok(None) => return Loading::refused(notices),
            Err(error) => {
                return Loading {
                    notices,
                    study: Err(error),
                };
            }
        };
        let (mut dataset, table, dropped) = data;
        if !plan.networks.is_empty() {
            step("building networks");
        }
        let (networks, network_diagnostics) = networks::add_networks(
            &plan.networks,
            plan.id.as_deref(),
            source,
            base,
            files,
            &mut dataset,
        );
        diagnostics.extend(network_diagnostics);
        diagnostics.extend(code_levels(plan, source, &mut dataset));
        diagnostics.extend(check_variables(plan, source, &dataset));
        diagnostics.extend(check_screening(plan, source, &dataset, form.is_some()));
        let mut warnings = diagnostics.len();
        if diagnostics.iter().any(Diagnostic::is_error) {
            refuse_plan(name, &mut notices, diagnostics);
            return Loading::refused(notices);
        }
        notices.push(Notice::Diagnostics(diagnostics));
        let (dataset, screening, everyone, keep) = match &plan.screening {
            Some(spec) => {
                step("screening");
                let sources = plan.data.to_vec().join(", ");
                let Applied { keep, result } =
                    apply_screening(spec, form, &dataset, &dropped, &sources);
                let late = uncomputed_index_warnings(source, &result);
                if !late.is_empty() {
                    warnings += late.len();
                    notices.push(Notice::Diagnostics(late));
                }
                let kept = dataset.keep_rows(&keep);
                let everyone = spec.sensitivity.then_some(dataset);
                (kept, Some(result), everyone, Some(keep))
            }
            None => (dataset, None, None, None),
        };
        // The reliability of the respondents analysed, as every other analysis.
        let reliability = match (table, form) {
            _ if !with_reliability => None,
            (Some(table), Some(form)) => match keep {
                Some(keep) => table
                    .keep_rows(&keep)
                    .ok()
                    .map(|kept| reliability(&kept, form)),
                None => Some(reliability(&table, form)),
            },
            _ => None,
        };
        Loading {
            notices,
            study: Ok(Some(Study {
                name: name.clone(),
                plan: plan.clone(),
                form: form.cloned(),
                dataset,
                screening,
                networks,
                everyone,
                reliability,
                warnings,
            })),
        }
    }
}

impl Study {
    /// Loads and checks a plan: its syntax and structure, its survey, its data and its
    /// variables. `step` is told what is being done, for a progress display.
    pub fn load(path: &Path, files: &dyn StudyFiles, step: &dyn Fn(&str)) -> Loading {
        let mut notices = Vec::new();
        match Prepared::new(path, files, &mut notices) {
            Ok(prepared) => prepared.load_data(files, step, notices),
            Err(error) => Loading {
                notices,
                study: error.map_or(Ok(None), Err),
            },
        }
    }

    /// Runs every analysis of the plan: the complete results, with the survey's identity and
    /// the data behind the report's figures.
    pub fn run(&self, progress: Progress) -> Results {
        let mut results = analyze(&self.plan, &self.name, &self.dataset, progress);
        fit_measurements(&self.plan, self.form.as_ref(), &self.dataset, &mut results);
        results.screening = self.screening.clone();
        results.networks = self.networks.clone();
        if let Some(everyone) = &self.everyone {
            let mut again = analyze(&self.plan, &self.name, everyone, progress);
            fit_measurements(&self.plan, self.form.as_ref(), everyone, &mut again);
            results.sensitivity = Some(Box::new(again));
        }
        results.survey = self.form.as_ref().map(|form| SurveyInfo {
            id: form.id.clone(),
            version: form.version.clone(),
            fingerprint: fingerprint(form),
        });
        results.figures = crate::figures::collect(
            &self.plan,
            &self.dataset,
            self.form.as_ref(),
            self.reliability.as_ref(),
        );
        results
    }

    /// Fits every analysis once, as `kith check PLAN` does, so that collinearity, separation
    /// and too few cases are found before a long run: bootstraps draw the fewest resamples
    /// kith accepts, and the figures are not computed.
    pub fn trial(&self) -> Results {
        let plan = self.plan.for_trial();
        let mut results = analyze(&plan, &self.name, &self.dataset, &|_, _, _| {});
        fit_measurements(&plan, self.form.as_ref(), &self.dataset, &mut results);
        results
    }
}

/// Reads and stacks the plan's data files; with a survey, scores them, and computes the
/// reliability of the scores when there is one file. `Ok(None)` when a file had problems.
fn read_data(
    plan: &Plan,
    base: &Path,
    form: Option<&Form>,
    files: &dyn StudyFiles,
    step: &dyn Fn(&str),
    notices: &mut Vec<Notice>,
) -> Result<Option<(Dataset, Option<ResponseTable>, DroppedRows)>, StudyError> {
    let names = plan.data.to_vec();
    let mut data: Option<Dataset> = None;
    let mut report = None;
    let mut dropped = DroppedRows::default();
    for file in &names {
        let path = base.join(file);
        let shown = path.display().to_string();
        let format = FileFormat::from_name(&shown).ok_or_else(|| StudyError::UnknownFormat {
            name: shown.clone(),
        })?;
        step(&format!("loading {shown}"));
        let bytes = files
            .read_data(&path)
            .map_err(|error| StudyError::ReadData {
                name: shown.clone(),
                error,
            })?;
        step(&format!("reading {shown}"));
        let part = match form {
            Some(form) => {
                let mut options = ReadOptions::new(format);
                options.id_column = plan.id.clone();
                if plan.row_ids {
                    // Stacked files number their rows each from 1: the file tells them apart.
                    options.row_numbers = Some(if names.len() > 1 {
                        format!("{file}:")
                    } else {
                        String::new()
                    });
                }
                options.missing_codes = plan.missing_codes.clone();
                options.settings = SettingNames {
                    id: "the plan's `id:` key (or write `row_ids: true` to identify each respondent by their row in the file)".to_string(),
                    column_map: None,
                    include_partial: None,
                    missing_codes: "the plan's `missing_codes:` key".to_string(),
                };
                let read = read_with_notices(&shown, bytes, form, &options);
                notices.extend(read.notices);
                let table = match read.table {
                    Ok(table) => table,
                    Err(errors) => {
                        notices.push(Notice::ResponseProblems(errors));
                        return Ok(None);
                    }
                };
                dropped.add(&table.dropped);
                let scores = score_table(&table, form, Imputation::None);
                let part = dataset::from_table(&table, form, scores, &plan.missing_codes);
                if names.len() == 1 {
                    // Kept for the reliability, computed once the exclusions are known.
                    report = Some(table);
                }
                part
            }
            None => match dataset::read_plain(&shown, bytes, format, &plan.missing_codes) {
                Ok(dataset) => dataset,
                Err(errors) => {
                    notices.push(Notice::DataProblems(errors));
                    return Ok(None);
                }
            },
        };
        match &mut data {
            Some(all) => all.append(part),
            None => data = Some(part),
        }
    }
    Ok(data.map(|dataset| (dataset, report, dropped)))
}
