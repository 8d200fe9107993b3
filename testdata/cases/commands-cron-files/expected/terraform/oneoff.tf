resource "aws_ecs_task_definition" "one_off" {
  family                   = "commands-cron-files-oneoff"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  container_definitions = jsonencode([
    {
      name      = "input"
      image     = var.image_input
      essential = true
      command   = ["sh", "-c", "true"]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.this.name
          "awslogs-region"        = data.aws_region.current.name
          "awslogs-stream-prefix" = "oneoff"
        }
      }
    },
  ])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

output "one_off_task_definition_arn" {
  description = "The one-off task (aws ecs run-task --task-definition)"
  value       = aws_ecs_task_definition.one_off.arn
}

output "task_subnets" {
  description = "Subnets of the tasks (aws ecs run-task --network-configuration)"
  value       = join(",", var.subnets)
}

output "task_security_group" {
  description = "Security group of the tasks (aws ecs run-task --network-configuration)"
  value       = aws_security_group.service.id
}

output "task_assign_public_ip" {
  description = "Whether the tasks get a public IP (aws ecs run-task --network-configuration)"
  value       = var.assign_public_ip ? "ENABLED" : "DISABLED"
}
