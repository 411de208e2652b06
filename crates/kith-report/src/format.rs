//! Number formatting in APA style: no leading zero for statistics bounded by 1, p-values with
//! three decimals and `< .001`, and the true minus sign (−, U+2212) that APA 7 and journals set,
//! not the hyphen. (`kith reliability`'s terminal tables keep the hyphen: they are for reading
//! in a terminal and for scripts, and their snapshots hold them.)

/// A number with `decimals` places; "–" for a missing value.
pub fn number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let text = format!("{value:.decimals$}");
    // "-0.00" reads as a negative zero, so it is shown as 0.
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        return text.trim_start_matches('-').to_string();
    }
    match text.strip_prefix('-') {
        Some(magnitude) => format!("{MINUS}{magnitude}"),
        None => text,
    }
}

/// The minus sign of every negative number kith typesets.
pub const MINUS: char = '\u{2212}';

/// A number with thousands separators (`52,340.5`), as APA writes numbers of 1,000 and more.
pub fn grouped(value: f64, decimals: usize) -> String {
    let text = number(value, decimals);
    let (sign, rest) = match text.strip_prefix(MINUS) {
        Some(rest) => (MINUS.to_string(), rest),
        None => (String::new(), text.as_str()),
    };
    let (whole, fraction) = match rest.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (rest, None),
    };
    if whole.len() <= 3 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return text;
    }
    let mut out = sign;
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// The decimals a variable's statistics are reported with, from its spread: none when its SD is
/// 100 or more (salaries in dollars), one when 10 or more, else two (scores on rating scales).
pub fn decimals_for(spread: f64) -> usize {
    let spread = spread.abs();
    if spread >= 100.0 {
        0
    } else if spread >= 10.0 {
        1
    } else {
        2
    }
}

/// The decimals of an estimate, from its standard error: three for an SE below 1 (effects on
/// rating scales), two below 10, one below 100, none from 100 on (dollars of salary).
pub fn estimate_decimals(se: f64) -> usize {
    match se.abs() {
        se if se >= 100.0 => 0,
        se if se >= 10.0 => 1,
        se if se >= 1.0 => 2,
        _ => 3,
    }
}

/// Items joined as a careful author lists them: "a", "a and b", "a, b, and c" (APA's serial
/// comma).
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [first, second] => format!("{first} and {second}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    }
}

/// A phrase with its first letter in capitals, to start a sentence or a title.
pub fn sentence_start(phrase: &str) -> String {
    let mut chars = phrase.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A label as it reads inside a sentence (defined beside the results, whose power-analysis
/// labels are written in sentences too).
pub use kith_analysis::results::mid_sentence;

/// A statistic that cannot exceed 1 in magnitude (r, β, R², p): no leading zero.
pub fn bounded(value: f64, decimals: usize) -> String {
    let text = number(value, decimals);
    if let Some(rest) = text.strip_prefix("0.") {
        format!(".{rest}")
    } else if let Some(rest) = text.strip_prefix("\u{2212}0.") {
        format!("{MINUS}.{rest}")
    } else {
        text
    }
}

/// A p-value: `< .001` below .001, else three decimals without the leading zero.
pub fn p_value(p: f64) -> String {
    if !p.is_finite() {
        "–".to_string()
    } else if p < 0.001 {
        "< .001".to_string()
    } else {
        bounded(p, 3)
    }
}

/// `[lo, hi]` with `decimals` places.
pub fn interval(ci: [f64; 2], decimals: usize) -> String {
    bracket(ci, |v| number(v, decimals))
}

/// `[lo, hi]` with each end written by `write`, so that every table writes intervals alike
/// whatever number style it uses.
pub fn bracket(ci: [f64; 2], write: impl Fn(f64) -> String) -> String {
    format!("[{}, {}]", write(ci[0]), write(ci[1]))
}

/// A confidence level as a percentage: `95%`.
pub fn percent(level: f64) -> String {
    format!("{}%", number(level * 100.0, 0))
}

/// A p-value as it follows "p" in a sentence: `< .001` or `= .046`.
pub fn p_text(p: f64) -> String {
    let text = p_value(p);
    if text.starts_with('<') {
        text
    } else {
        format!("= {text}")
    }
}

/// One row of a Markdown table: `| a | b |` and a line break.
pub fn markdown_row(cells: &[String]) -> String {
    format!("| {} |\n", cells.join(" | "))
}

/// Stars for tables: * p < .05, ** p < .01, *** p < .001.
pub fn stars(p: f64) -> &'static str {
    if p < 0.001 {
        "***"
    } else if p < 0.01 {
        "**"
    } else if p < 0.05 {
        "*"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apa_numbers() {
        assert_eq!(bounded(0.456, 2), ".46");
        assert_eq!(bounded(-0.456, 2), "\u{2212}.46");
        assert_eq!(number(-12.5, 1), "\u{2212}12.5");
        assert_eq!(grouped(52_340.456, 0), "52,340");
        assert_eq!(grouped(-1_234_567.5, 1), "\u{2212}1,234,567.5");
        assert_eq!(grouped(999.5, 1), "999.5");
        assert_eq!(grouped(f64::NAN, 1), "–");
        assert_eq!(decimals_for(18_250.0), 0);
        assert_eq!(decimals_for(12.0), 1);
        assert_eq!(decimals_for(0.9), 2);
        assert_eq!(estimate_decimals(1_523.0), 0);
        assert_eq!(estimate_decimals(0.052), 3);
        assert_eq!(estimate_decimals(f64::NAN), 3);
    }

    #[test]
    fn prose_lists_and_labels() {
        let list =
            |items: &[&str]| and_list(&items.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(list(&[]), "");
        assert_eq!(list(&["a"]), "a");
        assert_eq!(list(&["a", "b"]), "a and b");
        assert_eq!(list(&["a", "b", "c"]), "a, b, and c");
        assert_eq!(mid_sentence("Career satisfaction"), "career satisfaction");
        assert_eq!(mid_sentence("Salary (USD)"), "salary (USD)");
        assert_eq!(mid_sentence("WAMI total"), "WAMI total");
        assert_eq!(mid_sentence("HR"), "HR");
        assert_eq!(mid_sentence("age"), "age");
        assert_eq!(bounded(1.0, 2), "1.00");
        assert_eq!(p_value(0.0004), "< .001");
        assert_eq!(p_value(0.0456), ".046");
        assert_eq!(number(-0.0001, 2), "0.00");
        assert_eq!(number(f64::NAN, 2), "–");
    }
}
