//! How containers reach each other and how traffic reaches them: links, port mappings and the
//! container behind the load balancer.

use super::Ctx;
use crate::codes;
use crate::detect::mentions_host;
use crate::ecs;
use crate::finding::{Finding, Severity};
use crate::load::dockerrun::{Dockerrun, EbContainer, EbLink, EbPort, EnvVar};
use crate::model::{HostnameChange, LaunchType, LbTarget};
use std::collections::{HashMap, HashSet};

/// Port mappings for every container, by the launch type's rules.
pub fn ports(
    ctx: &mut Ctx,
    run: &Dockerrun,
    defs: &mut [ecs::ContainerDefinition],
    target: Option<&LbTarget>,
) {
    let linked: HashSet<&str> = run
        .containers
        .iter()
        .flat_map(|c| c.links.iter().map(|l| l.target.as_str()))
        .collect();
    let mut taken = TakenPorts::new();
    for (c, def) in run.containers.iter().zip(defs.iter_mut()) {
        let is_linked = linked.contains(c.name.as_str());
        container_ports(ctx, c, def, target, is_linked, &mut taken);
    }
}

/// The ports of the task so far: (container port or host port, protocol) -> the container that
/// kept it. Only the first container to claim a port keeps it.
type TakenPorts<'a> = HashMap<(u16, &'a str), &'a str>;

/// Port mappings of one container; `taken` holds the ports earlier containers kept.
fn container_ports<'a>(
    ctx: &mut Ctx,
    c: &'a EbContainer,
    def: &mut ecs::ContainerDefinition,
    target: Option<&LbTarget>,
    is_linked: bool,
    taken: &mut TakenPorts<'a>,
) {
    let mut kept: HashSet<(u16, String)> = def
        .port_mappings
        .iter()
        .map(|m| (m.container_port, m.protocol.clone()))
        .collect();
    for p in &c.port_mappings {
        let key = (p.container_port, p.protocol.clone());
        if kept.contains(&key) {
            ctx.push(Finding::new(
                codes::PORT_DUPLICATE,
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
        let is_target = target.is_some_and(|t| t.container == c.name && t.port == p.container_port);
        let host_port = host_port(ctx, c, p, is_target, is_linked);
        if !claim_port(ctx, taken, c, p, host_port) {
            continue;
        }
        kept.insert(key);
        def.port_mappings.push(ecs::PortMapping {
            container_port: p.container_port,
            host_port,
            protocol: p.protocol.clone(),
        });
    }
}

/// The host port of one mapping under the launch type, with a finding when it changes.
fn host_port(
    ctx: &mut Ctx,
    c: &EbContainer,
    p: &EbPort,
    is_target: bool,
    is_linked: bool,
) -> Option<u16> {
    match ctx.launch_type {
        LaunchType::Fargate => Some(awsvpc_host_port(ctx, c, p)),
        LaunchType::Ec2 if is_target => Some(load_balanced_host_port(ctx, c, p)),
        LaunchType::Ec2 => bridge_host_port(ctx, c, p, is_linked),
    }
}

fn awsvpc_host_port(ctx: &mut Ctx, c: &EbContainer, p: &EbPort) -> u16 {
    if let Some(h) = p.host_port.filter(|h| *h != p.container_port) {
        ctx.push(Finding::new(
            codes::PORT_HOST_CHANGED,
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
    p.container_port
}

fn load_balanced_host_port(ctx: &mut Ctx, c: &EbContainer, p: &EbPort) -> u16 {
    if p.host_port.is_some() {
        ctx.push(Finding::new(
            codes::PORT_DYNAMIC,
            Severity::Info,
            ctx.src(&p.pointer),
            format!(
                "the load-balanced port {} of `{}` now gets a dynamic host port (hostPort 0), so a rolling deployment can start a new task beside the old one",
                p.container_port, c.name
            ),
            "Allow the ephemeral port range 32768-65535 from the load balancer's security group in the instances' security group.",
        ));
    }
    0
}

/// A port not behind the load balancer on bridge networking: dynamic when other containers
/// reach it through links, otherwise the static host port EB published (if any).
fn bridge_host_port(ctx: &mut Ctx, c: &EbContainer, p: &EbPort, is_linked: bool) -> Option<u16> {
    let h = p.host_port?;
    if is_linked {
        ctx.push(Finding::new(
            codes::PORT_LINKED_DYNAMIC,
            Severity::Info,
            ctx.src(&p.pointer),
            format!(
                "`{}` is reached by the other containers through links, not on host port {h}; the port now gets a dynamic host port so rolling deployments are not blocked",
                c.name
            ),
            format!("Put hostPort {h} back only if something outside the task calls it on the instance."),
        ));
        return Some(0);
    }
    ctx.push(Finding::new(
        codes::PORT_STATIC,
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

/// Claim the port a mapping occupies in the task; `false` (with a finding) when an earlier
/// container has it, and the mapping must be dropped.
fn claim_port<'a>(
    ctx: &mut Ctx,
    taken: &mut TakenPorts<'a>,
    c: &'a EbContainer,
    p: &'a EbPort,
    host_port: Option<u16>,
) -> bool {
    let fargate = ctx.launch_type == LaunchType::Fargate;
    // Under awsvpc all containers share one network namespace: a port can be used once.
    let clash_port = if fargate {
        Some(p.container_port)
    } else {
        host_port.filter(|h| *h != 0)
    };
    let Some(port) = clash_port else {
        return true;
    };
    let Some(other) = taken.get(&(port, p.protocol.as_str())).copied() else {
        taken.insert((port, &p.protocol), &c.name);
        return true;
    };
    ctx.push(Finding::new(
        codes::PORT_CONFLICT,
        Severity::Blocker,
        ctx.src(&p.pointer),
        format!(
            "`{}` and `{other}` both use port {port}; {} so the mapping of `{}` was dropped",
            c.name,
            if fargate {
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
    false
}

/// Links: kept on bridge, replaced by dependsOn and localhost under awsvpc.
pub fn links(
    ctx: &mut Ctx,
    run: &Dockerrun,
    envs: &[Vec<EnvVar>],
    defs: &mut [ecs::ContainerDefinition],
) {
    let fargate = ctx.launch_type == LaunchType::Fargate;
    let index = name_index(run);
    let mut order = declared_order(run, &index);
    for (i, c) in run.containers.iter().enumerate() {
        let mut waits_for: HashSet<String> = defs[i]
            .depends_on
            .iter()
            .map(|d| d.container_name.clone())
            .collect();
        for link in &c.links {
            let Some(j) = link_target(ctx, &index, i, c, link) else {
                continue;
            };
            // The link from `i` to `j` would close a cycle if `j` already waits for `i`.
            let cycle = order.reaches(j, i);
            if fargate {
                hostname_change(
                    ctx,
                    c,
                    &envs[i],
                    link.hostname(),
                    &link.target,
                    &link.pointer,
                );
            }
            if cycle {
                link_cycle(ctx, c, link);
                continue;
            }
            order.add(i, j);
            if !fargate {
                defs[i].links.push(match &link.alias {
                    Some(a) => format!("{}:{a}", link.target),
                    None => link.target.clone(),
                });
            } else if waits_for.insert(link.target.clone()) {
                defs[i].depends_on.push(ecs::DependsOn {
                    container_name: link.target.clone(),
                    condition: "START".to_string(),
                });
            }
        }
    }
}

/// Each container name to the index of the first container of that name.
fn name_index(run: &Dockerrun) -> HashMap<&str, usize> {
    let mut index = HashMap::new();
    for (i, c) in run.containers.iter().enumerate() {
        index.entry(c.name.as_str()).or_insert(i);
    }
    index
}

/// The start order the file declares with dependsOn, before any link is added to it.
fn declared_order(run: &Dockerrun, index: &HashMap<&str, usize>) -> StartOrder {
    let mut order = StartOrder::new(run.containers.len());
    for (i, c) in run.containers.iter().enumerate() {
        for d in &c.depends_on {
            if let Some(&j) = index.get(d.container_name.as_str()) {
                order.add(i, j);
            }
        }
    }
    order
}

/// The index of the container `c` (at `i`) links to, or `None` (with a finding) when the link
/// points nowhere useful and is dropped.
fn link_target(
    ctx: &mut Ctx,
    index: &HashMap<&str, usize>,
    i: usize,
    c: &EbContainer,
    link: &EbLink,
) -> Option<usize> {
    let Some(&j) = index.get(link.target.as_str()) else {
        ctx.push(Finding::new(
            codes::LINK_MISSING_TARGET,
            Severity::Warning,
            ctx.src(&link.pointer),
            format!(
                "`{}` links to `{}`, which is not a container in this file; the link was dropped",
                c.name, link.target
            ),
            format!(
                "Find out what `{}` reached as `{}` and point it at the real address.",
                c.name,
                link.hostname()
            ),
        ));
        return None;
    };
    if i == j {
        ctx.push(Finding::new(
            codes::LINK_SELF,
            Severity::Info,
            ctx.src(&link.pointer),
            format!("`{}` links to itself; the link was dropped", c.name),
            "Nothing to do.",
        ));
        return None;
    }
    Some(j)
}

/// The finding for a link that would close a cycle, which is left out of the start order.
fn link_cycle(ctx: &mut Ctx, c: &EbContainer, link: &EbLink) {
    let finding = if ctx.launch_type == LaunchType::Fargate {
        Finding::new(
            codes::LINK_CYCLE,
            Severity::Warning,
            ctx.src(&link.pointer),
            format!(
                "`{}` and `{}` link to each other (directly or through others); ECS cannot order a cycle, so `{}` gets no dependsOn on `{}`",
                c.name, link.target, c.name, link.target
            ),
            format!("Make sure `{}` retries its connection to `{}` at start-up.", c.name, link.target),
        )
    } else {
        Finding::new(
            codes::LINK_CYCLE,
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
        )
    };
    ctx.push(finding);
}

/// Under awsvpc, environment values that name another container of the task as a host (without a
/// link) must use `localhost` too, e.g. `DB_HOST=database`.
pub fn env_hostnames(ctx: &mut Ctx, run: &Dockerrun, envs: &[Vec<EnvVar>]) {
    if ctx.launch_type != LaunchType::Fargate {
        return;
    }
    // Container -> the targets it already has a hostname change for (from its links).
    let mut changed: HashMap<String, HashSet<String>> = HashMap::new();
    for h in &ctx.hostname_changes {
        changed
            .entry(h.container.clone())
            .or_default()
            .insert(h.target.clone());
    }
    let index = HostIndex::new(run);
    for (c, env) in run.containers.iter().zip(envs) {
        for (other, vars) in index.mentioned(env) {
            let other = &run.containers[other].name;
            let already = changed
                .get(c.name.as_str())
                .is_some_and(|targets| targets.contains(other.as_str()));
            if other == &c.name || already {
                continue;
            }
            env_hostname_change(ctx, c, other, &vars);
            changed
                .entry(c.name.clone())
                .or_default()
                .insert(other.clone());
        }
    }
}

/// Bytes [`mentions_host`] accepts before and after a hostname.
const HOST_BEFORE: &[u8] = b"/@= ,\"'\t(";
const HOST_AFTER: &[u8] = b":/ ,\"'?;)\t";

/// The containers' names by the text that can mention them, so finding which containers an
/// environment value names is linear in the value, not in the number of containers. Names made
/// of bytes that delimit hostnames (rare) are checked one by one with [`mentions_host`].
struct HostIndex<'a> {
    plain: HashMap<&'a str, usize>,
    odd: Vec<(usize, &'a str)>,
    longest: usize,
}

impl<'a> HostIndex<'a> {
    fn new(run: &'a Dockerrun) -> Self {
        let mut index = HostIndex {
            plain: HashMap::new(),
            odd: Vec::new(),
            longest: 0,
        };
        for (i, c) in run.containers.iter().enumerate() {
            let name = c.name.as_str();
            if name
                .bytes()
                .any(|b| HOST_BEFORE.contains(&b) || HOST_AFTER.contains(&b))
            {
                index.odd.push((i, name));
            } else if !name.is_empty() {
                index.plain.insert(name, i);
                index.longest = index.longest.max(name.len());
            }
        }
        index
    }

    /// The containers (by index, in order) that `env` mentions, each with the variables that do.
    fn mentioned<'e>(
        &self,
        env: &'e [EnvVar],
    ) -> std::collections::BTreeMap<usize, Vec<&'e EnvVar>> {
        let mut out: std::collections::BTreeMap<usize, Vec<&EnvVar>> = Default::default();
        for e in env {
            let mut hits: Vec<usize> = self.plain_hits(&e.value);
            hits.extend(
                self.odd
                    .iter()
                    .filter(|(_, name)| mentions_host(&e.value, name))
                    .map(|(i, _)| *i),
            );
            hits.sort_unstable();
            hits.dedup();
            for i in hits {
                out.entry(i).or_default().push(e);
            }
        }
        out
    }

    /// Containers whose name (without delimiter bytes) `value` mentions: such a name can only
    /// run from a start (the value's start or after a delimiter) to the next end delimiter.
    fn plain_hits(&self, value: &str) -> Vec<usize> {
        let bytes = value.as_bytes();
        let mut hits = Vec::new();
        let mut end = bytes.len();
        // Walk backwards, so `end` is the next end delimiter at or after each start.
        for s in (0..=bytes.len()).rev() {
            if s < bytes.len() && HOST_AFTER.contains(&bytes[s]) {
                end = s;
            }
            let starts = s == 0 || HOST_BEFORE.contains(&bytes[s - 1]);
            if starts && end > s && end - s <= self.longest {
                if let Some(i) = value.get(s..end).and_then(|t| self.plain.get(t)) {
                    hits.push(*i);
                }
            }
        }
        hits
    }
}

/// Record that `c` must stop using `other`'s container name in the environment variables
/// `vars` (not empty).
fn env_hostname_change(ctx: &mut Ctx, c: &EbContainer, other: &str, vars: &[&EnvVar]) {
    let first = vars[0];
    let names: Vec<String> = vars.iter().map(|e| e.name.clone()).collect();
    let source = first
        .origin
        .clone()
        .unwrap_or_else(|| ctx.src(&first.pointer));
    ctx.push(Finding::new(
        codes::ENV_CONTAINER_HOSTNAME,
        Severity::Blocker,
        source,
        format!(
            "`{}` reaches `{other}` by its container name in {}; container names do not resolve under awsvpc",
            c.name,
            names.join(", ")
        ),
        format!("Use `localhost` instead of `{other}` in {}: containers in one task share localhost.", names.join(", ")),
    ));
    ctx.hostname_changes.push(HostnameChange {
        container: c.name.clone(),
        hostname: other.to_string(),
        target: other.to_string(),
        env_vars: names,
    });
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
        codes::LINK_REMOVED,
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

/// Which container starts after (or links to) which: an adjacency list, so a reachability
/// question walks only the edges it can reach instead of every edge for every step.
struct StartOrder {
    after: Vec<Vec<usize>>,
    /// `seen[n] == visit` when the current search has met `n`; a fresh `visit` per search
    /// saves clearing the whole vector each time.
    seen: Vec<u32>,
    visit: u32,
    stack: Vec<usize>,
}

impl StartOrder {
    fn new(containers: usize) -> Self {
        StartOrder {
            after: vec![Vec::new(); containers],
            seen: vec![0; containers],
            visit: 0,
            stack: Vec::new(),
        }
    }

    /// Record that `from` starts after (or links to) `to`.
    fn add(&mut self, from: usize, to: usize) {
        self.after[from].push(to);
    }

    /// Whether `to` can be reached from `from` along the edges so far (`from` reaches itself).
    fn reaches(&mut self, from: usize, to: usize) -> bool {
        if from == to {
            return true;
        }
        self.visit = self.visit.wrapping_add(1);
        if self.visit == 0 {
            self.seen.fill(0);
            self.visit = 1;
        }
        self.stack.clear();
        self.stack.push(from);
        self.seen[from] = self.visit;
        while let Some(n) = self.stack.pop() {
            for &m in &self.after[n] {
                if m == to {
                    return true;
                }
                if self.seen[m] != self.visit {
                    self.seen[m] = self.visit;
                    self.stack.push(m);
                }
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_index_agrees_with_mentions_host() {
        let doc = serde_json::json!({"AWSEBDockerrunVersion": 2, "containerDefinitions": [
            {"name": "app", "image": "a"}, {"name": "db", "image": "b"},
            {"name": "db-replica", "image": "c"}, {"name": "odd,name", "image": "d"}]});
        let (run, _) = crate::load::dockerrun::parse("f", &doc).unwrap();
        let index = HostIndex::new(&run);
        let values = [
            "db",
            "db:5432",
            "postgres://u@db-replica/x",
            "dbx",
            "xdb",
            "a=db,b=app",
            "(db)",
            "db-replica",
            "mydb:1",
            "odd,name:1",
            "",
            "//db?x",
            "db db",
        ];
        for v in values {
            let env = [EnvVar {
                name: "V".into(),
                value: v.into(),
                pointer: String::new(),
                origin: None,
            }];
            let got: Vec<usize> = index.mentioned(&env).into_keys().collect();
            let want: Vec<usize> = (0..run.containers.len())
                .filter(|&i| mentions_host(v, &run.containers[i].name))
                .collect();
            assert_eq!(got, want, "{v:?}");
        }
    }

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
        let mut order = StartOrder::new(4);
        order.add(0, 1);
        order.add(1, 2);
        assert!(order.reaches(0, 2));
        assert!(!order.reaches(2, 0));
        assert!(order.reaches(3, 3), "a container reaches itself");
        assert!(!order.reaches(0, 3));
        // Edges added between questions count in the next one.
        order.add(2, 0);
        assert!(order.reaches(2, 1));
        assert!(!order.reaches(1, 3));
    }

    /// A search must not trust what an earlier search marked as met.
    #[test]
    fn reachability_forgets_earlier_searches() {
        let mut order = StartOrder::new(3);
        order.add(0, 1);
        assert!(!order.reaches(0, 2));
        order.add(1, 2);
        assert!(order.reaches(0, 2));
        order.visit = u32::MAX;
        assert!(order.reaches(0, 2), "the visit counter wraps around");
        assert!(!order.reaches(2, 0));
    }

    /// A long ring of links: every link but the one closing the ring becomes dependsOn, in
    /// order, and the closing one is the only cycle.
    #[test]
    fn a_ring_of_links_breaks_once() {
        let n = 300;
        let containers: Vec<_> = (0..n)
            .map(|i| serde_json::json!({"name": format!("c{i}"), "image": "a", "links": [format!("c{}", (i + 1) % n)]}))
            .collect();
        let doc =
            serde_json::json!({"AWSEBDockerrunVersion": 2, "containerDefinitions": containers});
        let (run, _) = crate::load::dockerrun::parse("f", &doc).unwrap();
        let mut ctx = super::super::tests_support::ctx(LaunchType::Fargate);
        let mut defs = vec![ecs::ContainerDefinition::default(); n];
        links(&mut ctx, &run, &envs(&run), &mut defs);
        let cycles: Vec<_> = ctx
            .findings
            .iter()
            .filter(|f| f.code == "LINK-CYCLE")
            .collect();
        assert_eq!(cycles.len(), 1);
        assert!(cycles[0]
            .message
            .starts_with(&format!("`c{}` and `c0`", n - 1)));
        assert!(defs[n - 1].depends_on.is_empty());
        assert_eq!(defs[0].depends_on[0].container_name, "c1");
    }

    #[test]
    fn only_the_first_container_keeps_a_port() {
        let doc = serde_json::json!({"AWSEBDockerrunVersion": 2, "containerDefinitions": [
            {"name": "a", "image": "a", "portMappings": [{"containerPort": 80}, {"containerPort": 80}, {"containerPort": 80, "protocol": "udp"}]},
            {"name": "b", "image": "b", "portMappings": [{"containerPort": 80}, {"containerPort": 81}]}]});
        let (run, _) = crate::load::dockerrun::parse("f", &doc).unwrap();
        let mut ctx = super::super::tests_support::ctx(LaunchType::Fargate);
        let mut defs = vec![ecs::ContainerDefinition::default(); 2];
        ports(&mut ctx, &run, &mut defs, None);
        let codes: Vec<_> = ctx.findings.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, vec!["PORT-DUPLICATE", "PORT-CONFLICT"]);
        assert_eq!(defs[0].port_mappings.len(), 2);
        assert_eq!(defs[1].port_mappings[0].container_port, 81);
    }
}
