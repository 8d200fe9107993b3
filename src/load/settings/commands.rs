//! `container_commands` and `commands` of an `.ebextensions` file, kept as data: each entry's
//! command (a shell line or an argument list), `cwd`, `env`, `test`, `ignoreErrors` and
//! `leader_only`. What becomes of them is decided in `convert::oneoff`.

use super::{CommandText, EbCommand};
use crate::codes;
use crate::finding::{Finding, Severity, Source};
use serde_yaml_ng::{Mapping, Value as Yaml};

/// The entries of one `container_commands` / `commands` value, and findings about entries that
/// are not what EB reads (a value that is not a mapping).
pub fn entries(file: &str, key: &str, v: &Yaml) -> (Vec<EbCommand>, Vec<Finding>) {
    let mut out = Vec::new();
    let mut findings = Vec::new();
    let odd = |what: &str, location: String| {
        Finding::new(
            codes::EBEXTENSION_NOT_CONVERTED,
            Severity::Warning,
            Source::new(file, location),
            format!(
                "`{key}` {what}; EB expects a mapping of named commands, so it is not carried over"
            ),
            "Fix the entry (EB would not run it either) and convert again.",
        )
    };
    match v {
        Yaml::Null => {}
        Yaml::Mapping(m) => {
            for (k, entry) in m {
                let Some(name) = key_str(k) else { continue };
                match entry.as_mapping() {
                    Some(e) => out.push(entry_of(name, e)),
                    None => findings.push(odd(
                        &format!("entry `{}` is not a mapping", crate::text::escape(&name)),
                        format!("{key}.{name}"),
                    )),
                }
            }
        }
        _ => findings.push(odd("is not a mapping", key.to_string())),
    }
    (out, findings)
}

/// The entries of a `packages` value (`MANAGER: {NAME: VERSION}`), in file order; a
/// version list (`[]`, `["1.2"]`) is read as its first item. What is not a mapping is skipped
/// (the conversion reports packages it cannot place).
pub fn packages(v: &Yaml) -> Vec<super::EbPackage> {
    let mut out = Vec::new();
    for (manager, names) in v.as_mapping().into_iter().flatten() {
        let Some(manager) = key_str(manager) else {
            continue;
        };
        for (name, version) in names.as_mapping().into_iter().flatten() {
            let Some(name) = key_str(name) else { continue };
            let version = match version {
                Yaml::Sequence(items) => items.first().map(text).unwrap_or_default(),
                other => text(other),
            };
            out.push(super::EbPackage {
                manager: manager.clone(),
                name,
                version,
            });
        }
    }
    out
}

/// One named entry.
fn entry_of(name: String, e: &Mapping) -> EbCommand {
    let get = |k: &str| e.get(Yaml::String(k.to_string()));
    let command = get("command").and_then(|c| match c {
        Yaml::Sequence(items) => Some(CommandText::Argv(items.iter().map(text).collect())),
        Yaml::Null => None,
        other => Some(CommandText::Shell(text(other))),
    });
    let env = get("env")
        .and_then(Yaml::as_mapping)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| key_str(k).map(|k| (k, text(v))))
                .collect()
        })
        .unwrap_or_default();
    let known = [
        "command",
        "cwd",
        "env",
        "test",
        "ignoreErrors",
        "leader_only",
    ];
    EbCommand {
        command,
        cwd: get("cwd").map(text).filter(|c| !c.is_empty()),
        env,
        test: get("test").map(text).filter(|t| !t.trim().is_empty()),
        ignore_errors: get("ignoreErrors").is_some_and(truthy),
        leader_only: get("leader_only").is_some_and(truthy),
        unknown: e
            .keys()
            .filter_map(key_str)
            .filter(|k| !known.contains(&k.as_str()))
            .collect(),
        name,
    }
}

/// A scalar as EB reads it (numbers and booleans as text); anything else as its YAML text.
fn text(v: &Yaml) -> String {
    match v {
        Yaml::Null => String::new(),
        Yaml::String(s) => s.clone(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Number(n) => n.to_string(),
        other => serde_yaml_ng::to_string(other)
            .unwrap_or_default()
            .trim_end()
            .to_string(),
    }
}

/// `true`, or the text `true` in any case (EB reads both).
fn truthy(v: &Yaml) -> bool {
    match v {
        Yaml::Bool(b) => *b,
        Yaml::String(s) => s.trim().eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// A mapping key as text (numbers and booleans too).
pub(super) fn key_str(k: &Yaml) -> Option<String> {
    match k {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Number(n) => Some(n.to_string()),
        Yaml::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Vec<EbCommand>, Vec<Finding>) {
        let v: Yaml = serde_yaml_ng::from_str(text).unwrap();
        entries("f.config", "container_commands", &v)
    }

    #[test]
    fn every_key_is_read() {
        let (cmds, findings) = parse(
            "01migrate:\n  command: python manage.py migrate\n  leader_only: true\n  cwd: /var/app\n  env:\n    A: 1\n  test: test -f x\n  ignoreErrors: 'true'\n  waitAfterCompletion: 0\n",
        );
        assert!(findings.is_empty());
        assert_eq!(
            cmds,
            vec![EbCommand {
                name: "01migrate".into(),
                command: Some(CommandText::Shell("python manage.py migrate".into())),
                cwd: Some("/var/app".into()),
                env: vec![("A".into(), "1".into())],
                test: Some("test -f x".into()),
                ignore_errors: true,
                leader_only: true,
                unknown: vec!["waitAfterCompletion".into()],
            }]
        );
    }

    #[test]
    fn lists_and_missing_commands() {
        let (cmds, _) = parse("a:\n  command: [echo, 'a b']\nb:\n  leader_only: false\n");
        assert_eq!(
            cmds[0].command,
            Some(CommandText::Argv(vec!["echo".into(), "a b".into()]))
        );
        assert_eq!(cmds[1].command, None);
        assert!(!cmds[1].leader_only);
    }

    #[test]
    fn odd_values_are_findings() {
        let (cmds, findings) = parse("a: just text\n");
        assert!(cmds.is_empty());
        assert_eq!(findings[0].code, "EBEXTENSION-NOT-CONVERTED");
        assert_eq!(findings[0].source.location, "container_commands.a");
        let (_, findings) = parse("[x]\n");
        assert!(findings[0].message.contains("is not a mapping"));
    }
}
