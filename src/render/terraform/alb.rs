//! `alb.tf`: the load balancer, its security group, the target group, listeners, extra
//! certificates and rules; and the service's security group (in `main.tf`, with or without a
//! load balancer).

use super::hcl::{self, raw, s, Body, Expr};
use super::resource;

// ---------------------------------------------------------------------------------------------
// From the stack model: security groups and their rules, the load balancer, target group,
// listeners, listener certificates and rules.
// ---------------------------------------------------------------------------------------------

use super::model::{terraform_name, Module};
use super::resources::{closing, header, listed, literal, nested, opening, value, Blocks};
use crate::error::{Error, Result};
use crate::infra::template::Resource;
use crate::infra::value::Value as V;

/// The blocks of a security group, security-group rule or load-balancer resource; `None`
/// for any other resource.
pub(super) fn print(m: &Module, r: &Resource) -> Option<Result<Blocks>> {
    Some(match r.kind.as_str() {
        "AWS::EC2::SecurityGroup" => security_group(m, r),
        "AWS::EC2::SecurityGroupIngress" => ingress_resource(m, r),
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => load_balancer_of(m, r),
        "AWS::ElasticLoadBalancingV2::TargetGroup" => target_group_of(m, r),
        "AWS::ElasticLoadBalancingV2::Listener" => listener_of(m, r),
        "AWS::ElasticLoadBalancingV2::ListenerCertificate" => certificates_of(m, r),
        "AWS::ElasticLoadBalancingV2::ListenerRule" => rule_of(m, r),
        _ => return None,
    })
}

/// A security group, one `aws_vpc_security_group_ingress_rule` per ingress rule, and its
/// egress: the rules it declares, else everything (CloudFormation's default egress, which
/// the AWS provider removes from a group it creates).
fn security_group(m: &Module, r: &Resource) -> Result<Blocks> {
    let p = m.props(r);
    let name = terraform_name(r);
    let short = if name == "load_balancer" {
        "lb"
    } else {
        name.as_str()
    };
    let group = format!("{}.id", m.address(&r.id).unwrap_or_default());
    let body = opening(m, r)
        .attr_opt("name", p.get("GroupName").map(|x| value(m, x)))
        .attr_opt(
            "name_prefix",
            p.get("GroupName")
                .is_none()
                .then(|| raw(format!("\"${{var.name}}-{short}-\""))),
        )
        .attr_opt(
            "description",
            p.get("GroupDescription").map(|x| value(m, x)),
        )
        .attr_opt("vpc_id", p.get("VpcId").map(|x| value(m, x)))
        .attr_opt(
            "tags",
            p.get("Tags").map(|x| super::resources::tag_map(m, x)),
        );
    let mut out = vec![(header(r), closing(m, r, body))];
    let mut names: Vec<String> = Vec::new();
    for rule in p
        .get("SecurityGroupIngress")
        .and_then(V::as_list)
        .unwrap_or(&[])
    {
        let n = unique(&mut names, rule_name(m, &name, rule));
        let b = rule_body(m, Body::new().attr("security_group_id", raw(&group)), rule)?;
        out.push((resource("aws_vpc_security_group_ingress_rule", &n), b));
    }
    match p.get("SecurityGroupEgress").and_then(V::as_list) {
        Some(rules) => {
            for (i, rule) in rules.iter().enumerate() {
                let b = rule_body(m, Body::new().attr("security_group_id", raw(&group)), rule)?;
                out.push((
                    resource("aws_vpc_security_group_egress_rule", &format!("{name}_{i}")),
                    b,
                ));
            }
        }
        None => out.push((
            resource("aws_vpc_security_group_egress_rule", &format!("{name}_all")),
            Body::new()
                .attr("security_group_id", raw(&group))
                .attr("ip_protocol", s("-1"))
                .attr("cidr_ipv4", s("0.0.0.0/0"))
                .attr(
                    "description",
                    s("All outbound traffic (the CloudFormation default)"),
                ),
        )),
    }
    p.finish()?;
    Ok(out)
}

/// The name of an ingress rule: `GROUP_PORT` from an address range, `GROUP_from_SOURCE` from
/// another group of the module.
fn rule_name(m: &Module, group: &str, rule: &V) -> String {
    if let Some(V::Ref(src)) = rule.get("SourceSecurityGroupId") {
        if let Some(res) = m.t.resource(src) {
            return format!("{group}_from_{}", terraform_name(res));
        }
    }
    match rule.get("FromPort") {
        Some(V::Num(n)) => format!("{group}_{n}"),
        Some(V::Str(n)) => format!("{group}_{n}"),
        _ => format!("{group}_rule"),
    }
}

/// `name`, or `name_2`, `name_3` … when taken.
fn unique(taken: &mut Vec<String>, name: String) -> String {
    let mut n = name.clone();
    let mut i = 2;
    while taken.contains(&n) {
        n = format!("{name}_{i}");
        i += 1;
    }
    taken.push(n.clone());
    n
}

/// The arguments of one security-group rule (an item of `SecurityGroupIngress`, or a
/// standalone `AWS::EC2::SecurityGroupIngress`'s properties but `GroupId`).
fn rule_body(m: &Module, mut b: Body, rule: &V) -> Result<Body> {
    const ORDER: &[(&str, &str)] = &[
        ("IpProtocol", "ip_protocol"),
        ("FromPort", "from_port"),
        ("ToPort", "to_port"),
        ("Description", "description"),
        ("CidrIp", "cidr_ipv4"),
        ("CidrIpv6", "cidr_ipv6"),
        ("SourcePrefixListId", "prefix_list_id"),
        ("DestinationPrefixListId", "prefix_list_id"),
        ("SourceSecurityGroupId", "referenced_security_group_id"),
        ("DestinationSecurityGroupId", "referenced_security_group_id"),
    ];
    for (k, _) in rule.as_map().unwrap_or(&[]) {
        if k != "GroupId" && !ORDER.iter().any(|(c, _)| c == k) {
            return Err(Error::Bug(format!(
                "the Terraform printer does not map {k} of a security-group rule"
            )));
        }
    }
    for (k, a) in ORDER {
        if let Some(x) = rule.get(k) {
            let e = match (*k, x) {
                ("IpProtocol", V::Num(n)) => s(n.to_string()),
                _ => value(m, x),
            };
            b = b.attr(a, e);
        }
    }
    Ok(b)
}

/// A rule of its own (`AWS::EC2::SecurityGroupIngress`): a group the module does not create
/// admits one of its groups.
fn ingress_resource(m: &Module, r: &Resource) -> Result<Blocks> {
    let p = m.props(r);
    let all = p.all();
    let group = all
        .iter()
        .find(|(k, _)| k == "GroupId")
        .map(|(_, x)| value(m, x))
        .ok_or_else(|| Error::Bug(format!("{} has no GroupId", r.id)))?;
    let b = rule_body(
        m,
        opening(m, r).attr("security_group_id", group),
        &r.properties,
    )?;
    p.finish()?;
    Ok(vec![(header(r), closing(m, r, b))])
}

/// `Key`/`Value` pairs (`LoadBalancerAttributes`, `TargetGroupAttributes`) by key.
fn attributes(v: Option<&V>) -> Vec<(String, V)> {
    v.and_then(V::as_list)
        .unwrap_or(&[])
        .iter()
        .filter_map(|a| {
            let k = a.get("Key")?.as_str()?.to_string();
            Some((k, a.get("Value").cloned().unwrap_or(V::Null)))
        })
        .collect()
}

fn load_balancer_of(m: &Module, r: &Resource) -> Result<Blocks> {
    let p = m.props(r);
    let internal = match p.get("Scheme") {
        Some(V::Str(x)) => Some(raw((x == "internal").to_string())),
        Some(other) => Some(raw(format!(
            "{} == \"internal\"",
            hcl::inline(&value(m, other))
        ))),
        None => None,
    };
    let mut b = opening(m, r)
        .attr_opt("name", p.get("Name").map(|x| value(m, x)))
        .attr_opt("internal", internal)
        .attr_opt("load_balancer_type", p.get("Type").map(|x| value(m, x)))
        .attr_opt("subnets", p.get("Subnets").map(|x| value(m, x)))
        .attr_opt(
            "security_groups",
            p.get("SecurityGroups").map(|x| listed(m, x)),
        )
        .attr_opt(
            "ip_address_type",
            p.get("IpAddressType").map(|x| value(m, x)),
        );
    let mut logs = Body::new();
    for (k, x) in attributes(p.get("LoadBalancerAttributes")) {
        let a = match k.as_str() {
            "idle_timeout.timeout_seconds" => "idle_timeout",
            "routing.http.drop_invalid_header_fields.enabled" => "drop_invalid_header_fields",
            "deletion_protection.enabled" => "enable_deletion_protection",
            "routing.http2.enabled" => "enable_http2",
            "access_logs.s3.enabled" | "access_logs.s3.bucket" | "access_logs.s3.prefix" => {
                let a = k.trim_start_matches("access_logs.s3.");
                logs = logs.attr(a, literal(m, &x));
                continue;
            }
            other => {
                return Err(Error::Bug(format!(
                    "the Terraform printer does not map the load balancer attribute {other}"
                )))
            }
        };
        b = b.attr(a, literal(m, &x));
    }
    if logs != Body::new() {
        b = b.blank().block("access_logs", logs);
    }
    p.finish()?;
    Ok(vec![(header(r), closing(m, r, b))])
}

/// The target group; its health check and stickiness as Terraform's blocks.
fn target_group_of(m: &Module, r: &Resource) -> Result<Blocks> {
    let p = m.props(r);
    let get = |k: &str| p.get(k).map(|x| value(m, x));
    let mut b = opening(m, r)
        .attr_opt("name", get("Name"))
        .attr_opt("vpc_id", get("VpcId"))
        .attr_opt("protocol", get("Protocol"))
        .attr_opt("port", get("Port"))
        .attr_opt("target_type", get("TargetType"));
    let mut sticky = Body::new();
    for (k, x) in attributes(p.get("TargetGroupAttributes")) {
        match k.as_str() {
            "deregistration_delay.timeout_seconds" => {
                b = b.attr("deregistration_delay", value(m, &x))
            }
            "slow_start.duration_seconds" => b = b.attr("slow_start", literal(m, &x)),
            "load_balancing.algorithm.type" => {
                b = b.attr("load_balancing_algorithm_type", value(m, &x))
            }
            "stickiness.type" => sticky = sticky.attr("type", value(m, &x)),
            "stickiness.enabled" => sticky = sticky.attr("enabled", literal(m, &x)),
            "stickiness.lb_cookie.duration_seconds" => {
                sticky = sticky.attr("cookie_duration", literal(m, &x))
            }
            other => {
                return Err(Error::Bug(format!(
                    "the Terraform printer does not map the target group attribute {other}"
                )))
            }
        }
    }
    let health = Body::new()
        .attr_opt("enabled", get("HealthCheckEnabled"))
        .attr_opt("protocol", get("HealthCheckProtocol"))
        .attr_opt("port", get("HealthCheckPort"))
        .attr_opt("path", get("HealthCheckPath"))
        .attr_opt("interval", get("HealthCheckIntervalSeconds"))
        .attr_opt("timeout", get("HealthCheckTimeoutSeconds"))
        .attr_opt("healthy_threshold", get("HealthyThresholdCount"))
        .attr_opt("unhealthy_threshold", get("UnhealthyThresholdCount"))
        .attr_opt(
            "matcher",
            p.get("Matcher")
                .and_then(|x| x.get("HttpCode"))
                .map(|x| value(m, x)),
        );
    if health != Body::new() {
        b = b.blank().block("health_check", health);
    }
    if sticky != Body::new() {
        b = b.blank().block("stickiness", sticky);
    }
    p.finish()?;
    Ok(vec![(header(r), closing(m, r, b))])
}

/// The actions of a listener or rule as Terraform's blocks.
fn actions(m: &Module, b: Body, name: &str, v: Option<&V>) -> Body {
    const NAMES: &[(&str, &str)] = &[
        ("RedirectConfig", "redirect"),
        ("FixedResponseConfig", "fixed_response"),
        ("ForwardConfig", "forward"),
    ];
    // A choice between two action lists: each a `dynamic` block while its side holds.
    if let Some(V::If(c, yes, no)) = v {
        let when = m.cond(c);
        return [(yes, true), (no, false)]
            .into_iter()
            .fold(b, |b, (side, holds)| {
                side.as_list().unwrap_or(&[]).iter().fold(b, |b, a| {
                    b.blank()
                        .block_while(name, &when, holds, nested(m, a, NAMES))
                })
            });
    }
    v.and_then(V::as_list)
        .unwrap_or(&[])
        .iter()
        .fold(b, |b, a| b.blank().block(name, nested(m, a, NAMES)))
}

fn listener_of(m: &Module, r: &Resource) -> Result<Blocks> {
    let p = m.props(r);
    let get = |k: &str| p.get(k).map(|x| value(m, x));
    let certificate = p
        .get("Certificates")
        .and_then(V::as_list)
        .and_then(|l| l.first())
        .and_then(|c| c.get("CertificateArn"))
        .map(|x| value(m, x));
    let b = opening(m, r)
        .attr_opt("load_balancer_arn", get("LoadBalancerArn"))
        .attr_opt("port", get("Port"))
        .attr_opt("protocol", get("Protocol"))
        .attr_opt("ssl_policy", get("SslPolicy").filter(|e| *e != raw("null")))
        .attr_opt("certificate_arn", certificate);
    let b = actions(m, b, "default_action", p.get("DefaultActions"));
    p.finish()?;
    Ok(vec![(header(r), closing(m, r, b))])
}

/// One `aws_lb_listener_certificate` per certificate.
fn certificates_of(m: &Module, r: &Resource) -> Result<Blocks> {
    let p = m.props(r);
    let listener = p.get("ListenerArn").map(|x| value(m, x));
    let certs = p.get("Certificates").and_then(V::as_list).unwrap_or(&[]);
    let name = terraform_name(r);
    let out = certs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let n = if certs.len() == 1 {
                name.clone()
            } else {
                format!("{name}_{i}")
            };
            let b = opening(m, r)
                .attr_opt("listener_arn", listener.clone())
                .attr_opt(
                    "certificate_arn",
                    c.get("CertificateArn").map(|x| value(m, x)),
                );
            (
                resource("aws_lb_listener_certificate", &n),
                closing(m, r, b),
            )
        })
        .collect();
    p.finish()?;
    Ok(out)
}

/// A listener rule; each condition a `condition` block of its field.
fn rule_of(m: &Module, r: &Resource) -> Result<Blocks> {
    let p = m.props(r);
    let b = opening(m, r)
        .attr_opt("listener_arn", p.get("ListenerArn").map(|x| value(m, x)))
        .attr_opt("priority", p.get("Priority").map(|x| value(m, x)));
    let mut b = actions(m, b, "action", p.get("Actions"));
    for c in p.get("Conditions").and_then(V::as_list).unwrap_or(&[]) {
        let field = c.get("Field").and_then(V::as_str).unwrap_or("path-pattern");
        let (kind, config) = match field {
            "host-header" => ("host_header", "HostHeaderConfig"),
            "path-pattern" => ("path_pattern", "PathPatternConfig"),
            other => {
                return Err(Error::Bug(format!(
                    "the Terraform printer does not map the listener rule condition {other}"
                )))
            }
        };
        let values = c
            .get(config)
            .and_then(|x| x.get("Values"))
            .or_else(|| c.get("Values"))
            .map_or_else(|| Expr::List(vec![]), |x| listed(m, x));
        let inner = Body::new().attr("values", values);
        b = b.blank().block("condition", Body::new().block(kind, inner));
    }
    p.finish()?;
    Ok(vec![(header(r), closing(m, r, b))])
}

#[cfg(test)]
mod model_tests {
    use super::super::resources::printed;
    use super::print;

    const STACK: &str = r#"
Parameters:
  VpcId: {Type: "AWS::EC2::VPC::Id"}
  CertificateArn: {Type: String}
Resources:
  LoadBalancerSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Load balancer of app
      VpcId: !Ref VpcId
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: "0.0.0.0/0", Description: Listener port 443}
  ServiceSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Tasks of app
      VpcId: !Ref VpcId
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 80, ToPort: 80, SourceSecurityGroupId: !Ref LoadBalancerSecurityGroup}
  LoadBalancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Scheme: internal
      LoadBalancerAttributes:
        - {Key: idle_timeout.timeout_seconds, Value: "60"}
        - {Key: something.new, Value: "1"}
  TargetGroup:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 80
      HealthCheckPath: /health
      Matcher: {HttpCode: "200"}
      TargetGroupAttributes:
        - {Key: stickiness.enabled, Value: "true"}
        - {Key: stickiness.type, Value: lb_cookie}
  Listener80:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref LoadBalancer
      Port: 80
      Protocol: HTTP
      DefaultActions:
        - {Type: redirect, RedirectConfig: {Protocol: HTTPS, Port: "443", StatusCode: HTTP_301}}
  Ruleapi:
    Type: AWS::ElasticLoadBalancingV2::ListenerRule
    Properties:
      ListenerArn: !Ref Listener80
      Priority: 10
      Conditions: [{Field: path-pattern, PathPatternConfig: {Values: ["/api/*"]}}]
      Actions: [{Type: forward, TargetGroupArn: !Ref TargetGroup}]
"#;

    #[test]
    fn groups_get_a_rule_per_ingress_and_the_default_egress() {
        let t = printed(print, STACK, "ServiceSecurityGroup").unwrap();
        assert!(t.contains("name_prefix = \"${var.name}-service-\""), "{t}");
        assert!(t.contains("resource \"aws_vpc_security_group_ingress_rule\" \"service_from_load_balancer\" {\n  security_group_id            = aws_security_group.service.id\n  ip_protocol                  = \"tcp\"\n  from_port                    = 80\n  to_port                      = 80\n  referenced_security_group_id = aws_security_group.load_balancer.id\n}"), "{t}");
        assert!(
            t.contains("resource \"aws_vpc_security_group_egress_rule\" \"service_all\""),
            "{t}"
        );
        let lb = printed(print, STACK, "LoadBalancerSecurityGroup").unwrap();
        assert!(
            lb.contains("\"load_balancer_443\"") && lb.contains("${var.name}-lb-"),
            "{lb}"
        );
    }

    #[test]
    fn load_balancer_pieces_become_terraform_blocks() {
        let err = printed(print, STACK, "LoadBalancer")
            .unwrap_err()
            .to_string();
        assert!(err.contains("something.new"), "{err}");
        let tg = printed(print, STACK, "TargetGroup").unwrap();
        assert!(
            tg.contains("  health_check {\n    path    = \"/health\"\n    matcher = \"200\"\n  }"),
            "{tg}"
        );
        assert!(
            tg.contains("  stickiness {\n    enabled = true\n    type    = \"lb_cookie\"\n  }"),
            "{tg}"
        );
        let l = printed(print, STACK, "Listener80").unwrap();
        assert!(l.contains("  default_action {\n    type = \"redirect\"\n\n    redirect {\n      protocol    = \"HTTPS\"\n      port        = \"443\"\n      status_code = \"HTTP_301\"\n    }\n  }"), "{l}");
        let r = printed(print, STACK, "Ruleapi").unwrap();
        assert!(
            r.contains("listener_arn = aws_lb_listener.listener_80.arn"),
            "{r}"
        );
        assert!(
            r.contains(
                "  condition {\n    path_pattern {\n      values = [\"/api/*\"]\n    }\n  }"
            ),
            "{r}"
        );
    }
}
