//! The migration model: everything the renderers need, decided once, as plain data.
//!
//! Built by [`crate::convert`] from the typed inputs; read by every renderer. No template, SDK
//! or I/O types here.

use crate::ecs;
use crate::finding::{Finding, Source};
use serde_json::Value;

/// ECS launch type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// AWS region for log configuration and ARNs; `None` means not given (a placeholder region
    /// is used with a finding).
    pub region: Option<String>,
    /// AWS account ID for ARNs; `None` means a placeholder.
    pub account_id: Option<String>,
    /// Where secrets go.
    pub secrets: SecretsMode,
    /// Customer-managed KMS key that encrypts the secrets (else the AWS-managed key).
    pub secrets_kms_key: Option<String>,
    /// `--sqsd-image`: the worker's sqsd sidecar image (default: eb2ecs's own, to build).
    pub sqsd_image: Option<String>,
    /// The CI/CD delivery to generate (`--ci github`); `None` for `--ci none`.
    pub delivery: Option<DeliveryOptions>,
    /// `--container-insights`: turn Container Insights on for a web service too (workers
    /// always get it: their scaling reads its metrics).
    pub container_insights: bool,
    /// `--redirect-http`: the HTTP listeners redirect to HTTPS by default even where EB
    /// forwarded them.
    pub redirect_http: bool,
}

/// What `--ci github` and its options ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryOptions {
    /// `OWNER/REPO` on GitHub, when given (else a stack parameter left for the user).
    pub github_repo: Option<String>,
    /// The branch whose pushes deploy.
    pub branch: String,
    /// Images each ECR repository keeps.
    pub keep_images: u32,
    /// Whether ECR tags are immutable.
    pub immutable_tags: bool,
    /// The output folder as the repository holds it (`ecs`), where the workflow finds
    /// `task-definition.json`.
    pub ecs_dir: String,
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

/// A line in the project's files that uses a link hostname.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostnameHit {
    /// File, relative to the project.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// The hostname.
    pub hostname: String,
    /// The line, trimmed.
    pub text: String,
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
    /// Lines of the project's files that use link hostnames.
    pub hostname_hits: Vec<HostnameHit>,
    /// Images that are placeholders (container name, image).
    pub placeholder_images: Vec<(String, String)>,
    /// Customer-managed KMS key of the secrets, when given.
    pub secrets_kms_key: Option<String>,
    /// Private registry credentials secret, when the Dockerrun had authentication.
    pub registry_credentials: Option<(String, String)>,
    /// The containers as EB had them.
    pub origins: Vec<ContainerOrigin>,
    /// The EB environment itself (names the cut-over and decommission steps need).
    pub eb: EbEnvironment,
    /// How the EB environment ran.
    pub environment: Environment,
    /// The instance type the EC2 stack defaults to, decided once the task's size is known: EB's
    /// when the containers fit it, else the smallest current type that fits (`None` on Fargate
    /// or when nothing fits).
    pub ec2_instance_type: Option<String>,
    /// Input files read, in order.
    pub inputs: Vec<String>,
    /// The image eb2ecs generated for a language-platform project (Dockerfile and
    /// .dockerignore), when the project was one.
    pub build: Option<GeneratedImage>,
    /// Commands EB ran at each deployment (`container_commands`, predeploy hooks), carried
    /// over as a one-off task definition run before the service deploys.
    pub one_off: Option<OneOff>,
    /// The delivery pipeline that replaces `eb deploy` (`--ci github`): ECR repositories, the
    /// deploy role and the workflow.
    pub delivery: Option<Delivery>,
    /// A worker environment: its queue, the sqsd sidecar's options and the periodic tasks.
    pub worker: Option<Worker>,
    /// Cron jobs EB's instances ran (`/etc/cron.d` files, crontabs): EventBridge Scheduler
    /// schedules that run the one-off task with the job's command, created disabled.
    pub cron_jobs: Vec<CronJob>,
    /// Everything a person must look at.
    pub findings: Vec<Finding>,
    /// `.ebextensions` `Resources` carried into the stack and the Terraform module, their
    /// references to EB's own resources rewritten to the stack's.
    pub carried_resources: Vec<CarriedResource>,
    /// Environment variables of the application container whose value references a carried
    /// resource (`{"Ref": "Queue"}`): the stack's task definition sets them from it.
    pub resource_env: Vec<ResourceEnv>,
    /// EB's coupled-database variables the application reads, each a stack parameter (and
    /// Terraform variable) the task's environment references; the password is a secret.
    pub database_params: Vec<DatabaseParam>,
    /// EFS file systems EB's instances mounted: volumes of the task definition, the task role's
    /// `elasticfilesystem:Client*` permissions and the mount targets' ingress on TCP 2049.
    pub efs: Vec<EfsMount>,
    /// EC2 capacity sized from the task density (`None` on Fargate): the Auto Scaling group's
    /// bounds, with room for a deployment at peak.
    pub ec2_capacity: Option<Ec2Capacity>,
    /// Whether the cluster turns Container Insights on: workers (their backlog scaling reads
    /// its metrics) or `--container-insights`; off otherwise (it is billed per metric).
    pub container_insights: bool,
    /// The default of ECS Exec (`EnableExecuteCommand`): on only where EB allowed SSH
    /// (`aws:autoscaling:launchconfiguration` `EC2KeyName` set).
    pub exec_default: bool,
    /// The VPC endpoint services (`ecr.api`, `logs`, `s3` …, without the
    /// `com.amazonaws.REGION.` prefix) the tasks need in private subnets without a NAT gateway;
    /// empty when the tasks have public IPs or run in the default VPC.
    pub vpc_endpoints: Vec<String>,
}

/// EC2 capacity decided from the task density: how many tasks fit one instance and the Auto
/// Scaling group's bounds in instances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ec2Capacity {
    /// Tasks that fit one instance of the chosen type (memory and CPU reservations).
    pub tasks_per_instance: u32,
    /// `MinSize`: instances for the service's minimum task count.
    pub min_instances: u32,
    /// `MaxSize`: instances for the maximum task count times the deployment's maximum percent,
    /// so a deployment at peak can place its replacement tasks.
    pub max_instances: u32,
}

/// A coupled-database value the deployment asks for: a stack parameter (`DatabaseEndpoint`),
/// the Terraform variable of the same name in snake case, and the variable it sets.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DatabaseParam {
    /// Stack parameter (`DatabaseEndpoint`); the task definition JSON's placeholder `<name>`.
    pub name: String,
    /// The environment variable it sets (`RDS_HOSTNAME`).
    pub variable: String,
    /// What it is, for the parameter's description.
    pub description: String,
    /// Its default (the port of the engine EB's settings name), `None` when required.
    pub default: Option<String>,
}

/// One EFS mount of EB's instances, carried as an EFS volume of the task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EfsMount {
    /// The file system's id (`fs-…`), when the project names it literally.
    pub file_system_id: Option<String>,
    /// Where it was mounted (the application container's mount path).
    pub path: String,
    /// Where the mount was found.
    pub source: crate::finding::Source,
}

/// A resource of an `.ebextensions` `Resources` section, carried into the stack.
#[derive(Debug, Clone, PartialEq)]
pub struct CarriedResource {
    /// Its logical ID (kept, so `Ref`s between carried resources still hold).
    pub logical_id: String,
    /// CloudFormation type, e.g. `AWS::SQS::Queue`.
    pub kind: String,
    /// Its properties, references to EB's resources rewritten to the stack's (`Ref`,
    /// `Fn::GetAtt`, `Fn::Sub`, `Fn::Join` … as CloudFormation has them).
    pub properties: Value,
    /// It holds data: `DeletionPolicy: Retain` (Terraform `prevent_destroy`), and the checklist
    /// imports the one EB's stack already has instead of creating a new one.
    pub retain: bool,
    /// Carried resources it names, for `DependsOn` (`Ref`s order themselves).
    pub depends_on: Vec<String>,
    /// Where it was defined.
    pub source: Source,
}

/// An environment variable of the application container set from a carried resource.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceEnv {
    /// The container.
    pub container: String,
    /// Variable name.
    pub name: String,
    /// The expression (`{"Ref": "Queue"}`, `{"Fn::GetAtt": ["Queue", "Arn"]}`).
    pub value: Value,
}

impl MigrationModel {
    /// The `docker build --platform` of the task's CPU architecture (`linux/arm64` when EB ran
    /// on Graviton): an image built on a laptop of the other architecture does not start.
    pub fn docker_platform(&self) -> &'static str {
        if self.environment.arm64 {
            "linux/arm64"
        } else {
            "linux/amd64"
        }
    }
}

/// The delivery pipeline: which images the project builds and where they go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The options it was made with.
    pub options: DeliveryOptions,
    /// The images the workflow builds, one ECR repository each, in container order.
    pub images: Vec<BuiltImage>,
    /// The log group task-definition.json names that the stack creates under its own name
    /// (`/ecs/<family>`); the workflow points it at the stack's.
    pub log_group: String,
}

/// One image the project builds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltImage {
    /// The containers that run it (a language platform's processes share one image).
    pub containers: Vec<String>,
    /// ECR repository name.
    pub repository: String,
    /// Build context, relative to the repository root.
    pub context: String,
    /// Dockerfile, relative to the repository root.
    pub dockerfile: String,
    /// Build stage, when given.
    pub target: Option<String>,
    /// Build arguments (name, value).
    pub args: Vec<(String, String)>,
    /// Build arguments whose value is (or whose name says it is) a secret: passed by name
    /// (`--build-arg NAME`, docker reads the value from the environment; the workflow sets it
    /// from the GitHub Actions secret of that name). Their values are never kept.
    pub secret_args: Vec<String>,
}

/// The one-off task: a task definition (artefact `oneoff-task-definition.json`, stack
/// resource `OneOffTaskDefinition`, Terraform `aws_ecs_task_definition.one_off`) with the
/// application container, its image, environment, secrets and roles, that runs each command
/// in order through `aws ecs run-task` with a command override.
#[derive(Debug, Clone, PartialEq)]
pub struct OneOff {
    /// Task definition family (`<family>-oneoff`).
    pub family: String,
    /// The container the commands run in (the application container's name).
    pub container: String,
    /// The task definition, ready to serialise.
    pub task_definition: ecs::TaskDefinition,
    /// The commands, in the order EB ran them.
    pub commands: Vec<OneOffCommand>,
}

/// A cron job of EB's instances, as a schedule of the one-off task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronJob {
    /// The schedule's logical id (`CronSchedule1`; Terraform `cron_schedule_1`).
    pub id: String,
    /// The schedule as EB's instance had it (Unix cron, UTC).
    pub schedule: String,
    /// The EventBridge Scheduler expressions (`cron(...)`).
    pub expressions: Vec<String>,
    /// The container command override (`["sh", "-c", "..."]`).
    pub command: Vec<String>,
    /// Where the job was defined.
    pub source: crate::finding::Source,
}

/// One command of the one-off task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneOffCommand {
    /// Its name (the `container_commands` key or hook file name).
    pub name: String,
    /// The container command override (`["sh", "-c", "..."]`).
    pub command: Vec<String>,
    /// EB ran it on one instance only (`leader_only: true`).
    pub leader_only: bool,
    /// EB went on when it failed (`ignoreErrors: true`).
    pub ignore_errors: bool,
    /// Where it was defined.
    pub source: crate::finding::Source,
}

/// A Dockerfile eb2ecs generated to reproduce an EB language platform.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GeneratedImage {
    /// The platform reproduced, e.g. `Node.js 18`.
    pub platform: String,
    /// Where the platform was learnt from, e.g. `.elasticbeanstalk/config.yml`.
    pub detected_from: String,
    /// The stages, the last one the image that runs.
    pub stages: Vec<Stage>,
    /// The lines of the `.dockerignore`.
    pub dockerignore: Vec<String>,
    /// The ECR repository the image is pushed to.
    pub repository: String,
}

/// One stage of a generated Dockerfile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stage {
    /// The base image.
    pub from: String,
    /// The stage's name (`AS build`), when a later stage copies from it.
    pub name: Option<String>,
    /// The instructions after `FROM`, each one line (`RUN …`, `COPY …`), comments as `# …`.
    pub lines: Vec<String>,
}

/// The EB environment being replaced, as far as the migration steps name it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EbEnvironment {
    /// Environment name, when known (live or describe output).
    pub name: Option<String>,
    /// Its CNAME, when known.
    pub cname: Option<String>,
    /// Its resources (`load balancer awseb-…`), when known.
    pub resources: Vec<String>,
    /// Whether a saved configuration was among the inputs.
    pub saved_config: bool,
}

/// EB environment tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// Serves HTTP through a load balancer (or a single instance).
    WebServer,
    /// Consumes an SQS queue through EB's sqsd daemon.
    Worker,
}

/// Health check of the target group, in EB's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthCheck {
    /// Path.
    pub path: String,
    /// Seconds between checks.
    pub interval: u32,
    /// Seconds before a check fails.
    pub timeout: u32,
    /// Successes before healthy.
    pub healthy: u32,
    /// Failures before unhealthy.
    pub unhealthy: u32,
    /// HTTP codes that count as healthy.
    pub matcher: String,
}

/// A load balancer listener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    /// Port.
    pub port: u16,
    /// `HTTP` or `HTTPS`.
    pub protocol: String,
    /// Certificate ARNs (HTTPS).
    pub certificates: Vec<String>,
    /// SSL policy (HTTPS).
    pub ssl_policy: Option<String>,
}

/// A listener rule (host and/or path conditions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenerRule {
    /// EB rule name.
    pub name: String,
    /// Priority (1..50000).
    pub priority: u32,
    /// Host header conditions.
    pub host_headers: Vec<String>,
    /// Path pattern conditions.
    pub path_patterns: Vec<String>,
}

/// The application load balancer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadBalancer {
    /// Internal (true) or internet-facing.
    pub internal: bool,
    /// Listeners, by port.
    pub listeners: Vec<Listener>,
    /// Listener rules.
    pub rules: Vec<ListenerRule>,
    /// Target group health check.
    pub health_check: HealthCheck,
    /// Deregistration delay, seconds.
    pub deregistration_delay: u32,
    /// Stickiness cookie duration when stickiness is on.
    pub stickiness: Option<u32>,
    /// Idle timeout, seconds.
    pub idle_timeout: u32,
    /// Whether the HTTP listeners redirect to the HTTPS listener by default (the stack's
    /// parameter default): only where EB redirected, or `--redirect-http`; else they forward
    /// as EB's did.
    pub https_redirect: bool,
}

/// Scaling of the service, in tasks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scaling {
    /// Minimum tasks.
    pub min: u32,
    /// Maximum tasks.
    pub max: u32,
    /// Target CPU utilisation (percent) for target tracking.
    pub cpu_target: u32,
    /// The metric the service tracks, from EB's trigger.
    pub metric: ScalingMetric,
}

/// What the service's target tracking follows, from EB's `aws:autoscaling:trigger`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalingMetric {
    /// Average CPU utilisation at [`Scaling::cpu_target`] percent.
    Cpu,
    /// Average memory utilisation at this percent.
    Memory(u32),
    /// Load balancer requests per target (per minute) at this count; CPU without a load
    /// balancer.
    Requests(u32),
}

/// Network settings EB knew.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Network {
    /// VPC ID.
    pub vpc_id: Option<String>,
    /// Instance (task) subnets.
    pub subnets: Vec<String>,
    /// Load balancer subnets.
    pub elb_subnets: Vec<String>,
    /// Whether instances had public IPs (tasks in public subnets need one to pull images).
    pub assign_public_ip: bool,
    /// Whether EB had no VPC settings, so ran in the default VPC (public subnets, no NAT).
    pub default_vpc: bool,
    /// The VPC's CIDR block, when known (the default VPC's is 172.31.0.0/16).
    pub vpc_cidr: Option<String>,
}

/// How the EB environment ran, as far as ECS needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// Tier.
    pub tier: Tier,
    /// Whether EB ran a single instance without load balancer.
    pub single_instance: bool,
    /// The load balancer, when the service gets one.
    pub load_balancer: Option<LoadBalancer>,
    /// Scaling.
    pub scaling: Scaling,
    /// Deployment minimum healthy percent.
    pub min_healthy_percent: u32,
    /// Deployment maximum percent.
    pub max_percent: u32,
    /// Log retention in days.
    pub log_retention_days: u32,
    /// Whether X-Ray was on.
    pub xray: bool,
    /// Network.
    pub network: Network,
    /// EC2 instance type EB used.
    pub instance_type: Option<String>,
    /// Whether EB ran on Graviton (arm64) instances: the tasks run on arm64 too.
    pub arm64: bool,
}

/// A worker environment (EB's sqsd): the queue the sidecar polls, how it POSTs each message to
/// the application, and the periodic tasks of `cron.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Worker {
    /// `WorkerQueueURL` when given (the stack keeps that queue); else the stack creates one.
    pub queue_url: Option<String>,
    /// The sidecar's container name.
    pub sidecar: String,
    /// The sidecar's image when `--sqsd-image` named one (else the default, which the checklist
    /// builds).
    pub image: Option<String>,
    /// The application container it POSTs to, and the port.
    pub app_container: String,
    /// The application's port.
    pub app_port: u16,
    /// The `aws:elasticbeanstalk:sqsd` options, with EB's defaults.
    pub sqsd: SqsdOptions,
    /// The periodic tasks of `cron.yaml`, each with its EventBridge schedules.
    pub periodic: Vec<PeriodicTask>,
    /// The backlog per task the service scales to (decided by convert, printed by the stack).
    pub backlog_target: u32,
}

/// The sidecar image the stack defaults to (parameter `SqsdImage`): built from `sqsd/` in
/// this repository.
pub const SQSD_IMAGE: &str = "ghcr.io/eb2ecs/eb2ecs-sqsd:0.1.0";
/// The message attribute EB's leader set on a periodic task's message (the task's name).
pub const TASK_NAME_ATTRIBUTE: &str = "beanstalk.sqsd.task_name";
/// The message attribute with the time the schedule fired.
pub const SCHEDULED_TIME_ATTRIBUTE: &str = "beanstalk.sqsd.scheduled_time";

/// The `aws:elasticbeanstalk:sqsd` options (EB's defaults when not set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqsdOptions {
    /// `HttpPath` (default `/`).
    pub http_path: String,
    /// `MimeType` (default `application/json`).
    pub mime_type: String,
    /// `HttpConnections` (default 50).
    pub http_connections: u32,
    /// `ConnectTimeout` seconds (default 5).
    pub connect_timeout: u32,
    /// `InactivityTimeout` seconds (default 299).
    pub inactivity_timeout: u32,
    /// `VisibilityTimeout` seconds (default 300).
    pub visibility_timeout: u32,
    /// `ErrorVisibilityTimeout` seconds (default 2).
    pub error_visibility_timeout: u32,
    /// `RetentionPeriod` seconds (default 345600).
    pub retention_period: u32,
    /// `MaxRetries` (default 10): the dead-letter queue's maxReceiveCount.
    pub max_retries: u32,
}

/// One `cron.yaml` entry: the sidecar POSTs its message to `url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodicTask {
    /// `name` (the `X-Aws-Sqsd-Taskname` header).
    pub name: String,
    /// `url` (the path the message is POSTed to).
    pub url: String,
    /// `schedule` as EB had it (Unix cron, UTC).
    pub schedule: String,
    /// The EventBridge Scheduler expressions (`cron(...)`): two when EB's schedule restricted
    /// both the day of the month and the day of the week (Unix cron ORs them).
    pub expressions: Vec<String>,
}
