//! The checklist's one-off steps: for each command EB ran at deployment, the exact
//! `aws ecs run-task` of the one-off task (network configuration and ARNs read from the
//! deployed stack's or Terraform module's outputs), the wait until it stops and the check of
//! its exit code. Every value is shell-quoted.

use super::checklist::output;
use super::Format;
use crate::model::{LaunchType, MigrationModel, OneOff, OneOffCommand};
use crate::text::{code, escape, sh};
use serde_json::json;

/// The Deploy phase's one-off items (none without a one-off task), as checklist texts.
pub fn steps(m: &MigrationModel, format: Format) -> Vec<String> {
    let Some(o) = &m.one_off else {
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
        "aws ecs run-task --region {r} --cluster \"$CLUSTER\" --task-definition {} --launch-type {}{} --overrides {} --query 'tasks[0].taskArn' --output text",
        output(m, format, "OneOffTaskDefinitionArn"),
        m.launch_type.api_name(),
        network(m, format),
        sh(&overrides.to_string())
    );
    let check = format!(
        "aws ecs describe-tasks --region {r} --cluster \"$CLUSTER\" --tasks \"$TASK_ARN\" --query {} --output text | grep -qx 0 && echo {}",
        sh(&format!("tasks[0].containers[?name=='{}'].exitCode | [0]", o.container)),
        sh(&format!("{}: exit code 0", c.name))
    );
    let line = format!(
        "CLUSTER={} && TASK_ARN=\"$({run})\" && aws ecs wait tasks-stopped --region {r} --cluster \"$CLUSTER\" --tasks \"$TASK_ARN\" && {check}",
        output(m, format, "ClusterName")
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
