//! HTML escaping, for every page kith builds from researchers' and participants' text.
//!
//! Codebooks, reports and the runner's pages all escape with this one function, so that a
//! label or an answer can never become markup.

/// Escapes text for HTML element content and attribute values: the five characters that can
/// end an element's text or a quoted attribute.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}
