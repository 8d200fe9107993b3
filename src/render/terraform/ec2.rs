//! `ec2.tf` (EC2 launch type): the container instances when `create_capacity`: instance role and
//! profile, launch template, Auto Scaling group, and the capacity provider of a cluster the module
//! creates.

use super::hcl::{self, raw, s, Body};
use super::iam::{assume, attachment};
use super::{data, resource};
use crate::render::cloudformation::Context;

const WHEN_CAPACITY: &str = "var.create_capacity ? 1 : 0";
const WHEN_CLUSTER_CAPACITY: &str = "local.create_cluster_capacity ? 1 : 0";

fn instance_role() -> Vec<(String, Body)> {
    let mut blocks = vec![
        (
            data("aws_iam_policy_document", "ec2_assume"),
            assume("ec2.amazonaws.com", false),
        ),
        (
            resource("aws_iam_role", "instance"),
            Body::new()
                .attr("count", raw(WHEN_CAPACITY))
                .attr(
                    "name_prefix",
                    raw("\"${substr(var.name, 0, 20)}-instance-\""),
                )
                .attr(
                    "assume_role_policy",
                    raw("data.aws_iam_policy_document.ec2_assume.json"),
                ),
        ),
    ];
    for (name, policy) in [
        (
            "instance_ecs",
            "service-role/AmazonEC2ContainerServiceforEC2Role",
        ),
        ("instance_ssm", "AmazonSSMManagedInstanceCore"),
    ] {
        // `[0]`: the role has `count` (terraform validate refuses a bare reference).
        let b = attachment("instance[0]", policy);
        let b = Body::new().attr("count", raw(WHEN_CAPACITY)).extend(b);
        blocks.push((resource("aws_iam_role_policy_attachment", name), b));
    }
    blocks
}

fn launch_template(ctx: &Context) -> Body {
    let network = if ctx.public_instances {
        Body::new()
            .comment("EB's instances had public IPs: without one, instances in subnets without a NAT gateway\ncannot reach ECS and never join the cluster.")
            .block(
                "network_interfaces",
                Body::new()
                    .attr("device_index", raw("0"))
                    .attr("associate_public_ip_address", raw("true"))
                    .attr("security_groups", raw("[aws_security_group.service.id]")),
            )
    } else {
        Body::new().attr(
            "vpc_security_group_ids",
            raw("[aws_security_group.service.id]"),
        )
    };
    Body::new()
        .attr("count", raw(WHEN_CAPACITY))
        .attr("name_prefix", raw("\"${var.name}-\""))
        .attr("image_id", raw("data.aws_ssm_parameter.ecs_ami[0].value"))
        .attr("instance_type", raw("var.instance_type"))
        .attr("user_data", raw("base64encode(\"#!/bin/bash\\necho ECS_CLUSTER=${local.cluster_name} >> /etc/ecs/ecs.config\\n\")"))
        .blank()
        .block("iam_instance_profile", Body::new().attr("arn", raw("aws_iam_instance_profile.instance[0].arn")))
        .blank()
        .extend(network)
        .blank()
        .block("metadata_options", Body::new().attr("http_tokens", s("required")))
}

fn auto_scaling_group(ctx: &Context) -> Body {
    Body::new()
        .attr("count", raw(WHEN_CAPACITY))
        .attr("name_prefix", raw("\"${var.name}-\""))
        .attr("min_size", raw(ctx.scaling.min.to_string()))
        .attr("max_size", raw(ctx.scaling.max.to_string()))
        .attr("vpc_zone_identifier", raw("var.subnets"))
        .blank()
        .block(
            "launch_template",
            Body::new()
                .attr("id", raw("aws_launch_template.instances[0].id"))
                .attr(
                    "version",
                    raw("aws_launch_template.instances[0].latest_version"),
                ),
        )
        .blank()
        .block(
            "tag",
            Body::new()
                .attr("key", s("Name"))
                .attr("value", raw("var.name"))
                .attr("propagate_at_launch", raw("true")),
        )
        .blank()
        .block(
            "lifecycle",
            Body::new()
                .comment("The capacity provider's managed scaling owns the instance count.")
                .attr("ignore_changes", raw("[desired_capacity]")),
        )
}

fn capacity(ctx: &Context) -> Vec<(String, Body)> {
    let provider = Body::new()
        .attr("count", raw(WHEN_CLUSTER_CAPACITY))
        .attr("name", raw("\"cp-${var.name}\""))
        .blank()
        .block(
            "auto_scaling_group_provider",
            Body::new()
                .attr(
                    "auto_scaling_group_arn",
                    raw("aws_autoscaling_group.instances[0].arn"),
                )
                .attr("managed_termination_protection", s("DISABLED"))
                .blank()
                .block(
                    "managed_scaling",
                    Body::new()
                        .attr("status", s("ENABLED"))
                        .attr("target_capacity", raw("100")),
                ),
        );
    let association = Body::new()
        .attr("count", raw(WHEN_CLUSTER_CAPACITY))
        .attr("cluster_name", raw("aws_ecs_cluster.this[0].name"))
        .attr(
            "capacity_providers",
            raw("[aws_ecs_capacity_provider.this[0].name]"),
        )
        .blank()
        .block(
            "default_capacity_provider_strategy",
            Body::new()
                .attr(
                    "capacity_provider",
                    raw("aws_ecs_capacity_provider.this[0].name"),
                )
                .attr("weight", raw("1")),
        );
    vec![
        (
            resource("aws_autoscaling_group", "instances"),
            auto_scaling_group(ctx),
        ),
        (resource("aws_ecs_capacity_provider", "this"), provider),
        (
            resource("aws_ecs_cluster_capacity_providers", "this"),
            association,
        ),
    ]
}

/// `ec2.tf`.
pub fn render(ctx: &Context) -> String {
    let mut blocks = instance_role();
    blocks.push((
        resource("aws_iam_instance_profile", "instance"),
        Body::new()
            .attr("count", raw(WHEN_CAPACITY))
            .attr("role", raw("aws_iam_role.instance[0].name")),
    ));
    blocks.push((
        data("aws_ssm_parameter", "ecs_ami"),
        Body::new()
            .attr("count", raw(WHEN_CAPACITY))
            .attr("name", raw("var.ecs_ami_id")),
    ));
    blocks.push((
        resource("aws_launch_template", "instances"),
        launch_template(ctx),
    ));
    blocks.extend(capacity(ctx));
    hcl::file(blocks)
}

/// The blocks of a stack resource this file prints (`None`: not one of its resources). Stub
/// until this file prints from the stack model; `mod.rs` renders the file from the context
/// meanwhile.
pub(super) fn print(
    m: &super::model::Module,
    r: &crate::infra::template::Resource,
) -> Option<crate::error::Result<Vec<(String, super::hcl::Body)>>> {
    let _ = (m, r);
    None
}
