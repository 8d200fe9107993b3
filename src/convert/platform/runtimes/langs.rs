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
            let lines = vec![
                "WORKDIR /src".to_string(),
                "COPY . .".to_string(),
                format!("RUN dotnet publish {proj} -c Release -o /out"),
            ];
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
