//! The handlebars registry of the prose templates (`CHECKLIST.md`, the ECR stack
//! `delivery.yaml`): compiled into the binary (or a team's replacements from `--templates
//! DIR`), strict mode, and a `json` helper that serialises any value (JSON is valid YAML), so
//! nothing is quoted by hand. The service's stack is no template: `crate::infra::stack` builds
//! it as data and `--overrides` customises it. Each template is parsed once, lazily, when a
//! render first needs it. An error in a bundled template is a bug in eb2ecs and reported as
//! one; an error in a team's template names its file, line and column.

use crate::error::{Error, Result};
use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason,
};
use serde::Serialize;
use std::borrow::Cow;
use std::sync::{Mutex, OnceLock};

/// A template compiled into the binary.
#[derive(Debug, Clone, Copy)]
pub struct Bundled {
    /// The name renderers ask for (and partials include: `{{> name}}`).
    pub name: &'static str,
    /// Its file name in `templates/`, in `--templates DIR` and in `templates export DIR`.
    pub file: &'static str,
    /// Its text.
    pub text: &'static str,
}

/// A bundled template: its name and its file in `templates/`.
macro_rules! bundled {
    ($name:literal, $file:literal) => {
        Bundled {
            name: $name,
            file: $file,
            text: include_str!(concat!("../../templates/", $file)),
        }
    };
}

/// Every bundled template.
pub const BUNDLED: &[Bundled] = &[
    bundled!("CHECKLIST.md", "CHECKLIST.md.hbs"),
    bundled!("delivery.yaml", "delivery.yaml.hbs"),
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

/// A template a team supplied in place of a bundled one (`--templates DIR`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// Which bundled template it replaces (its `name`).
    pub name: &'static str,
    /// The file it came from, as the user named it (errors point here).
    pub display: String,
    /// Its text.
    pub text: String,
}

/// The templates of one run: the bundled ones, some replaced by a team's. Each template is
/// parsed once, the first time a render needs it (with the partials it includes), so a run
/// parses only what it renders.
pub struct Templates {
    overrides: Vec<Override>,
    registry: Mutex<Handlebars<'static>>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("overrides", &self.overrides)
            .finish_non_exhaustive()
    }
}

impl Templates {
    /// The bundled templates only, shared by every render that has no overrides.
    pub fn bundled() -> &'static Templates {
        static BUNDLED_ONLY: OnceLock<Templates> = OnceLock::new();
        BUNDLED_ONLY.get_or_init(|| Templates::with_overrides(Vec::new()))
    }

    /// The bundled templates with `overrides` in place of theirs. Overrides should have been
    /// checked with [`check_override`] (a syntax error is reported when first used otherwise).
    pub fn with_overrides(overrides: Vec<Override>) -> Templates {
        let mut h = Handlebars::new();
        h.set_strict_mode(true);
        h.register_escape_fn(handlebars::no_escape);
        h.register_helper("json", Box::new(json_helper));
        h.register_helper("concat", Box::new(concat));
        h.register_helper("yaml", Box::new(yaml_helper));
        h.register_helper("str", Box::new(str_helper));
        Templates {
            overrides,
            registry: Mutex::new(h),
        }
    }

    /// The file a template comes from when a team supplied it.
    pub fn override_of(&self, name: &str) -> Option<&Override> {
        self.overrides.iter().find(|o| o.name == name)
    }

    /// Render a named template with a typed context. Only the partials this context renders
    /// are parsed (see [`split_guard`]).
    pub fn render<T: Serialize>(&self, name: &str, ctx: &T) -> Result<String> {
        let value = serde_json::to_value(ctx)
            .map_err(|e| Error::Bug(format!("the context of {name} does not serialise: {e}")))?;
        let mut reg = self.lock()?;
        self.ensure(&mut reg, name, Some(&value))?;
        reg.render(name, &value)
            .map_err(|e| self.render_error(name, &e))
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Handlebars<'static>>> {
        self.registry
            .lock()
            .map_err(|_| Error::Bug("the template registry was poisoned".to_string()))
    }

    /// Parse `names` and every partial they include now, split over two threads. A run calls
    /// this on a thread of its own while it loads and converts, so the parse (the largest cost
    /// of a conversion) overlaps that work; rendering parses whatever is still missing (a
    /// guarded partial's body, when its context turns out to need it).
    pub fn prepare(&self, names: &[&str]) -> Result<()> {
        let wanted = self.missing(names)?;
        let total: usize = wanted.iter().map(|(_, t)| t.len()).sum();
        let mut first = Vec::new();
        let mut second = Vec::new();
        let mut size = 0;
        for (name, text) in wanted {
            size += text.len();
            if size * 2 <= total {
                first.push((name, text));
            } else {
                second.push((name, text));
            }
        }
        let compile = |part: Vec<(String, Cow<'_, str>)>| -> Vec<(String, TemplateResult)> {
            part.into_iter()
                .map(|(n, t)| {
                    let tpl = handlebars::Template::compile_with_name(&t, n.clone());
                    (n, tpl)
                })
                .collect()
        };
        let (a, b) = std::thread::scope(|s| {
            let other = s.spawn(|| compile(second));
            (compile(first), other.join())
        });
        let b = b.map_err(|_| Error::Bug("a template parse thread panicked".to_string()))?;
        let mut reg = self.lock()?;
        for (name, tpl) in a.into_iter().chain(b) {
            let tpl = tpl.map_err(|e| self.template_error(&name, &e))?;
            reg.register_template(&name, tpl);
        }
        Ok(())
    }

    /// `names` and the partials they include (transitively) that are not parsed yet, with the
    /// text to parse; guarded bodies are left for the render that needs them.
    fn missing(&self, names: &[&str]) -> Result<Vec<(String, Cow<'_, str>)>> {
        let reg = self.lock()?;
        let mut todo: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut out: Vec<(String, Cow<'_, str>)> = Vec::new();
        while let Some(name) = todo.pop() {
            if reg.has_template(&name) || out.iter().any(|(n, _)| *n == name) {
                continue;
            }
            let unit = self.unit(&name)?;
            todo.extend(
                unit.includes
                    .into_iter()
                    .filter(|(_, g)| g.is_none())
                    .map(|(p, _)| p),
            );
            out.push((name, unit.text));
        }
        Ok(out)
    }

    /// Parse `name` and every partial it includes that `ctx` renders (all of them without a
    /// context), unless already parsed.
    fn ensure(
        &self,
        reg: &mut Handlebars<'static>,
        name: &str,
        ctx: Option<&serde_json::Value>,
    ) -> Result<()> {
        self.ensure_from(reg, name, ctx, &mut Vec::new())
    }

    /// [`Self::ensure`], walking every include once (a partial parsed ahead may still include
    /// a guarded body this context needs).
    fn ensure_from(
        &self,
        reg: &mut Handlebars<'static>,
        name: &str,
        ctx: Option<&serde_json::Value>,
        seen: &mut Vec<String>,
    ) -> Result<()> {
        if seen.iter().any(|s| s == name) {
            return Ok(());
        }
        seen.push(name.to_string());
        let unit = self.unit(name)?;
        if !reg.has_template(name) {
            let tpl = handlebars::Template::compile_with_name(&unit.text, name.to_string())
                .map_err(|e| self.template_error(name, &e))?;
            reg.register_template(name, tpl);
        }
        for (partial, guard) in unit.includes {
            let needed = match (&guard, ctx) {
                (Some(g), Some(v)) => !g.skips(v),
                _ => true,
            };
            if needed {
                self.ensure_from(reg, &partial, ctx, seen)?;
            }
        }
        Ok(())
    }

    /// What the registry holds under `name`: a template's text, or for a template that is one
    /// guarded block a small stub that includes its body (`NAME--body`) only when the guard
    /// holds, so a body nobody renders is never parsed.
    fn unit(&self, name: &str) -> Result<Unit<'_>> {
        if let Some(parent) = name.strip_suffix(BODY) {
            let (_, body) = split_guard(self.text_of(parent)?)
                .ok_or_else(|| Error::Bug(format!("{parent} is not one guarded block")))?;
            return Ok(Unit {
                text: Cow::Borrowed(body),
                includes: partials(body).into_iter().map(|p| (p, None)).collect(),
            });
        }
        let text = self.text_of(name)?;
        Ok(match split_guard(text) {
            Some((guard, _)) => {
                let block = if guard.unless { "unless" } else { "if" };
                Unit {
                    text: Cow::Owned(format!(
                        "{{{{#{block} {}}}}}\n{{{{> {name}{BODY}}}}}\n{{{{/{block}}}}}{}",
                        guard.path,
                        if text.ends_with('\n') { "\n" } else { "" }
                    )),
                    includes: vec![(format!("{name}{BODY}"), Some(guard))],
                }
            }
            None => Unit {
                text: Cow::Borrowed(text),
                includes: partials(text).into_iter().map(|p| (p, None)).collect(),
            },
        })
    }

    fn text_of(&self, name: &str) -> Result<&str> {
        if let Some(o) = self.override_of(name) {
            return Ok(&o.text);
        }
        match BUNDLED.iter().find(|b| b.name == name) {
            Some(b) => Ok(b.text),
            None if self.overrides.is_empty() => {
                Err(Error::Bug(format!("no bundled template {name}")))
            }
            None => Err(Error::Usage(format!(
                "a template includes the partial {name}, which is not a bundled template (known: {})",
                known_files()
            ))),
        }
    }

    /// A parse error: a bug in a bundled template, or the team's file, line and column.
    fn template_error(&self, name: &str, e: &handlebars::TemplateError) -> Error {
        let (file, offset) = origin(name);
        match self.override_of(file) {
            Some(o) => {
                let (line, column) = e.pos().unwrap_or((1, 1));
                Error::Input {
                    file: o.display.clone(),
                    line: line + offset,
                    column,
                    message: format!("template error: {}", e.reason()),
                }
            }
            None => Error::Bug(format!("template {name}: {e}")),
        }
    }

    /// A render error: strict mode names the missing field and where the template used it.
    fn render_error(&self, name: &str, e: &handlebars::RenderError) -> Error {
        let at = e.template_name.clone().unwrap_or_else(|| name.to_string());
        let (file, offset) = origin(&at);
        match self.override_of(file) {
            Some(o) => Error::Input {
                file: o.display.clone(),
                line: e.line_no.unwrap_or(1) + offset,
                column: e.column_no.unwrap_or(1),
                message: match e.reason() {
                    RenderErrorReason::MissingVariable(Some(v)) => format!(
                        "template error: `{v}` is not in the context (strict mode: every value a template uses must exist; start from `eb2ecs templates export`)"
                    ),
                    other => format!("template error: {other}"),
                },
            },
            None => Error::Bug(format!("rendering {name}: {e}")),
        }
    }

    /// The error for generated text that does not parse back: the team's template, or a bug.
    pub fn output_error(&self, name: &str, what: &str) -> Error {
        match self.override_of(name) {
            Some(o) => Error::Usage(format!(
                "{}: the template's output {what} (checked before anything is written)",
                o.display
            )),
            None => Error::Bug(format!("{name} {what}")),
        }
    }
}

/// The suffix of a guarded template's body in the registry (see [`split_guard`]).
const BODY: &str = "--body";

/// What the registry holds under one name, and the partials it includes: each with the guard
/// (a context path) that must hold for it to render, when it is a guarded body.
struct Unit<'a> {
    text: Cow<'a, str>,
    includes: Vec<(String, Option<Guard>)>,
}

/// The template a registry name's text comes from, and how many lines precede that text in it
/// (a guarded body starts after its `{{#if}}` line).
fn origin(name: &str) -> (&str, usize) {
    match name.strip_suffix(BODY) {
        Some(parent) => (parent, 1),
        None => (name, 0),
    }
}

/// A guard: the context path a block tests, and whether it is `{{#unless}}` (renders only
/// when the path does not hold).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Guard {
    path: String,
    unless: bool,
}

impl Guard {
    /// Whether the block certainly renders nothing for this context (else it is parsed).
    fn skips(&self, ctx: &serde_json::Value) -> bool {
        let mut v = ctx;
        for key in self.path.split('.') {
            match v.get(key) {
                Some(next) => v = next,
                None => return false,
            }
        }
        if self.unless {
            v == &serde_json::Value::Bool(true)
        } else {
            matches!(v, serde_json::Value::Null | serde_json::Value::Bool(false))
        }
    }
}

/// A template that is one block `{{#if PATH}}` (or `{{#unless PATH}}`) ... `{{/if}}` (its
/// first and last lines, with no `{{else}}` of its own): the guard and the body between. Such
/// a template renders nothing unless the guard holds, so its body is parsed only for a context
/// where it does: the worker, one-off, delivery and EC2 parts of the stack are skipped by the
/// conversions that have none.
fn split_guard(text: &str) -> Option<(Guard, &str)> {
    let (first, rest) = text.split_once('\n')?;
    let (unless, path) = match first.strip_prefix("{{#if ") {
        Some(p) => (false, p),
        None => (true, first.strip_prefix("{{#unless ")?),
    };
    let path = path.strip_suffix("}}")?.trim();
    let simple = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    if path.is_empty() || !path.chars().all(simple) {
        return None;
    }
    let close = if unless { "{{/unless}}" } else { "{{/if}}" };
    let body = rest
        .strip_suffix('\n')
        .unwrap_or(rest)
        .strip_suffix(close)?;
    if !(body.is_empty() || body.ends_with('\n')) || !balanced(body) {
        return None;
    }
    let guard = Guard {
        path: path.to_string(),
        unless,
    };
    Some((guard, body))
}

/// Whether a block body opens and closes its own blocks and has no `{{else}}` of the block
/// around it.
fn balanced(body: &str) -> bool {
    let mut depth = 0i32;
    let mut tail = body;
    while let Some(i) = tail.find("{{") {
        tail = tail[i + 2..].trim_start_matches('~');
        if tail.starts_with('#') || tail.starts_with('^') {
            depth += 1;
        } else if tail.starts_with('/') {
            depth -= 1;
            if depth < 0 {
                return false;
            }
        } else if tail.starts_with("else") && depth == 0 {
            return false;
        }
    }
    depth == 0
}

/// A parsed template, or why it does not parse.
type TemplateResult = std::result::Result<handlebars::Template, handlebars::TemplateError>;

/// The bundled template files, for messages.
pub fn known_files() -> String {
    BUNDLED
        .iter()
        .map(|b| b.file)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a file name is one of the stack's templates of earlier versions (the stack is built
/// as data now: customising it is `--overrides`).
fn retired_stack_template(file_name: &str) -> bool {
    file_name == "cloudformation.yaml.hbs"
        || (file_name.starts_with("cfn-") && file_name.ends_with(".yaml.hbs"))
}

/// Check a team's template file: its file name must be a bundled one and its text must parse.
pub fn check_override(file_name: &str, display: &str, text: String) -> Result<Override> {
    if retired_stack_template(file_name) {
        return Err(Error::Usage(format!(
            "{display}: the stack is no longer a template: customise cloudformation.yaml (and the Terraform module) with `--overrides FILE` (JSON Patch operations on the stack, by logical id); templates are for prose (the templates are: {})",
            known_files()
        )));
    }
    let bundled = BUNDLED
        .iter()
        .find(|b| b.file == file_name)
        .ok_or_else(|| {
            Error::Usage(format!(
                "{display}: not a template eb2ecs renders (the templates are: {})",
                known_files()
            ))
        })?;
    let o = Override {
        name: bundled.name,
        display: display.to_string(),
        text,
    };
    handlebars::Template::compile(&o.text).map_err(|e| parse_error(&o.display, &e))?;
    Ok(o)
}

/// A team's template that does not parse, at its line and column.
fn parse_error(display: &str, e: &handlebars::TemplateError) -> Error {
    let (line, column) = e.pos().unwrap_or((1, 1));
    Error::Input {
        file: display.to_string(),
        line,
        column,
        message: format!("template error: {}", e.reason()),
    }
}

/// The names of the partials a template includes (`{{> name}}`, `{{#> name}}`).
fn partials(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        rest = &rest[i + 2..];
        let tag = rest.trim_start_matches(['~', '#']).trim_start();
        if let Some(after) = tag.strip_prefix('>') {
            let name: String = after
                .trim_start()
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '}' && *c != '~')
                .collect();
            if !name.is_empty() && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// Render a bundled template with a typed context.
pub fn render<T: Serialize>(name: &str, ctx: &T) -> Result<String> {
    Templates::bundled().render(name, ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partials_are_found_in_every_form() {
        let text =
            "a {{> one}} b {{~> two ~}} {{#> three}}x{{/three}} {{> one}} {{name}} {{!> no}}";
        assert_eq!(partials(text), vec!["one", "two", "three"]);
        assert!(partials("{{x}} {{#each y}}{{/each}}").is_empty());
    }

    /// Only what a run renders is parsed: the checklist alone leaves the stack unparsed.
    #[test]
    fn templates_are_parsed_lazily_and_once() {
        let t = Templates::with_overrides(Vec::new());
        let ctx = serde_json::json!({"service": "s", "inputs": "i", "launch_type": "Fargate",
            "counts": {"blocker": 0, "warning": 0, "info": 0}, "phases": []});
        let text = t.render("CHECKLIST.md", &ctx).unwrap();
        assert!(text.starts_with("# Migration checklist: s"), "{text}");
        let reg = t.registry.lock().unwrap();
        assert!(reg.has_template("CHECKLIST.md"));
        assert!(!reg.has_template("delivery.yaml"));
    }

    #[test]
    fn an_override_replaces_the_bundled_template_and_its_errors_name_the_file() {
        let o = check_override(
            "CHECKLIST.md.hbs",
            "team/CHECKLIST.md.hbs",
            "Hi {{service}}\n{{> part}}".into(),
        );
        let o = o.unwrap();
        assert_eq!(o.name, "CHECKLIST.md");
        let t = Templates::with_overrides(vec![o]);
        let e = t
            .render("CHECKLIST.md", &serde_json::json!({"service": "s"}))
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("partial part, which is not a bundled template"),
            "{e}"
        );
        let o = check_override(
            "CHECKLIST.md.hbs",
            "team/c.hbs",
            "Hi {{service}}\n{{who}}".into(),
        )
        .unwrap();
        let t = Templates::with_overrides(vec![o]);
        let e = t
            .render("CHECKLIST.md", &serde_json::json!({"service": "s"}))
            .unwrap_err();
        assert_eq!(e.to_string(), "team/c.hbs:2:1: template error: `who` is not in the context (strict mode: every value a template uses must exist; start from `eb2ecs templates export`)");
        let o = check_override("CHECKLIST.md.hbs", "team/c.hbs", "Hi {{service}}".into()).unwrap();
        let t = Templates::with_overrides(vec![o]);
        assert_eq!(
            t.render("CHECKLIST.md", &serde_json::json!({"service": "s"}))
                .unwrap(),
            "Hi s"
        );
    }

    #[test]
    fn an_override_must_name_a_bundled_template_and_parse() {
        let e = check_override("stack.hbs", "t/stack.hbs", String::new()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("t/stack.hbs: not a template eb2ecs renders"),
            "{e}"
        );
        let e = check_override("CHECKLIST.md.hbs", "t/c.hbs", "ok\n {{#if x}".into()).unwrap_err();
        assert!(e.to_string().starts_with("t/c.hbs:2:"), "{e}");
        for stack in ["cloudformation.yaml.hbs", "cfn-service.yaml.hbs"] {
            let e = check_override(stack, stack, String::new()).unwrap_err();
            assert!(e.to_string().contains("--overrides"), "{e}");
        }
    }

    /// `prepare` parses a template and every partial it includes, and only those; a second
    /// call finds nothing left to parse.
    #[test]
    fn prepare_parses_a_template_with_its_partials_only() {
        let over = |file: &str, text: &str| check_override(file, file, text.into()).unwrap();
        let t = Templates::with_overrides(vec![over("CHECKLIST.md.hbs", "A {{> delivery.yaml}}")]);
        t.prepare(&["CHECKLIST.md"]).unwrap();
        {
            let reg = t.registry.lock().unwrap();
            assert!(reg.has_template("CHECKLIST.md"));
            assert!(reg.has_template("delivery.yaml"), "a partial");
        }
        assert!(t.missing(&["CHECKLIST.md"]).unwrap().is_empty());
        let t = Templates::with_overrides(vec![over("CHECKLIST.md.hbs", "{{#if a}}x{{/if}}")]);
        t.prepare(&["CHECKLIST.md"]).unwrap();
        assert!(!t.registry.lock().unwrap().has_template("delivery.yaml"));
        assert_eq!(
            t.render("CHECKLIST.md", &serde_json::json!({"a": true}))
                .unwrap(),
            "x"
        );
    }

    /// A guarded partial renders exactly as written, its body parsed only once a context
    /// needs it, whatever order contexts come in (one registry serves a whole fleet).
    #[test]
    fn guarded_bodies_are_parsed_when_a_context_needs_them() {
        let over = |file: &str, text: &str| check_override(file, file, text.into()).unwrap();
        let t = Templates::with_overrides(vec![
            over("CHECKLIST.md.hbs", "A\n{{> delivery.yaml}}\nB\n"),
            over(
                "delivery.yaml.hbs",
                "{{#if worker}}\nW {{worker.q}}\n{{/if}}\n",
            ),
        ]);
        t.prepare(&["CHECKLIST.md"]).unwrap();
        let body = format!("delivery.yaml{BODY}");
        assert!(!t.registry.lock().unwrap().has_template(&body));
        let none = serde_json::json!({"worker": null});
        let some = serde_json::json!({"worker": {"q": "queue"}});
        assert_eq!(t.render("CHECKLIST.md", &none).unwrap(), "A\nB\n");
        assert!(!t.registry.lock().unwrap().has_template(&body));
        assert_eq!(t.render("CHECKLIST.md", &some).unwrap(), "A\nW queue\nB\n");
        assert_eq!(t.render("CHECKLIST.md", &none).unwrap(), "A\nB\n");
    }

    #[test]
    fn only_one_whole_guarded_block_is_split() {
        let g = |path: &str, unless| Guard {
            path: path.to_string(),
            unless,
        };
        assert_eq!(
            split_guard("{{#if a}}\nx\n{{/if}}\n"),
            Some((g("a", false), "x\n"))
        );
        assert_eq!(
            split_guard("{{#if a.b}}\n{{#if c}}y{{/if}}\n{{/if}}"),
            Some((g("a.b", false), "{{#if c}}y{{/if}}\n"))
        );
        assert_eq!(
            split_guard("{{#unless f}}\nx\n{{/unless}}\n"),
            Some((g("f", true), "x\n"))
        );
        assert_eq!(split_guard("{{#unless f}}\nx\n{{/if}}\n"), None);
        assert!(g("f", true).skips(&serde_json::json!({"f": true})));
        assert!(!g("f", true).skips(&serde_json::json!({"f": false})));
        assert!(g("a", false).skips(&serde_json::json!({"a": null})));
        assert!(!g("a", false).skips(&serde_json::json!({"b": null})));
        assert_eq!(split_guard("{{#if a}}\nx\n{{else}}\ny\n{{/if}}\n"), None);
        assert_eq!(
            split_guard("{{#if a}}\nx\n{{/if}}\n{{#if b}}\ny\n{{/if}}\n"),
            None
        );
        assert_eq!(split_guard("{{#if (eq a 1)}}\nx\n{{/if}}\n"), None);
        assert_eq!(split_guard("x\n{{#if a}}\ny\n{{/if}}\n"), None);
    }

    /// A team's guarded template still reports errors at its own lines.
    #[test]
    fn errors_in_a_guarded_body_name_the_line_in_the_file() {
        let o = check_override(
            "CHECKLIST.md.hbs",
            "team/c.hbs",
            "{{#if a}}\nok\n{{b}}\n{{/if}}\n".into(),
        );
        let t = Templates::with_overrides(vec![o.unwrap()]);
        let e = t
            .render("CHECKLIST.md", &serde_json::json!({"a": true}))
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("team/c.hbs:3:1: template error: `b`"),
            "{e}"
        );
    }

    /// Every bundled template parses, and every partial it includes is bundled.
    #[test]
    fn every_bundled_template_parses_with_its_partials() {
        let t = Templates::with_overrides(Vec::new());
        let mut reg = t.registry.lock().unwrap();
        for (i, b) in BUNDLED.iter().enumerate() {
            t.ensure(&mut reg, b.name, None).unwrap();
            assert!(b.file.ends_with(".hbs"), "{}", b.file);
            assert!(BUNDLED[..i]
                .iter()
                .all(|o| o.file != b.file && o.name != b.name));
        }
    }

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
