//! The parity model from the migration model: which resources the stack holds, under which
//! condition, what outlives it, and the properties both printers must agree on
//! (`tests/infra.rs`). The values several resources share are `super::decide`'s, which the
//! stack builder reads too.

use super::decide::{
    cron_schedules, lb, listener_id, load_balanced, rule_id, schedules, target_tracking,
};
use super::{Kind, Props, Resource, Stack, Target, TargetTracking};
use crate::model::{LaunchType, LoadBalancer, MigrationModel, Worker};

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
        for l in &lb.listeners {
            let props = Props::Listener {
                port: l.port,
                protocol: l.protocol.clone(),
                ssl_policy: l.ssl_policy.clone(),
                redirect: super::decide::redirects(lb, l),
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
