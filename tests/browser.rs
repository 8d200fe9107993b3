//! `assessment.html` in a real headless browser (Chromium from the OS packages; scripts/test
//! installs it): the page loads from a file with no network, the table has a row per
//! environment, the inline script sorts it (`#sort=KEY[-desc]`), the SVG charts have their
//! bars, and a screenshot is kept as an artefact in TARGET/browser/assessment.png (TARGET is
//! CARGO_TARGET_DIR, else target/). Without a browser the test fails and says how to install
//! one.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The first of the usual Chromium names on PATH.
fn browser() -> PathBuf {
    let names = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ];
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "no headless browser found (looked for {} on PATH): install Chromium with `apt-get install -y chromium` (scripts/test does this)",
        names.join(", ")
    );
}

/// Run the browser headless on `page` with `args`; its stdout.
fn headless(page: &Path, fragment: &str, args: &[&str], profile: &Path) -> String {
    let url = format!("file://{}{fragment}", page.display());
    let out = Command::new(browser())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(&url)
        .output()
        .expect("the browser runs");
    assert!(
        out.status.success(),
        "{} failed: {}",
        url,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The `data-sort` values of column `col` (0-based), row by row, from the DOM.
fn column(dom: &str, col: usize) -> Vec<String> {
    dom.split("<tr class=\"env ")
        .skip(1)
        .map(|row| {
            let cell = row
                .split("data-sort=\"")
                .nth(col + 1)
                .unwrap_or_else(|| panic!("row without column {col}: {row}"));
            cell[..cell.find('"').unwrap()].to_string()
        })
        .collect()
}

/// Assess the golden fleet case into `out`.
fn assess_fleet(out: &Path) {
    let case = common::root().join("testdata/assess/fleet");
    let mut dirs: Vec<String> = std::fs::read_dir(case.join("input"))
        .unwrap()
        .map(|e| format!("input/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    dirs.sort();
    common::eb2ecs()
        .current_dir(&case)
        .arg("assess")
        .args(dirs)
        .args(["--region", "us-east-1", "--out"])
        .arg(out)
        .assert()
        .code(1);
}

#[test]
fn the_page_in_a_headless_browser() {
    if !common::external("Chromium") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("assessment");
    assess_fleet(&out);
    let page = out.join("assessment.html");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("assessment.json")).unwrap())
            .unwrap();
    let profile = tmp.path().join("profile");
    let dump = ["--dump-dom"];

    // Sorted by environment, descending, through the page's script.
    let dom = headless(&page, "#sort=environment-desc", &dump, &profile);
    assert!(
        dom.contains("data-sorted=\"environment:desc\""),
        "the sort script did not run"
    );
    let envs = column(&dom, 1);
    assert_eq!(envs.len(), json["environments"].as_u64().unwrap() as usize);
    let mut want = envs.clone();
    want.sort();
    want.reverse();
    assert_eq!(envs, want);
    assert_eq!(envs.first().map(String::as_str), Some("storefront"));

    // A numeric column sorts as numbers.
    let dom = headless(&page, "#sort=blockers-desc", &dump, &profile);
    let blockers: Vec<u64> = column(&dom, 3).iter().map(|v| v.parse().unwrap()).collect();
    assert!(blockers.windows(2).all(|w| w[0] >= w[1]), "{blockers:?}");
    let most = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["findings"]["blocker"].as_u64())
        .max()
        .unwrap();
    assert_eq!(blockers[0], most);

    // The charts: a bar per blocker code, two bars a side for the cost.
    let codes = json["blockers_by_code"].as_array().unwrap().len();
    assert!(codes > 0);
    assert_eq!(dom.matches("class=\"bar bar-blocker\"").count(), codes);
    assert_eq!(dom.matches("class=\"bar bar-eb\"").count(), 2);
    assert_eq!(dom.matches("class=\"bar bar-ecs\"").count(), 2);
    // The hostile application name is text, not markup.
    assert!(!dom.contains("<script>alert(1)"));

    // Without the fragment the page keeps the order it was written in (what a reader without
    // JavaScript sees).
    let dom = headless(&page, "", &dump, &profile);
    assert!(dom.contains("data-sorted=\"\""));
    assert_eq!(column(&dom, 1)[0], "hostile");

    // The screenshot, kept.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::root().join("target"));
    let shot = target.join("browser/assessment.png");
    std::fs::create_dir_all(shot.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&shot);
    headless(
        &page,
        "",
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000",
            "--hide-scrollbars",
        ],
        &profile,
    );
    let png = std::fs::read(&shot).expect("the screenshot was written");
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    assert!(
        png.len() > 10_000,
        "a blank screenshot? {} bytes",
        png.len()
    );
}

/// A hundred environments: the page has a row each in the browser, and sorts them.
#[test]
fn a_hundred_environments_in_the_browser() {
    if !common::external("Chromium") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut dirs = Vec::new();
    for i in 0..100 {
        let dir = tmp.path().join(format!("env-{i:03}"));
        std::fs::create_dir_all(&dir).unwrap();
        let run = format!(
            "{{\"AWSEBDockerrunVersion\": \"1\", \"Image\": {{\"Name\": \"public.ecr.aws/docker/library/nginx:1.{i}\"}}, \"Ports\": [{{\"ContainerPort\": 80}}]}}"
        );
        std::fs::write(dir.join("Dockerrun.aws.json"), run).unwrap();
        dirs.push(dir);
    }
    let out = tmp.path().join("assessment");
    common::eb2ecs()
        .arg("assess")
        .args(&dirs)
        .args(["--region", "us-west-2", "--out"])
        .arg(&out)
        .assert()
        .success();
    let dom = headless(
        &out.join("assessment.html"),
        "#sort=environment-desc",
        &["--dump-dom"],
        &tmp.path().join("profile"),
    );
    let envs = column(&dom, 1);
    assert_eq!(envs.len(), 100);
    assert_eq!(envs[0], "env-099");
    assert_eq!(envs[99], "env-000");
}
