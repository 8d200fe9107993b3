//! The deploy pipeline's contracts (issue 25): every first image (the sqsd sidecar's too) is
//! built for the task's CPU architecture; the workflow's repository variables cover what its
//! fill step reads; and, in the full suite, the generated fill step and placeholder guard run
//! for real in bash with jq (the AWS CLI a stub): a worker's queue and the account are filled,
//! an application's own `STRIPE_ACCOUNT_ID` deploys, and a sidecar still on the default image
//! or a queue never set is refused.

mod common;

use common::Conversion;
use std::path::Path;
use std::process::Command;

const WORKFLOW: &str = ".github/workflows/deploy-ecs.yml";

fn artefact<'a>(c: &'a Conversion, name: &str) -> Option<&'a str> {
    c.artefacts
        .iter()
        .find(|a| a.name == name)
        .map(|a| a.content.as_str())
}

/// The `--platform` of the task's CPU architecture (its runtimePlatform; on EC2 without one,
/// the instances' architecture).
fn platform(c: &Conversion) -> &'static str {
    let arm = match &c.model.task_definition.runtime_platform {
        Some(p) => p.cpu_architecture == "ARM64",
        None => c.model.environment.arm64,
    };
    if arm {
        "linux/arm64"
    } else {
        "linux/amd64"
    }
}

/// Every `docker build` / `docker buildx build` command of a text: in the checklist, the code
/// spans (prose may say "docker build"); in the workflow, the script lines.
fn builds(text: &str, markdown: bool) -> Vec<String> {
    let pieces: Vec<&str> = if markdown {
        text.split('`').skip(1).step_by(2).collect()
    } else {
        text.lines().collect()
    };
    pieces
        .into_iter()
        .filter_map(|p| {
            let i = p
                .find("docker build")
                .or_else(|| p.find("docker buildx build"))?;
            Some(p[i..].trim().to_string())
        })
        .collect()
}

#[test]
fn every_first_image_is_built_for_the_tasks_cpu_architecture() {
    let mut seen = 0;
    for c in common::all_conversions(&["--ci", "github", "--github-repo", "acme/app"]) {
        let want = format!("--platform {}", platform(&c));
        for name in ["CHECKLIST.md", WORKFLOW] {
            let Some(text) = artefact(&c, name) else {
                continue;
            };
            for b in builds(text, name == "CHECKLIST.md") {
                seen += 1;
                assert!(
                    b.starts_with("docker buildx build"),
                    "{}: {name}: {b}",
                    c.label
                );
                // A loader's finding cannot know the architecture: it makes the user name it.
                let asked = b
                    .contains("--platform \"${PLATFORM:?set PLATFORM to the task CPU architecture");
                let named = b.contains(&want)
                    || asked
                    || (b.contains("--platform \"$PLATFORM\"")
                        && text.contains(&format!("PLATFORM: {}", platform(&c))));
                assert!(named, "{}: {name}: not {want}: {b}", c.label);
            }
        }
    }
    assert!(seen > 100, "only {seen} builds");
}

#[test]
fn a_workers_sidecar_is_built_for_its_architecture_in_the_checklist_and_the_workflow() {
    for case in ["worker-tier", "delivery-worker"] {
        let dir = common::root().join("testdata/cases").join(case);
        let (model, artefacts) = common::convert_case(&dir).expect("convert");
        let c = Conversion {
            label: case.to_string(),
            launch_type: "fargate",
            model,
            artefacts,
        };
        let checklist = artefact(&c, "CHECKLIST.md").expect("checklist");
        assert!(
            builds(checklist, true)
                .iter()
                .any(|b| b.contains("--file sqsd/Dockerfile") && b.contains(platform(&c))),
            "{case}: no sqsd build for {}",
            platform(&c)
        );
    }
}

#[test]
fn the_checklist_sets_every_variable_the_workflow_reads() {
    for c in common::all_conversions(&["--ci", "github", "--github-repo", "acme/app"]) {
        let (Some(wf), Some(checklist)) = (artefact(&c, WORKFLOW), artefact(&c, "CHECKLIST.md"))
        else {
            continue;
        };
        for (name, _) in eb2ecs::render::workflow::variables(&c.model) {
            assert!(
                wf.contains(&format!("vars.{name}")),
                "{}: {name} unread",
                c.label
            );
            let optional = name == "SQSD_IMAGE";
            assert!(
                optional || checklist.contains(&format!("gh variable set {name} ")),
                "{}: the checklist never sets {name}",
                c.label
            );
        }
        assert!(
            !wf.contains("-e ACCOUNT_ID"),
            "{}: the guard greps ACCOUNT_ID anywhere",
            c.label
        );
    }
}

/// The `run:` and `env:` of the workflow step whose `id` (or name prefix) is `key`.
fn step(wf: &serde_yaml_ng::Value, key: &str) -> (String, Vec<(String, String)>) {
    let steps = wf["jobs"]["deploy"]["steps"].as_sequence().expect("steps");
    let s = steps
        .iter()
        .find(|s| {
            s["id"].as_str() == Some(key) || s["name"].as_str().is_some_and(|n| n.starts_with(key))
        })
        .unwrap_or_else(|| panic!("no step {key}"));
    let env = s["env"]
        .as_mapping()
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            let v = v.as_str().map_or_else(
                || v.as_bool().unwrap_or_default().to_string(),
                str::to_string,
            );
            (k.as_str().unwrap_or_default().to_string(), v)
        })
        .collect();
    (s["run"].as_str().unwrap_or_default().to_string(), env)
}

/// Run a step's script in bash with its env, `over` on top and a stub `aws` first on PATH;
/// its exit status and output.
fn run(
    dir: &Path,
    script: &str,
    env: &[(String, String)],
    over: &[(&str, &str)],
) -> (bool, String) {
    let stub = dir.join("bin");
    std::fs::create_dir_all(&stub).unwrap();
    let aws = stub.join("aws");
    std::fs::write(&aws, "#!/bin/sh\necho 210987654321\n").unwrap();
    let exec = std::os::unix::fs::PermissionsExt::from_mode(0o755);
    std::fs::set_permissions(&aws, exec).unwrap();
    let path = format!(
        "{}:{}",
        stub.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(script)
        .env("PATH", path)
        .env("GITHUB_OUTPUT", dir.join("out"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    for (k, v) in over {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("bash");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn the_fill_step_and_the_guard_run_in_bash() {
    if !common::external("bash and jq") {
        return;
    }
    let dir = common::root().join("testdata/cases/delivery-worker");
    let (_, artefacts) = common::convert_case(&dir).expect("convert");
    let text = |n: &str| {
        artefacts
            .iter()
            .find(|a| a.name == n)
            .unwrap()
            .content
            .clone()
    };
    let wf: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text(WORKFLOW)).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("source.json");
    std::fs::write(&source, text("task-definition.json")).unwrap();
    let target = tmp.path().join("td.json");
    let (fill, env) = step(&wf, "prepare-task-definition");
    let (guard, guard_env) = step(&wf, "Refuse placeholders in the task definition");
    let s = |p: &Path| p.display().to_string();
    let filled = [
        ("SOURCE", s(&source)),
        ("TARGET", s(&target)),
        (
            "EXECUTION_ROLE_ARN",
            "arn:aws:iam::210987654321:role/exec".into(),
        ),
        (
            "TASK_ROLE_ARN",
            "arn:aws:iam::210987654321:role/task".into(),
        ),
        ("LOG_GROUP", "/ecs/stack".into()),
    ];
    let over: Vec<(&str, &str)> = filled.iter().map(|(k, v)| (*k, v.as_str())).collect();
    // No queue: the fill step refuses.
    let (ok, out) = run(
        tmp.path(),
        &fill,
        &env,
        &[over.as_slice(), &[("QUEUE_URL", "")]].concat(),
    );
    assert!(!ok && out.contains("WORKER_QUEUE_URL is not set"), "{out}");
    let queue = "https://sqs.eu-west-1.amazonaws.com/210987654321/stack-WorkerQueue-X";
    let (ok, out) = run(
        tmp.path(),
        &fill,
        &env,
        &[over.as_slice(), &[("QUEUE_URL", queue)]].concat(),
    );
    assert!(ok, "{out}");
    let td: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    let all = td.to_string();
    assert!(
        all.contains(queue) && !all.contains(":ACCOUNT_ID:"),
        "{all}"
    );
    // The sidecar still on the default image: refused, naming where.
    let guard_file = [("FILE", target.display().to_string())];
    let gover: Vec<(&str, &str)> = guard_file.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (ok, out) = run(tmp.path(), &guard, &guard_env, &gover);
    assert!(
        !ok && out.contains("containerDefinitions.1.image: ghcr.io/eb2ecs/eb2ecs-sqsd"),
        "{out}"
    );
    // The render step put the built sidecar in by digest: the guard passes, STRIPE_ACCOUNT_ID
    // and all.
    let mut td = td;
    td["containerDefinitions"][1]["image"] =
        "210987654321.dkr.ecr.eu-west-1.amazonaws.com/eb2ecs-sqsd@sha256:0123".into();
    std::fs::write(&target, td.to_string()).unwrap();
    assert!(td.to_string().contains("STRIPE_ACCOUNT_ID"));
    let (ok, out) = run(tmp.path(), &guard, &guard_env, &gover);
    assert!(ok, "{out}");
    // Today's guard (grep for ACCOUNT_ID anywhere) refused this very file.
    let old = "if grep -n -e ACCOUNT_ID -e REPLACE_ME \"$FILE\"; then exit 1; fi";
    assert!(!run(tmp.path(), old, &[], &gover).0);
}

/// The guard's rule, as the workflow's jq applies it: a value (never a name) that is one of
/// the placeholder values or holds one of the placeholder parts.
fn guarded(key: &str, value: &str) -> bool {
    use eb2ecs::render::workflow::{PLACEHOLDER_PARTS, PLACEHOLDER_PREFIXES, PLACEHOLDER_VALUES};
    key != "name"
        && (PLACEHOLDER_VALUES.contains(&value)
            || PLACEHOLDER_PARTS.iter().any(|p| value.contains(p))
            || PLACEHOLDER_PREFIXES.iter().any(|p| value.starts_with(p)))
}

/// Whether `word` occurs in `value` as a word of its own (not inside a larger identifier such
/// as a project's `${AWS_ACCOUNT_ID}` or `STRIPE_ACCOUNT_ID`): how eb2ecs writes it.
fn token(value: &str, word: &str) -> bool {
    let ident = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    value.match_indices(word).any(|(i, _)| {
        !ident(value[..i].chars().next_back()) && !ident(value[i + word.len()..].chars().next())
    })
}

/// Every string of a JSON document with the key it is under.
fn strings<'a>(v: &'a serde_json::Value, key: &'a str, out: &mut Vec<(&'a str, &'a str)>) {
    match v {
        serde_json::Value::String(s) => out.push((key, s)),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, key, out)),
        serde_json::Value::Object(m) => m.iter().for_each(|(k, x)| strings(x, k, out)),
        _ => {}
    }
}

#[test]
fn the_guard_matches_exactly_the_placeholders_eb2ecs_writes() {
    use eb2ecs::convert::{efs, worker, ACCOUNT_PLACEHOLDER};
    let account = ACCOUNT_PLACEHOLDER;
    for written in [
        format!("arn:aws:iam::{account}:role/app-ecs-task"),
        format!("{account}.dkr.ecr.eu-west-1.amazonaws.com/api:latest"),
        efs::FILE_SYSTEM_PLACEHOLDER.to_string(),
        worker::QUEUE_URL_PLACEHOLDER.to_string(),
        eb2ecs::model::SQSD_IMAGE.to_string(),
    ] {
        assert!(guarded("value", &written), "{written} passes the guard");
    }
    for own in [
        "STRIPE_ACCOUNT_ID",
        "acct_ACCOUNT_ID",
        "https://x/REPLACE_ME_LATER",
    ] {
        assert!(
            !guarded("value", own) && !guarded("name", own),
            "{own} is refused"
        );
    }
    // Every value of every task definition that looks like a placeholder is one the guard
    // knows, and no variable's name is ever refused.
    for c in common::all_conversions(&["--ci", "github", "--github-repo", "acme/app"]) {
        for file in ["task-definition.json", "oneoff-task-definition.json"] {
            let Some(text) = artefact(&c, file) else {
                continue;
            };
            let doc: serde_json::Value = serde_json::from_str(text).unwrap();
            let mut all = Vec::new();
            strings(&doc, "", &mut all);
            for (key, value) in all {
                let suspicious = token(value, "ACCOUNT_ID")
                    || token(value, "REPLACE_ME")
                    || value == worker::QUEUE_URL_PLACEHOLDER
                    || value == eb2ecs::model::SQSD_IMAGE;
                if key != "name" && suspicious {
                    assert!(guarded(key, value), "{}: {file}: {key}={value}", c.label);
                }
            }
        }
    }
}
