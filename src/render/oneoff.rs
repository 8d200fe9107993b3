//! The checklist's one-off steps: for each command EB ran at deployment, the exact
//! `aws ecs run-task` of the one-off task (network configuration and ARNs read from the
//! deployed stack's or Terraform module's outputs), the wait until it stops and the check of
//! its exit code. Every value is shell-quoted.

use super::names::output;
use super::Format;
use crate::model::{LaunchType, MigrationModel, OneOff, OneOffCommand};
use crate::text::{code, escape, sh};
use serde_json::json;

/// The Deploy phase's one-off items (none without a one-off task), as checklist texts.
pub fn steps(m: &MigrationModel, format: Format) -> Vec<String> {
    let Some(o) = m.one_off.as_ref().filter(|o| !o.commands.is_empty()) else {
        // No one-off task, or one only the schedules use.
        return Vec::new();
    };
    let mut items = vec![format!(
        "Run what EB ran at each deployment as one-off tasks of {} ({} command(s), in this order, each only after the one before succeeded): now, once the stack is up, and on every later deployment before the service takes the new image. Without the stack, register it first: {}, and pass {} as the task definition.",
        code(&o.family),
        o.commands.len(),
        code(&format!(
            "aws ecs register-task-definition --region {} --cli-input-json file://{}",
            sh(&m.region),
            super::ONEOFF_TASK_DEFINITION
        )),
        code(&o.family)
    )];
    items.extend(o.commands.iter().map(|c| run_item(m, format, o, c)));
    items
}

/// One command: run the task with the command override, wait for it to stop, check the exit
/// code of its container.
fn run_item(m: &MigrationModel, format: Format, o: &OneOff, c: &OneOffCommand) -> String {
    let r = sh(&m.region);
    let overrides = json!({"containerOverrides": [{"name": o.container, "command": c.command}]});
    let run = format!(
        "aws ecs run-task --region {r} --cluster \"$CLUSTER\" --task-definition {}{}{} --overrides {} --query 'tasks[0].taskArn' --output text",
        output(m, format, "OneOffTaskDefinitionArn"),
        placement(m),
        network(m, format),
        sh(&overrides.to_string())
    );
    let check = format!(
        "aws ecs describe-tasks --region {r} --cluster \"$CLUSTER\" --tasks \"$TASK_ARN\" --query {} --output text | grep -qx 0 && echo {}",
        sh(&format!("tasks[0].containers[?name=='{}'].exitCode | [0]", o.container)),
        sh(&format!("{}: exit code 0", c.name))
    );
    let line = format!(
        "CLUSTER={} && TASK_ARN=\"$({run})\" && {} && {check}",
        output(m, format, "ClusterName"),
        wait_stopped(&r)
    );
    let mut what = vec![format!("from {}", escape(&c.source.to_string()))];
    if c.leader_only {
        what.push("`leader_only`: once per deployment, as on EB".to_string());
    }
    if c.ignore_errors {
        what.push("EB went on when it failed (`ignoreErrors`)".to_string());
    }
    format!("{} ({}): {}", code(&c.name), what.join("; "), code(&line))
}

/// How ECS places the task: `--launch-type FARGATE`; on EC2 no launch type, so the cluster's
/// default capacity provider strategy (the stack's capacity provider, as the service uses)
/// places it and scales the instances out for it, where `--launch-type EC2` would bypass it.
fn placement(m: &MigrationModel) -> String {
    match m.launch_type {
        LaunchType::Fargate => " --launch-type FARGATE".to_string(),
        LaunchType::Ec2 => String::new(),
    }
}

/// Minutes the checklist waits for a one-off task to stop (`aws ecs wait tasks-stopped` gives
/// up after 10, which a migration can outlast).
pub const ONE_OFF_WAIT_MINUTES: u32 = 60;

/// Poll the task every 15 s while ECS reports it on its way (`PROVISIONING` … `STOPPING`), at
/// most [`ONE_OFF_WAIT_MINUTES`]; then say so (the exit-code check that follows fails on a
/// task still running). Any other answer (`STOPPED`, an error) ends the wait at once.
fn wait_stopped(r: &str) -> String {
    format!(
        "n=0 && while case \"$(aws ecs describe-tasks --region {r} --cluster \"$CLUSTER\" --tasks \"$TASK_ARN\" --query 'tasks[0].lastStatus' --output text)\" in PROVISIONING|PENDING|ACTIVATING|RUNNING|DEACTIVATING|STOPPING|DEPROVISIONING) true ;; *) false ;; esac; do if [ \"$n\" -ge {} ]; then echo 'still running after {ONE_OFF_WAIT_MINUTES} minutes; stopped waiting' >&2; break; fi; n=$((n + 1)); sleep 15; done",
        ONE_OFF_WAIT_MINUTES * 4
    )
}

/// `--network-configuration` when the task has its own network interface (awsvpc): the
/// service's subnets, security group and public IP setting, from the outputs.
fn network(m: &MigrationModel, format: Format) -> String {
    if m.task_definition.network_mode != "awsvpc" {
        return String::new();
    }
    let public = if m.launch_type == LaunchType::Fargate {
        format!(
            ",assignPublicIp='{}'",
            output(m, format, "TaskAssignPublicIp")
        )
    } else {
        String::new()
    };
    format!(
        " --network-configuration 'awsvpcConfiguration={{subnets=['{}'],securityGroups=['{}']{public}}}'",
        output(m, format, "TaskSubnets"),
        output(m, format, "TaskSecurityGroup"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::dockerrun::{Dockerrun, EbContainer};
    use crate::load::settings::{CommandText, EbCommand, Layer, SettingsDoc};
    use std::path::Path;

    /// A one-container project whose one container command is `text` (with `cwd`, `env`).
    fn model(text: &str, launch_type: LaunchType) -> MigrationModel {
        let container = EbContainer {
            name: "app".into(),
            image: Some("shop/app:1".into()),
            essential: true,
            ..Default::default()
        };
        let command = EbCommand {
            name: "01 it's".into(),
            command: Some(CommandText::Shell(text.into())),
            cwd: Some("/srv/a b".into()),
            env: vec![("V".into(), "$(x) 'y'".into())],
            test: None,
            ignore_errors: false,
            leader_only: true,
            unknown: vec![],
        };
        let inputs = crate::load::Inputs {
            project_name: "shop".into(),
            display: "Dockerrun.aws.json".into(),
            dockerrun: Dockerrun::single("Dockerrun.aws.json", container),
            dockerrun_findings: vec![],
            settings: vec![SettingsDoc {
                file: ".ebextensions/a.config".into(),
                layer: Layer::Ebextensions,
                container_commands: vec![command],
                ..Default::default()
            }],
            files: vec![],
            region: Some("eu-west-1".into()),
            skipped: vec![],
            platform: None,
            platform_choice: None,
            env_reads: Vec::new(),
            eb_cli: Default::default(),
        };
        crate::convert::convert(
            &inputs,
            &crate::convert::tests_support::options(launch_type),
        )
    }

    /// A stub `aws`: stack outputs by key, run-task records its arguments, describe-tasks
    /// answers exit code 0.
    fn stub(dir: &Path) {
        let script = r#"#!/bin/sh
case "$*" in
  *"OutputKey=='TaskSubnets'"*) echo subnet-1,subnet-2 ;;
  *"OutputKey=='TaskSecurityGroup'"*) echo sg-1 ;;
  *"OutputKey=='TaskAssignPublicIp'"*) echo ENABLED ;;
  *"OutputKey=='ClusterName'"*) echo the-cluster ;;
  *"OutputKey=='OneOffTaskDefinitionArn'"*) echo td-arn ;;
  "ecs run-task"*) for a; do printf '%s\n' "$a"; done > "$(dirname "$0")/run-task.args"; echo task-arn ;;
  "ecs describe-tasks"*lastStatus*) f="$(dirname "$0")/polls"; echo x >> "$f"
    if [ "$(wc -l < "$f")" -lt 3 ]; then echo RUNNING; else echo STOPPED; fi ;;
  "ecs describe-tasks"*) echo 0 ;;
esac
"#;
        std::fs::write(dir.join("aws"), script).unwrap();
        // The wait polls every 15 s: a `sleep` that returns at once.
        std::fs::write(dir.join("sleep"), "#!/bin/sh\n").unwrap();
        for tool in ["aws", "sleep"] {
            std::process::Command::new("chmod")
                .arg("+x")
                .arg(dir.join(tool))
                .status()
                .unwrap();
        }
    }

    /// The step, pasted into bash, passes the command to ECS exactly as the model has it, with
    /// the outputs in the network configuration, and reports success.
    #[test]
    fn the_pasted_step_runs_the_exact_command() {
        let text = "echo \"$HOME\" '$(touch /tmp/x)' `id` \\\n && printf '%s\\n' \"a'b\"";
        for launch_type in [LaunchType::Fargate, LaunchType::Ec2] {
            let m = model(text, launch_type);
            let o = m.one_off.as_ref().unwrap();
            let steps = steps(&m, Format::Cloudformation);
            assert_eq!(steps.len(), 2, "{steps:?}");
            let fence = "`".repeat(steps[1].len() - steps[1].trim_end_matches('`').len());
            let (_, span) = steps[1].rsplit_once(&format!(": {fence}")).unwrap();
            let line = span.strip_suffix(fence.as_str()).unwrap().trim();
            let dir = tempfile::tempdir().unwrap();
            stub(dir.path());
            let out = std::process::Command::new("bash")
                .arg("-c")
                .arg(line)
                .env("PATH", format!("{}:/usr/bin:/bin", dir.path().display()))
                .output()
                .unwrap();
            assert_eq!(
                String::from_utf8_lossy(&out.stdout),
                "01 it's: exit code 0\n"
            );
            let args = std::fs::read_to_string(dir.path().join("run-task.args")).unwrap();
            let args: Vec<&str> = args.lines().collect();
            let after = |flag: &str| args.iter().position(|a| *a == flag).map(|i| args[i + 1]);
            assert_eq!(after("--cluster"), Some("the-cluster"));
            assert_eq!(after("--task-definition"), Some("td-arn"));
            // On EC2 the cluster's capacity provider places the task (no --launch-type EC2).
            let want_launch = (launch_type == LaunchType::Fargate).then_some("FARGATE");
            assert_eq!(after("--launch-type"), want_launch);
            // No `aws ecs wait tasks-stopped` (it gives up after 10 minutes): a bounded poll.
            assert!(!line.contains("wait tasks-stopped"), "{line}");
            assert!(
                line.contains("-ge 240") && line.contains("60 minutes"),
                "{line}"
            );
            // It polled until the task stopped: RUNNING twice, then STOPPED.
            let polls = std::fs::read_to_string(dir.path().join("polls")).unwrap();
            assert_eq!(polls.lines().count(), 3);
            let net = "awsvpcConfiguration={subnets=[subnet-1,subnet-2],securityGroups=[sg-1],assignPublicIp=ENABLED}";
            let want_net = (launch_type == LaunchType::Fargate).then_some(net);
            assert_eq!(after("--network-configuration"), want_net);
            // The overrides JSON spans lines of the args file only if it had newlines: it has not.
            let overrides: serde_json::Value =
                serde_json::from_str(after("--overrides").unwrap()).unwrap();
            let got = &overrides["containerOverrides"][0];
            assert_eq!(got["name"], "app");
            assert_eq!(got["command"], serde_json::json!(o.commands[0].command));
            assert!(o.commands[0].command[2].contains(text));
        }
    }
}
