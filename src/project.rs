//! Where a project's inputs are, and the one call that turns them into artefacts.

use crate::convert;
use crate::error::{Error, Result};
use crate::load;
use crate::model::{MigrationModel, Options};
use crate::render::{self, Artefact};
use crate::settings::EnvSettings;
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
}

/// Find the Dockerrun from `DIR` and/or `--dockerrun FILE`.
pub fn resolve(dir: Option<&Path>, dockerrun: Option<&Path>) -> Result<Project> {
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
    Ok(Project {
        dockerrun: path,
        dockerrun_display: display,
        dockerrun_label: file_name,
        project_name,
    })
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
    let settings = EnvSettings::default();
    let mut opts = opts.clone();
    if opts.project_name.is_empty() {
        opts.project_name = project.project_name.clone();
    }
    let model = convert::convert(&run, findings, &settings, &opts);
    let artefacts = render::render_all(&model)?;
    Ok((model, artefacts))
}
