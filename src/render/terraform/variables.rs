//! The module's interface, from the stack: `variables.tf` (every stack parameter as a typed
//! variable — two-valued ones as `bool`, lists as `list(string)` — with the stack's defaults
//! and a `validation` block where the value has a grammar, plus the module's own `name` and
//! `region`), the stack's conditions as `locals`, its outputs, and `terraform.tfvars.example`.

use super::hcl::{self, raw, s, Body, Expr};
use super::model::{snake_words, var_name, Module};
use crate::infra::template::Parameter;
use crate::infra::value::Value;
use crate::model::{DatabaseParam, MigrationModel};

/// One variable: name, type, description, default, validations (condition, message).
struct Var {
    name: String,
    kind: &'static str,
    description: String,
    default: Option<Expr>,
    validations: Vec<(String, String)>,
}

fn var(name: &str, kind: &'static str, description: &str, default: Option<Expr>) -> Var {
    Var {
        name: name.to_string(),
        kind,
        description: description.to_string(),
        default,
        validations: Vec::new(),
    }
}

impl Var {
    fn check(mut self, condition: &str, message: &str) -> Var {
        self.validations
            .push((condition.to_string(), message.to_string()));
        self
    }

    fn block(&self) -> (String, Body) {
        let mut b = Body::new()
            .attr("description", s(&self.description))
            .attr("type", raw(self.kind))
            .attr_opt("default", self.default.clone());
        for (condition, message) in &self.validations {
            b = b.blank().block(
                "validation",
                Body::new()
                    .attr("condition", raw(condition))
                    .attr("error_message", s(message)),
            );
        }
        (format!("variable \"{}\"", self.name), b)
    }
}

/// Stack prose as the module's: parameter ids become variable names, the stack the module.
pub(super) fn prose(m: &Module, text: &str) -> String {
    // Compound ids only: `Subnets` is also an English word (and EB's option name).
    let mut ids: Vec<&str> = (m.t.parameters.iter().map(|p| p.id.as_str()))
        .filter(|id| id.chars().filter(char::is_ascii_uppercase).count() > 1)
        .collect();
    // Longest first, so `ExistingClusterName` is not read as a part of a longer id.
    ids.sort_by_key(|id| std::cmp::Reverse(id.len()));
    let mut out = text.to_string();
    for id in ids {
        let name = var_name(id);
        out = replace_word(&out, id, &name);
        out = out.replace(&format!("{name}="), &format!("{name} = "));
    }
    out.replace("The stack ", "The module ")
        .replace("the stack ", "the module ")
}

/// `text` with every whole-word `word` replaced.
fn replace_word(text: &str, word: &str, with: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(word) {
        let before = rest[..i].chars().last();
        let after = rest[i + word.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        out.push_str(&rest[..i]);
        // An EB option name after its namespace (`aws:autoscaling:launchconfiguration InstanceType`).
        let option = out.rsplit(' ').nth(1).is_some_and(|w| w.contains(':')) && out.ends_with(' ');
        let keep = ident(before) || ident(after) || option;
        out.push_str(if keep { word } else { with });
        rest = &rest[i + word.len()..];
    }
    out.push_str(rest);
    out
}

const SUBNET: &str =
    "alltrue([for s in VAR : can(regex(\"^subnet-([0-9a-f]{8}|[0-9a-f]{17})$\", s))])";
const SG_PATTERN: &str = "^(sg-([0-9a-f]{8}|[0-9a-f]{17}))?$";

/// Grammar checks Terraform can make and the stack's parameter types cannot express.
const TERRAFORM_CHECKS: &[(&str, &str, &str)] = &[
    (
        "InstanceType",
        "can(regex(\"^[a-z0-9-]+\\\\.[a-z0-9]+$\", var.instance_type))",
        "instance_type must be an EC2 instance type (t3.small).",
    ),
    (
        "CertificateArn",
        "can(regex(\"^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$\", var.certificate_arn))",
        "certificate_arn must be an ACM certificate ARN.",
    ),
];

/// The variable of a stack parameter.
fn parameter(db: &[DatabaseParam], m: &Module, p: &Parameter) -> Var {
    let name = var_name(&p.id);
    let yes = m.bool_param(&p.id);
    let kind = match p.kind.as_str() {
        _ if yes.is_some() => "bool",
        k if k.starts_with("List<") || k == "CommaDelimitedList" => "list(string)",
        "Number" => "number",
        _ => "string",
    };
    let mut description = prose(m, p.description.as_deref().unwrap_or(""));
    if yes == Some("ENABLED") {
        description = description.replacen("ENABLED", "true", 1);
    }
    if p.kind.starts_with("AWS::SSM::Parameter::Value<") {
        description = format!("SSM parameter that holds the {description}");
    }
    let default = p.default.as_ref().map(|d| {
        let text = match d {
            Value::Str(t) => t.clone(),
            other => hcl::inline(&m.expr(other)),
        };
        match kind {
            "bool" => raw((Some(text.as_str()) == yes).to_string()),
            "list(string)" => hcl::strs(text.split(',').map(str::to_string)),
            "number" => raw(text),
            _ => s(text),
        }
    });
    let mut v = var(&name, kind, &description, default);
    for (condition, message) in checks(db, m, p, &name) {
        v = v.check(&condition, &message);
    }
    v
}

/// The `validation` blocks of a parameter's variable.
fn checks(db: &[DatabaseParam], m: &Module, p: &Parameter, name: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let x = format!("var.{name}");
    match p.kind.as_str() {
        "AWS::EC2::VPC::Id" => out.push((
            format!("can(regex(\"^vpc-([0-9a-f]{{8}}|[0-9a-f]{{17}})$\", {x}))"),
            format!("{name} must be a VPC id (vpc-0123456789abcdef0)."),
        )),
        "List<AWS::EC2::Subnet::Id>" => out.push((
            format!("length({x}) > 0 && {}", SUBNET.replace("VAR", &x)),
            format!("{name} must be one or more subnet ids (subnet-0123456789abcdef0)."),
        )),
        _ => {}
    }
    if let Some(pat) = &p.allowed_pattern {
        let regex = format!("can(regex({}, {x}))", hcl::quote(pat));
        out.push(match pat.as_str() {
            SG_PATTERN => (
                regex,
                format!("{name} must be a security group id (sg-0123456789abcdef0) or empty."),
            ),
            "^fs-[0-9a-f]+$" => (
                regex,
                format!("{name} must be an EFS file system id (fs-0123456789abcdef0)."),
            ),
            "^\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}$" => (
                format!("can(cidrhost({x}, 0)) && {regex}"),
                format!("{name} must be an IPv4 CIDR block (10.0.0.0/16)."),
            ),
            _ => (regex, format!("{name} must match {pat}.")),
        });
    }
    let words: Vec<&str> = p.allowed_values.iter().filter_map(Value::as_str).collect();
    if !words.is_empty() && m.bool_param(&p.id).is_none() {
        out.push((
            format!("contains({}, {x})", hcl::inline(&hcl::strs(words.clone()))),
            format!("{name} must be one of {}.", words.join(", ")),
        ));
    }
    let min = p
        .extra
        .iter()
        .find(|(k, _)| k == "MinLength")
        .map(|(_, v)| v);
    if matches!(min, Some(Value::Num(n)) if n.as_u64() >= Some(1)) && p.default.is_none() {
        let db = db.iter().find(|d| d.name == p.id);
        let message = match db {
            Some(d) => format!("{name} must be the coupled database's {}.", d.variable),
            None if p.id.starts_with("Image") => format!("{name} must name the image to run."),
            None => format!("{name} must not be empty."),
        };
        out.push((format!("length({x}) > 0"), message));
    }
    for (id, condition, message) in TERRAFORM_CHECKS {
        if *id == p.id {
            out.push((condition.to_string(), message.to_string()));
        }
    }
    out
}

/// The module's own variables: the instance's name (the stack name) and the region.
fn own(model: &MigrationModel) -> Vec<Var> {
    vec![
        var("name", "string", "Name of this instance of the module (cluster, service, policies): the CloudFormation stack name", Some(s(crate::render::names::stack_name(model))))
            .check("can(regex(\"^[A-Za-z][A-Za-z0-9-]{0,99}$\", var.name))", "name must start with a letter and hold only letters, digits and hyphens (at most 100)."),
        var("region", "string", "AWS region to deploy into", Some(s(&model.region)))
            .check("can(regex(\"^[a-z]{2}(-[a-z]+)+-[0-9]$\", var.region))", "region must be an AWS region (eu-west-1)."),
    ]
}

/// Every variable with the file it lands in; the module's own come before the cluster's.
fn all(model: &MigrationModel, m: &Module) -> Vec<(&'static str, Var)> {
    let mut out = Vec::new();
    let mut own_vars = Some(own(model));
    for p in &m.t.parameters {
        if p.id == "ExistingClusterName" {
            out.extend(
                own_vars
                    .take()
                    .into_iter()
                    .flatten()
                    .map(|v| (super::VARIABLES, v)),
            );
        }
        let v = parameter(&model.database_params, m, p);
        out.push((super::variable_file(&p.id), v));
    }
    out.extend(
        own_vars
            .into_iter()
            .flatten()
            .map(|v| (super::VARIABLES, v)),
    );
    out
}

/// Every `variable` block with its file.
pub(super) fn variables(model: &MigrationModel, m: &Module) -> Vec<(&'static str, (String, Body))> {
    all(model, m)
        .into_iter()
        .map(|(f, v)| (f, v.block()))
        .collect()
}

/// `terraform.tfvars.example`: every variable of `variables.tf`, with what eb2ecs knew filled in
/// and the ones only the person deploying can give listed.
pub fn tfvars(model: &MigrationModel, m: &Module) -> String {
    let mut known = Body::new();
    let mut unknown = Vec::new();
    for (_, v) in all(model, m)
        .into_iter()
        .filter(|(f, _)| *f == super::VARIABLES)
    {
        match &v.default {
            Some(d) => known = known.attr(&v.name, d.clone()),
            None => unknown.push(v.name.clone()),
        }
    }
    let mut out =
        String::from("# Copy to terraform.tfvars and review: what eb2ecs knew is filled in.\n");
    if !unknown.is_empty() {
        out.push_str("# Required, not known to eb2ecs:\n");
        for name in &unknown {
            out.push_str(&format!("#   {name}\n"));
        }
    }
    out.push('\n');
    let mut body = String::new();
    hcl::write_body(&known, &mut body);
    out.push_str(&body);
    out
}

/// The stack's conditions that are more than one word, as `locals`, with the module's own:
/// the cluster's name (created or existing) and the service's capacity provider.
pub(super) fn locals(m: &Module) -> Body {
    let mut b = Body::new();
    for (id, v) in &m.t.conditions {
        if m.inlined(id) {
            continue;
        }
        if id == "CreateClusterCapacity" {
            b = b.blank().comment("A capacity provider is associated only with a cluster the module creates: associating one\nwith an existing cluster would replace that cluster's whole capacity provider list.");
        }
        b = b.attr(&var_name(id), m.expr(v));
        if id == "CreateCluster" && m.t.resource("Cluster").is_some() {
            let name = Expr::Cond(
                m.cond("CreateCluster"),
                Box::new(raw(m.reference("Cluster"))),
                Box::new(raw(m.reference("ExistingClusterName"))),
            );
            b = b.attr("cluster_name", name);
        }
        if id == "UseExistingCapacityProvider" {
            if let Some(p) = capacity_provider(m) {
                b = b.attr("capacity_provider", raw(p));
            }
        }
    }
    b
}

/// The service's capacity provider (or `null`) from its `CapacityProviderStrategy`.
fn capacity_provider(m: &Module) -> Option<String> {
    let service =
        m.t.resources
            .iter()
            .find(|r| r.kind == "AWS::ECS::Service")?;
    let strategy = service.properties.get("CapacityProviderStrategy")?;
    fn pick(m: &Module, v: &Value) -> String {
        match v {
            Value::If(c, a, b) => {
                let other = pick(m, b);
                let other = if other.contains(" ? ") {
                    format!("({other})")
                } else {
                    other
                };
                format!("{} ? {} : {other}", m.cond(c), pick(m, a))
            }
            Value::List(l) => l
                .first()
                .and_then(|i| i.get("CapacityProvider"))
                .map_or("null".into(), |p| hcl::inline(&m.expr(p))),
            _ => "null".into(),
        }
    }
    Some(pick(m, strategy))
}

/// Every stack output as an `output` block, with the file it lands in.
pub(super) fn outputs(m: &Module) -> Vec<(&'static str, (String, Body))> {
    m.t.outputs
        .iter()
        .map(|o| {
            let value = match &o.condition {
                Some(c) => Expr::Cond(m.cond(c), Box::new(m.expr(&o.value)), Box::new(raw("null"))),
                None => m.expr(&o.value),
            };
            let b = Body::new()
                .attr_opt(
                    "description",
                    o.description.as_deref().map(|d| s(prose(m, d))),
                )
                .attr("value", value);
            let name = snake_words(&o.id.replace("GitHub", "Github"));
            (super::output_file(&o.id), (format!("output \"{name}\""), b))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infra::template::from_yaml;

    const STACK: &str = r#"
Parameters:
  CreateCapacity: {Type: String, AllowedValues: ["true", "false"], Default: "true"}
  AssignPublicIp:
    Type: String
    Description: ENABLED only when the task subnets are public
    AllowedValues: [ENABLED, DISABLED]
    Default: DISABLED
  Subnets: {Type: "List<AWS::EC2::Subnet::Id>", Default: "subnet-1,subnet-2"}
  ExistingInstanceSecurityGroup:
    Type: String
    Description: "With CreateCapacity=false: the stack lets the load balancer in"
    AllowedPattern: "^(sg-([0-9a-f]{8}|[0-9a-f]{17}))?$"
    Default: ""
  Size: {Type: String, AllowedValues: [small, large]}
Resources: {}
"#;

    #[test]
    fn parameters_become_typed_checked_variables() {
        let t = from_yaml(STACK).unwrap();
        let m = Module::new(&t);
        let v: Vec<Var> = t.parameters.iter().map(|p| parameter(&[], &m, p)).collect();
        assert_eq!(
            (v[0].kind, v[0].default.clone()),
            ("bool", Some(raw("true")))
        );
        assert_eq!(
            v[1].description,
            "true only when the task subnets are public"
        );
        assert_eq!(v[1].default, Some(raw("false")));
        assert_eq!(v[2].kind, "list(string)");
        assert_eq!(v[2].default, Some(hcl::strs(["subnet-1", "subnet-2"])));
        assert!(v[2].validations[0]
            .0
            .starts_with("length(var.subnets) > 0 && alltrue("));
        assert_eq!(
            v[3].description,
            "With create_capacity = false: the module lets the load balancer in"
        );
        assert!(v[3].validations[0].1.contains("security group id"));
        assert_eq!(
            v[4].validations[0].0,
            "contains([\"small\", \"large\"], var.size)"
        );
    }
}
