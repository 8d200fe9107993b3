//! `eb2ecs plan` (beside [`crate::output`], whose view of the disk it shows): diffs of every artefact against the output folder, a diff per container of
//! how the EB container became the ECS container, and the findings.

use crate::diff;
use crate::model::MigrationModel;
use crate::output::Planned;
use crate::render::findings::text as findings_text;
use crate::render::Artefact;
use serde_json::Value;
use std::path::Path;

const MASK: &str = "<secret: moved to secrets>";

fn colorize(diff_text: &str, color: bool) -> String {
    // Diff bodies hold the artefacts' and the Dockerrun's text: sanitised before any colour.
    let diff_text = crate::text::terminal(diff_text);
    if !color {
        return diff_text.into_owned();
    }
    diff_text
        .lines()
        .map(|l| {
            let code = if l.starts_with("+++") || l.starts_with("---") {
                "1"
            } else if l.starts_with('+') {
                "32"
            } else if l.starts_with('-') {
                "31"
            } else if l.starts_with("@@") {
                "36"
            } else {
                return format!("{l}\n");
            };
            format!("\x1b[{code}m{l}\x1b[0m\n")
        })
        .collect()
}

fn heading(text: &str, color: bool) -> String {
    let text = crate::text::terminal(text);
    if color {
        format!("\x1b[1m== {text}\x1b[0m\n")
    } else {
        format!("== {text}\n")
    }
}

/// Replace the values of secret environment variables in a container as EB had it.
pub fn mask_secrets(original: &Value, secret_names: &[&str]) -> Value {
    let mut v = original.clone();
    if let Some(env) = v.get_mut("environment") {
        match env {
            Value::Array(items) => {
                for item in items {
                    match item {
                        Value::Object(o) => {
                            let is_secret = o
                                .get("name")
                                .and_then(Value::as_str)
                                .is_some_and(|n| secret_names.contains(&n));
                            if is_secret && o.contains_key("value") {
                                o.insert("value".into(), Value::String(MASK.into()));
                            }
                        }
                        Value::String(s) => {
                            if let Some((n, _)) = s.split_once('=') {
                                if secret_names.contains(&n) {
                                    *s = format!("{n}={MASK}");
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            Value::Object(map) => {
                for (k, val) in map.iter_mut() {
                    if secret_names.contains(&k.as_str()) {
                        *val = Value::String(MASK.into());
                    }
                }
            }
            _ => {}
        }
    }
    mask_build_args(&mut v);
    mask_log_options(&mut v);
    v
}

/// Mask the secret-looking log driver options (`splunk-token`, a FireLens `apikey`) of a
/// compose `logging` or a Dockerrun `logConfiguration`: never printed, in the plan either.
fn mask_log_options(v: &mut Value) {
    for key in ["logging", "logConfiguration"] {
        let Some(Value::Object(options)) = v.get_mut(key).and_then(|l| l.get_mut("options")) else {
            continue;
        };
        for (k, val) in options.iter_mut() {
            if val
                .as_str()
                .is_some_and(|s| crate::detect::secret_reason(k, s).is_some())
            {
                *val = Value::String(MASK.into());
            }
        }
    }
}

/// Mask the secret-looking values of a compose `build.args` (a mapping or `NAME=value`
/// list): they are never printed, in the plan either.
fn mask_build_args(v: &mut Value) {
    let Some(args) = v.get_mut("build").and_then(|b| b.get_mut("args")) else {
        return;
    };
    let secret = |n: &str, val: &str| crate::detect::secret_reason(n, val).is_some();
    match args {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if val.as_str().is_some_and(|s| secret(k, s)) {
                    *val = Value::String(MASK.into());
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                if let Some((n, val)) = item.as_str().and_then(|s| s.split_once('=')) {
                    if secret(n, val) {
                        *item = Value::String(format!("{n}={MASK}"));
                    }
                }
            }
        }
        _ => {}
    }
}

/// The value with every object's keys in alphabetical order, so a diff shows changes, not
/// reordering.
pub fn normalised(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), normalised(&m[k])))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(normalised).collect()),
        other => other.clone(),
    }
}

fn pretty(v: &impl serde::Serialize) -> String {
    let value = serde_json::to_value(v).unwrap_or(Value::Null);
    serde_json::to_string_pretty(&normalised(&value)).unwrap_or_default() + "\n"
}

/// The files section: each artefact unchanged, or its diff against the disk (a symbolic link
/// is named, never read).
fn files(artefacts: &[Artefact], planned: &[Planned], out_dir: &Path, color: bool) -> String {
    let mut s = heading(&format!("Files (against {})", out_dir.display()), color);
    for (a, p) in artefacts.iter().zip(planned) {
        if let Some(target) = &p.link {
            // Someone else's file: neither read nor shown.
            s.push_str(&crate::text::terminal(&format!(
                "{}: a symbolic link (to {}); not shown, convert refuses it (--force replaces the link, not its target)\n",
                a.name,
                target.display()
            )));
            continue;
        }
        match &p.on_disk {
            Some(d) if d == p.content(a) => s.push_str(&format!("{}: unchanged\n", a.name)),
            other => {
                let old = other.as_deref().unwrap_or("");
                let old_name = if other.is_some() {
                    format!(
                        "{} (on disk{})",
                        a.name,
                        if p.edited { ", edited by hand" } else { "" }
                    )
                } else {
                    format!("{} (not there yet)", a.name)
                };
                let d = diff::unified(
                    old,
                    p.content(a),
                    &old_name,
                    &format!("{} (eb2ecs)", a.name),
                );
                s.push_str(&colorize(&d, color));
            }
        }
    }
    s
}

/// The whole plan text.
pub fn render(
    model: &MigrationModel,
    artefacts: &[Artefact],
    planned: &[Planned],
    out_dir: &Path,
    color: bool,
) -> String {
    let mut s = files(artefacts, planned, out_dir, color);
    let hidden = kept_secrets(model);
    s.push('\n');
    s.push_str(&heading(
        "Containers: as the Dockerrun had them -> as ECS gets them",
        color,
    ));
    let secret_names: Vec<&str> = model.secrets.iter().map(|x| x.env_name.as_str()).collect();
    for (origin, def) in model
        .origins
        .iter()
        .zip(&model.task_definition.container_definitions)
    {
        let before = pretty(&mask_secrets(&origin.original, &secret_names));
        let after = pretty(def);
        let d = diff::unified(
            &before,
            &after,
            &format!("{} (Dockerrun)", origin.name),
            &format!("{} (task definition)", def.name),
        );
        s.push_str(&colorize(&d, color));
    }
    s.push('\n');
    s.push_str(&findings_text(&model.findings, color));
    redact(s, &hidden)
}

/// The secret values the artefacts keep where eb2ecs cannot move them (a Dockerrun's
/// `command`, `entryPoint`, labels; a health check in exec form), which the plan never shows.
fn kept_secrets(model: &MigrationModel) -> Vec<String> {
    let mut out = Vec::new();
    for def in &model.task_definition.container_definitions {
        for args in [&def.command, &def.entry_point].into_iter().flatten() {
            out.extend(crate::detect::secret_parts(args));
        }
        if let Some(h) = &def.health_check {
            out.extend(crate::detect::secret_parts(&h.command));
        }
        for (k, v) in &def.docker_labels {
            let pair = [format!("--{k}"), v.clone()];
            out.extend(crate::detect::secret_parts(&pair));
        }
    }
    for o in &model.origins {
        collect_strings(&o.original, &mut out);
    }
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out.dedup();
    out
}

/// The secret parts of every string array and string of a container as EB had it.
fn collect_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Array(items) => {
            let strings: Vec<String> = items
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect();
            out.extend(crate::detect::secret_parts(&strings));
            items.iter().for_each(|x| collect_strings(x, out));
        }
        Value::Object(m) => {
            for (k, x) in m {
                if let Some(s) = x.as_str() {
                    out.extend(crate::detect::secret_parts(&[
                        format!("--{k}"),
                        s.to_string(),
                    ]));
                }
                collect_strings(x, out);
            }
        }
        _ => {}
    }
}

/// `text` with every value of `hidden` (as written and as JSON writes it) masked.
fn redact(text: String, hidden: &[String]) -> String {
    let mut text = text;
    for h in hidden {
        let json = serde_json::to_string(h).unwrap_or_default();
        let escaped = &json[1..json.len().saturating_sub(1).max(1)];
        for form in [h.as_str(), escaped] {
            if !form.is_empty() && text.contains(form) {
                text = text.replace(form, "****");
            }
        }
    }
    text
}
