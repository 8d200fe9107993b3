//! Golden cases: every directory under testdata/cases has `input/` (an EB project), an optional
//! `args` file (convert arguments) and `expected/` (every artefact, plus `plan.txt`).
//! `UPDATE_GOLDEN=1 cargo test --test golden` rewrites the expected files.

mod common;

use eb2ecs::output;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// Render everything for one case: file name -> content.
fn render_case(dir: &Path, plan_against: &Path) -> BTreeMap<String, String> {
    let (model, artefacts) = common::convert_case(dir)
        .unwrap_or_else(|e| panic!("case {} failed to convert: {e}", dir.display()));
    let mut out: BTreeMap<String, String> = artefacts
        .iter()
        .map(|a| (a.name.to_string(), a.content.clone()))
        .collect();
    let planned = output::plan(plan_against, &artefacts).unwrap();
    out.insert(
        "plan.txt".to_string(),
        eb2ecs::plan::render(&model, &artefacts, &planned, Path::new("expected"), false),
    );
    out
}

#[test]
fn golden_cases() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let cases = common::cases();
    assert!(
        cases.len() >= 5,
        "expected at least 5 golden cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for dir in &cases {
        let expected_dir = dir.join("expected");
        if update {
            // Files first, then the plan against them (which must then be clean).
            let produced = render_case(dir, &expected_dir);
            fs::create_dir_all(&expected_dir).unwrap();
            for (name, content) in &produced {
                if name != "plan.txt" {
                    fs::write(expected_dir.join(name), content).unwrap();
                }
            }
            let produced = render_case(dir, &expected_dir);
            fs::write(expected_dir.join("plan.txt"), &produced["plan.txt"]).unwrap();
            continue;
        }
        let produced = render_case(dir, &expected_dir);
        for (name, content) in &produced {
            match fs::read_to_string(expected_dir.join(name)) {
                Ok(expected) if &expected == content => {}
                Ok(expected) => failures.push(format!(
                    "{}: {name} differs:\n{}",
                    dir.display(),
                    eb2ecs::diff::unified(&expected, content, "expected", "produced")
                )),
                Err(_) => failures.push(format!("{}: expected/{name} is missing", dir.display())),
            }
        }
        for entry in fs::read_dir(&expected_dir).into_iter().flatten() {
            let name = entry.unwrap().file_name().to_string_lossy().to_string();
            if !produced.contains_key(&name) {
                failures.push(format!(
                    "{}: expected/{name} is not produced any more",
                    dir.display()
                ));
            }
        }
        // Strings listed in `must-not-contain` (secret values) appear in no output.
        if let Ok(secrets) = fs::read_to_string(dir.join("must-not-contain")) {
            for secret in secrets.lines().filter(|l| !l.trim().is_empty()) {
                for (name, content) in &produced {
                    if content.contains(secret) {
                        failures.push(format!(
                            "{}: {name} contains the secret {secret:?}",
                            dir.display()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden mismatches (UPDATE_GOLDEN=1 to accept):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The plan of each golden case, against its own expected files, shows no file change.
#[test]
fn plan_against_expected_is_clean() {
    let cases_dir = common::root().join("testdata/cases");
    for entry in fs::read_dir(&cases_dir).unwrap() {
        let dir = entry.unwrap().path();
        let plan = render_case(&dir, &dir.join("expected"))["plan.txt"].clone();
        let files_part = plan.split("== Containers").next().unwrap();
        assert!(
            !files_part.contains("@@"),
            "{}: plan shows changes:\n{files_part}",
            dir.display()
        );
        assert!(
            files_part.contains("task-definition.json: unchanged"),
            "{}",
            dir.display()
        );
    }
}
