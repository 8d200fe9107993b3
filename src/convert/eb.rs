//! EB option settings into the migration model: environment properties and secrets, tier and environment type, network, logs and
//! instance options (the load balancer and scaling have modules of their own). Every option a
//! file set is either used or reported as not converted.

use super::mapper::{split_list, Mapper, PROCESS};
use super::Ctx;
use crate::ecs;
use crate::finding::{Finding, Phase, Severity, Source};
use crate::load::dockerrun::{Dockerrun, EnvVar};
use crate::load::settings::{Layer, Setting};
use crate::model::{Environment, Network, Tier};

const APP_ENV: &str = "aws:elasticbeanstalk:application:environment";
const APP_SECRETS: &str = "aws:elasticbeanstalk:application:environmentsecrets";

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
                        "`{name}` is set for `{}` both in the Dockerrun ({}) and as an EB environment property; the EB property is used (eb2ecs cannot tell which one EB let win)",
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
    if run.containers.len() > 1 && !props.is_empty() {
        ctx.push(Finding::new(
            "ENV-PROPERTIES-ALL-CONTAINERS",
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
    let scaling = super::scaling::scaling(ctx, m);
    let (min_healthy_percent, max_percent) = super::scaling::deployment(ctx, m, scaling.min);
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
        Some(super::load_balancer::load_balancer(
            ctx,
            m,
            lb_type == "classic",
        ))
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
            "SPOT-INSTANCES",
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
            "XRAY-SIDECAR",
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
    use crate::convert::tests_support::{ctx, settings};
    use crate::model::LaunchType;

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
        let mut svc = crate::convert::tests_support::service();
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

    /// An option eb2ecs does not know, in a namespace it converts, is still reported: the whole
    /// mapping runs, then everything not read is listed.
    #[test]
    fn unknown_option_in_a_converted_namespace_is_reported() {
        let s = settings(&[
            ("aws:autoscaling:asg", "MinSize", "2"),
            ("aws:autoscaling:asg", "Cooldown", "360"),
            ("aws:autoscaling:asg", "Availability Zones", "Any 2"),
        ]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        let mut svc = crate::convert::tests_support::service();
        let env = environment(&mut c, &m, true, &mut svc);
        instance_options(&mut c, &m);
        unconverted(&mut c, &m);
        assert_eq!(env.scaling.min, 2);
        let f = c
            .findings
            .iter()
            .find(|f| f.code == "SETTING-NOT-CONVERTED")
            .expect("reported");
        assert!(
            f.message.contains("Availability Zones, Cooldown"),
            "{}",
            f.message
        );
        assert_eq!(f.source.location, "aws:autoscaling:asg");
    }
}
