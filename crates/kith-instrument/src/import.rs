//! Converting surveys written for other tools into kith survey and instrument files: text in,
//! the files' texts out, with everything that could not be converted listed. The caller
//! reads the source and writes the files (`kith import qualtrics SURVEY.qsf -o DIR`).

pub mod qualtrics;

pub use qualtrics::{MAX_QSF_BYTES, MAX_QUESTIONS, QsfError, convert_qsf};

/// The files of a converted survey and what the conversion could not carry over.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversion {
    /// The files to write, the survey first, then its instruments in the survey's order.
    pub files: Vec<ConvertedFile>,
    /// The path of the survey file among `files`, e.g. `my-survey.survey.yaml`.
    pub survey_path: String,
    /// Every question, part of a question, block or flow element that was not converted.
    pub left_out: Vec<LeftOut>,
    /// What a researcher should know about the conversion: renamed columns, moved texts,
    /// scores added. Sentences without a final full stop.
    pub notes: Vec<String>,
}

/// One file of a conversion.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvertedFile {
    /// The path relative to the output folder, with `/` between folders, e.g.
    /// `instruments/block-1.yaml`.
    pub path: String,
    /// The file's text.
    pub text: String,
}

/// Something of the source survey that the converted files do not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// The source's id of the part: a question (`QID7`), a block (`BL_…`), a flow element
    /// (`FL_3`) or another survey element (`QO_…` for a quota).
    pub question_id: String,
    /// The question's export tag (its column in the source's data), when it is a question.
    pub export_tag: Option<String>,
    /// What was left out, e.g. `the question`, `JavaScript`, `display logic`.
    pub what: String,
    /// Why, in plain words.
    pub reason: String,
}
