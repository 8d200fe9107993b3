//! A project with only a Dockerfile: EB built the image on each instance and ran it with its
//! proxy in front of the Dockerfile's first `EXPOSE` port. Read as a one-container Dockerrun v1
//! with no image (the conversion gives it the placeholder ECR image to build and push).

use crate::codes;
use crate::finding::{Finding, Severity, Source};
use crate::load::dockerrun::{Dockerrun, EbContainer, EbPort, Parsed};
use std::path::Path;

/// The ports of the `EXPOSE` lines, in order, with the line of each.
pub fn exposed(text: &str) -> Vec<(u16, String, usize)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut words = line.split_whitespace();
        if !words
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("EXPOSE"))
        {
            continue;
        }
        for w in words {
            let (port, proto) = w.split_once('/').unwrap_or((w, "tcp"));
            if let Ok(p) = port.parse::<u16>() {
                out.push((p, proto.to_ascii_lowercase(), i + 1));
            }
        }
    }
    out
}

/// The Dockerfile project as a Dockerrun.
pub fn read(text: &str, label: &str, root: &Path) -> Parsed {
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let folder = canonical
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = crate::names::sanitise_name(&folder);
    let name = if name.trim_matches('-').is_empty() {
        "app".to_string()
    } else {
        name
    };
    let ports = exposed(text);
    let port_mappings = ports
        .iter()
        .map(|(p, proto, line)| EbPort {
            container_port: *p,
            host_port: None,
            protocol: proto.clone(),
            pointer: format!("line {line}"),
        })
        .collect();
    let expose = match ports.first() {
        Some((p, _, line)) => {
            format!("EB's proxy sent traffic to its first EXPOSE port, {p} (line {line})")
        }
        None => "it has no EXPOSE line, so no port is published".to_string(),
    };
    let finding = Finding::new(
        codes::DOCKERFILE_ONLY,
        // Not a blocker: the checklist (and the --ci workflow) build and push the image.
        Severity::Warning,
        Source::new(label, ""),
        format!("the project has only a Dockerfile: EB built it on every instance and {expose}; ECS runs a pushed image, so the task uses a placeholder ECR image `{name}`"),
        format!("Build and push the image as CHECKLIST.md says (ECR repository `{name}`; with --ci github the workflow builds it on every push), then put its URI in the task definition or the stack's image parameter."),
    );
    let container = EbContainer {
        name,
        essential: true,
        port_mappings,
        build: Some(crate::load::dockerrun::ImageBuild {
            context: ".".to_string(),
            dockerfile: "Dockerfile".to_string(),
            pointer: String::new(),
            ..Default::default()
        }),
        ..Default::default()
    };
    let run = Dockerrun::single(label, container);
    (run, vec![finding])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expose_lines_give_the_ports() {
        let ports = exposed("FROM node\nEXPOSE 3000 9229/udp\nexpose 8080\n");
        let got: Vec<(u16, &str, usize)> =
            ports.iter().map(|(p, x, l)| (*p, x.as_str(), *l)).collect();
        assert_eq!(
            got,
            vec![(3000, "tcp", 2), (9229, "udp", 2), (8080, "tcp", 3)]
        );
    }

    #[test]
    fn a_dockerfile_project_is_one_container_without_image() {
        let (run, findings) = read(
            "FROM nginx\nEXPOSE 80\n",
            "Dockerfile",
            Path::new("/nonexistent/shop"),
        );
        assert_eq!(run.version, crate::load::dockerrun::Version::V1);
        assert_eq!(run.containers[0].name, "shop");
        assert!(run.containers[0].image.is_none());
        assert_eq!(run.containers[0].port_mappings[0].container_port, 80);
        assert_eq!(findings[0].code, codes::DOCKERFILE_ONLY);
    }
}
