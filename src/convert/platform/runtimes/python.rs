//! Python: requirements installed as EB installed them (wheels built in a `build` stage with
//! the compilers and headers when a dependency needs them, the shared libraries in the runtime
//! stage), Django's static files collected into the image, gunicorn started as EB started it
//! with a keep-alive longer than the load balancer's idle timeout.

use super::langs::APP_ENV;
use super::native::{self, Eco};
use super::*;

impl Gen<'_, '_> {
    pub(super) fn python(&mut self, v: &str) -> Vec<Stage> {
        let reqs = self
            .p
            .text("requirements.txt")
            .or(self.p.text("Pipfile"))
            .unwrap_or("")
            .to_ascii_lowercase();
        let names = native::python_names(&reqs);
        let natives = native::find(Eco::Python, &names);
        let web = self.procfile_web();
        let mut stages = Vec::new();
        let mut lines = vec![
            "ENV PYTHONUNBUFFERED=1".to_string(),
            format!("ENV PORT={}", self.port),
            format!("WORKDIR {APP}"),
        ];
        let run = native::packages(&natives, false);
        if !run.is_empty() {
            lines.push(native::apt(&run));
        }
        lines.extend(self.python_install(v, &natives, &mut stages));
        if !names.iter().any(|n| n == "gunicorn")
            && web.as_ref().is_none_or(|w| w[2].contains("gunicorn"))
        {
            lines.push(format!("RUN pip install --no-cache-dir {GUNICORN}"));
        }
        lines.push("COPY . .".to_string());
        if names.iter().any(|n| n == "django") && self.p.has("manage.py") {
            lines.push(self.collectstatic());
        }
        lines.extend(self.buildfile());
        lines.push(USERADD.to_string());
        self.gunicorn_keepalive(web.as_ref());
        let cmd = web.unwrap_or_else(|| self.gunicorn());
        lines.extend(self.tail(USER_WEBAPP, Some(cmd)));
        stages.push(stage(format!("python:{v}-slim"), None, lines));
        stages
    }

    /// How EB's Python platform installed the dependencies; with native dependencies, wheels
    /// built in a `build` stage that has their build packages.
    fn python_install(
        &mut self,
        v: &str,
        natives: &[&native::Native],
        stages: &mut Vec<Stage>,
    ) -> Vec<String> {
        let (copy, install) = if self.p.has("requirements.txt") {
            let build = native::packages(natives, true);
            if !build.is_empty() {
                let names: Vec<&str> = natives.iter().map(|n| n.name).collect();
                let m = format!("requirements.txt lists {}, which build native code: the Dockerfile builds the wheels in a `build` stage with {} and installs {} in the image", names.join(", "), build.join(", "), native::packages(natives, false).join(", "));
                self.finding(codes::PLATFORM_NATIVE_DEPS, Severity::Info, "requirements.txt", m, "Build the image; add any other system package a dependency needs to the table's stages.");
                stages.push(stage(
                    format!("python:{v}-slim"),
                    Some("build"),
                    vec![
                        native::apt(&build),
                        "WORKDIR /src".to_string(),
                        "COPY requirements.txt ./".to_string(),
                        "RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt"
                            .to_string(),
                    ],
                ));
                return vec![
                    "COPY requirements.txt ./".to_string(),
                    "COPY --from=build /wheels /wheels".to_string(),
                    "RUN pip install --no-cache-dir --no-index --find-links=/wheels -r requirements.txt && rm -rf /wheels".to_string(),
                ];
            }
            (
                "requirements.txt",
                "pip install --no-cache-dir -r requirements.txt".to_string(),
            )
        } else if self.p.has("Pipfile.lock") {
            (
                "Pipfile Pipfile.lock",
                format!("pip install --no-cache-dir {PIPENV} && pipenv install --system --deploy"),
            )
        } else if self.p.has("Pipfile") {
            (
                "Pipfile",
                format!(
                    "pip install --no-cache-dir {PIPENV} && pipenv install --system --skip-lock"
                ),
            )
        } else {
            return Vec::new();
        };
        let mut out = Vec::new();
        // pipenv builds in the image itself: the build packages stay in it.
        let build = native::packages(natives, true);
        if !build.is_empty() {
            let names: Vec<&str> = natives.iter().map(|n| n.name).collect();
            let m = format!(
                "Pipfile lists {}, which build native code: the image installs {} before pipenv",
                names.join(", "),
                build.join(", ")
            );
            self.finding(
                codes::PLATFORM_NATIVE_DEPS,
                Severity::Info,
                "Pipfile",
                m,
                "Build the image; add any other system package a dependency needs to that line.",
            );
            out.push(native::apt(&build));
        }
        out.extend([format!("COPY {copy} ./"), format!("RUN {install}")]);
        out
    }

    /// Django's `collectstatic`, which EB ran on deploy, into the image.
    fn collectstatic(&mut self) -> String {
        let settings = self
            .m
            .settings
            .get(APP_ENV, "DJANGO_SETTINGS_MODULE")
            .map(|s| s.value.trim().to_string())
            .filter(|s| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            });
        let prefix = settings
            .as_ref()
            .map(|s| format!("DJANGO_SETTINGS_MODULE={s} "))
            .unwrap_or_default();
        let m = format!("a Django project: EB ran `collectstatic` on deploy and its proxy served /static; the Dockerfile runs it at build time{}", settings.as_ref().map(|s| format!(" with DJANGO_SETTINGS_MODULE={s} from the settings")).unwrap_or_default());
        self.finding(codes::PLATFORM_BUILD_STEP, Severity::Info, "manage.py", m, "Make the settings importable without the environment's secrets at build time (defaults for SECRET_KEY and the database), and serve /static from the application (WhiteNoise) or S3.");
        format!("RUN {prefix}python manage.py collectstatic --noinput")
    }

    /// gunicorn as EB started it: WSGIPath, NumProcesses, NumThreads; keep-alive longer than
    /// the load balancer's idle timeout.
    fn gunicorn(&mut self) -> Vec<String> {
        let wsgi = self
            .m
            .value(PYTHON, "WSGIPath")
            .unwrap_or("application")
            .to_string();
        let workers = self.m.number_or(self.ctx, PYTHON, "NumProcesses", 1);
        let threads = self.m.number_or(self.ctx, PYTHON, "NumThreads", 15);
        let module = wsgi.trim_end_matches(".py").replace('/', ".");
        let app = if module.contains(':') {
            module
        } else {
            format!("{module}:application")
        };
        let bind = format!("0.0.0.0:{}", self.port);
        let keep = (self.idle_timeout() + 5).to_string();
        [
            "gunicorn",
            "--bind",
            &bind,
            "--workers",
            &workers.to_string(),
            "--threads",
            &threads.to_string(),
            "--keep-alive",
            &keep,
            &app,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    /// A Procfile gunicorn without a keep-alive longer than the idle timeout: a finding.
    fn gunicorn_keepalive(&mut self, web: Option<&Vec<String>>) {
        let Some(cmd) = web.map(|w| w[2].clone()) else {
            return;
        };
        let conf = self.p.text("gunicorn.conf.py").unwrap_or("");
        let set = cmd.contains("--keep-alive")
            || conf
                .lines()
                .any(|l| l.trim_start().starts_with("keepalive"));
        if !cmd.contains("gunicorn") || set {
            return;
        }
        let idle = self.idle_timeout();
        let m = format!("the Procfile's gunicorn keeps idle connections 2 s (its default) while the load balancer keeps them {idle} s: without EB's nginx in between that gives intermittent 502s");
        let action = format!(
            "Add `--keep-alive {}` to the Procfile's gunicorn command.",
            idle + 5
        );
        self.finding(
            codes::PLATFORM_KEEPALIVE,
            Severity::Warning,
            "Procfile",
            m,
            &action,
        );
    }
}
