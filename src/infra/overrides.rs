//! `--overrides FILE`: a team's changes to the stack as JSON-Patch operations (RFC 6902, the
//! `json-patch` crate) against the stack's template shape, addressed by logical id —
//! `/Resources/Service/Properties/HealthCheckGracePeriodSeconds` — the convention AWS Copilot
//! uses for its CloudFormation overrides. The patch is applied to the infrastructure model
//! before any printer runs, so `cloudformation.yaml` and the Terraform module both carry it.
//!
//! The file is YAML or JSON (a list of operations). Errors name the file, the line of the
//! operation and what is wrong; nothing is written.

use super::template::Template;
use crate::error::{Error, Result};
use serde_json::Value as Json;

/// The top-level sections an operation may change.
const SECTIONS: &[&str] = &["Resources", "Parameters", "Conditions", "Outputs", "Rules"];

/// A parsed overrides file.
#[derive(Debug, Clone)]
pub struct Overrides {
    /// The file as the user named it.
    pub file: String,
    /// The operations, in order, each with the line it starts on.
    pub operations: Vec<(usize, json_patch::PatchOperation)>,
}

/// Parse an overrides file's text.
pub fn parse(file: &str, text: &str) -> Result<Overrides> {
    let at = |line: usize, column: usize, message: String| Error::Input {
        file: file.to_string(),
        line,
        column,
        message,
    };
    let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        at(line, column, format!("not YAML or JSON: {e}"))
    })?;
    let json = serde_json::to_value(&doc).map_err(|e| at(1, 1, e.to_string()))?;
    let Json::Array(items) = json else {
        return Err(at(
            1,
            1,
            "an overrides file is a list of JSON-Patch operations (- op: replace, path: /Resources/ID/..., value: ...)".into(),
        ));
    };
    let lines = item_lines(text);
    let mut operations = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1);
        let op: json_patch::PatchOperation = serde_json::from_value(item)
            .map_err(|e| at(line, 1, format!("operation {}: {e}", i + 1)))?;
        let path = op.path().to_string();
        let section = path.split('/').nth(1).unwrap_or_default();
        if !SECTIONS.contains(&section) || path.split('/').count() < 3 {
            return Err(at(
                line,
                1,
                format!(
                    "operation {}: path {path:?} must start with /{}/LOGICAL_ID",
                    i + 1,
                    SECTIONS.join("|/")
                ),
            ));
        }
        operations.push((line, op));
    }
    Ok(Overrides {
        file: file.to_string(),
        operations,
    })
}

/// The line each top-level list item starts on (`- ` at column 1 in YAML; `{` items of a JSON
/// array are found by their order).
fn item_lines(text: &str) -> Vec<usize> {
    let yaml: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("- ") || *l == "-")
        .map(|(i, _)| i + 1)
        .collect();
    if !yaml.is_empty() {
        return yaml;
    }
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with('{') && l.contains("\"op\""))
        .map(|(i, _)| i + 1)
        .collect()
}

/// The stack with the operations applied, one at a time so an error names its operation.
pub fn apply(t: &Template, o: &Overrides) -> Result<Template> {
    let mut doc = t.to_json();
    for (n, (line, op)) in o.operations.iter().enumerate() {
        let fail = |message: String| Error::Input {
            file: o.file.clone(),
            line: *line,
            column: 1,
            message: format!("operation {} ({}): {message}", n + 1, op.path()),
        };
        if let Some(missing) = missing_id(&doc, op) {
            return Err(fail(missing));
        }
        let patch = json_patch::Patch(vec![op.clone()]);
        json_patch::patch(&mut doc, &patch).map_err(|e| fail(e.kind.to_string()))?;
    }
    Template::from_json(&doc, &|id| t.resource(id).and_then(|r| r.comment.clone())).map_err(|e| {
        Error::Input {
            file: o.file.clone(),
            line: 1,
            column: 1,
            message: format!("the patched stack is not a template: {e}"),
        }
    })
}

/// Why an operation names a logical id the stack does not have (adding a whole new one is fine).
fn missing_id(doc: &Json, op: &json_patch::PatchOperation) -> Option<String> {
    let path = op.path().to_string();
    let mut parts = path.split('/').skip(1);
    let (section, id) = (parts.next()?, parts.next()?);
    let adds_it = matches!(op, json_patch::PatchOperation::Add(_)) && parts.next().is_none();
    let ids = doc.get(section).and_then(Json::as_object);
    let present = ids.is_some_and(|m| m.contains_key(&id.replace("~1", "/").replace("~0", "~")));
    if present || adds_it {
        return None;
    }
    let known: Vec<&str> = ids
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default();
    Some(format!(
        "the stack has no {id} in {section} (it has: {})",
        known.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infra::template::from_yaml;
    use crate::infra::value::Value;

    const STACK: &str = "Resources:\n  # Why\n  Service:\n    Type: AWS::ECS::Service\n    Properties:\n      DesiredCount: 1\n";

    #[test]
    fn operations_change_the_model_by_logical_id() {
        let t = from_yaml(STACK).unwrap();
        let o = parse(
            "o.yaml",
            "- op: replace\n  path: /Resources/Service/Properties/DesiredCount\n  value: 3\n- op: add\n  path: /Resources/Service/Properties/Tags\n  value: [{Key: team, Value: web}]\n",
        )
        .unwrap();
        let p = apply(&t, &o).unwrap();
        let s = p.resource("Service").unwrap();
        assert_eq!(s.properties.get("DesiredCount"), Some(&Value::n(3)));
        assert!(s.properties.get("Tags").is_some());
        assert_eq!(s.comment.as_deref(), Some("Why"));
    }

    #[test]
    fn a_failing_operation_names_file_line_and_path() {
        let t = from_yaml(STACK).unwrap();
        let o = parse(
            "o.yaml",
            "- op: replace\n  path: /Resources/Service/Properties/DesiredCount\n  value: 2\n- op: remove\n  path: /Resources/Nope/Properties\n",
        )
        .unwrap();
        let e = apply(&t, &o).unwrap_err().to_string();
        assert!(e.starts_with("o.yaml:4:1: operation 2 (/Resources/Nope/Properties): the stack has no Nope in Resources (it has: Service)"), "{e}");
        let e = parse(
            "o.yaml",
            "- op: replace\n  path: /Description\n  value: x\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("o.yaml:1:1") && e.contains("/Resources"), "{e}");
        let e = parse("o.yaml", "op: replace\n").unwrap_err().to_string();
        assert!(e.contains("list of JSON-Patch operations"), "{e}");
        let e = parse("o.yaml", "- op: frobnicate\n  path: /Resources/A\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("operation 1"), "{e}");
    }
}
