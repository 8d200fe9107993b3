//! The names every artefact agrees on: the stack's name, its image parameters, the Terraform
//! spelling of a stack name, and the shell expression that reads one of the deployed stack's
//! (or Terraform module's) outputs. The renderers share them from here, below all of them.

use crate::model::MigrationModel;
use crate::text::sh;

/// The stack name the checklist deploys: a letter, then letters, digits and hyphens, at most
/// 128 characters (what CloudFormation accepts), from the service name.
pub fn stack_name(m: &MigrationModel) -> String {
    stack_name_of(&m.service_name)
}

pub(crate) fn stack_name_of(service: &str) -> String {
    let mut out = String::new();
    for c in service.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let out = if out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.to_string()
    } else {
        format!("app-{out}").trim_end_matches('-').to_string()
    };
    crate::names::truncate(&out, 128)
        .trim_end_matches('-')
        .to_string()
}

/// The Terraform module's name for a stack output.
pub fn terraform_output(key: &str) -> String {
    match key {
        "LoadBalancerDNSName" => "load_balancer_dns_name".to_string(),
        other => snake(other),
    }
}

/// A shell expression for one output of the deployed stack (or Terraform module).
pub fn output(m: &MigrationModel, format: super::Format, key: &str) -> String {
    if !format.cloudformation() {
        return format!(
            "\"$(terraform -chdir=terraform output -raw {})\"",
            terraform_output(key)
        );
    }
    format!(
        "\"$(aws cloudformation describe-stacks --region {} --stack-name {} --query \"Stacks[0].Outputs[?OutputKey=='{key}'].OutputValue\" --output text)\"",
        sh(&m.region),
        sh(&stack_name(m))
    )
}

pub use crate::infra::stack::{param_name, pascal};

/// `ImageNginxProxy` -> `image_nginx_proxy` (stack parameter names to variable names).
pub fn snake(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if !out.is_empty() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out
}
