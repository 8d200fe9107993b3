//! Where the project's files use a link hostname that must become `localhost`: a pure scan of
//! the files the loaders read ([`crate::load::Inputs::files`]), so the live path gets it too.

use super::Ctx;
use crate::codes;
use crate::detect::{mask_line, mentions_host};
use crate::finding::{Finding, Severity, Source};
use crate::load::dockerrun::Dockerrun;
use crate::load::SourceFile;
use crate::model::LaunchType;
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

/// A Dockerrun v2 container's `hostname` alias that another container's mounted files use
/// (an nginx `upstream backend:5000`) is traced like a link name: under awsvpc it does not
/// resolve, so it becomes a hostname change (its lines are then listed by [`hits`]) with a
/// blocker.
pub fn aliases(ctx: &mut Ctx, run: &Dockerrun, files: &[SourceFile]) {
    if ctx.launch_type != LaunchType::Fargate {
        return;
    }
    for c in &run.containers {
        let Some(alias) = c.hostname.as_deref().filter(|h| *h != c.name) else {
            continue;
        };
        for other in run.containers.iter().filter(|o| o.name != c.name) {
            let known = ctx
                .hostname_changes
                .iter()
                .any(|h| h.container == other.name && h.hostname == alias);
            let bakes: Vec<BakeFile> = ctx
                .bake_files
                .iter()
                .filter(|b| b.container == other.name)
                .cloned()
                .collect();
            let change = HostnameChange {
                container: other.name.clone(),
                hostname: alias.to_string(),
                target: c.name.clone(),
                env_vars: Vec::new(),
            };
            let used = hits(files, &bakes, std::slice::from_ref(&change));
            let Some(first) = used.first().filter(|_| !known) else {
                continue;
            };
            ctx.push(Finding::new(
                codes::HOSTNAME_ALIAS_USED,
                Severity::Blocker,
                Source::new(&first.file, format!("line {}", first.line)),
                format!("`{}` reaches `{}` by its hostname alias `{alias}` in {}:{}; under awsvpc no container hostname resolves", other.name, c.name, first.file, first.line),
                format!("Replace `{alias}` with `localhost` in the files `{}` mounts (the checklist lists each line): containers in one task share localhost.", other.name),
            ));
            ctx.hostname_changes.push(change);
        }
    }
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
