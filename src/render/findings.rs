//! The findings as text for the terminal: grouped by severity (blockers first), with counts.
//! Every field is escaped ([`escape`]): an input cannot send control sequences to the terminal.

use crate::finding::{Counts, Finding, Severity};
use crate::text::escape;

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
