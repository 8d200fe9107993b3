//! The live path through the real AWS SDK, offline: the binary talks to a fake Elastic Beanstalk
//! and S3 endpoint on loopback (AWS_ENDPOINT_URL), so credentials, endpoints, retries and
//! errors are exercised as a user meets them. Nothing leaves 127.0.0.1.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

const NS: &str = "http://elasticbeanstalk.amazonaws.com/docs/2010-12-01/";

/// What the fake endpoint answers: (status, body) per EB action; S3 GETs get the bundle.
#[derive(Clone, Default)]
struct Behaviour {
    unknown_environment: bool,
    deny: Option<&'static str>,
    throttle_first: usize,
}

fn bundle_zip() -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        let dockerrun = std::fs::read_to_string(
            common::root().join("testdata/cases/nginx-linked-app/input/Dockerrun.aws.json"),
        )
        .unwrap();
        z.start_file("Dockerrun.aws.json", opts).unwrap();
        z.write_all(dockerrun.as_bytes()).unwrap();
        z.start_file(".ebextensions/01-app.config", opts).unwrap();
        z.write_all(b"option_settings:\n  aws:elasticbeanstalk:application:environment:\n    FEATURE_FLAGS: on\ncontainer_commands:\n  01_migrate:\n    command: npm run migrate\n").unwrap();
        z.start_file("proxy/conf.d/default.conf", opts).unwrap();
        z.write_all(b"upstream app { server app:3000; }\n").unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

fn eb_response(action: &str) -> String {
    let result = match action {
        "DescribeEnvironments" => "<Environments><member><EnvironmentName>shop-prod</EnvironmentName><ApplicationName>shop</ApplicationName><VersionLabel>v42</VersionLabel><PlatformArn>arn:aws:elasticbeanstalk:eu-west-1::platform/Multi-container Docker running on 64bit Amazon Linux/2.26.0</PlatformArn><CNAME>shop-prod.eu-west-1.elasticbeanstalk.com</CNAME><Status>Ready</Status><Tier><Name>WebServer</Name><Type>Standard</Type><Version>1.0</Version></Tier></member></Environments>".to_string(),
        "DescribeConfigurationSettings" => {
            let opts = [
                ("aws:autoscaling:asg", "MinSize", "2", Some("AWSEBAutoScalingGroup")),
                ("aws:autoscaling:asg", "MaxSize", "5", Some("AWSEBAutoScalingGroup")),
                ("aws:autoscaling:launchconfiguration", "InstanceType", "t3.small", None),
                ("aws:elasticbeanstalk:environment:process:default", "HealthCheckPath", "/health", None),
                ("aws:elasticbeanstalk:application:environment", "FEATURE_FLAGS", "on", None),
                ("aws:elasticbeanstalk:application:environment", "API_TOKEN", "tok-live-should-never-appear", None),
                ("aws:elasticbeanstalk:command", "DeploymentPolicy", "Rolling", None),
                ("aws:elasticbeanstalk:command", "BatchSize", "30", None),
                ("aws:ec2:vpc", "VPCId", "vpc-0123456789abcdef0", None),
            ];
            let members: String = opts
                .iter()
                .map(|(ns, o, v, r)| {
                    format!(
                        "<member>{}<Namespace>{ns}</Namespace><OptionName>{o}</OptionName><Value>{v}</Value></member>",
                        r.map(|r| format!("<ResourceName>{r}</ResourceName>")).unwrap_or_default()
                    )
                })
                .collect();
            format!("<ConfigurationSettings><member><ApplicationName>shop</ApplicationName><EnvironmentName>shop-prod</EnvironmentName><OptionSettings>{members}</OptionSettings></member></ConfigurationSettings>")
        }
        "DescribeEnvironmentResources" => "<EnvironmentResources><EnvironmentName>shop-prod</EnvironmentName><LoadBalancers><member><Name>awseb-e-abc</Name></member></LoadBalancers><AutoScalingGroups><member><Name>awseb-e-abc-stack-AWSEBAutoScalingGroup</Name></member></AutoScalingGroups></EnvironmentResources>".to_string(),
        "DescribeApplicationVersions" => "<ApplicationVersions><member><ApplicationName>shop</ApplicationName><VersionLabel>v42</VersionLabel><SourceBundle><S3Bucket>elasticbeanstalk-eu-west-1-123456789012</S3Bucket><S3Key>shop/v42.zip</S3Key></SourceBundle></member></ApplicationVersions>".to_string(),
        _ => String::new(),
    };
    format!("<{action}Response xmlns=\"{NS}\"><{action}Result>{result}</{action}Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></{action}Response>")
}

fn error_xml(code: &str) -> String {
    format!("<ErrorResponse xmlns=\"{NS}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{code} from the fake endpoint</Message></Error><RequestId>req-1</RequestId></ErrorResponse>")
}

/// Start the fake endpoint; returns its URL and the log of what was asked.
fn serve(behaviour: Behaviour) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    let log2 = Arc::clone(&log);
    let zip = bundle_zip();
    std::thread::spawn(move || {
        let mut throttled = 0;
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
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
            let body = String::from_utf8_lossy(&body).to_string();
            let (status, ctype, payload): (u16, &str, Vec<u8>) = if request_line.starts_with("GET ")
            {
                log2.lock().unwrap().push(format!(
                    "s3:GetObject {}",
                    request_line.split_whitespace().nth(1).unwrap_or("")
                ));
                (200, "application/zip", zip.clone())
            } else {
                let action = body
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("Action="))
                    .unwrap_or("")
                    .to_string();
                log2.lock().unwrap().push(action.clone());
                if behaviour.deny == Some(action.as_str()) {
                    (403, "text/xml", error_xml("AccessDenied").into_bytes())
                } else if throttled < behaviour.throttle_first {
                    throttled += 1;
                    (400, "text/xml", error_xml("Throttling").into_bytes())
                } else if behaviour.unknown_environment && action == "DescribeEnvironments" {
                    (200, "text/xml", format!("<DescribeEnvironmentsResponse xmlns=\"{NS}\"><DescribeEnvironmentsResult><Environments/></DescribeEnvironmentsResult></DescribeEnvironmentsResponse>").into_bytes())
                } else {
                    (200, "text/xml", eb_response(&action).into_bytes())
                }
            };
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

fn eb2ecs(url: &str) -> Command {
    let mut c = Command::cargo_bin("eb2ecs").unwrap();
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
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("NO_COLOR");
    c
}

#[test]
fn live_environment_converts_with_read_only_calls() {
    let (url, log) = serve(Behaviour::default());
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ecs");
    eb2ecs(&url)
        .args(["convert", "--environment", "shop-prod", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("reading environment shop-prod in eu-west-1"))
        .stdout(predicate::str::contains("[SECRET-MOVED] environment shop-prod aws:elasticbeanstalk:application:environment:API_TOKEN"))
        .stdout(predicate::str::contains("[EBEXTENSION-NOT-CONVERTED] .ebextensions/01-app.config container_commands"));
    let calls = log.lock().unwrap().clone();
    assert_eq!(
        calls,
        vec![
            "DescribeEnvironments",
            "DescribeConfigurationSettings",
            "DescribeEnvironmentResources",
            "DescribeApplicationVersions",
            "s3:GetObject /elasticbeanstalk-eu-west-1-123456789012/shop/v42.zip?x-id=GetObject"
        ]
    );
    let td: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("task-definition.json")).unwrap())
            .unwrap();
    assert_eq!(td["family"], "shop-prod");
    assert_eq!(td["containerDefinitions"][0]["name"], "app");
    let svc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("service.json")).unwrap()).unwrap();
    assert_eq!(svc["desiredCount"], 2);
    assert_eq!(svc["deploymentConfiguration"]["minimumHealthyPercent"], 70);
    let cfn = std::fs::read_to_string(out.join("cloudformation.yaml")).unwrap();
    assert!(cfn.contains("HealthCheckPath: \"/health\""), "{cfn}");
    assert!(cfn.contains("Default: \"vpc-0123456789abcdef0\""));
    for f in [
        "task-definition.json",
        "service.json",
        "cloudformation.yaml",
        "CHECKLIST.md",
        "report.json",
    ] {
        assert!(
            !std::fs::read_to_string(out.join(f))
                .unwrap()
                .contains("tok-live-should-never-appear"),
            "{f} leaks a secret"
        );
    }
}

#[test]
fn fetch_saves_what_offline_convert_reads_the_same_way() {
    let (url, _) = serve(Behaviour::default());
    let tmp = tempfile::tempdir().unwrap();
    let saved = tmp.path().join("shop-prod.json");
    eb2ecs(&url)
        .args(["fetch", "--environment", "shop-prod", "--out"])
        .arg(&saved)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Convert offline with: eb2ecs convert",
        ));
    let saved_text = std::fs::read_to_string(&saved).unwrap();
    assert!(
        !saved_text.contains("tok-live-should-never-appear"),
        "fetch saved a secret value"
    );
    assert!(saved_text.contains("<secret withheld by eb2ecs fetch>"));
    let bundle = tmp.path().join("shop-prod.json.bundle");
    assert!(bundle.join("Dockerrun.aws.json").is_file());
    assert!(bundle.join(".ebextensions/01-app.config").is_file());
    let live_out = tmp.path().join("live");
    let offline_out = tmp.path().join("offline");
    eb2ecs(&url)
        .args([
            "convert",
            "--environment",
            "shop-prod",
            "--family",
            "shop",
            "--out",
        ])
        .arg(&live_out)
        .assert()
        .success();
    eb2ecs("http://127.0.0.1:1")
        .arg("convert")
        .arg(&bundle)
        .args(["--family", "shop", "--settings"])
        .arg(&saved)
        .arg("--out")
        .arg(&offline_out)
        .assert()
        .success();
    for f in [
        "task-definition.json",
        "service.json",
        "cloudformation.yaml",
    ] {
        let a = std::fs::read_to_string(live_out.join(f)).unwrap();
        let b = std::fs::read_to_string(offline_out.join(f)).unwrap();
        assert_eq!(a, b, "{f} differs between the live and the offline run");
    }
}

#[test]
fn unknown_environment_is_named() {
    let (url, _) = serve(Behaviour {
        unknown_environment: true,
        ..Default::default()
    });
    let tmp = tempfile::tempdir().unwrap();
    eb2ecs(&url)
        .args(["convert", "--environment", "nope", "--out"])
        .arg(tmp.path().join("ecs"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no environment named nope in eu-west-1",
        ));
    assert!(!tmp.path().join("ecs").exists());
}

#[test]
fn access_denied_names_the_missing_permission() {
    let (url, _) = serve(Behaviour {
        deny: Some("DescribeConfigurationSettings"),
        ..Default::default()
    });
    let tmp = tempfile::tempdir().unwrap();
    eb2ecs(&url)
        .args(["convert", "--environment", "shop-prod", "--out"])
        .arg(tmp.path().join("ecs"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("access denied: the credentials lack the permission elasticbeanstalk:DescribeConfigurationSettings"));
    assert!(!tmp.path().join("ecs").exists());
}

#[test]
fn throttling_is_retried() {
    let (url, log) = serve(Behaviour {
        throttle_first: 2,
        ..Default::default()
    });
    let tmp = tempfile::tempdir().unwrap();
    eb2ecs(&url)
        .args(["convert", "--environment", "shop-prod", "--out"])
        .arg(tmp.path().join("ecs"))
        .assert()
        .success();
    let calls = log.lock().unwrap().clone();
    assert_eq!(
        calls
            .iter()
            .filter(|c| *c == "DescribeEnvironments")
            .count(),
        3,
        "{calls:?}"
    );
}

#[test]
fn no_credentials_and_no_network_are_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    eb2ecs("http://127.0.0.1:1")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args(["convert", "--environment", "shop-prod", "--out"])
        .arg(tmp.path().join("a"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no AWS credentials found"));
    eb2ecs("http://127.0.0.1:1")
        .args(["convert", "--environment", "shop-prod", "--out"])
        .arg(tmp.path().join("b"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot reach AWS for elasticbeanstalk:DescribeEnvironments",
        ));
    assert!(!tmp.path().join("a").exists() && !tmp.path().join("b").exists());
}

#[test]
fn live_and_files_cannot_be_mixed() {
    eb2ecs("http://127.0.0.1:1")
        .args(["convert", "some-dir", "--environment", "shop-prod"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("use one or the other"));
}
