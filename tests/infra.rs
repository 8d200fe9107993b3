//! The infrastructure model (`src/infra/`) against both printed outputs, over every golden case
//! and corpus conversion (both launch types): every model resource is in `cloudformation.yaml`
//! (logical id, type, condition, `DeletionPolicy`) and in the Terraform module (the printer's
//! address, `count`/`for_each` for a condition, `prevent_destroy`/`skip_destroy` for
//! retention) with the same ports, health check, sizes, scaling, listeners and queue settings;
//! and neither output has a resource the model does not know.

mod common;

use eb2ecs::infra::{self, Props, Resource};
use eb2ecs::render::terraform::{address, terraform_type};
use serde_json::{json, Value};
use serde_yaml_ng::Value as Yaml;
use std::collections::BTreeMap;

/// Terraform resources the printer writes beside a model resource (rules, attachments, inline
/// policies), and the repositories the CloudFormation side keeps in `delivery.yaml`.
const TERRAFORM_PARTS: &[&str] = &[
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_ecr_repository",
    "aws_ecr_lifecycle_policy",
    "aws_sns_topic_subscription",
];

/// The module's resources by address (`TYPE.NAME`).
fn terraform_resources(artefacts: &[eb2ecs::render::Artefact]) -> BTreeMap<String, hcl::Body> {
    let mut out = BTreeMap::new();
    for a in artefacts.iter().filter(|a| a.name.ends_with(".tf")) {
        let body = hcl::parse(&a.content).unwrap_or_else(|e| panic!("{}: {e}", a.name));
        for b in body.blocks().filter(|b| b.identifier() == "resource") {
            let labels: Vec<&str> = b.labels().iter().map(|l| l.as_str()).collect();
            out.insert(format!("{}.{}", labels[0], labels[1]), b.body().clone());
        }
    }
    out
}

/// An attribute of a Terraform body as JSON (references and templates as their text).
fn tf(body: &hcl::Body, name: &str) -> Value {
    body.attributes()
        .find(|a| a.key() == name)
        .map(|a| expr_json(a.expr()))
        .unwrap_or(Value::Null)
}

fn expr_json(e: &hcl::Expression) -> Value {
    if let hcl::Expression::FuncCall(f) = e {
        if f.name.to_string() == "jsonencode" {
            return expr_json(&f.args[0]);
        }
    }
    serde_json::to_value(hcl::Value::from(e.clone())).unwrap()
}

/// A nested block of a Terraform body.
fn tf_block<'a>(body: &'a hcl::Body, name: &str) -> Option<&'a hcl::Body> {
    body.blocks()
        .find(|b| b.identifier() == name)
        .map(|b| b.body())
}

/// A number, whether written as one or as a string.
fn num(v: &Value) -> Value {
    match v {
        Value::String(s) => s.parse::<u64>().map_or(v.clone(), |n| json!(n)),
        Value::Number(_) => v.clone(),
        other => other.clone(),
    }
}

/// A CloudFormation value as JSON (tags such as `!Ref` kept as `{"!Ref": …}`).
fn cfn(v: &Yaml) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// What the model says of a resource, and what each output says, as comparable facts.
fn facts(r: &Resource, p: &Value, t: &hcl::Body) -> Vec<(String, Value, Value)> {
    let mut out = Vec::new();
    let mut eq = |what: &str, model: Value, cf: Value, tfv: Value| {
        out.push((format!("{what} (model {model})"), num(&cf), num(&tfv)));
        out.push((format!("{what} vs model"), num(&model), num(&cf)));
    };
    match &r.props {
        Props::None | Props::Carried { .. } => {}
        Props::LogGroup { retention_days } => eq(
            "retention",
            json!(retention_days),
            p["RetentionInDays"].clone(),
            tf(t, "retention_in_days"),
        ),
        Props::TaskDefinition {
            family,
            cpu,
            memory,
            network_mode,
            ports,
        } => {
            eq(
                "family",
                json!(family),
                p["Family"].clone(),
                tf(t, "family"),
            );
            eq("cpu", json!(cpu), p["Cpu"].clone(), tf(t, "cpu"));
            eq(
                "memory",
                json!(memory),
                p["Memory"].clone(),
                tf(t, "memory"),
            );
            eq(
                "network mode",
                json!(network_mode),
                p["NetworkMode"].clone(),
                tf(t, "network_mode"),
            );
            let tf_defs = tf(t, "container_definitions");
            for (i, (name, ports)) in ports.iter().enumerate() {
                let c = &p["ContainerDefinitions"][i];
                let cf_ports: Vec<Value> = c["PortMappings"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|m| num(&m["ContainerPort"]))
                    .collect();
                let tf_ports: Vec<Value> = tf_defs[i]["portMappings"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|m| num(&m["containerPort"]))
                    .collect();
                eq(
                    &format!("container {name}"),
                    json!(name),
                    c["Name"].clone(),
                    tf_defs[i]["name"].clone(),
                );
                eq(
                    &format!("ports of {name}"),
                    json!(ports),
                    json!(cf_ports),
                    json!(tf_ports),
                );
            }
        }
        Props::Service {
            target,
            min_healthy_percent,
            max_percent,
        } => {
            let d = &p["DeploymentConfiguration"];
            eq(
                "min healthy",
                json!(min_healthy_percent),
                d["MinimumHealthyPercent"].clone(),
                tf(t, "deployment_minimum_healthy_percent"),
            );
            eq(
                "max percent",
                json!(max_percent),
                d["MaximumPercent"].clone(),
                tf(t, "deployment_maximum_percent"),
            );
            let cf_lb = p["LoadBalancers"]
                .get(0)
                .map(|l| json!([l["ContainerName"], num(&l["ContainerPort"])]));
            let tf_lb = tf_block(t, "load_balancer")
                .map(|b| json!([tf(b, "container_name"), num(&tf(b, "container_port"))]));
            let model = target.as_ref().map(|x| json!([x.container, x.port]));
            eq(
                "load-balanced container",
                json!(model),
                json!(cf_lb),
                json!(tf_lb),
            );
            eq(
                "desired count left to scaling",
                json!(true),
                json!(p.get("DesiredCount").is_none()),
                json!(
                    tf_block(t, "lifecycle").is_some_and(|l| tf(l, "ignore_changes")
                        .to_string()
                        .contains("desired_count"))
                ),
            );
        }
        Props::TargetGroup {
            port,
            target_type,
            health_path,
            health_numbers,
            matcher,
        } => {
            eq("port", json!(port), p["Port"].clone(), tf(t, "port"));
            eq(
                "target type",
                json!(target_type),
                p["TargetType"].clone(),
                tf(t, "target_type"),
            );
            let h = tf_block(t, "health_check").cloned().unwrap_or_default();
            eq(
                "health path",
                json!(health_path),
                p["HealthCheckPath"].clone(),
                tf(&h, "path"),
            );
            let cf_n = [
                "HealthCheckIntervalSeconds",
                "HealthCheckTimeoutSeconds",
                "HealthyThresholdCount",
                "UnhealthyThresholdCount",
            ]
            .map(|k| num(&p[k]));
            let tf_n = [
                "interval",
                "timeout",
                "healthy_threshold",
                "unhealthy_threshold",
            ]
            .map(|k| num(&tf(&h, k)));
            eq(
                "health numbers",
                json!(health_numbers),
                json!(cf_n),
                json!(tf_n),
            );
            eq(
                "matcher",
                json!(matcher),
                p["Matcher"]["HttpCode"].clone(),
                tf(&h, "matcher"),
            );
        }
        Props::Listener {
            port,
            protocol,
            ssl_policy,
            redirect,
        } => {
            eq("port", json!(port), p["Port"].clone(), tf(t, "port"));
            eq(
                "protocol",
                json!(protocol),
                p["Protocol"].clone(),
                tf(t, "protocol"),
            );
            eq(
                "ssl policy",
                json!(ssl_policy),
                p["SslPolicy"].clone(),
                tf(t, "ssl_policy"),
            );
            // A stack parameter may choose (RedirectHttpToHttps): both formats offer the choice.
            // (`!If` as the YAML tag it is in the parsed template, or its long form.)
            let cf_if = p["DefaultActions"]
                .get("Fn::If")
                .or_else(|| p["DefaultActions"].get("!If"));
            let cf_choice = cf_if.is_some();
            let tf_choice = t.blocks().any(|b| {
                b.identifier() == "dynamic"
                    && b.labels()
                        .first()
                        .is_some_and(|l| l.as_str() == "default_action")
            });
            let cf_redirect = if cf_choice {
                json!("choice")
            } else {
                json!(p["DefaultActions"][0]["Type"] == "redirect")
            };
            let tf_redirect = if tf_choice {
                json!("choice")
            } else {
                json!(tf_block(t, "default_action").is_some_and(|a| tf(a, "type") == "redirect"))
            };
            let model = if cf_choice {
                json!("choice")
            } else {
                json!(redirect)
            };
            eq("redirect", model, cf_redirect, tf_redirect);
        }
        Props::ListenerRule { priority } => eq(
            "priority",
            json!(priority),
            p["Priority"].clone(),
            tf(t, "priority"),
        ),
        Props::ScalableTarget { min, max } => {
            eq(
                "min",
                json!(min),
                p["MinCapacity"].clone(),
                tf(t, "min_capacity"),
            );
            eq(
                "max",
                json!(max),
                p["MaxCapacity"].clone(),
                tf(t, "max_capacity"),
            );
        }
        Props::ScalingPolicy { metric, target } => {
            let c = &p["TargetTrackingScalingPolicyConfiguration"];
            let tc = tf_block(t, "target_tracking_scaling_policy_configuration")
                .cloned()
                .unwrap_or_default();
            eq(
                "target",
                json!(target),
                c["TargetValue"].clone(),
                tf(&tc, "target_value"),
            );
            if metric != "backlog" {
                let tm = tf_block(&tc, "predefined_metric_specification")
                    .cloned()
                    .unwrap_or_default();
                eq(
                    "metric",
                    json!(metric),
                    c["PredefinedMetricSpecification"]["PredefinedMetricType"].clone(),
                    tf(&tm, "predefined_metric_type"),
                );
            }
        }
        Props::Queue {
            visibility_timeout,
            retention,
        } => {
            eq(
                "visibility",
                json!(visibility_timeout),
                p["VisibilityTimeout"].clone(),
                tf(t, "visibility_timeout_seconds"),
            );
            eq(
                "retention",
                json!(retention),
                p["MessageRetentionPeriod"].clone(),
                tf(t, "message_retention_seconds"),
            );
        }
        Props::Schedule { expression } => eq(
            "expression",
            json!(expression),
            p["ScheduleExpression"].clone(),
            tf(t, "schedule_expression"),
        ),
    }
    out
}

/// Whether the module keeps a resource when it goes.
fn tf_retained(t: &hcl::Body) -> bool {
    let keep = |b: &hcl::Body, k: &str| tf(b, k) == json!(true);
    keep(t, "skip_destroy") || tf_block(t, "lifecycle").is_some_and(|l| keep(l, "prevent_destroy"))
}

/// The problems of one conversion.
fn problems(c: &common::Conversion) -> Vec<String> {
    let stack = infra::build(&c.model);
    let text = &c
        .artefacts
        .iter()
        .find(|a| a.name == "cloudformation.yaml")
        .unwrap()
        .content;
    let template: Yaml = serde_yaml_ng::from_str(text).unwrap();
    let cf_resources = template["Resources"]
        .as_mapping()
        .cloned()
        .unwrap_or_default();
    let tf_resources = terraform_resources(&c.artefacts);
    let mut out = Vec::new();
    for r in &stack.resources {
        let Some(cr) = cf_resources.get(r.id.as_str()) else {
            out.push(format!("{}: not in cloudformation.yaml", r.id));
            continue;
        };
        let addr = address(r);
        let Some(t) = tf_resources.get(&addr) else {
            out.push(format!("{}: {addr} not in the Terraform module", r.id));
            continue;
        };
        let cr = cfn(cr);
        if cr["Type"] != r.cloudformation_type() {
            out.push(format!("{}: type {} in the stack", r.id, cr["Type"]));
        }
        if cr["Condition"].as_str() != r.condition {
            out.push(format!(
                "{}: condition {} in the stack, {:?} in the model",
                r.id, cr["Condition"], r.condition
            ));
        }
        let counted = tf(t, "count") != Value::Null || tf(t, "for_each") != Value::Null;
        if r.condition.is_some() && !counted {
            out.push(format!(
                "{}: {addr} has no count for condition {:?}",
                r.id, r.condition
            ));
        }
        let cf_retained = cr["DeletionPolicy"] == "Retain";
        if (cf_retained, tf_retained(t)) != (r.retain, r.retain) {
            out.push(format!(
                "{}: retained in model {} / stack {cf_retained} / module {}",
                r.id,
                r.retain,
                tf_retained(t)
            ));
        }
        for (what, a, b) in facts(r, &cr["Properties"], t) {
            if a != b {
                out.push(format!("{} {what}: {a} != {b}", r.id));
            }
        }
    }
    for (id, v) in &cf_resources {
        let id = id.as_str().unwrap_or_default();
        if stack.get(id).is_none() {
            out.push(format!(
                "{id} ({}) is in the stack but not in the model",
                cfn(v)["Type"]
            ));
        }
    }
    let known: Vec<String> = stack.resources.iter().map(address).collect();
    for addr in tf_resources.keys() {
        let kind = addr.split('.').next().unwrap_or_default();
        if !known.contains(addr) && !TERRAFORM_PARTS.contains(&kind) {
            out.push(format!("{addr} is in the module but not in the model"));
        }
    }
    out
}

#[test]
fn every_model_resource_is_printed_alike_in_both_formats() {
    let conversions = common::all_conversions(&["--format", "both"]);
    let mut failures = Vec::new();
    let mut resources = 0;
    for c in &conversions {
        // The old parity model is built from the migration model alone: a case with
        // `--overrides` changes the printed stack on purpose (tests/golden.rs holds it).
        if c.label.contains("stack-overrides") {
            continue;
        }
        resources += infra::build(&c.model).resources.len();
        failures.extend(problems(c).into_iter().map(|p| format!("{}: {p}", c.label)));
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "infra parity: {} conversions, {resources} resources alike in both formats",
        conversions.len()
    );
}

#[test]
fn every_kind_has_a_terraform_type() {
    let c = common::case_conversions();
    for r in c.iter().flat_map(|c| infra::build(&c.model).resources) {
        assert!(address(&r).starts_with(terraform_type(r.kind)));
    }
}

/// Every resource of the stack model (the `Template` both printers read) is in the Terraform
/// module at the address `Module::address` gives, with a `count` when it has a condition: the
/// printer's dispatch reaches every resource.
#[test]
fn every_template_resource_is_at_its_module_address() {
    use eb2ecs::infra::template::from_yaml;
    use eb2ecs::render::terraform::model::Module;
    let conversions = common::all_conversions(&["--format", "both"]);
    let mut failures = Vec::new();
    let mut resources = 0;
    for c in &conversions {
        let text = &c
            .artefacts
            .iter()
            .find(|a| a.name == "cloudformation.yaml")
            .unwrap()
            .content;
        let t = from_yaml(text).unwrap_or_else(|e| panic!("{}: {e}", c.label));
        let m = Module::new(&t);
        let tf_resources = terraform_resources(&c.artefacts);
        for r in &t.resources {
            resources += 1;
            let addr = m.block_address(&r.id).unwrap_or_default();
            match tf_resources.get(&addr) {
                None => failures.push(format!("{}: {} ({addr}) not in the module", c.label, r.id)),
                Some(body) if r.condition.is_some() && tf(body, "count") == Value::Null => {
                    failures.push(format!("{}: {addr} has no count", c.label))
                }
                Some(_) => {}
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} missing:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "{} conversions, {resources} stack resources at their module addresses",
        conversions.len()
    );
}
