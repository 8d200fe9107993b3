//! AWS limits kept as data: the Fargate task sizes, and the memory an EC2 instance type offers.

/// One row of the Fargate size table: a CPU value and the memory values allowed with it.
struct FargateCpu {
    cpu: u32,
    memory_min: u32,
    memory_max: u32,
    step: u32,
    extra: &'static [u32],
}

/// The documented Fargate task sizes (Linux), up to 16 vCPU / 120 GiB.
const FARGATE: &[FargateCpu] = &[
    FargateCpu {
        cpu: 256,
        memory_min: 1024,
        memory_max: 2048,
        step: 1024,
        extra: &[512],
    },
    FargateCpu {
        cpu: 512,
        memory_min: 1024,
        memory_max: 4096,
        step: 1024,
        extra: &[],
    },
    FargateCpu {
        cpu: 1024,
        memory_min: 2048,
        memory_max: 8192,
        step: 1024,
        extra: &[],
    },
    FargateCpu {
        cpu: 2048,
        memory_min: 4096,
        memory_max: 16384,
        step: 1024,
        extra: &[],
    },
    FargateCpu {
        cpu: 4096,
        memory_min: 8192,
        memory_max: 30720,
        step: 1024,
        extra: &[],
    },
    FargateCpu {
        cpu: 8192,
        memory_min: 16384,
        memory_max: 61440,
        step: 4096,
        extra: &[],
    },
    FargateCpu {
        cpu: 16384,
        memory_min: 32768,
        memory_max: 122880,
        step: 8192,
        extra: &[],
    },
];

/// A valid Fargate task size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FargateSize {
    /// CPU units (1024 = 1 vCPU).
    pub cpu: u32,
    /// Memory in MiB.
    pub memory: u32,
}

/// Every valid Fargate size.
pub fn fargate_sizes() -> Vec<FargateSize> {
    let mut out = Vec::new();
    for row in FARGATE {
        for &m in row.extra {
            out.push(FargateSize {
                cpu: row.cpu,
                memory: m,
            });
        }
        let mut m = row.memory_min;
        while m <= row.memory_max {
            out.push(FargateSize {
                cpu: row.cpu,
                memory: m,
            });
            m += row.step;
        }
    }
    out
}

/// Whether `cpu`/`memory` is a valid Fargate size.
pub fn is_valid_fargate(cpu: u32, memory: u32) -> bool {
    fargate_sizes()
        .iter()
        .any(|s| s.cpu == cpu && s.memory == memory)
}

/// The cheapest Fargate size with at least `cpu` units and `memory` MiB (weighted by the
/// published per-vCPU and per-GB hourly rates: $0.04048 and $0.004445), or `None` if nothing fits.
pub fn smallest_fargate(cpu: u32, memory: u32) -> Option<FargateSize> {
    fargate_sizes()
        .into_iter()
        .filter(|s| s.cpu >= cpu && s.memory >= memory)
        .min_by_key(|s| {
            (
                u64::from(s.cpu) * 40_480 + u64::from(s.memory) * 4_445,
                s.cpu,
                s.memory,
            )
        })
}

/// Memory (MiB) and vCPUs of common EC2 instance types EB environments run on.
const INSTANCE_TYPES: &[(&str, u32, u32)] = &[
    ("t2.nano", 512, 1),
    ("t2.micro", 1024, 1),
    ("t2.small", 2048, 1),
    ("t2.medium", 4096, 2),
    ("t2.large", 8192, 2),
    ("t2.xlarge", 16384, 4),
    ("t2.2xlarge", 32768, 8),
    ("t3.nano", 512, 2),
    ("t3.micro", 1024, 2),
    ("t3.small", 2048, 2),
    ("t3.medium", 4096, 2),
    ("t3.large", 8192, 2),
    ("t3.xlarge", 16384, 4),
    ("t3.2xlarge", 32768, 8),
    ("t3a.nano", 512, 2),
    ("t3a.micro", 1024, 2),
    ("t3a.small", 2048, 2),
    ("t3a.medium", 4096, 2),
    ("t3a.large", 8192, 2),
    ("t3a.xlarge", 16384, 4),
    ("t3a.2xlarge", 32768, 8),
    ("t4g.nano", 512, 2),
    ("t4g.micro", 1024, 2),
    ("t4g.small", 2048, 2),
    ("t4g.medium", 4096, 2),
    ("t4g.large", 8192, 2),
    ("t4g.xlarge", 16384, 4),
    ("t4g.2xlarge", 32768, 8),
    ("m4.large", 8192, 2),
    ("m4.xlarge", 16384, 4),
    ("m4.2xlarge", 32768, 8),
    ("m5.large", 8192, 2),
    ("m5.xlarge", 16384, 4),
    ("m5.2xlarge", 32768, 8),
    ("m5.4xlarge", 65536, 16),
    ("m5a.large", 8192, 2),
    ("m5a.xlarge", 16384, 4),
    ("m6i.large", 8192, 2),
    ("m6i.xlarge", 16384, 4),
    ("m6g.large", 8192, 2),
    ("c4.large", 3840, 2),
    ("c4.xlarge", 7680, 4),
    ("c5.large", 4096, 2),
    ("c5.xlarge", 8192, 4),
    ("c5.2xlarge", 16384, 8),
    ("c5.4xlarge", 32768, 16),
    ("c5.9xlarge", 73728, 36),
    ("r5.large", 16384, 2),
    ("r5.xlarge", 32768, 4),
];

/// Memory (MiB) and vCPUs of an instance type, if eb2ecs knows it.
pub fn instance_type(name: &str) -> Option<(u32, u32)> {
    INSTANCE_TYPES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, m, c)| (*m, *c))
}

/// Memory the ECS agent can register on an instance of `total` MiB: the OS and agent keep
/// some back (about 6% plus the agent's reservation), so a 1 GiB instance offers ~ 900 MiB.
pub fn ecs_registrable_memory(total: u32) -> u32 {
    total.saturating_sub(total / 16).saturating_sub(64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_the_documented_sizes() {
        assert!(is_valid_fargate(256, 512));
        assert!(is_valid_fargate(256, 2048));
        assert!(!is_valid_fargate(256, 3072));
        assert!(is_valid_fargate(4096, 30720));
        assert!(is_valid_fargate(16384, 122880));
        assert!(!is_valid_fargate(16384, 126976));
        assert!(!is_valid_fargate(8192, 18432));
    }

    #[test]
    fn smallest_covers_and_prefers_cheaper() {
        assert_eq!(
            smallest_fargate(0, 384),
            Some(FargateSize {
                cpu: 256,
                memory: 512
            })
        );
        assert_eq!(
            smallest_fargate(0, 640),
            Some(FargateSize {
                cpu: 256,
                memory: 1024
            })
        );
        assert_eq!(
            smallest_fargate(0, 2560),
            Some(FargateSize {
                cpu: 512,
                memory: 3072
            })
        );
        assert_eq!(
            smallest_fargate(1000, 512),
            Some(FargateSize {
                cpu: 1024,
                memory: 2048
            })
        );
        assert_eq!(smallest_fargate(0, 200_000), None);
    }

    #[test]
    fn instance_memory_is_known_for_common_types() {
        assert_eq!(instance_type("t3.micro"), Some((1024, 2)));
        assert!(ecs_registrable_memory(1024) < 1024);
        assert_eq!(instance_type("x9.nothing"), None);
    }
}
