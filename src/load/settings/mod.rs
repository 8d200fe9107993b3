//! EB environment option settings: the typed raw documents the loaders produce, and the
//! precedence EB applies to them (environment > saved configuration > .ebextensions > EB's
//! defaults), giving one value per `namespace:option` that remembers where it came from.

pub mod parse;

pub use parse::{load, parse};

use crate::finding::{Finding, Severity, Source};
use std::collections::BTreeMap;

/// Which layer a setting came from; later layers win, as EB applies them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Layer {
    /// EB's documented default.
    Default,
    /// An `.ebextensions/*.config` file.
    #[default]
    Ebextensions,
    /// A saved configuration.
    SavedConfig,
    /// Applied to the environment (live, or describe-configuration-settings output).
    Environment,
}

impl Layer {
    /// Name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Layer::Default => "EB's default",
            Layer::Ebextensions => ".ebextensions",
            Layer::SavedConfig => "the saved configuration",
            Layer::Environment => "the environment's applied settings",
        }
    }
}

/// An option value as a file had it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionValue {
    /// Plain text (numbers and booleans are written as text, as EB stores them).
    Text(String),
    /// A list (only some custom options use one).
    List(Vec<String>),
    /// A CloudFormation intrinsic (`Ref`, `Fn::GetAtt`, a backtick expression): the value is only
    /// known when EB deploys.
    Intrinsic(String),
    /// Something else (a mapping): not usable.
    Unsupported(String),
}

/// One option setting in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawOption {
    /// Namespace, without a resource prefix.
    pub namespace: String,
    /// Option name.
    pub option: String,
    /// Resource the option was qualified with (`AWSEBAutoScalingGroup`), if any.
    pub resource: Option<String>,
    /// Value.
    pub value: OptionValue,
}

impl RawOption {
    /// `[Resource.]namespace:option`, as finding sources name it.
    pub fn location(&self) -> String {
        match &self.resource {
            Some(r) => format!("{r}.{}:{}", self.namespace, self.option),
            None => format!("{}:{}", self.namespace, self.option),
        }
    }
}

/// One settings file, typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SettingsDoc {
    /// File label (relative to the project, or `environment NAME`).
    pub file: String,
    /// Which layer it belongs to.
    pub layer: Layer,
    /// Options in file order.
    pub options: Vec<RawOption>,
    /// Platform ARN or solution stack.
    pub platform: Option<String>,
    /// Environment tier name (`WebServer` or `Worker`).
    pub tier: Option<String>,
    /// Environment name (describe output, live).
    pub environment_name: Option<String>,
    /// Application name (describe output, live).
    pub application_name: Option<String>,
    /// The environment's CNAME (live).
    pub cname: Option<String>,
    /// The environment's resources, e.g. `load balancer awseb-e-…` (live).
    pub resources: Vec<String>,
    /// Findings about the file itself (keys that are not option settings).
    pub findings: Vec<Finding>,
}

/// One effective option setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The value as text.
    pub value: String,
    /// Where it came from.
    pub source: Source,
    /// Which layer.
    pub layer: Layer,
}

/// The effective settings of an EB environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvSettings {
    /// `(namespace, option)` -> setting.
    pub options: BTreeMap<(String, String), Setting>,
    /// Platform ARN or solution stack, from the highest layer that had one.
    pub platform: Option<String>,
    /// Tier name.
    pub tier: Option<String>,
    /// Environment name, when known.
    pub environment_name: Option<String>,
    /// The environment's CNAME, when known.
    pub cname: Option<String>,
    /// The environment's resources, when known.
    pub resources: Vec<String>,
    /// Files the settings came from, in the order applied.
    pub files: Vec<String>,
}

impl EnvSettings {
    /// The setting, if present.
    pub fn get(&self, namespace: &str, option: &str) -> Option<&Setting> {
        self.options
            .get(&(namespace.to_string(), option.to_string()))
    }

    /// The value, if present and not empty.
    pub fn value(&self, namespace: &str, option: &str) -> Option<&str> {
        self.get(namespace, option)
            .map(|s| s.value.as_str())
            .filter(|v| !v.trim().is_empty())
    }

    /// All options of one namespace, in option order.
    pub fn namespace<'a>(
        &'a self,
        namespace: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a Setting)> + 'a {
        self.options
            .iter()
            .filter(move |((ns, _), _)| ns == namespace)
            .map(|((_, opt), s)| (opt.as_str(), s))
    }
}

/// Namespaces whose values may be secrets: never repeated in messages.
pub fn is_sensitive_namespace(ns: &str) -> bool {
    ns == "aws:elasticbeanstalk:application:environment"
        || ns == "aws:elasticbeanstalk:application:environmentsecrets"
}

/// EB's documented defaults for the options eb2ecs uses. They differ from the ALB and ECS
/// defaults, so a migration that relies on them must say so.
pub const DEFAULTS: &[(&str, &str, &str)] = &[
    (
        "aws:elasticbeanstalk:environment:process:default",
        "HealthCheckPath",
        "/",
    ),
    (
        "aws:elasticbeanstalk:environment:process:default",
        "HealthCheckInterval",
        "15",
    ),
    (
        "aws:elasticbeanstalk:environment:process:default",
        "HealthCheckTimeout",
        "5",
    ),
    (
        "aws:elasticbeanstalk:environment:process:default",
        "HealthyThresholdCount",
        "3",
    ),
    (
        "aws:elasticbeanstalk:environment:process:default",
        "UnhealthyThresholdCount",
        "5",
    ),
    (
        "aws:elasticbeanstalk:environment:process:default",
        "DeregistrationTimeout",
        "20",
    ),
    (
        "aws:elasticbeanstalk:environment:process:default",
        "MatcherHTTPCode",
        "200",
    ),
    (
        "aws:elasticbeanstalk:environment:process:default",
        "Port",
        "80",
    ),
    (
        "aws:elasticbeanstalk:environment:process:default",
        "Protocol",
        "HTTP",
    ),
    (
        "aws:elasticbeanstalk:environment:process:default",
        "StickinessEnabled",
        "false",
    ),
    (
        "aws:elasticbeanstalk:environment:process:default",
        "StickinessLBCookieDuration",
        "86400",
    ),
    ("aws:autoscaling:asg", "MinSize", "1"),
    ("aws:autoscaling:asg", "MaxSize", "4"),
    (
        "aws:elasticbeanstalk:command",
        "DeploymentPolicy",
        "AllAtOnce",
    ),
    (
        "aws:elasticbeanstalk:command",
        "BatchSizeType",
        "Percentage",
    ),
    ("aws:elasticbeanstalk:command", "BatchSize", "100"),
    (
        "aws:elasticbeanstalk:cloudwatch:logs",
        "RetentionInDays",
        "7",
    ),
    (
        "aws:elasticbeanstalk:environment",
        "EnvironmentType",
        "LoadBalanced",
    ),
    (
        "aws:elasticbeanstalk:environment",
        "LoadBalancerType",
        "application",
    ),
    ("aws:elbv2:loadbalancer", "IdleTimeout", "60"),
];

/// Apply the documents in EB's order of precedence, then EB's defaults for what is missing.
pub fn merge(docs: &[SettingsDoc]) -> (EnvSettings, Vec<Finding>) {
    let mut order: Vec<&SettingsDoc> = docs.iter().collect();
    order.sort_by_key(|d| d.layer); // stable: file order within a layer
    let mut out = EnvSettings::default();
    let mut findings = Vec::new();
    for doc in order {
        findings.extend(doc.findings.iter().cloned());
        out.files.push(doc.file.clone());
        if doc.platform.is_some() {
            out.platform.clone_from(&doc.platform);
        }
        if doc.tier.is_some() {
            out.tier.clone_from(&doc.tier);
        }
        if doc.environment_name.is_some() {
            out.environment_name.clone_from(&doc.environment_name);
        }
        if doc.cname.is_some() {
            out.cname.clone_from(&doc.cname);
        }
        out.resources.extend(doc.resources.iter().cloned());
        for opt in &doc.options {
            let source = Source::new(doc.file.clone(), opt.location());
            let key = (opt.namespace.clone(), opt.option.clone());
            let value = match &opt.value {
                OptionValue::Text(t) => t.clone(),
                OptionValue::List(items) => {
                    findings.push(Finding::new(
                        "SETTING-LIST-VALUE",
                        Severity::Info,
                        source.clone(),
                        format!(
                            "{} is a list; read as the comma-separated text EB would store",
                            opt.location()
                        ),
                        "Nothing to do.",
                    ));
                    items.join(",")
                }
                OptionValue::Intrinsic(what) => {
                    out.options.remove(&key);
                    findings.push(Finding::new(
                        "SETTING-INTRINSIC",
                        Severity::Warning,
                        source,
                        format!("{} is set with a CloudFormation expression ({what}) that only EB can resolve when it deploys; it is left out", opt.location()),
                        format!("Look up the value EB resolved (`eb printenv` or the environment's configuration) and set it for ECS by hand{}.",
                            if is_sensitive_namespace(&opt.namespace) { " (in the task definition's environment, or as a secret)" } else { "" }),
                    ));
                    continue;
                }
                OptionValue::Unsupported(what) => {
                    findings.push(Finding::new(
                        "SETTING-UNREADABLE",
                        Severity::Warning,
                        source,
                        format!(
                            "{} is {what}, which is not an option value; it is left out",
                            opt.location()
                        ),
                        "Check what EB did with it.",
                    ));
                    continue;
                }
            };
            if let Some(prev) = out.options.get(&key) {
                if prev.value != value {
                    let shown = if is_sensitive_namespace(&opt.namespace) {
                        String::new()
                    } else {
                        format!(" ({:?} -> {:?})", prev.value, value)
                    };
                    findings.push(Finding::new(
                        "SETTING-OVERRIDDEN",
                        Severity::Info,
                        source.clone(),
                        format!(
                            "{}:{} from {} ({}) is overridden by {} ({}){shown}, as EB applies them",
                            opt.namespace, opt.option, prev.source.file, prev.layer.name(), doc.file, doc.layer.name()
                        ),
                        "Nothing to do, unless the overridden value is the one you meant.",
                    ));
                }
            }
            out.options.insert(
                key,
                Setting {
                    value,
                    source,
                    layer: doc.layer,
                },
            );
        }
    }
    for (ns, opt, val) in DEFAULTS {
        let key = (ns.to_string(), opt.to_string());
        if let std::collections::btree_map::Entry::Vacant(e) = out.options.entry(key) {
            e.insert(Setting {
                value: val.to_string(),
                source: Source::new("EB default", format!("{ns}:{opt}")),
                layer: Layer::Default,
            });
        }
    }
    (out, findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::convert::tests_support::doc;

    #[test]
    fn environment_beats_saved_config_beats_ebextensions() {
        let docs = vec![
            doc(
                "env",
                Layer::Environment,
                &[("aws:autoscaling:asg", "MaxSize", "8")],
            ),
            doc(
                "a.config",
                Layer::Ebextensions,
                &[
                    ("aws:autoscaling:asg", "MaxSize", "2"),
                    ("aws:autoscaling:asg", "MinSize", "2"),
                ],
            ),
            doc(
                "saved",
                Layer::SavedConfig,
                &[("aws:autoscaling:asg", "MaxSize", "5")],
            ),
        ];
        let (s, findings) = merge(&docs);
        assert_eq!(s.value("aws:autoscaling:asg", "MaxSize"), Some("8"));
        assert_eq!(
            s.get("aws:autoscaling:asg", "MaxSize").unwrap().source.file,
            "env"
        );
        assert_eq!(s.value("aws:autoscaling:asg", "MinSize"), Some("2"));
        let overridden: Vec<_> = findings
            .iter()
            .filter(|f| f.code == "SETTING-OVERRIDDEN")
            .collect();
        assert_eq!(overridden.len(), 2);
        assert!(overridden[1].message.contains("\"5\" -> \"8\""));
    }

    #[test]
    fn defaults_fill_gaps_without_findings() {
        let (s, findings) = merge(&[]);
        let hc = s
            .get(
                "aws:elasticbeanstalk:environment:process:default",
                "HealthCheckInterval",
            )
            .unwrap();
        assert_eq!((hc.value.as_str(), hc.layer), ("15", Layer::Default));
        assert!(findings.is_empty());
    }

    #[test]
    fn secret_values_are_not_repeated_in_override_findings() {
        let ns = "aws:elasticbeanstalk:application:environment";
        let docs = vec![
            doc("a", Layer::Ebextensions, &[(ns, "DB_PASSWORD", "hunter2a")]),
            doc("b", Layer::SavedConfig, &[(ns, "DB_PASSWORD", "hunter2b")]),
        ];
        let (_, findings) = merge(&docs);
        let f = findings
            .iter()
            .find(|f| f.code == "SETTING-OVERRIDDEN")
            .unwrap();
        assert!(!f.message.contains("hunter2"), "{}", f.message);
    }
}
