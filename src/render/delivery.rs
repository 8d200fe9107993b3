//! `delivery.yaml` (`--ci github`): the ECR repositories of the images the project builds, a
//! stack of its own deployed before the service's (which needs the first images pushed; the
//! repositories outlive it), and the checklist's delivery steps. The service stack's delivery
//! part (deploy role, OIDC provider) is the infrastructure model's (`crate::infra::stack`).

use super::templates;
use crate::error::Result;
use crate::model::MigrationModel;
use crate::text::{code, escape, required, sh};

/// Output file name.
pub const DELIVERY_STACK: &str = "delivery.yaml";

/// The delivery facts both stacks render (decided in the infrastructure model; the Terraform
/// printer still reads them from here).
pub(crate) use crate::infra::stack::delivery::context;

/// `delivery.yaml`, when the project builds at least one image, with a run's templates.
pub fn render(model: &MigrationModel, t: &templates::Templates) -> Result<Option<String>> {
    let Some(ctx) = context(model).filter(|c| !c.repositories.is_empty()) else {
        return Ok(None);
    };
    let text = t.render("delivery.yaml", &ctx)?;
    serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&text)
        .map_err(|e| t.output_error("delivery.yaml", &format!("does not parse as YAML: {e}")))?;
    Ok(Some(text))
}

/// The stack parameters only the person deploying knows (`Key=value`, the value a required
/// shell variable): the GitHub repository when `--github-repo` was not given.
pub(crate) fn stack_params(m: &MigrationModel) -> Vec<String> {
    match &m.delivery {
        Some(d) if d.options.github_repo.is_none() => vec![format!(
            "GitHubRepository={}",
            required(
                "GITHUB_REPOSITORY",
                "OWNER/REPO of the repository that deploys"
            )
        )],
        _ => Vec::new(),
    }
}

/// The stack output (or Terraform output) a shell command reads, by output key.
pub(crate) type OutputOf<'a> = &'a dyn Fn(&str) -> String;

/// The repositories' stack name: the service's and `-images`, within CloudFormation's 128.
fn images_stack(stack: &str) -> String {
    let base = crate::names::truncate(stack, 128 - "-images".len());
    format!("{}-images", base.trim_end_matches('-'))
}

/// The Deploy phase's delivery steps before the service's stack: the repositories and the
/// first images (the service needs them), the OIDC provider.
pub(crate) fn deploy_before(m: &MigrationModel, format: super::Format, stack: &str) -> Vec<String> {
    let Some(d) = &m.delivery else {
        return Vec::new();
    };
    let r = sh(&m.region);
    let mut out = Vec::new();
    let sidecar = m.worker.as_ref().filter(|w| w.image.is_none());
    if !d.images.is_empty() || sidecar.is_some() {
        out.push(if format.cloudformation() {
            format!(
                "First create the image repositories (a stack of their own: the service needs its first images in them, and they outlive it): {}",
                code(&format!("aws cloudformation deploy --region {r} --stack-name {} --template-file delivery.yaml", sh(&images_stack(stack))))
            )
        } else {
            format!(
                "First create the image repositories, once terraform.tfvars is filled in and the module initialised (next step): {}",
                code("terraform -chdir=terraform apply -var-file=terraform.tfvars -target=aws_ecr_repository.delivery -target=aws_ecr_lifecycle_policy.delivery")
            )
        });
        out.extend(d.images.iter().map(|i| first_push(m, i)));
    }
    if let Some(w) = sidecar {
        let uri = format!(
            "{}.dkr.ecr.{}.amazonaws.com/{}:initial",
            m.account_id,
            m.region,
            super::workflow::SQSD_REPOSITORY
        );
        out.push(format!(
            "Push the first sqsd sidecar image (container {}), from a checkout of the eb2ecs repository at release {}: {}; then {} for the deploy command (by digest, never a tag).",
            code(&w.sidecar),
            code(super::workflow::SQSD_SOURCE.1),
            sqsd_push(m, &uri),
            code(&format!("SQSD_IMAGE=\"$(docker image inspect --format '{{{{index .RepoDigests 0}}}}' {})\" && export SQSD_IMAGE", sh(&uri)))
        ));
    }
    out.push(format!(
        "The deploy role trusts GitHub's OIDC provider, of which an account has one: if {} lists `token.actions.githubusercontent.com`, pass its ARN as {} when deploying; else the {} creates it.",
        code(&format!("aws iam list-open-id-connect-providers --region {r}")),
        if format.cloudformation() { "`GitHubOidcProviderArn`" } else { "`github_oidc_provider_arn`" },
        if format.cloudformation() { "stack" } else { "module" },
    ));
    out
}

/// The Deploy phase's delivery steps once the service is deployed: the repository variables,
/// the workflow, the first push.
pub(crate) fn deploy_after(
    m: &MigrationModel,
    format: super::Format,
    output: OutputOf,
) -> Vec<String> {
    let Some(d) = &m.delivery else {
        return Vec::new();
    };
    vec![
        variables_step(m, d, format, output),
        format!(
            "Commit this folder as `{}/` at the root of the repository and move the workflow to `.github/workflows/deploy-ecs.yml` there. task-definition.json is what the workflow deploys: the workflow fills in the images it builds, the stack's roles and log group; anything else that is still a placeholder (`ACCOUNT_ID`, `REPLACE_ME`, the images it does not build) you fill in once, or the workflow refuses to deploy.",
            escape(&d.options.ecs_dir)
        ),
        format!(
            "Push to `{}`: the workflow builds and pushes each image tagged with the commit SHA, {}registers the task definition, updates the service and waits until it is stable. Watch it with `gh run watch`. From then on the workflow deploys: a later stack update puts the stack's own task definition (its image parameters) back, so pass the running images to it.",
            escape(&d.options.branch),
            if m.one_off.is_some() { "runs the one-off commands, " } else { "" }
        ),
    ]
}

/// Build the sqsd sidecar for the task's CPU architecture from a checkout of eb2ecs and push
/// it to `uri`: the two commands, each in code spans.
pub(crate) fn sqsd_push(m: &MigrationModel, uri: &str) -> String {
    format!(
        "{} and {}",
        code(&format!(
            "docker buildx build --platform {} --tag {} --file sqsd/Dockerfile --load .",
            m.docker_platform(),
            sh(uri)
        )),
        code(&format!("docker push {}", sh(uri)))
    )
}

/// Build and push one image by hand, the first time (the service's stack needs it).
fn first_push(m: &MigrationModel, img: &crate::model::BuiltImage) -> String {
    let registry = format!("{}.dkr.ecr.{}.amazonaws.com", m.account_id, m.region);
    let named = m
        .task_definition
        .container_definitions
        .iter()
        .find(|c| {
            img.containers.contains(&c.name)
                && c.image
                    .starts_with(&format!("{registry}/{}:", img.repository))
        })
        .map(|c| c.image.clone());
    let uri = named.unwrap_or_else(|| format!("{registry}/{}:initial", img.repository));
    let mut build = format!(
        "docker buildx build --platform {} --load --file {} --tag {}",
        m.docker_platform(),
        sh(&img.dockerfile),
        sh(&uri)
    );
    if let Some(t) = &img.target {
        build.push_str(&format!(" --target {}", sh(t)));
    }
    for (k, v) in &img.args {
        build.push_str(&format!(" --build-arg {}", sh(&format!("{k}={v}"))));
    }
    for k in &img.secret_args {
        // The value comes from the environment (export it first); it is never printed.
        build.push_str(&format!(" --build-arg {}", sh(k)));
    }
    build.push_str(&format!(" {}", sh(&img.context)));
    format!(
        "Push the first image of {} (from the repository root, logged in to ECR): {} and {}{}.",
        code(&img.containers.join(", ")),
        code(&build),
        code(&format!("docker push {}", sh(&uri))),
        match img
            .containers
            .iter()
            .find(|c| m.placeholder_images.iter().any(|(n, _)| n == *c))
        {
            Some(c) => format!(
                "; deploy the service with it as {}",
                code(&format!(
                    "{}={}",
                    super::names::param_name(c).to_ascii_uppercase(),
                    sh(&uri)
                ))
            ),
            None => String::new(),
        }
    )
}

/// Set the workflow's repository variables from the deployed stack's outputs.
fn variables_step(
    m: &MigrationModel,
    d: &crate::model::Delivery,
    format: super::Format,
    output: OutputOf,
) -> String {
    let repo = d.options.github_repo.as_deref().map_or_else(
        || {
            required(
                "GITHUB_REPOSITORY",
                "OWNER/REPO of the repository that deploys",
            )
        },
        sh,
    );
    let vars = super::workflow::variables(m);
    let mut cmds: Vec<String> = vars
        .iter()
        // SQSD_IMAGE is optional: set it only to a registry copy of the sidecar, by digest.
        .filter(|(name, _)| *name != "SQSD_IMAGE")
        .map(|(name, key)| {
            let value = if key.is_empty() {
                sh(&m.region)
            } else {
                output(key)
            };
            code(&format!(
                "gh variable set {name} --repo {repo} --body {value}"
            ))
        })
        .collect();
    // The stack records each revision the workflow deploys (the module ignores it instead).
    let stack = super::workflow::STACK_VARIABLE;
    if format.cloudformation() {
        cmds.push(code(&format!(
            "gh variable set {stack} --repo {repo} --body {}",
            sh(&super::names::stack_name(m))
        )));
    }
    let sqsd = if vars.iter().any(|(name, _)| *name == "SQSD_IMAGE") {
        format!(
            " The workflow builds the sqsd sidecar from eb2ecs's `sqsd/` (release {}) into the ECR repository {} and deploys it by digest; to use your registry's copy instead, set {} to it by digest (`REPO@sha256:...`).",
            code(super::workflow::SQSD_SOURCE.1),
            code(super::workflow::SQSD_REPOSITORY),
            code("SQSD_IMAGE")
        )
    } else {
        String::new()
    };
    // Both formats: the commands read the stack; the module's outputs carry the same values.
    let terraform = if format.cloudformation() && format.terraform() {
        let names: Vec<String> = vars
            .iter()
            .filter(|(_, key)| !key.is_empty())
            .map(|(name, key)| {
                format!(
                    "{} from {}",
                    code(name),
                    code(&super::names::terraform_output(key))
                )
            })
            .collect();
        format!(
            " Deployed with the Terraform module instead, take each value from {}: {}; and leave {} unset.",
            code("terraform -chdir=terraform output -raw NAME"),
            names.join(", "),
            code(stack)
        )
    } else {
        String::new()
    };
    let owner = if format.cloudformation() {
        format!(" From its first run the workflow owns the service's task definition: it records each revision it deploys in the stack's parameter `DeployedTaskDefinition`, which `aws cloudformation deploy` keeps on a later stack update (so an update never rolls the service back to the first image); set it by hand only if you deploy a revision outside the workflow{}.", if format.terraform() { "; the Terraform module ignores the service's task definition after creating it" } else { "" })
    } else {
        " From its first run the workflow owns the service's task definition: the module creates the first revision and ignores the service's task definition after that, so an apply never rolls the service back to the first image.".to_string()
    };
    format!(
        "Once the service is deployed, set the workflow's repository variables (not secrets: none is secret) from its outputs: {}.{terraform}{sqsd}{owner}",
        cmds.join(", ")
    )
}

/// The Decommission phase's delivery step: EB's deploy leaves CI.
pub(crate) fn decommission_steps(m: &MigrationModel) -> Vec<String> {
    let Some(d) = &m.delivery else {
        return Vec::new();
    };
    vec![format!(
        "Remove the EB deployment from CI: the `eb deploy` steps (or the EB deploy action) and the AWS keys they used, and `.elasticbeanstalk/` once nothing reads it; pushes to `{}` deploy through `.github/workflows/deploy-ecs.yml` now.",
        escape(&d.options.branch)
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_names_are_what_cloudformation_accepts() {
        assert_eq!(images_stack("shop"), "shop-images");
        let long = "a".repeat(127) + "-b";
        let name = images_stack(&long);
        assert_eq!(name.len(), 128);
        assert!(name.ends_with("a-images"), "{name}");
    }
}
