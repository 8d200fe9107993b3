//! `eb2ecs assess`: how big a move off EB is, environment by environment, before anything is
//! converted. Pure: it takes [`Subject`]s (read offline from folders and `fetch` snapshots by
//! [`folders`], or live by `load::fleet`), converts each in memory with the same pipeline as
//! `convert`, and summarises readiness ([`readiness`]), platform lifecycle ([`lifecycle`]) and
//! a monthly cost estimate ([`cost`]) into an [`Assessment`] the renderers in
//! `render::assessment` write out.

pub mod cost;
pub mod folders;
pub mod lifecycle;
pub mod readiness;
mod shape;

use crate::finding::Counts;
use crate::load::Inputs;
use crate::model::LaunchType;
use cost::{Estimate, Range};
use lifecycle::Lifecycle;
use readiness::{CodeCount, Verdict};
use serde::Serialize;
use std::collections::BTreeMap;

pub use crate::load::Subject;

/// What the assessment assumes where a subject does not say.
#[derive(Debug, Clone)]
pub struct Options {
    /// The launch type the ECS side is estimated for.
    pub launch_type: LaunchType,
    /// The region of subjects that name none (offline folders without a describe output or
    /// `.elasticbeanstalk/config.yml` region).
    pub default_region: Option<String>,
}

/// The assessment of one environment.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// EB application.
    pub application: String,
    /// Environment.
    pub environment: String,
    /// Region, when known.
    pub region: Option<String>,
    /// Ready, needs work, blocked, or could not be assessed.
    pub verdict: Verdict,
    /// Why the environment could not be read or converted.
    pub error: Option<String>,
    /// `WebServer` or `Worker`.
    pub tier: Option<String>,
    /// Platform ARN or solution stack.
    pub platform: Option<String>,
    /// Whether the platform is supported, retiring or retired.
    pub lifecycle: Option<Lifecycle>,
    /// EB's instance type.
    pub instance_type: Option<String>,
    /// Whether the instance type is EB's default, assumed because no setting named one.
    pub instance_type_assumed: bool,
    /// EB's instance count range.
    pub instances: Option<Count>,
    /// EB's load balancer (`application`, `classic`, `network`), `none` without one.
    pub load_balancer: Option<String>,
    /// What it converts to, in words.
    pub converts_to: Option<String>,
    /// Findings by severity.
    pub findings: Counts,
    /// Findings by code.
    pub by_code: Vec<CodeCount>,
    /// The three blocker codes with the most findings.
    pub top_blockers: Vec<CodeCount>,
    /// The monthly estimate.
    pub cost: Option<Estimate>,
    /// Why there is no estimate.
    pub cost_note: Option<String>,
}

/// A fewest..most count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Count {
    /// Fewest.
    pub min: u32,
    /// Most.
    pub max: u32,
}

/// Environments per verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct VerdictCounts {
    /// Ready.
    pub ready: usize,
    /// Needs work.
    pub needs_work: usize,
    /// Blocked.
    pub blocked: usize,
    /// Could not be read or converted.
    pub failed: usize,
    /// On a deprecated, retiring or retired platform (whatever the verdict).
    pub platform_ending: usize,
}

/// The fleet's monthly totals, over the environments that have an estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CostTotals {
    /// EB today.
    pub eb: Range,
    /// The ECS result.
    pub ecs: Range,
    /// Environments with an estimate.
    pub priced: usize,
    /// Environments without one.
    pub unpriced: usize,
}

/// The price table's provenance, as the report states it.
#[derive(Debug, Clone, Serialize)]
pub struct PriceSource {
    /// The table's date, sources and assumptions.
    #[serde(flatten)]
    pub terms: cost::PriceTerms,
    /// Regions the table prices.
    pub regions: Vec<String>,
    /// The launch type the ECS side is estimated for.
    pub launch_type: &'static str,
}

/// The whole assessment.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// Environments assessed.
    pub environments: usize,
    /// Environments per verdict.
    pub verdicts: VerdictCounts,
    /// Blocker findings by code over every environment, most first.
    pub blockers_by_code: Vec<CodeCount>,
    /// Monthly totals.
    pub cost: CostTotals,
    /// Where the prices come from and what they assume.
    pub prices: PriceSource,
    /// One row per environment, by application, environment and region.
    pub rows: Vec<Row>,
}

/// Assess every subject. A subject that cannot be read or converted becomes a row that says
/// why; the others are assessed all the same.
pub fn assess(subjects: &[Subject], opts: &Options) -> Assessment {
    let mut rows: Vec<Row> = subjects.iter().map(|s| row(s, opts)).collect();
    rows.sort_by(|a, b| {
        (&a.application, &a.environment, &a.region, &a.error).cmp(&(
            &b.application,
            &b.environment,
            &b.region,
            &b.error,
        ))
    });
    summarise(rows, opts)
}

fn summarise(rows: Vec<Row>, opts: &Options) -> Assessment {
    let mut verdicts = VerdictCounts::default();
    let mut blockers: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut cost = CostTotals {
        eb: Range { min: 0.0, max: 0.0 },
        ecs: Range { min: 0.0, max: 0.0 },
        priced: 0,
        unpriced: 0,
    };
    for r in &rows {
        match r.verdict {
            Verdict::Ready => verdicts.ready += 1,
            Verdict::NeedsWork => verdicts.needs_work += 1,
            Verdict::Blocked => verdicts.blocked += 1,
            Verdict::Failed => verdicts.failed += 1,
        }
        if r.lifecycle.as_ref().is_some_and(Lifecycle::is_ending) {
            verdicts.platform_ending += 1;
        }
        for c in r.by_code.iter().filter(|c| c.severity == "blocker") {
            *blockers.entry(c.code).or_default() += c.count;
        }
        match &r.cost {
            Some(e) => {
                cost.priced += 1;
                cost.eb.min += e.eb.min;
                cost.eb.max += e.eb.max;
                cost.ecs.min += e.ecs.min;
                cost.ecs.max += e.ecs.max;
            }
            None => cost.unpriced += 1,
        }
    }
    let t = cost::prices();
    Assessment {
        environments: rows.len(),
        verdicts,
        blockers_by_code: readiness::most_first(blockers, "blocker"),
        cost,
        prices: PriceSource {
            terms: t.terms.clone(),
            regions: t.regions.keys().cloned().collect(),
            launch_type: opts.launch_type.api_name(),
        },
        rows,
    }
}

/// A row that says why the subject could not be assessed.
fn failed(s: &Subject, region: Option<String>, why: String) -> Row {
    Row {
        application: s.application.clone(),
        environment: s.environment.clone(),
        region,
        verdict: Verdict::Failed,
        error: Some(why),
        tier: None,
        platform: s.platform_arn.clone(),
        lifecycle: lifecycle::lifecycle(s.platform_arn.as_deref(), s.platform_status.as_deref()),
        instance_type: None,
        instance_type_assumed: false,
        instances: None,
        load_balancer: None,
        converts_to: None,
        findings: Counts::default(),
        by_code: Vec::new(),
        top_blockers: Vec::new(),
        cost: None,
        cost_note: None,
    }
}

/// The subject's region: known, else the one its inputs name (a certificate, an ECR image,
/// a queue URL: what `convert` would take), else `--region`'s. The default never overrides
/// what the inputs say, which would make a REGION-MISMATCH blocker of the assessment's guess.
fn region_of(s: &Subject, inputs: &Inputs, opts: &Options) -> Option<String> {
    s.region
        .clone()
        .or_else(|| {
            let (settings, _) = crate::load::settings::merge(&inputs.settings);
            crate::convert::region::clues(inputs, &settings)
                .into_iter()
                .find_map(|c| c.region)
        })
        .or_else(|| opts.default_region.clone())
}

/// The conversion's options: the defaults `convert` has, in the subject's region.
fn convert_options(opts: &Options, region: Option<String>) -> crate::model::Options {
    crate::model::Options {
        launch_type: opts.launch_type,
        family: None,
        cluster: None,
        service_name: None,
        region,
        account_id: None,
        secrets: crate::model::SecretsMode::Ssm,
        secrets_kms_key: None,
        delivery: None,
        sqsd_image: None,
        container_insights: false,
        redirect_http: false,
    }
}

/// Assess one subject: convert it in memory, then read its shape, findings and cost.
fn row(s: &Subject, opts: &Options) -> Row {
    let inputs = match &s.inputs {
        Ok(i) => i,
        Err(why) => {
            let region = s.region.clone().or_else(|| opts.default_region.clone());
            return failed(s, region, why.clone());
        }
    };
    let region = region_of(s, inputs, opts);
    let convert_opts = convert_options(opts, region.clone());
    if let Err(e) = crate::convert::envnames::check(inputs) {
        return failed(s, region, e.to_string());
    }
    // The pipeline is pure, but a panic in one environment must not lose the other 99.
    let model = match std::panic::catch_unwind(|| crate::convert::convert(inputs, &convert_opts)) {
        Ok(m) => m,
        Err(_) => {
            return failed(
                s,
                region,
                "the conversion failed (a bug in eb2ecs; please report it)".to_string(),
            )
        }
    };
    let shape = shape::shape(inputs, &model);
    let (verdict, by_code, top_blockers) = readiness::judge(&model.findings);
    let platform = s.platform_arn.clone().or(shape.platform.clone());
    let (cost, cost_note) =
        match cost::estimate(cost::prices(), region.as_deref(), &shape.eb, &shape.ecs) {
            Ok(e) => (Some(e), None),
            Err(why) => (None, Some(why)),
        };
    Row {
        application: s.application.clone(),
        environment: s.environment.clone(),
        lifecycle: lifecycle::lifecycle(platform.as_deref(), s.platform_status.as_deref()),
        region,
        verdict,
        error: None,
        tier: Some(shape.tier.clone()),
        platform,
        instance_type: Some(shape.eb.instance_type.clone()),
        instance_type_assumed: shape.instance_type_assumed,
        instances: Some(Count {
            min: shape.eb.min,
            max: shape.eb.max,
        }),
        load_balancer: Some(
            shape
                .eb
                .load_balancer
                .clone()
                .unwrap_or_else(|| "none".into()),
        ),
        converts_to: Some(shape.converts_to),
        findings: Counts::of(&model.findings),
        by_code,
        top_blockers,
        cost,
        cost_note,
    }
}
