//! The assessment ([`crate::assess::Assessment`]) as the files `eb2ecs assess` writes:
//! `assessment.md`, a self-contained `assessment.html` (inline CSS, inline SVG charts, a small
//! inline sort script; it reads the same without JavaScript and loads nothing from the
//! network) and `assessment.json`. Deterministic: no timestamps, rows in a fixed order.

pub mod html;
pub mod markdown;

use super::Artefact;
use crate::assess::cost::cents;
use crate::assess::Assessment;
use crate::error::Result;

/// Output file names.
pub const MARKDOWN: &str = "assessment.md";
/// See [`MARKDOWN`].
pub const HTML: &str = "assessment.html";
/// See [`MARKDOWN`].
pub const JSON: &str = "assessment.json";

/// Every file of the assessment, in a fixed order.
pub fn render(a: &Assessment) -> Result<Vec<Artefact>> {
    Ok(vec![
        Artefact {
            name: MARKDOWN,
            content: markdown::render(a),
        },
        Artefact {
            name: HTML,
            content: html::render(a),
        },
        Artefact {
            name: JSON,
            content: super::json(JSON, a)?,
        },
    ])
}

/// `$12.34`.
pub fn dollars(x: f64) -> String {
    format!("${:.2}", cents(x))
}

/// `$12.34..$56.78`, or one amount when both ends agree.
pub fn dollar_range(min: f64, max: f64) -> String {
    if cents(min) == cents(max) {
        dollars(min)
    } else {
        format!("{}..{}", dollars(min), dollars(max))
    }
}

/// The one-line summary both documents open with.
pub fn summary(a: &Assessment) -> String {
    let v = &a.verdicts;
    format!(
        "{} environment{}: {} ready, {} need{} work, {} blocked, {} could not be assessed; {} on a deprecated, retiring or retired platform.",
        a.environments,
        if a.environments == 1 { "" } else { "s" },
        v.ready,
        v.needs_work,
        if v.needs_work == 1 { "s" } else { "" },
        v.blocked,
        v.failed,
        v.platform_ending
    )
}

/// The fleet's cost line.
pub fn cost_summary(a: &Assessment) -> String {
    let c = &a.cost;
    format!(
        "Estimated monthly cost ({}, on-demand prices of {}): EB today {}; on ECS ({}) {}; over {} environment{} with a price ({} without).",
        a.prices.terms.currency,
        a.prices.terms.date,
        dollar_range(c.eb.min, c.eb.max),
        a.prices.launch_type,
        dollar_range(c.ecs.min, c.ecs.max),
        c.priced,
        if c.priced == 1 { "" } else { "s" },
        c.unpriced
    )
}

/// How the estimate was computed, for both documents.
pub fn method(a: &Assessment) -> Vec<String> {
    let p = &a.prices;
    vec![
        p.terms.note.clone(),
        format!(
            "EB today: instances (EB's MinSize..MaxSize, 1 for a single instance) x {} h x the on-demand price of the instance type, plus the load balancer.",
            p.terms.hours_per_month
        ),
        format!(
            "ECS: tasks (the service's min..max) x (vCPU x the Fargate vCPU-hour price + GB x the GB-hour price) x {} h, or with --launch-type ec2 one container instance per task; plus an Application Load Balancer when the service has one.",
            p.terms.hours_per_month
        ),
        format!(
            "Load balancers: hourly price plus {} capacity unit (LCU, NLCU, or GB processed by a classic ELB) per hour.",
            p.terms.load_balancer_units_per_hour
        ),
        format!(
            "Prices of {} taken on {} from {}; regions priced: {}. Other regions say \"no price for REGION\".",
            p.terms.currency,
            p.terms.date,
            p.terms.sources.join(", "),
            p.regions.join(", ")
        ),
    ]
}

#[cfg(test)]
mod tests {
    use crate::assess::{assess, Options, Subject};
    use crate::model::LaunchType;

    fn hostile() -> crate::assess::Assessment {
        let subject = Subject {
            application: "app\" onmouseover=\"alert(1)".to_string(),
            environment: "env\u{202e}<img src=x onerror=alert(2)>|`x`".to_string(),
            region: Some("us-east-1".to_string()),
            platform_arn: None,
            platform_status: None,
            inputs: Err("f.json:1:2: bad <b>".to_string()),
        };
        let opts = Options {
            launch_type: LaunchType::Fargate,
            default_region: None,
        };
        assess(&[subject], &opts)
    }

    #[test]
    fn hostile_values_stay_text_in_html_markdown_and_json() {
        let a = hostile();
        let html = super::html::render(&a);
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("\" onmouseover"), "{html}");
        assert!(!html.contains('\u{202e}'));
        assert!(html.contains("\\u{202e}"));
        assert!(!html.contains("<b>"));
        let md = super::markdown::render(&a);
        assert!(
            !md.contains("<img") && !md.contains("<b>") && !md.contains('\u{202e}'),
            "{md}"
        );
        assert!(md.contains("\\|\\`x\\`"), "{md}");
        let json: serde_json::Value =
            serde_json::from_str(&super::render(&a).unwrap()[2].content).unwrap();
        assert_eq!(json["rows"][0]["error"], "f.json:1:2: bad <b>");
        assert_eq!(json["verdicts"]["failed"], 1);
    }

    #[test]
    fn money_is_shown_in_cents() {
        assert_eq!(super::dollars(52.633), "$52.63");
        assert_eq!(super::dollar_range(1.004, 1.0), "$1.00");
        assert_eq!(super::dollar_range(1.0, 2.5), "$1.00..$2.50");
    }
}
