//! The live path through the real AWS SDK, offline: the binary talks to a fake Elastic Beanstalk
//! and S3 endpoint on loopback (AWS_ENDPOINT_URL) that replays the recorded environments of
//! testdata/live, so credentials, endpoints, retries and errors are exercised as a user meets
//! them. Nothing leaves 127.0.0.1.
//!
//! Each testdata/live/CASE has the recorded EB responses (ACTION.xml), the deployed bundle as a
//! folder `bundle/`, `args` (convert arguments) and `expected/` (every artefact).
//! `UPDATE_GOLDEN=1 cargo test --test aws_live` rewrites the expected files.

mod common;

use assert_cmd::Command;
use common::fake_aws::{eb2ecs_against, live_cases, serve, CallLog, FakeAws};
use predicates::prelude::*;
use std::path::{Path, PathBuf};

/// The recorded environment most tests use.
fn shop_prod_dir() -> PathBuf {
    common::root().join("testdata/live/shop-prod")
}

/// The fake endpoint replaying shop-prod: its URL and its call log.
fn serve_shop_prod() -> (String, CallLog) {
    serve(FakeAws::recorded(&shop_prod_dir()))
}

/// `eb2ecs SUBCOMMAND --environment shop-prod --out OUT` against the endpoint at `url`.
fn shop_prod(url: &str, subcommand: &str, out: &Path) -> Command {
    common::into_out(
        eb2ecs_against(url),
        subcommand,
        ["--environment", "shop-prod"],
        out,
    )
}

/// `convert --environment shop-prod --out OUT` against `fake`: must fail with `message`, and
/// write nothing.
fn assert_live_error(fake: FakeAws, message: &str) {
    let (url, _) = serve(fake);
    let tmp = tempfile::tempdir().unwrap();
    shop_prod(&url, "convert", &tmp.path().join("ecs"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(message));
    assert!(!tmp.path().join("ecs").exists());
}

/// Every recorded environment converts, through the binary, into its expected files.
#[test]
fn live_golden_cases() {
    let cases = live_cases();
    assert!(
        !cases.is_empty(),
        "no recorded environment in testdata/live"
    );
    let mut failures = Vec::new();
    for dir in &cases {
        let (url, _) = serve(FakeAws::recorded(dir));
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("ecs");
        let args = common::args_file(dir);
        common::into_out(eb2ecs_against(&url), "convert", args, &out)
            .assert()
            .success();
        let produced = common::read_files(&out);
        failures.extend(common::check_golden(&dir.join("expected"), &produced));
        failures.extend(common::secret_leaks(
            &produced,
            &common::must_not_contain(dir),
        ));
    }
    common::assert_golden(&failures);
}

#[test]
fn live_environment_converts_with_read_only_calls() {
    let (url, log) = serve_shop_prod();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ecs");
    shop_prod(&url, "convert", &out)
        .arg("--verbose")
        .assert()
        .success()
        .stderr(predicate::str::contains("reading environment shop-prod in eu-west-1"))
        .stdout(predicate::str::contains("[SECRET-MOVED] environment shop-prod aws:elasticbeanstalk:application:environment:API_TOKEN"))
        .stdout(predicate::str::contains("[ONEOFF-EVERY-INSTANCE] .ebextensions/01-app.config container_commands.01_migrate"));
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
    let files = common::read_files(&out);
    let td: serde_json::Value = serde_json::from_str(&files["task-definition.json"]).unwrap();
    assert_eq!(td["family"], "shop-prod");
    assert_eq!(td["containerDefinitions"][0]["name"], "app");
    let svc: serde_json::Value = serde_json::from_str(&files["service.json"]).unwrap();
    assert_eq!(svc["desiredCount"], 2);
    // EB rolled 30% of 2 instances: 70% of 2 tasks rounds up to 2, so 50% lets one task stop.
    assert_eq!(svc["deploymentConfiguration"]["minimumHealthyPercent"], 50);
    let cfn = &files["cloudformation.yaml"];
    assert!(cfn.contains("HealthCheckPath: /health"), "{cfn}");
    assert!(cfn.contains("Default: vpc-0123456789abcdef0"));
    common::assert_no_secret(&files, &common::must_not_contain(&shop_prod_dir()));
}

/// `fetch`, then `convert` of what it saved, offline: the same files as converting live.
#[test]
fn fetch_saves_what_offline_convert_reads_the_same_way() {
    let tmp = tempfile::tempdir().unwrap();
    let saved = tmp.path().join("shop-prod.json");
    let (url, _) = serve_shop_prod();
    shop_prod(&url, "fetch", &saved)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Convert offline with: eb2ecs convert",
        ));
    let saved_text = std::fs::read_to_string(&saved).unwrap();
    common::assert_no_secret(
        [("fetched settings", &saved_text)],
        &common::must_not_contain(&shop_prod_dir()),
    );
    assert!(saved_text.contains("<secret withheld by eb2ecs fetch>"));
    let bundle = tmp.path().join("shop-prod.json.bundle");
    assert!(bundle.join("Dockerrun.aws.json").is_file());
    assert!(bundle.join(".ebextensions/01-app.config").is_file());
    assert!(bundle.join("proxy/conf.d/default.conf").is_file());
    let live_out = tmp.path().join("live");
    shop_prod(&url, "convert", &live_out)
        .args(["--family", "shop"])
        .assert()
        .success();
    let offline_out = tmp.path().join("offline");
    let offline = eb2ecs_against("http://127.0.0.1:1");
    let args = [bundle.as_os_str(), "--family".as_ref(), "shop".as_ref()];
    common::into_out(offline, "convert", args, &offline_out)
        .args(["--settings".as_ref(), saved.as_os_str()])
        .assert()
        .success();
    assert_same_conversion(&live_out, &offline_out, &saved);
}

/// The files a live and an offline conversion wrote are the same, byte for byte, and the
/// checklist names the environment's CNAME and the bundle lines that use a link hostname.
///
/// Only the provenance differs: the offline checklist names the settings it read by the saved
/// file's path where the live one says `environment NAME`; that path is written back before
/// comparing.
fn assert_same_conversion(live: &Path, offline: &Path, saved: &Path) {
    let live = common::read_files(live);
    let mut offline = common::read_files(offline);
    let checklist = offline.get_mut("CHECKLIST.md").unwrap();
    *checklist = checklist.replace(&saved.display().to_string(), "environment shop-prod");
    for f in [
        "task-definition.json",
        "service.json",
        "cloudformation.yaml",
        "CHECKLIST.md",
    ] {
        if live[f] != offline[f] {
            panic!(
                "{f} differs between the live and the offline run:\n{}",
                eb2ecs::diff::unified(&live[f], &offline[f], "live", "offline")
            );
        }
    }
    let checklist = &live["CHECKLIST.md"];
    for wanted in [
        "(`shop-prod.eu-west-1.elasticbeanstalk.com`, or your custom name)",
        "`proxy/conf.d/default.conf:13` (`proxy_pass http://app:3000;`)",
    ] {
        assert!(
            checklist.contains(wanted),
            "{wanted} is missing:\n{checklist}"
        );
    }
}

#[test]
fn unknown_environment_is_named() {
    assert_live_error(
        FakeAws::recorded(&shop_prod_dir()).without_environments(),
        "no environment named shop-prod in eu-west-1",
    );
}

#[test]
fn access_denied_names_the_missing_permission() {
    let fake = FakeAws {
        deny: Some("DescribeConfigurationSettings"),
        ..FakeAws::recorded(&shop_prod_dir())
    };
    assert_live_error(fake, "access denied: the credentials lack the permission elasticbeanstalk:DescribeConfigurationSettings");
}

#[test]
fn throttling_is_retried() {
    let (url, log) = serve(FakeAws {
        throttle_first: 2,
        ..FakeAws::recorded(&shop_prod_dir())
    });
    let tmp = tempfile::tempdir().unwrap();
    shop_prod(&url, "convert", &tmp.path().join("ecs"))
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
    eb2ecs_against("http://127.0.0.1:1")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args(["convert", "--environment", "shop-prod", "--out"])
        .arg(tmp.path().join("a"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no AWS credentials found"));
    shop_prod("http://127.0.0.1:1", "convert", &tmp.path().join("b"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot reach AWS for elasticbeanstalk:DescribeEnvironments",
        ));
    assert!(!tmp.path().join("a").exists() && !tmp.path().join("b").exists());
}
