//! What the terminal shows, as lines of styled text: a pure function of the session, the
//! front-end's cursor state and the window size, so that layout is testable without a terminal.

pub mod people;

use crate::answer::{Answer, options, options_in, unit_in};
use crate::engine::{Position, Question, Session};
use crate::strings::{Strings, fill};
use kith_instrument::model::ResponseScale;
use std::collections::HashMap;
use unicode_width::UnicodeWidthStr;

/// How a piece of text is emphasized. Every state is also told in words or marks (`(•)`, `>`),
/// so that nothing depends on colour or on NO_COLOR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Strong,
    Faint,
    /// A chosen answer.
    Chosen,
    /// The question or button the keys act on.
    Focus,
    /// A validation message.
    Problem,
}

/// A run of text in one tone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub tone: Tone,
}

/// One screen line.
pub type Line = Vec<Span>;

fn span(text: impl Into<String>, tone: Tone) -> Span {
    Span {
        text: text.into(),
        tone,
    }
}

fn plain(text: impl Into<String>) -> Line {
    vec![span(text, Tone::Plain)]
}

/// The front-end's own state on a page: which question has the focus, what is being typed,
/// which option the arrows point at, and the message to show.
#[derive(Debug, Clone, Default)]
pub struct Cursor {
    /// The focused question (0-based); the page's question count means the "next" button.
    pub focus: usize,
    /// Text being typed into numeric and text questions, by question id.
    pub drafts: HashMap<String, String>,
    /// The option the arrow keys point at, by question id (0-based position).
    pub highlight: HashMap<String, usize>,
    /// A message for the participant: (question id it belongs to, text).
    pub message: Option<(Option<String>, String)>,
}

/// A finished screen: the lines above the body (kept in view), the body, the lines below.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Screen {
    pub header: Vec<Line>,
    pub body: Vec<Line>,
    /// The body lines (start, end) of the focused element, kept in view when the body scrolls.
    pub focus_lines: (usize, usize),
    pub footer: Vec<Line>,
}

impl Screen {
    /// The lines that fit in `height` rows, the body scrolled so that the focus is in view.
    pub fn fit(&self, height: usize) -> Vec<Line> {
        let room = height.saturating_sub(self.header.len() + self.footer.len());
        let (start, end) = self.focus_lines;
        let mut top = 0;
        if end > room {
            top = (end - room).min(start);
        }
        let mut lines: Vec<Line> = self.header.clone();
        lines.extend(self.body.iter().skip(top).take(room).cloned());
        while lines.len() + self.footer.len() < height {
            lines.push(Vec::new());
        }
        lines.extend(self.footer.iter().cloned());
        lines.truncate(height);
        lines
    }
}

/// Wraps text to `width` columns with an indent on every line.
fn wrapped(text: &str, width: usize, indent: usize, tone: Tone) -> Vec<Line> {
    let room = width.saturating_sub(indent).max(10);
    let pad = " ".repeat(indent);
    // Paragraphs are separated by blank lines; the line breaks inside one are the file's,
    // not the participant's, so they are joined and wrapped to the window.
    let mut lines = Vec::new();
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .filter(|p| !p.trim().is_empty())
        .collect();
    for (index, paragraph) in paragraphs.iter().enumerate() {
        if index > 0 {
            lines.push(Vec::new());
        }
        for line in textwrap::wrap(paragraph, room) {
            lines.push(vec![span(format!("{pad}{line}"), tone)]);
        }
    }
    lines
}

/// Cuts a line of text to `width` columns (for the header and footer, which never wrap).
fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.width() + 2 > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// The header: title, then page k of n with a progress bar and the session id.
fn header(session: &Session, session_id: &str, width: usize) -> Vec<Line> {
    let (page, pages) = session.progress();
    let words = session.strings();
    let mut lines = vec![vec![span(cut(session.title(), width), Tone::Strong)]];
    let status = match session.position() {
        Position::Page(_) => fill(
            words.page_of,
            &[("page", &page.to_string()), ("pages", &pages.to_string())],
        ),
        Position::Review => words.summary.to_string(),
        _ => String::new(),
    };
    if !status.is_empty() {
        let bar_width = width.saturating_sub(status.width() + 30).clamp(0, 30);
        let filled = (bar_width * page).checked_div(pages).unwrap_or(0);
        let bar = if bar_width >= 5 {
            format!(
                "  [{}{}]",
                "#".repeat(filled),
                "-".repeat(bar_width - filled)
            )
        } else {
            String::new()
        };
        lines.push(plain(cut(
            &format!("{status}{bar}  {} {session_id}", words.session),
            width,
        )));
    }
    lines.push(plain("─".repeat(width.min(80))));
    lines
}

/// The number keys of a scale's options, when they fit on one key each.
fn digit_keys(scale: &ResponseScale) -> bool {
    let n = options(scale).len();
    n > 0 && n <= 9
}

fn help_line(words: &Strings, question: Option<&Question<'_>>, width: usize) -> Line {
    if let Some(choice) = question.and_then(|q| q.people.as_ref()) {
        let keys = if choice.roster.is_some() {
            words.people.keys_filter
        } else {
            words.people.keys_names
        };
        return vec![span(cut(keys, width), Tone::Faint)];
    }
    let keys = match question.map(|q| q.response) {
        Some(scale @ (ResponseScale::Likert { .. } | ResponseScale::SingleChoice { .. })) => {
            if digit_keys(scale) {
                fill(
                    words.keys_choose_digits,
                    &[("n", &options(scale).len().to_string())],
                )
            } else {
                words.keys_choose.to_string()
            }
        }
        Some(scale @ ResponseScale::MultipleChoice { .. }) => {
            if digit_keys(scale) {
                fill(
                    words.keys_tick_digits,
                    &[("n", &options(scale).len().to_string())],
                )
            } else {
                words.keys_tick.to_string()
            }
        }
        Some(_) => words.keys_type.to_string(),
        None => words.keys_button.to_string(),
    };
    vec![span(cut(&keys, width), Tone::Faint)]
}

fn saved_line(session: &Session, width: usize) -> Line {
    let n = session.answers().len();
    vec![span(cut(&session.strings().saved(n), width), Tone::Faint)]
}

/// The text shown for an answer (or a draft) of a question out of focus.
fn answer_text(question: &Question<'_>, session: &Session) -> (String, Tone) {
    let words = session.strings();
    match question.answer {
        Some(answer) => (
            fill(
                words.answer_is,
                &[(
                    "answer",
                    &answer.describe_in(question.response, session.language()),
                )],
            ),
            Tone::Chosen,
        ),
        None => (words.not_answered.to_string(), Tone::Faint),
    }
}

/// The lines of one question; `focused` shows its options or its input field.
fn question_lines(
    number: usize,
    question: &Question<'_>,
    focused: bool,
    cursor: &Cursor,
    width: usize,
    session: &Session,
) -> Vec<Line> {
    let words = session.strings();
    let marker = if focused { ">" } else { " " };
    let required = if question.required { " *" } else { "" };
    let label = format!("{marker}{number:>2}. ");
    let indent = label.width();
    let mut lines = Vec::new();
    let full_text = format!("{}{required}", question.text);
    let text_lines = textwrap::wrap(&full_text, width.saturating_sub(indent).max(10));
    for (index, line) in text_lines.iter().enumerate() {
        let lead = if index == 0 {
            label.clone()
        } else {
            " ".repeat(indent)
        };
        lines.push(vec![
            span(lead, if focused { Tone::Focus } else { Tone::Plain }),
            span(
                line.to_string(),
                if focused { Tone::Strong } else { Tone::Plain },
            ),
        ]);
    }
    if let Some(choice) = &question.people {
        lines.extend(people::lines(
            question, choice, focused, cursor, width, indent, session,
        ));
        if let Some((Some(id), message)) = &cursor.message
            && **id == *question.id
        {
            lines.extend(wrapped(message, width, indent, Tone::Problem));
        }
        return lines;
    }
    let pad = " ".repeat(indent);
    if !focused {
        let (text, tone) = answer_text(question, session);
        lines.push(vec![span(pad, Tone::Plain), span(text, tone)]);
        return lines;
    }
    match question.response {
        scale @ (ResponseScale::Likert { .. }
        | ResponseScale::SingleChoice { .. }
        | ResponseScale::MultipleChoice { .. }) => {
            let multiple = matches!(scale, ResponseScale::MultipleChoice { .. });
            let highlight = cursor.highlight.get(&*question.id).copied();
            for (position, (code, label)) in options_in(scale, session.language())
                .into_iter()
                .enumerate()
            {
                let chosen = match question.answer {
                    Some(Answer::Code(c)) => *c == code,
                    Some(Answer::Choices(cs)) => cs.contains(&code),
                    _ => false,
                };
                let mark = match (multiple, chosen) {
                    (false, true) => "(•)",
                    (false, false) => "( )",
                    (true, true) => "[x]",
                    (true, false) => "[ ]",
                };
                let key = if digit_keys(scale) {
                    format!("{}", position + 1)
                } else {
                    " ".to_string()
                };
                let pointer = if highlight == Some(position) {
                    "›"
                } else {
                    " "
                };
                let text = cut(&format!("{pointer}{mark} {key} {label}"), width - indent);
                let tone = if highlight == Some(position) {
                    Tone::Focus
                } else if chosen {
                    Tone::Chosen
                } else {
                    Tone::Plain
                };
                lines.push(vec![span(pad.clone(), Tone::Plain), span(text, tone)]);
            }
        }
        scale @ ResponseScale::Numeric { min, max, .. } => {
            let draft = cursor
                .drafts
                .get(&*question.id)
                .cloned()
                .unwrap_or_default();
            let (low, high) = (
                min.map(|m| m.to_string()).unwrap_or_default(),
                max.map(|m| m.to_string()).unwrap_or_default(),
            );
            let template = match (min, max) {
                (Some(_), Some(_)) => Some(words.range_between),
                (Some(_), None) => Some(words.range_at_least),
                (None, Some(_)) => Some(words.range_up_to),
                (None, None) => None,
            };
            let range = template
                .map(|t| format!(" {}", fill(t, &[("min", &low), ("max", &high)])))
                .unwrap_or_default();
            let unit = unit_in(scale, session.language())
                .map(|u| format!(" {u}"))
                .unwrap_or_default();
            lines.push(vec![
                span(pad.clone(), Tone::Plain),
                span(format!("[{draft}_]"), Tone::Focus),
                span(format!("{unit}{range}"), Tone::Faint),
            ]);
        }
        ResponseScale::Text { max_length } => {
            let draft = cursor
                .drafts
                .get(&*question.id)
                .cloned()
                .unwrap_or_default();
            for (index, line) in textwrap::wrap(
                &format!("{draft}_"),
                width.saturating_sub(indent + 2).max(10),
            )
            .iter()
            .enumerate()
            {
                let open = if index == 0 { "[" } else { " " };
                lines.push(vec![
                    span(pad.clone(), Tone::Plain),
                    span(format!("{open}{line}"), Tone::Focus),
                ]);
            }
            if let Some(max) = max_length {
                lines.push(vec![
                    span(pad.clone(), Tone::Plain),
                    span(
                        fill(
                            words.characters_of,
                            &[
                                ("n", &draft.chars().count().to_string()),
                                ("max", &max.to_string()),
                            ],
                        ),
                        Tone::Faint,
                    ),
                ]);
            }
        }
    }
    if let Some((Some(id), message)) = &cursor.message
        && **id == *question.id
    {
        for line in wrapped(message, width, indent, Tone::Problem) {
            lines.push(line);
        }
    }
    lines
}

/// The screen of a page of questions.
pub fn page_screen(
    session: &Session,
    session_id: &str,
    cursor: &Cursor,
    width: usize,
) -> Option<Screen> {
    let page = session.current_page()?;
    let mut body: Vec<Line> = Vec::new();
    if let Some(title) = &page.title {
        body.push(vec![span(title, Tone::Strong)]);
    }
    if let Some(instructions) = &page.instructions {
        body.extend(wrapped(instructions, width, 0, Tone::Plain));
    }
    let words = session.strings();
    if page.questions.iter().any(|q| q.required) {
        body.push(vec![span(words.required_mark, Tone::Faint)]);
    }
    body.push(Vec::new());
    let mut focus_lines = (0, 0);
    for (index, question) in page.questions.iter().enumerate() {
        let focused = cursor.focus == index;
        let start = body.len();
        body.extend(question_lines(
            index + 1,
            question,
            focused,
            cursor,
            width,
            session,
        ));
        if focused {
            focus_lines = (start, body.len());
        }
        body.push(Vec::new());
    }
    let last = page.number == page.count;
    let button = if last {
        words.review_button
    } else {
        words.next_page_button
    };
    let on_button = cursor.focus >= page.questions.len();
    if on_button {
        focus_lines = (body.len(), body.len() + 1);
    }
    body.push(vec![
        span(if on_button { ">" } else { " " }, Tone::Focus),
        span(button, if on_button { Tone::Focus } else { Tone::Strong }),
    ]);
    let mut footer = Vec::new();
    if let Some((None, message)) = &cursor.message {
        footer.extend(wrapped(message, width, 0, Tone::Problem));
    }
    footer.push(saved_line(session, width));
    footer.push(help_line(words, page.questions.get(cursor.focus), width));
    Some(Screen {
        header: header(session, session_id, width),
        body,
        focus_lines,
        footer,
    })
}

/// The consent screen.
pub fn consent_screen(session: &Session, session_id: &str, width: usize) -> Screen {
    let mut body = wrapped(
        &session.consent_text().unwrap_or_default(),
        width,
        0,
        Tone::Plain,
    );
    body.push(Vec::new());
    body.push(vec![span(session.strings().press_y, Tone::Strong)]);
    let end = body.len();
    Screen {
        header: header(session, session_id, width),
        body,
        focus_lines: (end - 1, end),
        footer: vec![vec![span("Ctrl-C pause", Tone::Faint)]],
    }
}

/// The summary before submitting.
pub fn review_screen(
    session: &Session,
    session_id: &str,
    message: Option<&str>,
    width: usize,
) -> Screen {
    let words = session.strings();
    let mut body = vec![vec![span(words.before_submit, Tone::Strong)], Vec::new()];
    for page in session.review() {
        let block = session
            .page(page.index)
            .and_then(|p| p.title)
            .unwrap_or_default();
        // "Page 3 (Block): 4 of 5 answered", the block's title after the page number.
        let page_label = if block.is_empty() {
            page.number.to_string()
        } else {
            format!("{} ({block})", page.number)
        };
        let mut text = fill(
            words.review_line,
            &[
                ("page", &page_label),
                ("answered", &page.answered.to_string()),
                ("total", &page.total.to_string()),
            ],
        );
        if !page.unanswered.is_empty() {
            let numbers: Vec<String> = page.unanswered.iter().map(usize::to_string).collect();
            let list = numbers.join(", ");
            text.push_str(&format!(
                " · {}",
                fill(words.not_answered_list, &[("list", &list)])
            ));
        }
        body.extend(wrapped(&text, width, 2, Tone::Plain));
    }
    body.push(Vec::new());
    body.push(vec![span(words.press_enter_submit, Tone::Strong)]);
    let end = body.len();
    let mut footer = Vec::new();
    if let Some(message) = message {
        footer.extend(wrapped(message, width, 0, Tone::Problem));
    }
    footer.push(saved_line(session, width));
    Screen {
        header: header(session, session_id, width),
        body,
        focus_lines: (end - 1, end),
        footer,
    }
}

/// The screen after the session ended.
pub fn end_screen(session: &Session, kiosk: bool, width: usize) -> Screen {
    let words = session.strings();
    let text = match session.position() {
        Position::Declined => words.declined.to_string(),
        Position::ScreenedOut => session
            .end_message()
            .unwrap_or_else(|| words.screened_out.to_string()),
        _ => session
            .closing()
            .unwrap_or_else(|| words.closing.to_string()),
    };
    let mut body = wrapped(&text, width, 0, Tone::Plain);
    body.push(Vec::new());
    body.push(vec![span(
        if kiosk {
            words.press_enter_next
        } else {
            words.press_enter_close
        },
        Tone::Strong,
    )]);
    let end = body.len();
    Screen {
        header: vec![
            vec![span(cut(session.title(), width), Tone::Strong)],
            plain("─".repeat(width.min(80))),
        ],
        body,
        focus_lines: (end - 1, end),
        footer: Vec::new(),
    }
}

/// The kiosk screen between participants: an optional participant id is typed here.
pub fn kiosk_screen(title: &str, draft: &str, width: usize) -> Screen {
    let body = vec![
        vec![span("Next participant", Tone::Strong)],
        Vec::new(),
        plain("Type the participant's id (or leave it empty) and press Enter to begin."),
        vec![span(format!("[{draft}_]"), Tone::Focus)],
    ];
    Screen {
        header: vec![
            vec![span(cut(title, width), Tone::Strong)],
            plain("─".repeat(width.min(80))),
        ],
        focus_lines: (3, 4),
        body,
        footer: vec![vec![span("Ctrl-C ends the lab session", Tone::Faint)]],
    }
}
