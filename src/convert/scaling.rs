//! How many tasks run and how they are replaced: EB's Auto Scaling group and trigger become the
//! service's desired count and target tracking, its deployment policy the deployment
//! configuration, and its instance type a capacity check.

use super::limits;
use super::mapper::Mapper;
use super::Ctx;
use crate::codes;
use crate::finding::{Finding, Phase, Severity, Source};
use crate::load::settings::Layer;
use crate::model::{Environment, LaunchType, Scaling};

/// MinSize/MaxSize as task counts and the CPU target from the EB trigger.
pub fn scaling(ctx: &mut Ctx, m: &Mapper) -> Scaling {
    let ns = "aws:autoscaling:asg";
    let min = m.number(ctx, ns, "MinSize", 1);
    let max = m.number(ctx, ns, "MaxSize", 4).max(min);
    let cpu_target = cpu_target(ctx, m, min, max);
    if m.settings
        .get(ns, "MinSize")
        .is_some_and(|s| s.layer != Layer::Default)
        && min == 0
    {
        ctx.push(Finding::new(
            codes::SCALING_ZERO,
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

/// The CPU target: EB's upper threshold when it scaled on CPU, otherwise a proposed 70%.
fn cpu_target(ctx: &mut Ctx, m: &Mapper, min: u32, max: u32) -> u32 {
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
    if measure == "CPUUtilization" {
        let t = upper
            .and_then(|u| u.parse::<f64>().ok())
            .map_or(70, |u| u.round().clamp(10.0, 90.0) as u32);
        ctx.push(Finding::new(
            codes::SCALING_CPU,
            Severity::Info,
            source,
            format!("EB scaled on CPUUtilization (upper threshold {}); the service scales to keep average CPU at {t}% between {min} and {max} tasks", upper.unwrap_or("not set")),
            "Watch the first days of traffic and tune the target.",
        ).in_phase(Phase::Verify));
        t
    } else {
        ctx.push(Finding::new(
            codes::SCALING_PROPOSED,
            Severity::Warning,
            source,
            format!("EB scaled on {measure}, which has no ECS service metric; a CPU target of 70% between {min} and {max} tasks is proposed instead"),
            format!("Check that CPU follows the load that {measure} measured, or add a step-scaling policy on a CloudWatch alarm for it."),
        ).in_phase(Phase::Verify));
        70
    }
}

/// The EB deployment policy as minimum healthy / maximum percent.
pub fn deployment(ctx: &mut Ctx, m: &Mapper, min_tasks: u32) -> (u32, u32) {
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
        codes::DEPLOYMENT_POLICY,
        Severity::Info,
        source,
        format!("{note}: minimumHealthyPercent {min_h}, maximumPercent {max_p}, with the circuit breaker rolling back failed deployments"),
        "Nothing to do; with one task, minimumHealthyPercent 100 needs room for a second task during deployments.",
    ).in_phase(Phase::Deploy));
    (min_h, max_p)
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
    let source = instance_type_source(m);
    let Some((mem, vcpu)) = limits::instance_type(it) else {
        ctx.push(Finding::new(
            codes::INSTANCE_TYPE_UNKNOWN,
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
        LaunchType::Ec2 => ctx.push(ec2_fit(source, it, mem, container_memory)),
        LaunchType::Fargate => {
            if let (Some(c), Some(tm)) = (task_cpu, task_memory) {
                ctx.push(Finding::new(
                    codes::CAPACITY_FARGATE,
                    Severity::Info,
                    source,
                    format!("EB ran on {it} ({vcpu} vCPU, {mem} MiB per instance); each Fargate task gets {} vCPU and {tm} MiB", f64::from(c) / 1024.0),
                    "If the instance was busy, raise the task size (cpu/memory) rather than relying on the container sums.",
                ).in_phase(Phase::Verify));
            }
        }
    }
}

/// Where the instance type was set: the launch configuration, else `aws:ec2:instances`.
fn instance_type_source(m: &Mapper) -> Source {
    m.get("aws:autoscaling:launchconfiguration", "InstanceType")
        .or_else(|| m.get("aws:ec2:instances", "InstanceTypes"))
        .map_or_else(
            || {
                Source::new(
                    "EB settings",
                    "aws:autoscaling:launchconfiguration:InstanceType",
                )
            },
            |s| s.source.clone(),
        )
}

/// Whether the containers' memory fits what the ECS agent can register on one instance.
fn ec2_fit(source: Source, it: &str, mem: u32, container_memory: u32) -> Finding {
    let usable = limits::ecs_registrable_memory(mem);
    if container_memory > usable {
        Finding::new(
            codes::CAPACITY_EXCEEDED,
            Severity::Blocker,
            source,
            format!("the containers reserve {container_memory} MiB, but a {it} ({mem} MiB) offers the ECS agent only about {usable} MiB: the task will not be placed"),
            format!("Use a larger instance type (InstanceType parameter of the stack), or lower the containers' memory to fit {usable} MiB."),
        )
    } else {
        Finding::new(
            codes::CAPACITY_OK,
            Severity::Info,
            source,
            format!("the containers reserve {container_memory} MiB; a {it} offers about {usable} MiB to tasks, room for {} task(s) per instance", usable / container_memory.max(1)),
            "Nothing to do.",
        ).in_phase(Phase::Verify)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::tests_support::{ctx, settings};
    use crate::model::{Network, Tier};

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
            (f.code.as_str(), f.severity),
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
}
