//! Compose variable interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
//! `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}` and `$$` (a literal `$`), over
//! the variables of `.env` (EB's generated one holds the environment properties).

use std::collections::BTreeMap;

/// The variables interpolation reads, and the names it found unset (with no default).
#[derive(Debug, Default)]
pub struct Vars {
    /// Name to value.
    pub values: BTreeMap<String, String>,
    /// Names used without a value and without a default, in order of first use.
    pub unset: Vec<String>,
    /// Every use of a name without a value, in order (one string may have several).
    pub missed: Vec<String>,
}

impl Vars {
    /// Interpolate `text`; `Err` carries the message of a `${VAR:?error}` (or a syntax error).
    pub fn interpolate(&mut self, text: &str) -> Result<String, String> {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(i) = rest.find('$') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            if let Some(r) = after.strip_prefix('$') {
                out.push('$');
                rest = r;
            } else if let Some(inner) = after.strip_prefix('{') {
                let end = closing_brace(inner)
                    .ok_or_else(|| format!("`${{` without a closing `}}` in `{text}`"))?;
                out.push_str(&self.braced(&inner[..end])?);
                rest = &inner[end + 1..];
            } else {
                let len = after
                    .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                    .unwrap_or(after.len());
                if len == 0 {
                    out.push('$');
                } else {
                    out.push_str(&self.plain(&after[..len]));
                }
                rest = &after[len..];
            }
        }
        out.push_str(rest);
        Ok(out)
    }

    /// `$NAME` or `${NAME}`.
    fn plain(&mut self, name: &str) -> String {
        match self.values.get(name) {
            Some(v) => v.clone(),
            None => {
                self.missed.push(name.to_string());
                if !self.unset.iter().any(|u| u == name) {
                    self.unset.push(name.to_string());
                }
                String::new()
            }
        }
    }

    /// The inside of `${...}`.
    fn braced(&mut self, inner: &str) -> Result<String, String> {
        let len = inner
            .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
            .unwrap_or(inner.len());
        let (name, op) = inner.split_at(len);
        if name.is_empty() {
            return Err(format!("`${{{inner}}}` is not a variable"));
        }
        let value = self.values.get(name).cloned();
        let (colon, op) = match op.strip_prefix(':') {
            Some(o) => (true, o),
            None => (false, op),
        };
        // With `:`, an empty value counts as unset.
        let set = value.as_ref().is_some_and(|v| !(colon && v.is_empty()));
        let Some(kind) = op.chars().next() else {
            if colon {
                return Err(format!("`${{{inner}}}` is not a valid substitution"));
            }
            return Ok(self.plain(name));
        };
        let word = &op[1..];
        match kind {
            '-' if set => Ok(value.unwrap_or_default()),
            '-' => self.interpolate(word),
            '?' if set => Ok(value.unwrap_or_default()),
            '?' => Err(format!(
                "required variable {name} is not set: {}",
                if word.is_empty() {
                    "(no message)"
                } else {
                    word
                }
            )),
            '+' if set => self.interpolate(word),
            '+' => Ok(String::new()),
            _ => Err(format!("`${{{inner}}}` is not a valid substitution")),
        }
    }
}

/// The index of the `}` closing a `${` whose inside starts `s`, nested `${...}` skipped.
fn closing_brace(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// Parse a `.env` file: `KEY=VALUE` lines (`export ` allowed), `#` comments, quoted values.
pub fn parse_dotenv(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        let v = v.trim();
        let v = if v.len() >= 2
            && ((v.starts_with('"') && v.ends_with('"'))
                || (v.starts_with('\'') && v.ends_with('\'')))
        {
            v[1..v.len() - 1].to_string()
        } else {
            // An unquoted value ends at ` #`.
            v.split(" #").next().unwrap_or(v).trim().to_string()
        };
        out.push((k.trim().to_string(), v));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars {
        let mut v = Vars::default();
        v.values.insert("A".into(), "1".into());
        v.values.insert("E".into(), String::new());
        v
    }

    #[test]
    fn substitutions() {
        let mut v = vars();
        assert_eq!(v.interpolate("x${A}y$A").unwrap(), "x1y1");
        assert_eq!(v.interpolate("${B:-d}|${E:-d}|${E-d}").unwrap(), "d|d|");
        assert_eq!(v.interpolate("${A:+alt}|${B+alt}").unwrap(), "alt|");
        assert_eq!(v.interpolate("$$A and $").unwrap(), "$A and $");
        assert_eq!(v.interpolate("${B:-${A}}").unwrap(), "1");
        assert_eq!(v.interpolate("${B}").unwrap(), "");
        assert_eq!(v.unset, vec!["B".to_string()]);
    }

    #[test]
    fn required_variables_fail() {
        let mut v = vars();
        let e = v.interpolate("${B:?set B}").unwrap_err();
        assert!(e.contains("B is not set: set B"), "{e}");
        assert!(v.interpolate("${E:?}").is_err());
        assert_eq!(v.interpolate("${E?}").unwrap(), "");
        assert!(v.interpolate("${A").is_err());
    }

    #[test]
    fn dotenv_lines() {
        let env = parse_dotenv("# c\nA=1\nexport B=\"two words\"\nC=x # note\nbad\n");
        assert_eq!(
            env,
            vec![
                ("A".to_string(), "1".to_string()),
                ("B".to_string(), "two words".to_string()),
                ("C".to_string(), "x".to_string())
            ]
        );
    }
}
