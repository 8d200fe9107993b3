//! `worker.tf` (a worker environment only): what `templates/cfn-worker*.yaml.hbs` adds to the
//! stack — the sidecar image and kept queue variables, the queue and its dead-letter queue, the
//! task role's SQS policy, backlog scaling, the scheduler role and one schedule per periodic
//! task expression — from the same context.

use super::hcl::raw;

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
