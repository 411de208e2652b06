//! What the library tests share: a small instrument of two five-point items and one score.

/// Two agree–disagree items and their mean, `total`.
pub const INSTRUMENT: &str = "kind: instrument
id: pair
version: 1.0.0
title: Two items
license: test data
validated: false
validation_note: items made up for the test
language: en
scales:
  agree: {type: likert, values: [1, 2, 3, 4, 5], labels: [a, b, c, d, e]}
items:
  - {id: q1, text: One, scale: agree}
  - {id: q2, text: Two, scale: agree}
scores:
  - {id: total, label: Total, items: [q1, q2]}
";
