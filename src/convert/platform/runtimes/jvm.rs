//! Java SE (a JAR, or one built with Gradle or Maven) and Tomcat (a WAR on the Tomcat whose
//! servlet namespace it uses), and the JVM heap against the container's memory.

use super::super::version::{self, Req};
use super::*;
use crate::load::platform::war::{self, Servlet};

/// Memory the JVM needs beyond the heap (metaspace, threads, code cache), at least.
const JVM_OVERHEAD_MIN: u32 = 256;

impl Gen<'_, '_> {
    pub(super) fn java(&mut self, v: &str) -> Vec<Stage> {
        let web = self
            .procs
            .iter()
            .find(|p| p.name == "web")
            .map(|p| p.command.clone());
        if let Some(port) = web.as_deref().and_then(server_port) {
            self.port = port;
        }
        // The JAR the start command runs, relative to the application folder.
        let jar = web
            .as_deref()
            .and_then(jar_of)
            .unwrap_or_else(|| "application.jar".to_string());
        let mut stages = Vec::new();
        let jars = self.p.top_level(".jar");
        let copy = if let [one] = jars.as_slice() {
            format!("COPY {one} {jar}")
        } else if let Some(build) = self.jvm_build(v, &mut stages) {
            build.replace("{jar}", &jar)
        } else {
            let m = format!("the bundle has {} JAR files at its root and no Gradle or Maven build; EB ran a single JAR, so the Dockerfile copies {jar}", jars.len());
            self.finding(codes::PLATFORM_ARTIFACT, Severity::Blocker, &self.d.from.clone(), m, "Build the JAR the Procfile runs (or application.jar) in the project root, then build the image.");
            format!("COPY {jar} {jar}")
        };
        let cmd = self
            .procfile_web()
            .unwrap_or_else(|| ["java", "-jar", jar.as_str()].map(String::from).to_vec());
        let procfile = web
            .as_deref()
            .and_then(xmx_of)
            .map(|x| (x, "Procfile".to_string()));
        let heap = procfile.or_else(|| self.tool_options_heap());
        self.heap(heap);
        let idle = self.idle_timeout();
        let mut lines = vec![
            format!("ENV PORT={p} SERVER_PORT={p}", p = self.port),
            "# Spring Boot's embedded Tomcat keeps idle connections longer than the load balancer"
                .to_string(),
            format!("ENV SERVER_TOMCAT_KEEP_ALIVE_TIMEOUT={}s", idle + 5),
            format!("WORKDIR {APP}"),
            copy,
        ];
        lines.extend(self.buildfile());
        lines.push(USERADD.to_string());
        lines.extend(self.tail(USER_WEBAPP, Some(cmd)));
        stages.push(stage(format!("eclipse-temurin:{v}-jre"), None, lines));
        stages
    }

    /// A builder stage for a Gradle or Maven project; the COPY line of the runtime stage
    /// (`{jar}` where the JAR goes).
    fn jvm_build(&mut self, java: &str, stages: &mut Vec<Stage>) -> Option<String> {
        let gradle = ["build.gradle", "build.gradle.kts", "gradlew"]
            .into_iter()
            .find(|f| self.p.has(f));
        let (image, run, file) = if let Some(file) = gradle {
            let g = self.gradle_major();
            let run = "RUN gradle --no-daemon build -x test && find . -path '*/build/libs/*.jar' ! -name '*-plain.jar' -exec cp {} /application.jar ';'";
            (format!("gradle:{g}-jdk{java}"), run, file)
        } else if self.p.has("pom.xml") {
            let run = "RUN mvn -B -DskipTests package && find target -maxdepth 1 -name '*.jar' ! -name 'original-*' ! -name '*-sources.jar' -exec cp {} /application.jar ';'";
            (format!("maven:3.9-eclipse-temurin-{java}"), run, "pom.xml")
        } else {
            return None;
        };
        let tool = if file == "pom.xml" { "Maven" } else { "Gradle" };
        let multi = self.p.paths.iter().any(|p| {
            p.ends_with("/build.gradle")
                || p.ends_with("/build.gradle.kts")
                || p.ends_with("/pom.xml")
        });
        let m = format!(
            "EB ran the JAR of the bundle; the project has a {tool} build ({file}), so the Dockerfile builds it in a `build` stage ({image}) and copies the runnable JAR{}",
            if multi { "; it has several modules: the last runnable JAR found is the one copied" } else { "" }
        );
        let sev = if multi {
            Severity::Warning
        } else {
            Severity::Info
        };
        self.finding(codes::PLATFORM_BUILD_STEP, sev, file, m, "Check the build makes the JAR the Procfile runs; the wrapper (gradlew, mvnw) is not used: the image's tool version is.");
        stages.push(stage(
            image,
            Some("build"),
            vec![
                "WORKDIR /src".to_string(),
                "COPY . .".to_string(),
                run.to_string(),
            ],
        ));
        Some("COPY --from=build /application.jar {jar}".to_string())
    }

    /// The Gradle major version of the wrapper (`gradle-8.8-bin.zip` -> 8), else 8.
    fn gradle_major(&self) -> String {
        self.p
            .text("gradle/wrapper/gradle-wrapper.properties")
            .and_then(|t| t.split("gradle-").nth(1))
            .and_then(|rest| rest.split(['.', '-']).next())
            .filter(|m| m.parse::<u32>().is_ok())
            .unwrap_or("8")
            .to_string()
    }

    /// The Tomcat version and Java version: EB's platform name, the WAR's (or the sources')
    /// servlet namespace, the project's Java level.
    pub(super) fn tomcat_versions(&mut self) -> (String, String) {
        let named = self
            .d
            .version
            .as_deref()
            .map(|v| normalise(Runtime::Tomcat, v));
        let evidence = self.servlet();
        let tomcat = match (named, evidence) {
            (Some(eb), Some((s, from))) => self.servlet_against(eb, s, &from),
            (Some(eb), None) => eb,
            (None, Some((s, from))) => {
                let v = if s == Servlet::Javax { "9.0" } else { "10.1" };
                let m = format!("no EB platform names the Tomcat version; {from} uses {}, so the image runs Tomcat {v}", ns(s));
                self.finding(
                    codes::PLATFORM_SERVLET,
                    Severity::Info,
                    &from.clone(),
                    m,
                    "Check it is the Tomcat the EB environment ran.",
                );
                v.to_string()
            }
            (None, None) => {
                let m = "no EB platform names the Tomcat version and no WAR, web.xml or build file shows the servlet API (javax or jakarta); the image uses Tomcat 10.1, which runs only jakarta applications".to_string();
                self.finding(codes::PLATFORM_VERSION_UNKNOWN, Severity::Blocker, &self.d.from.clone(), m, "Name the platform EB ran (.elasticbeanstalk/config.yml global.default_platform, or --platform), or put the real WAR in the project, and run eb2ecs again.");
                "10.1".to_string()
            }
        };
        self.retired(&tomcat);
        let java = self.tomcat_java(&tomcat);
        (tomcat, java)
    }

    /// EB's Tomcat, unless the servlet namespace cannot run on it.
    fn servlet_against(&mut self, eb: String, s: Servlet, from: &str) -> String {
        let new = !matches!(eb.as_str(), "7.0" | "8.0" | "8.5" | "9.0");
        let v = match (s, new) {
            (Servlet::Javax, true) => "9.0",
            (Servlet::Jakarta, false) => "10.1",
            _ => {
                let m = format!(
                    "{from} uses {}, which Tomcat {eb} (EB's platform) runs",
                    ns(s)
                );
                self.finding(
                    codes::PLATFORM_SERVLET,
                    Severity::Info,
                    from,
                    m,
                    "Nothing to do.",
                );
                return eb;
            }
        };
        let m = format!("EB's platform is Tomcat {eb}, but {from} uses {}, which Tomcat {eb} cannot run; the image runs Tomcat {v}", ns(s));
        self.finding(codes::PLATFORM_VERSION_CONFLICT, Severity::Warning, from, m, "Check which WAR the EB environment really ran; set the FROM line to the Tomcat it needs.");
        v.to_string()
    }

    /// The servlet namespace and what showed it: the WAR, else web.xml, else the build file.
    fn servlet(&mut self) -> Option<(Servlet, String)> {
        for w in &self.p.wars {
            if let Some((s, entry)) = &w.servlet {
                return Some((*s, format!("{} ({entry})", w.path)));
            }
        }
        let sources = [
            (
                "src/main/webapp/WEB-INF/web.xml",
                war::web_xml as fn(&str) -> Option<Servlet>,
            ),
            ("pom.xml", war::in_text),
            ("build.gradle", war::in_text),
            ("build.gradle.kts", war::in_text),
        ];
        let found = sources
            .iter()
            .find_map(|(file, f)| f(self.p.text(file)?).map(|s| (s, file.to_string())));
        if found.is_none() {
            let unreadable: Vec<String> = self
                .p
                .wars
                .iter()
                .filter_map(|w| Some(format!("{} {}", w.path, w.unreadable.as_ref()?)))
                .collect();
            if let Some(first) = self.p.wars.first() {
                let m = format!(
                    "the servlet API of the application is unknown: {}",
                    unreadable.join("; ")
                );
                let path = first.path.clone();
                self.finding(codes::PLATFORM_ARTIFACT, Severity::Blocker, &path, m, "Put the WAR the EB environment ran in the project (or its sources with web.xml or pom.xml), then build the image.");
            }
        }
        found
    }

    /// Java for Tomcat: EB's name (`Corretto 11`), else the project's level, else the
    /// Tomcat's usual one.
    fn tomcat_java(&mut self, tomcat: &str) -> String {
        if let Some(j) = platforms::java_of(&self.d.name) {
            return j;
        }
        let usual = match tomcat {
            "7.0" | "8.0" | "8.5" => "8",
            "9.0" | "10.1" => "17",
            _ => "21",
        };
        let pins = version::pins(Runtime::Tomcat, self.p);
        match pins.first().map(|p| &p.req) {
            Some(Req::AtLeast(level))
                if version::version_key(level) > version::version_key(usual) =>
            {
                let up = ["11", "17", "21"]
                    .into_iter()
                    .find(|j| version::version_key(j) >= version::version_key(level))
                    .unwrap_or("21");
                up.to_string()
            }
            _ => usual.to_string(),
        }
    }

    pub(super) fn tomcat(&mut self, v: &str, java: &str) -> Vec<Stage> {
        let xms = self.m.value(JVM, "Xms").unwrap_or("256m").to_string();
        let xmx = self.m.value(JVM, "Xmx").unwrap_or("256m").to_string();
        let _ = self.m.value(JVM, "XX:MaxPermSize");
        let extra = self.m.value(JVM, "JVM Options").unwrap_or("").to_string();
        let opts = format!("-Xms{xms} -Xmx{xmx} {extra}").trim().to_string();
        let file = self
            .m
            .settings
            .get(JVM, "Xmx")
            .map_or_else(|| "EB's default".to_string(), |s| s.source.file.clone());
        let heap = xmx_of(&opts).map(|x| (x, format!("{file} ({JVM} Xmx)")));
        // JAVA_TOOL_OPTIONS is read after CATALINA_OPTS: its -Xmx wins.
        let heap = self.tool_options_heap().or(heap);
        self.heap(heap);
        let wars = self.p.top_level(".war");
        let mut stages = Vec::new();
        let copies: Vec<String> = match wars.as_slice() {
            [war] => vec![format!("COPY {war} /usr/local/tomcat/webapps/ROOT.war")],
            [] if self.war_build(java, &mut stages) => {
                vec![
                    "COPY --from=build /application.war /usr/local/tomcat/webapps/ROOT.war"
                        .to_string(),
                ]
            }
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
        let idle = self.idle_timeout();
        let mut lines = vec![
            format!("ENV CATALINA_OPTS={}", env_value(&opts)),
            format!("ENV PORT={}", self.port),
            "# keep idle connections open longer than the load balancer does".to_string(),
            format!("RUN sed -i 's|<Connector port=\"8080\"|<Connector port=\"8080\" keepAliveTimeout=\"{}\"|' /usr/local/tomcat/conf/server.xml", (idle + 5) * 1000),
        ];
        lines.extend(copies);
        lines.extend(self.buildfile());
        lines.push("RUN useradd --system --uid 10001 --shell /usr/sbin/nologin webapp && chown -R webapp /usr/local/tomcat".to_string());
        lines.extend(self.tail(USER_WEBAPP, self.procfile_web()));
        stages.push(stage(format!("tomcat:{v}-jdk{java}-temurin"), None, lines));
        stages
    }

    /// A `build` stage making the WAR with Maven or Gradle, when the project has the build.
    fn war_build(&mut self, java: &str, stages: &mut Vec<Stage>) -> bool {
        let (image, run, file) = if self.p.has("pom.xml") {
            let run = "RUN mvn -B -DskipTests package && find target -maxdepth 1 -name '*.war' -exec cp {} /application.war ';'";
            (format!("maven:3.9-eclipse-temurin-{java}"), run, "pom.xml")
        } else if let Some(f) = ["build.gradle", "build.gradle.kts"]
            .into_iter()
            .find(|f| self.p.has(f))
        {
            let run = "RUN gradle --no-daemon build -x test && find . -path '*/build/libs/*.war' ! -name '*-plain.war' -exec cp {} /application.war ';'";
            (format!("gradle:{}-jdk{java}", self.gradle_major()), run, f)
        } else {
            return false;
        };
        let m = format!("the project has no WAR but a build ({file}): the Dockerfile builds it in a `build` stage ({image}) and deploys it as ROOT.war");
        self.finding(
            codes::PLATFORM_BUILD_STEP,
            Severity::Info,
            file,
            m,
            "Check the build makes one WAR.",
        );
        stages.push(stage(
            image,
            Some("build"),
            vec![
                "WORKDIR /src".to_string(),
                "COPY . .".to_string(),
                run.to_string(),
            ],
        ));
        true
    }

    /// The heap JAVA_TOOL_OPTIONS of the environment properties sets (every JVM reads it).
    fn tool_options_heap(&self) -> Option<(u32, String)> {
        let s = self
            .m
            .settings
            .get(super::langs::APP_ENV, "JAVA_TOOL_OPTIONS")?;
        xmx_of(&s.value).map(|x| (x, "JAVA_TOOL_OPTIONS".to_string()))
    }

    /// The container reserves what a JVM with `xmx` MiB of heap needs, when that is more than
    /// a container is given by default.
    fn heap(&mut self, xmx: Option<(u32, String)>) {
        let Some((xmx, from)) = xmx else { return };
        let from = from.as_str();
        let need = xmx + (xmx / 4).max(JVM_OVERHEAD_MIN);
        if need <= crate::convert::task::ASSUMED_CONTAINER_MEMORY {
            return;
        }
        self.memory = Some(need);
        let m = format!("the JVM may use {xmx} MiB of heap (-Xmx, from {from}) plus at least {} MiB besides; the web container reserves {need} MiB and the task is sized for it (a smaller task would be stopped for lack of memory)", need - xmx);
        self.finding(codes::PLATFORM_JVM_HEAP, Severity::Warning, from, m, "Check the heap against the EB instance's real use; lower -Xmx rather than the task size if it was generous.");
    }
}

/// `javax.servlet` or `jakarta.servlet`.
fn ns(s: Servlet) -> &'static str {
    match s {
        Servlet::Javax => "javax.servlet",
        Servlet::Jakarta => "jakarta.servlet",
    }
}

/// The port a Java start command sets (`--server.port=5000`, `-Dserver.port=8081`).
pub fn server_port(command: &str) -> Option<u16> {
    command.split_whitespace().find_map(|w| {
        let v = w
            .strip_prefix("--server.port=")
            .or_else(|| w.strip_prefix("-Dserver.port="))?;
        v.parse().ok()
    })
}

/// The JAR a Java start command runs (`java -jar ./build/libs/app.jar` -> `build/libs/app.jar`).
pub fn jar_of(command: &str) -> Option<String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    let i = words.iter().position(|w| *w == "-jar")?;
    let jar = words[i + 1..].iter().find(|w| !w.starts_with('-'))?;
    let jar = jar.trim_start_matches("./");
    (jar.ends_with(".jar") && !jar.contains("..") && !jar.starts_with('/') && !jar.contains('$'))
        .then(|| jar.to_string())
}

/// The heap limit of JVM options in MiB (`-Xmx1024m`, `-Xmx2g`), the last one winning.
pub fn xmx_of(opts: &str) -> Option<u32> {
    opts.split_whitespace()
        .filter_map(|w| w.strip_prefix("-Xmx"))
        .next_back()
        .and_then(|v| {
            let (num, unit) = v.split_at(v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len()));
            let n: u64 = num.parse().ok()?;
            let mib = match unit.to_ascii_lowercase().as_str() {
                "g" => n * 1024,
                "m" => n,
                "k" => n / 1024,
                "" => n / (1024 * 1024),
                _ => return None,
            };
            u32::try_from(mib).ok()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_commands_give_port_jar_and_heap() {
        let c = "java -jar -Duser.timezone=Asia/Seoul -Dserver.port=5001 -Xmx1g ./application.jar";
        assert_eq!(server_port(c), Some(5001));
        assert_eq!(jar_of(c).as_deref(), Some("application.jar"));
        assert_eq!(xmx_of(c), Some(1024));
        assert_eq!(
            server_port("java -jar app.jar --server.port=8081"),
            Some(8081)
        );
        assert_eq!(
            jar_of("java -jar build/libs/app.jar").as_deref(),
            Some("build/libs/app.jar")
        );
        assert_eq!(jar_of("java -jar ../x.jar"), None);
        assert_eq!(xmx_of("-Xms256m -Xmx512m -Xmx768m"), Some(768));
    }
}
