resource "aws_ecs_task_definition" "one_off" {
  family                   = "oneoff-ec2-oneoff"
  network_mode             = "bridge"
  requires_compatibilities = ["EC2"]
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  container_definitions = jsonencode([
    {
      name              = "app"
      image             = "janedoe/flask-api:2.3"
      essential         = true
      memoryReservation = 512
      command = [
        "sh",
        "-c",
        "(\nbundle exec rake db:migrate\n) || exit $?\n(\ncurl -fsS -H \"Authorization: Bearer ****\" https://example.com/deployed\n) || true",
      ]
      mountPoints = [
        {
          sourceVolume  = "volume-2"
          containerPath = "/uploads"
        },
      ]
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

  volume {
    name      = "volume-2"
    host_path = "/var/data/uploads"
  }
}

output "one_off_task_definition_arn" {
  description = "The one-off task (aws ecs run-task --task-definition)"
  value       = aws_ecs_task_definition.one_off.arn
}
