//! `worker.tf` (a worker environment only): what `templates/cfn-worker*.yaml.hbs` adds to the
//! stack — the sidecar image and kept queue variables, the queue and its dead-letter queue, the
//! task role's SQS policy, backlog scaling, the scheduler role and one schedule per periodic
//! task expression — from the same context.

use super::hcl::{self, raw, s, Body, Expr};
use super::iam::{assume, role};
use super::{data, resource};
use crate::render::cloudformation::Context;
use crate::render::names::snake;
use crate::render::worker::{message, WorkerCtx, QUEUE_URL_PATTERN};
use serde_json::Value;

/// `worker.tf`, or `None` when the environment is not a worker.
pub(super) fn render(ctx: &Context) -> Option<String> {
    let w = ctx.worker.as_ref()?;
    let mut blocks = variables(w);
    blocks.push(("locals".to_string(), locals(w)));
    if w.create_queue {
        blocks.extend(queues(w));
    }
    blocks.push((
        data("aws_iam_policy_document", "worker_queue"),
        queue_document(&w.task_policy),
    ));
    blocks.push((
        resource("aws_iam_role_policy", "task_worker_queue"),
        inline("task", "worker-queue", "worker_queue"),
    ));
    blocks.push((resource("aws_appautoscaling_policy", "backlog"), backlog(w)));
    if !w.schedules.is_empty() {
        blocks.extend(scheduler(w));
    }
    blocks.extend(outputs(w));
    Some(hcl::file(blocks))
}

fn variables(w: &WorkerCtx) -> Vec<(String, Body)> {
    let mut out = vec![(
        "variable \"sqsd_image\"".to_string(),
        Body::new()
            .attr("description", s("Image of the sqsd sidecar that polls the worker queue and POSTs each message to the application as EB's sqsd did (build it from sqsd/ in the eb2ecs repository or mirror the default; CHECKLIST.md)"))
            .attr("type", raw("string"))
            .attr("default", s(&w.sqsd_image)),
    )];
    if let Some(url) = &w.queue_url_default {
        let check = Body::new()
            .attr(
                "condition",
                raw(format!(
                    "can(regex({}, var.existing_worker_queue_url))",
                    hcl::quote(QUEUE_URL_PATTERN)
                )),
            )
            .attr(
                "error_message",
                s("An SQS queue URL: https://sqs.REGION.amazonaws.com/ACCOUNT/NAME."),
            );
        out.push((
            "variable \"existing_worker_queue_url\"".to_string(),
            Body::new()
                .attr("description", s("URL of the worker queue the EB environment used (EB aws:elasticbeanstalk:sqsd WorkerQueueURL); the module derives its ARN from it"))
                .attr("type", raw("string"))
                .attr("default", s(url))
                .blank()
                .block("validation", check),
        ));
    }
    out
}

/// The queue's URL, ARN and name: the module's queue, or derived from the kept queue's URL.
fn locals(w: &WorkerCtx) -> Body {
    if w.create_queue {
        return Body::new()
            .attr("worker_queue_url", raw("aws_sqs_queue.worker.url"))
            .attr("worker_queue_arn", raw("aws_sqs_queue.worker.arn"))
            .attr("worker_queue_name", raw("aws_sqs_queue.worker.name"));
    }
    Body::new()
        .attr("worker_queue_url", raw("var.existing_worker_queue_url"))
        .attr("worker_queue_parts", raw("split(\"/\", var.existing_worker_queue_url)"))
        .attr(
            "worker_queue_region",
            raw("split(\".\", local.worker_queue_parts[2])[1]"),
        )
        .attr(
            "worker_queue_arn",
            raw("\"arn:${data.aws_partition.current.partition}:sqs:${local.worker_queue_region}:${local.worker_queue_parts[3]}:${local.worker_queue_parts[4]}\""),
        )
        .attr("worker_queue_name", raw("local.worker_queue_parts[4]"))
}

fn queues(w: &WorkerCtx) -> Vec<(String, Body)> {
    let redrive = Expr::Object(vec![
        (
            "deadLetterTargetArn".to_string(),
            raw("aws_sqs_queue.worker_dead_letter.arn"),
        ),
        (
            "maxReceiveCount".to_string(),
            raw(w.max_retries.to_string()),
        ),
    ]);
    vec![
        (
            resource("aws_sqs_queue", "worker_dead_letter"),
            super::retained(Body::new()
                .comment("EB created the worker queue; this one has EB's VisibilityTimeout and RetentionPeriod, and a\nmessage goes to the dead-letter queue after MaxRetries receives.")
                .attr("name_prefix", raw("\"${substr(var.name, 0, 40)}-worker-dlq-\""))
                .attr("message_retention_seconds", raw("1209600"))
                .attr("sqs_managed_sse_enabled", raw("true")), "aws_sqs_queue.worker_dead_letter"),
        ),
        (
            resource("aws_sqs_queue", "worker"),
            super::retained(Body::new()
                .attr("name_prefix", raw("\"${substr(var.name, 0, 40)}-worker-\""))
                .attr("visibility_timeout_seconds", raw(w.visibility_timeout.to_string()))
                .attr("message_retention_seconds", raw(w.retention_period.to_string()))
                .attr("sqs_managed_sse_enabled", raw("true"))
                .attr("redrive_policy", Expr::Call("jsonencode", Box::new(redrive))), "aws_sqs_queue.worker"),
        ),
    ]
}

/// A stack policy document on the worker queue (one statement), its resource the module's
/// queue ARN.
fn queue_document(policy: &Value) -> Body {
    let st = &policy["Statement"][0];
    let actions: Vec<String> = st["Action"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect();
    let statement = Body::new()
        .attr_opt("sid", st["Sid"].as_str().map(s))
        .attr("effect", s("Allow"))
        .attr("actions", hcl::strs(actions))
        .attr("resources", raw("[local.worker_queue_arn]"));
    Body::new().block("statement", statement)
}

/// An inline policy of a role from a policy document data source.
fn inline(role: &str, name: &str, document: &str) -> Body {
    Body::new()
        .attr("name", s(name))
        .attr("role", raw(format!("aws_iam_role.{role}.id")))
        .attr(
            "policy",
            raw(format!("data.aws_iam_policy_document.{document}.json")),
        )
}

/// One metric of the backlog expression.
fn metric(id: &str, label: &str, namespace: &str, name: &str, dims: &[(&str, &str)]) -> Body {
    let mut m = Body::new()
        .attr("namespace", s(namespace))
        .attr("metric_name", s(name));
    for (n, v) in dims {
        m = m.blank().block(
            "dimensions",
            Body::new().attr("name", s(*n)).attr("value", raw(*v)),
        );
    }
    let stat = Body::new()
        .block("metric", m)
        .blank()
        .attr("stat", s("Average"));
    Body::new()
        .attr("id", s(id))
        .attr("label", s(label))
        .attr("return_data", raw("false"))
        .blank()
        .block("metric_stat", stat)
}

fn backlog(w: &WorkerCtx) -> Body {
    let spec = Body::new()
        .block(
            "metrics",
            metric(
                "visible",
                "Messages visible in the worker queue",
                "AWS/SQS",
                "ApproximateNumberOfMessagesVisible",
                &[("QueueName", "local.worker_queue_name")],
            ),
        )
        .blank()
        .block(
            "metrics",
            metric(
                "tasks",
                "Running tasks of the service",
                "ECS/ContainerInsights",
                "RunningTaskCount",
                &[
                    ("ClusterName", "local.cluster_name"),
                    ("ServiceName", "aws_ecs_service.this.name"),
                ],
            ),
        )
        .blank()
        .block(
            "metrics",
            Body::new()
                .attr("id", s("backlogPerTask"))
                .attr("label", s("Visible messages per running task"))
                .attr("expression", s("visible / tasks"))
                .attr("return_data", raw("true")),
        );
    let config = Body::new()
        .attr("target_value", raw(w.backlog_target.to_string()))
        .attr("scale_in_cooldown", raw("300"))
        .attr("scale_out_cooldown", raw("60"))
        .blank()
        .block("customized_metric_specification", spec);
    let b = Body::new()
        .comment("Scale on the queue's backlog per running task (besides the policy in main.tf).");
    super::ecs::target_tracking(b, "-backlog", config)
}

fn scheduler(w: &WorkerCtx) -> Vec<(String, Body)> {
    let mut out = vec![
        (data("aws_iam_policy_document", "scheduler_assume"), assume("scheduler.amazonaws.com", true)),
        (
            resource("aws_iam_role", "worker_scheduler"),
            Body::new()
                .comment("Sends each cron.yaml task's message to the worker queue on its schedule: nothing else.")
                .extend(role("sched", "scheduler_assume")),
        ),
        (data("aws_iam_policy_document", "worker_queue_send"), queue_document(&w.scheduler_policy)),
        (
            resource("aws_iam_role_policy", "worker_scheduler"),
            inline("worker_scheduler", "send-periodic-tasks", "worker_queue_send"),
        ),
    ];
    for sc in &w.schedules {
        let mut msg = hcl::from_json(&message(&sc.task, "QUEUE_URL"));
        if let Expr::Object(fields) = &mut msg {
            fields[0].1 = raw("local.worker_queue_url");
        }
        let target = Body::new()
            .attr("arn", raw("\"arn:${data.aws_partition.current.partition}:scheduler:::aws-sdk:sqs:sendMessage\""))
            .attr("role_arn", raw("aws_iam_role.worker_scheduler.arn"))
            .attr("input", Expr::Call("jsonencode", Box::new(msg)));
        let body = Body::new()
            .attr("description", s(&sc.description))
            .attr("schedule_expression", s(&sc.expression))
            .attr("schedule_expression_timezone", s("UTC"))
            .attr("state", raw(super::schedules::STATE))
            .blank()
            .block("flexible_time_window", Body::new().attr("mode", s("OFF")))
            .blank()
            .block("target", target);
        out.push((resource("aws_scheduler_schedule", &snake(&sc.id)), body));
    }
    out
}

fn outputs(w: &WorkerCtx) -> Vec<(String, Body)> {
    let mut out = vec![
        (
            "output \"worker_queue_url\"".to_string(),
            Body::new()
                .attr(
                    "description",
                    s("Where senders put messages for the worker (the sqsd sidecar polls it)"),
                )
                .attr("value", raw("local.worker_queue_url")),
        ),
        (
            "output \"worker_queue_arn\"".to_string(),
            Body::new().attr("value", raw("local.worker_queue_arn")),
        ),
    ];
    if w.create_queue {
        out.push((
            "output \"worker_dead_letter_queue_url\"".to_string(),
            Body::new()
                .attr(
                    "description",
                    s("Messages that failed MaxRetries deliveries"),
                )
                .attr("value", raw("aws_sqs_queue.worker_dead_letter.url")),
        ));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// From the stack model: the worker queue and its dead-letter queue, and the cron.yaml
// schedules (the scheduler role is iam.rs's, as every role; the backlog scaling policy
// ecs.rs's, as every scaling policy).
// ---------------------------------------------------------------------------------------------

use super::model::Module;
use super::resources::{closing, header, opening, typed, Blocks};
use crate::error::Result;
use crate::infra::template::Resource;

/// The blocks of a worker resource; `None` for any other resource.
pub(super) fn print(m: &Module, r: &Resource) -> Option<Result<Blocks>> {
    Some(match (r.kind.as_str(), r.id.as_str()) {
        ("AWS::SQS::Queue", "WorkerQueue") => queue(m, r, "worker"),
        ("AWS::SQS::Queue", "WorkerDeadLetterQueue") => queue(m, r, "worker-dlq"),
        ("AWS::Scheduler::Schedule", id) if id.starts_with("WorkerSchedule") => {
            super::schedules::schedule_of(m, r)
        }
        _ => return None,
    })
}

/// A queue of the worker, with the carried SQS mapping of [`crate::cfn_types`]; named after
/// the module's instance (CloudFormation generates its name from the stack's).
fn queue(m: &Module, r: &Resource, word: &str) -> Result<Blocks> {
    let t = crate::cfn_types::lookup(&r.kind).expect("SQS is a carried type");
    let p = m.props(r);
    let b = opening(m, r).attr(
        "name_prefix",
        raw(format!("\"${{substr(var.name, 0, 40)}}-{word}-\"")),
    );
    let b = typed(m, r, t, &p, b);
    p.finish()?;
    Ok(vec![(header(r), closing(m, r, b))])
}

#[cfg(test)]
mod model_tests {
    use super::super::resources::printed;
    use super::print;

    const STACK: &str = r#"
Resources:
  ScalableTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
  WorkerDeadLetterQueue:
    Type: AWS::SQS::Queue
  WorkerQueue:
    Type: AWS::SQS::Queue
    DeletionPolicy: Retain
    Properties:
      VisibilityTimeout: 300
      RedrivePolicy: {deadLetterTargetArn: !GetAtt WorkerDeadLetterQueue.Arn, maxReceiveCount: 5}
  WorkerBacklogScalingPolicy:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: !Sub "${AWS::StackName}-backlog"
      PolicyType: TargetTrackingScaling
      ScalingTargetId: !Ref ScalableTarget
      TargetTrackingScalingPolicyConfiguration:
        TargetValue: 20
        CustomizedMetricSpecification:
          Metrics:
            - {Id: visible, ReturnData: false}
            - {Id: tasks, ReturnData: false}
"#;

    #[test]
    fn the_worker_queue_prints_with_the_sqs_mapping() {
        let q = printed(print, STACK, "WorkerQueue").unwrap();
        assert!(q.contains("  name_prefix                = \"${substr(var.name, 0, 40)}-worker-\"\n  visibility_timeout_seconds = 300\n  redrive_policy = jsonencode({\n    deadLetterTargetArn = aws_sqs_queue.worker_dead_letter.arn\n    maxReceiveCount     = 5\n  })"), "{q}");
        assert!(
            q.contains("terraform state rm 'aws_sqs_queue.worker'"),
            "{q}"
        );
    }
}
