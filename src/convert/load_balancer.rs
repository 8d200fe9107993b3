//! The EB load balancer (elbv2 or classic) as an Application Load Balancer: listeners,
//! listener rules, and the default process's health check, deregistration delay and stickiness.

use super::mapper::{split_list, Mapper, PROCESS};
use super::Ctx;
use crate::codes;
use crate::finding::{Finding, Phase, Severity, Source};
use crate::load::settings::Layer;
use crate::model::{HealthCheck, Listener, ListenerRule, LoadBalancer};
use std::collections::BTreeSet;

/// The TLS policy of an HTTPS listener whose settings name none: TLS 1.2 and 1.3 only.
pub const DEFAULT_SSL_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/// The health check options eb2ecs carries over, as the process namespace names them.
const HEALTH_OPTIONS: [&str; 6] = [
    "HealthCheckPath",
    "HealthCheckInterval",
    "HealthCheckTimeout",
    "HealthyThresholdCount",
    "UnhealthyThresholdCount",
    "MatcherHTTPCode",
];

/// The default process's health check. The application healthcheck URL gives the path only
/// where the process has none; a classic ELB's own health check options win over the process's.
fn health_check(ctx: &mut Ctx, m: &Mapper, classic: bool) -> HealthCheck {
    let mut hc = process_health_check(ctx, m);
    // Which values still come from EB's defaults (reported below).
    let mut defaulted: Vec<&str> = HEALTH_OPTIONS
        .into_iter()
        .filter(|o| {
            m.settings
                .get(PROCESS, o)
                .is_none_or(|s| s.layer == Layer::Default)
        })
        .collect();
    application_healthcheck_url(m, &mut hc, &mut defaulted);
    let tcp = classic && classic_health_check(ctx, m, &mut hc, &mut defaulted);
    // Before any finding quotes the path: a credential in its query is never printed.
    credential_in_path(ctx, m, &mut hc);
    success_codes(ctx, m, &mut hc, &mut defaulted, (classic, tcp));
    if !defaulted.is_empty() {
        report_defaults(ctx, &hc, &defaulted);
    }
    root_path(ctx, m, &hc);
    fit_target_group(ctx, hc)
}

/// The codes that count as healthy, as strict as what EB enforced and no stricter: on ECS a
/// failing check stops the task and rolls the deployment back, while EB's Auto Scaling group
/// (health check type EC2) never replaced an instance for it. A classic load balancer's TCP
/// check (its documented default target, `TCP:80`) took any answer: `200-499`, the widest an
/// ALB accepts. A classic HTTP check wanted `200`. An ALB process without `MatcherHTTPCode`:
/// `200-399`, so an application that answers with a redirect stays healthy.
fn success_codes(
    ctx: &mut Ctx,
    m: &Mapper,
    hc: &mut HealthCheck,
    defaulted: &mut Vec<&str>,
    (classic, tcp): (bool, bool),
) {
    let set = !defaulted.contains(&"MatcherHTTPCode");
    let (codes, why, source) = if tcp {
        let target = m.get("aws:elb:healthcheck", "Target");
        (
            "200-499",
            format!("EB's classic load balancer checked {} (a TCP connection: any answer counted); the target group accepts 200-499, the widest an ALB allows", target.map_or("TCP:80, its default target", |t| t.value.as_str())),
            target.map_or_else(|| Source::new("EB default", "aws:elb:healthcheck:Target"), |t| t.source.clone()),
        )
    } else if classic {
        (
            "200",
            "EB's classic load balancer checked HTTP and counted only 200 as healthy; so does the target group".to_string(),
            Source::new("EB settings", "aws:elb:healthcheck:Target"),
        )
    } else if set {
        return;
    } else {
        (
            "200-399",
            format!("EB's settings set no MatcherHTTPCode for the default process; the target group accepts 200-399, so a redirect from {} (to a login page, to HTTPS) keeps the task healthy", hc.path),
            Source::new("EB default", format!("{PROCESS}:MatcherHTTPCode")),
        )
    };
    hc.matcher = codes.to_string();
    defaulted.retain(|o| *o != "MatcherHTTPCode");
    ctx.push(
        Finding::new(
            codes::HEALTH_CHECK_MATCHER,
            Severity::Info,
            source,
            format!("{why}: on ECS a failing health check stops the task, while EB's Auto Scaling group (health check type EC2) never replaced an instance for it"),
            "Narrow the matcher (the target group's Matcher) once the application has a health endpoint that answers 200.",
        )
        .in_phase(Phase::Verify),
    );
}

/// A health check of `/`, EB's default path, renders the home page (database, sessions) every
/// few seconds, and on ECS its failure stops tasks.
fn root_path(ctx: &mut Ctx, m: &Mapper, hc: &HealthCheck) {
    if hc.path != "/" {
        return;
    }
    ctx.push(
        Finding::new(
            codes::HEALTH_CHECK_ROOT,
            Severity::Warning,
            m.get(PROCESS, "HealthCheckPath").map_or_else(
                || Source::new("EB default", format!("{PROCESS}:HealthCheckPath")),
                |s| s.source.clone(),
            ),
            format!("the target group checks `/`, EB's default path, expecting {}: when the home page is slow or fails (database, sessions, a redirect outside the matcher), ECS stops the task and rolls the deployment back", hc.matcher),
            "Give the application a cheap health endpoint (e.g. /health, no database) and set HealthCheckPath to it, or check that `/` answers within the timeout.",
        )
        .in_phase(Phase::Deploy),
    );
}

fn process_health_check(ctx: &mut Ctx, m: &Mapper) -> HealthCheck {
    HealthCheck {
        path: m.text(PROCESS, "HealthCheckPath").to_string(),
        interval: m.number(ctx, PROCESS, "HealthCheckInterval"),
        timeout: m.number(ctx, PROCESS, "HealthCheckTimeout"),
        healthy: m.number(ctx, PROCESS, "HealthyThresholdCount"),
        unhealthy: m.number(ctx, PROCESS, "UnhealthyThresholdCount"),
        matcher: m.text(PROCESS, "MatcherHTTPCode").to_string(),
    }
}

/// A health check path whose query holds a credential (`/health?token=...`): the load balancer
/// would send it in clear on every check, and it would be printed in the stack, the Terraform
/// module and the checklist. The query is dropped, with a finding naming where the path came
/// from (never the value).
fn credential_in_path(ctx: &mut Ctx, m: &Mapper, hc: &mut HealthCheck) {
    let Some((path, query)) = hc.path.split_once('?') else {
        return;
    };
    let secret = query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or(("", kv));
        crate::detect::secret_reason(k, v).map(|why| (k.to_string(), why))
    });
    let Some((key, why)) = secret else {
        return;
    };
    let path = if path.is_empty() { "/" } else { path }.to_string();
    let source = [
        (PROCESS, "HealthCheckPath"),
        (
            "aws:elasticbeanstalk:application",
            "Application Healthcheck URL",
        ),
        ("aws:elb:healthcheck", "Target"),
    ]
    .iter()
    .find_map(|(ns, o)| m.get(ns, o).map(|s| s.source.clone()))
    .unwrap_or_else(|| Source::new("EB settings", PROCESS));
    ctx.push(Finding::new(
        codes::SECRET_IN_HEALTH_PATH,
        Severity::Warning,
        source,
        format!(
            "the health check path's query parameter `{}` holds a credential ({why}); the target group checks {} without the query, and the value is written nowhere",
            crate::text::escape(&key),
            crate::text::code(&path)
        ),
        "Make the health check endpoint answer without a credential (a load balancer health check sends it in clear to every task); rotate the credential: it was in the EB settings.",
    ));
    hc.path = path;
}

/// `Application Healthcheck URL` (`/path`, or `PROTOCOL:PORT/path`) gives the path when the
/// process does not.
fn application_healthcheck_url(m: &Mapper, hc: &mut HealthCheck, defaulted: &mut Vec<&str>) {
    let Some(url) = m.get(
        "aws:elasticbeanstalk:application",
        "Application Healthcheck URL",
    ) else {
        return;
    };
    let v = url.value.trim();
    let path = v.split_once(':').map_or(v, |(_, rest)| {
        rest.trim_start_matches(|c: char| c.is_ascii_digit())
    });
    if !path.is_empty() && defaulted.contains(&"HealthCheckPath") {
        hc.path = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        defaulted.retain(|o| *o != "HealthCheckPath");
    }
}

/// A classic ELB's `aws:elb:healthcheck` options, which EB applied over the process's; whether
/// its check was a TCP (or SSL) connection: the target says so, or none is set and no
/// application health check URL made EB set an HTTP one (`TCP:80` is the documented default).
fn classic_health_check(
    ctx: &mut Ctx,
    m: &Mapper,
    hc: &mut HealthCheck,
    defaulted: &mut Vec<&str>,
) -> bool {
    let ns = "aws:elb:healthcheck";
    let tcp = match m.value(ns, "Target") {
        Some(t) => {
            let proto = t.split(':').next().unwrap_or("").trim();
            proto.eq_ignore_ascii_case("TCP") || proto.eq_ignore_ascii_case("SSL")
        }
        None => defaulted.contains(&"HealthCheckPath"),
    };
    if let Some(target) = m.value(ns, "Target") {
        if let Some((_, rest)) = target.split_once(':') {
            if let Some(i) = rest.find('/') {
                hc.path = rest[i..].to_string();
                defaulted.retain(|o| *o != "HealthCheckPath");
            }
        }
    }
    for (opt, field, name) in [
        ("Interval", &mut hc.interval, "HealthCheckInterval"),
        ("Timeout", &mut hc.timeout, "HealthCheckTimeout"),
        ("HealthyThreshold", &mut hc.healthy, "HealthyThresholdCount"),
        (
            "UnhealthyThreshold",
            &mut hc.unhealthy,
            "UnhealthyThresholdCount",
        ),
    ] {
        if m.get(ns, opt).is_some() {
            *field = m.number_or(ctx, ns, opt, *field);
            defaulted.retain(|o| *o != name);
        }
    }
    tcp
}

/// EB's health check defaults are not the ALB's, so relying on them is worth a look.
fn report_defaults(ctx: &mut Ctx, hc: &HealthCheck, defaulted: &[&str]) {
    let shown: Vec<String> = defaulted
        .iter()
        .map(|o| {
            let v = match *o {
                "HealthCheckPath" => hc.path.clone(),
                "HealthCheckInterval" => hc.interval.to_string(),
                "HealthCheckTimeout" => hc.timeout.to_string(),
                "HealthyThresholdCount" => hc.healthy.to_string(),
                "UnhealthyThresholdCount" => hc.unhealthy.to_string(),
                _ => hc.matcher.clone(),
            };
            format!("{o}={v}")
        })
        .collect();
    ctx.push(
        Finding::new(
            codes::EB_DEFAULTS_USED,
            Severity::Info,
            Source::new("EB default", PROCESS),
            format!(
                "no setting for {}; EB's defaults are used for the target group ({}), which differ from the ALB's own defaults",
                if shown.len() == 1 { "this health check option" } else { "these health check options" },
                shown.join(", ")
            ),
            "Check the health check against what the application really serves.",
        )
        .in_phase(Phase::Verify),
    );
}

/// The health check within what a target group accepts.
fn fit_target_group(ctx: &mut Ctx, hc: HealthCheck) -> HealthCheck {
    // ALB limits: interval 5-300, timeout 2-120 and below the interval, thresholds 2-10.
    let clamped = HealthCheck {
        interval: hc.interval.clamp(5, 300),
        timeout: hc.timeout.clamp(2, 120),
        healthy: hc.healthy.clamp(2, 10),
        unhealthy: hc.unhealthy.clamp(2, 10),
        ..hc.clone()
    };
    let clamped = HealthCheck {
        timeout: clamped
            .timeout
            .min(clamped.interval.saturating_sub(1).max(2)),
        ..clamped
    };
    if clamped != hc {
        ctx.push(Finding::new(
            codes::HEALTH_CHECK_ADJUSTED,
            Severity::Warning,
            Source::new("EB settings", PROCESS),
            format!(
                "the health check (interval {}, timeout {}, healthy {}, unhealthy {}) is outside what a target group accepts; used interval {}, timeout {}, healthy {}, unhealthy {}",
                hc.interval, hc.timeout, hc.healthy, hc.unhealthy, clamped.interval, clamped.timeout, clamped.healthy, clamped.unhealthy
            ),
            "Check the health check settings in cloudformation.yaml.",
        ));
    }
    clamped
}

/// The load balancer the service gets: listeners, rules, target group health check and attributes.
pub fn load_balancer(ctx: &mut Ctx, m: &Mapper, classic: bool) -> LoadBalancer {
    let health_check = health_check(ctx, m, classic);
    let internal = m
        .value("aws:ec2:vpc", "ELBScheme")
        .is_some_and(|s| s.eq_ignore_ascii_case("internal"));
    let mut listeners: Vec<Listener> = Vec::new();
    if classic {
        classic_listeners(ctx, m, &mut listeners);
    } else {
        elbv2_listeners(ctx, m, &mut listeners);
    }
    if listeners.is_empty() {
        listeners.push(Listener {
            port: 80,
            protocol: "HTTP".to_string(),
            certificates: Vec::new(),
            ssl_policy: None,
        });
    }
    let listeners = finish_listeners(ctx, listeners);
    let has_https = listeners.iter().any(|l| l.protocol == "HTTPS");
    let rules = listener_rules(ctx, m);
    let deregistration_delay = if classic {
        let drain = m
            .flag("aws:elb:policies", "ConnectionDrainingEnabled")
            .unwrap_or(false);
        let t = m.number_or(ctx, "aws:elb:policies", "ConnectionDrainingTimeout", 20);
        if drain {
            t
        } else {
            m.number(ctx, PROCESS, "DeregistrationTimeout")
        }
    } else {
        m.number(ctx, PROCESS, "DeregistrationTimeout")
    };
    let stickiness = if m.flag(PROCESS, "StickinessEnabled").unwrap_or(false) {
        Some(
            m.number(ctx, PROCESS, "StickinessLBCookieDuration")
                .clamp(1, 604_800),
        )
    } else {
        m.get(PROCESS, "StickinessLBCookieDuration");
        None
    };
    m.get(PROCESS, "StickinessType");
    m.get(PROCESS, "Port");
    m.get(PROCESS, "Protocol");
    let idle_timeout = m
        .number(ctx, "aws:elbv2:loadbalancer", "IdleTimeout")
        .clamp(1, 4000);
    LoadBalancer {
        internal,
        listeners,
        rules,
        health_check,
        deregistration_delay: deregistration_delay.min(3600),
        stickiness,
        idle_timeout,
        https_redirect: ctx.redirect_http && has_https,
    }
}

/// The listeners as the stack has them: one per port (the first setting wins), sorted, HTTPS
/// ones with a TLS policy, and the findings for what eb2ecs decided on its own.
fn finish_listeners(ctx: &mut Ctx, listeners: Vec<Listener>) -> Vec<Listener> {
    let mut out: Vec<Listener> = Vec::new();
    for l in listeners {
        if out.iter().any(|o| o.port == l.port) {
            ctx.push(Finding::new(
                codes::LISTENER_DUPLICATE,
                Severity::Warning,
                Source::new("EB settings", format!("listener {}", l.port)),
                format!("two listener settings for port {}; the stack has one listener per port and keeps the first (the port's own namespace)", l.port),
                "Check the listener on that port in cloudformation.yaml.",
            ));
            continue;
        }
        out.push(l);
    }
    out.sort_by_key(|l| l.port);
    for l in out.iter_mut().filter(|l| l.protocol == "HTTPS") {
        if l.ssl_policy.is_none() {
            ctx.push(Finding::new(
                codes::SSL_POLICY_DEFAULT,
                Severity::Warning,
                Source::new("eb2ecs default", format!("listener {}", l.port)),
                format!("HTTPS listener {} has no SSL policy in the settings; eb2ecs chose {DEFAULT_SSL_POLICY} (TLS 1.2 and 1.3 only), so clients limited to TLS 1.0/1.1 can no longer connect", l.port),
                "Keep it if every client speaks TLS 1.2, or set the listener's SslPolicy in cloudformation.yaml to the policy EB used (e.g. ELBSecurityPolicy-2016-08).",
            ));
            l.ssl_policy = Some(DEFAULT_SSL_POLICY.to_string());
        }
    }
    redirect_finding(ctx, &out);
    out
}

/// With an HTTPS listener, what the HTTP listeners do by default: forward to the application as
/// EB's did, the redirect to HTTPS a stack parameter (`RedirectHttpToHttps`); or, with
/// `--redirect-http`, redirect (plain-HTTP POSTs and webhooks break). Returns whether they
/// redirect ([`LoadBalancer::https_redirect`]).
pub(super) fn redirect_finding(ctx: &mut Ctx, listeners: &[Listener]) -> bool {
    let Some(https) = listeners.iter().find(|l| l.protocol == "HTTPS") else {
        return false;
    };
    let redirect = ctx.redirect_http;
    for l in listeners.iter().filter(|l| l.protocol == "HTTP") {
        let f = if redirect {
            Finding::new(
                codes::HTTP_REDIRECTED,
                Severity::Warning,
                Source::new("command line", "--redirect-http"),
                format!("HTTP listener {} answers every request with a 301 redirect to HTTPS port {} (EB forwarded it to the application): POSTs, webhooks and API clients on http:// break, since a redirect turns a POST into a GET or is not followed", l.port, https.port),
                "Move such clients to https:// before the cut-over, or set the stack parameter RedirectHttpToHttps to false (Terraform redirect_http_to_https).",
            )
        } else {
            Finding::new(
                codes::HTTP_FORWARDED,
                Severity::Info,
                Source::new("EB settings", format!("listener {}", l.port)),
                format!("HTTP listener {} forwards to the application as EB's did (the HTTPS listener is on port {}); the stack parameter RedirectHttpToHttps (Terraform redirect_http_to_https, default false) turns it into a 301 redirect to HTTPS", l.port, https.port),
                "Set RedirectHttpToHttps to true once no client needs plain HTTP (or convert with --redirect-http).",
            )
        };
        ctx.push(f.in_phase(Phase::CutOver));
    }
    redirect
}

fn elbv2_listeners(ctx: &mut Ctx, m: &Mapper, out: &mut Vec<Listener>) {
    let mut namespaces: BTreeSet<String> = m
        .settings
        .options
        .keys()
        .filter(|(ns, _)| ns.starts_with("aws:elbv2:listener:"))
        .map(|(ns, _)| ns.clone())
        .collect();
    namespaces.insert("aws:elbv2:listener:default".to_string());
    for ns in namespaces {
        let suffix = ns.trim_start_matches("aws:elbv2:listener:");
        let port: u16 = if suffix == "default" {
            80
        } else {
            match suffix.parse() {
                Ok(p) => p,
                Err(_) => continue,
            }
        };
        if m.flag(&ns, "ListenerEnabled") == Some(false)
            || (suffix == "default" && implicit_default_taken(m, &ns, port, out))
        {
            continue;
        }
        let protocol = m
            .value(&ns, "Protocol")
            .unwrap_or("HTTP")
            .to_ascii_uppercase();
        let certificates = m
            .value(&ns, "SSLCertificateArns")
            .map(split_list)
            .unwrap_or_default();
        let ssl_policy = m.value(&ns, "SSLPolicy").map(str::to_string);
        if let Some(p) = m.value(&ns, "DefaultProcess").filter(|p| *p != "default") {
            ctx.push(Finding::new(
                codes::LISTENER_PROCESS,
                Severity::Warning,
                m.get(&ns, "DefaultProcess").map_or_else(|| Source::new("", ""), |s| s.source.clone()),
                format!("listener {port} sent traffic to EB process `{p}`; the stack has one target group (the default process)"),
                "Add a target group for that process by hand if it served something else.",
            ));
        }
        m.get(&ns, "Rules");
        if protocol == "HTTPS" && certificates.is_empty() {
            ctx.push(Finding::new(
                codes::LISTENER_NO_CERTIFICATE,
                Severity::Warning,
                Source::new("EB settings", ns.clone()),
                format!("HTTPS listener {port} has no certificate in the settings; the stack takes it as the CertificateArn parameter"),
                "Pass the ACM certificate ARN as CertificateArn when deploying.",
            ));
        }
        out.push(Listener {
            port,
            protocol,
            certificates,
            ssl_policy,
        });
    }
}

/// Whether the default listener namespace, with no option of its own set, is only EB's implicit
/// port-80 listener that a port namespace already gives.
fn implicit_default_taken(m: &Mapper, ns: &str, port: u16, out: &[Listener]) -> bool {
    out.iter().any(|l| l.port == port) && !m.settings.options.keys().any(|(n, _)| n == ns)
}

/// Classic ELB listeners as ALB listeners: one per `aws:elb:listener[:PORT]` namespace, plus the
/// legacy `aws:elb:loadbalancer` ports.
fn classic_listeners(ctx: &mut Ctx, m: &Mapper, out: &mut Vec<Listener>) {
    let mut namespaces: BTreeSet<String> = m
        .settings
        .options
        .keys()
        .filter(|(ns, _)| ns == "aws:elb:listener" || ns.starts_with("aws:elb:listener:"))
        .map(|(ns, _)| ns.clone())
        .collect();
    // The port namespaces first: `aws:elb:listener:80` wins over the default `aws:elb:listener`.
    namespaces.remove("aws:elb:listener");
    for ns in namespaces
        .iter()
        .map(String::as_str)
        .chain(["aws:elb:listener"])
    {
        if let Some(listener) = classic_listener(ctx, m, ns) {
            if ns == "aws:elb:listener" && implicit_default_taken(m, ns, listener.port, out) {
                continue;
            }
            out.push(listener);
        }
    }
    legacy_classic_ports(m, out);
    ctx.push(Finding::new(
        codes::CLASSIC_ELB,
        Severity::Info,
        Source::new("EB settings", "aws:elb:*"),
        "classic ELB listeners and health check were read into an Application Load Balancer: cross-zone balancing is always on, connection draining becomes the target group's deregistration delay",
        "Check the listeners in cloudformation.yaml; the ALB has a new DNS name.",
    ));
}

/// One classic listener namespace; `None` when it is disabled or its port is not a number.
fn classic_listener(ctx: &mut Ctx, m: &Mapper, ns: &str) -> Option<Listener> {
    let port: u16 = match ns.strip_prefix("aws:elb:listener:") {
        None => 80,
        Some(p) => p.parse().ok()?,
    };
    if m.flag(ns, "ListenerEnabled") == Some(false) {
        return None;
    }
    let proto = m
        .value(ns, "ListenerProtocol")
        .unwrap_or("HTTP")
        .to_ascii_uppercase();
    m.get(ns, "InstancePort");
    m.get(ns, "InstanceProtocol");
    m.get(ns, "PolicyNames");
    let protocol = match proto.as_str() {
        "HTTPS" | "SSL" => "HTTPS",
        _ => "HTTP",
    }
    .to_string();
    if proto == "TCP" || proto == "SSL" {
        ctx.push(Finding::new(
            codes::LISTENER_PROTOCOL_CHANGED,
            Severity::Warning,
            Source::new("EB settings", format!("{ns}:ListenerProtocol")),
            format!("classic listener {port} used {proto}; an Application Load Balancer listener speaks {protocol}"),
            "Check that clients speak HTTP(S) on this port; otherwise put a Network Load Balancer in front by hand.",
        ));
    }
    let certificates = m
        .value(ns, "SSLCertificateId")
        .map(split_list)
        .unwrap_or_default();
    Some(Listener {
        port,
        protocol,
        certificates,
        ssl_policy: None,
    })
}

/// `aws:elb:loadbalancer`'s HTTPS certificate and HTTP port, from before EB had listener
/// namespaces; a listener namespace on the same port wins.
fn legacy_classic_ports(m: &Mapper, out: &mut Vec<Listener>) {
    let lb = "aws:elb:loadbalancer";
    if let Some(cert) = m.value(lb, "SSLCertificateId") {
        let port = m
            .value(lb, "LoadBalancerHTTPSPort")
            .and_then(|p| p.parse().ok())
            .unwrap_or(443);
        if !out.iter().any(|l| l.port == port) {
            out.push(Listener {
                port,
                protocol: "HTTPS".into(),
                certificates: vec![cert.to_string()],
                ssl_policy: None,
            });
        }
    }
    if let Some(p) = m
        .value(lb, "LoadBalancerHTTPPort")
        .and_then(|p| p.parse::<u16>().ok())
    {
        if p != 80 {
            out.retain(|l| l.port != 80);
            out.push(Listener {
                port: p,
                protocol: "HTTP".into(),
                certificates: Vec::new(),
                ssl_policy: None,
            });
        }
    }
    m.get(lb, "LoadBalancerPortProtocol");
    m.get(lb, "LoadBalancerHTTPSPort");
    m.get(lb, "CrossZone");
    m.get("aws:elb:policies", "ConnectionSettingIdleTimeout");
}

fn listener_rules(ctx: &mut Ctx, m: &Mapper) -> Vec<ListenerRule> {
    let namespaces: BTreeSet<String> = m
        .settings
        .options
        .keys()
        .filter(|(ns, _)| ns.starts_with("aws:elbv2:listenerrule:"))
        .map(|(ns, _)| ns.clone())
        .collect();
    let mut rules = Vec::new();
    for ns in namespaces {
        let name = ns.trim_start_matches("aws:elbv2:listenerrule:").to_string();
        let host_headers = m
            .value(&ns, "HostHeaders")
            .map(split_list)
            .unwrap_or_default();
        let path_patterns = m
            .value(&ns, "PathPatterns")
            .map(split_list)
            .unwrap_or_default();
        let priority = m.number_or(ctx, &ns, "Priority", 1).clamp(1, 50000);
        if let Some(p) = m.value(&ns, "Process").filter(|p| *p != "default") {
            ctx.push(Finding::new(
                codes::LISTENER_RULE_PROCESS,
                Severity::Warning,
                Source::new("EB settings", format!("{ns}:Process")),
                format!("listener rule `{name}` sent traffic to EB process `{p}`; in the stack it forwards to the one target group"),
                "Add a target group (and maybe a service) for that process by hand.",
            ));
        }
        if host_headers.is_empty() && path_patterns.is_empty() {
            continue;
        }
        rules.push(ListenerRule {
            name,
            priority,
            host_headers,
            path_patterns,
        });
    }
    rules
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::tests_support::{ctx, settings};
    use crate::model::LaunchType;

    /// Issue 25 item 4: the matcher is no stricter than what EB enforced, and `/` is flagged.
    #[test]
    fn health_check_matcher_follows_what_eb_enforced() {
        // A classic load balancer with no target: EB's default TCP:80 took any answer.
        let s = settings(&[(
            "aws:elasticbeanstalk:environment",
            "LoadBalancerType",
            "classic",
        )]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        let hc = load_balancer(&mut c, &m, true).health_check;
        assert_eq!((hc.path.as_str(), hc.matcher.as_str()), ("/", "200-499"));
        let codes: Vec<&str> = c.findings.iter().map(|f| f.code.as_str()).collect();
        assert!(
            codes.contains(&"HEALTH-CHECK-MATCHER") && codes.contains(&"HEALTH-CHECK-ROOT"),
            "{codes:?}"
        );
        // A classic HTTP target: only 200.
        let s = settings(&[("aws:elb:healthcheck", "Target", "HTTP:80/health")]);
        let m = Mapper::new(&s);
        let hc = load_balancer(&mut ctx(LaunchType::Fargate), &m, true).health_check;
        assert_eq!((hc.path.as_str(), hc.matcher.as_str()), ("/health", "200"));
        // An ALB process without MatcherHTTPCode: 200-399; with one: kept.
        let s = settings(&[(PROCESS, "HealthCheckPath", "/up")]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        let hc = load_balancer(&mut c, &m, false).health_check;
        assert_eq!(hc.matcher, "200-399");
        assert!(!c.findings.iter().any(|f| f.code == "HEALTH-CHECK-ROOT"));
        let s = settings(&[(PROCESS, "MatcherHTTPCode", "200,204")]);
        let m = Mapper::new(&s);
        let hc = load_balancer(&mut ctx(LaunchType::Fargate), &m, false).health_check;
        assert_eq!(hc.matcher, "200,204");
    }

    /// Issue 25 item 16: HTTP forwards as EB's did unless asked (or EB redirected).
    #[test]
    fn http_listener_forwards_unless_asked_to_redirect() {
        let s = settings(&[
            ("aws:elbv2:listener:443", "Protocol", "HTTPS"),
            (
                "aws:elbv2:listener:443",
                "SSLCertificateArns",
                "arn:aws:acm:eu-west-1:123456789012:certificate/x",
            ),
        ]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        let lb = load_balancer(&mut c, &m, false);
        assert!(!lb.https_redirect);
        assert!(c.findings.iter().any(|f| f.code == "HTTP-FORWARDED"));
        assert!(!c.findings.iter().any(|f| f.code == "HTTP-REDIRECTED"));
        let mut c = ctx(LaunchType::Fargate);
        c.redirect_http = true;
        let lb = load_balancer(&mut c, &m, false);
        assert!(lb.https_redirect);
        assert!(c.findings.iter().any(|f| f.code == "HTTP-REDIRECTED"));
    }

    #[test]
    fn https_listener_and_health_check_from_settings() {
        let s = settings(&[
            ("aws:elbv2:listener:443", "Protocol", "HTTPS"),
            (
                "aws:elbv2:listener:443",
                "SSLCertificateArns",
                "arn:aws:acm:eu-west-1:1:certificate/x",
            ),
            (PROCESS, "HealthCheckPath", "/health"),
            (PROCESS, "HealthCheckInterval", "30"),
        ]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        let lb = load_balancer(&mut c, &m, false);
        assert_eq!(
            lb.listeners.iter().map(|l| l.port).collect::<Vec<_>>(),
            vec![80, 443]
        );
        assert_eq!(lb.listeners[1].certificates.len(), 1);
        assert_eq!(lb.health_check.path, "/health");
        assert_eq!(lb.health_check.interval, 30);
        assert_eq!(lb.health_check.unhealthy, 5);
        // No SSLPolicy in the settings: eb2ecs chose one and says so; port 80 forwards as EB's
        // did (the redirect is a stack parameter).
        assert_eq!(
            lb.listeners[1].ssl_policy.as_deref(),
            Some(DEFAULT_SSL_POLICY)
        );
        let codes: Vec<&str> = c.findings.iter().map(|f| f.code.as_str()).collect();
        assert!(codes.contains(&"SSL-POLICY-DEFAULT"), "{codes:?}");
        assert!(codes.contains(&"HTTP-FORWARDED"), "{codes:?}");
        assert!(!lb.https_redirect);
    }

    #[test]
    fn ssl_policy_from_the_settings_is_no_finding() {
        let s = settings(&[
            ("aws:elbv2:listener:443", "Protocol", "HTTPS"),
            (
                "aws:elbv2:listener:443",
                "SSLPolicy",
                "ELBSecurityPolicy-2016-08",
            ),
        ]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        let lb = load_balancer(&mut c, &m, false);
        assert_eq!(
            lb.listeners[1].ssl_policy.as_deref(),
            Some("ELBSecurityPolicy-2016-08")
        );
        assert!(!c.findings.iter().any(|f| f.code == "SSL-POLICY-DEFAULT"));
    }

    #[test]
    fn classic_tcp_and_ssl_listeners_one_per_port() {
        let s = settings(&[
            ("aws:elb:listener:80", "ListenerProtocol", "TCP"),
            ("aws:elb:listener:443", "ListenerProtocol", "SSL"),
            (
                "aws:elb:listener:443",
                "SSLCertificateId",
                "arn:aws:acm:eu-west-1:1:certificate/x",
            ),
        ]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        let lb = load_balancer(&mut c, &m, true);
        let got: Vec<(u16, &str)> = lb
            .listeners
            .iter()
            .map(|l| (l.port, l.protocol.as_str()))
            .collect();
        assert_eq!(got, vec![(80, "HTTP"), (443, "HTTPS")]);
        let count = |code: &str| c.findings.iter().filter(|f| f.code == code).count();
        assert_eq!(count("LISTENER-PROTOCOL-CHANGED"), 2);
        assert_eq!(count("LISTENER-DUPLICATE"), 0);
        assert_eq!(count("HTTP-FORWARDED"), 1);
    }

    #[test]
    fn duplicate_ports_keep_the_first_with_a_finding() {
        let s = settings(&[
            ("aws:elbv2:listener:80", "Protocol", "HTTP"),
            ("aws:elbv2:listener:default", "Protocol", "HTTPS"),
        ]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        let lb = load_balancer(&mut c, &m, false);
        assert_eq!(lb.listeners.len(), 1);
        assert_eq!(lb.listeners[0].protocol, "HTTP");
        assert!(c.findings.iter().any(|f| f.code == "LISTENER-DUPLICATE"));
    }
}
