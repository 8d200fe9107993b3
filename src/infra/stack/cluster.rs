//! The cluster (unless an existing one is named) and the log group every task writes to.

use super::context::Context;
use super::{resource, With};
use crate::infra::template::Template;
use serde_json::json;

/// `Cluster` and `LogGroup`.
pub(super) fn add(t: &mut Template, ctx: &Context) {
    t.resources.push(
        resource(
            "Cluster",
            "AWS::ECS::Cluster",
            json!({
                "ClusterName": {"Ref": "AWS::StackName"},
                "ClusterSettings": [{"Name": "containerInsights",
                    "Value": if ctx.container_insights { "enabled" } else { "disabled" }}],
                // ECS Exec sessions, when on: logged to the service's log group, encrypted with
                // the team's KMS key when one is given.
                "Configuration": {"Fn::If": ["EnableExecuteCommand", {
                    "ExecuteCommandConfiguration": {
                        "KmsKeyId": {"Fn::If": ["HasExecuteCommandKmsKey", {"Ref": "ExecuteCommandKmsKeyArn"}, {"Ref": "AWS::NoValue"}]},
                        "Logging": "OVERRIDE",
                        "LogConfiguration": {
                            "CloudWatchLogGroupName": {"Ref": "LogGroup"},
                            "CloudWatchEncryptionEnabled": false,
                        },
                    }
                }, {"Ref": "AWS::NoValue"}]},
            }),
        )
        .when("CreateCluster"),
    );
    t.resources.push(
        resource(
            "LogGroup",
            "AWS::Logs::LogGroup",
            json!({"RetentionInDays": ctx.log_retention}),
        )
        .kept()
        .note("Named by CloudFormation (unique per stack) and kept when the stack goes: the logs outlive it,\nand a retried or second stack never collides with a retained group."),
    );
}
