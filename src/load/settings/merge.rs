//! EB's order of precedence: the documents of every layer applied in turn (environment > saved
//! configuration > .ebextensions), then EB's documented defaults for whatever is still missing.

use super::{
    is_sensitive_namespace, EnvSettings, Layer, OptionValue, RawOption, Setting, SettingsDoc,
};
use crate::codes;
use crate::finding::{Finding, Severity, Source};
use std::collections::btree_map::Entry;

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
        take_document_facts(&mut out, doc);
        for opt in &doc.options {
            apply_option(&mut out, &mut findings, doc, opt);
        }
    }
    fill_defaults(&mut out);
    (out, findings)
}

/// The facts a document states besides its options; a later layer's statement wins.
fn take_document_facts(out: &mut EnvSettings, doc: &SettingsDoc) {
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
}

/// Apply one option over what the lower layers said.
fn apply_option(
    out: &mut EnvSettings,
    findings: &mut Vec<Finding>,
    doc: &SettingsDoc,
    opt: &RawOption,
) {
    let source = Source::new(doc.file.clone(), opt.location());
    let key = (opt.namespace.clone(), opt.option.clone());
    let value = match &opt.value {
        OptionValue::Text(t) => t.clone(),
        OptionValue::List(items) => {
            findings.push(list_value(opt, source.clone()));
            items.join(",")
        }
        OptionValue::Intrinsic(what) => {
            // EB would use the expression's value, not a lower layer's: keeping that one would
            // migrate a value EB never ran with.
            out.options.remove(&key);
            findings.push(intrinsic_value(opt, what, source));
            return;
        }
        OptionValue::Unsupported(what) => {
            findings.push(unreadable_value(opt, what, source));
            return;
        }
    };
    if let Some(prev) = out.options.get(&key) {
        if prev.value != value {
            findings.push(overridden(prev, doc, opt, &value, source.clone()));
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

fn list_value(opt: &RawOption, source: Source) -> Finding {
    Finding::new(
        codes::SETTING_LIST_VALUE,
        Severity::Info,
        source,
        format!(
            "{} is a list; read as the comma-separated text EB would store",
            opt.location()
        ),
        "Nothing to do.",
    )
}

fn intrinsic_value(opt: &RawOption, what: &str, source: Source) -> Finding {
    Finding::new(
        codes::SETTING_INTRINSIC,
        Severity::Warning,
        source,
        format!("{} is set with a CloudFormation expression ({what}) that only EB can resolve when it deploys; it is left out", opt.location()),
        format!("Look up the value EB resolved (`eb printenv` or the environment's configuration) and set it for ECS by hand{}.",
            if is_sensitive_namespace(&opt.namespace) { " (in the task definition's environment, or as a secret)" } else { "" }),
    )
}

fn unreadable_value(opt: &RawOption, what: &str, source: Source) -> Finding {
    Finding::new(
        codes::SETTING_UNREADABLE,
        Severity::Warning,
        source,
        format!(
            "{} is {what}, which is not an option value; it is left out",
            opt.location()
        ),
        "Check what EB did with it.",
    )
}

/// Whether an option's values may be repeated in a finding: not in a namespace of environment
/// properties, and neither its name nor either value looks like a secret.
fn may_show(opt: &RawOption, values: &[&str]) -> bool {
    !is_sensitive_namespace(&opt.namespace)
        && values
            .iter()
            .all(|v| crate::detect::secret_reason(&opt.option, v).is_none())
}

/// A lower layer's value replaced by a different one; secrets are named but not shown.
fn overridden(
    prev: &Setting,
    doc: &SettingsDoc,
    opt: &RawOption,
    value: &str,
    source: Source,
) -> Finding {
    let shown = if !may_show(opt, &[&prev.value, value]) {
        " (values not shown: they may be secrets)".to_string()
    } else {
        format!(" ({:?} -> {:?})", prev.value, value)
    };
    Finding::new(
        codes::SETTING_OVERRIDDEN,
        Severity::Info,
        source,
        format!(
            "{}:{} from {} ({}) is overridden by {} ({}){shown}, as EB applies them",
            opt.namespace,
            opt.option,
            prev.source.file,
            prev.layer.name(),
            doc.file,
            doc.layer.name()
        ),
        "Nothing to do, unless the overridden value is the one you meant.",
    )
}

/// EB's defaults, for the options no layer set (or set only with an expression).
fn fill_defaults(out: &mut EnvSettings) {
    for (ns, opt, val) in DEFAULTS {
        let key = (ns.to_string(), opt.to_string());
        if let Entry::Vacant(e) = out.options.entry(key) {
            e.insert(Setting {
                value: val.to_string(),
                source: Source::new("EB default", format!("{ns}:{opt}")),
                layer: Layer::Default,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::load::settings::test_doc as doc;

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

    #[test]
    fn secret_options_are_masked_in_every_namespace() {
        let docs = vec![
            doc(
                "a",
                Layer::Ebextensions,
                &[("aws:rds:dbinstance", "DBPassword", "hunter2a")],
            ),
            doc(
                "b",
                Layer::SavedConfig,
                &[("aws:rds:dbinstance", "DBPassword", "hunter2b")],
            ),
            doc(
                "a",
                Layer::Ebextensions,
                &[("aws:x", "Url", "postgres://u:pwa@db/x")],
            ),
            doc(
                "b",
                Layer::SavedConfig,
                &[("aws:x", "Url", "postgres://u:pwb@db/x")],
            ),
            doc(
                "a",
                Layer::Ebextensions,
                &[("aws:autoscaling:asg", "MaxSize", "2")],
            ),
            doc(
                "b",
                Layer::SavedConfig,
                &[("aws:autoscaling:asg", "MaxSize", "5")],
            ),
        ];
        let (s, findings) = merge(&docs);
        assert_eq!(
            s.value("aws:rds:dbinstance", "DBPassword"),
            Some("hunter2b")
        );
        let texts: Vec<String> = findings
            .iter()
            .filter(|f| f.code == "SETTING-OVERRIDDEN")
            .map(|f| format!("{} {}", f.message, f.action))
            .collect();
        assert_eq!(texts.len(), 3, "{texts:?}");
        for t in &texts[..2] {
            assert!(
                !t.contains("hunter2") && !t.contains("pwa") && !t.contains("pwb"),
                "{t}"
            );
            assert!(t.contains("values not shown"), "{t}");
        }
        assert!(texts[2].contains("\"2\" -> \"5\""), "{}", texts[2]);
    }
}
