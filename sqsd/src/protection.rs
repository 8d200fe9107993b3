//! ECS task scale-in protection while a message is in flight: without it, a scale-in (or a
//! deployment) stops the task mid-request and the message comes back only after its
//! visibility timeout. The sidecar asks the ECS agent (`PUT $ECS_AGENT_URI/task-protection/v1/state`,
//! which ECS injects into every container) to protect the task when the first message starts
//! and to release it when the last one ends. Each protection lasts past the visibility timeout
//! (a request cannot legitimately run longer: the message would be delivered again), and is
//! renewed at half its length while messages keep the task busy. Outside ECS (no
//! `ECS_AGENT_URI`) nothing is sent.

use crate::http;
use crate::Request;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// The protection's length for a visibility timeout (seconds): the timeout in whole minutes
/// and one more, within ECS's 1 to 2880 minutes.
pub fn minutes(visibility_timeout: i32) -> u32 {
    let secs = i64::from(visibility_timeout.max(0));
    ((secs + 59) / 60 + 1).clamp(1, 2880) as u32
}

/// The request body that sets the protection.
pub fn body(enabled: bool, minutes: u32) -> String {
    if enabled {
        format!(r#"{{"ProtectionEnabled":true,"ExpiresInMinutes":{minutes}}}"#)
    } else {
        r#"{"ProtectionEnabled":false}"#.to_string()
    }
}

/// The agent's host, port and the task-protection path, from `ECS_AGENT_URI`
/// (`http://169.254.170.2/api/<task>`); `None` when it is not a plain-HTTP URI.
pub fn agent(uri: &str) -> Option<(String, u16, String)> {
    let rest = uri.strip_prefix("http://")?;
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, p.parse().ok()?),
        None => (authority, 80),
    };
    if host.is_empty() {
        return None;
    }
    let path = path.trim_end_matches('/');
    let base = if path.is_empty() {
        String::new()
    } else {
        format!("/{path}")
    };
    Some((
        host.to_string(),
        port,
        format!("{base}/task-protection/v1/state"),
    ))
}

/// Messages in flight and when the protection was last set.
#[derive(Debug, Default)]
struct State {
    in_flight: usize,
    since: Option<Instant>,
}

/// The task's protection, held while any message is in flight.
#[derive(Debug)]
pub struct Protection {
    agent: Option<(String, u16, String)>,
    minutes: u32,
    state: Mutex<State>,
}

impl Protection {
    /// Protection through the agent at `agent_uri` (none: nothing is sent).
    pub fn new(agent_uri: Option<&str>, visibility_timeout: i32) -> Protection {
        Protection {
            agent: agent_uri.and_then(agent),
            minutes: minutes(visibility_timeout),
            state: Mutex::new(State::default()),
        }
    }

    /// A message starts: protect the task if it was not (or renew a protection half gone).
    pub async fn begin(&self) {
        let mut s = self.state.lock().await;
        s.in_flight += 1;
        let half = Duration::from_secs(u64::from(self.minutes) * 30);
        if s.since.is_none_or(|t| t.elapsed() >= half) && self.put(true).await {
            s.since = Some(Instant::now());
        }
    }

    /// A message is settled: release the task when it was the last one.
    pub async fn end(&self) {
        let mut s = self.state.lock().await;
        s.in_flight = s.in_flight.saturating_sub(1);
        if s.in_flight == 0 && s.since.is_some() {
            // Released even if the call fails: the protection expires on its own.
            self.put(false).await;
            s.since = None;
        }
    }

    /// Set the protection; whether the agent answered 2xx.
    async fn put(&self, enabled: bool) -> bool {
        let Some((host, port, path)) = &self.agent else {
            return false;
        };
        let req = Request {
            path: path.clone(),
            headers: vec![("Content-Type".to_string(), "application/json".to_string())],
            body: body(enabled, self.minutes),
        };
        let limits = (Duration::from_secs(2), Duration::from_secs(10));
        let status = http::send("PUT", host, *port, &req, limits).await;
        let ok = status.is_some_and(|s| (200..300).contains(&s));
        if !ok {
            eprintln!(
                "eb2ecs-sqsd: task protection {} failed ({}); the task role needs ecs:UpdateTaskProtection",
                if enabled { "on" } else { "off" },
                status.map_or("no answer".to_string(), |s| s.to_string())
            );
        }
        ok
    }
}
