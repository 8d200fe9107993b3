# Written by eb2ecs: the same stack as ../cloudformation.yaml. eb2ecs's tests check it with `terraform fmt`,
# `terraform validate` (AWS provider 5.100) and `terraform apply` into a local AWS stand-in (moto).

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.81"
    }
  }
}

provider "aws" {
  region = var.region
}

data "aws_region" "current" {
}

data "aws_partition" "current" {
}

data "aws_caller_identity" "current" {
}
