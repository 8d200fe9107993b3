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
    /// Work with the templates eb2ecs renders (`templates export DIR` writes them to start a
    /// team's own from; `convert --templates DIR` uses them).
    #[command(subcommand)]
    Templates(TemplatesCommand),
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
    /// The EB project folder; its Dockerrun.aws.json is read.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// A live environment to read instead of files.
    #[command(flatten)]
    pub live: LiveArgs,
    /// The Dockerrun.aws.json to read (then DIR is optional).
    #[arg(long, value_name = "FILE")]
    pub dockerrun: Option<PathBuf>,
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
    /// Exit with status 1 when there are findings at or above this severity.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Infrastructure code to write: cloudformation.yaml, a Terraform module in OUT/terraform/,
    /// or both.
    #[arg(long, value_enum, default_value_t = FormatArg::Cloudformation)]
    pub format: FormatArg,
    /// A folder of templates that replace bundled ones of the same file name (start from
    /// `eb2ecs templates export DIR`); strict mode, errors name the file and line.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
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

/// Check the argument values clap cannot check itself.
pub fn check(args: &InputArgs) -> Result<()> {
    if let Some(k) = &args.secrets_kms_key {
        if !k.starts_with("arn:") || !k.contains(":kms:") {
            return Err(Error::Usage(format!(
                "--secrets-kms-key must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), got {k:?}"
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
    if args.live.environment.is_some()
        && (args.dir.is_some() || args.dockerrun.is_some() || args.saved_config.is_some())
    {
        return Err(Error::Usage(
            "--environment reads the live environment; DIR, --dockerrun and --saved-config read files: use one or the other (--settings adds to both)".to_string(),
        ));
    }
    Ok(())
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
    }
}

/// The project folder or files the arguments name.
pub fn project_request(args: &InputArgs) -> project::Request {
    project::Request {
        dir: args.dir.clone(),
        dockerrun: args.dockerrun.clone(),
        settings: args.settings.clone(),
        saved_config: args.saved_config.clone(),
        extra: Vec::new(),
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
