//! The runtime version a project pins in its own files (`docs/runtime-versions.md` has the
//! table): each [`Pin`] says which file and key, what it says, whether the runtime refuses to run
//! the application on another version (`binding`), and which versions it allows. The generator
//! (`runtimes::Gen::version`) weighs them against the platform EB named.

use super::range::{self, Flavour};
use crate::load::platform::PlatformProject;
use crate::platforms::Runtime;

/// What a project's file says about the runtime version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// The file and key (`package.json (engines.node)`).
    pub source: String,
    /// What it says, as written (`>=16 <19`, `netcoreapp3.1`).
    pub raw: String,
    /// The requirement: an exact version or a range.
    pub req: Req,
    /// The runtime refuses another version (bundler's `ruby`, composer's `require.php`, a
    /// .NET target framework, Java bytecode newer than the JVM).
    pub binding: bool,
}

/// A version requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Req {
    /// This version (`18.17.0`, `3.1`).
    Exact(String),
    /// A range in a tool's syntax.
    Range(String, Flavour),
    /// This version or newer (Java bytecode level).
    AtLeast(String),
}

/// Every pin of `runtime` the project has, in the order of the table (binding ones first).
pub fn pins(runtime: Runtime, p: &PlatformProject) -> Vec<Pin> {
    let mut out = match runtime {
        Runtime::Node => node(p),
        Runtime::Python => python(p),
        Runtime::Ruby => ruby(p),
        Runtime::Php => php(p),
        Runtime::Dotnet => dotnet(p),
        Runtime::Go => go(p),
        Runtime::Java | Runtime::Tomcat => java(p),
    };
    out.sort_by_key(|pin| !pin.binding);
    out
}

fn pin(source: &str, raw: &str, req: Req, binding: bool) -> Pin {
    Pin {
        source: source.to_string(),
        raw: raw.trim().to_string(),
        req,
        binding,
    }
}

/// An exact version, or a range of the given flavour.
fn exact_or_range(raw: &str, flavour: Flavour) -> Req {
    let r = raw.trim();
    if range::is_exact(r) {
        Req::Exact(r.trim_start_matches(['=', 'v']).to_string())
    } else {
        Req::Range(r.to_string(), flavour)
    }
}

fn json(p: &PlatformProject, file: &str) -> Option<serde_json::Value> {
    serde_json::from_str(p.text(file)?).ok()
}

/// The first non-comment line of a one-line version file.
fn first_line(text: &str) -> Option<&str> {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
}

fn node(p: &PlatformProject) -> Vec<Pin> {
    let mut out = Vec::new();
    if let Some(e) = json(p, "package.json").and_then(|v| {
        v.pointer("/engines/node")
            .and_then(|e| e.as_str())
            .map(str::to_string)
    }) {
        let req = exact_or_range(&e, Flavour::Npm);
        out.push(pin("package.json (engines.node)", &e, req, false));
    }
    for file in [".nvmrc", ".node-version"] {
        if let Some(line) = p.text(file).and_then(first_line) {
            if let Some(v) = nvm_alias(line) {
                out.push(pin(file, line, Req::Exact(v), false));
            }
        }
    }
    out
}

/// An nvm version or alias (`v18.17.0`, `18`, `lts/hydrogen`); `lts/*` and `node` name no
/// fixed version.
fn nvm_alias(line: &str) -> Option<String> {
    const LTS: [(&str, &str); 10] = [
        ("argon", "4"),
        ("boron", "6"),
        ("carbon", "8"),
        ("dubnium", "10"),
        ("erbium", "12"),
        ("fermium", "14"),
        ("gallium", "16"),
        ("hydrogen", "18"),
        ("iron", "20"),
        ("jod", "22"),
    ];
    let l = line.to_ascii_lowercase();
    if let Some(name) = l.strip_prefix("lts/") {
        return LTS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string());
    }
    range::is_exact(&l).then(|| l.trim_start_matches('v').to_string())
}

fn python(p: &PlatformProject) -> Vec<Pin> {
    let mut out = Vec::new();
    if let Some(line) = p.text("runtime.txt").and_then(first_line) {
        let v = line.trim_start_matches("python-");
        if range::is_exact(v) {
            out.push(pin("runtime.txt", line, Req::Exact(v.to_string()), false));
        }
    }
    if let Some(line) = p.text(".python-version").and_then(first_line) {
        if range::is_exact(line) {
            out.push(pin(
                ".python-version",
                line,
                Req::Exact(line.to_string()),
                false,
            ));
        }
    }
    for key in ["python_version", "python_full_version"] {
        if let Some(v) = p.text("Pipfile").and_then(|t| assigned(t, key)) {
            if range::is_exact(&v) {
                let source = format!("Pipfile ({key})");
                out.push(pin(&source, &v, Req::Exact(v.clone()), false));
                break;
            }
        }
    }
    out
}

/// The quoted value of `key = "…"` on a line of its own (TOML, Ruby).
fn assigned(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let rest = l.trim().strip_prefix(key)?.trim_start();
        let rest = rest.strip_prefix('=')?.trim();
        Some(rest.trim_matches(['"', '\'']).to_string())
    })
}

fn ruby(p: &PlatformProject) -> Vec<Pin> {
    let mut out = Vec::new();
    if let Some(gemfile) = p.text("Gemfile") {
        for l in gemfile.lines().map(str::trim) {
            let Some(rest) = l.strip_prefix("ruby ") else {
                continue;
            };
            // `ruby file: ".ruby-version"` points at the other file, read below.
            let Some(raw) = quoted(rest) else { continue };
            let req = exact_or_range(&raw, Flavour::Composer);
            out.push(pin("Gemfile (ruby)", &raw, req, true));
            break;
        }
    }
    if let Some(line) = p.text(".ruby-version").and_then(first_line) {
        let v = line.trim_start_matches("ruby-");
        if range::is_exact(v) {
            out.push(pin(".ruby-version", line, Req::Exact(v.to_string()), false));
        }
    }
    if let Some(lock) = p.text("Gemfile.lock") {
        let mut lines = lock.lines().skip_while(|l| l.trim() != "RUBY VERSION");
        if let Some(v) = lines.nth(1).and_then(|l| l.trim().strip_prefix("ruby ")) {
            let v: String = v
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            if !v.is_empty() {
                let source = "Gemfile.lock (RUBY VERSION)";
                out.push(pin(source, &v, Req::Exact(v.clone()), false));
            }
        }
    }
    out
}

/// The first quoted string of a Ruby line (`"~> 3.1"`, `'3.2.2'`).
fn quoted(s: &str) -> Option<String> {
    let start = s.find(['"', '\''])?;
    let q = s[start..].chars().next()?;
    let rest = &s[start + 1..];
    Some(rest[..rest.find(q)?].to_string())
}

fn php(p: &PlatformProject) -> Vec<Pin> {
    let mut out = Vec::new();
    let Some(c) = json(p, "composer.json") else {
        return out;
    };
    if let Some(v) = c.pointer("/config/platform/php").and_then(|v| v.as_str()) {
        let req = exact_or_range(v, Flavour::Composer);
        out.push(pin("composer.json (config.platform.php)", v, req, false));
    }
    if let Some(v) = c.pointer("/require/php").and_then(|v| v.as_str()) {
        let req = Req::Range(v.to_string(), Flavour::Composer);
        out.push(pin("composer.json (require.php)", v, req, true));
    }
    out
}

fn dotnet(p: &PlatformProject) -> Vec<Pin> {
    let mut out = Vec::new();
    for proj in p.top_level(".csproj") {
        let Some(text) = p.text(proj) else { continue };
        for tag in ["TargetFramework", "TargetFrameworks"] {
            let Some(raw) = xml_element(text, tag) else {
                continue;
            };
            // Several frameworks: the newest is the one published for Linux.
            let best = raw
                .split(';')
                .filter_map(target_framework)
                .max_by(|a, b| version_key(a).cmp(&version_key(b)));
            if let Some(v) = best {
                let source = format!("{proj} ({tag})");
                out.push(pin(&source, &raw, Req::Exact(v), true));
            }
        }
    }
    out
}

/// The .NET version of a target framework moniker (`netcoreapp3.1` -> `3.1`, `net6.0` -> `6.0`);
/// .NET Framework (`net48`) and .NET Standard name none.
pub fn target_framework(tfm: &str) -> Option<String> {
    let t = tfm.trim().to_ascii_lowercase();
    let v = t.strip_prefix("netcoreapp").or_else(|| {
        t.strip_prefix("net")
            .filter(|v| v.contains('.') && !t.starts_with("netstandard"))
    })?;
    let v: String = v
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    (!v.is_empty()).then_some(v)
}

/// The text of the first `<tag>…</tag>`.
fn xml_element(text: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = text.find(&open)? + open.len();
    let end = text[start..].find(&format!("</{tag}>"))?;
    Some(text[start..start + end].trim().to_string())
}

/// A version as numbers, for ordering.
pub fn version_key(v: &str) -> Vec<u32> {
    v.split('.').map_while(|p| p.parse().ok()).collect()
}

fn go(p: &PlatformProject) -> Vec<Pin> {
    let Some(text) = p.text("go.mod") else {
        return Vec::new();
    };
    let word = |key: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(key).map(str::trim))
            .map(|v| v.trim_start_matches("go").to_string())
            .filter(|v| range::is_exact(v))
    };
    let mut out = Vec::new();
    if let Some(v) = word("toolchain ") {
        out.push(pin("go.mod (toolchain)", &v, Req::Exact(v.clone()), false));
    }
    if let Some(v) = word("go ") {
        out.push(pin("go.mod (go)", &v, Req::Exact(v.clone()), false));
    }
    out
}

fn java(p: &PlatformProject) -> Vec<Pin> {
    let mut out = Vec::new();
    let props = p.text("gradle.properties").unwrap_or("");
    for file in ["build.gradle", "build.gradle.kts"] {
        let Some(text) = p.text(file) else { continue };
        if let Some(v) = after(text, "JavaLanguageVersion.of(").and_then(|a| java_level(&a, props))
        {
            let source = format!("{file} (toolchain languageVersion)");
            out.push(pin(&source, &v, Req::AtLeast(v.clone()), true));
        }
        for key in ["sourceCompatibility", "targetCompatibility", "jvmTarget"] {
            if let Some(v) = after(text, key).and_then(|a| java_level(&a, props)) {
                let source = format!("{file} ({key})");
                out.push(pin(&source, &v, Req::AtLeast(v.clone()), true));
                break;
            }
        }
    }
    if let Some(pom) = p.text("pom.xml") {
        for tag in [
            "maven.compiler.release",
            "maven.compiler.target",
            "maven.compiler.source",
            "java.version",
            "release",
        ] {
            if let Some(v) = xml_element(pom, tag).and_then(|a| java_level(&a, "")) {
                let source = format!("pom.xml ({tag})");
                out.push(pin(&source, &v, Req::AtLeast(v.clone()), true));
                break;
            }
        }
    }
    out
}

/// The text after the first `key` (to the end of its line), without `=` and quotes.
fn after(text: &str, key: &str) -> Option<String> {
    let start = text.find(key)? + key.len();
    let line = text[start..].lines().next()?;
    Some(line.trim_start_matches([' ', '=', '(']).trim().to_string())
}

/// A Java level from what a build file wrote: `17`, `'11'`, `JavaVersion.VERSION_1_8`,
/// `1.8`, `JavaVersion.toVersion(properties["javaVersion"])` (looked up in gradle.properties).
pub fn java_level(raw: &str, props: &str) -> Option<String> {
    let mut s = raw.trim().trim_matches(['"', '\'', ')']).to_string();
    if let Some(key) = s.split('"').nth(1).filter(|_| s.contains("properties")) {
        let value = props.lines().find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == key).then(|| v.trim().to_string())
        })?;
        s = value;
    }
    let s = s
        .trim_start_matches("JavaVersion.VERSION_")
        .replace('_', ".");
    let digits: String = s
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let level = digits.strip_prefix("1.").unwrap_or(&digits);
    let major = level.split('.').next()?;
    (!major.is_empty() && major.parse::<u32>().is_ok_and(|m| m >= 5)).then(|| major.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::SourceFile;

    fn project(files: &[(&str, &str)]) -> PlatformProject {
        PlatformProject {
            paths: files.iter().map(|(p, _)| p.to_string()).collect(),
            texts: files
                .iter()
                .map(|(p, t)| SourceFile {
                    path: p.to_string(),
                    text: t.to_string(),
                })
                .collect(),
            ..Default::default()
        }
    }

    fn first(runtime: Runtime, files: &[(&str, &str)]) -> Option<(String, Req, bool)> {
        pins(runtime, &project(files))
            .into_iter()
            .next()
            .map(|p| (p.source, p.req, p.binding))
    }

    #[test]
    fn node_pins() {
        let pj = r#"{"engines":{"node":">=16 <19"}}"#;
        assert_eq!(
            first(Runtime::Node, &[("package.json", pj)]),
            Some((
                "package.json (engines.node)".into(),
                Req::Range(">=16 <19".into(), Flavour::Npm),
                false
            ))
        );
        let nvm = first(Runtime::Node, &[(".nvmrc", "v18.17.0\n")]);
        assert_eq!(nvm.map(|p| p.1), Some(Req::Exact("18.17.0".into())));
        let lts = first(Runtime::Node, &[(".node-version", "lts/gallium")]);
        assert_eq!(lts.map(|p| p.1), Some(Req::Exact("16".into())));
        assert_eq!(first(Runtime::Node, &[(".nvmrc", "lts/*")]), None);
    }

    #[test]
    fn python_pins() {
        let rt = first(Runtime::Python, &[("runtime.txt", "python-3.8.10\n")]);
        assert_eq!(rt.map(|p| p.1), Some(Req::Exact("3.8.10".into())));
        let pv = first(Runtime::Python, &[(".python-version", "3.11.4")]);
        assert_eq!(pv.map(|p| p.0), Some(".python-version".into()));
        let pipfile = "[requires]\npython_version = \"3.9\"\n";
        let pf = first(Runtime::Python, &[("Pipfile", pipfile)]);
        assert_eq!(pf.map(|p| p.1), Some(Req::Exact("3.9".into())));
    }

    #[test]
    fn ruby_pins() {
        let g = first(Runtime::Ruby, &[("Gemfile", "source 'x'\nruby '~> 3.1'\n")]);
        assert_eq!(
            g,
            Some((
                "Gemfile (ruby)".into(),
                Req::Range("~> 3.1".into(), Flavour::Composer),
                true
            ))
        );
        let rv = first(Runtime::Ruby, &[(".ruby-version", "ruby-3.2.2\n")]);
        assert_eq!(rv.map(|p| p.1), Some(Req::Exact("3.2.2".into())));
        let lock = "GEM\n\nRUBY VERSION\n   ruby 3.1.4p223\n\nBUNDLED WITH\n";
        let l = first(Runtime::Ruby, &[("Gemfile.lock", lock)]);
        assert_eq!(l.map(|p| p.1), Some(Req::Exact("3.1.4".into())));
    }

    #[test]
    fn php_pins() {
        let c = r#"{"require":{"php":"^8.1"},"config":{"platform":{"php":"8.2.0"}}}"#;
        let all = pins(Runtime::Php, &project(&[("composer.json", c)]));
        assert_eq!(all[0].source, "composer.json (require.php)");
        assert!(all[0].binding);
        assert_eq!(all[1].req, Req::Exact("8.2.0".into()));
    }

    #[test]
    fn dotnet_pins() {
        let csproj = "<Project><PropertyGroup><TargetFramework>netcoreapp3.1</TargetFramework></PropertyGroup></Project>";
        let d = first(Runtime::Dotnet, &[("Web.csproj", csproj)]);
        assert_eq!(d.map(|p| p.1), Some(Req::Exact("3.1".into())));
        assert_eq!(target_framework("net6.0").as_deref(), Some("6.0"));
        assert_eq!(target_framework("net48"), None);
        assert_eq!(target_framework("netstandard2.0"), None);
        let many = "<TargetFrameworks>net6.0;net8.0</TargetFrameworks>";
        let d = first(Runtime::Dotnet, &[("A.csproj", many)]);
        assert_eq!(d.map(|p| p.1), Some(Req::Exact("8.0".into())));
    }

    #[test]
    fn go_pins() {
        let m = "module x\n\ngo 1.21\n\ntoolchain go1.22.3\n";
        let g = first(Runtime::Go, &[("go.mod", m)]);
        assert_eq!(
            g.map(|p| (p.0, p.1)),
            Some(("go.mod (toolchain)".into(), Req::Exact("1.22.3".into())))
        );
        let g = first(Runtime::Go, &[("go.mod", "module x\ngo 1.16\n")]);
        assert_eq!(g.map(|p| p.1), Some(Req::Exact("1.16".into())));
    }

    #[test]
    fn java_pins() {
        let gradle =
            "java {\n  toolchain {\n    languageVersion = JavaLanguageVersion.of(17)\n  }\n}\n";
        let j = first(Runtime::Java, &[("build.gradle", gradle)]);
        assert_eq!(j.map(|p| p.1), Some(Req::AtLeast("17".into())));
        let kts = "java {\n    sourceCompatibility = JavaVersion.toVersion(properties[\"javaVersion\"] as String)\n}\n";
        let j = first(
            Runtime::Java,
            &[
                ("build.gradle.kts", kts),
                ("gradle.properties", "javaVersion=21\n"),
            ],
        );
        assert_eq!(j.map(|p| p.1), Some(Req::AtLeast("21".into())));
        let j = first(
            Runtime::Java,
            &[(
                "build.gradle",
                "sourceCompatibility = JavaVersion.VERSION_1_8\n",
            )],
        );
        assert_eq!(j.map(|p| p.1), Some(Req::AtLeast("8".into())));
        let pom = "<project><properties><java.version>11</java.version></properties></project>";
        let j = first(Runtime::Tomcat, &[("pom.xml", pom)]);
        assert_eq!(j.map(|p| p.0), Some("pom.xml (java.version)".into()));
        let pom = "<properties><maven.compiler.release>17</maven.compiler.release></properties>";
        let j = first(Runtime::Java, &[("pom.xml", pom)]);
        assert_eq!(j.map(|p| p.1), Some(Req::AtLeast("17".into())));
        assert_eq!(java_level("'1.8'", ""), Some("8".into()));
    }
}
