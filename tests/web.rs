//! The web front-end: `kith serve` as participants and attackers meet it — the real binary on loopback,
//! driven by HTTP clients (a full session, hostile requests that must leave the store
//! unchanged, 200 concurrent participants, kill -9 in the middle of that load) and by headless
//! Chromium through chromedriver at a phone and a desktop size.

mod browser;
mod common;
mod web_hardening;

use browser::{Driver, chromedriver};
use common::{assert_no_panic, kith, root, scratch};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A submitted form's fields, in order.
type Fields = Vec<(String, String)>;
/// What one simulated participant reports: its acknowledged answers and its request latencies.
type Outcome = (BTreeMap<String, String>, Vec<Duration>);

/// A random admin token, as `openssl rand -hex 16` gives (kith refuses guessable ones).
const ADMIN: &str = "9f3c1a7e5b2d8f406c1ea93bd7f25ec8";
const PILOT: &str = "tests/data/runner/pilot.survey.yaml";
const FORTY: &str = "tests/data/runner/forty.survey.yaml";
const HOSTILE: &str = "tests/data/runner/hostile.survey.yaml";
const SURVEY: &str = "instruments/networking-careers.survey.yaml";

fn path_text(path: &Path) -> &str {
    path.to_str().expect("UTF-8 paths")
}

/// A running `kith serve`.
struct Server {
    child: Child,
    base: String,
    port: u16,
    log: PathBuf,
}

impl Server {
    /// Starts `kith serve` on `port` (0: any free port) and waits until it listens.
    // The child is waited for by `Server`'s Drop (and on the timeout path), which the lint
    // cannot see through the returned struct.
    fn start(survey: &str, store: &Path, port: u16, extra: &[&str]) -> Server {
        Server::start_limited(survey, store, port, extra, None)
    }

    /// `start`, with the open-file limit of the server's process set to `files` (through the
    /// shell's `ulimit`, which then `exec`s kith: the process keeps its id).
    #[allow(clippy::zombie_processes)]
    fn start_limited(
        survey: &str,
        store: &Path,
        port: u16,
        extra: &[&str],
        files: Option<u64>,
    ) -> Server {
        let log = store.with_extension(format!("serve-{}.log", rand_suffix()));
        let file = std::fs::File::create(&log).expect("a log file");
        let addr = format!("127.0.0.1:{port}");
        let binary = path_text(common::kith_binary()).to_string();
        let mut args = vec![
            "serve",
            survey,
            "--store",
            path_text(store),
            "--addr",
            &addr,
        ];
        args.extend_from_slice(extra);
        let mut command = match files {
            Some(files) => {
                let mut command = Command::new("sh");
                command
                    .arg("-c")
                    .arg(format!("ulimit -n {files} && exec \"$0\" \"$@\""))
                    .arg(&binary);
                command
            }
            None => Command::new(&binary),
        };
        let mut child = command
            .args(&args)
            .current_dir(root())
            .env("KITH_ADMIN_TOKEN", ADMIN)
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()
            .expect("kith serve starts");
        let start = Instant::now();
        loop {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if let Some(rest) = text.split(" on http://").nth(1) {
                let address = rest.lines().next().unwrap_or_default().trim().to_string();
                let port = address
                    .rsplit(':')
                    .next()
                    .and_then(|p| p.parse().ok())
                    .expect("a port");
                return Server {
                    child,
                    base: format!("http://{address}"),
                    port,
                    log,
                };
            }
            if start.elapsed() > Duration::from_secs(30) {
                let _ = child.kill();
                let _ = child.wait();
                panic!("kith serve did not start: {text}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn signal(&mut self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    /// SIGKILL: nothing is flushed or closed.
    fn kill9(&mut self) {
        self.signal("-9");
        let _ = self.child.wait();
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The log once it contains `needle`, or as it is after five seconds: the server writes
    /// its start-up lines while it already answers, so a loaded machine can read them half
    /// written.
    fn log_with(&self, needle: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            let log = self.log();
            if log.contains(needle) || std::time::Instant::now() > deadline {
                return log;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// What an HTTP request returned.
#[derive(Debug)]
struct Reply {
    status: u16,
    body: String,
    location: Option<String>,
    headers: reqwest::header::HeaderMap,
}

/// A participant's browser, as far as the server can tell: a cookie jar of the session cookie
/// and the landing page's start cookie.
struct Browser {
    client: reqwest::Client,
    base: String,
    cookie: Option<String>,
    start_cookie: Option<String>,
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a client")
}

impl Browser {
    fn new(base: &str) -> Browser {
        Browser {
            client: client(),
            base: base.to_string(),
            cookie: None,
            start_cookie: None,
        }
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Result<Reply, reqwest::Error> {
        let jar: Vec<String> = [&self.cookie, &self.start_cookie]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        let request = if jar.is_empty() {
            request
        } else {
            request.header("Cookie", jar.join("; "))
        };
        let response = request.send().await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        for set in headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
        {
            let kept = (!set.ends_with('=')).then(|| set.to_string());
            if set.starts_with("kith_session=") {
                self.cookie = kept;
            } else if set.starts_with("kith_start=") {
                self.start_cookie = kept;
            }
        }
        let location = headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = response.text().await?;
        Ok(Reply {
            status,
            body,
            location,
            headers,
        })
    }

    async fn get(&mut self, path: &str) -> Result<Reply, reqwest::Error> {
        let request = self.client.get(format!("{}{}", self.base, path));
        self.send(request).await
    }

    /// Presses *Start* on a landing page: posts its form, as a browser would.
    async fn press_start(&mut self, landing: &Reply) -> Result<Reply, reqwest::Error> {
        let action = landing
            .body
            .split("<form method=\"post\" action=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the landing page has a form")
            .replace("&amp;", "&");
        let body = form_body(&fields(&[
            ("_csrf", &csrf(&landing.body)),
            ("_action", "start"),
        ]));
        let request = self
            .client
            .post(format!("{}{}", self.base, action))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(request).await
    }

    /// Opens a link as a participant does: the landing page, *Start*, then the first page
    /// (or, for a browser that has a session, the page the link shows).
    async fn begin(&mut self, path: &str) -> Result<Reply, reqwest::Error> {
        let landing = self.get(path).await?;
        if landing.status != 200 || !is_landing(&landing.body) {
            return Ok(landing);
        }
        let started = self.press_start(&landing).await?;
        if started.status != 303 {
            return Ok(started);
        }
        self.get("/take").await
    }

    async fn post(&mut self, fields: &[(String, String)]) -> Result<Reply, reqwest::Error> {
        let body: String = form_body(fields);
        let request = self
            .client
            .post(format!("{}/take", self.base))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(request).await
    }
}

/// Whether a page is a link's landing page (a *Start* button and nothing else).
fn is_landing(body: &str) -> bool {
    body.contains("name=\"_action\" value=\"start\"")
}

fn form_body(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn csrf(body: &str) -> String {
    body.split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page has a CSRF field")
        .to_string()
}

/// The question ids of a page's form (`a.ID` fields), in order, without repeats.
fn questions(body: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for part in body.split("name=\"a.").skip(1) {
        let id = part.split('"').next().unwrap_or_default().to_string();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn read_csv(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("a header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a row");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

async fn admin_export(base: &str, query: &str) -> String {
    let reply = client()
        .get(format!("{base}/admin/export{query}"))
        .header("Authorization", format!("Bearer {ADMIN}"))
        .send()
        .await
        .expect("the export downloads");
    assert_eq!(reply.status().as_u16(), 200);
    reply.text().await.expect("text")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

/// Answers the page shown with random codes from 1 to 5 (numbers and text for the pilot's
/// other questions) and returns the fields and the answers by question.
fn answer_page(body: &str, rng: &mut u64) -> (Vec<(String, String)>, BTreeMap<String, String>) {
    let mut fields = vec![("_csrf".to_string(), csrf(body))];
    let mut answers = BTreeMap::new();
    for id in questions(body) {
        *rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let value = match id.as_str() {
            "age" => format!("{}", 20 + (*rng >> 33) % 50),
            "word" => "fine".to_string(),
            "tools" => "2".to_string(),
            "team_kind" => "9".to_string(),
            _ => format!("{}", 1 + (*rng >> 33) % 5),
        };
        fields.push((format!("a.{id}"), value.clone()));
        answers.insert(id, value);
    }
    fields.push(("_action".to_string(), "next".to_string()));
    (fields, answers)
}

#[test]
fn a_participant_completes_the_survey_and_the_export_scores() {
    let dir = scratch("web-flow");
    let store = dir.join("web.sqlite");
    let server = Server::start(
        PILOT,
        &store,
        0,
        &["--redirect", "https://panel.example/done?pid={participant}"],
    );
    let base = server.base.clone();
    runtime().block_on(async {
        let mut browser = Browser::new(&base);
        let landing = browser
            .get("/start?participant=P%2042&src=panel&bad%20name=x")
            .await
            .expect("start");
        assert_eq!(landing.status, 200);
        assert!(is_landing(&landing.body), "{}", landing.body);
        assert!(
            browser.cookie.is_none(),
            "opening the link starts no session"
        );
        let csp = landing.headers["content-security-policy"]
            .to_str()
            .expect("text");
        assert!(
            csp.starts_with("default-src 'none'")
                && csp.contains("form-action 'self' https://panel.example"),
            "{csp}"
        );
        // Pressing Start starts the session: its cookie, and on to the first page.
        let started = browser.press_start(&landing).await.expect("started");
        assert_eq!(
            (started.status, started.location.as_deref()),
            (303, Some("/take"))
        );
        let cookie = started
            .headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("kith_session="))
            .expect("the session cookie")
            .to_string();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
        let page = browser.get("/take").await.expect("the consent page");
        assert_eq!(page.status, 200);
        let token = cookie
            .trim_start_matches("kith_session=")
            .split(';')
            .next()
            .unwrap_or_default();
        assert_eq!(token.len(), 32, "a 128-bit token");
        assert!(page.body.contains("<html lang=\"en\">"));
        let reply = browser
            .post(&fields(&[
                ("_csrf", &csrf(&page.body)),
                ("_action", "agree"),
            ]))
            .await
            .expect("consent");
        assert_eq!(
            (reply.status, reply.location.as_deref()),
            (303, Some("/take"))
        );
        let page = browser.get("/take").await.expect("page 1");
        assert!(page.body.contains("Page 1 of 2"));
        assert!(
            page.body.contains("<fieldset") && page.body.contains("<legend>1. I like networking.")
        );
        assert!(
            page.body.contains(&format!("/resume/{token}")),
            "the resume link is on the page"
        );
        // Required questions hold the page but the answers given are saved.
        let reply = browser
            .post(&fields(&[
                ("_csrf", &csrf(&page.body)),
                ("a.word", "hello"),
                ("_action", "next"),
            ]))
            .await
            .expect("post");
        assert_eq!(reply.status, 422);
        assert!(
            reply
                .body
                .contains("Please answer questions 1, 2 (required)"),
            "{}",
            reply.body
        );
        assert!(reply.body.contains(">hello</textarea>"));
        let reply = browser
            .post(&fields(&[
                ("_csrf", &csrf(&page.body)),
                ("a.likes_networking", "4"),
                ("a.age", "42"),
                ("a.word", "<script>"),
                ("_action", "next"),
            ]))
            .await
            .expect("post");
        assert_eq!(reply.status, 303);
        let page = browser.get("/take").await.expect("page 2");
        assert!(page.body.contains("Page 2 of 2"));
        let reply = browser
            .post(&fields(&[
                ("_csrf", &csrf(&page.body)),
                ("a.tools", "1"),
                ("a.tools", "3"),
                ("a.team_kind", "2"),
                ("_action", "back"),
            ]))
            .await
            .expect("post");
        assert_eq!(reply.status, 303);
        let page = browser.get("/take").await.expect("page 1 again");
        assert!(page.body.contains("Page 1 of 2"));
        // The script typed as an answer comes back escaped.
        assert!(page.body.contains(">&lt;script&gt;</textarea>"));
        assert!(!page.body.contains("<script>"));
        // A browser sends the checked answers again with the page; a field left out is a
        // question left unanswered.
        let again: [&[(&str, &str)]; 2] = [
            &[
                ("a.likes_networking", "4"),
                ("a.age", "42"),
                ("a.word", "<script>"),
            ],
            &[("a.tools", "1"), ("a.tools", "3"), ("a.team_kind", "2")],
        ];
        for answers in again {
            let page = browser.get("/take").await.expect("page");
            let mut form = fields(&[("_csrf", &csrf(&page.body))]);
            form.extend(fields(answers));
            form.extend(fields(&[("_action", "next")]));
            let reply = browser.post(&form).await.expect("post");
            assert_eq!(reply.status, 303, "{}", reply.body);
        }
        let page = browser.get("/take").await.expect("summary");
        assert!(page.body.contains("Before you submit"), "{}", page.body);
        let reply = browser
            .post(&fields(&[
                ("_csrf", &csrf(&page.body)),
                ("_action", "submit"),
            ]))
            .await
            .expect("submit");
        assert_eq!(reply.status, 303);
        let done = browser.get("/take").await.expect("done");
        assert_eq!(done.status, 303);
        assert_eq!(
            done.location.as_deref(),
            Some("https://panel.example/done?pid=P+42")
        );

        // The open link keeps one session per browser; the resume link opens it elsewhere.
        let again = browser.get("/start").await.expect("the open link again");
        assert_eq!(
            again.status, 303,
            "a finished session goes to its completion address"
        );
        let mut phone = Browser::new(&base);
        let resumed = phone
            .get(&format!("/resume/{token}"))
            .await
            .expect("resume");
        assert_eq!(
            resumed.status, 303,
            "the same finished session, on another device"
        );

        // The status page and the export need the admin token.
        let anonymous = client()
            .get(server.url("/admin"))
            .send()
            .await
            .expect("admin");
        assert_eq!(anonymous.status().as_u16(), 401);
        // Signing in through the form: its CSRF cookie and field, then an HttpOnly cookie.
        let login_cookie = anonymous.headers()["set-cookie"]
            .to_str()
            .expect("text")
            .to_string();
        assert!(login_cookie.contains("HttpOnly") && login_cookie.contains("SameSite=Strict"));
        let login_cookie = login_cookie
            .split(';')
            .next()
            .unwrap_or_default()
            .to_string();
        let login_page = anonymous.text().await.expect("the sign-in page");
        let signed_in = client()
            .post(server.url("/admin/login"))
            .header("Cookie", &login_cookie)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form_body(&fields(&[
                ("_csrf", &csrf(&login_page)),
                ("token", ADMIN),
            ])))
            .send()
            .await
            .expect("sign in");
        assert_eq!(signed_in.status().as_u16(), 303);
        let admin_cookie = signed_in.headers()["set-cookie"]
            .to_str()
            .expect("text")
            .to_string();
        assert!(admin_cookie.contains("HttpOnly") && admin_cookie.contains("SameSite=Strict"));
        let page = client()
            .get(server.url("/admin"))
            .header("Cookie", admin_cookie.split(';').next().unwrap_or_default())
            .send()
            .await
            .expect("admin");
        assert_eq!(page.status().as_u16(), 200);
        assert!(
            page.text()
                .await
                .expect("text")
                .contains("<td id=\"started\">1</td>")
        );
        let status = client()
            .get(server.url("/admin"))
            .header("Authorization", format!("Bearer {ADMIN}"))
            .send()
            .await
            .expect("admin")
            .text()
            .await
            .expect("text");
        assert!(status.contains("<td id=\"completed\">1</td>"), "{status}");
        let csv = admin_export(&base, "").await;
        let rows = read_csv(&csv);
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!(row["participant_id"], "P 42");
        assert_eq!(row["src"], "panel");
        assert!(!row.contains_key("bad name"));
        assert_eq!(row["likes_networking"], "4");
        assert_eq!(row["word"], "<script>");
        assert_eq!(
            (
                row["tools_1"].as_str(),
                row["tools_2"].as_str(),
                row["tools_3"].as_str()
            ),
            ("1", "0", "1")
        );
        std::fs::write(dir.join("export.csv"), &csv).expect("written");
    });
    let scored = kith(
        &["score", PILOT, path_text(&dir.join("export.csv"))],
        &root(),
    );
    assert_eq!(scored.code, 0, "{}", scored.stderr);
}

/// A summary of the store that any change would alter: every session and answer.
fn store_state(store: &Path) -> String {
    let run = kith(
        &[
            "export",
            "--store",
            path_text(store),
            "--include-partial",
            "--layout",
            "long",
        ],
        &root(),
    );
    let sessions = kith(
        &["export", "--store", path_text(store), "--include-partial"],
        &root(),
    );
    // The session rows without their moving `duration_s`.
    format!("{}\n{}", run.stdout, sessions.stdout.lines().count())
}

#[test]
fn hostile_requests_are_refused_and_leave_the_store_unchanged() {
    let dir = scratch("web-hostile");
    let store = dir.join("web.sqlite");
    let server = Server::start(HOSTILE, &store, 0, &[]);
    let base = server.base.clone();
    runtime().block_on(async {
        // Texts from the YAML that try to inject markup are escaped everywhere.
        let mut browser = Browser::new(&base);
        let landing = browser.get("/start").await.expect("the landing page");
        assert!(!landing.body.contains("<script>") && !landing.body.contains("<img"), "{}", landing.body);
        assert!(landing.body.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"));
        let page = browser.begin("/start").await.expect("start");
        assert!(!page.body.contains("<script>") && !page.body.contains("<img"), "{}", page.body);
        assert!(page.body.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"));
        let reply = browser
            .post(&fields(&[("_csrf", &csrf(&page.body)), ("_action", "agree")]))
            .await
            .expect("consent");
        assert_eq!(reply.status, 303);
        let page = browser.get("/take").await.expect("page");
        for needle in ["<script>", "<b>one</b>", "onmouseover=\"", "</textarea><script>", "</h2><script>"] {
            assert!(!page.body.contains(needle), "`{needle}` reached the page: {}", page.body);
        }
        let token = csrf(&page.body);
        let mut other = Browser::new(&base);
        let other_page = other.begin("/start").await.expect("another participant");
        let other_csrf = csrf(&other_page.body);

        let before = store_state(&store);
        let big = "x".repeat(100 * 1024);
        let cases: Vec<(&str, Fields, u16)> = vec![
            ("an answer off the scale", fields(&[("_csrf", &token), ("a.item_a", "9"), ("_action", "next")]), 422),
            ("a text answer over its limit", fields(&[("_csrf", &token), ("a.remark", &"y".repeat(201)), ("_action", "next")]), 422),
            ("a number where a code belongs", fields(&[("_csrf", &token), ("a.item_a", "2.5"), ("_action", "next")]), 422),
            ("a duplicated answer", fields(&[("_csrf", &token), ("a.item_a", "1"), ("a.item_a", "2"), ("_action", "next")]), 400),
            ("an unknown question", fields(&[("_csrf", &token), ("a.nothere", "1"), ("_action", "next")]), 400),
            ("a field outside the form", fields(&[("_csrf", &token), ("admin", "1"), ("_action", "next")]), 400),
            ("no CSRF field", fields(&[("a.item_a", "1"), ("_action", "next")]), 403),
            ("a forged CSRF field", fields(&[("_csrf", "00000000000000000000000000000000"), ("a.item_a", "1"), ("_action", "next")]), 403),
            ("another session's CSRF field", fields(&[("_csrf", &other_csrf), ("a.item_a", "1"), ("_action", "next")]), 403),
            ("two CSRF fields", fields(&[("_csrf", &token), ("_csrf", &token), ("a.item_a", "1"), ("_action", "next")]), 403),
            ("no button", fields(&[("_csrf", &token), ("a.item_a", "1")]), 400),
            ("two buttons", fields(&[("_csrf", &token), ("_action", "next"), ("_action", "back")]), 400),
            ("an oversized body", fields(&[("_csrf", &token), ("a.remark", &big), ("_action", "next")]), 413),
        ];
        for (case, form, expected) in cases {
            let reply = browser.post(&form).await.expect("a reply");
            assert_eq!(reply.status, expected, "{case}: {}", reply.body);
            assert!(reply.headers["content-type"].to_str().unwrap_or_default().starts_with("text/html"), "{case}");
            assert!(!reply.body.contains("<script>"), "{case}");
            assert_eq!(store_state(&store), before, "{case}: the store changed");
        }
        // Forged, replayed and malformed session cookies open nothing.
        for cookie in [
            "kith_session=0123456789abcdef0123456789abcdef",
            "kith_session=../../etc/passwd",
            "kith_session=",
            "kith_session=0123456789abcdef0123456789abcdef; kith_session=zz",
        ] {
            let reply = client()
                .post(server.url("/take"))
                .header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(form_body(&fields(&[("_csrf", &token), ("a.item_a", "1"), ("_action", "next")])))
                .send()
                .await
                .expect("a reply");
            assert_eq!(reply.status().as_u16(), 403, "{cookie}");
            let reply = client().get(server.url("/take")).header("Cookie", cookie).send().await.expect("a reply");
            assert_eq!(reply.status().as_u16(), 403, "{cookie}");
        }
        // Another participant's cookie with this page's CSRF field: refused.
        let mut thief = Browser::new(&base);
        thief.cookie = other.cookie.clone();
        let reply = thief.post(&fields(&[("_csrf", &token), ("a.item_a", "1"), ("_action", "next")])).await.expect("a reply");
        assert_eq!(reply.status, 403);
        // A JSON body instead of a form.
        let reply = client()
            .post(server.url("/take"))
            .header("Cookie", browser.cookie.clone().unwrap_or_default())
            .header("Content-Type", "application/json")
            .body("{\"_action\":\"next\"}")
            .send()
            .await
            .expect("a reply");
        assert_eq!(reply.status().as_u16(), 415);
        // Wrong methods, and paths that try to reach files.
        for (method, path, expected) in [
            ("PUT", "/take", 405),
            ("DELETE", "/take", 405),
            ("PUT", "/start", 405),
            ("DELETE", "/l/0123456789abcdef0123456789abcdef", 405),
            ("POST", "/admin/export", 405),
            ("GET", "/admin/login", 405),
            ("GET", "/../Cargo.toml", 404),
            ("GET", "/style.css/../../Cargo.toml", 404),
            ("GET", "/static/", 404),
            ("GET", "/l/not-a-token", 404),
            ("GET", "/l/0123456789abcdef0123456789abcdef", 404),
            ("GET", "/resume/0123456789abcdef0123456789abcdef", 404),
            ("GET", "/admin/export", 401),
        ] {
            let reply = client()
                .request(method.parse().expect("a method"), server.url(path))
                .header("Cookie", browser.cookie.clone().unwrap_or_default())
                .send()
                .await
                .expect("a reply");
            assert_eq!(reply.status().as_u16(), expected, "{method} {path}");
            assert!(reply.headers().contains_key("content-security-policy"), "{method} {path}");
        }
        // A wrong admin token, in the header or through the login form.
        let reply = client()
            .get(server.url("/admin/export"))
            .header("Authorization", "Bearer admin-token-for-the-web-test")
            .send()
            .await
            .expect("a reply");
        assert_eq!(reply.status().as_u16(), 401);
        let reply = client()
            .post(server.url("/admin/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(format!("token={ADMIN}"))
            .send()
            .await
            .expect("a reply");
        assert_eq!(reply.status().as_u16(), 403, "a login without its CSRF cookie is refused");
        assert_eq!(store_state(&store), before, "the store is unchanged");
        // The valid answer still goes through afterwards.
        let payload = "<script>alert(document.cookie)</script><img src=x onerror=alert(1)>";
        let reply = browser.post(&fields(&[("_csrf", &token), ("a.item_a", "5"), ("a.remark", payload), ("_action", "save")])).await.expect("a reply");
        assert_eq!(reply.status, 303);
        assert_ne!(store_state(&store), before);
        let page = browser.get("/take").await.expect("the page again");
        assert!(page.body.contains("&lt;script&gt;alert(document.cookie)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</textarea>"), "{}", page.body);
        assert!(!page.body.contains("<script>") && !page.body.contains("<img"));
    });
}

#[test]
fn single_use_links_open_one_session_each() {
    let dir = scratch("web-links");
    let store = dir.join("web.sqlite");
    let server = Server::start(PILOT, &store, 0, &["--links-only"]);
    let run = kith(
        &[
            "links",
            "create",
            "--store",
            path_text(&store),
            "--survey",
            "pilot",
            "--n",
            "3",
            "--base-url",
            &server.base,
        ],
        &root(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let links: Vec<String> = run.stdout.lines().map(str::to_string).collect();
    assert_eq!(links.len(), 3);
    assert!(links.iter().all(|l| l.len() == server.base.len() + 3 + 32));
    let base = server.base.clone();
    runtime().block_on(async {
        let open = client()
            .get(server.url("/start"))
            .send()
            .await
            .expect("reply");
        assert_eq!(
            open.status().as_u16(),
            404,
            "no open link with --links-only"
        );
        let path = links[0].trim_start_matches(&base).to_string();
        let mut first = Browser::new(&base);
        let page = first.begin(&path).await.expect("the link opens");
        assert_eq!(page.status, 200);
        assert!(page.body.contains("I agree"));
        // The same browser may come back through the link; another may not.
        assert_eq!(first.get(&path).await.expect("again").status, 200);
        let mut second = Browser::new(&base);
        let reply = second.get(&path).await.expect("reply");
        assert_eq!(reply.status, 410);
        assert!(reply.body.contains("already been used"));
        let other = links[1].trim_start_matches(&base).to_string();
        assert_eq!(second.begin(&other).await.expect("reply").status, 200);
    });
    let run = kith(
        &["export", "--store", path_text(&store), "--include-partial"],
        &root(),
    );
    assert_eq!(
        read_csv(&run.stdout).len(),
        2,
        "two links used, two sessions"
    );
    drop(server);
}

/// One simulated participant of the load test: completes the survey, recording the answers of
/// every page the server acknowledged (303) and each request's latency. After a connection
/// error (the server was killed) it waits, reloads its page and goes on.
async fn participant(
    base: String,
    number: usize,
    acknowledged_pages: Arc<AtomicUsize>,
    think: Duration,
) -> Outcome {
    let mut browser = Browser::new(&base);
    let mut rng = number as u64 * 7919 + 1;
    let mut acknowledged = BTreeMap::new();
    let mut latencies = Vec::new();
    let start = Instant::now();
    let mut page = loop {
        match browser
            .begin(&format!("/start?participant=L{number}"))
            .await
        {
            Ok(reply) if reply.status == 200 => break reply.body,
            _ => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    };
    loop {
        assert!(
            start.elapsed() < Duration::from_secs(240),
            "participant {number} is stuck"
        );
        let (form, answers) = if page.contains("Before you submit") {
            (
                fields(&[("_csrf", &csrf(&page)), ("_action", "submit")]),
                None,
            )
        } else if page.contains("name=\"a.") {
            let (form, answers) = answer_page(&page, &mut rng);
            (form, Some(answers))
        } else {
            // The closing page.
            break;
        };
        if !think.is_zero() {
            // Participants read before they answer: a pause of 0.5 to 1.5 times `think`.
            let factor = 0.5 + ((rng >> 33) % 1000) as f64 / 1000.0;
            tokio::time::sleep(think.mul_f64(factor)).await;
        }
        let sent = Instant::now();
        // A failed request (the server was killed) acknowledged nothing: reload and go on.
        if let Ok(reply) = browser.post(&form).await
            && reply.status == 303
        {
            latencies.push(sent.elapsed());
            if let Some(answers) = answers {
                acknowledged.extend(answers);
                acknowledged_pages.fetch_add(1, Ordering::SeqCst);
            }
        }
        page = reload(&mut browser).await;
    }
    (acknowledged, latencies)
}

/// GET /take until the server answers (it may be restarting).
async fn reload(browser: &mut Browser) -> String {
    let start = Instant::now();
    loop {
        if let Ok(reply) = browser.get("/take").await
            && reply.status == 200
        {
            return reply.body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the server did not come back"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn percentile(sorted: &[Duration], share: f64) -> f64 {
    let index = ((sorted.len() as f64 * share).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index].as_secs_f64() * 1000.0
}

/// Runs `n` participants at once against `server`; with `kill_after`, kills the server with
/// SIGKILL once that many pages were acknowledged and starts it again on the same port.
fn load(
    survey: &str,
    store: &Path,
    n: usize,
    kill_after: Option<usize>,
) -> (Vec<Outcome>, Option<Server>, Duration) {
    let mut server = Server::start(survey, store, 0, &[]);
    let base = server.base.clone();
    let port = server.port;
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let runtime = runtime();
    // bench/web.sh sets a reading pause per page; the tests run without one (the hardest case).
    let think = Duration::from_millis(
        std::env::var("KITH_LOAD_THINK_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
    );
    let spawned = Instant::now();
    let tasks: Vec<_> = (0..n)
        .map(|number| {
            runtime.spawn(participant(
                base.clone(),
                number,
                acknowledged.clone(),
                think,
            ))
        })
        .collect();
    let mut restarted = None;
    if let Some(after) = kill_after {
        let start = Instant::now();
        while acknowledged.load(Ordering::SeqCst) < after {
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "the load did not get going"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        server.kill9();
        std::thread::sleep(Duration::from_millis(300));
        restarted = Some(Server::start(survey, store, port, &[]));
    }
    let results = runtime.block_on(async {
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.expect("a participant finishes"));
        }
        results
    });
    (results, restarted.or(Some(server)), spawned.elapsed())
}

fn check_export(base: &str, results: &[Outcome], every_page_acknowledged: bool) {
    let csv = runtime().block_on(admin_export(base, ""));
    let rows = read_csv(&csv);
    assert_eq!(
        rows.len(),
        results.len(),
        "every session is complete and exported"
    );
    let by_participant: BTreeMap<&str, &BTreeMap<String, String>> = rows
        .iter()
        .map(|r| (r["participant_id"].as_str(), r))
        .collect();
    for (number, (acknowledged, _)) in results.iter().enumerate() {
        let row = by_participant[format!("L{number}").as_str()];
        // Under a kill, a page can be committed and its reply lost: saved, not acknowledged.
        if every_page_acknowledged {
            assert_eq!(
                acknowledged.len(),
                40,
                "participant {number} answered all forty"
            );
        }
        assert_eq!(row["status"], "complete");
        for (item, value) in acknowledged {
            assert_eq!(&row[item], value, "participant {number}, {item}");
        }
    }
}

/// `kith export --screen` adds the indices `kith screen` computes from the plain export, the
/// same numbers for every session; back-to-back pages are flagged as too fast.
fn export_with_screening_matches_kith_screen(store: &Path, dir: &Path) {
    let plain = dir.join("plain.csv");
    let screened = dir.join("screened.csv");
    for (file, extra) in [(&plain, None), (&screened, Some(FORTY))] {
        let mut args = vec!["export", "--store", path_text(store), "-o", path_text(file)];
        if let Some(survey) = extra {
            args.extend(["--screen", survey]);
        }
        let run = kith(&args, &root());
        assert_no_panic(&run);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let run = kith(&["screen", FORTY, path_text(&plain)], &root());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected: BTreeMap<String, BTreeMap<String, String>> = read_csv(&run.stdout)
        .into_iter()
        .map(|row| (row["respondent_id"].clone(), row))
        .collect();
    let rows = read_csv(&std::fs::read_to_string(&screened).expect("the export"));
    assert_eq!(rows.len(), expected.len());
    let mut fast = 0;
    for row in &rows {
        let want = &expected[&row["respondent_id"]];
        for column in [
            "longstring_max",
            "irv",
            "mahalanobis",
            "even_odd",
            "seconds_per_item",
        ] {
            let (a, b) = (&row[column], &want[column]);
            let same = a == b
                || a.parse::<f64>()
                    .ok()
                    .zip(b.parse::<f64>().ok())
                    .is_some_and(|(a, b)| (a - b).abs() <= 1e-12 * b.abs().max(1.0));
            assert!(
                same,
                "{column} of {}: {a} against {b}",
                row["respondent_id"]
            );
        }
        assert_eq!(row["flags"], want["flags"]);
        fast += usize::from(row["flags"].contains("seconds_per_item < 2"));
        // Four pages of ten, each timed, each under two seconds per question.
        assert_eq!(row["page_questions"], "10|10|10|10");
        let seconds: Vec<f64> = row["page_seconds"]
            .split('|')
            .map(|s| s.parse().expect("a page time"))
            .collect();
        assert!(
            seconds.iter().all(|s| (0.0..20.0).contains(s)),
            "{seconds:?}"
        );
        assert_eq!(row["fast_pages"], "4");
        assert_eq!(want["fast_pages"], "4");
    }
    assert_eq!(
        fast,
        rows.len(),
        "pages posted back to back are too fast to read"
    );
    // The long layout has no row per session to add indices to.
    let run = kith(
        &[
            "export",
            "--store",
            path_text(store),
            "--layout",
            "long",
            "--screen",
            FORTY,
        ],
        &root(),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("hint: export the wide layout"),
        "{}",
        run.stderr
    );
}

#[test]
fn two_hundred_concurrent_participants_complete_a_forty_item_survey() {
    let dir = scratch("web-load");
    let store = dir.join("load.sqlite");
    // bench/web.sh may ask for more participants, to measure a sustained rate.
    let participants = std::env::var("KITH_LOAD_PARTICIPANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let started = Instant::now();
    let (results, server, loaded) = load(FORTY, &store, participants, None);
    let elapsed = started.elapsed();
    let server = server.expect("the server");
    check_export(&server.base, &results, true);
    export_with_screening_matches_kith_screen(&store, &dir);
    let mut posts: Vec<Duration> = results
        .iter()
        .flat_map(|(_, l)| l.iter().copied())
        .collect();
    posts.sort();
    // The figures for BENCHMARKS.md (bench/web.sh runs this test in release mode); the test
    // itself asserts correctness, never time.
    let summary = serde_json::json!({
        "think_ms": std::env::var("KITH_LOAD_THINK_MS").unwrap_or_else(|_| "0".to_string()),
        "participants": results.len(),
        "pages_submitted": posts.len(),
        "wall_s": elapsed.as_secs_f64(),
        "load_s": loaded.as_secs_f64(),
        // Page POSTs acknowledged (each committed with fsync first) per second of the load.
        "durable_pages_per_s": posts.len() as f64 / loaded.as_secs_f64(),
        "post_p50_ms": percentile(&posts, 0.50),
        "post_p99_ms": percentile(&posts, 0.99),
        "post_max_ms": percentile(&posts, 1.0),
    });
    std::fs::write(
        dir.join("latency.json"),
        serde_json::to_string_pretty(&summary).expect("json"),
    )
    .expect("written");
    assert_eq!(
        posts.len(),
        participants * 5,
        "four pages and the submission each"
    );
}

#[test]
fn kill_9_under_load_loses_no_acknowledged_page() {
    let dir = scratch("web-crash");
    let store = dir.join("crash.sqlite");
    let (results, server, _) = load(FORTY, &store, 200, Some(300));
    let server = server.expect("the restarted server");
    check_export(&server.base, &results, false);
    let acknowledged: usize = results.iter().map(|(a, _)| a.len()).sum();
    assert!(
        acknowledged > 200 * 30,
        "most pages were acknowledged: {acknowledged}"
    );
    assert!(server.log().contains("on http://"), "the second server ran");
}

#[test]
fn sigterm_drains_and_the_store_is_consistent() {
    let dir = scratch("web-sigterm");
    let store = dir.join("term.sqlite");
    let mut server = Server::start(PILOT, &store, 0, &[]);
    let base = server.base.clone();
    runtime().block_on(async {
        let mut browser = Browser::new(&base);
        let page = browser.begin("/start").await.expect("start");
        let reply = browser
            .post(&fields(&[
                ("_csrf", &csrf(&page.body)),
                ("_action", "agree"),
            ]))
            .await
            .expect("consent");
        assert_eq!(reply.status, 303);
    });
    server.signal("-TERM");
    let status = server.child.wait().expect("it exits");
    assert!(status.success(), "SIGTERM is a clean stop: {status:?}");
    assert!(
        server
            .log()
            .contains("stopped; every acknowledged page is in"),
        "{}",
        server.log()
    );
    let run = kith(
        &["export", "--store", path_text(&store), "--include-partial"],
        &root(),
    );
    let rows = read_csv(&run.stdout);
    assert_eq!((rows.len(), rows[0]["consent"].as_str()), (1, "1"));
}

/// Completes the bundled survey in headless Chromium at `width` × `height`, by keyboard and
/// clicks as a participant would, and saves screenshots of its first page.
async fn complete_in_chromium(
    driver: &Driver,
    base: &str,
    (width, height): (u32, u32),
    name: &str,
    keyboard: bool,
    screen_out: bool,
    language: &str,
) -> String {
    use fantoccini::Locator;
    let browser = browser::session(driver, (width, height)).await;
    browser
        .goto(&format!("{base}/start?participant={name}&lang={language}"))
        .await
        .expect("opened");
    // The link's landing page: Start begins the session (a POST, as a link preview never
    // sends).
    let landing = browser.source().await.expect("the landing page");
    browser
        .find(Locator::Css("button[value=start]"))
        .await
        .expect("the Start button")
        .click()
        .await
        .expect("clicked");
    let mut source = next_page(&browser, &landing).await;
    assert!(
        source.contains(&format!("<html lang=\"{language}\">")),
        "the session is in {language}: {source}"
    );
    assert!(source.contains("value=\"agree\""), "{source}");
    browser
        .find(Locator::Css("button[value=agree]"))
        .await
        .expect("consent")
        .click()
        .await
        .expect("clicked");
    let mut pages = 0;
    let mut shot = None;
    // A page a network question's step has already waited for.
    let mut arrived: Option<String> = None;
    loop {
        source = match arrived.take() {
            Some(page) => page,
            None => next_page(&browser, &source).await,
        };
        // A page without a form ends the session: the screen-out's message here.
        if !source.contains("<form") {
            assert!(
                screen_out,
                "only the participant who said No is screened out"
            );
            break;
        }
        // The follow-up shows only after one or more job offers, and pipes their number.
        if source.contains("id=\"q-offer_sources\"") {
            let piped = match language {
                "de" => "Sie haben in den letzten 12 Monaten 2 Stellenangebot(e) erhalten.",
                "es" => "Ha recibido 2 oferta(s) de trabajo",
                _ => "You received 2 job offer(s)",
            };
            assert!(source.contains(piped), "{source}");
        }
        if source.contains("value=\"submit\"") {
            browser
                .find(Locator::Css("button[value=submit]"))
                .await
                .expect("submit")
                .click()
                .await
                .expect("clicked");
            source = next_page(&browser, &source).await;
            break;
        }
        pages += 1;
        assert!(pages < 40, "the survey ends");
        if shot.is_none() {
            shot = Some(browser.screenshot().await.expect("a screenshot"));
        }
        if keyboard && source.contains("<fieldset class=\"people\"") {
            arrived = Some(choose_by_keyboard(&browser, &source).await);
            continue;
        }
        if !keyboard && source.contains("<fieldset class=\"people\"") {
            // A finger opens the first unit and taps the first person in it.
            browser
                .find(Locator::Css("details.unit-group summary"))
                .await
                .expect("a unit")
                .click()
                .await
                .expect("opened");
            browser
                .find(Locator::Css("details.unit-group[open] label"))
                .await
                .expect("a person")
                .click()
                .await
                .expect("ticked");
            browser
                .find(Locator::Css("button[value=next]"))
                .await
                .expect("next")
                .click()
                .await
                .expect("clicked");
            // Opening a unit changed this page's source too: wait for the page after it.
            arrived = Some(page_without(&browser, "id=\"find-").await);
            continue;
        }
        if keyboard {
            // Keyboard only: Tab into each question, arrow keys choose (the fourth option of a
            // five-point scale), numbers are typed, Tab reaches "Next" and Enter submits.
            const RIGHT: &str = "\u{e014}";
            const ENTER: &str = "\u{e007}";
            let fieldsets = browser
                .find_all(Locator::Css("fieldset"))
                .await
                .expect("questions");
            for fieldset in fieldsets {
                let is_radio = fieldset
                    .find(Locator::Css("input[type=radio]"))
                    .await
                    .is_ok();
                let boxes = fieldset
                    .find_all(Locator::Css("input[type=checkbox]"))
                    .await
                    .expect("checkboxes")
                    .len();
                let focused = press_tab(&browser).await;
                if boxes > 0 {
                    // Each box is a stop of its own: Space ticks the first, Tab passes the rest.
                    focused.send_keys(" ").await.expect("ticked");
                    for _ in 1..boxes {
                        press_tab(&browser).await;
                    }
                } else if is_radio {
                    // The fourth option of five; "Yes" of two (the arrows wrap around).
                    let options = fieldset
                        .find_all(Locator::Css("input[type=radio]"))
                        .await
                        .expect("radios")
                        .len();
                    let presses = if options >= 4 { 3 } else { 2 };
                    focused
                        .send_keys(&RIGHT.repeat(presses))
                        .await
                        .expect("arrows");
                } else {
                    let id = focused.attr("id").await.expect("an id").unwrap_or_default();
                    focused.send_keys(typed_value(&id)).await.expect("typed");
                }
                // The focused control shows a visible outline.
                let outline = browser
                    .execute(
                        "return getComputedStyle(document.activeElement).outlineStyle",
                        vec![],
                    )
                    .await
                    .expect("a style");
                assert_eq!(outline, serde_json::json!("solid"), "focus is visible");
            }
            let focused = press_tab(&browser).await;
            assert_eq!(
                focused.attr("value").await.expect("a value").as_deref(),
                Some("next")
            );
            focused.send_keys(ENTER).await.expect("enter");
            continue;
        }
        // Taps: the fourth option's label of each radio group (the first, when it has fewer),
        // as a finger on a phone would; numbers are typed.
        for fieldset in browser
            .find_all(Locator::Css("fieldset"))
            .await
            .expect("questions")
        {
            let labels = fieldset
                .find_all(Locator::Css("label"))
                .await
                .expect("labels");
            let radios = fieldset
                .find_all(Locator::Css("input[type=radio]"))
                .await
                .expect("radios");
            if !radios.is_empty() {
                // "No" to the screening question when this participant is to be screened out.
                let screening = radios.len() == 2 && source.contains("id=\"q-employed\"");
                let choice = match radios.len() {
                    n if n >= 4 => 3,
                    _ if screening && screen_out => 1,
                    _ => 0,
                };
                labels[choice].click().await.expect("chosen");
                continue;
            }
            if let Ok(input) = fieldset.find(Locator::Css("input[type=text]")).await {
                let id = input.attr("id").await.expect("an id").unwrap_or_default();
                input.send_keys(typed_value(&id)).await.expect("typed");
            }
        }
        browser
            .find(Locator::Css("button[value=next]"))
            .await
            .expect("next")
            .click()
            .await
            .expect("clicked");
    }
    if screen_out {
        let message = match language {
            "de" => "Diese Studie richtet sich an Personen",
            "es" => "Este estudio está dirigido a personas",
            _ => "This study is about people who work for an",
        };
        assert!(
            source.contains(message),
            "the screening question's own message: {source}"
        );
        browser.close().await.expect("closed");
        return name.to_string();
    }
    let closing = match language {
        "de" => "Ihre Antworten wurden gespeichert",
        "es" => "Sus respuestas se han guardado",
        _ => "Your answers have been saved",
    };
    assert!(source.contains(closing), "{source}");
    let shot = shot.expect("a screenshot");
    let out = root()
        .join("target")
        .join("kith-test-output")
        .join("web-chromium");
    std::fs::create_dir_all(&out).expect("a folder");
    std::fs::write(out.join(format!("{name}.png")), &shot).expect("written");
    // No script errors, no blocked requests: Chromium logs CSP violations to the console.
    let logs = browser
        .execute("return document.querySelectorAll('script').length", vec![])
        .await
        .expect("a script check");
    assert_eq!(logs, serde_json::json!(0), "the pages have no script");
    browser.close().await.expect("closed");
    name.to_string()
}

/// A network question by keyboard: Tab to the search field, type a name and press Enter (the
/// page's first button is Find); on the page of matches, Tab to the first person, Space ticks
/// them, Tab reaches "Next" and Enter submits.
async fn choose_by_keyboard(browser: &fantoccini::Client, source: &str) -> String {
    const ENTER: &str = "\u{e007}";
    if !source.contains("role=\"status\"") {
        let field = press_tab(browser).await;
        assert_eq!(
            field.attr("type").await.expect("a type").as_deref(),
            Some("search"),
            "the search field comes first"
        );
        field
            .send_keys(&format!("Ada{ENTER}"))
            .await
            .expect("typed");
        // The same question comes back with the people who match.
        return wait_for_page(browser, "the search", |page| {
            page.contains("role=\"status\"")
        })
        .await;
    }
    let mut focused = press_tab(browser).await;
    for _ in 0..5 {
        if focused.attr("type").await.expect("a type").as_deref() == Some("checkbox") {
            break;
        }
        focused = press_tab(browser).await;
    }
    assert_eq!(
        focused.attr("value").await.expect("a value").as_deref(),
        Some("S0001"),
        "the first match is Ada Abara"
    );
    focused.send_keys(" ").await.expect("ticked");
    for _ in 0..5 {
        focused = press_tab(browser).await;
        if focused.attr("value").await.expect("a value").as_deref() == Some("next") {
            break;
        }
    }
    focused.send_keys(ENTER).await.expect("enter");
    page_without(browser, "id=\"find-").await
}

/// Waits for a page without `marker` (the browser has left the page that had it).
async fn page_without(browser: &fantoccini::Client, marker: &str) -> String {
    wait_for_page(browser, "the page after", |page| !page.contains(marker)).await
}

/// Presses Tab in the browser and returns the element that has the focus then.
async fn press_tab(browser: &fantoccini::Client) -> fantoccini::elements::Element {
    const TAB: &str = "\u{e004}";
    browser
        .active_element()
        .await
        .expect("focus")
        .send_keys(TAB)
        .await
        .expect("tab");
    browser.active_element().await.expect("focus")
}

/// What the Chromium participant types into a numeric question.
fn typed_value(input_id: &str) -> &'static str {
    match input_id {
        "in-age" => "37",
        "in-tenure_years" => "4.5",
        "in-salary" => "72000",
        _ => "2",
    }
}

/// Waits until the browser shows a page other than `previous` (a form was submitted).
async fn next_page(browser: &fantoccini::Client, previous: &str) -> String {
    wait_for_page(browser, "the next page", |page| page != previous).await
}

/// Waits until the browser shows a whole page for which `test` holds; fails after 20 s.
async fn wait_for_page(
    browser: &fantoccini::Client,
    what: &str,
    test: impl Fn(&str) -> bool,
) -> String {
    let start = Instant::now();
    loop {
        if let Ok(source) = browser.source().await
            && source.contains("</main>")
            && test(&source)
        {
            return source;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{what} did not come"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[test]
fn chromium_completes_the_survey_at_phone_and_desktop_sizes() {
    let dir = scratch("web-chromium-store");
    let store = dir.join("web.sqlite");
    let server = Server::start(SURVEY, &store, 0, &[]);
    let driver = chromedriver();
    let base = server.base.clone();
    runtime().block_on(async {
        // English on a phone, German at a desk (keyboard only), a screen-out in Spanish.
        complete_in_chromium(&driver, &base, (390, 844), "phone", false, false, "en").await;
        complete_in_chromium(&driver, &base, (1280, 900), "desktop", true, false, "de").await;
        complete_in_chromium(&driver, &base, (390, 844), "screened", false, true, "es").await;
    });
    // The screened-out session is exported only with the partial ones, as such.
    let everything = read_csv(&runtime().block_on(admin_export(&base, "?partial=1")));
    let screened = everything
        .iter()
        .find(|r| r["participant_id"] == "screened")
        .expect("the screened-out session");
    assert_eq!(screened["status"], "screened_out");
    assert_eq!(screened["language"], "es");
    assert_eq!(screened["screened_out_by"], "employed");
    assert_eq!(screened["employed"], "0");
    assert!(screened["not_shown"].split('|').any(|id| id == "help_1"));
    let csv = runtime().block_on(admin_export(&base, ""));
    let rows = read_csv(&csv);
    assert_eq!(rows.len(), 2);
    let languages: Vec<&str> = rows.iter().map(|r| r["language"].as_str()).collect();
    assert_eq!(languages, ["en", "de"]);
    for row in &rows {
        assert_eq!(row["age"], "37");
        assert_eq!(row["job_offers"], "2");
        assert_eq!(row["not_shown"], "", "the follow-up was shown");
        assert_eq!(
            row["attn_motives"], "4",
            "the attention check was answered with Agree"
        );
    }
    // Both chose Ada Abara in each network question (by taps in a unit, by a search and the
    // keyboard) and answered the follow-up about her with its fourth option.
    let edges_file = dir.join("edges.csv");
    let exported = kith(
        &[
            "export",
            "--store",
            path_text(&store),
            "--layout",
            "edges",
            "-o",
            path_text(&edges_file),
        ],
        &root(),
    );
    assert_eq!(exported.code, 0, "{}", exported.stderr);
    let edges = read_csv(&std::fs::read_to_string(&edges_file).expect("the edge list"));
    let ties: Vec<(&str, &str, &str, &str, &str)> = edges
        .iter()
        .map(|r| {
            (
                r["participant_id"].as_str(),
                r["relation"].as_str(),
                r["alter"].as_str(),
                r["advice_often"].as_str(),
                r["closeness"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        ties,
        [
            ("phone", "advice", "S0001", "4", ""),
            ("phone", "friendship", "S0001", "", "4"),
            ("desktop", "advice", "S0001", "4", ""),
            ("desktop", "friendship", "S0001", "", "4"),
        ]
    );
    std::fs::write(dir.join("export.csv"), &csv).expect("written");
    let scored = kith(
        &["score", SURVEY, path_text(&dir.join("export.csv"))],
        &root(),
    );
    assert_eq!(scored.code, 0, "{}", scored.stderr);
    // Screenshots are PNGs of the size asked for.
    for (name, width) in [("phone", 390), ("desktop", 1280)] {
        let mut bytes = Vec::new();
        std::fs::File::open(
            root()
                .join("target/kith-test-output/web-chromium")
                .join(format!("{name}.png")),
        )
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .expect("the screenshot");
        let image = image::load_from_memory(&bytes).expect("a PNG");
        assert_eq!(image.width(), width, "{name}");
    }
}

const LANGUAGES: &str = "tests/data/languages/screening.survey.yaml";

/// A participant opens the link in Spanish (`?lang=es`), switches to German on the consent
/// page, takes the follow-up the condition shows with the answer piped in, and the export
/// records German. A language the survey does not offer is refused.
#[test]
fn the_web_front_end_speaks_the_participants_language() {
    let dir = scratch("web-languages");
    let store = dir.join("web.sqlite");
    let server = Server::start(LANGUAGES, &store, 0, &[]);
    let base = server.base.clone();
    runtime().block_on(async {
        let mut browser = Browser::new(&base);
        let landing = browser
            .get("/start?lang=es")
            .await
            .expect("the landing page");
        assert!(
            landing.body.contains("<html lang=\"es\">"),
            "{}",
            landing.body
        );
        assert!(landing.body.contains("Trabajo y ofertas") && landing.body.contains(">Comenzar<"));
        let started = browser.press_start(&landing).await.expect("started");
        assert_eq!(started.status, 303);
        let consent = browser.get("/take").await.expect("the consent page");
        assert!(
            consent.body.contains("¿Desea participar?"),
            "{}",
            consent.body
        );
        assert!(consent.body.contains(">Acepto<"));
        // The language choice: one button per language, the current one pressed.
        for name in ["English", "Deutsch", "Español"] {
            assert!(
                consent.body.contains(&format!(">{name}</button>")),
                "{name}"
            );
        }
        assert!(
            consent
                .body
                .contains("value=\"language:es\" lang=\"es\" aria-pressed=\"true\"")
        );
        let refused = browser
            .post(&fields(&[
                ("_csrf", &csrf(&consent.body)),
                ("_action", "language:fr"),
            ]))
            .await
            .expect("a reply");
        assert_eq!(refused.status, 400, "{}", refused.body);
        let switched = browser
            .post(&fields(&[
                ("_csrf", &csrf(&consent.body)),
                ("_action", "language:de"),
            ]))
            .await
            .expect("switched");
        assert_eq!(switched.status, 303);
        let consent = browser.get("/take").await.expect("the consent page");
        assert!(consent.body.contains("<html lang=\"de\">"));
        assert!(
            consent.body.contains("Möchten Sie teilnehmen?")
                && consent.body.contains(">Ich stimme zu<")
        );
        browser
            .post(&fields(&[
                ("_csrf", &csrf(&consent.body)),
                ("_action", "agree"),
            ]))
            .await
            .expect("agreed");
        let page = browser.get("/take").await.expect("page 1");
        assert!(page.body.contains("Seite 1 von 2"), "{}", page.body);
        // The language is chosen on the first page only: a stale switch later changes nothing.
        let stale = browser
            .post(&fields(&[
                ("_csrf", &csrf(&page.body)),
                ("_action", "language:es"),
            ]))
            .await
            .expect("a reply");
        assert_eq!(stale.status, 303);
        let page = browser.get("/take").await.expect("page 1");
        assert!(page.body.contains("<html lang=\"de\">"), "{}", page.body);
        assert!(
            page.body.contains("Arbeiten Sie für eine Organisation?")
                && page.body.contains("(Pflichtfrage)")
        );
        let csrf_value = csrf(&page.body);
        let answer = |id: &str, value: &str| {
            fields(&[
                ("_csrf", csrf_value.as_str()),
                (&format!("a.{id}"), value),
                ("_action", "next"),
            ])
        };
        browser.post(&answer("employed", "1")).await.expect("saved");
        let page = browser.get("/take").await.expect("page 2");
        assert!(
            page.body.contains("Geben Sie eine Zahl von 0 bis 50 ein"),
            "{}",
            page.body
        );
        // A refused answer is explained in German.
        let refused = browser
            .post(&answer("job_offers", "80"))
            .await
            .expect("refused");
        assert_eq!(refused.status, 422);
        assert!(
            refused.body.contains("80 ist größer als 50"),
            "{}",
            refused.body
        );
        browser
            .post(&answer("job_offers", "2"))
            .await
            .expect("saved");
        let follow_up = browser.get("/take").await.expect("the follow-up");
        assert!(
            follow_up.body.contains("Seite 3 von 3"),
            "{}",
            follow_up.body
        );
        assert!(
            follow_up
                .body
                .contains("Sie haben 2 Angebote erhalten. Haben Sie eines angenommen?")
        );
        browser.post(&answer("accepted", "1")).await.expect("saved");
        let review = browser.get("/take").await.expect("the summary");
        assert!(
            review.body.contains("Bevor Sie absenden")
                && review.body.contains("Seite 3: 1 von 1 beantwortet")
        );
        browser
            .post(&fields(&[("_csrf", &csrf_value), ("_action", "submit")]))
            .await
            .expect("submitted");
        let end = browser.get("/take").await.expect("the end");
        assert!(
            end.body.contains("Vielen Dank für Ihre Antworten!"),
            "{}",
            end.body
        );
        let rows = read_csv(&admin_export(&base, "").await);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0]["language"], "de");
        assert_eq!(rows[0]["accepted"], "1");
        assert!(
            !rows[0].contains_key("lang"),
            "`lang` is not a session parameter"
        );
    });
}

const ROSTER_SURVEY: &str = "tests/data/runner/roster/team.survey.yaml";

/// Clicks the label of the person named `name` on the page (a finger on a phone).
async fn tap_person(browser: &fantoccini::Client, name: &str) {
    use fantoccini::Locator;
    browser
        .find(Locator::XPath(&format!("//label[span[text()='{name}']]")))
        .await
        .unwrap_or_else(|_| panic!("{name} is on the page"))
        .click()
        .await
        .expect("tapped");
}

/// Clicks the button with this `value` and returns the page that follows.
async fn press(browser: &fantoccini::Client, value: &str, marker: &str) -> String {
    use fantoccini::Locator;
    let before = browser.source().await.expect("the page");
    browser
        .find(Locator::Css(&format!("button[value={value}]")))
        .await
        .unwrap_or_else(|_| panic!("a `{value}` button"))
        .click()
        .await
        .expect("clicked");
    wait_for_page(browser, marker, |page| {
        page != before && page.contains(marker)
    })
    .await
}

/// A 500-person roster on a phone without JavaScript: twelve closed departments make a short
/// page, the participant (whose id the link carries) is never offered, the server answers a
/// search, ticks survive it, the limit is explained with the ticks kept, follow-ups are asked
/// about each person chosen, and the edge list holds the ties by id.
#[test]
fn chromium_chooses_from_a_500_person_roster_on_a_phone() {
    use fantoccini::Locator;
    let dir = scratch("web-roster");
    let store = dir.join("web.sqlite");
    let server = Server::start(ROSTER_SURVEY, &store, 0, &[]);
    let driver = chromedriver();
    let base = server.base.clone();
    runtime().block_on(async {
        let browser = browser::session(&driver, (390, 844)).await;
        browser
            .goto(&format!("{base}/start?rid=P0007"))
            .await
            .expect("opened");
        press(&browser, "start", "value=\"agree\"").await;
        let source = press(&browser, "agree", "class=\"people\"").await;
        assert_eq!(source.matches("<details class=\"unit-group\"").count(), 12);
        assert_eq!(source.matches("type=\"checkbox\"").count(), 499);
        assert!(!source.contains("value=\"P0007\""), "the participant is not offered");
        let measure = |script: &'static str| {
            let browser = browser.clone();
            async move {
                browser
                    .execute(script, vec![])
                    .await
                    .expect("a measure")
                    .as_f64()
                    .expect("a number")
            }
        };
        let height = measure("return document.documentElement.scrollHeight").await;
        assert!(height < 1500.0, "closed departments keep the page short: {height}px");
        let overflow = measure(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
        )
        .await;
        assert_eq!(overflow, 0.0, "nothing is wider than the phone");
        // Every control has a label: boxes inside theirs, the search field by `for`.
        let unlabelled = measure(
            "return [...document.querySelectorAll('input:not([type=hidden])')].filter(i => !i.closest('label') && !document.querySelector('label[for=\"' + i.id + '\"]')).length",
        )
        .await;
        assert_eq!(unlabelled, 0.0);
        // Open a department and tap a person in it.
        browser
            .find(Locator::XPath("//summary[contains(., 'Design')]"))
            .await
            .expect("the Design department")
            .click()
            .await
            .expect("opened");
        tap_person(&browser, "Amara Kim").await;
        let out = root().join("target/kith-test-output/web-roster");
        std::fs::create_dir_all(&out).expect("a folder");
        let shot = browser.screenshot().await.expect("a screenshot");
        std::fs::write(out.join("roster-phone.png"), shot).expect("written");
        // A search: the server lists the matches; the tick made before it is kept, on top.
        browser
            .find(Locator::Css("input[type=search]"))
            .await
            .expect("the search field")
            .send_keys("kim")
            .await
            .expect("typed");
        let found = press(&browser, "find", "role=\"status\"").await;
        let shot = browser.screenshot().await.expect("a screenshot");
        std::fs::write(out.join("search-phone.png"), shot).expect("written");
        assert!(found.contains("24 people match “kim”"), "{found}");
        assert!(found.contains("Chosen (1)"), "{found}");
        assert!(
            found.contains("value=\"P0251\" checked"),
            "Amara Kim stays chosen"
        );
        for name in ["Mei Kim", "Zeynep Kim", "Olga Kim"] {
            tap_person(&browser, name).await;
        }
        // Four is one too many: said so, with the four ticks kept to untick one.
        let refused = press(&browser, "next", "class=\"error\"").await;
        assert!(refused.contains("at most 3 people can be chosen"), "{refused}");
        assert_eq!(refused.matches("checked=\"\"").count(), 4, "the four ticks are kept");
        tap_person(&browser, "Olga Kim").await;
        let follow_ups = press(&browser, "next", "How often do you go to").await;
        for name in ["Amara Kim", "Mei Kim", "Zeynep Kim"] {
            assert!(
                follow_ups.contains(&format!("How often do you go to {name} for advice?")),
                "{follow_ups}"
            );
        }
        // The follow-ups are required: the page says which.
        let held = press(&browser, "next", "role=\"alert\"").await;
        assert!(held.contains("questions 1, 2, 3"), "{held}");
        for fieldset in browser
            .find_all(Locator::Css("fieldset"))
            .await
            .expect("questions")
        {
            let labels = fieldset
                .find_all(Locator::Css("label"))
                .await
                .expect("labels");
            labels[3].click().await.expect("chosen");
        }
        let team = press(&browser, "next", "Who on your team helps you").await;
        assert!(!team.contains("<details"), "ten people are one list");
        tap_person(&browser, "Ana").await;
        tap_person(&browser, "Bruno").await;
        let names = press(&browser, "next", "With whom do you discuss").await;
        assert_eq!(names.matches("type=\"text\"").count(), 3, "{names}");
        for (field, name) in ["in-confidants-1", "in-confidants-2"].iter().zip(["Sam", "Lee"]) {
            browser
                .find(Locator::Id(field))
                .await
                .expect("a name field")
                .send_keys(name)
                .await
                .expect("typed");
        }
        press(&browser, "next", "For how many years have you known Sam?").await;
        for (field, years) in [
            ("in-confidants/known_years/Sam", "12"),
            ("in-confidants/known_years/Lee", "3"),
        ] {
            browser
                .find(Locator::Id(field))
                .await
                .expect("a number field")
                .send_keys(years)
                .await
                .expect("typed");
        }
        press(&browser, "next", "value=\"submit\"").await;
        press(&browser, "submit", "Your answers have been saved").await;
        browser.close().await.expect("closed");
    });
    let edges_file = dir.join("edges.csv");
    let exported = kith(
        &[
            "export",
            "--store",
            path_text(&store),
            "--layout",
            "edges",
            "-o",
            path_text(&edges_file),
        ],
        &root(),
    );
    assert_eq!(exported.code, 0, "{}", exported.stderr);
    let edges = read_csv(&std::fs::read_to_string(&edges_file).expect("the edge list"));
    let ties: Vec<[&str; 5]> = edges
        .iter()
        .map(|r| {
            [
                r["ego"].as_str(),
                r["relation"].as_str(),
                r["alter"].as_str(),
                r["often"].as_str(),
                r["known_years"].as_str(),
            ]
        })
        .collect();
    assert_eq!(
        ties,
        [
            ["P0007", "advice", "P0251", "4", ""],
            ["P0007", "advice", "P0263", "4", ""],
            ["P0007", "advice", "P0275", "4", ""],
            ["", "team_help", "T01", "", ""],
            ["", "team_help", "T02", "", ""],
            ["P0007", "confidants", "1", "", "12"],
            ["P0007", "confidants", "2", "", "3"],
        ]
    );
}

/// Forms a browser would never send to a network question: choosing oneself (the link's
/// roster id), someone not on the roster, more than the limit, a follow-up about someone not
/// chosen, a search of any length. Each is refused or bounded, and the store keeps nothing of
/// a refused one.
#[test]
fn forged_network_answers_are_refused_and_leave_the_store_unchanged() {
    let dir = scratch("web-roster-hostile");
    let store = dir.join("web.sqlite");
    let server = Server::start(ROSTER_SURVEY, &store, 0, &[]);
    let base = server.base.clone();
    runtime().block_on(async {
        // A link whose roster id is no one's starts no session.
        let mut stranger = Browser::new(&base);
        let refused = stranger.begin("/start?rid=P9999").await.expect("a reply");
        assert!(refused.body.contains("`P9999`"), "{}", refused.body);
        assert!(!refused.body.contains("class=\"people\""));

        let mut browser = Browser::new(&base);
        let page = browser.begin("/start?rid=P0007").await.expect("start");
        let reply = browser
            .post(&fields(&[
                ("_csrf", &csrf(&page.body)),
                ("_action", "agree"),
            ]))
            .await
            .expect("consent");
        assert_eq!(reply.status, 303);
        let page = browser.get("/take").await.expect("the roster question");
        let token = csrf(&page.body);
        let before = store_state(&store);
        let cases: Vec<(&str, Fields, u16, &str)> = vec![
            (
                "oneself",
                fields(&[
                    ("_csrf", &token),
                    ("a.advice", "P0007"),
                    ("_action", "next"),
                ]),
                422,
                "you cannot choose yourself",
            ),
            (
                "someone not on the roster",
                fields(&[("_csrf", &token), ("a.advice", "Z1"), ("_action", "next")]),
                422,
                "`Z1` is not on the list",
            ),
            (
                "more than the limit",
                fields(&[
                    ("_csrf", &token),
                    ("a.advice", "P0001"),
                    ("a.advice", "P0002"),
                    ("a.advice", "P0003"),
                    ("a.advice", "P0004"),
                    ("_action", "next"),
                ]),
                422,
                "at most 3 people",
            ),
            (
                "a follow-up about no one chosen",
                fields(&[
                    ("_csrf", &token),
                    ("a.advice/often/P0001", "3"),
                    ("_action", "next"),
                ]),
                400,
                "not on this page",
            ),
        ];
        for (case, form, expected, words) in cases {
            let reply = browser.post(&form).await.expect("a reply");
            assert_eq!(reply.status, expected, "{case}");
            assert!(reply.body.contains(words), "{case}: `{words}` in the page");
            assert_eq!(store_state(&store), before, "{case}: the store changed");
        }
        // A search is read up to 100 characters and answered from the roster alone.
        let long = format!("/take?find={}", "k".repeat(5000));
        let searched = browser.get(&long).await.expect("a search");
        assert!(
            searched
                .body
                .contains(&format!("No one matches “{}”.", "k".repeat(100)))
        );
        let markup = browser
            .get("/take?find=%3Cscript%3E")
            .await
            .expect("a search");
        assert!(!markup.body.contains("<script>") && markup.body.contains("&lt;script&gt;"));
    });
}
