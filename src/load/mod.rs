//! Input loaders: the only code (with `output`) that reads the outside world. Every source of
//! input — a project folder ([`project`]), a live environment ([`live`], through [`eb_api`]), every
//! environment of a fleet ([`fleet`]) —
//! produces one [`Inputs`], so nothing downstream knows where its inputs came from. Every problem
//! becomes an error that names the file, line and column.

pub mod aws_error;
pub mod compose;
pub mod dockerrun;
pub mod eb_api;
pub mod eb_config;
pub mod envreads;
pub mod files;
pub mod fleet;
pub mod guard;
pub mod live;
pub mod locate;
pub mod platform;
pub mod project;
pub mod settings;
pub mod which;

use crate::error::{Error, InputError, Result};
use crate::finding::Finding;
use dockerrun::{Dockerrun, Parsed};
use settings::SettingsDoc;
use std::path::Path;

/// Every input of one conversion, wherever it came from.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// Name of the project (folder, file or live environment): the default for names.
    pub project_name: String,
    /// How the Dockerrun is named to the user (the path given, or `s3://…!Dockerrun.aws.json`).
    pub display: String,
    /// The parsed Dockerrun.
    pub dockerrun: Dockerrun,
    /// The parser's findings about the Dockerrun's oddities.
    pub dockerrun_findings: Vec<Finding>,
    /// The settings documents in the order they were read; the conversion applies EB's precedence.
    pub settings: Vec<SettingsDoc>,
    /// Text files of the project (or deployed bundle) that rules may read, sorted by path.
    pub files: Vec<SourceFile>,
    /// The region the inputs came from (a live environment), used when none is given.
    pub region: Option<String>,
    /// Project paths the Dockerrun mounts that were not read, and why (they leave the project,
    /// or are not regular files): the conversion reports each.
    pub skipped: Vec<Skipped>,
    /// A language-platform project (no Dockerrun, compose file or Dockerfile): its files.
    pub platform: Option<platform::PlatformProject>,
    /// The runtime `--platform` named (`python 3.11`): the language platform's generator takes
    /// it over every platform the settings name.
    pub platform_choice: Option<String>,
    /// The environment variables the application's own files read ([`envreads`]), offline.
    pub env_reads: Vec<envreads::EnvRead>,
    /// What the `eb` CLI's `.elasticbeanstalk/config.yml` says (application, region, platform,
    /// each branch's environment), when the project has one.
    pub eb_cli: eb_config::EbCliConfig,
}

/// One environment of a fleet (read live by [`fleet`], or from a folder offline), for
/// `assess` and fleet conversion, however it was read.
#[derive(Debug, Clone)]
pub struct Subject {
    /// The EB application (the folder name offline when nothing says otherwise).
    pub application: String,
    /// The environment (or project folder) name.
    pub environment: String,
    /// The region it runs in, when known.
    pub region: Option<String>,
    /// The platform ARN, when known.
    pub platform_arn: Option<String>,
    /// The platform's lifecycle (`DescribePlatformVersion`: `Recommended`, `Deprecated`,
    /// `Retired`, ...), when known.
    pub platform_status: Option<String>,
    /// Its inputs, or why they could not be read (`AccessDenied ...`, deleted mid-run).
    pub inputs: std::result::Result<Inputs, String>,
}

/// A project path that was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Path relative to the project root, `/`-separated, as the Dockerrun names it.
    pub path: String,
    /// Why it was not read, e.g. `is a symbolic link to /etc, outside the project`.
    pub reason: String,
    /// Whether it leaves the project (`..`, a symbolic link out of it).
    pub outside: bool,
}

/// A text file of the project or the deployed source bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the project root (or bundle root), `/`-separated.
    pub path: String,
    /// Its text.
    pub text: String,
}

/// Most bytes one project file may have to be read for rules (larger files are skipped).
pub const MAX_SOURCE_FILE: u64 = 1 << 20;
/// Most project files read for rules.
pub const MAX_SOURCE_FILES: usize = 2_000;

/// Read a file as UTF-8 text (a leading byte-order mark is dropped): a regular file of at most
/// [`guard::MAX_INPUT_FILE`] bytes.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = guard::read_input(path)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).to_string();
        let (line, column) = locate::offset_to_line_col(&valid, offset);
        Error::Input {
            file: path.display().to_string(),
            line,
            column,
            message: "the file is not valid UTF-8 text".to_string(),
        }
    })?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// Parse JSON text, turning a syntax error into an [`Error::Input`] at its line and column.
pub fn parse_json(display: &str, text: &str) -> Result<serde_json::Value> {
    if text.trim().is_empty() {
        return Err(Error::Input {
            file: display.to_string(),
            line: 1,
            column: 1,
            message: "the file is empty".to_string(),
        });
    }
    serde_json::from_str(text).map_err(|e| {
        let full = e.to_string();
        let message = match full.rfind(" at line ") {
            Some(i) => full[..i].to_string(),
            None => full,
        };
        Error::Input {
            file: display.to_string(),
            line: e.line().max(1),
            column: e.column().max(1),
            message: format!("invalid JSON: {message}"),
        }
    })
}

/// Turn an error found by pointer into one with a line and column.
pub fn locate_error(display: &str, text: &str, e: InputError) -> Error {
    let (line, column) = locate::line_col(text, &e.pointer);
    let at = if e.pointer.is_empty() {
        String::new()
    } else {
        format!(" (at {})", e.pointer)
    };
    Error::Input {
        file: display.to_string(),
        line,
        column,
        message: format!("{}{at}", e.message),
    }
}

/// Load a Dockerrun.aws.json. `display` names the file in errors (the path the user gave),
/// `label` names it in findings (relative to the project).
pub fn dockerrun(path: &Path, display: &str, label: &str) -> Result<Parsed> {
    let text = read_text(path)?;
    dockerrun_from_text(&text, display, label)
}

/// Parse Dockerrun text already read.
pub fn dockerrun_from_text(text: &str, display: &str, label: &str) -> Result<Parsed> {
    let doc = guard::json(display, text)?;
    dockerrun::parse(label, &doc).map_err(|e| locate_error(display, text, e))
}

/// The text of a project file named by another input (an `.env`, an `env_file`), read only when
/// it stays inside `root`, is a regular file within the size limit and is text: `None` otherwise.
pub fn project_text(root: &Path, rel: &str) -> Option<String> {
    let (files, _) = files::source_files(root, &[rel.to_string()]);
    files
        .into_iter()
        .find(|f| f.path == rel.trim_start_matches("./"))
        .map(|f| f.text)
}

/// Where EB put the application source bundle on its instances.
pub const APP_BUNDLE: &str = "/var/app/current";

/// The bundle folders and files the Dockerrun's host volumes mount (relative to the bundle
/// root, `""` for the whole bundle): the project files that rules may need to read.
pub fn bundle_paths(run: &Dockerrun) -> Vec<String> {
    let mut out: Vec<String> = run
        .volumes
        .iter()
        .filter_map(|v| v.source_path.as_deref())
        .filter_map(|p| {
            let trimmed = p.trim_end_matches('/');
            let rel = trimmed.strip_prefix(APP_BUNDLE)?;
            (rel.is_empty() || rel.starts_with('/'))
                .then(|| rel.trim_start_matches('/').to_string())
        })
        .collect();
    out.sort();
    out.dedup();
    out
}
