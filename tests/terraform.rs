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

/// Every golden case and corpus file, converted with `--format both`.
fn conversions() -> Vec<Conversion> {
    common::all_conversions(&["--format", "both"])
}

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
    if !common::external("the Terraform CLI") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dirs = write_all(tmp.path(), &conversions());
    let out = std::process::Command::new("terraform")
        .args(["fmt", "-check", "-diff", "-recursive"])
        .arg(tmp.path())
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .output()
        .expect(
            "no terraform CLI on PATH: `terraform fmt -check` must check the generated modules; \
             install Terraform (https://developer.hashicorp.com/terraform/install; it is not on \
             PyPI or in Debian, so scripts/test cannot install it and stops early without it)",
        );
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
    common::venv_tool(".venv-hcl2", "python")
}

#[test]
fn every_module_parses_and_matches_the_stack() {
    if !common::external("python-hcl2 (.venv-hcl2)") {
        return;
    }
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
    if !common::external("checkov (.venv-checkov)") {
        return;
    }
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
    let (passed, failed) = common::run_checkov("terraform", tmp.path());
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
