//! The ECS service: where it runs (Fargate, or the stack's / an existing cluster's capacity),
//! how it deploys, and the load balancer's target.

use super::context::Context;
use super::{cluster_name, resource, With};
use crate::infra::template::Template;
use serde_json::{json, Value as Json};

/// `Service`.
pub(super) fn add(t: &mut Template, ctx: &Context) {
    let mut p = json!({
        "Cluster": cluster_name(),
        "TaskDefinition": if ctx.delivery.is_some() {
            // The deploy workflow owns the revisions after the first (infra/stack/delivery.rs).
            json!({"Fn::If": ["UseStackTaskDefinition", {"Ref": "TaskDefinition"},
                {"Ref": super::delivery::DEPLOYED_TASK_DEFINITION}]})
        } else {
            json!({"Ref": "TaskDefinition"})
        },
        "EnableExecuteCommand": {"Fn::If": ["EnableExecuteCommand", true, false]},
    });
    placement(&mut p, ctx);
    p["DeploymentConfiguration"] = json!({
        "MinimumHealthyPercent": ctx.min_healthy_percent,
        "MaximumPercent": ctx.max_percent,
        "DeploymentCircuitBreaker": {"Enable": true, "Rollback": true},
    });
    if let Some(lb) = &ctx.lb {
        p["HealthCheckGracePeriodSeconds"] = json!(ctx.grace_period);
        p["LoadBalancers"] = json!([{
            "ContainerName": lb.container,
            "ContainerPort": lb.port,
            "TargetGroupArn": {"Ref": "TargetGroup"},
        }]);
    }
    p["PropagateTags"] = json!("SERVICE");
    p["EnableECSManagedTags"] = json!(true);
    let mut r = resource("Service", "AWS::ECS::Service", p);
    if let Some(lb) = &ctx.lb {
        let ids: Vec<String> = lb.listeners.iter().map(|l| l.id.clone()).collect();
        r = r.after(&ids);
    }
    if !ctx.fargate {
        r = r
            .attr(
                "Metadata",
                json!({"WaitsFor": {"Fn::If": ["CreateClusterCapacity", {"Ref": "ClusterCapacityProviders"}, {"Ref": "AWS::NoValue"}]}}),
            )
            .note("Metadata WaitsFor: the service starts only once the capacity provider belongs to the cluster.");
    }
    t.resources.push(r.note(
        "No DesiredCount: ECS starts a new service with one task and ScalableTarget's RegisterScalableTarget\nmoves it into [MinCapacity, MaxCapacity]; a stack update then never resets what scaling chose\n(as the Terraform module's ignore_changes = [desired_count]).",
    ));
}

/// Fargate in the task subnets, or the EC2 capacity: the stack's capacity provider, an
/// existing cluster's, or the EC2 launch type.
fn placement(p: &mut Json, ctx: &Context) {
    if ctx.fargate {
        p["LaunchType"] = json!("FARGATE");
        p["NetworkConfiguration"] = json!({"AwsvpcConfiguration": {
            "Subnets": {"Ref": "Subnets"},
            "SecurityGroups": [{"Ref": "ServiceSecurityGroup"}],
            "AssignPublicIp": {"Ref": "AssignPublicIp"},
        }});
        return;
    }
    let none = json!({"Ref": "AWS::NoValue"});
    p["LaunchType"] = json!({"Fn::If": [
        "CreateClusterCapacity", none,
        {"Fn::If": ["UseExistingCapacityProvider", none, "EC2"]}
    ]});
    p["CapacityProviderStrategy"] = json!({"Fn::If": [
        "CreateClusterCapacity",
        [{"CapacityProvider": {"Ref": "CapacityProvider"}, "Weight": 1}],
        {"Fn::If": [
            "UseExistingCapacityProvider",
            [{"CapacityProvider": {"Ref": "ExistingCapacityProvider"}, "Weight": 1}],
            none
        ]}
    ]});
}
