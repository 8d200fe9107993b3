//! A language-platform project (Node.js, Python, Java, PHP, Ruby, Go, .NET) as a container
//! image: which platform EB ran — read exactly from the settings' platform (a saved
//! configuration's `Platform`, a describe output's `PlatformArn`/`SolutionStackName`) or the `eb`
//! CLI's `default_platform`, else guessed from the files with a finding — then the generated
//! Dockerfile ([`GeneratedImage`], rendered by `render::dockerfile`) and the containers of the
//! task: the Procfile's `web` process behind the platform's port and one container per other
//! process, all running the one image.

mod range;
mod runtimes;
mod version;

use super::mapper::Mapper;
use super::Ctx;
use crate::codes;
use crate::finding::{Finding, Severity, Source};
use crate::load::dockerrun::{Dockerrun, EbContainer, EbPort, EnvVar};
use crate::load::platform::PlatformProject;
use crate::model::GeneratedImage;
use crate::platforms::{self, Runtime};

const STATICFILES: &str = "aws:elasticbeanstalk:environment:proxy:staticfiles";
const STATICFILES_PY: &str = "aws:elasticbeanstalk:container:python:staticfiles";

/// The platform EB ran, and where that was learnt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    /// The runtime.
    pub runtime: Runtime,
    /// The platform name as read, or the file it was guessed from.
    pub name: String,
    /// The runtime version the name gives.
    pub version: Option<String>,
    /// Where it was learnt (a file label, or `the settings`).
    pub from: String,
    /// Guessed from files (with a finding), not read from EB.
    pub guessed: bool,
}

/// One process of the Procfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    /// Its name (`web`, `worker`).
    pub name: String,
    /// Its command line.
    pub command: String,
    /// Its line in the Procfile.
    pub line: usize,
}

/// The containers of a language-platform project and the image they run. `run` is the
/// loader's one container without an image; `platform` the settings' platform name.
pub fn plan(
    ctx: &mut Ctx,
    m: &Mapper,
    platform: Option<&str>,
    project: &PlatformProject,
    run: &Dockerrun,
) -> (Dockerrun, Option<GeneratedImage>) {
    let Some(detected) = detect(ctx, m, platform, project) else {
        ctx.push(Finding::new(
            codes::PLATFORM_UNKNOWN,
            Severity::Blocker,
            ctx.src(""),
            "no EB platform is named (no saved configuration or describe output with a platform, no .elasticbeanstalk/config.yml) and no application file tells it, so no Dockerfile was generated",
            "Write a Dockerfile for the application, or run eb2ecs again with --settings on a saved configuration that names the platform.",
        ));
        return (run.clone(), None);
    };
    let (procs, moved) = without_secrets(ctx, procfile(project.text("Procfile").unwrap_or("")));
    let mut gen = runtimes::Gen::new(ctx, m, project, &detected, &procs);
    let image = gen.image();
    let (port, memory) = (gen.port, gen.memory);
    project_findings(ctx, m, project);
    let mut containers = containers(ctx, run, &procs, port);
    give_moved(&mut containers, &procs, moved);
    // A JVM heap that needs more than the default: the web container reserves it, so the task
    // is sized for it.
    if let (Some(web), Some(need)) = (containers.first_mut(), memory) {
        if web
            .memory
            .max(web.memory_reservation)
            .is_none_or(|m| m < need)
        {
            web.memory_reservation = Some(need);
        }
    }
    (
        Dockerrun {
            containers,
            ..run.clone()
        },
        Some(image),
    )
}

/// The platform: the settings' platform name, else the `eb` CLI's default platform, else the
/// platform options the settings set (`…:container:php:phpini`), else the files (with a
/// finding).
pub fn detect(
    ctx: &mut Ctx,
    m: &Mapper,
    platform: Option<&str>,
    project: &PlatformProject,
) -> Option<Detected> {
    let named = [
        (platform, "the EB settings (Platform / SolutionStack)"),
        (
            project.default_platform.as_deref(),
            ".elasticbeanstalk/config.yml (global.default_platform)",
        ),
    ];
    for (name, from) in named {
        let Some(name) = name else { continue };
        if let Some((runtime, version)) = platforms::parse(name) {
            return Some(Detected {
                runtime,
                name: name.to_string(),
                version,
                from: from.to_string(),
                guessed: false,
            });
        }
    }
    let (runtime, file) = from_namespaces(m).or_else(|| from_files(project))?;
    let row = platforms::platform(runtime);
    ctx.push(Finding::new(
        codes::PLATFORM_GUESSED,
        Severity::Warning,
        Source::new(&file, ""),
        format!("no EB platform is named, so the {} platform was guessed from {file}", row.name),
        "Check the platform (and its version) against the EB environment; name it in .elasticbeanstalk/config.yml (global.default_platform) and run eb2ecs again if it differs.",
    ));
    Some(Detected {
        runtime,
        name: row.name.to_string(),
        version: None,
        from: file,
        guessed: true,
    })
}

/// The runtime the project's files show, and the file.
fn from_files(p: &PlatformProject) -> Option<(Runtime, String)> {
    // A build that makes a WAR is a Tomcat application.
    let war_build = [
        ("pom.xml", "<packaging>war</packaging>"),
        ("build.gradle", "id 'war'"),
        ("build.gradle", "id \"war\""),
        ("build.gradle.kts", "id(\"war\")"),
    ];
    if p.top_level(".jar").is_empty() {
        let found = war_build
            .iter()
            .find(|(f, needle)| p.text(f).is_some_and(|t| t.contains(needle)));
        if let Some((f, _)) = found {
            return Some((Runtime::Tomcat, f.to_string()));
        }
    }
    // composer.json before package.json: PHP applications build front-end assets with npm.
    let rules: [(&[&str], Runtime); 11] = [
        (&["composer.json"], Runtime::Php),
        (&["package.json"], Runtime::Node),
        (
            &["requirements.txt", "Pipfile", "application.py"],
            Runtime::Python,
        ),
        (&[".war"], Runtime::Tomcat),
        (
            &[".jar", "build.gradle", "build.gradle.kts", "gradlew"],
            Runtime::Java,
        ),
        (&["pom.xml", "mvnw"], Runtime::Java),
        (&["composer.json", "index.php"], Runtime::Php),
        (&["Gemfile", "config.ru"], Runtime::Ruby),
        (&["application.go", "go.mod"], Runtime::Go),
        (&[".csproj", ".dll"], Runtime::Dotnet),
        // EB's Node.js platform ran app.js or server.js without a package.json.
        (&["app.js", "server.js"], Runtime::Node),
    ];
    rules.iter().find_map(|(files, runtime)| {
        files.iter().find_map(|f| {
            let found = if f.starts_with('.') {
                p.top_level(f).first().map(|s| s.to_string())
            } else {
                p.has(f).then(|| f.to_string())
            };
            found.map(|file| (*runtime, file))
        })
    })
}

/// The runtime the settings' platform namespaces show (`…:container:tomcat:jvmoptions`).
fn from_namespaces(m: &Mapper) -> Option<(Runtime, String)> {
    let rules = [
        (
            "aws:elasticbeanstalk:container:tomcat:jvmoptions",
            Runtime::Tomcat,
        ),
        ("aws:elasticbeanstalk:container:python", Runtime::Python),
        ("aws:elasticbeanstalk:container:php:phpini", Runtime::Php),
        ("aws:elasticbeanstalk:container:nodejs", Runtime::Node),
    ];
    rules.iter().find_map(|(ns, runtime)| {
        let (_, s) = m.settings.namespace(ns).next()?;
        Some((*runtime, format!("{} ({ns})", s.source.file)))
    })
}

/// The processes of a Procfile (`name: command` lines).
pub fn procfile(text: &str) -> Vec<Process> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let (name, command) = line.split_once(':')?;
            let name = name.trim();
            let ok = !name.is_empty()
                && !name.starts_with('#')
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            (ok && !command.trim().is_empty()).then(|| Process {
                name: name.to_string(),
                command: command.trim().to_string(),
                line: i + 1,
            })
        })
        .collect()
}

/// The processes with every literal secret of their commands (`--github-token ghp_...`,
/// `DB_PASSWORD=x cmd`) replaced by a variable reference, and those variables per process
/// (by index): neither the Dockerfile's `CMD` nor the task definition holds the value, which
/// the task gets from `secrets` like any secret variable.
fn without_secrets(ctx: &mut Ctx, mut procs: Vec<Process>) -> (Vec<Process>, Vec<(usize, EnvVar)>) {
    let mut vars = Vec::new();
    for (i, p) in procs.iter_mut().enumerate() {
        let prefix = format!("procfile_{}", p.name);
        let Some(moved) = super::secrets::move_shell_secrets(&p.command, &prefix) else {
            continue;
        };
        let origin = Source::new("Procfile", format!("line {}", p.line));
        let what = format!("the Procfile's `{}` command", p.name);
        ctx.push(super::secrets::moved_finding(&what, origin.clone(), &moved));
        p.command = moved.command;
        for (name, value) in moved.vars {
            vars.push((
                i,
                EnvVar {
                    name,
                    value,
                    pointer: String::new(),
                    origin: Some(origin.clone()),
                },
            ));
        }
    }
    (procs, vars)
}

/// Give each container the variables moved out of its process's command: `web`'s to the first
/// container, every other process's to its own (they follow in Procfile order).
fn give_moved(containers: &mut [EbContainer], procs: &[Process], moved: Vec<(usize, EnvVar)>) {
    let others: Vec<usize> = (0..procs.len())
        .filter(|&i| procs[i].name != "web")
        .collect();
    for (i, var) in moved {
        let at = if procs[i].name == "web" {
            Some(0)
        } else {
            others.iter().position(|&o| o == i).map(|k| k + 1)
        };
        if let Some(c) = at.and_then(|k| containers.get_mut(k)) {
            c.environment.push(var);
        }
    }
}

/// The web container (the loader's, with the platform's port) and one per other process.
fn containers(ctx: &mut Ctx, run: &Dockerrun, procs: &[Process], port: u16) -> Vec<EbContainer> {
    let Some(first) = run.containers.first() else {
        return Vec::new();
    };
    let web = EbContainer {
        port_mappings: vec![EbPort {
            container_port: port,
            host_port: None,
            protocol: "tcp".to_string(),
            pointer: String::new(),
        }],
        ..first.clone()
    };
    let image = format!(
        "{}.dkr.ecr.{}.amazonaws.com/{}:latest",
        ctx.account, ctx.region, first.name
    );
    let mut out = vec![web];
    for p in procs.iter().filter(|p| p.name != "web") {
        let name = crate::names::sanitise_name(&format!("{}-{}", first.name, p.name));
        ctx.push(Finding::new(
            codes::PLATFORM_PROCESS,
            Severity::Info,
            Source::new("Procfile", format!("line {}", p.line)),
            format!("Procfile process `{}` ran beside `web` on every instance; it is container `{name}` of the task, running the same image with its command", p.name),
            "Check it needs one copy per task; a process that must run once (a scheduler, `release`) belongs in its own service or a one-off task.",
        ));
        // Not essential: its crash must not stop the task and take `web` down with it.
        ctx.push(Finding::new(
            codes::PROCESS_NOT_ESSENTIAL,
            Severity::Warning,
            Source::new("Procfile", format!("line {}", p.line)),
            format!("container `{name}` (Procfile process `{}`) is not essential: when it crashes the web process keeps serving, but ECS does not restart it until the task is replaced (EB's process manager restarted it)", p.name),
            "Watch its logs and the task's container status after deploying; if it must always run, move it to its own ECS service (its own task definition with this command and no load balancer).",
        ));
        out.push(EbContainer {
            name,
            image: Some(image.clone()),
            command: Some(vec!["/bin/sh".into(), "-c".into(), p.command.clone()]),
            essential: false,
            ..Default::default()
        });
    }
    out
}

/// Findings about what EB ran on the instance besides the application: hooks, nginx
/// configuration, static files.
fn project_findings(ctx: &mut Ctx, m: &Mapper, p: &PlatformProject) {
    // Predeploy hooks run in the one-off task (convert::oneoff reports them).
    let predeploy = format!("{}/", super::oneoff::PREDEPLOY);
    for hook in p
        .under(".platform/hooks")
        .into_iter()
        .chain(p.under(".platform/confighooks"))
        .filter(|h| !h.starts_with(&predeploy) || h[predeploy.len()..].contains('/'))
    {
        ctx.push(Finding::new(
            codes::PLATFORM_HOOK,
            Severity::Warning,
            Source::new(hook, ""),
            format!("EB ran the hook `{hook}` on each instance during deployment; the image does not"),
            "Move what it does into the Dockerfile (a RUN line), the start command, or a one-off ECS task (migrations).",
        ));
    }
    let nginx: Vec<&str> = p
        .under(".platform/nginx")
        .into_iter()
        .filter(|f| f.ends_with(".conf"))
        .collect();
    if !nginx.is_empty() {
        ctx.push(Finding::new(
            codes::PLATFORM_PROXY,
            Severity::Warning,
            Source::new(nginx[0], ""),
            format!("EB's nginx used {}; the task has no nginx: the application serves itself behind the load balancer", nginx.join(", ")),
            "Reproduce what matters (TLS is the load balancer's; redirects, limits, headers) in the application or add an nginx container with this configuration.",
        ));
    }
    for ns in [STATICFILES, STATICFILES_PY] {
        let maps: Vec<(String, String, Source)> = m
            .settings
            .namespace(ns)
            .map(|(k, s)| (k.to_string(), s.value.clone(), s.source.clone()))
            .collect();
        m.use_namespace(ns);
        if let Some((_, _, source)) = maps.first() {
            let list: Vec<String> = maps.iter().map(|(k, v, _)| format!("{k} -> {v}")).collect();
            ctx.push(Finding::new(
                codes::PLATFORM_PROXY,
                Severity::Warning,
                source.clone(),
                format!("EB's proxy served static files ({}); the image does not", list.join(", ")),
                "Serve them from the application (e.g. WhiteNoise, express.static), from S3/CloudFront, or add an nginx container.",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 25 item 14: a Procfile process beside `web` is not essential, with a finding.
    #[test]
    fn other_processes_are_not_essential() {
        let run = Dockerrun::single(
            "Procfile",
            EbContainer {
                name: "app".into(),
                image: Some("app:1".into()),
                essential: true,
                ..Default::default()
            },
        );
        let procs = procfile("web: npm start\nworker: node worker.js\n");
        let mut c = crate::convert::tests_support::ctx(crate::model::LaunchType::Fargate);
        let out = containers(&mut c, &run, &procs, 8080);
        let essential: Vec<(&str, bool)> =
            out.iter().map(|c| (c.name.as_str(), c.essential)).collect();
        assert_eq!(essential, vec![("app", true), ("app-worker", false)]);
        assert!(c.findings.iter().any(|f| f.code == "PROCESS-NOT-ESSENTIAL"));
    }

    #[test]
    fn procfile_lines_are_processes() {
        let procs = procfile("web: npm start\n# note: x\nworker: node worker.js\n\nbad line\n");
        let names: Vec<(&str, &str, usize)> = procs
            .iter()
            .map(|p| (p.name.as_str(), p.command.as_str(), p.line))
            .collect();
        assert_eq!(
            names,
            vec![("web", "npm start", 1), ("worker", "node worker.js", 3)]
        );
    }

    #[test]
    fn files_tell_the_runtime_in_order() {
        let p = PlatformProject {
            paths: vec!["app.war".into(), "requirements.txt".into()],
            ..Default::default()
        };
        assert_eq!(
            from_files(&p),
            Some((Runtime::Python, "requirements.txt".to_string()))
        );
        let p = PlatformProject {
            paths: vec!["ROOT.war".into()],
            ..Default::default()
        };
        assert_eq!(
            from_files(&p),
            Some((Runtime::Tomcat, "ROOT.war".to_string()))
        );
    }
}
