//! The container and port EB's load balancer (or its nginx proxy) reached: the application port,
//! chosen from the Dockerrun and EB's process port before any container is converted.

use super::Ctx;
use crate::codes;
use crate::finding::{Finding, Phase, Severity};
use crate::load::dockerrun::{Dockerrun, Version};
use crate::model::LbTarget;

/// The container port EB's load balancer (or nginx proxy) reached, if any.
///
/// `preferred_host_port` is EB's process port (80 unless the settings say otherwise).
pub fn app_port(ctx: &mut Ctx, run: &Dockerrun, preferred_host_port: u16) -> Option<LbTarget> {
    if run.version == Version::V1 {
        return v1_target(ctx, run);
    }
    published_on(run, preferred_host_port).or_else(|| guessed_target(ctx, run, preferred_host_port))
}

/// A v1 file's single container, on its first port: the only one EB's proxy reached.
fn v1_target(ctx: &mut Ctx, run: &Dockerrun) -> Option<LbTarget> {
    let c = &run.containers[0];
    let first = c.port_mappings.first()?;
    if c.port_mappings.len() > 1 {
        let others: Vec<String> = c.port_mappings[1..]
            .iter()
            .map(|p| p.container_port.to_string())
            .collect();
        ctx.push(Finding::new(
            codes::V1_EXTRA_PORTS,
            Severity::Info,
            ctx.src(&c.port_mappings[1].pointer),
            format!(
                "EB put only the first port ({}) behind its proxy; port(s) {} are kept as port mappings but get no load balancer",
                first.container_port,
                others.join(", ")
            ),
            "Nothing to do unless something outside the task must reach them (then open them in the service security group).",
        ));
    }
    Some(LbTarget {
        container: c.name.clone(),
        port: first.container_port,
    })
}

/// The first TCP mapping published on `host_port`, where EB's load balancer sent traffic.
fn published_on(run: &Dockerrun, host_port: u16) -> Option<LbTarget> {
    run.containers.iter().find_map(|c| {
        c.port_mappings
            .iter()
            .find(|p| p.host_port == Some(host_port) && p.protocol == "tcp")
            .map(|p| LbTarget {
                container: c.name.clone(),
                port: p.container_port,
            })
    })
}

/// When no container published the process port: the first TCP port, essential containers
/// first, with a finding; `None` when no container publishes a TCP port.
fn guessed_target(ctx: &mut Ctx, run: &Dockerrun, preferred_host_port: u16) -> Option<LbTarget> {
    let first = run
        .containers
        .iter()
        .filter(|c| c.essential)
        .chain(run.containers.iter().filter(|c| !c.essential))
        .find_map(|c| {
            c.port_mappings
                .iter()
                .find(|p| p.protocol == "tcp")
                .map(|p| (c, p))
        });
    let Some((c, p)) = first else {
        ctx.push(
            Finding::new(
                codes::NO_PORTS,
                Severity::Warning,
                ctx.src(""),
                "no container publishes a port, so the service gets no load balancer",
                "If the application serves traffic, add a portMapping to the container that serves it and run eb2ecs again.",
            )
            .in_phase(Phase::Verify),
        );
        return None;
    };
    ctx.push(Finding::new(
        codes::TARGET_GUESSED,
        Severity::Warning,
        ctx.src(&p.pointer),
        format!(
            "no container published host port {preferred_host_port}, where EB's load balancer sent traffic; the load balancer now reaches `{}` on port {}",
            c.name, p.container_port
        ),
        "Check that this is the container and port that serve the application.",
    ));
    Some(LbTarget {
        container: c.name.clone(),
        port: p.container_port,
    })
}
