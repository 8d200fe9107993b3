//! Renderers: the migration model to the artefacts eb2ecs writes. Each artefact is parsed back
//! before it is returned, so a rendering bug is caught here and reported as one.

pub mod checklist;
pub mod cloudformation;
pub mod dockerfile;
pub mod findings;
pub mod matrix;
pub mod report;
pub mod templates;

use crate::error::{Error, Result};
use crate::model::MigrationModel;
use serde::Serialize;

/// Output file names (a contract: scripts and docs rely on them).
pub const TASK_DEFINITION: &str = "task-definition.json";
/// See [`TASK_DEFINITION`].
pub const SERVICE: &str = "service.json";
/// See [`TASK_DEFINITION`].
pub const REPORT: &str = "report.json";

/// One rendered output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artefact {
    /// File name inside the output folder.
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

/// Every artefact of a conversion, in a fixed order.
pub fn render_all(model: &MigrationModel) -> Result<Vec<Artefact>> {
    let mut out = vec![
        Artefact {
            name: TASK_DEFINITION,
            content: json(TASK_DEFINITION, &model.task_definition)?,
        },
        Artefact {
            name: SERVICE,
            content: json(SERVICE, &model.service)?,
        },
    ];
    out.push(Artefact {
        name: cloudformation::CLOUDFORMATION,
        content: cloudformation::render(model)?,
    });
    out.push(Artefact {
        name: checklist::CHECKLIST,
        content: checklist::render(model)?,
    });
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
