//! The task's two roles: the execution role (images, secrets, logs) and the task role (the
//! application's own permissions, ECS Exec's channels, the worker queue, EFS).

use super::context::Context;
use super::{resource, trust, With};
use crate::infra::template::Template;
use serde_json::{json, Value as Json};

/// `ExecutionRole` and `TaskRole`.
pub(super) fn add(t: &mut Template, ctx: &Context) {
    let mut execution = json!({
        "AssumeRolePolicyDocument": trust("ecs-tasks.amazonaws.com", true),
        "ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"}],
    });
    if let Some(p) = &ctx.execution_policy {
        execution["Policies"] = json!([{"PolicyName": "read-task-secrets", "PolicyDocument": p}]);
    }
    t.resources.push(
        resource("ExecutionRole", "AWS::IAM::Role", execution).note(
            "Pulls images, reads the task's secrets and writes its logs: exactly these secrets, no wildcard.",
        ),
    );
    let task = json!({
        "AssumeRolePolicyDocument": trust("ecs-tasks.amazonaws.com", true),
        "Policies": task_policies(ctx),
    });
    t.resources.push(resource("TaskRole", "AWS::IAM::Role", task).note(
        "The application's own AWS permissions: none until you grant what it uses (see CHECKLIST.md).",
    ));
}

/// The task role's inline policies: X-Ray, the worker queue, EFS, and ECS Exec's channels
/// while `EnableExecuteCommand` holds.
fn task_policies(ctx: &Context) -> Json {
    let mut policies = Vec::new();
    let mut named = |name: &str, doc: &Json| {
        policies.push(json!({"PolicyName": name, "PolicyDocument": doc}));
    };
    if let Some(p) = &ctx.task_policy {
        named("xray-write", p);
    }
    if let Some(w) = &ctx.worker {
        named("worker-queue", &w.task_policy);
    }
    if let Some(e) = &ctx.efs {
        named("efs-client", &e.policy);
    }
    policies.push(json!({"Fn::If": [
        "EnableExecuteCommand",
        {"PolicyName": "ecs-exec", "PolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "EcsExecChannels",
                "Effect": "Allow",
                "Action": [
                    "ssmmessages:CreateControlChannel",
                    "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel",
                    "ssmmessages:OpenDataChannel"
                ],
                "Resource": "*"
            }, {
                "Sid": "EcsExecSessionLogs",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                "Resource": {"Fn::GetAtt": ["LogGroup", "Arn"]}
            }, {
                "Sid": "EcsExecFindLogGroup",
                "Effect": "Allow",
                "Action": "logs:DescribeLogGroups",
                "Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*"}
            }]
        }},
        {"Ref": "AWS::NoValue"}
    ]}));
    policies.push(json!({"Fn::If": [
        "UseExecuteCommandKmsKey",
        {"PolicyName": "ecs-exec-kms", "PolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "EcsExecSessionKey",
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": {"Ref": "ExecuteCommandKmsKeyArn"}
            }]
        }},
        {"Ref": "AWS::NoValue"}
    ]}));
    Json::Array(policies)
}
