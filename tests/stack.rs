//! The CloudFormation stack of every golden case and every corpus input (both launch types):
//! zero cfn-lint errors, CREATE_COMPLETE in a moto server on loopback with the resources read
//! back, and a security check of what the template grants.

mod common;

use eb2ecs::model::MigrationModel;
use eb2ecs::render::Artefact;
use serde_json::json;
use serde_yaml_ng::Value as Yaml;
use std::fs;
use std::path::{Path, PathBuf};

/// Every conversion the stack tests cover: (label, model, artefacts).
fn all_conversions() -> Vec<(String, MigrationModel, Vec<Artefact>)> {
    let root = common::root();
    let mut out = Vec::new();
    for dir in common::cases() {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let (m, a) = common::convert_case(&dir).unwrap();
        out.push((format!("case {name}"), m, a));
    }
    let dockerrun_for_settings =
        root.join("testdata/cases/nginx-linked-app/input/Dockerrun.aws.json");
    for sub in [
        "dockerrun-v1",
        "dockerrun-v2",
        "ebextensions",
        "saved-configs",
    ] {
        let mut files: Vec<PathBuf> = fs::read_dir(root.join("testdata/corpus").join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for f in files {
            for lt in ["fargate", "ec2"] {
                let mut args: Vec<String> = vec![
                    "--launch-type".into(),
                    lt.into(),
                    "--region".into(),
                    "eu-west-1".into(),
                ];
                if sub.starts_with("dockerrun") {
                    args.extend(["--dockerrun".into(), f.display().to_string()]);
                } else {
                    args.extend([
                        "--dockerrun".into(),
                        dockerrun_for_settings.display().to_string(),
                        "--settings".into(),
                        f.display().to_string(),
                    ]);
                }
                let (m, a) = common::convert_args(&args, "corpus").unwrap();
                out.push((
                    format!("{sub}/{} {lt}", f.file_name().unwrap().to_string_lossy()),
                    m,
                    a,
                ));
            }
        }
    }
    out
}

fn write_stack(
    dir: &Path,
    model: &MigrationModel,
    artefacts: &[Artefact],
    existing_cluster_variant: bool,
) {
    fs::create_dir_all(dir).unwrap();
    let cfn = artefacts
        .iter()
        .find(|a| a.name == "cloudformation.yaml")
        .expect("cloudformation.yaml is rendered");
    fs::write(dir.join("cloudformation.yaml"), &cfn.content).unwrap();
    let lb = model
        .environment
        .load_balancer
        .as_ref()
        .filter(|_| model.target.is_some());
    let expect = json!({
        "family": model.family,
        "containers": model.task_definition.container_definitions.iter().map(|c| json!([c.name, c.image])).collect::<Vec<_>>(),
        "health_check_path": lb.map(|l| l.health_check.path.clone()),
        "listener_ports": lb.map(|l| l.listeners.iter().map(|x| x.port).collect::<Vec<_>>()).unwrap_or_default(),
        "existing_cluster_variant": existing_cluster_variant,
    });
    fs::write(
        dir.join("expect.json"),
        serde_json::to_string_pretty(&expect).unwrap(),
    )
    .unwrap();
}

#[test]
fn stacks_lint_clean_and_create_in_moto() {
    let tmp = tempfile::tempdir().unwrap();
    let conversions = all_conversions();
    assert!(conversions.len() > 100, "{}", conversions.len());
    let mut dirs = Vec::new();
    let mut templates = Vec::new();
    for (i, (label, model, artefacts)) in conversions.iter().enumerate() {
        let dir = tmp.path().join(format!("{i:03}"));
        // Golden cases are also created on an existing cluster.
        write_stack(&dir, model, artefacts, label.starts_with("case "));
        fs::write(dir.join("label"), label).unwrap();
        templates.push(dir.join("cloudformation.yaml"));
        dirs.push(dir);
    }
    // cfn-lint: no errors. No warning is tolerated either: none is justified so far.
    let lint = std::process::Command::new(common::root().join(".venv/bin/cfn-lint"))
        .arg("--format")
        .arg("parseable")
        .args(&templates)
        .output()
        .expect("run cfn-lint (scripts/test installs it)");
    let text = String::from_utf8_lossy(&lint.stdout);
    assert!(
        lint.status.success() && text.trim().is_empty(),
        "cfn-lint findings:\n{text}{}",
        String::from_utf8_lossy(&lint.stderr)
    );
    let report = common::run_validator("moto_stack.py", &dirs);
    assert!(
        report.contains(&format!("moto_stack: {} stacks, 0 problems", dirs.len())),
        "{report}"
    );
}

fn walk<'a>(v: &'a Yaml, f: &mut dyn FnMut(&'a Yaml)) {
    f(v);
    match v {
        Yaml::Mapping(m) => m.values().for_each(|x| walk(x, f)),
        Yaml::Sequence(s) => s.iter().for_each(|x| walk(x, f)),
        Yaml::Tagged(t) => walk(&t.value, f),
        _ => {}
    }
}

fn strings(v: &Yaml) -> Vec<String> {
    let mut out = Vec::new();
    walk(v, &mut |x| {
        if let Yaml::String(s) = x {
            out.push(s.clone());
        }
    });
    out
}

/// No IAM wildcard for secrets, no wildcard action, no world-open ingress to the tasks.
#[test]
fn stacks_grant_least_privilege() {
    let mut checked_secret_statements = 0;
    for (label, _, artefacts) in all_conversions() {
        let cfn = &artefacts
            .iter()
            .find(|a| a.name == "cloudformation.yaml")
            .unwrap()
            .content;
        let doc: Yaml = serde_yaml_ng::from_str(cfn).unwrap();
        let resources = doc.get("Resources").and_then(Yaml::as_mapping).unwrap();
        for (id, res) in resources {
            let id = id.as_str().unwrap_or("");
            let ty = res.get("Type").and_then(Yaml::as_str).unwrap_or("");
            if ty == "AWS::IAM::Role" {
                let mut statements = Vec::new();
                walk(res, &mut |x| {
                    if let Some(Yaml::Sequence(s)) = x.get("Statement") {
                        statements.extend(s.iter());
                    }
                });
                for st in statements {
                    let actions = strings(st.get("Action").unwrap_or(&Yaml::Null));
                    assert!(
                        !actions.iter().any(|a| a == "*" || a.ends_with(":*")),
                        "{label}: {id} grants a wildcard action {actions:?}"
                    );
                    let secretish = actions.iter().any(|a| {
                        a.starts_with("ssm:")
                            || a.starts_with("secretsmanager:")
                            || a.starts_with("kms:")
                    });
                    if secretish {
                        checked_secret_statements += 1;
                        let res = strings(st.get("Resource").unwrap_or(&Yaml::Null));
                        assert!(
                            !res.is_empty(),
                            "{label}: {id} secret statement without resource"
                        );
                        assert!(
                            !res.iter().any(|r| r.contains('*')),
                            "{label}: {id} secret access with wildcard {res:?}"
                        );
                    }
                }
            }
            if id == "ServiceSecurityGroup" {
                let all = strings(res);
                assert!(
                    !all.iter().any(|s| s == "0.0.0.0/0" || s == "::/0"),
                    "{label}: tasks are open to the world"
                );
            }
        }
    }
    assert!(checked_secret_statements > 5, "the secret statements were not found ({checked_secret_statements}): the check checks nothing");
}
