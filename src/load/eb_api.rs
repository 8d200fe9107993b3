//! The live environment, read through the EB API (and S3 for the deployed source bundle).
//!
//! Read-only: DescribeEnvironments, DescribeConfigurationSettings, DescribeEnvironmentResources,
//! DescribeApplicationVersions and s3:GetObject; for a fleet ([`super::fleet`]) also
//! DescribeApplications and DescribePlatformVersion. The standard credential chain, profiles and
//! regions apply; `AWS_ENDPOINT_URL` (and `AWS_ENDPOINT_URL_ELASTIC_BEANSTALK` /
//! `AWS_ENDPOINT_URL_S3`) are honoured; throttling is retried with the SDK's adaptive retry.
//! One [`Session`] (SDK configuration and clients) per region is shared by every environment
//! read there. What is read becomes the same typed inputs as the file loaders produce:
//! [`super::live`] turns it into [`super::Inputs`].

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

/// Where a read says what it is doing: called with the API action (`DescribeConfigurationSettings`,
/// `s3:GetObject`) and a sentence for a person. The one-environment reader prints the sentence on
/// stderr; the fleet reader shows the action on its progress bar, or nothing.
pub type Progress<'a> = &'a (dyn Fn(&str, &str) + Sync);

#[cfg(feature = "live")]
fn to_stderr(_action: &str, msg: &str) {
    eprintln!("eb2ecs: {msg}");
}

#[cfg(feature = "live")]
/// Turn an SDK error into a message that says what to do; `about` names what was read
/// (`environment NAME`, a region, a platform).
fn sdk_error<
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
>(
    err: eb::error::SdkError<E, R>,
    action: &str,
    about: &str,
) -> Error {
    let code = err.code().unwrap_or("").to_string();
    let detail = DisplayErrorContext(&err).to_string();
    let lower = detail.to_ascii_lowercase();
    let msg = if code.contains("AccessDenied") || code == "UnauthorizedOperation" {
        format!("access denied: the credentials lack the permission {action} (see the IAM policy in README.md)")
    } else if code.starts_with("ExpiredToken")
        || code == "RequestExpired"
        || lower.contains("token has expired")
        || lower.contains("session has expired")
    {
        super::aws_error::expired(None)
    } else if code == "InvalidClientTokenId"
        || code == "SignatureDoesNotMatch"
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
    } else if code == "InvalidParameterValue" && lower.contains("no environment found") {
        format!("{action}: the environment no longer exists (deleted while eb2ecs was reading it?)")
    } else if let eb::error::SdkError::DispatchFailure(d) = &err {
        super::aws_error::unreachable(&err, d.is_timeout(), action)
    } else if let eb::error::SdkError::TimeoutError(_) = &err {
        super::aws_error::unreachable(&err, true, action)
    } else if !code.is_empty() {
        format!(
            "{action} failed: {code}: {}",
            crate::text::escape(err.message().unwrap_or("no message"))
        )
    } else {
        format!("{action} failed: {}", super::aws_error::chain(&err))
    };
    Error::Aws(format!("{about}: {msg}"))
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
    runtime()?.block_on(read_async(req))
}

#[cfg(feature = "live")]
/// A single-threaded runtime: the reads wait on the network, not on the CPU.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Bug(format!("cannot start the async runtime: {e}")))
}

#[cfg(feature = "live")]
async fn read_async(req: &Request) -> Result<LiveEnvironment> {
    let session = Session::connect(req.region.as_deref(), req.profile.as_deref()).await?;
    to_stderr(
        "DescribeEnvironments",
        &format!(
            "reading environment {} in {} from Elastic Beanstalk…",
            req.environment, session.region
        ),
    );
    let env = environment(&session, req).await?;
    read_described(&session, &env, req.application.as_deref(), &to_stderr).await
}

#[cfg(feature = "live")]
/// One region's SDK configuration and clients (EB and S3), shared by every environment read
/// there: credentials are resolved once, connections and the adaptive retry's rate limit are
/// shared.
#[derive(Clone, Debug)]
pub struct Session {
    /// The region the calls go to.
    pub region: String,
    eb: eb::Client,
    s3: aws_sdk_s3::Client,
}

#[cfg(feature = "live")]
impl Session {
    /// Load the configuration (the standard chain, `region` and `profile` when given) with
    /// adaptive retry, and make the clients.
    pub async fn connect(region: Option<&str>, profile: Option<&str>) -> Result<Session> {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .retry_config(aws_config::retry::RetryConfig::adaptive());
        if let Some(r) = region {
            loader = loader.region(aws_config::Region::new(r.to_string()));
        }
        if let Some(p) = profile {
            if let Some(msg) = super::aws_error::missing_profile(p) {
                return Err(Error::Aws(msg));
            }
            loader = loader.profile_name(p);
        }
        let conf = loader.load().await;
        let region = conf.region().map(ToString::to_string).ok_or_else(|| {
            Error::Aws(
                "no AWS region: pass --region, or set AWS_REGION or a profile region".to_string(),
            )
        })?;
        let mut s3conf = aws_sdk_s3::config::Builder::from(&conf);
        if std::env::var_os("AWS_ENDPOINT_URL").is_some()
            || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some()
        {
            s3conf = s3conf.force_path_style(true);
        }
        Ok(Session {
            region,
            eb: eb::Client::new(&conf),
            s3: aws_sdk_s3::Client::from_conf(s3conf.build()),
        })
    }
}

#[cfg(feature = "live")]
async fn environment(
    session: &Session,
    req: &Request,
) -> Result<eb::types::EnvironmentDescription> {
    let out = session
        .eb
        .describe_environments()
        .environment_names(&req.environment)
        .set_application_name(req.application.clone())
        .send()
        .await
        .map_err(|e| {
            let about = format!("environment {}", req.environment);
            sdk_error(e, "elasticbeanstalk:DescribeEnvironments", &about)
        })?;
    out.environments()
        .iter()
        .find(|e| e.environment_name() == Some(req.environment.as_str()))
        .cloned()
        .ok_or_else(|| {
            Error::Aws(format!(
                "no environment named {}{} in {}",
                req.environment,
                req.application
                    .as_deref()
                    .map(|a| format!(" in application {a}"))
                    .unwrap_or_default(),
                session.region
            ))
        })
}

#[cfg(feature = "live")]
/// The names of the region's applications (`DescribeApplications`), sorted; only those of
/// `only` when it is not empty (names it lists that the region lacks are simply absent).
pub async fn applications(session: &Session, only: &[String]) -> Result<Vec<String>> {
    let out = session
        .eb
        .describe_applications()
        .set_application_names((!only.is_empty()).then(|| only.to_vec()))
        .send()
        .await
        .map_err(|e| sdk_error(e, "elasticbeanstalk:DescribeApplications", &session.region))?;
    let mut names: Vec<String> = out
        .applications()
        .iter()
        .filter_map(|a| a.application_name().map(str::to_string))
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

#[cfg(feature = "live")]
/// Every live environment of the region (`DescribeEnvironments`, page by page; terminated
/// ones left out), in the order EB lists them.
pub async fn environments(session: &Session) -> Result<Vec<eb::types::EnvironmentDescription>> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = session
            .eb
            .describe_environments()
            .include_deleted(false)
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| sdk_error(e, "elasticbeanstalk:DescribeEnvironments", &session.region))?;
        out.extend(
            page.environments()
                .iter()
                .filter(|e| !matches!(e.status(), Some(eb::types::EnvironmentStatus::Terminated)))
                .cloned(),
        );
        token = page
            .next_token()
            .map(str::to_string)
            .filter(|t| !t.is_empty());
        if token.is_none() {
            return Ok(out);
        }
    }
}

#[cfg(feature = "live")]
/// The lifecycle of a platform version (`DescribePlatformVersion`): `Recommended` when it is
/// the recommended version, else its branch's state (`Supported`, `Beta`, `Deprecated`,
/// `Retired`), else its status (`Ready`, `Deleted`, ...).
pub async fn platform_status(session: &Session, arn: &str) -> Result<Option<String>> {
    let out = session
        .eb
        .describe_platform_version()
        .platform_arn(arn)
        .send()
        .await
        .map_err(|e| {
            sdk_error(
                e,
                "elasticbeanstalk:DescribePlatformVersion",
                &format!("platform {arn}"),
            )
        })?;
    let Some(p) = out.platform_description() else {
        return Ok(None);
    };
    let given = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(str::to_string);
    Ok(given(p.platform_lifecycle_state())
        .or_else(|| given(p.platform_branch_lifecycle_state()))
        .or_else(|| given(p.platform_status().map(|s| s.as_str()))))
}

#[cfg(feature = "live")]
/// Read an environment already described (by [`environments`] or the one-environment lookup):
/// its settings, resources and deployed bundle, through the region's shared clients.
pub async fn read_described(
    session: &Session,
    env: &eb::types::EnvironmentDescription,
    application: Option<&str>,
    progress: Progress<'_>,
) -> Result<LiveEnvironment> {
    let name = env.environment_name().unwrap_or_default().to_string();
    let application = env
        .application_name()
        .or(application)
        .map(str::to_string)
        .ok_or_else(|| Error::Aws(format!("environment {name} has no application name")))?;
    progress(
        "DescribeConfigurationSettings",
        "reading its configuration settings…",
    );
    let options = option_settings(session, &name, &application).await?;
    progress("DescribeEnvironmentResources", "reading its resources…");
    let resources = resources(session, &name).await?;
    let (bundle_location, bundle) = match env.version_label() {
        Some(label) => source_bundle(session, &name, &application, label, progress).await?,
        None => (None, Vec::new()),
    };
    let describe = serde_json::json!({"ConfigurationSettings": [{
        "ApplicationName": application,
        "EnvironmentName": name,
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
        environment: name,
        region: session.region.clone(),
        bundle_location,
        describe_text,
        bundle,
    })
}

#[cfg(feature = "live")]
/// The environment's option settings as describe JSON entries; secret values are withheld,
/// since the conversion needs only their names and `fetch` writes these to disk.
async fn option_settings(
    session: &Session,
    environment: &str,
    application: &str,
) -> Result<Vec<serde_json::Value>> {
    let cfg = session
        .eb
        .describe_configuration_settings()
        .application_name(application)
        .environment_name(environment)
        .send()
        .await
        .map_err(|e| {
            let about = format!("environment {environment}");
            sdk_error(e, "elasticbeanstalk:DescribeConfigurationSettings", &about)
        })?;
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
async fn resources(session: &Session, environment: &str) -> Result<serde_json::Value> {
    let res = session
        .eb
        .describe_environment_resources()
        .environment_name(environment)
        .send()
        .await
        .map_err(|e| {
            let about = format!("environment {environment}");
            sdk_error(e, "elasticbeanstalk:DescribeEnvironmentResources", &about)
        })?;
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
    session: &Session,
    environment: &str,
    application: &str,
    label: &str,
    progress: Progress<'_>,
) -> Result<(Option<String>, Vec<SourceFile>)> {
    progress(
        "DescribeApplicationVersions",
        &format!("reading application version {label}…"),
    );
    let versions = session
        .eb
        .describe_application_versions()
        .application_name(application)
        .version_labels(label)
        .send()
        .await
        .map_err(|e| {
            let about = format!("environment {environment}");
            sdk_error(e, "elasticbeanstalk:DescribeApplicationVersions", &about)
        })?;
    let loc = versions
        .application_versions()
        .first()
        .and_then(|v| v.source_bundle());
    let Some((bucket, key)) = loc.and_then(|l| l.s3_bucket().zip(l.s3_key())) else {
        return Ok((None, Vec::new()));
    };
    let location = format!("s3://{bucket}/{key}");
    progress(
        "s3:GetObject",
        &format!("downloading the source bundle {location}…"),
    );
    let obj = session
        .s3
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .map_err(|e| {
            let about = format!("environment {environment}");
            sdk_error(e, "s3:GetObject on the source bundle", &about)
        })?;
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
        .and_then(|f| super::guard::json("Dockerrun.aws.json", &f.text).ok())
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
