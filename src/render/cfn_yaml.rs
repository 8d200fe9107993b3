//! `cloudformation.yaml` printed from the infrastructure model's [`Template`]: block YAML with
//! CloudFormation's short-form tags (`!Ref`, `!GetAtt`, `!Sub`, `!If` …), every string quoted
//! unless it is plainly safe for YAML 1.1 and 1.2 readers alike (cfn-lint reads 1.1), line
//! breaks of every kind escaped (U+0085, U+2028, U+2029 included), comments above resources.

use crate::infra::template::{Output, Parameter, Resource, Template};
use crate::infra::value::Value;
use std::fmt::Write as _;

/// The longest flow list (`[a, b]`) or function call written on one line.
const FLOW_WIDTH: usize = 72;

/// The template as YAML.
pub fn print(t: &Template) -> String {
    let mut out = String::new();
    out.push_str("AWSTemplateFormatVersion: \"2010-09-09\"\n");
    let _ = writeln!(out, "Description: {}", scalar(&t.description));
    if !t.parameters.is_empty() {
        out.push_str("\nParameters:\n");
        t.parameters.iter().for_each(|p| parameter(&mut out, p));
    }
    if let Some(rules) = &t.rules {
        out.push_str("\nRules:\n");
        body(&mut out, 2, rules);
    }
    if !t.conditions.is_empty() {
        out.push_str("\nConditions:\n");
        for (id, c) in &t.conditions {
            kv(&mut out, 2, id, c);
        }
    }
    out.push_str("\nResources:\n");
    for (i, r) in t.resources.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        resource(&mut out, r);
    }
    if !t.outputs.is_empty() {
        out.push_str("\nOutputs:\n");
        t.outputs.iter().for_each(|o| output(&mut out, o));
    }
    out
}

fn parameter(out: &mut String, p: &Parameter) {
    let _ = writeln!(out, "  {}:", key(&p.id));
    kv(out, 4, "Type", &Value::s(&p.kind));
    if let Some(d) = &p.description {
        kv(out, 4, "Description", &Value::s(d));
    }
    if !p.allowed_values.is_empty() {
        kv(
            out,
            4,
            "AllowedValues",
            &Value::List(p.allowed_values.clone()),
        );
    }
    if let Some(a) = &p.allowed_pattern {
        kv(out, 4, "AllowedPattern", &Value::s(a));
    }
    if let Some(c) = &p.constraint_description {
        kv(out, 4, "ConstraintDescription", &Value::s(c));
    }
    if p.no_echo {
        kv(out, 4, "NoEcho", &Value::Bool(true));
    }
    for (k, v) in &p.extra {
        kv(out, 4, k, v);
    }
    if let Some(d) = &p.default {
        kv(out, 4, "Default", d);
    }
}

fn resource(out: &mut String, r: &Resource) {
    if let Some(c) = &r.comment {
        for line in c.lines() {
            let _ = writeln!(out, "  # {}", one_line(line));
        }
    }
    let _ = writeln!(out, "  {}:", key(&r.id));
    kv(out, 4, "Type", &Value::s(&r.kind));
    if let Some(c) = &r.condition {
        kv(out, 4, "Condition", &Value::s(c));
    }
    match r.depends_on.as_slice() {
        [] => {}
        [one] => kv(out, 4, "DependsOn", &Value::s(one)),
        many => kv(
            out,
            4,
            "DependsOn",
            &Value::List(many.iter().map(Value::s).collect()),
        ),
    }
    if r.retain {
        kv(out, 4, "DeletionPolicy", &Value::s("Retain"));
        kv(out, 4, "UpdateReplacePolicy", &Value::s("Retain"));
    }
    for (k, v) in &r.attributes {
        kv(out, 4, k, v);
    }
    if r.properties != Value::Null {
        kv(out, 4, "Properties", &r.properties);
    }
}

fn output(out: &mut String, o: &Output) {
    let _ = writeln!(out, "  {}:", key(&o.id));
    if let Some(d) = &o.description {
        kv(out, 4, "Description", &Value::s(d));
    }
    if let Some(c) = &o.condition {
        kv(out, 4, "Condition", &Value::s(c));
    }
    kv(out, 4, "Value", &o.value);
    if let Some(e) = &o.export {
        kv(out, 4, "Export", &Value::map([("Name", e.clone())]));
    }
}

/// A comment line without anything that would end the comment early.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || is_break(c) || !printable(c) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// `key: value` at `indent`, the value on the same line when it fits, else below.
fn kv(out: &mut String, indent: usize, k: &str, v: &Value) {
    let pad = " ".repeat(indent);
    if let Some(text) = inline(v, FLOW_WIDTH) {
        let _ = writeln!(out, "{pad}{}: {text}", key(k));
        return;
    }
    match v {
        Value::Str(s) => {
            let _ = write!(out, "{pad}{}: ", key(k));
            literal(out, indent, s);
        }
        _ => {
            let _ = write!(out, "{pad}{}:", key(k));
            let tag = tag_of(v);
            if let Some(tag) = &tag {
                let _ = write!(out, " {tag}");
            }
            out.push('\n');
            body(out, indent + 2, v);
        }
    }
}

/// The content of a map, list or function call that does not fit on one line, at `indent`.
fn body(out: &mut String, indent: usize, v: &Value) {
    if let Some(m) = long(v) {
        return body(out, indent, &m);
    }
    match v {
        Value::Map(m) => m.iter().for_each(|(k, x)| kv(out, indent, k, x)),
        Value::List(l) => l.iter().for_each(|x| item(out, indent, x)),
        Value::If(c, a, b) => {
            item(out, indent, &Value::s(c));
            item(out, indent, a);
            item(out, indent, b);
        }
        Value::Call(_, arg) => match arg.as_ref() {
            Value::Map(_) | Value::List(_) => body(out, indent, arg),
            other => item(out, indent, other),
        },
        Value::Str(s) => {
            out.push_str(&" ".repeat(indent));
            literal(out, indent, s);
        }
        other => {
            let _ = writeln!(
                out,
                "{}{}",
                " ".repeat(indent),
                inline(other, usize::MAX).unwrap_or_default()
            );
        }
    }
}

/// One `- item` of a block list at `indent`.
fn item(out: &mut String, indent: usize, v: &Value) {
    let pad = " ".repeat(indent);
    if let Some(text) = inline(v, FLOW_WIDTH) {
        let _ = writeln!(out, "{pad}- {text}");
        return;
    }
    let long_form = long(v);
    match long_form.as_ref().unwrap_or(v) {
        Value::Map(m) => {
            for (i, (k, x)) in m.iter().enumerate() {
                let mut one = String::new();
                kv(&mut one, indent + 2, k, x);
                if i == 0 {
                    let _ = write!(out, "{pad}- {}", &one[indent + 2..]);
                } else {
                    out.push_str(&one);
                }
            }
        }
        Value::Str(s) => {
            let _ = write!(out, "{pad}- ");
            literal(out, indent, s);
        }
        _ => {
            let _ = write!(out, "{pad}-");
            if let Some(tag) = tag_of(v) {
                let _ = write!(out, " {tag}");
            }
            out.push('\n');
            body(out, indent + 2, v);
        }
    }
}

/// A multi-line string as a block literal (`|` / `|-`) when that keeps every byte, else one
/// double-quoted line. The cursor is after `key: ` or `- `.
fn literal(out: &mut String, indent: usize, s: &str) {
    let body = s.strip_suffix('\n').unwrap_or(s);
    let keeps = !body.is_empty()
        && !body.starts_with([' ', '\t'])
        && !body.ends_with('\n')
        && body.lines().all(|l| l == l.trim_end())
        && s.chars().all(|c| {
            c == '\n' || !(c.is_control() || is_break(c) || c == '\u{feff}' || !printable(c))
        });
    if !keeps {
        let _ = writeln!(out, "{}", quoted(s));
        return;
    }
    let _ = writeln!(out, "{}", if s.ends_with('\n') { "|" } else { "|-" });
    let pad = " ".repeat(indent + 2);
    for line in body.split('\n') {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{pad}{line}");
        }
    }
}

/// The tag that opens a function written as a block below its key (none for a function whose
/// argument is itself a function: that one is written long, see [`long`]).
fn tag_of(v: &Value) -> Option<String> {
    match v {
        Value::If(..) => Some("!If".into()),
        Value::Call(_, arg) if is_function(arg) => None,
        Value::Call(name, _) => Some(short_tag(name)),
        _ => None,
    }
}

/// Whether the value is a function (it carries a tag of its own).
fn is_function(v: &Value) -> bool {
    matches!(
        v,
        Value::Ref(_) | Value::GetAtt(..) | Value::Sub(_) | Value::If(..) | Value::Call(..)
    )
}

/// A function of a function in its long form: `Fn::Base64: !Sub …`.
fn long(v: &Value) -> Option<Value> {
    match v {
        Value::Call(name, arg) if is_function(arg) => {
            Some(Value::Map(vec![(name.clone(), (**arg).clone())]))
        }
        _ => None,
    }
}

/// `Fn::Equals` -> `!Equals`, `Condition` -> `!Condition`.
fn short_tag(name: &str) -> String {
    format!("!{}", name.trim_start_matches("Fn::"))
}

/// The value on one line within `width` characters, if it can be: scalars always (a
/// multi-line string only if quoting is the only way to keep it), flow lists of such values,
/// and functions of them.
fn inline(v: &Value, width: usize) -> Option<String> {
    let text = match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Num(n) => n.to_string(),
        Value::Str(s) if s.contains('\n') && s.trim_end_matches('\n').contains('\n') => {
            return None
        }
        Value::Str(s) => return Some(scalar(s)),
        Value::Ref(r) => return Some(format!("!Ref {}", scalar(r))),
        Value::GetAtt(r, a) => return Some(format!("!GetAtt {}", scalar(&format!("{r}.{a}")))),
        Value::Sub(s) if !s.contains('\n') => return Some(format!("!Sub {}", scalar(s))),
        Value::Sub(_) => return None,
        Value::List(l) if l.is_empty() => "[]".to_string(),
        Value::Map(m) if m.is_empty() => "{}".to_string(),
        Value::List(l) => flow(l, width)?,
        Value::Map(_) => return None,
        Value::If(c, a, b) => {
            let args = [Value::s(c), (**a).clone(), (**b).clone()];
            format!("!If {}", flow(&args, width)?)
        }
        Value::Call(name, arg) => {
            let inner = match arg.as_ref() {
                Value::List(l) if !l.is_empty() => flow(l, width)?,
                Value::Map(_) | Value::List(_) => return None,
                // One node takes one tag: a function of a function is written long.
                v if is_function(v) => return None,
                other => inline(other, width)?,
            };
            format!("{} {inner}", short_tag(name))
        }
    };
    (text.len() <= width).then_some(text)
}

/// `[a, b]` when every item is a scalar or a reference.
fn flow(items: &[Value], width: usize) -> Option<String> {
    let mut parts = Vec::new();
    for v in items {
        match v {
            Value::Str(s) if s.contains('\n') => return None,
            Value::Null
            | Value::Bool(_)
            | Value::Num(_)
            | Value::Str(_)
            | Value::Ref(_)
            | Value::GetAtt(..) => parts.push(inline(v, usize::MAX)?),
            Value::Sub(s) if !s.contains('\n') => parts.push(inline(v, usize::MAX)?),
            Value::Call(..) => parts.push(inline(v, width)?),
            _ => return None,
        }
    }
    let text = format!("[{}]", parts.join(", "));
    (text.len() <= width).then_some(text)
}

/// A map key: plain when safe, else quoted.
fn key(k: &str) -> String {
    scalar(k)
}

/// A string scalar: plain when every YAML reader takes it as this exact string, else
/// double-quoted with escapes.
pub fn scalar(s: &str) -> String {
    if plain_safe(s) {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// Whether `s` can be written plain: a letter, `/` or `_` first; then letters, digits and
/// `_ . / : - ( )` or single inner spaces; no `: `, no trailing `:`; not a YAML 1.1 keyword.
fn plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == '/' || first == '_') {
        return false;
    }
    if s.ends_with([' ', ':']) || s.contains(": ") || s.contains("  ") {
        return false;
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_./:-() ".contains(c))
    {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "nan" | "inf"
    )
}

/// Whether YAML lets `c` stand unescaped (its printable set: no C0/C1 controls but tab and
/// line feed, no U+FFFE/U+FFFF).
fn printable(c: char) -> bool {
    let u = c as u32;
    matches!(u, 0x9 | 0xA | 0x20..=0x7E | 0x85 | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..)
}

/// Whether `c` is a line break to some YAML reader.
fn is_break(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// A double-quoted YAML string; every control character and line break escaped.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            '\u{feff}' => out.push_str("\\uFEFF"),
            c if (c as u32) < 0x20 || ((c as u32) >= 0x7f && (c as u32) < 0xa0) => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c if !printable(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infra::template::{from_yaml, yaml_to_json};

    fn sample() -> Template {
        let j = serde_json::json!({
            "Description": "A stack: with \u{2028} odd \"text\"",
            "Parameters": {"P": {"Type": "String", "Default": "", "AllowedValues": ["", "true"]}},
            "Conditions": {"C": {"Fn::Equals": [{"Ref": "P"}, "true"]},
                           "D": {"Fn::Not": [{"Condition": "C"}]}},
            "Resources": {
                "R": {"Type": "AWS::SQS::Queue", "Condition": "C", "DeletionPolicy": "Retain",
                      "UpdateReplacePolicy": "Retain",
                      "Properties": {"QueueName": {"Fn::Sub": "${AWS::StackName}-q"},
                        "Tags": [{"Key": "yes", "Value": "0.5"}, {"Key": "a", "Value": "1:20"}],
                        "Script": "#!/bin/bash\necho ${X} 'a'\n",
                        "Weird": "line\u{2028}two\r\u{85}",
                        "Pick": {"Fn::If": ["C", {"A": [1, 2, {"Ref": "AWS::NoValue"}]}, {"Ref": "AWS::NoValue"}]},
                        "Long": ["arn:aws:iam::aws:policy/one-long-name-here", "arn:aws:iam::aws:policy/two-long-name-here"],
                        "Empty": {}, "None": [], "B": true, "N": 3,
                        "UD": {"Fn::Base64": {"Fn::Sub": ["#!/bin/bash\necho ${X}\n", {"X": {"Ref": "P"}}]}},
                        "B64": {"Fn::Base64": {"Ref": "P"}}, "Odd": "a\u{fffe}b\u{feff}"}}
            },
            "Outputs": {"O": {"Value": {"Fn::GetAtt": ["R", "Arn"]}, "Description": "x"}}
        });
        Template::from_json(&j, &|id| (id == "R").then(|| "Why: it is here".to_string())).unwrap()
    }

    #[test]
    fn printed_yaml_reads_back_as_the_same_template() {
        let t = sample();
        let text = print(&t);
        let back = from_yaml(&text).expect(&text);
        assert_eq!(back, t, "{text}");
        assert_eq!(yaml_to_json(&text).unwrap(), t.to_json());
        assert!(text.contains("  # Why: it is here\n  R:\n"), "{text}");
        assert!(!text.contains('\u{2028}'));
    }

    #[test]
    fn strings_yaml_would_read_as_something_else_are_quoted() {
        for s in [
            "yes", "No", "1:20", "0.5", "", "-x", "a: b", "a #b", "*x", "[a]", "x,y", "null",
        ] {
            assert!(scalar(s).starts_with('"'), "{s}");
        }
        for s in [
            "Retain",
            "AWS::ECS::Cluster",
            "ecs-tasks.amazonaws.com",
            "/health",
        ] {
            assert_eq!(scalar(s), s);
        }
    }
}
