//! Where a project's inputs are, and the one call that turns them into artefacts.

use crate::convert;
use crate::error::{Error, Result};
use crate::load;
use crate::load::settings::{Layer, SettingsDoc};
use crate::model::{MigrationModel, Options};
use crate::render::{self, Artefact};
use std::path::{Path, PathBuf};

/// The input files of one EB project.
#[derive(Debug, Clone)]
pub struct Project {
    /// The Dockerrun.aws.json to read.
    pub dockerrun: PathBuf,
    /// How to name it in errors (the path as the user gave it).
    pub dockerrun_display: String,
    /// How to name it in findings (relative to the project).
    pub dockerrun_label: String,
    /// Name of the project, the default for family, cluster and service.
    pub project_name: String,
    /// Settings files to read.
    pub settings: Vec<SettingsFile>,
    /// The project folder, when given (its files are searched for link hostnames).
    pub dir: Option<PathBuf>,
}

/// A settings file of the project.
#[derive(Debug, Clone)]
pub struct SettingsFile {
    /// Where it is.
    pub path: PathBuf,
    /// How errors name it.
    pub display: String,
    /// How findings name it.
    pub label: String,
    /// What kind the location says it is (`None`: detect from the content).
    pub layer: Option<Layer>,
}

/// Find the Dockerrun from `DIR` and/or `--dockerrun FILE`, and the settings files:
/// `DIR/.ebextensions/*.config`, the saved configuration (`--saved-config NAME` when there are
/// several in `DIR/.elasticbeanstalk/saved_configs`), and every `--settings FILE`.
pub fn resolve(
    dir: Option<&Path>,
    dockerrun: Option<&Path>,
    settings_files: &[PathBuf],
    saved_config: Option<&str>,
) -> Result<Project> {
    // Without --dockerrun, the project folder defaults to the current one.
    let dir = match (dir, dockerrun) {
        (None, None) => Some(Path::new(".")),
        (d, _) => d,
    };
    let (path, display) = match (dockerrun, dir) {
        (Some(f), _) => (f.to_path_buf(), f.display().to_string()),
        (None, dir) => {
            let dir = dir.unwrap_or(Path::new("."));
            let found = find_dockerrun(dir)?;
            let display = found.display().to_string();
            (found, display)
        }
    };
    if !path.is_file() {
        return Err(Error::Usage(format!(
            "{display}: no such file (name the Dockerrun.aws.json with --dockerrun FILE)"
        )));
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Dockerrun.aws.json".to_string());
    let project_name = match dir {
        Some(d) => folder_name(d),
        None if file_name
            .to_ascii_lowercase()
            .starts_with("dockerrun.aws.json") =>
        {
            folder_name(path.parent().unwrap_or(Path::new(".")))
        }
        None => file_name.split('.').next().unwrap_or("app").to_string(),
    };
    let mut settings = Vec::new();
    if let Some(d) = dir {
        settings.extend(ebextensions(d)?);
        settings.extend(saved_configs(d, saved_config)?);
    } else if let Some(name) = saved_config {
        return Err(Error::Usage(format!(
            "--saved-config {name} needs the project folder DIR (it is read from DIR/.elasticbeanstalk/saved_configs)"
        )));
    }
    for f in settings_files {
        if !f.is_file() {
            return Err(Error::Usage(format!(
                "--settings {}: no such file",
                f.display()
            )));
        }
        settings.push(SettingsFile {
            path: f.clone(),
            display: f.display().to_string(),
            label: f.display().to_string(),
            layer: None,
        });
    }
    Ok(Project {
        dockerrun: path,
        dockerrun_display: display,
        dockerrun_label: file_name,
        project_name,
        settings,
        dir: dir.map(Path::to_path_buf),
    })
}

fn sorted_files(dir: &Path, suffix: &str) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.to_string_lossy().ends_with(suffix))
        .collect();
    // EB applies .ebextensions in alphabetical order.
    files.sort();
    Ok(files)
}

fn ebextensions(dir: &Path) -> Result<Vec<SettingsFile>> {
    Ok(sorted_files(&dir.join(".ebextensions"), ".config")?
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
    let files = sorted_files(&folder, ".cfg.yml")?;
    let name_of = |p: &PathBuf| {
        p.file_name()
            .map(|n| n.to_string_lossy().trim_end_matches(".cfg.yml").to_string())
            .unwrap_or_default()
    };
    let names: Vec<String> = files.iter().map(name_of).collect();
    let chosen = match wanted {
        Some(w) => match files.iter().find(|p| name_of(p) == w) {
            Some(p) => Some(p.clone()),
            None => {
                return Err(Error::Usage(format!(
                    "--saved-config {w}: no {w}.cfg.yml in {} (there: {})",
                    folder.display(),
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(", ")
                    }
                )))
            }
        },
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

fn find_dockerrun(dir: &Path) -> Result<PathBuf> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut names: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                n.to_string_lossy()
                    .eq_ignore_ascii_case("Dockerrun.aws.json")
            })
        })
        .collect();
    names.sort();
    names.into_iter().next().ok_or_else(|| {
        let compose = dir.join("docker-compose.yml").is_file();
        Error::Usage(format!(
            "no Dockerrun.aws.json in {}{}",
            dir.display(),
            if compose {
                " (it has a docker-compose.yml: the Docker on Amazon Linux 2 platform, which eb2ecs does not read yet)"
            } else {
                " (name the file with --dockerrun FILE)"
            }
        ))
    })
}

fn folder_name(dir: &Path) -> String {
    let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    canonical
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "app".to_string())
}

/// Read the project's inputs, convert them and render every artefact. Writes nothing.
pub fn build(project: &Project, opts: &Options) -> Result<(MigrationModel, Vec<Artefact>)> {
    let (run, findings) = load::dockerrun(
        &project.dockerrun,
        &project.dockerrun_display,
        &project.dockerrun_label,
    )?;
    let mut docs = Vec::new();
    for f in &project.settings {
        docs.push(load::settings::load(
            &f.path, &f.display, &f.label, f.layer,
        )?);
    }
    build_from(project, run, findings, docs, opts)
}

/// Convert already loaded inputs (files or the live environment) and render the artefacts.
pub fn build_from(
    project: &Project,
    run: crate::load::dockerrun::Dockerrun,
    mut findings: Vec<crate::finding::Finding>,
    docs: Vec<SettingsDoc>,
    opts: &Options,
) -> Result<(MigrationModel, Vec<Artefact>)> {
    let (settings, settings_findings) = crate::load::settings::merge(&docs);
    findings.extend(settings_findings);
    let mut opts = opts.clone();
    if opts.project_name.is_empty() {
        opts.project_name = project.project_name.clone();
    }
    let mut model = convert::convert(&run, findings, &settings, &opts);
    if let Some(dir) = &project.dir {
        let rels: Vec<String> = model
            .bake_files
            .iter()
            .map(|b| {
                b.host_path
                    .trim_start_matches("/var/app/current")
                    .trim_start_matches('/')
                    .to_string()
            })
            .collect();
        let hosts: Vec<String> = model
            .hostname_changes
            .iter()
            .map(|h| h.hostname.clone())
            .collect();
        if !hosts.is_empty() {
            model.hostname_hits = load::scan_hostnames(dir, &rels, &hosts);
        }
    }
    let artefacts = render::render_all(&model)?;
    Ok((model, artefacts))
}

/// Convert a live environment (what [`load::eb_api::read`] returned), plus any `--settings`
/// files, exactly as the file path does.
pub fn build_live(
    live: &load::eb_api::LiveEnvironment,
    settings_files: &[PathBuf],
    opts: &Options,
) -> Result<(Project, MigrationModel, Vec<Artefact>)> {
    let bundle_name = live
        .bundle_location
        .clone()
        .unwrap_or_else(|| "the source bundle".to_string());
    let dockerrun = live
        .bundle
        .iter()
        .find(|f| f.path.eq_ignore_ascii_case("Dockerrun.aws.json"))
        .ok_or_else(|| {
            Error::Aws(format!(
                "environment {}: {bundle_name} has no Dockerrun.aws.json at its root (is this a Docker environment?)",
                live.environment
            ))
        })?;
    let display = format!("{bundle_name}!{}", dockerrun.path);
    let (run, findings) = load::dockerrun_from_text(&dockerrun.text, &display, &dockerrun.path)?;
    let mut docs = Vec::new();
    for f in live
        .bundle
        .iter()
        .filter(|f| f.path.starts_with(".ebextensions/"))
    {
        docs.push(load::settings::parse(
            &f.text,
            &format!("{bundle_name}!{}", f.path),
            &f.path,
            Some(Layer::Ebextensions),
        )?);
    }
    docs.push(live.settings.clone());
    for f in settings_files {
        docs.push(load::settings::load(
            f,
            &f.display().to_string(),
            &f.display().to_string(),
            None,
        )?);
    }
    let project = Project {
        dockerrun: PathBuf::from(&dockerrun.path),
        dockerrun_display: display,
        dockerrun_label: dockerrun.path.clone(),
        project_name: live.environment.clone(),
        settings: Vec::new(),
        dir: None,
    };
    let mut opts = opts.clone();
    if opts.region.is_none() {
        opts.region = Some(live.region.clone());
    }
    let (model, artefacts) = build_from(&project, run, findings, docs, &opts)?;
    Ok((project, model, artefacts))
}
