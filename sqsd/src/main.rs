//! `eb2ecs-sqsd`: EB's worker daemon as a sidecar container. Waits until the application
//! accepts connections, then long-polls the queue for only as many messages as it has free
//! HTTP slots (`SQSD_HTTP_CONNECTIONS`), so no message waits unsent while its visibility
//! timeout runs. POSTs each to the application, deletes it on a 200 and otherwise makes it
//! visible again after `SQSD_ERROR_VISIBILITY_TIMEOUT`. The task is protected from scale-in
//! while a message is in flight. On SIGTERM (ECS stopping the task) it receives nothing more,
//! finishes the messages in flight and exits 0. Credentials come from the task role; the
//! region from the queue URL (else the environment).

use aws_config::Region;
use aws_sdk_sqs::types::{Message as SqsMessage, MessageSystemAttributeName};
use aws_sdk_sqs::Client;
use eb2ecs_sqsd::protection::Protection;
use eb2ecs_sqsd::{decide, expired, http, region_of, request, Config, Message, Outcome};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::signal::unix::{signal, Signal, SignalKind};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let cfg = match Config::from_env(|k| std::env::var(k).ok()) {
        Ok(c) => Arc::new(c),
        Err(e) => {
            eprintln!("eb2ecs-sqsd: {e}");
            std::process::exit(2);
        }
    };
    // PID 1 in its container: without a handler SIGTERM would be ignored until SIGKILL.
    let mut term = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("eb2ecs-sqsd: cannot handle SIGTERM: {e}");
            std::process::exit(2);
        }
    };
    let client = client(&cfg).await;
    let agent = std::env::var("ECS_AGENT_URI")
        .ok()
        .filter(|u| !u.is_empty());
    let protection = Arc::new(Protection::new(agent.as_deref(), cfg.visibility_timeout));
    let slots = Arc::new(Semaphore::new(cfg.http_connections as usize));
    eprintln!(
        "eb2ecs-sqsd: polling {} for {}:{}",
        cfg.queue_url, cfg.app_host, cfg.app_port
    );
    if wait_for_app(&cfg, &mut term).await {
        let worker = Worker {
            client,
            cfg: cfg.clone(),
            protection,
        };
        poll(&worker, &slots, &mut term).await;
    }
    eprintln!("eb2ecs-sqsd: SIGTERM: receiving nothing more, finishing the messages in flight");
    // Every slot back means every message in flight was settled.
    let _ = slots.acquire_many(cfg.http_connections).await;
    eprintln!("eb2ecs-sqsd: drained; exiting");
}

/// What each message's task needs.
#[derive(Clone)]
struct Worker {
    client: Client,
    cfg: Arc<Config>,
    protection: Arc<Protection>,
}

/// The SQS client, in the queue's region (from its URL) unless the URL names none.
async fn client(cfg: &Config) -> Client {
    let mut loader = aws_config::from_env();
    if let Some(region) = region_of(&cfg.queue_url) {
        loader = loader.region(Region::new(region));
    }
    if let Some(endpoint) = std::env::var("SQSD_ENDPOINT_URL")
        .ok()
        .filter(|e| !e.is_empty())
    {
        loader = loader.endpoint_url(endpoint);
    }
    Client::new(&loader.load().await)
}

/// Wait until the application accepts connections (a receive before it listens would only
/// burn the message's receives toward the dead-letter queue); false when SIGTERM came first.
async fn wait_for_app(cfg: &Config, term: &mut Signal) -> bool {
    let connect = Duration::from_secs(cfg.connect_timeout.clamp(1, 5));
    let mut said = false;
    loop {
        if http::listening(&cfg.app_host, cfg.app_port, connect).await {
            return true;
        }
        if !said {
            eprintln!(
                "eb2ecs-sqsd: waiting for the application on {}:{} before receiving",
                cfg.app_host, cfg.app_port
            );
            said = true;
        }
        tokio::select! {
            _ = term.recv() => return false,
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}

/// Free slots, at least one, at most SQS's 10 (waits for the first).
async fn free_slots(
    slots: &Arc<Semaphore>,
    term: &mut Signal,
) -> Option<Vec<OwnedSemaphorePermit>> {
    let first = tokio::select! {
        p = slots.clone().acquire_owned() => p.ok()?,
        _ = term.recv() => return None,
    };
    let mut permits = vec![first];
    while permits.len() < 10 {
        match slots.clone().try_acquire_owned() {
            Ok(p) => permits.push(p),
            Err(_) => break,
        }
    }
    Some(permits)
}

/// Receive what the free slots can take and hand each message to its own task, until SIGTERM.
async fn poll(w: &Worker, slots: &Arc<Semaphore>, term: &mut Signal) {
    loop {
        let Some(mut permits) = free_slots(slots, term).await else {
            return;
        };
        let receive = w
            .client
            .receive_message()
            .queue_url(&w.cfg.queue_url)
            .max_number_of_messages(permits.len() as i32)
            .wait_time_seconds(20)
            .visibility_timeout(w.cfg.visibility_timeout)
            .message_system_attribute_names(MessageSystemAttributeName::All)
            .message_attribute_names("All")
            .send();
        // SIGTERM ends the long poll at once: what SQS had not yet answered stays in the queue.
        let received = tokio::select! {
            r = receive => r,
            _ = term.recv() => return,
        };
        let messages = match received {
            Ok(r) => r.messages.unwrap_or_default(),
            Err(e) => {
                eprintln!("eb2ecs-sqsd: receive failed: {e:?}");
                drop(permits);
                tokio::select! {
                    _ = term.recv() => return,
                    _ = tokio::time::sleep(Duration::from_secs(5)) => continue,
                }
            }
        };
        for m in messages {
            // SQS returns at most the number asked for, one slot each.
            let Some(permit) = permits.pop() else { break };
            let w = w.clone();
            tokio::spawn(async move {
                w.protection.begin().await;
                handle(&w.client, &w.cfg, m).await;
                w.protection.end().await;
                drop(permit);
            });
        }
    }
}

/// POST one message and delete it or make it visible again.
async fn handle(client: &Client, cfg: &Config, m: SqsMessage) {
    let Some(receipt) = m.receipt_handle.clone() else {
        return;
    };
    let msg = message(&m);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    let outcome = if expired(cfg, msg.sent_at, now) {
        eprintln!(
            "eb2ecs-sqsd: {} is older than the retention period; deleted unsent",
            msg.id
        );
        Outcome::Delete
    } else {
        match request(cfg, &msg) {
            Ok(req) => {
                let status = http::post(
                    &cfg.app_host,
                    cfg.app_port,
                    &req,
                    Duration::from_secs(cfg.connect_timeout),
                    Duration::from_secs(cfg.inactivity_timeout),
                )
                .await;
                eprintln!(
                    "eb2ecs-sqsd: {} POST {} -> {}",
                    msg.id,
                    req.path,
                    status.map_or("no answer".to_string(), |s| s.to_string())
                );
                decide(cfg, status)
            }
            Err(e) => {
                eprintln!("eb2ecs-sqsd: {}: {e}", msg.id);
                decide(cfg, None)
            }
        }
    };
    if let Err(e) = settle(client, cfg, receipt, outcome).await {
        eprintln!("eb2ecs-sqsd: {}: {e}", msg.id);
    }
}

/// Delete the message, or make it visible again after the error visibility timeout.
async fn settle(
    client: &Client,
    cfg: &Config,
    receipt: String,
    outcome: Outcome,
) -> Result<(), String> {
    match outcome {
        Outcome::Delete => client
            .delete_message()
            .queue_url(&cfg.queue_url)
            .receipt_handle(receipt)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| format!("{e:?}")),
        Outcome::Retry(secs) => client
            .change_message_visibility()
            .queue_url(&cfg.queue_url)
            .receipt_handle(receipt)
            .visibility_timeout(secs)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| format!("{e:?}")),
    }
}

/// The parts of an SQS message the request needs.
fn message(m: &SqsMessage) -> Message {
    let sys =
        |k: MessageSystemAttributeName| m.attributes.as_ref().and_then(|a| a.get(&k)).cloned();
    let ms = |k| sys(k).and_then(|v| v.parse().ok());
    Message {
        id: m.message_id.clone().unwrap_or_default(),
        body: m.body.clone().unwrap_or_default(),
        receive_count: sys(MessageSystemAttributeName::ApproximateReceiveCount).unwrap_or_default(),
        first_received_at: ms(MessageSystemAttributeName::ApproximateFirstReceiveTimestamp),
        sent_at: ms(MessageSystemAttributeName::SentTimestamp),
        sender_id: sys(MessageSystemAttributeName::SenderId).unwrap_or_default(),
        attributes: m
            .message_attributes
            .iter()
            .flatten()
            .filter_map(|(k, v)| v.string_value.clone().map(|s| (k.clone(), s)))
            .collect(),
    }
}
