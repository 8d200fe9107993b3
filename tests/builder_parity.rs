//! Temporary safety net while the stack moves from the handlebars partials to the builder:
//! over every golden case and corpus conversion, the builder's Template equals the partials'.

mod common;

use eb2ecs::infra::template::Template;
use eb2ecs::render::cloudformation::{stack, stack_handlebars};
use eb2ecs::render::templates::Templates;

fn diff(label: &str, built: &Template, old: &Template) -> Vec<String> {
    let mut out = Vec::new();
    let j = |t: &Template, k: &str| serde_json::to_string_pretty(&t.to_json()[k]).unwrap();
    for k in ["Description", "Parameters", "Rules", "Conditions", "Outputs"] {
        if j(built, k) != j(old, k) {
            out.push(format!("{label}: {k}\n--- built\n{}\n--- partials\n{}", j(built, k), j(old, k)));
        }
    }
    let ids = |t: &Template| t.resources.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    if ids(built) != ids(old) {
        out.push(format!("{label}: resource order\n{:?}\n{:?}", ids(built), ids(old)));
    }
    for o in &old.resources {
        let Some(b) = built.resource(&o.id) else { continue };
        let (bj, oj) = (
            serde_json::to_string_pretty(&b.clone().to_json_for_test()).unwrap(),
            serde_json::to_string_pretty(&o.clone().to_json_for_test()).unwrap(),
        );
        if bj != oj {
            out.push(format!("{label}: {}\n--- built\n{bj}\n--- partials\n{oj}", o.id));
        }
        if let Some(c) = &o.comment {
            if !b.comment.as_deref().unwrap_or("").starts_with(c.as_str()) {
                out.push(format!("{label}: {} comment {:?} vs {c:?}", o.id, b.comment));
            }
        }
    }
    out
}

trait ForTest {
    fn to_json_for_test(self) -> serde_json::Value;
}

impl ForTest for eb2ecs::infra::template::Resource {
    fn to_json_for_test(self) -> serde_json::Value {
        let t = Template {
            resources: vec![self],
            ..Template::default()
        };
        t.to_json()["Resources"].as_object().unwrap().values().next().unwrap().clone()
    }
}

#[test]
fn the_builder_builds_what_the_partials_did() {
    let t = Templates::bundled();
    let mut problems = Vec::new();
    let all = common::all_conversions(&[]);
    let n = all.len();
    for c in all {
        let built = stack(&c.model, t).unwrap();
        let old = stack_handlebars(&c.model, t).unwrap();
        problems.extend(diff(&c.label, &built, &old));
    }
    let total = problems.len();
    problems.truncate(6);
    assert!(problems.is_empty(), "{total} differences over {n} conversions:\n{}", problems.join("\n\n"));
    eprintln!("{n} conversions equal");
}
