//! `report.json`: every finding and a summary, for scripts. The shape is documented in
//! README.md and stable: fields are only ever added.

use crate::finding::{Counts, Finding};
use crate::model::MigrationModel;
use serde::Serialize;

/// Version of the report's shape.
pub const REPORT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    family: &'a str,
    #[serde(rename = "launchType")]
    launch_type: &'a str,
    inputs: &'a [String],
    summary: Summary<'a>,
    findings: Vec<ReportFinding<'a>>,
}

#[derive(Serialize)]
struct Summary<'a> {
    counts: Counts,
    artefacts: &'a [&'static str],
}

#[derive(Serialize)]
struct ReportFinding<'a> {
    code: &'a str,
    severity: &'a str,
    source: String,
    file: &'a str,
    location: &'a str,
    phase: crate::finding::Phase,
    message: &'a str,
    action: &'a str,
}

impl<'a> From<&'a Finding> for ReportFinding<'a> {
    fn from(f: &'a Finding) -> Self {
        ReportFinding {
            code: f.code.as_str(),
            severity: f.severity.as_str(),
            source: f.source.to_string(),
            file: &f.source.file,
            location: &f.source.location,
            phase: f.phase,
            message: &f.message,
            action: &f.action,
        }
    }
}

/// Render the report.
pub fn render(model: &MigrationModel, artefacts: &[&'static str]) -> crate::error::Result<String> {
    let report = Report {
        version: REPORT_VERSION,
        family: &model.family,
        launch_type: model.launch_type.api_name(),
        inputs: &model.inputs,
        summary: Summary {
            counts: Counts::of(&model.findings),
            artefacts,
        },
        findings: model.findings.iter().map(ReportFinding::from).collect(),
    };
    super::json(super::REPORT, &report)
}
