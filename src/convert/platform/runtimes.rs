//! The Dockerfile of each runtime: the official base image of the runtime version EB ran, the
//! dependencies installed as the platform installed them, a non-root user, the port EB's proxy
//! reached and the start command (the Procfile's `web`, else the platform's default).

use super::{Detected, Process};
use crate::codes;
use crate::convert::mapper::Mapper;
use crate::convert::Ctx;
use crate::finding::{Finding, Severity, Source};
use crate::load::platform::PlatformProject;
use crate::model::{GeneratedImage, Stage};
use crate::platforms::{self, Runtime};

const PYTHON: &str = "aws:elasticbeanstalk:container:python";
const PHPINI: &str = "aws:elasticbeanstalk:container:php:phpini";
const JVM: &str = "aws:elasticbeanstalk:container:tomcat:jvmoptions";
const NODE: &str = "aws:elasticbeanstalk:container:nodejs";
const APP: &str = "/var/app/current";
/// The gunicorn EB installed when the application did not list it.
const GUNICORN: &str = "gunicorn==23.0.0";
const PIPENV: &str = "pipenv==2024.4.1";

/// The state of generating one image.
pub struct Gen<'a, 'c> {
    ctx: &'c mut Ctx,
    m: &'a Mapper<'a>,
    p: &'a PlatformProject,
    d: &'a Detected,
    procs: &'a [Process],
    /// The port the application listens on.
    pub port: u16,
    /// The memory (MiB) the web container must reserve, when more than the default (a JVM heap).
    pub memory: Option<u32>,
}

impl<'a, 'c> Gen<'a, 'c> {
    /// Start generating.
    pub fn new(
        ctx: &'c mut Ctx,
        m: &'a Mapper<'a>,
        p: &'a PlatformProject,
        d: &'a Detected,
        procs: &'a [Process],
    ) -> Self {
        let port = platforms::platform(d.runtime).port;
        Gen {
            ctx,
            m,
            p,
            d,
            procs,
            port,
            memory: None,
        }
    }

    /// The image.
    pub fn image(&mut self) -> GeneratedImage {
        let (version, java) = match self.d.runtime {
            Runtime::Tomcat => self.tomcat_versions(),
            _ => (self.version(), String::new()),
        };
        let stages = match self.d.runtime {
            Runtime::Node => self.node(&version),
            Runtime::Python => self.python(&version),
            Runtime::Java => self.java(&version),
            Runtime::Tomcat => self.tomcat(&version, &java),
            Runtime::Php => self.php(&version),
            Runtime::Ruby => self.ruby(&version),
            Runtime::Go => self.go(&version),
            Runtime::Dotnet => self.dotnet(&version),
        };
        let row = platforms::platform(self.d.runtime);
        let platform = format!("{} {version}", row.name);
        self.ctx.push(Finding::new(
            codes::PLATFORM_DETECTED,
            Severity::Info,
            Source::new(&self.d.from, ""),
            format!("a {platform} project (from {}): eb2ecs wrote a Dockerfile and .dockerignore that reproduce the platform, listening on port {}", self.d.from, self.port),
            "Move Dockerfile and .dockerignore to the project root, read them, build and run the image locally before pushing it.",
        ));
        GeneratedImage {
            platform,
            detected_from: self.d.from.clone(),
            stages,
            dockerignore: self.dockerignore(),
            repository: self.ctx.family.clone(),
        }
    }

    fn finding(
        &mut self,
        code: codes::Code,
        sev: Severity,
        file: &str,
        message: String,
        action: &str,
    ) {
        self.ctx.push(Finding::new(
            code,
            sev,
            Source::new(file, ""),
            message,
            action,
        ));
    }

    /// The load balancer's idle timeout in seconds (read, not marked as used: the load
    /// balancer's rule converts it).
    fn idle_timeout(&self) -> u32 {
        [
            ("aws:elbv2:loadbalancer", "IdleTimeout"),
            ("aws:elb:policies", "ConnectionSettingIdleTimeout"),
        ]
        .iter()
        .find_map(|(ns, opt)| self.m.settings.get(ns, opt)?.value.trim().parse().ok())
        .unwrap_or(60)
    }

    /// The command of the Procfile's `web` process, as an exec-form shell command.
    fn procfile_web(&self) -> Option<Vec<String>> {
        self.procs
            .iter()
            .find(|p| p.name == "web")
            .map(|p| sh(&p.command))
    }

    /// RUN lines for the Buildfile's commands (EB ran them on the instance before starting).
    fn buildfile(&mut self) -> Vec<String> {
        let mut procs = super::procfile(self.p.text("Buildfile").unwrap_or(""));
        // A command with a credential never becomes a RUN line (the image's history keeps it)
        // nor appears in a finding: a build secret is the user's to wire (RUN --mount=type=secret).
        procs.retain(|p| {
            let Some(why) = crate::detect::secret_in_text(&p.command) else {
                return true;
            };
            let shown = crate::detect::mask_line(&p.command);
            let message = format!("the Buildfile's command `{}` (line {}) holds a value that looks like a secret ({why}); it is not put in the Dockerfile", crate::text::escape(&shown), p.line);
            self.finding(codes::SECRET_IN_COMMAND, Severity::Warning, "Buildfile", message, "Give the build the value as a build secret (RUN --mount=type=secret) and add the RUN line yourself; rotate it: it was in the Buildfile.");
            false
        });
        if !procs.is_empty() {
            let names: Vec<String> = procs.iter().map(|p| format!("`{}`", p.command)).collect();
            let message = format!("EB ran the Buildfile's command(s) {} on each instance; they are RUN lines of the Dockerfile", names.join(", "));
            self.finding(codes::PLATFORM_BUILDFILE, Severity::Warning, "Buildfile", message, "Check they need nothing the base image lacks and do not need the environment's properties (those exist only when the task runs).");
        }
        procs.iter().map(|p| format!("RUN {}", p.command)).collect()
    }

    /// What stays out of the build context: secrets (`.env*`, keys, AWS credentials), version
    /// control and EB state, local environments and dependencies the image installs itself,
    /// eb2ecs' own output. Nothing the build copies on purpose (a bundled `vendor/`, the WAR).
    fn dockerignore(&self) -> Vec<String> {
        let mut lines: Vec<String> = [
            ".git/",
            ".elasticbeanstalk/",
            ".aws/",
            ".env*",
            "*.pem",
            "*.key",
            "ecs/",
            "eb2ecs-assessment/",
            "Dockerfile",
            ".dockerignore",
            "**/*.swp",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let extra: &[&str] = match self.d.runtime {
            Runtime::Node => &["node_modules/", "npm-debug.log"],
            Runtime::Python => &["__pycache__/", "*.pyc", ".venv/", "venv/"],
            Runtime::Php if !self.p.has("vendor/") => &["vendor/", "node_modules/"],
            Runtime::Php => &["node_modules/"],
            Runtime::Ruby => &[".bundle/", "log/", "tmp/", "node_modules/"],
            Runtime::Dotnet => &["bin/", "obj/", "**/node_modules/"],
            Runtime::Java | Runtime::Tomcat => &[".gradle/", "build/", "target/"],
            Runtime::Go => &[],
        };
        lines.extend(extra.iter().map(|s| s.to_string()));
        lines
    }

    /// The last lines of the running stage: the user (by number, which resolves whatever
    /// reads it: ECS, a scanner, the host), the port and the command.
    fn tail(&self, user: User, cmd: Option<Vec<String>>) -> Vec<String> {
        let (name, uid) = user;
        let mut out = vec![format!("# the {name} user")];
        out.push(format!("USER {uid}"));
        out.push(format!("EXPOSE {}", self.port));
        if let Some(cmd) = cmd {
            out.push(format!("CMD {}", exec_form(&cmd)));
        }
        out
    }
}

/// A user the application runs as: its name and its number.
pub type User = (&'static str, u32);

/// EB's `webapp` user (EB ran the applications as it), created with a fixed number.
pub const USER_WEBAPP: User = ("webapp", 10001);
/// The `node` user of the official Node.js images.
pub const USER_NODE: User = ("node", 1000);
/// Debian's `www-data` (the PHP images' Apache user).
pub const USER_WWW_DATA: User = ("www-data", 33);

/// Creates EB's `webapp` user with [`USER_WEBAPP`]'s number.
pub const USERADD: &str =
    "RUN useradd --system --uid 10001 --create-home --shell /usr/sbin/nologin webapp";

/// A shell command line in exec form.
pub fn sh(command: &str) -> Vec<String> {
    vec!["/bin/sh".into(), "-c".into(), command.to_string()]
}

/// A JSON array, as Dockerfile exec form.
pub fn exec_form(words: &[String]) -> String {
    serde_json::to_string(words).unwrap_or_else(|_| "[]".to_string())
}

/// An `ENV` value, quoted (`\`, `"` and `$` escaped).
pub fn env_value(v: &str) -> String {
    let mut out = String::from("\"");
    for c in v.chars() {
        if matches!(c, '\\' | '"' | '$') {
            out.push('\\');
        }
        if c != '\n' && c != '\r' {
            out.push(c);
        }
    }
    out.push('"');
    out
}

/// The image tag form of a runtime version (`3.11.4` -> `3.11`, Tomcat `9` -> `9.0`).
fn normalise(runtime: Runtime, v: &str) -> String {
    let parts: Vec<&str> = v.split('.').filter(|s| !s.is_empty()).collect();
    match runtime {
        Runtime::Node | Runtime::Java => parts.first().copied().unwrap_or(v).to_string(),
        Runtime::Tomcat if parts.len() == 1 => match parts[0] {
            "10" => "10.1".to_string(),
            p => format!("{p}.0"),
        },
        Runtime::Dotnet if parts.len() == 1 => format!("{}.0", parts[0]),
        Runtime::Go if parts.len() == 1 && parts[0] == "1" => "1".to_string(),
        _ => parts.iter().take(2).copied().collect::<Vec<_>>().join("."),
    }
}

/// A stage.
fn stage(from: String, name: Option<&str>, lines: Vec<String>) -> Stage {
    Stage {
        from,
        name: name.map(str::to_string),
        lines,
    }
}

mod jvm;
mod langs;
mod native;
mod node;
mod php;
mod pick;
mod python;
mod ruby;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::tests_support::{ctx, settings};
    use crate::load::SourceFile;
    use crate::model::LaunchType;

    /// The image of a project of `files` (path, text) with EB's platform `named`, and the
    /// codes of the findings.
    fn generate(
        runtime: Runtime,
        named: Option<&str>,
        files: &[(&str, &str)],
        opts: &[(&str, &str, &str)],
    ) -> (GeneratedImage, Vec<String>, Option<u32>) {
        let p = PlatformProject {
            paths: files.iter().map(|(p, _)| p.to_string()).collect(),
            texts: files
                .iter()
                .map(|(p, t)| SourceFile {
                    path: p.to_string(),
                    text: t.to_string(),
                })
                .collect(),
            ..Default::default()
        };
        let d = Detected {
            runtime,
            name: named.unwrap_or("x").to_string(),
            version: named.and_then(|n| platforms::parse(n)?.1),
            from: "test".to_string(),
            guessed: named.is_none(),
        };
        let s = settings(opts);
        let m = Mapper::new(&s);
        let mut c = ctx(LaunchType::Fargate);
        let procs = super::super::procfile(p.text("Procfile").unwrap_or(""));
        let mut gen = Gen::new(&mut c, &m, &p, &d, &procs);
        let img = gen.image();
        let memory = gen.memory;
        let codes = c.findings.iter().map(|f| f.code.to_string()).collect();
        (img, codes, memory)
    }

    fn dockerfile(img: &GeneratedImage) -> String {
        crate::render::dockerfile::render(img)
    }

    #[test]
    fn eb_version_wins_over_a_non_binding_pin_with_a_warning() {
        let (img, codes, _) = generate(
            Runtime::Node,
            Some("Node.js 20 running on 64bit Amazon Linux 2023"),
            &[("package.json", "{}"), (".nvmrc", "18\n")],
            &[],
        );
        assert!(dockerfile(&img).contains("FROM node:20-slim"));
        assert!(codes.contains(&"PLATFORM-VERSION-CONFLICT".to_string()));
    }

    #[test]
    fn a_binding_pin_overrides_eb_and_retired_versions_are_kept() {
        let csproj = "<TargetFramework>netcoreapp3.1</TargetFramework>";
        let (img, codes, _) = generate(
            Runtime::Dotnet,
            Some(".NET 8 running on 64bit Amazon Linux 2023"),
            &[("Api.csproj", csproj)],
            &[],
        );
        let text = dockerfile(&img);
        assert!(
            text.contains("FROM mcr.microsoft.com/dotnet/aspnet:3.1"),
            "{text}"
        );
        assert!(codes.contains(&"PLATFORM-VERSION-CONFLICT".to_string()));
        assert!(codes.contains(&"PLATFORM-RETIRED".to_string()));
    }

    #[test]
    fn no_version_anywhere_is_a_blocker() {
        let (_, codes, _) = generate(
            Runtime::Python,
            None,
            &[("requirements.txt", "flask\n")],
            &[],
        );
        assert!(codes.contains(&"PLATFORM-VERSION-UNKNOWN".to_string()));
    }

    #[test]
    fn node_without_package_json_runs_app_js() {
        let (img, codes, _) = generate(
            Runtime::Node,
            Some("node.js-20"),
            &[("server.js", "x")],
            &[],
        );
        let text = dockerfile(&img);
        assert!(text.contains("CMD [\"node\",\"server.js\"]"), "{text}");
        assert!(!text.contains("npm"));
        assert!(!codes.contains(&"PLATFORM-ARTIFACT".to_string()));
    }

    #[test]
    fn gradle_builds_the_procfile_jar_on_its_port_with_the_heap_reserved() {
        let files = [
            (
                "build.gradle",
                "java { toolchain { languageVersion = JavaLanguageVersion.of(17) } }\n",
            ),
            (
                "Procfile",
                "web: java -Xmx1g -jar build/libs/app.jar --server.port=8081\n",
            ),
        ];
        let (img, codes, memory) = generate(Runtime::Java, None, &files, &[]);
        let text = dockerfile(&img);
        assert!(text.contains("FROM gradle:8-jdk17 AS build"), "{text}");
        assert!(text.contains("COPY --from=build /application.jar build/libs/app.jar"));
        assert!(text.contains("EXPOSE 8081"));
        assert_eq!(memory, Some(1024 + 256));
        assert!(codes.contains(&"PLATFORM-JVM-HEAP".to_string()));
    }

    #[test]
    fn java_tool_options_heap_sizes_the_container() {
        let opts = [(
            "aws:elasticbeanstalk:application:environment",
            "JAVA_TOOL_OPTIONS",
            "-Xmx2g",
        )];
        let (_, codes, memory) = generate(
            Runtime::Java,
            Some("Corretto 17"),
            &[("app.jar", "")],
            &opts,
        );
        assert_eq!(memory, Some(2048 + 512));
        assert!(codes.contains(&"PLATFORM-JVM-HEAP".to_string()));
    }

    #[test]
    fn php_document_root_comes_from_the_framework() {
        let composer = r#"{"require":{"php":"^8.2","drupal/core-recommended":"^10"}}"#;
        let files = [("composer.json", composer), ("web/index.php", "<?php")];
        let (img, _, _) = generate(Runtime::Php, Some("php-8.2"), &files, &[]);
        assert!(dockerfile(&img).contains("APACHE_DOCUMENT_ROOT=/var/www/html/web "));
        let opts = [(
            "aws:elasticbeanstalk:container:php:phpini",
            "document_root",
            "/docroot",
        )];
        let (img, _, _) = generate(Runtime::Php, Some("php-8.2"), &files, &opts);
        assert!(dockerfile(&img).contains("APACHE_DOCUMENT_ROOT=/var/www/html/docroot "));
    }

    #[test]
    fn rails_gets_a_js_runtime_and_libpq() {
        let gemfile = "gem 'rails'\ngem 'pg'\ngem 'jsbundling-rails'\n";
        let files = [
            ("Gemfile", gemfile),
            ("yarn.lock", ""),
            ("config/application.rb", ""),
        ];
        let (img, codes, _) = generate(
            Runtime::Ruby,
            Some("Ruby 3.3 running on 64bit Amazon Linux 2023"),
            &files,
            &[],
        );
        let text = dockerfile(&img);
        assert!(
            text.contains("install -y --no-install-recommends nodejs npm"),
            "{text}"
        );
        assert!(text.contains("npm install -g yarn@"));
        assert!(text.contains("--no-install-recommends libpq5"));
        assert!(codes.contains(&"PLATFORM-KEEPALIVE".to_string()));
    }

    #[test]
    fn idle_timeout_sets_the_keep_alive() {
        let opts = [("aws:elbv2:loadbalancer", "IdleTimeout", "120")];
        let (img, _, _) = generate(
            Runtime::Python,
            Some("Python 3.12"),
            &[("requirements.txt", "flask\n")],
            &opts,
        );
        assert!(dockerfile(&img).contains("\"--keep-alive\",\"125\""));
    }

    #[test]
    fn php_extensions_are_built_with_their_headers() {
        let composer = r#"{"require":{"ext-pdo_pgsql":"*","ext-intl":"*","ext-mbstring":"*","ext-imagick":"*"}}"#;
        let (img, codes, _) = generate(
            Runtime::Php,
            Some("php-8.2"),
            &[("composer.json", composer)],
            &[],
        );
        let text = dockerfile(&img);
        assert!(
            text.contains("--no-install-recommends libicu-dev libpq-dev && docker-php-ext-install pdo_pgsql intl && rm -rf"),
            "{text}"
        );
        // imagick is a PECL extension eb2ecs does not build: a warning.
        assert!(codes.contains(&"PLATFORM-NATIVE-DEPS".to_string()));
    }

    #[test]
    fn pipfile_native_dependencies_get_build_packages() {
        let pipfile = "[packages]\npsycopg2 = \"*\"\n\n[requires]\npython_version = \"3.10\"\n";
        let (img, _, _) = generate(Runtime::Python, None, &[("Pipfile", pipfile)], &[]);
        let text = dockerfile(&img);
        assert!(text.contains("FROM python:3.10-slim"), "{text}");
        assert!(text.contains("build-essential libpq-dev"));
        assert!(text.contains("--no-install-recommends libpq5"));
    }

    #[test]
    fn dockerignore_keeps_secrets_out() {
        let (img, _, _) = generate(
            Runtime::Node,
            Some("node.js-20"),
            &[("package.json", "{}")],
            &[],
        );
        for must in [
            ".env*",
            "*.pem",
            "*.key",
            ".aws/",
            ".git/",
            ".elasticbeanstalk/",
            "node_modules/",
            "ecs/",
        ] {
            assert!(img.dockerignore.iter().any(|l| l == must), "{must}");
        }
    }

    #[test]
    fn versions_normalise_to_image_tags() {
        assert_eq!(normalise(Runtime::Python, "3.11.4"), "3.11");
        assert_eq!(normalise(Runtime::Tomcat, "9"), "9.0");
        assert_eq!(normalise(Runtime::Node, "18.17"), "18");
        assert_eq!(normalise(Runtime::Dotnet, "8"), "8.0");
        assert_eq!(env_value("-Da=\"$x\""), "\"-Da=\\\"\\$x\\\"\"");
    }
}
