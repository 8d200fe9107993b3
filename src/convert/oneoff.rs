//! The one-off task: what EB ran at each deployment before the new version went live —
//! `.ebextensions` `container_commands` (all files merged, in key order, as EB runs them), then
//! the `.platform/hooks/predeploy` scripts of a language-platform project (in name order) —
//! becomes a task definition of the application container (`<family>-oneoff`: same image,
//! environment, secrets and roles, no ports) and one command override per command.
//! Only release-time commands get here: `convert::commands` decided where each command belongs
//! (build-time ones are Dockerfile lines, instance-only ones findings).

use super::commands::place::Release;
use super::{Ctx, Topic};
use crate::codes;
use crate::detect::{mask, mask_line, secret_in_text, secret_reason};
use crate::ecs::{ContainerDefinition, TaskDefinition};
use crate::finding::{Finding, Severity, Source};
use crate::load::settings::{CommandText, EbCommand};
use crate::model::{LaunchType, LbTarget, OneOff, OneOffCommand};
use crate::text::{escape, sh};

/// Where the predeploy hooks of a project are.
pub const PREDEPLOY: &str = ".platform/hooks/predeploy";

/// Paths of EB's instances that the image does not have.
const EB_PATHS: &[&str] = &[
    "/var/app/staging",
    "/var/app/ondeck",
    "/opt/python/",
    "/opt/elasticbeanstalk",
    "/etc/nginx",
    "/var/log/eb-",
];

/// The one-off task of the conversion, if EB ran release-time commands at deployment (as
/// `convert::commands` placed them) or cron jobs to schedule, and everything about the
/// one-off commands. `how.0`: EB ran the commands on the Docker host, not in a container it
/// built; `how.1`: cron jobs run in the task (so it exists even without commands).
pub fn plan(
    ctx: &mut Ctx,
    release: &[Release],
    how: (bool, bool),
    td: &TaskDefinition,
    target: Option<&LbTarget>,
) -> Option<OneOff> {
    ctx.topic = Topic::OneOff;
    let commands: Vec<OneOffCommand> = release
        .iter()
        .filter_map(|r| match r {
            Release::Entry {
                file,
                command,
                bash,
            } => container_command(ctx, file, command, *bash),
            Release::Hook { path } => Some(hook(ctx, path)),
        })
        .collect();
    let (docker, cron) = how;
    if commands.is_empty() && !cron {
        return None;
    }
    let app = app_container(ctx, td, target, docker && !commands.is_empty())?;
    override_sizes(ctx, &app.name, &commands);
    let task_definition = task_definition(ctx, td, &app, &commands);
    let names: Vec<String> = commands.iter().map(|c| c.name.clone()).collect();
    if !commands.is_empty() {
        ctx.push(Finding::new(
        codes::ONEOFF_TASK,
        Severity::Info,
        Source::new("oneoff-task-definition.json", ""),
        format!(
            "EB ran {} at each deployment, before the new version went live; they run in the one-off task `{}` (container `{}`, same image, environment, secrets and roles as the service)",
            escape(&names.join(", ")),
            task_definition.family,
            escape(&app.name)
        ),
        "Run them with the `aws ecs run-task` commands of the Deploy phase, once per deployment and before the service takes the new image (the task definition's own command runs them all in order).",
    ));
    }
    Some(OneOff {
        family: task_definition.family.clone(),
        container: app.name,
        task_definition,
        commands,
    })
}

/// A command as one shell line: a list's arguments quoted, as EB ran them without a shell.
pub fn shell_text(c: &CommandText) -> String {
    match c {
        CommandText::Shell(s) => s.trim_end().to_string(),
        CommandText::Argv(a) => a.iter().map(|x| sh(x)).collect::<Vec<_>>().join(" "),
    }
}

/// Text with every secret-looking value masked, line by line.
fn masked(text: &str) -> String {
    text.lines().map(mask_line).collect::<Vec<_>>().join("\n")
}

/// The shell a command runs under: bash for what used bash syntax (EB ran commands with
/// Amazon Linux's `/bin/sh`, which is bash), else `sh`.
fn shell(bash: bool) -> &'static str {
    if bash {
        "bash"
    } else {
        "sh"
    }
}

/// The shell script of one entry: `cd` to its `cwd`, its `env` exported, its `test` guarding
/// it. Lines, not `;`, separate the parts, so a command ending in `&`, a comment or a
/// newline keeps its meaning. `None` without a command.
pub fn script(c: &EbCommand) -> Option<String> {
    let body = shell_text(c.command.as_ref()?);
    let mut lines = Vec::new();
    if let Some(cwd) = &c.cwd {
        lines.push(format!("cd {} || exit 1", sh(cwd)));
    }
    if !c.env.is_empty() {
        let vars: Vec<String> = c
            .env
            .iter()
            .map(|(k, v)| format!("{k}={}", sh(v)))
            .collect();
        lines.push(format!("export {}", vars.join(" ")));
    }
    match &c.test {
        Some(t) => lines.push(format!("if {}\nthen\n{body}\nfi", t.trim_end())),
        None => lines.push(body),
    }
    Some(lines.join("\n"))
}

/// One `container_commands` entry as a one-off command (`None`, with a finding, without a
/// command), with findings for what does not carry over as it was.
fn container_command(
    ctx: &mut Ctx,
    file: &str,
    c: &EbCommand,
    bash: bool,
) -> Option<OneOffCommand> {
    let source = Source::new(file, format!("container_commands.{}", c.name));
    let entry = |what: String| {
        Finding::new(
            codes::ONEOFF_ENTRY,
            Severity::Warning,
            source.clone(),
            what,
            "Check what EB did with the entry; fix it and convert again.",
        )
    };
    if !c.unknown.is_empty() {
        let keys = escape(&c.unknown.join(", ")).into_owned();
        ctx.push(entry(format!("container command `{}` has keys eb2ecs does not know ({keys}); they are not carried over", escape(&c.name))));
    }
    let Some(raw) = script(c) else {
        ctx.push(entry(format!(
            "container command `{}` has no `command` (EB fails the deployment on it); it is left out",
            escape(&c.name)
        )));
        return None;
    };
    let text = safe_script(ctx, &source, c, raw);
    if !c.leader_only {
        ctx.push(Finding::new(
            codes::ONEOFF_EVERY_INSTANCE,
            Severity::Warning,
            source.clone(),
            format!("container command `{}` had no `leader_only: true`: EB ran it on every instance; the one-off task runs it once per deployment", escape(&c.name)),
            "If it changed the instance's files (collectstatic, generated config, caches), it belongs in the Dockerfile or the container's entrypoint, not in the one-off task; keep it there only if once per deployment is enough.",
        ));
    }
    eb_paths(ctx, &source, &c.name, &text);
    Some(OneOffCommand {
        name: c.name.clone(),
        command: vec![shell(bash).into(), "-c".into(), text],
        leader_only: c.leader_only,
        ignore_errors: c.ignore_errors,
        source,
    })
}

/// The script with every secret-looking value masked (an `env` value, or text in the command),
/// and a finding for each: the output never repeats a secret.
fn safe_script(ctx: &mut Ctx, source: &Source, c: &EbCommand, raw: String) -> String {
    let mut text = raw;
    let mut why = None;
    for (k, v) in &c.env {
        if let Some(reason) = secret_reason(k, v) {
            text = text.replace(
                &format!("{k}={}", sh(v)),
                &format!("{k}={}", sh(&mask(k, v))),
            );
            why = why.or(Some(reason));
        }
    }
    if let Some(reason) = text.lines().find_map(secret_in_text) {
        text = masked(&text);
        why = why.or(Some(reason));
    }
    if let Some(why) = why {
        ctx.push(Finding::new(
            codes::SECRET_IN_COMMAND,
            Severity::Warning,
            source.clone(),
            format!("container command `{}` holds a value that looks like a secret ({why}); the one-off command has it masked, so it fails until you fix it", escape(&c.name)),
            "Put the value in SSM or Secrets Manager, give it to the task as a secret (an environment variable) and make the command read it there; rotate it: it was in the .ebextensions file.",
        ));
    }
    text
}

/// A finding when a command names a path of EB's instances.
fn eb_paths(ctx: &mut Ctx, source: &Source, name: &str, text: &str) {
    let found: Vec<&str> = EB_PATHS
        .iter()
        .copied()
        .filter(|p| text.contains(p))
        .collect();
    if !found.is_empty() {
        ctx.push(Finding::new(
            codes::ONEOFF_EB_PATH,
            Severity::Warning,
            source.clone(),
            format!("command `{}` uses {} of EB's instances, which the image does not have", escape(name), found.join(", ")),
            "Change the paths to the image's (the generated Dockerfile's WORKDIR is /var/app/current; the tools are on the PATH), or move the step into the Dockerfile.",
        ));
    }
}

/// Most characters ECS accepts in a task's `overrides`, JSON punctuation included.
pub const MAX_OVERRIDES: usize = 8192;

/// A finding for each command too long for a run-task command override.
fn override_sizes(ctx: &mut Ctx, container: &str, commands: &[OneOffCommand]) {
    for c in commands {
        let overrides =
            serde_json::json!({"containerOverrides": [{"name": container, "command": c.command}]});
        let len = overrides.to_string().len();
        if len > MAX_OVERRIDES {
            ctx.push(Finding::new(
                codes::ONEOFF_ENTRY,
                Severity::Warning,
                c.source.clone(),
                format!("command `{}` makes a run-task override of {len} characters; ECS accepts at most {MAX_OVERRIDES}", escape(&c.name)),
                "Put the command in a script in the image and run that, or run the one-off task with its own command (every command in order).",
            ));
        }
    }
}

/// A predeploy hook as a one-off command: the script, from the image's working folder.
fn hook(ctx: &mut Ctx, path: &str) -> OneOffCommand {
    let source = Source::new(path, "");
    ctx.push(Finding::new(
        codes::ONEOFF_HOOK,
        Severity::Warning,
        source.clone(),
        format!("EB ran the predeploy hook `{}` on each instance before the new version went live; it runs once in the one-off task, from the image's working folder", escape(path)),
        "Make sure the image has the script at this path, executable (chmod +x, with a #! line): the generated Dockerfile copies the whole project only when it does not build an artefact (add a COPY line otherwise). If it changed the instance rather than the application's data, move it into the Dockerfile.",
    ));
    let name = path.rsplit('/').next().unwrap_or(path).to_string();
    OneOffCommand {
        name,
        command: vec!["sh".into(), "-c".into(), sh(&format!("./{path}"))],
        leader_only: false,
        ignore_errors: false,
        source,
    }
}

/// Images that proxy to the application rather than run it.
const PROXIES: &[&str] = &[
    "nginx", "httpd", "apache", "envoy", "traefik", "haproxy", "caddy", "varnish",
];

/// Whether a container runs the application: essential, not the X-Ray daemon, not a proxy.
fn runs_app(d: &ContainerDefinition) -> bool {
    let image = d
        .image
        .rsplit('/')
        .next()
        .unwrap_or(&d.image)
        .to_ascii_lowercase();
    d.essential && d.name != "xray-daemon" && !PROXIES.iter().any(|p| image.starts_with(p))
}

/// The container the commands run in: the one behind the load balancer unless it is a proxy,
/// else the first essential container that is not a proxy, else the first (a finding says
/// which when there are several; another when EB ran the commands on the Docker host).
fn app_container(
    ctx: &mut Ctx,
    td: &TaskDefinition,
    target: Option<&LbTarget>,
    docker: bool,
) -> Option<ContainerDefinition> {
    let defs = &td.container_definitions;
    let by_target = target
        .and_then(|t| defs.iter().find(|d| d.name == t.container))
        .filter(|d| runs_app(d));
    let (app, why) = match by_target {
        Some(d) => (d, "the load balancer sends traffic to it"),
        None => match defs.iter().find(|d| runs_app(d)) {
            Some(d) => (
                d,
                "the first essential container that is not a proxy or the X-Ray daemon",
            ),
            None => (defs.first()?, "the first container"),
        },
    };
    let others = defs.iter().filter(|d| d.name != "xray-daemon").count();
    if others > 1 {
        ctx.push(Finding::new(
            codes::ONEOFF_CONTAINER,
            Severity::Info,
            ctx.src(""),
            format!("the task has {others} containers; eb2ecs runs the one-off commands in `{}` ({why}) with its image, environment and secrets", escape(&app.name)),
            "If a command needs another container's image or tools, change the container of oneoff-task-definition.json (and OneOffTaskDefinition in the stack) and the name in the run-task overrides.",
        ));
    }
    if docker {
        ctx.push(Finding::new(
            codes::ONEOFF_HOST,
            Severity::Warning,
            ctx.src(""),
            "on EB's Docker platform container_commands ran on the instance (the Docker host), not in the container; the one-off task runs them inside the application's image".to_string(),
            "Check each command works inside the image (its tools, paths and working folder); a command that prepared the host (docker, files for a volume) has no place in the task. If the image has an ENTRYPOINT, it must run the command it is given.",
        ));
    }
    Some(app.clone())
}

/// The one-off task definition: the application container alone, without ports, links or a
/// health check, logging with the stream prefix `oneoff`, its command every command in order;
/// the same roles; on Fargate the smallest size that fits the container.
fn task_definition(
    ctx: &Ctx,
    td: &TaskDefinition,
    app: &ContainerDefinition,
    commands: &[OneOffCommand],
) -> TaskDefinition {
    let mut c = app.clone();
    c.essential = true;
    c.port_mappings.clear();
    c.links.clear();
    c.depends_on.clear();
    c.volumes_from.clear();
    c.health_check = None;
    c.hostname = None;
    let bash = commands.iter().any(|c| c.command[0] == "bash");
    c.command = Some(vec![
        shell(bash).into(),
        "-c".into(),
        all_in_order(commands),
    ]);
    if let Some(lc) = c.log_configuration.as_mut() {
        if lc.log_driver == "awslogs" {
            lc.options
                .insert("awslogs-stream-prefix".into(), "oneoff".into());
        }
    }
    let mounted: Vec<&str> = c
        .mount_points
        .iter()
        .map(|m| m.source_volume.as_str())
        .collect();
    let (cpu, memory) = size(ctx.launch_type, td, &c);
    TaskDefinition {
        family: crate::names::sanitise_name(&format!("{}-oneoff", ctx.family)),
        volumes: td
            .volumes
            .iter()
            .filter(|v| mounted.contains(&v.name.as_str()))
            .cloned()
            .collect(),
        container_definitions: vec![c],
        cpu,
        memory,
        ..td.clone()
    }
}

/// Every command in order, each in its own subshell (EB ran each in a fresh shell), stopping
/// at the first that fails unless EB ignored its errors.
fn all_in_order(commands: &[OneOffCommand]) -> String {
    if commands.is_empty() {
        // Only schedules use the task (each with its own command): nothing by default.
        return "true".to_string();
    }
    commands
        .iter()
        .map(|c| {
            let script = c.command.last().map_or("", String::as_str);
            let on_error = if c.ignore_errors { "true" } else { "exit $?" };
            format!("(\n{script}\n) || {on_error}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Fargate: the cheapest size with at least 0.25 vCPU, 512 MiB and what the container asks
/// for (the service's size when nothing smaller fits). EC2: no task size (the container's
/// own limits apply).
fn size(
    launch_type: LaunchType,
    td: &TaskDefinition,
    c: &ContainerDefinition,
) -> (Option<String>, Option<String>) {
    if launch_type != LaunchType::Fargate {
        return (None, None);
    }
    let memory = c.memory.or(c.memory_reservation).unwrap_or(0).max(512);
    let cpu = c.cpu.unwrap_or(0).max(256);
    match super::limits::smallest_fargate(cpu, memory) {
        Some(s) => (Some(s.cpu.to_string()), Some(s.memory.to_string())),
        None => (td.cpu.clone(), td.memory.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::commands::place::merged_container_commands;
    use crate::convert::tests_support::ctx;
    use crate::load::settings::CommandText::{Argv, Shell};
    use crate::load::settings::{Layer, SettingsDoc};

    fn cmd(name: &str, command: Option<CommandText>) -> EbCommand {
        EbCommand {
            name: name.into(),
            command,
            cwd: None,
            env: vec![],
            test: None,
            ignore_errors: false,
            leader_only: false,
            unknown: vec![],
        }
    }

    fn doc(file: &str, cmds: Vec<EbCommand>) -> SettingsDoc {
        SettingsDoc {
            file: file.into(),
            layer: Layer::Ebextensions,
            container_commands: cmds,
            ..Default::default()
        }
    }

    fn td() -> TaskDefinition {
        let app = ContainerDefinition {
            name: "web".into(),
            image: "img:1".into(),
            essential: true,
            memory: Some(1536),
            port_mappings: vec![crate::ecs::PortMapping {
                container_port: 80,
                host_port: None,
                protocol: "tcp".into(),
            }],
            links: vec!["db".into()],
            log_configuration: Some(crate::ecs::LogConfiguration {
                log_driver: "awslogs".into(),
                options: [("awslogs-stream-prefix".to_string(), "web".to_string())].into(),
                secret_options: vec![],
            }),
            ..Default::default()
        };
        let side = ContainerDefinition {
            name: "db".into(),
            image: "postgres".into(),
            essential: true,
            ..Default::default()
        };
        TaskDefinition {
            family: "app".into(),
            task_role_arn: Some("task-role".into()),
            execution_role_arn: Some("exec-role".into()),
            network_mode: "awsvpc".into(),
            requires_compatibilities: vec!["FARGATE".into()],
            cpu: Some("1024".into()),
            memory: Some("2048".into()),
            container_definitions: vec![side, app],
            volumes: vec![],
            runtime_platform: None,
        }
    }

    /// Place the documents' commands (no generated image) and plan the one-off task.
    fn run(
        c: &mut Ctx,
        docs: &[SettingsDoc],
        td: &TaskDefinition,
        target: Option<&LbTarget>,
    ) -> Option<OneOff> {
        let release = crate::convert::commands::place::place(c, docs, None, &[], None);
        plan(c, &release, (true, false), td, target)
    }

    fn codes(c: &Ctx) -> Vec<&str> {
        c.findings.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn commands_run_in_key_order_across_files_later_files_win() {
        let docs = [
            doc("a.config", vec![cmd("02b", Some(Shell("old".into())))]),
            doc(
                "b.config",
                vec![
                    cmd("02b", Some(Shell("new".into()))),
                    cmd("01a", Some(Shell("first".into()))),
                ],
            ),
        ];
        let refs: Vec<&SettingsDoc> = docs.iter().collect();
        let got: Vec<(String, String)> = merged_container_commands(&refs)
            .into_iter()
            .map(|(f, c)| (f, c.name))
            .collect();
        assert_eq!(
            got,
            vec![
                ("b.config".to_string(), "01a".to_string()),
                ("b.config".to_string(), "02b".to_string())
            ]
        );
    }

    #[test]
    fn every_key_goes_into_the_script_quoted() {
        let mut c = cmd("x", Some(Argv(vec!["echo".into(), "a b".into()])));
        c.cwd = Some("/srv/my app".into());
        c.env = vec![("GREETING".into(), "it's $HOME".into())];
        c.test = Some("test -d /srv".into());
        assert_eq!(
            script(&c).unwrap(),
            "cd '/srv/my app' || exit 1\nexport GREETING='it'\\''s $HOME'\nif test -d /srv\nthen\necho 'a b'\nfi"
        );
        assert_eq!(script(&cmd("y", None)), None);
    }

    /// The script, run by a real shell, does what EB did: the test guards the command, the
    /// environment and folder apply, nothing in a value is expanded.
    #[test]
    fn scripts_run_as_eb_ran_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = cmd(
            "x",
            Some(Shell(
                "printf '%s|%s|%s' \"$V\" \"$(basename \"$PWD\")\" done # note &".into(),
            )),
        );
        c.cwd = Some(dir.path().display().to_string());
        c.env = vec![("V".into(), "$(echo no)'\"`x`".into())];
        c.test = Some("true".into());
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(script(&c).unwrap())
            .output()
            .unwrap();
        let name = dir.path().file_name().unwrap().to_string_lossy();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("$(echo no)'\"`x`|{name}|done")
        );
        c.test = Some("false".into());
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(script(&c).unwrap())
            .output()
            .unwrap();
        assert!(out.status.success() && out.stdout.is_empty());
    }

    #[test]
    fn the_task_is_the_app_container_alone_and_small() {
        let mut leader = cmd("01migrate", Some(Shell("migrate".into())));
        // `migrate` alone is not a known migration: leader_only makes it release-time.
        leader.leader_only = true;
        let mut each = cmd(
            "02cache",
            Some(Shell("python manage.py createcachetable".into())),
        );
        each.ignore_errors = true;
        let docs = vec![doc("d.config", vec![leader, each])];
        let target = LbTarget {
            container: "web".into(),
            port: 80,
        };
        let mut c = ctx(LaunchType::Fargate);
        let o = run(&mut c, &docs, &td(), Some(&target)).unwrap();
        assert_eq!(o.family, "app-oneoff");
        assert_eq!(o.container, "web");
        let t = &o.task_definition;
        assert_eq!(
            (t.cpu.as_deref(), t.memory.as_deref()),
            (Some("256"), Some("2048"))
        );
        assert_eq!(t.execution_role_arn.as_deref(), Some("exec-role"));
        let app = &t.container_definitions[0];
        assert_eq!(t.container_definitions.len(), 1);
        assert!(app.port_mappings.is_empty() && app.links.is_empty());
        let prefix = &app.log_configuration.as_ref().unwrap().options["awslogs-stream-prefix"];
        assert_eq!(prefix, "oneoff");
        assert_eq!(
            app.command.as_ref().unwrap()[2],
            "(\nmigrate\n) || exit $?\n(\npython manage.py createcachetable\n) || true"
        );
        assert_eq!(o.commands[0].command, vec!["sh", "-c", "migrate"]);
        assert!(o.commands[0].leader_only && o.commands[1].ignore_errors);
        assert_eq!(
            codes(&c),
            vec![
                "ONEOFF-EVERY-INSTANCE",
                "ONEOFF-CONTAINER",
                "ONEOFF-HOST",
                "ONEOFF-TASK"
            ]
        );
        assert_eq!(c.findings[0].source.location, "container_commands.02cache");
    }

    #[test]
    fn instance_commands_odd_entries_and_secrets_are_findings() {
        let mut d = doc("d.config", vec![cmd("01none", None)]);
        d.commands = vec![cmd("01yum", Some(Shell("yum install -y jq".into())))];
        let mut secret = cmd(
            "02secret",
            Some(Shell(
                "curl -H \"token=$T\" x && python manage.py migrate".into(),
            )),
        );
        secret.env = vec![("DB_PASSWORD".into(), "hunter2hunter2".into())];
        secret.unknown = vec!["waitAfterCompletion".into()];
        secret.leader_only = true;
        d.container_commands.push(secret);
        let mut c = ctx(LaunchType::Ec2);
        let o = run(&mut c, &[d], &td(), None).unwrap();
        assert_eq!(o.container, "db");
        assert_eq!(o.task_definition.cpu, None);
        assert_eq!(o.commands.len(), 1);
        assert!(
            !o.commands[0].command[2].contains("hunter2"),
            "{:?}",
            o.commands
        );
        assert_eq!(
            codes(&c),
            vec![
                "INSTANCE-COMMAND",
                "BUILD-LINES",
                "ONEOFF-ENTRY",
                "ONEOFF-ENTRY",
                "SECRET-IN-COMMAND",
                "ONEOFF-CONTAINER",
                "ONEOFF-HOST",
                "ONEOFF-TASK"
            ]
        );
        assert!(c.findings.iter().all(|f| !f.message.contains("hunter2")));
    }

    /// A command with bash syntax runs under bash, and so does the task's command.
    #[test]
    fn bash_commands_run_under_bash() {
        let mut c = cmd(
            "01m",
            Some(Shell("[[ -f x ]] && python manage.py migrate".into())),
        );
        c.leader_only = true;
        let mut ctx = ctx(LaunchType::Fargate);
        let o = run(&mut ctx, &[doc("d.config", vec![c])], &td(), None).unwrap();
        assert_eq!(o.commands[0].command[0], "bash");
        let own = o.task_definition.container_definitions[0]
            .command
            .as_ref()
            .unwrap();
        assert_eq!(own[0], "bash");
    }

    #[test]
    fn commands_too_long_for_an_override_are_findings() {
        let mut long = cmd("01long", Some(Shell("x".repeat(MAX_OVERRIDES))));
        let mut short = cmd("02short", Some(Shell("x".repeat(100))));
        long.leader_only = true;
        short.leader_only = true;
        let docs = vec![doc("d.config", vec![long, short])];
        let mut c = ctx(LaunchType::Fargate);
        run(&mut c, &docs, &td(), None).unwrap();
        let too_long: Vec<&str> = c
            .findings
            .iter()
            .filter(|f| f.message.contains("at most 8192"))
            .map(|f| f.source.location.as_str())
            .collect();
        assert_eq!(too_long, vec!["container_commands.01long"]);
    }

    #[test]
    fn nothing_to_run_is_no_task() {
        let mut c = ctx(LaunchType::Fargate);
        assert_eq!(run(&mut c, &[], &td(), None), None);
        assert!(c.findings.is_empty());
    }
}

#[cfg(test)]
mod container_choice {
    use super::*;
    use crate::convert::tests_support::ctx;

    fn def(name: &str, image: &str) -> ContainerDefinition {
        ContainerDefinition {
            name: name.into(),
            image: image.into(),
            essential: true,
            ..Default::default()
        }
    }

    /// Behind an nginx proxy, the commands run in the application, not in the proxy.
    #[test]
    fn a_proxy_in_front_is_not_the_application() {
        let td = TaskDefinition {
            family: "f".into(),
            task_role_arn: None,
            execution_role_arn: None,
            network_mode: "awsvpc".into(),
            requires_compatibilities: vec![],
            cpu: None,
            memory: None,
            container_definitions: vec![
                def("proxy", "public.ecr.aws/nginx/nginx:1"),
                def("app", "shop/app:1"),
            ],
            volumes: vec![],
            runtime_platform: None,
        };
        let target = LbTarget {
            container: "proxy".into(),
            port: 80,
        };
        let mut c = ctx(LaunchType::Fargate);
        let app = app_container(&mut c, &td, Some(&target), false).unwrap();
        assert_eq!(app.name, "app");
        assert_eq!(c.findings[0].code, codes::ONEOFF_CONTAINER);
        assert!(c.findings[0].message.contains("not a proxy"));
        let target = LbTarget {
            container: "app".into(),
            port: 80,
        };
        let mut c = ctx(LaunchType::Fargate);
        let app = app_container(&mut c, &td, Some(&target), true).unwrap();
        assert_eq!(app.name, "app");
        assert!(c.findings[0]
            .message
            .contains("load balancer sends traffic"));
        assert_eq!(c.findings[1].code, codes::ONEOFF_HOST);
    }
}
