//! The schedules part of the stack (Terraform `schedules.tf`): the `SchedulesEnabled` parameter
//! every schedule's state follows (cron.yaml periodic tasks and cron jobs of EB's instances
//! alike, created disabled so nothing runs twice while EB is still up), and for each cron job an EventBridge Scheduler schedule that runs the
//! one-off task's latest revision with the job's command.

use super::context::Context;
use super::{resource, switch, trust, With};
use crate::infra::template::{Resource, Template};
use crate::model::MigrationModel;
use serde_json::{json, Value};

/// The schedules part of the stack.
pub(crate) struct CronCtx {
    /// The cron jobs' schedules (empty when only cron.yaml has schedules).
    pub(crate) jobs: Vec<JobCtx>,
    /// The one-off task's family (the schedules run its latest revision).
    pub(crate) family: String,
    /// The scheduler role's policy: run the one-off task, pass its roles.
    pub(crate) policy: Value,
}

/// One schedule of a cron job.
pub(crate) struct JobCtx {
    /// Logical id (`CronSchedule1`, `CronSchedule1B` for a second expression).
    pub(crate) id: String,
    pub(crate) description: String,
    pub(crate) expression: String,
    /// The RunTask overrides (JSON text): the job's command in the one-off container.
    pub(crate) input: String,
}

/// The schedules' context, when the stack has any schedule.
pub(crate) fn context(model: &MigrationModel) -> Option<CronCtx> {
    let worker = model
        .worker
        .as_ref()
        .is_some_and(|w| !w.periodic.is_empty());
    let one_off = model.one_off.as_ref();
    // The schedules' ids are the infrastructure model's (both formats print them).
    let container = one_off.map(|o| o.container.clone()).unwrap_or_default();
    let jobs: Vec<JobCtx> = crate::infra::cron_schedules(model)
        .into_iter()
        .map(|(id, j, expression)| JobCtx {
            id,
            description: format!("Cron job of EB's instances ({}): {}", j.source, j.schedule)
                .chars()
                .take(512)
                .collect(),
            expression,
            input: json!({"containerOverrides": [{"name": container, "command": j.command}]})
                .to_string(),
        })
        .collect();
    if jobs.is_empty() && !worker {
        return None;
    }
    let family = one_off.map(|o| o.family.clone()).unwrap_or_default();
    Some(CronCtx {
        policy: policy(&family),
        jobs,
        family,
    })
}

/// The scheduler role's policy: `ecs:RunTask` of the one-off family (any revision; the ARN
/// without one is what the schedule names) and `iam:PassRole` of the task's two roles.
fn policy(family: &str) -> Value {
    let td = format!(
        "arn:${{AWS::Partition}}:ecs:${{AWS::Region}}:${{AWS::AccountId}}:task-definition/{family}"
    );
    json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "RunOneOffTask", "Effect": "Allow", "Action": "ecs:RunTask",
         "Resource": [{"Fn::Sub": td.clone()}, {"Fn::Sub": format!("{td}:*")}]},
        {"Sid": "PassTaskRoles", "Effect": "Allow", "Action": "iam:PassRole",
         "Resource": [{"Fn::GetAtt": ["ExecutionRole", "Arn"]}, {"Fn::GetAtt": ["TaskRole", "Arn"]}]}
    ]})
}

/// `SchedulesEnabled`, when the stack has schedules.
pub(super) fn parameters(t: &mut Template, ctx: &Context) {
    if ctx.cron.is_some() {
        t.parameters.push(switch(
            "SchedulesEnabled",
            "Whether the schedules run (cron.yaml periodic tasks, cron jobs of EB's instances). Created disabled so nothing runs twice while EB is still up; set true at the cut-over (CHECKLIST.md)",
            "false",
        ));
    }
}

/// The scheduler's role and one schedule per expression of every cron job.
pub(super) fn add(t: &mut Template, ctx: &Context) {
    let Some(c) = ctx.cron.as_ref().filter(|c| !c.jobs.is_empty()) else {
        return;
    };
    t.resources.push(
        resource(
            "CronSchedulerRole",
            "AWS::IAM::Role",
            json!({
                "AssumeRolePolicyDocument": trust("scheduler.amazonaws.com", true),
                "Policies": [{"PolicyName": "run-cron-jobs", "PolicyDocument": c.policy}],
            }),
        )
        .note("Runs the one-off task with each cron job's command on its schedule: nothing else."),
    );
    for j in &c.jobs {
        t.resources.push(job(ctx, c, j));
    }
}

fn job(ctx: &Context, c: &CronCtx, j: &JobCtx) -> Resource {
    let mut ecs = json!({
        "TaskDefinitionArn": {"Fn::Sub": format!("arn:${{AWS::Partition}}:ecs:${{AWS::Region}}:${{AWS::AccountId}}:task-definition/{}", c.family)},
        "LaunchType": if ctx.fargate { "FARGATE" } else { "EC2" },
    });
    if ctx.network_mode == "awsvpc" {
        ecs["NetworkConfiguration"] = json!({"AwsvpcConfiguration": {
            "Subnets": {"Ref": "Subnets"},
            "SecurityGroups": [{"Ref": "ServiceSecurityGroup"}],
            "AssignPublicIp": {"Ref": "AssignPublicIp"},
        }});
    }
    resource(
        &j.id,
        "AWS::Scheduler::Schedule",
        json!({
            "Description": j.description,
            "ScheduleExpression": j.expression,
            "ScheduleExpressionTimezone": "UTC",
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "State": {"Fn::If": ["SchedulesEnabled", "ENABLED", "DISABLED"]},
            "Target": {
                "Arn": {"Fn::If": [
                    "CreateCluster",
                    {"Fn::GetAtt": ["Cluster", "Arn"]},
                    {"Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/${ExistingClusterName}"}
                ]},
                "RoleArn": {"Fn::GetAtt": ["CronSchedulerRole", "Arn"]},
                "Input": j.input,
                "EcsParameters": ecs,
            }
        }),
    )
    .after(&["OneOffTaskDefinition".to_string()])
    .note("A cron job of EB's instances: the one-off task's latest revision runs its command.")
}
