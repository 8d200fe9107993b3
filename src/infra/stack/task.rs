//! The service's task definition (and the one-off task's, which has the same shape).

use super::context::{Context, TaskCtx};
use super::{resource, With};
use crate::infra::template::{Resource, Template};
use serde_json::json;

/// `TaskDefinition`. Its containers move from the context into the resource: a task of many
/// containers is not held twice.
pub(super) fn add(t: &mut Template, ctx: &mut Context) {
    let containers = std::mem::take(&mut ctx.task.containers);
    t.resources
        .push(definition("TaskDefinition", ctx, &ctx.task, containers));
}

/// A task definition of the stack: its own family, size, containers and volumes; the stack's
/// roles, network mode and platform. Without a `Ref` to the log group in its containers it
/// waits for it explicitly.
pub(super) fn definition(
    id: &str,
    ctx: &Context,
    task: &TaskCtx,
    containers: serde_json::Value,
) -> Resource {
    let compatibility = if ctx.fargate { "FARGATE" } else { "EC2" };
    let mut p = json!({
        "Family": task.family,
        "NetworkMode": ctx.network_mode,
        "RequiresCompatibilities": [compatibility],
    });
    if let Some(cpu) = task.cpu.as_ref().filter(|c| !c.is_empty()) {
        p["Cpu"] = json!(cpu);
    }
    if let Some(memory) = task.memory.as_ref().filter(|m| !m.is_empty()) {
        p["Memory"] = json!(memory);
    }
    if ctx.fargate {
        p["RuntimePlatform"] = json!({
            "OperatingSystemFamily": "LINUX",
            "CpuArchitecture": ctx.cpu_architecture,
        });
    }
    p["ExecutionRoleArn"] = json!({"Fn::GetAtt": ["ExecutionRole", "Arn"]});
    p["TaskRoleArn"] = json!({"Fn::GetAtt": ["TaskRole", "Arn"]});
    p["ContainerDefinitions"] = containers;
    p["Volumes"] = task.volumes.clone();
    let r = resource(id, "AWS::ECS::TaskDefinition", p);
    if task.logs_ref {
        r
    } else {
        r.after(&["LogGroup".to_string()])
    }
}
