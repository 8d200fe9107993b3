//! EB's Docker platform without a Dockerrun v1/v2: a `docker-compose.yml` at the bundle root
//! (Compose mode) or only a `Dockerfile`, read into the same typed [`Dockerrun`] the Dockerrun
//! parser produces, so the conversion is shared.
//!
//! How EB ran a compose project, and so how it is read:
//! - every service ran on each instance: each becomes one container of one task (version V2);
//! - EB's proxy was off: the service publishing the process port (`80:80`) took the traffic, so
//!   host ports are kept in [`EbPort::host_port`] and the shared target rule finds it;
//! - EB wrote the environment properties to a generated `.env` (unless the bundle had one):
//!   containers saw them only through `env_file: .env` ([`Dockerrun::properties_via_env_file`])
//!   or `${VAR}` interpolation, which reads `.env` too;
//! - `${EB_LOG_BASE_DIR}/<service>` mounts were EB's log folders, relative bind mounts were
//!   bundle files (`/var/app/current/...`), and a Dockerrun.aws.json v3 beside the file held only
//!   the registry authentication.
//!
//! YAML is parsed with serde_yaml_ng (anchors and merge keys resolved), which keeps no
//! positions: errors and findings get their line from the pointer by [`lines::line_of`], which
//! follows the keys through the text's indentation. No compose model crate keeps positions and
//! the set of keys read is small, so the keys are read from the JSON value directly.

mod dockerfile;
mod interpolate;
mod lines;
mod one_shot;
mod service;
mod undefined;
mod values;

use super::dockerrun::{Authentication, Dockerrun, EbContainer, EbLink, EbVolume, Parsed, Version};
use super::settings::{merge, Setting, SettingsDoc};
use crate::codes;
use crate::error::{Error, InputError, Result};
use crate::finding::{Finding, Severity, Source};
use crate::support;
use interpolate::Vars;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use values::ptr;

/// The compose file EB reads (`docker-compose.yaml` is accepted too).
pub const COMPOSE_FILE: &str = "docker-compose.yml";
/// Where EB mounted each service's log folder (`${EB_LOG_BASE_DIR}`).
pub const EB_LOG_BASE_DIR: &str = "/var/log/eb-docker/containers";
const APP_ENV: &str = "aws:elasticbeanstalk:application:environment";

/// What kind of Docker platform project was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A docker-compose.yml.
    Compose,
    /// Only a Dockerfile.
    Dockerfile,
}

/// A Docker platform project that is not read as a Dockerrun v1/v2.
#[derive(Debug, Clone)]
pub struct Located {
    /// Compose or Dockerfile-only.
    pub kind: Kind,
    /// The compose file or the Dockerfile.
    pub path: PathBuf,
    /// The bundle root (relative paths of the compose file start there).
    pub root: PathBuf,
}

/// The project this loader reads, if any: a compose file named directly (`.yml`/`.yaml`), a
/// folder with a docker-compose.yml (whatever else it has), or a folder with a Dockerfile and no
/// Dockerrun.aws.json. `None`: a Dockerrun project.
pub fn locate(dir: Option<&Path>, named: Option<&Path>) -> Option<Located> {
    if let Some(f) = named {
        let yaml = f
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"));
        let root = f.parent().map(Path::to_path_buf).unwrap_or_default();
        return yaml.then(|| Located {
            kind: Kind::Compose,
            path: f.to_path_buf(),
            root,
        });
    }
    let d = dir?;
    let located = |kind, path: PathBuf| Located {
        kind,
        path,
        root: d.to_path_buf(),
    };
    for name in [COMPOSE_FILE, "docker-compose.yaml"] {
        if d.join(name).is_file() {
            return Some(located(Kind::Compose, d.join(name)));
        }
    }
    let has_dockerrun = std::fs::read_dir(d).ok()?.flatten().any(|e| {
        e.file_name()
            .to_string_lossy()
            .eq_ignore_ascii_case("Dockerrun.aws.json")
    });
    (!has_dockerrun && d.join("Dockerfile").is_file())
        .then(|| located(Kind::Dockerfile, d.join("Dockerfile")))
}

/// Read the project `loc` names. `display` names the file in errors, `label` in findings;
/// `docs` are the settings already read (EB's environment properties fill `.env`).
pub fn load(loc: &Located, display: &str, label: &str, docs: &[SettingsDoc]) -> Result<Parsed> {
    let text = super::read_text(&loc.path)?;
    match loc.kind {
        Kind::Dockerfile => Ok(dockerfile::read(&text, label, &loc.root)),
        Kind::Compose => load_compose(loc, &text, display, label, docs),
    }
}

fn load_compose(
    loc: &Located,
    text: &str,
    display: &str,
    label: &str,
    docs: &[SettingsDoc],
) -> Result<Parsed> {
    let raw = parse_yaml(display, text)?;
    let (settings, _) = merge(docs);
    let props: Vec<(String, Setting)> = settings
        .namespace(APP_ENV)
        .map(|(n, s)| (n.to_string(), s.clone()))
        .collect();
    let bundle_env = super::project_text(&loc.root, ".env").map(|t| interpolate::parse_dotenv(&t));
    let mut vars = Vars::default();
    vars.values
        .insert("EB_LOG_BASE_DIR".into(), EB_LOG_BASE_DIR.into());
    match &bundle_env {
        Some(env) => vars.values.extend(env.iter().cloned()),
        None => vars
            .values
            .extend(props.iter().map(|(n, s)| (n.clone(), s.value.clone()))),
    }
    let mut doc = raw.clone();
    let mut misses = Vec::new();
    interpolate_tree(&mut doc, "", &mut vars, &mut misses)
        .map_err(|e| located(display, text, e))?;
    let mut c = Compose {
        file: label.to_string(),
        text,
        root: &loc.root,
        findings: Vec::new(),
        volumes: Vec::new(),
        aliases: Vec::new(),
        bundle_env,
        props,
        vars,
        raw: &raw,
        via_env_file: Vec::new(),
    };
    let run = c.read(&doc).map_err(|e| located(display, text, e))?;
    c.vars.unset.clear();
    c.findings.extend(undefined::findings(label, text, &misses));
    Ok((run, c.findings))
}

/// Parse YAML text into JSON, merge keys applied; a syntax error names its line and column.
fn parse_yaml(display: &str, text: &str) -> Result<Value> {
    let at = |line: usize, column: usize, message: String| Error::Input {
        file: display.to_string(),
        line,
        column,
        message,
    };
    let mut yaml = super::guard::yaml(display, text)?;
    yaml.apply_merge()
        .map_err(|e| at(1, 1, format!("invalid YAML merge key: {e}")))?;
    serde_json::to_value(&yaml)
        .map_err(|e| at(1, 1, format!("a compose file must have string keys: {e}")))
}

/// An error at a pointer of the compose file, with the line it is on.
fn located(display: &str, text: &str, e: InputError) -> Error {
    Error::Input {
        file: display.to_string(),
        line: lines::line_of(text, &e.pointer),
        column: 1,
        message: format!("{} (at {})", e.message, e.pointer),
    }
}

/// Interpolate every string of `v` in place. A string that used a variable no one defined is
/// recorded in `misses`: an `image` keeps its `${VAR}` text (a placeholder the conversion
/// reports), an `environment` entry is left out (so the application's own default applies),
/// anything else gets compose's empty string.
fn interpolate_tree(
    v: &mut Value,
    pointer: &str,
    vars: &mut Vars,
    misses: &mut Vec<undefined::Miss>,
) -> std::result::Result<bool, InputError> {
    match v {
        Value::String(s) => {
            let before = vars.missed.len();
            let out = vars
                .interpolate(s)
                .map_err(|m| InputError::new(pointer, m))?;
            let names: Vec<String> = vars.missed.drain(before..).collect();
            if names.is_empty() {
                *s = out;
                return Ok(false);
            }
            let kind = undefined::kind_of(pointer);
            if kind != undefined::Kind::Image {
                *s = out;
            }
            misses.push(undefined::Miss {
                pointer: pointer.to_string(),
                names,
                kind,
            });
            Ok(true)
        }
        Value::Array(items) => {
            let env = pointer.ends_with("/environment");
            let mut keep = Vec::with_capacity(items.len());
            for (i, mut x) in std::mem::take(items).into_iter().enumerate() {
                let missed = interpolate_tree(&mut x, &values::idx(pointer, i), vars, misses)?;
                if !(env && missed) {
                    keep.push(x);
                }
            }
            *items = keep;
            Ok(false)
        }
        Value::Object(m) => {
            let env = pointer.ends_with("/environment");
            let mut dropped = Vec::new();
            for (k, x) in m.iter_mut() {
                if interpolate_tree(x, &ptr(pointer, k), vars, misses)? && env {
                    dropped.push(k.clone());
                }
            }
            for k in dropped {
                m.remove(&k);
            }
            Ok(false)
        }
        _ => Ok(false),
    }
}

/// The state of reading one compose file.
struct Compose<'a> {
    file: String,
    text: &'a str,
    root: &'a Path,
    findings: Vec<Finding>,
    volumes: Vec<EbVolume>,
    /// Each service's network aliases.
    aliases: Vec<(String, Vec<String>)>,
    /// The bundle's own `.env`, when it has one (EB then wrote no properties there).
    bundle_env: Option<Vec<(String, String)>>,
    /// EB's environment properties.
    props: Vec<(String, Setting)>,
    /// The interpolation variables (and the names found unset).
    vars: Vars,
    /// The file before interpolation.
    raw: &'a Value,
    /// Containers that read EB's generated `.env`.
    via_env_file: Vec<String>,
}

impl Compose<'_> {
    /// Record a finding at `pointer`, its line named in the message.
    fn finding(
        &mut self,
        code: codes::Code,
        severity: Severity,
        pointer: &str,
        message: impl Into<String>,
        action: impl Into<String>,
    ) {
        let line = lines::line_of(self.text, pointer);
        let message = format!("{} (line {line})", message.into());
        let source = Source::new(self.file.clone(), pointer);
        self.findings
            .push(Finding::new(code, severity, source, message, action));
    }

    /// The whole file.
    fn read(&mut self, doc: &Value) -> std::result::Result<Dockerrun, InputError> {
        let top = doc
            .as_object()
            .ok_or_else(|| InputError::new("", "a docker-compose.yml must be a map of keys"))?;
        let (services, base) = self.services(top)?;
        let mut containers = Vec::new();
        for (name, v) in services {
            let pointer = ptr(&base, name);
            if let Some(c) = self.service(name, v, &pointer)? {
                containers.push(c);
            }
        }
        if containers.is_empty() {
            return Err(InputError::new(
                base,
                "the compose file has no service EB would start",
            ));
        }
        crate::load::dockerrun::names_distinct(&containers, "")?;
        self.add_reach_links(&mut containers);
        self.one_shots(&mut containers);
        // ECS runs a dependsOn SUCCESS target to completion: it cannot be essential.
        let one_shot: Vec<String> = containers
            .iter()
            .flat_map(|c| c.depends_on.iter())
            .filter(|d| d.condition == "SUCCESS")
            .map(|d| d.container_name.clone())
            .collect();
        for c in containers.iter_mut().filter(|c| one_shot.contains(&c.name)) {
            c.essential = false;
        }
        self.file_level(&containers);
        Ok(Dockerrun {
            file: self.file.clone(),
            version: Version::V2,
            family: None,
            execution_role_arn: None,
            task_role_arn: None,
            authentication: self.v3_authentication(),
            volumes: std::mem::take(&mut self.volumes),
            containers,
            logging: None,
            properties_via_env_file: Some(std::mem::take(&mut self.via_env_file)),
        })
    }

    /// The services map and its pointer; the top-level keys checked against the table.
    fn services<'v>(
        &mut self,
        top: &'v Map<String, Value>,
    ) -> std::result::Result<(&'v Map<String, Value>, String), InputError> {
        let Some(services) = top.get("services") else {
            self.finding(codes::COMPOSE_LEGACY_FORMAT, Severity::Warning, "",
                "the file has no `services` key (the legacy compose format, which the Compose CLI on EB's current platform no longer reads): every top-level key is read as a service",
                "Check that EB really ran this file; move the services under `services:`.");
            return Ok((top, String::new()));
        };
        let services = services
            .as_object()
            .ok_or_else(|| InputError::new("/services", "services must be a map"))?;
        for key in top.keys().filter(|k| !k.starts_with("x-")) {
            let p = ptr("", key);
            match support::lookup(support::COMPOSE_TOP, key) {
                None => self.unknown_key(&p, key, "top-level"),
                Some(_) if key == "secrets" || key == "configs" => self.finding(
                    codes::COMPOSE_KEY_NOT_CONVERTED, Severity::Warning, &p,
                    format!("compose `{key}` are files mounted into the containers; ECS has no such files"),
                    "Put secrets in Secrets Manager or SSM (ECS `secrets`) and bake configuration files into the image."),
                Some(_) => {}
            }
        }
        Ok((services, "/services".to_string()))
    }

    /// A key the support table does not list.
    fn unknown_key(&mut self, pointer: &str, key: &str, what: &str) {
        self.finding(
            codes::COMPOSE_UNKNOWN_KEY,
            Severity::Warning,
            pointer,
            format!("unknown {what} compose key `{key}` is not carried over"),
            "Check whether it mattered to the application; if it did, add the equivalent by hand.",
        );
    }

    /// Links for the services a container reaches by name (in its environment or in the bundle
    /// files it mounts): compose resolved every service name, ECS needs a link (bridge) or
    /// `localhost` (awsvpc), which the shared link rules say.
    fn add_reach_links(&mut self, containers: &mut [EbContainer]) {
        // Every (service, alias) name once, in container order; looked up by the words of each
        // container's values (one pass per container, not one per container and name).
        let mut aliases: std::collections::HashMap<&str, Vec<String>> = Default::default();
        for (n, a) in &self.aliases {
            aliases
                .entry(n.as_str())
                .or_default()
                .extend(a.iter().cloned());
        }
        let names: Vec<(String, Option<String>)> = containers
            .iter()
            .flat_map(|c| {
                let own = aliases.get(c.name.as_str()).into_iter().flatten();
                std::iter::once((c.name.clone(), None))
                    .chain(own.map(|a| (c.name.clone(), Some(a.clone()))))
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut by_host: std::collections::HashMap<&str, Vec<usize>> = Default::default();
        let mut odd = Vec::new();
        for (i, (target, alias)) in names.iter().enumerate() {
            let host = alias.as_deref().unwrap_or(target);
            if crate::detect::plain_host(host) {
                by_host.entry(host).or_default().push(i);
            } else if !host.is_empty() {
                odd.push(i);
            }
        }
        for c in containers.iter_mut() {
            let files: Vec<String> =
                super::files::source_files(self.root, &mounted_bundle_paths(c, &self.volumes))
                    .0
                    .into_iter()
                    .map(|f| f.text)
                    .collect();
            let texts: Vec<&str> = c
                .environment
                .iter()
                .map(|e| e.value.as_str())
                .chain(files.iter().flat_map(|t| {
                    t.lines()
                        .filter(|l| !l.trim_start().starts_with("upstream "))
                }))
                .collect();
            let mut hit = std::collections::BTreeSet::new();
            for t in &texts {
                for w in crate::detect::host_words(t) {
                    hit.extend(by_host.get(w).into_iter().flatten().copied());
                }
            }
            // Names with boundary characters (an odd alias): the scan of old, for them alone.
            for &i in &odd {
                let (target, alias) = &names[i];
                let host = alias.as_deref().unwrap_or(target);
                if texts.iter().any(|t| crate::detect::mentions_host(t, host)) {
                    hit.insert(i);
                }
            }
            for i in hit {
                let (target, alias) = &names[i];
                let linked = c.links.iter().any(|l| &l.target == target);
                if target != &c.name && !linked {
                    c.links.push(EbLink {
                        target: target.clone(),
                        alias: alias.clone(),
                        pointer: c.pointer.clone(),
                    });
                }
            }
        }
    }

    /// Findings about the file as a whole: properties, independent services, the override file.
    fn file_level(&mut self, containers: &[EbContainer]) {
        self.properties_finding(containers);
        for c in containers {
            let Some(image) = &c.image else { continue };
            let base = super::dockerrun::name_from_image(image).to_ascii_lowercase();
            const STATEFUL: [&str; 9] = [
                "postgres",
                "mysql",
                "mariadb",
                "redis",
                "mongo",
                "memcached",
                "rabbitmq",
                "elasticsearch",
                "cassandra",
            ];
            if STATEFUL.iter().any(|s| base.starts_with(s)) {
                let others: Vec<&str> = containers
                    .iter()
                    .filter(|o| o.name != c.name)
                    .map(|o| o.name.as_str())
                    .collect();
                if !others.is_empty() {
                    self.finding(codes::COMPOSE_ONE_TASK, Severity::Warning, &c.image_pointer.clone(),
                        format!("`{}` ({image}) looks like an independent service, yet it runs in the same task as {} (as EB ran it on each instance): its data is lost with every task, and every task has its own copy", c.name, others.join(", ")),
                        format!("Move `{}` to a managed service (RDS, ElastiCache, DocumentDB, Amazon MQ) or its own ECS service, and point the application at it.", c.name));
                }
            }
        }
        if self.root.join("docker-compose.override.yml").is_file() {
            self.finding(codes::COMPOSE_OVERRIDE_IGNORED, Severity::Info, "",
                "the project has a docker-compose.override.yml, which EB did not read (it runs `docker compose` on docker-compose.yml only): it is ignored here too",
                "Nothing to do unless you relied on it locally only; move anything production needs into docker-compose.yml.");
        }
    }

    /// Services that run once (no `restart`, no published port, a command that exits:
    /// `mkdir`, migrations, seeders) are not essential, and the containers that started after
    /// them wait for them to succeed (`dependsOn` `SUCCESS`), as the service ran to completion.
    fn one_shots(&mut self, containers: &mut [EbContainer]) {
        let once: Vec<(String, String)> = containers
            .iter()
            .filter(|c| c.original.get("restart").is_none() && c.original.get("ports").is_none())
            .filter_map(|c| Some((c.name.clone(), one_shot::exits(c.command.as_deref()?)?)))
            .collect();
        for (name, why) in &once {
            let waiting: Vec<String> = containers
                .iter_mut()
                .filter_map(|c| {
                    let d = c
                        .depends_on
                        .iter_mut()
                        .find(|d| &d.container_name == name)?;
                    d.condition = "SUCCESS".to_string();
                    Some(format!("`{}`", c.name))
                })
                .collect();
            if let Some(c) = containers.iter_mut().find(|c| &c.name == name) {
                c.essential = false;
                let pointer = c.pointer.clone();
                let after = if waiting.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; {} wait{} for it to succeed (dependsOn SUCCESS)",
                        waiting.join(", "),
                        if waiting.len() == 1 { "s" } else { "" }
                    )
                };
                self.finding(codes::COMPOSE_ONE_SHOT, Severity::Info, &pointer,
                    format!("`{name}` runs once and exits ({why}, no restart policy): it is not essential{after}"),
                    "Nothing to do if it only prepares the task; if it must run once per deployment rather than per task, move it to a one-off ECS task.");
            }
        }
    }

    /// Which containers EB's properties reached.
    fn properties_finding(&mut self, containers: &[EbContainer]) {
        if self.props.is_empty() {
            return;
        }
        let source = self.props[0].1.source.clone();
        let message = if self.bundle_env.is_some() {
            format!("the bundle has its own .env, so EB did not write its {} environment properties there: no container received them (only `${{VAR}}` in the compose file read .env)", self.props.len())
        } else {
            let got: Vec<String> = self.via_env_file.iter().map(|n| format!("`{n}`")).collect();
            let not: Vec<String> = containers
                .iter()
                .filter(|c| !self.via_env_file.contains(&c.name))
                .map(|c| format!("`{}`", c.name))
                .collect();
            format!("EB wrote its {} environment properties to .env: they reach {} (env_file: .env) and not {}; the task definition does the same", self.props.len(),
                if got.is_empty() { "no container".to_string() } else { got.join(", ") },
                if not.is_empty() { "the others".to_string() } else { not.join(", ") })
        };
        self.findings.push(Finding::new(codes::COMPOSE_PROPERTIES_ENV_FILE, Severity::Info, source, message,
            "Nothing to do; a variable a container needs but did not get must be added to its environment."));
    }

    /// The authentication of a Dockerrun.aws.json v3 beside the compose file.
    fn v3_authentication(&mut self) -> Option<Authentication> {
        let text = crate::load::project_text(self.root, "Dockerrun.aws.json")?;
        let doc: Value = serde_json::from_str(&text).ok()?;
        let auth = doc
            .as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("authentication"))?
            .1
            .as_object()?;
        let get = |name: &str| {
            auth.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .and_then(|(_, v)| v.as_str())
                .map(str::to_string)
        };
        let (bucket, key) = (get("bucket")?, get("key")?);
        self.finding(codes::DOCKERRUN_V3_AUTH, Severity::Info, "",
            format!("Dockerrun.aws.json (v3) beside the compose file gave EB the registry credentials s3://{bucket}/{key}"),
            "They become repositoryCredentials, as for a v1/v2 Dockerrun (see the authentication finding).");
        Some(Authentication {
            bucket,
            key,
            pointer: String::new(),
        })
    }
}

/// The bundle paths (relative to the root) the container mounts.
fn mounted_bundle_paths(c: &EbContainer, volumes: &[EbVolume]) -> Vec<String> {
    let vols: Vec<EbVolume> = volumes
        .iter()
        .filter(|v| c.mount_points.iter().any(|m| m.source_volume == v.name))
        .cloned()
        .collect();
    let run = Dockerrun {
        file: String::new(),
        version: Version::V2,
        family: None,
        execution_role_arn: None,
        task_role_arn: None,
        authentication: None,
        volumes: vols,
        containers: Vec::new(),
        logging: None,
        properties_via_env_file: None,
    };
    super::bundle_paths(&run)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Load `compose` from a temporary project with `files` beside it.
    fn load_text(compose: &str, files: &[(&str, &str)]) -> Result<Parsed> {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(COMPOSE_FILE), compose).expect("write");
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        let loc = locate(Some(dir.path()), None).expect("a compose project");
        load(&loc, COMPOSE_FILE, COMPOSE_FILE, &[])
    }

    fn codes_of(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| f.code.as_str()).collect()
    }

    const PHP_NGINX: &str = "services:\n  php:\n    image: php:fpm\n    env_file: .env\n  web:\n    image: nginx\n    ports: [\"80:80\"]\n    volumes:\n      - ./conf:/etc/nginx/conf.d:ro\n      - ${EB_LOG_BASE_DIR}/web:/var/log/nginx\n    colour: blue\n";

    #[test]
    fn services_become_containers_of_one_task() {
        let (run, findings) =
            load_text(PHP_NGINX, &[("conf/site.conf", "fastcgi_pass php:9000;\n")]).unwrap();
        assert_eq!(run.version, Version::V2);
        let names: Vec<&str> = run.containers.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["php", "web"]);
        let web = &run.containers[1];
        assert_eq!(web.port_mappings[0].host_port, Some(80));
        assert_eq!(web.port_mappings[0].pointer, "/services/web/ports/0");
        assert_eq!(web.mount_points[0].read_only, Some(true));
        assert_eq!(web.mount_points[1].source_volume, "awseb-logs-web");
        assert_eq!(run.volumes.len(), 1, "{:?}", run.volumes);
        assert_eq!(
            run.volumes[0].source_path.as_deref(),
            Some("/var/app/current/conf")
        );
        // nginx's mounted config names `php`: a link, so the shared hostname rules see it.
        assert_eq!(web.links[0].target, "php");
        assert_eq!(run.properties_via_env_file, Some(vec!["php".to_string()]));
        assert_eq!(codes_of(&findings), vec!["COMPOSE-UNKNOWN-KEY"]);
        assert!(
            findings[0].message.ends_with("(line 11)"),
            "{}",
            findings[0].message
        );
    }

    #[test]
    fn the_bundle_env_file_feeds_interpolation() {
        let compose = "services:\n  app:\n    build: .\n    image: app:${TAG:-dev}\n    environment:\n      - PORT=${PORT}\n      - MISSING\n    depends_on:\n      job: {condition: service_completed_successfully}\n  job:\n    image: busybox\n    profiles: [tools]\n  db:\n    image: postgres:16\n";
        let (run, findings) = load_text(compose, &[(".env", "PORT=8080\n")]).unwrap();
        let app = &run.containers[0];
        assert_eq!(app.image, None, "built: a placeholder image");
        assert_eq!(app.environment[0].value, "8080");
        assert_eq!(app.environment.len(), 1);
        assert_eq!(app.depends_on[0].condition, "SUCCESS");
        assert_eq!(run.containers.len(), 2, "the profile's service is left out");
        assert_eq!(run.properties_via_env_file, Some(vec![]));
        assert_eq!(
            codes_of(&findings),
            vec![
                "COMPOSE-INTERPOLATION",
                "COMPOSE-BUILD",
                "COMPOSE-PROFILE-SKIPPED",
                "COMPOSE-ONE-TASK"
            ]
        );
    }

    #[test]
    fn a_required_variable_stops_with_its_line() {
        let err = load_text("services:\n  a:\n    image: x\n    user: ${U:?who}\n", &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains(":4:"), "{err}");
        assert!(err.contains("required variable U is not set: who"), "{err}");
    }

    #[test]
    fn a_dockerrun_v3_gives_the_authentication() {
        let v3 = r#"{"AWSEBDockerrunVersion": 3, "Authentication": {"bucket": "b", "key": "k"}}"#;
        let (run, findings) = load_text(
            "services:\n  a:\n    image: r.example.com/a\n",
            &[("Dockerrun.aws.json", v3)],
        )
        .unwrap();
        let auth = run.authentication.expect("authentication");
        assert_eq!((auth.bucket.as_str(), auth.key.as_str()), ("b", "k"));
        assert_eq!(codes_of(&findings), vec!["DOCKERRUN-V3-AUTH"]);
    }

    #[test]
    fn every_service_key_of_the_table_is_known() {
        for spec in support::COMPOSE_SERVICE {
            let compose = format!("services:\n  a:\n    image: x\n    {}: null\n", spec.key);
            let found = load_text(&compose, &[])
                .map(|(_, f)| codes_of(&f).contains(&"COMPOSE-UNKNOWN-KEY"));
            assert_ne!(
                found.ok(),
                Some(true),
                "table key `{}` is reported unknown",
                spec.key
            );
        }
    }
}
