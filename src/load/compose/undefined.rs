//! Compose `${VAR}` values no one defined (not in `.env`, an `env_file` or EB's environment
//! properties): never written as an empty string where that breaks the task. An `image` keeps
//! its `${VAR}` text (the conversion makes it a placeholder with a blocker), an `environment`
//! entry is left out (the application's own default applies); the findings are grouped per
//! file, each use named with its real line.

use super::lines;
use crate::codes;
use crate::finding::{Finding, Severity, Source};

/// Where an undefined variable was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A service's `image`.
    Image,
    /// A service's `environment` entry.
    Environment,
    /// Anything else (a command, a port, a label): compose's empty string.
    Other,
}

/// One string that used variables no one defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    /// The string's pointer in the compose file.
    pub pointer: String,
    /// The variables, in order of use.
    pub names: Vec<String>,
    /// What the string was.
    pub kind: Kind,
}

/// What a pointer names: `/services/web/image`, `/services/web/environment/0`.
pub fn kind_of(pointer: &str) -> Kind {
    let parts: Vec<&str> = pointer.split('/').collect();
    match parts.as_slice() {
        ["", "services", _, "image"] => Kind::Image,
        ["", "services", _, "environment", _] => Kind::Environment,
        _ => Kind::Other,
    }
}

/// The findings of one file's misses: one per kind, each use with its line.
pub fn findings(file: &str, text: &str, misses: &[Miss]) -> Vec<Finding> {
    let mut out = Vec::new();
    for kind in [Kind::Image, Kind::Environment, Kind::Other] {
        let of: Vec<&Miss> = misses.iter().filter(|m| m.kind == kind).collect();
        let Some(first) = of.first() else { continue };
        let uses: Vec<String> = of
            .iter()
            .map(|m| {
                let names: Vec<String> = m.names.iter().map(|n| format!("${{{n}}}")).collect();
                format!(
                    "{} at {} (line {})",
                    names.join(", "),
                    m.pointer,
                    lines::line_of(text, &m.pointer)
                )
            })
            .collect();
        let source = Source::new(file, first.pointer.clone());
        let list = uses.join("; ");
        out.push(match kind {
            Kind::Image => Finding::new(
                codes::COMPOSE_VAR_UNDEFINED,
                Severity::Blocker,
                source,
                format!("an image names variables no .env, env_file or EB property defines, so it is kept as written (a placeholder): {list}"),
                "Give the image its real URI (the deploy pipeline knew the value), or set the variable in .env, and run eb2ecs again.",
            ),
            Kind::Environment => Finding::new(
                codes::COMPOSE_VAR_UNDEFINED,
                Severity::Warning,
                source,
                format!("environment values use variables no .env, env_file or EB property defines; they are left out of the containers (the application's own defaults apply), not set to \"\": {list}"),
                "Set each one in the task definition (or as an EB property and run eb2ecs again) if the application needs it.",
            ),
            Kind::Other => Finding::new(
                codes::COMPOSE_INTERPOLATION,
                Severity::Info,
                source,
                format!("variables no .env or EB property defines were replaced with an empty string, as compose does: {list}"),
                "Check that each was really unset on EB; set the value in the task definition if it was not.",
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_say_what_the_value_was() {
        assert_eq!(kind_of("/services/web/image"), Kind::Image);
        assert_eq!(kind_of("/services/web/environment/DB"), Kind::Environment);
        assert_eq!(kind_of("/services/web/command"), Kind::Other);
    }

    #[test]
    fn misses_are_grouped_with_their_lines() {
        let text = "services:\n  web:\n    image: ${REG}/web\n    environment:\n      - A=${X}\n      - B=${Y}\n";
        let misses = [
            Miss {
                pointer: "/services/web/image".into(),
                names: vec!["REG".into()],
                kind: Kind::Image,
            },
            Miss {
                pointer: "/services/web/environment/0".into(),
                names: vec!["X".into()],
                kind: Kind::Environment,
            },
            Miss {
                pointer: "/services/web/environment/1".into(),
                names: vec!["Y".into()],
                kind: Kind::Environment,
            },
        ];
        let f = findings("docker-compose.yml", text, &misses);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].severity, Severity::Blocker);
        assert!(
            f[0].message
                .contains("${REG} at /services/web/image (line 3)"),
            "{}",
            f[0].message
        );
        assert!(f[1].message.contains("${X} at /services/web/environment/0 (line 5); ${Y} at /services/web/environment/1 (line 6)"), "{}", f[1].message);
    }
}
