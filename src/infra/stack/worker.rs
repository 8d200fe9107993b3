//! The worker part of the stack (Terraform `worker.tf`): the queue (created, or kept by
//! parameter), its dead-letter queue, the task role's SQS permissions, backlog scaling and the
//! periodic tasks' schedules.

use super::context::Context;
use super::{cluster_name, output, param, resource, trust, With};
use crate::infra::template::{Parameter, Resource, Template};
use crate::infra::value::Value as Model;
use crate::model::{MigrationModel, Worker};
use crate::model::{SCHEDULED_TIME_ATTRIBUTE, SQSD_IMAGE, TASK_NAME_ATTRIBUTE};
use serde_json::{json, Value};

/// The body of a periodic task's message (EB's leader sent the same).
pub const SCHEDULED_BODY: &str = "elasticbeanstalk scheduled job";
/// The pattern the `ExistingWorkerQueueUrl` parameter accepts (the stack derives the ARN from it).
pub const QUEUE_URL_PATTERN: &str =
    r"^https://sqs\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/[0-9]{12}/[A-Za-z0-9_-]{1,80}(\.fifo)?$";
/// The four actions the sidecar uses on the queue, and nothing else.
pub const SIDECAR_ACTIONS: [&str; 4] = [
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:GetQueueAttributes",
];

/// The worker part of the stack.
pub(crate) struct WorkerCtx {
    /// Whether the stack creates the queue (`WorkerQueue`, `WorkerDeadLetterQueue`).
    pub(crate) create_queue: bool,
    /// The `ExistingWorkerQueueUrl` parameter's default (the queue kept).
    pub(crate) queue_url_default: Option<String>,
    pub(crate) queue_url_pattern: &'static str,
    pub(crate) sqsd_image: String,
    /// Whether `--sqsd-image` named the image (then it is the parameter's default).
    pub(crate) sqsd_image_given: bool,
    pub(crate) visibility_timeout: u32,
    pub(crate) retention_period: u32,
    pub(crate) max_retries: u32,
    pub(crate) backlog_target: u32,
    /// The queue's URL, ARN and name as stack values.
    pub(crate) queue_url: Value,
    pub(crate) queue_arn: Value,
    pub(crate) queue_name: Value,
    /// The task role's policy: the sidecar's four actions on the queue.
    pub(crate) task_policy: Value,
    /// The scheduler role's policy: `sqs:SendMessage` on the queue.
    pub(crate) scheduler_policy: Value,
    pub(crate) schedules: Vec<ScheduleCtx>,
}

/// One EventBridge Scheduler schedule of a periodic task.
pub(crate) struct ScheduleCtx {
    /// Logical id (`WorkerSchedule…`).
    pub(crate) id: String,
    pub(crate) expression: String,
    pub(crate) description: String,
    /// The SendMessage input (`Fn::Join`: the queue URL is a stack value).
    pub(crate) input: Value,
}

/// The worker's stack context, for a worker environment.
pub(crate) fn context(model: &MigrationModel) -> Option<WorkerCtx> {
    let w = model.worker.as_ref()?;
    let (queue_url, queue_arn, queue_name) = queue_values(w);
    Some(WorkerCtx {
        create_queue: w.queue_url.is_none(),
        queue_url_default: w.queue_url.clone(),
        queue_url_pattern: QUEUE_URL_PATTERN,
        sqsd_image: w.image.clone().unwrap_or_else(|| SQSD_IMAGE.to_string()),
        sqsd_image_given: w.image.is_some(),
        visibility_timeout: w.sqsd.visibility_timeout,
        retention_period: w.sqsd.retention_period,
        max_retries: w.sqsd.max_retries,
        backlog_target: w.backlog_target,
        task_policy: with_task_protection(policy(
            "WorkerQueueConsume",
            &SIDECAR_ACTIONS,
            &queue_arn,
        )),
        scheduler_policy: policy("WorkerQueueSend", &["sqs:SendMessage"], &queue_arn),
        schedules: schedules(w, &queue_url),
        queue_url,
        queue_arn,
        queue_name,
    })
}

/// In the sqsd sidecar's definition (ECS API keys), the image parameter `SqsdImage` and the
/// queue's URL as stack values.
pub(crate) fn sidecar_values(model: &MigrationModel, def: &mut Value) {
    let Some(w) = model
        .worker
        .as_ref()
        .filter(|w| def["name"] == w.sidecar.as_str())
    else {
        return;
    };
    def["image"] = json!({"Ref": "SqsdImage"});
    let url = queue_values(w).0;
    for kv in def["environment"].as_array_mut().into_iter().flatten() {
        if kv["name"] == "SQSD_QUEUE_URL" {
            kv["value"] = url.clone();
        }
    }
}

/// The queue's URL, ARN and name: the stack's queue, or derived from the `ExistingWorkerQueueUrl`
/// parameter (`https://sqs.REGION.DOMAIN/ACCOUNT/NAME`; the partition is the stack's own, as
/// IAM cannot reach across partitions).
fn queue_values(w: &Worker) -> (Value, Value, Value) {
    if w.queue_url.is_none() {
        return (
            json!({"Ref": "WorkerQueue"}),
            json!({"Fn::GetAtt": ["WorkerQueue", "Arn"]}),
            json!({"Fn::GetAtt": ["WorkerQueue", "QueueName"]}),
        );
    }
    let part = |i: u32| json!({"Fn::Select": [i, {"Fn::Split": ["/", {"Ref": "ExistingWorkerQueueUrl"}]}]});
    let region = json!({"Fn::Select": [1, {"Fn::Split": [".", part(2)]}]});
    (
        json!({"Ref": "ExistingWorkerQueueUrl"}),
        json!({"Fn::Sub": [
            "arn:${AWS::Partition}:sqs:${QueueRegion}:${QueueAccount}:${QueueName}",
            {"QueueRegion": region, "QueueAccount": part(3), "QueueName": part(4)}
        ]}),
        part(4),
    )
}

/// The sidecar holds ECS task scale-in protection while a message is in flight (through the
/// agent's endpoint, which acts with the task role): a scale-in never stops a task mid-job.
fn with_task_protection(mut policy: Value) -> Value {
    let tasks =
        json!({"Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/*"});
    if let Some(Value::Array(st)) = policy.get_mut("Statement") {
        st.push(json!({"Sid": "WorkerTaskProtection", "Effect": "Allow",
            "Action": ["ecs:UpdateTaskProtection", "ecs:GetTaskProtection"], "Resource": tasks}));
    }
    policy
}

fn policy(sid: &str, actions: &[&str], arn: &Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": [
        {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": arn}
    ]})
}

/// One schedule per EventBridge expression of every periodic task.
fn schedules(w: &Worker, queue_url: &Value) -> Vec<ScheduleCtx> {
    crate::infra::schedules(w)
        .into_iter()
        .map(|(id, n, expression)| {
            let t = &w.periodic[n];
            ScheduleCtx {
                id,
                expression,
                // EventBridge Scheduler takes at most 512 characters.
                description: crate::names::truncate(
                    &format!(
                        "cron.yaml task {} ({} UTC): POST {}",
                        t.name, t.schedule, t.url
                    ),
                    512,
                ),
                input: input(queue_url, &t.name),
            }
        })
        .collect()
}

/// The SendMessage request of a periodic task, with the queue URL spliced in (`Fn::Join`: no
/// `${}` substitution, so nothing in the task's name is read as a reference).
fn input(queue_url: &Value, task: &str) -> Value {
    let message = message(task, "QUEUE_URL");
    let text = message.to_string();
    let (head, tail) = text
        .split_once("\"QUEUE_URL\"")
        .unwrap_or((text.as_str(), ""));
    json!({"Fn::Join": ["", [format!("{head}\""), queue_url, format!("\"{tail}")]]})
}

/// The SendMessage request (the universal target's input) with `queue_url` as given.
pub(crate) fn message(task: &str, queue_url: &str) -> Value {
    json!({
        "QueueUrl": queue_url,
        "MessageBody": SCHEDULED_BODY,
        "MessageAttributes": {
            TASK_NAME_ATTRIBUTE: {"DataType": "String", "StringValue": task},
            SCHEDULED_TIME_ATTRIBUTE: {"DataType": "String", "StringValue": "<aws.scheduler.scheduled-time>"}
        }
    })
}

/// `SqsdImage` and, when EB's queue is kept, `ExistingWorkerQueueUrl`.
pub(super) fn parameters(t: &mut Template, ctx: &Context) {
    let Some(w) = &ctx.worker else { return };
    t.parameters.push(Parameter {
        extra: vec![("MinLength".into(), Model::n(1))],
        // The image --sqsd-image named; none otherwise (a tag eb2ecs publishes could move under a
        // running service): the checklist builds it and deploys it by digest.
        default: w.sqsd_image_given.then(|| Model::s(&w.sqsd_image)),
        ..param(
            "SqsdImage",
            "String",
            "Image of the sqsd sidecar that polls the worker queue and POSTs each message to the application as EB's sqsd did (built from sqsd/ in the eb2ecs repository, pinned by digest REPO@sha256:...; CHECKLIST.md)",
        )
    });
    if let Some(url) = w.queue_url_default.as_deref().filter(|u| !u.is_empty()) {
        t.parameters.push(Parameter {
            allowed_pattern: Some(w.queue_url_pattern.into()),
            default: Some(Model::s(url)),
            ..param(
                "ExistingWorkerQueueUrl",
                "String",
                "URL of the worker queue the EB environment used (EB aws:elasticbeanstalk:sqsd WorkerQueueURL); the stack derives its ARN from it",
            )
        });
    }
}

/// The queues (when EB created them), backlog scaling, and the periodic tasks' schedules.
pub(super) fn add(t: &mut Template, ctx: &Context) {
    let Some(w) = &ctx.worker else { return };
    if w.create_queue {
        t.resources.push(
            resource(
                "WorkerDeadLetterQueue",
                "AWS::SQS::Queue",
                json!({"MessageRetentionPeriod": 1209600, "SqsManagedSseEnabled": true}),
            )
            .kept()
            .note("EB created the worker queue; this one has EB's VisibilityTimeout and RetentionPeriod, and a\nmessage goes to the dead-letter queue after MaxRetries receives. Both outlive the stack."),
        );
        t.resources.push(
            resource(
                "WorkerQueue",
                "AWS::SQS::Queue",
                json!({
                    "VisibilityTimeout": w.visibility_timeout,
                    "MessageRetentionPeriod": w.retention_period,
                    "SqsManagedSseEnabled": true,
                    "RedrivePolicy": {
                        "deadLetterTargetArn": {"Fn::GetAtt": ["WorkerDeadLetterQueue", "Arn"]},
                        "maxReceiveCount": w.max_retries
                    }
                }),
            )
            .kept(),
        );
    }
    t.resources.push(backlog_policy(w));
    schedule_resources(t, w);
}

/// Target tracking of the messages per running task, visible and in flight: a task still
/// handling messages is busy, and counting only the visible ones would scale it in mid-job.
fn backlog_policy(w: &WorkerCtx) -> Resource {
    let metric = |id: &str, label: &str, namespace: &str, name: &str, dimensions: Value| {
        json!({"Id": id, "Label": label, "MetricStat": {
            "Metric": {"Namespace": namespace, "MetricName": name, "Dimensions": dimensions},
            "Stat": "Average"
        }, "ReturnData": false})
    };
    let metrics = json!([
        metric("visible", "Messages visible in the worker queue", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
            json!([{"Name": "QueueName", "Value": w.queue_name}])),
        metric("inFlight", "Messages in flight (received, not yet deleted)", "AWS/SQS", "ApproximateNumberOfMessagesNotVisible",
            json!([{"Name": "QueueName", "Value": w.queue_name}])),
        metric("tasks", "Running tasks of the service", "ECS/ContainerInsights", "RunningTaskCount",
            json!([{"Name": "ClusterName", "Value": cluster_name()},
                   {"Name": "ServiceName", "Value": {"Fn::GetAtt": ["Service", "Name"]}}])),
        {"Id": "backlogPerTask", "Label": "Visible and in-flight messages per running task", "Expression": "(visible + inFlight) / tasks", "ReturnData": true}
    ]);
    resource(
        "WorkerBacklogScalingPolicy",
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        json!({
            "PolicyName": {"Fn::Sub": "${AWS::StackName}-backlog"},
            "PolicyType": "TargetTrackingScaling",
            "ScalingTargetId": {"Ref": "ScalableTarget"},
            "TargetTrackingScalingPolicyConfiguration": {
                "TargetValue": w.backlog_target,
                "CustomizedMetricSpecification": {"Metrics": metrics},
                "ScaleInCooldown": 300,
                "ScaleOutCooldown": 60,
            }
        }),
    )
    .note("Scale on the queue's backlog per running task, in-flight messages included (besides the policy above: ECS scales out\nwhen either asks, in only when both allow). RunningTaskCount comes from Container Insights.")
}

/// The scheduler's role and one schedule per expression of every periodic task.
fn schedule_resources(t: &mut Template, w: &WorkerCtx) {
    if w.schedules.is_empty() {
        return;
    }
    t.resources.push(
        resource(
            "WorkerSchedulerRole",
            "AWS::IAM::Role",
            json!({
                "AssumeRolePolicyDocument": trust("scheduler.amazonaws.com", true),
                "Policies": [{"PolicyName": "send-periodic-tasks", "PolicyDocument": w.scheduler_policy}],
            }),
        )
        .note("Sends each cron.yaml task's message to the worker queue on its schedule: nothing else."),
    );
    for s in &w.schedules {
        t.resources.push(
            resource(
                &s.id,
                "AWS::Scheduler::Schedule",
                json!({
                    "Description": s.description,
                    "ScheduleExpression": s.expression,
                    "ScheduleExpressionTimezone": "UTC",
                    "FlexibleTimeWindow": {"Mode": "OFF"},
                    "State": {"Fn::If": ["SchedulesEnabled", "ENABLED", "DISABLED"]},
                    "Target": {
                        "Arn": {"Fn::Sub": "arn:${AWS::Partition}:scheduler:::aws-sdk:sqs:sendMessage"},
                        "RoleArn": {"Fn::GetAtt": ["WorkerSchedulerRole", "Arn"]},
                        "Input": s.input,
                    }
                }),
            )
            .note("The message EB's leader instance enqueued: the sidecar POSTs it to the task's url with\nX-Aws-Sqsd-Taskname."),
        );
    }
}

/// The queue's URL and ARN (and the dead-letter queue's URL when the stack has it).
pub(super) fn outputs(t: &mut Template, ctx: &Context) {
    let Some(w) = &ctx.worker else { return };
    let o = &mut t.outputs;
    o.push(output(
        "WorkerQueueUrl",
        Some("Where senders put messages for the worker (the sqsd sidecar polls it)"),
        w.queue_url.clone(),
    ));
    o.push(output("WorkerQueueArn", None, w.queue_arn.clone()));
    if w.create_queue {
        o.push(output(
            "WorkerDeadLetterQueueUrl",
            Some("Messages that failed MaxRetries deliveries"),
            json!({"Ref": "WorkerDeadLetterQueue"}),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_url_is_spliced_into_the_message_as_a_value() {
        let v = input(&json!({"Ref": "WorkerQueue"}), "nightly \"report\" ${x}");
        let parts = v["Fn::Join"][1].as_array().expect("join list");
        assert_eq!(parts[1], json!({"Ref": "WorkerQueue"}));
        let text = format!(
            "{}https://q{}",
            parts[0].as_str().expect("head"),
            parts[2].as_str().expect("tail")
        );
        let back: Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(back, message("nightly \"report\" ${x}", "https://q"));
        assert_eq!(
            back["MessageAttributes"][TASK_NAME_ATTRIBUTE]["StringValue"],
            "nightly \"report\" ${x}"
        );
    }
}
