//! AWS limits kept as data: the Fargate task sizes, the memory an EC2 instance type offers, which
//! instance types are Graviton (arm64), and the regions of each partition.

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

/// Memory (MiB) and vCPUs of older or burstable EC2 instance types EB environments run on,
/// listed one by one (the current general-purpose families follow as [`FAMILIES`]).
const INSTANCE_TYPES: &[(&str, u32, u32)] = &[
    ("t2.nano", 512, 1),
    ("t2.micro", 1024, 1),
    ("t2.small", 2048, 1),
    ("t2.medium", 4096, 2),
    ("t2.large", 8192, 2),
    ("t2.xlarge", 16384, 4),
    ("t2.2xlarge", 32768, 8),
    ("m4.large", 8192, 2),
    ("m4.xlarge", 16384, 4),
    ("m4.2xlarge", 32768, 8),
    ("m5a.large", 8192, 2),
    ("m5a.xlarge", 16384, 4),
    ("c4.large", 3840, 2),
    ("c4.xlarge", 7680, 4),
    ("c5.9xlarge", 73728, 36),
];

/// The burstable sizes (t3, t3a, t4g): name, memory (MiB), vCPUs.
const BURSTABLE_SIZES: &[(&str, u32, u32)] = &[
    ("nano", 512, 2),
    ("micro", 1024, 2),
    ("small", 2048, 2),
    ("medium", 4096, 2),
    ("large", 8192, 2),
    ("xlarge", 16384, 4),
    ("2xlarge", 32768, 8),
];

/// The fixed-performance sizes every current m/c/r family has: name and vCPUs.
const SIZES: &[(&str, u32)] = &[("large", 2), ("xlarge", 4), ("2xlarge", 8), ("4xlarge", 16)];

/// A current-generation family: its name, GiB of memory per vCPU (0 for burstable: see
/// [`BURSTABLE_SIZES`]) and whether it is Graviton (arm64). In the order a replacement is
/// chosen when sizes tie.
const FAMILIES: &[(&str, u32, bool)] = &[
    ("t3", 0, false),
    ("t3a", 0, false),
    ("m6i", 4, false),
    ("m7i", 4, false),
    ("m6a", 4, false),
    ("m5", 4, false),
    ("c6i", 2, false),
    ("c5", 2, false),
    ("r6i", 8, false),
    ("r5", 8, false),
    ("t4g", 0, true),
    ("m7g", 4, true),
    ("m6g", 4, true),
    ("c7g", 2, true),
    ("c6g", 2, true),
    ("r7g", 8, true),
    ("r6g", 8, true),
];

/// Graviton (arm64) instance families, beyond those in [`FAMILIES`]: EB on any of these ran
/// arm64 images.
const ARM64_FAMILIES: &[&str] = &[
    "a1", "t4g", "m6g", "m6gd", "m7g", "m7gd", "m8g", "m8gd", "c6g", "c6gd", "c6gn", "c7g", "c7gd",
    "c7gn", "c8g", "c8gd", "r6g", "r6gd", "r7g", "r7gd", "r8g", "r8gd", "x2gd", "x8g", "im4gn",
    "is4gen", "i4g", "i8g", "g5g", "hpc7g",
];

/// Whether an instance type (`t4g.small`) is a Graviton (arm64) type.
pub fn is_arm64(instance_type: &str) -> bool {
    let family = instance_type.split('.').next().unwrap_or("");
    ARM64_FAMILIES.contains(&family)
}

/// Every current-generation type: (name, memory MiB, vCPUs), family by family.
fn current_types() -> Vec<(String, u32, u32)> {
    let mut out = Vec::new();
    for (family, gib_per_vcpu, _) in FAMILIES {
        if *gib_per_vcpu == 0 {
            out.extend(
                BURSTABLE_SIZES
                    .iter()
                    .map(|(s, m, c)| (format!("{family}.{s}"), *m, *c)),
            );
        } else {
            out.extend(
                SIZES
                    .iter()
                    .map(|(s, c)| (format!("{family}.{s}"), c * gib_per_vcpu * 1024, *c)),
            );
        }
    }
    out
}

/// Memory (MiB) and vCPUs of an instance type, if eb2ecs knows it.
pub fn instance_type(name: &str) -> Option<(u32, u32)> {
    INSTANCE_TYPES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, m, c)| (*m, *c))
        .or_else(|| {
            current_types()
                .into_iter()
                .find(|(n, _, _)| n == name)
                .map(|(_, m, c)| (m, c))
        })
}

/// The smallest current-generation type of the architecture (arm64 or not) on which the ECS
/// agent can register `memory` MiB (then the fewest vCPUs); on a tie, `prefer`'s family first, then the table order.
pub fn smallest_instance_type(memory: u32, arm64: bool, prefer: Option<&str>) -> Option<String> {
    let prefer = prefer.and_then(|p| p.split('.').next()).unwrap_or("");
    current_types()
        .into_iter()
        .enumerate()
        .filter(|(_, (n, m, _))| is_arm64(n) == arm64 && ecs_registrable_memory(*m) >= memory)
        .min_by_key(|(i, (n, m, c))| (*m, *c, !n.starts_with(&format!("{prefer}.")), *i))
        .map(|(_, (n, _, _))| n)
}

pub use crate::names::is_instance_type_name;

/// Whether an instance type is burstable (`t2`, `t3`, `t3a`, `t4g`): its vCPUs run at a
/// baseline fraction, not in full.
pub fn is_burstable(name: &str) -> bool {
    name.starts_with('t') && name.split('.').next().is_some_and(|f| f.len() <= 3)
}

/// The regions of each AWS partition, as data: `--region` must be one of them.
pub const PARTITIONS: &[(&str, &[&str])] = &[
    (
        "aws",
        &[
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
            "af-south-1",
            "ap-east-1",
            "ap-east-2",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-6",
            "ap-southeast-7",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "eu-south-1",
            "eu-south-2",
            "eu-north-1",
            "il-central-1",
            "me-south-1",
            "me-central-1",
            "mx-central-1",
            "sa-east-1",
        ],
    ),
    ("aws-cn", &["cn-north-1", "cn-northwest-1"]),
    ("aws-us-gov", &["us-gov-east-1", "us-gov-west-1"]),
    ("aws-iso", &["us-iso-east-1", "us-iso-west-1"]),
    ("aws-iso-b", &["us-isob-east-1"]),
];

/// The partition of a known region, or `None` when AWS has no such region.
pub fn partition_of(region: &str) -> Option<&'static str> {
    PARTITIONS
        .iter()
        .find(|(_, regions)| regions.contains(&region))
        .map(|(p, _)| *p)
}

/// The ARN partition of a region (`aws`, `aws-cn`, `aws-us-gov`, ...); `aws` for a region the
/// table does not know (a usage error stops unknown `--region` values before this).
pub fn arn_partition(region: &str) -> &'static str {
    partition_of(region).unwrap_or("aws")
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
    fn instance_type_names_follow_the_grammar() {
        for ok in [
            "t3.micro",
            "m6i.2xlarge",
            "c7gn.metal",
            "u-6tb1.metal",
            "m7i.metal-24xl",
            "t4g.nano",
        ] {
            assert!(is_instance_type_name(ok), "{ok}");
        }
        for bad in [
            "t3micro",
            "T3.micro",
            "t3.huge",
            "m.large",
            "t3.",
            ".large",
            "t3.micro,t3.small",
            "${InstanceType}",
        ] {
            assert!(!is_instance_type_name(bad), "{bad}");
        }
        assert!(
            is_burstable("t3.medium") && is_burstable("t4g.nano") && !is_burstable("m6i.large")
        );
    }

    #[test]
    fn arn_partitions_follow_the_region() {
        assert_eq!(arn_partition("eu-west-1"), "aws");
        assert_eq!(arn_partition("cn-north-1"), "aws-cn");
        assert_eq!(arn_partition("us-gov-west-1"), "aws-us-gov");
    }

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
        assert_eq!(instance_type("m7g.xlarge"), Some((16384, 4)));
        assert_eq!(instance_type("c6i.large"), Some((4096, 2)));
        assert_eq!(instance_type("r6g.2xlarge"), Some((65536, 8)));
    }

    #[test]
    fn graviton_types_are_arm64() {
        for t in [
            "t4g.small",
            "m6g.large",
            "c7g.xlarge",
            "r8g.large",
            "a1.medium",
            "m6gd.large",
        ] {
            assert!(is_arm64(t), "{t}");
        }
        for t in [
            "t3.small",
            "m6i.large",
            "c5.xlarge",
            "g4dn.xlarge",
            "m5a.large",
        ] {
            assert!(!is_arm64(t), "{t}");
        }
    }

    #[test]
    fn smallest_instance_type_fits_and_keeps_the_architecture() {
        // A t3.small offers 2048 - 128 - 64 = 1856 MiB.
        assert_eq!(
            smallest_instance_type(1800, false, None).as_deref(),
            Some("t3.small")
        );
        assert_eq!(
            smallest_instance_type(1900, false, None).as_deref(),
            Some("t3.medium")
        );
        assert_eq!(
            smallest_instance_type(1800, true, None).as_deref(),
            Some("t4g.small")
        );
        assert_eq!(
            smallest_instance_type(7000, false, Some("m5.large")).as_deref(),
            Some("m5.large")
        );
        assert_eq!(
            smallest_instance_type(40_000, false, None).as_deref(),
            Some("r6i.2xlarge")
        );
        assert_eq!(smallest_instance_type(1_000_000, false, None), None);
    }

    #[test]
    fn regions_belong_to_partitions() {
        assert_eq!(partition_of("eu-west-1"), Some("aws"));
        assert_eq!(partition_of("cn-north-1"), Some("aws-cn"));
        assert_eq!(partition_of("us-gov-west-1"), Some("aws-us-gov"));
        assert_eq!(partition_of("eu-wset-1"), None);
    }
}
