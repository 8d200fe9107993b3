//! Every real-world Dockerrun in testdata/corpus converts for both launch types (or, only if the
//! file is itself broken, is refused with file, line and column), and every output passes the
//! Fargate rules and botocore's parameter validation.

mod common;

use eb2ecs::convert::limits;
use eb2ecs::error::Error;

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

/// The corpus folders `subs` converted for both launch types: at least `at_least` conversions.
fn conversions_of(subs: &[&str], at_least: usize) -> Vec<common::Conversion> {
    let conversions = common::corpus_conversions(subs);
    assert!(
        conversions.len() >= at_least,
        "the corpus is missing files in {subs:?}: only {} conversions",
        conversions.len()
    );
    conversions
}

/// Every real Dockerrun converts for both launch types; the Fargate ones keep the Fargate rules,
/// and every task and service definition passes botocore's validation.
#[test]
fn corpus_converts_and_validates() {
    let conversions = conversions_of(&["dockerrun-v1", "dockerrun-v2", "compose"], 68);
    let mut graded = std::collections::BTreeSet::new();
    for c in &conversions {
        for f in &c.model.findings {
            if !eb2ecs::codes::allows(f.code.as_str(), f.severity) {
                graded.insert(format!(
                    "{} as {} ({})",
                    f.code.as_str(),
                    f.severity,
                    c.label
                ));
            }
        }
        if c.launch_type == "fargate" {
            check_fargate_rules(&c.label, &c.model.task_definition);
        } else {
            assert_eq!(
                c.model.task_definition.network_mode, "bridge",
                "{}",
                c.label
            );
        }
    }
    assert!(
        graded.is_empty(),
        "severities src/codes.rs does not state for their code:\n{}",
        graded.into_iter().collect::<Vec<_>>().join("\n")
    );
    common::assert_ecs_valid(&conversions);
}

#[test]
fn malformed_corpus_files_are_refused_with_location() {
    let files = common::corpus_files("dockerrun-v2/malformed", None);
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

/// Every real .ebextensions and saved-config file loads and drives a conversion (both launch
/// types) whose task and service definitions still validate.
#[test]
fn corpus_settings_convert_and_validate() {
    let conversions = conversions_of(&["ebextensions", "saved-configs"], 30);
    common::assert_ecs_valid(&conversions);
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
    for (file, secret) in [
        ("ebextensions/001.config", "redacted.Pw"),
        ("saved-configs/012.yml", "REDACTEDredactedREDACTED000"),
    ] {
        let (sub, _) = file.split_once('/').unwrap();
        let path = common::root().join("testdata/corpus").join(file);
        let (_, artefacts) =
            common::convert_args(&common::corpus_args(sub, &path, "fargate"), "corpus").unwrap();
        common::assert_no_secret(common::artefact_texts(&artefacts), &[secret]);
    }
}
