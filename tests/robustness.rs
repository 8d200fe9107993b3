//! Input that cannot be made sense of is refused with an input error, never a panic: corpus files
//! with values swapped for every JSON type (deterministic pseudo-random mutations) go through the
//! whole pipeline for both launch types.

mod common;

use eb2ecs::error::Error;
use serde_json::{json, Value};

/// A tiny deterministic generator (no dependency, same sequence everywhere).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(70000),
        json!(1.5),
        json!(""),
        json!("true"),
        json!("a:b:c"),
        json!("${X}"),
        json!([]),
        json!([1]),
        json!({}),
        json!({"name": 1}),
    ]
}

fn mutate(v: &mut Value, rng: &mut Lcg, reps: &[Value]) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            let keys: Vec<String> = m.keys().cloned().collect();
            let k = &keys[rng.next(keys.len())];
            match rng.next(10) {
                0..=2 => {
                    m.insert(k.clone(), reps[rng.next(reps.len())].clone());
                }
                3 => {
                    m.remove(k);
                }
                _ => mutate(m.get_mut(k).unwrap(), rng, reps),
            }
        }
        Value::Array(a) if !a.is_empty() => {
            let i = rng.next(a.len());
            if rng.next(3) == 0 {
                a[i] = reps[rng.next(reps.len())].clone();
            } else {
                mutate(&mut a[i], rng, reps);
            }
        }
        other => *other = reps[rng.next(reps.len())].clone(),
    }
}

#[test]
fn mutated_corpus_never_panics() {
    let reps = replacements();
    let mut rng = Lcg(42);
    let mut files = Vec::new();
    for sub in ["dockerrun-v1", "dockerrun-v2"] {
        for e in std::fs::read_dir(common::root().join("testdata/corpus").join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "json") {
                files.push(std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    files.sort();
    let (mut converted, mut refused) = (0, 0);
    for round in 0..400 {
        let text = &files[rng.next(files.len())];
        let mut doc: Value = serde_json::from_str(text).unwrap();
        for _ in 0..=rng.next(3) {
            mutate(&mut doc, &mut rng, &reps);
        }
        let mutated = serde_json::to_string_pretty(&doc).unwrap();
        let lt = if round % 2 == 0 { "fargate" } else { "ec2" };
        let opts = common::options(&["--launch-type".into(), lt.into()]);
        match eb2ecs::load::dockerrun_from_text(
            &mutated,
            "Dockerrun.aws.json",
            "Dockerrun.aws.json",
        ) {
            Ok((run, findings)) => {
                eb2ecs::app::build(&common::in_memory(run, findings, vec![]), &opts)
                    .unwrap_or_else(|e| panic!("a parsed file failed later: {e}\n{mutated}"));
                converted += 1;
            }
            Err(Error::Input { line, column, .. }) => {
                assert!(line >= 1 && column >= 1);
                refused += 1;
            }
            Err(other) => panic!("wrong error kind {other}\n{mutated}"),
        }
    }
    assert!(
        converted > 50 && refused > 50,
        "converted {converted}, refused {refused}: the mutations test too little"
    );
}

#[test]
fn mutated_settings_never_panic() {
    let reps = replacements();
    let mut rng = Lcg(7);
    let mut texts = Vec::new();
    for sub in ["ebextensions", "saved-configs"] {
        for e in std::fs::read_dir(common::root().join("testdata/corpus").join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                texts.push(std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    texts.sort();
    let dockerrun = std::fs::read_to_string(
        common::root().join("testdata/cases/nginx-linked-app/input/Dockerrun.aws.json"),
    )
    .unwrap();
    let (mut converted, mut refused) = (0, 0);
    for round in 0..300 {
        let text = &texts[rng.next(texts.len())];
        let yaml: serde_yaml_ng::Value = match serde_yaml_ng::from_str(text) {
            Ok(v) => v,
            Err(_) => continue,
        };
        let mut doc: Value = match serde_json::to_value(&yaml) {
            Ok(v) => v,
            Err(_) => continue,
        };
        for _ in 0..=rng.next(3) {
            mutate(&mut doc, &mut rng, &reps);
        }
        let mutated = serde_yaml_ng::to_string(&doc).unwrap();
        let lt = if round % 2 == 0 { "fargate" } else { "ec2" };
        let opts = common::options(&["--launch-type".into(), lt.into()]);
        match eb2ecs::load::settings::parse(&mutated, "s.config", "s.config", None) {
            Ok(settings) => {
                let (run, findings) = eb2ecs::load::dockerrun_from_text(
                    &dockerrun,
                    "Dockerrun.aws.json",
                    "Dockerrun.aws.json",
                )
                .unwrap();
                eb2ecs::app::build(&common::in_memory(run, findings, vec![settings]), &opts)
                    .unwrap_or_else(|e| panic!("loaded settings failed later: {e}\n{mutated}"));
                converted += 1;
            }
            Err(Error::Input { line, column, .. }) => {
                assert!(line >= 1 && column >= 1);
                refused += 1;
            }
            Err(other) => panic!("wrong error kind {other}\n{mutated}"),
        }
    }
    assert!(
        converted > 50 && refused > 10,
        "converted {converted}, refused {refused}: the mutations test too little"
    );
}
