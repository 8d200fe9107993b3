//! What an environment runs, read back from its settings (EB today) and from the migration
//! model (the ECS result): the facts the row shows and the cost estimate prices.

use super::cost::{EbShape, EcsCompute, EcsShape};
use crate::load::settings::{merge, EnvSettings, Layer};
use crate::load::Inputs;
use crate::model::{LaunchType, MigrationModel, Tier};

/// EB's instance type when no setting names one (the first of EB's default `InstanceTypes`).
pub const EB_DEFAULT_INSTANCE_TYPE: &str = "t3.micro";

/// The shape of one environment.
#[derive(Debug, Clone)]
pub struct Shape {
    /// `WebServer` or `Worker`.
    pub tier: String,
    /// The platform the settings name, if any.
    pub platform: Option<String>,
    /// EB today.
    pub eb: EbShape,
    /// Whether the instance type is [`EB_DEFAULT_INSTANCE_TYPE`], assumed.
    pub instance_type_assumed: bool,
    /// The ECS result.
    pub ecs: EcsShape,
    /// The ECS result in words.
    pub converts_to: String,
}

/// Read the shape of an environment from its inputs and the model converted from them.
pub fn shape(inputs: &Inputs, model: &MigrationModel) -> Shape {
    let (settings, _) = merge(&inputs.settings);
    let env = &model.environment;
    let (instance_type, assumed) = match &env.instance_type {
        Some(t) => (t.clone(), false),
        None => (EB_DEFAULT_INSTANCE_TYPE.to_string(), true),
    };
    let (min, max) = if env.single_instance {
        (1, 1)
    } else {
        (
            count(&settings, "MinSize").unwrap_or(1),
            count(&settings, "MaxSize").unwrap_or(4),
        )
    };
    let load_balancer =
        (env.tier == Tier::WebServer && !env.single_instance).then(|| lb_type(&settings));
    let ecs = ecs_shape(model);
    Shape {
        tier: match env.tier {
            Tier::WebServer => "WebServer".to_string(),
            Tier::Worker => "Worker".to_string(),
        },
        platform: settings.platform.clone(),
        eb: EbShape {
            instance_type,
            min,
            max: max.max(min),
            load_balancer,
        },
        instance_type_assumed: assumed,
        converts_to: converts_to(model, &ecs),
        ecs,
    }
}

fn count(settings: &EnvSettings, option: &str) -> Option<u32> {
    settings
        .value("aws:autoscaling:asg", option)
        .and_then(|v| v.trim().parse().ok())
}

/// EB's load balancer type: the setting when a file set it, `classic` when classic ELB options
/// are set without it (the default before application load balancers), else `application`.
fn lb_type(settings: &EnvSettings) -> String {
    if let Some(s) = settings
        .get("aws:elasticbeanstalk:environment", "LoadBalancerType")
        .filter(|s| s.layer != Layer::Default && !s.value.trim().is_empty())
    {
        return s.value.trim().to_ascii_lowercase();
    }
    let classic = settings
        .options
        .iter()
        .any(|((ns, _), s)| ns.starts_with("aws:elb:") && s.layer != Layer::Default);
    if classic { "classic" } else { "application" }.to_string()
}

fn ecs_shape(model: &MigrationModel) -> EcsShape {
    let td = &model.task_definition;
    let number = |s: &Option<String>| s.as_deref().and_then(|v| v.parse::<f64>().ok());
    let compute = match model.launch_type {
        LaunchType::Fargate => EcsCompute::Fargate {
            vcpu: number(&td.cpu).unwrap_or(256.0) / 1024.0,
            gb: number(&td.memory).unwrap_or(512.0) / 1024.0,
            arm64: model.environment.arm64,
        },
        LaunchType::Ec2 => EcsCompute::Ec2 {
            instance_type: model
                .ec2_instance_type
                .clone()
                .unwrap_or_else(|| "(none fits)".to_string()),
        },
    };
    EcsShape {
        compute,
        min: model.environment.scaling.min,
        max: model
            .environment
            .scaling
            .max
            .max(model.environment.scaling.min),
        load_balancer: model.environment.load_balancer.is_some(),
    }
}

fn converts_to(model: &MigrationModel, ecs: &EcsShape) -> String {
    let n = model.task_definition.container_definitions.len();
    let what = match &ecs.compute {
        EcsCompute::Fargate { vcpu, gb, arm64 } => format!(
            "Fargate{}, {}..{} tasks of {vcpu} vCPU / {gb} GB",
            if *arm64 { " arm64" } else { "" },
            ecs.min,
            ecs.max
        ),
        EcsCompute::Ec2 { instance_type } => {
            format!("EC2, {}..{} tasks on {instance_type}", ecs.min, ecs.max)
        }
    };
    let front = match (model.environment.tier, ecs.load_balancer) {
        (Tier::Worker, _) => ", SQS worker",
        (_, true) => ", behind an ALB",
        (_, false) => ", no load balancer",
    };
    format!(
        "{what}, {n} container{}{front}",
        if n == 1 { "" } else { "s" }
    )
}
