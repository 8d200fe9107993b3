//! `delivery.tf` (`--ci github`): what `delivery.yaml` and the stack's deploy role say, in the
//! module: the ECR repositories of the images the project builds (apply them first, with
//! `-target`), GitHub's OIDC provider (created or given), and the deploy role the workflow
//! assumes, allowed exactly what the workflow does.

use super::hcl::{raw, Body, Expr};
use super::resource;

/// `delivery.tf`.
pub const DELIVERY: &str = "terraform/delivery.tf";

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
        let text = crate::render::terraform::hcl::file(
            ecr_repositories(&from_yaml(repos).unwrap()).unwrap(),
        );
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
