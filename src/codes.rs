//! Every finding code, with its usual severity and what it means: the one list that
//! `docs/findings.md` is generated from (`eb2ecs finding-codes`; a test compares). A finding's
//! code is a [`Code`], and only this module makes codes, so no finding can carry a code that is
//! not documented here.

use serde::{Serialize, Serializer};
use std::fmt;

/// A stable finding code, e.g. `LINK-REMOVED`; scripts and docs rely on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code(&'static str);

impl Code {
    /// The code as text.
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

/// One documented code.
#[derive(Debug, Clone, Copy)]
pub struct CodeDoc {
    /// The code.
    pub code: Code,
    /// Its usual severity.
    pub severity: &'static str,
    /// What it means, in a phrase (Markdown).
    pub meaning: &'static str,
}

/// Whether a finding of `code` may have `severity`: the table states each code's severity once
/// (`info / warning` where the code's own rule decides between them). Unknown codes allow none.
pub fn allows(code: &str, severity: crate::finding::Severity) -> bool {
    lookup(code).is_some_and(|d| {
        d.severity
            .split(" / ")
            .any(|s| s.split(' ').next() == Some(severity.as_str()))
    })
}

const fn doc(code: Code, severity: &'static str, meaning: &'static str) -> CodeDoc {
    CodeDoc {
        code,
        severity,
        meaning,
    }
}

// ---- Dockerrun.aws.json: reading the file ----

/// `PROJECT-PATH-OUTSIDE` (warning): a mounted project path that leaves the project (`..`, a symbolic link out of it): not read
pub const PROJECT_PATH_OUTSIDE: Code = Code("PROJECT-PATH-OUTSIDE");
/// `PROJECT-PATH-SKIPPED` (info): a mounted project path that is not a regular text file eb2ecs reads (a FIFO, a device, too large, too many): not read
pub const PROJECT_PATH_SKIPPED: Code = Code("PROJECT-PATH-SKIPPED");
/// `DOCKERRUN-VERSION-MISSING` (warning): no `AWSEBDockerrunVersion`; the version was inferred from the file's shape
pub const DOCKERRUN_VERSION_MISSING: Code = Code("DOCKERRUN-VERSION-MISSING");
/// `DOCKERRUN-VERSION-STRING` (info): version 2 given as the string `"2"`
pub const DOCKERRUN_VERSION_STRING: Code = Code("DOCKERRUN-VERSION-STRING");
/// `DOCKERRUN-VERSION-SHAPE` (warning): the declared version does not match the file's shape; read by its shape
pub const DOCKERRUN_VERSION_SHAPE: Code = Code("DOCKERRUN-VERSION-SHAPE");
/// `DOCKERRUN-VERSION-UNKNOWN` (warning): a version EB does not know (e.g. 3); read by its shape
pub const DOCKERRUN_VERSION_UNKNOWN: Code = Code("DOCKERRUN-VERSION-UNKNOWN");
/// `DOCKERRUN-UNKNOWN-KEY` (warning): a key eb2ecs does not know; not carried over
pub const DOCKERRUN_UNKNOWN_KEY: Code = Code("DOCKERRUN-UNKNOWN-KEY");
/// `DOCKERRUN-KEY-CASE` (info): `Bucket`/`Key` written with another case
pub const DOCKERRUN_KEY_CASE: Code = Code("DOCKERRUN-KEY-CASE");
/// `DOCKERRUN-BOOL-STRING` (info): a boolean given as `"true"`/`"false"`
pub const DOCKERRUN_BOOL_STRING: Code = Code("DOCKERRUN-BOOL-STRING");
/// `DOCKERRUN-NUMBER-STRING` (info): a number given as a string
pub const DOCKERRUN_NUMBER_STRING: Code = Code("DOCKERRUN-NUMBER-STRING");
/// `DOCKERRUN-ENV-MAP` (info): `environment` given as a map
pub const DOCKERRUN_ENV_MAP: Code = Code("DOCKERRUN-ENV-MAP");
/// `DOCKERRUN-ENV-STRINGS` (info): `environment` given as `"NAME=value"` strings
pub const DOCKERRUN_ENV_STRINGS: Code = Code("DOCKERRUN-ENV-STRINGS");
/// `DOCKERRUN-ENV-NO-VALUE` (warning): an environment entry without a value (Docker copied it from the host)
pub const DOCKERRUN_ENV_NO_VALUE: Code = Code("DOCKERRUN-ENV-NO-VALUE");
/// `DOCKERRUN-ENV-NOT-STRING` (info): an environment value that is a number or boolean
pub const DOCKERRUN_ENV_NOT_STRING: Code = Code("DOCKERRUN-ENV-NOT-STRING");
/// `DOCKERRUN-ENV-DUPLICATE` (warning): a variable defined twice in one container; the last wins
pub const DOCKERRUN_ENV_DUPLICATE: Code = Code("DOCKERRUN-ENV-DUPLICATE");
/// `DOCKERRUN-COMMAND-STRING` (info): `command`/`entryPoint` given as one string, split like a shell
pub const DOCKERRUN_COMMAND_STRING: Code = Code("DOCKERRUN-COMMAND-STRING");
/// `DOCKERRUN-NAME-MISSING` (warning): a container without a name, named after its image
pub const DOCKERRUN_NAME_MISSING: Code = Code("DOCKERRUN-NAME-MISSING");
/// `DOCKERRUN-COMPOSE-KEY` (info): a docker-compose key (`container_name`, `restart`)
pub const DOCKERRUN_COMPOSE_KEY: Code = Code("DOCKERRUN-COMPOSE-KEY");
/// `DOCKERRUN-COMPOSE-PORTS` (info): docker-compose `ports` strings read as port mappings
pub const DOCKERRUN_COMPOSE_PORTS: Code = Code("DOCKERRUN-COMPOSE-PORTS");
/// `DOCKERRUN-COMPOSE-BUILD` (info): docker-compose `build`: ECS cannot build
pub const DOCKERRUN_COMPOSE_BUILD: Code = Code("DOCKERRUN-COMPOSE-BUILD");

// ---- Images and registries ----

/// `IMAGE-MISSING` (blocker): a container without an image; a placeholder ECR image is used
pub const IMAGE_MISSING: Code = Code("IMAGE-MISSING");
/// `IMAGE-FROM-DOCKERFILE` (warning): a v1 file without `Image`: EB built the Dockerfile; build and push it
pub const IMAGE_FROM_DOCKERFILE: Code = Code("IMAGE-FROM-DOCKERFILE");
/// `IMAGE-PLACEHOLDER` (blocker): the image is a template placeholder (`${...}`, `<...>`, `{{...}}`, …), kept as written
pub const IMAGE_PLACEHOLDER: Code = Code("IMAGE-PLACEHOLDER");
/// `V1-IMAGE-UPDATE-FALSE` (info): v1 `Image.Update` false: ECS pulls the image at every task start
pub const V1_IMAGE_UPDATE_FALSE: Code = Code("V1-IMAGE-UPDATE-FALSE");
/// `V1-AUTHENTICATION-EMPTY` (info): v1 `Authentication: {}` means no private registry
pub const V1_AUTHENTICATION_EMPTY: Code = Code("V1-AUTHENTICATION-EMPTY");
/// `V1-VOLUME-V2-SHAPE` (info): a v1 volume written as v2 `Host`/`Container`, read as such
pub const V1_VOLUME_V2_SHAPE: Code = Code("V1-VOLUME-V2-SHAPE");
/// `REGISTRY-CREDENTIALS` (blocker): EB's dockercfg in S3 must become a Secrets Manager secret for `repositoryCredentials`
pub const REGISTRY_CREDENTIALS: Code = Code("REGISTRY-CREDENTIALS");

// ---- Containers and Fargate ----

/// `FARGATE-HOSTNAME-DROPPED` (info): `hostname` is not allowed under awsvpc
pub const FARGATE_HOSTNAME_DROPPED: Code = Code("FARGATE-HOSTNAME-DROPPED");
/// `FARGATE-PRIVILEGED` (blocker): Fargate does not allow privileged containers
pub const FARGATE_PRIVILEGED: Code = Code("FARGATE-PRIVILEGED");
/// `EC2-PRIVILEGED` (warning): the container stays privileged on EC2
pub const EC2_PRIVILEGED: Code = Code("EC2-PRIVILEGED");
/// `FARGATE-FIELD-DROPPED` (warning): a field Fargate rejects (extraHosts, dns*, linuxParameters parts, capabilities, dockerSecurityOptions)
pub const FARGATE_FIELD_DROPPED: Code = Code("FARGATE-FIELD-DROPPED");
/// `NO-ESSENTIAL-CONTAINER` (blocker): no container is essential
pub const NO_ESSENTIAL_CONTAINER: Code = Code("NO-ESSENTIAL-CONTAINER");
/// `MEMORY-ASSUMED` (warning): containers without memory; 512 MiB assumed
pub const MEMORY_ASSUMED: Code = Code("MEMORY-ASSUMED");
/// `MEMORY-RESERVATION-ABOVE-LIMIT` (warning): memoryReservation above memory; lowered
pub const MEMORY_RESERVATION_ABOVE_LIMIT: Code = Code("MEMORY-RESERVATION-ABOVE-LIMIT");
/// `TASK-SIZE` (info): the Fargate task size chosen and why
pub const TASK_SIZE: Code = Code("TASK-SIZE");
/// `TASK-TOO-BIG` (blocker): the containers need more than the largest Fargate task
pub const TASK_TOO_BIG: Code = Code("TASK-TOO-BIG");

// ---- Networking, ports and links ----

/// `LINK-REMOVED` (blocker): a link under awsvpc: the hostname must become `localhost`; the link became dependsOn
pub const LINK_REMOVED: Code = Code("LINK-REMOVED");
/// `LINK-CYCLE` (warning (Fargate) / blocker (EC2)): links that form a cycle; one edge dropped
pub const LINK_CYCLE: Code = Code("LINK-CYCLE");
/// `LINK-MISSING-TARGET` (warning): a link to a container that is not in the file
pub const LINK_MISSING_TARGET: Code = Code("LINK-MISSING-TARGET");
/// `LINK-SELF` (info): a container linked to itself
pub const LINK_SELF: Code = Code("LINK-SELF");
/// `ENV-CONTAINER-HOSTNAME` (blocker): an environment value uses another container's name as a host under awsvpc
pub const ENV_CONTAINER_HOSTNAME: Code = Code("ENV-CONTAINER-HOSTNAME");
/// `PORT-HOST-CHANGED` (info): under awsvpc the host port is the container port
pub const PORT_HOST_CHANGED: Code = Code("PORT-HOST-CHANGED");
/// `PORT-DYNAMIC` (info): EC2: the load-balanced port gets a dynamic host port
pub const PORT_DYNAMIC: Code = Code("PORT-DYNAMIC");
/// `PORT-LINKED-DYNAMIC` (info): EC2: a port reached only through links gets a dynamic host port
pub const PORT_LINKED_DYNAMIC: Code = Code("PORT-LINKED-DYNAMIC");
/// `PORT-STATIC` (warning): EC2: a static host port that blocks rolling deployments
pub const PORT_STATIC: Code = Code("PORT-STATIC");
/// `PORT-CONFLICT` (blocker): two containers use the same port; one mapping dropped
pub const PORT_CONFLICT: Code = Code("PORT-CONFLICT");
/// `PORT-DUPLICATE` (info): a container maps the same port twice
pub const PORT_DUPLICATE: Code = Code("PORT-DUPLICATE");
/// `PORT-PLACEHOLDER` (blocker): a port that is a template placeholder; the mapping is left out
pub const PORT_PLACEHOLDER: Code = Code("PORT-PLACEHOLDER");
/// `TARGET-GUESSED` (warning): no container published the EB process port; the load balancer target was guessed
pub const TARGET_GUESSED: Code = Code("TARGET-GUESSED");
/// `NO-PORTS` (warning): no container publishes a port: no load balancer
pub const NO_PORTS: Code = Code("NO-PORTS");
/// `V1-EXTRA-PORTS` (info): v1 ports after the first get no load balancer
pub const V1_EXTRA_PORTS: Code = Code("V1-EXTRA-PORTS");
/// `MANAGED-ENDPOINT-INGRESS` (blocker): an environment value names an RDS / ElastiCache / DocumentDB / MQ / OpenSearch endpoint whose security group admitted EB's instances, not the tasks
pub const MANAGED_ENDPOINT_INGRESS: Code = Code("MANAGED-ENDPOINT-INGRESS");

// ---- Volumes and logs ----

/// `VOLUME-APP-BUNDLE` (blocker): a mount from the EB source bundle (`/var/app/current`): bake it into the image
pub const VOLUME_APP_BUNDLE: Code = Code("VOLUME-APP-BUNDLE");
/// `VOLUME-DOCKER-SOCKET` (blocker (Fargate) / warning (EC2)): the Docker socket is mounted
pub const VOLUME_DOCKER_SOCKET: Code = Code("VOLUME-DOCKER-SOCKET");
/// `VOLUME-HOST-PATH` (warning / info): a host path: task storage on Fargate, instance path on EC2
pub const VOLUME_HOST_PATH: Code = Code("VOLUME-HOST-PATH");
/// `VOLUME-UNDEFINED` (warning): a mount of a volume that is not declared
pub const VOLUME_UNDEFINED: Code = Code("VOLUME-UNDEFINED");
/// `VOLUME-UNUSED` (info): a declared volume nothing mounts
pub const VOLUME_UNUSED: Code = Code("VOLUME-UNUSED");
/// `VOLUMES-FROM-MISSING` (warning): volumesFrom a container that is not in the task
pub const VOLUMES_FROM_MISSING: Code = Code("VOLUMES-FROM-MISSING");
/// `LOGS-EB-VOLUME-DROPPED` (warning): an `awseb-logs-*` mount: log to stdout instead
pub const LOGS_EB_VOLUME_DROPPED: Code = Code("LOGS-EB-VOLUME-DROPPED");
/// `LOGS-V1-LOGGING` (warning): v1 `Logging`: EB streamed files; ECS ships stdout/stderr
pub const LOGS_V1_LOGGING: Code = Code("LOGS-V1-LOGGING");
/// `LOG-DRIVER-REPLACED` (warning): a log driver Fargate does not support; awslogs instead
pub const LOG_DRIVER_REPLACED: Code = Code("LOG-DRIVER-REPLACED");
/// `LOG-CONFIG-PLACEHOLDER` (warning): a log configuration with placeholders; awslogs instead
pub const LOG_CONFIG_PLACEHOLDER: Code = Code("LOG-CONFIG-PLACEHOLDER");
/// `LOG-GROUP-KEPT` (info): a container keeps its own awslogs group, which the stack does not create
pub const LOG_GROUP_KEPT: Code = Code("LOG-GROUP-KEPT");
/// `LOG-RETENTION-ROUNDED` (info): a retention CloudWatch Logs does not offer; rounded up
pub const LOG_RETENTION_ROUNDED: Code = Code("LOG-RETENTION-ROUNDED");
/// `LOGS-NOW-STREAMED` (info): EB did not stream logs; the containers now log to CloudWatch
pub const LOGS_NOW_STREAMED: Code = Code("LOGS-NOW-STREAMED");

// ---- Secrets and roles ----

/// `SECRET-MOVED` (blocker): a secret-looking variable now comes from SSM / Secrets Manager; create it
pub const SECRET_MOVED: Code = Code("SECRET-MOVED");
/// `SECRET-IN-PLAIN-TEXT` (warning): `--secrets plain` kept a secret-looking variable in the environment
pub const SECRET_IN_PLAIN_TEXT: Code = Code("SECRET-IN-PLAIN-TEXT");
/// `SECRET-IN-COMMAND` (warning): a secret-looking value in command, entryPoint, dockerLabels, a health check, a Procfile or Buildfile command; kept (move it by hand), moved to a secret variable, or left out, as the message says
pub const SECRET_IN_COMMAND: Code = Code("SECRET-IN-COMMAND");
/// `SECRET-REFERENCE` (info): an EB environment secret kept as a container secret
pub const SECRET_REFERENCE: Code = Code("SECRET-REFERENCE");
/// `ROLE-EXECUTION-PLACEHOLDER` (warning): executionRoleArn in the JSON is a placeholder
pub const ROLE_EXECUTION_PLACEHOLDER: Code = Code("ROLE-EXECUTION-PLACEHOLDER");
/// `ROLE-TASK-PLACEHOLDER` (warning): taskRoleArn in the JSON is a placeholder
pub const ROLE_TASK_PLACEHOLDER: Code = Code("ROLE-TASK-PLACEHOLDER");
/// `ROLE-FROM-DOCKERRUN` (info): the Dockerrun named its own role
pub const ROLE_FROM_DOCKERRUN: Code = Code("ROLE-FROM-DOCKERRUN");
/// `TASK-ROLE-FROM-INSTANCE-PROFILE` (warning): grant the task role what the EB instance profile allowed the app
pub const TASK_ROLE_FROM_INSTANCE_PROFILE: Code = Code("TASK-ROLE-FROM-INSTANCE-PROFILE");
/// `ACCOUNT-PLACEHOLDER` (warning): no `--account-id`; ARNs hold `ACCOUNT_ID`
pub const ACCOUNT_PLACEHOLDER: Code = Code("ACCOUNT-PLACEHOLDER");
/// `REGION-FROM-INPUTS` (info): the region (or account) read from an ARN or image URI in the inputs
pub const REGION_FROM_INPUTS: Code = Code("REGION-FROM-INPUTS");
/// `REGION-MISMATCH` (blocker): the region disagrees with a certificate's or ECR image's region
pub const REGION_MISMATCH: Code = Code("REGION-MISMATCH");
/// `REGION-ASSUMED` (warning): no region given; us-east-1 used in the JSON files
pub const REGION_ASSUMED: Code = Code("REGION-ASSUMED");
/// `SERVICE-NETWORK-PLACEHOLDER` (warning): service.json subnets and security group are placeholders
pub const SERVICE_NETWORK_PLACEHOLDER: Code = Code("SERVICE-NETWORK-PLACEHOLDER");
/// `SERVICE-TARGET-GROUP-PLACEHOLDER` (warning): service.json target group ARN is a placeholder
pub const SERVICE_TARGET_GROUP_PLACEHOLDER: Code = Code("SERVICE-TARGET-GROUP-PLACEHOLDER");

// ---- EB settings ----

/// `EBEXTENSION-NOT-CONVERTED` (warning): an .ebextensions key other than option_settings (commands, files, Resources, …)
pub const EBEXTENSION_NOT_CONVERTED: Code = Code("EBEXTENSION-NOT-CONVERTED");
/// `SAVED-CONFIG-LIST-FORM` (info): a saved configuration in the .ebextensions list form
pub const SAVED_CONFIG_LIST_FORM: Code = Code("SAVED-CONFIG-LIST-FORM");
/// `SAVED-CONFIG-UNKNOWN-KEY` (info): a saved configuration key eb2ecs does not use
pub const SAVED_CONFIG_UNKNOWN_KEY: Code = Code("SAVED-CONFIG-UNKNOWN-KEY");
/// `SAVED-CONFIG-EXTENSIONS` (warning): saved configuration extensions that built resources
pub const SAVED_CONFIG_EXTENSIONS: Code = Code("SAVED-CONFIG-EXTENSIONS");
/// `DESCRIBE-SEVERAL` (warning): describe output with several configurations; the first is used
pub const DESCRIBE_SEVERAL: Code = Code("DESCRIBE-SEVERAL");
/// `SETTING-OVERRIDDEN` (info): a value overridden by a higher layer, as EB applies them
pub const SETTING_OVERRIDDEN: Code = Code("SETTING-OVERRIDDEN");
/// `SETTING-INTRINSIC` (warning): a value only CloudFormation can resolve (Ref, Fn::…, backticks); left out
pub const SETTING_INTRINSIC: Code = Code("SETTING-INTRINSIC");
/// `SETTING-LIST-VALUE` (info): a list value read as comma-separated text
pub const SETTING_LIST_VALUE: Code = Code("SETTING-LIST-VALUE");
/// `SETTING-UNREADABLE` (warning): a value that is not an option value
pub const SETTING_UNREADABLE: Code = Code("SETTING-UNREADABLE");
/// `SETTING-BAD-NUMBER` (warning): a number option that is not a number; the default is used
pub const SETTING_BAD_NUMBER: Code = Code("SETTING-BAD-NUMBER");
/// `SETTING-NOT-CONVERTED` (warning): options eb2ecs does not carry over (one finding per namespace)
pub const SETTING_NOT_CONVERTED: Code = Code("SETTING-NOT-CONVERTED");
/// `EB-DEFAULTS-USED` (info): EB's health check defaults used for the target group
pub const EB_DEFAULTS_USED: Code = Code("EB-DEFAULTS-USED");
/// `ENV-DEFINED-TWICE` (warning): a variable both in the Dockerrun and an EB environment property
pub const ENV_DEFINED_TWICE: Code = Code("ENV-DEFINED-TWICE");
/// `ENV-PROPERTIES-ALL-CONTAINERS` (info): EB environment properties reach every container
pub const ENV_PROPERTIES_ALL_CONTAINERS: Code = Code("ENV-PROPERTIES-ALL-CONTAINERS");

// ---- Environment, load balancer and scaling ----

/// `WORKER-TIER` (warning): a worker environment: an sqsd sidecar polls the queue and POSTs to the app
pub const WORKER_TIER: Code = Code("WORKER-TIER");
/// `WORKER-QUEUE` (warning): the worker queue: created by the stack (senders need its URL) or kept
pub const WORKER_QUEUE: Code = Code("WORKER-QUEUE");
/// `WORKER-VISIBILITY` (warning): the visibility timeout must outlast the application's processing
pub const WORKER_VISIBILITY: Code = Code("WORKER-VISIBILITY");
/// `WORKER-SCALING` (info): the service scales on the queue's backlog per task
pub const WORKER_SCALING: Code = Code("WORKER-SCALING");
/// `CRON-SCHEDULE` (info): a cron.yaml periodic task becomes an EventBridge Scheduler schedule
pub const CRON_SCHEDULE: Code = Code("CRON-SCHEDULE");
/// `CRON-DAY-OR` (warning): a schedule restricts both day of month and day of week: two schedules
pub const CRON_DAY_OR: Code = Code("CRON-DAY-OR");
/// `CRON-INVALID` (warning): an invalid cron.yaml entry (or file): not converted
pub const CRON_INVALID: Code = Code("CRON-INVALID");
/// `CRON-NOT-WORKER` (warning): cron.yaml in a web-server environment: EB ignored it, so does eb2ecs
pub const CRON_NOT_WORKER: Code = Code("CRON-NOT-WORKER");
/// `SINGLE-INSTANCE` (warning): a single-instance environment: no load balancer
pub const SINGLE_INSTANCE: Code = Code("SINGLE-INSTANCE");
/// `RDS-COUPLED` (blocker): an EB-managed database: snapshot and decouple before terminating
pub const RDS_COUPLED: Code = Code("RDS-COUPLED");
/// `LB-TYPE-CHANGED` (warning): a classic or network load balancer becomes an ALB
pub const LB_TYPE_CHANGED: Code = Code("LB-TYPE-CHANGED");
/// `CLASSIC-ELB` (info): classic listeners and health check read into the ALB
pub const CLASSIC_ELB: Code = Code("CLASSIC-ELB");
/// `LISTENER-PROTOCOL-CHANGED` (warning): a TCP/SSL classic listener becomes HTTP/HTTPS
pub const LISTENER_PROTOCOL_CHANGED: Code = Code("LISTENER-PROTOCOL-CHANGED");
/// `LISTENER-NO-CERTIFICATE` (warning): an HTTPS listener without a certificate in the settings
pub const LISTENER_NO_CERTIFICATE: Code = Code("LISTENER-NO-CERTIFICATE");
/// `HTTP-REDIRECTED` (warning): the HTTP listener answers with a 301 redirect to HTTPS
pub const HTTP_REDIRECTED: Code = Code("HTTP-REDIRECTED");
/// `SSL-POLICY-DEFAULT` (warning): an HTTPS listener's TLS policy chosen by eb2ecs (TLS 1.2+)
pub const SSL_POLICY_DEFAULT: Code = Code("SSL-POLICY-DEFAULT");
/// `LISTENER-DUPLICATE` (warning): two listener settings for one port; the first is used
pub const LISTENER_DUPLICATE: Code = Code("LISTENER-DUPLICATE");
/// `LISTENER-PROCESS` (warning): a listener sent traffic to a non-default EB process
pub const LISTENER_PROCESS: Code = Code("LISTENER-PROCESS");
/// `LISTENER-RULE-PROCESS` (warning): a listener rule sent traffic to a non-default EB process
pub const LISTENER_RULE_PROCESS: Code = Code("LISTENER-RULE-PROCESS");
/// `PROCESS-NOT-CONVERTED` (warning): named EB processes; the stack has one target group
pub const PROCESS_NOT_CONVERTED: Code = Code("PROCESS-NOT-CONVERTED");
/// `HEALTH-CHECK-ADJUSTED` (warning): health check values outside what a target group accepts
pub const HEALTH_CHECK_ADJUSTED: Code = Code("HEALTH-CHECK-ADJUSTED");
/// `PUBLIC-IP` (info): EB instances had public IPs; so do the tasks
pub const PUBLIC_IP: Code = Code("PUBLIC-IP");
/// `SCALING-CPU` (info): target tracking at the EB CPU trigger's threshold
pub const SCALING_CPU: Code = Code("SCALING-CPU");
/// `SCALING-PROPOSED` (warning): EB scaled on another metric; a CPU target is proposed
pub const SCALING_PROPOSED: Code = Code("SCALING-PROPOSED");
/// `SCALING-ZERO` (warning): MinSize 0; the service starts with one task
pub const SCALING_ZERO: Code = Code("SCALING-ZERO");
/// `DEPLOYMENT-POLICY` (info): the EB deployment policy as minimum healthy / maximum percent
pub const DEPLOYMENT_POLICY: Code = Code("DEPLOYMENT-POLICY");
/// `ARM64-IMAGES` (warning): EB ran on Graviton (arm64): the images must be built for arm64
pub const ARM64_IMAGES: Code = Code("ARM64-IMAGES");
/// `LAUNCH-TEMPLATE-PUBLIC-IP` (info): EC2: container instances get public IPs as EB's did
pub const LAUNCH_TEMPLATE_PUBLIC_IP: Code = Code("LAUNCH-TEMPLATE-PUBLIC-IP");
/// `DEPLOYMENT-PERCENT-RAISED` (warning): EB's batch is under one task: percentages that let a deployment move
pub const DEPLOYMENT_PERCENT_RAISED: Code = Code("DEPLOYMENT-PERCENT-RAISED");
/// `DEFAULT-VPC` (warning): no VPC settings: EB ran in the default VPC; tasks get public IPs
pub const DEFAULT_VPC: Code = Code("DEFAULT-VPC");
/// `PRIVATE-SUBNET-ENDPOINTS` (warning): private subnets: the NAT gateway or VPC endpoints the tasks need
pub const PRIVATE_SUBNET_ENDPOINTS: Code = Code("PRIVATE-SUBNET-ENDPOINTS");
/// `CLIENT-CIDR` (warning): who may reach the internal load balancer (ClientCidr)
pub const CLIENT_CIDR: Code = Code("CLIENT-CIDR");
/// `INSTANCE-TYPE-CHOSEN` (warning): EC2: a current instance type that fits the containers is the default
pub const INSTANCE_TYPE_CHOSEN: Code = Code("INSTANCE-TYPE-CHOSEN");
/// `SCALING-REQUESTS` (info): EB's RequestCount trigger as ALB requests per target
pub const SCALING_REQUESTS: Code = Code("SCALING-REQUESTS");
/// `SCALING-MEMORY` (info): EB's memory trigger as average memory utilisation
pub const SCALING_MEMORY: Code = Code("SCALING-MEMORY");
/// `CAPACITY-EXCEEDED` (blocker): EC2: the containers do not fit the instance type
pub const CAPACITY_EXCEEDED: Code = Code("CAPACITY-EXCEEDED");
/// `CAPACITY-OK` (info): EC2: the containers fit the instance type
pub const CAPACITY_OK: Code = Code("CAPACITY-OK");
/// `CAPACITY-FARGATE` (info): the Fargate task size against the old instance
pub const CAPACITY_FARGATE: Code = Code("CAPACITY-FARGATE");
/// `INSTANCE-TYPE-UNKNOWN` (info): an instance type eb2ecs does not know the size of
pub const INSTANCE_TYPE_UNKNOWN: Code = Code("INSTANCE-TYPE-UNKNOWN");
/// `INSTANCE-SECURITY-GROUPS` (warning): extra security groups of the EB instances (database access)
pub const INSTANCE_SECURITY_GROUPS: Code = Code("INSTANCE-SECURITY-GROUPS");
/// `INSTANCE-OPTION` (info): an instance option (root volume, …) with no Fargate counterpart
pub const INSTANCE_OPTION: Code = Code("INSTANCE-OPTION");
/// `SSH-KEY` (info): SSH key pair: use ECS Exec
pub const SSH_KEY: Code = Code("SSH-KEY");
/// `SPOT-INSTANCES` (info): EB used Spot: use FARGATE_SPOT
pub const SPOT_INSTANCES: Code = Code("SPOT-INSTANCES");
/// `XRAY-SIDECAR` (info): X-Ray was on: a daemon sidecar and permissions are added
pub const XRAY_SIDECAR: Code = Code("XRAY-SIDECAR");
/// `EB-PROXY-GONE` (warning): EB's nginx proxy options: the proxy is gone
pub const EB_PROXY_GONE: Code = Code("EB-PROXY-GONE");
/// `PLATFORM-OPTION` (warning): a platform runtime option (`aws:elasticbeanstalk:container:*`)
pub const PLATFORM_OPTION: Code = Code("PLATFORM-OPTION");
/// `APPLICATION-OPTION` (info): an `aws:elasticbeanstalk:application` option not used
pub const APPLICATION_OPTION: Code = Code("APPLICATION-OPTION");
/// `ROLLING-UPDATE` (info): instance rolling updates: ECS deployments replace them
pub const ROLLING_UPDATE: Code = Code("ROLLING-UPDATE");
/// `SCHEDULED-SCALING` (warning): scheduled scaling: recreate as Application Auto Scaling actions
pub const SCHEDULED_SCALING: Code = Code("SCHEDULED-SCALING");
/// `MANAGED-ACTIONS` (info): managed platform updates
pub const MANAGED_ACTIONS: Code = Code("MANAGED-ACTIONS");
/// `HEALTH-REPORTING` (info): EB health reporting: Container Insights instead
pub const HEALTH_REPORTING: Code = Code("HEALTH-REPORTING");
/// `HEALTH-LOGS` (info): EB health log streaming
pub const HEALTH_LOGS: Code = Code("HEALTH-LOGS");
/// `HOST-MANAGER` (info): EB host manager options
pub const HOST_MANAGER: Code = Code("HOST-MANAGER");
/// `EB-NOTIFICATIONS` (info): EB notifications: ECS service events instead
pub const EB_NOTIFICATIONS: Code = Code("EB-NOTIFICATIONS");
/// `EB-MONITORING` (info): EB monitoring: recreate the alarms
pub const EB_MONITORING: Code = Code("EB-MONITORING");
/// `CUSTOM-OPTION` (info): custom options only your .ebextensions read
pub const CUSTOM_OPTION: Code = Code("CUSTOM-OPTION");

/// `COMPOSE-UNKNOWN-KEY` (warning): a docker-compose.yml key eb2ecs does not know; not carried over
pub const COMPOSE_UNKNOWN_KEY: Code = Code("COMPOSE-UNKNOWN-KEY");
/// `COMPOSE-KEY-NOT-CONVERTED` (info): a compose key with no ECS counterpart (`restart`, `container_name`, `secrets`, `configs`, `tmpfs`, `deploy` beyond resources)
pub const COMPOSE_KEY_NOT_CONVERTED: Code = Code("COMPOSE-KEY-NOT-CONVERTED");
/// `COMPOSE-LEGACY-FORMAT` (warning): a compose file without `services` (the legacy format): every top-level key read as a service
pub const COMPOSE_LEGACY_FORMAT: Code = Code("COMPOSE-LEGACY-FORMAT");
/// `COMPOSE-ONE-TASK` (warning): a service that looks independent (a database or cache image) runs in the application's task, as on EB
pub const COMPOSE_ONE_TASK: Code = Code("COMPOSE-ONE-TASK");
/// `COMPOSE-BUILD` (blocker): a service EB built on the instance (`build`): build and push its image
pub const COMPOSE_BUILD: Code = Code("COMPOSE-BUILD");
/// `COMPOSE-ENV-FILE-MISSING` (warning): an `env_file` that is not in the project
pub const COMPOSE_ENV_FILE_MISSING: Code = Code("COMPOSE-ENV-FILE-MISSING");
/// `COMPOSE-PROPERTIES-ENV-FILE` (info): which containers EB's environment properties reached (through `.env`)
pub const COMPOSE_PROPERTIES_ENV_FILE: Code = Code("COMPOSE-PROPERTIES-ENV-FILE");
/// `COMPOSE-NAMED-VOLUME` (warning): a named volume: becomes task storage that is not kept
pub const COMPOSE_NAMED_VOLUME: Code = Code("COMPOSE-NAMED-VOLUME");
/// `COMPOSE-LOGGING-DRIVER` (warning): a logging driver other than json-file: replaced by CloudWatch Logs
pub const COMPOSE_LOGGING_DRIVER: Code = Code("COMPOSE-LOGGING-DRIVER");
/// `COMPOSE-PROFILE-SKIPPED` (info): a service in a non-default profile, which EB did not start: left out
pub const COMPOSE_PROFILE_SKIPPED: Code = Code("COMPOSE-PROFILE-SKIPPED");
/// `COMPOSE-OVERRIDE-IGNORED` (info): a docker-compose.override.yml, which EB does not read: ignored
pub const COMPOSE_OVERRIDE_IGNORED: Code = Code("COMPOSE-OVERRIDE-IGNORED");
/// `COMPOSE-INTERPOLATION` (info): a `${VAR}` without a value in `.env` or EB's properties: replaced by its default or nothing
pub const COMPOSE_INTERPOLATION: Code = Code("COMPOSE-INTERPOLATION");
/// `DOCKERRUN-V3-AUTH` (info): a Dockerrun.aws.json v3 beside the compose file: its registry authentication is used
pub const DOCKERRUN_V3_AUTH: Code = Code("DOCKERRUN-V3-AUTH");
/// `DOCKERFILE-ONLY` (warning): a project with only a Dockerfile: EB built it on each instance; build and push it
pub const DOCKERFILE_ONLY: Code = Code("DOCKERFILE-ONLY");

/// `PLATFORM-DETECTED` (info): a language-platform project: the platform reproduced by a generated Dockerfile, and where it was read
pub const PLATFORM_DETECTED: Code = Code("PLATFORM-DETECTED");
/// `PLATFORM-GUESSED` (warning): the platform or its runtime version was guessed from the project's files, not read from EB
pub const PLATFORM_GUESSED: Code = Code("PLATFORM-GUESSED");
/// `PLATFORM-UNKNOWN` (blocker): no platform could be told from the settings or the files; no Dockerfile was generated
pub const PLATFORM_UNKNOWN: Code = Code("PLATFORM-UNKNOWN");
/// `PLATFORM-PROCESS` (info): a Procfile process besides `web`: its own container, same image, its command
pub const PLATFORM_PROCESS: Code = Code("PLATFORM-PROCESS");
/// `PLATFORM-BUILDFILE` (warning): Buildfile commands became RUN lines of the Dockerfile
pub const PLATFORM_BUILDFILE: Code = Code("PLATFORM-BUILDFILE");
/// `PLATFORM-HOOK` (warning): a `.platform/hooks` script EB ran on the instance is not run by the image
pub const PLATFORM_HOOK: Code = Code("PLATFORM-HOOK");
/// `ONEOFF-TASK` (info): commands EB ran at each deployment run in a one-off task (oneoff-task-definition.json)
pub const ONEOFF_TASK: Code = Code("ONEOFF-TASK");
/// `ONEOFF-EVERY-INSTANCE` (warning): a container command without leader_only ran on every instance; the one-off task runs it once
pub const ONEOFF_EVERY_INSTANCE: Code = Code("ONEOFF-EVERY-INSTANCE");
/// `ONEOFF-HOOK` (warning): a `.platform/hooks/predeploy` script runs in the one-off task: it must be in the image
pub const ONEOFF_HOOK: Code = Code("ONEOFF-HOOK");
/// `ONEOFF-CONTAINER` (info): the container of several the one-off commands run in, and why
pub const ONEOFF_CONTAINER: Code = Code("ONEOFF-CONTAINER");
/// `ONEOFF-HOST` (warning): on the Docker platform container_commands ran on the instance, not in the container
pub const ONEOFF_HOST: Code = Code("ONEOFF-HOST");
/// `ONEOFF-EB-PATH` (warning): a one-off command names a path of EB's instances the image does not have
pub const ONEOFF_EB_PATH: Code = Code("ONEOFF-EB-PATH");
/// `ONEOFF-ENTRY` (warning): a container command without a command, or with keys eb2ecs does not know
pub const ONEOFF_ENTRY: Code = Code("ONEOFF-ENTRY");
/// `INSTANCE-COMMAND` (warning / info): a command only changed EB's instance (services, sudo, yum, sysctl, agents, mounts): not run, and what replaces it
pub const INSTANCE_COMMAND: Code = Code("INSTANCE-COMMAND");
/// `COMMAND-BUILD` (info): a command EB ran at deployment prepared the application's files: it is a RUN line of the image
pub const COMMAND_BUILD: Code = Code("COMMAND-BUILD");
/// `COMMAND-UNKNOWN` (warning): eb2ecs cannot tell where a command EB ran belongs: place it
pub const COMMAND_UNKNOWN: Code = Code("COMMAND-UNKNOWN");
/// `COMMAND-REWRITTEN` (info): parts of a command that only served EB's instance or shell are left out of it
pub const COMMAND_REWRITTEN: Code = Code("COMMAND-REWRITTEN");
/// `OS-PACKAGE` (warning / info): an Amazon Linux package without a Debian counterpart, or one the image does not need
pub const OS_PACKAGE: Code = Code("OS-PACKAGE");
/// `SECRET-BUILD-ARG` (warning): a build argument that looks like a secret is passed by name from the environment (a CI secret), its value never printed
pub const SECRET_BUILD_ARG: Code = Code("SECRET-BUILD-ARG");
/// `CRON-FILE` (info / warning): a cron job of EB's instances (`/etc/cron.d`, crontab) is a disabled EventBridge Scheduler schedule of the one-off task
pub const CRON_FILE: Code = Code("CRON-FILE");
/// `EFS-MOUNT` (info / warning): EB's instances mounted an EFS file system: carried as an EFS volume of the task with its role permissions and ingress (a warning when its id is unknown)
pub const EFS_MOUNT: Code = Code("EFS-MOUNT");
/// `BUILD-LINES` (warning): the Dockerfile lines an image the team builds must add (packages, build-time commands)
pub const BUILD_LINES: Code = Code("BUILD-LINES");
/// `PLATFORM-PROXY` (warning): EB's nginx configuration or static files mapping is not reproduced: the application serves itself
pub const PLATFORM_PROXY: Code = Code("PLATFORM-PROXY");
/// `PLATFORM-NATIVE-DEPS` (warning / info): a dependency that may need system packages or a compiler the base image lacks
pub const PLATFORM_NATIVE_DEPS: Code = Code("PLATFORM-NATIVE-DEPS");
/// `PLATFORM-ARTIFACT` (blocker): the bundle has no built artefact (JAR, WAR, binary, published output) where the Dockerfile expects one
pub const PLATFORM_ARTIFACT: Code = Code("PLATFORM-ARTIFACT");
/// `PLATFORM-SERVER` (info): how the image serves the application differs from EB's (web server, port, start command)
pub const PLATFORM_SERVER: Code = Code("PLATFORM-SERVER");
/// `PLATFORM-VERSION` (info): the runtime version was read from the project's own files (which file and key, and the rule that turned a range into a version)
pub const PLATFORM_VERSION: Code = Code("PLATFORM-VERSION");
/// `PLATFORM-VERSION-CONFLICT` (warning): the platform EB named and the version the project pins disagree: which one the image uses, and why
pub const PLATFORM_VERSION_CONFLICT: Code = Code("PLATFORM-VERSION-CONFLICT");
/// `PLATFORM-VERSION-UNKNOWN` (blocker): no runtime version is named by EB or pinned by the project: the image uses eb2ecs' default, which the application may not run on
pub const PLATFORM_VERSION_UNKNOWN: Code = Code("PLATFORM-VERSION-UNKNOWN");
/// `PLATFORM-RETIRED` (warning): the runtime version the application needs is one EB no longer offers: the image uses it anyway
pub const PLATFORM_RETIRED: Code = Code("PLATFORM-RETIRED");
/// `PLATFORM-SERVLET` (info): which servlet API (javax or jakarta) the WAR or sources use, and the Tomcat that runs it
pub const PLATFORM_SERVLET: Code = Code("PLATFORM-SERVLET");
/// `PLATFORM-BUILD-STEP` (info): a build step EB ran on deploy (assets, collectstatic, a front end, a Gradle or Maven build) is a stage or RUN line of the Dockerfile
pub const PLATFORM_BUILD_STEP: Code = Code("PLATFORM-BUILD-STEP");
/// `PLATFORM-KEEPALIVE` (warning): the application server's keep-alive is shorter than the load balancer's idle timeout: intermittent 502s without EB's nginx in between
pub const PLATFORM_KEEPALIVE: Code = Code("PLATFORM-KEEPALIVE");
/// `PLATFORM-JVM-HEAP` (warning): the JVM's heap (-Xmx) needs more memory than a container is given by default: the container reserves it and the task is sized for it
pub const PLATFORM_JVM_HEAP: Code = Code("PLATFORM-JVM-HEAP");

// ---- Delivery (--ci github) ----

/// `DELIVERY-NOT-BUILT` (warning): an image the project must build, but no Dockerfile or build context in the project the workflow can use: the workflow does not build it
pub const DELIVERY_NOT_BUILT: Code = Code("DELIVERY-NOT-BUILT");
/// `DELIVERY-BUILD-ARG` (warning): a build argument without a value or with a secret-looking one: not written into the workflow
pub const DELIVERY_BUILD_ARG: Code = Code("DELIVERY-BUILD-ARG");
/// `DELIVERY-GITHUB-REPO` (warning): no `--github-repo`: the deploy role trusts the repository named by the stack parameter `GitHubRepository`
pub const DELIVERY_GITHUB_REPO: Code = Code("DELIVERY-GITHUB-REPO");
/// `DELIVERY-NO-IMAGE` (warning): the project builds no image: the workflow registers task-definition.json as it is and deploys it
pub const DELIVERY_NO_IMAGE: Code = Code("DELIVERY-NO-IMAGE");
/// `SQSD-IMAGE-TAG` (warning): `--sqsd-image` names the sidecar by a tag, not by digest
pub const SQSD_IMAGE_TAG: Code = Code("SQSD-IMAGE-TAG");

// ---- Reading the project: which platform EB ran ----

/// `PLATFORM-CHOSEN` (info): which EB platform the project was read as, from what evidence, and the file read
pub const PLATFORM_CHOSEN: Code = Code("PLATFORM-CHOSEN");
/// `PLATFORM-CONFLICT` (warning): the project's files show two EB platforms and none is named: converted by the stronger evidence; `--platform` decides
pub const PLATFORM_CONFLICT: Code = Code("PLATFORM-CONFLICT");
/// `PLATFORM-FILE-UNUSED` (info): a Dockerrun, compose file, Dockerfile or Procfile in the project that the platform EB ran did not read: not converted
pub const PLATFORM_FILE_UNUSED: Code = Code("PLATFORM-FILE-UNUSED");
/// `COMPOSE-LOOKS-LOCAL` (warning): the docker-compose.yml EB's precedence picked looks like a local-development file (bind mounts of `.`, database images, `sleep infinity`)
pub const COMPOSE_LOOKS_LOCAL: Code = Code("COMPOSE-LOOKS-LOCAL");
/// `TIER-INFERRED` (warning / info): no tier is recorded; the environment was taken to be a worker from `aws:elasticbeanstalk:sqsd` options (info) or a `cron.yaml` without a web process (warning)
pub const TIER_INFERRED: Code = Code("TIER-INFERRED");
/// `HOSTNAME-ALIAS-USED` (blocker): a container's files use another container's `hostname` alias (nginx `upstream backend:5000`), which does not resolve under awsvpc
pub const HOSTNAME_ALIAS_USED: Code = Code("HOSTNAME-ALIAS-USED");
/// `ENV-NOT-IN-INPUTS` (warning): the application's code reads environment variables (file:line) that nothing in the inputs defines: EB held them (console, `eb setenv`)
pub const ENV_NOT_IN_INPUTS: Code = Code("ENV-NOT-IN-INPUTS");
/// `ENV-RDS-COUPLED` (warning): the application reads `RDS_HOSTNAME`, `RDS_PASSWORD`, ... that EB's coupled database set: the stack asks for them as parameters (`DatabaseEndpoint` ...), the password is a secret, and the database's security group must admit the tasks
pub const ENV_RDS_COUPLED: Code = Code("ENV-RDS-COUPLED");
/// `COMPOSE-ONE-SHOT` (info): a compose service that runs once and exits (no `restart`, a command such as `mkdir` or a migration): not essential, and the containers that need it wait on `SUCCESS`
pub const COMPOSE_ONE_SHOT: Code = Code("COMPOSE-ONE-SHOT");
/// `COMPOSE-VAR-UNDEFINED` (warning / blocker): a compose `${VAR}` no `.env`, `env_file` or EB property defines: an environment entry is left out (warning), an image kept as a placeholder (blocker)
pub const COMPOSE_VAR_UNDEFINED: Code = Code("COMPOSE-VAR-UNDEFINED");
/// `RESOURCE-CARRIED` (info): an `.ebextensions` resource carried into the stack and Terraform module
pub const RESOURCE_CARRIED: Code = Code("RESOURCE-CARRIED");
/// `RESOURCE-RETAINED` (warning): a carried resource that holds data: retained; import EB's
pub const RESOURCE_RETAINED: Code = Code("RESOURCE-RETAINED");
/// `RESOURCE-REFERENCE` (blocker): a resource references what the ECS stack does not have
pub const RESOURCE_REFERENCE: Code = Code("RESOURCE-REFERENCE");
/// `RESOURCE-UNSUPPORTED` (warning / info): a resource type eb2ecs does not carry
pub const RESOURCE_UNSUPPORTED: Code = Code("RESOURCE-UNSUPPORTED");
/// `RESOURCE-EB-OVERRIDE` (info / warning): a `Resources` entry that changed one of EB's own resources
pub const RESOURCE_EB_OVERRIDE: Code = Code("RESOURCE-EB-OVERRIDE");
/// `RESOURCE-ENV` (info): an environment property set from a carried resource
pub const RESOURCE_ENV: Code = Code("RESOURCE-ENV");
/// `RESOURCE-TERRAFORM` (warning): a carried resource's property the Terraform module does not map
pub const RESOURCE_TERRAFORM: Code = Code("RESOURCE-TERRAFORM");
/// `PROXY-REDIRECT` (info / warning): EB's proxy redirected requests; the listener does (or cannot)
pub const PROXY_REDIRECT: Code = Code("PROXY-REDIRECT");
/// `PROXY-IDLE-TIMEOUT` (info / warning): an idle timeout of EB's load balancer or proxy
pub const PROXY_IDLE_TIMEOUT: Code = Code("PROXY-IDLE-TIMEOUT");
/// `PROXY-STATIC-FILES` (warning): EB's proxy served static files; the image must
pub const PROXY_STATIC_FILES: Code = Code("PROXY-STATIC-FILES");
/// `PROXY-WEBSOCKETS` (info): EB's proxy passed websockets; the ALB does too
pub const PROXY_WEBSOCKETS: Code = Code("PROXY-WEBSOCKETS");
/// `PROXY-BODY-SIZE` (info): EB's proxy limited request bodies; the ALB has no limit
pub const PROXY_BODY_SIZE: Code = Code("PROXY-BODY-SIZE");
/// `PROXY-GZIP` (warning): EB's proxy compressed responses; the ALB does not
pub const PROXY_GZIP: Code = Code("PROXY-GZIP");
/// `PROXY-DIRECTIVE` (warning): proxy configuration the ALB has no counterpart for
pub const PROXY_DIRECTIVE: Code = Code("PROXY-DIRECTIVE");
/// `TLS-IN-CONTAINER` (warning): TLS ended in the container or on the instance; the ALB ends it now
pub const TLS_IN_CONTAINER: Code = Code("TLS-IN-CONTAINER");
/// `SECRET-IN-HEALTH-PATH` (warning): the health check path carried a credential in its query; checked without it
pub const SECRET_IN_HEALTH_PATH: Code = Code("SECRET-IN-HEALTH-PATH");
/// `SECRET-POSSIBLE` (warning): a variable with a neutral name holds a random-looking value; kept, check it
pub const SECRET_POSSIBLE: Code = Code("SECRET-POSSIBLE");

// ---- Deployment (issue 25): what a real deployment needs ----

/// `HEALTH-CHECK-MATCHER` (info): the target group's success codes match what EB enforced (`200-499` for a TCP check, `200-399` where EB set none)
pub const HEALTH_CHECK_MATCHER: Code = Code("HEALTH-CHECK-MATCHER");
/// `HEALTH-CHECK-ROOT` (warning): the health check requests `/`, EB's default path: on ECS a failing check stops the task
pub const HEALTH_CHECK_ROOT: Code = Code("HEALTH-CHECK-ROOT");
/// `HEALTH-CHECK-GRACE` (info): the service's health check grace period, sized from the platform's start time
pub const HEALTH_CHECK_GRACE: Code = Code("HEALTH-CHECK-GRACE");
/// `HTTP-FORWARDED` (info): the HTTP listener forwards to the application as EB's did; the redirect to HTTPS is a stack parameter
pub const HTTP_FORWARDED: Code = Code("HTTP-FORWARDED");
/// `EC2-CAPACITY-BOUNDS` (info): EC2: the Auto Scaling group's bounds from the task density, with room for a deployment at peak
pub const EC2_CAPACITY_BOUNDS: Code = Code("EC2-CAPACITY-BOUNDS");
/// `INSTANCE-TYPE-INVALID` (warning): an instance type that is not an EC2 instance type name
pub const INSTANCE_TYPE_INVALID: Code = Code("INSTANCE-TYPE-INVALID");
/// `PROCESS-NOT-ESSENTIAL` (warning): a Procfile process other than `web` is not essential: its crash does not stop the web process
pub const PROCESS_NOT_ESSENTIAL: Code = Code("PROCESS-NOT-ESSENTIAL");
/// `TASK-SIZE-FROM-INSTANCE` (info): the Fargate task sized from EB's instance type and process count, not the container sums
pub const TASK_SIZE_FROM_INSTANCE: Code = Code("TASK-SIZE-FROM-INSTANCE");
/// `CONTAINER-INSIGHTS` (info): whether the cluster turns Container Insights on (workers, `--container-insights`)
pub const CONTAINER_INSIGHTS: Code = Code("CONTAINER-INSIGHTS");
/// `EXEC-DEFAULT` (info): ECS Exec's default: on where EB allowed SSH (`EC2KeyName`), off otherwise
pub const EXEC_DEFAULT: Code = Code("EXEC-DEFAULT");
/// `FAMILY-PER-ENVIRONMENT` (info): the task definition family names the EB environment, so two environments do not share one
pub const FAMILY_PER_ENVIRONMENT: Code = Code("FAMILY-PER-ENVIRONMENT");

/// The codes by topic, in the order `docs/findings.md` lists them.
pub const GROUPS: &[(&str, &[CodeDoc])] = &[
    (
        "Dockerrun.aws.json: reading the file",
        &[
            doc(DOCKERRUN_VERSION_MISSING, "warning", "no `AWSEBDockerrunVersion`; the version was inferred from the file's shape"),
            doc(DOCKERRUN_VERSION_STRING, "info", "version 2 given as the string `\"2\"`"),
            doc(DOCKERRUN_VERSION_SHAPE, "warning", "the declared version does not match the file's shape; read by its shape"),
            doc(DOCKERRUN_VERSION_UNKNOWN, "warning", "a version EB does not know (e.g. 3); read by its shape"),
            doc(DOCKERRUN_UNKNOWN_KEY, "warning", "a key eb2ecs does not know; not carried over"),
            doc(DOCKERRUN_KEY_CASE, "info", "`Bucket`/`Key` written with another case"),
            doc(DOCKERRUN_BOOL_STRING, "info", "a boolean given as `\"true\"`/`\"false\"`"),
            doc(DOCKERRUN_NUMBER_STRING, "info", "a number given as a string"),
            doc(DOCKERRUN_ENV_MAP, "info", "`environment` given as a map"),
            doc(DOCKERRUN_ENV_STRINGS, "info", "`environment` given as `\"NAME=value\"` strings"),
            doc(DOCKERRUN_ENV_NO_VALUE, "warning", "an environment entry without a value (Docker copied it from the host)"),
            doc(DOCKERRUN_ENV_NOT_STRING, "info", "an environment value that is a number or boolean"),
            doc(DOCKERRUN_ENV_DUPLICATE, "warning", "a variable defined twice in one container; the last wins"),
            doc(DOCKERRUN_COMMAND_STRING, "info", "`command`/`entryPoint` given as one string, split like a shell"),
            doc(DOCKERRUN_NAME_MISSING, "warning", "a container without a name, named after its image"),
            doc(DOCKERRUN_COMPOSE_KEY, "info", "a docker-compose key (`container_name`, `restart`)"),
            doc(DOCKERRUN_COMPOSE_PORTS, "info", "docker-compose `ports` strings read as port mappings"),
            doc(DOCKERRUN_COMPOSE_BUILD, "info", "docker-compose `build`: ECS cannot build"),
            doc(PROJECT_PATH_OUTSIDE, "warning", "a mounted project path that leaves the project (`..`, a symbolic link out of it): not read"),
            doc(PROJECT_PATH_SKIPPED, "info", "a mounted project path that is not a regular text file eb2ecs reads (a FIFO, a device, too large, too many): not read"),
        ],
    ),
    (
        "docker-compose.yml and Dockerfile projects",
        &[
            doc(COMPOSE_UNKNOWN_KEY, "warning", "a docker-compose.yml key eb2ecs does not know; not carried over"),
            doc(COMPOSE_KEY_NOT_CONVERTED, "info", "a compose key with no ECS counterpart (`restart`, `container_name`, `secrets`, `configs`, `tmpfs`, `deploy` beyond resources)"),
            doc(COMPOSE_LEGACY_FORMAT, "warning", "a compose file without `services` (the legacy format): every top-level key read as a service"),
            doc(COMPOSE_ONE_TASK, "warning", "a service that looks independent (a database or cache image) runs in the application's task, as on EB"),
            doc(COMPOSE_BUILD, "blocker", "a service EB built on the instance (`build`): build and push its image"),
            doc(COMPOSE_ENV_FILE_MISSING, "warning", "an `env_file` that is not in the project"),
            doc(COMPOSE_PROPERTIES_ENV_FILE, "info", "which containers EB's environment properties reached (through `.env`)"),
            doc(COMPOSE_NAMED_VOLUME, "warning", "a named volume: becomes task storage that is not kept"),
            doc(COMPOSE_LOGGING_DRIVER, "warning", "a logging driver other than json-file: replaced by CloudWatch Logs"),
            doc(COMPOSE_PROFILE_SKIPPED, "info", "a service in a non-default profile, which EB did not start: left out"),
            doc(COMPOSE_OVERRIDE_IGNORED, "info", "a docker-compose.override.yml, which EB does not read: ignored"),
            doc(COMPOSE_INTERPOLATION, "info", "a `${VAR}` without a value in `.env` or EB's properties: replaced by its default or nothing"),
            doc(DOCKERRUN_V3_AUTH, "info", "a Dockerrun.aws.json v3 beside the compose file: its registry authentication is used"),
            doc(DOCKERFILE_ONLY, "warning", "a project with only a Dockerfile: EB built it on each instance; build and push it"),
        ],
    ),
    (
        "Images and registries",
        &[
            doc(IMAGE_MISSING, "blocker", "a container without an image; a placeholder ECR image is used"),
            doc(IMAGE_FROM_DOCKERFILE, "warning", "a v1 file without `Image`: EB built the Dockerfile; build and push it"),
            doc(IMAGE_PLACEHOLDER, "blocker", "the image is a template placeholder (`${...}`, `<...>`, `{{...}}`, …), kept as written"),
            doc(V1_IMAGE_UPDATE_FALSE, "info", "v1 `Image.Update` false: ECS pulls the image at every task start"),
            doc(V1_AUTHENTICATION_EMPTY, "info", "v1 `Authentication: {}` means no private registry"),
            doc(V1_VOLUME_V2_SHAPE, "info", "a v1 volume written as v2 `Host`/`Container`, read as such"),
            doc(REGISTRY_CREDENTIALS, "blocker", "EB's dockercfg in S3 must become a Secrets Manager secret for `repositoryCredentials`"),
        ],
    ),
    (
        "Containers and Fargate",
        &[
            doc(FARGATE_HOSTNAME_DROPPED, "info", "`hostname` is not allowed under awsvpc"),
            doc(FARGATE_PRIVILEGED, "blocker", "Fargate does not allow privileged containers"),
            doc(EC2_PRIVILEGED, "warning", "the container stays privileged on EC2"),
            doc(FARGATE_FIELD_DROPPED, "warning", "a field Fargate rejects (extraHosts, dns*, linuxParameters parts, capabilities, dockerSecurityOptions)"),
            doc(NO_ESSENTIAL_CONTAINER, "blocker", "no container is essential"),
            doc(MEMORY_ASSUMED, "warning", "containers without memory; 512 MiB assumed"),
            doc(MEMORY_RESERVATION_ABOVE_LIMIT, "warning", "memoryReservation above memory; lowered"),
            doc(TASK_SIZE, "info", "the Fargate task size chosen and why"),
            doc(TASK_TOO_BIG, "blocker", "the containers need more than the largest Fargate task"),
        ],
    ),
    (
        "Networking, ports and links",
        &[
            doc(LINK_REMOVED, "blocker", "a link under awsvpc: the hostname must become `localhost`; the link became dependsOn"),
            doc(LINK_CYCLE, "warning (Fargate) / blocker (EC2)", "links that form a cycle; one edge dropped"),
            doc(LINK_MISSING_TARGET, "warning", "a link to a container that is not in the file"),
            doc(LINK_SELF, "info", "a container linked to itself"),
            doc(ENV_CONTAINER_HOSTNAME, "blocker", "an environment value uses another container's name as a host under awsvpc"),
            doc(PORT_HOST_CHANGED, "info", "under awsvpc the host port is the container port"),
            doc(PORT_DYNAMIC, "info", "EC2: the load-balanced port gets a dynamic host port"),
            doc(PORT_LINKED_DYNAMIC, "info", "EC2: a port reached only through links gets a dynamic host port"),
            doc(PORT_STATIC, "warning", "EC2: a static host port that blocks rolling deployments"),
            doc(PORT_CONFLICT, "blocker", "two containers use the same port; one mapping dropped"),
            doc(PORT_DUPLICATE, "info", "a container maps the same port twice"),
            doc(PORT_PLACEHOLDER, "blocker", "a port that is a template placeholder; the mapping is left out"),
            doc(TARGET_GUESSED, "warning", "no container published the EB process port; the load balancer target was guessed"),
            doc(NO_PORTS, "warning", "no container publishes a port: no load balancer"),
            doc(V1_EXTRA_PORTS, "info", "v1 ports after the first get no load balancer"),
            doc(MANAGED_ENDPOINT_INGRESS, "blocker", "an environment value names an RDS / ElastiCache / DocumentDB / MQ / OpenSearch endpoint whose security group admitted EB's instances, not the tasks"),
        ],
    ),
    (
        "Volumes and logs",
        &[
            doc(VOLUME_APP_BUNDLE, "blocker", "a mount from the EB source bundle (`/var/app/current`): bake it into the image"),
            doc(VOLUME_DOCKER_SOCKET, "blocker (Fargate) / warning (EC2)", "the Docker socket is mounted"),
            doc(VOLUME_HOST_PATH, "warning / info", "a host path: task storage on Fargate, instance path on EC2"),
            doc(VOLUME_UNDEFINED, "warning", "a mount of a volume that is not declared"),
            doc(VOLUME_UNUSED, "info", "a declared volume nothing mounts"),
            doc(VOLUMES_FROM_MISSING, "warning", "volumesFrom a container that is not in the task"),
            doc(LOGS_EB_VOLUME_DROPPED, "warning", "an `awseb-logs-*` mount: log to stdout instead"),
            doc(LOGS_V1_LOGGING, "warning", "v1 `Logging`: EB streamed files; ECS ships stdout/stderr"),
            doc(LOG_DRIVER_REPLACED, "warning", "a log driver Fargate does not support; awslogs instead"),
            doc(LOG_CONFIG_PLACEHOLDER, "warning", "a log configuration with placeholders; awslogs instead"),
            doc(LOG_GROUP_KEPT, "info", "a container keeps its own awslogs group, which the stack does not create"),
            doc(LOG_RETENTION_ROUNDED, "info", "a retention CloudWatch Logs does not offer; rounded up"),
            doc(LOGS_NOW_STREAMED, "info", "EB did not stream logs; the containers now log to CloudWatch"),
        ],
    ),
    (
        "Secrets and roles",
        &[
            doc(SECRET_MOVED, "blocker", "a secret-looking variable now comes from SSM / Secrets Manager; create it"),
            doc(SECRET_IN_PLAIN_TEXT, "warning", "`--secrets plain` kept a secret-looking variable in the environment"),
            doc(SECRET_IN_COMMAND, "warning", "a secret-looking value in command, entryPoint, dockerLabels, a health check, a Procfile or Buildfile command; kept (move it by hand), moved to a secret variable, or left out, as the message says"),
            doc(SECRET_REFERENCE, "info", "an EB environment secret kept as a container secret"),
            doc(SECRET_IN_HEALTH_PATH, "warning", "the health check path carried a credential in its query; the target group checks the path without it"),
            doc(SECRET_POSSIBLE, "warning", "a variable with a neutral name holds a random-looking value (a key?); kept as a plain variable, check it"),
            doc(ROLE_EXECUTION_PLACEHOLDER, "warning", "executionRoleArn in the JSON is a placeholder"),
            doc(ROLE_TASK_PLACEHOLDER, "warning", "taskRoleArn in the JSON is a placeholder"),
            doc(ROLE_FROM_DOCKERRUN, "info", "the Dockerrun named its own role"),
            doc(TASK_ROLE_FROM_INSTANCE_PROFILE, "warning", "grant the task role what the EB instance profile allowed the app"),
            doc(ACCOUNT_PLACEHOLDER, "warning", "no `--account-id`; ARNs hold `ACCOUNT_ID`"),
            doc(REGION_FROM_INPUTS, "info", "the region (or account) read from an ARN or image URI in the inputs"),
            doc(REGION_MISMATCH, "blocker", "the region disagrees with a certificate's or ECR image's region"),
            doc(REGION_ASSUMED, "warning", "no region given; us-east-1 used in the JSON files"),
            doc(SERVICE_NETWORK_PLACEHOLDER, "warning", "service.json subnets and security group are placeholders"),
            doc(SERVICE_TARGET_GROUP_PLACEHOLDER, "warning", "service.json target group ARN is a placeholder"),
        ],
    ),
    (
        "EB settings",
        &[
            doc(EBEXTENSION_NOT_CONVERTED, "warning", "an .ebextensions key other than option_settings (commands, files, Resources, …)"),
            doc(SAVED_CONFIG_LIST_FORM, "info", "a saved configuration in the .ebextensions list form"),
            doc(SAVED_CONFIG_UNKNOWN_KEY, "info", "a saved configuration key eb2ecs does not use"),
            doc(SAVED_CONFIG_EXTENSIONS, "warning", "saved configuration extensions that built resources"),
            doc(DESCRIBE_SEVERAL, "warning", "describe output with several configurations; the first is used"),
            doc(SETTING_OVERRIDDEN, "info", "a value overridden by a higher layer, as EB applies them"),
            doc(SETTING_INTRINSIC, "warning", "a value only CloudFormation can resolve (Ref, Fn::…, backticks); left out"),
            doc(SETTING_LIST_VALUE, "info", "a list value read as comma-separated text"),
            doc(SETTING_UNREADABLE, "warning", "a value that is not an option value"),
            doc(SETTING_BAD_NUMBER, "warning", "a number option that is not a number; the default is used"),
            doc(SETTING_NOT_CONVERTED, "warning", "options eb2ecs does not carry over (one finding per namespace)"),
            doc(EB_DEFAULTS_USED, "info", "EB's health check defaults used for the target group"),
            doc(ENV_DEFINED_TWICE, "warning", "a variable both in the Dockerrun and an EB environment property"),
            doc(ENV_PROPERTIES_ALL_CONTAINERS, "info", "EB environment properties reach every container"),
        ],
    ),
    (
        "Environment, load balancer and scaling",
        &[
            doc(WORKER_TIER, "warning", "a worker environment: an sqsd sidecar polls the queue and POSTs to the app"),
            doc(WORKER_QUEUE, "warning", "the worker queue: created by the stack (senders need its URL) or kept"),
            doc(WORKER_VISIBILITY, "warning", "the visibility timeout must outlast the application's processing"),
            doc(WORKER_SCALING, "info", "the service scales on the queue's backlog per task"),
            doc(CRON_SCHEDULE, "info", "a cron.yaml periodic task becomes an EventBridge Scheduler schedule"),
            doc(CRON_DAY_OR, "warning", "a schedule restricts both day of month and day of week: two schedules"),
            doc(CRON_INVALID, "warning", "an invalid cron.yaml entry (or file): not converted"),
            doc(CRON_NOT_WORKER, "warning", "cron.yaml in a web-server environment: EB ignored it, so does eb2ecs"),
            doc(SINGLE_INSTANCE, "warning", "a single-instance environment: no load balancer"),
            doc(RDS_COUPLED, "blocker", "an EB-managed database: snapshot and decouple before terminating"),
            doc(LB_TYPE_CHANGED, "warning", "a classic or network load balancer becomes an ALB"),
            doc(CLASSIC_ELB, "info", "classic listeners and health check read into the ALB"),
            doc(LISTENER_PROTOCOL_CHANGED, "warning", "a TCP/SSL classic listener becomes HTTP/HTTPS"),
            doc(LISTENER_NO_CERTIFICATE, "warning", "an HTTPS listener without a certificate in the settings"),
            doc(HTTP_REDIRECTED, "warning", "the HTTP listener answers with a 301 redirect to HTTPS"),
            doc(SSL_POLICY_DEFAULT, "warning", "an HTTPS listener's TLS policy chosen by eb2ecs (TLS 1.2+)"),
            doc(LISTENER_DUPLICATE, "warning", "two listener settings for one port; the first is used"),
            doc(LISTENER_PROCESS, "warning", "a listener sent traffic to a non-default EB process"),
            doc(LISTENER_RULE_PROCESS, "warning", "a listener rule sent traffic to a non-default EB process"),
            doc(PROCESS_NOT_CONVERTED, "warning", "named EB processes; the stack has one target group"),
            doc(HEALTH_CHECK_ADJUSTED, "warning", "health check values outside what a target group accepts"),
            doc(PUBLIC_IP, "info", "EB instances had public IPs; so do the tasks"),
            doc(SCALING_CPU, "info", "target tracking at the EB CPU trigger's threshold"),
            doc(SCALING_PROPOSED, "warning", "EB scaled on another metric; a CPU target is proposed"),
            doc(SCALING_ZERO, "warning", "MinSize 0; the service starts with one task"),
            doc(DEPLOYMENT_POLICY, "info", "the EB deployment policy as minimum healthy / maximum percent"),
            doc(ARM64_IMAGES, "warning", "EB ran on Graviton (arm64): the images must be built for arm64"),
            doc(LAUNCH_TEMPLATE_PUBLIC_IP, "info", "EC2: container instances get public IPs as EB's did"),
            doc(DEPLOYMENT_PERCENT_RAISED, "warning", "EB's batch is under one task: percentages that let a deployment move"),
            doc(DEFAULT_VPC, "warning", "no VPC settings: EB ran in the default VPC; tasks get public IPs"),
            doc(PRIVATE_SUBNET_ENDPOINTS, "warning", "private subnets: the NAT gateway or VPC endpoints the tasks need"),
            doc(CLIENT_CIDR, "warning", "who may reach the internal load balancer (ClientCidr)"),
            doc(INSTANCE_TYPE_CHOSEN, "warning", "EC2: a current instance type that fits the containers is the default"),
            doc(SCALING_REQUESTS, "info", "EB's RequestCount trigger as ALB requests per target"),
            doc(SCALING_MEMORY, "info", "EB's memory trigger as average memory utilisation"),
            doc(CAPACITY_EXCEEDED, "blocker", "EC2: the containers do not fit the instance type"),
            doc(CAPACITY_OK, "info", "EC2: the containers fit the instance type"),
            doc(CAPACITY_FARGATE, "info", "the Fargate task size against the old instance"),
            doc(INSTANCE_TYPE_UNKNOWN, "info", "an instance type eb2ecs does not know the size of"),
            doc(INSTANCE_SECURITY_GROUPS, "warning", "extra security groups of the EB instances (database access)"),
            doc(INSTANCE_OPTION, "info", "an instance option (root volume, …) with no Fargate counterpart"),
            doc(SSH_KEY, "info", "SSH key pair: use ECS Exec"),
            doc(SPOT_INSTANCES, "info", "EB used Spot: use FARGATE_SPOT"),
            doc(XRAY_SIDECAR, "info", "X-Ray was on: a daemon sidecar and permissions are added"),
            doc(EB_PROXY_GONE, "warning", "EB's nginx proxy options: the proxy is gone"),
            doc(PLATFORM_OPTION, "warning", "a platform runtime option (`aws:elasticbeanstalk:container:*`)"),
            doc(APPLICATION_OPTION, "info", "an `aws:elasticbeanstalk:application` option not used"),
            doc(ROLLING_UPDATE, "info", "instance rolling updates: ECS deployments replace them"),
            doc(SCHEDULED_SCALING, "warning", "scheduled scaling: recreate as Application Auto Scaling actions"),
            doc(MANAGED_ACTIONS, "info", "managed platform updates"),
            doc(HEALTH_REPORTING, "info", "EB health reporting: Container Insights instead"),
            doc(HEALTH_LOGS, "info", "EB health log streaming"),
            doc(HOST_MANAGER, "info", "EB host manager options"),
            doc(EB_NOTIFICATIONS, "info", "EB notifications: ECS service events instead"),
            doc(EB_MONITORING, "info", "EB monitoring: recreate the alarms"),
            doc(CUSTOM_OPTION, "info", "custom options only your .ebextensions read"),
        ],
    ),
    (
        "Language platforms",
        &[
            doc(PLATFORM_DETECTED, "info", "a language-platform project: the platform reproduced by a generated Dockerfile, and where it was read"),
            doc(PLATFORM_GUESSED, "warning", "the platform or its runtime version was guessed from the project's files, not read from EB"),
            doc(PLATFORM_UNKNOWN, "blocker", "no platform could be told from the settings or the files; no Dockerfile was generated"),
            doc(PLATFORM_PROCESS, "info", "a Procfile process besides `web`: its own container, same image, its command"),
            doc(PLATFORM_BUILDFILE, "warning", "Buildfile commands became RUN lines of the Dockerfile"),
            doc(PLATFORM_HOOK, "warning", "a `.platform/hooks` script EB ran on the instance is not run by the image"),
            doc(PLATFORM_PROXY, "warning", "EB's nginx configuration or static files mapping is not reproduced: the application serves itself"),
            doc(PLATFORM_NATIVE_DEPS, "warning / info", "a dependency that may need system packages or a compiler the base image lacks"),
            doc(PLATFORM_ARTIFACT, "blocker", "the bundle has no built artefact (JAR, WAR, binary, published output) where the Dockerfile expects one"),
            doc(PLATFORM_SERVER, "info", "how the image serves the application differs from EB's (web server, port, start command)"),
            doc(PLATFORM_VERSION, "info", "the runtime version was read from the project's own files (which file and key, and the rule that turned a range into a version)"),
            doc(PLATFORM_VERSION_CONFLICT, "warning", "the platform EB named and the version the project pins disagree: which one the image uses, and why"),
            doc(PLATFORM_VERSION_UNKNOWN, "blocker", "no runtime version is named by EB or pinned by the project: the image uses eb2ecs' default, which the application may not run on"),
            doc(PLATFORM_RETIRED, "warning", "the runtime version the application needs is one EB no longer offers: the image uses it anyway"),
            doc(PLATFORM_SERVLET, "info", "which servlet API (javax or jakarta) the WAR or sources use, and the Tomcat that runs it"),
            doc(PLATFORM_BUILD_STEP, "info", "a build step EB ran on deploy (assets, collectstatic, a front end, a Gradle or Maven build) is a stage or RUN line of the Dockerfile"),
            doc(PLATFORM_KEEPALIVE, "warning", "the application server's keep-alive is shorter than the load balancer's idle timeout: intermittent 502s without EB's nginx in between"),
            doc(PLATFORM_JVM_HEAP, "warning", "the JVM's heap (-Xmx) needs more memory than a container is given by default: the container reserves it and the task is sized for it"),
        ],
    ),
    (
        "Delivery (--ci github)",
        &[
            doc(DELIVERY_NOT_BUILT, "warning", "an image the project must build, but no Dockerfile or build context in the project the workflow can use: the workflow does not build it"),
            doc(DELIVERY_BUILD_ARG, "warning", "a build argument without a value or with a secret-looking one: not written into the workflow"),
            doc(DELIVERY_GITHUB_REPO, "warning", "no `--github-repo`: the deploy role trusts the repository named by the stack parameter `GitHubRepository`"),
            doc(DELIVERY_NO_IMAGE, "warning", "the project builds no image: the workflow registers task-definition.json as it is and deploys it"),
            doc(SQSD_IMAGE_TAG, "warning", "`--sqsd-image` names the sidecar by a tag, not by digest"),
        ],
    ),
    (
        "One-off commands",
        &[
            doc(ONEOFF_TASK, "info", "commands EB ran at each deployment run in a one-off task (oneoff-task-definition.json)"),
            doc(ONEOFF_EVERY_INSTANCE, "warning", "a container command without leader_only ran on every instance; the one-off task runs it once"),
            doc(ONEOFF_HOOK, "warning", "a `.platform/hooks/predeploy` script runs in the one-off task: it must be in the image"),
            doc(ONEOFF_CONTAINER, "info", "the container of several the one-off commands run in, and why"),
            doc(ONEOFF_HOST, "warning", "on the Docker platform container_commands ran on the instance, not in the container"),
            doc(ONEOFF_EB_PATH, "warning", "a one-off command names a path of EB's instances the image does not have"),
            doc(ONEOFF_ENTRY, "warning", "a container command without a command, or with keys eb2ecs does not know"),
            doc(INSTANCE_COMMAND, "warning / info", "a command only changed EB's instance (services, sudo, yum, sysctl, agents, mounts): not run, and what replaces it"),
            doc(COMMAND_BUILD, "info", "a command EB ran at deployment prepared the application's files: it is a RUN line of the image"),
            doc(COMMAND_UNKNOWN, "warning", "eb2ecs cannot tell where a command EB ran belongs: place it"),
            doc(COMMAND_REWRITTEN, "info", "parts of a command that only served EB's instance or shell are left out of it"),
            doc(OS_PACKAGE, "warning / info", "an Amazon Linux package without a Debian counterpart, or one the image does not need"),
            doc(SECRET_BUILD_ARG, "warning", "a build argument that looks like a secret is passed by name from the environment (a CI secret), its value never printed"),
            doc(CRON_FILE, "info / warning", "a cron job of EB's instances (`/etc/cron.d`, crontab) is a disabled EventBridge Scheduler schedule of the one-off task"),
            doc(EFS_MOUNT, "info / warning", "EB's instances mounted an EFS file system: the task mounts it as an EFS volume where EB did, the task role may mount and write it, the mount targets admit the service on TCP 2049 (`EfsSecurityGroupId`); a warning when the project does not name the file system's id (`EfsFileSystemId` is then required)"),
            doc(BUILD_LINES, "warning", "the Dockerfile lines an image the team builds must add (packages, build-time commands)"),
        ],
    ),
    (
        "Reading the project: which platform EB ran",
        &[
            doc(PLATFORM_CHOSEN, "info", "which EB platform the project was read as, from what evidence, and the file read"),
            doc(PLATFORM_CONFLICT, "warning", "the project's files show two EB platforms and none is named: converted by the stronger evidence; `--platform` decides"),
            doc(PLATFORM_FILE_UNUSED, "info", "a Dockerrun, compose file, Dockerfile or Procfile in the project that the platform EB ran did not read: not converted"),
            doc(COMPOSE_VAR_UNDEFINED, "warning / blocker", "a compose `${VAR}` no `.env`, `env_file` or EB property defines: an environment entry is left out (warning), an image kept as a placeholder (blocker)"),
            doc(TIER_INFERRED, "warning / info", "no tier is recorded; the environment was taken to be a worker from `aws:elasticbeanstalk:sqsd` options (info) or a `cron.yaml` without a web process (warning)"),
            doc(COMPOSE_ONE_SHOT, "info", "a compose service that runs once and exits (no `restart`, a command such as `mkdir` or a migration): not essential, and the containers that need it wait on `SUCCESS`"),
            doc(ENV_NOT_IN_INPUTS, "warning", "the application's code reads environment variables (file:line) that nothing in the inputs defines: EB held them (console, `eb setenv`)"),
            doc(ENV_RDS_COUPLED, "warning", "the application reads `RDS_HOSTNAME`, `RDS_PASSWORD`, ... that EB's coupled database set: the stack asks for them as parameters (`DatabaseEndpoint` ...), the password is a secret, and the database's security group must admit the tasks"),
            doc(HOSTNAME_ALIAS_USED, "blocker", "a container's files use another container's `hostname` alias (nginx `upstream backend:5000`), which does not resolve under awsvpc"),
            doc(COMPOSE_LOOKS_LOCAL, "warning", "the docker-compose.yml EB's precedence picked looks like a local-development file (bind mounts of `.`, database images, `sleep infinity`)"),
        ],
    ),
    (
        "Carried resources and EB's proxy",
        &[
            doc(RESOURCE_CARRIED, "info", "an `.ebextensions` resource carried into the stack and the Terraform module"),
            doc(RESOURCE_RETAINED, "warning", "a carried resource that holds data: DeletionPolicy Retain; import EB's instead of creating a new one"),
            doc(RESOURCE_REFERENCE, "blocker", "a resource references what the ECS stack does not have (EB's database, its Auto Scaling group); not carried"),
            doc(RESOURCE_UNSUPPORTED, "warning / info", "a resource type eb2ecs does not carry into the stack"),
            doc(RESOURCE_EB_OVERRIDE, "info / warning", "a `Resources` entry that changed one of EB's own resources"),
            doc(RESOURCE_ENV, "info", "an environment property set from a carried resource, in the stack's task definition"),
            doc(RESOURCE_TERRAFORM, "warning", "a carried resource's property the Terraform module does not map"),
            doc(PROXY_REDIRECT, "info / warning", "EB's proxy redirected requests: HTTP to HTTPS becomes the listener's redirect"),
            doc(PROXY_IDLE_TIMEOUT, "info / warning", "an idle timeout of EB's load balancer or proxy, carried to the ALB"),
            doc(PROXY_STATIC_FILES, "warning", "EB's proxy served static files: serve them from the image"),
            doc(PROXY_WEBSOCKETS, "info", "EB's proxy passed websockets; the ALB does too"),
            doc(PROXY_BODY_SIZE, "info", "EB's proxy limited request bodies; the ALB has no limit"),
            doc(PROXY_GZIP, "warning", "EB's proxy compressed responses; the ALB does not"),
            doc(PROXY_DIRECTIVE, "warning", "proxy configuration (server/location blocks, headers) the ALB has no counterpart for"),
            doc(TLS_IN_CONTAINER, "warning", "TLS ended in the container or on the instance: the ALB's HTTPS listener ends it now"),
        ],
    ),
    (
        "Deployment: health, capacity, defaults",
        &[
            doc(HEALTH_CHECK_MATCHER, "info", "the target group's success codes match what EB enforced (`200-499` for a TCP check, `200-399` where EB set none)"),
            doc(HEALTH_CHECK_ROOT, "warning", "the health check requests `/`, EB's default path: on ECS a failing check stops the task"),
            doc(HEALTH_CHECK_GRACE, "info", "the service's health check grace period, sized from the platform's start time"),
            doc(HTTP_FORWARDED, "info", "the HTTP listener forwards to the application as EB's did; the redirect to HTTPS is a stack parameter"),
            doc(EC2_CAPACITY_BOUNDS, "info", "EC2: the Auto Scaling group's bounds from the task density, with room for a deployment at peak"),
            doc(INSTANCE_TYPE_INVALID, "warning", "an instance type that is not an EC2 instance type name"),
            doc(PROCESS_NOT_ESSENTIAL, "warning", "a Procfile process other than `web` is not essential: its crash does not stop the web process"),
            doc(TASK_SIZE_FROM_INSTANCE, "info", "the Fargate task sized from EB's instance type and process count, not the container sums"),
            doc(CONTAINER_INSIGHTS, "info", "whether the cluster turns Container Insights on (workers, `--container-insights`)"),
            doc(EXEC_DEFAULT, "info", "ECS Exec's default: on where EB allowed SSH (`EC2KeyName`), off otherwise"),
            doc(FAMILY_PER_ENVIRONMENT, "info", "the task definition family names the EB environment, so two environments do not share one"),
        ],
    ),
];

/// Look a code up by its text.
pub fn lookup(text: &str) -> Option<CodeDoc> {
    GROUPS
        .iter()
        .flat_map(|(_, docs)| docs.iter())
        .find(|d| d.code == text)
        .copied()
}

/// `docs/findings.md`: every code by topic. The page is this text; a test fails when it is stale.
pub fn markdown() -> String {
    let mut s = String::from(INTRO);
    for (title, docs) in GROUPS {
        s.push_str(&format!(
            "\n## {title}\n\n| code | severity | meaning |\n| --- | --- | --- |\n"
        ));
        for d in *docs {
            s.push_str(&format!(
                "| `{}` | {} | {} |\n",
                d.code, d.severity, d.meaning
            ));
        }
    }
    s
}

/// One code's page (`eb2ecs finding-codes CODE`, any case): its group, usual severity and
/// meaning. An unknown code is a usage error naming the nearest known ones.
pub fn page(code: &str) -> crate::error::Result<String> {
    let want = code.trim().to_ascii_uppercase();
    for (title, docs) in GROUPS {
        if let Some(d) = docs.iter().find(|d| d.code.as_str() == want) {
            return Ok(format!(
                "# {}\n\nSeverity: {} (usual)\nGroup: {title}\n\n{}\n\nEvery finding with this code says where (file and place) and what to do; CHECKLIST.md\nlists them in the order to act on them. All codes: eb2ecs finding-codes (docs/findings.md).\n",
                d.code, d.severity, d.meaning
            ));
        }
    }
    let prefix = want.split('-').next().unwrap_or_default();
    let near: Vec<&str> = GROUPS
        .iter()
        .flat_map(|(_, d)| d.iter())
        .map(|d| d.code.as_str())
        .filter(|c| !prefix.is_empty() && c.starts_with(prefix))
        .take(8)
        .collect();
    Err(crate::error::Error::Usage(format!(
        "no finding code {:?}{}; `eb2ecs finding-codes` lists them all",
        crate::text::escape(code),
        if near.is_empty() {
            String::new()
        } else {
            format!(" (codes starting {prefix}-: {})", near.join(", "))
        }
    )))
}

const INTRO: &str = "# Finding codes

Every finding in `report.json`, `CHECKLIST.md` and the command output has one of these codes.
Codes are stable: scripts may match on them. The severity is the usual one; a few codes change
severity with the launch type (noted). This page is generated by `eb2ecs finding-codes` from the
list in `src/codes.rs`, which every finding must use.
";

#[cfg(test)]
mod tests {
    use super::*;

    /// Every constant is documented in GROUPS once, and every documented code is used by a rule.
    #[test]
    fn every_code_is_listed_once_and_used() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let own = std::fs::read_to_string(root.join("codes.rs")).expect("codes.rs");
        let consts: Vec<&str> = own
            .lines()
            .filter_map(|l| l.strip_prefix("pub const "))
            .filter_map(|l| l.split_once(": Code"))
            .map(|(name, _)| name)
            .collect();
        let listed: Vec<&str> = GROUPS
            .iter()
            .flat_map(|(_, d)| d.iter())
            .map(|d| d.code.as_str())
            .collect();
        assert!(consts.len() > 100, "only {} constants", consts.len());
        assert_eq!(
            consts.len(),
            listed.len(),
            "a constant is missing from GROUPS or listed twice"
        );
        let mut rest = String::new();
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).expect("src").flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.file_name().is_some_and(|n| n != "codes.rs") {
                    rest.push_str(&std::fs::read_to_string(&p).unwrap_or_default());
                }
            }
        }
        for name in consts {
            let code = name.replace('_', "-");
            assert!(lookup(&code).is_some(), "{code} is not in GROUPS");
            assert!(
                rest.contains(&format!("codes::{name}")),
                "{code} is documented but no rule uses it"
            );
        }
    }
}
