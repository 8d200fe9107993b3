//! The migration model: everything the renderers need, decided once, as plain data.
//!
//! Built by [`crate::convert`] from the typed inputs; read by every renderer. No template, SDK
//! or I/O types here.

use crate::ecs;
use crate::finding::{Finding, Source};
use crate::settings::EnvSettings;
use serde_json::Value;

/// ECS launch type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LaunchType {
    /// Serverless tasks, awsvpc networking.
    Fargate,
    /// Tasks on EC2 container instances, bridge networking.
    Ec2,
}

impl LaunchType {
    /// `FARGATE` / `EC2`.
    pub fn api_name(self) -> &'static str {
        match self {
            LaunchType::Fargate => "FARGATE",
            LaunchType::Ec2 => "EC2",
        }
    }
}

/// Where secret-looking environment variables go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SecretsMode {
    /// SSM Parameter Store SecureString parameters.
    Ssm,
    /// Secrets Manager secrets.
    Secretsmanager,
    /// Leave them as plain environment variables (not recommended).
    Plain,
}

/// What the user chose on the command line, resolved to values.
#[derive(Debug, Clone)]
pub struct Options {
    /// Launch type.
    pub launch_type: LaunchType,
    /// Task definition family; derived from the project when `None`.
    pub family: Option<String>,
    /// Cluster name; the family when `None`.
    pub cluster: Option<String>,
    /// Service name; the family when `None`.
    pub service_name: Option<String>,
    /// Name of the project (folder or file), the fallback for names.
    pub project_name: String,
    /// AWS region for log configuration and ARNs; `None` means not given (a placeholder region
    /// is used with a finding).
    pub region: Option<String>,
    /// AWS account ID for ARNs; `None` means a placeholder.
    pub account_id: Option<String>,
    /// Where secrets go.
    pub secrets: SecretsMode,
}

/// The container and port the load balancer reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LbTarget {
    /// Container name.
    pub container: String,
    /// Container port.
    pub port: u16,
}

/// A secret the team must create before deploying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretParam {
    /// Container that receives it (several containers may share one parameter).
    pub containers: Vec<String>,
    /// Environment variable name.
    pub env_name: String,
    /// SSM parameter name or Secrets Manager secret name.
    pub name: String,
    /// What the task definition's valueFrom holds.
    pub value_from: String,
    /// Which store.
    pub store: SecretsMode,
    /// Where the value was.
    pub source: Source,
}

/// A hostname that must change because containers no longer link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostnameChange {
    /// The container that used the hostname.
    pub container: String,
    /// The hostname it used.
    pub hostname: String,
    /// The container it reached.
    pub target: String,
    /// Environment variables of `container` whose value mentions the hostname.
    pub env_vars: Vec<String>,
}

/// A file from the EB source bundle that must be baked into an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BakeFile {
    /// Container that mounted it.
    pub container: String,
    /// Path on the EB instance (under /var/app/current).
    pub host_path: String,
    /// Path in the container.
    pub container_path: String,
}

/// The container as EB had it, for the reviewable diff.
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerOrigin {
    /// Container name.
    pub name: String,
    /// The JSON the Dockerrun had for it.
    pub original: Value,
}

/// Everything decided about one migration.
#[derive(Debug, Clone)]
pub struct MigrationModel {
    /// Task definition family.
    pub family: String,
    /// Cluster name.
    pub cluster: String,
    /// Service name.
    pub service_name: String,
    /// Region used in ARNs and log configuration.
    pub region: String,
    /// Account ID used in ARNs (a placeholder when unknown).
    pub account_id: String,
    /// Launch type.
    pub launch_type: LaunchType,
    /// The task definition, ready to serialise.
    pub task_definition: ecs::TaskDefinition,
    /// The service, ready to serialise.
    pub service: ecs::Service,
    /// The container and port behind the load balancer, if any.
    pub target: Option<LbTarget>,
    /// Secrets to create.
    pub secrets: Vec<SecretParam>,
    /// Hostnames to change to localhost.
    pub hostname_changes: Vec<HostnameChange>,
    /// Files to bake into images.
    pub bake_files: Vec<BakeFile>,
    /// Images that are placeholders (container name, image).
    pub placeholder_images: Vec<(String, String)>,
    /// Private registry credentials secret, when the Dockerrun had authentication.
    pub registry_credentials: Option<(String, String)>,
    /// The containers as EB had them.
    pub origins: Vec<ContainerOrigin>,
    /// The EB environment settings that were applied.
    pub settings: EnvSettings,
    /// Input files read, in order.
    pub inputs: Vec<String>,
    /// Everything a person must look at.
    pub findings: Vec<Finding>,
}
