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
