//! EB option settings into the migration model: environment properties and secrets, scaling,
//! the load balancer, health checks, deployment policy, logs, network and capacity. Every option
//! a file set is either used here or reported as not converted.

use super::limits;
use super::Ctx;
use crate::dockerrun::{Dockerrun, EnvVar};
use crate::ecs;
use crate::finding::{Finding, Phase, Severity, Source};
use crate::model::{
    Environment, HealthCheck, LaunchType, Listener, ListenerRule, LoadBalancer, Network, Scaling,
    Tier,
};
use crate::settings::{EnvSettings, Layer, Setting};
use std::cell::RefCell;
use std::collections::BTreeSet;

const PROCESS: &str = "aws:elasticbeanstalk:environment:process:default";
const APP_ENV: &str = "aws:elasticbeanstalk:application:environment";
const APP_SECRETS: &str = "aws:elasticbeanstalk:application:environmentsecrets";

/// Reads settings and remembers which were used, so the rest can be reported.
pub struct Mapper<'a> {
    settings: &'a EnvSettings,
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

    fn number(&self, ctx: &mut Ctx, ns: &str, opt: &str, default: u32) -> u32 {
        match self.get(ns, opt) {
            None => default,
            Some(s) => match s.value.trim().parse::<u32>() {
                Ok(n) => n,
                Err(_) => {
                    ctx.push(Finding::new(
                        "SETTING-BAD-NUMBER",
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

    fn flag(&self, ns: &str, opt: &str) -> Option<bool> {
        self.value(ns, opt).map(|v| v.eq_ignore_ascii_case("true"))
    }

    /// Mark a whole namespace as used.
    fn use_namespace(&self, ns: &str) {
        for (opt, _) in self.settings.namespace(ns) {
            self.used
                .borrow_mut()
                .insert((ns.to_string(), opt.to_string()));
        }
    }

    fn is_used(&self, ns: &str, opt: &str) -> bool {
        self.used
            .borrow()
            .contains(&(ns.to_string(), opt.to_string()))
    }
}

/// Merge EB environment properties into every container's environment (EB passes them to all
/// containers) and add `environmentsecrets` as secrets. The Dockerrun is changed in place.
pub fn environment_properties(ctx: &mut Ctx, m: &Mapper, run: &mut Dockerrun) -> Vec<ecs::Secret> {
    let props: Vec<(String, &Setting)> = m
        .settings
        .namespace(APP_ENV)
        .map(|(k, s)| (k.to_string(), s))
        .collect();
    m.use_namespace(APP_ENV);
    for c in &mut run.containers {
        for (name, setting) in &props {
            if let Some(pos) = c.environment.iter().position(|e| &e.name == name) {
                let prev = c.environment.remove(pos);
                ctx.push(Finding::new(
                    "ENV-DEFINED-TWICE",
                    Severity::Warning,
                    setting.source.clone(),
                    format!(
                        "`{name}` is set for `{}` both in the Dockerrun ({}) and as an EB environment property; the EB property wins, as EB passed it to the container last",
                        c.name, prev.pointer
                    ),
                    "Keep one of them; check the value the container really saw (`docker inspect` on an EB instance).",
                ));
            }
            c.environment.push(EnvVar {
                name: name.clone(),
                value: setting.value.clone(),
                pointer: String::new(),
                origin: Some(setting.source.clone()),
            });
        }
    }
    let mut secrets = Vec::new();
    for (name, setting) in m.settings.namespace(APP_SECRETS) {
        secrets.push(ecs::Secret {
            name: name.to_string(),
            value_from: setting.value.clone(),
        });
        ctx.push(Finding::new(
            "SECRET-REFERENCE",
            Severity::Info,
            setting.source.clone(),
            format!("`{name}` comes from {} as before; the execution role must be allowed to read it", setting.value),
            "Nothing to do with the CloudFormation stack (it grants exactly this ARN); with the plain JSON, grant it to the execution role.",
        ));
    }
    m.use_namespace(APP_SECRETS);
    secrets
}

fn split_list(v: &str) -> Vec<String> {
    v.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The EB process port (the host port the load balancer reached).
pub fn process_port(ctx: &mut Ctx, m: &Mapper) -> u16 {
    let classic_port = m
        .value("aws:elb:listener", "InstancePort")
        .and_then(|p| p.parse().ok());
    let n = m.number(ctx, PROCESS, "Port", 80);
    match (m.get(PROCESS, "Port").map(|s| s.layer), classic_port) {
        (Some(Layer::Default) | None, Some(p)) => p,
        _ => u16::try_from(n).unwrap_or(80),
    }
}

/// Build the environment model and apply it to the service.
pub fn environment(
    ctx: &mut Ctx,
    m: &Mapper,
    has_target: bool,
    service: &mut ecs::Service,
) -> Environment {
    let tier = match m.settings.tier.as_deref() {
        Some(t) if t.eq_ignore_ascii_case("worker") => Tier::Worker,
        _ => Tier::WebServer,
    };
    let env_type = m
        .value("aws:elasticbeanstalk:environment", "EnvironmentType")
        .unwrap_or("LoadBalanced");
    let single_instance = env_type.eq_ignore_ascii_case("SingleInstance");
    let lb_type_setting = m.get("aws:elasticbeanstalk:environment", "LoadBalancerType");
    let has_classic_options = m
        .settings
        .options
        .iter()
        .any(|((ns, _), s)| ns.starts_with("aws:elb:") && s.layer != Layer::Default);
    let lb_type = match lb_type_setting {
        Some(s) if s.layer != Layer::Default => s.value.trim().to_ascii_lowercase(),
        // Environments that never set a type but configure a classic ELB are classic ones
        // (the default before application load balancers).
        _ if has_classic_options => "classic".to_string(),
        _ => "application".to_string(),
    };
    m.get("aws:elasticbeanstalk:environment", "ServiceRole");
    m.get("aws:elasticbeanstalk:environment", "LoadBalancerIsShared");

    let network = network(ctx, m);
    let scaling = scaling(ctx, m);
    let (min_healthy_percent, max_percent) = deployment(ctx, m, scaling.min);
    let log_retention_days = log_retention(ctx, m);
    let xray = m
        .flag("aws:elasticbeanstalk:xray", "XRayEnabled")
        .unwrap_or(false);
    let instance_type = m
        .value("aws:autoscaling:launchconfiguration", "InstanceType")
        .map(str::to_string)
        .or_else(|| {
            m.value("aws:ec2:instances", "InstanceTypes")
                .and_then(|t| split_list(&t.replace(' ', ",")).into_iter().next())
        });

    let load_balancer = if tier == Tier::Worker {
        ctx.push(Finding::new(
            "WORKER-TIER",
            Severity::Blocker,
            Source::new(m.settings.files.last().cloned().unwrap_or_default(), "EnvironmentTier"),
            "this is a worker environment: EB's sqsd daemon read the SQS queue and POSTed each message to the application on localhost; ECS has no sqsd, so the service gets no load balancer and nothing feeds it messages",
            "Make the application poll the queue itself (or add a small sidecar that does what sqsd did), and give the task role sqs:ReceiveMessage/DeleteMessage on that queue only.",
        ));
        m.use_namespace("aws:elasticbeanstalk:sqsd");
        None
    } else if single_instance {
        ctx.push(Finding::new(
            "SINGLE-INSTANCE",
            Severity::Warning,
            m.get("aws:elasticbeanstalk:environment", "EnvironmentType").map_or_else(|| Source::new("EB settings", "aws:elasticbeanstalk:environment:EnvironmentType"), |s| s.source.clone()),
            "EB ran a single instance without a load balancer; clients reached the instance's Elastic IP directly. The service gets no load balancer",
            "Give the tasks public IPs in a public subnet (and point DNS at them), or better, add a load balancer: rerun eb2ecs with EnvironmentType LoadBalanced.",
        ));
        None
    } else if !has_target {
        None
    } else {
        if lb_type == "classic" || lb_type == "network" {
            ctx.push(Finding::new(
                "LB-TYPE-CHANGED",
                Severity::Warning,
                m.get("aws:elasticbeanstalk:environment", "LoadBalancerType").map_or_else(|| Source::new("EB settings", "aws:elasticbeanstalk:environment:LoadBalancerType"), |s| s.source.clone()),
                format!("EB used a {lb_type} load balancer; the ECS service gets an Application Load Balancer"),
                "Check the listeners, health check and timeouts in cloudformation.yaml; clients that relied on TCP pass-through or the classic ELB's DNS name need the new DNS name.",
            ));
        }
        Some(load_balancer(ctx, m, lb_type == "classic", &network))
    };

    service.desired_count = scaling.min.max(1);
    service.deployment_configuration.minimum_healthy_percent = min_healthy_percent;
    service.deployment_configuration.maximum_percent = max_percent;
    if let Some(nc) = &mut service.network_configuration {
        if network.assign_public_ip {
            nc.awsvpc_configuration.assign_public_ip = "ENABLED".to_string();
        }
        if !network.subnets.is_empty() {
            nc.awsvpc_configuration.subnets.clone_from(&network.subnets);
        }
    }
    if load_balancer.is_none() {
        service.load_balancers.clear();
        service.health_check_grace_period_seconds = None;
    } else if let Some(lb) = &load_balancer {
        // Long enough for the target to pass the health check once.
        let grace = (lb.health_check.interval * lb.health_check.healthy).max(60);
        service.health_check_grace_period_seconds = Some(grace);
    }
    Environment {
        tier,
        single_instance,
        load_balancer,
        scaling,
        min_healthy_percent,
        max_percent,
        log_retention_days,
        xray,
        network,
        instance_type,
    }
}

fn network(ctx: &mut Ctx, m: &Mapper) -> Network {
    let ns = "aws:ec2:vpc";
    let public = m.flag(ns, "AssociatePublicIpAddress").unwrap_or(false);
    if public {
        ctx.push(Finding::new(
            "PUBLIC-IP",
            Severity::Info,
            m.get(ns, "AssociatePublicIpAddress").map_or_else(|| Source::new("", ""), |s| s.source.clone()),
            "EB instances had public IP addresses; the tasks get one too (assignPublicIp ENABLED) so they can pull images without a NAT gateway",
            "Prefer private subnets with a NAT gateway or VPC endpoints, then set assignPublicIp to DISABLED.",
        ));
    }
    let vpc_id = m.value(ns, "VPCId").map(str::to_string);
    Network {
        vpc_id,
        subnets: m.value(ns, "Subnets").map(split_list).unwrap_or_default(),
        elb_subnets: m
            .value(ns, "ELBSubnets")
            .map(split_list)
            .unwrap_or_default(),
        assign_public_ip: public,
    }
}

fn scaling(ctx: &mut Ctx, m: &Mapper) -> Scaling {
    let ns = "aws:autoscaling:asg";
    let min = m.number(ctx, ns, "MinSize", 1);
    let max = m.number(ctx, ns, "MaxSize", 4).max(min);
    let trig = "aws:autoscaling:trigger";
    let measure = m.value(trig, "MeasureName").unwrap_or("NetworkOut");
    let upper = m.value(trig, "UpperThreshold");
    for opt in [
        "LowerThreshold",
        "Statistic",
        "Unit",
        "Period",
        "BreachDuration",
        "EvaluationPeriods",
        "UpperBreachScaleIncrement",
        "LowerBreachScaleIncrement",
    ] {
        m.get(trig, opt);
    }
    let source = m.get(trig, "MeasureName").map_or_else(
        || Source::new("EB default", "aws:autoscaling:trigger:MeasureName"),
        |s| s.source.clone(),
    );
    let cpu_target = if measure == "CPUUtilization" {
        let t = upper
            .and_then(|u| u.parse::<f64>().ok())
            .map_or(70, |u| u.round().clamp(10.0, 90.0) as u32);
        ctx.push(Finding::new(
            "SCALING-CPU",
            Severity::Info,
            source,
            format!("EB scaled on CPUUtilization (upper threshold {}); the service scales to keep average CPU at {t}% between {min} and {max} tasks", upper.unwrap_or("not set")),
            "Watch the first days of traffic and tune the target.",
        ).in_phase(Phase::Verify));
        t
    } else {
        ctx.push(Finding::new(
            "SCALING-PROPOSED",
            Severity::Warning,
            source,
            format!("EB scaled on {measure}, which has no ECS service metric; a CPU target of 70% between {min} and {max} tasks is proposed instead"),
            format!("Check that CPU follows the load that {measure} measured, or add a step-scaling policy on a CloudWatch alarm for it."),
        ).in_phase(Phase::Verify));
        70
    };
    if m.settings
        .get(ns, "MinSize")
        .is_some_and(|s| s.layer != Layer::Default)
        && min == 0
    {
        ctx.push(Finding::new(
            "SCALING-ZERO",
            Severity::Warning,
            m.get(ns, "MinSize")
                .map_or_else(|| Source::new("", ""), |s| s.source.clone()),
            "MinSize is 0; the service starts with 1 task",
            "Set the desired count to 0 by hand if the service should be idle.",
        ));
    }
    Scaling {
        min: min.max(1),
        max: max.max(1),
        cpu_target,
    }
}

fn deployment(ctx: &mut Ctx, m: &Mapper, min_tasks: u32) -> (u32, u32) {
    let ns = "aws:elasticbeanstalk:command";
    let policy = m
        .value(ns, "DeploymentPolicy")
        .unwrap_or("AllAtOnce")
        .to_string();
    let batch_type = m
        .value(ns, "BatchSizeType")
        .unwrap_or("Percentage")
        .to_string();
    let batch = m.number(ctx, ns, "BatchSize", 100);
    m.get(ns, "Timeout");
    m.get(ns, "IgnoreHealthCheck");
    let batch_pct = if batch_type.eq_ignore_ascii_case("Fixed") {
        (batch * 100).div_ceil(min_tasks.max(1)).min(100)
    } else {
        batch.min(100)
    };
    let (min_h, max_p, note) = match policy.as_str() {
        "AllAtOnce" => (
            100,
            200,
            "EB replaced every instance at once (downtime); the service keeps all tasks running and starts the new ones beside them (100% / 200%), which needs no downtime".to_string(),
        ),
        "Rolling" => (
            100u32.saturating_sub(batch_pct),
            100,
            format!("EB rolled in batches of {batch} ({batch_type}); the service replaces up to {batch_pct}% of tasks at a time"),
        ),
        "RollingWithAdditionalBatch" => (
            100,
            100 + batch_pct,
            format!("EB added a batch of {batch} ({batch_type}) before rolling; the service starts up to {batch_pct}% extra tasks and keeps 100% healthy"),
        ),
        "Immutable" | "TrafficSplitting" => (
            100,
            200,
            format!("EB deployed {policy}; the service starts a full new set of tasks before stopping the old (100% / 200%){}",
                if policy == "TrafficSplitting" { ". For canary traffic shifting, use an ECS blue/green deployment" } else { "" }),
        ),
        other => (100, 200, format!("unknown DeploymentPolicy {other:?}; the ECS default 100% / 200% is used")),
    };
    let source = m.get(ns, "DeploymentPolicy").map_or_else(
        || {
            Source::new(
                "EB default",
                "aws:elasticbeanstalk:command:DeploymentPolicy",
            )
        },
        |s| s.source.clone(),
    );
    ctx.push(Finding::new(
        "DEPLOYMENT-POLICY",
        Severity::Info,
        source,
        format!("{note}: minimumHealthyPercent {min_h}, maximumPercent {max_p}, with the circuit breaker rolling back failed deployments"),
        "Nothing to do; with one task, minimumHealthyPercent 100 needs room for a second task during deployments.",
    ).in_phase(Phase::Deploy));
    (min_h, max_p)
}

fn log_retention(ctx: &mut Ctx, m: &Mapper) -> u32 {
    let ns = "aws:elasticbeanstalk:cloudwatch:logs";
    let days = m.number(ctx, ns, "RetentionInDays", 7);
    const VALID: &[u32] = &[
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
        2922, 3288, 3653,
    ];
    let days = if VALID.contains(&days) {
        days
    } else {
        let next = VALID.iter().copied().find(|d| *d >= days).unwrap_or(3653);
        ctx.push(Finding::new(
            "LOG-RETENTION-ROUNDED",
            Severity::Info,
            m.get(ns, "RetentionInDays")
                .map_or_else(|| Source::new("", ""), |s| s.source.clone()),
            format!("{days} days is not a CloudWatch Logs retention; {next} is used"),
            "Nothing to do.",
        ));
        next
    };
    if m.flag(ns, "StreamLogs") == Some(false) || m.get(ns, "StreamLogs").is_none() {
        ctx.push(Finding::new(
            "LOGS-NOW-STREAMED",
            Severity::Info,
            m.get(ns, "StreamLogs").map_or_else(|| Source::new("EB default", "aws:elasticbeanstalk:cloudwatch:logs:StreamLogs"), |s| s.source.clone()),
            format!("EB did not stream logs to CloudWatch; the containers now log to {} (kept {days} days)", ctx.log_group()),
            "Nothing to do; mind the CloudWatch Logs cost of chatty containers.",
        ).in_phase(Phase::Verify));
    }
    m.get(ns, "DeleteOnTerminate");
    days
}

fn health_check(ctx: &mut Ctx, m: &Mapper, classic: bool) -> HealthCheck {
    let mut hc = HealthCheck {
        path: m
            .value(PROCESS, "HealthCheckPath")
            .unwrap_or("/")
            .to_string(),
        interval: m.number(ctx, PROCESS, "HealthCheckInterval", 15),
        timeout: m.number(ctx, PROCESS, "HealthCheckTimeout", 5),
        healthy: m.number(ctx, PROCESS, "HealthyThresholdCount", 3),
        unhealthy: m.number(ctx, PROCESS, "UnhealthyThresholdCount", 5),
        matcher: m
            .value(PROCESS, "MatcherHTTPCode")
            .unwrap_or("200")
            .to_string(),
    };
    // Which values still come from EB's defaults (reported below).
    let mut defaulted: Vec<&str> = [
        "HealthCheckPath",
        "HealthCheckInterval",
        "HealthCheckTimeout",
        "HealthyThresholdCount",
        "UnhealthyThresholdCount",
        "MatcherHTTPCode",
    ]
    .into_iter()
    .filter(|o| {
        m.settings
            .get(PROCESS, o)
            .is_none_or(|s| s.layer == Layer::Default)
    })
    .collect();
    if let Some(url) = m.get(
        "aws:elasticbeanstalk:application",
        "Application Healthcheck URL",
    ) {
        let v = url.value.trim();
        let path = v.split_once(':').map_or(v, |(_, rest)| {
            rest.trim_start_matches(|c: char| c.is_ascii_digit())
        });
        if !path.is_empty() && defaulted.contains(&"HealthCheckPath") {
            hc.path = if path.starts_with('/') {
                path.to_string()
            } else {
                format!("/{path}")
            };
            defaulted.retain(|o| *o != "HealthCheckPath");
        }
    }
    if classic {
        let ns = "aws:elb:healthcheck";
        if let Some(target) = m.value(ns, "Target") {
            if let Some((_, rest)) = target.split_once(':') {
                if let Some(i) = rest.find('/') {
                    hc.path = rest[i..].to_string();
                    defaulted.retain(|o| *o != "HealthCheckPath");
                }
            }
        }
        for (opt, field, name) in [
            ("Interval", &mut hc.interval, "HealthCheckInterval"),
            ("Timeout", &mut hc.timeout, "HealthCheckTimeout"),
            ("HealthyThreshold", &mut hc.healthy, "HealthyThresholdCount"),
            (
                "UnhealthyThreshold",
                &mut hc.unhealthy,
                "UnhealthyThresholdCount",
            ),
        ] {
            if m.get(ns, opt).is_some() {
                *field = m.number(ctx, ns, opt, *field);
                defaulted.retain(|o| *o != name);
            }
        }
    }
    if !defaulted.is_empty() {
        let shown: Vec<String> = defaulted
            .iter()
            .map(|o| {
                let v = match *o {
                    "HealthCheckPath" => hc.path.clone(),
                    "HealthCheckInterval" => hc.interval.to_string(),
                    "HealthCheckTimeout" => hc.timeout.to_string(),
                    "HealthyThresholdCount" => hc.healthy.to_string(),
                    "UnhealthyThresholdCount" => hc.unhealthy.to_string(),
                    _ => hc.matcher.clone(),
                };
                format!("{o}={v}")
            })
            .collect();
        ctx.push(
            Finding::new(
                "EB-DEFAULTS-USED",
                Severity::Info,
                Source::new("EB default", PROCESS),
                format!(
                    "no setting for {}; EB's defaults are used for the target group ({}), which differ from the ALB's own defaults",
                    if shown.len() == 1 { "this health check option" } else { "these health check options" },
                    shown.join(", ")
                ),
                "Check the health check against what the application really serves.",
            )
            .in_phase(Phase::Verify),
        );
    }
    // ALB limits: interval 5-300, timeout 2-120 and below the interval, thresholds 2-10.
    let clamped = HealthCheck {
        interval: hc.interval.clamp(5, 300),
        timeout: hc.timeout.clamp(2, 120),
        healthy: hc.healthy.clamp(2, 10),
        unhealthy: hc.unhealthy.clamp(2, 10),
        ..hc.clone()
    };
    let clamped = HealthCheck {
        timeout: clamped
            .timeout
            .min(clamped.interval.saturating_sub(1).max(2)),
        ..clamped
    };
    if clamped != hc {
        ctx.push(Finding::new(
            "HEALTH-CHECK-ADJUSTED",
            Severity::Warning,
            Source::new("EB settings", PROCESS),
            format!(
                "the health check (interval {}, timeout {}, healthy {}, unhealthy {}) is outside what a target group accepts; used interval {}, timeout {}, healthy {}, unhealthy {}",
                hc.interval, hc.timeout, hc.healthy, hc.unhealthy, clamped.interval, clamped.timeout, clamped.healthy, clamped.unhealthy
            ),
            "Check the health check settings in cloudformation.yaml.",
        ));
    }
    clamped
}

fn load_balancer(ctx: &mut Ctx, m: &Mapper, classic: bool, network: &Network) -> LoadBalancer {
    let health_check = health_check(ctx, m, classic);
    let internal = m
        .value("aws:ec2:vpc", "ELBScheme")
        .is_some_and(|s| s.eq_ignore_ascii_case("internal"));
    let mut listeners: Vec<Listener> = Vec::new();
    if classic {
        classic_listeners(ctx, m, &mut listeners);
    } else {
        elbv2_listeners(ctx, m, &mut listeners);
    }
    if listeners.is_empty() {
        listeners.push(Listener {
            port: 80,
            protocol: "HTTP".to_string(),
            certificates: Vec::new(),
            ssl_policy: None,
        });
    }
    listeners.sort_by_key(|l| l.port);
    let rules = listener_rules(ctx, m);
    let deregistration_delay = if classic {
        let drain = m
            .flag("aws:elb:policies", "ConnectionDrainingEnabled")
            .unwrap_or(false);
        let t = m.number(ctx, "aws:elb:policies", "ConnectionDrainingTimeout", 20);
        if drain {
            t
        } else {
            m.number(ctx, PROCESS, "DeregistrationTimeout", 20)
        }
    } else {
        m.number(ctx, PROCESS, "DeregistrationTimeout", 20)
    };
    let stickiness = if m.flag(PROCESS, "StickinessEnabled").unwrap_or(false) {
        Some(
            m.number(ctx, PROCESS, "StickinessLBCookieDuration", 86400)
                .clamp(1, 604_800),
        )
    } else {
        m.get(PROCESS, "StickinessLBCookieDuration");
        None
    };
    m.get(PROCESS, "StickinessType");
    m.get(PROCESS, "Port");
    m.get(PROCESS, "Protocol");
    let idle_timeout = m
        .number(ctx, "aws:elbv2:loadbalancer", "IdleTimeout", 60)
        .clamp(1, 4000);
    let _ = network;
    LoadBalancer {
        internal,
        listeners,
        rules,
        health_check,
        deregistration_delay: deregistration_delay.min(3600),
        stickiness,
        idle_timeout,
    }
}

fn elbv2_listeners(ctx: &mut Ctx, m: &Mapper, out: &mut Vec<Listener>) {
    let mut namespaces: BTreeSet<String> = m
        .settings
        .options
        .keys()
        .filter(|(ns, _)| ns.starts_with("aws:elbv2:listener:"))
        .map(|(ns, _)| ns.clone())
        .collect();
    namespaces.insert("aws:elbv2:listener:default".to_string());
    for ns in namespaces {
        let suffix = ns.trim_start_matches("aws:elbv2:listener:");
        let port: u16 = if suffix == "default" {
            80
        } else {
            match suffix.parse() {
                Ok(p) => p,
                Err(_) => continue,
            }
        };
        if m.flag(&ns, "ListenerEnabled") == Some(false) {
            continue;
        }
        let protocol = m
            .value(&ns, "Protocol")
            .unwrap_or("HTTP")
            .to_ascii_uppercase();
        let certificates = m
            .value(&ns, "SSLCertificateArns")
            .map(split_list)
            .unwrap_or_default();
        let ssl_policy = m.value(&ns, "SSLPolicy").map(str::to_string);
        if let Some(p) = m.value(&ns, "DefaultProcess").filter(|p| *p != "default") {
            ctx.push(Finding::new(
                "LISTENER-PROCESS",
                Severity::Warning,
                m.get(&ns, "DefaultProcess").map_or_else(|| Source::new("", ""), |s| s.source.clone()),
                format!("listener {port} sent traffic to EB process `{p}`; the stack has one target group (the default process)"),
                "Add a target group for that process by hand if it served something else.",
            ));
        }
        m.get(&ns, "Rules");
        if protocol == "HTTPS" && certificates.is_empty() {
            ctx.push(Finding::new(
                "LISTENER-NO-CERTIFICATE",
                Severity::Warning,
                Source::new("EB settings", ns.clone()),
                format!("HTTPS listener {port} has no certificate in the settings; the stack takes it as the CertificateArn parameter"),
                "Pass the ACM certificate ARN as CertificateArn when deploying.",
            ));
        }
        out.push(Listener {
            port,
            protocol,
            certificates,
            ssl_policy,
        });
    }
}

fn classic_listeners(ctx: &mut Ctx, m: &Mapper, out: &mut Vec<Listener>) {
    let mut namespaces: BTreeSet<String> = m
        .settings
        .options
        .keys()
        .filter(|(ns, _)| ns.starts_with("aws:elb:listener"))
        .map(|(ns, _)| ns.clone())
        .collect();
    namespaces.insert("aws:elb:listener".to_string());
    for ns in namespaces {
        let port: u16 = match ns.strip_prefix("aws:elb:listener:") {
            None => 80,
            Some(p) => match p.parse() {
                Ok(p) => p,
                Err(_) => continue,
            },
        };
        if m.flag(&ns, "ListenerEnabled") == Some(false) {
            continue;
        }
        let proto = m
            .value(&ns, "ListenerProtocol")
            .unwrap_or("HTTP")
            .to_ascii_uppercase();
        m.get(&ns, "InstancePort");
        m.get(&ns, "InstanceProtocol");
        m.get(&ns, "PolicyNames");
        let protocol = match proto.as_str() {
            "HTTPS" | "SSL" => "HTTPS",
            _ => "HTTP",
        }
        .to_string();
        if proto == "TCP" || proto == "SSL" {
            ctx.push(Finding::new(
                "LISTENER-PROTOCOL-CHANGED",
                Severity::Warning,
                Source::new("EB settings", format!("{ns}:ListenerProtocol")),
                format!("classic listener {port} used {proto}; an Application Load Balancer listener speaks {protocol}"),
                "Check that clients speak HTTP(S) on this port; otherwise put a Network Load Balancer in front by hand.",
            ));
        }
        let certificates = m
            .value(&ns, "SSLCertificateId")
            .map(split_list)
            .unwrap_or_default();
        out.push(Listener {
            port,
            protocol,
            certificates,
            ssl_policy: None,
        });
    }
    let lb = "aws:elb:loadbalancer";
    if let Some(cert) = m.value(lb, "SSLCertificateId") {
        let port = m
            .value(lb, "LoadBalancerHTTPSPort")
            .and_then(|p| p.parse().ok())
            .unwrap_or(443);
        if !out.iter().any(|l| l.port == port) {
            out.push(Listener {
                port,
                protocol: "HTTPS".into(),
                certificates: vec![cert.to_string()],
                ssl_policy: None,
            });
        }
    }
    if let Some(p) = m
        .value(lb, "LoadBalancerHTTPPort")
        .and_then(|p| p.parse::<u16>().ok())
    {
        if p != 80 {
            out.retain(|l| l.port != 80);
            out.push(Listener {
                port: p,
                protocol: "HTTP".into(),
                certificates: Vec::new(),
                ssl_policy: None,
            });
        }
    }
    m.get(lb, "LoadBalancerPortProtocol");
    m.get(lb, "LoadBalancerHTTPSPort");
    m.get(lb, "CrossZone");
    m.get("aws:elb:policies", "ConnectionSettingIdleTimeout");
    ctx.push(Finding::new(
        "CLASSIC-ELB",
        Severity::Info,
        Source::new("EB settings", "aws:elb:*"),
        "classic ELB listeners and health check were read into an Application Load Balancer: cross-zone balancing is always on, connection draining becomes the target group's deregistration delay",
        "Check the listeners in cloudformation.yaml; the ALB has a new DNS name.",
    ));
}

fn listener_rules(ctx: &mut Ctx, m: &Mapper) -> Vec<ListenerRule> {
    let namespaces: BTreeSet<String> = m
        .settings
        .options
        .keys()
        .filter(|(ns, _)| ns.starts_with("aws:elbv2:listenerrule:"))
        .map(|(ns, _)| ns.clone())
        .collect();
    let mut rules = Vec::new();
    for ns in namespaces {
        let name = ns.trim_start_matches("aws:elbv2:listenerrule:").to_string();
        let host_headers = m
            .value(&ns, "HostHeaders")
            .map(split_list)
            .unwrap_or_default();
        let path_patterns = m
            .value(&ns, "PathPatterns")
            .map(split_list)
            .unwrap_or_default();
        let priority = m.number(ctx, &ns, "Priority", 1).clamp(1, 50000);
        if let Some(p) = m.value(&ns, "Process").filter(|p| *p != "default") {
            ctx.push(Finding::new(
                "LISTENER-RULE-PROCESS",
                Severity::Warning,
                Source::new("EB settings", format!("{ns}:Process")),
                format!("listener rule `{name}` sent traffic to EB process `{p}`; in the stack it forwards to the one target group"),
                "Add a target group (and maybe a service) for that process by hand.",
            ));
        }
        if host_headers.is_empty() && path_patterns.is_empty() {
            continue;
        }
        rules.push(ListenerRule {
            name,
            priority,
            host_headers,
            path_patterns,
        });
    }
    rules
}

/// On EC2: do the containers fit the instance type? On Fargate: how does the task compare?
pub fn capacity(
    ctx: &mut Ctx,
    m: &Mapper,
    env: &Environment,
    task_cpu: Option<u32>,
    task_memory: Option<u32>,
    container_memory: u32,
) {
    let Some(it) = env.instance_type.as_deref() else {
        return;
    };
    let source = m
        .get("aws:autoscaling:launchconfiguration", "InstanceType")
        .or_else(|| m.get("aws:ec2:instances", "InstanceTypes"))
        .map_or_else(
            || {
                Source::new(
                    "EB settings",
                    "aws:autoscaling:launchconfiguration:InstanceType",
                )
            },
            |s| s.source.clone(),
        );
    let Some((mem, vcpu)) = limits::instance_type(it) else {
        ctx.push(Finding::new(
            "INSTANCE-TYPE-UNKNOWN",
            Severity::Info,
            source,
            format!(
                "eb2ecs does not know the size of {it}, so it cannot check that the containers fit"
            ),
            "Compare the task size with the instance's memory by hand.",
        ));
        return;
    };
    match ctx.launch_type {
        LaunchType::Ec2 => {
            let usable = limits::ecs_registrable_memory(mem);
            if container_memory > usable {
                ctx.push(Finding::new(
                    "CAPACITY-EXCEEDED",
                    Severity::Blocker,
                    source,
                    format!("the containers reserve {container_memory} MiB, but a {it} ({mem} MiB) offers the ECS agent only about {usable} MiB: the task will not be placed"),
                    format!("Use a larger instance type (InstanceType parameter of the stack), or lower the containers' memory to fit {usable} MiB."),
                ));
            } else {
                ctx.push(Finding::new(
                    "CAPACITY-OK",
                    Severity::Info,
                    source,
                    format!("the containers reserve {container_memory} MiB; a {it} offers about {usable} MiB to tasks, room for {} task(s) per instance", usable / container_memory.max(1)),
                    "Nothing to do.",
                ).in_phase(Phase::Verify));
            }
        }
        LaunchType::Fargate => {
            if let (Some(c), Some(tm)) = (task_cpu, task_memory) {
                ctx.push(Finding::new(
                    "CAPACITY-FARGATE",
                    Severity::Info,
                    source,
                    format!("EB ran on {it} ({vcpu} vCPU, {mem} MiB per instance); each Fargate task gets {} vCPU and {tm} MiB", f64::from(c) / 1024.0),
                    "If the instance was busy, raise the task size (cpu/memory) rather than relying on the container sums.",
                ).in_phase(Phase::Verify));
            }
        }
    }
}

/// Findings for the instance-level options that have an ECS counterpart or none.
pub fn instance_options(ctx: &mut Ctx, m: &Mapper) {
    let lc = "aws:autoscaling:launchconfiguration";
    if let Some(p) = m.get(lc, "IamInstanceProfile") {
        ctx.push(Finding::new(
            "TASK-ROLE-FROM-INSTANCE-PROFILE",
            Severity::Warning,
            p.source.clone(),
            format!("the application ran with the instance profile `{}`; the task role has no permissions yet", p.value),
            format!("List what `{}` allows (aws iam list-attached-role-policies / list-role-policies), grant the task role only what the application uses, and leave out the EB and ECS agent permissions.", p.value),
        ));
    }
    if let Some(k) = m.get(lc, "EC2KeyName") {
        ctx.push(Finding::new(
            "SSH-KEY",
            Severity::Info,
            k.source.clone(),
            format!("EB instances accepted SSH with key pair `{}`; there is no SSH into Fargate tasks", k.value),
            "Use ECS Exec (enableExecuteCommand on the service, ssmmessages permissions on the task role) to get a shell in a container.",
        ));
    }
    if let Some(sg) = m.get(lc, "SecurityGroups") {
        ctx.push(Finding::new(
            "INSTANCE-SECURITY-GROUPS",
            Severity::Warning,
            sg.source.clone(),
            format!("EB instances were also in security group(s) `{}` (often how they reached a database or cache)", sg.value),
            "Allow the service's security group wherever these groups were allowed (database, cache), or add them to the service's networkConfiguration.",
        ));
    }
    for opt in [
        "RootVolumeSize",
        "RootVolumeType",
        "RootVolumeIOPS",
        "RootVolumeThroughput",
        "MonitoringInterval",
        "ImageId",
        "DisableIMDSv1",
        "BlockDeviceMappings",
        "SSHSourceRestriction",
    ] {
        if let Some(s) = m.get(lc, opt) {
            ctx.push(Finding::new(
                "INSTANCE-OPTION",
                Severity::Info,
                s.source.clone(),
                format!("{lc}:{opt} configured the EB instances; Fargate tasks have no instance to configure"),
                if opt.starts_with("RootVolume") {
                    "If the application needs disk beyond 20 GiB, set ephemeralStorage on the task definition."
                } else {
                    "Nothing to do on Fargate; on EC2, set it on the launch template."
                },
            ));
        }
    }
    if let Some(s) = m
        .get("aws:ec2:instances", "EnableSpot")
        .filter(|s| s.value.eq_ignore_ascii_case("true"))
    {
        ctx.push(Finding::new(
            "SPOT",
            Severity::Info,
            s.source.clone(),
            "EB used Spot instances",
            "Use the FARGATE_SPOT capacity provider (or Spot in the EC2 capacity provider's Auto Scaling group) for the same savings.",
        ));
    }
    if let Some(s) = m
        .get("aws:elasticbeanstalk:xray", "XRayEnabled")
        .filter(|s| s.value.eq_ignore_ascii_case("true"))
    {
        ctx.push(Finding::new(
            "XRAY",
            Severity::Info,
            s.source.clone(),
            "X-Ray was on: EB ran the X-Ray daemon on each instance; the task gets an xray-daemon sidecar and the task role X-Ray write permissions",
            "Point the SDK at the sidecar (AWS_XRAY_DAEMON_ADDRESS=localhost:2000, the default).",
        ));
    }
}

/// A finding for every namespace with options a file or the environment set that nothing above
/// used (one per namespace, naming its options, so a live environment's hundreds of settings
/// stay readable).
pub fn unconverted(ctx: &mut Ctx, m: &Mapper) {
    let mut by_ns: Vec<(String, Vec<String>, Source)> = Vec::new();
    for ((ns, opt), s) in &m.settings.options {
        if s.layer == Layer::Default || m.is_used(ns, opt) || s.value.trim().is_empty() {
            continue;
        }
        match by_ns.iter_mut().find(|(n, _, _)| n == ns) {
            Some((_, opts, _)) => opts.push(opt.clone()),
            None => by_ns.push((ns.clone(), vec![opt.clone()], s.source.clone())),
        }
    }
    for (ns, opts, first_source) in by_ns {
        let (severity, code, action) = crate::support::leftover(&ns);
        let f = if code == "RDS-COUPLED" {
            Finding::new(
                code,
                severity,
                first_source,
                "the environment has an EB-managed RDS database (aws:rds:dbinstance)",
                action,
            )
            .in_phase(Phase::Decommission)
        } else {
            let source = if opts.len() == 1 {
                first_source
            } else {
                Source::new(first_source.file.clone(), ns.clone())
            };
            Finding::new(
                code,
                severity,
                source,
                if opts.len() == 1 {
                    format!("{ns}:{} is not carried over", opts[0])
                } else {
                    format!("{ns} options {} are not carried over", opts.join(", "))
                },
                action,
            )
        };
        ctx.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{merge, OptionValue, RawOption, SettingsDoc};

    fn settings(opts: &[(&str, &str, &str)]) -> EnvSettings {
        let doc = SettingsDoc {
            file: "s".into(),
            layer: Layer::SavedConfig,
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
        };
        merge(&[doc]).0
    }

    fn ctx(lt: LaunchType) -> Ctx {
        crate::convert::tests_support::ctx(lt)
    }

    #[test]
    fn rolling_batch_percent_sets_minimum_healthy() {
        let s = settings(&[
            (
                "aws:elasticbeanstalk:command",
                "DeploymentPolicy",
                "Rolling",
            ),
            ("aws:elasticbeanstalk:command", "BatchSize", "25"),
        ]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        assert_eq!(deployment(&mut c, &m, 4), (75, 100));
        let s = settings(&[
            (
                "aws:elasticbeanstalk:command",
                "DeploymentPolicy",
                "RollingWithAdditionalBatch",
            ),
            ("aws:elasticbeanstalk:command", "BatchSizeType", "Fixed"),
            ("aws:elasticbeanstalk:command", "BatchSize", "1"),
        ]);
        let m = Mapper::new(&s);
        assert_eq!(deployment(&mut c, &m, 4), (100, 125));
    }

    #[test]
    fn cpu_trigger_becomes_target() {
        let s = settings(&[
            ("aws:autoscaling:trigger", "MeasureName", "CPUUtilization"),
            ("aws:autoscaling:trigger", "UpperThreshold", "60"),
            ("aws:autoscaling:asg", "MinSize", "2"),
            ("aws:autoscaling:asg", "MaxSize", "6"),
        ]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        assert_eq!(
            scaling(&mut c, &m),
            Scaling {
                min: 2,
                max: 6,
                cpu_target: 60
            }
        );
        assert_eq!(c.findings[0].code, "SCALING-CPU");
    }

    #[test]
    fn ec2_capacity_blocker_names_type_and_numbers() {
        let s = settings(&[(
            "aws:autoscaling:launchconfiguration",
            "InstanceType",
            "t3.micro",
        )]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Ec2);
        let mut svc_env = Environment {
            tier: Tier::WebServer,
            single_instance: false,
            load_balancer: None,
            scaling: Scaling {
                min: 1,
                max: 1,
                cpu_target: 70,
            },
            min_healthy_percent: 100,
            max_percent: 200,
            log_retention_days: 7,
            xray: false,
            network: Network::default(),
            instance_type: Some("t3.micro".into()),
        };
        capacity(&mut c, &m, &svc_env, None, None, 2048);
        let f = &c.findings[0];
        assert_eq!(
            (f.code, f.severity),
            ("CAPACITY-EXCEEDED", Severity::Blocker)
        );
        assert!(
            f.message.contains("t3.micro") && f.message.contains("2048 MiB"),
            "{}",
            f.message
        );
        svc_env.instance_type = Some("t3.large".into());
        capacity(&mut c, &m, &svc_env, None, None, 2048);
        assert_eq!(c.findings[1].code, "CAPACITY-OK");
    }

    #[test]
    fn classic_environment_is_detected_and_its_health_check_read() {
        let s = settings(&[
            ("aws:elb:listener:443", "ListenerProtocol", "HTTPS"),
            (
                "aws:elb:listener:443",
                "SSLCertificateId",
                "arn:aws:acm:eu-west-1:1:certificate/y",
            ),
            ("aws:elb:healthcheck", "Target", "HTTP:80/status"),
            ("aws:elb:healthcheck", "Interval", "30"),
        ]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        let mut svc = crate::ecs::Service {
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
        };
        let env = environment(&mut c, &m, true, &mut svc);
        let lb = env.load_balancer.unwrap();
        assert_eq!(lb.health_check.path, "/status");
        assert_eq!(lb.health_check.interval, 30);
        assert_eq!(
            lb.listeners
                .iter()
                .map(|l| (l.port, l.protocol.as_str()))
                .collect::<Vec<_>>(),
            vec![(80, "HTTP"), (443, "HTTPS")]
        );
        let codes: Vec<&str> = c.findings.iter().map(|f| f.code).collect();
        assert!(
            codes.contains(&"LB-TYPE-CHANGED") && codes.contains(&"CLASSIC-ELB"),
            "{codes:?}"
        );
        let defaults = c
            .findings
            .iter()
            .find(|f| f.code == "EB-DEFAULTS-USED")
            .unwrap();
        assert!(
            !defaults.message.contains("HealthCheckPath")
                && !defaults.message.contains("HealthCheckInterval"),
            "{}",
            defaults.message
        );
    }

    #[test]
    fn https_listener_and_health_check_from_settings() {
        let s = settings(&[
            ("aws:elbv2:listener:443", "Protocol", "HTTPS"),
            (
                "aws:elbv2:listener:443",
                "SSLCertificateArns",
                "arn:aws:acm:eu-west-1:1:certificate/x",
            ),
            (PROCESS, "HealthCheckPath", "/health"),
            (PROCESS, "HealthCheckInterval", "30"),
        ]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        let lb = load_balancer(&mut c, &m, false, &Network::default());
        assert_eq!(
            lb.listeners.iter().map(|l| l.port).collect::<Vec<_>>(),
            vec![80, 443]
        );
        assert_eq!(lb.listeners[1].certificates.len(), 1);
        assert_eq!(lb.health_check.path, "/health");
        assert_eq!(lb.health_check.interval, 30);
        assert_eq!(lb.health_check.unhealthy, 5);
    }

    #[test]
    fn unused_options_are_reported_and_rds_is_a_blocker() {
        let s = settings(&[
            ("aws:rds:dbinstance", "DBEngine", "postgres"),
            ("aws:rds:dbinstance", "DBUser", "x"),
            ("aws:foo:bar", "Baz", "1"),
        ]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        unconverted(&mut c, &m);
        let codes: Vec<_> = c.findings.iter().map(|f| (f.code, f.severity)).collect();
        assert_eq!(
            codes,
            vec![
                ("SETTING-NOT-CONVERTED", Severity::Warning),
                ("RDS-COUPLED", Severity::Blocker)
            ]
        );
    }
}
