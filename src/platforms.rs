//! The EB language platforms eb2ecs containerises, as data: which runtime a platform name
//! (ARN, solution stack, `eb` CLI short name) means, the official base image of each runtime,
//! the port EB's proxy reached the application on, and how EB installed and started it. The
//! generator (`convert::platform`) and `support-matrix` both read [`PLATFORMS`].

/// A language runtime of EB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Runtime {
    /// Node.js.
    Node,
    /// Python.
    Python,
    /// Java SE (Corretto): a JAR.
    Java,
    /// Tomcat: a WAR.
    Tomcat,
    /// PHP.
    Php,
    /// Ruby (Puma).
    Ruby,
    /// Go.
    Go,
    /// .NET on Linux.
    Dotnet,
}

/// One row of the platform table.
#[derive(Debug, Clone, Copy)]
pub struct Platform {
    /// The runtime.
    pub runtime: Runtime,
    /// EB's name of the platform branch family.
    pub name: &'static str,
    /// Words of a platform name that mean this runtime (lower case).
    pub keywords: &'static [&'static str],
    /// The runtime version used when none is known (the newest EB branch).
    pub default_version: &'static str,
    /// Official base image; `{v}` is the runtime version.
    pub base_image: &'static str,
    /// The port the application listened on behind EB's proxy (`PORT`).
    pub port: u16,
    /// How EB installed the dependencies.
    pub install: &'static str,
    /// How EB started the application without a Procfile.
    pub start: &'static str,
    /// The version lines the official base image is published for, oldest first: a version
    /// range resolves to one of them.
    pub versions: &'static [&'static str],
    /// The versions EB's current platform branches run (a version outside them is retired).
    pub eb_offers: &'static [&'static str],
}

/// Every platform eb2ecs containerises.
pub const PLATFORMS: &[Platform] = &[
    Platform {
        runtime: Runtime::Node,
        name: "Node.js",
        keywords: &["node.js", "nodejs", "node"],
        default_version: "20",
        base_image: "node:{v}-slim",
        port: 8080,
        install: "`npm ci --omit=dev` with package-lock.json, else `npm install --omit=dev` (all dependencies when NPM_USE_PRODUCTION=false); yarn.lock: yarn, pnpm-lock.yaml: pnpm",
        start: "Procfile `web`; else `npm start` when package.json has a start script; else `node app.js` / `server.js`",
        versions: &["10", "12", "14", "16", "18", "20", "22", "24"],
        eb_offers: &["20", "22"],
    },
    Platform {
        runtime: Runtime::Python,
        name: "Python",
        keywords: &["python"],
        default_version: "3.12",
        base_image: "python:{v}-slim",
        port: 8000,
        install: "requirements.txt, else Pipfile.lock (`pipenv install --deploy`), else Pipfile; gunicorn added",
        start: "Procfile `web`; else gunicorn on WSGIPath (default application:application), NumProcesses workers, NumThreads threads",
        versions: &["3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"],
        eb_offers: &["3.9", "3.11", "3.12", "3.13"],
    },
    Platform {
        runtime: Runtime::Java,
        name: "Java SE (Corretto)",
        keywords: &["corretto", "java"],
        default_version: "21",
        base_image: "eclipse-temurin:{v}-jre",
        port: 5000,
        install: "the single JAR of the bundle, else a Gradle (gradle:G-jdkJ) or Maven (maven:3.9-eclipse-temurin-J) build stage making the JAR the Procfile runs",
        start: "Procfile `web`; else `java -jar` the JAR",
        versions: &["8", "11", "17", "21"],
        eb_offers: &["8", "11", "17", "21"],
    },
    Platform {
        runtime: Runtime::Tomcat,
        name: "Tomcat",
        keywords: &["tomcat"],
        default_version: "10.1",
        base_image: "tomcat:{v}-jdk{j}-temurin",
        port: 8080,
        install: "the WAR (or one a Maven/Gradle stage builds) as webapps/ROOT.war on the Tomcat of its servlet namespace (javax: 9.0, jakarta: 10.1); Xms, Xmx, XX:MaxPermSize and JVM Options as CATALINA_OPTS",
        start: "Tomcat (`catalina.sh run`)",
        versions: &["8.5", "9.0", "10.1", "11.0"],
        eb_offers: &["9.0", "10.1", "11.0"],
    },
    Platform {
        runtime: Runtime::Php,
        name: "PHP",
        keywords: &["php"],
        default_version: "8.3",
        base_image: "php:{v}-apache",
        port: 8080,
        install: "`composer install --no-dev` unless vendor/ is bundled (composer_options kept); document_root, memory_limit and the other phpini options in the image",
        start: "Apache with mod_php (EB ran php-fpm behind nginx or Apache): the official php:X-apache image, moved to port 8080 to run as www-data",
        versions: &["7.1", "7.2", "7.3", "7.4", "8.0", "8.1", "8.2", "8.3", "8.4"],
        eb_offers: &["8.1", "8.2", "8.3", "8.4"],
    },
    Platform {
        runtime: Runtime::Ruby,
        name: "Ruby",
        keywords: &["ruby", "puma", "passenger"],
        default_version: "3.3",
        base_image: "ruby:{v}-slim",
        port: 8080,
        install: "`bundle install` without the BUNDLE_WITHOUT groups (default test:development); Rails assets precompiled",
        start: "Procfile `web`; else `bundle exec puma`",
        versions: &["2.6", "2.7", "3.0", "3.1", "3.2", "3.3", "3.4"],
        eb_offers: &["3.2", "3.3", "3.4"],
    },
    Platform {
        runtime: Runtime::Go,
        name: "Go",
        keywords: &["go", "golang"],
        default_version: "1.22",
        base_image: "golang:{v}",
        port: 5000,
        install: "`go build -o bin/application application.go` (or the Buildfile), or the prebuilt bin/application",
        start: "Procfile `web`; else bin/application",
        versions: &["1.16", "1.17", "1.18", "1.19", "1.20", "1.21", "1.22", "1.23"],
        eb_offers: &["1"],
    },
    Platform {
        runtime: Runtime::Dotnet,
        name: ".NET on Linux",
        keywords: &[".net", "dotnet"],
        default_version: "8.0",
        base_image: "mcr.microsoft.com/dotnet/aspnet:{v}",
        port: 5000,
        install: "`dotnet publish -c Release` of the project, or the published output of the bundle",
        start: "Procfile `web`; else `dotnet <project>.dll`",
        versions: &["3.1", "5.0", "6.0", "7.0", "8.0", "9.0"],
        eb_offers: &["8.0", "9.0"],
    },
];

/// Every base image a generated Dockerfile can name (`{v}` a runtime version of the table,
/// `{j}` a Java version, `{g}` a Gradle major version): the set the build oracle stands in.
pub const BASE_IMAGES: &[&str] = &[
    "node:{v}-slim",
    "python:{v}-slim",
    "eclipse-temurin:{j}-jre",
    "maven:3.9-eclipse-temurin-{j}",
    "gradle:{g}-jdk{j}",
    "tomcat:{v}-jdk{j}-temurin",
    "php:{v}-apache",
    "composer:2",
    "ruby:{v}",
    "ruby:{v}-slim",
    "golang:{v}",
    "debian:bookworm-slim",
    "mcr.microsoft.com/dotnet/sdk:{v}",
    "mcr.microsoft.com/dotnet/aspnet:{v}",
];

/// The table row of `runtime`.
pub fn platform(runtime: Runtime) -> &'static Platform {
    PLATFORMS
        .iter()
        .find(|p| p.runtime == runtime)
        .unwrap_or(&PLATFORMS[0])
}

/// The runtime and the runtime version (when named) of an EB platform name: an ARN
/// (`arn:aws:elasticbeanstalk:…:platform/Node.js 18 running on 64bit Amazon Linux 2/5.8.0`), a
/// solution stack (`64bit Amazon Linux 2023 v4.0.1 running Python 3.11`) or an `eb` CLI name
/// (`node.js-18`, `php-8.1`, `tomcat-9-corretto-11`). For Tomcat the version is `9` and
/// [`java_of`] gives the Java version.
pub fn parse(name: &str) -> Option<(Runtime, Option<String>)> {
    let lower = name.to_ascii_lowercase();
    let text = lower
        .rsplit_once(":platform/")
        .map_or(lower.as_str(), |(_, t)| t);
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
        .filter(|w| !w.is_empty())
        .collect();
    // Tomcat names Corretto too, so it is looked for first.
    for p in [Runtime::Tomcat].iter().chain(
        PLATFORMS
            .iter()
            .map(|p| &p.runtime)
            .filter(|r| **r != Runtime::Tomcat),
    ) {
        let row = platform(*p);
        if let Some(i) = words.iter().position(|w| row.keywords.contains(w)) {
            let version = words
                .get(i + 1)
                .filter(|v| v.chars().next().is_some_and(|c| c.is_ascii_digit()))
                .map(|v| v.to_string());
            return Some((*p, version));
        }
    }
    None
}

/// The Java version a Tomcat platform name gives (`Tomcat 9 Corretto 11` -> `11`).
pub fn java_of(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
        .filter(|w| !w.is_empty())
        .collect();
    let i = words
        .iter()
        .position(|w| *w == "corretto" || *w == "java")?;
    words
        .get(i + 1)
        .filter(|v| v.chars().all(|c| c.is_ascii_digit()))
        .map(|v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_names_give_runtime_and_version() {
        let arn = "arn:aws:elasticbeanstalk:us-east-1::platform/Node.js 18 running on 64bit Amazon Linux 2/5.8.0";
        assert_eq!(parse(arn), Some((Runtime::Node, Some("18".into()))));
        assert_eq!(
            parse("64bit Amazon Linux 2023 v4.0.1 running Python 3.11"),
            Some((Runtime::Python, Some("3.11".into())))
        );
        assert_eq!(
            parse("Tomcat 9 Corretto 11 running on 64bit Amazon Linux 2"),
            Some((Runtime::Tomcat, Some("9".into())))
        );
        assert_eq!(java_of("tomcat-9-corretto-11").as_deref(), Some("11"));
        assert_eq!(parse("php-8.1"), Some((Runtime::Php, Some("8.1".into()))));
        assert_eq!(parse("Ruby"), Some((Runtime::Ruby, None)));
        assert_eq!(
            parse(".NET 8 running on 64bit Amazon Linux 2023"),
            Some((Runtime::Dotnet, Some("8".into())))
        );
        assert_eq!(
            parse("Go 1 running on 64bit Amazon Linux 2023").map(|p| p.0),
            Some(Runtime::Go)
        );
        assert_eq!(parse("Docker running on 64bit Amazon Linux 2023"), None);
    }
}
