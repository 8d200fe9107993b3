//! Which environment variables hold secrets, and where they go instead.

use crate::model::SecretsMode;

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
            format!("arn:aws:ssm:{region}:{account}:parameter{name}")
        }
        SecretsMode::Secretsmanager => {
            format!("arn:aws:secretsmanager:{region}:{account}:secret:{name}")
        }
    }
}

/// The command that creates the parameter, with a placeholder where the value goes.
pub fn create_command(
    mode: SecretsMode,
    region: &str,
    name: &str,
    kms_key: Option<&str>,
) -> String {
    match mode {
        SecretsMode::Ssm | SecretsMode::Plain => format!(
            "aws ssm put-parameter --region {region} --type SecureString --name '{name}'{} --value '<value>'",
            kms_key.map(|k| format!(" --key-id '{k}'")).unwrap_or_default()
        ),
        SecretsMode::Secretsmanager => format!(
            "aws secretsmanager create-secret --region {region} --name '{name}'{} --secret-string '<value>'",
            kms_key.map(|k| format!(" --kms-key-id '{k}'")).unwrap_or_default()
        ),
    }
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
}
