//! The infrastructure model from the migration model: which resources the stack holds, under
//! which condition, what outlives it, and the properties both printers must agree on. Reads
//! the migration model only; decides the values several resources share (the load-balanced
//! port, the scaling policy, the logical ids of schedules and rules) once.

use super::{Decided, Kind, Origin, Props, Resource, Stack, Target, TargetTracking};
use crate::model::{CronJob, LaunchType, LoadBalancer, MigrationModel, ScalingMetric, Worker};

/// The infrastructure model of a converted environment.
pub fn build(model: &MigrationModel) -> Stack {
    let load_balanced = load_balanced(model);
    let scaling = target_tracking(model, load_balanced.is_some());
    let mut b = Builder::default();
    b.core(model);
    if let (Some(lb), Some(t)) = (lb(model), &load_balanced) {
        b.load_balancer(model, lb, t);
    }
    b.add("ServiceSecurityGroup", Kind::SecurityGroup, Props::None);
    if model.launch_type == LaunchType::Ec2 {
        b.capacity(load_balanced.is_some());
    }
    b.service(model, &load_balanced, &scaling);
    if model.delivery.is_some() {
        b.delivery();
    }
    if let Some(w) = &model.worker {
        b.worker(w);
    }
    b.carried(model);
    b.cron(model);
    if !model.efs.is_empty() {
        let cond = Some("HasEfsSecurityGroup");
        b.push(
            "EfsIngress",
            Kind::SecurityGroupIngress,
            cond,
            false,
            Props::None,
        );
    }
    if let Some(o) = &model.one_off {
        b.add(
            "OneOffTaskDefinition",
            Kind::TaskDefinition,
            task(model, &o.family, &o.task_definition),
        );
    }
    Stack {
        resources: b.0,
        load_balanced,
        scaling,
    }
}

/// The load balancer, when the service has one (and a container it reaches).
fn lb(model: &MigrationModel) -> Option<&LoadBalancer> {
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

/// A task definition's properties.
fn task(model: &MigrationModel, family: &str, td: &crate::ecs::TaskDefinition) -> Props {
    let _ = model;
    Props::TaskDefinition {
        family: family.to_string(),
        cpu: td.cpu.clone(),
        memory: td.memory.clone(),
        network_mode: td.network_mode.clone(),
        ports: td
            .container_definitions
            .iter()
            .map(|c| {
                let ports = c.port_mappings.iter().map(|p| p.container_port).collect();
                (c.name.clone(), ports)
            })
            .collect(),
    }
}

/// The logical id of a listener rule.
pub fn rule_id(name: &str, priority: u32) -> String {
    let id: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("Rule{id}{priority}")
}

/// The logical id of a listener.
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

/// Resources in template order.
#[derive(Default)]
struct Builder(Vec<Resource>);

impl Builder {
    fn push(
        &mut self,
        id: &str,
        kind: Kind,
        condition: Option<&'static str>,
        retain: bool,
        props: Props,
    ) {
        self.0.push(Resource {
            id: id.to_string(),
            kind,
            condition,
            retain,
            props,
        });
    }

    fn add(&mut self, id: &str, kind: Kind, props: Props) {
        self.push(id, kind, None, false, props);
    }

    fn core(&mut self, model: &MigrationModel) {
        self.push(
            "Cluster",
            Kind::Cluster,
            Some("CreateCluster"),
            false,
            Props::None,
        );
        let retention_days = model.environment.log_retention_days;
        self.push(
            "LogGroup",
            Kind::LogGroup,
            None,
            true,
            Props::LogGroup { retention_days },
        );
        self.add("ExecutionRole", Kind::Role, Props::None);
        self.add("TaskRole", Kind::Role, Props::None);
        let td = task(model, &model.family, &model.task_definition);
        self.add("TaskDefinition", Kind::TaskDefinition, td);
    }

    fn load_balancer(&mut self, model: &MigrationModel, lb: &LoadBalancer, t: &Target) {
        self.add(
            "LoadBalancerSecurityGroup",
            Kind::SecurityGroup,
            Props::None,
        );
        self.add("LoadBalancer", Kind::LoadBalancer, Props::None);
        let h = &lb.health_check;
        let fargate = model.launch_type == LaunchType::Fargate;
        let tg = Props::TargetGroup {
            port: t.port,
            target_type: if fargate { "ip" } else { "instance" },
            health_path: h.path.clone(),
            health_numbers: [h.interval, h.timeout, h.healthy, h.unhealthy],
            matcher: h.matcher.clone(),
        };
        self.add("TargetGroup", Kind::TargetGroup, tg);
        let https = lb.listeners.iter().any(|l| l.protocol == "HTTPS");
        for l in &lb.listeners {
            let props = Props::Listener {
                port: l.port,
                protocol: l.protocol.clone(),
                ssl_policy: l.ssl_policy.clone(),
                redirect: l.protocol == "HTTP" && https,
            };
            self.add(&listener_id(l.port), Kind::Listener, props);
        }
        let mut certs: Vec<&String> = lb.listeners.iter().flat_map(|l| &l.certificates).collect();
        certs.dedup();
        for i in 1..certs.len() {
            let id = format!("ExtraCertificate{}", i - 1);
            self.add(&id, Kind::ListenerCertificate, Props::None);
        }
        for r in &lb.rules {
            let props = Props::ListenerRule {
                priority: r.priority,
            };
            self.add(&rule_id(&r.name, r.priority), Kind::ListenerRule, props);
        }
    }

    fn capacity(&mut self, lb: bool) {
        if lb {
            let cond = Some("UseExistingInstances");
            self.push(
                "ExistingInstancesIngress",
                Kind::SecurityGroupIngress,
                cond,
                false,
                Props::None,
            );
        }
        for (id, kind) in [
            ("InstanceRole", Kind::Role),
            ("InstanceProfile", Kind::InstanceProfile),
            ("LaunchTemplate", Kind::LaunchTemplate),
            ("AutoScalingGroup", Kind::AutoScalingGroup),
        ] {
            self.push(id, kind, Some("CreateCapacity"), false, Props::None);
        }
        for (id, kind) in [
            ("CapacityProvider", Kind::CapacityProvider),
            ("ClusterCapacityProviders", Kind::ClusterCapacityProviders),
        ] {
            self.push(id, kind, Some("CreateClusterCapacity"), false, Props::None);
        }
    }

    fn service(&mut self, model: &MigrationModel, target: &Option<Target>, s: &TargetTracking) {
        let env = &model.environment;
        let service = Props::Service {
            target: target.clone(),
            min_healthy_percent: env.min_healthy_percent,
            max_percent: env.max_percent,
        };
        self.add("Service", Kind::Service, service);
        let bounds = Props::ScalableTarget {
            min: s.min,
            max: s.max,
        };
        self.add("ScalableTarget", Kind::ScalableTarget, bounds);
        let policy = Props::ScalingPolicy {
            metric: s.metric_type.to_string(),
            target: s.target.value,
        };
        self.add(s.policy_id, Kind::ScalingPolicy, policy);
    }

    /// The `.ebextensions` resources carried into the stack (a type without a Terraform
    /// counterpart is printed in neither).
    fn carried(&mut self, model: &MigrationModel) {
        for r in &model.carried_resources {
            let Some(t) = crate::cfn_types::lookup(&r.kind) else {
                continue;
            };
            let props = Props::Carried {
                cloudformation: r.kind.clone(),
                terraform: t.terraform,
            };
            self.push(&r.logical_id, Kind::Carried, None, r.retain, props);
        }
    }

    fn delivery(&mut self) {
        let cond = Some("CreateGitHubOidcProvider");
        self.push(
            "GitHubOidcProvider",
            Kind::OidcProvider,
            cond,
            true,
            Props::None,
        );
        self.add("DeployRole", Kind::Role, Props::None);
    }

    /// The cron jobs' schedules and the role that runs them.
    fn cron(&mut self, model: &MigrationModel) {
        let schedules = cron_schedules(model);
        if !schedules.is_empty() {
            self.add("CronSchedulerRole", Kind::Role, Props::None);
        }
        for (id, _, expression) in schedules {
            self.add(&id, Kind::Schedule, Props::Schedule { expression });
        }
    }

    fn worker(&mut self, w: &Worker) {
        if w.queue_url.is_none() {
            let dlq = Props::Queue {
                visibility_timeout: None,
                retention: 1_209_600,
            };
            self.push("WorkerDeadLetterQueue", Kind::Queue, None, true, dlq);
            let queue = Props::Queue {
                visibility_timeout: Some(w.sqsd.visibility_timeout),
                retention: w.sqsd.retention_period,
            };
            self.push("WorkerQueue", Kind::Queue, None, true, queue);
        }
        let backlog = Props::ScalingPolicy {
            metric: "backlog".into(),
            target: w.backlog_target,
        };
        self.add("WorkerBacklogScalingPolicy", Kind::ScalingPolicy, backlog);
        let schedules = schedules(w);
        if !schedules.is_empty() {
            self.add("WorkerSchedulerRole", Kind::Role, Props::None);
        }
        for (id, _, expression) in schedules {
            self.add(&id, Kind::Schedule, Props::Schedule { expression });
        }
    }
}
