//! `schedules.tf`: the `schedules_enabled` variable every schedule's state follows (the stack's
//! `SchedulesEnabled`: cron.yaml periodic tasks in `worker.tf` and the cron jobs here), and for
//! each cron job of EB's instances an `aws_scheduler_schedule` that runs the one-off task's
//! latest revision with the job's command, with the role it uses.

use super::hcl::{self, raw, s, Body, Expr};
use super::iam::{assume, inline, role};
use super::{data, resource};
use crate::render::cloudformation::Context;
use crate::render::cron::CronCtx;
use crate::render::names::snake;

/// `schedules.tf`.
pub const SCHEDULES: &str = "terraform/schedules.tf";

/// The state every schedule has: the variable decides.
pub const STATE: &str = "var.schedules_enabled ? \"ENABLED\" : \"DISABLED\"";

/// The file, when the module has schedules.
pub fn render(ctx: &Context) -> Option<(&'static str, String)> {
    let c = ctx.cron.as_ref()?;
    let mut blocks = vec![(
        "variable \"schedules_enabled\"".to_string(),
        Body::new()
            .attr("description", s("Whether the schedules run (cron.yaml periodic tasks, cron jobs of EB's instances). Created disabled so nothing runs twice while EB is still up; set true at the cut-over (CHECKLIST.md)"))
            .attr("type", raw("bool"))
            .attr("default", raw("false")),
    )];
    if !c.jobs.is_empty() {
        blocks.extend(role_blocks(c));
        blocks.extend(c.jobs.iter().map(|j| schedule(ctx, c, j)));
    }
    Some((SCHEDULES, hcl::file(blocks)))
}

/// The one-off family's ARN without a revision (the schedules run its latest revision).
fn family_arn(c: &CronCtx) -> String {
    format!("arn:${{data.aws_partition.current.partition}}:ecs:${{data.aws_region.current.name}}:${{data.aws_caller_identity.current.account_id}}:task-definition/{}", c.family)
}

/// The scheduler's role: run the one-off task, pass its two roles.
fn role_blocks(c: &CronCtx) -> Vec<(String, Body)> {
    let arn = family_arn(c);
    let statement = |sid: &str, action: &str, resources: Expr| {
        Body::new()
            .attr("sid", s(sid))
            .attr("effect", s("Allow"))
            .attr("actions", hcl::strs([action]))
            .attr("resources", resources)
    };
    // The ARN is an HCL template (its `${…}` are interpolations); the family is a plain name.
    let run = Expr::List(vec![raw(format!("\"{arn}\"")), raw(format!("\"{arn}:*\""))]);
    let pass = raw("[aws_iam_role.execution.arn, aws_iam_role.task.arn]");
    let document = Body::new()
        .block("statement", statement("RunOneOffTask", "ecs:RunTask", run))
        .blank()
        .block(
            "statement",
            statement("PassTaskRoles", "iam:PassRole", pass),
        );
    vec![
        (data("aws_iam_policy_document", "cron_scheduler_assume"), assume("scheduler.amazonaws.com", true)),
        (
            resource("aws_iam_role", "cron_scheduler"),
            Body::new()
                .comment("Runs the one-off task with each cron job's command on its schedule: nothing else.")
                .extend(role("cron", "cron_scheduler_assume")),
        ),
        (data("aws_iam_policy_document", "cron_run_task"), document),
        (
            resource("aws_iam_role_policy", "cron_scheduler"),
            inline("cron_scheduler", "run-cron-jobs", "cron_run_task"),
        ),
    ]
}

/// One cron job's schedule.
fn schedule(ctx: &Context, c: &CronCtx, j: &crate::render::cron::JobCtx) -> (String, Body) {
    let mut ecs = Body::new()
        .attr("task_definition_arn", raw(format!("\"{}\"", family_arn(c))))
        .attr(
            "launch_type",
            s(if ctx.fargate { "FARGATE" } else { "EC2" }),
        );
    if ctx.network_mode == "awsvpc" {
        let assign = if ctx.fargate {
            "var.assign_public_ip"
        } else {
            "false"
        };
        ecs = ecs.blank().block(
            "network_configuration",
            Body::new()
                .attr("subnets", raw("var.subnets"))
                .attr("security_groups", raw("[aws_security_group.service.id]"))
                .attr("assign_public_ip", raw(assign)),
        );
    }
    let cluster = "local.create_cluster ? aws_ecs_cluster.this[0].arn : \"arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:cluster/${var.existing_cluster_name}\"";
    let target = Body::new()
        .attr("arn", raw(cluster))
        .attr("role_arn", raw("aws_iam_role.cron_scheduler.arn"))
        .attr("input", s(&j.input))
        .blank()
        .block("ecs_parameters", ecs);
    let body = Body::new()
        .comment(
            "A cron job of EB's instances: the one-off task's latest revision runs its command.",
        )
        .attr("description", s(&j.description))
        .attr("schedule_expression", s(&j.expression))
        .attr("schedule_expression_timezone", s("UTC"))
        .attr("state", raw(STATE))
        .blank()
        .block("flexible_time_window", Body::new().attr("mode", s("OFF")))
        .blank()
        .block("target", target)
        .blank()
        .attr("depends_on", raw("[aws_ecs_task_definition.one_off]"));
    (resource("aws_scheduler_schedule", &snake(&j.id)), body)
}

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
