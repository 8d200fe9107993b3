//! The typed Dockerrun.aws.json (v1 and v2) and its pure parser.
//!
//! The parser turns a JSON value into [`Dockerrun`], normalising the sloppy forms real files use
//! (version as a string, `essential` as `"true"`, environment as a map, compose keys) with a
//! finding for each, and refusing what cannot be made sense of with an [`InputError`] located by
//! JSON pointer. It does no I/O.
//!
//! This module owns the types both versions parse into, the [`parse`] entry (which tells the
//! versions apart), and the shared `Parser` state with its finding helpers. The version-specific
//! readers live in `v1` and `v2`; the value coercion both use lives in `values`.

mod v1;
mod v2;
mod values;

use crate::codes;
use crate::ecs;
use crate::error::InputError;
use crate::finding::{Finding, Severity, Source};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use values::{kind_of, ptr};

/// Which Dockerrun format a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// Single container.
    V1,
    /// Multi-container.
    V2,
}

/// A parsed Dockerrun.aws.json, both versions in one shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Dockerrun {
    /// The file's name as the user gave it (used in finding sources).
    pub file: String,
    /// Which format it was.
    pub version: Version,
    /// `family`, when set and non-empty.
    pub family: Option<String>,
    /// `executionRoleArn`.
    pub execution_role_arn: Option<String>,
    /// `taskRoleArn`.
    pub task_role_arn: Option<String>,
    /// Private registry authentication (dockercfg in S3).
    pub authentication: Option<Authentication>,
    /// Top-level volumes (v2) or synthesised from v1 `Volumes`.
    pub volumes: Vec<EbVolume>,
    /// The containers (one for v1).
    pub containers: Vec<EbContainer>,
    /// v1 `Logging`: the folder EB streamed log files from.
    pub logging: Option<String>,
    /// `None`: EB gave its environment properties to every container (Dockerrun v1/v2).
    /// `Some(names)`: only these containers received them (a compose project: through
    /// `env_file: .env`, the file EB generated).
    pub properties_via_env_file: Option<Vec<String>>,
}

impl Dockerrun {
    /// One container and nothing else, as a v1 file (or a project EB built from a Dockerfile
    /// or a language platform) describes it.
    pub fn single(file: &str, container: EbContainer) -> Self {
        Dockerrun {
            file: file.to_string(),
            version: Version::V1,
            family: None,
            execution_role_arn: None,
            task_role_arn: None,
            authentication: None,
            volumes: Vec::new(),
            containers: vec![container],
            logging: None,
            properties_via_env_file: None,
        }
    }
}

/// `authentication` / `Authentication`.
#[derive(Debug, Clone, PartialEq)]
pub struct Authentication {
    /// S3 bucket.
    pub bucket: String,
    /// S3 key of the dockercfg file.
    pub key: String,
    /// Where it was.
    pub pointer: String,
}

/// A top-level volume.
#[derive(Debug, Clone, PartialEq)]
pub struct EbVolume {
    /// Name referenced by mount points.
    pub name: String,
    /// `host.sourcePath`; `None` when the volume has no host (docker-managed).
    pub source_path: Option<String>,
    /// Where it was.
    pub pointer: String,
}

/// One container as EB had it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EbContainer {
    /// JSON pointer of the container (`/containerDefinitions/0`, or `` for v1).
    pub pointer: String,
    /// Name.
    pub name: String,
    /// Image; `None` when EB built it from a Dockerfile or the file gave none.
    pub image: Option<String>,
    /// JSON pointer of the image (`.../image`, or `/Image/Name` for v1).
    pub image_pointer: String,
    /// Essential (default true).
    pub essential: bool,
    /// Hard memory limit (MiB).
    pub memory: Option<u32>,
    /// Soft memory limit (MiB).
    pub memory_reservation: Option<u32>,
    /// CPU units.
    pub cpu: Option<u32>,
    /// Port mappings.
    pub port_mappings: Vec<EbPort>,
    /// Links.
    pub links: Vec<EbLink>,
    /// Mount points.
    pub mount_points: Vec<EbMount>,
    /// volumesFrom.
    pub volumes_from: Vec<(ecs::VolumeFrom, String)>,
    /// Environment variables in file order (duplicates already resolved).
    pub environment: Vec<EnvVar>,
    /// Secrets given in the file.
    pub secrets: Vec<ecs::Secret>,
    /// Command.
    pub command: Option<Vec<String>>,
    /// Entry point.
    pub entry_point: Option<Vec<String>>,
    /// Working directory.
    pub working_directory: Option<String>,
    /// User.
    pub user: Option<String>,
    /// Hostname.
    pub hostname: Option<String>,
    /// Privileged.
    pub privileged: Option<bool>,
    /// Read-only root file system.
    pub readonly_root_filesystem: Option<bool>,
    /// Docker labels.
    pub docker_labels: BTreeMap<String, String>,
    /// Ulimits.
    pub ulimits: Vec<ecs::Ulimit>,
    /// Log configuration.
    pub log_configuration: Option<ecs::LogConfiguration>,
    /// Health check.
    pub health_check: Option<ecs::HealthCheck>,
    /// extraHosts.
    pub extra_hosts: Vec<ecs::HostEntry>,
    /// dnsServers.
    pub dns_servers: Vec<String>,
    /// dnsSearchDomains.
    pub dns_search_domains: Vec<String>,
    /// linuxParameters.
    pub linux_parameters: Option<ecs::LinuxParameters>,
    /// dependsOn given in the file.
    pub depends_on: Vec<ecs::DependsOn>,
    /// repositoryCredentials given in the file.
    pub repository_credentials: Option<ecs::RepositoryCredentials>,
    /// stopTimeout.
    pub stop_timeout: Option<u32>,
    /// startTimeout.
    pub start_timeout: Option<u32>,
    /// Other ECS keys, copied as is.
    pub other: BTreeMap<String, Value>,
    /// The container as the file had it (for the reviewable diff).
    pub original: Value,
    /// How the project builds the image (compose `build`, a Dockerfile), when it does.
    pub build: Option<ImageBuild>,
}

/// How the project builds a container's image: `docker build -f DOCKERFILE [--target T]
/// [--build-arg K=V]... CONTEXT`, paths relative to the project root.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageBuild {
    /// Build context folder (`.` for the project root).
    pub context: String,
    /// Dockerfile path, relative to the project root.
    pub dockerfile: String,
    /// Build stage (`--target`), when given.
    pub target: Option<String>,
    /// Build arguments with their values (`None`: taken from the environment).
    pub args: Vec<(String, Option<String>)>,
    /// Where it was defined (file and pointer).
    pub pointer: String,
}

/// A port mapping as EB had it.
#[derive(Debug, Clone, PartialEq)]
pub struct EbPort {
    /// Container port.
    pub container_port: u16,
    /// Host port (what EB's load balancer or proxy reached).
    pub host_port: Option<u16>,
    /// `tcp` or `udp`.
    pub protocol: String,
    /// Where it was.
    pub pointer: String,
}

/// A link `target[:alias]`.
#[derive(Debug, Clone, PartialEq)]
pub struct EbLink {
    /// Linked container.
    pub target: String,
    /// Hostname alias, when given.
    pub alias: Option<String>,
    /// Where it was.
    pub pointer: String,
}

impl EbLink {
    /// The hostname the linking container used to reach the target.
    pub fn hostname(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.target)
    }
}

/// A mount point.
#[derive(Debug, Clone, PartialEq)]
pub struct EbMount {
    /// Volume name.
    pub source_volume: String,
    /// Path in the container.
    pub container_path: String,
    /// Read-only.
    pub read_only: Option<bool>,
    /// Where it was.
    pub pointer: String,
}

/// An environment variable.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvVar {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
    /// Where it was (in the Dockerrun).
    pub pointer: String,
    /// Where it came from when not from the Dockerrun (an EB environment property).
    pub origin: Option<Source>,
}

/// The result of parsing: the typed file and the findings about its oddities.
pub type Parsed = (Dockerrun, Vec<Finding>);

/// Parse a Dockerrun from JSON already read from `file`.
pub fn parse(file: &str, doc: &Value) -> Result<Parsed, InputError> {
    let mut p = Parser {
        file: file.to_string(),
        findings: Vec::new(),
    };
    let top = doc.as_object().ok_or_else(|| {
        InputError::new(
            "",
            format!(
                "a Dockerrun.aws.json must be a JSON object, found {}",
                kind_of(doc)
            ),
        )
    })?;
    let version = p.version(top)?;
    let run = match version {
        Version::V1 => p.v1(top)?,
        Version::V2 => p.v2(top)?,
    };
    Ok((run, p.findings))
}

/// Escape a key for use in a JSON pointer (RFC 6901).
pub fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A container name derived from an image reference (`repo/app:tag` -> `app`).
pub fn name_from_image(image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let base = last.split([':', '@']).next().unwrap_or(last);
    let cleaned: String = base
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' {
                ch
            } else {
                '-'
            }
        })
        .collect();
    if cleaned.trim_matches('-').is_empty() {
        "app".to_string()
    } else {
        cleaned
    }
}

/// The state of one parse: the file name (for finding sources) and the findings so far.
///
/// Its methods are spread over this module (findings, version) and `v1`, `v2` and `values`
/// (the readers).
struct Parser {
    file: String,
    findings: Vec<Finding>,
}

impl Version {
    /// The number EB uses for this version.
    fn number(self) -> u8 {
        match self {
            Version::V1 => 1,
            Version::V2 => 2,
        }
    }
}

/// The version a file's keys suggest, whatever it declares.
fn shape(top: &Map<String, Value>) -> Version {
    let looks_v2 = top.contains_key("containerDefinitions") && !top.contains_key("Image");
    let looks_v1 = top.contains_key("Image") || top.contains_key("Ports");
    if looks_v2 {
        Version::V2
    } else if looks_v1 || !top.contains_key("containerDefinitions") {
        Version::V1
    } else {
        Version::V2
    }
}

/// The declared `AWSEBDockerrunVersion` as text, and whether it was given as a string.
fn declared_text(declared: &Value) -> Result<(String, bool), InputError> {
    match declared {
        Value::Number(n) => Ok((n.to_string(), false)),
        Value::String(s) => Ok((s.trim().to_string(), true)),
        other => Err(InputError::new(
            VERSION_POINTER,
            format!(
                "AWSEBDockerrunVersion must be 1 or 2, found {}",
                kind_of(other)
            ),
        )),
    }
}

/// The version EB knows by this text, if any.
fn known_version(text: &str) -> Option<Version> {
    match text {
        "1" | "1.0" => Some(Version::V1),
        "2" | "2.0" => Some(Version::V2),
        _ => None,
    }
}

const VERSION_POINTER: &str = "/AWSEBDockerrunVersion";
const CHECK_CONTAINERS: &str = "Check that the containers below are what EB ran.";

impl Parser {
    /// Where `pointer` is, in this file.
    fn source(&self, pointer: &str) -> Source {
        Source::new(self.file.clone(), pointer)
    }

    /// Record a finding about the thing at `pointer`.
    fn finding(
        &mut self,
        code: codes::Code,
        severity: Severity,
        pointer: &str,
        message: impl Into<String>,
        action: impl Into<String>,
    ) {
        let f = Finding::new(code, severity, self.source(pointer), message, action);
        self.findings.push(f);
    }

    /// Record that `key` under `pointer` is not one eb2ecs knows (`what` names the object).
    fn unknown_key(&mut self, pointer: &str, key: &str, what: &str) {
        self.finding(
            codes::DOCKERRUN_UNKNOWN_KEY,
            Severity::Warning,
            &ptr(pointer, key),
            format!("unknown {what} key `{key}` is not carried over"),
            "Check whether it mattered to the application; if it did, add the equivalent by hand.",
        );
    }

    /// Which version to read the file as: the declared one when it fits the file's shape,
    /// otherwise the shape's, with a finding.
    fn version(&mut self, top: &Map<String, Value>) -> Result<Version, InputError> {
        let shape = shape(top);
        let Some(declared) = top.get("AWSEBDockerrunVersion") else {
            self.finding(
                codes::DOCKERRUN_VERSION_MISSING,
                Severity::Warning,
                "",
                format!(
                    "AWSEBDockerrunVersion is missing; the file has the shape of version {}",
                    shape.number()
                ),
                CHECK_CONTAINERS,
            );
            return Ok(shape);
        };
        let (text, is_string) = declared_text(declared)?;
        match known_version(&text) {
            Some(v) if v == shape => {
                if is_string && v == Version::V2 {
                    self.finding(
                        codes::DOCKERRUN_VERSION_STRING,
                        Severity::Info,
                        VERSION_POINTER,
                        "AWSEBDockerrunVersion is the string \"2\"; EB documents the number 2",
                        "Nothing to do: read as version 2.",
                    );
                }
                Ok(v)
            }
            Some(_) => Ok(self.version_mismatch(&text, shape)),
            None => Ok(self.version_unknown(&text, shape)),
        }
    }

    /// A known version that does not fit the file's shape: read it by its shape.
    fn version_mismatch(&mut self, text: &str, shape: Version) -> Version {
        self.finding(
            codes::DOCKERRUN_VERSION_SHAPE,
            Severity::Warning,
            VERSION_POINTER,
            format!(
                "AWSEBDockerrunVersion says {text} but the file has the shape of version {}; read it by its shape",
                shape.number()
            ),
            CHECK_CONTAINERS,
        );
        shape
    }

    /// A version EB does not know: read the file by its shape.
    fn version_unknown(&mut self, text: &str, shape: Version) -> Version {
        self.finding(
            codes::DOCKERRUN_VERSION_UNKNOWN,
            Severity::Warning,
            VERSION_POINTER,
            format!(
                "AWSEBDockerrunVersion {text} is not a version EB knows (1 or 2); the file has the shape of version {}",
                shape.number()
            ),
            CHECK_CONTAINERS,
        );
        shape
    }
}

/// Refuse two containers whose names become the same stack identifier (`web-app`, `web_app`):
/// their image parameters, log groups and repositories would collide.
/// `key` is what the error points at under the container (`/name` in a Dockerrun, nothing in
/// a compose file, whose services are named by their key).
pub fn names_distinct(containers: &[EbContainer], key: &str) -> Result<(), InputError> {
    let Some((a, b)) = crate::names::identifier_clash(containers.iter().map(|c| c.name.as_str()))
    else {
        return Ok(());
    };
    let (first, second) = (&containers[a], &containers[b]);
    Err(InputError::new(
        format!("{}{key}", second.pointer),
        format!(
            "{} (the other is at {})",
            crate::names::clash_message("the containers", &first.name, &second.name),
            first.pointer
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::{self, KeySpec};
    use serde_json::json;

    /// The codes of `f`, in order.
    pub(super) fn codes(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn version_is_inferred_from_shape() {
        let doc = json!({"AWSEBDockerrunVersion": 3, "containerDefinitions": [{"name": "a", "image": "x"}]});
        let (run, findings) = parse("f", &doc).unwrap();
        assert_eq!(run.version, Version::V2);
        assert_eq!(codes(&findings), vec!["DOCKERRUN-VERSION-UNKNOWN"]);
    }

    #[test]
    fn name_from_image_strips_registry_and_tag() {
        assert_eq!(
            name_from_image("123.dkr.ecr.us-east-1.amazonaws.com/my-app:1.2"),
            "my-app"
        );
        assert_eq!(name_from_image("redis"), "redis");
    }

    /// A valid value for every key of [`support::V2_TOP`].
    fn v2_top_samples() -> Samples {
        vec![
            ("AWSEBDockerrunVersion", json!(2)),
            ("containerDefinitions", json!([{"name": "a", "image": "x"}])),
            (
                "volumes",
                json!([{"name": "v", "host": {"sourcePath": "/data"}}]),
            ),
            ("authentication", json!({"bucket": "b", "key": "k"})),
            ("family", json!("f")),
            ("executionRoleArn", json!("arn:aws:iam::1:role/e")),
            ("taskRoleArn", json!("arn:aws:iam::1:role/t")),
        ]
    }

    /// A valid value for every key of [`support::V2_CONTAINER`].
    fn v2_container_samples() -> Samples {
        [v2_container_core_samples(), v2_container_more_samples()].concat()
    }

    /// Container keys: the resources, ports, links, volumes, environment and process.
    fn v2_container_core_samples() -> Samples {
        vec![
            ("name", json!("a")),
            ("image", json!("x")),
            ("essential", json!(true)),
            ("memory", json!(128)),
            ("memoryReservation", json!(64)),
            ("cpu", json!(256)),
            (
                "portMappings",
                json!([{"containerPort": 80, "protocol": "tcp"}]),
            ),
            ("links", json!(["b:db"])),
            (
                "mountPoints",
                json!([{"sourceVolume": "v", "containerPath": "/d"}]),
            ),
            ("volumesFrom", json!([{"sourceContainer": "b"}])),
            ("environment", json!([{"name": "A", "value": "1"}])),
            (
                "secrets",
                json!([{"name": "S", "valueFrom": "arn:aws:ssm:x"}]),
            ),
            ("command", json!(["run"])),
            ("entryPoint", json!(["sh", "-c"])),
            ("workingDirectory", json!("/app")),
            ("user", json!("app")),
            ("hostname", json!("web")),
        ]
    }

    /// Container keys: the rest of ECS's and docker-compose's.
    fn v2_container_more_samples() -> Samples {
        vec![
            ("privileged", json!(false)),
            ("readonlyRootFilesystem", json!(true)),
            ("dockerLabels", json!({"team": "web"})),
            (
                "ulimits",
                json!([{"name": "nofile", "softLimit": 1, "hardLimit": 2}]),
            ),
            ("logConfiguration", json!({"logDriver": "awslogs"})),
            ("healthCheck", json!({"command": ["CMD", "true"]})),
            (
                "extraHosts",
                json!([{"hostname": "h", "ipAddress": "10.0.0.1"}]),
            ),
            ("dnsServers", json!(["10.0.0.2"])),
            ("dnsSearchDomains", json!(["example.com"])),
            ("linuxParameters", json!({"initProcessEnabled": true})),
            (
                "dependsOn",
                json!([{"containerName": "b", "condition": "START"}]),
            ),
            (
                "repositoryCredentials",
                json!({"credentialsParameter": "arn:aws:sm:x"}),
            ),
            ("stopTimeout", json!(30)),
            ("startTimeout", json!(60)),
            ("systemControls", json!([])),
            ("interactive", json!(true)),
            ("pseudoTerminal", json!(false)),
            ("dockerSecurityOptions", json!([])),
            ("disableNetworking", json!(false)),
            ("resourceRequirements", json!([])),
            ("firelensConfiguration", json!({"type": "fluentbit"})),
            ("environmentFiles", json!([])),
            ("restartPolicy", json!({"enabled": true})),
            ("credentialSpecs", json!([])),
            ("versionConsistency", json!("enabled")),
            ("ports", json!(["80:8080"])),
            ("build", json!(".")),
            ("container_name", json!("a")),
            ("restart", json!("always")),
        ]
    }

    /// A valid value for every key of [`support::V1_TOP`].
    fn v1_top_samples() -> Samples {
        vec![
            ("AWSEBDockerrunVersion", json!("1")),
            ("Image", json!({"Name": "x"})),
            ("Ports", json!([{"ContainerPort": "80"}])),
            (
                "Volumes",
                json!([{"HostDirectory": "/h", "ContainerDirectory": "/c"}]),
            ),
            ("Logging", json!("/var/log/app")),
            ("Command", json!("run --fast")),
            ("Entrypoint", json!("/bin/sh -c")),
            ("Authentication", json!({"Bucket": "b", "Key": "k"})),
        ]
    }

    /// A valid value for every key of [`support::V1_IMAGE`].
    fn v1_image_samples() -> Samples {
        vec![("Name", json!("x")), ("Update", json!("true"))]
    }

    /// `base` with `key` set to `val` in the object at path `at`.
    fn with(mut base: Value, at: &[&str], key: &str, val: Value) -> Value {
        let mut obj = &mut base;
        for step in at {
            obj = match step.parse::<usize>() {
                Ok(i) => &mut obj[i],
                Err(_) => &mut obj[*step],
            };
        }
        obj.as_object_mut().unwrap().insert(key.to_string(), val);
        base
    }

    /// The JSON pointers of the unknown-key findings for `doc`, which must parse.
    fn unknown_keys(doc: &Value) -> Vec<String> {
        let (_, findings) = parse("f", doc).unwrap_or_else(|e| panic!("{doc} refused: {e:?}"));
        findings
            .iter()
            .filter(|f| f.code == "DOCKERRUN-UNKNOWN-KEY")
            .map(|f| f.source.location.clone())
            .collect()
    }

    /// A support table, a valid value for each of its keys, a document to put them in, and the
    /// path of the object that holds them.
    type Case<'a> = (&'a [KeySpec], Samples, &'a Value, &'a [&'a str]);
    type Samples = Vec<(&'static str, Value)>;

    #[test]
    fn every_support_table_key_reaches_the_parser() {
        let v2 = json!({"AWSEBDockerrunVersion": 2, "containerDefinitions": [{"name": "a", "image": "x"}]});
        let v1 = json!({"AWSEBDockerrunVersion": 1, "Image": {"Name": "x"}});
        let cases: [Case; 4] = [
            (support::V2_TOP, v2_top_samples(), &v2, &[]),
            (
                support::V2_CONTAINER,
                v2_container_samples(),
                &v2,
                &["containerDefinitions", "0"],
            ),
            (support::V1_TOP, v1_top_samples(), &v1, &[]),
            (support::V1_IMAGE, v1_image_samples(), &v1, &["Image"]),
        ];
        for (table, samples, base, at) in cases {
            let pointer = |key: &str| format!("/{}", [at, &[key]].concat().join("/"));
            for spec in table {
                assert!(
                    samples.iter().any(|(k, _)| *k == spec.key),
                    "no sample value for table key `{}`",
                    spec.key
                );
            }
            for (key, val) in samples {
                let doc = with(base.clone(), at, key, val);
                let unknown = unknown_keys(&doc);
                assert!(
                    !unknown.contains(&pointer(key)),
                    "table key `{key}` is reported unknown in {doc}"
                );
            }
            let doc = with(base.clone(), at, "colour", json!("blue"));
            assert_eq!(unknown_keys(&doc), vec![pointer("colour")], "in {doc}");
        }
    }
}
