//! A project for one of EB's language platforms (Node.js, Python, Java, PHP, Ruby, Go, .NET):
//! no Dockerrun.aws.json, docker-compose.yml or Dockerfile, but the application's own files.
//! This loader only reads: the list of the project's files, the texts the Dockerfile generator
//! needs (package.json, Procfile, Buildfile, requirements.txt, …) and the `eb` CLI's
//! `.elasticbeanstalk/config.yml` default platform. Which platform it is, and everything that
//! depends on the settings, is decided in `convert::platform`.

pub mod war;

use super::dockerrun::{Dockerrun, EbContainer, Parsed};
use super::SourceFile;
use std::path::Path;

/// Files whose text the generator reads, when the project has them.
const READ: &[&str] = &[
    "package.json",
    "Procfile",
    "Buildfile",
    "requirements.txt",
    "Pipfile",
    "composer.json",
    "Gemfile",
    "go.mod",
    ".elasticbeanstalk/config.yml",
    // The runtime version the project pins (docs/runtime-versions.md).
    ".nvmrc",
    ".node-version",
    "runtime.txt",
    ".python-version",
    ".ruby-version",
    "Gemfile.lock",
    "build.gradle",
    "build.gradle.kts",
    "gradle.properties",
    "gradle/wrapper/gradle-wrapper.properties",
    "pom.xml",
    "src/main/webapp/WEB-INF/web.xml",
    // Front ends built beside the application, and server settings.
    "ClientApp/package.json",
    "frontend/package.json",
    "config/puma.rb",
    "gunicorn.conf.py",
    // Node's entry files, for the keep-alive they set.
    "app.js",
    "server.js",
    "main.js",
];

/// Folders never listed (dependencies and version control).
const SKIP: &[&str] = &[
    ".git",
    "node_modules",
    ".venv",
    "__pycache__",
    "target",
    "obj",
];

/// Most paths listed.
const MAX_PATHS: usize = 5_000;

/// What the generator knows of a language-platform project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlatformProject {
    /// The project's files, relative and `/`-separated, sorted (folders end with `/`; at most
    /// four levels, without `node_modules`, `.git` and the like).
    pub paths: Vec<String>,
    /// The texts of the files the generator reads.
    pub texts: Vec<SourceFile>,
    /// `global.default_platform` of `.elasticbeanstalk/config.yml`.
    pub default_platform: Option<String>,
    /// What the top-level WARs say about their servlet namespace.
    pub wars: Vec<war::War>,
}

impl PlatformProject {
    /// Whether the project has the file or folder `rel` (a folder as `name/`).
    pub fn has(&self, rel: &str) -> bool {
        self.paths.iter().any(|p| p == rel)
    }

    /// The text of `rel`, when it was read.
    pub fn text(&self, rel: &str) -> Option<&str> {
        self.texts
            .iter()
            .find(|f| f.path == rel)
            .map(|f| f.text.as_str())
    }

    /// The top-level files ending in `suffix` (case-insensitive), sorted.
    pub fn top_level(&self, suffix: &str) -> Vec<&str> {
        let suffix = suffix.to_ascii_lowercase();
        self.paths
            .iter()
            .filter(|p| !p.contains('/') && p.to_ascii_lowercase().ends_with(&suffix))
            .map(String::as_str)
            .collect()
    }

    /// The files under `folder/` (recursively), sorted.
    pub fn under(&self, folder: &str) -> Vec<&str> {
        let prefix = format!("{}/", folder.trim_end_matches('/'));
        self.paths
            .iter()
            .filter(|p| p.starts_with(&prefix) && !p.ends_with('/'))
            .map(String::as_str)
            .collect()
    }
}

/// Whether `dir` (which has no Dockerrun.aws.json, docker-compose.yml or Dockerfile) is a
/// language-platform project: a top-level file or folder is one of the language evidence
/// markers ([`crate::load::which::LANGUAGE_MARKERS`], the one table of platform markers), or
/// it has an `.ebextensions` folder or an `eb` CLI configuration.
pub fn locate(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    if names
        .iter()
        .any(|n| n.eq_ignore_ascii_case("Dockerrun.aws.json"))
    {
        return false;
    }
    let marked = crate::load::which::LANGUAGE_MARKERS
        .iter()
        .any(|(m, _, _)| {
            if m.ends_with('/') {
                crate::load::which::marker_matches(dir, m, "")
            } else {
                names
                    .iter()
                    .any(|n| crate::load::which::marker_matches(dir, m, n) && dir.join(n).is_file())
            }
        });
    marked
        || dir.join(".ebextensions").is_dir()
        || dir.join(".elasticbeanstalk/config.yml").is_file()
}

/// Read the project at `root`: its files, and one container named `name` without image or
/// port (the conversion decides the platform and builds the containers from it).
pub fn load(root: &Path, name: &str, label: &str) -> (Parsed, PlatformProject) {
    let mut paths = Vec::new();
    list(root, "", 0, &mut paths);
    paths.sort();
    let mut rels: Vec<String> = READ.iter().map(|s| s.to_string()).collect();
    rels.extend(
        paths
            .iter()
            .filter(|p| !p.contains('/') && p.ends_with(".csproj"))
            .cloned(),
    );
    let (texts, _) = super::files::source_files(root, &rels);
    let default_platform = texts
        .iter()
        .find(|f| f.path == ".elasticbeanstalk/config.yml")
        .and_then(|f| default_platform(&f.text));
    let name = crate::names::sanitise_name(&name.to_ascii_lowercase());
    let container = EbContainer {
        name: if name.trim_matches('-').is_empty() {
            "app".to_string()
        } else {
            name
        },
        essential: true,
        ..Default::default()
    };
    let run = Dockerrun::single(label, container);
    let wars = paths
        .iter()
        .filter(|p| !p.contains('/') && p.to_ascii_lowercase().ends_with(".war"))
        .take(4)
        .map(|p| war::read(root, p))
        .collect();
    let project = PlatformProject {
        paths,
        texts,
        default_platform,
        wars,
    };
    ((run, Vec::new()), project)
}

/// `global.default_platform` of an `eb` CLI config.yml (a YAML error means none).
fn default_platform(text: &str) -> Option<String> {
    let v = super::guard::yaml("config.yml", text).ok()?;
    v.get("global")?
        .get("default_platform")?
        .as_str()
        .map(str::to_string)
}

/// List `root/rel` into `out` (symbolic links are listed, never followed).
fn list(root: &Path, rel: &str, depth: usize, out: &mut Vec<String>) {
    if depth > 4 || out.len() >= MAX_PATHS {
        return;
    }
    for e in super::files::entries(root, rel) {
        if e.kind.is_dir() {
            out.push(format!("{}/", e.path));
            if !SKIP.contains(&e.name.as_str()) {
                list(root, &e.path, depth + 1, out);
            }
        } else {
            out.push(e.path);
        }
        if out.len() >= MAX_PATHS {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_yml_gives_the_default_platform() {
        let text = "global:\n  application_name: x\n  default_platform: Python 3.11 running on 64bit Amazon Linux 2023\n";
        assert_eq!(
            default_platform(text).as_deref(),
            Some("Python 3.11 running on 64bit Amazon Linux 2023")
        );
        assert_eq!(default_platform("global: [unclosed"), None);
    }

    #[test]
    fn project_paths_answer_questions() {
        let p = PlatformProject {
            paths: vec!["app.jar".into(), "bin/".into(), "bin/application".into()],
            ..Default::default()
        };
        assert!(p.has("bin/"));
        assert_eq!(p.top_level(".JAR"), vec!["app.jar"]);
        assert_eq!(p.under("bin"), vec!["bin/application"]);
    }
}
