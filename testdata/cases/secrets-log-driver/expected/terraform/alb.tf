resource "aws_security_group" "load_balancer" {
  name_prefix = "${var.name}-lb-"
  description = "Load balancer of secrets-log-driver"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "load_balancer_80" {
  security_group_id = aws_security_group.load_balancer.id
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  description       = "Listener port 80"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "load_balancer_all" {
  security_group_id = aws_security_group.load_balancer.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
  description       = "All outbound traffic (the CloudFormation default)"
}

resource "aws_lb" "this" {
  internal                   = false
  load_balancer_type         = "application"
  subnets                    = var.load_balancer_subnets
  security_groups            = [aws_security_group.load_balancer.id]
  idle_timeout               = 60
  drop_invalid_header_fields = true
}

resource "aws_lb_target_group" "this" {
  vpc_id               = var.vpc_id
  protocol             = "HTTP"
  port                 = 80
  target_type          = "ip"
  deregistration_delay = "20"

  health_check {
    protocol            = "HTTP"
    port                = "traffic-port"
    path                = "/"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 3
    unhealthy_threshold = 5
    matcher             = "200-399"
  }
}

resource "aws_lb_listener" "listener_80" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }
}
