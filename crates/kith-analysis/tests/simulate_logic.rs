//! Simulated respondents follow the survey's logic: the bundled study's screen-out, its
//! job-offer follow-up and its tenure constraint give the simulated data the missing pattern
//! and the `status`/`not_shown` columns an export of real sessions has.

use kith_analysis::simulate::{DEFAULT_MODEL, fit_model_to_form, parse_model, simulate};
use kith_instrument::form::Form;
use kith_instrument::survey::{SourceLoader, check_file};
use std::path::{Path, PathBuf};

struct Disk;

impl SourceLoader for Disk {
    fn load(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn form(file: &str) -> Form {
    check_file(&root().join(file), &Disk)
        .form
        .expect("the bundled file is valid")
}

#[test]
fn simulated_respondents_skip_what_they_would_not_see_and_screen_out_where_the_survey_says() {
    let form = form("instruments/networking-careers.survey.yaml");
    let model = fit_model_to_form(&parse_model(DEFAULT_MODEL).expect("the model"), &form);
    let n = 2000;
    let data = simulate(&form, &model, n, 11).expect("simulates");
    let column = |name: &str| -> &Vec<f64> {
        &data
            .columns
            .iter()
            .find(|(c, _)| c == name)
            .unwrap_or_else(|| panic!("no column {name}"))
            .1
    };
    let text = |name: &str| -> &Vec<Option<String>> {
        &data
            .texts
            .iter()
            .find(|(c, _)| c == name)
            .unwrap_or_else(|| panic!("no column {name}"))
            .1
    };
    let (employed, offers, source, age, tenure, help) = (
        column("employed"),
        column("job_offers"),
        column("offer_sources_1"),
        column("age"),
        column("tenure_years"),
        column("help_1"),
    );
    let (status, not_shown, by) = (text("status"), text("not_shown"), text("screened_out_by"));
    let mut screened = 0;
    for row in 0..n {
        let hidden: Vec<&str> = not_shown[row]
            .as_deref()
            .map(|t| t.split('|').collect())
            .unwrap_or_default();
        if employed[row] == 0.0 {
            // Screened out after the first page: nothing after it is answered.
            screened += 1;
            assert_eq!(status[row].as_deref(), Some("screened_out"));
            assert_eq!(by[row].as_deref(), Some("employed"));
            assert!(help[row].is_nan() && offers[row].is_nan() && age[row].is_nan());
            assert!(hidden.contains(&"help_1") && hidden.contains(&"gender"));
            continue;
        }
        assert_eq!(status[row].as_deref(), Some("complete"));
        assert_eq!(by[row], None);
        // The follow-up only after one or more offers; not shown otherwise, and empty.
        let shown = offers[row] > 0.0;
        assert_eq!(hidden.contains(&"offer_sources"), !shown, "row {row}");
        if !shown {
            assert!(
                source[row].is_nan(),
                "row {row}: a hidden question has no answer"
            );
        }
        // No simulated tenure breaks the survey's constraint.
        if !tenure[row].is_nan() && !age[row].is_nan() {
            assert!(tenure[row] <= age[row] - 14.0, "row {row}");
        }
    }
    // About 6% screened out, as the model's screening outcome says.
    assert!(
        (60..=180).contains(&screened),
        "{screened} screened out of {n}"
    );
    let followed_up = (0..n)
        .filter(|&r| employed[r] == 1.0 && offers[r] > 0.0)
        .count();
    assert!(
        followed_up > n / 4,
        "{followed_up} were asked the follow-up"
    );
}

#[test]
fn a_survey_without_logic_simulates_without_logic_columns() {
    let form = form("instruments/global-job-embeddedness.yaml");
    let model = fit_model_to_form(&parse_model(DEFAULT_MODEL).expect("the model"), &form);
    let data = simulate(&form, &model, 50, 3).expect("simulates");
    assert!(data.texts.is_empty());
}
