//! The readiness verdict of one environment from its findings: blocked when any finding is a
//! blocker, needs work when any is a warning (other than the values every deployment fills in:
//! [`DEPLOY_TIME`]), ready otherwise; with the findings counted by code and the three blocker
//! codes with the most findings.

use crate::codes::{self, Code};
use crate::finding::{Finding, Severity};
use serde::Serialize;
use std::collections::BTreeMap;

/// How ready an environment is to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// No blocker, no warning: the output should work as written.
    Ready,
    /// Warnings to review.
    NeedsWork,
    /// At least one blocker: the output will not work until a person acts.
    Blocked,
    /// It could not be read or converted (the row says why).
    Failed,
}

impl Verdict {
    /// The words the reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::NeedsWork => "needs work",
            Verdict::Blocked => "blocked",
            Verdict::Failed => "could not assess",
        }
    }
}

/// How many findings of one code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeCount {
    /// The finding code.
    pub code: &'static str,
    /// Its severity (`blocker`, `warning`, `info`).
    pub severity: &'static str,
    /// How many.
    pub count: usize,
}

/// Counts by code, most first, then by code.
pub fn most_first(counts: BTreeMap<&'static str, usize>, severity: &'static str) -> Vec<CodeCount> {
    let mut out: Vec<CodeCount> = counts
        .into_iter()
        .map(|(code, count)| CodeCount {
            code,
            severity,
            count,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    out
}

/// Warnings about values only the person deploying knows (the account, the roles, the subnets
/// and target group of service.json): the deploy command or the stack fills them in every
/// conversion, so they are counted but do not make an environment "needs work".
pub const DEPLOY_TIME: &[Code] = &[
    codes::ACCOUNT_PLACEHOLDER,
    codes::ROLE_EXECUTION_PLACEHOLDER,
    codes::ROLE_TASK_PLACEHOLDER,
    codes::SERVICE_NETWORK_PLACEHOLDER,
    codes::SERVICE_TARGET_GROUP_PLACEHOLDER,
];

/// The verdict, the findings by code (blockers, then warnings, then infos; most first) and the
/// top three blocker codes.
pub fn judge(findings: &[Finding]) -> (Verdict, Vec<CodeCount>, Vec<CodeCount>) {
    let verdict = match findings
        .iter()
        .filter(|f| f.severity != Severity::Warning || !DEPLOY_TIME.contains(&f.code))
        .map(|f| f.severity)
        .max()
    {
        Some(Severity::Blocker) => Verdict::Blocked,
        Some(Severity::Warning) => Verdict::NeedsWork,
        _ => Verdict::Ready,
    };
    let mut by_code = Vec::new();
    for sev in [Severity::Blocker, Severity::Warning, Severity::Info] {
        let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
        for f in findings.iter().filter(|f| f.severity == sev) {
            *counts.entry(f.code.as_str()).or_default() += 1;
        }
        by_code.extend(most_first(counts, sev.as_str()));
    }
    let top = by_code
        .iter()
        .filter(|c| c.severity == "blocker")
        .take(3)
        .cloned()
        .collect();
    (verdict, by_code, top)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes;
    use crate::finding::Source;

    fn f(code: crate::codes::Code, severity: Severity) -> Finding {
        Finding::new(code, severity, Source::new("x", "y"), "m", "a")
    }

    #[test]
    fn blockers_block_warnings_need_work_infos_are_ready() {
        assert_eq!(judge(&[]).0, Verdict::Ready);
        assert_eq!(
            judge(&[f(codes::LINK_REMOVED, Severity::Info)]).0,
            Verdict::Ready
        );
        let w = [
            f(codes::LINK_REMOVED, Severity::Warning),
            f(codes::LINK_REMOVED, Severity::Info),
        ];
        assert_eq!(judge(&w).0, Verdict::NeedsWork);
        let b = [
            f(codes::LINK_REMOVED, Severity::Warning),
            f(codes::SECRET_MOVED, Severity::Blocker),
        ];
        assert_eq!(judge(&b).0, Verdict::Blocked);
        let deploy_time = [
            f(codes::ACCOUNT_PLACEHOLDER, Severity::Warning),
            f(codes::SERVICE_NETWORK_PLACEHOLDER, Severity::Warning),
            f(codes::LINK_REMOVED, Severity::Info),
        ];
        let (verdict, by_code, _) = judge(&deploy_time);
        assert_eq!(verdict, Verdict::Ready);
        assert_eq!(
            by_code.iter().filter(|c| c.severity == "warning").count(),
            2
        );
    }

    #[test]
    fn top_blockers_are_the_three_most_frequent_codes() {
        let mut fs = Vec::new();
        for (code, n) in [
            (codes::SECRET_MOVED, 1),
            (codes::LINK_REMOVED, 3),
            (codes::ARM64_IMAGES, 2),
            (codes::DESCRIBE_SEVERAL, 2),
        ] {
            fs.extend(std::iter::repeat_n(f(code, Severity::Blocker), n));
        }
        fs.push(f(codes::SECRET_MOVED, Severity::Warning));
        let (v, by_code, top) = judge(&fs);
        assert_eq!(v, Verdict::Blocked);
        let top: Vec<(&str, usize)> = top.iter().map(|c| (c.code, c.count)).collect();
        assert_eq!(
            top,
            vec![
                (codes::LINK_REMOVED.as_str(), 3),
                (codes::ARM64_IMAGES.as_str(), 2),
                (codes::DESCRIBE_SEVERAL.as_str(), 2)
            ]
        );
        assert_eq!(by_code.len(), 5);
        assert_eq!(by_code[4].severity, "warning");
    }
}
