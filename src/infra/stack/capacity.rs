//! The tasks' security group and, on the EC2 launch type, the container instances: their role,
//! launch template, Auto Scaling group and capacity provider (or existing instances admitting
//! the load balancer).

use super::context::Context;
use super::{cluster_name, resource, trust, With};
use crate::infra::template::Template;
use serde_json::json;

/// `ServiceSecurityGroup`, then the EC2 capacity.
pub(super) fn add(t: &mut Template, ctx: &Context) {
    let mut p = json!({
        "GroupDescription": format!("Tasks of {}", ctx.service_name),
        "VpcId": {"Ref": "VpcId"},
    });
    if let Some(lb) = &ctx.lb {
        let (from, to, what) = if ctx.fargate {
            (
                lb.port,
                lb.port,
                "Container port, from the load balancer only",
            )
        } else {
            (
                32768,
                65535,
                "Dynamic host ports, from the load balancer only",
            )
        };
        p["SecurityGroupIngress"] = json!([{
            "IpProtocol": "tcp", "FromPort": from, "ToPort": to, "Description": what,
            "SourceSecurityGroupId": {"Ref": "LoadBalancerSecurityGroup"}
        }]);
    }
    t.resources.push(
        resource("ServiceSecurityGroup", "AWS::EC2::SecurityGroup", p)
            .note("Tasks (or container instances) accept traffic only from the load balancer."),
    );
    if !ctx.fargate {
        instances(t, ctx);
    }
}

/// The container instances the stack creates (`CreateCapacity`), or the existing ones'
/// security group admitting the load balancer.
fn instances(t: &mut Template, ctx: &Context) {
    if ctx.lb.is_some() {
        t.resources.push(
            resource(
                "ExistingInstancesIngress",
                "AWS::EC2::SecurityGroupIngress",
                json!({
                    "GroupId": {"Ref": "ExistingInstanceSecurityGroup"},
                    "IpProtocol": "tcp",
                    "FromPort": 32768,
                    "ToPort": 65535,
                    "SourceSecurityGroupId": {"Ref": "LoadBalancerSecurityGroup"},
                    "Description": "Dynamic host ports, from the load balancer only",
                }),
            )
            .when("UseExistingInstances")
            .attr("Metadata", json!({"cfn-lint": {"config": {"ignore_checks": ["W1030"]}}}))
            .note("Existing container instances (CreateCapacity=false) admit the load balancer on the dynamic\nhost ports, as the stack's own instances do.")
            .note("cfn-lint's W1030 checks the parameter's empty default, which the stack's Rules refuse\nwhenever this resource exists (CreateCapacity=false)."),
        );
    }
    t.resources.push(
        resource(
            "InstanceRole",
            "AWS::IAM::Role",
            json!({
                "AssumeRolePolicyDocument": trust("ec2.amazonaws.com", false),
                "ManagedPolicyArns": [
                    {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"},
                    {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"}
                ]
            }),
        )
        .when("CreateCapacity"),
    );
    t.resources.push(
        resource(
            "InstanceProfile",
            "AWS::IAM::InstanceProfile",
            json!({"Roles": [{"Ref": "InstanceRole"}]}),
        )
        .when("CreateCapacity"),
    );
    launch_template(t, ctx);
    group_and_provider(t, ctx);
}

fn launch_template(t: &mut Template, ctx: &Context) {
    let mut data = json!({
        "ImageId": {"Ref": "EcsAmiId"},
        "InstanceType": {"Ref": "InstanceType"},
        "IamInstanceProfile": {"Arn": {"Fn::GetAtt": ["InstanceProfile", "Arn"]}},
    });
    if ctx.public_instances {
        data["NetworkInterfaces"] = json!([{
            "DeviceIndex": 0,
            "AssociatePublicIpAddress": true,
            "Groups": [{"Ref": "ServiceSecurityGroup"}]
        }]);
    } else {
        data["SecurityGroupIds"] = json!([{"Ref": "ServiceSecurityGroup"}]);
    }
    // IMDSv2 only, one hop: the instance's credentials stay out of reach of bridge-mode
    // containers (AWS's advice for ECS on EC2); the agent runs on the host network.
    data["MetadataOptions"] =
        json!({"HttpEndpoint": "enabled", "HttpTokens": "required", "HttpPutResponseHopLimit": 1});
    data["UserData"] = json!({"Fn::Base64": {"Fn::Sub": [
        "#!/bin/bash\necho ECS_CLUSTER=${ClusterName} >> /etc/ecs/ecs.config\n",
        {"ClusterName": cluster_name()}
    ]}});
    let r = resource(
        "LaunchTemplate",
        "AWS::EC2::LaunchTemplate",
        json!({ "LaunchTemplateData": data }),
    )
    .when("CreateCapacity");
    t.resources.push(if ctx.public_instances {
        r.note("EB's instances had public IPs: without one, instances in subnets without a NAT gateway\ncannot reach ECS and never join the cluster.")
    } else {
        r
    });
}

fn group_and_provider(t: &mut Template, ctx: &Context) {
    t.resources.push(
        resource(
            "AutoScalingGroup",
            "AWS::AutoScaling::AutoScalingGroup",
            json!({
                "MinSize": ctx.instance_bounds.0.to_string(),
                "MaxSize": ctx.instance_bounds.1.to_string(),
                "VPCZoneIdentifier": {"Ref": "Subnets"},
                "LaunchTemplate": {
                    "LaunchTemplateId": {"Ref": "LaunchTemplate"},
                    "Version": {"Fn::GetAtt": ["LaunchTemplate", "LatestVersionNumber"]}
                },
                // The instances carry the stack's name (the EC2 console's Name column).
                "Tags": [{"Key": "Name", "Value": {"Fn::Sub": "${AWS::StackName}-ecs"}, "PropagateAtLaunch": true}]
            }),
        )
        .attr(
            "UpdatePolicy",
            json!({"AutoScalingRollingUpdate": {
                "MaxBatchSize": 1,
                // CloudFormation requires it below MaxSize.
                "MinInstancesInService": ctx.instance_bounds.0.min(ctx.instance_bounds.1.saturating_sub(1)),
                "PauseTime": "PT0S"
            }}),
        )
        .note("A new launch template version (a new ECS AMI, another instance type) replaces the instances\none at a time, keeping MinSize in service; the capacity provider's managed draining moves\ntheir tasks off first.")
        .when("CreateCapacity"),
    );
    t.resources.push(
        resource(
            "CapacityProvider",
            "AWS::ECS::CapacityProvider",
            json!({"AutoScalingGroupProvider": {
                "AutoScalingGroupArn": {"Ref": "AutoScalingGroup"},
                "ManagedScaling": {"Status": "ENABLED", "TargetCapacity": 100},
                "ManagedTerminationProtection": "DISABLED",
                "ManagedDraining": "ENABLED"
            }}),
        )
        .when("CreateClusterCapacity"),
    );
    t.resources.push(
        resource(
            "ClusterCapacityProviders",
            "AWS::ECS::ClusterCapacityProviderAssociations",
            json!({
                "Cluster": {"Ref": "Cluster"},
                "CapacityProviders": [{"Ref": "CapacityProvider"}],
                "DefaultCapacityProviderStrategy": [{"CapacityProvider": {"Ref": "CapacityProvider"}, "Weight": 1}]
            }),
        )
        .when("CreateClusterCapacity"),
    );
}
