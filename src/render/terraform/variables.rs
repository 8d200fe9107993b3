//! `variables.tf` (every stack parameter as a typed variable, with the stack's defaults and a
//! `validation` block where the value has a grammar) and `terraform.tfvars.example`.

use super::hcl::{self, raw, s, Body, Expr};
use crate::model::MigrationModel;
use crate::render::cloudformation::Context;
use crate::render::names::snake;

/// One variable: name, type, description, default, validations (condition, message).
struct Var {
    name: String,
    kind: &'static str,
    description: String,
    default: Option<Expr>,
    validations: Vec<(String, String)>,
}

fn var(name: &str, kind: &'static str, description: &str, default: Option<Expr>) -> Var {
    Var {
        name: name.to_string(),
        kind,
        description: description.to_string(),
        default,
        validations: Vec::new(),
    }
}

impl Var {
    fn check(mut self, condition: &str, message: &str) -> Var {
        self.validations
            .push((condition.to_string(), message.to_string()));
        self
    }

    fn block(&self) -> (String, Body) {
        let mut b = Body::new()
            .attr("description", s(&self.description))
            .attr("type", raw(self.kind))
            .attr_opt("default", self.default.clone());
        for (condition, message) in &self.validations {
            b = b.blank().block(
                "validation",
                Body::new()
                    .attr("condition", raw(condition))
                    .attr("error_message", s(message)),
            );
        }
        (format!("variable \"{}\"", self.name), b)
    }
}

fn list(csv: &Option<String>) -> Option<Expr> {
    csv.as_ref()
        .map(|v| hcl::strs(v.split(',').map(str::to_string)))
}

/// The network variables (VPC, subnets, public IP, load balancer subnets, client CIDR,
/// certificate).
fn network(ctx: &Context) -> Vec<Var> {
    let subnets_ok =
        "alltrue([for s in VAR : can(regex(\"^subnet-([0-9a-f]{8}|[0-9a-f]{17})$\", s))])";
    let mut v = vec![
        var(
            "vpc_id",
            "string",
            "VPC of the service (the EB environment's aws:ec2:vpc VPCId when eb2ecs knew it)",
            ctx.vpc_default.clone().map(s),
        )
        .check(
            "can(regex(\"^vpc-([0-9a-f]{8}|[0-9a-f]{17})$\", var.vpc_id))",
            "vpc_id must be a VPC id (vpc-0123456789abcdef0).",
        ),
        var(
            "subnets",
            "list(string)",
            if ctx.fargate {
                "Subnets for the tasks (EB aws:ec2:vpc Subnets)"
            } else {
                "Subnets for the container instances (EB aws:ec2:vpc Subnets)"
            },
            list(&ctx.subnets_default),
        )
        .check(
            &format!(
                "length(var.subnets) > 0 && {}",
                subnets_ok.replace("VAR", "var.subnets")
            ),
            "subnets must be one or more subnet ids (subnet-0123456789abcdef0).",
        ),
    ];
    if ctx.fargate {
        v.push(var(
            "assign_public_ip",
            "bool",
            "true only when the task subnets are public and have no NAT gateway",
            Some(raw((ctx.assign_public_ip == "ENABLED").to_string())),
        ));
    }
    let Some(lb) = &ctx.lb else { return v };
    v.push(var("load_balancer_subnets", "list(string)", "Subnets for the load balancer, in at least two Availability Zones (EB aws:ec2:vpc ELBSubnets)", list(&ctx.lb_subnets_default))
        .check(&format!("length(var.load_balancer_subnets) > 0 && {}", subnets_ok.replace("VAR", "var.load_balancer_subnets")), "load_balancer_subnets must be subnet ids (subnet-0123456789abcdef0)."));
    if lb.internal {
        v.push(var("client_cidr", "string", "Network allowed to reach the internal load balancer (the VPC's CIDR when eb2ecs knew it; required otherwise)", ctx.client_cidr_default.clone().map(s))
            .check("can(cidrhost(var.client_cidr, 0)) && can(regex(\"^\\\\d{1,3}(\\\\.\\\\d{1,3}){3}/\\\\d{1,2}$\", var.client_cidr))", "client_cidr must be an IPv4 CIDR block (10.0.0.0/16)."));
    }
    if lb.https {
        v.push(var("certificate_arn", "string", "ACM certificate for the HTTPS listener (from the EB listener settings when known)", lb.certificate_default.clone().map(s))
            .check("can(regex(\"^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$\", var.certificate_arn))", "certificate_arn must be an ACM certificate ARN."));
    }
    v
}

/// The cluster, ECS Exec and image variables.
fn service(model: &MigrationModel, ctx: &Context) -> Vec<Var> {
    let mut v = vec![
        var("name", "string", "Name of this instance of the module (cluster, service, policies): the CloudFormation stack name", Some(s(crate::render::names::stack_name(model))))
            .check("can(regex(\"^[A-Za-z][A-Za-z0-9-]{0,99}$\", var.name))", "name must start with a letter and hold only letters, digits and hyphens (at most 100)."),
        var("region", "string", "AWS region to deploy into", Some(s(&model.region)))
            .check("can(regex(\"^[a-z]{2}(-[a-z]+)+-[0-9]$\", var.region))", "region must be an AWS region (eu-west-1)."),
        var("existing_cluster_name", "string", "Name of an existing ECS cluster to use; leave empty to create one", Some(s(""))),
        var("enable_execute_command", "bool", "true lets `aws ecs execute-command` open a shell in the containers (ECS Exec, instead of SSH)", Some(raw("true"))),
    ];
    for p in &ctx.image_params {
        let name = snake(&p.name);
        v.push(
            var(
                &name,
                "string",
                &format!(
                    "Image URI of container {} (the Dockerrun has no pullable image; required)",
                    p.container
                ),
                None,
            )
            .check(
                &format!("length(var.{name}) > 0"),
                &format!("{name} must name the image to run."),
            ),
        );
    }
    for p in &ctx.database_params {
        let name = snake(&p.name);
        let var = var(&name, "string", &p.description, p.default.clone().map(s));
        v.push(if p.default.is_some() {
            var
        } else {
            var.check(
                &format!("length(var.{name}) > 0"),
                &format!("{name} must be the coupled database's {}.", p.variable),
            )
        });
    }
    v
}

/// The EC2 capacity variables.
fn capacity(ctx: &Context) -> Vec<Var> {
    if ctx.fargate {
        return Vec::new();
    }
    let mut v = vec![
        var("instance_type", "string", "EC2 instance type of the container instances (EB aws:autoscaling:launchconfiguration InstanceType)", Some(s(&ctx.instance_type)))
            .check("can(regex(\"^[a-z0-9-]+\\\\.[a-z0-9]+$\", var.instance_type))", "instance_type must be an EC2 instance type (t3.small)."),
        var("ecs_ami_id", "string", "SSM parameter that holds the ECS-optimised Amazon Linux 2023 AMI (arm64 for Graviton instance types)", Some(s(ctx.ecs_ami_parameter))),
        var("create_capacity", "bool", "true creates container instances (Auto Scaling group, capacity provider); false runs on the capacity an existing cluster already has", Some(raw("true"))),
        var("existing_capacity_provider", "string", "With existing_cluster_name: a capacity provider of that cluster for the service; empty runs it with the EC2 launch type. The module never changes an existing cluster's capacity providers", Some(s(""))),
    ];
    if ctx.lb.is_some() {
        v.push(var("existing_instance_security_group", "string", "With create_capacity = false: the security group of the existing container instances; the module lets the load balancer reach their dynamic host ports", Some(s("")))
            .check("can(regex(\"^(sg-([0-9a-f]{8}|[0-9a-f]{17}))?$\", var.existing_instance_security_group))", "existing_instance_security_group must be a security group id (sg-0123456789abcdef0) or empty."));
    }
    v
}

/// The EFS file system the task mounts and its mount targets' security group.
fn efs(ctx: &Context) -> Vec<Var> {
    let Some(e) = &ctx.efs else {
        return Vec::new();
    };
    vec![
        var("efs_file_system_id", "string", "EFS file system the task mounts, as EB's instances did (fs-...)", e.file_system_default.as_deref().map(s))
            .check("can(regex(\"^fs-[0-9a-f]+$\", var.efs_file_system_id))", "efs_file_system_id must be an EFS file system id (fs-0123456789abcdef0)."),
        var("efs_security_group_id", "string", "Security group of the EFS file system's mount targets: the module admits the service on TCP 2049 to it; leave empty to allow it yourself (CHECKLIST.md)", Some(s("")))
            .check("can(regex(\"^(sg-([0-9a-f]{8}|[0-9a-f]{17}))?$\", var.efs_security_group_id))", "efs_security_group_id must be a security group id (sg-0123456789abcdef0) or empty."),
    ]
}

fn all(model: &MigrationModel, ctx: &Context) -> Vec<Var> {
    let mut v = network(ctx);
    v.extend(service(model, ctx));
    v.extend(capacity(ctx));
    v.extend(efs(ctx));
    v
}

/// `variables.tf`.
pub fn render(model: &MigrationModel, ctx: &Context) -> String {
    hcl::file(all(model, ctx).iter().map(Var::block).collect())
}

/// `terraform.tfvars.example`: every variable, with what eb2ecs knew filled in and the ones only
/// the person deploying can give commented out.
pub fn tfvars(model: &MigrationModel, ctx: &Context) -> String {
    let mut known = Body::new();
    let mut unknown = Vec::new();
    for v in all(model, ctx) {
        match &v.default {
            Some(d) => known = known.attr(&v.name, d.clone()),
            None => unknown.push(v.name.clone()),
        }
    }
    let mut out =
        String::from("# Copy to terraform.tfvars and review: what eb2ecs knew is filled in.\n");
    if !unknown.is_empty() {
        out.push_str("# Required, not known to eb2ecs:\n");
        for name in &unknown {
            out.push_str(&format!("#   {name}\n"));
        }
    }
    out.push('\n');
    let mut body = String::new();
    hcl::write_body(&known, &mut body);
    out.push_str(&body);
    out
}
