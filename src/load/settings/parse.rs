//! EB option settings from files: `.ebextensions/*.config` (YAML or JSON, map or list form),
//! saved configurations (`eb config save`), and `aws elasticbeanstalk
//! describe-configuration-settings` output. The kind is detected from the content.

use super::commands::key_str;
use crate::codes;
use crate::error::{Error, Result};
use crate::finding::{Finding, Phase, Severity, Source};
use crate::load::settings::{Layer, OptionValue, RawOption, SettingsDoc};
use serde_yaml_ng::Value as Yaml;

/// The default namespace of list-form entries without one.
pub const APP_ENV: &str = "aws:elasticbeanstalk:application:environment";

/// Keys of an `.ebextensions` config file besides `option_settings`, and what to do about them.
const EBEXTENSION_KEYS: &[(&str, &str)] = &[
    // Kept as data (`packages`), converted by convert::commands.
    ("packages", ""),
    ("sources", "Download and unpack these in the image's Dockerfile."),
    ("files", "Write these files in the image's Dockerfile (or mount them from SSM/Secrets Manager)."),
    ("users", "Create these users in the image's Dockerfile."),
    ("groups", "Create these groups in the image's Dockerfile."),
    // Kept as data (`commands`), converted by convert::oneoff.
    ("commands", ""),
    ("container_commands", ""),
    ("services", "Run these processes in the container or as sidecar containers."),
    ("Resources", "Recreate these resources in your CloudFormation stack (cloudformation.yaml has none of them)."),
    ("Outputs", "Recreate these outputs in your CloudFormation stack."),
];

/// Load one settings file.
pub fn load(
    path: &std::path::Path,
    display: &str,
    label: &str,
    layer_hint: Option<Layer>,
) -> Result<SettingsDoc> {
    let text = crate::load::read_text(path)?;
    parse(&text, display, label, layer_hint)
}

/// A YAML syntax error as an input error naming the file, line and column.
pub(crate) fn yaml_error(display: &str, e: &serde_yaml_ng::Error) -> Error {
    let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    let full = e.to_string();
    let message = match full.find(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    };
    Error::Input {
        file: display.to_string(),
        line,
        column,
        message: format!("invalid YAML: {message}"),
    }
}

/// Line and column of the first line that defines `key` (a best effort for errors found after
/// parsing, when YAML values no longer carry positions).
fn key_position(text: &str, key: &str) -> (usize, usize) {
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start().trim_start_matches("- ");
        let bare = trimmed.trim_start_matches(['"', '\'']);
        if bare.starts_with(key) {
            return (i + 1, line.len() - trimmed.len() + 1);
        }
    }
    (1, 1)
}

fn bad(display: &str, text: &str, key: &str, message: String) -> Error {
    let (line, column) = key_position(text, key);
    Error::Input {
        file: display.to_string(),
        line,
        column,
        message,
    }
}

/// Parse settings text. `layer_hint` says where the file was found (an `.ebextensions` folder,
/// `saved_configs`); otherwise the kind comes from the content.
pub fn parse(
    text: &str,
    display: &str,
    label: &str,
    layer_hint: Option<Layer>,
) -> Result<SettingsDoc> {
    let trimmed = text.trim_start();
    let doc: Yaml = if trimmed.starts_with('{') {
        let json = crate::load::guard::json(display, text)?;
        serde_yaml_ng::to_value(json).map_err(|e| Error::Bug(format!("JSON to YAML value: {e}")))?
    } else {
        crate::load::guard::yaml(display, text)?
    };
    let mut out = SettingsDoc {
        file: label.to_string(),
        layer: layer_hint.unwrap_or(Layer::Ebextensions),
        ..SettingsDoc::default()
    };
    let map = match doc {
        Yaml::Null => return Ok(out),
        Yaml::Mapping(m) => m,
        other => {
            return Err(Error::Input {
                file: display.to_string(),
                line: 1,
                column: 1,
                message: format!(
                    "expected a mapping of settings (option_settings, OptionSettings or ConfigurationSettings), found {}",
                    yaml_kind(&other)
                ),
            })
        }
    };
    let has = |k: &str| map.contains_key(Yaml::String(k.to_string()));
    if has("ConfigurationSettings") {
        out.layer = Layer::Environment;
        describe(&map, display, text, &mut out)?;
    } else if has("OptionSettings")
        || has("AWSConfigurationTemplateVersion")
        || layer_hint == Some(Layer::SavedConfig)
    {
        out.layer = Layer::SavedConfig;
        saved_config(&map, display, text, &mut out)?;
    } else if has("option_settings")
        || EBEXTENSION_KEYS.iter().any(|(k, _)| has(k))
        || layer_hint == Some(Layer::Ebextensions)
    {
        out.layer = Layer::Ebextensions;
        ebextension(&map, display, text, &mut out)?;
    } else {
        return Err(Error::Input {
            file: display.to_string(),
            line: 1,
            column: 1,
            message: "not an EB settings file: expected option_settings (.ebextensions), OptionSettings (a saved configuration) or ConfigurationSettings (describe-configuration-settings output)".to_string(),
        });
    }
    Ok(out)
}

fn yaml_kind(v: &Yaml) -> &'static str {
    match v {
        Yaml::Null => "nothing",
        Yaml::Bool(_) => "a boolean",
        Yaml::Number(_) => "a number",
        Yaml::String(_) => "a string",
        Yaml::Sequence(_) => "a list",
        Yaml::Mapping(_) => "a mapping",
        Yaml::Tagged(_) => "a tagged value",
    }
}

/// An option value: text, or a CloudFormation intrinsic that cannot be resolved offline.
fn option_value(v: &Yaml) -> OptionValue {
    match v {
        Yaml::Null => OptionValue::Text(String::new()),
        Yaml::Bool(b) => OptionValue::Text(b.to_string()),
        Yaml::Number(n) => OptionValue::Text(n.to_string()),
        Yaml::String(s) => {
            let t = s.trim();
            if t.starts_with('`') && t.ends_with('`') && t.len() > 1 {
                OptionValue::Intrinsic(t.to_string())
            } else {
                OptionValue::Text(s.clone())
            }
        }
        Yaml::Mapping(m) => {
            let intrinsic = m
                .keys()
                .filter_map(key_str)
                .find(|k| k == "Ref" || k.starts_with("Fn::"));
            match intrinsic {
                Some(k) => OptionValue::Intrinsic(k),
                None => OptionValue::Unsupported("a mapping".to_string()),
            }
        }
        Yaml::Sequence(items) => {
            let texts: Vec<String> = items
                .iter()
                .filter_map(|i| match option_value(i) {
                    OptionValue::Text(t) => Some(t),
                    _ => None,
                })
                .collect();
            if texts.len() == items.len() {
                OptionValue::List(texts)
            } else {
                OptionValue::Unsupported("a list with non-text items".to_string())
            }
        }
        Yaml::Tagged(t) => OptionValue::Intrinsic(format!("!{}", t.tag)),
    }
}

/// Split `Resource.namespace` into its parts.
fn split_resource(ns: &str) -> (Option<String>, String) {
    match ns.split_once('.') {
        Some((res, rest)) if rest.starts_with("aws:") && !res.contains(':') => {
            (Some(res.to_string()), rest.to_string())
        }
        _ => (None, ns.to_string()),
    }
}

fn ebextension(
    map: &serde_yaml_ng::Mapping,
    display: &str,
    text: &str,
    out: &mut SettingsDoc,
) -> Result<()> {
    for (k, v) in map {
        let Some(key) = key_str(k) else { continue };
        if key == "option_settings" {
            option_settings(v, display, text, "option_settings", out)?;
            continue;
        }
        if key == "packages" {
            out.packages.extend(super::commands::packages(v));
            continue;
        }
        if key == "Resources" || key == "Outputs" {
            let entries = super::template::entries(v, text);
            if key == "Resources" {
                out.cfn_resources.extend(entries);
            } else {
                out.cfn_outputs.extend(entries);
            }
            continue;
        }
        let mut v = v;
        let kept;
        if key == "files" {
            let files = super::template::files(v, text);
            // The proxy's own files are read by convert::proxy, which reports each directive.
            let proxy: Vec<String> = (files.iter())
                .filter(|f| super::template::is_proxy_path(&f.path))
                .map(|f| f.path.clone())
                .collect();
            out.files.extend(files);
            let mut rest = v.as_mapping().cloned().unwrap_or_default();
            rest.retain(|k, _| key_str(k).is_none_or(|k| !proxy.contains(&k)));
            if rest.is_empty() && !proxy.is_empty() {
                continue;
            }
            kept = Yaml::Mapping(rest);
            v = &kept;
        }
        if key == "container_commands" || key == "commands" {
            let (entries, findings) = super::commands::entries(&out.file, &key, v);
            if key == "commands" {
                out.commands.extend(entries);
            } else {
                out.container_commands.extend(entries);
            }
            out.findings.extend(findings);
            continue;
        }
        let action = EBEXTENSION_KEYS
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, a)| *a);
        let (severity, action) = match action {
            Some(a) => (Severity::Warning, a.to_string()),
            None => (
                Severity::Warning,
                "Check what EB did with it; eb2ecs does not know this key.".to_string(),
            ),
        };
        let detail = match v {
            Yaml::Mapping(m) => {
                let names: Vec<String> = m.keys().filter_map(key_str).collect();
                if names.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", names.join(", "))
                }
            }
            _ => String::new(),
        };
        out.findings.push(Finding::new(
            codes::EBEXTENSION_NOT_CONVERTED,
            severity,
            Source::new(out.file.clone(), key.clone()),
            format!("`{key}`{detail} ran on the EB instances; ECS has no instances to run it on, so it is not carried over"),
            action,
        ));
    }
    Ok(())
}

/// `option_settings` in the map form (`namespace: {option: value}`) or the list form
/// (`- namespace/option_name/value`).
fn option_settings(
    v: &Yaml,
    display: &str,
    text: &str,
    key: &str,
    out: &mut SettingsDoc,
) -> Result<()> {
    match v {
        Yaml::Null => Ok(()),
        Yaml::Mapping(m) => map_form(m, display, text, key, out),
        Yaml::Sequence(items) => list_form(items, display, text, key, out),
        other => Err(bad(
            display,
            text,
            key,
            format!("{key} must be a mapping (namespace: options) or a list of option_name/value entries, found {}", yaml_kind(other)),
        )),
    }
}

/// `namespace: {option: value}`, the namespace possibly qualified with a resource.
fn map_form(
    m: &serde_yaml_ng::Mapping,
    display: &str,
    text: &str,
    key: &str,
    out: &mut SettingsDoc,
) -> Result<()> {
    for (ns_key, opts) in m {
        let ns_text = key_str(ns_key).ok_or_else(|| {
            bad(
                display,
                text,
                key,
                format!("{key}: a namespace must be text"),
            )
        })?;
        let (resource, namespace) = split_resource(&ns_text);
        match opts {
            Yaml::Null => {}
            Yaml::Mapping(om) => {
                for (ok, ov) in om {
                    let option = key_str(ok).ok_or_else(|| {
                        bad(
                            display,
                            text,
                            &ns_text,
                            format!("{key}: an option name under {ns_text} must be text"),
                        )
                    })?;
                    out.expressions
                        .extend(super::template::expression(&namespace, &option, ov));
                    out.options.push(RawOption {
                        namespace: namespace.clone(),
                        option,
                        resource: resource.clone(),
                        value: option_value(ov),
                    });
                }
            }
            other => {
                return Err(bad(
                    display,
                    text,
                    &ns_text,
                    format!(
                    "{key}: the options of {ns_text} must be a mapping of option: value, found {}",
                    yaml_kind(other)
                ),
                ))
            }
        }
    }
    Ok(())
}

/// `- option_name/value` entries; without a namespace they are environment properties.
fn list_form(
    items: &[Yaml],
    display: &str,
    text: &str,
    key: &str,
    out: &mut SettingsDoc,
) -> Result<()> {
    for item in items {
        let m = item.as_mapping().ok_or_else(|| {
            bad(
                display,
                text,
                key,
                format!(
                    "{key}: each list entry must have option_name and value, found {}",
                    yaml_kind(item)
                ),
            )
        })?;
        let get = |name: &str| m.get(Yaml::String(name.to_string()));
        let option = get("option_name").and_then(key_str).ok_or_else(|| {
            bad(
                display,
                text,
                key,
                format!("{key}: a list entry has no option_name"),
            )
        })?;
        let namespace = get("namespace")
            .and_then(key_str)
            .unwrap_or_else(|| APP_ENV.to_string());
        let (res_in_ns, namespace) = split_resource(&namespace);
        let resource = get("resource_name").and_then(key_str).or(res_in_ns);
        if let Some(v) = get("value") {
            out.expressions
                .extend(super::template::expression(&namespace, &option, v));
        }
        out.options.push(RawOption {
            namespace,
            option,
            resource,
            value: get("value").map_or(OptionValue::Text(String::new()), option_value),
        });
    }
    Ok(())
}

fn saved_config(
    map: &serde_yaml_ng::Mapping,
    display: &str,
    text: &str,
    out: &mut SettingsDoc,
) -> Result<()> {
    for (k, v) in map {
        let Some(key) = key_str(k) else { continue };
        match key.as_str() {
            "OptionSettings" => {
                if v.is_sequence() {
                    out.findings.push(Finding::new(
                        codes::SAVED_CONFIG_LIST_FORM,
                        Severity::Info,
                        Source::new(out.file.clone(), "OptionSettings"),
                        "OptionSettings is a list of option_name/value entries (the .ebextensions form); read it that way",
                        "Nothing to do.",
                    ));
                }
                option_settings(v, display, text, "OptionSettings", out)?;
            }
            "Platform" => {
                out.platform = v
                    .get("PlatformArn")
                    .and_then(key_str)
                    .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            "SolutionStack" => out.platform = key_str(v),
            "EnvironmentTier" => out.tier = v.get("Name").and_then(key_str),
            "AWSConfigurationTemplateVersion" | "EnvironmentConfigurationMetadata" | "Tags" => {}
            "Extensions" => {
                let names: Vec<String> = v
                    .as_mapping()
                    .map(|m| m.keys().filter_map(key_str).collect())
                    .unwrap_or_default();
                let rds = names.iter().any(|n| n.to_ascii_lowercase().contains("rds"));
                out.findings.push(Finding::new(
                    if rds { codes::RDS_COUPLED } else { codes::SAVED_CONFIG_EXTENSIONS },
                    if rds { Severity::Blocker } else { Severity::Warning },
                    Source::new(out.file.clone(), "Extensions"),
                    format!("the saved configuration has extensions ({}) that created resources with the environment", names.join(", ")),
                    if rds {
                        "The database belongs to the EB environment: terminating the environment deletes it. Snapshot it and decouple it (or restore the snapshot as a standalone instance) before decommissioning."
                    } else {
                        "Recreate what these extensions built in your own stack."
                    },
                ).in_phase(if rds { Phase::Decommission } else { Phase::Prepare }));
            }
            other => out.findings.push(Finding::new(
                codes::SAVED_CONFIG_UNKNOWN_KEY,
                Severity::Info,
                Source::new(out.file.clone(), other.to_string()),
                format!("saved configuration key `{other}` is not used"),
                "Nothing to do unless it configured something EB did not record in OptionSettings.",
            )),
        }
    }
    Ok(())
}

fn describe(
    map: &serde_yaml_ng::Mapping,
    display: &str,
    text: &str,
    out: &mut SettingsDoc,
) -> Result<()> {
    let list = map
        .get(Yaml::String("ConfigurationSettings".into()))
        .and_then(Yaml::as_sequence)
        .ok_or_else(|| {
            bad(
                display,
                text,
                "\"ConfigurationSettings\"",
                "ConfigurationSettings must be a list".to_string(),
            )
        })?;
    let first = match list.first() {
        Some(f) => f,
        None => return Ok(()),
    };
    if list.len() > 1 {
        out.findings.push(Finding::new(
            codes::DESCRIBE_SEVERAL,
            Severity::Warning,
            Source::new(out.file.clone(), "ConfigurationSettings"),
            format!(
                "the file describes {} configurations; only the first is used",
                list.len()
            ),
            "Pass a file with the one environment you migrate.",
        ));
    }
    describe_environment(first, out);
    out.environment_name = first.get("EnvironmentName").and_then(key_str);
    out.application_name = first.get("ApplicationName").and_then(key_str);
    if let Some(tier) = first
        .get("Tier")
        .and_then(|t| t.get("Name"))
        .and_then(key_str)
    {
        out.tier = Some(tier);
    }
    describe_options(first, display, text, out)
}

/// `ConfigurationSettings[0].OptionSettings`: `Namespace`/`OptionName`/`Value` entries.
fn describe_options(first: &Yaml, display: &str, text: &str, out: &mut SettingsDoc) -> Result<()> {
    let opts = first
        .get("OptionSettings")
        .and_then(Yaml::as_sequence)
        .ok_or_else(|| {
            bad(
                display,
                text,
                "\"OptionSettings\"",
                "ConfigurationSettings[0].OptionSettings must be a list".to_string(),
            )
        })?;
    for o in opts {
        let namespace = o.get("Namespace").and_then(key_str);
        let option = o.get("OptionName").and_then(key_str);
        let (Some(namespace), Some(option)) = (namespace, option) else {
            return Err(bad(
                display,
                text,
                "\"OptionSettings\"",
                "every OptionSettings entry needs Namespace and OptionName".to_string(),
            ));
        };
        out.options.push(RawOption {
            namespace,
            option,
            resource: o.get("ResourceName").and_then(key_str),
            value: o
                .get("Value")
                .map_or(OptionValue::Text(String::new()), option_value),
        });
    }
    Ok(())
}

/// What a describe JSON says about the environment besides its options: platform, CNAME and
/// resources (the last two are added by `eb2ecs fetch`; AWS's own output has neither).
fn describe_environment(first: &Yaml, out: &mut SettingsDoc) {
    out.platform = ["PlatformArn", "SolutionStackName"]
        .iter()
        .find_map(|k| first.get(*k).and_then(key_str));
    out.cname = first.get("CNAME").and_then(key_str);
    let Some(res) = first.get("EnvironmentResources") else {
        return;
    };
    for (key, what) in [
        ("LoadBalancers", "load balancer"),
        ("AutoScalingGroups", "Auto Scaling group"),
    ] {
        let names = res
            .get(key)
            .and_then(Yaml::as_sequence)
            .into_iter()
            .flatten();
        for n in names.filter_map(|r| r.get("Name").and_then(key_str)) {
            out.resources.push(format!("{what} {n}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_form_with_resource_qualified_namespace() {
        let doc = parse(
            "option_settings:\n  AWSEBCloudwatchAlarmHigh.aws:autoscaling:trigger:\n    UpperThreshold: '60'\n  aws:autoscaling:asg:\n    MinSize: 1\n",
            "f", "f", None,
        )
        .unwrap();
        assert_eq!(doc.layer, Layer::Ebextensions);
        assert_eq!(doc.options[0].namespace, "aws:autoscaling:trigger");
        assert_eq!(
            doc.options[0].resource.as_deref(),
            Some("AWSEBCloudwatchAlarmHigh")
        );
        assert_eq!(doc.options[1].value, OptionValue::Text("1".into()));
    }

    #[test]
    fn list_form_defaults_to_application_environment() {
        let doc = parse(
            "option_settings:\n  - option_name: A\n    value: 5232\n",
            "f",
            "f",
            None,
        )
        .unwrap();
        assert_eq!(doc.options[0].namespace, APP_ENV);
        assert_eq!(doc.options[0].value, OptionValue::Text("5232".into()));
    }

    #[test]
    fn intrinsics_are_recognised() {
        let doc = parse(
            "option_settings:\n  aws:elasticbeanstalk:application:environment:\n    R: '`{\"Ref\" : \"AWS::Region\"}`'\n    T: {\"Ref\": \"Table\"}\n",
            "f", "f", None,
        )
        .unwrap();
        assert!(matches!(doc.options[0].value, OptionValue::Intrinsic(_)));
        assert_eq!(doc.options[1].value, OptionValue::Intrinsic("Ref".into()));
    }

    #[test]
    fn other_keys_become_findings() {
        let doc = parse("services:\n  sysvinit:\n    x: {}\n", "f", "f", None).unwrap();
        assert_eq!(doc.findings[0].code, "EBEXTENSION-NOT-CONVERTED");
        assert!(doc.findings[0].message.contains("sysvinit"));
    }

    #[test]
    fn commands_are_kept_as_data() {
        let doc = parse(
            "container_commands:\n  01migrate:\n    command: x\ncommands:\n  01yum:\n    command: yum install -y jq\n",
            "f",
            "f",
            None,
        )
        .unwrap();
        assert!(doc.findings.is_empty());
        assert_eq!(doc.layer, Layer::Ebextensions);
        assert_eq!(doc.container_commands[0].name, "01migrate");
        assert_eq!(doc.commands[0].name, "01yum");
    }

    #[test]
    fn malformed_yaml_names_line_and_column() {
        let err = parse(
            "option_settings:\n    aws:autoscaling:scheduledaction\n        MaxSize: 5\n",
            "x.config",
            "x",
            None,
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("x.config:3:"), "{msg}");
    }

    #[test]
    fn empty_and_commented_files_are_fine() {
        assert!(parse("", "f", "f", None).unwrap().options.is_empty());
        assert!(parse("# nothing\n", "f", "f", None)
            .unwrap()
            .options
            .is_empty());
    }

    #[test]
    fn describe_output_is_detected() {
        let doc = parse(
            r#"{"ConfigurationSettings": [{"EnvironmentName": "prod", "OptionSettings": [{"Namespace": "aws:autoscaling:asg", "OptionName": "MaxSize", "Value": "4"}]}]}"#,
            "f", "f", None,
        )
        .unwrap();
        assert_eq!(doc.layer, Layer::Environment);
        assert_eq!(doc.environment_name.as_deref(), Some("prod"));
        assert_eq!(doc.options[0].value, OptionValue::Text("4".into()));
    }
}
