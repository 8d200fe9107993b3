//! The ECS service, built once from what was decided before it: the environment (scaling,
//! deployment, network, load balancer) and the target container.

use super::Ctx;
use crate::ecs;
use crate::model::{Environment, LaunchType, LbTarget};

/// The placeholder target group ARN of the plain service.json (the stack creates the real one).
pub fn target_group_arn(ctx: &Ctx) -> String {
    format!(
        "arn:{}:elasticloadbalancing:{}:{}:targetgroup/{}/REPLACE_ME",
        super::limits::arn_partition(&ctx.region),
        ctx.region,
        ctx.account,
        crate::names::truncate(&ctx.family, 32)
    )
}

/// The service for `task_family` in `cluster`.
pub fn service(
    ctx: &Ctx,
    names: (&str, &str),
    env: &Environment,
    target: Option<&LbTarget>,
) -> ecs::Service {
    let (cluster, service_name) = names;
    let fargate = ctx.launch_type == LaunchType::Fargate;
    let tg_arn = target_group_arn(ctx);
    // Long enough for the target to pass the health check once.
    let grace = env
        .load_balancer
        .as_ref()
        .map(|lb| (lb.health_check.interval * lb.health_check.healthy).max(60));
    ecs::Service {
        cluster: cluster.to_string(),
        service_name: service_name.to_string(),
        task_definition: ctx.family.clone(),
        desired_count: env.scaling.min.max(1),
        launch_type: ctx.launch_type.api_name().to_string(),
        load_balancers: target
            .iter()
            .map(|t| ecs::ServiceLoadBalancer {
                target_group_arn: tg_arn.clone(),
                container_name: t.container.clone(),
                container_port: t.port,
            })
            .collect(),
        network_configuration: fargate.then(|| network_configuration(env)),
        health_check_grace_period_seconds: grace,
        deployment_configuration: ecs::DeploymentConfiguration {
            deployment_circuit_breaker: ecs::CircuitBreaker {
                enable: true,
                rollback: true,
            },
            maximum_percent: env.max_percent,
            minimum_healthy_percent: env.min_healthy_percent,
        },
        propagate_tags: "SERVICE".to_string(),
        enable_ecs_managed_tags: true,
    }
}

/// awsvpc networking: EB's instance subnets when known, else placeholders.
fn network_configuration(env: &Environment) -> ecs::NetworkConfiguration {
    let subnets = if env.network.subnets.is_empty() {
        vec!["subnet-REPLACE_ME".to_string()]
    } else {
        env.network.subnets.clone()
    };
    ecs::NetworkConfiguration {
        awsvpc_configuration: ecs::AwsVpcConfiguration {
            subnets,
            security_groups: vec!["sg-REPLACE_ME".to_string()],
            assign_public_ip: if env.network.assign_public_ip {
                "ENABLED"
            } else {
                "DISABLED"
            }
            .to_string(),
        },
    }
}
