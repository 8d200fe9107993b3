//! Whether an environment's EB platform is supported, deprecated, retiring or retired: the
//! status `DescribePlatformVersion` gave (live), else judged from the platform branch by the
//! table below (offline).
//!
//! Sources, read on 2026-12-01:
//! - Amazon Linux AMI (AL1) platform branches, "running on 64bit Amazon Linux" and the
//!   `64bit Amazon Linux 20xx.xx ...` solution stacks, were retired on 2022-07-18:
//!   <https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/using-features.migration-al.html>.
//! - Amazon Linux 2 reached end of support on 2026-06-30, and its EB platform branches retire
//!   with it: <https://aws.amazon.com/amazon-linux-2/>,
//!   <https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/using-features.migration-al.generic.from-al2.html>.
//! - Node.js 18 (AL2023 and AL2) was retired on 2025-08-11:
//!   <https://docs.aws.amazon.com/elasticbeanstalk/latest/relnotes/release-2025-08-11-nodejs18-retire.html>.
//! - The platform support policy (supported, deprecated, retired):
//!   <https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/platforms-support-policy.html>.

use serde::Serialize;

/// A platform's lifecycle as the assessment reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lifecycle {
    /// `Supported`, `Deprecated`, `Retiring`, `Retired`, or `Unknown`; a live status as AWS
    /// spelt it (`Recommended`, ...).
    pub status: String,
    /// The retirement date, when the table has one.
    pub date: Option<String>,
    /// Where the status came from (`DescribePlatformVersion`, or the table's rule).
    pub from: String,
}

impl Lifecycle {
    /// Whether the platform is deprecated, retiring or retired: a reason to move soon.
    pub fn is_ending(&self) -> bool {
        matches!(
            self.status.to_ascii_lowercase().as_str(),
            "deprecated" | "retiring" | "retired"
        )
    }
}

/// One rule of the table: a platform whose text contains every needle has this status.
struct Rule {
    needles: &'static [&'static str],
    status: &'static str,
    date: Option<&'static str>,
    what: &'static str,
}

/// The table, first match wins (more specific rules first: what is left of "running on 64bit
/// Amazon Linux" after the 2023 and 2 rules is AL1).
const RULES: &[Rule] = &[
    Rule {
        needles: &["node.js 18"],
        status: "Retired",
        date: Some("2025-08-11"),
        what: "Node.js 18 branches",
    },
    Rule {
        needles: &["amazon linux 2023"],
        status: "Supported",
        date: None,
        what: "Amazon Linux 2023 branches",
    },
    Rule {
        needles: &["amazon linux 2/"],
        status: "Retiring",
        date: Some("2026-06-30"),
        what: "Amazon Linux 2 branches",
    },
    Rule {
        needles: &["amazon linux 2 "],
        status: "Retiring",
        date: Some("2026-06-30"),
        what: "Amazon Linux 2 branches",
    },
    Rule {
        needles: &["running on 64bit amazon linux"],
        status: "Retired",
        date: Some("2022-07-18"),
        what: "Amazon Linux AMI (AL1) branches",
    },
    Rule {
        needles: &["64bit amazon linux 20"],
        status: "Retired",
        date: Some("2022-07-18"),
        what: "Amazon Linux AMI (AL1) solution stacks",
    },
];

/// The lifecycle of `platform` (an ARN, a solution stack or a branch name), preferring the
/// live status when there is one; `None` without either.
pub fn lifecycle(platform: Option<&str>, live_status: Option<&str>) -> Option<Lifecycle> {
    if let Some(s) = live_status.filter(|s| !s.is_empty()) {
        return Some(Lifecycle {
            status: s.to_string(),
            date: None,
            from: "DescribePlatformVersion".to_string(),
        });
    }
    let platform = platform?;
    // "…/Docker running on 64bit Amazon Linux 2/3.5.0": the branch is before the version.
    let text = format!("{} ", platform.to_ascii_lowercase());
    let rule = RULES
        .iter()
        .find(|r| r.needles.iter().all(|n| text.contains(n)));
    Some(match rule {
        Some(r) => Lifecycle {
            status: r.status.to_string(),
            date: r.date.map(str::to_string),
            from: format!("eb2ecs's table: {}", r.what),
        },
        None => Lifecycle {
            status: "Unknown".to_string(),
            date: None,
            from: "not in eb2ecs's table".to_string(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::lifecycle;

    fn status(p: &str) -> (String, Option<String>) {
        let l = lifecycle(Some(p), None).unwrap();
        (l.status, l.date)
    }

    #[test]
    fn branches_are_judged_by_the_table() {
        let al1 = "arn:aws:elasticbeanstalk:eu-west-1::platform/Multi-container Docker running on 64bit Amazon Linux/2.26.0";
        assert_eq!(status(al1), ("Retired".into(), Some("2022-07-18".into())));
        let stack = "64bit Amazon Linux 2018.03 v2.26.0 running Multi-container Docker 20.10.7-ce (Generic)";
        assert_eq!(status(stack).0, "Retired");
        let al2 = "arn:aws:elasticbeanstalk:us-east-1::platform/Docker running on 64bit Amazon Linux 2/3.5.0";
        assert_eq!(status(al2), ("Retiring".into(), Some("2026-06-30".into())));
        assert_eq!(
            status("Python 3.8 running on 64bit Amazon Linux 2").0,
            "Retiring"
        );
        assert_eq!(
            status("Go 1 running on 64bit Amazon Linux 2023").0,
            "Supported"
        );
        let node18 = "arn:aws:elasticbeanstalk:eu-west-1::platform/Node.js 18 running on 64bit Amazon Linux 2023/6.1.0";
        assert_eq!(status(node18).0, "Retired");
        assert_eq!(
            status("IIS 10.0 running on 64bit Windows Server 2019").0,
            "Unknown"
        );
        assert!(lifecycle(None, None).is_none());
    }

    #[test]
    fn the_live_status_wins() {
        let l = lifecycle(
            Some("Go 1 running on 64bit Amazon Linux 2023"),
            Some("Deprecated"),
        )
        .unwrap();
        assert_eq!(l.status, "Deprecated");
        assert!(l.is_ending());
        assert_eq!(l.from, "DescribePlatformVersion");
    }
}
