//! One generator per runtime.

use super::*;

const APP_ENV: &str = "aws:elasticbeanstalk:application:environment";

/// Python packages that compile against system libraries the slim image lacks.
const PY_NATIVE: &[&str] = &[
    "psycopg2",
    "mysqlclient",
    "cx_oracle",
    "pycurl",
    "python-ldap",
    "uwsgi",
    "pyodbc",
];
/// PHP extensions the official php image has.
#[rustfmt::skip]
const PHP_BUILTIN: &[&str] = &["ctype", "iconv", "json", "mbstring", "tokenizer", "xml", "dom", "curl", "openssl", "pdo", "pdo_sqlite", "sqlite3", "fileinfo", "filter", "hash", "session", "simplexml", "xmlwriter", "xmlreader", "zlib", "sodium", "phar", "posix", "readline", "libxml", "ftp", "mysqlnd", "pcre", "spl", "reflection", "standard"];
/// Gems that compile native extensions.
const GEM_NATIVE: &[&str] = &[
    "pg", "mysql2", "sqlite3", "nokogiri", "bcrypt", "nio4r", "puma", "ffi", "thin",
];

impl Gen<'_, '_> {
    pub(super) fn node(&mut self, v: &str) -> Vec<Stage> {
        let (copy, install) = self.node_install(v);
        let cmd = self.node_command();
        let mut lines = vec![
            format!("ENV PORT={}", self.port),
            format!("WORKDIR {APP}"),
            format!("COPY {copy} ./"),
            format!("RUN {install}"),
            "COPY --chown=node:node . .".to_string(),
        ];
        lines.extend(self.buildfile());
        lines.extend(self.tail(USER_NODE, Some(cmd)));
        vec![stage(format!("node:{v}-slim"), None, lines)]
    }

    /// What to copy first and how EB's Node.js platform installed the dependencies.
    fn node_install(&self, v: &str) -> (&'static str, String) {
        let prod = self
            .m
            .value(APP_ENV, "NPM_USE_PRODUCTION")
            .is_none_or(|x| !x.eq_ignore_ascii_case("false"));
        let omit = match (prod, v.parse::<u32>().is_ok_and(|n| n < 16)) {
            (false, _) => "",
            (true, true) => " --production",
            (true, false) => " --omit=dev",
        };
        if self.p.has("pnpm-lock.yaml") {
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
        }
    }

    /// The Procfile's `web`, else NodeCommand, else `npm start` or `node app.js`/`server.js`.
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
        let main = ["app.js", "server.js"]
            .into_iter()
            .find(|f| self.p.has(f))
            .unwrap_or("app.js");
        if !self.p.has(main) {
            let m = "package.json has no start script and the project has no app.js or server.js; the image runs `node app.js`".to_string();
            self.finding(codes::PLATFORM_SERVER, Severity::Warning, "package.json", m, "Add a Procfile `web:` line or a start script with the command that starts the server.");
        }
        vec!["node".to_string(), main.to_string()]
    }

    pub(super) fn python(&mut self, v: &str) -> Vec<Stage> {
        let reqs = self
            .p
            .text("requirements.txt")
            .or(self.p.text("Pipfile"))
            .unwrap_or("")
            .to_ascii_lowercase();
        let native: Vec<&str> = PY_NATIVE
            .iter()
            .filter(|n| {
                reqs.lines()
                    .any(|l| l.trim_start().starts_with(*n) && !l.contains("-binary"))
            })
            .copied()
            .collect();
        self.native(&native, "requirements.txt");
        let web = self.procfile_web();
        let mut lines = vec![
            "ENV PYTHONUNBUFFERED=1".to_string(),
            format!("ENV PORT={}", self.port),
            format!("WORKDIR {APP}"),
        ];
        lines.extend(self.python_install());
        if !reqs.contains("gunicorn") && web.as_ref().is_none_or(|w| w[2].contains("gunicorn")) {
            lines.push(format!("RUN pip install --no-cache-dir {GUNICORN}"));
        }
        lines.push("COPY . .".to_string());
        lines.extend(self.buildfile());
        lines.push(USERADD.to_string());
        let cmd = web.unwrap_or_else(|| self.gunicorn());
        lines.extend(self.tail(USER_WEBAPP, Some(cmd)));
        vec![stage(format!("python:{v}-slim"), None, lines)]
    }

    /// How EB's Python platform installed the dependencies.
    fn python_install(&self) -> Vec<String> {
        let (copy, install) = if self.p.has("requirements.txt") {
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
        vec![format!("COPY {copy} ./"), format!("RUN {install}")]
    }

    /// gunicorn as EB started it: WSGIPath, NumProcesses, NumThreads.
    fn gunicorn(&mut self) -> Vec<String> {
        let wsgi = self
            .m
            .value(PYTHON, "WSGIPath")
            .unwrap_or("application")
            .to_string();
        let workers = self.m.number(self.ctx, PYTHON, "NumProcesses", 1);
        let threads = self.m.number(self.ctx, PYTHON, "NumThreads", 15);
        let module = wsgi.trim_end_matches(".py").replace('/', ".");
        let app = if module.contains(':') {
            module
        } else {
            format!("{module}:application")
        };
        let bind = format!("0.0.0.0:{}", self.port);
        [
            "gunicorn",
            "--bind",
            &bind,
            "--workers",
            &workers.to_string(),
            "--threads",
            &threads.to_string(),
            &app,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    pub(super) fn java(&mut self, v: &str) -> Vec<Stage> {
        let jars = self.p.top_level(".jar");
        let mut stages = Vec::new();
        let copy = match jars.as_slice() {
            [jar] => format!("COPY {jar} application.jar"),
            _ if self.p.has("pom.xml") => {
                let m = "the bundle has no JAR but a pom.xml: the Dockerfile builds it with Maven (EB ran the JAR it was given)".to_string();
                self.finding(
                    codes::PLATFORM_ARTIFACT,
                    Severity::Warning,
                    "pom.xml",
                    m,
                    "Check the build makes exactly one runnable JAR in target/.",
                );
                let lines = vec![
                    "WORKDIR /src".to_string(),
                    "COPY . .".to_string(),
                    "RUN mvn -B -DskipTests package && cp target/*.jar /application.jar"
                        .to_string(),
                ];
                stages.push(stage(
                    format!("maven:3-eclipse-temurin-{v}"),
                    Some("build"),
                    lines,
                ));
                "COPY --from=build /application.jar application.jar".to_string()
            }
            _ => {
                let m = format!("the bundle has {} JAR files at its root; EB ran a single one, so the Dockerfile copies application.jar", jars.len());
                self.finding(codes::PLATFORM_ARTIFACT, Severity::Blocker, &self.d.from.clone(), m, "Build the JAR as application.jar in the project root (or add a Procfile), then build the image.");
                "COPY application.jar application.jar".to_string()
            }
        };
        let cmd = self.procfile_web().unwrap_or_else(|| {
            ["java", "-jar", "application.jar"]
                .map(String::from)
                .to_vec()
        });
        let mut lines = vec![
            format!("ENV PORT={p} SERVER_PORT={p}", p = self.port),
            format!("WORKDIR {APP}"),
            copy,
        ];
        lines.extend(self.buildfile());
        lines.push(USERADD.to_string());
        lines.extend(self.tail(USER_WEBAPP, Some(cmd)));
        stages.push(stage(format!("eclipse-temurin:{v}-jre"), None, lines));
        stages
    }

    pub(super) fn tomcat(&mut self, v: &str) -> Vec<Stage> {
        let java = platforms::java_of(&self.d.name).unwrap_or_else(|| {
            match v {
                "8.5" => "8",
                "9.0" => "11",
                _ => "17",
            }
            .to_string()
        });
        let xms = self.m.value(JVM, "Xms").unwrap_or("256m").to_string();
        let xmx = self.m.value(JVM, "Xmx").unwrap_or("256m").to_string();
        let _ = self.m.value(JVM, "XX:MaxPermSize");
        let extra = self.m.value(JVM, "JVM Options").unwrap_or("").to_string();
        let opts = format!("-Xms{xms} -Xmx{xmx} {extra}").trim().to_string();
        let wars = self.p.top_level(".war");
        let copies: Vec<String> = match wars.as_slice() {
            [war] => vec![format!("COPY {war} /usr/local/tomcat/webapps/ROOT.war")],
            [] => {
                let m = "the bundle has no WAR file; the Dockerfile copies ROOT.war".to_string();
                self.finding(codes::PLATFORM_ARTIFACT, Severity::Blocker, &self.d.from.clone(), m, "Build the application's WAR as ROOT.war in the project root before building the image.");
                vec!["COPY ROOT.war /usr/local/tomcat/webapps/ROOT.war".to_string()]
            }
            many => many
                .iter()
                .map(|w| format!("COPY {w} /usr/local/tomcat/webapps/{w}"))
                .collect(),
        };
        let mut lines = vec![
            format!("ENV CATALINA_OPTS={}", env_value(&opts)),
            format!("ENV PORT={}", self.port),
        ];
        lines.extend(copies);
        lines.extend(self.buildfile());
        lines.push("RUN useradd --system --uid 10001 --shell /usr/sbin/nologin webapp && chown -R webapp /usr/local/tomcat".to_string());
        lines.extend(self.tail(USER_WEBAPP, self.procfile_web()));
        vec![stage(format!("tomcat:{v}-jre{java}-temurin"), None, lines)]
    }

    pub(super) fn php(&mut self, v: &str) -> Vec<Stage> {
        let root = self
            .m
            .value(PHPINI, "document_root")
            .unwrap_or("")
            .trim_matches('/')
            .to_string();
        let ini = self.php_ini();
        let composer_opts = self
            .m
            .value(PHPINI, "composer_options")
            .unwrap_or("")
            .to_string();
        let mut stages = Vec::new();
        let docroot = if root.is_empty() {
            "/var/www/html".to_string()
        } else {
            format!("/var/www/html/{root}")
        };
        let mut lines = vec![format!("ENV APACHE_DOCUMENT_ROOT={docroot} PORT={}", self.port),
            "RUN sed -ri -e 's!/var/www/html!${APACHE_DOCUMENT_ROOT}!g' /etc/apache2/sites-available/*.conf /etc/apache2/apache2.conf && sed -ri -e 's/^Listen 80$/Listen 8080/' /etc/apache2/ports.conf && sed -ri -e 's/:80>/:8080>/' /etc/apache2/sites-available/000-default.conf && a2enmod rewrite".to_string(),
            format!("RUN printf '%s\\n' {} > /usr/local/etc/php/conf.d/elasticbeanstalk.ini", ini.iter().map(|l| format!("'{}'", l.replace('\'', ""))).collect::<Vec<_>>().join(" ")),
            "WORKDIR /var/www/html".to_string(), "COPY --chown=www-data:www-data . .".to_string()];
        if self.p.has("composer.json") && !self.p.has("vendor/") {
            let lock = if self.p.has("composer.lock") {
                " composer.lock"
            } else {
                ""
            };
            let mut flags =
                "--no-dev --no-interaction --prefer-dist --no-scripts --ignore-platform-reqs"
                    .to_string();
            for f in composer_opts.split_whitespace() {
                if !flags.split(' ').any(|x| x == f) {
                    flags.push(' ');
                    flags.push_str(f);
                }
            }
            stages.push(stage(
                "composer:2".to_string(),
                Some("vendor"),
                vec![
                    "WORKDIR /app".to_string(),
                    format!("COPY composer.json{lock} ./"),
                    format!("RUN composer install {flags}"),
                ],
            ));
            lines.push(
                "COPY --from=vendor --chown=www-data:www-data /app/vendor ./vendor".to_string(),
            );
            self.php_extensions();
        }
        lines.extend(self.buildfile());
        let m = format!("EB served PHP with php-fpm behind nginx (or Apache); the image is the official php:{v}-apache, moved to port 8080 to run as www-data");
        self.finding(codes::PLATFORM_SERVER, Severity::Info, &self.d.from.clone(), m, "Check .htaccess rules and the document root; use php-fpm with an nginx container if you need EB's exact server.");
        lines.extend(self.tail(USER_WWW_DATA, None));
        stages.push(stage(format!("php:{v}-apache"), None, lines));
        stages
    }

    pub(super) fn ruby(&mut self, v: &str) -> Vec<Stage> {
        let gemfile = self.p.text("Gemfile").unwrap_or("").to_string();
        let natives: Vec<&str> = GEM_NATIVE
            .iter()
            .filter(|g| {
                gemfile.contains(&format!("\"{g}\"")) || gemfile.contains(&format!("'{g}'"))
            })
            .copied()
            .collect();
        self.native(&natives, "Gemfile");
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
        let build = vec![
            env.clone(),
            format!("WORKDIR {APP}"),
            format!("COPY Gemfile{lock} ./"),
            "RUN bundle install".to_string(),
        ];
        let rails = self.p.has("config/application.rb") || gemfile.contains("rails");
        let mut lines = vec![
            env,
            format!("ENV PORT={}", self.port),
            format!("WORKDIR {APP}"),
            "COPY --from=build /usr/local/bundle /usr/local/bundle".to_string(),
            "COPY . .".to_string(),
        ];
        if rails {
            lines
                .push("RUN SECRET_KEY_BASE_DUMMY=1 bundle exec rake assets:precompile".to_string());
        }
        lines.extend(self.buildfile());
        lines.push(format!("{USERADD} && chown -R webapp {APP}"));
        let m = "EB's nginx reached Puma on a Unix socket; the image runs Puma on port 8080 (a Procfile `web` command keeps its own arguments)".to_string();
        self.finding(codes::PLATFORM_SERVER, Severity::Info, &self.d.from.clone(), m, "Make sure the web command listens on $PORT (8080); EB ran `rake db:migrate` on deploy for Rails: run it as a one-off ECS task.");
        let cmd = self.procfile_web().unwrap_or_else(|| {
            sh("exec bundle exec puma --bind tcp://0.0.0.0:${PORT} --environment production")
        });
        lines.extend(self.tail(USER_WEBAPP, Some(cmd)));
        vec![
            stage(format!("ruby:{v}"), Some("build"), build),
            stage(format!("ruby:{v}-slim"), None, lines),
        ]
    }

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

    /// The php.ini lines of EB's phpini options (memory_limit defaults to EB's 256M).
    fn php_ini(&self) -> Vec<String> {
        let mut ini = vec![format!(
            "memory_limit={}",
            self.m.value(PHPINI, "memory_limit").unwrap_or("256M")
        )];
        for opt in [
            "zlib.output_compression",
            "allow_url_fopen",
            "display_errors",
            "max_execution_time",
        ] {
            if let Some(x) = self.m.value(PHPINI, opt) {
                ini.push(format!("{opt}={x}"));
            }
        }
        ini
    }

    /// PHP extensions composer.json requires that the official image does not compile in.
    fn php_extensions(&mut self) {
        let json: Option<serde_json::Value> = self
            .p
            .text("composer.json")
            .and_then(|t| serde_json::from_str(t).ok());
        let Some(req) = json
            .as_ref()
            .and_then(|j| j.get("require")?.as_object().cloned())
        else {
            return;
        };
        let missing: Vec<String> = req
            .keys()
            .filter_map(|k| k.strip_prefix("ext-"))
            .filter(|e| !PHP_BUILTIN.contains(&e.to_ascii_lowercase().as_str()))
            .map(str::to_string)
            .collect();
        if !missing.is_empty() {
            let m = format!(
                "composer.json requires PHP extension(s) {} that php:X-apache does not have",
                missing.join(", ")
            );
            self.finding(
                codes::PLATFORM_NATIVE_DEPS,
                Severity::Warning,
                "composer.json",
                m,
                "Add `RUN docker-php-ext-install …` (or pecl install) for them to the Dockerfile.",
            );
        }
    }

    /// A finding for dependencies that compile native code.
    fn native(&mut self, names: &[&str], file: &str) {
        if names.is_empty() {
            return;
        }
        let m = format!("{file} lists {} which build native code against system libraries EB's instance had; the image may lack them", names.join(", "));
        self.finding(codes::PLATFORM_NATIVE_DEPS, Severity::Warning, file, m, "Build the image; if installing fails, add the system packages (apt-get install) or use the full (non-slim) base image.");
    }
}
