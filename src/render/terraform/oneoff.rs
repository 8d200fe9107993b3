//! `oneoff.tf`: the one-off task definition (`aws_ecs_task_definition.one_off`, the stack's
//! `OneOffTaskDefinition`) and the outputs `aws ecs run-task` reads, when EB ran commands at
//! deployment.

use super::hcl::{self, raw, s, Body};
use super::resource;
use crate::render::cloudformation::Context;

/// `oneoff.tf`.
pub const ONEOFF: &str = "terraform/oneoff.tf";

/// The file, when the conversion has a one-off task.
pub fn render(ctx: &Context) -> Option<(&'static str, String)> {
    let o = ctx.one_off.as_ref()?;
    let mut blocks = vec![(
        resource("aws_ecs_task_definition", "one_off"),
        super::ecs::task_definition_of(ctx, o),
    )];
    blocks.extend(outputs(ctx));
    Some((ONEOFF, hcl::file(blocks)))
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
