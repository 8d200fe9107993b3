//! The sidecar's behaviour on ECS, hermetically: the `eb2ecs-sqsd` binary between a fake SQS
//! endpoint (AWS JSON 1.0 on loopback: ReceiveMessage, DeleteMessage, ChangeMessageVisibility),
//! a fake application and a fake ECS agent (task protection), every call logged with its
//! time. It receives only what free HTTP slots can take, waits until the application listens,
//! holds task scale-in protection while a message is in flight, drains and exits 0 on
//! SIGTERM, and takes its region from the queue URL. Runs in plain `cargo test`.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Every call any fake saw, in order, with its time.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<(Instant, String)>>>);

impl Log {
    fn push(&self, what: String) {
        self.0.lock().unwrap().push((Instant::now(), what));
    }
    fn all(&self) -> Vec<(Instant, String)> {
        self.0.lock().unwrap().clone()
    }
    fn names(&self) -> Vec<String> {
        self.all().into_iter().map(|(_, s)| s).collect()
    }
    fn first(&self, prefix: &str) -> Option<Instant> {
        self.all()
            .into_iter()
            .find(|(_, s)| s.starts_with(prefix))
            .map(|(t, _)| t)
    }
    /// Wait until an entry starts with `prefix`; panics with the log after `secs`.
    fn wait_for(&self, prefix: &str, secs: u64) -> Instant {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(t) = self.first(prefix) {
                return t;
            }
            assert!(
                Instant::now() < deadline,
                "no {prefix:?} in {:#?}",
                self.names()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// One HTTP request: method, path, lowercase headers, body.
struct Req {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Req {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// Read one request from a kept-alive connection; `None` at its end.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Req> {
    let mut first = String::new();
    if reader.read_line(&mut first).ok()? == 0 {
        return None;
    }
    let mut parts = first.split_whitespace();
    let (method, path) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 || line == "\r\n" {
            break;
        }
        if let Some((n, v)) = line.split_once(':') {
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let len = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    let body = String::from_utf8_lossy(&body).to_string();
    Some(Req {
        method,
        path,
        headers,
        body,
    })
}

/// How a fake answers a request: status and body.
type Answer = Arc<dyn Fn(&Req) -> (u16, String) + Send + Sync>;

/// Serve `listener` on threads, one per connection, answering each request with `answer`.
fn serve(listener: TcpListener, answer: Answer) {
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let answer = answer.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                while let Some(req) = read_request(&mut reader) {
                    let (status, body) = answer(&req);
                    let head = format!(
                        "HTTP/1.1 {status} X\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\n\r\n",
                        body.len()
                    );
                    let mut s = &stream;
                    if s.write_all(head.as_bytes()).is_err()
                        || s.write_all(body.as_bytes()).is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
}

/// A fake SQS endpoint holding `bodies`; its URL.
fn fake_sqs(log: &Log, bodies: &[&str]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().unwrap());
    let queue: Arc<Mutex<VecDeque<String>>> =
        Arc::new(Mutex::new(bodies.iter().map(|b| b.to_string()).collect()));
    let (log, n) = (log.clone(), Arc::new(Mutex::new(0)));
    serve(
        listener,
        Arc::new(move |req: &Req| {
            let target = req.header("x-amz-target").to_string();
            let body: serde_json::Value = serde_json::from_str(&req.body).unwrap_or_default();
            match target.as_str() {
                "AmazonSQS.ReceiveMessage" => {
                    let max = body["MaxNumberOfMessages"].as_i64().unwrap_or(1);
                    log.push(format!(
                        "receive max={max} auth={}",
                        req.header("authorization")
                    ));
                    let taken: Vec<String> = {
                        let mut q = queue.lock().unwrap();
                        (0..max).filter_map(|_| q.pop_front()).collect()
                    };
                    if taken.is_empty() {
                        std::thread::sleep(Duration::from_millis(300));
                    }
                    let messages: Vec<serde_json::Value> = taken
                        .into_iter()
                        .map(|b| {
                            let mut n = n.lock().unwrap();
                            *n += 1;
                            log.push(format!("received m{n}"));
                            serde_json::json!({
                                "MessageId": format!("m{n}"),
                                "ReceiptHandle": format!("r{n}"),
                                "Body": b,
                                "Attributes": {"ApproximateReceiveCount": "1"},
                            })
                        })
                        .collect();
                    (200, serde_json::json!({ "Messages": messages }).to_string())
                }
                "AmazonSQS.DeleteMessage" => {
                    log.push(format!(
                        "delete {}",
                        body["ReceiptHandle"].as_str().unwrap_or("")
                    ));
                    (200, "{}".to_string())
                }
                other => {
                    log.push(format!("{other} {}", req.body));
                    (200, "{}".to_string())
                }
            }
        }),
    );
    url
}

/// A fake application (or ECS agent) on `listener`: logs `label METHOD PATH BODY` when a
/// request starts and `label done` after answering 200 `delay` later.
fn fake_http(log: &Log, listener: TcpListener, label: &'static str, delay: Duration) {
    let log = log.clone();
    serve(
        listener,
        Arc::new(move |req: &Req| {
            log.push(format!("{label} {} {} {}", req.method, req.path, req.body));
            std::thread::sleep(delay);
            log.push(format!("{label} done"));
            (200, String::new())
        }),
    );
}

fn listener() -> (TcpListener, u16) {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().unwrap().port();
    (l, port)
}

struct Sidecar(Child);
impl Drop for Sidecar {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The sidecar against `sqs`, POSTing to the app on `app_port`; `extra` variables on top.
fn sidecar(sqs: &str, queue: &str, app_port: u16, extra: &[(&str, &str)]) -> Sidecar {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_eb2ecs-sqsd"));
    for k in [
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_PROFILE",
        "ECS_AGENT_URI",
    ] {
        cmd.env_remove(k);
    }
    cmd.env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env("SQSD_ENDPOINT_URL", sqs)
        .env("SQSD_QUEUE_URL", queue)
        .env("SQSD_APP_URL", format!("http://127.0.0.1:{app_port}"))
        .env("SQSD_HTTP_PATH", "/jobs")
        .env("SQSD_ERROR_VISIBILITY_TIMEOUT", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in extra {
        cmd.env(k, v);
    }
    Sidecar(cmd.spawn().expect("sqsd"))
}

const QUEUE: &str = "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs";

#[test]
fn receives_only_what_free_slots_take_and_is_protected_while_a_message_is_in_flight() {
    let log = Log::default();
    let sqs = fake_sqs(&log, &["one", "two"]);
    let (app, app_port) = listener();
    fake_http(&log, app, "app", Duration::from_millis(1500));
    let (agent, agent_port) = listener();
    fake_http(&log, agent, "agent", Duration::ZERO);
    let agent_uri = format!("http://127.0.0.1:{agent_port}/api/task-1");
    let _s = sidecar(
        &sqs,
        QUEUE,
        app_port,
        &[
            ("SQSD_HTTP_CONNECTIONS", "1"),
            ("ECS_AGENT_URI", &agent_uri),
            ("AWS_REGION", "eu-west-1"),
        ],
    );
    log.wait_for("delete r2", 30);
    let names = log.names();
    let at = |s: &str| {
        names
            .iter()
            .position(|n| n.starts_with(s))
            .unwrap_or_else(|| panic!("{s}: {names:#?}"))
    };
    // One free slot: every receive asks for one message, and none is made while it is busy.
    for n in names.iter().filter(|n| n.starts_with("receive ")) {
        assert!(n.starts_with("receive max=1 "), "{n}: {names:#?}");
    }
    let busy = &names[at("received m1")..at("delete r1")];
    assert!(
        !busy.iter().any(|n| n.starts_with("receive ")),
        "{names:#?}"
    );
    // Protected before the POST, released after the delete.
    let on = at(
        r#"agent PUT /api/task-1/task-protection/v1/state {"ProtectionEnabled":true,"ExpiresInMinutes":6}"#,
    );
    let off = at(r#"agent PUT /api/task-1/task-protection/v1/state {"ProtectionEnabled":false}"#);
    assert!(
        on < at("app POST /jobs") && at("delete r1") < off,
        "{names:#?}"
    );
}

#[test]
fn waits_until_the_application_listens_before_receiving() {
    let log = Log::default();
    let sqs = fake_sqs(&log, &["early"]);
    let (app, app_port) = listener();
    drop(app);
    let _s = sidecar(&sqs, QUEUE, app_port, &[("AWS_REGION", "eu-west-1")]);
    std::thread::sleep(Duration::from_secs(3));
    assert!(
        log.first("receive").is_none(),
        "received before the app listened: {:#?}",
        log.names()
    );
    let app = TcpListener::bind(("127.0.0.1", app_port)).expect("rebind the app's port");
    fake_http(&log, app, "app", Duration::ZERO);
    log.wait_for("delete r1", 30);
}

#[test]
fn sigterm_stops_receiving_finishes_the_message_in_flight_and_exits_0() {
    let log = Log::default();
    let sqs = fake_sqs(&log, &["long job"]);
    let (app, app_port) = listener();
    fake_http(&log, app, "app", Duration::from_secs(2));
    let mut s = sidecar(&sqs, QUEUE, app_port, &[("AWS_REGION", "eu-west-1")]);
    log.wait_for("app POST /jobs", 30);
    let pid = s.0.id() as libc::pid_t;
    // SAFETY: kill(2) on the child this test started and still owns.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let sent = Instant::now();
    let status = loop {
        if let Some(status) = s.0.try_wait().expect("wait") {
            break status;
        }
        assert!(
            sent.elapsed() < Duration::from_secs(15),
            "still running 15 s after SIGTERM: {:#?}",
            log.names()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    let deleted = log
        .first("delete r1")
        .expect("the message in flight was deleted");
    assert!(deleted > sent, "{:#?}", log.names());
    let late = log
        .all()
        .into_iter()
        .filter(|(t, n)| n.starts_with("receive") && *t > sent + Duration::from_millis(200))
        .count();
    assert_eq!(late, 0, "received after SIGTERM: {:#?}", log.names());
}

#[test]
fn the_region_comes_from_the_queue_url() {
    let log = Log::default();
    let sqs = fake_sqs(&log, &[]);
    let (app, app_port) = listener();
    fake_http(&log, app, "app", Duration::ZERO);
    let queue = "https://sqs.eu-central-1.amazonaws.com/123456789012/jobs";
    let _s = sidecar(&sqs, queue, app_port, &[]);
    log.wait_for("receive", 30);
    let receive = log
        .names()
        .into_iter()
        .find(|n| n.starts_with("receive"))
        .unwrap();
    assert!(
        receive.contains("/eu-central-1/sqs/aws4_request"),
        "{receive}"
    );
}
