//! The project's own files that rules read (what the Dockerrun or compose file mounts from the
//! bundle): read only inside the project root, only regular text files, within limits. Used by
//! every loader that reads a project folder.

use super::{guard, Skipped, SourceFile, MAX_SOURCE_FILE, MAX_SOURCE_FILES};
use std::path::{Component, Path, PathBuf};

/// The text files under `rels` (relative to `root`), sorted by path, and what was skipped.
/// Nothing outside the project is read: every path is resolved (symbolic links included) and
/// must stay under the project root, so a `..` or a link out of the project is skipped and
/// reported. Only regular files of at most [`MAX_SOURCE_FILE`] bytes that are UTF-8 text count
/// (a FIFO or device is never opened), at most [`MAX_SOURCE_FILES`] of them, eight folders deep.
pub fn source_files(root: &Path, rels: &[String]) -> (Vec<SourceFile>, Vec<Skipped>) {
    let mut walk = Walk {
        root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        files: Vec::new(),
        skipped: Vec::new(),
    };
    for rel in rels {
        let rel_path = Path::new(rel);
        if rel_path
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        {
            walk.skip(rel_path, "leaves the project (`..`)".to_string(), true);
            continue;
        }
        walk.collect(rel_path, 0);
    }
    walk.files.sort_by(|a, b| a.path.cmp(&b.path));
    walk.files.dedup_by(|a, b| a.path == b.path);
    walk.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    walk.skipped.dedup();
    (walk.files, walk.skipped)
}

/// The project's files as they are read: the canonical root, what was read, what was not.
struct Walk {
    root: PathBuf,
    files: Vec<SourceFile>,
    skipped: Vec<Skipped>,
}

/// `rel` as a `/`-separated path.
fn slash_path(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .filter(|c| c != ".")
        .collect::<Vec<_>>()
        .join("/")
}

impl Walk {
    fn skip(&mut self, rel: &Path, reason: String, outside: bool) {
        self.skipped.push(Skipped {
            path: slash_path(rel),
            reason,
            outside,
        });
    }

    /// Where `rel` really is, when it stays inside the project (otherwise it is skipped).
    fn resolve(&mut self, rel: &Path) -> Option<PathBuf> {
        let full = self.root.join(rel);
        let link = std::fs::symlink_metadata(&full).ok();
        let is_link = link.as_ref().is_some_and(|m| m.file_type().is_symlink());
        let real = match full.canonicalize() {
            Ok(p) => p,
            Err(_) if is_link => {
                self.skip(rel, "is a dangling symbolic link".to_string(), false);
                return None;
            }
            // Missing: EB would have created an empty folder.
            Err(_) => return None,
        };
        if real.starts_with(&self.root) {
            return Some(real);
        }
        let what = if is_link {
            "is a symbolic link to"
        } else {
            "goes through a symbolic link to"
        };
        let reason = format!("{what} {}, outside the project", real.display());
        self.skip(rel, reason, true);
        None
    }

    fn collect(&mut self, rel: &Path, depth: usize) {
        if depth > 8 {
            return;
        }
        if self.files.len() >= MAX_SOURCE_FILES {
            let reason = format!("is beyond the {MAX_SOURCE_FILES} files eb2ecs reads");
            return self.skip(rel, reason, false);
        }
        let Some(real) = self.resolve(rel) else {
            return;
        };
        let Ok(meta) = std::fs::metadata(&real) else {
            return;
        };
        if meta.is_file() {
            if meta.len() > MAX_SOURCE_FILE {
                let reason = format!("is larger than {} KiB", MAX_SOURCE_FILE >> 10);
                return self.skip(rel, reason, false);
            }
            // Not UTF-8 text (an image, an archive): nothing to search.
            if let Some(text) = guard::read_regular(&real, MAX_SOURCE_FILE) {
                let path = slash_path(rel);
                self.files.push(SourceFile { path, text });
            }
        } else if meta.is_dir() {
            // A folder named by the input is read; inside it, what is not the application is not.
            if depth > 0 && not_the_application(&real) {
                return;
            }
            let Ok(rd) = std::fs::read_dir(&real) else {
                return;
            };
            let mut names: Vec<_> = rd.flatten().map(|e| e.file_name()).collect();
            names.sort();
            for name in names {
                self.collect(&rel.join(name), depth + 1);
            }
        } else {
            self.skip(rel, guard::kind(&meta).to_string(), false);
        }
    }
}

/// Folders that are never the application's own files: version control, dependencies
/// installed or vendored, caches.
pub const NOT_APPLICATION: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "bower_components",
    "vendor",
    ".venv",
    "venv",
    "__pycache__",
    ".bundle",
    ".gradle",
    ".terraform",
];

/// The file eb2ecs writes into every output folder (`output::MANIFEST`): a folder holding it
/// is eb2ecs's output, never an input, wherever `--out` put it.
pub const OUTPUT_MARKER: &str = ".eb2ecs-manifest.json";

/// One entry of a folder listed by [`entries`].
pub struct Entry {
    /// Its name.
    pub name: String,
    /// Its path from the root, with `/` (`web/app.js`).
    pub path: String,
    /// Its own type: a symbolic link is a link, never what it points to.
    pub kind: std::fs::FileType,
}

/// The entries of `root/rel`, sorted by name; none when it cannot be read. Symbolic links are
/// listed as links and never followed, so a walk over them reads nothing outside the project.
pub fn entries(root: &Path, rel: &str) -> Vec<Entry> {
    let Ok(rd) = std::fs::read_dir(root.join(rel)) else {
        return Vec::new();
    };
    let mut out: Vec<Entry> = rd
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            Some(Entry {
                kind: e.file_type().ok()?,
                name,
                path,
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Whether a folder is not the application's: a dependency or version-control folder, or an
/// output folder eb2ecs wrote.
pub fn not_the_application(dir: &Path) -> bool {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
    name.is_some_and(|n| NOT_APPLICATION.contains(&n.as_str())) || dir.join(OUTPUT_MARKER).is_file()
}

/// The text files directly in a folder (`--templates DIR`), sorted by name, as
/// `(file name, path as shown, text)`; hidden files (such as the manifest eb2ecs writes) are
/// skipped. A sub-folder, a link or a file that is not text is an error naming it.
pub fn text_files_in(dir: &Path) -> crate::error::Result<Vec<(String, String, String)>> {
    use crate::error::Error;
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') {
            names.push(name);
        }
    }
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let path = dir.join(&name);
        let text = crate::load::read_text(&path)?;
        out.push((name, path.display().to_string(), text));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_output_marker_is_the_manifest_eb2ecs_writes() {
        assert_eq!(super::OUTPUT_MARKER, crate::output::MANIFEST);
    }
}
