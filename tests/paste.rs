//! Every command in CHECKLIST.md is safe to paste: hostile input values (an image with a command
//! substitution, an environment variable name that closes a quote, a health-check path that ends
//! a command) are run for real in bash, with `aws`, `docker` and `curl` replaced by stubs, and
//! none of the injected commands may run.

mod common;

use std::fs;
use std::path::Path;

/// A project whose values try to break out of the checklist's commands; each payload touches a
/// canary file in `canaries`.
fn hostile_project(dir: &Path, canaries: &Path) {
    let c = |n: u32| canaries.join(format!("pwn{n}")).display().to_string();
    let dockerrun = serde_json::json!({
        "AWSEBDockerrunVersion": 2,
        "containerDefinitions": [
            {"name": "web", "image": format!("evil.example.com/x:1`touch {}`", c(1)), "essential": true,
             "memory": 256, "portMappings": [{"hostPort": 80, "containerPort": 80}],
             // A name that closes a quote is refused now (tests/shell.rs); the canary stays.
             "environment": [{"name": "X_PASSWORD", "value": format!("hunter2'; touch {}; '", c(2))}]},
            {"name": "side", "image": format!("evil.example.com/y:$(touch {})", c(3)), "memory": 128}
        ]
    });
    fs::write(
        dir.join("Dockerrun.aws.json"),
        serde_json::to_string_pretty(&dockerrun).unwrap(),
    )
    .unwrap();
    fs::create_dir_all(dir.join(".ebextensions")).unwrap();
    fs::write(
        dir.join(".ebextensions/01.config"),
        format!(
            "option_settings:\n  aws:elasticbeanstalk:environment:process:default:\n    HealthCheckPath: \"/x;touch {}\"\n\
             container_commands:\n  \"01'; touch {}; '\":\n    command: \"echo $(touch {}) ' `touch {}`\"\n    cwd: \"/tmp'; touch {}; '\"\n    env:\n      V: \"'$(touch {})'\"\n    test: \"true '; touch {}\"\n    leader_only: true\n",
            c(4),
            c(5),
            c(6),
            c(7),
            c(8),
            c(9),
            c(10)
        ),
    )
    .unwrap();
}

/// The code spans of a Markdown text that start with a command the checklist uses.
fn commands(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = markdown;
    while let Some(start) = rest.find('`') {
        let fence_len = rest[start..].chars().take_while(|c| *c == '`').count();
        let fence = "`".repeat(fence_len);
        let body_start = start + fence_len;
        let Some(end) = rest[body_start..].find(&fence) else {
            break;
        };
        let body = rest[body_start..body_start + end].trim();
        let first = body.split_whitespace().next().unwrap_or("");
        // `CLUSTER=… && TASK_ARN=… && aws ecs wait …`: the one-off task's run-task steps.
        if ["aws", "docker", "curl", "read"].contains(&first) || first.starts_with("CLUSTER=") {
            out.push(body.to_string());
        }
        rest = &rest[body_start + end + fence_len..];
    }
    out
}

#[test]
fn hostile_values_never_run_when_the_checklist_is_pasted() {
    let tmp = tempfile::tempdir().unwrap();
    let (project, canaries, stubs) = (
        tmp.path().join("p"),
        tmp.path().join("c"),
        tmp.path().join("bin"),
    );
    for d in [&project, &canaries, &stubs] {
        fs::create_dir_all(d).unwrap();
    }
    hostile_project(&project, &canaries);
    let out = tmp.path().join("out");
    common::eb2ecs()
        .args(["convert", "--region", "eu-west-1", "--out"])
        .arg(&out)
        .arg(&project)
        .assert()
        .success();
    for tool in ["aws", "docker", "curl"] {
        let stub = stubs.join(tool);
        fs::write(&stub, "#!/bin/sh\necho stub\n").unwrap();
        std::process::Command::new("chmod")
            .arg("+x")
            .arg(&stub)
            .status()
            .unwrap();
    }
    let checklist = fs::read_to_string(out.join("CHECKLIST.md")).unwrap();
    let cmds = commands(&checklist);
    assert!(
        cmds.len() >= 8,
        "only {} commands found:\n{checklist}",
        cmds.len()
    );
    assert!(
        cmds.iter().any(|c| c.starts_with("CLUSTER=")),
        "the hostile container command has no run-task step:\n{checklist}"
    );
    for cmd in &cmds {
        let status = std::process::Command::new("bash")
            .arg("-c")
            .arg(cmd)
            .current_dir(&out)
            .env("PATH", format!("{}:/usr/bin:/bin", stubs.display()))
            .envs([
                ("VPC_ID", "vpc-1"),
                ("SUBNETS", "subnet-1"),
                ("LB_SUBNETS", "subnet-2"),
                ("EB_ENVIRONMENT", "e"),
            ])
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let _ = status;
    }
    let ran: Vec<String> = fs::read_dir(&canaries)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(
        ran.is_empty(),
        "pasting the checklist ran injected commands: {ran:?}\n{}",
        cmds.join("\n")
    );
}
