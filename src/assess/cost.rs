//! The monthly cost estimate, EB today against the ECS result, from the price table kept as data
//! (`data/prices/DATE.json`, compiled in): its date, sources and per-region on-demand Linux
//! prices. A region or instance type the table lacks gives a reason ("no price for REGION"),
//! never a guess.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The price table's text (the newest file of `data/prices/`).
pub const PRICES_JSON: &str = include_str!("../../data/prices/2026-12-01.json");

/// What a price table says of itself: its date and sources, and what an estimate assumes.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct PriceTerms {
    /// The day the prices were taken (YYYY-MM-DD).
    pub date: String,
    /// Currency of every price.
    pub currency: String,
    /// Where the prices were published.
    pub sources: Vec<String>,
    /// What the estimate leaves out.
    pub note: String,
    /// Hours in a month (AWS's calculators use 730).
    pub hours_per_month: f64,
    /// Load balancer capacity units (LCU, NLCU; GB processed for a classic ELB) assumed per hour.
    pub load_balancer_units_per_hour: f64,
}

/// The price table.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct PriceTable {
    /// Its date, sources and assumptions (what every report repeats).
    #[serde(flatten)]
    pub terms: PriceTerms,
    /// Prices by region.
    pub regions: BTreeMap<String, RegionPrices>,
}

/// The prices of one region (USD per hour).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct RegionPrices {
    /// Fargate by CPU architecture (`x86_64`, `arm64`).
    pub fargate: BTreeMap<String, FargatePrice>,
    /// Load balancers by EB's type (`application`, `network`, `classic`).
    pub load_balancer: BTreeMap<String, LoadBalancerPrice>,
    /// EC2 on-demand Linux, by instance type.
    pub ec2: BTreeMap<String, f64>,
}

/// Fargate's price per vCPU-hour and per GB-hour.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
pub struct FargatePrice {
    /// Per vCPU-hour.
    pub vcpu_hour: f64,
    /// Per GB-hour.
    pub gb_hour: f64,
}

/// A load balancer's price per hour and per capacity unit-hour.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
pub struct LoadBalancerPrice {
    /// Per hour.
    pub hour: f64,
    /// Per capacity unit-hour (LCU, NLCU; per GB for a classic ELB).
    pub unit_hour: f64,
}

/// The compiled-in price table.
pub fn prices() -> &'static PriceTable {
    static TABLE: OnceLock<PriceTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        // The file is part of the source tree and a unit test parses it: failing here is a bug.
        serde_json::from_str(PRICES_JSON).expect("data/prices parses (see cost::tests)")
    })
}

/// What runs on EB, as far as the price goes.
#[derive(Debug, Clone, PartialEq)]
pub struct EbShape {
    /// Instance type.
    pub instance_type: String,
    /// Fewest instances.
    pub min: u32,
    /// Most instances.
    pub max: u32,
    /// EB's load balancer type (`application`, `network`, `classic`), `None` without one.
    pub load_balancer: Option<String>,
}

/// What runs on ECS, as far as the price goes.
#[derive(Debug, Clone, PartialEq)]
pub enum EcsCompute {
    /// Fargate tasks of this size.
    Fargate {
        /// vCPUs per task.
        vcpu: f64,
        /// GB of memory per task.
        gb: f64,
        /// Graviton (arm64).
        arm64: bool,
    },
    /// EC2 container instances of this type, one per task.
    Ec2 {
        /// Instance type.
        instance_type: String,
    },
}

/// What runs on ECS: compute, task count range, and whether an ALB fronts it.
#[derive(Debug, Clone, PartialEq)]
pub struct EcsShape {
    /// The compute.
    pub compute: EcsCompute,
    /// Fewest tasks.
    pub min: u32,
    /// Most tasks.
    pub max: u32,
    /// Whether the service has an Application Load Balancer.
    pub load_balancer: bool,
}

/// A monthly estimate, at the fewest and the most instances or tasks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    /// At the minimum count.
    pub min: f64,
    /// At the maximum count.
    pub max: f64,
}

/// Money rounded to cents (how reports show it; the sums are of the unrounded values).
pub fn cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

impl Serialize for Range {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Range", 2)?;
        st.serialize_field("min", &cents(self.min))?;
        st.serialize_field("max", &cents(self.max))?;
        st.end()
    }
}

/// The side-by-side estimate of one environment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// EB today (instances and load balancer), per month.
    pub eb: Range,
    /// The ECS result (tasks or container instances and load balancer), per month.
    pub ecs: Range,
    /// How it was computed, one line a side.
    pub how: Vec<String>,
}

/// A price as the table has it (every digit: 0.04048, not 0.0405).
fn money(x: f64) -> String {
    format!("{x}")
}

/// A load balancer's monthly price and how it was computed.
fn load_balancer(t: &PriceTable, r: &RegionPrices, kind: &str) -> Result<(f64, String), String> {
    let p = r
        .load_balancer
        .get(kind)
        .ok_or_else(|| format!("no price for a {kind} load balancer"))?;
    let units = t.terms.load_balancer_units_per_hour;
    let monthly = (p.hour + units * p.unit_hour) * t.terms.hours_per_month;
    Ok((
        monthly,
        format!(
            "{kind} load balancer ({} + {units} unit x {}) x {} h",
            money(p.hour),
            money(p.unit_hour),
            t.terms.hours_per_month
        ),
    ))
}

fn ec2_price(r: &RegionPrices, instance_type: &str, region: &str) -> Result<f64, String> {
    r.ec2
        .get(instance_type)
        .copied()
        .ok_or_else(|| format!("no price for {instance_type} in {region}"))
}

/// EB's side: instances x hours x price, plus the load balancer.
fn eb_side(
    t: &PriceTable,
    r: &RegionPrices,
    region: &str,
    eb: &EbShape,
) -> Result<(Range, String), String> {
    let hourly = ec2_price(r, &eb.instance_type, region)?;
    let per_instance = hourly * t.terms.hours_per_month;
    let (lb, lb_how) = match &eb.load_balancer {
        Some(kind) => {
            let (m, how) = load_balancer(t, r, kind)?;
            (m, format!(" + {how}"))
        }
        None => (0.0, String::new()),
    };
    let how = format!(
        "EB: {}..{} x {} ({}/h) x {} h{lb_how}",
        eb.min,
        eb.max,
        eb.instance_type,
        money(hourly),
        t.terms.hours_per_month
    );
    Ok((
        Range {
            min: f64::from(eb.min) * per_instance + lb,
            max: f64::from(eb.max) * per_instance + lb,
        },
        how,
    ))
}

/// The ECS side: Fargate tasks x (vCPU x price + GB x price) x hours, or EC2 instances x hours x
/// price, plus the ALB.
fn ecs_side(
    t: &PriceTable,
    r: &RegionPrices,
    region: &str,
    ecs: &EcsShape,
) -> Result<(Range, String), String> {
    let (hourly, what) = match &ecs.compute {
        EcsCompute::Fargate { vcpu, gb, arm64 } => {
            let arch = if *arm64 { "arm64" } else { "x86_64" };
            let p = r
                .fargate
                .get(arch)
                .ok_or_else(|| format!("no Fargate {arch} price in {region}"))?;
            (
                vcpu * p.vcpu_hour + gb * p.gb_hour,
                format!(
                    "Fargate {arch} tasks x ({vcpu} vCPU x {} + {gb} GB x {})",
                    money(p.vcpu_hour),
                    money(p.gb_hour)
                ),
            )
        }
        EcsCompute::Ec2 { instance_type } => {
            let hourly = ec2_price(r, instance_type, region)?;
            (
                hourly,
                format!("EC2 {instance_type} ({}/h), one per task", money(hourly)),
            )
        }
    };
    let (lb, lb_how) = if ecs.load_balancer {
        let (m, how) = load_balancer(t, r, "application")?;
        (m, format!(" + {how}"))
    } else {
        (0.0, String::new())
    };
    let per_task = hourly * t.terms.hours_per_month;
    Ok((
        Range {
            min: f64::from(ecs.min) * per_task + lb,
            max: f64::from(ecs.max) * per_task + lb,
        },
        format!(
            "ECS: {}..{} {what} x {} h{lb_how}",
            ecs.min, ecs.max, t.terms.hours_per_month
        ),
    ))
}

/// The monthly estimate of one environment in `region`, or why there is none.
pub fn estimate(
    t: &PriceTable,
    region: Option<&str>,
    eb: &EbShape,
    ecs: &EcsShape,
) -> Result<Estimate, String> {
    let region = region.ok_or_else(|| {
        "region unknown (give --region for folders that do not name one)".to_string()
    })?;
    let r = t
        .regions
        .get(region)
        .ok_or_else(|| format!("no price for {region}"))?;
    let (eb_range, eb_how) = eb_side(t, r, region, eb)?;
    let (ecs_range, ecs_how) = ecs_side(t, r, region, ecs)?;
    Ok(Estimate {
        eb: eb_range,
        ecs: ecs_range,
        how: vec![eb_how, ecs_how],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    fn fargate(vcpu: f64, gb: f64, min: u32, max: u32, lb: bool) -> EcsShape {
        EcsShape {
            compute: EcsCompute::Fargate {
                vcpu,
                gb,
                arm64: false,
            },
            min,
            max,
            load_balancer: lb,
        }
    }

    #[test]
    fn the_price_table_parses_and_knows_every_priced_type() {
        let t = prices();
        assert_eq!(t.terms.date, "2026-12-01");
        assert!(!t.terms.sources.is_empty());
        for (region, r) in &t.regions {
            assert!(
                crate::convert::limits::partition_of(region).is_some(),
                "{region}"
            );
            for it in r.ec2.keys() {
                assert!(crate::convert::limits::instance_type(it).is_some(), "{it}");
            }
            for lb in ["application", "network", "classic"] {
                assert!(r.load_balancer.contains_key(lb), "{region} {lb}");
            }
        }
    }

    #[test]
    fn two_to_five_t3_small_behind_an_alb_against_fargate_half_vcpu_one_gb() {
        let eb = EbShape {
            instance_type: "t3.small".into(),
            min: 2,
            max: 5,
            load_balancer: Some("application".into()),
        };
        let e = estimate(
            prices(),
            Some("us-east-1"),
            &eb,
            &fargate(0.5, 1.0, 2, 5, true),
        )
        .unwrap();
        // ALB: (0.0225 + 1 x 0.008) x 730 = 22.265
        // EB: 2 x 0.0208 x 730 = 30.368 (+ALB 52.633); 5 x 0.0208 x 730 = 75.92 (+ALB 98.185)
        assert!(close(e.eb.min, 52.633), "{}", e.eb.min);
        assert!(close(e.eb.max, 98.185), "{}", e.eb.max);
        // Task: 0.5 x 0.04048 + 1 x 0.004445 = 0.024685/h; x 730 = 18.02005
        // 2 tasks 36.0401 + 22.265 = 58.3051; 5 tasks 90.10025 + 22.265 = 112.36525
        assert!(close(e.ecs.min, 58.3051), "{}", e.ecs.min);
        assert!(close(e.ecs.max, 112.36525), "{}", e.ecs.max);
        assert!(e.how[0].starts_with("EB: 2..5 x t3.small"), "{:?}", e.how);
    }

    #[test]
    fn classic_elb_arm64_fargate_and_ec2_capacity() {
        let eb = EbShape {
            instance_type: "m5.large".into(),
            min: 1,
            max: 1,
            load_balancer: Some("classic".into()),
        };
        let ecs = EcsShape {
            compute: EcsCompute::Fargate {
                vcpu: 1.0,
                gb: 2.0,
                arm64: true,
            },
            min: 1,
            max: 1,
            load_balancer: false,
        };
        let e = estimate(prices(), Some("us-west-2"), &eb, &ecs).unwrap();
        // 0.096 x 730 = 70.08; CLB (0.025 + 0.008) x 730 = 24.09
        assert!(close(e.eb.min, 94.17), "{}", e.eb.min);
        // 1 x 0.03238 + 2 x 0.00356 = 0.0395 x 730 = 28.835
        assert!(close(e.ecs.max, 28.835), "{}", e.ecs.max);
        let ec2 = EcsShape {
            compute: EcsCompute::Ec2 {
                instance_type: "t3.medium".into(),
            },
            min: 2,
            max: 3,
            load_balancer: false,
        };
        let e = estimate(prices(), Some("us-east-1"), &eb, &ec2).unwrap();
        // 2 x 0.0416 x 730 = 60.736; 3 x = 91.104
        assert!(
            close(e.ecs.min, 60.736) && close(e.ecs.max, 91.104),
            "{e:?}"
        );
    }

    #[test]
    fn missing_prices_say_so_rather_than_guess() {
        let eb = EbShape {
            instance_type: "t3.small".into(),
            min: 1,
            max: 1,
            load_balancer: None,
        };
        let ecs = fargate(0.25, 0.5, 1, 1, false);
        let err = estimate(prices(), Some("ap-east-2"), &eb, &ecs).unwrap_err();
        assert_eq!(err, "no price for ap-east-2");
        let err = estimate(prices(), None, &eb, &ecs).unwrap_err();
        assert!(err.starts_with("region unknown"), "{err}");
        let odd = EbShape {
            instance_type: "x2iedn.32xlarge".into(),
            ..eb
        };
        let err = estimate(prices(), Some("us-east-1"), &odd, &ecs).unwrap_err();
        assert_eq!(err, "no price for x2iedn.32xlarge in us-east-1");
    }
}
