//! Which EB platform a project folder targets, decided before a loader is chosen, by EB's own
//! rules and said out loud: `--platform` first, then the platform EB recorded (a saved
//! configuration's or describe output's platform, the `eb` CLI's `default_platform`), then the
//! project's evidence, weighed by the table [`LANGUAGE_MARKERS`] against the Docker files.
//!
//! EB's rules this follows:
//! - a Dockerrun.aws.json v2 is read only by the ECS-based (multicontainer) Docker platform,
//!   which never read a docker-compose.yml;
//! - on the Docker platform (Amazon Linux 2 and later) a docker-compose.yml, when the bundle has
//!   one, is what EB runs; without it, a Dockerfile and/or a Dockerrun.aws.json v1 (a v3 holds
//!   only registry authentication) — [`DOCKER_DOC`];
//! - the language platforms read the Procfile, Buildfile and `.platform/`, and never a Docker
//!   file.
//!
//! [`decide`] is pure (unit-tested on literal evidence); [`gather`] reads the folder.

use super::settings::SettingsDoc;
use crate::codes;
use crate::finding::{Finding, Severity, Source};
use std::path::Path;

/// The EB documentation of the Docker platform's files and their precedence.
pub const DOCKER_DOC: &str =
    "https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/single-container-docker-configuration.html";

/// Language-platform evidence: a path (a folder ends with `/`), its weight, and why it counts.
/// Dependency manifests share one weight (a Docker project builds them too).
pub const LANGUAGE_MARKERS: &[(&str, u8, &str)] = &[
    (
        "Buildfile",
        2,
        "only EB's language platforms run a Buildfile",
    ),
    (
        ".platform/httpd/",
        2,
        "Apache httpd is a proxy only EB's language platforms offer",
    ),
    (
        "Procfile",
        1,
        "EB's language platforms run the Procfile (its Docker platforms ignore it)",
    ),
    ("package.json", 1, MANIFEST),
    ("requirements.txt", 1, MANIFEST),
    ("Pipfile", 1, MANIFEST),
    ("application.py", 1, MANIFEST),
    ("pom.xml", 1, MANIFEST),
    ("build.gradle", 1, MANIFEST),
    ("build.gradle.kts", 1, MANIFEST),
    ("composer.json", 1, MANIFEST),
    ("index.php", 1, MANIFEST),
    ("Gemfile", 1, MANIFEST),
    ("config.ru", 1, MANIFEST),
    ("go.mod", 1, MANIFEST),
    ("application.go", 1, MANIFEST),
    (".csproj", 1, MANIFEST),
    (".jar", 1, MANIFEST),
    (".war", 1, MANIFEST),
    (".dll", 1, MANIFEST),
    ("gradlew", 1, MANIFEST),
    ("mvnw", 1, MANIFEST),
    ("app.js", 1, MANIFEST),
    ("server.js", 1, MANIFEST),
];

/// Whether a top-level file name or folder of a project is the marker `marker` of
/// [`LANGUAGE_MARKERS`] (a folder marker ends with `/`, a suffix marker starts with `.`).
pub fn marker_matches(dir: &Path, marker: &str, file: &str) -> bool {
    if let Some(folder) = marker.strip_suffix('/') {
        dir.join(folder).is_dir()
    } else if marker.starts_with('.') {
        file.to_ascii_lowercase().ends_with(marker)
    } else {
        file == marker
    }
}

const MANIFEST: &str = "an application manifest";

/// Weight of options in a language platform's own namespace (`aws:elasticbeanstalk:container:python`).
const NAMESPACE_WEIGHT: u8 = 2;
/// Weight of a Dockerrun.aws.json v1 or a docker-compose.yml EB would run.
const DOCKER_FILE_WEIGHT: u8 = 3;
/// Weight of a Dockerfile.
const DOCKERFILE_WEIGHT: u8 = 2;

/// The version of a Dockerrun.aws.json, by its `AWSEBDockerrunVersion` (else its shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DockerrunKind {
    /// Version 1: one container (the Docker platform).
    V1,
    /// Version 2: containers for ECS (the ECS-based multicontainer platform).
    V2,
    /// Version 3: registry authentication beside a docker-compose.yml.
    V3,
}

/// What a docker-compose.yml shows about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComposeLook {
    /// Its file name.
    pub file: String,
    /// Signs of a local-development file (`bind mount of .`, `database image postgres`).
    pub dev_signs: Vec<String>,
}

impl ComposeLook {
    /// Whether it looks like a local-development file: the working tree mounted, or two signs.
    pub fn is_dev(&self) -> bool {
        self.dev_signs
            .iter()
            .any(|s| s.starts_with("bind mount of"))
            || self.dev_signs.iter().any(|s| s.contains("sleep infinity"))
            || self.dev_signs.len() >= 2
    }
}

/// Everything the decision weighs, read from the folder by [`gather`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    /// The Dockerrun.aws.json and its version.
    pub dockerrun: Option<(String, DockerrunKind)>,
    /// The docker-compose.yml.
    pub compose: Option<ComposeLook>,
    /// Whether there is a root Dockerfile.
    pub dockerfile: bool,
    /// Language-platform evidence: (what, weight, why).
    pub language: Vec<(String, u8, String)>,
    /// The platform EB recorded, and where.
    pub named: Option<(String, String)>,
}

/// The platform a project targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Platform {
    /// The ECS-based multicontainer Docker platform (Dockerrun v2).
    Ecs,
    /// The Docker platform; `true` for the Amazon Linux 1 branch (no Compose).
    Docker(bool),
    /// A language platform, with the runtime when named (`python 3.11`).
    Language(Option<String>),
}

/// The loader that reads what EB ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loader {
    /// The Dockerrun.aws.json (v1 or v2).
    Dockerrun,
    /// The docker-compose.yml.
    Compose,
    /// The Dockerfile alone.
    Dockerfile,
    /// The language platform's application files.
    Language,
}

/// The decision: the loader, the runtime a language platform was named with, and the findings
/// that say why and what was not used.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Which loader reads the project.
    pub loader: Loader,
    /// The runtime `--platform` named, for the language platform's generator.
    pub runtime: Option<String>,
    /// What was decided and every candidate file left unused.
    pub findings: Vec<Finding>,
}

/// Classify a platform name (`--platform`, a platform ARN, a solution stack, `default_platform`).
pub fn classify(name: &str) -> Option<Platform> {
    let lower = name.trim().to_ascii_lowercase();
    let text = lower
        .rsplit_once(":platform/")
        .map_or(lower.as_str(), |(_, t)| t);
    if text == "ecs"
        || text.contains("multi-container docker")
        || text.contains("multicontainer docker")
        || text.starts_with("ecs running")
        || text.contains("ecs-based")
    {
        return Some(Platform::Ecs);
    }
    if text.contains("docker") {
        // `Amazon Linux 2` and `2023` ran Compose; `Amazon Linux` and `Amazon Linux 2018.03` did not.
        let branch = text.split_once("amazon linux").map(|(_, rest)| {
            rest.split(|c: char| c.is_whitespace() || c == '/')
                .find(|w| !w.is_empty())
        });
        let al2 = match branch {
            Some(Some(w)) => w == "2" || w == "2023",
            _ => text == "docker",
        };
        return Some(Platform::Docker(!al2));
    }
    crate::platforms::parse(name).map(|_| Platform::Language(Some(name.trim().to_string())))
}

/// Decide which platform and loader read the project. `Err` is a usage error (the named
/// platform's files are missing).
pub fn decide(ev: &Evidence, forced: Option<&str>) -> Result<Decision, String> {
    let mut findings = Vec::new();
    let named = ev
        .named
        .as_ref()
        .and_then(|(n, f)| Some((classify(n)?, n, f)));
    let strict = forced.is_some() || named.as_ref().is_some_and(|(p, ..)| fits(p, ev));
    let (platform, from) = match forced.map(|f| (classify(f), f)) {
        Some((Some(p), f)) => (p, format!("--platform {f}")),
        Some((None, f)) => return Err(format!("--platform {f:?} names no EB platform")),
        None => match named {
            Some((p, n, f)) if fits(&p, ev) => (p, format!("{f} `{n}`")),
            Some((_, n, f)) => {
                let (p, from) = by_evidence(ev, &mut findings);
                findings.push(conflict(
                    &p,
                    &from,
                    &format!("the platform {f} names ({n}), whose files the folder does not have"),
                ));
                (p, from)
            }
            None => by_evidence(ev, &mut findings),
        },
    };
    let loader = loader_for(&platform, ev, &from, strict)?;
    unused(ev, loader, &platform, &mut findings);
    // Said when there was a choice to make (a lone Dockerrun or app needs no word).
    if !findings.is_empty() || forced.is_some() {
        findings.insert(0, chosen(&platform, loader, ev, &from));
    }
    if let Some(c) = ev
        .compose
        .as_ref()
        .filter(|c| loader == Loader::Compose && c.is_dev())
    {
        findings.push(Finding::new(
            codes::COMPOSE_LOOKS_LOCAL,
            Severity::Warning,
            Source::new(&c.file, ""),
            format!("{} was converted (EB's Docker platform runs it when the bundle has one), but it looks like a local-development file: {}", c.file, c.dev_signs.join(", ")),
            "Check that the EB environment ran this file; if the deployed bundle left it out, convert the other files with --platform (or name them: eb2ecs convert DIR/Dockerrun.aws.json).",
        ));
    }
    let runtime = match (&platform, forced) {
        (Platform::Language(Some(r)), Some(_)) => Some(r.clone()),
        _ => None,
    };
    Ok(Decision {
        loader,
        runtime,
        findings,
    })
}

/// Whether the folder has the files the platform reads.
fn fits(p: &Platform, ev: &Evidence) -> bool {
    let docker = ev.dockerrun.is_some() || ev.compose.is_some() || ev.dockerfile;
    match p {
        Platform::Ecs => ev.dockerrun.is_some(),
        Platform::Docker(_) => docker,
        Platform::Language(_) => !ev.language.is_empty() || !docker,
    }
}

/// The platform the evidence shows, and a warning when the other side had real weight.
fn by_evidence(ev: &Evidence, findings: &mut Vec<Finding>) -> (Platform, String) {
    if let Some((file, DockerrunKind::V2)) = &ev.dockerrun {
        return (Platform::Ecs, format!("{file} (AWSEBDockerrunVersion 2)"));
    }
    let dev = ev.compose.as_ref().is_some_and(ComposeLook::is_dev);
    let mut docker: Vec<(String, u8)> = Vec::new();
    if let Some((file, DockerrunKind::V1)) = &ev.dockerrun {
        docker.push((file.clone(), DOCKER_FILE_WEIGHT));
    }
    if let Some(c) = ev.compose.as_ref().filter(|_| !dev) {
        docker.push((c.file.clone(), DOCKER_FILE_WEIGHT));
    }
    if ev.dockerfile {
        docker.push(("Dockerfile".to_string(), DOCKERFILE_WEIGHT));
    }
    let docker_weight: u8 = docker.iter().map(|d| d.1).sum();
    // A local-development compose file says the Docker files are the local setup.
    let docker_weight = if dev {
        docker_weight.saturating_sub(DOCKERFILE_WEIGHT)
    } else {
        docker_weight
    };
    let language_weight: u8 = ev.language.iter().map(|l| l.1).sum();
    let names = |v: Vec<String>| v.join(", ");
    let lang_names = match names(ev.language.iter().map(|l| l.0.clone()).collect()) {
        n if n.is_empty() => "no Docker file in the folder".to_string(),
        n => n,
    };
    let docker_names = names(docker.iter().map(|d| d.0.clone()).collect());
    let language = language_weight > docker_weight && !ev.language.is_empty();
    let (platform, from, lost, lost_weight) = if language || docker.is_empty() {
        let p = Platform::Language(None);
        (p, lang_names.clone(), docker_names, docker_weight)
    } else {
        (
            Platform::Docker(false),
            docker_names,
            lang_names,
            language_weight,
        )
    };
    if lost_weight >= 2 {
        findings.push(conflict(&platform, &from, &lost));
    }
    (platform, from)
}

/// The warning of evidence that truly conflicts.
fn conflict(platform: &Platform, from: &str, lost: &str) -> Finding {
    let (name, other) = match platform {
        Platform::Language(_) => ("a language platform", "docker".to_string()),
        _ => (
            "the Docker platform",
            "RUNTIME (node, \"python 3.11\", ...)".to_string(),
        ),
    };
    Finding::new(
        codes::PLATFORM_CONFLICT,
        Severity::Warning,
        Source::new(from.split(", ").next().unwrap_or(from), ""),
        format!("the project shows two EB platforms: converted as {name} by the stronger evidence ({from}) over {lost}"),
        format!("Check which platform the EB environment ran (its Platform in the console, or `eb status`); if it was the other one, run eb2ecs again with --platform {other}."),
    )
}

/// The loader the platform reads with, by EB's precedence among the files there (`strict`: the
/// platform was named; otherwise a local-development compose file gives way to the other
/// Docker files, taken to be what the deployed bundle held).
fn loader_for(
    platform: &Platform,
    ev: &Evidence,
    from: &str,
    strict: bool,
) -> Result<Loader, String> {
    let v1 = matches!(
        ev.dockerrun,
        Some((_, DockerrunKind::V1 | DockerrunKind::V2))
    );
    match platform {
        Platform::Ecs if ev.dockerrun.is_some() => Ok(Loader::Dockerrun),
        Platform::Ecs => Err(format!(
            "{from} names EB's ECS-based Docker platform, which runs a Dockerrun.aws.json v2, and the folder has none"
        )),
        Platform::Docker(al1) => {
            let compose = ev
                .compose
                .as_ref()
                .filter(|c| !*al1 && (strict || !c.is_dev() || (!v1 && !ev.dockerfile)));
            match (compose, v1, ev.dockerfile) {
                (Some(_), _, _) => Ok(Loader::Compose),
                (None, true, _) => Ok(Loader::Dockerrun),
                (None, false, true) => Ok(Loader::Dockerfile),
                (None, false, false) => Err(format!(
                    "{from} names EB's Docker platform, and the folder has no docker-compose.yml, Dockerfile or Dockerrun.aws.json"
                )),
            }
        }
        Platform::Language(_) => Ok(Loader::Language),
    }
}

/// The info finding that says which platform and files were read.
fn chosen(platform: &Platform, loader: Loader, ev: &Evidence, from: &str) -> Finding {
    let what = match platform {
        Platform::Ecs => "EB's ECS-based multicontainer Docker platform".to_string(),
        Platform::Docker(true) => "EB's Docker platform (Amazon Linux 1)".to_string(),
        Platform::Docker(false) => "EB's Docker platform".to_string(),
        Platform::Language(Some(r)) => format!("EB's {r} platform"),
        Platform::Language(None) => "one of EB's language platforms".to_string(),
    };
    let file = loaded_file(loader, ev);
    Finding::new(
        codes::PLATFORM_CHOSEN,
        Severity::Info,
        Source::new(&file, ""),
        format!("read as {what} (from {from}); what EB ran: {file}"),
        "Nothing to do if this is the platform the EB environment ran; otherwise run eb2ecs again with --platform (docker, ecs, or a runtime such as node or \"python 3.11\").",
    )
}

/// The file (or folder) the loader reads.
fn loaded_file(loader: Loader, ev: &Evidence) -> String {
    match loader {
        Loader::Dockerrun => ev.dockerrun.as_ref().map(|d| d.0.clone()),
        Loader::Compose => ev.compose.as_ref().map(|c| c.file.clone()),
        Loader::Dockerfile => Some("Dockerfile".to_string()),
        Loader::Language => Some("the application files".to_string()),
    }
    .unwrap_or_default()
}

/// One info finding per candidate file present and not used, saying why.
fn unused(ev: &Evidence, loader: Loader, platform: &Platform, out: &mut Vec<Finding>) {
    let mut push = |file: &str, why: String| {
        out.push(Finding::new(
            codes::PLATFORM_FILE_UNUSED,
            Severity::Info,
            Source::new(file, ""),
            format!("{file} was not converted: {why}"),
            "Nothing to do if the EB environment did not run it; otherwise name it: eb2ecs convert DIR/FILE, or --platform.",
        ));
    };
    if let Some(c) = ev.compose.as_ref().filter(|_| loader != Loader::Compose) {
        let why = match platform {
            Platform::Ecs => "EB's ECS-based platform runs the Dockerrun.aws.json v2 and never reads docker-compose.yml".to_string(),
            Platform::Docker(true) => "EB's Docker platform on Amazon Linux 1 does not run Docker Compose".to_string(),
            Platform::Docker(false) => format!("EB's Docker platform runs a docker-compose.yml when the bundle has one ({DOCKER_DOC}), but this one looks like a local-development file ({}), so it was taken to be left out of the deployed bundle", c.dev_signs.join(", ")),
            _ if c.is_dev() => format!("it looks like a local-development file ({})", c.dev_signs.join(", ")),
            _ => "the platform EB ran does not read it".to_string(),
        };
        push(&c.file, why);
    }
    if let Some((file, kind)) = ev
        .dockerrun
        .as_ref()
        .filter(|_| loader != Loader::Dockerrun)
    {
        let why = match (kind, loader) {
            (DockerrunKind::V3, Loader::Compose) => return,
            (_, Loader::Compose) => format!("on EB's Docker platform a docker-compose.yml takes precedence over a Dockerrun.aws.json v1 ({DOCKER_DOC})"),
            _ => "the platform EB ran does not read it".to_string(),
        };
        push(file, why);
    }
    let builds = matches!(
        loader,
        Loader::Dockerrun | Loader::Compose | Loader::Dockerfile
    );
    if ev.dockerfile && !builds {
        push(
            "Dockerfile",
            "EB's language platforms never build a Dockerfile".to_string(),
        );
    }
    if builds && !matches!(platform, Platform::Ecs) {
        for (file, _, _) in ev.language.iter().filter(|l| l.2.contains("run")) {
            push(file, "EB's Docker platforms do not read it".to_string());
        }
    }
}

/// Read the evidence of the folder `dir` (with the settings already read).
pub fn gather(dir: &Path, docs: &[SettingsDoc], config_platform: Option<&str>) -> Evidence {
    let listed: Vec<(String, bool)> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    let file = e.file_type().is_ok_and(|t| t.is_file());
                    (e.file_name().to_string_lossy().into_owned(), file)
                })
                .collect()
        })
        .unwrap_or_default();
    let mut sorted: Vec<String> = listed.iter().filter(|e| e.1).map(|e| e.0.clone()).collect();
    sorted.sort();
    // A Dockerrun.aws.json that is not a regular file is still the project's: its loader says
    // what is wrong with it (a folder, a dangling link).
    let mut all: Vec<String> = listed.into_iter().map(|e| e.0).collect();
    all.sort();
    let dockerrun = all
        .iter()
        .find(|n| n.eq_ignore_ascii_case("Dockerrun.aws.json"))
        .map(|n| (n.clone(), dockerrun_kind(&dir.join(n))));
    let compose = ["docker-compose.yml", "docker-compose.yaml"]
        .iter()
        .find(|n| sorted.iter().any(|e| e == *n))
        .map(|n| compose_look(n, &super::read_text(&dir.join(n)).unwrap_or_default()));
    Evidence {
        dockerrun,
        compose,
        dockerfile: sorted.iter().any(|n| n == "Dockerfile"),
        language: language(dir, &sorted, docs),
        named: named(docs, config_platform),
    }
}

/// The platform EB recorded: the settings' (highest layer last), else the `eb` CLI's.
fn named(docs: &[SettingsDoc], config_platform: Option<&str>) -> Option<(String, String)> {
    docs.iter()
        .rev()
        .find_map(|d| d.platform.clone().map(|p| (p, d.file.clone())))
        .or_else(|| {
            config_platform.map(|p| {
                (
                    p.to_string(),
                    ".elasticbeanstalk/config.yml default_platform".to_string(),
                )
            })
        })
}

/// The language evidence of the folder (top-level files, `.platform/httpd`, namespaces).
fn language(dir: &Path, files: &[String], docs: &[SettingsDoc]) -> Vec<(String, u8, String)> {
    let mut out: Vec<(String, u8, String)> = Vec::new();
    let mut manifest = false;
    for (marker, weight, why) in LANGUAGE_MARKERS {
        let hit = if marker.ends_with('/') {
            marker_matches(dir, marker, "").then(|| marker.to_string())
        } else {
            files
                .iter()
                .find(|f| marker_matches(dir, marker, f))
                .cloned()
        };
        let Some(hit) = hit else { continue };
        let weight = if *why == MANIFEST {
            if manifest {
                0
            } else {
                manifest = true;
                *weight
            }
        } else {
            *weight
        };
        out.push((hit, weight, why.to_string()));
    }
    let lang_ns = docs
        .iter()
        .flat_map(|d| d.options.iter().map(move |o| (d, o)))
        .find(|(_, o)| {
            let ns = o.namespace.to_ascii_lowercase();
            ns.starts_with("aws:elasticbeanstalk:container:") && !ns.contains("docker")
        });
    if let Some((d, o)) = lang_ns {
        let why = format!("{} is an option of a language platform", o.location());
        out.push((d.file.clone(), NAMESPACE_WEIGHT, why));
    }
    out
}

/// The version of the Dockerrun at `path` (an unreadable file counts as v1: its loader reports it).
fn dockerrun_kind(path: &Path) -> DockerrunKind {
    let doc: serde_json::Value = super::read_text(path)
        .ok()
        .and_then(|t| super::guard::json("Dockerrun.aws.json", &t).ok())
        .unwrap_or_default();
    let version = doc.get("AWSEBDockerrunVersion").map(|v| match v {
        serde_json::Value::String(s) => s.trim().to_string(),
        other => other.to_string(),
    });
    match version.as_deref() {
        Some("2") => DockerrunKind::V2,
        Some("3") => DockerrunKind::V3,
        Some("1") => DockerrunKind::V1,
        _ if doc.get("containerDefinitions").is_some() => DockerrunKind::V2,
        _ => DockerrunKind::V1,
    }
}

/// Database, cache and search images: services a deployed EB environment gets elsewhere.
const LOCAL_SERVICES: &[&str] = &[
    "postgres",
    "postgis",
    "mysql",
    "mariadb",
    "mongo",
    "redis",
    "memcached",
    "elasticsearch",
    "opensearch",
    "rabbitmq",
    "localstack",
    "mailhog",
    "mailcatcher",
    "adminer",
    "pgadmin",
    "dynamodb-local",
    "minio",
    "phpmyadmin",
];

/// The signs that a compose file is for local development.
pub fn compose_look(file: &str, text: &str) -> ComposeLook {
    let mut signs = Vec::new();
    let doc = super::guard::yaml(file, text).unwrap_or_default();
    let services = doc.get("services").and_then(|s| s.as_mapping());
    for (name, svc) in services.into_iter().flatten() {
        let name = name.as_str().unwrap_or_default();
        service_signs(name, svc, &mut signs);
    }
    signs.dedup();
    ComposeLook {
        file: file.to_string(),
        dev_signs: signs,
    }
}

/// The signs of one service.
fn service_signs(name: &str, svc: &serde_yaml_ng::Value, signs: &mut Vec<String>) {
    let text = |v: Option<&serde_yaml_ng::Value>| -> String {
        match v {
            Some(serde_yaml_ng::Value::String(s)) => s.clone(),
            Some(serde_yaml_ng::Value::Sequence(items)) => items
                .iter()
                .filter_map(|i| i.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            _ => String::new(),
        }
    };
    for v in svc
        .get("volumes")
        .and_then(|v| v.as_sequence())
        .into_iter()
        .flatten()
    {
        let source = v
            .as_str()
            .map(|s| s.split(':').next().unwrap_or_default().to_string())
            .or_else(|| v.get("source").and_then(|s| s.as_str()).map(str::to_string));
        if matches!(source.as_deref(), Some("." | "./")) {
            signs.push(format!("bind mount of . in {name}"));
        }
    }
    let image = text(svc.get("image")).to_ascii_lowercase();
    let base = image.rsplit('/').next().unwrap_or_default();
    if let Some(db) = LOCAL_SERVICES.iter().find(|d| base.starts_with(*d)) {
        signs.push(format!("{db} image in {name}"));
    }
    let command = text(svc.get("command")) + " " + &text(svc.get("entrypoint"));
    let idle = ["sleep infinity", "tail -f /dev/null", "cat /dev/null"];
    if let Some(i) = idle.iter().find(|i| command.contains(*i)) {
        signs.push(format!("`{i}` in {name}"));
    }
    let debug = [
        "--inspect",
        "start:debug",
        "nodemon",
        "runserver",
        "--reload",
        "rails s",
    ];
    if let Some(d) = debug.iter().find(|d| command.contains(*d)) {
        signs.push(format!("development command `{d}` in {name}"));
    }
    let env = serde_json::to_string(&serde_json::to_value(svc).unwrap_or_default())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if env.contains("=development") || env.contains("\"development\"") {
        signs.push(format!("development settings in {name}"));
    }
}

/// The platform decision as a section of the support matrix, from the same table it weighs.
pub fn matrix() -> String {
    let mut s = String::from(
        "## Which files EB ran: the platform decision\n\n\
eb2ecs decides which EB platform a project folder targets before it reads anything, in this order:\n\n\
1. `--platform` (`docker`, `ecs`, or a runtime such as `node` or `\"python 3.11\"`);\n\
2. the platform EB recorded: a saved configuration's or describe output's platform, else \
`.elasticbeanstalk/config.yml`'s `default_platform` (ignored, with a `PLATFORM-CONFLICT` warning, when the folder \
has none of that platform's files);\n\
3. the project's evidence: a Dockerrun.aws.json v2 means the ECS-based multicontainer platform (which never read \
docker-compose.yml); otherwise the Docker files (a Dockerrun v1 or a docker-compose.yml weigh 3, a Dockerfile 2; a \
docker-compose.yml that looks like a local-development file weighs nothing and takes 2 off) against the language \
evidence below; Docker wins a tie, and a loser that weighed 2 or more is a `PLATFORM-CONFLICT` warning.\n\n\
On the Docker platform EB's own precedence picks the file: a docker-compose.yml when the bundle has one, else a \
Dockerrun.aws.json v1 and/or a Dockerfile (",
    );
    s.push_str(DOCKER_DOC);
    s.push_str("). Every candidate file present and not used gets a `PLATFORM-FILE-UNUSED` finding saying why.\n\n| language evidence | weight | why |\n| --- | --- | --- |\n");
    for (marker, weight, why) in LANGUAGE_MARKERS {
        let weight = if *why == MANIFEST {
            "1 (all manifests together)".to_string()
        } else {
            weight.to_string()
        };
        s.push_str(&format!("| `{marker}` | {weight} | {why} |\n"));
    }
    s.push_str(&format!("| an option in `aws:elasticbeanstalk:container:LANGUAGE` | {NAMESPACE_WEIGHT} | an option only that language platform reads |\n"));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(file: &str, weight: u8, why: &str) -> (String, u8, String) {
        (file.to_string(), weight, why.to_string())
    }

    fn dev_compose() -> ComposeLook {
        compose_look(
            "docker-compose.yml",
            "services:\n  api:\n    build: .\n    volumes: ['.:/app']\n  db:\n    image: postgres:15\n",
        )
    }

    #[test]
    fn dev_compose_files_are_recognised() {
        let c = dev_compose();
        assert!(c.is_dev(), "{c:?}");
        assert_eq!(
            c.dev_signs,
            ["bind mount of . in api", "postgres image in db"]
        );
        let prod = compose_look(
            "docker-compose.yml",
            "services:\n  web:\n    image: nginx\n    ports: ['80:80']\n",
        );
        assert!(!prod.is_dev(), "{prod:?}");
    }

    #[test]
    fn platform_names_are_classified() {
        assert_eq!(
            classify("Multi-container Docker 17.12.1-ce (Generic)"),
            Some(Platform::Ecs)
        );
        assert_eq!(classify("ecs"), Some(Platform::Ecs));
        assert_eq!(
            classify("Docker running on 64bit Amazon Linux 2/3.5.0"),
            Some(Platform::Docker(false))
        );
        assert_eq!(classify("docker"), Some(Platform::Docker(false)));
        assert_eq!(
            classify("64bit Amazon Linux 2018.03 v2.16.0 running Docker 19.03"),
            Some(Platform::Docker(true))
        );
        assert_eq!(
            classify("python 3.11"),
            Some(Platform::Language(Some("python 3.11".into())))
        );
        assert_eq!(classify("cobol"), None);
    }

    #[test]
    fn a_dockerrun_v2_means_the_ecs_platform_whatever_compose_says() {
        let ev = Evidence {
            dockerrun: Some(("Dockerrun.aws.json".into(), DockerrunKind::V2)),
            compose: Some(dev_compose()),
            ..Default::default()
        };
        let d = decide(&ev, None).unwrap();
        assert_eq!(d.loader, Loader::Dockerrun);
        let codes: Vec<&str> = d.findings.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["PLATFORM-CHOSEN", "PLATFORM-FILE-UNUSED"]);
        assert!(d.findings[1]
            .message
            .contains("never reads docker-compose.yml"));
    }

    #[test]
    fn a_language_project_beside_a_dev_compose_is_a_language_project() {
        let ev = Evidence {
            compose: Some(dev_compose()),
            dockerfile: true,
            language: vec![
                lang("Procfile", 1, "run"),
                lang("package.json", 1, MANIFEST),
            ],
            ..Default::default()
        };
        let d = decide(&ev, None).unwrap();
        assert_eq!(d.loader, Loader::Language);
        assert!(
            d.findings.iter().all(|f| f.severity == Severity::Info),
            "{:?}",
            d.findings
        );
        assert!(d.findings[1].message.contains("local-development"));
    }

    #[test]
    fn strong_evidence_on_both_sides_is_a_warning_naming_platform() {
        let ev = Evidence {
            dockerfile: true,
            language: vec![
                lang("Procfile", 1, "run"),
                lang(".ebextensions/a.config", 2, "ns"),
            ],
            ..Default::default()
        };
        let d = decide(&ev, None).unwrap();
        assert_eq!(d.loader, Loader::Language);
        let w = d
            .findings
            .iter()
            .find(|f| f.code == "PLATFORM-CONFLICT")
            .unwrap();
        assert!(w.action.contains("--platform docker"), "{}", w.action);
    }

    #[test]
    fn the_named_platform_follows_eb_precedence() {
        let ev = Evidence {
            dockerrun: Some(("Dockerrun.aws.json".into(), DockerrunKind::V1)),
            compose: Some(compose_look(
                "docker-compose.yml",
                "services: {web: {image: nginx}}",
            )),
            dockerfile: true,
            named: Some((
                "Docker running on 64bit Amazon Linux 2".into(),
                "config".into(),
            )),
            ..Default::default()
        };
        let d = decide(&ev, None).unwrap();
        assert_eq!(d.loader, Loader::Compose);
        assert!(d.findings[1].message.contains("takes precedence"));
        let forced = decide(&ev, Some("python 3.11")).unwrap();
        assert_eq!(forced.loader, Loader::Language);
        assert_eq!(forced.runtime.as_deref(), Some("python 3.11"));
        assert!(decide(&ev, Some("cobol")).is_err());
        assert!(decide(&Evidence::default(), Some("ecs")).is_err());
    }

    #[test]
    fn docker_wins_ties_with_a_procfile() {
        let ev = Evidence {
            dockerfile: true,
            language: vec![lang("Procfile", 1, "run"), lang("Gemfile", 1, MANIFEST)],
            ..Default::default()
        };
        assert_eq!(decide(&ev, None).unwrap().loader, Loader::Dockerfile);
    }
}
