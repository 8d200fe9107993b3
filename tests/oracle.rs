//! The application oracle: for every golden case with a generated Dockerfile and every project
//! under `testdata/apps/`, convert it, put the Dockerfile and .dockerignore at the project root
//! (where CHECKLIST.md says they build), build the image with buildah on local stand-ins of the
//! official base images (`scripts/standins/build`), start it the way the task definition runs it
//! (command, entry point, environment, user, working directory, port) and require a 2xx/3xx
//! answer on the target group's health-check path within a deadline.
//!
//! It runs only with `EB2ECS_ORACLE=1` (set by `./scripts/test`): it needs root, buildah and
//! debootstrap, the Debian mirror, PyPI and npm, and minutes. With the variable set, a missing
//! tool fails the test. Each subject has an expectation (`serve`, `build`, `static`, or a known
//! failure `fail-build` / `fail-serve` with its reason): an app's `ORACLE.md` says it on a line
//! `expect: …`, a golden case's is in [`CASE_EXPECT`]. The outcome must match, so a fixed
//! generator shows up as a test to update, and a broken one as a failure.

mod common;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a started image has to answer its health check (JVMs on a busy 2-core machine).
const SERVE_DEADLINE: Duration = Duration::from_secs(120);

/// The expectation of golden cases (the generated Dockerfile of `testdata/cases/<case>`), with
/// why when it is not `serve`. Golden inputs are conversion fixtures, not always whole apps.
/// Written for main with the `img` helper's generator merged (its cases are listed too; an
/// entry for a case that does not exist is unused).
const CASE_EXPECT: &[(&str, &str, &str)] = &[
    (
        "commands-classes",
        "fail-build",
        "a classification fixture with commands of several platforms: `pecl install` has no pecl in a Python image (EB's instance would have failed too)",
    ),
    ("commands-cron-files", "serve", ""),
    ("commands-efs", "serve", ""),
    ("commands-efs-unnamed", "serve", ""),
    ("delivery-oneoff", "serve", ""),
    ("delivery-platform", "serve", ""),
    ("oneoff-migrate", "serve", ""),
    (
        "read-env-in-code",
        "fail-serve",
        "the app reads RDS_PASSWORD and the other coupled-database variables at import: they come from the database's endpoint and secret (stack parameters and a secret, ENV-RDS-COUPLED), which the oracle has not",
    ),
    (
        "read-env-rds-engine",
        "fail-serve",
        "the app reads RDS_HOSTNAME, RDS_PORT and RDS_PASSWORD at import: stack parameters and a secret (ENV-RDS-COUPLED) the oracle has not",
    ),
    ("read-node-dev-compose", "serve", ""),
    ("read-platform-override", "serve", ""),
    ("platform-django", "serve", ""),
    (
        "platform-dotnet",
        "static",
        "no .NET stand-in (not in Debian; Microsoft's feed is unreachable)",
    ),
    ("platform-dotnet-netcoreapp31", "static", "no .NET stand-in"),
    ("platform-dotnet-spa", "static", "no .NET stand-in"),
    ("platform-drupal", "serve", ""),
    ("platform-express", "serve", ""),
    ("platform-flask", "serve", ""),
    ("platform-go", "serve", ""),
    (
        "platform-java-gradle",
        "static",
        "no Gradle stand-in (Debian's Gradle 4.4 cannot run on Java 17)",
    ),
    (
        "platform-java-maven",
        "fail-build",
        "mvn package needs Maven Central, unreachable here",
    ),
    (
        "platform-laravel",
        "fail-build",
        "composer.json needs laravel/framework from packagist, unreachable here",
    ),
    ("platform-node-no-package", "serve", ""),
    ("platform-node-nvmrc", "serve", ""),
    (
        "platform-node-procfile",
        "fail-build",
        "its package-lock.json is a stub: npm ci refuses it",
    ),
    ("platform-php-platform-pin", "serve", ""),
    (
        "platform-rails",
        "fail-build",
        "the Gemfile needs rails from rubygems.org, unreachable here",
    ),
    (
        "platform-rails-assets",
        "fail-build",
        "the Gemfile needs rails from rubygems.org, unreachable here",
    ),
    (
        "platform-spring-boot",
        "fail-serve",
        "the jar is a placeholder, not a runnable Spring Boot jar",
    ),
    ("platform-tomcat-jakarta", "serve", ""),
    ("platform-tomcat-javax", "serve", ""),
    (
        "platform-tomcat-war",
        "fail-serve",
        "ROOT.war is a placeholder, not a web archive",
    ),
];

/// Only one image serves at a time: they share the host's network and often their port.
static SERVE: Mutex<()> = Mutex::new(());

/// Whether the oracle is to run (`EB2ECS_ORACLE=1`); says how to run it when not.
fn enabled() -> bool {
    let on = std::env::var("EB2ECS_ORACLE").is_ok_and(|v| v == "1");
    if !on {
        eprintln!(
            "oracle: skipped; ./scripts/test runs it (EB2ECS_ORACLE=1, needs root and buildah)"
        );
    }
    on
}

/// Fail (never skip) when a tool the oracle needs is missing.
fn require_tools() {
    for tool in ["buildah", "debootstrap", "timeout", "kill"] {
        let found = std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
            .unwrap_or(false);
        assert!(
            found,
            "oracle: {tool} is not on PATH; ./scripts/test installs it (apt-get)"
        );
    }
}

/// What a subject is expected to do, from `ORACLE.md` (`expect: …`) or [`CASE_EXPECT`].
#[derive(Clone, Debug, PartialEq)]
enum Expect {
    /// Build, start and answer the health check.
    Serve,
    /// Build; nothing serves HTTP (a worker, a fixture without an app).
    Build,
    /// Checked statically only: no stand-in for its base image.
    Static,
    /// A known failure to build, with the reason.
    FailBuild,
    /// A known failure to answer, with the reason.
    FailServe,
    /// A known failure of `eb2ecs convert` itself, with the reason.
    FailConvert,
}

impl Expect {
    fn parse(word: &str) -> Expect {
        match word {
            "serve" => Expect::Serve,
            "build" => Expect::Build,
            "static" => Expect::Static,
            "fail-build" => Expect::FailBuild,
            "fail-serve" => Expect::FailServe,
            "fail-convert" => Expect::FailConvert,
            other => panic!("oracle: unknown expectation {other:?}"),
        }
    }
}

/// One project the oracle builds and starts.
struct Subject {
    /// `case NAME` or `app NAME`.
    label: String,
    /// The project folder (the build context's source).
    project: PathBuf,
    /// What `eb2ecs convert` wrote, by file name (empty when it failed: see `convert_error`).
    out: BTreeMap<String, String>,
    /// Why `eb2ecs convert` failed, when it did.
    convert_error: Option<String>,
    expect: Expect,
    /// Why, when the expectation is not `serve`.
    reason: String,
}

/// The `expect:` line of an app's ORACLE.md (serve when there is none).
fn app_expect(dir: &Path) -> (Expect, String) {
    let text = fs::read_to_string(dir.join("ORACLE.md")).unwrap_or_default();
    let word = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("expect:"))
        .map(|w| w.trim().to_string())
        .unwrap_or_else(|| "serve".into());
    (Expect::parse(&word), text)
}

/// Convert `args` (project name `name`) into file name -> content.
fn convert(args: &[String], name: &str) -> Result<BTreeMap<String, String>, String> {
    let (_, artefacts) = common::convert_args(args, name).map_err(|e| e.to_string())?;
    Ok(artefacts
        .into_iter()
        .map(|a| (a.name.to_string(), a.content))
        .collect())
}

/// Whether `EB2ECS_ORACLE_ONLY=WORD` (while developing) leaves out the subject `label`.
fn left_out(label: &str) -> bool {
    std::env::var("EB2ECS_ORACLE_ONLY").is_ok_and(|only| !label.contains(&only))
}

/// The golden cases with a generated Dockerfile, and every app.
fn subjects() -> Vec<Subject> {
    let mut out = Vec::new();
    for dir in common::cases() {
        let name = common::case_name(&dir);
        if left_out(&format!("case {name}")) {
            continue;
        }
        let files = convert(&common::case_args(&dir), &name)
            .unwrap_or_else(|e| panic!("golden case {name} does not convert: {e}"));
        if !files.contains_key("Dockerfile") {
            continue;
        }
        let (_, word, why) = CASE_EXPECT
            .iter()
            .find(|(c, _, _)| *c == name)
            .unwrap_or_else(|| panic!("oracle: add golden case {name} to CASE_EXPECT"));
        out.push(Subject {
            label: format!("case {name}"),
            project: dir.join("input"),
            out: files,
            convert_error: None,
            expect: Expect::parse(word),
            reason: why.to_string(),
        });
    }
    for dir in common::subdirs("testdata/apps") {
        if !left_out(&format!("app {}", common::case_name(&dir))) {
            out.push(app_subject(&dir));
        }
    }
    out
}

/// An app of `testdata/apps/` (its `args` file adds convert options).
fn app_subject(dir: &Path) -> Subject {
    let name = common::case_name(dir);
    let mut args = vec![dir.display().to_string()];
    args.extend(common::args_file(dir));
    let (expect, reason) = app_expect(dir);
    let converted = convert(&args, &name);
    Subject {
        label: format!("app {name}"),
        project: dir.to_path_buf(),
        convert_error: converted.as_ref().err().cloned(),
        out: converted.unwrap_or_default(),
        expect,
        reason,
    }
}

/// The Dockerfile the image builds from: the generated one, else the project's own.
fn dockerfile(s: &Subject) -> String {
    s.out.get("Dockerfile").cloned().unwrap_or_else(|| {
        fs::read_to_string(s.project.join("Dockerfile")).unwrap_or_else(|e| {
            panic!(
                "{}: no generated Dockerfile and none in the project: {e}",
                s.label
            )
        })
    })
}

/// The base images a Dockerfile pulls (FROM lines that do not name an earlier stage).
fn base_images(dockerfile: &str) -> Vec<String> {
    let mut stages = BTreeSet::new();
    let mut images = Vec::new();
    for line in dockerfile.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words
            .first()
            .is_some_and(|w| w.eq_ignore_ascii_case("FROM"))
        {
            let image = words.iter().skip(1).find(|w| !w.starts_with("--"));
            if let Some(image) = image {
                if !stages.contains(&image.to_lowercase()) && !images.contains(&image.to_string()) {
                    images.push(image.to_string());
                }
            }
            if let [.., as_, name] = words.as_slice() {
                if as_.eq_ignore_ascii_case("AS") {
                    stages.insert(name.to_lowercase());
                }
            }
        }
    }
    images
}

/// Whether a stand-in recipe provides `image` (`scripts/standins/build --list`'s globs).
fn has_standin(image: &str) -> bool {
    let out = Command::new(common::root().join("scripts/standins/build"))
        .arg("--list")
        .output()
        .expect("run scripts/standins/build --list");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_once("# provides:").map(|(_, g)| g.to_string()))
        .flat_map(|g| g.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .any(|glob| glob_match(&glob, image))
}

/// Shell-style `*` globs (all the recipes use).
fn glob_match(glob: &str, text: &str) -> bool {
    match glob.split_once('*') {
        None => glob == text,
        Some((head, rest)) => {
            text.starts_with(head)
                && (0..=text.len() - head.len()).any(|i| glob_match(rest, &text[head.len() + i..]))
        }
    }
}

/// Build (or reuse) the stand-ins of `images`.
fn ensure_standins(images: &BTreeSet<String>) {
    if images.is_empty() {
        return;
    }
    let t0 = Instant::now();
    let status = Command::new(common::root().join("scripts/standins/build"))
        .args(images)
        .status()
        .expect("run scripts/standins/build");
    assert!(
        status.success(),
        "oracle: the stand-ins of {images:?} did not build"
    );
    eprintln!("oracle: stand-ins {images:?} ready in {:.0?}", t0.elapsed());
}

/// Copy the project and put the Dockerfile and .dockerignore at its root.
fn build_context(s: &Subject, dir: &Path) {
    copy_dir(&s.project, dir);
    fs::write(dir.join("Dockerfile"), dockerfile(s)).unwrap();
    if let Some(ignore) = s.out.get(".dockerignore") {
        fs::write(dir.join(".dockerignore"), ignore).unwrap();
    }
    // The app's notes for the oracle are not part of the project.
    let _ = fs::remove_file(dir.join("ORACLE.md"));
    let _ = fs::remove_file(dir.join("args"));
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The image tag of a subject.
fn tag(s: &Subject) -> String {
    format!("localhost/eb2ecs-oracle/{}", s.label.replace(' ', "-"))
}

/// Build the subject's image; the build log on failure.
fn build(s: &Subject, ctx: &Path) -> Result<Duration, String> {
    let t0 = Instant::now();
    let out = Command::new("timeout")
        .args([
            "1200",
            "buildah",
            "bud",
            "--isolation=chroot",
            "--network=host",
        ])
        .args([
            "--pull=never",
            "--layers",
            "--force-rm",
            "-t",
            &tag(s),
            "-f",
        ])
        .arg(ctx.join("Dockerfile"))
        .arg(ctx)
        .output()
        .expect("run buildah bud");
    if out.status.success() {
        Ok(t0.elapsed())
    } else {
        Err(tail(&format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )))
    }
}

/// The last 40 lines of a log.
fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

/// How the task definition runs the container: what ECS would start.
#[derive(Debug, Default)]
struct RunSpec {
    argv: Vec<String>,
    env: Vec<(String, String)>,
    user: String,
    workdir: String,
    port: u16,
    path: String,
    /// How long it has to answer.
    deadline: Duration,
}

fn strings(v: &Value) -> Option<Vec<String>> {
    v.as_array().map(|a| {
        a.iter()
            .map(|x| x.as_str().unwrap_or_default().to_string())
            .collect()
    })
}

/// The image's own config (`buildah inspect`): Entrypoint, Cmd, User, WorkingDir.
fn image_config(image: &str) -> Value {
    let out = Command::new("buildah")
        .args(["inspect", "--type", "image", image])
        .output()
        .expect("run buildah inspect");
    assert!(out.status.success(), "buildah inspect {image} failed");
    let all: Value = serde_json::from_slice(&out.stdout).expect("buildah inspect prints JSON");
    all["OCIv1"]["config"].clone()
}

/// The container the task definition serves traffic from (the one with a port mapping).
fn web_container(td: &Value) -> &Value {
    let defs = td["containerDefinitions"]
        .as_array()
        .expect("containerDefinitions");
    defs.iter()
        .find(|c| c["portMappings"].as_array().is_some_and(|p| !p.is_empty()))
        .unwrap_or(&defs[0])
}

/// Merge the task definition over the image the way ECS does: an entry point given resets the
/// image's command; command, user and working directory replace the image's.
fn run_spec(s: &Subject, image: &Value) -> RunSpec {
    let td: Value = serde_json::from_str(&s.out["task-definition.json"]).expect("task definition");
    let c = web_container(&td);
    let entry = strings(&c["entryPoint"]);
    let cmd = strings(&c["command"]);
    let mut argv = entry
        .clone()
        .or_else(|| strings(&image["Entrypoint"]))
        .unwrap_or_default();
    argv.extend(
        cmd.or_else(|| {
            if entry.is_some() {
                None
            } else {
                strings(&image["Cmd"])
            }
        })
        .unwrap_or_default(),
    );
    let env = c["environment"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_string(),
                e["value"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let pick = |k: &str, ik: &str| {
        c[k].as_str()
            .or_else(|| image[ik].as_str())
            .filter(|v| !v.is_empty())
            .unwrap_or_default()
            .to_string()
    };
    RunSpec {
        argv,
        env,
        user: pick("user", "User"),
        workdir: pick("workingDirectory", "WorkingDir"),
        port: c["portMappings"][0]["containerPort"]
            .as_u64()
            .expect("containerPort") as u16,
        path: health_check_path(s),
        deadline: SERVE_DEADLINE,
    }
}

/// The target group's health-check path in the generated stack (`/` without a load balancer).
fn health_check_path(s: &Subject) -> String {
    let stack = s
        .out
        .get("cloudformation.yaml")
        .map(String::as_str)
        .unwrap_or_default();
    stack
        .lines()
        .find_map(|l| l.trim().strip_prefix("HealthCheckPath:"))
        .map(|p| p.trim().trim_matches('"').trim_matches('\'').to_string())
        .unwrap_or_else(|| "/".into())
}

/// Fail when something already listens on the port: it, not the image, would answer.
fn assert_port_free(port: u16) -> Result<(), String> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    if TcpStream::connect_timeout(&addr, Duration::from_millis(300)).is_ok() {
        return Err(format!(
            "port {port} is already in use: something else would answer"
        ));
    }
    TcpListener::bind(("0.0.0.0", port))
        .map(drop)
        .map_err(|e| format!("port {port} cannot be bound ({e}): something else holds it"))
}

/// The status code of `GET path` on 127.0.0.1:port, if anything answers.
fn http_status(port: u16, path: &str) -> Option<u16> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: ELB-HealthChecker/2.0\r\nConnection: close\r\n\r\n").ok()?;
    let mut head = [0u8; 64];
    let n = stream.read(&mut head).ok()?;
    let line = String::from_utf8_lossy(&head[..n]).to_string();
    line.strip_prefix("HTTP/1.")?.get(2..5)?.parse().ok()
}

/// Runs `$2…` as the user `$1` (`NAME`, `UID` or `UID:GID`, as ECS reads `user`) the way runc
/// starts a container: its stdout and stderr handed to that user (so an image that logs to
/// /dev/stderr as a non-root user works, as it does under Docker), HOME from /etc/passwd.
const AS_USER: &str = r#"u="$1"; shift
case "$u" in *:*) uid=${u%%:*}; gid=${u#*:} ;; *) uid=$u; gid= ;; esac
n=$(id -u "$uid" 2>/dev/null) && uid=$n
[ -n "$gid" ] || gid=$(id -g "$uid" 2>/dev/null) || gid=0
home=$(getent passwd "$uid" | cut -d: -f6)
export HOME="${home:-/}"
chown "$uid:$gid" "/proc/$$/fd/1" "/proc/$$/fd/2" || true
exec setpriv --reuid="$uid" --regid="$gid" --clear-groups -- "$@""#;

/// A started image: its buildah container and the process group of `buildah run`.
struct Running {
    container: String,
    child: Child,
    log: PathBuf,
}

impl Running {
    fn start(image: &str, spec: &RunSpec, log: &Path) -> Running {
        let out = Command::new("buildah")
            .args(["from", "--pull=never", image])
            .output()
            .expect("buildah from");
        assert!(
            out.status.success(),
            "buildah from {image}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let container = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let mut cmd = Command::new("buildah");
        // Root first, to hand stdio to the image's user as runc does; then AS_USER drops to it.
        cmd.args([
            "run",
            "--isolation=chroot",
            "--network=host",
            "--user",
            "0:0",
        ]);
        if !spec.workdir.is_empty() {
            cmd.args(["--workingdir", &spec.workdir]);
        }
        for (k, v) in &spec.env {
            cmd.args(["--env", &format!("{k}={v}")]);
        }
        let user = if spec.user.is_empty() {
            "0"
        } else {
            &spec.user
        };
        cmd.arg(&container)
            .args(["--", "/bin/sh", "-c", AS_USER, "as-user", user]);
        cmd.args(&spec.argv);
        let file = fs::File::create(log).unwrap();
        // runc hands the container's stdio to its user; here the log file stands in for that
        // pipe, so the image's user must be able to reopen it (/dev/stderr as a log file).
        fs::set_permissions(log, std::os::unix::fs::PermissionsExt::from_mode(0o666)).unwrap();
        cmd.stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file);
        // Its own process group, so everything it starts is ended with it.
        cmd.process_group(0);
        let child = cmd.spawn().expect("spawn buildah run");
        Running {
            container,
            child,
            log: log.to_path_buf(),
        }
    }

    fn log_tail(&self) -> String {
        tail(&fs::read_to_string(&self.log).unwrap_or_default())
    }
}

impl Drop for Running {
    /// End the process group, then the container.
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-TERM", "--", &group])
            .stderr(Stdio::null())
            .status();
        std::thread::sleep(Duration::from_millis(500));
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.wait();
        let _ = Command::new("buildah")
            .args(["rm", &self.container])
            .output();
    }
}

/// Start the image as the task definition runs it and wait for a 2xx/3xx on the health-check
/// path; the answer, or why there was none.
fn serve(image: &str, spec: &RunSpec, log: &Path) -> Result<(u16, Duration), String> {
    let _one = SERVE.lock().unwrap_or_else(|e| e.into_inner());
    assert_port_free(spec.port)?;
    let mut run = Running::start(image, spec, log);
    let t0 = Instant::now();
    let result = loop {
        if let Some(code) = http_status(spec.port, &spec.path) {
            if (200..400).contains(&code) {
                break Ok((code, t0.elapsed()));
            }
            if t0.elapsed() > spec.deadline {
                break Err(format!("GET {} answered {code}", spec.path));
            }
        }
        if let Ok(Some(status)) = run.child.try_wait() {
            break Err(format!("the process ended ({status}) before answering"));
        }
        if t0.elapsed() > spec.deadline {
            break Err(format!(
                "no answer on port {} within {:?}",
                spec.port, spec.deadline
            ));
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    let logs = run.log_tail();
    drop(run);
    // What it started must be gone, or the next subject would be answered by this one.
    std::thread::sleep(Duration::from_millis(300));
    assert_port_free(spec.port).map_err(|e| format!("after the test: {e}"))?;
    result.map_err(|e| format!("{e}\n{logs}"))
}

/// What happened to one subject.
#[derive(Debug)]
enum Outcome {
    Static(String),
    ConvertFailed(String),
    BuildFailed(String),
    Built,
    ServeFailed(String),
    Served(u16),
}

impl Outcome {
    /// The log or reason an outcome carries.
    fn detail(&self) -> String {
        match self {
            Outcome::Static(d)
            | Outcome::ConvertFailed(d)
            | Outcome::BuildFailed(d)
            | Outcome::ServeFailed(d) => d.clone(),
            Outcome::Built => String::new(),
            Outcome::Served(code) => format!("HTTP {code}"),
        }
    }

    fn matches(&self, e: &Expect) -> bool {
        matches!(
            (self, e),
            (Outcome::Static(_), Expect::Static)
                | (Outcome::ConvertFailed(_), Expect::FailConvert)
                | (Outcome::BuildFailed(_), Expect::FailBuild)
                | (Outcome::Built, Expect::Build)
                | (Outcome::ServeFailed(_), Expect::FailServe)
                | (Outcome::Served(_), Expect::Serve)
        )
    }
}

/// Static checks every subject gets: the Dockerfile exposes the task definition's port.
fn static_check(s: &Subject) -> Result<(), String> {
    let td: Value = serde_json::from_str(&s.out["task-definition.json"]).expect("task definition");
    let port = web_container(&td)["portMappings"][0]["containerPort"].as_u64();
    let exposed: Vec<u64> = dockerfile(s)
        .lines()
        .filter_map(|l| l.strip_prefix("EXPOSE "))
        .flat_map(|p| {
            p.split_whitespace()
                .filter_map(|x| x.split('/').next()?.parse().ok())
                .collect::<Vec<_>>()
        })
        .collect();
    match port {
        Some(p) if !exposed.is_empty() && !exposed.contains(&p) => Err(format!(
            "the Dockerfile exposes {exposed:?}, the task definition maps {p}"
        )),
        _ => Ok(()),
    }
}

/// The JSON array of the Dockerfile's last `CMD`, if it has one in exec form.
fn dockerfile_cmd(dockerfile: &str) -> Option<Vec<String>> {
    let line = dockerfile.lines().rev().find(|l| l.starts_with("CMD "))?;
    serde_json::from_str(&line[4..]).ok()
}

/// The port of `ASPNETCORE_URLS=http://+:PORT` in the Dockerfile, if set.
fn aspnetcore_port(dockerfile: &str) -> Option<u64> {
    let at = dockerfile.find("ASPNETCORE_URLS=")?;
    let value = dockerfile[at..].split_whitespace().next()?;
    value.rsplit(':').next()?.trim_matches('"').parse().ok()
}

/// What can be checked of a .NET image without a .NET stand-in: the command starts the DLL of
/// the project `dotnet publish` builds (its AssemblyName, else the .csproj's name), and Kestrel
/// listens on the port the task definition maps.
fn dotnet_check(s: &Subject) -> Result<(), String> {
    let df = dockerfile(s);
    let Some(publish) = df.lines().find(|l| l.contains("dotnet publish")) else {
        return Ok(());
    };
    let proj = publish
        .split_whitespace()
        .find(|w| w.ends_with(".csproj"))
        .ok_or("dotnet publish names no .csproj")?;
    let text = fs::read_to_string(s.project.join(proj)).map_err(|e| format!("{proj}: {e}"))?;
    let stem = Path::new(proj)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .to_string();
    let assembly = text
        .split_once("<AssemblyName>")
        .and_then(|(_, rest)| rest.split_once("</AssemblyName>"))
        .map_or(stem, |(name, _)| name.trim().to_string());
    let td: Value = serde_json::from_str(&s.out["task-definition.json"]).expect("task definition");
    let c = web_container(&td);
    let argv = strings(&c["command"])
        .or_else(|| dockerfile_cmd(&df))
        .unwrap_or_default();
    if argv != ["dotnet".to_string(), format!("{assembly}.dll")] {
        return Err(format!(
            "the command {argv:?} does not start {assembly}.dll"
        ));
    }
    let port = c["portMappings"][0]["containerPort"].as_u64();
    if aspnetcore_port(&df) != port {
        return Err(format!(
            "ASPNETCORE_URLS listens on {:?}, the task maps {port:?}",
            aspnetcore_port(&df)
        ));
    }
    Ok(())
}

/// Run one subject through the oracle (stand-ins already built).
fn run_subject(s: &Subject, work: &Path) -> (Outcome, String) {
    if let Some(e) = &s.convert_error {
        return (Outcome::ConvertFailed(e.clone()), String::new());
    }
    if let Err(e) = static_check(s).and_then(|()| dotnet_check(s)) {
        return (Outcome::ServeFailed(e), String::new());
    }
    let missing: Vec<String> = base_images(&dockerfile(s))
        .into_iter()
        .filter(|i| !has_standin(i))
        .collect();
    if !missing.is_empty() {
        return (
            Outcome::Static(format!("no stand-in for {missing:?}")),
            String::new(),
        );
    }
    let ctx = work.join(s.label.replace(' ', "-"));
    build_context(s, &ctx);
    let built = match build(s, &ctx) {
        Ok(t) => t,
        Err(log) => return (Outcome::BuildFailed(log), String::new()),
    };
    let timing = format!("build {:.0?}", built);
    if s.expect == Expect::Build {
        return (Outcome::Built, timing);
    }
    let spec = run_spec(s, &image_config(&tag(s)));
    match serve(&tag(s), &spec, &ctx.with_extension("log")) {
        Ok((code, t)) => (
            Outcome::Served(code),
            format!("{timing}, answered in {t:.1?}"),
        ),
        Err(e) => (Outcome::ServeFailed(format!("{spec:?}\n{e}")), timing),
    }
}

/// Run subjects on up to two threads (builds overlap; serving is one at a time).
fn run_all(subjects: &[Subject], work: &Path) -> Vec<(Outcome, String)> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Mutex<Vec<Option<(Outcome, String)>>> =
        Mutex::new(subjects.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(s) = subjects.get(i) else { break };
                let r = run_subject(s, work);
                eprintln!("oracle: {} -> {:?} ({})", s.label, short(&r.0), r.1);
                results.lock().unwrap()[i] = Some(r);
            });
        }
    });
    results
        .into_inner()
        .unwrap()
        .into_iter()
        .map(Option::unwrap)
        .collect()
}

/// The first line of a reason that says why (` (…)`), or nothing.
fn reason_line(reason: &str) -> String {
    reason
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("expect:"))
        .map(|l| format!(" ({l})"))
        .unwrap_or_default()
}

/// The outcome without its log.
fn short(o: &Outcome) -> String {
    format!("{o:?}")
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(100)
        .collect()
}

/// Every golden case with a generated Dockerfile and every app builds and answers its health
/// check, or fails the way its expectation says.
#[test]
fn every_generated_image_serves_its_health_check() {
    if !enabled() {
        return;
    }
    require_tools();
    let subjects = subjects();
    let images: BTreeSet<String> = subjects
        .iter()
        .filter(|s| s.convert_error.is_none())
        .flat_map(|s| base_images(&dockerfile(s)))
        .filter(|i| has_standin(i))
        .collect();
    ensure_standins(&images);
    let work = tempfile::tempdir().unwrap();
    let results = run_all(&subjects, work.path());
    let mut failures = Vec::new();
    for (s, (outcome, timing)) in subjects.iter().zip(&results) {
        if !outcome.matches(&s.expect) {
            failures.push(format!(
                "{}: expected {:?}{}, got {} [{timing}]\n{}",
                s.label,
                s.expect,
                reason_line(&s.reason),
                short(outcome),
                outcome.detail()
            ));
        }
    }
    assert!(failures.is_empty(), "oracle:\n{}", failures.join("\n\n"));
}

/// The oracle can fail: the same app with a start command that serves nothing is rejected.
#[test]
fn a_broken_start_command_fails_the_oracle() {
    if !enabled() {
        return;
    }
    require_tools();
    let mut s = app_subject(&common::root().join("testdata/apps/go-application"));
    let mut td: Value = serde_json::from_str(&s.out["task-definition.json"]).unwrap();
    td["containerDefinitions"][0]["command"] = serde_json::json!(["/bin/sh", "-c", "sleep 3600"]);
    s.out.insert("task-definition.json".into(), td.to_string());
    s.label = "app go-application-broken".into();
    ensure_standins(&base_images(&dockerfile(&s)).into_iter().collect());
    let work = tempfile::tempdir().unwrap();
    let ctx = work.path().join("ctx");
    build_context(&s, &ctx);
    build(&s, &ctx).expect("the unbroken image builds");
    let mut spec = run_spec(&s, &image_config(&tag(&s)));
    assert_eq!(
        spec.argv,
        ["/bin/sh", "-c", "sleep 3600"],
        "the task definition's command runs"
    );
    spec.deadline = Duration::from_secs(8);
    let served = serve(&tag(&s), &spec, &work.path().join("log"));
    assert!(
        served.is_err(),
        "a command that serves nothing passed: {served:?}"
    );
    // And a command that exits at once fails before the deadline.
    spec.argv = vec!["/bin/false".into()];
    let t0 = Instant::now();
    assert!(serve(&tag(&s), &spec, &work.path().join("log2")).is_err());
    assert!(
        t0.elapsed() < spec.deadline,
        "an ended process is noticed before the deadline"
    );
}

/// The oracle can fail: a port something else already answers on is refused, not counted.
#[test]
fn a_port_already_in_use_fails_the_oracle() {
    if !enabled() {
        return;
    }
    let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    assert!(assert_port_free(port).is_err());
    drop(listener);
    assert!(assert_port_free(port).is_ok());
}

#[test]
fn dotnet_statics() {
    let df = "ENV ASPNETCORE_URLS=http://+:5000 PORT=5000\nCMD [\"dotnet\",\"WebApp.dll\"]\n";
    assert_eq!(aspnetcore_port(df), Some(5000));
    assert_eq!(dockerfile_cmd(df).unwrap(), ["dotnet", "WebApp.dll"]);
}

#[test]
fn base_images_skip_stage_names() {
    let df = "FROM golang:1 AS build\nRUN x\nFROM debian:bookworm-slim\nCOPY --from=build /a /b\nFROM build\n";
    assert_eq!(base_images(df), ["golang:1", "debian:bookworm-slim"]);
    assert!(glob_match("node:*-slim", "node:20-slim"));
    assert!(!glob_match("tomcat:9*", "tomcat:10.1"));
    assert!(glob_match("php:*-apache", "php:8.2-apache"));
}
