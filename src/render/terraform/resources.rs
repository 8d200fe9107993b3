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

// ---------------------------------------------------------------------------------------------
// From the stack model: the carried resources, and what the printers of alb, ec2, worker,
// schedules and delivery share (block openings and closings, arguments from nested properties,
// IAM policy documents and roles).
// ---------------------------------------------------------------------------------------------

use super::model::{terraform_name, terraform_type, Module};
use crate::error::Result;
use crate::infra::template::Resource;
use crate::infra::value::{sub_escape, sub_parts, SubPart, Value as V};

/// Blocks a printer writes for one resource of the model.
pub(super) type Blocks = Vec<(String, Body)>;

/// A carried `.ebextensions` resource (its type one [`crate::cfn_types`] maps); `None` for
/// any other resource.
pub(super) fn print(m: &Module, r: &Resource) -> Option<Result<Blocks>> {
    let t = cfn_types::lookup(&r.kind)?;
    Some(carried(m, r, t))
}

/// `resource "TYPE" "NAME"` of a resource of the model.
pub(super) fn header(r: &Resource) -> String {
    let ty = terraform_type(&r.kind).unwrap_or("aws_unknown");
    resource(ty, &terraform_name(r))
}

/// The start of a resource's body: the model's comment on it, then its `count`.
pub(super) fn opening(m: &Module, r: &Resource) -> Body {
    let mut b = Body::new();
    if let Some(c) = &r.comment {
        b = b.comment(c);
    }
    b.attr_opt("count", m.count(r))
}

/// The end of a resource's body: `depends_on` and, for a resource the stack keeps,
/// `prevent_destroy` (Terraform has no "keep on destroy"; `terraform state rm` first leaves it
/// in the account as the stack's deletion does).
pub(super) fn closing(m: &Module, r: &Resource, body: Body) -> Body {
    let mut b = body;
    let deps: Vec<String> = r
        .depends_on
        .iter()
        .filter_map(|d| m.address(d))
        .map(|a| a.trim_end_matches("[0]").to_string())
        .collect();
    if !deps.is_empty() {
        b = b
            .blank()
            .attr("depends_on", raw(format!("[{}]", deps.join(", "))));
    }
    if r.retain {
        let address = m.address(&r.id).unwrap_or_default();
        b = b.blank().block(
            "lifecycle",
            Body::new()
                .comment(&format!(
                    "The stack's DeletionPolicy: Retain. Before `terraform destroy`: terraform state rm '{address}'"
                ))
                .attr("prevent_destroy", raw("true")),
        );
    }
    b
}

/// A printer's own function in a value: `jsonencode` of the argument (a document the printer
/// rebuilt from JSON text).
pub(super) const JSONENCODE: &str = "eb2ecs::jsonencode";
/// A printer's own function in a value: the Terraform `bool` variable of a two-valued
/// (`ENABLED`/`DISABLED`) parameter, where Terraform takes a bool.
pub(super) const BOOL_VAR: &str = "eb2ecs::bool_var";

/// A model value as HCL, after [`simplify`].
pub(super) fn value(m: &Module, v: &V) -> Expr {
    match v {
        V::Call(n, a) if n == JSONENCODE => Expr::Call("jsonencode", Box::new(value(m, a))),
        V::Call(n, a) if n == BOOL_VAR => raw(format!("var.{}", snake(a.as_str().unwrap_or("")))),
        other => m.expr(&simplify(other)),
    }
}

/// The value as a list (a policy's `Action: x` is `[x]`).
pub(super) fn listed(m: &Module, v: &V) -> Expr {
    let v = simplify(v);
    match &v {
        V::List(_) => value(m, &v),
        V::Ref(p) if is_list_parameter(m, p) => value(m, &v),
        x if is_scalar(m, x) => Expr::List(vec![value(m, x)]),
        x => match value(m, x) {
            Expr::Raw(r) => raw(format!("flatten([{r}])")),
            e => e,
        },
    }
}

/// Whether a value is one item, never a list.
fn is_scalar(m: &Module, v: &V) -> bool {
    match v {
        V::Str(_) | V::Num(_) | V::Bool(_) | V::Sub(_) | V::GetAtt(..) => true,
        V::Ref(p) => !is_list_parameter(m, p),
        V::Call(f, _) => matches!(f.as_str(), "Fn::Sub" | "Fn::Join" | "Fn::Base64"),
        V::If(_, a, b) => is_scalar(m, a) && is_scalar(m, b),
        V::Null | V::List(_) | V::Map(_) => false,
    }
}

/// Whether a parameter holds a list (`List<…>`, `CommaDelimitedList`).
fn is_list_parameter(m: &Module, name: &str) -> bool {
    m.t.parameter(name)
        .is_some_and(|p| p.kind.starts_with("List<") || p.kind == "CommaDelimitedList")
}

/// A string that is a number or a boolean (`"60"`, `"true"`, which CloudFormation takes as
/// text) as that literal; anything else as [`value`].
pub(super) fn literal(m: &Module, v: &V) -> Expr {
    match v {
        V::Str(s) if s.parse::<f64>().is_ok() || s == "true" || s == "false" => raw(s.clone()),
        other => value(m, other),
    }
}

/// `Fn::Sub` with its own variables as a plain `Fn::Sub` (or a string): a variable that is
/// text goes in as text, one that is a `Ref` / `Fn::GetAtt` as `${Name}` / `${Res.Attr}` (the
/// module would otherwise interpolate string literals); everything else as written.
pub(super) fn simplify(v: &V) -> V {
    match v {
        V::Call(name, arg) if name == "Fn::Sub" => match arg.as_list() {
            Some([V::Str(t), V::Map(vars)]) => inline_sub(t, vars).unwrap_or_else(|| v.clone()),
            _ => v.clone(),
        },
        V::List(l) => V::List(l.iter().map(simplify).collect()),
        V::Map(p) => V::Map(p.iter().map(|(k, x)| (k.clone(), simplify(x))).collect()),
        V::If(c, a, b) => V::If(c.clone(), Box::new(simplify(a)), Box::new(simplify(b))),
        other => other.clone(),
    }
}

/// The `Fn::Sub` string with its variables in place, when every variable can be.
fn inline_sub(template: &str, vars: &[(String, V)]) -> Option<V> {
    let mut text = String::new();
    let mut refs = false;
    for part in sub_parts(template) {
        match part {
            SubPart::Text(t) => text.push_str(&sub_escape(&t)),
            SubPart::Ref(r) => {
                refs |= !matches!(vars.iter().find(|(k, _)| *k == r), Some((_, V::Str(_))));
                match vars.iter().find(|(k, _)| *k == r).map(|(_, x)| x) {
                    Some(V::Str(s)) => text.push_str(&sub_escape(s)),
                    Some(V::Ref(n)) => text.push_str(&format!("${{{n}}}")),
                    Some(V::GetAtt(n, a)) => text.push_str(&format!("${{{n}.{a}}}")),
                    Some(_) => return None,
                    None => text.push_str(&format!("${{{r}}}")),
                }
            }
        }
    }
    Some(if refs {
        V::Sub(text)
    } else {
        V::Str(
            sub_parts(&text)
                .into_iter()
                .map(|p| match p {
                    SubPart::Text(t) => t,
                    SubPart::Ref(r) => format!("${{{r}}}"),
                })
                .collect(),
        )
    })
}

/// A CloudFormation property name as a Terraform argument name: snake_case, a run of capitals
/// one word (`VPCZoneIdentifier` is `vpc_zone_identifier`).
pub(super) fn arg(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev_lower =
                i > 0 && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let prev_upper = i > 0 && chars[i - 1].is_ascii_uppercase();
            if i > 0 && (prev_lower || (prev_upper && next_lower)) {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(*c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out
}

/// Nested properties as a body: a map is a block, a list of maps one block per item, anything
/// else an argument (arguments first, then blocks, each block after a blank line, as `terraform
/// fmt` users write them). `names` renames properties whose argument is not their snake_case
/// name; a name mapped to `""` lifts the map's own properties into this body.
pub(super) fn nested(m: &Module, v: &V, names: &[(&str, &str)]) -> Body {
    let (attrs, blocks) = nested_parts(m, v, names);
    assemble(attrs, blocks)
}

/// Arguments, then blocks, each block after a blank line unless it is the first thing.
pub(super) fn assemble(attrs: Vec<(String, Expr)>, blocks: Blocks) -> Body {
    let mut b = Body::new();
    let any = !attrs.is_empty();
    for (k, x) in attrs {
        b = b.attr(&k, x);
    }
    for (i, (k, x)) in blocks.into_iter().enumerate() {
        if any || i > 0 {
            b = b.blank();
        }
        b = b.block(&k, x);
    }
    b
}

type Parts = (Vec<(String, Expr)>, Blocks);

fn nested_parts(m: &Module, v: &V, names: &[(&str, &str)]) -> Parts {
    let mut attrs = Vec::new();
    let mut blocks = Vec::new();
    for (k, x) in v.as_map().unwrap_or(&[]) {
        let name = names
            .iter()
            .find(|(c, _)| c == k)
            .map_or_else(|| arg(k), |(_, t)| t.to_string());
        match x {
            V::Map(_) if name.is_empty() => {
                let (a, b) = nested_parts(m, x, names);
                attrs.extend(a);
                blocks.extend(b);
            }
            V::Map(_) => blocks.push((name, nested(m, x, names))),
            V::List(items) if !items.is_empty() && items.iter().all(|i| matches!(i, V::Map(_))) => {
                for i in items {
                    blocks.push((name.clone(), nested(m, i, names)));
                }
            }
            other => attrs.push((name, value(m, other))),
        }
    }
    (attrs, blocks)
}

/// `[{Key, Value}]` as a map.
pub(super) fn tag_map(m: &Module, v: &V) -> Expr {
    key_map(m, v, "Key")
}

fn key_map(m: &Module, v: &V, key: &str) -> Expr {
    Expr::Object(
        v.as_list()
            .unwrap_or(&[])
            .iter()
            .filter_map(|p| {
                let k = p.get(key)?.as_str()?.to_string();
                Some((k, value(m, p.get("Value").unwrap_or(&V::Null))))
            })
            .collect(),
    )
}

/// A carried resource with its [`cfn_types`] mapping; properties the mapping lacks were
/// reported by `convert::resources` (`RESOURCE-TERRAFORM`).
fn carried(m: &Module, r: &Resource, t: &CarriedType) -> Result<Blocks> {
    let p = m.props(r);
    let mut body = opening(m, r);
    let given = |k: &str| r.properties.get(k).is_some();
    if let Some((_, a)) = t.required_name.filter(|(k, _)| !given(k)) {
        // CloudFormation would have generated one: the module's instance name and the ID.
        body = body.attr(a, raw(format!("\"${{var.name}}-{}\"", r.id)));
    }
    body = typed(m, r, t, &p, body);
    let mut blocks = Body::new();
    let mut extra = Vec::new();
    for (k, v) in r.properties.as_map().unwrap_or(&[]) {
        match t.properties.iter().find(|(c, _, _)| c == k) {
            Some((_, _, Conv::Special)) => {
                let _ = p.get(k);
                special_of(m, r, t, k, v, &mut body, &mut blocks, &mut extra)
            }
            Some(_) => {}
            None => p.skip(k, "RESOURCE-TERRAFORM: convert::resources reported it"),
        }
    }
    p.finish()?;
    let body = closing(m, r, body.extend(blocks));
    // A queue policy or an IAM policy is one resource per queue / role, its own argument
    // (`queue_url`, `role`) first; other types' extra resources follow the resource itself.
    if matches!(t.cfn, "AWS::SQS::QueuePolicy" | "AWS::IAM::Policy") {
        return Ok(extra
            .into_iter()
            .map(|(n, own)| (n, own.extend(body.clone())))
            .collect());
    }
    let mut out = vec![(header(r), body)];
    out.extend(extra);
    Ok(out)
}

/// The properties a carried type maps plainly (as a value, JSON, tags or dimensions), in the
/// resource's order.
pub(super) fn typed(
    m: &Module,
    r: &Resource,
    t: &CarriedType,
    p: &super::model::Props,
    mut body: Body,
) -> Body {
    for (k, v) in r.properties.as_map().unwrap_or(&[]) {
        let Some((_, a, conv)) = t.properties.iter().find(|(c, _, _)| c == k) else {
            continue;
        };
        let _ = p.get(k);
        body = match conv {
            Conv::Plain => body.attr(a, value(m, v)),
            Conv::Json => body.attr(a, Expr::Call("jsonencode", Box::new(value(m, v)))),
            Conv::Tags => body.attr(a, key_map(m, v, "Key")),
            Conv::Dimensions => body.attr(a, key_map(m, v, "Name")),
            Conv::Special => body,
        };
    }
    body
}

/// The properties a carried type's own code writes: nested blocks, or resources of their own.
#[allow(clippy::too_many_arguments)]
fn special_of(
    m: &Module,
    r: &Resource,
    t: &CarriedType,
    key: &str,
    v: &V,
    body: &mut Body,
    blocks: &mut Body,
    extra: &mut Blocks,
) {
    let get = |v: &V, k: &str| v.get(k).map(|x| value(m, x));
    let list = |v: &V| v.as_list().map(<[V]>::to_vec).unwrap_or_default();
    let mut block = |name: &str, b: Body| *blocks = std::mem::take(blocks).blank().block(name, b);
    match key {
        "KeySchema" => {
            for k in list(v) {
                let a = match k.get("KeyType").and_then(V::as_str) {
                    Some("RANGE") => "range_key",
                    _ => "hash_key",
                };
                *body = std::mem::take(body).attr_opt(a, get(&k, "AttributeName"));
            }
        }
        "AttributeDefinitions" => {
            for a in list(v) {
                block(
                    "attribute",
                    Body::new()
                        .attr_opt("name", get(&a, "AttributeName"))
                        .attr_opt("type", get(&a, "AttributeType")),
                );
            }
        }
        "ProvisionedThroughput" => {
            *body = std::mem::take(body)
                .attr_opt("read_capacity", get(v, "ReadCapacityUnits"))
                .attr_opt("write_capacity", get(v, "WriteCapacityUnits"));
        }
        "GlobalSecondaryIndexes" => {
            for g in list(v) {
                block("global_secondary_index", table_index(m, &g));
            }
        }
        "TimeToLiveSpecification" => block(
            "ttl",
            Body::new()
                .attr_opt("attribute_name", get(v, "AttributeName"))
                .attr_opt("enabled", get(v, "Enabled")),
        ),
        "StreamSpecification" => {
            *body = std::mem::take(body)
                .attr("stream_enabled", raw("true"))
                .attr_opt("stream_view_type", get(v, "StreamViewType"));
        }
        "PointInTimeRecoverySpecification" => block(
            "point_in_time_recovery",
            Body::new().attr_opt("enabled", get(v, "PointInTimeRecoveryEnabled")),
        ),
        "SSESpecification" => block(
            "server_side_encryption",
            Body::new()
                .attr_opt("enabled", get(v, "SSEEnabled"))
                .attr_opt("kms_key_arn", get(v, "KMSMasterKeyId")),
        ),
        _ => resources_of(m, r, t, key, v, extra),
    }
}

/// The properties that become resources of their own: SNS subscriptions, bucket versioning,
/// and one queue policy / IAM policy per queue / role.
fn resources_of(m: &Module, r: &Resource, t: &CarriedType, key: &str, v: &V, extra: &mut Blocks) {
    let name = terraform_name(r);
    let get = |v: &V, k: &str| v.get(k).map(|x| value(m, x));
    let items = v.as_list().map(<[V]>::to_vec).unwrap_or_default();
    match key {
        "Subscription" => {
            for (i, sub) in items.iter().enumerate() {
                let b = Body::new()
                    .attr(
                        "topic_arn",
                        raw(format!("{}.arn", m.address(&r.id).unwrap_or_default())),
                    )
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
                .attr(
                    "bucket",
                    raw(format!("{}.id", m.address(&r.id).unwrap_or_default())),
                )
                .blank()
                .block(
                    "versioning_configuration",
                    Body::new().attr_opt("status", get(v, "Status")),
                );
            extra.push((resource("aws_s3_bucket_versioning", &name), b));
        }
        "Queues" | "Roles" => {
            let a = if key == "Queues" { "queue_url" } else { "role" };
            for (i, q) in items.iter().enumerate() {
                let n = if items.len() == 1 {
                    name.clone()
                } else {
                    format!("{name}_{i}")
                };
                extra.push((resource(t.terraform, &n), Body::new().attr(a, value(m, q))));
            }
        }
        _ => {}
    }
}

/// A `global_secondary_index` block.
fn table_index(m: &Module, g: &V) -> Body {
    let get = |v: &V, k: &str| v.get(k).map(|x| value(m, x));
    let mut b = Body::new().attr_opt("name", get(g, "IndexName"));
    for k in g.get("KeySchema").and_then(V::as_list).unwrap_or(&[]) {
        let a = match k.get("KeyType").and_then(V::as_str) {
            Some("RANGE") => "range_key",
            _ => "hash_key",
        };
        b = b.attr_opt(a, get(k, "AttributeName"));
    }
    let p = g.get("Projection").cloned().unwrap_or(V::Null);
    let t = g.get("ProvisionedThroughput").cloned().unwrap_or(V::Null);
    b.attr_opt("projection_type", get(&p, "ProjectionType"))
        .attr_opt("non_key_attributes", get(&p, "NonKeyAttributes"))
        .attr_opt("read_capacity", get(&t, "ReadCapacityUnits"))
        .attr_opt("write_capacity", get(&t, "WriteCapacityUnits"))
}

/// The module text one printer writes for resource `id` of a stack (YAML), for the unit tests
/// of this helper's printers.
#[cfg(test)]
pub(super) fn printed(
    printer: fn(&Module, &Resource) -> Option<Result<Blocks>>,
    yaml: &str,
    id: &str,
) -> Result<String> {
    let t = crate::infra::template::from_yaml(yaml).expect("a stack");
    let m = Module::new(&t);
    let r = t.resource(id).expect("the resource");
    let blocks = printer(&m, r).expect("printed")?;
    Ok(hcl::file(blocks))
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

    const CARRIED: &str = r#"
Resources:
  Queue:
    Type: AWS::SQS::Queue
    DeletionPolicy: Retain
    Properties: {VisibilityTimeout: 120, Unmapped: 1}
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      Subscription: [{Endpoint: !GetAtt Queue.Arn, Protocol: sqs}]
  QueuePolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Queue]
      PolicyDocument: {Statement: [{Effect: Allow, Resource: !GetAtt Queue.Arn}]}
"#;

    #[test]
    fn carried_resources_print_with_their_mapping() {
        let q = printed(print, CARRIED, "Queue").unwrap();
        assert!(
            q.starts_with(
                "resource \"aws_sqs_queue\" \"queue\" {\n  visibility_timeout_seconds = 120\n"
            ),
            "{q}"
        );
        assert!(q.contains("prevent_destroy = true"), "{q}");
        assert!(!q.contains("Unmapped") && !q.contains("unmapped"), "{q}");
        let t = printed(print, CARRIED, "Topic").unwrap();
        assert!(t.contains("resource \"aws_sns_topic_subscription\" \"topic_0\" {\n  topic_arn = aws_sns_topic.topic.arn\n  protocol  = \"sqs\"\n  endpoint  = aws_sqs_queue.queue.arn\n}"), "{t}");
        let p = printed(print, CARRIED, "QueuePolicy").unwrap();
        assert!(p.starts_with("resource \"aws_sqs_queue_policy\" \"queue_policy\" {\n  queue_url = aws_sqs_queue.queue.url\n  policy = jsonencode({"), "{p}");
    }

    #[test]
    fn sub_variables_that_are_text_or_references_go_in_place() {
        let v = V::Call(
            "Fn::Sub".into(),
            Box::new(V::List(vec![
                V::s("repo:${Repo}:ref:refs/heads/${Branch}/${!x}"),
                V::map([("Repo", V::r("GitHubRepository")), ("Branch", V::s("main"))]),
            ])),
        );
        assert_eq!(
            simplify(&v),
            V::Sub("repo:${GitHubRepository}:ref:refs/heads/main/${!x}".into())
        );
        let text = V::Call(
            "Fn::Sub".into(),
            Box::new(V::List(vec![V::s("a-${N}"), V::map([("N", V::s("${b}"))])])),
        );
        assert_eq!(simplify(&text), V::s("a-${b}"));
    }

    #[test]
    fn property_names_become_argument_names() {
        assert_eq!(arg("VPCZoneIdentifier"), "vpc_zone_identifier");
        assert_eq!(arg("HttpTokens"), "http_tokens");
        assert_eq!(arg("IamInstanceProfile"), "iam_instance_profile");
        assert_eq!(arg("DNSName"), "dns_name");
        assert_eq!(
            arg("AssociatePublicIpAddress"),
            "associate_public_ip_address"
        );
    }
}
