//! Renderers: the migration model to the artefacts eb2ecs writes. Each artefact is parsed back
//! before it is returned, so a rendering bug is caught here and reported as one.

pub mod assessment;
pub mod cfn_yaml;
pub mod checklist;
pub mod cloudformation;
pub mod delivery;
pub mod dockerfile;
pub mod findings;
pub mod matrix;
pub mod names;
pub mod oneoff;
pub mod report;
pub mod resources;
pub mod templates;
pub mod terraform;
pub mod workflow;

use crate::error::{Error, Result};
use crate::model::MigrationModel;
use serde::Serialize;

/// Output file names (a contract: scripts and docs rely on them).
pub const TASK_DEFINITION: &str = "task-definition.json";
/// See [`TASK_DEFINITION`].
pub const SERVICE: &str = "service.json";
/// See [`TASK_DEFINITION`].
pub const REPORT: &str = "report.json";
/// See [`TASK_DEFINITION`]: the one-off task (`aws ecs register-task-definition`), written
/// when EB ran commands at deployment.
pub const ONEOFF_TASK_DEFINITION: &str = "oneoff-task-definition.json";

/// Which infrastructure code a conversion writes (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// `cloudformation.yaml` (the default).
    #[default]
    Cloudformation,
    /// The Terraform module in `terraform/`.
    Terraform,
    /// Both.
    Both,
}

impl Format {
    /// Whether `cloudformation.yaml` is written.
    pub fn cloudformation(self) -> bool {
        self != Format::Terraform
    }

    /// Whether the Terraform module is written.
    pub fn terraform(self) -> bool {
        self != Format::Cloudformation
    }
}

/// The templates every conversion to `format` renders (others, such as the delivery stack's,
/// are parsed when first needed): what a run parses ahead with
/// [`templates::Templates::prepare`].
pub fn templates_for(_format: Format) -> &'static [&'static str] {
    // The stack is built as data (crate::infra::stack): the checklist is the one template
    // every conversion renders.
    &["CHECKLIST.md"]
}

/// One rendered output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artefact {
    /// File name inside the output folder (`terraform/main.tf` is inside its sub-folder).
    pub name: &'static str,
    /// Full content.
    pub content: String,
}

/// Pretty JSON with a trailing newline, checked to parse back.
pub fn json<T: Serialize>(name: &str, value: &T) -> Result<String> {
    let mut s = serde_json::to_string_pretty(value)
        .map_err(|e| Error::Bug(format!("cannot serialise {name}: {e}")))?;
    s.push('\n');
    serde_json::from_str::<serde_json::Value>(&s)
        .map_err(|e| Error::Bug(format!("{name} does not parse back: {e}")))?;
    Ok(s)
}

/// Every artefact of a conversion (CloudFormation only), in a fixed order.
pub fn render_all(model: &MigrationModel) -> Result<Vec<Artefact>> {
    render_format(model, Format::Cloudformation)
}

/// Every artefact of a conversion in the given format, in a fixed order (bundled templates).
pub fn render_format(model: &MigrationModel, format: Format) -> Result<Vec<Artefact>> {
    render_with(model, format, templates::Templates::bundled())
}

/// Every artefact of a conversion in the given format, rendered with a run's templates.
pub fn render_with(
    model: &MigrationModel,
    format: Format,
    t: &templates::Templates,
) -> Result<Vec<Artefact>> {
    render_full(model, format, t, None)
}

/// Every artefact, with a run's templates and its `--overrides` applied to the stack.
pub fn render_full(
    model: &MigrationModel,
    format: Format,
    t: &templates::Templates,
    overrides: Option<&crate::infra::overrides::Overrides>,
) -> Result<Vec<Artefact>> {
    let mut out = ecs_json(model, overrides)?;
    out.extend(infrastructure(model, format, t, overrides)?);
    if let Some(img) = &model.build {
        out.push(Artefact {
            name: dockerfile::DOCKERFILE,
            content: dockerfile::render(img),
        });
        out.push(Artefact {
            name: dockerfile::DOCKERIGNORE,
            content: dockerfile::render_ignore(img),
        });
    }
    let names: Vec<&'static str> = out
        .iter()
        .map(|a| a.name)
        .chain(std::iter::once(REPORT))
        .collect();
    out.push(Artefact {
        name: REPORT,
        content: report::render(model, &names)?,
    });
    Ok(out)
}

/// The JSON for the AWS CLI: the task definition, the service, the one-off task definition;
/// `--overrides` of the stack's `TaskDefinition`, `Service` and `OneOffTaskDefinition` reach
/// them too.
fn ecs_json(
    model: &MigrationModel,
    overrides: Option<&crate::infra::overrides::Overrides>,
) -> Result<Vec<Artefact>> {
    let mut out = vec![
        api_json(
            TASK_DEFINITION,
            "TaskDefinition",
            &model.task_definition,
            overrides,
        )?,
        api_json(SERVICE, "Service", &model.service, overrides)?,
    ];
    if let Some(o) = &model.one_off {
        out.push(api_json(
            ONEOFF_TASK_DEFINITION,
            "OneOffTaskDefinition",
            &o.task_definition,
            overrides,
        )?);
    }
    Ok(out)
}

/// One AWS CLI file: the ECS API document of stack resource `id`, with the overrides of that
/// resource applied.
fn api_json<T: Serialize>(
    name: &'static str,
    id: &str,
    value: &T,
    overrides: Option<&crate::infra::overrides::Overrides>,
) -> Result<Artefact> {
    let Some(o) = overrides else {
        return Ok(Artefact {
            name,
            content: json(name, value)?,
        });
    };
    let mut doc = serde_json::to_value(value)
        .map_err(|e| Error::Bug(format!("cannot serialise {name}: {e}")))?;
    crate::infra::overrides::apply_to_api_json(o, id, name, &mut doc)?;
    Ok(Artefact {
        name,
        content: json(name, &doc)?,
    })
}

/// The stack and/or Terraform module, the checklist, and the delivery stack and workflow.
fn infrastructure(
    model: &MigrationModel,
    format: Format,
    t: &templates::Templates,
    overrides: Option<&crate::infra::overrides::Overrides>,
) -> Result<Vec<Artefact>> {
    let mut out = Vec::new();
    let mut stack = cloudformation::stack(model);
    if let Some(o) = overrides {
        stack = crate::infra::overrides::apply(&stack, o)?;
        if format.terraform() {
            terraform_can_print(&stack, o)?;
        }
    }
    if format.cloudformation() {
        out.push(Artefact {
            name: cloudformation::CLOUDFORMATION,
            content: cfn_yaml::print(&stack),
        });
    }
    if let Some(text) = resources::import_template(model).filter(|_| format.cloudformation()) {
        out.push(Artefact {
            name: resources::IMPORT,
            content: text,
        });
    }
    // The delivery stack (the ECR repositories): one model for both formats too.
    let images = delivery::render(model, t)?;
    if format.terraform() {
        let images_stack = match &images {
            Some(text) => Some(crate::infra::template::from_yaml(text).map_err(|e| {
                t.output_error(delivery::DELIVERY_STACK, &format!("does not parse: {e}"))
            })?),
            None => None,
        };
        out.extend(terraform::render(model, &stack, images_stack.as_ref())?);
    }
    out.push(Artefact {
        name: checklist::CHECKLIST,
        content: checklist::render_with(model, format, t)?,
    });
    if let Some(text) = images.filter(|_| format.cloudformation()) {
        out.push(Artefact {
            name: delivery::DELIVERY_STACK,
            content: text,
        });
    }
    if let Some(text) = workflow::render(model)? {
        out.push(Artefact {
            name: workflow::WORKFLOW,
            content: text,
        });
    }
    Ok(out)
}

/// An overridden stack's resources all have a Terraform form (an override may add a resource
/// type the module cannot print: that is the user's input, not a bug).
fn terraform_can_print(
    stack: &crate::infra::template::Template,
    o: &crate::infra::overrides::Overrides,
) -> Result<()> {
    match stack
        .resources
        .iter()
        .find(|r| terraform::model::terraform_type(&r.kind).is_none())
    {
        None => Ok(()),
        Some(r) => Err(crate::error::Error::Input {
            file: o.file.clone(),
            line: 1,
            column: 1,
            message: format!(
                "resource {} has type {}, which the Terraform module cannot print; use --format cloudformation",
                r.id, r.kind
            ),
        }),
    }
}
