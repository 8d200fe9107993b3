//! The whole stack as data: parameters, conditions, resources (each with its properties as
//! [`Value`]s), outputs. The CloudFormation printer writes it as YAML, the Terraform printer
//! maps each resource to module resources; `--overrides` patches its JSON form
//! ([`Template::to_json`]), which is CloudFormation's template shape, by logical id.

use super::value::Value;
use serde_json::{Map, Value as Json};

/// The stack.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Template {
    /// One line saying what the stack is.
    pub description: String,
    /// Inputs of the stack (Terraform variables).
    pub parameters: Vec<Parameter>,
    /// Named conditions (Terraform locals).
    pub conditions: Vec<(String, Value)>,
    /// `Rules` (CloudFormation only: Terraform's variable validation covers what it can).
    pub rules: Option<Value>,
    /// The resources, in printing order.
    pub resources: Vec<Resource>,
    /// The stack's outputs.
    pub outputs: Vec<Output>,
}

/// A stack parameter.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parameter {
    /// Logical name.
    pub id: String,
    /// CloudFormation type (`String`, `Number`, `List<AWS::EC2::Subnet::Id>` …).
    pub kind: String,
    /// What to put in it.
    pub description: Option<String>,
    /// The default; none makes it required.
    pub default: Option<Value>,
    /// The values it accepts.
    pub allowed_values: Vec<Value>,
    /// A regular expression it must match.
    pub allowed_pattern: Option<String>,
    /// What the error says when the pattern does not match.
    pub constraint_description: Option<String>,
    /// Kept out of the console and API output.
    pub no_echo: bool,
    /// Any other keys, as written (`MinValue` …).
    pub extra: Vec<(String, Value)>,
}

/// A stack resource.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Resource {
    /// Logical id: what `--overrides` addresses, and the Terraform name is derived from.
    pub id: String,
    /// CloudFormation resource type.
    pub kind: String,
    /// The condition it exists under.
    pub condition: Option<String>,
    /// Kept when the stack goes or replaces it (`DeletionPolicy`/`UpdateReplacePolicy: Retain`;
    /// Terraform `prevent_destroy`).
    pub retain: bool,
    /// Resources it must come after beyond what its properties reference.
    pub depends_on: Vec<String>,
    /// Why it is there, for the reader (a comment above it in both outputs).
    pub comment: Option<String>,
    /// The properties (a [`Value::Map`]).
    pub properties: Value,
    /// Other resource attributes as written (`Metadata`, `CreationPolicy`, `UpdatePolicy` …).
    pub attributes: Vec<(String, Value)>,
}

/// A stack output.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Output {
    /// Logical name.
    pub id: String,
    /// What it is.
    pub description: Option<String>,
    /// The value.
    pub value: Value,
    /// The condition it exists under.
    pub condition: Option<String>,
    /// Export name, if exported.
    pub export: Option<Value>,
}

impl Template {
    /// The resource with this logical id.
    pub fn resource(&self, id: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.id == id)
    }

    /// The parameter with this name.
    pub fn parameter(&self, id: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.id == id)
    }

    /// CloudFormation's template shape as JSON (long-form functions).
    pub fn to_json(&self) -> Json {
        let mut top = Map::new();
        top.insert("AWSTemplateFormatVersion".into(), "2010-09-09".into());
        top.insert("Description".into(), self.description.clone().into());
        if !self.parameters.is_empty() {
            let p = self.parameters.iter().map(|p| (p.id.clone(), p.to_json()));
            top.insert("Parameters".into(), Json::Object(p.collect()));
        }
        if let Some(r) = &self.rules {
            top.insert("Rules".into(), r.to_json());
        }
        if !self.conditions.is_empty() {
            let c = self
                .conditions
                .iter()
                .map(|(k, v)| (k.clone(), v.to_json()));
            top.insert("Conditions".into(), Json::Object(c.collect()));
        }
        let r = self.resources.iter().map(|r| (r.id.clone(), r.to_json()));
        top.insert("Resources".into(), Json::Object(r.collect()));
        if !self.outputs.is_empty() {
            let o = self.outputs.iter().map(|o| (o.id.clone(), o.to_json()));
            top.insert("Outputs".into(), Json::Object(o.collect()));
        }
        Json::Object(top)
    }

    /// From CloudFormation's template shape (long-form functions). Comments are not part of
    /// the JSON form: `comments` gives them back by resource id.
    pub fn from_json(
        j: &Json,
        comments: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Template, String> {
        let top = j.as_object().ok_or("the template is not a map")?;
        let section = |name: &str| top.get(name).and_then(Json::as_object);
        let mut t = Template {
            description: top
                .get("Description")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_string(),
            rules: top.get("Rules").map(Value::from_json),
            ..Template::default()
        };
        for (id, p) in section("Parameters").into_iter().flatten() {
            t.parameters.push(Parameter::from_json(id, p)?);
        }
        for (id, c) in section("Conditions").into_iter().flatten() {
            t.conditions.push((id.clone(), Value::from_json(c)));
        }
        for (id, r) in section("Resources").into_iter().flatten() {
            let mut res = Resource::from_json(id, r)?;
            res.comment = comments(id);
            t.resources.push(res);
        }
        for (id, o) in section("Outputs").into_iter().flatten() {
            t.outputs.push(Output::from_json(id, o)?);
        }
        Ok(t)
    }
}

impl Parameter {
    fn to_json(&self) -> Json {
        let mut m = Map::new();
        m.insert("Type".into(), self.kind.clone().into());
        if let Some(d) = &self.description {
            m.insert("Description".into(), d.clone().into());
        }
        if !self.allowed_values.is_empty() {
            let v = self.allowed_values.iter().map(Value::to_json).collect();
            m.insert("AllowedValues".into(), Json::Array(v));
        }
        if let Some(p) = &self.allowed_pattern {
            m.insert("AllowedPattern".into(), p.clone().into());
        }
        if let Some(c) = &self.constraint_description {
            m.insert("ConstraintDescription".into(), c.clone().into());
        }
        if self.no_echo {
            m.insert("NoEcho".into(), true.into());
        }
        for (k, v) in &self.extra {
            m.insert(k.clone(), v.to_json());
        }
        if let Some(d) = &self.default {
            m.insert("Default".into(), d.to_json());
        }
        Json::Object(m)
    }

    fn from_json(id: &str, j: &Json) -> Result<Parameter, String> {
        let m = j
            .as_object()
            .ok_or(format!("parameter {id} is not a map"))?;
        let mut p = Parameter {
            id: id.to_string(),
            ..Parameter::default()
        };
        for (k, v) in m {
            match k.as_str() {
                "Type" => p.kind = v.as_str().unwrap_or_default().to_string(),
                "Description" => p.description = v.as_str().map(str::to_string),
                "Default" => p.default = Some(Value::from_json(v)),
                "AllowedValues" => {
                    p.allowed_values = v
                        .as_array()
                        .map(|a| a.iter().map(Value::from_json).collect())
                        .unwrap_or_default()
                }
                "AllowedPattern" => p.allowed_pattern = v.as_str().map(str::to_string),
                "ConstraintDescription" => {
                    p.constraint_description = v.as_str().map(str::to_string)
                }
                "NoEcho" => p.no_echo = v.as_bool() == Some(true) || v.as_str() == Some("true"),
                _ => p.extra.push((k.clone(), Value::from_json(v))),
            }
        }
        Ok(p)
    }
}

impl Resource {
    fn to_json(&self) -> Json {
        let mut m = Map::new();
        m.insert("Type".into(), self.kind.clone().into());
        if let Some(c) = &self.condition {
            m.insert("Condition".into(), c.clone().into());
        }
        if !self.depends_on.is_empty() {
            let d = self.depends_on.iter().map(|d| Json::String(d.clone()));
            m.insert("DependsOn".into(), Json::Array(d.collect()));
        }
        if self.retain {
            m.insert("DeletionPolicy".into(), "Retain".into());
            m.insert("UpdateReplacePolicy".into(), "Retain".into());
        }
        for (k, v) in &self.attributes {
            m.insert(k.clone(), v.to_json());
        }
        if self.properties != Value::Null {
            m.insert("Properties".into(), self.properties.to_json());
        }
        Json::Object(m)
    }

    fn from_json(id: &str, j: &Json) -> Result<Resource, String> {
        let m = j.as_object().ok_or(format!("resource {id} is not a map"))?;
        let mut r = Resource {
            id: id.to_string(),
            properties: Value::Null,
            ..Resource::default()
        };
        for (k, v) in m {
            match k.as_str() {
                "Type" => r.kind = v.as_str().unwrap_or_default().to_string(),
                "Condition" => r.condition = v.as_str().map(str::to_string),
                "DependsOn" => {
                    r.depends_on = match v {
                        Json::String(s) => vec![s.clone()],
                        Json::Array(a) => a
                            .iter()
                            .filter_map(|x| x.as_str().map(str::to_string))
                            .collect(),
                        _ => Vec::new(),
                    }
                }
                "DeletionPolicy" => r.retain = v.as_str() == Some("Retain"),
                "UpdateReplacePolicy" => {}
                "Properties" => r.properties = Value::from_json(v),
                _ => r.attributes.push((k.clone(), Value::from_json(v))),
            }
        }
        if r.kind.is_empty() {
            return Err(format!("resource {id} has no Type"));
        }
        Ok(r)
    }
}

impl Output {
    fn to_json(&self) -> Json {
        let mut m = Map::new();
        if let Some(d) = &self.description {
            m.insert("Description".into(), d.clone().into());
        }
        if let Some(c) = &self.condition {
            m.insert("Condition".into(), c.clone().into());
        }
        m.insert("Value".into(), self.value.to_json());
        if let Some(e) = &self.export {
            let mut x = Map::new();
            x.insert("Name".into(), e.to_json());
            m.insert("Export".into(), Json::Object(x));
        }
        Json::Object(m)
    }

    fn from_json(id: &str, j: &Json) -> Result<Output, String> {
        let m = j.as_object().ok_or(format!("output {id} is not a map"))?;
        Ok(Output {
            id: id.to_string(),
            description: m
                .get("Description")
                .and_then(Json::as_str)
                .map(str::to_string),
            value: m.get("Value").map(Value::from_json).unwrap_or(Value::Null),
            condition: m
                .get("Condition")
                .and_then(Json::as_str)
                .map(str::to_string),
            export: m
                .get("Export")
                .and_then(|e| e.get("Name"))
                .map(Value::from_json),
        })
    }
}

/// A CloudFormation YAML template (short-form tags allowed) as long-form JSON.
pub fn yaml_to_json(text: &str) -> Result<Json, String> {
    let y: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(|e| e.to_string())?;
    Ok(yaml_value(y))
}

fn yaml_value(y: serde_yaml_ng::Value) -> Json {
    use serde_yaml_ng::Value as Y;
    match y {
        Y::Null => Json::Null,
        Y::Bool(b) => Json::Bool(b),
        Y::Number(n) => serde_json::to_value(n).unwrap_or(Json::Null),
        Y::String(s) => Json::String(s),
        Y::Sequence(s) => Json::Array(s.into_iter().map(yaml_value).collect()),
        Y::Mapping(m) => Json::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s,
                        other => serde_yaml_ng::to_string(&other)
                            .unwrap_or_default()
                            .trim()
                            .to_string(),
                    };
                    (key, yaml_value(v))
                })
                .collect(),
        ),
        Y::Tagged(t) => {
            let tag = t.tag.to_string();
            let tag = tag.trim_start_matches('!');
            let arg = yaml_value(t.value);
            let (name, arg) = match tag {
                "Ref" | "Condition" => (tag.to_string(), arg),
                "GetAtt" => match arg {
                    Json::String(s) => match s.split_once('.') {
                        Some((a, b)) => ("Fn::GetAtt".into(), serde_json::json!([a, b])),
                        None => ("Fn::GetAtt".into(), Json::String(s)),
                    },
                    other => ("Fn::GetAtt".into(), other),
                },
                other => (format!("Fn::{other}"), arg),
            };
            let mut m = Map::new();
            m.insert(name, arg);
            Json::Object(m)
        }
    }
}

/// The comment lines directly above each resource of a template the YAML printer (or a
/// hand-written template) wrote: `  # …` lines before `  Id:` inside `Resources:`.
pub fn resource_comments(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut in_resources = false;
    let mut pending: Vec<&str> = Vec::new();
    for line in text.lines() {
        if !line.starts_with(' ') && !line.is_empty() {
            in_resources = line.starts_with("Resources:");
            pending.clear();
            continue;
        }
        if !in_resources {
            continue;
        }
        if let Some(c) = line.strip_prefix("  # ") {
            pending.push(c);
        } else if line.starts_with("  ") && !line.starts_with("   ") && line.ends_with(':') {
            let id = line.trim().trim_end_matches(':').to_string();
            if !pending.is_empty() {
                out.push((id, pending.join("\n")));
            }
            pending.clear();
        } else {
            pending.clear();
        }
    }
    out
}

/// A CloudFormation YAML template as the model (its resources' comments kept).
pub fn from_yaml(text: &str) -> Result<Template, String> {
    let j = yaml_to_json(text)?;
    let comments = resource_comments(text);
    Template::from_json(&j, &|id| {
        comments
            .iter()
            .find(|(k, _)| k == id)
            .map(|(_, c)| c.clone())
    })
}
