//! What EB's sqsd daemon did, as plain functions: the configuration from `SQSD_*` environment
//! variables named after the `aws:elasticbeanstalk:sqsd` options ([`Config`]), the HTTP request
//! each SQS message becomes ([`request`]: path, `X-Aws-Sqsd-*` headers, body), what happens to
//! the message after the application answered ([`decide`]: 200 deletes it, anything else makes
//! it visible again after `ErrorVisibilityTimeout`), and the POST itself ([`http::post`]).
//! Also what ECS needs of a sidecar: the queue's region from its URL ([`region_of`]) and
//! task scale-in protection while a message is in flight ([`protection`]).

pub mod http;
/// The sqsd options, their variables and EB's defaults: the very file eb2ecs converts by.
#[path = "../../src/sqsd_options.rs"]
pub mod options;
pub mod protection;

use std::collections::BTreeMap;

/// The message attribute that marks a periodic task's message (its `cron.yaml` name).
pub const TASK_NAME_ATTRIBUTE: &str = "beanstalk.sqsd.task_name";
/// The message attribute with the time the schedule fired.
pub const SCHEDULED_TIME_ATTRIBUTE: &str = "beanstalk.sqsd.scheduled_time";

/// The daemon's configuration (EB's defaults where a variable is not set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// `SQSD_QUEUE_URL` (required).
    pub queue_url: String,
    /// `SQSD_APP_URL`: where the application listens, `http://HOST:PORT` (default
    /// `http://localhost:80`).
    pub app_host: String,
    /// The application's port.
    pub app_port: u16,
    /// `SQSD_HTTP_PATH` (default `/`).
    pub http_path: String,
    /// `SQSD_MIME_TYPE` (default `application/json`).
    pub mime_type: String,
    /// `SQSD_HTTP_CONNECTIONS` (default 50): messages in flight at once.
    pub http_connections: u32,
    /// `SQSD_CONNECT_TIMEOUT` seconds (default 5).
    pub connect_timeout: u64,
    /// `SQSD_INACTIVITY_TIMEOUT` seconds (default 299).
    pub inactivity_timeout: u64,
    /// `SQSD_VISIBILITY_TIMEOUT` seconds (default 300).
    pub visibility_timeout: i32,
    /// `SQSD_ERROR_VISIBILITY_TIMEOUT` seconds (default 2).
    pub error_visibility_timeout: i32,
    /// `SQSD_RETENTION_PERIOD` seconds (default 345600): older messages are deleted unsent.
    pub retention_period: u64,
    /// `SQSD_MAX_RETRIES` (default 10; the queue's redrive policy enforces it).
    pub max_retries: u32,
    /// `SQSD_PERIODIC_TASKS`: `{"task name": "url"}` from cron.yaml.
    pub periodic_tasks: BTreeMap<String, String>,
}

impl Config {
    /// The configuration from environment variables (`get` returns a variable's value).
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
        let queue_url = get("SQSD_QUEUE_URL").ok_or("SQSD_QUEUE_URL is not set")?;
        let app = get("SQSD_APP_URL").unwrap_or_else(|| "http://localhost:80".to_string());
        let (app_host, app_port) = app_address(&app)?;
        let text = |k: &str, d: &str| get(k).unwrap_or_else(|| d.to_string());
        use options as o;
        let num = |opt: o::SqsdOption| -> Result<u64, String> {
            let (k, d) = (opt.env, opt.default_number());
            get(k).map_or(Ok(d), |v| {
                v.trim()
                    .parse()
                    .map_err(|_| format!("{k}={v:?} is not a whole number"))
            })
        };
        let periodic_tasks = match get("SQSD_PERIODIC_TASKS") {
            Some(j) if !j.trim().is_empty() => serde_json::from_str(&j).map_err(|e| {
                format!("SQSD_PERIODIC_TASKS is not a JSON object of names to urls: {e}")
            })?,
            _ => BTreeMap::new(),
        };
        let small = |v: u64, k: &str| i32::try_from(v).map_err(|_| format!("{k} is too large"));
        Ok(Config {
            queue_url,
            app_host,
            app_port,
            http_path: text(o::HTTP_PATH.env, o::HTTP_PATH.default),
            mime_type: text(o::MIME_TYPE.env, o::MIME_TYPE.default),
            http_connections: num(o::HTTP_CONNECTIONS)?.clamp(1, 100) as u32,
            connect_timeout: num(o::CONNECT_TIMEOUT)?,
            inactivity_timeout: num(o::INACTIVITY_TIMEOUT)?,
            visibility_timeout: small(num(o::VISIBILITY_TIMEOUT)?, o::VISIBILITY_TIMEOUT.env)?,
            error_visibility_timeout: small(
                num(o::ERROR_VISIBILITY_TIMEOUT)?,
                o::ERROR_VISIBILITY_TIMEOUT.env,
            )?,
            retention_period: num(o::RETENTION_PERIOD)?,
            max_retries: num(o::MAX_RETRIES)? as u32,
            periodic_tasks,
        })
    }

    /// The queue's name (the last part of its URL), for `X-Aws-Sqsd-Queue`.
    pub fn queue_name(&self) -> &str {
        self.queue_url.rsplit('/').next().unwrap_or("")
    }
}

/// The region of an SQS queue URL (`https://sqs.REGION.amazonaws.com/...`, the legacy
/// `https://REGION.queue.amazonaws.com/...`, and the `.amazonaws.com.cn` partition): the queue
/// lives there, whatever region the task's environment names.
pub fn region_of(queue_url: &str) -> Option<String> {
    let rest = queue_url.split_once("://").map_or(queue_url, |(_, r)| r);
    let host = rest.split(['/', ':']).next()?.to_ascii_lowercase();
    let host = host
        .strip_suffix(".amazonaws.com")
        .or_else(|| host.strip_suffix(".amazonaws.com.cn"))?;
    let region = match host.split('.').collect::<Vec<_>>().as_slice() {
        ["sqs", region] | [region, "queue"] | ["sqs-fips", region] => region.to_string(),
        _ => return None,
    };
    let valid = region.split('-').count() >= 3
        && region
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    valid.then_some(region)
}

/// `http://HOST:PORT` as host and port.
fn app_address(url: &str) -> Result<(String, u16), String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("SQSD_APP_URL {url:?} is not http://HOST:PORT"))?;
    let rest = rest.trim_end_matches('/');
    match rest.rsplit_once(':') {
        Some((h, p)) => Ok((
            h.to_string(),
            p.parse()
                .map_err(|_| format!("SQSD_APP_URL {url:?} has a bad port"))?,
        )),
        None => Ok((rest.to_string(), 80)),
    }
}

/// One SQS message, as the daemon needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    /// `MessageId`.
    pub id: String,
    /// `Body`.
    pub body: String,
    /// `ApproximateReceiveCount`.
    pub receive_count: String,
    /// `ApproximateFirstReceiveTimestamp` (epoch milliseconds).
    pub first_received_at: Option<i64>,
    /// `SentTimestamp` (epoch milliseconds).
    pub sent_at: Option<i64>,
    /// `SenderId`.
    pub sender_id: String,
    /// String and number message attributes, by name.
    pub attributes: BTreeMap<String, String>,
}

/// The POST a message becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The path (HttpPath, or a periodic task's url).
    pub path: String,
    /// Headers besides Host, Content-Length and Connection.
    pub headers: Vec<(String, String)>,
    /// The message body, unchanged.
    pub body: String,
}

/// The request for a message, or why it cannot be sent (a periodic task nobody knows).
pub fn request(cfg: &Config, m: &Message) -> Result<Request, String> {
    let mut headers = vec![
        ("Content-Type".to_string(), cfg.mime_type.clone()),
        ("User-Agent".to_string(), "aws-sqsd/eb2ecs".to_string()),
        ("X-Aws-Sqsd-Msgid".to_string(), m.id.clone()),
        ("X-Aws-Sqsd-Queue".to_string(), cfg.queue_name().to_string()),
        (
            "X-Aws-Sqsd-Receive-Count".to_string(),
            m.receive_count.clone(),
        ),
        ("X-Aws-Sqsd-Sender-Id".to_string(), m.sender_id.clone()),
    ];
    if let Some(t) = m.first_received_at {
        headers.push(("X-Aws-Sqsd-First-Received-At".to_string(), iso8601(t)));
    }
    if let Some(t) = m.sent_at {
        headers.push(("X-Aws-Sqsd-Sent-At".to_string(), iso8601(t)));
    }
    let path = match m.attributes.get(TASK_NAME_ATTRIBUTE) {
        Some(task) => {
            let url = cfg
                .periodic_tasks
                .get(task)
                .ok_or_else(|| format!("periodic task {task:?} is not in SQSD_PERIODIC_TASKS"))?;
            headers.push(("X-Aws-Sqsd-Taskname".to_string(), task.clone()));
            if let Some(at) = m.attributes.get(SCHEDULED_TIME_ATTRIBUTE) {
                headers.push(("X-Aws-Sqsd-Scheduled-At".to_string(), at.clone()));
            }
            url.clone()
        }
        None => cfg.http_path.clone(),
    };
    headers.push(("X-Aws-Sqsd-Path".to_string(), path.clone()));
    for (name, value) in &m.attributes {
        if name != TASK_NAME_ATTRIBUTE && name != SCHEDULED_TIME_ATTRIBUTE {
            headers.push((format!("X-Aws-Sqsd-Attr-{name}"), value.clone()));
        }
    }
    // A header that would break the request (a name that is not a token, a line break in a
    // value) is left out.
    headers.retain(|(n, v)| http::is_token(n) && !v.contains(['\r', '\n']));
    Ok(Request {
        path,
        headers,
        body: m.body.clone(),
    })
}

/// What happens to a message after the POST.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 200: the application handled it.
    Delete,
    /// Anything else (another status, no answer, a timeout): visible again after this many
    /// seconds.
    Retry(i32),
}

/// EB's rule: a 200 deletes the message; anything else makes it visible again after
/// `ErrorVisibilityTimeout`.
pub fn decide(cfg: &Config, status: Option<u16>) -> Outcome {
    match status {
        Some(200) => Outcome::Delete,
        _ => Outcome::Retry(cfg.error_visibility_timeout),
    }
}

/// Whether a message sent at `sent_at` (epoch ms) is older than `RetentionPeriod` at `now_ms`.
pub fn expired(cfg: &Config, sent_at: Option<i64>, now_ms: i64) -> bool {
    sent_at.is_some_and(|s| {
        now_ms.saturating_sub(s) > (cfg.retention_period as i64).saturating_mul(1000)
    })
}

/// Epoch milliseconds as `YYYY-MM-DDTHH:MM:SSZ` (what sqsd sent).
pub fn iso8601(ms: i64) -> String {
    aws_smithy_types::DateTime::from_secs(ms.div_euclid(1000))
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
