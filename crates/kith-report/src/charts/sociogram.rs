//! A sociogram: a network's people as dots sized by in-degree and coloured by group, its ties
//! as lines (arrows in small directed networks), placed by a force-directed layout
//! (Fruchterman & Reingold 1991) that starts from fixed positions and runs a fixed number of
//! steps, so that the same network is drawn the same way every time.

use super::frame::Drawn;
use crate::format::grouped;
use crate::paint::{Anchor, INK, MUTED, NEUTRAL, OKABE_ITO, Painter, TEXT};
use kith_analysis::results::{
    NetworkResult, SOCIOGRAM_MAX_GROUPS, SOCIOGRAM_MAX_PEOPLE, Sociogram,
};
use plotters::prelude::*;

/// The steps of the layout: enough for a few hundred people to settle.
const LAYOUT_STEPS: usize = 300;
/// The pull of every person towards the centre, which keeps isolates and small components
/// near the rest instead of at the edge of the picture.
const GRAVITY: f64 = 4.0;
/// Directed networks up to this size get arrow heads; in larger ones the heads would hide the
/// dots.
const ARROWS_UP_TO: usize = 60;
/// The colour of ties, and the lighter one of networks with many ties, where the dots would
/// otherwise drown in them.
const TIE: RGBColor = RGBColor(170, 170, 170);
const MANY_TIES: RGBColor = RGBColor(208, 208, 208);
/// From this many ties on, ties are drawn in the lighter colour.
const MANY: usize = 300;

/// Each person's place in the unit square, by Fruchterman and Reingold's forces: every pair
/// repels, every tie attracts, and the largest move shrinks step by step. The start is a
/// sunflower spiral in roster order (no random numbers), so the result depends on the network
/// alone.
pub fn layout(people: usize, ties: &[[usize; 2]]) -> Vec<[f64; 2]> {
    let n = people;
    if n == 0 {
        return Vec::new();
    }
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    let mut place: Vec<[f64; 2]> = (0..n)
        .map(|i| {
            let r = 0.5 * ((i as f64 + 0.5) / n as f64).sqrt();
            let a = golden * i as f64;
            [0.5 + r * a.cos(), 0.5 + r * a.sin()]
        })
        .collect();
    let k = (1.0 / n as f64).sqrt();
    let mut moves = vec![[0.0f64; 2]; n];
    for step in 0..LAYOUT_STEPS {
        let temperature = 0.1 * (1.0 - step as f64 / LAYOUT_STEPS as f64);
        moves.iter_mut().for_each(|m| *m = [0.0, 0.0]);
        for i in 0..n {
            for j in (i + 1)..n {
                let d = [place[i][0] - place[j][0], place[i][1] - place[j][1]];
                let distance = (d[0] * d[0] + d[1] * d[1]).sqrt().max(1e-6);
                let force = k * k / distance / distance;
                for axis in 0..2 {
                    moves[i][axis] += d[axis] * force;
                    moves[j][axis] -= d[axis] * force;
                }
            }
        }
        for &[i, j] in ties {
            let d = [place[i][0] - place[j][0], place[i][1] - place[j][1]];
            let distance = (d[0] * d[0] + d[1] * d[1]).sqrt().max(1e-6);
            let force = distance / k;
            for axis in 0..2 {
                moves[i][axis] -= d[axis] * force;
                moves[j][axis] += d[axis] * force;
            }
        }
        for (p, m) in place.iter_mut().zip(&mut moves) {
            for axis in 0..2 {
                m[axis] -= GRAVITY * (p[axis] - 0.5);
            }
            let length = (m[0] * m[0] + m[1] * m[1]).sqrt();
            if length > 0.0 {
                let step = length.min(temperature) / length;
                p[0] += m[0] * step;
                p[1] += m[1] * step;
            }
        }
    }
    place
}

/// The legend's entries: each group's label and x on its line, at most the palette's groups
/// (as kith writes them), whatever a results file says.
fn legend(s: &Sociogram, width: f64) -> Vec<(String, f64, usize)> {
    super::frame::legend_entries(
        s.groups.iter().take(SOCIOGRAM_MAX_GROUPS).cloned(),
        width,
        200.0,
    )
}

fn legend_lines(s: &Sociogram, width: f64) -> usize {
    if s.groups.is_empty() {
        0
    } else {
        legend(s, width).last().map_or(0, |(_, _, line)| line + 1)
    }
}

/// The chart's height at a canvas `width` wide: a square drawing area and the legend.
pub fn height(network: &NetworkResult, width: f64) -> f64 {
    let lines = network
        .sociogram
        .as_ref()
        .map_or(0, |s| legend_lines(s, width));
    let side = if width < 500.0 { 300.0 } else { 440.0 };
    56.0 + side + 18.0 * lines as f64 + 48.0
}

/// The chart's title and subtitle.
pub fn heading(network: &NetworkResult) -> (String, String) {
    let colour = network
        .sociogram
        .as_ref()
        .and_then(|s| s.colour.as_deref())
        .map_or(String::new(), |c| format!(", coloured by {c}"));
    (
        format!("The {} network", network.name.replace('_', " ")),
        format!(
            "{} people and {} ties; dots sized by {}{colour}",
            grouped(network.people as f64, 0),
            grouped(network.network.ties as f64, 0),
            if network.directed {
                "nominations received"
            } else {
                "ties"
            }
        ),
    )
}

/// Draws the ties, then the dots (largest last, on top), then the legend.
pub fn draw<DB: DrawingBackend>(p: &Painter<DB>, network: &NetworkResult) -> Drawn {
    let Some(s) = &network.sociogram else {
        return Ok(());
    };
    let n = s.in_degree.len();
    // A results file may have been edited by hand: the layout's cost grows with the square of
    // the people, so a sociogram larger than kith writes is refused, and ties naming people
    // who are not there are left out rather than trusted.
    if n > SOCIOGRAM_MAX_PEOPLE {
        return Err(format!(
            "the sociogram of `{}` has {n} people, more than the {SOCIOGRAM_MAX_PEOPLE} kith draws",
            network.name
        ));
    }
    let ties: Vec<[usize; 2]> = s
        .ties
        .iter()
        .copied()
        .filter(|[i, j]| *i < n && *j < n && i != j)
        .collect();
    let group = |i: usize| s.group.get(i).copied().flatten();
    let lines = legend_lines(s, p.width);
    let legend_height = 18.0 * lines as f64;
    let (top, bottom) = (56.0, p.height - 48.0 - legend_height);
    let side = (bottom - top).min(p.width - 2.0 * p.margin());
    let left = (p.width - side) / 2.0;
    let most = s
        .in_degree
        .iter()
        .copied()
        .filter(|d| d.is_finite())
        .fold(0.0, f64::max);
    let (small, large) = if p.narrow() { (3.0, 7.0) } else { (3.5, 10.0) };
    let radius = |d: f64| {
        if most > 0.0 && d.is_finite() && d >= 0.0 {
            small + (large - small) * (d / most).min(1.0).sqrt()
        } else {
            small
        }
    };
    let place = layout(n, &ties);
    // The layout fills the square, less the largest dot's radius on each side.
    let (mut low, mut high) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for q in &place {
        for axis in 0..2 {
            low[axis] = low[axis].min(q[axis]);
            high[axis] = high[axis].max(q[axis]);
        }
    }
    let span = (high[0] - low[0]).max(high[1] - low[1]).max(1e-9);
    let inner = side - 2.0 * large;
    let centre = [(low[0] + high[0]) / 2.0, (low[1] + high[1]) / 2.0];
    let at: Vec<(f64, f64)> = place
        .iter()
        .map(|q| {
            (
                left + side / 2.0 + (q[0] - centre[0]) / span * inner,
                top + side / 2.0 + (q[1] - centre[1]) / span * inner,
            )
        })
        .collect();
    let arrows = network.directed && n <= ARROWS_UP_TO;
    let tie = if ties.len() >= MANY { MANY_TIES } else { TIE };
    for &[i, j] in &ties {
        let (from, to) = (at[i], at[j]);
        if arrows {
            let d = ((to.0 - from.0).powi(2) + (to.1 - from.1).powi(2)).sqrt();
            let end = radius(s.in_degree[j]) + 1.5;
            if d > end {
                let t = (d - end) / d;
                let tip = (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
                p.line(&[from, tip], tie, 1.0)?;
                p.arrow_head(from, tip, tie, 6.0)?;
            }
        } else {
            p.line(&[from, to], tie, if n > 150 { 0.5 } else { 1.0 })?;
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| s.in_degree[a].total_cmp(&s.in_degree[b]).then(a.cmp(&b)));
    for i in order {
        let colour = group(i).map_or(NEUTRAL, |g| OKABE_ITO[g % OKABE_ITO.len()]);
        let (x, y) = at[i];
        let r = radius(s.in_degree[i]);
        p.circle(x, y, r, colour, true)?;
    }
    let legend_top = bottom + 20.0;
    for ((text, x, line), g) in legend(s, p.width).iter().zip(0..) {
        let y = legend_top + 18.0 * *line as f64;
        p.circle(x + 5.0, y, 4.5, OKABE_ITO[g % OKABE_ITO.len()], true)?;
        p.text(text, x + 14.0, y, TEXT, Anchor::Start, false, INK)?;
    }
    // What the sizes and the grey mean, on the line below the legend.
    let mut key = format!(
        "largest dot: {} {}",
        grouped(most, 0),
        if network.directed {
            "nominations received"
        } else {
            "ties"
        }
    );
    if (0..n).any(|i| group(i).is_none()) && !s.groups.is_empty() {
        key.push_str("; grey: no value");
    }
    p.text(
        &key,
        p.margin(),
        legend_top + 18.0 * lines as f64,
        TEXT,
        Anchor::Start,
        false,
        MUTED,
    )?;
    Ok(())
}
