//! What the charts show besides their data: the Likert chart's legend shows every answer's
//! label whole when it can and its axis reaches as far as the answers do; the correlation heat
//! map has a colour key.

use kith_analysis::results::{
    Adjustment, CorrelationMethod, CorrelationPair, CorrelationTable, Deletion, ItemResponses,
    ScaleResponses,
};
use kith_report::charts::{self, Chart, FigureWidth};
use kith_report::labels::Labels;

fn scale(labels: &[&str], counts: Vec<Vec<usize>>) -> ScaleResponses {
    ScaleResponses {
        score: "embeddedness".to_string(),
        label: "Embeddedness".to_string(),
        values: (1..=labels.len() as i64).collect(),
        labels: labels.iter().map(|l| l.to_string()).collect(),
        items: counts
            .into_iter()
            .enumerate()
            .map(|(i, counts)| ItemResponses {
                item: format!("q{i}"),
                text: format!("Item {i}"),
                reverse: false,
                counts,
            })
            .collect(),
    }
}

fn svg(scale: &ScaleResponses) -> String {
    draw(&Chart::Likert(scale))
}

fn draw(chart: &Chart) -> String {
    draw_at(chart, FigureWidth::Page)
}

fn draw_at(chart: &Chart, width: FigureWidth) -> String {
    let options = charts::Options {
        titles: true,
        width,
    };
    charts::svg(chart, &Labels(Default::default()), options).expect("the chart draws")
}

/// The texts of an SVG document, in order.
fn texts(svg: &str) -> Vec<String> {
    svg.split("</text>")
        .filter_map(|part| {
            part.rsplit_once('>')
                .map(|(_, text)| text.trim().to_string())
        })
        .filter(|t| !t.is_empty())
        .collect()
}

const FIVE: [&str; 5] = [
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
];

#[test]
fn a_five_point_legend_shows_every_label_whole() {
    let scale = scale(&FIVE, vec![vec![10, 20, 30, 25, 15]]);
    for width in [FigureWidth::Page, FigureWidth::Column] {
        let drawn = texts(&draw_at(&Chart::Likert(&scale), width));
        for label in FIVE {
            assert!(drawn.iter().any(|t| t == label), "{label} in {drawn:?}");
        }
    }
}

#[test]
fn the_axis_reaches_as_far_as_the_answers_do() {
    // At most 35% on either side of the centre (15 + 20 below, the middle split in two).
    let drawn = texts(&svg(&scale(&FIVE, vec![vec![15, 20, 10, 30, 25]])));
    assert!(drawn.iter().any(|t| t == "60%"), "{drawn:?}");
    assert!(
        !drawn.iter().any(|t| t == "80%" || t == "100%"),
        "{drawn:?}"
    );
    // All answers on one side: the axis runs to 100%.
    let drawn = texts(&svg(&scale(&FIVE, vec![vec![0, 0, 0, 0, 40]])));
    assert!(drawn.iter().any(|t| t == "100%"), "{drawn:?}");
}

#[test]
fn a_seven_point_legend_keeps_every_answer() {
    let seven = [
        "Strongly disagree",
        "Disagree",
        "Somewhat disagree",
        "Neither agree nor disagree",
        "Somewhat agree",
        "Agree",
        "Strongly agree",
    ];
    let drawn = texts(&svg(&scale(&seven, vec![vec![5, 10, 15, 20, 15, 10, 5]])));
    // Every answer has its entry, whole or shortened with an ellipsis, in order.
    let entries: Vec<&String> = drawn
        .iter()
        .filter(|t| {
            seven.iter().any(|label| {
                *t == label
                    || t.strip_suffix('…')
                        .is_some_and(|start| label.starts_with(start.trim_end()))
            })
        })
        .collect();
    assert_eq!(entries.len(), 7, "{drawn:?}");
    for (entry, label) in entries.iter().zip(seven) {
        let start = entry.trim_end_matches('…').trim_end();
        assert!(label.starts_with(start), "{entry} for {label}");
    }
}

#[test]
fn the_correlation_heat_map_has_a_colour_key_from_minus_one_to_one() {
    let pair = |x: &str, y: &str, r: f64| CorrelationPair {
        x: x.to_string(),
        y: y.to_string(),
        r,
        n: 100,
        t: 0.0,
        df: 98,
        p: 0.5,
        p_adjusted: 0.5,
        ci: [r - 0.1, r + 0.1],
    };
    let table = CorrelationTable {
        name: None,
        method: CorrelationMethod::Pearson,
        adjust: Adjustment::None,
        missing: Deletion::Listwise,
        variables: vec!["a".into(), "b".into(), "c".into()],
        n: 100,
        pairs: vec![
            pair("a", "b", 0.3),
            pair("a", "c", -0.2),
            pair("b", "c", 0.6),
        ],
    };
    let drawn = texts(&draw(&Chart::Correlations(&table)));
    let key: Vec<&str> = ["−1", "−.5", "0", ".5", "1", "r"]
        .into_iter()
        .filter(|label| !drawn.iter().any(|t| t == label))
        .collect();
    assert!(key.is_empty(), "the key lacks {key:?}: {drawn:?}");
}

/// The example's parallel mediation (external networking → embeddedness + job offers →
/// turnover intentions), as results.json holds it.
fn two_mediators() -> kith_analysis::results::MediationResult {
    let text = include_str!("data/mediation-two-mediators.json");
    serde_json::from_str(text).expect("a mediation result")
}

/// The positions (x, y) of the texts that start with `prefix`.
fn placed(svg: &str, prefix: &str) -> Vec<(f64, f64)> {
    let attribute = |tag: &str, name: &str| -> f64 {
        tag.split(&format!(" {name}=\""))
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    };
    svg.split("<text")
        .skip(1)
        .filter_map(|part| {
            let (tag, rest) = part.split_once('>')?;
            rest.trim_start()
                .starts_with(prefix)
                .then(|| (attribute(tag, "x"), attribute(tag, "y")))
        })
        .collect()
}

#[test]
fn each_mediators_paths_have_their_own_labels_and_the_title_names_the_mediators() {
    for (k, width) in [2, 4]
        .into_iter()
        .flat_map(|k| [(k, FigureWidth::Page), (k, FigureWidth::Column)])
    {
        let mut m = two_mediators();
        while m.indirect_effects.len() < k {
            let mut extra = m.indirect_effects[0].clone();
            extra.mediator = format!("mediator_{}", m.indirect_effects.len());
            m.m.push(extra.mediator.clone());
            m.indirect_effects.push(extra);
        }
        let svg = draw_at(&Chart::Mediation(&m), width);
        for path in ["a = ", "b = "] {
            let labels = placed(&svg, path);
            assert_eq!(labels.len(), k, "{path} labels: {labels:?}");
            // No two labels of one kind share a place or a column: each path leaves its own
            // point, so its label is more than a label's height from the next one and not
            // stacked above it. At a column's width each label stands in the gap under its
            // mediator's box, so labels may share a column, a box's height apart.
            for (i, a) in labels.iter().enumerate() {
                for b in &labels[i + 1..] {
                    let apart = match width {
                        FigureWidth::Page => (a.1 - b.1).abs() >= 24.0 && (a.0 - b.0).abs() >= 10.0,
                        FigureWidth::Column => (a.1 - b.1).abs() >= 60.0,
                    };
                    assert!(
                        apart,
                        "{k} mediators at {width:?} width: {path} labels crowd at {a:?} and {b:?}"
                    );
                }
            }
        }
        // Every indirect effect's line is inside the image.
        let height: f64 = svg
            .split("height=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|h| h.parse().ok())
            .expect("the SVG's height");
        let lines = placed(&svg, "Indirect effect via");
        assert_eq!(lines.len(), k);
        assert!(
            lines.iter().all(|(_, y)| *y < height - 6.0),
            "{lines:?} in {height}"
        );
    }
    let drawn = texts(&draw(&Chart::Mediation(&two_mediators())));
    assert!(
        drawn.iter().any(|t| t.contains("embeddedness + job_offers")
            || t.contains("External networking → embeddedness + job_offers")),
        "the title names both mediators: {drawn:?}"
    );
}

fn scatter(points: Vec<[f64; 2]>) -> kith_analysis::results::Scatter {
    kith_analysis::results::Scatter {
        x: "x".to_string(),
        y: "y".to_string(),
        x_label: "Motive".to_string(),
        y_label: "Satisfaction".to_string(),
        n: points.len(),
        r: 0.3,
        intercept: 2.0,
        slope: 0.3,
        level: 0.95,
        band: (0..50)
            .map(|i| {
                let x = 1.0 + 4.0 * f64::from(i) / 49.0;
                let fitted = 2.0 + 0.3 * x;
                [x, fitted, fitted - 0.1, fitted + 0.1]
            })
            .collect(),
        points,
    }
}

/// The centres of an SVG's circles.
fn circles(svg: &str) -> Vec<(String, String)> {
    svg.split("<circle")
        .skip(1)
        .filter_map(|part| {
            let value = |name: &str| {
                part.split(&format!("{name}=\""))
                    .nth(1)
                    .and_then(|rest| rest.split('"').next())
                    .map(str::to_string)
            };
            Some((value("cx")?, value("cy")?))
        })
        .collect()
}

#[test]
fn scatter_points_of_scores_with_few_values_are_jittered_the_same_every_time() {
    // Means of four items against means of five: 400 respondents on a grid of 17 × 21 points.
    let points: Vec<[f64; 2]> = (0..400)
        .map(|i| {
            let x = 1.0 + 0.25 * f64::from((i * 7) % 17);
            let y = 1.0 + 0.2 * f64::from((i * 11) % 21);
            [x, y]
        })
        .collect();
    let grid = scatter(points);
    let first = draw(&Chart::Scatter(&grid));
    assert_eq!(
        first,
        draw(&Chart::Scatter(&grid)),
        "seeded: the same drawing"
    );
    let mut centres = circles(&first);
    assert_eq!(centres.len(), 400);
    centres.sort();
    centres.dedup();
    assert!(
        centres.len() > 390,
        "jittered points rarely share a place: {} places for 400 points",
        centres.len()
    );
    assert!(
        texts(&first)
            .iter()
            .any(|t| t.ends_with("; points jittered"))
    );

    // Values with many distinct values are drawn where they are.
    let continuous = scatter(
        (0..400)
            .map(|i| {
                let t = f64::from(i) / 399.0;
                [1.0 + 4.0 * t, 1.0 + 4.0 * (t * 13.0).fract()]
            })
            .collect(),
    );
    let drawn = draw(&Chart::Scatter(&continuous));
    assert!(!texts(&drawn).iter().any(|t| t.contains("jittered")));
}
