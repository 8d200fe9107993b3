//! The Terraform module (`--format terraform`): the same stack as `cloudformation.yaml`, resource
//! for resource, from the same typed context ([`super::cloudformation::context`]), written as
//! HCL by [`hcl`] exactly as `terraform fmt` would. Stack parameters become typed variables,
//! stack conditions become `count` / `for_each` on those variables, `AWS::StackName` becomes
//! `var.name` (so two instances of the module deploy side by side).

mod alb;
mod delivery;
mod ec2;
mod ecs;
pub mod hcl;
mod iam;
pub mod model;
mod oneoff;
mod resources;
mod schedules;
mod variables;
mod worker;

use super::cloudformation::{self, Context};
use super::Artefact;
use crate::error::{Error, Result};
use crate::infra::template::Template;
use crate::model::MigrationModel;
use crate::render::names::snake;
use hcl::{raw, Body, Expr};
use serde_json::Value;

/// The folder of the module inside `--out`.
pub const DIR: &str = "terraform";
/// `versions.tf`.
pub const VERSIONS: &str = "terraform/versions.tf";
/// `variables.tf`.
pub const VARIABLES: &str = "terraform/variables.tf";
/// `main.tf`: cluster, log group, task definition, service, scaling.
pub const MAIN: &str = "terraform/main.tf";
/// `iam.tf`.
pub const IAM: &str = "terraform/iam.tf";
/// `alb.tf` (only with a load balancer).
pub const ALB: &str = "terraform/alb.tf";
/// `ec2.tf` (only with the EC2 launch type).
pub const EC2: &str = "terraform/ec2.tf";
/// `worker.tf` (only for a worker environment).
pub const WORKER: &str = "terraform/worker.tf";
/// `outputs.tf`.
pub const OUTPUTS: &str = "terraform/outputs.tf";
/// `terraform.tfvars.example`.
pub const TFVARS: &str = "terraform/terraform.tfvars.example";

/// The AWS provider versions the module needs (`aws_vpc_security_group_ingress_rule` came with
/// 5.0; 5.40 is a tested floor).
pub const PROVIDER_VERSION: &str = ">= 5.40";
/// The Terraform versions the module needs.
pub const TERRAFORM_VERSION: &str = ">= 1.5";

/// The module's resource for a resource of the infrastructure model (`TYPE.NAME`): the one
/// this printer writes for it (security-group rules, policy attachments and inline policies
/// it writes beside it belong to it).
pub fn address(r: &crate::infra::Resource) -> String {
    use crate::infra::{Kind, Props};
    if let Props::Carried { terraform, .. } = &r.props {
        return format!("{terraform}.{}", snake(&r.id));
    }
    let name = match (r.kind, r.id.as_str()) {
        (Kind::Role, "ExecutionRole") => "execution".to_string(),
        (Kind::Role, "TaskRole") => "task".to_string(),
        (Kind::Role, "InstanceRole") => "instance".to_string(),
        (Kind::Role, "DeployRole") => "deploy".to_string(),
        (Kind::Role, "WorkerSchedulerRole") => "worker_scheduler".to_string(),
        (Kind::Role, "CronSchedulerRole") => "cron_scheduler".to_string(),
        (Kind::TaskDefinition, "OneOffTaskDefinition") => "one_off".to_string(),
        (Kind::SecurityGroup, "LoadBalancerSecurityGroup") => "load_balancer".to_string(),
        (Kind::SecurityGroup, _) => "service".to_string(),
        (Kind::SecurityGroupIngress, "EfsIngress") => "efs".to_string(),
        (Kind::SecurityGroupIngress, _) => "existing_instances".to_string(),
        (Kind::Listener, id) => format!("listener_{}", id.trim_start_matches("Listener")),
        (Kind::ListenerCertificate, id) => {
            format!("extra_{}", id.trim_start_matches("ExtraCertificate"))
        }
        (Kind::InstanceProfile, _) => "instance".to_string(),
        (Kind::LaunchTemplate | Kind::AutoScalingGroup, _) => "instances".to_string(),
        (Kind::ScalingPolicy, "WorkerBacklogScalingPolicy") => "backlog".to_string(),
        (Kind::ScalingPolicy, id) => snake(id.trim_end_matches("ScalingPolicy")),
        (Kind::Queue, "WorkerQueue") => "worker".to_string(),
        (Kind::Queue, _) => "worker_dead_letter".to_string(),
        (Kind::OidcProvider, _) => "github".to_string(),
        (Kind::Role | Kind::ListenerRule | Kind::Schedule, id) => snake(id),
        _ => "this".to_string(),
    };
    format!("{}.{name}", terraform_type(r.kind))
}

/// The Terraform resource type the module writes for a kind of the infrastructure model.
pub fn terraform_type(kind: crate::infra::Kind) -> &'static str {
    use crate::infra::Kind;
    match kind {
        Kind::Cluster => "aws_ecs_cluster",
        Kind::LogGroup => "aws_cloudwatch_log_group",
        Kind::Role => "aws_iam_role",
        Kind::TaskDefinition => "aws_ecs_task_definition",
        Kind::SecurityGroup => "aws_security_group",
        Kind::SecurityGroupIngress => "aws_vpc_security_group_ingress_rule",
        Kind::LoadBalancer => "aws_lb",
        Kind::TargetGroup => "aws_lb_target_group",
        Kind::Listener => "aws_lb_listener",
        Kind::ListenerCertificate => "aws_lb_listener_certificate",
        Kind::ListenerRule => "aws_lb_listener_rule",
        Kind::InstanceProfile => "aws_iam_instance_profile",
        Kind::LaunchTemplate => "aws_launch_template",
        Kind::AutoScalingGroup => "aws_autoscaling_group",
        Kind::CapacityProvider => "aws_ecs_capacity_provider",
        Kind::ClusterCapacityProviders => "aws_ecs_cluster_capacity_providers",
        Kind::Service => "aws_ecs_service",
        Kind::ScalableTarget => "aws_appautoscaling_target",
        Kind::ScalingPolicy => "aws_appautoscaling_policy",
        Kind::Queue => "aws_sqs_queue",
        Kind::Schedule => "aws_scheduler_schedule",
        Kind::OidcProvider => "aws_iam_openid_connect_provider",
        // The type is the carried resource's own (`address` reads it).
        Kind::Carried => "aws_",
    }
}

/// A block header: `resource "TYPE" "NAME"`.
fn resource(kind: &str, name: &str) -> String {
    format!("resource \"{kind}\" \"{name}\"")
}

/// A block header: `data "TYPE" "NAME"`.
fn data(kind: &str, name: &str) -> String {
    format!("data \"{kind}\" \"{name}\"")
}

/// A stack value (a JSON value that may hold `Ref` / `Fn::Sub`) as an HCL expression.
fn cfn(v: &Value) -> Expr {
    match v {
        Value::Object(m) if m.len() == 1 => {
            if let Some(Value::String(r)) = m.get("Ref") {
                return raw(reference(r));
            }
            if let Some(Value::String(t)) = m.get("Fn::Sub") {
                return raw(sub(t));
            }
            Expr::Object(m.iter().map(|(k, v)| (k.clone(), cfn(v))).collect())
        }
        Value::Object(m) => Expr::Object(m.iter().map(|(k, v)| (k.clone(), cfn(v))).collect()),
        Value::Array(a) => Expr::List(a.iter().map(cfn).collect()),
        other => hcl::from_json(other),
    }
}

/// What a stack `Ref` names, in the module.
fn reference(name: &str) -> String {
    match name {
        "LogGroup" => "aws_cloudwatch_log_group.this.name".to_string(),
        "WorkerQueue" => "aws_sqs_queue.worker.url".to_string(),
        "AWS::Region" => "data.aws_region.current.name".to_string(),
        "AWS::AccountId" => "data.aws_caller_identity.current.account_id".to_string(),
        "AWS::Partition" => "data.aws_partition.current.partition".to_string(),
        // A module address already (a carried resource's, from resources::containers).
        other if other.contains('.') => other.to_string(),
        other => format!("var.{}", snake(other)),
    }
}

/// An `Fn::Sub` string as an HCL template: the pseudo parameters become data sources, the rest
/// stays text.
fn sub(template: &str) -> String {
    hcl::quote(template)
        .replace(
            "$${AWS::Partition}",
            "${data.aws_partition.current.partition}",
        )
        .replace("$${AWS::Region}", "${data.aws_region.current.name}")
        .replace(
            "$${AWS::AccountId}",
            "${data.aws_caller_identity.current.account_id}",
        )
}

/// The `lifecycle` of a resource the stack keeps (`DeletionPolicy: Retain`): Terraform has no
/// "keep on destroy", so `prevent_destroy` makes `terraform destroy` stop until the resource is
/// taken out of the state (`terraform state rm ADDRESS`), which leaves it in the account as the
/// stack's deletion does.
fn retained(body: Body, address: &str) -> Body {
    body.blank().block(
        "lifecycle",
        Body::new()
            .comment(&format!(
                "The stack's DeletionPolicy: Retain. Before `terraform destroy`: terraform state rm '{address}'"
            ))
            .attr("prevent_destroy", raw("true")),
    )
}

/// Whether the module has the load balancer and whether it runs on EC2.
fn shape(ctx: &Context) -> (bool, bool) {
    (ctx.lb.is_some(), !ctx.fargate)
}

fn versions() -> String {
    let terraform = Body::new()
        .attr("required_version", hcl::s(TERRAFORM_VERSION))
        .blank()
        .block(
            "required_providers",
            Body::new().attr("aws", provider_object()),
        );
    hcl::file_with_comment(
        "Written by eb2ecs: the same stack as ../cloudformation.yaml. eb2ecs's tests check it with `terraform fmt`,\n`terraform validate` (AWS provider 5.100) and `terraform apply` into a local AWS stand-in (moto).",
        vec![
            ("terraform".to_string(), terraform),
            (
                "provider \"aws\"".to_string(),
                Body::new().attr("region", raw("var.region")),
            ),
            (data("aws_region", "current"), Body::new()),
            (data("aws_partition", "current"), Body::new()),
            (data("aws_caller_identity", "current"), Body::new()),
        ],
    )
}

/// `{ source = ..., version = ... }` of the AWS provider.
fn provider_object() -> Expr {
    Expr::Object(vec![
        ("source".to_string(), hcl::s("hashicorp/aws")),
        ("version".to_string(), hcl::s(PROVIDER_VERSION)),
    ])
}

fn outputs(ctx: &Context) -> String {
    let out = |name: &str, desc: Option<&str>, value: &str| {
        let b = Body::new().attr_opt("description", desc.map(hcl::s));
        (format!("output \"{name}\""), b.attr("value", raw(value)))
    };
    let mut blocks = Vec::new();
    if ctx.lb.is_some() {
        blocks.push(out(
            "load_balancer_dns_name",
            Some("Point your DNS record here after the smoke test"),
            "aws_lb.this.dns_name",
        ));
        blocks.push(out(
            "load_balancer_canonical_hosted_zone_id",
            Some("Hosted zone of the load balancer, for a Route 53 alias record"),
            "aws_lb.this.zone_id",
        ));
        blocks.push(out(
            "target_group_arn",
            Some("Target group of the service (aws elbv2 describe-target-health)"),
            "aws_lb_target_group.this.arn",
        ));
    }
    blocks.push(out("cluster_name", None, "local.cluster_name"));
    blocks.push(out("service_name", None, "aws_ecs_service.this.name"));
    blocks.push(out(
        "log_group_name",
        None,
        "aws_cloudwatch_log_group.this.name",
    ));
    blocks.push(out(
        "task_definition_arn",
        None,
        "aws_ecs_task_definition.this.arn",
    ));
    if !ctx.database_params.is_empty() {
        blocks.push(out(
            "database_client_security_group",
            Some("Security group of the tasks, which the database's security group must admit (aws ec2 authorize-security-group-ingress)"),
            "aws_security_group.service.id",
        ));
    }
    hcl::file(blocks)
}

/// Render the module: one artefact per file, every name under `terraform/`.
pub fn render(model: &MigrationModel, stack: &Template) -> Result<Vec<Artefact>> {
    let _module = model::Module::new(stack);
    let ctx = cloudformation::context(model);
    let (lb, ec2) = shape(&ctx);
    let mut out = vec![
        (VERSIONS, versions()),
        (VARIABLES, variables::render(model, &ctx)),
        (MAIN, ecs::render(&ctx)),
        (IAM, iam::render(&ctx)),
    ];
    if lb {
        out.push((ALB, alb::render(&ctx)));
    }
    if ec2 {
        out.push((EC2, ec2::render(&ctx)));
    }
    out.extend(oneoff::render(&ctx));
    out.extend(worker::render(&ctx).map(|w| (WORKER, w)));
    out.extend(schedules::render(&ctx));
    out.extend(resources::render(&ctx.carried).map(|r| (resources::RESOURCES, r)));
    out.push((OUTPUTS, outputs(&ctx)));
    out.push((TFVARS, variables::tfvars(model, &ctx)));
    out.extend(
        ctx.delivery
            .as_ref()
            .map(|d| (delivery::DELIVERY, delivery::render(d))),
    );
    for (name, text) in &out {
        check_balanced(name, text)?;
    }
    Ok(out
        .into_iter()
        .map(|(name, content)| Artefact { name, content })
        .collect())
}

/// A cheap parse-back: braces and brackets outside strings balance (the suite parses every
/// file with python-hcl2 and runs `terraform fmt -check`).
fn check_balanced(name: &str, text: &str) -> Result<()> {
    let mut depth: i64 = 0;
    let mut in_str = false;
    let mut escaped = false;
    for c in text.chars() {
        match (in_str, c) {
            (true, _) if escaped => escaped = false,
            (true, '\\') => escaped = true,
            (true, '"') => in_str = false,
            (false, '"') => in_str = true,
            (false, '{' | '[') => depth += 1,
            (false, '}' | ']') => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            break;
        }
    }
    if depth != 0 || in_str {
        return Err(Error::Bug(format!("{name} is not balanced HCL")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stack_references_become_module_references() {
        assert_eq!(
            cfn(&json!({"Ref": "LogGroup"})),
            raw("aws_cloudwatch_log_group.this.name")
        );
        assert_eq!(
            cfn(&json!({"Ref": "ImageNginxProxy"})),
            raw("var.image_nginx_proxy")
        );
        assert_eq!(
            cfn(&json!({"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/a/${x}"})),
            raw("\"arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:parameter/a/$${x}\"")
        );
    }

    #[test]
    fn parameter_names_become_snake_case() {
        assert_eq!(snake("ImageNginxProxy"), "image_nginx_proxy");
        assert_eq!(snake("VpcId"), "vpc_id");
    }
}
