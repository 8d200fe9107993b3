//! The carried `.ebextensions` `Resources` beyond the stack (which `crate::infra::stack`
//! builds): `import-resources.json`, the template that imports the data-holding ones, and the
//! checklist's steps that release them from EB's stack and import them.

use crate::model::MigrationModel;
use serde_json::{json, Value};

/// The carried resources' stack part moved to the infrastructure model; the Terraform printer
/// still reads its context from here until it reads the Template.
pub(crate) use crate::infra::stack::carried::CarriedCtx;

/// `import-resources.json`: the data-holding carried resources alone, the template an
/// `IMPORT` change set takes (it cannot create resources, so the stack's others come with the
/// deployment after it).
pub const IMPORT: &str = "import-resources.json";

/// The retained resources an import template can hold: those that reference only each other
/// (or pseudo parameters).
fn importable(model: &MigrationModel) -> Vec<&crate::model::CarriedResource> {
    let retained: Vec<&str> = (model.carried_resources.iter())
        .filter(|r| r.retain)
        .map(|r| r.logical_id.as_str())
        .collect();
    model
        .carried_resources
        .iter()
        .filter(|r| r.retain)
        .filter(|r| {
            let mut refs = Vec::new();
            names(&r.properties, &mut refs);
            refs.iter()
                .all(|n| n.starts_with("AWS::") || retained.contains(&n.as_str()))
        })
        .collect()
}

/// Every name a value references (`Ref`, `Fn::GetAtt`, `${Name}` of `Fn::Sub`).
fn names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("Ref", Value::String(n)) => out.push(n.clone()),
                    ("Fn::GetAtt", Value::Array(a)) => {
                        out.extend(a.first().and_then(Value::as_str).map(str::to_string));
                    }
                    ("Fn::Sub", Value::String(t)) => {
                        for part in t.split("${").skip(1) {
                            let name = part.split('}').next().unwrap_or("");
                            out.push(name.split('.').next().unwrap_or("").to_string());
                        }
                    }
                    _ => names(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| names(x, out)),
        _ => {}
    }
}

/// The import template, when a carried resource holds data.
pub(crate) fn import_template(model: &MigrationModel) -> Option<String> {
    let rs = importable(model);
    if rs.is_empty() {
        return None;
    }
    let mut resources = serde_json::Map::new();
    for r in &rs {
        resources.insert(
            r.logical_id.clone(),
            json!({"Type": r.kind, "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain", "Properties": r.properties}),
        );
    }
    let doc = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": format!("The resources EB's stack held for {}, imported into the new stack before its first deployment (see CHECKLIST.md)", model.service_name),
        "Resources": resources,
    });
    super::json(IMPORT, &doc).ok()
}

/// The checklist's steps for the data-holding carried resources: release them from EB's
/// stack (Prepare), then import them (Deploy, before the stack's first deployment).
pub(crate) fn checklist(
    model: &MigrationModel,
    format: super::Format,
) -> (Vec<String>, Vec<String>) {
    use crate::text::{code, sh};
    let retained: Vec<&crate::model::CarriedResource> = model
        .carried_resources
        .iter()
        .filter(|r| r.retain)
        .collect();
    if retained.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let ids: Vec<String> = retained.iter().map(|r| code(&r.logical_id)).collect();
    let prepare = vec![format!(
        "EB's stack holds {} with their data. Make it let go of them, keeping them: add `DeletionPolicy: Retain` to each in its .ebextensions file and `eb deploy`; then replace every `Ref` to them in option_settings with its current value, remove them from .ebextensions and `eb deploy` again. Note each one's identifier: {}.",
        ids.join(", "),
        code(&format!(
            "aws cloudformation describe-stack-resources --region {} --stack-name {} --query 'StackResources[].[LogicalResourceId,PhysicalResourceId]' --output text",
            sh(&model.region),
            crate::text::required("EB_STACK", "EB's stack, awseb-ENVIRONMENT_ID-stack (EnvironmentId of aws elasticbeanstalk describe-environments)")
        ))
    )];
    let mut deploy = cloudformation_import(model, format);
    let importable = importable(model);
    if format.terraform() {
        for r in &retained {
            let Some(t) = crate::cfn_types::lookup(&r.kind) else {
                continue;
            };
            let what = t.import_id.map_or("identifier", |(_, w)| w);
            deploy.push(format!(
                "Terraform: before `terraform apply`, import EB's {} ({what}): {}",
                code(&r.logical_id),
                code(&format!(
                    "terraform -chdir=terraform import -var-file=terraform.tfvars {}.{} {}",
                    t.terraform,
                    super::names::snake(&r.logical_id),
                    sh(&format!("<{} {what}>", r.logical_id))
                ))
            ));
        }
    }
    for r in retained
        .iter()
        .filter(|r| !importable.iter().any(|i| i.logical_id == r.logical_id))
    {
        if format.cloudformation() {
            deploy.push(format!("Import EB's {} into the stack by hand (it references the stack's other resources, so it cannot be in import-resources.json): after the first deployment, an IMPORT change set of cloudformation.yaml with it added.", code(&r.logical_id)));
        }
    }
    (prepare, deploy)
}

/// The CloudFormation import of the importable retained resources (an `IMPORT` change set of
/// `import-resources.json`), as a checklist step.
fn cloudformation_import(model: &MigrationModel, format: super::Format) -> Vec<String> {
    use crate::text::{code, sh};
    let importable = importable(model);
    let mut deploy = Vec::new();
    if format.cloudformation() && !importable.is_empty() {
        let list: Vec<Value> = importable
            .iter()
            .filter_map(|r| {
                let (key, what) = crate::cfn_types::lookup(&r.kind)?.import_id?;
                Some(json!({"ResourceType": r.kind, "LogicalResourceId": r.logical_id, "ResourceIdentifier": {key: format!("<{} {what}>", r.logical_id)}}))
            })
            .collect();
        let stack = sh(&super::names::stack_name(model));
        let r = sh(&model.region);
        deploy.push(format!(
            "Before the first deployment, import them into the new stack (replace each identifier with the one noted): {}, then {} and {}; the deployment below adds the rest of the stack.",
            code(&format!(
                "aws cloudformation create-change-set --region {r} --stack-name {stack} --change-set-name import-eb-resources --change-set-type IMPORT --template-body file://{IMPORT} --resources-to-import {}",
                sh(&Value::Array(list).to_string())
            )),
            code(&format!("aws cloudformation execute-change-set --region {r} --stack-name {stack} --change-set-name import-eb-resources")),
            code(&format!("aws cloudformation wait stack-import-complete --stack-name {stack} --region {r}"))
        ));
    }
    deploy
}
