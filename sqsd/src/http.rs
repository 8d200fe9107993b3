//! The POST to the application: plain HTTP/1.1 to a host and port the task itself runs
//! (`localhost` on awsvpc, a linked container on bridge), one connection per message
//! (`Connection: close`), the status line read back. The same shape serves the `PUT` to the
//! ECS agent's task-protection endpoint (plain HTTP on the task's link-local address). Written on tokio's TCP stream rather than
//! with an HTTP client crate: the request is one fixed shape to a local plain-HTTP port, and
//! the sidecar stays small.

use crate::Request;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

/// Whether a header name is an HTTP token.
pub fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The POST's bytes.
pub fn encode(host: &str, port: u16, r: &Request) -> Vec<u8> {
    encode_method("POST", host, port, r)
}

/// The request's bytes, with `method`.
pub fn encode_method(method: &str, host: &str, port: u16, r: &Request) -> Vec<u8> {
    let mut head = format!("{method} {} HTTP/1.1\r\nHost: {host}:{port}\r\n", r.path);
    for (n, v) in &r.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        r.body.len()
    ));
    let mut out = head.into_bytes();
    out.extend_from_slice(r.body.as_bytes());
    out
}

/// The status code of an HTTP response's first line.
pub fn status(head: &[u8]) -> Option<u16> {
    let line = head.split(|&b| b == b'\n').next()?;
    let text = std::str::from_utf8(line).ok()?;
    let mut parts = text.split_whitespace();
    parts.next().filter(|v| v.starts_with("HTTP/1."))?;
    parts.next()?.parse().ok()
}

/// POST the request; the response's status, or `None` when there was none in time.
pub async fn post(
    host: &str,
    port: u16,
    r: &Request,
    connect: Duration,
    inactivity: Duration,
) -> Option<u16> {
    send("POST", host, port, r, (connect, inactivity)).await
}

/// Whether something accepts connections on the port within `connect`.
pub async fn listening(host: &str, port: u16, connect: Duration) -> bool {
    matches!(
        timeout(connect, TcpStream::connect((host, port))).await,
        Ok(Ok(_))
    )
}

/// Send the request with `method`; the response's status, or `None` when there was none in
/// time (`limits`: the connect and the inactivity timeouts).
pub async fn send(
    method: &str,
    host: &str,
    port: u16,
    r: &Request,
    (connect, inactivity): (Duration, Duration),
) -> Option<u16> {
    let mut stream = timeout(connect, TcpStream::connect((host, port)))
        .await
        .ok()?
        .ok()?;
    timeout(
        inactivity,
        stream.write_all(&encode_method(method, host, port, r)),
    )
    .await
    .ok()?
    .ok()?;
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.contains(&b'\n') && head.len() < 8192 {
        let n = timeout(inactivity, stream.read(&mut buf))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    status(&head)
}
