//! Node.js: dependencies installed as EB's platform installed them (a builder stage when one
//! needs a compiler), started as EB started it — the Procfile, `NodeCommand`, `npm start`, or
//! `node app.js` / `server.js` / `main.js` (also for a project without package.json).

use super::langs::APP_ENV;
use super::native::{self, Eco};
use super::*;

impl Gen<'_, '_> {
    pub(super) fn node(&mut self, v: &str) -> Vec<Stage> {
        let cmd = self.node_command();
        self.node_keepalive();
        let mut stages = Vec::new();
        let mut lines = vec![format!("ENV PORT={}", self.port), format!("WORKDIR {APP}")];
        if self.p.has("package.json") {
            lines.extend(self.node_dependencies(v, &mut stages));
        } else {
            let m = "the project has no package.json: EB installed nothing and ran the application file with node; so does the image".to_string();
            self.finding(
                codes::PLATFORM_SERVER,
                Severity::Info,
                &self.d.from.clone(),
                m,
                "Nothing to do, unless the application needs modules it does not bundle.",
            );
        }
        lines.push("COPY --chown=node:node . .".to_string());
        lines.extend(self.buildfile());
        lines.extend(self.tail(USER_NODE, Some(cmd)));
        stages.push(stage(format!("node:{v}-slim"), None, lines));
        stages
    }

    /// The lines installing package.json's dependencies; a `deps` stage with the build tools
    /// when a dependency compiles native code.
    fn node_dependencies(&mut self, v: &str, stages: &mut Vec<Stage>) -> Vec<String> {
        let (copy, install, prod) = self.node_install(v);
        let pkg: serde_json::Value = self
            .p
            .text("package.json")
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default();
        let natives = native::find(Eco::Node, &native::node_names(&pkg, !prod));
        let build = native::packages(&natives, true);
        let run = native::packages(&natives, false);
        let mut lines = Vec::new();
        if !run.is_empty() {
            lines.push(native::apt(&run));
        }
        if build.is_empty() {
            lines.push(format!("COPY {copy} ./"));
            lines.push(format!("RUN {install}"));
            return lines;
        }
        let names: Vec<&str> = natives.iter().map(|n| n.name).collect();
        let m = format!("package.json depends on {}, which compile native code: the Dockerfile installs the dependencies in a `deps` stage with {} and copies node_modules", names.join(", "), build.join(", "));
        self.finding(
            codes::PLATFORM_NATIVE_DEPS,
            Severity::Info,
            "package.json",
            m,
            "Build the image; add any other system package a dependency needs to that stage.",
        );
        stages.push(stage(
            format!("node:{v}-slim"),
            Some("deps"),
            vec![
                native::apt(&build),
                format!("WORKDIR {APP}"),
                format!("COPY {copy} ./"),
                format!("RUN {install}"),
            ],
        ));
        lines.push(format!(
            "COPY --from=deps {APP}/node_modules ./node_modules"
        ));
        lines
    }

    /// What to copy first, how EB's Node.js platform installed the dependencies, and whether
    /// only the production ones.
    fn node_install(&self, v: &str) -> (&'static str, String, bool) {
        let prod = self
            .m
            .value(APP_ENV, "NPM_USE_PRODUCTION")
            .is_none_or(|x| !x.eq_ignore_ascii_case("false"));
        let omit = match (prod, v.parse::<u32>().is_ok_and(|n| n < 16)) {
            (false, _) => "",
            (true, true) => " --production",
            (true, false) => " --omit=dev",
        };
        let (copy, run) = if self.p.has("pnpm-lock.yaml") {
            let flag = if prod { " --prod" } else { "" };
            let run = format!("corepack enable && pnpm install --frozen-lockfile{flag}");
            ("package.json pnpm-lock.yaml", run)
        } else if self.p.has("yarn.lock") {
            let flag = if prod { " --production" } else { "" };
            let run = format!("yarn install --frozen-lockfile{flag} && yarn cache clean");
            ("package.json yarn.lock", run)
        } else if self.p.has("package-lock.json") {
            ("package.json package-lock.json", format!("npm ci{omit}"))
        } else {
            ("package.json", format!("npm install{omit}"))
        };
        (copy, run, prod)
    }

    /// The Procfile's `web`, else NodeCommand, else `npm start`, else the first of `app.js`,
    /// `server.js`, `main.js` (EB's order).
    fn node_command(&mut self) -> Vec<String> {
        if let Some(web) = self.procfile_web() {
            return web;
        }
        if let Some(c) = self.m.value(NODE, "NodeCommand").filter(|c| !c.is_empty()) {
            return sh(c);
        }
        let pkg: Option<serde_json::Value> = self
            .p
            .text("package.json")
            .and_then(|t| serde_json::from_str(t).ok());
        if pkg
            .as_ref()
            .and_then(|p| p.pointer("/scripts/start"))
            .is_some()
        {
            return vec!["npm".to_string(), "start".to_string()];
        }
        let found = ["app.js", "server.js", "main.js"]
            .into_iter()
            .find(|f| self.p.has(f));
        let main = found.unwrap_or("app.js");
        if found.is_none() {
            let m = "the project has no Procfile, no start script in package.json and no app.js, server.js or main.js: eb2ecs found no start command; the image runs `node app.js`".to_string();
            self.finding(codes::PLATFORM_SERVER, Severity::Blocker, &self.d.from.clone(), m, "Add a Procfile `web:` line or a start script with the command that starts the server.");
        }
        vec!["node".to_string(), main.to_string()]
    }

    /// Node's HTTP server closes idle connections after 5 s; the load balancer reuses them
    /// for its idle timeout.
    fn node_keepalive(&mut self) {
        let set = ["app.js", "server.js", "main.js"].iter().any(|f| {
            self.p
                .text(f)
                .is_some_and(|t| t.contains("keepAliveTimeout"))
        });
        if set {
            return;
        }
        let idle = self.idle_timeout();
        let m = format!("Node.js closes idle keep-alive connections after 5 s (server.keepAliveTimeout) while the load balancer keeps them {idle} s: without EB's nginx in between that gives intermittent 502s");
        let action = format!(
            "Add `server.keepAliveTimeout = {}; server.headersTimeout = {};` where the application creates its HTTP server (`const server = app.listen(…)`).",
            (idle + 5) * 1000,
            (idle + 6) * 1000
        );
        self.finding(
            codes::PLATFORM_KEEPALIVE,
            Severity::Warning,
            &self.d.from.clone(),
            m,
            &action,
        );
    }
}
