//! `main.tf` from the stack: the cluster, the log group, the task definitions (their containers
//! as `jsonencode` of the ECS API's camelCase shape), the service, its scalable target and
//! scaling policies.

use super::hcl::{self, raw, s, Body, Expr};
use super::model::{negate, Module};
use super::resource;
use crate::error::{Error, Result};
use crate::infra::spelling::{api_key, is_data_map};
use crate::infra::template::Resource;
use crate::infra::value::Value;

/// The blocks of a resource this file prints.
pub(super) fn print(m: &Module, r: &Resource) -> Option<Result<Vec<(String, Body)>>> {
    let body = match r.kind.as_str() {
        "AWS::ECS::Cluster" => cluster(m, r),
        "AWS::Logs::LogGroup" => log_group(m, r),
        "AWS::ECS::TaskDefinition" if r.id != "OneOffTaskDefinition" => task_definition(m, r),
        "AWS::ECS::Service" => service(m, r),
        "AWS::ApplicationAutoScaling::ScalableTarget" => scalable_target(m, r),
        "AWS::ApplicationAutoScaling::ScalingPolicy" => scaling_policy(m, r),
        _ => return None,
    };
    Some(body.map(|b| vec![(header(m, r), b)]))
}

/// `resource "TYPE" "NAME"` of a stack resource.
pub(super) fn header(m: &Module, r: &Resource) -> String {
    let a = m.block_address(&r.id).unwrap_or_default();
    let (ty, name) = a.split_once('.').unwrap_or((&a, ""));
    resource(ty, name)
}

/// An error for a key of a nested property no line of the printer maps.
pub(super) fn only(v: &Value, keys: &[&str], what: &str) -> Result<()> {
    for (k, _) in v.as_map().unwrap_or(&[]) {
        if !keys.contains(&k.as_str()) {
            return Err(Error::Bug(format!(
                "the Terraform printer does not map {k} of {what}"
            )));
        }
    }
    Ok(())
}

fn cluster(m: &Module, r: &Resource) -> Result<Body> {
    let p = m.props(r);
    let mut b = Body::new().attr_opt("count", m.count(r)).attr(
        "name",
        p.get("ClusterName").map_or(raw("var.name"), |v| m.expr(v)),
    );
    for st in p
        .get("ClusterSettings")
        .and_then(Value::as_list)
        .unwrap_or(&[])
    {
        only(st, &["Name", "Value"], "ClusterSettings")?;
        b = b.blank().block(
            "setting",
            field_attrs(m, st, &[("Name", "name"), ("Value", "value")]),
        );
    }
    if let Some(conf) = p.get("Configuration") {
        b = b.blank().extend(configuration(m, conf)?);
    }
    p.finish()?;
    Ok(b)
}

/// The cluster's `configuration` (ECS Exec's logging and key): a block, or a `dynamic` one
/// while a condition holds.
fn configuration(m: &Module, conf: &Value) -> Result<Body> {
    let (when, inner) = match conf {
        Value::If(c, a, b) if matches!(b.as_ref(), Value::Ref(n) if n == "AWS::NoValue") => {
            (Some(c), a.as_ref())
        }
        other => (None, other),
    };
    only(inner, &["ExecuteCommandConfiguration"], "Configuration")?;
    if let Some(e) = inner.get("ExecuteCommandConfiguration") {
        only(
            e,
            &["KmsKeyId", "Logging", "LogConfiguration"],
            "ExecuteCommandConfiguration",
        )?;
        if let Some(l) = e.get("LogConfiguration") {
            only(
                l,
                &[
                    "CloudWatchLogGroupName",
                    "CloudWatchEncryptionEnabled",
                    "S3BucketName",
                    "S3EncryptionEnabled",
                    "S3KeyPrefix",
                ],
                "LogConfiguration",
            )?;
        }
    }
    let body = m.blocks(inner);
    Ok(match when {
        None => Body::new().block("configuration", body),
        Some(c) => Body::new().block_while("configuration", &m.cond(c), true, body),
    })
}

/// `key = value` for each of `names` (stack key, Terraform key) the map has.
pub(super) fn field_attrs(m: &Module, v: &Value, names: &[(&str, &str)]) -> Body {
    names.iter().fold(Body::new(), |b, (k, t)| {
        b.attr_opt(t, v.get(k).map(|x| m.expr(x)))
    })
}

fn log_group(m: &Module, r: &Resource) -> Result<Body> {
    let p = m.props(r);
    let b = Body::new().attr_opt("count", m.count(r));
    // A group CloudFormation names: the module names it from the instance's name, uniquely.
    let b = match p.get("LogGroupName") {
        Some(n) => b.attr("name", m.expr(n)),
        None => b.attr("name_prefix", raw("\"/ecs/${var.name}-\"")),
    };
    let mut b = b.attr_opt(
        "retention_in_days",
        p.get("RetentionInDays").map(|v| m.expr(v)),
    );
    if r.retain {
        b = b
            .comment("The stack's DeletionPolicy: Retain. (prevent_destroy cannot depend on a variable, and would\nrefuse every destroy: skip_destroy keeps the logs when the module goes.)")
            .attr("skip_destroy", raw("true"));
    }
    p.finish()?;
    Ok(b)
}

/// A task definition: its containers as the ECS API writes them.
pub(super) fn task_definition(m: &Module, r: &Resource) -> Result<Body> {
    let p = m.props(r);
    let e = |k: &str| p.get(k).map(|v| m.expr(v));
    let mut b = Body::new()
        .attr_opt("count", m.count(r))
        .attr_opt("family", e("Family"))
        .attr_opt("network_mode", e("NetworkMode"))
        .attr_opt("requires_compatibilities", e("RequiresCompatibilities"))
        .attr_opt("cpu", e("Cpu"))
        .attr_opt("memory", e("Memory"))
        .attr_opt("execution_role_arn", e("ExecutionRoleArn"))
        .attr_opt("task_role_arn", e("TaskRoleArn"))
        .attr_opt(
            "container_definitions",
            p.get("ContainerDefinitions")
                .map(|c| Expr::Call("jsonencode", Box::new(m.expr(&camel(c, false))))),
        );
    if let Some(rp) = p.get("RuntimePlatform") {
        only(
            rp,
            &["OperatingSystemFamily", "CpuArchitecture"],
            "RuntimePlatform",
        )?;
        let names = [
            ("OperatingSystemFamily", "operating_system_family"),
            ("CpuArchitecture", "cpu_architecture"),
        ];
        b = b
            .blank()
            .block("runtime_platform", field_attrs(m, rp, &names));
    }
    for v in p.get("Volumes").and_then(Value::as_list).unwrap_or(&[]) {
        b = b.blank().block("volume", volume(m, v)?);
    }
    p.finish()?;
    Ok(with_depends_on(m, r, b, Vec::new()))
}

/// `depends_on` from the resource's `DependsOn` and `extra` (already module addresses).
pub(super) fn with_depends_on(m: &Module, r: &Resource, b: Body, extra: Vec<String>) -> Body {
    let mut deps: Vec<Expr> = r
        .depends_on
        .iter()
        .filter_map(|d| m.block_address(d))
        .chain(extra)
        .map(raw)
        .collect();
    deps.dedup();
    if deps.is_empty() {
        return b;
    }
    b.blank().attr("depends_on", Expr::List(deps))
}

/// A volume of a task definition.
fn volume(m: &Module, v: &Value) -> Result<Body> {
    only(v, &["Name", "Host", "EFSVolumeConfiguration"], "Volumes")?;
    let mut b = Body::new().attr_opt("name", v.get("Name").map(|x| m.expr(x)));
    if let Some(h) = v.get("Host") {
        only(h, &["SourcePath"], "Volumes Host")?;
        b = b.attr_opt("host_path", h.get("SourcePath").map(|x| m.expr(x)));
    }
    if let Some(e) = v.get("EFSVolumeConfiguration") {
        let keys = [
            "FilesystemId",
            "RootDirectory",
            "TransitEncryption",
            "AuthorizationConfig",
        ];
        only(e, &keys, "EFSVolumeConfiguration")?;
        let mut eb = field_attrs(
            m,
            e,
            &[
                ("FilesystemId", "file_system_id"),
                ("RootDirectory", "root_directory"),
                ("TransitEncryption", "transit_encryption"),
            ],
        );
        if let Some(a) = e.get("AuthorizationConfig") {
            only(a, &["IAM", "AccessPointId"], "AuthorizationConfig")?;
            let names = [("AccessPointId", "access_point_id"), ("IAM", "iam")];
            eb = eb.block("authorization_config", field_attrs(m, a, &names));
        }
        b = b.block("efs_volume_configuration", eb);
    }
    Ok(b)
}

/// The stack's container definitions (CloudFormation's PascalCase keys) as the ECS API's
/// camelCase JSON, which `container_definitions` takes. The keys of data maps (log driver
/// options, Docker labels) are the user's and stay as written.
pub(super) fn camel(v: &Value, data: bool) -> Value {
    match v {
        Value::Map(fields) => Value::Map(
            fields
                .iter()
                .map(|(k, x)| {
                    let key = if data { k.clone() } else { api_key(k) };
                    (
                        key,
                        if data {
                            x.clone()
                        } else {
                            camel(x, is_data_map(k))
                        },
                    )
                })
                .collect(),
        ),
        Value::List(items) if !data => Value::List(items.iter().map(|x| camel(x, false)).collect()),
        other => other.clone(),
    }
}

/// The service's arguments before its blocks.
fn service_attrs(m: &Module, r: &Resource, p: &super::model::Props) -> Result<Body> {
    let e = |k: &str| p.get(k).map(|v| m.expr(v));
    let strategy = p.get("CapacityProviderStrategy").is_some();
    let dc = p
        .get("DeploymentConfiguration")
        .cloned()
        .unwrap_or_default();
    only(
        &dc,
        &[
            "MinimumHealthyPercent",
            "MaximumPercent",
            "DeploymentCircuitBreaker",
        ],
        "DeploymentConfiguration",
    )?;
    // Without DesiredCount ECS starts one task and the scalable target moves the count into
    // its range; Terraform needs the number: the target's minimum.
    let desired = e("DesiredCount")
        .or_else(|| min_capacity(m, &r.id))
        .unwrap_or(raw("1"));
    // The capacity provider, when there is one, decides; else the EC2 launch type.
    let launch = match p.get("LaunchType") {
        Some(_) if strategy => Some(raw("local.capacity_provider == null ? \"EC2\" : null")),
        Some(v) => Some(m.expr(v)),
        None => None,
    };
    Ok(Body::new()
        .attr_opt("count", m.count(r))
        .attr("name", e("ServiceName").unwrap_or(raw("var.name")))
        .attr_opt("cluster", e("Cluster"))
        .attr_opt("task_definition", e("TaskDefinition"))
        .attr("desired_count", desired)
        .attr_opt("enable_execute_command", e("EnableExecuteCommand"))
        .attr_opt("launch_type", launch)
        .attr_opt(
            "deployment_minimum_healthy_percent",
            dc.get("MinimumHealthyPercent").map(|v| m.expr(v)),
        )
        .attr_opt(
            "deployment_maximum_percent",
            dc.get("MaximumPercent").map(|v| m.expr(v)),
        )
        .attr_opt(
            "health_check_grace_period_seconds",
            e("HealthCheckGracePeriodSeconds"),
        )
        .attr_opt("propagate_tags", e("PropagateTags"))
        .attr_opt("enable_ecs_managed_tags", e("EnableECSManagedTags")))
}

/// `MinCapacity` of the scalable target whose resource is the service `id`.
fn min_capacity(m: &Module, id: &str) -> Option<Expr> {
    m.t.resources
        .iter()
        .filter(|t| t.kind == "AWS::ApplicationAutoScaling::ScalableTarget")
        .find(|t| mentions(&t.properties, id))
        .and_then(|t| t.properties.get("MinCapacity"))
        .map(|v| m.expr(v))
}

/// Whether a value refers to the resource `id` anywhere.
pub(super) fn mentions(v: &Value, id: &str) -> bool {
    match v {
        Value::Ref(r) => r == id,
        Value::GetAtt(r, _) => r == id,
        Value::Sub(s) => s.contains(&format!("${{{id}")),
        Value::List(l) => l.iter().any(|x| mentions(x, id)),
        Value::Map(f) => f.iter().any(|(_, x)| mentions(x, id)),
        Value::If(_, a, b) => mentions(a, id) || mentions(b, id),
        Value::Call(_, a) => mentions(a, id),
        _ => false,
    }
}

fn service(m: &Module, r: &Resource) -> Result<Body> {
    let p = m.props(r);
    let mut b = service_attrs(m, r, &p)?;
    if let Some(nc) = p.get("NetworkConfiguration") {
        b = b.blank().block("network_configuration", network(m, nc)?);
    }
    if p.get("CapacityProviderStrategy").is_some() {
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
    if let Some(cb) = p
        .get("DeploymentConfiguration")
        .and_then(|d| d.get("DeploymentCircuitBreaker"))
    {
        only(cb, &["Enable", "Rollback"], "DeploymentCircuitBreaker")?;
        let names = [("Enable", "enable"), ("Rollback", "rollback")];
        b = b
            .blank()
            .block("deployment_circuit_breaker", field_attrs(m, cb, &names));
    }
    for l in p
        .get("LoadBalancers")
        .and_then(Value::as_list)
        .unwrap_or(&[])
    {
        let names = [
            ("TargetGroupArn", "target_group_arn"),
            ("ContainerName", "container_name"),
            ("ContainerPort", "container_port"),
        ];
        only(
            l,
            &["TargetGroupArn", "ContainerName", "ContainerPort"],
            "LoadBalancers",
        )?;
        b = b.blank().block("load_balancer", field_attrs(m, l, &names));
    }
    b = b.blank().block("lifecycle", lifecycle(m, r));
    p.finish()?;
    Ok(with_depends_on(m, r, b, waits_for(m, r)))
}

/// The service's `network_configuration`; `assign_public_ip` is a `bool` in Terraform.
fn network(m: &Module, nc: &Value) -> Result<Body> {
    only(nc, &["AwsvpcConfiguration"], "NetworkConfiguration")?;
    let a = nc.get("AwsvpcConfiguration").cloned().unwrap_or_default();
    only(
        &a,
        &["Subnets", "SecurityGroups", "AssignPublicIp"],
        "AwsvpcConfiguration",
    )?;
    let public = a.get("AssignPublicIp").map(|v| match v {
        Value::Ref(p) if m.bool_param(p).is_some() => {
            raw(format!("var.{}", super::model::var_name(p)))
        }
        Value::Str(w) => raw((w == "ENABLED").to_string()),
        other => raw(format!("{} == \"ENABLED\"", hcl::inline(&m.expr(other)))),
    });
    Ok(field_attrs(
        m,
        &a,
        &[
            ("Subnets", "subnets"),
            ("SecurityGroups", "security_groups"),
        ],
    )
    .attr_opt("assign_public_ip", public))
}

/// What `Metadata: WaitsFor` names (the cluster's capacity providers, on EC2).
fn waits_for(m: &Module, r: &Resource) -> Vec<String> {
    let Some((_, meta)) = r.attributes.iter().find(|(k, _)| k == "Metadata") else {
        return Vec::new();
    };
    let mut ids = Vec::new();
    refs(meta.get("WaitsFor").unwrap_or(&Value::Null), &mut ids);
    ids.iter().filter_map(|id| m.block_address(id)).collect()
}

fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Ref(r) if !r.starts_with("AWS::") => out.push(r.clone()),
        Value::List(l) => l.iter().for_each(|x| refs(x, out)),
        Value::Map(f) => f.iter().for_each(|(_, x)| refs(x, out)),
        Value::If(_, a, b) => {
            refs(a, out);
            refs(b, out);
        }
        _ => {}
    }
}

/// Scaling owns the running count; the stack's rules become preconditions.
fn lifecycle(m: &Module, r: &Resource) -> Body {
    let scaled = m.t.resources.iter().any(|t| {
        t.kind == "AWS::ApplicationAutoScaling::ScalableTarget" && mentions(&t.properties, &r.id)
    });
    // The deploy workflow owns the task definition once the service exists: the stack's service
    // takes it from DeployedTaskDefinition, which the workflow records; the module ignores it.
    let piped = matches!(r.properties.get("TaskDefinition"), Some(Value::If(c, _, _)) if c == "UseStackTaskDefinition");
    let ignored: Vec<&str> = [(scaled, "desired_count"), (piped, "task_definition")]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, a)| *a)
        .collect();
    let mut b = Body::new();
    if !ignored.is_empty() {
        let mut why = Vec::new();
        if scaled {
            why.push("Target tracking scaling owns the running count once the service exists.");
        }
        if piped {
            why.push("The deploy workflow (.github/workflows/deploy-ecs.yml) owns the task definition once the\nservice exists: an apply never rolls the service back to the module's first revision.");
        }
        b = b
            .comment(&why.join("\n"))
            .attr("ignore_changes", raw(format!("[{}]", ignored.join(", "))));
    }
    for (condition, message) in rules(m) {
        b = b.blank().block(
            "precondition",
            Body::new()
                .attr("condition", raw(condition))
                .attr("error_message", s(message)),
        );
    }
    b
}

/// The stack's `Rules` as Terraform conditions: `!RuleCondition || Assert` per assertion.
fn rules(m: &Module) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(rules) = m.t.rules.as_ref().and_then(Value::as_map) else {
        return out;
    };
    for (_, rule) in rules {
        let when = rule.get("RuleCondition").map(|c| hcl::inline(&m.expr(c)));
        for a in rule
            .get("Assertions")
            .and_then(Value::as_list)
            .unwrap_or(&[])
        {
            let assert = hcl::inline(&m.expr(a.get("Assert").unwrap_or(&Value::Bool(true))));
            let condition = match &when {
                Some(w) => format!("{} || {assert}", negate(w)),
                None => assert,
            };
            let text = a
                .get("AssertDescription")
                .and_then(Value::as_str)
                .unwrap_or("");
            out.push((condition, format!("{}.", super::variables::prose(m, text))));
        }
    }
    out
}

fn scalable_target(m: &Module, r: &Resource) -> Result<Body> {
    let p = m.props(r);
    let e = |k: &str| p.get(k).map(|v| m.expr(v));
    let b = Body::new()
        .attr_opt("count", m.count(r))
        .attr_opt("service_namespace", e("ServiceNamespace"))
        .attr_opt("scalable_dimension", e("ScalableDimension"))
        .attr_opt("resource_id", e("ResourceId"))
        .attr_opt("min_capacity", e("MinCapacity"))
        .attr_opt("max_capacity", e("MaxCapacity"))
        .attr_opt("role_arn", e("RoleARN"));
    p.finish()?;
    Ok(b)
}

fn scaling_policy(m: &Module, r: &Resource) -> Result<Body> {
    let p = m.props(r);
    let target = match p.get("ScalingTargetId") {
        Some(Value::Ref(t)) => m.address(t),
        _ => None,
    }
    .ok_or_else(|| Error::Bug(format!("{} names no scalable target of the stack", r.id)))?;
    let mut b = Body::new()
        .attr_opt("count", m.count(r))
        .attr_opt("name", p.get("PolicyName").map(|v| m.expr(v)))
        .attr_opt("policy_type", p.get("PolicyType").map(|v| m.expr(v)));
    for a in ["service_namespace", "scalable_dimension", "resource_id"] {
        b = b.attr(a, raw(format!("{target}.{a}")));
    }
    if let Some(c) = p.get("TargetTrackingScalingPolicyConfiguration") {
        b = b
            .blank()
            .block("target_tracking_scaling_policy_configuration", m.blocks(c));
    }
    p.finish()?;
    Ok(b)
}
