//! `oneoff.tf`: the one-off task definition (`aws_ecs_task_definition.one_off`, the stack's
//! `OneOffTaskDefinition`) and the outputs `aws ecs run-task` reads, when EB ran commands at
//! deployment.

use super::hcl::Body;
use super::model::Module;
use crate::error::Result;
use crate::infra::template::Resource;

/// `oneoff.tf`.
pub const ONEOFF: &str = "terraform/oneoff.tf";

/// The one-off task definition: a task definition like the service's.
pub(super) fn print(m: &Module, r: &Resource) -> Option<Result<Vec<(String, Body)>>> {
    if r.kind != "AWS::ECS::TaskDefinition" || r.id != "OneOffTaskDefinition" {
        return None;
    }
    let body = super::ecs::task_definition(m, r);
    Some(body.map(|b| vec![(super::ecs::header(m, r), b)]))
}
