//! A small HCL writer whose output is already what `terraform fmt` writes: two-space indents,
//! the `=` of consecutive one-line attributes aligned (a blank line, a block or a multi-line value
//! ends the run), one blank line between top-level blocks. Strings are escaped here only.

use serde_json::Value;

/// An HCL expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Already HCL, on one line (a reference, a call, a number).
    Raw(String),
    /// A string literal (escaped when written).
    Str(String),
    /// A tuple `[...]`.
    List(Vec<Expr>),
    /// An object `{ key = value }`; keys are written bare when they are identifiers.
    Object(Vec<(String, Expr)>),
    /// A function call with one argument (`jsonencode(...)`).
    Call(&'static str, Box<Expr>),
    /// `COND ? A : B`.
    Cond(String, Box<Expr>, Box<Expr>),
}

/// A reference or other one-line expression.
pub fn raw(s: impl Into<String>) -> Expr {
    Expr::Raw(s.into())
}

/// A string literal.
pub fn s(v: impl Into<String>) -> Expr {
    Expr::Str(v.into())
}

/// A list of string literals.
pub fn strs<I: IntoIterator<Item = S>, S: Into<String>>(v: I) -> Expr {
    Expr::List(v.into_iter().map(|x| Expr::Str(x.into())).collect())
}

/// One item of a body.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Attr(String, Expr),
    Block(String, Body),
    Blank,
    Comment(String),
}

/// The body of a block (or of a file).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body {
    items: Vec<Item>,
}

impl Body {
    /// An empty body.
    pub fn new() -> Body {
        Body::default()
    }

    /// Add `key = value`.
    pub fn attr(mut self, key: &str, value: Expr) -> Body {
        self.items.push(Item::Attr(key.to_string(), value));
        self
    }

    /// Add `key = value` when there is a value.
    pub fn attr_opt(self, key: &str, value: Option<Expr>) -> Body {
        match value {
            Some(v) => self.attr(key, v),
            None => self,
        }
    }

    /// Add a nested block; `header` is its type and labels as written (`resource "a" "b"`).
    pub fn block(mut self, header: &str, body: Body) -> Body {
        self.items.push(Item::Block(header.to_string(), body));
        self
    }

    /// Add a nested block that exists only while `test` (a Terraform boolean expression) is
    /// `holds`: `dynamic "NAME" { for_each = test ? [1] : [] content { … } }`.
    pub fn block_while(self, name: &str, test: &str, holds: bool, body: Body) -> Body {
        let each = if holds {
            format!("{test} ? [1] : []")
        } else {
            format!("{test} ? [] : [1]")
        };
        self.block(
            &format!("dynamic \"{name}\""),
            Body::new()
                .attr("for_each", raw(each))
                .blank()
                .block("content", body),
        )
    }

    /// Add a blank line.
    pub fn blank(mut self) -> Body {
        self.items.push(Item::Blank);
        self
    }

    /// Add a `#` comment line.
    pub fn comment(mut self, text: &str) -> Body {
        for line in text.lines() {
            self.items.push(Item::Comment(line.to_string()));
        }
        self
    }

    /// Append another body's items.
    pub fn extend(mut self, other: Body) -> Body {
        self.items.extend(other.items);
        self
    }

    fn write(&self, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        let mut run: Vec<(String, String)> = Vec::new();
        // A body opens with its first line, never a blank one (as `terraform fmt` writes it).
        let first = self
            .items
            .iter()
            .position(|i| *i != Item::Blank)
            .unwrap_or(self.items.len());
        for item in &self.items[first..] {
            match item {
                Item::Attr(k, v) => {
                    let value = expr(v, indent);
                    if value.contains('\n') {
                        flush(&mut run, &pad, out);
                        out.push_str(&format!("{pad}{} = {value}\n", key(k)));
                    } else {
                        run.push((key(k), value));
                    }
                }
                Item::Block(header, body) => {
                    flush(&mut run, &pad, out);
                    if body.items.is_empty() {
                        out.push_str(&format!("{pad}{header} {{\n{pad}}}\n"));
                    } else {
                        out.push_str(&format!("{pad}{header} {{\n"));
                        body.write(indent + 2, out);
                        out.push_str(&format!("{pad}}}\n"));
                    }
                }
                Item::Blank => {
                    flush(&mut run, &pad, out);
                    out.push('\n');
                }
                Item::Comment(c) => {
                    flush(&mut run, &pad, out);
                    out.push_str(&format!("{pad}# {c}\n").replace("# \n", "#\n"));
                }
            }
        }
        flush(&mut run, &pad, out);
    }
}

/// Write a run of one-line attributes with their `=` aligned.
fn flush(run: &mut Vec<(String, String)>, pad: &str, out: &mut String) {
    let width = run
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    for (k, v) in run.drain(..) {
        let gap = " ".repeat(width - k.chars().count());
        out.push_str(&format!("{pad}{k}{gap} = {v}\n"));
    }
}

/// A key as written: bare when it is an identifier HCL cannot read as anything else.
fn key(k: &str) -> String {
    let ident = k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(k, "true" | "false" | "null" | "for" | "in" | "if");
    if ident {
        k.to_string()
    } else {
        quote(k)
    }
}

/// A string literal: quotes, backslash escapes, and `${` / `%{` doubled so they stay text.
pub fn quote(v: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An expression as written on one line at the start of a line (an argument of a function
/// call built as text, such as `join(",", [...])`).
pub fn inline(e: &Expr) -> String {
    expr(e, 0)
}

/// An expression as written at `indent` (its continuation lines indented from there).
fn expr(e: &Expr, indent: usize) -> String {
    match e {
        Expr::Raw(r) => r.clone(),
        Expr::Str(v) => quote(v),
        Expr::List(items) if items.is_empty() => "[]".to_string(),
        Expr::List(items) => {
            let one: Vec<String> = items.iter().map(|i| expr(i, indent)).collect();
            let line = format!("[{}]", one.join(", "));
            if !line.contains('\n') && line.len() + indent <= 100 {
                return line;
            }
            let pad = " ".repeat(indent + 2);
            let mut out = String::from("[\n");
            for i in items {
                out.push_str(&format!("{pad}{},\n", expr(i, indent + 2)));
            }
            out.push_str(&format!("{}]", " ".repeat(indent)));
            out
        }
        Expr::Call(f, arg) => format!("{f}({})", expr(arg, indent)),
        Expr::Cond(c, a, b) => format!("{c} ? {} : {}", expr(a, indent), expr(b, indent)),
        Expr::Object(fields) if fields.is_empty() => "{}".to_string(),
        Expr::Object(fields) => {
            let body = fields
                .iter()
                .fold(Body::new(), |b, (k, v)| b.attr(k, v.clone()));
            let mut out = String::from("{\n");
            body.write(indent + 2, &mut out);
            out.push_str(&format!("{}}}", " ".repeat(indent)));
            out
        }
    }
}

/// A JSON value as an HCL expression (for `jsonencode`).
pub fn from_json(v: &Value) -> Expr {
    match v {
        Value::Null => raw("null"),
        Value::Bool(b) => raw(b.to_string()),
        Value::Number(n) => raw(n.to_string()),
        Value::String(x) => s(x.clone()),
        Value::Array(a) => Expr::List(a.iter().map(from_json).collect()),
        Value::Object(m) => {
            Expr::Object(m.iter().map(|(k, v)| (k.clone(), from_json(v))).collect())
        }
    }
}

/// A whole file: top-level blocks separated by one blank line.
pub fn file(blocks: Vec<(String, Body)>) -> String {
    let mut out = String::new();
    for (i, (header, body)) in blocks.into_iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        Body::new().block(&header, body).write(0, &mut out);
    }
    out
}

/// A body's items at the top level of a file (a `.tfvars` file is only attributes).
pub fn write_body(b: &Body, out: &mut String) {
    b.write(0, out);
}

/// A file with a leading comment.
pub fn file_with_comment(comment: &str, blocks: Vec<(String, Body)>) -> String {
    let mut head = String::new();
    Body::new().comment(comment).write(0, &mut head);
    format!("{head}\n{}", file(blocks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_align_until_a_multi_line_value() {
        let b = Body::new()
            .attr("a", raw("1"))
            .attr("long_name", s("x"))
            .attr("tags", Expr::Object(vec![("Name".into(), s("n"))]))
            .attr("b", raw("2"));
        let text = file(vec![("resource \"x\" \"y\"".into(), b)]);
        assert_eq!(
            text,
            "resource \"x\" \"y\" {\n  a         = 1\n  long_name = \"x\"\n  tags = {\n    Name = \"n\"\n  }\n  b = 2\n}\n"
        );
    }

    #[test]
    fn strings_keep_template_sequences_as_text() {
        assert_eq!(quote("a${b}%{c}\"\\\n"), "\"a$${b}%%{c}\\\"\\\\\\n\"");
        assert_eq!(quote("$x %y"), "\"$x %y\"");
        assert_eq!(key("awslogs-group"), "\"awslogs-group\"");
        assert_eq!(key("true"), "\"true\"");
    }
}
