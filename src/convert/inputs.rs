//! Facts about reading the inputs that a person must know: project paths the Dockerrun mounts
//! that eb2ecs did not read (they leave the project, or are not regular files), so a hostname
//! search over them is incomplete.

use crate::codes;
use crate::finding::{Finding, Severity, Source};
use crate::load::Skipped;

/// One finding per skipped path; `dockerrun` names the file that mounts them.
pub fn skipped(skipped: &[Skipped], dockerrun: &str) -> Vec<Finding> {
    skipped
        .iter()
        .map(|s| {
            let (code, severity, action) = if s.outside {
                (
                    codes::PROJECT_PATH_OUTSIDE,
                    Severity::Warning,
                    "Check that the volume mounts what you mean: on EB it mounted whatever the path reached on the instance; eb2ecs reads nothing outside the project.",
                )
            } else {
                (
                    codes::PROJECT_PATH_SKIPPED,
                    Severity::Info,
                    "Check this file by hand for container hostnames that must change.",
                )
            };
            Finding::new(
                code,
                severity,
                Source::new(dockerrun, format!("/var/app/current/{}", s.path)),
                format!("`{}` {}; not read", s.path, s.reason),
                action,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_skipped_path_is_a_finding() {
        let found = skipped(
            &[
                Skipped {
                    path: "conf".into(),
                    reason: "is a symbolic link to /etc, outside the project".into(),
                    outside: true,
                },
                Skipped {
                    path: "pipe".into(),
                    reason: "is a FIFO (named pipe), not a file".into(),
                    outside: false,
                },
            ],
            "Dockerrun.aws.json",
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].code, codes::PROJECT_PATH_OUTSIDE);
        assert_eq!(found[0].severity, Severity::Warning);
        assert_eq!(
            found[0].message,
            "`conf` is a symbolic link to /etc, outside the project; not read"
        );
        assert_eq!(found[0].source.location, "/var/app/current/conf");
        assert_eq!(found[1].code, codes::PROJECT_PATH_SKIPPED);
        assert_eq!(found[1].severity, Severity::Info);
    }
}
