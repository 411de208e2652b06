//! What the charts show besides their data: the Likert chart's legend shows every answer's
//! label whole when it can and its axis reaches as far as the answers do; the correlation heat
//! map has a colour key.

use kith_analysis::results::{
    Adjustment, CorrelationMethod, CorrelationPair, CorrelationTable, Deletion, ItemResponses,
    ScaleResponses,
};
use kith_report::charts::{self, Chart};
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
    charts::svg(chart, &Labels(Default::default()), Default::default()).expect("the chart draws")
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
    let drawn = texts(&svg(&scale(&FIVE, vec![vec![10, 20, 30, 25, 15]])));
    for label in FIVE {
        assert!(drawn.iter().any(|t| t == label), "{label} in {drawn:?}");
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
