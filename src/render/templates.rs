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
        "CHECKLIST.md",
        include_str!("../../templates/CHECKLIST.md.hbs"),
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

/// A value as one line of JSON (valid YAML flow style too). JSON leaves DEL, the C1 controls,
/// U+2028/U+2029 and U+FFFE/U+FFFF raw in strings, which YAML refuses or reads as line breaks:
/// they are written as `\uXXXX` escapes, which both read back as the same character.
fn compact_json(v: &serde_json::Value) -> Result<String, RenderErrorReason> {
    let text = serde_json::to_string(v).map_err(|e| RenderErrorReason::Other(e.to_string()))?;
    let yaml_unsafe = |c: char| {
        matches!(
            c,
            '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}'
        )
    };
    if !text.contains(yaml_unsafe) {
        return Ok(text);
    }
    Ok(text
        .chars()
        .map(|c| match yaml_unsafe(c) {
            true => format!("\\u{:04x}", c as u32),
            false => c.to_string(),
        })
        .collect())
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
    use super::compact_json;

    /// Found by fuzzing (a container name with a DEL character broke cloudformation.yaml).
    #[test]
    fn json_of_controls_reads_back_as_json_and_yaml() {
        let s = "a\u{7f}b\u{85}c\u{9f}d\u{2028}e\u{ffff}f\u{e9}";
        let text = compact_json(&serde_json::json!(s)).unwrap();
        assert_eq!(text, r#""a\u007fb\u0085c\u009fd\u2028e\ufffffé""#);
        assert_eq!(serde_json::from_str::<String>(&text).unwrap(), s);
        assert_eq!(serde_yaml_ng::from_str::<String>(&text).unwrap(), s);
    }
}
