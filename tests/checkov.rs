//! checkov (a policy scanner nobody here wrote) over the CloudFormation stack of every golden case
//! and every corpus conversion, both launch types, in one run. Only the checks listed with a
//! reason in tests/validators/checkov-allow.txt may fail.

mod common;

use std::fs;
use std::path::PathBuf;

/// The checkov of the suite's own venv (scripts/test installs it).
fn checkov() -> PathBuf {
    let p = common::root().join(".venv-checkov/bin/checkov");
    assert!(
        p.exists(),
        "{} is missing: run ./scripts/test (it creates the venv with checkov)",
        p.display()
    );
    p
}

/// The check IDs accepted on purpose, each with its reason.
fn allowed() -> Vec<String> {
    let text = fs::read_to_string(common::root().join("tests/validators/checkov-allow.txt"))
        .expect("checkov-allow.txt");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (id, reason) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            assert!(
                !reason.trim().is_empty(),
                "{id} is allowed without a reason"
            );
            id.to_string()
        })
        .collect()
}

/// `(check id, file, resource)` of every failed check in checkov's JSON report.
fn failures(report: &serde_json::Value) -> Vec<String> {
    let reports = match report {
        serde_json::Value::Array(a) => a.clone(),
        other => vec![other.clone()],
    };
    let mut out = Vec::new();
    for r in &reports {
        let failed = r["results"]["failed_checks"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for f in failed {
            out.push(format!(
                "{} {} {} ({})",
                f["check_id"].as_str().unwrap_or("?"),
                f["file_path"].as_str().unwrap_or("?"),
                f["resource"].as_str().unwrap_or("?"),
                f["check_name"].as_str().unwrap_or("?")
            ));
        }
    }
    out
}

#[test]
fn every_stack_passes_checkov() {
    let tmp = tempfile::tempdir().unwrap();
    let mut conversions = common::case_conversions();
    conversions.extend(common::corpus_conversions(&[
        "dockerrun-v1",
        "dockerrun-v2",
        "ebextensions",
        "platforms",
        "saved-configs",
        "compose",
    ]));
    for (i, c) in conversions.iter().enumerate() {
        let cfn = c
            .artefacts
            .iter()
            .find(|a| a.name == "cloudformation.yaml")
            .expect("a stack");
        fs::write(tmp.path().join(format!("{i:03}.yaml")), &cfn.content).unwrap();
    }
    let out = std::process::Command::new(checkov())
        .args([
            "--framework",
            "cloudformation",
            "--quiet",
            "--compact",
            "-o",
            "json",
        ])
        .args(["--skip-check", &allowed().join(",")])
        .arg("-d")
        .arg(tmp.path())
        .output()
        .expect("run checkov");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "checkov printed no JSON ({e}):\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut failed = failures(&report);
    failed.sort();
    let passed: u64 = match &report {
        serde_json::Value::Array(a) => a
            .iter()
            .map(|r| r["summary"]["passed"].as_u64().unwrap_or(0))
            .sum(),
        r => r["summary"]["passed"].as_u64().unwrap_or(0),
    };
    assert!(
        passed > 100,
        "checkov passed only {passed} checks: did it read the stacks?"
    );
    assert!(
        failed.is_empty(),
        "{} checkov failures:\n{}",
        failed.len(),
        failed.join("\n")
    );
}
