//! Charts and the HTML report. SVG golden files for every chart type (compared as text;
//! `KITH_UPDATE_GOLDEN=1` rewrites them; a failure shows the first differing lines), PNGs that
//! decode at the requested size and are not blank, and report.html opened in real headless
//! Chromium at a desktop and a phone width: no console errors (the page's Content-Security-
//! Policy turns any attempted request into one), screenshots written for review.

mod browser;
mod common;

use common::{assert_no_panic, kith, root};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn output_dir(name: &str) -> PathBuf {
    let directory = root()
        .join("target")
        .join("kith-test-output")
        .join("report")
        .join(name);
    std::fs::create_dir_all(&directory).expect("output directory");
    directory
}

/// Runs `kith analyze PLAN` into the test output folder `name`; the folder, once kith has
/// written it without a problem.
fn analyze_into(plan: &str, name: &str) -> PathBuf {
    let directory = output_dir(name);
    let run = kith(
        &["analyze", plan, "-o", &directory.display().to_string()],
        &root(),
    );
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{plan}: {}", run.stderr);
    directory
}

/// The example plan's results (and the grouped plan's), made once per test run.
fn results() -> &'static (PathBuf, PathBuf) {
    static RESULTS: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    RESULTS.get_or_init(|| {
        (
            analyze_into("analysis/networking-careers.yaml", "example"),
            analyze_into("tests/data/analysis/report.yaml", "grouped"),
        )
    })
}

/// The results a chart is drawn from.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// The bundled example plan.
    Example,
    /// The grouped plan (`tests/data/analysis/report.yaml`).
    Grouped,
    /// The plan with a network (`tests/data/analysis/networks.yaml`).
    Networks,
}

/// The network plan's results, made once per test run.
fn network_results() -> &'static PathBuf {
    static RESULTS: OnceLock<PathBuf> = OnceLock::new();
    RESULTS.get_or_init(|| analyze_into("tests/data/analysis/networks.yaml", "networks"))
}

/// Every chart type, with the arguments that pick it from the results: each at a page's width,
/// two without their titles, and each again at a column's width (3.25 in, two-column journals).
fn charts() -> Vec<(String, Vec<String>, Source)> {
    let chart = |kind: &str, extra: &[&str]| {
        let mut args = vec![kind.to_string()];
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    };
    let page = vec![
        (
            "likert",
            chart("likert", &["--index", "7"]),
            Source::Example,
        ),
        (
            "distribution",
            chart("distribution", &["--variable", "career_satisfaction"]),
            Source::Example,
        ),
        (
            "distribution-by-group",
            chart("distribution", &[]),
            Source::Grouped,
        ),
        ("reliability", chart("reliability", &[]), Source::Example),
        ("correlations", chart("correlations", &[]), Source::Example),
        ("forest", chart("forest", &[]), Source::Example),
        ("ratios", chart("ratios", &[]), Source::Example),
        (
            "mediation",
            chart("mediation", &["--index", "2"]),
            Source::Example,
        ),
        ("measurement", chart("measurement", &[]), Source::Example),
        ("flow", chart("flow", &[]), Source::Example),
        ("indices", chart("indices", &[]), Source::Example),
        ("scatter", chart("scatter", &[]), Source::Example),
        ("importance", chart("importance", &[]), Source::Example),
        ("group-means", chart("group-means", &[]), Source::Example),
        ("interaction", chart("interaction", &[]), Source::Example),
        (
            "factor-interaction",
            chart("factor-interaction", &[]),
            Source::Grouped,
        ),
        (
            "johnson-neyman",
            chart("johnson-neyman", &[]),
            Source::Example,
        ),
        ("sociogram", chart("sociogram", &[]), Source::Networks),
        (
            "conditional-indirect",
            chart("conditional-indirect", &[]),
            Source::Example,
        ),
    ];
    let mut all: Vec<(String, Vec<String>, Source)> = page
        .iter()
        .map(|(name, args, source)| (name.to_string(), args.clone(), *source))
        .collect();
    // Journals put titles in the caption: two charts without them.
    all.push((
        "forest-no-title".into(),
        chart("forest", &["--no-title"]),
        Source::Example,
    ));
    all.push((
        "likert-no-title".into(),
        chart("likert", &["--index", "7", "--no-title"]),
        Source::Example,
    ));
    for (name, args, source) in page {
        let mut column = args;
        column.extend(["--width".to_string(), "column".to_string()]);
        all.push((format!("{name}-column"), column, source));
    }
    all
}

fn draw(args: &[String], source: Source, output: &Path, extra: &[&str]) {
    let (example, group) = results();
    let results = match source {
        Source::Example => example,
        Source::Grouped => group,
        Source::Networks => network_results(),
    }
    .join("results.json");
    let mut all: Vec<String> = vec!["chart".into()];
    all.extend(args.iter().cloned());
    all.extend([
        "--results".into(),
        results.display().to_string(),
        "-o".into(),
        output.display().to_string(),
    ]);
    all.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    let run = kith(&refs, &root());
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "kith {}: {}", all.join(" "), run.stderr);
}

/// The first lines where two texts differ, numbered, for a readable failure.
fn first_differences(expected: &str, found: &str) -> String {
    let mut out = String::new();
    let (a, b): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), found.lines().collect());
    let mut shown = 0;
    for line in 0..a.len().max(b.len()) {
        let (x, y) = (
            a.get(line).copied().unwrap_or(""),
            b.get(line).copied().unwrap_or(""),
        );
        if x != y {
            out.push_str(&format!("line {}:\n  - {x}\n  + {y}\n", line + 1));
            shown += 1;
            if shown == 12 {
                out.push_str("  …\n");
                break;
            }
        }
    }
    out
}

#[test]
fn every_chart_type_matches_its_golden_svg() {
    let golden = root().join("tests").join("golden");
    let update = std::env::var_os("KITH_UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for (name, args, source) in charts() {
        let output = output_dir("svg").join(format!("{name}.svg"));
        draw(&args, source, &output, &[]);
        let found = std::fs::read_to_string(&output).expect("svg");
        assert!(
            found.starts_with("<svg") && found.trim_end().ends_with("</svg>"),
            "{name}: an SVG document"
        );
        let path = golden.join(format!("{name}.svg"));
        if update {
            std::fs::create_dir_all(&golden).expect("golden folder");
            std::fs::write(&path, &found).expect("golden file");
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if expected != found {
            failures.push(format!(
                "{name}: the SVG differs from {} (KITH_UPDATE_GOLDEN=1 cargo test -p kith-tests --test report rewrites it after you have looked at the new one in {}):\n{}",
                path.display(),
                output.display(),
                first_differences(&expected, &found)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A PNG's pHYs chunk: pixels per unit (the same for x and y here) and the unit (1 = metre).
fn resolution(png: &[u8]) -> Option<(u32, u8)> {
    // After the 8-byte signature, each chunk is length (4), type (4), data, CRC (4).
    let mut at = 8;
    while at + 8 <= png.len() {
        let length = u32::from_be_bytes(png[at..at + 4].try_into().ok()?) as usize;
        let kind = &png[at + 4..at + 8];
        let data = png.get(at + 8..at + 8 + length)?;
        if kind == b"pHYs" && length == 9 {
            let x = u32::from_be_bytes(data[0..4].try_into().ok()?);
            let y = u32::from_be_bytes(data[4..8].try_into().ok()?);
            assert_eq!(x, y, "square pixels");
            return Some((x, data[8]));
        }
        at += 12 + length;
    }
    None
}

#[test]
fn pngs_decode_at_the_requested_size_and_are_not_blank() {
    for (name, args, source) in charts() {
        for dpi in [96u32, 300] {
            let output = output_dir("png").join(format!("{name}-{dpi}.png"));
            draw(&args, source, &output, &["--dpi", &dpi.to_string()]);
            let svg = output_dir("png").join(format!("{name}.svg"));
            draw(&args, source, &svg, &[]);
            let text = std::fs::read_to_string(&svg).expect("svg");
            let height: f64 = text
                .split("height=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .and_then(|h| h.parse().ok())
                .expect("the SVG's height");
            // The file records its resolution, so a 300 dpi figure is placed at its printed size.
            let bytes = std::fs::read(&output).expect("png");
            assert_eq!(
                resolution(&bytes),
                Some(((f64::from(dpi) / 0.0254).round() as u32, 1)),
                "{name} at {dpi} dpi: the pHYs chunk"
            );
            let image = image::open(&output)
                .unwrap_or_else(|e| panic!("{name}: {e}"))
                .to_rgb8();
            // The image is the printed width at `dpi`: 6.5 in for a page (1950 pixels at 300
            // dpi), 3.25 in for a column (975).
            let scale = f64::from(dpi) / 96.0;
            let inches = if args.iter().any(|a| a == "column") {
                3.25
            } else {
                6.5
            };
            assert_eq!(
                image.width(),
                (inches * f64::from(dpi)).round() as u32,
                "{name} at {dpi} dpi: width"
            );
            if dpi == 300 {
                assert_eq!(
                    image.width(),
                    if inches == 6.5 { 1950 } else { 975 },
                    "{name} at 300 dpi"
                );
            }
            assert_eq!(
                image.height(),
                (height * scale).round() as u32,
                "{name} at {dpi} dpi: height"
            );
            let pixels = image.pixels().count();
            let inked = image.pixels().filter(|p| p.0 != [255, 255, 255]).count();
            let dark = image
                .pixels()
                .filter(|p| p.0.iter().all(|&c| c < 100))
                .count();
            assert!(
                inked * 50 > pixels,
                "{name} at {dpi} dpi: less than 2% of the image is drawn"
            );
            assert!(
                dark > 0,
                "{name} at {dpi} dpi: no text or lines in dark ink"
            );
        }
    }
}

fn chromium() -> PathBuf {
    let path = PathBuf::from(
        std::env::var_os("KITH_CHROMIUM").unwrap_or_else(|| "/usr/bin/chromium".into()),
    );
    assert!(
        path.exists(),
        "the browser test needs Debian's chromium (apt-get install chromium); .ci/run installs it"
    );
    path
}

/// Opens a page in headless Chromium at a window size, takes a screenshot, and returns what
/// Chromium logged to stderr.
fn open_in_chromium(page: &Path, size: (u32, u32), screenshot: &Path) -> String {
    let profile = output_dir(&format!("chromium-profile-{}", size.0));
    let _ = std::fs::remove_dir_all(&profile);
    let output = std::process::Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            &format!("--user-data-dir={}", profile.display()),
            &format!("--window-size={},{}", size.0, size.1),
            &format!("--screenshot={}", screenshot.display()),
            &format!("file://{}", page.display()),
        ])
        .output()
        .expect("chromium runs");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stderr).to_string()
}

fn console_messages(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|line| line.contains("CONSOLE"))
        .collect()
}

#[test]
fn report_html_is_self_contained_and_renders_in_chromium_without_errors() {
    let (example, _) = results();
    let page = example.join("report.html");
    let html = std::fs::read_to_string(&page).expect("report.html");
    // Self-contained: no scripts, no links or sources outside the file (the SVG namespace is a
    // name, not a request).
    assert!(!html.contains("<script"), "no JavaScript");
    let without_namespace = html.replace("http://www.w3.org/2000/svg", "");
    assert!(
        !without_namespace.contains("http://") && !without_namespace.contains("https://"),
        "no external references"
    );
    assert!(html.contains("Content-Security-Policy") && html.contains("default-src 'none'"));
    for section in [
        "Findings",
        "Sample",
        "Data quality",
        "Reliability",
        "Descriptive statistics",
        "Correlations",
        "Regression models",
        "Mediation",
        "Relative importance",
    ] {
        assert!(
            html.contains(&format!(">{section}</h2>")),
            "the report has a `{section}` section"
        );
    }
    let figures = html.matches("<figure").count();
    assert!(figures >= 10, "figures: {figures}");
    assert!(
        html.contains(&format!("<b>Figure {figures}.</b>")),
        "figures are numbered"
    );
    for (name, size) in [("desktop", (1280, 2200)), ("phone", (390, 2200))] {
        let screenshot = output_dir("screenshots").join(format!("report-{name}.png"));
        let log = open_in_chromium(&page, size, &screenshot);
        let messages = console_messages(&log);
        assert!(
            messages.is_empty(),
            "{name}: console messages:\n{}",
            messages.join("\n")
        );
        let image = image::open(&screenshot).expect("screenshot").to_rgb8();
        assert_eq!(
            (image.width(), image.height()),
            size,
            "{name}: the screenshot's size"
        );
    }
}

/// The report prints to PDF from the browser (Chromium's print path, with the page's print CSS).
#[test]
fn report_html_prints_to_pdf() {
    let (example, _) = results();
    let page = example.join("report.html");
    let pdf = output_dir("print").join("report.pdf");
    let _ = std::fs::remove_file(&pdf);
    let profile = output_dir("chromium-profile-print");
    let output = std::process::Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-pdf-header-footer",
            &format!("--user-data-dir={}", profile.display()),
            &format!("--print-to-pdf={}", pdf.display()),
            &format!("file://{}", page.display()),
        ])
        .output()
        .expect("chromium runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let bytes = std::fs::read(&pdf).expect("the PDF");
    assert!(bytes.starts_with(b"%PDF"), "a PDF document");
    let pages = bytes
        .windows(10)
        .filter(|w| w == b"/Type /Pag" || w == b"/Type/Page")
        .count();
    assert!(
        bytes.len() > 100_000 && pages > 3,
        "a PDF of several pages with the figures ({} bytes)",
        bytes.len()
    );
    // Every column of every table survives print: each header cell of report.md's tables is
    // in the PDF's text (nothing clipped behind a printed scroll bar), and the wide
    // correlation table has a landscape page of its own.
    let text = pdf_text(&pdf);
    let report = std::fs::read_to_string(example.join("report.md")).expect("report.md");
    let headers = table_headers(&report);
    assert!(headers.len() > 80, "the report's tables: {}", headers.len());
    // A grouped header (`Model 1: b`) prints as its group over its own name.
    let missing: Vec<&String> = headers
        .iter()
        .filter(|h| h.split(": ").any(|part| !text.contains(&one_line(part))))
        .collect();
    assert!(missing.is_empty(), "not in the printed PDF: {missing:?}");
    // The last cell of every row is there too: no column is cut off at the right.
    let lines: Vec<&str> = report.lines().collect();
    let last_cells: Vec<String> = lines
        .windows(2)
        .filter(|pair| pair[0].starts_with("| ") && !pair[1].starts_with("|---"))
        .filter_map(|pair| {
            let row = pair[0].trim().trim_start_matches('|').trim_end_matches('|');
            row.split('|')
                .next_back()
                .map(|c| c.trim().replace(['*', '`'], ""))
        })
        .filter(|c| !c.is_empty())
        .collect();
    assert!(last_cells.len() > 100, "the rows: {}", last_cells.len());
    let cut: Vec<&String> = last_cells
        .iter()
        .filter(|c| !text.contains(&one_line(c)))
        .collect();
    assert!(cut.is_empty(), "last cells not in the printed PDF: {cut:?}");
    let info = std::process::Command::new("pdfinfo")
        .args(["-f", "1", "-l", "999"])
        .arg(&pdf)
        .output()
        .expect("pdfinfo runs (poppler-utils; .ci/run installs it)");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.lines()
            .any(|l| l.contains("size:") && l.contains("792 x 612")),
        "a landscape page for the wide table:\n{info}"
    );
}

/// The text of a PDF, by poppler's pdftotext (.ci/run installs poppler-utils), on one line.
fn pdf_text(pdf: &Path) -> String {
    let output = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils; .ci/run installs it)");
    assert!(output.status.success(), "pdftotext failed");
    one_line(&String::from_utf8_lossy(&output.stdout))
}

/// Text with every run of white space made one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The header cells of every table in a Markdown report, without emphasis or code marks.
fn table_headers(report: &str) -> Vec<String> {
    let lines: Vec<&str> = report.lines().collect();
    lines
        .windows(2)
        .filter(|pair| pair[0].starts_with("| ") && pair[1].starts_with("|---"))
        .flat_map(|pair| {
            pair[0]
                .trim()
                .trim_matches('|')
                .split(" | ")
                .map(|cell| cell.trim().replace(['*', '`'], ""))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// On a 390-pixel phone no narrow table (a regression's terms, a mediation's paths) scrolls
/// sideways: its rows stack into label–value lines, so a term's estimate, interval and p are
/// all in view; the page itself never scrolls sideways; the wide correlation table keeps its
/// grid in a box that scrolls.
#[test]
fn report_tables_read_on_a_phone_without_a_sideways_scroll() {
    let (example, _) = results();
    let page = format!("file://{}", example.join("report.html").display());
    let driver = browser::chromedriver();
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let measured = runtime.block_on(async {
        let browser = browser::session(&driver, (390, 844)).await;
        browser.goto(&page).await.expect("opened");
        let measured = browser
            .execute(
                r#"
                const boxes = [...document.querySelectorAll('div.table')];
                const cell = document.querySelector('table.stack td[data-label="p"]');
                return {
                    page: document.documentElement.scrollWidth,
                    window: window.innerWidth,
                    stacked: boxes.filter(b => b.classList.contains('stack')).length,
                    overflowing: boxes.filter(b => b.classList.contains('stack') && b.scrollWidth > b.clientWidth + 1).map(b => b.querySelector('tr').textContent + ' ' + b.scrollWidth + '/' + b.clientWidth),
                    wide_scrolls: boxes.filter(b => b.classList.contains('wide') && b.scrollWidth > b.clientWidth).length,
                    label: cell ? getComputedStyle(cell, '::before').content : null,
                    regression: [...document.querySelectorAll('table.stack th')].some(th => th.textContent === 'β'),
                    // The figures a phone shows: their drawing's width, and their smallest
                    // text as it is rendered, in CSS pixels.
                    figures: [...document.querySelectorAll('figure svg')]
                        .filter(svg => svg.getBoundingClientRect().width > 0)
                        .map(svg => {
                            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                            const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale);
                            return [svg.viewBox.baseVal.width, Math.min(...sizes)];
                        }),
                };
                "#,
                vec![],
            )
            .await
            .expect("the measurements");
        browser.close().await.expect("closed");
        measured
    });
    let number = |key: &str| measured[key].as_f64().unwrap_or(f64::NAN);
    assert_eq!(number("window"), 390.0, "{measured}");
    assert!(
        number("page") <= 390.0,
        "the page scrolls sideways: {measured}"
    );
    assert!(number("stacked") >= 10.0, "stacked tables: {measured}");
    assert_eq!(
        measured["overflowing"].as_array().map(Vec::len),
        Some(0),
        "stacked tables that scroll: {measured}"
    );
    assert_eq!(
        measured["regression"], true,
        "regression tables stack: {measured}"
    );
    assert_eq!(
        measured["label"], "\"p\"",
        "each value has its label: {measured}"
    );
    assert!(
        number("wide_scrolls") >= 1.0,
        "the correlation table scrolls: {measured}"
    );
    // Each figure is the column-wide drawing, its text as large as the page's small print.
    let figures = measured["figures"].as_array().expect("the figures");
    assert!(
        figures.len() >= 30,
        "the figures a phone shows: {figures:?}"
    );
    for figure in figures {
        assert_eq!(figure[0], 312.0, "a column-wide drawing: {figure}");
        let smallest = figure[1].as_f64().unwrap_or(0.0);
        assert!(
            smallest >= 11.0,
            "text of {smallest:.1} px on a phone: {figure}"
        );
    }
}

/// The console check can fail: a page that tries to load an external image is reported.
#[test]
fn the_browser_check_sees_a_blocked_request() {
    let page = output_dir("negative").join("page.html");
    std::fs::write(
        &page,
        "<!doctype html><html lang=\"en\"><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"><title>x</title></head><body><img src=\"https://example.invalid/x.png\" alt=\"x\"></body></html>",
    )
    .expect("page");
    let log = open_in_chromium(&page, (400, 300), &output_dir("negative").join("page.png"));
    assert!(
        !console_messages(&log).is_empty(),
        "Chromium reported the refused request:\n{log}"
    );
}

/// The findings of the bundled example read like a careful author wrote them: associations, not
/// effects; lists with "and"; labels in lower case mid-sentence; the ΔR² of the predictors over
/// the controls; and mediation verdicts from the indirect effect and its interval (Hayes), never
/// "part of the effect".
#[test]
fn the_findings_read_like_a_careful_author_wrote_them() {
    let (example, _) = results();
    let report = std::fs::read_to_string(example.join("report.md")).expect("report.md");
    let findings = report
        .split("## Findings")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a Findings section");
    // (The plan's own questions may say "effect"; kith's sentences do not.)
    for banned in ["went with", "carries part", "part of the effect"] {
        assert!(!findings.contains(banned), "`{banned}` in:\n{findings}");
    }
    for expected in [
        // Associations, lists with "and", labels in lower case inside the sentence.
        "helping motive (β = .19, p < .001) and enjoyment motive (β = .30, p < .001) were associated with higher career satisfaction",
        "controlling for age, gender, and tenure (years)",
        // The block the hypothesis is about.
        "over the controls, the predictors added ΔR² = .184 (F(5, 494) = 22.58, p < .001)",
        // Counts go up or down in number.
        "were associated with more raises",
        "was associated with fewer raises",
        // Hayes: the indirect effect and its interval carry the verdict.
        "the indirect effect through global job embeddedness was ab = −0.196 (95% bootstrap CI [−0.251, −0.142]",
        "so internal networking was indirectly associated with turnover intentions through global job embeddedness",
        "an interval that includes zero, so the data show no indirect effect through it",
    ] {
        assert!(findings.contains(expected), "`{expected}` in:\n{findings}");
    }
}

/// No table of the bundled report repeats a column header, and counts have thousands separators.
#[test]
fn report_tables_name_each_column_once() {
    let (example, _) = results();
    let report = std::fs::read_to_string(example.join("report.md")).expect("report.md");
    for header in report
        .lines()
        .filter(|l| l.starts_with("| ") && !l.contains("---"))
    {
        // Header rows are those followed by a separator row.
        let next = report
            .lines()
            .skip_while(|l| *l != header)
            .nth(1)
            .unwrap_or("");
        if !next.starts_with("|---") {
            continue;
        }
        let cells: Vec<&str> = header
            .trim_matches('|')
            .split(" | ")
            .map(str::trim)
            .collect();
        let mut seen = std::collections::HashSet::new();
        for cell in &cells {
            assert!(seen.insert(*cell), "`{cell}` twice in `{header}`");
        }
    }
    assert!(
        report.contains("from 5,000 resamples"),
        "thousands separators"
    );
}

/// The Method paragraph names the sample, the measures with their reliability and how the
/// analyses were run, with the numbers of results.json.
#[test]
fn the_method_paragraph_describes_sample_measures_and_analysis() {
    let (example, _) = results();
    let report = std::fs::read_to_string(example.join("report.md")).expect("report.md");
    let results: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(example.join("results.json")).expect("results.json"),
    )
    .expect("JSON");
    let method = report
        .split("## Method")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a Method section");
    let fingerprint = results["survey"]["fingerprint"]
        .as_str()
        .expect("fingerprint");
    let version = results["kith_version"].as_str().expect("version");
    for expected in [
        "*Sample.* The analyses use 539 rows of `example/responses.csv`".to_string(),
        "Of the 563 respondents read, 24 were excluded before any analysis by the exclusion rules set in the analysis plan (22 by `attention_failed >= 1` and 2 by `longstring_max >= 30`).".to_string(),
        format!("(fingerprint `{fingerprint}`)"),
        "*Measures.*".to_string(),
        format!("kith {version}"),
        "listwise deletion".to_string(),
        "HC3".to_string(),
        "percentile bootstrap intervals (5,000 resamples".to_string(),
    ] {
        assert!(method.contains(&expected), "`{expected}` in:\n{method}");
    }
    // Each scale's alpha as the reliability figure has it.
    let helping = results["figures"]["reliability"]
        .as_array()
        .expect("reliability")
        .iter()
        .find(|s| s["score"] == "helping_motive")
        .expect("helping motive");
    let alpha = format!("{:.2}", helping["alpha"].as_f64().expect("alpha"));
    assert!(
        method.contains(&format!(
            "helping motive (α = {}",
            alpha.trim_start_matches('0')
        )),
        "α of helping motive ({alpha}) in:\n{method}"
    );
}

/// The correlation table gives each variable's M, SD and alpha beside its correlations, so its
/// first row is not empty.
#[test]
fn the_correlation_table_has_means_sds_and_alphas() {
    let (example, _) = results();
    let report = std::fs::read_to_string(example.join("report.md")).expect("report.md");
    let table = report
        .split("Pearson correlations.")
        .nth(1)
        .expect("a correlation table");
    let mut rows = table.lines().filter(|l| l.starts_with('|'));
    let header = rows.next().unwrap_or_default();
    assert!(
        header.starts_with("| Variable | M | SD | α | 1 | 2 |"),
        "{header}"
    );
    let first = rows.nth(1).unwrap_or_default();
    assert!(
        first.starts_with("| 1. Helping motive | 3.48 | 0.96 | .81 |"),
        "{first}"
    );
}

/// A model with a factor says which level its dummies are compared with, in its note and in
/// results.json.
#[test]
fn models_with_a_factor_name_its_reference_level() {
    let (example, _) = results();
    let results: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(example.join("results.json")).expect("results.json"),
    )
    .expect("JSON");
    let model = &results["models"][0];
    assert_eq!(model["controls"][1], "gender");
    let reference = model["reference_levels"]["gender"]
        .as_str()
        .expect("gender's reference level");
    // The reference level has no dummy of its own; the other levels do.
    let terms: Vec<&str> = model["coefficients"]
        .as_array()
        .expect("coefficients")
        .iter()
        .filter_map(|c| c["term"].as_str())
        .collect();
    assert!(
        !terms.contains(&format!("gender={reference}").as_str()),
        "{terms:?}"
    );
    assert!(terms.iter().any(|t| t.starts_with("gender=")), "{terms:?}");
    let report = std::fs::read_to_string(example.join("report.md")).expect("report.md");
    assert!(
        report.contains(&format!(
            "Factors are dummy coded against their reference level: Gender ({reference})"
        )),
        "the note names the reference level"
    );
}

/// With a two-valued x (mtcars' am: automatic 0, manual 1) the report gives the dummy no β, and
/// the mediation its partially standardized indirect effect a·b/SD(y) in the table, its note
/// and the findings; a factor among a mediation's covariates has its reference level named.
#[test]
fn a_two_valued_x_gets_no_beta_and_a_partially_standardized_indirect_effect() {
    let directory = analyze_into("tests/data/analysis/two-valued.yaml", "two-valued");
    let report = std::fs::read_to_string(directory.join("report.md")).expect("report.md");
    let row = report
        .lines()
        .find(|l| l.starts_with("| Manual transmission |"))
        .expect("the dummy's row");
    assert!(row.ends_with("|  |"), "no β for the dummy: {row}");
    let findings = report
        .split("## Findings")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a Findings section");
    for expected in [
        "Table 1. Linear regression of Miles per gallon on Manual transmission and Weight (1000 lbs).",
        "| Indirect effect | Effect | Boot SE | 95% CI | Partially standardized effect |",
        "Partially standardized: the indirect effect in SDs of y, a·b/SD(y), since x has two values.",
        "covariates: cylinders. ",
        "Factors are dummy coded against their reference level: cylinders (four).",
    ] {
        assert!(report.contains(expected), "`{expected}` in:\n{report}");
    }
    for expected in [
        "manual transmission did not reach significance",
        "the indirect effect through weight (1000 lbs) was ab = 7.269 (95% bootstrap CI",
        "; partially standardized 1.206), so manual transmission was indirectly associated with miles per gallon through weight (1000 lbs)",
    ] {
        assert!(findings.contains(expected), "`{expected}` in:\n{findings}");
    }
    for banned in [
        "completely standardized",
        "manual transmission (β",
        "part of the effect",
    ] {
        assert!(!findings.contains(banned), "`{banned}` in:\n{findings}");
    }
}

/// The text of a pandoc JSON value: its strings, spaces and code, in order.
fn pandoc_text(value: &serde_json::Value) -> String {
    let mut out = String::new();
    fn walk(value: &serde_json::Value, out: &mut String) {
        match value {
            serde_json::Value::Array(items) => items.iter().for_each(|item| walk(item, out)),
            serde_json::Value::Object(node) => match node.get("t").and_then(|t| t.as_str()) {
                Some("Str") => out.push_str(node["c"].as_str().unwrap_or_default()),
                Some("Space" | "SoftBreak" | "LineBreak") => out.push(' '),
                Some("Code") => out.push_str(node["c"][1].as_str().unwrap_or_default()),
                _ => {
                    if let Some(content) = node.get("c") {
                        walk(content, out);
                    }
                }
            },
            _ => {}
        }
    }
    walk(value, &mut out);
    out
}

/// Every node of a pandoc JSON document with the type `kind`, in reading order.
fn pandoc_nodes<'a>(
    value: &'a serde_json::Value,
    kind: &str,
    found: &mut Vec<&'a serde_json::Value>,
) {
    match value {
        serde_json::Value::Array(items) => items.iter().for_each(|i| pandoc_nodes(i, kind, found)),
        serde_json::Value::Object(node) => {
            if node.get("t").and_then(|t| t.as_str()) == Some(kind) {
                found.push(value);
            }
            node.values().for_each(|v| pandoc_nodes(v, kind, found));
        }
        _ => {}
    }
}

/// The pipe tables of a Markdown report: each one's header cells and its number of body rows.
fn markdown_tables(markdown: &str) -> Vec<(Vec<String>, usize)> {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut tables = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        let separator = lines.get(at + 1).copied().unwrap_or("");
        if !(line.starts_with('|') && separator.starts_with("|---")) {
            continue;
        }
        let header = line
            .trim()
            .trim_matches('|')
            .split(" | ")
            .map(|cell| cell.trim().to_string())
            .collect();
        let rows = lines[at + 2..]
            .iter()
            .take_while(|l| l.starts_with('|'))
            .count();
        tables.push((header, rows));
    }
    tables
}

/// A Word table's header as its columns' names. With two header rows (a group's name spanning
/// its columns over their own names, as APA sets `Model 1: b`, `Model 1: SE`), a column is
/// named "group: name", as in report.md; a cell spanning both rows names its column alone.
fn pandoc_header(head: &serde_json::Value) -> Vec<String> {
    // A row is [attr, cells]; a cell is [attr, alignment, rows, columns, blocks].
    let row = |index: usize| -> Vec<&serde_json::Value> {
        head[index][1]
            .as_array()
            .map(|cells| cells.iter().collect())
            .unwrap_or_default()
    };
    let (first, mut second) = (row(0), row(1).into_iter());
    let mut names = Vec::new();
    for cell in first {
        let (rows, columns) = (cell[2].as_u64().unwrap_or(1), cell[3].as_u64().unwrap_or(1));
        let text = pandoc_text(&cell[4]);
        if head.as_array().map_or(1, Vec::len) < 2 || rows == 2 {
            names.push(text);
        } else {
            for _ in 0..columns {
                let under = second
                    .next()
                    .map(|c| pandoc_text(&c[4]))
                    .unwrap_or_default();
                names.push(format!("{text}: {under}"));
            }
        }
    }
    names
}

/// report.docx reads back (with pandoc, as Word's own reader is not available here) with every
/// table of report.md as a real Word table with the same header and rows, every figure as an
/// embedded 300 dpi PNG, the section headings as headings and the findings as text.
#[test]
fn report_docx_reads_back_with_every_table_and_figure() {
    let (example, _) = results();
    let media = output_dir("docx-media");
    let _ = std::fs::remove_dir_all(&media);
    let output = std::process::Command::new("pandoc")
        .args(["-f", "docx", "-t", "json", "--extract-media"])
        .arg(&media)
        .arg(example.join("report.docx"))
        .output()
        .expect("pandoc runs (apt-get install pandoc; .ci/run installs it)");
    assert!(
        output.status.success(),
        "pandoc reads report.docx: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let markdown = std::fs::read_to_string(example.join("report.md")).expect("report.md");

    // The findings are a bulleted list, as in report.md, not a numbered one.
    let (mut bullets, mut numbered) = (Vec::new(), Vec::new());
    pandoc_nodes(&document["blocks"], "BulletList", &mut bullets);
    pandoc_nodes(&document["blocks"], "OrderedList", &mut numbered);
    assert!(
        !bullets.is_empty() && numbered.is_empty(),
        "{} bulleted and {} numbered lists",
        bullets.len(),
        numbered.len()
    );

    let mut tables = Vec::new();
    pandoc_nodes(&document["blocks"], "Table", &mut tables);
    let expected = markdown_tables(&markdown);
    assert!(expected.len() >= 10, "the example has its tables");
    assert_eq!(
        tables.len(),
        expected.len(),
        "one Word table per Markdown table"
    );
    for (table, (header, rows)) in tables.iter().zip(&expected) {
        // A table is [attr, caption, columns, head, bodies, foot]; a row is [attr, cells]; a
        // cell is [attr, alignment, rows, columns, blocks].
        let found = pandoc_header(&table["c"][3][1]);
        assert_eq!(
            &found, header,
            "the header row is the table's header in Word"
        );
        let body_rows: usize = table["c"][4]
            .as_array()
            .map(|bodies| {
                bodies
                    .iter()
                    .map(|b| b[3].as_array().map_or(0, Vec::len))
                    .sum()
            })
            .unwrap_or(0);
        assert_eq!(body_rows, *rows, "the rows of the table headed {header:?}");
    }

    let figures = std::fs::read_dir(example.join("charts"))
        .expect("charts")
        .filter(|e| {
            let name = e.as_ref().expect("entry").file_name();
            let name = name.to_string_lossy();
            name.starts_with("figure-") && name.ends_with(".png")
        })
        .count();
    assert!(figures >= 10, "figures: {figures}");
    let mut images = Vec::new();
    pandoc_nodes(&document["blocks"], "Image", &mut images);
    assert_eq!(images.len(), figures, "one embedded image per figure");
    let mut embedded = Vec::new();
    let mut folders = vec![media.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("media folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                embedded.push(path);
            }
        }
    }
    assert_eq!(
        embedded.len(),
        figures,
        "word/media holds one file per figure"
    );
    for path in embedded {
        let bytes = std::fs::read(&path).expect("image");
        assert!(bytes.starts_with(b"\x89PNG"), "{}: a PNG", path.display());
        assert_eq!(
            resolution(&bytes),
            Some(((300.0f64 / 0.0254).round() as u32, 1)),
            "{}: 300 dpi",
            path.display()
        );
    }

    let mut headers = Vec::new();
    pandoc_nodes(&document["blocks"], "Header", &mut headers);
    let headings: Vec<(u64, String)> = headers
        .iter()
        .map(|h| (h["c"][0].as_u64().unwrap_or(0), pandoc_text(&h["c"][2])))
        .collect();
    for line in markdown.lines().filter(|l| l.starts_with("## ")) {
        let heading = (2, line.trim_start_matches("## ").trim().to_string());
        assert!(headings.contains(&heading), "{heading:?} in {headings:?}");
    }
    let text = pandoc_text(&document["blocks"]);
    let finding = "helping motive (β = .19, p < .001) and enjoyment motive (β = .30, p < .001) were associated with higher career satisfaction";
    assert!(text.contains(finding), "the findings are in the text");
}

/// A model with controls is one hierarchical table: Model 1 (the controls) beside Model 2,
/// with R², ΔR² and the F test of each step from results.json; `vif: true` adds each term's
/// variance inflation factor.
#[test]
fn hierarchical_regressions_show_model_1_and_model_2_side_by_side() {
    let (example, _) = results();
    let report = std::fs::read_to_string(example.join("report.md")).expect("report.md");
    let results: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(example.join("results.json")).expect("results.json"),
    )
    .expect("JSON");
    let model = &results["models"][0];
    let section = report
        .split("### Career satisfaction (linear regression)")
        .nth(1)
        .and_then(|rest| rest.split("\n### ").next())
        .expect("the first model's section");
    let age_model_1 = model["control_coefficients"]
        .as_array()
        .expect("Model 1's coefficients")
        .iter()
        .find(|c| c["term"] == "age")
        .expect("age in Model 1");
    let cents =
        |v: &serde_json::Value| format!("{:.3}", v.as_f64().expect("a number")).replace('-', "−");
    let blocks = &model["blocks"];
    for expected in [
        "Table 15. Hierarchical linear regression of Career satisfaction: the controls (Model 1), then Helping motive, Enjoyment motive, Strategic motive, Obligation motive, and Status motive (Model 2).".to_string(),
        "| Term | Model 1: b | Model 1: SE | Model 1: p | Model 2: b | Model 2: SE | Model 2: 95% CI | Model 2: p | Model 2: β |".to_string(),
        format!("| Age | {} |", cents(&age_model_1["b"])),
        "| Helping motive |  |  |  | 0.211 |".to_string(),
        format!(
            "| ΔR² | {} |  |  | {} |",
            cents(&blocks[0]["delta_r2"]).trim_start_matches('0'),
            cents(&blocks[1]["delta_r2"]).trim_start_matches('0')
        ),
        format!(
            "| df of F | {}, {} |  |  | {}, {} |",
            blocks[0]["df1"], blocks[0]["df2"], blocks[1]["df1"], blocks[1]["df2"]
        ),
        "Model 1: the controls (Age, Gender, and Tenure (years)); Model 2 adds the predictors.".to_string(),
        "Factors are dummy coded against their reference level: Gender (Woman).".to_string(),
    ] {
        assert!(section.contains(&expected), "`{expected}` in:\n{section}");
    }

    let directory = analyze_into("tests/data/analysis/mtcars.yaml", "vif");
    let report = std::fs::read_to_string(directory.join("report.md")).expect("report.md");
    for expected in [
        "| Model 2: β | VIF |",
        // car::vif of wt and hp, and 1/(1 − R²) of each cylinders dummy (tests/r/analysis.R).
        "| wt |  |  |  | −3.181 | 0.720 | [−4.658, −1.705] | < .001 | −.52 | 2.58 |",
        "| hp |  |  |  | −0.023 | 0.012 | [−0.048, 0.001] | .064 | −.26 | 3.50 |",
        "VIF: variance inflation factor",
    ] {
        assert!(
            report.contains(expected),
            "`{expected}` in the mtcars report"
        );
    }
}

/// A numeric code made a factor (`factors: cyl: {levels: {4: four, …}, reference: 4}`) is
/// reported by its level names, and a factor of three or more levels gets its omnibus test in
/// the findings and in the table's note (the numbers are checked against R in analysis.rs).
#[test]
fn a_coded_factor_is_reported_by_its_levels_with_its_omnibus_test() {
    let directory = analyze_into("tests/data/analysis/condition.yaml", "condition");
    let report = std::fs::read_to_string(directory.join("report.md")).expect("report.md");
    for expected in [
        "| Cylinders: six | −4.26 | 1.39 | −3.07 | .005 | [−7.09, −1.42] |  |",
        "| Cylinders: eight | −6.07 | 1.65 | −3.67 | < .001 | [−9.46, −2.69] |  |",
        "cylinders as a whole: F(2, 28) = 7.29, p = .003",
        "Factors are dummy coded against their reference level: Cylinders (four). Each factor of three or more levels as a whole (F test of dropping it): Cylinders F(2, 28) = 7.29, p = .003.",
        "(Wald F with HC3 errors): Cylinders F(2, 28) = 7.18, p = .003.",
    ] {
        assert!(report.contains(expected), "`{expected}` in:\n{report}");
    }
}

/// The bundled plan's exclusions: the sample section tells the participant flow in a sentence
/// and a table with results.json's counts, then the indices and the flow diagram.
#[test]
fn the_sample_section_shows_the_participant_flow() {
    let (example, _) = results();
    let report = std::fs::read_to_string(example.join("report.md")).expect("report.md");
    let results: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(example.join("results.json")).expect("results.json"),
    )
    .expect("JSON");
    let screening = &results["screening"];
    let section = report
        .split("### Participant flow")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("the participant flow");
    let analysed = screening["n_analysed"].as_u64().expect("n");
    assert!(
        section.contains(&format!("| Analysed | {analysed} |")),
        "{section}"
    );
    for rule in screening["rules"].as_array().expect("rules") {
        let text = format!(
            "| − `{}` | {} |",
            rule["rule"].as_str().expect("a rule"),
            rule["excluded"].as_u64().expect("n"),
        );
        assert!(section.contains(&text), "`{text}` in:\n{section}");
    }
    assert!(section.contains("Careless-responding indices of the"));
    assert!(
        section.contains("*Figure 1.* Participant flow"),
        "{section}"
    );
    assert_eq!(results["n_rows"].as_u64(), Some(analysed));
    assert!(
        section.contains("*Figure 2.* Careless-responding indices of the 563 respondents screened"),
        "{section}"
    );
}

/// The first number in a table cell, and half a unit of its last decimal (its rounding).
fn cell_number(cell: &str) -> (f64, f64) {
    let text: String = cell
        .trim()
        .replace('−', "-")
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect();
    let decimals = text.split('.').nth(1).map_or(0, str::len);
    let value = text
        .parse()
        .unwrap_or_else(|_| panic!("a number in `{cell}`"));
    (value, 0.5 * 10f64.powi(-(decimals as i32)) + 1e-12)
}

/// A plan with `sensitivity: true`: the report sets each coefficient of the respondents
/// analysed beside the same coefficient of everyone screened, as results.json holds them.
#[test]
fn the_sensitivity_check_sets_both_runs_side_by_side() {
    let directory = analyze_into("tests/data/analysis/screening.yaml", "sensitivity");
    let report = std::fs::read_to_string(directory.join("report.md")).expect("report.md");
    let results: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(directory.join("results.json")).expect("results.json"),
    )
    .expect("JSON");
    let section = report
        .split("## Sensitivity to the exclusions")
        .nth(1)
        .expect("the sensitivity section");
    assert!(
        section.contains("| Analysed (n = 2573) | Everyone (n = 2800) |"),
        "{section}"
    );
    let rows: Vec<Vec<&str>> = section
        .lines()
        .filter(|line| line.starts_with("| Agreeableness"))
        .map(|line| line.split('|').map(str::trim).collect())
        .collect();
    let coefficients = |r: &serde_json::Value| -> Vec<f64> {
        r["models"][0]["coefficients"]
            .as_array()
            .expect("coefficients")
            .iter()
            .filter(|c| c["term"] != "(Intercept)")
            .map(|c| c["b"].as_f64().expect("b"))
            .collect()
    };
    let analysed = coefficients(&results);
    let everyone = coefficients(&results["sensitivity"]);
    assert_eq!(rows.len(), analysed.len(), "{section}");
    for (k, row) in rows.iter().enumerate() {
        for (cell, expected) in [(row[3], analysed[k]), (row[4], everyone[k])] {
            let (shown, rounding) = cell_number(cell);
            assert!(
                (shown - expected).abs() <= rounding,
                "{cell} against {expected}"
            );
        }
    }
    assert!(analysed != everyone, "the exclusions change the estimates");
    assert!(
        section.contains("the conclusions do not depend on the exclusions"),
        "{section}"
    );
}

/// The bundled plan's measurement model: the report's fit table, reliability and invariance
/// rows carry results.json's numbers, and the findings state the model's fit in a sentence.
#[test]
fn the_measurement_section_reports_fit_reliability_and_invariance() {
    let (example, _) = results();
    let report = std::fs::read_to_string(example.join("report.md")).expect("report.md");
    let results: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(example.join("results.json")).expect("results.json"),
    )
    .expect("JSON");
    let m = &results["measurement"][0];
    let fit = &m["fit"];
    let three = |v: &serde_json::Value| {
        let text = format!("{:.3}", v.as_f64().expect("a number"));
        text.strip_prefix("0").map_or(text.clone(), str::to_string)
    };
    let section = report
        .split("## Measurement")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("the measurement section");
    let ml_row = format!(
        "| ML | {:.2} | {} |",
        fit["chisq"].as_f64().expect("chisq"),
        fit["df"]
    );
    assert!(section.contains(&ml_row), "`{ml_row}` in:\n{section}");
    assert!(
        section.contains("| Scaled (Yuan–Bentler) |"),
        "MLR's scaled row"
    );
    let helping = &m["factors"][0];
    assert!(section.contains("| Helping motive | 4 |"));
    assert!(section.contains(&format!("| {} |", three(&helping["composite_reliability"]))));
    for step in ["configural", "metric", "scalar", "strict"] {
        assert!(
            section.contains(&format!("| {step} |")),
            "{step} in the invariance table"
        );
    }
    let finding = format!(
        "the 5-factor model fit well, robust CFI = {}",
        three(&fit["robust"]["cfi"])
    );
    assert!(report.contains(&finding), "`{finding}` in the findings");
    // The measurement section comes before the hypotheses.
    let measurement_at = report.find("## Measurement").expect("measurement");
    let models_at = report
        .find("### Career satisfaction (linear regression)")
        .expect("models");
    assert!(measurement_at < models_at);
}

/// A results file edited by hand: a sociogram whose ties and groups name people who are not
/// there is drawn without them, and one larger than kith writes is refused with a hint, never
/// a panic or an unbounded layout.
#[test]
fn a_hand_edited_sociogram_is_drawn_safely_or_refused() {
    let source = network_results().join("results.json");
    let mut results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&source).expect("results")).expect("JSON");
    let folder = output_dir("edited-sociogram");
    let sociogram = &mut results["networks"][0]["sociogram"];
    sociogram["ties"]
        .as_array_mut()
        .expect("ties")
        .extend([serde_json::json!([0, 999]), serde_json::json!([5, 5])]);
    sociogram["group"][0] = serde_json::json!(40);
    sociogram["group"]
        .as_array_mut()
        .expect("groups")
        .truncate(10);
    let edited = folder.join("edited.json");
    std::fs::write(&edited, results.to_string()).expect("write");
    let output = folder.join("edited.svg").display().to_string();
    let run = kith(
        &[
            "chart",
            "sociogram",
            "--results",
            &edited.display().to_string(),
            "-o",
            &output,
        ],
        &root(),
    );
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sociogram = &mut results["networks"][0]["sociogram"];
    sociogram["in_degree"] = serde_json::json!(vec![1.0; 20_000]);
    let huge = folder.join("huge.json");
    std::fs::write(&huge, results.to_string()).expect("write");
    let run = kith(
        &[
            "chart",
            "sociogram",
            "--results",
            &huge.display().to_string(),
            "-o",
            &output,
        ],
        &root(),
    );
    assert_no_panic(&run);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("has 20000 people, more than the 500 kith draws")
            && run.stderr.contains("hint: "),
        "{}",
        run.stderr
    );
}
