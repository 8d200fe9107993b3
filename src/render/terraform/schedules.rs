//! `schedules.tf`: the `schedules_enabled` variable every schedule's state follows (the stack's
//! `SchedulesEnabled`: cron.yaml periodic tasks in `worker.tf` and the cron jobs here), and for
//! each cron job of EB's instances an `aws_scheduler_schedule` that runs the one-off task's
//! latest revision with the job's command, with the role it uses.

use super::hcl::{self, raw, s, Body, Expr};
use super::iam::{assume, inline, role};
use super::{data, resource};
use crate::render::cloudformation::Context;
use crate::render::cron::CronCtx;
use crate::render::names::snake;

/// `schedules.tf`.
pub const SCHEDULES: &str = "terraform/schedules.tf";

/// The state every schedule has: the variable decides.
pub const STATE: &str = "var.schedules_enabled ? \"ENABLED\" : \"DISABLED\"";

/// The file, when the module has schedules.
pub fn render(ctx: &Context) -> Option<(&'static str, String)> {
    let c = ctx.cron.as_ref()?;
    let mut blocks = vec![(
        "variable \"schedules_enabled\"".to_string(),
        Body::new()
            .attr("description", s("Whether the schedules run (cron.yaml periodic tasks, cron jobs of EB's instances). Created disabled so nothing runs twice while EB is still up; set true at the cut-over (CHECKLIST.md)"))
            .attr("type", raw("bool"))
            .attr("default", raw("false")),
    )];
    if !c.jobs.is_empty() {
        blocks.extend(role_blocks(c));
        blocks.extend(c.jobs.iter().map(|j| schedule(ctx, c, j)));
    }
    Some((SCHEDULES, hcl::file(blocks)))
}

/// The one-off family's ARN without a revision (the schedules run its latest revision).
fn family_arn(c: &CronCtx) -> String {
    format!("arn:${{data.aws_partition.current.partition}}:ecs:${{data.aws_region.current.name}}:${{data.aws_caller_identity.current.account_id}}:task-definition/{}", c.family)
}

/// The scheduler's role: run the one-off task, pass its two roles.
fn role_blocks(c: &CronCtx) -> Vec<(String, Body)> {
    let arn = family_arn(c);
    let statement = |sid: &str, action: &str, resources: Expr| {
        Body::new()
            .attr("sid", s(sid))
            .attr("effect", s("Allow"))
            .attr("actions", hcl::strs([action]))
            .attr("resources", resources)
    };
    // The ARN is an HCL template (its `${…}` are interpolations); the family is a plain name.
    let run = Expr::List(vec![raw(format!("\"{arn}\"")), raw(format!("\"{arn}:*\""))]);
    let pass = raw("[aws_iam_role.execution.arn, aws_iam_role.task.arn]");
    let document = Body::new()
        .block("statement", statement("RunOneOffTask", "ecs:RunTask", run))
        .blank()
        .block(
            "statement",
            statement("PassTaskRoles", "iam:PassRole", pass),
        );
    vec![
        (data("aws_iam_policy_document", "cron_scheduler_assume"), assume("scheduler.amazonaws.com", true)),
        (
            resource("aws_iam_role", "cron_scheduler"),
            Body::new()
                .comment("Runs the one-off task with each cron job's command on its schedule: nothing else.")
                .extend(role("cron", "cron_scheduler_assume")),
        ),
        (data("aws_iam_policy_document", "cron_run_task"), document),
        (
            resource("aws_iam_role_policy", "cron_scheduler"),
            inline("cron_scheduler", "run-cron-jobs", "cron_run_task"),
        ),
    ]
}

/// One cron job's schedule.
fn schedule(ctx: &Context, c: &CronCtx, j: &crate::render::cron::JobCtx) -> (String, Body) {
    let mut ecs = Body::new()
        .attr("task_definition_arn", raw(format!("\"{}\"", family_arn(c))))
        .attr(
            "launch_type",
            s(if ctx.fargate { "FARGATE" } else { "EC2" }),
        );
    if ctx.network_mode == "awsvpc" {
        let assign = if ctx.fargate {
            "var.assign_public_ip"
        } else {
            "false"
        };
        ecs = ecs.blank().block(
            "network_configuration",
            Body::new()
                .attr("subnets", raw("var.subnets"))
                .attr("security_groups", raw("[aws_security_group.service.id]"))
                .attr("assign_public_ip", raw(assign)),
        );
    }
    let cluster = "local.create_cluster ? aws_ecs_cluster.this[0].arn : \"arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:cluster/${var.existing_cluster_name}\"";
    let target = Body::new()
        .attr("arn", raw(cluster))
        .attr("role_arn", raw("aws_iam_role.cron_scheduler.arn"))
        .attr("input", s(&j.input))
        .blank()
        .block("ecs_parameters", ecs);
    let body = Body::new()
        .comment(
            "A cron job of EB's instances: the one-off task's latest revision runs its command.",
        )
        .attr("description", s(&j.description))
        .attr("schedule_expression", s(&j.expression))
        .attr("schedule_expression_timezone", s("UTC"))
        .attr("state", raw(STATE))
        .blank()
        .block("flexible_time_window", Body::new().attr("mode", s("OFF")))
        .blank()
        .block("target", target)
        .blank()
        .attr("depends_on", raw("[aws_ecs_task_definition.one_off]"));
    (resource("aws_scheduler_schedule", &snake(&j.id)), body)
}

/// The blocks of a stack resource this file prints (`None`: not one of its resources). Stub
/// until this file prints from the stack model; `mod.rs` renders the file from the context
/// meanwhile.
pub(super) fn print(
    m: &super::model::Module,
    r: &crate::infra::template::Resource,
) -> Option<crate::error::Result<Vec<(String, super::hcl::Body)>>> {
    let _ = (m, r);
    None
}
