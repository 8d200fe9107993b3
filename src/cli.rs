//! The command line as clap types, the checks on argument values, and their resolution into
//! what the library needs ([`Options`], a project or live request). [`crate::app`] acts on them.
//! Doc comments on the argument structs are the `--help` text.

use crate::error::{Error, Result};
use crate::load::{eb_api, project};
use crate::model::{LaunchType, Options, SecretsMode};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Move an application off AWS Elastic Beanstalk onto Amazon ECS.
///
/// eb2ecs reads an EB project (Dockerrun.aws.json) and writes starter ECS infrastructure: a
/// task definition and a service definition (for `aws ecs ... --cli-input-json`) and a report
/// of everything a person must look at.
#[derive(Debug, Parser)]
#[command(name = "eb2ecs", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert an EB project and write the ECS files into --out.
    Convert(ConvertArgs),
    /// Show what `convert` would write (diffs against --out), how each container changes, and
    /// the findings; writes nothing.
    Plan(PlanArgs),
    /// Print how every Dockerrun key and EB option namespace is handled.
    SupportMatrix,
    /// Print every finding code with its usual severity and meaning (docs/findings.md).
    FindingCodes,
    /// Save what a live EB environment holds (settings and the deployed bundle's Dockerrun and
    /// .ebextensions) for offline reruns and review.
    Fetch(FetchArgs),
    /// Assess many environments before converting any: readiness, blockers, platform lifecycle
    /// and a monthly cost estimate (EB today against ECS), written as assessment.md,
    /// assessment.html and assessment.json into --out. Offline over DIRs (project folders and
    /// `fetch` snapshots), or live over every environment of the account (read-only).
    Assess(AssessArgs),
    /// Work with the templates eb2ecs renders (`templates export DIR` writes them to start a
    /// team's own from; `convert --templates DIR` uses them).
    #[command(subcommand)]
    Templates(TemplatesCommand),
}

/// Arguments of `assess`.
#[derive(Debug, Args)]
pub struct AssessArgs {
    /// Project folders (whatever `convert DIR` reads) or `fetch` snapshots (the saved FILE, its
    /// FILE.bundle folder, or a folder of them) to assess offline. Without any, every live
    /// environment of --region and --application is read.
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Live: a region to read (repeatable). Offline: the region of folders that name none (at
    /// most one), for the cost estimate.
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// Live: only this application (repeatable).
    #[arg(long = "application", value_name = "NAME")]
    pub applications: Vec<String>,
    /// Live: AWS profile (else AWS_PROFILE or the default chain).
    #[arg(long, env = "AWS_PROFILE")]
    pub profile: Option<String>,
    /// Live: how many environments are read at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// The ECS launch type the estimate is for.
    #[arg(long, value_enum, default_value_t = LaunchTypeArg::Fargate)]
    pub launch_type: LaunchTypeArg,
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "eb2ecs-assessment")]
    pub out: PathBuf,
    /// Overwrite files in --out even if they were edited by hand since eb2ecs wrote them.
    #[arg(long)]
    pub force: bool,
}

/// Check `assess` arguments clap cannot check: regions are AWS regions; offline, at most one.
pub fn check_assess(args: &AssessArgs) -> Result<()> {
    for r in &args.regions {
        check_region(r)?;
    }
    if !args.dirs.is_empty() {
        if args.regions.len() > 1 {
            return Err(Error::Usage(
                "offline, --region is the region of folders that name none: give at most one"
                    .to_string(),
            ));
        }
        if !args.applications.is_empty() {
            return Err(Error::Usage(
                "--application selects live environments; offline, name the folders instead"
                    .to_string(),
            ));
        }
    }
    Ok(())
}

/// The assessment options the arguments name.
pub fn assess_options(args: &AssessArgs) -> crate::assess::Options {
    crate::assess::Options {
        launch_type: match args.launch_type {
            LaunchTypeArg::Fargate => LaunchType::Fargate,
            LaunchTypeArg::Ec2 => LaunchType::Ec2,
        },
        default_region: if args.dirs.is_empty() {
            None
        } else {
            args.regions.first().cloned()
        },
    }
}

/// `eb2ecs templates ...`.
#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Write the bundled templates into DIR (same file names `--templates DIR` reads).
    Export(ExportArgs),
}

/// Arguments of `templates export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The folder to write the templates into.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Overwrite templates edited since eb2ecs wrote them.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `fetch`.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// The live environment.
    #[command(flatten)]
    pub live: LiveArgs,
    /// Where to save the settings (describe-configuration-settings JSON); the bundle's files go
    /// into the folder FILE.bundle next to it.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// AWS region of the environment.
    #[arg(long, env = "AWS_REGION")]
    pub region: Option<String>,
}

/// Which live EB environment to read (read-only calls, the standard credential chain).
#[derive(Debug, Args, Clone)]
pub struct LiveArgs {
    /// Read this live EB environment instead of local files.
    #[arg(long, value_name = "NAME", required = false)]
    pub environment: Option<String>,
    /// Its application (narrows the lookup).
    #[arg(long, value_name = "NAME")]
    pub application: Option<String>,
    /// AWS profile (else AWS_PROFILE or the default chain).
    #[arg(long, env = "AWS_PROFILE")]
    pub profile: Option<String>,
}

/// Inputs and options shared by `convert` and `plan`.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// The EB project folder (what EB ran is decided from its files; see --platform), or the
    /// Dockerrun.aws.json or docker-compose.yml to read.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// A live environment to read instead of files.
    #[command(flatten)]
    pub live: LiveArgs,
    /// The Dockerrun.aws.json to read (then DIR is optional).
    #[arg(long, value_name = "FILE")]
    pub dockerrun: Option<PathBuf>,
    /// The EB platform the project ran, over what its files suggest: `docker`, `ecs` (the
    /// ECS-based multicontainer platform), or a runtime with an optional version (`node`,
    /// `python`, `java`, `tomcat`, `php`, `ruby`, `go`, `dotnet`; e.g. "python 3.11").
    #[arg(long, value_name = "PLATFORM")]
    pub platform: Option<String>,
    /// An EB settings file: a saved configuration, an .ebextensions config, or the JSON of
    /// `aws elasticbeanstalk describe-configuration-settings` (repeatable; the kind is detected).
    #[arg(long, value_name = "FILE")]
    pub settings: Vec<PathBuf>,
    /// Which saved configuration of DIR/.elasticbeanstalk/saved_configs to read (NAME.cfg.yml).
    #[arg(long, value_name = "NAME")]
    pub saved_config: Option<String>,
    /// ECS launch type.
    #[arg(long, value_enum, default_value_t = LaunchTypeArg::Fargate)]
    pub launch_type: LaunchTypeArg,
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "ecs")]
    pub out: PathBuf,
    /// Task definition family (default: the project folder or file name).
    #[arg(long)]
    pub family: Option<String>,
    /// Cluster name (default: the family).
    #[arg(long)]
    pub cluster: Option<String>,
    /// Service name (default: the family).
    #[arg(long)]
    pub service_name: Option<String>,
    /// AWS region used in log configuration and ARNs.
    #[arg(long, env = "AWS_REGION")]
    pub region: Option<String>,
    /// AWS account ID used in ARNs (default: the placeholder ACCOUNT_ID).
    #[arg(long)]
    pub account_id: Option<String>,
    /// Where secret-looking environment variables go.
    #[arg(long, value_enum, default_value_t = SecretsArg::Ssm)]
    pub secrets: SecretsArg,
    /// ARN of the customer-managed KMS key that encrypts the secrets (the execution role may
    /// decrypt with it; without it the AWS-managed key is assumed).
    #[arg(long, value_name = "ARN")]
    pub secrets_kms_key: Option<String>,
    /// Image of a worker environment's sqsd sidecar (default: eb2ecs's own,
    /// ghcr.io/eb2ecs/eb2ecs-sqsd, which the checklist builds from sqsd/).
    #[arg(long, value_name = "IMAGE")]
    pub sqsd_image: Option<String>,
    /// Exit with status 1 when there are findings at or above this severity.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Infrastructure code to write: cloudformation.yaml, a Terraform module in OUT/terraform/,
    /// or both.
    #[arg(long, value_enum, default_value_t = FormatArg::Cloudformation)]
    pub format: FormatArg,
    /// CI/CD to generate: `github` writes .github/workflows/deploy-ecs.yml, delivery.yaml (the
    /// ECR repositories) and a deploy role in the stack; `none` writes none of it.
    #[arg(long, value_enum, default_value_t = CiArg::None)]
    pub ci: CiArg,
    /// GitHub repository (OWNER/REPO) the deploy role trusts (else a stack parameter).
    #[arg(long, value_name = "OWNER/REPO")]
    pub github_repo: Option<String>,
    /// Branch whose pushes deploy.
    #[arg(long, value_name = "NAME", default_value = "main")]
    pub branch: String,
    /// Images each ECR repository keeps (older ones expire).
    #[arg(long, value_name = "N", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub ecr_keep: u32,
    /// Make ECR image tags immutable (a pushed tag never moves).
    #[arg(long)]
    pub ecr_immutable: bool,
    /// A folder of templates that replace bundled ones of the same file name (start from
    /// `eb2ecs templates export DIR`); strict mode, errors name the file and line.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

/// CI/CD to generate (`--ci`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CiArg {
    /// Nothing.
    None,
    /// A GitHub Actions workflow, ECR repositories and a deploy role.
    Github,
}

/// Infrastructure code format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// cloudformation.yaml.
    Cloudformation,
    /// A Terraform module in OUT/terraform/.
    Terraform,
    /// Both.
    Both,
}

/// The format the arguments ask for.
pub fn format(args: &InputArgs) -> crate::render::Format {
    match args.format {
        FormatArg::Cloudformation => crate::render::Format::Cloudformation,
        FormatArg::Terraform => crate::render::Format::Terraform,
        FormatArg::Both => crate::render::Format::Both,
    }
}

/// Arguments of `convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Inputs and options.
    #[command(flatten)]
    pub input: InputArgs,
    /// Overwrite files in --out even if they were edited by hand since eb2ecs wrote them.
    #[arg(long)]
    pub force: bool,
    /// Convert every environment of --application (live) into OUT/APPLICATION/ENVIRONMENT/.
    #[arg(long, requires = "application", conflicts_with = "all")]
    pub all_environments: bool,
    /// Convert every environment of every application in the region (live) into
    /// OUT/APPLICATION/ENVIRONMENT/.
    #[arg(long)]
    pub all: bool,
    /// How many environments --all / --all-environments read at once.
    #[arg(long, value_name = "N", default_value_t = crate::load::fleet::DEFAULT_CONCURRENCY as u16,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
}

impl ConvertArgs {
    /// Whether many environments are converted (`--all-environments` or `--all`).
    pub fn fleet(&self) -> bool {
        self.all_environments || self.all
    }
}

/// Arguments of `plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Inputs and options.
    #[command(flatten)]
    pub input: InputArgs,
    /// Exit with status 1 when any file in --out would change, 0 when none would.
    #[arg(long)]
    pub exit_code: bool,
    /// When to use colours.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Severity threshold for --fail-on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Warnings and blockers.
    Warning,
    /// Blockers only.
    Blocker,
}

/// Colour choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colours on a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// ECS launch type (`--launch-type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LaunchTypeArg {
    /// Serverless tasks, awsvpc networking.
    Fargate,
    /// Tasks on EC2 container instances, bridge networking.
    Ec2,
}

/// Where secret-looking environment variables go (`--secrets`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SecretsArg {
    /// SSM Parameter Store SecureString parameters.
    Ssm,
    /// Secrets Manager secrets.
    Secretsmanager,
    /// Leave them as plain environment variables (not recommended).
    Plain,
}

/// Exit status: success.
pub const EXIT_OK: i32 = 0;
/// Exit status: findings at --fail-on, or changes with plan --exit-code.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit status: an error; nothing was written.
pub const EXIT_ERROR: i32 = 2;
/// Exit status of `--all-environments` / `--all`: some environments failed (the summary says
/// which and why); the others were written.
pub const EXIT_PARTIAL: i32 = 3;

/// Check the argument values clap cannot check itself.
pub fn check(args: &InputArgs) -> Result<()> {
    if let Some(k) = &args.secrets_kms_key {
        if !k.starts_with("arn:") || !k.contains(":kms:") {
            return Err(Error::Usage(format!(
                "--secrets-kms-key must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), got {k:?}"
            )));
        }
    }
    if let Some(i) = &args.sqsd_image {
        if i.is_empty() || i.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::Usage(format!(
                "--sqsd-image must be an image reference (REGISTRY/NAME:TAG), got {i:?}"
            )));
        }
    }
    if let Some(region) = region(args) {
        check_region(&region)?;
    }
    if let Some(acct) = &args.account_id {
        if acct.len() != 12 || !acct.chars().all(|c| c.is_ascii_digit()) {
            return Err(Error::Usage(format!(
                "--account-id must be 12 digits, got {acct:?}"
            )));
        }
    }
    check_delivery(args)?;
    if let Some(p) = &args.platform {
        if crate::load::which::classify(p).is_none() {
            return Err(Error::Usage(format!(
                "--platform {p:?} names no EB platform: use docker, ecs, or a runtime (node, python, java, tomcat, php, ruby, go, dotnet) with an optional version, e.g. \"python 3.11\""
            )));
        }
    }
    if args.live.environment.is_some()
        && (args.dir.is_some() || args.dockerrun.is_some() || args.saved_config.is_some())
    {
        return Err(Error::Usage(
            "--environment reads the live environment; DIR, --dockerrun and --saved-config read files: use one or the other (--settings adds to both)".to_string(),
        ));
    }
    Ok(())
}

/// `--github-repo` and `--branch` end up in an IAM trust condition and a workflow: only the
/// characters GitHub allows.
fn check_delivery(args: &InputArgs) -> Result<()> {
    let name_ok = |s: &str| {
        !s.is_empty()
            && !s.starts_with('.')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    };
    if let Some(repo) = &args.github_repo {
        let ok = repo
            .split_once('/')
            .is_some_and(|(o, r)| name_ok(o) && name_ok(r));
        if !ok {
            return Err(Error::Usage(format!(
                "--github-repo must be OWNER/REPO (letters, digits, - _ .), got {repo:?}"
            )));
        }
    }
    let branch_ok = !args.branch.is_empty()
        && !args.branch.starts_with(['/', '-', '.'])
        && !args.branch.ends_with(['/', '.'])
        && !args.branch.contains("..")
        && args
            .branch
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c));
    if !branch_ok {
        return Err(Error::Usage(format!(
            "--branch must be a plain branch name (letters, digits, - _ . /), got {:?}",
            args.branch
        )));
    }
    Ok(())
}

/// The output folder as the repository holds it: `--out` inside DIR relative to DIR, else its
/// last component (`ecs`), `/`-separated.
fn ecs_dir(args: &InputArgs) -> String {
    let inside = args
        .dir
        .as_ref()
        .and_then(|d| args.out.strip_prefix(d).ok())
        .filter(|p| !p.as_os_str().is_empty());
    let rel = inside.map(PathBuf::from).unwrap_or_else(|| {
        args.out
            .file_name()
            .map_or_else(|| PathBuf::from("ecs"), PathBuf::from)
    });
    let dir = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    // The workflow names it: plain path characters only, else the usual `ecs`.
    let plain = !dir.is_empty()
        && !dir.starts_with('.')
        && dir
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c));
    if plain {
        dir
    } else {
        "ecs".to_string()
    }
}

/// The region given: `--region` (or `AWS_REGION`), else `AWS_DEFAULT_REGION`; empty is none.
fn region(args: &InputArgs) -> Option<String> {
    args.region
        .clone()
        .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
        .filter(|r| !r.is_empty())
}

/// A region must be one AWS has (the table in `convert::limits`): a typo would put every ARN
/// and log group in a region that does not exist.
pub fn check_region(region: &str) -> Result<()> {
    if crate::convert::limits::partition_of(region).is_some() {
        return Ok(());
    }
    let near = crate::convert::limits::PARTITIONS
        .iter()
        .flat_map(|(_, regions)| regions.iter())
        .find(|r| {
            r.len() == region.len() && {
                let mut a: Vec<char> = r.chars().collect();
                let mut b: Vec<char> = region.chars().collect();
                a.sort_unstable();
                b.sort_unstable();
                a == b
            }
        });
    Err(Error::Usage(format!(
        "--region {region:?} is not an AWS region{}",
        near.map_or_else(
            || " (for example us-east-1, eu-west-1, ap-southeast-2)".to_string(),
            |r| format!("; did you mean {r}?")
        )
    )))
}

/// The options the conversion needs.
pub fn options(args: &InputArgs) -> Options {
    Options {
        launch_type: match args.launch_type {
            LaunchTypeArg::Fargate => LaunchType::Fargate,
            LaunchTypeArg::Ec2 => LaunchType::Ec2,
        },
        family: args.family.clone(),
        cluster: args.cluster.clone(),
        service_name: args.service_name.clone(),
        region: region(args),
        account_id: args.account_id.clone(),
        secrets: match args.secrets {
            SecretsArg::Ssm => SecretsMode::Ssm,
            SecretsArg::Secretsmanager => SecretsMode::Secretsmanager,
            SecretsArg::Plain => SecretsMode::Plain,
        },
        secrets_kms_key: args.secrets_kms_key.clone(),
        delivery: (args.ci == CiArg::Github).then(|| crate::model::DeliveryOptions {
            github_repo: args.github_repo.clone(),
            branch: args.branch.clone(),
            keep_images: args.ecr_keep,
            immutable_tags: args.ecr_immutable,
            ecs_dir: ecs_dir(args),
        }),
        sqsd_image: args.sqsd_image.clone(),
    }
}

/// The project folder or files the arguments name.
pub fn project_request(args: &InputArgs) -> project::Request {
    // A file named as DIR (a Dockerrun.aws.json, a docker-compose.yml) is read like --dockerrun.
    let named_file = args.dir.as_ref().filter(|d| d.is_file()).cloned();
    project::Request {
        dir: args.dir.clone().filter(|_| named_file.is_none()),
        dockerrun: args.dockerrun.clone().or(named_file),
        platform: args.platform.clone(),
        settings: args.settings.clone(),
        saved_config: args.saved_config.clone(),
        extra: Vec::new(),
    }
}

/// Check `--all-environments` / `--all`: they read live environments, so no files, and each
/// environment is named after itself.
pub fn check_fleet(args: &ConvertArgs) -> Result<()> {
    let i = &args.input;
    let clash = [
        (i.dir.is_some(), "DIR"),
        (i.dockerrun.is_some(), "--dockerrun"),
        (i.saved_config.is_some(), "--saved-config"),
        (!i.settings.is_empty(), "--settings"),
        (i.live.environment.is_some(), "--environment"),
        (i.family.is_some(), "--family"),
        (i.service_name.is_some(), "--service-name"),
    ];
    match clash.iter().find(|(given, _)| *given) {
        Some((_, what)) => Err(Error::Usage(format!(
            "{what} names one environment's input or names; --all-environments and --all read every environment live and name each after itself: drop {what}"
        ))),
        None => Ok(()),
    }
}

/// The environments `--all-environments` / `--all` name: the application's (or every one) in
/// `--region` (else the configured region).
pub fn fleet_request(args: &ConvertArgs) -> crate::load::fleet::FleetRequest {
    crate::load::fleet::FleetRequest {
        regions: region(&args.input).into_iter().collect(),
        applications: args.input.live.application.iter().cloned().collect(),
        profile: args.input.live.profile.clone(),
        concurrency: usize::from(args.concurrency),
        progress: crate::load::fleet::progress_wanted(),
    }
}

/// The environments live `assess` reads: those of `--application` (else every application) in
/// each `--region` (else the configured region).
pub fn assess_fleet_request(args: &AssessArgs) -> crate::load::fleet::FleetRequest {
    crate::load::fleet::FleetRequest {
        regions: args.regions.clone(),
        applications: args.applications.clone(),
        profile: args.profile.clone(),
        concurrency: usize::from(args.concurrency),
        progress: crate::load::fleet::progress_wanted(),
    }
}

/// The live environment the arguments name, if any.
pub fn live_request(live: &LiveArgs, region: Option<&String>) -> Option<eb_api::Request> {
    live.environment.as_ref().map(|env| eb_api::Request {
        environment: env.clone(),
        application: live.application.clone(),
        region: region.cloned(),
        profile: live.profile.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::check_region;

    fn args(extra: &[&str]) -> super::InputArgs {
        let mut argv = vec!["eb2ecs", "convert", "proj", "--out", "proj/deploy/ecs"];
        argv.extend(extra);
        match <super::Cli as clap::Parser>::try_parse_from(argv) {
            Ok(super::Cli {
                command: super::Command::Convert(c),
            }) => c.input,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn delivery_options_are_checked_and_resolved() {
        let ok = args(&[
            "--ci",
            "github",
            "--github-repo",
            "acme/shop.web",
            "--branch",
            "release/2",
        ]);
        assert!(super::check_delivery(&ok).is_ok());
        let d = super::options(&ok).delivery.expect("--ci github");
        assert_eq!(d.github_repo.as_deref(), Some("acme/shop.web"));
        assert_eq!(
            (d.branch.as_str(), d.keep_images, d.immutable_tags),
            ("release/2", 30, false)
        );
        assert_eq!(d.ecs_dir, "deploy/ecs");
        let mut odd = args(&["--ci", "github"]);
        odd.out = std::path::PathBuf::from("/tmp/${{ x }}");
        let odd = super::options(&odd);
        assert_eq!(odd.delivery.map(|d| d.ecs_dir), Some("ecs".to_string()));
        assert!(super::options(&args(&[])).delivery.is_none());
        for bad in [
            &["--github-repo", "acme"][..],
            &["--github-repo", "acme/x y"],
            &["--github-repo", "a/b:ref:refs/heads/*"],
            &["--branch", "*"],
            &["--branch", "a..b"],
            &["--branch=-x"],
        ] {
            let err = super::check_delivery(&args(bad)).unwrap_err().to_string();
            assert!(
                err.contains("--github-repo") || err.contains("--branch"),
                "{bad:?}: {err}"
            );
        }
    }

    #[test]
    fn regions_are_checked_against_the_partitions() {
        assert!(check_region("eu-west-1").is_ok());
        assert!(check_region("cn-northwest-1").is_ok());
        assert!(check_region("us-gov-west-1").is_ok());
        let err = check_region("eu-wset-1").unwrap_err().to_string();
        assert!(err.contains("did you mean eu-west-1?"), "{err}");
        let err = check_region("mars-north-1").unwrap_err().to_string();
        assert!(err.contains("not an AWS region"), "{err}");
    }
}
