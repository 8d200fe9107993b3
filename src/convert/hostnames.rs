//! Where the project's files use a link hostname that must become `localhost`: a pure scan of
//! the files the loaders read ([`crate::load::Inputs::files`]), so the live path gets it too.

use crate::detect::{mask_line, mentions_host};
use crate::load::SourceFile;
use crate::model::{BakeFile, HostnameChange, HostnameHit};
use crate::text::escape;

/// Lines of the files mounted from the bundle (`bake_files`) that use one of the changed
/// hostnames as a host, in file order.
pub fn hits(
    files: &[SourceFile],
    bake_files: &[BakeFile],
    changes: &[HostnameChange],
) -> Vec<HostnameHit> {
    if changes.is_empty() {
        return Vec::new();
    }
    let rels: Vec<String> = bake_files
        .iter()
        .map(|b| {
            b.host_path
                .trim_start_matches(crate::load::APP_BUNDLE)
                .trim_matches('/')
                .to_string()
        })
        .collect();
    let under = |path: &str| {
        rels.iter()
            .any(|r| r.is_empty() || path == r || path.starts_with(&format!("{r}/")))
    };
    let mut out = Vec::new();
    for f in files
        .iter()
        .filter(|f| under(&f.path) && !prose_or_input(&f.path))
    {
        let dockerfile = f
            .path
            .rsplit('/')
            .next()
            .is_some_and(|n| n.starts_with("Dockerfile"));
        for (i, line) in f.text.lines().enumerate() {
            // `upstream NAME {` names a block; it is not a host. A Dockerfile's `FROM` names an image.
            let t = line.trim_start();
            if t.starts_with("upstream ")
                || (dockerfile && t.to_ascii_uppercase().starts_with("FROM "))
            {
                continue;
            }
            for h in changes.iter().map(|c| c.hostname.as_str()) {
                if mentions_host(line, h) {
                    out.push(HostnameHit {
                        file: f.path.clone(),
                        line: i + 1,
                        hostname: h.to_string(),
                        text: quote_line(line),
                    });
                }
            }
        }
    }
    out
}

/// Files whose mentions are not uses: prose (README, docs, licences) and the inputs eb2ecs
/// converts (the Dockerrun or compose file, whose links are converted themselves).
fn prose_or_input(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let prose = [".md", ".markdown", ".rst", ".txt", ".adoc"];
    prose.iter().any(|e| name.ends_with(e))
        || [
            "readme",
            "license",
            "licence",
            "changelog",
            "authors",
            "notice",
        ]
        .iter()
        .any(|p| name.starts_with(p))
        || name == "dockerrun.aws.json"
        || name.starts_with("docker-compose")
}

/// A line as the checklist quotes it: trimmed, secret-looking values masked (the host stays
/// visible) and control characters escaped.
fn quote_line(line: &str) -> String {
    escape(&mask_line(line.trim())).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(host: &str) -> HostnameChange {
        HostnameChange {
            container: "proxy".into(),
            hostname: host.into(),
            target: host.into(),
            env_vars: vec![],
        }
    }

    #[test]
    fn mounted_files_are_scanned_and_others_are_not() {
        let files = vec![
            SourceFile {
                path: "conf/nginx.conf".into(),
                text: "upstream app { server app:3000; }\n  proxy_pass http://app;\n".into(),
            },
            SourceFile {
                path: "other/x.conf".into(),
                text: "proxy_pass http://app;\n".into(),
            },
        ];
        let bake = vec![BakeFile {
            container: "proxy".into(),
            host_path: "/var/app/current/conf".into(),
            container_path: "/etc/nginx".into(),
        }];
        let hits = hits(&files, &bake, &[change("app")]);
        assert_eq!(
            hits.iter()
                .map(|h| (h.file.as_str(), h.line))
                .collect::<Vec<_>>(),
            vec![("conf/nginx.conf", 2)]
        );
        assert_eq!(hits[0].text, "proxy_pass http://app;");
    }

    #[test]
    fn prose_image_names_and_the_inputs_are_not_uses() {
        let file = |path: &str, text: &str| SourceFile {
            path: path.into(),
            text: text.into(),
        };
        let files = vec![
            file("README.md", "proxy_pass http://app;\n"),
            file("Dockerfile", "FROM app:1.0\nRUN curl http://app/\n"),
            file("Dockerrun.aws.json", "\"links\": [\"app\"] http://app\n"),
        ];
        let bake = vec![BakeFile {
            container: "proxy".into(),
            host_path: "/var/app/current".into(),
            container_path: "/srv".into(),
        }];
        let hits = hits(&files, &bake, &[change("app")]);
        let at: Vec<(&str, usize)> = hits.iter().map(|h| (h.file.as_str(), h.line)).collect();
        assert_eq!(at, vec![("Dockerfile", 2)]);
    }

    #[test]
    fn quoted_lines_mask_secrets_and_escape_controls() {
        let files = vec![SourceFile {
            path: "conf/app.env".into(),
            text: "DATABASE_URL=postgres://app:PW@db:5432/app\nDB_HOST=db \u{202e}x\x07\n".into(),
        }];
        let bake = vec![BakeFile {
            container: "app".into(),
            host_path: "/var/app/current/conf".into(),
            container_path: "/etc/app".into(),
        }];
        let hits = hits(&files, &bake, &[change("db")]);
        let texts: Vec<&str> = hits.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "DATABASE_URL=postgres://app:****@db:5432/app",
                "DB_HOST=db \\u{202e}x\\x07"
            ]
        );
    }
}
