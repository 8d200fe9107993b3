//! `resources.tf` (only when `.ebextensions` `Resources` were carried): the same resources as
//! `templates/cfn-carried-resources.yaml.hbs`, each written with its mapping from
//! [`crate::cfn_types`]: the Terraform type, its arguments (nested blocks where Terraform has
//! them, a resource of its own for SNS subscriptions, queue policies and bucket versioning),
//! `prevent_destroy` for the data-holding ones, and references as module addresses.
//! What the mapping lacks was reported by `convert::resources` (`RESOURCE-TERRAFORM`).

use super::hcl::{self, raw, Body, Expr};
use super::{reference, resource};
use crate::cfn_types::{self, CarriedType, Conv};
use crate::render::names::snake;
use crate::render::resources::CarriedCtx;
use serde_json::Value;

/// `resources.tf`.
pub const RESOURCES: &str = "terraform/resources.tf";

/// The file, when resources were carried.
pub(super) fn render(carried: &[CarriedCtx]) -> Option<String> {
    if carried.is_empty() {
        return None;
    }
    let mut blocks = Vec::new();
    for r in carried {
        let Some(t) = cfn_types::lookup(&r.kind) else {
            continue;
        };
        blocks.extend(blocks_of(r, t, carried));
    }
    Some(hcl::file_with_comment(
        "Carried from .ebextensions Resources (the RESOURCE-* findings of CHECKLIST.md); the same\nresources as ../cloudformation.yaml.",
        blocks,
    ))
}

/// The resource (and the resources of its own some properties become).
fn blocks_of(r: &CarriedCtx, t: &CarriedType, all: &[CarriedCtx]) -> Vec<(String, Body)> {
    let name = snake(&r.id);
    let empty = serde_json::Map::new();
    let props = r.properties.as_object().unwrap_or(&empty);
    let mut body = Body::new();
    if let Some((_, arg)) = t.required_name.filter(|(p, _)| !props.contains_key(*p)) {
        // CloudFormation would have generated one: the module's instance name and the ID.
        body = body.attr(arg, raw(format!("\"${{var.name}}-{}\"", r.id)));
    }
    let mut blocks = Vec::new();
    let mut extra = Vec::new();
    for (k, v) in props {
        let Some((_, arg, conv)) = t.properties.iter().find(|(p, _, _)| p == k) else {
            continue;
        };
        match conv {
            Conv::Plain => body = body.attr(arg, expr(v, all)),
            Conv::Json => body = body.attr(arg, Expr::Call("jsonencode", Box::new(expr(v, all)))),
            Conv::Tags => body = body.attr(arg, pairs(v, "Key", all)),
            Conv::Dimensions => body = body.attr(arg, pairs(v, "Name", all)),
            Conv::Special => special(r, t, k, v, all, &mut body, &mut blocks, &mut extra),
        }
    }
    for b in blocks {
        body = body.blank().block(&b.0, b.1);
    }
    if !r.depends_on.is_empty() {
        let deps: Vec<String> = r
            .depends_on
            .iter()
            .filter_map(|d| address(d, all))
            .collect();
        body = body
            .blank()
            .attr("depends_on", raw(format!("[{}]", deps.join(", "))));
    }
    if r.retain {
        body = body.blank().block(
            "lifecycle",
            Body::new().attr("prevent_destroy", raw("true")),
        );
    }
    // A queue policy or an IAM policy is one resource per queue / role, its own argument
    // (`queue_url`, `role`) first; other types' extra resources (subscriptions, versioning)
    // follow the resource itself.
    if matches!(t.cfn, "AWS::SQS::QueuePolicy" | "AWS::IAM::Policy") {
        return extra
            .into_iter()
            .map(|(n, own)| (n, own.extend(body.clone())))
            .collect();
    }
    let mut out = vec![(resource(t.terraform, &name), body)];
    out.extend(extra);
    out
}

/// The properties a type's own code writes.
#[allow(clippy::too_many_arguments)]
fn special(
    r: &CarriedCtx,
    t: &CarriedType,
    key: &str,
    v: &Value,
    all: &[CarriedCtx],
    body: &mut Body,
    blocks: &mut Vec<(String, Body)>,
    extra: &mut Vec<(String, Body)>,
) {
    let get = |v: &Value, k: &str| v.get(k).map(|x| expr(x, all));
    let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
    match key {
        "KeySchema" => {
            for k in list(v) {
                let arg = match k.get("KeyType").and_then(Value::as_str) {
                    Some("RANGE") => "range_key",
                    _ => "hash_key",
                };
                *body = std::mem::take(body).attr_opt(arg, get(&k, "AttributeName"));
            }
        }
        "AttributeDefinitions" => {
            for a in list(v) {
                let b = Body::new()
                    .attr_opt("name", get(&a, "AttributeName"))
                    .attr_opt("type", get(&a, "AttributeType"));
                blocks.push(("attribute".to_string(), b));
            }
        }
        "ProvisionedThroughput" => {
            *body = std::mem::take(body)
                .attr_opt("read_capacity", get(v, "ReadCapacityUnits"))
                .attr_opt("write_capacity", get(v, "WriteCapacityUnits"));
        }
        "GlobalSecondaryIndexes" => {
            for g in list(v) {
                blocks.push(("global_secondary_index".to_string(), index(&g, all)));
            }
        }
        "TimeToLiveSpecification" => blocks.push((
            "ttl".to_string(),
            Body::new()
                .attr_opt("attribute_name", get(v, "AttributeName"))
                .attr_opt("enabled", get(v, "Enabled")),
        )),
        "StreamSpecification" => {
            *body = std::mem::take(body)
                .attr("stream_enabled", raw("true"))
                .attr_opt("stream_view_type", get(v, "StreamViewType"));
        }
        "PointInTimeRecoverySpecification" => blocks.push((
            "point_in_time_recovery".to_string(),
            Body::new().attr_opt("enabled", get(v, "PointInTimeRecoveryEnabled")),
        )),
        "SSESpecification" => blocks.push((
            "server_side_encryption".to_string(),
            Body::new()
                .attr_opt("enabled", get(v, "SSEEnabled"))
                .attr_opt("kms_key_arn", get(v, "KMSMasterKeyId")),
        )),
        _ => own_resources(r, t, key, v, all, extra),
    }
}

/// The properties that become resources of their own: SNS subscriptions, bucket versioning,
/// and one queue policy / IAM policy per queue / role.
fn own_resources(
    r: &CarriedCtx,
    t: &CarriedType,
    key: &str,
    v: &Value,
    all: &[CarriedCtx],
    extra: &mut Vec<(String, Body)>,
) {
    let name = snake(&r.id);
    let get = |v: &Value, k: &str| v.get(k).map(|x| expr(x, all));
    let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
    match key {
        "Subscription" => {
            for (i, sub) in list(v).iter().enumerate() {
                let b = Body::new()
                    .attr("topic_arn", raw(format!("{}.{name}.arn", t.terraform)))
                    .attr_opt("protocol", get(sub, "Protocol"))
                    .attr_opt("endpoint", get(sub, "Endpoint"));
                extra.push((
                    resource("aws_sns_topic_subscription", &format!("{name}_{i}")),
                    b,
                ));
            }
        }
        "VersioningConfiguration" => {
            let b = Body::new()
                .attr("bucket", raw(format!("aws_s3_bucket.{name}.id")))
                .blank()
                .block(
                    "versioning_configuration",
                    Body::new().attr_opt("status", get(v, "Status")),
                );
            extra.push((resource("aws_s3_bucket_versioning", &name), b));
        }
        "Queues" | "Roles" => {
            let arg = if key == "Queues" { "queue_url" } else { "role" };
            let items = list(v);
            for (i, q) in items.iter().enumerate() {
                let n = if items.len() == 1 {
                    name.clone()
                } else {
                    format!("{name}_{i}")
                };
                extra.push((
                    resource(t.terraform, &n),
                    Body::new().attr(arg, expr(q, all)),
                ));
            }
        }
        _ => {}
    }
}

/// A `global_secondary_index` block.
fn index(g: &Value, all: &[CarriedCtx]) -> Body {
    let get = |v: &Value, k: &str| v.get(k).map(|x| expr(x, all));
    let mut b = Body::new().attr_opt("name", get(g, "IndexName"));
    for k in g
        .get("KeySchema")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let arg = match k.get("KeyType").and_then(Value::as_str) {
            Some("RANGE") => "range_key",
            _ => "hash_key",
        };
        b = b.attr_opt(arg, get(k, "AttributeName"));
    }
    let p = g.get("Projection").cloned().unwrap_or(Value::Null);
    b.attr_opt("projection_type", get(&p, "ProjectionType"))
        .attr_opt("non_key_attributes", get(&p, "NonKeyAttributes"))
        .attr_opt(
            "read_capacity",
            g.pointer("/ProvisionedThroughput/ReadCapacityUnits")
                .map(|x| expr(x, all)),
        )
        .attr_opt(
            "write_capacity",
            g.pointer("/ProvisionedThroughput/WriteCapacityUnits")
                .map(|x| expr(x, all)),
        )
}

/// `[{Key, Value}]` (or `[{Name, Value}]`) as a map.
fn pairs(v: &Value, key: &str, all: &[CarriedCtx]) -> Expr {
    let fields = v
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let k = p.get(key)?.as_str()?.to_string();
            Some((k, expr(p.get("Value").unwrap_or(&Value::Null), all)))
        })
        .collect();
    Expr::Object(fields)
}

/// A CloudFormation value (intrinsics included) as an HCL expression.
pub(super) fn expr(v: &Value, all: &[CarriedCtx]) -> Expr {
    match v {
        Value::Object(m) if m.len() == 1 => {
            let (k, arg) = m.iter().next().expect("one key");
            function(k, arg, all).unwrap_or_else(|| Expr::Object(vec![(k.clone(), expr(arg, all))]))
        }
        Value::Object(m) => {
            Expr::Object(m.iter().map(|(k, x)| (k.clone(), expr(x, all))).collect())
        }
        Value::Array(a) => Expr::List(a.iter().map(|x| expr(x, all)).collect()),
        other => hcl::from_json(other),
    }
}

/// An intrinsic function as HCL; `None` when `k` is not one the module writes.
fn function(k: &str, arg: &Value, all: &[CarriedCtx]) -> Option<Expr> {
    let at = |i: usize| arg.get(i).cloned().unwrap_or(Value::Null);
    let text = |e: Expr| hcl::inline(&e);
    Some(match k {
        "Ref" => raw(target(arg.as_str()?, None, all)),
        "Fn::GetAtt" => {
            let id = at(0);
            let attr = at(1);
            raw(target(id.as_str()?, attr.as_str(), all))
        }
        "Fn::Sub" => raw(sub(arg.as_str()?, all)),
        "Fn::Join" => raw(format!(
            "join({}, {})",
            text(expr(&at(0), all)),
            text(expr(&at(1), all))
        )),
        "Fn::Split" => raw(format!(
            "split({}, {})",
            text(expr(&at(0), all)),
            text(expr(&at(1), all))
        )),
        "Fn::Select" => raw(format!(
            "element({}, {})",
            text(expr(&at(1), all)),
            text(expr(&at(0), all))
        )),
        // The one Fn::If a carried resource gets: the stack's cluster choice.
        "Fn::If" if at(0).as_str() == Some("CreateCluster") => raw("local.cluster_name"),
        _ => return None,
    })
}

/// What a `Ref` (attr `None`) or `Fn::GetAtt` names, as a module address.
fn target(id: &str, attr: Option<&str>, all: &[CarriedCtx]) -> String {
    if let Some(a) = address(id, all) {
        let t = all
            .iter()
            .find(|r| r.id == id)
            .and_then(|r| cfn_types::lookup(&r.kind));
        let tf_attr = match (t, attr) {
            (Some(t), None) => t.ref_attr.to_string(),
            (Some(t), Some(x)) => t
                .attributes
                .iter()
                .find(|(c, _)| *c == x)
                .map_or_else(|| snake(x), |(_, tf)| tf.to_string()),
            (None, _) => "id".to_string(),
        };
        return format!("{a}.{tf_attr}");
    }
    let known = match (id, attr) {
        ("AWS::StackName", None) => "var.name",
        ("AWS::URLSuffix", None) => "data.aws_partition.current.dns_suffix",
        ("LoadBalancer", None) => "aws_lb.this.arn",
        ("LoadBalancer", Some("DNSName")) => "aws_lb.this.dns_name",
        ("LoadBalancer", Some("LoadBalancerFullName")) => "aws_lb.this.arn_suffix",
        ("LoadBalancer", Some("LoadBalancerName")) => "aws_lb.this.name",
        ("LoadBalancer", Some("CanonicalHostedZoneID")) => "aws_lb.this.zone_id",
        ("TargetGroup", None) => "aws_lb_target_group.this.arn",
        ("TargetGroup", Some("TargetGroupFullName")) => "aws_lb_target_group.this.arn_suffix",
        ("TargetGroup", Some(_)) => "aws_lb_target_group.this.name",
        ("TaskRole", None) => "aws_iam_role.task.name",
        ("TaskRole", Some(_)) => "aws_iam_role.task.arn",
        ("ServiceSecurityGroup", _) => "aws_security_group.service.id",
        ("LoadBalancerSecurityGroup", _) => "aws_security_group.load_balancer.id",
        ("Service", Some(_)) => "aws_ecs_service.this.name",
        _ => return reference(id),
    };
    known.to_string()
}

/// The module address of a carried resource (`aws_sqs_queue.orders_queue`).
fn address(id: &str, all: &[CarriedCtx]) -> Option<String> {
    let r = all.iter().find(|r| r.id == id)?;
    let t = cfn_types::lookup(&r.kind)?;
    // A queue policy or IAM policy is written per queue / role; its address is the first.
    Some(format!("{}.{}", t.terraform, snake(id)))
}

/// An `Fn::Sub` template as an HCL string template: `${Name}` / `${Name.Attr}` become module
/// references, the rest stays text.
fn sub(template: &str, all: &[CarriedCtx]) -> String {
    let mut out = String::from("\"");
    let mut rest = template;
    let lit = |t: &str| {
        let q = hcl::quote(t);
        q[1..q.len() - 1].to_string()
    };
    while let Some(i) = rest.find("${") {
        out.push_str(&lit(&rest[..i]));
        let after = &rest[i + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&lit(&rest[i..]));
            rest = "";
            break;
        };
        let name = &after[..end];
        if let Some(literal) = name.strip_prefix('!') {
            out.push_str(&lit(&format!("${{{literal}}}")));
        } else {
            let (id, attr) = name
                .split_once('.')
                .map_or((name, None), |(a, b)| (a, Some(b)));
            out.push_str(&format!("${{{}}}", target(id, attr, all)));
        }
        rest = &after[end + 1..];
    }
    out.push_str(&lit(rest));
    out.push('"');
    out
}

/// Give the task definition's containers the module's spelling of carried references.
pub(super) fn containers(v: &Value, all: &[CarriedCtx]) -> Value {
    match v {
        Value::Object(m)
            if m.len() == 1 && (m.contains_key("Ref") || m.contains_key("Fn::GetAtt")) =>
        {
            let e = expr(v, all);
            match e {
                Expr::Raw(r)
                    if all
                        .iter()
                        .any(|c| r.starts_with(&address(&c.id, all).unwrap_or_default())) =>
                {
                    serde_json::json!({ "Ref": r })
                }
                _ => v.clone(),
            }
        }
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), containers(x, all)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|x| containers(x, all)).collect()),
        other => other.clone(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_carried_type_is_the_one_the_conversion_carries() {
        for t in cfn_types::TYPES {
            assert!(t.terraform.starts_with("aws_"), "{}", t.cfn);
            assert!(!t.ref_attr.is_empty(), "{}", t.cfn);
        }
    }

    #[test]
    fn references_become_module_addresses() {
        let all = vec![CarriedCtx {
            id: "OrdersQueue".into(),
            kind: "AWS::SQS::Queue".into(),
            retain: true,
            depends_on: vec![],
            properties: json!({}),
        }];
        assert_eq!(
            expr(&json!({"Ref": "OrdersQueue"}), &all),
            raw("aws_sqs_queue.orders_queue.url")
        );
        assert_eq!(
            expr(&json!({"Fn::GetAtt": ["OrdersQueue", "Arn"]}), &all),
            raw("aws_sqs_queue.orders_queue.arn")
        );
        assert_eq!(
            expr(
                &json!({"Fn::Sub": "${OrdersQueue.QueueName}-${AWS::Region}"}),
                &all
            ),
            raw("\"${aws_sqs_queue.orders_queue.name}-${data.aws_region.current.name}\"")
        );
        assert_eq!(
            expr(&json!({"Ref": "TaskRole"}), &all),
            raw("aws_iam_role.task.name")
        );
    }
}
