//! Helpers shared by the integration tests.
#![allow(dead_code)]

use eb2ecs::cli::{Cli, Command, InputArgs};
use eb2ecs::load::dockerrun::Dockerrun;
use eb2ecs::load::settings::SettingsDoc;
use eb2ecs::load::Inputs;
use eb2ecs::model::{MigrationModel, Options};
use eb2ecs::render::Artefact;
use std::path::{Path, PathBuf};

/// What one conversion produced.
pub type Converted = (MigrationModel, Vec<Artefact>);

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Parse `convert` arguments the way the binary does.
pub fn input_args(args: &[String]) -> InputArgs {
    let mut argv = vec!["eb2ecs".to_string(), "convert".to_string()];
    argv.extend(args.iter().cloned());
    match clap::Parser::try_parse_from(argv) {
        Ok(Cli {
            command: Command::Convert(c),
        }) => c.input,
        Ok(_) => panic!("not a convert command"),
        Err(e) => panic!("bad test arguments {args:?}: {e}"),
    }
}

/// The options `convert` arguments resolve to.
pub fn options(args: &[String]) -> Options {
    eb2ecs::cli::options(&input_args(args))
}

/// Convert as `eb2ecs convert ARGS` would (without writing), with the project name fixed so the
/// output does not depend on where the files are.
pub fn convert_args(args: &[String], project_name: &str) -> eb2ecs::error::Result<Converted> {
    let input = input_args(args);
    let mut inputs = eb2ecs::app::load_inputs(&input)?;
    inputs.project_name = project_name.to_string();
    eb2ecs::app::build(&inputs, &eb2ecs::cli::options(&input))
}

/// Convert a Dockerrun file (project name `corpus`) with extra arguments.
pub fn convert_file(file: &Path, args: &[&str]) -> eb2ecs::error::Result<Converted> {
    let mut all = vec!["--dockerrun".to_string(), file.display().to_string()];
    all.extend(args.iter().map(|a| a.to_string()));
    convert_args(&all, "corpus")
}

/// Inputs already parsed (nothing on disk), for tests that make their own documents.
pub fn in_memory(
    run: Dockerrun,
    findings: Vec<eb2ecs::finding::Finding>,
    settings: Vec<SettingsDoc>,
) -> Inputs {
    Inputs {
        project_name: "fuzz".into(),
        display: "Dockerrun.aws.json".into(),
        dockerrun: run,
        dockerrun_findings: findings,
        settings,
        files: vec![],
        region: None,
    }
}

/// The golden cases, sorted.
pub fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root().join("testdata/cases"))
        .expect("testdata/cases")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

/// The arguments of a golden case: its input folder and its `args` file.
pub fn case_args(dir: &Path) -> Vec<String> {
    let mut args = vec![dir.join("input").display().to_string()];
    if let Ok(text) = std::fs::read_to_string(dir.join("args")) {
        args.extend(text.split_whitespace().map(str::to_string));
    }
    args
}

/// Convert a golden case (project name: the case's folder name).
pub fn convert_case(dir: &Path) -> eb2ecs::error::Result<Converted> {
    let name = dir
        .file_name()
        .expect("case name")
        .to_string_lossy()
        .to_string();
    convert_args(&case_args(dir), &name)
}

/// Python of the test venv (created by scripts/test), with botocore, cfn-lint and moto.
pub fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("EB2ECS_PYTHON") {
        return PathBuf::from(p);
    }
    let p = root().join(".venv/bin/python");
    assert!(
        p.is_file(),
        "{} is missing: run ./scripts/test (it creates the venv with the validators)",
        p.display()
    );
    p
}

/// Run a validator script from tests/validators with the given arguments; panic with its
/// output when it fails.
pub fn run_validator(script: &str, args: &[PathBuf]) -> String {
    let out = std::process::Command::new(python())
        .arg(root().join("tests/validators").join(script))
        .args(args)
        .output()
        .expect("run python");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{script} failed:\n{text}");
    text
}
