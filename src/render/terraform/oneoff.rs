//! `oneoff.tf`: the one-off task definition (`aws_ecs_task_definition.one_off`, the stack's
//! `OneOffTaskDefinition`) and the outputs `aws ecs run-task` reads, when EB ran commands at
//! deployment.

use super::hcl::{self, raw, s, Body, Expr};
use super::{cfn, resource};
use crate::render::cloudformation::{Context, OneOffCtx};

/// `oneoff.tf`.
pub const ONEOFF: &str = "terraform/oneoff.tf";

/// The file, when the conversion has a one-off task.
pub fn render(ctx: &Context) -> Option<(&'static str, String)> {
    let o = ctx.one_off.as_ref()?;
    let mut blocks = vec![(
        resource("aws_ecs_task_definition", "one_off"),
        task_definition(ctx, o),
    )];
    blocks.extend(outputs(ctx));
    Some((ONEOFF, hcl::file(blocks)))
}

/// The task definition, as the service's but with the one-off container, family and size.
fn task_definition(ctx: &Context, o: &OneOffCtx) -> Body {
    let compat = if ctx.fargate { "FARGATE" } else { "EC2" };
    let mut b = Body::new()
        .attr("family", s(&o.family))
        .attr("network_mode", s(&ctx.network_mode))
        .attr("requires_compatibilities", hcl::strs([compat]))
        .attr_opt("cpu", o.cpu.clone().map(s))
        .attr_opt("memory", o.memory.clone().map(s))
        .attr("execution_role_arn", raw("aws_iam_role.execution.arn"))
        .attr("task_role_arn", raw("aws_iam_role.task.arn"))
        .attr(
            "container_definitions",
            Expr::Call("jsonencode", Box::new(cfn(&o.containers_api))),
        );
    if ctx.fargate {
        b = b.blank().block(
            "runtime_platform",
            Body::new()
                .attr("operating_system_family", s("LINUX"))
                .attr("cpu_architecture", s(&ctx.cpu_architecture)),
        );
    }
    for v in o.volumes.as_array().into_iter().flatten() {
        let mut vb = Body::new().attr("name", s(v["Name"].as_str().unwrap_or("")));
        if let Some(p) = v.pointer("/Host/SourcePath").and_then(|p| p.as_str()) {
            vb = vb.attr("host_path", s(p));
        }
        b = b.blank().block("volume", vb);
    }
    if !o.logs_ref {
        b = b
            .blank()
            .attr("depends_on", raw("[aws_cloudwatch_log_group.this]"));
    }
    b
}

/// The outputs the checklist's `aws ecs run-task` reads (the stack's, snake_case).
fn outputs(ctx: &Context) -> Vec<(String, Body)> {
    let out = |name: &str, desc: &str, value: &str| {
        (
            format!("output \"{name}\""),
            Body::new()
                .attr("description", s(desc))
                .attr("value", raw(value)),
        )
    };
    let mut blocks = vec![out(
        "one_off_task_definition_arn",
        "The one-off task (aws ecs run-task --task-definition)",
        "aws_ecs_task_definition.one_off.arn",
    )];
    if ctx.fargate {
        blocks.push(out(
            "task_subnets",
            "Subnets of the tasks (aws ecs run-task --network-configuration)",
            "join(\",\", var.subnets)",
        ));
        blocks.push(out(
            "task_security_group",
            "Security group of the tasks (aws ecs run-task --network-configuration)",
            "aws_security_group.service.id",
        ));
        blocks.push(out(
            "task_assign_public_ip",
            "Whether the tasks get a public IP (aws ecs run-task --network-configuration)",
            "var.assign_public_ip ? \"ENABLED\" : \"DISABLED\"",
        ));
    }
    blocks
}
