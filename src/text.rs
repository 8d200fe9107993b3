//! Text that came from the inputs, made safe to show: control characters escaped for terminals
//! and Markdown, values quoted for a POSIX shell, and validators for the inputs that have a
//! grammar (environment names, image references, regions, ARNs).

use std::borrow::Cow;

/// Whether a character must not reach a terminal or a document as itself: C0 and C1 controls,
/// DEL, bidirectional formatting (Trojan Source), zero-width and line/paragraph separators,
/// and Unicode noncharacters.
pub fn is_unsafe_char(c: char) -> bool {
    let u = c as u32;
    c.is_control()
        || matches!(u, 0x061C | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x2069 | 0xFEFF)
        || is_noncharacter(c)
}

/// Unicode noncharacters: U+FDD0..U+FDEF and the last two code points of every plane.
pub fn is_noncharacter(c: char) -> bool {
    let u = c as u32;
    (0xFDD0..=0xFDEF).contains(&u) || (u & 0xFFFE) == 0xFFFE
}

/// `s` with every [`is_unsafe_char`] written as a visible escape (`\x1b`, `\u{202e}`), and
/// backslashes before such an escape kept unambiguous. Text without them is returned as is.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe_char(c) && (c as u32) < 0x100 => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if is_unsafe_char(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `value` quoted for a POSIX shell so that bash performs no expansion of any kind: unchanged
/// when it has only characters no shell treats specially (ASCII letters and digits and
/// `_ - . / : @ + , =`, not starting with `~`), otherwise in single quotes (a `'` inside becomes
/// `'\''`). Braces (brace expansion), `!` (history expansion), `^`, `*`, `?` and every other
/// character are quoted.
pub fn sh(value: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-./:@+,=".contains(c);
    if !value.is_empty() && value.chars().all(plain) {
        return value.to_string();
    }
    format!("'{}'", value.replace('\'', "'\\''"))
}

/// An option and its value as shell words: `--flag value`, or `--flag=value` when the value
/// starts with `-` (so the program cannot take the value for another option).
pub fn opt(flag: &str, value: &str) -> String {
    if value.starts_with('-') {
        format!("{flag}={}", sh(value))
    } else {
        format!("{flag} {}", sh(value))
    }
}

/// Positional arguments as shell words, after `--` when one starts with `-` (so it is not taken
/// for an option).
pub fn positional(values: &[&str]) -> String {
    let words: Vec<String> = values.iter().map(|v| sh(v)).collect();
    if values.iter().any(|v| v.starts_with('-')) {
        format!("-- {}", words.join(" "))
    } else {
        words.join(" ")
    }
}

/// Text for a terminal: every [`is_unsafe_char`] but the line feed and the tab written as a
/// visible escape (as [`escape`] does), so no input sends a control sequence (ESC, CSI, OSC,
/// C1, a carriage return, a bidirectional override) to the terminal; lines stay lines. The
/// one sanitiser for what eb2ecs prints on stdout and stderr (files keep their bytes).
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s
        .chars()
        .any(|c| is_unsafe_char(c) && c != '\n' && c != '\t')
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for line in s.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        for part in body.split_inclusive('\t') {
            let (text, tab) = match part.strip_suffix('\t') {
                Some(t) => (t, "\t"),
                None => (part, ""),
            };
            out.push_str(&escape(text));
            out.push_str(tab);
        }
        out.push_str(nl);
    }
    Cow::Owned(out)
}

/// `text` as a Markdown code span that no backtick inside it can close, control characters
/// escaped: what a reader copies is exactly `text`.
pub fn code(text: &str) -> String {
    let text = escape(text);
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // A space keeps a leading or trailing backtick from joining the fence (CommonMark strips one).
    let pad = if longest > 0 { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A shell word for a value the user must supply: `"${NAME:?what}"` stops the command with
/// `what` when NAME is not set, so a command with unknown values is still safe to paste.
pub fn required(var: &str, what: &str) -> String {
    // Inside double quotes bash still expands `$`, backticks, backslashes and (interactively) `!`:
    // the message keeps only characters that are literal there.
    let what: String = what
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || " _-.,/:()+@=".contains(*c))
        .collect();
    format!("\"${{{var}:?set {var} to {what}}}\"")
}

/// A POSIX environment variable name: a letter or `_`, then letters, digits and `_`.
pub fn valid_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// An AWS region name such as `eu-west-1`, `us-gov-west-1` or `cn-north-1`.
pub fn valid_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts.len() <= 4
        && parts[0].len() == 2
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// An ARN: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, with a known partition, a
/// lowercase service, an empty or valid region, an empty or 12-digit account and a resource
/// without spaces or control characters.
pub fn valid_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [scheme, partition, service, region, account, resource] = parts[..] else {
        return false;
    };
    let known_partition =
        matches!(partition, "aws" | "aws-cn" | "aws-us-gov") || partition.starts_with("aws-iso");
    scheme == "arn"
        && known_partition
        && !service.is_empty()
        && service
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && (region.is_empty() || valid_region(region))
        && (account.is_empty()
            || (account.len() == 12 && account.chars().all(|c| c.is_ascii_digit())))
        && !resource.is_empty()
        && !resource
            .chars()
            .any(|c| c.is_whitespace() || is_unsafe_char(c))
}

/// A Docker image reference: `[registry[:port]/]path[:tag][@algorithm:hex]`, lowercase path
/// components separated by `.`, `_`, `__` or `-`, a tag of at most 128 word characters.
pub fn valid_image_reference(image: &str) -> bool {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    if let Some(d) = digest {
        let Some((alg, hex)) = d.split_once(':') else {
            return false;
        };
        let alg_ok = !alg.is_empty()
            && alg
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+._-".contains(c));
        if !alg_ok || hex.len() < 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return false;
        }
    }
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
        None => (rest, None),
    };
    if let Some(t) = tag {
        let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        if t.is_empty()
            || t.len() > 128
            || !t.starts_with(word)
            || !t.chars().all(|c| word(c) || c == '.' || c == '-')
        {
            return false;
        }
    }
    let mut comps: Vec<&str> = name.split('/').collect();
    if comps.len() > 1 && is_registry(comps[0]) {
        comps.remove(0);
    }
    !comps.is_empty() && comps.iter().all(|c| valid_path_component(c))
}

/// `host[:port]` that names a registry: has a `.` or a `:`, or is `localhost`.
fn is_registry(s: &str) -> bool {
    let (host, port) = s.split_once(':').unwrap_or((s, ""));
    (s.contains('.') || s.contains(':') || s == "localhost")
        && !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && port.chars().all(|c| c.is_ascii_digit())
}

/// One path component: lowercase alphanumerics, separated by one `.`, `_`, `-`s or `__`.
fn valid_path_component(c: &str) -> bool {
    let b = c.as_bytes();
    if b.is_empty() || !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric() {
        return false;
    }
    if !c
        .chars()
        .all(|x| x.is_ascii_lowercase() || x.is_ascii_digit() || "._-".contains(x))
    {
        return false;
    }
    !c.contains("..") && !c.contains("___") && !c.contains("._") && !c.contains("_.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("aws s3 ls"), "`aws s3 ls`");
        assert_eq!(code("a`id`b"), "`` a`id`b ``");
        assert_eq!(code("x``y"), "``` x``y ```");
        assert_eq!(code("bell\u{7}"), "`bell\\x07`");
    }

    #[test]
    fn required_values_stop_the_command() {
        assert_eq!(
            required("VPC_ID", "the VPC"),
            "\"${VPC_ID:?set VPC_ID to the VPC}\""
        );
        assert_eq!(required("X", "a $(b) `c`"), "\"${X:?set X to a (b) c}\"");
        assert_eq!(
            required("X", "web! {a,b} it's"),
            "\"${X:?set X to web a,b its}\""
        );
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape("plain `text` é"), "plain `text` é");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        assert_eq!(escape("a\x1b[31mred\x07"), "a\\x1b[31mred\\x07");
        assert_eq!(escape("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(escape("a\nb\tc\u{85}d\u{7f}"), "a\\nb\\tc\\x85d\\x7f");
        assert_eq!(
            escape("\u{fffe}\u{ffff}\u{1fffe}"),
            "\\u{fffe}\\u{ffff}\\u{1fffe}"
        );
        assert_eq!(escape("\u{2066}\u{200b}"), "\\u{2066}\\u{200b}");
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(sh("eu-west-1"), "eu-west-1");
        assert_eq!(sh("/app/DB_PASSWORD"), "/app/DB_PASSWORD");
        assert_eq!(sh("a b"), "'a b'");
        assert_eq!(sh("it's"), "'it'\\''s'");
        assert_eq!(sh("$(rm -rf /)"), "'$(rm -rf /)'");
        assert_eq!(sh(""), "''");
        assert_eq!(
            shell_words::split(&sh("x'; rm -rf / #")).unwrap(),
            vec!["x'; rm -rf / #"]
        );
        // Brace, history, tilde and glob expansion: all quoted.
        for v in [
            "{a,--endpoint-url,http://x}",
            "a!b",
            "!!",
            "~root",
            "^a^b",
            "x*",
            "é",
        ] {
            assert_eq!(sh(v), format!("'{v}'"), "{v}");
        }
        assert_eq!(opt("--name", "app"), "--name app");
        assert_eq!(opt("--name", "--endpoint-url"), "--name=--endpoint-url");
        assert_eq!(opt("--name", "-x y"), "--name='-x y'");
        assert_eq!(positional(&["a", "b"]), "a b");
        assert_eq!(positional(&["a", "-b"]), "-- a -b");
    }

    #[test]
    fn terminal_text_keeps_lines_and_escapes_controls() {
        assert!(matches!(terminal("a\n\tb"), Cow::Borrowed(_)));
        assert_eq!(
            terminal("x\x1b[2J\r\n\u{9b}31m\t\u{202e}\x1b]0;t\x07\n"),
            "x\\x1b[2J\\r\n\\x9b31m\t\\u{202e}\\x1b]0;t\\x07\n"
        );
    }

    #[test]
    fn environment_names() {
        for ok in ["DB_PASSWORD", "_X", "a1"] {
            assert!(valid_env_name(ok), "{ok}");
        }
        for bad in ["", "1A", "A-B", "A B", "A=B", "X$(id)", "é"] {
            assert!(!valid_env_name(bad), "{bad}");
        }
    }

    #[test]
    fn regions() {
        for ok in ["eu-west-1", "us-gov-west-1", "cn-north-1", "ap-southeast-2"] {
            assert!(valid_region(ok), "{ok}");
        }
        for bad in [
            "",
            "eu-west",
            "EU-WEST-1",
            "eu-west-1;id",
            "eu west 1",
            "europe-west-1",
        ] {
            assert!(!valid_region(bad), "{bad}");
        }
    }

    #[test]
    fn arns() {
        for ok in [
            "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:iam::123456789012:role/app",
            "arn:aws-us-gov:s3:::bucket",
            "arn:aws:ssm:eu-west-1:123456789012:parameter/app/X",
        ] {
            assert!(valid_arn(ok), "{ok}");
        }
        for bad in [
            "",
            "alias/app",
            "arn:aws:kms:eu-west-1:123:key/x",
            "arn:foo:kms:eu-west-1:123456789012:key/x",
            "arn:aws:kms:eu-west-1:123456789012:",
            "arn:aws:kms:eu-west-1:123456789012:key/x y",
            "arn:aws:KMS:eu-west-1:123456789012:key/x",
        ] {
            assert!(!valid_arn(bad), "{bad}");
        }
    }

    #[test]
    fn image_references() {
        for ok in [
            "nginx",
            "nginx:1.25-alpine",
            "janedoe/flask-api:2.3",
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/app:1",
            "localhost:5000/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "public.ecr.aws/xray/aws-xray-daemon:3.x",
            "my__repo/a.b-c",
        ] {
            assert!(valid_image_reference(ok), "{ok}");
        }
        for bad in [
            "",
            "Nginx",
            "nginx:",
            "nginx:-x",
            "app:${TAG}",
            "<image>",
            "a b",
            "nginx;id",
            "nginx@sha256:xyz",
            "-app",
            "app..x",
        ] {
            assert!(!valid_image_reference(bad), "{bad}");
        }
    }
}
