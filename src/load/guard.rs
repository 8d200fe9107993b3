//! Limits on hostile and huge input, checked before a parser sees it: only regular files are
//! read (never a FIFO or device, which could block or never end), input files are at most
//! [`MAX_INPUT_FILE`] bytes, YAML flow collections nest at most [`MAX_YAML_DEPTH`] deep and YAML
//! aliases expand to at most [`MAX_YAML_EXPANSION`] bytes (a "billion laughs" guard).

use crate::error::{Error, Result};
use std::collections::HashMap;
use std::fs::Metadata;
use std::path::Path;

/// Most bytes a Dockerrun or settings file may have (16 MiB).
pub const MAX_INPUT_FILE: u64 = 16 << 20;
/// Deepest nesting of YAML flow collections (`[` and `{`).
pub const MAX_YAML_DEPTH: usize = 256;
/// Most bytes a YAML document may reach with its aliases expanded (16 MiB).
pub const MAX_YAML_EXPANSION: u64 = 16 << 20;

/// What a path is, in words for an error (`is a directory`, `is a FIFO`, `is a dangling symbolic
/// link`, `no such file`), or `None` when it is a regular file (or a link to one).
pub fn not_a_file(path: &Path) -> Option<String> {
    let Ok(link) = std::fs::symlink_metadata(path) else {
        return Some("no such file".to_string());
    };
    if link.file_type().is_symlink() {
        return match std::fs::metadata(path) {
            Err(_) => Some("is a dangling symbolic link".to_string()),
            Ok(m) if m.is_file() => None,
            Ok(m) => Some(format!("is a symbolic link to something that {}", kind(&m))),
        };
    }
    (!link.is_file()).then(|| kind(&link).to_string())
}

/// `is a directory`, `is a FIFO`, ... for what is not a regular file.
pub fn kind(m: &Metadata) -> &'static str {
    let t = m.file_type();
    if t.is_dir() {
        "is a directory"
    } else if t.is_symlink() {
        "is a symbolic link"
    } else if t.is_file() {
        "is a regular file"
    } else {
        special_kind(&t)
    }
}

/// What a file that is neither a folder, a link nor a regular file is (a FIFO, a device).
#[cfg(unix)]
fn special_kind(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "is a FIFO (named pipe), not a file"
    } else if t.is_block_device() || t.is_char_device() {
        "is a device, not a file"
    } else if t.is_socket() {
        "is a socket, not a file"
    } else {
        "is not a regular file"
    }
}

/// Elsewhere (Windows): no FIFOs or sockets to name.
#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "is not a regular file"
}

/// Read an input file (Dockerrun, settings) as bytes: it must be a regular file (checked before
/// opening, so a FIFO never blocks, and again on the opened file) of at most [`MAX_INPUT_FILE`]
/// bytes, and not a kernel file (`/proc`, `/sys`: "regular" files of size 0 whose reads may
/// never end, such as `/proc/kmsg`).
pub fn read_input(path: &Path) -> Result<Vec<u8>> {
    if let Some(what) = not_a_file(path).or_else(|| kernel_file(path)) {
        return Err(Error::Usage(format!("{}: {what}", path.display())));
    }
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = open_nonblocking(path).map_err(io)?;
    // The file opened may not be the one checked (replaced in between): check it again.
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(Error::Usage(format!("{}: {}", path.display(), kind(&meta))));
    }
    let len = meta.len();
    if len > MAX_INPUT_FILE {
        return Err(too_large(&path.display().to_string(), len, MAX_INPUT_FILE));
    }
    use std::io::Read;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_INPUT_FILE {
        return Err(too_large(
            &path.display().to_string(),
            bytes.len() as u64,
            MAX_INPUT_FILE,
        ));
    }
    Ok(bytes)
}

/// The text of a project file the rules read (never an error: `None` when it is not a regular
/// file once opened, is over `limit` bytes, or is not UTF-8). Opened without blocking and
/// checked on the open file, so a file swapped for a FIFO or device after it was listed
/// neither hangs nor is read.
pub fn read_regular(path: &Path, limit: u64) -> Option<String> {
    use std::io::Read;
    let file = open_nonblocking(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() > limit {
        return None;
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).ok()?;
    if bytes.len() as u64 > limit {
        return None;
    }
    String::from_utf8(bytes).ok()
}

/// The error for an input file over a limit: the file, its size and the limit.
pub fn too_large(display: &str, len: u64, limit: u64) -> Error {
    let limit = if limit >= 1 << 20 {
        format!("{} MiB", limit >> 20)
    } else {
        format!("{} KiB", limit >> 10)
    };
    Error::Usage(format!(
        "{display}: {len} bytes, more than eb2ecs reads in one input file ({limit})"
    ))
}

/// Open a file for reading without blocking: a FIFO that slipped past the checks opens at once
/// (and reads nothing) rather than waiting for a writer; a device never stalls the open.
#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

/// Elsewhere: a plain open.
#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// `is a kernel file ...` when `path` resolves under `/proc`, `/sys` or `/dev`: their files
/// claim to be regular (size 0) but a read may block for ever (`/proc/kmsg`) or never end.
pub fn kernel_file(path: &Path) -> Option<String> {
    let real = path.canonicalize().ok()?;
    ["/proc", "/sys", "/dev"]
        .iter()
        .any(|k| real.starts_with(k))
        .then(|| {
            format!(
                "resolves to {}, a kernel file, not a file eb2ecs reads",
                real.display()
            )
        })
}

/// Refuse `path` (an input file found in the project folder `root`) when it resolves outside
/// the project, through a symbolic link of its own or of a folder on the way: eb2ecs reads
/// nothing outside the project it was given. A missing file passes (its reader says so).
pub fn inside_project(root: &Path, path: &Path) -> Result<()> {
    let Ok(real) = path.canonicalize() else {
        return Ok(());
    };
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if real.starts_with(&root) {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "{}: resolves to {}, outside the project folder {}; eb2ecs reads nothing outside the project (copy the file into the project instead)",
        path.display(),
        real.display(),
        root.display()
    )))
}

/// Parse YAML text with every guard: at most [`MAX_INPUT_FILE`] bytes, flow collections at
/// most [`MAX_YAML_DEPTH`] deep, aliases within [`MAX_YAML_EXPANSION`]; a syntax error names
/// its line and column. The one way every loader parses YAML.
pub fn yaml(display: &str, text: &str) -> Result<serde_yaml_ng::Value> {
    if text.len() as u64 > MAX_INPUT_FILE {
        return Err(too_large(display, text.len() as u64, MAX_INPUT_FILE));
    }
    check_yaml(display, text)?;
    serde_yaml_ng::from_str(text).map_err(|e| super::settings::parse::yaml_error(display, &e))
}

/// Parse JSON text with the same size guard as [`yaml`] (serde_json refuses nesting deeper than
/// 128 itself); a syntax error names its line and column. The one way every loader parses JSON.
pub fn json(display: &str, text: &str) -> Result<serde_json::Value> {
    if text.len() as u64 > MAX_INPUT_FILE {
        return Err(too_large(display, text.len() as u64, MAX_INPUT_FILE));
    }
    super::parse_json(display, text)
}

fn refuse(display: &str, text: &str, at: usize, message: String) -> Error {
    let (line, column) = super::locate::offset_to_line_col(text, at);
    Error::Input {
        file: display.to_string(),
        line,
        column,
        message,
    }
}

/// Refuse YAML whose flow collections nest deeper than [`MAX_YAML_DEPTH`] (the parser would take
/// quadratic time, then refuse anyway) or whose aliases expand past [`MAX_YAML_EXPANSION`].
pub fn check_yaml(display: &str, text: &str) -> Result<()> {
    let mut depth = 0usize;
    let mut comment = false;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'\n' => comment = false,
            _ if comment => {}
            b'#' if i == 0 || matches!(text.as_bytes()[i - 1], b' ' | b'\t') => comment = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_YAML_DEPTH {
                    return Err(refuse(
                        display,
                        text,
                        i,
                        format!("YAML nested more than {MAX_YAML_DEPTH} levels deep"),
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    check_aliases(display, text)
}

/// An anchor (`&name`) or alias (`*name`): its byte offset and name.
struct Mark<'a> {
    at: usize,
    name: &'a str,
}

/// Anchors and aliases of YAML text (a lexical scan: a `&` or `*` that starts a token).
fn marks(text: &str) -> (Vec<Mark<'_>>, Vec<Mark<'_>>) {
    let b = text.as_bytes();
    let (mut anchors, mut aliases) = (Vec::new(), Vec::new());
    for (i, &c) in b.iter().enumerate() {
        if c != b'&' && c != b'*' {
            continue;
        }
        let starts = i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'[' | b'{' | b',');
        let len = b[i + 1..]
            .iter()
            .take_while(|&&x| !matches!(x, b' ' | b'\t' | b'\r' | b'\n' | b',' | b']' | b'}'))
            .count();
        if !starts || len == 0 {
            continue;
        }
        let mark = Mark {
            at: i,
            name: &text[i + 1..i + 1 + len],
        };
        if c == b'&' {
            anchors.push(mark);
        } else {
            aliases.push(mark);
        }
    }
    (anchors, aliases)
}

/// Where the node an anchor on line starting at `line_start` (indented `indent`) ends: at the
/// next line indented no deeper that is not blank (an over-estimate for flow nodes).
fn node_end(text: &str, at: usize) -> usize {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent = |l: &str| l.len() - l.trim_start_matches([' ', '-']).len();
    let own = indent(&text[line_start..]);
    let mut pos = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    while pos < text.len() {
        let line = text[pos..].split('\n').next().unwrap_or("");
        if !line.trim().is_empty() && indent(line) <= own {
            break;
        }
        pos += line.len() + 1;
    }
    pos.min(text.len())
}

/// Refuse a document whose aliases, expanded, exceed [`MAX_YAML_EXPANSION`] bytes: each alias
/// costs the size of its anchor's node, counting the aliases inside that node.
fn check_aliases(display: &str, text: &str) -> Result<()> {
    let (anchors, aliases) = marks(text);
    if aliases.is_empty() {
        return Ok(());
    }
    // The anchors' nodes, and the aliases (by index) inside each.
    let spans: Vec<(usize, usize)> = anchors
        .iter()
        .map(|a| (a.at, node_end(text, a.at)))
        .collect();
    let mut latest: HashMap<&str, usize> = HashMap::new();
    let mut target = Vec::with_capacity(aliases.len());
    let mut next_anchor = 0;
    for al in &aliases {
        while next_anchor < anchors.len() && anchors[next_anchor].at < al.at {
            latest.insert(anchors[next_anchor].name, next_anchor);
            next_anchor += 1;
        }
        target.push(latest.get(al.name).copied());
    }
    let mut sizes: Vec<Option<u64>> = vec![None; anchors.len()];
    let mut total = text.len() as u64;
    for (k, al) in aliases.iter().enumerate() {
        if let Some(t) = target[k] {
            total = total.saturating_add(size(t, &spans, &aliases, &target, &mut sizes));
        }
        if total > MAX_YAML_EXPANSION {
            return Err(refuse(
                display,
                text,
                al.at,
                format!(
                    "YAML aliases expand the document past {} MiB (a \"billion laughs\" document?)",
                    MAX_YAML_EXPANSION >> 20
                ),
            ));
        }
    }
    Ok(())
}

/// Expanded size of anchor `t`'s node (memoised; saturates above the limit).
fn size(
    t: usize,
    spans: &[(usize, usize)],
    aliases: &[Mark<'_>],
    target: &[Option<usize>],
    sizes: &mut [Option<u64>],
) -> u64 {
    if let Some(s) = sizes[t] {
        return s;
    }
    let (start, end) = spans[t];
    let mut s = (end - start) as u64;
    // Mark as in progress (an alias of its own node counts its text only).
    sizes[t] = Some(s);
    let first = aliases.partition_point(|a| a.at < start);
    for (k, al) in aliases.iter().enumerate().skip(first) {
        if al.at >= end || s > MAX_YAML_EXPANSION {
            break;
        }
        if let Some(u) = target[k].filter(|&u| u != t) {
            s = s.saturating_add(size(u, spans, aliases, target, sizes));
        }
    }
    sizes[t] = Some(s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_flow_nesting_is_refused_at_its_place() {
        let text = format!("a: {}{}\n", "[".repeat(300), "]".repeat(300));
        let e = check_yaml("x.config", &text).unwrap_err().to_string();
        assert_eq!(e, "x.config:1:260: YAML nested more than 256 levels deep");
        assert!(check_yaml("x", &format!("a: {}{}", "[".repeat(20), "]".repeat(20))).is_ok());
        // Brackets in a comment do not count.
        assert!(check_yaml("x", &format!("a: 1 # {}", "[".repeat(300))).is_ok());
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut text =
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
                .to_string();
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i", "j"])
        {
            let refs = vec![format!("*{prev}"); 9].join(",");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        let e = check_yaml("x.config", &text).unwrap_err().to_string();
        assert!(e.starts_with("x.config:"), "{e}");
        assert!(e.contains("billion laughs"), "{e}");
    }

    #[test]
    fn ordinary_aliases_pass() {
        let text = "base: &base\n  A: 1\n  B: 2\nother:\n  <<: *base\n  C: 3\nx: *base\n";
        assert!(check_yaml("x", text).is_ok());
        let (anchors, aliases) = marks(text);
        assert_eq!((anchors.len(), aliases.len()), (1, 2));
        assert_eq!(
            &text[anchors[0].at..node_end(text, anchors[0].at)],
            "&base\n  A: 1\n  B: 2\n"
        );
    }

    #[test]
    fn many_aliases_of_a_big_string_are_refused() {
        let mut text = format!("big: &big {}\nitems:\n", "x".repeat(1024));
        for i in 0..20_000 {
            text.push_str(&format!("  k{i}: *big\n"));
        }
        assert!(check_yaml("x", &text).is_err());
    }
}
