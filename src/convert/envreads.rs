//! What EB held that the bundle does not: the environment variables the application reads
//! (`load::envreads`, with file and line) that nothing in the inputs defines — not the
//! containers' environment or secrets, not EB's environment properties, not the runtime. EB set
//! them from the console, `eb setenv`, or a coupled RDS database (`RDS_*`); offline, the finding
//! gives the command that fetches them.

use super::Ctx;
use crate::codes;
use crate::ecs::ContainerDefinition;
use crate::finding::{Finding, Severity, Source};
use crate::load::envreads::EnvRead;
use crate::load::settings::{EnvSettings, Layer, OptionValue, RawOption, SettingsDoc};
use crate::model::DatabaseParam;
use std::collections::BTreeSet;

const APP_ENV: &str = "aws:elasticbeanstalk:application:environment";

/// The variables EB's coupled RDS database set on the instances.
pub const RDS_VARIABLES: &[&str] = &[
    "RDS_HOSTNAME",
    "RDS_PORT",
    "RDS_DB_NAME",
    "RDS_USERNAME",
    "RDS_PASSWORD",
];

/// Variables the runtime, ECS or the platform's image set: never missing.
const PROVIDED: &[&str] = &[
    "PORT",
    "HOME",
    "PATH",
    "HOSTNAME",
    "PWD",
    "USER",
    "LANG",
    "TZ",
    "TMPDIR",
    "NODE_ENV",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_EXECUTION_ENV",
];

/// What each coupled-database variable is set to in the task: a value the user replaces, named
/// after the stack parameter that holds it (the password goes to a secret as every
/// secret-looking property does, its value typed in when the parameter is created).
const RDS_VALUES: &[(&str, &str)] = &[
    ("RDS_HOSTNAME", "DatabaseEndpoint"),
    ("RDS_PORT", "DatabasePort"),
    ("RDS_DB_NAME", "DatabaseName"),
    ("RDS_USERNAME", "DatabaseUsername"),
    ("RDS_PASSWORD", "DatabasePassword"),
];

/// What each coupled-database stack parameter holds, for its description.
const RDS_WHAT: &[(&str, &str)] = &[
    ("DatabaseEndpoint", "endpoint address"),
    ("DatabasePort", "port"),
    ("DatabaseName", "database name"),
    ("DatabaseUsername", "master user name"),
];

/// The port of each engine EB's `aws:rds:dbinstance` `DBEngine` names (RDS's defaults).
const ENGINE_PORTS: &[(&str, &str)] = &[
    ("postgres", "5432"),
    ("mysql", "3306"),
    ("mariadb", "3306"),
    ("aurora", "3306"),
    ("aurora-mysql", "3306"),
    ("aurora-postgresql", "5432"),
    ("oracle", "1521"),
    ("sqlserver", "1433"),
];

/// The stack parameters of the coupled-database variables the containers' environment holds as
/// `<Parameter>` placeholders ([`with_rds`]): the deployment asks for them; the port defaults to
/// the engine's when EB's settings name the engine (`aws:rds:dbinstance` `DBEngine`).
pub fn params(settings: &EnvSettings, defs: &[ContainerDefinition]) -> Vec<DatabaseParam> {
    let engine = settings
        .value("aws:rds:dbinstance", "DBEngine")
        .map(|e| e.trim().to_ascii_lowercase());
    let port = engine.as_deref().and_then(|e| {
        ENGINE_PORTS
            .iter()
            .find(|(n, _)| e == *n || e.starts_with(&format!("{n}-")))
            .map(|(_, p)| (*p).to_string())
    });
    RDS_VALUES
        .iter()
        .filter_map(|(variable, name)| {
            let what = RDS_WHAT.iter().find(|(n, _)| n == name)?.1;
            let placeholder = format!("<{name}>");
            let used = defs.iter().any(|c| {
                c.environment
                    .iter()
                    .any(|kv| kv.name == *variable && kv.value == placeholder)
            });
            used.then(|| DatabaseParam {
                name: name.to_string(),
                variable: variable.to_string(),
                description: format!(
                    "The {what} of the database EB coupled to the environment ({variable}; EB console Configuration > Database, or aws rds describe-db-instances)"
                ),
                default: (*name == "DatabasePort").then(|| port.clone()).flatten(),
            })
        })
        .collect()
}

/// Where the coupled-database properties come from, as findings name it.
pub const RDS_SOURCE: &str = "EB's coupled RDS database";

/// The settings with EB's coupled-database variables added as environment properties (lowest
/// layer) when the code reads them and neither the settings nor the Dockerrun define them.
pub fn with_rds(
    docs: &[SettingsDoc],
    reads: &[EnvRead],
    run: &crate::load::dockerrun::Dockerrun,
) -> Vec<SettingsDoc> {
    let defined = |name: &str| {
        docs.iter().any(|d| {
            d.options
                .iter()
                .any(|o| o.namespace == APP_ENV && o.option == name)
        }) || run
            .containers
            .iter()
            .any(|c| c.environment.iter().any(|e| e.name == name))
    };
    let options: Vec<RawOption> = RDS_VALUES
        .iter()
        .filter(|(n, _)| reads.iter().any(|r| r.name == *n) && !defined(n))
        .map(|(n, parameter)| RawOption {
            namespace: APP_ENV.to_string(),
            option: n.to_string(),
            resource: None,
            value: OptionValue::Text(format!("<{parameter}>")),
        })
        .collect();
    let mut out = docs.to_vec();
    if !options.is_empty() {
        out.insert(
            0,
            SettingsDoc {
                file: RDS_SOURCE.to_string(),
                layer: Layer::Default,
                options,
                ..Default::default()
            },
        );
    }
    out
}

/// Most variables named in one finding.
const LISTED: usize = 40;

/// Report the reads nothing defines: the coupled-database ones in one finding, the others in
/// another. `live` says the settings came from the environment (nothing more to fetch).
pub fn report(
    ctx: &mut Ctx,
    reads: &[EnvRead],
    defs: &[ContainerDefinition],
    settings: &EnvSettings,
    (live, environments): (bool, &[&str]),
) -> Vec<DatabaseParam> {
    let mut defined: BTreeSet<&str> = PROVIDED.iter().copied().collect();
    for c in defs {
        defined.extend(c.environment.iter().map(|kv| kv.name.as_str()));
        defined.extend(c.secrets.iter().map(|s| s.name.as_str()));
    }
    defined.extend(settings.namespace(APP_ENV).map(|(n, _)| n));
    // The coupled-database variables [`with_rds`] added are reported, not taken as defined.
    let from_rds = |name: &str| {
        settings
            .namespace(APP_ENV)
            .any(|(n, s)| n == name && s.source.file == RDS_SOURCE)
    };
    let rds: Vec<&EnvRead> = reads.iter().filter(|r| from_rds(&r.name)).collect();
    let other: Vec<&EnvRead> = reads
        .iter()
        .filter(|r| !defined.contains(r.name.as_str()) && !r.name.starts_with("ECS_"))
        .filter(|r| !RDS_VARIABLES.contains(&r.name.as_str()))
        .collect();
    let params = params(settings, defs);
    if let Some(first) = rds.first() {
        ctx.push(Finding::new(
            codes::ENV_RDS_COUPLED,
            Severity::Warning,
            Source::new(&first.file, format!("line {}", first.line)),
            format!("the application reads EB's coupled-database variables, which EB set from the RDS instance it created with the environment and no input holds: {}; {}", listing(&rds), rds_handling(&params)),
            if params.is_empty() {
                "Create the RDS_PASSWORD secret as the checklist says, let the database's security group admit the tasks' security group, and decouple the database from the EB environment before terminating it."
            } else {
                "Pass the database's values when deploying (the checklist's deploy command asks for them; the EB console's Configuration > Database, or `aws rds describe-db-instances`), create the RDS_PASSWORD secret as the checklist says, let the database's security group admit the tasks (the checklist's `aws ec2 authorize-security-group-ingress` step), and decouple the database from the EB environment before terminating it."
            },
        ));
    }
    if let Some(first) = other.first() {
        let action = if live {
            "Set each one the application needs in the task definition (secrets under `secrets`), or confirm it has a default.".to_string()
        } else {
            fetch_action(environments)
        };
        ctx.push(Finding::new(
            codes::ENV_NOT_IN_INPUTS,
            Severity::Warning,
            Source::new(&first.file, format!("line {}", first.line)),
            format!("the application reads environment variables that nothing in the inputs defines: {}", listing(&other)),
            action,
        ));
    }
    params
}

/// How the task gets the coupled-database values: stack parameters and Terraform variables
/// (`<Name>` placeholders in task-definition.json), the password a secret.
fn rds_handling(params: &[DatabaseParam]) -> String {
    let names: Vec<String> = params
        .iter()
        .map(|p| match &p.default {
            Some(d) => format!("{} (default {d})", p.name),
            None => format!("{} (required)", p.name),
        })
        .collect();
    let vars: Vec<String> = params
        .iter()
        .map(|p| {
            format!(
                "database_{}",
                p.name.trim_start_matches("Database").to_ascii_lowercase()
            )
        })
        .collect();
    let mut text = String::new();
    if !params.is_empty() {
        text = format!(
            "the stack sets them from its parameters {} (Terraform variables {}; task-definition.json holds <{}> placeholders), ",
            names.join(", "),
            vars.join(", "),
            params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(">, <")
        );
    }
    text.push_str("RDS_PASSWORD comes from a secret, and the database admits only what its security group allows");
    text
}

/// The commands that fetch the live environment's properties: for the environment the `eb`
/// CLI's config.yml names (each one, when its branches name several), else `ENVIRONMENT`.
fn fetch_action(environments: &[&str]) -> String {
    let mut names: Vec<&str> = environments.to_vec();
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        names.push("ENVIRONMENT");
    }
    let commands: Vec<String> = names
        .iter()
        .map(|e| {
            let out = crate::text::sh(&format!("{e}.json"));
            format!(
                "`eb2ecs fetch --environment {} --out {out}` then convert with `--settings {out}`",
                crate::text::sh(e)
            )
        })
        .collect();
    format!(
        "EB may hold them (console properties, `eb setenv`): {} (or convert with `--environment` directly); otherwise set each one the application needs in the task definition.",
        commands.join("; or ")
    )
}

/// `NAME (file:line)`, one per name (its first read), at most [`LISTED`].
fn listing(reads: &[&EnvRead]) -> String {
    let mut seen = BTreeSet::new();
    let firsts: Vec<String> = reads
        .iter()
        .filter(|r| seen.insert(r.name.as_str()))
        .map(|r| format!("{} ({}:{})", r.name, r.file, r.line))
        .collect();
    let more = firsts.len().saturating_sub(LISTED);
    let mut text = firsts
        .into_iter()
        .take(LISTED)
        .collect::<Vec<_>>()
        .join(", ");
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::tests_support::settings;
    use crate::ecs::KeyValue;

    fn container(env: &[(&str, &str)]) -> ContainerDefinition {
        ContainerDefinition {
            name: "web".into(),
            environment: env
                .iter()
                .map(|(n, v)| KeyValue {
                    name: n.to_string(),
                    value: v.to_string(),
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn placeholders_become_parameters_and_the_engine_gives_the_port() {
        let defs = [container(&[
            ("RDS_HOSTNAME", "<DatabaseEndpoint>"),
            ("RDS_PORT", "<DatabasePort>"),
            ("RDS_DB_NAME", "set-by-hand"),
        ])];
        let s = settings(&[("aws:rds:dbinstance", "DBEngine", "postgres")]);
        let p = params(&s, &defs);
        let got: Vec<_> = p
            .iter()
            .map(|p| (p.name.as_str(), p.variable.as_str(), p.default.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("DatabaseEndpoint", "RDS_HOSTNAME", None),
                ("DatabasePort", "RDS_PORT", Some("5432")),
            ]
        );
    }

    #[test]
    fn without_an_engine_the_port_is_required() {
        let defs = [container(&[("RDS_PORT", "<DatabasePort>")])];
        let p = params(&EnvSettings::default(), &defs);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].default, None);
    }
}
