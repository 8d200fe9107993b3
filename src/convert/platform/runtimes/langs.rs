//! Go and .NET (with a front end in a sub-folder built in its own stage); the shared names
//! of the other runtimes' generators.

use super::*;

/// EB's environment properties namespace.
pub(super) const APP_ENV: &str = "aws:elasticbeanstalk:application:environment";

impl Gen<'_, '_> {
    pub(super) fn go(&mut self, v: &str) -> Vec<Stage> {
        let buildfile = self.buildfile();
        let build = if !buildfile.is_empty() {
            buildfile
        } else if self.p.has("application.go") {
            vec!["RUN go build -o bin/application application.go".to_string()]
        } else if self.p.has("bin/application") {
            Vec::new()
        } else {
            let m = "the project has no application.go, Buildfile or bin/application; the Dockerfile runs `go build -o bin/application .`".to_string();
            self.finding(
                codes::PLATFORM_ARTIFACT,
                Severity::Warning,
                &self.d.from.clone(),
                m,
                "Check the main package is at the project root.",
            );
            vec!["RUN go build -o bin/application .".to_string()]
        };
        let mut first = vec![
            "ENV CGO_ENABLED=0".to_string(),
            "WORKDIR /src".to_string(),
            "COPY . .".to_string(),
        ];
        first.extend(build);
        let cmd = self
            .procfile_web()
            .unwrap_or_else(|| vec!["bin/application".to_string()]);
        let mut lines = vec![
            format!("ENV PORT={}", self.port),
            format!("WORKDIR {APP}"),
            "COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/".to_string(),
            "COPY --from=build /src .".to_string(),
            USERADD.to_string(),
        ];
        lines.extend(self.tail(USER_WEBAPP, Some(cmd)));
        vec![
            stage(format!("golang:{v}"), Some("build"), first),
            stage("debian:bookworm-slim".to_string(), None, lines),
        ]
    }

    pub(super) fn dotnet(&mut self, v: &str) -> Vec<Stage> {
        let projects = self.p.top_level(".csproj");
        let mut stages = Vec::new();
        let (copy, dll) = if let Some(proj) = projects.first() {
            let name = proj.trim_end_matches(".csproj").to_string();
            let mut lines = vec!["WORKDIR /src".to_string()];
            if let Some((spa, dir)) = self.spa() {
                stages.push(spa);
                // The project's publish targets run npm (or yarn) in the front end's folder:
                // the SDK image gets the Node.js of the front end's stage, and its built folder.
                lines.push("COPY --from=spa /usr/local/ /usr/local/".to_string());
                lines.push("COPY . .".to_string());
                lines.push(format!("COPY --from=spa /src/{dir}/ ./{dir}/"));
            } else {
                lines.push("COPY . .".to_string());
            }
            lines.push(format!("RUN dotnet publish {proj} -c Release -o /out"));
            stages.push(stage(
                format!("mcr.microsoft.com/dotnet/sdk:{v}"),
                Some("build"),
                lines,
            ));
            (
                "COPY --from=build /out .".to_string(),
                format!("{name}.dll"),
            )
        } else {
            ("COPY . .".to_string(), self.published_dll())
        };
        let cmd = self
            .procfile_web()
            .unwrap_or_else(|| vec!["dotnet".to_string(), dll]);
        let mut lines = vec![
            format!("ENV ASPNETCORE_URLS=http://+:{p} PORT={p}", p = self.port),
            format!("WORKDIR {APP}"),
            copy,
        ];
        lines.extend(self.buildfile());
        lines.push(USERADD.to_string());
        lines.extend(self.tail(USER_WEBAPP, Some(cmd)));
        stages.push(stage(
            format!("mcr.microsoft.com/dotnet/aspnet:{v}"),
            None,
            lines,
        ));
        stages
    }

    /// A stage building the front end in a sub-folder (`ClientApp/`, `frontend/`) with its own
    /// package manager (yarn through corepack with a yarn.lock), and the folder.
    pub(super) fn spa(&mut self) -> Option<(Stage, String)> {
        let dir = ["ClientApp", "frontend"]
            .into_iter()
            .find(|d| self.p.has(&format!("{d}/package.json")))?;
        let pkg: serde_json::Value = self
            .p
            .text(&format!("{dir}/package.json"))
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default();
        let has = |f: &str| self.p.has(&format!("{dir}/{f}"));
        let (lock, install, run) = if has("yarn.lock") {
            (
                "yarn.lock",
                "corepack enable && yarn install --frozen-lockfile",
                "yarn",
            )
        } else if has("pnpm-lock.yaml") {
            (
                "pnpm-lock.yaml",
                "corepack enable && pnpm install --frozen-lockfile",
                "pnpm",
            )
        } else if has("package-lock.json") {
            ("package-lock.json", "npm ci", "npm run")
        } else {
            ("", "npm install", "npm run")
        };
        let build = pkg.pointer("/scripts/build").is_some();
        let node = super::super::version::pins(
            Runtime::Node,
            &PlatformProject {
                texts: vec![crate::load::SourceFile {
                    path: "package.json".to_string(),
                    text: self
                        .p
                        .text(&format!("{dir}/package.json"))
                        .unwrap_or("")
                        .to_string(),
                }],
                ..Default::default()
            },
        )
        .first()
        .map(|p| pick::resolve(Runtime::Node, p).0)
        .unwrap_or_else(|| {
            platforms::platform(Runtime::Node)
                .default_version
                .to_string()
        });
        let copy = if lock.is_empty() {
            format!("COPY {dir}/package.json ./")
        } else {
            format!("COPY {dir}/package.json {dir}/{lock} ./")
        };
        let mut lines = vec![
            format!("WORKDIR /src/{dir}"),
            copy,
            format!("RUN {install}"),
            format!("COPY {dir}/ ./"),
        ];
        if build {
            lines.push(format!("RUN {run} build"));
        }
        let m = format!("the front end in {dir}/ was built on deploy (EB's instance had Node.js); the Dockerfile builds it in its own `spa` stage (node:{node}-slim, {})", if run == "yarn" { "yarn through corepack" } else { run.split(' ').next().unwrap_or(run) });
        self.finding(
            codes::PLATFORM_BUILD_STEP,
            Severity::Info,
            &format!("{dir}/package.json"),
            m,
            "Check the build's output folder is the one the application serves.",
        );
        Some((
            stage(format!("node:{node}-slim"), Some("spa"), lines),
            dir.to_string(),
        ))
    }

    /// The entry DLL of a bundle of published output.
    fn published_dll(&self) -> String {
        let config = self.p.top_level(".runtimeconfig.json");
        config
            .first()
            .map(|c| c.trim_end_matches(".runtimeconfig.json").to_string() + ".dll")
            .or_else(|| self.p.top_level(".dll").first().map(|d| d.to_string()))
            .unwrap_or_else(|| "application.dll".to_string())
    }
}
