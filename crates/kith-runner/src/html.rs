//! The web front-end's pages: server-rendered HTML forms that work without JavaScript, every
//! text escaped (item texts from YAML too), one `fieldset` and `legend` per question, labels
//! bound to their inputs, mobile first (Likert options stacked, a row on wide screens).

use crate::answer::{Answer, options};
use crate::engine::{Position, Question, SCREENED_OUT, Session};
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
.resume{font-size:.9rem;color:#3d3d3d;word-break:break-all;border-top:1px solid #c4c4c4;padding-top:.75rem}
.summary li{margin:.25rem 0}
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

/// The page a survey's link opens before a session exists: the title, a note and a *Start*
/// button whose form posts to `action` (with its URL parameters) with the CSRF secret `csrf`.
pub fn landing_page(
    form: &kith_instrument::form::Form,
    action: &str,
    csrf: &str,
    note: &str,
) -> String {
    document(
        &form.language,
        &form.title,
        &format!(
            "<h1>{}</h1><p>{}</p><form method=\"post\" action=\"{}\">\
             <input type=\"hidden\" name=\"_csrf\" value=\"{}\">\
             <div class=\"nav\"><button class=\"primary\" name=\"_action\" value=\"start\">Start</button></div></form>",
            escape_html(&form.title),
            escape_html(note),
            escape_html(action),
            escape_html(csrf)
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
}

fn header(session: &Session) -> String {
    let (page, pages) = session.progress();
    let mut out = format!("<h1>{}</h1>", escape_html(&session.form().title));
    if matches!(session.position(), Position::Page(_) | Position::Review) {
        let label = if session.position() == Position::Review {
            "Summary".to_string()
        } else {
            format!("Page {page} of {pages}")
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

fn resume_note(context: &PageContext) -> String {
    format!(
        "<p class=\"resume\">Your answers are saved with every page. To continue later, on this \
         or another device, keep this link: <a href=\"{0}\">{0}</a></p>",
        escape_html(&context.resume_link)
    )
}

fn question_html(number: usize, question: &Question<'_>, context: &PageContext) -> String {
    let id = escape_html(question.id);
    let problem = context.problems.get(question.id);
    let described = if problem.is_some() {
        format!(" aria-describedby=\"err-{id}\"")
    } else {
        String::new()
    };
    let scale = question.response;
    let class = match scale {
        ResponseScale::Likert { .. } => "likert",
        _ => "question",
    };
    let problem_class = if problem.is_some() { " problem" } else { "" };
    let mut out = format!(
        "<fieldset class=\"{class}{problem_class}\" id=\"q-{id}\"{described}><legend>{number}. {}{}</legend>",
        escape_html(&question.text),
        if question.required {
            " <span class=\"req\">(required)</span>"
        } else {
            ""
        }
    );
    let name = format!("a.{}", question.id);
    match scale {
        ResponseScale::Likert { .. }
        | ResponseScale::SingleChoice { .. }
        | ResponseScale::MultipleChoice { .. } => {
            let multiple = matches!(scale, ResponseScale::MultipleChoice { .. });
            out.push_str("<div class=\"options\">");
            for (code, label) in options(scale) {
                let chosen = match question.answer {
                    Some(Answer::Code(c)) => *c == code,
                    Some(Answer::Choices(cs)) => cs.contains(&code),
                    _ => false,
                };
                let _ = write!(
                    out,
                    "<label><input type=\"{}\" name=\"{}\" value=\"{code}\"{}> <span>{}</span></label>",
                    if multiple { "checkbox" } else { "radio" },
                    escape_html(&name),
                    if chosen { " checked" } else { "" },
                    escape_html(label)
                );
            }
            out.push_str("</div>");
        }
        ResponseScale::Numeric { min, max, unit, .. } => {
            let typed = problem
                .map(|(_, typed)| typed.clone())
                .filter(|typed| !typed.is_empty())
                .or_else(|| question.answer.map(Answer::to_cell))
                .unwrap_or_default();
            let range = match (min, max) {
                (Some(min), Some(max)) => format!("a number from {min} to {max}"),
                (Some(min), None) => format!("a number of at least {min}"),
                (None, Some(max)) => format!("a number up to {max}"),
                (None, None) => "a number".to_string(),
            };
            let unit = unit
                .as_deref()
                .map(|u| format!(", in {}", escape_html(u)))
                .unwrap_or_default();
            let _ = write!(
                out,
                "<label for=\"in-{id}\" class=\"hint\">Type {range}{unit}</label><br>\
                 <input type=\"text\" inputmode=\"decimal\" autocomplete=\"off\" id=\"in-{id}\" name=\"{}\" value=\"{}\">",
                escape_html(&name),
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
                .map(|m| format!(" (at most {m} characters)"))
                .unwrap_or_default();
            let _ = write!(
                out,
                "<label for=\"in-{id}\" class=\"hint\">Your answer{limit}</label><br>\
                 <textarea id=\"in-{id}\" name=\"{}\">{}</textarea>",
                escape_html(&name),
                escape_html(&typed)
            );
        }
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

/// The page for the session's position.
pub fn session_page(session: &Session, context: &PageContext) -> String {
    let form = session.form();
    let mut body = header(session);
    match session.position() {
        Position::Consent => {
            body.push_str(&paragraphs(&session.consent_text().unwrap_or_default()));
            let _ = write!(
                body,
                "<form method=\"post\" action=\"/take\">{}<div class=\"nav\">\
                 <button class=\"primary\" name=\"_action\" value=\"agree\">I agree</button>\
                 <button name=\"_action\" value=\"decline\">I do not agree</button></div></form>",
                hidden_csrf(context)
            );
        }
        Position::Page(_) => {
            let Some(page) = session.current_page() else {
                return document(&form.language, &form.title, &body);
            };
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
                body.push_str(&question_html(index + 1, question, context));
            }
            let last = page.number == page.count;
            let _ = write!(
                body,
                "<div class=\"nav\"><button class=\"primary\" name=\"_action\" value=\"next\">{}</button>{}</div></form>",
                if last { "Review answers" } else { "Next" },
                if page.number > 1 {
                    "<button name=\"_action\" value=\"back\">Back</button>"
                } else {
                    ""
                }
            );
            body.push_str(&resume_note(context));
        }
        Position::Review => {
            body.push_str("<h2>Before you submit</h2><ul class=\"summary\">");
            for page in session.review() {
                let _ = write!(
                    body,
                    "<li>Page {}: {} of {} answered{}</li>",
                    page.number,
                    page.answered,
                    page.total,
                    if page.unanswered.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " (not answered: {})",
                            page.unanswered
                                .iter()
                                .map(usize::to_string)
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                );
            }
            let _ = write!(
                body,
                "</ul><form method=\"post\" action=\"/take\">{}<div class=\"nav\">\
                 <button class=\"primary\" name=\"_action\" value=\"submit\">Submit my answers</button>\
                 <button name=\"_action\" value=\"back\">Back</button></div></form>",
                hidden_csrf(context)
            );
            body.push_str(&resume_note(context));
        }
        Position::Complete => {
            body.push_str(&paragraphs(
                session
                    .closing()
                    .as_deref()
                    .unwrap_or("Thank you! Your answers have been saved."),
            ));
        }
        Position::ScreenedOut => {
            body.push_str(&paragraphs(
                session.end_message().as_deref().unwrap_or(SCREENED_OUT),
            ));
        }
        Position::Declined => {
            body.push_str(
                "<p>You declined to take part. Nothing but your decision was recorded. Thank you for your time.</p>",
            );
        }
    }
    document(&form.language, &form.title, &body)
}
