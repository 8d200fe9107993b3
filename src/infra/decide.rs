//! The decisions several parts of the stack share, made once from the migration model: the
//! load-balanced container and port, the target tracking policy, and the logical ids of
//! listeners, rules and schedules. The stack builder (`super::stack`) and the parity model
//! (`build.rs`) both read them here.

use super::{Decided, Origin, Target, TargetTracking};
use crate::model::{CronJob, LoadBalancer, MigrationModel, ScalingMetric, Worker};

/// The load balancer, when the service has one (and a container it reaches).
pub(crate) fn lb(model: &MigrationModel) -> Option<&LoadBalancer> {
    model
        .environment
        .load_balancer
        .as_ref()
        .filter(|_| model.target.is_some())
}

/// The one copy of the load-balanced container and port.
pub fn load_balanced(model: &MigrationModel) -> Option<Target> {
    lb(model)?;
    model.target.as_ref().map(|t| Target {
        container: t.container.clone(),
        port: t.port,
    })
}

/// The target tracking policy of EB's trigger: requests need a load balancer (CPU without one,
/// as EB's `RequestCount` trigger measured the load balancer).
pub fn target_tracking(model: &MigrationModel, has_lb: bool) -> TargetTracking {
    let s = &model.environment.scaling;
    let trigger = |v| Decided {
        value: v,
        origin: Origin::Eb("aws:autoscaling:trigger".into()),
    };
    let (policy_id, policy_suffix, metric_type, target, requests) = match s.metric {
        ScalingMetric::Requests(t) if has_lb => (
            "RequestsScalingPolicy",
            "-requests",
            "ALBRequestCountPerTarget",
            trigger(t),
            true,
        ),
        ScalingMetric::Memory(t) => (
            "MemoryScalingPolicy",
            "-memory",
            "ECSServiceAverageMemoryUtilization",
            trigger(t),
            false,
        ),
        _ => (
            "CpuScalingPolicy",
            "-cpu",
            "ECSServiceAverageCPUUtilization",
            Decided {
                value: s.cpu_target,
                origin: Origin::Eb2ecs("CPU target tracking replaces EB's trigger"),
            },
            false,
        ),
    };
    TargetTracking {
        policy_id,
        policy_suffix,
        metric_type,
        target,
        requests,
        min: s.min,
        max: s.max,
    }
}

/// The logical id of a listener rule.
pub fn rule_id(name: &str, priority: u32) -> String {
    let id: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("Rule{id}{priority}")
}

/// Whether an HTTP listener redirects to the HTTPS one: only where there is one and EB itself
/// redirected (or `--redirect-http` asked for it); otherwise HTTP forwards, as EB did.
pub fn redirects(lb: &LoadBalancer, l: &crate::model::Listener) -> bool {
    l.protocol == "HTTP" && lb.https_redirect && lb.listeners.iter().any(|x| x.protocol == "HTTPS")
}

/// The logical id of the listener on `port`.
pub fn listener_id(port: u16) -> String {
    format!("Listener{port}")
}

/// The schedules of the cron jobs of EB's instances: logical id (`CronSchedule1`, then
/// `CronSchedule1B` for a job's second expression), the job and the expression. They run the
/// one-off task, so there are none without it.
pub fn cron_schedules(model: &MigrationModel) -> Vec<(String, &CronJob, String)> {
    if model.one_off.is_none() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for j in &model.cron_jobs {
        for (i, e) in j.expressions.iter().enumerate() {
            let id = if i == 0 {
                j.id.clone()
            } else {
                format!("{}B", j.id)
            };
            out.push((id, j, e.clone()));
        }
    }
    out
}

/// The schedules of a worker's periodic tasks: logical id (`WorkerSchedule…`, unique), the
/// task's index in `Worker::periodic` and the expression, in `cron.yaml` order.
pub fn schedules(w: &Worker) -> Vec<(String, usize, String)> {
    let mut out: Vec<(String, usize, String)> = Vec::new();
    for (n, t) in w.periodic.iter().enumerate() {
        let base: String = format!(
            "WorkerSchedule{}",
            t.name
                .split(|c: char| !c.is_ascii_alphanumeric())
                .map(capitalised)
                .collect::<String>()
                .chars()
                .take(64)
                .collect::<String>()
        );
        for (i, expression) in t.expressions.iter().enumerate() {
            let mut id = if i == 0 {
                base.clone()
            } else {
                format!("{base}{}", i + 1)
            };
            while out.iter().any(|s| s.0 == id) {
                id.push('X');
            }
            out.push((id, n, expression.clone()));
        }
    }
    out
}

fn capitalised(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}
