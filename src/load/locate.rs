//! Find the line and column of a JSON pointer in JSON text, so errors found after parsing can
//! still name the exact place.

/// 1-based line and column of the value at `pointer` in `text` (valid JSON). When the pointer
/// does not resolve, the deepest value that does is used; `(1, 1)` at worst.
pub fn line_col(text: &str, pointer: &str) -> (usize, usize) {
    let tokens: Vec<String> = if pointer.is_empty() {
        Vec::new()
    } else {
        pointer
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect()
    };
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
    };
    s.ws();
    let offset = s.find(&tokens).unwrap_or(0);
    offset_to_line_col(text, offset)
}

/// 1-based line and column (in characters) of a byte offset.
pub fn offset_to_line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    /// At the start of a value: returns the offset of the value at `tokens` (or the deepest
    /// ancestor found).
    fn find(&mut self, tokens: &[String]) -> Option<usize> {
        let here = self.i;
        let Some((first, rest)) = tokens.split_first() else {
            return Some(here);
        };
        match self.b.get(self.i)? {
            b'{' => {
                self.i += 1;
                loop {
                    self.ws();
                    match self.b.get(self.i)? {
                        b'}' => return Some(here),
                        b',' => {
                            self.i += 1;
                            continue;
                        }
                        b'"' => {}
                        _ => return Some(here),
                    }
                    let key = self.string()?;
                    self.ws();
                    if self.b.get(self.i) != Some(&b':') {
                        return Some(here);
                    }
                    self.i += 1;
                    self.ws();
                    if key == *first {
                        return self.find(rest).or(Some(here));
                    }
                    self.skip()?;
                }
            }
            b'[' => {
                let want: usize = first.parse().ok()?;
                self.i += 1;
                let mut n = 0;
                loop {
                    self.ws();
                    match self.b.get(self.i)? {
                        b']' => return Some(here),
                        b',' => {
                            self.i += 1;
                            continue;
                        }
                        _ => {}
                    }
                    if n == want {
                        return self.find(rest).or(Some(here));
                    }
                    self.skip()?;
                    n += 1;
                }
            }
            _ => Some(here),
        }
    }

    fn string(&mut self) -> Option<String> {
        let start = self.i;
        self.i += 1;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    let raw = std::str::from_utf8(&self.b[start..self.i]).ok()?;
                    return serde_json::from_str(raw).ok();
                }
                _ => self.i += 1,
            }
        }
        None
    }

    fn skip(&mut self) -> Option<()> {
        match self.b.get(self.i)? {
            b'"' => {
                self.string()?;
            }
            b'{' | b'[' => {
                let mut depth = 0usize;
                while self.i < self.b.len() {
                    match self.b[self.i] {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
                return None;
            }
            _ => {
                while self.i < self.b.len() && !matches!(self.b[self.i], b',' | b'}' | b']') {
                    self.i += 1;
                }
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "{\n  \"a\": [1, {\"b/c\": \"x\"}],\n  \"d\": {\"e\": true}\n}";

    #[test]
    fn finds_nested_values() {
        assert_eq!(line_col(DOC, ""), (1, 1));
        assert_eq!(line_col(DOC, "/a"), (2, 8));
        assert_eq!(line_col(DOC, "/a/1/b~1c"), (2, 20));
        assert_eq!(line_col(DOC, "/d/e"), (3, 14));
    }

    #[test]
    fn missing_pointer_falls_back_to_ancestor() {
        assert_eq!(line_col(DOC, "/d/zzz"), (3, 8));
    }
}
