//! `ec2.tf` (EC2 launch type): the container instances when `create_capacity`: instance role and
//! profile, launch template, Auto Scaling group, and the capacity provider of a cluster the module
//! creates.

use super::hcl::{raw, Body};

// ---------------------------------------------------------------------------------------------
// From the stack model: the launch template (and the AMI's SSM parameter), Auto Scaling group,
// capacity provider and the cluster's capacity providers (the instance role and profile are
// iam.rs's, as every role).
// ---------------------------------------------------------------------------------------------

use super::model::Module;
use super::resources::{closing, header, listed, literal, nested, opening, value, Blocks};
use crate::error::Result;
use crate::infra::template::Resource;
use crate::infra::value::Value as V;
use crate::render::names::snake;

/// The blocks of an EC2-capacity resource; `None` for any other resource.
pub(super) fn print(m: &Module, r: &Resource) -> Option<Result<Blocks>> {
    Some(match (r.kind.as_str(), r.id.as_str()) {
        ("AWS::EC2::LaunchTemplate", _) => launch_template_of(m, r),
        ("AWS::AutoScaling::AutoScalingGroup", _) => group_of(m, r),
        ("AWS::ECS::CapacityProvider", _) => provider_of(m, r),
        ("AWS::ECS::ClusterCapacityProviderAssociations", _) => associations_of(m, r),
        _ => return None,
    })
}

/// The parameter an `ImageId` reads when it is an SSM parameter's value (`EcsAmiId`, whose
/// value CloudFormation resolves): Terraform reads it with an `aws_ssm_parameter` data source.
fn ssm_image<'t>(m: &Module<'t>, v: &V) -> Option<&'t str> {
    let V::Ref(name) = v else { return None };
    let p = m.t.parameter(name)?;
    p.kind
        .starts_with("AWS::SSM::Parameter::Value<")
        .then_some(p.id.as_str())
}

fn launch_template_of(m: &Module, r: &Resource) -> Result<Blocks> {
    const NAMES: &[(&str, &str)] = &[
        ("Groups", "security_groups"),
        ("SecurityGroupIds", "vpc_security_group_ids"),
        ("SecurityGroups", "security_group_names"),
    ];
    let p = m.props(r);
    let mut out = Vec::new();
    let data = p.get("LaunchTemplateData").cloned().unwrap_or(V::Null);
    let mut rest = Vec::new();
    let mut image = None;
    for (k, x) in data.as_map().unwrap_or(&[]) {
        match (k.as_str(), ssm_image(m, x)) {
            ("ImageId", Some(param)) => {
                let name = snake(param).trim_end_matches("_id").to_string();
                out.push((
                    super::data("aws_ssm_parameter", &name),
                    Body::new()
                        .attr_opt("count", m.count(r))
                        .attr("name", value(m, x)),
                ));
                let index = if r.condition.is_some() { "[0]" } else { "" };
                image = Some(raw(format!("data.aws_ssm_parameter.{name}{index}.value")));
            }
            ("UserData", _) => rest.push((k.clone(), x.clone())),
            _ => rest.push((k.clone(), x.clone())),
        }
    }
    let mut body = opening(m, r)
        .attr_opt("name", p.get("LaunchTemplateName").map(|x| value(m, x)))
        .attr_opt(
            "name_prefix",
            p.get("LaunchTemplateName")
                .is_none()
                .then(|| raw("\"${var.name}-\"")),
        )
        .attr_opt("image_id", image);
    body = body.extend(nested(m, &V::Map(rest), NAMES));
    p.finish()?;
    out.push((header(r), closing(m, r, body)));
    Ok(out)
}

fn group_of(m: &Module, r: &Resource) -> Result<Blocks> {
    let p = m.props(r);
    let lt = p.get("LaunchTemplate").cloned().unwrap_or(V::Null);
    let template = Body::new()
        .attr_opt("id", lt.get("LaunchTemplateId").map(|x| value(m, x)))
        .attr_opt("name", lt.get("LaunchTemplateName").map(|x| value(m, x)))
        .attr_opt("version", lt.get("Version").map(|x| value(m, x)));
    let mut b = opening(m, r)
        .attr_opt("name", p.get("AutoScalingGroupName").map(|x| value(m, x)))
        .attr_opt(
            "name_prefix",
            p.get("AutoScalingGroupName")
                .is_none()
                .then(|| raw("\"${var.name}-\"")),
        )
        .attr_opt("min_size", p.get("MinSize").map(|x| literal(m, x)))
        .attr_opt("max_size", p.get("MaxSize").map(|x| literal(m, x)))
        .attr_opt(
            "desired_capacity",
            p.get("DesiredCapacity").map(|x| literal(m, x)),
        )
        .attr_opt(
            "vpc_zone_identifier",
            p.get("VPCZoneIdentifier").map(|x| listed(m, x)),
        )
        .blank()
        .block("launch_template", template);
    // Each tag a `tag` block (`propagate_at_launch` as CloudFormation's `PropagateAtLaunch`).
    for t in p.get("Tags").and_then(V::as_list).unwrap_or(&[]) {
        b = b.blank().block("tag", nested(m, t, &[]));
    }
    // CloudFormation's rolling update on a new launch template version: an instance refresh.
    let rolling = r
        .attributes
        .iter()
        .find(|(k, _)| k == "UpdatePolicy")
        .and_then(|(_, u)| u.get("AutoScalingRollingUpdate"));
    if let Some(u) = rolling {
        let min = u
            .get("MinInstancesInService")
            .and_then(|x| match x {
                V::Num(n) => n.as_u64(),
                _ => None,
            })
            .unwrap_or(0);
        // Launch before terminating while the group must keep instances in service.
        let preferences = if min > 0 {
            Body::new()
                .attr("min_healthy_percentage", raw("100"))
                .attr("max_healthy_percentage", raw("200"))
        } else {
            Body::new().attr("min_healthy_percentage", raw("0"))
        };
        b = b.blank().block(
            "instance_refresh",
            Body::new()
                .attr("strategy", super::hcl::s("Rolling"))
                .blank()
                .block("preferences", preferences),
        );
    }
    let b = b.blank().block(
        "lifecycle",
        Body::new()
            .comment("The capacity provider's managed scaling owns the instance count.")
            .attr("ignore_changes", raw("[desired_capacity]")),
    );
    p.finish()?;
    Ok(vec![(header(r), closing(m, r, b))])
}

fn provider_of(m: &Module, r: &Resource) -> Result<Blocks> {
    let p = m.props(r);
    let asg = p
        .get("AutoScalingGroupProvider")
        .cloned()
        .unwrap_or(V::Null);
    // Terraform takes the group's ARN where CloudFormation also takes its name (`Ref`).
    let asg = match &asg {
        V::Map(pairs) => V::Map(
            pairs
                .iter()
                .map(|(k, x)| match x {
                    V::Ref(id) if k == "AutoScalingGroupArn" && m.t.resource(id).is_some() => {
                        (k.clone(), V::GetAtt(id.clone(), "Arn".into()))
                    }
                    _ => (k.clone(), x.clone()),
                })
                .collect(),
        ),
        other => other.clone(),
    };
    let name = p
        .get("Name")
        .map_or_else(|| raw("\"cp-${var.name}\""), |x| value(m, x));
    let b = opening(m, r)
        .attr("name", name)
        .blank()
        .block("auto_scaling_group_provider", nested(m, &asg, &[]));
    p.finish()?;
    Ok(vec![(header(r), closing(m, r, b))])
}

fn associations_of(m: &Module, r: &Resource) -> Result<Blocks> {
    let p = m.props(r);
    let mut b = opening(m, r)
        .attr_opt("cluster_name", p.get("Cluster").map(|x| value(m, x)))
        .attr_opt(
            "capacity_providers",
            p.get("CapacityProviders").map(|x| listed(m, x)),
        );
    for s in p
        .get("DefaultCapacityProviderStrategy")
        .and_then(V::as_list)
        .unwrap_or(&[])
    {
        b = b
            .blank()
            .block("default_capacity_provider_strategy", nested(m, s, &[]));
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
  Subnets: {Type: "List<AWS::EC2::Subnet::Id>"}
  EcsAmiId: {Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: /aws/service/ecs/x}
  CreateCapacity: {Type: String, Default: "true"}
Conditions:
  CreateCapacity: !Equals [!Ref CreateCapacity, "true"]
Resources:
  LaunchTemplate:
    Type: AWS::EC2::LaunchTemplate
    Condition: CreateCapacity
    Properties:
      LaunchTemplateData:
        ImageId: !Ref EcsAmiId
        MetadataOptions: {HttpTokens: required}
  AutoScalingGroup:
    Type: AWS::AutoScaling::AutoScalingGroup
    Condition: CreateCapacity
    Properties:
      MinSize: "1"
      MaxSize: "2"
      VPCZoneIdentifier: !Ref Subnets
      LaunchTemplate: {LaunchTemplateId: !Ref LaunchTemplate, Version: !GetAtt LaunchTemplate.LatestVersionNumber}
      Tags: [{Key: Name, Value: !Ref AWS::StackName, PropagateAtLaunch: true}]
  CapacityProvider:
    Type: AWS::ECS::CapacityProvider
    Condition: CreateCapacity
    Properties:
      AutoScalingGroupProvider: {AutoScalingGroupArn: !Ref AutoScalingGroup}
"#;

    #[test]
    fn capacity_prints_with_terraform_shapes() {
        let lt = printed(print, STACK, "LaunchTemplate").unwrap();
        assert!(
            lt.starts_with("data \"aws_ssm_parameter\" \"ecs_ami\" {\n  count = "),
            "{lt}"
        );
        assert!(
            lt.contains("image_id    = data.aws_ssm_parameter.ecs_ami[0].value"),
            "{lt}"
        );
        assert!(
            lt.contains("  metadata_options {\n    http_tokens = \"required\"\n  }"),
            "{lt}"
        );
        let asg = printed(print, STACK, "AutoScalingGroup").unwrap();
        assert!(asg.contains("min_size            = 1\n"), "{asg}");
        assert!(asg.contains("vpc_zone_identifier = var.subnets\n"), "{asg}");
        assert!(
            asg.contains("version = aws_launch_template.instances[0].latest_version"),
            "{asg}"
        );
        let cp = printed(print, STACK, "CapacityProvider").unwrap();
        assert!(
            cp.contains("auto_scaling_group_arn = aws_autoscaling_group.instances[0].arn"),
            "{cp}"
        );
    }
}
