//! The fuzzing seeds (fuzz/seeds/pipeline: a Dockerrun, then settings documents after `----`
//! lines), including every input the fuzzer once crashed on, go through the whole pipeline for
//! both launch types in `cargo test` too: no internal error, and every artefact parses back.

mod common;

use eb2ecs::error::Error;

#[test]
fn fuzz_seeds_convert_or_are_refused_cleanly() {
    let dir = common::root().join("fuzz/seeds/pipeline");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("fuzz/seeds/pipeline") {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut parts = text.split("\n----\n");
        let dockerrun = parts.next().unwrap_or_default();
        let Ok((run, findings)) = eb2ecs::load::dockerrun_from_text(
            dockerrun,
            "Dockerrun.aws.json",
            "Dockerrun.aws.json",
        ) else {
            continue;
        };
        let settings: Vec<_> = parts
            .filter_map(|s| eb2ecs::load::settings::parse(s, "s.config", "s.config", None).ok())
            .collect();
        for lt in common::LAUNCH_TYPES {
            let opts = common::options(&["--launch-type".into(), lt.into()]);
            let inputs = common::in_memory(run.clone(), findings.clone(), settings.clone());
            match eb2ecs::app::build(&inputs, &opts) {
                Ok((_, artefacts)) => {
                    for a in &artefacts {
                        if a.name.ends_with(".json") {
                            serde_json::from_str::<serde_json::Value>(&a.content)
                                .unwrap_or_else(|e| panic!("{}: {}: {e}", path.display(), a.name));
                        } else if a.name.ends_with(".yaml") {
                            serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&a.content)
                                .unwrap_or_else(|e| panic!("{}: {}: {e}", path.display(), a.name));
                        }
                    }
                }
                Err(e @ Error::Bug(_)) => panic!("{}: {e}", path.display()),
                Err(_) => {}
            }
            seen += 1;
        }
    }
    assert!(seen >= 6, "only {seen} seed conversions ran");
}
