//! In-process timings of one conversion (criterion): the bundled example, 500 containers and
//! 10,000 env vars, each loaded once and then converted and rendered per iteration; 1,000 and
//! 10,000 compose services, loaded too in each iteration (growth per 10x must stay near 10x);
//! plus the first render of a fresh template registry (what every process pays once). The
//! whole-process targets (process start included) are checked by `scripts/bench targets`.

use criterion::{criterion_group, criterion_main, Criterion};
use eb2ecs::cli::{Cli, Command, InputArgs};
use eb2ecs::render::templates::Templates;
use std::path::Path;

fn input_args(dir: &Path) -> InputArgs {
    let argv = [
        "eb2ecs",
        "convert",
        &dir.display().to_string(),
        "--region",
        "eu-west-1",
    ];
    match <Cli as clap::Parser>::try_parse_from(argv) {
        Ok(Cli {
            command: Command::Convert(c),
        }) => c.input,
        _ => panic!("bad benchmark arguments"),
    }
}

/// A generated project: one Dockerrun with `containers` containers of `env` env vars each.
fn generated(dir: &Path, containers: usize, env: usize) {
    let vars: Vec<serde_json::Value> = (0..env)
        .map(|i| serde_json::json!({"name": format!("VAR_{i}"), "value": format!("v{i}")}))
        .collect();
    let defs: Vec<serde_json::Value> = (0..containers)
        .map(|i| {
            serde_json::json!({"name": format!("c{i}"), "image": "nginx:1.25",
                "essential": i == 0, "memory": 128, "environment": vars})
        })
        .collect();
    let doc = serde_json::json!({"AWSEBDockerrunVersion": 2, "containerDefinitions": defs});
    std::fs::create_dir_all(dir).expect("bench folder");
    std::fs::write(dir.join("Dockerrun.aws.json"), doc.to_string()).expect("bench Dockerrun");
}

/// A generated docker-compose.yml of `n` services, each naming the next in its environment
/// (so every service is looked up among all the others' names).
fn compose(dir: &Path, n: usize) {
    let mut text = String::from("services:\n");
    for i in 0..n {
        text.push_str(&format!(
            "  s{i}:\n    image: nginx:1.25\n    environment:\n      - UPSTREAM=http://s{}:80\n",
            (i + 1) % n
        ));
        if i == 0 {
            text.push_str("    ports:\n      - \"80:80\"\n");
        }
    }
    std::fs::create_dir_all(dir).expect("bench folder");
    std::fs::write(dir.join("docker-compose.yml"), text).expect("bench compose file");
}

fn bench_case(c: &mut Criterion, name: &str, dir: &Path) {
    let args = input_args(dir);
    let inputs = eb2ecs::app::load_inputs(&args).expect("bench inputs load");
    c.bench_function(name, |b| {
        b.iter(|| eb2ecs::app::build_args(&inputs, &args, None).expect("bench converts"))
    });
}

fn benches(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    bench_case(c, "example shop", &root.join("examples/shop"));
    let tmp = tempfile::tempdir().expect("temporary folder");
    generated(&tmp.path().join("c500"), 500, 0);
    bench_case(c, "500 containers", &tmp.path().join("c500"));
    generated(&tmp.path().join("e10k"), 1, 10_000);
    bench_case(c, "10,000 env vars", &tmp.path().join("e10k"));
    // Issue 26 item 23: growth per 10x must stay near 10x (compare the two).
    for n in [1_000, 10_000] {
        let dir = tmp.path().join(format!("compose{n}"));
        compose(&dir, n);
        let args = input_args(&dir);
        // Loading included: the compose loader resolves the services' names.
        c.bench_function(&format!("compose, {n} services (load included)"), |b| {
            b.iter(|| {
                let inputs = eb2ecs::app::load_inputs(&args).expect("bench inputs load");
                eb2ecs::app::build_args(&inputs, &args, None).expect("bench converts")
            })
        });
    }
    let args = input_args(&root.join("examples/shop"));
    let inputs = eb2ecs::app::load_inputs(&args).expect("example loads");
    c.bench_function("example shop, fresh templates (parse included)", |b| {
        b.iter(|| {
            let t = Templates::with_overrides(Vec::new());
            eb2ecs::app::build_args(&inputs, &args, Some(&t)).expect("bench converts")
        })
    });
}

criterion_group! {
    name = convert;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(convert);
