//! `alb.tf`: the load balancer, its security group, the target group, listeners, extra
//! certificates and rules; and the service's security group (in `main.tf`, with or without a
//! load balancer).

use super::hcl::{self, raw, s, Body};
use super::{cfn, resource};
use crate::render::cloudformation::{Context, LbContext, ListenerContext};

/// The resource name of a listener (`Listener443` in the stack).
pub(super) fn listener_name(l: &ListenerContext) -> String {
    format!("listener_{}", l.port)
}

/// Everything leaves (a CloudFormation security group's default egress, which the AWS provider
/// removes unless it is declared).
fn egress_all(group: &str) -> Body {
    Body::new()
        .attr(
            "security_group_id",
            raw(format!("aws_security_group.{group}.id")),
        )
        .attr("ip_protocol", s("-1"))
        .attr("cidr_ipv4", s("0.0.0.0/0"))
        .attr(
            "description",
            s("All outbound traffic (the CloudFormation default)"),
        )
}

fn group(name: &str, description: &str) -> Body {
    Body::new()
        .attr("name_prefix", raw(format!("\"${{var.name}}-{name}-\"")))
        .attr("description", s(description))
        .attr("vpc_id", raw("var.vpc_id"))
}

fn ingress(group: &str, from: u32, to: u32, description: &str) -> Body {
    Body::new()
        .attr(
            "security_group_id",
            raw(format!("aws_security_group.{group}.id")),
        )
        .attr("ip_protocol", s("tcp"))
        .attr("from_port", raw(from.to_string()))
        .attr("to_port", raw(to.to_string()))
        .attr("description", s(description))
}

/// The service's security group: only the load balancer reaches the tasks (or instances).
pub(super) fn service_security_group(ctx: &Context) -> Vec<(String, Body)> {
    let mut blocks = vec![(
        resource("aws_security_group", "service"),
        Body::new()
            .comment("Tasks (or container instances) accept traffic only from the load balancer.")
            .extend(group("service", &format!("Tasks of {}", ctx.service_name))),
    )];
    if let Some(lb) = &ctx.lb {
        let (from, to, what) = if ctx.fargate {
            (
                u32::from(lb.port),
                u32::from(lb.port),
                "Container port, from the load balancer only",
            )
        } else {
            (
                32768,
                65535,
                "Dynamic host ports, from the load balancer only",
            )
        };
        blocks.push((
            resource(
                "aws_vpc_security_group_ingress_rule",
                "service_from_load_balancer",
            ),
            ingress("service", from, to, what).attr(
                "referenced_security_group_id",
                raw("aws_security_group.load_balancer.id"),
            ),
        ));
        if !ctx.fargate {
            blocks.push((
                resource("aws_vpc_security_group_ingress_rule", "existing_instances"),
                Body::new()
                    .comment("Existing container instances (create_capacity = false) admit the load balancer on the\ndynamic host ports, as the module's own instances do.")
                    .attr("count", raw("var.create_capacity ? 0 : 1"))
                    .attr("security_group_id", raw("var.existing_instance_security_group"))
                    .attr("ip_protocol", s("tcp"))
                    .attr("from_port", raw("32768"))
                    .attr("to_port", raw("65535"))
                    .attr("description", s("Dynamic host ports, from the load balancer only"))
                    .attr("referenced_security_group_id", raw("aws_security_group.load_balancer.id")),
            ));
        }
    }
    if ctx.efs.is_some() {
        blocks.push((
            resource("aws_vpc_security_group_ingress_rule", "efs"),
            Body::new()
                .comment("The EFS file system's mount targets admit the tasks (NFS), when their group is given.")
                .attr("count", raw("var.efs_security_group_id == \"\" ? 0 : 1"))
                .attr("security_group_id", raw("var.efs_security_group_id"))
                .attr("ip_protocol", s("tcp"))
                .attr("from_port", raw("2049"))
                .attr("to_port", raw("2049"))
                .attr("description", s("NFS from the ECS service's tasks"))
                .attr("referenced_security_group_id", raw("aws_security_group.service.id")),
        ));
    }
    blocks.push((
        resource("aws_vpc_security_group_egress_rule", "service_all"),
        egress_all("service"),
    ));
    blocks
}

fn load_balancer(ctx: &Context, lb: &LbContext) -> Vec<(String, Body)> {
    let mut blocks = vec![(
        resource("aws_security_group", "load_balancer"),
        group("lb", &format!("Load balancer of {}", ctx.service_name)),
    )];
    for port in &lb.ingress_ports {
        let source = if lb.internal {
            raw("var.client_cidr")
        } else {
            s("0.0.0.0/0")
        };
        blocks.push((
            resource(
                "aws_vpc_security_group_ingress_rule",
                &format!("load_balancer_{port}"),
            ),
            ingress(
                "load_balancer",
                u32::from(*port),
                u32::from(*port),
                &format!("Listener port {port}"),
            )
            .attr("cidr_ipv4", source),
        ));
    }
    blocks.push((
        resource("aws_vpc_security_group_egress_rule", "load_balancer_all"),
        egress_all("load_balancer"),
    ));
    blocks.push((
        resource("aws_lb", "this"),
        Body::new()
            .attr("internal", raw(lb.internal.to_string()))
            .attr("load_balancer_type", s("application"))
            .attr("subnets", raw("var.load_balancer_subnets"))
            .attr(
                "security_groups",
                raw("[aws_security_group.load_balancer.id]"),
            )
            .attr("idle_timeout", raw(lb.idle_timeout.clone()))
            .attr("drop_invalid_header_fields", raw("true")),
    ));
    blocks
}

fn target_group(lb: &LbContext) -> Body {
    let attr = |key: &str| {
        lb.tg_attributes
            .as_array()
            .into_iter()
            .flatten()
            .find(|a| a["Key"] == key)
            .and_then(|a| a["Value"].as_str().map(str::to_string))
    };
    let mut b = Body::new()
        .attr("vpc_id", raw("var.vpc_id"))
        .attr("protocol", s("HTTP"))
        .attr("port", raw(lb.port.to_string()))
        .attr("target_type", s(&lb.target_type))
        .attr_opt(
            "deregistration_delay",
            attr("deregistration_delay.timeout_seconds").map(s),
        )
        .blank()
        .block(
            "health_check",
            Body::new()
                .attr("protocol", s("HTTP"))
                .attr("port", s("traffic-port"))
                .attr("path", s(&lb.health_path))
                .attr("interval", raw(lb.health_interval.to_string()))
                .attr("timeout", raw(lb.health_timeout.to_string()))
                .attr("healthy_threshold", raw(lb.healthy.to_string()))
                .attr("unhealthy_threshold", raw(lb.unhealthy.to_string()))
                .attr("matcher", s(&lb.matcher)),
        );
    if let Some(d) = attr("stickiness.lb_cookie.duration_seconds") {
        b = b.blank().block(
            "stickiness",
            Body::new()
                .attr("type", s("lb_cookie"))
                .attr("enabled", raw("true"))
                .attr("cookie_duration", raw(d)),
        );
    }
    b
}

fn listener(l: &ListenerContext) -> Body {
    let mut b = Body::new()
        .attr("load_balancer_arn", raw("aws_lb.this.arn"))
        .attr("port", raw(l.port.to_string()))
        .attr("protocol", s(&l.protocol));
    if l.https {
        b = b
            .comment(&format!("TLS policy {}.", l.ssl_policy_source))
            .attr_opt("ssl_policy", l.ssl_policy.clone().map(s))
            .attr("certificate_arn", raw("var.certificate_arn"));
    }
    let action = if l.redirect {
        Body::new().attr("type", s("redirect")).blank().block(
            "redirect",
            Body::new()
                .attr("protocol", s("HTTPS"))
                .attr("port", s(&l.redirect_port))
                .attr("status_code", s("HTTP_301")),
        )
    } else {
        forward()
    };
    b.blank().block("default_action", action)
}

fn forward() -> Body {
    Body::new()
        .attr("type", s("forward"))
        .attr("target_group_arn", raw("aws_lb_target_group.this.arn"))
}

fn rules(lb: &LbContext) -> Vec<(String, Body)> {
    let on = format!(
        "aws_lb_listener.listener_{}.arn",
        lb.rule_listener.trim_start_matches("Listener")
    );
    let mut blocks = Vec::new();
    for (i, cert) in lb.extra_certificates.iter().enumerate() {
        blocks.push((
            resource("aws_lb_listener_certificate", &format!("extra_{i}")),
            Body::new()
                .attr("listener_arn", raw(&on))
                .attr("certificate_arn", s(cert)),
        ));
    }
    for r in &lb.rules {
        let mut b = Body::new()
            .attr("listener_arn", raw(&on))
            .attr("priority", raw(r.priority.to_string()))
            .blank()
            .block("action", forward());
        for c in r.conditions.as_array().into_iter().flatten() {
            let (kind, config) = match c["Field"].as_str() {
                Some("host-header") => ("host_header", "HostHeaderConfig"),
                _ => ("path_pattern", "PathPatternConfig"),
            };
            let values = Body::new().attr("values", cfn(&c[config]["Values"]));
            b = b
                .blank()
                .block("condition", Body::new().block(kind, values));
        }
        blocks.push((
            resource("aws_lb_listener_rule", &crate::render::names::snake(&r.id)),
            b,
        ));
    }
    blocks
}

/// `alb.tf` (empty without a load balancer).
pub fn render(ctx: &Context) -> String {
    let Some(lb) = &ctx.lb else {
        return String::new();
    };
    let mut blocks = load_balancer(ctx, lb);
    blocks.push((resource("aws_lb_target_group", "this"), target_group(lb)));
    for l in &lb.listeners {
        blocks.push((resource("aws_lb_listener", &listener_name(l)), listener(l)));
    }
    blocks.extend(rules(lb));
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
