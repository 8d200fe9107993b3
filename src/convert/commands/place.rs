//! Every command EB ran at deployment, placed by its class: build-time commands and OS
//! packages become lines of the generated Dockerfile (before the runtime stage's `USER` line)
//! or, for an image the team builds, a finding with the exact lines; release-time commands
//! go on to the one-off task ([`Release`]); instance-only and unknown commands become
//! findings. Runs once, before the one-off task is built.

use super::packages::{debian, Debian};
use super::{classify, Class, Decision, Origin};
use crate::codes;
use crate::convert::oneoff::{shell_text, PREDEPLOY};
use crate::convert::Ctx;
use crate::detect::{mask_line, secret_in_text, secret_reason};
use crate::finding::{Finding, Severity, Source};
use crate::load::platform::PlatformProject;
use crate::load::settings::{CommandText, EbCommand, EbPackage, Layer, SettingsDoc};
use crate::load::SourceFile;
use crate::model::GeneratedImage;
use crate::text::{escape, sh};
use std::collections::BTreeMap;

/// Where the generated image has the application (EB's `/var/app/current`).
const APP: &str = "/var/app/current";

/// A release-time command for the one-off task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Release {
    /// A `container_commands` entry (its command rewritten without EB's shell preparations).
    Entry {
        /// The `.ebextensions` file.
        file: String,
        /// The entry.
        command: EbCommand,
        /// It needs bash.
        bash: bool,
    },
    /// A predeploy hook script, run from the image's working folder.
    Hook {
        /// Its path in the project.
        path: String,
    },
}

/// What the commands of a project became, besides findings.
#[derive(Debug, Default)]
pub struct Placed {
    /// Release-time commands, in EB's order, for the one-off task.
    pub release: Vec<Release>,
    /// Dockerfile lines (build-time commands, OS packages) for the application image.
    pub build_lines: Vec<String>,
    /// eb2ecs generates the image (its application folder is EB's `/var/app/current`).
    pub generated: bool,
    /// The scripts `.ebextensions` `files` wrote (path, content): a command that runs one is
    /// classified by what the script does.
    pub files: Vec<(String, String)>,
}

/// Place every command, package and predeploy hook; insert the build lines into the
/// generated image when there is one (else a finding lists them).
pub fn place(
    ctx: &mut Ctx,
    settings: &[SettingsDoc],
    platform: Option<&PlatformProject>,
    files: &[SourceFile],
    image: Option<&mut GeneratedImage>,
) -> Vec<Release> {
    let mut placed = Placed {
        generated: image.is_some(),
        files: settings
            .iter()
            .flat_map(|d| d.files.iter())
            .filter_map(|f| Some((f.path.clone(), f.content.clone()?)))
            .collect(),
        ..Placed::default()
    };
    let mut apt = Vec::new();
    let docs: Vec<&SettingsDoc> = settings
        .iter()
        .filter(|d| d.layer == Layer::Ebextensions)
        .collect();
    for d in &docs {
        for p in &d.packages {
            package(ctx, &d.file, p, &mut apt, &mut placed.build_lines);
        }
    }
    for d in &docs {
        for c in &d.commands {
            entry(
                ctx,
                &d.file,
                "commands",
                c,
                Origin::Commands,
                &mut placed,
                &mut apt,
            );
        }
    }
    for (file, c) in merged_container_commands(&docs) {
        let origin = Origin::ContainerCommands {
            leader_only: c.leader_only,
        };
        entry(
            ctx,
            &file,
            "container_commands",
            &c,
            origin,
            &mut placed,
            &mut apt,
        );
    }
    if let Some(p) = platform {
        hooks(ctx, p, files, &mut placed, &mut apt);
    }
    if !apt.is_empty() {
        apt.sort();
        apt.dedup();
        placed.build_lines.insert(0, apt_line(&apt));
    }
    emit_build_lines(ctx, image, &placed.build_lines);
    placed.release
}

/// Every `container_commands` entry, merged by key across files (a later file's entry
/// replaces an earlier one's, as EB merges them) and in key order, with its file.
pub fn merged_container_commands(docs: &[&SettingsDoc]) -> Vec<(String, EbCommand)> {
    let mut merged: BTreeMap<String, (String, EbCommand)> = BTreeMap::new();
    for d in docs {
        for c in &d.container_commands {
            merged.insert(c.name.clone(), (d.file.clone(), c.clone()));
        }
    }
    merged.into_values().collect()
}

/// The one apt-get line that installs the image's OS packages.
fn apt_line(packages: &[String]) -> String {
    format!(
        "RUN apt-get update && apt-get install -y --no-install-recommends {} && rm -rf /var/lib/apt/lists/*",
        packages.join(" ")
    )
}

/// One `packages` entry: OS packages into Debian names, Python and Ruby packages into RUN
/// lines, anything else a finding.
fn package(
    ctx: &mut Ctx,
    file: &str,
    p: &EbPackage,
    apt: &mut Vec<String>,
    lines: &mut Vec<String>,
) {
    let source = Source::new(file, format!("packages.{}.{}", p.manager, p.name));
    let pinned = |sep: &str| {
        if p.version.is_empty() {
            sh(&p.name)
        } else {
            sh(&format!("{}{sep}{}", p.name, p.version))
        }
    };
    match p.manager.as_str() {
        "yum" | "rpm" => os_package(ctx, &source, &p.name, apt),
        "python" => lines.push(format!("RUN pip install --no-cache-dir {}", pinned("=="))),
        "rubygems" => lines.push(format!("RUN gem install {}", pinned(":"))),
        other => ctx.push(Finding::new(
            codes::COMMAND_UNKNOWN,
            Severity::Warning,
            source,
            format!("EB installed the {} package `{}` on the instance; eb2ecs does not know how to install it in the image", escape(other), escape(&p.name)),
            "Add its installation to the image's Dockerfile (a RUN line), or drop it if the application does not use it.",
        )),
    }
}

/// An Amazon Linux package: its Debian counterpart for the apt line, or a finding.
fn os_package(ctx: &mut Ctx, source: &Source, name: &str, apt: &mut Vec<String>) {
    match debian(name) {
        Some(Debian::Install(names)) => apt.extend(names.split(' ').map(str::to_string)),
        Some(Debian::Skip(why)) => ctx.push(Finding::new(
            codes::OS_PACKAGE,
            Severity::Info,
            source.clone(),
            format!("EB installed the package `{}` on the instance; it {why}, so the image does not install it", escape(name)),
            "Nothing to do.",
        )),
        None => ctx.push(Finding::new(
            codes::OS_PACKAGE,
            Severity::Warning,
            source.clone(),
            format!("EB installed the Amazon Linux package `{}` on the instance; eb2ecs does not know its Debian name, so the image does not install it", escape(name)),
            "Find the Debian package (`apt-cache search`) and add it to the image's apt-get line; drop it if the application does not need it.",
        )),
    }
}

/// The Amazon Linux packages a `yum`/`dnf` install command names (options and `install`
/// skipped; empty for other subcommands).
fn yum_packages(text: &str) -> Vec<String> {
    let words = shell_words::split(text).unwrap_or_default();
    let mut it = words
        .iter()
        .skip_while(|w| *w == "sudo" || w.starts_with('-') || w.contains('='));
    let manager = it.next().map(String::as_str);
    if !matches!(manager, Some("yum" | "dnf")) {
        return Vec::new();
    }
    // Words up to a redirection or another command.
    let rest: Vec<&String> = it
        .take_while(|w| !w.starts_with(['>', '<', '|', '&', ';']) && !w.contains('>'))
        .filter(|w| !w.starts_with('-'))
        .collect();
    match rest.split_first() {
        Some((sub, names)) if *sub == "install" => names
            .iter()
            .filter(|n| !n.contains('/') && !n.contains('*'))
            .map(|n| n.to_string())
            .collect(),
        _ => Vec::new(),
    }
}

/// One `commands` / `container_commands` entry, classified and placed.
fn entry(
    ctx: &mut Ctx,
    file: &str,
    key: &str,
    c: &EbCommand,
    origin: Origin,
    placed: &mut Placed,
    apt: &mut Vec<String>,
) {
    let source = Source::new(file, format!("{key}.{}", c.name));
    let Some(command) = &c.command else {
        if key == "container_commands" {
            // The one-off task reports the entry without a command.
            placed.release.push(Release::Entry {
                file: file.to_string(),
                command: c.clone(),
                bash: false,
            });
        }
        return;
    };
    let text = shell_text(command);
    let written = written_script(&text, &placed.files);
    let mut d = classify(written.unwrap_or(&text), origin);
    if written.is_some() && matches!(d.class, Class::Instance | Class::Unknown) {
        // Name the command as EB had it, then what the script it ran did.
        d.script = format!("{text}, a script the files key wrote: {}", d.script);
    }
    report_dropped(ctx, &source, &c.name, &d);
    match d.class {
        Class::Release if key == "container_commands" => {
            let mut command = c.clone();
            command.command = Some(CommandText::Shell(d.script.clone()));
            if placed.generated {
                in_app_folder(ctx, &source, &mut command);
            }
            placed.release.push(Release::Entry {
                file: file.to_string(),
                command,
                bash: d.bash,
            });
        }
        Class::Release | Class::Unknown => unknown(ctx, &source, &c.name, &d),
        Class::Build => build(ctx, &source, c, &d, placed),
        Class::Instance => instance(ctx, &source, &c.name, &d, apt),
    }
}

/// The content of the `files` script a command runs (`/tmp/x.sh`, `bash /tmp/x.sh`), without
/// its comment lines.
fn written_script<'a>(text: &str, files: &'a [(String, String)]) -> Option<&'a str> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let script = match words.as_slice() {
        [one] => *one,
        [shell, one] if matches!(*shell, "sh" | "bash" | "/bin/sh" | "/bin/bash") => *one,
        _ => return None,
    };
    files
        .iter()
        .find(|(path, _)| path == script)
        .map(|(_, content)| content.as_str())
}

/// A finding for the parts of a kept command that only served EB's instance or shell.
fn report_dropped(ctx: &mut Ctx, source: &Source, name: &str, d: &Decision) {
    let dropped = d.dropped();
    if dropped.is_empty() {
        return;
    }
    let list: Vec<String> = dropped
        .iter()
        .map(|(t, r)| {
            format!(
                "`{}` ({}; instead: {})",
                escape(&masked(t)),
                r.did,
                r.instead
            )
        })
        .collect();
    ctx.push(Finding::new(
        codes::COMMAND_REWRITTEN,
        Severity::Info,
        source.clone(),
        format!("command `{}` is {} without the parts that only served EB's instance: {}", escape(name), d.class.label(), list.join(", ")),
        "Nothing to do, unless the command needs what those parts did (then do it in the Dockerfile).",
    ));
}

/// Text with every secret-looking value masked, line by line.
fn masked(text: &str) -> String {
    text.lines().map(mask_line).collect::<Vec<_>>().join("\n")
}

/// An unknown command: a warning that asks to place it.
fn unknown(ctx: &mut Ctx, source: &Source, name: &str, d: &Decision) {
    let why = if d.compound {
        "it is a script eb2ecs does not take apart (if, for, heredocs)"
    } else {
        "eb2ecs does not recognise what it does"
    };
    ctx.push(Finding::new(
        codes::COMMAND_UNKNOWN,
        Severity::Warning,
        source.clone(),
        format!("EB ran `{}` (`{}`) at each deployment; {why}, so it is left out", escape(name), escape(&masked(&d.script))),
        "Place it: a RUN line of the Dockerfile if it prepares the application's files, the one-off task (oneoff-task-definition.json) if it needs the database once per deployment, or drop it if it only changed EB's instance.",
    ));
}

/// An instance-only command: OS packages join the apt line, everything else is dropped with
/// what replaces it.
fn instance(ctx: &mut Ctx, source: &Source, name: &str, d: &Decision, apt: &mut Vec<String>) {
    let mut packages = Vec::new();
    for p in d.parts.iter().filter(|p| p.class == Some(Class::Instance)) {
        packages.extend(yum_packages(&p.text));
    }
    for p in &packages {
        os_package(ctx, source, p, apt);
    }
    let rule = d.deciding();
    let (did, instead) = rule.map_or(
        ("ran as root on the instance", "nothing the task needs"),
        |r| (r.did, r.instead),
    );
    let translated = !packages.is_empty();
    let scheduled = instead.contains("CRON-FILE");
    let severity = if translated || scheduled || instead.starts_with("nothing") {
        Severity::Info
    } else {
        Severity::Warning
    };
    ctx.push(Finding::new(
        codes::INSTANCE_COMMAND,
        severity,
        source.clone(),
        format!(
            "`{}` (`{}`) {did}; ECS has no instance of yours, so it is not run",
            escape(name),
            escape(&masked(&d.script))
        ),
        format!("Instead: {instead}."),
    ));
}

/// A build-time command: a RUN line (the entry's `cwd`, `env` and `test` kept), with EB's
/// staging folder as the image's application folder. A command holding a secret never
/// becomes a line of the Dockerfile.
fn build(ctx: &mut Ctx, source: &Source, c: &EbCommand, d: &Decision, placed: &mut Placed) {
    let secret = c
        .env
        .iter()
        .find_map(|(k, v)| secret_reason(k, v))
        .or_else(|| d.script.lines().find_map(secret_in_text));
    if let Some(why) = secret {
        ctx.push(Finding::new(
            codes::SECRET_IN_COMMAND,
            Severity::Warning,
            source.clone(),
            format!("build-time command `{}` holds a value that looks like a secret ({why}); it is not put in the Dockerfile", escape(&c.name)),
            "Give the build the value as a build secret (RUN --mount=type=secret) and add the RUN line yourself; rotate it: it was in the .ebextensions file.",
        ));
        return;
    }
    let line = run_line(c, &d.script);
    ctx.push(Finding::new(
        codes::COMMAND_BUILD,
        Severity::Info,
        source.clone(),
        format!("`{}` {} at each deployment; it is part of building the image now: `{}`", escape(&c.name), d.deciding().map_or("prepared the application", |r| r.did), escape(&line)),
        "Check it builds without the environment's properties and secrets (they exist only when the task runs; give the build what it needs as ARG/ENV). When eb2ecs did not generate the Dockerfile, add the line to yours (the BUILD-LINES finding lists them all).",
    ));
    placed.build_lines.push(line);
}

/// The Dockerfile line of a build-time command.
fn run_line(c: &EbCommand, script: &str) -> String {
    let mut parts = Vec::new();
    if let Some(cwd) = &c.cwd {
        parts.push(format!("cd {}", sh(&app_path(cwd))));
    }
    for (k, v) in &c.env {
        parts.push(format!("export {k}={}", sh(v)));
    }
    let body = app_path(script).replace('\n', "; ");
    match &c.test {
        Some(t) => parts.push(format!("if {}; then {body}; fi", t.trim())),
        None => parts.push(body),
    }
    let joined = parts.join(" && ");
    if super::needs_bash(&joined) {
        format!("RUN bash -c {}", sh(&joined))
    } else {
        format!("RUN {joined}")
    }
}

/// A release command of a generated image: EB's staging folder (in its `cwd` or text) is the
/// image's application folder, with a finding when that changed it.
fn in_app_folder(ctx: &mut Ctx, source: &Source, c: &mut EbCommand) {
    let before = (c.cwd.clone(), c.command.clone());
    c.cwd = c.cwd.as_deref().map(app_path);
    if let Some(CommandText::Shell(s)) = &c.command {
        c.command = Some(CommandText::Shell(app_path(s)));
    }
    if before != (c.cwd.clone(), c.command.clone()) {
        ctx.push(Finding::new(
            codes::COMMAND_REWRITTEN,
            Severity::Info,
            source.clone(),
            format!("command `{}` used EB's staging folder; it runs in the image's application folder {APP} instead", escape(&c.name)),
            "Nothing to do.",
        ));
    }
}

/// EB's staging and deployment folders are the image's application folder.
fn app_path(text: &str) -> String {
    text.replace("/var/app/staging", APP)
        .replace("/var/app/ondeck", APP)
}

/// The predeploy hooks (direct files of `.platform/hooks/predeploy`, in name order): with
/// their text (from the project's files), classified like commands; without it, release-time
/// as EB ran them before the new version went live.
fn hooks(
    ctx: &mut Ctx,
    p: &PlatformProject,
    files: &[SourceFile],
    placed: &mut Placed,
    apt: &mut Vec<String>,
) {
    let direct = p
        .under(PREDEPLOY)
        .into_iter()
        .filter(|h| !h[PREDEPLOY.len() + 1..].contains('/'));
    for path in direct {
        let text = files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.text.as_str())
            .or_else(|| p.text(path));
        let Some(text) = text else {
            placed.release.push(Release::Hook {
                path: path.to_string(),
            });
            continue;
        };
        let body: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        let d = classify(&body, Origin::Hook);
        let source = Source::new(path, "");
        let name = path.rsplit('/').next().unwrap_or(path);
        match d.class {
            Class::Release => placed.release.push(Release::Hook {
                path: path.to_string(),
            }),
            Class::Unknown => unknown(ctx, &source, name, &d),
            Class::Build => {
                let c = EbCommand {
                    name: name.to_string(),
                    command: Some(CommandText::Shell(d.script.clone())),
                    cwd: None,
                    env: vec![],
                    test: None,
                    ignore_errors: false,
                    leader_only: false,
                    unknown: vec![],
                };
                build(ctx, &source, &c, &d, placed)
            }
            Class::Instance => instance(ctx, &source, name, &d, apt),
        }
    }
}

/// The build lines: inserted into the generated image's last stage before its first `USER`
/// line (and the comment lines just above it), or one finding listing them for an image the
/// team builds.
fn emit_build_lines(ctx: &mut Ctx, image: Option<&mut GeneratedImage>, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    match image.and_then(|i| i.stages.last_mut()) {
        Some(stage) => {
            // A step the generated image already takes (its own collectstatic with the settings
            // module, its dependency install) is not run twice.
            let lines: Vec<&String> = lines
                .iter()
                .filter(|l| !already_done(&stage.lines, l))
                .collect();
            if lines.is_empty() {
                return;
            }
            let user = stage
                .lines
                .iter()
                .position(|l| l.starts_with("USER "))
                .unwrap_or(stage.lines.len());
            let mut at = user;
            while at > 0 && stage.lines[at - 1].starts_with('#') {
                at -= 1;
            }
            let mut new = vec!["# what EB ran on each instance at deployment (eb2ecs)".to_string()];
            new.extend(lines.into_iter().cloned());
            stage.lines.splice(at..at, new);
        }
        None => ctx.push(Finding::new(
            codes::BUILD_LINES,
            Severity::Warning,
            ctx.src(""),
            format!("EB installed packages or prepared the application on each instance at deployment; your image must do it now. Add to its Dockerfile, after the application's files are copied in and before any USER line:\n{}", escape(&lines.join("\n"))),
            "Add the lines to the Dockerfile (they assume a Debian-based image; adapt apt-get for another), build and test the image.",
        )),
    }
}

/// Framework steps a generated image takes itself; a project command doing the same is dropped.
const GENERATED_STEPS: &[&str] = &[
    "collectstatic",
    "assets:precompile",
    "composer install",
    "bundle install",
    "npm ci",
    "npm install",
    "pip install -r requirements.txt",
];

/// Whether `line` repeats a framework step the stage's own lines already take.
fn already_done(stage: &[String], line: &str) -> bool {
    GENERATED_STEPS
        .iter()
        .any(|step| line.contains(step) && stage.iter().any(|l| l.contains(step)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_the_image_takes_is_not_repeated() {
        let stage = vec![
            "RUN DJANGO_SETTINGS_MODULE=a.b python manage.py collectstatic --noinput".to_string(),
        ];
        assert!(already_done(
            &stage,
            "RUN django-admin.py collectstatic --noinput"
        ));
        assert!(!already_done(
            &stage,
            "RUN python manage.py compilemessages"
        ));
    }

    #[test]
    fn yum_install_names_its_packages() {
        assert_eq!(
            yum_packages("sudo yum install -y postgresql93-devel git"),
            vec!["postgresql93-devel", "git"]
        );
        assert_eq!(yum_packages("dnf -y install jq"), vec!["jq"]);
        assert!(yum_packages("yum update -y").is_empty());
        assert_eq!(
            yum_packages("yum install libjpeg-devel -y > /tmp/yum_logs.log"),
            vec!["libjpeg-devel"]
        );
        assert!(yum_packages("yum install -y https://x/y.rpm").is_empty());
    }

    #[test]
    fn run_lines_keep_cwd_env_and_test_in_the_app_folder() {
        let c = EbCommand {
            name: "x".into(),
            command: None,
            cwd: Some("/var/app/staging".into()),
            env: vec![("A".into(), "it's".into())],
            test: Some("test -f composer.json".into()),
            ignore_errors: false,
            leader_only: false,
            unknown: vec![],
        };
        assert_eq!(
            run_line(&c, "composer install\nchmod +x a"),
            "RUN cd /var/app/current && export A='it'\\''s' && if test -f composer.json; then composer install; chmod +x a; fi"
        );
    }
}
