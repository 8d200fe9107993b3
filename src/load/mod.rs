//! Input loaders: the only code (with `output`) that touches the file system. Each turns a file
//! into typed input, and every problem into an error that names the file, line and column.

pub mod dockerrun;
pub mod eb_api;
pub mod locate;
pub mod settings;

use crate::error::{Error, InputError, Result};
use dockerrun::Parsed;
use std::path::Path;

/// Read a file as UTF-8 text (a leading byte-order mark is dropped).
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).to_string();
        let (line, column) = locate::offset_to_line_col(&valid, offset);
        Error::Input {
            file: path.display().to_string(),
            line,
            column,
            message: "the file is not valid UTF-8 text".to_string(),
        }
    })?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// Parse JSON text, turning a syntax error into an [`Error::Input`] at its line and column.
pub fn parse_json(display: &str, text: &str) -> Result<serde_json::Value> {
    if text.trim().is_empty() {
        return Err(Error::Input {
            file: display.to_string(),
            line: 1,
            column: 1,
            message: "the file is empty".to_string(),
        });
    }
    serde_json::from_str(text).map_err(|e| {
        let full = e.to_string();
        let message = match full.rfind(" at line ") {
            Some(i) => full[..i].to_string(),
            None => full,
        };
        Error::Input {
            file: display.to_string(),
            line: e.line().max(1),
            column: e.column().max(1),
            message: format!("invalid JSON: {message}"),
        }
    })
}

/// Turn an error found by pointer into one with a line and column.
pub fn locate_error(display: &str, text: &str, e: InputError) -> Error {
    let (line, column) = locate::line_col(text, &e.pointer);
    let at = if e.pointer.is_empty() {
        String::new()
    } else {
        format!(" (at {})", e.pointer)
    };
    Error::Input {
        file: display.to_string(),
        line,
        column,
        message: format!("{}{at}", e.message),
    }
}

/// Load a Dockerrun.aws.json. `display` names the file in errors (the path the user gave),
/// `label` names it in findings (relative to the project).
pub fn dockerrun(path: &Path, display: &str, label: &str) -> Result<Parsed> {
    let text = read_text(path)?;
    dockerrun_from_text(&text, display, label)
}

/// Parse Dockerrun text already read.
pub fn dockerrun_from_text(text: &str, display: &str, label: &str) -> Result<Parsed> {
    let doc = parse_json(display, text)?;
    dockerrun::parse(label, &doc).map_err(|e| locate_error(display, text, e))
}

/// Lines of the project's files under `rel_paths` (files or folders, relative to `dir`) that use
/// one of `hostnames` as a host: where a link hostname must become `localhost`.
pub fn scan_hostnames(
    dir: &Path,
    rel_paths: &[String],
    hostnames: &[String],
) -> Vec<crate::model::HostnameHit> {
    let mut files = Vec::new();
    for rel in rel_paths {
        collect_files(&dir.join(rel), &mut files, 0);
    }
    files.sort();
    files.dedup();
    let mut hits = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let label = f.strip_prefix(dir).unwrap_or(&f).display().to_string();
        for (i, line) in text.lines().enumerate() {
            // `upstream NAME {` names a block; it is not a host.
            if line.trim_start().starts_with("upstream ") {
                continue;
            }
            for h in hostnames {
                if crate::detect::mentions_host(line, h) {
                    hits.push(crate::model::HostnameHit {
                        file: label.clone(),
                        line: i + 1,
                        hostname: h.clone(),
                        text: line.trim().to_string(),
                    });
                }
            }
        }
    }
    hits
}

fn collect_files(p: &Path, out: &mut Vec<std::path::PathBuf>, depth: usize) {
    if depth > 8 {
        return;
    }
    if p.is_file() {
        if std::fs::metadata(p).is_ok_and(|m| m.len() < 1 << 20) {
            out.push(p.to_path_buf());
        }
    } else if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            collect_files(&e.path(), out, depth + 1);
        }
    }
}
