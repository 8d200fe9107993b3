//! The CloudFormation parts of an `.ebextensions` file kept as data: `Resources` and `Outputs`
//! (each entry as JSON, YAML short-form tags such as `!Ref` spelled out), the `files:` entries
//! (path, inline content, line), and option values that are CloudFormation expressions (kept
//! whole, so a `Ref` to a carried resource can follow it). What becomes of them is decided in
//! `convert::resources` and `convert::proxy`.

use super::commands::key_str;
use super::{EbFile, OptionExpression, TemplateEntry};
use serde_json::{json, Map, Value};
use serde_yaml_ng::Value as Yaml;

/// A YAML value as JSON: mapping keys as text, `!Ref X` as `{"Ref": X}`, `!GetAtt A.B` as
/// `{"Fn::GetAtt": [A, B]}`, any other `!Name` as `{"Fn::Name": ...}`.
pub fn to_json(v: &Yaml) -> Value {
    match v {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(*b),
        Yaml::Number(n) => serde_json::to_value(n).unwrap_or(Value::Null),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Sequence(items) => Value::Array(items.iter().map(to_json).collect()),
        Yaml::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                if let Some(k) = key_str(k) {
                    out.insert(k, to_json(v));
                }
            }
            Value::Object(out)
        }
        Yaml::Tagged(t) => tagged(&t.tag.to_string(), to_json(&t.value)),
    }
}

/// A short-form intrinsic as its long form.
fn tagged(tag: &str, value: Value) -> Value {
    let name = tag.trim_start_matches('!');
    match (name, value) {
        ("Ref", v) => json!({ "Ref": v }),
        ("GetAtt", Value::String(s)) => match s.split_once('.') {
            Some((a, b)) => json!({ "Fn::GetAtt": [a, b] }),
            None => json!({ "Fn::GetAtt": [s] }),
        },
        (other, v) => {
            let mut m = Map::new();
            m.insert(format!("Fn::{other}"), v);
            Value::Object(m)
        }
    }
}

/// The entries of `Resources` or `Outputs`, in file order, each with the line that names it.
pub fn entries(v: &Yaml, text: &str) -> Vec<TemplateEntry> {
    let Some(m) = v.as_mapping() else {
        return Vec::new();
    };
    m.iter()
        .filter_map(|(k, v)| {
            let name = key_str(k)?;
            Some(TemplateEntry {
                line: line_of(text, &name),
                name,
                value: to_json(v),
            })
        })
        .collect()
}

/// The `files:` entries: path, inline `content`, `source` URL, and the line of the path.
pub fn files(v: &Yaml, text: &str) -> Vec<EbFile> {
    let Some(m) = v.as_mapping() else {
        return Vec::new();
    };
    m.iter()
        .filter_map(|(k, e)| {
            let path = key_str(k)?;
            let get = |f: &str| e.get(Yaml::String(f.to_string())).and_then(key_str);
            Some(EbFile {
                line: line_of(text, &path),
                content: get("content"),
                source: get("source"),
                path,
            })
        })
        .collect()
}

/// An option value that is an expression, as JSON: a mapping (`{"Ref": "Queue"}`) as it is, a
/// backtick string (`` `{"Ref": "Queue"}` ``) parsed as the JSON inside; `None` otherwise.
pub fn expression(namespace: &str, option: &str, v: &Yaml) -> Option<OptionExpression> {
    let value = match v {
        Yaml::Mapping(_) | Yaml::Tagged(_) => to_json(v),
        Yaml::String(s) => {
            let t = s.trim();
            let inner = t.strip_prefix('`')?.strip_suffix('`')?;
            serde_json::from_str(inner).ok()?
        }
        _ => return None,
    };
    Some(OptionExpression {
        namespace: namespace.to_string(),
        option: option.to_string(),
        value,
    })
}

/// Whether a `files:` path is a configuration file of EB's proxy (nginx or Apache httpd).
pub fn is_proxy_path(path: &str) -> bool {
    ["/etc/nginx/", "/etc/httpd/"]
        .iter()
        .any(|p| path.starts_with(p))
}

/// The 1-based line where `key` is first defined as a mapping key (0 when not found).
fn line_of(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            let t = l.trim_start().trim_start_matches(['"', '\'']);
            t.strip_prefix(key).is_some_and(|rest| {
                rest.trim_start_matches(['"', '\''])
                    .trim_start()
                    .starts_with(':')
            })
        })
        .map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_are_spelled_out() {
        let y: Yaml = serde_yaml_ng::from_str("a: !Ref Q\nb: !GetAtt Q.Arn\nc: !Sub x\n").unwrap();
        assert_eq!(
            to_json(&y),
            json!({"a": {"Ref": "Q"}, "b": {"Fn::GetAtt": ["Q", "Arn"]}, "c": {"Fn::Sub": "x"}})
        );
    }

    #[test]
    fn backtick_expressions_are_parsed() {
        let y = Yaml::String("`{\"Ref\": \"Q\"}`".into());
        let e = expression("ns", "O", &y).unwrap();
        assert_eq!(e.value, json!({"Ref": "Q"}));
        assert!(expression("ns", "O", &Yaml::String("plain".into())).is_none());
    }

    #[test]
    fn lines_of_keys() {
        assert_eq!(line_of("Resources:\n  Queue:\n    Type: x\n", "Queue"), 2);
        assert_eq!(line_of("a: 1\n", "Queue"), 0);
    }
}
