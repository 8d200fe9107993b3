//! The handlebars registry: templates compiled into the binary, strict mode, and a `json`
//! helper that serialises any value (JSON is valid YAML), so nothing is quoted by hand.
//! A template error is a bug in eb2ecs and reported as one.

use crate::error::{Error, Result};
use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason,
};
use serde::Serialize;
use std::sync::OnceLock;

const TEMPLATES: &[(&str, &str)] = &[
    (
        "cloudformation.yaml",
        include_str!("../../templates/cloudformation.yaml.hbs"),
    ),
    (
        "cfn-oneoff",
        include_str!("../../templates/cfn-oneoff.yaml.hbs"),
    ),
    (
        "cfn-oneoff-outputs",
        include_str!("../../templates/cfn-oneoff-outputs.yaml.hbs"),
    ),
    (
        "cfn-worker",
        include_str!("../../templates/cfn-worker.yaml.hbs"),
    ),
    (
        "cfn-worker-parameters",
        include_str!("../../templates/cfn-worker-parameters.yaml.hbs"),
    ),
    (
        "cfn-worker-task-policy",
        include_str!("../../templates/cfn-worker-task-policy.yaml.hbs"),
    ),
    (
        "cfn-worker-outputs",
        include_str!("../../templates/cfn-worker-outputs.yaml.hbs"),
    ),
    (
        "CHECKLIST.md",
        include_str!("../../templates/CHECKLIST.md.hbs"),
    ),
    (
        "cfn-delivery-parameters",
        include_str!("../../templates/cfn-delivery-parameters.yaml.hbs"),
    ),
    (
        "cfn-delivery-conditions",
        include_str!("../../templates/cfn-delivery-conditions.yaml.hbs"),
    ),
    (
        "cfn-delivery",
        include_str!("../../templates/cfn-delivery.yaml.hbs"),
    ),
    (
        "cfn-delivery-outputs",
        include_str!("../../templates/cfn-delivery-outputs.yaml.hbs"),
    ),
    (
        "delivery.yaml",
        include_str!("../../templates/delivery.yaml.hbs"),
    ),
];

fn json_helper(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let v = h
        .param(0)
        .ok_or_else(|| RenderErrorReason::ParamNotFoundForIndex("json", 0))?;
    out.write(&compact_json(v.value())?)?;
    Ok(())
}

/// A value as one line of JSON (valid YAML flow style too: see [`yaml_safe`]).
fn compact_json(v: &serde_json::Value) -> Result<String, RenderErrorReason> {
    serde_json::to_string(v)
        .map(yaml_safe)
        .map_err(|e| RenderErrorReason::Other(e.to_string()))
}

/// Whether YAML reads a character of a double-quoted scalar as something else: characters
/// YAML does not allow in a document (DEL, C1 controls, U+FFFE, U+FFFF) and those YAML 1.1
/// readers take for line breaks (NEL, U+2028, U+2029) or a byte order mark. JSON escapes C0.
fn yaml_unsafe(c: char) -> bool {
    matches!(
        c as u32,
        0x7F..=0x9F | 0x2028 | 0x2029 | 0xFEFF | 0xFFFE | 0xFFFF
    )
}

/// JSON text with every [`yaml_unsafe`] character (only ever inside a string) written as a
/// `\uXXXX` escape, which JSON and YAML double-quoted scalars both read back as the character.
fn yaml_safe(json: String) -> String {
    if !json.chars().any(yaml_unsafe) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 12);
    for c in json.chars() {
        if yaml_unsafe(c) {
            out.push_str(&format!("\\u{:04X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn text_of(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

handlebars::handlebars_helper!(concat: |*args| serde_json::Value::String(args.iter().map(|a| text_of(a)).collect::<String>()));
handlebars::handlebars_helper!(str_helper: |v: Json| serde_json::Value::String(text_of(v)));

/// `{{yaml value indent}}`: the value as block YAML on the following lines, indented.
fn yaml_helper(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let v = h
        .param(0)
        .ok_or_else(|| RenderErrorReason::ParamNotFoundForIndex("yaml", 0))?;
    let indent = h.param(1).and_then(|p| p.value().as_u64()).unwrap_or(0) as usize;
    let empty = match v.value() {
        serde_json::Value::Array(a) => a.is_empty(),
        serde_json::Value::Object(o) => o.is_empty(),
        _ => false,
    };
    if empty || !(v.value().is_array() || v.value().is_object()) {
        out.write(" ")?;
        out.write(&compact_json(v.value())?)?;
        return Ok(());
    }
    let text =
        serde_yaml_ng::to_string(v.value()).map_err(|e| RenderErrorReason::Other(e.to_string()))?;
    let pad = " ".repeat(indent);
    for line in text.lines() {
        out.write("\n")?;
        out.write(&pad)?;
        out.write(line)?;
    }
    Ok(())
}

fn registry() -> std::result::Result<&'static Handlebars<'static>, String> {
    static REG: OnceLock<std::result::Result<Handlebars<'static>, String>> = OnceLock::new();
    REG.get_or_init(|| {
        let mut h = Handlebars::new();
        h.set_strict_mode(true);
        h.register_escape_fn(handlebars::no_escape);
        h.register_helper("json", Box::new(json_helper));
        h.register_helper("concat", Box::new(concat));
        h.register_helper("yaml", Box::new(yaml_helper));
        h.register_helper("str", Box::new(str_helper));
        for (name, text) in TEMPLATES {
            h.register_template_string(name, *text)
                .map_err(|e| format!("template {name}: {e}"))?;
        }
        Ok(h)
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// Render a named template with a typed context.
pub fn render<T: Serialize>(name: &str, ctx: &T) -> Result<String> {
    let reg = registry().map_err(Error::Bug)?;
    reg.render(name, ctx)
        .map_err(|e| Error::Bug(format!("rendering {name}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text YAML rejects or reads differently goes in escaped and comes back unchanged.
    #[test]
    fn json_helper_output_parses_back_as_yaml_with_the_same_value() {
        let hostile = "a\u{fffe}b\u{ffff}c\u{85}d\u{2028}e\u{7f}f\u{9b}g\u{feff}h\x1b\u{202e}";
        let v = serde_json::json!({ "k\u{fffe}": [hostile] });
        let text = compact_json(&v).unwrap();
        assert!(!text.chars().any(yaml_unsafe), "{text}");
        let back: serde_json::Value = serde_yaml_ng::from_str(&format!("x: {text}\n")).unwrap();
        assert_eq!(back["x"], v);
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn yaml_output_of_hostile_text_parses_back() {
        let hostile = "a\u{fffe}b\u{85}c\u{2028}d\u{7f}";
        let v = serde_json::json!({ "k": [hostile] });
        let text = serde_yaml_ng::to_string(&v).unwrap();
        let back: serde_json::Value = serde_yaml_ng::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
