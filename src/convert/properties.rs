//! EB environment properties and secrets: EB passed its properties to every container (an EB
//! property wins over the Dockerrun's variable of the same name) and `environmentsecrets` as
//! secrets. A compose project is different: EB wrote them to `.env`, so only the containers
//! with `env_file: .env` ([`Dockerrun::properties_via_env_file`]) got them, and the compose
//! file's own `environment` wins there. Computed once, before the containers, and passed to them.

use super::mapper::Mapper;
use super::Ctx;
use crate::codes;
use crate::ecs;
use crate::finding::{Finding, Severity};
use crate::load::dockerrun::{Dockerrun, EnvVar};
use crate::load::settings::Setting;
use std::collections::HashSet;

const APP_ENV: &str = "aws:elasticbeanstalk:application:environment";
const APP_SECRETS: &str = "aws:elasticbeanstalk:application:environmentsecrets";

/// What the EB settings add to the containers.
#[derive(Debug, Clone, Default)]
pub struct Properties {
    /// Each container's environment (in Dockerrun order), EB properties merged in.
    pub envs: Vec<Vec<EnvVar>>,
    /// Secrets of the containers that receive EB's properties.
    pub secrets: Vec<ecs::Secret>,
    /// Whether each container (in Dockerrun order) receives EB's properties and secrets.
    pub receives: Vec<bool>,
}

impl Properties {
    /// The EB secrets container `i` gets.
    pub fn secrets_of(&self, i: usize) -> &[ecs::Secret] {
        if self.receives.get(i).copied().unwrap_or(true) {
            &self.secrets
        } else {
            &[]
        }
    }
}

/// Merge the EB properties into each container's environment and collect the EB secrets.
pub fn properties(ctx: &mut Ctx, m: &Mapper, run: &Dockerrun) -> Properties {
    let props: Vec<(&str, &Setting)> = m.settings.namespace(APP_ENV).collect();
    m.use_namespace(APP_ENV);
    let names: HashSet<&str> = props.iter().map(|(n, _)| *n).collect();
    let receives: Vec<bool> = run
        .containers
        .iter()
        .map(|c| {
            run.properties_via_env_file
                .as_ref()
                .is_none_or(|via| via.contains(&c.name))
        })
        .collect();
    let envs = run
        .containers
        .iter()
        .zip(&receives)
        .map(|(c, receives)| {
            if run.properties_via_env_file.is_some() {
                return env_file_environment(c, *receives, &props);
            }
            defined_twice(ctx, c, &props);
            let mut env: Vec<EnvVar> = c
                .environment
                .iter()
                .filter(|e| !names.contains(e.name.as_str()))
                .cloned()
                .collect();
            env.extend(props.iter().map(|(name, setting)| EnvVar {
                name: name.to_string(),
                value: setting.value.clone(),
                pointer: String::new(),
                origin: Some(setting.source.clone()),
            }));
            env
        })
        .collect();
    if run.containers.len() > 1 && !props.is_empty() && run.properties_via_env_file.is_none() {
        ctx.push(Finding::new(
            codes::ENV_PROPERTIES_ALL_CONTAINERS,
            Severity::Info,
            props[0].1.source.clone(),
            format!(
                "EB passed its {} environment properties to every container, and so does the task definition ({})",
                props.len(),
                run.containers.iter().map(|c| format!("`{}`", c.name)).collect::<Vec<_>>().join(", ")
            ),
            "Remove the variables (and secrets) from the containers that do not use them.",
        ));
    }
    Properties {
        envs,
        secrets: secrets(ctx, m),
        receives,
    }
}

/// A compose container's environment: its own variables, then (when it reads EB's generated
/// `.env`) the properties it does not set itself, since compose's `environment` wins over
/// `env_file`.
fn env_file_environment(
    c: &crate::load::dockerrun::EbContainer,
    receives: bool,
    props: &[(&str, &Setting)],
) -> Vec<EnvVar> {
    let mut env = c.environment.clone();
    if receives {
        let own: HashSet<String> = env.iter().map(|e| e.name.clone()).collect();
        env.extend(
            props
                .iter()
                .filter(|(name, _)| !own.contains(*name))
                .map(|(name, setting)| EnvVar {
                    name: name.to_string(),
                    value: setting.value.clone(),
                    pointer: String::new(),
                    origin: Some(setting.source.clone()),
                }),
        );
    }
    env
}

/// A finding for each EB property the Dockerrun also sets for this container.
fn defined_twice(
    ctx: &mut Ctx,
    c: &crate::load::dockerrun::EbContainer,
    props: &[(&str, &Setting)],
) {
    if c.environment.is_empty() {
        return;
    }
    let in_file: std::collections::HashMap<&str, &EnvVar> =
        c.environment.iter().map(|e| (e.name.as_str(), e)).collect();
    for (name, setting) in props {
        let Some(prev) = in_file.get(name) else {
            continue;
        };
        ctx.push(Finding::new(
            codes::ENV_DEFINED_TWICE,
            Severity::Warning,
            setting.source.clone(),
            format!(
                "`{name}` is set for `{}` both in the Dockerrun ({}) and as an EB environment property; the EB property is used (eb2ecs cannot tell which one EB let win)",
                c.name, prev.pointer
            ),
            "Keep one of them; check the value the container really saw (`docker inspect` on an EB instance).",
        ));
    }
}

/// `environmentsecrets`: references to SSM parameters or Secrets Manager secrets, kept.
fn secrets(ctx: &mut Ctx, m: &Mapper) -> Vec<ecs::Secret> {
    let mut secrets = Vec::new();
    for (name, setting) in m.settings.namespace(APP_SECRETS) {
        secrets.push(ecs::Secret {
            name: name.to_string(),
            value_from: setting.value.clone(),
        });
        ctx.push(Finding::new(
            codes::SECRET_REFERENCE,
            Severity::Info,
            setting.source.clone(),
            format!("`{name}` comes from {} as before; the execution role must be allowed to read it", setting.value),
            "Nothing to do with the CloudFormation stack (it grants exactly this ARN); with the plain JSON, grant it to the execution role.",
        ));
    }
    m.use_namespace(APP_SECRETS);
    secrets
}
