//! `delivery.tf` (`--ci github`): what `delivery.yaml` and the stack's deploy role say, in the
//! module: the ECR repositories of the images the project builds (apply them first, with
//! `-target`), GitHub's OIDC provider (created or given), and the deploy role the workflow
//! assumes, allowed exactly what the workflow does.

use super::hcl::{self, raw, s, Body, Expr};
use super::{cfn, data, resource};
use crate::render::delivery::DeliveryCtx;
use serde_json::json;

/// `delivery.tf`.
pub const DELIVERY: &str = "terraform/delivery.tf";

const PARTITION_ARN: &str = "arn:${AWS::Partition}";

/// An ARN template of the account and region, as a module expression.
fn arn(rest: &str) -> Expr {
    cfn(&json!({ "Fn::Sub": format!("{PARTITION_ARN}:{rest}") }))
}

fn variables(d: &DeliveryCtx) -> Vec<(String, Body)> {
    let mut out = Vec::new();
    if d.github_repo.is_none() {
        out.push((
            "variable \"github_repository\"".to_string(),
            Body::new()
                .attr("description", s("GitHub repository (OWNER/REPO) whose workflow may deploy this service through the deploy role"))
                .attr("type", raw("string"))
                .blank()
                .block(
                    "validation",
                    Body::new()
                        .attr("condition", raw("can(regex(\"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$\", var.github_repository))"))
                        .attr("error_message", s("github_repository must be OWNER/REPO.")),
                ),
        ));
    }
    out.push((
        "variable \"github_oidc_provider_arn\"".to_string(),
        Body::new()
            .attr("description", s("ARN of the account's existing token.actions.githubusercontent.com OIDC provider; empty creates one (an account has at most one)"))
            .attr("type", raw("string"))
            .attr("default", s("")),
    ));
    out
}

fn repositories(d: &DeliveryCtx) -> Vec<(String, Body)> {
    let names = hcl::strs(d.repositories.iter().map(|r| r.name.clone()));
    let repo = Body::new()
        .comment("The images' repositories outlive the service: apply them first (-target), push the first images, then the rest.")
        .attr("for_each", Expr::Call("toset", Box::new(names)))
        .attr("name", raw("each.value"))
        .attr("image_tag_mutability", s(if d.immutable { "IMMUTABLE" } else { "MUTABLE" }))
        .blank()
        .block("image_scanning_configuration", Body::new().attr("scan_on_push", raw("true")))
        .blank()
        .block("encryption_configuration", Body::new().attr("encryption_type", s("AES256")));
    let repo = super::retained(repo, "aws_ecr_repository.delivery");
    let lifecycle = Body::new()
        .attr("for_each", raw("aws_ecr_repository.delivery"))
        .attr("repository", raw("each.value.name"))
        .attr("policy", s(&d.lifecycle));
    vec![
        (resource("aws_ecr_repository", "delivery"), repo),
        (resource("aws_ecr_lifecycle_policy", "delivery"), lifecycle),
    ]
}

fn statement(sid: &str, actions: &[&str], resources: Expr) -> Body {
    Body::new()
        .attr("sid", s(sid))
        .attr("effect", s("Allow"))
        .attr("actions", hcl::strs(actions.iter().copied()))
        .attr("resources", resources)
}

fn condition(test: &str, variable: &str, values: Expr) -> Body {
    Body::new()
        .attr("test", s(test))
        .attr("variable", s(variable))
        .attr("values", values)
}

/// Who may assume the deploy role: pushes to one branch of one repository, through GitHub's
/// OIDC provider.
fn trust(d: &DeliveryCtx) -> Body {
    // The repository and branch were checked on the command line (letters, digits, - _ . /).
    let sub = match &d.github_repo {
        Some(r) => s(format!("repo:{r}:ref:refs/heads/{}", d.branch)),
        None => raw(format!(
            "\"repo:${{var.github_repository}}:ref:refs/heads/{}\"",
            d.branch
        )),
    };
    let st = Body::new()
        .attr("effect", s("Allow"))
        .attr("actions", hcl::strs(["sts:AssumeRoleWithWebIdentity"]))
        .blank()
        .block(
            "principals",
            Body::new()
                .attr("type", s("Federated"))
                .attr("identifiers", raw("[local.github_oidc_provider_arn]")),
        )
        .blank()
        .block(
            "condition",
            condition(
                "StringEquals",
                "token.actions.githubusercontent.com:aud",
                hcl::strs(["sts.amazonaws.com"]),
            ),
        )
        .blank()
        .block(
            "condition",
            condition(
                "StringEquals",
                "token.actions.githubusercontent.com:sub",
                Expr::List(vec![sub]),
            ),
        );
    Body::new().block("statement", st)
}

/// What the workflow does, exactly (see the stack's DeployRole for why three actions need "*").
fn permissions(d: &DeliveryCtx) -> Body {
    let star = || hcl::strs(["*"]);
    let mut statements = vec![statement(
        "EcrLogin",
        &["ecr:GetAuthorizationToken"],
        star(),
    )];
    statements.extend(ecr_push(d));
    statements.push(statement(
        "RegisterTaskDefinitions",
        &["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"],
        star(),
    ));
    statements.push(statement(
        "DeployService",
        &["ecs:UpdateService", "ecs:DescribeServices"],
        raw("[aws_ecs_service.this.id]"),
    ));
    statements.push(
        statement(
            "PassTaskRoles",
            &["iam:PassRole"],
            raw("[aws_iam_role.execution.arn, aws_iam_role.task.arn]"),
        )
        .blank()
        .block(
            "condition",
            condition(
                "StringEquals",
                "iam:PassedToService",
                hcl::strs(["ecs-tasks.amazonaws.com"]),
            ),
        ),
    );
    statements.extend(
        d.one_off_family
            .as_deref()
            .map(one_off)
            .into_iter()
            .flatten(),
    );
    let mut b = Body::new();
    for (i, st) in statements.into_iter().enumerate() {
        if i > 0 {
            b = b.blank();
        }
        b = b.block("statement", st);
    }
    b
}

/// Push to exactly the repositories of the images the project builds.
fn ecr_push(d: &DeliveryCtx) -> Option<Body> {
    if d.repositories.is_empty() {
        return None;
    }
    let repos = d
        .repositories
        .iter()
        .map(|r| {
            arn(&format!(
                "ecr:${{AWS::Region}}:${{AWS::AccountId}}:repository/{}",
                r.name
            ))
        })
        .collect();
    Some(statement(
        "EcrPush",
        &[
            "ecr:BatchCheckLayerAvailability",
            "ecr:BatchGetImage",
            "ecr:CompleteLayerUpload",
            "ecr:GetDownloadUrlForLayer",
            "ecr:InitiateLayerUpload",
            "ecr:PutImage",
            "ecr:UploadLayerPart",
        ],
        Expr::List(repos),
    ))
}

/// Run the one-off task definition (any revision) on the service's cluster only, and watch it.
fn one_off(family: &str) -> Vec<Body> {
    const ACCOUNT: &str = "${data.aws_partition.current.partition}:ecs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}";
    let cluster_arn = format!(
        "[local.create_cluster ? aws_ecs_cluster.this[0].arn : \"arn:{ACCOUNT}:cluster/${{var.existing_cluster_name}}\"]"
    );
    let task_definition = arn(&format!(
        "ecs:${{AWS::Region}}:${{AWS::AccountId}}:task-definition/{family}:*"
    ));
    vec![
        statement(
            "RunOneOffTask",
            &["ecs:RunTask"],
            Expr::List(vec![task_definition]),
        )
        .blank()
        .block(
            "condition",
            condition("ArnEquals", "ecs:cluster", raw(cluster_arn)),
        ),
        statement(
            "WatchOneOffTask",
            &["ecs:DescribeTasks"],
            raw(format!(
                "[\"arn:{ACCOUNT}:task/${{local.cluster_name}}/*\"]"
            )),
        ),
    ]
}

/// `delivery.tf`, when the model has a delivery pipeline.
pub(super) fn render(d: &DeliveryCtx) -> String {
    let mut blocks = variables(d);
    if !d.repositories.is_empty() {
        blocks.extend(repositories(d));
    }
    blocks.push((
        resource("aws_iam_openid_connect_provider", "github"),
        super::retained(
            Body::new()
                .comment("GitHub Actions' OIDC identity provider: one per account.")
                .attr("count", raw("var.github_oidc_provider_arn == \"\" ? 1 : 0"))
                .attr("url", s("https://token.actions.githubusercontent.com"))
                .attr("client_id_list", hcl::strs(["sts.amazonaws.com"])),
            "aws_iam_openid_connect_provider.github[0]",
        ),
    ));
    blocks.push((
        "locals".to_string(),
        Body::new().attr("github_oidc_provider_arn", raw("var.github_oidc_provider_arn == \"\" ? aws_iam_openid_connect_provider.github[0].arn : var.github_oidc_provider_arn")),
    ));
    blocks.push((data("aws_iam_policy_document", "deploy_assume"), trust(d)));
    blocks.push((
        resource("aws_iam_role", "deploy"),
        Body::new()
            .comment("The workflow .github/workflows/deploy-ecs.yml assumes this role.")
            .extend(super::iam::role("deploy", "deploy_assume")),
    ));
    blocks.push((data("aws_iam_policy_document", "deploy"), permissions(d)));
    blocks.push((
        resource("aws_iam_role_policy", "deploy"),
        super::iam::inline("deploy", "deploy", "deploy"),
    ));
    for (name, value) in [
        ("deploy_role_arn", "aws_iam_role.deploy.arn"),
        ("execution_role_arn", "aws_iam_role.execution.arn"),
        ("task_role_arn", "aws_iam_role.task.arn"),
    ] {
        blocks.push((
            format!("output \"{name}\""),
            Body::new().attr("value", raw(value)),
        ));
    }
    hcl::file(blocks)
}

// ---------------------------------------------------------------------------------------------
// From the stack model: GitHub's OIDC provider (in the service's stack; the deploy role is
// iam.rs's, as every role), and the images' ECR repositories (in the delivery stack,
// `delivery.yaml`).
// ---------------------------------------------------------------------------------------------

use super::model::Module;
use super::resources::{closing, header, listed, opening, value, Blocks};
use crate::error::{Error, Result};
use crate::infra::template::{Resource, Template};
use crate::infra::value::Value as V;

/// The blocks of a delivery resource of the service's stack; `None` for any other resource.
pub(super) fn print(m: &Module, r: &Resource) -> Option<Result<Blocks>> {
    Some(match (r.kind.as_str(), r.id.as_str()) {
        ("AWS::IAM::OIDCProvider", _) => oidc_provider(m, r),
        _ => return None,
    })
}

fn oidc_provider(m: &Module, r: &Resource) -> Result<Blocks> {
    let p = m.props(r);
    let b = opening(m, r)
        .attr_opt("url", p.get("Url").map(|x| value(m, x)))
        .attr_opt(
            "client_id_list",
            p.get("ClientIdList").map(|x| listed(m, x)),
        )
        .attr_opt(
            "thumbprint_list",
            p.get("ThumbprintList").map(|x| listed(m, x)),
        );
    p.finish()?;
    Ok(vec![(header(r), closing(m, r, b))])
}

/// The delivery stack's ECR repositories as one `aws_ecr_repository.delivery` (and
/// `aws_ecr_lifecycle_policy.delivery`) over their names: the checklist applies them first
/// with `-target` at those addresses. Every repository of the stack has the same settings.
// The delivery stack is not the service's Template: `mod.rs` calls this once `render` is given
// that stack too (until then the module lacks the repositories; tf2's report says how).
#[allow(dead_code)]
pub(super) fn ecr_repositories(stack: &Template) -> Result<Blocks> {
    let m = Module::new(stack);
    let repos: Vec<&Resource> = stack
        .resources
        .iter()
        .filter(|r| r.kind == "AWS::ECR::Repository")
        .collect();
    let Some(first) = repos.first() else {
        return Ok(Vec::new());
    };
    let mut names = Vec::new();
    let mut settings = None;
    for r in &repos {
        let p = m.props(r);
        names.push(p.get("RepositoryName").map_or(V::Null, Clone::clone));
        let these = [
            "ImageTagMutability",
            "ImageScanningConfiguration",
            "EncryptionConfiguration",
            "LifecyclePolicy",
        ]
        .map(|k| p.get(k).cloned());
        p.finish()?;
        match &settings {
            None => settings = Some(these),
            Some(s) if *s == these && r.retain == first.retain => {}
            Some(_) => {
                return Err(Error::Bug(format!(
                    "the ECR repositories of the delivery stack differ ({}): Terraform writes them as one",
                    r.id
                )))
            }
        }
    }
    let [mutability, scanning, encryption, lifecycle] = settings.unwrap_or_default();
    let mut repo = Body::new()
        .comment("The images' repositories outlive the service: apply them first (-target), push the first images, then the rest.")
        .attr(
            "for_each",
            Expr::Call("toset", Box::new(value(&m, &V::List(names)))),
        )
        .attr("name", raw("each.value"))
        .attr_opt("image_tag_mutability", mutability.map(|x| value(&m, &x)));
    if let Some(s) = scanning {
        repo = repo.blank().block(
            "image_scanning_configuration",
            super::resources::nested(&m, &s, &[]),
        );
    }
    if let Some(e) = encryption {
        repo = repo.blank().block(
            "encryption_configuration",
            super::resources::nested(&m, &e, &[]),
        );
    }
    if first.retain {
        repo = repo.blank().block(
            "lifecycle",
            Body::new()
                .comment("The stack's DeletionPolicy: Retain. Before `terraform destroy`: terraform state rm 'aws_ecr_repository.delivery'")
                .attr("prevent_destroy", raw("true")),
        );
    }
    let mut out = vec![(resource("aws_ecr_repository", "delivery"), repo)];
    if let Some(text) = lifecycle
        .as_ref()
        .and_then(|l| l.get("LifecyclePolicyText"))
    {
        out.push((
            resource("aws_ecr_lifecycle_policy", "delivery"),
            Body::new()
                .attr("for_each", raw("aws_ecr_repository.delivery"))
                .attr("repository", raw("each.value.name"))
                .attr("policy", value(&m, text)),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod model_tests {
    use super::super::resources::printed;
    use super::{ecr_repositories, print};
    use crate::infra::template::from_yaml;

    #[test]
    fn the_oidc_provider_is_kept_and_repositories_are_one_for_each() {
        let stack = r#"
Conditions:
  CreateGitHubOidcProvider: !Equals ["", ""]
Resources:
  GitHubOidcProvider:
    Type: AWS::IAM::OIDCProvider
    Condition: CreateGitHubOidcProvider
    DeletionPolicy: Retain
    Properties: {Url: https://token.actions.githubusercontent.com, ClientIdList: [sts.amazonaws.com]}
"#;
        let p = printed(print, stack, "GitHubOidcProvider").unwrap();
        assert!(
            p.contains("client_id_list = [\"sts.amazonaws.com\"]"),
            "{p}"
        );
        assert!(
            p.contains("terraform state rm 'aws_iam_openid_connect_provider.github[0]'"),
            "{p}"
        );
        let repos = r#"
Resources:
  RepositoryA:
    Type: AWS::ECR::Repository
    DeletionPolicy: Retain
    Properties: {RepositoryName: a, ImageTagMutability: MUTABLE, LifecyclePolicy: {LifecyclePolicyText: "{}"}}
  RepositoryB:
    Type: AWS::ECR::Repository
    DeletionPolicy: Retain
    Properties: {RepositoryName: b, ImageTagMutability: MUTABLE, LifecyclePolicy: {LifecyclePolicyText: "{}"}}
"#;
        let text = super::hcl::file(ecr_repositories(&from_yaml(repos).unwrap()).unwrap());
        assert!(
            text.contains("for_each             = toset([\"a\", \"b\"])"),
            "{text}"
        );
        assert!(
            text.contains("resource \"aws_ecr_lifecycle_policy\" \"delivery\""),
            "{text}"
        );
        let differ = repos.replacen("MUTABLE", "IMMUTABLE", 1);
        assert!(ecr_repositories(&from_yaml(&differ).unwrap()).is_err());
    }
}
