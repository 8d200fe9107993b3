//! The built binary as a user runs it: exit codes, messages, what is (not) written. (How each
//! bad input is refused: tests/errors.rs.)

mod common;

use assert_cmd::Command;
use common::files_in;
use predicates::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

fn case_input(name: &str) -> PathBuf {
    common::root()
        .join("testdata/cases")
        .join(name)
        .join("input")
}

/// `eb2ecs SUBCOMMAND CASE-INPUT ARGS... --out OUT`.
fn on_case(subcommand: &str, case: &str, args: &[&str], out: &Path) -> Command {
    let mut c = common::into_out(common::eb2ecs(), subcommand, [case_input(case)], out);
    c.args(args);
    c
}

#[test]
fn convert_writes_the_files_and_prints_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ecs");
    on_case(
        "convert",
        "nginx-linked-app",
        &["--region", "eu-west-1"],
        &out,
    )
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
    common::eb2ecs()
        .current_dir(tmp.path())
        .args(["convert", "--region", "eu-west-1", "--dockerrun"])
        .arg(case_input("v1-single").join("Dockerrun.aws.json"))
        .assert()
        .success();
    let td: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(tmp.path().join("ecs/task-definition.json")).unwrap(),
    )
    .unwrap();
    // Named after the project folder of the Dockerrun.
    assert_eq!(td["family"], "input");
}

#[test]
fn hand_edited_file_is_protected_until_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ecs");
    let run = |extra: &[&str]| {
        let args = [&["--region", "eu-west-1"], extra].concat();
        on_case("convert", "nginx-linked-app", &args, &out)
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
    let convert = |region| on_case("convert", "nginx-linked-app", &["--region", region], &out);
    convert("eu-west-1").assert().success();
    convert("eu-west-2")
        .assert()
        .success()
        .stdout(predicate::str::contains("task-definition.json     updated"));
}

#[test]
fn plan_writes_nothing_and_exit_code_tracks_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ecs");
    let plan = |region| {
        on_case(
            "plan",
            "secrets-env",
            &["--region", region, "--exit-code"],
            &out,
        )
    };
    let first = plan("eu-west-1").assert().code(1);
    let stdout = String::from_utf8_lossy(&first.get_output().stdout);
    assert!(
        stdout.contains("+++ task-definition.json (eb2ecs)"),
        "{stdout}"
    );
    assert!(stdout.contains("-  \"links\": ["), "{stdout}");
    assert!(!stdout.contains('\x1b'), "colours in a pipe: {stdout}");
    assert!(!out.exists(), "plan must not write");
    on_case("convert", "secrets-env", &["--region", "eu-west-1"], &out)
        .assert()
        .success();
    plan("eu-west-1")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("task-definition.json: unchanged"));
    plan("eu-north-1").assert().code(1);
}

#[test]
fn colours_follow_flag_and_no_color() {
    let tmp = tempfile::tempdir().unwrap();
    on_case("plan", "v1-single", &["--color", "always"], tmp.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("\x1b["));
    on_case("plan", "v1-single", &[], tmp.path())
        .env("NO_COLOR", "1")
        .assert()
        .success()
        .stdout(predicate::str::contains("\x1b[").not());
}

#[test]
fn fail_on_sets_the_exit_code() {
    let tmp = tempfile::tempdir().unwrap();
    on_case(
        "convert",
        "secrets-env",
        &["--fail-on", "blocker"],
        &tmp.path().join("a"),
    )
    .assert()
    .code(1);
    // Files are still written: the findings are about them.
    assert!(tmp.path().join("a/task-definition.json").is_file());
    on_case("convert", "secrets-env", &[], &tmp.path().join("b"))
        .assert()
        .code(0);
}

#[test]
fn secrets_never_reach_stdout_or_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ecs");
    let assert = on_case("convert", "secrets-env", &[], &out)
        .assert()
        .success();
    let mut texts = common::read_files(&out);
    texts.insert(
        "stdout".to_string(),
        String::from_utf8_lossy(&assert.get_output().stdout).to_string(),
    );
    assert!(texts.len() > 5, "{:?}", texts.keys());
    let secrets = common::must_not_contain(&common::root().join("testdata/cases/secrets-env"));
    common::assert_no_secret(&texts, &secrets);
}

/// A generated page under docs/ is exactly what its subcommand prints.
fn assert_doc_current(subcommand: &str, doc: &str) {
    let assert = common::eb2ecs().arg(subcommand).assert().success();
    let printed = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    let on_disk = fs::read_to_string(common::root().join(doc)).unwrap_or_default();
    assert!(
        printed == on_disk,
        "{doc} is stale: run `cargo run -q -- {subcommand} > {doc}`"
    );
}

#[test]
fn support_matrix_doc_is_current() {
    assert_doc_current("support-matrix", "docs/support-matrix.md");
}

/// docs/findings.md is generated from src/codes.rs, the only place a finding code can come from.
#[test]
fn finding_codes_doc_is_current() {
    assert_doc_current("finding-codes", "docs/findings.md");
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
    common::eb2ecs()
        .current_dir(&project)
        .args(["convert", "--region", "eu-west-1"])
        .assert()
        .success();
    let cfn = fs::read_to_string(project.join("ecs/cloudformation.yaml")).unwrap();
    assert!(cfn.contains("HealthCheckPath: \"/ready\""));
    let td = fs::read_to_string(project.join("ecs/task-definition.json")).unwrap();
    assert!(td.contains("\"family\": \"shop\""));
}

/// Converting a compose project from inside its own folder, twice: the output folder (and
/// `.git`, `node_modules`) are never read as project files, so the second run writes the same
/// bytes and `plan --exit-code` finds nothing to change.
#[test]
fn converting_twice_inside_the_project_is_stable() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("site");
    fs::create_dir_all(project.join("node_modules/lib")).unwrap();
    fs::create_dir_all(project.join(".git")).unwrap();
    fs::write(
        project.join("docker-compose.yml"),
        "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"80:80\"\n    volumes:\n      - .:/usr/share/nginx/html:ro\n",
    )
    .unwrap();
    fs::write(project.join("index.html"), "<p>hello</p>\n").unwrap();
    fs::write(
        project.join("node_modules/lib/x.js"),
        "fetch('http://web/')\n",
    )
    .unwrap();
    fs::write(project.join(".git/config"), "url = http://web/\n").unwrap();
    let run = |sub: &str| {
        let mut c = common::eb2ecs();
        c.current_dir(&project).args([sub, "--region", "eu-west-1"]);
        c
    };
    run("convert").assert().success();
    let first: Vec<(String, Vec<u8>)> = files_in(&project.join("ecs"))
        .into_iter()
        .map(|n| (n.clone(), fs::read(project.join("ecs").join(&n)).unwrap()))
        .collect();
    run("convert").assert().success();
    for (name, bytes) in &first {
        let again = fs::read(project.join("ecs").join(name)).unwrap();
        assert!(&again == bytes, "ecs/{name} changed on the second run");
    }
    run("plan").arg("--exit-code").assert().code(0);
}

/// A Dockerrun.aws.json named as DIR is read like --dockerrun FILE.
#[test]
fn a_file_named_as_dir_is_the_input() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ecs");
    common::eb2ecs()
        .args(["convert", "--region", "eu-west-1", "--out"])
        .arg(&out)
        .arg(case_input("v1-single").join("Dockerrun.aws.json"))
        .assert()
        .success();
    assert!(out.join("task-definition.json").is_file());
}

/// An empty folder is refused with every kind of project eb2ecs reads.
#[test]
fn an_empty_folder_lists_what_eb2ecs_reads() {
    let tmp = tempfile::tempdir().unwrap();
    common::eb2ecs()
        .args(["convert", "--region", "eu-west-1"])
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "a docker-compose.yml, a Dockerfile",
        ))
        .stderr(predicate::str::contains("package.json"));
}
