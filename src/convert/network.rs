//! How containers reach each other and how traffic reaches them: links, port mappings and the
//! container behind the load balancer.

use super::Ctx;
use crate::detect::mentions_host;
use crate::ecs;
use crate::finding::{Finding, Severity};
use crate::load::dockerrun::{Dockerrun, EbContainer, EnvVar};
use crate::model::{HostnameChange, LaunchType, LbTarget};

/// Port mappings for every container, by the launch type's rules.
pub fn ports(
    ctx: &mut Ctx,
    run: &Dockerrun,
    defs: &mut [ecs::ContainerDefinition],
    target: Option<&LbTarget>,
) {
    // (container port or host port, protocol) -> container that has it.
    let mut taken: Vec<(u16, String, String)> = Vec::new();
    let linked: std::collections::BTreeSet<&str> = run
        .containers
        .iter()
        .flat_map(|c| c.links.iter().map(|l| l.target.as_str()))
        .collect();
    for (c, def) in run.containers.iter().zip(defs.iter_mut()) {
        for p in &c.port_mappings {
            let is_target =
                target.is_some_and(|t| t.container == c.name && t.port == p.container_port);
            if def
                .port_mappings
                .iter()
                .any(|m| m.container_port == p.container_port && m.protocol == p.protocol)
            {
                ctx.push(Finding::new(
                    "PORT-DUPLICATE",
                    Severity::Info,
                    ctx.src(&p.pointer),
                    format!(
                        "`{}` maps container port {} twice; kept once",
                        c.name, p.container_port
                    ),
                    "Nothing to do.",
                ));
                continue;
            }
            let host_port = match ctx.launch_type {
                LaunchType::Fargate => {
                    if let Some(h) = p.host_port.filter(|h| *h != p.container_port) {
                        ctx.push(Finding::new(
                            "PORT-HOST-CHANGED",
                            Severity::Info,
                            ctx.src(&p.pointer),
                            format!(
                                "EB published `{}`'s port {} on host port {h}; under awsvpc the host port is the container port, {}",
                                c.name, p.container_port, p.container_port
                            ),
                            format!(
                                "Anything that called the instance on port {h} must now call port {}.",
                                p.container_port
                            ),
                        ));
                    }
                    Some(p.container_port)
                }
                LaunchType::Ec2 if is_target => {
                    if p.host_port.is_some() {
                        ctx.push(Finding::new(
                            "PORT-DYNAMIC",
                            Severity::Info,
                            ctx.src(&p.pointer),
                            format!(
                                "the load-balanced port {} of `{}` now gets a dynamic host port (hostPort 0), so a rolling deployment can start a new task beside the old one",
                                p.container_port, c.name
                            ),
                            "Allow the ephemeral port range 32768-65535 from the load balancer's security group in the instances' security group.",
                        ));
                    }
                    Some(0)
                }
                LaunchType::Ec2 => match p.host_port {
                    Some(h) if linked.contains(c.name.as_str()) => {
                        ctx.push(Finding::new(
                            "PORT-LINKED-DYNAMIC",
                            Severity::Info,
                            ctx.src(&p.pointer),
                            format!(
                                "`{}` is reached by the other containers through links, not on host port {h}; the port now gets a dynamic host port so rolling deployments are not blocked",
                                c.name
                            ),
                            format!("Put hostPort {h} back only if something outside the task calls it on the instance."),
                        ));
                        Some(0)
                    }
                    Some(h) => {
                        ctx.push(Finding::new(
                            "PORT-STATIC",
                            Severity::Warning,
                            ctx.src(&p.pointer),
                            format!(
                                "`{}` keeps static host port {h}: only one task per instance can use it, which blocks rolling deployments on a full cluster",
                                c.name
                            ),
                            format!("Remove hostPort {h} unless something outside the task calls it on the instance."),
                        ));
                        Some(h)
                    }
                    None => None,
                },
            };
            // Under awsvpc all containers share one network namespace: a port can be used once.
            let clash_port = match ctx.launch_type {
                LaunchType::Fargate => Some(p.container_port),
                LaunchType::Ec2 => host_port.filter(|h| *h != 0),
            };
            if let Some(port) = clash_port {
                if let Some((_, _, other)) = taken
                    .iter()
                    .find(|(tp, proto, _)| *tp == port && *proto == p.protocol)
                {
                    ctx.push(Finding::new(
                        "PORT-CONFLICT",
                        Severity::Blocker,
                        ctx.src(&p.pointer),
                        format!(
                            "`{}` and `{other}` both use port {port}; {} so the mapping of `{}` was dropped",
                            c.name,
                            if ctx.launch_type == LaunchType::Fargate {
                                "containers in one awsvpc task share a network namespace,"
                            } else {
                                "a host port can be published once per instance,"
                            },
                            c.name
                        ),
                        format!(
                            "Make `{}` listen on another port (or move it to its own service), then add its port mapping.",
                            c.name
                        ),
                    ));
                    continue;
                }
                taken.push((port, p.protocol.clone(), c.name.clone()));
            }
            def.port_mappings.push(ecs::PortMapping {
                container_port: p.container_port,
                host_port,
                protocol: p.protocol.clone(),
            });
        }
    }
}

/// Links: kept on bridge, replaced by dependsOn and localhost under awsvpc.
pub fn links(
    ctx: &mut Ctx,
    run: &Dockerrun,
    envs: &[Vec<EnvVar>],
    defs: &mut [ecs::ContainerDefinition],
) {
    let names: Vec<&str> = run.containers.iter().map(|c| c.name.as_str()).collect();
    // Edges already decided: (from, to) = from starts after / links to `to`.
    let mut edges: Vec<(usize, usize)> = Vec::new();
    for (i, c) in run.containers.iter().enumerate() {
        for d in &c.depends_on {
            if let Some(j) = names.iter().position(|n| *n == d.container_name) {
                edges.push((i, j));
            }
        }
    }
    for (i, c) in run.containers.iter().enumerate() {
        for link in &c.links {
            let Some(j) = names.iter().position(|n| *n == link.target) else {
                ctx.push(Finding::new(
                    "LINK-MISSING-TARGET",
                    Severity::Warning,
                    ctx.src(&link.pointer),
                    format!("`{}` links to `{}`, which is not a container in this file; the link was dropped", c.name, link.target),
                    format!("Find out what `{}` reached as `{}` and point it at the real address.", c.name, link.hostname()),
                ));
                continue;
            };
            if i == j {
                ctx.push(Finding::new(
                    "LINK-SELF",
                    Severity::Info,
                    ctx.src(&link.pointer),
                    format!("`{}` links to itself; the link was dropped", c.name),
                    "Nothing to do.",
                ));
                continue;
            }
            let cycle = reachable(&edges, j, i);
            if ctx.launch_type == LaunchType::Fargate {
                hostname_change(
                    ctx,
                    c,
                    &envs[i],
                    link.hostname(),
                    &link.target,
                    &link.pointer,
                );
                if cycle {
                    ctx.push(Finding::new(
                        "LINK-CYCLE",
                        Severity::Warning,
                        ctx.src(&link.pointer),
                        format!(
                            "`{}` and `{}` link to each other (directly or through others); ECS cannot order a cycle, so `{}` gets no dependsOn on `{}`",
                            c.name, link.target, c.name, link.target
                        ),
                        format!("Make sure `{}` retries its connection to `{}` at start-up.", c.name, link.target),
                    ));
                    continue;
                }
                edges.push((i, j));
                if !defs[i]
                    .depends_on
                    .iter()
                    .any(|d| d.container_name == link.target)
                {
                    defs[i].depends_on.push(ecs::DependsOn {
                        container_name: link.target.clone(),
                        condition: "START".to_string(),
                    });
                }
            } else {
                if cycle {
                    ctx.push(Finding::new(
                        "LINK-CYCLE",
                        Severity::Blocker,
                        ctx.src(&link.pointer),
                        format!(
                            "`{}` and `{}` link to each other (directly or through others); Docker links cannot form a cycle, so this link was dropped",
                            c.name, link.target
                        ),
                        format!(
                            "`{}` can no longer resolve `{}`: use service discovery (Service Connect) or awsvpc networking (--launch-type fargate) instead.",
                            c.name, link.hostname()
                        ),
                    ));
                    continue;
                }
                edges.push((i, j));
                let text = match &link.alias {
                    Some(a) => format!("{}:{a}", link.target),
                    None => link.target.clone(),
                };
                defs[i].links.push(text);
            }
        }
    }
}

/// Under awsvpc, environment values that name another container of the task as a host (without a
/// link) must use `localhost` too, e.g. `DB_HOST=database`.
pub fn env_hostnames(ctx: &mut Ctx, run: &Dockerrun, envs: &[Vec<EnvVar>]) {
    if ctx.launch_type != LaunchType::Fargate {
        return;
    }
    for (c, env) in run.containers.iter().zip(envs) {
        for other in run.containers.iter().filter(|o| o.name != c.name) {
            let already = ctx
                .hostname_changes
                .iter()
                .any(|h| h.container == c.name && h.target == other.name);
            if already {
                continue;
            }
            let vars: Vec<&EnvVar> = env
                .iter()
                .filter(|e| mentions_host(&e.value, &other.name))
                .collect();
            let Some(first) = vars.first() else { continue };
            let names: Vec<String> = vars.iter().map(|e| e.name.clone()).collect();
            let source = first
                .origin
                .clone()
                .unwrap_or_else(|| ctx.src(&first.pointer));
            ctx.push(Finding::new(
                "ENV-CONTAINER-HOSTNAME",
                Severity::Blocker,
                source,
                format!(
                    "`{}` reaches `{}` by its container name in {}; container names do not resolve under awsvpc",
                    c.name,
                    other.name,
                    names.join(", ")
                ),
                format!("Use `localhost` instead of `{}` in {}: containers in one task share localhost.", other.name, names.join(", ")),
            ));
            ctx.hostname_changes.push(HostnameChange {
                container: c.name.clone(),
                hostname: other.name.clone(),
                target: other.name.clone(),
                env_vars: names,
            });
        }
    }
}

/// Record that `c` must stop using `hostname` for `target`, with a finding naming the
/// environment variables that mention it.
fn hostname_change(
    ctx: &mut Ctx,
    c: &EbContainer,
    env: &[EnvVar],
    hostname: &str,
    target: &str,
    pointer: &str,
) {
    let env_vars: Vec<String> = env
        .iter()
        .filter(|e| mentions_host(&e.value, hostname))
        .map(|e| e.name.clone())
        .collect();
    let where_ = if env_vars.is_empty() {
        format!("in `{}`'s configuration (e.g. an nginx `upstream {hostname}:PORT` must become `localhost:PORT`)", c.name)
    } else {
        format!(
            "in `{}`'s environment ({}) and anywhere else in its configuration",
            c.name,
            env_vars.join(", ")
        )
    };
    ctx.push(Finding::new(
        "LINK-REMOVED",
        Severity::Blocker,
        ctx.src(pointer),
        format!(
            "`{}` reached `{target}` by the link hostname `{hostname}`; links do not exist under awsvpc, so `{hostname}` will not resolve. The link became dependsOn START",
            c.name
        ),
        format!("Replace the hostname `{hostname}` with `localhost` {where_}: containers in one task share localhost."),
    ));
    ctx.hostname_changes.push(HostnameChange {
        container: c.name.clone(),
        hostname: hostname.to_string(),
        target: target.to_string(),
        env_vars,
    });
}

fn reachable(edges: &[(usize, usize)], from: usize, to: usize) -> bool {
    let mut stack = vec![from];
    let mut seen = vec![from];
    while let Some(n) = stack.pop() {
        if n == to {
            return true;
        }
        for (a, b) in edges {
            if *a == n && !seen.contains(b) {
                seen.push(*b);
                stack.push(*b);
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_values_naming_containers_are_found() {
        let doc = serde_json::json!({"AWSEBDockerrunVersion": 2, "containerDefinitions": [
            {"name": "app", "image": "a", "environment": [{"name": "DB_HOST", "value": "database"}, {"name": "X", "value": "databases"}]},
            {"name": "database", "image": "mysql"}]});
        let (run, _) = crate::load::dockerrun::parse("f", &doc).unwrap();
        let mut ctx = super::super::tests_support::ctx(LaunchType::Fargate);
        env_hostnames(&mut ctx, &run, &envs(&run));
        assert_eq!(ctx.findings.len(), 1);
        assert_eq!(ctx.findings[0].code, "ENV-CONTAINER-HOSTNAME");
        assert_eq!(
            ctx.hostname_changes[0].env_vars,
            vec!["DB_HOST".to_string()]
        );
        let mut ec2 = super::super::tests_support::ctx(LaunchType::Ec2);
        env_hostnames(&mut ec2, &run, &envs(&run));
        assert!(ec2.findings.is_empty());
    }

    fn envs(run: &Dockerrun) -> Vec<Vec<EnvVar>> {
        run.containers
            .iter()
            .map(|c| c.environment.clone())
            .collect()
    }

    #[test]
    fn reachability() {
        let e = vec![(0, 1), (1, 2)];
        assert!(reachable(&e, 0, 2));
        assert!(!reachable(&e, 2, 0));
    }
}
