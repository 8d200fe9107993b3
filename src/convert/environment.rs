//! How the EB environment ran, decided before anything else: tier, environment type, load
//! balancer type, network, scaling, deployment, logs and instance type ([`decide`]); then, once
//! the target container is known, the load balancer ([`load_balancer`]).

use super::context::Ctx;
use super::mapper::{split_list, Mapper};
use crate::codes;
use crate::finding::{Finding, Phase, Severity, Source};
use crate::load::settings::Layer;
use crate::model::{Environment, LbTarget, LoadBalancer, Network, Tier};

/// What is decided about the environment before the containers: everything but the load
/// balancer, which needs the target container.
#[derive(Debug, Clone)]
pub struct Decided {
    /// EB's load balancer type (`application`, `classic`, `network`), lowercase.
    pub lb_type: String,
    /// The environment, without its load balancer yet.
    env: Environment,
}

impl Decided {
    /// The whole environment, with the load balancer chosen for it.
    pub fn with_load_balancer(self, load_balancer: Option<LoadBalancer>) -> Environment {
        Environment {
            load_balancer,
            ..self.env
        }
    }
}

/// Decide everything about the environment that does not depend on the containers.
pub fn decide(ctx: &mut Ctx, m: &Mapper, files: &[crate::load::SourceFile]) -> Decided {
    let tier = super::tier::tier(ctx, m.settings, files);
    let env_type = m.text("aws:elasticbeanstalk:environment", "EnvironmentType");
    let single_instance = env_type.eq_ignore_ascii_case("SingleInstance");
    let lb_type = lb_type(m);
    m.get("aws:elasticbeanstalk:environment", "ServiceRole");
    m.get("aws:elasticbeanstalk:environment", "LoadBalancerIsShared");
    let network = network(ctx, m);
    let scaling = super::scaling::scaling(ctx, m);
    let (min_healthy_percent, max_percent) = super::scaling::deployment(ctx, m, scaling.min);
    let log_retention_days = log_retention(ctx, m);
    let xray = m
        .flag("aws:elasticbeanstalk:xray", "XRayEnabled")
        .unwrap_or(false);
    let instance_type = instance_type(m);
    let arm64 = instance_type
        .as_deref()
        .is_some_and(super::limits::is_arm64);
    if let (true, Some(it)) = (arm64, instance_type.as_deref()) {
        arm64_finding(ctx, m, it);
    }
    // A worker environment is converted by convert/worker (the sqsd sidecar).
    if tier != Tier::Worker && single_instance {
        single_instance_finding(ctx, m);
    }
    Decided {
        lb_type,
        env: Environment {
            tier,
            single_instance,
            load_balancer: None,
            scaling,
            min_healthy_percent,
            max_percent,
            log_retention_days,
            xray,
            network,
            instance_type,
            arm64,
        },
    }
}

/// EB's load balancer type: the setting when a file set it; `classic` for environments that
/// never set one but configure a classic ELB (the default before application load balancers).
fn lb_type(m: &Mapper) -> String {
    let setting = m.get("aws:elasticbeanstalk:environment", "LoadBalancerType");
    let has_classic_options = m
        .settings
        .options
        .iter()
        .any(|((ns, _), s)| ns.starts_with("aws:elb:") && s.layer != Layer::Default);
    match setting {
        Some(s) if s.layer != Layer::Default => s.value.trim().to_ascii_lowercase(),
        _ if has_classic_options => "classic".to_string(),
        _ => "application".to_string(),
    }
}

fn instance_type(m: &Mapper) -> Option<String> {
    m.value("aws:autoscaling:launchconfiguration", "InstanceType")
        .map(str::to_string)
        .or_else(|| {
            m.value("aws:ec2:instances", "InstanceTypes")
                .and_then(|t| split_list(&t.replace(' ', ",")).into_iter().next())
        })
}

/// EB on Graviton ran arm64 images: the tasks run on arm64 too, and the images must have an
/// arm64 variant.
fn arm64_finding(ctx: &mut Ctx, m: &Mapper, it: &str) {
    let platform = if ctx.launch_type == crate::model::LaunchType::Fargate {
        "the task definition asks Fargate for ARM64 (runtimePlatform.cpuArchitecture)"
    } else {
        "the container instances use the arm64 ECS-optimised AMI"
    };
    ctx.push(Finding::new(
        codes::ARM64_IMAGES,
        Severity::Warning,
        super::scaling::instance_type_source(m),
        format!("EB ran on {it}, a Graviton (arm64) instance type; {platform}"),
        "Build and push every image for linux/arm64 (or multi-arch: `docker buildx build --platform linux/arm64,linux/amd64 --push`) and check that public images have an arm64 variant.",
    ).in_phase(Phase::Prepare));
}

fn single_instance_finding(ctx: &mut Ctx, m: &Mapper) {
    ctx.push(Finding::new(
        codes::SINGLE_INSTANCE,
        Severity::Warning,
        m.get("aws:elasticbeanstalk:environment", "EnvironmentType").map_or_else(|| Source::new("EB settings", "aws:elasticbeanstalk:environment:EnvironmentType"), |s| s.source.clone()),
        "EB ran a single instance without a load balancer; clients reached the instance's Elastic IP directly. The service gets no load balancer",
        "Give the tasks public IPs in a public subnet (and point DNS at them), or better, add a load balancer: rerun eb2ecs with EnvironmentType LoadBalanced.",
    ));
}

/// The application load balancer, when the environment had one and a container serves traffic.
pub fn load_balancer(
    ctx: &mut Ctx,
    m: &Mapper,
    env: &Decided,
    target: Option<&LbTarget>,
) -> Option<LoadBalancer> {
    if env.env.tier == Tier::Worker || env.env.single_instance || target.is_none() {
        return None;
    }
    if env.lb_type == "classic" || env.lb_type == "network" {
        ctx.push(Finding::new(
            codes::LB_TYPE_CHANGED,
            Severity::Warning,
            m.get("aws:elasticbeanstalk:environment", "LoadBalancerType").map_or_else(|| Source::new("EB settings", "aws:elasticbeanstalk:environment:LoadBalancerType"), |s| s.source.clone()),
            format!("EB used a {} load balancer; the ECS service gets an Application Load Balancer", env.lb_type),
            "Check the listeners, health check and timeouts in cloudformation.yaml; clients that relied on TCP pass-through or the classic ELB's DNS name need the new DNS name.",
        ));
    }
    let lb = super::load_balancer::load_balancer(ctx, m, env.lb_type == "classic");
    if lb.internal {
        client_cidr_finding(ctx, m, &env.env.network);
    }
    Some(lb)
}

/// An internal load balancer admits the `ClientCidr` parameter: the VPC's CIDR when known,
/// otherwise a value the deploy command must give.
fn client_cidr_finding(ctx: &mut Ctx, m: &Mapper, network: &Network) {
    let source = m.get("aws:ec2:vpc", "ELBScheme").map_or_else(
        || Source::new("EB settings", "aws:ec2:vpc:ELBScheme"),
        |s| s.source.clone(),
    );
    let (message, action) = match &network.vpc_cidr {
        Some(cidr) => (
            format!("the load balancer is internal; its security group admits the ClientCidr parameter, which defaults to the VPC's CIDR {cidr}"),
            "Narrow ClientCidr in the deploy command if only some networks should reach the service.".to_string(),
        ),
        None => (
            "the load balancer is internal; its security group admits the ClientCidr parameter, which has no default: eb2ecs does not know the VPC's CIDR".to_string(),
            "Give ClientCidr (the VPC's CIDR, `aws ec2 describe-vpcs --vpc-ids <vpc-id> --query 'Vpcs[0].CidrBlock'`, or the clients' networks) in the deploy command.".to_string(),
        ),
    };
    ctx.push(
        Finding::new(
            codes::CLIENT_CIDR,
            Severity::Warning,
            source,
            message,
            action,
        )
        .in_phase(Phase::Deploy),
    );
}

/// The default VPC's CIDR block (the same in every region).
const DEFAULT_VPC_CIDR: &str = "172.31.0.0/16";

fn network(ctx: &mut Ctx, m: &Mapper) -> Network {
    let ns = "aws:ec2:vpc";
    let default_vpc = m.value(ns, "VPCId").is_none() && m.value(ns, "Subnets").is_none();
    let public = m.flag(ns, "AssociatePublicIpAddress").unwrap_or(false);
    if default_vpc {
        default_vpc_finding(ctx);
    } else if public {
        public_ip_finding(ctx, m);
    }
    Network {
        vpc_id: m.value(ns, "VPCId").map(str::to_string),
        subnets: m.value(ns, "Subnets").map(split_list).unwrap_or_default(),
        elb_subnets: m
            .value(ns, "ELBSubnets")
            .map(split_list)
            .unwrap_or_default(),
        assign_public_ip: public || default_vpc,
        default_vpc,
        vpc_cidr: default_vpc.then(|| DEFAULT_VPC_CIDR.to_string()),
    }
}

/// EB instances had public IPs: the tasks (Fargate) or the container instances (EC2) get one.
fn public_ip_finding(ctx: &mut Ctx, m: &Mapper) {
    let source = m
        .get("aws:ec2:vpc", "AssociatePublicIpAddress")
        .map_or_else(|| Source::new("", ""), |s| s.source.clone());
    if ctx.launch_type == crate::model::LaunchType::Ec2 {
        ctx.push(Finding::new(
            codes::LAUNCH_TEMPLATE_PUBLIC_IP,
            Severity::Info,
            source,
            "EB instances had public IP addresses; the launch template gives the container instances one too (network interface 0, in the service security group), or in subnets without a NAT gateway they could not reach ECS and would never join the cluster",
            "Prefer private subnets with a NAT gateway or VPC endpoints, then drop AssociatePublicIpAddress from the launch template.",
        ));
        return;
    }
    ctx.push(Finding::new(
        codes::PUBLIC_IP,
        Severity::Info,
        source,
        "EB instances had public IP addresses; the tasks get one too (assignPublicIp ENABLED) so they can pull images without a NAT gateway",
        "Prefer private subnets with a NAT gateway or VPC endpoints, then set assignPublicIp to DISABLED.",
    ));
}

/// No VPC settings: EB ran in the default VPC, whose subnets are public and have no NAT gateway.
fn default_vpc_finding(ctx: &mut Ctx) {
    let who = if ctx.launch_type == crate::model::LaunchType::Ec2 {
        "the container instances get public IPs (launch template)"
    } else {
        "the AssignPublicIp parameter defaults to ENABLED (and service.json's assignPublicIp)"
    };
    ctx.push(Finding::new(
        codes::DEFAULT_VPC,
        Severity::Warning,
        Source::new("EB settings", "aws:ec2:vpc"),
        format!("the settings name no VPC or subnets (aws:ec2:vpc), so EB ran in the default VPC ({DEFAULT_VPC_CIDR}): public subnets without a NAT gateway, where tasks reach ECR, CloudWatch Logs and SSM only through a public IP; {who}"),
        "Deploy with the default VPC's ID and subnets (`aws ec2 describe-vpcs --filters Name=is-default,Values=true`), or private subnets with a NAT gateway or VPC endpoints and AssignPublicIp=DISABLED.",
    ).in_phase(Phase::Deploy));
}

/// Private subnets without public IPs need a NAT gateway or VPC endpoints for what the tasks
/// (and on EC2 the instances) call: ECR, logs, S3 always; the secrets' store (and KMS for a
/// customer-managed key); SQS for a worker's sidecar; `ssmmessages` for ECS Exec; X-Ray for its
/// daemon; on EC2 the ECS agent's endpoints and `ssm`/`ec2messages` for the instances' SSM
/// agent. Returns the endpoint services (without `com.amazonaws.REGION.`), empty when the tasks
/// reach the internet directly.
pub fn private_subnet_endpoints(
    ctx: &mut Ctx,
    m: &Mapper,
    network: &Network,
    (worker, exec, xray): (bool, bool, bool),
) -> Vec<String> {
    if network.default_vpc || network.assign_public_ip {
        return Vec::new();
    }
    let r = ctx.region.clone();
    let mut needed: Vec<&str> = vec!["ecr.api", "ecr.dkr", "logs", "s3"];
    for (mode, service) in [
        (crate::model::SecretsMode::Ssm, "ssm"),
        (crate::model::SecretsMode::Secretsmanager, "secretsmanager"),
    ] {
        if ctx.secrets.iter().any(|s| s.store == mode)
            || (service == "secretsmanager" && ctx.registry_credentials.is_some())
        {
            needed.push(service);
        }
    }
    if ctx.secrets_kms_key.is_some() && !ctx.secrets.is_empty() {
        needed.push("kms");
    }
    if worker {
        needed.push("sqs");
    }
    if exec {
        needed.push("ssmmessages");
    }
    if xray {
        needed.push("xray");
    }
    if ctx.launch_type == crate::model::LaunchType::Ec2 {
        needed.extend([
            "ecs",
            "ecs-agent",
            "ecs-telemetry",
            "ssm",
            "ssmmessages",
            "ec2messages",
        ]);
    }
    let mut seen = std::collections::BTreeSet::new();
    needed.retain(|e| seen.insert(*e));
    let listed: Vec<String> = needed
        .iter()
        .map(|e| {
            let gateway = if *e == "s3" { " (gateway)" } else { "" };
            format!("com.amazonaws.{r}.{e}{gateway}")
        })
        .collect();
    ctx.push(Finding::new(
        codes::PRIVATE_SUBNET_ENDPOINTS,
        Severity::Warning,
        m.get("aws:ec2:vpc", "Subnets").or_else(|| m.get("aws:ec2:vpc", "VPCId")).map_or_else(|| Source::new("EB settings", "aws:ec2:vpc"), |s| s.source.clone()),
        "the tasks run in the EB environment's subnets without public IPs; unless those subnets route through a NAT gateway, they cannot pull images, write logs or read secrets".to_string(),
        format!("Check the subnets' route tables for a NAT gateway, or create VPC endpoints in the VPC: {}.", listed.join(", ")),
    ).in_phase(Phase::Deploy));
    needed.into_iter().map(str::to_string).collect()
}

fn log_retention(ctx: &mut Ctx, m: &Mapper) -> u32 {
    let ns = "aws:elasticbeanstalk:cloudwatch:logs";
    let days = m.number(ctx, ns, "RetentionInDays");
    const VALID: &[u32] = &[
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
        2922, 3288, 3653,
    ];
    let days = if VALID.contains(&days) {
        days
    } else {
        let next = VALID.iter().copied().find(|d| *d >= days).unwrap_or(3653);
        ctx.push(Finding::new(
            codes::LOG_RETENTION_ROUNDED,
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
            codes::LOGS_NOW_STREAMED,
            Severity::Info,
            m.get(ns, "StreamLogs").map_or_else(|| Source::new("EB default", "aws:elasticbeanstalk:cloudwatch:logs:StreamLogs"), |s| s.source.clone()),
            format!("EB did not stream logs to CloudWatch; the containers now log to {} (kept {days} days)", ctx.log_group()),
            "Nothing to do; mind the CloudWatch Logs cost of chatty containers.",
        ).in_phase(Phase::Verify));
    }
    m.get(ns, "DeleteOnTerminate");
    days
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
        let env = decide(&mut c, &m, &[]);
        let target = LbTarget {
            container: "app".into(),
            port: 80,
        };
        let lb = load_balancer(&mut c, &m, &env, Some(&target)).unwrap();
        assert_eq!(lb.health_check.path, "/status");
        assert_eq!(lb.health_check.interval, 30);
        assert_eq!(
            lb.listeners
                .iter()
                .map(|l| (l.port, l.protocol.as_str()))
                .collect::<Vec<_>>(),
            vec![(80, "HTTP"), (443, "HTTPS")]
        );
        let codes: Vec<&str> = c.findings.iter().map(|f| f.code.as_str()).collect();
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
    fn default_vpc_gets_public_ips_and_private_subnets_get_endpoints() {
        let s = settings(&[
            ("aws:ec2:vpc", "ELBScheme", "internal"),
            (
                "aws:autoscaling:launchconfiguration",
                "InstanceType",
                "c7g.large",
            ),
        ]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        let env = decide(&mut c, &m, &[]);
        assert!(env.env.network.default_vpc && env.env.network.assign_public_ip && env.env.arm64);
        assert_eq!(env.env.network.vpc_cidr.as_deref(), Some("172.31.0.0/16"));
        let target = LbTarget {
            container: "app".into(),
            port: 80,
        };
        assert!(
            load_balancer(&mut c, &m, &env, Some(&target))
                .unwrap()
                .internal
        );
        private_subnet_endpoints(&mut c, &m, &env.env.network, (false, false, false));
        let codes: Vec<&str> = c.findings.iter().map(|f| f.code.as_str()).collect();
        for code in ["DEFAULT-VPC", "ARM64-IMAGES", "CLIENT-CIDR"] {
            assert!(codes.contains(&code), "{code}: {codes:?}");
        }
        assert!(!codes.contains(&"PRIVATE-SUBNET-ENDPOINTS"), "{codes:?}");

        let s = settings(&[
            ("aws:ec2:vpc", "VPCId", "vpc-1"),
            ("aws:ec2:vpc", "Subnets", "subnet-a,subnet-b"),
        ]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Ec2);
        let env = decide(&mut c, &m, &[]);
        assert!(!env.env.network.default_vpc && !env.env.network.assign_public_ip);
        let listed = private_subnet_endpoints(&mut c, &m, &env.env.network, (true, true, false));
        // A worker's sidecar calls SQS, ECS Exec ssmmessages, the instances' SSM agent ssm and
        // ec2messages: each is listed once.
        for e in ["sqs", "ssmmessages", "ssm", "ec2messages"] {
            assert_eq!(
                listed.iter().filter(|l| *l == e).count(),
                1,
                "{e}: {listed:?}"
            );
        }
        let f = c
            .findings
            .iter()
            .find(|f| f.code == "PRIVATE-SUBNET-ENDPOINTS")
            .unwrap();
        for e in [
            "eu-west-1.ecr.api",
            "eu-west-1.ecr.dkr",
            "eu-west-1.logs",
            "eu-west-1.s3 (gateway)",
            "eu-west-1.ecs-agent",
            "eu-west-1.sqs",
            "eu-west-1.ssmmessages",
            "eu-west-1.ec2messages",
        ] {
            assert!(f.action.contains(e), "{e}: {}", f.action);
        }
        assert!(!listed.iter().any(|l| l == "kms"), "{listed:?}");

        // Secrets under a customer-managed key: the tasks decrypt through KMS too.
        let mut c = ctx(LaunchType::Fargate);
        c.secrets_kms_key = Some("alias/app".into());
        c.secrets.push(crate::model::SecretParam {
            containers: vec!["app".into()],
            env_name: "DB_PASSWORD".into(),
            name: "/app/DB_PASSWORD".into(),
            value_from: "arn:aws:ssm:eu-west-1:123456789012:parameter/app/DB_PASSWORD".into(),
            store: crate::model::SecretsMode::Ssm,
            source: crate::finding::Source::new("Dockerrun.aws.json", "/x"),
        });
        let env = decide(&mut c, &m, &[]);
        let listed = private_subnet_endpoints(&mut c, &m, &env.env.network, (false, false, false));
        for e in ["ssm", "kms"] {
            assert!(listed.iter().any(|l| l == e), "{e}: {listed:?}");
        }
    }
}
