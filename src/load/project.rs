//! A project folder (or a Dockerrun named directly) as [`Inputs`]: where its Dockerrun,
//! `.ebextensions`, saved configurations and mounted bundle files are, read and parsed.

use super::files::source_files;
use super::settings::{self, Layer, SettingsDoc};
use super::{guard, which, Inputs};
use crate::codes;
use crate::error::{Error, Result};
use crate::finding::{Finding, Severity, Source};
use std::path::{Path, PathBuf};

/// What the command line names as the project.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The project folder (`None` with `dockerrun`: no folder; with neither: the current folder).
    pub dir: Option<PathBuf>,
    /// The Dockerrun.aws.json named directly.
    pub dockerrun: Option<PathBuf>,
    /// Extra settings files (`--settings`), kind detected from the content.
    pub settings: Vec<PathBuf>,
    /// Which saved configuration of the folder to read.
    pub saved_config: Option<String>,
    /// Settings documents already read elsewhere (a live environment's applied settings).
    pub extra: Vec<SettingsDoc>,
    /// `--platform`: the EB platform the project ran (`docker`, `ecs`, `python 3.11`), over
    /// every piece of evidence.
    pub platform: Option<String>,
}

/// A settings file of the project.
#[derive(Debug, Clone)]
struct SettingsFile {
    path: PathBuf,
    display: String,
    label: String,
    layer: Option<Layer>,
}

/// Read and parse everything the request names. Writes nothing.
pub fn load(req: &Request) -> Result<Inputs> {
    // Without --dockerrun, the project folder defaults to the current one.
    let dir = match (&req.dir, &req.dockerrun) {
        (None, None) => Some(PathBuf::from(".")),
        (d, _) => d.clone(),
    };
    if let Some(d) = &dir {
        inputs_inside(d)?;
    }
    let docs = settings_docs(dir.as_deref(), req)?;
    let config = dir
        .as_deref()
        .map(super::eb_config::read)
        .unwrap_or_default();
    let (what, decided) = choose(dir.as_deref(), req, &docs, &config)?;
    let (path, display) = match &what {
        What::Docker(p) => (p.path.clone(), p.path.display().to_string()),
        What::Language(d) => (d.clone(), d.display().to_string()),
        What::Dockerrun(p) => dockerrun_path(p)?,
    };
    let label = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Dockerrun.aws.json".to_string());
    let project_name = project_name(dir.as_deref(), &path, &label);
    let mut language_project = None;
    let (dockerrun, mut dockerrun_findings) = match &what {
        What::Docker(p) => super::compose::load(p, &display, &label, &docs)?,
        What::Language(d) => {
            let (parsed, project) = super::platform::load(d, &project_name, ".");
            if let Some(text) = project.text("Procfile") {
                procfile_names(&d.join("Procfile").display().to_string(), text)?;
            }
            language_project = Some(project);
            parsed
        }
        What::Dockerrun(_) => {
            let (mut run, findings) = super::dockerrun(&path, &display, &label)?;
            if let Some(d) = &dir {
                dockerfile_builds(d, &mut run);
            }
            (run, findings)
        }
    };
    dockerrun_findings.splice(0..0, decided.findings);
    let (sources, skipped) = match &dir {
        Some(d) => source_files(d, &with_cron(super::bundle_paths(&dockerrun))),
        None => (Vec::new(), Vec::new()),
    };
    // A language project's `.platform` is reported with the platform (`convert::platform`).
    if language_project.is_none() {
        dockerrun_findings.extend(platform_dir_findings(&sources));
    }
    if let Some(d) = &dir {
        within_limits(d)?;
    }
    check_cron(dir.as_deref(), &sources)?;
    Ok(Inputs {
        project_name,
        display,
        dockerrun,
        dockerrun_findings,
        settings: docs,
        files: sources,
        region: config.region.clone(),
        skipped,
        platform: language_project,
        platform_choice: decided.runtime,
        env_reads: dir
            .as_deref()
            .map(super::envreads::scan)
            .unwrap_or_default(),
        eb_cli: config,
    })
}

/// What the loaders read: a compose file or Dockerfile, a language project, or a Dockerrun.
enum What {
    Docker(super::compose::Located),
    Language(PathBuf),
    Dockerrun(PathBuf),
}

/// Which files EB ran (see [`super::which`]): the file named on the command line, else the
/// folder's evidence weighed by EB's rules (`--platform` first).
fn choose(
    dir: Option<&Path>,
    req: &Request,
    docs: &[SettingsDoc],
    config: &super::eb_config::EbCliConfig,
) -> Result<(What, which::Decision)> {
    let none = which::Decision {
        loader: which::Loader::Dockerrun,
        runtime: None,
        findings: Vec::new(),
    };
    if let Some(f) = &req.dockerrun {
        return Ok(match super::compose::locate(None, Some(f)) {
            Some(p) => (What::Docker(p), none),
            None => (What::Dockerrun(f.clone()), none),
        });
    }
    let d = dir.unwrap_or(Path::new("."));
    if !d.is_dir() {
        return Err(Error::Usage(format!("{}: no such folder", d.display())));
    }
    let ev = which::gather(d, docs, config.platform.as_deref());
    let nothing = ev.dockerrun.is_none() && ev.compose.is_none() && !ev.dockerfile;
    if nothing && req.platform.is_none() && !super::platform::locate(d) {
        return Err(Error::Usage(empty_folder(d)));
    }
    let decided = which::decide(&ev, req.platform.as_deref()).map_err(Error::Usage)?;
    let located = |kind, file: &str| super::compose::Located {
        kind,
        path: d.join(file),
        root: d.to_path_buf(),
    };
    let what = match decided.loader {
        which::Loader::Compose => {
            let file = ev
                .compose
                .as_ref()
                .map_or("docker-compose.yml", |c| &c.file);
            What::Docker(located(super::compose::Kind::Compose, file))
        }
        which::Loader::Dockerfile => {
            What::Docker(located(super::compose::Kind::Dockerfile, "Dockerfile"))
        }
        which::Loader::Language => What::Language(d.to_path_buf()),
        which::Loader::Dockerrun => {
            What::Dockerrun(d.join(ev.dockerrun.as_ref().map_or("Dockerrun.aws.json", |r| &r.0)))
        }
    };
    Ok((what, decided))
}

/// The error for a folder with nothing eb2ecs reads: every kind of project it does read.
fn empty_folder(d: &Path) -> String {
    format!(
        "{} has no EB project eb2ecs reads: a Dockerrun.aws.json (v1 or v2), a docker-compose.yml, a Dockerfile, \
or a language-platform application (package.json, requirements.txt, Pipfile, pom.xml, a .jar or .war, composer.json, \
Gemfile, go.mod, a .csproj, a Procfile, .ebextensions or .elasticbeanstalk/config.yml); name a file directly \
(eb2ecs convert path/to/Dockerrun.aws.json) or read a live environment with --environment NAME",
        d.display()
    )
}

/// The bundle paths rules read, with a worker's `cron.yaml` and the `.platform` folder (hooks
/// and proxy configuration, read on every platform: EB ran them on all of them).
fn with_cron(mut paths: Vec<String>) -> Vec<String> {
    paths.push(CRON_FILE.to_string());
    paths.push(PLATFORM_DIR.to_string());
    paths.push("Procfile".to_string());
    paths
}

/// EB's platform hooks and proxy configuration, relative to the bundle.
pub const PLATFORM_DIR: &str = ".platform";

/// What EB ran from `.platform` on a Docker project's instances: a warning per hook (EB ran it
/// on the instance, the task has no instance), one for the proxy configuration.
fn platform_dir_findings(files: &[super::SourceFile]) -> Vec<Finding> {
    let under = |folder: &str| -> Vec<&str> {
        let prefix = format!("{PLATFORM_DIR}/{folder}/");
        files
            .iter()
            .map(|f| f.path.as_str())
            .filter(|p| p.starts_with(&prefix))
            .collect()
    };
    let mut out: Vec<Finding> = ["hooks", "confighooks"]
        .iter()
        .flat_map(|f| under(f))
        .map(|hook| Finding::new(
            codes::PLATFORM_HOOK,
            Severity::Warning,
            Source::new(hook, ""),
            format!("EB ran the hook `{hook}` on each instance during deployment; the task does not"),
            "Move what it does into the Dockerfile (a RUN line), the container's start command, or a one-off ECS task (migrations).",
        ))
        .collect();
    let proxy: Vec<&str> = ["nginx", "httpd"].iter().flat_map(|f| under(f)).collect();
    if let Some(first) = proxy.first() {
        out.push(Finding::new(
            codes::PLATFORM_PROXY,
            Severity::Warning,
            Source::new(*first, ""),
            format!("EB's proxy on the instance used {}; the task has no such proxy: the load balancer reaches the container directly", proxy.join(", ")),
            "Reproduce what matters (redirects, body size, timeouts, headers) in the application, the load balancer, or a proxy container with this configuration.",
        ));
    }
    out
}

/// A worker's `cron.yaml` must be YAML (its entries are checked by the conversion, each
/// problem a finding).
fn check_cron(dir: Option<&Path>, files: &[super::SourceFile]) -> Result<()> {
    let (Some(d), Some(f)) = (dir, files.iter().find(|f| f.path == CRON_FILE)) else {
        return Ok(());
    };
    guard::yaml(&d.join(CRON_FILE).display().to_string(), &f.text).map(|_| ())
}

/// The files at fixed places of a project that loaders read as inputs.
const PROJECT_INPUTS: &[&str] = &[
    "docker-compose.yml",
    "docker-compose.yaml",
    "Dockerfile",
    "Procfile",
    "Buildfile",
    CRON_FILE,
    ".env",
    super::eb_config::CONFIG_YML,
];

/// Refuse a project whose input files (the Dockerrun under any spelling, the compose file,
/// Dockerfile, Procfile, cron.yaml, config.yml, ...) resolve outside it, through a symbolic link
/// of their own or of their folder: checked before any loader reads one.
fn inputs_inside(dir: &Path) -> Result<()> {
    let dockerruns = super::files::entries(dir, "")
        .into_iter()
        .filter(|e| {
            e.name
                .to_ascii_lowercase()
                .starts_with("dockerrun.aws.json")
        })
        .map(|e| e.name);
    for name in dockerruns.chain(PROJECT_INPUTS.iter().map(|s| s.to_string())) {
        guard::inside_project(dir, &dir.join(name))?;
    }
    Ok(())
}

/// Refuse a Procfile or cron.yaml larger than eb2ecs reads: EB ran them, so dropping one would
/// silently lose processes or periodic tasks. The error names the file and the limit.
fn within_limits(dir: &Path) -> Result<()> {
    for name in ["Procfile", CRON_FILE] {
        let path = dir.join(name);
        let len = std::fs::metadata(&path).map_or(0, |m| m.len());
        if len > super::MAX_SOURCE_FILE {
            let display = path.display().to_string();
            return Err(guard::too_large(&display, len, super::MAX_SOURCE_FILE));
        }
    }
    Ok(())
}

/// Refuse a Procfile that names a process twice, or two processes whose names become the same
/// stack identifier (`a-b`, `a_b`): each process is a container, whose name must be unique. The
/// lines read are those the conversion reads (`name: command`, the name letters, digits, `-`, `_`).
fn procfile_names(display: &str, text: &str) -> Result<()> {
    let mut names: Vec<(&str, usize)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some((name, command)) = line.split_once(':') else {
            continue;
        };
        let name = name.trim();
        let ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if ok && !command.trim().is_empty() {
            names.push((name, i + 1));
        }
    }
    let Some((a, b)) = crate::names::identifier_clash(names.iter().map(|(n, _)| *n)) else {
        return Ok(());
    };
    let ((first, first_line), (second, line)) = (names[a], names[b]);
    let message = if first == second {
        format!("the process `{second}` is named twice (also on line {first_line}); each process becomes a container, whose name must be unique: remove or rename one")
    } else {
        format!(
            "{} (the other is on line {first_line})",
            crate::names::clash_message("the processes", first, second)
        )
    };
    Err(Error::Input {
        file: display.to_string(),
        line,
        column: 1,
        message,
    })
}

/// `cron.yaml`, EB's periodic tasks of a worker environment, at the bundle's root.
const CRON_FILE: &str = "cron.yaml";

/// Every settings document of the project, in the order read: `.ebextensions`, the saved
/// configuration, then `--settings` files.
fn settings_docs(dir: Option<&Path>, req: &Request) -> Result<Vec<SettingsDoc>> {
    let mut files = Vec::new();
    if let Some(d) = dir {
        files.extend(ebextensions(d)?);
        files.extend(saved_configs(d, req.saved_config.as_deref())?);
    } else if let Some(name) = &req.saved_config {
        return Err(Error::Usage(format!(
            "--saved-config {name} needs the project folder DIR (it is read from DIR/.elasticbeanstalk/saved_configs)"
        )));
    }
    files.extend(extra_settings(&req.settings)?);
    let mut docs = files
        .iter()
        .map(|f| settings::load(&f.path, &f.display, &f.label, f.layer))
        .collect::<Result<Vec<_>>>()?;
    docs.extend(req.extra.iter().cloned());
    Ok(docs)
}

fn dockerrun_path(path: &Path) -> Result<(PathBuf, String)> {
    let display = path.display().to_string();
    if let Some(what) = guard::not_a_file(path) {
        return Err(Error::Usage(format!(
            "{display}: {what} (name the Dockerrun.aws.json with --dockerrun FILE)"
        )));
    }
    Ok((path.to_path_buf(), display))
}

fn project_name(dir: Option<&Path>, path: &Path, file_name: &str) -> String {
    match dir {
        Some(d) => folder_name(d),
        None if file_name
            .to_ascii_lowercase()
            .starts_with("dockerrun.aws.json") =>
        {
            folder_name(path.parent().unwrap_or(Path::new(".")))
        }
        None => file_name.split('.').next().unwrap_or("app").to_string(),
    }
}

fn extra_settings(paths: &[PathBuf]) -> Result<Vec<SettingsFile>> {
    paths
        .iter()
        .map(|f| {
            if let Some(what) = guard::not_a_file(f).or_else(|| guard::kernel_file(f)) {
                return Err(Error::Usage(format!("--settings {}: {what}", f.display())));
            }
            Ok(SettingsFile {
                path: f.clone(),
                display: f.display().to_string(),
                label: f.display().to_string(),
                layer: None,
            })
        })
        .collect()
}

/// The files of `dir` (inside the project `root`) ending in `suffix`, sorted. A file or folder
/// that is a symbolic link out of the project is refused: nothing outside the project is read.
fn sorted_files(root: &Path, dir: &Path, suffix: &str) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let inside = |p: &Path| {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        p.canonicalize().is_ok_and(|c| c.starts_with(&root))
    };
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.to_string_lossy().ends_with(suffix))
        .collect();
    if let Some(outside) = files
        .iter()
        .chain([&dir.to_path_buf()])
        .find(|p| !inside(p))
    {
        return Err(Error::Usage(format!(
            "{} is a symbolic link that leaves the project folder; eb2ecs reads nothing outside it (copy the file into the project instead)",
            outside.display()
        )));
    }
    // EB applies .ebextensions in alphabetical order.
    files.sort();
    Ok(files)
}

fn ebextensions(dir: &Path) -> Result<Vec<SettingsFile>> {
    Ok(sorted_files(dir, &dir.join(".ebextensions"), ".config")?
        .into_iter()
        .map(|p| project_file(p, ".ebextensions", Layer::Ebextensions))
        .collect())
}

/// A settings file found in the project, labelled relative to it.
fn project_file(path: PathBuf, folder: &str, layer: Layer) -> SettingsFile {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    SettingsFile {
        display: path.display().to_string(),
        label: format!("{folder}/{name}"),
        path,
        layer: Some(layer),
    }
}

fn saved_configs(dir: &Path, wanted: Option<&str>) -> Result<Vec<SettingsFile>> {
    let folder = dir.join(".elasticbeanstalk/saved_configs");
    let files = sorted_files(dir, &folder, ".cfg.yml")?;
    let name_of = |p: &PathBuf| {
        p.file_name()
            .map(|n| n.to_string_lossy().trim_end_matches(".cfg.yml").to_string())
            .unwrap_or_default()
    };
    let names: Vec<String> = files.iter().map(name_of).collect();
    let chosen = match wanted {
        Some(w) => Some(
            files
                .iter()
                .find(|p| name_of(p) == w)
                .cloned()
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "--saved-config {w}: no {w}.cfg.yml in {} (there: {})",
                        folder.display(),
                        if names.is_empty() {
                            "none".to_string()
                        } else {
                            names.join(", ")
                        }
                    ))
                })?,
        ),
        None if files.len() > 1 => {
            return Err(Error::Usage(format!(
                "{} has several saved configurations ({}); choose one with --saved-config NAME",
                folder.display(),
                names.join(", ")
            )))
        }
        None => files.into_iter().next(),
    };
    Ok(chosen
        .map(|p| project_file(p, ".elasticbeanstalk/saved_configs", Layer::SavedConfig))
        .into_iter()
        .collect())
}

fn folder_name(dir: &Path) -> String {
    let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    canonical
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "app".to_string())
}

/// Record which Dockerrun containers the project builds from its own Dockerfile: `NAME/Dockerfile`
/// for the container of that name, else the root `Dockerfile` for the one container without a
/// pullable public image (no image, a placeholder, or an ECR image). Only regular files count.
fn dockerfile_builds(dir: &Path, run: &mut crate::load::dockerrun::Dockerrun) {
    let is_file =
        |rel: &str| std::fs::symlink_metadata(dir.join(rel)).is_ok_and(|m| m.file_type().is_file());
    let buildable = |c: &crate::load::dockerrun::EbContainer| match &c.image {
        None => true,
        Some(i) => i.contains(".dkr.ecr.") || i.contains('<') || i.contains("${"),
    };
    let build = |context: &str, dockerfile: String| crate::load::dockerrun::ImageBuild {
        context: context.to_string(),
        dockerfile,
        pointer: String::new(),
        ..Default::default()
    };
    for c in run.containers.iter_mut().filter(|c| buildable(c)) {
        let own = format!("{}/Dockerfile", c.name);
        if crate::names::sanitise_name(&c.name) == c.name && is_file(&own) {
            c.build = Some(build(&c.name, own));
        }
    }
    let left: Vec<usize> = (0..run.containers.len())
        .filter(|&i| run.containers[i].build.is_none() && buildable(&run.containers[i]))
        .collect();
    if let [only] = left[..] {
        if is_file("Dockerfile") {
            run.containers[only].build = Some(build(".", "Dockerfile".to_string()));
        }
    }
}
