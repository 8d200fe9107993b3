//! Helpers shared by the integration tests: conversions through the library, the golden and
//! corpus folders, the validator, secret checks and the built binary.
#![allow(dead_code)]

pub mod fake_aws;

use eb2ecs::cli::{Cli, Command, InputArgs};
use eb2ecs::load::dockerrun::Dockerrun;
use eb2ecs::load::settings::SettingsDoc;
use eb2ecs::load::Inputs;
use eb2ecs::model::{MigrationModel, Options};
use eb2ecs::render::Artefact;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// What one conversion produced.
pub type Converted = (MigrationModel, Vec<Artefact>);

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------------------------------------
// Conversions through the library
// ---------------------------------------------------------------------------------------------

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
    let team = eb2ecs::app::templates(input.templates.as_ref())?;
    let mut inputs = eb2ecs::app::load_inputs(&input)?;
    inputs.project_name = project_name.to_string();
    eb2ecs::app::build_args(&inputs, &input, team.as_ref())
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
        platform: None,
        platform_choice: None,
        env_reads: Vec::new(),
        eb_cli: Default::default(),
        project_name: "fuzz".into(),
        display: "Dockerrun.aws.json".into(),
        dockerrun: run,
        dockerrun_findings: findings,
        settings,
        files: vec![],
        region: None,
        skipped: vec![],
    }
}

// ---------------------------------------------------------------------------------------------
// Golden cases
// ---------------------------------------------------------------------------------------------

/// The folders directly under `ROOT/rel`, sorted.
pub fn subdirs(rel: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(root().join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// The golden cases (testdata/cases), sorted.
pub fn cases() -> Vec<PathBuf> {
    subdirs("testdata/cases")
}

/// The name of a case: its folder's name.
pub fn case_name(dir: &Path) -> String {
    dir.file_name()
        .expect("case name")
        .to_string_lossy()
        .to_string()
}

/// The words of a case's `args` file (none when it has no such file).
pub fn args_file(dir: &Path) -> Vec<String> {
    fs::read_to_string(dir.join("args"))
        .map(|text| text.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

/// The arguments of a golden case: its input folder and its `args` file.
pub fn case_args(dir: &Path) -> Vec<String> {
    let mut args = vec![dir.join("input").display().to_string()];
    args.extend(args_file(dir));
    args
}

/// Convert a golden case (project name: the case's folder name).
pub fn convert_case(dir: &Path) -> eb2ecs::error::Result<Converted> {
    convert_args(&case_args(dir), &case_name(dir))
}

/// Whether the expected files are to be rewritten (`UPDATE_GOLDEN=1`).
pub fn update_golden() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some()
}

/// Compare what a case produced (file name -> text) with its expected folder: every produced
/// file must be there with the same bytes, and every expected file must have been produced.
/// With `UPDATE_GOLDEN=1` the folder is rewritten instead (files nothing produced are removed).
/// Returns one message per mismatch.
pub fn check_golden(expected_dir: &Path, produced: &BTreeMap<String, String>) -> Vec<String> {
    let here = expected_dir.display();
    if update_golden() {
        fs::create_dir_all(expected_dir).unwrap();
        for name in files_in(expected_dir) {
            if !produced.contains_key(&name) {
                fs::remove_file(expected_dir.join(name)).unwrap();
            }
        }
        for (name, content) in produced {
            let path = expected_dir.join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, content).unwrap();
        }
        return Vec::new();
    }
    let mut failures = Vec::new();
    for (name, content) in produced {
        match fs::read_to_string(expected_dir.join(name)) {
            Ok(expected) if &expected == content => {}
            Ok(expected) => failures.push(format!(
                "{here}/{name} differs:\n{}",
                eb2ecs::diff::unified(&expected, content, "expected", "produced")
            )),
            Err(_) => failures.push(format!("{here}/{name} is missing")),
        }
    }
    for name in files_in(expected_dir) {
        if !produced.contains_key(&name) {
            failures.push(format!("{here}/{name} is not produced any more"));
        }
    }
    failures
}

/// Panic with every golden mismatch, if there is any.
pub fn assert_golden(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} golden mismatches (UPDATE_GOLDEN=1 to accept):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The corpus of real-world inputs
// ---------------------------------------------------------------------------------------------

/// The Dockerrun that settings files of the corpus are converted with.
pub fn settings_dockerrun() -> PathBuf {
    root().join("testdata/cases/nginx-linked-app/input/Dockerrun.aws.json")
}

/// The files (not folders) of testdata/corpus/SUB, sorted; only those ending in `.EXT` when
/// `ext` is given.
pub fn corpus_files(sub: &str, ext: Option<&str>) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(root().join("testdata/corpus").join(sub))
        .unwrap_or_else(|e| panic!("testdata/corpus/{sub}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .filter(|p| ext.is_none_or(|x| p.extension().is_some_and(|e| e == x)))
        .collect();
    files.sort();
    files
}

/// The corpus inputs of folder SUB: its files, or for `platforms` its project folders.
pub fn corpus_entries(sub: &str) -> Vec<PathBuf> {
    if sub != "platforms" {
        return corpus_files(sub, None);
    }
    let mut dirs: Vec<PathBuf> = fs::read_dir(root().join("testdata/corpus").join(sub))
        .unwrap_or_else(|e| panic!("testdata/corpus/{sub}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// The texts of [`corpus_files`] of several folders, in order.
pub fn corpus_texts(subs: &[&str], ext: Option<&str>) -> Vec<String> {
    subs.iter()
        .flat_map(|sub| corpus_files(sub, ext))
        .map(|p| fs::read_to_string(p).unwrap())
        .collect()
}

/// Both launch types, as `--launch-type` spells them.
pub const LAUNCH_TYPES: [&str; 2] = ["fargate", "ec2"];

/// The convert arguments for a corpus file of folder `sub`: a Dockerrun or a docker-compose file
/// is converted on its own, a settings file with [`settings_dockerrun`].
pub fn corpus_args(sub: &str, file: &Path, launch_type: &str) -> Vec<String> {
    let file = file.display().to_string();
    let mut args = vec!["--dockerrun".to_string()];
    if sub == "platforms" {
        args = vec![file];
    } else if sub.starts_with("dockerrun") || sub == "compose" {
        args.push(file);
    } else {
        args.extend([
            settings_dockerrun().display().to_string(),
            "--settings".into(),
            file,
        ]);
    }
    args.extend(["--launch-type", launch_type, "--region", "eu-west-1"].map(String::from));
    args
}

/// One conversion of a corpus file (or a golden case).
pub struct Conversion {
    /// `SUB/FILE LAUNCH-TYPE`, or `case NAME`.
    pub label: String,
    /// `fargate` or `ec2`.
    pub launch_type: &'static str,
    /// The model.
    pub model: MigrationModel,
    /// What was rendered.
    pub artefacts: Vec<Artefact>,
}

/// Every corpus folder.
pub const CORPUS: &[&str] = &[
    "dockerrun-v1",
    "dockerrun-v2",
    "ebextensions",
    "platforms",
    "saved-configs",
    "compose",
];

/// Every golden case, then every corpus file for both launch types, converted with `extra`
/// arguments (which replace the same options of a case's `args` file).
pub fn all_conversions(extra: &[&str]) -> Vec<Conversion> {
    let mut out = case_conversions_with(extra);
    out.extend(corpus_conversions_with(CORPUS, extra));
    out
}

/// `args` without the options `extra` sets, then `extra`.
fn with_extra(mut args: Vec<String>, extra: &[&str]) -> Vec<String> {
    for opt in extra.iter().filter(|a| a.starts_with("--")) {
        if let Some(i) = args.iter().position(|a| a == opt) {
            args.drain(i..(i + 2).min(args.len()));
        }
    }
    args.extend(extra.iter().map(|a| a.to_string()));
    args
}

/// Every file of the corpus folders `subs`, converted for both launch types.
pub fn corpus_conversions(subs: &[&str]) -> Vec<Conversion> {
    corpus_conversions_with(subs, &[])
}

/// [`corpus_conversions`] with `extra` arguments.
pub fn corpus_conversions_with(subs: &[&str], extra: &[&str]) -> Vec<Conversion> {
    let mut out = Vec::new();
    for sub in subs {
        for file in corpus_entries(sub) {
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            for launch_type in LAUNCH_TYPES {
                let label = format!("{sub}/{name} {launch_type}");
                let args = with_extra(corpus_args(sub, &file, launch_type), extra);
                let (model, artefacts) = convert_args(&args, "corpus")
                    .unwrap_or_else(|e| panic!("{label} did not convert: {e}"));
                out.push(Conversion {
                    label,
                    launch_type,
                    model,
                    artefacts,
                });
            }
        }
    }
    out
}

/// Every golden case, converted.
pub fn case_conversions() -> Vec<Conversion> {
    case_conversions_with(&[])
}

/// [`case_conversions`] with `extra` arguments.
pub fn case_conversions_with(extra: &[&str]) -> Vec<Conversion> {
    cases()
        .iter()
        .map(|dir| {
            let args = with_extra(case_args(dir), extra);
            let (model, artefacts) = convert_args(&args, &case_name(dir))
                .unwrap_or_else(|e| panic!("case {} failed to convert: {e}", dir.display()));
            Conversion {
                label: format!("case {}", case_name(dir)),
                launch_type: if model.task_definition.network_mode == "awsvpc" {
                    "fargate"
                } else {
                    "ec2"
                },
                model,
                artefacts,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The two test loops
// ---------------------------------------------------------------------------------------------

/// The variable `./scripts/test` sets: tests that need a tool outside the Rust toolchain (the
/// validators' venvs, the Terraform CLI, Chromium, hadolint, actionlint) run only with it.
pub const FULL_SUITE: &str = "EB2ECS_FULL_SUITE";

/// Whether this is the full suite (`./scripts/test`, which sets [`FULL_SUITE`]=1).
pub fn full_suite() -> bool {
    std::env::var_os(FULL_SUITE).is_some_and(|v| !v.is_empty() && v != "0")
}

/// The gate of every test that runs an external tool: true in the full suite (where a missing
/// tool then fails the test, naming its install command); otherwise one line on stderr and
/// false, so `cargo test` on a fresh clone needs only the Rust toolchain. Use as
/// `if !common::external("cfn-lint") { return; }`.
pub fn external(tools: &str) -> bool {
    if full_suite() {
        return true;
    }
    eprintln!("not run: needs {tools}; ./scripts/test runs it (it sets {FULL_SUITE}=1)");
    false
}

/// How each venv's tools are installed (what scripts/test does), for the failure message.
fn venv_install(venv: &str) -> String {
    let req = match venv {
        ".venv-checkov" => "requirements-checkov.txt",
        ".venv-hcl2" => "requirements-hcl2.txt",
        _ => "requirements.txt",
    };
    format!("python3 -m venv {venv} && {venv}/bin/pip install -r tests/validators/{req}")
}

// ---------------------------------------------------------------------------------------------
// Validators (Python, in the test venv)
// ---------------------------------------------------------------------------------------------

/// Python of the test venv (created by scripts/test), with botocore, cfn-lint and moto.
pub fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("EB2ECS_PYTHON") {
        return PathBuf::from(p);
    }
    let p = root().join(".venv/bin/python");
    assert!(
        p.is_file(),
        "{} is missing: run ./scripts/test, or install it with `{}`",
        p.display(),
        venv_install(".venv")
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

/// Write artefacts into `dir` (created); returns the paths written.
pub fn write_artefacts(dir: &Path, artefacts: &[Artefact]) -> Vec<PathBuf> {
    fs::create_dir_all(dir).unwrap();
    artefacts
        .iter()
        .map(|a| {
            let path = dir.join(a.name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, &a.content).unwrap();
            path
        })
        .collect()
}

/// The files `aws ecs ... --cli-input-json` reads.
pub const ECS_JSON: [&str; 3] = [
    "task-definition.json",
    "service.json",
    "oneoff-task-definition.json",
];

/// Every conversion's task and service definition passes botocore's parameter validation
/// (in the full suite; elsewhere the conversions alone are checked, see [`external`]).
pub fn assert_ecs_valid(conversions: &[Conversion]) {
    if !external("botocore (.venv)") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for (i, c) in conversions.iter().enumerate() {
        let written = write_artefacts(&tmp.path().join(format!("{i:03}")), &c.artefacts);
        outputs.extend(written.into_iter().filter(|p| {
            p.file_name()
                .is_some_and(|n| ECS_JSON.iter().any(|e| n == *e))
        }));
    }
    let report = run_validator("validate_ecs.py", &outputs);
    assert!(
        report.contains(&format!("{} files checked, 0 invalid", outputs.len())),
        "{report}"
    );
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

/// The secret values a case lists in its `must-not-contain` file (none without one).
pub fn must_not_contain(dir: &Path) -> Vec<String> {
    fs::read_to_string(dir.join("must-not-contain"))
        .map(|t| {
            t.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Each (name, text) that contains one of the secrets, as a message.
pub fn secret_leaks<N, T, S>(texts: impl IntoIterator<Item = (N, T)>, secrets: &[S]) -> Vec<String>
where
    N: AsRef<str>,
    T: AsRef<str>,
    S: AsRef<str>,
{
    let mut leaks = Vec::new();
    for (name, text) in texts {
        for secret in secrets {
            if text.as_ref().contains(secret.as_ref()) {
                leaks.push(format!(
                    "{} contains the secret {:?}",
                    name.as_ref(),
                    secret.as_ref()
                ));
            }
        }
    }
    leaks
}

/// No text (artefacts as [`artefact_texts`], files as [`read_files`], output...) contains any
/// of the secrets.
pub fn assert_no_secret<N, T, S>(texts: impl IntoIterator<Item = (N, T)>, secrets: &[S])
where
    N: AsRef<str>,
    T: AsRef<str>,
    S: AsRef<str>,
{
    assert!(!secrets.is_empty(), "no secrets to look for");
    let leaks = secret_leaks(texts, secrets);
    assert!(leaks.is_empty(), "secrets leak:\n{}", leaks.join("\n"));
}

/// Artefacts as (name, text).
pub fn artefact_texts(artefacts: &[Artefact]) -> Vec<(&str, &str)> {
    artefacts
        .iter()
        .map(|a| (a.name, a.content.as_str()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The built binary and the files it writes
// ---------------------------------------------------------------------------------------------

/// The built binary, with no region or colour setting inherited from the environment.
pub fn eb2ecs() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("eb2ecs").unwrap();
    c.env_remove("AWS_REGION").env_remove("NO_COLOR");
    c
}

/// `cmd SUBCOMMAND ARGS... --out OUT`.
pub fn into_out<A: AsRef<std::ffi::OsStr>>(
    mut cmd: assert_cmd::Command,
    subcommand: &str,
    args: impl IntoIterator<Item = A>,
    out: &Path,
) -> assert_cmd::Command {
    cmd.arg(subcommand).args(args).arg("--out").arg(out);
    cmd
}

/// The names of the entries of `dir`, sorted (none when it does not exist).
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut v = Vec::new();
    for e in fs::read_dir(dir).into_iter().flatten() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().to_string();
        if e.file_type().unwrap().is_dir() {
            // Artefacts in a folder (terraform/main.tf) are named with it.
            v.extend(
                files_in(&e.path())
                    .into_iter()
                    .map(|n| format!("{name}/{n}")),
            );
        } else {
            v.push(name);
        }
    }
    v.sort();
    v
}

/// The files of `dir` (not hidden ones such as the manifest): name -> text.
pub fn read_files(dir: &Path) -> BTreeMap<String, String> {
    files_in(dir)
        .into_iter()
        .filter(|n| !n.starts_with('.'))
        .map(|n| {
            let text = fs::read_to_string(dir.join(&n))
                .unwrap_or_else(|e| panic!("{}/{n}: {e}", dir.display()));
            (n, text)
        })
        .collect()
}

/// A tool of one of the venvs scripts/test creates (`.venv`, `.venv-checkov`, `.venv-hcl2`).
pub fn venv_tool(venv: &str, tool: &str) -> PathBuf {
    let p = root().join(venv).join("bin").join(tool);
    assert!(
        p.exists(),
        "{} is missing: run ./scripts/test, or install it with `{}`",
        p.display(),
        venv_install(venv)
    );
    p
}

/// Run checkov (`framework`: cloudformation or terraform) once over `dir`, the allow-listed
/// checks skipped; returns the passed count and every failure.
pub fn run_checkov(framework: &str, dir: &Path) -> (u64, Vec<String>) {
    let out = std::process::Command::new(venv_tool(".venv-checkov", "checkov"))
        .args([
            "--framework",
            framework,
            "--quiet",
            "--compact",
            "-o",
            "json",
        ])
        .args(["--skip-check", &checkov_allowed().join(",")])
        .arg("-d")
        .arg(dir)
        .output()
        .expect("run checkov");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "checkov printed no JSON ({e}):\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    checkov_results(&report)
}

/// The checkov check IDs accepted on purpose (tests/validators/checkov-allow.txt), each with its
/// reason.
pub fn checkov_allowed() -> Vec<String> {
    let text = fs::read_to_string(root().join("tests/validators/checkov-allow.txt"))
        .expect("checkov-allow.txt");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (id, reason) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            assert!(
                !reason.trim().is_empty(),
                "{id} is allowed without a reason"
            );
            id.to_string()
        })
        .collect()
}

/// The number of passed checks and `(check id, file, resource)` of every failed one in
/// checkov's JSON report.
pub fn checkov_results(report: &serde_json::Value) -> (u64, Vec<String>) {
    let reports = match report {
        serde_json::Value::Array(a) => a.clone(),
        other => vec![other.clone()],
    };
    let mut passed = 0;
    let mut out = Vec::new();
    for r in &reports {
        passed += r["summary"]["passed"].as_u64().unwrap_or(0);
        for f in r["results"]["failed_checks"]
            .as_array()
            .into_iter()
            .flatten()
        {
            out.push(format!(
                "{} {} {} ({})",
                f["check_id"].as_str().unwrap_or("?"),
                f["file_path"].as_str().unwrap_or("?"),
                f["resource"].as_str().unwrap_or("?"),
                f["check_name"].as_str().unwrap_or("?")
            ));
        }
    }
    out.sort();
    (passed, out)
}
