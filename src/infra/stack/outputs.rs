//! The stack's outputs: what the checklist and the deploy workflow read from the deployed stack.

use super::context::Context;
use super::{cluster_name, output};
use crate::infra::template::Template;
use serde_json::json;

/// Every output, in the stack's order.
pub(super) fn add(t: &mut Template, ctx: &Context) {
    let o = &mut t.outputs;
    if ctx.lb.is_some() {
        o.push(output(
            "LoadBalancerDNSName",
            Some("Point your DNS record here after the smoke test"),
            json!({"Fn::GetAtt": ["LoadBalancer", "DNSName"]}),
        ));
        o.push(output(
            "LoadBalancerCanonicalHostedZoneId",
            Some("Hosted zone of the load balancer, for a Route 53 alias record"),
            json!({"Fn::GetAtt": ["LoadBalancer", "CanonicalHostedZoneID"]}),
        ));
        o.push(output(
            "TargetGroupArn",
            Some("Target group of the service (aws elbv2 describe-target-health)"),
            json!({"Ref": "TargetGroup"}),
        ));
    }
    o.push(output("ClusterName", None, cluster_name()));
    o.push(output(
        "ServiceName",
        None,
        json!({"Fn::GetAtt": ["Service", "Name"]}),
    ));
    o.push(output("LogGroupName", None, json!({"Ref": "LogGroup"})));
    o.push(output(
        "TaskDefinitionArn",
        None,
        json!({"Ref": "TaskDefinition"}),
    ));
    if ctx.delivery.is_some() {
        o.push(output(
            "DeployRoleArn",
            Some("Repository variable AWS_DEPLOY_ROLE_ARN of the deploy workflow"),
            json!({"Fn::GetAtt": ["DeployRole", "Arn"]}),
        ));
        o.push(output(
            "ExecutionRoleArn",
            Some("Repository variable ECS_EXECUTION_ROLE_ARN of the deploy workflow"),
            json!({"Fn::GetAtt": ["ExecutionRole", "Arn"]}),
        ));
        o.push(output(
            "TaskRoleArn",
            Some("Repository variable ECS_TASK_ROLE_ARN of the deploy workflow"),
            json!({"Fn::GetAtt": ["TaskRole", "Arn"]}),
        ));
    }
    one_off(t, ctx);
    super::worker::outputs(t, ctx);
    // The group a database, cache or broker must admit (MANAGED-ENDPOINT-INGRESS names it).
    // Not named like the resource: moto (and some tools) mix output and resource ids.
    t.outputs.push(output(
        "ServiceSecurityGroupId",
        Some("Security group of the service's tasks (the source to admit in a database's or cache's security group)"),
        json!({"Ref": "ServiceSecurityGroup"}),
    ));
    if !ctx.database_params.is_empty() {
        t.outputs.push(output("DatabaseClientSecurityGroup", Some("Security group of the tasks, which the database's security group must admit (aws ec2 authorize-security-group-ingress)"), json!({"Ref": "ServiceSecurityGroup"})));
    }
}

/// What `aws ecs run-task` of the one-off task needs (its network on Fargate).
fn one_off(t: &mut Template, ctx: &Context) {
    if ctx.one_off.is_none() {
        return;
    }
    let o = &mut t.outputs;
    o.push(output(
        "OneOffTaskDefinitionArn",
        Some("The one-off task (aws ecs run-task --task-definition)"),
        json!({"Ref": "OneOffTaskDefinition"}),
    ));
    if ctx.fargate {
        o.push(output(
            "TaskSubnets",
            Some("Subnets of the tasks (aws ecs run-task --network-configuration)"),
            json!({"Fn::Join": [",", {"Ref": "Subnets"}]}),
        ));
        o.push(output(
            "TaskSecurityGroup",
            Some("Security group of the tasks (aws ecs run-task --network-configuration)"),
            json!({"Ref": "ServiceSecurityGroup"}),
        ));
        o.push(output(
            "TaskAssignPublicIp",
            Some("Whether the tasks get a public IP (aws ecs run-task --network-configuration)"),
            json!({"Ref": "AssignPublicIp"}),
        ));
    }
}
