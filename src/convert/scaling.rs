//! How many tasks run and how they are replaced: EB's Auto Scaling group and trigger become the
//! service's desired count and target tracking, its deployment policy the deployment
//! configuration, and its instance type a capacity check.

use super::limits;
use super::mapper::Mapper;
use super::Ctx;
use crate::codes;
use crate::finding::{Finding, Phase, Severity, Source};
use crate::load::settings::Layer;
use crate::model::{Ec2Capacity, Environment, LaunchType, Scaling, ScalingMetric};

/// MinSize/MaxSize as task counts and the CPU target from the EB trigger.
pub fn scaling(ctx: &mut Ctx, m: &Mapper) -> Scaling {
    let ns = "aws:autoscaling:asg";
    let min = m.number(ctx, ns, "MinSize");
    let max = m.number(ctx, ns, "MaxSize").max(min);
    let (cpu_target, metric) = trigger(ctx, m, min.max(1), max.max(1));
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
        metric,
    }
}

/// The metric the service tracks and the CPU target: EB's CPU, memory or request trigger becomes
/// its ECS counterpart; any other trigger gets a proposed CPU target of 70% and a finding.
fn trigger(ctx: &mut Ctx, m: &Mapper, min: u32, max: u32) -> (u32, ScalingMetric) {
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
    if measure == "RequestCount" {
        return (70, requests_target(ctx, m, source, (min, max)));
    }
    if measure == "MemoryUtilization" {
        let t = upper
            .and_then(|u| u.parse::<f64>().ok())
            .map_or(70, |u| u.round().clamp(10.0, 90.0) as u32);
        ctx.push(Finding::new(
            codes::SCALING_MEMORY,
            Severity::Info,
            source,
            format!("EB scaled on MemoryUtilization (upper threshold {}); the service scales to keep average memory (ECSServiceAverageMemoryUtilization) at {t}% between {min} and {max} tasks", upper.unwrap_or("not set")),
            "Watch the first days of traffic and tune the target.",
        ).in_phase(Phase::Verify));
        return (70, ScalingMetric::Memory(t));
    }
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
        (t, ScalingMetric::Cpu)
    } else {
        ctx.push(Finding::new(
            codes::SCALING_PROPOSED,
            Severity::Warning,
            source,
            format!("EB scaled on {measure}, which has no ECS service metric (ECS tracks CPU, memory and load balancer requests per task, not instance network or disk); a CPU target of 70% between {min} and {max} tasks is proposed instead"),
            format!("Check that CPU follows the load that {measure} measured, or add a step-scaling policy on a CloudWatch alarm for it."),
        ).in_phase(Phase::Verify));
        (70, ScalingMetric::Cpu)
    }
}

/// Requests per target need a load balancer: without one the service tracks CPU (a finding).
pub fn requests_without_load_balancer(ctx: &mut Ctx, m: &Mapper, scaling: &mut Scaling) {
    if !matches!(scaling.metric, ScalingMetric::Requests(_)) {
        return;
    }
    scaling.metric = ScalingMetric::Cpu;
    ctx.push(Finding::new(
        codes::SCALING_PROPOSED,
        Severity::Warning,
        m.get("aws:autoscaling:trigger", "MeasureName").map_or_else(|| Source::new("", ""), |s| s.source.clone()),
        format!("EB scaled on RequestCount, but the service has no load balancer to count requests; a CPU target of {}% between {} and {} tasks is proposed instead", scaling.cpu_target, scaling.min, scaling.max),
        "Check that CPU follows the load, or scale on a metric the application publishes.",
    ).in_phase(Phase::Verify));
}

/// EB's RequestCount trigger counted the load balancer's requests over each Period (default 5
/// minutes); ALBRequestCountPerTarget counts one target's requests per minute. The target is
/// the upper threshold per minute, shared by the minimum number of tasks.
fn requests_target(
    ctx: &mut Ctx,
    m: &Mapper,
    source: Source,
    (min, max): (u32, u32),
) -> ScalingMetric {
    let trig = "aws:autoscaling:trigger";
    let period = m
        .value(trig, "Period")
        .and_then(|p| p.trim().parse::<u32>().ok())
        .filter(|p| *p > 0)
        .unwrap_or(5);
    let upper = m
        .value(trig, "UpperThreshold")
        .and_then(|u| u.trim().parse::<f64>().ok());
    let target = upper.map_or(1000, |u| {
        ((u / f64::from(period) / f64::from(min)).round() as u32).max(1)
    });
    let how = match upper {
        Some(u) => format!("EB scaled out above {u} requests per {period} minute(s) on the load balancer; with {min} task(s) that is about {target} requests per task per minute"),
        None => format!("EB scaled on RequestCount without an upper threshold; {target} requests per task per minute is proposed"),
    };
    ctx.push(Finding::new(
        codes::SCALING_REQUESTS,
        Severity::Info,
        source,
        format!("{how}: the service tracks ALBRequestCountPerTarget at {target} between {min} and {max} tasks"),
        "Watch the first days of traffic and tune the target (requests per task per minute).",
    ).in_phase(Phase::Verify));
    ScalingMetric::Requests(target)
}

/// The EB deployment policy as minimum healthy / maximum percent.
pub fn deployment(ctx: &mut Ctx, m: &Mapper, min_tasks: u32) -> (u32, u32) {
    let ns = "aws:elasticbeanstalk:command";
    let policy = m.text(ns, "DeploymentPolicy").to_string();
    let batch_type = m.text(ns, "BatchSizeType").to_string();
    let batch = m.number(ctx, ns, "BatchSize");
    m.get(ns, "Timeout");
    m.get(ns, "IgnoreHealthCheck");
    let batch_pct = batch_percent(&batch_type, batch, min_tasks);
    let (min_h, max_p, note) = match policy.as_str() {
        "AllAtOnce" => (
            100,
            200,
            "EB replaced every instance at once (downtime); the service keeps all tasks running and starts the new ones beside them (100% / 200%), which needs no downtime".to_string(),
        ),
        // One task: EB's batch took the only instance out of service (an outage at each
        // deployment); the service starts the new task beside the old instead.
        "Rolling" if min_tasks <= 1 => (
            100,
            200,
            format!("EB rolled in batches of {batch} ({batch_type}), which with one instance took it out of service at every deployment; with one task the service starts the new task beside the old (100% / 200%), so a deployment has no outage{}", if ctx.launch_type == LaunchType::Ec2 { " (on EC2 the capacity must hold a second task during the deployment: the Auto Scaling group's MaxSize leaves room for it)" } else { "" }),
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
    let reduced = policy == "Rolling" && min_tasks > 1;
    let (min_h, max_p) = unstuck(ctx, min_tasks, (min_h, max_p), reduced);
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

/// EB's batch as a percentage of the tasks (a fixed batch counts instances).
fn batch_percent(batch_type: &str, batch: u32, tasks: u32) -> u32 {
    if batch_type.eq_ignore_ascii_case("Fixed") {
        (batch * 100).div_ceil(tasks.max(1)).min(100)
    } else {
        batch.min(100)
    }
}

/// Whether a deployment of `desired` tasks can move with these percentages: ECS rounds the
/// minimum healthy up and the maximum down (in tasks), so at least one task must be startable
/// above the minimum, or the minimum be 0 with room for every task.
pub fn can_move(desired: u32, min_healthy: u32, max_percent: u32) -> bool {
    let floor_max = desired * max_percent / 100;
    let ceil_min = (desired * min_healthy).div_ceil(100);
    floor_max > ceil_min || (min_healthy == 0 && max_percent >= 100)
}

/// Percentages that let a deployment of `desired` tasks replace at least one task: the given
/// ones when they can; else, when EB accepted reduced capacity (Rolling), the highest minimum
/// that lets one task stop; else the lowest maximum that lets one extra task start.
pub fn deployable(desired: u32, min_healthy: u32, max_percent: u32, reduced: bool) -> (u32, u32) {
    let d = desired.max(1);
    if can_move(d, min_healthy, max_percent) {
        return (min_healthy, max_percent);
    }
    if reduced {
        // One task fewer than desired may run: floor((d-1)/d) keeps ceil(d*min) at d-1.
        ((d - 1) * 100 / d, max_percent.max(100))
    } else {
        // One task more than desired may run: ceil((d+1)/d) keeps floor(d*max) at d+1.
        (min_healthy.min(100), ((d + 1) * 100).div_ceil(d).min(200))
    }
}

/// [`deployable`], with a finding when the percentages had to change.
fn unstuck(ctx: &mut Ctx, desired: u32, (min_h, max_p): (u32, u32), reduced: bool) -> (u32, u32) {
    let (new_min, new_max) = deployable(desired, min_h, max_p, reduced);
    if (new_min, new_max) != (min_h, max_p) {
        let how = if reduced {
            "one task may stop before its replacement starts (EB's rolling batches took instances out of service too)"
        } else {
            "one extra task may start beside the running ones"
        };
        ctx.push(Finding::new(
            codes::DEPLOYMENT_PERCENT_RAISED,
            Severity::Warning,
            Source::new("EB settings", "aws:elasticbeanstalk:command:BatchSize"),
            format!("with {desired} task(s), minimumHealthyPercent {min_h} / maximumPercent {max_p} round to the same number of tasks (ECS rounds the minimum up and the maximum down), so a deployment could never replace a task; {new_min} / {new_max} is used: {how}"),
            "Nothing to do; raise the desired count or adjust the percentages together if you change them.",
        ).in_phase(Phase::Deploy));
    }
    (new_min, new_max)
}

/// On EC2: the instance type the stack defaults to (EB's when the containers fit it, else the
/// smallest current type that does). On Fargate: how the task compares with EB's instance.
pub fn capacity(
    ctx: &mut Ctx,
    m: &Mapper,
    env: &Environment,
    task: (Option<u32>, Option<u32>),
    container_memory: u32,
) -> Option<String> {
    if let Some(it) = env.instance_type.as_deref() {
        instance_type_name(ctx, m, it);
    }
    if ctx.launch_type == LaunchType::Ec2 {
        return ec2_capacity(ctx, m, env, container_memory);
    }
    let it = env.instance_type.as_deref()?;
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
        return None;
    };
    if let (Some(c), Some(tm)) = task {
        ctx.push(Finding::new(
            codes::CAPACITY_FARGATE,
            Severity::Info,
            source,
            format!("EB ran on {it} ({vcpu} vCPU, {mem} MiB per instance); each Fargate task gets {} vCPU and {tm} MiB", f64::from(c) / 1024.0),
            "If the instance was busy, raise the task size (cpu/memory) rather than relying on the container sums.",
        ).in_phase(Phase::Verify));
    }
    None
}

/// An instance type that does not follow EC2's naming grammar is a typo or a template value:
/// the stack's InstanceType parameter would be rejected at launch.
fn instance_type_name(ctx: &mut Ctx, m: &Mapper, it: &str) {
    if limits::is_instance_type_name(it) {
        return;
    }
    ctx.push(Finding::new(
        codes::INSTANCE_TYPE_INVALID,
        Severity::Warning,
        instance_type_source(m),
        format!("{it:?} is not an EC2 instance type name (FAMILY.SIZE, e.g. t3.small, m6i.large): EC2 rejects it, and eb2ecs cannot size the tasks from it"),
        "Check the instance type EB really ran (the EC2 console or `aws elasticbeanstalk describe-configuration-settings`) and set it, or the stack's InstanceType parameter.",
    ));
}

/// EC2: the Auto Scaling group's bounds from the task density. Tasks per instance follow the
/// instance's registrable memory and its CPU against the containers' reservations; `MinSize`
/// holds the minimum task count, `MaxSize` the maximum times the deployment's maximum percent,
/// so a deployment at peak can still place its replacement tasks. `None` on Fargate or when
/// eb2ecs does not know the type's size.
pub fn ec2_bounds(
    ctx: &mut Ctx,
    m: &Mapper,
    env: &Environment,
    instance_type: Option<&str>,
    (container_memory, container_cpu): (u32, u32),
) -> Option<Ec2Capacity> {
    if ctx.launch_type != LaunchType::Ec2 {
        return None;
    }
    let it = instance_type?;
    let (mem, vcpu) = limits::instance_type(it)?;
    let by_memory = limits::ecs_registrable_memory(mem) / container_memory.max(1);
    let by_cpu = (vcpu * 1024).checked_div(container_cpu).unwrap_or(u32::MAX);
    let per = by_memory.min(by_cpu).max(1);
    let min_tasks = env.scaling.min.max(1);
    let peak = (env.scaling.max.max(min_tasks) * env.max_percent.max(100)).div_ceil(100);
    let bounds = Ec2Capacity {
        tasks_per_instance: per,
        min_instances: min_tasks.div_ceil(per),
        max_instances: peak.div_ceil(per).max(min_tasks.div_ceil(per)),
    };
    ctx.push(Finding::new(
        codes::EC2_CAPACITY_BOUNDS,
        Severity::Info,
        instance_type_source(m),
        format!("{per} task(s) fit one {it} ({} MiB and {} CPU units for tasks against {container_memory} MiB and {container_cpu} CPU units per task); the Auto Scaling group runs {} to {} instances: {min_tasks} task(s) at the minimum, {peak} at peak during a deployment ({} tasks at {}%)", limits::ecs_registrable_memory(mem), vcpu * 1024, bounds.min_instances, bounds.max_instances, env.scaling.max.max(min_tasks), env.max_percent.max(100)),
        "Nothing to do; the capacity provider's managed scaling keeps the instances between these bounds.",
    ).in_phase(Phase::Verify));
    Some(bounds)
}

/// EC2: EB's instance type when the containers fit it; else the smallest current-generation type
/// of the same architecture that fits, with a finding; a blocker when none does.
fn ec2_capacity(
    ctx: &mut Ctx,
    m: &Mapper,
    env: &Environment,
    container_memory: u32,
) -> Option<String> {
    let source = instance_type_source(m);
    let it = env.instance_type.as_deref();
    let known = it.and_then(|t| limits::instance_type(t).map(|(mem, _)| (t, mem)));
    if let Some((t, mem)) = known {
        if limits::ecs_registrable_memory(mem) >= container_memory {
            ctx.push(ec2_fit(source, t, mem, container_memory));
            return Some(t.to_string());
        }
    }
    let why = match (it, known) {
        (None, _) => "the settings name no instance type".to_string(),
        (Some(t), None) => format!("eb2ecs does not know the size of {t}"),
        (Some(t), Some((_, mem))) => format!(
            "a {t} ({mem} MiB) offers the ECS agent only about {} MiB",
            limits::ecs_registrable_memory(mem)
        ),
    };
    let Some(chosen) = limits::smallest_instance_type(container_memory, env.arm64, it) else {
        ctx.push(Finding::new(
            codes::CAPACITY_EXCEEDED,
            Severity::Blocker,
            source,
            format!("the containers reserve {container_memory} MiB and {why}; no instance type eb2ecs knows offers that much: the task will not be placed"),
            "Lower the containers' memory, split them into several services, or set the InstanceType parameter to a type large enough.",
        ));
        return it.map(str::to_string);
    };
    let mem = limits::instance_type(&chosen).map_or(0, |(m, _)| m);
    ctx.push(Finding::new(
        codes::INSTANCE_TYPE_CHOSEN,
        Severity::Warning,
        source,
        format!("the containers reserve {container_memory} MiB and {why}; the stack's InstanceType defaults to {chosen}, the smallest current-generation {} type that fits (about {} MiB for tasks)", if env.arm64 { "arm64" } else { "x86_64" }, limits::ecs_registrable_memory(mem)),
        "Check the instance type and its cost; set the InstanceType parameter to override it.",
    ).in_phase(Phase::Deploy));
    Some(chosen)
}

/// Where the instance type was set: the launch configuration, else `aws:ec2:instances`.
pub fn instance_type_source(m: &Mapper) -> Source {
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

/// The containers fit what the ECS agent can register on one instance of `it`.
fn ec2_fit(source: Source, it: &str, mem: u32, container_memory: u32) -> Finding {
    let usable = limits::ecs_registrable_memory(mem);
    Finding::new(
        codes::CAPACITY_OK,
        Severity::Info,
        source,
        format!("the containers reserve {container_memory} MiB; a {it} offers about {usable} MiB to tasks, room for {} task(s) per instance", usable / container_memory.max(1)),
        "Nothing to do.",
    ).in_phase(Phase::Verify)
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

    /// Issue 25 item 12: one task with EB's Rolling policy is not stopped before its
    /// replacement starts (0% / 100% was an outage at every push).
    #[test]
    fn rolling_with_one_task_starts_the_new_task_first() {
        let s = settings(&[
            (
                "aws:elasticbeanstalk:command",
                "DeploymentPolicy",
                "Rolling",
            ),
            ("aws:elasticbeanstalk:command", "BatchSize", "30"),
        ]);
        let m = Mapper::new(&s);
        for lt in [LaunchType::Fargate, LaunchType::Ec2] {
            let mut c = ctx(lt);
            assert_eq!(deployment(&mut c, &m, 1), (100, 200));
            assert!(!c
                .findings
                .iter()
                .any(|f| f.code == "DEPLOYMENT-PERCENT-RAISED"));
        }
    }

    /// Issue 25 item 13: the Auto Scaling group's bounds follow the task density and leave room
    /// for a deployment at peak.
    #[test]
    fn ec2_bounds_follow_task_density() {
        let s = settings(&[]);
        let m = Mapper::new(&s);
        let mut env = Environment {
            tier: Tier::WebServer,
            single_instance: false,
            load_balancer: None,
            scaling: Scaling {
                min: 2,
                max: 4,
                cpu_target: 70,
                metric: ScalingMetric::Cpu,
            },
            min_healthy_percent: 100,
            max_percent: 200,
            log_retention_days: 7,
            xray: false,
            network: Network::default(),
            instance_type: Some("t3.medium".into()),
            arm64: false,
        };
        let mut c = ctx(LaunchType::Ec2);
        // t3.medium: 4096 MiB -> 3776 registrable: 3 tasks of 1024 MiB; 8 at peak -> 3 instances.
        let b = ec2_bounds(&mut c, &m, &env, Some("t3.medium"), (1024, 0)).unwrap();
        assert_eq!(
            (b.tasks_per_instance, b.min_instances, b.max_instances),
            (3, 1, 3)
        );
        // CPU bounds density too: 2 vCPU for tasks of 1024 units -> 2 per instance.
        let b = ec2_bounds(&mut c, &m, &env, Some("t3.medium"), (512, 1024)).unwrap();
        assert_eq!(
            (b.tasks_per_instance, b.min_instances, b.max_instances),
            (2, 1, 4)
        );
        // One task, 100/200: room for the replacement even when one task fills an instance.
        env.scaling = Scaling {
            min: 1,
            max: 1,
            cpu_target: 70,
            metric: ScalingMetric::Cpu,
        };
        let b = ec2_bounds(&mut c, &m, &env, Some("t3.medium"), (3000, 0)).unwrap();
        assert_eq!((b.min_instances, b.max_instances), (1, 2));
        assert!(ec2_bounds(
            &mut ctx(LaunchType::Fargate),
            &m,
            &env,
            Some("t3.medium"),
            (3000, 0)
        )
        .is_none());
        // A free-text instance type that is no EC2 name gets a finding.
        env.instance_type = Some("t3-medium".into());
        let mut c = ctx(LaunchType::Fargate);
        capacity(&mut c, &m, &env, (Some(256), Some(512)), 512);
        assert!(c.findings.iter().any(|f| f.code == "INSTANCE-TYPE-INVALID"));
    }

    #[test]
    fn deployment_percentages_always_move_a_task() {
        // (desired, min, max, reduced capacity accepted) -> (min, max)
        let table = [
            (1, 100, 200, false, (100, 200)),
            (1, 100, 100, false, (100, 200)),
            (1, 75, 100, true, (0, 100)),
            (2, 75, 100, true, (50, 100)),
            (4, 75, 100, true, (75, 100)),
            (3, 100, 125, false, (100, 134)),
            (2, 100, 125, false, (100, 150)),
            (4, 100, 125, false, (100, 125)),
            (10, 90, 100, true, (90, 100)),
            (8, 90, 100, true, (87, 100)),
        ];
        for (d, min, max, reduced, want) in table {
            let got = deployable(d, min, max, reduced);
            assert_eq!(got, want, "desired {d}, {min}/{max}");
            assert!(can_move(d, got.0, got.1), "desired {d}: {got:?} is stuck");
        }
        assert!(!can_move(2, 75, 100) && !can_move(1, 100, 100) && can_move(1, 0, 100));
    }

    #[test]
    fn stuck_rolling_batch_is_unstuck_with_a_finding() {
        let s = settings(&[
            (
                "aws:elasticbeanstalk:command",
                "DeploymentPolicy",
                "Rolling",
            ),
            ("aws:elasticbeanstalk:command", "BatchSize", "30"),
        ]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        assert_eq!(deployment(&mut c, &m, 2), (50, 100));
        let f = c
            .findings
            .iter()
            .find(|f| f.code == "DEPLOYMENT-PERCENT-RAISED")
            .unwrap();
        assert!(
            f.message.contains("70 / maximumPercent 100") && f.message.contains("50 / 100"),
            "{}",
            f.message
        );
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
                cpu_target: 60,
                metric: ScalingMetric::Cpu
            }
        );
        assert_eq!(c.findings[0].code, "SCALING-CPU");
    }

    #[test]
    fn ec2_capacity_picks_a_type_that_fits() {
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
                metric: ScalingMetric::Cpu,
            },
            min_healthy_percent: 100,
            max_percent: 200,
            log_retention_days: 7,
            xray: false,
            network: Network::default(),
            instance_type: Some("t3.micro".into()),
            arm64: false,
        };
        let chosen = capacity(&mut c, &m, &svc_env, (None, None), 2048);
        assert_eq!(chosen.as_deref(), Some("t3.medium"));
        let f = &c.findings[0];
        assert_eq!(
            (f.code.as_str(), f.severity),
            ("INSTANCE-TYPE-CHOSEN", Severity::Warning)
        );
        assert!(
            f.message.contains("t3.micro")
                && f.message.contains("2048 MiB")
                && f.message.contains("t3.medium"),
            "{}",
            f.message
        );
        svc_env.instance_type = Some("t3.large".into());
        assert_eq!(
            capacity(&mut c, &m, &svc_env, (None, None), 2048).as_deref(),
            Some("t3.large")
        );
        svc_env.arm64 = true;
        svc_env.instance_type = Some("t4g.nano".into());
        assert_eq!(
            capacity(&mut c, &m, &svc_env, (None, None), 2048).as_deref(),
            Some("t4g.medium")
        );
        assert_eq!(
            capacity(&mut c, &m, &svc_env, (None, None), 900_000),
            Some("t4g.nano".into())
        );
        assert_eq!(c.findings.last().unwrap().code, "CAPACITY-EXCEEDED");
        assert_eq!(c.findings[1].code, "CAPACITY-OK");
    }
}
