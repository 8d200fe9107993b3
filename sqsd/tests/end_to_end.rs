//! The sidecar end to end: a moto SQS server and a tiny HTTP application on loopback, the
//! `eb2ecs-sqsd` binary between them. A message the application answers 200 is deleted; one it
//! answers 500 comes back (its receive count grows); a periodic task's message is POSTed to the
//! task's url with `X-Aws-Sqsd-Taskname`. It runs in the full suite (`./scripts/test` sets
//! EB2ECS_FULL_SUITE=1) and fails there, saying how to install it, without moto.

use aws_sdk_sqs::types::MessageAttributeValue;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port")
}

/// The application: records each request's first line and headers; `/fail` answers 500.
fn app(seen: Arc<Mutex<Vec<String>>>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut head = String::new();
            let mut len = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
                head.push_str(&line);
            }
            let mut body = vec![0; len];
            let _ = reader.read_exact(&mut body);
            let status = if head.starts_with("POST /fail") {
                "500 Internal Server Error"
            } else {
                "200 OK"
            };
            let _ = (&stream)
                .write_all(format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\n\r\n").as_bytes());
            seen.lock()
                .expect("lock")
                .push(format!("{head}\n{}", String::from_utf8_lossy(&body)));
        }
    });
    port
}

#[tokio::test(flavor = "current_thread")]
async fn messages_reach_the_application_and_only_a_200_deletes() {
    if std::env::var_os("EB2ECS_FULL_SUITE").is_none_or(|v| v.is_empty() || v == "0") {
        eprintln!("not run: needs moto_server (.venv); ./scripts/test runs it (it sets EB2ECS_FULL_SUITE=1)");
        return;
    }
    let moto = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/moto_server");
    assert!(
        moto.exists(),
        "no {}: the end-to-end test needs moto's server (scripts/test installs it into .venv)",
        moto.display()
    );
    let port = free_port();
    let _moto = Kill(
        Command::new(&moto)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto"),
    );
    let endpoint = format!("http://127.0.0.1:{port}");
    std::env::set_var("AWS_ACCESS_KEY_ID", "test");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
    std::env::set_var("AWS_REGION", "eu-west-1");
    let conf = aws_config::from_env().endpoint_url(&endpoint).load().await;
    let sqs = aws_sdk_sqs::Client::new(&conf);
    let start = Instant::now();
    let queue = loop {
        match sqs.create_queue().queue_name("jobs").send().await {
            Ok(q) => break q.queue_url.expect("url"),
            Err(_) if start.elapsed() < Duration::from_secs(20) => {
                tokio::time::sleep(Duration::from_millis(200)).await
            }
            Err(e) => panic!("moto did not start: {e:?}"),
        }
    };
    let seen = Arc::new(Mutex::new(Vec::new()));
    let app_port = app(seen.clone());
    let _sqsd = Kill(
        Command::new(env!("CARGO_BIN_EXE_eb2ecs-sqsd"))
            .env("SQSD_ENDPOINT_URL", &endpoint)
            .env("SQSD_QUEUE_URL", &queue)
            .env("SQSD_APP_URL", format!("http://127.0.0.1:{app_port}"))
            .env("SQSD_HTTP_PATH", "/work")
            .env("SQSD_MIME_TYPE", "text/plain")
            .env("SQSD_VISIBILITY_TIMEOUT", "30")
            .env("SQSD_ERROR_VISIBILITY_TIMEOUT", "0")
            .env(
                "SQSD_PERIODIC_TASKS",
                r#"{"nightly":"/tasks/nightly","broken":"/fail"}"#,
            )
            .spawn()
            .expect("sqsd"),
    );
    let task = |name: &str| {
        MessageAttributeValue::builder()
            .data_type("String")
            .string_value(name)
            .build()
            .expect("attribute")
    };
    sqs.send_message()
        .queue_url(&queue)
        .message_body("hello")
        .message_attributes("color", task("blue"))
        .send()
        .await
        .expect("send");
    sqs.send_message()
        .queue_url(&queue)
        .message_body("scheduled")
        .message_attributes("beanstalk.sqsd.task_name", task("nightly"))
        .send()
        .await
        .expect("send");
    sqs.send_message()
        .queue_url(&queue)
        .message_body("boom")
        .message_attributes("beanstalk.sqsd.task_name", task("broken"))
        .send()
        .await
        .expect("send");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let got = seen.lock().expect("lock").clone();
        let fails = got.iter().filter(|r| r.starts_with("POST /fail")).count();
        let done = got.iter().any(|r| r.starts_with("POST /work"))
            && got.iter().any(|r| r.starts_with("POST /tasks/nightly"));
        if done && fails >= 2 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the application saw only: {got:#?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let got = seen.lock().expect("lock").clone();
    let work = got
        .iter()
        .find(|r| r.starts_with("POST /work"))
        .expect("work");
    for h in [
        "Content-Type: text/plain",
        "X-Aws-Sqsd-Queue: jobs",
        "X-Aws-Sqsd-Attr-color: blue",
        "X-Aws-Sqsd-Receive-Count: 1",
        "X-Aws-Sqsd-Msgid: ",
    ] {
        assert!(work.contains(h), "{h} missing in {work}");
    }
    assert!(work.ends_with("\nhello"), "{work}");
    let nightly = got
        .iter()
        .find(|r| r.starts_with("POST /tasks/nightly"))
        .expect("nightly");
    assert!(
        nightly.contains("X-Aws-Sqsd-Taskname: nightly"),
        "{nightly}"
    );
    let fail: Vec<_> = got.iter().filter(|r| r.starts_with("POST /fail")).collect();
    assert!(
        fail[1].contains("X-Aws-Sqsd-Receive-Count: 2"),
        "{}",
        fail[1]
    );
    assert_eq!(
        got.iter().filter(|r| r.starts_with("POST /work")).count(),
        1,
        "a 200 deletes: {got:#?}"
    );
}
