//! Every real-world Dockerrun in testdata/corpus converts for both launch types (or, only if the
//! file is itself broken, is refused with file, line and column), and every output passes the
//! Fargate rules and botocore's parameter validation.

mod common;

use eb2ecs::convert::limits;
use eb2ecs::error::Error;
use eb2ecs::model::LaunchType;
use std::fs;
use std::path::PathBuf;

fn corpus_files(sub: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(common::root().join("testdata/corpus").join(sub))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    v.sort();
    v
}

/// Files that are broken on purpose, and what the error must say.
const MALFORMED: &[(&str, &str)] = &[
    ("011.json", ":12:23: invalid JSON"),
    ("019.json", ":26:4: invalid JSON"),
];

fn check_fargate_rules(name: &str, td: &eb2ecs::ecs::TaskDefinition) {
    let cpu: u32 = td.cpu.as_deref().unwrap().parse().unwrap();
    let mem: u32 = td.memory.as_deref().unwrap().parse().unwrap();
    assert!(
        limits::is_valid_fargate(cpu, mem),
        "{name}: {cpu}/{mem} is not a Fargate size"
    );
    assert_eq!(td.network_mode, "awsvpc", "{name}");
    let mut mem_sum = 0;
    let mut cpu_sum = 0;
    let mut ports = Vec::new();
    for c in &td.container_definitions {
        assert!(c.links.is_empty(), "{name}: {} keeps links", c.name);
        assert!(
            c.hostname.is_none() && c.privileged.is_none(),
            "{name}: {}",
            c.name
        );
        for p in &c.port_mappings {
            assert_eq!(p.host_port, Some(p.container_port), "{name}: {}", c.name);
            assert!(
                !ports.contains(&p.container_port),
                "{name}: port {} twice",
                p.container_port
            );
            ports.push(p.container_port);
        }
        mem_sum += c.memory.max(c.memory_reservation).unwrap_or(0);
        cpu_sum += c.cpu.unwrap_or(0);
        assert!(
            c.log_configuration.is_some(),
            "{name}: {} has no logConfiguration",
            c.name
        );
    }
    assert!(
        mem_sum <= mem,
        "{name}: containers need {mem_sum} MiB > task {mem}"
    );
    assert!(
        cpu_sum <= cpu,
        "{name}: containers need {cpu_sum} CPU > task {cpu}"
    );
    for v in &td.volumes {
        assert!(
            v.host.is_none(),
            "{name}: Fargate volume {} has a host path",
            v.name
        );
    }
}

#[test]
fn corpus_converts_and_validates() {
    let out_root = tempfile::tempdir().unwrap();
    let mut files = corpus_files("dockerrun-v1");
    files.extend(corpus_files("dockerrun-v2"));
    assert!(
        files.len() >= 30,
        "corpus is missing files: {}",
        files.len()
    );
    let mut outputs = Vec::new();
    for (i, file) in files.iter().enumerate() {
        for (lt, flag) in [(LaunchType::Fargate, "fargate"), (LaunchType::Ec2, "ec2")] {
            let (model, artefacts) =
                common::convert_file(file, &["--launch-type", flag, "--region", "eu-west-1"])
                    .unwrap_or_else(|e| panic!("{} ({flag}) did not convert: {e}", file.display()));
            if lt == LaunchType::Fargate {
                check_fargate_rules(&file.display().to_string(), &model.task_definition);
            } else {
                assert_eq!(model.task_definition.network_mode, "bridge");
            }
            let dir = out_root.path().join(format!("{i}-{flag}"));
            fs::create_dir_all(&dir).unwrap();
            for a in &artefacts {
                fs::write(dir.join(a.name), &a.content).unwrap();
                if a.name.ends_with(".json") && a.name != "report.json" {
                    outputs.push(dir.join(a.name));
                }
            }
        }
    }
    let report = common::run_validator("validate_ecs.py", &outputs);
    assert!(
        report.contains(&format!("{} files checked, 0 invalid", outputs.len())),
        "{report}"
    );
}

#[test]
fn malformed_corpus_files_are_refused_with_location() {
    let files = {
        let mut v: Vec<PathBuf> =
            fs::read_dir(common::root().join("testdata/corpus/dockerrun-v2/malformed"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
        v.sort();
        v
    };
    assert_eq!(files.len(), MALFORMED.len());
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let (_, want) = MALFORMED.iter().find(|(n, _)| *n == name).unwrap();
        match common::convert_file(&file, &[]) {
            Err(e @ Error::Input { .. }) => {
                let msg = e.to_string();
                assert!(msg.contains(want), "{name}: {msg}");
                assert!(
                    msg.contains(&name),
                    "{name}: error does not name the file: {msg}"
                );
            }
            Err(other) => panic!("{name}: wrong error kind: {other}"),
            Ok(_) => panic!("{name}: a broken file converted"),
        }
    }
}

fn settings_files(sub: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(common::root().join("testdata/corpus").join(sub))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

/// Every real .ebextensions and saved-config file loads and drives a conversion whose output
/// still validates; the malformed one is refused with file, line and problem.
#[test]
fn corpus_settings_convert_and_validate() {
    let out_root = tempfile::tempdir().unwrap();
    let dockerrun = common::root().join("testdata/cases/nginx-linked-app/input/Dockerrun.aws.json");
    let mut files = settings_files("ebextensions");
    files.extend(settings_files("saved-configs"));
    assert!(
        files.len() >= 15,
        "corpus settings missing: {}",
        files.len()
    );
    let mut outputs = Vec::new();
    for (i, file) in files.iter().enumerate() {
        for flag in ["fargate", "ec2"] {
            let args: Vec<String> = vec![
                "--dockerrun".into(),
                dockerrun.display().to_string(),
                "--settings".into(),
                file.display().to_string(),
                "--launch-type".into(),
                flag.into(),
                "--region".into(),
                "eu-west-1".into(),
            ];
            let (model, artefacts) = common::convert_args(&args, "corpus")
                .unwrap_or_else(|e| panic!("{} ({flag}) did not convert: {e}", file.display()));
            // Every option the file set is either used or reported.
            assert!(model
                .inputs
                .iter()
                .any(|i| i.ends_with(&*file.file_name().unwrap().to_string_lossy())));
            let dir = out_root.path().join(format!("s{i}-{flag}"));
            fs::create_dir_all(&dir).unwrap();
            for a in &artefacts {
                fs::write(dir.join(a.name), &a.content).unwrap();
                if a.name == "task-definition.json" || a.name == "service.json" {
                    outputs.push(dir.join(a.name));
                }
            }
        }
    }
    let report = common::run_validator("validate_ecs.py", &outputs);
    assert!(
        report.contains(&format!("{} files checked, 0 invalid", outputs.len())),
        "{report}"
    );
}

#[test]
fn malformed_settings_are_refused_with_location() {
    let bad = common::root().join("testdata/corpus/ebextensions/malformed/021.config");
    let err = eb2ecs::load::settings::load(&bad, "021.config", "021.config", None).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with("021.config:3:16: invalid YAML: mapping values are not allowed"),
        "{msg}"
    );
}

/// Secret values from the real settings files reach no output.
#[test]
fn corpus_secrets_stay_out_of_outputs() {
    let dockerrun = common::root().join("testdata/cases/nginx-linked-app/input/Dockerrun.aws.json");
    for (file, secret) in [
        ("ebextensions/001.config", "redacted.Pw"),
        ("saved-configs/012.yml", "REDACTEDredactedREDACTED000"),
    ] {
        let path = common::root().join("testdata/corpus").join(file);
        let (_, artefacts) = common::convert_args(
            &[
                "--dockerrun".into(),
                dockerrun.display().to_string(),
                "--settings".into(),
                path.display().to_string(),
            ],
            "corpus",
        )
        .unwrap();
        for a in &artefacts {
            assert!(
                !a.content.contains(secret),
                "{file}: {} contains {secret}",
                a.name
            );
        }
    }
}
