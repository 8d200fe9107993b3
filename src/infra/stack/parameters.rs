//! The stack's parameters (network, load balancer, cluster, images, database, capacity, then
//! each part's own), its conditions and its rules.

use super::context::Context;
use super::{param, switch, v};
use crate::infra::template::{Parameter, Template};
use crate::infra::value::Value;
use serde_json::json;

/// A security group id, or empty.
pub(super) const SECURITY_GROUP_OR_EMPTY: &str = "^(sg-([0-9a-f]{8}|[0-9a-f]{17}))?$";

/// Every parameter, in the stack's order.
pub(super) fn add(t: &mut Template, ctx: &Context) {
    network(t, ctx);
    load_balancer(t, ctx);
    cluster(t, ctx);
    capacity(t, ctx);
    super::delivery::parameters(t, ctx);
    super::worker::parameters(t, ctx);
    super::cron::parameters(t, ctx);
    super::efs::parameters(t, ctx);
}

/// A default when there is one (an empty one is none: the parameter is required).
pub(super) fn with_default(p: Parameter, default: Option<&str>) -> Parameter {
    Parameter {
        default: default.filter(|d| !d.is_empty()).map(Value::s),
        ..p
    }
}

/// Empty by default: optional, empty meaning "not given".
pub(super) fn empty_default(p: Parameter) -> Parameter {
    Parameter {
        default: Some(Value::s("")),
        ..p
    }
}

/// Required: at least one character.
fn min_length(p: Parameter) -> Parameter {
    Parameter {
        extra: vec![("MinLength".into(), Value::n(1))],
        ..p
    }
}

fn network(t: &mut Template, ctx: &Context) {
    let vpc = param(
        "VpcId",
        "AWS::EC2::VPC::Id",
        "VPC of the service (the EB environment's aws:ec2:vpc VPCId when eb2ecs knew it)",
    );
    t.parameters
        .push(with_default(vpc, ctx.vpc_default.as_deref()));
    let what = if ctx.fargate {
        "tasks"
    } else {
        "container instances"
    };
    let subnets = param(
        "Subnets",
        "List<AWS::EC2::Subnet::Id>",
        &format!("Subnets for the {what} (EB aws:ec2:vpc Subnets)"),
    );
    t.parameters
        .push(with_default(subnets, ctx.subnets_default.as_deref()));
    if ctx.fargate {
        t.parameters.push(Parameter {
            allowed_values: vec![Value::s("ENABLED"), Value::s("DISABLED")],
            default: Some(Value::s(&ctx.assign_public_ip)),
            ..param(
                "AssignPublicIp",
                "String",
                "ENABLED only when the task subnets are public and have no NAT gateway",
            )
        });
    }
}

fn load_balancer(t: &mut Template, ctx: &Context) {
    let Some(lb) = &ctx.lb else { return };
    let subnets = param(
        "LoadBalancerSubnets",
        "List<AWS::EC2::Subnet::Id>",
        "Subnets for the load balancer, in at least two Availability Zones (EB aws:ec2:vpc ELBSubnets)",
    );
    t.parameters
        .push(with_default(subnets, ctx.lb_subnets_default.as_deref()));
    if lb.internal {
        let cidr = Parameter {
            allowed_pattern: Some(r"^\d{1,3}(\.\d{1,3}){3}/\d{1,2}$".into()),
            ..param("ClientCidr", "String", "Network allowed to reach the internal load balancer (the VPC's CIDR when eb2ecs knew it; required otherwise)")
        };
        t.parameters
            .push(with_default(cidr, ctx.client_cidr_default.as_deref()));
    }
    if lb.https {
        let cert = param(
            "CertificateArn",
            "String",
            "ACM certificate for the HTTPS listener (from the EB listener settings when known)",
        );
        t.parameters
            .push(with_default(cert, lb.certificate_default.as_deref()));
    }
    if let Some(l) = lb.listeners.iter().find(|l| l.redirect_choice) {
        t.parameters.push(switch(
            "RedirectHttpToHttps",
            "true answers the HTTP listener with a 301 redirect to HTTPS; false forwards it to the service as EB did (the default unless EB redirected or --redirect-http asked)",
            if l.redirect { "true" } else { "false" },
        ));
    }
}

/// The cluster, ECS Exec, the images without a pullable URI and the coupled database.
fn cluster(t: &mut Template, ctx: &Context) {
    t.parameters.push(empty_default(param(
        "ExistingClusterName",
        "String",
        "Name of an existing ECS cluster to use; leave empty to create one",
    )));
    t.parameters.push(switch(
        "EnableExecuteCommand",
        "true lets `aws ecs execute-command` open a shell in the containers (ECS Exec, instead of SSH); on by default only where EB allowed SSH (EC2KeyName)",
        if ctx.exec_default { "true" } else { "false" },
    ));
    t.parameters.push(empty_default(Parameter {
        allowed_pattern: Some(r"^(arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+)?$".into()),
        ..param(
            "ExecuteCommandKmsKeyArn",
            "String",
            "ARN of a KMS key that encrypts ECS Exec sessions (with EnableExecuteCommand, on the cluster the stack creates); empty: TLS only. Sessions are logged to the service's log group either way",
        )
    }));
    for p in &ctx.image_params {
        let what = format!(
            "Image URI of container {} (the Dockerrun has no pullable image; required)",
            p.container
        );
        t.parameters
            .push(min_length(param(&p.name, "String", &what)));
    }
    for d in &ctx.database_params {
        let p = param(&d.name, "String", &d.description);
        t.parameters.push(match d.default.as_deref() {
            Some(default) if !default.is_empty() => with_default(p, Some(default)),
            _ => min_length(p),
        });
    }
}

/// The EC2 launch type's instances: type, AMI, whether the stack creates them.
fn capacity(t: &mut Template, ctx: &Context) {
    if ctx.fargate {
        return;
    }
    // An instance type's shape (family, optional generation and options, size): a typo fails
    // here, not in the middle of the stack's creation.
    let instance = Parameter {
        allowed_pattern: Some(r"^[a-z][a-z0-9-]*\.[a-z0-9-]+$".into()),
        ..param(
            "InstanceType",
            "String",
            "EC2 instance type of the container instances (EB aws:autoscaling:launchconfiguration InstanceType)",
        )
    };
    // A default that is not a type name (a finding says so) is none: the parameter is required.
    t.parameters.push(with_default(
        instance,
        Some(ctx.instance_type.as_str()).filter(|t| crate::names::is_instance_type_name(t)),
    ));
    let ami = param(
        "EcsAmiId",
        "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
        "ECS-optimised Amazon Linux 2023 AMI (arm64 for Graviton instance types)",
    );
    t.parameters
        .push(with_default(ami, Some(ctx.ecs_ami_parameter)));
    t.parameters.push(switch(
        "CreateCapacity",
        "true creates container instances (Auto Scaling group, capacity provider); false runs on the capacity an existing cluster already has",
        "true",
    ));
    t.parameters.push(empty_default(param(
        "ExistingCapacityProvider",
        "String",
        "With ExistingClusterName: a capacity provider of that cluster for the service; empty runs it with the EC2 launch type. The stack never changes an existing cluster's capacity providers",
    )));
    if ctx.lb.is_some() {
        let group = Parameter {
            allowed_pattern: Some(SECURITY_GROUP_OR_EMPTY.into()),
            ..param(
                "ExistingInstanceSecurityGroup",
                "String",
                "With CreateCapacity=false: the security group of the existing container instances; the stack lets the load balancer reach their dynamic host ports",
            )
        };
        t.parameters.push(empty_default(group));
    }
}

/// With existing instances (EC2 behind a load balancer), their security group is required.
pub(super) fn rules(ctx: &Context) -> Option<Value> {
    if ctx.fargate || ctx.lb.is_none() {
        return None;
    }
    Some(v(json!({"ExistingInstancesAdmitTheLoadBalancer": {
        "RuleCondition": {"Fn::Equals": [{"Ref": "CreateCapacity"}, "false"]},
        "Assertions": [{
            "Assert": {"Fn::Not": [{"Fn::Equals": [{"Ref": "ExistingInstanceSecurityGroup"}, ""]}]},
            "AssertDescription": "With CreateCapacity=false, ExistingInstanceSecurityGroup must name the existing instances' security group"
        }]
    }})))
}

/// Every condition, in the stack's order.
pub(super) fn conditions(t: &mut Template, ctx: &Context) {
    let mut add = |id: &str, c: serde_json::Value| t.conditions.push((id.to_string(), v(c)));
    let equals = |p: &str, value: &str| json!({"Fn::Equals": [{"Ref": p}, value]});
    add("CreateCluster", equals("ExistingClusterName", ""));
    add(
        "EnableExecuteCommand",
        equals("EnableExecuteCommand", "true"),
    );
    if ctx
        .lb
        .as_ref()
        .is_some_and(|lb| lb.listeners.iter().any(|l| l.redirect_choice))
    {
        add("RedirectHttpToHttps", equals("RedirectHttpToHttps", "true"));
    }
    add(
        "HasExecuteCommandKmsKey",
        json!({"Fn::Not": [equals("ExecuteCommandKmsKeyArn", "")]}),
    );
    add(
        "UseExecuteCommandKmsKey",
        json!({"Fn::And": [{"Condition": "EnableExecuteCommand"}, {"Condition": "HasExecuteCommandKmsKey"}]}),
    );
    if !ctx.fargate {
        add("CreateCapacity", equals("CreateCapacity", "true"));
        // A capacity provider is associated only with a cluster the stack creates: associating
        // one with an existing cluster would replace that cluster's whole capacity provider list.
        add(
            "CreateClusterCapacity",
            json!({"Fn::And": [{"Condition": "CreateCluster"}, {"Condition": "CreateCapacity"}]}),
        );
        add(
            "UseExistingCapacityProvider",
            json!({"Fn::And": [
                {"Fn::Not": [{"Condition": "CreateCluster"}]},
                {"Fn::Not": [equals("ExistingCapacityProvider", "")]}
            ]}),
        );
        if ctx.lb.is_some() {
            add(
                "UseExistingInstances",
                json!({"Fn::Not": [{"Condition": "CreateCapacity"}]}),
            );
        }
    }
    if ctx.delivery.is_some() {
        add(
            "CreateGitHubOidcProvider",
            equals("GitHubOidcProviderArn", ""),
        );
        add(
            "UseStackTaskDefinition",
            equals("DeployedTaskDefinition", ""),
        );
    }
    if ctx.cron.is_some() {
        add("SchedulesEnabled", equals("SchedulesEnabled", "true"));
    }
    if ctx.efs.is_some() {
        add(
            "HasEfsSecurityGroup",
            json!({"Fn::Not": [equals("EfsSecurityGroupId", "")]}),
        );
    }
}
