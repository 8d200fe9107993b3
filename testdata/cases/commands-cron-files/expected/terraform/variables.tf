variable "vpc_id" {
  description = "VPC of the service (the EB environment's aws:ec2:vpc VPCId when eb2ecs knew it)"
  type        = string

  validation {
    condition     = can(regex("^vpc-([0-9a-f]{8}|[0-9a-f]{17})$", var.vpc_id))
    error_message = "vpc_id must be a VPC id (vpc-0123456789abcdef0)."
  }
}

variable "subnets" {
  description = "Subnets for the tasks (EB aws:ec2:vpc Subnets)"
  type        = list(string)

  validation {
    condition     = length(var.subnets) > 0 && alltrue([for s in var.subnets : can(regex("^subnet-([0-9a-f]{8}|[0-9a-f]{17})$", s))])
    error_message = "subnets must be one or more subnet ids (subnet-0123456789abcdef0)."
  }
}

variable "assign_public_ip" {
  description = "true only when the task subnets are public and have no NAT gateway"
  type        = bool
  default     = true
}

variable "load_balancer_subnets" {
  description = "Subnets for the load balancer, in at least two Availability Zones (EB aws:ec2:vpc ELBSubnets)"
  type        = list(string)

  validation {
    condition     = length(var.load_balancer_subnets) > 0 && alltrue([for s in var.load_balancer_subnets : can(regex("^subnet-([0-9a-f]{8}|[0-9a-f]{17})$", s))])
    error_message = "load_balancer_subnets must be one or more subnet ids (subnet-0123456789abcdef0)."
  }
}

variable "name" {
  description = "Name of this instance of the module (cluster, service, policies): the CloudFormation stack name"
  type        = string
  default     = "commands-cron-files"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9-]{0,99}$", var.name))
    error_message = "name must start with a letter and hold only letters, digits and hyphens (at most 100)."
  }
}

variable "region" {
  description = "AWS region to deploy into"
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region (eu-west-1)."
  }
}

variable "existing_cluster_name" {
  description = "Name of an existing ECS cluster to use; leave empty to create one"
  type        = string
  default     = ""
}

variable "enable_execute_command" {
  description = "true lets `aws ecs execute-command` open a shell in the containers (ECS Exec, instead of SSH); on by default only where EB allowed SSH (EC2KeyName)"
  type        = bool
  default     = false
}

variable "execute_command_kms_key_arn" {
  description = "ARN of a KMS key that encrypts ECS Exec sessions (with enable_execute_command, on the cluster the module creates); empty: TLS only. Sessions are logged to the service's log group either way"
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^(arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+)?$", var.execute_command_kms_key_arn))
    error_message = "execute_command_kms_key_arn must match ^(arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+)?$."
  }
}

variable "image_input" {
  description = "Image URI of container input (the Dockerrun has no pullable image; required)"
  type        = string

  validation {
    condition     = length(var.image_input) > 0
    error_message = "image_input must name the image to run."
  }
}
