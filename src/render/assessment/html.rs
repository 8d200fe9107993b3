//! `assessment.html`: one self-contained page (inline CSS, inline SVG bar charts drawn here, a
//! small inline script that sorts the table; no network). Without JavaScript it reads the same,
//! in the default order. Every value is HTML-escaped with handlebars' escape (the one the
//! templates use), after control characters are made visible.
//!
//! Sorting: click a column header, or open the page with `#sort=KEY` / `#sort=KEY-desc` (the
//! browser test's hook); the table's `data-sorted` attribute then says `KEY:asc|desc`.

use super::markdown::{
    by_code_text, cost_texts, instances_text, lifecycle_text, top_blockers_text,
};
use super::{cost_summary, dollars, method, summary};
use crate::assess::readiness::Verdict;
use crate::assess::{Assessment, Row};
use std::fmt::Write;

/// Text from the inputs, safe in HTML text and attribute values.
fn e(s: &str) -> String {
    handlebars::html_escape(&crate::text::escape(s))
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem;color:#1b1f23}\
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}\
table{border-collapse:collapse;font-size:.85rem}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}\
th{background:#f6f8fa;cursor:pointer;white-space:nowrap}th[aria-sort=ascending]::after{content:' \\25B2'}th[aria-sort=descending]::after{content:' \\25BC'}\
td.num{text-align:right}td.verdict-ready{color:#1a7f37}td.verdict-needs-work{color:#9a6700}td.verdict-blocked{color:#cf222e;font-weight:600}tr.verdict-failed td{color:#6e7781;font-style:italic}\
.wide{overflow-x:auto}\
.bar-blocker{fill:#cf222e}.bar-eb{fill:#8c959f}.bar-ecs{fill:#0969da}svg text{font-size:12px;fill:#1b1f23}\
.note{color:#57606a;font-size:.9rem}";

const SCRIPT: &str = "(function(){var t=document.getElementById('environments');if(!t)return;\
var ths=t.tHead.rows[0].cells;\
function sort(key,desc){var idx=-1,num=false;for(var i=0;i<ths.length;i++){if(ths[i].getAttribute('data-key')===key){idx=i;num=ths[i].getAttribute('data-type')==='number';}}\
if(idx<0)return;var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows);\
rows.sort(function(a,b){var x=a.cells[idx].getAttribute('data-sort'),y=b.cells[idx].getAttribute('data-sort');\
var c=num?(parseFloat(x)-parseFloat(y)):(x<y?-1:(x>y?1:0));return desc?-c:c;});\
rows.forEach(function(r){body.appendChild(r);});t.setAttribute('data-sorted',key+':'+(desc?'desc':'asc'));\
for(var j=0;j<ths.length;j++){ths[j].setAttribute('aria-sort',j===idx?(desc?'descending':'ascending'):'none');}}\
for(var i=0;i<ths.length;i++){(function(th){th.tabIndex=0;var go=function(){var k=th.getAttribute('data-key');sort(k,t.getAttribute('data-sorted')===k+':asc');};\
th.addEventListener('click',go);th.addEventListener('keydown',function(ev){if(ev.key==='Enter')go();});})(ths[i]);}\
var m=/^#sort=([a-z-]+?)(-desc)?$/.exec(location.hash);if(m)sort(m[1],!!m[2]);})();";

/// The columns: key (for `#sort=`), heading, numeric.
const COLUMNS: &[(&str, &str, bool)] = &[
    ("application", "Application", false),
    ("environment", "Environment", false),
    ("verdict", "Verdict", true),
    ("blockers", "Blockers", true),
    ("warnings", "Warnings", true),
    ("info", "Info", true),
    ("top-blockers", "Top blockers", false),
    ("region", "Region", false),
    ("tier", "Tier", false),
    ("platform", "Platform", false),
    ("lifecycle", "Lifecycle", false),
    ("instances", "EB instances", false),
    ("load-balancer", "Load balancer", false),
    ("converts-to", "Converts to", false),
    ("eb-cost", "EB $/month", true),
    ("ecs-cost", "ECS $/month", true),
];

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Ready => "ready",
        Verdict::NeedsWork => "needs-work",
        Verdict::Blocked => "blocked",
        Verdict::Failed => "failed",
    }
}

/// One cell: shown text and the value it sorts by.
fn td(out: &mut String, text: &str, sort: &str, class: &str) {
    let _ = write!(
        out,
        "<td{} data-sort=\"{}\">{}</td>",
        if class.is_empty() {
            String::new()
        } else {
            format!(" class=\"{class}\"")
        },
        e(sort),
        e(text)
    );
}

fn row(out: &mut String, r: &Row) {
    let dash = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".to_string());
    let (eb, ecs) = cost_texts(r);
    let money = |f: fn(&crate::assess::cost::Estimate) -> f64| {
        r.cost
            .as_ref()
            .map_or("-1".to_string(), |c| format!("{:.2}", f(c)))
    };
    let vclass = verdict_class(r.verdict);
    let _ = write!(out, "<tr class=\"env verdict-{vclass}\">");
    td(out, &r.application, &r.application, "");
    td(out, &r.environment, &r.environment, "");
    let rank = (r.verdict as u8).to_string();
    td(out, r.verdict.as_str(), &rank, &format!("verdict-{vclass}"));
    for n in [r.findings.blocker, r.findings.warning, r.findings.info] {
        td(out, &n.to_string(), &n.to_string(), "num");
    }
    td(out, &top_blockers_text(r), &top_blockers_text(r), "");
    td(out, &dash(&r.region), &dash(&r.region), "");
    td(out, &dash(&r.tier), &dash(&r.tier), "");
    td(out, &dash(&r.platform), &dash(&r.platform), "");
    td(out, &lifecycle_text(r), &lifecycle_text(r), "");
    td(out, &instances_text(r), &instances_text(r), "");
    td(out, &dash(&r.load_balancer), &dash(&r.load_balancer), "");
    let converts = r
        .converts_to
        .clone()
        .or(r.error.clone())
        .unwrap_or_default();
    td(out, &converts, &converts, "");
    td(out, &eb, &money(|c| c.eb.max), "num");
    td(out, &ecs, &money(|c| c.ecs.max), "num");
    out.push_str("</tr>\n");
}

fn table(out: &mut String, a: &Assessment) {
    out.push_str("<div class=\"wide\">\n<table id=\"environments\" data-sorted=\"\">\n<thead><tr>");
    for (key, heading, num) in COLUMNS {
        let _ = write!(
            out,
            "<th data-key=\"{key}\" data-type=\"{}\" aria-sort=\"none\" scope=\"col\">{}</th>",
            if *num { "number" } else { "text" },
            e(heading)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in &a.rows {
        row(out, r);
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
}

/// A horizontal bar chart as inline SVG: one bar per `(label, value, class)`, the value
/// written after the bar by `show`.
pub fn bar_chart(
    id: &str,
    title: &str,
    bars: &[(String, f64, &str)],
    show: impl Fn(f64) -> String,
) -> String {
    const LABEL: f64 = 220.0;
    const WIDTH: f64 = 360.0;
    const STEP: f64 = 24.0;
    let height = STEP * bars.len().max(1) as f64 + 8.0;
    let most = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max);
    let mut out = format!(
        "<svg id=\"{id}\" role=\"img\" aria-label=\"{}\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>\n",
        e(title),
        LABEL + WIDTH + 120.0,
        LABEL + WIDTH + 120.0,
        e(title)
    );
    for (i, (label, value, class)) in bars.iter().enumerate() {
        let y = STEP * i as f64 + 4.0;
        let w = if most > 0.0 {
            value / most * WIDTH
        } else {
            0.0
        }
        .max(1.0);
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect class=\"bar {class}\" x=\"{LABEL}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\"><title>{}: {}</title></rect><text x=\"{:.1}\" y=\"{}\">{}</text>",
            LABEL - 8.0,
            y + 14.0,
            e(label),
            STEP - 6.0,
            e(label),
            e(&show(*value)),
            LABEL + w + 6.0,
            y + 14.0,
            e(&show(*value))
        );
    }
    out.push_str("</svg>\n");
    out
}

fn charts(out: &mut String, a: &Assessment) {
    out.push_str("<h2 id=\"blockers\">Blockers by code</h2>\n");
    if a.blockers_by_code.is_empty() {
        out.push_str("<p>No blockers.</p>\n");
    } else {
        let bars: Vec<(String, f64, &str)> = a
            .blockers_by_code
            .iter()
            .map(|c| (c.code.to_string(), c.count as f64, "bar-blocker"))
            .collect();
        out.push_str(&bar_chart(
            "blockers-chart",
            "Blocker findings by code",
            &bars,
            |v| format!("{v}"),
        ));
    }
    out.push_str("<h2 id=\"cost\">Monthly cost, before and after</h2>\n");
    let c = &a.cost;
    let bars = vec![
        ("EB today, fewest instances".to_string(), c.eb.min, "bar-eb"),
        ("EB today, most instances".to_string(), c.eb.max, "bar-eb"),
        ("ECS, fewest tasks".to_string(), c.ecs.min, "bar-ecs"),
        ("ECS, most tasks".to_string(), c.ecs.max, "bar-ecs"),
    ];
    out.push_str(&bar_chart(
        "cost-chart",
        "Estimated monthly cost, EB against ECS",
        &bars,
        dollars,
    ));
    let _ = writeln!(out, "<p class=\"note\">{}</p>", e(&cost_summary(a)));
}

fn notes(out: &mut String, a: &Assessment) {
    let failed: Vec<&Row> = a.rows.iter().filter(|r| r.error.is_some()).collect();
    if !failed.is_empty() {
        out.push_str("<h2 id=\"failed\">Could not assess</h2>\n<ul>\n");
        for r in failed {
            let _ = writeln!(
                out,
                "<li>{} / {}: <code>{}</code></li>",
                e(&r.application),
                e(&r.environment),
                e(r.error.as_deref().unwrap_or_default())
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<h2 id=\"findings\">Findings by environment</h2>\n<ul>\n");
    for r in a.rows.iter().filter(|r| r.error.is_none()) {
        let _ = writeln!(
            out,
            "<li>{} / {}: {}</li>",
            e(&r.application),
            e(&r.environment),
            e(&by_code_text(r))
        );
    }
    out.push_str("</ul>\n");
    out.push_str("<h2 id=\"method\">How the cost was estimated</h2>\n<ul>\n");
    for line in method(a) {
        let _ = writeln!(out, "<li>{}</li>", e(&line));
    }
    out.push_str("</ul>\n");
}

/// The whole page.
pub fn render(a: &Assessment) -> String {
    let mut out = String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>EB to ECS assessment</title>\n");
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    out.push_str("<h1>EB to ECS assessment</h1>\n");
    let _ = writeln!(out, "<p id=\"summary\">{}</p>", e(&summary(a)));
    out.push_str("<h2 id=\"environments-heading\">Environments</h2>\n<p class=\"note\">Click a heading to sort.</p>\n");
    table(&mut out, a);
    charts(&mut out, a);
    notes(&mut out, a);
    let _ = writeln!(out, "<script>{SCRIPT}</script>\n</body>\n</html>");
    out
}
