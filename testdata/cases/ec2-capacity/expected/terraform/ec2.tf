data "aws_iam_policy_document" "ec2_assume" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "instance" {
  count              = var.create_capacity ? 1 : 0
  name_prefix        = "${substr(var.name, 0, 20)}-instance-"
  assume_role_policy = data.aws_iam_policy_document.ec2_assume.json
}

resource "aws_iam_role_policy_attachment" "instance_ecs" {
  count      = var.create_capacity ? 1 : 0
  role       = aws_iam_role.instance[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
}

resource "aws_iam_role_policy_attachment" "instance_ssm" {
  count      = var.create_capacity ? 1 : 0
  role       = aws_iam_role.instance[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "instance" {
  count = var.create_capacity ? 1 : 0
  role  = aws_iam_role.instance[0].name
}

data "aws_ssm_parameter" "ecs_ami" {
  count = var.create_capacity ? 1 : 0
  name  = var.ecs_ami_id
}

resource "aws_launch_template" "instances" {
  # EB's instances had public IPs: without one, instances in subnets without a NAT gateway
  # cannot reach ECS and never join the cluster.
  count         = var.create_capacity ? 1 : 0
  name_prefix   = "${var.name}-"
  image_id      = data.aws_ssm_parameter.ecs_ami[0].value
  instance_type = var.instance_type
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${local.cluster_name} >> /etc/ecs/ecs.config\n")

  iam_instance_profile {
    arn = aws_iam_instance_profile.instance[0].arn
  }

  network_interfaces {
    device_index                = 0
    associate_public_ip_address = true
    security_groups             = [aws_security_group.service.id]
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
}

resource "aws_autoscaling_group" "instances" {
  # A new launch template version (a new ECS AMI, another instance type) replaces the instances
  # one at a time, keeping MinSize in service; the capacity provider's managed draining moves
  # their tasks off first.
  count               = var.create_capacity ? 1 : 0
  name_prefix         = "${var.name}-"
  min_size            = 2
  max_size            = 8
  vpc_zone_identifier = var.subnets

  launch_template {
    id      = aws_launch_template.instances[0].id
    version = aws_launch_template.instances[0].latest_version
  }

  tag {
    key                 = "Name"
    value               = "${var.name}-ecs"
    propagate_at_launch = true
  }

  instance_refresh {
    strategy = "Rolling"

    preferences {
      min_healthy_percentage = 100
      max_healthy_percentage = 200
    }
  }

  lifecycle {
    # The capacity provider's managed scaling owns the instance count.
    ignore_changes = [desired_capacity]
  }
}

resource "aws_ecs_capacity_provider" "this" {
  count = local.create_cluster_capacity ? 1 : 0
  name  = "cp-${var.name}"

  auto_scaling_group_provider {
    auto_scaling_group_arn         = aws_autoscaling_group.instances[0].arn
    managed_termination_protection = "DISABLED"
    managed_draining               = "ENABLED"

    managed_scaling {
      status          = "ENABLED"
      target_capacity = 100
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  count              = local.create_cluster_capacity ? 1 : 0
  cluster_name       = aws_ecs_cluster.this[0].name
  capacity_providers = [aws_ecs_capacity_provider.this[0].name]

  default_capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.this[0].name
    weight            = 1
  }
}
