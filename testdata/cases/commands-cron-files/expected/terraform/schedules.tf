variable "schedules_enabled" {
  description = "Whether the schedules run (cron.yaml periodic tasks, cron jobs of EB's instances). Created disabled so nothing runs twice while EB is still up; set true at the cut-over (CHECKLIST.md)"
  type        = bool
  default     = false
}

data "aws_iam_policy_document" "cron_scheduler_assume" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "cron_scheduler" {
  # Runs the one-off task with each cron job's command on its schedule: nothing else.
  name_prefix        = "${substr(var.name, 0, 20)}-cron-"
  assume_role_policy = data.aws_iam_policy_document.cron_scheduler_assume.json
}

data "aws_iam_policy_document" "run_cron_jobs" {
  statement {
    sid     = "RunOneOffTask"
    effect  = "Allow"
    actions = ["ecs:RunTask"]
    resources = [
      "arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:task-definition/commands-cron-files-oneoff",
      "arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:task-definition/commands-cron-files-oneoff:*",
    ]
  }

  statement {
    sid       = "PassTaskRoles"
    effect    = "Allow"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.execution.arn, aws_iam_role.task.arn]
  }
}

resource "aws_iam_role_policy" "cron_scheduler_run_cron_jobs" {
  name   = "run-cron-jobs"
  role   = aws_iam_role.cron_scheduler.id
  policy = data.aws_iam_policy_document.run_cron_jobs.json
}

resource "aws_scheduler_schedule" "cron_schedule1" {
  # A cron job of EB's instances: the one-off task's latest revision runs its command.
  description                  = "Cron job of EB's instances (.ebextensions/01-cron.config files./etc/cron.d/reports): 0 3 * * 1-5"
  schedule_expression          = "cron(0 3 ? * MON-FRI *)"
  schedule_expression_timezone = "UTC"
  state                        = var.schedules_enabled ? "ENABLED" : "DISABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = local.create_cluster ? aws_ecs_cluster.this[0].arn : "arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:cluster/${var.existing_cluster_name}"
    role_arn = aws_iam_role.cron_scheduler.arn
    input    = "{\"containerOverrides\":[{\"name\":\"input\",\"command\":[\"sh\",\"-c\",\"cd /var/app/current && python manage.py send_reports\"]}]}"

    ecs_parameters {
      task_definition_arn = "arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:task-definition/commands-cron-files-oneoff"
      launch_type         = "FARGATE"

      network_configuration {
        subnets          = var.subnets
        security_groups  = [aws_security_group.service.id]
        assign_public_ip = var.assign_public_ip
      }
    }
  }

  depends_on = [aws_ecs_task_definition.one_off]
}

resource "aws_scheduler_schedule" "cron_schedule2" {
  # A cron job of EB's instances: the one-off task's latest revision runs its command.
  description                  = "Cron job of EB's instances (.ebextensions/01-cron.config commands.enable_cron_ten): */10 * * * *"
  schedule_expression          = "cron(0/10 * * * ? *)"
  schedule_expression_timezone = "UTC"
  state                        = var.schedules_enabled ? "ENABLED" : "DISABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = local.create_cluster ? aws_ecs_cluster.this[0].arn : "arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:cluster/${var.existing_cluster_name}"
    role_arn = aws_iam_role.cron_scheduler.arn
    input    = "{\"containerOverrides\":[{\"name\":\"input\",\"command\":[\"sh\",\"-c\",\"/usr/local/bin/every_ten.sh\"]}]}"

    ecs_parameters {
      task_definition_arn = "arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:task-definition/commands-cron-files-oneoff"
      launch_type         = "FARGATE"

      network_configuration {
        subnets          = var.subnets
        security_groups  = [aws_security_group.service.id]
        assign_public_ip = var.assign_public_ip
      }
    }
  }

  depends_on = [aws_ecs_task_definition.one_off]
}

resource "aws_scheduler_schedule" "cron_schedule3" {
  # A cron job of EB's instances: the one-off task's latest revision runs its command.
  description                  = "Cron job of EB's instances (.ebextensions/01-cron.config container_commands.01_some_cron_job): */5 * * * *"
  schedule_expression          = "cron(0/5 * * * ? *)"
  schedule_expression_timezone = "UTC"
  state                        = var.schedules_enabled ? "ENABLED" : "DISABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = local.create_cluster ? aws_ecs_cluster.this[0].arn : "arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:cluster/${var.existing_cluster_name}"
    role_arn = aws_iam_role.cron_scheduler.arn
    input    = "{\"containerOverrides\":[{\"name\":\"input\",\"command\":[\"sh\",\"-c\",\"/var/app/current/manage.py clearsessions >> /var/log/cron-log.log 2>&1\"]}]}"

    ecs_parameters {
      task_definition_arn = "arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:task-definition/commands-cron-files-oneoff"
      launch_type         = "FARGATE"

      network_configuration {
        subnets          = var.subnets
        security_groups  = [aws_security_group.service.id]
        assign_public_ip = var.assign_public_ip
      }
    }
  }

  depends_on = [aws_ecs_task_definition.one_off]
}
