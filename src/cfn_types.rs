//! The CloudFormation resource types eb2ecs carries from `.ebextensions` `Resources` into the
//! stack, each with its Terraform mapping: the resource type, what `Ref` and `Fn::GetAtt` return
//! as Terraform attributes, and how each property is written. `convert::resources` decides with
//! it (which types are carried, which properties or expressions the Terraform module cannot
//! hold: a finding); `render::terraform::resources` prints with it. Pure data, importing nothing.

/// How a CloudFormation property becomes a Terraform argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conv {
    /// The same value (Terraform converts `"80"` to a number where it needs one).
    Plain,
    /// A JSON document (`jsonencode(...)`): policies, redrive policies, filter policies.
    Json,
    /// `[{Key, Value}]` as a `tags` map.
    Tags,
    /// `[{Name, Value}]` as a `dimensions` map.
    Dimensions,
    /// Written by the type's own code in `render::terraform::resources` (nested blocks, or a
    /// resource of its own).
    Special,
}

/// One carried resource type.
#[derive(Debug, Clone, Copy)]
pub struct CarriedType {
    /// CloudFormation type.
    pub cfn: &'static str,
    /// It holds data: retained on deletion and imported rather than created.
    pub retain: bool,
    /// Terraform resource type.
    pub terraform: &'static str,
    /// The Terraform attribute that is what `Ref` returns.
    pub ref_attr: &'static str,
    /// `Fn::GetAtt` attributes as Terraform attributes.
    pub attributes: &'static [(&'static str, &'static str)],
    /// Properties: CloudFormation name, Terraform argument, how.
    pub properties: &'static [(&'static str, &'static str, Conv)],
    /// A name Terraform requires that CloudFormation generates when it is not given (the
    /// CloudFormation property, the Terraform argument): the module writes `NAME-LogicalId`.
    pub required_name: Option<(&'static str, &'static str)>,
    /// How an existing one is named for an import (a retained type): the CloudFormation
    /// resource identifier key, and what that value is (the same value `terraform import` takes).
    pub import_id: Option<(&'static str, &'static str)>,
}

use Conv::{Dimensions, Json, Plain, Special, Tags};

/// Every carried type.
pub const TYPES: &[CarriedType] = &[
    CarriedType {
        cfn: "AWS::DynamoDB::Table",
        retain: true,
        terraform: "aws_dynamodb_table",
        ref_attr: "name",
        attributes: &[("Arn", "arn"), ("StreamArn", "stream_arn")],
        properties: &[
            ("TableName", "name", Plain),
            ("BillingMode", "billing_mode", Plain),
            ("TableClass", "table_class", Plain),
            (
                "DeletionProtectionEnabled",
                "deletion_protection_enabled",
                Plain,
            ),
            ("KeySchema", "", Special),
            ("AttributeDefinitions", "attribute", Special),
            ("ProvisionedThroughput", "", Special),
            ("GlobalSecondaryIndexes", "global_secondary_index", Special),
            ("TimeToLiveSpecification", "ttl", Special),
            ("StreamSpecification", "", Special),
            (
                "PointInTimeRecoverySpecification",
                "point_in_time_recovery",
                Special,
            ),
            ("SSESpecification", "server_side_encryption", Special),
            ("Tags", "tags", Tags),
        ],
        required_name: Some(("TableName", "name")),
        import_id: Some(("TableName", "table name")),
    },
    CarriedType {
        cfn: "AWS::SQS::Queue",
        retain: true,
        terraform: "aws_sqs_queue",
        ref_attr: "url",
        attributes: &[("Arn", "arn"), ("QueueName", "name"), ("QueueUrl", "url")],
        properties: &[
            ("QueueName", "name", Plain),
            ("FifoQueue", "fifo_queue", Plain),
            (
                "ContentBasedDeduplication",
                "content_based_deduplication",
                Plain,
            ),
            ("DelaySeconds", "delay_seconds", Plain),
            ("MaximumMessageSize", "max_message_size", Plain),
            ("MessageRetentionPeriod", "message_retention_seconds", Plain),
            (
                "ReceiveMessageWaitTimeSeconds",
                "receive_wait_time_seconds",
                Plain,
            ),
            ("VisibilityTimeout", "visibility_timeout_seconds", Plain),
            ("KmsMasterKeyId", "kms_master_key_id", Plain),
            (
                "KmsDataKeyReusePeriodSeconds",
                "kms_data_key_reuse_period_seconds",
                Plain,
            ),
            ("SqsManagedSseEnabled", "sqs_managed_sse_enabled", Plain),
            ("RedrivePolicy", "redrive_policy", Json),
            ("RedriveAllowPolicy", "redrive_allow_policy", Json),
            ("Tags", "tags", Tags),
        ],
        required_name: None,
        import_id: Some(("QueueUrl", "queue URL")),
    },
    CarriedType {
        cfn: "AWS::SQS::QueuePolicy",
        retain: false,
        terraform: "aws_sqs_queue_policy",
        ref_attr: "id",
        attributes: &[],
        properties: &[
            ("Queues", "queue_url", Special),
            ("PolicyDocument", "policy", Json),
        ],
        required_name: None,
        import_id: None,
    },
    CarriedType {
        cfn: "AWS::SNS::Topic",
        retain: false,
        terraform: "aws_sns_topic",
        ref_attr: "arn",
        attributes: &[("TopicArn", "arn"), ("TopicName", "name")],
        properties: &[
            ("TopicName", "name", Plain),
            ("DisplayName", "display_name", Plain),
            ("FifoTopic", "fifo_topic", Plain),
            (
                "ContentBasedDeduplication",
                "content_based_deduplication",
                Plain,
            ),
            ("KmsMasterKeyId", "kms_master_key_id", Plain),
            ("Subscription", "", Special),
            ("Tags", "tags", Tags),
        ],
        required_name: None,
        import_id: None,
    },
    CarriedType {
        cfn: "AWS::SNS::Subscription",
        retain: false,
        terraform: "aws_sns_topic_subscription",
        ref_attr: "arn",
        attributes: &[],
        properties: &[
            ("TopicArn", "topic_arn", Plain),
            ("Protocol", "protocol", Plain),
            ("Endpoint", "endpoint", Plain),
            ("RawMessageDelivery", "raw_message_delivery", Plain),
            ("FilterPolicy", "filter_policy", Json),
            ("FilterPolicyScope", "filter_policy_scope", Plain),
            ("RedrivePolicy", "redrive_policy", Json),
        ],
        required_name: None,
        import_id: None,
    },
    CarriedType {
        cfn: "AWS::S3::Bucket",
        retain: true,
        terraform: "aws_s3_bucket",
        ref_attr: "id",
        attributes: &[
            ("Arn", "arn"),
            ("DomainName", "bucket_domain_name"),
            ("RegionalDomainName", "bucket_regional_domain_name"),
        ],
        properties: &[
            ("BucketName", "bucket", Plain),
            ("VersioningConfiguration", "", Special),
            ("Tags", "tags", Tags),
        ],
        required_name: None,
        import_id: Some(("BucketName", "bucket name")),
    },
    CarriedType {
        cfn: "AWS::CloudWatch::Alarm",
        retain: false,
        terraform: "aws_cloudwatch_metric_alarm",
        ref_attr: "alarm_name",
        attributes: &[("Arn", "arn")],
        properties: &[
            ("AlarmName", "alarm_name", Plain),
            ("AlarmDescription", "alarm_description", Plain),
            ("ActionsEnabled", "actions_enabled", Plain),
            ("AlarmActions", "alarm_actions", Plain),
            ("OKActions", "ok_actions", Plain),
            (
                "InsufficientDataActions",
                "insufficient_data_actions",
                Plain,
            ),
            ("ComparisonOperator", "comparison_operator", Plain),
            ("DatapointsToAlarm", "datapoints_to_alarm", Plain),
            ("Dimensions", "dimensions", Dimensions),
            ("EvaluationPeriods", "evaluation_periods", Plain),
            ("MetricName", "metric_name", Plain),
            ("Namespace", "namespace", Plain),
            ("Period", "period", Plain),
            ("Statistic", "statistic", Plain),
            ("ExtendedStatistic", "extended_statistic", Plain),
            ("Threshold", "threshold", Plain),
            ("TreatMissingData", "treat_missing_data", Plain),
            ("Unit", "unit", Plain),
        ],
        required_name: Some(("AlarmName", "alarm_name")),
        import_id: None,
    },
    CarriedType {
        cfn: "AWS::IAM::Policy",
        retain: false,
        terraform: "aws_iam_role_policy",
        ref_attr: "id",
        attributes: &[],
        properties: &[
            ("PolicyName", "name", Plain),
            ("PolicyDocument", "policy", Json),
            ("Roles", "role", Special),
        ],
        required_name: None,
        import_id: None,
    },
    CarriedType {
        cfn: "AWS::Logs::LogGroup",
        retain: true,
        terraform: "aws_cloudwatch_log_group",
        ref_attr: "name",
        attributes: &[("Arn", "arn")],
        properties: &[
            ("LogGroupName", "name", Plain),
            ("RetentionInDays", "retention_in_days", Plain),
            ("KmsKeyId", "kms_key_id", Plain),
            ("Tags", "tags", Tags),
        ],
        required_name: None,
        import_id: Some(("LogGroupName", "log group name")),
    },
];

/// The carried type of a CloudFormation type, if eb2ecs carries it.
pub fn lookup(cfn: &str) -> Option<&'static CarriedType> {
    TYPES.iter().find(|t| t.cfn == cfn)
}

/// The intrinsic functions the Terraform module can write (`Fn::If` only as the stack's
/// cluster choice).
pub const TERRAFORM_FUNCTIONS: &[&str] = &[
    "Ref",
    "Fn::GetAtt",
    "Fn::Sub",
    "Fn::Join",
    "Fn::Split",
    "Fn::Select",
    "Fn::If",
];

/// What of a carried resource's properties the Terraform module cannot write: properties
/// without a mapping, and intrinsic functions it has no counterpart for.
pub fn terraform_gaps(t: &CarriedType, properties: &serde_json::Value) -> Vec<String> {
    let mut gaps = Vec::new();
    let Some(props) = properties.as_object() else {
        return gaps;
    };
    for (k, v) in props {
        if !t.properties.iter().any(|(p, _, _)| p == k) {
            gaps.push(format!("property {k}"));
        } else {
            unsupported_functions(v, &mut gaps);
        }
    }
    gaps.dedup();
    gaps
}

fn unsupported_functions(v: &serde_json::Value, gaps: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                let function = k == "Ref" || k.starts_with("Fn::");
                if function && !TERRAFORM_FUNCTIONS.contains(&k.as_str()) {
                    gaps.push(format!("function {k}"));
                }
                unsupported_functions(x, gaps);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| unsupported_functions(x, gaps)),
        _ => {}
    }
}
