//! Number formatting in APA style: no leading zero for statistics bounded by 1, p-values with
//! three decimals and `< .001`, and a minus sign that survives copy and paste.

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
    text
}

/// A statistic that cannot exceed 1 in magnitude (r, β, R², p): no leading zero.
pub fn bounded(value: f64, decimals: usize) -> String {
    let text = number(value, decimals);
    if let Some(rest) = text.strip_prefix("0.") {
        format!(".{rest}")
    } else if let Some(rest) = text.strip_prefix("-0.") {
        format!("-.{rest}")
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
        assert_eq!(bounded(-0.456, 2), "-.46");
        assert_eq!(bounded(1.0, 2), "1.00");
        assert_eq!(p_value(0.0004), "< .001");
        assert_eq!(p_value(0.0456), ".046");
        assert_eq!(number(-0.0001, 2), "0.00");
        assert_eq!(number(f64::NAN, 2), "–");
    }
}
