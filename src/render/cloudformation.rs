//! `cloudformation.yaml`: the deployable stack, built as data by the infrastructure model
//! (`crate::infra::stack`) and printed by [`super::cfn_yaml`]. Customising the stack is
//! `--overrides` (JSON Patch on the Template); the templates are for prose only.

use crate::error::Result;
use crate::infra::template::Template;
use crate::model::MigrationModel;

pub use crate::infra::stack::{ECS_AMI_PARAMETER, ECS_AMI_PARAMETER_ARM64};

/// Output file name.
pub const CLOUDFORMATION: &str = "cloudformation.yaml";

/// Render the stack.
pub fn render(model: &MigrationModel) -> Result<String> {
    Ok(super::cfn_yaml::print(&crate::infra::stack::stack(model)))
}

/// The stack as the infrastructure model: what both `cloudformation.yaml` and the Terraform
/// module are printed from.
pub fn stack(model: &MigrationModel) -> Template {
    crate::infra::stack::stack(model)
}
