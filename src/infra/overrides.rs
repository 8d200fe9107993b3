//! `--overrides FILE`: a team's changes to the stack as JSON-Patch operations (RFC 6902, the
//! `json-patch` crate) against the stack's template shape, addressed by logical id —
//! `/Resources/Service/Properties/HealthCheckGracePeriodSeconds` — the convention AWS Copilot
//! uses for its CloudFormation overrides. The patch is applied to the infrastructure model
//! before any printer runs, so `cloudformation.yaml` and the Terraform module both carry it.
//!
//! The file is YAML or JSON (a list of operations). Errors name the file, the line of the
//! operation and what is wrong; nothing is written.

use super::spelling::{api_json, api_key, is_data_map};
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

/// The AWS CLI's JSON of one stack resource (`task-definition.json` is the stack's
/// `TaskDefinition`, `service.json` its `Service`) with the operations on that resource's
/// properties applied in the ECS API's spelling (camelCase keys; labels and driver options
/// as written), so the files and the stack say the same. An operation whose value holds a
/// CloudFormation function cannot be carried into a plain JSON file: an error names it.
pub fn apply_to_api_json(o: &Overrides, id: &str, file: &str, doc: &mut Json) -> Result<()> {
    for (n, (line, op)) in o.operations.iter().enumerate() {
        let fail = |message: String| Error::Input {
            file: o.file.clone(),
            line: *line,
            column: 1,
            message: format!("operation {} ({}): {message}", n + 1, op.path()),
        };
        let path = op.path().to_string();
        let prefix = format!("/Resources/{id}/Properties");
        let Some(rest) = path.strip_prefix(&prefix) else {
            continue;
        };
        if !(rest.is_empty() || rest.starts_with('/')) {
            continue; // another resource whose id starts with this one's
        }
        let api_path = api_pointer(rest);
        let value = match op {
            json_patch::PatchOperation::Add(a) => Some(&a.value),
            json_patch::PatchOperation::Replace(r) => Some(&r.value),
            json_patch::PatchOperation::Test(t) => Some(&t.value),
            _ => None,
        };
        if let Some(v) = value.filter(|v| !super::value::Value::from_json(v).is_literal()) {
            return Err(fail(format!("its value {v} uses a CloudFormation function, which {file} (the AWS CLI's JSON, written beside the stack) cannot hold: give a literal value")));
        }
        let in_data_map = data_map_at(rest);
        let api_op = match op {
            json_patch::PatchOperation::Add(a) => {
                json_patch::PatchOperation::Add(json_patch::AddOperation {
                    path: pointer(&api_path)?,
                    value: api_json(&a.value, in_data_map),
                })
            }
            json_patch::PatchOperation::Replace(r) => {
                // A property the file leaves out (an empty list, a default) is added.
                let present = doc.pointer(&api_path).is_some();
                let value = api_json(&r.value, in_data_map);
                if present {
                    json_patch::PatchOperation::Replace(json_patch::ReplaceOperation {
                        path: pointer(&api_path)?,
                        value,
                    })
                } else {
                    json_patch::PatchOperation::Add(json_patch::AddOperation {
                        path: pointer(&api_path)?,
                        value,
                    })
                }
            }
            json_patch::PatchOperation::Remove(_) if doc.pointer(&api_path).is_none() => continue,
            json_patch::PatchOperation::Remove(_) => {
                json_patch::PatchOperation::Remove(json_patch::RemoveOperation {
                    path: pointer(&api_path)?,
                })
            }
            json_patch::PatchOperation::Test(t) => {
                json_patch::PatchOperation::Test(json_patch::TestOperation {
                    path: pointer(&api_path)?,
                    value: api_json(&t.value, in_data_map),
                })
            }
            // A move or copy names two places of the stack: both in the file's spelling.
            json_patch::PatchOperation::Move(m) => {
                let Some(from) = m.from.to_string().strip_prefix(&prefix).map(api_pointer) else {
                    return Err(fail(format!(
                        "moves from another resource, which {file} does not hold"
                    )));
                };
                json_patch::PatchOperation::Move(json_patch::MoveOperation {
                    from: pointer(&from)?,
                    path: pointer(&api_path)?,
                })
            }
            json_patch::PatchOperation::Copy(c) => {
                let Some(from) = c.from.to_string().strip_prefix(&prefix).map(api_pointer) else {
                    return Err(fail(format!(
                        "copies from another resource, which {file} does not hold"
                    )));
                };
                json_patch::PatchOperation::Copy(json_patch::CopyOperation {
                    from: pointer(&from)?,
                    path: pointer(&api_path)?,
                })
            }
        };
        json_patch::patch(doc, &json_patch::Patch(vec![api_op])).map_err(|e| {
            fail(format!(
                "applies to the stack but not to {file} ({}): {}",
                api_path, e.kind
            ))
        })?;
    }
    Ok(())
}

/// A JSON pointer of the stack's property path in the ECS API's spelling.
fn api_pointer(rest: &str) -> String {
    let mut out = String::new();
    let mut data = false;
    for seg in rest.split('/').skip(1) {
        out.push('/');
        if data || seg.bytes().all(|b| b.is_ascii_digit()) || seg == "-" {
            out.push_str(seg);
        } else {
            out.push_str(&api_key(seg));
        }
        data = is_data_map(seg);
    }
    out
}

/// Whether the path's last segment is inside a map whose keys are data.
fn data_map_at(rest: &str) -> bool {
    let segs: Vec<&str> = rest.split('/').collect();
    segs.len() >= 2 && is_data_map(segs[segs.len() - 2])
}

fn pointer(p: &str) -> Result<json_patch::jsonptr::PointerBuf> {
    json_patch::jsonptr::PointerBuf::parse(p).map_err(|e| Error::Bug(format!("pointer {p}: {e}")))
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

    /// The AWS CLI's JSON gets the same change, in the ECS API's spelling; a stack function
    /// cannot go into it.
    #[test]
    fn operations_on_a_resource_reach_its_api_json() {
        let o = parse(
            "o.yaml",
            "- op: replace\n  path: /Resources/Service/Properties/HealthCheckGracePeriodSeconds\n  value: 120\n- op: add\n  path: /Resources/TaskDefinition/Properties/ContainerDefinitions/0/DockerLabels\n  value: {com.Team: web}\n- op: add\n  path: /Resources/TaskDefinition/Properties/Volumes/-\n  value: {Name: data, EFSVolumeConfiguration: {FilesystemId: fs-1}}\n- op: remove\n  path: /Resources/TaskDefinition/Properties/PidMode\n",
        )
        .unwrap();
        let mut service =
            serde_json::json!({"serviceName": "s", "healthCheckGracePeriodSeconds": 60});
        apply_to_api_json(&o, "Service", "service.json", &mut service).unwrap();
        assert_eq!(service["healthCheckGracePeriodSeconds"], 120);
        let mut td = serde_json::json!({"containerDefinitions": [{"name": "web"}], "volumes": []});
        apply_to_api_json(&o, "TaskDefinition", "task-definition.json", &mut td).unwrap();
        assert_eq!(
            td["containerDefinitions"][0]["dockerLabels"]["com.Team"],
            "web"
        );
        assert_eq!(
            td["volumes"][0]["efsVolumeConfiguration"]["filesystemId"],
            "fs-1"
        );
        let o = parse(
            "o.yaml",
            "- op: replace\n  path: /Resources/Service/Properties/DesiredCount\n  value: {Ref: Count}\n",
        )
        .unwrap();
        let e = apply_to_api_json(&o, "Service", "service.json", &mut service)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("o.yaml:1:1: operation 1") && e.contains("service.json"),
            "{e}"
        );
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
