//! Cron jobs EB's instances ran: `.ebextensions` `files` written into `/etc/cron.d` (directly,
//! or by a command that moves or copies them there), lines echoed into `/etc/cron.d/*` or piped
//! into `crontab`, and crontab lines in predeploy hooks. Each becomes a [`CronJob`]: an
//! EventBridge Scheduler schedule (the expression converted as for `cron.yaml`, UTC) that runs
//! the one-off task with the job's command — once per run, where EB ran it on every instance
//! unless only the leader installed it.

use crate::codes;
use crate::convert::worker::cron::to_eventbridge;
use crate::convert::Ctx;
use crate::detect::secret_in_text;
use crate::finding::{Finding, Severity, Source};
use crate::load::settings::{CommandText, EbFile, Layer, SettingsDoc};
use crate::model::CronJob;
use crate::text::escape;

/// Where system cron files go (each line has a user field).
const CRON_D: &str = "/etc/cron.d/";

/// A cron line and where it came from, before conversion.
struct Line {
    text: String,
    user_field: bool,
    source: Source,
}

/// Every cron job of the project's `.ebextensions` (and hook texts), converted, with findings.
pub fn jobs(ctx: &mut Ctx, settings: &[SettingsDoc], hooks: &[(String, String)]) -> Vec<CronJob> {
    let docs: Vec<&SettingsDoc> = settings
        .iter()
        .filter(|d| d.layer == Layer::Ebextensions)
        .collect();
    let files: Vec<(&str, &EbFile)> = docs
        .iter()
        .flat_map(|d| d.files.iter().map(move |f| (d.file.as_str(), f)))
        .collect();
    let mut lines = Vec::new();
    for (doc, f) in &files {
        if f.path.starts_with(CRON_D) {
            let source = Source::new(*doc, format!("files.{}", f.path));
            lines.extend(file_lines(f, true, &source));
        }
    }
    for d in &docs {
        let all = d.commands.iter().map(|c| ("commands", c));
        let all = all.chain(
            d.container_commands
                .iter()
                .map(|c| ("container_commands", c)),
        );
        for (key, c) in all {
            let Some(CommandText::Shell(text)) = &c.command else {
                continue;
            };
            let source = Source::new(d.file.as_str(), format!("{key}.{}", c.name));
            lines.extend(command_lines(text, &files, &source));
        }
    }
    for (path, text) in hooks {
        lines.extend(command_lines(text, &files, &Source::new(path.as_str(), "")));
    }
    let written: Vec<&str> = files.iter().map(|(_, f)| f.path.as_str()).collect();
    let mut out = Vec::new();
    for l in lines {
        if let Some(job) = job(ctx, &l, out.len() + 1, &written) {
            out.push(job);
        }
    }
    out
}

/// The cron lines of a `files` entry's content.
fn file_lines(f: &EbFile, user_field: bool, source: &Source) -> Vec<Line> {
    let Some(content) = &f.content else {
        return Vec::new();
    };
    content
        .lines()
        .filter(|l| is_job(l))
        .map(|l| Line {
            text: l.trim().to_string(),
            user_field,
            source: source.clone(),
        })
        .collect()
}

/// Whether a line of a cron file is a job (not blank, a comment or a variable).
fn is_job(line: &str) -> bool {
    let t = line.trim();
    let first = t.split_whitespace().next().unwrap_or("");
    !t.is_empty() && !t.starts_with('#') && !first.contains('=')
}

/// The cron lines a command installs: a `files` entry moved or copied into `/etc/cron.d`,
/// quoted lines echoed into `/etc/cron.d/*` or piped into `crontab`, a file given to `crontab`.
fn command_lines(text: &str, files: &[(&str, &EbFile)], source: &Source) -> Vec<Line> {
    let mut out = Vec::new();
    for part in text.lines().flat_map(|l| l.split("&&")) {
        let words = shell_words::split(part.trim()).unwrap_or_default();
        let first = words.first().map(String::as_str).unwrap_or("");
        let into_cron_d = words.iter().any(|w| w.starts_with(CRON_D));
        let crontab = part.contains("crontab") && !part.contains("crontab -r");
        if matches!(first, "mv" | "cp") && into_cron_d {
            for (_, f) in files.iter().filter(|(_, f)| words.contains(&f.path)) {
                out.extend(file_lines(f, true, source));
            }
        } else if first == "crontab" && words.len() == 2 && !words[1].starts_with('-') {
            for (_, f) in files.iter().filter(|(_, f)| f.path == words[1]) {
                out.extend(file_lines(f, false, source));
            }
        } else if (crontab || into_cron_d) && first == "echo" {
            out.extend(
                words[1..]
                    .iter()
                    .filter(|w| looks_like_cron(w))
                    .map(|w| Line {
                        text: w.trim().to_string(),
                        user_field: !crontab,
                        source: source.clone(),
                    }),
            );
        } else if crontab {
            // `crontab -l | { cat; echo '…'; } | crontab -`: the echoed lines.
            for quoted in quoted_strings(part)
                .into_iter()
                .filter(|q| looks_like_cron(q))
            {
                out.push(Line {
                    text: quoted,
                    user_field: false,
                    source: source.clone(),
                });
            }
        }
    }
    out
}

/// The single- and double-quoted strings of a text.
fn quoted_strings(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(['\'', '"']) {
        let q = rest.as_bytes()[i] as char;
        let after = &rest[i + 1..];
        let Some(end) = after.find(q) else { break };
        out.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    out
}

/// Whether a text starts with five cron fields or an `@` shorthand.
fn looks_like_cron(text: &str) -> bool {
    let t = text.trim();
    if t.starts_with('@') {
        return t.split_whitespace().count() >= 2;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    words.len() >= 6
        && words[..5].iter().all(|w| {
            w.chars()
                .all(|c| c.is_ascii_alphanumeric() || "*/,-".contains(c))
        })
}

/// One cron line as a job (`None`, with a finding, when it cannot be one).
fn job(ctx: &mut Ctx, l: &Line, n: usize, written: &[&str]) -> Option<CronJob> {
    let bad = |ctx: &mut Ctx, why: String| {
        ctx.push(Finding::new(
            codes::CRON_FILE,
            Severity::Warning,
            l.source.clone(),
            format!("EB's instance ran a cron job, but {why}; no schedule is made for it"),
            "Create the schedule yourself (EventBridge Scheduler running the one-off task) or drop the job.",
        ));
    };
    let words: Vec<&str> = l.text.split_whitespace().collect();
    let fields = if words.first()?.starts_with('@') {
        1
    } else {
        5
    };
    let skip = fields + usize::from(l.user_field);
    if words.len() <= skip {
        bad(
            ctx,
            format!("the line `{}` has no command", escape(&l.text)),
        );
        return None;
    }
    let schedule = words[..fields].join(" ");
    let command = words[skip..].join(" ");
    if let Some(why) = secret_in_text(&command) {
        bad(
            ctx,
            format!("its command holds a value that looks like a secret ({why})"),
        );
        return None;
    }
    let expressions = match to_eventbridge(&schedule) {
        Ok((e, _)) => e,
        Err(why) => {
            bad(
                ctx,
                format!(
                    "its schedule `{}` is not valid cron: {why}",
                    escape(&schedule)
                ),
            );
            return None;
        }
    };
    let instance_files: Vec<&str> = written
        .iter()
        .copied()
        .filter(|p| command.contains(p))
        .collect();
    let mut instance_only = instance_files.clone();
    instance_only.extend(
        ["docker ", "/opt/"]
            .into_iter()
            .filter(|p| command.contains(p)),
    );
    let (severity, check) = if !instance_only.is_empty() {
        (Severity::Warning, format!(" It uses what only EB's instance had ({}): put the script in the image and change the command (`docker exec` has no meaning inside the task), or drop the schedule if the job only served the instance.", escape(instance_only.join(", ").trim())))
    } else {
        (Severity::Info, String::new())
    };
    let job = CronJob {
        id: format!("CronSchedule{n}"),
        schedule,
        expressions,
        command: vec!["sh".into(), "-c".into(), command],
        source: l.source.clone(),
    };
    ctx.push(Finding::new(
        codes::CRON_FILE,
        severity,
        l.source.clone(),
        format!("EB's instance ran `{}` on the cron schedule `{}` (UTC); the stack's EventBridge Scheduler schedule {} runs it in the one-off task ({}), created disabled.{check}", escape(&job.command[2]), escape(&job.schedule), job.id, job.expressions.join(" and ")),
        "At the cut-over, enable the schedules (stack parameter SchedulesEnabled=true, Terraform variable schedules_enabled = true) once EB's instances no longer run the job, so it never runs twice.",
    ));
    Some(job)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::tests_support::ctx;
    use crate::load::settings::EbCommand;
    use crate::model::LaunchType;

    fn command(name: &str, text: &str) -> EbCommand {
        EbCommand {
            name: name.into(),
            command: Some(CommandText::Shell(text.into())),
            cwd: None,
            env: vec![],
            test: None,
            ignore_errors: false,
            leader_only: true,
            unknown: vec![],
        }
    }

    /// projects/005 cron.config: templates written by `files`, moved into /etc/cron.d.
    #[test]
    fn files_moved_into_cron_d_are_jobs() {
        let doc = SettingsDoc {
            file: ".ebextensions/cron.config".into(),
            layer: Layer::Ebextensions,
            files: vec![
                EbFile {
                    path: "/tmp/every_ten.template".into(),
                    content: Some("*/10 * * * * root /usr/local/bin/every_ten.sh\n".into()),
                    source: None,
                    line: 0,
                },
                EbFile {
                    path: "/usr/local/bin/every_ten.sh".into(),
                    content: Some("#!/bin/bash\ndocker exec x\n".into()),
                    source: None,
                    line: 0,
                },
            ],
            commands: vec![command(
                "enable_cron_ten",
                "mv /tmp/every_ten.template /etc/cron.d/every_ten",
            )],
            ..Default::default()
        };
        let mut c = ctx(LaunchType::Fargate);
        let jobs = jobs(&mut c, &[doc], &[]);
        assert_eq!(jobs.len(), 1);
        assert_eq!(jobs[0].schedule, "*/10 * * * *");
        assert_eq!(jobs[0].command[2], "/usr/local/bin/every_ten.sh");
        assert_eq!(jobs[0].expressions, vec!["cron(0/10 * * * ? *)"]);
        assert_eq!(c.findings[0].severity, Severity::Warning);
    }

    /// projects/010 03-cronjob.config: a line piped into crontab (no user field).
    #[test]
    fn lines_piped_into_crontab_are_jobs() {
        let doc = SettingsDoc {
            file: ".ebextensions/03-cronjob.config".into(),
            layer: Layer::Ebextensions,
            container_commands: vec![
                command("00_remove_old_cron_jobs", "crontab -r || exit 0"),
                command("01_some_cron_job", "echo '* * * * * /usr/bin/php /var/app/current/artisan schedule:run >> /var/log/cron-log.log 2>&1' | crontab"),
            ],
            ..Default::default()
        };
        let mut c = ctx(LaunchType::Fargate);
        let jobs = jobs(&mut c, &[doc], &[]);
        assert_eq!(jobs.len(), 1);
        assert_eq!(
            jobs[0].command[2],
            "/usr/bin/php /var/app/current/artisan schedule:run >> /var/log/cron-log.log 2>&1"
        );
        let hook = "crontab -l | { cat; echo '@daily /app/bin/cleanup'; } | crontab -";
        let jobs = super::jobs(&mut c, &[], &[("h.sh".into(), hook.into())]);
        assert_eq!(jobs[0].schedule, "@daily");
    }

    #[test]
    fn cron_d_files_have_a_user_field_and_variables_are_skipped() {
        let doc = SettingsDoc {
            file: "a.config".into(),
            layer: Layer::Ebextensions,
            files: vec![EbFile {
                path: "/etc/cron.d/jobs".into(),
                content: Some("MAILTO=\"\"\n# nightly\n0 3 * * 1-5 webapp cd /var/app/current && ./bin/report\nbad line\n".into()),
                source: None,
                line: 0,
            }],
            ..Default::default()
        };
        let mut c = ctx(LaunchType::Fargate);
        let jobs = jobs(&mut c, &[doc], &[]);
        assert_eq!(jobs.len(), 1, "{:?}", c.findings);
        assert_eq!(jobs[0].command[2], "cd /var/app/current && ./bin/report");
        assert_eq!(c.findings.len(), 2, "the bad line is a finding");
    }
}
