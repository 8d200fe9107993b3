//! A live environment (what [`super::eb_api::read`] returned) as [`Inputs`]: its settings go
//! through the same settings parser as a describe JSON file, and its bundle's files are the
//! project's files, so live and offline conversions are the same conversion.

use super::eb_api::LiveEnvironment;
use super::settings::{self, Layer, SettingsDoc};
use super::Inputs;
use crate::error::{Error, Result};
use std::path::PathBuf;

/// How findings name the live environment's settings.
pub fn settings_label(live: &LiveEnvironment) -> String {
    format!("environment {}", live.environment)
}

/// The environment's applied settings, parsed from the describe JSON `fetch` saves.
pub fn settings_doc(live: &LiveEnvironment) -> Result<SettingsDoc> {
    let label = settings_label(live);
    settings::parse(
        &live.describe_text,
        &label,
        &label,
        Some(Layer::Environment),
    )
}

/// The live environment plus any `--settings` files as one [`Inputs`].
pub fn inputs(live: &LiveEnvironment, settings_files: &[PathBuf]) -> Result<Inputs> {
    let bundle_name = live
        .bundle_location
        .clone()
        .unwrap_or_else(|| "the source bundle".to_string());
    if !live
        .bundle
        .iter()
        .any(|f| f.path.eq_ignore_ascii_case("Dockerrun.aws.json"))
    {
        return bundle_project(live, settings_files, &bundle_name);
    }
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
    let (run, findings) = super::dockerrun_from_text(&dockerrun.text, &display, &dockerrun.path)?;
    let mut docs = Vec::new();
    for f in live
        .bundle
        .iter()
        .filter(|f| f.path.starts_with(".ebextensions/"))
    {
        let display = format!("{bundle_name}!{}", f.path);
        docs.push(settings::parse(
            &f.text,
            &display,
            &f.path,
            Some(Layer::Ebextensions),
        )?);
    }
    docs.push(settings_doc(live)?);
    for f in settings_files {
        let name = f.display().to_string();
        docs.push(settings::load(f, &name, &name, None)?);
    }
    Ok(Inputs {
        platform: None,
        platform_choice: None,
        env_reads: Vec::new(),
        eb_cli: Default::default(),
        project_name: live.environment.clone(),
        display,
        dockerrun: run,
        dockerrun_findings: findings,
        settings: docs,
        files: live.bundle.clone(),
        region: Some(live.region.clone()),
        skipped: vec![],
    })
}

/// A bundle without a Dockerrun (docker-compose.yml, a Dockerfile, a language-platform app) is
/// read as the project folder it was: its files are laid out in a temporary folder and read by
/// the project loader, with the environment's applied settings added.
fn bundle_project(
    live: &LiveEnvironment,
    settings_files: &[PathBuf],
    bundle_name: &str,
) -> Result<Inputs> {
    let io = |path: &std::path::Path, source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let tmp = tempfile::tempdir().map_err(|e| io(&std::env::temp_dir(), e))?;
    // The folder is named after the environment, the project's name as the loader sees it.
    let dir = tmp
        .path()
        .join(crate::names::sanitise_name(&live.environment));
    for f in &live.bundle {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        std::fs::write(&path, &f.text).map_err(|e| io(&path, e))?;
    }
    let req = super::project::Request {
        dir: Some(dir.clone()),
        settings: settings_files.to_vec(),
        extra: vec![settings_doc(live)?],
        ..Default::default()
    };
    let root = dir.display().to_string();
    let named = |text: &str| text.replace(&root, bundle_name);
    let mut inputs = super::project::load(&req).map_err(|e| match e {
        Error::Input {
            file,
            line,
            column,
            message,
        } => Error::Input {
            file: named(&file),
            line,
            column,
            message,
        },
        Error::Usage(m) => Error::Aws(format!("environment {}: {}", live.environment, named(&m))),
        other => other,
    })?;
    inputs.project_name = live.environment.clone();
    inputs.region = Some(live.region.clone());
    inputs.display = format!("{bundle_name}!{}", inputs.dockerrun.file);
    Ok(inputs)
}
