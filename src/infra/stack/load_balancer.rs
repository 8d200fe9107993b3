//! The application load balancer: its security group, the load balancer, the target group,
//! the listeners (HTTP redirecting to HTTPS when there is one), extra certificates and rules.

use super::context::{Context, LbContext, ListenerContext};
use super::{resource, With};
use crate::infra::template::{Resource, Template};
use serde_json::json;

/// Every load balancer resource, when the service has one.
pub(super) fn add(t: &mut Template, ctx: &Context) {
    let Some(lb) = &ctx.lb else { return };
    let ingress: Vec<_> = lb
        .ingress_ports
        .iter()
        .map(|port| {
            let cidr = if lb.internal {
                json!({"Ref": "ClientCidr"})
            } else {
                json!("0.0.0.0/0")
            };
            json!({"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "CidrIp": cidr,
                "Description": format!("Listener port {port}")})
        })
        .collect();
    t.resources.push(resource(
        "LoadBalancerSecurityGroup",
        "AWS::EC2::SecurityGroup",
        json!({
            "GroupDescription": format!("Load balancer of {}", ctx.service_name),
            "VpcId": {"Ref": "VpcId"},
            "SecurityGroupIngress": ingress,
        }),
    ));
    t.resources.push(resource(
        "LoadBalancer",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        json!({
            "Type": "application",
            "Scheme": lb.scheme,
            "Subnets": {"Ref": "LoadBalancerSubnets"},
            "SecurityGroups": [{"Ref": "LoadBalancerSecurityGroup"}],
            "LoadBalancerAttributes": [
                {"Key": "idle_timeout.timeout_seconds", "Value": lb.idle_timeout},
                {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}
            ]
        }),
    ));
    t.resources.push(target_group(lb));
    t.resources.extend(lb.listeners.iter().map(listener));
    routing(t, lb);
}

fn target_group(lb: &LbContext) -> Resource {
    resource(
        "TargetGroup",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        json!({
            "VpcId": {"Ref": "VpcId"},
            "Protocol": "HTTP",
            "Port": lb.port,
            "TargetType": lb.target_type,
            "HealthCheckProtocol": "HTTP",
            "HealthCheckPort": "traffic-port",
            "HealthCheckPath": lb.health_path,
            "HealthCheckIntervalSeconds": lb.health_interval,
            "HealthCheckTimeoutSeconds": lb.health_timeout,
            "HealthyThresholdCount": lb.healthy,
            "UnhealthyThresholdCount": lb.unhealthy,
            "Matcher": {"HttpCode": lb.matcher},
            "TargetGroupAttributes": lb.tg_attributes,
        }),
    )
}

/// A listener: HTTPS with the certificate parameter and its TLS policy (whose source is its
/// comment), HTTP forwarding or redirecting to HTTPS.
fn listener(l: &ListenerContext) -> Resource {
    let mut p = json!({
        "LoadBalancerArn": {"Ref": "LoadBalancer"},
        "Port": l.port,
        "Protocol": l.protocol,
    });
    if l.https {
        p["SslPolicy"] = json!(l.ssl_policy);
        p["Certificates"] = json!([{"CertificateArn": {"Ref": "CertificateArn"}}]);
    }
    let redirect = json!([{"Type": "redirect", "RedirectConfig": {
        "Protocol": "HTTPS", "Port": l.redirect_port, "StatusCode": "HTTP_301"
    }}]);
    let forward = json!([{"Type": "forward", "TargetGroupArn": {"Ref": "TargetGroup"}}]);
    p["DefaultActions"] = if l.redirect_choice {
        // The stack parameter decides; its default is what EB did (infra::decide::redirects).
        json!({"Fn::If": ["RedirectHttpToHttps", redirect, forward]})
    } else {
        forward
    };
    let r = resource(&l.id, "AWS::ElasticLoadBalancingV2::Listener", p);
    if l.https {
        r.note(&format!("TLS policy {}.", l.ssl_policy_source))
    } else {
        r
    }
}

/// The certificates beyond the first, and the listener rules, on the HTTPS listener (the
/// first listener without one).
fn routing(t: &mut Template, lb: &LbContext) {
    for (i, cert) in lb.extra_certificates.iter().enumerate() {
        t.resources.push(resource(
            &format!("ExtraCertificate{i}"),
            "AWS::ElasticLoadBalancingV2::ListenerCertificate",
            json!({
                "ListenerArn": {"Ref": lb.rule_listener},
                "Certificates": [{"CertificateArn": cert}],
            }),
        ));
    }
    for r in &lb.rules {
        t.resources.push(resource(
            &r.id,
            "AWS::ElasticLoadBalancingV2::ListenerRule",
            json!({
                "ListenerArn": {"Ref": lb.rule_listener},
                "Priority": r.priority,
                "Conditions": r.conditions,
                "Actions": [{"Type": "forward", "TargetGroupArn": {"Ref": "TargetGroup"}}],
            }),
        ));
    }
}
