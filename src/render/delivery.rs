//! `delivery.yaml` (`--ci github`): the ECR repositories of the images the project builds, a
//! stack of its own deployed before the service's (which needs the first images pushed; the
//! repositories outlive it). Also the delivery part of the service stack's context: its
//! deploy role and GitHub OIDC provider (`templates/cfn-delivery*.yaml.hbs`).

use super::templates;
use crate::error::{Error, Result};
use crate::model::MigrationModel;
use serde::Serialize;

/// Output file name.
pub const DELIVERY_STACK: &str = "delivery.yaml";

/// The delivery facts both stacks (and the Terraform module) render.
#[derive(Debug, Serialize)]
pub(crate) struct DeliveryCtx {
    pub(crate) description: String,
    pub(crate) repositories: Vec<RepositoryCtx>,
    pub(crate) github_repo: Option<String>,
    pub(crate) branch: String,
    pub(crate) one_off_family: Option<String>,
    pub(crate) immutable: bool,
    pub(crate) keep: u32,
    /// The ECR lifecycle policy (JSON text): keep the last `keep` images.
    pub(crate) lifecycle: String,
}

/// One ECR repository.
#[derive(Debug, Serialize)]
pub(crate) struct RepositoryCtx {
    /// Logical ID (`RepositoryApi`).
    pub(crate) id: String,
    /// Repository name.
    pub(crate) name: String,
    /// The containers that run its image, comma-separated.
    pub(crate) containers: String,
}

/// The delivery context, when the model has a delivery pipeline.
pub(crate) fn context(model: &MigrationModel) -> Option<DeliveryCtx> {
    let d = model.delivery.as_ref()?;
    let mut repositories: Vec<RepositoryCtx> = Vec::new();
    for img in &d.images {
        let mut id = logical_id(&img.repository);
        if repositories.iter().any(|r| r.id == id) {
            id = format!("{id}{}", repositories.len() + 1);
        }
        repositories.push(RepositoryCtx {
            id,
            name: img.repository.clone(),
            containers: img.containers.join(", "),
        });
    }
    let lifecycle = serde_json::json!({"rules": [{
        "rulePriority": 1,
        "description": format!("Keep the last {} images", d.options.keep_images),
        "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": d.options.keep_images},
        "action": {"type": "expire"},
    }]});
    Some(DeliveryCtx {
        description: format!(
            "ECR repositories of {} (eb2ecs --ci github); deploy before cloudformation.yaml",
            model.service_name
        ),
        repositories,
        github_repo: d.options.github_repo.clone(),
        branch: d.options.branch.clone(),
        one_off_family: model.one_off.as_ref().map(|o| o.family.clone()),
        immutable: d.options.immutable_tags,
        keep: d.options.keep_images,
        lifecycle: lifecycle.to_string(),
    })
}

/// `Repository` and the name in PascalCase (`my-org/api` -> `RepositoryMyOrgApi`).
fn logical_id(name: &str) -> String {
    let mut out = String::from("Repository");
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

/// `delivery.yaml`, when the project builds at least one image.
pub fn render(model: &MigrationModel) -> Result<Option<String>> {
    let Some(ctx) = context(model).filter(|c| !c.repositories.is_empty()) else {
        return Ok(None);
    };
    let text = templates::render("delivery.yaml", &ctx)?;
    serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&text)
        .map_err(|e| Error::Bug(format!("{DELIVERY_STACK} does not parse back: {e}")))?;
    Ok(Some(text))
}
