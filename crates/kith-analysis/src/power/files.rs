//! The files a simulated data set stands in for: the plan's data file and, when the model
//! simulates an organization, its roster and edge lists, named as `kith simulate -o DATA`
//! names them. The plan reads them through [`StudyFiles`] exactly as it reads real files,
//! and nothing else: a plan file the simulation does not provide is an error before the run.

use super::{PowerError, invalid};
use crate::output::{OutputFormat, write_frame};
use crate::read::FileFormat;
use crate::simulate::organization::{file_beside, files_beside};
use crate::simulate::{PopulationModel, SimulatedData, to_frame};
use crate::study::{Prepared, StudyFiles};
use kith_instrument::survey::SourceLoader;
use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

/// Where the simulated files go and in which format.
pub struct Served {
    data: PathBuf,
    format: OutputFormat,
}

impl Served {
    /// Checks that the simulation can stand in for every file the plan reads.
    pub fn new(prepared: &Prepared, model: &PopulationModel) -> Result<Served, PowerError> {
        let paths = prepared.data_paths();
        let [data] = paths.as_slice() else {
            return Err(invalid(
                format!(
                    "the plan reads {} data files; a power analysis simulates one",
                    paths.len()
                ),
                "run the power analysis on a copy of the plan with one `data:` file",
            ));
        };
        let shown = data.display().to_string();
        let format = match FileFormat::from_name(&shown) {
            Some(FileFormat::Csv) | None => OutputFormat::Csv,
            Some(FileFormat::Tsv) => OutputFormat::Tsv,
            Some(FileFormat::Parquet) => OutputFormat::Parquet,
            Some(FileFormat::Spss) => OutputFormat::Sav,
            Some(FileFormat::Stata) => OutputFormat::Dta,
            Some(FileFormat::JsonLines) => {
                return Err(invalid(
                    format!(
                        "a power analysis simulates CSV, TSV, Parquet, SPSS or Stata files, not `{shown}`"
                    ),
                    "run the power analysis on a copy of the plan whose `data:` is a .csv file",
                ));
            }
        };
        let relations: Vec<String> = model
            .organization
            .iter()
            .flat_map(|o| o.relations.iter().map(|r| r.name.clone()))
            .collect();
        let roster = file_beside(data, "roster");
        for (network, edges, network_roster) in prepared.network_paths() {
            let simulated = relations
                .iter()
                .any(|relation| file_beside(data, &format!("{relation}-edges")) == edges);
            if !simulated {
                return Err(invalid(
                    format!(
                        "the plan's network `{network}` reads `{}`, which the population model does not simulate",
                        edges.display()
                    ),
                    &format!(
                        "each simulated data set comes with its organization's files as `kith simulate -o {shown}` writes them ({}); give the model an organization with that relation, or leave the network's analyses out with --only",
                        relations
                            .iter()
                            .map(|r| file_beside(data, &format!("{r}-edges"))
                                .display()
                                .to_string())
                            .chain(std::iter::once(roster.display().to_string()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            if let Some(path) = network_roster.filter(|path| *path != roster) {
                return Err(invalid(
                    format!(
                        "the plan's network `{network}` reads the roster `{}`, which the population model does not simulate",
                        path.display()
                    ),
                    &format!("the simulated roster is `{}`", roster.display()),
                ));
            }
        }
        Ok(Served {
            data: data.clone(),
            format,
        })
    }

    /// The files of one simulated data set.
    pub fn files(&self, data: &SimulatedData) -> Result<SimulatedFiles, PowerError> {
        let mut bytes = Vec::new();
        to_frame(data)
            .and_then(|mut frame| write_frame(&mut frame, self.format, &mut bytes))
            .map_err(|e| {
                invalid(
                    format!("cannot write the simulated data: {e}"),
                    "this is a bug in kith; please report it",
                )
            })?;
        let mut files = HashMap::from([(self.data.clone(), bytes)]);
        if let Some(organization) = &data.organization {
            for (path, text) in files_beside(&self.data, &data.ids, organization) {
                files.insert(path, text.into_bytes());
            }
        }
        Ok(SimulatedFiles { files })
    }
}

/// One simulated data set's files, in memory.
pub struct SimulatedFiles {
    files: HashMap<PathBuf, Vec<u8>>,
}

impl SimulatedFiles {
    fn get(&self, path: &Path) -> io::Result<&Vec<u8>> {
        self.files.get(path).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("`{}` is not simulated", path.display()),
            )
        })
    }
}

impl SourceLoader for SimulatedFiles {
    fn load(&self, path: &Path) -> io::Result<String> {
        String::from_utf8(self.get(path)?.clone())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}

impl StudyFiles for SimulatedFiles {
    fn read_data(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.get(path).cloned()
    }

    fn exists(&self, path: &Path) -> bool {
        self.files.contains_key(path)
    }
}
