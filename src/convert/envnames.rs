//! Environment variable names, checked before anything is converted: a name ECS or the
//! container runtime would refuse, or one whose characters would mean something where eb2ecs
//! places the name (a `*` or `/../` in the execution role's policy resource, a `${` inside an
//! `Fn::Sub` string, a backtick in a checklist command), stops the run with its file and place.

use crate::error::{Error, Result};
use crate::load::Inputs;

/// The namespaces whose option names are environment variable names.
const NAMESPACES: &[&str] = &[
    "aws:elasticbeanstalk:application:environment",
    "aws:elasticbeanstalk:application:environmentsecrets",
];

/// Why ECS (or eb2ecs, where the name lands) cannot take `name` as an environment variable
/// name; None when it can. Accepted: ASCII letters and digits and `_ . - : / + @` (the
/// characters EB accepts in property names), with no `.` or `..` path segment.
pub fn problem(name: &str) -> Option<&'static str> {
    if name.trim().is_empty() {
        return Some("it is empty (ECS requires a name)");
    }
    if name.contains('=') {
        return Some("it holds `=`, which ends a name in a process environment");
    }
    if name.chars().any(crate::text::is_unsafe_char) {
        return Some("it holds a control or invisible character");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_.-:/+@".contains(c))
    {
        return Some("it holds a character other than ASCII letters, digits and _ . - : / + @ (a `*`, `$`, brace, quote, backtick or space would be read as a wildcard, a substitution or the end of a command where the name is used)");
    }
    if name.split('/').any(|seg| seg == "." || seg == "..") {
        return Some("it holds a `.` or `..` path segment, which would point the secret's parameter path elsewhere");
    }
    None
}

/// Refuse the inputs when an environment variable name (a container's `environment`, an EB
/// environment property or secret) is one [`problem`] names.
pub fn check(inputs: &Inputs) -> Result<()> {
    for c in &inputs.dockerrun.containers {
        for e in &c.environment {
            if let Some(why) = problem(&e.name) {
                let place = match &e.origin {
                    Some(src) => src.to_string(),
                    None => format!("{}#{}", inputs.dockerrun.file, e.pointer),
                };
                return Err(refusal(&place, &e.name, why));
            }
        }
    }
    for doc in &inputs.settings {
        for o in doc
            .options
            .iter()
            .filter(|o| NAMESPACES.contains(&o.namespace.as_str()))
        {
            if let Some(why) = problem(&o.option) {
                let place = format!("{} {}", doc.file, o.location());
                return Err(refusal(&place, &o.option, why));
            }
        }
    }
    Ok(())
}

fn refusal(place: &str, name: &str, why: &str) -> Error {
    Error::Usage(format!(
        "{place}: environment variable name {} cannot be carried to ECS: {why}. Rename the variable (and what reads it); nothing was written",
        crate::text::code(name)
    ))
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn names_ecs_and_the_outputs_can_take() {
        for ok in [
            "DB_PASSWORD",
            "a.b",
            "x-y",
            "app:port",
            "path/to/x",
            "a+b@c",
            "_1",
        ] {
            assert_eq!(problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            " ",
            "A=B",
            "A*",
            "X${AWS::Region}",
            "a`id`",
            "A B",
            "a/../b",
            "../x",
            "a/./b",
            "x\u{1b}[2J",
            "X\u{202e}",
            "é",
            "a'b",
            "{a,b}",
            "!x",
        ] {
            assert!(problem(bad).is_some(), "{bad:?}");
        }
    }
}
