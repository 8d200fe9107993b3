//! The mapping from EB inputs to one [`MigrationModel`]: pure functions over typed data.
//! Nothing here reads files, calls AWS or prints.

pub mod containers;
pub mod eb;
pub mod limits;
pub mod load_balancer;
pub mod mapper;
pub mod network;
pub mod scaling;
pub mod secrets;

use crate::ecs;
use crate::finding::{Finding, Phase, Severity, Source};
use crate::load::dockerrun::Dockerrun;
use crate::load::settings::EnvSettings;
use crate::model::{
    BakeFile, ContainerOrigin, HostnameChange, LaunchType, MigrationModel, Options, SecretParam,
    SecretsMode,
};

/// Placeholder for the AWS account ID when it is not given.
pub const ACCOUNT_PLACEHOLDER: &str = "ACCOUNT_ID";
/// Region used when none is given (with a finding).
pub const DEFAULT_REGION: &str = "us-east-1";
/// Memory assumed for sizing a container that declares none.
pub const ASSUMED_CONTAINER_MEMORY: u32 = 512;

/// Shared state of one conversion: the resolved names and what the rules collect.
pub struct Ctx {
    /// File the Dockerrun came from (finding sources).
    pub file: String,
    /// Task definition family.
    pub family: String,
    /// Region.
    pub region: String,
    /// Account ID or placeholder.
    pub account: String,
    /// Launch type.
    pub launch_type: LaunchType,
    /// Where secrets go.
    pub secrets_mode: SecretsMode,
    /// KMS key of the secrets, when not the AWS-managed one.
    pub secrets_kms_key: Option<String>,
    /// Findings so far.
    pub findings: Vec<Finding>,
    /// Secrets so far.
    pub secrets: Vec<SecretParam>,
    /// Hostname changes so far.
    pub hostname_changes: Vec<HostnameChange>,
    /// Files to bake into images.
    pub bake_files: Vec<BakeFile>,
    /// Placeholder images.
    pub placeholder_images: Vec<(String, String)>,
    /// Registry credentials secret (name, ARN).
    pub registry_credentials: Option<(String, String)>,
}

impl Ctx {
    /// A source in the Dockerrun file.
    pub fn src(&self, pointer: &str) -> Source {
        Source::new(self.file.clone(), pointer)
    }

    /// Record a finding.
    pub fn push(&mut self, f: Finding) {
        self.findings.push(f);
    }

    /// The CloudWatch Logs group of the task.
    pub fn log_group(&self) -> String {
        format!("/ecs/{}", self.family)
    }
}

/// Make a name ECS accepts for families, clusters and services: letters, digits, `-` and `_`,
/// at most 255 characters; `app` when nothing is left.
pub fn sanitise_name(raw: &str) -> String {
    let mut out: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    let out = out.trim_matches('-').to_string();
    let mut out = if out.is_empty() {
        "app".to_string()
    } else {
        out
    };
    out.truncate(255);
    out
}

/// Convert a parsed Dockerrun (and the EB settings, possibly empty) into the migration model.
///
/// `parse_findings` are the parser's findings about the file's oddities; they come first.
pub fn convert(
    run: &Dockerrun,
    parse_findings: Vec<Finding>,
    settings: &EnvSettings,
    opts: &Options,
) -> MigrationModel {
    let family = sanitise_name(
        opts.family
            .as_deref()
            .or(run.family.as_deref())
            .unwrap_or(&opts.project_name),
    );
    let mut findings = parse_findings;
    let region = match &opts.region {
        Some(r) => r.clone(),
        None => {
            findings.push(
                Finding::new(
                    "REGION-ASSUMED",
                    Severity::Warning,
                    Source::new("command line", "--region"),
                    format!("no region given (--region, AWS_REGION); {DEFAULT_REGION} is used in log configuration and ARNs"),
                    "Run again with --region set to the region you deploy to.",
                )
                .in_phase(Phase::Deploy),
            );
            DEFAULT_REGION.to_string()
        }
    };
    let account = opts
        .account_id
        .clone()
        .unwrap_or_else(|| ACCOUNT_PLACEHOLDER.to_string());
    let mut ctx = Ctx {
        file: run.file.clone(),
        family: family.clone(),
        region: region.clone(),
        account: account.clone(),
        launch_type: opts.launch_type,
        secrets_mode: opts.secrets,
        secrets_kms_key: opts.secrets_kms_key.clone(),
        findings,
        secrets: Vec::new(),
        hostname_changes: Vec::new(),
        bake_files: Vec::new(),
        placeholder_images: Vec::new(),
        registry_credentials: None,
    };

    let mapper = mapper::Mapper::new(settings);
    let mut run = run.clone();
    let eb_secrets = eb::environment_properties(&mut ctx, &mapper, &mut run);
    let run = &run;
    let mut defs: Vec<ecs::ContainerDefinition> = run
        .containers
        .iter()
        .map(|c| containers::container(&mut ctx, run, c))
        .collect();
    for def in &mut defs {
        for s in &eb_secrets {
            if !def.secrets.iter().any(|x| x.name == s.name) {
                def.secrets.push(s.clone());
            }
        }
    }
    let volumes = containers::volumes(&mut ctx, run, &mut defs);
    let process_port = eb::process_port(&mut ctx, &mapper);
    let mut target = network::choose_target(&mut ctx, run, process_port);
    network::ports(&mut ctx, run, &mut defs, target.as_ref());
    network::links(&mut ctx, run, &mut defs);
    network::env_hostnames(&mut ctx, run);
    containers::file_level(&mut ctx, run);
    if mapper
        .value("aws:elasticbeanstalk:xray", "XRayEnabled")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        defs.push(containers::xray_sidecar(&ctx));
    }
    essential_check(&mut ctx, &defs);
    let (cpu, memory, container_memory) = task_size(&mut ctx, run, &mut defs);

    let execution_role_arn = run
        .execution_role_arn
        .clone()
        .unwrap_or_else(|| format!("arn:aws:iam::{account}:role/{family}-ecs-execution"));
    let task_role_arn = run
        .task_role_arn
        .clone()
        .unwrap_or_else(|| format!("arn:aws:iam::{account}:role/{family}-ecs-task"));
    let fargate = opts.launch_type == LaunchType::Fargate;
    let task_definition = ecs::TaskDefinition {
        family: family.clone(),
        task_role_arn: Some(task_role_arn.clone()),
        execution_role_arn: Some(execution_role_arn.clone()),
        network_mode: if fargate { "awsvpc" } else { "bridge" }.to_string(),
        requires_compatibilities: vec![opts.launch_type.api_name().to_string()],
        cpu: cpu.map(|c| c.to_string()),
        memory: memory.map(|m| m.to_string()),
        container_definitions: defs,
        volumes,
        runtime_platform: fargate.then(|| ecs::RuntimePlatform {
            operating_system_family: "LINUX".to_string(),
            cpu_architecture: "X86_64".to_string(),
        }),
    };
    let cluster = sanitise_name(opts.cluster.as_deref().unwrap_or(&family));
    let service_name = sanitise_name(opts.service_name.as_deref().unwrap_or(&family));
    let tg_arn = format!(
        "arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/{}/REPLACE_ME",
        truncate(&family, 32)
    );
    let mut service = ecs::Service {
        cluster: cluster.clone(),
        service_name: service_name.clone(),
        task_definition: family.clone(),
        desired_count: 1,
        launch_type: opts.launch_type.api_name().to_string(),
        load_balancers: target
            .iter()
            .map(|t| ecs::ServiceLoadBalancer {
                target_group_arn: tg_arn.clone(),
                container_name: t.container.clone(),
                container_port: t.port,
            })
            .collect(),
        network_configuration: fargate.then(|| ecs::NetworkConfiguration {
            awsvpc_configuration: ecs::AwsVpcConfiguration {
                subnets: vec!["subnet-REPLACE_ME".to_string()],
                security_groups: vec!["sg-REPLACE_ME".to_string()],
                assign_public_ip: "DISABLED".to_string(),
            },
        }),
        health_check_grace_period_seconds: target.as_ref().map(|_| 60),
        deployment_configuration: ecs::DeploymentConfiguration {
            deployment_circuit_breaker: ecs::CircuitBreaker {
                enable: true,
                rollback: true,
            },
            maximum_percent: 200,
            minimum_healthy_percent: 100,
        },
        propagate_tags: "SERVICE".to_string(),
        enable_ecs_managed_tags: true,
    };
    let environment = eb::environment(&mut ctx, &mapper, target.is_some(), &mut service);
    if environment.load_balancer.is_none() {
        target = None;
    }
    scaling::capacity(
        &mut ctx,
        &mapper,
        &environment,
        cpu,
        memory,
        container_memory,
    );
    eb::instance_options(&mut ctx, &mapper);
    eb::unconverted(&mut ctx, &mapper);
    placeholders(
        &mut ctx,
        run,
        fargate,
        target.is_some(),
        &execution_role_arn,
        &task_role_arn,
        &tg_arn,
    );

    MigrationModel {
        family,
        cluster,
        service_name,
        region,
        account_id: account,
        launch_type: opts.launch_type,
        task_definition,
        service,
        target,
        secrets: ctx.secrets,
        hostname_changes: ctx.hostname_changes,
        bake_files: ctx.bake_files,
        hostname_hits: Vec::new(),
        placeholder_images: ctx.placeholder_images,
        secrets_kms_key: ctx.secrets_kms_key,
        registry_credentials: ctx.registry_credentials,
        origins: run
            .containers
            .iter()
            .map(|c| ContainerOrigin {
                name: c.name.clone(),
                original: c.original.clone(),
            })
            .collect(),
        settings: settings.clone(),
        environment,
        inputs: std::iter::once(run.file.clone())
            .chain(settings.files.iter().cloned())
            .collect(),
        findings: ctx.findings,
    }
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// ECS needs at least one essential container.
fn essential_check(ctx: &mut Ctx, defs: &[ecs::ContainerDefinition]) {
    if !defs.iter().any(|d| d.essential) {
        ctx.push(Finding::new(
            "NO-ESSENTIAL-CONTAINER",
            Severity::Blocker,
            ctx.src("/containerDefinitions"),
            "no container is essential; ECS requires at least one",
            "Mark the container that serves the application as essential.",
        ));
    }
}

/// Task size: on Fargate the smallest valid size covering the containers; on EC2 no task size,
/// but every container gets a memory reservation. Also returns the containers' memory sum.
fn task_size(
    ctx: &mut Ctx,
    run: &Dockerrun,
    defs: &mut [ecs::ContainerDefinition],
) -> (Option<u32>, Option<u32>, u32) {
    let mut memory: u32 = 0;
    let mut cpu: u32 = 0;
    let mut assumed: Vec<String> = Vec::new();
    for def in defs.iter_mut() {
        let pointer = run
            .containers
            .iter()
            .find(|c| c.name == def.name)
            .map_or(String::new(), |c| c.pointer.clone());
        cpu = cpu.saturating_add(def.cpu.unwrap_or(0));
        if let (Some(hard), Some(soft)) = (def.memory, def.memory_reservation) {
            if soft > hard {
                def.memory_reservation = Some(hard);
                ctx.push(Finding::new(
                    "MEMORY-RESERVATION-ABOVE-LIMIT",
                    Severity::Warning,
                    ctx.src(&format!("{pointer}/memoryReservation")),
                    format!("`{}` reserves {soft} MiB but is limited to {hard} MiB; ECS rejects that, the reservation is now {hard}", def.name),
                    "Check the container's memory settings.",
                ));
            }
        }
        match def.memory.max(def.memory_reservation) {
            Some(need) => memory = memory.saturating_add(need),
            None => {
                assumed.push(def.name.clone());
                memory = memory.saturating_add(ASSUMED_CONTAINER_MEMORY);
                if ctx.launch_type == LaunchType::Ec2 {
                    def.memory_reservation = Some(ASSUMED_CONTAINER_MEMORY);
                }
            }
        }
    }
    if !assumed.is_empty() {
        ctx.push(Finding::new(
            "MEMORY-ASSUMED",
            Severity::Warning,
            ctx.src("/containerDefinitions"),
            format!(
                "{} declare{} no memory; {ASSUMED_CONTAINER_MEMORY} MiB each is assumed{}",
                assumed.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "),
                if assumed.len() == 1 { "s" } else { "" },
                if ctx.launch_type == LaunchType::Ec2 {
                    " and set as memoryReservation"
                } else {
                    " when sizing the task"
                }
            ),
            "Measure the containers' real memory use (EB's CloudWatch metrics) and set memory or memoryReservation.",
        ));
    }
    if ctx.launch_type == LaunchType::Ec2 {
        return (None, None, memory);
    }
    match limits::smallest_fargate(cpu, memory) {
        Some(size) => {
            ctx.push(Finding::new(
                "TASK-SIZE",
                Severity::Info,
                ctx.src("/containerDefinitions"),
                format!(
                    "the containers need {cpu} CPU units and {memory} MiB; the smallest Fargate size that covers them is {} CPU / {} MiB",
                    size.cpu, size.memory
                ),
                "Check the size against the EB instance's real load before going live.",
            ).in_phase(Phase::Verify));
            (Some(size.cpu), Some(size.memory), memory)
        }
        None => {
            ctx.push(Finding::new(
                "TASK-TOO-BIG",
                Severity::Blocker,
                ctx.src("/containerDefinitions"),
                format!("the containers need {cpu} CPU units and {memory} MiB, more than the largest Fargate task (16384 / 122880); the largest size is used"),
                "Lower the containers' cpu/memory, split them into several services, or use --launch-type ec2.",
            ));
            (Some(16384), Some(122880), memory)
        }
    }
}

/// Findings for the values only the user can fill in.
fn placeholders(
    ctx: &mut Ctx,
    run: &Dockerrun,
    fargate: bool,
    has_target: bool,
    execution_role_arn: &str,
    task_role_arn: &str,
    tg_arn: &str,
) {
    for (key, arn) in [
        ("executionRoleArn", &run.execution_role_arn),
        ("taskRoleArn", &run.task_role_arn),
    ] {
        if let Some(arn) = arn {
            ctx.push(Finding::new(
                "ROLE-FROM-DOCKERRUN",
                Severity::Info,
                ctx.src(&format!("/{key}")),
                format!("task-definition.json keeps the Dockerrun's {key} {arn}; cloudformation.yaml creates its own role instead"),
                "Check that the role is still right for ECS (trusted by ecs-tasks.amazonaws.com), or use the stack's.",
            ).in_phase(Phase::Deploy));
        }
    }
    let cli = Source::new("task-definition.json", "");
    if run.execution_role_arn.is_none() {
        ctx.push(Finding::new(
            "ROLE-EXECUTION-PLACEHOLDER",
            Severity::Warning,
            cli.clone(),
            format!("executionRoleArn is the placeholder {execution_role_arn}"),
            "Create a role trusted by ecs-tasks.amazonaws.com with the AmazonECSTaskExecutionRolePolicy managed policy (plus read access to this task's secrets), and put its ARN here; the CloudFormation stack creates it for you.",
        ).in_phase(Phase::Deploy));
    }
    if run.task_role_arn.is_none() {
        ctx.push(Finding::new(
            "ROLE-TASK-PLACEHOLDER",
            Severity::Warning,
            cli,
            format!("taskRoleArn is the placeholder {task_role_arn}"),
            "Create a role trusted by ecs-tasks.amazonaws.com with only the AWS permissions the application uses (what the EB instance profile granted it), and put its ARN here.",
        ).in_phase(Phase::Deploy));
    }
    if ctx.account == ACCOUNT_PLACEHOLDER {
        ctx.push(
            Finding::new(
                "ACCOUNT-PLACEHOLDER",
                Severity::Warning,
                Source::new("command line", "--account-id"),
                format!("no account ID given; ARNs contain {ACCOUNT_PLACEHOLDER}"),
                "Run again with --account-id, or replace ACCOUNT_ID in the JSON files.",
            )
            .in_phase(Phase::Deploy),
        );
    }
    let svc = Source::new("service.json", "");
    if fargate {
        ctx.push(Finding::new(
            "SERVICE-NETWORK-PLACEHOLDER",
            Severity::Warning,
            svc.clone(),
            "subnets (subnet-REPLACE_ME) and security group (sg-REPLACE_ME) are placeholders",
            "Put the private subnets of the EB environment's VPC and a security group that admits the load balancer on the container port.",
        ).in_phase(Phase::Deploy));
    }
    if has_target {
        ctx.push(Finding::new(
            "SERVICE-TARGET-GROUP-PLACEHOLDER",
            Severity::Warning,
            svc,
            format!("targetGroupArn is the placeholder {tg_arn}"),
            format!(
                "Create a target group (target type {}) with the EB health check path, and put its ARN here; the CloudFormation stack creates it for you.",
                if fargate { "ip" } else { "instance" }
            ),
        ).in_phase(Phase::Deploy));
    }
}

/// A context for unit tests of the rules.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::Ctx;
    use crate::load::settings::{merge, EnvSettings, Layer, OptionValue, RawOption, SettingsDoc};
    use crate::model::{LaunchType, SecretsMode};

    /// A settings document of `(namespace, option, value)` text options.
    pub fn doc(file: &str, layer: Layer, opts: &[(&str, &str, &str)]) -> SettingsDoc {
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

    /// Effective settings from `(namespace, option, value)` in one saved configuration.
    pub fn settings(opts: &[(&str, &str, &str)]) -> EnvSettings {
        merge(&[doc("s", Layer::SavedConfig, opts)]).0
    }

    /// A Fargate service with ECS's defaults, for rules that adjust it.
    pub fn service() -> crate::ecs::Service {
        crate::ecs::Service {
            cluster: "c".into(),
            service_name: "s".into(),
            task_definition: "t".into(),
            desired_count: 1,
            launch_type: "FARGATE".into(),
            load_balancers: vec![],
            network_configuration: None,
            health_check_grace_period_seconds: None,
            deployment_configuration: crate::ecs::DeploymentConfiguration {
                deployment_circuit_breaker: crate::ecs::CircuitBreaker {
                    enable: true,
                    rollback: true,
                },
                maximum_percent: 200,
                minimum_healthy_percent: 100,
            },
            propagate_tags: "SERVICE".into(),
            enable_ecs_managed_tags: true,
        }
    }

    /// A fresh context.
    pub fn ctx(launch_type: LaunchType) -> Ctx {
        Ctx {
            file: "Dockerrun.aws.json".into(),
            family: "app".into(),
            region: "eu-west-1".into(),
            account: "123456789012".into(),
            launch_type,
            secrets_mode: SecretsMode::Ssm,
            secrets_kms_key: None,
            findings: vec![],
            secrets: vec![],
            hostname_changes: vec![],
            bake_files: vec![],
            placeholder_images: vec![],
            registry_credentials: None,
        }
    }
}
