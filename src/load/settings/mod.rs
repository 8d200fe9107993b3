//! EB environment option settings: the typed raw documents the loaders produce (`parse`), and
//! the precedence EB applies to them (`merge`: environment > saved configuration >
//! .ebextensions > EB's defaults), giving one value per `namespace:option` that remembers where
//! it came from.

pub mod commands;
pub mod merge;
pub mod parse;
pub mod template;

pub use merge::{merge, DEFAULTS};
pub use parse::{load, parse};

use crate::finding::{Finding, Source};
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
    /// `container_commands`, in file order (EB runs them sorted by name: `convert::oneoff`).
    pub container_commands: Vec<EbCommand>,
    /// `commands` (run on the instance before the application was extracted), in file order.
    pub commands: Vec<EbCommand>,
    /// `Resources` of an `.ebextensions` file, in file order (`convert::resources`).
    pub cfn_resources: Vec<TemplateEntry>,
    /// `Outputs` of an `.ebextensions` file, in file order.
    pub cfn_outputs: Vec<TemplateEntry>,
    /// `files:` of an `.ebextensions` file, in file order (`convert::proxy` reads the proxy's).
    pub files: Vec<EbFile>,
    /// Option values that are CloudFormation expressions, kept whole (the option itself is
    /// in `options` as [`OptionValue::Intrinsic`]).
    pub expressions: Vec<OptionExpression>,
}

/// One entry of an `.ebextensions` `Resources` or `Outputs` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateEntry {
    /// Logical ID (or output name).
    pub name: String,
    /// The entry as JSON, short-form tags spelled out.
    pub value: serde_json::Value,
    /// 1-based line that names it (0 when unknown).
    pub line: usize,
}

/// One entry of an `.ebextensions` `files:` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EbFile {
    /// Path on the instance.
    pub path: String,
    /// Inline `content`, when given.
    pub content: Option<String>,
    /// `source` URL, when given.
    pub source: Option<String>,
    /// 1-based line of the path (0 when unknown).
    pub line: usize,
}

/// An option set with a CloudFormation expression, the expression as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionExpression {
    /// Namespace.
    pub namespace: String,
    /// Option name.
    pub option: String,
    /// The expression (`{"Ref": "Queue"}`).
    pub value: serde_json::Value,
}

/// What an `.ebextensions` command ran: a shell line, or a list EB ran without a shell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandText {
    /// A string, run by a shell.
    Shell(String),
    /// A list of arguments, run as they are.
    Argv(Vec<String>),
}

/// One entry of `container_commands` or `commands` in an `.ebextensions` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EbCommand {
    /// Its key (EB runs the entries in key order).
    pub name: String,
    /// The command (`None` when the entry has none: EB fails the deployment on it).
    pub command: Option<CommandText>,
    /// `cwd`: the folder it ran in.
    pub cwd: Option<String>,
    /// `env`: variables set for it, in file order.
    pub env: Vec<(String, String)>,
    /// `test`: it ran only when this command succeeded.
    pub test: Option<String>,
    /// `ignoreErrors: true`.
    pub ignore_errors: bool,
    /// `leader_only: true` (container_commands only).
    pub leader_only: bool,
    /// Keys of the entry eb2ecs does not know, in file order.
    pub unknown: Vec<String>,
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

/// A settings document of `(namespace, option, value)` text options, for unit tests.
#[cfg(test)]
pub fn test_doc(file: &str, layer: Layer, opts: &[(&str, &str, &str)]) -> SettingsDoc {
    SettingsDoc {
        file: file.into(),
        layer,
        options: opts
            .iter()
            .map(|(ns, o, v)| RawOption {
                namespace: ns.to_string(),
                option: o.to_string(),
                resource: None,
                value: OptionValue::Text(v.to_string()),
            })
            .collect(),
        ..Default::default()
    }
}
