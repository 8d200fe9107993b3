//! The one table of input keys eb2ecs knows, and how each is handled.
//!
//! The Dockerrun parser uses it to decide which keys are unknown (each one becomes a finding),
//! and `eb2ecs support-matrix` prints it, so the documentation cannot drift from the code.

use crate::codes;
use serde_json::Value;

/// How eb2ecs treats an input key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handling {
    /// Carried over with the same meaning.
    Converted,
    /// Carried over, but changed (the note says how); a finding says so where it matters.
    Changed,
    /// Copied to the ECS container definition as written (after a type check).
    Passthrough(JsonKind),
    /// Not carried over; a finding says why and what to do.
    NotConverted,
}

impl Handling {
    /// Short label for the matrix.
    pub fn label(self) -> &'static str {
        match self {
            Handling::Converted => "converted",
            Handling::Changed => "converted with a change",
            Handling::Passthrough(_) => "copied as is",
            Handling::NotConverted => "not converted",
        }
    }
}

/// The JSON type a passed-through key must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    /// `true` / `false`.
    Bool,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl JsonKind {
    /// Whether `v` has this kind.
    pub fn matches(self, v: &Value) -> bool {
        match self {
            JsonKind::Bool => v.is_boolean(),
            JsonKind::String => v.is_string(),
            JsonKind::Array => v.is_array(),
            JsonKind::Object => v.is_object(),
        }
    }

    /// Name for messages.
    pub fn name(self) -> &'static str {
        match self {
            JsonKind::Bool => "a boolean",
            JsonKind::String => "a string",
            JsonKind::Array => "an array",
            JsonKind::Object => "an object",
        }
    }
}

/// One known key.
#[derive(Debug, Clone, Copy)]
pub struct KeySpec {
    /// The key as it appears in the input.
    pub key: &'static str,
    /// How it is handled.
    pub handling: Handling,
    /// What happens to it, in a sentence.
    pub note: &'static str,
}

const fn k(key: &'static str, handling: Handling, note: &'static str) -> KeySpec {
    KeySpec {
        key,
        handling,
        note,
    }
}

use Handling::*;

/// Top-level keys of a v2 (multi-container) Dockerrun.aws.json.
pub const V2_TOP: &[KeySpec] = &[
    k("AWSEBDockerrunVersion", Converted, "1 or 2 (number or string); a missing or unknown version is inferred from the file's shape, with a finding"),
    k("containerDefinitions", Converted, "each becomes an ECS container definition"),
    k("volumes", Changed, "host volumes: /var/app/current paths must be baked into the image; awseb-logs are replaced by CloudWatch Logs; other host paths become task storage on Fargate"),
    k("authentication", Changed, "the S3 dockercfg becomes repositoryCredentials pointing at a Secrets Manager secret you create"),
    k("family", Converted, "used as the task definition family unless --family is given"),
    k("executionRoleArn", Converted, "kept as the task execution role"),
    k("taskRoleArn", Converted, "kept as the task role"),
];

/// Container keys of a v2 Dockerrun.aws.json (EB's documented keys plus ECS container fields).
pub const V2_CONTAINER: &[KeySpec] = &[
    k("name", Converted, "container name; required (derived from the image when missing, with a finding)"),
    k("image", Converted, "image; placeholders such as ${...} or <...> are kept and flagged; a missing image becomes a placeholder to build and push"),
    k("essential", Converted, "true/false; the string \"true\" is accepted with a finding"),
    k("memory", Converted, "hard limit in MiB; sums into the Fargate task size"),
    k("memoryReservation", Converted, "soft limit in MiB; sums into the Fargate task size"),
    k("cpu", Converted, "CPU units; sums into the Fargate task size"),
    k("portMappings", Changed, "Fargate: hostPort = containerPort; EC2: the load-balanced port gets hostPort 0 (dynamic)"),
    k("links", Changed, "Fargate: removed, replaced by dependsOn START; hostnames must become localhost. EC2: kept"),
    k("mountPoints", Changed, "follow their volume: /var/app/current and awseb-logs mounts are dropped with a finding"),
    k("volumesFrom", Converted, "kept when the source container exists"),
    k("environment", Changed, "list of {name,value}, map or K=V strings; secret-looking values move to secrets"),
    k("secrets", Converted, "kept"),
    k("command", Converted, "kept (a single string is split like a shell)"),
    k("entryPoint", Converted, "kept (a single string is split like a shell)"),
    k("workingDirectory", Converted, "kept"),
    k("user", Converted, "kept"),
    k("hostname", Changed, "EC2 bridge: kept; Fargate (awsvpc): not allowed, dropped with a finding"),
    k("privileged", Changed, "EC2: kept; Fargate: not allowed, dropped with a blocker"),
    k("readonlyRootFilesystem", Converted, "kept"),
    k("dockerLabels", Converted, "kept"),
    k("ulimits", Converted, "kept"),
    k("logConfiguration", Changed, "awslogs/splunk/awsfirelens kept; other drivers replaced by awslogs on Fargate; missing: awslogs to `/ecs/<family>`"),
    k("healthCheck", Converted, "kept"),
    k("extraHosts", Changed, "EC2: kept; Fargate: not allowed, dropped with a finding"),
    k("dnsServers", Changed, "EC2: kept; Fargate: not allowed, dropped with a finding"),
    k("dnsSearchDomains", Changed, "EC2: kept; Fargate: not allowed, dropped with a finding"),
    k("linuxParameters", Changed, "Fargate keeps capabilities and initProcessEnabled only; devices, sharedMemorySize, tmpfs, maxSwap and swappiness are dropped with a finding"),
    k("dependsOn", Converted, "kept"),
    k("repositoryCredentials", Converted, "kept"),
    k("stopTimeout", Converted, "kept"),
    k("startTimeout", Converted, "kept"),
    k("systemControls", Passthrough(JsonKind::Array), "copied"),
    k("interactive", Passthrough(JsonKind::Bool), "copied"),
    k("pseudoTerminal", Passthrough(JsonKind::Bool), "copied"),
    k("dockerSecurityOptions", Passthrough(JsonKind::Array), "copied"),
    k("disableNetworking", Passthrough(JsonKind::Bool), "copied"),
    k("resourceRequirements", Passthrough(JsonKind::Array), "copied"),
    k("firelensConfiguration", Passthrough(JsonKind::Object), "copied"),
    k("environmentFiles", Passthrough(JsonKind::Array), "copied"),
    k("restartPolicy", Passthrough(JsonKind::Object), "copied"),
    k("credentialSpecs", Passthrough(JsonKind::Array), "copied"),
    k("versionConsistency", Passthrough(JsonKind::String), "copied"),
    k("ports", Changed, "docker-compose key: \"HOST:CONTAINER\" strings become portMappings, with a finding"),
    k("build", Changed, "docker-compose key: ECS cannot build; the image becomes a placeholder to build and push (blocker)"),
    k("container_name", NotConverted, "docker-compose key: the container's name is used"),
    k("restart", NotConverted, "docker-compose key: ECS restarts tasks through the service"),
];

/// Keys of a v1 (single container) Dockerrun.aws.json.
pub const V1_TOP: &[KeySpec] = &[
    k("AWSEBDockerrunVersion", Converted, "1"),
    k("Image", Converted, "Image.Name is the image; without it EB built the Dockerfile, so a placeholder ECR image and a blocker are emitted"),
    k("Ports", Changed, "the first ContainerPort is the one the load balancer reaches; others are kept as port mappings with a finding"),
    k("Volumes", Changed, "HostDirectory/ContainerDirectory become volumes and mounts, with the same rules as v2 host volumes"),
    k("Logging", NotConverted, "EB streamed files from this folder; ECS ships stdout/stderr to CloudWatch Logs (finding)"),
    k("Command", Converted, "split like a shell into command"),
    k("Entrypoint", Converted, "split like a shell into entryPoint"),
    k("Authentication", Changed, "as v2 authentication"),
];

/// Keys of `Image` in a v1 Dockerrun.
pub const V1_IMAGE: &[KeySpec] = &[
    k("Name", Converted, "the image"),
    k(
        "Update",
        Converted,
        "ECS pulls the image whenever a task starts; \"false\" gets a finding",
    ),
];

/// Top-level keys of a docker-compose.yml (EB's Docker platform in Compose mode). Keys starting
/// with `x-` are extensions and are skipped silently.
pub const COMPOSE_TOP: &[KeySpec] = &[
    k("version", Converted, "2.x, 3.x or none; a file without `services` is read as the legacy format (every top-level key a service), with a finding"),
    k("services", Changed, "every service ran on each EB instance, so all become containers of one task (a database-looking service gets a finding)"),
    k("volumes", Changed, "named volumes become task volumes that are not kept (ephemeral), with a finding"),
    k("networks", NotConverted, "containers of one task share localhost (awsvpc) or links (bridge); the networks themselves are not carried over"),
    k("secrets", NotConverted, "compose secrets are files in the container; a finding says to use ECS secrets"),
    k("configs", NotConverted, "compose configs are files in the container; a finding says to bake them into the image"),
    k("name", Converted, "the project name; not used (the task family comes from the folder or --family)"),
];

/// Keys of one service of a docker-compose.yml.
pub const COMPOSE_SERVICE: &[KeySpec] = &[
    k("image", Converted, "the image; with `build` it is the name EB tagged the build with, so a placeholder ECR image is used"),
    k("build", Changed, "EB built the image on each instance; ECS needs a pushed image: a placeholder ECR image, and the checklist builds (context, dockerfile, args, target) and pushes it"),
    k("command", Converted, "string (split like compose) or list"),
    k("entrypoint", Converted, "string (split like compose) or list"),
    k("environment", Converted, "map or list; `${VAR}` is interpolated from `.env` (EB's properties when the bundle has no .env)"),
    k("env_file", Changed, "`.env` (EB's generated file) gives the container EB's properties; other files are read from the bundle; a missing file is a finding"),
    k("ports", Changed, "short and long forms, ranges, ip:host:container, /udp; the service publishing EB's process port (80) is the load-balanced one"),
    k("expose", Converted, "container ports without a host port"),
    k("depends_on", Converted, "list or long form: condition service_started/healthy/completed_successfully becomes dependsOn START/HEALTHY/SUCCESS"),
    k("healthcheck", Converted, "test (CMD, CMD-SHELL, NONE or a string), interval, timeout, retries, start_period; disable: true drops it"),
    k("mem_limit", Converted, "memory (MiB)"),
    k("mem_reservation", Converted, "memoryReservation (MiB)"),
    k("cpus", Converted, "cpu units (1.0 = 1024)"),
    k("deploy", Changed, "resources.limits/reservations (memory, cpus) are read; replicas and the rest are not carried over (finding)"),
    k("links", Changed, "as Dockerrun links; a service reached by its name (environment or mounted files) also gets a link"),
    k("networks", Changed, "aliases become link aliases; the networks themselves are not carried over"),
    k("volumes", Changed, "relative bind mounts are bundle files (/var/app/current/...) to bake into the image; ${EB_LOG_BASE_DIR} mounts are EB's log volumes (dropped); named volumes are ephemeral; tmpfs is not carried over; :ro kept"),
    k("volumes_from", Converted, "volumesFrom (service names; :ro kept)"),
    k("working_dir", Converted, "workingDirectory"),
    k("user", Converted, "user"),
    k("hostname", Changed, "as the Dockerrun's hostname"),
    k("extra_hosts", Converted, "extraHosts (list or map)"),
    k("dns", Converted, "dnsServers"),
    k("dns_search", Converted, "dnsSearchDomains"),
    k("cap_add", Converted, "linuxParameters.capabilities.add"),
    k("cap_drop", Converted, "linuxParameters.capabilities.drop"),
    k("privileged", Changed, "as the Dockerrun's privileged"),
    k("read_only", Converted, "readonlyRootFilesystem"),
    k("init", Converted, "linuxParameters.initProcessEnabled"),
    k("stop_grace_period", Converted, "stopTimeout (seconds)"),
    k("ulimits", Converted, "ulimits (a number or soft/hard)"),
    k("labels", Converted, "dockerLabels (map or list)"),
    k("logging", Changed, "replaced by CloudWatch Logs; a driver other than json-file gets a finding"),
    k("restart", NotConverted, "ECS restarts tasks through the service (finding)"),
    k("secrets", NotConverted, "compose secrets are files; use ECS secrets (finding)"),
    k("configs", NotConverted, "compose configs are files; bake them into the image (finding)"),
    k("profiles", Changed, "services not in the default profile did not run on EB and are left out (finding)"),
    k("tmpfs", NotConverted, "scratch mounts are not carried over (finding); the container's file system is writable"),
    k("container_name", NotConverted, "ECS names containers by the service name (finding)"),
    k("tty", Passthrough(JsonKind::Bool), "pseudoTerminal"),
    k("stdin_open", Passthrough(JsonKind::Bool), "interactive"),
];

/// Look a key up in a table.
pub fn lookup(table: &[KeySpec], key: &str) -> Option<KeySpec> {
    table.iter().find(|s| s.key == key).copied()
}

/// An EB option namespace (or namespace prefix) and how eb2ecs handles it.
#[derive(Debug, Clone, Copy)]
pub struct NamespaceSpec {
    /// Namespace, or a prefix ending in `:` for families such as `aws:elbv2:listener:`.
    pub prefix: &'static str,
    /// How it is handled.
    pub handling: Handling,
    /// What happens to it, in a sentence.
    pub note: &'static str,
    /// For options of this namespace that are not used: severity, finding code and action.
    pub leftover: (crate::finding::Severity, codes::Code, &'static str),
}

use crate::finding::Severity::{Blocker, Info, Warning};

const fn ns(
    prefix: &'static str,
    handling: Handling,
    note: &'static str,
    leftover: (crate::finding::Severity, codes::Code, &'static str),
) -> NamespaceSpec {
    NamespaceSpec {
        prefix,
        handling,
        note,
        leftover,
    }
}

const GENERIC: (crate::finding::Severity, codes::Code, &str) = (
    Warning,
    codes::SETTING_NOT_CONVERTED,
    "Check what this option did for the application and recreate it in the stack by hand if it still matters.",
);

/// EB option namespaces. The first entry that matches applies (a prefix ending in `:`, or the
/// namespace itself and its sub-namespaces, so order matters); a namespace matching none is reported with the generic `SETTING-NOT-CONVERTED` finding.
pub const EB_NAMESPACES: &[NamespaceSpec] = &[
    ns("aws:elasticbeanstalk:application:environmentsecrets", Converted, "each becomes a container secret with the same ARN; the execution role may read exactly those ARNs", GENERIC),
    ns("aws:elasticbeanstalk:application:environment", Changed, "passed to every container (EB did the same); secret-looking values move to SSM/Secrets Manager", GENERIC),
    ns("aws:elasticbeanstalk:application", Changed, "Application Healthcheck URL becomes the target group's health check path", (Info, codes::APPLICATION_OPTION, "Nothing to do beyond what the load balancer's health check covers.")),
    ns("aws:autoscaling:asg", Changed, "MinSize/MaxSize become the service's desired count and autoscaling bounds (tasks instead of instances)", GENERIC),
    ns("aws:autoscaling:trigger", Changed, "a CPU trigger becomes target tracking at its upper threshold; other metrics get a proposed CPU target and a finding", GENERIC),
    ns("aws:autoscaling:launchconfiguration", Changed, "InstanceType drives the capacity check (and the EC2 instance type); IamInstanceProfile, EC2KeyName, SecurityGroups and root volume options become findings", GENERIC),
    ns("aws:autoscaling:updatepolicy:rollingupdate", NotConverted, "instance replacement on configuration changes; ECS replaces tasks by its deployment configuration", (Info, codes::ROLLING_UPDATE, "Nothing to do: ECS replaces tasks by the service's deployment configuration.")),
    ns("aws:autoscaling:scheduledaction", NotConverted, "scheduled scaling", (Warning, codes::SCHEDULED_SCALING, "Recreate the schedule as Application Auto Scaling scheduled actions on the service.")),
    ns("aws:ec2:instances", Changed, "the first of InstanceTypes is the instance type when InstanceType is not set; EnableSpot becomes a finding", GENERIC),
    ns("aws:ec2:vpc", Changed, "VPCId, Subnets, ELBSubnets become stack parameter defaults; ELBScheme the load balancer scheme; AssociatePublicIpAddress assignPublicIp", GENERIC),
    ns("aws:elasticbeanstalk:environment:process:default", Converted, "health check path, interval, timeout, thresholds, matcher, deregistration delay, stickiness; Port finds the container port behind the load balancer", GENERIC),
    ns("aws:elasticbeanstalk:environment:process:", NotConverted, "named processes: the stack has one target group, for the default process", (Warning, codes::PROCESS_NOT_CONVERTED, "Add a target group (and listener rule) for this process by hand, or run it as its own ECS service.")),
    ns("aws:elasticbeanstalk:environment:proxy", NotConverted, "EB's nginx proxy on the instance", (Warning, codes::EB_PROXY_GONE, "EB's own nginx proxy is gone: the load balancer talks to the container directly. Serve static files and gzip from the app, or add an nginx sidecar.")),
    ns("aws:elasticbeanstalk:environment", Changed, "EnvironmentType SingleInstance means no load balancer; LoadBalancerType classic/network become an ALB with findings", GENERIC),
    ns("aws:elbv2:listener:", Converted, "each enabled listener: port, protocol, certificates, SSL policy; HTTP redirects to HTTPS when there is an HTTPS listener", GENERIC),
    ns("aws:elbv2:listenerrule:", Converted, "host-header and path-pattern conditions with their priority, forwarding to the target group", GENERIC),
    ns("aws:elbv2:loadbalancer", Changed, "IdleTimeout is kept; access logs and security group options become findings", GENERIC),
    ns("aws:elb:", Changed, "classic ELB listeners, health check and connection draining become the ALB's; a finding says what changes", GENERIC),
    ns("aws:elasticbeanstalk:command", Changed, "DeploymentPolicy and BatchSize become the service's minimum healthy / maximum percent", GENERIC),
    ns("aws:elasticbeanstalk:cloudwatch:logs:health", NotConverted, "EB health log streaming", (Info, codes::HEALTH_LOGS, "Nothing to do: ECS service events replace EB's health logs.")),
    ns("aws:elasticbeanstalk:cloudwatch:logs", Changed, "RetentionInDays becomes the log group's retention; containers always log to CloudWatch", GENERIC),
    ns("aws:elasticbeanstalk:xray", Converted, "XRayEnabled adds an X-Ray daemon sidecar and X-Ray write permissions", GENERIC),
    ns("aws:rds:dbinstance", NotConverted, "an EB-coupled database", (Blocker, codes::RDS_COUPLED, "This database belongs to the EB environment: terminating the environment deletes it. Snapshot it and restore it as a standalone instance (or decouple it) before decommissioning, and point the app at the new endpoint.")),
    ns("aws:elasticbeanstalk:container:", NotConverted, "platform runtime options on the instance", (Warning, codes::PLATFORM_OPTION, "This platform option configured EB's runtime on the instance; set its equivalent in the image (Dockerfile) or the container's command.")),
    ns("aws:elasticbeanstalk:managedactions", NotConverted, "managed platform updates", (Info, codes::MANAGED_ACTIONS, "Fargate patches its platform itself; on EC2, refresh the ECS-optimised AMI regularly.")),
    ns("aws:elasticbeanstalk:healthreporting", NotConverted, "EB health reporting", (Info, codes::HEALTH_REPORTING, "Turn on CloudWatch Container Insights on the cluster for the same view (the stack does).")),
    ns("aws:elasticbeanstalk:hostmanager", NotConverted, "EB's host manager", (Info, codes::HOST_MANAGER, "Nothing to do: ECS has no host manager; logs go to CloudWatch Logs.")),
    ns("aws:elasticbeanstalk:sns:topics", NotConverted, "EB notifications", (Info, codes::EB_NOTIFICATIONS, "Subscribe to ECS service events (EventBridge) for deployment notifications.")),
    ns("aws:elasticbeanstalk:customoption", NotConverted, "values only your .ebextensions read", (Info, codes::CUSTOM_OPTION, "Custom options were only read by your own .ebextensions; carry their values into the stack by hand if they still matter.")),
    ns("aws:elasticbeanstalk:monitoring", NotConverted, "EB monitoring", (Info, codes::EB_MONITORING, "Recreate the alarms you need on the ECS service's CloudWatch metrics.")),
    ns("aws:elasticbeanstalk:sqsd", Converted, "the worker tier's SQS daemon becomes an sqsd sidecar container with the same options; the stack has the queue, its dead-letter queue (MaxRetries) and backlog scaling", GENERIC),
];

/// The namespace entry for `namespace`, if any.
pub fn namespace(namespace: &str) -> Option<&'static NamespaceSpec> {
    EB_NAMESPACES.iter().find(|n| {
        if n.prefix.ends_with(':') {
            namespace.starts_with(n.prefix)
        } else {
            namespace == n.prefix
                || namespace
                    .strip_prefix(n.prefix)
                    .is_some_and(|rest| rest.starts_with(':'))
        }
    })
}

/// What to say about unused options of a namespace: severity, code, action.
pub fn leftover(namespace: &str) -> (crate::finding::Severity, codes::Code, &'static str) {
    self::namespace(namespace).map_or(GENERIC, |n| n.leftover)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_match_most_specific_first() {
        assert_eq!(
            namespace("aws:elasticbeanstalk:environment:process:web")
                .unwrap()
                .prefix,
            "aws:elasticbeanstalk:environment:process:"
        );
        assert_eq!(
            namespace("aws:elasticbeanstalk:environment:proxy:staticfiles")
                .unwrap()
                .prefix,
            "aws:elasticbeanstalk:environment:proxy"
        );
        assert_eq!(
            namespace("aws:elasticbeanstalk:environment")
                .unwrap()
                .prefix,
            "aws:elasticbeanstalk:environment"
        );
        assert_eq!(leftover("aws:rds:dbinstance").1, "RDS-COUPLED");
        assert_eq!(leftover("aws:unknown:thing").1, "SETTING-NOT-CONVERTED");
        assert!(namespace("aws:elasticbeanstalkxyz").is_none());
    }
}
