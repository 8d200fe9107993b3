//! Which runtime version the image uses (the order is in `docs/runtime-versions.md`):
//!
//! 1. The version of the platform EB named (`--platform`, the settings' platform, the `eb` CLI's
//!    default platform): what EB ran — unless a *binding* pin of the project (one the runtime
//!    enforces: bundler's `ruby`, composer's `require.php`, a .NET target framework, Java
//!    bytecode newer than the JVM) rules it out; then the pin's version, with a warning. A
//!    non-binding pin that disagrees (`.nvmrc`, `runtime.txt`) is a warning only.
//! 2. Else the project's first pin (binding ones first), a range resolved to the newest version
//!    line it allows that is not newer than eb2ecs' default (else the newest it allows).
//! 3. Else eb2ecs' default, as a blocker.
//!
//! A version EB no longer offers is kept (the application needs it) with a finding.

use super::super::range;
use super::super::version::{self, Pin, Req};
use super::*;

impl Gen<'_, '_> {
    /// The runtime version, in image tag form.
    pub(super) fn version(&mut self) -> String {
        let runtime = self.d.runtime;
        let pins = version::pins(runtime, self.p);
        let named = self
            .d
            .version
            .as_deref()
            .map(|v| normalise(runtime, v))
            .filter(|v| !(runtime == Runtime::Go && v == "1" && !pins.is_empty()));
        let chosen = match named {
            Some(eb) => self.against_eb(eb, &pins),
            None => match preferred(runtime, &pins) {
                Some(pin) => {
                    let (v, rule) = resolve(runtime, pin);
                    self.pinned(pin, &v, rule.as_deref());
                    v
                }
                None => self.unknown(),
            },
        };
        self.retired(&chosen);
        chosen
    }

    /// EB's version, unless a binding pin rules it out.
    fn against_eb(&mut self, eb: String, pins: &[Pin]) -> String {
        let runtime = self.d.runtime;
        let name = platforms::platform(runtime).name;
        if let Some(pin) = pins.iter().find(|p| p.binding && !allows(runtime, p, &eb)) {
            let (v, rule) = resolve(runtime, pin);
            let m = format!(
                "EB's platform is {name} {eb} (from {}), but {} says `{}`, which {name} {eb} cannot run; the image uses {name} {v}{}",
                self.d.from,
                pin.source,
                pin.raw,
                rule.map(|r| format!(" ({r})")).unwrap_or_default()
            );
            self.finding(codes::PLATFORM_VERSION_CONFLICT, Severity::Warning, &file_of(&pin.source), m, "Check which version the EB environment really ran (its platform may have been updated after the project was); set the FROM line to the version the application needs.");
            return v;
        }
        let against: Vec<&Pin> = pins.iter().filter(|p| !allows(runtime, p, &eb)).collect();
        if let Some(first) = against.first() {
            let list: Vec<String> = against
                .iter()
                .map(|p| format!("{} says `{}`", p.source, p.raw))
                .collect();
            let m = format!(
                "EB ran {name} {eb} (from {}), but {}; the image uses {eb}, the version EB ran",
                self.d.from,
                list.join(", ")
            );
            self.finding(codes::PLATFORM_VERSION_CONFLICT, Severity::Warning, &file_of(&first.source), m, "Check the application on this version; if it needs the pinned one, change the FROM line (and the pin or the platform, so they agree).");
        }
        eb
    }

    fn pinned(&mut self, pin: &Pin, v: &str, rule: Option<&str>) {
        let name = platforms::platform(self.d.runtime).name;
        let m = format!(
            "no EB platform names the {name} version; {} says `{}`, so the image uses {name} {v}{}",
            pin.source,
            pin.raw,
            rule.map(|r| format!(" ({r})")).unwrap_or_default()
        );
        self.finding(
            codes::PLATFORM_VERSION,
            Severity::Info,
            &file_of(&pin.source),
            m,
            "Check it is the version the EB environment ran (its platform in the EB console).",
        );
    }

    fn unknown(&mut self) -> String {
        let row = platforms::platform(self.d.runtime);
        let m = format!(
            "no {} version is named by EB or pinned by the project; the image uses {}, eb2ecs' default, which the application may not run on",
            row.name, row.default_version
        );
        let from = self.d.from.clone();
        self.finding(codes::PLATFORM_VERSION_UNKNOWN, Severity::Blocker, &from, m, "Name the platform EB ran (.elasticbeanstalk/config.yml global.default_platform, or --platform) and run eb2ecs again, or set the FROM line to the version the environment ran.");
        row.default_version.to_string()
    }

    pub(super) fn retired(&mut self, v: &str) {
        let row = platforms::platform(self.d.runtime);
        let offered = row
            .eb_offers
            .iter()
            .any(|o| v == *o || (self.d.runtime == Runtime::Go) || v.starts_with(&format!("{o}.")));
        if !offered {
            let m = format!(
                "{} {v} is a version EB no longer offers (its current branches run {}); the image uses it because the application needs it",
                row.name,
                row.eb_offers.join(", ")
            );
            let from = self.d.from.clone();
            self.finding(
                codes::PLATFORM_RETIRED,
                Severity::Warning,
                &from,
                m,
                "Plan the upgrade: the base image for a retired version gets no security fixes.",
            );
        }
    }
}

/// The pin that decides without an EB platform: the first exact one every binding pin allows
/// (`config.platform.php` `8.1.0` within `require.php` `^8.1`, `.nvmrc` within `engines.node`),
/// else the first one (binding ones first).
fn preferred(runtime: Runtime, pins: &[Pin]) -> Option<&Pin> {
    pins.iter()
        .find(|p| {
            matches!(p.req, Req::Exact(_))
                && pins
                    .iter()
                    .filter(|b| b.binding)
                    .all(|b| allows(runtime, b, &resolve(runtime, p).0))
        })
        .or(pins.first())
}

/// The file part of a pin's source (`package.json (engines.node)` -> `package.json`).
fn file_of(source: &str) -> String {
    source.split(" (").next().unwrap_or(source).to_string()
}

/// Whether `pin` allows the version `v` (tag form).
fn allows(runtime: Runtime, pin: &Pin, v: &str) -> bool {
    let line = version::version_key(v);
    match &pin.req {
        Req::Exact(x) if runtime == Runtime::Ruby && pin.binding => {
            x == v || normalise(runtime, x) == v && x.split('.').count() < 3
        }
        Req::Exact(x) => normalise(runtime, x) == v,
        Req::AtLeast(x) => line >= version::version_key(&normalise(runtime, x)),
        Req::Range(r, f) => range::allows(r, &line, *f),
    }
}

/// The version a pin means, in tag form, and the rule used when it was a range.
pub(super) fn resolve(runtime: Runtime, pin: &Pin) -> (String, Option<String>) {
    let row = platforms::platform(runtime);
    let (r, f) = match &pin.req {
        // Bundler refuses any other Ruby than the Gemfile's exact `ruby "3.2.4"`.
        Req::Exact(x) if runtime == Runtime::Ruby && pin.binding && x.split('.').count() == 3 => {
            return (x.clone(), None)
        }
        Req::Exact(x) | Req::AtLeast(x) => return (normalise(runtime, x), None),
        Req::Range(r, f) => (r, *f),
    };
    let default = version::version_key(row.default_version);
    let ok: Vec<&&str> = row
        .versions
        .iter()
        .filter(|v| range::allows(r, &version::version_key(v), f))
        .collect();
    let capped = ok.iter().rev().find(|v| version::version_key(v) <= default);
    let known = row.versions.join(", ");
    match capped.or(ok.last()) {
        Some(v) => (
            v.to_string(),
            Some(format!(
                "the newest of {known} the range allows, not newer than eb2ecs' default {} when it can",
                row.default_version
            )),
        ),
        None => {
            let low = range::lower_bound(r).unwrap_or_else(|| row.default_version.to_string());
            let v = normalise(runtime, &low);
            (
                v,
                Some(format!("none of {known} fits the range: its lower bound")),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::platform::range::Flavour;

    fn range_pin(r: &str, f: Flavour) -> Pin {
        Pin {
            source: "x".into(),
            raw: r.into(),
            req: Req::Range(r.into(), f),
            binding: false,
        }
    }

    #[test]
    fn ranges_resolve_to_a_version_line() {
        let n = |r| resolve(Runtime::Node, &range_pin(r, Flavour::Npm)).0;
        assert_eq!(n(">=16 <19"), "18");
        assert_eq!(n("^18"), "18");
        assert_eq!(n(">=14"), "20");
        assert_eq!(n(">=23"), "24");
        assert_eq!(n("^25"), "25");
        let c = |r| resolve(Runtime::Php, &range_pin(r, Flavour::Composer)).0;
        assert_eq!(c("^7.4 || ^8.0"), "8.3");
        assert_eq!(c("~7.2"), "7.4");
        assert_eq!(c("8.2.*"), "8.2");
        let r = resolve(Runtime::Ruby, &range_pin("~> 3.1", Flavour::Composer));
        assert_eq!(r.0, "3.3");
        assert!(r.1.unwrap().contains("newest"));
    }

    #[test]
    fn pins_allow_or_rule_out_eb_versions() {
        let at_least = Pin {
            source: "pom.xml".into(),
            raw: "21".into(),
            req: Req::AtLeast("21".into()),
            binding: true,
        };
        assert!(!allows(Runtime::Java, &at_least, "17"));
        assert!(allows(Runtime::Java, &at_least, "21"));
        let exact = Pin {
            req: Req::Exact("3.1".into()),
            ..at_least
        };
        assert!(!allows(Runtime::Dotnet, &exact, "8.0"));
        assert!(allows(Runtime::Dotnet, &exact, "3.1"));
        assert!(allows(
            Runtime::Node,
            &range_pin(">=16 <19", Flavour::Npm),
            "18"
        ));
    }
}
