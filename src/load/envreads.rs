//! Which environment variables the application's own code reads, found offline in its files,
//! so the conversion can say which ones nothing in the inputs defines (EB held them: console
//! properties, `eb setenv`, a coupled RDS database). Only the application's files are read —
//! not dependencies, version control or eb2ecs's output ([`super::files::not_the_application`])
//! — within [`MAX_SOURCE_FILES`] files of at most [`MAX_SOURCE_FILE`] bytes and
//! [`MAX_TOTAL`] bytes in all, each read once: linear in the size of the project.

use super::files::not_the_application;
use super::{MAX_SOURCE_FILE, MAX_SOURCE_FILES};
use std::path::Path;

/// Most bytes read in all.
pub const MAX_TOTAL: u64 = 32 << 20;
/// Most distinct variables kept.
const MAX_READS: usize = 500;

/// One read of an environment variable in the application's code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct EnvRead {
    /// The variable.
    pub name: String,
    /// The file, relative to the project, `/`-separated.
    pub file: String,
    /// The 1-based line.
    pub line: usize,
}

/// Each platform's idiom for reading a variable: the text before the name, and whether the
/// name is quoted after it.
const IDIOMS: &[(&str, bool)] = &[
    ("process.env.", false),
    ("process.env[", true),
    ("os.environ[", true),
    ("os.environ.get(", true),
    ("os.getenv(", true),
    ("environ.get(", true),
    ("ENV[", true),
    ("ENV.fetch(", true),
    ("getenv(", true),
    ("$_SERVER[", true),
    ("$_ENV[", true),
    ("env(", true),
    ("System.getenv(", true),
    ("Environment.GetEnvironmentVariable(", true),
    ("os.Getenv(", true),
    ("os.LookupEnv(", true),
];

/// Files whose text is code (or Spring configuration) worth reading.
fn is_code(name: &str) -> bool {
    let exts = [
        ".js", ".mjs", ".cjs", ".ts", ".py", ".rb", ".php", ".java", ".kt", ".cs", ".go",
    ];
    exts.iter().any(|e| name.ends_with(e))
        || name == "application.properties"
        || name.starts_with("application") && (name.ends_with(".yml") || name.ends_with(".yaml"))
}

/// The reads in the project at `root`: the first read of each variable (files in path order),
/// sorted by name.
pub fn scan(root: &Path) -> Vec<EnvRead> {
    let mut walk = Walk::default();
    walk.dir(root, "", 0);
    walk.reads.into_values().collect()
}

#[derive(Default)]
struct Walk {
    files: usize,
    bytes: u64,
    reads: std::collections::BTreeMap<String, EnvRead>,
}

impl Walk {
    fn dir(&mut self, root: &Path, rel: &str, depth: usize) {
        let here = root.join(rel);
        if depth > 8 || (depth > 0 && not_the_application(&here)) {
            return;
        }
        for e in super::files::entries(root, rel) {
            if e.kind.is_dir() {
                self.dir(root, &e.path, depth + 1);
            } else if e.kind.is_file() && is_code(&e.name) {
                self.file(&root.join(&e.path), &e.path);
            }
            if self.files >= MAX_SOURCE_FILES || self.bytes >= MAX_TOTAL {
                return;
            }
        }
    }

    fn file(&mut self, full: &Path, rel: &str) {
        let size = std::fs::metadata(full).map_or(u64::MAX, |m| m.len());
        if size > MAX_SOURCE_FILE {
            return;
        }
        self.files += 1;
        self.bytes += size;
        let Some(text) = super::guard::read_regular(full, MAX_SOURCE_FILE) else {
            return;
        };
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let spring = name.starts_with("application")
            && [".properties", ".yml", ".yaml"]
                .iter()
                .any(|e| name.ends_with(e));
        for (i, line) in text.lines().enumerate() {
            let names = if spring {
                placeholders(line)
            } else {
                reads_in(line)
            };
            for name in names {
                if self.reads.len() < MAX_READS && !self.reads.contains_key(&name) {
                    let read = EnvRead {
                        name: name.clone(),
                        file: rel.to_string(),
                        line: i + 1,
                    };
                    self.reads.insert(name, read);
                }
            }
        }
    }
}

/// The variables one line of code reads.
pub fn reads_in(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (idiom, quoted) in IDIOMS {
        let mut rest = line;
        while let Some(i) = rest.find(idiom) {
            // `env(` must be a call of its own, not `getenv(` or `Getenv(` (listed themselves).
            let before = rest[..i].chars().last();
            rest = &rest[i + idiom.len()..];
            if *idiom == "env("
                && before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            {
                continue;
            }
            let body = if *quoted {
                match rest.strip_prefix(['"', '\'']) {
                    Some(b) => b,
                    None => continue,
                }
            } else {
                rest
            };
            let name: String = body
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if is_env_name(&name) {
                out.push(name);
            }
        }
    }
    // `os.environ.get(` is also `environ.get(`: one read each.
    out.sort();
    out.dedup();
    out
}

/// Spring `${NAME}` placeholders without a default (`${NAME:default}` has its own).
pub fn placeholders(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("${") {
        rest = &rest[i + 2..];
        let inner: String = rest.chars().take_while(|c| *c != '}').collect();
        if is_env_name(&inner) {
            out.push(inner);
        }
    }
    out
}

/// An environment variable's name as applications spell them: `UPPER_CASE`.
fn is_env_name(name: &str) -> bool {
    name.len() > 1
        && name.starts_with(|c: char| c.is_ascii_uppercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_platform_idiom_is_read() {
        let cases = [
            (
                "const url = process.env.DATABASE_URL || 'x';",
                "DATABASE_URL",
            ),
            ("key = process.env['API_KEY']", "API_KEY"),
            ("host = os.environ['RDS_HOSTNAME']", "RDS_HOSTNAME"),
            ("port = os.environ.get(\"RDS_PORT\", 5432)", "RDS_PORT"),
            ("x = os.getenv('SECRET_KEY')", "SECRET_KEY"),
            ("redis = ENV.fetch('REDIS_URL')", "REDIS_URL"),
            ("token = ENV[\"GITHUB_TOKEN\"]", "GITHUB_TOKEN"),
            ("$db = getenv('DB_HOST');", "DB_HOST"),
            ("$k = $_SERVER['APP_KEY'];", "APP_KEY"),
            ("'debug' => env('APP_DEBUG', false),", "APP_DEBUG"),
            ("String u = System.getenv(\"JDBC_URL\");", "JDBC_URL"),
            (
                "var c = Environment.GetEnvironmentVariable(\"CONN\");",
                "CONN",
            ),
            ("addr := os.Getenv(\"LISTEN_ADDR\")", "LISTEN_ADDR"),
        ];
        for (line, name) in cases {
            assert_eq!(reads_in(line), [name], "{line}");
        }
        assert!(reads_in("process.env.port").is_empty());
        assert_eq!(
            placeholders("spring.datasource.url=${JDBC_URL}"),
            ["JDBC_URL"]
        );
        assert!(placeholders("server.port=${PORT:5000}").is_empty());
    }

    #[test]
    fn dependencies_and_output_are_not_read() {
        let d = tempfile::tempdir().unwrap();
        let w = |p: &str, t: &str| {
            let f = d.path().join(p);
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, t).unwrap();
        };
        w("src/app.js", "a\nprocess.env.DATABASE_URL\n");
        w("node_modules/x/index.js", "process.env.NOT_MINE\n");
        w("ecs/.eb2ecs-manifest.json", "{}");
        w("ecs/x.js", "process.env.OUTPUT\n");
        let reads = scan(d.path());
        assert_eq!(
            reads,
            [EnvRead {
                name: "DATABASE_URL".into(),
                file: "src/app.js".into(),
                line: 2
            }]
        );
    }
}
