//! `.ebextensions` `Resources` carried into the stack (`model.carried_resources`): each entry
//! of a supported type ([`crate::cfn_types::TYPES`], with its Terraform mapping) keeps its logical ID, its references to EB's own
//! resources are rewritten to the stack's ([`eb_reference`]), `Fn::GetOptionSetting` is resolved
//! from the merged settings (or its `DefaultValue`), and data-holding types are retained. What
//! cannot be rewritten is a blocker naming the resource and the reference. Entries that change
//! EB's own resources (`AWSEB…`) are read for what they did (an HTTP-to-HTTPS redirect, port 443
//! opened on the instances) and reported. Environment properties set with an expression that
//! references a carried resource are set from it in the stack's task definition.

use super::mapper::Mapper;
use super::Ctx;
use crate::codes;
use crate::finding::{Finding, Phase, Severity, Source};
use crate::load::settings::{Layer, SettingsDoc, TemplateEntry};
use crate::model::{CarriedResource, ResourceEnv};
use serde_json::{json, Map, Value};

/// What the stack knows of the EB environment besides the settings.
pub struct Shape {
    /// The stack has the load balancer (and its target group).
    pub load_balancer: bool,
    /// EB's load balancer was a classic ELB (its `Ref` was a name, not an ARN).
    pub classic: bool,
    /// The container the environment properties reach (the application's).
    pub app_container: Option<String>,
}

/// What the `Resources` said about EB's own resources.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct EbOverrides {
    /// An override of EB's port-80 listener redirected HTTP to HTTPS (the file and logical ID).
    pub https_redirect: Option<Source>,
    /// Port 443 was opened on EB's instances: TLS ended on the instance (the file and ID).
    pub instance_tls: Option<Source>,
}

/// The carried resources, the environment variables set from them, and what the entries that
/// change EB's own resources did.
pub fn plan(
    ctx: &mut Ctx,
    m: &Mapper,
    docs: &[SettingsDoc],
    shape: &Shape,
) -> (Vec<CarriedResource>, Vec<ResourceEnv>) {
    let entries = merged_entries(docs);
    let carried_ids: Vec<String> = entries
        .iter()
        .filter(|(_, e)| {
            supported(type_of(&e.value)).is_some() && !is_eb_id(&e.name) && valid_id(&e.name)
        })
        .map(|(_, e)| e.name.clone())
        .collect();
    let mut out = Vec::new();
    for (file, e) in &entries {
        let source = Source::new(file.clone(), entry_location(e));
        if is_eb_id(&e.name) {
            eb_override(ctx, e, source);
            continue;
        }
        let kind = type_of(&e.value);
        let Some(retain) = supported(kind).filter(|_| valid_id(&e.name)) else {
            unsupported(ctx, e, kind, source);
            continue;
        };
        if stack_id(&e.name) {
            collides(ctx, e, kind, source);
            continue;
        }
        let r = Rewriter {
            m,
            shape,
            carried: &carried_ids,
        };
        if let Some(c) = carry(ctx, &r, e, kind, retain, source) {
            out.push(c);
        }
    }
    outputs(ctx, docs);
    let env = resource_env(ctx, m, docs, shape, &carried_ids);
    (out, env)
}

/// `Outputs` of `.ebextensions`: EB's stack showed them; the ECS stack has its own outputs.
fn outputs(ctx: &mut Ctx, docs: &[SettingsDoc]) {
    for d in docs.iter().filter(|d| d.layer == Layer::Ebextensions) {
        for o in &d.cfn_outputs {
            ctx.push(Finding::new(
                codes::RESOURCE_UNSUPPORTED,
                Severity::Info,
                Source::new(d.file.clone(), format!("Outputs.{}", o.name)),
                format!(
                    "output `{}` of EB's stack is not carried into the ECS stack's outputs",
                    o.name
                ),
                "Add it to the Outputs of cloudformation.yaml by hand if something reads it.",
            ));
        }
    }
}

/// What the `Resources` entries did to EB's own resources (read before the load balancer is
/// decided; [`plan`] reports each entry).
pub fn eb_overrides(docs: &[SettingsDoc]) -> EbOverrides {
    let mut o = EbOverrides::default();
    for (file, e) in merged_entries(docs) {
        let source = Source::new(file, entry_location(&e));
        let props = e.value.get("Properties").unwrap_or(&Value::Null);
        if is_eb_id(&e.name) && redirects_to_https(&e) {
            o.https_redirect.get_or_insert(source);
        } else if (e.name == "AWSEBSecurityGroup"
            || (type_of(&e.value) == "AWS::EC2::SecurityGroupIngress"
                && props.to_string().contains("AWSEBSecurityGroup")))
            && opens_443(props)
        {
            o.instance_tls.get_or_insert(source);
        }
    }
    o
}

/// An override of EB's listener whose default action redirects to HTTPS.
fn redirects_to_https(e: &TemplateEntry) -> bool {
    let text = e.value.to_string();
    let listener = e.name.contains("Listener") || type_of(&e.value).ends_with("::Listener");
    listener && text.contains("\"redirect\"") && text.contains("HTTPS")
}

/// The stack's own logical IDs and parameter names (and the prefixes of its numbered ones),
/// which a carried resource must not take.
const STACK_IDS: &[&str] = &[
    "Cluster",
    "LogGroup",
    "ExecutionRole",
    "TaskRole",
    "TaskDefinition",
    "LoadBalancer",
    "LoadBalancerSecurityGroup",
    "TargetGroup",
    "ServiceSecurityGroup",
    "Service",
    "ScalableTarget",
    "InstanceRole",
    "InstanceProfile",
    "LaunchTemplate",
    "AutoScalingGroup",
    "CapacityProvider",
    "ClusterCapacityProviders",
    "ExistingInstancesIngress",
    "EfsIngress",
    "EfsFileSystemId",
    "EfsSecurityGroupId",
    "HasEfsSecurityGroup",
    "OneOffTaskDefinition",
    "DeployRole",
    "GitHubOidcProvider",
    "VpcId",
    "Subnets",
    "AssignPublicIp",
    "LoadBalancerSubnets",
    "ClientCidr",
    "CertificateArn",
    "InstanceType",
    "EcsAmiId",
    "ExistingClusterName",
    "EnableExecuteCommand",
    "CreateCapacity",
];
const STACK_PREFIXES: &[&str] = &[
    "Listener",
    "Rule",
    "ExtraCertificate",
    "Worker",
    "Image",
    "Existing",
];

fn stack_id(id: &str) -> bool {
    STACK_IDS.contains(&id)
        || id.ends_with("ScalingPolicy")
        || STACK_PREFIXES.iter().any(|p| {
            id.starts_with(p)
                && id[p.len()..].starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}

/// A carried resource whose logical ID the stack already uses.
fn collides(ctx: &mut Ctx, e: &TemplateEntry, kind: &str, source: Source) {
    ctx.push(
        Finding::new(
            codes::RESOURCE_REFERENCE,
            Severity::Blocker,
            source,
            format!("resource `{}` ({kind}) has a logical ID the ECS stack uses for its own resource or parameter; it is not carried over", e.name),
            "Recreate it in cloudformation.yaml under another logical ID (and update what references it).",
        )
        .in_phase(Phase::Prepare),
    );
}

/// `Resources` entries of every `.ebextensions` file, in file order; a later file's entry of the
/// same logical ID adds its keys over the earlier one's (EB merges them into one template).
fn merged_entries(docs: &[SettingsDoc]) -> Vec<(String, TemplateEntry)> {
    let mut out: Vec<(String, TemplateEntry)> = Vec::new();
    for d in docs.iter().filter(|d| d.layer == Layer::Ebextensions) {
        for e in &d.cfn_resources {
            match out.iter_mut().find(|(_, o)| o.name == e.name) {
                Some((_, o)) => merge_into(&mut o.value, &e.value),
                None => out.push((d.file.clone(), e.clone())),
            }
        }
    }
    out
}

/// `over`'s keys over `base`'s, mappings merged key by key.
fn merge_into(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(existing) => merge_into(existing, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// A logical ID CloudFormation accepts (EB's would not have deployed another).
fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 255 && id.chars().all(|c| c.is_ascii_alphanumeric())
}

fn entry_location(e: &TemplateEntry) -> String {
    if e.line > 0 {
        format!("Resources.{} (line {})", e.name, e.line)
    } else {
        format!("Resources.{}", e.name)
    }
}

fn type_of(v: &Value) -> &str {
    v.get("Type").and_then(Value::as_str).unwrap_or("")
}

/// Whether the type is carried (`crate::cfn_types`), and whether it holds data.
fn supported(kind: &str) -> Option<bool> {
    crate::cfn_types::lookup(kind).map(|t| t.retain)
}

/// EB's own logical IDs (`AWSEBAutoScalingGroup`, `AWSEBV2LoadBalancerListener`, …).
fn is_eb_id(name: &str) -> bool {
    name.starts_with("AWSEB")
}

/// One supported entry, its references rewritten; `None` (with a blocker) when one cannot be.
fn carry(
    ctx: &mut Ctx,
    r: &Rewriter,
    e: &TemplateEntry,
    kind: &str,
    retain: bool,
    source: Source,
) -> Option<CarriedResource> {
    let mut problems = Vec::new();
    let mut properties = e.value.get("Properties").cloned().unwrap_or(json!({}));
    // An alarm on EB's Auto Scaling group gets the service's dimensions, already the stack's.
    let dimensions = (kind == "AWS::CloudWatch::Alarm")
        .then(|| r.alarm_dimensions(&mut properties, &mut problems))
        .flatten();
    let mut properties = r.rewrite(&properties, &mut problems);
    if let Some(d) = dimensions {
        properties["Dimensions"] = d;
    }
    if !problems.is_empty() {
        ctx.push(
            Finding::new(
                codes::RESOURCE_REFERENCE,
                Severity::Blocker,
                source,
                format!(
                    "resource `{}` ({kind}) references what the ECS stack does not have: {}; it is not carried over",
                    e.name,
                    problems.join("; ")
                ),
                "Recreate it in cloudformation.yaml by hand, pointing the reference at the stack's own resource (or a parameter).",
            )
            .in_phase(Phase::Prepare),
        );
        return None;
    }
    let depends_on = depends_on(&e.value, r.carried);
    report_carried(ctx, &e.name, kind, retain, &source);
    terraform_gaps(ctx, &e.name, kind, &properties, &source);
    Some(CarriedResource {
        logical_id: e.name.clone(),
        kind: kind.to_string(),
        properties,
        retain,
        depends_on,
        source,
    })
}

/// `DependsOn` of the entry, as far as it names carried resources.
fn depends_on(v: &Value, carried: &[String]) -> Vec<String> {
    let names: Vec<String> = match v.get("DependsOn") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    names.into_iter().filter(|n| carried.contains(n)).collect()
}

/// What the Terraform module leaves out of a carried resource (CloudFormation has it whole).
fn terraform_gaps(ctx: &mut Ctx, name: &str, kind: &str, properties: &Value, source: &Source) {
    let Some(t) = crate::cfn_types::lookup(kind) else {
        return;
    };
    let gaps = crate::cfn_types::terraform_gaps(t, properties);
    if gaps.is_empty() {
        return;
    }
    ctx.push(
        Finding::new(
            codes::RESOURCE_TERRAFORM,
            Severity::Warning,
            source.clone(),
            format!("the Terraform module's {} for `{name}` leaves out what eb2ecs does not map: {} (cloudformation.yaml has it whole)", t.terraform, gaps.join(", ")),
            "Add it to terraform/resources.tf by hand if you deploy with Terraform.",
        )
        .in_phase(Phase::Prepare),
    );
}

/// The carried resource's finding: info, or for a data-holding one the import step.
fn report_carried(ctx: &mut Ctx, name: &str, kind: &str, retain: bool, source: &Source) {
    if retain {
        ctx.push(
            Finding::new(
                codes::RESOURCE_RETAINED,
                Severity::Warning,
                source.clone(),
                format!("resource `{name}` ({kind}) holds data: it is carried into the stack with DeletionPolicy: Retain (Terraform: prevent_destroy), but EB's stack already has one with its data"),
                "Import the existing one instead of creating an empty one: the checklist's steps release it from EB's stack (Prepare) and import it (Deploy: an IMPORT change set of import-resources.json, or `terraform import`).",
            )
            .in_phase(Phase::Prepare),
        );
    } else {
        ctx.push(Finding::new(
            codes::RESOURCE_CARRIED,
            Severity::Info,
            source.clone(),
            format!("resource `{name}` ({kind}) is carried into cloudformation.yaml and the Terraform module, its references to EB's resources rewritten to the stack's"),
            "Check it in cloudformation.yaml; EB's copy goes away with the EB environment.",
        ));
    }
}

/// A type eb2ecs does not carry.
fn unsupported(ctx: &mut Ctx, e: &TemplateEntry, kind: &str, source: Source) {
    let kind_text = if kind.is_empty() { "no Type" } else { kind };
    ctx.push(
        Finding::new(
            codes::RESOURCE_UNSUPPORTED,
            Severity::Warning,
            source,
            format!("resource `{}` ({kind_text}) is not a type eb2ecs carries into the stack, or its logical ID is not alphanumeric (supported: {})", crate::text::escape(&e.name), crate::cfn_types::TYPES.iter().map(|t| t.cfn).collect::<Vec<_>>().join(", ")),
            "Recreate it in cloudformation.yaml by hand if the application still needs it; resources that served EB's instances (security group rules, launch configuration) have no ECS counterpart.",
        )
        .in_phase(Phase::Prepare),
    );
}

/// Whether a rule (or the rules of a group) covers port 443.
fn opens_443(v: &Value) -> bool {
    let port = |k: &str, v: &Value| {
        v.get(k).and_then(|p| {
            p.as_u64()
                .or_else(|| p.as_str().and_then(|s| s.parse().ok()))
        })
    };
    match (port("FromPort", v), port("ToPort", v)) {
        (Some(f), Some(t)) => f <= 443 && 443 <= t,
        _ => v
            .get("SecurityGroupIngress")
            .and_then(Value::as_array)
            .is_some_and(|rules| rules.iter().any(opens_443)),
    }
}

/// An entry that changes one of EB's own resources: what it did, as a finding.
fn eb_override(ctx: &mut Ctx, e: &TemplateEntry, source: Source) {
    if redirects_to_https(e) {
        // convert::proxy reports it (PROXY-REDIRECT) with the listener it becomes.
        return;
    }
    ctx.push(
        Finding::new(
            codes::RESOURCE_EB_OVERRIDE,
            Severity::Warning,
            source,
            format!("`{}` changed EB's own resource ({}); the ECS stack has no such resource, so the change is not carried over", crate::text::escape(&e.name), eb_resource_name(&e.name)),
            "Check what it changed (instance health checks, security group rules, the launch configuration) and whether the service still needs it.",
        )
        .in_phase(Phase::Prepare),
    );
}

fn eb_resource_name(id: &str) -> &'static str {
    match id {
        "AWSEBAutoScalingGroup" => "the instances' Auto Scaling group",
        "AWSEBSecurityGroup" => "the instances' security group",
        "AWSEBLoadBalancerSecurityGroup" => "the load balancer's security group",
        "AWSEBLoadBalancer" | "AWSEBV2LoadBalancer" => "the load balancer",
        "AWSEBRDSDatabase" => "the EB-managed database",
        _ => "an EB resource",
    }
}

/// Environment properties set with an expression (`{"Ref": "Queue"}`) that names a carried
/// resource: set from it in the stack's task definition (the expression finding is withdrawn).
fn resource_env(
    ctx: &mut Ctx,
    m: &Mapper,
    docs: &[SettingsDoc],
    shape: &Shape,
    carried: &[String],
) -> Vec<ResourceEnv> {
    let Some(container) = &shape.app_container else {
        return Vec::new();
    };
    let mut order: Vec<&SettingsDoc> = docs.iter().collect();
    order.sort_by_key(|d| d.layer);
    let mut found: Vec<(String, Value, String)> = Vec::new();
    for d in order {
        for x in d
            .expressions
            .iter()
            .filter(|x| x.namespace == crate::load::settings::parse::APP_ENV)
        {
            found.retain(|(n, _, _)| *n != x.option);
            found.push((x.option.clone(), x.value.clone(), d.file.clone()));
        }
    }
    let r = Rewriter { m, shape, carried };
    let mut out = Vec::new();
    for (name, expr, file) in found {
        // A later layer's plain value won (the merged settings have it).
        if m.settings
            .get(crate::load::settings::parse::APP_ENV, &name)
            .is_some()
            || !names_carried(&expr, carried)
        {
            continue;
        }
        let mut problems = Vec::new();
        let value = r.rewrite(&expr, &mut problems);
        if !problems.is_empty() {
            continue;
        }
        let location = format!("{}:{name}", crate::load::settings::parse::APP_ENV);
        ctx.retract(|f| f.code == codes::SETTING_INTRINSIC && f.source.location == location);
        ctx.push(Finding::new(
            codes::RESOURCE_ENV,
            Severity::Info,
            Source::new(file, location),
            format!("environment property {name} is set from carried resource {}: the stack's task definition sets it from the new one (task-definition.json cannot hold the reference and leaves it out)", referenced(&expr).join(", ")),
            "Nothing to do when deploying cloudformation.yaml or the Terraform module.",
        ));
        out.push(ResourceEnv {
            container: container.clone(),
            name,
            value,
        });
    }
    out
}

/// Whether an expression names a carried resource.
fn names_carried(v: &Value, carried: &[String]) -> bool {
    referenced(v).iter().any(|n| carried.contains(n))
}

/// The logical IDs an expression references (`Ref`, `Fn::GetAtt`).
fn referenced(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk_refs(v, &mut out);
    out
}

fn walk_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("Ref") {
                out.push(r.clone());
            }
            if let Some(Value::Array(a)) = m.get("Fn::GetAtt") {
                out.extend(a.first().and_then(Value::as_str).map(str::to_string));
            }
            m.values().for_each(|x| walk_refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| walk_refs(x, out)),
        _ => {}
    }
}

/// Rewrites references of a carried resource to the stack's.
struct Rewriter<'a> {
    m: &'a Mapper<'a>,
    shape: &'a Shape,
    carried: &'a [String],
}

impl Rewriter<'_> {
    /// The value with every `Ref`, `Fn::GetAtt`, `Fn::Sub` name and `Fn::GetOptionSetting`
    /// rewritten; what cannot be is pushed to `problems`.
    fn rewrite(&self, v: &Value, problems: &mut Vec<String>) -> Value {
        match v {
            Value::Object(m) if m.len() == 1 => {
                let (k, arg) = m.iter().next().expect("one key");
                match k.as_str() {
                    "Ref" => self.reference(arg, None, problems),
                    "Fn::GetAtt" => {
                        let (id, attr) = get_att(arg);
                        self.reference(&Value::String(id), Some(&attr), problems)
                    }
                    "Fn::GetOptionSetting" => self.option_setting(arg, problems),
                    "Fn::Sub" => json!({ "Fn::Sub": self.sub(arg, problems) }),
                    _ => json!({ k.clone(): self.rewrite(arg, problems) }),
                }
            }
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, x)| (k.clone(), self.rewrite(x, problems)))
                    .collect::<Map<_, _>>(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.rewrite(x, problems)).collect()),
            other => other.clone(),
        }
    }

    /// `Ref` (attr `None`) or `Fn::GetAtt` of a logical ID.
    fn reference(&self, id: &Value, attr: Option<&str>, problems: &mut Vec<String>) -> Value {
        let Some(id) = id.as_str() else {
            problems.push(format!("a reference that is not a name ({id})"));
            return Value::Null;
        };
        let own = |id: &str| match attr {
            None => json!({ "Ref": id }),
            Some(a) => json!({ "Fn::GetAtt": [id, a] }),
        };
        if id.starts_with("AWS::") || self.carried.iter().any(|c| c == id) {
            return own(id);
        }
        match eb_reference(id, attr, self.shape) {
            Ok(v) => v,
            Err(why) => {
                let shown =
                    attr.map_or_else(|| format!("Ref {id}"), |a| format!("Fn::GetAtt {id}.{a}"));
                problems.push(format!("{shown} ({why})"));
                Value::Null
            }
        }
    }

    /// `Fn::GetOptionSetting`: the merged setting, else its `DefaultValue`.
    fn option_setting(&self, arg: &Value, problems: &mut Vec<String>) -> Value {
        let ns = arg.get("Namespace").and_then(Value::as_str).unwrap_or("");
        let opt = arg.get("OptionName").and_then(Value::as_str).unwrap_or("");
        if ns == "aws:autoscaling:launchconfiguration" && opt == "IamInstanceProfile" {
            // The instance profile's role is what the application ran as: the task role now.
            return json!({ "Ref": "TaskRole" });
        }
        match self.m.value(ns, opt) {
            Some(v) => Value::String(v.to_string()),
            None => match arg.get("DefaultValue") {
                Some(d) => self.rewrite(d, problems),
                None => {
                    problems.push(format!(
                        "Fn::GetOptionSetting {ns}:{opt} (not set, and no DefaultValue)"
                    ));
                    Value::Null
                }
            },
        }
    }

    /// An `Fn::Sub` template (or `[template, variables]`) with its `${Name}` references rewritten.
    fn sub(&self, arg: &Value, problems: &mut Vec<String>) -> Value {
        match arg {
            Value::String(t) => Value::String(self.sub_text(t, &[], problems)),
            Value::Array(a) if a.len() == 2 => {
                let vars: Vec<String> = a[1]
                    .as_object()
                    .map(|m| m.keys().cloned().collect())
                    .unwrap_or_default();
                let text = a[0].as_str().unwrap_or("");
                json!([
                    self.sub_text(text, &vars, problems),
                    self.rewrite(&a[1], problems)
                ])
            }
            other => self.rewrite(other, problems),
        }
    }

    fn sub_text(&self, t: &str, vars: &[String], problems: &mut Vec<String>) -> String {
        let mut out = String::new();
        let mut rest = t;
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[i..]);
                return out;
            };
            let name = &after[..end];
            let (id, attr) = name
                .split_once('.')
                .map_or((name, None), |(a, b)| (a, Some(b)));
            let replaced = if name.starts_with('!')
                || vars.iter().any(|v| v == name)
                || id.starts_with("AWS::")
                || self.carried.iter().any(|c| c == id)
            {
                name.to_string()
            } else {
                match eb_reference(id, attr, self.shape) {
                    Ok(v) => sub_name(&v),
                    Err(why) => {
                        problems.push(format!("${{{name}}} in Fn::Sub ({why})"));
                        name.to_string()
                    }
                }
            };
            out.push_str(&format!("${{{replaced}}}"));
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// An alarm on EB's Auto Scaling group (`AutoScalingGroupName` of `AWS/EC2`) watches the
    /// service instead (`ClusterName`/`ServiceName` of `AWS/ECS`) for the metrics both have: the
    /// new dimensions (the `Dimensions` property is taken out of `props`).
    fn alarm_dimensions(&self, props: &mut Value, problems: &mut Vec<String>) -> Option<Value> {
        let dims = props.get("Dimensions").and_then(Value::as_array)?;
        let on_asg = dims.iter().any(|d| {
            d.get("Value")
                .is_some_and(|v| referenced(v).iter().any(|r| r == "AWSEBAutoScalingGroup"))
        });
        if !on_asg {
            return None;
        }
        let metric = props
            .get("MetricName")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !matches!(metric, "CPUUtilization" | "MemoryUtilization") {
            problems.push(format!("an alarm on EB's Auto Scaling group for metric {metric}, which ECS services do not publish"));
            return None;
        }
        props["Namespace"] = json!("AWS/ECS");
        props.as_object_mut()?.shift_remove("Dimensions");
        Some(json!([
            {"Name": "ClusterName", "Value": {"Fn::If": ["CreateCluster", {"Ref": "Cluster"}, {"Ref": "ExistingClusterName"}]}},
            {"Name": "ServiceName", "Value": {"Fn::GetAtt": ["Service", "Name"]}}
        ]))
    }
}

/// `Fn::GetAtt` as `[id, attr]` or `"id.attr"`.
fn get_att(arg: &Value) -> (String, String) {
    match arg {
        Value::Array(a) => (
            a.first().and_then(Value::as_str).unwrap_or("").to_string(),
            a.get(1).and_then(Value::as_str).unwrap_or("").to_string(),
        ),
        Value::String(s) => s
            .split_once('.')
            .map_or((s.clone(), String::new()), |(a, b)| {
                (a.to_string(), b.to_string())
            }),
        _ => (String::new(), String::new()),
    }
}

/// How a rewritten reference is named inside `Fn::Sub`.
fn sub_name(v: &Value) -> String {
    if let Some(r) = v.get("Ref").and_then(Value::as_str) {
        return r.to_string();
    }
    if let Some(a) = v.get("Fn::GetAtt").and_then(Value::as_array) {
        let parts: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
        return parts.join(".");
    }
    String::new()
}

/// One of EB's own logical IDs as the stack's resource; `Err(why)` when the stack has none.
pub fn eb_reference(id: &str, attr: Option<&str>, shape: &Shape) -> Result<Value, String> {
    let r = |x: &str| json!({ "Ref": x });
    let att = |x: &str, a: &str| json!({ "Fn::GetAtt": [x, a] });
    let lb = shape.load_balancer;
    match (id, attr) {
        ("AWSEBEnvironmentName" | "AWSEBEnvironmentId", None) => Ok(r("AWS::StackName")),
        ("AWSEBV2LoadBalancer", None) if lb => Ok(r("LoadBalancer")),
        ("AWSEBLoadBalancer", None) if lb && shape.classic => {
            Ok(att("LoadBalancer", "LoadBalancerName"))
        }
        ("AWSEBLoadBalancer", None) if lb => Ok(r("LoadBalancer")),
        ("AWSEBV2LoadBalancer" | "AWSEBLoadBalancer", Some(a)) if lb => match a {
            "DNSName" | "LoadBalancerFullName" | "LoadBalancerName" | "CanonicalHostedZoneID" => {
                Ok(att("LoadBalancer", a))
            }
            "CanonicalHostedZoneNameID" => Ok(att("LoadBalancer", "CanonicalHostedZoneID")),
            _ => Err(format!("the ALB has no attribute {a}")),
        },
        ("AWSEBV2LoadBalancerTargetGroup", None) if lb => Ok(r("TargetGroup")),
        (
            "AWSEBV2LoadBalancerTargetGroup",
            Some(a @ ("TargetGroupFullName" | "TargetGroupName")),
        ) if lb => Ok(att("TargetGroup", a)),
        ("AWSEBLoadBalancerSecurityGroup", None | Some("GroupId")) if lb => {
            Ok(r("LoadBalancerSecurityGroup"))
        }
        ("AWSEBSecurityGroup", None | Some("GroupId")) => Ok(r("ServiceSecurityGroup")),
        ("AWSEBInstanceRole" | "AWSEBRoleName" | "AWSEBInstanceProfileRole", None) => {
            Ok(r("TaskRole"))
        }
        ("AWSEBInstanceRole" | "AWSEBInstanceProfileRole", Some("Arn")) => {
            Ok(att("TaskRole", "Arn"))
        }
        (
            "AWSEBV2LoadBalancer"
            | "AWSEBLoadBalancer"
            | "AWSEBV2LoadBalancerTargetGroup"
            | "AWSEBLoadBalancerSecurityGroup",
            _,
        ) => Err("the service has no load balancer".to_string()),
        ("AWSEBRDSDatabase", _) => {
            Err("the stack has no database: EB's stays with EB until it is decoupled".to_string())
        }
        ("AWSEBAutoScalingGroup", _) => Err(
            "ECS tasks have no Auto Scaling group; the service's scaling is ScalableTarget"
                .to_string(),
        ),
        (id, _) if id.starts_with("AWSEB") => {
            Err("an EB resource the ECS stack has no counterpart for".to_string())
        }
        _ => Err("not a resource of the .ebextensions nor one of EB's".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::tests_support::ctx;
    use crate::load::settings::{merge, parse};
    use crate::model::LaunchType;

    fn run(text: &str) -> (Vec<CarriedResource>, Vec<ResourceEnv>, Vec<Finding>) {
        let doc = parse(
            text,
            "r.config",
            ".ebextensions/r.config",
            Some(Layer::Ebextensions),
        )
        .unwrap();
        let docs = vec![doc];
        let (settings, _) = merge(&docs);
        let m = Mapper::new(&settings);
        let mut c = ctx(LaunchType::Fargate);
        let shape = Shape {
            load_balancer: true,
            classic: false,
            app_container: Some("app".into()),
        };
        let (r, e) = plan(&mut c, &m, &docs, &shape);
        (r, e, c.findings)
    }

    #[test]
    fn eb_references_and_option_settings_are_rewritten() {
        let (r, _, f) = run("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName:\n        Fn::GetOptionSetting: {Namespace: aws:elasticbeanstalk:customoption, OptionName: QN, DefaultValue: dflt}\n  P:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyName: p\n      Roles: [{Ref: AWSEBInstanceRole}]\n      PolicyDocument: {Statement: [{Effect: Allow, Action: sqs:SendMessage, Resource: !GetAtt Q.Arn}]}\n");
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].properties, json!({"QueueName": "dflt"}));
        assert!(r[0].retain);
        assert_eq!(r[1].properties["Roles"], json!([{"Ref": "TaskRole"}]));
        assert_eq!(
            r[1].properties["PolicyDocument"]["Statement"][0]["Resource"],
            json!({"Fn::GetAtt": ["Q", "Arn"]})
        );
        let codes: Vec<&str> = f.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, vec!["RESOURCE-RETAINED", "RESOURCE-CARRIED"]);
    }

    #[test]
    fn what_cannot_be_rewritten_is_a_blocker() {
        let (r, _, f) = run("Resources:\n  A:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Dimensions: [{Name: DBInstanceIdentifier, Value: {Ref: AWSEBRDSDatabase}}]\n  Service:\n    Type: AWS::SNS::Topic\n");
        assert!(r.is_empty());
        assert_eq!(
            f.iter()
                .filter(|f| f.code == "RESOURCE-REFERENCE" && f.severity == Severity::Blocker)
                .count(),
            2
        );
        assert!(
            f[0].message.contains("Ref AWSEBRDSDatabase"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn environment_properties_follow_carried_resources() {
        let (_, e, f) = run("Resources:\n  T:\n    Type: AWS::SNS::Topic\noption_settings:\n  aws:elasticbeanstalk:application:environment:\n    TOPIC: '`{\"Ref\": \"T\"}`'\n    REGION: '`{\"Ref\": \"AWS::Region\"}`'\n");
        assert_eq!(e.len(), 1);
        assert_eq!(
            (e[0].name.as_str(), &e[0].value),
            ("TOPIC", &json!({"Ref": "T"}))
        );
        assert!(f.iter().any(|f| f.code == "RESOURCE-ENV"));
    }

    #[test]
    fn eb_overrides_are_read() {
        let doc = parse("Resources:\n  AWSEBV2LoadBalancerListener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      DefaultActions: [{Type: redirect, RedirectConfig: {Protocol: HTTPS, Port: '443', StatusCode: HTTP_301}}]\n  sslIngress:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties: {GroupId: {\"Fn::GetAtt\": [AWSEBSecurityGroup, GroupId]}, FromPort: 443, ToPort: 443}\n", "r", "r", None).unwrap();
        let o = eb_overrides(&[doc]);
        assert!(o.https_redirect.is_some());
        assert!(o.instance_tls.is_some());
    }
}
