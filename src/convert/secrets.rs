//! Which environment variables hold secrets, and where they go instead.

use crate::model::SecretsMode;

const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
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
];

/// What `eb2ecs fetch` writes instead of a secret value.
pub const WITHHELD: &str = "<secret withheld by eb2ecs fetch>";

/// Why a variable is treated as a secret, or `None` when it is not.
pub fn secret_reason(name: &str, value: &str) -> Option<&'static str> {
    if value == WITHHELD {
        return Some("its name or value looks like a secret (eb2ecs did not keep the value)");
    }
    let upper = name.to_ascii_uppercase();
    if SECRET_WORDS.iter().any(|w| upper.contains(w)) || upper.ends_with("_KEY") || upper == "KEY" {
        return Some("its name looks like a secret");
    }
    if url_has_password(value) {
        return Some("its value is a URL with a password");
    }
    if looks_like_aws_access_key(value) {
        return Some("its value looks like an AWS access key");
    }
    None
}

/// `scheme://user:password@host...` (a password that is not a template placeholder still counts).
fn url_has_password(value: &str) -> bool {
    let Some((_, rest)) = value.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    match authority.rsplit_once('@') {
        Some((userinfo, _)) => userinfo
            .split_once(':')
            .is_some_and(|(_, pw)| !pw.is_empty()),
        None => false,
    }
}

fn looks_like_aws_access_key(value: &str) -> bool {
    let v = value.trim();
    (v.starts_with("AKIA") || v.starts_with("ASIA"))
        && v.len() == 20
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

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
