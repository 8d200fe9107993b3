//! The message -> request mapping and the delete / retry decision, on literal inputs.

use super::*;

fn env(pairs: &[(&str, &str)]) -> Config {
    let map: BTreeMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_env(|k| map.get(k).cloned()).expect("config")
}

fn cfg() -> Config {
    env(&[
        (
            "SQSD_QUEUE_URL",
            "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs",
        ),
        ("SQSD_APP_URL", "http://localhost:8080"),
        ("SQSD_HTTP_PATH", "/work"),
        ("SQSD_MIME_TYPE", "text/plain"),
        ("SQSD_ERROR_VISIBILITY_TIMEOUT", "30"),
        ("SQSD_RETENTION_PERIOD", "60"),
        ("SQSD_PERIODIC_TASKS", r#"{"nightly":"/tasks/nightly"}"#),
    ])
}

fn header<'a>(r: &'a Request, name: &str) -> Option<&'a str> {
    r.headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn every_variable_is_read_with_ebs_defaults() {
    let c = env(&[("SQSD_QUEUE_URL", "https://q/1/jobs")]);
    assert_eq!(
        (c.app_host.as_str(), c.app_port, c.http_path.as_str()),
        ("localhost", 80, "/")
    );
    assert_eq!(
        (c.mime_type.as_str(), c.http_connections),
        ("application/json", 50)
    );
    assert_eq!(
        (
            c.connect_timeout,
            c.inactivity_timeout,
            c.visibility_timeout
        ),
        (5, 299, 300)
    );
    assert_eq!(
        (
            c.error_visibility_timeout,
            c.retention_period,
            c.max_retries
        ),
        (2, 345_600, 10)
    );
    let c = cfg();
    assert_eq!(
        (c.app_port, c.http_path.as_str(), c.error_visibility_timeout),
        (8080, "/work", 30)
    );
    assert_eq!(
        c.periodic_tasks.get("nightly").map(String::as_str),
        Some("/tasks/nightly")
    );
    assert!(Config::from_env(|_| None).is_err());
    let bad = |k: &'static str, v: &'static str| {
        Config::from_env(move |x| match x {
            "SQSD_QUEUE_URL" => Some("q".into()),
            _ if x == k => Some(v.into()),
            _ => None,
        })
    };
    assert!(bad("SQSD_CONNECT_TIMEOUT", "soon").is_err());
    assert!(bad("SQSD_PERIODIC_TASKS", "[1]").is_err());
    assert!(bad("SQSD_APP_URL", "https://x:1").is_err());
}

#[test]
fn a_message_is_posted_to_http_path_with_sqsd_headers() {
    let m = Message {
        id: "m-1".into(),
        body: "{\"a\":1}".into(),
        receive_count: "2".into(),
        first_received_at: Some(1_700_000_000_000),
        sent_at: Some(1_699_999_999_000),
        sender_id: "AIDA".into(),
        attributes: [
            ("color".to_string(), "blue".to_string()),
            ("bad name".to_string(), "x".to_string()),
            ("evil".to_string(), "a\r\nX: y".to_string()),
        ]
        .into(),
    };
    let r = request(&cfg(), &m).expect("request");
    assert_eq!((r.path.as_str(), r.body.as_str()), ("/work", "{\"a\":1}"));
    for (n, v) in [
        ("Content-Type", "text/plain"),
        ("X-Aws-Sqsd-Msgid", "m-1"),
        ("X-Aws-Sqsd-Queue", "jobs"),
        ("X-Aws-Sqsd-Receive-Count", "2"),
        ("X-Aws-Sqsd-Sender-Id", "AIDA"),
        ("X-Aws-Sqsd-First-Received-At", "2023-11-14T22:13:20Z"),
        ("X-Aws-Sqsd-Sent-At", "2023-11-14T22:13:19Z"),
        ("X-Aws-Sqsd-Path", "/work"),
        ("X-Aws-Sqsd-Attr-color", "blue"),
    ] {
        assert_eq!(header(&r, n), Some(v), "{n}");
    }
    assert_eq!(header(&r, "X-Aws-Sqsd-Taskname"), None);
    assert!(
        r.headers
            .iter()
            .all(|(n, v)| !n.contains(' ') && !v.contains('\n')),
        "{:?}",
        r.headers
    );
}

#[test]
fn a_periodic_task_is_posted_to_its_url_with_its_name() {
    let mut m = Message {
        id: "m-2".into(),
        body: "elasticbeanstalk scheduled job".into(),
        ..Message::default()
    };
    m.attributes
        .insert(TASK_NAME_ATTRIBUTE.into(), "nightly".into());
    m.attributes.insert(
        SCHEDULED_TIME_ATTRIBUTE.into(),
        "2026-01-01T03:00:00Z".into(),
    );
    let r = request(&cfg(), &m).expect("request");
    assert_eq!(r.path, "/tasks/nightly");
    assert_eq!(header(&r, "X-Aws-Sqsd-Taskname"), Some("nightly"));
    assert_eq!(
        header(&r, "X-Aws-Sqsd-Scheduled-At"),
        Some("2026-01-01T03:00:00Z")
    );
    assert_eq!(header(&r, "X-Aws-Sqsd-Path"), Some("/tasks/nightly"));
    assert!(!r
        .headers
        .iter()
        .any(|(n, _)| n.starts_with("X-Aws-Sqsd-Attr-beanstalk")));
    m.attributes
        .insert(TASK_NAME_ATTRIBUTE.into(), "unknown".into());
    assert!(request(&cfg(), &m).is_err());
}

#[test]
fn only_a_200_deletes() {
    let c = cfg();
    assert_eq!(decide(&c, Some(200)), Outcome::Delete);
    for s in [Some(201), Some(204), Some(302), Some(404), Some(500), None] {
        assert_eq!(decide(&c, s), Outcome::Retry(30), "{s:?}");
    }
    assert!(expired(&c, Some(0), 61_000));
    assert!(!expired(&c, Some(0), 60_000));
    assert!(!expired(&c, None, i64::MAX));
}

#[test]
fn the_request_bytes_and_the_status_line() {
    let r = Request {
        path: "/p".into(),
        headers: vec![("X-A".into(), "1".into())],
        body: "hé".into(),
    };
    let text = String::from_utf8(http::encode("localhost", 8080, &r)).expect("utf-8");
    assert_eq!(text, "POST /p HTTP/1.1\r\nHost: localhost:8080\r\nX-A: 1\r\nContent-Length: 3\r\nConnection: close\r\n\r\nhé");
    assert_eq!(http::status(b"HTTP/1.1 200 OK\r\n"), Some(200));
    assert_eq!(http::status(b"HTTP/1.0 503 Busy\r\n"), Some(503));
    assert_eq!(http::status(b"garbage"), None);
}

#[test]
fn the_region_comes_from_the_queue_url() {
    for (url, region) in [
        (
            "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs",
            Some("eu-west-1"),
        ),
        (
            "https://sqs.us-gov-west-1.amazonaws.com/1/q",
            Some("us-gov-west-1"),
        ),
        (
            "https://ap-southeast-2.queue.amazonaws.com/1/q",
            Some("ap-southeast-2"),
        ),
        (
            "https://sqs.cn-north-1.amazonaws.com.cn/1/q",
            Some("cn-north-1"),
        ),
        (
            "https://sqs-fips.us-east-1.amazonaws.com/1/q",
            Some("us-east-1"),
        ),
        ("http://127.0.0.1:4566/000000000000/jobs", None),
        ("https://sqs.amazonaws.com/1/q", None),
        ("https://example.com/sqs.eu-west-1.amazonaws.com", None),
        ("WORKER_QUEUE_URL", None),
    ] {
        assert_eq!(region_of(url).as_deref(), region, "{url}");
    }
}

#[test]
fn protection_lasts_past_the_visibility_timeout_within_ecs_limits() {
    use crate::protection::{agent, body, minutes};
    assert_eq!(minutes(300), 6);
    assert_eq!(minutes(0), 1);
    assert_eq!(minutes(43_200), 721);
    assert_eq!(minutes(i32::MAX), 2880);
    assert_eq!(
        body(true, 6),
        r#"{"ProtectionEnabled":true,"ExpiresInMinutes":6}"#
    );
    assert_eq!(body(false, 6), r#"{"ProtectionEnabled":false}"#);
    assert_eq!(
        agent("http://169.254.170.2/api/abc-123"),
        Some((
            "169.254.170.2".to_string(),
            80,
            "/api/abc-123/task-protection/v1/state".to_string()
        ))
    );
    assert_eq!(
        agent("http://127.0.0.1:5000/api/t/"),
        Some((
            "127.0.0.1".to_string(),
            5000,
            "/api/t/task-protection/v1/state".to_string()
        ))
    );
    assert_eq!(agent("https://x/api"), None);
    assert_eq!(agent(""), None);
}
