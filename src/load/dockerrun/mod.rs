//! The typed Dockerrun.aws.json (v1 and v2) and its pure parser.
//!
//! The parser turns a JSON value into [`Dockerrun`], normalising the sloppy forms real files use
//! (version as a string, `essential` as `"true"`, environment as a map, compose keys) with a
//! finding for each, and refusing what cannot be made sense of with an [`InputError`] located by
//! JSON pointer. It does no I/O.

use crate::ecs;
use crate::error::InputError;
use crate::finding::{Finding, Severity, Source};
use crate::support::{self, Handling};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

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

struct Parser {
    file: String,
    findings: Vec<Finding>,
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Escape a key for use in a JSON pointer (RFC 6901).
pub fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn ptr(base: &str, key: &str) -> String {
    format!("{base}/{}", escape_pointer(key))
}

fn idx(base: &str, i: usize) -> String {
    format!("{base}/{i}")
}

impl Parser {
    fn source(&self, pointer: &str) -> Source {
        Source::new(self.file.clone(), pointer)
    }

    fn finding(
        &mut self,
        code: &'static str,
        severity: Severity,
        pointer: &str,
        message: impl Into<String>,
        action: impl Into<String>,
    ) {
        let f = Finding::new(code, severity, self.source(pointer), message, action);
        self.findings.push(f);
    }

    fn version(&mut self, top: &Map<String, Value>) -> Result<Version, InputError> {
        let looks_v2 = top.contains_key("containerDefinitions") && !top.contains_key("Image");
        let looks_v1 = top.contains_key("Image") || top.contains_key("Ports");
        let shape = if looks_v2 {
            Version::V2
        } else if looks_v1 || !top.contains_key("containerDefinitions") {
            Version::V1
        } else {
            Version::V2
        };
        let pointer = "/AWSEBDockerrunVersion";
        let declared = match top.get("AWSEBDockerrunVersion") {
            None => {
                self.finding(
                    "DOCKERRUN-VERSION-MISSING",
                    Severity::Warning,
                    "",
                    format!(
                        "AWSEBDockerrunVersion is missing; the file has the shape of version {}",
                        if shape == Version::V1 { 1 } else { 2 }
                    ),
                    "Check that the containers below are what EB ran.",
                );
                return Ok(shape);
            }
            Some(v) => v,
        };
        let (text, is_string) = match declared {
            Value::Number(n) => (n.to_string(), false),
            Value::String(s) => (s.trim().to_string(), true),
            other => {
                return Err(InputError::new(
                    pointer,
                    format!(
                        "AWSEBDockerrunVersion must be 1 or 2, found {}",
                        kind_of(other)
                    ),
                ))
            }
        };
        let declared_version = match text.as_str() {
            "1" | "1.0" => Some(Version::V1),
            "2" | "2.0" => Some(Version::V2),
            _ => None,
        };
        match declared_version {
            Some(v) if v == shape => {
                if is_string && v == Version::V2 {
                    self.finding(
                        "DOCKERRUN-VERSION-STRING",
                        Severity::Info,
                        pointer,
                        "AWSEBDockerrunVersion is the string \"2\"; EB documents the number 2",
                        "Nothing to do: read as version 2.",
                    );
                }
                Ok(v)
            }
            Some(v) => {
                self.finding(
                    "DOCKERRUN-VERSION-SHAPE",
                    Severity::Warning,
                    pointer,
                    format!(
                        "AWSEBDockerrunVersion says {text} but the file has the shape of version {}; read it by its shape",
                        if shape == Version::V1 { 1 } else { 2 }
                    ),
                    "Check that the containers below are what EB ran.",
                );
                let _ = v;
                Ok(shape)
            }
            None => {
                self.finding(
                    "DOCKERRUN-VERSION-UNKNOWN",
                    Severity::Warning,
                    pointer,
                    format!(
                        "AWSEBDockerrunVersion {text} is not a version EB knows (1 or 2); the file has the shape of version {}",
                        if shape == Version::V1 { 1 } else { 2 }
                    ),
                    "Check that the containers below are what EB ran.",
                );
                Ok(shape)
            }
        }
    }

    fn unknown_key(&mut self, pointer: &str, key: &str, what: &str) {
        self.finding(
            "DOCKERRUN-UNKNOWN-KEY",
            Severity::Warning,
            &ptr(pointer, key),
            format!("unknown {what} key `{key}` is not carried over"),
            "Check whether it mattered to the application; if it did, add the equivalent by hand.",
        );
    }

    // ---- v2 ----

    fn v2(&mut self, top: &Map<String, Value>) -> Result<Dockerrun, InputError> {
        for key in top.keys() {
            if support::lookup(support::V2_TOP, key).is_none() {
                self.unknown_key("", key, "top-level");
            }
        }
        let family = opt_string(top, "", "family")?.filter(|s| !s.trim().is_empty());
        let execution_role_arn = opt_string(top, "", "executionRoleArn")?;
        let task_role_arn = opt_string(top, "", "taskRoleArn")?;
        let authentication = match top.get("authentication") {
            Some(v) => Some(self.authentication(v, "/authentication", "bucket", "key")?),
            None => None,
        };
        let mut volumes = Vec::new();
        if let Some(v) = top.get("volumes") {
            let arr = v.as_array().ok_or_else(|| {
                InputError::new(
                    "/volumes",
                    format!("volumes must be an array, found {}", kind_of(v)),
                )
            })?;
            for (i, vol) in arr.iter().enumerate() {
                volumes.push(self.v2_volume(vol, &idx("/volumes", i))?);
            }
        }
        let defs = match top.get("containerDefinitions") {
            Some(Value::Array(a)) => a,
            Some(other) => {
                return Err(InputError::new(
                    "/containerDefinitions",
                    format!(
                        "containerDefinitions must be an array, found {}",
                        kind_of(other)
                    ),
                ))
            }
            None => {
                return Err(InputError::new(
                    "",
                    "a version 2 Dockerrun needs containerDefinitions",
                ))
            }
        };
        if defs.is_empty() {
            return Err(InputError::new(
                "/containerDefinitions",
                "containerDefinitions is empty: there is nothing to run",
            ));
        }
        let mut containers: Vec<EbContainer> = Vec::new();
        for (i, def) in defs.iter().enumerate() {
            let c = self.v2_container(def, &idx("/containerDefinitions", i))?;
            if let Some(prev) = containers.iter().find(|p| p.name == c.name) {
                return Err(InputError::new(
                    ptr(&c.pointer, "name"),
                    format!(
                        "two containers are named `{}` (the other is at {}); container names must be unique",
                        c.name, prev.pointer
                    ),
                ));
            }
            containers.push(c);
        }
        Ok(Dockerrun {
            file: self.file.clone(),
            version: Version::V2,
            family,
            execution_role_arn,
            task_role_arn,
            authentication,
            volumes,
            containers,
            logging: None,
        })
    }

    fn authentication(
        &mut self,
        v: &Value,
        pointer: &str,
        bucket_key: &str,
        key_key: &str,
    ) -> Result<Authentication, InputError> {
        let obj = v.as_object().ok_or_else(|| {
            InputError::new(
                pointer,
                format!("authentication must be an object, found {}", kind_of(v)),
            )
        })?;
        let mut bucket = None;
        let mut key = None;
        for (k, val) in obj {
            let lower = k.to_ascii_lowercase();
            let slot = if lower == "bucket" {
                &mut bucket
            } else if lower == "key" {
                &mut key
            } else {
                self.unknown_key(pointer, k, "authentication");
                continue;
            };
            if k != bucket_key && k != key_key {
                self.finding(
                    "DOCKERRUN-KEY-CASE",
                    Severity::Info,
                    &ptr(pointer, k),
                    format!(
                        "`{k}` read as `{}`",
                        if lower == "bucket" {
                            bucket_key
                        } else {
                            key_key
                        }
                    ),
                    "Nothing to do.",
                );
            }
            let s = val.as_str().ok_or_else(|| {
                InputError::new(
                    ptr(pointer, k),
                    format!("{k} must be a string, found {}", kind_of(val)),
                )
            })?;
            *slot = Some(s.to_string());
        }
        match (bucket, key) {
            (Some(bucket), Some(key)) => Ok(Authentication {
                bucket,
                key,
                pointer: pointer.to_string(),
            }),
            _ => Err(InputError::new(
                pointer,
                "authentication needs both a bucket and a key (the S3 location of the dockercfg file)",
            )),
        }
    }

    fn v2_volume(&mut self, v: &Value, pointer: &str) -> Result<EbVolume, InputError> {
        let obj = v.as_object().ok_or_else(|| {
            InputError::new(
                pointer,
                format!("a volume must be an object, found {}", kind_of(v)),
            )
        })?;
        let name = req_string(obj, pointer, "name")?;
        let mut source_path = None;
        for (k, val) in obj {
            match k.as_str() {
                "name" => {}
                "host" => {
                    let hp = ptr(pointer, "host");
                    let host = val.as_object().ok_or_else(|| {
                        InputError::new(
                            &hp,
                            format!("host must be an object, found {}", kind_of(val)),
                        )
                    })?;
                    for hk in host.keys() {
                        if hk != "sourcePath" {
                            self.unknown_key(&hp, hk, "volume host");
                        }
                    }
                    source_path = opt_string(host, &hp, "sourcePath")?;
                }
                _ => self.unknown_key(pointer, k, "volume"),
            }
        }
        Ok(EbVolume {
            name,
            source_path,
            pointer: pointer.to_string(),
        })
    }

    fn v2_container(&mut self, v: &Value, pointer: &str) -> Result<EbContainer, InputError> {
        let obj = v.as_object().ok_or_else(|| {
            InputError::new(
                pointer,
                format!(
                    "a container definition must be an object, found {}",
                    kind_of(v)
                ),
            )
        })?;
        let image = opt_string(obj, pointer, "image")?;
        let name = match opt_string(obj, pointer, "name")? {
            Some(n) if !n.trim().is_empty() => n,
            _ => match &image {
                Some(img) => {
                    let n = name_from_image(img);
                    self.finding(
                        "DOCKERRUN-NAME-MISSING",
                        Severity::Warning,
                        pointer,
                        format!("container has no name; named `{n}` after its image"),
                        "Give the container a name in the Dockerrun or keep this one.",
                    );
                    n
                }
                None => {
                    return Err(InputError::new(
                        pointer,
                        "container has neither a name nor an image: there is nothing to run",
                    ))
                }
            },
        };
        let mut c = EbContainer {
            pointer: pointer.to_string(),
            image_pointer: ptr(pointer, "image"),
            name,
            image,
            essential: true,
            original: v.clone(),
            ..EbContainer::default()
        };
        for (key, val) in obj {
            let kp = ptr(pointer, key);
            match key.as_str() {
                "name" | "image" => {}
                "essential" => c.essential = self.boolish(val, &kp, "essential")?,
                "memory" => c.memory = Some(self.number(val, &kp, "memory", true)?),
                "memoryReservation" => {
                    c.memory_reservation = Some(self.number(val, &kp, "memoryReservation", true)?)
                }
                "cpu" => c.cpu = Some(self.number(val, &kp, "cpu", true)?),
                "portMappings" => c.port_mappings = self.port_mappings(val, &kp)?,
                "ports" => {
                    c.port_mappings.extend(self.compose_ports(val, &kp)?);
                }
                "links" => c.links = self.links(val, &kp)?,
                "mountPoints" => c.mount_points = self.mount_points(val, &kp)?,
                "volumesFrom" => {
                    let list: Vec<ecs::VolumeFrom> = typed(val, &kp)?;
                    c.volumes_from = list
                        .into_iter()
                        .enumerate()
                        .map(|(i, vf)| (vf, idx(&kp, i)))
                        .collect();
                }
                "environment" => c.environment = self.environment(val, &kp)?,
                "secrets" => c.secrets = typed(val, &kp)?,
                "command" => c.command = Some(self.command(val, &kp, "command")?),
                "entryPoint" => c.entry_point = Some(self.command(val, &kp, "entryPoint")?),
                "workingDirectory" => c.working_directory = Some(string(val, &kp, key)?),
                "user" => c.user = Some(string(val, &kp, key)?),
                "hostname" => c.hostname = Some(string(val, &kp, key)?),
                "privileged" => c.privileged = Some(self.boolish(val, &kp, key)?),
                "readonlyRootFilesystem" => {
                    c.readonly_root_filesystem = Some(self.boolish(val, &kp, key)?)
                }
                "dockerLabels" => c.docker_labels = typed(val, &kp)?,
                "ulimits" => c.ulimits = typed(val, &kp)?,
                "logConfiguration" => c.log_configuration = Some(typed(val, &kp)?),
                "healthCheck" => c.health_check = Some(typed(val, &kp)?),
                "extraHosts" => c.extra_hosts = typed(val, &kp)?,
                "dnsServers" => c.dns_servers = typed(val, &kp)?,
                "dnsSearchDomains" => c.dns_search_domains = typed(val, &kp)?,
                "linuxParameters" => c.linux_parameters = Some(typed(val, &kp)?),
                "dependsOn" => c.depends_on = typed(val, &kp)?,
                "repositoryCredentials" => c.repository_credentials = Some(typed(val, &kp)?),
                "stopTimeout" => c.stop_timeout = Some(self.number(val, &kp, key, false)?),
                "startTimeout" => c.start_timeout = Some(self.number(val, &kp, key, false)?),
                "build" => {
                    self.finding(
                        "DOCKERRUN-COMPOSE-BUILD",
                        Severity::Info,
                        &kp,
                        "docker-compose `build` key: ECS runs images, it cannot build them",
                        "See the finding on the image.",
                    );
                }
                "container_name" | "restart" => {
                    self.finding(
                        "DOCKERRUN-COMPOSE-KEY",
                        Severity::Info,
                        &kp,
                        format!(
                            "docker-compose key `{key}` is not an ECS key and is not carried over"
                        ),
                        if key == "restart" {
                            "Nothing to do: the ECS service replaces stopped tasks."
                        } else {
                            "Nothing to do: the container keeps its `name`."
                        },
                    );
                }
                _ => match support::lookup(support::V2_CONTAINER, key) {
                    Some(spec) => match spec.handling {
                        Handling::Passthrough(kind) => {
                            if !kind.matches(val) {
                                return Err(InputError::new(
                                    kp,
                                    format!(
                                        "{key} must be {}, found {}",
                                        kind.name(),
                                        kind_of(val)
                                    ),
                                ));
                            }
                            c.other.insert(key.clone(), val.clone());
                        }
                        _ => {
                            return Err(InputError::new(
                                kp,
                                format!("internal: key `{key}` is in the table but not handled"),
                            ))
                        }
                    },
                    None => self.unknown_key(pointer, key, "container"),
                },
            }
        }
        if c.image.is_none() {
            let built = obj.contains_key("build");
            self.finding(
                "IMAGE-MISSING",
                Severity::Blocker,
                pointer,
                if built {
                    format!("container `{}` is built from source (compose `build`); ECS needs an image", c.name)
                } else {
                    format!("container `{}` has no image", c.name)
                },
                "Build the image, push it to an ECR repository and put its URI in the task definition (the placeholder image is there to be replaced).",
            );
        }
        Ok(c)
    }

    fn boolish(&mut self, v: &Value, pointer: &str, key: &str) -> Result<bool, InputError> {
        match v {
            Value::Bool(b) => Ok(*b),
            Value::String(s) => {
                let b = match s.trim().to_ascii_lowercase().as_str() {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(InputError::new(
                            pointer,
                            format!("{key} must be true or false, found the string {s:?}"),
                        ))
                    }
                };
                self.finding(
                    "DOCKERRUN-BOOL-STRING",
                    Severity::Info,
                    pointer,
                    format!("{key} is the string {s:?}; read as {b}"),
                    "Nothing to do.",
                );
                Ok(b)
            }
            other => Err(InputError::new(
                pointer,
                format!("{key} must be true or false, found {}", kind_of(other)),
            )),
        }
    }

    /// A non-negative integer, accepting a numeric string with a finding when `lenient_string`.
    fn number(
        &mut self,
        v: &Value,
        pointer: &str,
        key: &str,
        lenient_string: bool,
    ) -> Result<u32, InputError> {
        match v {
            Value::Number(n) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| {
                    InputError::new(
                        pointer,
                        format!("{key} must be a whole number ≥ 0, found {n}"),
                    )
                }),
            Value::String(s) if lenient_string => match s.trim().parse::<u32>() {
                Ok(n) => {
                    self.finding(
                        "DOCKERRUN-NUMBER-STRING",
                        Severity::Info,
                        pointer,
                        format!("{key} is the string {s:?}; read as {n}"),
                        "Nothing to do.",
                    );
                    Ok(n)
                }
                Err(_) => Err(InputError::new(
                    pointer,
                    format!("{key} must be a whole number, found the string {s:?}"),
                )),
            },
            other => Err(InputError::new(
                pointer,
                format!("{key} must be a whole number, found {}", kind_of(other)),
            )),
        }
    }

    /// A port, or `None` for a template placeholder (a blocker finding says so).
    fn port_or_placeholder(
        &mut self,
        v: &Value,
        pointer: &str,
        key: &str,
        allow_zero: bool,
    ) -> Result<Option<u16>, InputError> {
        if let Value::String(s) = v {
            if crate::detect::placeholder_reason(s).is_some() || s.contains('%') {
                self.finding(
                    "PORT-PLACEHOLDER",
                    Severity::Blocker,
                    pointer,
                    format!("{key} is the template placeholder {s:?}; this port mapping was left out"),
                    "Put the real port number in the Dockerrun and run eb2ecs again (until then no load balancer reaches this port).",
                );
                return Ok(None);
            }
        }
        port(v, pointer, key, allow_zero).map(Some)
    }

    fn port_mappings(&mut self, v: &Value, pointer: &str) -> Result<Vec<EbPort>, InputError> {
        let arr = v.as_array().ok_or_else(|| {
            InputError::new(
                pointer,
                format!("portMappings must be an array, found {}", kind_of(v)),
            )
        })?;
        let mut out = Vec::new();
        for (i, pm) in arr.iter().enumerate() {
            let pp = idx(pointer, i);
            let obj = pm.as_object().ok_or_else(|| {
                InputError::new(
                    &pp,
                    format!("a port mapping must be an object, found {}", kind_of(pm)),
                )
            })?;
            let mut container_port = None;
            let mut host_port = None;
            let mut placeholder = false;
            let mut protocol = "tcp".to_string();
            for (k, val) in obj {
                let kp = ptr(&pp, k);
                match k.as_str() {
                    "containerPort" => match self.port_or_placeholder(val, &kp, k, false)? {
                        Some(p) => container_port = Some(p),
                        None => placeholder = true,
                    },
                    "hostPort" => host_port = self.port_or_placeholder(val, &kp, k, true)?,
                    "protocol" => {
                        let p = string(val, &kp, k)?.to_ascii_lowercase();
                        if p != "tcp" && p != "udp" {
                            return Err(InputError::new(
                                kp,
                                format!("protocol must be tcp or udp, found {p:?}"),
                            ));
                        }
                        protocol = p;
                    }
                    _ => self.unknown_key(&pp, k, "port mapping"),
                }
            }
            if placeholder {
                continue;
            }
            let container_port = container_port
                .ok_or_else(|| InputError::new(&pp, "port mapping has no containerPort"))?;
            out.push(EbPort {
                container_port,
                host_port: host_port.filter(|p| *p != 0),
                protocol,
                pointer: pp,
            });
        }
        Ok(out)
    }

    fn compose_ports(&mut self, v: &Value, pointer: &str) -> Result<Vec<EbPort>, InputError> {
        let arr = v.as_array().ok_or_else(|| {
            InputError::new(
                pointer,
                format!("ports must be an array, found {}", kind_of(v)),
            )
        })?;
        let mut out = Vec::new();
        for (i, item) in arr.iter().enumerate() {
            let pp = idx(pointer, i);
            let text = match item {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                other => {
                    return Err(InputError::new(
                        pp,
                        format!(
                            "a port must be \"HOST:CONTAINER\", found {}",
                            kind_of(other)
                        ),
                    ))
                }
            };
            let (spec, protocol) = match text.split_once('/') {
                Some((s, p)) => (s.to_string(), p.to_ascii_lowercase()),
                None => (text.clone(), "tcp".to_string()),
            };
            let parts: Vec<&str> = spec.split(':').collect();
            let parse = |s: &str| -> Result<u16, InputError> {
                s.trim()
                    .parse::<u16>()
                    .ok()
                    .filter(|p| *p > 0)
                    .ok_or_else(|| {
                        InputError::new(
                            &pp,
                            format!("{text:?} is not a port mapping (\"HOST:CONTAINER\")"),
                        )
                    })
            };
            let (host, container) = match parts.as_slice() {
                [c] => (None, parse(c)?),
                [h, c] => (Some(parse(h)?), parse(c)?),
                [_ip, h, c] => (Some(parse(h)?), parse(c)?),
                _ => {
                    return Err(InputError::new(
                        &pp,
                        format!("{text:?} is not a port mapping (\"HOST:CONTAINER\")"),
                    ))
                }
            };
            out.push(EbPort {
                container_port: container,
                host_port: host,
                protocol,
                pointer: pp,
            });
        }
        self.finding(
            "DOCKERRUN-COMPOSE-PORTS",
            Severity::Info,
            pointer,
            "docker-compose `ports` strings read as portMappings",
            "Nothing to do; use portMappings in future Dockerrun files.",
        );
        Ok(out)
    }

    fn links(&mut self, v: &Value, pointer: &str) -> Result<Vec<EbLink>, InputError> {
        let list: Vec<String> = typed(v, pointer)?;
        Ok(list
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                let (target, alias) = match l.split_once(':') {
                    Some((t, a)) => (t.trim().to_string(), Some(a.trim().to_string())),
                    None => (l.trim().to_string(), None),
                };
                EbLink {
                    target,
                    alias,
                    pointer: idx(pointer, i),
                }
            })
            .collect())
    }

    fn mount_points(&mut self, v: &Value, pointer: &str) -> Result<Vec<EbMount>, InputError> {
        let arr = v.as_array().ok_or_else(|| {
            InputError::new(
                pointer,
                format!("mountPoints must be an array, found {}", kind_of(v)),
            )
        })?;
        let mut out = Vec::new();
        for (i, m) in arr.iter().enumerate() {
            let mp = idx(pointer, i);
            let obj = m.as_object().ok_or_else(|| {
                InputError::new(
                    &mp,
                    format!("a mount point must be an object, found {}", kind_of(m)),
                )
            })?;
            let mut read_only = None;
            for (k, val) in obj {
                match k.as_str() {
                    "sourceVolume" | "containerPath" => {}
                    "readOnly" => read_only = Some(self.boolish(val, &ptr(&mp, k), k)?),
                    _ => self.unknown_key(&mp, k, "mount point"),
                }
            }
            out.push(EbMount {
                source_volume: req_string(obj, &mp, "sourceVolume")?,
                container_path: req_string(obj, &mp, "containerPath")?,
                read_only,
                pointer: mp,
            });
        }
        Ok(out)
    }

    fn environment(&mut self, v: &Value, pointer: &str) -> Result<Vec<EnvVar>, InputError> {
        let mut raw: Vec<EnvVar> = Vec::new();
        match v {
            Value::Object(map) => {
                self.finding(
                    "DOCKERRUN-ENV-MAP",
                    Severity::Info,
                    pointer,
                    "environment is a map; read as name/value pairs",
                    "Nothing to do.",
                );
                for (k, val) in map {
                    let kp = ptr(pointer, k);
                    let value = self.env_value(val, &kp, k)?;
                    raw.push(EnvVar {
                        name: k.clone(),
                        value,
                        pointer: kp,
                        origin: None,
                    });
                }
            }
            Value::Array(arr) => {
                let mut kv_strings = false;
                for (i, item) in arr.iter().enumerate() {
                    let ip = idx(pointer, i);
                    match item {
                        Value::Object(obj) => {
                            let name = req_string(obj, &ip, "name")?;
                            let value = match obj.get("value") {
                                Some(val) => self.env_value(val, &ptr(&ip, "value"), &name)?,
                                None => String::new(),
                            };
                            for k in obj.keys() {
                                if k != "name" && k != "value" {
                                    self.unknown_key(&ip, k, "environment entry");
                                }
                            }
                            raw.push(EnvVar {
                                name,
                                value,
                                pointer: ip,
                                origin: None,
                            });
                        }
                        Value::String(s) => match s.split_once('=') {
                            Some((n, val)) => {
                                kv_strings = true;
                                raw.push(EnvVar {
                                    name: n.to_string(),
                                    value: val.to_string(),
                                    pointer: ip,
                                    origin: None,
                                });
                            }
                            None => {
                                self.finding(
                                    "DOCKERRUN-ENV-NO-VALUE",
                                    Severity::Warning,
                                    &ip,
                                    format!("environment entry `{s}` has no value (Docker would copy it from the host, ECS cannot)"),
                                    format!("Set `{s}` with a value in the task definition, or as an EB environment property."),
                                );
                            }
                        },
                        other => {
                            return Err(InputError::new(
                                ip,
                                format!("an environment entry must be {{\"name\", \"value\"}} or \"NAME=value\", found {}", kind_of(other)),
                            ))
                        }
                    }
                }
                if kv_strings {
                    self.finding(
                        "DOCKERRUN-ENV-STRINGS",
                        Severity::Info,
                        pointer,
                        "environment given as \"NAME=value\" strings; read as name/value pairs",
                        "Nothing to do.",
                    );
                }
            }
            other => {
                return Err(InputError::new(
                    pointer,
                    format!(
                        "environment must be an array or a map, found {}",
                        kind_of(other)
                    ),
                ))
            }
        }
        // Resolve duplicates: the last definition wins, as in Docker.
        let mut out: Vec<EnvVar> = Vec::new();
        for var in raw {
            if let Some(pos) = out.iter().position(|e| e.name == var.name) {
                let prev = out.remove(pos);
                self.finding(
                    "DOCKERRUN-ENV-DUPLICATE",
                    Severity::Warning,
                    &var.pointer,
                    format!(
                        "`{}` is defined twice (also at {}); the last one wins",
                        var.name, prev.pointer
                    ),
                    "Remove the duplicate.",
                );
            }
            out.push(var);
        }
        Ok(out)
    }

    fn env_value(&mut self, v: &Value, pointer: &str, name: &str) -> Result<String, InputError> {
        match v {
            Value::String(s) => Ok(s.clone()),
            Value::Number(_) | Value::Bool(_) => {
                self.finding(
                    "DOCKERRUN-ENV-NOT-STRING",
                    Severity::Info,
                    pointer,
                    format!("value of `{name}` is {}; written as a string", kind_of(v)),
                    "Nothing to do.",
                );
                Ok(v.to_string())
            }
            Value::Null => Ok(String::new()),
            other => Err(InputError::new(
                pointer,
                format!(
                    "value of `{name}` must be a string, found {}",
                    kind_of(other)
                ),
            )),
        }
    }

    fn command(&mut self, v: &Value, pointer: &str, key: &str) -> Result<Vec<String>, InputError> {
        match v {
            Value::String(s) => {
                let words = shell_words::split(s).map_err(|e| {
                    InputError::new(
                        pointer,
                        format!("{key} cannot be split like a shell command: {e}"),
                    )
                })?;
                self.finding(
                    "DOCKERRUN-COMMAND-STRING",
                    Severity::Info,
                    pointer,
                    format!(
                        "{key} is a single string; split like a shell into {} words",
                        words.len()
                    ),
                    format!("Check the {key} in the task definition."),
                );
                Ok(words)
            }
            _ => typed(v, pointer),
        }
    }

    // ---- v1 ----

    fn v1(&mut self, top: &Map<String, Value>) -> Result<Dockerrun, InputError> {
        let mut c = EbContainer {
            pointer: String::new(),
            image_pointer: "/Image/Name".to_string(),
            name: "app".to_string(),
            essential: true,
            original: Value::Object(top.clone()),
            ..EbContainer::default()
        };
        let mut volumes = Vec::new();
        let mut authentication = None;
        let mut logging = None;
        for (key, val) in top {
            let kp = ptr("", key);
            match key.as_str() {
                "AWSEBDockerrunVersion" => {}
                "Image" => {
                    let obj = val.as_object().ok_or_else(|| {
                        InputError::new(
                            &kp,
                            format!("Image must be an object with Name, found {}", kind_of(val)),
                        )
                    })?;
                    for (ik, iv) in obj {
                        let ip = ptr(&kp, ik);
                        match ik.as_str() {
                            "Name" => c.image = Some(string(iv, &ip, "Image.Name")?),
                            "Update" => {
                                if !self.boolish_quiet(iv, &ip, "Image.Update")? {
                                    self.finding(
                                        "V1-IMAGE-UPDATE-FALSE",
                                        Severity::Info,
                                        &ip,
                                        "Image.Update is false: EB reused a cached image; ECS pulls the image whenever a task starts",
                                        "Pin the image to a tag or digest if you relied on the cached image.",
                                    );
                                }
                            }
                            _ => self.unknown_key(&kp, ik, "Image"),
                        }
                    }
                }
                "Ports" => {
                    let arr = val.as_array().ok_or_else(|| {
                        InputError::new(
                            &kp,
                            format!("Ports must be an array, found {}", kind_of(val)),
                        )
                    })?;
                    for (i, p) in arr.iter().enumerate() {
                        let pp = idx(&kp, i);
                        let obj = p.as_object().ok_or_else(|| {
                            InputError::new(
                                &pp,
                                format!(
                                    "a port must be an object with ContainerPort, found {}",
                                    kind_of(p)
                                ),
                            )
                        })?;
                        let mut container_port = None;
                        let mut host_port = None;
                        let mut placeholder = false;
                        for (pk, pv) in obj {
                            let ppk = ptr(&pp, pk);
                            match pk.as_str() {
                                "ContainerPort" => {
                                    match self.port_or_placeholder(pv, &ppk, pk, false)? {
                                        Some(p) => container_port = Some(p),
                                        None => placeholder = true,
                                    }
                                }
                                "HostPort" => {
                                    host_port = self.port_or_placeholder(pv, &ppk, pk, true)?
                                }
                                _ => self.unknown_key(&pp, pk, "port"),
                            }
                        }
                        if placeholder {
                            continue;
                        }
                        let container_port = container_port
                            .ok_or_else(|| InputError::new(&pp, "port has no ContainerPort"))?;
                        c.port_mappings.push(EbPort {
                            container_port,
                            host_port: host_port.filter(|p| *p != 0),
                            protocol: "tcp".to_string(),
                            pointer: pp,
                        });
                    }
                }
                "Volumes" => {
                    let arr = val.as_array().ok_or_else(|| {
                        InputError::new(
                            &kp,
                            format!("Volumes must be an array, found {}", kind_of(val)),
                        )
                    })?;
                    for (i, vol) in arr.iter().enumerate() {
                        let vp = idx(&kp, i);
                        let obj = vol.as_object().ok_or_else(|| {
                            InputError::new(
                                &vp,
                                format!("a volume must be an object, found {}", kind_of(vol)),
                            )
                        })?;
                        for vk in obj.keys() {
                            if vk != "HostDirectory" && vk != "ContainerDirectory" {
                                self.unknown_key(&vp, vk, "volume");
                            }
                        }
                        let host = req_string(obj, &vp, "HostDirectory")?;
                        let container_path = req_string(obj, &vp, "ContainerDirectory")?;
                        let name = format!("volume-{}", i + 1);
                        volumes.push(EbVolume {
                            name: name.clone(),
                            source_path: Some(host),
                            pointer: vp.clone(),
                        });
                        c.mount_points.push(EbMount {
                            source_volume: name,
                            container_path,
                            read_only: None,
                            pointer: vp,
                        });
                    }
                }
                "Logging" => logging = Some(string(val, &kp, key)?),
                "Command" => c.command = Some(self.v1_command(val, &kp, key)?),
                "Entrypoint" => c.entry_point = Some(self.v1_command(val, &kp, key)?),
                "Authentication" => {
                    authentication = Some(self.authentication(val, &kp, "Bucket", "Key")?)
                }
                _ => self.unknown_key("", key, "top-level (version 1)"),
            }
        }
        if c.image.is_none() {
            self.finding(
                "IMAGE-FROM-DOCKERFILE",
                Severity::Blocker,
                "",
                "no Image: EB built this application from its Dockerfile on every deployment; ECS runs a prebuilt image",
                "Build the Dockerfile, push the image to an ECR repository and put its URI in the task definition (the placeholder image is there to be replaced).",
            );
        }
        Ok(Dockerrun {
            file: self.file.clone(),
            version: Version::V1,
            family: None,
            execution_role_arn: None,
            task_role_arn: None,
            authentication,
            volumes,
            containers: vec![c],
            logging,
        })
    }

    fn boolish_quiet(&mut self, v: &Value, pointer: &str, key: &str) -> Result<bool, InputError> {
        match v {
            Value::Bool(b) => Ok(*b),
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(InputError::new(
                    pointer,
                    format!("{key} must be \"true\" or \"false\", found {s:?}"),
                )),
            },
            other => Err(InputError::new(
                pointer,
                format!(
                    "{key} must be \"true\" or \"false\", found {}",
                    kind_of(other)
                ),
            )),
        }
    }

    fn v1_command(
        &mut self,
        v: &Value,
        pointer: &str,
        key: &str,
    ) -> Result<Vec<String>, InputError> {
        match v {
            Value::String(s) => shell_words::split(s).map_err(|e| {
                InputError::new(
                    pointer,
                    format!("{key} cannot be split like a shell command: {e}"),
                )
            }),
            _ => typed(v, pointer),
        }
    }
}

fn port(v: &Value, pointer: &str, key: &str, allow_zero: bool) -> Result<u16, InputError> {
    let n: Option<u64> = match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    let shown = match v {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    };
    match n {
        Some(0) if allow_zero => Ok(0),
        Some(n) if (1..=65535).contains(&n) => Ok(n as u16),
        _ => Err(InputError::new(
            pointer,
            format!("{key} must be a port number from 1 to 65535, found {shown}"),
        )),
    }
}

fn string(v: &Value, pointer: &str, key: &str) -> Result<String, InputError> {
    v.as_str().map(str::to_string).ok_or_else(|| {
        InputError::new(
            pointer,
            format!("{key} must be a string, found {}", kind_of(v)),
        )
    })
}

fn opt_string(
    obj: &Map<String, Value>,
    base: &str,
    key: &str,
) -> Result<Option<String>, InputError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => string(v, &ptr(base, key), key).map(Some),
    }
}

fn req_string(obj: &Map<String, Value>, base: &str, key: &str) -> Result<String, InputError> {
    opt_string(obj, base, key)?
        .ok_or_else(|| InputError::new(base, format!("`{key}` is required here")))
}

/// Deserialise an ECS-shaped value, reporting the exact field that does not fit.
fn typed<T: DeserializeOwned>(v: &Value, pointer: &str) -> Result<T, InputError> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let mut p = pointer.to_string();
        for seg in e.path().iter() {
            match seg {
                serde_path_to_error::Segment::Seq { index } => p.push_str(&format!("/{index}")),
                serde_path_to_error::Segment::Map { key } => {
                    p.push_str(&format!("/{}", escape_pointer(key)))
                }
                serde_path_to_error::Segment::Enum { .. }
                | serde_path_to_error::Segment::Unknown => {}
            }
        }
        InputError::new(p, e.into_inner().to_string())
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn codes(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| f.code).collect()
    }

    #[test]
    fn v2_sloppy_values_are_normalised_with_findings() {
        let doc = json!({
            "AWSEBDockerrunVersion": "2",
            "containerDefinitions": [{
                "name": "web", "image": "nginx", "essential": "true", "memory": "128",
                "environment": {"A": "1", "B": 2},
                "colour": "blue"
            }]
        });
        let (run, findings) = parse("Dockerrun.aws.json", &doc).unwrap();
        let c = &run.containers[0];
        assert!(c.essential);
        assert_eq!(c.memory, Some(128));
        assert_eq!(c.environment.len(), 2);
        assert_eq!(c.environment[1].value, "2");
        assert_eq!(
            codes(&findings),
            vec![
                "DOCKERRUN-VERSION-STRING",
                "DOCKERRUN-BOOL-STRING",
                "DOCKERRUN-NUMBER-STRING",
                "DOCKERRUN-ENV-MAP",
                "DOCKERRUN-ENV-NOT-STRING",
                "DOCKERRUN-UNKNOWN-KEY"
            ]
        );
        assert_eq!(
            findings[5].source.location,
            "/containerDefinitions/0/colour"
        );
    }

    #[test]
    fn env_strings_and_bare_names() {
        let doc = json!({"AWSEBDockerrunVersion": 2, "containerDefinitions": [
            {"name": "a", "image": "x", "environment": ["K=V=W", "BARE"]}]});
        let (run, findings) = parse("f", &doc).unwrap();
        assert_eq!(run.containers[0].environment[0].name, "K");
        assert_eq!(run.containers[0].environment[0].value, "V=W");
        assert_eq!(run.containers[0].environment.len(), 1);
        assert_eq!(
            codes(&findings),
            vec!["DOCKERRUN-ENV-NO-VALUE", "DOCKERRUN-ENV-STRINGS"]
        );
    }

    #[test]
    fn duplicate_container_names_are_refused() {
        let doc = json!({"AWSEBDockerrunVersion": 2, "containerDefinitions": [
            {"name": "a", "image": "x"}, {"name": "a", "image": "y"}]});
        let err = parse("f", &doc).unwrap_err();
        assert_eq!(err.pointer, "/containerDefinitions/1/name");
        assert!(err.message.contains("two containers are named `a`"));
    }

    #[test]
    fn container_without_name_and_image_is_refused() {
        let doc = json!({"AWSEBDockerrunVersion": 2, "containerDefinitions": [{"memory": 5}]});
        let err = parse("f", &doc).unwrap_err();
        assert_eq!(err.pointer, "/containerDefinitions/0");
    }

    #[test]
    fn wrong_type_inside_ecs_field_names_the_field() {
        let doc = json!({"AWSEBDockerrunVersion": 2, "containerDefinitions": [
            {"name": "a", "image": "x", "healthCheck": {"command": ["CMD"], "interval": "often"}}]});
        let err = parse("f", &doc).unwrap_err();
        assert_eq!(err.pointer, "/containerDefinitions/0/healthCheck/interval");
    }

    #[test]
    fn impossible_port_is_refused() {
        let doc = json!({"AWSEBDockerrunVersion": 2, "containerDefinitions": [
            {"name": "a", "image": "x", "portMappings": [{"containerPort": 70000}]}]});
        let err = parse("f", &doc).unwrap_err();
        assert_eq!(
            err.pointer,
            "/containerDefinitions/0/portMappings/0/containerPort"
        );
    }

    #[test]
    fn v1_without_image_is_a_blocker_and_ports_are_read() {
        let doc = json!({"AWSEBDockerrunVersion": "1", "Ports": [{"ContainerPort": "9001"}],
            "Logging": "/var/eb_log", "Command": "run --fast 'a b'"});
        let (run, findings) = parse("f", &doc).unwrap();
        assert_eq!(run.version, Version::V1);
        let c = &run.containers[0];
        assert_eq!(c.image, None);
        assert_eq!(c.port_mappings[0].container_port, 9001);
        assert_eq!(
            c.command.as_deref(),
            Some(&["run".to_string(), "--fast".into(), "a b".into()][..])
        );
        assert_eq!(run.logging.as_deref(), Some("/var/eb_log"));
        assert_eq!(codes(&findings), vec!["IMAGE-FROM-DOCKERFILE"]);
    }

    #[test]
    fn version_is_inferred_from_shape() {
        let doc = json!({"AWSEBDockerrunVersion": 3, "containerDefinitions": [{"name": "a", "image": "x"}]});
        let (run, findings) = parse("f", &doc).unwrap();
        assert_eq!(run.version, Version::V2);
        assert_eq!(codes(&findings), vec!["DOCKERRUN-VERSION-UNKNOWN"]);
    }

    #[test]
    fn compose_ports_become_port_mappings() {
        let doc = json!({"AWSEBDockerrunVersion": "2", "containerDefinitions": [
            {"name": "a", "build": {"context": "."}, "ports": ["80:8080"]}]});
        let (run, findings) = parse("f", &doc).unwrap();
        let p = &run.containers[0].port_mappings[0];
        assert_eq!((p.host_port, p.container_port), (Some(80), 8080));
        assert!(codes(&findings).contains(&"IMAGE-MISSING"));
        assert!(codes(&findings).contains(&"DOCKERRUN-COMPOSE-PORTS"));
    }

    #[test]
    fn name_from_image_strips_registry_and_tag() {
        assert_eq!(
            name_from_image("123.dkr.ecr.us-east-1.amazonaws.com/my-app:1.2"),
            "my-app"
        );
        assert_eq!(name_from_image("redis"), "redis");
    }
}
