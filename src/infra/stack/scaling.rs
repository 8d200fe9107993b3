//! The service's task count: its bounds and the target tracking policy of EB's trigger.

use super::context::Context;
use super::{cluster_name, resource};
use crate::infra::template::Template;
use serde_json::json;

/// `ScalableTarget` and the target tracking policy.
pub(super) fn add(t: &mut Template, ctx: &Context) {
    let s = &ctx.scaling;
    t.resources.push(resource(
        "ScalableTarget",
        "AWS::ApplicationAutoScaling::ScalableTarget",
        json!({
            "ServiceNamespace": "ecs",
            "ScalableDimension": "ecs:service:DesiredCount",
            "ResourceId": {"Fn::Sub": [
                "service/${ClusterName}/${ServiceName}",
                {"ClusterName": cluster_name(), "ServiceName": {"Fn::GetAtt": ["Service", "Name"]}}
            ]},
            "MinCapacity": s.min,
            "MaxCapacity": s.max,
        }),
    ));
    let mut metric = json!({"PredefinedMetricType": s.metric_type});
    if s.requests {
        metric["ResourceLabel"] = json!({"Fn::Sub": [
            "${LoadBalancerName}/${TargetGroupName}",
            {
                "LoadBalancerName": {"Fn::GetAtt": ["LoadBalancer", "LoadBalancerFullName"]},
                "TargetGroupName": {"Fn::GetAtt": ["TargetGroup", "TargetGroupFullName"]}
            }
        ]});
    }
    t.resources.push(resource(
        s.policy_id,
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        json!({
            "PolicyName": {"Fn::Sub": format!("${{AWS::StackName}}{}", s.policy_suffix)},
            "PolicyType": "TargetTrackingScaling",
            "ScalingTargetId": {"Ref": "ScalableTarget"},
            "TargetTrackingScalingPolicyConfiguration": {
                "TargetValue": s.target,
                "PredefinedMetricSpecification": metric,
                "ScaleInCooldown": 300,
                "ScaleOutCooldown": 60,
            }
        }),
    ));
}
