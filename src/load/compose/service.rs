//! One compose service as one [`EbContainer`]: the keys of [`support::COMPOSE_SERVICE`], each
//! read into the field the Dockerrun parser would fill, with a finding (and its line) for what
//! does not carry over.

use super::values::{self, idx, ptr, scalar, text};
use super::{Compose, EB_LOG_BASE_DIR};
use crate::codes;
use crate::ecs;
use crate::error::InputError;
use crate::finding::Severity;
use crate::load::dockerrun::{EbContainer, EbLink, EbMount, EbVolume, EnvVar};
use crate::load::APP_BUNDLE;
use crate::support;
use serde_json::{Map, Value};

type R<T> = Result<T, InputError>;

impl Compose<'_> {
    /// A service, or `None` when EB did not start it (a non-default profile).
    pub(super) fn service(
        &mut self,
        name: &str,
        v: &Value,
        pointer: &str,
    ) -> R<Option<EbContainer>> {
        let m = v
            .as_object()
            .ok_or_else(|| InputError::new(pointer, format!("service `{name}` must be a map")))?;
        if let Some(p) = m.get("profiles") {
            let profiles = values::strings(p, &ptr(pointer, "profiles"), "a profile")?;
            if !profiles.is_empty() {
                self.finding(codes::COMPOSE_PROFILE_SKIPPED, Severity::Info, &ptr(pointer, "profiles"),
                    format!("service `{name}` is only in profile(s) {}, which EB did not enable: it is left out", profiles.join(", ")),
                    "Nothing to do unless EB's environment set COMPOSE_PROFILES; then add the service by hand.");
                return Ok(None);
            }
        }
        let mut c = EbContainer {
            pointer: pointer.to_string(),
            name: name.replace('.', "-"),
            image_pointer: ptr(pointer, "image"),
            essential: true,
            original: self.raw.pointer(pointer).cloned().unwrap_or(Value::Null),
            ..Default::default()
        };
        // env_file first: `environment` wins over it.
        if let Some(f) = m.get("env_file") {
            self.env_files(&mut c, f, &ptr(pointer, "env_file"))?;
        }
        for (key, val) in m
            .iter()
            .filter(|(k, _)| !k.starts_with("x-") && *k != "env_file")
        {
            let kp = ptr(pointer, key);
            if support::lookup(support::COMPOSE_SERVICE, key).is_none() {
                self.unknown_key(&kp, key, "service");
            } else if !self.process_key(&mut c, key, val, &kp)?
                && !self.resource_key(&mut c, key, val, &kp)?
            {
                self.other_key(&mut c, key, val, &kp)?;
            }
        }
        if let Some(b) = m.get("build") {
            self.build(&mut c, b, &ptr(pointer, "build"))?;
        }
        Ok(Some(c))
    }

    /// The image, command and process keys; `false` for others.
    fn process_key(&mut self, c: &mut EbContainer, key: &str, v: &Value, kp: &str) -> R<bool> {
        match key {
            "image" => c.image = Some(text(v, kp, "image")?),
            "command" => c.command = Some(values::command(v, kp)?),
            "entrypoint" => c.entry_point = Some(values::command(v, kp)?),
            "environment" => self.environment(c, v, kp)?,
            "working_dir" => c.working_directory = Some(text(v, kp, "working_dir")?),
            "user" => c.user = Some(text(v, kp, "user")?),
            "hostname" => c.hostname = Some(text(v, kp, "hostname")?),
            "privileged" => c.privileged = Some(boolean(v, kp)?),
            "read_only" => c.readonly_root_filesystem = Some(boolean(v, kp)?),
            "init" => linux(c).init_process_enabled = Some(boolean(v, kp)?),
            "cap_add" => caps(c).add = Some(values::strings(v, kp, "a capability")?),
            "cap_drop" => caps(c).drop = Some(values::strings(v, kp, "a capability")?),
            "stop_grace_period" => c.stop_timeout = Some(values::duration(v, kp)?.min(120)),
            "healthcheck" => c.health_check = values::healthcheck(v, kp)?,
            "tty" => drop(
                c.other
                    .insert("pseudoTerminal".into(), Value::Bool(boolean(v, kp)?)),
            ),
            "stdin_open" => drop(
                c.other
                    .insert("interactive".into(), Value::Bool(boolean(v, kp)?)),
            ),
            "labels" => {
                for (k, val, _) in values::pairs(v, kp, "a label")? {
                    c.docker_labels.insert(k, val.unwrap_or_default());
                }
            }
            "depends_on" => self.depends_on(c, v, kp)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Resources, ports, volumes and networking keys; `false` for others.
    fn resource_key(&mut self, c: &mut EbContainer, key: &str, v: &Value, kp: &str) -> R<bool> {
        match key {
            "mem_limit" => c.memory = Some(values::mib(v, kp)?),
            "mem_reservation" => c.memory_reservation = Some(values::mib(v, kp)?),
            "cpus" => c.cpu = Some(values::cpu_units(v, kp)?),
            "deploy" => self.deploy(c, v, kp)?,
            "ports" => {
                for (i, item) in array(v, kp)?.iter().enumerate() {
                    add_ports(c, values::ports(item, &idx(kp, i))?);
                }
            }
            "expose" => {
                for (i, item) in array(v, kp)?.iter().enumerate() {
                    let p = idx(kp, i);
                    let mut ports = values::ports(&Value::String(text(item, &p, "a port")?), &p)?;
                    ports.iter_mut().for_each(|x| x.host_port = None);
                    add_ports(c, ports);
                }
            }
            "volumes" => {
                for (i, item) in array(v, kp)?.iter().enumerate() {
                    self.volume(c, item, &idx(kp, i))?;
                }
            }
            "volumes_from" => {
                for (i, item) in array(v, kp)?.iter().enumerate() {
                    let p = idx(kp, i);
                    let s = text(item, &p, "volumes_from")?;
                    let s = s.strip_prefix("container:").unwrap_or(&s).to_string();
                    let (src, mode) = s.split_once(':').unwrap_or((&s, "rw"));
                    let from = ecs::VolumeFrom {
                        source_container: src.to_string(),
                        read_only: (mode == "ro").then_some(true),
                    };
                    c.volumes_from.push((from, p));
                }
            }
            "links" => {
                for (i, item) in array(v, kp)?.iter().enumerate() {
                    let p = idx(kp, i);
                    let s = text(item, &p, "a link")?;
                    let (target, alias) = match s.split_once(':') {
                        Some((t, a)) => (t.to_string(), Some(a.to_string())),
                        None => (s, None),
                    };
                    c.links.push(EbLink {
                        target,
                        alias,
                        pointer: p,
                    });
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The remaining keys of the table.
    fn other_key(&mut self, c: &mut EbContainer, key: &str, v: &Value, kp: &str) -> R<()> {
        match key {
            "networks" => {
                if let Value::Object(nets) = v {
                    let aliases: Vec<String> = nets
                        .values()
                        .filter_map(|n| n.get("aliases"))
                        .filter_map(Value::as_array)
                        .flatten()
                        .filter_map(scalar)
                        .collect();
                    self.aliases.push((c.name.clone(), aliases));
                }
            }
            "extra_hosts" => {
                for (host, ip, p) in values::pairs(&hosts_as_pairs(v), kp, "an extra host")? {
                    let ip = ip.ok_or_else(|| InputError::new(p, "an extra host needs HOST:IP"))?;
                    c.extra_hosts.push(ecs::HostEntry { hostname: host, ip_address: ip });
                }
            }
            "dns" => c.dns_servers = values::strings(v, kp, "a DNS server")?,
            "dns_search" => c.dns_search_domains = values::strings(v, kp, "a DNS search domain")?,
            "ulimits" => c.ulimits = ulimits(v, kp)?,
            "logging" => self.logging(v, kp),
            "restart" => self.finding(codes::COMPOSE_KEY_NOT_CONVERTED, Severity::Info, kp,
                format!("`restart` of `{}` is not carried over: ECS replaces a stopped task through the service", c.name),
                "Nothing to do: the ECS service keeps the desired count running."),
            "container_name" => self.finding(codes::COMPOSE_KEY_NOT_CONVERTED, Severity::Info, kp,
                format!("`container_name` of `{}` is not carried over: the container is named `{}`", c.name, c.name),
                "Nothing to do unless a script used the Docker container name (use ECS Exec with the container name instead)."),
            "tmpfs" => self.finding(codes::COMPOSE_KEY_NOT_CONVERTED, Severity::Info, kp,
                format!("`tmpfs` of `{}` is not carried over", c.name),
                "Nothing to do for scratch space (the container's file system is writable); on EC2 add linuxParameters.tmpfs by hand if size matters."),
            "secrets" | "configs" => self.finding(codes::COMPOSE_KEY_NOT_CONVERTED, Severity::Warning, kp,
                format!("compose `{key}` of `{}` (files mounted into the container) are not carried over", c.name),
                "Put secrets in Secrets Manager or SSM (ECS `secrets`) and bake configuration files into the image."),
            // `build` is read after the other keys (it decides the image); `profiles` before.
            _ => {}
        }
        Ok(())
    }

    /// `build`: EB built the image on each instance; ECS needs a pushed image.
    fn build(&mut self, c: &mut EbContainer, v: &Value, kp: &str) -> R<()> {
        let (context, file, target, args) = match v {
            Value::Object(m) => (
                m.get("context")
                    .and_then(scalar)
                    .unwrap_or_else(|| ".".into()),
                m.get("dockerfile").and_then(scalar),
                m.get("target").and_then(scalar),
                match m.get("args") {
                    Some(a) => values::pairs(a, &ptr(kp, "args"), "a build arg")?,
                    None => Vec::new(),
                },
            ),
            other => (text(other, kp, "build")?, None, None, Vec::new()),
        };
        // Every value comes from the compose file: quoted for the shell the user pastes into.
        let sh = crate::text::sh;
        // The task's CPU architecture is decided after loading: the command stops until the
        // user names it (an image built on an Apple-silicon laptop does not start on X86_64).
        let mut cmd = "docker buildx build --platform \"${PLATFORM:?set PLATFORM to the task CPU architecture, linux/amd64 or linux/arm64 as task-definition.json runtimePlatform says}\" --load".to_string();
        if let Some(f) = &file {
            cmd.push_str(&format!(" -f {}", sh(&join_context(&context, f))));
        }
        if let Some(t) = &target {
            cmd.push_str(&format!(" --target {}", sh(t)));
        }
        for (k, val, _) in &args {
            // A secret-looking value is never printed: docker reads it from the environment.
            let secret = crate::detect::secret_reason(k, val.as_deref().unwrap_or("")).is_some();
            let arg = format!(
                "{k}{}",
                val.as_ref()
                    .filter(|_| !secret)
                    .map(|x| format!("={x}"))
                    .unwrap_or_default()
            );
            cmd.push_str(&format!(" --build-arg {}", sh(&arg)));
        }
        let tagged = c.image.take();
        c.image_pointer = kp.to_string();
        c.build = Some(crate::load::dockerrun::ImageBuild {
            context: clean_context(&context),
            dockerfile: clean_context(&join_context(
                &context,
                file.as_deref().unwrap_or("Dockerfile"),
            )),
            target: target.clone(),
            args: args
                .iter()
                .map(|(k, v, _)| (k.clone(), v.clone()))
                .collect(),
            pointer: kp.to_string(),
        });
        self.finding(codes::COMPOSE_BUILD, Severity::Blocker, kp,
            format!("EB built `{}`{} from `{context}` on every instance; ECS runs a pushed image, so the task uses a placeholder ECR image `{}`", c.name,
                tagged.map(|t| format!(" (tagged `{t}`)")).unwrap_or_default(), c.name),
            format!("Create the ECR repository {}, then {} and `docker push` it; put the URI in the task definition.", crate::text::code(&c.name), crate::text::code(&format!("{cmd} -t \"$IMAGE_URI\" {}", sh(&context)))));
        Ok(())
    }

    /// `deploy`: the resources are read, the rest is not carried over.
    fn deploy(&mut self, c: &mut EbContainer, v: &Value, kp: &str) -> R<()> {
        let m = v
            .as_object()
            .ok_or_else(|| InputError::new(kp, "deploy must be a map"))?;
        for (key, val) in m {
            if key != "resources" {
                self.finding(codes::COMPOSE_KEY_NOT_CONVERTED, Severity::Info, &ptr(kp, key),
                    format!("`deploy.{key}` of `{}` is a Swarm setting EB did not use: not carried over", c.name),
                    "Nothing to do; the ECS service's desired count and deployment settings replace it.");
                continue;
            }
            let rp = ptr(kp, "resources");
            for (kind, limits) in val.as_object().into_iter().flatten() {
                let lp = ptr(&rp, kind);
                let get = |k: &str| limits.get(k).map(|x| (x, ptr(&lp, k)));
                if let Some((mem, p)) = get("memory") {
                    let mib = Some(values::mib(mem, &p)?);
                    if kind == "limits" {
                        c.memory = mib
                    } else {
                        c.memory_reservation = mib
                    }
                }
                if let Some((cpus, p)) = get("cpus") {
                    if kind == "limits" || c.cpu.is_none() {
                        c.cpu = Some(values::cpu_units(cpus, &p)?);
                    }
                }
            }
        }
        Ok(())
    }

    /// `logging`: CloudWatch Logs replaces it; another driver gets a finding.
    fn logging(&mut self, v: &Value, kp: &str) {
        let driver = v
            .get("driver")
            .and_then(scalar)
            .unwrap_or_else(|| "json-file".into());
        if driver != "json-file" {
            self.finding(codes::COMPOSE_LOGGING_DRIVER, Severity::Warning, kp,
                format!("logging driver `{driver}` is replaced by CloudWatch Logs (awslogs)"),
                "If the logs must reach another destination, use a FireLens (fluent-bit) sidecar or forward them from CloudWatch Logs.");
        }
    }

    /// `depends_on`: a list, or a map with conditions.
    fn depends_on(&mut self, c: &mut EbContainer, v: &Value, kp: &str) -> R<()> {
        let entries: Vec<(String, String)> = match v {
            Value::Object(m) => m
                .iter()
                .map(|(name, d)| {
                    let cond = d
                        .get("condition")
                        .and_then(scalar)
                        .unwrap_or_else(|| "service_started".into());
                    let ecs_cond = match cond.as_str() {
                        "service_started" => "START",
                        "service_healthy" => "HEALTHY",
                        "service_completed_successfully" => "SUCCESS",
                        other => {
                            return Err(InputError::new(
                                ptr(&ptr(kp, name), "condition"),
                                format!("unknown depends_on condition `{other}`"),
                            ))
                        }
                    };
                    Ok((name.clone(), ecs_cond.to_string()))
                })
                .collect::<R<_>>()?,
            other => values::strings(other, kp, "a service name")?
                .into_iter()
                .map(|n| (n, "START".to_string()))
                .collect(),
        };
        for (name, condition) in entries {
            c.depends_on.push(ecs::DependsOn {
                container_name: name.replace('.', "-"),
                condition,
            });
        }
        Ok(())
    }
}

/// A boolean (`true`, or the strings `"true"`/`"false"`).
fn boolean(v: &Value, kp: &str) -> R<bool> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s == "true" || s == "false" => Ok(s == "true"),
        _ => Err(InputError::new(kp, "must be true or false")),
    }
}

/// A list (a single scalar counts as a list of one).
fn array(v: &Value, kp: &str) -> R<Vec<Value>> {
    match v {
        Value::Array(a) => Ok(a.clone()),
        Value::Null => Ok(Vec::new()),
        x if scalar(x).is_some() => Ok(vec![x.clone()]),
        _ => Err(InputError::new(kp, "must be a list")),
    }
}

/// Add port mappings, skipping the container ports (and protocols) already there.
fn add_ports(c: &mut EbContainer, ports: Vec<crate::load::dockerrun::EbPort>) {
    for p in ports {
        let same = c
            .port_mappings
            .iter()
            .position(|x| x.container_port == p.container_port && x.protocol == p.protocol);
        match same {
            Some(i) if c.port_mappings[i].host_port.is_none() => c.port_mappings[i] = p,
            Some(_) => {}
            None => c.port_mappings.push(p),
        }
    }
}

fn linux(c: &mut EbContainer) -> &mut ecs::LinuxParameters {
    c.linux_parameters.get_or_insert_with(Default::default)
}

fn caps(c: &mut EbContainer) -> &mut ecs::Capabilities {
    linux(c).capabilities.get_or_insert_with(Default::default)
}

/// `extra_hosts` as `HOST=IP` pairs (compose writes `HOST:IP` in lists).
fn hosts_as_pairs(v: &Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|x| match x.as_str() {
                    Some(s) if !s.contains('=') => Value::String(s.replacen(':', "=", 1)),
                    _ => x.clone(),
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `ulimits`: a number (soft = hard) or `{soft, hard}` per name.
fn ulimits(v: &Value, kp: &str) -> R<Vec<ecs::Ulimit>> {
    let m: &Map<String, Value> = v
        .as_object()
        .ok_or_else(|| InputError::new(kp, "ulimits must be a map"))?;
    m.iter()
        .map(|(name, l)| {
            let p = ptr(kp, name);
            let num = |x: Option<&Value>| {
                x.and_then(Value::as_i64).ok_or_else(|| {
                    InputError::new(p.clone(), "a ulimit must be a number or {soft, hard}")
                })
            };
            let (soft, hard) = match l {
                Value::Object(o) => (num(o.get("soft"))?, num(o.get("hard"))?),
                x => (num(Some(x))?, num(Some(x))?),
            };
            Ok(ecs::Ulimit {
                name: name.clone(),
                soft_limit: soft,
                hard_limit: hard,
            })
        })
        .collect()
}

/// `context/file` unless the file path is already absolute.
/// A build path as the workflow names it: `./api/` -> `api`, `./` -> `.`.
fn clean_context(path: &str) -> String {
    let p = path.trim_start_matches("./").trim_end_matches('/');
    if p.is_empty() {
        ".".to_string()
    } else {
        p.to_string()
    }
}

fn join_context(context: &str, file: &str) -> String {
    if file.starts_with('/') || context == "." || context == "./" {
        file.to_string()
    } else {
        format!(
            "{}/{}",
            context.trim_end_matches('/'),
            file.trim_start_matches("./")
        )
    }
}

/// A bundle-relative path normalised (`./conf/` -> `conf`, `.` -> ``).
pub(super) fn bundle_relative(path: &str) -> String {
    path.split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect::<Vec<_>>()
        .join("/")
}

impl Compose<'_> {
    /// One `volumes` entry: short `SOURCE:TARGET[:MODE]`, `TARGET`, or the long form.
    fn volume(&mut self, c: &mut EbContainer, v: &Value, p: &str) -> R<()> {
        let (kind, source, target, read_only) = match v {
            Value::Object(m) => (
                m.get("type")
                    .and_then(scalar)
                    .unwrap_or_else(|| "volume".into()),
                m.get("source").and_then(scalar),
                m.get("target")
                    .and_then(scalar)
                    .ok_or_else(|| InputError::new(p, "a volume needs a target"))?,
                m.get("read_only").is_some_and(|r| r == &Value::Bool(true)),
            ),
            other => {
                let s = text(other, p, "a volume")?;
                let parts: Vec<&str> = s.splitn(3, ':').collect();
                match parts.as_slice() {
                    [t] => ("volume".to_string(), None, t.to_string(), false),
                    [s, t, rest @ ..] => {
                        let bind = s.starts_with(['.', '/', '~']);
                        let ro = rest
                            .first()
                            .is_some_and(|m| m.split(',').any(|x| x == "ro"));
                        (
                            if bind { "bind" } else { "volume" }.to_string(),
                            Some(s.to_string()),
                            t.to_string(),
                            ro,
                        )
                    }
                    [] => return Err(InputError::new(p, "an empty volume")),
                }
            }
        };
        let Some((name, source_path)) = self.volume_source(c, &kind, source.as_deref(), p) else {
            return Ok(());
        };
        // EB made the awseb-logs-* volumes itself; the shared rules drop their mounts.
        if !name.starts_with("awseb-logs-") && !self.volumes.iter().any(|x| x.name == name) {
            self.volumes.push(EbVolume {
                name: name.clone(),
                source_path,
                pointer: p.to_string(),
            });
        }
        c.mount_points.push(EbMount {
            source_volume: name,
            container_path: target,
            read_only: read_only.then_some(true),
            pointer: p.to_string(),
        });
        Ok(())
    }

    /// The task volume a mount's source becomes (name and host path); `None` when dropped.
    fn volume_source(
        &mut self,
        c: &EbContainer,
        kind: &str,
        source: Option<&str>,
        p: &str,
    ) -> Option<(String, Option<String>)> {
        match (kind, source) {
            ("tmpfs", _) | ("npipe", _) => {
                self.finding(codes::COMPOSE_KEY_NOT_CONVERTED, Severity::Info, p,
                    format!("a {kind} mount of `{}` is not carried over", c.name),
                    "Nothing to do for scratch space (the container's file system is writable); on EC2 add linuxParameters.tmpfs by hand if size matters.");
                None
            }
            ("bind", Some(s)) if s.starts_with(EB_LOG_BASE_DIR) => {
                Some((format!("awseb-logs-{}", c.name), Some(s.to_string())))
            }
            ("bind", Some(s)) if s.starts_with('/') => Some((
                format!("host{}", crate::names::sanitise_name(&s.replace('/', "-"))),
                Some(s.to_string()),
            )),
            ("bind", Some(s)) => {
                let rel = bundle_relative(s.trim_start_matches('~'));
                let name = if rel.is_empty() {
                    "app".to_string()
                } else {
                    format!(
                        "app-{}",
                        crate::names::sanitise_name(&rel.replace(['/', '.'], "-"))
                    )
                };
                let path = if rel.is_empty() {
                    APP_BUNDLE.to_string()
                } else {
                    format!("{APP_BUNDLE}/{rel}")
                };
                Some((name, Some(path)))
            }
            (_, source) => {
                let name = source
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("{}-anon-{}", c.name, c.mount_points.len()));
                self.finding(codes::COMPOSE_NAMED_VOLUME, Severity::Warning, p,
                    format!("the Docker volume `{name}` of `{}` lived on the EB instance; in ECS it becomes task storage that is lost when the task stops", c.name),
                    "Keep only scratch data there; put lasting data in a managed database, S3 or an EFS volume.");
                Some((crate::names::sanitise_name(&name), None))
            }
        }
    }

    /// `environment`: a map or list; a name without a value reads `.env`.
    fn environment(&mut self, c: &mut EbContainer, v: &Value, kp: &str) -> R<()> {
        for (name, value, p) in values::pairs(v, kp, "an environment entry")? {
            let (value, origin) = match value {
                Some(val) => (val, self.property_origin(&p, &name)),
                None => match self.vars.values.get(&name).cloned() {
                    Some(val) => (val, self.property_origin_of(&name)),
                    None => {
                        self.finding(codes::COMPOSE_INTERPOLATION, Severity::Info, &p,
                            format!("`{name}` of `{}` has no value (compose took it from the shell, which EB left empty): left out", c.name),
                            format!("Set `{name}` in the task definition if the container needs it."));
                        continue;
                    }
                },
            };
            set_env(
                c,
                EnvVar {
                    name,
                    value,
                    pointer: p,
                    origin,
                },
            );
        }
        Ok(())
    }

    /// The property source when the raw value at `p` is just `${NAME}`/`$NAME` of a property.
    fn property_origin(&self, p: &str, name: &str) -> Option<crate::finding::Source> {
        let raw = self.raw.pointer(p).and_then(Value::as_str)?;
        let raw = raw.strip_prefix(&format!("{name}=")).unwrap_or(raw);
        let var = raw
            .strip_prefix("${")
            .and_then(|r| r.strip_suffix('}'))
            .or_else(|| raw.strip_prefix('$'))?;
        self.property_origin_of(var)
    }

    /// The source of EB property `name`, when EB's generated `.env` held it.
    fn property_origin_of(&self, name: &str) -> Option<crate::finding::Source> {
        if self.bundle_env.is_some() {
            return None;
        }
        self.props
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s.source.clone())
    }

    /// `env_file`: `.env` is EB's generated file (its properties) unless the bundle has one.
    fn env_files(&mut self, c: &mut EbContainer, v: &Value, kp: &str) -> R<()> {
        let items = array(v, kp)?;
        for (i, item) in items.iter().enumerate() {
            let p = if matches!(v, Value::Array(_)) {
                idx(kp, i)
            } else {
                kp.to_string()
            };
            let path = match item {
                Value::Object(m) => m
                    .get("path")
                    .and_then(scalar)
                    .ok_or_else(|| InputError::new(&p, "env_file needs a path"))?,
                other => text(other, &p, "an env_file")?,
            };
            let rel = bundle_relative(&path);
            if rel == ".env" && self.bundle_env.is_none() {
                if !self.via_env_file.contains(&c.name) {
                    self.via_env_file.push(c.name.clone());
                }
                continue;
            }
            match crate::load::project_text(self.root, &rel) {
                Some(t) => {
                    for (name, value) in super::interpolate::parse_dotenv(&t) {
                        set_env(c, EnvVar { name, value, pointer: p.clone(), origin: None });
                    }
                }
                None => self.finding(codes::COMPOSE_ENV_FILE_MISSING, Severity::Warning, &p,
                    format!("env_file `{path}` of `{}` is not in the project, so its variables are missing here", c.name),
                    format!("Add the variables of `{path}` to the container's environment (secrets as ECS secrets).")),
            }
        }
        Ok(())
    }
}

/// Set a variable, replacing an earlier one of the same name.
fn set_env(c: &mut EbContainer, var: EnvVar) {
    c.environment.retain(|e| e.name != var.name);
    c.environment.push(var);
}
