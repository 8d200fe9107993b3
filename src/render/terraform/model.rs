//! Reading the infrastructure model ([`Template`]) for the Terraform printer: where each
//! resource of the model lives in the module (its address), what a reference to it means
//! (`Ref` and `Fn::GetAtt` per resource type), every model value as an HCL expression, and a
//! property reader that fails when a resource has a property the printer did not map — so a
//! property added to the model reaches both outputs or a test fails.

use super::hcl::{self, raw, Body, Expr};
use crate::error::{Error, Result};
use crate::infra::template::{Resource, Template};
use crate::infra::value::{sub_parts, SubPart, Value};
use crate::render::names::snake;
use std::cell::RefCell;
use std::collections::BTreeSet;

/// The model as the module sees it.
pub struct Module<'a> {
    /// The stack.
    pub t: &'a Template,
    /// Values the module names once (a `locals` entry) and refers to by that name.
    aliases: Vec<(Value, String)>,
}

/// The Terraform type the module writes for a CloudFormation resource type, the name it gives
/// resources of that type when the logical id does not decide it, and what `Ref` returns.
struct TypeMap {
    cfn: &'static str,
    tf: &'static str,
    /// The attribute `Ref` yields.
    reference: &'static str,
}

/// The resource types of the stack ([`crate::cfn_types`] covers carried `.ebextensions` ones).
const TYPES: &[TypeMap] = &[
    t("AWS::ECS::Cluster", "aws_ecs_cluster", "name"),
    t("AWS::Logs::LogGroup", "aws_cloudwatch_log_group", "name"),
    t("AWS::IAM::Role", "aws_iam_role", "name"),
    t("AWS::ECS::TaskDefinition", "aws_ecs_task_definition", "arn"),
    t("AWS::EC2::SecurityGroup", "aws_security_group", "id"),
    t(
        "AWS::EC2::SecurityGroupIngress",
        "aws_vpc_security_group_ingress_rule",
        "id",
    ),
    t("AWS::ElasticLoadBalancingV2::LoadBalancer", "aws_lb", "arn"),
    t(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "aws_lb_target_group",
        "arn",
    ),
    t(
        "AWS::ElasticLoadBalancingV2::Listener",
        "aws_lb_listener",
        "arn",
    ),
    t(
        "AWS::ElasticLoadBalancingV2::ListenerCertificate",
        "aws_lb_listener_certificate",
        "id",
    ),
    t(
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        "aws_lb_listener_rule",
        "arn",
    ),
    t(
        "AWS::IAM::InstanceProfile",
        "aws_iam_instance_profile",
        "name",
    ),
    t("AWS::EC2::LaunchTemplate", "aws_launch_template", "id"),
    t(
        "AWS::AutoScaling::AutoScalingGroup",
        "aws_autoscaling_group",
        "name",
    ),
    t(
        "AWS::ECS::CapacityProvider",
        "aws_ecs_capacity_provider",
        "name",
    ),
    t(
        "AWS::ECS::ClusterCapacityProviderAssociations",
        "aws_ecs_cluster_capacity_providers",
        "id",
    ),
    t("AWS::ECS::Service", "aws_ecs_service", "id"),
    t(
        "AWS::ApplicationAutoScaling::ScalableTarget",
        "aws_appautoscaling_target",
        "id",
    ),
    t(
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        "aws_appautoscaling_policy",
        "arn",
    ),
    t("AWS::SQS::Queue", "aws_sqs_queue", "url"),
    t("AWS::Scheduler::Schedule", "aws_scheduler_schedule", "name"),
    t(
        "AWS::IAM::OIDCProvider",
        "aws_iam_openid_connect_provider",
        "arn",
    ),
    t("AWS::ECR::Repository", "aws_ecr_repository", "name"),
];

const fn t(cfn: &'static str, tf: &'static str, reference: &'static str) -> TypeMap {
    TypeMap { cfn, tf, reference }
}

/// `Fn::GetAtt` attribute names that differ from their snake_case Terraform attribute.
const ATTRIBUTES: &[(&str, &str)] = &[
    ("DNSName", "dns_name"),
    ("CanonicalHostedZoneID", "zone_id"),
    ("LoadBalancerFullName", "arn_suffix"),
    ("TargetGroupFullName", "arn_suffix"),
    ("GroupId", "id"),
    ("QueueName", "name"),
    ("LatestVersionNumber", "latest_version"),
    ("RoleId", "unique_id"),
];

/// The Terraform resource type for a CloudFormation type, if the module knows it.
pub fn terraform_type(cfn: &str) -> Option<&'static str> {
    TYPES
        .iter()
        .find(|m| m.cfn == cfn)
        .map(|m| m.tf)
        .or_else(|| crate::cfn_types::lookup(cfn).map(|c| c.terraform))
}

/// The Terraform name of a resource: fixed for the stack's own singletons (`this`, `execution`
/// …), else the logical id in snake_case.
pub fn terraform_name(r: &Resource) -> String {
    let id = r.id.as_str();
    let name = match (r.kind.as_str(), id) {
        ("AWS::IAM::Role", "ExecutionRole") => "execution",
        ("AWS::IAM::Role", "TaskRole") => "task",
        ("AWS::IAM::Role", "InstanceRole") => "instance",
        ("AWS::IAM::Role", "DeployRole") => "deploy",
        ("AWS::IAM::Role", "WorkerSchedulerRole") => "worker_scheduler",
        ("AWS::IAM::Role", "CronSchedulerRole") => "cron_scheduler",
        ("AWS::EC2::SecurityGroupIngress", "ExistingInstancesIngress") => "existing_instances",
        ("AWS::ECS::TaskDefinition", "OneOffTaskDefinition") => "one_off",
        ("AWS::EC2::SecurityGroup", "LoadBalancerSecurityGroup") => "load_balancer",
        ("AWS::EC2::SecurityGroup", "ServiceSecurityGroup") => "service",
        ("AWS::EC2::SecurityGroupIngress", "EfsIngress") => "efs",
        ("AWS::IAM::InstanceProfile", _) => "instance",
        ("AWS::EC2::LaunchTemplate" | "AWS::AutoScaling::AutoScalingGroup", _) => "instances",
        ("AWS::ApplicationAutoScaling::ScalingPolicy", "WorkerBacklogScalingPolicy") => "backlog",
        ("AWS::SQS::Queue", "WorkerQueue") => "worker",
        ("AWS::SQS::Queue", "WorkerDeadLetterQueue") => "worker_dead_letter",
        ("AWS::IAM::OIDCProvider", _) => "github",
        (
            "AWS::ECS::Cluster"
            | "AWS::Logs::LogGroup"
            | "AWS::ECS::TaskDefinition"
            | "AWS::ElasticLoadBalancingV2::LoadBalancer"
            | "AWS::ElasticLoadBalancingV2::TargetGroup"
            | "AWS::ECS::CapacityProvider"
            | "AWS::ECS::ClusterCapacityProviderAssociations"
            | "AWS::ECS::Service"
            | "AWS::ApplicationAutoScaling::ScalableTarget",
            _,
        ) => "this",
        ("AWS::ElasticLoadBalancingV2::Listener", _) => {
            return format!("listener_{}", id.trim_start_matches("Listener"))
        }
        ("AWS::ApplicationAutoScaling::ScalingPolicy", _) => {
            return snake(id.trim_end_matches("ScalingPolicy"))
        }
        _ => return snake(id),
    };
    name.to_string()
}

impl<'a> Module<'a> {
    /// The module of a stack.
    pub fn new(t: &'a Template) -> Module<'a> {
        let mut aliases = Vec::new();
        if t.resource("Cluster").is_some() && t.parameter("ExistingClusterName").is_some() {
            // The cluster the service runs in, created or existing: `local.cluster_name`,
            // which every file of the module reads.
            aliases.push((
                Value::If(
                    "CreateCluster".into(),
                    Box::new(Value::r("Cluster")),
                    Box::new(Value::r("ExistingClusterName")),
                ),
                "local.cluster_name".to_string(),
            ));
        }
        Module { t, aliases }
    }

    /// `TYPE.NAME` of a resource without the `[0]` of a conditional one (for `depends_on`).
    pub fn block_address(&self, id: &str) -> Option<String> {
        self.address(id)
            .map(|a| a.trim_end_matches("[0]").to_string())
    }

    /// The word a two-valued parameter uses for "yes" (`true`, `ENABLED`): such a parameter
    /// is a Terraform `bool`.
    pub fn bool_param(&self, name: &str) -> Option<&'static str> {
        let p = self.t.parameter(name)?;
        let words: Vec<&str> = p.allowed_values.iter().filter_map(Value::as_str).collect();
        match words.as_slice() {
            ["true", "false"] | ["false", "true"] => Some("true"),
            ["ENABLED", "DISABLED"] | ["DISABLED", "ENABLED"] => Some("ENABLED"),
            _ => None,
        }
    }

    /// What a stack condition means where the module tests it: the test itself when it is one
    /// word (`var.enable_execute_command`), else the `local` holding it.
    pub fn cond(&self, name: &str) -> String {
        match self.t.conditions.iter().find(|(k, _)| k == name) {
            Some((_, v)) => {
                let test = hcl::inline(&self.expr(v));
                if test.contains(' ') {
                    condition(name)
                } else {
                    test
                }
            }
            None => condition(name),
        }
    }

    /// Whether a condition is written out where it is tested (it has no `local`).
    pub fn inlined(&self, name: &str) -> bool {
        self.cond(name) != condition(name)
    }

    /// `TYPE.NAME` of a resource of the model (`[0]` appended when it has a condition, as
    /// its `count` makes it a list).
    pub fn address(&self, id: &str) -> Option<String> {
        let r = self.t.resource(id)?;
        let ty = terraform_type(&r.kind)?;
        let index = if r.condition.is_some() { "[0]" } else { "" };
        Some(format!("{ty}.{}{index}", terraform_name(r)))
    }

    /// `count = local.COND ? 1 : 0` for a resource with a condition.
    pub fn count(&self, r: &Resource) -> Option<Expr> {
        r.condition
            .as_ref()
            .map(|c| raw(format!("{} ? 1 : 0", self.cond(c))))
    }

    /// What `Ref NAME` means in the module.
    pub fn reference(&self, name: &str) -> String {
        match name {
            "AWS::StackName" => "var.name".into(),
            "AWS::Region" => "data.aws_region.current.name".into(),
            "AWS::AccountId" => "data.aws_caller_identity.current.account_id".into(),
            "AWS::Partition" => "data.aws_partition.current.partition".into(),
            "AWS::URLSuffix" => "data.aws_partition.current.dns_suffix".into(),
            "AWS::NoValue" => "null".into(),
            p if self.bool_param(p) == Some("ENABLED") => {
                format!("var.{} ? \"ENABLED\" : \"DISABLED\"", var_name(p))
            }
            other => match (self.t.resource(other), self.address(other)) {
                (Some(r), Some(a)) => {
                    let attr = TYPES
                        .iter()
                        .find(|m| m.cfn == r.kind)
                        .map(|m| m.reference)
                        .or_else(|| crate::cfn_types::lookup(&r.kind).map(|c| c.ref_attr))
                        .unwrap_or("id");
                    format!("{a}.{attr}")
                }
                _ => format!("var.{}", var_name(other)),
            },
        }
    }

    /// What `Fn::GetAtt ID.ATTR` means in the module.
    pub fn get_att(&self, id: &str, attr: &str) -> String {
        let carried = self
            .t
            .resource(id)
            .and_then(|r| crate::cfn_types::lookup(&r.kind))
            .and_then(|c| c.attributes.iter().find(|(a, _)| *a == attr))
            .map(|(_, t)| t.to_string());
        let name = carried.unwrap_or_else(|| {
            ATTRIBUTES
                .iter()
                .find(|(a, _)| *a == attr)
                .map_or_else(|| snake(attr), |(_, t)| t.to_string())
        });
        match self.address(id) {
            Some(a) => format!("{a}.{name}"),
            None => format!("var.{}_{name}", snake(id)),
        }
    }

    /// A model value as an HCL expression. Map keys are kept as written (a printer renames
    /// the keys of Terraform arguments itself).
    pub fn expr(&self, v: &Value) -> Expr {
        if let Some((_, a)) = self.aliases.iter().find(|(x, _)| x == v) {
            return raw(a.clone());
        }
        match v {
            Value::Null => raw("null"),
            Value::Bool(b) => raw(b.to_string()),
            Value::Num(n) => raw(n.to_string()),
            Value::Str(s) => hcl::s(s.clone()),
            Value::List(l) => Expr::List(l.iter().map(|x| self.expr(x)).collect()),
            Value::Map(m) => {
                Expr::Object(m.iter().map(|(k, x)| (k.clone(), self.expr(x))).collect())
            }
            Value::Ref(r) => raw(self.reference(r)),
            Value::GetAtt(r, a) => raw(self.get_att(r, a)),
            Value::Sub(s) => raw(self.sub(s)),
            Value::If(c, a, b) => match (a.as_ref(), b.as_ref()) {
                (Value::Bool(true), Value::Bool(false)) => raw(self.cond(c)),
                (Value::Bool(false), Value::Bool(true)) => raw(negate(&self.cond(c))),
                _ => Expr::Cond(self.cond(c), Box::new(self.expr(a)), Box::new(self.expr(b))),
            },
            Value::Call(name, arg) => self.call(name, arg),
        }
    }

    /// An `Fn::Sub` string as an HCL template (a lone reference as the expression itself).
    pub fn sub(&self, s: &str) -> String {
        let parts = sub_parts(s);
        if let [SubPart::Ref(r)] = parts.as_slice() {
            return self.sub_ref(r);
        }
        let mut out = String::from("\"");
        for p in parts {
            match p {
                SubPart::Text(t) => {
                    let q = hcl::quote(&t);
                    out.push_str(&q[1..q.len() - 1]);
                }
                SubPart::Ref(r) => {
                    out.push_str("${");
                    out.push_str(&self.sub_ref(&r));
                    out.push('}');
                }
            }
        }
        out.push('"');
        out
    }

    fn sub_ref(&self, r: &str) -> String {
        match r.split_once('.') {
            Some((id, attr)) if self.t.resource(id).is_some() => self.get_att(id, attr),
            _ => self.reference(r),
        }
    }

    /// The other intrinsic functions.
    fn call(&self, name: &str, arg: &Value) -> Expr {
        let args: Vec<Expr> = match arg {
            Value::List(l) => l.iter().map(|x| self.expr(x)).collect(),
            other => vec![self.expr(other)],
        };
        let one = |i: usize| {
            args.get(i)
                .map(hcl::inline)
                .unwrap_or_else(|| "null".into())
        };
        match name {
            "Condition" => raw(arg.as_str().map(|c| self.cond(c)).unwrap_or_default()),
            "Fn::Equals" => raw(self
                .equals(arg, " == ")
                .unwrap_or_else(|| format!("{} == {}", one(0), one(1)))),
            "Fn::Not" => match arg.as_list() {
                Some([Value::Call(f, inner)]) if f == "Fn::Equals" => raw(self
                    .equals(inner, " != ")
                    .unwrap_or_else(|| negate(&one(0)))),
                _ => raw(negate(&one(0))),
            },
            "Fn::And" => raw(join_ops(&args, " && ", &[" || ", " ? "])),
            "Fn::Or" => raw(join_ops(&args, " || ", &[" ? "])),
            "Fn::Join" => raw(format!("join({}, {})", one(0), one(1))),
            "Fn::Select" => raw(format!("element({}, {})", one(1), one(0))),
            "Fn::Split" => raw(format!("split({}, {})", one(0), one(1))),
            "Fn::Base64" => raw(format!("base64encode({})", one(0))),
            "Fn::GetAZs" => raw("data.aws_availability_zones.available.names".to_string()),
            "Fn::Sub" => match arg.as_list() {
                Some([Value::Str(t), Value::Map(vars)]) => self.sub_with(t, vars),
                _ => raw("null"),
            },
            other => raw(format!("null /* {other} has no Terraform form */")),
        }
    }

    /// `Fn::Equals` of a two-valued parameter and one of its words is the `bool` variable (or
    /// its negation); other comparisons are `a OP b` (`op` is ` == ` or ` != `).
    fn equals(&self, arg: &Value, op: &str) -> Option<String> {
        let [a, b] = arg.as_list()? else { return None };
        let pair = match (a, b) {
            (Value::Ref(p), Value::Str(w)) | (Value::Str(w), Value::Ref(p)) => Some((p, w)),
            _ => None,
        };
        if let Some((p, w)) = pair {
            if let Some(yes) = self.bool_param(p) {
                let v = format!("var.{}", var_name(p));
                return Some(if (w == yes) == (op == " == ") {
                    v
                } else {
                    negate(&v)
                });
            }
        }
        Some(format!(
            "{}{op}{}",
            hcl::inline(&self.expr(a)),
            hcl::inline(&self.expr(b))
        ))
    }

    /// `Fn::Sub` with its own variables: each `${Var}` is the variable's expression.
    fn sub_with(&self, template: &str, vars: &[(String, Value)]) -> Expr {
        let mut out = String::from("\"");
        for p in sub_parts(template) {
            match p {
                SubPart::Text(t) => {
                    let q = hcl::quote(&t);
                    out.push_str(&q[1..q.len() - 1]);
                }
                SubPart::Ref(r) => match vars.iter().find(|(k, _)| *k == r) {
                    // A literal variable is text of the template (escaped), not `${"…"}`.
                    Some((_, Value::Str(t))) => {
                        let q = hcl::quote(t);
                        out.push_str(&q[1..q.len() - 1]);
                    }
                    found => {
                        let e = match found {
                            Some((_, v)) => hcl::inline(&self.expr(v)),
                            None => self.sub_ref(&r),
                        };
                        out.push_str("${");
                        out.push_str(&e);
                        out.push('}');
                    }
                },
            }
        }
        out.push('"');
        raw(out)
    }

    /// A nested property as Terraform blocks: each key in snake_case, a map a block, a list of
    /// maps one block per item, anything else an argument; arguments first, as `terraform fmt`
    /// users write them.
    pub fn blocks(&self, v: &Value) -> Body {
        let fields = v.as_map().unwrap_or(&[]);
        let is_block = |x: &Value| match x {
            Value::Map(_) => true,
            Value::List(l) => !l.is_empty() && l.iter().all(|i| matches!(i, Value::Map(_))),
            _ => false,
        };
        let mut b = Body::new();
        for (k, x) in fields.iter().filter(|(_, x)| !is_block(x)) {
            b = b.attr(&snake(k), self.expr(x));
        }
        for (k, x) in fields.iter().filter(|(_, x)| is_block(x)) {
            let items = match x {
                Value::List(l) => l.iter().collect(),
                one => vec![one],
            };
            for i in items {
                b = b.blank().block(&snake(k), self.blocks(i));
            }
        }
        b
    }

    /// The properties of a resource, read through a [`Props`] that checks every one is used.
    pub fn props(&self, r: &'a Resource) -> Props<'a> {
        Props {
            id: &r.id,
            map: r.properties.as_map().unwrap_or(&[]),
            used: RefCell::new(BTreeSet::new()),
        }
    }
}

/// The variable of a stack parameter (`var.` + this).
pub fn var_name(id: &str) -> String {
    // One word in the module's names, as users write it.
    snake(&id.replace("GitHub", "Github"))
}

/// snake_case that keeps acronyms whole (`LoadBalancerDNSName` → `load_balancer_dns_name`).
pub fn snake_words(id: &str) -> String {
    let c: Vec<char> = id.chars().collect();
    let mut out = String::new();
    for (i, ch) in c.iter().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            let prev_lower = c[i - 1].is_ascii_lowercase() || c[i - 1].is_ascii_digit();
            let next_lower = c.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev_lower || (c[i - 1].is_ascii_uppercase() && next_lower) {
                out.push('_');
            }
        }
        out.push(ch.to_ascii_lowercase());
    }
    out
}

/// `local.NAME` of a stack condition.
pub fn condition(name: &str) -> String {
    format!("local.{}", var_name(name))
}

/// Operands joined by `op`, each in parentheses only when it holds an operator that binds
/// less tightly.
fn join_ops(args: &[Expr], op: &str, looser: &[&str]) -> String {
    args.iter()
        .map(|a| {
            let t = hcl::inline(a);
            if looser.iter().any(|l| t.contains(l)) {
                format!("({t})")
            } else {
                t
            }
        })
        .collect::<Vec<_>>()
        .join(op)
}

/// The negation of a boolean expression written as text.
pub fn negate(t: &str) -> String {
    match t.strip_prefix('!') {
        Some(rest) if !rest.contains(' ') => rest.to_string(),
        _ if !t.contains(' ') => format!("!{t}"),
        _ => format!("!({t})"),
    }
}

/// A resource's properties, each read at most through [`Props::get`] or set aside with
/// [`Props::skip`]; [`Props::finish`] fails on any the printer never looked at.
pub struct Props<'a> {
    id: &'a str,
    map: &'a [(String, Value)],
    used: RefCell<BTreeSet<String>>,
}

impl<'a> Props<'a> {
    /// The property `key`, marked as printed.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.used.borrow_mut().insert(key.to_string());
        self.map.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Mark `key` as deliberately not printed (Terraform has no counterpart, or another
    /// argument carries it); `why` is for the reader of the code.
    pub fn skip(&self, key: &str, why: &str) {
        let _ = why;
        self.used.borrow_mut().insert(key.to_string());
    }

    /// Every property, for a printer that maps them all generically.
    pub fn all(&self) -> &'a [(String, Value)] {
        let mut used = self.used.borrow_mut();
        for (k, _) in self.map {
            used.insert(k.clone());
        }
        self.map
    }

    /// An error naming the properties no printer read.
    pub fn finish(self) -> Result<()> {
        let used = self.used.borrow();
        let missed: Vec<&str> = self
            .map
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| !used.contains(*k))
            .collect();
        if missed.is_empty() {
            Ok(())
        } else {
            Err(Error::Bug(format!(
                "the Terraform printer does not map {} of {}",
                missed.join(", "),
                self.id
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infra::template::from_yaml;

    const STACK: &str = r#"
Parameters:
  ExistingClusterName: {Type: String, Default: ""}
Conditions:
  CreateCluster: !Equals [!Ref ExistingClusterName, ""]
Resources:
  Cluster:
    Type: AWS::ECS::Cluster
    Condition: CreateCluster
    Properties: {ClusterName: !Ref AWS::StackName}
  LogGroup:
    Type: AWS::Logs::LogGroup
    Properties: {RetentionInDays: 7, Extra: 1}
  WorkerQueue:
    Type: AWS::SQS::Queue
"#;

    #[test]
    fn references_become_module_addresses() {
        let t = from_yaml(STACK).unwrap();
        let m = Module::new(&t);
        assert_eq!(m.reference("Cluster"), "aws_ecs_cluster.this[0].name");
        assert_eq!(
            m.reference("LogGroup"),
            "aws_cloudwatch_log_group.this.name"
        );
        assert_eq!(m.reference("WorkerQueue"), "aws_sqs_queue.worker.url");
        assert_eq!(m.get_att("WorkerQueue", "Arn"), "aws_sqs_queue.worker.arn");
        assert_eq!(
            m.reference("ExistingClusterName"),
            "var.existing_cluster_name"
        );
        assert_eq!(
            m.sub("arn:${AWS::Partition}:s3:::${AWS::StackName}-x/${!lit}"),
            "\"arn:${data.aws_partition.current.partition}:s3:::${var.name}-x/$${lit}\""
        );
        let c = &t.conditions[0].1;
        assert_eq!(hcl::inline(&m.expr(c)), "var.existing_cluster_name == \"\"");
        let v = Value::If(
            "CreateCluster".into(),
            Box::new(Value::r("Cluster")),
            Box::new(Value::r("ExistingClusterName")),
        );
        // The module names that value once (`locals`).
        assert_eq!(hcl::inline(&m.expr(&v)), "local.cluster_name");
    }

    #[test]
    fn two_valued_parameters_are_bools_and_one_word_conditions_are_inlined() {
        let t = from_yaml(
            r#"
Parameters:
  Exec: {Type: String, AllowedValues: ["true", "false"], Default: "true"}
  Public: {Type: String, AllowedValues: [ENABLED, DISABLED], Default: ENABLED}
  Other: {Type: String, Default: ""}
Conditions:
  Exec: !Equals [!Ref Exec, "true"]
  NoExec: !Not [!Condition Exec]
  Both: !And [!Condition Exec, !Not [!Equals [!Ref Other, ""]]]
Resources: {}
"#,
        )
        .unwrap();
        let m = Module::new(&t);
        assert_eq!(m.cond("Exec"), "var.exec");
        assert_eq!(m.cond("NoExec"), "!var.exec");
        assert_eq!(m.cond("Both"), "local.both");
        let both = &t.conditions[2].1;
        assert_eq!(hcl::inline(&m.expr(both)), "var.exec && var.other != \"\"");
        assert_eq!(
            m.reference("Public"),
            "var.public ? \"ENABLED\" : \"DISABLED\""
        );
        let v = Value::If(
            "Exec".into(),
            Box::new(Value::Bool(true)),
            Box::new(Value::Bool(false)),
        );
        assert_eq!(hcl::inline(&m.expr(&v)), "var.exec");
    }

    #[test]
    fn a_property_nobody_printed_is_an_error() {
        let t = from_yaml(STACK).unwrap();
        let m = Module::new(&t);
        let p = m.props(t.resource("LogGroup").unwrap());
        assert!(p.get("RetentionInDays").is_some());
        let err = p.finish().unwrap_err().to_string();
        assert!(err.contains("Extra of LogGroup"), "{err}");
    }
}
