//! `main.tf`: the conditions as locals, the cluster (or an existing one), the log group, the task
//! definition, the service and its target tracking scaling.

use super::hcl::{self, raw, s, Body, Expr};
use super::{cfn, resource, shape};
use crate::render::cloudformation::{Context, TaskCtx};

fn locals(ctx: &Context) -> Body {
    let mut b = Body::new()
        .attr("create_cluster", raw("var.existing_cluster_name == \"\""))
        .attr(
            "cluster_name",
            raw("local.create_cluster ? aws_ecs_cluster.this[0].name : var.existing_cluster_name"),
        );
    if !ctx.fargate {
        b = b
            .blank()
            .comment("A capacity provider is associated only with a cluster the module creates: associating one\nwith an existing cluster would replace that cluster's whole capacity provider list.")
            .attr("create_cluster_capacity", raw("local.create_cluster && var.create_capacity"))
            .attr(
                "use_existing_capacity_provider",
                raw("!local.create_cluster && var.existing_capacity_provider != \"\""),
            )
            .attr(
                "capacity_provider",
                raw("local.create_cluster_capacity ? aws_ecs_capacity_provider.this[0].name : (local.use_existing_capacity_provider ? var.existing_capacity_provider : null)"),
            );
    }
    b
}

fn cluster() -> Body {
    Body::new()
        .attr("count", raw("local.create_cluster ? 1 : 0"))
        .attr("name", raw("var.name"))
        .blank()
        .block(
            "setting",
            Body::new()
                .attr("name", s("containerInsights"))
                .attr("value", s("enabled")),
        )
}

fn log_group(ctx: &Context) -> Body {
    Body::new()
        .attr("name_prefix", raw("\"/ecs/${var.name}-\""))
        .attr("retention_in_days", raw(ctx.log_retention.to_string()))
        .comment("The stack's DeletionPolicy: Retain. (prevent_destroy cannot depend on a variable, and would\nrefuse every destroy: skip_destroy keeps the logs when the module goes.)")
        .attr("skip_destroy", raw("true"))
}

/// The service's task definition.
fn task_definition(ctx: &Context) -> Body {
    task_definition_of(ctx, &ctx.task)
}

/// A task definition of the module: its roles, network mode and platform are the service's.
pub(super) fn task_definition_of(ctx: &Context, t: &TaskCtx) -> Body {
    let compat = if ctx.fargate { "FARGATE" } else { "EC2" };
    let mut b = Body::new()
        .attr("family", s(&t.family))
        .attr("network_mode", s(&ctx.network_mode))
        .attr("requires_compatibilities", hcl::strs([compat]))
        .attr_opt("cpu", t.cpu.clone().map(s))
        .attr_opt("memory", t.memory.clone().map(s))
        .attr("execution_role_arn", raw("aws_iam_role.execution.arn"))
        .attr("task_role_arn", raw("aws_iam_role.task.arn"))
        .attr(
            "container_definitions",
            Expr::Call(
                "jsonencode",
                Box::new(cfn(&super::resources::containers(
                    &t.containers_api,
                    &ctx.carried,
                ))),
            ),
        );
    if ctx.fargate {
        b = b.blank().block(
            "runtime_platform",
            Body::new()
                .attr("operating_system_family", s("LINUX"))
                .attr("cpu_architecture", s(&ctx.cpu_architecture)),
        );
    }
    for v in t.volumes.as_array().into_iter().flatten() {
        let mut vb = Body::new().attr("name", s(v["Name"].as_str().unwrap_or("")));
        if let Some(p) = v.pointer("/Host/SourcePath").and_then(|p| p.as_str()) {
            vb = vb.attr("host_path", s(p));
        }
        if let Some(e) = v.get("EFSVolumeConfiguration") {
            vb = vb.block("efs_volume_configuration", efs_volume(e));
        }
        b = b.blank().block("volume", vb);
    }
    if !t.logs_ref {
        b = b
            .blank()
            .attr("depends_on", raw("[aws_cloudwatch_log_group.this]"));
    }
    b
}

/// An EFS volume's `efs_volume_configuration` (the file system is the module's variable).
fn efs_volume(e: &serde_json::Value) -> Body {
    Body::new()
        .attr("file_system_id", raw("var.efs_file_system_id"))
        .attr_opt("root_directory", e["RootDirectory"].as_str().map(s))
        .attr(
            "transit_encryption",
            s(e["TransitEncryption"].as_str().unwrap_or("ENABLED")),
        )
        .block(
            "authorization_config",
            Body::new().attr(
                "iam",
                s(e.pointer("/AuthorizationConfig/IAM")
                    .and_then(|v| v.as_str())
                    .unwrap_or("ENABLED")),
            ),
        )
}

fn service_attrs(ctx: &Context) -> Body {
    let launch_type = if ctx.fargate {
        s("FARGATE")
    } else {
        raw("local.capacity_provider == null ? \"EC2\" : null")
    };
    Body::new()
        .attr("name", raw("var.name"))
        .attr("cluster", raw("local.cluster_name"))
        .attr("task_definition", raw("aws_ecs_task_definition.this.arn"))
        .attr("desired_count", raw(ctx.desired_count.to_string()))
        .attr("enable_execute_command", raw("var.enable_execute_command"))
        .attr("launch_type", launch_type)
        .attr(
            "deployment_minimum_healthy_percent",
            raw(ctx.min_healthy_percent.to_string()),
        )
        .attr(
            "deployment_maximum_percent",
            raw(ctx.max_percent.to_string()),
        )
        .attr_opt(
            "health_check_grace_period_seconds",
            ctx.lb
                .as_ref()
                .and(ctx.grace_period)
                .map(|g| raw(g.to_string())),
        )
        .attr("propagate_tags", s("SERVICE"))
        .attr("enable_ecs_managed_tags", raw("true"))
}

fn service(ctx: &Context) -> Body {
    let (lb, ec2) = shape(ctx);
    let mut b = service_attrs(ctx);
    if ctx.fargate {
        b = b.blank().block(
            "network_configuration",
            Body::new()
                .attr("subnets", raw("var.subnets"))
                .attr("security_groups", raw("[aws_security_group.service.id]"))
                .attr("assign_public_ip", raw("var.assign_public_ip")),
        );
    } else {
        b = b.blank().block(
            "dynamic \"capacity_provider_strategy\"",
            Body::new()
                .attr(
                    "for_each",
                    raw("local.capacity_provider == null ? [] : [local.capacity_provider]"),
                )
                .blank()
                .block(
                    "content",
                    Body::new()
                        .attr("capacity_provider", raw("capacity_provider_strategy.value"))
                        .attr("weight", raw("1")),
                ),
        );
    }
    b = b.blank().block(
        "deployment_circuit_breaker",
        Body::new()
            .attr("enable", raw("true"))
            .attr("rollback", raw("true")),
    );
    if let Some(l) = &ctx.lb {
        b = b.blank().block(
            "load_balancer",
            Body::new()
                .attr("target_group_arn", raw("aws_lb_target_group.this.arn"))
                .attr("container_name", s(&l.container))
                .attr("container_port", raw(l.port.to_string())),
        );
    }
    b = b.blank().block("lifecycle", lifecycle(lb && ec2));
    let deps = service_depends_on(ctx, ec2);
    if !deps.is_empty() {
        b = b.blank().attr("depends_on", Expr::List(deps));
    }
    b
}

/// What the service waits for: its listeners, and the cluster's capacity provider (EC2).
fn service_depends_on(ctx: &Context, ec2: bool) -> Vec<Expr> {
    let mut deps: Vec<Expr> = ctx
        .lb
        .iter()
        .flat_map(|l| l.listeners.iter())
        .map(|l| raw(format!("aws_lb_listener.{}", super::alb::listener_name(l))))
        .collect();
    if ec2 {
        deps.push(raw("aws_ecs_cluster_capacity_providers.this"));
    }
    deps
}

fn lifecycle(existing_instances: bool) -> Body {
    let mut b = Body::new()
        .comment("Target tracking scaling owns the running count once the service exists.")
        .attr("ignore_changes", raw("[desired_count]"));
    if existing_instances {
        b = b.blank().block(
            "precondition",
            Body::new()
                .attr("condition", raw("var.create_capacity || var.existing_instance_security_group != \"\""))
                .attr("error_message", s("With create_capacity = false, existing_instance_security_group must name the existing instances' security group.")),
        );
    }
    b
}

/// A target-tracking policy (`${var.name}SUFFIX`) on the service's scalable target, after the
/// lines already in `b`.
pub(super) fn target_tracking(b: Body, suffix: &str, config: Body) -> Body {
    b.attr("name", raw(format!("\"${{var.name}}{suffix}\"")))
        .attr("policy_type", s("TargetTrackingScaling"))
        .attr(
            "service_namespace",
            raw("aws_appautoscaling_target.this.service_namespace"),
        )
        .attr(
            "scalable_dimension",
            raw("aws_appautoscaling_target.this.scalable_dimension"),
        )
        .attr(
            "resource_id",
            raw("aws_appautoscaling_target.this.resource_id"),
        )
        .blank()
        .block("target_tracking_scaling_policy_configuration", config)
}

fn scaling(ctx: &Context) -> Vec<(String, Body)> {
    let sc = &ctx.scaling;
    let target = Body::new()
        .attr("service_namespace", s("ecs"))
        .attr("scalable_dimension", s("ecs:service:DesiredCount"))
        .attr(
            "resource_id",
            raw("\"service/${local.cluster_name}/${aws_ecs_service.this.name}\""),
        )
        .attr("min_capacity", raw(sc.min.to_string()))
        .attr("max_capacity", raw(sc.max.to_string()));
    let mut metric = Body::new().attr("predefined_metric_type", s(sc.metric_type));
    if sc.requests {
        metric = metric.attr(
            "resource_label",
            raw("\"${aws_lb.this.arn_suffix}/${aws_lb_target_group.this.arn_suffix}\""),
        );
    }
    let config = Body::new()
        .attr("target_value", raw(sc.target.to_string()))
        .attr("scale_in_cooldown", raw("300"))
        .attr("scale_out_cooldown", raw("60"))
        .blank()
        .block("predefined_metric_specification", metric);
    let policy = target_tracking(Body::new(), sc.policy_suffix, config);
    vec![
        (resource("aws_appautoscaling_target", "this"), target),
        (
            resource(
                "aws_appautoscaling_policy",
                sc.policy_suffix.trim_start_matches('-'),
            ),
            policy,
        ),
    ]
}

/// `main.tf`.
pub fn render(ctx: &Context) -> String {
    let mut blocks = vec![
        ("locals".to_string(), locals(ctx)),
        (resource("aws_ecs_cluster", "this"), cluster()),
        (resource("aws_cloudwatch_log_group", "this"), log_group(ctx)),
        (
            resource("aws_ecs_task_definition", "this"),
            task_definition(ctx),
        ),
        (resource("aws_ecs_service", "this"), service(ctx)),
    ];
    blocks.extend(super::alb::service_security_group(ctx));
    blocks.extend(scaling(ctx));
    hcl::file(blocks)
}
