//! The stack the builder (`infra::stack`) makes, over every golden case and corpus conversion:
//! every reference resolves (a `Ref` to a parameter, resource or pseudo parameter, a `GetAtt`
//! or `DependsOn` to a resource, a condition to a condition, every `${Name}` of an `Fn::Sub`
//! to one of those or the Sub's own variables), and it is exactly what `cloudformation.yaml`
//! holds.

mod common;

use eb2ecs::infra::template::Template;
use eb2ecs::infra::value::{sub_names, Value};

/// CloudFormation's pseudo parameters.
const PSEUDO: &[&str] = &[
    "AWS::AccountId",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
    "AWS::NotificationARNs",
];

/// What a template's references may name.
struct Names<'a>(&'a Template);

impl Names<'_> {
    fn value(&self, name: &str) -> bool {
        PSEUDO.contains(&name)
            || self.0.parameter(name).is_some()
            || self.0.resource(name).is_some()
    }

    fn condition(&self, name: &str) -> bool {
        self.0.conditions.iter().any(|(c, _)| c == name)
    }
}

/// Every reference of `v` that does not resolve.
fn dangling(names: &Names, v: &Value, local: &[String], out: &mut Vec<String>) {
    match v {
        Value::Ref(r) if !names.value(r) && !local.contains(r) => out.push(format!("Ref {r}")),
        Value::GetAtt(r, a) if names.0.resource(r).is_none() => out.push(format!("GetAtt {r}.{a}")),
        Value::Sub(s) => out.extend(
            sub_names(s)
                .into_iter()
                .filter(|n| !names.value(n) && !local.contains(n))
                .map(|n| format!("${{{n}}}")),
        ),
        Value::If(c, a, b) => {
            if !names.condition(c) {
                out.push(format!("If {c}"));
            }
            dangling(names, a, local, out);
            dangling(names, b, local, out);
        }
        Value::Call(f, arg) if f == "Fn::Sub" => {
            let (text, vars) = match arg.as_list() {
                Some([Value::Str(t), vars]) => (t.clone(), vars.clone()),
                _ => return out.push(format!("Fn::Sub {arg:?}")),
            };
            let mut local = local.to_vec();
            local.extend(vars.as_map().unwrap_or(&[]).iter().map(|(k, _)| k.clone()));
            dangling(names, &vars, &local, out);
            dangling(names, &Value::Sub(text), &local, out);
        }
        Value::Call(f, arg)
            if f == "Condition" && !arg.as_str().is_some_and(|c| names.condition(c)) =>
        {
            out.push(format!("Condition {arg:?}"))
        }
        Value::Call(f, _) if f == "Condition" => {}
        Value::Call(_, arg) => dangling(names, arg, local, out),
        Value::List(l) => l.iter().for_each(|x| dangling(names, x, local, out)),
        Value::Map(m) => m.iter().for_each(|(_, x)| dangling(names, x, local, out)),
        _ => {}
    }
}

/// The dangling references of a whole template, by where they are.
fn problems(t: &Template) -> Vec<String> {
    let names = Names(t);
    let mut values: Vec<(String, &Value)> = Vec::new();
    let mut out = Vec::new();
    for (id, c) in &t.conditions {
        values.push((format!("condition {id}"), c));
    }
    values.extend(t.rules.iter().map(|r| ("rules".to_string(), r)));
    for r in &t.resources {
        values.push((format!("resource {}", r.id), &r.properties));
        for (k, v) in &r.attributes {
            values.push((format!("resource {} {k}", r.id), v));
        }
        for d in r.depends_on.iter().filter(|d| t.resource(d).is_none()) {
            out.push(format!("resource {}: DependsOn {d}", r.id));
        }
        if let Some(c) = r.condition.as_deref().filter(|c| !names.condition(c)) {
            out.push(format!("resource {}: Condition {c}", r.id));
        }
    }
    values.extend(
        t.outputs
            .iter()
            .map(|o| (format!("output {}", o.id), &o.value)),
    );
    for (at, v) in values {
        let mut d = Vec::new();
        dangling(&names, v, &[], &mut d);
        out.extend(d.into_iter().map(|d| format!("{at}: {d}")));
    }
    out
}

#[test]
fn every_reference_of_the_built_stack_resolves_and_is_printed() {
    let mut failures = Vec::new();
    let all = common::all_conversions(&[]);
    assert!(all.len() > 100, "{} conversions", all.len());
    for c in &all {
        let t = eb2ecs::infra::stack::stack(&c.model);
        failures.extend(
            problems(&t)
                .into_iter()
                .map(|p| format!("{}: {p}", c.label)),
        );
        let printed = c.artefacts.iter().find(|a| a.name == "cloudformation.yaml");
        if let Some(a) = printed {
            let back = eb2ecs::infra::template::from_yaml(&a.content).unwrap();
            // The printed stack's references resolve too (after a team's --overrides as well).
            failures.extend(
                problems(&back)
                    .into_iter()
                    .map(|p| format!("{} (printed): {p}", c.label)),
            );
            // A case with --overrides prints the patched stack on purpose.
            let patched = c.label.contains("stack-overrides");
            if !patched && back.to_json() != t.to_json() {
                failures.push(format!(
                    "{}: cloudformation.yaml is not the built stack",
                    c.label
                ));
            }
        }
    }
    failures.truncate(20);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_dangling_reference_is_found() {
    let t = Template {
        resources: vec![eb2ecs::infra::template::Resource {
            id: "A".into(),
            kind: "AWS::SQS::Queue".into(),
            properties: Value::map([
                ("X", Value::r("Nowhere")),
                ("Y", Value::Sub("${A.Arn}/${Missing}".into())),
                (
                    "Z",
                    Value::If(
                        "NoCondition".into(),
                        Box::new(Value::Null),
                        Box::new(Value::Null),
                    ),
                ),
            ]),
            ..Default::default()
        }],
        ..Template::default()
    };
    assert_eq!(
        problems(&t),
        [
            "resource A: Ref Nowhere",
            "resource A: ${Missing}",
            "resource A: If NoCondition"
        ]
    );
}
