//! The delivery part of the stack (`--ci github`): the deploy role and GitHub OIDC provider,
//! and the facts `delivery.yaml` (the ECR repositories' own stack) renders.

use super::context::Context;
use super::parameters::empty_default;
use super::{cluster_name, param, resource, With};
use crate::infra::template::{Parameter, Template};
use crate::model::MigrationModel;
use serde::Serialize;
use serde_json::{json, Value as Json};

/// The delivery facts both stacks (and the Terraform module) render.
#[derive(Debug, Serialize)]
pub(crate) struct DeliveryCtx {
    pub(crate) description: String,
    pub(crate) repositories: Vec<RepositoryCtx>,
    pub(crate) github_repo: Option<String>,
    pub(crate) branch: String,
    pub(crate) one_off_family: Option<String>,
    pub(crate) immutable: bool,
    pub(crate) keep: u32,
    /// The ECR lifecycle policy (JSON text): keep the last `keep` images.
    pub(crate) lifecycle: String,
}

/// One ECR repository.
#[derive(Debug, Serialize)]
pub(crate) struct RepositoryCtx {
    /// Logical ID (`RepositoryApi`).
    pub(crate) id: String,
    /// Repository name.
    pub(crate) name: String,
    /// The containers that run its image, comma-separated.
    pub(crate) containers: String,
}

/// The delivery context, when the model has a delivery pipeline.
pub(crate) fn context(model: &MigrationModel) -> Option<DeliveryCtx> {
    let d = model.delivery.as_ref()?;
    let mut repositories: Vec<RepositoryCtx> = Vec::new();
    for img in &d.images {
        let mut id = logical_id(&img.repository);
        if repositories.iter().any(|r| r.id == id) {
            id = format!("{id}{}", repositories.len() + 1);
        }
        repositories.push(RepositoryCtx {
            id,
            name: img.repository.clone(),
            containers: img.containers.join(", "),
        });
    }
    // The sidecar the workflow builds (no --sqsd-image) is pushed to a repository of its own,
    // which the deploy role may push to like the project's.
    if let Some(w) = model.worker.as_ref().filter(|w| w.image.is_none()) {
        let name = crate::model::SQSD_REPOSITORY;
        repositories.push(RepositoryCtx {
            id: logical_id(name),
            name: name.to_string(),
            containers: w.sidecar.clone(),
        });
    }
    let lifecycle = serde_json::json!({"rules": [{
        "rulePriority": 1,
        "description": format!("Keep the last {} images", d.options.keep_images),
        "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": d.options.keep_images},
        "action": {"type": "expire"},
    }]});
    Some(DeliveryCtx {
        description: format!(
            "ECR repositories of {} (eb2ecs --ci github); deploy before cloudformation.yaml",
            model.service_name
        ),
        repositories,
        github_repo: d.options.github_repo.clone(),
        branch: d.options.branch.clone(),
        one_off_family: model.one_off.as_ref().map(|o| o.family.clone()),
        immutable: d.options.immutable_tags,
        keep: d.options.keep_images,
        lifecycle: lifecycle.to_string(),
    })
}

/// `Repository` and the name in PascalCase (`my-org/api` -> `RepositoryMyOrgApi`).
fn logical_id(name: &str) -> String {
    super::pascal("Repository", name)
}

/// `GitHubRepository` (unless given) and `GitHubOidcProviderArn`.
pub(super) fn parameters(t: &mut Template, ctx: &Context) {
    let Some(d) = &ctx.delivery else { return };
    if d.github_repo.is_none() {
        t.parameters.push(Parameter {
            allowed_pattern: Some("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$".into()),
            ..param(
                "GitHubRepository",
                "String",
                "GitHub repository (OWNER/REPO) whose workflow may deploy this service through the DeployRole",
            )
        });
    }
    t.parameters.push(empty_default(Parameter {
        allowed_pattern: Some(
            r"^(arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\.actions\.githubusercontent\.com)?$"
                .into(),
        ),
        ..param(
            "GitHubOidcProviderArn",
            "String",
            "ARN of the account's existing token.actions.githubusercontent.com OIDC provider; leave empty to create one (an account has at most one)",
        )
    }));
    t.parameters.push(empty_default(Parameter {
        allowed_pattern: Some(DEPLOYED_TASK_DEFINITION_PATTERN.into()),
        ..param(
            DEPLOYED_TASK_DEFINITION,
            "String",
            "The task definition revision the service runs, which the deploy workflow owns once the service exists (it records each revision it deploys here); leave empty when creating the stack",
        )
    }));
}

/// The parameter the deploy workflow records each revision it deploys in: the stack creates
/// the first task definition, the workflow owns the later ones, and a stack update (which keeps
/// the parameter's previous value) never rolls the service back to the first image.
pub const DEPLOYED_TASK_DEFINITION: &str = "DeployedTaskDefinition";
/// A task definition revision's ARN, or empty.
const DEPLOYED_TASK_DEFINITION_PATTERN: &str =
    r"^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:task-definition/[A-Za-z0-9_-]{1,255}:[0-9]+)?$";

/// `GitHubOidcProvider` (unless the account's is given) and `DeployRole`.
pub(super) fn add(t: &mut Template, ctx: &Context) {
    let Some(d) = &ctx.delivery else { return };
    t.resources.push(
        resource(
            "GitHubOidcProvider",
            "AWS::IAM::OIDCProvider",
            json!({
                "Url": "https://token.actions.githubusercontent.com",
                "ClientIdList": ["sts.amazonaws.com"],
            }),
        )
        .when("CreateGitHubOidcProvider")
        .kept()
        .note("GitHub Actions' OIDC identity provider: one per account, kept when the stack goes (other\nrepositories' workflows may trust it by then)."),
    );
    let repository = match &d.github_repo {
        Some(r) => json!(r),
        None => json!({"Ref": "GitHubRepository"}),
    };
    let trust = json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": {"Fn::If": ["CreateGitHubOidcProvider", {"Ref": "GitHubOidcProvider"}, {"Ref": "GitHubOidcProviderArn"}]}},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": {"Fn::Sub": [
                "repo:${Repository}:ref:refs/heads/${Branch}",
                {"Repository": repository, "Branch": d.branch}
            ]}
        }}
    }]});
    t.resources.push(
        resource(
            "DeployRole",
            "AWS::IAM::Role",
            json!({
                "Description": format!("GitHub Actions deploys {} (eb2ecs)", ctx.service_name),
                "MaxSessionDuration": 3600,
                "AssumeRolePolicyDocument": trust,
                "Policies": [{"PolicyName": "deploy", "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": deploy_statements(d),
                }}],
            }),
        )
        .note("The workflow .github/workflows/deploy-ecs.yml assumes this role: it may push to the images'\nrepositories (delivery.yaml), register task definitions, update exactly this service and pass\nexactly its two roles. Only pushes to one branch of one repository may assume it.")
        .note("GetAuthorizationToken, RegisterTaskDefinition and DescribeTaskDefinition have no\nresource-level permissions: \"*\" is their only resource. Registering runs nothing: the task\ndefinition's roles are checked by iam:PassRole."),
    );
}

/// What the deploy workflow may do.
fn deploy_statements(d: &DeliveryCtx) -> Vec<Json> {
    let mut s = vec![
        json!({"Sid": "EcrLogin", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}),
    ];
    if !d.repositories.is_empty() {
        let arns: Vec<Json> = (d.repositories.iter())
            .map(|r| json!({"Fn::Sub": ["arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/${Name}", {"Name": r.name}]}))
            .collect();
        s.push(json!({"Sid": "EcrPush", "Effect": "Allow", "Action": [
            "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
            "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"
        ], "Resource": arns}));
    }
    s.push(json!({"Sid": "RegisterTaskDefinitions", "Effect": "Allow",
        "Action": ["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"], "Resource": "*"}));
    s.push(json!({"Sid": "DeployService", "Effect": "Allow",
        "Action": ["ecs:UpdateService", "ecs:DescribeServices", "ecs:ListTagsForResource"], "Resource": {"Ref": "Service"}}));
    // The workflow records the revision it deployed in the stack's DeployedTaskDefinition (same
    // template, every other parameter its previous value): CloudFormation then updates the
    // service to the revision it already runs, with the workflow's credentials.
    s.push(json!({"Sid": "RecordDeployedRevision", "Effect": "Allow",
        "Action": ["cloudformation:DescribeStacks", "cloudformation:UpdateStack"],
        "Resource": {"Fn::Sub": "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/${AWS::StackName}/*"}}));
    s.push(
        json!({"Sid": "PassTaskRoles", "Effect": "Allow", "Action": "iam:PassRole",
        "Resource": [{"Fn::GetAtt": ["ExecutionRole", "Arn"]}, {"Fn::GetAtt": ["TaskRole", "Arn"]}],
        "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}}),
    );
    if let Some(family) = &d.one_off_family {
        s.push(json!({"Sid": "RunOneOffTask", "Effect": "Allow", "Action": "ecs:RunTask",
            "Resource": {"Fn::Sub": ["arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/${Family}:*", {"Family": family}]},
            "Condition": {"ArnEquals": {"ecs:cluster": {"Fn::If": [
                "CreateCluster",
                {"Fn::GetAtt": ["Cluster", "Arn"]},
                {"Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/${ExistingClusterName}"}
            ]}}}}));
        s.push(json!({"Sid": "WatchOneOffTask", "Effect": "Allow", "Action": "ecs:DescribeTasks",
            "Resource": {"Fn::Sub": ["arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/${ClusterName}/*", {"ClusterName": cluster_name()}]}}));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logical_ids_are_what_cloudformation_accepts() {
        assert_eq!(logical_id("my-org/api_v2"), "RepositoryMyOrgApiV2");
    }
}
