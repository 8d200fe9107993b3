//! Managed endpoints the tasks must reach: environment values (plain ones and those moved to
//! `secrets`, whose values convert still sees) that name an RDS, ElastiCache, DocumentDB,
//! Amazon MQ or OpenSearch (VPC domain) endpoint. Such an endpoint's security group admitted
//! EB's instances by *their* security group, which never appears in the settings; the tasks
//! run in the service's security group, so the connection times out until that group is
//! admitted too. One Prepare blocker per endpoint, with the exact
//! `aws ec2 authorize-security-group-ingress` command. Only the host (and port) of a value is
//! ever repeated, never the rest of it (a URL's password stays unsaid).

use super::Ctx;
use crate::codes;
use crate::finding::{Finding, Phase, Severity};
use crate::load::dockerrun::{Dockerrun, EnvVar};
use crate::text::{code, required, sh};

/// One kind of managed endpoint: the service's name, the host suffix that marks it, the port
/// when neither the value nor its scheme names one, and the variable the user sets to its
/// security group (when eb2ecs cannot look it up in the command itself).
struct Kind {
    service: &'static str,
    suffix: &'static str,
    port: Option<u16>,
    var: &'static str,
}

/// The endpoints eb2ecs recognises. `mq` endpoints hold the region after `.mq.`; an
/// OpenSearch domain has a security group only inside a VPC (`vpc-` endpoints).
const KINDS: &[Kind] = &[
    Kind {
        service: "RDS",
        suffix: ".rds.amazonaws.com",
        port: None,
        var: "RDS_SECURITY_GROUP",
    },
    Kind {
        service: "ElastiCache",
        suffix: ".cache.amazonaws.com",
        port: Some(6379),
        var: "ELASTICACHE_SECURITY_GROUP",
    },
    Kind {
        service: "DocumentDB",
        suffix: ".docdb.amazonaws.com",
        port: Some(27017),
        var: "DOCDB_SECURITY_GROUP",
    },
    Kind {
        service: "Amazon MQ",
        suffix: ".amazonaws.com",
        port: Some(5671),
        var: "MQ_SECURITY_GROUP",
    },
    Kind {
        service: "OpenSearch",
        suffix: ".es.amazonaws.com",
        port: Some(443),
        var: "OPENSEARCH_SECURITY_GROUP",
    },
];

/// Ports of the database schemes a URL may start with (RDS's engine defaults).
const SCHEME_PORTS: &[(&str, u16)] = &[
    ("postgres", 5432),
    ("postgresql", 5432),
    ("mysql", 3306),
    ("mysql2", 3306),
    ("mariadb", 3306),
    ("sqlserver", 1433),
    ("mssql", 1433),
    ("oracle", 1521),
    ("redis", 6379),
    ("rediss", 6379),
    ("memcached", 11211),
    ("mongodb", 27017),
    ("amqps", 5671),
    ("amqp", 5672),
    ("ssl", 61617),
    ("stomp+ssl", 61614),
    ("https", 443),
];

/// A managed endpoint named in a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Index into [`KINDS`].
    kind: usize,
    /// The host, lowercase.
    pub host: String,
    /// The port the value names, or its scheme's, or the kind's default.
    pub port: Option<u16>,
}

impl Endpoint {
    /// The service (`RDS`, `ElastiCache`, ...).
    pub fn service(&self) -> &'static str {
        KINDS[self.kind].service
    }
}

/// The kind of a host, if it is a managed endpoint that has a security group.
fn kind_of(host: &str) -> Option<usize> {
    let mq = host
        .rsplit_once(".amazonaws.com")
        .filter(|(_, rest)| rest.is_empty())
        .and_then(|(head, _)| head.rsplit_once(".mq."))
        .is_some_and(|(name, region)| !name.is_empty() && !region.contains('.'));
    KINDS.iter().position(|k| {
        if k.service == "Amazon MQ" {
            return mq;
        }
        let named = host.len() > k.suffix.len() && host.ends_with(k.suffix);
        named && (k.service != "OpenSearch" || host.starts_with("vpc-"))
    })
}

/// The managed endpoints a value names, in order, each once.
pub fn endpoints(value: &str) -> Vec<Endpoint> {
    let mut out: Vec<Endpoint> = Vec::new();
    let is_host = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-';
    let mut rest = value;
    while let Some(start) = rest.find(is_host) {
        let tail = &rest[start..];
        let end = tail.find(|c| !is_host(c)).unwrap_or(tail.len());
        let host = tail[..end].trim_matches('.').to_ascii_lowercase();
        let after = &tail[end..];
        if let Some(kind) = kind_of(&host) {
            let port = after
                .strip_prefix(':')
                .map(|p| &p[..p.find(|c: char| !c.is_ascii_digit()).unwrap_or(p.len())])
                .and_then(|p| p.parse().ok())
                .or_else(|| scheme_port(&value[..value.len() - rest.len() + start]))
                .or(KINDS[kind].port);
            if !out.iter().any(|e| e.host == host) {
                out.push(Endpoint { kind, host, port });
            }
        }
        rest = after;
    }
    out
}

/// The port of the URL scheme just before a host (`postgres://user:pw@` -> 5432).
fn scheme_port(before: &str) -> Option<u16> {
    let (head, _) = before.rsplit_once("://")?;
    let scheme = head
        .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '+'))
        .next()?
        .to_ascii_lowercase();
    let scheme = scheme.split('+').next().unwrap_or("").to_string();
    SCHEME_PORTS
        .iter()
        .find(|(s, _)| *s == scheme || scheme.starts_with(&format!("{s}+")))
        .map(|(_, p)| *p)
}

/// One Prepare blocker per managed endpoint the containers' environment names.
pub fn reachability(ctx: &mut Ctx, run: &Dockerrun, envs: &[Vec<EnvVar>]) {
    let mut seen: Vec<(Endpoint, Vec<String>, crate::finding::Source)> = Vec::new();
    for (c, env) in run.containers.iter().zip(envs) {
        for var in env {
            for e in endpoints(&var.value) {
                let who = format!("{} of {}", code(&var.name), code(&c.name));
                match seen.iter_mut().find(|(s, _, _)| s.host == e.host) {
                    Some((_, names, _)) => names.push(who),
                    None => {
                        let source = var.origin.clone().unwrap_or_else(|| ctx.src(&var.pointer));
                        seen.push((e, vec![who], source));
                    }
                }
            }
        }
    }
    let mut used: Vec<String> = Vec::new();
    for (e, names, source) in seen {
        let mut var = KINDS[e.kind].var.to_string();
        let n = used.iter().filter(|v| **v == var).count();
        used.push(var.clone());
        if n > 0 {
            var = format!("{var}_{}", n + 1);
        }
        ctx.push(
            Finding::new(
                codes::MANAGED_ENDPOINT_INGRESS,
                Severity::Blocker,
                source,
                format!(
                    "{} {} the {} endpoint {}; its security group admitted EB's instances by their own security group, which the tasks are not in, so their connections time out",
                    names.join(", "),
                    if names.len() == 1 { "names" } else { "name" },
                    e.service(),
                    code(&e.host)
                ),
                format!(
                    "Before the service starts, let the endpoint's security group admit the tasks' (the stack output ServiceSecurityGroupId; Terraform output service_security_group_id): {}",
                    code(&ingress_command(ctx, &e, &var))
                ),
            )
            .in_phase(Phase::Prepare),
        );
    }
}

/// `aws ec2 authorize-security-group-ingress` from the tasks' security group to the
/// endpoint's, every value quoted: an RDS endpoint's group is looked up in the command
/// itself; another's is a variable the command stops without.
fn ingress_command(ctx: &Ctx, e: &Endpoint, var: &str) -> String {
    let region = sh(&ctx.region);
    let group = if e.service() == "RDS" {
        // The host is letters, digits, dots and hyphens only: safe inside the quotes.
        let (what, query) = if e.host.contains(".cluster-") {
            (
                "describe-db-clusters",
                format!(
                    "DBClusters[?Endpoint=='{h}' || ReaderEndpoint=='{h}'].VpcSecurityGroups[0].VpcSecurityGroupId",
                    h = e.host
                ),
            )
        } else {
            (
                "describe-db-instances",
                format!(
                    "DBInstances[?Endpoint.Address=='{}'].VpcSecurityGroups[0].VpcSecurityGroupId",
                    e.host
                ),
            )
        };
        format!("\"$(aws rds {what} --region {region} --query \"{query}\" --output text)\"")
    } else {
        required(
            var,
            &format!(
                "the security group id of the {} endpoint {}",
                e.service(),
                e.host
            ),
        )
    };
    let port = match e.port {
        Some(p) => p.to_string(),
        None => required("DB_PORT", &format!("the port of {}", e.host)),
    };
    format!(
        "aws ec2 authorize-security-group-ingress --region {region} --group-id {group} --protocol tcp --port {port} --source-group {}",
        required(
            "TASK_SECURITY_GROUP",
            "the tasks security group, stack output ServiceSecurityGroupId"
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(v: &str) -> Vec<(String, &'static str, Option<u16>)> {
        endpoints(v)
            .into_iter()
            .map(|e| (e.host.clone(), e.service(), e.port))
            .collect()
    }

    #[test]
    fn each_managed_endpoint_kind_is_recognised_with_its_port() {
        assert_eq!(
            hosts("postgres://app:s3cret@mydb.abc123.eu-west-1.rds.amazonaws.com/app"),
            vec![(
                "mydb.abc123.eu-west-1.rds.amazonaws.com".into(),
                "RDS",
                Some(5432)
            )]
        );
        assert_eq!(
            hosts("MyDB.abc.us-east-1.rds.amazonaws.com:3307"),
            vec![(
                "mydb.abc.us-east-1.rds.amazonaws.com".into(),
                "RDS",
                Some(3307)
            )]
        );
        assert_eq!(
            hosts("rediss://c.abc.ng.0001.euw1.cache.amazonaws.com:6380/0"),
            vec![(
                "c.abc.ng.0001.euw1.cache.amazonaws.com".into(),
                "ElastiCache",
                Some(6380)
            )]
        );
        assert_eq!(
            hosts("mongodb://u:p@docs.cluster-x.eu-west-1.docdb.amazonaws.com:27017/?tls=true")[0]
                .1,
            "DocumentDB"
        );
        assert_eq!(
            hosts("amqps://b-1234-abcd.mq.eu-west-1.amazonaws.com:5671")[0].1,
            "Amazon MQ"
        );
        assert_eq!(
            hosts("https://vpc-logs-abc.eu-west-1.es.amazonaws.com")[0],
            (
                "vpc-logs-abc.eu-west-1.es.amazonaws.com".into(),
                "OpenSearch",
                Some(443)
            )
        );
        assert_eq!(hosts("mydb.rds.amazonaws.com")[0].2, None);
    }

    #[test]
    fn public_and_unrelated_hosts_are_not_endpoints() {
        for v in [
            "https://search-logs-abc.eu-west-1.es.amazonaws.com",
            "https://sqs.eu-west-1.amazonaws.com/123/q",
            "rds.amazonaws.com",
            "https://example.com/rds.amazonaws.com.evil",
            "s3.amazonaws.com",
            "",
        ] {
            assert!(endpoints(v).is_empty(), "{v}");
        }
        assert_eq!(
            endpoints("a.rds.amazonaws.com,a.rds.amazonaws.com").len(),
            1,
            "each host once"
        );
    }
}
