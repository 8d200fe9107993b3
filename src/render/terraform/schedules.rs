//! `schedules.tf`: the `schedules_enabled` variable every schedule's state follows (the stack's
//! `SchedulesEnabled`: cron.yaml periodic tasks in `worker.tf` and the cron jobs here), and for
//! each cron job of EB's instances an `aws_scheduler_schedule` that runs the one-off task's
//! latest revision with the job's command, with the role it uses.

/// `schedules.tf`.
pub const SCHEDULES: &str = "terraform/schedules.tf";

// ---------------------------------------------------------------------------------------------
// From the stack model: the cron jobs' schedules (and every schedule's shape, cron.yaml's in
// worker.tf too; the scheduler role is iam.rs's, as every role).
// ---------------------------------------------------------------------------------------------

use super::model::Module;
use super::resources::{closing, header, nested, opening, value, Blocks, BOOL_VAR, JSONENCODE};
use crate::error::Result;
use crate::infra::template::Resource;
use crate::infra::value::Value as V;

/// The blocks of a cron-job resource; `None` for any other resource.
pub(super) fn print(m: &Module, r: &Resource) -> Option<Result<Blocks>> {
    Some(match (r.kind.as_str(), r.id.as_str()) {
        ("AWS::Scheduler::Schedule", _) => schedule_of(m, r),
        _ => return None,
    })
}

/// An EventBridge Scheduler schedule. Terraform's `network_configuration` has no
/// `awsvpc_configuration` level, and its `assign_public_ip` is a bool.
pub(super) fn schedule_of(m: &Module, r: &Resource) -> Result<Blocks> {
    const NAMES: &[(&str, &str)] = &[("AwsvpcConfiguration", "")];
    let p = m.props(r);
    let get = |k: &str| p.get(k).map(|x| value(m, x));
    let mut b = opening(m, r)
        .attr_opt("name", get("Name"))
        .attr_opt("group_name", get("GroupName"))
        .attr_opt("description", get("Description"))
        .attr_opt("schedule_expression", get("ScheduleExpression"))
        .attr_opt(
            "schedule_expression_timezone",
            get("ScheduleExpressionTimezone"),
        )
        .attr_opt("start_date", get("StartDate"))
        .attr_opt("end_date", get("EndDate"))
        .attr_opt("state", get("State"));
    if let Some(w) = p.get("FlexibleTimeWindow") {
        b = b.blank().block("flexible_time_window", nested(m, w, &[]));
    }
    if let Some(t) = p.get("Target") {
        let t = bool_public_ip(m, t);
        let t = json_input(&t);
        b = b.blank().block("target", nested(m, &t, NAMES));
    }
    p.finish()?;
    Ok(vec![(header(r), closing(m, r, b))])
}

/// `AssignPublicIp` (`ENABLED`/`DISABLED`, or a parameter of those) as Terraform's bool.
fn bool_public_ip(m: &Module, v: &V) -> V {
    match v {
        V::Map(pairs) => V::Map(
            pairs
                .iter()
                .map(|(k, x)| {
                    let x = match (k.as_str(), x) {
                        ("AssignPublicIp", V::Str(s)) => V::Bool(s == "ENABLED"),
                        ("AssignPublicIp", V::Ref(param)) if m.t.parameter(param).is_some() => {
                            V::Call(BOOL_VAR.into(), Box::new(V::s(param.clone())))
                        }
                        _ => bool_public_ip(m, x),
                    };
                    (k.clone(), x)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A schedule's `Input` joined from JSON text and references (the worker's message, whose
/// `QueueUrl` is the queue's `Ref`) as `jsonencode` of the document it makes; any other
/// input as written.
fn json_input(target: &V) -> V {
    let V::Map(pairs) = target else {
        return target.clone();
    };
    let pairs = pairs
        .iter()
        .map(|(k, x)| match (k.as_str(), joined_json(x)) {
            ("Input", Some(doc)) => (k.clone(), V::Call(JSONENCODE.into(), Box::new(doc))),
            _ => (k.clone(), x.clone()),
        })
        .collect();
    V::Map(pairs)
}

/// `Fn::Join ["", [text, ref, text …]]` whose texts with each reference as a string make a
/// JSON document: that document, each reference in its place.
fn joined_json(v: &V) -> Option<V> {
    let V::Call(name, arg) = v else { return None };
    if name != "Fn::Join" {
        return None;
    }
    let [V::Str(sep), V::List(parts)] = arg.as_list()? else {
        return None;
    };
    if !sep.is_empty() {
        return None;
    }
    let mut text = String::new();
    let mut refs = Vec::new();
    for part in parts {
        match part {
            V::Str(s) => text.push_str(s),
            other => {
                text.push_str(&format!("eb2ecs-ref-{}", refs.len()));
                refs.push(other.clone());
            }
        }
    }
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    Some(place(&V::from_json(&json), &refs))
}

/// Put each reference back where its placeholder string is.
fn place(v: &V, refs: &[V]) -> V {
    match v {
        V::Str(s) => s
            .strip_prefix("eb2ecs-ref-")
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| refs.get(i).cloned())
            .unwrap_or_else(|| v.clone()),
        V::List(l) => V::List(l.iter().map(|x| place(x, refs)).collect()),
        V::Map(p) => V::Map(p.iter().map(|(k, x)| (k.clone(), place(x, refs))).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod model_tests {
    use super::super::resources::printed;
    use super::print;

    const STACK: &str = r#"
Parameters:
  AssignPublicIp: {Type: String, AllowedValues: [ENABLED, DISABLED], Default: ENABLED}
Resources:
  WorkerQueue:
    Type: AWS::SQS::Queue
  WorkerScheduleA:
    Type: AWS::Scheduler::Schedule
    Properties:
      ScheduleExpression: "rate(1 hour)"
      FlexibleTimeWindow: {Mode: "OFF"}
      Target:
        Arn: x
        Input: !Join ["", ["{\"QueueUrl\":\"", !Ref WorkerQueue, "\",\"MessageBody\":\"b\"}"]]
  CronSchedule1:
    Type: AWS::Scheduler::Schedule
    Properties:
      ScheduleExpression: "rate(1 hour)"
      FlexibleTimeWindow: {Mode: "OFF"}
      Target:
        Arn: x
        EcsParameters:
          NetworkConfiguration:
            AwsvpcConfiguration: {AssignPublicIp: !Ref AssignPublicIp, Subnets: [a]}
"#;

    #[test]
    fn schedules_take_terraform_shapes() {
        let w = printed(print, STACK, "WorkerScheduleA").unwrap();
        assert!(w.contains("    input = jsonencode({\n      QueueUrl    = aws_sqs_queue.worker.url\n      MessageBody = \"b\"\n    })"), "{w}");
        let c = printed(print, STACK, "CronSchedule1").unwrap();
        assert!(c.contains("      network_configuration {\n        assign_public_ip = var.assign_public_ip\n        subnets          = [\"a\"]\n      }"), "{c}");
    }
}
