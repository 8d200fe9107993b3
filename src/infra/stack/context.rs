//! The stack's typed context: every value the stack's resources read, decided from the
//! migration model once (the containers with the stack's references, the policies, the load
//! balancer's listeners and rules, the scaling policy). The builder ([`super::stack`]) and,
//! until it reads the Template, the Terraform printer read it.

use super::param_name;
use crate::infra::spelling::cfn_json;
use crate::model::{LaunchType, LoadBalancer, MigrationModel, SecretsMode};
use serde_json::{json, Value};

/// The ECS-optimised AMI, as a public SSM parameter.
pub const ECS_AMI_PARAMETER: &str =
    "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id";
/// The arm64 (Graviton) ECS-optimised AMI, as a public SSM parameter.
pub const ECS_AMI_PARAMETER_ARM64: &str =
    "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id";

pub(crate) struct Context {
    pub(crate) description: String,
    /// The service's task definition: family, size, containers, volumes.
    pub(crate) task: TaskCtx,
    pub(crate) service_name: String,
    pub(crate) log_retention: u32,
    pub(crate) fargate: bool,
    pub(crate) network_mode: String,
    pub(crate) vpc_default: Option<String>,
    pub(crate) subnets_default: Option<String>,
    pub(crate) lb_subnets_default: Option<String>,
    pub(crate) assign_public_ip: String,
    pub(crate) image_params: Vec<ImageParam>,
    pub(crate) execution_policy: Option<Value>,
    pub(crate) task_policy: Option<Value>,
    pub(crate) lb: Option<LbContext>,
    pub(crate) min_healthy_percent: u32,
    pub(crate) max_percent: u32,
    pub(crate) grace_period: Option<u32>,
    pub(crate) scaling: ScalingContext,
    pub(crate) instance_type: String,
    /// The Auto Scaling group's bounds (instances), from the task density convert decided.
    pub(crate) instance_bounds: (u32, u32),
    /// Whether the cluster turns Container Insights on.
    pub(crate) container_insights: bool,
    /// The default of the `EnableExecuteCommand` parameter.
    pub(crate) exec_default: bool,
    pub(crate) ecs_ami_parameter: &'static str,
    pub(crate) cpu_architecture: String,
    pub(crate) public_instances: bool,
    pub(crate) client_cidr_default: Option<String>,
    /// The deploy role and GitHub OIDC provider (`--ci github`).
    pub(crate) delivery: Option<super::delivery::DeliveryCtx>,
    /// A worker environment's queue, permissions, scaling and schedules.
    pub(crate) worker: Option<super::worker::WorkerCtx>,
    /// The one-off task definition (`OneOffTaskDefinition`), when EB ran commands at deployment.
    pub(crate) one_off: Option<TaskCtx>,
    /// The `SchedulesEnabled` parameter and the cron jobs' schedules, when there are schedules.
    pub(crate) cron: Option<super::cron::CronCtx>,
    /// The `.ebextensions` `Resources` carried into the stack.
    pub(crate) carried: Vec<super::carried::CarriedCtx>,
    /// The coupled-database parameters the containers' environment references.
    pub(crate) database_params: Vec<crate::model::DatabaseParam>,
    /// The EFS file system EB's instances mounted (its parameters, task role policy, ingress).
    pub(crate) efs: Option<EfsCtx>,
}

/// The EFS file system of the task's EFS volume.
pub(crate) struct EfsCtx {
    /// The id the project names literally (the parameter's default; required otherwise).
    pub(crate) file_system_default: Option<String>,
    /// The task role's policy: `ClientMount` and `ClientWrite` on the file system.
    pub(crate) policy: Value,
}

/// The stack's parameter holding the EFS file system id.
pub(crate) const EFS_FILE_SYSTEM_PARAMETER: &str = "EfsFileSystemId";

/// The EFS context, when the task mounts a file system.
fn efs_context(model: &MigrationModel) -> Option<EfsCtx> {
    let m = model.efs.first()?;
    let arn = json!({ "Fn::Sub": format!("arn:${{AWS::Partition}}:elasticfilesystem:${{AWS::Region}}:${{AWS::AccountId}}:file-system/${{{EFS_FILE_SYSTEM_PARAMETER}}}") });
    Some(EfsCtx {
        file_system_default: m.file_system_id.clone(),
        policy: json!({"Version": "2012-10-17", "Statement": [{
            "Sid": "EfsClientMountWrite", "Effect": "Allow",
            "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
            "Resource": arn,
            "Condition": {"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}}
        }]}),
    })
}

/// Task volumes with CloudFormation's keys: an EFS volume is `EFSVolumeConfiguration` with
/// `FilesystemId` (the stack's parameter) and `AuthorizationConfig: {IAM: …}`.
fn cfn_volumes(volumes: &[crate::ecs::Volume]) -> Value {
    let v = cfn_json(serde_json::to_value(volumes).unwrap_or(Value::Null), false);
    let Value::Array(items) = v else { return v };
    let items = items
        .into_iter()
        .map(|mut item| {
            let efs = item
                .as_object_mut()
                .and_then(|o| o.remove("EfsVolumeConfiguration"));
            if let (Some(Value::Object(mut c)), Some(o)) = (efs, item.as_object_mut()) {
                c.remove("FileSystemId");
                c.insert("FilesystemId".into(), cfn_ref(EFS_FILE_SYSTEM_PARAMETER));
                if let Some(Value::Object(a)) = c.get_mut("AuthorizationConfig") {
                    if let Some(iam) = a.remove("Iam") {
                        a.insert("IAM".into(), iam);
                    }
                }
                o.insert("EFSVolumeConfiguration".into(), Value::Object(c));
            }
            item
        })
        .collect();
    Value::Array(items)
}

/// What a task definition of the stack has of its own (the service's, and the one-off task's);
/// roles, network mode and platform are the stack's.
pub(crate) struct TaskCtx {
    pub(crate) family: String,
    pub(crate) cpu: Option<String>,
    pub(crate) memory: Option<String>,
    /// The containers with the stack's references, CloudFormation keys.
    pub(crate) containers: Value,
    /// Whether a container logs to the stack's log group (a `Ref`, which already orders the task
    /// definition after it; otherwise an explicit `DependsOn`).
    pub(crate) logs_ref: bool,
    pub(crate) volumes: Value,
}

impl TaskCtx {
    /// The context of a task definition of the model, its images the stack's parameters.
    fn of(
        model: &MigrationModel,
        family: &str,
        td: &crate::ecs::TaskDefinition,
        image_params: &[ImageParam],
    ) -> TaskCtx {
        let containers_api = containers_of(model, &td.container_definitions, image_params);
        let containers = cfn_json(containers_api, false);
        TaskCtx {
            family: family.to_string(),
            cpu: td.cpu.clone(),
            memory: td.memory.clone(),
            logs_ref: refers_to(&containers, "LogGroup"),
            containers,
            volumes: cfn_volumes(&td.volumes),
        }
    }
}

pub(crate) struct ImageParam {
    pub(crate) name: String,
    pub(crate) container: String,
}

pub(crate) struct LbContext {
    pub(crate) scheme: String,
    pub(crate) internal: bool,
    pub(crate) container: String,
    pub(crate) port: u16,
    pub(crate) target_type: String,
    pub(crate) health_path: String,
    pub(crate) health_interval: u32,
    pub(crate) health_timeout: u32,
    pub(crate) healthy: u32,
    pub(crate) unhealthy: u32,
    pub(crate) matcher: String,
    pub(crate) tg_attributes: Value,
    pub(crate) idle_timeout: String,
    pub(crate) listeners: Vec<ListenerContext>,
    pub(crate) ingress_ports: Vec<u16>,
    pub(crate) https: bool,
    pub(crate) certificate_default: Option<String>,
    pub(crate) extra_certificates: Vec<String>,
    pub(crate) rules: Vec<RuleContext>,
    pub(crate) rule_listener: String,
}

pub(crate) struct ListenerContext {
    pub(crate) id: String,
    pub(crate) redirect_port: String,
    pub(crate) port: u16,
    pub(crate) protocol: String,
    /// Whether the HTTP listener redirects by default (the `RedirectHttpToHttps` parameter's
    /// default, when it has a choice).
    pub(crate) redirect: bool,
    /// Whether it has the choice: an HTTP listener beside an HTTPS one.
    pub(crate) redirect_choice: bool,
    pub(crate) ssl_policy: Option<String>,
    /// Where the TLS policy came from, as a comment beside it.
    pub(crate) ssl_policy_source: &'static str,
    pub(crate) https: bool,
}

pub(crate) struct RuleContext {
    pub(crate) id: String,
    pub(crate) priority: u32,
    pub(crate) conditions: Value,
}

pub(crate) struct ScalingContext {
    pub(crate) min: u32,
    pub(crate) max: u32,
    pub(crate) policy_id: &'static str,
    pub(crate) policy_suffix: &'static str,
    pub(crate) metric_type: &'static str,
    pub(crate) target: u32,
    pub(crate) requests: bool,
}

/// The target tracking policy, as the infrastructure model decided it.
fn scaling_context(s: &crate::infra::TargetTracking) -> ScalingContext {
    ScalingContext {
        min: s.min,
        max: s.max,
        policy_id: s.policy_id,
        policy_suffix: s.policy_suffix,
        metric_type: s.metric_type,
        target: s.target.value,
        requests: s.requests,
    }
}

/// `Ref` of a parameter or resource.
fn cfn_ref(name: &str) -> Value {
    json!({ "Ref": name })
}

/// An ARN built by CloudFormation for this account, region and partition.
fn sub_arn(service: &str, rest: &str) -> Value {
    json!({ "Fn::Sub": format!("arn:${{AWS::Partition}}:{service}:${{AWS::Region}}:${{AWS::AccountId}}:{rest}") })
}

/// Whether a value holds `{"Ref": id}` anywhere.
fn refers_to(v: &Value, id: &str) -> bool {
    match v {
        Value::Object(m) => {
            (m.len() == 1 && m.get("Ref").and_then(Value::as_str) == Some(id))
                || m.values().any(|x| refers_to(x, id))
        }
        Value::Array(a) => a.iter().any(|x| refers_to(x, id)),
        _ => false,
    }
}

/// What an IAM policy names for a secret. A Secrets Manager ARN ends in `-` and six random
/// characters that IAM matches too, so eb2ecs's own secret names get `NAME-??????`; an ARN the
/// user gave keeps its suffix (without a JSON key / version selector) or gets the wildcard.
fn policy_arn(model: &MigrationModel, value_from: &str) -> Value {
    let own = model.secrets.iter().find(|s| s.value_from == value_from);
    if let Some(s) = own.filter(|s| s.store == SecretsMode::Secretsmanager) {
        return sub_arn("secretsmanager", &format!("secret:{}-??????", s.name));
    }
    if let Some((name, arn)) = &model.registry_credentials {
        if arn == value_from {
            return sub_arn("secretsmanager", &format!("secret:{name}-??????"));
        }
    }
    if own.is_none() && value_from.contains(":secretsmanager:") {
        // arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME[:json-key:stage:version]
        let arn: String = value_from.split(':').take(7).collect::<Vec<_>>().join(":");
        return Value::String(if has_secret_suffix(&arn) {
            arn
        } else {
            format!("{arn}-??????")
        });
    }
    secret_arn(model, value_from)
}

/// Whether a Secrets Manager ARN ends in the `-AbCdEf` suffix Secrets Manager adds.
fn has_secret_suffix(arn: &str) -> bool {
    arn.rsplit_once('-')
        .is_some_and(|(_, tail)| tail.len() == 6 && tail.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// What goes in `valueFrom` / `credentialsParameter`: the ARN without the random suffix, which
/// ECS accepts (it asks Secrets Manager with it as the SecretId, and a partial ARN finds the one
/// secret of that name).
fn secret_arn(model: &MigrationModel, value_from: &str) -> Value {
    if let Some(s) = model.secrets.iter().find(|s| s.value_from == value_from) {
        return match s.store {
            SecretsMode::Secretsmanager => sub_arn("secretsmanager", &format!("secret:{}", s.name)),
            _ => sub_arn("ssm", &format!("parameter{}", s.name)),
        };
    }
    if let Some((name, arn)) = &model.registry_credentials {
        if arn == value_from {
            return sub_arn("secretsmanager", &format!("secret:{name}"));
        }
    }
    Value::String(value_from.to_string())
}

/// The containers of a task definition of the model, its images the stack's parameters.
fn containers_of(
    model: &MigrationModel,
    defs: &[crate::ecs::ContainerDefinition],
    image_params: &[ImageParam],
) -> Value {
    let mut list = Vec::new();
    for def in defs {
        // Logs go to the stack's log group in the stack's region.
        let own_group = def.log_configuration.as_ref().is_some_and(|lc| {
            lc.log_driver == "awslogs"
                && lc.options.get("awslogs-group") == Some(&format!("/ecs/{}", model.family))
        });
        let mut v = serde_json::to_value(def).unwrap_or(Value::Null);
        if let Some(p) = image_params.iter().find(|p| p.container == def.name) {
            v["image"] = cfn_ref(&p.name);
        }
        super::worker::sidecar_values(model, &mut v);
        super::carried::add_env(model, &def.name, &mut v);
        database_env(model, &mut v);
        if own_group {
            if let Some(Value::Object(opts)) = v.pointer_mut("/logConfiguration/options") {
                opts.insert("awslogs-group".to_string(), cfn_ref("LogGroup"));
                opts.insert("awslogs-region".to_string(), cfn_ref("AWS::Region"));
            }
        }
        // The container's secrets and its log driver's (`secretOptions`: a splunk token, a
        // FireLens API key) are the same kind of reference: an ARN of this account.
        for at in ["/secrets", "/logConfiguration/secretOptions"] {
            if let Some(Value::Array(secrets)) = v.pointer_mut(at) {
                for s in secrets {
                    let from = s["valueFrom"].as_str().unwrap_or("").to_string();
                    s["valueFrom"] = secret_arn(model, &from);
                }
            }
        }
        if let Some(rc) = v.pointer_mut("/repositoryCredentials/credentialsParameter") {
            let from = rc.as_str().unwrap_or("").to_string();
            *rc = secret_arn(model, &from);
        }
        list.push(v);
    }
    Value::Array(list)
}

fn execution_policy(model: &MigrationModel) -> Option<Value> {
    let mut ssm = Vec::new();
    let mut sm = Vec::new();
    let mut seen = Vec::new();
    for def in &model.task_definition.container_definitions {
        let creds = def
            .repository_credentials
            .iter()
            .map(|r| r.credentials_parameter.clone());
        let log_secrets = def
            .log_configuration
            .iter()
            .flat_map(|l| l.secret_options.iter().map(|s| s.value_from.clone()));
        for from in def
            .secrets
            .iter()
            .map(|s| s.value_from.clone())
            .chain(creds)
            .chain(log_secrets)
        {
            if seen.contains(&from) {
                continue;
            }
            seen.push(from.clone());
            let arn = policy_arn(model, &from);
            if from.contains(":secretsmanager:") {
                sm.push(arn);
            } else {
                ssm.push(arn);
            }
        }
    }
    let mut statements = Vec::new();
    if !ssm.is_empty() {
        statements.push(json!({"Sid": "ReadTaskParameters", "Effect": "Allow", "Action": ["ssm:GetParameters"], "Resource": ssm}));
    }
    if !sm.is_empty() {
        statements.push(json!({"Sid": "ReadTaskSecrets", "Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": sm}));
    }
    if let (Some(key), false) = (&model.secrets_kms_key, statements.is_empty()) {
        statements.push(json!({"Sid": "DecryptTaskSecrets", "Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": [key]}));
    }
    (!statements.is_empty()).then(|| json!({"Version": "2012-10-17", "Statement": statements}))
}

fn task_policy(model: &MigrationModel) -> Option<Value> {
    model.environment.xray.then(|| {
        json!({"Version": "2012-10-17", "Statement": [{
            "Sid": "XRayWrite", "Effect": "Allow",
            "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
            "Resource": "*"
        }]})
    })
}

fn lb_context(model: &MigrationModel, target: Option<&crate::infra::Target>) -> Option<LbContext> {
    let lb = model.environment.load_balancer.as_ref()?;
    let target = target?;
    let https = lb.listeners.iter().any(|l| l.protocol == "HTTPS");
    let https_port = lb
        .listeners
        .iter()
        .find(|l| l.protocol == "HTTPS")
        .map(|l| l.port);
    let (certificate_default, extra_certificates) = certificates(lb);
    let listeners = listener_contexts(lb, https_port);
    let rule_listener =
        crate::infra::listener_id(https_port.unwrap_or(listeners.first().map_or(80, |l| l.port)));
    Some(LbContext {
        scheme: if lb.internal {
            "internal"
        } else {
            "internet-facing"
        }
        .to_string(),
        internal: lb.internal,
        container: target.container.clone(),
        port: target.port,
        target_type: if model.launch_type == LaunchType::Fargate {
            "ip"
        } else {
            "instance"
        }
        .to_string(),
        health_path: lb.health_check.path.clone(),
        health_interval: lb.health_check.interval,
        health_timeout: lb.health_check.timeout,
        healthy: lb.health_check.healthy,
        unhealthy: lb.health_check.unhealthy,
        matcher: lb.health_check.matcher.clone(),
        tg_attributes: target_group_attributes(lb),
        idle_timeout: lb.idle_timeout.to_string(),
        ingress_ports: lb.listeners.iter().map(|l| l.port).collect(),
        listeners,
        https,
        certificate_default,
        extra_certificates,
        rules: rule_contexts(lb),
        rule_listener,
    })
}

/// The listeners' certificates: the first is the `CertificateArn` parameter's default, the rest
/// become extra listener certificates.
fn certificates(lb: &LoadBalancer) -> (Option<String>, Vec<String>) {
    let mut certs: Vec<String> = lb
        .listeners
        .iter()
        .flat_map(|l| l.certificates.iter().cloned())
        .collect();
    certs.dedup();
    let certificate_default = certs.first().cloned();
    (certificate_default, certs.into_iter().skip(1).collect())
}

/// The listeners; an HTTP one redirects to HTTPS only as [`crate::infra::decide::redirects`]
/// decides (`HTTP-FORWARDED` / `HTTP-REDIRECTED` say which).
fn listener_contexts(lb: &LoadBalancer, https_port: Option<u16>) -> Vec<ListenerContext> {
    lb.listeners
        .iter()
        .map(|l| ListenerContext {
            id: crate::infra::listener_id(l.port),
            redirect_port: https_port.unwrap_or(443).to_string(),
            port: l.port,
            protocol: l.protocol.clone(),
            redirect: crate::infra::decide::redirects(lb, l),
            redirect_choice: l.protocol == "HTTP" && https_port.is_some(),
            // convert gives every HTTPS listener one, and records whether it chose it.
            ssl_policy: l.ssl_policy.clone(),
            ssl_policy_source: if l.ssl_policy_chosen {
                "chosen by eb2ecs, as EB's settings name none (TLS 1.2 and 1.3 only)"
            } else {
                "from the EB settings"
            },
            https: l.protocol == "HTTPS",
        })
        .collect()
}

fn rule_contexts(lb: &LoadBalancer) -> Vec<RuleContext> {
    lb.rules
        .iter()
        .map(|r| {
            let mut conditions = Vec::new();
            if !r.host_headers.is_empty() {
                conditions.push(json!({"Field": "host-header", "HostHeaderConfig": {"Values": r.host_headers}}));
            }
            if !r.path_patterns.is_empty() {
                conditions.push(json!({"Field": "path-pattern", "PathPatternConfig": {"Values": r.path_patterns}}));
            }
            rule_context(&r.name, r.priority, Value::Array(conditions))
        })
        .collect()
}

fn target_group_attributes(lb: &LoadBalancer) -> Value {
    let mut attrs = vec![
        json!({"Key": "deregistration_delay.timeout_seconds", "Value": lb.deregistration_delay.to_string()}),
    ];
    if let Some(d) = lb.stickiness {
        attrs.push(json!({"Key": "stickiness.enabled", "Value": "true"}));
        attrs.push(json!({"Key": "stickiness.type", "Value": "lb_cookie"}));
        attrs.push(json!({"Key": "stickiness.lb_cookie.duration_seconds", "Value": d.to_string()}));
    }
    Value::Array(attrs)
}

fn rule_context(name: &str, priority: u32, conditions: Value) -> RuleContext {
    RuleContext {
        id: crate::infra::rule_id(name, priority),
        priority,
        conditions,
    }
}

/// The coupled-database variables of a container, from the stack's parameters instead of the
/// `<DatabaseEndpoint>` placeholders task-definition.json keeps.
fn database_env(model: &MigrationModel, container: &mut Value) {
    let Some(Value::Array(env)) = container.get_mut("environment") else {
        return;
    };
    for kv in env {
        let name = kv["name"].as_str().unwrap_or("");
        let value = kv["value"].as_str().unwrap_or("");
        if let Some(p) = (model.database_params.iter())
            .find(|p| p.variable == name && value == format!("<{}>", p.name))
        {
            kv["value"] = cfn_ref(&p.name);
        }
    }
}

/// One stack parameter per container whose image is a placeholder, so the real one is given at
/// deploy time. No default: a placeholder cannot be pulled, so the deployment must name it.
fn image_params(model: &MigrationModel) -> Vec<ImageParam> {
    model
        .placeholder_images
        .iter()
        .map(|(c, _)| ImageParam {
            name: param_name(c),
            container: c.clone(),
        })
        .collect()
}

/// The ECS-optimised AMI of the instances' architecture (arm64 when EB ran on Graviton).
pub(crate) fn ami_parameter(model: &MigrationModel) -> &'static str {
    if model.environment.arm64 {
        ECS_AMI_PARAMETER_ARM64
    } else {
        ECS_AMI_PARAMETER
    }
}

/// The task's CPU architecture, as the task definition JSON has it.
fn cpu_architecture(td: &crate::ecs::TaskDefinition) -> String {
    td.runtime_platform
        .as_ref()
        .map_or_else(|| "X86_64".to_string(), |p| p.cpu_architecture.clone())
}

/// The stack's typed context (the Terraform module renders the same one).
pub(crate) fn context(model: &MigrationModel) -> Context {
    // Decided once (infra/build.rs): the parity model reads the same two.
    let target = crate::infra::load_balanced(model);
    let scaling = crate::infra::target_tracking(model, target.is_some());
    let image_params = image_params(model);
    let task = TaskCtx::of(model, &model.family, &model.task_definition, &image_params);
    let one_off = (model.one_off.as_ref())
        .map(|o| TaskCtx::of(model, &o.family, &o.task_definition, &image_params));
    let td = &model.task_definition;
    let env = &model.environment;
    let join = |v: &[String]| (!v.is_empty()).then(|| v.join(","));
    Context {
        description: format!(
            "ECS service {} migrated from Elastic Beanstalk by eb2ecs ({} launch type)",
            model.service_name,
            model.launch_type.api_name()
        ),
        task,
        service_name: model.service_name.clone(),
        log_retention: env.log_retention_days,
        fargate: model.launch_type == LaunchType::Fargate,
        network_mode: td.network_mode.clone(),
        vpc_default: env.network.vpc_id.clone(),
        subnets_default: join(&env.network.subnets),
        lb_subnets_default: join(&env.network.elb_subnets).or_else(|| join(&env.network.subnets)),
        assign_public_ip: if env.network.assign_public_ip {
            "ENABLED"
        } else {
            "DISABLED"
        }
        .to_string(),
        image_params,
        execution_policy: execution_policy(model),
        task_policy: task_policy(model),
        lb: lb_context(model, target.as_ref()),
        min_healthy_percent: env.min_healthy_percent,
        max_percent: env.max_percent,
        grace_period: model.service.health_check_grace_period_seconds,
        scaling: scaling_context(&scaling),
        instance_bounds: model
            .ec2_capacity
            .as_ref()
            .map_or((env.scaling.min, env.scaling.max), |c| {
                (c.min_instances, c.max_instances)
            }),
        container_insights: model.container_insights,
        exec_default: model.exec_default,
        instance_type: model
            .ec2_instance_type
            .clone()
            .or_else(|| env.instance_type.clone())
            .unwrap_or_else(|| "t3.small".to_string()),
        ecs_ami_parameter: ami_parameter(model),
        cpu_architecture: cpu_architecture(td),
        public_instances: env.network.assign_public_ip,
        client_cidr_default: env.network.vpc_cidr.clone(),
        delivery: super::delivery::context(model),
        one_off,
        worker: super::worker::context(model),
        cron: super::cron::context(model),
        carried: super::carried::context(model),
        database_params: model.database_params.clone(),
        efs: efs_context(model),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_capitalised_but_data_maps_kept() {
        let v = json!({"name": "a", "dockerLabels": {"com.x": "1"}, "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "g"}}, "portMappings": [{"containerPort": 1}]});
        let c = cfn_json(v, false);
        assert_eq!(
            c,
            json!({"Name": "a", "DockerLabels": {"com.x": "1"}, "LogConfiguration": {"LogDriver": "awslogs", "Options": {"awslogs-group": "g"}}, "PortMappings": [{"ContainerPort": 1}]})
        );
    }

    #[test]
    fn secret_suffixes() {
        assert!(has_secret_suffix(
            "arn:aws:secretsmanager:eu-west-1:1:secret:app/db-AbCdEf"
        ));
        assert!(!has_secret_suffix(
            "arn:aws:secretsmanager:eu-west-1:1:secret:app/DB_PASSWORD"
        ));
        assert!(!has_secret_suffix(
            "arn:aws:secretsmanager:eu-west-1:1:secret:app/registry-credentials"
        ));
    }

    #[test]
    fn image_parameter_names_are_alphanumeric() {
        assert_eq!(param_name("nginx-proxy"), "ImageNginxProxy");
        assert_eq!(param_name("app"), "ImageApp");
    }
}
