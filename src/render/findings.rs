//! The findings as text for the terminal: grouped by severity (blockers first), with counts
//! ([`text`], `--verbose`); the one-screen summary `convert` prints by default ([`summary`]); the
//! one line of `--quiet` ([`counts`]); and why `--fail-on` failed a run ([`fail_on_reason`]).
//! Every field is escaped ([`escape`]): an input cannot send control sequences to the terminal.

use crate::finding::{Counts, Finding, Severity};
use crate::text::escape;

/// `N blockers, N warnings, N info`.
pub fn counts(findings: &[Finding]) -> String {
    let c = Counts::of(findings);
    format!(
        "{} blocker{}, {} warning{}, {} info",
        c.blocker,
        if c.blocker == 1 { "" } else { "s" },
        c.warning,
        if c.warning == 1 { "" } else { "s" },
        c.info
    )
}

/// Findings grouped by severity (blockers first), with counts.
pub fn text(findings: &[Finding], color: bool) -> String {
    groups(
        findings,
        color,
        &[Severity::Blocker, Severity::Warning, Severity::Info],
    )
}

/// The blockers shown on a terminal by default; the rest are counted.
const SUMMARY_BLOCKERS: usize = 12;

/// The one-screen view: the counts, the blockers (at most [`SUMMARY_BLOCKERS`]), and where the
/// full list is (`full`, e.g. `ecs/CHECKLIST.md and ecs/report.json`).
pub fn summary(findings: &[Finding], full: &str) -> String {
    let blockers: Vec<Finding> = findings
        .iter()
        .filter(|f| f.severity == Severity::Blocker)
        .take(SUMMARY_BLOCKERS)
        .cloned()
        .collect();
    let mut s = groups(&blockers, false, &[Severity::Blocker]);
    // The counts are of every finding, not of the blockers shown.
    let first = s.find('\n').map_or(0, |i| i + 1);
    s.replace_range(..first, &format!("Findings: {}\n", counts(findings)));
    let c = Counts::of(findings);
    let hidden = findings.len() - blockers.len();
    if c.blocker > blockers.len() {
        s.push_str(&format!(
            "  ... and {} more blockers\n",
            c.blocker - blockers.len()
        ));
    }
    if hidden > 0 {
        s.push_str(&format!(
            "\nAll {} findings, with what to do about each: {full} (or run with --verbose).\n",
            findings.len()
        ));
    }
    s
}

/// Why `--fail-on THRESHOLD` fails the run: the findings at or above it, one line each (at most
/// 20), for stderr. None when no finding reaches it.
pub fn fail_on_reason(findings: &[Finding], threshold: Severity) -> Option<String> {
    let hits: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity >= threshold)
        .collect();
    if hits.is_empty() {
        return None;
    }
    let mut s = format!(
        "eb2ecs: exit status 1: {} finding{} at or above --fail-on {threshold}:\n",
        hits.len(),
        if hits.len() == 1 { "" } else { "s" }
    );
    for f in hits.iter().take(20) {
        s.push_str(&format!(
            "  {:<7}  {}  {}\n",
            f.severity.as_str(),
            f.code,
            escape(&f.source.to_string())
        ));
    }
    if hits.len() > 20 {
        s.push_str(&format!(
            "  ... and {} more (report.json lists them all)\n",
            hits.len() - 20
        ));
    }
    Some(s)
}

/// The counts line, then the findings of each severity in `severities`, grouped.
fn groups(findings: &[Finding], color: bool, severities: &[Severity]) -> String {
    let mut s = format!("Findings: {}\n", counts(findings));
    for &sev in severities {
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
                f.code,
                escape(&f.source.to_string()),
                escape(&f.message),
                escape(&f.action)
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes;
    use crate::finding::Source;

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let f = Finding::new(
            codes::IMAGE_PLACEHOLDER,
            Severity::Blocker,
            Source::new("Dockerrun\u{202e}.json", "/x"),
            "image `a\x1b]0;owned\x07`",
            "fix \u{9b}31m it",
        );
        let out = text(&[f], false);
        assert!(
            !out.chars()
                .any(|c| crate::text::is_unsafe_char(c) && c != '\n'),
            "{out:?}"
        );
        assert!(out.contains("a\\x1b]0;owned\\x07"), "{out}");
        assert!(out.contains("Dockerrun\\u{202e}.json"), "{out}");
    }
}
