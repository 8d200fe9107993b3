//! The book (docs/, built by mdBook in scripts/test) and the README hold together: every
//! relative link and `{{#include}}` resolves to a file, every page is in SUMMARY.md and every
//! SUMMARY.md entry exists, and the README stays a short front page.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

/// Every Markdown file under `dir`, recursively.
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(markdown_files(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The targets of the Markdown links `[text](target)` in `text`, outside code blocks and spans.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        // Code spans may hold `](`: drop them first.
        let plain: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        let mut rest = plain.as_str();
        while let Some(at) = rest.find("](") {
            rest = &rest[at + 2..];
            if let Some(end) = rest.find(')') {
                out.push(rest[..end].to_string());
                rest = &rest[end..];
            }
        }
    }
    out
}

/// `{{#include PATH}}` targets in `text`.
fn includes(text: &str) -> Vec<String> {
    text.match_indices("{{#include ")
        .map(|(at, _)| {
            let rest = &text[at + 11..];
            rest[..rest.find("}}").unwrap()].trim().to_string()
        })
        .collect()
}

/// Whether a link leaves the repository (a URL, a mail address) or stays on the page.
fn external(target: &str) -> bool {
    target.starts_with("http://")
        || target.starts_with("https://")
        || target.starts_with("mailto:")
        || target.starts_with('#')
}

#[test]
fn every_relative_link_and_include_resolves() {
    let root = common::root();
    let mut files = markdown_files(&root.join("docs"));
    files.push(root.join("README.md"));
    let mut broken = Vec::new();
    let mut checked = 0;
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        let dir = file.parent().unwrap();
        let targets = links(&text).into_iter().filter(|t| !external(t));
        for target in targets.chain(includes(&text)) {
            let path = target.split('#').next().unwrap_or_default();
            checked += 1;
            if path.is_empty() || !dir.join(path).exists() {
                broken.push(format!("{}: {target}", file.display()));
            }
        }
    }
    assert!(checked > 30, "only {checked} links checked");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn every_page_is_in_the_summary() {
    let src = common::root().join("docs/src");
    let summary = fs::read_to_string(src.join("SUMMARY.md")).unwrap();
    let listed: Vec<String> = links(&summary);
    for page in markdown_files(&src) {
        let rel = page.strip_prefix(&src).unwrap().display().to_string();
        if rel != "SUMMARY.md" {
            assert!(listed.contains(&rel), "{rel} is not in SUMMARY.md");
        }
    }
    for l in &listed {
        assert!(
            src.join(l).is_file(),
            "SUMMARY.md lists {l}, which does not exist"
        );
    }
}

/// The README is a front page: it fits a screen or two and points into the book.
#[test]
fn readme_is_short_and_points_to_the_book() {
    let readme = fs::read_to_string(common::root().join("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(
        lines < 200,
        "README.md has {lines} lines; move the detail into docs/src/"
    );
    assert!(
        readme.contains("docs/src/SUMMARY.md"),
        "no pointer to the book"
    );
}
