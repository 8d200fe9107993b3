//! The one table of input keys eb2ecs knows, and how each is handled.
//!
//! The Dockerrun parser uses it to decide which keys are unknown (each one becomes a finding),
//! and `eb2ecs support-matrix` prints it, so the documentation cannot drift from the code.

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
    k("logConfiguration", Changed, "awslogs/splunk/awsfirelens kept; other drivers replaced by awslogs on Fargate; missing: awslogs to /ecs/<family>"),
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

/// Look a key up in a table.
pub fn lookup(table: &[KeySpec], key: &str) -> Option<KeySpec> {
    table.iter().find(|s| s.key == key).copied()
}
