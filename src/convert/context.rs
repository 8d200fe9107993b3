//! The state one conversion shares between its rules: the resolved names, and what the rules
//! collect (findings, secrets, hostname changes, files to bake, placeholder images).
//!
//! Findings are reported by topic in a fixed order (the inputs, then containers, networking, the
//! task, the environment, capacity, leftovers and placeholders), whatever order the rules ran
//! in: the conversion decides the environment first, but a reader meets the containers first.

use crate::finding::{Finding, Source};
use crate::model::{BakeFile, HostnameChange, LaunchType, SecretParam, SecretsMode};

/// Where a finding sits in the report; the order of the variants is the report's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Topic {
    /// Reading the Dockerrun and the settings files.
    Inputs,
    /// The region and account the ARNs use.
    Region,
    /// EB environment properties and secrets.
    Properties,
    /// Each container's own fields.
    Containers,
    /// Volumes and mounts.
    Volumes,
    /// EB's process port.
    ProcessPort,
    /// The container behind the load balancer.
    Target,
    /// Ports, links and hostnames.
    Networking,
    /// The task as a whole: essential containers and size.
    Task,
    /// The one-off task: container_commands, predeploy hooks, instance commands.
    OneOff,
    /// How the EB environment ran: network, scaling, deployment, logs, load balancer.
    Environment,
    /// EC2 capacity.
    Capacity,
    /// Instance options and the settings nothing used.
    Leftovers,
    /// Values only the user can fill in.
    Placeholders,
    /// The delivery pipeline (`--ci github`).
    Delivery,
}

/// Shared state of one conversion.
pub struct Ctx {
    /// File the Dockerrun came from (finding sources).
    pub file: String,
    /// Task definition family.
    pub family: String,
    /// Region.
    pub region: String,
    /// Account ID or placeholder.
    pub account: String,
    /// Launch type.
    pub launch_type: LaunchType,
    /// Where secrets go.
    pub secrets_mode: SecretsMode,
    /// KMS key of the secrets, when not the AWS-managed one.
    pub secrets_kms_key: Option<String>,
    /// `--sqsd-image`, for a worker's sidecar.
    pub sqsd_image: Option<String>,
    /// `--redirect-http`: HTTP listeners redirect to HTTPS by default where EB forwarded.
    pub redirect_http: bool,
    /// The topic the rule running now reports under.
    pub topic: Topic,
    /// Findings so far, in the order the rules found them.
    pub findings: Vec<Finding>,
    /// The topic of each finding.
    topics: Vec<Topic>,
    /// Secrets so far.
    pub secrets: Vec<SecretParam>,
    /// Hostname changes so far.
    pub hostname_changes: Vec<HostnameChange>,
    /// Files to bake into images.
    pub bake_files: Vec<BakeFile>,
    /// Placeholder images.
    pub placeholder_images: Vec<(String, String)>,
    /// Registry credentials secret (name, ARN).
    pub registry_credentials: Option<(String, String)>,
}

impl Ctx {
    /// A fresh context for the resolved names.
    pub fn new(
        file: &str,
        family: &str,
        region: &str,
        account: &str,
        opts: &crate::model::Options,
    ) -> Self {
        Ctx {
            file: file.to_string(),
            family: family.to_string(),
            region: region.to_string(),
            account: account.to_string(),
            launch_type: opts.launch_type,
            secrets_mode: opts.secrets,
            secrets_kms_key: opts.secrets_kms_key.clone(),
            sqsd_image: opts.sqsd_image.clone(),
            redirect_http: opts.redirect_http,
            topic: Topic::Inputs,
            findings: Vec::new(),
            topics: Vec::new(),
            secrets: Vec::new(),
            hostname_changes: Vec::new(),
            bake_files: Vec::new(),
            placeholder_images: Vec::new(),
            registry_credentials: None,
        }
    }

    /// A source in the Dockerrun file.
    pub fn src(&self, pointer: &str) -> Source {
        Source::new(self.file.clone(), pointer)
    }

    /// Record a finding under the current topic.
    pub fn push(&mut self, f: Finding) {
        self.findings.push(f);
        self.topics.push(self.topic);
    }

    /// Record findings found elsewhere (the loaders) under the current topic.
    pub fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) {
        for f in findings {
            self.push(f);
        }
    }

    /// Withdraw the findings a later rule made untrue (an expression option that a carried
    /// resource now resolves), keeping each remaining finding's topic.
    pub fn retract(&mut self, mut gone: impl FnMut(&Finding) -> bool) {
        let mut keep = self.findings.iter().map(|f| !gone(f));
        let kept: Vec<bool> = keep.by_ref().collect();
        let mut i = 0;
        self.topics.retain(|_| {
            i += 1;
            kept[i - 1]
        });
        let mut j = 0;
        self.findings.retain(|_| {
            j += 1;
            kept[j - 1]
        });
    }

    /// The findings so far, in report order.
    pub fn report_order(&self) -> Vec<Finding> {
        let mut order: Vec<usize> = (0..self.findings.len()).collect();
        order.sort_by_key(|i| self.topics[*i]); // stable: rule order within a topic
        order
            .into_iter()
            .map(|i| self.findings[i].clone())
            .collect()
    }

    /// The CloudWatch Logs group of the task.
    pub fn log_group(&self) -> String {
        format!("/ecs/{}", self.family)
    }
}
