//! Golden cases: every directory under testdata/cases has `input/` (an EB project), an optional
//! `args` file (convert arguments) and `expected/` (every artefact, plus `plan.txt`).
//! `UPDATE_GOLDEN=1 cargo test --test golden` rewrites the expected files.

mod common;

use eb2ecs::output;
use eb2ecs::render::Artefact;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// A case's artefacts and its plan against the folder `plan_against`.
fn render_case(dir: &Path, plan_against: &Path) -> (Vec<Artefact>, String) {
    let (model, artefacts) = common::convert_case(dir)
        .unwrap_or_else(|e| panic!("case {} failed to convert: {e}", dir.display()));
    let planned = output::plan(plan_against, &artefacts).unwrap();
    let plan = eb2ecs::plan::render(&model, &artefacts, &planned, Path::new("expected"), false);
    (artefacts, plan)
}

/// Everything a case produces: file name -> content (`plan.txt` against its expected folder).
fn produced(dir: &Path) -> BTreeMap<String, String> {
    let (artefacts, plan) = render_case(dir, &dir.join("expected"));
    let mut out: BTreeMap<String, String> = artefacts
        .into_iter()
        .map(|a| (a.name.to_string(), a.content))
        .collect();
    out.insert("plan.txt".to_string(), plan);
    out
}

#[test]
fn golden_cases() {
    let cases = common::cases();
    assert!(cases.len() >= 5, "only {} golden cases", cases.len());
    let mut failures = Vec::new();
    for dir in &cases {
        if common::update_golden() {
            // The artefacts first: the plan is rendered against them.
            common::check_golden(&dir.join("expected"), &produced(dir));
        }
        let produced = produced(dir);
        failures.extend(common::check_golden(&dir.join("expected"), &produced));
        failures.extend(
            common::secret_leaks(&produced, &common::must_not_contain(dir))
                .into_iter()
                .map(|leak| format!("{}: {leak}", dir.display())),
        );
    }
    common::assert_golden(&failures);
}

/// The part of a plan about files (before the containers).
fn files_part(plan: &str) -> &str {
    plan.split("\n== Containers").next().unwrap()
}

/// Against an empty folder, every artefact is new and shown whole.
#[test]
fn plan_against_an_empty_folder_lists_every_artefact_as_new() {
    let empty = tempfile::tempdir().unwrap();
    for dir in common::cases() {
        let (artefacts, plan) = render_case(&dir, empty.path());
        let files = files_part(&plan);
        for a in &artefacts {
            let header = format!("--- {} (not there yet)\n+++ {} (eb2ecs)\n", a.name, a.name);
            assert!(
                files.contains(&header),
                "{}: {}\n{files}",
                dir.display(),
                a.name
            );
        }
        assert!(
            !files.contains(": unchanged"),
            "{}:\n{files}",
            dir.display()
        );
        assert_eq!(
            files.matches("\n--- ").count(),
            artefacts.len(),
            "{}:\n{files}",
            dir.display()
        );
    }
}

/// Against a copy of the expected files where one was edited, the plan shows that file as
/// edited by hand with the edit in its diff, and every other file unchanged. Each case edits
/// another artefact.
#[test]
fn plan_shows_only_the_file_edited_by_hand() {
    for (i, dir) in common::cases().iter().enumerate() {
        let copy = tempfile::tempdir().unwrap();
        let (artefacts, _) = render_case(dir, copy.path());
        common::write_artefacts(copy.path(), &artefacts);
        let edited = artefacts[i % artefacts.len()].name;
        let text = fs::read_to_string(copy.path().join(edited)).unwrap();
        let (first, rest) = text.split_once('\n').unwrap();
        fs::write(
            copy.path().join(edited),
            format!("{first}\nEDITED BY HAND\n{rest}"),
        )
        .unwrap();
        let (_, plan) = render_case(dir, copy.path());
        let files = files_part(&plan);
        let context = format!("{} ({edited}):\n{files}", dir.display());
        assert!(
            files.contains(&format!(
                "--- {edited} (on disk, edited by hand)\n+++ {edited} (eb2ecs)\n"
            )),
            "{context}"
        );
        assert!(files.contains("\n-EDITED BY HAND\n"), "{context}");
        assert_eq!(files.matches("\n--- ").count(), 1, "{context}");
        assert_eq!(files.matches("\n@@ ").count(), 1, "{context}");
        for a in artefacts.iter().filter(|a| a.name != edited) {
            assert!(
                files.contains(&format!("\n{}: unchanged\n", a.name)),
                "{context}"
            );
        }
    }
}

/// Every file `convert` writes into a fresh folder, byte for byte (the manifest too).
fn convert_with_binary(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ecs");
    common::into_out(common::eb2ecs(), "convert", common::case_args(dir), &out)
        .current_dir(common::root())
        .assert()
        .success();
    common::files_in(&out)
        .into_iter()
        .map(|n| {
            let bytes = fs::read(out.join(&n)).unwrap();
            (n, bytes)
        })
        .collect()
}

/// Two separate processes, two output folders: the same bytes, for every golden case.
#[test]
fn binary_output_is_deterministic() {
    for dir in common::cases() {
        let a = convert_with_binary(&dir);
        let b = convert_with_binary(&dir);
        assert!(a.len() >= 6, "{}: wrote only {:?}", dir.display(), a.keys());
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "{}",
            dir.display()
        );
        for (name, bytes) in &a {
            assert!(
                bytes == &b[name],
                "{}: {name} differs between two runs:\n{}",
                dir.display(),
                eb2ecs::diff::unified(
                    &String::from_utf8_lossy(bytes),
                    &String::from_utf8_lossy(&b[name]),
                    "run A",
                    "run B"
                )
            );
        }
    }
}
