//! One EB container to one ECS container definition: image, environment and secrets, fields
//! the launch type does not allow, logging, volumes and mounts.

use super::secrets;
use super::Ctx;
use crate::codes;
use crate::detect::{placeholder_reason, secret_in_text, secret_reason};
use crate::ecs;
use crate::finding::{Finding, Phase, Severity};
use crate::load::dockerrun::{Dockerrun, EbContainer, EbMount, EbVolume, EnvVar};
use crate::model::{BakeFile, LaunchType, SecretParam, SecretsMode};
use crate::text::{code, escape, sh, valid_arn, valid_env_name, valid_region};
use std::collections::{BTreeMap, HashSet};

/// Where EB put the application source bundle on the instance.
const APP_BUNDLE: &str = "/var/app/current";

/// Log drivers Fargate supports.
const FARGATE_LOG_DRIVERS: &[&str] = &["awslogs", "splunk", "awsfirelens"];

/// Convert the fields of one container that do not depend on the other containers.
///
/// `env` is the container's environment with EB's properties merged in; `eb_secrets` are the
/// secrets EB gave every container.
pub fn container(
    ctx: &mut Ctx,
    run: &Dockerrun,
    c: &EbContainer,
    env: &[EnvVar],
    eb_secrets: &[ecs::Secret],
) -> ecs::ContainerDefinition {
    if let Some((moved, extra)) = health_check_secrets(ctx, c) {
        let mut env = env.to_vec();
        env.extend(extra);
        return container(ctx, run, &moved, &env, eb_secrets);
    }
    let fargate = ctx.launch_type == LaunchType::Fargate;
    let image = image(ctx, c);
    let mut def = ecs::ContainerDefinition {
        name: c.name.clone(),
        image,
        essential: c.essential,
        cpu: c.cpu,
        memory: c.memory,
        memory_reservation: c.memory_reservation,
        command: c.command.clone(),
        entry_point: c.entry_point.clone(),
        working_directory: c.working_directory.clone(),
        user: c.user.clone(),
        readonly_root_filesystem: c.readonly_root_filesystem,
        docker_labels: c.docker_labels.clone(),
        ulimits: c.ulimits.clone(),
        health_check: c.health_check.clone(),
        depends_on: c.depends_on.clone(),
        repository_credentials: c.repository_credentials.clone(),
        stop_timeout: c.stop_timeout,
        start_timeout: c.start_timeout,
        secrets: c.secrets.clone(),
        other: c.other.clone(),
        ..Default::default()
    };
    environment(ctx, c, env, &mut def);
    secrets_in_command(ctx, c);
    for s in eb_secrets {
        if !def.secrets.iter().any(|x| x.name == s.name) {
            def.secrets.push(s.clone());
        }
    }
    if fargate {
        fargate_fields(ctx, c, &mut def);
    } else {
        ec2_fields(ctx, c, &mut def);
    }
    def.log_configuration = log_configuration(ctx, c, fargate);
    registry_credentials(ctx, run, &mut def);
    def
}

/// The host-level fields only the EC2 launch type keeps.
fn ec2_fields(ctx: &mut Ctx, c: &EbContainer, def: &mut ecs::ContainerDefinition) {
    def.hostname = c.hostname.clone();
    def.privileged = c.privileged;
    def.extra_hosts = c.extra_hosts.clone();
    def.dns_servers = c.dns_servers.clone();
    def.dns_search_domains = c.dns_search_domains.clone();
    def.linux_parameters = c.linux_parameters.clone();
    if c.privileged == Some(true) {
        ctx.push(Finding::new(
            codes::EC2_PRIVILEGED,
            Severity::Warning,
            ctx.src(&format!("{}/privileged", c.pointer)),
            format!("container `{}` runs privileged", c.name),
            "Keep it only if the container really needs full host access; prefer linuxParameters.capabilities.",
        ));
    }
}

/// The image, or a placeholder, with a finding when it is one.
fn image(ctx: &mut Ctx, c: &EbContainer) -> String {
    match &c.image {
        Some(img) => {
            if let Some(why) = placeholder_reason(img) {
                ctx.placeholder_images.push((c.name.clone(), img.clone()));
                ctx.push(Finding::new(
                    codes::IMAGE_PLACEHOLDER,
                    Severity::Blocker,
                    ctx.src(&c.image_pointer),
                    format!("image of {} is {}, which {why}; it is kept as written", code(&c.name), code(img)),
                    "Replace it with the real image URI (registry/repository:tag) before registering the task definition.",
                ));
            }
            img.clone()
        }
        None => {
            let placeholder = format!(
                "{}.dkr.ecr.{}.amazonaws.com/{}:latest",
                ctx.account, ctx.region, c.name
            );
            ctx.placeholder_images
                .push((c.name.clone(), placeholder.clone()));
            placeholder
        }
    }
}

/// Plain environment variables, with secret-looking ones moved to `secrets`.
fn environment(ctx: &mut Ctx, c: &EbContainer, env: &[EnvVar], def: &mut ecs::ContainerDefinition) {
    for var in env {
        let source = var.origin.clone().unwrap_or_else(|| ctx.src(&var.pointer));
        let reason = crate::detect::secret_reason(&var.name, &var.value);
        match (reason, ctx.secrets_mode) {
            (Some(why), SecretsMode::Plain) => {
                ctx.push(Finding::new(
                    codes::SECRET_IN_PLAIN_TEXT,
                    Severity::Warning,
                    source,
                    format!(
                        "`{}` of `{}` stays a plain environment variable because --secrets plain was given, though {why}",
                        var.name, c.name
                    ),
                    "Move it to SSM Parameter Store or Secrets Manager and reference it in `secrets`.",
                ));
                def.environment.push(ecs::KeyValue {
                    name: var.name.clone(),
                    value: var.value.clone(),
                });
            }
            (Some(why), mode) => {
                let multiline = secrets::looks_multiline(&var.name, &var.value);
                let value_from =
                    add_secret(ctx, &c.name, (&var.name, multiline), mode, source, why);
                def.secrets.push(ecs::Secret {
                    name: var.name.clone(),
                    value_from,
                });
            }
            (None, _) => {
                if crate::detect::looks_random(&var.value) {
                    ctx.push(Finding::new(
                        codes::SECRET_POSSIBLE,
                        Severity::Warning,
                        source,
                        format!(
                            "`{}` of `{}` holds a random-looking value ({} characters, like a key or token) under a name that does not say so; it stays a plain environment variable",
                            escape(&var.name),
                            escape(&c.name),
                            var.value.len()
                        ),
                        "If it is a credential, move it to SSM Parameter Store or Secrets Manager and reference it in `secrets` (or name it ..._KEY / ..._SECRET and run eb2ecs again); rotate it: it was in the EB settings.",
                    ));
                }
                def.environment.push(ecs::KeyValue {
                    name: var.name.clone(),
                    value: var.value.clone(),
                })
            }
        }
    }
}

/// A `CMD-SHELL` health check with a literal credential (`Authorization: Bearer ...`): the
/// container with the credential replaced by a variable reference, and the variable, which
/// the conversion then moves to `secrets` like any secret variable. `None` when there is none.
fn health_check_secrets(ctx: &mut Ctx, c: &EbContainer) -> Option<(EbContainer, Vec<EnvVar>)> {
    let hc = c.health_check.as_ref()?;
    let [kind, text] = hc.command.as_slice() else {
        return None;
    };
    if kind != "CMD-SHELL" {
        return None;
    }
    let prefix = format!("{}_healthcheck", c.name);
    let moved = secrets::move_shell_secrets(text, &prefix)?;
    let mut out = c.clone();
    if let Some(h) = out.health_check.as_mut() {
        h.command = vec![kind.clone(), moved.command.clone()];
    }
    let origin = ctx.src(&format!("{}/healthCheck/command/1", c.pointer));
    let what = format!("the health check of `{}`", escape(&c.name));
    ctx.push(secrets::moved_finding(&what, origin.clone(), &moved));
    let vars = moved
        .vars
        .into_iter()
        .map(|(name, value)| EnvVar {
            name,
            value,
            pointer: format!("{}/healthCheck/command/1", c.pointer),
            origin: Some(origin.clone()),
        })
        .collect();
    Some((out, vars))
}

/// A finding for each argument of `command` / `entryPoint` and each docker label that looks like
/// a secret: eb2ecs cannot move part of a command into `secrets`, and never repeats the value.
fn secrets_in_command(ctx: &mut Ctx, c: &EbContainer) {
    let mut places: Vec<(String, &'static str)> = Vec::new();
    let health = c.health_check.as_ref().map(|h| h.command.clone());
    for (field, args) in [
        ("command", &c.command),
        ("entryPoint", &c.entry_point),
        ("healthCheck/command", &health),
    ] {
        let args = args.as_deref().unwrap_or_default();
        for (i, arg) in args.iter().enumerate() {
            // `--password VALUE`: the flag names the secret, the next argument holds it.
            let by_flag = i
                .checked_sub(1)
                .map(|p| &args[p])
                .filter(|p| p.starts_with('-') && !arg.starts_with(['-', '/', '.']))
                .and_then(|p| secret_reason(p.trim_start_matches('-'), arg));
            if let Some(why) = by_flag.or_else(|| secret_in_text(arg)) {
                places.push((format!("{field}/{i}"), why));
            }
        }
    }
    for (key, value) in &c.docker_labels {
        if let Some(why) = secret_reason(key, value).or_else(|| secret_in_text(value)) {
            places.push((format!("dockerLabels/{}", escape(key)), why));
        }
    }
    for (place, why) in places {
        ctx.push(Finding::new(
            codes::SECRET_IN_COMMAND,
            Severity::Warning,
            ctx.src(&format!("{}/{place}", c.pointer)),
            format!(
                "`{place}` of `{}` holds a value that looks like a secret ({why}); eb2ecs cannot move part of a command or a label, so it is kept as written and readable by anyone who can describe the task definition",
                escape(&c.name)
            ),
            "Move the value into an environment variable that comes from `secrets` (SSM or Secrets Manager), make the command read it from there, and rotate it: it was in the Dockerrun.",
        ));
    }
}

/// Record a secret parameter (shared by every container that needs the same variable) and
/// return its valueFrom.
pub fn add_secret(
    ctx: &mut Ctx,
    container: &str,
    (env_name, multiline): (&str, bool),
    mode: SecretsMode,
    source: crate::finding::Source,
    why: &str,
) -> String {
    let name = secrets::parameter_name(mode, &ctx.family, env_name);
    let value_from = secrets::value_from(mode, &ctx.region, &ctx.account, &name);
    if let Some(existing) = ctx.secrets.iter_mut().find(|s| s.env_name == env_name) {
        if !existing.containers.iter().any(|c| c == container) {
            existing.containers.push(container.to_string());
        }
        return existing.value_from.clone();
    }
    ctx.push(Finding::new(
        codes::SECRET_MOVED,
        Severity::Blocker,
        source.clone(),
        format!(
            "{} of {} was a plain environment variable; {why}, so it now comes from {} {} (its value is not written anywhere)",
            code(env_name),
            code(container),
            match mode {
                SecretsMode::Secretsmanager => "the Secrets Manager secret",
                _ => "the SSM SecureString parameter",
            },
            code(&name)
        ),
        create_action(ctx, mode, (env_name, multiline), &name),
    ));
    ctx.secrets.push(SecretParam {
        containers: vec![container.to_string()],
        env_name: env_name.to_string(),
        name,
        value_from: value_from.clone(),
        store: mode,
        source,
    });
    value_from
}

/// What to do about a moved secret: the create command (the value typed at a prompt, never on
/// the command line), and a warning for each input that does not follow its grammar.
fn create_action(
    ctx: &Ctx,
    mode: SecretsMode,
    (env_name, multiline): (&str, bool),
    name: &str,
) -> String {
    let kms = ctx.secrets_kms_key.as_deref();
    let mut checks = Vec::new();
    if !valid_env_name(env_name) {
        checks.push("the variable's name is not a valid environment variable name, so check the parameter name");
    }
    if !valid_region(&ctx.region) {
        checks.push("the region is not an AWS region name");
    }
    if kms.is_some_and(|k| !(valid_arn(k) || k.starts_with("alias/") || is_key_id(k))) {
        checks.push("the KMS key is not a key ARN, alias or key id");
    }
    let mut action = if multiline {
        // A multi-line value pasted at `read` keeps its first line and runs the rest.
        format!(
            "Its value looks multi-line (a key or certificate), which cannot be pasted at a prompt: save EB's value in a file outside the repository, then type the file's path at the prompt: {}; delete the file afterwards.",
            code(&secrets::create_command_from_file(mode, &ctx.region, name, kms))
        )
    } else {
        format!(
            "Create it with the value from EB (paste it at the silent prompt, then press Enter): {}",
            code(&secrets::create_command(mode, &ctx.region, name, kms))
        )
    };
    if !checks.is_empty() {
        action.push_str(&format!(" Before running it: {}.", checks.join("; ")));
    }
    action
}

/// A KMS key id: a UUID.
fn is_key_id(k: &str) -> bool {
    k.len() == 36 && k.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

/// Drop what Fargate does not allow, with a finding each.
fn fargate_fields(ctx: &mut Ctx, c: &EbContainer, def: &mut ecs::ContainerDefinition) {
    awsvpc_host_fields(ctx, c);
    if let Some(kept) = fargate_linux_parameters(ctx, c) {
        def.linux_parameters = Some(kept);
    }
    if def.other.remove("dockerSecurityOptions").is_some() {
        ctx.push(Finding::new(
            codes::FARGATE_FIELD_DROPPED,
            Severity::Warning,
            ctx.src(&format!("{}/dockerSecurityOptions", c.pointer)),
            format!(
                "dockerSecurityOptions of `{}` is not supported on Fargate and was dropped",
                c.name
            ),
            "Use --launch-type ec2 if the container needs them.",
        ));
    }
}

/// Findings for the host and DNS fields awsvpc has no place for (the definition never gets them).
fn awsvpc_host_fields(ctx: &mut Ctx, c: &EbContainer) {
    let p = &c.pointer;
    if let Some(h) = &c.hostname {
        ctx.push(Finding::new(
            codes::FARGATE_HOSTNAME_DROPPED,
            Severity::Info,
            ctx.src(&format!("{p}/hostname")),
            format!("hostname `{h}` of `{}` is not allowed under awsvpc and was dropped", c.name),
            "Containers of one task reach each other on localhost; nothing else to do unless the application reads its own hostname.",
        ));
    }
    if c.privileged == Some(true) {
        ctx.push(Finding::new(
            codes::FARGATE_PRIVILEGED,
            Severity::Blocker,
            ctx.src(&format!("{p}/privileged")),
            format!("`{}` ran privileged; Fargate does not allow privileged containers, so it was dropped", c.name),
            "Check the container works without it, or use --launch-type ec2.",
        ));
    }
    for (key, present) in [
        ("extraHosts", !c.extra_hosts.is_empty()),
        ("dnsServers", !c.dns_servers.is_empty()),
        ("dnsSearchDomains", !c.dns_search_domains.is_empty()),
    ] {
        if present {
            ctx.push(Finding::new(
                codes::FARGATE_FIELD_DROPPED,
                Severity::Warning,
                ctx.src(&format!("{p}/{key}")),
                format!(
                    "{key} of `{}` is not allowed on Fargate (awsvpc) and was dropped",
                    c.name
                ),
                "Use Route 53 private hosted zones or VPC DNS instead.",
            ));
        }
    }
}

/// The part of linuxParameters Fargate accepts, or `None` when nothing of it is left.
fn fargate_linux_parameters(ctx: &mut Ctx, c: &EbContainer) -> Option<ecs::LinuxParameters> {
    let lp = c.linux_parameters.as_ref()?;
    let p = &c.pointer;
    for (key, present) in [
        ("devices", lp.devices.is_some()),
        ("sharedMemorySize", lp.shared_memory_size.is_some()),
        ("tmpfs", lp.tmpfs.is_some()),
        ("maxSwap", lp.max_swap.is_some()),
        ("swappiness", lp.swappiness.is_some()),
    ] {
        if present {
            ctx.push(Finding::new(
                codes::FARGATE_FIELD_DROPPED,
                Severity::Warning,
                ctx.src(&format!("{p}/linuxParameters/{key}")),
                format!("linuxParameters.{key} of `{}` is not supported on Fargate and was dropped", c.name),
                "Size the task's memory so the container does not need it, or use --launch-type ec2.",
            ));
        }
    }
    let mut kept = ecs::LinuxParameters {
        capabilities: lp.capabilities.clone(),
        init_process_enabled: lp.init_process_enabled,
        ..Default::default()
    };
    if let Some(caps) = &mut kept.capabilities {
        fargate_capabilities(ctx, c, caps);
    }
    (kept != ecs::LinuxParameters::default()).then_some(kept)
}

/// Fargate can add only SYS_PTRACE: keep that, drop the other added capabilities.
fn fargate_capabilities(ctx: &mut Ctx, c: &EbContainer, caps: &mut ecs::Capabilities) {
    let Some(add) = &caps.add else {
        return;
    };
    let (ok, bad): (Vec<String>, Vec<String>) =
        add.iter().cloned().partition(|a| a == "SYS_PTRACE");
    if !bad.is_empty() {
        ctx.push(Finding::new(
            codes::FARGATE_FIELD_DROPPED,
            Severity::Warning,
            ctx.src(&format!("{}/linuxParameters/capabilities/add", c.pointer)),
            format!(
                "Fargate can only add SYS_PTRACE; dropped {} from `{}`",
                bad.join(", "),
                c.name
            ),
            "Check the container works without them, or use --launch-type ec2.",
        ));
    }
    caps.add = if ok.is_empty() { None } else { Some(ok) };
}

/// The container's log configuration: kept when Fargate accepts it, otherwise awslogs.
fn log_configuration(
    ctx: &mut Ctx,
    c: &EbContainer,
    fargate: bool,
) -> Option<ecs::LogConfiguration> {
    if let Some(lc) = &c.log_configuration {
        if let Some(kept) = own_log_configuration(ctx, c, lc, fargate) {
            return Some(kept);
        }
    }
    Some(awslogs(ctx, &c.name))
}

/// The log configuration the container brought, or `None` (with a finding) when it must be
/// replaced.
fn own_log_configuration(
    ctx: &mut Ctx,
    c: &EbContainer,
    lc: &ecs::LogConfiguration,
    fargate: bool,
) -> Option<ecs::LogConfiguration> {
    if let Some(p) = lc
        .options
        .values()
        .find(|v| placeholder_reason(v).is_some())
    {
        ctx.push(Finding::new(
            codes::LOG_CONFIG_PLACEHOLDER,
            Severity::Warning,
            ctx.src(&format!("{}/logConfiguration/options", c.pointer)),
            format!("the log configuration of `{}` holds the template placeholder `{p}`; replaced by awslogs to {}", c.name, ctx.log_group()),
            "Nothing to do, unless the logs must go elsewhere (then set the real values).",
        ));
        return None;
    }
    if fargate && !FARGATE_LOG_DRIVERS.contains(&lc.log_driver.as_str()) {
        ctx.push(Finding::new(
            codes::LOG_DRIVER_REPLACED,
            Severity::Warning,
            ctx.src(&format!("{}/logConfiguration/logDriver", c.pointer)),
            format!(
                "log driver `{}` of `{}` is not supported on Fargate; replaced by awslogs",
                lc.log_driver, c.name
            ),
            format!(
                "Read the logs in CloudWatch Logs group {}, or ship them with FireLens.",
                ctx.log_group()
            ),
        ));
        return None;
    }
    if lc.log_driver == "awslogs" {
        own_log_group(ctx, c, lc);
    }
    Some(secret_log_options(ctx, c, lc))
}

/// The log configuration with every secret-looking option (`splunk-token`, a FireLens
/// `apikey`) moved to `secretOptions`, read from SSM or Secrets Manager like a moved variable:
/// the value is written nowhere. `--secrets plain` keeps them (its finding says so).
fn secret_log_options(
    ctx: &mut Ctx,
    c: &EbContainer,
    lc: &ecs::LogConfiguration,
) -> ecs::LogConfiguration {
    let mut out = lc.clone();
    for (key, value) in &lc.options {
        let Some(why) = crate::detect::secret_reason(key, value) else {
            continue;
        };
        let source = ctx.src(&format!("{}/logConfiguration/options/{key}", c.pointer));
        if ctx.secrets_mode == SecretsMode::Plain {
            ctx.push(Finding::new(
                codes::SECRET_IN_PLAIN_TEXT,
                Severity::Warning,
                source,
                format!("log option `{}` of `{}` stays in the task definition because --secrets plain was given, though {why}", escape(key), escape(&c.name)),
                "Move it to SSM Parameter Store or Secrets Manager and reference it in `secretOptions`.",
            ));
            continue;
        }
        // The parameter is named like a variable: `splunk-token` -> `SPLUNK_TOKEN`.
        let env_name: String = key
            .chars()
            .map(|ch| {
                if ch.is_ascii_alphanumeric() {
                    ch.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect();
        let mode = ctx.secrets_mode;
        let multiline = secrets::looks_multiline(&env_name, "");
        let value_from = add_secret(ctx, &c.name, (&env_name, multiline), mode, source, why);
        out.options.remove(key);
        out.secret_options.push(ecs::Secret {
            name: key.clone(),
            value_from,
        });
    }
    out
}

/// A finding when an awslogs configuration names a log group other than the one the stack
/// creates.
fn own_log_group(ctx: &mut Ctx, c: &EbContainer, lc: &ecs::LogConfiguration) {
    let Some(group) = lc
        .options
        .get("awslogs-group")
        .filter(|g| **g != ctx.log_group())
    else {
        return;
    };
    ctx.push(Finding::new(
        codes::LOG_GROUP_KEPT,
        Severity::Info,
        ctx.src(&format!(
            "{}/logConfiguration/options/awslogs-group",
            c.pointer
        )),
        format!(
            "{} keeps logging to its own log group {}, which the stack does not create",
            code(&c.name),
            code(group)
        ),
        format!(
            "Make sure {} exists ({}), or switch the container to {}.",
            code(group),
            code(&format!(
                "aws logs create-log-group --region {} --log-group-name {}",
                sh(&ctx.region),
                sh(group)
            )),
            ctx.log_group()
        ),
    ));
}

/// awslogs to the stack's log group, in streams prefixed with `stream_prefix`.
pub(crate) fn awslogs(ctx: &Ctx, stream_prefix: &str) -> ecs::LogConfiguration {
    let mut options = BTreeMap::new();
    options.insert("awslogs-group".to_string(), ctx.log_group());
    options.insert("awslogs-region".to_string(), ctx.region.clone());
    options.insert(
        "awslogs-stream-prefix".to_string(),
        stream_prefix.to_string(),
    );
    ecs::LogConfiguration {
        log_driver: "awslogs".to_string(),
        options,
        secret_options: Vec::new(),
    }
}

/// repositoryCredentials for images on a private registry, when EB authenticated with a dockercfg.
fn registry_credentials(ctx: &mut Ctx, run: &Dockerrun, def: &mut ecs::ContainerDefinition) {
    let Some(auth) = &run.authentication else {
        return;
    };
    if def.repository_credentials.is_some() || !is_private_registry_image(&def.image) {
        return;
    }
    let name = format!("{}/registry-credentials", ctx.family);
    let arn = format!(
        "arn:{}:secretsmanager:{}:{}:secret:{name}",
        super::limits::arn_partition(&ctx.region),
        ctx.region,
        ctx.account
    );
    if ctx.registry_credentials.is_none() {
        ctx.registry_credentials = Some((name.clone(), arn.clone()));
        ctx.push(Finding::new(
            codes::REGISTRY_CREDENTIALS,
            Severity::Blocker,
            ctx.src(&auth.pointer),
            format!(
                "EB logged in to the private registry with the dockercfg at s3://{}/{}; ECS reads registry credentials from Secrets Manager",
                auth.bucket, auth.key
            ),
            format!(
                "Create the secret from the dockercfg's username and password, typed at the prompts (the password silently, never on a command line; jq escapes both into the JSON): `read -r REG_USER && read -rs REG_PASSWORD && printf '%s' \"$REG_PASSWORD\" | jq -Rs --arg username \"$REG_USER\" '{{username: $username, password: .}}' | aws secretsmanager create-secret --region {} --name {} --secret-string file:///dev/stdin; unset REG_USER REG_PASSWORD`. The stack's execution role may read it; with the plain JSON, allow `secretsmanager:GetSecretValue` on `{arn}-??????` (IAM matches the 6-character suffix Secrets Manager adds).",
                sh(&ctx.region),
                sh(&name)
            ),
        ));
    }
    def.repository_credentials = Some(ecs::RepositoryCredentials {
        credentials_parameter: arn,
    });
}

/// Whether an image is on a registry that needs credentials: not ECR (the execution role
/// pulls those) and not a Docker Hub official image.
pub fn is_private_registry_image(image: &str) -> bool {
    let first = image.split('/').next().unwrap_or("");
    let has_registry =
        image.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    if has_registry {
        !first.contains(".dkr.ecr.") && first != "public.ecr.aws"
    } else {
        image.contains('/')
    }
}

/// Volumes and mount points: keep what ECS can mount, drop what it cannot, with findings.
pub fn volumes(
    ctx: &mut Ctx,
    run: &Dockerrun,
    defs: &mut [ecs::ContainerDefinition],
) -> Vec<ecs::Volume> {
    let fargate = ctx.launch_type == LaunchType::Fargate;
    let mut used: HashSet<&str> = HashSet::new();
    for (c, def) in run.containers.iter().zip(defs.iter_mut()) {
        for m in &c.mount_points {
            let Some(v) = run.volumes.iter().find(|v| v.name == m.source_volume) else {
                undeclared_volume(ctx, c, m);
                continue;
            };
            if mount_volume(ctx, c, v, m, fargate) {
                def.mount_points.push(ecs::MountPoint {
                    source_volume: m.source_volume.clone(),
                    container_path: m.container_path.clone(),
                    read_only: m.read_only,
                });
                used.insert(&v.name);
            }
        }
        volumes_from(ctx, run, c, def);
    }
    task_volumes(ctx, run, &used, fargate)
}

/// The finding for a mount of a volume the file does not declare (the mount is dropped).
fn undeclared_volume(ctx: &mut Ctx, c: &EbContainer, m: &EbMount) {
    if m.source_volume.starts_with("awseb-logs-") {
        ctx.push(Finding::new(
            codes::LOGS_EB_VOLUME_DROPPED,
            Severity::Warning,
            ctx.src(&m.pointer),
            format!(
                "`{}` wrote log files to {} in EB's log volume `{}`, which EB uploaded with its logs; ECS has no such volume, the mount was dropped",
                c.name, m.container_path, m.source_volume
            ),
            format!(
                "Make `{}` log to stdout/stderr (for example symlink its log files to /dev/stdout); awslogs sends that to {}.",
                c.name, ctx.log_group()
            ),
        ));
        return;
    }
    ctx.push(Finding::new(
        codes::VOLUME_UNDEFINED,
        Severity::Warning,
        ctx.src(&m.pointer),
        format!(
            "`{}` mounts volume `{}` at {}, but no volume of that name is declared; the mount was dropped",
            c.name, m.source_volume, m.container_path
        ),
        "Declare the volume if the container needs it (EB would have failed to start this container).",
    ));
}

/// volumesFrom of one container, without those naming a container the task does not have.
fn volumes_from(
    ctx: &mut Ctx,
    run: &Dockerrun,
    c: &EbContainer,
    def: &mut ecs::ContainerDefinition,
) {
    for (vf, pointer) in &c.volumes_from {
        if run.containers.iter().any(|o| o.name == vf.source_container) {
            def.volumes_from.push(vf.clone());
            continue;
        }
        ctx.push(Finding::new(
            codes::VOLUMES_FROM_MISSING,
            Severity::Warning,
            ctx.src(pointer),
            format!(
                "`{}` takes volumes from `{}`, which is not in the task; dropped",
                c.name, vf.source_container
            ),
            "Remove it, or add the container it refers to.",
        ));
    }
}

/// The task's volumes: those a kept mount uses, in the file's order.
fn task_volumes(
    ctx: &mut Ctx,
    run: &Dockerrun,
    used: &HashSet<&str>,
    fargate: bool,
) -> Vec<ecs::Volume> {
    let mut out = Vec::new();
    for v in &run.volumes {
        if !used.contains(v.name.as_str()) {
            let mounted = run
                .containers
                .iter()
                .any(|c| c.mount_points.iter().any(|m| m.source_volume == v.name));
            // A volume whose mounts were all dropped already has findings saying why.
            if !mounted {
                ctx.push(Finding::new(
                    codes::VOLUME_UNUSED,
                    Severity::Info,
                    ctx.src(&v.pointer),
                    format!(
                        "volume `{}` is not mounted by any container; not carried over",
                        v.name
                    ),
                    "Nothing to do.",
                ));
            }
            continue;
        }
        let host = match (&v.source_path, fargate) {
            (Some(p), false) if is_usable_host_path(p) => Some(ecs::HostVolume {
                source_path: p.clone(),
            }),
            _ => None,
        };
        out.push(ecs::Volume {
            name: v.name.clone(),
            host,
            efs: None,
        });
    }
    out
}

fn is_usable_host_path(p: &str) -> bool {
    p.starts_with('/') && !p.contains('$')
}

/// Decide what happens to one mount `m` of the declared volume `v`: `true` keeps the mount (and
/// its volume), `false` drops it.
fn mount_volume(ctx: &mut Ctx, c: &EbContainer, v: &EbVolume, m: &EbMount, fargate: bool) -> bool {
    let Some(path) = &v.source_path else {
        return true;
    };
    let trimmed = path.trim_end_matches('/');
    if trimmed == APP_BUNDLE || trimmed.starts_with(&format!("{APP_BUNDLE}/")) {
        app_bundle_mount(ctx, c, path, m);
        return false;
    }
    if trimmed.ends_with("docker.sock") {
        ctx.push(Finding::new(
            codes::VOLUME_DOCKER_SOCKET,
            if fargate { Severity::Blocker } else { Severity::Warning },
            ctx.src(&m.pointer),
            format!("`{}` mounts the Docker socket {path}", c.name),
            if fargate {
                "Fargate has no Docker socket: redesign this part (for example call the ECS RunTask API) or use --launch-type ec2."
            } else {
                "Check this is still needed: it gives the container control of the instance."
            },
        ));
        return !fargate;
    }
    host_path_mount(ctx, c, v, path, m, fargate);
    true
}

/// A mount of the EB source bundle (at `path`): the files must be baked into the image instead.
fn app_bundle_mount(ctx: &mut Ctx, c: &EbContainer, path: &str, m: &EbMount) {
    let container_path = &m.container_path;
    let rel = path
        .trim_end_matches('/')
        .strip_prefix(APP_BUNDLE)
        .unwrap_or("")
        .trim_start_matches('/');
    ctx.bake_files.push(BakeFile {
        container: c.name.clone(),
        host_path: path.to_string(),
        container_path: container_path.clone(),
    });
    ctx.push(Finding::new(
        codes::VOLUME_APP_BUNDLE,
        Severity::Blocker,
        ctx.src(&m.pointer),
        format!(
            "`{}` mounted `{}` from the EB source bundle ({path}) at {container_path}; ECS has no source bundle, the mount was dropped",
            c.name,
            if rel.is_empty() { "the whole bundle" } else { rel }
        ),
        format!(
            "Bake it into the image: in `{}`'s Dockerfile, `COPY {} {container_path}`, then rebuild and push.",
            c.name,
            if rel.is_empty() { "." } else { rel }
        ),
    ));
}

/// A kept mount of the host path `path`: task storage on Fargate, a host or Docker-managed
/// volume on EC2.
fn host_path_mount(
    ctx: &mut Ctx,
    c: &EbContainer,
    v: &EbVolume,
    path: &str,
    m: &EbMount,
    fargate: bool,
) {
    let container_path = &m.container_path;
    let finding = if fargate {
        Finding::new(
            codes::VOLUME_HOST_PATH,
            Severity::Warning,
            ctx.src(&m.pointer),
            format!(
                "`{}` mounted host path {path:?} at {container_path}; Fargate has no host paths, so `{}` is now task storage (shared by the task's containers, lost when the task stops)",
                c.name, v.name
            ),
            "If the data must survive the task, use an EFS volume (efsVolumeConfiguration) instead.",
        )
    } else if !is_usable_host_path(path) {
        Finding::new(
            codes::VOLUME_HOST_PATH,
            Severity::Warning,
            ctx.src(&m.pointer),
            format!(
                "`{}` mounted {path:?}, which is not an absolute path on the instance; `{}` is now a Docker-managed volume",
                c.name, v.name
            ),
            "Give it an absolute sourcePath, or bake the files into the image.",
        )
    } else {
        Finding::new(
            codes::VOLUME_HOST_PATH,
            Severity::Info,
            ctx.src(&m.pointer),
            format!(
                "`{}` mounts {path} from the container instance at {container_path}",
                c.name
            ),
            "Make sure the path exists on the ECS instances (user data), or use EFS for shared data.",
        )
    };
    ctx.push(finding);
}

/// Findings that only concern the whole file.
pub fn file_level(ctx: &mut Ctx, run: &Dockerrun) {
    if let Some(logging) = &run.logging {
        ctx.push(
            Finding::new(
                codes::LOGS_V1_LOGGING,
                Severity::Warning,
                ctx.src("/Logging"),
                format!("EB streamed the log files the application wrote under {logging}; ECS sends only stdout/stderr to CloudWatch Logs"),
                format!("Make the application log to stdout/stderr; check the logs in {} after deploying.", ctx.log_group()),
            )
            .in_phase(Phase::Verify),
        );
    }
}

/// The X-Ray daemon sidecar, for environments that had X-Ray on.
pub fn xray_sidecar(ctx: &Ctx) -> ecs::ContainerDefinition {
    ecs::ContainerDefinition {
        name: "xray-daemon".to_string(),
        image: "public.ecr.aws/xray/aws-xray-daemon:3.x".to_string(),
        essential: false,
        cpu: Some(32),
        memory_reservation: Some(256),
        port_mappings: vec![ecs::PortMapping {
            container_port: 2000,
            host_port: (ctx.launch_type == LaunchType::Fargate).then_some(2000),
            protocol: "udp".to_string(),
        }],
        log_configuration: Some(awslogs(ctx, "xray-daemon")),
        ..Default::default()
    }
}
