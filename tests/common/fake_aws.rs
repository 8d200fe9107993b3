//! A fake Elastic Beanstalk and S3 endpoint on loopback that replays recorded responses, for
//! running the real binary (and the real AWS SDK) against `AWS_ENDPOINT_URL` offline.
//!
//! A recorded environment is a folder (testdata/live/CASE) with one XML file per EB action
//! (`DescribeEnvironments.xml`, ...) and the deployed source bundle as a folder `bundle/`,
//! zipped when the endpoint starts. Nothing leaves 127.0.0.1.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};

const NS: &str = "http://elasticbeanstalk.amazonaws.com/docs/2010-12-01/";

/// What the endpoint was asked, in order: EB actions by name, S3 GETs as `s3:GetObject PATH`.
pub type CallLog = Arc<Mutex<Vec<String>>>;

/// What the fake endpoint answers.
#[derive(Clone, Default)]
pub struct FakeAws {
    /// The response body of each EB action (an action without one gets an error).
    pub responses: BTreeMap<String, String>,
    /// What every S3 GET returns: the source bundle zip.
    pub bundle: Vec<u8>,
    /// This action is answered with AccessDenied.
    pub deny: Option<&'static str>,
    /// The first this many calls are answered with Throttling.
    pub throttle_first: usize,
}

impl FakeAws {
    /// The recorded environment of a folder: its `ACTION.xml` files and `bundle/`, zipped.
    pub fn recorded(dir: &Path) -> FakeAws {
        let mut responses = BTreeMap::new();
        for name in super::files_in(dir) {
            if let Some(action) = name.strip_suffix(".xml") {
                let text = std::fs::read_to_string(dir.join(&name)).unwrap();
                responses.insert(action.to_string(), text);
            }
        }
        assert!(!responses.is_empty(), "{}: no ACTION.xml", dir.display());
        FakeAws {
            responses,
            bundle: zip_folder(&dir.join("bundle")),
            ..FakeAws::default()
        }
    }

    /// The environment lookup finds nothing.
    pub fn without_environments(mut self) -> FakeAws {
        self.responses.insert(
            "DescribeEnvironments".into(),
            format!("<DescribeEnvironmentsResponse xmlns=\"{NS}\"><DescribeEnvironmentsResult><Environments/></DescribeEnvironmentsResult></DescribeEnvironmentsResponse>"),
        );
        self
    }
}

/// The recorded live environments (testdata/live), sorted.
pub fn live_cases() -> Vec<std::path::PathBuf> {
    super::subdirs("testdata/live")
}

/// Every file under `dir` (recursively, hidden ones too) in a zip, by `/`-separated path.
pub fn zip_folder(dir: &Path) -> Vec<u8> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    for f in files {
        let rel = f
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        z.start_file(rel, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(&std::fs::read(&f).unwrap()).unwrap();
    }
    z.finish().unwrap();
    buf.into_inner()
}

fn error_xml(code: &str) -> String {
    format!("<ErrorResponse xmlns=\"{NS}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{code} from the fake endpoint</Message></Error><RequestId>req-1</RequestId></ErrorResponse>")
}

/// The request line and body of one HTTP request.
fn read_request(stream: &TcpStream) -> Option<(String, String)> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let mut len = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h == "\r\n" || h.is_empty() {
            break;
        }
        if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; len];
    let _ = reader.read_exact(&mut body);
    Some((request_line, String::from_utf8_lossy(&body).to_string()))
}

/// The answer (status, content type, payload) to one request; logs it.
fn answer(
    fake: &FakeAws,
    throttled: &mut usize,
    log: &CallLog,
    request_line: &str,
    body: &str,
) -> (u16, &'static str, Vec<u8>) {
    if request_line.starts_with("GET ") {
        let path = request_line.split_whitespace().nth(1).unwrap_or("");
        log.lock().unwrap().push(format!("s3:GetObject {path}"));
        return (200, "application/zip", fake.bundle.clone());
    }
    let action = body
        .split('&')
        .find_map(|kv| kv.strip_prefix("Action="))
        .unwrap_or("")
        .to_string();
    log.lock().unwrap().push(action.clone());
    let xml = |status, code| (status, "text/xml", error_xml(code).into_bytes());
    if fake.deny == Some(action.as_str()) {
        xml(403, "AccessDenied")
    } else if *throttled < fake.throttle_first {
        *throttled += 1;
        xml(400, "Throttling")
    } else {
        match fake.responses.get(&action) {
            Some(r) => (200, "text/xml", r.clone().into_bytes()),
            None => xml(400, "InvalidAction"),
        }
    }
}

/// Start the fake endpoint; returns its URL and the log of what was asked.
pub fn serve(fake: FakeAws) -> (String, CallLog) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let log: CallLog = Arc::default();
    let log2 = Arc::clone(&log);
    std::thread::spawn(move || {
        let mut throttled = 0;
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Some((request_line, body)) = read_request(&stream) else {
                continue;
            };
            let (status, ctype, payload) =
                answer(&fake, &mut throttled, &log2, &request_line, &body);
            let head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nx-amzn-requestid: req-1\r\nConnection: close\r\n\r\n",
                payload.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&payload);
            let _ = stream.flush();
        }
    });
    (url, log)
}

/// The built binary pointed at `url` with dummy credentials, region eu-west-1, and nothing
/// from the user's AWS configuration.
pub fn eb2ecs_against(url: &str) -> assert_cmd::Command {
    let mut c = super::eb2ecs();
    c.env("AWS_ENDPOINT_URL", url)
        .env("AWS_ACCESS_KEY_ID", "AKIDTEST")
        .env("AWS_SECRET_ACCESS_KEY", "secret-test")
        .env("AWS_REGION", "eu-west-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/eb2ecs-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/eb2ecs-credentials",
        )
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN");
    c
}
