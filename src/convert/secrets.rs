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
}
