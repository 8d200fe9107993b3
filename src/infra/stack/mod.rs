//! The stack built from the migration model: every parameter, condition, resource and output of
//! `cloudformation.yaml` (and, through the same [`Template`], of the Terraform module), built as
//! data by Rust code, one file per part of the stack. The values several parts read are decided
//! once in [`context`] (and the load-balanced target and scaling policy in `infra/build.rs`);
//! the builders here only place them. A resource's reason for being is its
//! [`Resource::comment`], which both printers write above it.

mod capacity;
pub(crate) mod carried;
mod cluster;
pub(crate) mod context;
pub(crate) use context::ami_parameter;
pub(crate) mod cron;
pub(crate) mod delivery;
mod efs;
mod iam;
mod load_balancer;
mod oneoff;
mod outputs;
mod parameters;
mod scaling;
mod service;
mod task;
pub(crate) mod worker;

use super::template::{Output, Parameter, Resource, Template};
use super::value::Value;
use crate::model::MigrationModel;
use serde_json::Value as Json;

pub use context::{ECS_AMI_PARAMETER, ECS_AMI_PARAMETER_ARM64};

/// The deployable stack of a converted environment.
pub fn stack(model: &MigrationModel) -> Template {
    let mut ctx = context::context(model);
    let mut t = Template {
        description: ctx.description.clone(),
        ..Template::default()
    };
    parameters::add(&mut t, &ctx);
    t.rules = parameters::rules(&ctx);
    parameters::conditions(&mut t, &ctx);
    cluster::add(&mut t, &ctx);
    iam::add(&mut t, &ctx);
    task::add(&mut t, &mut ctx);
    load_balancer::add(&mut t, &ctx);
    capacity::add(&mut t, &ctx);
    service::add(&mut t, &ctx);
    scaling::add(&mut t, &ctx);
    delivery::add(&mut t, &ctx);
    worker::add(&mut t, &ctx);
    oneoff::add(&mut t, &ctx);
    cron::add(&mut t, &ctx);
    carried::add(&mut t, &ctx);
    efs::add(&mut t, &ctx);
    outputs::add(&mut t, &ctx);
    t
}

/// A value written in CloudFormation's long JSON form (`{"Ref": …}`, `{"Fn::If": […]}`), as
/// the model's typed value: the builders read like the template they produce.
pub(crate) fn v(j: Json) -> Value {
    Value::from_json_owned(j)
}

/// A resource with its properties (long JSON form).
fn resource(id: &str, kind: &str, properties: Json) -> Resource {
    Resource {
        id: id.to_string(),
        kind: kind.to_string(),
        properties: v(properties),
        ..Resource::default()
    }
}

/// The optional parts of a resource, set in the builders' chained style.
trait With: Sized {
    /// Exists only under this stack condition.
    fn when(self, condition: &str) -> Self;
    /// Why it is there (a comment above it); a second note is a further paragraph.
    fn note(self, comment: &str) -> Self;
    /// Outlives the stack.
    fn kept(self) -> Self;
    /// Comes after these resources beyond what its properties reference.
    fn after(self, ids: &[String]) -> Self;
    /// Another resource attribute (`Metadata`).
    fn attr(self, key: &str, value: Json) -> Self;
}

impl With for Resource {
    fn when(mut self, condition: &str) -> Self {
        self.condition = Some(condition.to_string());
        self
    }

    fn note(mut self, comment: &str) -> Self {
        self.comment = Some(match self.comment.take() {
            Some(c) => format!("{c}\n{comment}"),
            None => comment.to_string(),
        });
        self
    }

    fn kept(mut self) -> Self {
        self.retain = true;
        self
    }

    fn after(mut self, ids: &[String]) -> Self {
        self.depends_on = ids.to_vec();
        self
    }

    fn attr(mut self, key: &str, value: Json) -> Self {
        self.attributes.push((key.to_string(), v(value)));
        self
    }
}

/// A parameter with its type and description.
fn param(id: &str, kind: &str, description: &str) -> Parameter {
    Parameter {
        id: id.to_string(),
        kind: kind.to_string(),
        description: Some(description.to_string()),
        ..Parameter::default()
    }
}

/// A `"true"`/`"false"` parameter.
fn switch(id: &str, description: &str, default: &str) -> Parameter {
    Parameter {
        allowed_values: vec![Value::s("true"), Value::s("false")],
        default: Some(Value::s(default)),
        ..param(id, "String", description)
    }
}

/// An output.
fn output(id: &str, description: Option<&str>, value: Json) -> Output {
    Output {
        id: id.to_string(),
        description: description.map(str::to_string),
        value: v(value),
        ..Output::default()
    }
}

/// A role's trust policy for an AWS service, limited to this account when `own_account`
/// (the confused-deputy guard the service principals honour).
fn trust(service: &str, own_account: bool) -> Json {
    let mut statement = serde_json::json!({
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": "sts:AssumeRole",
    });
    if own_account {
        statement["Condition"] =
            serde_json::json!({"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}});
    }
    serde_json::json!({"Version": "2012-10-17", "Statement": [statement]})
}

/// The cluster the service runs in: the stack's, or the existing one named by parameter.
fn cluster_name() -> Json {
    serde_json::json!({"Fn::If": ["CreateCluster", {"Ref": "Cluster"}, {"Ref": "ExistingClusterName"}]})
}

/// The stack parameter that holds a container's image (`nginx-proxy` -> `ImageNginxProxy`).
pub fn param_name(container: &str) -> String {
    pascal("Image", container)
}

/// `prefix` and `name` in PascalCase, every run of other characters a word break
/// (`Repository`, `my-org/api` -> `RepositoryMyOrgApi`): a CloudFormation logical ID.
pub fn pascal(prefix: &str, name: &str) -> String {
    let mut out = String::from(prefix);
    let mut upper = true;
    for ch in name.chars() {
        if ch.is_ascii_alphanumeric() {
            if upper {
                out.extend(ch.to_uppercase());
            } else {
                out.push(ch);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}
