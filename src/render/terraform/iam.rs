//! `iam.rs`: the execution role (pull, logs, exactly the task's secrets) and the task role
//! (X-Ray, ECS Exec), with `aws_iam_policy_document` data sources built from the stack's
//! policy documents.

use super::hcl::{self, raw, s, Body, Expr};
use super::{cfn, data, resource};
use crate::render::cloudformation::Context;
use serde_json::Value;

/// A JSON value that may be one item or a list, as a list.
fn many(v: &Value) -> Expr {
    match v {
        Value::Array(_) => cfn(v),
        other => Expr::List(vec![cfn(other)]),
    }
}

/// An `aws_iam_policy_document` body from a stack policy document.
pub(super) fn document(policy: &Value) -> Body {
    let mut b = Body::new();
    for (i, st) in policy["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        if i > 0 {
            b = b.blank();
        }
        let statement = Body::new()
            .attr_opt("sid", st["Sid"].as_str().map(s))
            .attr("effect", s(st["Effect"].as_str().unwrap_or("Allow")))
            .attr("actions", many(&st["Action"]))
            .attr("resources", many(&st["Resource"]));
        b = b.block("statement", statement);
    }
    b
}

/// Who may assume a role: a service, for this account only when `account_condition`.
pub(super) fn assume(service: &str, account_condition: bool) -> Body {
    let mut st = Body::new()
        .attr("effect", s("Allow"))
        .attr("actions", hcl::strs(["sts:AssumeRole"]))
        .blank()
        .block(
            "principals",
            Body::new()
                .attr("type", s("Service"))
                .attr("identifiers", hcl::strs([service])),
        );
    if account_condition {
        st = st.blank().block(
            "condition",
            Body::new()
                .attr("test", s("StringEquals"))
                .attr("variable", s("aws:SourceAccount"))
                .attr(
                    "values",
                    raw("[data.aws_caller_identity.current.account_id]"),
                ),
        );
    }
    Body::new().block("statement", st)
}

/// A role with an assume-role document and a description.
pub(super) fn role(description: &str, document: &str) -> Body {
    Body::new()
        .attr(
            "name_prefix",
            raw(format!("\"${{substr(var.name, 0, 20)}}-{description}-\"")),
        )
        .attr(
            "assume_role_policy",
            raw(format!("data.aws_iam_policy_document.{document}.json")),
        )
}

/// An inline policy of a role from a policy document data source.
pub(super) fn inline(role: &str, name: &str, document: &str) -> Body {
    Body::new()
        .attr("name", s(name))
        .attr("role", raw(format!("aws_iam_role.{role}.id")))
        .attr(
            "policy",
            raw(format!("data.aws_iam_policy_document.{document}.json")),
        )
}

/// A managed policy of a role.
pub(super) fn attachment(role: &str, policy: &str) -> Body {
    Body::new()
        .attr("role", raw(format!("aws_iam_role.{role}.name")))
        .attr(
            "policy_arn",
            raw(format!(
                "\"arn:${{data.aws_partition.current.partition}}:iam::aws:policy/{policy}\""
            )),
        )
}

fn ecs_exec() -> Body {
    let st = Body::new()
        .attr("sid", s("EcsExecChannels"))
        .attr("effect", s("Allow"))
        .attr(
            "actions",
            hcl::strs([
                "ssmmessages:CreateControlChannel",
                "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel",
                "ssmmessages:OpenDataChannel",
            ]),
        )
        .attr("resources", hcl::strs(["*"]));
    Body::new().block("statement", st)
}

/// `iam.tf`.
pub fn render(ctx: &Context) -> String {
    let mut blocks = vec![
        (data("aws_iam_policy_document", "ecs_tasks_assume"), assume("ecs-tasks.amazonaws.com", true)),
        (
            resource("aws_iam_role", "execution"),
            Body::new()
                .comment("Pulls images, reads the task's secrets and writes its logs: exactly these secrets, no wildcard.")
                .extend(role("exec", "ecs_tasks_assume")),
        ),
        (
            resource("aws_iam_role_policy_attachment", "execution"),
            attachment("execution", "service-role/AmazonECSTaskExecutionRolePolicy"),
        ),
    ];
    if let Some(p) = &ctx.execution_policy {
        blocks.push((
            data("aws_iam_policy_document", "execution_secrets"),
            document(p),
        ));
        blocks.push((
            resource("aws_iam_role_policy", "execution_secrets"),
            inline("execution", "read-task-secrets", "execution_secrets"),
        ));
    }
    blocks.push((
        resource("aws_iam_role", "task"),
        Body::new()
            .comment("The application's own AWS permissions: none until you grant what it uses (see CHECKLIST.md).")
            .extend(role("task", "ecs_tasks_assume")),
    ));
    if let Some(p) = &ctx.task_policy {
        blocks.push((data("aws_iam_policy_document", "xray"), document(p)));
        blocks.push((
            resource("aws_iam_role_policy", "task_xray"),
            inline("task", "xray-write", "xray"),
        ));
    }
    if ctx.efs.is_some() {
        blocks.push((data("aws_iam_policy_document", "efs_client"), efs_client()));
        blocks.push((
            resource("aws_iam_role_policy", "task_efs_client"),
            inline("task", "efs-client", "efs_client"),
        ));
    }
    blocks.push((data("aws_iam_policy_document", "ecs_exec"), ecs_exec()));
    blocks.push((
        resource("aws_iam_role_policy", "task_ecs_exec"),
        Body::new()
            .attr("count", raw("var.enable_execute_command ? 1 : 0"))
            .extend(inline("task", "ecs-exec", "ecs_exec")),
    ));
    hcl::file(blocks)
}

/// The task role mounts and writes the EFS file system, through its mount targets only (the
/// stack's `efs-client` policy).
fn efs_client() -> Body {
    let arn = "\"arn:${data.aws_partition.current.partition}:elasticfilesystem:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:file-system/${var.efs_file_system_id}\"";
    let statement = Body::new()
        .attr("sid", s("EfsClientMountWrite"))
        .attr("effect", s("Allow"))
        .attr(
            "actions",
            hcl::strs([
                "elasticfilesystem:ClientMount",
                "elasticfilesystem:ClientWrite",
            ]),
        )
        .attr("resources", Expr::List(vec![raw(arn)]))
        .blank()
        .block(
            "condition",
            Body::new()
                .attr("test", s("Bool"))
                .attr("variable", s("elasticfilesystem:AccessedViaMountTarget"))
                .attr("values", hcl::strs(["true"])),
        );
    Body::new().block("statement", statement)
}
