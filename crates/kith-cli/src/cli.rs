//! The command line: every command, argument and value that clap parses, in one module.
//!
//! Commands receive these values; nothing here runs a command.

use clap::{Args, Parser, Subcommand, ValueEnum};
use kith_analysis::score::Imputation;
use std::path::PathBuf;

/// The most respondents `kith simulate` draws in one file (about 500 MB of values for a
/// 60-item survey).
pub const MAX_SIMULATED: u64 = 5_000_000;
/// The most single-use links `kith links create` makes at once.
pub const MAX_LINKS: u64 = 100_000;

/// The end of `kith --help`: what a study looks like from start to finish.
const STUDY_IN_FIVE_COMMANDS: &str = "A study in five commands:
  kith check survey.yaml                        check the questionnaire (every problem, with a hint)
  kith serve survey.yaml --store study.db       collect answers in participants' browsers
                                                (or `kith run`, in a terminal)
  kith export --store study.db -o answers.csv   the answers as a response file
  kith reliability survey.yaml answers.csv      alpha, omega and item statistics (as psych)
  kith analyze plan.yaml                        results.json, report.md, .html, .docx and charts

See `kith help COMMAND` for each command, and README.md and docs/ for the files.";

/// kith: one tool from the questionnaire to the finished report, for research on networking and
/// careers — questionnaires as files, administered in a terminal or a browser, scored, checked
/// for reliability, and analysed by a pre-registered plan into a report.
#[derive(Debug, Parser)]
#[command(
    name = "kith",
    version,
    propagate_version = true,
    after_help = STUDY_IN_FIVE_COMMANDS
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check instrument, survey and analysis-plan files; report every problem with its place and a hint.
    ///
    /// A plan is checked with its survey and data: every variable it names must exist.
    ///
    /// Exits 0 when every file is valid (warnings allowed), 1 when any has an error.
    Check {
        /// The files to check (instruments, surveys and analysis plans, YAML).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// A population model (YAML) to check each plan against, as `kith power` uses it: an
        /// effect a plan tests that the model leaves at zero is a warning.
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
        /// How to report: readable text, or JSON for editors and scripts.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Write the codebook of an instrument or survey: one entry per response-file column.
    Codebook {
        /// The instrument or survey file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The output format.
        #[arg(long, value_enum, default_value_t = CodebookFormat::Markdown)]
        format: CodebookFormat,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Score a response file: each score per respondent, with how many items they answered.
    ///
    /// Reverse-keyed items are reversed on their own scale ((min + max) − answer). Every bad
    /// cell is reported (row, respondent, column, value) and nothing is written if there is one.
    Score {
        #[command(flatten)]
        data: DataArgs,
        /// How missing answers are filled in before scores are computed.
        #[arg(long, value_enum, default_value_t = ImputeArg::None)]
        impute: ImputeArg,
        /// The output format (default: from the output's extension, else csv).
        #[arg(long, value_enum)]
        format: Option<ScoreFormat>,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Add the careless-responding indices and flags of `kith screen` as columns.
        #[arg(long)]
        screen: bool,
        /// Write the item answers too, after the id column (an SPSS or Stata file then
        /// carries every item's text, scale labels and missing-value codes).
        #[arg(long)]
        items: bool,
    },
    /// Report the reliability of every score as R's psych computes it (alpha, omega, item statistics).
    Reliability {
        #[command(flatten)]
        data: DataArgs,
        /// How to report: a readable table, JSON with stable field names, or Markdown tables.
        #[arg(long, value_enum, default_value_t = ReliabilityFormat::Text)]
        format: ReliabilityFormat,
    },
    /// Screen every respondent for careless responding: longstring, IRV, Mahalanobis D²,
    /// even-odd consistency, psychometric synonyms and antonyms (as R's careless computes
    /// them), failed attention checks and seconds per item, with the default rules' flags.
    ///
    /// A summary (how many each rule flagged, and which indices could not be computed) goes
    /// to standard error; the table to standard output or -o.
    Screen {
        #[command(flatten)]
        data: DataArgs,
        /// The output format.
        #[arg(long, value_enum, default_value_t = ScreenFormat::Csv)]
        format: ScreenFormat,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Item pairs correlating beyond ± this are psychometric synonyms and antonyms.
        #[arg(long, value_name = "R", default_value_t = 0.60)]
        synonym_critical: f64,
    },
    /// Run an analysis plan: descriptives, correlations, measurement models, regression
    /// models, mediation and relative importance; write results.json, report.md, report.html,
    /// report.docx and the charts.
    ///
    /// Exits 1 when the plan has errors or an analysis could not be computed (the others are
    /// still written).
    Analyze {
        /// The analysis plan (YAML).
        #[arg(value_name = "PLAN")]
        plan: PathBuf,
        /// The folder for results.json and report.md [default: PLAN-NAME-results].
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// Plan the sample size: simulate data sets from a population model at each size, run the
    /// plan's own analyses on each, and count how often each effect it tests is significant.
    ///
    /// Writes power.json, power.md, power.html and the power curves to the output folder and
    /// a table of power by size to stdout. Ctrl-C stops the run and reports what was done.
    Power {
        /// The analysis plan (YAML); it must name its survey.
        #[arg(value_name = "PLAN")]
        plan: PathBuf,
        /// A population model (YAML) instead of the default one `kith simulate` uses.
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
        /// An effect size set in the model: `y ~ x = 0.3` (a path), `y ~ x:w = 0.1` (an
        /// interaction) or `a ~~ b = 0.2` (a correlation); repeatable.
        #[arg(long, value_name = "EFFECT")]
        effect: Vec<String>,
        /// The sample sizes, comma-separated.
        #[arg(long, value_name = "N,N,…", value_delimiter = ',', required = true)]
        #[arg(value_parser = clap::value_parser!(u64).range(10..=1_000_000))]
        n: Vec<u64>,
        /// Simulated data sets per sample size.
        #[arg(long, value_name = "R", default_value_t = 1000)]
        #[arg(value_parser = clap::value_parser!(u64).range(1..=100_000))]
        replications: u64,
        /// The power to reach: report the smallest n reaching it for each effect.
        #[arg(long, value_name = "POWER")]
        target: Option<f64>,
        /// The random seed [default: the plan's seed].
        #[arg(long, value_name = "SEED")]
        seed: Option<u64>,
        /// How indirect effects are tested in each data set.
        #[arg(long, value_enum, default_value_t = PowerIntervalArg::MonteCarlo)]
        interval: PowerIntervalArg,
        /// Monte Carlo draws per indirect effect (with --interval monte-carlo).
        #[arg(long, value_name = "D", default_value_t = 20_000)]
        #[arg(value_parser = clap::value_parser!(u64).range(1_000..=1_000_000))]
        draws: u64,
        /// Run only these analyses of the plan (e.g. `mediation[0]`, or `models` for all models).
        #[arg(long, value_name = "KEY")]
        only: Vec<String>,
        /// Fit the plan's measurement models too and report how often they converge (slow:
        /// seconds per data set for a robust multi-group model).
        #[arg(long)]
        measurement: bool,
        /// The folder for the results [default: PLAN-NAME-power].
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// How to write the table on stdout.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Simulate respondents of a survey from a population model (by default, kith's documented
    /// model of networking motives and careers).
    Simulate {
        /// The survey or instrument file.
        #[arg(value_name = "SURVEY")]
        survey: PathBuf,
        /// How many respondents.
        #[arg(long, value_name = "N")]
        #[arg(value_parser = clap::value_parser!(u64).range(1..=MAX_SIMULATED))]
        n: u64,
        /// The random seed: the same seed gives the same data.
        #[arg(long, value_name = "SEED")]
        seed: u64,
        /// A population model (YAML) instead of the default one.
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
        /// The file to write: .csv, .tsv, .parquet, .sav, .zsav or .dta.
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
    },
    /// Administer a survey (or one instrument) in the terminal; every answer is saved to the
    /// store the moment it is given.
    ///
    /// Keys: digits answer, arrows choose and move, Enter confirms, PgDn/PgUp change pages,
    /// Ctrl-C pauses (resume later with --resume ID).
    Run {
        /// The survey or instrument file (with --resume it may be left out: the store knows it).
        #[arg(value_name = "SURVEY", required_unless_present = "resume")]
        survey: Option<PathBuf>,
        /// The SQLite response store (created if it does not exist).
        #[arg(long, value_name = "FILE")]
        store: PathBuf,
        /// An external participant id to record with the session (e.g. from a panel).
        #[arg(long, value_name = "ID")]
        participant: Option<String>,
        /// Lab mode: after each participant, start over for the next one (Ctrl-C ends).
        #[arg(long)]
        kiosk: bool,
        /// Resume the unfinished session with this id where it stopped.
        #[arg(long, value_name = "ID", conflicts_with_all = ["participant", "params"])]
        resume: Option<String>,
        /// Resume even though the survey changed since the session began.
        #[arg(long, requires = "resume")]
        force: bool,
        /// Record a named value with the session (a column of the export), e.g. lab_room=3.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// The language to take the survey in, one of those it offers (e.g. `de`); the
        /// survey's own by default.
        #[arg(long, value_name = "CODE", conflicts_with = "resume")]
        lang: Option<String>,
    },
    /// Write the sessions in a store as a response file that `kith score` reads.
    Export {
        /// The SQLite response store written by `kith run`.
        #[arg(long, value_name = "FILE")]
        store: PathBuf,
        /// The survey to export (its id or fingerprint), when the store holds several.
        #[arg(long, value_name = "ID")]
        survey: Option<String>,
        /// The file format (default: from the output's extension, else csv).
        #[arg(long, value_enum)]
        format: Option<ExportFormat>,
        /// For .sav and .dta: the survey file whose texts and scales label the columns
        /// (default: the survey file the sessions were run with, if it is unchanged).
        #[arg(long, value_name = "SURVEY")]
        labels: Option<PathBuf>,
        /// One row per session (wide), per answer (long) or per tie named in a network
        /// question (edges).
        #[arg(long, value_enum, default_value_t = ExportLayout::Wide)]
        layout: ExportLayout,
        /// Include unfinished and declined sessions (with their status).
        #[arg(long)]
        include_partial: bool,
        /// With --layout edges: the network question (relation block id) to export; all of
        /// them by default.
        #[arg(long, value_name = "ID")]
        relation: Option<String>,
        /// With --layout edges: add the names written into name generators (personal data;
        /// roster ties are always given by roster id).
        #[arg(long)]
        names: bool,
        /// Add the careless-responding indices and flags of `kith screen` as columns,
        /// computed over the items of this survey file (the one the sessions answered).
        #[arg(long, value_name = "SURVEY")]
        screen: Option<PathBuf>,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Serve a survey to participants' browsers (phones and laptops), every submitted page saved
    /// to the store before the answer is acknowledged.
    Serve {
        /// The survey or instrument file.
        #[arg(value_name = "SURVEY")]
        survey: PathBuf,
        /// The SQLite response store (created if it does not exist).
        #[arg(long, value_name = "FILE")]
        store: PathBuf,
        /// The address to listen on.
        #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
        addr: String,
        /// Accept participants only through personal links (`kith links create`), no open link.
        #[arg(long)]
        links_only: bool,
        /// Where participants go after submitting; `{session}` and `{participant}` are filled in.
        #[arg(long, value_name = "URL")]
        redirect: Option<String>,
        /// The URL parameter that carries a participant id (e.g. a panel's).
        #[arg(long, value_name = "NAME", default_value = "participant")]
        participant_param: String,
        /// The most connections served at once; more wait until one closes [default: 4096,
        /// or fewer to stay below the open-file limit].
        #[arg(long, value_name = "N")]
        max_connections: Option<u64>,
        /// Seconds a client has to send a request's headers (from when its connection opens
        /// or its last response ends; so also how long an idle connection stays open) and
        /// then its body [default: 10].
        #[arg(long, value_name = "SECONDS")]
        request_timeout: Option<u64>,
    },
    /// Convert a survey made in another tool into kith survey and instrument files.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Work with a response store's files.
    Store {
        #[command(subcommand)]
        command: StoreCommand,
    },
    /// Manage single-use participant links for `kith serve`.
    Links {
        #[command(subcommand)]
        command: LinksCommand,
    },
    /// Draw one chart from a results.json written by `kith analyze`, as SVG or PNG (by the
    /// output's extension).
    Chart {
        /// What to draw.
        #[arg(value_enum, value_name = "KIND")]
        kind: ChartKind,
        /// The results.json to draw from.
        #[arg(long, value_name = "FILE")]
        results: PathBuf,
        /// Which one, when the results hold several (0 = the first); for `distribution`, a
        /// variable name may be given instead with --variable.
        #[arg(long, value_name = "N", default_value_t = 0)]
        index: usize,
        /// The variable of a `distribution` chart.
        #[arg(long, value_name = "NAME")]
        variable: Option<String>,
        /// The resolution of a PNG (96 = one pixel per CSS pixel; 300 for print).
        #[arg(long, value_name = "DPI", default_value_t = 150,
              value_parser = clap::value_parser!(u32).range(48..=1200))]
        dpi: u32,
        /// Leave the title and subtitle out of the image (journals put them in the caption).
        #[arg(long)]
        no_title: bool,
        /// The printed width to lay the chart out for: `page` (6.5 in) or `column` (3.25 in);
        /// its text prints at 8 pt or more at that width [default: the plan's
        /// `figure_width`, page].
        #[arg(long, value_enum, value_name = "WIDTH")]
        width: Option<ChartWidth>,
        /// The file to write: .svg or .png.
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
    },
    /// Print the JSON Schema of instrument, survey and analysis-plan files, for editors.
    ///
    /// For example, with the YAML language server, put this first line in a file:
    /// `# yaml-language-server: $schema=kith.schema.json`
    Schema {
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
}

/// What `kith links` does.
#[derive(Debug, Subcommand)]
pub enum LinksCommand {
    /// Create single-use links and print them, one per line (shown only once).
    Create {
        /// The store `kith serve` uses.
        #[arg(long, value_name = "FILE")]
        store: PathBuf,
        /// The survey id the links open.
        #[arg(long, value_name = "ID")]
        survey: String,
        /// How many links.
        #[arg(long, value_name = "N")]
        #[arg(value_parser = clap::value_parser!(u64).range(1..=MAX_LINKS))]
        n: u64,
        /// The server's public address, put in front of each link.
        #[arg(long, value_name = "URL", default_value = "http://127.0.0.1:8080")]
        base_url: String,
    },
}

/// What `kith import` converts.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A Qualtrics survey file (.qsf, from Tools › Import/Export › Export Survey): blocks,
    /// matrices, choices, text entry, sliders, randomization and the logic kith can express;
    /// everything else is listed with its question id and why. The files pass `kith check`.
    Qualtrics {
        /// The .qsf file.
        qsf: PathBuf,
        /// The folder to write the survey and its instruments into (created if needed).
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
        /// Replace files of the same names in DIR.
        #[arg(long)]
        force: bool,
    },
}

/// What `kith store` does.
#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Write a consistent copy of a store, also while `kith run` or `kith serve` write to it;
    /// the copy is one file that `kith export` reads.
    Backup {
        /// The store to copy.
        #[arg(long, value_name = "FILE")]
        store: PathBuf,
        /// The copy to write (written whole or not at all).
        #[arg(short, long, value_name = "COPY")]
        output: PathBuf,
    },
}

/// The formats `kith export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Comma-separated values with a header row (the default, and what `kith score` reads).
    Csv,
    /// Apache Parquet, typed columns (needs -o).
    Parquet,
    /// JSON Lines: one object per row.
    Jsonl,
    /// SPSS .sav with variable labels, value labels, user-missing codes and measurement levels (needs -o).
    Sav,
    /// SPSS .zsav: .sav with zlib-compressed data (needs -o).
    Zsav,
    /// Stata .dta (format 118, Stata 14 and later) with variable and value labels (needs -o).
    Dta,
}

/// The shapes of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportLayout {
    /// One row per session: session columns, every item column, attention checks, display order.
    Wide,
    /// One row per answer, with when its page was shown and when it was answered.
    Long,
    /// One row per tie named in a network question: ego, alter, relation, follow-ups.
    Edges,
}

/// How `kith power` tests indirect effects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PowerIntervalArg {
    /// The Monte Carlo interval (Schoemann, Boulton & Short 2017): fast.
    MonteCarlo,
    /// The plan's own bootstrap: what `kith analyze` computes, and slow.
    Bootstrap,
}

/// The format of `kith check`'s report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Readable diagnostics on stderr, one summary line per file on stdout.
    Text,
    /// One JSON document on stdout with every file and diagnostic.
    Json,
}

/// The format of a codebook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CodebookFormat {
    /// Markdown tables.
    Markdown,
    /// One self-contained HTML page.
    Html,
    /// One CSV row per column.
    Csv,
    /// JSON, with every field.
    Json,
}

/// The format of scored tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoreFormat {
    /// Comma-separated values.
    Csv,
    /// Tab-separated values.
    Tsv,
    /// Apache Parquet (needs -o).
    Parquet,
    /// A JSON array of one object per respondent.
    Json,
    /// SPSS .sav with the items' and scores' labels (needs -o).
    Sav,
    /// SPSS .zsav: .sav with zlib-compressed data (needs -o).
    Zsav,
    /// Stata .dta (format 118) with the items' and scores' labels (needs -o).
    Dta,
}

/// The format of `kith screen`'s table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScreenFormat {
    /// One row per respondent, comma-separated.
    Csv,
    /// The whole screening (summary, pairs, rows) with stable field names.
    Json,
    /// The summary and the table, for a paper's supplement.
    Markdown,
}

/// The format of reliability reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReliabilityFormat {
    /// Aligned tables for the terminal.
    Text,
    /// JSON with the documented, stable field names.
    Json,
    /// Markdown tables for papers and reports.
    Markdown,
}

/// The arguments of commands that read a survey and a response file.
#[derive(Debug, Args)]
pub struct DataArgs {
    /// The survey or instrument file whose items the data hold.
    #[arg(value_name = "SURVEY")]
    pub survey: PathBuf,
    /// The response file: CSV, TSV, Parquet or JSON Lines (by extension), or a Qualtrics export.
    #[arg(value_name = "DATA")]
    pub data: PathBuf,
    /// The column that identifies respondents [default: respondent_id, else id, else ResponseId].
    #[arg(long, value_name = "COLUMN")]
    pub id: Option<String>,
    /// A YAML file of `file_column: item_id` lines renaming the file's columns to item ids.
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// Values that mean "missing" in every item column, e.g. `-99,-999`.
    #[arg(
        long,
        value_name = "CODES",
        value_delimiter = ',',
        allow_hyphen_values = true
    )]
    pub missing_codes: Vec<f64>,
    /// Keep Qualtrics responses that were not finished.
    #[arg(long)]
    pub include_partial: bool,
    /// The data file's format, when its extension does not say.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
    /// Write every invalid cell to this CSV file (row, respondent, column, value, problem).
    #[arg(long, value_name = "FILE")]
    pub report_invalid: Option<PathBuf>,
}

/// The formats of response files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    Csv,
    Tsv,
    Parquet,
    Jsonl,
    /// SPSS .sav or .zsav.
    Sav,
    /// Stata .dta (formats 117 to 119).
    Dta,
}

/// Imputation of missing answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImputeArg {
    /// Score the answered items only.
    None,
    /// Fill a missing item with the respondent's mean of the score's answered items.
    PersonMean,
    /// Fill a missing item with the item's mean over respondents.
    ItemMean,
    /// Fill a missing item with the item's median over respondents (psych::scoreItems' default).
    ItemMedian,
}

impl From<ImputeArg> for Imputation {
    fn from(value: ImputeArg) -> Self {
        match value {
            ImputeArg::None => Imputation::None,
            ImputeArg::PersonMean => Imputation::PersonMean,
            ImputeArg::ItemMean => Imputation::ItemMean,
            ImputeArg::ItemMedian => Imputation::ItemMedian,
        }
    }
}

/// The printed widths `kith chart --width` lays a chart out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChartWidth {
    /// 6.5 inches, a page's text width (624 CSS px; 1950 pixels at 300 dpi).
    Page,
    /// 3.25 inches, one column of a two-column page (312 CSS px; 975 pixels at 300 dpi).
    Column,
}

/// The charts `kith chart` draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChartKind {
    /// Diverging stacked bars of a scale's item responses (--index picks the scale).
    Likert,
    /// A score's histogram and density, or box plots per group (--variable or --index).
    Distribution,
    /// Alpha and omega per scale with alpha's interval.
    Reliability,
    /// A correlation table as a heat map (--index picks the table).
    Correlations,
    /// Standardized β of the linear models' predictors with intervals.
    Forest,
    /// Odds and rate ratios of the logistic and Poisson models, on a log axis.
    Ratios,
    /// A mediation model's path diagram (--index picks the model).
    Mediation,
    /// The path diagram of a measurement model.
    Measurement,
    /// The participant flow of a plan with a `screening:` section.
    Flow,
    /// Histograms of the screening indices with their cut-offs.
    Indices,
    /// A scatter plot with the fitted line and its band (--index).
    Scatter,
    /// Relative importance weights with intervals (--index).
    Importance,
    /// A comparison's group means with their intervals (--index).
    GroupMeans,
    /// A moderation model's interaction plot (--index).
    Interaction,
    /// The interaction plot of a moderation with a multicategorical X: a line per level of X
    /// across the moderator (--index).
    FactorInteraction,
    /// A moderated mediation's conditional indirect effects (--index).
    ConditionalIndirect,
    /// A moderation model's Johnson–Neyman plot (--index among continuous moderators).
    JohnsonNeyman,
    /// A network's sociogram: people sized by nominations received, coloured by unit
    /// (--index among networks of at most 500 people).
    Sociogram,
}
