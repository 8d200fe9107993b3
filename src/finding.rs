//! Findings: output was produced, but a person must look at something.
//!
//! Converters return findings as data; they never print. Findings are part of the golden output,
//! so a rule that stops reporting one fails a test.

use crate::codes::Code;
use serde::Serialize;
use std::fmt;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Converted with a change worth knowing about.
    Info,
    /// Converted, but the result may behave differently; review it.
    Warning,
    /// The output will not work until a person acts.
    Blocker,
}

impl Severity {
    /// The lowercase name used in reports and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Blocker => "blocker",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The migration phase a finding's action belongs to (drives the checklist).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Before the first deployment.
    Prepare,
    /// While deploying.
    Deploy,
    /// After deploying, before cut-over.
    Verify,
    /// Switching traffic.
    CutOver,
    /// Removing the EB environment.
    Decommission,
}

/// Where a finding comes from: a file and a JSON pointer into it, or an EB option.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Source {
    /// File name as given by the user (or `environment NAME` for live settings).
    pub file: String,
    /// JSON pointer (`/containerDefinitions/0/links`) or EB `namespace:option`.
    pub location: String,
}

impl Source {
    /// A place in a file.
    pub fn new(file: impl Into<String>, location: impl Into<String>) -> Self {
        Source {
            file: file.into(),
            location: location.into(),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            write!(f, "{}", self.file)
        } else if self.location.starts_with('/') {
            write!(f, "{}#{}", self.file, self.location)
        } else {
            write!(f, "{} {}", self.file, self.location)
        }
    }
}

/// Something a person must look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code, e.g. `LINK-REMOVED`, from [`crate::codes`]; scripts and docs rely on it.
    pub code: Code,
    /// How much it matters.
    pub severity: Severity,
    /// Where it comes from.
    pub source: Source,
    /// What happened.
    pub message: String,
    /// What to do.
    pub action: String,
    /// Which checklist phase the action belongs to.
    pub phase: Phase,
}

impl Finding {
    /// A finding in the Prepare phase (most are); see [`Finding::in_phase`].
    pub fn new(
        code: Code,
        severity: Severity,
        source: Source,
        message: impl Into<String>,
        action: impl Into<String>,
    ) -> Self {
        Finding {
            code,
            severity,
            source,
            message: message.into(),
            action: action.into(),
            phase: Phase::Prepare,
        }
    }

    /// The same finding, filed under another checklist phase.
    pub fn in_phase(mut self, phase: Phase) -> Self {
        self.phase = phase;
        self
    }
}

/// Counts of findings per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Blockers.
    pub blocker: usize,
    /// Warnings.
    pub warning: usize,
    /// Infos.
    pub info: usize,
}

impl Counts {
    /// Count the findings.
    pub fn of(findings: &[Finding]) -> Self {
        let mut c = Counts::default();
        for f in findings {
            match f.severity {
                Severity::Blocker => c.blocker += 1,
                Severity::Warning => c.warning += 1,
                Severity::Info => c.info += 1,
            }
        }
        c
    }
}
