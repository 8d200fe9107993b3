//! The target-neutral infrastructure model, between the migration model (what convert
//! decided) and the printers (`cloudformation.yaml`, the Terraform module):
//! [`stack::stack`] builds the whole stack as data ([`template::Template`], values typed by
//! [`value::Value`]), which both printers print. The values several resources share (the
//! load-balanced container port, the scaling policy, logical ids) are decided once in
//! `decide.rs`.
//!
//! [`Stack`] ([`build`]) is the older parity model: one [`Resource`] per stack resource with
//! the properties both targets must agree on; `tests/infra.rs` walks it over every golden case
//! and corpus conversion and checks that each resource, with these properties and its
//! retention, is in both printed outputs.

mod build;
mod decide;
pub mod overrides;
pub mod spelling;
pub mod stack;
pub mod template;
pub mod value;

pub use build::build;
pub use decide::{cron_schedules, listener_id, load_balanced, rule_id, schedules, target_tracking};

/// Where a value of the stack came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// An EB setting (`namespace:option`, or the file it was read from).
    Eb(String),
    /// EB's default for a setting the project did not set.
    EbDefault(String),
    /// Chosen by eb2ecs (no EB counterpart); why, in a few words.
    Eb2ecs(&'static str),
}

/// A value with its origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    pub origin: Origin,
}

/// The whole stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stack {
    /// Every resource, in the order the CloudFormation template has them.
    pub resources: Vec<Resource>,
    /// The container and port the load balancer sends traffic to: the one copy the target
    /// group, the service's load balancer entry and the security-group rule read.
    pub load_balanced: Option<Target>,
    /// The service's target tracking policy.
    pub scaling: TargetTracking,
}

impl Resource {
    /// The CloudFormation resource type.
    pub fn cloudformation_type(&self) -> &str {
        match &self.props {
            Props::Carried { cloudformation, .. } => cloudformation,
            _ => self.kind.cloudformation(),
        }
    }
}

impl Stack {
    /// The resource with this logical id.
    pub fn get(&self, id: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.id == id)
    }
}

/// The load-balanced container and its port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Container name.
    pub container: String,
    /// Container port.
    pub port: u16,
}

/// The service's target tracking scaling policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetTracking {
    /// Logical id (`CpuScalingPolicy`, `MemoryScalingPolicy`, `RequestsScalingPolicy`).
    pub policy_id: &'static str,
    /// Suffix of the policy's name (`-cpu` …).
    pub policy_suffix: &'static str,
    /// The predefined metric.
    pub metric_type: &'static str,
    /// The target value, with where it came from.
    pub target: Decided<u32>,
    /// Whether it counts the load balancer's requests (needs a resource label).
    pub requests: bool,
    /// Task count bounds (EB's MinSize / MaxSize).
    pub min: u32,
    /// Upper bound.
    pub max: u32,
}

/// One resource of the stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// CloudFormation logical id (the key `--overrides` patches address).
    pub id: String,
    /// What it is.
    pub kind: Kind,
    /// The stack condition it exists under (Terraform: `count` on the matching expression).
    pub condition: Option<&'static str>,
    /// Whether it outlives the stack (CloudFormation `DeletionPolicy: Retain`; Terraform
    /// `prevent_destroy` or `skip_destroy`).
    pub retain: bool,
    /// The properties both outputs must agree on.
    pub props: Props,
}

/// The kinds of resource the stack holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// ECS cluster.
    Cluster,
    /// CloudWatch log group.
    LogGroup,
    /// IAM role (its inline policies belong to it).
    Role,
    /// ECS task definition.
    TaskDefinition,
    /// Security group (its rules belong to it in Terraform).
    SecurityGroup,
    /// A stand-alone security-group ingress rule.
    SecurityGroupIngress,
    /// Application load balancer.
    LoadBalancer,
    /// Target group.
    TargetGroup,
    /// Listener.
    Listener,
    /// Extra listener certificate.
    ListenerCertificate,
    /// Listener rule.
    ListenerRule,
    /// EC2 instance role's profile.
    InstanceProfile,
    /// EC2 launch template.
    LaunchTemplate,
    /// EC2 Auto Scaling group.
    AutoScalingGroup,
    /// ECS capacity provider.
    CapacityProvider,
    /// The cluster's capacity provider association.
    ClusterCapacityProviders,
    /// ECS service.
    Service,
    /// Application Auto Scaling target.
    ScalableTarget,
    /// Application Auto Scaling policy.
    ScalingPolicy,
    /// SQS queue.
    Queue,
    /// EventBridge Scheduler schedule.
    Schedule,
    /// IAM OIDC identity provider.
    OidcProvider,
    /// A resource of an `.ebextensions` `Resources` section carried into the stack; its types
    /// are in [`Props::Carried`].
    Carried,
}

impl Kind {
    /// The CloudFormation resource type.
    pub fn cloudformation(self) -> &'static str {
        match self {
            Kind::Cluster => "AWS::ECS::Cluster",
            Kind::LogGroup => "AWS::Logs::LogGroup",
            Kind::Role => "AWS::IAM::Role",
            Kind::TaskDefinition => "AWS::ECS::TaskDefinition",
            Kind::SecurityGroup => "AWS::EC2::SecurityGroup",
            Kind::SecurityGroupIngress => "AWS::EC2::SecurityGroupIngress",
            Kind::LoadBalancer => "AWS::ElasticLoadBalancingV2::LoadBalancer",
            Kind::TargetGroup => "AWS::ElasticLoadBalancingV2::TargetGroup",
            Kind::Listener => "AWS::ElasticLoadBalancingV2::Listener",
            Kind::ListenerCertificate => "AWS::ElasticLoadBalancingV2::ListenerCertificate",
            Kind::ListenerRule => "AWS::ElasticLoadBalancingV2::ListenerRule",
            Kind::InstanceProfile => "AWS::IAM::InstanceProfile",
            Kind::LaunchTemplate => "AWS::EC2::LaunchTemplate",
            Kind::AutoScalingGroup => "AWS::AutoScaling::AutoScalingGroup",
            Kind::CapacityProvider => "AWS::ECS::CapacityProvider",
            Kind::ClusterCapacityProviders => "AWS::ECS::ClusterCapacityProviderAssociations",
            Kind::Service => "AWS::ECS::Service",
            Kind::ScalableTarget => "AWS::ApplicationAutoScaling::ScalableTarget",
            Kind::ScalingPolicy => "AWS::ApplicationAutoScaling::ScalingPolicy",
            Kind::Queue => "AWS::SQS::Queue",
            Kind::Schedule => "AWS::Scheduler::Schedule",
            Kind::OidcProvider => "AWS::IAM::OIDCProvider",
            Kind::Carried => "",
        }
    }
}

/// The properties of a resource that both outputs must print the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Props {
    /// Nothing compared beyond existence, condition and retention.
    None,
    /// A log group's retention.
    LogGroup {
        /// Days (EB's `aws:elasticbeanstalk:cloudwatch:logs` RetentionInDays).
        retention_days: u32,
    },
    /// A task definition.
    TaskDefinition {
        /// Family.
        family: String,
        /// Task CPU units, when set.
        cpu: Option<String>,
        /// Task memory MiB, when set.
        memory: Option<String>,
        /// `awsvpc` or `bridge`.
        network_mode: String,
        /// Every container with its container ports.
        ports: Vec<(String, Vec<u16>)>,
    },
    /// The service.
    Service {
        /// The load balancer's container and port ([`Stack::load_balanced`]).
        target: Option<Target>,
        /// Deployment minimum healthy percent.
        min_healthy_percent: u32,
        /// Deployment maximum percent.
        max_percent: u32,
    },
    /// The target group.
    TargetGroup {
        /// Traffic port ([`Stack::load_balanced`]).
        port: u16,
        /// `ip` (Fargate) or `instance`.
        target_type: &'static str,
        /// Health check path.
        health_path: String,
        /// Interval, timeout, healthy and unhealthy thresholds.
        health_numbers: [u32; 4],
        /// Success codes.
        matcher: String,
    },
    /// A listener.
    Listener {
        /// Port.
        port: u16,
        /// `HTTP` or `HTTPS`.
        protocol: String,
        /// TLS policy of an HTTPS listener.
        ssl_policy: Option<String>,
        /// Whether it redirects to the HTTPS listener.
        redirect: bool,
    },
    /// A listener rule.
    ListenerRule {
        /// Priority.
        priority: u32,
    },
    /// The scalable target.
    ScalableTarget {
        /// Minimum tasks.
        min: u32,
        /// Maximum tasks.
        max: u32,
    },
    /// A target tracking policy.
    ScalingPolicy {
        /// Predefined metric, or `backlog` for the worker's queue metric.
        metric: String,
        /// Target value.
        target: u32,
    },
    /// A queue.
    Queue {
        /// Visibility timeout seconds, when EB's option applies.
        visibility_timeout: Option<u32>,
        /// Message retention seconds.
        retention: u32,
    },
    /// A carried `.ebextensions` resource (its properties are the project's, printed as given).
    Carried {
        /// CloudFormation type.
        cloudformation: String,
        /// Terraform resource type ([`crate::cfn_types`]).
        terraform: &'static str,
    },
    /// A schedule.
    Schedule {
        /// EventBridge Scheduler expression.
        expression: String,
    },
}
