//! The ECS service, built once from what was decided before it: the environment (scaling,
//! deployment, network, load balancer) and the target container.

use super::mapper::Mapper;
use super::Ctx;
use crate::codes;
use crate::ecs;
use crate::finding::{Finding, Phase, Severity, Source};
use crate::model::{Environment, LaunchType, LbTarget};

/// The placeholder target group ARN of the plain service.json (the stack creates the real one).
pub fn target_group_arn(ctx: &Ctx) -> String {
    format!(
        "arn:{}:elasticloadbalancing:{}:{}:targetgroup/{}/REPLACE_ME",
        super::limits::arn_partition(&ctx.region),
        ctx.region,
        ctx.account,
        crate::names::truncate(&ctx.family, 32)
    )
}

/// The service for `task_family` in `cluster`.
pub fn service(
    ctx: &Ctx,
    names: (&str, &str),
    env: &Environment,
    target: Option<&LbTarget>,
    grace: Option<u32>,
) -> ecs::Service {
    let (cluster, service_name) = names;
    let fargate = ctx.launch_type == LaunchType::Fargate;
    let tg_arn = target_group_arn(ctx);
    ecs::Service {
        cluster: cluster.to_string(),
        service_name: service_name.to_string(),
        task_definition: ctx.family.clone(),
        desired_count: env.scaling.min.max(1),
        launch_type: ctx.launch_type.api_name().to_string(),
        load_balancers: target
            .iter()
            .map(|t| ecs::ServiceLoadBalancer {
                target_group_arn: tg_arn.clone(),
                container_name: t.container.clone(),
                container_port: t.port,
            })
            .collect(),
        network_configuration: fargate.then(|| network_configuration(env)),
        health_check_grace_period_seconds: grace,
        deployment_configuration: ecs::DeploymentConfiguration {
            deployment_circuit_breaker: ecs::CircuitBreaker {
                enable: true,
                rollback: true,
            },
            maximum_percent: env.max_percent,
            minimum_healthy_percent: env.min_healthy_percent,
        },
        propagate_tags: "SERVICE".to_string(),
        enable_ecs_managed_tags: true,
    }
}

/// awsvpc networking: EB's instance subnets when known, else placeholders.
fn network_configuration(env: &Environment) -> ecs::NetworkConfiguration {
    let subnets = if env.network.subnets.is_empty() {
        vec!["subnet-REPLACE_ME".to_string()]
    } else {
        env.network.subnets.clone()
    };
    ecs::NetworkConfiguration {
        awsvpc_configuration: ecs::AwsVpcConfiguration {
            subnets,
            security_groups: vec!["sg-REPLACE_ME".to_string()],
            assign_public_ip: if env.network.assign_public_ip {
                "ENABLED"
            } else {
                "DISABLED"
            }
            .to_string(),
        },
    }
}

/// Seconds a platform's application takes to start and answer its first request, as eb2ecs
/// assumes them: a JVM (Tomcat, Java SE, Corretto) or .NET loads and JIT-compiles for minutes;
/// Python, Ruby and PHP import their code; Node.js and Go start in seconds; an image eb2ecs
/// did not generate (the Docker platforms) gets a middle value.
pub fn platform_start_seconds(platform: Option<&str>) -> u32 {
    let Some(p) = platform.map(str::to_ascii_lowercase) else {
        return 120;
    };
    let any = |words: &[&str]| words.iter().any(|w| p.contains(w));
    if any(&["tomcat", "java", "corretto", ".net", "dotnet"]) {
        300
    } else if any(&["python", "ruby", "php"]) {
        120
    } else if any(&["node", "go"]) {
        60
    } else {
        120
    }
}

/// The service's health check grace period (with a load balancer): long enough for the
/// platform's application to start and then pass the health check `healthy` times, so ECS does
/// not stop a task that is still starting (EB's instances had no such deadline).
pub fn grace_period(ctx: &mut Ctx, env: &Environment, platform: Option<&str>) -> Option<u32> {
    let hc = &env.load_balancer.as_ref()?.health_check;
    let start = platform_start_seconds(platform);
    let checks = hc.interval * hc.healthy;
    let grace = (start + checks).max(60);
    ctx.push(
        Finding::new(
            codes::HEALTH_CHECK_GRACE,
            Severity::Info,
            Source::new("eb2ecs default", "HealthCheckGracePeriodSeconds"),
            format!(
                "the service ignores failed health checks for {grace} s after a task starts: about {start} s for {} to start, then {} passing checks {} s apart",
                platform.map_or_else(|| "the application (Docker platform)".to_string(), |p| format!("a {p} application")),
                hc.healthy,
                hc.interval
            ),
            "Measure the application's real start time (the first task's log) and change HealthCheckGracePeriodSeconds if it differs much.",
        )
        .in_phase(Phase::Verify),
    );
    Some(grace)
}

/// ECS Exec's default: on where EB allowed SSH into its instances (`EC2KeyName` set), off
/// otherwise, since a shell in a container is access the team did not have on EB.
pub fn exec_default(ctx: &mut Ctx, m: &Mapper) -> bool {
    let key = m.value("aws:autoscaling:launchconfiguration", "EC2KeyName");
    let on = key.is_some_and(|k| !k.trim().is_empty());
    let (message, action) = if on {
        (
            "EB allowed SSH into its instances (EC2KeyName is set), so ECS Exec (aws ecs execute-command) is on by default (stack parameter EnableExecuteCommand): sessions are logged to the service's log group (the cluster's ExecuteCommandConfiguration), and encrypted with the KMS key of the stack parameter ExecuteCommandKmsKeyArn when you give one",
            "Give ExecuteCommandKmsKeyArn a KMS key for the sessions (the task role may then decrypt with it), or set EnableExecuteCommand to false if nobody needs a shell in the containers.",
        )
    } else {
        (
            "EB allowed no SSH into its instances (no EC2KeyName), so ECS Exec is off by default (stack parameter EnableExecuteCommand false)",
            "Set EnableExecuteCommand to true when someone needs a shell in a container.",
        )
    };
    ctx.push(
        Finding::new(
            codes::EXEC_DEFAULT,
            Severity::Info,
            Source::new(
                "EB settings",
                "aws:autoscaling:launchconfiguration:EC2KeyName",
            ),
            message,
            action,
        )
        .in_phase(Phase::Deploy),
    );
    on
}

/// Container Insights is billed per metric: on where it pays (a worker's backlog scaling reads
/// its metrics) or when asked (`--container-insights`).
pub fn container_insights(ctx: &mut Ctx, asked: bool, worker: bool) -> bool {
    let on = asked || worker;
    let why = if worker {
        "on: the worker's scaling reads its task-count metrics"
    } else if asked {
        "on, as --container-insights asked"
    } else {
        "off: it is billed per metric; the service's CPU and memory metrics remain"
    };
    ctx.push(
        Finding::new(
            codes::CONTAINER_INSIGHTS,
            Severity::Info,
            Source::new("command line", "--container-insights"),
            format!("Container Insights on the cluster is {why}"),
            if on {
                "Nothing to do; mind its CloudWatch cost (billed per metric)."
            } else {
                "Convert with --container-insights to turn it on for per-task metrics."
            },
        )
        .in_phase(Phase::Verify),
    );
    on
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::tests_support::{ctx, settings};

    /// Issue 25 items 4, 19 and 22: grace period by platform, Container Insights and ECS Exec
    /// defaults.
    #[test]
    fn defaults_follow_what_eb_had() {
        assert_eq!(platform_start_seconds(Some("Tomcat 10 (Corretto 17)")), 300);
        assert_eq!(platform_start_seconds(Some(".NET 8 on Linux")), 300);
        assert_eq!(platform_start_seconds(Some("Node.js 20")), 60);
        assert_eq!(platform_start_seconds(Some("Go 1")), 60);
        assert_eq!(platform_start_seconds(Some("Python 3.12")), 120);
        assert_eq!(platform_start_seconds(None), 120);
        let mut c = ctx(LaunchType::Fargate);
        assert!(!container_insights(&mut c, false, false));
        assert!(container_insights(&mut c, false, true) && container_insights(&mut c, true, false));
        let none = settings(&[]);
        assert!(!exec_default(&mut c, &Mapper::new(&none)));
        let key = settings(&[("aws:autoscaling:launchconfiguration", "EC2KeyName", "ops")]);
        assert!(exec_default(&mut c, &Mapper::new(&key)));
    }

    /// Issue 25 item 19: the family names the EB environment.
    #[test]
    fn family_names_the_environment() {
        assert_eq!(
            super::super::family_of("shop", Some("shop-prod")),
            "shop-prod"
        );
        assert_eq!(
            super::super::family_of("shop", Some("staging")),
            "shop-staging"
        );
        assert_eq!(super::super::family_of("shop", None), "shop");
    }
}
