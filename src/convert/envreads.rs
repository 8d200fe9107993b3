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
use crate::load::settings::EnvSettings;
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

/// Most variables named in one finding.
const LISTED: usize = 40;

/// Report the reads nothing defines: the coupled-database ones in one finding, the others in
/// another. `live` says the settings came from the environment (nothing more to fetch).
pub fn report(
    ctx: &mut Ctx,
    reads: &[EnvRead],
    defs: &[ContainerDefinition],
    settings: &EnvSettings,
    live: bool,
) {
    let mut defined: BTreeSet<&str> = PROVIDED.iter().copied().collect();
    for c in defs {
        defined.extend(c.environment.iter().map(|kv| kv.name.as_str()));
        defined.extend(c.secrets.iter().map(|s| s.name.as_str()));
    }
    defined.extend(settings.namespace(APP_ENV).map(|(n, _)| n));
    let missing: Vec<&EnvRead> = reads
        .iter()
        .filter(|r| !defined.contains(r.name.as_str()) && !r.name.starts_with("ECS_"))
        .collect();
    let (rds, other): (Vec<&EnvRead>, Vec<&EnvRead>) = missing
        .into_iter()
        .partition(|r| RDS_VARIABLES.contains(&r.name.as_str()));
    if let Some(first) = rds.first() {
        ctx.push(Finding::new(
            codes::ENV_RDS_COUPLED,
            Severity::Blocker,
            Source::new(&first.file, format!("line {}", first.line)),
            format!("the application reads EB's coupled-database variables, which EB set from the RDS instance it created with the environment and no input holds: {}", listing(&rds)),
            "Set them in the task definition from the database: RDS_HOSTNAME and RDS_PORT from its endpoint (a stack parameter such as DatabaseEndpoint / DatabasePort), RDS_DB_NAME and RDS_USERNAME as plain values, RDS_PASSWORD as a secret (an SSM SecureString or Secrets Manager secret, listed under `secrets`); decouple the database from the EB environment before deleting it.",
        ));
    }
    if let Some(first) = other.first() {
        let action = if live {
            "Set each one the application needs in the task definition (secrets under `secrets`), or confirm it has a default.".to_string()
        } else {
            "EB may hold them (console properties, `eb setenv`): fetch the live environment with `eb2ecs fetch --environment ENVIRONMENT --out settings.json` and convert with `--settings settings.json` (or convert with `--environment ENVIRONMENT`); otherwise set each one the application needs in the task definition.".to_string()
        };
        ctx.push(Finding::new(
            codes::ENV_NOT_IN_INPUTS,
            Severity::Warning,
            Source::new(&first.file, format!("line {}", first.line)),
            format!("the application reads environment variables that nothing in the inputs defines: {}", listing(&other)),
            action,
        ));
    }
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
