//! A worker environment (EB's sqsd daemon) as an sqsd sidecar container in the task, and
//! `cron.yaml`'s periodic tasks as EventBridge Scheduler schedules that send the same message
//! to the same queue (the stack: `infra/stack/worker.rs`).
//!
//! [`worker`] reads the `aws:elasticbeanstalk:sqsd` options (EB's defaults when not set) and
//! `cron.yaml`; [`sidecar`] is the container that does what sqsd did, configured by `SQSD_*`
//! environment variables named after the EB options.

pub mod cron;

use super::context::Ctx;
use super::mapper::Mapper;
use crate::codes;
use crate::ecs;
use crate::finding::{Finding, Phase, Severity, Source};
use crate::load::SourceFile;
use crate::model::{LaunchType, LbTarget, PeriodicTask, SqsdOptions, Tier, Worker};

/// EB's worker options.
pub const SQSD: &str = "aws:elasticbeanstalk:sqsd";
/// The periodic tasks file at the root of the source bundle.
pub const CRON_FILE: &str = "cron.yaml";
/// The sidecar's container name.
pub const SIDECAR: &str = "sqsd";
// The sidecar's protocol constants live with the model, below the renderers that print them.
pub use crate::model::{SCHEDULED_TIME_ATTRIBUTE, SQSD_IMAGE, TASK_NAME_ATTRIBUTE};
/// What `SQSD_QUEUE_URL` is in task-definition.json when the stack creates the queue.
pub const QUEUE_URL_PLACEHOLDER: &str = "WORKER_QUEUE_URL";

/// The worker of a worker environment (`None` for a web server, with a finding when it has a
/// `cron.yaml`, which EB ignored there).
pub fn worker(
    ctx: &mut Ctx,
    m: &Mapper,
    tier: Tier,
    files: &[SourceFile],
    app: Option<&LbTarget>,
) -> Option<Worker> {
    let cron_file = files.iter().find(|f| f.path == CRON_FILE);
    if tier != Tier::Worker {
        if cron_file.is_some() {
            ctx.push(Finding::new(
                codes::CRON_NOT_WORKER,
                Severity::Warning,
                Source::new(CRON_FILE, ""),
                "the project has a cron.yaml but is not a worker environment: EB ran periodic tasks only in worker environments, so nothing is scheduled",
                "If the tasks should run, migrate the worker environment that ran them (eb2ecs with its settings), or delete cron.yaml.",
            ));
        }
        return None;
    }
    let sqsd = options(ctx, m);
    let queue_url = given_queue(ctx, m);
    let Some(app) = app else {
        no_app_port(ctx);
        return None;
    };
    let periodic = cron_file.map_or_else(Vec::new, |f| periodic_tasks(ctx, &f.text));
    let mut worker = Worker {
        queue_url,
        sidecar: SIDECAR.to_string(),
        image: ctx.sqsd_image.clone(),
        app_container: app.container.clone(),
        app_port: app.port,
        sqsd,
        periodic,
        backlog_target: 0,
    };
    worker.backlog_target = backlog_target(&worker);
    findings(ctx, &worker);
    Some(worker)
}

/// The `aws:elasticbeanstalk:sqsd` options, EB's defaults where not set (the one table the
/// sidecar reads too: [`crate::sqsd_options`]).
fn options(ctx: &mut Ctx, m: &Mapper) -> SqsdOptions {
    use crate::sqsd_options as o;
    let text = |opt: o::SqsdOption| m.value(SQSD, opt.eb).unwrap_or(opt.default).to_string();
    let mut num = |opt: o::SqsdOption| {
        let default = u32::try_from(opt.default_number()).unwrap_or(u32::MAX);
        m.number_or(ctx, SQSD, opt.eb, default)
    };
    SqsdOptions {
        http_connections: num(o::HTTP_CONNECTIONS),
        connect_timeout: num(o::CONNECT_TIMEOUT),
        inactivity_timeout: num(o::INACTIVITY_TIMEOUT),
        visibility_timeout: num(o::VISIBILITY_TIMEOUT),
        error_visibility_timeout: num(o::ERROR_VISIBILITY_TIMEOUT),
        retention_period: num(o::RETENTION_PERIOD),
        max_retries: num(o::MAX_RETRIES),
        http_path: path(&text(o::HTTP_PATH)),
        mime_type: text(o::MIME_TYPE),
    }
}

/// A path as the sidecar POSTs to it: starting with `/`.
fn path(p: &str) -> String {
    if p.starts_with('/') {
        p.to_string()
    } else {
        format!("/{p}")
    }
}

/// `WorkerQueueURL` when it is an SQS queue URL (in the form the stack's parameter accepts);
/// anything else is a finding and the stack creates the queue.
fn given_queue(ctx: &mut Ctx, m: &Mapper) -> Option<String> {
    let s = m.get(SQSD, "WorkerQueueURL")?;
    let url = queue_url(s.value.trim());
    if url.is_none() {
        ctx.push(Finding::new(
            codes::WORKER_QUEUE,
            Severity::Warning,
            s.source.clone(),
            format!("WorkerQueueURL {:?} is not an SQS queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME); the stack creates a new queue", s.value),
            "Give the queue's URL as the stack parameter ExistingWorkerQueueUrl by hand, or point the senders at the new queue.",
        ));
    }
    let url = url?;
    if let Some(name) = eb_queue(&url) {
        ctx.push(
            Finding::new(
                codes::WORKER_QUEUE,
                Severity::Warning,
                s.source.clone(),
                format!("WorkerQueueURL names {name}, the queue EB created for the environment (EB's AWSEBWorkerQueue): EB deletes it, with the messages still in it, when the environment is terminated, so the stack creates the worker's own queue and dead-letter queue instead of keeping it"),
                format!("Point every sender at the stack's WorkerQueueUrl output, then wait until EB's queue is empty before terminating the EB environment: {}.", crate::text::code(&format!("aws sqs get-queue-attributes --queue-url {} --attribute-names ApproximateNumberOfMessages ApproximateNumberOfMessagesNotVisible", crate::text::sh(&url)))),
            )
            .in_phase(Phase::CutOver),
        );
        return None;
    }
    Some(url)
}

/// The name of a queue EB created for a worker environment (its stack's `AWSEBWorkerQueue`,
/// named `awseb-e-ID-stack-AWSEBWorkerQueue-SUFFIX`), which EB deletes with the environment.
fn eb_queue(url: &str) -> Option<&str> {
    let name = url.rsplit('/').next()?;
    (name.contains("AWSEBWorkerQueue") || (name.starts_with("awseb-") && name.contains("-stack-")))
        .then_some(name)
}

/// An SQS queue URL in its current form `https://sqs.REGION.DOMAIN/ACCOUNT/NAME` (the legacy
/// `https://REGION.queue.DOMAIN/...` and `https://queue.amazonaws.com/...` are rewritten), or
/// `None` when `url` is not one.
pub fn queue_url(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let [host, account, name] = rest.trim_end_matches('/').split('/').collect::<Vec<_>>()[..]
    else {
        return None;
    };
    let (region, domain) = match host.split_once('.') {
        Some(("sqs", tail)) => tail.split_once('.')?,
        Some(("queue", domain)) => ("us-east-1", domain),
        Some((region, tail)) => (region, tail.strip_prefix("queue.")?),
        None => return None,
    };
    let base = name.strip_suffix(".fifo").unwrap_or(name);
    let ok = matches!(domain, "amazonaws.com" | "amazonaws.com.cn")
        && !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && (1..=80).contains(&base.len())
        && base
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then(|| format!("https://sqs.{region}.{domain}/{account}/{name}"))
}

fn no_app_port(ctx: &mut Ctx) {
    ctx.push(Finding::new(
        codes::WORKER_TIER,
        Severity::Blocker,
        Source::new("EB settings", SQSD),
        "this is a worker environment, but no container publishes the port EB's sqsd daemon POSTed to, so no sqsd sidecar is added and nothing feeds the service messages",
        "Publish the application's port (portMappings) and run eb2ecs again.",
    ));
}

/// `--sqsd-image` named by a tag: the tag can move to another image under a running service.
fn sidecar_tag(ctx: &mut Ctx, w: &Worker) {
    let Some(image) = w.image.as_deref().filter(|i| !i.contains("@sha256:")) else {
        return;
    };
    ctx.push(
        Finding::new(
            codes::SQSD_IMAGE_TAG,
            Severity::Warning,
            Source::new("command line", "--sqsd-image"),
            format!("the sqsd sidecar image {image} is named by a tag, which can be moved to another image while the service runs"),
            "Run again with --sqsd-image REPO@sha256:DIGEST (`docker image inspect --format '{{index .RepoDigests 0}}' IMAGE` after pushing it).",
        )
        .in_phase(Phase::Prepare),
    );
}

/// What changes for the people who run the worker.
fn findings(ctx: &mut Ctx, w: &Worker) {
    let src = Source::new("EB settings", SQSD);
    ctx.push(Finding::new(
        codes::WORKER_TIER,
        Severity::Warning,
        src.clone(),
        format!("this is a worker environment: EB's sqsd daemon polled the SQS queue and POSTed each message to http://localhost{}; the task gets an `{SIDECAR}` sidecar container that does the same (same options, X-Aws-Sqsd-* headers, 200 deletes the message, anything else makes it visible again after ErrorVisibilityTimeout), from the image in the stack parameter SqsdImage ({})", w.sqsd.http_path, match w.image.as_deref() { Some(i) => format!("default {i}"), None => "required: no default, so no tag can move under the running service".to_string() }),
        match &w.image {
            Some(i) => format!("Check that {i} is eb2ecs-sqsd (sqsd/ in the eb2ecs repository) or reads the same SQSD_* variables."),
            None => "Build the sidecar image from sqsd/ in the eb2ecs repository into a registry your account pulls from (the checklist's step; with --ci github the workflow builds it), and deploy with SqsdImage set to it by digest (REPO@sha256:...), never a tag.".to_string(),
        },
    ).in_phase(Phase::Prepare));
    sidecar_tag(ctx, w);
    let (message, action) = match &w.queue_url {
        Some(url) => (
            format!("the stack keeps the queue of WorkerQueueURL ({url}): senders need no change, but its redrive policy (MaxRetries {}) and retention stay as they are on that queue", w.sqsd.max_retries),
            "Check that the queue's redrive policy sends messages to a dead-letter queue after MaxRetries receives, as EB's did; stop the EB worker before the ECS one starts so they do not both consume it.".to_string(),
        ),
        None => (
            format!("EB created the worker queue; the stack creates a new one (WorkerQueue, retention {}s, visibility {}s) and its dead-letter queue (after MaxRetries {} receives)", w.sqsd.retention_period, w.sqsd.visibility_timeout, w.sqsd.max_retries),
            format!("Point every sender at the stack's WorkerQueueUrl output (and replace {QUEUE_URL_PLACEHOLDER} in task-definition.json if you deploy it by hand); drain the EB queue before deleting the environment."),
        ),
    };
    ctx.push(
        Finding::new(
            codes::WORKER_QUEUE,
            Severity::Warning,
            src.clone(),
            message,
            action,
        )
        .in_phase(Phase::Deploy),
    );
    ctx.push(Finding::new(
        codes::WORKER_VISIBILITY,
        Severity::Warning,
        Source::new("EB settings", format!("{SQSD}:VisibilityTimeout")),
        format!("a message stays hidden for VisibilityTimeout {}s while the application handles it (the sidecar gives up after InactivityTimeout {}s); a slower request is delivered again. While a request is in flight the sidecar holds the task's scale-in protection, so scaling in never stops a busy task; a deployment or a replacement does, and then the sidecar stops receiving and gets {SIDECAR_STOP_TIMEOUT}s (its stopTimeout, ECS's maximum on Fargate) to finish what it holds, the application stopping after it{}", w.sqsd.visibility_timeout, w.sqsd.inactivity_timeout,
            if w.sqsd.inactivity_timeout > SIDECAR_STOP_TIMEOUT { format!(": a job longer than {SIDECAR_STOP_TIMEOUT}s (InactivityTimeout allows {}s) is cut off and delivered again after its visibility timeout", w.sqsd.inactivity_timeout) } else { String::new() }),
        if w.sqsd.inactivity_timeout > SIDECAR_STOP_TIMEOUT {
            "Check the application's longest processing time against both timeouts; make jobs longer than the drain time safe to run twice (idempotent), or split them."
        } else {
            "Check the application's longest processing time against both timeouts."
        },
    ).in_phase(Phase::Verify));
    ctx.push(Finding::new(
        codes::WORKER_SCALING,
        Severity::Info,
        src,
        format!("the service also scales on the queue's backlog per task ((visible + in-flight messages) / running tasks, target {}) between EB's MinSize and MaxSize; it reads Container Insights' RunningTaskCount, which the stack's cluster has on", backlog_target(w)),
        "Set the target to the backlog one task clears in an acceptable time; on an existing cluster turn on Container Insights.",
    ).in_phase(Phase::Verify));
}

/// The backlog per task the service scales to: what one task has in flight (HttpConnections),
/// at least 10.
pub fn backlog_target(w: &Worker) -> u32 {
    w.sqsd.http_connections.max(10)
}

/// The sidecar container: polls the queue and POSTs to the application on localhost (through a
/// link on the EC2 launch type's bridge network).
pub fn sidecar(
    ctx: &Ctx,
    w: &Worker,
    log: ecs::LogConfiguration,
    app_healthy: bool,
) -> ecs::ContainerDefinition {
    let awsvpc = ctx.launch_type == LaunchType::Fargate;
    let host = if awsvpc {
        "localhost"
    } else {
        w.app_container.as_str()
    };
    use crate::sqsd_options as opts;
    let o = &w.sqsd;
    let queue = w.queue_url.as_deref().unwrap_or(QUEUE_URL_PLACEHOLDER);
    let mut env = vec![
        ("SQSD_APP_URL", format!("http://{host}:{}", w.app_port)),
        (opts::CONNECT_TIMEOUT.env, o.connect_timeout.to_string()),
        (
            opts::ERROR_VISIBILITY_TIMEOUT.env,
            o.error_visibility_timeout.to_string(),
        ),
        (opts::HTTP_CONNECTIONS.env, o.http_connections.to_string()),
        (opts::HTTP_PATH.env, o.http_path.clone()),
        (
            opts::INACTIVITY_TIMEOUT.env,
            o.inactivity_timeout.to_string(),
        ),
        (opts::MAX_RETRIES.env, o.max_retries.to_string()),
        (opts::MIME_TYPE.env, o.mime_type.clone()),
        ("SQSD_PERIODIC_TASKS", periodic_json(w)),
        ("SQSD_QUEUE_URL", queue.to_string()),
        (opts::RETENTION_PERIOD.env, o.retention_period.to_string()),
        (
            opts::VISIBILITY_TIMEOUT.env,
            o.visibility_timeout.to_string(),
        ),
    ];
    env.sort();
    ecs::ContainerDefinition {
        name: w.sidecar.clone(),
        image: w.image.clone().unwrap_or_else(|| SQSD_IMAGE.to_string()),
        essential: true,
        // No CPU reservation (it shares what the task has); a small memory reservation.
        cpu: None,
        memory_reservation: Some(64),
        links: if awsvpc {
            vec![]
        } else {
            vec![w.app_container.clone()]
        },
        environment: env
            .into_iter()
            .map(|(name, value)| ecs::KeyValue {
                name: name.to_string(),
                value,
            })
            .collect(),
        // POST only once the application answers: HEALTHY when it has a container health
        // check (else every receive before it listens burns a try toward the dead-letter queue).
        depends_on: vec![ecs::DependsOn {
            container_name: w.app_container.clone(),
            condition: if app_healthy { "HEALTHY" } else { "START" }.to_string(),
        }],
        // ECS stops the sidecar before the application (it depends on it): the sidecar stops
        // receiving on SIGTERM and drains what is in flight, for up to the Fargate maximum.
        stop_timeout: Some(SIDECAR_STOP_TIMEOUT),
        log_configuration: Some(log),
        ..Default::default()
    }
}

/// Seconds ECS waits for the sidecar to drain after SIGTERM (Fargate's maximum).
pub const SIDECAR_STOP_TIMEOUT: u32 = 120;

/// `{"task name": "url", ...}`: where the sidecar POSTs each periodic task's message.
fn periodic_json(w: &Worker) -> String {
    let map: serde_json::Map<String, serde_json::Value> = w
        .periodic
        .iter()
        .map(|t| (t.name.clone(), serde_json::Value::String(t.url.clone())))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// The periodic tasks of `cron.yaml`; every entry that cannot be converted is a finding naming
/// its line.
fn periodic_tasks(ctx: &mut Ctx, text: &str) -> Vec<PeriodicTask> {
    // The loader refused a cron.yaml too deep or too large; the same guarded parser reads it.
    let doc: serde_yaml_ng::Value = match crate::load::guard::yaml("cron.yaml", text) {
        Ok(d) => d,
        Err(e) => {
            invalid(ctx, 1, format!("is not YAML ({e})"));
            return Vec::new();
        }
    };
    let version = doc.get("version").map(yaml_text);
    if version.as_deref() != Some("1") {
        let line = line_of(text, "version:").unwrap_or(1);
        invalid(
            ctx,
            line,
            format!(
                "has version {}; EB reads only `version: 1`",
                version.as_deref().unwrap_or("(none)")
            ),
        );
        return Vec::new();
    }
    let Some(entries) = doc.get("cron").and_then(|c| c.as_sequence()) else {
        invalid(
            ctx,
            line_of(text, "cron:").unwrap_or(1),
            "has no `cron:` list of tasks".to_string(),
        );
        return Vec::new();
    };
    let lines = entry_lines(text);
    let mut tasks: Vec<PeriodicTask> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1);
        if let Some(t) = entry(ctx, e, line, &tasks) {
            tasks.push(t);
        }
    }
    tasks
}

/// One entry, or a finding saying why it is not converted.
fn entry(
    ctx: &mut Ctx,
    e: &serde_yaml_ng::Value,
    line: usize,
    done: &[PeriodicTask],
) -> Option<PeriodicTask> {
    let field = |k: &str| e.get(k).map(yaml_text).filter(|v| !v.trim().is_empty());
    let (Some(name), Some(url), Some(schedule)) = (field("name"), field("url"), field("schedule"))
    else {
        let missing: Vec<&str> = ["name", "url", "schedule"]
            .into_iter()
            .filter(|k| field(k).is_none())
            .collect();
        invalid(ctx, line, format!("entry has no {}", missing.join(", ")));
        return None;
    };
    if done.iter().any(|t| t.name == name) {
        invalid(
            ctx,
            line,
            format!("task `{name}` is defined twice; the first is kept"),
        );
        return None;
    }
    if !url.starts_with('/') || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        let why = format!("task `{name}` has url {url:?}, not a path starting with `/`");
        invalid(ctx, line, why);
        return None;
    }
    match cron::to_eventbridge(&schedule) {
        Ok((expressions, split)) => {
            scheduled(ctx, line, &name, &schedule, &expressions, split);
            Some(PeriodicTask {
                name,
                url,
                schedule,
                expressions,
            })
        }
        Err(why) => {
            invalid(
                ctx,
                line,
                format!("task `{name}`: schedule `{schedule}` {why}"),
            );
            None
        }
    }
}

fn scheduled(
    ctx: &mut Ctx,
    line: usize,
    name: &str,
    schedule: &str,
    expressions: &[String],
    split: bool,
) {
    let src = Source::new(CRON_FILE, format!("line {line}"));
    let list = expressions.join(" and ");
    if split {
        ctx.push(Finding::new(
            codes::CRON_DAY_OR,
            Severity::Warning,
            src.clone(),
            format!("task `{name}`: `{schedule}` restricts both the day of the month and the day of the week, which Unix cron reads as either; EventBridge cannot, so it gets two schedules: {list}"),
            "Check that both schedules are meant (on a day that matches both, the task runs twice).",
        ).in_phase(Phase::Verify));
    }
    ctx.push(Finding::new(
        codes::CRON_SCHEDULE,
        Severity::Info,
        src,
        format!("task `{name}` (`{schedule}`, UTC) becomes EventBridge Scheduler {list} sending its message to the worker queue; the sidecar POSTs it to the task's url"),
        "Disable the EB environment's periodic tasks (or the environment) when the ECS schedules start, or each task runs twice.",
    ).in_phase(Phase::Deploy));
}

fn invalid(ctx: &mut Ctx, line: usize, why: String) {
    ctx.push(Finding::new(
        codes::CRON_INVALID,
        Severity::Warning,
        Source::new(CRON_FILE, format!("line {line}")),
        format!("cron.yaml {why}; it is not scheduled"),
        "Fix cron.yaml (version: 1; each entry a name, a url path and a five-field cron schedule) and run eb2ecs again.",
    ));
}

/// A scalar as text (`1` and `"1"` alike).
fn yaml_text(v: &serde_yaml_ng::Value) -> String {
    match v {
        serde_yaml_ng::Value::String(s) => s.clone(),
        serde_yaml_ng::Value::Number(n) => n.to_string(),
        serde_yaml_ng::Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// The first line (1-based) whose text starts with `key`.
fn line_of(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim_start().starts_with(key))
        .map(|i| i + 1)
}

/// The line of each list item after `cron:` (a best effort: YAML values carry no positions).
fn entry_lines(text: &str) -> Vec<usize> {
    let start = line_of(text, "cron:").unwrap_or(0);
    text.lines()
        .enumerate()
        .skip(start)
        .filter(|(_, l)| l.trim_start().starts_with('-'))
        .map(|(i, _)| i + 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::tests_support::{ctx, settings};
    use crate::model::LaunchType;

    fn app() -> LbTarget {
        LbTarget {
            container: "web".into(),
            port: 8080,
        }
    }

    fn cron(text: &str) -> Vec<SourceFile> {
        vec![SourceFile {
            path: CRON_FILE.into(),
            text: text.into(),
        }]
    }

    fn codes_of(c: &Ctx) -> Vec<&'static str> {
        c.report_order().iter().map(|f| f.code.as_str()).collect()
    }

    /// A worker with every sqsd option set, checked against the model.
    fn every_option() -> (Ctx, Worker) {
        let s = settings(&[
            (
                SQSD,
                "WorkerQueueURL",
                "https://eu-west-1.queue.amazonaws.com/123456789012/jobs",
            ),
            (SQSD, "HttpPath", "/work"),
            (SQSD, "MimeType", "text/plain"),
            (SQSD, "HttpConnections", "7"),
            (SQSD, "ConnectTimeout", "3"),
            (SQSD, "InactivityTimeout", "100"),
            (SQSD, "VisibilityTimeout", "200"),
            (SQSD, "ErrorVisibilityTimeout", "9"),
            (SQSD, "RetentionPeriod", "3600"),
            (SQSD, "MaxRetries", "4"),
        ]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        let w = worker(&mut c, &m, Tier::Worker, &[], Some(&app())).expect("a worker");
        assert_eq!(
            w.queue_url.as_deref(),
            Some("https://sqs.eu-west-1.amazonaws.com/123456789012/jobs")
        );
        let o = &w.sqsd;
        assert_eq!(
            (o.http_path.as_str(), o.mime_type.as_str()),
            ("/work", "text/plain")
        );
        assert_eq!(
            (o.http_connections, o.connect_timeout, o.inactivity_timeout),
            (7, 3, 100)
        );
        assert_eq!((o.visibility_timeout, o.error_visibility_timeout), (200, 9));
        assert_eq!((o.retention_period, o.max_retries), (3600, 4));
        assert_eq!(
            codes_of(&c),
            [
                "WORKER-TIER",
                "WORKER-QUEUE",
                "WORKER-VISIBILITY",
                "WORKER-SCALING"
            ]
        );
        (c, w)
    }

    /// Every sqsd option reaches the model (EB's legacy queue URL in its current form).
    #[test]
    fn every_sqsd_option_is_read() {
        every_option();
    }

    /// Every sqsd option reaches the sidecar's environment.
    #[test]
    fn every_sqsd_option_configures_the_sidecar() {
        let (c, w) = every_option();
        let def = sidecar(
            &c,
            &w,
            crate::convert::containers::awslogs(&c, SIDECAR),
            false,
        );
        let env: std::collections::BTreeMap<_, _> = def
            .environment
            .iter()
            .map(|kv| (kv.name.as_str(), kv.value.as_str()))
            .collect();
        for (k, v) in [
            (
                "SQSD_QUEUE_URL",
                "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs",
            ),
            ("SQSD_HTTP_PATH", "/work"),
            ("SQSD_MIME_TYPE", "text/plain"),
            ("SQSD_HTTP_CONNECTIONS", "7"),
            ("SQSD_CONNECT_TIMEOUT", "3"),
            ("SQSD_INACTIVITY_TIMEOUT", "100"),
            ("SQSD_VISIBILITY_TIMEOUT", "200"),
            ("SQSD_ERROR_VISIBILITY_TIMEOUT", "9"),
            ("SQSD_RETENTION_PERIOD", "3600"),
            ("SQSD_MAX_RETRIES", "4"),
            ("SQSD_APP_URL", "http://localhost:8080"),
            ("SQSD_PERIODIC_TASKS", "{}"),
        ] {
            assert_eq!(env.get(k).copied(), Some(v), "{k}");
        }
        assert!(def.links.is_empty());
    }

    /// The queue EB created goes with the EB environment: the stack creates its own.
    #[test]
    fn eb_s_own_queue_is_not_kept() {
        let url = "https://sqs.eu-west-1.amazonaws.com/123456789012/awseb-e-abcd1234-stack-AWSEBWorkerQueue-1A2B3C4D5E6F";
        let s = settings(&[(SQSD, "WorkerQueueURL", url)]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        let w = worker(&mut c, &m, Tier::Worker, &[], Some(&app())).expect("a worker");
        assert_eq!(w.queue_url, None);
        let f = c
            .report_order()
            .into_iter()
            .find(|f| f.code == codes::WORKER_QUEUE && f.message.contains("AWSEBWorkerQueue"))
            .expect("a finding about EB's queue");
        assert_eq!(f.phase, Phase::CutOver);
        assert!(f.action.contains("get-queue-attributes"), "{}", f.action);
        // A queue the team made stays.
        let s = settings(&[(
            SQSD,
            "WorkerQueueURL",
            "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs",
        )]);
        let mut c = ctx(LaunchType::Fargate);
        let w =
            worker(&mut c, &Mapper::new(&s), Tier::Worker, &[], Some(&app())).expect("a worker");
        assert!(w.queue_url.is_some());
    }

    /// On EC2's bridge network the sidecar reaches the application through a link.
    #[test]
    fn on_ec2_the_sidecar_links_to_the_application() {
        let s = settings(&[]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Ec2);
        let w = worker(&mut c, &m, Tier::Worker, &[], Some(&app())).expect("a worker");
        assert_eq!(w.queue_url, None);
        assert_eq!((w.sqsd.max_retries, w.sqsd.visibility_timeout), (10, 300));
        let def = sidecar(
            &c,
            &w,
            crate::convert::containers::awslogs(&c, SIDECAR),
            false,
        );
        assert_eq!(def.links, ["web"]);
        assert!(def
            .environment
            .iter()
            .any(|kv| kv.name == "SQSD_APP_URL" && kv.value == "http://web:8080"));
    }

    #[test]
    fn cron_entries_become_periodic_tasks_and_bad_ones_findings_with_their_line() {
        let s = settings(&[]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        let files = cron("version: 1\ncron:\n  - name: a\n    url: /a\n    schedule: \"0 1 * * 1\"\n  - name: b\n    url: b\n    schedule: \"@daily\"\n  - name: a\n    url: /x\n    schedule: \"@daily\"\n");
        let w = worker(&mut c, &m, Tier::Worker, &files, Some(&app())).expect("a worker");
        assert_eq!(
            w.periodic,
            [PeriodicTask {
                name: "a".into(),
                url: "/a".into(),
                schedule: "0 1 * * 1".into(),
                expressions: vec!["cron(0 1 ? * MON *)".into()],
            }]
        );
        let bad: Vec<_> = c
            .report_order()
            .into_iter()
            .filter(|f| f.code == codes::CRON_INVALID)
            .map(|f| f.source.location)
            .collect();
        assert_eq!(bad, ["line 6", "line 9"]);
    }

    #[test]
    fn cron_yaml_of_another_version_or_a_web_server_is_a_finding() {
        let s = settings(&[]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        let w = worker(
            &mut c,
            &m,
            Tier::Worker,
            &cron("version: 2\ncron: []\n"),
            Some(&app()),
        );
        assert!(w.expect("a worker").periodic.is_empty());
        assert!(codes_of(&c).contains(&"CRON-INVALID"));
        let mut c = ctx(LaunchType::Fargate);
        assert_eq!(
            worker(
                &mut c,
                &m,
                Tier::WebServer,
                &cron("version: 1\n"),
                Some(&app())
            ),
            None
        );
        assert_eq!(codes_of(&c), ["CRON-NOT-WORKER"]);
    }

    #[test]
    fn queue_urls() {
        for (given, want) in [
            (
                "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                Some("https://sqs.us-east-1.amazonaws.com/123456789012/q"),
            ),
            (
                "https://queue.amazonaws.com/123456789012/q",
                Some("https://sqs.us-east-1.amazonaws.com/123456789012/q"),
            ),
            (
                "https://cn-north-1.queue.amazonaws.com.cn/123456789012/q.fifo",
                Some("https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q.fifo"),
            ),
            ("https://sqs.us-east-1.amazonaws.com/12345/q", None),
            ("https://example.com/123456789012/q", None),
            ("arn:aws:sqs:us-east-1:123456789012:q", None),
        ] {
            assert_eq!(queue_url(given).as_deref(), want, "{given}");
        }
    }
}
