//! Delivery after EB (`--ci github`): which images the project builds, the ECR repository each
//! goes to, and what the workflow cannot build. The stack's repositories and deploy role and the
//! GitHub Actions workflow are rendered from the [`Delivery`] decided here.
//!
//! An image is built when the project holds its recipe: the generated Dockerfile of a language
//! platform, a compose `build`, a Dockerfile-only project, or a Dockerfile beside a Dockerrun
//! container whose image is missing, a placeholder or in the account's own ECR. Public images
//! are not built (the checklist mirrors them).

use super::Ctx;
use crate::codes;
use crate::finding::{Finding, Phase, Severity, Source};
use crate::load::dockerrun::{Dockerrun, EbContainer, ImageBuild};
use crate::model::{BuiltImage, Delivery, DeliveryOptions, GeneratedImage};
use crate::text::code;

/// The delivery pipeline, when `--ci` asks for one.
pub fn delivery(
    ctx: &mut Ctx,
    opts: Option<&DeliveryOptions>,
    run: &Dockerrun,
    generated: Option<&GeneratedImage>,
) -> Option<Delivery> {
    let options = opts?.clone();
    ctx.topic = super::Topic::Delivery;
    let mut images: Vec<BuiltImage> = Vec::new();
    for c in &run.containers {
        let Some(image) = built(ctx, c, generated) else {
            continue;
        };
        match images.iter_mut().find(|i| i.repository == image.repository) {
            Some(same) if same_build(same, &image) => same.containers.push(c.name.clone()),
            Some(_) => images.push(BuiltImage {
                repository: format!("{}-{}", image.repository, c.name),
                ..image
            }),
            None => images.push(image),
        }
    }
    if images.is_empty() {
        ctx.push(Finding::new(
            codes::DELIVERY_NO_IMAGE,
            Severity::Warning,
            Source::new("command line", "--ci"),
            "the project builds no image eb2ecs can see: the workflow registers task-definition.json as it is and updates the service",
            "Check the images in task-definition.json; add build steps to the workflow if the project builds one eb2ecs did not find.",
        ).in_phase(Phase::Deploy));
    }
    github_repo(ctx, &options);
    Some(Delivery {
        options,
        images,
        log_group: ctx.log_group(),
    })
}

fn same_build(a: &BuiltImage, b: &BuiltImage) -> bool {
    (&a.context, &a.dockerfile, &a.target, &a.args)
        == (&b.context, &b.dockerfile, &b.target, &b.args)
}

/// No `--github-repo`: the trust names the stack parameter, which the user must set.
fn github_repo(ctx: &mut Ctx, options: &DeliveryOptions) {
    if options.github_repo.is_none() {
        ctx.push(Finding::new(
            codes::DELIVERY_GITHUB_REPO,
            Severity::Warning,
            Source::new("command line", "--github-repo"),
            "no --github-repo given: the deploy role trusts the GitHub repository the stack parameter GitHubRepository names (required, no default)",
            "Run again with --github-repo OWNER/REPO, or pass GitHubRepository=OWNER/REPO when deploying the stack.",
        ).in_phase(Phase::Deploy));
    }
}

/// The image of `c` the workflow builds, if the project builds it.
fn built(ctx: &mut Ctx, c: &EbContainer, generated: Option<&GeneratedImage>) -> Option<BuiltImage> {
    // A language platform's containers (its Procfile processes too) all run the one image.
    if let Some(g) = generated {
        return Some(BuiltImage {
            containers: vec![c.name.clone()],
            repository: g.repository.clone(),
            context: ".".to_string(),
            dockerfile: "Dockerfile".to_string(),
            target: None,
            args: Vec::new(),
            secret_args: Vec::new(),
        });
    }
    let placeholder = ctx.placeholder_images.iter().any(|(n, _)| n == &c.name);
    let Some(build) = &c.build else {
        if placeholder {
            not_built(ctx, c, "the project has no Dockerfile for it (NAME/Dockerfile, or one Dockerfile at the root)");
        }
        return None;
    };
    let repository = match c.image.as_deref() {
        None => stack_repository(ctx, &c.name),
        Some(_) if placeholder => stack_repository(ctx, &c.name),
        Some(img) => match own_ecr_repository(ctx, img) {
            Some(r) => r,
            None => {
                not_built(
                    ctx,
                    c,
                    &format!("its image {} is not in this account's ECR", code(img)),
                );
                return None;
            }
        },
    };
    if let Some(why) = unusable_context(build) {
        not_built(ctx, c, why);
        return None;
    }
    let (args, secret_args) = build_args(ctx, c, build);
    Some(BuiltImage {
        containers: vec![c.name.clone()],
        repository,
        context: build.context.clone(),
        dockerfile: build.dockerfile.clone(),
        target: build.target.clone(),
        args,
        secret_args,
    })
}

/// The name of an ECR repository the stack creates for container `name`: under the family
/// (`shop-production/nginx`), so two services' `nginx` images do not share a repository in one
/// account. ECR names are lower case.
fn stack_repository(ctx: &Ctx, name: &str) -> String {
    let name = crate::names::sanitise_name(name).to_ascii_lowercase();
    let family = ctx.family.to_ascii_lowercase();
    if name == family {
        name
    } else {
        format!("{family}/{name}")
    }
}

/// The repository of an image in the account's own ECR (region and account as resolved).
fn own_ecr_repository(ctx: &Ctx, image: &str) -> Option<String> {
    let (host, path) = image.split_once('/')?;
    let account = host.split('.').next()?;
    let own = account == ctx.account && host.contains(&format!(".dkr.ecr.{}.", ctx.region));
    let path = path.split('@').next().unwrap_or(path);
    let repo = path.rsplit_once(':').map_or(path, |(r, _)| r);
    let valid = !repo.is_empty()
        && repo
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || "._/-".contains(ch));
    (own && valid).then(|| repo.to_string())
}

/// Why a build context cannot be built from a checkout of the repository, if it cannot.
fn unusable_context(build: &ImageBuild) -> Option<&'static str> {
    let bad = |p: &str| {
        p.contains("://")
            || p.starts_with("git@")
            || p.starts_with('/')
            || p.split('/').any(|part| part == "..")
    };
    if [
        Some(&build.context),
        Some(&build.dockerfile),
        build.target.as_ref(),
    ]
    .into_iter()
    .flatten()
    .any(|v| v.contains("${{"))
    {
        return Some("its build context, Dockerfile or target holds a GitHub Actions expression (`${{`), which the workflow would evaluate");
    }
    (bad(&build.context) || bad(&build.dockerfile))
        .then_some("its build context or Dockerfile is outside the repository (a URL, an absolute path or `..`)")
}

/// The build arguments the workflow can pass: named like shell variables, with a value that
/// is not a secret; secret ones (by value, or by name when docker took the value from the
/// environment) by name only, from a CI secret; a finding for each other one.
fn build_args(
    ctx: &mut Ctx,
    c: &EbContainer,
    build: &ImageBuild,
) -> (Vec<(String, String)>, Vec<String>) {
    let mut out = Vec::new();
    let mut secret = Vec::new();
    for (name, value) in &build.args {
        let named = name
            .chars()
            .next()
            .is_some_and(|ch| ch.is_ascii_alphabetic() || ch == '_')
            && name
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '_');
        let secret_why = crate::detect::secret_reason(name, value.as_deref().unwrap_or(""));
        let why = match value {
            _ if !named => Some("its name is not a plain identifier"),
            _ if secret_why.is_some() => {
                secret.push(name.clone());
                secret_arg(ctx, c, build, name, secret_why.unwrap_or_default());
                continue;
            }
            None => Some("it has no value (docker took it from the environment)"),
            Some(v) if v.contains("${{") => {
                Some("its value holds a GitHub Actions expression (`${{`), which the workflow would evaluate")
            }
            Some(_) => None,
        };
        match (why, value) {
            (None, Some(v)) => out.push((name.clone(), v.clone())),
            (Some(why), _) => ctx.push(Finding::new(
                codes::DELIVERY_BUILD_ARG,
                Severity::Warning,
                ctx.src(&build.pointer),
                format!("build argument {} of {} is not written into the workflow: {why}", code(name), code(&c.name)),
                "Pass it from a GitHub Actions secret or variable in the build step (a secret through `docker build --secret`, never a build argument).",
            ).in_phase(Phase::Deploy)),
            (None, None) => {}
        }
    }
    (out, secret)
}

/// The finding for a secret build argument: passed by name, its value never printed.
fn secret_arg(ctx: &mut Ctx, c: &EbContainer, build: &ImageBuild, name: &str, why: &str) {
    ctx.push(Finding::new(
        codes::SECRET_BUILD_ARG,
        Severity::Warning,
        ctx.src(&build.pointer),
        format!("build argument {} of {} looks like a secret ({why}); eb2ecs passes it by name (`--build-arg {name}`, the value from the environment) and never prints its value", code(name), code(&c.name)),
        format!("Create the GitHub Actions secret {name} (the workflow passes it to docker build) and export {name} before building by hand; rotate the value if it was committed. Better: a build secret (`RUN --mount=type=secret`), since a build argument stays in the image's history."),
    ).in_phase(Phase::Deploy));
}

fn not_built(ctx: &mut Ctx, c: &EbContainer, why: &str) {
    ctx.push(
        Finding::new(
            codes::DELIVERY_NOT_BUILT,
            Severity::Warning,
            ctx.src(&c.image_pointer),
            format!("the workflow does not build the image of {}: {why}", code(&c.name)),
            "Add a build step for it to .github/workflows/deploy-ecs.yml (and an ECR repository), or push its image another way and put the URI in task-definition.json.",
        )
        .in_phase(Phase::Deploy),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::tests_support::ctx;
    use crate::model::LaunchType;

    fn opts(repo: Option<&str>) -> DeliveryOptions {
        DeliveryOptions {
            github_repo: repo.map(str::to_string),
            branch: "main".into(),
            keep_images: 30,
            immutable_tags: false,
            ecs_dir: "ecs".into(),
        }
    }

    fn container(name: &str, image: Option<&str>, build: Option<ImageBuild>) -> EbContainer {
        EbContainer {
            name: name.into(),
            image: image.map(str::to_string),
            build,
            ..Default::default()
        }
    }

    fn build(context: &str, args: &[(&str, Option<&str>)]) -> ImageBuild {
        ImageBuild {
            context: context.into(),
            dockerfile: format!("{context}/Dockerfile"),
            target: None,
            args: args
                .iter()
                .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
                .collect(),
            pointer: "/services/x/build".into(),
        }
    }

    fn codes(c: &Ctx) -> Vec<&str> {
        c.findings.iter().map(|f| f.code.as_str()).collect()
    }

    fn run(containers: Vec<EbContainer>) -> Dockerrun {
        let mut r = Dockerrun::single("docker-compose.yml", containers[0].clone());
        r.containers = containers;
        r
    }

    #[test]
    fn ci_none_decides_nothing() {
        let mut c = ctx(LaunchType::Fargate);
        let r = run(vec![container("api", None, Some(build("api", &[])))]);
        assert_eq!(delivery(&mut c, None, &r, None), None);
        assert!(c.findings.is_empty());
    }

    #[test]
    fn compose_builds_become_images_and_secret_or_empty_args_stay_out() {
        let mut c = ctx(LaunchType::Fargate);
        let args = [
            ("VERSION", Some("1.2")),
            (
                "NPM_TOKEN",
                Some("npm_abcdefghijklmnopqrstuvwxyz0123456789"),
            ),
            ("FROM_ENV", None),
            ("REF", Some("${{ github.ref }}")),
        ];
        let r = run(vec![
            container("api", None, Some(build("api", &args))),
            container("redis", Some("redis:7"), None),
        ]);
        let d = delivery(&mut c, Some(&opts(Some("acme/app"))), &r, None).unwrap();
        assert_eq!(d.images.len(), 1);
        let img = &d.images[0];
        assert_eq!(
            (
                img.repository.as_str(),
                img.context.as_str(),
                img.dockerfile.as_str()
            ),
            // Under the family: another service's `api` gets its own repository.
            ("app/api", "api", "api/Dockerfile")
        );
        assert_eq!(img.containers, vec!["api".to_string()]);
        assert_eq!(img.args, vec![("VERSION".to_string(), "1.2".to_string())]);
        assert_eq!(img.secret_args, vec!["NPM_TOKEN".to_string()]);
        assert_eq!(d.log_group, "/ecs/app");
        assert_eq!(
            codes(&c),
            vec![
                "SECRET-BUILD-ARG",
                "DELIVERY-BUILD-ARG",
                "DELIVERY-BUILD-ARG"
            ]
        );
        assert!(
            !c.findings.iter().any(|f| f.message.contains("npm_abc")),
            "secret value in a finding"
        );
    }

    #[test]
    fn a_placeholder_without_a_dockerfile_is_not_built() {
        let mut c = ctx(LaunchType::Fargate);
        c.placeholder_images.push(("web".into(), "${IMAGE}".into()));
        let r = run(vec![container("web", Some("${IMAGE}"), None)]);
        let d = delivery(&mut c, Some(&opts(None)), &r, None).unwrap();
        assert!(d.images.is_empty());
        assert_eq!(
            codes(&c),
            vec![
                "DELIVERY-NOT-BUILT",
                "DELIVERY-NO-IMAGE",
                "DELIVERY-GITHUB-REPO"
            ]
        );
    }

    #[test]
    fn only_the_accounts_own_ecr_images_are_built() {
        let mut c = ctx(LaunchType::Fargate);
        let own = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web:1.4";
        let other = "999999999999.dkr.ecr.eu-west-1.amazonaws.com/base:1";
        let r = run(vec![
            container("web", Some(own), Some(build(".", &[]))),
            container("side", Some(other), Some(build("side", &[]))),
        ]);
        let d = delivery(&mut c, Some(&opts(Some("acme/app"))), &r, None).unwrap();
        assert_eq!(
            d.images
                .iter()
                .map(|i| i.repository.as_str())
                .collect::<Vec<_>>(),
            vec!["shop/web"]
        );
        assert_eq!(codes(&c), vec!["DELIVERY-NOT-BUILT"]);
        assert!(c.findings[0].message.contains("not in this account's ECR"));
    }

    #[test]
    fn contexts_outside_the_repository_are_not_built() {
        let mut c = ctx(LaunchType::Fargate);
        for context in [
            "../shared",
            "https://github.com/a/b.git",
            "/abs",
            "${{ secrets.X }}",
        ] {
            let r = run(vec![container("api", None, Some(build(context, &[])))]);
            let d = delivery(&mut c, Some(&opts(Some("a/b"))), &r, None).unwrap();
            assert!(d.images.is_empty(), "{context}");
        }
        assert_eq!(
            codes(&c)
                .iter()
                .filter(|x| **x == "DELIVERY-NOT-BUILT")
                .count(),
            4
        );
    }

    #[test]
    fn a_language_platform_builds_one_image_for_all_its_processes() {
        let mut c = ctx(LaunchType::Fargate);
        let generated = GeneratedImage {
            repository: "app".into(),
            ..Default::default()
        };
        let r = run(vec![
            container("app", None, None),
            container(
                "app-worker",
                Some("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:latest"),
                None,
            ),
        ]);
        let d = delivery(&mut c, Some(&opts(Some("a/b"))), &r, Some(&generated)).unwrap();
        assert_eq!(d.images.len(), 1);
        assert_eq!(
            d.images[0].containers,
            vec!["app".to_string(), "app-worker".to_string()]
        );
        assert_eq!(
            (
                d.images[0].context.as_str(),
                d.images[0].dockerfile.as_str()
            ),
            (".", "Dockerfile")
        );
        assert!(c.findings.is_empty());
    }
}
