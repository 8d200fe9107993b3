locals {
  create_cluster              = var.existing_cluster_name == ""
  cluster_name                = local.create_cluster ? aws_ecs_cluster.this[0].name : var.existing_cluster_name
  has_execute_command_kms_key = var.execute_command_kms_key_arn != ""
  use_execute_command_kms_key = var.enable_execute_command && local.has_execute_command_kms_key
}

resource "aws_ecs_cluster" "this" {
  count = local.create_cluster ? 1 : 0
  name  = var.name

  setting {
    name  = "containerInsights"
    value = "disabled"
  }

  dynamic "configuration" {
    for_each = var.enable_execute_command ? [1] : []

    content {
      execute_command_configuration {
        kms_key_id = local.has_execute_command_kms_key ? var.execute_command_kms_key_arn : null
        logging    = "OVERRIDE"

        log_configuration {
          cloud_watch_log_group_name     = aws_cloudwatch_log_group.this.name
          cloud_watch_encryption_enabled = false
        }
      }
    }
  }
}

resource "aws_cloudwatch_log_group" "this" {
  name_prefix       = "/ecs/${var.name}-"
  retention_in_days = 7
  # The stack's DeletionPolicy: Retain. (prevent_destroy cannot depend on a variable, and would
  # refuse every destroy: skip_destroy keeps the logs when the module goes.)
  skip_destroy = true
}

resource "aws_ecs_task_definition" "this" {
  family                   = "read-env-rds-engine"
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
      portMappings = [
        {
          containerPort = 8000
          hostPort      = 8000
          protocol      = "tcp"
        },
      ]
      environment = [
        {
          name  = "RDS_HOSTNAME"
          value = var.database_endpoint
        },
        {
          name  = "RDS_PORT"
          value = var.database_port
        },
      ]
      secrets = [
        {
          name      = "RDS_PASSWORD"
          valueFrom = "arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:parameter/read-env-rds-engine/RDS_PASSWORD"
        },
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.this.name
          "awslogs-region"        = data.aws_region.current.name
          "awslogs-stream-prefix" = "input"
        }
      }
    },
  ])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

resource "aws_security_group" "service" {
  # Tasks (or container instances) accept traffic only from the load balancer.
  name_prefix = "${var.name}-service-"
  description = "Tasks of read-env-rds-engine"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "service_from_load_balancer" {
  security_group_id            = aws_security_group.service.id
  ip_protocol                  = "tcp"
  from_port                    = 8000
  to_port                      = 8000
  description                  = "Container port, from the load balancer only"
  referenced_security_group_id = aws_security_group.load_balancer.id
}

resource "aws_vpc_security_group_egress_rule" "service_all" {
  security_group_id = aws_security_group.service.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
  description       = "All outbound traffic (the CloudFormation default)"
}

resource "aws_ecs_service" "this" {
  name                               = var.name
  cluster                            = local.cluster_name
  task_definition                    = aws_ecs_task_definition.this.arn
  desired_count                      = 1
  enable_execute_command             = var.enable_execute_command
  launch_type                        = "FARGATE"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = 165
  propagate_tags                     = "SERVICE"
  enable_ecs_managed_tags            = true

  network_configuration {
    subnets          = var.subnets
    security_groups  = [aws_security_group.service.id]
    assign_public_ip = var.assign_public_ip
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn
    container_name   = "input"
    container_port   = 8000
  }

  lifecycle {
    # Target tracking scaling owns the running count once the service exists.
    ignore_changes = [desired_count]
  }

  depends_on = [aws_lb_listener.listener_80]
}

resource "aws_appautoscaling_target" "this" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${local.cluster_name}/${aws_ecs_service.this.name}"
  min_capacity       = 1
  max_capacity       = 4
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${var.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension
  resource_id        = aws_appautoscaling_target.this.resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = 70
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
