//! `kith serve` against what the open internet sends besides participants: link scanners and
//! crawlers that fetch links first, slow and idle connections up to the open-file limit,
//! guessed admin tokens, and a store deleted or replaced underneath the running server. A
//! module of the `web` test target (it shares its server and browser helpers).

use super::{
    ADMIN, Browser, PILOT, Server, client, csrf, fields, form_body, is_landing, path_text,
    read_csv, runtime,
};
use crate::common::{kith, root, scratch};
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The sessions in a store, as `kith export --include-partial` lists them.
fn sessions(store: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let run = kith(
        &["export", "--store", path_text(store), "--include-partial"],
        &root(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    read_csv(&run.stdout)
}

fn create_links(store: &Path, base: &str, n: usize) -> Vec<String> {
    let run = kith(
        &[
            "links",
            "create",
            "--store",
            path_text(store),
            "--survey",
            "pilot",
            "--n",
            &n.to_string(),
            "--base-url",
            base,
        ],
        &root(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout.lines().map(str::to_string).collect()
}

#[test]
fn a_link_fetched_first_by_a_scanner_with_get_or_head_is_still_unused() {
    let dir = scratch("web-link-scanner");
    let store = dir.join("web.sqlite");
    let server = Server::start(PILOT, &store, 0, &["--links-only"]);
    let link = create_links(&store, &server.base, 1).remove(0);
    let path = link.trim_start_matches(&server.base).to_string();
    runtime().block_on(async {
        // A mail scanner and a chat preview fetch the link, without keeping cookies.
        for _ in 0..3 {
            let reply = client().get(&link).send().await.expect("a reply");
            assert_eq!(reply.status().as_u16(), 200);
            assert!(is_landing(&reply.text().await.expect("text")));
            let reply = client().head(&link).send().await.expect("a reply");
            assert_eq!(reply.status().as_u16(), 200);
        }
        // A POST that does not come from the landing page (no start cookie) starts nothing.
        let reply = client()
            .post(&link)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form_body(&fields(&[
                ("_csrf", "0123456789abcdef0123456789abcdef"),
                ("_action", "start"),
            ])))
            .send()
            .await
            .expect("a reply");
        assert_eq!(reply.status().as_u16(), 403);
        assert!(sessions(&store).is_empty(), "no session was started");
        // The participant opens the link after them and gets the survey.
        let mut participant = Browser::new(&server.base);
        let page = participant.begin(&path).await.expect("the link opens");
        assert_eq!(page.status, 200);
        assert!(page.body.contains("I agree"), "{}", page.body);
        // Now the link is used: the scanner, coming back, is told so.
        let reply = client().get(&link).send().await.expect("a reply");
        assert_eq!(reply.status().as_u16(), 410);
    });
    assert_eq!(sessions(&store).len(), 1);
}

#[test]
fn crawlers_opening_the_open_link_start_no_session() {
    let dir = scratch("web-crawlers");
    let store = dir.join("web.sqlite");
    let server = Server::start(PILOT, &store, 0, &[]);
    let size = |path: &Path| std::fs::metadata(path).map_or(0, |m| m.len());
    let wal = dir.join("web.sqlite-wal");
    let before = size(&store) + size(&wal);
    runtime().block_on(async {
        let client = client();
        let crawl = (0..8).map(|worker| {
            let (client, base) = (client.clone(), server.base.clone());
            tokio::spawn(async move {
                for n in 0..125 {
                    let url = format!("{base}/start?participant=bot{worker}-{n}&src=crawl");
                    let reply = if n % 5 == 0 {
                        client.head(&url).send().await
                    } else {
                        client.get(&url).send().await
                    };
                    assert_eq!(reply.expect("a reply").status().as_u16(), 200);
                }
            })
        });
        for task in crawl {
            task.await.expect("the crawler finishes");
        }
    });
    assert!(
        sessions(&store).is_empty(),
        "1,000 fetches started no session"
    );
    assert!(
        size(&store) + size(&wal) <= before + 64 * 1024,
        "the fetches wrote to the store"
    );
    // A participant's URL parameters reach the session through the Start button's form.
    runtime().block_on(async {
        let mut participant = Browser::new(&server.base);
        let page = participant
            .begin("/start?participant=P%207&src=mail")
            .await
            .expect("started");
        assert!(page.body.contains("I agree"), "{}", page.body);
    });
    let rows = sessions(&store);
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0]["participant_id"].as_str(), rows[0]["src"].as_str()),
        ("P 7", "mail")
    );
}

/// Reads from a raw connection until the server closes it or `limit` passes, sending `trickle`
/// (when given) every half second meanwhile; returns what was read and, if it closed, when.
fn until_closed(
    stream: &mut TcpStream,
    limit: Duration,
    trickle: Option<&[u8]>,
) -> (Vec<u8>, Option<Duration>) {
    let start = Instant::now();
    let mut reply = Vec::new();
    let mut buffer = [0u8; 4096];
    stream
        .set_read_timeout(Some(Duration::from_millis(500)))
        .expect("a read timeout");
    while start.elapsed() < limit {
        if let Some(bytes) = trickle
            && stream.write_all(bytes).is_err()
        {
            return (reply, Some(start.elapsed()));
        }
        match stream.read(&mut buffer) {
            Ok(0) => return (reply, Some(start.elapsed())),
            Ok(n) => reply.extend_from_slice(&buffer[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return (reply, Some(start.elapsed())),
        }
    }
    (reply, None)
}

#[test]
fn slow_and_idle_connections_are_closed_within_the_request_timeout() {
    let dir = scratch("web-slowloris");
    let store = dir.join("web.sqlite");
    let server = Server::start(PILOT, &store, 0, &["--request-timeout", "2"]);
    let port = server.port;
    // Slowloris: headers that never end, one more line every half second.
    let slow: Vec<_> = (0..50)
        .map(|_| {
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connected");
                stream
                    .write_all(b"GET /start HTTP/1.1\r\nHost: localhost\r\n")
                    .expect("sent");
                until_closed(
                    &mut stream,
                    Duration::from_secs(10),
                    Some(b"X-Slow: yes\r\n"),
                )
                .1
            })
        })
        .collect();
    for client in slow {
        let closed = client.join().expect("the client finishes");
        assert!(
            closed.is_some_and(|t| t < Duration::from_secs(5)),
            "a slow header was closed after {closed:?}, not within the 2 s timeout"
        );
    }
    // A body sent one byte at a time is cut off too, with a 408.
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connected");
    stream
        .write_all(
            b"POST /take HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n",
        )
        .expect("sent");
    let (reply, closed) = until_closed(&mut stream, Duration::from_secs(10), Some(b"a"));
    assert!(
        closed.is_some_and(|t| t < Duration::from_secs(5)),
        "a slow body was cut off after {closed:?}"
    );
    let reply = String::from_utf8_lossy(&reply);
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
    // A kept-alive connection that sends nothing after its response is closed too.
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connected");
    stream
        .write_all(b"GET /style.css HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .expect("sent");
    let (reply, closed) = until_closed(&mut stream, Duration::from_secs(8), None);
    assert!(String::from_utf8_lossy(&reply).starts_with("HTTP/1.1 200"));
    assert!(
        closed.is_some_and(|t| t >= Duration::from_millis(1500) && t < Duration::from_secs(5)),
        "the idle connection was closed after {closed:?}"
    );
    // And participants are served as before.
    runtime().block_on(async {
        let mut participant = Browser::new(&server.base);
        let page = participant.begin("/start").await.expect("served");
        assert!(page.body.contains("I agree"));
    });
}

#[test]
fn idle_connections_at_the_open_file_limit_do_not_lock_participants_out() {
    let dir = scratch("web-fd-limit");
    let store = dir.join("web.sqlite");
    // 64 open files: the server keeps its own and caps connections below the rest.
    let server = Server::start_limited(PILOT, &store, 0, &["--request-timeout", "2"], Some(64));
    let log = server.log_with("32 connections at once");
    assert!(log.contains("32 connections at once"), "{log}");
    let port = server.port;
    // A hundred idle sockets: more than the server may open files for.
    let idle: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).expect("connected"))
        .collect();
    runtime().block_on(async {
        // A participant arriving now is served once the idle ones have timed out.
        let start = Instant::now();
        let mut participant = Browser::new(&server.base);
        let page = participant.begin("/start").await.expect("served");
        assert!(page.body.contains("I agree"), "{}", page.body);
        assert!(start.elapsed() < Duration::from_secs(25));
    });
    drop(idle);
    assert!(!server.log().contains("panicked"), "{}", server.log());
}

#[test]
fn wrong_admin_tokens_are_throttled_and_logged() {
    let dir = scratch("web-admin-throttle");
    let store = dir.join("web.sqlite");
    let server = Server::start(PILOT, &store, 0, &[]);
    runtime().block_on(async {
        let mut statuses = Vec::new();
        for guess in 0..40 {
            let reply = client()
                .get(server.url("/admin/export"))
                .header("Authorization", format!("Bearer {guess:032x}"))
                .send()
                .await
                .expect("a reply");
            if reply.status().as_u16() == 429 {
                assert!(reply.headers().contains_key("retry-after"));
            }
            statuses.push(reply.status().as_u16());
        }
        assert_eq!(&statuses[..5], &[401; 5], "five wrong tokens are checked");
        assert!(
            statuses[5..].iter().all(|s| *s == 429),
            "the rest are refused unchecked: {statuses:?}"
        );
        // Through the sign-in form, the same address is refused as well, the right token too:
        // nothing is learned from an attempt that is not checked.
        assert_eq!(submit_sign_in(&server).await.status().as_u16(), 429);
    });
    let log = server.log();
    assert_eq!(
        log.matches("admin sign-in failed from 127.0.0.1").count(),
        5,
        "{log}"
    );
    assert_eq!(
        log.matches("admin sign-in refused from 127.0.0.1").count(),
        1,
        "one line for the whole flood: {log}"
    );
}

#[test]
fn a_guessable_admin_token_is_refused_at_start() {
    let dir = scratch("web-weak-token");
    let store = dir.join("web.sqlite");
    for token in [
        "aaaaaaaaaaaaaaaa",
        "passwordpassword",
        "0123456789abcdef",
        "Summer2026!",
        // Random, but only 64 bits.
        "3f9c1a7e5b2d8f40",
    ] {
        let output = Command::new(crate::common::kith_binary())
            .args(["serve", PILOT, "--store", path_text(&store)])
            .current_dir(root())
            .env("KITH_ADMIN_TOKEN", token)
            .stdin(Stdio::null())
            .output()
            .expect("kith runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{token}: {stderr}");
        assert!(
            stderr.contains("KITH_ADMIN_TOKEN is too easy to guess")
                && stderr.contains("hint: use a long random value"),
            "{token}: {stderr}"
        );
        assert!(!store.exists(), "nothing was started with `{token}`");
    }
}

/// Fetches the sign-in form and submits it with the right token, as a browser would; returns
/// the reply, whatever it is.
async fn submit_sign_in(server: &Server) -> reqwest::Response {
    let page = client()
        .get(server.url("/admin"))
        .send()
        .await
        .expect("the sign-in page");
    let login_cookie = page.headers()["set-cookie"]
        .to_str()
        .expect("text")
        .split(';')
        .next()
        .unwrap_or_default()
        .to_string();
    let body = page.text().await.expect("text");
    client()
        .post(server.url("/admin/login"))
        .header("Cookie", login_cookie)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form_body(&fields(&[
            ("_csrf", &csrf(&body)),
            ("token", ADMIN),
        ])))
        .send()
        .await
        .expect("a reply")
}

/// Signs in through the form; returns the admin cookie (`kith_admin=…`) and its full header.
async fn sign_in(server: &Server) -> (String, String) {
    let reply = submit_sign_in(server).await;
    assert_eq!(reply.status().as_u16(), 303);
    let header = reply.headers()["set-cookie"]
        .to_str()
        .expect("text")
        .to_string();
    (
        header.split(';').next().unwrap_or_default().to_string(),
        header,
    )
}

async fn admin_status(server: &Server, cookie: &str) -> (u16, String) {
    let reply = client()
        .get(server.url("/admin"))
        .header("Cookie", cookie)
        .send()
        .await
        .expect("a reply");
    let status = reply.status().as_u16();
    (status, reply.text().await.expect("text"))
}

#[test]
fn the_admin_cookie_is_an_expiring_session_that_signing_out_or_a_restart_ends() {
    let dir = scratch("web-admin-session");
    let store = dir.join("web.sqlite");
    let server = Server::start(PILOT, &store, 0, &[]);
    let cookie = runtime().block_on(async {
        let (cookie, header) = sign_in(&server).await;
        let value = cookie.trim_start_matches("kith_admin=");
        assert!(
            value.len() == 32 && !header.contains(ADMIN),
            "the cookie holds a session, not the token: {header}"
        );
        assert!(
            header.contains("Max-Age=28800") && header.contains("HttpOnly"),
            "{header}"
        );
        // The raw token as a cookie opens nothing any more.
        let (status, _) = admin_status(&server, &format!("kith_admin={ADMIN}")).await;
        assert_eq!(status, 401);
        let (status, page) = admin_status(&server, &cookie).await;
        assert_eq!(status, 200);
        assert!(page.contains("Sign out"), "{page}");
        // Signing out ends the session on the server, not only in the browser.
        let reply = client()
            .post(server.url("/admin/logout"))
            .header("Cookie", &cookie)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form_body(&fields(&[("_csrf", &csrf(&page))])))
            .send()
            .await
            .expect("signed out");
        assert_eq!(reply.status().as_u16(), 303);
        assert_eq!(admin_status(&server, &cookie).await.0, 401);
        // Bearer tokens for scripts work as before.
        let reply = client()
            .get(server.url("/admin/export"))
            .header("Authorization", format!("Bearer {ADMIN}"))
            .send()
            .await
            .expect("a reply");
        assert_eq!(reply.status().as_u16(), 200);
        sign_in(&server).await.0
    });
    drop(server);
    // A restart signs everyone out.
    let server = Server::start(PILOT, &store, 0, &[]);
    runtime().block_on(async {
        assert_eq!(admin_status(&server, &cookie).await.0, 401);
    });
}

/// A participant who has agreed and sits on the first page; returns its CSRF secret.
async fn on_first_page(participant: &mut Browser) -> String {
    let page = participant.begin("/start").await.expect("started");
    let reply = participant
        .post(&fields(&[
            ("_csrf", &csrf(&page.body)),
            ("_action", "agree"),
        ]))
        .await
        .expect("consent");
    assert_eq!(reply.status, 303);
    let page = participant.get("/take").await.expect("page 1");
    assert!(page.body.contains("Page 1 of 2"));
    csrf(&page.body)
}

fn first_page_answers(token: &str) -> Vec<(String, String)> {
    fields(&[
        ("_csrf", token),
        ("a.likes_networking", "4"),
        ("a.age", "42"),
        ("_action", "next"),
    ])
}

#[test]
fn a_store_deleted_under_the_server_is_not_acknowledged_and_is_rescued() {
    let dir = scratch("web-store-deleted");
    let store = dir.join("web.sqlite");
    let server = Server::start(PILOT, &store, 0, &[]);
    runtime().block_on(async {
        let mut participant = Browser::new(&server.base);
        let token = on_first_page(&mut participant).await;
        std::fs::remove_file(&store).expect("deleted");
        // The server notices by itself, before any page is posted.
        let start = Instant::now();
        while !server.log().contains("was deleted or replaced") {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "the deletion was not noticed: {}",
                server.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        for _ in 0..2 {
            let reply = participant
                .post(&first_page_answers(&token))
                .await
                .expect("a reply");
            assert_eq!(reply.status, 503, "{}", reply.body);
            assert!(
                reply.body.contains("nothing on this page was saved"),
                "{}",
                reply.body
            );
            assert!(reply.headers.contains_key("retry-after"));
        }
    });
    let log = server.log();
    assert_eq!(
        log.matches("was deleted or replaced").count(),
        1,
        "logged once: {log}"
    );
    // What the server held (the session and its consent) is in the rescue copy it names.
    let rescued = log
        .split("is copied to `")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .expect("the log names the rescue copy")
        .to_string();
    let rows = sessions(Path::new(&rescued));
    assert_eq!(
        (rows.len(), rows[0]["consent"].as_str()),
        (1, "1"),
        "{rows:?}"
    );
}

#[test]
fn a_store_replaced_under_the_server_is_not_acknowledged() {
    let dir = scratch("web-store-replaced");
    let store = dir.join("web.sqlite");
    let server = Server::start(PILOT, &store, 0, &[]);
    runtime().block_on(async {
        let mut participant = Browser::new(&server.base);
        let token = on_first_page(&mut participant).await;
        // An older copy put in its place (a restore by hand): another file under the same name.
        let older = dir.join("older.sqlite");
        std::fs::copy(&store, &older).expect("copied");
        std::fs::rename(&older, &store).expect("replaced");
        let reply = participant
            .post(&first_page_answers(&token))
            .await
            .expect("a reply");
        assert_eq!(reply.status, 503, "{}", reply.body);
    });
    assert!(
        server.log().contains("was deleted or replaced"),
        "{}",
        server.log()
    );
}

#[test]
fn a_backup_taken_while_participants_answer_exports_and_scores() {
    let dir = scratch("web-backup");
    let store = dir.join("web.sqlite");
    let server = Server::start(PILOT, &store, 0, &[]);
    let base = server.base.clone();
    let runtime = runtime();
    // Participants keep completing the survey while the backups are taken.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (base, stop) = (base.clone(), stop.clone());
            runtime.spawn(async move {
                let mut completed = 0;
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    let mut participant = Browser::new(&base);
                    let token = on_first_page(&mut participant).await;
                    let reply = participant
                        .post(&first_page_answers(&token))
                        .await
                        .expect("page 1");
                    assert_eq!(reply.status, 303);
                    let page = participant.get("/take").await.expect("page 2");
                    let reply = participant
                        .post(&fields(&[
                            ("_csrf", &csrf(&page.body)),
                            ("_action", "next"),
                        ]))
                        .await
                        .expect("page 2");
                    assert_eq!(reply.status, 303);
                    let page = participant.get("/take").await.expect("the summary");
                    let reply = participant
                        .post(&fields(&[
                            ("_csrf", &csrf(&page.body)),
                            ("_action", "submit"),
                        ]))
                        .await
                        .expect("submitted");
                    assert_eq!(reply.status, 303);
                    completed += 1;
                }
                completed
            })
        })
        .collect();
    let mut copies = Vec::new();
    for n in 0..5 {
        std::thread::sleep(Duration::from_millis(300));
        let copy = dir.join(format!("copy-{n}.sqlite"));
        let run = kith(
            &[
                "store",
                "backup",
                "--store",
                path_text(&store),
                "-o",
                path_text(&copy),
            ],
            &root(),
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stderr.contains("backed up"), "{}", run.stderr);
        copies.push(copy);
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let completed: usize = runtime.block_on(async {
        let mut total = 0;
        for worker in workers {
            total += worker.await.expect("a participant loop ends");
        }
        total
    });
    assert!(completed > 0);
    let last = copies.last().expect("a copy");
    // The copy alone (no -wal beside it) exports, and the export scores.
    let out = dir.join("copy.csv");
    let run = kith(
        &["export", "--store", path_text(last), "-o", path_text(&out)],
        &root(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!read_csv(&std::fs::read_to_string(&out).expect("the export")).is_empty());
    let scored = kith(&["score", PILOT, path_text(&out)], &root());
    assert_eq!(scored.code, 0, "{}", scored.stderr);
}
