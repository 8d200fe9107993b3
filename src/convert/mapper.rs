//! The [`Mapper`]: reads the effective EB settings and remembers which options a rule used, so
//! every option that was set but not used can be reported. Shared by every settings rule.

use super::Ctx;
use crate::codes;
use crate::finding::{Finding, Severity};
use crate::load::settings::{EnvSettings, Setting};
use std::cell::RefCell;
use std::collections::BTreeSet;

/// The default process namespace.
pub(crate) const PROCESS: &str = "aws:elasticbeanstalk:environment:process:default";

/// Reads settings and remembers which were used, so the rest can be reported.
pub struct Mapper<'a> {
    /// The effective settings (reading them here does not mark them as used).
    pub(crate) settings: &'a EnvSettings,
    used: RefCell<BTreeSet<(String, String)>>,
}

impl<'a> Mapper<'a> {
    /// A mapper over the effective settings.
    pub fn new(settings: &'a EnvSettings) -> Self {
        Mapper {
            settings,
            used: RefCell::new(BTreeSet::new()),
        }
    }

    /// The setting (marked as used).
    pub fn get(&self, ns: &str, opt: &str) -> Option<&'a Setting> {
        self.used
            .borrow_mut()
            .insert((ns.to_string(), opt.to_string()));
        self.settings
            .get(ns, opt)
            .filter(|s| !s.value.trim().is_empty())
    }

    /// The value (marked as used).
    pub fn value(&self, ns: &str, opt: &str) -> Option<&'a str> {
        self.get(ns, opt).map(|s| s.value.trim())
    }

    /// A whole-number option whose default is EB's, from the one table of EB's defaults
    /// ([`crate::load::settings::DEFAULTS`], which the merge applies too).
    pub(crate) fn number(&self, ctx: &mut Ctx, ns: &str, opt: &str) -> u32 {
        let default = eb_default(ns, opt)
            .and_then(|d| d.parse().ok())
            .unwrap_or_else(|| {
                // A rule reading an option with a default must find it in the table: stating
                // it beside the rule would state it twice.
                debug_assert!(false, "{ns}:{opt} has no whole-number default in DEFAULTS");
                0
            });
        self.read_number(ctx, ns, opt, default)
    }

    /// A whole-number option EB has no documented default for: `default` is eb2ecs's choice.
    pub(crate) fn number_or(&self, ctx: &mut Ctx, ns: &str, opt: &str, default: u32) -> u32 {
        debug_assert!(
            eb_default(ns, opt).is_none(),
            "{ns}:{opt} has EB's default in DEFAULTS: use Mapper::number"
        );
        self.read_number(ctx, ns, opt, default)
    }

    fn read_number(&self, ctx: &mut Ctx, ns: &str, opt: &str, default: u32) -> u32 {
        match self.get(ns, opt) {
            None => default,
            Some(s) => match s.value.trim().parse::<u32>() {
                Ok(n) => n,
                Err(_) => {
                    ctx.push(Finding::new(
                        codes::SETTING_BAD_NUMBER,
                        Severity::Warning,
                        s.source.clone(),
                        format!(
                            "{ns}:{opt} is {:?}, not a whole number; {default} is used",
                            s.value
                        ),
                        "Fix the value in the EB settings.",
                    ));
                    default
                }
            },
        }
    }

    /// An option whose default is EB's, from the one table of EB's defaults.
    pub(crate) fn text(&self, ns: &str, opt: &str) -> &'a str {
        self.value(ns, opt).unwrap_or_else(|| {
            let d = eb_default(ns, opt);
            debug_assert!(d.is_some(), "{ns}:{opt} has no default in DEFAULTS");
            d.unwrap_or_default()
        })
    }

    pub(crate) fn flag(&self, ns: &str, opt: &str) -> Option<bool> {
        self.value(ns, opt).map(|v| v.eq_ignore_ascii_case("true"))
    }

    /// Mark a whole namespace as used.
    pub(crate) fn use_namespace(&self, ns: &str) {
        for (opt, _) in self.settings.namespace(ns) {
            self.used
                .borrow_mut()
                .insert((ns.to_string(), opt.to_string()));
        }
    }

    /// Every `(namespace, option)` a rule read.
    pub fn into_used(self) -> BTreeSet<(String, String)> {
        self.used.into_inner()
    }

    pub(crate) fn is_used(&self, ns: &str, opt: &str) -> bool {
        self.used
            .borrow()
            .contains(&(ns.to_string(), opt.to_string()))
    }
}

/// A comma-separated option value as a list.
pub(crate) fn split_list(v: &str) -> Vec<String> {
    v.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// EB's default for an option, from the one table.
pub(crate) fn eb_default(ns: &str, opt: &str) -> Option<&'static str> {
    crate::load::settings::DEFAULTS
        .iter()
        .find(|(n, o, _)| *n == ns && *o == opt)
        .map(|(_, _, v)| *v)
}
