//! Golden cases: every directory under testdata/cases has `input/` (an EB project), an optional
//! `args` file (convert arguments) and `expected/` (every artefact, plus `plan.txt`).
//! `UPDATE_GOLDEN=1 cargo test --test golden` rewrites the expected files.

mod common;

use eb2ecs::output;
use eb2ecs::project;
use eb2ecs::render;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

fn case_args(dir: &Path) -> Vec<String> {
    let mut args = vec![dir.join("input").display().to_string()];
    if let Ok(text) = fs::read_to_string(dir.join("args")) {
        args.extend(text.split_whitespace().map(str::to_string));
    }
    args
}

/// Render everything for one case: file name -> content.
fn render_case(dir: &Path, plan_against: &Path) -> BTreeMap<String, String> {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let (input, opts) = common::options(&case_args(dir), &name);
    let project = project::resolve(
        input.dir.as_deref(),
        input.dockerrun.as_deref(),
        &input.settings,
        input.saved_config.as_deref(),
    )
    .unwrap();
    let (model, artefacts) = project::build(&project, &opts)
        .unwrap_or_else(|e| panic!("case {name} failed to convert: {e}"));
    let mut out: BTreeMap<String, String> = artefacts
        .iter()
        .map(|a| (a.name.to_string(), a.content.clone()))
        .collect();
    let planned = output::plan(plan_against, &artefacts).unwrap();
    out.insert(
        "plan.txt".to_string(),
        render::plan::render(&model, &artefacts, &planned, Path::new("expected"), false),
    );
    out
}

#[test]
fn golden_cases() {
    let cases_dir = common::root().join("testdata/cases");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut cases: Vec<_> = fs::read_dir(&cases_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
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
