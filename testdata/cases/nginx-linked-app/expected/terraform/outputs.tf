output "load_balancer_dns_name" {
  description = "Point your DNS record here after the smoke test"
  value       = aws_lb.this.dns_name
}

output "load_balancer_canonical_hosted_zone_id" {
  description = "Hosted zone of the load balancer, for a Route 53 alias record"
  value       = aws_lb.this.zone_id
}

output "target_group_arn" {
  description = "Target group of the service (aws elbv2 describe-target-health)"
  value       = aws_lb_target_group.this.arn
}

output "cluster_name" {
  value = local.cluster_name
}

output "service_name" {
  value = aws_ecs_service.this.name
}

output "log_group_name" {
  value = aws_cloudwatch_log_group.this.name
}

output "task_definition_arn" {
  value = aws_ecs_task_definition.this.arn
}

output "service_security_group_id" {
  description = "Security group of the service's tasks (the source to admit in a database's or cache's security group)"
  value       = aws_security_group.service.id
}
