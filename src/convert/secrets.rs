//! Which environment variables hold secrets, and where they go instead.

use crate::model::SecretsMode;
use crate::text::sh;

/// The parameter or secret name for a variable: `/<family>/<NAME>` for SSM, `<family>/<NAME>`
/// for Secrets Manager.
pub fn parameter_name(mode: SecretsMode, family: &str, env_name: &str) -> String {
    match mode {
        SecretsMode::Ssm | SecretsMode::Plain => format!("/{family}/{env_name}"),
        SecretsMode::Secretsmanager => format!("{family}/{env_name}"),
    }
}

/// What goes in `valueFrom`: the full ARN, so it works from any region and in IAM policies.
pub fn value_from(mode: SecretsMode, region: &str, account: &str, name: &str) -> String {
    match mode {
        SecretsMode::Ssm | SecretsMode::Plain => {
            format!(
                "arn:{}:ssm:{region}:{account}:parameter{name}",
                super::limits::arn_partition(region)
            )
        }
        SecretsMode::Secretsmanager => {
            format!(
                "arn:{}:secretsmanager:{region}:{account}:secret:{name}",
                super::limits::arn_partition(region)
            )
        }
    }
}

/// The command that creates the parameter. The value is never on the command line (shell
/// history, `ps`): `read -rs` takes it from the terminal without echo and the AWS CLI reads it
/// from stdin (`file:///dev/stdin`). Every input is quoted with [`sh`].
pub fn create_command(
    mode: SecretsMode,
    region: &str,
    name: &str,
    kms_key: Option<&str>,
) -> String {
    let (command, key_flag, value_flag) = match mode {
        SecretsMode::Ssm | SecretsMode::Plain => (
            "aws ssm put-parameter --type SecureString",
            "--key-id",
            "--value",
        ),
        SecretsMode::Secretsmanager => (
            "aws secretsmanager create-secret",
            "--kms-key-id",
            "--secret-string",
        ),
    };
    let key = kms_key
        .map(|k| format!(" {key_flag} {}", sh(k)))
        .unwrap_or_default();
    format!(
        "read -rs SECRET_VALUE && printf '%s' \"$SECRET_VALUE\" | {command} --region {} --name {}{key} {value_flag} file:///dev/stdin; unset SECRET_VALUE",
        sh(region),
        sh(name)
    )
}

/// A shell command with its secrets moved out: each literal secret replaced by a reference to
/// an environment variable (`"${NAME}"`, quoted to fit where it stands), and those variables
/// with their values, for the task to get from `secrets`. Empty when nothing was found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Moved {
    /// The command, every secret a variable reference.
    pub command: String,
    /// `(variable, value)`, in order of first use.
    pub vars: Vec<(String, String)>,
}

/// Move the secrets of shell command text into variables named `PREFIX_NAME` (`NAME` from the
/// flag or `NAME=` before the value, else `SECRET`); `None` when it holds none. Every name
/// says "secret" so the conversion moves it to SSM / Secrets Manager like any such variable.
pub fn move_shell_secrets(text: &str, prefix: &str) -> Option<Moved> {
    let spans = crate::detect::secret_spans(text);
    if spans.is_empty() {
        return None;
    }
    let mut moved = move_spans(text, spans, prefix, Vec::new());
    // The detector reads shell words: a reference put in changes the words around it, and what
    // it then sees (outside the references) is moved too, until nothing is left.
    for _ in 0..4 {
        let more: Vec<(usize, usize)> = crate::detect::secret_spans(&moved.command)
            .into_iter()
            .filter(|&(a, b)| !moved.command[a..b].contains("${"))
            .collect();
        if more.is_empty() {
            break;
        }
        moved = move_spans(&moved.command, more, prefix, moved.vars);
    }
    Some(moved)
}

/// `text` with each span replaced by a quoted reference to a variable holding it (one variable
/// per distinct value, after those already in `vars`).
fn move_spans(
    text: &str,
    spans: Vec<(usize, usize)>,
    prefix: &str,
    mut vars: Vec<(String, String)>,
) -> Moved {
    let mut command = String::with_capacity(text.len() + 32);
    let mut at = 0;
    for (a, b) in spans {
        let value = &text[a..b];
        let var = match vars.iter().find(|(_, v)| v == value) {
            Some((n, _)) => n.clone(),
            None => {
                let n = var_name(prefix, name_before(&text[..a]), &vars);
                vars.push((n.clone(), value.to_string()));
                n
            }
        };
        command.push_str(&text[at..a]);
        command.push_str(&match quote_state(&text[..a]) {
            Quote::Single => format!("'\"${{{var}}}\"'"),
            Quote::Double => format!("${{{var}}}"),
            Quote::None => format!("\"${{{var}}}\""),
        });
        at = b;
    }
    command.push_str(&text[at..]);
    Moved { command, vars }
}

/// The finding for a command whose credentials were moved ([`move_shell_secrets`]): where they
/// were and which variables the command reads now (never a value). A warning: the credentials
/// were in the project's files, so they must be rotated.
pub fn moved_finding(
    what: &str,
    source: crate::finding::Source,
    moved: &Moved,
) -> crate::finding::Finding {
    let vars: Vec<String> = moved
        .vars
        .iter()
        .map(|(n, _)| crate::text::code(&format!("${n}")))
        .collect();
    crate::finding::Finding::new(
        crate::codes::SECRET_IN_COMMAND,
        crate::finding::Severity::Warning,
        source,
        format!(
            "{what} held {}; the command now reads {} instead, which the task gets from `secrets` (see SECRET-MOVED)",
            if vars.len() == 1 { "a value that looked like a credential" } else { "values that looked like credentials" },
            vars.join(", ")
        ),
        "Create each parameter as its SECRET-MOVED finding says, with the value from the original command; rotate the credential: it was in the project's files.",
    )
}

/// Which quotes are open at the end of shell text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
}

fn quote_state(before: &str) -> Quote {
    let mut q = Quote::None;
    let mut escaped = false;
    for c in before.chars() {
        match (q, c) {
            (_, _) if escaped => escaped = false,
            (Quote::None | Quote::Double, '\\') => escaped = true,
            (Quote::None, '\'') => q = Quote::Single,
            (Quote::Single, '\'') => q = Quote::None,
            (Quote::None, '"') => q = Quote::Double,
            (Quote::Double, '"') => q = Quote::None,
            _ => {}
        }
    }
    q
}

/// The name a value had: `NAME` of `NAME=value`, the flag of `--flag value` or `--flag=value`.
fn name_before(before: &str) -> &str {
    let trimmed = before.trim_end_matches(['"', '\'']);
    if let Some(rest) = trimmed.strip_suffix('=') {
        // After the last character that is not part of a name (which may be several bytes).
        let start = rest
            .char_indices()
            .rfind(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        return rest[start..].trim_start_matches('-');
    }
    let word = trimmed
        .trim_end()
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("");
    match word.strip_prefix("--") {
        Some(flag) if !flag.is_empty() => flag,
        _ => "",
    }
}

/// `PREFIX_NAME` in upper case, `_SECRET` added when the name does not say secret, a number
/// added when another value took it.
fn var_name(prefix: &str, name: &str, taken: &[(String, String)]) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect()
    };
    let mut base = clean(prefix);
    if !name.is_empty() {
        base = format!("{base}_{}", clean(name));
    }
    if crate::detect::secret_reason(&base, "").is_none() {
        base.push_str("_SECRET");
    }
    let mut n = base.clone();
    let mut i = 2;
    while taken.iter().any(|(t, _)| *t == n) {
        n = format!("{base}_{i}");
        i += 1;
    }
    n
}

/// Whether a secret's value spans lines (a PEM key or certificate): from its value when eb2ecs
/// knows it, else from its name (`*_KEY`, `*PEM*`, `*CERT*`, `*PRIVATE*`). Such a value cannot
/// be pasted at a `read` prompt: only its first line is read and the rest runs as commands.
pub fn looks_multiline(name: &str, value: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let by_name = ["PEM", "CERT", "PRIVATE"].iter().any(|p| upper.contains(p));
    if value.contains('\n') || value.contains("-----BEGIN ") || by_name {
        return true;
    }
    value.trim().is_empty() && upper.ends_with("_KEY")
}

/// [`create_command`] for a multi-line value: it is read from a file whose path is typed at
/// the prompt (`file://`, which the AWS CLI reads as the value, every line of it).
pub fn create_command_from_file(
    mode: SecretsMode,
    region: &str,
    name: &str,
    kms_key: Option<&str>,
) -> String {
    let one_line = create_command(mode, region, name, kms_key);
    one_line
        .replacen(
            "read -rs SECRET_VALUE && printf '%s' \"$SECRET_VALUE\" | ",
            "read -r SECRET_FILE && ",
            1,
        )
        .replacen("file:///dev/stdin", "\"file://$SECRET_FILE\"", 1)
        .replacen("unset SECRET_VALUE", "unset SECRET_FILE", 1)
}

#[cfg(test)]
mod tests {
    /// Found by the fuzz target `secrets`: a name after a multi-byte character, and a password
    /// that starts with the mask's `*`. Moving leaves no secret the detector sees, and no panic.
    #[test]
    fn fuzz_found_commands_move_whole_secrets() {
        for line in [
            "web:\u{5bb}B_PASSWORD=hunter2 gunicorn app:app",
            "w:*gi@rtaw",
            "x w:gi*@rtaw y",
            "wA:wA\u{197}\u{f}\0@discordapp.com/api/webhooks/i",
            "worker: nodehooks.zapier.com/hooks/Basic worker.js --github-token ghp?_02469ub-\0topp < scVAut----oks/Basic worker.js",
        ] {
            let moved = move_shell_secrets(line, "fuzz").expect("a secret");
            assert!(
                crate::detect::secret_spans(&moved.command).is_empty(),
                "{line:?} -> {:?}",
                moved.command
            );
        }
    }

    use super::*;

    #[test]
    fn secrets_of_shell_commands_become_variables() {
        let m = move_shell_secrets("DB_PASSWORD=hunter2pw bin/worker --github-token ghp_0123456789abcdefghijklmnopqrstuvwxyz12", "procfile worker").unwrap();
        assert_eq!(
            m.command,
            "DB_PASSWORD=\"${PROCFILE_WORKER_DB_PASSWORD}\" bin/worker --github-token \"${PROCFILE_WORKER_GITHUB_TOKEN}\""
        );
        assert_eq!(
            m.vars[0],
            (
                "PROCFILE_WORKER_DB_PASSWORD".to_string(),
                "hunter2pw".to_string()
            )
        );
        let m = move_shell_secrets(
            "curl -f -H 'Authorization: Bearer abcdefghijk123' http://localhost/",
            "health",
        )
        .unwrap();
        assert_eq!(
            m.command,
            "curl -f -H 'Authorization: Bearer '\"${HEALTH_SECRET}\"'' http://localhost/"
        );
        let m = move_shell_secrets("mysql \"-ps3cretpw1\" app", "x").unwrap();
        assert_eq!(m.command, "mysql \"-p${X_SECRET}\" app");
        assert!(move_shell_secrets("node server.js --port 8080", "web").is_none());
        for t in ["sh -c 'echo $X'", "a\\'b"] {
            assert!(move_shell_secrets(t, "web").is_none());
        }
    }

    #[test]
    fn arns_per_store() {
        assert_eq!(
            value_from(
                SecretsMode::Ssm,
                "eu-west-1",
                "123456789012",
                "/app/DB_PASSWORD"
            ),
            "arn:aws:ssm:eu-west-1:123456789012:parameter/app/DB_PASSWORD"
        );
        assert_eq!(
            value_from(SecretsMode::Secretsmanager, "eu-west-1", "1", "app/X"),
            "arn:aws:secretsmanager:eu-west-1:1:secret:app/X"
        );
    }

    #[test]
    fn create_commands_read_the_value_from_stdin_and_quote_inputs() {
        let ssm = create_command(
            SecretsMode::Ssm,
            "eu-west-1",
            "/app/DB_PASSWORD",
            Some("alias/x y"),
        );
        assert_eq!(
            ssm,
            "read -rs SECRET_VALUE && printf '%s' \"$SECRET_VALUE\" | aws ssm put-parameter --type SecureString --region eu-west-1 --name /app/DB_PASSWORD --key-id 'alias/x y' --value file:///dev/stdin; unset SECRET_VALUE"
        );
        let sm = create_command(SecretsMode::Secretsmanager, "eu-west-1", "app/it's", None);
        assert!(
            sm.contains("--name 'app/it'\\''s' --secret-string file:///dev/stdin"),
            "{sm}"
        );
        for c in [&ssm, &sm] {
            assert!(!c.contains("<value>") && !c.contains("--value '"), "{c}");
            assert!(shell_words::split(c).is_ok(), "{c}");
        }
    }

    #[test]
    fn multi_line_values_are_read_from_a_file() {
        assert!(looks_multiline("TLS_PEM", "x"));
        assert!(looks_multiline(
            "JWT_SIGNING",
            "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----"
        ));
        assert!(looks_multiline("GITHUB_APP_KEY", ""));
        assert!(!looks_multiline("STRIPE_API_KEY", "sk_live_abc"));
        assert!(!looks_multiline("DB_PASSWORD", "hunter2"));
        let c = create_command_from_file(SecretsMode::Ssm, "eu-west-1", "/app/TLS_PEM", None);
        assert_eq!(
            c,
            "read -r SECRET_FILE && aws ssm put-parameter --type SecureString --region eu-west-1 --name /app/TLS_PEM --value \"file://$SECRET_FILE\"; unset SECRET_FILE"
        );
        let sm = create_command_from_file(SecretsMode::Secretsmanager, "eu-west-1", "a/K", None);
        assert!(
            sm.contains("--secret-string \"file://$SECRET_FILE\"") && !sm.contains("read -rs"),
            "{sm}"
        );
        assert!(shell_words::split(&c).is_ok(), "{c}");
    }
}
