//! The live environment, read through the EB API (and S3 for the deployed source bundle).
//!
//! Read-only: DescribeEnvironments, DescribeConfigurationSettings, DescribeEnvironmentResources,
//! DescribeApplicationVersions and s3:GetObject. The standard credential chain, profiles and
//! regions apply; `AWS_ENDPOINT_URL` (and `AWS_ENDPOINT_URL_ELASTIC_BEANSTALK` /
//! `AWS_ENDPOINT_URL_S3`) are honoured. What is read becomes the same typed inputs as the file
//! loaders produce: [`super::live`] turns it into [`super::Inputs`].

use super::SourceFile;
use crate::error::{Error, Result};
#[cfg(feature = "live")]
use aws_sdk_elasticbeanstalk as eb;
#[cfg(feature = "live")]
use eb::error::{DisplayErrorContext, ProvideErrorMetadata};
#[cfg(feature = "live")]
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

#[cfg(feature = "live")]
fn progress(msg: &str) {
    eprintln!("eb2ecs: {msg}");
}

#[cfg(feature = "live")]
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

/// Everything read from the live environment, as eb2ecs saves it with `fetch`.
#[derive(Debug, Clone)]
pub struct LiveEnvironment {
    /// Environment name.
    pub environment: String,
    /// Region the calls went to.
    pub region: String,
    /// S3 location of the deployed bundle.
    pub bundle_location: Option<String>,
    /// The settings as `describe-configuration-settings` JSON (plus the environment's CNAME and
    /// resources), secret values withheld: exactly what `fetch` saves and the loader parses.
    pub describe_text: String,
    /// Dockerrun.aws.json, .ebextensions/*.config and the files the Dockerrun mounts, from the
    /// deployed bundle.
    pub bundle: Vec<SourceFile>,
}

/// Without the `live` feature there is no AWS SDK: reading a live environment is a usage error.
#[cfg(not(feature = "live"))]
pub fn read(req: &Request) -> Result<LiveEnvironment> {
    Err(Error::Usage(format!(
        "cannot read environment {}: eb2ecs was built without the live feature (rebuild with default features to use --environment or fetch)",
        req.environment
    )))
}

#[cfg(feature = "live")]
/// Read the live environment. Blocks on a small runtime of its own.
pub fn read(req: &Request) -> Result<LiveEnvironment> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Bug(format!("cannot start the async runtime: {e}")))?;
    rt.block_on(read_async(req))
}

#[cfg(feature = "live")]
async fn read_async(req: &Request) -> Result<LiveEnvironment> {
    let conf = sdk_config(req).await;
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
    let env = environment(&client, req, &region).await?;
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
    let options = option_settings(&client, req, &application).await?;
    progress("reading its resources…");
    let resources = resources(&client, req).await?;
    let (bundle_location, bundle) = match env.version_label() {
        Some(label) => source_bundle(&client, &conf, req, &application, label).await?,
        None => (None, Vec::new()),
    };
    let describe = serde_json::json!({"ConfigurationSettings": [{
        "ApplicationName": application,
        "EnvironmentName": req.environment,
        "PlatformArn": env.platform_arn(),
        "SolutionStackName": env.solution_stack_name(),
        "Tier": env.tier().map(|t| serde_json::json!({"Name": t.name(), "Type": t.r#type()})),
        "CNAME": env.cname(),
        "EnvironmentResources": resources,
        "OptionSettings": options,
    }]});
    let describe_text = serde_json::to_string_pretty(&describe)
        .map_err(|e| Error::Bug(format!("describe JSON: {e}")))?
        + "\n";
    Ok(LiveEnvironment {
        environment: req.environment.clone(),
        region,
        bundle_location,
        describe_text,
        bundle,
    })
}

#[cfg(feature = "live")]
async fn sdk_config(req: &Request) -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
    if let Some(r) = &req.region {
        loader = loader.region(aws_config::Region::new(r.clone()));
    }
    if let Some(p) = &req.profile {
        loader = loader.profile_name(p);
    }
    loader.load().await
}

#[cfg(feature = "live")]
async fn environment(
    client: &eb::Client,
    req: &Request,
    region: &str,
) -> Result<eb::types::EnvironmentDescription> {
    let out = client
        .describe_environments()
        .environment_names(&req.environment)
        .set_application_name(req.application.clone())
        .send()
        .await
        .map_err(|e| sdk_error(e, "elasticbeanstalk:DescribeEnvironments", req))?;
    out.environments()
        .iter()
        .find(|e| e.environment_name() == Some(req.environment.as_str()))
        .cloned()
        .ok_or_else(|| {
            Error::Aws(format!(
                "no environment named {}{} in {region}",
                req.environment,
                req.application
                    .as_deref()
                    .map(|a| format!(" in application {a}"))
                    .unwrap_or_default()
            ))
        })
}

#[cfg(feature = "live")]
/// The environment's option settings as describe JSON entries; secret values are withheld,
/// since the conversion needs only their names and `fetch` writes these to disk.
async fn option_settings(
    client: &eb::Client,
    req: &Request,
    application: &str,
) -> Result<Vec<serde_json::Value>> {
    let cfg = client
        .describe_configuration_settings()
        .application_name(application)
        .environment_name(&req.environment)
        .send()
        .await
        .map_err(|e| sdk_error(e, "elasticbeanstalk:DescribeConfigurationSettings", req))?;
    let mut out = Vec::new();
    let Some(first) = cfg.configuration_settings().first() else {
        return Ok(out);
    };
    for o in first.option_settings() {
        let (Some(ns), Some(name)) = (o.namespace(), o.option_name()) else {
            continue;
        };
        let mut value = o.value().unwrap_or("");
        if ns == "aws:elasticbeanstalk:application:environment"
            && crate::detect::secret_reason(name, value).is_some()
        {
            value = crate::detect::WITHHELD;
        }
        let mut j = serde_json::json!({"Namespace": ns, "OptionName": name, "Value": value});
        if let Some(r) = o.resource_name() {
            j["ResourceName"] = serde_json::Value::String(r.to_string());
        }
        out.push(j);
    }
    Ok(out)
}

#[cfg(feature = "live")]
/// The load balancers and Auto Scaling groups, in the DescribeEnvironmentResources shape.
async fn resources(client: &eb::Client, req: &Request) -> Result<serde_json::Value> {
    let res = client
        .describe_environment_resources()
        .environment_name(&req.environment)
        .send()
        .await
        .map_err(|e| sdk_error(e, "elasticbeanstalk:DescribeEnvironmentResources", req))?;
    let names = |v: Vec<&str>| -> Vec<serde_json::Value> {
        v.into_iter()
            .map(|n| serde_json::json!({"Name": n}))
            .collect()
    };
    let r = res.environment_resources();
    Ok(serde_json::json!({
        "LoadBalancers": names(r.map(|r| r.load_balancers().iter().filter_map(|l| l.name()).collect()).unwrap_or_default()),
        "AutoScalingGroups": names(r.map(|r| r.auto_scaling_groups().iter().filter_map(|a| a.name()).collect()).unwrap_or_default()),
    }))
}

#[cfg(feature = "live")]
/// The deployed version's source bundle: its S3 location and the files eb2ecs reads.
async fn source_bundle(
    client: &eb::Client,
    conf: &aws_config::SdkConfig,
    req: &Request,
    application: &str,
    label: &str,
) -> Result<(Option<String>, Vec<SourceFile>)> {
    progress(&format!("reading application version {label}…"));
    let versions = client
        .describe_application_versions()
        .application_name(application)
        .version_labels(label)
        .send()
        .await
        .map_err(|e| sdk_error(e, "elasticbeanstalk:DescribeApplicationVersions", req))?;
    let loc = versions
        .application_versions()
        .first()
        .and_then(|v| v.source_bundle());
    let Some((bucket, key)) = loc.and_then(|l| l.s3_bucket().zip(l.s3_key())) else {
        return Ok((None, Vec::new()));
    };
    let location = format!("s3://{bucket}/{key}");
    progress(&format!("downloading the source bundle {location}…"));
    let mut s3conf = aws_sdk_s3::config::Builder::from(conf);
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
        .map_err(|e| Error::Aws(format!("reading {location}: {e}")))?
        .into_bytes();
    let files = unzip_bundle(&bytes, &location)?;
    Ok((Some(location), files))
}

#[cfg(feature = "live")]
/// The files of a source bundle (a zip) that eb2ecs reads: Dockerrun.aws.json,
/// `.ebextensions/*.config`, and the text files under the folders the Dockerrun mounts from the
/// bundle (at most [`super::MAX_SOURCE_FILES`], each under [`super::MAX_SOURCE_FILE`] bytes).
pub fn unzip_bundle(bytes: &[u8], name: &str) -> Result<Vec<SourceFile>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| Error::Aws(format!("{name} is not a zip archive: {e}")))?;
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let path = entry_path(&mut zip, i, name)?;
        let wanted = path.eq_ignore_ascii_case("Dockerrun.aws.json")
            || (path.starts_with(".ebextensions/")
                && path.ends_with(".config")
                && !path[14..].contains('/'));
        if wanted {
            if let Some(text) = entry_text(&mut zip, i, name, &path, true)? {
                out.push(SourceFile { path, text });
            }
        }
    }
    let has_dockerrun = out
        .iter()
        .any(|f| f.path.eq_ignore_ascii_case("Dockerrun.aws.json"));
    // A compose, Dockerfile or language-platform bundle is read like a project folder: keep its
    // text files, the shallowest first, within the limits.
    let mounted = if has_dockerrun {
        mounted_paths(&out)
    } else {
        vec![String::new()]
    };
    let mut order: Vec<(usize, String, usize)> = Vec::new();
    for i in 0..zip.len() {
        let path = entry_path(&mut zip, i, name)?;
        order.push((path.matches('/').count(), path, i));
    }
    order.sort();
    for (_, path, i) in order {
        if out.len() >= super::MAX_SOURCE_FILES {
            break;
        }
        let under =
            |rel: &String| rel.is_empty() || path == *rel || path.starts_with(&format!("{rel}/"));
        if !path.is_empty() && mounted.iter().any(under) && !out.iter().any(|f| f.path == path) {
            if let Some(text) = entry_text(&mut zip, i, name, &path, false)? {
                out.push(SourceFile { path, text });
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

#[cfg(feature = "live")]
/// What the bundle's Dockerrun mounts from the bundle (nothing when it does not parse: the
/// loader reports that with its line and column).
fn mounted_paths(files: &[SourceFile]) -> Vec<String> {
    files
        .iter()
        .find(|f| f.path.eq_ignore_ascii_case("Dockerrun.aws.json"))
        .and_then(|f| serde_json::from_str(&f.text).ok())
        .and_then(|doc| super::dockerrun::parse("Dockerrun.aws.json", &doc).ok())
        .map(|(run, _)| super::bundle_paths(&run))
        .unwrap_or_default()
}

#[cfg(feature = "live")]
fn entry_path(
    zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    i: usize,
    name: &str,
) -> Result<String> {
    let f = zip
        .by_index(i)
        .map_err(|e| Error::Aws(format!("{name}: {e}")))?;
    // An entry whose name leaves the bundle (`../x`, `/etc/x`) is never read nor written: its
    // path is empty, which matches nothing.
    Ok(match f.enclosed_name() {
        Some(p) => p
            .to_string_lossy()
            .replace('\\', "/")
            .trim_start_matches("./")
            .to_string(),
        None => String::new(),
    })
}

#[cfg(feature = "live")]
/// The text of one regular file of the bundle; `None` for folders, links, large or non-text
/// files unless `required` (then not being text is an error).
fn entry_text(
    zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    i: usize,
    name: &str,
    path: &str,
    required: bool,
) -> Result<Option<String>> {
    let f = zip
        .by_index(i)
        .map_err(|e| Error::Aws(format!("{name}: {e}")))?;
    if !f.is_file() || (!required && f.size() >= super::MAX_SOURCE_FILE) {
        return Ok(None);
    }
    let mut text = String::new();
    match f.take(super::MAX_SOURCE_FILE * 8).read_to_string(&mut text) {
        Ok(_) => Ok(Some(text)),
        Err(_) if !required => Ok(None),
        Err(e) => Err(Error::Aws(format!("{name}: {path} is not UTF-8 text: {e}"))),
    }
}

#[cfg(all(test, feature = "live"))]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        for (name, text) in entries {
            z.start_file(*name, zip::write::SimpleFileOptions::default())
                .expect("zip entry");
            z.write_all(text.as_bytes()).expect("zip write");
        }
        z.finish().expect("zip");
        buf.into_inner()
    }

    /// A bundle without a Dockerrun keeps its text files; an entry whose name leaves the bundle
    /// is neither kept nor (so) ever written by `fetch`.
    #[test]
    fn bundle_entries_outside_the_bundle_are_dropped() {
        let bytes = zip_of(&[
            ("package.json", "{}"),
            ("../../evil.sh", "echo pwned"),
            ("/etc/cron.d/x", "* * * * * root x"),
            ("src/app.js", "x"),
        ]);
        let files = unzip_bundle(&bytes, "b.zip").expect("unzip");
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, vec!["package.json", "src/app.js"]);
    }
}
