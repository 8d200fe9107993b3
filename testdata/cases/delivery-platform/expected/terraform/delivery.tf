variable "github_oidc_provider_arn" {
  description = "ARN of the account's existing token.actions.githubusercontent.com OIDC provider; leave empty to create one (an account has at most one)"
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^(arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com)?$", var.github_oidc_provider_arn))
    error_message = "github_oidc_provider_arn must match ^(arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com)?$."
  }
}

resource "aws_iam_openid_connect_provider" "github" {
  # GitHub Actions' OIDC identity provider: one per account, kept when the stack goes (other
  # repositories' workflows may trust it by then).
  count          = local.create_github_oidc_provider ? 1 : 0
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]

  lifecycle {
    # The stack's DeletionPolicy: Retain. Before `terraform destroy`: terraform state rm 'aws_iam_openid_connect_provider.github[0]'
    prevent_destroy = true
  }
}

data "aws_iam_policy_document" "deploy_assume" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type = "Federated"
      identifiers = [
        local.create_github_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : var.github_oidc_provider_arn,
      ]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:acme/express-app:ref:refs/heads/main"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  # The workflow .github/workflows/deploy-ecs.yml assumes this role: it may push to the images'
  # repositories (delivery.yaml), register task definitions, update exactly this service and pass
  # exactly its two roles. Only pushes to one branch of one repository may assume it.
  # GetAuthorizationToken, RegisterTaskDefinition and DescribeTaskDefinition have no
  # resource-level permissions: "*" is their only resource. Registering runs nothing: the task
  # definition's roles are checked by iam:PassRole.
  name_prefix          = "${substr(var.name, 0, 20)}-deploy-"
  description          = "GitHub Actions deploys delivery-platform (eb2ecs)"
  max_session_duration = 3600
  assume_role_policy   = data.aws_iam_policy_document.deploy_assume.json
}

data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "EcrLogin"
    effect    = "Allow"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid    = "EcrPush"
    effect = "Allow"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [
      "arn:${data.aws_partition.current.partition}:ecr:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:repository/delivery-platform",
    ]
  }

  statement {
    sid       = "RegisterTaskDefinitions"
    effect    = "Allow"
    actions   = ["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"]
    resources = ["*"]
  }

  statement {
    sid       = "DeployService"
    effect    = "Allow"
    actions   = ["ecs:UpdateService", "ecs:DescribeServices", "ecs:ListTagsForResource"]
    resources = [aws_ecs_service.this.id]
  }

  statement {
    sid     = "RecordDeployedRevision"
    effect  = "Allow"
    actions = ["cloudformation:DescribeStacks", "cloudformation:UpdateStack"]
    resources = [
      "arn:${data.aws_partition.current.partition}:cloudformation:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:stack/${var.name}/*",
    ]
  }

  statement {
    sid       = "PassTaskRoles"
    effect    = "Allow"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.execution.arn, aws_iam_role.task.arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "deploy_deploy" {
  name   = "deploy"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}

resource "aws_ecr_repository" "delivery" {
  # The images' repositories outlive the service: apply them first (-target), push the first images, then the rest.
  for_each             = toset(["delivery-platform"])
  name                 = each.value
  image_tag_mutability = "MUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }

  lifecycle {
    # The stack's DeletionPolicy: Retain. Before `terraform destroy`: terraform state rm 'aws_ecr_repository.delivery'
    prevent_destroy = true
  }
}

resource "aws_ecr_lifecycle_policy" "delivery" {
  for_each   = aws_ecr_repository.delivery
  repository = each.value.name
  policy     = "{\"rules\":[{\"rulePriority\":1,\"description\":\"Keep the last 30 images\",\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":30},\"action\":{\"type\":\"expire\"}}]}"
}

output "deploy_role_arn" {
  description = "Repository variable AWS_DEPLOY_ROLE_ARN of the deploy workflow"
  value       = aws_iam_role.deploy.arn
}

output "execution_role_arn" {
  description = "Repository variable ECS_EXECUTION_ROLE_ARN of the deploy workflow"
  value       = aws_iam_role.execution.arn
}

output "task_role_arn" {
  description = "Repository variable ECS_TASK_ROLE_ARN of the deploy workflow"
  value       = aws_iam_role.task.arn
}
