//! kith's own words to participants, in English, German and Spanish: buttons, progress,
//! messages, the terminal's help line and why an answer was refused. The survey's texts come
//! from its files; these are the rest of what a participant reads.
//!
//! Templates name their blanks, e.g. `Page {page} of {pages}`, filled by `fill`. A language
//! kith has no strings for gets English ones (the survey's own texts can still be in it).

use crate::answer::AnswerProblem;

/// The interface strings of one language.
#[derive(Debug)]
pub struct Strings {
    /// The BCP 47 code and the language's own name, for the language choice.
    pub code: &'static str,
    pub name: &'static str,
    pub page_of: &'static str,
    pub summary: &'static str,
    pub start: &'static str,
    pub next: &'static str,
    pub review_answers: &'static str,
    pub back: &'static str,
    pub agree: &'static str,
    pub decline: &'static str,
    pub language: &'static str,
    pub before_submit: &'static str,
    pub submit: &'static str,
    pub review_line: &'static str,
    pub not_answered_list: &'static str,
    pub closing: &'static str,
    pub declined: &'static str,
    pub screened_out: &'static str,
    pub no_answer: &'static str,
    pub number_between: &'static str,
    pub number_at_least: &'static str,
    pub number_up_to: &'static str,
    pub number_any: &'static str,
    pub in_unit: &'static str,
    pub text_answer: &'static str,
    pub at_most_characters: &'static str,
    pub required_one: &'static str,
    pub required_many: &'static str,
    pub required_label: &'static str,
    pub refused: &'static str,
    pub refused_nothing_saved: &'static str,
    pub constraint_held: &'static str,
    pub resume_note: &'static str,
    pub open_note: &'static str,
    pub link_note: &'static str,
    // The terminal.
    pub required_mark: &'static str,
    pub press_y: &'static str,
    /// The key that agrees on the terminal's consent screen (besides Y).
    pub yes_key: char,
    pub next_page_button: &'static str,
    pub review_button: &'static str,
    pub press_enter_submit: &'static str,
    pub press_enter_close: &'static str,
    pub press_enter_next: &'static str,
    pub saved_one: &'static str,
    pub saved_many: &'static str,
    pub session: &'static str,
    pub answer_is: &'static str,
    pub range_between: &'static str,
    pub range_at_least: &'static str,
    pub range_up_to: &'static str,
    pub characters_of: &'static str,
    pub not_answered: &'static str,
    pub first_page: &'static str,
    pub required_terminal_one: &'static str,
    pub required_terminal_many: &'static str,
    pub review_required: &'static str,
    pub press_number: &'static str,
    pub keys_choose_digits: &'static str,
    pub keys_choose: &'static str,
    pub keys_tick_digits: &'static str,
    pub keys_tick: &'static str,
    pub keys_type: &'static str,
    pub keys_button: &'static str,
    // Why an answer was refused.
    pub off_scale: &'static str,
    pub not_a_number: &'static str,
    pub comma: &'static str,
    pub not_whole: &'static str,
    pub below_min: &'static str,
    pub above_max: &'static str,
    pub too_long: &'static str,
    pub wrong_kind: &'static str,
    pub repeated: &'static str,
    pub too_many_people: &'static str,
    pub not_on_roster: &'static str,
    pub self_chosen: &'static str,
    pub person_repeated: &'static str,
    pub blank_name: &'static str,
    /// The words of network questions.
    pub people: PeopleWords,
}

/// kith's words on the pages of network questions.
#[derive(Debug)]
pub struct PeopleWords {
    pub search: &'static str,
    pub search_button: &'static str,
    pub show_all: &'static str,
    pub chosen: &'static str,
    pub none_chosen: &'static str,
    pub no_match: &'static str,
    pub too_many_listed: &'static str,
    pub matches: &'static str,
    pub at_most: &'static str,
    pub name_field: &'static str,
    pub others: &'static str,
    pub keys_filter: &'static str,
    pub keys_names: &'static str,
    pub filter: &'static str,
}

pub const ENGLISH: Strings = Strings {
    code: "en",
    name: "English",
    page_of: "Page {page} of {pages}",
    summary: "Summary",
    start: "Start",
    next: "Next",
    review_answers: "Review answers",
    back: "Back",
    agree: "I agree",
    decline: "I do not agree",
    language: "Language",
    before_submit: "Before you submit",
    submit: "Submit my answers",
    review_line: "Page {page}: {answered} of {total} answered",
    not_answered_list: "not answered: {list}",
    closing: "Thank you! Your answers have been saved.",
    declined: "You declined to take part. Nothing but your decision was recorded. Thank you for your time.",
    screened_out: "Thank you for your time. Based on your answers, there are no further questions for you.",
    no_answer: "(no answer)",
    number_between: "Type a number from {min} to {max}",
    number_at_least: "Type a number of at least {min}",
    number_up_to: "Type a number up to {max}",
    number_any: "Type a number",
    in_unit: ", in {unit}",
    text_answer: "Your answer",
    at_most_characters: " (at most {max} characters)",
    required_one: "Your answers on this page are saved. Please answer question {list} (required) before going on.",
    required_many: "Your answers on this page are saved. Please answer questions {list} (required) before going on.",
    required_label: "(required)",
    refused: "Some answers were not accepted; nothing on this page was saved. Please correct them.",
    refused_nothing_saved: "Some answers were not accepted; nothing on this page was saved.",
    constraint_held: "Your answers on this page are saved. Please check the answers marked below before going on.",
    resume_note: "Your answers are saved with every page. To continue later, on this or another device, keep this link:",
    open_note: "Your answers are saved with every page, and each page shows a link to continue later. Press Start when you are ready.",
    link_note: "This is your personal link: it opens one survey session. Your answers are saved with every page, and each page shows a link to continue later. Press Start when you are ready.",
    required_mark: "* required",
    press_y: "Press Y to agree and begin, or N to decline.",
    yes_key: 'y',
    next_page_button: "[ Next page → ]",
    review_button: "[ Review and submit → ]",
    press_enter_submit: "Press Enter to submit your answers, or PgUp to go back and change them.",
    press_enter_close: "Press Enter to close.",
    press_enter_next: "Press Enter for the next participant.",
    saved_one: "{n} answer saved · answers are saved as you give them",
    saved_many: "{n} answers saved · answers are saved as you give them",
    session: "session",
    answer_is: "answer: {answer}",
    range_between: "({min} to {max})",
    range_at_least: "({min} or more)",
    range_up_to: "(up to {max})",
    characters_of: "{n} of {max} characters",
    not_answered: "not answered",
    first_page: "This is the first page.",
    required_terminal_one: "Please answer question {list} (marked *) before going on.",
    required_terminal_many: "Please answer questions {list} (marked *) before going on.",
    review_required: "Some required questions are not answered; go back with PgUp.",
    press_number: "press a number from 1 to {n}",
    keys_choose_digits: "1-{n} answer · ←→ Enter choose · ↑↓ question · PgDn next · PgUp back · Ctrl-C pause",
    keys_choose: "←→ Enter choose · ↑↓ question · PgDn next · PgUp back · Ctrl-C pause",
    keys_tick_digits: "1-{n} tick · Enter done · ↑↓ question · PgDn next · PgUp back · Ctrl-C pause",
    keys_tick: "←→ Space tick · Enter done · ↑↓ question · PgDn next · PgUp back · Ctrl-C pause",
    keys_type: "type, then Enter · ↑↓ question · PgDn next · PgUp back · Ctrl-C pause",
    keys_button: "Enter next page · ↑↓ question · PgUp back · Ctrl-C pause",
    off_scale: "`{value}` is not one of the answers; choose one of {allowed}",
    not_a_number: "`{value}` is not a number; type a number such as 12 or 2.5",
    comma: "`{value}` has a comma; type the number without one, with a point for decimals (85000 or 2.5)",
    not_whole: "`{value}` is not a whole number; type a whole number",
    below_min: "{value} is less than {min}; type a number from {min}{to}",
    above_max: "{value} is more than {max}; type a number up to {max}",
    too_long: "the answer has {length} characters; at most {max} are accepted",
    wrong_kind: "this question takes another kind of answer",
    repeated: "option {value} is chosen twice",
    too_many_people: "at most {max} people can be chosen; untick someone first",
    not_on_roster: "`{value}` is not on the list of people",
    self_chosen: "you cannot choose yourself",
    person_repeated: "{value} is chosen twice",
    blank_name: "a name is blank; write it or leave the field empty",
    people: PeopleWords {
        search: "Find a person by name or unit",
        search_button: "Find",
        show_all: "Show everyone",
        chosen: "Chosen ({n})",
        none_chosen: "No one chosen yet.",
        no_match: "No one matches “{query}”.",
        too_many_listed: "Too many people to list: type a name, or part of one, and press Find.",
        matches: "{n} people match “{query}”",
        at_most: "Choose up to {max} people.",
        name_field: "Name {n}",
        others: "Others",
        keys_filter: "type to find · ↑↓ move · Enter choose · Space tick · PgDn next · PgUp back · Ctrl-C pause",
        keys_names: "name + Enter · Backspace on empty: remove last · PgDn next · PgUp back · Ctrl-C pause",
        filter: "Find: {query}",
    },
};

pub const GERMAN: Strings = Strings {
    code: "de",
    name: "Deutsch",
    page_of: "Seite {page} von {pages}",
    summary: "Übersicht",
    start: "Beginnen",
    next: "Weiter",
    review_answers: "Antworten prüfen",
    back: "Zurück",
    agree: "Ich stimme zu",
    decline: "Ich stimme nicht zu",
    language: "Sprache",
    before_submit: "Bevor Sie absenden",
    submit: "Meine Antworten absenden",
    review_line: "Seite {page}: {answered} von {total} beantwortet",
    not_answered_list: "nicht beantwortet: {list}",
    closing: "Vielen Dank! Ihre Antworten wurden gespeichert.",
    declined: "Sie haben die Teilnahme abgelehnt. Nur Ihre Entscheidung wurde gespeichert. Vielen Dank für Ihre Zeit.",
    screened_out: "Vielen Dank für Ihre Zeit. Nach Ihren Antworten haben wir keine weiteren Fragen an Sie.",
    no_answer: "(keine Antwort)",
    number_between: "Geben Sie eine Zahl von {min} bis {max} ein",
    number_at_least: "Geben Sie eine Zahl ab {min} ein",
    number_up_to: "Geben Sie eine Zahl bis {max} ein",
    number_any: "Geben Sie eine Zahl ein",
    in_unit: ", in {unit}",
    text_answer: "Ihre Antwort",
    at_most_characters: " (höchstens {max} Zeichen)",
    required_one: "Ihre Antworten auf dieser Seite sind gespeichert. Bitte beantworten Sie Frage {list} (Pflichtfrage), bevor Sie weitergehen.",
    required_many: "Ihre Antworten auf dieser Seite sind gespeichert. Bitte beantworten Sie die Fragen {list} (Pflichtfragen), bevor Sie weitergehen.",
    required_label: "(Pflichtfrage)",
    refused: "Einige Antworten wurden nicht angenommen; auf dieser Seite wurde nichts gespeichert. Bitte korrigieren Sie sie.",
    refused_nothing_saved: "Einige Antworten wurden nicht angenommen; auf dieser Seite wurde nichts gespeichert.",
    constraint_held: "Ihre Antworten auf dieser Seite sind gespeichert. Bitte prüfen Sie die markierten Antworten, bevor Sie weitergehen.",
    resume_note: "Ihre Antworten werden mit jeder Seite gespeichert. Um später fortzufahren, auf diesem oder einem anderen Gerät, bewahren Sie diesen Link auf:",
    open_note: "Ihre Antworten werden mit jeder Seite gespeichert, und jede Seite zeigt einen Link, um später fortzufahren. Drücken Sie auf Beginnen, wenn Sie bereit sind.",
    link_note: "Dies ist Ihr persönlicher Link: Er öffnet eine Sitzung der Umfrage. Ihre Antworten werden mit jeder Seite gespeichert, und jede Seite zeigt einen Link, um später fortzufahren. Drücken Sie auf Beginnen, wenn Sie bereit sind.",
    required_mark: "* Pflichtfrage",
    press_y: "Drücken Sie J, um zuzustimmen und zu beginnen, oder N, um abzulehnen.",
    yes_key: 'j',
    next_page_button: "[ Nächste Seite → ]",
    review_button: "[ Prüfen und absenden → ]",
    press_enter_submit: "Drücken Sie Enter, um Ihre Antworten abzusenden, oder Bild↑ (PgUp), um zurückzugehen und sie zu ändern.",
    press_enter_close: "Drücken Sie Enter, um zu schließen.",
    press_enter_next: "Drücken Sie Enter für die nächste Person.",
    saved_one: "{n} Antwort gespeichert · Antworten werden gespeichert, sobald Sie sie geben",
    saved_many: "{n} Antworten gespeichert · Antworten werden gespeichert, sobald Sie sie geben",
    session: "Sitzung",
    answer_is: "Antwort: {answer}",
    range_between: "({min} bis {max})",
    range_at_least: "({min} oder mehr)",
    range_up_to: "(bis {max})",
    characters_of: "{n} von {max} Zeichen",
    not_answered: "nicht beantwortet",
    first_page: "Dies ist die erste Seite.",
    required_terminal_one: "Bitte beantworten Sie Frage {list} (mit * markiert), bevor Sie weitergehen.",
    required_terminal_many: "Bitte beantworten Sie die Fragen {list} (mit * markiert), bevor Sie weitergehen.",
    review_required: "Einige Pflichtfragen sind nicht beantwortet; gehen Sie mit PgUp zurück.",
    press_number: "drücken Sie eine Zahl von 1 bis {n}",
    keys_choose_digits: "1-{n} antworten · ←→ Enter wählen · ↑↓ Frage · PgDn weiter · PgUp zurück · Ctrl-C Pause",
    keys_choose: "←→ Enter wählen · ↑↓ Frage · PgDn weiter · PgUp zurück · Ctrl-C Pause",
    keys_tick_digits: "1-{n} ankreuzen · Enter fertig · ↑↓ Frage · PgDn weiter · PgUp zurück · Ctrl-C Pause",
    keys_tick: "←→ Leertaste ankreuzen · Enter fertig · ↑↓ Frage · PgDn weiter · PgUp zurück · Ctrl-C Pause",
    keys_type: "tippen, dann Enter · ↑↓ Frage · PgDn weiter · PgUp zurück · Ctrl-C Pause",
    keys_button: "Enter nächste Seite · ↑↓ Frage · PgUp zurück · Ctrl-C Pause",
    off_scale: "`{value}` ist keine der Antworten; wählen Sie eine von {allowed}",
    not_a_number: "`{value}` ist keine Zahl; geben Sie eine Zahl wie 12 oder 2.5 ein",
    comma: "`{value}` enthält ein Komma; geben Sie die Zahl ohne Tausendertrennzeichen und mit Punkt für Dezimalstellen ein (85000 oder 2.5)",
    not_whole: "`{value}` ist keine ganze Zahl; geben Sie eine ganze Zahl ein",
    below_min: "{value} ist kleiner als {min}; geben Sie eine Zahl ab {min}{to} ein",
    above_max: "{value} ist größer als {max}; geben Sie eine Zahl bis {max} ein",
    too_long: "die Antwort hat {length} Zeichen; höchstens {max} sind möglich",
    wrong_kind: "diese Frage verlangt eine andere Art von Antwort",
    repeated: "Option {value} ist zweimal gewählt",
    too_many_people: "höchstens {max} Personen können gewählt werden; entfernen Sie zuerst jemanden",
    not_on_roster: "`{value}` steht nicht auf der Liste",
    self_chosen: "Sie können sich nicht selbst wählen",
    person_repeated: "{value} ist zweimal gewählt",
    blank_name: "ein Name ist leer; schreiben Sie ihn oder lassen Sie das Feld leer",
    people: PeopleWords {
        search: "Person nach Name oder Einheit suchen",
        search_button: "Suchen",
        show_all: "Alle zeigen",
        chosen: "Gewählt ({n})",
        none_chosen: "Noch niemand gewählt.",
        no_match: "Niemand passt zu „{query}“.",
        too_many_listed: "Zu viele Personen für eine Liste: Tippen Sie einen Namen oder einen Teil davon und drücken Sie Suchen.",
        matches: "{n} Personen passen zu „{query}“",
        at_most: "Wählen Sie bis zu {max} Personen.",
        name_field: "Name {n}",
        others: "Weitere",
        keys_filter: "tippen zum Suchen · ↑↓ bewegen · Enter wählen · Leertaste ankreuzen · PgDn weiter · PgUp zurück · Strg-C Pause",
        keys_names: "Name + Enter · Rücktaste leer: letzten entfernen · PgDn weiter · PgUp zurück · Strg-C Pause",
        filter: "Suche: {query}",
    },
};

pub const SPANISH: Strings = Strings {
    code: "es",
    name: "Español",
    page_of: "Página {page} de {pages}",
    summary: "Resumen",
    start: "Comenzar",
    next: "Siguiente",
    review_answers: "Revisar respuestas",
    back: "Atrás",
    agree: "Acepto",
    decline: "No acepto",
    language: "Idioma",
    before_submit: "Antes de enviar",
    submit: "Enviar mis respuestas",
    review_line: "Página {page}: {answered} de {total} respondidas",
    not_answered_list: "sin responder: {list}",
    closing: "¡Gracias! Sus respuestas se han guardado.",
    declined: "Ha decidido no participar. Solo se registró su decisión. Gracias por su tiempo.",
    screened_out: "Gracias por su tiempo. Según sus respuestas, no tenemos más preguntas para usted.",
    no_answer: "(sin respuesta)",
    number_between: "Escriba un número de {min} a {max}",
    number_at_least: "Escriba un número de al menos {min}",
    number_up_to: "Escriba un número de hasta {max}",
    number_any: "Escriba un número",
    in_unit: ", en {unit}",
    text_answer: "Su respuesta",
    at_most_characters: " (como máximo {max} caracteres)",
    required_one: "Sus respuestas de esta página están guardadas. Responda la pregunta {list} (obligatoria) antes de continuar.",
    required_many: "Sus respuestas de esta página están guardadas. Responda las preguntas {list} (obligatorias) antes de continuar.",
    required_label: "(obligatoria)",
    refused: "Algunas respuestas no se aceptaron; no se guardó nada de esta página. Corríjalas, por favor.",
    refused_nothing_saved: "Algunas respuestas no se aceptaron; no se guardó nada de esta página.",
    constraint_held: "Sus respuestas de esta página están guardadas. Revise las respuestas marcadas antes de continuar.",
    resume_note: "Sus respuestas se guardan con cada página. Para continuar más tarde, en este u otro dispositivo, guarde este enlace:",
    open_note: "Sus respuestas se guardan con cada página, y cada página muestra un enlace para continuar más tarde. Pulse Comenzar cuando esté listo.",
    link_note: "Este es su enlace personal: abre una sesión de la encuesta. Sus respuestas se guardan con cada página, y cada página muestra un enlace para continuar más tarde. Pulse Comenzar cuando esté listo.",
    required_mark: "* obligatoria",
    press_y: "Pulse S para aceptar y comenzar, o N para no participar.",
    yes_key: 's',
    next_page_button: "[ Página siguiente → ]",
    review_button: "[ Revisar y enviar → ]",
    press_enter_submit: "Pulse Enter para enviar sus respuestas, o Re Pág (PgUp) para volver y cambiarlas.",
    press_enter_close: "Pulse Enter para cerrar.",
    press_enter_next: "Pulse Enter para la siguiente persona.",
    saved_one: "{n} respuesta guardada · las respuestas se guardan al darlas",
    saved_many: "{n} respuestas guardadas · las respuestas se guardan al darlas",
    session: "sesión",
    answer_is: "respuesta: {answer}",
    range_between: "({min} a {max})",
    range_at_least: "({min} o más)",
    range_up_to: "(hasta {max})",
    characters_of: "{n} de {max} caracteres",
    not_answered: "sin responder",
    first_page: "Esta es la primera página.",
    required_terminal_one: "Responda la pregunta {list} (marcada con *) antes de continuar.",
    required_terminal_many: "Responda las preguntas {list} (marcadas con *) antes de continuar.",
    review_required: "Hay preguntas obligatorias sin responder; vuelva con PgUp.",
    press_number: "pulse un número del 1 al {n}",
    keys_choose_digits: "1-{n} responder · ←→ Enter elegir · ↑↓ pregunta · PgDn siguiente · PgUp atrás · Ctrl-C pausa",
    keys_choose: "←→ Enter elegir · ↑↓ pregunta · PgDn siguiente · PgUp atrás · Ctrl-C pausa",
    keys_tick_digits: "1-{n} marcar · Enter listo · ↑↓ pregunta · PgDn siguiente · PgUp atrás · Ctrl-C pausa",
    keys_tick: "←→ Espacio marcar · Enter listo · ↑↓ pregunta · PgDn siguiente · PgUp atrás · Ctrl-C pausa",
    keys_type: "escriba y pulse Enter · ↑↓ pregunta · PgDn siguiente · PgUp atrás · Ctrl-C pausa",
    keys_button: "Enter página siguiente · ↑↓ pregunta · PgUp atrás · Ctrl-C pausa",
    off_scale: "`{value}` no es una de las respuestas; elija una de {allowed}",
    not_a_number: "`{value}` no es un número; escriba un número como 12 o 2.5",
    comma: "`{value}` tiene una coma; escriba el número sin separador de miles y con punto para los decimales (85000 o 2.5)",
    not_whole: "`{value}` no es un número entero; escriba un número entero",
    below_min: "{value} es menor que {min}; escriba un número de {min}{to}",
    above_max: "{value} es mayor que {max}; escriba un número de hasta {max}",
    too_long: "la respuesta tiene {length} caracteres; se aceptan como máximo {max}",
    wrong_kind: "esta pregunta admite otro tipo de respuesta",
    repeated: "la opción {value} está elegida dos veces",
    too_many_people: "se pueden elegir como máximo {max} personas; quite primero a alguien",
    not_on_roster: "`{value}` no está en la lista de personas",
    self_chosen: "no puede elegirse a sí mismo",
    person_repeated: "{value} está elegido dos veces",
    blank_name: "un nombre está vacío; escríbalo o deje el campo vacío",
    people: PeopleWords {
        search: "Buscar a una persona por nombre o unidad",
        search_button: "Buscar",
        show_all: "Mostrar a todos",
        chosen: "Elegidos ({n})",
        none_chosen: "Todavía no ha elegido a nadie.",
        no_match: "Nadie coincide con «{query}».",
        too_many_listed: "Hay demasiadas personas para mostrarlas: escriba un nombre, o parte de él, y pulse Buscar.",
        matches: "{n} personas coinciden con «{query}»",
        at_most: "Elija hasta {max} personas.",
        name_field: "Nombre {n}",
        others: "Otros",
        keys_filter: "escriba para buscar · ↑↓ mover · Enter elegir · Espacio marcar · PgDn siguiente · PgUp atrás · Ctrl-C pausa",
        keys_names: "nombre + Enter · Retroceso vacío: quitar el último · PgDn siguiente · PgUp atrás · Ctrl-C pausa",
        filter: "Buscar: {query}",
    },
};

/// Every language kith has interface strings for.
pub const ALL: [&Strings; 3] = [&ENGLISH, &GERMAN, &SPANISH];

/// The strings for a language tag (`de`, `de-CH`, `es-MX`): by its primary subtag, English
/// when kith has none for it.
pub fn strings(language: &str) -> &'static Strings {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    ALL.iter()
        .find(|s| s.code == primary)
        .copied()
        .unwrap_or(&ENGLISH)
}

/// A template with its named blanks filled.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// A template naming question numbers, singular for one and plural for more.
fn numbered(one: &str, many: &str, numbers: &[usize]) -> String {
    let list: Vec<String> = numbers.iter().map(usize::to_string).collect();
    let template = if numbers.len() == 1 { one } else { many };
    fill(template, &[("list", &list.join(", "))])
}

impl Strings {
    /// Why an answer was refused, in this language.
    pub fn problem(&self, problem: &AnswerProblem) -> String {
        match problem {
            AnswerProblem::OffScale { value, allowed } => {
                fill(self.off_scale, &[("value", value), ("allowed", allowed)])
            }
            AnswerProblem::NotANumber(value) => fill(self.not_a_number, &[("value", value)]),
            AnswerProblem::Comma(value) => fill(self.comma, &[("value", value)]),
            AnswerProblem::NotWhole(value) => fill(self.not_whole, &[("value", value)]),
            AnswerProblem::BelowMin { value, min, to } => {
                let to = match to.strip_prefix(" to ") {
                    Some(max) => format!(" – {max}"),
                    None => to.clone(),
                };
                fill(
                    self.below_min,
                    &[("value", value), ("min", min), ("to", &to)],
                )
            }
            AnswerProblem::AboveMax { value, max } => {
                fill(self.above_max, &[("value", value), ("max", max)])
            }
            AnswerProblem::TooLong { length, max } => fill(
                self.too_long,
                &[("length", &length.to_string()), ("max", &max.to_string())],
            ),
            AnswerProblem::WrongKind { .. } => self.wrong_kind.to_string(),
            AnswerProblem::Repeated(code) => fill(self.repeated, &[("value", &code.to_string())]),
            AnswerProblem::TooManyPeople { max } => {
                fill(self.too_many_people, &[("max", &max.to_string())])
            }
            AnswerProblem::NotOnRoster(value) => fill(self.not_on_roster, &[("value", value)]),
            AnswerProblem::SelfChosen => self.self_chosen.to_string(),
            AnswerProblem::PersonRepeated(name) => fill(self.person_repeated, &[("value", name)]),
            AnswerProblem::BlankName => self.blank_name.to_string(),
        }
    }

    /// "Please answer question(s) …" on a web page, singular or plural.
    pub fn required(&self, numbers: &[usize]) -> String {
        numbered(self.required_one, self.required_many, numbers)
    }

    /// The same in the terminal.
    pub fn required_terminal(&self, numbers: &[usize]) -> String {
        numbered(
            self.required_terminal_one,
            self.required_terminal_many,
            numbers,
        )
    }

    /// "n answers saved", singular or plural.
    pub fn saved(&self, n: usize) -> String {
        let template = if n == 1 {
            self.saved_one
        } else {
            self.saved_many
        };
        fill(template, &[("n", &n.to_string())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_fills_every_blank_of_its_templates() {
        // The blanks of each template are the same in every language, so that `fill` leaves
        // none behind.
        fn blanks(template: &str) -> Vec<String> {
            let mut out: Vec<String> = template
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
                .collect();
            out.sort();
            out
        }
        for language in [&GERMAN, &SPANISH] {
            let pairs = [
                (ENGLISH.page_of, language.page_of),
                (ENGLISH.review_line, language.review_line),
                (ENGLISH.number_between, language.number_between),
                (ENGLISH.required_many, language.required_many),
                (ENGLISH.saved_many, language.saved_many),
                (ENGLISH.keys_choose_digits, language.keys_choose_digits),
                (ENGLISH.below_min, language.below_min),
                (ENGLISH.off_scale, language.off_scale),
                (ENGLISH.too_long, language.too_long),
                (ENGLISH.answer_is, language.answer_is),
            ];
            for (english, other) in pairs {
                assert_eq!(
                    blanks(english),
                    blanks(other),
                    "{}: `{other}`",
                    language.code
                );
            }
        }
        assert_eq!(strings("de-CH").code, "de");
        assert_eq!(strings("fr").code, "en");
        assert_eq!(
            GERMAN.problem(&AnswerProblem::AboveMax {
                value: "80".into(),
                max: "70".into()
            }),
            "80 ist größer als 70; geben Sie eine Zahl bis 70 ein"
        );
    }
}
