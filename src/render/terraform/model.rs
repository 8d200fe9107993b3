//! Reading the infrastructure model ([`Template`]) for the Terraform printer: where each
//! resource of the model lives in the module (its address), what a reference to it means
//! (`Ref` and `Fn::GetAtt` per resource type), every model value as an HCL expression, and a
//! property reader that fails when a resource has a property the printer did not map — so a
//! property added to the model reaches both outputs or a test fails.

use super::hcl::{self, raw, Expr};
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
        Module { t }
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
            .map(|c| raw(format!("{} ? 1 : 0", condition(c))))
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
            other => match (self.t.resource(other), self.address(other)) {
                (Some(r), Some(a)) => {
                    let attr = TYPES
                        .iter()
                        .find(|m| m.cfn == r.kind)
                        .map_or("id", |m| m.reference);
                    format!("{a}.{attr}")
                }
                _ => format!("var.{}", snake(other)),
            },
        }
    }

    /// What `Fn::GetAtt ID.ATTR` means in the module.
    pub fn get_att(&self, id: &str, attr: &str) -> String {
        let name = ATTRIBUTES
            .iter()
            .find(|(a, _)| *a == attr)
            .map_or_else(|| snake(attr), |(_, t)| t.to_string());
        match self.address(id) {
            Some(a) => format!("{a}.{name}"),
            None => format!("var.{}_{name}", snake(id)),
        }
    }

    /// A model value as an HCL expression. Map keys are kept as written (a printer renames
    /// the keys of Terraform arguments itself).
    pub fn expr(&self, v: &Value) -> Expr {
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
            Value::If(c, a, b) => {
                Expr::Cond(condition(c), Box::new(self.expr(a)), Box::new(self.expr(b)))
            }
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
            "Condition" => raw(arg.as_str().map(condition).unwrap_or_default()),
            "Fn::Equals" => raw(format!("{} == {}", one(0), one(1))),
            "Fn::Not" => raw(format!("!({})", one(0))),
            "Fn::And" => raw(join_ops(&args, " && ")),
            "Fn::Or" => raw(join_ops(&args, " || ")),
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

    /// `Fn::Sub` with its own variables: each `${Var}` is the variable's expression.
    fn sub_with(&self, template: &str, vars: &[(String, Value)]) -> Expr {
        let mut out = String::from("\"");
        for p in sub_parts(template) {
            match p {
                SubPart::Text(t) => {
                    let q = hcl::quote(&t);
                    out.push_str(&q[1..q.len() - 1]);
                }
                SubPart::Ref(r) => {
                    let e = match vars.iter().find(|(k, _)| *k == r) {
                        Some((_, v)) => hcl::inline(&self.expr(v)),
                        None => self.sub_ref(&r),
                    };
                    out.push_str("${");
                    out.push_str(&e);
                    out.push('}');
                }
            }
        }
        out.push('"');
        raw(out)
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

/// `local.NAME` of a stack condition.
pub fn condition(name: &str) -> String {
    format!("local.{}", snake(name))
}

fn join_ops(args: &[Expr], op: &str) -> String {
    args.iter()
        .map(|a| format!("({})", hcl::inline(a)))
        .collect::<Vec<_>>()
        .join(op)
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
        assert_eq!(
            hcl::inline(&m.expr(&v)),
            "local.create_cluster ? aws_ecs_cluster.this[0].name : var.existing_cluster_name"
        );
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
