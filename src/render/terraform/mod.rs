//! The Terraform module (`--format terraform`): the same stack as `cloudformation.yaml`, printed
//! from the same model ([`Template`], read through [`model::Module`]), resource for resource,
//! written as HCL by [`hcl`] exactly as `terraform fmt` would. [`render`] walks the stack's
//! resources in order and hands each to the printer of its type (every property mapped or
//! skipped, else an error); stack parameters become typed variables, stack conditions `locals`
//! and `count`, `AWS::StackName` becomes `var.name` (so two instances of the module deploy side
//! by side).

mod alb;
mod delivery;
mod ec2;
mod ecs;
pub mod hcl;
mod iam;
pub mod model;
mod oneoff;
// Transitional: its `containers` served the old main.tf; the file's printer replaces it.
#[allow(dead_code)]
mod resources;
mod schedules;
mod variables;
mod worker;

use super::Artefact;
use crate::error::{Error, Result};
use crate::infra::template::{Resource, Template};
use crate::model::MigrationModel;
use crate::render::names::snake;
use hcl::{raw, Body, Expr};
use model::Module;

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
/// 5.0; the GitHub OIDC provider without `thumbprint_list` needs 5.81; the suite validates and
/// applies with 5.100).
pub const PROVIDER_VERSION: &str = ">= 5.81";
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

/// Which file of the module a resource of the stack lands in.
fn file_of(r: &Resource) -> &'static str {
    match (r.kind.as_str(), r.id.as_str()) {
        ("AWS::IAM::Role", "ExecutionRole" | "TaskRole") => IAM,
        ("AWS::ECS::TaskDefinition", "OneOffTaskDefinition") => oneoff::ONEOFF,
        ("AWS::IAM::Role", "InstanceRole")
        | ("AWS::IAM::InstanceProfile", _)
        | ("AWS::EC2::LaunchTemplate", _)
        | ("AWS::AutoScaling::AutoScalingGroup", _)
        | ("AWS::ECS::CapacityProvider", _)
        | ("AWS::ECS::ClusterCapacityProviderAssociations", _) => EC2,
        ("AWS::IAM::Role", "DeployRole") | ("AWS::IAM::OIDCProvider", _) => delivery::DELIVERY,
        ("AWS::IAM::Role", "CronSchedulerRole") => schedules::SCHEDULES,
        ("AWS::Scheduler::Schedule", id) if id.starts_with("Cron") => schedules::SCHEDULES,
        ("AWS::IAM::Role", "WorkerSchedulerRole")
        | ("AWS::Scheduler::Schedule", _)
        | ("AWS::SQS::Queue", "WorkerQueue" | "WorkerDeadLetterQueue")
        | ("AWS::ApplicationAutoScaling::ScalingPolicy", "WorkerBacklogScalingPolicy") => WORKER,
        ("AWS::EC2::SecurityGroup", "LoadBalancerSecurityGroup")
        | ("AWS::ElasticLoadBalancingV2::LoadBalancer", _)
        | ("AWS::ElasticLoadBalancingV2::TargetGroup", _)
        | ("AWS::ElasticLoadBalancingV2::Listener", _)
        | ("AWS::ElasticLoadBalancingV2::ListenerCertificate", _)
        | ("AWS::ElasticLoadBalancingV2::ListenerRule", _) => ALB,
        (
            "AWS::ECS::Cluster"
            | "AWS::Logs::LogGroup"
            | "AWS::ECS::TaskDefinition"
            | "AWS::ECS::Service"
            | "AWS::EC2::SecurityGroup"
            | "AWS::EC2::SecurityGroupIngress"
            | "AWS::ApplicationAutoScaling::ScalableTarget"
            | "AWS::ApplicationAutoScaling::ScalingPolicy",
            _,
        ) => MAIN,
        _ => resources::RESOURCES,
    }
}

/// A block that lands elsewhere than its resource: the task role's access to the worker
/// queue sits with the queue.
fn block_file(header: &str) -> Option<&'static str> {
    match header {
        "data \"aws_iam_policy_document\" \"worker_queue\""
        | "resource \"aws_iam_role_policy\" \"task_worker_queue\"" => Some(WORKER),
        _ => None,
    }
}

/// Which file a stack parameter's variable lands in.
fn variable_file(id: &str) -> &'static str {
    match id {
        "SchedulesEnabled" => schedules::SCHEDULES,
        "SqsdImage" | "ExistingWorkerQueueUrl" => WORKER,
        "GitHubOidcProviderArn" | "GitHubRepository" => delivery::DELIVERY,
        _ => VARIABLES,
    }
}

/// Which file a stack output lands in.
fn output_file(id: &str) -> &'static str {
    match id {
        "OneOffTaskDefinitionArn" | "TaskSubnets" | "TaskSecurityGroup" | "TaskAssignPublicIp" => {
            oneoff::ONEOFF
        }
        "DeployRoleArn" | "ExecutionRoleArn" | "TaskRoleArn" => delivery::DELIVERY,
        id if id.starts_with("Worker") => WORKER,
        _ => OUTPUTS,
    }
}

/// A printer of some resource types: `None` for a resource it does not print.
type Printer = fn(&Module, &Resource) -> Option<Result<Vec<(String, Body)>>>;

/// The printers of this module's own files, then those of the other files, in the order they
/// are asked.
const OWN: &[Printer] = &[ecs::print, oneoff::print, iam::print];
const OTHERS: &[Printer] = &[
    alb::print,
    ec2::print,
    worker::print,
    schedules::print,
    delivery::print,
    resources::print,
];

/// What the printers made of every resource: per file, its blocks in stack order.
struct Printed {
    files: Vec<(&'static str, Vec<(String, Body)>)>,
}

impl Printed {
    fn push(&mut self, file: &'static str, block: (String, Body)) -> Result<()> {
        let same = self
            .files
            .iter()
            .flat_map(|(_, b)| b)
            .find(|(h, _)| *h == block.0);
        match same {
            // One data source serves several resources (the ECS tasks' assume-role document).
            Some((_, body)) if *body == block.1 && block.0.starts_with("data ") => Ok(()),
            Some(_) => Err(Error::Bug(format!("the module has {} twice", block.0))),
            None => {
                self.blocks(file).push(block);
                Ok(())
            }
        }
    }

    fn blocks(&mut self, file: &'static str) -> &mut Vec<(String, Body)> {
        if let Some(i) = self.files.iter().position(|(f, _)| *f == file) {
            return &mut self.files[i].1;
        }
        self.files.push((file, Vec::new()));
        &mut self.files.last_mut().expect("just pushed").1
    }

    fn take(&mut self, file: &str) -> Vec<(String, Body)> {
        self.files
            .iter_mut()
            .find(|(f, _)| *f == file)
            .map(|(_, b)| std::mem::take(b))
            .unwrap_or_default()
    }
}

/// Every resource of the stack through the printers, in stack order.
fn print_all(m: &Module) -> Result<Printed> {
    let mut p = Printed { files: Vec::new() };
    for r in &m.t.resources {
        let blocks = OWN
            .iter()
            .chain(OTHERS)
            .find_map(|f| f(m, r))
            .ok_or_else(|| {
                Error::Bug(format!(
                    "the Terraform module has no printer for {} ({})",
                    r.id, r.kind
                ))
            })??;
        for b in blocks {
            let file = block_file(&b.0).unwrap_or_else(|| file_of(r));
            p.push(file, b)?;
        }
    }
    Ok(p)
}

/// The blocks of a file: its variables, `first`, its printed resources, its outputs.
struct Files {
    printed: Printed,
    vars: Vec<(&'static str, (String, Body))>,
    outs: Vec<(&'static str, (String, Body))>,
}

impl Files {
    fn blocks(&mut self, name: &'static str, first: Vec<(String, Body)>) -> Vec<(String, Body)> {
        let of = |v: &[(&'static str, (String, Body))]| {
            v.iter()
                .filter(|(f, _)| *f == name)
                .map(|(_, b)| b.clone())
                .collect::<Vec<_>>()
        };
        let mut all = of(&self.vars);
        all.extend(first);
        all.extend(self.printed.take(name));
        all.extend(of(&self.outs));
        all
    }

    /// The file, unless it would be empty.
    fn file(&mut self, name: &'static str) -> Option<(&'static str, String)> {
        let blocks = self.blocks(name, Vec::new());
        (!blocks.is_empty()).then(|| (name, hcl::file(blocks)))
    }
}

/// `main.tf`: the locals, then its resources.
fn main_file(m: &Module, files: &mut Files) -> String {
    let mut main = vec![("locals".to_string(), variables::locals(m))];
    main.extend(files.printed.take(MAIN));
    hcl::file(main)
}

/// Render the module: one artefact per file, every name under `terraform/`. `delivery` is the
/// delivery stack (`delivery.yaml`: the ECR repositories), printed into `delivery.tf`.
pub fn render(
    model: &MigrationModel,
    stack: &Template,
    delivery: Option<&Template>,
) -> Result<Vec<Artefact>> {
    let m = model::Module::new(stack);
    let mut printed = print_all(&m)?;
    if let Some(d) = delivery {
        for b in delivery::ecr_repositories(d)? {
            printed.push(delivery::DELIVERY, b)?;
        }
    }
    let mut f = Files {
        printed,
        vars: variables::variables(model, &m),
        outs: variables::outputs(&m),
    };
    let mut out: Vec<(&'static str, String)> = vec![
        (VERSIONS, versions()),
        (VARIABLES, hcl::file(f.blocks(VARIABLES, Vec::new()))),
        (MAIN, main_file(&m, &mut f)),
        (IAM, hcl::file(f.blocks(IAM, Vec::new()))),
    ];
    out.extend([ALB, EC2].into_iter().filter_map(|n| f.file(n)));
    out.extend(f.file(oneoff::ONEOFF));
    out.extend(
        [WORKER, schedules::SCHEDULES, resources::RESOURCES]
            .into_iter()
            .filter_map(|n| f.file(n)),
    );
    out.push((OUTPUTS, hcl::file(f.blocks(OUTPUTS, Vec::new()))));
    out.push((TFVARS, variables::tfvars(model, &m)));
    out.extend(f.file(delivery::DELIVERY));
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

    #[test]
    fn every_resource_reaches_its_printer_and_every_property_is_mapped() {
        let t = crate::infra::template::from_yaml(
            r#"
Resources:
  Cluster:
    Type: AWS::ECS::Cluster
    Properties: {ClusterName: !Ref AWS::StackName}
  TaskRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: sts:AssumeRole}]
  ExecutionRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: sts:AssumeRole}]
"#,
        )
        .unwrap();
        let p = print_all(&Module::new(&t)).unwrap();
        let iam: Vec<&str> = p
            .files
            .iter()
            .filter(|(f, _)| *f == IAM)
            .flat_map(|(_, b)| b.iter().map(|(h, _)| h.as_str()))
            .collect();
        // The two roles share one trust document.
        assert_eq!(
            iam,
            [
                "data \"aws_iam_policy_document\" \"ecs_tasks_assume\"",
                "resource \"aws_iam_role\" \"task\"",
                "resource \"aws_iam_role\" \"execution\""
            ]
        );
        let mut t = t;
        t.resources[0].properties = crate::infra::value::Value::map([
            ("ClusterName", crate::infra::value::Value::s("x")),
            ("Extra", crate::infra::value::Value::s("y")),
        ]);
        let err = print_all(&Module::new(&t)).err().unwrap().to_string();
        assert!(err.contains("Extra of Cluster"), "{err}");
    }

    #[test]
    fn parameter_names_become_snake_case() {
        assert_eq!(snake("ImageNginxProxy"), "image_nginx_proxy");
        assert_eq!(snake("VpcId"), "vpc_id");
    }
}
