//! The layers import only the layers below them (docs/ARCHITECTURE.md): `load` and `render`
//! never import `convert`; `infra` (the infrastructure model) imports neither `convert`,
//! `load` nor `render`; `render` never imports `load` or `output`. Test code (`#[cfg(test)]`
//! modules) may build inputs through any layer.

mod common;

use std::fs;
use std::path::Path;

/// Every `.rs` file under `dir`, with its text up to its `#[cfg(test)]` module.
fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            let text = fs::read_to_string(&p).unwrap();
            let code = text
                .split("#[cfg(test)]")
                .next()
                .unwrap_or_default()
                .to_string();
            out.push((p.display().to_string(), code));
        }
    }
}

/// Whether `code` names the crate module `layer` (`crate::layer::` or `use crate::{layer…`).
fn imports(code: &str, layer: &str) -> bool {
    code.contains(&format!("crate::{layer}::"))
        || code.contains(&format!("crate::{layer};"))
        || code.split("use crate::{").skip(1).any(|rest| {
            rest.split('}')
                .next()
                .unwrap_or_default()
                .split([',', ' ', '\n'])
                .any(|w| w == layer || w.starts_with(&format!("{layer}::")))
        })
}

#[test]
fn layers_import_only_what_is_below_them() {
    let rules: &[(&str, &[&str])] = &[
        ("src/load", &["convert", "render", "infra", "output"]),
        ("src/infra", &["convert", "load", "render", "output", "app"]),
        ("src/render", &["convert", "load", "output", "app"]),
        ("src/convert", &["render", "infra", "output", "app"]),
    ];
    let mut broken = Vec::new();
    for (dir, forbidden) in rules {
        let mut files = Vec::new();
        sources(&common::root().join(dir), &mut files);
        assert!(!files.is_empty(), "{dir}: no sources");
        for (path, code) in &files {
            for layer in forbidden.iter().filter(|l| imports(code, l)) {
                broken.push(format!("{path} imports {layer}"));
            }
        }
    }
    assert!(broken.is_empty(), "layer imports:\n{}", broken.join("\n"));
}
