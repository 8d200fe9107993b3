//! The Terraform module (`--format terraform|both`) of every golden case and every corpus file,
//! both launch types: `terraform fmt -check` (when the CLI is on PATH), python-hcl2 parses every
//! file and the module has the same resources and key attributes as cloudformation.yaml
//! (tests/validators/terraform_parity.py), and checkov's Terraform checks pass but for the
//! documented allow-list. `terraform validate` is not run: it needs the AWS provider
//! (`terraform init`), which cannot be downloaded here.

mod common;

use common::Conversion;
use std::fs;
use std::path::{Path, PathBuf};

const CORPUS: [&str; 5] = [
    "dockerrun-v1",
    "dockerrun-v2",
    "ebextensions",
    "saved-configs",
    "compose",
];

/// Every golden case and corpus file, converted with `--format both`.
fn conversions() -> Vec<Conversion> {
    let mut out = Vec::new();
    for dir in common::cases() {
        let mut args: Vec<String> = common::case_args(&dir);
        strip_format(&mut args);
        args.extend(["--format".to_string(), "both".to_string()]);
        let (model, artefacts) = common::convert_args(&args, &common::case_name(&dir))
            .unwrap_or_else(|e| panic!("case {} did not convert: {e}", dir.display()));
        out.push(Conversion {
            label: format!("case {}", common::case_name(&dir)),
            launch_type: if model.task_definition.network_mode == "awsvpc" {
                "fargate"
            } else {
                "ec2"
            },
            model,
            artefacts,
        });
    }
    for sub in CORPUS {
        for file in common::corpus_files(sub, None) {
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            for launch_type in ["fargate", "ec2"] {
                let mut args = common::corpus_args(sub, &file, launch_type);
                args.extend(["--format".to_string(), "both".to_string()]);
                let label = format!("{sub}/{name} {launch_type}");
                let (model, artefacts) = common::convert_args(&args, "corpus")
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

fn strip_format(args: &mut Vec<String>) {
    if let Some(i) = args.iter().position(|a| a == "--format") {
        args.drain(i..(i + 2).min(args.len()));
    }
}

/// Write each conversion into `root/NNN/` (with a `label` file); returns the folders.
fn write_all(root: &Path, conversions: &[Conversion]) -> Vec<PathBuf> {
    conversions
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let dir = root.join(format!("{i:03}"));
            common::write_artefacts(&dir, &c.artefacts);
            fs::write(dir.join("label"), &c.label).unwrap();
            assert!(
                dir.join("terraform/main.tf").is_file(),
                "{}: no terraform/main.tf",
                c.label
            );
            dir
        })
        .collect()
}

#[test]
fn every_module_is_terraform_fmt_canonical() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = write_all(tmp.path(), &conversions());
    let Ok(out) = std::process::Command::new("terraform")
        .args(["fmt", "-check", "-diff", "-recursive"])
        .arg(tmp.path())
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .output()
    else {
        eprintln!("SKIPPED: no terraform CLI on PATH, so `terraform fmt -check` did not run");
        return;
    };
    assert!(
        out.status.success(),
        "terraform fmt would change the generated modules:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!(
        "terraform fmt -check: {} modules canonical (terraform validate not run: it needs the AWS provider, which cannot be downloaded here)",
        dirs.len()
    );
}

/// Python of the python-hcl2 venv (scripts/test creates it).
fn hcl2_python() -> PathBuf {
    let p = common::root().join(".venv-hcl2/bin/python");
    assert!(
        p.is_file(),
        "{} is missing: run ./scripts/test (it creates the venv with python-hcl2)",
        p.display()
    );
    p
}

#[test]
fn every_module_parses_and_matches_the_stack() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = write_all(tmp.path(), &conversions());
    let out = std::process::Command::new(hcl2_python())
        .arg(common::root().join("tests/validators/terraform_parity.py"))
        .args(&dirs)
        .output()
        .expect("run python");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "terraform_parity.py failed:\n{text}");
    eprintln!("{text}");
    assert!(text.contains("conversions"), "{text}");
}

/// `terraform fmt`'s layout is also what eb2ecs's own writer promises without the CLI: the
/// alignment of `=` and the escapes are unit-tested in src/render/terraform/hcl.rs; here a
/// hostile string (a template sequence) stays text in the module.
#[test]
fn template_sequences_in_values_stay_text() {
    for c in conversions() {
        for a in c.artefacts.iter().filter(|a| a.name.ends_with(".tf")) {
            for line in a.content.lines().filter(|l| l.contains("${")) {
                let ok = [
                    "${var.",
                    "${data.",
                    "${local.",
                    "${aws_",
                    "${substr(",
                    "$${",
                ];
                let mut rest = line;
                while let Some(i) = rest.find("${") {
                    let tail = &rest[i..];
                    let escaped = i > 0 && rest.as_bytes()[i - 1] == b'$';
                    assert!(
                        escaped || ok.iter().any(|p| tail.starts_with(p)),
                        "{} {}: an interpolation eb2ecs did not write: {line}",
                        c.label,
                        a.name
                    );
                    rest = &rest[i + 2..];
                }
            }
        }
    }
}

#[test]
fn every_module_passes_checkov() {
    let ck = common::root().join(".venv-checkov/bin/checkov");
    assert!(
        ck.exists(),
        "{} is missing: run ./scripts/test",
        ck.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    let conversions = conversions();
    for (i, c) in conversions.iter().enumerate() {
        let dir = tmp.path().join(format!("{i:03}"));
        fs::create_dir_all(&dir).unwrap();
        for a in c.artefacts.iter().filter(|a| a.name.ends_with(".tf")) {
            fs::write(
                dir.join(a.name.trim_start_matches("terraform/")),
                &a.content,
            )
            .unwrap();
        }
    }
    let allowed = common::checkov_allowed();
    let out = std::process::Command::new(ck)
        .args([
            "--framework",
            "terraform",
            "--quiet",
            "--compact",
            "-o",
            "json",
        ])
        .args(["--skip-check", &allowed.join(",")])
        .arg("-d")
        .arg(tmp.path())
        .output()
        .expect("run checkov");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "checkov printed no JSON ({e}):\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let (passed, failed) = common::checkov_results(&report);
    assert!(
        passed > 100,
        "checkov passed only {passed} checks: did it read the modules?"
    );
    assert!(
        failed.is_empty(),
        "{} checkov failures over {} modules:\n{}",
        failed.len(),
        conversions.len(),
        failed.join("\n")
    );
}
