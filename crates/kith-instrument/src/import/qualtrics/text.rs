//! Texts and names from a Qualtrics survey: HTML to plain text with entities decoded, and the
//! rules that turn Qualtrics' export tags and block names into kith ids.

use crate::validate::{MAX_ID_LENGTH, RESERVED_COLUMNS, is_column_name, is_identifier};

/// The plain text of a Qualtrics HTML fragment: tags removed (scripts, styles and comments
/// with their content), block tags and `<br>` as line breaks, entities decoded, spaces
/// collapsed and lines trimmed, with at most one blank line between paragraphs.
pub(super) fn plain_text(html: &str) -> String {
    let raw = strip_tags(html);
    let mut lines: Vec<String> = Vec::new();
    for line in raw.split('\n') {
        let collapsed = line.split_whitespace().collect::<Vec<_>>().join(" ");
        let blank = collapsed.is_empty();
        // A blank line separates paragraphs; runs of them, and blank lines at either end, go.
        if blank && lines.last().is_none_or(|last| last.is_empty()) {
            continue;
        }
        lines.push(collapsed);
    }
    while lines.last().is_some_and(|last| last.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// The plain text of a fragment on one line, for item texts and option labels.
pub(super) fn one_line(html: &str) -> String {
    plain_text(html)
        .split('\n')
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The tags that end a line of text when they open or close.
const LINE_TAGS: &[&str] = &[
    "br",
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "hr",
    "section",
];

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    // Searches run in a lowercase copy (same byte offsets) and never twice over the same text,
    // so a hostile text of many unclosed `<` or `<script>` tags takes linear time.
    let lower = html.to_ascii_lowercase();
    let mut closes = true;
    let mut rest = html;
    while let Some(at) = rest.find(['<', '&']) {
        push_clean(&mut out, &rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('&') {
            match decode_entity(rest) {
                Some((decoded, length)) => {
                    push_clean(&mut out, &decoded);
                    rest = &rest[length..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
            continue;
        }
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some(end) = (if closes { rest.find('>') } else { None }) else {
            // A `<` that opens no tag is text, as browsers show it.
            closes = false;
            out.push('<');
            rest = &rest[1..];
            continue;
        };
        let tag = &rest[1..end];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &rest[end + 1..];
        if name.is_empty() && !tag.starts_with('/') && !tag.starts_with('!') {
            // `a < b > c` is text, not a tag.
            out.push('<');
            push_clean(&mut out, tag);
            out.push('>');
            continue;
        }
        if (name == "script" || name == "style") && !tag.starts_with('/') {
            let closing = format!("</{name}");
            let offset = html.len() - rest.len();
            rest = lower[offset..]
                .find(&closing)
                .and_then(|at| rest[at..].find('>').map(|end| &rest[at + end + 1..]))
                .unwrap_or("");
            continue;
        }
        if LINE_TAGS.contains(&name.as_str()) {
            out.push('\n');
        }
    }
    push_clean(&mut out, rest);
    out
}

/// Appends text with the characters a YAML file or a terminal should not carry replaced: the
/// no-break space by a space, line and paragraph separators by line breaks, and control and
/// invisible characters dropped.
fn push_clean(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\u{a0}' | '\t' | '\r' | '\u{2007}' | '\u{202f}' => out.push(' '),
            '\n' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\u{feff}' | '\u{200b}' | '\u{200e}' | '\u{200f}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

/// Named entities Qualtrics' editor writes; numeric ones are decoded by number.
const ENTITIES: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", " "),
    ("ndash", "–"),
    ("mdash", "—"),
    ("hellip", "…"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("laquo", "«"),
    ("raquo", "»"),
    ("bull", "•"),
    ("middot", "·"),
    ("copy", "©"),
    ("reg", "®"),
    ("trade", "™"),
    ("deg", "°"),
    ("euro", "€"),
    ("pound", "£"),
    ("times", "×"),
    ("divide", "÷"),
    ("plusmn", "±"),
    ("frac12", "½"),
    ("auml", "ä"),
    ("ouml", "ö"),
    ("uuml", "ü"),
    ("Auml", "Ä"),
    ("Ouml", "Ö"),
    ("Uuml", "Ü"),
    ("szlig", "ß"),
    ("eacute", "é"),
    ("egrave", "è"),
    ("aacute", "á"),
    ("agrave", "à"),
    ("iacute", "í"),
    ("oacute", "ó"),
    ("uacute", "ú"),
    ("ntilde", "ñ"),
    ("ccedil", "ç"),
    ("iquest", "¿"),
    ("iexcl", "¡"),
];

/// The text of the entity at the start of `text` and the bytes it takes, if it is one.
fn decode_entity(text: &str) -> Option<(String, usize)> {
    // Entities are short: the `;` must come within 11 bytes of the `&`.
    let end = text.bytes().skip(1).take(11).position(|b| b == b';')? + 1;
    let name = &text[1..end];
    let decoded = if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse::<u32>().ok()?,
        };
        char::from_u32(code)?.to_string()
    } else {
        ENTITIES
            .iter()
            .find(|(entity, _)| *entity == name)
            .map(|(_, value)| value.to_string())?
    };
    Some((decoded, end + 1))
}

/// A kith identifier (instrument, survey or block id) from a name: lowercase letters and
/// digits, other characters as single `-`, starting with a letter (`fallback-` is put in
/// front when it does not), at most 48 characters.
pub(super) fn slug(name: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut out = out.trim_end_matches('-').to_string();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out = if out.is_empty() {
            fallback.to_string()
        } else {
            format!("{fallback}-{out}")
        };
    }
    out.truncate(48);
    let out = out.trim_end_matches('-').to_string();
    if is_identifier(&out) {
        out
    } else {
        fallback.to_string()
    }
}

/// The kith column name for a Qualtrics export column, and why it differs when it does: the
/// column itself when kith accepts it, else characters outside letters, digits and `_` as
/// `_`, `x_` in front of a name that does not start with a letter, `_item` after a name kith
/// reserves, cut to 64 characters.
pub(super) fn column_id(column: &str) -> (String, Option<&'static str>) {
    if is_column_name(column) {
        if RESERVED_COLUMNS.contains(&column) {
            return (format!("{column}_item"), Some("kith reserves the name"));
        }
        return (column.to_string(), None);
    }
    let mut cleaned = String::new();
    for c in column.chars() {
        match latin(c) {
            Some(plain) => cleaned.push_str(plain),
            None if c.is_ascii_alphanumeric() => cleaned.push(c),
            None => cleaned.push('_'),
        }
    }
    if !cleaned.starts_with(|c: char| c.is_ascii_alphabetic()) {
        cleaned.insert_str(0, "x_");
    }
    cleaned.truncate(MAX_ID_LENGTH);
    let reason = if column.len() > MAX_ID_LENGTH
        && column
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        "kith's column names have at most 64 characters"
    } else {
        "kith's column names start with a letter and use only letters, digits and `_`"
    };
    if RESERVED_COLUMNS.contains(&cleaned.as_str()) {
        cleaned.push_str("_item");
    }
    (cleaned, Some(reason))
}

/// The plain letters of an accented Latin letter (`ä` → `a`, `ß` → `ss`), so that a German or
/// Spanish export tag keeps its readable name.
fn latin(c: char) -> Option<&'static str> {
    const LETTERS: &[(&str, &str)] = &[
        ("àáâãäåā", "a"),
        ("ÀÁÂÃÄÅĀ", "A"),
        ("çč", "c"),
        ("ÇČ", "C"),
        ("èéêëē", "e"),
        ("ÈÉÊËĒ", "E"),
        ("ìíîïī", "i"),
        ("ÌÍÎÏĪ", "I"),
        ("ñ", "n"),
        ("Ñ", "N"),
        ("òóôõöøō", "o"),
        ("ÒÓÔÕÖØŌ", "O"),
        ("ùúûüū", "u"),
        ("ÙÚÛÜŪ", "U"),
        ("ýÿ", "y"),
        ("Ý", "Y"),
        ("šś", "s"),
        ("ŠŚ", "S"),
        ("žź", "z"),
        ("ŽŹ", "Z"),
        ("ß", "ss"),
        ("æ", "ae"),
        ("Æ", "AE"),
        ("œ", "oe"),
        ("Œ", "OE"),
    ];
    LETTERS
        .iter()
        .find(|(letters, _)| letters.contains(c))
        .map(|(_, plain)| *plain)
}

/// A number as kith's files and conditions write it: whole numbers without a decimal point.
pub(super) fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// At most `limit` characters of `text`, cut at a word with `…` when it is longer.
pub(super) fn shortened(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let cut: String = text.chars().take(limit).collect();
    let at_word = cut
        .rfind(' ')
        .filter(|&at| at > limit / 2)
        .unwrap_or(cut.len());
    format!("{}…", cut[..at_word].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_plain_text() {
        let cases = [
            ("<strong>Please</strong> rate&nbsp;each", "Please rate each"),
            ("a<br>b<br/><br />c", "a\nb\n\nc"),
            ("<div>one</div><div><br></div><div>two</div>", "one\n\ntwo"),
            (
                "Fish &amp; chips &#8211; &#x2014; &eacute;",
                "Fish & chips – — é",
            ),
            ("<script>alert(1)</script>Hi<style>p{}</style>", "Hi"),
            ("x <!-- note --> y", "x y"),
            ("5 < 6 and 7 > 3", "5 < 6 and 7 > 3"),
            ("&unknown; &amp", "&unknown; &amp"),
            ("  spaced \t out \n ", "spaced out"),
            ("", ""),
        ];
        for (html, text) in cases {
            assert_eq!(plain_text(html), text, "{html}");
        }
        assert_eq!(one_line("a<br>b"), "a b");
    }

    #[test]
    fn names_become_ids() {
        assert_eq!(
            slug("Networking Motives (2023)", "block"),
            "networking-motives-2023"
        );
        assert_eq!(slug("1. Demographics", "block"), "block-1-demographics");
        assert_eq!(slug("— ", "block"), "block");
        assert_eq!(column_id("Q1_2"), ("Q1_2".to_string(), None));
        assert_eq!(column_id("Q1.2").0, "Q1_2");
        assert_eq!(column_id("1a").0, "x_1a");
        assert_eq!(column_id("consent").0, "consent_item");
        assert_eq!(column_id("Größe_ä").0, "Grosse_a");
        assert_eq!(column_id("Ä1").0, "A1");
        assert_eq!(column_id(&"a".repeat(70)).0.len(), 64);
    }
}
