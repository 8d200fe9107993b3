//! Acting on a parsed command line: load the inputs (files or the live environment), convert,
//! render, then write, diff or print; and map the outcome to an exit code.

use crate::assess::Subject;
use crate::cli::{
    self, AssessArgs, Cli, ColorChoice, Command, ConvertArgs, ExportArgs, FailOn, FetchArgs,
    InputArgs, PlanArgs, TemplatesCommand, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, EXIT_PARTIAL,
};
use crate::error::{Error, Result};
use crate::finding::{Counts, Finding, Severity};
use crate::load::{self, Inputs};
use crate::model::{MigrationModel, Options};
use crate::render::templates::{self, Templates};
use crate::render::{self, Artefact};
use crate::{convert, output, plan};
use clap::Parser;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Run the command line; returns the exit status.
pub fn main() -> i32 {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match run(cli, &mut out) {
        Ok(code) => code,
        Err(e) => {
            let _ = out.flush();
            // Error values carry input text (file names, values, diffs): sanitised like stdout.
            eprintln!("error: {}", crate::text::terminal(&e.to_string()));
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
        Command::Assess(args) => assess(args, out),
        Command::SupportMatrix => {
            let matrix = render::matrix::render() + "\n" + &load::which::matrix();
            write_out(out, &matrix)?;
            Ok(EXIT_OK)
        }
        Command::FindingCodes(args) => {
            let text = match &args.code {
                Some(code) => crate::codes::page(code)?,
                None => crate::codes::markdown(),
            };
            write_out(out, &text)?;
            Ok(EXIT_OK)
        }
        Command::Completions(args) => {
            write_out(out, &crate::clidoc::completions(args.shell))?;
            Ok(EXIT_OK)
        }
        Command::Man => {
            write_out(out, &crate::clidoc::man()?)?;
            Ok(EXIT_OK)
        }
        Command::CliReference => {
            write_out(out, &crate::clidoc::markdown())?;
            Ok(EXIT_OK)
        }
        Command::Templates(TemplatesCommand::Export(args)) => export_templates(&args, out),
    }
}

/// The run's templates: the bundled ones, with a team's from `--templates DIR` in their place.
pub fn templates(dir: Option<&PathBuf>) -> Result<Option<Templates>> {
    let Some(dir) = dir else {
        return Ok(None);
    };
    let mut overrides = Vec::new();
    for (file, display, text) in load::files::text_files_in(dir)? {
        overrides.push(templates::check_override(&file, &display, text)?);
    }
    Ok(Some(Templates::with_overrides(overrides)))
}

/// The `--overrides` file, parsed (a regular file of bounded size; errors name file and line).
pub fn stack_overrides(
    file: Option<&PathBuf>,
) -> Result<Option<crate::infra::overrides::Overrides>> {
    let Some(file) = file else {
        return Ok(None);
    };
    let text = load::read_text(file)?;
    crate::infra::overrides::parse(&file.display().to_string(), &text).map(Some)
}

fn export_templates(args: &ExportArgs, out: &mut dyn Write) -> Result<i32> {
    let artefacts: Vec<Artefact> = templates::BUNDLED
        .iter()
        .map(|b| Artefact {
            name: b.file,
            content: b.text.to_string(),
        })
        .collect();
    let statuses = output::write_all(&args.dir, &artefacts, args.force)?;
    let mut s = format!(
        "eb2ecs: wrote the bundled templates into {}\n",
        args.dir.display()
    );
    s.push_str(&status_lines(&statuses));
    s.push_str(&format!(
        "Edit them, then: eb2ecs convert DIR --templates {}\n",
        crate::text::sh(&args.dir.display().to_string())
    ));
    write_out(out, &s)?;
    Ok(EXIT_OK)
}

/// One line per file written and what happened to it, the statuses in one column (at least 24
/// characters in, wider when a name is longer).
fn status_lines(statuses: &[(&str, output::Status)]) -> String {
    let width = statuses.iter().map(|(n, _)| n.len()).fold(24, usize::max);
    statuses
        .iter()
        .map(|(name, status)| format!("  {name:<width$} {}\n", status.as_str()))
        .collect()
}

/// Print `s` on stdout through the terminal sanitiser ([`crate::text::terminal`]): no input
/// text sends a control sequence to the terminal.
fn write_out(out: &mut dyn Write, s: &str) -> Result<()> {
    write_raw(out, &crate::text::terminal(s))
}

/// Print text that is already sanitised and holds eb2ecs's own colour sequences (`plan`).
fn write_raw(out: &mut dyn Write, s: &str) -> Result<()> {
    out.write_all(s.as_bytes()).map_err(|source| Error::Io {
        path: PathBuf::from("<stdout>"),
        source,
    })
}

/// Every input the arguments name: the project's files or the live environment.
pub fn load_inputs(args: &InputArgs) -> Result<Inputs> {
    cli::check(args)?;
    match cli::live_request(&args.live, args.region.as_ref()) {
        Some(req) => load::live::inputs(&load::eb_api::read(&req)?, &args.settings),
        None => load::project::load(&cli::project_request(args)),
    }
}

/// Convert the inputs and render every artefact (CloudFormation). Writes nothing.
pub fn build(inputs: &Inputs, opts: &Options) -> Result<(MigrationModel, Vec<Artefact>)> {
    build_format(inputs, opts, render::Format::Cloudformation)
}

/// Convert the inputs and render every artefact of `format`. Writes nothing.
pub fn build_format(
    inputs: &Inputs,
    opts: &Options,
    format: render::Format,
) -> Result<(MigrationModel, Vec<Artefact>)> {
    convert::envnames::check(inputs)?;
    let model = convert::convert(inputs, opts);
    let artefacts = render::render_format(&model, format)?;
    Ok((model, artefacts))
}

fn fail_on_code(fail_on: Option<FailOn>, findings: &[Finding]) -> i32 {
    let threshold = match fail_on {
        None => return EXIT_OK,
        Some(FailOn::Warning) => Severity::Warning,
        Some(FailOn::Blocker) => Severity::Blocker,
    };
    match render::findings::fail_on_reason(findings, threshold) {
        Some(reason) => {
            let _ = std::io::stdout().flush();
            eprint!("{}", crate::text::terminal(&reason));
            EXIT_FINDINGS
        }
        None => EXIT_OK,
    }
}

fn fetch(args: FetchArgs, out: &mut dyn Write) -> Result<i32> {
    if let Some(region) = args.region.as_deref().filter(|r| !r.is_empty()) {
        cli::check_region(region)?;
    }
    let req = cli::live_request(&args.live, args.region.as_ref())
        .ok_or_else(|| Error::Usage("fetch needs --environment NAME".to_string()))?;
    let live = load::eb_api::read(&req)?;
    // What is saved is what the live loader parses: check it does before writing it.
    let doc = load::live::settings_doc(&live)?;
    let bundle_dir = PathBuf::from(format!("{}.bundle", args.out.display()));
    let mut files = vec![(args.out.clone(), live.describe_text.clone())];
    for f in &live.bundle {
        files.push((bundle_dir.join(&f.path), f.text.clone()));
    }
    for (path, text) in &files {
        output::write_one(path, text)?;
    }
    let mut s = format!(
        "eb2ecs: saved environment {} ({} option settings) to {}\n",
        live.environment,
        doc.options.len(),
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

/// Load, convert and render what `convert` and `plan` arguments name. The templates are
/// parsed on other threads meanwhile: parsing is the largest cost of a conversion.
/// Load, convert and render; the inputs go once converted (only their display name is kept),
/// so a large project's parsed files and its artefacts are not in memory together.
fn load_and_build(args: &InputArgs) -> Result<(String, MigrationModel, Vec<Artefact>)> {
    let team = templates(args.templates.as_ref())?;
    let t = team.as_ref().unwrap_or_else(|| Templates::bundled());
    std::thread::scope(|s| {
        let parsing = s.spawn(|| t.prepare(render::templates_for(cli::format(args))));
        let inputs = load_inputs(args);
        let parsed = parsing
            .join()
            .map_err(|_| Error::Bug("the template parse thread panicked".to_string()));
        let inputs = inputs?;
        parsed??;
        let model = convert_args(&inputs, args)?;
        let display = inputs.display.clone();
        drop(inputs);
        let artefacts = render_args(&model, args, t)?;
        Ok((display, model, artefacts))
    })
}

/// Convert loaded inputs as `convert` and `plan` arguments say (options, format, the team's
/// templates from [`templates`]) and render every artefact. Writes nothing.
pub fn build_args(
    inputs: &Inputs,
    args: &InputArgs,
    team: Option<&Templates>,
) -> Result<(MigrationModel, Vec<Artefact>)> {
    let model = convert_args(inputs, args)?;
    let artefacts = render_args(&model, args, team.unwrap_or_else(|| Templates::bundled()))?;
    Ok((model, artefacts))
}

/// The conversion of [`build_args`].
fn convert_args(inputs: &Inputs, args: &InputArgs) -> Result<MigrationModel> {
    convert::envnames::check(inputs)?;
    Ok(convert::convert(inputs, &cli::options(args)))
}

/// The rendering of [`build_args`]: every artefact, the stack overrides applied.
fn render_args(model: &MigrationModel, args: &InputArgs, t: &Templates) -> Result<Vec<Artefact>> {
    let overrides = stack_overrides(args.overrides.as_ref())?;
    render::render_full(model, cli::format(args), t, overrides.as_ref())
}

fn convert(args: ConvertArgs, out: &mut dyn Write) -> Result<i32> {
    if args.fleet() {
        return convert_fleet(&args, out);
    }
    let (display, model, artefacts) = load_and_build(&args.input)?;
    let statuses = output::write_all(&args.input.out, &artefacts, args.force)?;
    let n = model.task_definition.container_definitions.len();
    let mut s = format!(
        "eb2ecs: converted {} ({n} container{}, {}) into {}\n",
        display,
        if n == 1 { "" } else { "s" },
        model.launch_type.api_name(),
        args.input.out.display()
    );
    let checklist = args.input.out.join(render::checklist::CHECKLIST);
    if args.quiet {
        s = format!(
            "{}: {}; see {}\n",
            s.trim_end(),
            render::findings::counts(&model.findings),
            checklist.display()
        );
        write_out(out, &s)?;
        return Ok(fail_on_code(args.input.fail_on, &model.findings));
    }
    s.push_str(&status_lines(&statuses));
    s.push('\n');
    s.push_str(&if args.verbose {
        render::findings::text(&model.findings, false)
    } else {
        let full = format!(
            "{} and {}",
            checklist.display(),
            args.input.out.join(render::REPORT).display()
        );
        render::findings::summary(&model.findings, &full)
    });
    s.push_str(&format!(
        "\nNext: work through {} (every finding is there, in the order to act on it), then deploy {}.\n",
        checklist.display(),
        if cli::format(&args.input).cloudformation() {
            args.input.out.join(render::cloudformation::CLOUDFORMATION)
        } else {
            args.input.out.join(render::terraform::DIR)
        }
        .display()
    ));
    write_out(out, &s)?;
    Ok(fail_on_code(args.input.fail_on, &model.findings))
}

/// What became of one environment of a fleet conversion: its findings, or why it failed.
type FleetResult = std::result::Result<Vec<Finding>, String>;

/// `convert --all-environments` / `--all`: every environment, read live (see `load::fleet`),
/// converted and written into OUT/APPLICATION/ENVIRONMENT/ on its own (one failing does not stop
/// the others), then one summary. Exit status: [`EXIT_PARTIAL`] when any environment failed,
/// else as `--fail-on` says over all of them.
fn convert_fleet(args: &ConvertArgs, out: &mut dyn Write) -> Result<i32> {
    cli::check(&args.input)?;
    cli::check_fleet(args)?;
    let subjects = load::fleet::subjects(&cli::fleet_request(args))?;
    let dirs = fleet_dirs(&args.input.out, &subjects);
    let results: Vec<FleetResult> = subjects
        .iter()
        .zip(&dirs)
        .map(|(s, dir)| convert_subject(s, dir.as_deref(), args))
        .collect();
    write_out(out, &fleet_summary(&args.input.out, &subjects, &results))?;
    if results.iter().any(|r| r.is_err()) {
        return Ok(EXIT_PARTIAL);
    }
    let all: Vec<Finding> = results.into_iter().flatten().flatten().collect();
    Ok(fail_on_code(args.input.fail_on, &all))
}

/// Convert one environment of a fleet and write it into `dir`.
fn convert_subject(
    s: &Subject,
    dir: std::result::Result<&Path, &String>,
    args: &ConvertArgs,
) -> FleetResult {
    let dir = dir.map_err(Clone::clone)?;
    let inputs = s.inputs.as_ref().map_err(Clone::clone)?;
    let opts = cli::options(&args.input);
    let (model, artefacts) =
        build_format(inputs, &opts, cli::format(&args.input)).map_err(|e| e.to_string())?;
    output::write_all(dir, &artefacts, args.force).map_err(|e| e.to_string())?;
    Ok(model.findings)
}

/// A name as one folder name: letters, digits, `-`, `_` and `.` kept, anything else (`/`, `\`,
/// spaces) becomes `_`, and a leading `.` is prefixed with `_`, so no name leaves --out or hides.
pub fn path_segment(name: &str) -> String {
    let mut out: String = name
        .chars()
        .take(128)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with('.') {
        out.insert(0, '_');
    }
    out
}

/// OUT/APPLICATION/ENVIRONMENT/ of each subject; a later subject whose names come out the same
/// as an earlier one's is refused rather than written over it.
fn fleet_dirs(out: &Path, subjects: &[Subject]) -> Vec<std::result::Result<PathBuf, String>> {
    let mut seen: std::collections::BTreeMap<PathBuf, String> = Default::default();
    subjects
        .iter()
        .map(|s| {
            let dir = out
                .join(path_segment(&s.application))
                .join(path_segment(&s.environment));
            let name = format!("{}/{}", s.application, s.environment);
            match seen.get(&dir) {
                Some(first) => Err(format!(
                    "its folder {} is {first}'s too; convert it alone with --environment",
                    dir.display()
                )),
                None => {
                    seen.insert(dir.clone(), name);
                    Ok(dir)
                }
            }
        })
        .collect()
}

/// The summary of a fleet conversion: one row per environment, in order.
fn fleet_summary(out: &Path, subjects: &[Subject], results: &[FleetResult]) -> String {
    let failed = results.iter().filter(|r| r.is_err()).count();
    let mut rows = vec![[
        "APPLICATION",
        "ENVIRONMENT",
        "BLOCKERS",
        "WARNINGS",
        "RESULT",
    ]
    .map(String::from)];
    for (s, r) in subjects.iter().zip(results) {
        let (b, w, result) = match r {
            Ok(findings) => {
                let c = Counts::of(findings);
                (
                    c.blocker.to_string(),
                    c.warning.to_string(),
                    "converted".to_string(),
                )
            }
            Err(why) => {
                let why = why.lines().next().unwrap_or_default();
                (String::new(), String::new(), format!("failed: {why}"))
            }
        };
        rows.push([s.application.clone(), s.environment.clone(), b, w, result]);
    }
    let width = |c: usize| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0);
    let widths = [width(0), width(1), width(2), width(3)];
    let mut text = format!(
        "eb2ecs: converted {} of {} environments into {}/APPLICATION/ENVIRONMENT/{}\n\n",
        results.len() - failed,
        results.len(),
        out.display(),
        if failed > 0 {
            format!(" ({failed} failed)")
        } else {
            String::new()
        }
    );
    for r in &rows {
        let line = format!(
            "{:<a$}  {:<e$}  {:>b$}  {:>w$}  {}",
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            a = widths[0],
            e = widths[1],
            b = widths[2],
            w = widths[3]
        );
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text.push_str("\nNext: work through each converted environment's CHECKLIST.md (its findings, in the order to act on them), then deploy it.\n");
    text
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
    let (_, model, artefacts) = load_and_build(&args.input)?;
    let planned = output::plan(&args.input.out, &artefacts)?;
    // plan sanitises every piece it prints before it adds its colours.
    let text = plan::render(&model, &artefacts, &planned, &args.input.out, color);
    write_raw(out, &text)?;
    let changes = artefacts
        .iter()
        .zip(&planned)
        .any(|(a, p)| p.on_disk.as_deref() != Some(p.content(a)));
    if args.exit_code && changes {
        return Ok(EXIT_FINDINGS);
    }
    Ok(fail_on_code(args.input.fail_on, &model.findings))
}

/// Live assess: every environment of the regions and applications, read-only, concurrently.
fn live_subjects(args: &AssessArgs) -> Result<Vec<crate::assess::Subject>> {
    load::fleet::subjects(&cli::assess_fleet_request(args))
}

/// `assess`: read the subjects (folders, or live), assess, write the three files. Exit 1 when
/// some environment could not be assessed (the files are written and say why).
fn assess(args: AssessArgs, out: &mut dyn Write) -> Result<i32> {
    cli::check_assess(&args)?;
    let subjects: Vec<crate::assess::Subject> = if args.dirs.is_empty() {
        live_subjects(&args)?
    } else {
        args.dirs
            .iter()
            .flat_map(|d| crate::assess::folders::subjects(d))
            .collect()
    };
    let assessment = crate::assess::assess(&subjects, &cli::assess_options(&args));
    let artefacts = render::assessment::render(&assessment)?;
    let statuses = output::write_all(&args.out, &artefacts, args.force)?;
    let mut s = format!(
        "eb2ecs: assessed {} environment{} into {}\n",
        assessment.environments,
        if assessment.environments == 1 {
            ""
        } else {
            "s"
        },
        args.out.display()
    );
    s.push_str(&status_lines(&statuses));
    s.push_str(&format!(
        "\n{}\n{}\n",
        render::assessment::summary(&assessment),
        render::assessment::cost_summary(&assessment)
    ));
    write_out(out, &s)?;
    let failed: Vec<&crate::assess::Row> = assessment
        .rows
        .iter()
        .filter(|r| r.error.is_some())
        .collect();
    if failed.is_empty() {
        return Ok(EXIT_OK);
    }
    let _ = out.flush();
    let path = args.out.join(render::assessment::MARKDOWN);
    eprintln!(
        "eb2ecs: {} of {} environments could not be assessed (their rows in {} say why):",
        failed.len(),
        assessment.environments,
        crate::text::terminal(&path.display().to_string())
    );
    for r in failed {
        eprintln!(
            "  {} / {}: {}",
            crate::text::escape(&r.application),
            crate::text::escape(&r.environment),
            crate::text::escape(r.error.as_deref().unwrap_or_default())
        );
    }
    Ok(EXIT_FINDINGS)
}

#[cfg(test)]
mod tests {
    use super::{path_segment, status_lines};
    use crate::output::Status;

    /// The statuses stand in one column, however long a file name is.
    #[test]
    fn statuses_stand_in_one_column() {
        let short = status_lines(&[("a.json", Status::Created)]);
        assert_eq!(short, format!("  a.json{} created\n", " ".repeat(18)));
        let text = status_lines(&[
            ("service.json", Status::Created),
            ("oneoff-task-definition.json", Status::Unchanged),
        ]);
        let columns: Vec<usize> = text
            .lines()
            .map(|l| l.rfind(' ').expect("a status") + 1)
            .collect();
        assert_eq!(columns, [30, 30], "{text}");
    }

    /// No application or environment name leaves --out, hides, or is empty.
    #[test]
    fn names_become_one_safe_folder_name() {
        assert_eq!(path_segment("shop-prod"), "shop-prod");
        assert_eq!(path_segment("My App v1.2"), "My_App_v1.2");
        assert_eq!(path_segment("../../etc"), "_.._.._etc");
        assert_eq!(path_segment(".."), "_..");
        assert_eq!(path_segment("a\\b/c"), "a_b_c");
        assert_eq!(path_segment(""), "_");
        assert_eq!(path_segment("é"), "_");
        assert_eq!(path_segment(&"x".repeat(300)).len(), 128);
    }
}
