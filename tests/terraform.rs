//! The Terraform module (`--format terraform|both`) of every golden case and every corpus file,
//! both launch types: `terraform fmt -check` (when the CLI is on PATH), python-hcl2 parses every
//! file and the module has the same resources and key attributes as cloudformation.yaml
//! (tests/validators/terraform_parity.py), checkov's Terraform checks pass but for the
//! documented allow-list, and `terraform validate` passes against the AWS provider installed
//! offline from a local mirror (one `terraform init` and one `validate` for all modules: a root
//! module calls each of them).

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
    eprintln!("terraform fmt -check: {} modules canonical", dirs.len());
}

/// Python of the python-hcl2 venv (scripts/test creates it).
fn hcl2_python() -> PathBuf {
    common::venv_tool(".venv-hcl2", "python")
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

// ---------------------------------------------------------------------------------------------
// terraform validate: every module, against the AWS provider from a local mirror
// ---------------------------------------------------------------------------------------------

/// The Terraform CLI; fails with the install command when it is missing.
fn terraform_cli() -> PathBuf {
    let ok = std::process::Command::new("terraform")
        .arg("version")
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "no terraform CLI on PATH: the generated modules must pass `terraform validate`; install \
         Terraform (https://developer.hashicorp.com/terraform/install)"
    );
    PathBuf::from("terraform")
}

/// Whether `dir` is a provider mirror (`registry.terraform.io/hashicorp/aws/VERSION/OS_ARCH/`)
/// holding the AWS provider.
fn holds_aws_provider(dir: &Path) -> bool {
    let aws = dir.join("registry.terraform.io/hashicorp/aws");
    let Ok(versions) = fs::read_dir(aws) else {
        return false;
    };
    versions.flatten().any(|v| {
        fs::read_dir(v.path())
            .into_iter()
            .flatten()
            .flatten()
            .any(|platform| {
                fs::read_dir(platform.path())
                    .into_iter()
                    .flatten()
                    .flatten()
                    .any(|f| {
                        f.file_name()
                            .to_string_lossy()
                            .starts_with("terraform-provider-aws")
                    })
            })
    })
}

/// The local provider mirror (`terraform init` cannot download here): `EB2ECS_TF_PLUGIN_DIR`, or
/// the usual places; fails with what to install when there is none.
fn provider_mirror() -> PathBuf {
    let home = std::env::var("HOME").unwrap_or_default();
    let candidates: Vec<PathBuf> = std::env::var_os("EB2ECS_TF_PLUGIN_DIR")
        .map(PathBuf::from)
        .into_iter()
        .chain(
            [
                "/opt/tf-plugins".to_string(),
                format!("{home}/.terraform.d/plugins"),
                format!("{home}/.local/share/terraform/plugins"),
                "/usr/local/share/terraform/plugins".to_string(),
                "/usr/share/terraform/plugins".to_string(),
            ]
            .map(PathBuf::from),
        )
        .collect();
    candidates
        .iter()
        .find(|d| holds_aws_provider(d))
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "no local mirror of the AWS provider (looked in {candidates:?}): `terraform validate` \
                 and `terraform apply` need it. Create one where the network reaches \
                 registry.terraform.io: `terraform providers mirror /opt/tf-plugins` in a module \
                 that requires hashicorp/aws, or set EB2ECS_TF_PLUGIN_DIR"
            )
        })
}

/// A CLI configuration that installs the AWS provider only from `mirror` and shares one
/// unpacked copy through a plugin cache (symlinked into each `.terraform`).
fn cli_config(dir: &Path, mirror: &Path) -> PathBuf {
    let cache = dir.join("plugin-cache");
    fs::create_dir_all(&cache).unwrap();
    let path = dir.join("terraform.rc");
    let text = format!(
        "provider_installation {{\n  filesystem_mirror {{\n    path    = {mirror:?}\n    include = [\"registry.terraform.io/hashicorp/*\"]\n  }}\n  direct {{\n    exclude = [\"registry.terraform.io/hashicorp/*\"]\n  }}\n}}\nplugin_cache_dir = {cache:?}\n"
    );
    fs::write(&path, text).unwrap();
    path
}

/// `terraform ARGS` in `dir` with the CLI configuration `rc`; panics with its output on failure
/// unless `may_fail`.
fn terraform(dir: &Path, rc: &Path, args: &[&str], may_fail: bool) -> std::process::Output {
    let out = std::process::Command::new(terraform_cli())
        .args(args)
        .current_dir(dir)
        .env("TF_CLI_CONFIG_FILE", rc)
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .output()
        .expect("run terraform");
    assert!(
        may_fail || out.status.success(),
        "terraform {args:?} in {} failed:\n{}{}",
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The variables of a generated `variables.tf` that have no default, with their type.
fn required_variables(variables_tf: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String, bool)> = None;
    for line in variables_tf.lines() {
        if let Some(rest) = line.strip_prefix("variable \"") {
            let name = rest.split('"').next().unwrap_or_default().to_string();
            current = Some((name, "any".into(), false));
        } else if line == "}" {
            if let Some((name, ty, false)) = current.take() {
                out.push((name, ty));
            }
        } else if let Some((_, ty, has_default)) = current.as_mut() {
            if let Some(t) = line.strip_prefix("  type ") {
                *ty = t.trim_start_matches([' ', '=']).to_string();
            }
            *has_default |= line.starts_with("  default ");
        }
    }
    out
}

/// One root module that calls every module in `dirs` (`NNN/terraform`), passing each required
/// variable through a root variable of the same type, so that one `terraform init` and one
/// `terraform validate` (one load of the provider's schema) check them all.
fn batch_root(root: &Path, dirs: &[PathBuf]) -> String {
    let mut text = String::new();
    for dir in dirs {
        let id = format!("m{}", dir.file_name().unwrap().to_string_lossy());
        let module = dir.join("terraform");
        let mut files: Vec<PathBuf> = fs::read_dir(&module)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "tf"))
            .collect();
        files.sort();
        let vars: String = files
            .iter()
            .map(|p| fs::read_to_string(p).unwrap())
            .collect();
        let mut call = format!(
            "module {id:?} {{\n  source = {:?}\n",
            module.display().to_string()
        );
        for (name, ty) in required_variables(&vars) {
            text.push_str(&format!(
                "variable \"{id}_{name}\" {{\n  type = {ty}\n}}\n\n"
            ));
            call.push_str(&format!("  {name} = var.{id}_{name}\n"));
        }
        text.push_str(&call);
        text.push_str("}\n\n");
    }
    fs::create_dir_all(root).unwrap();
    fs::write(root.join("main.tf"), &text).unwrap();
    text
}

/// The errors of `terraform validate -json`, each with the label of the conversion whose file it
/// is in.
fn validate_errors(json: &str, tmp: &Path) -> Vec<String> {
    let report: serde_json::Value = serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("terraform validate -json printed no JSON ({e}):\n{json}"));
    let diagnostics = report["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            let file = d["range"]["filename"].as_str().unwrap_or("?");
            let label = file
                .split('/')
                .find_map(|part| part.strip_prefix('m').filter(|n| n.len() == 3))
                .and_then(|n| fs::read_to_string(tmp.join(n).join("label")).ok())
                .unwrap_or_default();
            format!(
                "{label} {file}:{}: {}: {}",
                d["range"]["start"]["line"],
                d["summary"].as_str().unwrap_or_default(),
                d["detail"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

/// `terraform init` (offline, from the provider mirror) and `terraform validate` of every
/// generated module: all golden cases and corpus conversions, both launch types. `terraform fmt`
/// and python-hcl2 only see syntax; validate sees the provider's schema and the references (a
/// resource with `count` read without an index, an argument the resource does not have).
#[test]
fn every_module_passes_terraform_validate() {
    let mirror = provider_mirror();
    let tmp = tempfile::tempdir().unwrap();
    let dirs = write_all(tmp.path(), &conversions());
    let rc = cli_config(tmp.path(), &mirror);
    let root = tmp.path().join("root");
    batch_root(&root, &dirs);
    let started = std::time::Instant::now();
    terraform(
        &root,
        &rc,
        &["init", "-input=false", "-backend=false", "-no-color"],
        false,
    );
    let out = terraform(&root, &rc, &["validate", "-json", "-no-color"], true);
    let errors = validate_errors(&String::from_utf8_lossy(&out.stdout), tmp.path());
    assert!(
        errors.is_empty() && out.status.success(),
        "terraform validate: {} errors over {} modules:\n{}\n{}",
        errors.len(),
        dirs.len(),
        errors.join("\n"),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!(
        "terraform validate: {} modules valid ({:.0?}, provider from {})",
        dirs.len(),
        started.elapsed(),
        mirror.display()
    );
}
