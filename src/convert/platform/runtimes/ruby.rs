//! Ruby: gems installed in a `build` stage (the full ruby image has the compilers and headers),
//! Rails assets precompiled there with a JavaScript runtime when the Gemfile needs one, the
//! gems' shared libraries in the slim runtime stage, Puma on `PORT`.

use super::langs::APP_ENV;
use super::native::{self, Eco};
use super::*;

/// Gems that run JavaScript during `assets:precompile` and need a runtime (node).
const NEEDS_JS: &[&str] = &[
    "execjs",
    "uglifier",
    "terser",
    "webpacker",
    "shakapacker",
    "jsbundling-rails",
    "cssbundling-rails",
    "coffee-rails",
];
/// Gems that bring their own JavaScript runtime.
const HAS_JS: &[&str] = &["mini_racer", "therubyracer"];

impl Gen<'_, '_> {
    pub(super) fn ruby(&mut self, v: &str) -> Vec<Stage> {
        let gemfile = self.p.text("Gemfile").unwrap_or("").to_string();
        let gems = native::gem_names(&gemfile, self.p.text("Gemfile.lock").unwrap_or(""));
        let natives = native::find(Eco::Ruby, &gems);
        let lock = if self.p.has("Gemfile.lock") {
            " Gemfile.lock"
        } else {
            ""
        };
        let without = self
            .m
            .value(APP_ENV, "BUNDLE_WITHOUT")
            .unwrap_or("test:development")
            .to_string();
        let env = format!(
            "ENV BUNDLE_WITHOUT={} RACK_ENV=production RAILS_ENV=production",
            env_value(&without)
        );
        let mut build = vec![env.clone(), format!("WORKDIR {APP}")];
        let rails = self.p.has("config/application.rb") || gems.iter().any(|g| g == "rails");
        if rails {
            build.extend(self.js_runtime(&gems));
        }
        build.push(format!("COPY Gemfile{lock} ./"));
        build.push("RUN bundle install".to_string());
        build.push("COPY . .".to_string());
        if rails {
            build
                .push("RUN SECRET_KEY_BASE_DUMMY=1 bundle exec rake assets:precompile".to_string());
        }
        let mut lines = vec![env, format!("ENV PORT={}", self.port)];
        let run = native::packages(&natives, false);
        if !run.is_empty() {
            let names: Vec<&str> = natives
                .iter()
                .filter(|n| !n.runtime.is_empty())
                .map(|n| n.name)
                .collect();
            let m = format!("the gems {} load shared libraries the slim image lacks: the runtime stage installs {}", names.join(", "), run.join(", "));
            self.finding(
                codes::PLATFORM_NATIVE_DEPS,
                Severity::Info,
                "Gemfile",
                m,
                "Build the image; add any other library a gem loads to that line.",
            );
            lines.push(native::apt(&run));
        }
        lines.extend([
            format!("WORKDIR {APP}"),
            "COPY --from=build /usr/local/bundle /usr/local/bundle".to_string(),
            format!("COPY --from=build {APP} ."),
        ]);
        lines.extend(self.buildfile());
        lines.push(format!("{USERADD} && chown -R webapp {APP}"));
        let m = "EB's nginx reached Puma on a Unix socket; the image runs Puma on port 8080 (a Procfile `web` command keeps its own arguments)".to_string();
        self.finding(codes::PLATFORM_SERVER, Severity::Info, &self.d.from.clone(), m, "Make sure the web command listens on $PORT (8080); EB ran `rake db:migrate` on deploy for Rails: run it as a one-off ECS task.");
        self.puma_keepalive();
        let cmd = self.procfile_web().unwrap_or_else(|| {
            sh("exec bundle exec puma --bind tcp://0.0.0.0:${PORT} --environment production")
        });
        lines.extend(self.tail(USER_WEBAPP, Some(cmd)));
        vec![
            stage(format!("ruby:{v}"), Some("build"), build),
            stage(format!("ruby:{v}-slim"), None, lines),
        ]
    }

    /// Node.js (and yarn with a yarn.lock) in the build stage when precompiling needs a
    /// JavaScript runtime.
    fn js_runtime(&mut self, gems: &[String]) -> Vec<String> {
        let needs: Vec<&str> = NEEDS_JS
            .iter()
            .filter(|g| gems.iter().any(|x| x == *g))
            .copied()
            .collect();
        if needs.is_empty() || gems.iter().any(|g| HAS_JS.contains(&g.as_str())) {
            return Vec::new();
        }
        let yarn = self.p.has("yarn.lock");
        let m = format!("the Gemfile has {}: `assets:precompile` runs JavaScript, so the build stage installs Node.js{}", needs.join(", "), if yarn { " and yarn" } else { "" });
        self.finding(
            codes::PLATFORM_BUILD_STEP,
            Severity::Info,
            "Gemfile",
            m,
            "Nothing to do; the runtime image has no Node.js.",
        );
        let mut pkgs = vec!["nodejs"];
        if yarn {
            pkgs.push("npm");
        }
        let mut out = vec![native::apt(&pkgs)];
        if yarn {
            out.push("RUN npm install -g yarn@1.22.22".to_string());
        }
        out
    }

    /// Puma closes idle keep-alive connections after 20 s unless `persistent_timeout` is set.
    fn puma_keepalive(&mut self) {
        let idle = self.idle_timeout();
        let set = self.p.text("config/puma.rb").and_then(|t| {
            t.lines().find_map(|l| {
                let v = l.trim().strip_prefix("persistent_timeout")?;
                v.trim()
                    .trim_start_matches('(')
                    .split(|c: char| !c.is_ascii_digit())
                    .next()?
                    .parse::<u32>()
                    .ok()
            })
        });
        if set.is_some_and(|s| s > idle) {
            return;
        }
        let m = format!("Puma closes idle keep-alive connections after {} s (persistent_timeout) while the load balancer keeps them {idle} s: without EB's nginx in between that gives intermittent 502s", set.unwrap_or(20));
        let action = format!("Add `persistent_timeout {}` to config/puma.rb.", idle + 5);
        self.finding(
            codes::PLATFORM_KEEPALIVE,
            Severity::Warning,
            "config/puma.rb",
            m,
            &action,
        );
    }
}
