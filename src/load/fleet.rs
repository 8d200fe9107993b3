//! A fleet: every environment of some applications, or of whole regions, read live for
//! `convert --all-environments` / `--all` and for `assess`.
//!
//! Per region, one [`eb_api::Session`] (SDK configuration and clients, adaptive retry) lists the
//! applications (`DescribeApplications`) and environments (`DescribeEnvironments`, paged), then
//! every environment is read as the one-environment reader reads it ([`eb_api::read_described`]),
//! at most `concurrency` at a time (a bounded stream, `futures-util`'s `buffer_unordered`), and
//! each distinct platform ARN is described once (`DescribePlatformVersion`). An environment that
//! cannot be read (access denied, deleted mid-run) becomes a [`Subject`] whose inputs say why;
//! the others complete. Results come back sorted by (region, application, environment),
//! whatever order the reads finished in. A progress bar (`indicatif`: environments done / total,
//! the current call) is drawn on stderr only when asked ([`progress_wanted`]).

#[cfg(not(feature = "live"))]
use crate::error::Error;
use crate::error::Result;
use crate::load::Subject;
use std::io::IsTerminal;

#[cfg(feature = "live")]
use super::eb_api::{self, Session};
#[cfg(feature = "live")]
use aws_sdk_elasticbeanstalk::types::EnvironmentDescription;
#[cfg(feature = "live")]
use futures_util::stream::{self, StreamExt};
#[cfg(feature = "live")]
use std::collections::{BTreeMap, BTreeSet};

/// How many environments are read at once unless `--concurrency` says otherwise.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// Which environments to read, and how.
#[derive(Debug, Clone)]
pub struct FleetRequest {
    /// Regions to read (sorted and deduplicated here); empty: the configured region.
    pub regions: Vec<String>,
    /// Only these applications; empty: every application.
    pub applications: Vec<String>,
    /// AWS profile (else the standard chain decides).
    pub profile: Option<String>,
    /// Most environments read at once (at least 1).
    pub concurrency: usize,
    /// Draw a progress bar on stderr.
    pub progress: bool,
}

impl Default for FleetRequest {
    fn default() -> Self {
        FleetRequest {
            regions: Vec::new(),
            applications: Vec::new(),
            profile: None,
            concurrency: DEFAULT_CONCURRENCY,
            progress: false,
        }
    }
}

/// Whether a progress bar belongs on stderr: it is a terminal and `CI` is not set (on a pipe or
/// in CI only the final summary is printed).
pub fn progress_wanted() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// Without the `live` feature there is no AWS SDK: reading a fleet is a usage error.
#[cfg(not(feature = "live"))]
pub fn subjects(_req: &FleetRequest) -> Result<Vec<Subject>> {
    Err(Error::Usage(
        "cannot read the account's environments: eb2ecs was built without the live feature (rebuild with default features to use --all-environments, --all or assess)".to_string(),
    ))
}

/// Read every environment the request names, one [`Subject`] each, sorted by (region,
/// application, environment). Fails only when nothing can be listed (no credentials, no such
/// application, no environment); a single environment's failure is in its subject.
#[cfg(feature = "live")]
pub fn subjects(req: &FleetRequest) -> Result<Vec<Subject>> {
    if req.concurrency == 0 {
        return Err(crate::error::Error::Usage(
            "--concurrency must be at least 1".to_string(),
        ));
    }
    eb_api::runtime()?.block_on(read_fleet(req))
}

#[cfg(feature = "live")]
/// One listed environment.
struct Listed {
    /// Index of its region's session.
    session: usize,
    application: String,
    name: String,
    env: EnvironmentDescription,
}

#[cfg(feature = "live")]
/// What became of one environment: its inputs, or why it could not be read.
type Read = std::result::Result<super::Inputs, String>;

#[cfg(feature = "live")]
async fn read_fleet(req: &FleetRequest) -> Result<Vec<Subject>> {
    let sessions = connect(req).await?;
    let listed = list(&sessions, &req.applications).await?;
    let bar = Bar::new(req.progress, listed.len());
    let platforms = platforms(&sessions, &listed, req.concurrency, &bar).await;
    let mut reads: Vec<(usize, Read)> = stream::iter(listed.iter().enumerate())
        .map(|(i, l)| {
            let (bar, sessions) = (&bar, &sessions);
            async move {
                let progress = |action: &str, _: &str| bar.call(&l.application, &l.name, action);
                let read = eb_api::read_described(&sessions[l.session], &l.env, None, &progress);
                let inputs = match read.await {
                    // Parsed on the blocking pool, while this thread serves the other reads.
                    Ok(live) => tokio::task::spawn_blocking(move || {
                        super::live::inputs(&live, &[]).map_err(|e| e.to_string())
                    })
                    .await
                    .unwrap_or_else(|e| Err(format!("reading the inputs failed: {e}"))),
                    Err(e) => Err(e.to_string()),
                };
                bar.done();
                (i, inputs)
            }
        })
        .buffer_unordered(req.concurrency)
        .collect()
        .await;
    bar.finish();
    reads.sort_by_key(|(i, _)| *i);
    Ok(reads
        .into_iter()
        .map(|(i, read)| subject(&sessions, &listed[i], &platforms, read))
        .collect())
}

#[cfg(feature = "live")]
/// One session per region asked for (sorted), or one for the configured region.
async fn connect(req: &FleetRequest) -> Result<Vec<Session>> {
    let regions: BTreeSet<Option<&str>> = if req.regions.is_empty() {
        [None].into()
    } else {
        req.regions.iter().map(|r| Some(r.as_str())).collect()
    };
    let mut sessions = Vec::new();
    for region in regions {
        sessions.push(Session::connect(region, req.profile.as_deref()).await?);
    }
    Ok(sessions)
}

#[cfg(feature = "live")]
/// The environments of every session's region (the regions listed at once), sorted by
/// (region, application, environment), only those of `only` when it is not empty; each
/// application of `only` must exist somewhere.
async fn list(sessions: &[Session], only: &[String]) -> Result<Vec<Listed>> {
    let per_region = futures_util::future::try_join_all(sessions.iter().map(|s| async move {
        let apps: BTreeSet<String> = eb_api::applications(s, only).await?.into_iter().collect();
        Ok::<_, crate::error::Error>((apps, eb_api::environments(s).await?))
    }))
    .await?;
    let mut out = Vec::new();
    let mut found = BTreeSet::new();
    for (i, (apps, envs)) in per_region.into_iter().enumerate() {
        for env in envs {
            let application = env.application_name().unwrap_or_default().to_string();
            let name = env.environment_name().unwrap_or_default().to_string();
            if name.is_empty() || (!only.is_empty() && !apps.contains(&application)) {
                continue;
            }
            out.push(Listed {
                session: i,
                application,
                name,
                env,
            });
        }
        found.extend(apps);
    }
    let regions = sessions
        .iter()
        .map(|s| s.region.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if let Some(missing) = only.iter().find(|a| !found.contains(*a)) {
        return Err(crate::error::Error::Aws(format!(
            "no application named {missing} in {regions}"
        )));
    }
    if out.is_empty() {
        let which = if only.is_empty() {
            String::new()
        } else {
            format!(" of application {}", only.join(", "))
        };
        return Err(crate::error::Error::Aws(format!(
            "no environment{which} in {regions}"
        )));
    }
    out.sort_by(|a, b| {
        (a.session, &a.application, &a.name).cmp(&(b.session, &b.application, &b.name))
    });
    Ok(out)
}

#[cfg(feature = "live")]
/// The lifecycle of each distinct platform ARN of the listed environments, per region, read
/// once each (at most `concurrency` at a time). A platform that cannot be described has none:
/// the environment is still read.
async fn platforms(
    sessions: &[Session],
    listed: &[Listed],
    concurrency: usize,
    bar: &Bar,
) -> BTreeMap<(usize, String), Option<String>> {
    let arns: BTreeSet<(usize, String)> = listed
        .iter()
        .filter_map(|l| l.env.platform_arn().map(|a| (l.session, a.to_string())))
        .collect();
    stream::iter(arns)
        .map(|(session, arn)| async move {
            bar.message(&format!("DescribePlatformVersion {arn}"));
            let status = eb_api::platform_status(&sessions[session], &arn).await;
            ((session, arn), status.ok().flatten())
        })
        .buffer_unordered(concurrency)
        .collect()
        .await
}

#[cfg(feature = "live")]
/// The subject of one listed environment: what was read, as [`super::Inputs`], or why not.
fn subject(
    sessions: &[Session],
    l: &Listed,
    platforms: &BTreeMap<(usize, String), Option<String>>,
    inputs: Read,
) -> Subject {
    let platform_arn = l.env.platform_arn().map(str::to_string);
    let platform_status = platform_arn
        .as_ref()
        .and_then(|a| platforms.get(&(l.session, a.clone())).cloned().flatten());
    Subject {
        application: l.application.clone(),
        environment: l.name.clone(),
        region: Some(sessions[l.session].region.clone()),
        platform_arn,
        platform_status,
        inputs,
    }
}

#[cfg(feature = "live")]
/// The progress bar, or nothing.
struct Bar(Option<indicatif::ProgressBar>);

#[cfg(feature = "live")]
impl Bar {
    fn new(on: bool, total: usize) -> Bar {
        Bar(on.then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            let style = indicatif::ProgressStyle::with_template(
                "{elapsed:>4} {bar:30} {pos}/{len} environments  {wide_msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            bar.set_style(style);
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            bar
        }))
    }

    fn message(&self, msg: &str) {
        if let Some(bar) = &self.0 {
            bar.set_message(msg.to_string());
        }
    }

    fn call(&self, application: &str, environment: &str, action: &str) {
        self.message(&format!("{application}/{environment}: {action}"));
    }

    fn done(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
