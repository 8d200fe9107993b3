//! The carried `.ebextensions` `Resources` part of the stack (Terraform `resources.tf`): each
//! resource with its logical ID, type, retention and properties as the model decided them, and
//! the environment properties the task definition sets from them.

use super::context::Context;
use super::{resource, With};
use crate::infra::template::Template;
use crate::model::MigrationModel;
use serde_json::{json, Value};

/// One carried resource of the stack.
pub(crate) struct CarriedCtx {
    /// Logical ID.
    pub(crate) id: String,
    /// CloudFormation type.
    pub(crate) kind: String,
    /// `DeletionPolicy: Retain` (Terraform `prevent_destroy`).
    pub(crate) retain: bool,
    /// Carried resources it waits for.
    pub(crate) depends_on: Vec<String>,
    /// Properties, CloudFormation spelling.
    pub(crate) properties: Value,
}

/// The carried resources, in model order.
pub(crate) fn context(model: &MigrationModel) -> Vec<CarriedCtx> {
    model
        .carried_resources
        .iter()
        .map(|r| CarriedCtx {
            id: r.logical_id.clone(),
            kind: r.kind.clone(),
            retain: r.retain,
            depends_on: r.depends_on.clone(),
            properties: r.properties.clone(),
        })
        .collect()
}

/// Add the environment properties set from carried resources to a container (ECS API keys;
/// the stack and the module spell the references their own way).
pub(crate) fn add_env(model: &MigrationModel, container: &str, v: &mut Value) {
    let extra: Vec<Value> = model
        .resource_env
        .iter()
        .filter(|e| e.container == container)
        .map(|e| json!({"name": e.name, "value": e.value}))
        .collect();
    if extra.is_empty() {
        return;
    }
    match v.get_mut("environment") {
        Some(Value::Array(env)) => env.extend(extra),
        _ => v["environment"] = Value::Array(extra),
    }
}

/// The carried resources, as the project wrote them (the first with the comment that says
/// where they come from).
pub(super) fn add(t: &mut Template, ctx: &Context) {
    for (i, c) in ctx.carried.iter().enumerate() {
        let properties = match &c.properties {
            Value::Object(m) if m.is_empty() => Value::Null,
            other => other.clone(),
        };
        let mut r = resource(&c.id, &c.kind, properties);
        if c.retain {
            r = r.kept();
        }
        r = r.after(&c.depends_on);
        if i == 0 {
            r = r.note(
                "Carried from .ebextensions Resources (RESOURCE-* findings in CHECKLIST.md).",
            );
        }
        t.resources.push(r);
    }
}
