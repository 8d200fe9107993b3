//! `eb2ecs-sqsd`: EB's worker daemon as a sidecar container. Long-polls the queue, POSTs each
//! message to the application (at most `SQSD_HTTP_CONNECTIONS` at once), deletes it on a 200
//! and otherwise makes it visible again after `SQSD_ERROR_VISIBILITY_TIMEOUT`. Credentials come
//! from the task role; the region from the queue URL's host or the environment.

use aws_sdk_sqs::types::{Message as SqsMessage, MessageSystemAttributeName};
use aws_sdk_sqs::Client;
use eb2ecs_sqsd::{decide, expired, http, request, Config, Message, Outcome};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::Semaphore;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let cfg = match Config::from_env(|k| std::env::var(k).ok()) {
        Ok(c) => Arc::new(c),
        Err(e) => {
            eprintln!("eb2ecs-sqsd: {e}");
            std::process::exit(2);
        }
    };
    let mut loader = aws_config::from_env();
    if let Some(endpoint) = std::env::var("SQSD_ENDPOINT_URL")
        .ok()
        .filter(|e| !e.is_empty())
    {
        loader = loader.endpoint_url(endpoint);
    }
    let client = Client::new(&loader.load().await);
    let slots = Arc::new(Semaphore::new(cfg.http_connections as usize));
    eprintln!(
        "eb2ecs-sqsd: polling {} for {}:{}",
        cfg.queue_url, cfg.app_host, cfg.app_port
    );
    loop {
        let free = slots.available_permits().clamp(1, 10) as i32;
        let received = client
            .receive_message()
            .queue_url(&cfg.queue_url)
            .max_number_of_messages(free)
            .wait_time_seconds(20)
            .visibility_timeout(cfg.visibility_timeout)
            .message_system_attribute_names(MessageSystemAttributeName::All)
            .message_attribute_names("All")
            .send()
            .await;
        let messages = match received {
            Ok(r) => r.messages.unwrap_or_default(),
            Err(e) => {
                eprintln!("eb2ecs-sqsd: receive failed: {e:?}");
                tokio::time::sleep(Duration::from_secs(5)).await;
                continue;
            }
        };
        for m in messages {
            let Ok(permit) = slots.clone().acquire_owned().await else {
                return;
            };
            let (client, cfg) = (client.clone(), cfg.clone());
            tokio::spawn(async move {
                handle(&client, &cfg, m).await;
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
