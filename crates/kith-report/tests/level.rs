//! Intervals that follow the plan's confidence level say that level: at `level: .90` the report's
//! omega interval reads 90% in the caption, the table and the chart, while alpha's Feldt interval,
//! which is always computed at 95%, still reads 95%. Every test plan uses .95, where a fixed
//! "95%" could not be told from the level. Also the other report option a figure shows:
//! `figure_titles: false` leaves titles out of the images; and a factor's levels get no β.

use kith_analysis::results::{Figures, Results, ScaleReliabilitySummary, Section};
use kith_report::charts::{self, Chart};
use kith_report::document;
use kith_report::labels::Labels;

fn results_at(level: f64) -> Results {
    let mut figures = Figures::default();
    figures.report.sections = vec![Section::Reliability];
    figures.reliability = vec![ScaleReliabilitySummary {
        score: "embeddedness".to_string(),
        label: "Embeddedness".to_string(),
        n: 200,
        alpha: 0.81,
        alpha_ci: [0.77, 0.85],
        omega_total: Some(0.84),
        omega_ci: Some([0.80, 0.88]),
    }];
    Results {
        kith_version: "test".to_string(),
        plan: "plan.yaml".to_string(),
        title: None,
        data: vec!["responses.csv".to_string()],
        survey: None,
        labels: Default::default(),
        n_rows: 200,
        level,
        descriptives: Vec::new(),
        correlations: Vec::new(),
        comparisons: Vec::new(),
        moderation: Vec::new(),
        moderated_mediation: Vec::new(),
        multicategorical_mediation: Vec::new(),
        multicategorical_moderation: Vec::new(),
        networks: Vec::new(),
        models: Vec::new(),
        mediation: Vec::new(),
        importance: Vec::new(),
        measurement: Vec::new(),
        screening: None,
        sensitivity: None,
        not_computed: Vec::new(),
        figures,
    }
}

#[test]
fn the_omega_interval_is_labelled_with_the_plans_level() {
    let results = results_at(0.90);
    let markdown = kith_report::markdown::report(&results, &|n| format!("figure-{n}.png"));
    assert!(
        markdown.contains("omega total with its 90% percentile bootstrap interval"),
        "{markdown}"
    );
    assert!(
        markdown
            .contains("| Scale | n | Alpha | 95% CI (Feldt) | Omega total | 90% CI (bootstrap) |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("alpha with its 95% Feldt interval"),
        "{markdown}"
    );

    let figures = document::figures(&results);
    let [figure] = figures.as_slice() else {
        panic!("one figure expected, found {}", figures.len());
    };
    assert!(matches!(figure.chart, Chart::Reliability { level, .. } if level == 0.90));
    let svg = charts::svg(&figure.chart, &Labels::of(&results), Default::default())
        .expect("the chart draws");
    assert!(svg.contains("omega total [90% CI]"), "{svg}");
    assert!(svg.contains("alpha [95% CI]"), "{svg}");
}

#[test]
fn at_the_default_level_the_labels_are_unchanged() {
    let results = results_at(0.95);
    let markdown = kith_report::markdown::report(&results, &|n| format!("figure-{n}.png"));
    assert!(markdown.contains("omega total with its 95% percentile bootstrap interval"));
    assert!(markdown.contains("| 95% CI (bootstrap) |"));
}

/// The height an SVG document declares.
fn svg_height(svg: &str) -> f64 {
    svg.split("height=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|h| h.parse().ok())
        .unwrap_or(f64::NAN)
}

/// `report: figure_titles: false` leaves the chart's title and subtitle out of the image (the
/// caption carries them), and the image is shorter by the title's space.
#[test]
fn figures_without_titles_leave_out_the_title_and_its_space() {
    let mut results = results_at(0.95);
    let with_titles = kith_report::html::report(&results).expect("the report renders");
    results.figures.report.figure_titles = false;
    let without = kith_report::html::report(&results).expect("the report renders");
    // The chart's title is a text of its SVG; the table of the same name is not.
    let title = "Reliability of the scales\n</text>";
    assert!(with_titles.contains(title));
    assert!(!without.contains(title), "{without}");
    // The caption stays.
    assert!(without.contains("<b>Figure 1.</b>"));

    let figures = document::figures(&results);
    let labels = Labels::of(&results);
    let titled = charts::svg(
        &figures[0].chart,
        &labels,
        charts::Options {
            titles: true,
            ..Default::default()
        },
    )
    .expect("the chart draws");
    let bare = charts::svg(&figures[0].chart, &labels, charts::Options::of(&results))
        .expect("the chart draws");
    assert_eq!(
        svg_height(&titled) - svg_height(&bare),
        kith_report::paint::TITLE_SPACE
    );
}

/// A level of a factor gets no β in the model table (its b is the difference from the
/// reference level); a numeric predictor keeps its β. The model is the example's first, with
/// gender among its controls.
#[test]
fn levels_of_a_factor_have_no_standardized_coefficient() {
    let model: kith_analysis::results::ModelResult =
        serde_json::from_str(include_str!("data/model-with-a-factor.json")).expect("a model");
    let mut results = results_at(0.95);
    results.figures.report.sections = vec![Section::Models];
    results.models = vec![model];
    let markdown = kith_report::markdown::report(&results, &|n| format!("figure-{n}.png"));
    let row = |term: &str| -> String {
        markdown
            .lines()
            .find(|line| line.starts_with(&format!("| {term} |")))
            .unwrap_or_else(|| panic!("no row for {term} in:\n{markdown}"))
            .to_string()
    };
    assert!(
        row("gender: Man").ends_with("|  |"),
        "{}",
        row("gender: Man")
    );
    assert!(row("age").ends_with("| \u{2212}.03 |"), "{}", row("age"));
}

/// `report: figure_width: column` lays out the PNGs beside report.md for a column (312 px,
/// 3.25 in); the HTML page draws every figure both a page wide (624 px, for laptops and
/// print) and a column wide (for phones) whatever the plan says, and its CSS shows one.
#[test]
fn the_html_page_draws_each_figure_a_page_and_a_column_wide() {
    let mut results = results_at(0.95);
    results.figures.report.figure_width = charts::FigureWidth::Column;
    let html = kith_report::html::report(&results).expect("the report renders");
    assert!(
        html.contains(
            "<div class=\"chart page\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 624 "
        ),
        "{html}"
    );
    assert!(html.contains("<div class=\"chart column\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 312 "), "{html}");
    let figures = document::figures(&results);
    let png_options = charts::Options::of(&results);
    assert_eq!(png_options.width, charts::FigureWidth::Column);
    let svg = charts::svg(&figures[0].chart, &Labels::of(&results), png_options)
        .expect("the chart draws");
    assert!(svg.starts_with("<svg width=\"312\""), "{svg}");
}
