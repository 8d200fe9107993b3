//! The command line: parse and check arguments, resolve them, act, and map the outcome to an
//! exit code. Doc comments on the argument structs are the `--help` text.

use crate::error::{Error, Result};
use crate::finding::{Counts, Finding, Severity};
use crate::model::{LaunchType, Options, SecretsMode};
use crate::output;
use crate::project;
use crate::render;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
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
    /// Save what a live EB environment holds (settings and the deployed bundle's Dockerrun and
    /// .ebextensions) for offline reruns and review.
    Fetch(FetchArgs),
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
    #[arg(long, value_enum, default_value_t = LaunchType::Fargate)]
    pub launch_type: LaunchType,
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
    #[arg(long, value_enum, default_value_t = SecretsMode::Ssm)]
    pub secrets: SecretsMode,
    /// ARN of the customer-managed KMS key that encrypts the secrets (the execution role may
    /// decrypt with it; without it the AWS-managed key is assumed).
    #[arg(long, value_name = "ARN")]
    pub secrets_kms_key: Option<String>,
    /// Exit with status 1 when there are findings at or above this severity.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
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

/// Exit status: success.
pub const EXIT_OK: i32 = 0;
/// Exit status: findings at --fail-on, or changes with plan --exit-code.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit status: an error; nothing was written.
pub const EXIT_ERROR: i32 = 2;

/// Run the command line; returns the exit status.
pub fn main() -> i32 {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match run(cli, &mut out) {
        Ok(code) => code,
        Err(e) => {
            let _ = out.flush();
            eprintln!("error: {e}");
            EXIT_ERROR
        }
    }
}

/// Run a parsed command, printing to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<i32> {
    match cli.command {
        Command::Convert(args) => convert(args, out),
        Command::Plan(args) => plan(args, out),
        Command::Fetch(args) => fetch(args, out),
        Command::SupportMatrix => {
            write_out(out, &crate::render::matrix::render())?;
            Ok(EXIT_OK)
        }
    }
}

fn write_out(out: &mut dyn Write, s: &str) -> Result<()> {
    out.write_all(s.as_bytes()).map_err(|source| Error::Io {
        path: PathBuf::from("<stdout>"),
        source,
    })
}

/// Resolve the options the mapping needs from the arguments.
pub fn options(args: &InputArgs) -> Options {
    Options {
        launch_type: args.launch_type,
        family: args.family.clone(),
        cluster: args.cluster.clone(),
        service_name: args.service_name.clone(),
        project_name: String::new(),
        region: args.region.clone().filter(|r| !r.is_empty()),
        account_id: args.account_id.clone(),
        secrets: args.secrets,
        secrets_kms_key: args.secrets_kms_key.clone(),
    }
}

fn check_args(args: &InputArgs) -> Result<()> {
    if let Some(k) = &args.secrets_kms_key {
        if !k.starts_with("arn:") || !k.contains(":kms:") {
            return Err(Error::Usage(format!(
                "--secrets-kms-key must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), got {k:?}"
            )));
        }
    }
    if let Some(acct) = &args.account_id {
        if acct.len() != 12 || !acct.chars().all(|c| c.is_ascii_digit()) {
            return Err(Error::Usage(format!(
                "--account-id must be 12 digits, got {acct:?}"
            )));
        }
    }
    Ok(())
}

fn fail_on_code(fail_on: Option<FailOn>, findings: &[Finding]) -> i32 {
    let threshold = match fail_on {
        None => return EXIT_OK,
        Some(FailOn::Warning) => Severity::Warning,
        Some(FailOn::Blocker) => Severity::Blocker,
    };
    if findings.iter().any(|f| f.severity >= threshold) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn live_request(live: &LiveArgs, region: Option<&String>) -> Option<crate::load::eb_api::Request> {
    live.environment
        .as_ref()
        .map(|env| crate::load::eb_api::Request {
            environment: env.clone(),
            application: live.application.clone(),
            region: region.cloned(),
            profile: live.profile.clone(),
        })
}

type Built = (
    project::Project,
    crate::model::MigrationModel,
    Vec<render::Artefact>,
);

/// Files or the live environment, to the model and artefacts.
fn build(args: &InputArgs) -> Result<Built> {
    check_args(args)?;
    if let Some(req) = live_request(&args.live, args.region.as_ref()) {
        if args.dir.is_some() || args.dockerrun.is_some() || args.saved_config.is_some() {
            return Err(Error::Usage(
                "--environment reads the live environment; DIR, --dockerrun and --saved-config read files: use one or the other (--settings adds to both)".to_string(),
            ));
        }
        let live = crate::load::eb_api::read(&req)?;
        return project::build_live(&live, &args.settings, &options(args));
    }
    let project = project::resolve(
        args.dir.as_deref(),
        args.dockerrun.as_deref(),
        &args.settings,
        args.saved_config.as_deref(),
    )?;
    let (model, artefacts) = project::build(&project, &options(args))?;
    Ok((project, model, artefacts))
}

fn fetch(args: FetchArgs, out: &mut dyn Write) -> Result<i32> {
    let req = live_request(&args.live, args.region.as_ref())
        .ok_or_else(|| Error::Usage("fetch needs --environment NAME".to_string()))?;
    let live = crate::load::eb_api::read(&req)?;
    let bundle_dir = PathBuf::from(format!("{}.bundle", args.out.display()));
    let mut files = vec![(
        args.out.clone(),
        serde_json::to_string_pretty(&live.describe_json).map_err(|e| Error::Bug(e.to_string()))?
            + "\n",
    )];
    for f in &live.bundle {
        files.push((bundle_dir.join(&f.path), f.text.clone()));
    }
    for (path, text) in &files {
        crate::output::write_one(path, text)?;
    }
    let mut s = format!(
        "eb2ecs: saved environment {} ({} option settings) to {}\n",
        live.environment,
        live.settings.options.len(),
        args.out.display()
    );
    for f in &live.bundle {
        s.push_str(&format!("  {}\n", bundle_dir.join(&f.path).display()));
    }
    s.push_str(&format!(
        "Convert offline with: eb2ecs convert {} --settings {}\n",
        bundle_dir.display(),
        args.out.display()
    ));
    write_out(out, &s)?;
    Ok(EXIT_OK)
}

fn convert(args: ConvertArgs, out: &mut dyn Write) -> Result<i32> {
    let (project, model, artefacts) = build(&args.input)?;
    let statuses = output::write_all(&args.input.out, &artefacts, args.force)?;
    let mut s = format!(
        "eb2ecs: converted {} ({} container{}, {}) into {}\n",
        project.dockerrun_display,
        model.task_definition.container_definitions.len(),
        if model.task_definition.container_definitions.len() == 1 {
            ""
        } else {
            "s"
        },
        model.launch_type.api_name(),
        args.input.out.display()
    );
    for (name, status) in &statuses {
        s.push_str(&format!("  {:<24} {}\n", name, status.as_str()));
    }
    s.push('\n');
    s.push_str(&findings_text(&model.findings, false));
    s.push_str(&format!(
        "\nNext: work through {} (every finding is there, in the order to act on it), then deploy {}.\n",
        args.input.out.join(render::checklist::CHECKLIST).display(),
        args.input.out.join(render::cloudformation::CLOUDFORMATION).display()
    ));
    write_out(out, &s)?;
    Ok(fail_on_code(args.input.fail_on, &model.findings))
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

fn plan(args: PlanArgs, out: &mut dyn Write) -> Result<i32> {
    let color = use_color(args.color);
    let (_, model, artefacts) = build(&args.input)?;
    let planned = output::plan(&args.input.out, &artefacts)?;
    let text = render::plan::render(&model, &artefacts, &planned, &args.input.out, color);
    write_out(out, &text)?;
    let changes = artefacts
        .iter()
        .zip(&planned)
        .any(|(a, p)| p.on_disk.as_deref() != Some(a.content.as_str()));
    let code = fail_on_code(args.input.fail_on, &model.findings);
    if args.exit_code && changes {
        return Ok(EXIT_FINDINGS);
    }
    Ok(code)
}

/// Findings grouped by severity (blockers first), with counts.
pub fn findings_text(findings: &[Finding], color: bool) -> String {
    let c = Counts::of(findings);
    let mut s = format!(
        "Findings: {} blocker{}, {} warning{}, {} info\n",
        c.blocker,
        if c.blocker == 1 { "" } else { "s" },
        c.warning,
        if c.warning == 1 { "" } else { "s" },
        c.info
    );
    for sev in [Severity::Blocker, Severity::Warning, Severity::Info] {
        let group: Vec<&Finding> = findings.iter().filter(|f| f.severity == sev).collect();
        if group.is_empty() {
            continue;
        }
        let label = sev.as_str().to_uppercase();
        let label = if color {
            let code = match sev {
                Severity::Blocker => "31",
                Severity::Warning => "33",
                Severity::Info => "36",
            };
            format!("\x1b[1;{code}m{label}\x1b[0m")
        } else {
            label
        };
        s.push_str(&format!("\n{label} ({})\n", group.len()));
        for f in group {
            s.push_str(&format!(
                "- [{}] {}\n    {}\n    -> {}\n",
                f.code, f.source, f.message, f.action
            ));
        }
    }
    s
}
