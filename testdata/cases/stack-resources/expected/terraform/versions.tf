# Written by eb2ecs: the same stack as ../cloudformation.yaml. `terraform fmt` leaves it as it is;
# `terraform validate` needs the provider (terraform init), which eb2ecs's tests cannot download.

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40"
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
