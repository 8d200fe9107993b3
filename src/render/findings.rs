//! The findings as text for the terminal: grouped by severity (blockers first), with counts.

use crate::finding::{Counts, Finding, Severity};

/// Findings grouped by severity (blockers first), with counts.
pub fn text(findings: &[Finding], color: bool) -> String {
    let c = Counts::of(findings);
    let mut s = format!(
        "Findings: {} blocker{}, {} warning{}, {} info\n",
        c.blocker,
        if c.blocker == 1 { "" } else { "s" },
        c.warning,
        if c.warning == 1 { "" } else { "s" },
        c.info
    );
    for sev in [Severity::Blocker, Severity::Warning, Severity::Info] {
        let group: Vec<&Finding> = findings.iter().filter(|f| f.severity == sev).collect();
        if group.is_empty() {
            continue;
        }
        let label = sev.as_str().to_uppercase();
        let label = if color {
            let code = match sev {
                Severity::Blocker => "31",
                Severity::Warning => "33",
                Severity::Info => "36",
            };
            format!("\x1b[1;{code}m{label}\x1b[0m")
        } else {
            label
        };
        s.push_str(&format!("\n{label} ({})\n", group.len()));
        for f in group {
            s.push_str(&format!(
                "- [{}] {}\n    {}\n    -> {}\n",
                f.code, f.source, f.message, f.action
            ));
        }
    }
    s
}
