//! The ECS API shapes eb2ecs writes: the request bodies of `RegisterTaskDefinition` and
//! `CreateService`, in the field names and order the AWS CLI's `--cli-input-json` accepts.
//!
//! These are plain data: no AWS SDK types, so the output is exactly what we serialise.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The body of `aws ecs register-task-definition --cli-input-json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TaskDefinition {
    /// Task definition family name.
    pub family: String,
    /// IAM role the task's containers assume.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    /// IAM role ECS uses to pull images, fetch secrets and write logs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    /// `awsvpc` on Fargate, `bridge` on EC2.
    pub network_mode: String,
    /// The launch types this definition is valid for.
    pub requires_compatibilities: Vec<String>,
    /// Task CPU units, as a string (Fargate requires it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    /// Task memory in MiB, as a string (Fargate requires it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    /// The containers.
    pub container_definitions: Vec<ContainerDefinition>,
    /// Task volumes.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub volumes: Vec<Volume>,
    /// Operating system and CPU architecture (Fargate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime_platform: Option<RuntimePlatform>,
}

/// `runtimePlatform` of a task definition.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RuntimePlatform {
    /// `LINUX`.
    pub operating_system_family: String,
    /// `X86_64` or `ARM64`.
    pub cpu_architecture: String,
}

/// One container of a task definition.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct ContainerDefinition {
    /// Container name, unique in the task.
    pub name: String,
    /// Image reference.
    pub image: String,
    /// Whether the task stops when this container stops.
    pub essential: bool,
    /// CPU units reserved for the container.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<u32>,
    /// Hard memory limit in MiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<u32>,
    /// Soft memory limit in MiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<u32>,
    /// Docker links (bridge mode only).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub links: Vec<String>,
    /// Ports the container listens on.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub port_mappings: Vec<PortMapping>,
    /// Plain environment variables.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub environment: Vec<KeyValue>,
    /// Environment variables fetched from SSM or Secrets Manager.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub secrets: Vec<Secret>,
    /// Command.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// Entry point.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry_point: Option<Vec<String>>,
    /// Working directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_directory: Option<String>,
    /// User.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Hostname (not allowed under awsvpc).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// Volume mounts.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub mount_points: Vec<MountPoint>,
    /// Volumes mounted from other containers.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub volumes_from: Vec<VolumeFrom>,
    /// Start-order dependencies.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub depends_on: Vec<DependsOn>,
    /// Docker labels.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub docker_labels: BTreeMap<String, String>,
    /// Ulimits.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub ulimits: Vec<Ulimit>,
    /// Log driver configuration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_configuration: Option<LogConfiguration>,
    /// Container health check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheck>,
    /// /etc/hosts entries (not allowed under awsvpc).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub extra_hosts: Vec<HostEntry>,
    /// DNS servers (not allowed under awsvpc).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub dns_servers: Vec<String>,
    /// DNS search domains (not allowed under awsvpc).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub dns_search_domains: Vec<String>,
    /// Privileged mode (not allowed on Fargate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub privileged: Option<bool>,
    /// Read-only root file system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readonly_root_filesystem: Option<bool>,
    /// Linux-specific options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linux_parameters: Option<LinuxParameters>,
    /// Private registry credentials.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository_credentials: Option<RepositoryCredentials>,
    /// Seconds to wait before the container is killed after SIGTERM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_timeout: Option<u32>,
    /// Seconds to wait for dependencies to resolve.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_timeout: Option<u32>,
    /// Other ECS container fields, copied as the source had them (already type-checked).
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// A port mapping.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PortMapping {
    /// Port inside the container.
    pub container_port: u16,
    /// Port on the host: equal to containerPort under awsvpc, 0 for a dynamic port on bridge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_port: Option<u16>,
    /// `tcp` or `udp`.
    pub protocol: String,
}

/// A name/value pair.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct KeyValue {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
}

/// A secret injected as an environment variable.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Secret {
    /// Environment variable name.
    pub name: String,
    /// ARN of the SSM parameter or Secrets Manager secret.
    pub value_from: String,
}

/// A volume mount.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MountPoint {
    /// Name of the task volume.
    pub source_volume: String,
    /// Path inside the container.
    pub container_path: String,
    /// Read-only mount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
}

/// Volumes mounted from another container.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VolumeFrom {
    /// The other container.
    pub source_container: String,
    /// Read-only mount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
}

/// A start-order dependency.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DependsOn {
    /// The container waited for.
    pub container_name: String,
    /// `START`, `COMPLETE`, `SUCCESS` or `HEALTHY`.
    pub condition: String,
}

/// A ulimit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Ulimit {
    /// Limit name, e.g. `nofile`.
    pub name: String,
    /// Soft limit.
    pub soft_limit: i64,
    /// Hard limit.
    pub hard_limit: i64,
}

/// Log driver configuration.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LogConfiguration {
    /// Driver name, e.g. `awslogs`.
    pub log_driver: String,
    /// Driver options.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub options: BTreeMap<String, String>,
    /// Secret driver options.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub secret_options: Vec<Secret>,
}

/// Container health check.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HealthCheck {
    /// `["CMD-SHELL", "..."]` or `["CMD", ...]`.
    pub command: Vec<String>,
    /// Seconds between checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<u32>,
    /// Seconds before a check fails.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u32>,
    /// Failures before unhealthy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retries: Option<u32>,
    /// Grace period in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_period: Option<u32>,
}

/// An /etc/hosts entry.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HostEntry {
    /// Host name.
    pub hostname: String,
    /// IP address.
    pub ip_address: String,
}

/// Linux parameters.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LinuxParameters {
    /// Capabilities to add or drop.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<Capabilities>,
    /// Host devices (not on Fargate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub devices: Option<Vec<Value>>,
    /// Run an init process.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub init_process_enabled: Option<bool>,
    /// /dev/shm size in MiB (not on Fargate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared_memory_size: Option<u32>,
    /// tmpfs mounts (not on Fargate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tmpfs: Option<Vec<Value>>,
    /// Swap in MiB (not on Fargate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_swap: Option<u32>,
    /// Swappiness (not on Fargate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub swappiness: Option<u32>,
}

/// Linux capabilities.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Capabilities {
    /// Added capabilities.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add: Option<Vec<String>>,
    /// Dropped capabilities.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drop: Option<Vec<String>>,
}

/// Private registry credentials.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RepositoryCredentials {
    /// Secrets Manager secret ARN holding the registry credentials.
    pub credentials_parameter: String,
}

/// A task volume.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Volume {
    /// Volume name.
    pub name: String,
    /// Bind mount from the container instance (EC2 only); absent for task-scoped storage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<HostVolume>,
    /// An EFS file system (Fargate platform 1.4+ and EC2).
    #[serde(
        rename = "efsVolumeConfiguration",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub efs: Option<EfsVolumeConfiguration>,
}

/// An EFS volume: the file system, encrypted in transit, mounted with the task role's IAM
/// identity.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EfsVolumeConfiguration {
    /// The file system id (`fs-…`).
    pub file_system_id: String,
    /// The folder of the file system to mount, when not its root.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_directory: Option<String>,
    /// `ENABLED` (required by IAM authorization).
    pub transit_encryption: String,
    /// IAM authorization with the task role.
    pub authorization_config: EfsAuthorization,
}

/// How an EFS volume authorizes the task.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EfsAuthorization {
    /// `ENABLED`: the mount uses the task role (its `elasticfilesystem:Client*` permissions).
    pub iam: String,
}

/// Host path of a bind-mount volume.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HostVolume {
    /// Path on the container instance.
    pub source_path: String,
}

/// The body of `aws ecs create-service --cli-input-json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    /// Cluster name.
    pub cluster: String,
    /// Service name.
    pub service_name: String,
    /// Task definition family (latest revision).
    pub task_definition: String,
    /// Number of tasks.
    pub desired_count: u32,
    /// `FARGATE` or `EC2`.
    pub launch_type: String,
    /// Load balancer attachment.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub load_balancers: Vec<ServiceLoadBalancer>,
    /// Subnets and security groups (awsvpc only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<NetworkConfiguration>,
    /// Seconds ECS ignores load balancer health checks after a task starts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_check_grace_period_seconds: Option<u32>,
    /// Rolling deployment settings.
    pub deployment_configuration: DeploymentConfiguration,
    /// Which tags to copy to tasks.
    pub propagate_tags: String,
    /// ECS-managed tags on tasks.
    #[serde(rename = "enableECSManagedTags")]
    pub enable_ecs_managed_tags: bool,
}

/// A service's target group attachment.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ServiceLoadBalancer {
    /// Target group ARN.
    pub target_group_arn: String,
    /// Container the load balancer reaches.
    pub container_name: String,
    /// Container port the load balancer reaches.
    pub container_port: u16,
}

/// `networkConfiguration` of a service.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct NetworkConfiguration {
    /// The awsvpc settings.
    pub awsvpc_configuration: AwsVpcConfiguration,
}

/// `awsvpcConfiguration` of a service.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AwsVpcConfiguration {
    /// Subnet IDs.
    pub subnets: Vec<String>,
    /// Security group IDs.
    pub security_groups: Vec<String>,
    /// `ENABLED` or `DISABLED`.
    pub assign_public_ip: String,
}

/// Rolling deployment settings of a service.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentConfiguration {
    /// Circuit breaker.
    pub deployment_circuit_breaker: CircuitBreaker,
    /// Upper limit of running tasks during a deployment, in percent of desiredCount.
    pub maximum_percent: u32,
    /// Lower limit of healthy tasks during a deployment, in percent of desiredCount.
    pub minimum_healthy_percent: u32,
}

/// Deployment circuit breaker.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CircuitBreaker {
    /// Whether it is on.
    pub enable: bool,
    /// Whether a failed deployment rolls back.
    pub rollback: bool,
}
