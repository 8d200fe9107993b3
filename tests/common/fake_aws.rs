//! A fake Elastic Beanstalk and S3 endpoint on loopback that replays recorded responses, for
//! running the real binary (and the real AWS SDK) against `AWS_ENDPOINT_URL` offline.
//!
//! A recorded environment is a folder (testdata/live/CASE) with one XML file per EB action
//! (`DescribeEnvironments.xml`, ...) and the deployed source bundle as a folder `bundle/`,
//! zipped when the endpoint starts. A synthetic account ([`Fleet`]) answers for many
//! environments across applications instead, from the same recorded XML with names substituted.
//! Each connection is served on a thread of its own, after `latency`, so concurrent clients are
//! answered concurrently. Nothing leaves 127.0.0.1.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

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
    /// Every EB call is answered with this HTTP status and error code (e.g. 403 ExpiredToken).
    pub fail_with: Option<(u16, &'static str)>,
    /// The first this many calls are answered with Throttling.
    pub throttle_first: usize,
    /// A synthetic account answering instead of the recorded responses.
    pub fleet: Option<Arc<Fleet>>,
    /// How long each call takes.
    pub latency: Duration,
    /// The most requests answered at once (read it after the run).
    pub peak: Arc<AtomicUsize>,
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
    error_message_xml(code, &format!("{code} from the fake endpoint"))
}

fn error_message_xml(code: &str, message: &str) -> String {
    format!("<ErrorResponse xmlns=\"{NS}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>")
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
    throttled: &AtomicUsize,
    log: &CallLog,
    request_line: &str,
    body: &str,
) -> (u16, &'static str, Vec<u8>) {
    if request_line.starts_with("GET ") {
        let path = request_line.split_whitespace().nth(1).unwrap_or("");
        log.lock().unwrap().push(format!("s3:GetObject {path}"));
        let bundle = match &fake.fleet {
            Some(fleet) => fleet.bundle(path),
            None => fake.bundle.clone(),
        };
        return (200, "application/zip", bundle);
    }
    let action = body
        .split('&')
        .find_map(|kv| kv.strip_prefix("Action="))
        .unwrap_or("")
        .to_string();
    log.lock().unwrap().push(action.clone());
    let xml = |status, code| (status, "text/xml", error_xml(code).into_bytes());
    if let Some((status, code)) = fake.fail_with {
        xml(status, code)
    } else if fake.deny == Some(action.as_str()) {
        xml(403, "AccessDenied")
    } else if throttled.fetch_add(1, Ordering::SeqCst) < fake.throttle_first {
        xml(400, "Throttling")
    } else if let Some(fleet) = &fake.fleet {
        fleet.answer(&action, &params(body))
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
    let fake = Arc::new(fake);
    let throttled = Arc::new(AtomicUsize::new(0));
    let in_flight = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let (fake, throttled, log, in_flight) = (
                Arc::clone(&fake),
                Arc::clone(&throttled),
                Arc::clone(&log2),
                Arc::clone(&in_flight),
            );
            std::thread::spawn(move || serve_one(&fake, &throttled, &log, &in_flight, stream));
        }
    });
    (url, log)
}

/// Answer one connection's request, after the endpoint's latency. A request counts as in flight
/// from when it is read until its answer is ready (before the answer is sent, so the client's
/// next request on the same slot is never counted with it).
fn serve_one(
    fake: &FakeAws,
    throttled: &AtomicUsize,
    log: &CallLog,
    in_flight: &AtomicUsize,
    mut stream: TcpStream,
) {
    let Some((request_line, body)) = read_request(&stream) else {
        return;
    };
    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    fake.peak.fetch_max(now, Ordering::SeqCst);
    std::thread::sleep(fake.latency);
    let (status, ctype, payload) = answer(fake, throttled, log, &request_line, &body);
    in_flight.fetch_sub(1, Ordering::SeqCst);
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nx-amzn-requestid: req-1\r\nConnection: close\r\n\r\n",
        payload.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&payload);
    let _ = stream.flush();
}

/// The parameters of a query-protocol body (`Action=...&EnvironmentName=...`), decoded.
fn params(body: &str) -> BTreeMap<String, String> {
    body.split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

/// Percent-decoding of a form value (`+` is a space).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'+', _) => out.push(b' '),
            (b'%', Some(b)) => {
                out.push(b);
                i += 2;
            }
            (b, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
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

/// The recorded environments a synthetic account's environments are made from: a Docker one
/// (Multi-container Docker, a retired platform) and a Node.js one (a recommended platform).
const KINDS: [&str; 2] = ["shop-prod", "node-prod"];

/// A synthetic account: environments across applications, each answered from a recorded
/// environment's XML (testdata/live/shop-prod for the 1st, 3rd, ... application, node-prod for
/// the others) with its names substituted. DescribeEnvironments pages by `page_size`.
pub struct Fleet {
    /// (application, environment), in the order DescribeEnvironments lists them.
    pub environments: Vec<(String, String)>,
    /// DescribeConfigurationSettings of this environment answers AccessDenied.
    pub denied: Option<String>,
    /// This environment is listed, then gone: DescribeConfigurationSettings says it does not
    /// exist.
    pub deleted: Option<String>,
    /// Most environments on one DescribeEnvironments page (the rest follow a NextToken).
    pub page_size: usize,
    /// Which recorded environment (index of [`KINDS`]) each application is made from.
    kinds: BTreeMap<String, usize>,
    /// Each kind's recorded responses, by action.
    templates: Vec<BTreeMap<String, String>>,
    /// Each kind's bundle, zipped.
    bundles: Vec<Vec<u8>>,
}

impl Fleet {
    /// `n` environments over `apps` applications: `app-00`, `app-01`, ... with environments
    /// `app-00-e000`, ... (round robin), listed in a scrambled order.
    pub fn synthetic(n: usize, apps: usize) -> Fleet {
        let mut envs: Vec<(String, String)> = (0..n)
            .map(|i| {
                let app = format!("app-{:02}", i % apps);
                (app.clone(), format!("{app}-e{i:03}"))
            })
            .collect();
        // Not in name order: the reader sorts.
        envs.sort_by_key(|(_, e)| e.bytes().rev().collect::<Vec<u8>>());
        Fleet::named(envs)
    }

    /// These (application, environment) pairs, listed in this order.
    pub fn named(environments: Vec<(String, String)>) -> Fleet {
        let apps: std::collections::BTreeSet<&String> =
            environments.iter().map(|(a, _)| a).collect();
        let kinds = apps
            .into_iter()
            .enumerate()
            .map(|(i, a)| (a.clone(), i % 2))
            .collect();
        let dirs = KINDS.map(|k| super::root().join("testdata/live").join(k));
        Fleet {
            kinds,
            templates: dirs
                .iter()
                .map(|d| FakeAws::recorded(d).responses)
                .collect(),
            bundles: dirs.iter().map(|d| zip_folder(&d.join("bundle"))).collect(),
            environments,
            denied: None,
            deleted: None,
            page_size: 40,
        }
    }

    /// The endpoint answering for this account, each call after `latency`.
    pub fn serve_as(self, latency: Duration) -> FakeAws {
        FakeAws {
            fleet: Some(Arc::new(self)),
            latency,
            ..FakeAws::default()
        }
    }

    fn kind(&self, application: &str) -> usize {
        self.kinds.get(application).copied().unwrap_or(0)
    }

    fn application_of(&self, environment: &str) -> Option<&str> {
        self.environments
            .iter()
            .find(|(_, e)| e == environment)
            .map(|(a, _)| a.as_str())
    }

    /// A recorded response of the application's kind, named for it (and the environment).
    fn recorded(&self, action: &str, application: &str, environment: &str) -> String {
        let k = self.kind(application);
        self.templates[k][action]
            .replace(KINDS[k], environment)
            .replace(
                "<ApplicationName>shop</ApplicationName>",
                &format!("<ApplicationName>{application}</ApplicationName>"),
            )
            .replace("shop/v42.zip", &format!("fleet/kind{k}.zip"))
    }

    fn platform_arn(&self, kind: usize) -> String {
        let text = &self.templates[kind]["DescribeEnvironments"];
        let start = text.find("<PlatformArn>").unwrap() + "<PlatformArn>".len();
        let end = text.find("</PlatformArn>").unwrap();
        text[start..end].to_string()
    }

    /// The source bundle an S3 GET asks for.
    pub fn bundle(&self, path: &str) -> Vec<u8> {
        self.bundles[usize::from(path.contains("kind1"))].clone()
    }

    fn answer(&self, action: &str, p: &BTreeMap<String, String>) -> (u16, &'static str, Vec<u8>) {
        let ok = |body: String| (200, "text/xml", body.into_bytes());
        let env = p.get("EnvironmentName").map(String::as_str).unwrap_or("");
        match action {
            "DescribeApplications" => ok(self.applications(p)),
            "DescribeEnvironments" => ok(self.describe_environments(p)),
            "DescribePlatformVersion" => ok(self.platform_version(p)),
            "DescribeApplicationVersions" => {
                let app = p.get("ApplicationName").map(String::as_str).unwrap_or("");
                ok(self.recorded(action, app, ""))
            }
            "DescribeConfigurationSettings" if self.denied.as_deref() == Some(env) => {
                (403, "text/xml", error_xml("AccessDenied").into_bytes())
            }
            "DescribeConfigurationSettings" | "DescribeEnvironmentResources" => {
                match self.application_of(env) {
                    Some(app) if self.deleted.as_deref() != Some(env) => {
                        ok(self.recorded(action, app, env))
                    }
                    _ => {
                        let msg = format!("No Environment found for EnvironmentName = '{env}'.");
                        let body = error_message_xml("InvalidParameterValue", &msg);
                        (400, "text/xml", body.into_bytes())
                    }
                }
            }
            _ => (400, "text/xml", error_xml("InvalidAction").into_bytes()),
        }
    }

    fn applications(&self, p: &BTreeMap<String, String>) -> String {
        let only: Vec<&String> = p
            .iter()
            .filter(|(k, _)| k.starts_with("ApplicationNames.member."))
            .map(|(_, v)| v)
            .collect();
        let members: String = self
            .kinds
            .keys()
            .filter(|a| only.is_empty() || only.contains(a))
            .map(|a| format!("<member><ApplicationName>{a}</ApplicationName></member>"))
            .collect();
        format!("<DescribeApplicationsResponse xmlns=\"{NS}\"><DescribeApplicationsResult><Applications>{members}</Applications></DescribeApplicationsResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeApplicationsResponse>")
    }

    fn describe_environments(&self, p: &BTreeMap<String, String>) -> String {
        let name = p.get("EnvironmentNames.member.1");
        let app = p.get("ApplicationName");
        let matching: Vec<&(String, String)> = self
            .environments
            .iter()
            .filter(|(a, e)| name.is_none_or(|n| n == e) && app.is_none_or(|x| x == a))
            .collect();
        let start: usize = p.get("NextToken").and_then(|t| t.parse().ok()).unwrap_or(0);
        let end = (start + self.page_size).min(matching.len());
        let members: String = matching[start.min(end)..end]
            .iter()
            .map(|(a, e)| {
                format!("<member><EnvironmentName>{e}</EnvironmentName><EnvironmentId>e-{e}</EnvironmentId><ApplicationName>{a}</ApplicationName><VersionLabel>v42</VersionLabel><PlatformArn>{}</PlatformArn><CNAME>{e}.eu-west-1.elasticbeanstalk.com</CNAME><Status>Ready</Status><Health>Green</Health><Tier><Name>WebServer</Name><Type>Standard</Type><Version>1.0</Version></Tier></member>", self.platform_arn(self.kind(a)))
            })
            .collect();
        let token = if end < matching.len() {
            format!("<NextToken>{end}</NextToken>")
        } else {
            String::new()
        };
        format!("<DescribeEnvironmentsResponse xmlns=\"{NS}\"><DescribeEnvironmentsResult><Environments>{members}</Environments>{token}</DescribeEnvironmentsResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeEnvironmentsResponse>")
    }

    fn platform_version(&self, p: &BTreeMap<String, String>) -> String {
        let arn = p.get("PlatformArn").cloned().unwrap_or_default();
        let state = if arn == self.platform_arn(0) {
            "<PlatformBranchLifecycleState>Retired</PlatformBranchLifecycleState>"
        } else {
            "<PlatformLifecycleState>Recommended</PlatformLifecycleState><PlatformBranchLifecycleState>Supported</PlatformBranchLifecycleState>"
        };
        format!("<DescribePlatformVersionResponse xmlns=\"{NS}\"><DescribePlatformVersionResult><PlatformDescription><PlatformArn>{arn}</PlatformArn><PlatformStatus>Ready</PlatformStatus>{state}</PlatformDescription></DescribePlatformVersionResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribePlatformVersionResponse>")
    }
}
