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
    use super::*;

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
