//! `CHECKLIST.md`: the manual steps of this migration, in phases, each naming this project's
//! containers, ports, options and values, and every finding in its phase with its source.

use super::names::{output, stack_name};
use super::templates;
use crate::error::Result;
use crate::finding::{Counts, Finding, Phase, Severity};
use crate::model::{HostnameChange, HostnameHit, LaunchType, MigrationModel};
use crate::text::{code, escape, opt, positional, required, sh};
use serde::Serialize;

/// Output file name.
pub const CHECKLIST: &str = "CHECKLIST.md";

#[cfg(test)]
mod tests {
    use super::repo_name;
    use crate::render::names::stack_name_of;

    #[test]
    fn stack_names_cloudformation_accepts() {
        assert_eq!(stack_name_of("shop_api.prod"), "shop-api-prod");
        assert_eq!(stack_name_of("1app"), "app-1app");
        assert_eq!(stack_name_of("__"), "app");
        assert_eq!(stack_name_of(&"a".repeat(300)).len(), 128);
    }

    #[test]
    fn repository_names() {
        assert_eq!(repo_name("janedoe/flask-api:2.3"), "janedoe/flask-api");
        assert_eq!(repo_name("nginx"), "nginx");
        assert_eq!(
            repo_name("123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/app:1"),
            "shop/app"
        );
        assert_eq!(repo_name("localhost:5000/app@sha256:abc"), "app");
    }
}

#[derive(Serialize)]
struct Context {
    service: String,
    inputs: String,
    launch_type: &'static str,
    counts: Counts,
    phases: Vec<PhaseContext>,
}

#[derive(Serialize)]
struct PhaseContext {
    name: &'static str,
    intro: &'static str,
    items: Vec<Item>,
}

#[derive(Serialize)]
struct Item {
    text: String,
}

fn item(text: impl Into<String>) -> Item {
    Item { text: text.into() }
}

fn finding_item(f: &Finding) -> Item {
    let sev = match f.severity {
        Severity::Blocker => "**BLOCKER**",
        Severity::Warning => "**warning**",
        Severity::Info => "info",
    };
    item(format!(
        "{sev} `{}` — {} → {} *(source: {})*",
        f.code,
        escape(&f.message),
        escape(&f.action),
        escape(&f.source.to_string())
    ))
}

fn is_ecr(image: &str) -> bool {
    image
        .split('/')
        .next()
        .is_some_and(|h| h.contains(".dkr.ecr."))
}

/// The repository part of an image reference, without registry host, tag or digest.
fn repo_name(image: &str) -> String {
    let first = image.split('/').next().unwrap_or("");
    let has_registry =
        image.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let path = if has_registry {
        image.split_once('/').map_or(image, |(_, rest)| rest)
    } else {
        image
    };
    let no_digest = path.split('@').next().unwrap_or(path);
    no_digest
        .rsplit_once(':')
        .filter(|(_, t)| !t.contains('/'))
        .map_or(no_digest, |(r, _)| r)
        .to_string()
}

/// The account's ECR registry host.
fn registry_of(m: &MigrationModel) -> String {
    format!("{}.dkr.ecr.{}.amazonaws.com", m.account_id, m.region)
}

fn prepare(m: &MigrationModel) -> Vec<Item> {
    let registry = registry_of(m);
    let mut items = Vec::new();
    let external = m
        .task_definition
        .container_definitions
        .iter()
        .any(|c| !is_ecr(&c.image));
    if !m.placeholder_images.is_empty() || external {
        items.push(item(format!(
            "Log in to ECR before pushing images: {}",
            code(&format!(
                "aws ecr get-login-password --region {} | docker login --username AWS --password-stdin {}",
                sh(&m.region),
                sh(registry_of(m).as_str())
            ))
        )));
    }
    if let Some(b) = &m.build {
        items.push(generated_image_item(m, b));
    }
    items.extend(build_images(m, &registry));
    items.extend(mirror_images(m, &registry));
    items.extend(m.hostname_changes.iter().map(|h| hostname_item(m, h)));
    items.push(item(format!(
        "Grant the task role ({}-ecs-task, or TaskRole in the stack) only the AWS permissions the application calls; it starts with none.",
        m.family
    )));
    items
}

/// Build the generated Dockerfile from the project root (where its .dockerignore applies) for
/// the task's CPU architecture, and run it locally.
fn generated_image_item(m: &MigrationModel, b: &crate::model::GeneratedImage) -> Item {
    let port = m.target.as_ref().map_or(8080, |t| t.port);
    let arch = m.docker_platform();
    let image = m
        .task_definition
        .container_definitions
        .first()
        .map_or_else(|| b.repository.clone(), |c| c.image.clone());
    item(format!(
        "Move the generated `Dockerfile` and `.dockerignore` from this folder to the project root (they reproduce EB's {} platform; the .dockerignore keeps secrets and local state out of the build). From the project root, build the image for the task's CPU architecture with {} and run it locally with {} before pushing it.",
        b.platform,
        code(&format!("docker buildx build --platform {} {} --load .", sh(arch), opt("--tag", &image))),
        code(&format!("docker run --rm -p {}:{} {}", port, port, positional(&[&image])))
    ))
}

/// One step per placeholder image: create its ECR repository, build and push.
fn build_images(m: &MigrationModel, registry: &str) -> Vec<Item> {
    let region = &m.region;
    let mut items = Vec::new();
    // Images the delivery workflow builds get their repository and first push in Deploy.
    let delivered = |c: &String| {
        m.delivery
            .as_ref()
            .is_some_and(|d| d.images.iter().any(|i| i.containers.contains(c)))
    };
    for (container, image) in m.placeholder_images.iter().filter(|(c, _)| !delivered(c)) {
        let uri = if image.contains(".dkr.ecr.") && !image.contains('<') && !image.contains("${") {
            image.clone()
        } else {
            format!(
                "{registry}/{}:<tag>",
                crate::names::sanitise_name(container)
            )
        };
        let repo = repo_name(&uri);
        let region = sh(region);
        items.push(item(format!(
            "Build and push the image of {} (now {}): {}, {} and {}; put the URI in task-definition.json / the stack's image parameter.",
            code(container),
            code(image),
            code(&format!("aws ecr create-repository --region {region} {}", opt("--repository-name", &repo))),
            code(&format!("docker buildx build --platform {} {} --load .", m.docker_platform(), opt("--tag", &uri))),
            code(&format!("docker push {}", positional(&[&uri])))
        )));
    }
    items
}

/// One step per real image pulled from outside ECR: mirror it into ECR.
fn mirror_images(m: &MigrationModel, registry: &str) -> Vec<Item> {
    let region = &m.region;
    let mut items = Vec::new();
    for c in m.task_definition.container_definitions.iter().filter(|c| {
        !is_ecr(&c.image)
            && !m.placeholder_images.iter().any(|(n, _)| n == &c.name)
            && m.worker.as_ref().is_none_or(|w| w.sidecar != c.name)
    }) {
        let repo = repo_name(&c.image);
        let tag = c
            .image
            .rsplit_once(':')
            .filter(|(_, t)| !t.contains('/'))
            .map_or("latest", |(_, t)| t);
        let uri = format!("{registry}/{repo}:{tag}");
        items.push(item(format!(
            "{} pulls {} from outside ECR: mirror it so deployments do not depend on that registry's rate limits ({}, {}, {}, {}, then use {}), or set up an ECR pull-through cache. Pin a tag{}.",
            code(&c.name),
            code(&c.image),
            code(&format!("aws ecr create-repository --region {} {}", sh(region), opt("--repository-name", &repo))),
            code(&format!("docker pull {}", positional(&[&c.image]))),
            code(&format!("docker tag {}", positional(&[&c.image, &uri]))),
            code(&format!("docker push {}", positional(&[&uri]))),
            code(&uri),
            if tag == "latest" { " (it floats on latest now)" } else { "" }
        )));
    }
    items
}

/// The step that replaces one link hostname with localhost, naming where eb2ecs found it.
fn hostname_item(m: &MigrationModel, h: &HostnameChange) -> Item {
    let hits: Vec<&HostnameHit> = m
        .hostname_hits
        .iter()
        .filter(|x| x.hostname == h.hostname)
        .collect();
    let mut text = format!(
        "In {}, replace the hostname {} (the link to {}) with `localhost`",
        code(&h.container),
        code(&h.hostname),
        code(&h.target)
    );
    if !h.env_vars.is_empty() {
        text.push_str(&format!(
            "; environment: {}",
            escape(&h.env_vars.join(", "))
        ));
    }
    if !hits.is_empty() {
        let places: Vec<String> = hits
            .iter()
            .map(|x| {
                format!(
                    "{} ({})",
                    code(&format!("{}:{}", x.file, x.line)),
                    code(&x.text)
                )
            })
            .collect();
        text.push_str(&format!("; found at {}", places.join(", ")));
    }
    text.push('.');
    item(text)
}

/// `Key=value` for every stack parameter the deploy command passes: the values eb2ecs knew,
/// shell-quoted, and for the others a `"${VAR:?...}"` that stops the command until it is set.
fn stack_params(m: &MigrationModel) -> String {
    let net = &m.environment.network;
    let list = |v: &[String]| (!v.is_empty()).then(|| v.join(","));
    let mut p = vec![
        param(
            "VpcId",
            net.vpc_id.clone(),
            "VPC_ID",
            "the VPC of the service",
        ),
        param(
            "Subnets",
            list(&net.subnets),
            "SUBNETS",
            "the task subnets, comma-separated",
        ),
    ];
    if m.launch_type == LaunchType::Fargate && net.default_vpc {
        p.push("AssignPublicIp=ENABLED".to_string());
    }
    if let Some(lb) = &m.environment.load_balancer {
        if lb.internal {
            let what = "the CIDR allowed to reach the internal load balancer";
            p.push(param(
                "ClientCidr",
                net.vpc_cidr.clone(),
                "CLIENT_CIDR",
                what,
            ));
        }
        let what = "the load balancer subnets in two zones, comma-separated";
        p.push(param(
            "LoadBalancerSubnets",
            list(&net.elb_subnets),
            "LB_SUBNETS",
            what,
        ));
        if lb.listeners.iter().any(|l| l.protocol == "HTTPS") {
            let cert = lb
                .listeners
                .iter()
                .flat_map(|l| l.certificates.first())
                .next();
            let what = "the ACM certificate ARN";
            p.push(param(
                "CertificateArn",
                cert.cloned(),
                "CERTIFICATE_ARN",
                what,
            ));
        }
    }
    p.extend(image_params(m));
    p.extend(database_params(m).map(|(name, var, what)| param(name, None, &var, &what)));
    p.extend(super::delivery::stack_params(m));
    p.extend(efs_param(m).map(|v| format!("EfsFileSystemId={v}")));
    p.join(" ")
}

/// The EFS file system's id when the project does not name it (the parameter has no default).
fn efs_param(m: &MigrationModel) -> Option<String> {
    m.efs.iter().find(|e| e.file_system_id.is_none()).map(|_| {
        required(
            "EFS_FILE_SYSTEM_ID",
            "the id of the EFS file system the task mounts",
        )
    })
}

/// The image parameters only the person deploying knows: each placeholder image, and a
/// worker's sqsd sidecar image.
fn image_params(m: &MigrationModel) -> Vec<String> {
    let mut p = Vec::new();
    for (c, _) in &m.placeholder_images {
        let name = super::names::param_name(c);
        let what = format!("the image URI of {c} you pushed");
        p.push(param(&name, None, &name.to_ascii_uppercase(), &what));
    }
    if let Some(w) = &m.worker {
        p.push(param(
            "SqsdImage",
            w.image.clone(),
            "SQSD_IMAGE",
            SQSD_IMAGE_WHAT,
        ));
    }
    p
}

/// The coupled-database parameters the deployment must be given (those without a default):
/// parameter, the shell variable that holds its value, what it is.
fn database_params(m: &MigrationModel) -> impl Iterator<Item = (&str, String, String)> {
    m.database_params
        .iter()
        .filter(|p| p.default.is_none())
        .map(|p| {
            let var = super::names::snake(&p.name).to_ascii_uppercase();
            let what = format!("the coupled database's {} value", p.variable);
            (p.name.as_str(), var, what)
        })
}

/// The step that lets the database's security group admit the tasks (EB had added the
/// instances' group to it when it coupled the database).
fn database_ingress(m: &MigrationModel, format: super::Format) -> Option<Item> {
    m.database_params.first()?;
    let default = (m.database_params.iter())
        .find(|p| p.name == "DatabasePort")
        .and_then(|p| p.default.as_deref());
    // The engine's port is digits from eb2ecs's own table: safe inside the quotes.
    let port = match default {
        Some(p) => format!("\"${{DATABASE_PORT:-{p}}}\""),
        None => required("DATABASE_PORT", "the database port"),
    };
    Some(item(format!(
        "Let the database admit the tasks (EB had let its instances in): {}",
        code(&format!(
            "aws ec2 authorize-security-group-ingress --region {} --group-id {} --protocol tcp --port {port} --source-group {}",
            sh(&m.region),
            required("DATABASE_SECURITY_GROUP", "the database security group id, from aws rds describe-db-instances VpcSecurityGroups"),
            output(m, format, "DatabaseClientSecurityGroup")
        ))
    )))
}

/// `Key=value` with the value eb2ecs knew, shell-quoted, or a variable that stops the command
/// until the user sets it.
fn param(key: &str, value: Option<String>, var: &str, what: &str) -> String {
    match value {
        Some(v) => format!("{key}={}", sh(&v)),
        None => format!("{key}={}", required(var, what)),
    }
}

/// `-var` arguments for the variables only the person deploying knows (the placeholder images).
fn terraform_vars(m: &MigrationModel) -> String {
    let mut p = String::new();
    for (c, _) in &m.placeholder_images {
        let name = super::names::snake(&super::names::param_name(c));
        let value = required(
            &name.to_ascii_uppercase(),
            &format!("the image URI of {c} you pushed"),
        );
        p.push_str(&format!(" -var {name}={value}"));
    }
    if let Some(w) = &m.worker {
        let value = match &w.image {
            Some(i) => sh(i),
            None => required("SQSD_IMAGE", SQSD_IMAGE_WHAT),
        };
        p.push_str(&format!(" -var sqsd_image={value}"));
    }
    for (name, var, what) in database_params(m) {
        let name = super::names::snake(name);
        p.push_str(&format!(" -var {name}={}", required(&var, &what)));
    }
    if let Some(v) = efs_param(m) {
        p.push_str(&format!(" -var efs_file_system_id={v}"));
    }
    for v in super::delivery::stack_params(m) {
        p.push_str(&format!(
            " -var {}",
            v.replace("GitHubRepository=", "github_repository=")
        ));
    }
    p
}

/// What `SQSD_IMAGE` is, where the deploy command asks for it.
const SQSD_IMAGE_WHAT: &str = "the sqsd sidecar image URI you pushed";

/// A worker environment's steps: build the sqsd sidecar image (Prepare), and check that a
/// message reaches the application and the schedules exist (Verify).
fn worker_items(m: &MigrationModel, format: super::Format, phases: &mut [Section]) {
    let Some(w) = &m.worker else {
        return;
    };
    let r = sh(&m.region);
    let uri = format!(
        "{}/eb2ecs-sqsd:{}",
        registry_of(m),
        crate::model::SQSD_IMAGE
            .rsplit(':')
            .next()
            .unwrap_or("latest")
    );
    // With --sqsd-image the team named an image it has; otherwise it builds eb2ecs's (with
    // --ci github into the repository the image stack creates: a Deploy step).
    let mut prepare = (w.image.is_none() && m.delivery.is_none()).then(|| {
        item(format!(
            "Build the sqsd sidecar image (container {}: EB's sqsd daemon has no image of its own) from a checkout of the eb2ecs repository and push it: {}, {}; then {} for the deploy command.",
            code(&w.sidecar),
            code(&format!("aws ecr create-repository --region {r} --repository-name eb2ecs-sqsd")),
            super::delivery::sqsd_push(m, &uri),
            code(&format!("SQSD_IMAGE=\"$(docker image inspect --format '{{{{index .RepoDigests 0}}}}' {})\" && export SQSD_IMAGE", sh(&uri)))
        ))
    });
    let mut verify = vec![item(format!(
        "A message reaches the application: {} then look for the sidecar's POST to {} in {}",
        code(&format!(
            "aws sqs send-message --region {r} --queue-url {} --message-body '{{}}'",
            output(m, format, "WorkerQueueUrl")
        )),
        code(&w.sqsd.http_path),
        code(&format!(
            "aws logs tail --region {r} {} --since 5m",
            output(m, format, "LogGroupName")
        ))
    ))];
    if !w.periodic.is_empty() {
        verify.push(item(format!(
            "The {} periodic task schedules exist and are enabled: {}",
            w.periodic.iter().map(|t| t.expressions.len()).sum::<usize>(),
            code(&format!("aws scheduler list-schedules --region {r} --query 'Schedules[].[Name,State]' --output text"))
        )));
    }
    for (name, _, items, _) in phases.iter_mut() {
        match *name {
            "Prepare" => items.extend(prepare.take()),
            "Verify" => items.append(&mut verify),
            _ => {}
        }
    }
}

/// One phase of the checklist: name, introduction, items, the findings' phase.
type Section = (&'static str, &'static str, Vec<Item>, Phase);

fn deploy(m: &MigrationModel, format: super::Format) -> Vec<Item> {
    let r = sh(&m.region);
    let mut items: Vec<Item> = super::delivery::deploy_before(m, format, &stack_name(m))
        .into_iter()
        .map(item)
        .collect();
    if format.cloudformation() {
        items.push(item(format!(
            "Deploy the stack from the folder that holds this checklist (where eb2ecs wrote cloudformation.yaml); set the variables it names first: {}",
            code(&format!(
                "aws cloudformation deploy --region {r} --template-file cloudformation.yaml --stack-name {} --capabilities CAPABILITY_IAM --parameter-overrides {}",
                sh(&stack_name(m)),
                stack_params(m)
            ))
        )));
    }
    if format.terraform() {
        items.push(item(format!(
            "{} the Terraform module in `terraform/` (from the folder that holds this checklist): {} and fill in what it lists as required, then {}, {} (read the plan) and {}.",
            if format.cloudformation() { "Or deploy" } else { "Deploy" },
            code("cp terraform/terraform.tfvars.example terraform/terraform.tfvars"),
            code("terraform -chdir=terraform init"),
            code(&format!("terraform -chdir=terraform plan -var-file=terraform.tfvars{} -out=tfplan", terraform_vars(m))),
            code("terraform -chdir=terraform apply tfplan")
        )));
    }
    let out = |k: &str| output(m, format, k);
    items.extend(
        super::delivery::deploy_after(m, format, &out)
            .into_iter()
            .map(item),
    );
    items.extend(database_ingress(m, format));
    items.push(item(format!(
        "Or, without CloudFormation{}: fill the placeholders in task-definition.json and service.json (the findings name them), then {}, {}, {}{} and {}.",
        if format.terraform() { " or Terraform" } else { "" },
        code(&format!("aws logs create-log-group --region {r} {}", opt("--log-group-name", &format!("/ecs/{}", m.family)))),
        code(&format!("aws ecs create-cluster --region {r} {}", opt("--cluster-name", &m.cluster))),
        code(&format!("aws ecs register-task-definition --region {r} --cli-input-json file://task-definition.json")),
        if m.launch_type == crate::model::LaunchType::Ec2 {
            format!(
                ", container instances for the EC2 launch type (nothing runs without them: an Auto Scaling group of the ECS-optimized AMI, {}, whose user data writes {} to {}, with an instance profile holding {})",
                code(&format!("aws ssm get-parameters --region {r} --names {}", sh(crate::infra::stack::ami_parameter(m)))),
                code(&format!("ECS_CLUSTER={}", m.cluster)),
                code("/etc/ecs/ecs.config"),
                code("AmazonEC2ContainerServiceforEC2Role"),
            )
        } else {
            String::new()
        },
        code(&format!("aws ecs create-service --region {r} --cli-input-json file://service.json"))
    )));
    items.extend(super::oneoff::steps(m, format).into_iter().map(item));
    items
}

fn verify(m: &MigrationModel, format: super::Format) -> Vec<Item> {
    let r = sh(&m.region);
    let mut items = vec![item(format!(
        "Tasks are running: {}",
        code(&format!(
            "aws ecs describe-services --region {r} --cluster {} --services {} --query 'services[0].[runningCount,desiredCount,deployments[0].rolloutState]'",
            output(m, format, "ClusterName"),
            output(m, format, "ServiceName")
        ))
    ))];
    if let Some(lb) = &m.environment.load_balancer {
        items.push(item(format!(
            "Targets are healthy on {} (path {}, codes {}): {}",
            m.target.as_ref().map_or(String::new(), |t| format!(
                "{}:{}",
                code(&t.container),
                t.port
            )),
            code(&lb.health_check.path),
            escape(&lb.health_check.matcher),
            code(&format!(
                "aws elbv2 describe-target-health --region {r} --target-group-arn {}",
                output(m, format, "TargetGroupArn")
            ))
        )));
        items.push(smoke_test(m, format, lb));
    }
    items.push(item(format!(
        "Logs arrive: {}",
        code(&format!(
            "aws logs tail --region {r} {} --since 10m",
            output(m, format, "LogGroupName")
        ))
    )));
    items.push(item(format!(
        "Scaling is in place ({} to {} tasks, CPU target {}%): {}",
        m.environment.scaling.min,
        m.environment.scaling.max,
        m.environment.scaling.cpu_target,
        code(&format!("aws application-autoscaling describe-scalable-targets --region {r} --service-namespace ecs"))
    )));
    items
}

/// The request through the load balancer. With HTTPS it goes over HTTPS: the HTTP listener only
/// redirects then, and `curl` would pass on the 301 without reaching the application.
fn smoke_test(m: &MigrationModel, format: super::Format, lb: &crate::model::LoadBalancer) -> Item {
    let dns = output(m, format, "LoadBalancerDNSName");
    let path = &lb.health_check.path;
    let https = lb.listeners.iter().find(|l| l.protocol == "HTTPS");
    match https {
        Some(l) => {
            let port = if l.port == 443 {
                String::new()
            } else {
                format!(":{}", l.port)
            };
            item(format!(
                "Smoke test through the load balancer over HTTPS: {} (`--insecure` only because the certificate names your domain, not the load balancer's DNS name; plain HTTP answers with a redirect and proves nothing)",
                code(&format!("curl -fsS --max-time 10 --insecure \"https://\"{dns}{}", sh(&format!("{port}{path}"))))
            ))
        }
        None => {
            let port = lb
                .listeners
                .first()
                .filter(|l| l.port != 80)
                .map_or(String::new(), |l| format!(":{}", l.port));
            item(format!(
                "Smoke test through the load balancer: {}",
                code(&format!(
                    "curl -fsS --max-time 10 \"http://\"{dns}{}",
                    sh(&format!("{port}{path}"))
                ))
            ))
        }
    }
}

fn cut_over(m: &MigrationModel, format: super::Format) -> Vec<Item> {
    let env =
        m.eb.name
            .clone()
            .unwrap_or_else(|| "<eb-environment>".into());
    let schedules = schedules_step(m, format).map(item);
    if m.environment.load_balancer.is_none() {
        let mut items = vec![item(format!(
            "This service has no load balancer: move the clients of {} to the new tasks (see the findings), keep EB running until they are.", code(&env)
        ))];
        items.extend(schedules);
        return items;
    }
    let cname =
        m.eb.cname
            .clone()
            .unwrap_or_else(|| format!("{env}.{}.elasticbeanstalk.com", m.region));
    let mut items = vec![
        item(format!("A day ahead, lower the TTL of the DNS record that points at {}'s CNAME ({}, or your custom name) to 60 seconds.", code(&env), code(&cname))),
        item(format!("Switch the record to the load balancer's DNS name (Route 53: an alias record to the stack outputs LoadBalancerDNSName and LoadBalancerCanonicalHostedZoneId, {}; or weighted records to shift traffic gradually, e.g. 10% → 50% → 100%).", code(&if format.cloudformation() { format!("aws cloudformation describe-stacks --region {} --stack-name {} --query \"Stacks[0].Outputs[?OutputKey=='LoadBalancerDNSName' || OutputKey=='LoadBalancerCanonicalHostedZoneId']\"", sh(&m.region), sh(&stack_name(m))) } else { "terraform -chdir=terraform output".to_string() }))),
        item(format!("Watch 5xx counts, target health and the service's logs ({}) for at least one traffic peak.", code(&format!("aws logs tail --region {} {} --follow", sh(&m.region), output(m, format, "LogGroupName"))))),
        item(format!("Roll back by pointing the record at {} again; keep the EB environment running until the new service has carried a full peak.", code(&cname))),
    ];
    items.extend(schedules);
    if !m.eb.resources.is_empty() {
        items.push(item(format!(
            "Until then the EB environment's {} keep serving; they go away with the environment.",
            escape(&m.eb.resources.join(", "))
        )));
    }
    items
}

/// Enable the schedules (created disabled so a job never runs twice): once EB's instances no
/// longer run the jobs.
fn schedules_step(m: &MigrationModel, format: super::Format) -> Option<String> {
    let worker = m.worker.as_ref().is_some_and(|w| !w.periodic.is_empty());
    let cron = !m.cron_jobs.is_empty() && m.one_off.is_some();
    if !worker && !cron {
        return None;
    }
    let how = if format.cloudformation() {
        format!("aws cloudformation deploy --region {} --template-file cloudformation.yaml --stack-name {} --capabilities CAPABILITY_IAM --no-fail-on-empty-changeset --parameter-overrides SchedulesEnabled=true", sh(&m.region), sh(&stack_name(m)))
    } else {
        "terraform -chdir=terraform apply -var schedules_enabled=true".to_string()
    };
    Some(format!(
        "Enable the schedules ({}), created disabled so no job runs twice, in the same minute EB stops running them (terminate the environment, or remove its cron jobs): {}{}.",
        if worker && cron { "cron.yaml's periodic tasks and the cron jobs of EB's instances" } else if worker { "cron.yaml's periodic tasks" } else { "the cron jobs of EB's instances" },
        code(&how),
        if format.cloudformation() { "" } else { " (and set schedules_enabled = true in terraform.tfvars so the next apply keeps them on)" }
    ))
}

fn decommission(m: &MigrationModel) -> Vec<Item> {
    let env =
        m.eb.name
            .clone()
            .unwrap_or_else(|| "<eb-environment>".into());
    let env_word = match &m.eb.name {
        Some(n) => opt("--environment-name", n),
        None => format!(
            "--environment-name {}",
            required("EB_ENVIRONMENT", "the EB environment to terminate")
        ),
    };
    let mut items = Vec::new();
    if m.findings
        .iter()
        .any(|f| f.code == crate::codes::RDS_COUPLED)
    {
        items.push(item(format!(
            "**First**: the environment owns an RDS database. Snapshot it ({}) and move the application to a standalone instance before anything below.",
            code(&format!("aws rds create-db-snapshot --db-instance-identifier {} {}", required("DB_INSTANCE_ID", "the RDS instance of the environment"), opt("--db-snapshot-identifier", &format!("{env}-final"))))
        )));
    }
    items.push(item(format!(
        "Terminate the EB environment: {}.",
        code(&format!(
            "aws elasticbeanstalk terminate-environment --region {} {}",
            sh(&m.region),
            env_word
        ))
    )));
    if m.eb.saved_config {
        items.push(item("Delete the saved configurations you no longer need (`aws elasticbeanstalk delete-configuration-template`) and remove `.elasticbeanstalk/saved_configs` from the repository."));
    }
    items.extend(super::delivery::decommission_steps(m).into_iter().map(item));
    items.push(item(format!(
        "Remove what EB left behind: its CloudWatch log groups ({}), alarms and SNS notifications, and the `.ebextensions` folder once nothing reads it.", code(&format!("/aws/elasticbeanstalk/{env}/*"))
    )));
    items
}

/// Render the checklist (for the CloudFormation stack).
pub fn render(m: &MigrationModel) -> Result<String> {
    render_format(m, super::Format::Cloudformation)
}

/// Render the checklist with the bundled templates; its Deploy phase deploys what `format`
/// writes.
pub fn render_format(m: &MigrationModel, format: super::Format) -> Result<String> {
    render_with(m, format, templates::Templates::bundled())
}

/// Render the checklist with a run's templates.
pub fn render_with(
    m: &MigrationModel,
    format: super::Format,
    t: &templates::Templates,
) -> Result<String> {
    let ctx = Context {
        service: m.service_name.clone(),
        inputs: m
            .inputs
            .iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", "),
        launch_type: if m.launch_type == LaunchType::Fargate {
            "Fargate"
        } else {
            "EC2"
        },
        counts: Counts::of(&m.findings),
        phases: phases(m, format),
    };
    t.render("CHECKLIST.md", &ctx)
}

/// The phases in order, each with its steps and then its findings (blockers first).
fn phases(m: &MigrationModel, format: super::Format) -> Vec<PhaseContext> {
    let mut phases = vec![
        (
            "Prepare",
            "Before the first deployment.",
            prepare(m),
            Phase::Prepare,
        ),
        (
            "Deploy",
            "Create the infrastructure.",
            deploy(m, format),
            Phase::Deploy,
        ),
        (
            "Verify",
            "Before any traffic moves.",
            verify(m, format),
            Phase::Verify,
        ),
        (
            "Cut over",
            "Move the traffic.",
            cut_over(m, format),
            Phase::CutOver,
        ),
        (
            "Decommission",
            "Only when the new service has carried real traffic.",
            decommission(m),
            Phase::Decommission,
        ),
    ];
    worker_items(m, format, &mut phases);
    let (prepare, deploy) = super::resources::checklist(m, format);
    for (name, _, items, _) in &mut phases {
        match *name {
            "Prepare" => items.extend(prepare.iter().cloned().map(item)),
            // Imports come before the deployment that would create empty ones.
            "Deploy" => items
                .splice(0..0, deploy.iter().cloned().map(item))
                .for_each(drop),
            _ => {}
        }
    }
    for (_, _, items, phase) in &mut phases {
        let mut fs: Vec<&Finding> = m.findings.iter().filter(|f| f.phase == *phase).collect();
        fs.sort_by_key(|f| std::cmp::Reverse(f.severity));
        items.extend(fs.into_iter().map(finding_item));
    }
    phases
        .into_iter()
        .map(|(name, intro, items, _)| PhaseContext { name, intro, items })
        .collect()
}
