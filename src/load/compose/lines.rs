//! The line of a YAML value named by a JSON pointer. serde_yaml_ng's values carry no positions,
//! so the line is found in the text by following the pointer's keys through the indentation
//! (a best effort: block-style YAML as compose files are written; flow collections answer the
//! line of the key that holds them).

/// The 1-based line of the value at `pointer` in `text` (the nearest enclosing key found).
pub fn line_of(text: &str, pointer: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let mut at: Option<usize> = None; // line of the last segment found
    let mut parent: i64 = -1; // indentation of that segment
    let mut item_line = false; // the last segment was a sequence item (its line holds keys)
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        let start = match (at, item_line) {
            (None, _) => 0,
            (Some(l), true) => l,
            (Some(l), false) => l + 1,
        };
        let found = match seg.parse::<usize>() {
            Ok(n) => nth_item(&lines, start, parent, n),
            Err(_) => key_line(&lines, start, parent, &seg),
        };
        let Some((line, indent, is_item)) = found else {
            break;
        };
        at = Some(line);
        parent = indent;
        item_line = is_item;
    }
    at.map_or(1, |l| l + 1)
}

/// Indentation of a line, and the line without it.
fn split_indent(line: &str) -> (i64, &str) {
    let trimmed = line.trim_start();
    ((line.len() - trimmed.len()) as i64, trimmed)
}

/// Whether a line holds nothing (blank or a comment).
fn is_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// The line defining `key` below the block at indentation `parent`, from line `start`.
fn key_line(lines: &[&str], start: usize, parent: i64, key: &str) -> Option<(usize, i64, bool)> {
    for (i, line) in lines.iter().enumerate().skip(start) {
        if is_blank(line) {
            continue;
        }
        let (mut indent, mut t) = split_indent(line);
        if i > start && indent <= parent && !t.starts_with("- ") {
            return None;
        }
        while let Some(r) = t.strip_prefix("- ") {
            indent += 2;
            t = r.trim_start();
        }
        let bare = t.trim_start_matches(['"', '\'']);
        if let Some(r) = bare.strip_prefix(key) {
            let r = r.trim_start_matches(['"', '\'']).trim_start();
            if r.starts_with(':') && indent > parent {
                return Some((i, indent, false));
            }
        }
    }
    None
}

/// The line of the `n`th item (`- ...`) of the sequence below the block at `parent`.
fn nth_item(lines: &[&str], start: usize, parent: i64, n: usize) -> Option<(usize, i64, bool)> {
    let mut seen = 0;
    let mut item_indent = None;
    for (i, line) in lines.iter().enumerate().skip(start) {
        if is_blank(line) {
            continue;
        }
        let (indent, t) = split_indent(line);
        let is_item = t == "-" || t.starts_with("- ");
        if indent < parent || (indent == parent && !is_item) {
            return None;
        }
        if !is_item || item_indent.is_some_and(|d| d != indent) {
            continue;
        }
        item_indent = Some(indent);
        if seen == n {
            return Some((i, indent, true));
        }
        seen += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "version: '3'\nservices:\n  web:\n    image: nginx\n    ports:\n      - \"80:80\"\n      - 443:443\n    environment:\n    - A=1\n  db:\n    image: postgres\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n";

    #[test]
    fn pointers_find_their_lines() {
        assert_eq!(line_of(TEXT, "/services/web/image"), 4);
        assert_eq!(line_of(TEXT, "/services/web/ports/1"), 7);
        assert_eq!(line_of(TEXT, "/services/web/environment/0"), 9);
        assert_eq!(line_of(TEXT, "/services/db/image"), 11);
        assert_eq!(line_of(TEXT, "/services/db/healthcheck/test/1"), 13);
        assert_eq!(line_of(TEXT, "/services/db/nothing"), 10);
        assert_eq!(line_of(TEXT, ""), 1);
    }
}
