//! The reader for version 2 (multi-container) Dockerrun files.
//!
//! This module owns the v2 top level (family, roles, authentication, volumes), each container
//! definition key by key (the keys known being those of [`support::V2_CONTAINER`]), and the v2-only
//! shapes: links, mount points, environment lists and maps, and docker-compose keys (`ports`,
//! `build`, `container_name`, `restart`) that turn up in hand-written files.

use super::values::{
    array, idx, kind_of, opt_string, passthrough, ptr, req_string, string, typed, Documented,
    PortKeys,
};
use super::{
    name_from_image, Dockerrun, EbContainer, EbLink, EbMount, EbPort, EbVolume, EnvVar, Parser,
    Version,
};
use crate::codes;
use crate::error::InputError;
use crate::finding::Severity;
use crate::support;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// How v2 spells a port mapping.
const PORT_KEYS: PortKeys = PortKeys {
    what: "port mapping",
    shape: "an object",
    container: "containerPort",
    host: "hostPort",
    protocol: Some("protocol"),
};

/// The `containerDefinitions` array, which must be there and not be empty.
fn container_definitions(top: &Map<String, Value>) -> Result<&Vec<Value>, InputError> {
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
    Ok(defs)
}

/// The container fields that are ECS types read as they are, with the failing field's pointer;
/// `false` when `key` is not one of them.
fn ecs_field(c: &mut EbContainer, key: &str, val: &Value, kp: &str) -> Result<bool, InputError> {
    match key {
        "volumesFrom" => {
            let list: Vec<crate::ecs::VolumeFrom> = typed(val, kp)?;
            c.volumes_from = list
                .into_iter()
                .enumerate()
                .map(|(i, vf)| (vf, idx(kp, i)))
                .collect();
        }
        "secrets" => c.secrets = typed(val, kp)?,
        "dockerLabels" => c.docker_labels = typed(val, kp)?,
        "ulimits" => c.ulimits = typed(val, kp)?,
        "logConfiguration" => c.log_configuration = Some(typed(val, kp)?),
        "healthCheck" => c.health_check = Some(typed(val, kp)?),
        "extraHosts" => c.extra_hosts = typed(val, kp)?,
        "dnsServers" => c.dns_servers = typed(val, kp)?,
        "dnsSearchDomains" => c.dns_search_domains = typed(val, kp)?,
        "linuxParameters" => c.linux_parameters = Some(typed(val, kp)?),
        "dependsOn" => c.depends_on = typed(val, kp)?,
        "repositoryCredentials" => c.repository_credentials = Some(typed(val, kp)?),
        _ => return Ok(false),
    }
    Ok(true)
}

/// One docker-compose `ports` entry (`"[IP:]HOST:CONTAINER[/PROTOCOL]"` or a bare port).
fn compose_port(item: &Value, pp: String) -> Result<EbPort, InputError> {
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
    let parse = |s: &str| compose_port_number(s, &text, &pp);
    let (host, container) = match parts.as_slice() {
        [c] => (None, parse(c)?),
        [h, c] => (Some(parse(h)?), parse(c)?),
        [_ip, h, c] => (Some(parse(h)?), parse(c)?),
        _ => return Err(not_a_compose_port(&text, &pp)),
    };
    Ok(EbPort {
        container_port: container,
        host_port: host,
        protocol,
        pointer: pp,
    })
}

/// One port number inside a compose `ports` entry `text`.
fn compose_port_number(s: &str, text: &str, pp: &str) -> Result<u16, InputError> {
    s.trim()
        .parse::<u16>()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| not_a_compose_port(text, pp))
}

/// The error for a compose `ports` entry that cannot be read.
fn not_a_compose_port(text: &str, pp: &str) -> InputError {
    InputError::new(
        pp,
        format!("{text:?} is not a port mapping (\"HOST:CONTAINER\")"),
    )
}

impl Parser {
    /// Read a version 2 file.
    pub(super) fn v2(&mut self, top: &Map<String, Value>) -> Result<Dockerrun, InputError> {
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
        let volumes = match top.get("volumes") {
            Some(v) => self.v2_volumes(v)?,
            None => Vec::new(),
        };
        let containers = self.v2_containers(container_definitions(top)?)?;
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
            properties_via_env_file: None,
        })
    }

    /// The top-level `volumes`.
    fn v2_volumes(&mut self, v: &Value) -> Result<Vec<EbVolume>, InputError> {
        let arr = array(v, "/volumes", "volumes")?;
        let mut volumes = Vec::new();
        for (i, vol) in arr.iter().enumerate() {
            volumes.push(self.v2_volume(vol, &idx("/volumes", i))?);
        }
        Ok(volumes)
    }

    /// One top-level volume.
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
                "host" => source_path = self.volume_host(val, &ptr(pointer, "host"))?,
                _ => self.unknown_key(pointer, k, "volume"),
            }
        }
        Ok(EbVolume {
            name,
            source_path,
            pointer: pointer.to_string(),
        })
    }

    /// A volume's `host`: its `sourcePath`.
    fn volume_host(&mut self, val: &Value, hp: &str) -> Result<Option<String>, InputError> {
        let host = val.as_object().ok_or_else(|| {
            InputError::new(
                hp,
                format!("host must be an object, found {}", kind_of(val)),
            )
        })?;
        for hk in host.keys() {
            if hk != "sourcePath" {
                self.unknown_key(hp, hk, "volume host");
            }
        }
        opt_string(host, hp, "sourcePath")
    }

    /// The containers, whose names must be unique.
    fn v2_containers(&mut self, defs: &[Value]) -> Result<Vec<EbContainer>, InputError> {
        let mut containers: Vec<EbContainer> = Vec::new();
        // Name -> index in `containers`: a hash lookup, so many containers stay linear.
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, def) in defs.iter().enumerate() {
            let c = self.v2_container(def, &idx("/containerDefinitions", i))?;
            if let Some(&prev) = seen.get(&c.name) {
                return Err(InputError::new(
                    ptr(&c.pointer, "name"),
                    format!(
                        "two containers are named `{}` (the other is at {}); container names must be unique",
                        c.name, containers[prev].pointer
                    ),
                ));
            }
            seen.insert(c.name.clone(), containers.len());
            containers.push(c);
        }
        super::names_distinct(&containers, "/name")?;
        Ok(containers)
    }

    /// One container definition.
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
        let name = self.container_name(obj, pointer, image.as_deref())?;
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
            self.v2_container_key(&mut c, pointer, key, val)?;
        }
        if c.image.is_none() {
            self.image_missing(&c, obj.contains_key("build"));
        }
        Ok(c)
    }

    /// The container's name, derived from its image (with a finding) when missing.
    fn container_name(
        &mut self,
        obj: &Map<String, Value>,
        pointer: &str,
        image: Option<&str>,
    ) -> Result<String, InputError> {
        if let Some(n) = opt_string(obj, pointer, "name")? {
            if !n.trim().is_empty() {
                return Ok(n);
            }
        }
        let Some(img) = image else {
            return Err(InputError::new(
                pointer,
                "container has neither a name nor an image: there is nothing to run",
            ));
        };
        let n = name_from_image(img);
        self.finding(
            codes::DOCKERRUN_NAME_MISSING,
            Severity::Warning,
            pointer,
            format!("container has no name; named `{n}` after its image"),
            "Give the container a name in the Dockerrun or keep this one.",
        );
        Ok(n)
    }

    /// One key of a container definition: unknown unless [`support::V2_CONTAINER`] has it.
    fn v2_container_key(
        &mut self,
        c: &mut EbContainer,
        pointer: &str,
        key: &str,
        val: &Value,
    ) -> Result<(), InputError> {
        let Some(spec) = support::lookup(support::V2_CONTAINER, key) else {
            self.unknown_key(pointer, key, "container");
            return Ok(());
        };
        let kp = ptr(pointer, key);
        if self.scalar_field(c, key, val, &kp)?
            || self.shaped_field(c, key, val, &kp)?
            || ecs_field(c, key, val, &kp)?
            || self.compose_key(key, &kp)
        {
            return Ok(());
        }
        passthrough(c, spec.handling, key, val, kp)
    }

    /// The container fields that are one value (strings, numbers, booleans, commands);
    /// `false` when `key` is not one of them.
    fn scalar_field(
        &mut self,
        c: &mut EbContainer,
        key: &str,
        val: &Value,
        kp: &str,
    ) -> Result<bool, InputError> {
        match key {
            "name" | "image" => {}
            "essential" => c.essential = self.boolish(val, kp, "essential", Documented::Json)?,
            "memory" => c.memory = Some(self.number(val, kp, "memory", true)?),
            "memoryReservation" => {
                c.memory_reservation = Some(self.number(val, kp, "memoryReservation", true)?)
            }
            "cpu" => c.cpu = Some(self.number(val, kp, "cpu", true)?),
            "command" => c.command = Some(self.command(val, kp, "command", Documented::Json)?),
            "entryPoint" => {
                c.entry_point = Some(self.command(val, kp, "entryPoint", Documented::Json)?)
            }
            "workingDirectory" => c.working_directory = Some(string(val, kp, key)?),
            "user" => c.user = Some(string(val, kp, key)?),
            "hostname" => c.hostname = Some(string(val, kp, key)?),
            "privileged" => c.privileged = Some(self.boolish(val, kp, key, Documented::Json)?),
            "readonlyRootFilesystem" => {
                c.readonly_root_filesystem = Some(self.boolish(val, kp, key, Documented::Json)?)
            }
            "stopTimeout" => c.stop_timeout = Some(self.number(val, kp, key, false)?),
            "startTimeout" => c.start_timeout = Some(self.number(val, kp, key, false)?),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The container fields with a shape of their own (ports, links, mounts, environment);
    /// `false` when `key` is not one of them.
    fn shaped_field(
        &mut self,
        c: &mut EbContainer,
        key: &str,
        val: &Value,
        kp: &str,
    ) -> Result<bool, InputError> {
        match key {
            "portMappings" => c.port_mappings = self.port_mappings(val, kp, key, &PORT_KEYS)?,
            "ports" => c.port_mappings.extend(self.compose_ports(val, kp)?),
            "links" => c.links = links(val, kp)?,
            "mountPoints" => c.mount_points = self.mount_points(val, kp)?,
            "environment" => c.environment = self.environment(val, kp)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The docker-compose keys that are not carried over (a finding each); `false` for others.
    fn compose_key(&mut self, key: &str, kp: &str) -> bool {
        match key {
            "build" => self.finding(
                codes::DOCKERRUN_COMPOSE_BUILD,
                Severity::Info,
                kp,
                "docker-compose `build` key: ECS runs images, it cannot build them",
                "See the finding on the image.",
            ),
            "container_name" | "restart" => self.finding(
                codes::DOCKERRUN_COMPOSE_KEY,
                Severity::Info,
                kp,
                format!("docker-compose key `{key}` is not an ECS key and is not carried over"),
                if key == "restart" {
                    "Nothing to do: the ECS service replaces stopped tasks."
                } else {
                    "Nothing to do: the container keeps its `name`."
                },
            ),
            _ => return false,
        }
        true
    }

    /// The blocker for a container without an image (`built` when compose `build` was given).
    fn image_missing(&mut self, c: &EbContainer, built: bool) {
        self.finding(
            codes::IMAGE_MISSING,
            Severity::Blocker,
            &c.pointer,
            if built {
                format!("container `{}` is built from source (compose `build`); ECS needs an image", c.name)
            } else {
                format!("container `{}` has no image", c.name)
            },
            "Build the image, push it to an ECR repository and put its URI in the task definition (the placeholder image is there to be replaced).",
        );
    }

    /// docker-compose `ports` strings, read as port mappings with a finding.
    fn compose_ports(&mut self, v: &Value, pointer: &str) -> Result<Vec<EbPort>, InputError> {
        let arr = array(v, pointer, "ports")?;
        let mut out = Vec::new();
        for (i, item) in arr.iter().enumerate() {
            out.push(compose_port(item, idx(pointer, i))?);
        }
        self.finding(
            codes::DOCKERRUN_COMPOSE_PORTS,
            Severity::Info,
            pointer,
            "docker-compose `ports` strings read as portMappings",
            "Nothing to do; use portMappings in future Dockerrun files.",
        );
        Ok(out)
    }

    /// `mountPoints`.
    fn mount_points(&mut self, v: &Value, pointer: &str) -> Result<Vec<EbMount>, InputError> {
        let arr = array(v, pointer, "mountPoints")?;
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
                    "readOnly" => {
                        read_only = Some(self.boolish(val, &ptr(&mp, k), k, Documented::Json)?)
                    }
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

    /// `environment`: a list of `{name, value}` or `"NAME=value"` strings, or a map; when a
    /// name is defined twice the last one wins, as in Docker.
    fn environment(&mut self, v: &Value, pointer: &str) -> Result<Vec<EnvVar>, InputError> {
        let raw = match v {
            Value::Object(map) => self.env_map(map, pointer)?,
            Value::Array(arr) => self.env_list(arr, pointer)?,
            other => {
                return Err(InputError::new(
                    pointer,
                    format!(
                        "environment must be an array or a map, found {}",
                        kind_of(other)
                    ),
                ))
            }
        };
        Ok(self.last_wins(raw))
    }

    /// `environment` as a map of names to values (with a finding).
    fn env_map(
        &mut self,
        map: &Map<String, Value>,
        pointer: &str,
    ) -> Result<Vec<EnvVar>, InputError> {
        self.finding(
            codes::DOCKERRUN_ENV_MAP,
            Severity::Info,
            pointer,
            "environment is a map; read as name/value pairs",
            "Nothing to do.",
        );
        let mut raw = Vec::new();
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
        Ok(raw)
    }

    /// `environment` as a list of `{name, value}` objects or `"NAME=value"` strings.
    fn env_list(&mut self, arr: &[Value], pointer: &str) -> Result<Vec<EnvVar>, InputError> {
        let mut raw = Vec::new();
        let mut kv_strings = false;
        for (i, item) in arr.iter().enumerate() {
            let ip = idx(pointer, i);
            match item {
                Value::Object(obj) => raw.push(self.env_entry(obj, ip)?),
                Value::String(s) => {
                    if let Some(var) = self.env_string(s, ip) {
                        kv_strings = true;
                        raw.push(var);
                    }
                }
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
                codes::DOCKERRUN_ENV_STRINGS,
                Severity::Info,
                pointer,
                "environment given as \"NAME=value\" strings; read as name/value pairs",
                "Nothing to do.",
            );
        }
        Ok(raw)
    }

    /// One `{name, value}` entry.
    fn env_entry(&mut self, obj: &Map<String, Value>, ip: String) -> Result<EnvVar, InputError> {
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
        Ok(EnvVar {
            name,
            value,
            pointer: ip,
            origin: None,
        })
    }

    /// One `"NAME=value"` entry; `None` (with a finding) for a bare name.
    fn env_string(&mut self, s: &str, ip: String) -> Option<EnvVar> {
        let Some((n, val)) = s.split_once('=') else {
            self.finding(
                codes::DOCKERRUN_ENV_NO_VALUE,
                Severity::Warning,
                &ip,
                format!("environment entry `{s}` has no value (Docker would copy it from the host, ECS cannot)"),
                format!("Set `{s}` with a value in the task definition, or as an EB environment property."),
            );
            return None;
        };
        Some(EnvVar {
            name: n.to_string(),
            value: val.to_string(),
            pointer: ip,
            origin: None,
        })
    }

    /// Resolve duplicates: the last definition wins (in its own place), with a finding.
    /// Each variable keeps the place of its last definition (linear: a hash index of names).
    fn last_wins(&mut self, raw: Vec<EnvVar>) -> Vec<EnvVar> {
        let mut last: HashMap<&str, usize> = HashMap::new();
        let mut dups = Vec::new();
        for (i, var) in raw.iter().enumerate() {
            if let Some(prev) = last.insert(var.name.as_str(), i) {
                dups.push((i, prev));
            }
        }
        let keep: Vec<bool> = raw
            .iter()
            .enumerate()
            .map(|(i, v)| last.get(v.name.as_str()) == Some(&i))
            .collect();
        for (i, prev) in dups {
            let (var, prev) = (&raw[i], &raw[prev]);
            self.finding(
                codes::DOCKERRUN_ENV_DUPLICATE,
                Severity::Warning,
                &var.pointer,
                format!(
                    "`{}` is defined twice (also at {}); the last one wins",
                    var.name, prev.pointer
                ),
                "Remove the duplicate.",
            );
        }
        raw.into_iter()
            .zip(keep)
            .filter_map(|(v, k)| k.then_some(v))
            .collect()
    }

    /// An environment value: numbers and booleans become strings (with a finding), null empty.
    fn env_value(&mut self, v: &Value, pointer: &str, name: &str) -> Result<String, InputError> {
        match v {
            Value::String(s) => Ok(s.clone()),
            Value::Number(_) | Value::Bool(_) => {
                self.finding(
                    codes::DOCKERRUN_ENV_NOT_STRING,
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
}

/// `links`: `target[:alias]` strings.
fn links(v: &Value, pointer: &str) -> Result<Vec<EbLink>, InputError> {
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

#[cfg(test)]
mod tests {
    use super::super::tests::codes;
    use super::super::*;
    use serde_json::json;

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
    fn compose_ports_become_port_mappings() {
        let doc = json!({"AWSEBDockerrunVersion": "2", "containerDefinitions": [
            {"name": "a", "build": {"context": "."}, "ports": ["80:8080"]}]});
        let (run, findings) = parse("f", &doc).unwrap();
        let p = &run.containers[0].port_mappings[0];
        assert_eq!((p.host_port, p.container_port), (Some(80), 8080));
        assert!(codes(&findings).contains(&"IMAGE-MISSING"));
        assert!(codes(&findings).contains(&"DOCKERRUN-COMPOSE-PORTS"));
    }
}
