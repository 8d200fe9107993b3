//! EB environment option settings after precedence: one value per `namespace:option`, each
//! remembering where it came from.

use crate::finding::Source;
use std::collections::BTreeMap;

/// Which layer a setting came from; later layers win, as EB applies them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layer {
    /// EB's documented default.
    Default,
    /// An `.ebextensions/*.config` file.
    Ebextensions,
    /// A saved configuration.
    SavedConfig,
    /// Applied to the environment (live, or describe-configuration-settings output).
    Environment,
}

/// One effective option setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The value as text (EB option values are strings).
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
}

impl EnvSettings {
    /// The setting, if present.
    pub fn get(&self, namespace: &str, option: &str) -> Option<&Setting> {
        self.options
            .get(&(namespace.to_string(), option.to_string()))
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

    /// Whether there are no settings at all.
    pub fn is_empty(&self) -> bool {
        self.options.is_empty()
    }
}
