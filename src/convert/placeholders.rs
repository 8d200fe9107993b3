//! Findings for the values only the user can fill in: role, account, network and target group
//! placeholders in the plain JSON files.

use super::{Ctx, ACCOUNT_PLACEHOLDER};
use crate::codes;
use crate::finding::{Finding, Phase, Severity, Source};
use crate::load::dockerrun::Dockerrun;

/// Findings for the values only the user can fill in.
pub fn placeholders(ctx: &mut Ctx, run: &Dockerrun, has_target: bool, tg_arn: &str) {
    roles(ctx, run);
    account(ctx);
    service(ctx, has_target, tg_arn);
}

fn roles(ctx: &mut Ctx, run: &Dockerrun) {
    let (execution_role_arn, task_role_arn) = super::task::role_arns(ctx, run);
    for (key, arn) in [
        ("executionRoleArn", &run.execution_role_arn),
        ("taskRoleArn", &run.task_role_arn),
    ] {
        if let Some(arn) = arn {
            ctx.push(Finding::new(
                codes::ROLE_FROM_DOCKERRUN,
                Severity::Info,
                ctx.src(&format!("/{key}")),
                format!("task-definition.json keeps the Dockerrun's {key} {arn}; cloudformation.yaml creates its own role instead"),
                "Check that the role is still right for ECS (trusted by ecs-tasks.amazonaws.com), or use the stack's.",
            ).in_phase(Phase::Deploy));
        }
    }
    let cli = Source::new("task-definition.json", "");
    if run.execution_role_arn.is_none() {
        ctx.push(Finding::new(
            codes::ROLE_EXECUTION_PLACEHOLDER,
            Severity::Warning,
            cli.clone(),
            format!("executionRoleArn is the placeholder {execution_role_arn}"),
            "Create a role trusted by ecs-tasks.amazonaws.com with the AmazonECSTaskExecutionRolePolicy managed policy (plus read access to this task's secrets), and put its ARN here; the CloudFormation stack creates it for you.",
        ).in_phase(Phase::Deploy));
    }
    if run.task_role_arn.is_none() {
        ctx.push(Finding::new(
            codes::ROLE_TASK_PLACEHOLDER,
            Severity::Warning,
            cli,
            format!("taskRoleArn is the placeholder {task_role_arn}"),
            "Create a role trusted by ecs-tasks.amazonaws.com with only the AWS permissions the application uses (what the EB instance profile granted it), and put its ARN here.",
        ).in_phase(Phase::Deploy));
    }
}

fn account(ctx: &mut Ctx) {
    if ctx.account == ACCOUNT_PLACEHOLDER {
        ctx.push(
            Finding::new(
                codes::ACCOUNT_PLACEHOLDER,
                Severity::Warning,
                Source::new("command line", "--account-id"),
                format!("no account ID given; ARNs contain {ACCOUNT_PLACEHOLDER}"),
                "Run again with --account-id, or replace ACCOUNT_ID in the JSON files.",
            )
            .in_phase(Phase::Deploy),
        );
    }
}

fn service(ctx: &mut Ctx, has_target: bool, tg_arn: &str) {
    let fargate = ctx.launch_type == crate::model::LaunchType::Fargate;
    let svc = Source::new("service.json", "");
    if fargate {
        ctx.push(Finding::new(
            codes::SERVICE_NETWORK_PLACEHOLDER,
            Severity::Warning,
            svc.clone(),
            "subnets (subnet-REPLACE_ME) and security group (sg-REPLACE_ME) are placeholders",
            "Put the private subnets of the EB environment's VPC and a security group that admits the load balancer on the container port.",
        ).in_phase(Phase::Deploy));
    }
    if has_target {
        ctx.push(Finding::new(
            codes::SERVICE_TARGET_GROUP_PLACEHOLDER,
            Severity::Warning,
            svc,
            format!("targetGroupArn is the placeholder {tg_arn}"),
            format!(
                "Create a target group (target type {}) with the EB health check path, and put its ARN here; the CloudFormation stack creates it for you.",
                if fargate { "ip" } else { "instance" }
            ),
        ).in_phase(Phase::Deploy));
    }
}
