//! EB options that concern no single part of the task: the process port, instance-level options
//! with no ECS counterpart, and the report of every option a file set that no rule used.

use super::mapper::{Mapper, PROCESS};
use super::Ctx;
use crate::codes;
use crate::finding::{Finding, Phase, Severity, Source};
use crate::load::settings::Layer;

/// The EB process port (the host port the load balancer reached).
pub fn process_port(ctx: &mut Ctx, m: &Mapper) -> u16 {
    let classic_port = m
        .value("aws:elb:listener", "InstancePort")
        .and_then(|p| p.parse().ok());
    let n = m.number(ctx, PROCESS, "Port");
    match (m.get(PROCESS, "Port").map(|s| s.layer), classic_port) {
        (Some(Layer::Default) | None, Some(p)) => p,
        _ => u16::try_from(n).unwrap_or(80),
    }
}

/// Findings for the instance-level options that have an ECS counterpart or none.
pub fn instance_options(ctx: &mut Ctx, m: &Mapper) {
    instance_access(ctx, m);
    instance_configuration(ctx, m);
    instance_features(ctx, m);
}

const LAUNCH_CONFIGURATION: &str = "aws:autoscaling:launchconfiguration";

/// What the instances could reach and who could reach them: instance profile, SSH key and
/// security groups.
fn instance_access(ctx: &mut Ctx, m: &Mapper) {
    let lc = LAUNCH_CONFIGURATION;
    if let Some(p) = m.get(lc, "IamInstanceProfile") {
        ctx.push(Finding::new(
            codes::TASK_ROLE_FROM_INSTANCE_PROFILE,
            Severity::Warning,
            p.source.clone(),
            format!("the application ran with the instance profile `{}`; the task role has no permissions yet", p.value),
            format!("List what `{}` allows (aws iam list-attached-role-policies / list-role-policies), grant the task role only what the application uses, and leave out the EB and ECS agent permissions.", p.value),
        ));
    }
    if let Some(k) = m.get(lc, "EC2KeyName") {
        ctx.push(Finding::new(
            codes::SSH_KEY,
            Severity::Info,
            k.source.clone(),
            format!("EB instances accepted SSH with key pair `{}`; there is no SSH into Fargate tasks", k.value),
            "Use ECS Exec (enableExecuteCommand on the service, ssmmessages permissions on the task role) to get a shell in a container.",
        ));
    }
    if let Some(sg) = m.get(lc, "SecurityGroups") {
        // The groups whose rules admit EB's instance groups: the databases and caches the tasks
        // must be let into (a live environment's settings name EB's own group by id).
        let ids: Vec<&str> = sg
            .value
            .split(',')
            .map(str::trim)
            .filter(|g| {
                g.strip_prefix("sg-").is_some_and(|h| {
                    !h.is_empty()
                        && h.bytes()
                            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
                })
            })
            .collect();
        let find = if ids.is_empty() {
            String::new()
        } else {
            format!(
                " The groups that admit them, by rule: {}.",
                crate::text::code(&format!(
                    "aws ec2 describe-security-groups --region {} --filters {} --query 'SecurityGroups[].[GroupId,GroupName]' --output text",
                    crate::text::sh(&ctx.region),
                    crate::text::sh(&format!("Name=ip-permission.group-id,Values={}", ids.join(",")))
                ))
            )
        };
        ctx.push(Finding::new(
            codes::INSTANCE_SECURITY_GROUPS,
            Severity::Warning,
            sg.source.clone(),
            format!("EB instances were also in security group(s) `{}` (often how they reached a database or cache)", sg.value),
            format!("Allow the service's security group (stack output ServiceSecurityGroupId) wherever these groups were allowed (database, cache), or add them to the service's networkConfiguration.{find}"),
        ));
    }
}

/// Options that configured the instances themselves, which Fargate does not have.
fn instance_configuration(ctx: &mut Ctx, m: &Mapper) {
    let lc = LAUNCH_CONFIGURATION;
    for opt in [
        "RootVolumeSize",
        "RootVolumeType",
        "RootVolumeIOPS",
        "RootVolumeThroughput",
        "MonitoringInterval",
        "ImageId",
        "DisableIMDSv1",
        "BlockDeviceMappings",
        "SSHSourceRestriction",
    ] {
        if let Some(s) = m.get(lc, opt) {
            ctx.push(Finding::new(
                codes::INSTANCE_OPTION,
                Severity::Info,
                s.source.clone(),
                format!("{lc}:{opt} configured the EB instances; Fargate tasks have no instance to configure"),
                if opt.starts_with("RootVolume") {
                    "If the application needs disk beyond 20 GiB, set ephemeralStorage on the task definition."
                } else {
                    "Nothing to do on Fargate; on EC2, set it on the launch template."
                },
            ));
        }
    }
}

/// Spot instances and X-Ray, which ECS offers in another form.
fn instance_features(ctx: &mut Ctx, m: &Mapper) {
    if let Some(s) = m
        .get("aws:ec2:instances", "EnableSpot")
        .filter(|s| s.value.eq_ignore_ascii_case("true"))
    {
        ctx.push(Finding::new(
            codes::SPOT_INSTANCES,
            Severity::Info,
            s.source.clone(),
            "EB used Spot instances",
            "Use the FARGATE_SPOT capacity provider (or Spot in the EC2 capacity provider's Auto Scaling group) for the same savings.",
        ));
    }
    if let Some(s) = m
        .get("aws:elasticbeanstalk:xray", "XRayEnabled")
        .filter(|s| s.value.eq_ignore_ascii_case("true"))
    {
        ctx.push(Finding::new(
            codes::XRAY_SIDECAR,
            Severity::Info,
            s.source.clone(),
            "X-Ray was on: EB ran the X-Ray daemon on each instance; the task gets an xray-daemon sidecar and the task role X-Ray write permissions",
            "Point the SDK at the sidecar (AWS_XRAY_DAEMON_ADDRESS=localhost:2000, the default).",
        ));
    }
}

/// A finding for every namespace with options a file or the environment set that nothing above
/// used (one per namespace, naming its options, so a live environment's hundreds of settings
/// stay readable).
pub fn unconverted(ctx: &mut Ctx, m: &Mapper) {
    let mut by_ns: Vec<(String, Vec<String>, Source)> = Vec::new();
    // The options are sorted by namespace: a namespace's options are consecutive, so only the
    // last group can be this namespace's (linear, however many namespaces).
    for ((ns, opt), s) in &m.settings.options {
        if s.layer == Layer::Default || m.is_used(ns, opt) || s.value.trim().is_empty() {
            continue;
        }
        match by_ns.last_mut().filter(|(n, _, _)| n == ns) {
            Some((_, opts, _)) => opts.push(opt.clone()),
            None => by_ns.push((ns.clone(), vec![opt.clone()], s.source.clone())),
        }
    }
    for (ns, opts, first_source) in by_ns {
        let (severity, code, action) = crate::support::leftover(&ns);
        let f = if code == codes::RDS_COUPLED {
            Finding::new(
                code,
                severity,
                first_source,
                "the environment has an EB-managed RDS database (aws:rds:dbinstance)",
                action,
            )
            .in_phase(Phase::Decommission)
        } else {
            let source = if opts.len() == 1 {
                first_source
            } else {
                Source::new(first_source.file.clone(), ns.clone())
            };
            Finding::new(
                code,
                severity,
                source,
                if opts.len() == 1 {
                    format!("{ns}:{} is not carried over", opts[0])
                } else {
                    format!("{ns} options {} are not carried over", opts.join(", "))
                },
                action,
            )
        };
        ctx.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::tests_support::{ctx, settings};
    use crate::model::LaunchType;

    #[test]
    fn unused_options_are_reported_and_rds_is_a_blocker() {
        let s = settings(&[
            ("aws:rds:dbinstance", "DBEngine", "postgres"),
            ("aws:rds:dbinstance", "DBUser", "x"),
            ("aws:foo:bar", "Baz", "1"),
        ]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        unconverted(&mut c, &m);
        let codes: Vec<_> = c
            .findings
            .iter()
            .map(|f| (f.code.as_str(), f.severity))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("SETTING-NOT-CONVERTED", Severity::Warning),
                ("RDS-COUPLED", Severity::Blocker)
            ]
        );
    }

    /// EB's instance groups by id (what a live environment's settings show): the finding gives
    /// the command that names the groups admitting them, every value quoted.
    #[test]
    fn instance_groups_by_id_come_with_the_command_that_finds_their_admitters() {
        let s = settings(&[(
            "aws:autoscaling:launchconfiguration",
            "SecurityGroups",
            "sg-0abc1234def567890, awseb-e-x-stack-AWSEBSecurityGroup-1,sg-Bad!",
        )]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        instance_access(&mut c, &m);
        let f = c
            .findings
            .iter()
            .find(|f| f.code == codes::INSTANCE_SECURITY_GROUPS)
            .expect("the finding");
        assert!(
            f.action
                .contains("--filters Name=ip-permission.group-id,Values=sg-0abc1234def567890 ")
                && !f.action.contains("Bad"),
            "{}",
            f.action
        );
    }

    /// An option eb2ecs does not know, in a namespace it converts, is still reported: the whole
    /// mapping runs, then everything not read is listed.
    #[test]
    fn unknown_option_in_a_converted_namespace_is_reported() {
        let s = settings(&[
            ("aws:autoscaling:asg", "MinSize", "2"),
            ("aws:autoscaling:asg", "Cooldown", "360"),
            ("aws:autoscaling:asg", "Availability Zones", "Any 2"),
        ]);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        let env = crate::convert::environment::decide(&mut c, &m, &[]).with_load_balancer(None);
        instance_options(&mut c, &m);
        unconverted(&mut c, &m);
        assert_eq!(env.scaling.min, 2);
        let f = c
            .findings
            .iter()
            .find(|f| f.code == "SETTING-NOT-CONVERTED")
            .expect("reported");
        assert!(
            f.message.contains("Availability Zones, Cooldown"),
            "{}",
            f.message
        );
        assert_eq!(f.source.location, "aws:autoscaling:asg");
    }
}
