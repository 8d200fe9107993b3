//! Input that cannot be made sense of is refused with an input error, never a panic: corpus files
//! with values swapped for every JSON type (deterministic pseudo-random mutations) go through the
//! whole pipeline for both launch types. A refusal names the file, and a line and column that
//! exist in the text.

mod common;

use eb2ecs::error::{Error, Result};
use eb2ecs::load::Inputs;
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

/// The error's Display starts with `FILE:LINE:COL: `, LINE is a line of `text` and COL at most
/// one past that line's end.
fn assert_located(err: &Error, file: &str, text: &str) {
    let msg = err.to_string();
    let place = msg
        .strip_prefix(&format!("{file}:"))
        .and_then(|rest| rest.split_once(": "))
        .map(|(place, _)| place)
        .unwrap_or_else(|| panic!("{msg:?} does not start with {file}:LINE:COL: \n{text}"));
    let (line, column) = place
        .split_once(':')
        .and_then(|(l, c)| Some((l.parse::<usize>().ok()?, c.parse::<usize>().ok()?)))
        .unwrap_or_else(|| panic!("{msg:?}: no LINE:COL after the file name\n{text}"));
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        (1..=lines.len()).contains(&line),
        "{msg:?}: line {line} of a {}-line text\n{text}",
        lines.len()
    );
    let len = lines[line - 1].len();
    assert!(
        (1..=len + 1).contains(&column),
        "{msg:?}: column {column} of a {len}-byte line {:?}\n{text}",
        lines[line - 1]
    );
}

/// Feed `rounds` mutations of `docs` (serialised with `to_text`) to `load`, which reads them as
/// `file`, and convert what loads, alternating the launch type. At least `min.0` must convert
/// and `min.1` be refused, or the mutations test too little.
fn fuzz(
    seed: u64,
    rounds: usize,
    docs: &[Value],
    file: &str,
    to_text: fn(&Value) -> String,
    load: &dyn Fn(&str) -> Result<Inputs>,
    min: (usize, usize),
) {
    let reps = replacements();
    let mut rng = Lcg(seed);
    let (mut converted, mut refused) = (0, 0);
    for round in 0..rounds {
        let mut doc = docs[rng.next(docs.len())].clone();
        for _ in 0..=rng.next(3) {
            mutate(&mut doc, &mut rng, &reps);
        }
        let text = to_text(&doc);
        let lt = common::LAUNCH_TYPES[round % 2];
        let opts = common::options(&["--launch-type".into(), lt.into()]);
        match load(&text) {
            Ok(inputs) => {
                eb2ecs::app::build(&inputs, &opts)
                    .unwrap_or_else(|e| panic!("a loaded file failed later: {e}\n{text}"));
                converted += 1;
            }
            Err(e @ Error::Input { .. }) => {
                assert_located(&e, file, &text);
                refused += 1;
            }
            Err(other) => panic!("wrong error kind {other}\n{text}"),
        }
    }
    assert!(
        converted > min.0 && refused > min.1,
        "converted {converted}, refused {refused}: the mutations test too little"
    );
}

fn to_json(doc: &Value) -> String {
    serde_json::to_string_pretty(doc).unwrap()
}

fn to_yaml(doc: &Value) -> String {
    serde_yaml_ng::to_string(doc).unwrap()
}

#[test]
fn mutated_corpus_never_panics() {
    let docs: Vec<Value> = common::corpus_texts(&["dockerrun-v1", "dockerrun-v2"], Some("json"))
        .iter()
        .map(|t| serde_json::from_str(t).unwrap())
        .collect();
    let file = "Dockerrun.aws.json";
    let load = |text: &str| -> Result<Inputs> {
        let (run, findings) = eb2ecs::load::dockerrun_from_text(text, file, file)?;
        Ok(common::in_memory(run, findings, vec![]))
    };
    fuzz(42, 400, &docs, file, to_json, &load, (50, 50));
}

#[test]
fn mutated_settings_never_panic() {
    let docs: Vec<Value> = common::corpus_texts(&["ebextensions", "saved-configs"], None)
        .iter()
        .filter_map(|t| serde_yaml_ng::from_str::<serde_yaml_ng::Value>(t).ok())
        .filter_map(|yaml| serde_json::to_value(yaml).ok())
        .collect();
    let dockerrun = std::fs::read_to_string(common::settings_dockerrun()).unwrap();
    let (run, findings) =
        eb2ecs::load::dockerrun_from_text(&dockerrun, "Dockerrun.aws.json", "Dockerrun.aws.json")
            .unwrap();
    let load = |text: &str| -> Result<Inputs> {
        let settings = eb2ecs::load::settings::parse(text, "s.config", "s.config", None)?;
        Ok(common::in_memory(
            run.clone(),
            findings.clone(),
            vec![settings],
        ))
    };
    fuzz(7, 300, &docs, "s.config", to_yaml, &load, (50, 10));
}
