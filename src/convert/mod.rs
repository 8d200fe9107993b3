//! The conversion: EB inputs to one [`MigrationModel`], by pure functions over typed data.
//! Nothing here reads files, calls AWS or prints.
//!
//! [`convert`] is the table of contents: it decides in order — the environment, the
//! load-balancer target, the containers, the task definition, the service, the one-off task —
//! and builds each once from what was decided before it.

pub mod commands;
pub mod containers;
pub mod context;
pub mod delivery;
pub mod eb;
pub mod efs;
pub mod endpoints;
pub mod environment;
pub mod envnames;
pub mod envreads;
pub mod hostnames;
pub mod inputs;
pub mod limits;
pub mod load_balancer;
pub mod mapper;
pub mod network;
pub mod oneoff;
pub mod placeholders;
pub mod platform;
pub mod properties;
pub mod proxy;
pub mod region;
pub mod resources;
pub mod scaling;
pub mod secrets;
pub mod service;
pub mod target;
pub mod task;
pub mod tier;
pub mod worker;

pub use context::{Ctx, Topic};

use crate::codes;
use crate::ecs;
use crate::finding::{Finding, Phase, Severity, Source};
use crate::load::dockerrun::Dockerrun;
use crate::load::settings::{merge, EnvSettings};
use crate::load::Inputs;
use crate::model::{
    ContainerOrigin, EbEnvironment, Environment, LbTarget, MigrationModel, Options,
};
use crate::names::sanitise_name;
use mapper::Mapper;
use std::borrow::Cow;
use std::collections::BTreeSet;

/// Placeholder for the AWS account ID when it is not given.
pub const ACCOUNT_PLACEHOLDER: &str = "ACCOUNT_ID";
/// Region used when none is given (with a finding).
pub const DEFAULT_REGION: &str = "us-east-1";

/// Convert the inputs into the migration model.
pub fn convert(inputs: &Inputs, opts: &Options) -> MigrationModel {
    convert_and_account(inputs, opts).0
}

/// Convert, and say which `(namespace, option)` settings a rule read (every other option that
/// was set is named in a finding).
pub fn convert_and_account(
    inputs: &Inputs,
    opts: &Options,
) -> (MigrationModel, BTreeSet<(String, String)>) {
    // EB's coupled database set RDS_* on the instances: they join the properties (lowest
    // layer), so the task gets them (RDS_PASSWORD as a secret) where the code reads them.
    let docs = envreads::with_rds(&inputs.settings, &inputs.env_reads, &inputs.dockerrun);
    let (settings, settings_findings) = merge(&docs);
    let mut ctx = context(inputs, opts, &settings, settings_findings);
    let m = Mapper::new(&settings);
    // 0: a language-platform project becomes a generated image and its containers.
    let (run, mut build) = language_platform(&mut ctx, &m, inputs);
    // 0b: where each command EB ran belongs (image build, one-off task, nowhere).
    let release = place_commands(&mut ctx, inputs, build.as_mut());
    let cron_jobs = cron_jobs(&mut ctx, inputs);
    // EFS file systems EB's instances mounted (volumes of the task, after the containers).
    let efs = efs::mounts(&settings, &inputs.settings);
    let run: &Dockerrun = &run;
    // 1 and 2: the environment, the load-balancer target, a worker's sqsd and cron.yaml.
    let (environment, app_port, worker) = environment_and_target(&mut ctx, &m, run, inputs);
    let target = app_port
        .clone()
        .filter(|_| environment.load_balancer.is_some());
    // 3: the containers, with EB's properties and secrets (and the sidecars).
    let (mut defs, mut volumes) =
        containers(&mut ctx, &m, run, app_port.as_ref(), &environment, &worker);
    let topic = std::mem::replace(&mut ctx.topic, Topic::Volumes);
    let app = app_port.as_ref().map(|t| t.container.as_str());
    efs::attach(&mut ctx, &efs, app, &mut defs, &mut volumes);
    ctx.topic = topic;
    hostnames::aliases(&mut ctx, run, &inputs.files);
    // What EB held that the inputs do not: variables the code reads and nothing defines.
    let live = inputs.settings.iter().any(|d| d.environment_name.is_some());
    let envs: Vec<&str> = inputs
        .eb_cli
        .environments
        .iter()
        .map(|(_, e)| e.as_str())
        .collect();
    let database_params =
        envreads::report(&mut ctx, &inputs.env_reads, &defs, &settings, (live, &envs));
    // 4: the task definition.
    let (task_definition, size) = task::task_definition(
        &mut ctx,
        run,
        defs,
        volumes,
        (environment.arm64, environment.instance_type.as_deref()),
    );
    // 5: the service (its grace period sized from the platform's start time).
    ctx.topic = Topic::Environment;
    let grace = service::grace_period(
        &mut ctx,
        &environment,
        build.as_ref().map(|b| b.platform.as_str()),
    );
    let (cluster, service_name, service) =
        service_of(&ctx, opts, &environment, target.as_ref(), grace);
    // 6: the one-off task (container_commands, predeploy hooks) in the application container.
    let one_off = one_off(
        &mut ctx,
        inputs,
        (&release, !cron_jobs.is_empty()),
        &task_definition,
        app_port.as_ref(),
    );
    // 7: the `.ebextensions` `Resources` carried into the stack.
    let (carried_resources, resource_env) =
        carried(&mut ctx, &m, inputs, &environment, app_port.as_ref());
    // ECS Exec's and Container Insights' defaults.
    let exec_default = service::exec_default(&mut ctx, &m);
    let container_insights =
        service::container_insights(&mut ctx, opts.container_insights, worker.is_some());
    // What is left: EC2 capacity (sized now that the task is known), options nothing read.
    let shape = (target.is_some(), worker.is_some(), exec_default);
    let (ec2_instance_type, ec2_capacity, vpc_endpoints) =
        leftovers(&mut ctx, &m, run, &environment, size, shape);
    let delivery = delivery::delivery(&mut ctx, opts.delivery.as_ref(), run, build.as_ref());
    let model = MigrationModel {
        findings: ctx.report_order(),
        family: ctx.family,
        cluster,
        service_name,
        region: ctx.region,
        account_id: ctx.account,
        launch_type: opts.launch_type,
        task_definition,
        service,
        target,
        secrets: ctx.secrets,
        hostname_hits: hostnames::hits(&inputs.files, &ctx.bake_files, &ctx.hostname_changes),
        hostname_changes: ctx.hostname_changes,
        bake_files: ctx.bake_files,
        placeholder_images: ctx.placeholder_images,
        secrets_kms_key: ctx.secrets_kms_key,
        registry_credentials: ctx.registry_credentials,
        origins: origins(run),
        eb: eb_environment(&settings),
        environment,
        ec2_instance_type,
        build,
        one_off,
        worker,
        cron_jobs,
        delivery,
        inputs: input_files(run, &settings),
        carried_resources,
        resource_env,
        database_params,
        efs,
        ec2_capacity,
        container_insights,
        exec_default,
        vpc_endpoints,
    };
    (model, m.into_used())
}

/// Where each command, package and predeploy hook EB ran belongs: build-time lines go into
/// the generated image, release-time commands are returned for the one-off task.
fn place_commands(
    ctx: &mut Ctx,
    inputs: &Inputs,
    image: Option<&mut crate::model::GeneratedImage>,
) -> Vec<commands::place::Release> {
    ctx.topic = Topic::OneOff;
    commands::place::place(
        ctx,
        &inputs.settings,
        inputs.platform.as_ref(),
        &inputs.files,
        image,
    )
}

/// The cron jobs of EB's instances (`/etc/cron.d` files, crontabs in commands and hooks).
fn cron_jobs(ctx: &mut Ctx, inputs: &Inputs) -> Vec<crate::model::CronJob> {
    ctx.topic = Topic::OneOff;
    let hooks: Vec<(String, String)> = inputs
        .files
        .iter()
        .filter(|f| {
            f.path.starts_with(".platform/hooks/") || f.path.starts_with(".platform/confighooks/")
        })
        .map(|f| (f.path.clone(), f.text.clone()))
        .collect();
    commands::cron::jobs(ctx, &inputs.settings, &hooks)
}

/// The one-off task of what EB ran at each deployment (release-time commands), also made
/// when only cron jobs need it (`release.1`).
fn one_off(
    ctx: &mut Ctx,
    inputs: &Inputs,
    release: (&[commands::place::Release], bool),
    td: &ecs::TaskDefinition,
    app_port: Option<&LbTarget>,
) -> Option<crate::model::OneOff> {
    let (commands, cron) = release;
    oneoff::plan(
        ctx,
        commands,
        (inputs.platform.is_none(), cron),
        td,
        app_port,
    )
}

/// The `.ebextensions` `Resources` carried into the stack, and the environment properties set
/// from them.
fn carried(
    ctx: &mut Ctx,
    m: &Mapper,
    inputs: &Inputs,
    environment: &Environment,
    app_port: Option<&LbTarget>,
) -> (
    Vec<crate::model::CarriedResource>,
    Vec<crate::model::ResourceEnv>,
) {
    ctx.topic = Topic::Environment;
    let shape = resources::Shape {
        load_balancer: environment.load_balancer.is_some(),
        classic: m
            .value("aws:elasticbeanstalk:environment", "LoadBalancerType")
            .is_some_and(|t| t.eq_ignore_ascii_case("classic")),
        app_container: app_port.map(|t| t.container.clone()),
    };
    resources::plan(ctx, m, &inputs.settings, &shape)
}

/// The files the conversion read: the Dockerrun, then the settings files.
fn input_files(run: &Dockerrun, settings: &EnvSettings) -> Vec<String> {
    std::iter::once(run.file.clone())
        .chain(settings.files.iter().cloned())
        .collect()
}

/// The cluster, the service's name, and the service itself.
fn service_of(
    ctx: &Ctx,
    opts: &Options,
    environment: &crate::model::Environment,
    target: Option<&LbTarget>,
    grace: Option<u32>,
) -> (String, String, ecs::Service) {
    let (cluster, service_name) = names(ctx, opts);
    let service = service::service(ctx, (&cluster, &service_name), environment, target, grace);
    (cluster, service_name, service)
}

/// The cluster and service names: given, else the family.
fn names(ctx: &Ctx, opts: &Options) -> (String, String) {
    (
        sanitise_name(opts.cluster.as_deref().unwrap_or(&ctx.family)),
        sanitise_name(opts.service_name.as_deref().unwrap_or(&ctx.family)),
    )
}

/// The Dockerrun to convert: the loader's, or for a language-platform project the containers
/// of its generated image (and the image).
fn language_platform<'a>(
    ctx: &mut Ctx,
    m: &Mapper,
    inputs: &'a Inputs,
) -> (Cow<'a, Dockerrun>, Option<crate::model::GeneratedImage>) {
    ctx.topic = Topic::Containers;
    match &inputs.platform {
        Some(p) => {
            // `--platform` first, then the platform the settings name.
            let named = inputs
                .platform_choice
                .as_deref()
                .or(m.settings.platform.as_deref());
            let (run, image) = platform::plan(ctx, m, named, p, &inputs.dockerrun);
            (Cow::Owned(run), image)
        }
        None => (Cow::Borrowed(&inputs.dockerrun), None),
    }
}

/// The environment (tier, type, network, scaling, deployment, logs), the port EB's proxy
/// reached, the load balancer in front of it when the environment had one, and a worker
/// environment's queue, sqsd options and periodic tasks (`cron.yaml`).
fn environment_and_target(
    ctx: &mut Ctx,
    m: &Mapper,
    run: &Dockerrun,
    inputs: &Inputs,
) -> (Environment, Option<LbTarget>, Option<crate::model::Worker>) {
    ctx.topic = Topic::Environment;
    let decided = environment::decide(ctx, m, &inputs.files);
    ctx.topic = Topic::ProcessPort;
    let process_port = eb::process_port(ctx, m);
    ctx.topic = Topic::Target;
    let app_port = target::app_port(ctx, run, process_port);
    ctx.topic = Topic::Environment;
    let load_balancer = environment::load_balancer(ctx, m, &decided, app_port.as_ref());
    // EB's proxy and what `Resources` did to EB's own listener and instances.
    let overrides = resources::eb_overrides(&inputs.settings);
    let load_balancer = proxy::carry(ctx, m, inputs, run, load_balancer, &overrides);
    let mut env = decided.with_load_balancer(load_balancer);
    if env.load_balancer.is_none() {
        scaling::requests_without_load_balancer(ctx, m, &mut env.scaling);
    }
    let worker = worker::worker(ctx, m, env.tier, &inputs.files, app_port.as_ref());
    (env, app_port, worker)
}

/// What is left once the service is built: what private subnets need (now that the secrets are
/// known), EC2 capacity (the instance type the stack defaults to and the Auto Scaling group's
/// bounds), options without an ECS counterpart, options nothing read, and the values only the
/// user can fill in. Returns the instance type, the bounds and the VPC endpoint services.
fn leftovers(
    ctx: &mut Ctx,
    m: &Mapper,
    run: &Dockerrun,
    environment: &Environment,
    size: task::TaskSize,
    (has_target, worker, exec): (bool, bool, bool),
) -> (
    Option<String>,
    Option<crate::model::Ec2Capacity>,
    Vec<String>,
) {
    ctx.topic = Topic::Environment;
    let endpoints = environment::private_subnet_endpoints(
        ctx,
        m,
        &environment.network,
        (worker, exec, environment.xray),
    );
    ctx.topic = Topic::Capacity;
    let instance_type = scaling::capacity(
        ctx,
        m,
        environment,
        (size.cpu, size.memory),
        size.container_memory,
    );
    let bounds = scaling::ec2_bounds(
        ctx,
        m,
        environment,
        instance_type.as_deref(),
        (size.container_memory, size.container_cpu),
    );
    ctx.topic = Topic::Leftovers;
    eb::instance_options(ctx, m);
    eb::unconverted(ctx, m);
    ctx.topic = Topic::Placeholders;
    let tg_arn = service::target_group_arn(ctx);
    placeholders::placeholders(ctx, run, has_target, &tg_arn);
    (instance_type, bounds, endpoints)
}

/// Every container definition (the X-Ray and sqsd sidecars last) and the task's volumes.
fn containers(
    ctx: &mut Ctx,
    m: &Mapper,
    run: &Dockerrun,
    app_port: Option<&LbTarget>,
    environment: &Environment,
    worker: &Option<crate::model::Worker>,
) -> (Vec<ecs::ContainerDefinition>, Vec<ecs::Volume>) {
    ctx.topic = Topic::Properties;
    let props = properties::properties(ctx, m, run);
    ctx.topic = Topic::Containers;
    let mut defs: Vec<_> = run
        .containers
        .iter()
        .zip(&props.envs)
        .enumerate()
        .map(|(i, (c, env))| containers::container(ctx, run, c, env, props.secrets_of(i)))
        .collect();
    ctx.topic = Topic::Volumes;
    let volumes = containers::volumes(ctx, run, &mut defs);
    ctx.topic = Topic::Networking;
    network::ports(ctx, run, &mut defs, app_port);
    network::links(ctx, run, &props.envs, &mut defs);
    network::env_hostnames(ctx, run, &props.envs);
    endpoints::reachability(ctx, run, &props.envs);
    containers::file_level(ctx, run);
    if environment.xray {
        defs.push(containers::xray_sidecar(ctx));
    }
    if let Some(w) = worker {
        let log = containers::awslogs(ctx, worker::SIDECAR);
        let app_healthy = defs
            .iter()
            .any(|d| d.name == w.app_container && d.health_check.is_some());
        defs.push(worker::sidecar(ctx, w, log, app_healthy));
    }
    (defs, volumes)
}

fn origins(run: &Dockerrun) -> Vec<ContainerOrigin> {
    run.containers
        .iter()
        .map(|c| ContainerOrigin {
            name: c.name.clone(),
            original: c.original.clone(),
        })
        .collect()
}

/// The context with the names resolved (family, region, account or its placeholder) and the
/// findings of reading the inputs.
fn context(
    inputs: &Inputs,
    opts: &Options,
    settings: &EnvSettings,
    input_findings: Vec<Finding>,
) -> Ctx {
    let given = opts
        .family
        .as_deref()
        .or(inputs.dockerrun.family.as_deref());
    let env_name = settings
        .environment_name
        .as_deref()
        .filter(|_| given.is_none());
    let family = sanitise_name(
        &given.map_or_else(|| family_of(&inputs.project_name, env_name), str::to_string),
    );
    let account = opts
        .account_id
        .clone()
        .unwrap_or_else(|| ACCOUNT_PLACEHOLDER.to_string());
    let mut ctx = Ctx::new(
        &inputs.dockerrun.file,
        &family,
        DEFAULT_REGION,
        &account,
        opts,
    );
    if let Some(env) = env_name {
        family_finding(&mut ctx, env);
    }
    ctx.extend(inputs.dockerrun_findings.iter().cloned());
    ctx.extend(input_findings);
    ctx.extend(inputs::skipped(&inputs.skipped, &inputs.dockerrun.file));
    resolve_region_and_account(&mut ctx, inputs, opts, settings);
    ctx
}

/// The task definition family where the EB environment is known: the environment's name when
/// it already names the application (`shop-production`), else `APPLICATION-ENVIRONMENT`, so a
/// staging and a production conversion of one project do not share a family (a registration of
/// one would become the other's latest revision).
fn family_of(project: &str, environment: Option<&str>) -> String {
    match environment.map(str::trim).filter(|e| !e.is_empty()) {
        None => project.to_string(),
        Some(e)
            if e.to_ascii_lowercase()
                .starts_with(&project.to_ascii_lowercase()) =>
        {
            e.to_string()
        }
        Some(e) => format!("{project}-{e}"),
    }
}

/// Why the family names the environment.
fn family_finding(ctx: &mut Ctx, environment: &str) {
    let family = ctx.family.clone();
    ctx.push(
        Finding::new(
            codes::FAMILY_PER_ENVIRONMENT,
            Severity::Info,
            Source::new("EB environment", environment.to_string()),
            format!("the task definition family (and the cluster, service and log group named after it) is {family}, after the EB environment {environment}: another environment of the application converts to its own family"),
            "Nothing to do; --family sets another name.",
        )
        .in_phase(Phase::Deploy),
    );
}

/// The region and account: given (command line, environment variables, the live environment),
/// else read from the inputs' ARNs and image URIs (a finding), else a default region with a
/// finding (and the account placeholder); then a blocker for each certificate or ECR image of
/// another region.
fn resolve_region_and_account(
    ctx: &mut Ctx,
    inputs: &Inputs,
    opts: &Options,
    settings: &EnvSettings,
) {
    ctx.topic = Topic::Region;
    let clues = region::clues(inputs, settings);
    ctx.region = opts
        .region
        .clone()
        // config.yml's region, when AWS has it.
        .or_else(|| (inputs.region.clone()).filter(|r| limits::partition_of(r).is_some()))
        .or_else(|| region::from_inputs(ctx, &clues))
        .unwrap_or_else(|| region_assumed(ctx));
    if let Some(account) = region::account(ctx, opts.account_id.as_deref(), &clues) {
        ctx.account = account;
    }
    let resolved = ctx.region.clone();
    region::mismatches(ctx, &resolved, &clues);
}

/// No region anywhere: the default, with a finding.
fn region_assumed(ctx: &mut Ctx) -> String {
    ctx.push(
        Finding::new(
            codes::REGION_ASSUMED,
            Severity::Warning,
            Source::new("command line", "--region"),
            format!("no region given (--region, AWS_REGION, AWS_DEFAULT_REGION) nor named by the inputs; {DEFAULT_REGION} is used in log configuration and ARNs"),
            "Run again with --region set to the region you deploy to.",
        )
        .in_phase(Phase::Deploy),
    );
    DEFAULT_REGION.to_string()
}

/// What the checklist needs to know about the EB environment itself.
fn eb_environment(settings: &EnvSettings) -> EbEnvironment {
    EbEnvironment {
        name: settings.environment_name.clone(),
        cname: settings.cname.clone(),
        resources: settings.resources.clone(),
        saved_config: settings.files.iter().any(|f| f.contains("saved_configs")),
    }
}

/// A context for unit tests of the rules.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::Ctx;
    use crate::load::settings::{merge, EnvSettings, Layer};
    use crate::model::{LaunchType, Options, SecretsMode};

    pub use crate::load::settings::test_doc as doc;

    /// Effective settings from `(namespace, option, value)` in one saved configuration.
    pub fn settings(opts: &[(&str, &str, &str)]) -> EnvSettings {
        merge(&[doc("s", Layer::SavedConfig, opts)]).0
    }

    /// A fresh context.
    pub fn ctx(launch_type: LaunchType) -> Ctx {
        Ctx::new(
            "Dockerrun.aws.json",
            "app",
            "eu-west-1",
            "123456789012",
            &options(launch_type),
        )
    }

    /// Options with nothing given but the launch type.
    pub fn options(launch_type: LaunchType) -> Options {
        Options {
            launch_type,
            family: None,
            cluster: None,
            service_name: None,
            region: None,
            account_id: None,
            secrets: SecretsMode::Ssm,
            secrets_kms_key: None,
            delivery: None,
            sqsd_image: None,
            container_insights: false,
            redirect_http: false,
        }
    }
}

#[cfg(test)]
mod accounting {
    use crate::load::settings::{self, Layer};
    use crate::model::LaunchType;
    use std::path::Path;

    fn corpus(sub: &str) -> Vec<std::path::PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/corpus")
            .join(sub);
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("corpus folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        files
    }

    /// Whether a finding names the option: at its own source, in a message about its namespace
    /// that lists it, or in one about the whole namespace (an EB-managed database).
    fn names(f: &crate::finding::Finding, ns: &str, opt: &str) -> bool {
        let own = format!("{ns}:{opt}");
        f.source.location == own
            || f.source.location.ends_with(&format!(".{own}"))
            || (f.source.location.ends_with(ns) && f.message.contains(opt))
            || (f.source.location.contains(ns) && f.message.contains(&format!("({ns})")))
    }

    /// Every option a corpus settings file sets is either read by a rule or named in a finding:
    /// the two counts add up to the number of options set, for every file.
    #[test]
    fn every_option_is_read_or_reported() {
        let dockerrun = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/cases/nginx-linked-app/input/Dockerrun.aws.json");
        let (run, run_findings) =
            crate::load::dockerrun(&dockerrun, "Dockerrun.aws.json", "Dockerrun.aws.json")
                .expect("dockerrun");
        let mut total = 0;
        for f in corpus("ebextensions")
            .into_iter()
            .chain(corpus("saved-configs"))
        {
            let name = f.display().to_string();
            let doc = settings::load(&f, &name, &name, None).expect("corpus settings load");
            let (merged, _) = settings::merge(std::slice::from_ref(&doc));
            let inputs = crate::load::Inputs {
                platform: None,
                platform_choice: None,
                env_reads: Vec::new(),
                eb_cli: Default::default(),
                project_name: "corpus".into(),
                display: "Dockerrun.aws.json".into(),
                dockerrun: run.clone(),
                dockerrun_findings: run_findings.clone(),
                settings: vec![doc],
                files: vec![],
                region: Some("eu-west-1".into()),
                skipped: vec![],
            };
            let opts = crate::convert::tests_support::options(LaunchType::Fargate);
            let (model, used) = super::convert_and_account(&inputs, &opts);
            let set: Vec<&(String, String)> = merged
                .options
                .iter()
                .filter(|(_, s)| s.layer != Layer::Default && !s.value.trim().is_empty())
                .map(|(k, _)| k)
                .collect();
            let (mut read, mut reported) = (0, 0);
            for (ns, opt) in &set {
                if used.contains(&(ns.clone(), opt.clone())) {
                    read += 1;
                } else if model.findings.iter().any(|f| names(f, ns, opt)) {
                    reported += 1;
                } else {
                    panic!("{name}: {ns}:{opt} is neither read by a rule nor named in a finding");
                }
            }
            assert_eq!(read + reported, set.len(), "{name}");
            total += set.len();
        }
        assert!(total > 100, "the corpus sets only {total} options");
    }
}
