//! `report.json`: every finding and a summary, for scripts. The shape is documented in
//! README.md and stable: fields are only ever added.

use crate::finding::{Counts, Finding};
use crate::model::MigrationModel;
use crate::text::escape;
use serde::Serialize;
use std::borrow::Cow;

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

/// A finding as the report shows it: text fields escaped ([`escape`]) so no control or bidi
/// character reaches whoever reads the report.
#[derive(Serialize)]
struct ReportFinding<'a> {
    code: &'a str,
    severity: &'a str,
    source: String,
    file: Cow<'a, str>,
    location: Cow<'a, str>,
    phase: crate::finding::Phase,
    message: Cow<'a, str>,
    action: Cow<'a, str>,
}

impl<'a> From<&'a Finding> for ReportFinding<'a> {
    fn from(f: &'a Finding) -> Self {
        ReportFinding {
            code: f.code.as_str(),
            severity: f.severity.as_str(),
            source: escape(&f.source.to_string()).into_owned(),
            file: escape(&f.source.file),
            location: escape(&f.source.location),
            phase: f.phase,
            message: escape(&f.message),
            action: escape(&f.action),
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
