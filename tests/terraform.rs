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
    eprintln!("terraform fmt -check: {} modules canonical", dirs.len());
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
                    "${element(",
                    "${join(",
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
    if !common::external("the Terraform CLI and its AWS provider mirror") {
        return;
    }
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

// ---------------------------------------------------------------------------------------------
// terraform apply / destroy into moto
// ---------------------------------------------------------------------------------------------

/// A moto server on loopback, stopped when dropped.
struct Moto {
    child: std::process::Child,
    url: String,
}

impl Moto {
    /// `moto_server` of the test venv on a free port, with AWS's managed IAM policies (the
    /// module attaches some by ARN).
    fn start() -> Moto {
        let bin = common::venv_tool(".venv", "moto_server");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new(&bin)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "{}: {e} (run ./scripts/test: it creates .venv)",
                    bin.display()
                )
            });
        // The guard owns the child from here: a panic below still stops it.
        let moto = Moto {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return moto;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("moto_server did not listen on {}", moto.url);
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A VPC with two subnets in two zones and an ACM certificate, made in moto with boto3:
/// `(vpc_id, [subnet ids], certificate ARN)`.
fn network(moto: &Moto, region: &str) -> (String, Vec<String>, String) {
    let script = r#"
import boto3, json, sys
url, region = sys.argv[1], sys.argv[2]
kw = dict(region_name=region, endpoint_url=url, aws_access_key_id="test", aws_secret_access_key="test")
ec2 = boto3.client("ec2", **kw)
vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=region + z)["Subnet"]["SubnetId"] for i, z in enumerate("ab")]
cert = boto3.client("acm", **kw).request_certificate(DomainName="app.example.com")["CertificateArn"]
print(json.dumps([vpc, subnets, cert]))
"#;
    let out = std::process::Command::new(common::python())
        .args(["-c", script, &moto.url, region])
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A value for each variable the module requires (`terraform.tfvars.json`).
fn tfvars(module: &Path, net: &(String, Vec<String>, String)) -> serde_json::Value {
    let mut vars = serde_json::Map::new();
    for f in fs::read_dir(module).unwrap().flatten() {
        let text = fs::read_to_string(f.path()).unwrap_or_default();
        for (name, ty) in required_variables(&text) {
            let v = match name.as_str() {
                "vpc_id" => serde_json::json!(net.0),
                n if n.ends_with("subnets") => serde_json::json!(net.1),
                n if n.contains("certificate") => serde_json::json!(net.2),
                "github_repository" => serde_json::json!("acme/app"),
                "efs_file_system_id" => serde_json::json!("fs-0123456789abcdef0"),
                n if n.starts_with("image") || n.contains("image") => {
                    serde_json::json!("registry.example.com/app:test")
                }
                _ if ty.starts_with("list") => serde_json::json!([]),
                _ => serde_json::json!("x"),
            };
            vars.insert(name, v);
        }
    }
    // The certificate's default is EB's ARN, which moto does not have: the provider retries
    // CreateListener's CertificateNotFound for minutes. The listener gets moto's certificate.
    let all: String = fs::read_dir(module)
        .unwrap()
        .flatten()
        .map(|f| fs::read_to_string(f.path()).unwrap_or_default())
        .collect();
    if all.contains("variable \"certificate_arn\"") {
        vars.insert("certificate_arn".into(), serde_json::json!(net.2));
    }
    serde_json::Value::Object(vars)
}

/// The provider pointed at moto (a test-only override file; the module itself is unchanged).
const MOTO_PROVIDER: &str = r#"provider "aws" {
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
"#;

/// Resource types moto cannot serve, and why: the module's other resources are applied with
/// `-target`s. moto 5.2.5's Application Auto Scaling has no `ListTagsForResource`; the provider
/// reads a new scalable target's tags and retries moto's 500 until it times out (minutes), and
/// the scaling policies need the target.
const MOTO_CANNOT: &[&str] = &["aws_appautoscaling_target", "aws_appautoscaling_policy"];

/// On the EC2 launch type (bridge network) provider 5.100 crashed reading the service moto
/// 5.2.5 described (`flattenNetworkConfiguration`, service.go:2141: a nil network
/// configuration), so there the service is left out (tests/stack.rs creates it through
/// CloudFormation).
const MOTO_CANNOT_BRIDGE: &[&str] = &["aws_ecs_service"];

/// Addresses of the module's resources that moto can serve, each with whether it is
/// conditional.
fn applicable(module: &Path, bridge: bool) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for f in fs::read_dir(module).unwrap().flatten() {
        if f.path().extension().is_none_or(|x| x != "tf") {
            continue;
        }
        let body = hcl::parse(&fs::read_to_string(f.path()).unwrap()).unwrap();
        for b in body.blocks().filter(|b| b.identifier() == "resource") {
            let l: Vec<&str> = b.labels().iter().map(|l| l.as_str()).collect();
            let cannot =
                MOTO_CANNOT.contains(&l[0]) || (bridge && MOTO_CANNOT_BRIDGE.contains(&l[0]));
            if !cannot {
                // `count` / `for_each` on a variable: may be none by default (no state entry).
                let conditional = b
                    .body()
                    .attributes()
                    .any(|a| a.key() == "count" || a.key() == "for_each");
                out.push((format!("{}.{}", l[0], l[1]), conditional));
            }
        }
    }
    out.sort();
    out
}

/// Apply one module into moto, check its state, take the retained resources out of the state
/// (as the comments beside `prevent_destroy` tell the user) and destroy the rest.
fn apply_and_destroy(
    module: &Path,
    rc: &Path,
    moto: &Moto,
    region: &str,
    bridge: bool,
) -> Vec<String> {
    let net = network(moto, region);
    fs::write(module.join("moto_override.tf"), MOTO_PROVIDER).unwrap();
    fs::write(
        module.join("terraform.tfvars.json"),
        tfvars(module, &net).to_string(),
    )
    .unwrap();
    let run = |args: &[&str]| {
        // `timeout`: a provider waiting on something moto never answers fails the test instead
        // of hanging it.
        let out = std::process::Command::new("timeout")
            .arg("300")
            .arg(terraform_cli())
            .args(args)
            .current_dir(module)
            .env("TF_CLI_CONFIG_FILE", rc)
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1")
            .env("AWS_ENDPOINT_URL", &moto.url)
            .env("AWS_REGION", region)
            .output()
            .expect("run terraform");
        (
            out.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    };
    let (ok, text) = run(&["init", "-input=false", "-no-color"]);
    assert!(ok, "terraform init:\n{text}");
    let targets = applicable(module, bridge);
    let mut apply = vec![
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        "-lock=false",
    ];
    let target_args: Vec<String> = targets
        .iter()
        .map(|(t, _)| format!("-target={t}"))
        .collect();
    apply.extend(target_args.iter().map(String::as_str));
    let (ok, text) = run(&apply);
    if !ok {
        return vec![format!("terraform apply failed:\n{text}")];
    }
    let (_, state) = run(&["state", "list", "-no-color"]);
    let mut problems: Vec<String> = targets
        .iter()
        .filter(|(_, conditional)| !conditional)
        .map(|(t, _)| t)
        .filter(|t| {
            !state
                .lines()
                .any(|l| l == *t || l.starts_with(&format!("{t}[")))
        })
        .map(|t| format!("{t} not in the state after apply"))
        .collect();
    let retained: Vec<&str> = state
        .lines()
        .filter(|l| {
            [
                "aws_iam_openid_connect_provider.",
                "aws_ecr_repository.",
                "aws_sqs_queue.",
            ]
            .iter()
            .any(|p| l.starts_with(p))
        })
        .collect();
    if !retained.is_empty() {
        let (ok, text) = run(&["destroy", "-auto-approve", "-no-color", "-lock=false"]);
        if ok {
            problems.push(format!(
                "destroy went through prevent_destroy ({retained:?}):\n{text}"
            ));
        }
        let mut rm = vec!["state", "rm", "-no-color", "-lock=false"];
        rm.extend(retained.iter().copied());
        let (ok, text) = run(&rm);
        assert!(ok, "terraform state rm:\n{text}");
    }
    let (ok, text) = run(&["destroy", "-auto-approve", "-no-color", "-lock=false"]);
    if !ok {
        problems.push(format!("terraform destroy failed:\n{text}"));
    }
    problems
}

/// `terraform apply` of representative modules into a moto server on loopback, then `terraform
/// destroy`: Fargate web with HTTPS, EC2 with its own capacity, a worker with schedules, and
/// delivery (ECR, OIDC provider, deploy role). Every resource but [`MOTO_CANNOT`]'s (and
/// [`MOTO_CANNOT_BRIDGE`]'s on EC2) is
/// created; the retained ones (OIDC provider, queues, repositories) refuse `destroy` until
/// taken out of the state.
#[test]
fn representative_modules_apply_into_moto_and_destroy() {
    if !common::external("the Terraform CLI, its AWS provider mirror and moto (.venv)") {
        return;
    }
    let mirror = provider_mirror();
    let tmp = tempfile::tempdir().unwrap();
    let rc = cli_config(tmp.path(), &mirror);
    let wanted = [
        "case classic-tcp-ssl",
        "case ec2-capacity",
        "case worker-cron",
        "case delivery-platform",
    ];
    let conversions: Vec<Conversion> = conversions()
        .into_iter()
        .filter(|c| wanted.contains(&c.label.as_str()))
        .collect();
    assert_eq!(
        conversions.len(),
        wanted.len(),
        "representative cases missing"
    );
    let mut failures = Vec::new();
    for (i, c) in conversions.iter().enumerate() {
        let moto = Moto::start();
        let dir = tmp.path().join(format!("{i:03}"));
        common::write_artefacts(&dir, &c.artefacts);
        let started = std::time::Instant::now();
        let bridge = c.model.task_definition.network_mode != "awsvpc";
        let problems =
            apply_and_destroy(&dir.join("terraform"), &rc, &moto, &c.model.region, bridge);
        eprintln!(
            "{}: applied and destroyed in {:.0?}",
            c.label,
            started.elapsed()
        );
        failures.extend(problems.into_iter().map(|p| format!("{}: {p}", c.label)));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
