//! The built binary as a user runs it: exit codes, messages, what is (not) written.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use std::path::Path;

fn eb2ecs() -> Command {
    let mut c = Command::cargo_bin("eb2ecs").unwrap();
    c.env_remove("AWS_REGION").env_remove("NO_COLOR");
    c
}

fn case_input(name: &str) -> std::path::PathBuf {
    common::root()
        .join("testdata/cases")
        .join(name)
        .join("input")
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .map(|r| {
            r.map(|e| e.unwrap().file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn convert_writes_the_files_and_prints_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ecs");
    eb2ecs()
        .args([
            "convert",
            case_input("nginx-linked-app").to_str().unwrap(),
            "--region",
            "eu-west-1",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("task-definition.json     created"))
        .stdout(predicate::str::contains("[LINK-REMOVED]"));
    assert_eq!(
        files_in(&out),
        vec![
            ".eb2ecs-manifest.json",
            "CHECKLIST.md",
            "cloudformation.yaml",
            "report.json",
            "service.json",
            "task-definition.json"
        ]
    );
}

#[test]
fn default_out_is_ecs_under_the_current_folder() {
    let tmp = tempfile::tempdir().unwrap();
    eb2ecs()
        .current_dir(tmp.path())
        .args(["convert", "--region", "eu-west-1", "--dockerrun"])
        .arg(case_input("v1-single").join("Dockerrun.aws.json"))
        .assert()
        .success();
    assert!(tmp.path().join("ecs/task-definition.json").is_file());
    let td: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(tmp.path().join("ecs/task-definition.json")).unwrap(),
    )
    .unwrap();
    // Named after the project folder of the Dockerrun.
    assert_eq!(td["family"], "input");
}

#[test]
fn malformed_input_fails_with_location_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ecs");
    let bad = common::root().join("testdata/corpus/dockerrun-v2/malformed/019.json");
    eb2ecs()
        .args(["convert", "--dockerrun"])
        .arg(&bad)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("019.json:26:4: invalid JSON"))
        .stderr(predicate::str::contains("panicked").not());
    assert!(!out.exists(), "nothing may be written on error");
}

#[test]
fn wrong_type_names_file_line_column_and_field() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("Dockerrun.aws.json");
    fs::write(
        &f,
        "{\n  \"AWSEBDockerrunVersion\": 2,\n  \"containerDefinitions\": [\n    {\"name\": \"a\", \"image\": \"x\", \"memory\": true}\n  ]\n}\n",
    )
    .unwrap();
    eb2ecs()
        .args(["convert", "--dockerrun"])
        .arg(&f)
        .arg("--out")
        .arg(tmp.path().join("ecs"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Dockerrun.aws.json:4:43: memory must be a whole number, found a boolean (at /containerDefinitions/0/memory)"));
    assert!(!tmp.path().join("ecs").exists());
}

#[test]
fn missing_dockerrun_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    eb2ecs()
        .arg("convert")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no Dockerrun.aws.json in"));
}

#[test]
fn hand_edited_file_is_protected_until_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ecs");
    let input = case_input("nginx-linked-app");
    let run = |extra: &[&str]| {
        let mut c = eb2ecs();
        c.args([
            "convert",
            input.to_str().unwrap(),
            "--region",
            "eu-west-1",
            "--out",
        ])
        .arg(&out)
        .args(extra);
        c
    };
    run(&[]).assert().success();
    // Unchanged rerun: fine.
    run(&[])
        .assert()
        .success()
        .stdout(predicate::str::contains("unchanged"));
    let svc = out.join("service.json");
    let edited = fs::read_to_string(&svc)
        .unwrap()
        .replace("\"desiredCount\": 1", "\"desiredCount\": 3");
    fs::write(&svc, &edited).unwrap();
    run(&[])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "refusing to overwrite service.json",
        ))
        .stderr(predicate::str::contains("-  \"desiredCount\": 3,"))
        .stderr(predicate::str::contains("--force"));
    assert_eq!(
        fs::read_to_string(&svc).unwrap(),
        edited,
        "the edited file must be left alone"
    );
    run(&["--force"])
        .assert()
        .success()
        .stdout(predicate::str::contains("overwritten (--force)"));
    assert!(fs::read_to_string(&svc)
        .unwrap()
        .contains("\"desiredCount\": 1"));
}

#[test]
fn changed_input_updates_untouched_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ecs");
    let input = case_input("nginx-linked-app");
    eb2ecs()
        .args([
            "convert",
            input.to_str().unwrap(),
            "--region",
            "eu-west-1",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    eb2ecs()
        .args([
            "convert",
            input.to_str().unwrap(),
            "--region",
            "eu-west-2",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("task-definition.json     updated"));
}

#[test]
fn plan_writes_nothing_and_exit_code_tracks_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ecs");
    let input = case_input("secrets-env");
    let args = |cmd: &str| {
        vec![
            cmd.to_string(),
            input.display().to_string(),
            "--region".into(),
            "eu-west-1".into(),
            "--out".into(),
            out.display().to_string(),
        ]
    };
    eb2ecs()
        .args(args("plan"))
        .arg("--exit-code")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "+++ task-definition.json (eb2ecs)",
        ))
        .stdout(predicate::str::contains("-  \"links\": ["))
        .stdout(predicate::str::contains("\x1b[").not());
    assert!(!out.exists(), "plan must not write");
    eb2ecs().args(args("convert")).assert().success();
    eb2ecs()
        .args(args("plan"))
        .arg("--exit-code")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("task-definition.json: unchanged"));
    eb2ecs()
        .args([
            "plan",
            input.to_str().unwrap(),
            "--region",
            "eu-north-1",
            "--exit-code",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(1);
}

#[test]
fn colours_follow_flag_and_no_color() {
    let input = case_input("v1-single");
    let tmp = tempfile::tempdir().unwrap();
    eb2ecs()
        .args([
            "plan",
            input.to_str().unwrap(),
            "--color",
            "always",
            "--out",
        ])
        .arg(tmp.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("\x1b["));
    eb2ecs()
        .env("NO_COLOR", "1")
        .args(["plan", input.to_str().unwrap(), "--out"])
        .arg(tmp.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("\x1b[").not());
}

#[test]
fn fail_on_sets_the_exit_code() {
    let input = case_input("secrets-env");
    let tmp = tempfile::tempdir().unwrap();
    eb2ecs()
        .args([
            "convert",
            input.to_str().unwrap(),
            "--fail-on",
            "blocker",
            "--out",
        ])
        .arg(tmp.path().join("a"))
        .assert()
        .code(1);
    // Files are still written: the findings are about them.
    assert!(tmp.path().join("a/task-definition.json").is_file());
    eb2ecs()
        .args(["convert", input.to_str().unwrap(), "--out"])
        .arg(tmp.path().join("b"))
        .assert()
        .code(0);
}

#[test]
fn secrets_never_reach_stdout_or_files() {
    let input = case_input("secrets-env");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ecs");
    let assert = eb2ecs()
        .args(["convert", input.to_str().unwrap(), "--out"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    for secret in ["s3cr3t-pw", "sk_live_notarealkey"] {
        assert!(!stdout.contains(secret));
        for f in files_in(&out) {
            assert!(
                !fs::read_to_string(out.join(&f)).unwrap().contains(secret),
                "{f}"
            );
        }
    }
}

#[test]
fn support_matrix_doc_is_current() {
    let assert = eb2ecs().arg("support-matrix").assert().success();
    let printed = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    let doc = fs::read_to_string(common::root().join("docs/support-matrix.md")).unwrap_or_default();
    assert!(
        printed == doc,
        "docs/support-matrix.md is stale: run `cargo run -q -- support-matrix > docs/support-matrix.md`"
    );
    assert!(printed.contains("| `links` |"));
}

#[test]
fn bad_account_id_is_a_usage_error() {
    eb2ecs()
        .args([
            "convert",
            case_input("v1-single").to_str().unwrap(),
            "--account-id",
            "12",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--account-id must be 12 digits"));
}

/// Every finding code the source uses is documented in docs/findings.md (codes are a contract).
#[test]
fn every_finding_code_is_documented() {
    let doc = fs::read_to_string(common::root().join("docs/findings.md")).unwrap();
    let mut missing = Vec::new();
    let mut seen = 0;
    let mut stack = vec![common::root().join("src")];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let text = fs::read_to_string(&p).unwrap();
            // A code is a string literal of capitals and digits with at least one hyphen.
            for lit in text.split('"').skip(1).step_by(2) {
                let is_code = lit.contains('-')
                    && !lit.starts_with('-')
                    && !lit.ends_with('-')
                    && lit
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
                    && lit.chars().next().is_some_and(|c| c.is_ascii_uppercase());
                // CMD-SHELL is Docker's health check form, not a finding code.
                if is_code && lit != "CMD-SHELL" {
                    seen += 1;
                    if !doc.contains(&format!("`{lit}`")) {
                        missing.push(format!("{lit} ({})", p.display()));
                    }
                }
            }
        }
    }
    assert!(seen > 100, "found only {seen} codes: the scan is broken");
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "undocumented finding codes: {missing:?}"
    );
}

/// With no DIR, the current folder is the project: its .ebextensions are read too.
#[test]
fn current_folder_is_the_default_project() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("shop");
    fs::create_dir_all(project.join(".ebextensions")).unwrap();
    fs::copy(
        case_input("nginx-linked-app").join("Dockerrun.aws.json"),
        project.join("Dockerrun.aws.json"),
    )
    .unwrap();
    fs::write(
        project.join(".ebextensions/01.config"),
        "option_settings:\n  aws:elasticbeanstalk:environment:process:default:\n    HealthCheckPath: /ready\n",
    )
    .unwrap();
    eb2ecs()
        .current_dir(&project)
        .args(["convert", "--region", "eu-west-1"])
        .assert()
        .success();
    let cfn = fs::read_to_string(project.join("ecs/cloudformation.yaml")).unwrap();
    assert!(cfn.contains("HealthCheckPath: \"/ready\""));
    let td = fs::read_to_string(project.join("ecs/task-definition.json")).unwrap();
    assert!(td.contains("\"family\": \"shop\""));
}
