//! The region and account the ARNs use: given on the command line (or by the live environment),
//! else read from the inputs — the platform ARN, certificate and secret ARNs, ECR image URIs —
//! with a finding naming where. A region that disagrees with a certificate's or an ECR image's
//! is a blocker: the load balancer cannot use a certificate of another region, and tasks pull
//! from another region's registry only by that region's URI.

use super::limits;
use super::Ctx;
use crate::codes;
use crate::finding::{Finding, Phase, Severity, Source};
use crate::load::settings::EnvSettings;
use crate::load::Inputs;

/// A region and/or account found in the inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clue {
    /// The region, when the ARN or URI has one.
    pub region: Option<String>,
    /// The account, when the ARN or URI has one.
    pub account: Option<String>,
    /// What it was found in (`certificate arn:…`, `ECR image …`).
    pub what: String,
    /// Where.
    pub source: Source,
    /// Whether the resource only works in its own region (an ACM certificate, an ECR image).
    pub binding: bool,
}

/// Region and account of an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:…`) and its service.
fn parse_arn(arn: &str) -> Option<(String, Option<String>, Option<String>)> {
    let mut parts = arn.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let _partition = parts.next()?;
    let service = parts.next()?.to_string();
    let region = parts.next()?;
    let account = parts.next()?;
    parts.next()?;
    let region = limits::partition_of(region).map(|_| region.to_string());
    let account = (account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()))
        .then(|| account.to_string());
    Some((service, region, account))
}

/// Account and region of an ECR image URI (`ACCOUNT.dkr.ecr.REGION.amazonaws.com/repo:tag`).
pub fn ecr_image(image: &str) -> Option<(String, String)> {
    let host = image.split('/').next()?;
    let mut parts = host.split('.');
    let account = parts.next()?;
    if parts.next()? != "dkr" || parts.next()? != "ecr" {
        return None;
    }
    let region = parts.next()?;
    let ok = account.len() == 12 && account.chars().all(|c| c.is_ascii_digit());
    (ok && limits::partition_of(region).is_some())
        .then(|| (account.to_string(), region.to_string()))
}

/// Every ARN inside a text (settings values may list several, comma-separated).
fn arns_in(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c == ',' || c.is_whitespace() || c == '"')
        .filter(|w| w.starts_with("arn:"))
}

/// The clues of the settings: the platform ARN, then every ARN an option value holds.
fn settings_clues(settings: &EnvSettings, out: &mut Vec<Clue>) {
    if let Some((_, Some(region), _)) = settings.platform.as_deref().and_then(parse_arn) {
        out.push(Clue {
            region: Some(region),
            account: None,
            what: format!(
                "the platform ARN {}",
                settings.platform.as_deref().unwrap_or("")
            ),
            source: Source::new(
                settings.files.last().cloned().unwrap_or_default(),
                "PlatformArn",
            ),
            binding: false,
        });
    }
    for setting in settings.options.values() {
        for arn in arns_in(&setting.value) {
            let Some((service, region, account)) = parse_arn(arn) else {
                continue;
            };
            let kind = match service.as_str() {
                "acm" => "certificate",
                "ssm" | "secretsmanager" => "secret",
                _ => continue,
            };
            out.push(Clue {
                region,
                account,
                what: format!("the {kind} {arn}"),
                source: setting.source.clone(),
                binding: kind == "certificate",
            });
        }
    }
}

/// The clues of the Dockerrun: ECR image URIs and secret ARNs.
fn dockerrun_clues(inputs: &Inputs, out: &mut Vec<Clue>) {
    let run = &inputs.dockerrun;
    for c in &run.containers {
        let source = Source::new(run.file.clone(), c.image_pointer.clone());
        if let Some((account, region)) = c.image.as_deref().and_then(ecr_image) {
            out.push(Clue {
                region: Some(region),
                account: Some(account),
                what: format!("the ECR image {}", c.image.as_deref().unwrap_or("")),
                source,
                binding: true,
            });
        }
        for s in &c.secrets {
            if let Some((_, region, account)) = parse_arn(&s.value_from) {
                out.push(Clue {
                    region,
                    account,
                    what: format!("the secret {}", s.value_from),
                    source: Source::new(run.file.clone(), format!("{}/secrets", c.pointer)),
                    binding: false,
                });
            }
        }
    }
}

/// Every region or account the inputs name, binding ones (certificates, ECR images) first.
pub fn clues(inputs: &Inputs, settings: &EnvSettings) -> Vec<Clue> {
    let mut out = Vec::new();
    dockerrun_clues(inputs, &mut out);
    settings_clues(settings, &mut out);
    out.sort_by_key(|c| !c.binding);
    out
}

/// The account: given, else the first the inputs name (a finding), else `None`.
pub fn account(ctx: &mut Ctx, given: Option<&str>, clues: &[Clue]) -> Option<String> {
    if let Some(a) = given {
        return Some(a.to_string());
    }
    let clue = clues.iter().find(|c| c.account.is_some())?;
    let account = clue.account.clone()?;
    ctx.push(
        Finding::new(
            codes::REGION_FROM_INPUTS,
            Severity::Info,
            clue.source.clone(),
            format!(
                "no --account-id given; account {account} is taken from {}",
                clue.what
            ),
            "Check that this is the account you deploy to, or pass --account-id.",
        )
        .in_phase(Phase::Deploy),
    );
    Some(account)
}

/// The region the inputs name (a finding), when none was given.
pub fn from_inputs(ctx: &mut Ctx, clues: &[Clue]) -> Option<String> {
    let clue = clues.iter().find(|c| c.region.is_some())?;
    let region = clue.region.clone()?;
    ctx.push(Finding::new(
        codes::REGION_FROM_INPUTS,
        Severity::Info,
        clue.source.clone(),
        format!("no region given (--region, AWS_REGION, AWS_DEFAULT_REGION); {region} is taken from {}", clue.what),
        "Check that this is the region you deploy to, or pass --region.",
    ).in_phase(Phase::Deploy));
    Some(region)
}

/// A blocker for every certificate or ECR image of another region than `region`.
pub fn mismatches(ctx: &mut Ctx, region: &str, clues: &[Clue]) {
    for clue in clues.iter().filter(|c| c.binding) {
        let Some(other) = clue.region.as_deref().filter(|r| *r != region) else {
            continue;
        };
        ctx.push(Finding::new(
            codes::REGION_MISMATCH,
            Severity::Blocker,
            clue.source.clone(),
            format!("the service is deployed to {region}, but {} is in {other}", clue.what),
            format!("Deploy to {other} (--region {other}), or use a certificate / push the image in {region}."),
        ).in_phase(Phase::Prepare));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_and_image_uris_name_region_and_account() {
        assert_eq!(
            parse_arn("arn:aws:acm:eu-west-1:123456789012:certificate/abc"),
            Some((
                "acm".into(),
                Some("eu-west-1".into()),
                Some("123456789012".into())
            ))
        );
        assert_eq!(
            parse_arn("arn:aws:elasticbeanstalk:us-east-2::platform/Docker/4.0"),
            Some(("elasticbeanstalk".into(), Some("us-east-2".into()), None))
        );
        assert_eq!(
            parse_arn("arn:aws:acm:REGION:1:certificate/x").unwrap().1,
            None
        );
        assert_eq!(parse_arn("not-an-arn"), None);
        assert_eq!(
            ecr_image("123456789012.dkr.ecr.ap-southeast-2.amazonaws.com/shop/app:1"),
            Some(("123456789012".into(), "ap-southeast-2".into()))
        );
        assert_eq!(ecr_image("nginx:1.25"), None);
        assert_eq!(ecr_image("ghcr.io/x/y"), None);
    }

    #[test]
    fn region_and_account_from_clues_and_mismatch_blocker() {
        use crate::convert::tests_support::ctx;
        use crate::model::LaunchType;
        let clues = vec![
            Clue {
                region: Some("eu-central-1".into()),
                account: Some("210987654321".into()),
                what: "the ECR image x".into(),
                source: Source::new("Dockerrun.aws.json", "/Image/Name"),
                binding: true,
            },
            Clue {
                region: Some("eu-west-1".into()),
                account: None,
                what: "the certificate y".into(),
                source: Source::new("s.config", "aws:elbv2:listener:443:SSLCertificateArns"),
                binding: true,
            },
        ];
        let mut c = ctx(LaunchType::Fargate);
        assert_eq!(from_inputs(&mut c, &clues).as_deref(), Some("eu-central-1"));
        assert_eq!(
            account(&mut c, None, &clues).as_deref(),
            Some("210987654321")
        );
        assert_eq!(account(&mut c, Some("1"), &clues).as_deref(), Some("1"));
        mismatches(&mut c, "eu-central-1", &clues);
        let codes: Vec<&str> = c.findings.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "REGION-FROM-INPUTS",
                "REGION-FROM-INPUTS",
                "REGION-MISMATCH"
            ]
        );
        let blocker = &c.findings[2];
        assert_eq!(blocker.severity, Severity::Blocker);
        assert!(
            blocker.message.contains("eu-west-1") && blocker.message.contains("certificate y"),
            "{}",
            blocker.message
        );
    }
}
