//! Offline subjects: each path named on the command line is a project folder (whatever
//! `convert DIR` reads) or a `fetch` snapshot (the saved settings `NAME.json` and its bundle
//! folder `NAME.json.bundle`, named by either, or a folder holding such pairs). The one part of
//! `assess` that reads files; a path that cannot be read becomes a subject that says why
//! (file:line:column), never an error for the whole run.

use super::Subject;
use crate::load::{self, project, settings::SettingsDoc};
use std::path::{Path, PathBuf};

/// The subjects a path names: one per project folder or snapshot.
pub fn subjects(path: &Path) -> Vec<Subject> {
    let pairs = snapshot_pairs(path);
    if pairs.is_empty() {
        return vec![project_folder(path)];
    }
    pairs.iter().map(|(f, b)| snapshot(f, b)).collect()
}

/// The `(settings, bundle)` pairs of a snapshot path: the file, its bundle folder, or a folder
/// holding several snapshots; none for a project folder.
fn snapshot_pairs(path: &Path) -> Vec<(PathBuf, PathBuf)> {
    let bundle_of = |f: &Path| PathBuf::from(format!("{}.bundle", f.display()));
    if path.is_file() {
        return vec![(path.to_path_buf(), bundle_of(path))];
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(stem) = name.strip_suffix(".bundle") {
        let settings = path.with_file_name(stem);
        if settings.is_file() {
            return vec![(settings, path.to_path_buf())];
        }
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return Vec::new();
    };
    let mut pairs: Vec<(PathBuf, PathBuf)> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && bundle_of(p).is_dir())
        .map(|p| {
            let b = bundle_of(&p);
            (p, b)
        })
        .collect();
    pairs.sort();
    pairs
}

fn folder_name(path: &Path) -> String {
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    canonical
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The settings document that says which environment this is (describe output), if any.
fn describe_doc(inputs: &load::Inputs) -> Option<&SettingsDoc> {
    inputs
        .settings
        .iter()
        .rev()
        .find(|d| d.environment_name.is_some() || d.application_name.is_some())
}

/// The region of a platform ARN (`arn:aws:elasticbeanstalk:REGION::platform/...`).
fn arn_region(platform: &str) -> Option<String> {
    let mut parts = platform.split(':');
    (parts.next() == Some("arn")).then_some(())?;
    let region = parts.nth(2)?;
    crate::convert::limits::partition_of(region).map(|_| region.to_string())
}

/// A snapshot `fetch` saved: read as `convert BUNDLE --settings FILE` reads it.
fn snapshot(settings: &Path, bundle: &Path) -> Subject {
    let name = folder_name(settings);
    let environment = name.strip_suffix(".json").unwrap_or(&name).to_string();
    let req = project::Request {
        dir: Some(bundle.to_path_buf()),
        settings: vec![settings.to_path_buf()],
        ..Default::default()
    };
    subject(project::load(&req), environment.clone(), environment, None)
}

/// A project folder: its `.elasticbeanstalk/config.yml` may name the application and region.
fn project_folder(dir: &Path) -> Subject {
    let name = folder_name(dir);
    let config = eb_cli_config(dir);
    let application = config.application.unwrap_or_else(|| name.clone());
    if !dir.is_dir() {
        return failed(
            application,
            name,
            format!("{}: not a folder", dir.display()),
        );
    }
    let req = project::Request {
        dir: Some(dir.to_path_buf()),
        ..Default::default()
    };
    let region = (config.region).filter(|r| crate::convert::limits::partition_of(r).is_some());
    subject(project::load(&req), application, name, region)
}

/// A subject from what the loader returned; names and region from a describe output win.
fn subject(
    loaded: crate::error::Result<load::Inputs>,
    application: String,
    environment: String,
    region: Option<String>,
) -> Subject {
    let inputs = match loaded {
        Ok(i) => i,
        Err(e) => return failed(application, environment, e.to_string()),
    };
    let doc = describe_doc(&inputs);
    let platform = inputs
        .settings
        .iter()
        .rev()
        .find_map(|d| d.platform.clone())
        .or_else(|| inputs.platform.as_ref()?.default_platform.clone());
    Subject {
        application: doc
            .and_then(|d| d.application_name.clone())
            .unwrap_or(application),
        environment: doc
            .and_then(|d| d.environment_name.clone())
            .unwrap_or(environment),
        region: platform.as_deref().and_then(arn_region).or(region),
        platform_arn: platform,
        platform_status: None,
        inputs: Ok(inputs),
    }
}

fn failed(application: String, environment: String, why: String) -> Subject {
    Subject {
        application,
        environment,
        region: None,
        platform_arn: None,
        platform_status: None,
        inputs: Err(why),
    }
}

/// `global.application_name` and `global.default_region` of the project's config.yml (the one
/// reader, [`load::eb_config`]).
fn eb_cli_config(dir: &Path) -> load::eb_config::EbCliConfig {
    load::eb_config::read(dir)
}

#[cfg(test)]
mod tests {
    use super::arn_region;

    #[test]
    fn the_region_of_a_platform_arn() {
        let arn = "arn:aws:elasticbeanstalk:eu-west-1::platform/Node.js 20 running on 64bit Amazon Linux 2023/6.1.0";
        assert_eq!(arn_region(arn).as_deref(), Some("eu-west-1"));
        assert_eq!(arn_region("Docker running on 64bit Amazon Linux 2"), None);
        assert_eq!(
            arn_region("arn:aws:elasticbeanstalk:mars-1::platform/x"),
            None
        );
    }
}
