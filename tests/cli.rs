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
    assert!(cfn.contains("HealthCheckPath: /ready"));
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

// ---------------------------------------------------------------------------------------------
// Manners: modes, quiet, exit reasons, ticks, enums, completions, man page, one code's page
// ---------------------------------------------------------------------------------------------

/// `eb2ecs ARGS` under a shell with `umask MASK`.
fn with_umask(mask: &str, args: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("umask {mask}; exec \"$0\" \"$@\""))
        .arg(assert_cmd::cargo::cargo_bin("eb2ecs"))
        .args(args)
        .env_remove("AWS_REGION")
        .output()
        .expect("sh runs")
}

/// Written files get the mode any new file gets: 0644 under umask 022, 0600 under 077.
#[test]
fn files_are_written_with_the_umask_mode() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    for (mask, want) in [("022", 0o644), ("077", 0o600)] {
        let out = tmp.path().join(mask);
        let run = with_umask(
            mask,
            &[
                "convert".as_ref(),
                case_input("v1-single").as_os_str(),
                "--region".as_ref(),
                "eu-west-1".as_ref(),
                "--out".as_ref(),
                out.as_os_str(),
            ],
        );
        assert!(run.status.success(), "{run:?}");
        for name in files_in(&out) {
            let mode = fs::metadata(out.join(&name)).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, want, "{name} under umask {mask}: {mode:o}");
        }
    }
}

/// --quiet prints one line; the default is one screen (counts, blockers, where the rest is);
/// --verbose prints every finding.
#[test]
fn quiet_default_and_verbose_output() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |extra: &[&str], dir: &str| {
        let a = on_case("convert", "nginx-linked-app", extra, &tmp.path().join(dir))
            .arg("--region")
            .arg("eu-west-1")
            .assert()
            .success();
        String::from_utf8_lossy(&a.get_output().stdout).to_string()
    };
    let quiet = run(&["--quiet"], "q");
    assert_eq!(quiet.lines().count(), 1, "{quiet}");
    assert!(quiet.contains("2 blockers, 9 warnings, 9 info"), "{quiet}");
    assert!(quiet.contains("CHECKLIST.md"), "{quiet}");
    let default = run(&[], "d");
    assert!(
        default.contains("[LINK-REMOVED]"),
        "a blocker is listed:\n{default}"
    );
    assert!(!default.contains("[LOGS-EB-VOLUME-DROPPED]"), "{default}");
    assert!(default.contains("All 20 findings"), "{default}");
    assert!(
        default.lines().count() < 40,
        "{} lines",
        default.lines().count()
    );
    let verbose = run(&["--verbose"], "v");
    assert!(verbose.contains("[LOGS-EB-VOLUME-DROPPED]"), "{verbose}");
}

/// Exit 1 says on stderr which findings reached --fail-on.
#[test]
fn fail_on_says_why_on_stderr() {
    let tmp = tempfile::tempdir().unwrap();
    on_case(
        "convert",
        "nginx-linked-app",
        &["--fail-on", "blocker", "--region", "eu-west-1"],
        &tmp.path().join("a"),
    )
    .assert()
    .code(1)
    .stderr(predicate::str::contains(
        "2 findings at or above --fail-on blocker",
    ))
    .stderr(predicate::str::contains("LINK-REMOVED"))
    .stderr(predicate::str::contains("LOGS-EB-VOLUME-DROPPED").not());
}

/// Ticks made in CHECKLIST.md survive a re-run (even with other options); a real edit is
/// still refused.
#[test]
fn checklist_ticks_survive_a_rerun() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ecs");
    let convert =
        |region: &str| on_case("convert", "nginx-linked-app", &["--region", region], &out);
    convert("eu-west-1").assert().success();
    let path = out.join("CHECKLIST.md");
    let text = fs::read_to_string(&path).unwrap();
    let item = text
        .lines()
        .find(|l| l.contains("`LINK-REMOVED`"))
        .unwrap()
        .to_string();
    let ticked = text.replacen(&item, &item.replacen("- [ ]", "- [x]", 1), 1);
    fs::write(&path, &ticked).unwrap();
    convert("eu-west-1")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "CHECKLIST.md             unchanged",
        ));
    convert("eu-west-2").assert().success();
    let after = fs::read_to_string(&path).unwrap();
    assert!(
        after.contains(&item.replacen("- [ ]", "- [x]", 1)),
        "{after}"
    );
    assert_eq!(after.matches("- [x]").count(), 1, "{after}");
    fs::write(&path, after.replace("## Verify", "## Verify (my notes)")).unwrap();
    convert("eu-west-2")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "refusing to overwrite CHECKLIST.md",
        ));
}

/// Value enums take any case.
#[test]
fn value_enums_ignore_case() {
    let tmp = tempfile::tempdir().unwrap();
    on_case(
        "convert",
        "v1-single",
        &[
            "--launch-type",
            "EC2",
            "--format",
            "Both",
            "--secrets",
            "SSM",
        ],
        &tmp.path().join("a"),
    )
    .arg("--region")
    .arg("eu-west-1")
    .assert()
    .success();
    let td = fs::read_to_string(tmp.path().join("a/task-definition.json")).unwrap();
    assert!(td.contains("\"EC2\""), "{td}");
    assert!(tmp.path().join("a/terraform").is_dir());
}

/// Completions for every shell clap_complete knows, and a man page.
#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "Elvish"] {
        let a = common::eb2ecs()
            .args(["completions", shell])
            .assert()
            .success();
        let text = String::from_utf8_lossy(&a.get_output().stdout).to_string();
        assert!(
            text.contains("eb2ecs") && text.contains("launch-type"),
            "{shell}"
        );
    }
    let a = common::eb2ecs().arg("man").assert().success();
    let man = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    assert!(man.contains(".TH eb2ecs 1"), "{man}");
    assert!(man.contains("convert"), "{man}");
}

/// `finding-codes CODE` prints that code's page; an unknown code is a usage error.
#[test]
fn finding_codes_takes_a_code() {
    common::eb2ecs()
        .args(["finding-codes", "link-removed"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("# LINK-REMOVED\n"))
        .stdout(predicate::str::contains("Severity: blocker"));
    common::eb2ecs()
        .args(["finding-codes", "LINK-REMOVD"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no finding code"))
        .stderr(predicate::str::contains("LINK-REMOVED"));
}

/// `--version` names the commit; `--help` ends with the exit statuses, in groups.
#[test]
fn version_and_help() {
    let a = common::eb2ecs().arg("--version").assert().success();
    let v = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    assert!(
        v.starts_with(&format!("eb2ecs {} (", env!("CARGO_PKG_VERSION"))),
        "{v}"
    );
    let a = common::eb2ecs()
        .args(["convert", "--help"])
        .assert()
        .success();
    let help = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    for heading in [
        "Inputs:",
        "Target:",
        "Outputs:",
        "Live (read-only AWS calls):",
        "Behaviour:",
    ] {
        assert!(help.contains(heading), "{heading}:\n{help}");
    }
    assert!(
        help.trim_end().ends_with("the others were written"),
        "{help}"
    );
}

/// docs/cli.md is generated from the clap definition.
#[test]
fn cli_reference_doc_is_current() {
    assert_doc_current("cli-reference", "docs/cli.md");
}

/// Live failures are one sentence each: no Rust debug dump reaches the terminal.
#[test]
fn live_errors_are_one_sentence_each() {
    use common::fake_aws::{eb2ecs_against, serve, FakeAws};
    let shop = common::root().join("testdata/live/shop-prod");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ecs");
    let no_dump = |stderr: &str| {
        for dump in ["DispatchFailure(", "Os {", "ConnectorError", "{ kind"] {
            assert!(!stderr.contains(dump), "{stderr}");
        }
    };
    let run = |url: &str, extra: &[&str]| {
        let a = eb2ecs_against(url)
            .args(["convert", "--environment", "shop-prod"])
            .args(extra)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2);
        String::from_utf8_lossy(&a.get_output().stderr).to_string()
    };
    let refused = run("http://127.0.0.1:1", &[]);
    assert!(
        refused.contains("the connection was refused connecting to http://127.0.0.1:1"),
        "{refused}"
    );
    no_dump(&refused);
    let profile = run("http://127.0.0.1:1", &["--profile", "nosuch"]);
    assert!(
        profile.contains("the AWS profile nosuch is not defined"),
        "{profile}"
    );
    for (status, code, want) in [
        (403, "ExpiredToken", "the AWS credentials have expired"),
        (403, "AccessDenied", "access denied: the credentials lack the permission elasticbeanstalk:DescribeEnvironments"),
        (400, "ValidationError", "elasticbeanstalk:DescribeEnvironments failed: ValidationError: ValidationError from the fake endpoint"),
    ] {
        let (url, _) = serve(FakeAws {
            fail_with: Some((status, code)),
            ..FakeAws::recorded(&shop)
        });
        let err = run(&url, &[]);
        assert!(err.contains(want), "{code}: {err}");
        assert_eq!(err.lines().filter(|l| l.starts_with("error:")).count(), 1, "{err}");
        no_dump(&err);
    }
    assert!(!out.exists());
}
