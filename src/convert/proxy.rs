//! EB's proxy (the nginx or Apache httpd on each instance in front of the application) mapped
//! onto the Application Load Balancer: what the ALB can do is carried (an HTTP-to-HTTPS
//! redirect becomes the listener's, idle timeouts become the ALB's, TLS ended in the container
//! or on the instance becomes an HTTPS listener with the container kept on plain HTTP behind it);
//! what it cannot is a finding with the behaviour lost and its file and line (static files,
//! compression, extra `server`/`location` blocks, custom headers).
//!
//! The configuration comes from `.ebextensions` `files:` under `/etc/nginx/` or `/etc/httpd/`,
//! the project's `.platform/nginx/` and `.platform/httpd/` files (`Inputs.files`), and the
//! `aws:elasticbeanstalk:environment:proxy*` options. nginx has no well-kept Rust parser, so
//! [`scan`] is a small directive scanner (comments, quotes, blocks, line numbers).

use super::load_balancer::{redirect_finding, DEFAULT_SSL_POLICY};
use super::mapper::Mapper;
use super::resources::EbOverrides;
use super::Ctx;
use crate::codes;
use crate::finding::{Finding, Phase, Severity, Source};
use crate::load::dockerrun::Dockerrun;
use crate::load::settings::template::is_proxy_path;
use crate::load::settings::Layer;
use crate::load::Inputs;
use crate::model::{Listener, LoadBalancer};

/// One directive of a proxy configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Its name (`client_max_body_size`, `location`, `server`).
    pub name: String,
    /// Its arguments, quotes removed.
    pub args: Vec<String>,
    /// 1-based line in the configuration text.
    pub line: usize,
    /// The names of the blocks around it, outermost first (`["server", "location"]`).
    pub within: Vec<String>,
}

/// A proxy configuration file: where it came from and its directives.
struct ProxyFile {
    /// The file finding sources name (the `.ebextensions` file, or the `.platform` file).
    file: String,
    /// What to call a line of it (`files./etc/nginx/conf.d/x.conf line`, `line`).
    prefix: String,
    /// Added to a directive's line to give the line in `file`.
    offset: usize,
    directives: Vec<Directive>,
}

/// What the proxy's configuration says, for the load balancer.
#[derive(Debug, Default)]
struct Evidence {
    /// The proxy redirected HTTP to HTTPS (where).
    https_redirect: Option<Source>,
    /// TLS ended in the proxy or the container (where).
    tls: Option<Source>,
    /// The longest proxy timeout in seconds (where).
    timeout: Option<(u32, Source)>,
}

/// Scan nginx (or httpd) configuration text into directives with their lines and blocks.
pub fn scan(text: &str) -> Vec<Directive> {
    let mut out = Vec::new();
    let mut within: Vec<String> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut start = 0;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        for tok in tokens(raw) {
            match tok.as_str() {
                ";" | "{" => {
                    if let Some((name, args)) = words.split_first() {
                        out.push(Directive {
                            name: name.clone(),
                            args: args.to_vec(),
                            line: start,
                            within: within.clone(),
                        });
                        if tok == "{" {
                            within.push(name.clone());
                        }
                    }
                    words.clear();
                }
                "}" => {
                    within.pop();
                    words.clear();
                }
                _ => {
                    if words.is_empty() {
                        start = line;
                    }
                    words.push(tok);
                }
            }
        }
    }
    out
}

/// Scan Apache httpd configuration: one directive a line, `<Tag …>` / `</Tag>` as blocks.
pub fn scan_httpd(text: &str) -> Vec<Directive> {
    let mut out = Vec::new();
    let mut within: Vec<String> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with("</") {
            within.pop();
            continue;
        }
        let opening = line.strip_prefix('<').map(|l| l.trim_end_matches('>'));
        let words: Vec<String> = tokens(opening.unwrap_or(line));
        let Some((name, args)) = words.split_first() else {
            continue;
        };
        out.push(Directive {
            name: name.clone(),
            args: args.to_vec(),
            line: i + 1,
            within: within.clone(),
        });
        if opening.is_some() {
            within.push(name.clone());
        }
    }
    out
}

/// The tokens of one line: words (quotes removed), `;`, `{` and `}`; a `#` starts a comment.
fn tokens(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') => break,
            (None, ';' | '{' | '}') => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                out.push(c.to_string());
            }
            (None, c) if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The proxy configuration files of the project.
fn proxy_files(inputs: &Inputs) -> Vec<ProxyFile> {
    let mut out = Vec::new();
    let parse = |path: &str, text: &str| {
        if path.contains("httpd") {
            scan_httpd(text)
        } else {
            scan(text)
        }
    };
    for d in inputs
        .settings
        .iter()
        .filter(|d| d.layer == Layer::Ebextensions)
    {
        for f in d.files.iter().filter(|f| is_proxy_path(&f.path)) {
            let Some(content) = &f.content else { continue };
            out.push(ProxyFile {
                file: d.file.clone(),
                prefix: format!("files.{} content line", f.path),
                offset: 0,
                directives: parse(&f.path, content),
            });
        }
    }
    let platform = |p: &str| p.starts_with(".platform/nginx/") || p.starts_with(".platform/httpd/");
    for f in inputs
        .files
        .iter()
        .filter(|f| platform(&f.path) && f.path.ends_with(".conf"))
    {
        out.push(ProxyFile {
            file: f.path.clone(),
            prefix: "line".to_string(),
            offset: 0,
            directives: parse(&f.path, &f.text),
        });
    }
    out
}

/// EB's proxy carried onto the load balancer (when the service has one), with a finding for
/// each setting: the load balancer as the service gets it.
pub fn carry(
    ctx: &mut Ctx,
    m: &Mapper,
    inputs: &Inputs,
    run: &Dockerrun,
    lb: Option<LoadBalancer>,
    overrides: &EbOverrides,
) -> Option<LoadBalancer> {
    let mut ev = Evidence::default();
    for f in proxy_files(inputs) {
        directives(ctx, &f, &mut ev);
    }
    static_file_options(ctx, m);
    container_tls(run, &mut ev);
    certificate_files(inputs, &mut ev);
    if ev.tls.is_none() {
        ev.tls.clone_from(&overrides.instance_tls);
    }
    if ev.https_redirect.is_none() {
        ev.https_redirect.clone_from(&overrides.https_redirect);
    }
    let Some(mut lb) = lb else {
        if let Some(at) = ev.https_redirect.take() {
            push(ctx, codes::PROXY_REDIRECT, Severity::Info, at, "EB redirected HTTP to HTTPS; the service has no load balancer, so there is no listener to carry it to".to_string(), "Nothing to do unless the tasks are reached over HTTP directly: then redirect in the application.");
        }
        return None;
    };
    idle_timeout(ctx, m, &mut lb, ev.timeout.take());
    tls_listener(ctx, &mut lb, ev.tls.take());
    eb_redirected(ctx, &mut lb, ev.https_redirect.take());
    Some(lb)
}

/// Each directive of one file: carried as evidence, or a finding.
fn directives(ctx: &mut Ctx, f: &ProxyFile, ev: &mut Evidence) {
    let mut unmapped: Vec<String> = Vec::new();
    let mut servers = 0;
    for d in &f.directives {
        let at = Source::new(
            f.file.clone(),
            format!("{} {}", f.prefix, d.line + f.offset),
        );
        let args = d.args.join(" ");
        match d.name.as_str() {
            "client_max_body_size" | "LimitRequestBody" => push(ctx, codes::PROXY_BODY_SIZE, Severity::Info, at, format!("EB's proxy limited request bodies to {args}; an Application Load Balancer has no body size limit, so larger requests now reach the application"), "Limit the body size in the application if it relied on the proxy's limit."),
            "gzip" if args == "on" => push(ctx, codes::PROXY_GZIP, Severity::Warning, at, "EB's proxy compressed responses (gzip on); an Application Load Balancer does not compress, so responses grow".to_string(), "Compress in the application (e.g. compression middleware, or gzip in the image's own web server) or put CloudFront in front."),
            "proxy_set_header" if d.args.first().is_some_and(|a| a.eq_ignore_ascii_case("upgrade")) => push(ctx, codes::PROXY_WEBSOCKETS, Severity::Info, at, "EB's proxy passed websocket upgrades; an Application Load Balancer supports websockets without configuration".to_string(), "Nothing to do; keep the ALB idle timeout above the websockets' quiet periods."),
            "proxy_read_timeout" | "proxy_send_timeout" | "keepalive_timeout" | "Timeout" | "KeepAliveTimeout" => {
                if let Some(s) = d.args.first().and_then(|a| seconds(a)) {
                    if ev.timeout.as_ref().is_none_or(|(t, _)| s > *t) {
                        ev.timeout = Some((s, at));
                    }
                }
            }
            "return" | "rewrite" | "Redirect" | "RewriteRule" if args.contains("https://") => {
                ev.https_redirect.get_or_insert(at);
            }
            "return" if d.args.first().is_some_and(|c| c.starts_with('3')) => push(ctx, codes::PROXY_REDIRECT, Severity::Warning, at, format!("EB's proxy answered with a redirect (`return {args}`); the load balancer forwards these requests to the application instead"), "Add a listener rule with a redirect action in cloudformation.yaml, or redirect in the application."),
            "rewrite" | "RewriteRule" => push(ctx, codes::PROXY_REDIRECT, Severity::Warning, at, format!("EB's proxy rewrote URLs (`{} {args}`); the load balancer passes them to the application unchanged", d.name), "Rewrite in the application, or as a listener rule with a redirect action in cloudformation.yaml."),
            "listen" if d.args.iter().any(|a| a == "ssl" || a.ends_with("443")) => {
                ev.tls.get_or_insert(at);
            }
            "ssl_certificate" | "SSLCertificateFile" => {
                ev.tls.get_or_insert(at);
            }
            "alias" | "root" if d.within.iter().any(|b| b == "location") => push(ctx, codes::PROXY_STATIC_FILES, Severity::Warning, at, format!("EB's proxy served static files from {args} itself; the load balancer forwards every request to the application"), "Serve these files from the application (or a web server in the image), or from S3/CloudFront."),
            "add_header" | "more_set_headers" | "Header" => push(ctx, codes::PROXY_DIRECTIVE, Severity::Warning, at, format!("EB's proxy added a response header (`{} {args}`); the load balancer does not", d.name), "Set the header in the application."),
            "server" if d.within.iter().all(|b| b != "upstream") => {
                servers += 1;
                if servers > 1 {
                    push(ctx, codes::PROXY_DIRECTIVE, Severity::Warning, at, "EB's proxy had another server block; the load balancer has one target, the application".to_string(), "Check what that server served (another host name or port) and add a listener rule or service for it by hand.");
                }
            }
            "location" if !matches!(args.as_str(), "/" | "= /") && !location_only_proxies(f, d) => push(ctx, codes::PROXY_DIRECTIVE, Severity::Warning, at, format!("EB's proxy handled `location {args}` on its own; the load balancer forwards it to the application"), "Check what the block did and do it in the application."),
            name if !KNOWN.contains(&name) => unmapped.push(format!("{} (line {})", name, d.line + f.offset)),
            _ => {}
        }
    }
    if !unmapped.is_empty() {
        push(ctx, codes::PROXY_DIRECTIVE, Severity::Warning, Source::new(f.file.clone(), f.prefix.trim_end_matches(" line").trim_end_matches("line").trim().to_string()), format!("EB's proxy configuration has directives the load balancer has no counterpart for: {}", unmapped.join(", ")), "Check what each did; behaviour that mattered moves into the application or the image.");
    }
}

/// Directives with no behaviour the service loses (forwarding to the application, logging).
const KNOWN: &[&str] = &[
    "proxy_pass",
    "proxy_set_header",
    "proxy_http_version",
    "proxy_redirect",
    "proxy_buffering",
    "proxy_buffers",
    "proxy_buffer_size",
    "proxy_busy_buffers_size",
    "proxy_connect_timeout",
    "upstream",
    "server_name",
    "listen",
    "location",
    "access_log",
    "error_log",
    "include",
    "keepalive",
    "charset",
    "log_format",
    "http",
    "events",
    "worker_processes",
    "worker_connections",
    "worker_rlimit_nofile",
    "user",
    "pid",
    "error_page",
    "sendfile",
    "tcp_nopush",
    "tcp_nodelay",
    "types_hash_max_size",
    "default_type",
    "types",
    "map",
    "gzip_types",
    "gzip_comp_level",
    "gzip_min_length",
    "gzip_proxied",
    "gzip_vary",
    "gzip_http_version",
    "gzip_disable",
    "gzip_buffers",
    "if",
    "set",
    "server_tokens",
    "client_header_timeout",
    "client_body_timeout",
    "send_timeout",
    "large_client_header_buffers",
    "client_body_buffer_size",
    "ssl_certificate_key",
    "ssl_protocols",
    "ssl_ciphers",
    "ssl_prefer_server_ciphers",
    "ssl_session_cache",
    "ssl_session_timeout",
    "ProxyPass",
    "ProxyPassReverse",
    "ProxyPreserveHost",
    "VirtualHost",
    "SSLEngine",
    "SSLCertificateKeyFile",
    "gzip",
    "server",
];

/// A `location` block reported otherwise: it only forwards to the application (`proxy_pass`,
/// headers), or it serves files (`alias`, `root`: a static-files finding).
fn location_only_proxies(f: &ProxyFile, loc: &Directive) -> bool {
    let depth = loc.within.len() + 1;
    let inner: Vec<&Directive> = f
        .directives
        .iter()
        .skip_while(|d| d != &loc)
        .skip(1)
        .take_while(|d| d.within.len() >= depth)
        .collect();
    let serves_files = inner.iter().any(|d| d.name == "alias" || d.name == "root");
    serves_files
        || (inner.iter().any(|d| d.name == "proxy_pass")
            && inner
                .iter()
                .all(|d| d.name.starts_with("proxy_") || d.name == "include"))
}

fn push(
    ctx: &mut Ctx,
    code: crate::codes::Code,
    sev: Severity,
    at: Source,
    msg: String,
    action: &str,
) {
    ctx.push(Finding::new(code, sev, at, msg, action));
}

/// nginx time (`300`, `300s`, `5m`, `1h`) in seconds.
fn seconds(v: &str) -> Option<u32> {
    let (n, mult) = match v.chars().last()? {
        's' => (&v[..v.len() - 1], 1),
        'm' => (&v[..v.len() - 1], 60),
        'h' => (&v[..v.len() - 1], 3600),
        _ => (v, 1),
    };
    n.parse::<u32>().ok().map(|n| n.saturating_mul(mult))
}

/// `aws:elasticbeanstalk:environment:proxy:staticfiles` (and the Python platform's): paths the
/// proxy served from the bundle.
fn static_file_options(ctx: &mut Ctx, m: &Mapper) {
    for ns in [
        "aws:elasticbeanstalk:environment:proxy:staticfiles",
        "aws:elasticbeanstalk:container:python:staticfiles",
    ] {
        let opts: Vec<(String, String, Source)> = m
            .settings
            .namespace(ns)
            .filter(|(_, s)| s.layer != Layer::Default)
            .map(|(o, s)| (o.to_string(), s.value.clone(), s.source.clone()))
            .collect();
        for (path, dir, source) in opts {
            m.get(ns, &path);
            push(ctx, codes::PROXY_STATIC_FILES, Severity::Warning, source, format!("EB's proxy served {path} from the bundle's {dir} folder itself; the load balancer forwards these requests to the application"), "Serve the folder from the application (e.g. whitenoise, express.static) or a web server in the image, or from S3/CloudFront.");
        }
    }
}

/// A container that serves TLS itself (container or host port 443, or 4443/8443): the ALB
/// ends TLS now and reaches the container on its plain-HTTP port.
fn container_tls(run: &Dockerrun, ev: &mut Evidence) {
    for c in &run.containers {
        for p in &c.port_mappings {
            if p.host_port == Some(443) || matches!(p.container_port, 443 | 4443 | 8443) {
                ev.tls
                    .get_or_insert_with(|| Source::new(run.file.clone(), p.pointer.clone()));
            }
        }
    }
}

/// A certificate or key that `.ebextensions` `files:` wrote on the instance (often fetched from
/// S3): TLS ended there.
fn certificate_files(inputs: &Inputs, ev: &mut Evidence) {
    for d in inputs
        .settings
        .iter()
        .filter(|d| d.layer == Layer::Ebextensions)
    {
        for f in &d.files {
            let p = f.path.to_ascii_lowercase();
            let tls_dir = p.starts_with("/etc/pki/tls/") || p.starts_with("/etc/ssl/");
            if tls_dir || [".pem", ".crt", ".key"].iter().any(|x| p.ends_with(x)) {
                let line = if f.line > 0 {
                    format!(" (line {})", f.line)
                } else {
                    String::new()
                };
                ev.tls.get_or_insert_with(|| {
                    Source::new(d.file.clone(), format!("files.{}{line}", f.path))
                });
            }
        }
    }
}

/// The ALB's idle timeout: a classic ELB's `ConnectionSettingIdleTimeout` when EB's settings
/// gave no `IdleTimeout`; a proxy timeout above it is reported (as evidence, not carried).
fn idle_timeout(ctx: &mut Ctx, m: &Mapper, lb: &mut LoadBalancer, proxy: Option<(u32, Source)>) {
    let v2_set = m
        .get("aws:elbv2:loadbalancer", "IdleTimeout")
        .is_some_and(|s| s.layer != Layer::Default);
    if let Some(s) = m
        .get("aws:elb:policies", "ConnectionSettingIdleTimeout")
        .filter(|_| !v2_set)
    {
        if let Ok(t) = s.value.trim().parse::<u32>() {
            lb.idle_timeout = t.clamp(1, 4000);
            push(
                ctx,
                codes::PROXY_IDLE_TIMEOUT,
                Severity::Info,
                s.source.clone(),
                format!(
                    "the classic load balancer's idle timeout ({t} s) is the ALB's idle timeout"
                ),
                "Nothing to do.",
            );
        }
    }
    let Some((t, at)) = proxy.filter(|(t, _)| *t > lb.idle_timeout) else {
        return;
    };
    ctx.push(Finding::new(
        codes::PROXY_IDLE_TIMEOUT,
        Severity::Warning,
        at,
        format!("EB's proxy waited up to {t} s for the application, but the ALB closes a connection idle for {} s: slower responses now fail with 504", lb.idle_timeout),
        format!("If requests really take that long, raise the ALB's idle_timeout.timeout_seconds to {} in cloudformation.yaml (aws:elbv2:loadbalancer IdleTimeout).", t.min(4000)),
    ).in_phase(Phase::Verify));
}

/// TLS ended in the container or on the instance: an HTTPS listener on 443 with the
/// `CertificateArn` parameter (when EB's settings had none), the container kept on plain HTTP.
fn tls_listener(ctx: &mut Ctx, lb: &mut LoadBalancer, tls: Option<Source>) {
    let Some(at) = tls else { return };
    let had_https = lb.listeners.iter().any(|l| l.protocol == "HTTPS");
    ctx.push(Finding::new(
        codes::TLS_IN_CONTAINER,
        Severity::Warning,
        at,
        if had_https {
            "TLS also ended in the container or on the instance; the ALB's HTTPS listener ends it now and reaches the container over plain HTTP".to_string()
        } else {
            format!("TLS ended in the container or on the instance (its certificate stays there); the stack ends TLS at the ALB instead: an HTTPS listener on 443 ({DEFAULT_SSL_POLICY}) with an ACM certificate, the container reached over plain HTTP")
        },
        "Pass an ACM certificate for the site's host names as CertificateArn (aws acm request-certificate or import the current one), and serve plain HTTP on the container's port; drop the certificate files from the image.",
    ).in_phase(Phase::Prepare));
    if had_https {
        return;
    }
    lb.listeners.retain(|l| l.port != 443);
    lb.listeners.push(Listener {
        port: 443,
        protocol: "HTTPS".to_string(),
        certificates: Vec::new(),
        ssl_policy: Some(DEFAULT_SSL_POLICY.to_string()),
    });
    lb.listeners.sort_by_key(|l| l.port);
    lb.https_redirect = redirect_finding(ctx, &lb.listeners);
}

/// EB itself redirected HTTP to HTTPS (its proxy, or an override of its listener): the stack's
/// listener redirect changes nothing, so its warning is withdrawn.
fn eb_redirected(ctx: &mut Ctx, lb: &mut LoadBalancer, redirect: Option<Source>) {
    let Some(at) = redirect else { return };
    if lb.listeners.iter().any(|l| l.protocol == "HTTPS") {
        // EB redirected: so does the stack by default (RedirectHttpToHttps true).
        lb.https_redirect = true;
        ctx.retract(|f| f.code == codes::HTTP_REDIRECTED || f.code == codes::HTTP_FORWARDED);
        push(ctx, codes::PROXY_REDIRECT, Severity::Info, at, "EB redirected HTTP to HTTPS; the stack's HTTP listener redirects to its HTTPS listener the same way".to_string(), "Nothing to do.");
    } else {
        push(ctx, codes::PROXY_REDIRECT, Severity::Warning, at, "EB redirected HTTP to HTTPS, but the settings have no HTTPS listener, so the stack serves HTTP only".to_string(), "Add an HTTPS listener (aws:elbv2:listener:443 with an ACM certificate) and convert again.");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_keeps_lines_blocks_and_quotes() {
        let d = scan("# c\nserver {\n  listen 80;\n  location /static/ {\n    alias \"/var/app/current/static\";\n  }\n}\n");
        let got: Vec<(&str, usize, usize)> = d
            .iter()
            .map(|d| (d.name.as_str(), d.line, d.within.len()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("server", 2, 0),
                ("listen", 3, 1),
                ("location", 4, 1),
                ("alias", 5, 2)
            ]
        );
        assert_eq!(d[3].args, vec!["/var/app/current/static"]);
    }

    #[test]
    fn httpd_lines_and_blocks() {
        let d = scan_httpd("<VirtualHost *:80>\n  # c\n  RewriteRule ^(.*)$ https://%{HTTP_HOST}$1 [R=301,L]\n</VirtualHost>\nTimeout 300\n");
        let got: Vec<(&str, usize, usize)> = d
            .iter()
            .map(|d| (d.name.as_str(), d.line, d.within.len()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("VirtualHost", 1, 0),
                ("RewriteRule", 3, 1),
                ("Timeout", 5, 0)
            ]
        );
    }

    #[test]
    fn an_eb_redirect_is_evidence_not_a_warning() {
        let f = ProxyFile {
            file: ".platform/nginx/conf.d/elasticbeanstalk/https.conf".into(),
            prefix: "line".into(),
            offset: 0,
            directives: scan("if ($http_x_forwarded_proto = 'http') {\n  return 301 https://$host$request_uri;\n}\n"),
        };
        let mut c = crate::convert::tests_support::ctx(crate::model::LaunchType::Fargate);
        let mut ev = Evidence::default();
        directives(&mut c, &f, &mut ev);
        assert!(c.findings.is_empty(), "{:?}", c.findings);
        assert_eq!(
            ev.https_redirect.map(|s| s.location),
            Some("line 2".to_string())
        );
    }

    #[test]
    fn nginx_times() {
        assert_eq!(seconds("300"), Some(300));
        assert_eq!(seconds("5m"), Some(300));
        assert_eq!(seconds("x"), None);
    }
}
