resource "aws_dynamodb_table" "orders_table" {
  # Carried from .ebextensions Resources (RESOURCE-* findings in CHECKLIST.md).
  name         = "${var.name}-OrdersTable"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  lifecycle {
    # The stack's DeletionPolicy: Retain. Before `terraform destroy`: terraform state rm 'aws_dynamodb_table.orders_table'
    prevent_destroy = true
  }
}

resource "aws_sqs_queue" "orders_queue" {
  visibility_timeout_seconds = 120

  lifecycle {
    # The stack's DeletionPolicy: Retain. Before `terraform destroy`: terraform state rm 'aws_sqs_queue.orders_queue'
    prevent_destroy = true
  }
}

resource "aws_sns_topic" "orders_topic" {
}

resource "aws_sns_topic_subscription" "orders_topic_0" {
  topic_arn = aws_sns_topic.orders_topic.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.orders_queue.arn
}

resource "aws_sqs_queue_policy" "orders_queue_policy" {
  queue_url = aws_sqs_queue.orders_queue.url
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Service = "sns.amazonaws.com"
        }
        Action   = "sqs:SendMessage"
        Resource = aws_sqs_queue.orders_queue.arn
        Condition = {
          ArnEquals = {
            "aws:SourceArn" = aws_sns_topic.orders_topic.arn
          }
        }
      },
    ]
  })
}

resource "aws_cloudwatch_metric_alarm" "high_cpu_alarm" {
  alarm_name          = "${var.name}-HighCpuAlarm"
  alarm_description   = "CPU above 85% for 10 minutes"
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 2
  threshold           = "85"
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = [aws_sns_topic.orders_topic.arn]
  dimensions = {
    ClusterName = local.cluster_name
    ServiceName = aws_ecs_service.this.name
  }
}

resource "aws_iam_role_policy" "app_table_policy" {
  role = aws_iam_role.task.name
  name = "orders-table"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]
        Resource = aws_dynamodb_table.orders_table.arn
      },
    ]
  })
}
