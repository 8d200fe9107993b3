//! The task definition, built once from the converted containers: at least one essential
//! container, the task size (Fargate) or memory reservations (EC2), roles and platform.

use super::limits;
use super::Ctx;
use crate::codes;
use crate::ecs;
use crate::finding::{Finding, Phase, Severity};
use crate::load::dockerrun::Dockerrun;
use crate::model::LaunchType;

/// Memory assumed for sizing a container that declares none.
pub const ASSUMED_CONTAINER_MEMORY: u32 = 512;

/// The task's role ARNs: the Dockerrun's when it names them, else the ones the stack creates.
pub fn role_arns(ctx: &Ctx, run: &Dockerrun) -> (String, String) {
    let execution = run.execution_role_arn.clone().unwrap_or_else(|| {
        format!(
            "arn:{}:iam::{}:role/{}-ecs-execution",
            super::limits::arn_partition(&ctx.region),
            ctx.account,
            ctx.family
        )
    });
    let task = run.task_role_arn.clone().unwrap_or_else(|| {
        format!(
            "arn:{}:iam::{}:role/{}-ecs-task",
            super::limits::arn_partition(&ctx.region),
            ctx.account,
            ctx.family
        )
    });
    (execution, task)
}

/// The task definition (on Fargate for ARM64 when EB ran on Graviton), and what its containers
/// need (for the EC2 capacity check).
pub fn task_definition(
    ctx: &mut Ctx,
    run: &Dockerrun,
    mut defs: Vec<ecs::ContainerDefinition>,
    volumes: Vec<ecs::Volume>,
    (arm64, instance): (bool, Option<&str>),
) -> (ecs::TaskDefinition, TaskSize) {
    ctx.topic = super::Topic::Task;
    essential_check(ctx, &defs);
    let size = task_size(ctx, run, &mut defs, instance);
    let (execution_role_arn, task_role_arn) = role_arns(ctx, run);
    let fargate = ctx.launch_type == LaunchType::Fargate;
    let td = ecs::TaskDefinition {
        family: ctx.family.clone(),
        task_role_arn: Some(task_role_arn),
        execution_role_arn: Some(execution_role_arn),
        network_mode: if fargate { "awsvpc" } else { "bridge" }.to_string(),
        requires_compatibilities: vec![ctx.launch_type.api_name().to_string()],
        cpu: size.cpu.map(|c| c.to_string()),
        memory: size.memory.map(|m| m.to_string()),
        container_definitions: defs,
        volumes,
        runtime_platform: fargate.then(|| ecs::RuntimePlatform {
            operating_system_family: "LINUX".to_string(),
            cpu_architecture: if arm64 { "ARM64" } else { "X86_64" }.to_string(),
        }),
    };
    (td, size)
}

/// ECS needs at least one essential container.
fn essential_check(ctx: &mut Ctx, defs: &[ecs::ContainerDefinition]) {
    if !defs.iter().any(|d| d.essential) {
        ctx.push(Finding::new(
            codes::NO_ESSENTIAL_CONTAINER,
            Severity::Blocker,
            ctx.src("/containerDefinitions"),
            "no container is essential; ECS requires at least one",
            "Mark the container that serves the application as essential.",
        ));
    }
}

/// What the task needs: its Fargate size (none on EC2) and its containers' memory together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskSize {
    /// Task CPU units (Fargate).
    pub cpu: Option<u32>,
    /// Task memory in MiB (Fargate).
    pub memory: Option<u32>,
    /// The containers' memory, summed (MiB).
    pub container_memory: u32,
    /// The containers' CPU units, summed (0 when none reserves any).
    pub container_cpu: u32,
}

/// Task size: on Fargate the smallest valid size covering the containers; on EC2 no task size,
/// but every container gets a memory reservation.
fn task_size(
    ctx: &mut Ctx,
    run: &Dockerrun,
    defs: &mut [ecs::ContainerDefinition],
    instance: Option<&str>,
) -> TaskSize {
    let mut memory: u32 = 0;
    let mut cpu: u32 = 0;
    let mut assumed: Vec<String> = Vec::new();
    for (i, def) in defs.iter_mut().enumerate() {
        // Definitions follow the Dockerrun's containers; sidecars come after them.
        let pointer = run
            .containers
            .get(i)
            .filter(|c| c.name == def.name)
            .map_or("", |c| c.pointer.as_str());
        cpu = cpu.saturating_add(def.cpu.unwrap_or(0));
        cap_reservation(ctx, def, pointer);
        match def.memory.max(def.memory_reservation) {
            Some(need) => memory = memory.saturating_add(need),
            None => {
                assumed.push(def.name.clone());
                memory = memory.saturating_add(ASSUMED_CONTAINER_MEMORY);
                if ctx.launch_type == LaunchType::Ec2 {
                    def.memory_reservation = Some(ASSUMED_CONTAINER_MEMORY);
                }
            }
        }
    }
    memory_assumed(ctx, &assumed);
    if ctx.launch_type == LaunchType::Ec2 {
        return TaskSize {
            cpu: None,
            memory: None,
            container_memory: memory,
            container_cpu: cpu,
        };
    }
    let processes = run.containers.len();
    let from_instance = instance.and_then(|it| instance_share(ctx, it, processes, (cpu, memory)));
    let (want_cpu, want_memory) = from_instance.unwrap_or((cpu, memory));
    let mut size = fargate_size(ctx, want_cpu, want_memory, from_instance.is_none());
    size.container_memory = memory;
    size.container_cpu = cpu;
    size
}

/// What EB gave the application: one instance of `it` ran every process, so the task asks for
/// what the instance offered (its vCPUs, a quarter of them for a burstable type, whose baseline
/// is a fraction; its memory less what the OS kept), never less than the containers need. The
/// containers' sums alone would give a JVM or a busy Procfile the 0.25 vCPU minimum. `None`
/// when eb2ecs does not know the type's size.
fn instance_share(
    ctx: &mut Ctx,
    it: &str,
    processes: usize,
    (cpu, memory): (u32, u32),
) -> Option<(u32, u32)> {
    let (mem, vcpu) = limits::instance_type(it)?;
    let vcpu_units = vcpu * 1024;
    let offered_cpu = if limits::is_burstable(it) {
        (vcpu_units / 4).max(256)
    } else {
        vcpu_units
    };
    let offered_memory = limits::ecs_registrable_memory(mem);
    let want = (offered_cpu.max(cpu), offered_memory.max(memory));
    let size = limits::smallest_fargate(want.0, want.1)?;
    ctx.push(
        Finding::new(
            codes::TASK_SIZE_FROM_INSTANCE,
            Severity::Info,
            ctx.src("/containerDefinitions"),
            format!(
                "EB ran {processes} container(s) or process(es) on each {it} ({vcpu} vCPU{}, {mem} MiB); the task is sized from what that instance gave them, {} CPU / {} MiB, not from the containers' sums ({cpu} CPU units, {memory} MiB)",
                if limits::is_burstable(it) { ", burstable: a quarter of them is about its baseline" } else { "" },
                size.cpu,
                size.memory
            ),
            "Watch CPU and memory in the first days (Container Insights or the service's metrics) and lower the task size (cpu/memory) if the instance was mostly idle.",
        )
        .in_phase(Phase::Verify),
    );
    Some(want)
}

/// ECS rejects a soft limit above the hard one: lower it to the hard limit.
fn cap_reservation(ctx: &mut Ctx, def: &mut ecs::ContainerDefinition, pointer: &str) {
    let (Some(hard), Some(soft)) = (def.memory, def.memory_reservation) else {
        return;
    };
    if soft > hard {
        def.memory_reservation = Some(hard);
        ctx.push(Finding::new(
            codes::MEMORY_RESERVATION_ABOVE_LIMIT,
            Severity::Warning,
            ctx.src(&format!("{pointer}/memoryReservation")),
            format!("`{}` reserves {soft} MiB but is limited to {hard} MiB; ECS rejects that, the reservation is now {hard}", def.name),
            "Check the container's memory settings.",
        ));
    }
}

fn memory_assumed(ctx: &mut Ctx, assumed: &[String]) {
    if assumed.is_empty() {
        return;
    }
    ctx.push(Finding::new(
        codes::MEMORY_ASSUMED,
        Severity::Warning,
        ctx.src("/containerDefinitions"),
        format!(
            "{} declare{} no memory; {ASSUMED_CONTAINER_MEMORY} MiB each is assumed{}",
            assumed.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "),
            if assumed.len() == 1 { "s" } else { "" },
            if ctx.launch_type == LaunchType::Ec2 {
                " and set as memoryReservation"
            } else {
                " when sizing the task"
            }
        ),
        "Measure the containers' real memory use (EB's CloudWatch metrics) and set memory or memoryReservation.",
    ));
}

fn fargate_size(ctx: &mut Ctx, cpu: u32, memory: u32, report: bool) -> TaskSize {
    let (task_cpu, task_memory) = match limits::smallest_fargate(cpu, memory) {
        Some(size) if !report => (size.cpu, size.memory),
        Some(size) => {
            ctx.push(Finding::new(
                codes::TASK_SIZE,
                Severity::Info,
                ctx.src("/containerDefinitions"),
                format!(
                    "the containers need {cpu} CPU units and {memory} MiB; the smallest Fargate size that covers them is {} CPU / {} MiB",
                    size.cpu, size.memory
                ),
                "Check the size against the EB instance's real load before going live.",
            ).in_phase(Phase::Verify));
            (size.cpu, size.memory)
        }
        None => {
            ctx.push(Finding::new(
                codes::TASK_TOO_BIG,
                Severity::Blocker,
                ctx.src("/containerDefinitions"),
                format!("the containers need {cpu} CPU units and {memory} MiB, more than the largest Fargate task (16384 / 122880); the largest size is used"),
                "Lower the containers' cpu/memory, split them into several services, or use --launch-type ec2.",
            ));
            (16384, 122880)
        }
    };
    TaskSize {
        cpu: Some(task_cpu),
        memory: Some(task_memory),
        container_memory: memory,
        container_cpu: cpu,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::tests_support::ctx;

    /// Issue 25 item 15: the Fargate size follows what EB's instance gave the application, not
    /// the containers' sums (which alone give the 0.25 vCPU minimum).
    #[test]
    fn fargate_size_follows_the_eb_instance() {
        let fargate = |(cpu, memory): (u32, u32)| {
            limits::smallest_fargate(cpu, memory).map(|s| (s.cpu, s.memory))
        };
        assert_eq!(fargate((0, 512)), Some((256, 512)));
        let mut c = ctx(LaunchType::Fargate);
        // A fixed-performance type: all its vCPUs.
        let want = instance_share(&mut c, "m6i.large", 2, (0, 512)).unwrap();
        assert_eq!(want, (2048, 7616));
        assert_eq!(fargate(want), Some((2048, 8192)));
        // A burstable type: a quarter of its vCPUs (about its baseline).
        let want = instance_share(&mut c, "t3.small", 1, (0, 512)).unwrap();
        assert_eq!(fargate(want), Some((512, 2048)));
        // Containers that need more than the instance keep their sums.
        let want = instance_share(&mut c, "t3.small", 1, (1024, 4096)).unwrap();
        assert_eq!(fargate(want), Some((1024, 4096)));
        assert!(instance_share(&mut c, "zz9.large", 1, (0, 512)).is_none());
        assert_eq!(
            c.findings
                .iter()
                .filter(|f| f.code == "TASK-SIZE-FROM-INSTANCE")
                .count(),
            3
        );
    }
}
