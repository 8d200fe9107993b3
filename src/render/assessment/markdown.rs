//! `assessment.md`: the summary, one table row per environment, blockers by code, what could
//! not be assessed and how the cost was estimated. Every value from the inputs is made safe for
//! a table cell (controls escaped, HTML escaped, pipes escaped).

use super::{cost_summary, dollar_range, method, summary};
use crate::assess::{Assessment, Row};
use std::fmt::Write;

/// Text from the inputs as one Markdown table cell or list item: control characters made
/// visible ([`crate::text::escape`]), no raw HTML (`&`, `<`, `>` as entities), and no table,
/// link or code syntax (`|`, `[`, `]`, a backtick escaped with a backslash). CommonMark has no
/// escaping crate among the dependencies; these are the characters that change a cell.
pub fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in crate::text::escape(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' | '[' | ']' | '`' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn opt(s: &Option<String>) -> String {
    s.as_deref().map(cell).unwrap_or_else(|| "-".to_string())
}

/// The row's platform lifecycle, e.g. `Retiring 2026-06-30`.
pub fn lifecycle_text(r: &Row) -> String {
    match &r.lifecycle {
        Some(l) => match &l.date {
            Some(d) => format!("{} {d}", l.status),
            None => l.status.clone(),
        },
        None => "-".to_string(),
    }
}

/// The row's instances, e.g. `2..5 x t3.small` (`(default)` when assumed).
pub fn instances_text(r: &Row) -> String {
    match (&r.instances, &r.instance_type) {
        (Some(c), Some(t)) => format!(
            "{}..{} x {t}{}",
            c.min,
            c.max,
            if r.instance_type_assumed {
                " (EB default)"
            } else {
                ""
            }
        ),
        _ => "-".to_string(),
    }
}

/// The row's top blockers, e.g. `SECRET-MOVED x2, LINK-REMOVED`.
pub fn top_blockers_text(r: &Row) -> String {
    let parts: Vec<String> = r
        .top_blockers
        .iter()
        .map(|c| {
            if c.count == 1 {
                c.code.to_string()
            } else {
                format!("{} x{}", c.code, c.count)
            }
        })
        .collect();
    if parts.is_empty() {
        "-".to_string()
    } else {
        parts.join(", ")
    }
}

/// The row's EB and ECS cost cells, or why there is none.
pub fn cost_texts(r: &Row) -> (String, String) {
    match (&r.cost, &r.cost_note) {
        (Some(e), _) => (
            dollar_range(e.eb.min, e.eb.max),
            dollar_range(e.ecs.min, e.ecs.max),
        ),
        (None, Some(why)) => (why.clone(), "-".to_string()),
        (None, None) => ("-".to_string(), "-".to_string()),
    }
}

fn table(out: &mut String, a: &Assessment) {
    out.push_str("| Application | Environment | Verdict | Blockers | Warnings | Info | Top blockers | Region | Tier | Platform | Lifecycle | EB instances | Load balancer | Converts to | EB $/month | ECS $/month |\n");
    out.push_str("|---|---|---|---:|---:|---:|---|---|---|---|---|---|---|---|---:|---:|\n");
    for r in &a.rows {
        let (eb, ecs) = cost_texts(r);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&r.application),
            cell(&r.environment),
            r.verdict.as_str(),
            r.findings.blocker,
            r.findings.warning,
            r.findings.info,
            cell(&top_blockers_text(r)),
            opt(&r.region),
            opt(&r.tier),
            opt(&r.platform),
            cell(&lifecycle_text(r)),
            cell(&instances_text(r)),
            opt(&r.load_balancer),
            opt(&r.converts_to),
            cell(&eb),
            cell(&ecs)
        );
    }
}

fn failures(out: &mut String, a: &Assessment) {
    let failed: Vec<&Row> = a.rows.iter().filter(|r| r.error.is_some()).collect();
    if failed.is_empty() {
        return;
    }
    out.push_str("\n## Could not assess\n\n");
    for r in failed {
        let _ = writeln!(
            out,
            "- {} / {}: {}",
            cell(&r.application),
            cell(&r.environment),
            opt(&r.error)
        );
    }
}

fn blockers(out: &mut String, a: &Assessment) {
    out.push_str("\n## Blockers by code\n\n");
    if a.blockers_by_code.is_empty() {
        out.push_str("No blockers.\n");
        return;
    }
    out.push_str("| Code | Findings |\n|---|---:|\n");
    for c in &a.blockers_by_code {
        let _ = writeln!(out, "| {} | {} |", c.code, c.count);
    }
    out.push_str("\nEach code is explained in docs/findings.md (`eb2ecs finding-codes`).\n");
}

/// A row's findings by code, e.g. `SECRET-MOVED (blocker) x2, LINK-REMOVED (warning)`.
pub fn by_code_text(r: &Row) -> String {
    let parts: Vec<String> = r
        .by_code
        .iter()
        .map(|c| match c.count {
            1 => format!("{} ({})", c.code, c.severity),
            n => format!("{} ({}) x{n}", c.code, c.severity),
        })
        .collect();
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join(", ")
    }
}

fn findings_by_environment(out: &mut String, a: &Assessment) {
    out.push_str("\n## Findings by environment\n\n");
    for r in a.rows.iter().filter(|r| r.error.is_none()) {
        let _ = writeln!(
            out,
            "- {} / {}: {}",
            cell(&r.application),
            cell(&r.environment),
            by_code_text(r)
        );
    }
}

fn cost_method(out: &mut String, a: &Assessment) {
    out.push_str("\n## How the cost was estimated\n\n");
    for line in method(a) {
        let _ = writeln!(out, "- {line}");
    }
    out.push('\n');
    for r in a.rows.iter().filter(|r| r.cost.is_some()) {
        let how = r
            .cost
            .as_ref()
            .map(|e| e.how.join("; "))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "- {} / {}: {}",
            cell(&r.application),
            cell(&r.environment),
            cell(&how)
        );
    }
}

/// The whole document.
pub fn render(a: &Assessment) -> String {
    let mut out = String::from("# EB to ECS assessment\n\n");
    let _ = writeln!(out, "{}\n", summary(a));
    let _ = writeln!(out, "{}\n", cost_summary(a));
    out.push_str("## Environments\n\n");
    table(&mut out, a);
    failures(&mut out, a);
    blockers(&mut out, a);
    findings_by_environment(&mut out, a);
    cost_method(&mut out, a);
    out
}
