//! Pure detection helpers shared by the loaders and the conversion: which values are secrets,
//! which image references are template placeholders, and where a value names a host. No I/O,
//! no findings: callers decide what a match means.

/// Words that make an environment variable's name look like a secret wherever they appear.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIAL",
    "AUTH_KEY",
    "SIGNING_KEY",
    "ENCRYPTION_KEY",
    "CLIENT_KEY",
    "DSN",
    "WEBHOOK",
    "PRIVATEKEY",
    "ACCESSKEY",
    "SECRETKEY",
];

/// Whole words (between `_`, `-`, `.`) of a name that make it look like a secret.
const SECRET_NAME_WORDS: &[&str] = &["PASS", "PWD", "PGPASS", "PAT", "KEY", "PW", "CREDS", "CRED"];

/// Words ending in `PASS` that are not passwords (`DBPASS`, `MYSQLPASS` are).
const NOT_PASS_WORDS: &[&str] = &["BYPASS", "COMPASS", "SURPASS", "TRESPASS", "OVERPASS"];

/// Name-only rules run first: a name that says "secret" is one whatever its value.
const NAME_REASON: &str = "its name looks like a secret";

/// One named detection rule over a variable's name (uppercase) and value.
pub struct Rule {
    /// Stable rule name (documented in README.md, Security).
    pub name: &'static str,
    /// Why a match is a secret, as a finding says it.
    pub reason: &'static str,
    /// Whether the rule matches `(UPPERCASE_NAME, value)`.
    pub matches: fn(&str, &str) -> bool,
}

/// Every rule, in the order they are tried. Modelled on gitleaks' ruleset (the shapes a leaked
/// credential has), kept to those with few false positives on configuration values.
pub const RULES: &[Rule] = &[
    Rule {
        name: "withheld",
        reason: "its name or value looks like a secret (eb2ecs did not keep the value)",
        matches: |_, v| v == WITHHELD,
    },
    Rule {
        name: "secret-name",
        reason: NAME_REASON,
        matches: |n, _| secret_name(n),
    },
    Rule {
        name: "url-password",
        reason: "its value is a URL with a password",
        matches: |_, v| url_password_span(v).is_some(),
    },
    Rule {
        name: "userinfo-password",
        reason: "its value is user:password@host",
        matches: |_, v| userinfo_password_span(v).is_some(),
    },
    Rule {
        name: "password-parameter",
        reason: "its value has a password= parameter",
        matches: |_, v| password_param_span(v).is_some(),
    },
    Rule {
        name: "private-key",
        reason: "its value is a PEM private key",
        matches: |_, v| v.contains("-----BEGIN") && v.contains("PRIVATE KEY"),
    },
    Rule {
        name: "aws-access-key",
        reason: "its value looks like an AWS access key",
        matches: |_, v| has_aws_access_key(v),
    },
    Rule {
        name: "aws-secret-key",
        reason: "its value looks like an AWS secret access key",
        matches: |_, v| looks_like_aws_secret_key(v),
    },
    Rule {
        name: "token-prefix",
        reason: "its value looks like an API token",
        matches: |_, v| has_token_prefix(v),
    },
    Rule {
        name: "bearer",
        reason: "its value is an Authorization credential",
        matches: |_, v| authorization_span(v).is_some(),
    },
    Rule {
        name: "webhook-url",
        reason: "its value is a webhook URL with a token",
        matches: |_, v| is_webhook_url(v),
    },
    Rule {
        name: "jwt",
        reason: "its value looks like a JSON Web Token",
        matches: |_, v| looks_like_jwt(v),
    },
];

/// Whether a value nothing else flags looks like a random key (24 to 512 characters of base64
/// or base64url with upper- and lowercase letters and digits, about 4 bits of entropy per
/// character or more): a hint, for a warning, never a reason to move a variable. Hashes in hex,
/// UUIDs, words, paths and host names do not match.
pub fn looks_random(value: &str) -> bool {
    let n = value.len();
    if !(24..=512).contains(&n)
        || !value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+/=_-".contains(c))
        || value.matches('/').count() > 2
        || !value.chars().any(|c| c.is_ascii_uppercase())
        || !value.chars().any(|c| c.is_ascii_lowercase())
        || !value.chars().any(|c| c.is_ascii_digit())
    {
        return false;
    }
    let mut counts = [0u32; 128];
    for b in value.bytes() {
        counts[b as usize] += 1;
    }
    let entropy: f64 = counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n as f64;
            -p * p.log2()
        })
        .sum();
    entropy >= 4.0
}

/// What `eb2ecs fetch` writes instead of a secret value.
pub const WITHHELD: &str = "<secret withheld by eb2ecs fetch>";

/// What a masked secret is shown as.
pub const MASK: &str = "****";

/// Why a variable is treated as a secret, or `None` when it is not.
pub fn secret_reason(name: &str, value: &str) -> Option<&'static str> {
    secret_rule(name, value).map(|r| r.reason)
}

/// The first rule of [`RULES`] that matches a variable, if any.
pub fn secret_rule(name: &str, value: &str) -> Option<&'static Rule> {
    let upper = name.to_ascii_uppercase();
    RULES.iter().find(|r| (r.matches)(&upper, value))
}

/// Whether an (uppercase) name says it holds a secret.
fn secret_name(upper: &str) -> bool {
    if upper == "PWD" || upper == "OLDPWD" {
        return false; // the shell's working directory
    }
    if SECRET_WORDS.iter().any(|w| upper.contains(w)) || upper.ends_with("_KEY_BASE") {
        return true;
    }
    let words: Vec<&str> = upper.split(['_', '-', '.']).collect();
    // `DBPASS`, `REDISPWD`: a word ending in a password word.
    let glued = |w: &&str| {
        (w.ends_with("PASS") && !NOT_PASS_WORDS.contains(w)) || (w.len() > 3 && w.ends_with("PWD"))
    };
    words.iter().any(|w| SECRET_NAME_WORDS.contains(w))
        || words.iter().any(glued)
        || words.last().is_some_and(|w| *w == "AUTH")
}

/// Byte range of the password in `scheme://user:password@host...`; the password may contain
/// `/`, `#` or `?` (the last `@` before the host ends it).
fn url_password_span(value: &str) -> Option<(usize, usize)> {
    let start = value.find("://")? + 3;
    let rest = &value[start..];
    let end_of_authority = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let at = rest[..end_of_authority].rfind('@')?;
    let (user, pw) = rest[..at].split_once(':')?;
    if user.contains(['/', '?', '#'])
        || pw.is_empty()
        || is_reference(pw)
        || !host_like(&rest[at + 1..])
    {
        return None;
    }
    // `host:8080/path@x` is a port and a path, not a password.
    if let Some((port, _)) = pw.split_once('/') {
        if port.chars().all(|c| c.is_ascii_digit()) && !user.is_empty() && user.contains('.') {
            return None;
        }
    }
    let pw_start = start + user.len() + 1;
    Some((pw_start, start + at))
}

/// Whether a password is a reference to a variable (`$PW`, `"${PW}"`), not a credential.
/// Only `${...}` or `$` and a whole upper-case name count: a password may well start with `$`.
fn is_reference(pw: &str) -> bool {
    let pw = pw.trim_matches(['"', '\'']);
    pw.starts_with("${")
        || pw.strip_prefix('$').is_some_and(|n| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
}

/// Whether text starts with a host name (or an IPv6 literal).
fn host_like(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '[')
}

/// Byte range of the password in a scheme-less `user:password@host[:port][/path]` value.
fn userinfo_password_span(value: &str) -> Option<(usize, usize)> {
    if value.contains("://") || value.chars().any(char::is_whitespace) {
        return None;
    }
    let at = value.rfind('@')?;
    let (user, pw) = value[..at].split_once(':')?;
    let user_ok = !user.is_empty()
        && user != "mailto"
        && user
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    let host = &value[at + 1..];
    let host_ok = host_like(host)
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:/_".contains(c));
    (user_ok && !pw.is_empty() && !is_reference(pw) && host_ok).then(|| (user.len() + 1, at))
}

/// Byte range of the value of a `password=` / `pwd=` parameter (JDBC, ADO.NET, query strings).
fn password_param_span(value: &str) -> Option<(usize, usize)> {
    let lower = value.to_ascii_lowercase();
    // Azure storage and Service Bus connection strings: `AccountKey=`, `SharedAccessKey=`.
    for key in [
        "password=",
        "passwd=",
        "pwd=",
        "accountkey=",
        "sharedaccesskey=",
        "sharedaccesssignature=",
    ] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(key) {
            let at = from + i;
            let boundary = at == 0 || matches!(lower.as_bytes()[at - 1], b'?' | b'&' | b';' | b' ');
            let start = at + key.len();
            let len = value[start..]
                .find(['&', ';', ' ', '"', '\''])
                .unwrap_or(value.len() - start);
            if boundary && len > 0 && !is_reference(&value[start..start + len]) {
                return Some((start, start + len));
            }
            from = start;
        }
    }
    None
}

/// Whether `value` has a word starting at byte `i` (not preceded by a word character).
fn at_word_start(value: &str, i: usize) -> bool {
    i == 0 || !value.as_bytes()[i - 1].is_ascii_alphanumeric()
}

/// Every byte position where `prefix` starts a word of `value`.
fn word_starts<'a>(value: &'a str, prefix: &'a str) -> impl Iterator<Item = usize> + 'a {
    value
        .match_indices(prefix)
        .map(|(i, _)| i)
        .filter(move |i| at_word_start(value, *i))
}

/// How many characters after `from` satisfy `ok`.
fn run_len(value: &str, from: usize, ok: fn(char) -> bool) -> usize {
    value[from..].chars().take_while(|c| ok(*c)).count()
}

/// `AKIA`/`ASIA`/`ABIA`/`ACCA` and 16 uppercase letters or digits (gitleaks `aws-access-token`).
fn has_aws_access_key(value: &str) -> bool {
    ["AKIA", "ASIA", "ABIA", "ACCA"].iter().any(|p| {
        word_starts(value, p).any(|i| {
            let n = run_len(value, i + 4, |c| {
                c.is_ascii_uppercase() || c.is_ascii_digit()
            });
            n == 16
        })
    })
}

/// 40 characters of base64 with upper- and lowercase letters and digits: the shape of an AWS
/// secret access key (not a 40-digit hex hash).
fn looks_like_aws_secret_key(value: &str) -> bool {
    let v = value.trim();
    v.len() == 40
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '/' || c == '+')
        && v.chars().any(|c| c.is_ascii_uppercase())
        && v.chars().any(|c| c.is_ascii_lowercase())
        && v.chars().any(|c| c.is_ascii_digit())
}

/// Well-known token prefixes and the least length of what follows (gitleaks rules
/// github-pat, github-fine-grained-pat, github-oauth/app, gitlab-pat, slack-*-token,
/// stripe-access-token, npm-access-token, sendgrid, google api key).
const TOKEN_PREFIXES: &[(&str, usize)] = &[
    ("ghp_", 36),
    ("gho_", 36),
    ("ghu_", 36),
    ("ghs_", 36),
    ("ghr_", 36),
    ("github_pat_", 22),
    ("glpat-", 20),
    ("xoxb-", 10),
    ("xoxa-", 10),
    ("xoxp-", 10),
    ("xoxs-", 10),
    ("xoxr-", 10),
    ("sk_live_", 10),
    ("rk_live_", 10),
    ("sk_test_", 10),
    ("rk_test_", 10),
    ("npm_", 36),
    ("AIza", 35),
    ("SG.", 22),
];

fn has_token_prefix(value: &str) -> bool {
    // A Twilio API key: `SK` and 32 lowercase hex digits.
    let twilio = word_starts(value, "SK").any(|i| {
        run_len(value, i + 2, |c| {
            c.is_ascii_digit() || ('a'..='f').contains(&c)
        }) == 32
    });
    twilio
        || TOKEN_PREFIXES.iter().any(|(p, min)| {
            word_starts(value, p).any(|i| {
                run_len(value, i + p.len(), |c| {
                    c.is_ascii_alphanumeric() || "_-.".contains(c)
                }) >= *min
            })
        })
}

/// Byte range of the credential of `Bearer <token>` / `Basic <base64>`.
fn authorization_span(value: &str) -> Option<(usize, usize)> {
    for scheme in ["Bearer ", "bearer ", "Basic ", "Token "] {
        for i in word_starts(value, scheme) {
            let start = i + scheme.len();
            let n = value[start..]
                .find(|c: char| c.is_whitespace() || c == '"' || c == '\'')
                .unwrap_or(value.len() - start);
            // `Bearer $TOKEN`: a reference to a variable, not a credential.
            if n >= 8 && !value[start..].starts_with('$') {
                return Some((start, start + n));
            }
        }
    }
    None
}

/// Slack, Discord, Teams and similar incoming-webhook URLs, whose path is the credential.
fn is_webhook_url(value: &str) -> bool {
    [
        "hooks.slack.com/services/",
        "hooks.slack.com/workflows/",
        "discord.com/api/webhooks/",
        "discordapp.com/api/webhooks/",
        ".webhook.office.com/",
        "hooks.zapier.com/hooks/",
    ]
    .iter()
    .any(|h| value.contains(h))
}

/// Three base64url parts, the first two starting `eyJ` (a JSON object).
fn looks_like_jwt(value: &str) -> bool {
    word_starts(value, "eyJ").any(|i| {
        let tail = &value[i..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
            .unwrap_or(tail.len());
        let parts: Vec<&str> = tail[..end].split('.').collect();
        parts.len() == 3 && parts[1].starts_with("eyJ") && parts.iter().all(|p| p.len() >= 10)
    })
}

/// `value` with its secret part replaced by [`MASK`]: only the password of a URL,
/// `user:password@host` or `password=` parameter, only the credential after `Bearer`;
/// the whole value for anything else [`secret_reason`] matches (`name` may be empty).
pub fn mask(name: &str, value: &str) -> String {
    let span = url_password_span(value)
        .or_else(|| userinfo_password_span(value))
        .or_else(|| password_param_span(value))
        .or_else(|| authorization_span(value));
    match span {
        // Only the password, unless what is left is a secret too (a webhook URL with a user and
        // password): then the whole value, so nothing secret stays beside the mask.
        Some((a, b)) if secret_reason("", &format!("{}{}", &value[..a], &value[b..])).is_none() => {
            format!("{}{MASK}{}", &value[..a], &value[b..])
        }
        Some(_) => MASK.to_string(),
        None if secret_reason(name, value).is_some() && !value.is_empty() => MASK.to_string(),
        None => value.to_string(),
    }
}

/// A line of a configuration file (`.env`, YAML, nginx, shell) with every secret-looking value
/// masked ([`mask`]): `NAME=value`, `NAME: value` and bare words are checked.
pub fn mask_line(line: &str) -> String {
    let spanned = mask_spans(line, &command_spans(line));
    let line = spanned.as_str();
    let trimmed = line.trim_start();
    let body = trimmed.strip_prefix("export ").unwrap_or(trimmed);
    if let Some(i) = body.find(['=', ':']) {
        let (name, value) = (body[..i].trim(), body[i + 1..].trim());
        if !name.is_empty() && !name.contains(char::is_whitespace) && !value.is_empty() {
            let unquoted = value.trim_matches(|c| c == '"' || c == '\'');
            let masked = mask(name, unquoted);
            if masked != unquoted {
                let offset = line.len() - body.len() + i + 1;
                return format!(
                    "{}{}",
                    &line[..offset],
                    line[offset..].replacen(unquoted, &masked, 1)
                );
            }
        }
    }
    line.split_inclusive(char::is_whitespace)
        .map(|w| {
            let word = w.trim_end();
            let (name, value) = word.split_once('=').unwrap_or(("", word));
            let masked = mask(
                name,
                value.trim_matches(|c| c == '"' || c == '\'' || c == ';'),
            );
            if masked == value.trim_matches(|c| c == '"' || c == '\'' || c == ';') {
                w.to_string()
            } else {
                w.replacen(
                    value.trim_matches(|c| c == '"' || c == '\'' || c == ';'),
                    &masked,
                    1,
                )
            }
        })
        .collect()
}

/// `text` with each byte range of `spans` (sorted, possibly overlapping) replaced by [`MASK`].
fn mask_spans(text: &str, spans: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for &(a, b) in spans {
        if b <= at || a >= b {
            continue;
        }
        out.push_str(&text[at..a.max(at)]);
        out.push_str(MASK);
        at = b;
    }
    out.push_str(&text[at..]);
    out
}

/// The words of a command line: byte ranges between whitespace, and the range inside quotes.
fn words(line: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, line.len()));
    }
    out
}

/// A word's range without the quotes around it (`"x"`, `'x'`).
fn unquoted(line: &str, (a, b): (usize, usize)) -> (usize, usize) {
    let w = &line[a..b];
    let lead = w.len() - w.trim_start_matches(['"', '\'', '`']).len();
    let trail = w.len() - w.trim_end_matches(['"', '\'', '`', ';', ')']).len();
    if lead + trail >= w.len() {
        (a, a)
    } else {
        (a + lead, b - trail)
    }
}

/// Programs whose `-pVALUE` is a password (MySQL's clients), `-p VALUE` (sshpass), and whose
/// `-u`/`--user user:password` is a credential (curl).
const MYSQL_CLIENTS: &[&str] = &[
    "mysql",
    "mysqldump",
    "mysqladmin",
    "mysqlimport",
    "mysqlshow",
    "mysqlcheck",
    "mariadb",
    "mariadb-dump",
];

/// Whether a flag's name (`password`, `github-token`) says its value is a secret; a bare `key`
/// is too often a path or a name (`--key uploads/a.txt`).
fn secret_flag(name: &str) -> bool {
    let upper = name.replace('-', "_").to_ascii_uppercase();
    let plain = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    plain && upper != "KEY" && secret_name(&upper)
}

/// Whether a flag's value is written out (not empty, not a `$VARIABLE`, a path or a `<placeholder>`).
fn literal(value: &str) -> bool {
    let value = value.trim_start_matches(['"', '\'']);
    !value.is_empty() && !value.starts_with(['$', '/', '~', '<', '.'])
}

/// Byte ranges of the secrets of a command line that no `NAME=value` shows: the value after a
/// flag whose name says secret (`--password V`, `--github-token V`), MySQL's `-pV`, sshpass's
/// `-p V`, curl's `-u user:V`, and the credential of every `Authorization: Basic/Bearer`.
fn command_spans(line: &str) -> Vec<(usize, usize)> {
    let ws = words(line);
    let mut spans = Vec::new();
    let mut program = "";
    let mut expect_program = true;
    for (k, &w) in ws.iter().enumerate() {
        let (a, b) = unquoted(line, w);
        let word = &line[a..b];
        if !word.starts_with('-') {
            // The program is the first word of each command (`A=b` assignments before it).
            if expect_program && !word.contains('=') && !word.is_empty() {
                program = word.rsplit('/').next().unwrap_or(word);
                expect_program = false;
            } else if let Some((_, quoted)) = line[w.0..w.1]
                .split_once(['=', ':'])
                .filter(|_| expect_program)
            {
                // `BACKUP="mysqldump ...`: a quoted command as a value; its first word is the program.
                if let Some(p) = quoted.strip_prefix(['"', '\'']).filter(|p| !p.is_empty()) {
                    program = p.rsplit('/').next().unwrap_or(p);
                    expect_program = false;
                }
            }
            if matches!(word, ";" | "&&" | "||" | "|" | "(" | "then" | "do") || word.ends_with(';')
            {
                expect_program = true;
            }
            continue;
        }
        let next = ws.get(k + 1).map(|&n| unquoted(line, n));
        spans.extend(flag_span(line, program, (a, b), next));
    }
    let mut from = 0;
    while let Some((x, y)) = authorization_span(&line[from..]) {
        spans.push((from + x, from + y));
        from += y;
    }
    spans.retain(|(x, y)| x < y);
    spans.sort_unstable();
    spans
}

/// The secret a flag (at `a..b` of `line`, run by `program`) carries, in itself or in the next
/// word (`next`): MySQL's `-pV`, curl's `-u user:V`, `--secret-flag=V`, `--secret-flag V`,
/// sshpass's `-p V`.
fn flag_span(
    line: &str,
    program: &str,
    (a, b): (usize, usize),
    next: Option<(usize, usize)>,
) -> Option<(usize, usize)> {
    let word = &line[a..b];
    let flag = word.trim_start_matches('-');
    let next_word = next.map_or("", |(x, y)| &line[x..y]);
    let value_next = literal(next_word) && !next_word.starts_with('-');
    if MYSQL_CLIENTS.contains(&program)
        && word.starts_with("-p")
        && !word.starts_with("--")
        && literal(&word[2..])
    {
        return Some((a + 2, b));
    }
    if program == "curl" && matches!(word, "-u" | "--user" | "--proxy-user" | "-U") {
        let (x, y) = next.filter(|_| value_next)?;
        let i = next_word.find(':')?;
        return literal(&next_word[i + 1..]).then_some((x + i + 1, y));
    }
    if let Some(i) = word.find('=').filter(|_| word.starts_with("--")) {
        let name = &flag[..i - (word.len() - flag.len())];
        let secret = secret_flag(name) && literal(word[i + 1..].trim_matches(['"', '\'']));
        return secret.then_some((a + i + 1, b));
    }
    let secret = secret_flag(flag) || (program == "sshpass" && word == "-p");
    next.filter(|_| value_next && secret)
}

/// Byte ranges of every secret in a shell command line, sorted and not overlapping: those of
/// [`command_spans`], the value of each `NAME=value` word whose name or value says secret, and
/// the secret part of each other word (a URL's password, a token). What [`mask_line`] would
/// hide, as places, so a caller can move the values instead of losing them.
pub fn secret_spans(line: &str) -> Vec<(usize, usize)> {
    let mut spans = command_spans(line);
    for w in words(line) {
        let (a, b) = unquoted(line, w);
        let word = &line[a..b];
        if word.starts_with('-') {
            continue;
        }
        let (name, at) = match word.split_once('=') {
            Some((n, _)) if !n.is_empty() && !n.contains(['"', '\'', '$']) => (n, a + n.len() + 1),
            _ => ("", a),
        };
        // `NAME='value'`: the quotes are the shell's, not the value's.
        let at = at + (line[at..b].len() - line[at..b].trim_start_matches(['"', '\'']).len());
        let value = &line[at.min(b)..b];
        if !literal(value) {
            continue;
        }
        let masked = mask(name, value);
        if masked != value {
            spans.push(changed_span(value, &masked, at));
        }
    }
    spans.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (a, b) in spans {
        match out.last_mut() {
            Some(last) if a < last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// The secret values of an argument list (a `command`, an `entryPoint`): each secret part of
/// an argument ([`secret_spans`]) and each whole argument after a flag whose name says secret
/// (`["--password", "V"]`). What a printer showing such a list to a person must hide.
pub fn secret_parts(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        let after_flag = i.checked_sub(1).map(|p| args[p].as_str()).is_some_and(|p| {
            p.starts_with('-')
                && !arg.starts_with('-')
                && literal(arg)
                && secret_flag(p.trim_start_matches('-'))
        });
        if after_flag || (!arg.contains(char::is_whitespace) && mask("", arg) == MASK) {
            out.push(arg.clone());
            continue;
        }
        out.extend(
            secret_spans(arg)
                .into_iter()
                .map(|(a, b)| arg[a..b].to_string()),
        );
    }
    out.retain(|s| s.len() >= 4);
    out
}

/// The range of `value` (at byte `at` of its line) that [`mask`] replaced by [`MASK`]: what
/// lies between the prefix and the suffix the two share.
fn changed_span(value: &str, masked: &str, at: usize) -> (usize, usize) {
    let prefix = value
        .bytes()
        .zip(masked.bytes())
        .take_while(|(x, y)| x == y)
        .count();
    let suffix = value[prefix..]
        .bytes()
        .rev()
        .zip(masked[prefix.min(masked.len())..].bytes().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (mut a, mut b) = (prefix, value.len() - suffix);
    // A secret that starts or ends with the mask's own `*` agrees with the mask there: the span
    // takes those characters too, or a mover would leave part of the secret behind.
    while a > 0 && value.as_bytes()[a - 1] == b'*' {
        a -= 1;
    }
    while b < value.len() && value.as_bytes()[b] == b'*' {
        b += 1;
    }
    while !value.is_char_boundary(a) {
        a -= 1;
    }
    while !value.is_char_boundary(b) {
        b += 1;
    }
    (at + a, at + b)
}

/// Why some text (a command argument, a label, a line) holds a secret: a `NAME=value` or
/// `--flag=value` inside it, or a value shape of [`RULES`]; `None` when nothing is found.
pub fn secret_in_text(text: &str) -> Option<&'static str> {
    if mask_line(text) != text {
        return secret_reason("", text).or(Some("it contains a value that looks like a secret"));
    }
    None
}

/// Why an image reference is a template placeholder rather than a real image, if it is one.
pub fn placeholder_reason(image: &str) -> Option<&'static str> {
    if image.contains("${") || image.contains("{{") {
        return Some("contains a template variable");
    }
    if image.contains('<') || image.contains('>') {
        return Some("contains a <placeholder>");
    }
    if image.matches('%').count() >= 2 {
        return Some("contains a %placeholder%");
    }
    if image.contains('[') || image.contains(']') {
        return Some("contains a [placeholder]");
    }
    // Repository names must be lowercase; the tag may have capitals.
    let without_digest = image.split('@').next().unwrap_or(image);
    let last_slash = without_digest.rfind('/').map_or(0, |i| i + 1);
    let repo_end = without_digest[last_slash..]
        .find(':')
        .map_or(without_digest.len(), |i| last_slash + i);
    if without_digest[..repo_end]
        .chars()
        .any(|c| c.is_ascii_uppercase())
    {
        return Some("is not a valid image name (repository names are lowercase)");
    }
    None
}

/// Whether `value` uses `host` as a hostname (`host:port`, `//host`, `@host`, or the whole value).
pub fn mentions_host(value: &str, host: &str) -> bool {
    if host.is_empty() {
        return false;
    }
    if value == host {
        return true;
    }
    let bytes = value.as_bytes();
    let mut start = 0;
    while let Some(pos) = value[start..].find(host) {
        let at = start + pos;
        let end = at + host.len();
        let before_ok = at == 0
            || matches!(
                bytes[at - 1],
                b'/' | b'@' | b'=' | b' ' | b',' | b'"' | b'\'' | b'\t' | b'('
            );
        let after_ok = end == value.len()
            || matches!(
                bytes[end],
                b':' | b'/' | b' ' | b',' | b'"' | b'\'' | b'?' | b';' | b')' | b'\t'
            );
        if before_ok && after_ok {
            return true;
        }
        start = end;
    }
    false
}

/// Characters that may stand before a hostname [`mentions_host`] accepts.
const HOST_BEFORE: &[u8] = b"/@= ,\"'\t(";
/// Characters that may stand after a hostname [`mentions_host`] accepts.
const HOST_AFTER: &[u8] = b":/ ,\"'?;)\t";

/// Whether `host` can be found by [`host_words`]: it holds none of the boundary characters.
pub fn plain_host(host: &str) -> bool {
    !host.is_empty()
        && !host
            .bytes()
            .any(|b| HOST_BEFORE.contains(&b) || HOST_AFTER.contains(&b))
}

/// Every word of `value` that [`mentions_host`] would accept as a hostname, in one pass: the
/// maximal runs without a boundary character, preceded by the start or a character that may
/// stand before a hostname and followed by the end or one that may stand after one. For a
/// [`plain_host`] `h`, `mentions_host(value, h)` is `host_words(value).any(|w| w == h)`; a set
/// of these words answers for every host at once (linear, where one scan per host is not).
pub fn host_words(value: &str) -> impl Iterator<Item = &str> {
    let bytes = value.as_bytes();
    let boundary = |b: u8| HOST_BEFORE.contains(&b) || HOST_AFTER.contains(&b);
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            while i < bytes.len() && boundary(bytes[i]) {
                i += 1;
            }
            let start = i;
            while i < bytes.len() && !boundary(bytes[i]) {
                i += 1;
            }
            if start == i {
                return None;
            }
            let before_ok = start == 0 || HOST_BEFORE.contains(&bytes[start - 1]);
            let after_ok = i == bytes.len() || HOST_AFTER.contains(&bytes[i]);
            if before_ok && after_ok {
                return Some(&value[start..i]);
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// host_words agrees with mentions_host for plain hosts.
    #[test]
    fn host_words_find_what_mentions_host_finds() {
        let values = [
            "db",
            "postgres://u:p@db:5432/x",
            "http://db.internal:80",
            "x=db=y",
            "(db)",
            "db;",
            "a db b",
            "redis://cache?x",
            "dbx db",
            "'db'",
            "\"db\"",
            "@db",
            "x:db",
            "db/x",
            "",
        ];
        for v in values {
            for h in ["db", "cache", "db.internal", "x", "a", "b"] {
                assert!(plain_host(h));
                assert_eq!(
                    mentions_host(v, h),
                    host_words(v).any(|w| w == h),
                    "{v:?} {h:?}"
                );
            }
        }
        assert!(!plain_host("a b") && !plain_host(""));
    }

    #[test]
    fn names_and_values_that_are_secrets() {
        assert!(secret_reason("DB_PASSWORD", "x").is_some());
        assert!(secret_reason("SECRET_KEY_BASE", "").is_some());
        assert!(secret_reason("stripe_api_key", "").is_some());
        assert!(secret_reason("S3_KEY", "").is_some());
        assert!(secret_reason("DATABASE_URL", "postgres://u:pw@db:5432/x").is_some());
        assert!(secret_reason("AWS_ID", "AKIAABCDEFGHIJKLMNOP").is_some());
        assert!(secret_reason("PORT", "3000").is_none());
        assert!(secret_reason("SITE_URL", "https://example.com/a@b").is_none());
        assert!(secret_reason("REDIS_URL", "redis://redis:6379").is_none());
        assert!(secret_reason("DATABASE_URL", WITHHELD).is_some());
    }

    /// Every rule of the table on the shapes it must catch, by name and by value. Long because it
    /// is a table: one line per shape reads better than a split.
    #[test]
    fn rule_table_positives() {
        let ghp = format!("ghp_{}", "a1B2".repeat(9));
        let fine = format!("github_pat_{}", "A1b2_".repeat(10));
        let cases: Vec<(&str, String, &str)> = vec![
            ("DB_PASS", "x".into(), "secret-name"),
            ("MYSQL_PWD", "x".into(), "secret-name"),
            ("PGPASS", "x".into(), "secret-name"),
            ("GPG_PASSPHRASE", "x".into(), "secret-name"),
            ("GITLAB_PAT", "x".into(), "secret-name"),
            ("AUTH", "x".into(), "secret-name"),
            ("REDIS_AUTH", "x".into(), "secret-name"),
            ("RAILS_KEY_BASE", "x".into(), "secret-name"),
            ("SLACK_WEBHOOK", "x".into(), "secret-name"),
            ("WEBHOOK_URL", "x".into(), "secret-name"),
            (
                "X",
                "postgres://app:pa/ss@db:5432/app".into(),
                "url-password",
            ),
            ("X", "postgres://app:pa#ss@db/app".into(), "url-password"),
            ("X", "mysql://app:p?w@db/app".into(), "url-password"),
            ("X", "app:s3cr3t@db:5432/app".into(), "userinfo-password"),
            (
                "X",
                "jdbc:mysql://db:3306/app?user=a&password=s3cr3t".into(),
                "password-parameter",
            ),
            (
                "X",
                "Server=db;Database=app;Pwd=s3cr3t;".into(),
                "password-parameter",
            ),
            (
                "TLS",
                "-----BEGIN RSA PRIVATE KEY-----\nMIIE...".into(),
                "private-key",
            ),
            (
                "TLS",
                "-----BEGIN OPENSSH PRIVATE KEY-----".into(),
                "private-key",
            ),
            ("ID", "AKIAIOSFODNN7EXAMPLE".into(), "aws-access-key"),
            ("ID", "ASIAIOSFODNN7EXAMPLE".into(), "aws-access-key"),
            (
                "X",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
                "aws-secret-key",
            ),
            ("X", ghp, "token-prefix"),
            ("X", fine, "token-prefix"),
            ("X", "xoxb-1234567890-abcdefghij".into(), "token-prefix"),
            ("X", "xoxp-1234567890-abcdefghij".into(), "token-prefix"),
            (
                "X",
                "sk_live_4eC39HqLyjWDarjtT1zdp7dc".into(),
                "token-prefix",
            ),
            ("X", "Bearer abcdef123456".into(), "bearer"),
            (
                "X",
                "https://hooks.slack.com/services/T000/B000/XXXX".into(),
                "webhook-url",
            ),
            (
                "X",
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnop".into(),
                "jwt",
            ),
        ];
        for (name, value, rule) in &cases {
            let got = secret_rule(name, value).map(|r| r.name);
            assert_eq!(got, Some(*rule), "{name}={value}");
        }
    }

    #[test]
    fn rule_table_negatives() {
        for (name, value) in [
            ("PORT", "3000"),
            ("REDIS_URL", "redis://redis:6379"),
            ("SITE_URL", "https://example.com/a@b"),
            ("SITE_URL", "https://example.com:8080/a@b"),
            ("PWD", "/app"),
            ("BYPASS_CACHE", "1"),
            ("PASSENGER_MAX_POOL_SIZE", "4"),
            ("AUTHOR", "jane"),
            ("AUTH_MODE", "oidc"),
            ("KEYCLOAK_URL", "http://keycloak:8080"),
            ("GIT_SHA", "0123456789abcdef0123456789abcdef01234567"),
            ("REPO", "git@github.com:org/repo.git"),
            ("CONTACT", "mailto:team@example.com"),
            ("CONTACT", "team@example.com"),
            ("BUCKET", "AKIA-not-a-key"),
            ("HOME_URL", "http://user@example.com/"),
            ("QUERY", "?passwordless=true"),
            ("GREETING", "Bearer of good news"),
            ("NODE_ENV", "production"),
        ] {
            assert_eq!(
                secret_rule(name, value).map(|r| r.name),
                None,
                "{name}={value}"
            );
        }
    }

    #[test]
    fn masks_keep_the_host() {
        assert_eq!(
            mask("DATABASE_URL", "postgres://app:PW@db:5432/app"),
            "postgres://app:****@db:5432/app"
        );
        assert_eq!(mask("X", "app:PW@db:5432"), "app:****@db:5432");
        assert_eq!(mask("DB_PASSWORD", "hunter2"), "****");
        assert_eq!(mask("PORT", "3000"), "3000");
        assert_eq!(
            mask_line("DATABASE_URL=postgres://app:PW/x@db:5432/app"),
            "DATABASE_URL=postgres://app:****@db:5432/app"
        );
        assert_eq!(
            mask_line("  export DB_PASSWORD=\"hunter2\""),
            "  export DB_PASSWORD=\"****\""
        );
        assert_eq!(
            mask_line("    proxy_pass http://app;"),
            "    proxy_pass http://app;"
        );
        assert_eq!(
            mask_line("  url: jdbc:postgresql://db/app?password=PW"),
            "  url: jdbc:postgresql://db/app?password=****"
        );
        assert_eq!(
            mask_line("run --db postgres://u:PW@db/x --x"),
            "run --db postgres://u:****@db/x --x"
        );
    }

    #[test]
    fn secrets_in_text() {
        assert!(secret_in_text("--password=hunter2").is_some());
        assert!(secret_in_text("export API_TOKEN=abc && ./run").is_some());
        assert!(secret_in_text("postgres://u:pw@db/x").is_some());
        assert!(secret_in_text("npm start").is_none());
        assert!(secret_in_text("--port=3000").is_none());
    }

    #[test]
    fn names_the_detector_used_to_miss() {
        for name in [
            "DBPASS",
            "DB_PW",
            "DB_CREDS",
            "PRIVATEKEY",
            "MYSQLPASS",
            "REDISPWD",
        ] {
            assert!(secret_reason(name, "x").is_some(), "{name}");
        }
        for name in ["CACHE_BYPASS", "COMPASS_URL", "PWD", "KEYBOARD_LAYOUT"] {
            assert!(secret_reason(name, "x").is_none(), "{name}");
        }
    }

    #[test]
    fn values_the_detector_used_to_miss() {
        let azure = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0a2V5Zm9yYXp1cmU=;EndpointSuffix=core.windows.net";
        assert!(secret_reason("STORAGE", azure).is_some());
        assert_eq!(
            mask("STORAGE", azure),
            "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=****;EndpointSuffix=core.windows.net"
        );
        let bus = "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=abcDEF123456789=";
        assert!(
            mask("BUS", bus).ends_with("SharedAccessKey=****"),
            "{}",
            mask("BUS", bus)
        );
        assert!(secret_reason("TWILIO", "SK0123456789abcdef0123456789abcdef").is_some());
        assert!(secret_reason("COMMIT", "0123456789abcdef0123456789abcdef").is_none());
    }

    #[test]
    fn random_values_are_hinted() {
        assert!(looks_random("q8Zr3LmX2pVt9WbK4nYc7HsD1fGj"));
        for v in [
            "0123456789abcdef0123456789abcdef01234567",
            "123e4567-e89b-12d3-a456-426614174000",
            "ThisIsAPlainCamelCaseIdentifierName1",
            "/var/app/current/config/settings",
            "short1Aa",
        ] {
            assert!(!looks_random(v), "{v}");
        }
    }

    #[test]
    fn credentials_in_command_lines_are_masked() {
        let cases = [
            (
                "mysqldump -u app --password s3cretpw1 db",
                "mysqldump -u app --password **** db",
            ),
            (
                "mysqldump --password=s3cretpw1 db",
                "mysqldump --password=**** db",
            ),
            (
                "mysql -uapp -ps3cretpw1 -h db app",
                "mysql -uapp -p**** -h db app",
            ),
            (
                "curl -u admin:s3cretpw1 https://x/y",
                "curl -u admin:**** https://x/y",
            ),
            (
                "curl -H 'Authorization: Basic dXNlcjpwYXNzd29yZA==' https://x",
                "curl -H 'Authorization: Basic ****' https://x",
            ),
            (
                "bin/sync --github-token ghp_abc --verbose",
                "bin/sync --github-token **** --verbose",
            ),
            ("sshpass -p s3cretpw1 ssh host", "sshpass -p **** ssh host"),
        ];
        for (line, want) in cases {
            assert_eq!(mask_line(line), want, "{line}");
            assert!(secret_in_text(line).is_some(), "{line}");
        }
        // Variables, paths and options that are not credentials stay.
        for line in [
            "mysql -p\"$DB_PASSWORD\" app",
            "mysqldump --password \"$PW\" db",
            "aws s3api get-object --key uploads/a.txt out",
            "curl -u \"$CREDS\" https://x",
            "psql -U app -p 5432",
            "grep --password-file /run/pw",
        ] {
            assert_eq!(mask_line(line), line);
        }
    }

    #[test]
    fn host_mentions() {
        assert!(mentions_host(
            "http://product-service:3001",
            "product-service"
        ));
        assert!(mentions_host("redis", "redis"));
        assert!(mentions_host("postgres://u@db/x", "db"));
        assert!(!mentions_host("mydb:5432", "db"));
        assert!(!mentions_host("dbname", "db"));
        assert!(!mentions_host("anything", ""));
        assert!(mentions_host("    proxy_pass http://app;", "app"));
        assert!(mentions_host("  server app:3000;", "app"));
        assert!(!mentions_host("upstream app_servers {", "app"));
    }
}
