//! `eb2ecs assess`: the golden assessment of a fixed set of folders (testdata/assess/CASE:
//! `args`, the folders under `input/`, `expected/`), a malformed project among good ones, hostile
//! names, `fetch` snapshots of the recorded live environments, usage errors, and 100
//! environments at once. `UPDATE_GOLDEN=1 cargo test --test assess` rewrites the expected files.

mod common;

use common::fake_aws::{eb2ecs_against, serve, FakeAws};
use eb2ecs::assess::{self, Options, Subject};
use eb2ecs::model::LaunchType;
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The folders a golden case assesses: every entry of its `input/`, relative, sorted.
fn case_dirs(case: &Path) -> Vec<String> {
    let mut dirs: Vec<String> = std::fs::read_dir(case.join("input"))
        .unwrap()
        .map(|e| format!("input/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    dirs.sort();
    dirs
}

/// `eb2ecs assess` run inside the case folder (so the paths in the files are relative).
fn assess_case(case: &Path, out: &Path) -> assert_cmd::Command {
    let mut cmd = common::eb2ecs();
    cmd.current_dir(case)
        .arg("assess")
        .args(case_dirs(case))
        .args(common::args_file(case))
        .arg("--out")
        .arg(out);
    cmd
}

fn fleet_case() -> PathBuf {
    common::root().join("testdata/assess/fleet")
}

#[test]
fn golden_assessment_of_a_fixed_set_of_folders() {
    let case = fleet_case();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("assessment");
    // One malformed project among seven: its row says why, the others complete, exit 1.
    assess_case(&case, &out)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("assessed 7 environments"))
        .stderr(predicate::str::contains(
            "1 of 7 environments could not be assessed",
        ))
        .stderr(predicate::str::contains(
            "input/broken/Dockerrun.aws.json:4:3: invalid JSON",
        ));
    let produced = common::read_files(&out);
    assert_eq!(
        produced.keys().collect::<Vec<_>>(),
        ["assessment.html", "assessment.json", "assessment.md"]
    );
    common::assert_golden(&common::check_golden(&case.join("expected"), &produced));
}

#[test]
fn the_assessment_says_what_each_environment_is() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("a");
    assess_case(&fleet_case(), &out).assert().code(1);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("assessment.json")).unwrap())
            .unwrap();
    let rows = json["rows"].as_array().unwrap();
    let row = |env: &str| {
        rows.iter()
            .find(|r| r["environment"] == env)
            .unwrap_or_else(|| panic!("no row {env}"))
    };
    // The fetch snapshot: names from the describe output, a retired AL1 stack, a worker.
    let worker = row("reports-worker");
    assert_eq!(worker["application"], "reports");
    assert_eq!(worker["tier"], "Worker");
    assert_eq!(worker["lifecycle"]["status"], "Retired");
    assert_eq!(worker["load_balancer"], "none");
    assert_eq!(worker["instances"]["max"], 3);
    // m5.large: 1 x 0.096 x 730 = 70.08; 3 x = 210.24 (no load balancer).
    assert_eq!(worker["cost"]["eb"]["min"], 70.08);
    assert_eq!(worker["cost"]["eb"]["max"], 210.24);
    assert_eq!(worker["verdict"], "blocked");
    // A region the table does not price: said, not guessed.
    let checkout = row("checkout");
    assert_eq!(checkout["region"], "eu-west-1");
    assert_eq!(checkout["cost_note"], "no price for eu-west-1");
    assert!(checkout["cost"].is_null());
    assert_eq!(checkout["load_balancer"], "classic");
    // The malformed project: a row with file:line:column.
    let broken = row("broken");
    assert_eq!(broken["verdict"], "failed");
    assert!(broken["error"]
        .as_str()
        .unwrap()
        .starts_with("input/broken/Dockerrun.aws.json:4:3:"));
    // The region the inputs name wins over --region's default (no false REGION-MISMATCH).
    let graviton = row("graviton-api");
    assert_eq!(graviton["region"], "eu-west-1");
    assert_eq!(graviton["findings"]["blocker"], 0);
    // config.yml's region and platform (AL2: retiring).
    let hostile = row("hostile");
    assert_eq!(hostile["region"], "us-west-2");
    assert_eq!(hostile["lifecycle"]["status"], "Retiring");
    assert_eq!(json["environments"], 7);
    assert_eq!(json["verdicts"]["failed"], 1);
    assert_eq!(json["prices"]["date"], "2026-12-01");
}

#[test]
fn hostile_names_are_escaped_in_every_document() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("a");
    assess_case(&fleet_case(), &out).assert().code(1);
    let html = std::fs::read_to_string(out.join("assessment.html")).unwrap();
    let md = std::fs::read_to_string(out.join("assessment.md")).unwrap();
    // The application name is `<script>alert(1)</script> | [x](javascript:alert(2))`.
    assert!(!html.contains("<script>alert"), "raw script in the HTML");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert_eq!(html.matches("<script>").count(), 1, "only the sort script");
    assert!(!md.contains("<script>"), "raw HTML in the Markdown");
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt; \\| \\[x\\](javascript:alert(2))"));
    // Every table row still has 16 cells: the pipe did not split one.
    for line in md
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("hostile"))
    {
        assert_eq!(line.matches(" | ").count(), 15, "{line}");
    }
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assess_case(&fleet_case(), &a).assert().code(1);
    assess_case(&fleet_case(), &b).assert().code(1);
    assert_eq!(common::read_files(&a), common::read_files(&b));
}

#[test]
fn all_good_folders_exit_zero() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("a");
    let root = common::root();
    common::eb2ecs()
        .arg("assess")
        .arg(root.join("testdata/cases/v1-single/input"))
        .arg(root.join("testdata/cases/compose-php-nginx/input"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("assessed 2 environments"))
        .stdout(predicate::str::contains(
            "over 0 environments with a price (2 without)",
        ));
    let md = std::fs::read_to_string(out.join("assessment.md")).unwrap();
    assert!(md.contains("region unknown (give --region"), "{md}");
}

#[test]
fn usage_errors_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("a");
    let dir = common::root().join("testdata/cases/v1-single/input");
    for (args, message) in [
        (
            vec!["--region", "us-east-1", "--region", "eu-west-1"],
            "give at most one",
        ),
        (vec!["--region", "us-esat-1"], "did you mean us-east-1?"),
        (vec!["--application", "shop"], "--application selects live"),
    ] {
        common::eb2ecs()
            .arg("assess")
            .arg(&dir)
            .args(&args)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
        assert!(!out.exists(), "{args:?} wrote {}", out.display());
    }
    // Live assess refuses what only offline assess takes.
    common::eb2ecs()
        .args([
            "assess",
            "--launch-type",
            "ec2",
            "--concurrency",
            "0",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--concurrency"));
    assert!(!out.exists());
}

/// The recorded live environments, saved by `fetch` (the format offline reruns read), assess
/// with the names, region and platform the describe output gives.
#[test]
fn fetch_snapshots_of_the_recorded_environments() {
    let tmp = tempfile::tempdir().unwrap();
    let snaps = tmp.path().join("snapshots");
    for env in ["shop-prod", "node-prod"] {
        let (url, _) = serve(FakeAws::recorded(
            &common::root().join("testdata/live").join(env),
        ));
        common::into_out(
            eb2ecs_against(&url),
            "fetch",
            ["--environment", env],
            &snaps.join(format!("{env}.json")),
        )
        .assert()
        .success();
    }
    let out = tmp.path().join("a");
    // The folder of snapshots, and one snapshot named by its bundle folder.
    common::eb2ecs()
        .arg("assess")
        .arg(&snaps)
        .arg(snaps.join("shop-prod.json.bundle"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("assessed 3 environments"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("assessment.json")).unwrap())
            .unwrap();
    let rows = json["rows"].as_array().unwrap();
    let names: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["application"].as_str().unwrap(),
                r["environment"].as_str().unwrap(),
                r["region"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("shop", "node-prod", "eu-west-1"),
            ("shop", "shop-prod", "eu-west-1"),
            ("shop", "shop-prod", "eu-west-1")
        ]
    );
    assert_eq!(rows[1]["lifecycle"]["status"], "Retired");
    assert_eq!(rows[0]["lifecycle"]["status"], "Supported");
    assert_eq!(rows[1]["instances"]["min"], 2);
    assert_eq!(rows[1]["instances"]["max"], 5);
    let html = std::fs::read_to_string(out.join("assessment.html")).unwrap();
    common::assert_no_secret(
        [("assessment.html", &html)],
        &common::must_not_contain(&common::root().join("testdata/live/shop-prod")),
    );
}

/// A Dockerrun v1 project with an instance type, a size and sometimes a problem.
fn write_project(dir: &Path, i: usize) {
    std::fs::create_dir_all(dir.join(".ebextensions")).unwrap();
    let image = if i.is_multiple_of(7) {
        "nginx"
    } else {
        "public.ecr.aws/docker/library/nginx:1.27"
    };
    let dockerrun = if i % 25 == 24 {
        "{ \"AWSEBDockerrunVersion\": \"1\", \"Image\": {\"Name\": }".to_string()
    } else {
        format!("{{\"AWSEBDockerrunVersion\": \"1\", \"Image\": {{\"Name\": \"{image}\"}}, \"Ports\": [{{\"ContainerPort\": 80}}]}}")
    };
    std::fs::write(dir.join("Dockerrun.aws.json"), dockerrun).unwrap();
    let types = ["t3.small", "m5.large", "t4g.medium", "c5.large"];
    let config = format!(
        "option_settings:\n  aws:autoscaling:launchconfiguration:\n    InstanceType: {}\n  aws:autoscaling:asg:\n    MinSize: {}\n    MaxSize: {}\n",
        types[i % types.len()],
        1 + i % 3,
        4 + i % 5
    );
    std::fs::write(dir.join(".ebextensions/01-env.config"), config).unwrap();
}

fn hundred_projects(root: &Path) -> Vec<PathBuf> {
    (0..100)
        .map(|i| {
            let dir = root.join(format!("app-{i:03}"));
            write_project(&dir, i);
            dir
        })
        .collect()
}

/// 100 environments: every one gets a row (4 malformed ones say why), in well under a second
/// of assessing.
#[test]
fn a_hundred_environments() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = hundred_projects(tmp.path());
    let subjects: Vec<Subject> = dirs
        .iter()
        .flat_map(|d| assess::folders::subjects(d))
        .collect();
    assert_eq!(subjects.len(), 100);
    let opts = Options {
        launch_type: LaunchType::Fargate,
        default_region: Some("us-east-1".to_string()),
    };
    let start = Instant::now();
    let a = assess::assess(&subjects, &opts);
    let took = start.elapsed();
    eprintln!("assess::assess over 100 subjects: {took:?}");
    assert_eq!(a.rows.len(), 100);
    assert_eq!(a.verdicts.failed, 4);
    assert_eq!(a.cost.priced, 96);
    assert!(took.as_secs() < 10, "assess took {took:?}");
    // And through the binary, the HTML has a row per environment.
    let out = tmp.path().join("out");
    common::eb2ecs()
        .arg("assess")
        .args(&dirs)
        .args(["--region", "us-east-1", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "4 of 100 environments could not be assessed",
        ));
    let html = std::fs::read_to_string(out.join("assessment.html")).unwrap();
    assert_eq!(html.matches("<tr class=\"env ").count(), 100);
}

/// `--launch-type ec2`: the ECS side is EC2 capacity, one container instance per task.
#[test]
fn ec2_capacity_is_priced_per_instance() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("a");
    let root = common::root();
    common::eb2ecs()
        .arg("assess")
        .arg(root.join("testdata/assess/fleet/input/storefront"))
        .arg(tmp.path().join("no-such-folder"))
        .args(["--region", "us-east-1", "--launch-type", "ec2", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no-such-folder: not a folder"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("assessment.json")).unwrap())
            .unwrap();
    let row = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["environment"] == "storefront")
        .unwrap();
    let converts = row["converts_to"].as_str().unwrap();
    assert!(converts.starts_with("EC2, 1..4 tasks on "), "{converts}");
    let how = row["cost"]["how"][1].as_str().unwrap();
    assert!(how.contains("one per task"), "{how}");
    assert_eq!(json["prices"]["launch_type"], "EC2");
}
