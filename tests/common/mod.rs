//! Helpers shared by the integration tests.
#![allow(dead_code)]

use eb2ecs::cli::{Cli, Command, InputArgs};
use eb2ecs::model::{MigrationModel, Options};
use eb2ecs::project;
use eb2ecs::render::Artefact;
use std::path::{Path, PathBuf};

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

/// Options for a case, with the project name fixed so output does not depend on paths.
pub fn options(args: &[String], project_name: &str) -> (InputArgs, Options) {
    let input = input_args(args);
    let mut opts = eb2ecs::cli::options(&input);
    opts.project_name = project_name.to_string();
    (input, opts)
}

/// Convert a Dockerrun file with the given options.
pub fn convert_file(
    file: &Path,
    opts: &Options,
) -> eb2ecs::error::Result<(MigrationModel, Vec<Artefact>)> {
    let project = project::resolve(None, Some(file), &[], None)?;
    project::build(&project, opts)
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
