//! The CloudFormation stack of every golden case and every corpus input (both launch types):
//! zero cfn-lint errors, CREATE_COMPLETE in a moto server on loopback with the resources read
//! back, and a security check of what the template grants.

mod common;

use common::Conversion;
use eb2ecs::render::names::param_name;
use serde_json::json;
use serde_yaml_ng::Value as Yaml;
use std::fs;
use std::path::Path;

/// Every conversion the stack tests cover: the golden cases, then every corpus file for both
/// launch types.
fn all_conversions() -> Vec<Conversion> {
    common::all_conversions(&[])
}

/// The content of the conversion's cloudformation.yaml.
fn template(c: &Conversion) -> &str {
    &c.artefacts
        .iter()
        .find(|a| a.name == "cloudformation.yaml")
        .expect("cloudformation.yaml is rendered")
        .content
}

/// The stack folder moto_stack.py reads: the template, what to expect of the created stack
/// (expect.json) and the conversion's label.
fn write_stack(dir: &Path, c: &Conversion, existing_cluster_variant: bool) {
    let model = &c.model;
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join("cloudformation.yaml"), template(c)).unwrap();
    fs::write(dir.join("label"), &c.label).unwrap();
    let lb = model
        .environment
        .load_balancer
        .as_ref()
        .filter(|_| model.target.is_some());
    let expect = json!({
        "family": model.family,
        // Image parameters have no default: moto_stack.py passes registry.example.com/<param>:test.
        "containers": model.task_definition.container_definitions.iter().map(|c| {
            let sidecar = model.worker.as_ref().filter(|w| w.sidecar == c.name && w.image.is_none());
            let image = if model.placeholder_images.iter().any(|(n, _)| n == &c.name) {
                format!("registry.example.com/{}:test", param_name(&c.name).to_lowercase())
            } else if sidecar.is_some() {
                // SqsdImage has no default unless --sqsd-image named one.
                "registry.example.com/sqsdimage:test".to_string()
            } else {
                c.image.clone()
            };
            json!([c.name, image])
        }).collect::<Vec<_>>(),
        // The model's path, or what the case's --overrides patch replaced it with.
        "health_check_path": lb.map(|l| {
            if c.label == "case stack-overrides" {
                "/healthz".to_string() // testdata/cases/stack-overrides/overrides.yaml
            } else {
                l.health_check.path.clone()
            }
        }),
        "listener_ports": lb.map(|l| l.listeners.iter().map(|x| x.port).collect::<Vec<_>>()).unwrap_or_default(),
        "existing_cluster_variant": existing_cluster_variant,
        "one_off": model.one_off.as_ref().map(|o| {
            let image = &o.task_definition.container_definitions[0].image;
            let image = if model.placeholder_images.iter().any(|(n, _)| n == &o.container) {
                format!("registry.example.com/{}:test", param_name(&o.container).to_lowercase())
            } else {
                image.clone()
            };
            json!({
                "family": o.family,
                "container": [o.container, image],
                "awsvpc": o.task_definition.network_mode == "awsvpc",
            })
        }),
    });
    fs::write(
        dir.join("expect.json"),
        serde_json::to_string_pretty(&expect).unwrap(),
    )
    .unwrap();
}

#[test]
fn stacks_lint_clean_and_create_in_moto() {
    if !common::external("cfn-lint and moto (.venv)") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let conversions = all_conversions();
    assert!(conversions.len() > 100, "{}", conversions.len());
    let mut dirs = Vec::new();
    let mut templates = Vec::new();
    for (i, c) in conversions.iter().enumerate() {
        let dir = tmp.path().join(format!("{i:03}"));
        // Golden cases are also created on an existing cluster.
        write_stack(&dir, c, c.label.starts_with("case "));
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

/// Our own rules (tests/validators/rules_*.py) over every conversion: what the validators above
/// cannot see about how ECS, IAM and ELB behave on a real deployment.
#[test]
fn every_conversion_follows_our_rules() {
    if !common::external("the rules in Python (.venv)") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let conversions = all_conversions();
    let mut dirs = Vec::new();
    for (i, c) in conversions.iter().enumerate() {
        let dir = tmp.path().join(format!("{i:03}"));
        common::write_artefacts(&dir, &c.artefacts);
        fs::write(dir.join("label"), &c.label).unwrap();
        dirs.push(dir);
    }
    let report = common::run_validator("rules.py", &dirs);
    assert!(
        report.contains(&format!("rules: {} conversions,", dirs.len()))
            && report.contains(" 0 problems"),
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

/// The statements of an IAM role: no wildcard action, and secret access (SSM, Secrets Manager,
/// KMS) only to named resources. Returns how many statements give secret access.
fn check_role(label: &str, id: &str, role: &Yaml) -> usize {
    let mut statements = Vec::new();
    walk(role, &mut |x| {
        if let Some(Yaml::Sequence(s)) = x.get("Statement") {
            statements.extend(s.iter());
        }
    });
    let mut secret_statements = 0;
    for st in statements {
        let actions = strings(st.get("Action").unwrap_or(&Yaml::Null));
        assert!(
            !actions.iter().any(|a| a == "*" || a.ends_with(":*")),
            "{label}: {id} grants a wildcard action {actions:?}"
        );
        let secretish = actions.iter().any(|a| {
            a.starts_with("ssm:") || a.starts_with("secretsmanager:") || a.starts_with("kms:")
        });
        if secretish {
            secret_statements += 1;
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
    secret_statements
}

/// No IAM wildcard for secrets, no wildcard action, no world-open ingress to the tasks.
#[test]
fn stacks_grant_least_privilege() {
    let mut checked_secret_statements = 0;
    for c in all_conversions() {
        let doc: Yaml = serde_yaml_ng::from_str(template(&c)).unwrap();
        let resources = doc.get("Resources").and_then(Yaml::as_mapping).unwrap();
        for (id, res) in resources {
            let id = id.as_str().unwrap_or("");
            if res.get("Type").and_then(Yaml::as_str) == Some("AWS::IAM::Role") {
                checked_secret_statements += check_role(&c.label, id, res);
            }
            if id == "ServiceSecurityGroup" {
                let all = strings(res);
                assert!(
                    !all.iter().any(|s| s == "0.0.0.0/0" || s == "::/0"),
                    "{}: tasks are open to the world",
                    c.label
                );
            }
        }
    }
    assert!(checked_secret_statements > 5, "the secret statements were not found ({checked_secret_statements}): the check checks nothing");
}

/// Every conversion's ECS JSON (task definition, service, one-off task definition) passes
/// botocore's parameter validation: the golden cases and the platforms corpus too.
#[test]
fn every_ecs_json_passes_botocore() {
    if !common::external("botocore (.venv)") {
        return;
    }
    common::assert_ecs_valid(&all_conversions());
}
