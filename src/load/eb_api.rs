//! The live environment, read through the EB API (and S3 for the deployed source bundle).
//!
//! Read-only: DescribeEnvironments, DescribeConfigurationSettings, DescribeEnvironmentResources,
//! DescribeApplicationVersions and s3:GetObject. The standard credential chain, profiles and
//! regions apply; `AWS_ENDPOINT_URL` (and `AWS_ENDPOINT_URL_ELASTIC_BEANSTALK` /
//! `AWS_ENDPOINT_URL_S3`) are honoured. What is read becomes the same typed inputs as the file
//! loaders produce.

use crate::error::{Error, Result};
use crate::load::settings::{Layer, OptionValue, RawOption, SettingsDoc};
use aws_sdk_elasticbeanstalk as eb;
use eb::error::{DisplayErrorContext, ProvideErrorMetadata};
use std::io::Read;

/// What eb2ecs asks for.
#[derive(Debug, Clone)]
pub struct Request {
    /// Environment name.
    pub environment: String,
    /// Application name (narrows the search).
    pub application: Option<String>,
    /// Region (else the standard chain decides).
    pub region: Option<String>,
    /// Profile (else the standard chain decides).
    pub profile: Option<String>,
}

/// A file of the deployed source bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleFile {
    /// Path inside the bundle.
    pub path: String,
    /// Text.
    pub text: String,
}

/// Everything read from the live environment.
#[derive(Debug, Clone)]
pub struct LiveEnvironment {
    /// Environment name.
    pub environment: String,
    /// Application name.
    pub application: String,
    /// Region the calls went to.
    pub region: String,
    /// The environment's CNAME.
    pub cname: Option<String>,
    /// Platform ARN or solution stack.
    pub platform: Option<String>,
    /// Tier name.
    pub tier: Option<String>,
    /// Deployed version label.
    pub version_label: Option<String>,
    /// S3 location of the deployed bundle.
    pub bundle_location: Option<String>,
    /// The settings, in the describe-configuration-settings shape.
    pub describe_json: serde_json::Value,
    /// The effective settings as a typed document.
    pub settings: SettingsDoc,
    /// Dockerrun.aws.json and .ebextensions/*.config from the bundle.
    pub bundle: Vec<BundleFile>,
    /// Load balancer and Auto Scaling group names.
    pub resources: Vec<String>,
}

fn progress(msg: &str) {
    eprintln!("eb2ecs: {msg}");
}

/// Turn an SDK error into a message that says what to do.
fn sdk_error<E: ProvideErrorMetadata + std::error::Error + 'static, R: std::fmt::Debug>(
    err: eb::error::SdkError<E, R>,
    action: &str,
    req: &Request,
) -> Error {
    let code = err.code().unwrap_or("").to_string();
    let detail = DisplayErrorContext(&err).to_string();
    let lower = detail.to_ascii_lowercase();
    let msg = if code.contains("AccessDenied") || code == "UnauthorizedOperation" {
        format!("access denied: the credentials lack the permission {action} (see the IAM policy in README.md)")
    } else if code == "InvalidClientTokenId"
        || code == "SignatureDoesNotMatch"
        || code == "ExpiredToken"
        || code == "InvalidAccessKeyId"
    {
        format!("the AWS credentials were rejected ({code}); refresh them (aws sso login, or new access keys)")
    } else if lower.contains("no credentials")
        || lower.contains("credentials provider")
        || lower.contains("failed to load credentials")
        || lower.contains("credentialsnotloaded")
    {
        "no AWS credentials found: set AWS_PROFILE / --profile, run aws configure or aws sso login, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY".to_string()
    } else if code == "Throttling" || code == "ThrottlingException" {
        format!("AWS kept throttling {action} after retries; try again in a minute")
    } else if matches!(
        err,
        eb::error::SdkError::DispatchFailure(_) | eb::error::SdkError::TimeoutError(_)
    ) {
        format!("cannot reach AWS for {action} (network, proxy or AWS_ENDPOINT_URL?): {detail}")
    } else {
        format!("{action} failed: {detail}")
    };
    Error::Aws(format!("environment {}: {msg}", req.environment))
}

/// Read the live environment. Blocks on a small runtime of its own.
pub fn read(req: &Request) -> Result<LiveEnvironment> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Bug(format!("cannot start the async runtime: {e}")))?;
    rt.block_on(read_async(req))
}

async fn read_async(req: &Request) -> Result<LiveEnvironment> {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
    if let Some(r) = &req.region {
        loader = loader.region(aws_config::Region::new(r.clone()));
    }
    if let Some(p) = &req.profile {
        loader = loader.profile_name(p);
    }
    let conf = loader.load().await;
    let region = conf.region().map(ToString::to_string).ok_or_else(|| {
        Error::Aws(
            "no AWS region: pass --region, or set AWS_REGION or a profile region".to_string(),
        )
    })?;
    let client = eb::Client::new(&conf);
    progress(&format!(
        "reading environment {} in {region} from Elastic Beanstalk…",
        req.environment
    ));
    let out = client
        .describe_environments()
        .environment_names(&req.environment)
        .set_application_name(req.application.clone())
        .send()
        .await
        .map_err(|e| sdk_error(e, "elasticbeanstalk:DescribeEnvironments", req))?;
    let env = out
        .environments()
        .iter()
        .find(|e| e.environment_name() == Some(req.environment.as_str()))
        .ok_or_else(|| {
            Error::Aws(format!(
                "no environment named {}{} in {region}",
                req.environment,
                req.application
                    .as_deref()
                    .map(|a| format!(" in application {a}"))
                    .unwrap_or_default()
            ))
        })?;
    let application = env
        .application_name()
        .map(str::to_string)
        .or_else(|| req.application.clone())
        .ok_or_else(|| {
            Error::Aws(format!(
                "environment {} has no application name",
                req.environment
            ))
        })?;
    progress("reading its configuration settings…");
    let cfg = client
        .describe_configuration_settings()
        .application_name(&application)
        .environment_name(&req.environment)
        .send()
        .await
        .map_err(|e| sdk_error(e, "elasticbeanstalk:DescribeConfigurationSettings", req))?;
    let mut options = Vec::new();
    let mut json_options = Vec::new();
    if let Some(first) = cfg.configuration_settings().first() {
        for o in first.option_settings() {
            let (Some(ns), Some(name)) = (o.namespace(), o.option_name()) else {
                continue;
            };
            let mut value = o.value().unwrap_or("").to_string();
            // Secrets never land in a file eb2ecs writes; the conversion needs only the name.
            if ns == "aws:elasticbeanstalk:application:environment"
                && crate::detect::secret_reason(name, &value).is_some()
            {
                value = crate::detect::WITHHELD.to_string();
            }
            options.push(RawOption {
                namespace: ns.to_string(),
                option: name.to_string(),
                resource: o.resource_name().map(str::to_string),
                value: OptionValue::Text(value.clone()),
            });
            let mut j = serde_json::json!({"Namespace": ns, "OptionName": name, "Value": value});
            if let Some(r) = o.resource_name() {
                j["ResourceName"] = serde_json::Value::String(r.to_string());
            }
            json_options.push(j);
        }
    }
    progress("reading its resources…");
    let res = client
        .describe_environment_resources()
        .environment_name(&req.environment)
        .send()
        .await
        .map_err(|e| sdk_error(e, "elasticbeanstalk:DescribeEnvironmentResources", req))?;
    let mut resources = Vec::new();
    if let Some(r) = res.environment_resources() {
        resources.extend(
            r.load_balancers()
                .iter()
                .filter_map(|l| l.name())
                .map(|n| format!("load balancer {n}")),
        );
        resources.extend(
            r.auto_scaling_groups()
                .iter()
                .filter_map(|a| a.name())
                .map(|n| format!("Auto Scaling group {n}")),
        );
    }
    let mut bundle = Vec::new();
    let mut bundle_location = None;
    if let Some(label) = env.version_label() {
        progress(&format!("reading application version {label}…"));
        let versions = client
            .describe_application_versions()
            .application_name(&application)
            .version_labels(label)
            .send()
            .await
            .map_err(|e| sdk_error(e, "elasticbeanstalk:DescribeApplicationVersions", req))?;
        if let Some(loc) = versions
            .application_versions()
            .first()
            .and_then(|v| v.source_bundle())
        {
            if let (Some(bucket), Some(key)) = (loc.s3_bucket(), loc.s3_key()) {
                bundle_location = Some(format!("s3://{bucket}/{key}"));
                progress(&format!(
                    "downloading the source bundle s3://{bucket}/{key}…"
                ));
                let mut s3conf = aws_sdk_s3::config::Builder::from(&conf);
                if std::env::var_os("AWS_ENDPOINT_URL").is_some()
                    || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some()
                {
                    s3conf = s3conf.force_path_style(true);
                }
                let s3 = aws_sdk_s3::Client::from_conf(s3conf.build());
                let obj = s3
                    .get_object()
                    .bucket(bucket)
                    .key(key)
                    .send()
                    .await
                    .map_err(|e| sdk_error(e, "s3:GetObject on the source bundle", req))?;
                let bytes = obj
                    .body
                    .collect()
                    .await
                    .map_err(|e| Error::Aws(format!("reading s3://{bucket}/{key}: {e}")))?
                    .into_bytes();
                bundle = unzip_bundle(&bytes, &format!("s3://{bucket}/{key}"))?;
            }
        }
    }
    let describe_json = serde_json::json!({"ConfigurationSettings": [{
        "ApplicationName": application,
        "EnvironmentName": req.environment,
        "PlatformArn": env.platform_arn(),
        "SolutionStackName": env.solution_stack_name(),
        "Tier": env.tier().map(|t| serde_json::json!({"Name": t.name(), "Type": t.r#type()})),
        "OptionSettings": json_options,
    }]});
    let settings = SettingsDoc {
        file: format!("environment {}", req.environment),
        layer: Layer::Environment,
        options,
        platform: env
            .platform_arn()
            .or(env.solution_stack_name())
            .map(str::to_string),
        tier: env.tier().and_then(|t| t.name()).map(str::to_string),
        environment_name: Some(req.environment.clone()),
        application_name: Some(application.clone()),
        cname: env.cname().map(str::to_string),
        resources: resources.clone(),
        findings: Vec::new(),
    };
    Ok(LiveEnvironment {
        environment: req.environment.clone(),
        application,
        region,
        cname: env.cname().map(str::to_string),
        platform: settings.platform.clone(),
        tier: settings.tier.clone(),
        version_label: env.version_label().map(str::to_string),
        bundle_location,
        describe_json,
        settings,
        bundle,
        resources,
    })
}

/// The Dockerrun and .ebextensions files of a source bundle (a zip).
pub fn unzip_bundle(bytes: &[u8], name: &str) -> Result<Vec<BundleFile>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| Error::Aws(format!("{name} is not a zip archive: {e}")))?;
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip
            .by_index(i)
            .map_err(|e| Error::Aws(format!("{name}: {e}")))?;
        let path = f.name().trim_start_matches("./").to_string();
        let wanted = path.eq_ignore_ascii_case("Dockerrun.aws.json")
            || (path.starts_with(".ebextensions/")
                && path.ends_with(".config")
                && !path[14..].contains('/'));
        if !wanted || !f.is_file() {
            continue;
        }
        let mut text = String::new();
        f.read_to_string(&mut text)
            .map_err(|e| Error::Aws(format!("{name}: {path} is not UTF-8 text: {e}")))?;
        out.push(BundleFile { path, text });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
