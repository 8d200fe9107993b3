//! The environment's tier from every signal EB leaves: the tier the settings record (a saved
//! configuration's `EnvironmentTier`, a describe output's or the live environment's `Tier`),
//! else `aws:elasticbeanstalk:sqsd` options (only a worker has sqsd), else a `cron.yaml` in a
//! project without a web process (a Procfile with no `web` line). A `cron.yaml` beside a web
//! process stays a web environment (`convert::worker` reports it).

use super::Ctx;
use crate::codes;
use crate::finding::{Finding, Severity, Source};
use crate::load::settings::EnvSettings;
use crate::load::SourceFile;
use crate::model::Tier;

/// The tier, with a finding when it was inferred rather than recorded.
pub fn tier(ctx: &mut Ctx, settings: &EnvSettings, files: &[SourceFile]) -> Tier {
    if let Some(t) = settings.tier.as_deref() {
        return if t.eq_ignore_ascii_case("worker") {
            Tier::Worker
        } else {
            Tier::WebServer
        };
    }
    if let Some((option, s)) = settings.namespace(super::worker::SQSD).next() {
        ctx.push(Finding::new(
            codes::TIER_INFERRED,
            Severity::Info,
            s.source.clone(),
            format!("no tier is recorded, but {}:{option} is set, and only a worker environment has sqsd: converted as a worker", super::worker::SQSD),
            "Nothing to do if the EB environment was a worker; otherwise drop the aws:elasticbeanstalk:sqsd options and run eb2ecs again.",
        ));
        return Tier::Worker;
    }
    let cron = files.iter().any(|f| f.path == super::worker::CRON_FILE);
    let procfile = files.iter().find(|f| f.path == "Procfile");
    let no_web =
        procfile.is_some_and(|p| !p.text.lines().any(|l| l.trim_start().starts_with("web:")));
    if cron && no_web {
        ctx.push(Finding::new(
            codes::TIER_INFERRED,
            Severity::Warning,
            Source::new(super::worker::CRON_FILE, ""),
            "no tier is recorded, but the project has a cron.yaml and its Procfile has no web process: converted as a worker environment",
            "Check the EB environment's tier (`eb status`); give its saved configuration or describe output with --settings to be sure.",
        ));
        return Tier::Worker;
    }
    Tier::WebServer
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::tests_support::{ctx, settings};
    use crate::model::LaunchType;

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: text.into(),
        }
    }

    #[test]
    fn every_signal_of_a_worker_is_read() {
        let mut c = ctx(LaunchType::Fargate);
        let recorded = EnvSettings {
            tier: Some("Worker".into()),
            ..Default::default()
        };
        assert_eq!(tier(&mut c, &recorded, &[]), Tier::Worker);
        assert!(c.findings.is_empty());
        let sqsd = settings(&[("aws:elasticbeanstalk:sqsd", "HttpPath", "/jobs")]);
        assert_eq!(tier(&mut c, &sqsd, &[]), Tier::Worker);
        assert_eq!(c.findings[0].severity, Severity::Info);
        let cron = [
            file("cron.yaml", "version: 1\n"),
            file("Procfile", "worker: python w.py\n"),
        ];
        assert_eq!(tier(&mut c, &EnvSettings::default(), &cron), Tier::Worker);
        assert_eq!(c.findings[1].severity, Severity::Warning);
        // A cron.yaml beside a web process stays a web environment.
        let web = [
            file("cron.yaml", "version: 1\n"),
            file("Procfile", "web: gunicorn app\n"),
        ];
        assert_eq!(tier(&mut c, &EnvSettings::default(), &web), Tier::WebServer);
    }
}
