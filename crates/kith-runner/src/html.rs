//! The web front-end's pages: server-rendered HTML forms that work without JavaScript, every
//! text escaped (item texts from YAML too), one `fieldset` and `legend` per question, labels
//! bound to their inputs, mobile first (Likert options stacked, a row on wide screens).

mod people;

use crate::answer::{Answer, options_in, unit_in};
use crate::engine::{Position, Question, Session};
use crate::strings::{Strings, fill};
use kith_instrument::escape::escape_html;
use kith_instrument::model::ResponseScale;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The style sheet, served as `/style.css` (the Content-Security-Policy allows no inline style).
pub const STYLE: &str = r#"
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:100%;line-height:1.5;color:#1a1a1a;background:#fff}
body{margin:0}
main{max-width:46rem;margin:0 auto;padding:1rem}
h1{font-size:1.35rem;margin:.5rem 0}
h2{font-size:1.15rem;margin:1.25rem 0 .5rem}
.progress{margin:.25rem 0 1rem;color:#3d3d3d}
progress{width:100%;height:.75rem;accent-color:#0b5394}
fieldset{border:1px solid #8a8a8a;border-radius:.5rem;margin:0 0 1rem;padding:.75rem 1rem}
legend{font-weight:600;padding:0 .25rem}
.req{font-weight:400;color:#3d3d3d}
.options label{display:flex;gap:.6rem;align-items:center;padding:.55rem .4rem;border-radius:.35rem;cursor:pointer;min-height:2.75rem}
.options label:hover{background:#eef3f8}
input[type=radio],input[type=checkbox]{width:1.35rem;height:1.35rem;margin:0;flex:none;accent-color:#0b5394}
input[type=text],textarea{font:inherit;width:100%;max-width:20rem;padding:.55rem;border:1px solid #5c5c5c;border-radius:.35rem}
textarea{max-width:100%;min-height:5rem}
.hint{color:#3d3d3d;font-size:.95rem;margin:.25rem 0}
.error{color:#a4000f;font-weight:600;margin:.35rem 0 0}
.problem{border-color:#a4000f;border-width:2px}
.nav{display:flex;flex-direction:row-reverse;justify-content:space-between;gap:1rem;margin:1.5rem 0}
button{font:inherit;font-weight:600;padding:.7rem 1.4rem;border-radius:.4rem;border:2px solid #0b5394;background:#fff;color:#0b5394;cursor:pointer;min-height:2.75rem}
button.primary{background:#0b5394;color:#fff}
:focus-visible{outline:3px solid #b45f06;outline-offset:2px}
.resume{font-size:.9rem;color:#3d3d3d;border-top:1px solid #c4c4c4;padding-top:.75rem}
.resume a{word-break:break-all}
.summary li{margin:.25rem 0}
.people h3{font-size:1rem;margin:.75rem 0 .25rem}
.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:1rem 0 .5rem}
.search label{flex-basis:100%}
input[type=search]{font:inherit;flex:1 1 12rem;padding:.55rem;border:1px solid #5c5c5c;border-radius:.35rem;min-height:2.75rem}
details.unit-group{border-top:1px solid #c4c4c4}
summary{cursor:pointer;padding:.6rem .25rem;min-height:2.75rem;font-weight:600}
.unit,.count{color:#3d3d3d;font-size:.9rem;font-weight:400}
.names label{display:block;margin:.5rem 0 .15rem}
table{border-collapse:collapse}td,th{border-bottom:1px solid #c4c4c4;padding:.35rem .75rem;text-align:left}
@media (min-width:44rem){
 .likert .options{display:grid;grid-auto-flow:column;grid-auto-columns:1fr;gap:.25rem}
 .likert .options label{flex-direction:column;text-align:center;justify-content:flex-start;font-size:.92rem}
}
"#;

/// Paragraphs of a text, escaped: blank lines separate paragraphs.
fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>", escape_html(&p)))
        .collect()
}

/// A whole page around `body`.
pub fn document(language: &str, title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><link rel=\"stylesheet\" href=\"/style.css\"></head>\
         <body><main>{body}</main></body></html>\n",
        escape_html(language),
        escape_html(title)
    )
}

/// A simple page with a heading and a message (errors, links already used, logins).
pub fn message_page(language: &str, title: &str, heading: &str, message: &str) -> String {
    document(
        language,
        title,
        &format!(
            "<h1>{}</h1><p>{}</p>",
            escape_html(heading),
            escape_html(message)
        ),
    )
}

/// The page a survey's link opens before a session exists, in `language`: the title, a note
/// (`personal` for a single-use link) and a *Start* button whose form posts to `action` (with
/// its URL parameters, `lang` among them) with the CSRF secret `csrf`.
pub fn landing_page(
    form: &kith_instrument::form::Form,
    language: &str,
    action: &str,
    csrf: &str,
    personal: bool,
) -> String {
    let words = crate::strings::strings(language);
    let title = form
        .translations
        .get(language)
        .and_then(|t| t.title.as_deref())
        .unwrap_or(&form.title);
    let note = if personal {
        words.link_note
    } else {
        words.open_note
    };
    document(
        language,
        title,
        &format!(
            "<h1>{}</h1><p>{}</p><form method=\"post\" action=\"{}\">\
             <input type=\"hidden\" name=\"_csrf\" value=\"{}\">\
             <div class=\"nav\"><button class=\"primary\" name=\"_action\" value=\"start\">{}</button></div></form>",
            escape_html(title),
            escape_html(note),
            escape_html(action),
            escape_html(csrf),
            escape_html(words.start)
        ),
    )
}

/// What a page needs besides the session: the CSRF secret, the resume link, the messages.
#[derive(Debug, Clone, Default)]
pub struct PageContext {
    pub csrf: String,
    /// The link that reopens this session (`/resume/TOKEN`).
    pub resume_link: String,
    /// A message for the whole page (required questions).
    pub message: Option<String>,
    /// Messages by question id (refused answers), and the text that was typed.
    pub problems: BTreeMap<String, (String, String)>,
    /// What the participant searched a roster for (`/take?find=…`).
    pub search: Option<String>,
}

fn header(session: &Session) -> String {
    let (page, pages) = session.progress();
    let words = session.strings();
    let mut out = format!("<h1>{}</h1>", escape_html(session.title()));
    if matches!(session.position(), Position::Page(_) | Position::Review) {
        let label = if session.position() == Position::Review {
            words.summary.to_string()
        } else {
            fill(
                words.page_of,
                &[("page", &page.to_string()), ("pages", &pages.to_string())],
            )
        };
        let _ = write!(
            out,
            "<p class=\"progress\"><label for=\"progress\">{label}</label><br>\
             <progress id=\"progress\" max=\"{pages}\" value=\"{page}\">{label}</progress></p>"
        );
    }
    out
}

fn hidden_csrf(context: &PageContext) -> String {
    format!(
        "<input type=\"hidden\" name=\"_csrf\" value=\"{}\">",
        escape_html(&context.csrf)
    )
}

fn resume_note(words: &Strings, context: &PageContext) -> String {
    format!(
        "<p class=\"resume\">{} <a href=\"{1}\">{1}</a></p>",
        escape_html(words.resume_note),
        escape_html(&context.resume_link)
    )
}

/// The language choice: one button per language the survey offers, when it offers several.
fn language_choice(session: &Session, context: &PageContext) -> String {
    let offered = session.form().offered_languages();
    if offered.len() < 2 {
        return String::new();
    }
    let mut out = format!(
        "<form method=\"post\" action=\"/take\" class=\"languages\">{}<p>{}: ",
        hidden_csrf(context),
        escape_html(session.strings().language)
    );
    for language in offered {
        let current = language == session.language();
        let _ = write!(
            out,
            "<button name=\"_action\" value=\"language:{0}\" lang=\"{0}\"{1}>{2}</button> ",
            escape_html(language),
            if current {
                " aria-pressed=\"true\""
            } else {
                ""
            },
            escape_html(crate::strings::strings(language).name)
        );
    }
    out.push_str("</p></form>");
    out
}

fn question_html(
    number: usize,
    question: &Question<'_>,
    context: &PageContext,
    session: &Session,
) -> String {
    let words = session.strings();
    let id = escape_html(&question.id);
    let problem = context.problems.get(&*question.id);
    let described = if problem.is_some() {
        format!(" aria-describedby=\"err-{id}\"")
    } else {
        String::new()
    };
    let scale = question.response;
    let class = match (scale, &question.people) {
        (_, Some(_)) => "people",
        (ResponseScale::Likert { .. }, _) => "likert",
        _ => "question",
    };
    let problem_class = if problem.is_some() { " problem" } else { "" };
    let mut out = format!(
        "<fieldset class=\"{class}{problem_class}\" id=\"q-{id}\"{described}><legend>{number}. {}{}</legend>",
        escape_html(&question.text),
        if question.required {
            format!(
                " <span class=\"req\">{}</span>",
                escape_html(words.required_label)
            )
        } else {
            String::new()
        }
    );
    let name = format!("a.{}", question.id);
    if let Some(choice) = &question.people {
        let search = context
            .search
            .as_deref()
            .map(|query| people::Search { query });
        let refused = problem.map(|(_, typed)| typed.as_str());
        out.push_str(&people::choice_html(
            question,
            choice,
            session,
            search.as_ref(),
            refused,
        ));
    } else {
        scale_html(&mut out, question, scale, &name, &id, problem, session);
    }
    if let Some((message, _)) = problem {
        let _ = write!(
            out,
            "<p class=\"error\" id=\"err-{id}\">{}</p>",
            escape_html(message)
        );
    }
    out.push_str("</fieldset>");
    out
}

/// The inputs of a question answered on a scale.
fn scale_html(
    out: &mut String,
    question: &Question<'_>,
    scale: &ResponseScale,
    name: &str,
    id: &str,
    problem: Option<&(String, String)>,
    session: &Session,
) {
    let words = session.strings();
    let language = session.language();
    match scale {
        ResponseScale::Likert { .. }
        | ResponseScale::SingleChoice { .. }
        | ResponseScale::MultipleChoice { .. } => {
            let multiple = matches!(scale, ResponseScale::MultipleChoice { .. });
            out.push_str("<div class=\"options\">");
            for (code, label) in options_in(scale, language) {
                let chosen = match question.answer {
                    Some(Answer::Code(c)) => *c == code,
                    Some(Answer::Choices(cs)) => cs.contains(&code),
                    _ => false,
                };
                let _ = write!(
                    out,
                    "<label><input type=\"{}\" name=\"{}\" value=\"{code}\"{}> <span>{}</span></label>",
                    if multiple { "checkbox" } else { "radio" },
                    escape_html(name),
                    if chosen { " checked" } else { "" },
                    escape_html(label)
                );
            }
            out.push_str("</div>");
        }
        ResponseScale::Numeric { min, max, .. } => {
            let typed = problem
                .map(|(_, typed)| typed.clone())
                .filter(|typed| !typed.is_empty())
                .or_else(|| question.answer.map(Answer::to_cell))
                .unwrap_or_default();
            let (min, max) = (
                min.map(|m| m.to_string()).unwrap_or_default(),
                max.map(|m| m.to_string()).unwrap_or_default(),
            );
            let template = match (min.is_empty(), max.is_empty()) {
                (false, false) => words.number_between,
                (false, true) => words.number_at_least,
                (true, false) => words.number_up_to,
                (true, true) => words.number_any,
            };
            let range = escape_html(&fill(template, &[("min", &min), ("max", &max)]));
            let unit = unit_in(scale, language)
                .map(|u| escape_html(&fill(words.in_unit, &[("unit", u)])))
                .unwrap_or_default();
            let _ = write!(
                out,
                "<label for=\"in-{id}\" class=\"hint\">{range}{unit}</label><br>\
                 <input type=\"text\" inputmode=\"decimal\" autocomplete=\"off\" id=\"in-{id}\" name=\"{}\" value=\"{}\">",
                escape_html(name),
                escape_html(&typed)
            );
        }
        ResponseScale::Text { max_length } => {
            let typed = problem
                .map(|(_, typed)| typed.clone())
                .filter(|typed| !typed.is_empty())
                .or_else(|| question.answer.map(Answer::to_cell))
                .unwrap_or_default();
            let limit = max_length
                .map(|m| fill(words.at_most_characters, &[("max", &m.to_string())]))
                .unwrap_or_default();
            let _ = write!(
                out,
                "<label for=\"in-{id}\" class=\"hint\">{}{}</label><br>\
                 <textarea id=\"in-{id}\" name=\"{}\">{}</textarea>",
                escape_html(words.text_answer),
                escape_html(&limit),
                escape_html(name),
                escape_html(&typed)
            );
        }
    }
}

/// The page for the session's position.
pub fn session_page(session: &Session, context: &PageContext) -> String {
    let words = session.strings();
    let (language, title) = (session.language(), session.title());
    let mut body = header(session);
    match session.position() {
        Position::Consent => {
            body.push_str(&language_choice(session, context));
            body.push_str(&paragraphs(&session.consent_text().unwrap_or_default()));
            let _ = write!(
                body,
                "<form method=\"post\" action=\"/take\">{}<div class=\"nav\">\
                 <button class=\"primary\" name=\"_action\" value=\"agree\">{}</button>\
                 <button name=\"_action\" value=\"decline\">{}</button></div></form>",
                hidden_csrf(context),
                escape_html(words.agree),
                escape_html(words.decline)
            );
        }
        Position::Page(_) => {
            let Some(page) = session.current_page() else {
                return document(language, title, &body);
            };
            // Without a consent page, the language is chosen on the first page.
            if page.number == 1 && session.form().consent.is_none() {
                body.push_str(&language_choice(session, context));
            }
            if let Some(message) = &context.message {
                let _ = write!(
                    body,
                    "<p class=\"error\" role=\"alert\">{}</p>",
                    escape_html(message)
                );
            }
            if let Some(title) = &page.title {
                let _ = write!(body, "<h2>{}</h2>", escape_html(title));
            }
            if let Some(instructions) = &page.instructions {
                body.push_str(&paragraphs(instructions));
            }
            let _ = write!(
                body,
                "<form method=\"post\" action=\"/take\">{}",
                hidden_csrf(context)
            );
            for (index, question) in page.questions.iter().enumerate() {
                body.push_str(&question_html(index + 1, question, context, session));
            }
            let last = page.number == page.count;
            let _ = write!(
                body,
                "<div class=\"nav\"><button class=\"primary\" name=\"_action\" value=\"next\">{}</button>{}</div></form>",
                escape_html(if last {
                    words.review_answers
                } else {
                    words.next
                }),
                if page.number > 1 {
                    format!(
                        "<button name=\"_action\" value=\"back\">{}</button>",
                        escape_html(words.back)
                    )
                } else {
                    String::new()
                }
            );
            body.push_str(&resume_note(words, context));
        }
        Position::Review => {
            let _ = write!(
                body,
                "<h2>{}</h2><ul class=\"summary\">",
                escape_html(words.before_submit)
            );
            for page in session.review() {
                let mut line = fill(
                    words.review_line,
                    &[
                        ("page", &page.number.to_string()),
                        ("answered", &page.answered.to_string()),
                        ("total", &page.total.to_string()),
                    ],
                );
                if !page.unanswered.is_empty() {
                    let list: Vec<String> = page.unanswered.iter().map(usize::to_string).collect();
                    line.push_str(&format!(
                        " ({})",
                        fill(words.not_answered_list, &[("list", &list.join(", "))])
                    ));
                }
                let _ = write!(body, "<li>{}</li>", escape_html(&line));
            }
            let _ = write!(
                body,
                "</ul><form method=\"post\" action=\"/take\">{}<div class=\"nav\">\
                 <button class=\"primary\" name=\"_action\" value=\"submit\">{}</button>\
                 <button name=\"_action\" value=\"back\">{}</button></div></form>",
                hidden_csrf(context),
                escape_html(words.submit),
                escape_html(words.back)
            );
            body.push_str(&resume_note(words, context));
        }
        Position::Complete => {
            body.push_str(&paragraphs(
                session.closing().as_deref().unwrap_or(words.closing),
            ));
        }
        Position::ScreenedOut => {
            body.push_str(&paragraphs(
                session
                    .end_message()
                    .as_deref()
                    .unwrap_or(words.screened_out),
            ));
        }
        Position::Declined => {
            let _ = write!(body, "<p>{}</p>", escape_html(words.declined));
        }
    }
    document(language, title, &body)
}
